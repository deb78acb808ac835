/* family_attn.c: seeded attention instances for claims C07-C10, their shrinking, and the
 * real-text instances built from a corpus.
 *
 * An attention instance is a sequence instance of family.c (tokens t, symmetric S of every kind:
 * PSD, indefinite, rank-deficient, counts, log1p, PPMI, zero, scaled by powers of two) with
 * the widths d, d_k and the weights W_E (V x d), W_Q, W_K (d x d_k).  The widths are drawn
 * against the numerical rank r of S: the realisable family gives d_k >= r in 3 of 4
 * instances (C08's premise r <= d_k <= d, and d >= d_k in 3 of 4 of those), the truncating
 * family d_k < r in 3 of 4 instances with r >= 2 (C09's premise).  W_E comes in six kinds so
 * that C10's solvability condition col(S) within col(W_E) both holds and fails: Gaussian,
 * spanned by S's columns (S G), containing them ([S G_1, N]), orthonormal columns or rows
 * (where W_E^+ = W_E^T, so C10's twin is right there), rank-deficient (B C), and C08's
 * realisation.  W_Q, W_K are independent Gaussians or tied (W_Q W_K^T symmetric, where C07's
 * twin is right).  Weights are scaled by exact powers of two.  Shrinking follows family.c:
 * tokens and words first (W_E's rows follow the words), then the widths, then S's and W's
 * entries.  The real-text instance restricts a corpus's counts to the words of its first
 * documents, keeping every other word as one "other" bucket, so the restricted log1p and PPMI
 * equal the full corpus's operators on those words exactly.  Allocations are checked by
 * dp_alloc_ok (fault injection in tests); a generator that runs out of memory returns
 * NULL, which the runner reports as ERROR. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include "attn.h"
#include "family_attn.h"
#include "rng.h"
#include "seed.h"
#include "cooc.h"
#include "err.h"
#include "spectral.h"

static const char *const emode_names[DP_AE_COUNT_] = {"gaussian", "span(S)", "contains(S)",
                                                      "orthonormal", "low-rank", "realise(S)"};
static const char *const qk_names[DP_AQK_COUNT_] = {"independent", "tied"};

const char *dp_attn_emode_name(int m)
{
  return m >= 0 && m < DP_AE_COUNT_ ? emode_names[m] : "?";
}

const char *dp_attn_qkmode_name(int m)
{
  return m >= 0 && m < DP_AQK_COUNT_ ? qk_names[m] : "?";
}

void dp_attn_inst_free(struct dp_attn_inst *x)
{
  if (!x)
    return;
  dp_inst_free(x->base);
  gsl_matrix_free(x->W_E);
  gsl_matrix_free(x->W_Q);
  gsl_matrix_free(x->W_K);
  free(x);
}

/* An instance around base (taken, even on failure) with zero weights of widths d, d_k;
 * the modes and exponents copied from `like` when it is not NULL. */
static struct dp_attn_inst *attn_alloc(struct dp_inst *base, size_t d, size_t d_k,
                                       const struct dp_attn_inst *like)
{
  struct dp_attn_inst *x = calloc(1, sizeof *x);
  if (!x || !base) {
    free(x);
    dp_inst_free(base);
    DP_ERROR(GSL_ENOMEM, "attention instance: out of memory");
    return NULL;
  }
  x->base = base;
  x->d = d;
  x->d_k = d_k;
  x->W_E = gsl_matrix_calloc(base->V, d);
  x->W_Q = gsl_matrix_calloc(d, d_k);
  x->W_K = gsl_matrix_calloc(d, d_k);
  if (dp_alloc_ok("attention instance", 3, (void *[]){x->W_E, x->W_Q, x->W_K}) !=
      GSL_SUCCESS) {
    dp_attn_inst_free(x);
    return NULL;
  }
  if (like) {
    x->emode = like->emode;
    x->qkmode = like->qkmode;
    x->e_exp = like->e_exp;
    x->qk_exp = like->qk_exp;
    x->rank_gen = like->rank_gen;
  }
  return x;
}

