/* check_cross.c: unit tests of the cross-attention engine (src/engine/cross.c), linked against
 * the engine library alone.
 *
 * Hand-computed cases: the gather and the dense route on a 2 x 3 S_x with a repeated target
 * token and an absent source word (bit for bit, -0 and 2^-1070 included); the SVD of
 * [[3, 0, 0], [0, 0, 2]] (singular values 3 and 2, rank 2) and its realisation with d = 3,
 * d_k = 2 reproducing S_x through the logits; the rank-1 [[1, 2], [2, 4], [0, 0]] (rank 1,
 * the dropped part 0) realised at d = d_k = 1 and truncated from a rank-2 matrix (the
 * Eckart-Young tail); the zero operator (rank 0); the counts of a two-document parallel
 * corpus by hand; errors and every allocation. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_matrix.h>

#include "cross.h"
#include "err.h"
#include "resid.h"
#include "tol.h"
#include "testutil.h"

START_TEST(test_gather_dense)
{
  const double sx[] = {1.5, -0.0, 0x1p-1070, 4, 5e300, -6}; /* V1 = 2, V2 = 3 */
  gsl_matrix *Sx = mat(2, 3, sx), *Mg = gsl_matrix_alloc(3, 2), *Md = gsl_matrix_alloc(3, 2);
  size_t t[] = {1, 0, 1}, s[] = {2, 0}; /* target word 1 twice; source word 1 absent */
  ck_assert_int_eq(dp_cross_gather(Sx, t, 3, s, 2, Mg), GSL_SUCCESS);
  ck_assert_int_eq(dp_cross_dense(Sx, t, 3, s, 2, Md), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(Mg, 0, 0) == -6 && gsl_matrix_get(Mg, 0, 1) == 4);
  ck_assert(gsl_matrix_get(Mg, 1, 0) == 0x1p-1070 && gsl_matrix_get(Mg, 1, 1) == 1.5);
  ck_assert(gsl_matrix_get(Mg, 2, 0) == -6);
  ck_assert_uint_eq(dp_resid_mismatch(Mg, Md, 0, NULL), 0);
  for (size_t i = 0; i < 3; i++)
    for (size_t j = 0; j < 2; j++)
      ck_assert(dp_resid_same_bits(gsl_matrix_get(Mg, i, j), gsl_matrix_get(Md, i, j)) ||
                gsl_matrix_get(Mg, i, j) == 0.0);
  /* R1 = R2 = 1 */
  gsl_matrix *M1 = gsl_matrix_alloc(1, 1);
  ck_assert_int_eq(dp_cross_dense(Sx, t, 1, s, 1, M1), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(M1, 0, 0) == -6);
  gsl_matrix_free(Sx);
  gsl_matrix_free(Mg);
  gsl_matrix_free(Md);
  gsl_matrix_free(M1);
}
END_TEST

START_TEST(test_gather_errors)
{
  gsl_matrix *Sx = gsl_matrix_calloc(2, 3), *M = gsl_matrix_alloc(2, 2), *Mb = gsl_matrix_alloc(2, 3);
  size_t t[] = {0, 1}, s[] = {2, 3}, s_ok[] = {2, 0};
  ck_assert_int_eq(dp_cross_gather(NULL, t, 2, s_ok, 2, M), GSL_EFAULT);
  ck_assert_int_eq(dp_cross_gather(Sx, t, 0, s_ok, 2, M), GSL_EBADLEN);
  ck_assert_int_eq(dp_cross_gather(Sx, t, 2, s_ok, 0, M), GSL_EBADLEN);
  ck_assert_int_eq(dp_cross_gather(Sx, t, 2, s, 2, M), GSL_EINVAL); /* s_1 = 3 >= V2 */
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "s[1] = 3 out of range (V = 3)"));
  ck_assert_int_eq(dp_cross_dense(Sx, s_ok, 2, t, 2, M), GSL_EINVAL); /* t_0 = 2 >= V1 */
  ck_assert_int_eq(dp_cross_gather(Sx, t, 2, s_ok, 2, Mb), GSL_EBADLEN);
  ck_assert_int_eq(dp_cross_dense(Sx, t, 2, NULL, 2, M), GSL_EFAULT);
  gsl_matrix_free(Sx);
  gsl_matrix_free(M);
  gsl_matrix_free(Mb);
}
END_TEST

