/* c10_values.c: claim C10, values W_V = W_E^+ S and the end-to-end linear attention identity.
 *
 * Paper: H W_V = Q S when W_E W_V = S, which is solvable iff col(S) lies in col(W_E), and then
 * W_V = W_E^+ S; with C08's weights, unnormalised (linear) attention reproduces the
 * vocabulary-level predictions: (H W_Q W_K^T H^T / sqrt(d_k)) (H W_V) = M Q S = E.
 * Checked on each attention instance (W_E Gaussian, spanned by S, containing S's columns,
 * orthonormal, rank-deficient, or C08's realisation):
 *  (a) W_V = W_E^+ S by SVD.  Whether col(S) lies in col(W_E) is decided by a route
 *      independent of the SVD: the distance ||(I - B B^T) S||_F with B from QR with column
 *      pivoting, "in" when its test ratio is within tolerance.  In: W_E W_V = S, and
 *      H W_V = Q S, by test ratios, each beyond the distance (exactly what S lacks of being
 *      in col(W_E): an S just outside by a few rounding units is judged by what it is, a
 *      least-squares solve, and the branch only names the case).  Not in: no W_V solves W_E W_V = S; the least-squares
 *      residual ||W_E W_V - S|| must equal the distance (the best any W_V can do), by test
 *      ratio of the difference, and is reported relative to ||S||; and since that norm is
 *      stationary in W_V, the normal equations W_E^T (W_E W_V - S) = 0 are tested too
 *      (first order: a W_V off by a small relative amount fails them), with scale
 *      ||W_E|| s_V (a backward-stable solve leaves eps ||W_E|| (||r|| + ||W_E|| ||W_V||)).
 *      n = max(V, d),
 *      scale = kappa(W_E) ||S||_F + ||W_E||_F ||W_E^+ S||_F (Wedin: the least-squares residual
 *      moves by eps kappa ||S|| under backward-stable perturbations; the product W_E W_V
 *      rounds by eps ||W_E|| ||W_V||), times sqrt(max_a n_a) at the sequence level.
 *  (b) with C08's weights (when rank(S) <= min(d, d_k)): W_V = W_E^+ S, H W_V = Q S (as in
 *      (a)), and the linear attention identity
 *      (H W_Q W_K^T H^T / sqrt(d_k))(H W_V) = E, E = M (Q S) from the gathered M: test ratio
 *      with n = max(V + 2d + d_k, max(V, d), R) and scale = s_L ||HV|| + ||L|| s_V +
 *      ||L|| ||HV||, s_L = ||H||^2 + max_a n_a ||S|| (C08's scale), s_V (a)'s scale, where
 *      ||L|| = max(||M||, ||L computed||) and ||HV|| = max(||Q S||, ||H W_V computed||): the
 *      scale bounds the rounding of the factors as computed, which stay rounding-sized (not
 *      0) when M = Q S = 0 exactly because every token's row of S is zero.  The weights
 *      realise S_r (the eigenvalues above the rank threshold), so the residual is judged
 *      beyond ||S - S_r|| (max_a n_a ||Q S|| + sqrt(max_a n_a) ||L||), what S_r leaves out.
 * Twin: W_V = W_E^T S (right only when W_E has orthonormal columns or rows), judged by the
 * same parts on the same instances, with the same scales (they belong to the problem: kappa
 * and W_E^+ S, whatever W_V is tried). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "attn.h"
#include "cooc.h"
#include "select.h"
#include "project.h"
#include "resid.h"
#include "spectral.h"
#include "err.h"
#include "exact.h"
#include "family.h"
#include "family_attn.h"
#include "props.h"

/* The exact tier's entries: uniform in [-2^20, 2^20]. */
#define C10_EXACT_RANGE (1L << 20)

/* W_V by the claim (pinv) or the twin (transpose), and the scale of the problem
 * kappa(W_E) ||S||_F + ||W_E||_F ||W_E^+ S||_F, the same for claim and twin. */
