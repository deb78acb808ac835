/* c07_logits.c: claim C07, attention logits are a projection.
 *
 * Paper: with token representations H = Q W_E (one embedding row per token), the logits are
 * H W_Q W_K^T H^T = Q (W_E W_Q W_K^T W_E^T) Q^T: the projection of the V x V bilinear form
 * B = W_E W_Q W_K^T W_E^T onto the sequence, exactly as M = Q S Q^T projects S.  Checked on
 * each attention instance (any W_E, W_Q, W_K, independent or tied, scaled by powers of two):
 *  (a) H = Q W_E: the gathered rows equal the dense product Q W_E bitwise (a one-hot product
 *      is exact);
 *  (b) the logits by the sequence-side association (H W_Q)(H W_K)^T against the gathered
 *      entries B_{t_i t_j} of B computed by the vocabulary-side association
 *      W_E (W_Q W_K^T) W_E^T.  Test ratio with n = 2d + d_k (each route chains products of
 *      inner dimensions d, d and d_k) and scale = ||H||_F^2 ||W_Q||_F ||W_K||_F, which bounds
 *      |H| |W_Q| |W_K|^T |H|^T and the gathered |W_E| |W_Q| |W_K|^T |W_E|^T alike
 *      (sum_ij ||w_{t_i}||^2 ||w_{t_j}||^2 = ||H||_F^4).
 * Twin: the factors transposed, Q (W_E W_K W_Q^T W_E^T) Q^T, i.e. the transpose of the logits;
 * wrong whenever W_Q W_K^T is not symmetric (it is for tied weights, where the twin holds). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "attn.h"
#include "cooc.h"
#include "select.h"
#include "resid.h"
#include "err.h"
#include "family_attn.h"
#include "props.h"
#include "exact.h"
#include "family.h"

/* The exact tier's entries: uniform in [-2^20, 2^20]. */
#define C07_EXACT_RANGE (1L << 20)

static void run(const struct dp_attn_inst *x, struct dp_outcome *o, int swapped)
{
  const struct dp_inst *b = x->base;
  size_t R = b->R, V = b->V, d = x->d, dk = x->d_k;
  gsl_matrix *H = gsl_matrix_alloc(R, d), *Hd = gsl_matrix_alloc(R, d), *Q = NULL;
  gsl_matrix *L = gsl_matrix_alloc(R, R), *G = gsl_matrix_alloc(V, V), *Mg = gsl_matrix_alloc(R, R);
  const gsl_matrix *A = swapped ? x->W_K : x->W_Q, *Bm = swapped ? x->W_Q : x->W_K;
  int st = dp_alloc_ok("C07", 5, (void *[]){H, Hd, L, G, Mg});
  if (st == GSL_SUCCESS)
    st = dp_attn_embed(b->t, R, x->W_E, H); /* checks the tokens against V */
  if (st == GSL_SUCCESS)
    st = dp_select_Q(b->t, R, V, &Q);
  if (st == GSL_SUCCESS)
    st = dp_attn_logits(H, x->W_Q, x->W_K, L);
  if (st == GSL_SUCCESS)
    st = dp_attn_bilinear(x->W_E, A, Bm, G);
  if (st != GSL_SUCCESS) {
    dp_outcome_broken(o, "logits: %s", dp_err_last());
  } else {
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, Q, x->W_E, 0.0, Hd);
    dp_select_gather(G, b->t, R, Mg);
    dp_part_exact(o, H, Hd, 0, "H = Q W_E (gathered rows vs dense product)");
    double nH = dp_resid_norm(H), n = 2.0 * (double)d + (double)dk;
    double scale = nH * nH * dp_resid_norm(x->W_Q) * dp_resid_norm(x->W_K);
    dp_outcome_part(o, DP_JUDGE_RATIO, dp_resid_matrix_ratio(L, Mg, 0, n, scale),
                    "H W_Q W_K^T H^T = Q (W_E %s W_E^T) Q^T: n=2d+d_k=%g, "
                    "scale=||H||^2 ||W_Q|| ||W_K||=%.3g",
                    swapped ? "W_K W_Q^T" : "W_Q W_K^T", n, scale);
  }
  gsl_matrix_free(H);
  gsl_matrix_free(Hd);
  gsl_matrix_free(Q);
  gsl_matrix_free(L);
  gsl_matrix_free(G);
  gsl_matrix_free(Mg);
}

