/* family_cross.c: seeded cross-attention instances for claim C17, their shrinking, and the
 * real-text instance built from a corpus.
 *
 * A target sequence t (R1 tokens over V1 words) and a source sequence s (R2 over V2), each
 * drawn by the sequence core (dp_seq_sizes, dp_seq_tokens: repeated tokens, absent words,
 * V > R and V < R, R = 1 one time in 16 or so, all-one-word sequences), and a cross operator
 * S_x (V1 x V2) of seven kinds: Gaussian, low-rank B C^T (rank-deficient), the counts of a
 * parallel Zipf corpus (aligned documents in the two vocabularies, word pairs within a
 * window) and their log1p, the directional block X^> of one Zipf corpus between two
 * disjoint vocabularies, a square symmetric S_x (V1 = V2: the false twin cannot differ
 * there) and the zero operator, scaled by exact powers of two one time in four.  The widths
 * d, d_k meet the realisation's premise rank(S_x) <= min(d, d_k) in 3 of 4 instances.  The
 * shrink tactics work on either side: halve a sequence, drop a token, drop the unused words
 * (all, or either half of them; S_x's rows or columns follow), narrow d or d_k, then simplify S_x's entries.  Every draw
 * comes from the instance seed, named substreams for each purpose; allocations are checked
 * (dp_alloc_ok) and a generator out of memory returns NULL. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include "cooc.h"
#include "cross.h"
#include "err.h"
#include "family_cross.h"
#include "rng.h"
#include "seed.h"
#include "spectral.h"

static const char *const kind_names[DP_CX_COUNT_] = {
  "gaussian", "low-rank", "parallel counts", "parallel log1p", "directional X^>",
  "square symmetric", "zero"};

const char *dp_cross_kind_name(int k)
{
  return k >= 0 && k < DP_CX_COUNT_ ? kind_names[k] : "?";
}

void dp_cross_inst_free(struct dp_cross_inst *x)
{
  if (!x)
    return;
  free(x->t);
  free(x->s);
  gsl_matrix_free(x->Sx);
  free(x);
}

/* An instance of these sizes, zero S_x and tokens, the rest copied from `like` (or zero). */
static struct dp_cross_inst *cross_alloc(size_t V1, size_t V2, size_t R1, size_t R2,
                                         const struct dp_cross_inst *like)
{
  struct dp_cross_inst *x = calloc(1, sizeof *x);
  if (!x) {
    DP_ERROR(GSL_ENOMEM, "cross instance: out of memory");
    return NULL;
  }
  if (like)
    *x = *like;
  x->V1 = V1;
  x->V2 = V2;
  x->R1 = R1;
  x->R2 = R2;
  x->t = calloc(R1 ? R1 : 1, sizeof *x->t);
  x->s = calloc(R2 ? R2 : 1, sizeof *x->s);
  x->Sx = gsl_matrix_calloc(V1 ? V1 : 1, V2 ? V2 : 1);
  if (dp_alloc_ok("cross instance", 3, (void *[]){x->t, x->s, x->Sx}) != GSL_SUCCESS) {
    dp_cross_inst_free(x);
    return NULL;
  }
  return x;
}

/* S_x = B C^T with inner width k. */
static int make_lowrank(dp_rng *r, gsl_matrix *Sx, size_t k)
{
  gsl_matrix *B = gsl_matrix_alloc(Sx->size1, k), *C = gsl_matrix_alloc(Sx->size2, k);
  int st = dp_alloc_ok("cross low-rank S_x", 2, (void *[]){B, C});
  if (st == GSL_SUCCESS) {
    dp_seq_gauss_fill(r, B);
    dp_seq_gauss_fill(r, C);
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, B, C, 0.0, Sx);
  }
  gsl_matrix_free(B);
  gsl_matrix_free(C);
  return st;
}

