/* c04_spectral.c: claim C04, spectral inheritance of M = Q S Q^T from S.
 *
 * Paper: M is a (generalised) principal submatrix of S.  Checked, on each instance:
 *  (a) S PSD implies M PSD: x^T M x = (Q^T x)^T S (Q^T x) >= 0.  Judged by the ratio
 *      max(0, -lambda_min(M)) / ((V + R) eps max_a n_a ||S||_2): S's own rounding can make its
 *      smallest eigenvalue -O(V eps ||S||), Q^T x carries it by at most max_a n_a, and M's
 *      own eigen-decomposition (size R) adds O(R eps ||M||), ||M||_2 <= max_a n_a ||S||_2.
 *  (b) rank(M) <= min(rank S, #distinct tokens), ranks with the threshold of spectral.h
 *      (M's scaled by max_a n_a, since M's eigenvalues are S's weighted by multiplicities).
 *  (c) distinct tokens: Cauchy interlacing lambda_k(S) >= lambda_k(M) >= lambda_{k+V-R}(S).
 *  (d) repeated tokens give identical rows of M (BLAS route, exact).
 * Twin: (a) without its premise, i.e. M PSD for every symmetric S (false for indefinite S:
 * PPMI, log counts, B L B^T). */
#include <math.h>
#include <stdlib.h>
#include <flint/fmpz_mat.h>
#include "certify.h"
#include "exact.h"
#include "spectral.h"
#include "resid.h"
#include "err.h"
#include "props.h"

static double norm2_of(const gsl_vector *ev)
{
  return ev->size ? fmax(fabs(gsl_vector_get(ev, 0)), fabs(gsl_vector_get(ev, ev->size - 1)))
                  : 0.0;
}

/* The PSD violation of A as a test ratio max(0, -lambda_min) / (n eps scale).  For S,
 * n = V: the rounding of S's own eigen-decomposition.  For M, n = V + R: M's entries are S's
 * exactly (gathered), so M inherits S's rounding-sized eigenvalues (up to max_a n_a times,
 * hence scale = max_a n_a ||S||_2), and its own eigen-decomposition, of size R, adds its own
 * rounding.  The ratio goes to *ratio; returns a GSL status (an error is recorded). */
static int psd_violation(const gsl_matrix *A, double n, double scale, double *lmin,
                         double *ratio)
{
  double r;
  int st = dp_spectral_psd(A, scale, lmin, &r);
  if (st == GSL_SUCCESS)
    *ratio = dp_resid_ratio(dp_resid_excess(-*lmin, 0.0), n, scale);
  return st;
}

/* The parts that not every instance reaches, in the order of dp_outcome_ran's index. */
enum { PART_PSD, PART_INTERLACE, PART_EQUAL_ROWS };
static const char *const parts[] = {"S PSD => M PSD (S PSD)", "interlacing (distinct tokens)",
                                    "equal rows (a repeated token)", NULL};