static int values(const gsl_matrix *W_E, const gsl_matrix *S, int twin, gsl_matrix *W_V,
                  double *sV)
{
  size_t rank;
  double cond = NAN;
  int st = dp_attn_values(W_E, S, W_V, &rank, &cond);
  *sV = cond * dp_resid_norm(S) + dp_resid_norm(W_E) * dp_resid_norm(W_V);
  if (twin)
    gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, W_E, S, 0.0, W_V);
  return st;
}

/* Part (a) on weights W_E (V x d); W_V (d x V) receives the values; returns the scale s_V
 * (NaN when broken). */
/* The parts that not every instance reaches, in the order of dp_outcome_ran's index: the two
 * branches of (a) on the instance's own W_E, and (b). */
enum { PART_IN, PART_LSQ, PART_LINEAR };
static const char *const parts[] = {"values, col(S) in col(W_E)",
                                    "values, least squares (col(S) not in col(W_E))",
                                    "linear attention (C08's premise)", NULL};

static double values_part(const struct dp_inst *b, const gsl_matrix *W_E, int twin,
                          const char *tag, gsl_matrix *W_V, struct dp_outcome *o)
{
  size_t V = b->V, R = b->R, d = W_E->size2, nmax = dp_max_multiplicity(b->t, R, V, NULL);
  gsl_matrix *P = gsl_matrix_alloc(V, V), *H = gsl_matrix_alloc(R, d), *HV = gsl_matrix_alloc(R, V);
  gsl_matrix *QS = gsl_matrix_alloc(R, V);
  double dist = NAN, sV = NAN;
  size_t qr = 0;
  int st = dp_alloc_ok("C10", 4, (void *[]){P, H, HV, QS});
  if (st == GSL_SUCCESS)
    st = dp_attn_embed(b->t, R, W_E, H); /* checks the tokens against V */
  if (st == GSL_SUCCESS)
    st = values(W_E, b->S, twin, W_V, &sV);
  if (st == GSL_SUCCESS)
    st = dp_attn_col_distance(W_E, b->S, &dist, &qr);
  if (st != GSL_SUCCESS) {
    dp_outcome_broken(o, "values: %s", dp_err_last());
    sV = NAN;
    goto out;
  }
  gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, W_E, W_V, 0.0, P);
  gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, H, W_V, 0.0, HV);
  dp_select_rows(b->S, b->t, R, QS);
  double nS = dp_resid_norm(b->S), n = (double)(V > d ? V : d);
  double res = dp_resid_diff(P, b->S, 0), rdist = dp_resid_ratio(dist, n, sV);
  const char *wv = twin ? "W_E^T S" : "W_E^+ S";
  /* The branch is only a label: both judge ||W_E W_V - S|| against the distance, so that an
   * S just outside col(W_E) by a few rounding units (rdist near the threshold) is judged
   * by what it is, a least-squares solve whose residual is that distance. */
  if (rdist <= DP_TOL_RATIO) {
    dp_outcome_part(o, DP_JUDGE_RATIO, dp_resid_ratio(fabs(res - dist), n, sV),
                    "%s: col(S) in col(W_E) (QRPT rank %zu, distance ratio %.2g): W_E W_V = S "
                    "up to the distance, W_V = %s: n=max(V,d)=%g, scale=kappa ||S||+||W_E|| "
                    "||W_E^+ S||=%.3g", tag, qr, rdist, wv, n, sV);
    /* H W_V - Q S = Q (W_E W_V - S): at most sqrt(max n_a) times the distance exactly */
    double sq = sqrt((double)nmax) * sV;
    dp_outcome_part(o, DP_JUDGE_RATIO,
                    dp_resid_ratio(dp_resid_excess(dp_resid_diff(HV, QS, 0),
                                                   sqrt((double)nmax) * dist), n, sq),
                    "%s: H W_V = Q S beyond sqrt(max n_a) dist, W_V = %s: n=max(V,d)=%g, "
                    "scale=sqrt(max n_a) (kappa ||S||+||W_E|| ||W_E^+ S||)=%.3g", tag, wv, n, sq);
    dp_outcome_ran(o, PART_IN);
  } else {
    dp_outcome_part(o, DP_JUDGE_RATIO, dp_resid_ratio(fabs(res - dist), n, sV),
                    "%s: col(S) not in col(W_E) (QRPT rank %zu): ||W_E W_V - S|| = %.6g vs "
                    "dist(S, col W_E) = %.6g (%.3g of ||S||), W_V = %s: n=%g, scale=%.3g",
                    tag, qr, res, dist, dist / nS, wv, n, sV);
    /* The residual's norm is stationary at the optimum, so a W_V off by a small relative
     * amount still matches the distance; the normal equations W_E^T (W_E W_V - S) = 0 test
     * it to first order.  A backward-stable least-squares solve leaves them at most
     * eps ||W_E|| (||W_E W_V - S|| + ||W_E|| ||W_V||) <= eps ||W_E|| s_V. */
    double ne = NAN;
    if (dp_attn_normal_residual(W_E, W_V, b->S, &ne, NULL) != GSL_SUCCESS) {
      dp_outcome_broken(o, "normal equations: %s", dp_err_last());
    } else {
      double sn = dp_resid_norm(W_E) * sV;
      dp_outcome_part(o, DP_JUDGE_RATIO, dp_resid_ratio(ne, n, sn),
                      "%s: normal equations W_E^T (W_E W_V - S) = 0, W_V = %s: ||.|| = %.3g: "
                      "n=%g, scale=||W_E|| s_V=%.3g", tag, wv, ne, n, sn);
      dp_outcome_ran(o, PART_LSQ);
    }
  }
