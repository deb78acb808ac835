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
 * matrices of several shapes; and dgesdd on matrices scaled from 2^-1060 to 2^1000.
 *
 * The top-k eigenpairs (dp_spectral_topk): ARPACK's Lanczos against dsyevd on the same seeded
 * sparse operators (indefinite, PSD, and two identical blocks whose top eigenvalue is
 * repeated), eigenvalues by test ratio, vectors by residual ratio and, where the gap makes
 * the vector well determined, by inner product; the same seed giving the same bits; the
 * method DP_TOPK_AUTO picks; the refusals; and the residual ratio rejecting a perturbed
 * eigenvector. */
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
#include "smat.h"
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


/* --- top-k eigenpairs: ARPACK against dsyevd ------------------------------------------- */

enum topk_shape { TOPK_INDEFINITE, TOPK_PSD, TOPK_BLOCKS };

/* Row i gets about density * V / 2 draws of a partner j, each adding log(1 + c) with c a
 * Zipf-like count to (i, j) and (j, i) (duplicates summed), and half the rows a diagonal
 * entry of the same kind (a word next to itself): a symmetric co-occurrence-like operator
 * with ~density * V non-zeros a row.  (The diagonal also keeps the sparsest blocks from being
 * bipartite, whose spectra are symmetric: +lambda and -lambda tied in |lambda| to rounding,
 * an order no two solvers need agree on.)  TOPK_INDEFINITE makes 30% of the draws negative;
 * TOPK_PSD adds a diagonal of the absolute row sums plus 1 (diagonally dominant, so PSD by
 * Gershgorin); TOPK_BLOCKS draws one block of V / 2 (with V's number of draws a row) and
 * repeats it on the diagonal (V even), so every eigenvalue, the top one first, is repeated
 * exactly. */
static dp_smat *topk_matrix(size_t V, double density, uint64_t seed, enum topk_shape shape,
                            enum dp_smat_kind kind)
{
  size_t B = shape == TOPK_BLOCKS ? V / 2 : V;
  size_t per_row = (size_t)(density * (double)V / 2.0 + 0.5);
  if (per_row == 0)
    per_row = 1;
  size_t cap = 2 * (2 * B * per_row + 2 * V), n = 0;
  size_t *ii = malloc(cap * sizeof *ii), *jj = malloc(cap * sizeof *jj);
  double *xx = malloc(cap * sizeof *xx), *rowabs = calloc(V, sizeof *rowabs);
  ck_assert(ii && jj && xx && rowabs);
  dp_rng r;
  dp_rng_seed(&r, seed);
  for (size_t i = 0; i < B; i++)
    for (size_t t = 0; t <= per_row; t++) {
      size_t j = t < per_row ? dp_rng_below(&r, B) : i;
      if (t == per_row && dp_rng_uniform(&r) < 0.5)
        continue;
      double x = log1p((double)(1 + dp_rng_zipf(&r, 50)));
      if (shape == TOPK_INDEFINITE && dp_rng_uniform(&r) < 0.3)
        x = -x;
      for (size_t b = 0; b < (shape == TOPK_BLOCKS ? 2u : 1u); b++) {
        size_t o = b * B;
        ii[n] = i + o, jj[n] = j + o, xx[n++] = x;
        rowabs[i + o] += fabs(x);
        if (j != i) {
          ii[n] = j + o, jj[n] = i + o, xx[n++] = x;
          rowabs[j + o] += fabs(x);
        }
      }
    }
  if (shape == TOPK_PSD)
    for (size_t i = 0; i < V; i++)
      ii[n] = i, jj[n] = i, xx[n++] = rowabs[i] + 1.0;
  dp_smat *S = NULL;
  ck_assert_int_eq(dp_smat_from_triplets(V, V, kind, n, ii, jj, xx, &S), GSL_SUCCESS);
  free(ii);
  free(jj);
  free(xx);
  free(rowabs);
  return S;
}