/* The logits of S_x's realisation at the vocabulary level (every word once): S_k. */
static gsl_matrix *realised(const struct dp_cross_svd *f, size_t k, size_t d, size_t dk)
{
  size_t V1 = f->V1, V2 = f->V2, t[8], s[8];
  for (size_t a = 0; a < 8; a++)
    t[a] = s[a] = a;
  gsl_matrix *W_E1 = gsl_matrix_alloc(V1, d), *W_E2 = gsl_matrix_alloc(V2, d);
  gsl_matrix *W_Q = gsl_matrix_alloc(d, dk), *W_K = gsl_matrix_alloc(d, dk), *L = gsl_matrix_alloc(V1, V2);
  double n1 = 0, n2 = 0;
  ck_assert_int_eq(dp_cross_realise(f, k, d, dk, W_E1, W_E2, W_Q, W_K), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(W_Q, 0, 0) == 1.0 && gsl_matrix_get(W_K, 0, 0) == sqrt((double)dk));
  ck_assert_int_eq(dp_cross_scores(t, V1, W_E1, s, V2, W_E2, W_Q, W_K, L, &n1, &n2), GSL_SUCCESS);
  ck_assert_near(n1 * n1, n2 * n2, 16); /* both carry sum_j sigma_j over the kept triplets */
  gsl_matrix_free(W_E1);
  gsl_matrix_free(W_E2);
  gsl_matrix_free(W_Q);
  gsl_matrix_free(W_K);
  return L;
}

START_TEST(test_realise)
{
  const double sx[] = {3, 0, 0, 0, 0, 2};
  gsl_matrix *Sx = mat(2, 3, sx);
  struct dp_cross_svd f;
  ck_assert_int_eq(dp_cross_svd_make(Sx, &f), GSL_SUCCESS);
  ck_assert_uint_eq(f.p, 2);
  ck_assert_uint_eq(f.rank, 2);
  ck_assert_near(gsl_vector_get(f.sigma, 0), 3.0, 4);
  ck_assert_near(gsl_vector_get(f.sigma, 1), 2.0, 4);
  ck_assert(dp_cross_dropped(&f, 2) == 0.0);
  ck_assert_near(dp_cross_dropped(&f, 1), 2.0, 4);
  gsl_matrix *L = realised(&f, 2, 3, 2);
  ck_assert_msg(dp_resid_diff(L, Sx, 0) <= 16 * DBL_EPSILON * 3, "||L - S_x|| = %g",
                dp_resid_diff(L, Sx, 0));
  gsl_matrix_free(L);
  /* k = 1: the best rank-1 part, 3 e_1 e_1^T; error = the tail 2 */
  L = realised(&f, 1, 1, 1);
  ck_assert_near(dp_resid_diff(L, Sx, 0), 2.0, 8);
  gsl_matrix_free(L);
  /* the premise */
  gsl_matrix *E1 = gsl_matrix_alloc(2, 1), *E2 = gsl_matrix_alloc(3, 1), *Q = gsl_matrix_alloc(1, 1);
  gsl_matrix *K = gsl_matrix_alloc(1, 1), *E2b = gsl_matrix_alloc(2, 1);
  ck_assert_int_eq(dp_cross_realise(&f, 2, 1, 1, E1, E2, Q, K), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "exceeds"));
  ck_assert_int_eq(dp_cross_realise(&f, 1, 1, 1, E1, E2b, Q, K), GSL_EBADLEN);
  ck_assert_int_eq(dp_cross_realise(NULL, 1, 1, 1, E1, E2, Q, K), GSL_EFAULT);
  ck_assert_int_eq(dp_cross_realise(&f, 1, 0, 1, E1, E2, Q, K), GSL_EBADLEN);
  size_t t[] = {0}, s[] = {3};
  gsl_matrix *L1 = gsl_matrix_alloc(1, 1);
  ck_assert_int_eq(dp_cross_scores(t, 1, E1, s, 1, E2, Q, K, L1, NULL, NULL), GSL_EINVAL);
  ck_assert_int_eq(dp_cross_scores(t, 1, E1, t, 0, E2, Q, K, L1, NULL, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_cross_scores(t, 1, E1, t, 1, NULL, Q, K, L1, NULL, NULL), GSL_EFAULT);
  ck_assert_int_eq(dp_cross_scores(t, 1, E1, t, 1, E2, Q, K, E1, NULL, NULL), GSL_EBADLEN);
  gsl_matrix_free(E1);
  gsl_matrix_free(E2);
  gsl_matrix_free(E2b);
  gsl_matrix_free(Q);
  gsl_matrix_free(K);
  gsl_matrix_free(L1);
  dp_cross_svd_free(&f);
  dp_cross_svd_free(&f); /* an empty one is fine */
  dp_cross_svd_free(NULL);
  gsl_matrix_free(Sx);
}
END_TEST

