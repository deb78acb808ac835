/* c08_realisability.c: claim C08, realisability of M = Q S Q^T by attention weights, and the
 * tied-weights impossibility for indefinite S with its exact lower bound.
 *
 * Paper: if rank(S) = r <= d_k <= d, S = U L U^T gives weights with
 * H W_Q W_K^T H^T / sqrt(d_k) = M exactly: W_E = U_r |L_r|^(1/2), W_Q = I,
 * W_K = sqrt(d_k) sign(L_r).  As written these type-check only when d = d_k = r (W_Q = I is
 * d x d_k, sign(L_r) is r x r); the construction checked embeds each as the top-left block of
 * a matrix of the Transformer's shape: W_E = [U_r |L_r|^(1/2), 0] (V x d),
 * W_Q = I_{d x d_k} (ones on the diagonal), W_K = sqrt(d_k) [sign(L_r) 0; 0 0] (d x d_k).
 * Then W_E W_Q W_K^T W_E^T / sqrt(d_k) = U_r L_r U_r^T = S.  The construction needs only
 * r <= min(d, d_k) (d_k <= d is not used), and that is the premise checked; instances with
 * r > min(d, d_k) are skipped.  Checked on each instance:
 *  (a) the realisation: logits / sqrt(d_k) against M gathered from S, test ratio with
 *      n = V + 2d + d_k (eigensolver, then the logits' product chain) and
 *      scale = ||H||_F^2 + max_a n_a ||S||_F (the chain's |H||W_Q||W_K|^T|H|^T / sqrt(d_k) is
 *      bounded by ||H||_F^2; the eigensolver's backward error ~ V eps ||S||_F is carried to
 *      the sequence by ||Q||_2^2 = max_a n_a);
 *  (b) tied weights (W_Q = W_K, so the logits are Q W W^T Q^T with W = W_E W_Q of width
 *      w = min(d, d_k)): the optimum W = U_+ L_+^(1/2) attains
 *      ||S - W W^T||_F = sqrt(sum_{lambda<0} lambda^2 + positive eigenvalues beyond w), which
 *      is ||L_negative||_F when w >= #positive (always under the premise): test ratio of the
 *      difference, n = V + w, scale = ||S||_F + ||W||_F^2;
 *  (c) the lower bound against other tied candidates: the untied W_E (giving U |L| U^T),
 *      the optimum perturbed at three sizes, a Gaussian W: ||S - W W^T|| >= bound, judged as
 *      the ratio of the violation max(0, bound - value), same n, scale with ||W||_F^2;
 *  (d) at the sequence level the best tied logits Q S_+ Q^T stay at least ||M_negative||_F
 *      (the distance from M to the PSD cone) from M: violation ratio, n = V + R + w,
 *      scale = max_a n_a (||S||_F + ||W||_F^2).
 * Twin: tied weights realise an indefinite S: the optimum tied weights as Transformer weights
 * (W_E = [U_+ L_+^(1/2), 0], W_Q = W_K = d_k^(1/4) I_{d x d_k}) judged by (a)'s residual test
 * on the same instances; right for PSD S, rejected wherever Q S_- Q^T != 0. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <flint/fmpz_mat.h>
#include "attn.h"
#include "certify.h"
#include "exact.h"
#include "cooc.h"
#include "select.h"
#include "resid.h"
#include "spectral.h"
#include "rng.h"
#include "err.h"
#include "seed.h"
#include "family_attn.h"
#include "props.h"

/* ||S - W W^T||_F (work: V x V). */
static double tied_residual(const gsl_matrix *S, const gsl_matrix *W, gsl_matrix *work)
{
  gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, W, W, 0.0, work);
  return dp_resid_diff(S, work, 0);
}

/* ||A_negative||_F of a symmetric R x R matrix: the distance to the PSD cone. */
static int neg_part(const gsl_matrix *A, double *out)
{
  gsl_vector *ev = gsl_vector_alloc(A->size1);
  int st = dp_alloc_ok("C08", 1, (void *[]){ev});
  if (st == GSL_SUCCESS)
    st = dp_spectral_eigen(A, ev, NULL);
  if (st == GSL_SUCCESS) {
    for (size_t i = 0; i < ev->size; i++)
      gsl_vector_set(ev, i, fmin(gsl_vector_get(ev, i), 0.0));
    *out = gsl_blas_dnrm2(ev);
  }
  gsl_vector_free(ev);
  return st;
}

