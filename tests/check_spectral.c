/* check_spectral.c: unit tests of spectral.c (claim C04: eigenvalues, rank, PSD, Cauchy
 * interlacing; C08-C10 and C05's floating-point view: the sign split, the SVD).
 *
 * Hand-computed spectra ([[2,1],[1,2]] has 3 and 1), a diagonal matrix with a negative entry
 * (PSD ratio huge) against PSD matrices (ratio 0 or tiny), the rank of u u^T, interlacing of
 * a true principal submatrix (passes) against a deliberately wrong spectrum (fails), the
 * backward residual of the eigen-decomposition of a random symmetric matrix, the sign split
 * and |lambda| order of small matrices, and hand-computed singular values.  GSL's own
 * solvers are the independent cross-checks: LAPACK's eigenvalues (dsyevd) against GSL's
 * symmetric QR, LAPACK's singular values (dgesdd) against GSL's Golub-Kahan SVD, on random
 * matrices of several shapes; and dgesdd on matrices scaled from 2^-1060 to 2^1000. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>

#include "err.h"
#include "resid.h"
#include "select.h"
#include "spectral.h"
#include "rng.h"
#include "tol.h"
#include "testutil.h"
#include <gsl/gsl_blas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_sort_vector.h>

#define ck_assert_rel(x, want, k)                                                                  \
  ck_assert_msg(fabs((x) - (want)) <= (k)*DBL_EPSILON * fabs(want), "%s = %.17g, expected %.17g",  \
                #x, (double)(x), (double)(want))

START_TEST(test_eigen_2x2)
{
  const double a[] = {2, 1, 1, 2};
  gsl_matrix_const_view A = gsl_matrix_const_view_array(a, 2, 2);
  gsl_vector *l = gsl_vector_alloc(2);
  gsl_matrix *U = gsl_matrix_alloc(2, 2);
  ck_assert_int_eq(dp_spectral_eigen(&A.matrix, l, U), GSL_SUCCESS);
  ck_assert_rel(gsl_vector_get(l, 0), 3.0, 8);
  ck_assert_rel(gsl_vector_get(l, 1), 1.0, 8);
  /* Eigenvector of 3 is (1,1)/sqrt(2) up to sign. */
  ck_assert_rel(fabs(gsl_matrix_get(U, 0, 0)), sqrt(0.5), 8);
  ck_assert(gsl_matrix_get(U, 0, 0) * gsl_matrix_get(U, 1, 0) > 0.0);
  ck_assert(gsl_matrix_get(U, 0, 1) * gsl_matrix_get(U, 1, 1) < 0.0);
  double r = -1.0;
  ck_assert_int_eq(dp_spectral_eigen_ratio(&A.matrix, l, U, &r), GSL_SUCCESS);
  ck_assert_msg(r >= 0.0 && r <= DP_TOL_RATIO, "ratio %g", r);
  /* Without vectors: the same values, descending. */
  gsl_vector *l2 = gsl_vector_alloc(2);
  ck_assert_int_eq(dp_spectral_eigen(&A.matrix, l2, NULL), GSL_SUCCESS);
  ck_assert_rel(gsl_vector_get(l2, 0), 3.0, 8);
  ck_assert_rel(gsl_vector_get(l2, 1), 1.0, 8);
  gsl_vector_free(l);
  gsl_vector_free(l2);
  gsl_matrix_free(U);
}
END_TEST

START_TEST(test_eigen_descending_unmodified)
{
  /* diag(1, -5, 3, 0): descending 3, 1, 0, -5 (exact for a diagonal matrix). */
  double a[16] = {0};
  a[0] = 1.0;
  a[5] = -5.0;
  a[10] = 3.0;
  gsl_matrix_view A = gsl_matrix_view_array(a, 4, 4);
  double copy[16];
  memcpy(copy, a, sizeof a);
  gsl_vector *l = gsl_vector_alloc(4);
  gsl_matrix *U = gsl_matrix_alloc(4, 4);
  const double want[] = {3.0, 1.0, 0.0, -5.0};
  ck_assert_int_eq(dp_spectral_eigen(&A.matrix, l, U), GSL_SUCCESS);
  for (size_t k = 0; k < 4; ++k)
    ck_assert(gsl_vector_get(l, k) == want[k]);
  ck_assert_int_eq(dp_spectral_eigen(&A.matrix, l, NULL), GSL_SUCCESS);
  for (size_t k = 0; k < 4; ++k)
    ck_assert(gsl_vector_get(l, k) == want[k]);
  ck_assert_int_eq(memcmp(a, copy, sizeof a), 0); /* A not modified */
  gsl_vector_free(l);
  gsl_matrix_free(U);
}
END_TEST