START_TEST(test_rank_deficient_zero)
{
  const double sx[] = {1, 2, 2, 4, 0, 0}; /* 3 x 2, rank 1, sigma_1 = 5 */
  gsl_matrix *Sx = mat(3, 2, sx);
  struct dp_cross_svd f;
  ck_assert_int_eq(dp_cross_svd_make(Sx, &f), GSL_SUCCESS);
  ck_assert_uint_eq(f.rank, 1);
  ck_assert_near(gsl_vector_get(f.sigma, 0), 5.0, 8);
  ck_assert(dp_cross_dropped(&f, 1) <= 64 * DBL_EPSILON * 5);
  gsl_matrix *L = realised(&f, 1, 2, 3); /* d = 2, d_k = 3 > rank */
  ck_assert_msg(dp_resid_diff(L, Sx, 0) <= 64 * DBL_EPSILON * 5, "||L - S_x|| = %g",
                dp_resid_diff(L, Sx, 0));
  gsl_matrix_free(L);
  dp_cross_svd_free(&f);
  gsl_matrix_set_zero(Sx);
  ck_assert_int_eq(dp_cross_svd_make(Sx, &f), GSL_SUCCESS);
  ck_assert_uint_eq(f.rank, 0);
  L = realised(&f, 0, 1, 1);
  ck_assert(dp_resid_norm(L) == 0.0);
  gsl_matrix_free(L);
  dp_cross_svd_free(&f);
  ck_assert_int_eq(dp_cross_svd_make(NULL, &f), GSL_EFAULT);
  ck_assert_int_eq(dp_cross_svd_make(Sx, NULL), GSL_EFAULT);
  ck_assert(isnan(dp_cross_dropped(NULL, 0)));
  gsl_matrix_free(Sx);
}
END_TEST