out:
  gsl_matrix_free(P);
  gsl_matrix_free(H);
  gsl_matrix_free(HV);
  gsl_matrix_free(QS);
  return sV;
}

/* Part (b): C08's weights, their values and the linear attention identity. */
static void linear_part(const struct dp_attn_inst *x, int twin, struct dp_outcome *o)
{
  const struct dp_inst *b = x->base;
  size_t V = b->V, R = b->R, d = x->d, dk = x->d_k, nmax = dp_max_multiplicity(b->t, R, V, NULL);
  struct dp_spectral_eig e = {0};
  gsl_matrix *W_E = gsl_matrix_alloc(V, d), *W_Q = gsl_matrix_alloc(d, dk), *W_K = gsl_matrix_alloc(d, dk);
  gsl_matrix *W_V = gsl_matrix_alloc(d, V), *L = gsl_matrix_alloc(R, R), *H = gsl_matrix_alloc(R, d);
  gsl_matrix *HV = gsl_matrix_alloc(R, V), *LHV = gsl_matrix_alloc(R, V), *M = gsl_matrix_alloc(R, R);
  gsl_matrix *QS = gsl_matrix_alloc(R, V), *E = gsl_matrix_alloc(R, V);
  double nH = NAN;
  int st = dp_alloc_ok("C10", 11, (void *[]){W_E, W_Q, W_K, W_V, L, H, HV, LHV, M, QS, E});
  if (st == GSL_SUCCESS)
    st = dp_spectral_eig_make(b->S, &e);
  if (st != GSL_SUCCESS) {
    dp_outcome_broken(o, "C08 weights: %s", dp_err_last());
    goto out;
  }
  if (e.rank > d || e.rank > dk) /* C08's premise fails: only part (a) applies */
    goto out;
  dp_attn_realise(&e, d, dk, W_E, W_Q, W_K); /* the premise holds: no failure */
  unsigned ran = o->ran; /* (a) on C08's weights is part (b)'s, not a branch of (a) */
  double sV = values_part(b, W_E, twin, "C08 weights", W_V, o);
  o->ran = ran;
  if (o->status != DP_MEASURED)
    goto out;
  if (dp_attn_scores(b->t, R, W_E, W_Q, W_K, L, &nH) != GSL_SUCCESS) {
    dp_outcome_broken(o, "linear attention: %s", dp_err_last());
    goto out;
  }
  dp_attn_embed(b->t, R, W_E, H); /* the tokens were checked by values_part */
  gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, H, W_V, 0.0, HV);
  gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, L, HV, 0.0, LHV);
  dp_select_gather(b->S, b->t, R, M);
  dp_select_rows(b->S, b->t, R, QS);
  dp_project_E(M, QS, E);
  /* The rounding of what was computed: the norms of the computed factors L and H W_V, not
   * only of their exact values M and Q S (which can be exactly 0 while L and H W_V are
   * rounding-sized: every token's row of S zero). */
  double nS = dp_resid_norm(b->S), nM = dp_resid_norm(M), nQS = dp_resid_norm(QS);
  double nL = fmax(nM, dp_resid_norm(L)), nHV = fmax(nQS, dp_resid_norm(HV));
  double sL = nH * nH + (double)nmax * nS, sq = sqrt((double)nmax) * sV;
  double n = fmax((double)(V + 2 * d + dk), (double)R);
  double scale = sL * nHV + nL * sq + nL * nHV;
  /* C08's weights realise S_r = S - S_d (S_d: the eigenvalues under the rank threshold), so
   * L = Q S_r Q^T and H W_V = Q S_r exactly, and E - L H W_V = Q S_d Q^T Q S + Q S_r Q^T Q S_d:
   * at most ||S_d|| (max n_a ||Q S|| + sqrt(max n_a) ||L||); only the rest is rounding */
  double drop = dp_spectral_dropped(&e) * ((double)nmax * nQS + sqrt((double)nmax) * nL);
  dp_outcome_part(o, DP_JUDGE_RATIO,
                  dp_resid_ratio(dp_resid_excess(dp_resid_diff(LHV, E, 0), drop), n, scale),
                  "linear attention (H W_Q W_K^T H^T/sqrt(d_k))(H W_V) = M Q S = E, W_V = %s: "
                  "n=%g, scale=s_L ||HV||+||L|| s_V+||L|| ||HV||=%.3g",
                  twin ? "W_E^T S" : "W_E^+ S", n, scale);
  dp_outcome_ran(o, PART_LINEAR);
