/* c03_symmetry.c: claim C03, symmetry of the projection.
 *
 * Paper: M = Q S Q^T inherits the symmetry of S.  Checked on the gather route exactly
 * (M_ij = S_{t_i t_j} = S_{t_j t_i} = M_ji, so == must hold) and on the BLAS route exactly
 * too: with a one-hot Q every inner product of Q S Q^T is one entry of S times 1 plus exact
 * zeros (C02 checks that it equals the gather), so rounding has nothing to add and a ratio
 * would only loosen the twin's test.  A non-finite entry is skipped (0 * Inf = NaN in the
 * product, as in C02).  Exact symmetry of S is the premise: generators
 * symmetrise explicitly ((a + b)/2 is symmetric in IEEE arithmetic, U L U^T from BLAS is
 * not).  Twin: the same for the directional operator Sd (X^> for counted instances), which
 * is not symmetric: M is then asymmetric whenever the sequence holds an asymmetric pair. */
#include <math.h>
#include "resid.h"
#include "err.h"
#include "props.h"

static void measure(const gsl_matrix *A, const char *name, const struct dp_inst *x,
                    struct dp_outcome *o)
{
  struct dp_proj p;
  char what[120];
  if (!dp_resid_finite(A)) {
    dp_outcome_skip(o, "%s has a non-finite entry", name);
    return;
  }
  if (dp_proj_make(A, x->t, x->R, &p) != GSL_SUCCESS) {
    dp_outcome_broken(o, "projection: %s", dp_err_last());
    dp_proj_free(&p);
    return;
  }
  snprintf(what, sizeof what, "gathered M = M^T (M = Q %s Q^T)", name);
  dp_part_exact(o, p.Mg, p.Mg, 1, what);
  snprintf(what, sizeof what, "BLAS M = M^T (M = Q %s Q^T)", name);
  dp_part_exact(o, p.Md, p.Md, 1, what);
  dp_proj_free(&p);
}

static void check(const void *inst, struct dp_outcome *o)
{
  const struct dp_inst *x = inst;
  size_t where;
  if (dp_resid_mismatch(x->S, x->S, 1, &where) != 0) {
    dp_outcome_skip(o, "S is not exactly symmetric (first asymmetry at %zu,%zu)",
                    where / x->V, where % x->V);
    return;
  }
  measure(x->S, "S", x, o);
}

static void twin(const void *inst, struct dp_outcome *o)
{
  const struct dp_inst *x = inst;
  if (dp_twin_skip_one_word(x->t, x->R, x->V, "M = Sd_aa 1 1^T is symmetric for any Sd", o))
    return;
  measure(x->Sd, "Sd", x, o);
}

const struct dp_claim dp_claim_c03 = {
  .id = "C03",
  .slug = "symmetry",
  .title = "Symmetry of M",
  .paper_ref = "Sec. 3 (properties of M = Q S Q^T)",
  .statement = "S = S^T implies M = Q S Q^T = M^T.",
  .conditions =
    "S exactly symmetric as stored (bitwise) and finite; other instances are skipped.",
  .judged =
    "Both routes exactly (==): the gather takes S's entries as they are, and with a one-hot Q "
    "every inner product of the BLAS product Q S Q^T is one entry of S times 1 plus exact "
    "zeros, so no rounding can make M asymmetric.",
  .twin_statement =
    "A non-symmetric operator (the directional Sd, X^> on counted instances) also gives a "
    "symmetric M.",
  .gen = &dp_gen_seq,
  .check = check,
  .twin = twin,
  .tol_kind = DP_JUDGE_RATIO,
  .tol = DP_TOL_RATIO,
  .trials = 100,
  .holds_under = "S = S^T exactly",
};