START_TEST(test_count)
{
  /* doc 0: target (0 1 0), source (1 0); doc 1: target (1), source (). c = 1:
   * p=0 (word 0): q = 0,1 -> (0,1), (0,0); p=1 (word 1): q = 0,1 -> (1,1), (1,0);
   * p=2 (word 0): q = 1 -> (0,0).  So X = [[2, 1], [1, 1]]; doc 1 adds nothing. */
  size_t len1[] = {3, 1}, ids1[] = {0, 1, 0, 1}, len2[] = {2, 0}, ids2[] = {1, 0};
  gsl_matrix *X = gsl_matrix_alloc(2, 2);
  ck_assert_int_eq(dp_cross_count(2, len1, ids1, 2, len2, ids2, 2, 1, X), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(X, 0, 0) == 2 && gsl_matrix_get(X, 0, 1) == 1);
  ck_assert(gsl_matrix_get(X, 1, 0) == 1 && gsl_matrix_get(X, 1, 1) == 1);
  /* c = 0: aligned positions only: (0,1), (1,0) */
  ck_assert_int_eq(dp_cross_count(2, len1, ids1, 2, len2, ids2, 2, 0, X), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(X, 0, 1) == 1 && gsl_matrix_get(X, 1, 0) == 1);
  ck_assert(gsl_matrix_get(X, 0, 0) == 0 && gsl_matrix_get(X, 1, 1) == 0);
  ck_assert_int_eq(dp_cross_count(2, len1, ids1, 2, len2, ids2, 2, -1, X), GSL_EINVAL);
  ck_assert_int_eq(dp_cross_count(2, len1, ids1, 1, len2, ids2, 2, 1, X), GSL_EBADLEN);
  ck_assert_int_eq(dp_cross_count(2, NULL, ids1, 2, len2, ids2, 2, 1, X), GSL_EFAULT);
  ck_assert_int_eq(dp_cross_count(2, len1, ids1, 2, len2, ids2, 0, 1, X), GSL_EBADLEN);
  size_t bad[] = {0, 1, 2, 1};
  ck_assert_int_eq(dp_cross_count(2, len1, bad, 2, len2, ids2, 2, 1, X), GSL_EINVAL);
  ck_assert_int_eq(dp_cross_count(0, NULL, NULL, 2, NULL, NULL, 2, 1, X), GSL_SUCCESS);
  ck_assert(dp_resid_norm(X) == 0.0);
  gsl_matrix_free(X);
}
END_TEST

START_TEST(test_alloc_failures)
{
  const double sx[] = {1, 2, 3, 4, 5, 7};
  gsl_matrix *Sx = mat(2, 3, sx), *M = gsl_matrix_alloc(2, 2);
  size_t t[] = {1, 0}, s[] = {2, 1};
  int st = GSL_SUCCESS;
  INJECT(st = dp_cross_dense(Sx, t, 2, s, 2, M), st == GSL_ENOMEM);
  struct dp_cross_svd f;
  INJECT((st = dp_cross_svd_make(Sx, &f), dp_cross_svd_free(&f)), st != GSL_SUCCESS);
  ck_assert_int_eq(dp_cross_svd_make(Sx, &f), GSL_SUCCESS);
  gsl_matrix *E1 = gsl_matrix_alloc(2, 2), *E2 = gsl_matrix_alloc(3, 2), *Q = gsl_matrix_alloc(2, 2);
  gsl_matrix *K = gsl_matrix_alloc(2, 2);
  ck_assert_int_eq(dp_cross_realise(&f, 2, 2, 2, E1, E2, Q, K), GSL_SUCCESS);
  INJECT(st = dp_cross_scores(t, 2, E1, s, 2, E2, Q, K, M, NULL, NULL), st == GSL_ENOMEM);
  /* undisturbed, the realisation reproduces S_x on the sequences */
  gsl_matrix *Mg = gsl_matrix_alloc(2, 2);
  ck_assert_int_eq(dp_cross_gather(Sx, t, 2, s, 2, Mg), GSL_SUCCESS);
  ck_assert(dp_resid_diff(M, Mg, 0) <= 64 * DBL_EPSILON * dp_resid_norm(Sx));
  dp_cross_svd_free(&f);
  gsl_matrix_free(E1);
  gsl_matrix_free(E2);
  gsl_matrix_free(Q);
  gsl_matrix_free(K);
  gsl_matrix_free(Mg);
  gsl_matrix_free(Sx);
  gsl_matrix_free(M);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *su = suite_create("cross");
  TCase *tc = tcase_create("engine");
  tcase_add_test(tc, test_gather_dense);
  tcase_add_test(tc, test_gather_errors);
  tcase_add_test(tc, test_realise);
  tcase_add_test(tc, test_rank_deficient_zero);
  tcase_add_test(tc, test_count);
  tcase_add_test(tc, test_alloc_failures);
  suite_add_tcase(su, tc);
  return su;
}