/* The counts of a parallel Zipf corpus: 1..6 aligned document pairs, each side 0..2V+5 ids. */
static int make_parallel(dp_rng *r, gsl_matrix *Sx, int lg)
{
  size_t V1 = Sx->size1, V2 = Sx->size2, ndoc = dp_rng_range(r, 1, 6), n1 = 0, n2 = 0;
  size_t len1[6], len2[6];
  for (size_t k = 0; k < ndoc; k++) {
    n1 += len1[k] = dp_rng_range(r, 0, 2 * V1 + 5);
    n2 += len2[k] = dp_rng_range(r, 0, 2 * V2 + 5);
  }
  size_t *ids1 = malloc((n1 ? n1 : 1) * sizeof *ids1), *ids2 = malloc((n2 ? n2 : 1) * sizeof *ids2);
  int st = dp_alloc_ok("cross parallel corpus", 2, (void *[]){ids1, ids2});
  if (st == GSL_SUCCESS) {
    for (size_t p = 0; p < n1; p++)
      ids1[p] = dp_rng_zipf(r, V1);
    for (size_t p = 0; p < n2; p++)
      ids2[p] = dp_rng_zipf(r, V2);
    st = dp_cross_count(ndoc, len1, ids1, V1, len2, ids2, V2, (int)dp_rng_range(r, 0, 4), Sx);
  }
  if (st == GSL_SUCCESS && lg)
    for (size_t a = 0; a < V1; a++)
      for (size_t b = 0; b < V2; b++)
        gsl_matrix_set(Sx, a, b, log1p(gsl_matrix_get(Sx, a, b)));
  free(ids1);
  free(ids2);
  return st;
}

/* X^> of a Zipf corpus over V1 + V2 words (word ids interleaved at random, so that both
 * vocabularies hold frequent words), the block from the first vocabulary to the second. */
static int make_directional(dp_rng *r, gsl_matrix *Sx)
{
  size_t V1 = Sx->size1, V2 = Sx->size2, V = V1 + V2;
  size_t *perm = malloc(V * sizeof *perm);
  struct dp_corpus *corp = NULL;
  struct dp_counts *cnt = NULL;
  gsl_matrix *B = NULL;
  int c = 1, st = dp_alloc_ok("cross directional S_x", 1, (void *[]){perm});
  if (st == GSL_SUCCESS) {
    for (size_t a = 0; a < V; a++)
      perm[a] = a;
    for (size_t a = V - 1; a > 0; a--) { /* Fisher-Yates */
      size_t j = dp_rng_below(r, a + 1), tmp = perm[a];
      perm[a] = perm[j];
      perm[j] = tmp;
    }
    st = dp_seq_zipf_corpus(r, V, 6, NULL, 0, &c, &corp);
  }
  if (st == GSL_SUCCESS)
    st = dp_cooc_count(corp, c, DP_WEIGHT_HARMONIC, DP_SMAT_DENSE, &cnt);
  if (st == GSL_SUCCESS)
    st = dp_smat_gather(cnt->Xr, perm, V1, perm + V1, V2, &B);
  if (st == GSL_SUCCESS)
    gsl_matrix_memcpy(Sx, B);
  gsl_matrix_free(B);
  dp_counts_free(cnt);
  dp_corpus_free(corp);
  free(perm);
  return st;
}

/* Numerical rank of S_x (dp_cross_svd's convention). */
static int rank_of(const gsl_matrix *Sx, size_t *r)
{
  struct dp_cross_svd f;
  int st = dp_cross_svd_make(Sx, &f);
  if (st == GSL_SUCCESS)
    *r = f.rank;
  dp_cross_svd_free(&f);
  return st;
}

