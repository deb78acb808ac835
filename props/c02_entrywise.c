/* c02_entrywise.c: claim C02, the projection read entry by entry.
 *
 * Paper: the core projection M = Q S Q^T with the one-hot selector Q_ia = [t_i = a].
 * Checked: (Q S Q^T)_ij = S_{t_i t_j} for every i, j, with Q S Q^T computed by the BLAS
 * (two dgemm calls) and S read directly, and the gather route (no V-sized work) equal to the
 * BLAS product.  For finite S both are exact: each entry of the product is one S entry plus
 * exact zeros, so the comparison is exact (==).  Twin: the selector built from the shifted
 * sequence t_{i+1} (cyclically), the classic off-by-one. */
#include <math.h>
#include <stdlib.h>
#include "resid.h"
#include "err.h"
#include "props.h"

/* M = Q_u A Q_u^T (u = t, or t shifted by one) against A_{t_i t_j} read directly. */
static void measure_one(const gsl_matrix *A, const char *name, const size_t *t, size_t R,
                        int shift, struct dp_outcome *o)
{
  size_t *u = malloc(R * sizeof *u);
  gsl_matrix *E = gsl_matrix_alloc(R, R);
  if (!u || !E) {
    dp_outcome_broken(o, "projection of %s: out of memory for R=%zu", name, R);
    gsl_matrix_free(E);
    free(u);
    return;
  }
  for (size_t i = 0; i < R; i++)
    u[i] = t[(i + (size_t)shift) % R];
  struct dp_proj p;
  char what[80];
  for (size_t i = 0; i < R; i++)
    for (size_t j = 0; j < R; j++)
      gsl_matrix_set(E, i, j, gsl_matrix_get(A, t[i], t[j]));
  if (dp_proj_make(A, u, R, &p) != GSL_SUCCESS)
    dp_outcome_broken(o, "projection of %s: %s", name, dp_err_last());
  else {
    snprintf(what, sizeof what, "(Q %s Q^T)_ij = %s_{t_i t_j}", name, name);
    dp_part_exact(o, p.Md, E, 0, what);
    snprintf(what, sizeof what, "gather = BLAS Q %s Q^T", name);
    dp_part_exact(o, p.Mg, p.Md, 0, what);
  }
  dp_proj_free(&p);
  gsl_matrix_free(E);
  free(u);
}

/* The claim holds for any finite operator: the symmetric S and the directional Sd. */
static void measure(const struct dp_inst *x, int shift, struct dp_outcome *o)
{
  if (!dp_resid_finite(x->S) || !dp_resid_finite(x->Sd)) {
    dp_outcome_skip(o, "S or Sd has a non-finite entry");
    return;
  }
  measure_one(x->S, "S", x->t, x->R, shift, o);
  measure_one(x->Sd, "Sd", x->t, x->R, shift, o);
}

static void check(const void *inst, struct dp_outcome *o) { measure(inst, 0, o); }
static void twin(const void *inst, struct dp_outcome *o)
{
  const struct dp_inst *x = inst;
  if (!dp_twin_skip_one_word(x->t, x->R, x->V, "the shifted sequence is the sequence", o))
    measure(x, 1, o);
}

const struct dp_claim dp_claim_c02 = {
  .id = "C02",
  .slug = "entrywise",
  .title = "Entrywise projection",
  .paper_ref = "Sec. 3 (core projection M = Q S Q^T)",
  .statement =
    "With Q_ia = [t_i = a] (R x V): (Q S Q^T)_ij = S_{t_i t_j} for all i, j; the gather route "
    "and the dense BLAS product Q S Q^T agree exactly. Checked on the symmetric S and on a "
    "non-symmetric operator Sd of the same instance (the identity does not need symmetry).",
  .conditions = "S finite (an instance with a NaN or Inf entry is skipped).",
  .judged = "Exact equality of doubles (==; +0 and -0 are the same number), entry by entry.",
  .twin_statement =
    "The selector may be built from the shifted sequence t_{i+1} (cyclically): "
    "(Q' S Q'^T)_ij = S_{t_i t_j}.",
  .gen = &dp_gen_seq,
  .check = check,
  .twin = twin,
  .tol_kind = DP_JUDGE_RATIO,
  .tol = DP_TOL_RATIO,
  .trials = 100,
  .holds_under = "finite S",
};