/* Scale A by the power of two that brings its largest |entry| into [1/2, 1) (exact). */
static void normalise_pow2(gsl_matrix *A)
{
  double mx = 0.0;
  for (size_t i = 0; i < A->size1; i++)
    for (size_t j = 0; j < A->size2; j++)
      mx = fmax(mx, fabs(gsl_matrix_get(A, i, j)));
  int e = 0;
  frexp(mx, &e); /* e = 0 for the zero matrix, which stays zero */
  gsl_matrix_scale(A, ldexp(1.0, -e));
}

/* Columns [c0, c0 + w) of W = S G (G Gaussian V x w), normalised. */
static int fill_span(dp_rng *r, const gsl_matrix *S, gsl_matrix *W, size_t c0, size_t w)
{
  size_t V = S->size1;
  gsl_matrix *G = gsl_matrix_alloc(V, w);
  int st = dp_alloc_ok("W_E = S G", 1, (void *[]){G});
  if (st == GSL_SUCCESS) {
    dp_seq_gauss_fill(r, G);
    gsl_matrix_view dst = gsl_matrix_submatrix(W, 0, c0, V, w);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, S, G, 0.0, &dst.matrix);
    normalise_pow2(&dst.matrix);
  }
  gsl_matrix_free(G);
  return st;
}

/* W (V x d) with orthonormal columns (d <= V) or orthonormal rows (d > V), from the Q factor
 * of a Gaussian matrix. */
static int fill_ortho(dp_rng *r, gsl_matrix *W)
{
  size_t V = W->size1, d = W->size2, m = V >= d ? V : d, n = V >= d ? d : V;
  gsl_matrix *A = gsl_matrix_alloc(m, n), *Q = gsl_matrix_alloc(m, m), *Rf = gsl_matrix_alloc(m, n);
  gsl_vector *tau = gsl_vector_alloc(n);
  int st = dp_alloc_ok("orthonormal W_E", 4, (void *[]){A, Q, Rf, tau});
  if (st == GSL_SUCCESS) {
    dp_seq_gauss_fill(r, A);
    gsl_linalg_QR_decomp(A, tau);
    gsl_linalg_QR_unpack(A, tau, Q, Rf);
    gsl_matrix_const_view Qn = gsl_matrix_const_submatrix(Q, 0, 0, m, n);
    if (V >= d)
      gsl_matrix_memcpy(W, &Qn.matrix);
    else
      gsl_matrix_transpose_memcpy(W, &Qn.matrix);
  }
  gsl_matrix_free(A);
  gsl_matrix_free(Q);
  gsl_matrix_free(Rf);
  gsl_vector_free(tau);
  return st;
}

/* W (V x d) = B C with B (V x q), C (q x d) Gaussian. */
static int fill_lowrank(dp_rng *r, gsl_matrix *W, size_t q)
{
  gsl_matrix *B = gsl_matrix_alloc(W->size1, q), *C = gsl_matrix_alloc(q, W->size2);
  int st = dp_alloc_ok("low-rank W_E", 2, (void *[]){B, C});
  if (st == GSL_SUCCESS) {
    dp_seq_gauss_fill(r, B);
    dp_seq_gauss_fill(r, C);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, B, C, 0.0, W);
  }
  gsl_matrix_free(B);
  gsl_matrix_free(C);
  return st;
}

/* C08's realisation of S as W (V x d) when rank(S) <= d; *done = 0 when rank(S) > d. */
static int fill_realise(const gsl_matrix *S, gsl_matrix *W, int *done)
{
  size_t d = W->size2;
  struct dp_spectral_eig e;
  gsl_matrix *Q = gsl_matrix_alloc(d, d), *K = gsl_matrix_alloc(d, d);
  int st = dp_alloc_ok("realised W_E", 2, (void *[]){Q, K});
  if (st == GSL_SUCCESS)
    st = dp_spectral_eig_make(S, &e);
  *done = 0;
  if (st == GSL_SUCCESS) {
    *done = e.rank <= d;
    if (*done)
      dp_attn_realise(&e, d, d, W, Q, K);
    dp_spectral_eig_free(&e);
  }
  gsl_matrix_free(Q);
  gsl_matrix_free(K);
  return st;
}