out:
  dp_spectral_eig_free(&e);
  gsl_matrix_free(W_E);
  gsl_matrix_free(W_Q);
  gsl_matrix_free(W_K);
  gsl_matrix_free(W_V);
  gsl_matrix_free(L);
  gsl_matrix_free(H);
  gsl_matrix_free(HV);
  gsl_matrix_free(LHV);
  gsl_matrix_free(M);
  gsl_matrix_free(QS);
  gsl_matrix_free(E);
}

static void run(const void *inst, struct dp_outcome *o, int twin)
{
  const struct dp_attn_inst *x = inst;
  gsl_matrix *W_V = gsl_matrix_alloc(x->d, x->base->V);
  char tag[64];
  snprintf(tag, sizeof tag, "W_E %s", dp_attn_emode_name(x->emode));
  if (dp_alloc_ok("C10", 1, (void *[]){W_V}) != GSL_SUCCESS)
    dp_outcome_broken(o, "values: %s", dp_err_last());
  else
    values_part(x->base, x->W_E, twin, tag, W_V, o);
  gsl_matrix_free(W_V);
  if (o->status == DP_MEASURED)
    linear_part(x, twin, o);
}

static void check(const void *inst, struct dp_outcome *o) { run(inst, o, 0); }
static void twin(const void *inst, struct dp_outcome *o) { run(inst, o, 1); }

/* Real text: log1p counts on the words of the first verses with C08's W_E (col(S) in
 * col(W_E)), and with its leading half (col(S) not in col(W_E)). */
/* Row 0: C08's W_E as it is; row 1: its leading half of the columns, a narrower embedding
 * (on a copy: the shared instance is never changed). */
static const struct dp_attn_inst *leading_half(const struct dp_attn_inst *x, size_t i,
                                               struct dp_attn_inst *view,
                                               struct dp_attn_inst **own, char *suffix, size_t n)
{
  (void)view;
  snprintf(suffix, n, "; W_E = %s", i ? "C08's, leading half" : "C08's");
  if (i == 0)
    return x;
  if (!(*own = dp_attn_inst_copy(x))) {
    DP_ERROR(GSL_ENOMEM, "C10 real text: out of memory");
    return NULL;
  }
  gsl_matrix_view tail = gsl_matrix_submatrix((*own)->W_E, 0, x->d / 2, x->W_E->size1,
                                              x->d - x->d / 2);
  gsl_matrix_set_zero(&tail.matrix);
  (*own)->emode = DP_AE_LOWRANK;
  return *own;
}

