/* c14_positions.c: claim C14, positional structure as a refinement of the projection.
 *
 * Paper: positional encodings follow as structured refinements of M = Q S Q^T.  Checked on
 * one instance (a sequence t with the offset-resolved counts X^(k) of a corpus, widths d, d_k
 * and weights W_E, W_Q, W_K):
 *  (a) the offset-resolved projection M^pos_ij = X^(j-i)_{t_i t_j} (0 < |j - i| <= c) gathered
 *      equals sum_k (Q X^(k) Q^T) o Delta_k by BLAS, exactly (one-hot Q: every inner product
 *      is one count times 1 plus exact zeros, and each (i, j) receives one offset);
 *  (b) M^pos = (M^pos)^T exactly (symmetric windows: X^(-k) = X^(k)^T as counted);
 *  (c) sum_k Q X^(k) Q^T = Q X Q^T, test ratio (the two sides sum the 2c offsets in other
 *      orders);
 *  (d) H = Q W_E + P splits the logits (H W_Q)(H W_K)^T into content-content,
 *      content-position, position-content and position-position terms, test ratio;
 *  (e) sinusoidal P (d even) gives a Toeplitz P P^T: the distance to the Toeplitz matrices
 *      as a test ratio;
 *  (f) rotary encodings: <R_i q_i, R_j k_j> = <q_i, R_{j-i} k_j>, test ratio.
 * Twin: a learned-style P (Gaussian) gives a Toeplitz P P^T, judged by (e)'s test. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include "attn.h"
#include "cooc.h"
#include "position.h"
#include "resid.h"
#include "select.h"
#include "rng.h"
#include "err.h"
#include "seed.h"
#include "exact.h"
#include "family.h"
#include "family_pos.h"
#include "props.h"

/* The exact tier's entries: uniform in [-2^20, 2^20]. */
#define C14_EXACT_RANGE (1L << 20)

/* The frequency base of the sinusoidal and rotary encodings (Vaswani et al., RoFormer). */
#define C14_BASE 10000.0

static const char *const parts[] = {"sinusoidal P P^T Toeplitz (d even)", NULL};
enum { PART_TOEPLITZ };

/* (e) and the twin: the Toeplitz test of P P^T; returns the ratio (NaN when broken). */
static double toeplitz_part(const gsl_matrix *P, const char *what, struct dp_outcome *o)
{
  size_t R = P->size1, d = P->size2;
  gsl_matrix *G = gsl_matrix_alloc(R, R);
  double res = NAN, ratio = NAN;
  int st = dp_alloc_ok("C14", 1, (void *[]){G});
  if (st == GSL_SUCCESS) {
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, P, P, 0.0, G);
    st = dp_pos_toeplitz_residual(G, &res);
  }
  if (st != GSL_SUCCESS) {
    dp_outcome_broken(o, "Toeplitz: %s", dp_err_last());
  } else {
    double nP = dp_resid_norm(P), n = (double)(d + 2 * R), scale = nP * nP;
    ratio = dp_resid_ratio(res, n, scale);
    dp_outcome_part(o, DP_JUDGE_RATIO, ratio,
                    "%s P P^T Toeplitz (R=%zu, d=%zu): ||P P^T - T(P P^T)|| = %.3g (%.3g of "
                    "||P||^2): n=d+2R=%g, scale=||P||^2=%.3g", what, R, d, res,
                    scale > 0 ? res / scale : 0.0, n, scale);
  }
  gsl_matrix_free(G);
  return ratio;
}