struct dp_attn_inst *dp_attn_inst_make(uint64_t seed, const struct dp_sizes *sz, int truncating)
{
  struct dp_inst *base = dp_inst_make(seed, sz);
  size_t rk = 0;
  if (!base || dp_spectral_sym_rank(base->S, &rk) != GSL_SUCCESS) {
    dp_inst_free(base);
    return NULL;
  }
  dp_rng r;
  dp_rng_seed(&r, dp_seed_stream(seed, "attention weights"));
  size_t V = base->V, d_k, d;
  if (!truncating)
    d_k = dp_rng_below(&r, 4) ? (rk ? rk : 1) + dp_rng_below(&r, 3) : dp_rng_range(&r, 1, V + 4);
  else
    d_k = rk >= 2 && dp_rng_below(&r, 4) ? dp_rng_range(&r, 1, rk - 1) : dp_rng_range(&r, 1, V + 4);
  if (sz->dk_max && d_k > sz->dk_max)
    d_k = sz->dk_max;
  d = dp_rng_below(&r, 4) ? d_k + dp_rng_below(&r, 4) : dp_rng_range(&r, 1, V + 4);
  struct dp_attn_inst *x = attn_alloc(base, d, d_k, NULL);
  if (!x)
    return NULL;
  x->rank_gen = rk;
  x->emode = (int)dp_rng_below(&r, DP_AE_COUNT_);
  x->qkmode = dp_rng_below(&r, 4) == 0 ? DP_AQK_TIED : DP_AQK_INDEP;
  static const int eexps[] = {-200, -60, 60, 200}, qkexps[] = {-100, 100};
  x->e_exp = dp_rng_below(&r, 4) == 0 ? eexps[dp_rng_below(&r, 4)] : 0;
  x->qk_exp = dp_rng_below(&r, 4) == 0 ? qkexps[dp_rng_below(&r, 2)] : 0;
  int st = GSL_SUCCESS, done = 1;
  switch (x->emode) {
  case DP_AE_SPAN: st = fill_span(&r, base->S, x->W_E, 0, d); break;
  case DP_AE_CONTAIN: {
    size_t w1 = (rk ? rk : 1) + dp_rng_below(&r, 2);
    w1 = w1 < d ? w1 : d;
    st = fill_span(&r, base->S, x->W_E, 0, w1);
    if (w1 < d) { /* Gaussian columns after the spanned ones */
      gsl_matrix_view rest = gsl_matrix_submatrix(x->W_E, 0, w1, V, d - w1);
      dp_seq_gauss_fill(&r, &rest.matrix);
    }
    break;
  }
  case DP_AE_ORTHO:
    st = fill_ortho(&r, x->W_E);
    x->e_exp = 0; /* stays orthonormal */
    break;
  case DP_AE_LOWRANK: {
    size_t mn = V < d ? V : d;
    st = fill_lowrank(&r, x->W_E, mn > 1 ? dp_rng_range(&r, 1, mn - 1) : 1);
    break;
  }
  case DP_AE_REALISE:
    st = fill_realise(base->S, x->W_E, &done);
    x->e_exp = 0; /* W_E already carries S's scale */
    break;
  default: done = 0; break;
  }
  if (!done) { /* Gaussian, or rank(S) > d: no realisation of that width */
    x->emode = DP_AE_GAUSS;
    dp_seq_gauss_fill(&r, x->W_E);
  }
  if (st != GSL_SUCCESS) {
    dp_attn_inst_free(x);
    return NULL;
  }
  dp_seq_gauss_fill(&r, x->W_Q);
  if (x->qkmode == DP_AQK_TIED)
    gsl_matrix_memcpy(x->W_K, x->W_Q);
  else
    dp_seq_gauss_fill(&r, x->W_K);
  gsl_matrix_scale(x->W_E, ldexp(1.0, x->e_exp));
  gsl_matrix_scale(x->W_Q, ldexp(1.0, x->qk_exp));
  gsl_matrix_scale(x->W_K, ldexp(1.0, x->qk_exp));
  return x;
}