START_TEST(test_eigen_lower_triangle)
{
  /* symmv reads the lower triangle only: [[2,100],[1,2]] is solved as [[2,1],[1,2]], and
     * the eigen ratio (which uses all of A) exposes the asymmetry. */
  const double a[] = {2, 100, 1, 2};
  gsl_matrix_const_view A = gsl_matrix_const_view_array(a, 2, 2);
  gsl_vector *l = gsl_vector_alloc(2);
  gsl_matrix *U = gsl_matrix_alloc(2, 2);
  ck_assert_int_eq(dp_spectral_eigen(&A.matrix, l, U), GSL_SUCCESS);
  ck_assert_rel(gsl_vector_get(l, 0), 3.0, 8);
  ck_assert_rel(gsl_vector_get(l, 1), 1.0, 8);
  double r = 0.0;
  ck_assert_int_eq(dp_spectral_eigen_ratio(&A.matrix, l, U, &r), GSL_SUCCESS);
  ck_assert_msg(r > DP_TOL_RATIO, "ratio %g", r);
  gsl_vector_free(l);
  gsl_matrix_free(U);
}
END_TEST

START_TEST(test_eigen_errors)
{
  const double a[] = {1, 2, 3, 4, 5, 6};
  gsl_matrix_const_view A = gsl_matrix_const_view_array(a, 2, 3);
  gsl_vector *l2 = gsl_vector_alloc(2), *l3 = gsl_vector_alloc(3);
  dp_err_clear();
  ck_assert_int_eq(dp_spectral_eigen(&A.matrix, l2, NULL), GSL_ENOTSQR);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "not square"));
  const double b[] = {1, NAN, NAN, 1};
  gsl_matrix_const_view B = gsl_matrix_const_view_array(b, 2, 2);
  ck_assert_int_eq(dp_spectral_eigen(&B.matrix, l2, NULL), GSL_EDOM);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "NaN"));
  const double c[] = {1, 0, 0, 1};
  gsl_matrix_const_view C = gsl_matrix_const_view_array(c, 2, 2);
  ck_assert_int_eq(dp_spectral_eigen(&C.matrix, l3, NULL), GSL_EBADLEN);
  gsl_vector_free(l2);
  gsl_vector_free(l3);
}
END_TEST

START_TEST(test_eigen_ratio_random)
{
  const size_t n = 40;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 20251123UL);
  gsl_matrix *A = gsl_matrix_alloc(n, n);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j <= i; ++j) {
      double x = 2.0 * gsl_rng_uniform(rng) - 1.0;
      gsl_matrix_set(A, i, j, x);
      gsl_matrix_set(A, j, i, x);
    }
  gsl_vector *l = gsl_vector_alloc(n);
  gsl_matrix *U = gsl_matrix_alloc(n, n);
  ck_assert_int_eq(dp_spectral_eigen(A, l, U), GSL_SUCCESS);
  for (size_t k = 1; k < n; ++k)
    ck_assert(gsl_vector_get(l, k) <= gsl_vector_get(l, k - 1));
  double r = -1.0;
  ck_assert_int_eq(dp_spectral_eigen_ratio(A, l, U, &r), GSL_SUCCESS);
  ck_assert_msg(r >= 0.0 && r <= DP_TOL_RATIO, "eigen ratio %g", r);
  /* A perturbed eigenvalue is caught. */
  gsl_vector_set(l, 0, gsl_vector_get(l, 0) + 1e-6);
  ck_assert_int_eq(dp_spectral_eigen_ratio(A, l, U, &r), GSL_SUCCESS);
  ck_assert_msg(r > DP_TOL_RATIO, "perturbed ratio %g", r);
  gsl_rng_free(rng);
  gsl_matrix_free(A);
  gsl_matrix_free(U);
  gsl_vector_free(l);
}
END_TEST

START_TEST(test_psd)
{
  /* diag(2, -1, 0.5): lambda_min = -1 exactly, ratio = 1 / (3 eps * 2), huge. */
  const double a[] = {2, 0, 0, 0, -1, 0, 0, 0, 0.5};
  gsl_matrix_const_view A = gsl_matrix_const_view_array(a, 3, 3);
  double lmin = 0.0, r = 0.0;
  ck_assert_int_eq(dp_spectral_psd(&A.matrix, 2.0, &lmin, &r), GSL_SUCCESS);
  ck_assert(lmin == -1.0);
  ck_assert_rel(r, 1.0 / (3.0 * DBL_EPSILON * 2.0), 4);
  ck_assert(r > DP_TOL_RATIO);
  /* diag(2, 0, 0.5): PSD with a zero eigenvalue, ratio exactly 0. */
  const double b[] = {2, 0, 0, 0, 0, 0, 0, 0, 0.5};
  gsl_matrix_const_view B = gsl_matrix_const_view_array(b, 3, 3);
  ck_assert_int_eq(dp_spectral_psd(&B.matrix, 2.0, &lmin, &r), GSL_SUCCESS);
  ck_assert(lmin == 0.0);
  ck_assert(r == 0.0);
  /* [[2,1],[1,2]] (eigenvalues 3, 1): ratio 0. */
  const double c[] = {2, 1, 1, 2};
  gsl_matrix_const_view C = gsl_matrix_const_view_array(c, 2, 2);
  ck_assert_int_eq(dp_spectral_psd(&C.matrix, 3.0, &lmin, &r), GSL_SUCCESS);
  ck_assert_rel(lmin, 1.0, 8);
  ck_assert(r == 0.0);
  /* Singular PSD u u^T with u = (1,2,3): eigenvalues 14, 0, 0 up to rounding; any negative
     * rounding is tiny against the scale 14. */
  const double d[] = {1, 2, 3, 2, 4, 6, 3, 6, 9};
  gsl_matrix_const_view D = gsl_matrix_const_view_array(d, 3, 3);
  ck_assert_int_eq(dp_spectral_psd(&D.matrix, 14.0, &lmin, &r), GSL_SUCCESS);
  ck_assert_msg(r <= DP_TOL_RATIO, "lambda_min %g, ratio %g", lmin, r);
}
END_TEST