/* (a)-(c): the offset-resolved projection two ways, its symmetry, the sum over offsets. */
static void offset_parts(const struct dp_pos_inst *x, struct dp_outcome *o)
{
  size_t R = x->R, V = x->V;
  int c = x->c;
  gsl_matrix *Q = NULL, *Mg = gsl_matrix_alloc(R, R), *Mp = gsl_matrix_alloc(R, R);
  gsl_matrix *Ms = gsl_matrix_alloc(R, R), *MX = gsl_matrix_alloc(R, R);
  int st = dp_alloc_ok("C14", 4, (void *[]){Mg, Mp, Ms, MX});
  if (st == GSL_SUCCESS)
    st = dp_select_Q(x->t, R, V, &Q);
  if (st == GSL_SUCCESS)
    st = dp_pos_gather(dp_pos_offsets(x), c, x->t, R, -c, c, Mg);
  if (st == GSL_SUCCESS)
    st = dp_pos_project(Q, dp_pos_offsets(x), c, -c, c, 1, Mp);
  if (st == GSL_SUCCESS)
    st = dp_pos_project(Q, dp_pos_offsets(x), c, -c, c, 0, Ms);
  if (st == GSL_SUCCESS)
    st = dp_select_gather(x->X, x->t, R, MX);
  if (st != GSL_SUCCESS) {
    dp_outcome_broken(o, "offset projection: %s", dp_err_last());
    goto out;
  }
  dp_part_exact(o, Mg, Mp, 0, "M^pos gathered = sum_k (Q X^(k) Q^T) o Delta_k by BLAS");
  dp_part_exact(o, Mg, Mg, 1, "M^pos = (M^pos)^T");
  /* the counts are >= 0, so each entry's rounding is at most 2c eps times the entry */
  double n = 2.0 * c, scale = dp_resid_norm(MX);
  dp_outcome_part(o, DP_JUDGE_RATIO, dp_resid_matrix_ratio(Ms, MX, 0, n, scale),
                  "sum_k Q X^(k) Q^T = Q X Q^T (%d offsets): n=2c=%g, scale=||Q X Q^T||=%.3g",
                  2 * c, n, scale);
out:
  gsl_matrix_free(Q);
  gsl_matrix_free(Mg);
  gsl_matrix_free(Mp);
  gsl_matrix_free(Ms);
  gsl_matrix_free(MX);
}

/* (d) and (f): the additive split with sinusoidal P, and rotary logits of the content. */
static void encoding_parts(const struct dp_pos_inst *x, const gsl_matrix *P, struct dp_outcome *o)
{
  size_t R = x->R, d = x->d, dk = x->d_k;
  gsl_matrix *C = gsl_matrix_alloc(R, d), *H = gsl_matrix_alloc(R, d), *L = gsl_matrix_alloc(R, R);
  gsl_matrix *T[4] = {gsl_matrix_alloc(R, R), gsl_matrix_alloc(R, R), gsl_matrix_alloc(R, R),
                      gsl_matrix_alloc(R, R)};
  gsl_matrix *Qm = gsl_matrix_alloc(R, dk), *Km = gsl_matrix_alloc(R, dk);
  gsl_matrix *La = gsl_matrix_alloc(R, R), *Lr = gsl_matrix_alloc(R, R);
  int st = dp_alloc_ok("C14", 11, (void *[]){C, H, L, T[0], T[1], T[2], T[3], Qm, Km, La, Lr});
  if (st == GSL_SUCCESS)
    st = dp_attn_embed(x->t, R, x->W_E, C);
  if (st == GSL_SUCCESS) {
    gsl_matrix_memcpy(H, C);
    gsl_matrix_add(H, P);
    st = dp_attn_logits(H, x->W_Q, x->W_K, L);
  }
  if (st == GSL_SUCCESS)
    st = dp_pos_logit_terms(C, P, x->W_Q, x->W_K, T);
  if (st == GSL_SUCCESS) {
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, C, x->W_Q, 0.0, Qm);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, C, x->W_K, 0.0, Km);
    st = dp_pos_rotary_logits(Qm, Km, C14_BASE, La, Lr);
  }
  if (st != GSL_SUCCESS) {
    dp_outcome_broken(o, "encodings: %s", dp_err_last());
    goto out;
  }
  for (int k = 1; k < 4; k++)
    gsl_matrix_add(T[0], T[k]);
  double nC = dp_resid_norm(C), nP = dp_resid_norm(P), nq = dp_resid_norm(x->W_Q);
  double nk = dp_resid_norm(x->W_K), n = (double)(2 * d + dk + 2);
  double scale = (nC + nP) * (nC + nP) * nq * nk;
  dp_outcome_part(o, DP_JUDGE_RATIO, dp_resid_matrix_ratio(L, T[0], 0, n, scale),
                  "(H W_Q)(H W_K)^T = cc + cp + pc + pp, H = Q W_E + P: n=2d+d_k+2=%g, "
                  "scale=(||Q W_E||+||P||)^2 ||W_Q|| ||W_K||=%.3g", n, scale);
  double nr = (double)(dk + 2 * R), sr = dp_resid_norm(Qm) * dp_resid_norm(Km);
  dp_outcome_part(o, DP_JUDGE_RATIO, dp_resid_matrix_ratio(La, Lr, 0, nr, sr),
                  "rotary <R_i q_i, R_j k_j> = <q_i, R_(j-i) k_j>, q = Q W_E W_Q, k = Q W_E W_K: "
                  "n=d_k+2R=%g (angles up to R rad), scale=||q|| ||k||=%.3g", nr, sr);
