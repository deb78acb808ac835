/* props.c: the projections every claim on M = Q S Q^T starts from (see props.h). */
#include <math.h>
#include <stdlib.h>
#include "err.h"
#include "project.h"
#include "resid.h"
#include "select.h"
#include "props.h"

int dp_proj_make(const gsl_matrix *S, const size_t *t, size_t R, struct dp_proj *p)
{
  p->R = R;
  p->V = S->size1;
  p->Q = NULL;
  p->Mg = gsl_matrix_alloc(R, R);
  p->Md = gsl_matrix_alloc(R, R);
  if (!p->Mg || !p->Md)
    return DP_ERROR(GSL_ENOMEM, "projection: out of memory for R=%zu", R);
  int st = dp_select_Q(t, R, p->V, &p->Q);
  if (st == GSL_SUCCESS)
    st = dp_select_gather(S, t, R, p->Mg);
  if (st == GSL_SUCCESS)
    st = dp_project_M_dense(p->Q, S, p->Md);
  return st;
}

void dp_proj_free(struct dp_proj *p)
{
  gsl_matrix_free(p->Q);
  gsl_matrix_free(p->Mg);
  gsl_matrix_free(p->Md);
  p->Q = p->Mg = p->Md = NULL;
}

void dp_part_exact(struct dp_outcome *o, const gsl_matrix *A, const gsl_matrix *B, int transB,
                   const char *what)
{
  size_t where = 0, mism = dp_resid_mismatch(A, B, transB, &where);
  if (mism == (size_t)-1)
    dp_outcome_broken(o, "%s: %s", what, dp_err_last());
  else if (mism)
    dp_outcome_part(o, DP_JUDGE_RATIO, DP_RATIO_FAIL,
                    "%s: %zu entries differ, first (%zu,%zu): %.17g vs %.17g", what, mism,
                    where / A->size2, where % A->size2,
                    gsl_matrix_get(A, where / A->size2, where % A->size2),
                    transB ? gsl_matrix_get(B, where % A->size2, where / A->size2)
                           : gsl_matrix_get(B, where / A->size2, where % A->size2));
  else
    dp_outcome_part(o, DP_JUDGE_RATIO, 0.0, "%s: exact", what);
}

size_t dp_max_multiplicity(const size_t *t, size_t R, size_t V, size_t *distinct)
{
  size_t *n = calloc(V ? V : 1, sizeof *n), mx = 0, d = 0;
  if (n) {
    d = dp_select_counts(t, R, V, n);
    for (size_t a = 0; a < V; a++)
      if (n[a] > mx)
        mx = n[a];
  } else {
    /* No memory for the counts: count by pairs instead, O(R^2), the same numbers. */
    for (size_t i = 0; i < R; i++) {
      size_t same = 0, earlier = 0;
      for (size_t j = 0; j < R; j++)
        if (t[j] == t[i]) {
          same++;
          earlier += j < i;
        }
      d += earlier == 0;
      if (same > mx)
        mx = same;
    }
  }
  free(n);
  if (distinct)
    *distinct = d;
  return mx;
}

int dp_twin_skip_one_word(const size_t *t, size_t R, size_t V, const char *why,
                          struct dp_outcome *o)
{
  size_t distinct = 0;
  dp_max_multiplicity(t, R, V, &distinct);
  if (distinct > 1)
    return 0;
  dp_outcome_skip(o, "one word in the sequence (R=%zu, V=%zu): %s; the twin cannot differ", R,
                  V, why);
  return 1;
}

void dp_tied_candidate(dp_rng *r, const gsl_matrix *W, unsigned c, double ref, gsl_matrix *C)
{
  static const double rel[] = {0x1p-20, 0x1p-5, 1.0};
  double nG = 0.0;
  for (size_t a = 0; a < C->size1; a++)
    for (size_t j = 0; j < C->size2; j++) {
      double g = dp_rng_gauss(r);
      gsl_matrix_set(C, a, j, g);
      nG = hypot(nG, g);
    }
  double target = c < 4 ? rel[c - 1] * fmax(dp_resid_norm(W), 1.0) : sqrt(fmax(ref, 1.0));
  gsl_matrix_scale(C, target / nG);
  if (c < 4)
    gsl_matrix_add(C, W);
}
