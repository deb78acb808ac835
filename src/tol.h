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
 * that is the threshold, to stay clear of the rounding of the eigensolver itself, which is
 * a small multiple of n * eps * ||A||_2 (GSL's symmetric QR, backward stable). */
#define DP_RANK_SAFETY 10.0

/* Bounds and inequalities: a slack (bound - value) / bound below -DP_TOL_SLACK fails.
 * The bound itself is computed in floating point, so the slack may be negative by a few
 * eps; 1e-10 leaves room for that and for nothing of any size. */
#define DP_TOL_SLACK 1e-10

#endif
