/* check_select.c: unit tests of select.c (the one-hot Q, gathers, counts) and project.c
 * (M = Q S Q^T, E = M (Q S) by three routes, A B^T, A A, D = Q^T Q).
 *
 * The gather route must be a pure copy: on an S whose entries are not exactly representable
 * (0.1, 1/3, ...) the gathered M and (Q S) must equal the BLAS products bit for bit, since a
 * 0/1 matrix product only adds exact zeros.  E is checked against a hand-computed example
 * and its three routes against each other with the test ratio of resid.c. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_matrix.h>

#include "err.h"
#include "project.h"
#include "resid.h"
#include "select.h"
#include "tol.h"
#include "testutil.h"

/* A symmetric 4 x 4 S with entries that are not exactly representable in binary. */
static const double S4[16] = {
    0.1, 1.0 / 3.0, 0.7,  2.0 / 3.0,  1.0 / 3.0, 0.2, 1.0 / 7.0,  0.3,
    0.7, 1.0 / 7.0, 1e-3, 5.0 / 11.0, 2.0 / 3.0, 0.3, 5.0 / 11.0, 0.9,
};

static void assert_same_bits(const gsl_matrix *X, const gsl_matrix *Y)
{
  ck_assert_uint_eq(X->size1, Y->size1);
  ck_assert_uint_eq(X->size2, Y->size2);
  for (size_t i = 0; i < X->size1; ++i)
    for (size_t j = 0; j < X->size2; ++j)
      ck_assert_msg(dp_resid_same_bits(gsl_matrix_get(X, i, j), gsl_matrix_get(Y, i, j)),
                    "(%zu,%zu): %.17g vs %.17g", i, j, gsl_matrix_get(X, i, j),
                    gsl_matrix_get(Y, i, j));
}

/* ---- select ------------------------------------------------------------------------------ */

START_TEST(test_Q_small)
{
  const size_t t[] = {2, 0, 2};
  const double want[] = {0, 0, 1, 1, 0, 0, 0, 0, 1};
  gsl_matrix *Q = NULL;
  ck_assert_int_eq(dp_select_Q(t, 3, 3, &Q), GSL_SUCCESS);
  ck_assert_ptr_nonnull(Q);
  ck_assert_uint_eq(Q->size1, 3);
  ck_assert_uint_eq(Q->size2, 3);
  gsl_matrix_const_view W = gsl_matrix_const_view_array(want, 3, 3);
  ck_assert_uint_eq(dp_resid_mismatch(Q, &W.matrix, 0, NULL), 0);
  gsl_matrix_free(Q);
}
END_TEST

START_TEST(test_counts)
{
  const size_t t[] = {2, 0, 2};
  size_t n[3] = {9, 9, 9};
  ck_assert_uint_eq(dp_select_counts(t, 3, 3, n), 2);
  ck_assert_uint_eq(n[0], 1);
  ck_assert_uint_eq(n[1], 0);
  ck_assert_uint_eq(n[2], 2);
  const size_t u[] = {4, 1, 4, 4, 0};
  size_t m[6];
  ck_assert_uint_eq(dp_select_counts(u, 5, 6, m), 3);
  ck_assert_uint_eq(m[4], 3);
  ck_assert_uint_eq(m[5], 0);
}
END_TEST

