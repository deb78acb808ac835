/* family_heads.c: seeded multi-head attention instances for claim C16, and their shrinking.
 *
 * A multi-head instance is a sequence instance of family.c, aimed at rows that vary
 * (dp_inst_make_aimed, DP_AIM_VARIED: R >= 3, V >= 2 and a non-zero S in 7 of 8; the rest
 * the family's own mix: R = 1, one word, the zero operator), with S of every kind (PSD,
 * indefinite, rank-deficient, counts, log1p, PPMI, scaled by powers of two), and the widths
 * drawn against S's numerical rank r: d >= max(r, 2) in 7 of 8 (the premise rank(S) <= d),
 * any d in 1..V+3 otherwise; d_k >= d in 3 of 4 (every head then holds its group), a
 * narrower d_k otherwise (heads that may not); h in 2..min(d, d_k, d_v, 8) in 7 of 8 where
 * the widths allow, else 1 (d not divisible by h comes from the draw); d_v in h..3h, d_out in
 * 1..5.  W_V (d x d_v) and W_O (d_v x d_out) are Gaussian, scaled by 2^w_exp (0, or +-30,
 * +-100 in 1 of 4).  The embedding and the per-head query and key weights are not stored:
 * they are the realisation of S (dp_heads_realise).  Shrinking: the sequence's tokens and
 * words (the weights do not depend on V), fewer heads, narrower widths (the leading blocks
 * of W_V and W_O), then S's entries, then W_V's and W_O's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "attn.h"
#include "err.h"
#include "family_heads.h"
#include "rng.h"
#include "seed.h"
#include "spectral.h"

void dp_heads_inst_free(struct dp_heads_inst *x)
{
  if (!x)
    return;
  dp_inst_free(x->base);
  gsl_matrix_free(x->W_V);
  gsl_matrix_free(x->W_O);
  free(x);
}

/* An instance around base (taken, even on failure) with zero weights of the given widths;
 * w_exp and rank_gen copied from `like` when it is not NULL. */
static struct dp_heads_inst *heads_alloc(struct dp_inst *base, size_t d, size_t d_k, size_t d_v,
                                         size_t d_out, size_t h, const struct dp_heads_inst *like)
{
  struct dp_heads_inst *x = calloc(1, sizeof *x);
  if (!x || !base) {
    free(x);
    dp_inst_free(base);
    DP_ERROR(GSL_ENOMEM, "multi-head instance: out of memory");
    return NULL;
  }
  x->base = base;
  x->d = d;
  x->d_k = d_k;
  x->d_v = d_v;
  x->d_out = d_out;
  x->h = h;
  x->W_V = gsl_matrix_calloc(d, d_v);
  x->W_O = gsl_matrix_calloc(d_v, d_out);
  if (dp_alloc_ok("multi-head instance", 2, (void *[]){x->W_V, x->W_O}) != GSL_SUCCESS) {
    dp_heads_inst_free(x);
    return NULL;
  }
  if (like) {
    x->w_exp = like->w_exp;
    x->rank_gen = like->rank_gen;
  }
  return x;
}

static size_t min3(size_t a, size_t b, size_t c)
{
  size_t m = a < b ? a : b;
  return m < c ? m : c;
}

/* S replaced by its best rank-k approximation S_k (Eckart-Young), made exactly symmetric;
 * *rk its numerical rank.  Non-zero (error recorded) on failure. */
static int truncate_S(struct dp_inst *b, size_t k, size_t *rk)
{
  struct dp_spectral_eig e;
  int st = dp_spectral_eig_make(b->S, &e);
  if (st == GSL_SUCCESS)
    st = dp_attn_truncate(&e, k, b->S);
  dp_spectral_eig_free(&e);
  if (st != GSL_SUCCESS)
    return st;
  for (size_t a = 0; a < b->V; a++)
    for (size_t c = a + 1; c < b->V; c++) {
      double m = (gsl_matrix_get(b->S, a, c) + gsl_matrix_get(b->S, c, a)) / 2;
      gsl_matrix_set(b->S, a, c, m);
      gsl_matrix_set(b->S, c, a, m);
    }
  return dp_spectral_sym_rank(b->S, rk);
}

