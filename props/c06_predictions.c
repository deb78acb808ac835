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
#include "exact.h"
#include "family.h"

/* The exact tier's entries: uniform in [-2^20, 2^20]. */
#define C06_EXACT_RANGE (1L << 20)

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

/* --- the exact tier ------------------------------------------------------------------------ */

/* S = A + A^T, A uniform in [-2^20, 2^20]: E = M (Q S) against Q S D S (D = Q^T Q) and
 * E Q^T against M^2, entry for entry (degree 2 in A's entries).  Twin: E = Q S S; it cannot
 * differ where D = I (every word of the vocabulary exactly once: skipped). */
static void exact_check(uint64_t seed, const struct dp_sizes *sz, int twin, struct dp_outcome *o)
{
  struct dp_xdraw x;
  dp_xdraw_make(seed, sz, &x);
  char d[160];
  dp_xdraw_describe(&x, d, sizeof d);
  slong R = (slong)x.R, V = (slong)x.V;
  fmpz_mat_t S, Q, Qt, QS, M, E, D, SD, Y, EQ, MM;
  fmpz_mat_init(S, V, V), fmpz_mat_init(Q, R, V), fmpz_mat_init(Qt, V, R);
  fmpz_mat_init(QS, R, V), fmpz_mat_init(M, R, R), fmpz_mat_init(E, R, V);
  fmpz_mat_init(D, V, V), fmpz_mat_init(SD, R, V), fmpz_mat_init(Y, R, V);
  fmpz_mat_init(EQ, R, R), fmpz_mat_init(MM, R, R);
  dp_exact_random(S, &x.rng, C06_EXACT_RANGE);
  dp_exact_symmetrise(S);
  dp_exact_selector(Q, x.t);
  fmpz_mat_transpose(Qt, Q);
  fmpz_mat_mul(QS, Q, S);
  fmpz_mat_mul(M, QS, Qt);
  fmpz_mat_mul(E, M, QS);
  fmpz_mat_mul(D, Qt, Q);
  int identity = fmpz_mat_is_one(D);
  if (twin && identity) {
    dp_outcome_skip(o, "%s: D = I (each word once); Q S S = Q S D S, the twin cannot differ", d);
  } else {
    if (twin) {
      fmpz_mat_mul(Y, QS, S);                         /* Q S S */
    } else {
      fmpz_mat_mul(SD, QS, D);                        /* Q S D */
      fmpz_mat_mul(Y, SD, S);                         /* Q S D S */
    }
    long i0, j0, i1 = -1, j1 = -1;
    size_t nd = dp_exact_differ(E, Y, &i0, &j0), n2 = 0;
    if (!twin) {
      fmpz_mat_mul(EQ, E, Qt);
      fmpz_mat_mul(MM, M, M);
      n2 = dp_exact_differ(EQ, MM, &i1, &j1);
    }
    dp_outcome_part(o, DP_JUDGE_RATIO, nd + n2 ? DP_RATIO_FAIL : 0.0,
                    "%s: M (Q S) = %s exactly (%zu of %ld entries differ, first (%ld, %ld))%s",
                    d, twin ? "Q S S" : "Q S D S", nd, (long)(R * V), i0, j0,
                    twin ? "" : n2 ? "; E Q^T != M^2" : "; E Q^T = M^2 exactly");
  }
  fmpz_mat_clear(S), fmpz_mat_clear(Q), fmpz_mat_clear(Qt), fmpz_mat_clear(QS);
  fmpz_mat_clear(M), fmpz_mat_clear(E), fmpz_mat_clear(D), fmpz_mat_clear(SD);
  fmpz_mat_clear(Y), fmpz_mat_clear(EQ), fmpz_mat_clear(MM);
}

static const struct dp_exact exact = {
  .kind = DP_EXACT_IDENTITY,
  .statement = "E = M (Q S) = Q S D S and E Q^T = M^2",
  .trials = 200,
  .degree = 2,
  .range = C06_EXACT_RANGE,
  .check = exact_check,
};

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
  .exact = &exact,
  .theorems = (const char *const[]){"c06_predictions", "c06_predictions_sq", "c06_D_diag", NULL},
};