out:
  gsl_matrix_free(C);
  gsl_matrix_free(H);
  gsl_matrix_free(L);
  for (int k = 0; k < 4; k++)
    gsl_matrix_free(T[k]);
  gsl_matrix_free(Qm);
  gsl_matrix_free(Km);
  gsl_matrix_free(La);
  gsl_matrix_free(Lr);
}

static void check(const void *inst, struct dp_outcome *o)
{
  const struct dp_pos_inst *x = inst;
  gsl_matrix *P = gsl_matrix_alloc(x->R, x->d);
  if (!P || dp_pos_sinusoidal(C14_BASE, P) != GSL_SUCCESS) {
    dp_outcome_broken(o, "sinusoidal P: %s", P ? dp_err_last() : "out of memory");
    gsl_matrix_free(P);
    return;
  }
  offset_parts(x, o);
  encoding_parts(x, P, o);
  if (x->d % 2 == 0) {
    toeplitz_part(P, "sinusoidal", o);
    dp_outcome_ran(o, PART_TOEPLITZ);
  }
  gsl_matrix_free(P);
}

/* A learned-style P: Gaussian entries (the scale does not matter to the ratio). */
static int learned_P(const struct dp_pos_inst *x, gsl_matrix *P)
{
  dp_rng r;
  dp_rng_seed(&r, dp_seed_stream(x->seed, "C14 learned positions"));
  for (size_t i = 0; i < P->size1; i++)
    for (size_t j = 0; j < P->size2; j++)
      gsl_matrix_set(P, i, j, 0.02 * dp_rng_gauss(&r));
  return GSL_SUCCESS;
}

static void twin(const void *inst, struct dp_outcome *o)
{
  const struct dp_pos_inst *x = inst;
  if (x->R == 1) {
    dp_outcome_skip(o, "R = 1: a 1 x 1 P P^T is Toeplitz for any P; the twin cannot differ");
    return;
  }
  gsl_matrix *P = gsl_matrix_alloc(x->R, x->d);
  if (!P) {
    dp_outcome_broken(o, "learned P: out of memory");
    return;
  }
  learned_P(x, P);
  toeplitz_part(P, "learned (Gaussian)", o);
  gsl_matrix_free(P);
}

/* The finding: 'sinusoidal P gives a Toeplitz P P^T' read for every width d.  Measured where
 * the check leaves the part out (d odd): the same Toeplitz test on the same sinusoidal P. */
static void probe_odd(const void *inst, struct dp_outcome *o)
{
  const struct dp_pos_inst *x = inst;
  if (x->d % 2 == 0) {
    dp_outcome_skip(o, "d = %zu even: the claim's own check measures the Toeplitz part", x->d);
    return;
  }
  if (x->R == 1) {
    dp_outcome_skip(o, "R = 1: a 1 x 1 P P^T is Toeplitz for any P");
    return;
  }
  gsl_matrix *P = gsl_matrix_alloc(x->R, x->d);
  if (!P || dp_pos_sinusoidal(C14_BASE, P) != GSL_SUCCESS)
    dp_outcome_broken(o, "sinusoidal P: %s", P ? dp_err_last() : "out of memory");
  else
    toeplitz_part(P, "sinusoidal, odd d:", o);
  gsl_matrix_free(P);
}

static const struct dp_finding_def findings[] = {
  {.key = "sinusoidal-even-d",
   .kind = DP_FINDING_CONDITION,
   .summary = "Sinusoidal encodings give a Toeplitz P P^T only for an even width d: the sines "
              "and cosines must come in pairs, and an odd d leaves a last sine column whose "
              "sin(i w) sin(j w) is not a function of i - j.",
   .as_stated = "The sinusoidal P P^T depends on i - j only, for every width d.",
   .condition = "d even",
   .probe = probe_odd,
   .tol_kind = DP_JUDGE_RATIO,
   .tol = DP_TOL_RATIO},
};