/* ARPACK's k pairs against dsyevd's on S (all of whose eigenvalues are computed here, for the
 * gaps).  Eigenvalues: |lambda_arpack - lambda_lapack| / (V eps ||S||_F) <= DP_TOL_RATIO,
 * the eigenvalue's own backward error bound.  Vectors: the residual ratio <= DP_TOL_RATIO for
 * both, and |<u_arpack, u_lapack>| >= 1 - 1e-10 where the eigenvalue is well separated.  Why
 * that bound and where: by Davis-Kahan, a unit u with ||S u - lambda u|| <= r lies within
 * sin(theta) <= r / gap of the exact eigenvector, gap the distance from lambda to the rest of
 * the spectrum; with both residuals at most 30 V eps ||S||_F, sin(theta) <= 60 V eps ||S||_F
 * / gap between the two computed vectors, and 1 - |cos(theta)| <= sin^2(theta) <= 1e-10
 * whenever gap >= 6e6 V eps ||S||_F: the pairs checked are exactly those (the others, the
 * repeated eigenvalues above all, have no well-determined vector: their residuals are
 * checked).  Returns how many pairs the inner product checked. */
static size_t topk_cross(const dp_smat *S, size_t k, uint64_t seed, const gsl_vector *all,
                         const gsl_vector *ll, const gsl_matrix *Ul)
{
  size_t V = S->n1;
  double nrm = dp_smat_norm(S), unit = (double)V * DBL_EPSILON * nrm;
  gsl_vector *la = gsl_vector_alloc(k);
  gsl_matrix *Ua = gsl_matrix_alloc(V, k);
  struct dp_topk_info info;
  int st = dp_spectral_topk(S, k, DP_TOPK_ARPACK, seed, la, Ua, &info);
  ck_assert_msg(st == GSL_SUCCESS, "V = %zu k = %zu: %s", V, k, dp_err_last());
  ck_assert_str_eq(info.method, "arpack");
  ck_assert_uint_eq(info.ncv, (2 * k + 1 > 20 ? 2 * k + 1 : 20) < V ? (2 * k + 1 > 20 ? 2 * k + 1 : 20) : V);
  ck_assert_uint_gt(info.matvecs, k);
  double ra = -1.0, rl = -1.0;
  gsl_vector_const_view llk = gsl_vector_const_subvector(ll, 0, k);
  gsl_matrix_const_view Ulk = gsl_matrix_const_submatrix(Ul, 0, 0, V, k);
  ck_assert_int_eq(dp_spectral_topk_ratio(S, la, Ua, &ra), GSL_SUCCESS);
  ck_assert_int_eq(dp_spectral_topk_ratio(S, &llk.vector, &Ulk.matrix, &rl), GSL_SUCCESS);
  ck_assert_msg(ra >= 0.0 && ra <= DP_TOL_RATIO, "V = %zu k = %zu: ARPACK ratio %g", V, k, ra);
  ck_assert_msg(rl >= 0.0 && rl <= DP_TOL_RATIO, "V = %zu k = %zu: dsyevd ratio %g", V, k, rl);
  size_t checked = 0;
  for (size_t j = 0; j < k; j++) {
    double a = gsl_vector_get(la, j), l = gsl_vector_get(ll, j);
    double r = fabs(a - l) / unit;
    ck_assert_msg(r <= DP_TOL_RATIO, "V = %zu k = %zu: lambda_%zu %.17g vs %.17g (ratio %g)", V,
                  k, j, a, l, r);
    if (j > 0) /* the |lambda| order, ties the larger first */
      ck_assert(fabs(a) < fabs(gsl_vector_get(la, j - 1)) ||
                (fabs(a) == fabs(gsl_vector_get(la, j - 1)) && a <= gsl_vector_get(la, j - 1)));
    /* unit vectors with their largest entry positive */
    gsl_vector_const_view u = gsl_matrix_const_column(Ua, j);
    ck_assert_msg(fabs(gsl_blas_dnrm2(&u.vector) - 1.0) <= 1e3 * DBL_EPSILON, "norm");
    ck_assert(gsl_vector_get(&u.vector, gsl_blas_idamax(&u.vector)) > 0.0);
    /* the gap of lambda_l in the whole spectrum: itself (the nearest) left out */
    size_t self = 0;
    for (size_t i = 1; i < V; i++)
      if (fabs(gsl_vector_get(all, i) - l) < fabs(gsl_vector_get(all, self) - l))
        self = i;
    double gap = INFINITY;
    for (size_t i = 0; i < V; i++)
      if (i != self)
        gap = fmin(gap, fabs(gsl_vector_get(all, i) - l));
    if (gap >= 6e6 * unit) {
      gsl_vector_const_view w = gsl_matrix_const_column(Ul, j);
      double c;
      gsl_blas_ddot(&u.vector, &w.vector, &c);
      ck_assert_msg(fabs(c) >= 1.0 - 1e-10, "V = %zu k = %zu: |<u_%zu, w_%zu>| = %.17g", V, k, j,
                    j, fabs(c));
      checked++;
    }
  }
  gsl_vector_free(la);
  gsl_matrix_free(Ua);
  return checked;
}

