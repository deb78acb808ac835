/* check_softmax.c: unit tests of softmax.c and gen_softmax.c, the engine and generators of
 * claims C11-C13, and of those claims' checks on hand-made instances.
 *
 * Hand-computed cases: softmax([0, log 2]) = [1/3, 2/3] with lse = log 3; logits up to DBL_MAX
 * (and scale or mask pushing scale z + b past it) give no Inf - Inf; -inf entries (logits or
 * masks, causal or general) get weight exactly 0; entropy of uniform weights is log R, of a
 * one-hot row 0; the conditional co-occurrence of a 2-word count matrix; centring, the linear
 * expansion and the Taylor coefficients (R = 2 closed form; numerically, the remainder after
 * the beta^4 term shrinks 32-fold per halving); every error path returns its GSL status.
 * Generators: determinism, the premise of each X mode, shrink candidates, the Monte Carlo
 * prefix property, and the real-text operator of a three-line corpus (counts by hand).  The
 * claims: C11's ratio on a hand-made instance and its twin's rejection, C12's order 2 on a
 * 3-token sequence and its skip with order 3 for R = 2, C13 rejecting a variance of 2. */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>

#include "dp.h"

/* Allocation failure injection (glibc): malloc, calloc and realloc are interposed here and
 * forward to glibc's own; when armed, the alloc_fail_at-th allocation from then on returns
 * NULL, once.  Tests below fail each allocation of a call in turn and require a clean error
 * (or the very same result when the failed allocation was not needed). */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t k, size_t n);
extern void *__libc_realloc(void *p, size_t n);
static long alloc_fail_at = -1; /* -1: disarmed */
static int alloc_failed;
static int alloc_should_fail(void)
{
  if (alloc_fail_at < 0)
    return 0;
  if (alloc_fail_at-- == 0) {
    alloc_failed = 1;
    alloc_fail_at = -1;
    return 1;
  }
  return 0;
}
void *malloc(size_t n) { return alloc_should_fail() ? NULL : __libc_malloc(n); }
void *calloc(size_t k, size_t n) { return alloc_should_fail() ? NULL : __libc_calloc(k, n); }
void *realloc(void *p, size_t n) { return alloc_should_fail() ? NULL : __libc_realloc(p, n); }
static void alloc_arm(long at)
{
  alloc_failed = 0;
  alloc_fail_at = at;
}
/* Disarm; returns whether an allocation was failed. */
static int alloc_disarm(void)
{
  alloc_fail_at = -1;
  return alloc_failed;
}

/* |a - b| <= k ulps of b */
static int close_ulps(double a, double b, double k)
{
  return fabs(a - b) <= k * DBL_EPSILON * fabs(b);
}

static gsl_matrix *mat(size_t r, size_t c, const double *v)
{
  gsl_matrix *A = gsl_matrix_alloc(r, c);
  for (size_t i = 0; i < r; i++)
    for (size_t j = 0; j < c; j++)
      gsl_matrix_set(A, i, j, v[i * c + j]);
  return A;
}

/* ---- row softmax -------------------------------------------------------------------------- */

START_TEST(test_softmax_third)
{
  const double z[] = {0.0, log(2.0), log(2.0), 0.0};
  gsl_matrix *Z = mat(2, 2, z), *W = gsl_matrix_alloc(2, 2);
  gsl_vector *lse = gsl_vector_alloc(2);
  ck_assert_int_eq(dp_softmax_rows(Z, 1.0, NULL, W, lse), GSL_SUCCESS);
  ck_assert(close_ulps(gsl_matrix_get(W, 0, 0), 1.0 / 3.0, 4));
  ck_assert(close_ulps(gsl_matrix_get(W, 0, 1), 2.0 / 3.0, 4));
  ck_assert(close_ulps(gsl_matrix_get(W, 1, 0), 2.0 / 3.0, 4));
  ck_assert(close_ulps(gsl_matrix_get(W, 1, 1), 1.0 / 3.0, 4));
  ck_assert(close_ulps(gsl_vector_get(lse, 0), log(3.0), 4));
  /* scale: softmax(2 [0, log 2]) = [1/5, 4/5] */
  ck_assert_int_eq(dp_softmax_rows(Z, 2.0, NULL, W, NULL), GSL_SUCCESS);
  ck_assert(close_ulps(gsl_matrix_get(W, 0, 0), 0.2, 4));
  ck_assert(close_ulps(gsl_matrix_get(W, 0, 1), 0.8, 4));
  /* negative scale reverses the preference; scale 0 is uniform */
  ck_assert_int_eq(dp_softmax_rows(Z, -1.0, NULL, W, NULL), GSL_SUCCESS);
  ck_assert(close_ulps(gsl_matrix_get(W, 0, 0), 2.0 / 3.0, 4));
  ck_assert_int_eq(dp_softmax_rows(Z, 0.0, NULL, W, NULL), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(W, 0, 0) == 0.5 && gsl_matrix_get(W, 1, 1) == 0.5);
  /* in place */
  ck_assert_int_eq(dp_softmax_rows(Z, 1.0, NULL, Z, NULL), GSL_SUCCESS);
  ck_assert(close_ulps(gsl_matrix_get(Z, 0, 1), 2.0 / 3.0, 4));
  /* the vector form, with a bias row and lse */
  gsl_vector *v = gsl_vector_alloc(3), *b = gsl_vector_alloc(3), *w = gsl_vector_alloc(3);
  gsl_vector_set(v, 0, 1.0), gsl_vector_set(v, 1, 1.0), gsl_vector_set(v, 2, 1.0);
  gsl_vector_set(b, 0, 0.0), gsl_vector_set(b, 1, log(2.0)), gsl_vector_set(b, 2, -INFINITY);
  double l = 0.0;
  ck_assert_int_eq(dp_softmax_vector(v, 1.0, b, w, &l), GSL_SUCCESS);
  ck_assert(close_ulps(gsl_vector_get(w, 0), 1.0 / 3.0, 4));
  ck_assert(close_ulps(gsl_vector_get(w, 1), 2.0 / 3.0, 4));
  ck_assert(gsl_vector_get(w, 2) == 0.0 && !signbit(gsl_vector_get(w, 2)));
  ck_assert(close_ulps(l, 1.0 + log(3.0), 4));
  ck_assert_int_eq(dp_softmax_vector(v, 1.0, NULL, w, NULL), GSL_SUCCESS);
  ck_assert(close_ulps(gsl_vector_get(w, 2), 1.0 / 3.0, 4));
  ck_assert(dp_softmax_scale_dk(4) == 0.5 && dp_softmax_scale_dk(1) == 1.0);
  ck_assert(dp_softmax_scale_dk(0) == 0.0);
  gsl_vector_free(v), gsl_vector_free(b), gsl_vector_free(w);
  gsl_matrix_free(Z), gsl_matrix_free(W), gsl_vector_free(lse);
}
END_TEST