struct dp_cross_inst *dp_cross_inst_make(uint64_t seed, const struct dp_sizes *sz)
{
  dp_rng r, w;
  dp_rng_seed(&r, seed);
  dp_rng_seed(&w, dp_seed_stream(seed, "cross widths"));
  size_t R1, V1, R2, V2;
  dp_seq_sizes(&r, sz, &R1, &V1);
  dp_seq_sizes(&r, sz, &R2, &V2);
  /* kinds, out of 16: gaussian 4, low-rank 3, parallel 2, log1p 2, directional 2, square
   * symmetric 2, zero 1 */
  static const int kinds[16] = {0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6};
  int kind = kinds[dp_rng_below(&r, 16)];
  if (kind == DP_CX_SYM)
    V2 = V1;
  struct dp_cross_inst *x = cross_alloc(V1, V2, R1, R2, NULL);
  if (!x)
    return NULL;
  x->seed = seed;
  x->kind = kind;
  int st = dp_seq_tokens(&r, R1, V1, x->t);
  if (st == GSL_SUCCESS)
    st = dp_seq_tokens(&r, R2, V2, x->s);
  size_t mn = V1 < V2 ? V1 : V2, kmax = mn > 1 ? mn - 1 : 1;
  if (sz->dk_max && mn > sz->dk_max) { /* narrow keys (--max-dk): aim the Gaussian and
                                          low-rank kinds at rank <= d_k, the premise of (b) */
    kind = kind == DP_CX_GAUSS ? DP_CX_LOWRANK : kind;
    kmax = kmax < sz->dk_max ? kmax : sz->dk_max;
    x->kind = kind;
  }
  if (st == GSL_SUCCESS)
    switch (kind) {
    case DP_CX_GAUSS: dp_seq_gauss_fill(&r, x->Sx); break;
    case DP_CX_LOWRANK: st = make_lowrank(&r, x->Sx, dp_rng_range(&r, 1, kmax)); break;
    case DP_CX_PARALLEL: st = make_parallel(&r, x->Sx, 0); break;
    case DP_CX_LOG1P: st = make_parallel(&r, x->Sx, 1); break;
    case DP_CX_DIRECTIONAL: st = make_directional(&r, x->Sx); break;
    case DP_CX_SYM:
      dp_seq_gauss_fill(&r, x->Sx);
      for (size_t a = 0; a < V1; a++) /* exactly symmetric: each pair averaged once */
        for (size_t b = a + 1; b < V1; b++) {
          double v = 0.5 * (gsl_matrix_get(x->Sx, a, b) + gsl_matrix_get(x->Sx, b, a));
          gsl_matrix_set(x->Sx, a, b, v);
          gsl_matrix_set(x->Sx, b, a, v);
        }
      break;
    default: break; /* zero */
    }
  static const int exps[] = {-400, -60, 60, 400};
  x->scale_exp = dp_rng_below(&r, 4) == 0 ? exps[dp_rng_below(&r, 4)] : 0;
  gsl_matrix_scale(x->Sx, ldexp(1.0, x->scale_exp));
  if (st == GSL_SUCCESS)
    st = rank_of(x->Sx, &x->rank_gen);
  if (st != GSL_SUCCESS) {
    dp_cross_inst_free(x);
    return NULL;
  }
  size_t rk = x->rank_gen ? x->rank_gen : 1, big = (V1 > V2 ? V1 : V2) + 4;
  x->d_k = dp_rng_below(&w, 4) ? rk + dp_rng_below(&w, 3) : dp_rng_range(&w, 1, big);
  if (sz->dk_max && x->d_k > sz->dk_max)
    x->d_k = sz->dk_max;
  x->d = dp_rng_below(&w, 4) ? (rk > x->d_k ? rk : x->d_k) + dp_rng_below(&w, 4)
                             : dp_rng_range(&w, 1, big);
  return x;
}

struct dp_cross_inst *dp_cross_inst_copy(const struct dp_cross_inst *x)
{
  struct dp_cross_inst *y = cross_alloc(x->V1, x->V2, x->R1, x->R2, x);
  if (y) {
    memcpy(y->t, x->t, x->R1 * sizeof *y->t);
    memcpy(y->s, x->s, x->R2 * sizeof *y->s);
    gsl_matrix_memcpy(y->Sx, x->Sx);
  }
  return y;
}

struct dp_cross_inst *dp_cross_inst_from(const size_t *t, size_t R1, const size_t *s,
                                         size_t R2, const gsl_matrix *Sx, size_t d, size_t d_k)
{
  struct dp_cross_inst *x = cross_alloc(Sx->size1, Sx->size2, R1, R2, NULL);
  if (x) {
    memcpy(x->t, t, R1 * sizeof *t);
    memcpy(x->s, s, R2 * sizeof *s);
    gsl_matrix_memcpy(x->Sx, Sx);
    x->d = d;
    x->d_k = d_k;
    x->kind = DP_CX_GAUSS;
    if (rank_of(Sx, &x->rank_gen) != GSL_SUCCESS) {
      dp_cross_inst_free(x);
      return NULL;
    }
  }
  return x;
}

void dp_cross_inst_describe(const struct dp_cross_inst *x, char *buf, size_t n)
{
  size_t dt = dp_seq_distinct(x->t, x->R1, x->V1), ds = dp_seq_distinct(x->s, x->R2, x->V2);
  snprintf(buf, n, "R1=%zu V1=%zu (distinct %zu) R2=%zu V2=%zu (distinct %zu) S_x=%s(rank %zu) "
           "scale=2^%d d=%zu d_k=%zu", x->R1, x->V1, dt, x->R2, x->V2, ds,
           dp_cross_kind_name(x->kind), x->rank_gen, x->scale_exp, x->d, x->d_k);
}