START_TEST(test_rank)
{
  /* u u^T, u = (1, -2, 0.5, 3, 1/3), 5 x 5: rank 1; ||u u^T||_2 = |u|^2. */
  const double u[] = {1.0, -2.0, 0.5, 3.0, 1.0 / 3.0};
  const size_t n = 5;
  gsl_matrix *A = gsl_matrix_alloc(n, n);
  double u2 = 0.0;
  for (size_t i = 0; i < n; ++i) {
    u2 += u[i] * u[i];
    for (size_t j = 0; j < n; ++j)
      gsl_matrix_set(A, i, j, u[i] * u[j]);
  }
  gsl_vector *l = gsl_vector_alloc(n);
  ck_assert_int_eq(dp_spectral_eigen(A, l, NULL), GSL_SUCCESS);
  ck_assert_rel(gsl_vector_get(l, 0), u2, 64);
  double tol = dp_spectral_rank_tol(n, u2);
  ck_assert(tol == DP_RANK_SAFETY * 5.0 * DBL_EPSILON * u2);
  ck_assert_uint_eq(dp_spectral_rank(l, tol), 1);
  /* The identity has full rank; the zero matrix rank 0. */
  gsl_matrix_set_identity(A);
  ck_assert_int_eq(dp_spectral_eigen(A, l, NULL), GSL_SUCCESS);
  ck_assert_uint_eq(dp_spectral_rank(l, dp_spectral_rank_tol(n, 1.0)), 5);
  gsl_matrix_set_zero(A);
  ck_assert_int_eq(dp_spectral_eigen(A, l, NULL), GSL_SUCCESS);
  ck_assert_uint_eq(dp_spectral_rank(l, dp_spectral_rank_tol(n, 0.0)), 0);
  /* |eval| counts: a negative eigenvalue is rank too. */
  const double e[] = {4.0, 1e-20, -3.0};
  gsl_vector_const_view E = gsl_vector_const_view_array(e, 3);
  ck_assert_uint_eq(dp_spectral_rank(&E.vector, dp_spectral_rank_tol(3, 4.0)), 2);
  gsl_matrix_free(A);
  gsl_vector_free(l);
}
END_TEST

START_TEST(test_interlacing)
{
  /* S: 5 x 5 symmetric (a tridiagonal-plus matrix with known structure); M its principal
     * submatrix on rows/columns {4, 1, 2} gathered by select.c. */
  const double s[] = {
      4.0, 1.0, 0.5, 0.0, 0.2, 1.0, 3.0, 1.0, 0.3, 0.0, 0.5, 1.0,  2.0,
      1.0, 0.1, 0.0, 0.3, 1.0, 1.0, 1.0, 0.2, 0.0, 0.1, 1.0, -1.0,
  };
  const size_t V = 5, R = 3;
  const size_t t[] = {4, 1, 2};
  gsl_matrix_const_view S = gsl_matrix_const_view_array(s, V, V);
  gsl_matrix *M = gsl_matrix_alloc(R, R);
  ck_assert_int_eq(dp_select_gather(&S.matrix, t, R, M), GSL_SUCCESS);
  gsl_vector *lS = gsl_vector_alloc(V), *lM = gsl_vector_alloc(R);
  ck_assert_int_eq(dp_spectral_eigen(&S.matrix, lS, NULL), GSL_SUCCESS);
  ck_assert_int_eq(dp_spectral_eigen(M, lM, NULL), GSL_SUCCESS);
  double scale = fmax(fabs(gsl_vector_get(lS, 0)), fabs(gsl_vector_get(lS, V - 1)));
  double r = -1.0;
  size_t where = SIZE_MAX;
  ck_assert_int_eq(dp_spectral_interlacing(lS, lM, scale, &r, &where), GSL_SUCCESS);
  ck_assert_msg(r >= 0.0 && r <= DP_TOL_RATIO, "true submatrix: ratio %g", r);
  ck_assert_uint_lt(where, R);

  /* A wrong "submatrix spectrum": lM_0 above lS_0. */
  gsl_vector *bad = gsl_vector_alloc(R);
  gsl_vector_memcpy(bad, lM);
  gsl_vector_set(bad, 0, gsl_vector_get(lS, 0) + 0.5);
  ck_assert_int_eq(dp_spectral_interlacing(lS, bad, scale, &r, &where), GSL_SUCCESS);
  ck_assert_msg(r > DP_TOL_RATIO, "wrong spectrum passed: ratio %g", r);
  ck_assert_uint_eq(where, 0);
  ck_assert_rel(r, 0.5 / (5.0 * DBL_EPSILON * scale), 8);
  /* lM_2 below lS_{2+V-R} = lS_4. */
  gsl_vector_memcpy(bad, lM);
  gsl_vector_set(bad, 2, gsl_vector_get(lS, 4) - 0.25);
  ck_assert_int_eq(dp_spectral_interlacing(lS, bad, scale, &r, &where), GSL_SUCCESS);
  ck_assert_msg(r > DP_TOL_RATIO, "wrong spectrum passed: ratio %g", r);
  ck_assert_uint_eq(where, 2);
  /* The spectrum of S itself (R = V) interlaces trivially with ratio 0. */
  ck_assert_int_eq(dp_spectral_interlacing(lS, lS, scale, &r, &where), GSL_SUCCESS);
  ck_assert(r == 0.0);
  /* NaN: the ratio fails. */
  gsl_vector_memcpy(bad, lM);
  gsl_vector_set(bad, 1, NAN);
  ck_assert_int_eq(dp_spectral_interlacing(lS, bad, scale, &r, &where), GSL_SUCCESS);
  ck_assert(r == DP_RATIO_FAIL);
  ck_assert_uint_eq(where, 1);
  /* Errors: R > V, and a spectrum out of order. */
  dp_err_clear();
  ck_assert_int_eq(dp_spectral_interlacing(lM, lS, scale, &r, &where), GSL_EBADLEN);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "dp_spectral_interlacing"));
  gsl_vector_memcpy(bad, lM);
  gsl_vector_swap_elements(bad, 0, 2);
  ck_assert_int_eq(dp_spectral_interlacing(lS, bad, scale, &r, &where), GSL_EINVAL);
  gsl_matrix_free(M);
  gsl_vector_free(lS);
  gsl_vector_free(lM);
  gsl_vector_free(bad);
}
END_TEST