/* The realisation (untied or tied) and its residual part (a); returns the ratio (NaN when
 * broken). */
static double realisation_part(const struct dp_attn_inst *x, const struct dp_spectral_eig *e,
                               int tied, struct dp_outcome *o)
{
  const struct dp_inst *b = x->base;
  size_t R = b->R, V = b->V, d = x->d, dk = x->d_k, nmax = dp_max_multiplicity(b->t, R, V, NULL);
  gsl_matrix *W_E = gsl_matrix_alloc(V, d), *W_Q = gsl_matrix_alloc(d, dk);
  gsl_matrix *W_K = gsl_matrix_alloc(d, dk), *L = gsl_matrix_alloc(R, R), *M = gsl_matrix_alloc(R, R);
  double nH = NAN, bound = NAN, ratio = NAN;
  int st = dp_alloc_ok("C08", 5, (void *[]){W_E, W_Q, W_K, L, M});
  if (st == GSL_SUCCESS)
    st = tied ? dp_attn_realise_tied(e, d, dk, W_E, W_Q, W_K, &bound)
              : dp_attn_realise(e, d, dk, W_E, W_Q, W_K);
  if (st == GSL_SUCCESS)
    st = dp_attn_scores(b->t, R, W_E, W_Q, W_K, L, &nH);
  if (st != GSL_SUCCESS) {
    dp_outcome_broken(o, "realisation: %s", dp_err_last());
  } else {
    dp_select_gather(b->S, b->t, R, M);
    double n = (double)(V + 2 * d + dk), scale = nH * nH + (double)nmax * dp_resid_norm(b->S);
    /* the weights realise S_r, not S: the eigenvalues under the rank threshold are left out
     * exactly, and ||Q (S - S_r) Q^T||_F <= max n_a ||S - S_r||_F; only the rest is rounding */
    double drop = (double)nmax * dp_spectral_dropped(e);
    ratio = dp_resid_ratio(dp_resid_excess(dp_resid_diff(L, M, 0), drop), n, scale);
    dp_outcome_part(o, DP_JUDGE_RATIO, ratio,
                    "%s (r=%zu: %zu+ %zu-, d=%zu, d_k=%zu): H W_Q W_K^T H^T/sqrt(d_k) = M beyond "
                    "max n_a ||S - S_r||=%.3g: n=V+2d+d_k=%g, scale=||H||^2+max n_a ||S||=%.3g",
                    tied ? "tied W_Q=W_K" : "untied", e->rank, e->npos, e->nneg, d, dk, drop, n,
                    scale);
  }
  gsl_matrix_free(W_E);
  gsl_matrix_free(W_Q);
  gsl_matrix_free(W_K);
  gsl_matrix_free(L);
  gsl_matrix_free(M);
  return ratio;
}

/* What parts (b)-(d) measured, for the report's table. */
struct tied_fig {
  double bound, nS, attain, worst_cand, seq, mneg, nM;
};

