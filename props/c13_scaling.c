/* c13_scaling.c: claim C13, the 1/sqrt(d_k) scaling of attention logits.
 *
 * Paper: for q, k in R^{d_k} with iid N(0, 1) entries, Var(q . k) = d_k, so the scaled logits
 * q . k / sqrt(d_k) have unit variance for every d_k, while unscaled logits make the softmax
 * saturate as d_k grows.  Checked by a Monte Carlo test per instance (C13 family,
 * family_softmax.c: d_k = 1..1024, N samples, the sample seed printed): the statistic is the
 * second moment v = (1/N) sum z_n^2 of z = q . k / sqrt(d_k) (unbiased for Var z, as E z = 0
 * by symmetry), standardised with its exact null moments, E z^4 = 3 + 6/d_k and
 * E z^6 = 15 (d_k + 2)(d_k + 4)/d_k^2 (z = |k| g / sqrt(d_k), g ~ N(0, 1), |k|^2 ~ chi^2_d_k),
 * and compared with the two-sided critical value at level DP_C13_ALPHA (tol.h: Bonferroni over
 * the run), the upper one corrected for the skewness of v (Cornish-Fisher).  Saturation is
 * reported in the extras: row entropy and largest weight of softmax over 64 keys against d_k,
 * scaled and unscaled.  Twin: scaling by 1/d_k keeps unit variance, by the same test. */
#include <math.h>
#include <stdlib.h>
#include "softmax.h"
#include "rng.h"
#include "err.h"
#include "seed.h"
#include "family_softmax.h"
#include "props.h"

/* The null distribution of v for dimension d and N samples: sd and skewness. */
static void null_moments(size_t d, size_t N, double *sd, double *skew)
{
  double dd = (double)d, m4 = 3.0 + 6.0 / dd, m6 = 15.0 * (dd + 2.0) * (dd + 4.0) / (dd * dd);
  double var = m4 - 1.0, k3 = m6 - 3.0 * m4 + 2.0;
  *sd = sqrt(var / (double)N);
  *skew = k3 / pow(var, 1.5) / sqrt((double)N);
}

/* The test of Var(dot / divisor) = 1 on the instance's samples. */
static void mc_test(const struct dp_mc_inst *x, double divisor, const char *what,
                    struct dp_outcome *o)
{
  double s = 0.0;
  for (size_t n = 0; n < x->N; n++) {
    double z = x->dot[n] / divisor;
    s += z * z;
  }
  double v = s / (double)x->N, sd, skew;
  null_moments(x->d, x->N, &sd, &skew);
  double T = (v - 1.0) / sd;
  double cup = DP_C13_ZCRIT + fmax(0.0, skew) * (DP_C13_ZCRIT * DP_C13_ZCRIT - 1.0) / 6.0;
  double clo = DP_C13_ZCRIT;
  double fig = T >= 0.0 ? T / cup : -T / clo;
  dp_outcome_part(o, DP_JUDGE_RATIO, fig,
                  "d_k=%zu N=%zu seed=%llu: Var(%s)=%.5f, T=%.2f sd, critical -%.3f/+%.3f "
                  "(alpha=%.0e two-sided)", x->d, x->N, (unsigned long long)x->seed, what, v, T,
                  clo, cup, DP_C13_ALPHA);
}

static void check(const void *inst, struct dp_outcome *o)
{
  const struct dp_mc_inst *x = inst;
  mc_test(x, sqrt((double)x->d), "q.k/sqrt d_k", o);
}

static void twin(const void *inst, struct dp_outcome *o)
{
  const struct dp_mc_inst *x = inst;
  if (x->d == 1) {
    dp_outcome_skip(o, "d_k = 1: d_k = sqrt(d_k); the twin cannot differ");
    return;
  }
  mc_test(x, (double)x->d, "q.k/d_k", o);
}

/* --- extras: variance, entropy and largest weight against d_k ---------------------------- */

#define C13_ND (DP_MC_D_LOG2_MAX + 1)
#define C13_VAR_N 4096u
#define C13_KEYS 64u
#define C13_ROWS 64u

/* Mean row entropy and largest weight of softmax(scale Z) over the rows of Z. */
static int saturation(const gsl_matrix *Z, double scale, gsl_matrix *W, gsl_vector *H,
                      gsl_vector *mx, double *h, double *m)
{
  int st = dp_softmax_rows(Z, scale, NULL, W, NULL);
  if (st == GSL_SUCCESS)
    st = dp_softmax_row_stats(W, H, mx);
  if (st != GSL_SUCCESS)
    return st;
  *h = 0.0, *m = 0.0;
  for (size_t i = 0; i < Z->size1; i++)
    *h += gsl_vector_get(H, i), *m += gsl_vector_get(mx, i);
  *h /= (double)Z->size1, *m /= (double)Z->size1;
  return GSL_SUCCESS;
}