START_TEST(test_softmax_huge)
{
  gsl_matrix *Z = gsl_matrix_alloc(1, 2), *W = gsl_matrix_alloc(1, 2), *B = gsl_matrix_alloc(1, 2);
  gsl_vector *lse = gsl_vector_alloc(1);
  /* equal huge logits: [1/2, 1/2], lse = 1e308 + log 2 = 1e308 */
  gsl_matrix_set(Z, 0, 0, 1e308), gsl_matrix_set(Z, 0, 1, 1e308);
  ck_assert_int_eq(dp_softmax_rows(Z, 1.0, NULL, W, lse), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(W, 0, 0) == 0.5 && gsl_matrix_get(W, 0, 1) == 0.5);
  ck_assert(gsl_vector_get(lse, 0) == 1e308);
  /* a gap beyond DBL_MAX: y - m rounds to -inf, weight exactly 0 */
  gsl_matrix_set(Z, 0, 1, -1e308);
  ck_assert_int_eq(dp_softmax_rows(Z, 1.0, NULL, W, lse), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(W, 0, 0) == 1.0 && gsl_matrix_get(W, 0, 1) == 0.0);
  /* scale pushes z past DBL_MAX: the 2^e route, no NaN; lse beyond the range is +Inf */
  gsl_matrix_set(Z, 0, 0, DBL_MAX), gsl_matrix_set(Z, 0, 1, DBL_MAX);
  ck_assert_int_eq(dp_softmax_rows(Z, 4.0, NULL, W, lse), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(W, 0, 0) == 0.5 && gsl_matrix_get(W, 0, 1) == 0.5);
  ck_assert(isinf(gsl_vector_get(lse, 0)) && gsl_vector_get(lse, 0) > 0);
  gsl_matrix_set(Z, 0, 1, 0.5 * DBL_MAX);
  ck_assert_int_eq(dp_softmax_rows(Z, 4.0, NULL, W, NULL), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(W, 0, 0) == 1.0 && gsl_matrix_get(W, 0, 1) == 0.0);
  /* same with a negative scale: the smaller logit wins */
  ck_assert_int_eq(dp_softmax_rows(Z, -4.0, NULL, W, lse), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(W, 0, 0) == 0.0 && gsl_matrix_get(W, 0, 1) == 1.0);
  ck_assert(isinf(gsl_vector_get(lse, 0)) && gsl_vector_get(lse, 0) < 0);
  /* a huge additive mask: the same route */
  gsl_matrix_set_zero(Z);
  gsl_matrix_set(B, 0, 0, DBL_MAX), gsl_matrix_set(B, 0, 1, DBL_MAX);
  ck_assert_int_eq(dp_softmax_rows(Z, 1.0, B, W, NULL), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(W, 0, 0) == 0.5 && gsl_matrix_get(W, 0, 1) == 0.5);
  /* a tiny scale on huge logits is fine: 1e-300 * 1e308 = 1e8 */
  gsl_matrix_set(Z, 0, 0, 1e308), gsl_matrix_set(Z, 0, 1, 0.0);
  ck_assert_int_eq(dp_softmax_rows(Z, 1e-300, NULL, W, lse), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(W, 0, 0) == 1.0 && gsl_matrix_get(W, 0, 1) == 0.0);
  ck_assert(close_ulps(gsl_vector_get(lse, 0), 1e8, 4));
  /* tiny logits: uniform to rounding */
  gsl_matrix_set(Z, 0, 0, 1e-308), gsl_matrix_set(Z, 0, 1, -1e-308);
  ck_assert_int_eq(dp_softmax_rows(Z, 1.0, NULL, W, NULL), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(W, 0, 0) == 0.5 && gsl_matrix_get(W, 0, 1) == 0.5);
  gsl_matrix_free(Z), gsl_matrix_free(W), gsl_matrix_free(B), gsl_vector_free(lse);
}
END_TEST

START_TEST(test_softmax_masks)
{
  gsl_matrix *Z = gsl_matrix_alloc(3, 3), *W = gsl_matrix_alloc(3, 3), *B = gsl_matrix_alloc(3, 3);
  for (size_t i = 0; i < 3; i++)
    for (size_t j = 0; j < 3; j++)
      gsl_matrix_set(Z, i, j, 0.1 * (double)(i + 2 * j) + 0.3);
  ck_assert_int_eq(dp_softmax_mask_causal(B), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(B, 0, 0) == 0.0 && gsl_matrix_get(B, 2, 1) == 0.0);
  ck_assert(gsl_matrix_get(B, 0, 1) == -INFINITY && gsl_matrix_get(B, 1, 2) == -INFINITY);
  ck_assert_int_eq(dp_softmax_rows(Z, 1.0, B, W, NULL), GSL_SUCCESS);
  for (size_t i = 0; i < 3; i++) {
    double s = 0.0;
    for (size_t j = 0; j < 3; j++) {
      double w = gsl_matrix_get(W, i, j);
      if (j > i)
        ck_assert_msg(w == 0.0 && !signbit(w), "(%zu,%zu) = %g", i, j, w);
      else
        ck_assert(w > 0.0);
      s += w;
    }
    ck_assert(fabs(s - 1.0) <= 4 * DBL_EPSILON);
  }
  ck_assert(gsl_matrix_get(W, 0, 0) == 1.0);
  /* row 1 of the causal softmax: softmax([0.4, 0.6]) */
  double e = exp(0.2);
  ck_assert(close_ulps(gsl_matrix_get(W, 1, 1), e / (1.0 + e), 8));
  /* a general mask */
  const unsigned char keep[] = {0, 1, 1, 1, 0, 1, 0, 0, 1};
  ck_assert_int_eq(dp_softmax_mask_keep(keep, B), GSL_SUCCESS);
  ck_assert_int_eq(dp_softmax_rows(Z, 1.0, B, W, NULL), GSL_SUCCESS);
  for (size_t k = 0; k < 9; k++)
    ck_assert((gsl_matrix_get(W, k / 3, k % 3) == 0.0) == !keep[k]);
  ck_assert(gsl_matrix_get(W, 2, 2) == 1.0);
  /* -inf logits are masked too (positive scale) */
  gsl_matrix_set(Z, 0, 0, -INFINITY);
  ck_assert_int_eq(dp_softmax_rows(Z, 0.5, NULL, W, NULL), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(W, 0, 0) == 0.0);
  ck_assert_int_eq(dp_softmax_mask_causal(NULL), GSL_EFAULT);
  ck_assert_int_eq(dp_softmax_mask_keep(NULL, B), GSL_EFAULT);
  ck_assert_int_eq(dp_softmax_mask_keep(keep, NULL), GSL_EFAULT);
  gsl_matrix_free(Z), gsl_matrix_free(W), gsl_matrix_free(B);
}
END_TEST