struct dp_attn_inst *dp_attn_inst_copy(const struct dp_attn_inst *x)
{
  struct dp_attn_inst *y = attn_alloc(dp_inst_copy(x->base), x->d, x->d_k, x);
  if (y) {
    gsl_matrix_memcpy(y->W_E, x->W_E);
    gsl_matrix_memcpy(y->W_Q, x->W_Q);
    gsl_matrix_memcpy(y->W_K, x->W_K);
  }
  return y;
}

void dp_attn_inst_describe(const struct dp_attn_inst *x, char *buf, size_t n)
{
  char b[200];
  dp_inst_describe(x->base, b, sizeof b);
  snprintf(buf, n, "%s d=%zu d_k=%zu rank(S)=%zu W_E=%s*2^%d W_Q,W_K=%s*2^%d", b, x->d, x->d_k,
           x->rank_gen, dp_attn_emode_name(x->emode), x->e_exp, dp_attn_qkmode_name(x->qkmode),
           x->qk_exp);
}

void dp_attn_inst_print(FILE *f, const struct dp_attn_inst *x)
{
  char b[300];
  dp_attn_inst_describe(x, b, sizeof b);
  fprintf(f, "%s\n", b);
  dp_inst_print(f, x->base);
  dp_print_matrix(f, "W_E", x->W_E);
  dp_print_matrix(f, "W_Q", x->W_Q);
  dp_print_matrix(f, "W_K", x->W_K);
}

/* --- shrinking ------------------------------------------------------------------------- */

/* An attention instance around a shrunk base (taken; NULL: no candidate): W_E's row a moves
 * to row map[a] (words with map[a] = -1 are dropped); map NULL: the same words, or the
 * sequence family's drop of the words absent from the sequence (the rest kept in increasing
 * id).  The rest is copied. */
static struct dp_attn_inst *with_base(const struct dp_attn_inst *x, struct dp_inst *base,
                                      const size_t *map)
{
  if (!base)
    return NULL;
  size_t V = x->base->V, *own = malloc(V * sizeof *own);
  struct dp_attn_inst *y = attn_alloc(base, x->d, x->d_k, x);
  if (!y || dp_alloc_ok("shrink", 1, (void *[]){own}) != GSL_SUCCESS ||
      dp_spectral_sym_rank(y->base->S, &y->rank_gen) != GSL_SUCCESS) {
    free(own);
    dp_attn_inst_free(y);
    return NULL;
  }
  if (map)
    memcpy(own, map, V * sizeof *own);
  else if (y->base->V != V) /* the unused words dropped: the rest in id order */
    dp_seq_used_words(x->base->t, x->base->R, V, own, NULL);
  else
    for (size_t a = 0; a < V; a++)
      own[a] = a;
  for (size_t a = 0; a < V; a++)
    if (own[a] != (size_t)-1) {
      gsl_vector_const_view row = gsl_matrix_const_row(x->W_E, a);
      gsl_matrix_set_row(y->W_E, own[a], &row.vector);
    }
  free(own);
  gsl_matrix_memcpy(y->W_Q, x->W_Q);
  gsl_matrix_memcpy(y->W_K, x->W_K);
  return y;
}

/* The instance without half of the unused words (dp_inst_drop_half_unused), W_E's rows
 * following the words kept. */
static struct dp_attn_inst *drop_half_unused(const struct dp_attn_inst *x, int upper)
{
  size_t *map = malloc(x->base->V * sizeof *map);
  struct dp_inst *c = map ? dp_inst_drop_half_unused(x->base, upper, map) : NULL;
  struct dp_attn_inst *y = c ? with_base(x, c, map) : NULL;
  free(map);
  return y;
}

/* The instance with widths d' <= d and d_k' <= d_k: the leading blocks of the weights. */
static struct dp_attn_inst *with_widths(const struct dp_attn_inst *x, size_t d, size_t d_k)
{
  struct dp_attn_inst *y = attn_alloc(dp_inst_copy(x->base), d, d_k, x);
  if (y) {
    gsl_matrix_const_view E = gsl_matrix_const_submatrix(x->W_E, 0, 0, x->base->V, d);
    gsl_matrix_const_view Qv = gsl_matrix_const_submatrix(x->W_Q, 0, 0, d, d_k);
    gsl_matrix_const_view Kv = gsl_matrix_const_submatrix(x->W_K, 0, 0, d, d_k);
    gsl_matrix_memcpy(y->W_E, &E.matrix);
    gsl_matrix_memcpy(y->W_Q, &Qv.matrix);
    gsl_matrix_memcpy(y->W_K, &Kv.matrix);
  }
  return y;
}