static int evidence(const struct dp_ctx *ctx, struct dp_evidence *ex)
{
  double dk[C13_ND], vs[C13_ND], vu[C13_ND], vt[C13_ND], se[C13_ND], one[C13_ND];
  double hs[C13_ND], hu[C13_ND], ht[C13_ND], ms[C13_ND], mu[C13_ND], mt[C13_ND], logR[C13_ND],
      invR[C13_ND];
  uint64_t seed = dp_ctx_stream(ctx, "C13/extras");
  dp_rng r;
  dp_rng_seed(&r, seed);
  gsl_matrix *Z = gsl_matrix_alloc(C13_ROWS, C13_KEYS), *W = gsl_matrix_alloc(C13_ROWS, C13_KEYS);
  gsl_vector *H = gsl_vector_alloc(C13_ROWS), *mx = gsl_vector_alloc(C13_ROWS);
  double *q = malloc(((size_t)1 << DP_MC_D_LOG2_MAX) * sizeof *q);
  int st = Z && W && H && mx && q ? GSL_SUCCESS : DP_ERROR(GSL_ENOMEM, "C13 extras: no memory");
  for (int u = 0; u < C13_ND && st == GSL_SUCCESS; u++) {
    size_t d = (size_t)1 << u;
    dk[u] = (double)d;
    one[u] = 1.0;
    logR[u] = log((double)C13_KEYS);
    invR[u] = 1.0 / (double)C13_KEYS;
    struct dp_mc_inst *x = dp_mc_inst_sample(dp_rng_u64(&r), d, C13_VAR_N);
    if (!x) {
      st = GSL_ENOMEM;
      break;
    }
    double s2 = 0.0;
    for (size_t n = 0; n < x->N; n++)
      s2 += x->dot[n] * x->dot[n];
    vu[u] = s2 / (double)x->N;
    vs[u] = vu[u] / (double)d;
    vt[u] = vs[u] / (double)d;
    se[u] = sqrt((2.0 + 6.0 / (double)d) / (double)x->N);
    dp_mc_inst_free(x);
    /* saturation: C13_ROWS queries against C13_KEYS keys, unscaled logits q . k_j */
    for (size_t i = 0; i < C13_ROWS; i++) {
      for (size_t a = 0; a < d; a++)
        q[a] = dp_rng_gauss(&r);
      for (size_t j = 0; j < C13_KEYS; j++) {
        double s = 0.0;
        for (size_t a = 0; a < d; a++)
          s += q[a] * dp_rng_gauss(&r);
        gsl_matrix_set(Z, i, j, s);
      }
    }
    const double scales[3] = {dp_softmax_scale_dk(d), 1.0, 1.0 / (double)d};
    double *hv[3] = {hs, hu, ht}, *mv[3] = {ms, mu, mt};
    for (int k = 0; k < 3 && st == GSL_SUCCESS; k++)
      st = saturation(Z, scales[k], W, H, mx, &hv[k][u], &mv[k][u]);
  }
  gsl_matrix_free(Z), gsl_matrix_free(W);
  gsl_vector_free(H), gsl_vector_free(mx);
  free(q);
  if (st != GSL_SUCCESS)
    return st;

  char note[3][400];
  snprintf(note[0], sizeof note[0],
           "%u samples of q . k per d_k (iid N(0,1) entries), sample seeds drawn from seed %llu. "
           "Scaled by sqrt(d_k) the variance stays at 1 (standard error sqrt((2 + 6/d_k)/N), "
           "at most %.3f); unscaled it grows as d_k; scaled by d_k (the twin) it falls as 1/d_k.",
           C13_VAR_N, (unsigned long long)seed, se[0]);
  snprintf(note[1], sizeof note[1],
           "softmax over %u keys, %u query rows per d_k. Scaled logits keep the entropy at its "
           "d_k = 1 level; unscaled ones saturate (entropy towards 0, one key takes the weight); "
           "scaling by d_k flattens towards uniform (log %u).", C13_KEYS, C13_ROWS, C13_KEYS);
  snprintf(note[2], sizeof note[2], "The same rows as the entropy plot.");
  const struct {
    const char *title, *ylabel;
    int logy;
    const char *name[5];
    const double *y[5];
  } plots[] = {
    {"C13 variance against d_k", "variance of the logit q . k / scale", 1,
     {"Var(q.k / sqrt(d_k)) (claim)", "Var(q.k) (unscaled)", "Var(q.k / d_k) (twin)", "1", "d_k"},
     {vs, vu, vt, one, dk}},
    {"C13 entropy against d_k", "mean row entropy of softmax (nats)", 0,
     {"scaled by 1/sqrt(d_k)", "unscaled", "scaled by 1/d_k (twin)", "log R (uniform)", NULL},
     {hs, hu, ht, logR, NULL}},
    {"C13 max weight against d_k", "mean largest weight of a row", 0,
     {"scaled by 1/sqrt(d_k)", "unscaled", "scaled by 1/d_k (twin)", "1/R (uniform)", NULL},
     {ms, mu, mt, invR, NULL}}};
  for (int k = 0; k < 3 && st == GSL_SUCCESS; k++) {
    struct dp_plot *p = dp_evidence_plot(ex, plots[k].title, "d_k", plots[k].ylabel, 1,
                                       plots[k].logy);
    if (!p)
      return GSL_ENOMEM;
    snprintf(p->note, sizeof p->note, "%.399s", note[k]);
    /* the first three series are measurements, the rest reference lines */
    for (int j = 0; j < 5 && plots[k].name[j] && st == GSL_SUCCESS; j++)
      st = dp_plot_series(p, plots[k].name[j], j >= 3, C13_ND, dk, plots[k].y[j]);
  }
  if (st != GSL_SUCCESS)
    return st;

  static const char *const head[] = {"d_k", "Var scaled (+- se)", "Var unscaled",
                                     "Var / d_k^2 (twin)",
                                     "entropy scaled", "entropy unscaled", "max weight scaled",
                                     "max weight unscaled"};
  struct dp_table *t = dp_evidence_table(ex, "C13 variance, entropy and max weight against d_k",
                                       8, head);
  if (!t)
    return GSL_ENOMEM;
  snprintf(t->note, sizeof t->note,
           "Variance from %u samples per d_k; entropy (nats, uniform = %.3f) and largest weight "
           "averaged over %u rows of softmax over %u keys. Seed %llu.", C13_VAR_N,
           log((double)C13_KEYS), C13_ROWS, C13_KEYS, (unsigned long long)seed);
  for (int u = 0; u < C13_ND && st == GSL_SUCCESS; u++) {
    char c[8][48];
    snprintf(c[0], sizeof c[0], "%zu", (size_t)1 << u);
    snprintf(c[1], sizeof c[1], "%.4f +- %.4f", vs[u], se[u]);
    snprintf(c[2], sizeof c[2], "%.4g", vu[u]);
    snprintf(c[3], sizeof c[3], "%.4g", vt[u]);
    snprintf(c[4], sizeof c[4], "%.3f", hs[u]);
    snprintf(c[5], sizeof c[5], "%.3f", hu[u]);
    snprintf(c[6], sizeof c[6], "%.3f", ms[u]);
    snprintf(c[7], sizeof c[7], "%.3f", mu[u]);
    st = dp_table_row(t, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
  }
  return st;
}

const struct dp_claim dp_claim_c13 = {
  .id = "C13",
  .slug = "scaling",
  .title = "Scaling by sqrt(d_k)",
  .paper_ref = "Sec. 4 (the 1/sqrt(d_k) factor)",
  .statement =
    "For q, k in R^{d_k} with iid N(0, 1) entries, Var(q . k) = d_k, so the scaled logit "
    "q . k / sqrt(d_k) has variance 1 for every d_k; without the scaling softmax saturates as d_k "
    "grows (row entropy and largest weight against d_k in the extras).",
  .conditions =
    "Monte Carlo: one d_k = 2^u (u = 0..10) per instance, N = max(4096, 2^19/d_k) samples from a "
    "printed sample seed. Two-sided test at level 1e-7 per instance (confidence 1 - 1e-7); "
    "Bonferroni: the 100 tests of a default run have family-wise error <= 1e-5, so a correct claim "
    "fails a run by chance with probability below 1e-5, whatever the seed.",
  .judged =
    "v = (1/N) sum (q.k/sqrt d_k)^2, T = (v - 1)/sqrt((2 + 6/d_k)/N) (exact null variance); figure "
    "= T / (z + g (z^2 - 1)/6) above 1, -T / z below, z = 5.3267 = Phi^-1(1 - 5e-8), g the null "
    "skewness of v (Cornish-Fisher); holds when <= 1.",
  .twin_statement = "Scaling by d_k instead of sqrt(d_k) keeps unit variance: Var(q . k / d_k) = 1 "
                    "(true only for d_k = 1), by the same test.",
  .gen = &dp_gen_softmax_mc,
  .check = check,
  .twin = twin,
  .tol_kind = DP_JUDGE_RATIO,
  .tol = DP_TOL_UNIT,
  .trials = 100,
  .evidence = evidence,
  .holds_under = "q, k with iid N(0, 1) entries",
};