/* The whole cross-check on one operator: dsyevd's 40 top pairs and full spectrum once, then
 * ARPACK with k = 1, 10, 40.  Returns the inner products checked over the three k. */
static size_t topk_cross_all(const dp_smat *S, uint64_t seed)
{
  size_t V = S->n1, K = 40;
  gsl_vector *ll = gsl_vector_alloc(K), *all = gsl_vector_alloc(V);
  gsl_matrix *Ul = gsl_matrix_alloc(V, K), *D = NULL;
  struct dp_topk_info info;
  ck_assert_int_eq(dp_spectral_topk(S, K, DP_TOPK_LAPACK, 0, ll, Ul, &info), GSL_SUCCESS);
  ck_assert_str_eq(info.method, "dsyevd");
  ck_assert_uint_eq(info.matvecs, 0);
  ck_assert_int_eq(dp_smat_to_dense(S, &D), GSL_SUCCESS);
  ck_assert_int_eq(dp_spectral_eigen(D, all, NULL), GSL_SUCCESS);
  size_t checked = 0;
  const size_t ks[] = {1, 10, 40};
  for (size_t t = 0; t < 3; t++)
    checked += topk_cross(S, ks[t], seed + t, all, ll, Ul);
  gsl_vector_free(ll);
  gsl_vector_free(all);
  gsl_matrix_free(Ul);
  gsl_matrix_free(D);
  return checked;
}

START_TEST(test_topk_indefinite)
{
  /* V = 300 and 1000, ~1% density, 30% of the entries negative; both kinds at V = 300 (the
   * dense route applies S through dgemv) */
  const size_t Vs[] = {300, 1000};
  for (size_t t = 0; t < 2; t++) {
    dp_smat *S = topk_matrix(Vs[t], 0.01, 1000 + t, TOPK_INDEFINITE, DP_SMAT_SPARSE);
    size_t npos = 0, nneg = 0;
    gsl_vector *l = gsl_vector_alloc(40);
    ck_assert_int_eq(dp_spectral_topk(S, 40, DP_TOPK_LAPACK, 0, l, NULL, NULL), GSL_SUCCESS);
    for (size_t j = 0; j < 40; j++)
      gsl_vector_get(l, j) > 0 ? npos++ : nneg++;
    ck_assert_msg(npos > 0 && nneg > 0, "the head is not indefinite (%zu+, %zu-)", npos, nneg);
    gsl_vector_free(l);
    size_t c = topk_cross_all(S, 7 + t);
    ck_assert_msg(c >= 25, "V = %zu: only %zu of 51 vectors well separated", Vs[t], c);
    dp_smat_free(S);
  }
  dp_smat *S = topk_matrix(300, 0.01, 1000, TOPK_INDEFINITE, DP_SMAT_DENSE);
  ck_assert_uint_ge(topk_cross_all(S, 7), 25);
  dp_smat_free(S);
}
END_TEST

START_TEST(test_topk_psd)
{
  dp_smat *S = topk_matrix(1000, 0.01, 2000, TOPK_PSD, DP_SMAT_SPARSE);
  gsl_vector *l = gsl_vector_alloc(1000);
  gsl_matrix *D = NULL;
  ck_assert_int_eq(dp_smat_to_dense(S, &D), GSL_SUCCESS);
  ck_assert_int_eq(dp_spectral_eigen(D, l, NULL), GSL_SUCCESS);
  ck_assert_double_gt(gsl_vector_get(l, 999), 0.0); /* PSD indeed */
  ck_assert_uint_ge(topk_cross_all(S, 11), 25);
  gsl_vector_free(l);
  gsl_matrix_free(D);
  dp_smat_free(S);
}
END_TEST