static void check(const void *inst, struct dp_outcome *o)
{
  const struct dp_inst *x = inst;
  size_t V = x->V, R = x->R, distinct = 0;
  size_t nmax = dp_max_multiplicity(x->t, R, V, &distinct);
  struct dp_proj p;
  gsl_vector *lS = gsl_vector_alloc(V), *lM = gsl_vector_alloc(R);
  if (dp_proj_make(x->S, x->t, R, &p) != GSL_SUCCESS ||
      dp_spectral_eigen(x->S, lS, NULL) != GSL_SUCCESS ||
      dp_spectral_eigen(p.Md, lM, NULL) != GSL_SUCCESS) {
    dp_outcome_broken(o, "eigen: %s", dp_err_last());
    goto out;
  }
  double nS = norm2_of(lS), scaleM = (double)nmax * nS;
  /* (a) */
  double lminS, lminM, rS, rM;
  if (psd_violation(x->S, (double)V, nS, &lminS, &rS) != GSL_SUCCESS) {
    dp_outcome_broken(o, "PSD test of S: %s", dp_err_last());
    goto out;
  }
  if (rS <= DP_TOL_RATIO) {
    if (psd_violation(p.Md, (double)(V + R), scaleM, &lminM, &rM) != GSL_SUCCESS) {
      dp_outcome_broken(o, "PSD test of M: %s", dp_err_last());
      goto out;
    }
    dp_outcome_part(o, DP_JUDGE_RATIO, rM,
                    "S PSD => M PSD: lambda_min(M)=%.3g, n=V+R=%zu, scale=max n_a ||S||_2=%.3g",
                    lminM, V + R, scaleM);
    dp_outcome_ran(o, PART_PSD);
  }
  /* (b) */
  /* M's threshold: S's small eigenvalues carried into M (n = V, up to max_a n_a times) and
   * the rounding of M's own eigen-decomposition (n = R), as for the PSD test above */
  double tolS = dp_spectral_rank_tol(V, nS), tolM = dp_spectral_rank_tol(V + R, scaleM);
  size_t rankS = dp_spectral_rank(lS, tolS), rankM = dp_spectral_rank(lM, tolM);
  size_t bound = rankS < distinct ? rankS : distinct;
  dp_outcome_part(o, DP_JUDGE_RATIO, rankM <= bound ? 0.0 : DP_RATIO_FAIL,
                  "rank(M)=%zu <= min(rank S=%zu, distinct=%zu) (thresholds %.3g, %.3g)", rankM,
                  rankS, distinct, tolS, tolM);
  /* (c) */
  if (distinct == R) {
    double r;
    size_t k;
    if (dp_spectral_interlacing(lS, lM, nS, &r, &k) != GSL_SUCCESS)
      dp_outcome_broken(o, "interlacing: %s", dp_err_last());
    else
      dp_outcome_part(o, DP_JUDGE_RATIO, r,
                      "Cauchy interlacing lambda_k(S) >= lambda_k(M) >= lambda_{k+V-R}(S), "
                      "worst k=%zu, n=V=%zu", k + 1, V);
    dp_outcome_ran(o, PART_INTERLACE);
  }
  /* (d) */
  for (size_t i = 0; i < R; i++)
    for (size_t j = i + 1; j < R; j++)
      if (x->t[i] == x->t[j]) {
        gsl_vector_const_view ri = gsl_matrix_const_row(p.Md, i), rj = gsl_matrix_const_row(p.Md, j);
        size_t diff = 0;
        for (size_t l = 0; l < R; l++)
          diff += gsl_vector_get(&ri.vector, l) != gsl_vector_get(&rj.vector, l);
        dp_outcome_part(o, DP_JUDGE_RATIO, diff ? DP_RATIO_FAIL : 0.0,
                        "t_%zu = t_%zu => rows %zu and %zu of M equal (%zu entries differ)",
                        i + 1, j + 1, i + 1, j + 1, diff);
        dp_outcome_ran(o, PART_EQUAL_ROWS);
      }
out:
  dp_proj_free(&p);
  gsl_vector_free(lS);
  gsl_vector_free(lM);
}

static void twin(const void *inst, struct dp_outcome *o)
{
  const struct dp_inst *x = inst;
  size_t V = x->V, R = x->R;
  size_t nmax = dp_max_multiplicity(x->t, R, V, NULL);
  struct dp_proj p;
  gsl_vector *lS = gsl_vector_alloc(V);
  if (dp_proj_make(x->S, x->t, R, &p) != GSL_SUCCESS ||
      dp_spectral_eigen(x->S, lS, NULL) != GSL_SUCCESS) {
    dp_outcome_broken(o, "eigen: %s", dp_err_last());
  } else {
    double scaleM = (double)nmax * norm2_of(lS), lminM, rM, lminS, rS;
    if (psd_violation(x->S, (double)V, norm2_of(lS), &lminS, &rS) != GSL_SUCCESS)
      dp_outcome_broken(o, "PSD test of S: %s", dp_err_last());
    else if (rS <= DP_TOL_RATIO) /* by the claim's own test */
      dp_outcome_skip(o, "S PSD (lambda_min(S)=%.3g): there the twin is part (a) itself",
                      lminS);
    else if (psd_violation(p.Md, (double)(V + R), scaleM, &lminM, &rM) != GSL_SUCCESS)
      dp_outcome_broken(o, "PSD test of M: %s", dp_err_last());
    else
      dp_outcome_part(o, DP_JUDGE_RATIO, rM,
                      "M PSD for any symmetric S: lambda_min(M)=%.3g, n=V+R=%zu, scale=%.3g",
                      lminM, V + R, scaleM);
  }
  dp_proj_free(&p);
  gsl_vector_free(lS);
}