/* Parts (b)-(d): the tied bound, its attainment, other candidates, the sequence level. */
static void tied_parts(const struct dp_attn_inst *x, const struct dp_spectral_eig *e,
                       struct dp_outcome *o, struct tied_fig *f)
{
  const struct dp_inst *b = x->base;
  size_t R = b->R, V = b->V, w = x->d < x->d_k ? x->d : x->d_k;
  size_t nmax = dp_max_multiplicity(b->t, R, V, NULL);
  gsl_matrix *W = gsl_matrix_alloc(V, w), *C = gsl_matrix_alloc(V, w), *work = gsl_matrix_alloc(V, V);
  gsl_matrix *Wu = gsl_matrix_alloc(V, w), *Qd = gsl_matrix_alloc(w, w), *Kd = gsl_matrix_alloc(w, w);
  gsl_matrix *M = gsl_matrix_alloc(R, R), *Mt = gsl_matrix_alloc(R, R);
  double bound = NAN, mneg = NAN, nS = dp_resid_norm(b->S);
  int st = dp_alloc_ok("C08", 8, (void *[]){W, C, work, Wu, Qd, Kd, M, Mt});
  if (st == GSL_SUCCESS)
    st = dp_attn_tied(e, w, W, &bound);
  if (st == GSL_SUCCESS)
    st = dp_attn_realise(e, w, w, Wu, Qd, Kd);
  if (st == GSL_SUCCESS) { /* (d)'s M_neg, from M = Q S Q^T */
    dp_select_gather(b->S, b->t, R, M);
    st = neg_part(M, &mneg);
  }
  if (st != GSL_SUCCESS) {
    dp_outcome_broken(o, "tied weights: %s", dp_err_last());
    goto out;
  }
  /* (b) attainment */
  double nW = dp_resid_norm(W), val = tied_residual(b->S, W, work), n = (double)(V + w);
  double sc = nS + nW * nW;
  f->bound = bound;
  f->nS = nS;
  f->attain = dp_resid_ratio(fabs(val - bound), n, sc);
  f->worst_cand = 0.0;
  dp_outcome_part(o, DP_JUDGE_RATIO, f->attain,
                  "tied optimum U_+ L_+^(1/2) attains ||S - W W^T|| = %.6g = ||L_neg|| = %.6g "
                  "(%.3g of ||S||): n=V+w=%g, scale=||S||+||W||^2=%.3g",
                  val, bound, nS > 0 ? bound / nS : 0.0, n, sc);
  /* (c) other candidates cannot go below the bound */
  dp_rng r;
  dp_rng_seed(&r, dp_seed_stream(b->seed, "C08 tied candidates"));
  static const char *const names[] = {"untied W_E (U|L|U^T)", "optimum + perturbation",
                                      "optimum + perturbation", "optimum + perturbation",
                                      "Gaussian W"};
  for (unsigned c = 0; c <= DP_TIED_CANDIDATES; c++) {
    if (c == 0)
      gsl_matrix_memcpy(C, Wu);
    else
      dp_tied_candidate(&r, W, c, nS, C);
    double nC = dp_resid_norm(C), vc = tied_residual(b->S, C, work), scc = nS + nC * nC;
    double rc = dp_resid_ratio(dp_resid_excess(bound, vc), n, scc);
    f->worst_cand = fmax(f->worst_cand, rc);
    dp_outcome_part(o, DP_JUDGE_RATIO, rc,
                    "lower bound: %s gives ||S - W W^T|| = %.6g >= %.6g: n=V+w=%g, "
                    "scale=||S||+||W||^2=%.3g", names[c], vc, bound, n, scc);
  }
  /* (d) the sequence level: Q W W^T Q^T is PSD, so it stays ||M_neg|| from M */
  gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, W, W, 0.0, work);
  dp_select_gather(work, b->t, R, Mt);
  double vs = dp_resid_diff(M, Mt, 0), ns = (double)(V + R + w), scs = (double)nmax * sc;
  f->seq = vs;
  f->mneg = mneg;
  f->nM = dp_resid_norm(M);
  dp_outcome_part(o, DP_JUDGE_RATIO, dp_resid_ratio(dp_resid_excess(mneg, vs), ns, scs),
                  "sequence: ||M - Q S_+ Q^T|| = %.6g >= ||M_neg|| = %.6g: n=V+R+w=%g, "
                  "scale=max n_a (||S||+||W||^2)=%.3g", vs, mneg, ns, scs);
out:
  gsl_matrix_free(W);
  gsl_matrix_free(C);
  gsl_matrix_free(work);
  gsl_matrix_free(Wu);
  gsl_matrix_free(Qd);
  gsl_matrix_free(Kd);
  gsl_matrix_free(M);
  gsl_matrix_free(Mt);
}

/* The eigen-decomposition and the premise r <= min(d, d_k); 0 when the instance is skipped
 * or broken (o says which). */
static int prepare(const struct dp_attn_inst *x, struct dp_spectral_eig *e, struct dp_outcome *o)
{
  if (dp_spectral_eig_make(x->base->S, e) != GSL_SUCCESS) {
    dp_outcome_broken(o, "eigen: %s", dp_err_last());
    return 0;
  }
  if (e->rank > x->d || e->rank > x->d_k) {
    dp_outcome_skip(o, "rank(S)=%zu > min(d=%zu, d_k=%zu): not realisable at this width",
                    e->rank, x->d, x->d_k);
    dp_spectral_eig_free(e);
    return 0;
  }
  return 1;
}

static void check(const void *inst, struct dp_outcome *o)
{
  const struct dp_attn_inst *x = inst;
  struct dp_spectral_eig e;
  struct tied_fig f;
  if (!prepare(x, &e, o))
    return;
  realisation_part(x, &e, 0, o);
  tied_parts(x, &e, o, &f);
  dp_spectral_eig_free(&e);
}