START_TEST(test_topk_repeated)
{
  /* two identical blocks: every eigenvalue twice, the top one first; ARPACK must find both
   * copies (a Lanczos run from one vector sees a repeated eigenvalue once in exact
   * arithmetic) */
  const size_t Vs[] = {300, 1000};
  for (size_t t = 0; t < 2; t++) {
    size_t V = Vs[t];
    dp_smat *S = topk_matrix(V, 0.01, 3000 + t, TOPK_BLOCKS, DP_SMAT_SPARSE);
    ck_assert_double_eq(dp_smat_get(S, 3, 5), dp_smat_get(S, V / 2 + 3, V / 2 + 5));
    topk_cross_all(S, 13 + t);
    /* the pair itself: equal eigenvalues, and the plane of the two vectors that of dsyevd's
     * (the plane, unlike each vector, is well determined: the gap to lambda_3 is large, and
     * Davis-Kahan's bound above holds for the plane's largest principal angle, so the
     * smallest singular value of U_arpack^T U_lapack, its cosine, is >= 1 - 1e-10) */
    gsl_vector *la = gsl_vector_alloc(3), *ll = gsl_vector_alloc(3), *sv = gsl_vector_alloc(2);
    gsl_matrix *Ua = gsl_matrix_alloc(V, 3), *Ul = gsl_matrix_alloc(V, 3);
    gsl_matrix *G = gsl_matrix_alloc(2, 2);
    ck_assert_int_eq(dp_spectral_topk(S, 3, DP_TOPK_ARPACK, 5, la, Ua, NULL), GSL_SUCCESS);
    ck_assert_int_eq(dp_spectral_topk(S, 3, DP_TOPK_LAPACK, 5, ll, Ul, NULL), GSL_SUCCESS);
    double unit = (double)V * DBL_EPSILON * dp_smat_norm(S);
    ck_assert_msg(fabs(gsl_vector_get(la, 0) - gsl_vector_get(la, 1)) <= DP_TOL_RATIO * unit,
                  "the repeated top eigenvalue: %.17g and %.17g", gsl_vector_get(la, 0),
                  gsl_vector_get(la, 1));
    ck_assert_double_ge(fabs(gsl_vector_get(ll, 1) - gsl_vector_get(ll, 2)), 6e6 * unit);
    gsl_matrix_const_view A2 = gsl_matrix_const_submatrix(Ua, 0, 0, V, 2);
    gsl_matrix_const_view L2 = gsl_matrix_const_submatrix(Ul, 0, 0, V, 2);
    gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &A2.matrix, &L2.matrix, 0.0, G);
    ck_assert_int_eq(dp_spectral_svd(G, sv, NULL, NULL), GSL_SUCCESS);
    ck_assert_msg(gsl_vector_get(sv, 1) >= 1.0 - 1e-10, "V = %zu: the planes differ (cos %.17g)",
                  V, gsl_vector_get(sv, 1));
    gsl_vector_free(la);
    gsl_vector_free(ll);
    gsl_vector_free(sv);
    gsl_matrix_free(Ua);
    gsl_matrix_free(Ul);
    gsl_matrix_free(G);
    dp_smat_free(S);
  }
}
END_TEST