START_TEST(test_softmax_errors)
{
  gsl_matrix *Z = gsl_matrix_calloc(2, 2), *W = gsl_matrix_alloc(2, 2),
             *W3 = gsl_matrix_alloc(2, 3),
             *B = gsl_matrix_calloc(2, 2), *B3 = gsl_matrix_calloc(3, 2);
  gsl_vector *l3 = gsl_vector_alloc(3);
  ck_assert_int_eq(dp_softmax_rows(NULL, 1.0, NULL, W, NULL), GSL_EFAULT);
  ck_assert_int_eq(dp_softmax_rows(Z, 1.0, NULL, NULL, NULL), GSL_EFAULT);
  ck_assert_int_eq(dp_softmax_rows(Z, 1.0, NULL, W3, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_softmax_rows(Z, 1.0, B3, W, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_softmax_rows(Z, 1.0, NULL, W, l3), GSL_EBADLEN);
  ck_assert_int_eq(dp_softmax_rows(Z, NAN, NULL, W, NULL), GSL_EINVAL);
  ck_assert_int_eq(dp_softmax_rows(Z, INFINITY, NULL, W, NULL), GSL_EINVAL);
  gsl_matrix_set(Z, 1, 0, NAN);
  ck_assert_int_eq(dp_softmax_rows(Z, 1.0, NULL, W, NULL), GSL_EDOM);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "row 1"));
  gsl_matrix_set(Z, 1, 0, INFINITY);
  ck_assert_int_eq(dp_softmax_rows(Z, 1.0, NULL, W, NULL), GSL_EDOM);
  gsl_matrix_set(Z, 1, 0, -INFINITY);
  ck_assert_int_eq(dp_softmax_rows(Z, 0.0, NULL, W, NULL), GSL_EDOM);
  ck_assert_int_eq(dp_softmax_rows(Z, -1.0, NULL, W, NULL), GSL_EDOM);
  gsl_matrix_set(Z, 1, 1, -INFINITY); /* every entry of row 1 masked */
  ck_assert_int_eq(dp_softmax_rows(Z, 1.0, NULL, W, NULL), GSL_EDOM);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "masked"));
  gsl_matrix_set_zero(Z);
  gsl_matrix_set(B, 0, 1, NAN);
  ck_assert_int_eq(dp_softmax_rows(Z, 1.0, B, W, NULL), GSL_EDOM);
  gsl_matrix_set(B, 0, 1, INFINITY);
  ck_assert_int_eq(dp_softmax_rows(Z, 1.0, B, W, NULL), GSL_EDOM);
  gsl_matrix_set(B, 0, 0, -INFINITY), gsl_matrix_set(B, 0, 1, -INFINITY);
  ck_assert_int_eq(dp_softmax_rows(Z, 1.0, B, W, NULL), GSL_EDOM);
  /* vectors */
  gsl_vector *z = gsl_vector_calloc(2), *w = gsl_vector_alloc(2), *w3 = gsl_vector_alloc(3);
  ck_assert_int_eq(dp_softmax_vector(NULL, 1.0, NULL, w, NULL), GSL_EFAULT);
  ck_assert_int_eq(dp_softmax_vector(z, 1.0, NULL, NULL, NULL), GSL_EFAULT);
  ck_assert_int_eq(dp_softmax_vector(z, 1.0, NULL, w3, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_softmax_vector(z, 1.0, w3, w, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_softmax_vector(z, NAN, NULL, w, NULL), GSL_EINVAL);
  gsl_vector_set(z, 0, NAN);
  ck_assert_int_eq(dp_softmax_vector(z, 1.0, NULL, w, NULL), GSL_EDOM);
  gsl_vector_free(z), gsl_vector_free(w), gsl_vector_free(w3);
  gsl_matrix_free(Z), gsl_matrix_free(W), gsl_matrix_free(W3), gsl_matrix_free(B);
  gsl_matrix_free(B3), gsl_vector_free(l3);
}
END_TEST

/* ---- entropy and largest weight ------------------------------------------------------------ */

START_TEST(test_entropy)
{
  for (size_t R = 1; R <= 64; R *= 4) {
    gsl_vector *w = gsl_vector_alloc(R);
    gsl_vector_set_all(w, 1.0 / (double)R);
    double H = -1.0, mx = -1.0;
    ck_assert_int_eq(dp_softmax_entropy(w, &H, &mx), GSL_SUCCESS);
    /* an R-term sum: at most (R + 2) eps of rounding */
    double logR = log((double)R);
    ck_assert_msg(fabs(H - logR) <= (double)(R + 2) * DBL_EPSILON * fmax(1.0, logR),
                  "R=%zu: H=%.17g", R, H);
    ck_assert(mx == 1.0 / (double)R);
    gsl_vector_free(w);
  }
  const double v[] = {0.5, 0.25, 0.25, 0.0, 1.0, 0.0};
  gsl_matrix *W = mat(2, 3, v);
  gsl_vector *H = gsl_vector_alloc(2), *mx = gsl_vector_alloc(2), *H3 = gsl_vector_alloc(3);
  ck_assert_int_eq(dp_softmax_row_stats(W, H, mx), GSL_SUCCESS);
  ck_assert(close_ulps(gsl_vector_get(H, 0), 1.5 * log(2.0), 4));
  ck_assert(gsl_vector_get(H, 1) == 0.0 && gsl_vector_get(mx, 1) == 1.0);
  ck_assert(gsl_vector_get(mx, 0) == 0.5);
  ck_assert_int_eq(dp_softmax_row_stats(W, NULL, NULL), GSL_SUCCESS);
  ck_assert_int_eq(dp_softmax_row_stats(W, H3, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_softmax_row_stats(W, NULL, H3), GSL_EBADLEN);
  ck_assert_int_eq(dp_softmax_row_stats(NULL, H, mx), GSL_EFAULT);
  gsl_matrix_set(W, 1, 2, -0.1);
  ck_assert_int_eq(dp_softmax_row_stats(W, H, mx), GSL_EDOM);
  gsl_matrix_set(W, 1, 2, NAN);
  ck_assert_int_eq(dp_softmax_row_stats(W, H, mx), GSL_EDOM);
  gsl_matrix_set(W, 1, 2, INFINITY);
  ck_assert_int_eq(dp_softmax_row_stats(W, H, mx), GSL_EDOM);
  ck_assert_int_eq(dp_softmax_entropy(NULL, NULL, NULL), GSL_EFAULT);
  gsl_vector_view r = gsl_matrix_row(W, 0);
  ck_assert_int_eq(dp_softmax_entropy(&r.vector, NULL, NULL), GSL_SUCCESS);
  gsl_matrix_free(W), gsl_vector_free(H), gsl_vector_free(mx), gsl_vector_free(H3);
}
END_TEST

/* ---- conditional co-occurrence ------------------------------------------------------------ */

START_TEST(test_conditional)
{
  const double x[] = {1.0, 2.0, 2.0, 4.0};
  gsl_matrix *X = mat(2, 2, x), *P = gsl_matrix_alloc(3, 3), *P2 = gsl_matrix_alloc(2, 2);
  const size_t t[] = {0, 1, 1};
  ck_assert_int_eq(dp_softmax_conditional(X, t, 3, NULL, P), GSL_SUCCESS);
  /* row of word 0 over positions (0, 1, 1): (1, 2, 2) / 5; word 1: (2, 4, 4) / 10 */
  ck_assert(close_ulps(gsl_matrix_get(P, 0, 0), 0.2, 2));
  ck_assert(close_ulps(gsl_matrix_get(P, 0, 2), 0.4, 2));
  ck_assert(close_ulps(gsl_matrix_get(P, 1, 0), 0.2, 2));
  ck_assert(close_ulps(gsl_matrix_get(P, 2, 1), 0.4, 2));
  /* softmax(log X) gives the same */
  gsl_matrix *S = gsl_matrix_alloc(2, 2), *M = gsl_matrix_alloc(3, 3), *Wm = gsl_matrix_alloc(3, 3);
  for (size_t k = 0; k < 4; k++)
    gsl_matrix_set(S, k / 2, k % 2, log(x[k]));
  ck_assert_int_eq(dp_select_gather(S, t, 3, M), GSL_SUCCESS);
  ck_assert_int_eq(dp_softmax_rows(M, 1.0, NULL, Wm, NULL), GSL_SUCCESS);
  /* the ratio of claim C11: n = R + 4 + 5 max |log X| */
  double n = 3.0 + 4.0 + 5.0 * log(4.0);
  ck_assert(dp_resid_matrix_ratio(Wm, P, 0, n, dp_resid_norm(P)) <= DP_TOL_RATIO);
  /* a prior on the positions: (1, 2, 4) / 7 */
  gsl_vector *pr = gsl_vector_alloc(3);
  gsl_vector_set(pr, 0, 1.0), gsl_vector_set(pr, 1, 1.0), gsl_vector_set(pr, 2, 2.0);
  ck_assert_int_eq(dp_softmax_conditional(X, t, 3, pr, P), GSL_SUCCESS);
  ck_assert(close_ulps(gsl_matrix_get(P, 0, 2), 4.0 / 7.0, 2));
  /* errors */
  ck_assert_int_eq(dp_softmax_conditional(NULL, t, 3, NULL, P), GSL_EFAULT);
  ck_assert_int_eq(dp_softmax_conditional(X, t, 3, NULL, P2), GSL_EBADLEN);
  ck_assert_int_eq(dp_softmax_conditional(X, t, 0, NULL, P), GSL_EBADLEN);
  gsl_vector *pr2 = gsl_vector_alloc(2);
  gsl_vector_set_all(pr2, 1.0);
  ck_assert_int_eq(dp_softmax_conditional(X, t, 3, pr2, P), GSL_EBADLEN);
  gsl_vector_free(pr2);
  const size_t bad[] = {0, 2, 1};
  ck_assert_int_eq(dp_softmax_conditional(X, bad, 3, NULL, P), GSL_EINVAL);
  gsl_vector_set(pr, 1, 0.0);
  ck_assert_int_eq(dp_softmax_conditional(X, t, 3, pr, P), GSL_EDOM);
  gsl_vector_set(pr, 1, NAN);
  ck_assert_int_eq(dp_softmax_conditional(X, t, 3, pr, P), GSL_EDOM);
  gsl_matrix_set(X, 0, 1, -1.0);
  ck_assert_int_eq(dp_softmax_conditional(X, t, 3, NULL, P), GSL_EDOM);
  gsl_matrix_set(X, 0, 1, INFINITY);
  ck_assert_int_eq(dp_softmax_conditional(X, t, 3, NULL, P), GSL_EDOM);
  gsl_matrix_set_zero(X);
  ck_assert_int_eq(dp_softmax_conditional(X, t, 3, NULL, P), GSL_EDOM);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "mass"));
  gsl_matrix *X23 = gsl_matrix_calloc(2, 3);
  ck_assert_int_eq(dp_softmax_conditional(X23, t, 3, NULL, P), GSL_EBADLEN);
  gsl_matrix_free(X23), gsl_vector_free(pr);
  gsl_matrix_free(X), gsl_matrix_free(P), gsl_matrix_free(P2);
  gsl_matrix_free(S), gsl_matrix_free(M), gsl_matrix_free(Wm);
}
END_TEST