static int cases(const struct dp_ctx *ctx, struct dp_case_row *rows, size_t max, size_t *nrows)
{
  static const int ops[] = {DP_SOP_LOG1P, DP_SOP_LOG1P};
  return dp_attn_cases(ctx, ops, 2, leading_half, check, twin, rows, max, nrows);
}

/* --- the exact tier ------------------------------------------------------------------------ */

/* W_E (V x d, d <= V: the draw's d brought into 1..V), W_V0 (d x V), W_Q, W_K (d x d_k)
 * uniform in [-2^20, 2^20]; S_v := W_E W_V0, so that col(S_v) lies in col(W_E) by
 * construction, and S := (W_E W_Q)(W_E W_K)^T, the logits' operator (C08's realisation of
 * it).  The claim's values W_V = W_E^+ S_v = (W_E^T W_E)^{-1} W_E^T S_v, computed over the
 * rationals (W_E of full column rank; where W_E^T W_E is singular W_E^+ is not that formula:
 * skipped, saying so).  With H = Q W_E, entry for entry: W_E W_V = S_v, H W_V = Q S_v, and
 * linear attention (H W_Q (H W_K)^T)(H W_V) = M (Q S_v), M = Q S Q^T -- E = M Q S_v without
 * the 1/sqrt(d_k), which only scales.
 * W_V is a rational function of the entries (denominator delta = det(W_E^T W_E), degree 2d in
 * W_E's entries); each identity, multiplied through by delta (which is non-zero on every
 * instance checked), is a polynomial identity: delta W_V = adj(W_E^T W_E) W_E^T S_v has degree
 * 2(d-1) + 2 + 1 = 2d + 1 in (W_E, W_V0), so W_E (delta W_V) = delta S_v and
 * H (delta W_V) = delta Q S_v have degree 2d + 2, and linear attention 4 (the logits) + 2d + 2
 * = 2d + 6 <= 2 DP_XDRAW_MAX + 6: a false one vanishes at the sampled point (delta != 0 there)
 * with chance at most that degree over 2 range + 1 (Schwartz-Zippel).
 * Twin: W_V = W_E^T S_v in place of W_E^+ S_v, by the same three identities, exactly; right
 * when W_E has orthonormal columns (W_E W_E^T W_E = W_E then): skipped there. */