static void twin(const void *inst, struct dp_outcome *o)
{
  const struct dp_attn_inst *x = inst;
  struct dp_spectral_eig e;
  if (!prepare(x, &e, o))
    return;
  realisation_part(x, &e, 1, o);
  dp_spectral_eig_free(&e);
}

/* The finding: the construction as the paper writes it, W_E = U_r |L_r|^(1/2) (V x r),
 * W_Q = I and W_K = sqrt(d_k) sign(L_r) (r x r), read on the instances inside the paper's own
 * premise r <= d_k <= d: are these weights of the Transformer's shapes (W_E V x d, W_Q and W_K
 * d x d_k)?  Only when d = d_k = r; elsewhere they do not type-check (DP_RATIO_FAIL: a shape,
 * exact), and the claim holds as dpcheck restates it (top-left blocks, rank(S) <= min(d, d_k)).
 * Instances outside the paper's premise are skipped: they say nothing of its wording. */
static void probe_shape(const void *inst, struct dp_outcome *o)
{
  const struct dp_attn_inst *x = inst;
  struct dp_spectral_eig e;
  if (dp_spectral_eig_make(x->base->S, &e) != GSL_SUCCESS) {
    dp_outcome_broken(o, "eigen: %s", dp_err_last());
    return;
  }
  size_t r = e.rank, d = x->d, dk = x->d_k;
  dp_spectral_eig_free(&e);
  if (r == 0) {
    dp_outcome_skip(o, "S = 0 (rank 0): nothing to realise");
    return;
  }
  if (!(r <= dk && dk <= d)) {
    dp_outcome_skip(o, "outside the paper's premise r <= d_k <= d (r=%zu, d=%zu, d_k=%zu)", r,
                    d, dk);
    return;
  }
  int fits = d == dk && dk == r;
  dp_outcome_part(o, DP_JUDGE_RATIO, fits ? 0.0 : DP_RATIO_FAIL,
                  "r=%zu <= d_k=%zu <= d=%zu: as written W_E is V x %zu (must be V x d = V x "
                  "%zu), W_Q = I must be d x d_k = %zu x %zu, sign(L_r) is %zu x %zu: %s", r, dk,
                  d, r, d, d, dk, r, r, fits ? "they type-check" : "they do not type-check");
}

static const struct dp_finding_def findings[] = {
  {.key = "shape",
   .kind = DP_FINDING_RESTATED,
   .summary = "As written, the construction (W_E = U_r |L_r|^(1/2), W_Q = I, W_K = sqrt(d_k) "
              "sign(L_r) of size r x r) gives weights of the Transformer's shapes only when "
              "d = d_k = r, though its premise r <= d_k <= d admits other widths. Embedded as "
              "top-left blocks of V x d and d x d_k matrices it realises M exactly, and then "
              "needs only rank(S) <= min(d, d_k) (d_k <= d is not used): that restatement is "
              "what dpcheck checks.",
   .as_stated = "Under r <= d_k <= d, W_E = U_r |L_r|^(1/2), W_Q = I and W_K = sqrt(d_k) "
                "sign(L_r) are weights of shapes V x d, d x d_k and d x d_k.",
   .condition = "the weights embedded as top-left blocks",
   .probe = probe_shape,
   .tol_kind = DP_JUDGE_RATIO,
   .tol = DP_TOL_RATIO},
};

/* Real text: log1p and PPMI of the corpus's counts on the words of its first verses (both
 * indefinite), d = d_k = rank(S). */
static int cases(const struct dp_ctx *ctx, struct dp_case_row *rows, size_t max, size_t *nrows)
{
  static const int ops[] = {DP_SOP_LOG1P, DP_SOP_PPMI};
  return dp_attn_cases(ctx, ops, 2, NULL, check, twin, rows, max, nrows);
}