struct dp_heads_inst *dp_heads_inst_make(uint64_t seed, const struct dp_sizes *sz)
{
  struct dp_inst *base = dp_inst_make_aimed(seed, sz, DP_AIM_VARIED);
  size_t rk = 0;
  if (!base || dp_spectral_sym_rank(base->S, &rk) != GSL_SUCCESS) {
    dp_inst_free(base);
    return NULL;
  }
  dp_rng r;
  dp_rng_seed(&r, dp_seed_stream(seed, "heads widths"));
  /* narrow keys (--max-dk): in 3 of 4 such instances S becomes its best approximation of rank
   * dk_max (symmetrised exactly), so that the heads can hold it and the claim is measured */
  if (sz->dk_max && rk > sz->dk_max && dp_rng_below(&r, 4) && truncate_S(base, sz->dk_max, &rk)) {
    dp_inst_free(base);
    return NULL;
  }
  size_t V = base->V, d, d_k, d_v, d_out, h = 1;
  d = dp_rng_below(&r, 8) ? (rk > 2 ? rk : 2) + dp_rng_below(&r, 4) : dp_rng_range(&r, 1, V + 3);
  d_k = dp_rng_below(&r, 4) ? d + dp_rng_below(&r, 3) : dp_rng_range(&r, 1, d);
  if (sz->dk_max && d_k > sz->dk_max)
    d_k = sz->dk_max;
  size_t hmax = min3(d, d_k, DP_HEADS_MAX);
  if (hmax >= 2 && dp_rng_below(&r, 8))
    h = dp_rng_range(&r, 2, hmax);
  d_v = h + dp_rng_below(&r, 2 * h + 1);
  d_out = dp_rng_range(&r, 1, 5);
  struct dp_heads_inst *x = heads_alloc(base, d, d_k, d_v, d_out, h, NULL);
  if (!x)
    return NULL;
  x->rank_gen = rk;
  static const int wexps[] = {-100, -30, 30, 100};
  x->w_exp = dp_rng_below(&r, 4) == 0 ? wexps[dp_rng_below(&r, 4)] : 0;
  dp_seq_gauss_fill(&r, x->W_V);
  dp_seq_gauss_fill(&r, x->W_O);
  gsl_matrix_scale(x->W_V, ldexp(1.0, x->w_exp));
  gsl_matrix_scale(x->W_O, ldexp(1.0, x->w_exp));
  return x;
}

/* A copy of x with other widths (each at most x's): the leading blocks of W_V and W_O. */
static struct dp_heads_inst *with_widths(const struct dp_heads_inst *x, size_t d, size_t d_k,
                                         size_t d_v, size_t d_out, size_t h)
{
  if (h == 0 || h > d || h > d_k || h > d_v || h > DP_HEADS_MAX || d_out == 0 || d > x->d ||
      d_v > x->d_v || d_out > x->d_out) {
    DP_ERROR(GSL_EINVAL, "multi-head instance: widths d=%zu d_k=%zu d_v=%zu d_out=%zu h=%zu",
             d, d_k, d_v, d_out, h);
    return NULL;
  }
  struct dp_heads_inst *y = heads_alloc(dp_inst_copy(x->base), d, d_k, d_v, d_out, h, x);
  if (y) {
    gsl_matrix_const_view V = gsl_matrix_const_submatrix(x->W_V, 0, 0, d, d_v);
    gsl_matrix_const_view O = gsl_matrix_const_submatrix(x->W_O, 0, 0, d_v, d_out);
    gsl_matrix_memcpy(y->W_V, &V.matrix);
    gsl_matrix_memcpy(y->W_O, &O.matrix);
  }
  return y;
}

struct dp_heads_inst *dp_heads_inst_with_h(const struct dp_heads_inst *x, size_t h)
{
  return with_widths(x, x->d, x->d_k, x->d_v, x->d_out, h);
}

struct dp_heads_inst *dp_heads_inst_copy(const struct dp_heads_inst *x)
{
  return with_widths(x, x->d, x->d_k, x->d_v, x->d_out, x->h);
}

struct dp_heads_inst *dp_heads_inst_around(const struct dp_inst *base, size_t d, size_t d_k,
                                           size_t d_v, size_t d_out, size_t h, uint64_t seed)
{
  if (h == 0 || h > d || h > d_k || h > d_v || h > DP_HEADS_MAX || d_out == 0) {
    DP_ERROR(GSL_EINVAL, "multi-head instance: widths d=%zu d_k=%zu d_v=%zu d_out=%zu h=%zu",
             d, d_k, d_v, d_out, h);
    return NULL;
  }
  struct dp_heads_inst *x = heads_alloc(dp_inst_copy(base), d, d_k, d_v, d_out, h, NULL);
  if (x && dp_spectral_sym_rank(x->base->S, &x->rank_gen) != GSL_SUCCESS) {
    dp_heads_inst_free(x);
    return NULL;
  }
  if (x) {
    dp_rng r;
    dp_rng_seed(&r, seed);
    dp_seq_gauss_fill(&r, x->W_V);
    dp_seq_gauss_fill(&r, x->W_O);
  }
  return x;
}