/* Does simplification `step` change an entry of A? */
static int step_changes(const gsl_matrix *A, unsigned step, int ex)
{
  for (size_t i = 0; i < A->size1; i++)
    for (size_t j = 0; j < A->size2; j++)
      if (dp_seq_simplify(gsl_matrix_get(A, i, j), step, ex) != gsl_matrix_get(A, i, j))
        return 1;
  return 0;
}

/* W's entries simplified: step 0 undoes the power-of-two scales, 1 rounds to integers, 2 takes
 * signs; NULL when that changes nothing. */
static struct dp_attn_inst *simplify_weights(const struct dp_attn_inst *x, unsigned step)
{
  if (!step_changes(x->W_E, step, x->e_exp) && !step_changes(x->W_Q, step, x->qk_exp) &&
      !step_changes(x->W_K, step, x->qk_exp))
    return NULL;
  struct dp_attn_inst *y = dp_attn_inst_copy(x);
  gsl_matrix *Ws[3] = {y ? y->W_E : NULL, y ? y->W_Q : NULL, y ? y->W_K : NULL};
  for (int m = 0; m < 3 && y; m++) {
    int ex = m == 0 ? x->e_exp : x->qk_exp;
    for (size_t i = 0; i < Ws[m]->size1; i++)
      for (size_t j = 0; j < Ws[m]->size2; j++)
        gsl_matrix_set(Ws[m], i, j, dp_seq_simplify(gsl_matrix_get(Ws[m], i, j), step, ex));
  }
  if (y && step == 0)
    y->e_exp = y->qk_exp = 0;
  return y;
}

/* --- the tactics: the sequence family's, lifted to the base, and the attention's own ------ */

#define ATTN_LIFT(fn, tactic)                                                                 \
  static unsigned fn##_count(const void *p)                                                   \
  {                                                                                           \
    return dp_inst_tactic_count(((const struct dp_attn_inst *)p)->base, tactic);              \
  }                                                                                           \
  static void *fn(const void *p, unsigned i)                                                  \
  {                                                                                           \
    const struct dp_attn_inst *x = p;                                                         \
    return with_base(x, dp_inst_tactic(x->base, tactic, i), NULL);                            \
  }
ATTN_LIFT(attn_halve, DP_SEQ_HALVE)
ATTN_LIFT(attn_drop_token, DP_SEQ_DROP_TOKEN)
ATTN_LIFT(attn_drop_unused, DP_SEQ_DROP_UNUSED)
ATTN_LIFT(attn_unscale_S, DP_SEQ_UNSCALE)
ATTN_LIFT(attn_round_S, DP_SEQ_ROUND)
ATTN_LIFT(attn_sign_S, DP_SEQ_SIGN)

static unsigned attn_nhalves_unused(const void *p)
{
  return dp_inst_unused_words(((const struct dp_attn_inst *)p)->base) >= 2 ? 2 : 0;
}

static void *attn_drop_half_unused(const void *p, unsigned i)
{
  return drop_half_unused(p, (int)i);
}

/* The narrower widths to try, distinct and non-zero: d halved, d_k halved, d - 1, d_k - 1. */
static unsigned attn_nwidths(const void *p)
{
  const struct dp_attn_inst *x = p;
  size_t w[4][2];
  return dp_seq_narrower_widths(x->d, x->d_k, w);
}

static void *attn_narrow(const void *p, unsigned i)
{
  const struct dp_attn_inst *x = p;
  size_t w[4][2];
  unsigned n = dp_seq_narrower_widths(x->d, x->d_k, w);
  return i < n ? with_widths(x, w[i][0], w[i][1]) : NULL;
}