static void print_tokens(FILE *f, const char *name, const size_t *t, size_t R)
{
  fprintf(f, "%s =", name);
  for (size_t i = 0; i < R; i++)
    fprintf(f, " %zu", t[i]);
  fputc('\n', f);
}

void dp_cross_inst_print(FILE *f, const struct dp_cross_inst *x)
{
  char b[300];
  dp_cross_inst_describe(x, b, sizeof b);
  fprintf(f, "%s\n", b);
  print_tokens(f, "t", x->t, x->R1);
  print_tokens(f, "s", x->s, x->R2);
  dp_print_matrix(f, "S_x", x->Sx);
}

/* --- shrinking ----------------------------------------------------------------------------- */

/* A copy with the target tokens [lo1, hi1) minus drop1 and the source tokens [lo2, hi2) minus
 * drop2 (no drop when out of range). */
static struct dp_cross_inst *keep_tokens(const struct dp_cross_inst *x, size_t lo1, size_t hi1,
                                         size_t drop1, size_t lo2, size_t hi2, size_t drop2)
{
  size_t R1 = hi1 - lo1 - (drop1 >= lo1 && drop1 < hi1);
  size_t R2 = hi2 - lo2 - (drop2 >= lo2 && drop2 < hi2);
  if (R1 == 0 || R2 == 0)
    return NULL;
  struct dp_cross_inst *y = cross_alloc(x->V1, x->V2, R1, R2, x);
  if (!y)
    return NULL;
  size_t n = 0;
  for (size_t i = lo1; i < hi1; i++)
    if (i != drop1)
      y->t[n++] = x->t[i];
  n = 0;
  for (size_t j = lo2; j < hi2; j++)
    if (j != drop2)
      y->s[n++] = x->s[j];
  gsl_matrix_memcpy(y->Sx, x->Sx);
  y->shrink_steps++;
  return y;
}

static unsigned two_if(size_t R) { return R > 1 ? 2 : 0; }
static unsigned halves1(const void *p) { return two_if(((const struct dp_cross_inst *)p)->R1); }
static unsigned halves2(const void *p) { return two_if(((const struct dp_cross_inst *)p)->R2); }
static void *halve1(const void *p, unsigned i)
{
  const struct dp_cross_inst *x = p;
  size_t h = x->R1 / 2;
  return keep_tokens(x, i ? h : 0, i ? x->R1 : h, x->R1, 0, x->R2, x->R2);
}
static void *halve2(const void *p, unsigned i)
{
  const struct dp_cross_inst *x = p;
  size_t h = x->R2 / 2;
  return keep_tokens(x, 0, x->R1, x->R1, i ? h : 0, i ? x->R2 : h, x->R2);
}
static unsigned ntok1(const void *p)
{
  const struct dp_cross_inst *x = p;
  return x->R1 > 1 ? (unsigned)x->R1 : 0;
}
static unsigned ntok2(const void *p)
{
  const struct dp_cross_inst *x = p;
  return x->R2 > 1 ? (unsigned)x->R2 : 0;
}
static void *drop1(const void *p, unsigned i)
{
  const struct dp_cross_inst *x = p;
  return keep_tokens(x, 0, x->R1, i, 0, x->R2, x->R2);
}
static void *drop2(const void *p, unsigned i)
{
  const struct dp_cross_inst *x = p;
  return keep_tokens(x, 0, x->R1, x->R1, 0, x->R2, i);
}

/* How many words of a vocabulary of V the sequence x (R tokens) leaves unused. */
/* Drop unused words of the target side (side 0) or the source side (side 1): those with
 * rank [lo, hi) among the unused words in increasing id (all of them: lo = 0, hi = V); S_x's
 * rows or columns follow.  NULL when none would go. */