/* One row of the tied-weights table. */
static int table_row(struct dp_table *t, const char *name, const struct dp_attn_inst *x)
{
  struct dp_spectral_eig e;
  struct dp_outcome o = {DP_MEASURED, NAN, "", 0, 0};
  struct tied_fig f = {NAN, NAN, NAN, NAN, NAN, NAN, NAN};
  int st = dp_spectral_eig_make(x->base->S, &e);
  if (st != GSL_SUCCESS)
    return st;
  double ru = NAN, rt = NAN;
  int applies = e.rank <= x->d && e.rank <= x->d_k;
  char c[10][48];
  snprintf(c[0], 48, "%s", name);
  snprintf(c[1], 48, "%zu", x->base->V);
  snprintf(c[2], 48, "%zu (%zu+, %zu-)", e.rank, e.npos, e.nneg);
  snprintf(c[3], 48, "%zu / %zu", x->d, x->d_k);
  for (int j = 4; j < 10; j++)
    snprintf(c[j], 48, "%s", j == 4 ? "skipped: r > min(d, d_k)" : "-");
  if (applies) {
    ru = realisation_part(x, &e, 0, &o);
    rt = realisation_part(x, &e, 1, &o);
    tied_parts(x, &e, &o, &f);
    snprintf(c[4], 48, "%.3g", ru);
    snprintf(c[5], 48, "%.4g", f.nS > 0 ? f.bound / f.nS : 0.0);
    snprintf(c[6], 48, "%.3g", f.attain);
    snprintf(c[7], 48, "%.3g", f.worst_cand);
    snprintf(c[8], 48, "%.4g / %.4g", f.nM > 0 ? f.seq / f.nM : 0.0, f.nM > 0 ? f.mneg / f.nM : 0.0);
    snprintf(c[9], 48, "%.3g", rt);
  }
  dp_spectral_eig_free(&e);
  if (o.status != DP_MEASURED)
    return DP_ERROR(GSL_EFAILED, "C08 table, %s: %s", name, o.what);
  return dp_table_row(t, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9]);
}

/* The table: real S (log1p, PPMI) when a corpus is given, and the first generated instances. */
static int evidence(const struct dp_ctx *ctx, struct dp_evidence *xo)
{
  static const char *const head[] = {
    "S", "V", "rank (+, -)", "d / d_k", "untied ratio", "||L_neg|| / ||S||", "attained (ratio)",
    "other tied W (worst violation)", "||M - Q S_+ Q^T|| / ||M|| vs ||M_neg|| / ||M||",
    "tied as untied (twin ratio)"};
  struct dp_table *t = dp_evidence_table(xo, "Tied weights: the nearest-PSD lower bound and its "
                                           "attainment", 10, head);
  int st = dp_alloc_ok("C08 table", 1, (void *[]){t});
  if (st != GSL_SUCCESS)
    return st;
  snprintf(t->note, sizeof t->note,
           "min over V x w matrices W of ||S - W W^T||_F = ||L_neg||_F (w >= #positive), "
           "attained by W = U_+ L_+^(1/2); relative to ||S|| it is the share of S that tied "
           "weights (W_Q = W_K) can never produce. At the sequence level the tied logits "
           "Q S_+ Q^T stay at least ||M_neg|| from M. Ratios are test ratios (<= 30 holds); "
           "the twin column is the residual test of the tied weights used as a realisation.");
  const int ops[] = {DP_SOP_LOG1P, DP_SOP_PPMI};
  for (int i = 0; i < 2 && st == GSL_SUCCESS && (ctx->env->corpus || ctx->env->corpus_path); i++) {
    const struct dp_attn_inst *x = NULL;
    st = dp_attn_inst_shared(ctx, 120, 64, ops[i], &x, NULL, 0);
    if (st == GSL_SUCCESS)
      st = table_row(t, i ? "real text, PPMI (120 words)" : "real text, log1p (120 words)", x);
  }
  for (unsigned i = 0; i < 8 && st == GSL_SUCCESS; i++) {
    uint64_t seed = dp_ctx_trial_seed(ctx, i);
    struct dp_attn_inst *x = dp_attn_inst_make(seed, &ctx->sizes, 0);
    char name[48];
    st = x ? GSL_SUCCESS : GSL_ENOMEM;
    if (x) {
      snprintf(name, sizeof name, "trial %u: %s", i, dp_skind_name(x->base->kind));
      st = table_row(t, name, x);
    }
    dp_attn_inst_free(x);
  }
  return st;
}

/* --- the exact tier (certified) ------------------------------------------------------------ */

/* A's entries (S = A + A^T): wide, so that the rounded optimum is close to the optimum and
 * the bound is nearly attained: the certified comparison is then a sharp one. */
#define C08_A_RANGE (1L << 20)
/* the random candidate's entries */
#define C08_W_RANGE 1024