#define C10_EXACT_DEGREE (2 * DP_XDRAW_MAX + 6)
static void exact_check(uint64_t seed, const struct dp_sizes *sz, int twin, struct dp_outcome *o)
{
  struct dp_xdraw x;
  dp_xdraw_make(seed, sz, &x);
  x.d = 1 + (x.d - 1) % x.V; /* d <= V: W_E can have full column rank */
  char d[160];
  dp_xdraw_describe(&x, d, sizeof d);
  slong R = (slong)x.R, V = (slong)x.V, dd = (slong)x.d, k = (slong)x.dk;
  fmpz_mat_t WE, WV0, WQ, WK, Q, H, Sv, WVt, WEt, EtE, QSv, EQ, EK, S, M, HQ, HK, L, MQS;
  fmpq_mat_t WV, WEq, Hq, Lq, P, HV, LHV;
  fmpz_mat_init(WE, V, dd), fmpz_mat_init(WV0, dd, V), fmpz_mat_init(WQ, dd, k);
  fmpz_mat_init(WK, dd, k), fmpz_mat_init(Q, R, V), fmpz_mat_init(H, R, dd);
  fmpz_mat_init(Sv, V, V), fmpz_mat_init(WVt, dd, V), fmpz_mat_init(WEt, dd, V);
  fmpz_mat_init(EtE, dd, dd), fmpz_mat_init(QSv, R, V), fmpz_mat_init(EQ, V, k);
  fmpz_mat_init(EK, V, k), fmpz_mat_init(S, V, V), fmpz_mat_init(M, R, R);
  fmpz_mat_init(HQ, R, k), fmpz_mat_init(HK, R, k), fmpz_mat_init(L, R, R);
  fmpz_mat_init(MQS, R, V);
  fmpq_mat_init(WV, dd, V), fmpq_mat_init(WEq, V, dd), fmpq_mat_init(Hq, R, dd);
  fmpq_mat_init(Lq, R, R), fmpq_mat_init(P, V, V), fmpq_mat_init(HV, R, V);
  fmpq_mat_init(LHV, R, V);
  dp_exact_random(WE, &x.rng, C10_EXACT_RANGE);
  dp_exact_random(WV0, &x.rng, C10_EXACT_RANGE);
  dp_exact_random(WQ, &x.rng, C10_EXACT_RANGE);
  dp_exact_random(WK, &x.rng, C10_EXACT_RANGE);
  dp_exact_selector(Q, x.t);
  fmpz_mat_mul(H, Q, WE);                     /* H = Q W_E */
  fmpz_mat_mul(Sv, WE, WV0);                  /* S_v = W_E W_V0: col(S_v) in col(W_E) */
  fmpz_mat_transpose(WEt, WE);
  fmpz_mat_mul(EtE, WEt, WE);
  if (!dp_exact_pinv_mul(WV, WE, Sv)) {       /* W_V = (W_E^T W_E)^{-1} W_E^T S_v */
    dp_outcome_skip(o, "%s: W_E^T W_E singular (W_E not of full column rank): W_E^+ is not "
                    "(W_E^T W_E)^{-1} W_E^T there", d);
    goto out;
  }
  if (twin && fmpz_mat_is_one(EtE)) {
    dp_outcome_skip(o, "%s: W_E has orthonormal columns, W_E^T = W_E^+: the twin cannot "
                    "differ", d);
    goto out;
  }
  if (twin) {
    fmpz_mat_mul(WVt, WEt, Sv);               /* W_E^T S_v */
    fmpq_mat_set_fmpz_mat(WV, WVt);
  }
  fmpq_mat_set_fmpz_mat(WEq, WE);
  fmpq_mat_set_fmpz_mat(Hq, H);
  fmpq_mat_mul(P, WEq, WV);                   /* W_E W_V */
  fmpq_mat_mul(HV, Hq, WV);                   /* H W_V */
  fmpz_mat_mul(QSv, Q, Sv);
  fmpz_mat_mul(EQ, WE, WQ);
  fmpz_mat_mul(EK, WE, WK);
  dp_exact_mul_t(S, EQ, EK);                  /* S = W_E W_Q W_K^T W_E^T */
  dp_exact_sandwich(M, Q, S, Q);              /* M = Q S Q^T */
  fmpz_mat_mul(HQ, H, WQ);
  fmpz_mat_mul(HK, H, WK);
  dp_exact_mul_t(L, HQ, HK);                  /* the logits */
  fmpq_mat_set_fmpz_mat(Lq, L);
  fmpq_mat_mul(LHV, Lq, HV);                  /* linear attention */
  fmpz_mat_mul(MQS, M, QSv);                  /* E = M (Q S_v) */
  long i0, j0, i1, j1, i2, j2;
  size_t n0 = dp_exact_differ_q(P, Sv, &i0, &j0), n1 = dp_exact_differ_q(HV, QSv, &i1, &j1);
  size_t n2 = dp_exact_differ_q(LHV, MQS, &i2, &j2);
  const char *wv = twin ? "W_E^T S_v" : "W_E^+ S_v";
  /* what[] holds 200 characters: the counts first, the first differing entry once */
  long fi = n0 ? i0 : n1 ? i1 : i2, fj = n0 ? j0 : n1 ? j1 : j2;
  dp_outcome_part(o, DP_JUDGE_RATIO, n0 + n1 + n2 ? DP_RATIO_FAIL : 0.0,
                  "%s: W_V = %s (rationals); entries differing exactly: W_E W_V vs S_v %zu, "
                  "H W_V vs Q S_v %zu, L H W_V vs M Q S_v %zu (first (%ld, %ld))", d, wv, n0,
                  n1, n2, fi, fj);
out:
  fmpz_mat_clear(WE), fmpz_mat_clear(WV0), fmpz_mat_clear(WQ), fmpz_mat_clear(WK);
  fmpz_mat_clear(Q), fmpz_mat_clear(H), fmpz_mat_clear(Sv), fmpz_mat_clear(WVt);
  fmpz_mat_clear(WEt), fmpz_mat_clear(EtE), fmpz_mat_clear(QSv), fmpz_mat_clear(EQ);
  fmpz_mat_clear(EK), fmpz_mat_clear(S), fmpz_mat_clear(M), fmpz_mat_clear(HQ);
  fmpz_mat_clear(HK), fmpz_mat_clear(L), fmpz_mat_clear(MQS);
  fmpq_mat_clear(WV), fmpq_mat_clear(WEq), fmpq_mat_clear(Hq), fmpq_mat_clear(Lq);
  fmpq_mat_clear(P), fmpq_mat_clear(HV), fmpq_mat_clear(LHV);
}

