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
#include "exact.h"
#include "family.h"

/* The exact tier's entries: uniform in [-2^20, 2^20]. */
#define C02_EXACT_RANGE (1L << 20)

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

/* --- the exact tier ------------------------------------------------------------------------ */

/* The identity in exact integer arithmetic: S with entries uniform in [-2^20, 2^20], the BLAS
 * route's product Q S Q^T against the gather, entry for entry (a polynomial identity of degree
 * 1 in S's entries).  Twin: the shifted selector; it cannot differ where the shifted sequence
 * is the sequence itself (skipped). */
static void exact_check(uint64_t seed, const struct dp_sizes *sz, int twin, struct dp_outcome *o)
{
  struct dp_xdraw x;
  dp_xdraw_make(seed, sz, &x);
  size_t ts[DP_XDRAW_MAX], same = 1;
  for (size_t i = 0; i < x.R; i++) {
    ts[i] = x.t[(i + 1) % x.R];
    same &= ts[i] == x.t[i];
  }
  char d[160];
  dp_xdraw_describe(&x, d, sizeof d);
  if (twin && same) {
    dp_outcome_skip(o, "%s: the shifted sequence is the sequence; the twin cannot differ", d);
    return;
  }
  slong R = (slong)x.R, V = (slong)x.V;
  fmpz_mat_t S, Q, Qt, QS, M, G;
  fmpz_mat_init(S, V, V), fmpz_mat_init(Q, R, V), fmpz_mat_init(Qt, V, R);
  fmpz_mat_init(QS, R, V), fmpz_mat_init(M, R, R), fmpz_mat_init(G, R, R);
  dp_exact_random(S, &x.rng, C02_EXACT_RANGE);
  dp_exact_selector(Q, twin ? ts : x.t);
  fmpz_mat_transpose(Qt, Q);
  fmpz_mat_mul(QS, Q, S);
  fmpz_mat_mul(M, QS, Qt);
  dp_exact_gather(G, S, x.t, x.t);
  long i0, j0;
  size_t nd = dp_exact_differ(M, G, &i0, &j0);
  dp_outcome_part(o, DP_JUDGE_RATIO, nd ? DP_RATIO_FAIL : 0.0,
                  "%s: %s S %s^T = S_{t_i t_j} exactly: %zu of %ld entries differ, first (%ld, "
                  "%ld)", d, twin ? "Q'" : "Q", twin ? "Q'" : "Q", nd, (long)(R * R), i0, j0);
  fmpz_mat_clear(S), fmpz_mat_clear(Q), fmpz_mat_clear(Qt);
  fmpz_mat_clear(QS), fmpz_mat_clear(M), fmpz_mat_clear(G);
}

static const struct dp_exact exact = {
  .kind = DP_EXACT_IDENTITY,
  .statement = "(Q S Q^T)_ij = S_{t_i t_j}",
  .trials = 200,
  .degree = 1,
  .range = C02_EXACT_RANGE,
  .check = exact_check,
};

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
  .exact = &exact,
  .theorems = (const char *const[]){"c02_entrywise", NULL},
};
