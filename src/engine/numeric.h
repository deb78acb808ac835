/* numeric.h: the engine's two summation kernels, private to src/engine.
 *
 * The Frobenius norms of resid.c and smat.c accumulate a scaled sum of squares as LAPACK's
 * dlassq does (the sum is scale^2 * ssq with scale = max |x| so far, compensated), so that
 * no square overflows for entries near 1e300 or underflows for entries near 1e-300; a NaN
 * anywhere makes the norm NaN, otherwise an infinite entry makes it +Inf.  Sums of many terms of
 * either sign (smat.c's matrix sum, cooc.c's mass and PPMI row sums) use Neumaier's
 * compensated summation, with the plain sum kept beside it as the answer when the sum is not
 * finite (the compensation of an Inf is meaningless).  Both are static inline: they sit in
 * the engine's innermost loops.  Not installed and not seen outside src/engine. */
#ifndef DP_NUMERIC_H
#define DP_NUMERIC_H

#include <math.h>

/* A scaled sum of squares; start from {0}.  The squares are added with Neumaier's
 * compensation: a norm of k entries added recursively rounds by up to k eps (and does, for
 * the R^2 entries of a matrix whose rows repeat, where the roundings do not cancel), which
 * no test ratio's n accounts for; compensated, it rounds by a few eps whatever k is. */
struct dp_numeric_ssq {
  double scale, ssq, comp;
  int nan, inf;
};

static inline void dp_numeric_ssq_add(struct dp_numeric_ssq *s, double x)
{
  if (isnan(x)) {
    s->nan = 1;
    return;
  }
  if (isinf(x)) {
    s->inf = 1;
    return;
  }
  if (x == 0.0)
    return;
  double a = fabs(x), y;
  if (s->scale < a) { /* rescale what is summed so far (one rounding), then add 1 */
    double q = s->scale / a;
    s->ssq = (s->ssq + s->comp) * (q * q);
    s->comp = 0.0;
    s->scale = a;
    y = 1.0;
  } else {
    double q = a / s->scale;
    y = q * q;
  }
  double t = s->ssq + y; /* Neumaier: both terms are >= 0 */
  s->comp += s->ssq >= y ? (s->ssq - t) + y : (y - t) + s->ssq;
  s->ssq = t;
}

/* sqrt of the sum of squares: NaN after a NaN, else +Inf after an Inf. */
static inline double dp_numeric_ssq_norm(const struct dp_numeric_ssq *s)
{
  if (s->nan)
    return NAN;
  if (s->inf)
    return INFINITY;
  return s->scale * sqrt(s->ssq + s->comp);
}

/* A compensated (Neumaier) sum; start from {0}. */
struct dp_numeric_sum {
  double sum, comp, plain;
};

static inline void dp_numeric_sum_add(struct dp_numeric_sum *n, double x)
{
  double t = n->sum + x;
  if (fabs(n->sum) >= fabs(x))
    n->comp += (n->sum - t) + x;
  else
    n->comp += (x - t) + n->sum;
  n->sum = t;
  n->plain += x;
}

/* sum + compensation; the plain sum when either is not finite. */
static inline double dp_numeric_sum_value(const struct dp_numeric_sum *n)
{
  if (!isfinite(n->plain) || !isfinite(n->sum))
    return n->plain;
  return n->sum + n->comp;
}

#endif