static void *attn_unscale_W(const void *p, unsigned i) { return (void)i, simplify_weights(p, 0); }
static void *attn_round_W(const void *p, unsigned i) { return (void)i, simplify_weights(p, 1); }
static void *attn_sign_W(const void *p, unsigned i) { return (void)i, simplify_weights(p, 2); }

static const struct dp_tactic attn_tactics[] = {
  {"halve R", attn_halve_count, attn_halve},
  {"drop a token", attn_drop_token_count, attn_drop_token},
  {"drop the unused words", attn_drop_unused_count, attn_drop_unused},
  {"drop half the unused words", attn_nhalves_unused, attn_drop_half_unused},
  {"narrow d or d_k", attn_nwidths, attn_narrow},
  {"unscale S", attn_unscale_S_count, attn_unscale_S},
  {"round S", attn_round_S_count, attn_round_S},
  {"take the signs of S", attn_sign_S_count, attn_sign_S},
  {"unscale W", dp_tactic_once, attn_unscale_W},
  {"round W", dp_tactic_once, attn_round_W},
  {"take the signs of W", dp_tactic_once, attn_sign_W},
};

static void *gen_make(uint64_t seed, const struct dp_sizes *sz)
{
  return dp_attn_inst_make(seed, sz, 0);
}
static void *gen_make_trunc(uint64_t seed, const struct dp_sizes *sz)
{
  return dp_attn_inst_make(seed, sz, 1);
}
static void gen_free(void *x) { dp_attn_inst_free(x); }
static void gen_describe(const void *x, char *b, size_t n) { dp_attn_inst_describe(x, b, n); }
static void gen_print(FILE *f, const void *x) { dp_attn_inst_print(f, x); }

const struct dp_gen dp_gen_attn = {"attention (realisable)", gen_make, gen_free, gen_describe,
                                   gen_print, attn_tactics,
                                   sizeof attn_tactics / sizeof attn_tactics[0], DP_DIM_R | DP_DIM_V | DP_DIM_DK};
const struct dp_gen dp_gen_attn_trunc = {"attention (truncating)", gen_make_trunc, gen_free,
                                         gen_describe, gen_print, attn_tactics,
                                         sizeof attn_tactics / sizeof attn_tactics[0], DP_DIM_R | DP_DIM_V | DP_DIM_DK};

struct dp_attn_inst *dp_attn_inst_shrink(const struct dp_attn_inst *x, unsigned k)
{
  return dp_gen_candidate(&dp_gen_attn, x, k, NULL);
}

/* --- real text ------------------------------------------------------------------------- */

/* The restricted operator: S = op(X) and Sd = X^> on the sub-vocabulary (ids 0..Vs-1 in the
 * map; every other word is the bucket Vs), counted on the whole corpus. */
static int restricted(const struct dp_corpus *corp, const size_t *map, size_t Vs, int window,
                      int op, gsl_matrix **S, gsl_matrix **Sd)
{
  size_t *ids = malloc((corp->ntok ? corp->ntok : 1) * sizeof *ids);
  size_t *len = malloc(corp->ndoc * sizeof *len), *keep = malloc(Vs * sizeof *keep);
  struct dp_corpus *sub = NULL;
  struct dp_counts *cnt = NULL;
  dp_smat *Sop = NULL;
  int st = dp_alloc_ok("real-text instance", 3, (void *[]){ids, len, keep});
  if (st == GSL_SUCCESS) {
    for (size_t p = 0; p < corp->ntok; p++)
      ids[p] = map[corp->tok[p]] == (size_t)-1 ? Vs : map[corp->tok[p]];
    for (size_t doc = 0; doc < corp->ndoc; doc++)
      len[doc] = corp->doc_start[doc + 1] - corp->doc_start[doc];
    for (size_t a = 0; a < Vs; a++)
      keep[a] = a;
    st = dp_corpus_from_ids(Vs + 1, corp->ndoc, len, ids, &sub);
  }
  if (st == GSL_SUCCESS)
    st = dp_cooc_count(sub, window, DP_WEIGHT_HARMONIC, DP_SMAT_DENSE, &cnt);
  if (st == GSL_SUCCESS)
    st = dp_cooc_operator(cnt->X, (enum dp_sop)op, &Sop);
  if (st == GSL_SUCCESS)
    st = dp_smat_gather(Sop, keep, Vs, keep, Vs, S);
  if (st == GSL_SUCCESS)
    st = dp_smat_gather(cnt->Xr, keep, Vs, keep, Vs, Sd);
  dp_smat_free(Sop);
  dp_counts_free(cnt);
  dp_corpus_free(sub);
  free(ids);
  free(len);
  free(keep);
  return st;
}