/* W := the tied optimum U_+ L_+^(1/2) (the w largest positive eigenpairs, double precision)
 * rounded to integers: any integer W is a candidate, so no rounding here touches the proof,
 * which is of ||S - W W^T||^2 >= bound for this W; returns a GSL status. */
static int rounded_optimum(const fmpz_mat_t S, fmpz_mat_t W)
{
  slong V = fmpz_mat_nrows(S), w = fmpz_mat_ncols(W);
  gsl_matrix *Sd = gsl_matrix_alloc((size_t)V, (size_t)V);
  gsl_matrix *U = gsl_matrix_alloc((size_t)V, (size_t)V);
  gsl_vector *ev = gsl_vector_alloc((size_t)V);
  int st = dp_alloc_ok("C08 exact tier", 3, (void *[]){Sd, U, ev});
  for (slong i = 0; i < V && st == GSL_SUCCESS; i++)
    for (slong j = 0; j < V; j++)
      gsl_matrix_set(Sd, (size_t)i, (size_t)j, (double)fmpz_get_si(fmpz_mat_entry(S, i, j)));
  if (st == GSL_SUCCESS)
    st = dp_spectral_eigen(Sd, ev, U);
  if (st == GSL_SUCCESS) {
    fmpz_mat_zero(W);
    for (slong j = 0; j < w && j < V; j++) {
      double l = gsl_vector_get(ev, (size_t)j);
      if (!(l > 0.0))
        break;
      for (slong i = 0; i < V; i++)
        fmpz_set_d(fmpz_mat_entry(W, i, j),
                   round(sqrt(l) * gsl_matrix_get(U, (size_t)i, (size_t)j)));
    }
  }
  gsl_matrix_free(Sd);
  gsl_matrix_free(U);
  gsl_vector_free(ev);
  return st;
}

/* ||S - W W^T||_F^2 against the bound: the left side exact (an integer), the bound a ball. */
static enum dp_cert tied_cmp(const fmpz_mat_t S, const fmpz_mat_t W, const arb_t bound,
                             fmpz_t lhs)
{
  slong V = fmpz_mat_nrows(S);
  fmpz_mat_t Wt, G;
  fmpz_mat_init(Wt, fmpz_mat_ncols(W), V), fmpz_mat_init(G, V, V);
  fmpz_mat_transpose(Wt, W);
  fmpz_mat_mul(G, W, Wt);
  fmpz_mat_sub(G, S, G);
  dp_cert_frob2(lhs, G);
  arb_t l;
  arb_init(l);
  arb_set_fmpz(l, lhs);
  enum dp_cert c = dp_cert_ge(l, bound);
  arb_clear(l);
  fmpz_mat_clear(Wt), fmpz_mat_clear(G);
  return c;
}

/* Claim: for symmetric integer S = A + A^T and integer tied weights W (V x w, w = min(d, d_k);
 * the rounded optimum, the same with every entry moved by -1, 0 or +1, and a random W),
 * ||S - W W^T||_F^2 >= sum_{lambda < 0} lambda^2: the left side exact, the right side's ball
 * from certified eigenvalue enclosures (met with ||S||_F^2 - sum_{lambda > 0} lambda^2, so
 * that a negative definite S, whose W = 0 attains the bound exactly, is decided); each
 * candidate certified when the integer is >= the ball, refuted when it is below; an overlap
 * (or an eigenvalue whose sign the enclosures do not decide) leaves the instance undecided
 * (skipped).  The attainment is not checked here.
 * Twin: the bound with every eigenvalue's square, not only the negative ones':
 * ||S - W W^T||_F^2 >= sum_i lambda_i^2 = ||S||_F^2 for every tied W, its right side a ball
 * from the same enclosures (the negative and the positive squares, each met with ||S||_F^2
 * minus the other), checked by the same certified comparison on the rounded optimum.  It is
 * false wherever S has a positive eigenvalue: W = sqrt(lambda_max) u_max leaves ||S||^2 -
 * lambda_max^2, and the rounded optimum (the w >= 1 largest positive eigenpairs) at most that
 * plus its rounding, far below the bound at these entries; there it is rejected where the
 * comparison refutes it.  Where S has no positive eigenvalue the two bounds are the same
 * number: skipped, as where the comparison is undecided. */