static struct dp_cross_inst *drop_unused(const struct dp_cross_inst *x, int side, size_t lo,
                                         size_t hi)
{
  const size_t *tok = side ? x->s : x->t;
  size_t R = side ? x->R2 : x->R1, V = side ? x->V2 : x->V1, seen = 0, n = 0;
  unsigned char *used = calloc(V, 1);
  size_t *map = malloc(V * sizeof *map);
  struct dp_cross_inst *y = NULL;
  if (dp_alloc_ok("shrink", 2, (void *[]){used, map}) != GSL_SUCCESS)
    goto out;
  for (size_t i = 0; i < R; i++)
    used[tok[i]] = 1;
  for (size_t a = 0; a < V; a++) {
    int drop = !used[a] && seen >= lo && seen < hi;
    seen += !used[a];
    map[a] = drop ? (size_t)-1 : n++;
  }
  if (n == V)
    goto out;
  y = cross_alloc(side ? x->V1 : n, side ? n : x->V2, x->R1, x->R2, x);
  if (!y)
    goto out;
  for (size_t i = 0; i < x->R1; i++)
    y->t[i] = side ? x->t[i] : map[x->t[i]];
  for (size_t j = 0; j < x->R2; j++)
    y->s[j] = side ? map[x->s[j]] : x->s[j];
  for (size_t a = 0; a < x->V1; a++)
    for (size_t b = 0; b < x->V2; b++) {
      size_t ya = side ? a : map[a], yb = side ? map[b] : b;
      if (ya != (size_t)-1 && yb != (size_t)-1)
        gsl_matrix_set(y->Sx, ya, yb, gsl_matrix_get(x->Sx, a, b));
    }
  y->shrink_steps++;
  if (rank_of(y->Sx, &y->rank_gen) != GSL_SUCCESS) {
    dp_cross_inst_free(y);
    y = NULL;
  }
out:
  free(used);
  free(map);
  return y;
}
static void *unused1(const void *p, unsigned i) { return (void)i, drop_unused(p, 0, 0, SIZE_MAX); }
static void *unused2(const void *p, unsigned i) { return (void)i, drop_unused(p, 1, 0, SIZE_MAX); }
static unsigned halves_unused1(const void *p)
{
  const struct dp_cross_inst *x = p;
  return dp_seq_unused(x->t, x->R1, x->V1) >= 2 ? 2 : 0;
}
static unsigned halves_unused2(const void *p)
{
  const struct dp_cross_inst *x = p;
  return dp_seq_unused(x->s, x->R2, x->V2) >= 2 ? 2 : 0;
}
static void *half_unused(const struct dp_cross_inst *x, int side, unsigned i)
{
  size_t nun = side ? dp_seq_unused(x->s, x->R2, x->V2) : dp_seq_unused(x->t, x->R1, x->V1);
  return drop_unused(x, side, i ? nun / 2 : 0, i ? nun : nun / 2);
}
static void *half_unused1(const void *p, unsigned i) { return half_unused(p, 0, i); }
static void *half_unused2(const void *p, unsigned i) { return half_unused(p, 1, i); }

/* Narrower widths: d / 2, d_k / 2, d - 1, d_k - 1 (distinct, non-zero). */
static unsigned nwidths(const void *p)
{
  const struct dp_cross_inst *x = p;
  size_t w[4][2];
  return dp_seq_narrower_widths(x->d, x->d_k, w);
}
static void *narrow(const void *p, unsigned i)
{
  const struct dp_cross_inst *x = p;
  size_t w[4][2];
  unsigned n = dp_seq_narrower_widths(x->d, x->d_k, w);
  struct dp_cross_inst *y = i < n ? dp_cross_inst_copy(p) : NULL;
  if (y) {
    y->d = w[i][0];
    y->d_k = w[i][1];
    y->shrink_steps++;
  }
  return y;
}

/* S_x's entries simplified (dp_seq_simplify's steps); NULL when nothing changes. */
static struct dp_cross_inst *simplify(const struct dp_cross_inst *x, unsigned step)
{
  int change = 0;
  for (size_t a = 0; a < x->V1 && !change; a++)
    for (size_t b = 0; b < x->V2 && !change; b++) {
      double v = gsl_matrix_get(x->Sx, a, b);
      change = dp_seq_simplify(v, step, x->scale_exp) != v;
    }
  struct dp_cross_inst *y = change ? dp_cross_inst_copy(x) : NULL;
  if (y) {
    for (size_t a = 0; a < x->V1; a++)
      for (size_t b = 0; b < x->V2; b++)
        gsl_matrix_set(y->Sx, a, b, dp_seq_simplify(gsl_matrix_get(x->Sx, a, b), step, x->scale_exp));
    if (step == 0)
      y->scale_exp = 0;
    y->shrink_steps++;
    if (rank_of(y->Sx, &y->rank_gen) != GSL_SUCCESS) {
      dp_cross_inst_free(y);
      y = NULL;
    }
  }
  return y;
}
static void *unscale(const void *p, unsigned i) { return (void)i, simplify(p, 0); }
static void *round_S(const void *p, unsigned i) { return (void)i, simplify(p, 1); }
static void *sign_S(const void *p, unsigned i) { return (void)i, simplify(p, 2); }