START_TEST(test_gather_bitwise)
{
  gsl_matrix_const_view S = gsl_matrix_const_view_array(S4, 4, 4);
  const size_t t[] = {3, 1, 3, 0, 2};
  const size_t R = 5, V = 4;
  gsl_matrix *Q = NULL;
  ck_assert_int_eq(dp_select_Q(t, R, V, &Q), GSL_SUCCESS);
  gsl_matrix *Mg = gsl_matrix_alloc(R, R), *Md = gsl_matrix_alloc(R, R);
  ck_assert_int_eq(dp_select_gather(&S.matrix, t, R, Mg), GSL_SUCCESS);
  ck_assert_int_eq(dp_project_M_dense(Q, &S.matrix, Md), GSL_SUCCESS);
  /* Gathered entries are copies of S. */
  for (size_t i = 0; i < R; ++i)
    for (size_t j = 0; j < R; ++j)
      ck_assert(dp_resid_same_bits(gsl_matrix_get(Mg, i, j), S4[t[i] * V + t[j]]));
  ck_assert(dp_resid_same_bits(gsl_matrix_get(Mg, 1, 3), 1.0 / 3.0));
  /* The dense 0/1 product adds only exact zeros: bitwise equal. */
  assert_same_bits(Mg, Md);
  /* Rows: (Q S)_i = S_{t_i, :}, again bitwise equal to the dense product. */
  gsl_matrix *QSg = gsl_matrix_alloc(R, V), *QSd = gsl_matrix_alloc(R, V);
  ck_assert_int_eq(dp_select_rows(&S.matrix, t, R, QSg), GSL_SUCCESS);
  ck_assert_int_eq(dp_project_ABt(Q, &S.matrix, QSd), GSL_SUCCESS); /* Q S^T = Q S */
  assert_same_bits(QSg, QSd);
  gsl_matrix_free(Q);
  gsl_matrix_free(Mg);
  gsl_matrix_free(Md);
  gsl_matrix_free(QSg);
  gsl_matrix_free(QSd);
}
END_TEST

START_TEST(test_token_out_of_range)
{
  const size_t t[] = {0, 3, 1};
  gsl_matrix dummy;
  gsl_matrix *Q = &dummy; /* must be reset to NULL */
  dp_err_clear();
  ck_assert_int_eq(dp_select_Q(t, 3, 3, &Q), GSL_EINVAL);
  ck_assert_ptr_null(Q);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "t[1] = 3 out of range (V = 3)"));
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "select.c:"));

  gsl_matrix_const_view S = gsl_matrix_const_view_array(S4, 3, 3); /* S4's first 9 entries */
  gsl_matrix *M = gsl_matrix_calloc(3, 3);
  dp_err_clear();
  ck_assert_int_eq(dp_select_gather(&S.matrix, t, 3, M), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "dp_select_gather"));
  ck_assert(gsl_matrix_isnull(M)); /* untouched */
  gsl_matrix *QS = gsl_matrix_calloc(3, 3);
  ck_assert_int_eq(dp_select_rows(&S.matrix, t, 3, QS), GSL_EINVAL);
  size_t n[3];
  ck_assert_uint_eq(dp_select_counts(t, 3, 3, n), SIZE_MAX);
  gsl_matrix *E = gsl_matrix_calloc(3, 3);
  ck_assert_int_eq(dp_project_E_rows(&S.matrix, t, 3, E), GSL_EINVAL);
  gsl_matrix_free(M);
  gsl_matrix_free(QS);
  gsl_matrix_free(E);
}
END_TEST

START_TEST(test_select_dims)
{
  const size_t t[] = {0, 1};
  gsl_matrix_const_view S = gsl_matrix_const_view_array(S4, 4, 4);
  gsl_matrix_const_view Sr = gsl_matrix_const_view_array(S4, 2, 4); /* not square */
  gsl_matrix *M3 = gsl_matrix_alloc(3, 3), *M2 = gsl_matrix_alloc(2, 2);
  dp_err_clear();
  ck_assert_int_eq(dp_select_gather(&S.matrix, t, 2, M3), GSL_EBADLEN);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "M is 3 x 3, expected 2 x 2"));
  ck_assert_int_eq(dp_select_gather(&Sr.matrix, t, 2, M2), GSL_EBADLEN);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "not square"));
  ck_assert_int_eq(dp_select_rows(&S.matrix, t, 2, M2), GSL_EBADLEN); /* needs 2 x 4 */
  gsl_matrix *Q = NULL;
  ck_assert_int_eq(dp_select_Q(t, 0, 4, &Q), GSL_EBADLEN);
  ck_assert_int_eq(dp_select_Q(NULL, 2, 4, &Q), GSL_EFAULT);
  gsl_matrix_free(M3);
  gsl_matrix_free(M2);
}
END_TEST

/* ---- project ----------------------------------------------------------------------------- */

/* S = [[1,2,0],[2,3,1],[0,1,4]], t = (0,1):
 *   M  = [[1,2],[2,3]],  QS = [[1,2,0],[2,3,1]],
 *   E  = M QS = [[1+4, 2+6, 0+2], [2+6, 4+9, 0+3]] = [[5,8,2],[8,13,3]].
 * t = (1,1): M = [[3,3],[3,3]], QS = [[2,3,1],[2,3,1]], E = [[12,18,6],[12,18,6]]. */