/* Real text: the counts of the corpus's first 40 documents, the longest of them as t. */
static int cases(const struct dp_ctx *ctx, struct dp_case_row *rows, size_t max, size_t *nrows)
{
  *nrows = 0;
  if (max == 0)
    return GSL_SUCCESS;
  struct dp_pos_inst *x = NULL;
  int st = dp_pos_inst_real(ctx->env, 40, 64, 0, dp_ctx_stream(ctx, "real text"), &x,
                            rows[0].label, sizeof rows[0].label);
  if (st == GSL_SUCCESS && x) {
    dp_case_row_measure(&rows[0], check, twin, x);
    *nrows = 1;
  }
  dp_pos_inst_free(x);
  return st;
}

/* The Toeplitz residual of P P^T relative to ||P||^2 against R, for sinusoidal P of a few
 * widths (even and odd) and a learned-style P, and the test ratios of the same in a table. */
static int evidence(const struct dp_ctx *ctx, struct dp_evidence *xo)
{
  static const size_t Rs[] = {2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
  enum { NR = sizeof Rs / sizeof Rs[0] };
  static const size_t ds[] = {16, 64, 512, 63, 64};
  static const char *const names[] = {"sinusoidal, d = 16", "sinusoidal, d = 64",
                                      "sinusoidal, d = 512", "sinusoidal, d = 63 (odd)",
                                      "learned (Gaussian), d = 64"};
  struct dp_plot *p = dp_evidence_plot(xo, "Toeplitz residual of P P^T against R", "R",
                                       "||P P^T - T(P P^T)|| / ||P||^2", 1, 1);
  static const char *const head[] = {"P", "R", "d", "||P P^T - T|| / ||P||^2", "test ratio",
                                     "verdict"};
  struct dp_table *t = dp_evidence_table(xo, "Toeplitz residual of P P^T", 6, head);
  int st = dp_alloc_ok("C14 evidence", 2, (void *[]){p, t});
  if (st != GSL_SUCCESS)
    return st;
  snprintf(p->note, sizeof p->note,
           "T(G) replaces each diagonal of G by its mean (the nearest Toeplitz matrix). "
           "Sinusoidal encodings with d even sit at rounding level, growing with R as the "
           "arguments i w grow (their rounding is eps |i w| <= eps R); an odd d leaves one sine "
           "column unpaired (sin(i w) sin(j w) is not a function of i - j) and a learned P has "
           "no structure: both stay at order 1.");
  snprintf(t->note, sizeof t->note,
           "Test ratio ||P P^T - T(P P^T)|| / ((d + 2R) eps ||P||^2); <= 30 holds. The smallest "
           "odd counterexample is d = 1, R = 2: P = (sin 0, sin 1)^T, P P^T = diag(0, sin^2 1).");
  uint64_t seed = dp_ctx_stream(ctx, "C14 evidence");
  for (size_t s = 0; s < 5 && st == GSL_SUCCESS; s++) {
    double xs[NR], ys[NR];
    for (size_t i = 0; i < NR && st == GSL_SUCCESS; i++) {
      gsl_matrix *P = gsl_matrix_alloc(Rs[i], ds[s]), *G = gsl_matrix_alloc(Rs[i], Rs[i]);
      double res = NAN;
      st = dp_alloc_ok("C14 evidence", 2, (void *[]){P, G});
      if (st == GSL_SUCCESS && s < 4)
        st = dp_pos_sinusoidal(C14_BASE, P);
      if (st == GSL_SUCCESS && s == 4) {
        struct dp_pos_inst fake = {.seed = seed};
        learned_P(&fake, P);
      }
      if (st == GSL_SUCCESS) {
        gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, P, P, 0.0, G);
        st = dp_pos_toeplitz_residual(G, &res);
      }
      if (st == GSL_SUCCESS) {
        double nP = dp_resid_norm(P), sc = nP * nP;
        double ratio = dp_resid_ratio(res, (double)(ds[s] + 2 * Rs[i]), sc);
        xs[i] = (double)Rs[i];
        ys[i] = fmax(res / sc, 1e-18); /* exact zeros drawn at the floor of the log axis */
        if (Rs[i] == 8 || Rs[i] == 64 || Rs[i] == 1024) {
          char c1[16], c2[16], c3[32], c4[32];
          snprintf(c1, sizeof c1, "%zu", Rs[i]);
          snprintf(c2, sizeof c2, "%zu", ds[s]);
          snprintf(c3, sizeof c3, "%.3g", res / sc);
          snprintf(c4, sizeof c4, "%.3g", ratio);
          st = dp_table_row(t, names[s], c1, c2, c3, c4, ratio <= DP_TOL_RATIO ? "Toeplitz"
                                                                                 : "not Toeplitz");
        }
      }
      gsl_matrix_free(P);
      gsl_matrix_free(G);
    }
    if (st == GSL_SUCCESS)
      st = dp_plot_series(p, names[s], 0, NR, xs, ys);
  }
  return st;
}