START_TEST(test_topk_seed_bits)
{
  dp_smat *S = topk_matrix(300, 0.01, 4000, TOPK_INDEFINITE, DP_SMAT_SPARSE);
  gsl_vector *l1 = gsl_vector_alloc(10), *l2 = gsl_vector_alloc(10), *l3 = gsl_vector_alloc(10);
  gsl_matrix *U1 = gsl_matrix_alloc(300, 10), *U2 = gsl_matrix_alloc(300, 10),
             *U3 = gsl_matrix_alloc(300, 10);
  struct dp_topk_info i1, i2, i3;
  ck_assert_int_eq(dp_spectral_topk(S, 10, DP_TOPK_ARPACK, 42, l1, U1, &i1), GSL_SUCCESS);
  ck_assert_int_eq(dp_spectral_topk(S, 10, DP_TOPK_ARPACK, 42, l2, U2, &i2), GSL_SUCCESS);
  ck_assert(memcmp(l1->data, l2->data, 10 * sizeof(double)) == 0);
  ck_assert(memcmp(U1->data, U2->data, 300 * 10 * sizeof(double)) == 0);
  ck_assert_uint_eq(i1.matvecs, i2.matvecs);
  ck_assert_uint_eq(i1.restarts, i2.restarts);
  /* another seed starts elsewhere: the same pairs to rounding, not the same bits */
  ck_assert_int_eq(dp_spectral_topk(S, 10, DP_TOPK_ARPACK, 43, l3, U3, &i3), GSL_SUCCESS);
  ck_assert(memcmp(U1->data, U3->data, 300 * 10 * sizeof(double)) != 0);
  double r = -1.0;
  ck_assert_int_eq(dp_spectral_topk_ratio(S, l3, U3, &r), GSL_SUCCESS);
  ck_assert_double_le(r, DP_TOL_RATIO);
  gsl_vector_free(l1);
  gsl_vector_free(l2);
  gsl_vector_free(l3);
  gsl_matrix_free(U1);
  gsl_matrix_free(U2);
  gsl_matrix_free(U3);
  dp_smat_free(S);
}
END_TEST

START_TEST(test_topk_auto)
{
  struct dp_topk_info info;
  dp_smat *S = topk_matrix(300, 0.01, 5000, TOPK_INDEFINITE, DP_SMAT_SPARSE);
  gsl_vector *l = gsl_vector_alloc(5), *lv = gsl_vector_alloc(300);
  ck_assert_int_eq(dp_spectral_topk(S, 5, DP_TOPK_AUTO, 1, l, NULL, &info), GSL_SUCCESS);
  ck_assert_str_eq(info.method, "dsyevd");
  ck_assert_uint_eq(info.matvecs, 0);
  ck_assert_uint_eq(info.ncv, 0);
  /* k == V: dsyevd whatever V */
  ck_assert_int_eq(dp_spectral_topk(S, 300, DP_TOPK_AUTO, 1, lv, NULL, &info), GSL_SUCCESS);
  ck_assert_str_eq(info.method, "dsyevd");
  dp_smat_free(S);
  /* past DP_TOPK_DENSE_MAX: ARPACK, k < V */
  size_t V = DP_TOPK_DENSE_MAX + 1;
  S = topk_matrix(V, 0.002, 5001, TOPK_INDEFINITE, DP_SMAT_SPARSE);
  ck_assert_int_eq(dp_spectral_topk(S, 5, DP_TOPK_AUTO, 1, l, NULL, &info), GSL_SUCCESS);
  ck_assert_str_eq(info.method, "arpack");
  ck_assert_uint_eq(info.ncv, 20);
  ck_assert_uint_gt(info.matvecs, 0);
  dp_smat_free(S);
  gsl_vector_free(l);
  gsl_vector_free(lv);
}
END_TEST