START_TEST(test_E_hand)
{
  const double s[] = {1, 2, 0, 2, 3, 1, 0, 1, 4};
  gsl_matrix_const_view S = gsl_matrix_const_view_array(s, 3, 3);
  const size_t t[] = {0, 1};
  const double wantM[] = {1, 2, 2, 3};
  const double wantE[] = {5, 8, 2, 8, 13, 3};
  gsl_matrix *Q = NULL, *M = gsl_matrix_alloc(2, 2), *QS = gsl_matrix_alloc(2, 3);
  gsl_matrix *E1 = gsl_matrix_alloc(2, 3), *E2 = gsl_matrix_alloc(2, 3),
             *E3 = gsl_matrix_alloc(2, 3);
  size_t n[3];
  ck_assert_int_eq(dp_select_Q(t, 2, 3, &Q), GSL_SUCCESS);
  ck_assert_int_eq(dp_project_M_dense(Q, &S.matrix, M), GSL_SUCCESS);
  gsl_matrix_const_view WM = gsl_matrix_const_view_array(wantM, 2, 2);
  ck_assert_uint_eq(dp_resid_mismatch(M, &WM.matrix, 0, NULL), 0);
  ck_assert_int_eq(dp_select_rows(&S.matrix, t, 2, QS), GSL_SUCCESS);
  ck_assert_int_eq(dp_project_E(M, QS, E1), GSL_SUCCESS);
  ck_assert_uint_eq(dp_select_counts(t, 2, 3, n), 2);
  ck_assert_int_eq(dp_project_E_QSDS(QS, &S.matrix, n, E2), GSL_SUCCESS);
  ck_assert_int_eq(dp_project_E_rows(&S.matrix, t, 2, E3), GSL_SUCCESS);
  gsl_matrix_const_view WE = gsl_matrix_const_view_array(wantE, 2, 3);
  ck_assert_uint_eq(dp_resid_mismatch(E1, &WE.matrix, 0, NULL), 0);
  ck_assert_uint_eq(dp_resid_mismatch(E2, &WE.matrix, 0, NULL), 0);
  ck_assert_uint_eq(dp_resid_mismatch(E3, &WE.matrix, 0, NULL), 0);
  gsl_matrix_free(Q);

  /* A repeated token: D = diag(0, 2, 0). */
  const size_t u[] = {1, 1};
  const double wantEu[] = {12, 18, 6, 12, 18, 6};
  ck_assert_int_eq(dp_select_Q(u, 2, 3, &Q), GSL_SUCCESS);
  ck_assert_int_eq(dp_select_gather(&S.matrix, u, 2, M), GSL_SUCCESS);
  ck_assert_int_eq(dp_select_rows(&S.matrix, u, 2, QS), GSL_SUCCESS);
  ck_assert_uint_eq(dp_select_counts(u, 2, 3, n), 1);
  ck_assert_int_eq(dp_project_E(M, QS, E1), GSL_SUCCESS);
  ck_assert_int_eq(dp_project_E_QSDS(QS, &S.matrix, n, E2), GSL_SUCCESS);
  ck_assert_int_eq(dp_project_E_rows(&S.matrix, u, 2, E3), GSL_SUCCESS);
  gsl_matrix_const_view WEu = gsl_matrix_const_view_array(wantEu, 2, 3);
  ck_assert_uint_eq(dp_resid_mismatch(E1, &WEu.matrix, 0, NULL), 0);
  ck_assert_uint_eq(dp_resid_mismatch(E2, &WEu.matrix, 0, NULL), 0);
  ck_assert_uint_eq(dp_resid_mismatch(E3, &WEu.matrix, 0, NULL), 0);
  gsl_matrix_free(Q);
  gsl_matrix_free(M);
  gsl_matrix_free(QS);
  gsl_matrix_free(E1);
  gsl_matrix_free(E2);
  gsl_matrix_free(E3);
}
END_TEST