/* LAPACK's eigenvalues against GSL's independent symmetric QR on ordinary matrices: they
 * agree to the eigensolvers' rounding (both backward stable: |dlambda| <= n eps ||A||_2). */
START_TEST(test_eigen_matches_gsl)
{
  dp_rng r;
  dp_rng_seed(&r, 2024);
  for (size_t n = 1; n <= 60; n += 7) {
    gsl_matrix *A = gsl_matrix_alloc(n, n), *W = gsl_matrix_alloc(n, n);
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j <= i; ++j) {
        double v = dp_rng_gauss(&r);
        gsl_matrix_set(A, i, j, v);
        gsl_matrix_set(A, j, i, v);
      }
    gsl_vector *a = gsl_vector_alloc(n), *b = gsl_vector_alloc(n);
    ck_assert_int_eq(dp_spectral_eigen(A, a, NULL), GSL_SUCCESS);
    gsl_matrix_memcpy(W, A);
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(n);
    ck_assert_int_eq(gsl_eigen_symm(W, b, w), GSL_SUCCESS);
    gsl_eigen_symm_free(w);
    gsl_sort_vector(b);
    gsl_vector_reverse(b);
    double norm2 = fmax(fabs(gsl_vector_get(a, 0)), fabs(gsl_vector_get(a, n - 1)));
    for (size_t i = 0; i < n; ++i) {
      double d = fabs(gsl_vector_get(a, i) - gsl_vector_get(b, i));
      ck_assert_msg(dp_resid_ratio(d, (double)n, norm2) <= DP_TOL_RATIO,
                    "n=%zu i=%zu: LAPACK %.17g vs GSL %.17g", n, i, gsl_vector_get(a, i),
                    gsl_vector_get(b, i));
    }
    gsl_vector_free(a);
    gsl_vector_free(b);
    gsl_matrix_free(A);
    gsl_matrix_free(W);
  }
}
END_TEST

/* --- the eigen-decomposition with its sign split ------------------------------------------ */

/* The sign split of diag(2, 0, -1) and of [[0,1],[1,0]] (eigenvalues 1 and -1), a 1 x 1
 * matrix, and the same eigenvalues scaled exactly by 2^400 and 2^-400. */