static const struct dp_tactic cross_tactics[] = {
  {"halve R1", halves1, halve1},
  {"halve R2", halves2, halve2},
  {"drop a target token", ntok1, drop1},
  {"drop a source token", ntok2, drop2},
  {"drop the unused target words", dp_tactic_once, unused1},
  {"drop the unused source words", dp_tactic_once, unused2},
  {"drop half the unused target words", halves_unused1, half_unused1},
  {"drop half the unused source words", halves_unused2, half_unused2},
  {"narrow d or d_k", nwidths, narrow},
  {"unscale S_x", dp_tactic_once, unscale},
  {"round S_x", dp_tactic_once, round_S},
  {"take the signs of S_x", dp_tactic_once, sign_S},
};

static void *gen_make(uint64_t seed, const struct dp_sizes *sz) { return dp_cross_inst_make(seed, sz); }
static void gen_free(void *x) { dp_cross_inst_free(x); }
static void gen_describe(const void *x, char *b, size_t n) { dp_cross_inst_describe(x, b, n); }
static void gen_print(FILE *f, const void *x) { dp_cross_inst_print(f, x); }

const struct dp_gen dp_gen_cross = {"cross-attention (two sequences, two vocabularies)",
                                    gen_make, gen_free, gen_describe, gen_print, cross_tactics,
                                    sizeof cross_tactics / sizeof cross_tactics[0],
                                    DP_DIM_R | DP_DIM_V | DP_DIM_DK};

struct dp_cross_inst *dp_cross_inst_shrink(const struct dp_cross_inst *x, unsigned k)
{
  return dp_gen_candidate(&dp_gen_cross, x, k, NULL);
}

/* --- real text ------------------------------------------------------------------------------ */