/* --- the exact tier (certified) ------------------------------------------------------------ */

/* B's entries (S = B B^T) and A's (S' = A + A^T): small enough that the rationals of the
 * LDL^T stay short, wide enough that S' has simple eigenvalues on nearly every draw. */
#define C04_B_RANGE 6
#define C04_A_RANGE 1000

/* (a) S = B B^T with B integer (V x d, any rank: zero pivots included) is PSD exactly, and
 * M = Q S Q^T is decided PSD exactly (dp_cert_psd: no threshold anywhere).  (b) Interlacing
 * on the sequence's distinct words u (R' of them, in order of first appearance: the sequence
 * itself when its tokens are distinct), for a generic symmetric integer S' = A + A^T
 * (interlacing needs no PSD premise), M' = S'_{u u}, certified enclosures of both spectra,
 * each inequality certified when the balls are ordered; overlapping balls leave the instance
 * undecided (skipped).  S' lives on V' words, V' = V unless the sequence uses all V: then M'
 * would be S' permuted, similar to it, and interlacing could not fail; so V' is drawn in
 * V + 1 .. the run's cap on V (the added words absent from the sequence, as any vocabulary may
 * hold), and only where V is already at that cap is interlacing left unchecked (said so).  Twin: S = B D B^T with
 * D = diag(+-1), a -1 at least: where S is not PSD (decided exactly; else skipped), is M PSD?
 * Rejected where M is decided not PSD.  It can differ from the claim only where S restricted
 * to the sequence's words is not PSD (M = Q_u S_uu Q_u^T); elsewhere it is skipped, saying so. */