START_TEST(test_eig_split)
{
  const double dg[] = {2, 0, -1};
  gsl_matrix *S = diag(3, dg);
  struct dp_spectral_eig e;
  ck_assert_int_eq(dp_spectral_eig_make(S, &e), GSL_SUCCESS);
  ck_assert_near(gsl_vector_get(e.eval, 0), 2.0, 4);
  ck_assert_near(gsl_vector_get(e.eval, 1), 0.0, 4);
  ck_assert_near(gsl_vector_get(e.eval, 2), -1.0, 4);
  ck_assert_uint_eq(e.rank, 2);
  ck_assert_uint_eq(e.npos, 1);
  ck_assert_uint_eq(e.nneg, 1);
  ck_assert_uint_eq(e.order[0], 0); /* |2| */
  ck_assert_uint_eq(e.order[1], 2); /* |-1| */
  ck_assert_uint_eq(e.order[2], 1); /* 0 */
  ck_assert_near(e.norm2, 2.0, 4);
  ck_assert_near(dp_spectral_eig_nuclear(&e, 3), 3.0, 8);
  ck_assert_near(dp_spectral_eig_nuclear(&e, 1), 2.0, 8);
  ck_assert_near(dp_spectral_eig_nuclear(&e, 99), 3.0, 8);
  ck_assert(dp_spectral_dropped(&e) <= e.tol); /* the one eigenvalue under the threshold */
  dp_spectral_eig_free(&e);
  dp_spectral_eig_free(NULL);
  ck_assert(dp_spectral_dropped(NULL) == 0.0);
  /* ||S - S_r||: three eigenvalues under the threshold, 2^-1000 apart from the largest (the
   * squares would underflow unscaled): sqrt(3^2 + 4^2 + 0) 2^-1000 */
  const double dd[] = {1, 0x3p-1000, -0x4p-1000, 0};
  gsl_matrix *D = diag(4, dd);
  ck_assert_int_eq(dp_spectral_eig_make(D, &e), GSL_SUCCESS);
  ck_assert_uint_eq(e.rank, 1);
  ck_assert_near(dp_spectral_dropped(&e), 0x5p-1000, 8);
  dp_spectral_eig_free(&e);
  gsl_matrix_free(D);
  /* [[0,1],[1,0]]: eigenvalues 1, -1 with (1,1)/sqrt2 and (1,-1)/sqrt2 */
  const double a[] = {0, 1, 1, 0};
  gsl_matrix *A = mat(2, 2, a), *U = gsl_matrix_alloc(2, 2);
  gsl_vector *l = gsl_vector_alloc(2);
  ck_assert_int_eq(dp_spectral_eigen(A, l, U), GSL_SUCCESS);
  ck_assert_near(gsl_vector_get(l, 0), 1.0, 4);
  ck_assert_near(gsl_vector_get(l, 1), -1.0, 4);
  ck_assert_near(fabs(gsl_matrix_get(U, 0, 0)), sqrt(0.5), 4);
  ck_assert(gsl_matrix_get(U, 0, 0) * gsl_matrix_get(U, 1, 0) > 0);
  ck_assert(gsl_matrix_get(U, 0, 1) * gsl_matrix_get(U, 1, 1) < 0);
  /* values only, and a 1 x 1 matrix */
  gsl_vector_set_zero(l);
  ck_assert_int_eq(dp_spectral_eigen(A, l, NULL), GSL_SUCCESS);
  ck_assert_near(gsl_vector_get(l, 0), 1.0, 4);
  ck_assert_near(gsl_vector_get(l, 1), -1.0, 4);
  const double one[] = {-7};
  gsl_matrix *A1 = mat(1, 1, one), *U1 = gsl_matrix_alloc(1, 1);
  gsl_vector *l1 = gsl_vector_alloc(1);
  ck_assert_int_eq(dp_spectral_eigen(A1, l1, U1), GSL_SUCCESS);
  ck_assert(gsl_vector_get(l1, 0) == -7.0 && gsl_matrix_get(U1, 0, 0) == 1.0);
  ck_assert_int_eq(dp_spectral_eigen(A1, l1, NULL), GSL_SUCCESS);
  /* scaled by 2^400 and 2^-400: the same eigenvalues, scaled exactly */
  for (int s = -1; s <= 1; s += 2) {
    gsl_matrix *B = mat(2, 2, a);
    gsl_matrix_scale(B, ldexp(1.0, 400 * s));
    ck_assert_int_eq(dp_spectral_eigen(B, l, U), GSL_SUCCESS);
    ck_assert_near(ldexp(gsl_vector_get(l, 0), -400 * s), 1.0, 4);
    ck_assert_near(ldexp(gsl_vector_get(l, 1), -400 * s), -1.0, 4);
    gsl_matrix_free(B);
  }
  gsl_matrix_free(S);
  gsl_matrix_free(A);
  gsl_matrix_free(U);
  gsl_vector_free(l);
  gsl_matrix_free(A1);
  gsl_matrix_free(U1);
  gsl_vector_free(l1);
}
END_TEST

