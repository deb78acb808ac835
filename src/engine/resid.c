/* resid.c: residuals as LAPACK-style test ratios, exact comparisons and slacks.
 *
 * Every identity claim of the paper (docs/architecture.md, "How a claim is judged") is
 * measured here: the two sides of an identity are computed by different routes, their
 * difference is measured in the Frobenius norm, and the test ratio r = ||LHS - RHS||_F / (n * eps * scale) is
 * compared with DP_TOL_RATIO (tol.h).  Norms use the scaled sum of squares of LAPACK's
 * dlassq (numeric.h), so entries near 1e300 do not overflow and entries near 1e-300 do not
 * underflow; any NaN or Inf makes a norm NaN and a ratio DP_RATIO_FAIL, so an unmeasurable
 * residual fails loudly instead of passing.  Claims stated as exact ("gathered, not
 * computed") use the == and bitwise comparisons; inequality claims use the slack. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "err.h"
#include "numeric.h"
#include "resid.h"
#include "tol.h"

double dp_resid_ratio(double diff, double n, double scale)
{
  if (diff == 0.0)
    return 0.0; /* exact agreement needs no scale */
  if (!isfinite(diff) || !isfinite(n) || !isfinite(scale))
    return DP_RATIO_FAIL;
  /* A norm, a dimension and a scale are never negative: a negative argument is a caller
     * error, and a negative ratio would pass any threshold, so it fails instead. */
  if (diff < 0.0 || n <= 0.0 || scale <= 0.0)
    return DP_RATIO_FAIL;
  double denom = n * DBL_EPSILON * scale;
  double r;
  if (denom >= DBL_MIN)
    r = diff / denom;
  else /* the denominator would lose bits or underflow: divide in two steps */
    r = (diff / scale) / (n * DBL_EPSILON);
  if (!isfinite(r))
    return DP_RATIO_FAIL;
  return r;
}

double dp_resid_excess(double diff, double allowed)
{
  if (!isfinite(allowed))
    return NAN; /* an allowance that cannot be measured excuses nothing */
  if (!isfinite(diff))
    return diff;
  return diff > allowed ? diff - allowed : 0.0;
}

double dp_resid_norm(const gsl_matrix *A)
{
  if (A == NULL) {
    DP_ERROR(GSL_EFAULT, "dp_resid_norm: matrix is NULL");
    return NAN;
  }
  struct dp_numeric_ssq s = {0};
  for (size_t i = 0; i < A->size1; ++i) {
    const double *row = A->data + i * A->tda;
    for (size_t j = 0; j < A->size2; ++j) {
      if (!isfinite(row[j]))
        return NAN;
      dp_numeric_ssq_add(&s, row[j]);
    }
  }
  return dp_numeric_ssq_norm(&s);
}

/* Dimensions of A against B (or B^T); records an error and returns 0 on a mismatch. */
static int dp_resid_dims_ok(const char *who, const gsl_matrix *A, const gsl_matrix *B, int transB)
{
  if (A == NULL || B == NULL) {
    DP_ERROR(GSL_EFAULT, "%s: matrix is NULL", who);
    return 0;
  }
  size_t b1 = transB ? B->size2 : B->size1;
  size_t b2 = transB ? B->size1 : B->size2;
  if (A->size1 != b1 || A->size2 != b2) {
    DP_ERROR(GSL_EBADLEN, "%s: A is %zu x %zu but B%s is %zu x %zu", who, A->size1, A->size2,
             transB ? "^T" : "", b1, b2);
    return 0;
  }
  return 1;
}

static double dp_resid_entry(const gsl_matrix *B, size_t i, size_t j, int transB)
{
  return transB ? B->data[j * B->tda + i] : B->data[i * B->tda + j];
}

/* NaN if any entry of A or B is NaN/Inf; +Inf if every entry is finite but a difference
 * a - b overflows (the residual is then larger than any double, and its ratio fails). */
double dp_resid_diff(const gsl_matrix *A, const gsl_matrix *B, int transB)
{
  if (!dp_resid_dims_ok("dp_resid_diff", A, B, transB))
    return NAN;
  struct dp_numeric_ssq s = {0};
  for (size_t i = 0; i < A->size1; ++i) {
    for (size_t j = 0; j < A->size2; ++j) {
      double a = A->data[i * A->tda + j];
      double b = dp_resid_entry(B, i, j, transB);
      if (!isfinite(a) || !isfinite(b))
        return NAN;
      dp_numeric_ssq_add(&s, a - b); /* an overflowing a - b makes the norm +Inf */
    }
  }
  return dp_numeric_ssq_norm(&s);
}

double dp_resid_matrix_ratio(const gsl_matrix *A, const gsl_matrix *B, int transB, double n,
                             double scale)
{
  return dp_resid_ratio(dp_resid_diff(A, B, transB), n, scale);
}

/* On a dimension mismatch: SIZE_MAX, *where = SIZE_MAX, and a recorded error.  When all
 * entries match, *where = SIZE_MAX too. */
size_t dp_resid_mismatch(const gsl_matrix *A, const gsl_matrix *B, int transB, size_t *where)
{
  if (where != NULL)
    *where = SIZE_MAX;
  if (!dp_resid_dims_ok("dp_resid_mismatch", A, B, transB))
    return SIZE_MAX;
  size_t count = 0;
  for (size_t i = 0; i < A->size1; ++i) {
    for (size_t j = 0; j < A->size2; ++j) {
      double a = A->data[i * A->tda + j];
      double b = dp_resid_entry(B, i, j, transB);
      if (!(a == b)) { /* NaN never matches; +0 == -0 */
        if (count == 0 && where != NULL)
          *where = i * A->size2 + j;
        ++count;
      }
    }
  }
  return count;
}

int dp_resid_same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* Slack of value <= bound, negative when violated.
 *
 * Note on bound == 0: resid.h documents "value - bound" there, which has the opposite sign
 * of (bound - value) / |bound| and would make a violation (value > 0 = bound) pass; the
 * sign-consistent unscaled form bound - value = -value is used instead.  A NaN argument
 * gives -Inf (fails any slack threshold, whichever way the comparison is written); an
 * infinite bound against a finite value gives the limit sign(bound). */
double dp_resid_slack(double bound, double value)
{
  if (isnan(bound) || isnan(value))
    return -INFINITY;
  if (bound == value)
    return 0.0; /* includes both 0, and equal infinities */
  if (isinf(bound) && !isinf(value))
    return copysign(1.0, bound);
  if (bound == 0.0)
    return bound - value;
  double s = (bound - value) / fabs(bound);
  return isnan(s) ? -INFINITY : s;
}

int dp_resid_finite(const gsl_matrix *A)
{
  if (A == NULL)
    return 0;
  for (size_t i = 0; i < A->size1; ++i)
    for (size_t j = 0; j < A->size2; ++j)
      if (!isfinite(A->data[i * A->tda + j]))
        return 0;
  return 1;
}
