/* check_softmax.c: unit tests of the softmax engine (src/engine/softmax.c), linked against
 * the engine library alone.
 *
 * Hand-computed cases: softmax([0, log 2]) = [1/3, 2/3] with lse = log 3; logits up to DBL_MAX
 * (and scale or mask pushing scale z + b past it) give no Inf - Inf; -inf entries (logits or
 * masks, causal or general) get weight exactly 0; entropy of uniform weights is log R, of a
 * one-hot row 0; the conditional co-occurrence of a 2-word count matrix; centring, the linear
 * expansion and the Taylor coefficients (R = 2 closed form; numerically, the remainder after
 * the beta^4 term shrinks 32-fold per halving); every error path returns its GSL status. */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>

#include "softmax.h"
#include "err.h"
#include "select.h"
#include "tol.h"
#include "resid.h"
#include "testutil.h"

/* |a - b| <= k ulps of b */
static int close_ulps(double a, double b, double k)
{
  return fabs(a - b) <= k * DBL_EPSILON * fabs(b);
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

Suite *dp_test_suite(void)
{
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
  return s;
}
