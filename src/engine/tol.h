/* tol.h: every tolerance of the engine, named, with its reason.
 *
 * No tolerance literal lives anywhere else in src/ or props/: a check that wants a threshold
 * takes it from here, so a reviewer reads all of them on one page.  Ratios follow the test
 * ratio of LAPACK's test suite, r = ||LHS - RHS|| / (n * eps * scale). */
#ifndef DP_TOL_H
#define DP_TOL_H

#include <float.h>

/* An identity holds on an instance when its test ratio is at most this.  LAPACK's test
 * suite uses 30 for the same ratio: rounding of an n-term inner product is bounded by
 * n * eps * |A||B| (Higham, Accuracy and Stability, Thm 3.5) and the constant absorbs the
 * few extra operations around the product. */
#define DP_TOL_RATIO 30.0

/* The ratio given to a residual that cannot be measured (NaN, Inf, or a non-zero residual
 * against a zero scale): large enough to fail any ratio threshold loudly. */
#define DP_RATIO_FAIL (1.0 / DBL_EPSILON)

/* Numerical rank: eigen/singular values above n * eps * ||A||_2 count (the convention of
 * LAPACK's xGELSS and of numpy.linalg.matrix_rank), n the dimension; DP_RANK_SAFETY times
 * that is the threshold, to stay clear of the rounding of the solvers themselves, which is a
 * small multiple of n * eps * ||A||_2 (LAPACK's dsyevd and dgesdd, both backward stable;
 * spectral.c). */
#define DP_RANK_SAFETY 10.0

/* Bounds and inequalities: a slack (bound - value) / bound below -DP_TOL_SLACK fails.
 * The bound itself is computed in floating point, so the slack may be negative by a few
 * eps; 1e-10 leaves room for that and for nothing of any size. */
#define DP_TOL_SLACK 1e-10

/* Coverage: a claim (or a declared part of it) is reported thin when it was measured on fewer
 * than this share of a run's generated instances (runs of DP_TWIN_MIN_INSTANCES or more).
 * The generators aim at each claim's premise and spend the rest on its boundary (instances
 * that test the premise's detection: skipped and counted); when most instances miss, the run
 * tests the claim on less than half the instances it announces, and a reviewer reading "100
 * instances" must be told.  Thin is a statement about the run's power, not a verdict. */
#define DP_MIN_MEASURED_SHARE 0.5
/* A declared part of a claim (one that needs more than the claim's premise, or one branch of
 * an instance: C04's interlacing needs distinct tokens, its equal-rows part repeated ones) is
 * thin below this share of the instances: the generators split instances between such
 * branches, and a quarter of a default run is still 25 tests of the part. */
#define DP_MIN_PART_SHARE 0.25
/* Coverage is judged on runs of this many instances or more: the share measured on n
 * instances scatters by up to 0.5 / sqrt(n), 0.07 at 50, so a generator aimed at half the
 * instances is not reported thin by chance (a quarter is 3.5 of those below), where at 10 it
 * would be (0.16).  A short run (a replay, make check's few-trial sweep) is not judged. */
#define DP_COVERAGE_MIN_INSTANCES 50

/* A bound is reported loose (a finding, claim.h) where it overstates what it bounds by more
 * than this factor: an order of magnitude, far beyond any rounding in either side, so a
 * finding of this kind says the bound is no estimate of the quantity, not that it is off by a
 * constant a reader would shrug at. */
#define DP_LOOSE_FACTOR 10.0

/* --- softmax claims C12, C13 (props/c12_small_signal.c, props/c13_scaling.c) --------------
 * A figure already divided by its band or critical value holds when it is at most 1. */
#define DP_TOL_UNIT 1.0
/* C12: the fitted log-log order of the remainder must be 2 within this band (the claim's statement).
 * The grid below keeps the model error of the fit near 0.03 and rounding near 0.001, so
 * the band is three times what a correct expansion can show, and a wrong one (order 1) is ten
 * bands away. */
#define DP_TOL_ORDER_BAND 0.1
/* C12 beta grid, per instance, in units of rho = max |row-centred M|: the largest beta has
 * beta rho <= DP_C12_BETA_RHO (deep inside the series' radius, pi/(2 rho) at worst) and each
 * later Taylor term (beta^3 A3, beta^4 A4) at most DP_C12_NEXT_TERM of the beta^2 A2 term, so
 * the local order is 2 within ~1/(1/DP_C12_NEXT_TERM - 1) = 0.03; the grid then halves beta
 * DP_C12_HALVINGS times (8 points over a factor 128).  At the smallest beta the remainder
 * must exceed DP_C12_ROUNDING_MARGIN times the rounding of the computed softmax
 * (eps (R + 4 + 3 beta L R), L = max |M|), so rounding moves log2 e(beta) by < 0.0015;
 * instances where the two requirements cannot meet (A2 = 0 or nearly) are skipped and
 * counted, never fitted. */
#define DP_C12_BETA_RHO 0x1p-6
#define DP_C12_NEXT_TERM 0x1p-5
#define DP_C12_HALVINGS 7
#define DP_C12_ROUNDING_MARGIN 0x1p10
/* C13: two-sided level of one Monte Carlo test of Var(q . k / sqrt(d_k)) = 1, and its normal
 * critical value z = Phi^-1(1 - DP_C13_ALPHA / 2) (check_softmax compares it with GSL's).
 * Bonferroni: a default run makes 100 tests (one per trial) and `make check` repeats the same
 * seeds three times, so the family-wise error of a run is at most 100 * 1e-7 = 1e-5 (and
 * 1e-3 even with --trials 10000).  The upper critical value gets the Cornish-Fisher skewness
 * term (the sample variance of a heavy-tailed z^2 is right-skewed); the lower one does not
 * (the lower tail of a mean of non-negative variables is lighter than the normal one). */
#define DP_C13_ALPHA 1e-7
#define DP_C13_ZCRIT 5.3267238864


#endif