START_TEST(test_E_routes_agree)
{
  gsl_matrix_const_view S = gsl_matrix_const_view_array(S4, 4, 4);
  const size_t t[] = {3, 1, 3, 0, 2, 3, 1};
  const size_t R = 7, V = 4;
  size_t n[4];
  gsl_matrix *M = gsl_matrix_alloc(R, R), *QS = gsl_matrix_alloc(R, V);
  gsl_matrix *E1 = gsl_matrix_alloc(R, V), *E2 = gsl_matrix_alloc(R, V),
             *E3 = gsl_matrix_alloc(R, V);
  ck_assert_int_eq(dp_select_gather(&S.matrix, t, R, M), GSL_SUCCESS);
  ck_assert_int_eq(dp_select_rows(&S.matrix, t, R, QS), GSL_SUCCESS);
  ck_assert_uint_eq(dp_select_counts(t, R, V, n), 4);
  ck_assert_int_eq(dp_project_E(M, QS, E1), GSL_SUCCESS);
  ck_assert_int_eq(dp_project_E_QSDS(QS, &S.matrix, n, E2), GSL_SUCCESS);
  ck_assert_int_eq(dp_project_E_rows(&S.matrix, t, R, E3), GSL_SUCCESS);
  /* Each entry is an R-term inner product bounded by |M| |QS|. */
  double scale = dp_resid_norm(M) * dp_resid_norm(QS);
  double r12 = dp_resid_matrix_ratio(E1, E2, 0, (double)R, scale);
  double r13 = dp_resid_matrix_ratio(E1, E3, 0, (double)R, scale);
  double r23 = dp_resid_matrix_ratio(E2, E3, 0, (double)R, scale);
  ck_assert_msg(r12 <= DP_TOL_RATIO && r13 <= DP_TOL_RATIO && r23 <= DP_TOL_RATIO,
                "ratios %g %g %g", r12, r13, r23);
  /* E_rows by hand for row 1 (t_1 = 1), summing in increasing j. */
  for (size_t k = 0; k < V; ++k) {
    double e = 0.0;
    for (size_t j = 0; j < R; ++j)
      e += S4[1 * V + t[j]] * S4[t[j] * V + k];
    ck_assert(dp_resid_same_bits(gsl_matrix_get(E3, 1, k), e));
  }
  /* Rows 0, 2 and 5 share the token 3: identical rows in every route. */
  for (size_t k = 0; k < V; ++k) {
    ck_assert(dp_resid_same_bits(gsl_matrix_get(E3, 0, k), gsl_matrix_get(E3, 5, k)));
    ck_assert(dp_resid_same_bits(gsl_matrix_get(E2, 0, k), gsl_matrix_get(E2, 2, k)));
  }
  gsl_matrix_free(M);
  gsl_matrix_free(QS);
  gsl_matrix_free(E1);
  gsl_matrix_free(E2);
  gsl_matrix_free(E3);
}
END_TEST

START_TEST(test_D_diag)
{
  const size_t t[] = {2, 0, 2};
  const double want[] = {1, 0, 0, 0, 0, 0, 0, 0, 2};
  gsl_matrix *Q = NULL, *D = gsl_matrix_alloc(3, 3);
  ck_assert_int_eq(dp_select_Q(t, 3, 3, &Q), GSL_SUCCESS);
  ck_assert_int_eq(dp_project_D(Q, D), GSL_SUCCESS);
  gsl_matrix_const_view W = gsl_matrix_const_view_array(want, 3, 3);
  ck_assert_uint_eq(dp_resid_mismatch(D, &W.matrix, 0, NULL), 0);
  size_t n[3];
  dp_select_counts(t, 3, 3, n);
  for (size_t a = 0; a < 3; ++a)
    ck_assert(gsl_matrix_get(D, a, a) == (double)n[a]);
  gsl_matrix_free(Q);
  gsl_matrix_free(D);
}
END_TEST