int dp_attn_inst_real(const struct dp_env *env, size_t words, size_t R_max, int op,
                      uint64_t seed, struct dp_attn_inst **out, char *label, size_t n)
{
  *out = NULL;
  if (!env || (!env->corpus && !env->corpus_path) || (op != DP_SOP_LOG1P && op != DP_SOP_PPMI) ||
      words == 0 || R_max == 0)
    return DP_ERROR(GSL_EINVAL, "real-text instance: no corpus, an operator other than log1p "
                                "or PPMI, or no words or tokens asked for");
  struct dp_vocab_opts vo = {1, 0};
  struct dp_corpus *own = NULL;
  const struct dp_corpus *corp = env->corpus;
  if (!corp) {
    int st = dp_corpus_read(env->corpus_path, &vo, &own);
    if (st != GSL_SUCCESS)
      return st;
    corp = own;
  }
  size_t *map = malloc(corp->V * sizeof *map), Vs = 0, ndocs = 0;
  struct dp_inst *base = calloc(1, sizeof *base);
  int st = dp_alloc_ok("real-text instance", 2, (void *[]){map, base});
  if (st == GSL_SUCCESS) {
    /* the sub-vocabulary: the words of the first documents, in order of first appearance */
    for (size_t a = 0; a < corp->V; a++)
      map[a] = (size_t)-1;
    for (size_t doc = 0; doc < corp->ndoc && Vs < words; doc++, ndocs++)
      for (size_t p = corp->doc_start[doc]; p < corp->doc_start[doc + 1]; p++)
        map[corp->tok[p]] = map[corp->tok[p]] == (size_t)-1 ? Vs++ : map[corp->tok[p]];
    if (Vs < 2)
      st = DP_ERROR(GSL_EDOM, "real-text instance: the corpus has fewer than 2 words");
  }
  if (st == GSL_SUCCESS)
    st = restricted(corp, map, Vs, env->window, op, &base->S, &base->Sd);
  if (st == GSL_SUCCESS) {
    /* the sequence: the first tokens of the corpus (all in the sub-vocabulary) */
    base->V = Vs;
    base->R = R_max < corp->doc_start[ndocs] ? R_max : corp->doc_start[ndocs];
    base->kind = op == DP_SOP_PPMI ? DP_SK_PPMI : DP_SK_LOG1P;
    base->seed = seed;
    base->t = malloc(base->R * sizeof *base->t);
    st = dp_alloc_ok("real-text instance", 1, (void *[]){base->t});
  }
  if (st == GSL_SUCCESS) {
    for (size_t i = 0; i < base->R; i++)
      base->t[i] = map[corp->tok[i]];
    for (size_t a = 0; a < Vs; a++) /* exactly symmetric already (X is, op is entrywise) */
      for (size_t b = a + 1; b < Vs; b++) {
        double s = 0.5 * (gsl_matrix_get(base->S, a, b) + gsl_matrix_get(base->S, b, a));
        gsl_matrix_set(base->S, a, b, s);
        gsl_matrix_set(base->S, b, a, s);
      }
  }
  struct dp_attn_inst *x = NULL;
  size_t sign[2] = {0, 0};
  if (st == GSL_SUCCESS) {
    st = dp_attn_inst_realised(base, seed, &x, sign);
    base = NULL; /* taken */
  }
  if (st == GSL_SUCCESS) {
    if (label)
      snprintf(label, n,
               "%s of the counts (c=%d, 1/|k|) on the %zu words of the first %zu documents "
               "(of %zu; V=%zu), rank %zu (%zu+, %zu-); sequence: the first %zu tokens",
               dp_sop_name((enum dp_sop)op), env->window, Vs, ndocs, corp->ndoc, corp->V,
               x->rank_gen, sign[0], sign[1], x->base->R);
    *out = x;
  }
  dp_inst_free(base);
  dp_corpus_free(own);
  free(map);
  return st;
}