/* --- the exact tier ------------------------------------------------------------------------ */

/* The window of the exact tier's offsets: c uniform in 1..C14_EXACT_C. */
#define C14_EXACT_C 3


/* Integer offset-resolved counts: X^(k) (k = 1..c) uniform in [-2^20, 2^20] and
 * X^(-k) = X^(k)T (symmetric windows count every pair both ways), X = sum_{k != 0} X^(k);
 * W_E (V x d), P (R x d), W_Q, W_K (d x d_k) uniform too.  Entry for entry: (a) the gathered
 * M^pos_ij = X^(j-i)_{t_i t_j} = sum_k (Q X^(k) Q^T) o Delta_k; (b) M^pos = M^pos T;
 * (c) sum_k Q X^(k) Q^T = Q X Q^T (degree 1 in the counts); (d) with H = Q W_E + P,
 * (H W_Q)(H W_K)^T = cc + cp + pc + pp (degree 4: two entries of H, each W_E's or P's, one of
 * W_Q, one of W_K).  Twin: 2 sum_{k>0} Q X^(k) Q^T = Q X Q^T, the right-context counts X^>
 * taken for half the symmetric counts (right only where X^> is symmetric on the sequence's
 * words: skipped when the sequence is one word, where every entry is X^>_aa). */
static void exact_check(uint64_t seed, const struct dp_sizes *sz, int twin, struct dp_outcome *o)
{
  struct dp_xdraw x;
  char d[180];
  int c = dp_xdraw_window(seed, sz, C14_EXACT_C, &x, d, sizeof d);
  if (twin && dp_xdraw_window_twin_skip(&x, d, o))
    return;
  slong R = (slong)x.R, V = (slong)x.V, dd = (slong)x.d, k = (slong)x.dk;
  fmpz_mat_t Xk[2 * C14_EXACT_C + 1], X, Q, P, sumP, sumR, Mpos, Mmask, MposT, QXQ;
  for (int j = -c; j <= c; j++)
    fmpz_mat_init(Xk[j + c], V, V);
  fmpz_mat_init(X, V, V), fmpz_mat_init(Q, R, V), fmpz_mat_init(P, R, R);
  fmpz_mat_init(sumP, R, R), fmpz_mat_init(sumR, R, R), fmpz_mat_init(Mpos, R, R);
  fmpz_mat_init(Mmask, R, R), fmpz_mat_init(MposT, R, R), fmpz_mat_init(QXQ, R, R);
  for (int j = 1; j <= c; j++) {
    dp_exact_random(Xk[j + c], &x.rng, C14_EXACT_RANGE);
    fmpz_mat_transpose(Xk[-j + c], Xk[j + c]);
  }
  dp_exact_selector(Q, x.t);
  for (int j = -c; j <= c; j++) {
    if (j == 0)
      continue;
    fmpz_mat_add(X, X, Xk[j + c]);
    dp_exact_sandwich(P, Q, Xk[j + c], Q);  /* Q X^(k) Q^T */
    fmpz_mat_add(sumP, sumP, P);
    if (j > 0)
      fmpz_mat_add(sumR, sumR, P);
    dp_exact_add_shift(Mmask, P, j);
  }
  dp_exact_sandwich(QXQ, Q, X, Q);
  long i0, j0;
  if (twin) {
    fmpz_mat_scalar_mul_si(sumR, sumR, 2);
    size_t nd = dp_exact_differ(sumR, QXQ, &i0, &j0);
    dp_outcome_part(o, DP_JUDGE_RATIO, nd ? DP_RATIO_FAIL : 0.0, "%s: 2 sum_{k>0} Q X^(k) Q^T "
                    "= Q X Q^T exactly: %zu of %ld entries differ, first (%ld, %ld)", d, nd,
                    (long)(R * R), i0, j0);
  } else {
    long i1, j1, i2, j2, i3, j3;
    dp_exact_pos_gather(Mpos, (const fmpz_mat_t *)Xk, c, x.t, -c, c);
    fmpz_mat_transpose(MposT, Mpos);
    size_t na = dp_exact_differ(Mpos, Mmask, &i0, &j0);
    size_t nb = dp_exact_differ(Mpos, MposT, &i1, &j1);
    size_t nc = dp_exact_differ(sumP, QXQ, &i2, &j2);
    /* (d): H = C + P with C = Q W_E; the four terms against the logits */
    fmpz_mat_t WE, Pe, WQ, WK, C, H, HQ, HK, L, CQ, CK, PQ, PK, T, Sum;
    fmpz_mat_init(WE, V, dd), fmpz_mat_init(Pe, R, dd), fmpz_mat_init(WQ, dd, k);
    fmpz_mat_init(WK, dd, k), fmpz_mat_init(C, R, dd), fmpz_mat_init(H, R, dd);
    fmpz_mat_init(HQ, R, k), fmpz_mat_init(HK, R, k), fmpz_mat_init(L, R, R);
    fmpz_mat_init(CQ, R, k), fmpz_mat_init(CK, R, k), fmpz_mat_init(PQ, R, k);
    fmpz_mat_init(PK, R, k), fmpz_mat_init(T, R, R), fmpz_mat_init(Sum, R, R);
    dp_exact_random(WE, &x.rng, C14_EXACT_RANGE);
    dp_exact_random(Pe, &x.rng, C14_EXACT_RANGE);
    dp_exact_random(WQ, &x.rng, C14_EXACT_RANGE);
    dp_exact_random(WK, &x.rng, C14_EXACT_RANGE);
    fmpz_mat_mul(C, Q, WE);
    fmpz_mat_add(H, C, Pe);
    fmpz_mat_mul(HQ, H, WQ), fmpz_mat_mul(HK, H, WK);
    dp_exact_mul_t(L, HQ, HK);
    fmpz_mat_mul(CQ, C, WQ), fmpz_mat_mul(CK, C, WK);
    fmpz_mat_mul(PQ, Pe, WQ), fmpz_mat_mul(PK, Pe, WK);
    dp_exact_mul_t(T, CQ, CK), fmpz_mat_add(Sum, Sum, T);  /* cc */
    dp_exact_mul_t(T, CQ, PK), fmpz_mat_add(Sum, Sum, T);  /* cp */
    dp_exact_mul_t(T, PQ, CK), fmpz_mat_add(Sum, Sum, T);  /* pc */
    dp_exact_mul_t(T, PQ, PK), fmpz_mat_add(Sum, Sum, T);  /* pp */
    size_t nd = dp_exact_differ(L, Sum, &i3, &j3);
    fmpz_mat_clear(WE), fmpz_mat_clear(Pe), fmpz_mat_clear(WQ), fmpz_mat_clear(WK);
    fmpz_mat_clear(C), fmpz_mat_clear(H), fmpz_mat_clear(HQ), fmpz_mat_clear(HK);
    fmpz_mat_clear(L), fmpz_mat_clear(CQ), fmpz_mat_clear(CK), fmpz_mat_clear(PQ);
    fmpz_mat_clear(PK), fmpz_mat_clear(T), fmpz_mat_clear(Sum);
    dp_outcome_part(o, DP_JUDGE_RATIO, na + nb + nc + nd ? DP_RATIO_FAIL : 0.0,
                    "%s: entries differing (first): M^pos vs masks %zu (%ld,%ld), vs M^pos T "
                    "%zu (%ld,%ld), sum vs Q X Q^T %zu (%ld,%ld), 4 terms %zu (%ld,%ld)", d, na, i0, j0, nb, i1,
                    j1, nc, i2, j2, nd, i3, j3);
  }
  for (int j = -c; j <= c; j++)
    fmpz_mat_clear(Xk[j + c]);
  fmpz_mat_clear(X), fmpz_mat_clear(Q), fmpz_mat_clear(P), fmpz_mat_clear(sumP);
  fmpz_mat_clear(sumR), fmpz_mat_clear(Mpos), fmpz_mat_clear(Mmask), fmpz_mat_clear(MposT);
  fmpz_mat_clear(QXQ);
}

