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
#include "exact.h"
#include "family.h"

/* The exact tier's entries: uniform in [-2^20, 2^20]. */
#define C03_EXACT_RANGE (1L << 20)

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

/* --- the exact tier ------------------------------------------------------------------------ */

/* S = A + A^T with A's entries uniform in [-2^20, 2^20]: Q S Q^T computed as products is
 * symmetric entry for entry (degree 1 in A's entries).  Twin: a non-symmetric A gives a
 * symmetric Q A Q^T; it cannot differ when every token is the same word (skipped). */
static void exact_check(uint64_t seed, const struct dp_sizes *sz, int twin, struct dp_outcome *o)
{
  struct dp_xdraw x;
  dp_xdraw_make(seed, sz, &x);
  char d[160];
  dp_xdraw_describe(&x, d, sizeof d);
  size_t two = 0;
  for (size_t i = 1; i < x.R; i++)
    two |= x.t[i] != x.t[0];
  if (twin && !two) {
    dp_outcome_skip(o, "%s: one word only; Q A Q^T is constant, the twin cannot differ", d);
    return;
  }
  slong R = (slong)x.R, V = (slong)x.V;
  fmpz_mat_t S, Q, Qt, QS, M, Mt;
  fmpz_mat_init(S, V, V), fmpz_mat_init(Q, R, V), fmpz_mat_init(Qt, V, R);
  fmpz_mat_init(QS, R, V), fmpz_mat_init(M, R, R), fmpz_mat_init(Mt, R, R);
  dp_exact_random(S, &x.rng, C03_EXACT_RANGE);
  if (!twin)
    dp_exact_symmetrise(S);
  dp_exact_selector(Q, x.t);
  fmpz_mat_transpose(Qt, Q);
  fmpz_mat_mul(QS, Q, S);
  fmpz_mat_mul(M, QS, Qt);
  fmpz_mat_transpose(Mt, M);
  long i0, j0;
  size_t nd = dp_exact_differ(M, Mt, &i0, &j0);
  dp_outcome_part(o, DP_JUDGE_RATIO, nd ? DP_RATIO_FAIL : 0.0,
                  "%s: M = Q %s Q^T = M^T exactly: %zu of %ld entries differ, first (%ld, %ld)",
                  d, twin ? "A (not symmetric)" : "S", nd, (long)(R * R), i0, j0);
  fmpz_mat_clear(S), fmpz_mat_clear(Q), fmpz_mat_clear(Qt);
  fmpz_mat_clear(QS), fmpz_mat_clear(M), fmpz_mat_clear(Mt);
}

static const struct dp_exact exact = {
  .kind = DP_EXACT_IDENTITY,
  .statement = "S = S^T implies (Q S Q^T)^T = Q S Q^T",
  .trials = 200,
  .degree = 1,
  .range = C03_EXACT_RANGE,
  .check = exact_check,
};

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
  .exact = &exact,
  .theorems = (const char *const[]){"c03_symmetric", NULL},
};