START_TEST(test_ABt_square)
{
  /* A = [[1,2],[3,4]], B = [[0,1],[1,1]]: A B^T = [[2,3],[4,7]], A A = [[7,10],[15,22]]. */
  const double a[] = {1, 2, 3, 4}, b[] = {0, 1, 1, 1};
  const double want_abt[] = {2, 3, 4, 7}, want_aa[] = {7, 10, 15, 22};
  gsl_matrix_const_view A = gsl_matrix_const_view_array(a, 2, 2);
  gsl_matrix_const_view B = gsl_matrix_const_view_array(b, 2, 2);
  gsl_matrix *C = gsl_matrix_alloc(2, 2);
  ck_assert_int_eq(dp_project_ABt(&A.matrix, &B.matrix, C), GSL_SUCCESS);
  gsl_matrix_const_view W1 = gsl_matrix_const_view_array(want_abt, 2, 2);
  ck_assert_uint_eq(dp_resid_mismatch(C, &W1.matrix, 0, NULL), 0);
  ck_assert_int_eq(dp_project_square(&A.matrix, C), GSL_SUCCESS);
  gsl_matrix_const_view W2 = gsl_matrix_const_view_array(want_aa, 2, 2);
  ck_assert_uint_eq(dp_resid_mismatch(C, &W2.matrix, 0, NULL), 0);
  /* Aliasing the output with an input is refused. */
  gsl_matrix *X = gsl_matrix_alloc(2, 2);
  gsl_matrix_memcpy(X, &A.matrix);
  dp_err_clear();
  ck_assert_int_eq(dp_project_square(X, X), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "shares storage"));
  gsl_matrix_free(C);
  gsl_matrix_free(X);
}
END_TEST

START_TEST(test_project_dims)
{
  gsl_matrix_const_view S = gsl_matrix_const_view_array(S4, 4, 4);
  const size_t t[] = {0, 1};
  gsl_matrix *Q = NULL;
  ck_assert_int_eq(dp_select_Q(t, 2, 4, &Q), GSL_SUCCESS);
  gsl_matrix *M3 = gsl_matrix_alloc(3, 3), *M2 = gsl_matrix_alloc(2, 2);
  gsl_matrix *E = gsl_matrix_alloc(2, 3), *QS = gsl_matrix_alloc(2, 4);
  dp_err_clear();
  ck_assert_int_eq(dp_project_M_dense(Q, &S.matrix, M3), GSL_EBADLEN);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "dp_project_M_dense: M is 3 x 3, expected 2 x 2"));
  ck_assert_int_eq(dp_project_M_dense(Q, &S.matrix, M2), GSL_SUCCESS);
  ck_assert_int_eq(dp_select_rows(&S.matrix, t, 2, QS), GSL_SUCCESS);
  ck_assert_int_eq(dp_project_E(M2, QS, E), GSL_EBADLEN);
  ck_assert_int_eq(dp_project_E(M3, QS, QS), GSL_EBADLEN);
  gsl_matrix *E24 = gsl_matrix_alloc(2, 4);
  ck_assert_int_eq(dp_project_E(M2, QS, QS), GSL_EINVAL); /* E aliases QS */
  size_t n[4];
  dp_select_counts(t, 2, 4, n);
  ck_assert_int_eq(dp_project_E_QSDS(QS, M2, n, E24), GSL_EBADLEN);
  ck_assert_int_eq(dp_project_E_rows(&S.matrix, t, 2, E), GSL_EBADLEN);
  ck_assert_int_eq(dp_project_D(Q, M2), GSL_EBADLEN);
  ck_assert_int_eq(dp_project_ABt(Q, M2, E), GSL_EBADLEN);
  ck_assert_int_eq(dp_project_square(Q, M2), GSL_EBADLEN);
  gsl_matrix_free(Q);
  gsl_matrix_free(M3);
  gsl_matrix_free(M2);
  gsl_matrix_free(E);
  gsl_matrix_free(E24);
  gsl_matrix_free(QS);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("select");
  TCase *tc = tcase_create("select");
  tcase_add_test(tc, test_Q_small);
  tcase_add_test(tc, test_counts);
  tcase_add_test(tc, test_gather_bitwise);
  tcase_add_test(tc, test_token_out_of_range);
  tcase_add_test(tc, test_select_dims);
  suite_add_tcase(s, tc);
  tc = tcase_create("project");
  tcase_add_test(tc, test_E_hand);
  tcase_add_test(tc, test_E_routes_agree);
  tcase_add_test(tc, test_D_diag);
  tcase_add_test(tc, test_ABt_square);
  tcase_add_test(tc, test_project_dims);
  suite_add_tcase(s, tc);
  return s;
}