START_TEST(test_topk_refusals)
{
  dp_smat *S = topk_matrix(50, 0.1, 6000, TOPK_INDEFINITE, DP_SMAT_SPARSE);
  gsl_vector *l3 = gsl_vector_alloc(3), *l4 = gsl_vector_alloc(4), *l50 = gsl_vector_alloc(50),
             *l51 = gsl_vector_alloc(51);
  gsl_matrix *U3 = gsl_matrix_alloc(50, 3), *U49 = gsl_matrix_alloc(49, 3);
  struct dp_topk_info info;
  dp_err_clear();
  ck_assert_int_eq(dp_spectral_topk(S, 0, DP_TOPK_ARPACK, 1, l3, NULL, &info), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "k = 0"));
  ck_assert_int_eq(dp_spectral_topk(S, 51, DP_TOPK_LAPACK, 1, l51, NULL, NULL), GSL_EINVAL);
  ck_assert_int_eq(dp_spectral_topk(S, 50, DP_TOPK_ARPACK, 1, l50, NULL, NULL), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "k < V"));
  ck_assert_int_eq(dp_spectral_topk(S, 50, DP_TOPK_LAPACK, 1, l50, NULL, NULL), GSL_SUCCESS);
  /* eval and evec of the wrong size */
  ck_assert_int_eq(dp_spectral_topk(S, 3, DP_TOPK_ARPACK, 1, l4, U3, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_spectral_topk(S, 3, DP_TOPK_ARPACK, 1, l3, U49, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_spectral_topk(S, 4, DP_TOPK_LAPACK, 1, l4, U3, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_spectral_topk(S, 3, (enum dp_topk_method)7, 1, l3, U3, NULL), GSL_EINVAL);
  ck_assert_int_eq(dp_spectral_topk(NULL, 3, DP_TOPK_ARPACK, 1, l3, U3, NULL), GSL_EFAULT);
  /* the dense copy of dsyevd over the size limit, named */
  size_t saved = dp_smat_dense_limit;
  dp_smat_dense_limit = 50 * 50 * sizeof(double) - 1;
  ck_assert_int_eq(dp_spectral_topk(S, 3, DP_TOPK_LAPACK, 1, l3, U3, NULL), GSL_ENOMEM);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "50 x 50"));
  ck_assert_int_eq(dp_spectral_topk(S, 3, DP_TOPK_ARPACK, 1, l3, U3, NULL), GSL_SUCCESS);
  dp_smat_dense_limit = saved;
  dp_smat_free(S);
  /* not square */
  const size_t ri[] = {0, 1}, rj[] = {2, 0};
  const double rx[] = {1.0, 2.0};
  ck_assert_int_eq(dp_smat_from_triplets(2, 3, DP_SMAT_SPARSE, 2, ri, rj, rx, &S), GSL_SUCCESS);
  ck_assert_int_eq(dp_spectral_topk(S, 1, DP_TOPK_AUTO, 1, l3, NULL, NULL), GSL_ENOTSQR);
  dp_smat_free(S);
  /* a NaN entry, named, in either kind; an infinite one too */
  const size_t ni[] = {0, 1, 2, 3, 2}, nj[] = {0, 1, 2, 3, 1};
  double nx[] = {1.0, 2.0, 3.0, 4.0, NAN};
  for (int kind = 0; kind < 2; kind++) {
    ck_assert_int_eq(dp_smat_from_triplets(4, 4, kind ? DP_SMAT_SPARSE : DP_SMAT_DENSE, 5, ni,
                                           nj, nx, &S), GSL_SUCCESS);
    ck_assert_int_eq(dp_spectral_topk(S, 3, DP_TOPK_ARPACK, 1, l3, NULL, NULL), GSL_EINVAL);
    ck_assert_ptr_nonnull(strstr(dp_err_last(), "S(2, 1) = nan"));
    ck_assert_int_eq(dp_spectral_topk(S, 3, DP_TOPK_LAPACK, 1, l3, NULL, NULL), GSL_EINVAL);
    dp_smat_free(S);
  }
  nx[4] = -INFINITY;
  ck_assert_int_eq(dp_smat_from_triplets(4, 4, DP_SMAT_SPARSE, 5, ni, nj, nx, &S), GSL_SUCCESS);
  ck_assert_int_eq(dp_spectral_topk(S, 3, DP_TOPK_ARPACK, 1, l3, NULL, NULL), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "S(2, 1) = -inf"));
  dp_smat_free(S);
  gsl_vector_free(l3);
  gsl_vector_free(l4);
  gsl_vector_free(l50);
  gsl_vector_free(l51);
  gsl_matrix_free(U3);
  gsl_matrix_free(U49);
}
END_TEST