static void exact_check(uint64_t seed, const struct dp_sizes *sz, int twin, struct dp_outcome *o)
{
  struct dp_xdraw x;
  dp_xdraw_make(seed, sz, &x);
  char d[160];
  dp_xdraw_describe(&x, d, sizeof d);
  slong V = (slong)x.V, w = (slong)(x.d < x.dk ? x.d : x.dk);
  fmpz_mat_t S, W, C;
  fmpz_t lhs;
  arb_t bound;
  arb_ptr lam = _arb_vec_init(V);
  fmpz_mat_init(S, V, V), fmpz_mat_init(W, V, w), fmpz_mat_init(C, V, w);
  fmpz_init(lhs);
  arb_init(bound);
  dp_exact_random(S, &x.rng, C08_A_RANGE);
  dp_exact_symmetrise(S);
  if (!dp_cert_eig_sym(lam, S)) {
    dp_outcome_skip(o, "%s: undecided: S's eigenvalues not separated", d);
    goto out;
  }
  dp_cert_frob2(lhs, S);
  int got = dp_cert_sq_sum(bound, lam, V, -1, lhs);
  if (got < 0) {
    dp_outcome_broken(o, "%s: the enclosures' squares do not meet ||S||_F^2", d);
    goto out;
  }
  if (got == 0) {
    dp_outcome_skip(o, "%s: undecided: an eigenvalue's sign (S singular)", d);
    goto out;
  }
  if (rounded_optimum(S, W) != GSL_SUCCESS) {
    dp_outcome_broken(o, "%s: tied optimum: %s", d, dp_err_last());
    goto out;
  }
  if (twin) {
    int pos = 0;
    for (slong i = 0; i < V; i++)
      pos += arb_is_positive(lam + i) != 0; /* every sign is decided: got == 1 */
    if (pos == 0) {
      dp_outcome_skip(o, "%s: S has no positive eigenvalue: sum_i lambda_i^2 is "
                      "sum_{lambda<0} lambda^2, the twin cannot differ", d);
      goto out;
    }
    arb_t possq, wrong;
    arb_init(possq), arb_init(wrong);
    dp_cert_frob2(lhs, S);
    if (dp_cert_sq_sum(possq, lam, V, 1, lhs) != 1) { /* decided above: the same enclosures */
      dp_outcome_broken(o, "%s: the positive squares do not meet ||S||_F^2", d);
    } else {
      arb_add(wrong, bound, possq, 4 * DP_CERT_PREC);
      enum dp_cert r = tied_cmp(S, W, wrong, lhs);
      if (r == DP_CERT_UNDECIDED)
        dp_outcome_skip(o, "%s, w=%ld: undecided: the rounded optimum's ||S - W W^T||^2 within "
                        "sum_i lambda_i^2's ball", d, (long)w);
      else
        dp_outcome_part(o, DP_JUDGE_RATIO, r == DP_CERT_HOLDS ? 0.0 : DP_RATIO_FAIL,
                        "%s, w=%ld, rounded optimum: ||S - W W^T||^2 = %.6g %s sum_i "
                        "lambda_i^2 = %.6g (certified; %d positive eigenvalue(s))", d, (long)w,
                        fmpz_get_d(lhs), r == DP_CERT_HOLDS ? ">=" : "<",
                        arf_get_d(arb_midref(wrong), ARF_RND_NEAR), pos);
    }
    arb_clear(possq), arb_clear(wrong);
    goto out;
  }
  static const char *const names[] = {"rounded optimum", "rounded optimum +-1", "random W"};
  unsigned undecided = 0;
  for (unsigned c = 0; c < 3u; c++) {
    if (c == 0)
      fmpz_mat_set(C, W);
    else if (c == 1)
      for (slong i = 0; i < V; i++)
        for (slong j = 0; j < w; j++)
          fmpz_add_si(fmpz_mat_entry(C, i, j), fmpz_mat_entry(W, i, j),
                      (long)dp_rng_below(&x.rng, 3) - 1);
    else
      dp_exact_random(C, &x.rng, C08_W_RANGE);
    enum dp_cert r = tied_cmp(S, C, bound, lhs);
    undecided += r == DP_CERT_UNDECIDED;
    if (r != DP_CERT_UNDECIDED)
      dp_outcome_part(o, DP_JUDGE_RATIO, r == DP_CERT_HOLDS ? 0.0 : DP_RATIO_FAIL,
                      "%s, w=%ld, %s: ||S - W W^T||^2 = %.6g %s sum_{lambda<0} lambda^2 = "
                      "%.6g (certified)", d, (long)w, names[c], fmpz_get_d(lhs),
                      r == DP_CERT_HOLDS ? ">=" : "<", arf_get_d(arb_midref(bound), ARF_RND_NEAR));
  }
  if (undecided && !(o->parts && o->figure > 0.0)) /* a refutation stands; else undecided */
    dp_outcome_skip(o, "%s: undecided: ||S - W W^T||^2 within the bound's ball", d);
out:
  _arb_vec_clear(lam, V);
  fmpz_mat_clear(S), fmpz_mat_clear(W), fmpz_mat_clear(C);
  fmpz_clear(lhs);
  arb_clear(bound);
}