void dp_heads_inst_describe(const struct dp_heads_inst *x, char *buf, size_t n)
{
  char b[200];
  dp_inst_describe(x->base, b, sizeof b);
  snprintf(buf, n, "%s rank(S)=%zu d=%zu d_k=%zu d_v=%zu d_out=%zu h=%zu W_V,W_O*2^%d", b,
           x->rank_gen, x->d, x->d_k, x->d_v, x->d_out, x->h, x->w_exp);
}

void dp_heads_inst_print(FILE *f, const struct dp_heads_inst *x)
{
  char b[300];
  dp_heads_inst_describe(x, b, sizeof b);
  fprintf(f, "%s\n", b);
  dp_inst_print(f, x->base);
  dp_print_matrix(f, "W_V", x->W_V);
  dp_print_matrix(f, "W_O", x->W_O);
}

/* --- shrinking ------------------------------------------------------------------------- */

/* x around a shrunk base (taken; NULL: no candidate); the weights are copied. */
static struct dp_heads_inst *with_base(const struct dp_heads_inst *x, struct dp_inst *base)
{
  if (!base)
    return NULL;
  struct dp_heads_inst *y = heads_alloc(base, x->d, x->d_k, x->d_v, x->d_out, x->h, x);
  if (y && dp_spectral_sym_rank(y->base->S, &y->rank_gen) != GSL_SUCCESS) {
    dp_heads_inst_free(y);
    return NULL;
  }
  if (y) {
    gsl_matrix_memcpy(y->W_V, x->W_V);
    gsl_matrix_memcpy(y->W_O, x->W_O);
  }
  return y;
}

#define HEADS_LIFT(fn, tactic)                                                                \
  static unsigned fn##_count(const void *p)                                                   \
  {                                                                                           \
    return dp_inst_tactic_count(((const struct dp_heads_inst *)p)->base, tactic);             \
  }                                                                                           \
  static void *fn(const void *p, unsigned i)                                                  \
  {                                                                                           \
    const struct dp_heads_inst *x = p;                                                        \
    return with_base(x, dp_inst_tactic(x->base, tactic, i));                                  \
  }
HEADS_LIFT(heads_halve, DP_SEQ_HALVE)
HEADS_LIFT(heads_drop_token, DP_SEQ_DROP_TOKEN)
HEADS_LIFT(heads_drop_unused, DP_SEQ_DROP_UNUSED)
HEADS_LIFT(heads_unscale_S, DP_SEQ_UNSCALE)
HEADS_LIFT(heads_round_S, DP_SEQ_ROUND)
HEADS_LIFT(heads_sign_S, DP_SEQ_SIGN)

/* Half the unused words dropped (either half): the weights do not depend on V. */
static unsigned heads_nhalves_unused(const void *p)
{
  return dp_inst_unused_words(((const struct dp_heads_inst *)p)->base) >= 2 ? 2 : 0;
}
static void *heads_drop_half_unused(const void *p, unsigned i)
{
  const struct dp_heads_inst *x = p;
  struct dp_inst *c = dp_inst_drop_half_unused(x->base, (int)i, NULL);
  return c ? with_base(x, c) : NULL;
}

/* Fewer heads: h / 2 and h - 1 (distinct, >= 1). */
static unsigned fewer(const struct dp_heads_inst *x, size_t *hs)
{
  unsigned n = 0;
  if (x->h >= 2)
    hs[n++] = x->h / 2;
  if (x->h >= 3 && x->h - 1 != x->h / 2)
    hs[n++] = x->h - 1;
  return n;
}

static unsigned heads_nfewer(const void *p)
{
  size_t hs[2];
  return fewer(p, hs);
}

static void *heads_fewer(const void *p, unsigned i)
{
  size_t hs[2];
  return i < fewer(p, hs) ? dp_heads_inst_with_h(p, hs[i]) : NULL;
}

/* Narrower widths that keep every head at least 1 wide: d, d_k, d_v halved and less one,
 * d_out less one; distinct. */