static void exact_check(uint64_t seed, const struct dp_sizes *sz, int twin, struct dp_outcome *o)
{
  struct dp_xdraw x;
  dp_xdraw_make(seed, sz, &x);
  char d[160], why[160], whyS[160];
  dp_xdraw_describe(&x, d, sizeof d);
  slong R = (slong)x.R, V = (slong)x.V, m = (slong)x.d;
  fmpz_mat_t B, Bt, S, M;
  fmpz_mat_init(B, V, m), fmpz_mat_init(Bt, m, V), fmpz_mat_init(S, V, V);
  fmpz_mat_init(M, R, R);
  dp_exact_random(B, &x.rng, C04_B_RANGE);
  fmpz_mat_transpose(Bt, B);
  if (twin) /* B D: column 0 negated, each other one with chance 1/2 */
    for (slong j = 0; j < m; j++)
      if (j == 0 || dp_rng_below(&x.rng, 2))
        for (slong i = 0; i < V; i++)
          fmpz_neg(fmpz_mat_entry(B, i, j), fmpz_mat_entry(B, i, j));
  fmpz_mat_mul(S, B, Bt);
  dp_exact_gather(M, S, x.t, x.t);
  /* the sequence's distinct words u (R' of them, in order of first appearance) */
  size_t u[DP_XDRAW_MAX], nu = 0;
  for (size_t i = 0; i < x.R; i++) {
    size_t j = 0;
    while (j < nu && u[j] != x.t[i])
      j++;
    if (j == nu)
      u[nu++] = x.t[i];
  }
  int psdS = dp_cert_psd(S, whyS, sizeof whyS, NULL), psdM = dp_cert_psd(M, why, sizeof why, NULL);
  if (psdS < 0 || psdM < 0) { /* -1: larger than the exact LDL^T takes */
    dp_outcome_broken(o, "%s: S or M too large for the exact PSD decision", d);
    goto out;
  }
  if (twin) {
    /* M = Q_u S_uu Q_u^T with Q_u of full column rank: M is PSD iff S_uu is, so the twin can
     * differ from the claim only where S_uu (decided apart from M) is not PSD */
    fmpz_mat_t Suu;
    char whyU[160];
    fmpz_mat_init(Suu, (slong)nu, (slong)nu);
    dp_exact_gather(Suu, S, u, u);
    int psdU = dp_cert_psd(Suu, whyU, sizeof whyU, NULL);
    fmpz_mat_clear(Suu);
    if (psdU < 0)
      dp_outcome_broken(o, "%s: S_uu too large for the exact PSD decision", d);
    else if (psdS == 1)
      dp_outcome_skip(o, "%s: S = B D B^T is PSD (%s): there the twin is part (a) itself", d,
                      whyS);
    else if (psdU == 1)
      dp_outcome_skip(o, "%s: S = B D B^T not PSD, but S on the sequence's %zu word(s) is "
                      "PSD (%s): no sequence over them can tell", d, nu, whyU);
    else
      dp_outcome_part(o, DP_JUDGE_RATIO, psdM == 1 ? 0.0 : DP_RATIO_FAIL,
                      "%s: S = B D B^T not PSD (%s); M = Q S Q^T: %s", d, whyS, why);
    goto out;
  }
  /* (b)'s vocabulary: V' > R' words wherever the run's sizes allow */
  size_t vcap = sz->V_max < DP_XDRAW_MAX ? sz->V_max : DP_XDRAW_MAX, Vs = x.V;
  if (nu == x.V && x.V < vcap)
    Vs = x.V + 1 + (size_t)dp_rng_below(&x.rng, vcap - x.V);
  char note[160] = "";
  if (nu == Vs)
    snprintf(note, sizeof note, "; interlacing not checked: the sequence uses all V = %zu "
             "words and V is at the run's cap (M' would be S' permuted)", x.V);
  /* (a): S is B B^T, so a refusal of S would be the test's own fault: reported as a failure */
  dp_outcome_part(o, DP_JUDGE_RATIO, psdS == 1 && psdM == 1 ? 0.0 : DP_RATIO_FAIL,
                  "%s: S = B B^T (S: %s) => M = Q S Q^T PSD exactly (M: %s)%s", d, whyS, why,
                  note);
  if (nu == Vs)
    goto out;
  /* (b) on the sequence's distinct words (the sequence itself when its tokens are distinct):
   * every draw then gives a distinct-token instance */
  R = (slong)nu;
  slong Vb = (slong)Vs;
  fmpz_mat_t A, M2;
  fmpz_mat_init(A, Vb, Vb), fmpz_mat_init(M2, R, R);
  dp_exact_random(A, &x.rng, C04_A_RANGE);
  dp_exact_symmetrise(A);
  dp_exact_gather(M2, A, u, u);
  {
    arb_ptr lS = _arb_vec_init(Vb), lM = _arb_vec_init(R);
    slong k = -1;
    int side = 0;
    int ok = dp_cert_eig_sym(lS, A) && dp_cert_eig_sym(lM, M2);
    enum dp_cert c = ok ? dp_cert_interlace(lS, Vb, lM, R, &k, &side) : DP_CERT_UNDECIDED;
    if (c == DP_CERT_REFUTED)
      dp_outcome_part(o, DP_JUDGE_RATIO, DP_RATIO_FAIL,
                      "%s: interlacing on the %ld distinct words of V'=%ld refuted by certified "
                      "enclosures at k=%ld (%s)", d, (long)R, (long)Vb, (long)k + 1,
                      side ? "lambda_k(M') < lambda_{k+V'-R'}(S')" : "lambda_k(S') < lambda_k(M')");
    else if (c == DP_CERT_HOLDS)
      dp_outcome_part(o, DP_JUDGE_RATIO, 0.0,
                      "%s: interlacing lambda_k(S') >= lambda_k(M') >= lambda_{k+V'-R'}(S') on "
                      "the %ld distinct words of V'=%ld certified (Arb enclosures)", d, (long)R,
                      (long)Vb);
    else if (o->status == DP_MEASURED && !(o->figure > 0.0)) /* keep a failure of (a) */
      dp_outcome_skip(o, "%s: undecided: %s", d, ok ? "interlacing balls overlap"
                                                    : "eigenvalues not separated");
    _arb_vec_clear(lS, Vb), _arb_vec_clear(lM, R);
  }
  fmpz_mat_clear(A), fmpz_mat_clear(M2);
out:
  fmpz_mat_clear(B), fmpz_mat_clear(Bt), fmpz_mat_clear(S), fmpz_mat_clear(M);
}