static const struct dp_exact exact = {
  .kind = DP_EXACT_CERTIFIED,
  .statement = "tied W (integer; rounded optimum, perturbed, random): ||S - W W^T||_F^2 >= "
               "sum_{lambda<0} lambda^2 for symmetric integer S, exact left side, Arb-certified "
               "right side",
  .twin_statement = "the bound with every lambda^2 (||S||_F^2, Arb-certified), refuted by the "
                    "rounded optimum through the same comparison",
  .trials = 100,
  .check = exact_check,
};

const struct dp_claim dp_claim_c08 = {
  .id = "C08",
  .slug = "realisability",
  .title = "Realisability by attention weights",
  .paper_ref = "Sec. 4 (factorising S into W_E, W_Q, W_K)",
  .statement =
    "If rank(S) = r <= min(d, d_k), S = U L U^T gives W_E = [U_r |L_r|^(1/2), 0] (V x d), "
    "W_Q = I_{d x d_k}, W_K = sqrt(d_k) [sign(L_r) 0; 0 0] (d x d_k) with "
    "H W_Q W_K^T H^T / sqrt(d_k) = M exactly (the paper's W_Q = I and r x r sign(L_r), "
    "embedded as top-left blocks: as written they type-check only for d = d_k = r). Tied "
    "weights W_Q = W_K give Q W W^T Q^T (W = W_E W_Q, width w = min(d, d_k)) and "
    "min_W ||S - W W^T||_F = ||L_negative||_F, attained by W = U_+ L_+^(1/2): an indefinite S "
    "cannot be realised by tied weights; at the sequence level they stay >= ||M_negative||_F "
    "from M.",
  .conditions =
    "Premise r <= min(d, d_k), numerical rank (|lambda| > 10 V eps ||S||_2); the paper's "
    "r <= d_k <= d is a special case (the construction never uses d_k <= d). Instances with "
    "r > min(d, d_k) are skipped. The tied bound as stated needs w >= #positive eigenvalues, "
    "which the premise implies.",
  .judged =
    "Realisation by test ratio against gathered M of the residual beyond max_a n_a ||S - S_r||_F "
    "(the weights realise S_r exactly: the eigenvalues under the rank threshold, up to V - r "
    "of them, each up to 10 V eps ||S||_2, are the premise's, not rounding), n = V + 2d + d_k, "
    "scale = ||H||^2 + max_a n_a ||S||_F: a backward-stable eigen-decomposition (n = V, "
    "||S||_F) and the chain of products H W_Q, H W_K, their product (inner sizes d, d, d_k, "
    "||H||^2 ||W_Q|| ||W_K|| = ||H||^2 here); the tied bound's attainment by test ratio "
    "(n = V + w, scale = ||S|| + ||W||^2: the eigenvalues, Weyl, and W W^T with w terms); the "
    "bound against 5 other tied W (same n, scale with ||W||^2) and ||M - Q S_+ Q^T|| >= "
    "||M_neg|| (n = V + R + w, scale = max_a n_a (||S|| + ||W||^2)) as ratios of the "
    "violation.",
  .twin_statement =
    "Tied weights realise an indefinite S: the best tied weights (W_E = [U_+ L_+^(1/2), 0], "
    "W_Q = W_K = d_k^(1/4) I) give H W_Q W_K^T H^T / sqrt(d_k) = M by the same residual test.",
  .gen = &dp_gen_attn,
  .check = check,
  .twin = twin,
  .tol_kind = DP_JUDGE_RATIO,
  .tol = DP_TOL_RATIO,
  .trials = 100,
  .cases = cases,
  .evidence = evidence,
  .holds_under = "rank(S) <= min(d, d_k)",
  .exact = &exact,
  .findings = findings,
  .nfindings = 1,
};