static unsigned narrower(const struct dp_heads_inst *x, size_t w[7][4])
{
  size_t d = x->d, k = x->d_k, v = x->d_v, o = x->d_out, h = x->h;
  size_t want[7][4] = {{d / 2, k, v, o}, {d, k / 2, v, o}, {d, k, v / 2, o}, {d - 1, k, v, o},
                       {d, k - 1, v, o}, {d, k, v - 1, o}, {d, k, v, o - 1}};
  unsigned n = 0;
  for (int i = 0; i < 7; i++) {
    int skip = want[i][0] < h || want[i][1] < h || want[i][2] < h || want[i][3] == 0;
    for (unsigned j = 0; j < n && !skip; j++)
      skip = !memcmp(w[j], want[i], sizeof want[i]);
    if (!skip)
      memcpy(w[n++], want[i], sizeof want[i]);
  }
  return n;
}

static unsigned heads_nnarrow(const void *p)
{
  size_t w[7][4];
  return narrower(p, w);
}

static void *heads_narrow(const void *p, unsigned i)
{
  const struct dp_heads_inst *x = p;
  size_t w[7][4];
  unsigned n = narrower(x, w);
  return i < n ? with_widths(x, w[i][0], w[i][1], w[i][2], w[i][3], x->h) : NULL;
}

/* W_V's and W_O's entries simplified (dp_seq_simplify's steps); NULL when nothing changes. */
static void *simplify_weights(const struct dp_heads_inst *x, unsigned step)
{
  struct dp_heads_inst *y = dp_heads_inst_copy(x);
  int changed = 0;
  gsl_matrix *Ws[2] = {y ? y->W_V : NULL, y ? y->W_O : NULL};
  for (int m = 0; m < 2 && y; m++)
    for (size_t i = 0; i < Ws[m]->size1; i++)
      for (size_t j = 0; j < Ws[m]->size2; j++) {
        double v = gsl_matrix_get(Ws[m], i, j), s = dp_seq_simplify(v, step, x->w_exp);
        changed |= s != v;
        gsl_matrix_set(Ws[m], i, j, s);
      }
  if (y && step == 0)
    y->w_exp = 0;
  if (y && !changed) {
    dp_heads_inst_free(y);
    y = NULL;
  }
  return y;
}

static void *heads_unscale_W(const void *p, unsigned i) { return (void)i, simplify_weights(p, 0); }
static void *heads_round_W(const void *p, unsigned i) { return (void)i, simplify_weights(p, 1); }
static void *heads_sign_W(const void *p, unsigned i) { return (void)i, simplify_weights(p, 2); }

static const struct dp_tactic heads_tactics[] = {
  {"halve R", heads_halve_count, heads_halve},
  {"drop a token", heads_drop_token_count, heads_drop_token},
  {"drop the unused words", heads_drop_unused_count, heads_drop_unused},
  {"drop half the unused words", heads_nhalves_unused, heads_drop_half_unused},
  {"fewer heads", heads_nfewer, heads_fewer},
  {"narrow d, d_k, d_v or d_out", heads_nnarrow, heads_narrow},
  {"unscale S", heads_unscale_S_count, heads_unscale_S},
  {"round S", heads_round_S_count, heads_round_S},
  {"take the signs of S", heads_sign_S_count, heads_sign_S},
  {"unscale W", dp_tactic_once, heads_unscale_W},
  {"round W", dp_tactic_once, heads_round_W},
  {"take the signs of W", dp_tactic_once, heads_sign_W},
};

static void *gen_make(uint64_t seed, const struct dp_sizes *sz)
{
  return dp_heads_inst_make(seed, sz);
}
static void gen_free(void *x) { dp_heads_inst_free(x); }
static void gen_describe(const void *x, char *b, size_t n) { dp_heads_inst_describe(x, b, n); }
static void gen_print(FILE *f, const void *x) { dp_heads_inst_print(f, x); }

const struct dp_gen dp_gen_heads = {"multi-head attention", gen_make, gen_free, gen_describe,
                                    gen_print, heads_tactics,
                                    sizeof heads_tactics / sizeof heads_tactics[0], DP_DIM_R | DP_DIM_V | DP_DIM_DK};

struct dp_heads_inst *dp_heads_inst_shrink(const struct dp_heads_inst *x, unsigned k)
{
  return dp_gen_candidate(&dp_gen_heads, x, k, NULL);
}