START_TEST(test_eig_errors)
{
  gsl_matrix *A = gsl_matrix_calloc(2, 3), *S = gsl_matrix_calloc(2, 2);
  gsl_matrix *U3 = gsl_matrix_alloc(3, 3);
  gsl_vector *l = gsl_vector_alloc(2), *l3 = gsl_vector_alloc(3);
  gsl_matrix empty = {0, 0, 0, NULL, NULL, 0};
  ck_assert_int_eq(dp_spectral_eigen(NULL, l, NULL), GSL_EFAULT);
  ck_assert_int_eq(dp_spectral_eigen(A, l, NULL), GSL_ENOTSQR);
  ck_assert_int_eq(dp_spectral_eigen(&empty, l, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_spectral_eigen(S, l3, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_spectral_eigen(S, l, U3), GSL_EBADLEN);
  gsl_matrix_set(S, 1, 0, NAN);
  ck_assert_int_eq(dp_spectral_eigen(S, l, NULL), GSL_EDOM);
  struct dp_spectral_eig e;
  ck_assert_int_eq(dp_spectral_eig_make(NULL, &e), GSL_EFAULT);
  ck_assert_int_eq(dp_spectral_eig_make(A, &e), GSL_ENOTSQR);
  ck_assert_int_eq(dp_spectral_eig_make(S, &e), GSL_EDOM);
  ck_assert_ptr_null(e.eval); /* freed on failure */
  gsl_matrix_free(A);
  gsl_matrix_free(S);
  gsl_matrix_free(U3);
  gsl_vector_free(l);
  gsl_vector_free(l3);
}
END_TEST

/* --- the SVD (LAPACK's dgesdd) ------------------------------------------------------------ */

/* Hand-computed: diag(3, -5, 1, 0) has singular values 5, 3, 1, 0 and Eckart-Young tails
 * sqrt(10) (k = 1) and 1 (k = 2); the wide [3 4] has 5, also scaled by 2^400; U diag(s) Vt
 * rebuilds a 3 x 2 matrix; and the argument checks. */
START_TEST(test_svd_small)
{
  const double d[] = {3, -5, 1, 0};
  gsl_matrix *S = diag(4, d);
  gsl_vector *sg = gsl_vector_alloc(4);
  ck_assert_int_eq(dp_spectral_svd(S, sg, NULL, NULL), GSL_SUCCESS);
  ck_assert_near(gsl_vector_get(sg, 0), 5.0, 4);
  ck_assert_near(gsl_vector_get(sg, 1), 3.0, 4);
  ck_assert_near(gsl_vector_get(sg, 2), 1.0, 4);
  ck_assert(fabs(gsl_vector_get(sg, 3)) <= 4 * DBL_EPSILON);
  ck_assert_near(dp_spectral_ey_tail(sg, 1), sqrt(10.0), 8);
  ck_assert_near(dp_spectral_ey_tail(sg, 2), 1.0, 8);
  ck_assert(dp_spectral_ey_tail(sg, 4) == 0.0 && dp_spectral_ey_tail(NULL, 0) == 0.0);
  /* a wide matrix: [3 4] has the singular value 5; scaled by 2^400 */
  const double w[] = {3, 4};
  gsl_matrix *A = mat(1, 2, w);
  gsl_vector *s1 = gsl_vector_alloc(1);
  ck_assert_int_eq(dp_spectral_svd(A, s1, NULL, NULL), GSL_SUCCESS);
  ck_assert_near(gsl_vector_get(s1, 0), 5.0, 4);
  gsl_matrix_scale(A, ldexp(1.0, 400));
  ck_assert_int_eq(dp_spectral_svd(A, s1, NULL, NULL), GSL_SUCCESS);
  ck_assert_near(ldexp(gsl_vector_get(s1, 0), -400), 5.0, 4);
  ck_assert_int_eq(dp_spectral_svd(A, sg, NULL, NULL), GSL_EBADLEN);
  gsl_matrix_set(A, 0, 1, INFINITY);
  ck_assert_int_eq(dp_spectral_svd(A, s1, NULL, NULL), GSL_EDOM);
  gsl_matrix empty = {0, 0, 0, NULL, NULL, 0};
  ck_assert_int_eq(dp_spectral_svd(&empty, s1, NULL, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_spectral_svd(NULL, s1, NULL, NULL), GSL_EFAULT);
  /* the vectors: A = U diag(s) Vt for a tall A, with orthonormal U columns and Vt rows */
  const double a[] = {1, 2, 3, 4, 5, 7};
  gsl_matrix *T = mat(3, 2, a), *U = gsl_matrix_alloc(3, 2), *Vt = gsl_matrix_alloc(2, 2);
  gsl_vector *s2 = gsl_vector_alloc(2);
  ck_assert_int_eq(dp_spectral_svd(T, s2, U, Vt), GSL_SUCCESS);
  ck_assert(gsl_vector_get(s2, 0) >= gsl_vector_get(s2, 1) && gsl_vector_get(s2, 1) > 0.0);
  gsl_matrix *B = gsl_matrix_alloc(3, 2);
  for (size_t i = 0; i < 3; i++)
    for (size_t j = 0; j < 2; j++) {
      double v = 0.0;
      for (size_t k = 0; k < 2; k++)
        v += gsl_matrix_get(U, i, k) * gsl_vector_get(s2, k) * gsl_matrix_get(Vt, k, j);
      gsl_matrix_set(B, i, j, v);
    }
  ck_assert(dp_resid_matrix_ratio(B, T, 0, 3.0, dp_resid_norm(T)) <= DP_TOL_RATIO);
  /* argument checks */
  ck_assert_int_eq(dp_spectral_svd(T, s2, U, NULL), GSL_EFAULT);
  ck_assert_int_eq(dp_spectral_svd(T, s2, Vt, Vt), GSL_EBADLEN); /* U must be 3 x 2 */
  ck_assert_int_eq(dp_spectral_svd(T, s2, U, B), GSL_EBADLEN);   /* Vt must be 2 x 2 */
  ck_assert_int_eq(dp_spectral_svd(T, NULL, NULL, NULL), GSL_EFAULT);
  gsl_vector_view strided = gsl_vector_subvector_with_stride(sg, 0, 2, 2);
  ck_assert_int_eq(dp_spectral_svd(T, &strided.vector, NULL, NULL), GSL_EBADLEN);
  gsl_matrix_free(S);
  gsl_vector_free(sg);
  gsl_matrix_free(A);
  gsl_vector_free(s1);
  gsl_matrix_free(T);
  gsl_matrix_free(U);
  gsl_matrix_free(Vt);
  gsl_matrix_free(B);
  gsl_vector_free(s2);
}
END_TEST

/* A random m x n matrix (Gaussian entries), or a symmetric one when sym (m = n), with about a
 * fraction `zeros` of its entries set to 0. */
static gsl_matrix *random_matrix(dp_rng *r, size_t m, size_t n, int sym, double zeros)
{
  gsl_matrix *A = gsl_matrix_alloc(m, n);
  for (size_t i = 0; i < m; ++i)
    for (size_t j = 0; j < (sym ? i + 1 : n); ++j) {
      double v = dp_rng_uniform(r) < zeros ? 0.0 : dp_rng_gauss(r);
      gsl_matrix_set(A, i, j, v);
      if (sym)
        gsl_matrix_set(A, j, i, v);
    }
  return A;
}

/* Singular values of A (m x n) by GSL's one-sided Golub-Kahan SVD (gsl_linalg_SV_decomp) of
 * the tall orientation, descending: the independent route. */
static int gsl_singular_values(const gsl_matrix *A, gsl_vector *s)
{
  size_t m = A->size1, n = A->size2, r = m >= n ? m : n, q = m >= n ? n : m;
  gsl_matrix *U = gsl_matrix_alloc(r, q), *W = gsl_matrix_alloc(q, q);
  gsl_vector *work = gsl_vector_alloc(q);
  if (m >= n)
    gsl_matrix_memcpy(U, A);
  else
    gsl_matrix_transpose_memcpy(U, A);
  int st = gsl_linalg_SV_decomp(U, W, s, work);
  gsl_matrix_free(U);
  gsl_matrix_free(W);
  gsl_vector_free(work);
  return st;
}

/* LAPACK's singular values against GSL's independent Golub-Kahan SVD on ordinary matrices
 * (tall, wide, symmetric, sparse): both backward stable, so they agree to
 * |dsigma| <= max(m, n) eps sigma_1 (test ratio at most DP_TOL_RATIO); and the vectors
 * dgesdd returns rebuild A to the same ratio. */
START_TEST(test_svd_matches_gsl)
{
  dp_rng r;
  dp_rng_seed(&r, 2025);
  const size_t shapes[][2] = {{1, 1},   {1, 7},   {7, 1},   {5, 5},    {30, 12},
                              {12, 30}, {60, 60}, {41, 40}, {146, 146}};
  for (size_t c = 0; c < sizeof shapes / sizeof shapes[0]; ++c)
    for (int kind = 0; kind < 3; ++kind) {
      size_t m = shapes[c][0], n = shapes[c][1], p = m < n ? m : n;
      if (kind > 0 && m != n)
        continue;
      gsl_matrix *A = random_matrix(&r, m, n, kind > 0, kind == 2 ? 0.9 : 0.0);
      gsl_vector *a = gsl_vector_alloc(p), *b = gsl_vector_alloc(p);
      gsl_matrix *U = gsl_matrix_alloc(m, p), *Vt = gsl_matrix_alloc(p, n);
      gsl_matrix *US = gsl_matrix_alloc(m, p), *B = gsl_matrix_alloc(m, n);
      ck_assert_int_eq(dp_spectral_svd(A, a, NULL, NULL), GSL_SUCCESS);
      ck_assert_int_eq(gsl_singular_values(A, b), GSL_SUCCESS);
      double s1 = gsl_vector_get(a, 0), big = (double)(m > n ? m : n);
      for (size_t i = 0; i < p; ++i) {
        double d = fabs(gsl_vector_get(a, i) - gsl_vector_get(b, i));
        ck_assert_msg(dp_resid_ratio(d, big, s1) <= DP_TOL_RATIO,
                      "%zu x %zu kind %d, i=%zu: LAPACK %.17g vs GSL %.17g", m, n, kind, i,
                      gsl_vector_get(a, i), gsl_vector_get(b, i));
        if (i > 0)
          ck_assert(gsl_vector_get(a, i) <= gsl_vector_get(a, i - 1));
      }
      /* with vectors: the same values, bit for bit or to rounding, and A = U S Vt */
      gsl_vector_memcpy(b, a);
      ck_assert_int_eq(dp_spectral_svd(A, a, U, Vt), GSL_SUCCESS);
      for (size_t i = 0; i < p; ++i)
        ck_assert(dp_resid_ratio(fabs(gsl_vector_get(a, i) - gsl_vector_get(b, i)), big, s1) <=
                  DP_TOL_RATIO);
      for (size_t i = 0; i < m; ++i)
        for (size_t k = 0; k < p; ++k)
          gsl_matrix_set(US, i, k, gsl_matrix_get(U, i, k) * gsl_vector_get(a, k));
      gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, US, Vt, 0.0, B);
      double ratio = dp_resid_matrix_ratio(B, A, 0, big, s1);
      ck_assert_msg(ratio <= DP_TOL_RATIO, "%zu x %zu kind %d: A = U S Vt ratio %g", m, n, kind,
                    ratio);
      gsl_vector_free(a);
      gsl_vector_free(b);
      gsl_matrix_free(A);
      gsl_matrix_free(U);
      gsl_matrix_free(Vt);
      gsl_matrix_free(US);
      gsl_matrix_free(B);
    }
}
END_TEST

/* dgesdd needs no scaling by the caller: on symmetric Gaussians scaled by 2^k from the
 * subnormal range to 2^1000 (singular values near 2^1005) it converges, and
 * sigma(2^k A) = 2^k sigma(A) to rounding (for the subnormal scale, against the matrix
 * actually stored, scaled back exactly, and up to the absolute rounding of subnormal
 * results).  GSL's SVD, unscaled, fails to converge on most of these from 2^400 on. */
START_TEST(test_svd_scale)
{
  dp_rng r;
  dp_rng_seed(&r, 400);
  static const int ks[] = {-1060, -600, -400, 400, 600, 1000};
  for (size_t n = 20; n <= 146; n += 126)
    for (size_t c = 0; c < sizeof ks / sizeof ks[0]; ++c) {
      gsl_matrix *A = random_matrix(&r, n, n, 1, 0.0), *B = gsl_matrix_alloc(n, n);
      gsl_vector *a = gsl_vector_alloc(n), *b = gsl_vector_alloc(n);
      gsl_matrix_memcpy(B, A);
      gsl_matrix_scale(B, ldexp(1.0, ks[c]));
      if (ks[c] < -1000) { /* B's entries are subnormal: compare with what B holds */
        gsl_matrix_memcpy(A, B);
        gsl_matrix_scale(A, ldexp(1.0, -ks[c] / 2));
        gsl_matrix_scale(A, ldexp(1.0, -ks[c] + ks[c] / 2));
      }
      ck_assert_int_eq(dp_spectral_svd(A, a, NULL, NULL), GSL_SUCCESS);
      ck_assert_msg(dp_spectral_svd(B, b, NULL, NULL) == GSL_SUCCESS, "n=%zu 2^%d: %s", n, ks[c],
                    dp_err_last());
      double s1 = gsl_vector_get(a, 0);
      for (size_t i = 0; i < n; ++i) {
        double d = fabs(ldexp(gsl_vector_get(b, i), -ks[c]) - gsl_vector_get(a, i));
        if (ks[c] < -1000) /* B's singular values are subnormal too: rounded to 2^-1074 */
          d = fmax(0.0, d - ldexp(1.0, -1074 - ks[c]));
        ck_assert_msg(dp_resid_ratio(d, (double)n, s1) <= DP_TOL_RATIO,
                      "n=%zu 2^%d i=%zu: %.17g vs %.17g", n, ks[c], i,
                      ldexp(gsl_vector_get(b, i), -ks[c]), gsl_vector_get(a, i));
      }
      gsl_vector_free(a);
      gsl_vector_free(b);
      gsl_matrix_free(A);
      gsl_matrix_free(B);
    }
}
END_TEST


/* The rank from eigenvalues alone agrees with dp_spectral_eig_make's. */
START_TEST(test_sym_rank)
{
  const double a[] = {2, 1, 0, 1, 2, 0, 0, 0, 0}, z[] = {0};
  gsl_matrix *A = mat(3, 3, a), *Z = mat(1, 1, z);
  size_t r = 99;
  ck_assert_int_eq(dp_spectral_sym_rank(A, &r), GSL_SUCCESS);
  ck_assert_uint_eq(r, 2);
  struct dp_spectral_eig e;
  ck_assert_int_eq(dp_spectral_eig_make(A, &e), GSL_SUCCESS);
  ck_assert_uint_eq(e.rank, r);
  dp_spectral_eig_free(&e);
  ck_assert_int_eq(dp_spectral_sym_rank(Z, &r), GSL_SUCCESS);
  ck_assert_uint_eq(r, 0);
  ck_assert_int_eq(dp_spectral_sym_rank(NULL, &r), GSL_EFAULT);
  INJECT(int st = dp_spectral_sym_rank(A, &r), st == GSL_ENOMEM);
  gsl_matrix_free(A);
  gsl_matrix_free(Z);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("spectral");
  TCase *tc = tcase_create("eigen");
  tcase_add_test(tc, test_sym_rank);
  tcase_add_test(tc, test_eigen_2x2);
  tcase_add_test(tc, test_eigen_descending_unmodified);
  tcase_add_test(tc, test_eigen_lower_triangle);
  tcase_add_test(tc, test_eigen_errors);
  tcase_add_test(tc, test_eigen_ratio_random);
  tcase_add_test(tc, test_eigen_matches_gsl);
  tcase_set_timeout(tc, 120);
  tcase_set_tags(tc, "slow"); /* left out of `make check-quick` */
  suite_add_tcase(s, tc);
  tc = tcase_create("psd_rank");
  tcase_add_test(tc, test_psd);
  tcase_add_test(tc, test_rank);
  suite_add_tcase(s, tc);
  tc = tcase_create("eig_svd");
  tcase_add_test(tc, test_eig_split);
  tcase_add_test(tc, test_eig_errors);
  tcase_add_test(tc, test_svd_small);
  tcase_add_test(tc, test_svd_matches_gsl);
  tcase_add_test(tc, test_svd_scale);
  tcase_set_timeout(tc, 120);
  tcase_set_tags(tc, "slow"); /* left out of `make check-quick` */
  suite_add_tcase(s, tc);
  tc = tcase_create("interlacing");
  tcase_add_test(tc, test_interlacing);
  suite_add_tcase(s, tc);
  return s;
}