static void check(const void *inst, struct dp_outcome *o) { run(inst, o, 0); }
static void twin(const void *inst, struct dp_outcome *o)
{
  const struct dp_attn_inst *x = inst;
  if (!dp_twin_skip_one_word(x->base->t, x->base->R, x->base->V,
                             "every logit is h^T W_Q W_K^T h, a scalar equal to its transpose", o))
    run(inst, o, 1);
}

/* Real text: W_E = the realisation U_r |L_r|^(1/2) of log1p counts (an embedding learnt from
 * the corpus), Gaussian W_Q, W_K, the corpus's first tokens as the sequence. */
static int cases(const struct dp_ctx *ctx, struct dp_case_row *rows, size_t max, size_t *nrows)
{
  static const int ops[] = {DP_SOP_LOG1P};
  return dp_attn_cases(ctx, ops, 1, NULL, check, twin, rows, max, nrows);
}

/* --- the exact tier ------------------------------------------------------------------------ */

/* W_E (V x d), W_Q, W_K (d x d_k) uniform in [-2^20, 2^20]: H W_Q (H W_K)^T with H = Q W_E
 * against Q (W_E W_Q W_K^T W_E^T) Q^T, entry for entry (degree 4 in the weights' entries).
 * Twin: the factors swapped, Q (W_E W_K W_Q^T W_E^T) Q^T; it cannot differ for d = 1 (then
 * W_Q W_K^T is 1 x 1, symmetric) nor when every token is one word (each logit is then a
 * quadratic form x^T G x = x^T G^T x): skipped. */
static void exact_check(uint64_t seed, const struct dp_sizes *sz, int twin, struct dp_outcome *o)
{
  struct dp_xdraw x;
  dp_xdraw_make(seed, sz, &x);
  char d[160];
  dp_xdraw_describe(&x, d, sizeof d);
  size_t two = 0;
  for (size_t i = 1; i < x.R; i++)
    two |= x.t[i] != x.t[0];
  if (twin && (x.d == 1 || !two)) { /* x^T G x = x^T G^T x: a quadratic form is its transpose */
    dp_outcome_skip(o, "%s: %s; the twin cannot differ", d, x.d == 1 ? "d = 1, W_Q W_K^T is "
                    "symmetric" : "one word only, every logit a quadratic form");
    return;
  }
  slong R = (slong)x.R, V = (slong)x.V, dd = (slong)x.d, k = (slong)x.dk;
  fmpz_mat_t WE, WQ, WK, Q, Qt, H, HQ, HK, HKt, L, G, GE, EG, EGE, QE, Rt;
  fmpz_mat_init(WE, V, dd), fmpz_mat_init(WQ, dd, k), fmpz_mat_init(WK, dd, k);
  fmpz_mat_init(Q, R, V), fmpz_mat_init(Qt, V, R), fmpz_mat_init(H, R, dd);
  fmpz_mat_init(HQ, R, k), fmpz_mat_init(HK, R, k), fmpz_mat_init(HKt, k, R);
  fmpz_mat_init(L, R, R), fmpz_mat_init(G, dd, dd), fmpz_mat_init(GE, dd, V);
  fmpz_mat_init(EG, V, dd), fmpz_mat_init(EGE, V, V), fmpz_mat_init(QE, R, V);
  fmpz_mat_init(Rt, R, R);
  dp_exact_random(WE, &x.rng, C07_EXACT_RANGE);
  dp_exact_random(WQ, &x.rng, C07_EXACT_RANGE);
  dp_exact_random(WK, &x.rng, C07_EXACT_RANGE);
  dp_exact_selector(Q, x.t);
  fmpz_mat_transpose(Qt, Q);
  fmpz_mat_mul(H, Q, WE);                     /* H = Q W_E */
  fmpz_mat_mul(HQ, H, WQ);
  fmpz_mat_mul(HK, H, WK);
  fmpz_mat_transpose(HKt, HK);
  fmpz_mat_mul(L, HQ, HKt);                   /* the logits */
  fmpz_mat_t WKt;
  fmpz_mat_init(WKt, k, dd);
  if (twin) {                                 /* G = W_K W_Q^T */
    fmpz_mat_t WQt;
    fmpz_mat_init(WQt, k, dd);
    fmpz_mat_transpose(WQt, WQ);
    fmpz_mat_mul(G, WK, WQt);
    fmpz_mat_clear(WQt);
  } else {                                    /* G = W_Q W_K^T */
    fmpz_mat_transpose(WKt, WK);
    fmpz_mat_mul(G, WQ, WKt);
  }
  fmpz_mat_mul(EG, WE, G);
  fmpz_mat_transpose(GE, WE);
  fmpz_mat_mul(EGE, EG, GE);                  /* W_E G W_E^T */
  fmpz_mat_mul(QE, Q, EGE);
  fmpz_mat_mul(Rt, QE, Qt);
  long i0, j0;
  size_t nd = dp_exact_differ(L, Rt, &i0, &j0);
  dp_outcome_part(o, DP_JUDGE_RATIO, nd ? DP_RATIO_FAIL : 0.0,
                  "%s: H W_Q W_K^T H^T = Q (W_E %s W_E^T) Q^T exactly: %zu of %ld entries "
                  "differ, first (%ld, %ld)", d, twin ? "W_K W_Q^T" : "W_Q W_K^T", nd,
                  (long)(R * R), i0, j0);
  fmpz_mat_clear(WKt);
  fmpz_mat_clear(WE), fmpz_mat_clear(WQ), fmpz_mat_clear(WK), fmpz_mat_clear(Q);
  fmpz_mat_clear(Qt), fmpz_mat_clear(H), fmpz_mat_clear(HQ), fmpz_mat_clear(HK);
  fmpz_mat_clear(HKt), fmpz_mat_clear(L), fmpz_mat_clear(G), fmpz_mat_clear(GE);
  fmpz_mat_clear(EG), fmpz_mat_clear(EGE), fmpz_mat_clear(QE), fmpz_mat_clear(Rt);
}