/* ---- expansion and Taylor coefficients ----------------------------------------------------- */

START_TEST(test_expansion)
{
  const double m[] = {1.0, 3.0};
  gsl_matrix *M = mat(1, 2, m), *L = gsl_matrix_alloc(1, 2), *L3 = gsl_matrix_alloc(1, 3);
  ck_assert_int_eq(dp_softmax_centre_rows(M, L), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(L, 0, 0) == -1.0 && gsl_matrix_get(L, 0, 1) == 1.0);
  ck_assert_int_eq(dp_softmax_expansion(M, 0.5, 1, L), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(L, 0, 0) == 0.25 && gsl_matrix_get(L, 0, 1) == 0.75);
  ck_assert_int_eq(dp_softmax_expansion(M, 0.5, 0, L), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(L, 0, 0) == 0.75 && gsl_matrix_get(L, 0, 1) == 1.25);
  ck_assert_int_eq(dp_softmax_expansion(M, NAN, 1, L), GSL_EINVAL);
  ck_assert_int_eq(dp_softmax_expansion(M, 0.5, 1, L3), GSL_EBADLEN);
  ck_assert_int_eq(dp_softmax_expansion(M, 0.5, 1, NULL), GSL_EFAULT);
  ck_assert_int_eq(dp_softmax_centre_rows(M, L3), GSL_EBADLEN);
  double nodata[1] = {0.0};
  gsl_matrix empty = {1, 0, 1, nodata, NULL, 0}; /* rows of length 0 (GSL cannot allocate one) */
  ck_assert_int_eq(dp_softmax_centre_rows(&empty, &empty), GSL_EBADLEN);
  /* Taylor, R = 2, row [d, -d]: A1 = x/2, A2 = 0, A3 = -x^3/6 ... (sigma(2 beta d) series),
   * A4 = 0 (odd in beta) */
  const double r2[] = {0.75, -0.75};
  gsl_matrix *X2 = mat(1, 2, r2), *A[4];
  for (int k = 0; k < 4; k++)
    A[k] = gsl_matrix_alloc(1, 2);
  ck_assert_int_eq(dp_softmax_taylor(X2, A[0], A[1], A[2], A[3]), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(A[0], 0, 0) == 0.375);
  ck_assert(gsl_matrix_get(A[1], 0, 0) == 0.0 && gsl_matrix_get(A[1], 0, 1) == 0.0);
  ck_assert(close_ulps(gsl_matrix_get(A[2], 0, 0), -0.75 * 0.75 * 0.75 / 6.0, 4));
  ck_assert(close_ulps(gsl_matrix_get(A[2], 0, 1), 0.75 * 0.75 * 0.75 / 6.0, 4));
  ck_assert(gsl_matrix_get(A[3], 0, 0) == 0.0 && gsl_matrix_get(A[3], 0, 1) == 0.0);
  ck_assert_int_eq(dp_softmax_taylor(X2, NULL, NULL, NULL, NULL), GSL_SUCCESS);
  ck_assert_int_eq(dp_softmax_taylor(X2, L3, NULL, NULL, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_softmax_taylor(NULL, NULL, NULL, NULL, NULL), GSL_EFAULT);
  gsl_matrix_free(X2);
  for (int k = 0; k < 4; k++)
    gsl_matrix_free(A[k]);
  gsl_matrix_free(M), gsl_matrix_free(L), gsl_matrix_free(L3);
}
END_TEST

/* Numerically: softmax(beta M) minus its Taylor polynomial to beta^4 is O(beta^5). */
START_TEST(test_taylor_numeric)
{
  const double m[] = {0.3, -1.2, 0.7, 2.0, 0.1, 1.5,  1.5, -0.4,
                      0.9, 0.0,  -2.0, 0.25, 1.0, 0.6, -0.3};
  gsl_matrix *M = mat(3, 5, m), *W = gsl_matrix_alloc(3, 5), *T = gsl_matrix_alloc(3, 5), *A[4];
  for (int k = 0; k < 4; k++)
    A[k] = gsl_matrix_alloc(3, 5);
  ck_assert_int_eq(dp_softmax_taylor(M, A[0], A[1], A[2], A[3]), GSL_SUCCESS);
  double prev = NAN;
  for (int h = 4; h <= 7; h++) {
    double beta = ldexp(1.0, -h);
    ck_assert_int_eq(dp_softmax_rows(M, beta, NULL, W, NULL), GSL_SUCCESS);
    gsl_matrix_set_all(T, 0.2);
    double bk = 1.0;
    for (int k = 0; k < 4; k++) {
      bk *= beta;
      for (size_t i = 0; i < 15; i++)
        T->data[(i / 5) * T->tda + i % 5] += bk * A[k]->data[(i / 5) * A[k]->tda + i % 5];
    }
    double e = dp_resid_diff(W, T, 0);
    if (!isnan(prev))
      ck_assert_msg(e / prev > 0.029 && e / prev < 0.034, "beta=2^-%d: ratio %g (1/32 expected)",
                    h, e / prev);
    prev = e;
    /* the linear part of the polynomial is the centred expansion */
    gsl_matrix_set_all(T, 0.2);
    for (size_t i = 0; i < 15; i++)
      T->data[(i / 5) * T->tda + i % 5] += beta * A[0]->data[(i / 5) * A[0]->tda + i % 5];
    ck_assert_int_eq(dp_softmax_expansion(M, beta, 1, W), GSL_SUCCESS);
    ck_assert(dp_resid_diff(W, T, 0) <= 8 * DBL_EPSILON);
  }
  gsl_matrix_free(M), gsl_matrix_free(W), gsl_matrix_free(T);
  for (int k = 0; k < 4; k++)
    gsl_matrix_free(A[k]);
}
END_TEST

/* ---- generators ----------------------------------------------------------------------------- */

START_TEST(test_gen_counts)
{
  struct dp_sizes sz = {24, 30};
  unsigned seen[DP_XM_COUNT_] = {0}, scaled = 0;
  for (uint64_t s = 1; s <= 120; s++) {
    struct dp_sm_inst *x = dp_sm_inst_make(s, &sz), *y = dp_sm_inst_make(s, &sz);
    ck_assert_ptr_nonnull(x);
    ck_assert(x->R >= 1 && x->R <= 24 && x->V >= 1 && x->V <= 30);
    ck_assert_uint_eq(x->R, y->R);
    ck_assert_uint_eq(dp_resid_mismatch(x->X, y->X, 0, NULL), 0);
    ck_assert_int_eq(memcmp(x->t, y->t, x->R * sizeof *x->t), 0);
    seen[x->mode]++;
    scaled += x->scale_exp != 0;
    for (size_t i = 0; i < x->R; i++)
      ck_assert_uint_lt(x->t[i], x->V);
    ck_assert_uint_eq(dp_resid_mismatch(x->X, x->X, 1, NULL), 0); /* symmetric */
    double lo, hi;
    gsl_matrix_minmax(x->X, &lo, &hi);
    ck_assert(lo >= 0.0 && isfinite(hi));
    if (x->mode != DP_XM_COUNTS)
      ck_assert(lo > 0.0);
    if (x->mode == DP_XM_COUNTS && x->R >= 2) /* the sequence is in the corpus */
      for (size_t i = 0; i + 1 < x->R; i++)
        ck_assert(gsl_matrix_get(x->X, x->t[i], x->t[i + 1]) > 0.0);
    /* every shrink candidate is a smaller or simpler valid instance */
    for (unsigned k = 0;; k++) {
      struct dp_sm_inst *c = dp_sm_inst_shrink(x, k);
      if (!c)
        break;
      ck_assert(c->R <= x->R && c->V <= x->V && c->R >= 1);
      for (size_t i = 0; i < c->R; i++)
        ck_assert_uint_lt(c->t[i], c->V);
      dp_sm_inst_free(c);
    }
    dp_sm_inst_free(x);
    dp_sm_inst_free(y);
  }
  for (int m = 0; m < DP_XM_COUNT_; m++)
    ck_assert_msg(seen[m] > 0, "mode %s never drawn", dp_xmode_name((enum dp_xmode)m));
  ck_assert_uint_gt(scaled, 0);
  ck_assert_str_eq(dp_xmode_name(DP_XM_COUNT_), "?");
  /* from parts, describe, print; shrink of an R = 1 instance with integer entries: none */
  const double xv[] = {2.0, 0.0, 0.0, 3.0};
  gsl_matrix *X = mat(2, 2, xv);
  const size_t t[] = {1};
  struct dp_sm_inst *x = dp_sm_inst_from(X, t, 1, NULL, NULL);
  ck_assert_ptr_nonnull(x);
  char d[200];
  dp_sm_inst_describe(x, d, sizeof d);
  ck_assert_ptr_nonnull(strstr(d, "R=1 V=2"));
  struct dp_sm_inst *c = dp_sm_inst_shrink(x, 0); /* drop the absent word 0 */
  ck_assert_ptr_nonnull(c);
  ck_assert_uint_eq(c->V, 1);
  ck_assert(gsl_matrix_get(c->X, 0, 0) == 3.0);
  struct dp_sm_inst *c2 = dp_sm_inst_shrink(c, 0);
  ck_assert_ptr_null(c2);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  dp_sm_inst_print(f, c);
  fclose(f);
  ck_assert_ptr_nonnull(strstr(buf, "X[0][0] = 0x1.8p+1"));
  free(buf);
  dp_sm_inst_free(c);
  ck_assert_ptr_null(dp_sm_inst_from(X, t, 0, NULL, NULL));
  ck_assert_ptr_null(dp_sm_inst_from(NULL, t, 1, NULL, NULL));
  dp_sm_inst_free(x);
  gsl_matrix_free(X);
}
END_TEST

START_TEST(test_gen_mc)
{
  struct dp_mc_inst *a = dp_mc_inst_sample(42, 8, 200), *b = dp_mc_inst_sample(42, 8, 100);
  ck_assert_int_eq(memcmp(a->dot, b->dot, 100 * sizeof *a->dot), 0); /* prefix property */
  struct dp_mc_inst *h = dp_mc_inst_shrink(a, 0);
  ck_assert_uint_eq(h->N, 100);
  ck_assert_int_eq(memcmp(h->dot, b->dot, 100 * sizeof *b->dot), 0);
  struct dp_mc_inst *d = dp_mc_inst_shrink(b, 0); /* N/2 < 64: halves d_k instead */
  ck_assert_uint_eq(d->d, 4);
  ck_assert_ptr_null(dp_mc_inst_shrink(b, 2));
  ck_assert_ptr_null(dp_mc_inst_sample(1, 0, 10));
  struct dp_mc_inst *one = dp_mc_inst_sample(3, 1, 10);
  ck_assert_ptr_null(dp_mc_inst_shrink(one, 1));
  char s[200];
  dp_mc_inst_describe(one, s, sizeof s);
  ck_assert_ptr_nonnull(strstr(s, "d_k=1 N=10"));
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  dp_mc_inst_print(f, one);
  fclose(f);
  ck_assert_ptr_nonnull(strstr(buf, "q_0 . k_0"));
  free(buf);
  /* make: d_k a power of two <= 1024, N = max(4096, 2^19 / d_k) */
  struct dp_sizes sz = {8, 8};
  for (uint64_t seed = 0; seed < 12; seed++) {
    struct dp_mc_inst *m = dp_mc_inst_make(seed, &sz);
    ck_assert(m->d >= 1 && m->d <= 1024 && (m->d & (m->d - 1)) == 0);
    ck_assert_uint_eq(m->N, m->d <= 128 ? DP_MC_WORK / m->d : DP_MC_N_MIN);
    dp_mc_inst_free(m);
  }
  dp_mc_inst_free(a), dp_mc_inst_free(b), dp_mc_inst_free(h), dp_mc_inst_free(d);
  dp_mc_inst_free(one);
}
END_TEST

static char *tmpfile_with(const char *s)
{
  char *path = strdup("/tmp/check_softmax_XXXXXX");
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
  close(fd);
  return path;
}

START_TEST(test_text)
{
  char *path = tmpfile_with("a b a\nb c\nc c c c\n");
  struct dp_env env = {path, NULL, 1};
  struct dp_sm_text *x = NULL;
  ck_assert_int_eq(dp_sm_text_make(&env, 2, &x), GSL_SUCCESS);
  ck_assert_ptr_nonnull(x);
  ck_assert_uint_eq(x->v, 3);
  ck_assert_uint_eq(x->ndoc, 2);
  ck_assert_str_eq(x->words[0], "a");
  ck_assert_str_eq(x->words[2], "c");
  /* window 1, g = 1: X_ab = 2 (a b, b a), X_bc = 1 */
  const double want[] = {0, 2, 0, 2, 0, 1, 0, 1, 0};
  gsl_matrix_const_view Wv = gsl_matrix_const_view_array(want, 3, 3);
  ck_assert_uint_eq(dp_resid_mismatch(x->X, &Wv.matrix, 0, NULL), 0);
  ck_assert_uint_eq(dp_sm_text_longest(x), 0);
  char snip[48];
  dp_sm_text_snippet(x, 0, snip, sizeof snip);
  ck_assert_str_eq(snip, "a b a");
  dp_sm_text_snippet(x, 0, snip, 8);
  ck_assert_str_eq(snip, "a b ...");
  /* the same from a corpus already read (every word kept) */
  struct dp_corpus *corp = NULL;
  struct dp_vocab_opts vo = {1, 0};
  ck_assert_int_eq(dp_corpus_read(path, &vo, &corp), GSL_SUCCESS);
  struct dp_env env2 = {path, corp, 1};
  struct dp_sm_text *y = NULL;
  ck_assert_int_eq(dp_sm_text_make(&env2, 2, &y), GSL_SUCCESS);
  ck_assert_uint_eq(dp_resid_mismatch(y->X, x->X, 0, NULL), 0);
  ck_assert_str_eq(y->words[1], "b");
  dp_sm_text_free(y);
  ck_assert_int_eq(dp_sm_text_make(&env2, 10, &y), GSL_SUCCESS); /* more than there are */
  ck_assert_uint_eq(y->ndoc, 3);
  ck_assert_uint_eq(dp_sm_text_longest(y), 2);
  dp_sm_text_free(y);
  dp_corpus_free(corp);
  /* no corpus: nothing, and no error; a missing file: an error */
  struct dp_env none = {NULL, NULL, 5};
  ck_assert_int_eq(dp_sm_text_make(&none, 2, &y), GSL_SUCCESS);
  ck_assert_ptr_null(y);
  ck_assert_int_eq(dp_sm_text_make(NULL, 2, &y), GSL_SUCCESS);
  struct dp_env missing = {"/nonexistent/corpus.txt", NULL, 5};
  ck_assert_int_ne(dp_sm_text_make(&missing, 2, &y), GSL_SUCCESS);
  /* a last line without its newline; first documents without any token */
  char *p2 = tmpfile_with("x y\nz x");
  struct dp_env e2 = {p2, NULL, 2};
  ck_assert_int_eq(dp_sm_text_make(&e2, 5, &y), GSL_SUCCESS);
  ck_assert_uint_eq(y->ndoc, 2);
  ck_assert_uint_eq(y->v, 3);
  ck_assert(gsl_matrix_get(y->X, 2, 0) == 1.0); /* z x */
  dp_sm_text_free(y);
  char *p3 = tmpfile_with("\n...\nw\n");
  struct dp_env e3 = {p3, NULL, 2};
  ck_assert_int_eq(dp_sm_text_make(&e3, 2, &y), GSL_EDOM); /* no token in 2 lines */
  ck_assert_ptr_null(y);
  ck_assert_int_eq(dp_corpus_read(p3, &vo, &corp), GSL_SUCCESS);
  struct dp_env e4 = {p3, corp, 2};
  ck_assert_int_eq(dp_sm_text_make(&e4, 2, &y), GSL_EDOM);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "no token"));
  ck_assert_int_eq(dp_sm_text_make(&e4, 3, &y), GSL_SUCCESS);
  ck_assert_uint_eq(y->v, 1);
  dp_sm_text_free(y);
  dp_corpus_free(corp);
  unlink(p2), unlink(p3);
  free(p2), free(p3);
  dp_sm_text_free(x);
  unlink(path);
  free(path);
  dp_sm_text_free(NULL);
}
END_TEST