static const struct dp_exact exact = {
  .kind = DP_EXACT_IDENTITY,
  .statement = "M^pos by masks and symmetric, sum_k Q X^(k) Q^T = Q X Q^T, 4 logit terms",
  .trials = 200,
  .degree = 4,
  .range = C14_EXACT_RANGE,
  .check = exact_check,
};

const struct dp_claim dp_claim_c14 = {
  .id = "C14",
  .slug = "positions",
  .title = "Positional structure",
  .paper_ref = "Abstract and summary (positional encodings as structured refinements of the same projection)",
  .statement =
    "The offset-resolved projection M^pos_ij = X^(j-i)_{t_i t_j} for 0 < |j - i| <= c (0 "
    "elsewhere) is M^pos = sum_k (Q X^(k) Q^T) o Delta_k with the shift masks "
    "Delta_k = [j - i = k]; symmetric windows give M^pos = (M^pos)^T; "
    "sum_k Q X^(k) Q^T = Q X Q^T. Additive encodings H = Q W_E + P split the logits "
    "(H W_Q)(H W_K)^T into content-content, content-position, position-content and "
    "position-position terms exactly. Sinusoidal P (P_{i,2m} = sin(i w_m), "
    "P_{i,2m+1} = cos(i w_m), w_m = 10000^(-2m/d), positions i = 0..R-1) gives a Toeplitz "
    "P P^T (a function of i - j only). Rotary encodings (pairs rotated by i w_m, "
    "w_m = 10000^(-2m/d_k)) give <R_i q, R_j k> = <q, R_{j-i} k>.",
  .conditions =
    "Counts of a corpus (symmetric windows, every offset counted on its own), any sequence. "
    "The Toeplitz part needs d even: the sinusoids come in sine-cosine pairs, and with an odd "
    "d the unpaired last sine column adds sin(i w) sin(j w), which is not a function of "
    "i - j (smallest counterexample: d = 1, R = 2); it is skipped for odd d (a declared "
    "part) and the odd case is shown in the evidence. Rotary encodings leave an odd last "
    "coordinate unrotated, so (f) holds for every d_k.",
  .judged =
    "(a), (b) exactly (==): gathered entries against the BLAS route, which with a one-hot Q "
    "adds exact zeros to one count per entry, and each (i, j) lies on one mask. (c) test "
    "ratio, n = 2c, scale = ||Q X Q^T||_F (counts are >= 0: each entry's 2c terms round by "
    "at most 2c eps of the entry). (d) test ratio, n = 2d + d_k + 2 (H = C + P rounds once; "
    "products with inner sizes d and d_k on both sides; three additions), scale = "
    "(||Q W_E|| + ||P||)^2 ||W_Q|| ||W_K||. (e) ||P P^T - T(P P^T)||_F, T the nearest "
    "Toeplitz matrix (diagonal means), as a test ratio with n = d + 2R (the d-term inner "
    "products, and the arguments i w_m up to R - 1 whose rounding eps |i w_m| moves each "
    "entry of P by up to eps R), scale = ||P||^2. (f) test ratio, n = d_k + 2R (the same "
    "angles), scale = ||Q W_E W_Q|| ||Q W_E W_K|| (the content's queries and keys, which "
    "rotary encodings rotate in place of adding P).",
  .twin_statement =
    "A learned-style P (Gaussian entries) also gives a Toeplitz P P^T, judged by (e)'s test.",
  .gen = &dp_gen_pos,
  .check = check,
  .twin = twin,
  .tol_kind = DP_JUDGE_RATIO,
  .tol = DP_TOL_RATIO,
  .trials = 100,
  .parts = parts,
  .cases = cases,
  .evidence = evidence,
  .holds_under = "symmetric windows",
  .findings = findings,
  .nfindings = 1,
  .theorems = (const char *const[]){"c14_offsets_sum", NULL},
  .formal_covers = "the sum over offsets only (not the offset masks, the four-term split, "
                   "the Toeplitz or rotary parts)",
  .exact = &exact,
};