static const struct dp_exact exact = {
  .kind = DP_EXACT_IDENTITY,
  .statement = "H W_Q W_K^T H^T = Q (W_E W_Q W_K^T W_E^T) Q^T",
  .trials = 200,
  .degree = 4,
  .range = C07_EXACT_RANGE,
  .check = exact_check,
};

const struct dp_claim dp_claim_c07 = {
  .id = "C07",
  .slug = "logits",
  .title = "Attention logits are a projection",
  .paper_ref = "Sec. 4 (from M = Q S Q^T to H W_Q W_K^T H^T)",
  .statement =
    "For any W_E (V x d) and W_Q, W_K (d x d_k), with H = Q W_E (R x d): "
    "H W_Q W_K^T H^T = Q (W_E W_Q W_K^T W_E^T) Q^T, i.e. the logits are the projection onto the "
    "sequence of the V x V bilinear form W_E W_Q W_K^T W_E^T; H = Q W_E is a gather (exact).",
  .conditions =
    "None: any sequence (repeated tokens, absent words), any d, d_k >= 1 (d_k > d included), "
    "W_Q and W_K independent or tied, weights scaled by 2^-200..2^200.",
  .judged =
    "H = Q W_E bitwise (gathered rows vs dense product). Logits (H W_Q)(H W_K)^T against the "
    "gathered entries of W_E (W_Q W_K^T) W_E^T by test ratio, n = 2d + d_k, "
    "scale = ||H||_F^2 ||W_Q||_F ||W_K||_F.",
  .twin_statement =
    "The factors swapped: H W_Q W_K^T H^T = Q (W_E W_K W_Q^T W_E^T) Q^T (the transpose; right "
    "only when W_Q W_K^T is symmetric, e.g. tied weights).",
  .gen = &dp_gen_attn,
  .check = check,
  .twin = twin,
  .tol_kind = DP_JUDGE_RATIO,
  .tol = DP_TOL_RATIO,
  .trials = 100,
  .cases = cases,
  .holds_under = "any W_E, W_Q, W_K",
  .exact = &exact,
  .theorems = (const char *const[]){"c07_logits", NULL},
};