int dp_attn_inst_realised(struct dp_inst *base, uint64_t seed, struct dp_attn_inst **out,
                          size_t sign[2])
{
  *out = NULL;
  struct dp_spectral_eig e = {0};
  int st = dp_spectral_eig_make(base->S, &e);
  if (st != GSL_SUCCESS) {
    dp_inst_free(base);
    return st;
  }
  size_t d = e.rank ? e.rank : 1;
  struct dp_attn_inst *x = attn_alloc(base, d, d, NULL); /* takes base */
  st = x ? dp_attn_realise(&e, d, d, x->W_E, x->W_Q, x->W_K) : GSL_ENOMEM;
  if (st == GSL_SUCCESS) {
    dp_rng r;
    dp_rng_seed(&r, seed);
    dp_seq_gauss_fill(&r, x->W_Q);
    dp_seq_gauss_fill(&r, x->W_K);
    x->emode = DP_AE_REALISE;
    x->qkmode = DP_AQK_INDEP;
    x->rank_gen = e.rank;
    if (sign) {
      sign[0] = e.npos;
      sign[1] = e.nneg;
    }
    *out = x;
  } else {
    dp_attn_inst_free(x);
  }
  dp_spectral_eig_free(&e);
  return st;
}

static void free_attn(void *x) { dp_attn_inst_free(x); }

int dp_attn_inst_shared(const struct dp_ctx *ctx, size_t words, size_t R_max, int op,
                        const struct dp_attn_inst **out, char *label, size_t n)
{
  char key[128];
  const char *lab = "";
  uint64_t seed = dp_ctx_stream(ctx, "real text");
  snprintf(key, sizeof key, "attention, real text: %zu words, R <= %zu, operator %d, window %d, "
           "seed %llu", words, R_max, op, ctx->env->window, (unsigned long long)seed);
  *out = dp_cache_get(ctx->cache, key, &lab);
  if (!*out) {
    struct dp_attn_inst *x = NULL;
    char buf[200] = "";
    int st = dp_attn_inst_real(ctx->env, words, R_max, op, seed, &x, buf, sizeof buf);
    if (st == GSL_SUCCESS)
      st = dp_cache_put(ctx->cache, key, x, free_attn, buf);
    if (st != GSL_SUCCESS)
      return st;
    *out = dp_cache_get(ctx->cache, key, &lab);
  }
  if (label && n)
    snprintf(label, n, "%s", lab);
  return GSL_SUCCESS;
}

int dp_attn_cases(const struct dp_ctx *ctx, const int *ops, size_t nops, dp_attn_adapt_fn *adapt,
                  void (*check)(const void *, struct dp_outcome *),
                  void (*twin)(const void *, struct dp_outcome *), struct dp_case_row *rows,
                  size_t max, size_t *nrows)
{
  *nrows = 0;
  if (!ctx->env->corpus && !ctx->env->corpus_path)
    return GSL_SUCCESS; /* no corpus: no real-text rows */
  int st = GSL_SUCCESS;
  for (size_t i = 0; i < nops && i < max && st == GSL_SUCCESS; i++) {
    const struct dp_attn_inst *x = NULL;
    struct dp_attn_inst view, *own = NULL;
    char label[200], suffix[64] = "";
    st = dp_attn_inst_shared(ctx, DP_ATTN_REAL_WORDS, DP_ATTN_REAL_R, ops[i], &x, label,
                                     sizeof label);
    if (st == GSL_SUCCESS && adapt && !(x = adapt(x, i, &view, &own, suffix, sizeof suffix)))
      st = GSL_ENOMEM;
    if (st == GSL_SUCCESS) {
      snprintf(rows[i].label, sizeof rows[i].label, "%.160s%s", label, suffix);
      dp_case_row_measure(&rows[i], check, twin, x);
      dp_case_row_probe(&rows[i], ctx->claim, x);
      (*nrows)++;
    }
    dp_attn_inst_free(own);
  }
  return st;
}