START_TEST(test_topk_ratio_planted)
{
  /* the residual ratio accepts the computed pairs and rejects a perturbed vector, a wrong
   * eigenvalue, and a NaN */
  size_t V = 300, k = 10;
  dp_smat *S = topk_matrix(V, 0.01, 7000, TOPK_INDEFINITE, DP_SMAT_SPARSE);
  gsl_vector *l = gsl_vector_alloc(k);
  gsl_matrix *U = gsl_matrix_alloc(V, k);
  ck_assert_int_eq(dp_spectral_topk(S, k, DP_TOPK_ARPACK, 3, l, U, NULL), GSL_SUCCESS);
  double r0 = -1.0, r = -1.0;
  ck_assert_int_eq(dp_spectral_topk_ratio(S, l, U, &r0), GSL_SUCCESS);
  ck_assert_double_le(r0, DP_TOL_RATIO);
  /* one entry of v_4 moved by 1e-6 (a perturbation far above rounding, far below anything
   * visible in the norm): the residual grows to ~1e-6 |S_ii - lambda|, a ratio near 1e5 */
  gsl_matrix_set(U, 17, 4, gsl_matrix_get(U, 17, 4) + 1e-6);
  ck_assert_int_eq(dp_spectral_topk_ratio(S, l, U, &r), GSL_SUCCESS);
  ck_assert_msg(r > 1e3 * DP_TOL_RATIO, "perturbed vector: ratio %g", r);
  gsl_matrix_set(U, 17, 4, gsl_matrix_get(U, 17, 4) - 1e-6);
  ck_assert_int_eq(dp_spectral_topk_ratio(S, l, U, &r), GSL_SUCCESS);
  ck_assert_double_le(r, DP_TOL_RATIO);
  /* lambda_3 off by one part in 1e9: the residual of a unit v_3 is that shift, up to the
   * pair's own residual (r0 units at most) */
  double l3 = gsl_vector_get(l, 3), unit = (double)V * DBL_EPSILON * dp_smat_norm(S);
  double want = fabs(l3) * 1e-9 / unit;
  ck_assert_double_gt(want, 10 * DP_TOL_RATIO);
  gsl_vector_set(l, 3, l3 * (1.0 + 1e-9));
  ck_assert_int_eq(dp_spectral_topk_ratio(S, l, U, &r), GSL_SUCCESS);
  ck_assert_msg(fabs(r - want) <= r0 + 1.0, "wrong eigenvalue: ratio %g, expected %g", r, want);
  gsl_matrix_set(U, 0, 0, NAN);
  ck_assert_int_eq(dp_spectral_topk_ratio(S, l, U, &r), GSL_SUCCESS);
  ck_assert_double_eq(r, DP_RATIO_FAIL);
  /* shapes */
  gsl_matrix *U2 = gsl_matrix_alloc(V, k + 1);
  ck_assert_int_eq(dp_spectral_topk_ratio(S, l, U2, &r), GSL_EBADLEN);
  gsl_matrix_free(U2);
  gsl_vector_free(l);
  gsl_matrix_free(U);
  dp_smat_free(S);
}
END_TEST

START_TEST(test_topk_alloc)
{
  /* every allocation of both routes fails the call cleanly */
  dp_smat *S = topk_matrix(60, 0.1, 8000, TOPK_INDEFINITE, DP_SMAT_SPARSE);
  gsl_vector *l = gsl_vector_alloc(4);
  gsl_matrix *U = gsl_matrix_alloc(60, 4);
  INJECT(int st = dp_spectral_topk(S, 4, DP_TOPK_ARPACK, 1, l, U, NULL), st == GSL_ENOMEM);
  INJECT(int st = dp_spectral_topk(S, 4, DP_TOPK_LAPACK, 1, l, U, NULL), st == GSL_ENOMEM);
  double r;
  INJECT(int st = dp_spectral_topk_ratio(S, l, U, &r), st == GSL_ENOMEM);
  gsl_vector_free(l);
  gsl_matrix_free(U);
  dp_smat_free(S);
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
  tc = tcase_create("topk");
  tcase_add_test(tc, test_topk_seed_bits);
  tcase_add_test(tc, test_topk_auto);
  tcase_add_test(tc, test_topk_refusals);
  tcase_add_test(tc, test_topk_ratio_planted);
  tcase_add_test(tc, test_topk_alloc);
  suite_add_tcase(s, tc);
  tc = tcase_create("topk_cross");
  tcase_add_test(tc, test_topk_indefinite);
  tcase_add_test(tc, test_topk_psd);
  tcase_add_test(tc, test_topk_repeated);
  tcase_set_timeout(tc, 300);
  tcase_set_tags(tc, "slow"); /* left out of `make check-quick` */
  suite_add_tcase(s, tc);
  tc = tcase_create("interlacing");
  tcase_add_test(tc, test_interlacing);
  suite_add_tcase(s, tc);
  return s;
}