/* ---- the claims on hand-made instances ------------------------------------------------------ */

static void run(const struct dp_claim *c, void (*fn)(const void *, struct dp_outcome *),
                const void *inst, struct dp_outcome *o)
{
  memset(o, 0, sizeof *o);
  o->figure = NAN;
  fn(inst, o);
  (void)c;
}

START_TEST(test_c11_hand)
{
  const struct dp_claim *c = dp_claim_find("C11");
  ck_assert_ptr_nonnull(c);
  /* words 0, 1, 2; word 2 never co-occurs with word 0 (a zero count, masked) */
  const double xv[] = {3, 1, 0, 1, 5, 2, 0, 2, 7};
  const double bq[] = {0.5, -2, 4}, bk[] = {1, -1, 0.25};
  gsl_matrix *X = mat(3, 3, xv);
  const size_t t[] = {0, 1, 2, 1};
  struct dp_sm_inst *x = dp_sm_inst_from(X, t, 4, bq, bk);
  struct dp_outcome o;
  run(c, c->check, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  ck_assert_uint_eq(o.parts, 4);
  run(c, c->twin, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_FAIL);
  ck_assert_ptr_nonnull(strstr(o.what, "TV"));
  /* a constant key bias is a row constant after all: the twin holds */
  const double bc[] = {2, 2, 2};
  struct dp_sm_inst *y = dp_sm_inst_from(X, t, 4, bq, bc);
  run(c, c->twin, y, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  dp_sm_inst_free(y);
  /* a row with no positive count: skipped */
  const size_t t2[] = {0, 2};
  gsl_matrix_set(X, 0, 0, 0.0);
  y = dp_sm_inst_from(X, t2, 2, NULL, NULL);
  run(c, c->check, y, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_SKIP);
  dp_sm_inst_free(y);
  /* an infinite count: the engine refuses it, the instance is an ERROR */
  gsl_matrix_set(X, 1, 1, INFINITY);
  y = dp_sm_inst_from(X, t, 4, NULL, NULL);
  run(c, c->check, y, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_ERROR);
  dp_sm_inst_free(y);
  /* a wrong reference is caught: softmax(log X) against X^2 / sum X^2 */
  gsl_matrix *S = gsl_matrix_alloc(3, 3), *M = gsl_matrix_alloc(4, 4), *W = gsl_matrix_alloc(4, 4),
             *P = gsl_matrix_alloc(4, 4), *X2 = mat(3, 3, xv);
  gsl_matrix_mul_elements(X2, X2);
  for (size_t k = 0; k < 9; k++)
    gsl_matrix_set(S, k / 3, k % 3, log(xv[k]));
  dp_select_gather(S, t, 4, M);
  ck_assert_int_eq(dp_softmax_rows(M, 1.0, NULL, W, NULL), GSL_SUCCESS);
  ck_assert_int_eq(dp_softmax_conditional(X2, t, 4, NULL, P), GSL_SUCCESS);
  ck_assert(dp_resid_matrix_ratio(W, P, 0, 4 + 4 + 5 * log(7.0), dp_resid_norm(P)) > DP_TOL_RATIO);
  gsl_matrix_free(S), gsl_matrix_free(M), gsl_matrix_free(W), gsl_matrix_free(P);
  gsl_matrix_free(X2);
  dp_sm_inst_free(x);
  gsl_matrix_free(X);
}
END_TEST

static struct dp_inst *seq_inst(const double *S, size_t V, const size_t *t, size_t R)
{
  struct dp_inst *x = calloc(1, sizeof *x);
  x->V = V, x->R = R;
  x->t = malloc(R * sizeof *x->t);
  memcpy(x->t, t, R * sizeof *t);
  x->S = mat(V, V, S);
  x->Sd = mat(V, V, S);
  return x;
}

START_TEST(test_c12_hand)
{
  const struct dp_claim *c = dp_claim_find("C12");
  ck_assert_ptr_nonnull(c);
  const double S[] = {1.0, 0.2, -0.5, 0.2, 2.0, 0.3, -0.5, 0.3, 0.0};
  const size_t t3[] = {0, 1, 2}, t2[] = {0, 1}, t1[] = {2}, tc[] = {1, 1, 1};
  struct dp_inst *x = seq_inst(S, 3, t3, 3);
  struct dp_outcome o;
  run(c, c->check, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  ck_assert(o.figure < 0.5); /* order within 0.05 of 2 */
  run(c, c->twin, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_FAIL);
  ck_assert(o.figure > 9.0 && o.figure < 11.0); /* order 1 */
  dp_inst_free(x);
  /* R = 2: A2 = 0, the order is 3; skipped, not fitted */
  x = seq_inst(S, 3, t2, 2);
  run(c, c->check, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_SKIP);
  ck_assert_ptr_nonnull(strstr(o.what, "O(beta^3)"));
  run(c, c->twin, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_SKIP);
  dp_inst_free(x);
  x = seq_inst(S, 3, t1, 1);
  run(c, c->check, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_SKIP);
  dp_inst_free(x);
  x = seq_inst(S, 3, tc, 3);
  run(c, c->check, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_SKIP);
  ck_assert_ptr_nonnull(strstr(o.what, "constant"));
  dp_inst_free(x);
  /* an infinite entry: ERROR, never a pass */
  double Si[9];
  memcpy(Si, S, sizeof Si);
  Si[4] = INFINITY;
  x = seq_inst(Si, 3, t3, 3);
  run(c, c->check, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_ERROR);
  dp_inst_free(x);
  /* the same three tokens at 2^400 and 2^-400: the grid follows the scale */
  double Sb[9];
  for (int e = -400; e <= 400; e += 800) {
    for (int k = 0; k < 9; k++)
      Sb[k] = ldexp(S[k], e);
    x = seq_inst(Sb, 3, t3, 3);
    run(c, c->check, x, &o);
    ck_assert_msg(dp_claim_judge(c, &o) == DP_PASS, "2^%d: %s", e, o.what);
    dp_inst_free(x);
  }
}
END_TEST

START_TEST(test_c13_hand)
{
  const struct dp_claim *c = dp_claim_find("C13");
  ck_assert_ptr_nonnull(c);
  ck_assert(fabs(DP_C13_ZCRIT - gsl_cdf_ugaussian_Qinv(DP_C13_ALPHA / 2.0)) < 1e-9);
  /* q . k = +-sqrt(2 d): variance 2 after scaling, far outside the band */
  struct dp_mc_inst *x = dp_mc_inst_sample(5, 4, 4096);
  for (size_t n = 0; n < x->N; n++)
    x->dot[n] = (n % 2 ? -1.0 : 1.0) * sqrt(8.0);
  struct dp_outcome o;
  run(c, c->check, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_FAIL);
  /* exactly variance 1 after scaling: T = 0 */
  for (size_t n = 0; n < x->N; n++)
    x->dot[n] = (n % 2 ? -1.0 : 1.0) * 2.0;
  run(c, c->check, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  ck_assert(o.figure == 0.0);
  run(c, c->twin, x, &o); /* variance 1/4 for the twin */
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_FAIL);
  dp_mc_inst_free(x);
  /* real samples, d_k = 1: the claim and the twin coincide and hold */
  x = dp_mc_inst_sample(11, 1, 20000);
  run(c, c->check, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  run(c, c->twin, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  dp_mc_inst_free(x);
}
END_TEST

/* The claims' real-text rows and extras on a small corpus, with few trials. */
START_TEST(test_claims_small_run)
{
  char *path = tmpfile_with("in the beginning god created the heaven and the earth\n"
                            "and the earth was without form and void and darkness was upon "
                            "the face of the deep\nand god said let there be light and there "
                            "was light\n");
  const char *ids[] = {"C11", "C12", "C13"};
  for (int k = 0; k < 3; k++) {
    const struct dp_claim *c = dp_claim_find(ids[k]);
    struct dp_run_opts o = {0};
    o.master = 7;
    o.trials = 12;
    o.sizes.R_max = 16;
    o.sizes.V_max = 20;
    o.shrink = 1;
    o.max_cex = 1;
    o.env.corpus_path = path;
    o.env.window = 2;
    struct dp_result r;
    ck_assert_int_eq(dp_run_claim(c, &o, &r), GSL_SUCCESS);
    ck_assert_msg(r.verdict == DP_PASS, "%s: %s (%s)", c->id, dp_verdict_name(r.verdict),
                  r.error);
    ck_assert_int_eq(r.extras_status, GSL_SUCCESS);
    ck_assert_uint_gt(r.extras.ntables + r.extras.nplots, 0);
    if (c->real) {
      ck_assert_uint_eq(r.nreal, 2);
      for (size_t i = 0; i < r.nreal; i++) {
        ck_assert_int_eq(dp_claim_judge(c, &r.real[i].claim), DP_PASS);
        ck_assert_int_eq(dp_claim_judge(c, &r.real[i].twin), DP_FAIL);
      }
    }
    dp_result_free(&r);
  }
  unlink(path);
  free(path);
}
END_TEST

/* ---- allocation failures ---------------------------------------------------------------- */

/* Run a claim's check (or twin) with each allocation failing in turn: the outcome is an
 * ERROR, or exactly the undisturbed outcome. */
static void oom_outcome(void (*fn)(const void *, struct dp_outcome *), const void *inst)
{
  struct dp_outcome ref, o;
  memset(&ref, 0, sizeof ref);
  ref.figure = NAN;
  fn(inst, &ref);
  ck_assert_int_eq(ref.status, DP_MEASURED);
  for (long n = 0;; n++) {
    memset(&o, 0, sizeof o);
    o.figure = NAN;
    alloc_arm(n);
    fn(inst, &o);
    if (!alloc_disarm())
      break;
    ck_assert_msg(o.status == DP_BROKEN || (o.status == ref.status && o.figure == ref.figure),
                  "allocation %ld failed: status %d, figure %g (undisturbed %g)", n, o.status,
                  o.figure, ref.figure);
  }
}

START_TEST(test_oom_claims)
{
  const double xv[] = {3, 1, 0, 1, 5, 2, 0, 2, 7};
  const double bq[] = {0.5, -2, 4}, bk[] = {1, -1, 0.25};
  gsl_matrix *X = mat(3, 3, xv);
  const size_t t[] = {0, 1, 2, 1};
  struct dp_sm_inst *x = dp_sm_inst_from(X, t, 4, bq, bk);
  const struct dp_claim *c11 = dp_claim_find("C11"), *c12 = dp_claim_find("C12"),
                        *c13 = dp_claim_find("C13");
  oom_outcome(c11->check, x);
  oom_outcome(c11->twin, x);
  const double S[] = {1.0, 0.2, -0.5, 0.2, 2.0, 0.3, -0.5, 0.3, 0.0};
  const size_t t3[] = {0, 1, 2};
  struct dp_inst *y = seq_inst(S, 3, t3, 3);
  oom_outcome(c12->check, y);
  oom_outcome(c12->twin, y);
  struct dp_mc_inst *z = dp_mc_inst_sample(3, 2, 256);
  oom_outcome(c13->check, z);
  dp_mc_inst_free(z);
  dp_inst_free(y);
  dp_sm_inst_free(x);
  gsl_matrix_free(X);
}
END_TEST

/* Generators and the real-text operator: NULL (or an error) or the undisturbed result. */
START_TEST(test_oom_generators)
{
  struct dp_sizes sz = {12, 12};
  for (uint64_t seed = 1; seed <= 6; seed++) {
    struct dp_sm_inst *ref = dp_sm_inst_make(seed, &sz);
    for (long n = 0;; n++) {
      alloc_arm(n);
      struct dp_sm_inst *x = dp_sm_inst_make(seed, &sz);
      int failed = alloc_disarm();
      if (x) {
        ck_assert_uint_eq(dp_resid_mismatch(x->X, ref->X, 0, NULL), 0);
        for (unsigned k = 0; k < 8; k++) { /* shrink candidates under failure too */
          alloc_arm(n % 3);
          struct dp_sm_inst *c = dp_sm_inst_shrink(x, k);
          alloc_disarm();
          dp_sm_inst_free(c);
        }
      }
      dp_sm_inst_free(x);
      if (!failed)
        break;
    }
    dp_sm_inst_free(ref);
  }
  for (long n = 0;; n++) {
    alloc_arm(n);
    struct dp_mc_inst *m = dp_mc_inst_sample(9, 4, 300), *h = m ? dp_mc_inst_shrink(m, 0) : NULL;
    struct dp_mc_inst *d = m ? dp_mc_inst_shrink(m, 1) : NULL;
    int failed = alloc_disarm();
    dp_mc_inst_free(m), dp_mc_inst_free(h), dp_mc_inst_free(d);
    if (!failed)
      break;
  }
  char *path = tmpfile_with("a b a\nb c\nc c c c\n");
  struct dp_env env = {path, NULL, 1};
  struct dp_sm_text *ref = NULL;
  ck_assert_int_eq(dp_sm_text_make(&env, 2, &ref), GSL_SUCCESS);
  for (long n = 0;; n++) {
    struct dp_sm_text *tx = NULL;
    alloc_arm(n);
    int st = dp_sm_text_make(&env, 2, &tx);
    int failed = alloc_disarm();
    if (st == GSL_SUCCESS) {
      ck_assert_ptr_nonnull(tx);
      ck_assert_uint_eq(dp_resid_mismatch(tx->X, ref->X, 0, NULL), 0);
    } else
      ck_assert_ptr_null(tx);
    dp_sm_text_free(tx);
    if (!failed)
      break;
  }
  dp_sm_text_free(ref);
  unlink(path);
  free(path);
}
END_TEST

/* The claims' real-text rows and extras: an error status, never a crash. */
START_TEST(test_oom_real_extras)
{
  char *path = tmpfile_with("in the beginning god created the heaven and the earth\n"
                            "and the earth was without form and void\n");
  struct dp_env env = {path, NULL, 2};
  const char *ids[] = {"C11", "C12"};
  for (int k = 0; k < 2; k++) {
    const struct dp_claim *c = dp_claim_find(ids[k]);
    for (long n = 0;; n++) {
      struct dp_real_row rows[8];
      size_t nrows = 0;
      alloc_arm(n);
      int st = c->real(&env, rows, 8, &nrows);
      int failed = alloc_disarm();
      if (st == GSL_SUCCESS && !failed)
        ck_assert_uint_eq(nrows, 2);
      if (!failed)
        break;
    }
  }
  /* C13's extras allocate only through the engine and the Monte Carlo sampler */
  const struct dp_claim *c = dp_claim_find("C13");
  struct dp_run_opts o = {0};
  o.master = 3;
  for (long n = 0, prev = 1, step; ; step = n + prev, prev = n, n = step) { /* Fibonacci */
    struct dp_extras ex = {0};
    alloc_arm(n);
    int st = c->extras(&o, &ex);
    int failed = alloc_disarm();
    if (!failed)
      ck_assert_int_eq(st, GSL_SUCCESS);
    dp_extras_free(&ex);
    if (!failed)
      break;
  }
  unlink(path);
  free(path);
}
END_TEST

int main(void)
{
  dp_err_install();
  Suite *s = suite_create("softmax");
  TCase *tc = tcase_create("engine");
  tcase_add_test(tc, test_softmax_third);
  tcase_add_test(tc, test_softmax_huge);
  tcase_add_test(tc, test_softmax_masks);
  tcase_add_test(tc, test_softmax_errors);
  tcase_add_test(tc, test_entropy);
  tcase_add_test(tc, test_conditional);
  tcase_add_test(tc, test_expansion);
  tcase_add_test(tc, test_taylor_numeric);
  suite_add_tcase(s, tc);
  tc = tcase_create("generators");
  tcase_add_test(tc, test_gen_counts);
  tcase_add_test(tc, test_gen_mc);
  tcase_add_test(tc, test_text);
  suite_add_tcase(s, tc);
  tc = tcase_create("claims");
  tcase_add_test(tc, test_c11_hand);
  tcase_add_test(tc, test_c12_hand);
  tcase_add_test(tc, test_c13_hand);
  tcase_add_test(tc, test_claims_small_run);
  tcase_set_timeout(tc, 120);
  suite_add_tcase(s, tc);
  tc = tcase_create("allocation-failures");
  tcase_add_test(tc, test_oom_claims);
  tcase_add_test(tc, test_oom_generators);
  tcase_add_test(tc, test_oom_real_extras);
  tcase_set_timeout(tc, 300);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