static int cross_real(const struct dp_env *env, size_t W1, size_t W2, size_t R1, size_t R2,
                      int lg, struct dp_cross_inst **out, char *label, size_t n)
{
  *out = NULL;
  if (!env || (!env->corpus && !env->corpus_path) || W1 == 0 || W2 == 0 || R1 == 0 || R2 == 0)
    return DP_ERROR(GSL_EINVAL, "cross real text: no corpus, or no words or tokens asked for");
  struct dp_vocab_opts vo = {1, 0};
  struct dp_corpus *own = NULL, *sub = NULL;
  const struct dp_corpus *corp = env->corpus;
  if (!corp) {
    int st = dp_corpus_read(env->corpus_path, &vo, &own);
    if (st != GSL_SUCCESS)
      return st;
    corp = own;
  }
  size_t W = W1 + W2, Vs = 0, ndocs = 0, n1 = 0, n2 = 0;
  size_t *map = malloc((corp->V ? corp->V : 1) * sizeof *map);
  size_t *ids = malloc((corp->ntok ? corp->ntok : 1) * sizeof *ids);
  size_t *len = malloc((corp->ndoc ? corp->ndoc : 1) * sizeof *len);
  size_t *rows = malloc(W * sizeof *rows), *t = malloc(R1 * sizeof *t), *s = malloc(R2 * sizeof *s);
  struct dp_counts *cnt = NULL;
  gsl_matrix *Sx = NULL;
  int st = dp_alloc_ok("cross real text", 6, (void *[]){map, ids, len, rows, t, s});
  if (st == GSL_SUCCESS) {
    /* the words of the first documents, in order of first appearance: ids 0..W1-1 the target
     * vocabulary, W1..W-1 the source vocabulary, every other word the bucket W */
    for (size_t a = 0; a < corp->V; a++)
      map[a] = (size_t)-1;
    for (size_t doc = 0; doc < corp->ndoc && Vs < W; doc++, ndocs++)
      for (size_t p = corp->doc_start[doc]; p < corp->doc_start[doc + 1] && Vs < W; p++)
        if (map[corp->tok[p]] == (size_t)-1)
          map[corp->tok[p]] = Vs++;
    if (Vs < 2)
      st = DP_ERROR(GSL_EDOM, "cross real text: the corpus has %zu word(s), two vocabularies "
                              "need 2", Vs);
  }
  if (st == GSL_SUCCESS && Vs < W) { /* a small corpus: its words split in the same ratio */
    size_t w1 = Vs * W1 / W;
    W1 = w1 < 1 ? 1 : w1 > Vs - 1 ? Vs - 1 : w1;
    W2 = Vs - W1;
    W = Vs;
  }
  if (st == GSL_SUCCESS) {
    for (size_t p = 0; p < corp->ntok; p++)
      ids[p] = map[corp->tok[p]] == (size_t)-1 ? W : map[corp->tok[p]];
    for (size_t doc = 0; doc < corp->ndoc; doc++)
      len[doc] = corp->doc_start[doc + 1] - corp->doc_start[doc];
    for (size_t a = 0; a < W; a++)
      rows[a] = a;
    /* the sequences: the tokens of the corpus in each vocabulary, in order */
    for (size_t p = 0; p < corp->ntok && (n1 < R1 || n2 < R2); p++) {
      size_t id = ids[p];
      if (id < W1 && n1 < R1)
        t[n1++] = id;
      else if (id >= W1 && id < W && n2 < R2)
        s[n2++] = id - W1;
    }
    st = dp_corpus_from_ids(W + 1, corp->ndoc, len, ids, &sub);
  }
  if (st == GSL_SUCCESS)
    st = dp_cooc_count(sub, env->window, DP_WEIGHT_HARMONIC, DP_SMAT_DENSE, &cnt);
  if (st == GSL_SUCCESS)
    st = dp_smat_gather(cnt->Xr, rows, W1, rows + W1, W2, &Sx);
  if (st == GSL_SUCCESS && lg)
    for (size_t a = 0; a < W1; a++)
      for (size_t b = 0; b < W2; b++)
        gsl_matrix_set(Sx, a, b, log1p(gsl_matrix_get(Sx, a, b)));
  if (st == GSL_SUCCESS) {
    struct dp_cross_inst *x = dp_cross_inst_from(t, n1, s, n2, Sx, 1, 1);
    st = x ? GSL_SUCCESS : GSL_ENOMEM;
    if (x) {
      x->d = x->d_k = x->rank_gen ? x->rank_gen : 1;
      x->kind = lg ? DP_CX_LOG1P : DP_CX_DIRECTIONAL;
      *out = x;
      if (label)
        snprintf(label, n,
                 "%.20sX^> (c=%d, 1/|k|) from the first %zu words of the first %zu documents to the "
                 "next %zu, rank %zu; target: their first %zu tokens in the first vocabulary, "
                 "source: %zu in the second",
                 lg ? "log1p " : "", env->window, W1, ndocs, W2, x->rank_gen, n1, n2);
    }
  }
  gsl_matrix_free(Sx);
  dp_counts_free(cnt);
  dp_corpus_free(sub);
  dp_corpus_free(own);
  free(map);
  free(ids);
  free(len);
  free(rows);
  free(t);
  free(s);
  return st;
}

static void free_cross(void *x) { dp_cross_inst_free(x); }

int dp_cross_inst_shared(const struct dp_ctx *ctx, size_t W1, size_t W2, size_t R1, size_t R2,
                         int lg, const struct dp_cross_inst **out, char *label, size_t n)
{
  char key[160];
  const char *lab = "";
  snprintf(key, sizeof key, "cross, real text: %zu -> %zu words, R1 <= %zu, R2 <= %zu, log1p %d, "
           "window %d", W1, W2, R1, R2, lg, ctx->env->window);
  *out = dp_cache_get(ctx->cache, key, &lab);
  if (!*out) {
    struct dp_cross_inst *x = NULL;
    char buf[300] = "";
    int st = cross_real(ctx->env, W1, W2, R1, R2, lg, &x, buf, sizeof buf);
    if (st == GSL_SUCCESS)
      st = dp_cache_put(ctx->cache, key, x, free_cross, buf);
    if (st != GSL_SUCCESS)
      return st;
    *out = dp_cache_get(ctx->cache, key, &lab);
  }
  if (label && n)
    snprintf(label, n, "%s", lab);
  return GSL_SUCCESS;
}
