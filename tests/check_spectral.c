/* check_spectral.c: unit tests of spectral.c (claim C04: eigenvalues, rank, PSD, Cauchy
 * interlacing).
 *
 * Hand-computed spectra ([[2,1],[1,2]] has 3 and 1), a diagonal matrix with a negative entry
 * (PSD ratio huge) against PSD matrices (ratio 0 or tiny), the rank of u u^T, interlacing of
 * a true principal submatrix (passes) against a deliberately wrong spectrum (fails), and the
 * backward residual of the eigen-decomposition of a random symmetric matrix. */
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
#include "resid.h"
#include "tol.h"
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_sort_vector.h>
#include "tol.h"
#include "testutil.h"

#define ck_assert_rel(x, want, k)                                                               \
    ck_assert_msg(fabs((x) - (want)) <= (k) * DBL_EPSILON * fabs(want),                        \
                  "%s = %.17g, expected %.17g", #x, (double)(x), (double)(want))

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
        4.0, 1.0, 0.5, 0.0, 0.2,
        1.0, 3.0, 1.0, 0.3, 0.0,
        0.5, 1.0, 2.0, 1.0, 0.1,
        0.0, 0.3, 1.0, 1.0, 1.0,
        0.2, 0.0, 0.1, 1.0, -1.0,
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

Suite *dp_test_suite(void)
{
    Suite *s = suite_create("spectral");
    TCase *tc = tcase_create("eigen");
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
    tc = tcase_create("interlacing");
    tcase_add_test(tc, test_interlacing);
    suite_add_tcase(s, tc);
    return s;
}
