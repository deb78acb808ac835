/* c06_predictions.c: claim C06, vocabulary-level predictions E = M (Q S).
 *
 * Paper: E = M (Q S) is "attention" with weights M and values Q S (the distributional
 * profiles of the context words).  Checked by three independent routes and one consequence:
 *   E = M (Q S)                 (dgemm, inner dimension R)
 *     = Q S D S, D = Q^T Q      (dgemm of (Q S) and (D S), inner dimension V)
 *     = rows sum_j S_{t_i t_j} S_{t_j,:}   (plain loops)
 *   E Q^T = M^2.
 * Each pair by test ratio with the norm product that bounds its rounding.  Twin: E = Q S S,
 * which forgets that only the context words, with their multiplicities D, carry the
 * prediction (wrong whenever some word is absent from, or repeated in, the sequence). */
#include <math.h>
#include <stdlib.h>
#include "select.h"
#include "project.h"
#include "resid.h"
#include "err.h"
#include "props.h"

struct routes {
  struct dp_proj p;
  gsl_matrix *QS, *E;
  size_t *n;
};

static int routes_make(const struct dp_inst *x, struct routes *r)
{
  r->QS = gsl_matrix_alloc(x->R, x->V);
  r->E = gsl_matrix_alloc(x->R, x->V);
  r->n = calloc(x->V, sizeof *r->n);
  int st = dp_proj_make(x->S, x->t, x->R, &r->p); /* sets every field of r->p */
  if (st == GSL_SUCCESS && (!r->QS || !r->E || !r->n))
    st = DP_ERROR(GSL_ENOMEM, "predictions: out of memory for R=%zu, V=%zu", x->R, x->V);
  if (st == GSL_SUCCESS)
    st = dp_select_rows(x->S, x->t, x->R, r->QS);
  if (st == GSL_SUCCESS)
    st = dp_project_E(r->p.Mg, r->QS, r->E);
  if (st == GSL_SUCCESS)
    dp_select_counts(x->t, x->R, x->V, r->n);
  return st;
}

static void routes_free(struct routes *r)
{
  dp_proj_free(&r->p);
  gsl_matrix_free(r->QS);
  gsl_matrix_free(r->E);
  free(r->n);
}

static void check(const void *inst, struct dp_outcome *o)
{
  const struct dp_inst *x = inst;
  size_t R = x->R, V = x->V;
  struct routes r;
  gsl_matrix *E2 = gsl_matrix_alloc(R, V), *E3 = gsl_matrix_alloc(R, V);
  gsl_matrix *EQt = gsl_matrix_alloc(R, R), *M2 = gsl_matrix_alloc(R, R);
  if (routes_make(x, &r) != GSL_SUCCESS ||
      dp_project_E_QSDS(r.QS, x->S, r.n, E2) != GSL_SUCCESS ||
      dp_project_E_rows(x->S, x->t, R, E3) != GSL_SUCCESS ||
      dp_project_ABt(r.E, r.p.Q, EQt) != GSL_SUCCESS ||
      dp_project_square(r.p.Mg, M2) != GSL_SUCCESS) {
    dp_outcome_broken(o, "predictions: %s", dp_err_last());
    goto out;
  }
  double nM = dp_resid_norm(r.p.Mg), nQS = dp_resid_norm(r.QS);
  /* ||D S||_F without forming it: row a of S scaled by n_a */
  double nDS = 0.0;
  for (size_t a = 0; a < V; a++) {
    gsl_vector_const_view row = gsl_matrix_const_row(x->S, a);
    double rn = r.n[a] ? gsl_blas_dnrm2(&row.vector) * (double)r.n[a] : 0.0;
    nDS = hypot(nDS, rn);
  }
  double n = (double)(R > V ? R : V), scale = fmax(nM * nQS, nQS * nDS);
  dp_outcome_part(o, DP_JUDGE_RATIO, dp_resid_matrix_ratio(r.E, E2, 0, n, scale),
                  "M (Q S) = Q S D S: n=max(R,V)=%g scale=%.3g", n, scale);
  dp_outcome_part(o, DP_JUDGE_RATIO, dp_resid_matrix_ratio(r.E, E3, 0, (double)R, nM * nQS),
                  "M (Q S) = rows sum_j S_{t_i t_j} S_{t_j,:}: n=R=%zu scale=%.3g", R, nM * nQS);
  double sc2 = nM * (nQS + nM);
  dp_outcome_part(o, DP_JUDGE_RATIO, dp_resid_matrix_ratio(EQt, M2, 0, (double)R, sc2),
                  "E Q^T = M^2: n=R=%zu scale=%.3g", R, sc2);
out:
  routes_free(&r);
  gsl_matrix_free(E2);
  gsl_matrix_free(E3);
  gsl_matrix_free(EQt);
  gsl_matrix_free(M2);
}

static void twin(const void *inst, struct dp_outcome *o)
{
  const struct dp_inst *x = inst;
  size_t R = x->R, V = x->V;
  struct routes r;
  gsl_matrix *E2 = gsl_matrix_alloc(R, V);
  int st = routes_make(x, &r);
  if (st == GSL_SUCCESS && !E2)
    st = DP_ERROR(GSL_ENOMEM, "predictions: out of memory for R=%zu, V=%zu", R, V);
  if (st == GSL_SUCCESS)
    st = gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, r.QS, x->S, 0.0, E2);
  if (st != GSL_SUCCESS) {
    dp_outcome_broken(o, "predictions: %s", dp_err_last());
  } else {
    double nM = dp_resid_norm(r.p.Mg), nQS = dp_resid_norm(r.QS), nS = dp_resid_norm(x->S);
    double n = (double)(R > V ? R : V), scale = fmax(nM * nQS, nQS * nS);
    dp_outcome_part(o, DP_JUDGE_RATIO, dp_resid_matrix_ratio(r.E, E2, 0, n, scale),
                    "M (Q S) = Q S S: n=max(R,V)=%g scale=%.3g", n, scale);
  }
  routes_free(&r);
  gsl_matrix_free(E2);
}

const struct dp_claim dp_claim_c06 = {
  .id = "C06",
  .slug = "predictions",
  .title = "Vocabulary-level predictions",
  .paper_ref = "Sec. 3 (E = M (Q S))",
  .statement =
    "E = M (Q S) = Q S D S with D = Q^T Q = diag(n_a); E Q^T = M^2; row i of E is "
    "sum_j S_{t_i t_j} S_{t_j,:}: attention with weights M and values Q S.",
  .conditions = "Any symmetric S and any sequence.",
  .judged =
    "Test ratios: M(QS) vs QSDS (n = max(R,V), scale = max(||M|| ||QS||, ||QS|| ||DS||)); "
    "M(QS) vs the row sums (n = R, scale = ||M|| ||QS||); E Q^T vs M^2 (n = R, "
    "scale = ||M|| (||QS|| + ||M||)); Frobenius norms.  Why: each route is a product whose "
    "inner products have R terms (through M) or V + 1 (through D S, one rounding per entry "
    "of D S), so its error is at most that many eps times the product of the factors' "
    "norms (Higham, Thm 3.5); the larger n and the larger scale of two routes bound both "
    "(max(R, V) for V + 1: within a factor 1 + 1/V, which the constant 30 absorbs).",
  .twin_statement = "E = Q S S (the multiplicities D = Q^T Q dropped).",
  .gen = &dp_gen_seq,
  .check = check,
  .twin = twin,
  .tol_kind = DP_JUDGE_RATIO,
  .tol = DP_TOL_RATIO,
  .trials = 100,
  .holds_under = "any symmetric S, any sequence",
};