static const struct dp_exact exact = {
  .kind = DP_EXACT_CERTIFIED,
  .statement = "S = B B^T => Q S Q^T PSD (exact LDL^T); distinct tokens: interlacing of "
               "Q' S' Q'^T (the R' distinct words) in symmetric integer S' on V' > R' words "
               "(Arb enclosures)",
  .twin_statement = "M PSD for S = B D B^T, D = diag(+-1) with a -1 (exact LDL^T), where S on "
                    "the sequence's words is not PSD",
  .trials = 100,
  .check = exact_check,
};

const struct dp_claim dp_claim_c04 = {
  .id = "C04",
  .slug = "spectral",
  .title = "Spectral inheritance",
  .paper_ref = "Sec. 3 (properties of M = Q S Q^T)",
  .statement =
    "S PSD implies M PSD; rank(M) <= min(rank S, #distinct tokens); for distinct tokens M is a "
    "principal submatrix of S and Cauchy interlacing holds: lambda_k(S) >= lambda_k(M) >= "
    "lambda_{k+V-R}(S) (descending); repeated tokens give identical rows of M.",
  .conditions =
    "S symmetric. PSD part: only where S is PSD within rounding (lambda_min(S) >= -30 V eps "
    "||S||_2). Interlacing: only where the tokens are distinct (R <= V). Rank: numerical, "
    "threshold 10 n eps ||.||_2.",
  .judged =
    "PSD by the test ratio max(0, -lambda_min(M)) / (n eps scale), n = V + R, scale = "
    "max_a n_a ||S||_2: S's rounding-sized eigenvalues (n = V) carried into M at most max_a "
    "n_a times, plus M's own eigen-decomposition of size R (S itself is taken as PSD when its "
    "own ratio, n = V, scale ||S||_2, is within 30); interlacing by the ratio of the worst "
    "violation, n = V, scale = ||S||_2: with distinct tokens M is a principal submatrix "
    "(||M||_2 <= ||S||_2) and R <= V, so the two backward-stable decompositions move the "
    "eigenvalues by at most a small multiple of V eps ||S||_2 between them; rank bound "
    "exactly, M's rank threshold 10 (V + R) eps max_a n_a ||S||_2 for the same reason as the "
    "PSD test; identical rows exactly (gathered entries).",
  .twin_statement = "M is PSD for every symmetric S (the PSD premise dropped: indefinite S, "
                    "e.g. PPMI or log counts).",
  .gen = &dp_gen_seq_spectral,
  .check = check,
  .twin = twin,
  .tol_kind = DP_JUDGE_RATIO,
  .tol = DP_TOL_RATIO,
  .trials = 100,
  .parts = parts,
  .holds_under = "S PSD (PSD part); distinct tokens (interlacing)",
  .exact = &exact,
};