static const struct dp_exact exact = {
  .kind = DP_EXACT_IDENTITY,
  .statement = "W_V = W_E^+ S_v = (W_E^T W_E)^{-1} W_E^T S_v over the rationals (col(S_v) in "
               "col(W_E), d <= V): W_E W_V = S_v, H W_V = Q S_v and (H W_Q W_K^T H^T)(H W_V) = "
               "M Q S_v exactly; degree 2d + 6 after clearing det(W_E^T W_E)",
  .twin_statement = "W_V = W_E^T S_v (right only for orthonormal columns), same identities",
  .trials = 200,
  .degree = C10_EXACT_DEGREE,
  .range = C10_EXACT_RANGE,
  .check = exact_check,
};

const struct dp_claim dp_claim_c10 = {
  .id = "C10",
  .slug = "values",
  .title = "Values and linear attention",
  .paper_ref = "Sec. 4 (W_V and the end-to-end identity)",
  .statement =
    "W_E W_V = S is solvable iff col(S) lies in col(W_E); then W_V = W_E^+ S solves it and "
    "H W_V = Q S; otherwise the best W_V (W_E^+ S) leaves the residual dist(S, col W_E) > 0. "
    "With C08's weights (rank(S) <= min(d, d_k)) linear attention reproduces the predictions: "
    "(H W_Q W_K^T H^T / sqrt(d_k)) (H W_V) = M Q S = E.",
  .conditions =
    "Any W_E (V x d): Gaussian, spanned by S's columns, containing them, orthonormal, "
    "rank-deficient, or C08's. col(S) in col(W_E) is decided by QR with column pivoting "
    "(independent of the SVD behind W_E^+). The linear-attention part only where C08's "
    "premise rank(S) <= min(d, d_k) holds.",
  .judged =
    "Test ratios: ||W_E W_V - S|| against the QRPT distance of S from col(W_E) (in the \"in\" "
    "branch that distance is itself within 30 rounding units, so the residual of W_E W_V = S "
    "is within 60; the branch only names the case), H W_V = Q S beyond sqrt(max n_a) times "
    "that distance, and where S is not in col(W_E) the normal equations "
    "W_E^T (W_E W_V - S) = 0 with scale ||W_E|| s_V; n = max(V, d), scale s_V = kappa(W_E) "
    "||S|| + ||W_E|| ||W_E^+ S|| (sqrt(max n_a) times it for H W_V): the perturbation of "
    "the pseudo-inverse solve (Wedin: eps kappa ||S||) and the products (inner sizes V and "
    "d); linear attention against E = M (Q S) beyond ||S - S_r|| (max n_a ||QS|| + sqrt(max "
    "n_a) ||L||) (C08's weights realise S_r exactly), n = max(V + 2d + d_k, R), scale = "
    "s_L ||HV|| + ||L|| s_V + ||L|| ||HV|| with ||L|| = max(||M||, ||L computed||) and "
    "||HV|| = max(||QS||, ||H W_V computed||): the rounding of the factors as computed.",
  .twin_statement =
    "W_V = W_E^T S (right only when W_E has orthonormal columns or rows), same parts.",
  .gen = &dp_gen_attn,
  .check = check,
  .twin = twin,
  .tol_kind = DP_JUDGE_RATIO,
  .tol = DP_TOL_RATIO,
  .trials = 100,
  .parts = parts,
  .cases = cases,
  .holds_under = "col(S) in col(W_E); C08's premise (linear part)",
  .exact = &exact,
};
