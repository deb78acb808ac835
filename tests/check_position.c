/* check_position.c: the position module (src/engine/position.c) on hand-computed cases.
 *
 * Shift masks, the offset-resolved projection by gather and by masked products (against
 * counts worked out by hand), its causal part, sinusoidal encodings and the Toeplitz
 * distance (even d at rounding level, the odd d = 1, R = 2 counterexample exactly), rotary
 * encodings, the four-term split of the logits, bad arguments and failed allocations. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_matrix.h>

#include "cooc.h"
#include "err.h"
#include "position.h"
#include "resid.h"
#include "select.h"
#include "testutil.h"

START_TEST(test_shift_mask)
{
  gsl_matrix *D = gsl_matrix_alloc(4, 4);
  ck_assert_int_eq(dp_pos_shift_mask(1, D), GSL_SUCCESS);
  for (size_t i = 0; i < 4; i++)
    for (size_t j = 0; j < 4; j++)
      ck_assert(gsl_matrix_get(D, i, j) == (j == i + 1 ? 1.0 : 0.0));
  ck_assert_int_eq(dp_pos_shift_mask(-2, D), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(D, 2, 0) == 1.0 && gsl_matrix_get(D, 3, 1) == 1.0);
  ck_assert(gsl_matrix_get(D, 0, 2) == 0.0);
  ck_assert_int_eq(dp_pos_shift_mask(7, D), GSL_SUCCESS);
  ck_assert(dp_resid_norm(D) == 0.0);
  gsl_matrix *N = gsl_matrix_alloc(2, 3);
  ck_assert_int_eq(dp_pos_shift_mask(0, N), GSL_EBADLEN);
  ck_assert_int_eq(dp_pos_shift_mask(0, NULL), GSL_EFAULT);
  gsl_matrix_free(D);
  gsl_matrix_free(N);
}
END_TEST

/* The corpus "0 1 0 2" (one document), c = 2, g = 1, and t = (1 0 2). */
static struct dp_counts *hand_counts(void)
{
  size_t len[] = {4}, ids[] = {0, 1, 0, 2};
  struct dp_corpus *corp;
  struct dp_counts *x;
  ck_assert_int_eq(dp_corpus_from_ids(3, 1, len, ids, &corp), GSL_SUCCESS);
  ck_assert_int_eq(dp_cooc_count(corp, 2, DP_WEIGHT_ONE, DP_SMAT_DENSE, &x), GSL_SUCCESS);
  dp_corpus_free(corp);
  return x;
}

START_TEST(test_offset_projection)
{
  struct dp_counts *x = hand_counts();
  const gsl_matrix *Xk[5];
  for (int k = 0; k < 5; k++)
    Xk[k] = k == 2 ? NULL : x->Xk[k]->d;
  size_t t[] = {1, 0, 2};
  gsl_matrix *M = gsl_matrix_alloc(3, 3), *P = gsl_matrix_alloc(3, 3), *Q = NULL;
  ck_assert_int_eq(dp_pos_gather(Xk, 2, t, 3, -2, 2, M), GSL_SUCCESS);
  /* X^(1): (0,1), (1,0), (0,2); X^(2): (0,0), (1,2).  M_01 = X^(1)_{1,0} = 1,
   * M_02 = X^(2)_{1,2} = 1, M_12 = X^(1)_{0,2} = 1; below the diagonal the transposes. */
  const double want[] = {0, 1, 1, 1, 0, 1, 1, 1, 0};
  for (size_t i = 0; i < 9; i++)
    ck_assert(M->data[i] == want[i]);
  ck_assert_int_eq(dp_select_Q(t, 3, 3, &Q), GSL_SUCCESS);
  ck_assert_int_eq(dp_pos_project(Q, Xk, 2, -2, 2, 1, P), GSL_SUCCESS);
  ck_assert_uint_eq(dp_resid_mismatch(M, P, 0, NULL), 0);
  /* the causal part keeps j < i only, and the products agree */
  ck_assert_int_eq(dp_pos_gather(Xk, 2, t, 3, -2, -1, M), GSL_SUCCESS);
  ck_assert_int_eq(dp_pos_project(Q, Xk, 2, -2, -1, 1, P), GSL_SUCCESS);
  for (size_t i = 0; i < 3; i++)
    for (size_t j = 0; j < 3; j++)
      ck_assert(gsl_matrix_get(M, i, j) == (j < i ? want[i * 3 + j] : 0.0));
  ck_assert_uint_eq(dp_resid_mismatch(M, P, 0, NULL), 0);
  /* unmasked over 1..c it is Q X^> Q^T */
  gsl_matrix *G = gsl_matrix_alloc(3, 3);
  ck_assert_int_eq(dp_pos_project(Q, Xk, 2, 1, 2, 0, P), GSL_SUCCESS);
  ck_assert_int_eq(dp_select_gather(x->Xr->d, t, 3, G), GSL_SUCCESS);
  ck_assert_uint_eq(dp_resid_mismatch(G, P, 0, NULL), 0);
  /* bad arguments */
  size_t bad[] = {1, 3, 0};
  ck_assert_int_eq(dp_pos_gather(Xk, 2, bad, 3, -2, 2, M), GSL_EINVAL);
  ck_assert_int_eq(dp_pos_gather(Xk, 0, t, 3, -2, 2, M), GSL_EINVAL);
  ck_assert_int_eq(dp_pos_gather(NULL, 2, t, 3, -2, 2, M), GSL_EFAULT);
  ck_assert_int_eq(dp_pos_gather(Xk, 2, t, 2, -2, 2, M), GSL_EBADLEN);
  const gsl_matrix *hole[5] = {Xk[0], NULL, NULL, Xk[3], Xk[4]};
  ck_assert_int_eq(dp_pos_project(Q, hole, 2, -2, 2, 1, P), GSL_EFAULT);
  ck_assert_int_eq(dp_pos_project(NULL, Xk, 2, -2, 2, 1, P), GSL_EFAULT);
  INJECT(int st = dp_pos_project(Q, Xk, 2, -2, 2, 1, P), st == GSL_ENOMEM);
  gsl_matrix_free(M);
  gsl_matrix_free(P);
  gsl_matrix_free(G);
  gsl_matrix_free(Q);
  dp_counts_free(x);
}
END_TEST

START_TEST(test_sinusoidal_toeplitz)
{
  gsl_matrix *P = gsl_matrix_alloc(3, 4), *G = gsl_matrix_alloc(3, 3);
  ck_assert_int_eq(dp_pos_sinusoidal(10000.0, P), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(P, 0, 0) == 0.0 && gsl_matrix_get(P, 0, 1) == 1.0);
  ck_assert(gsl_matrix_get(P, 1, 0) == sin(1.0) && gsl_matrix_get(P, 1, 1) == cos(1.0));
  ck_assert(gsl_matrix_get(P, 2, 2) == sin(2.0 * pow(10000.0, -0.5)));
  gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, P, P, 0.0, G);
  double res;
  ck_assert_int_eq(dp_pos_toeplitz_residual(G, &res), GSL_SUCCESS);
  ck_assert(res <= 16 * DBL_EPSILON * dp_resid_norm(G));
  /* odd d: d = 1, R = 2 gives diag(0, sin^2 1), whose distance is sin^2(1) / sqrt 2 */
  gsl_matrix *P1 = gsl_matrix_alloc(2, 1), *G1 = gsl_matrix_alloc(2, 2);
  ck_assert_int_eq(dp_pos_sinusoidal(10000.0, P1), GSL_SUCCESS);
  gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, P1, P1, 0.0, G1);
  ck_assert_int_eq(dp_pos_toeplitz_residual(G1, &res), GSL_SUCCESS);
  ck_assert_near(res, sin(1.0) * sin(1.0) / sqrt(2.0), 4);
  /* a Toeplitz matrix is at distance 0; errors */
  const double tp[] = {1, 2, 3, 4, 1, 2, 5, 4, 1};
  gsl_matrix *T = mat(3, 3, tp);
  ck_assert_int_eq(dp_pos_toeplitz_residual(T, &res), GSL_SUCCESS);
  ck_assert(res == 0.0);
  ck_assert_int_eq(dp_pos_toeplitz_residual(P, &res), GSL_EBADLEN);
  ck_assert_int_eq(dp_pos_toeplitz_residual(NULL, &res), GSL_EFAULT);
  ck_assert_int_eq(dp_pos_sinusoidal(1.0, P), GSL_EINVAL);
  ck_assert_int_eq(dp_pos_sinusoidal(NAN, P), GSL_EINVAL);
  ck_assert_int_eq(dp_pos_sinusoidal(2.0, NULL), GSL_EFAULT);
  gsl_matrix_free(P);
  gsl_matrix_free(G);
  gsl_matrix_free(P1);
  gsl_matrix_free(G1);
  gsl_matrix_free(T);
}
END_TEST

START_TEST(test_rotary)
{
  double x[3] = {1, 0, 7}, y[3];
  dp_pos_rotate(x, 3, 1, 10000.0, y); /* one pair (w = 1), the odd coordinate kept */
  ck_assert(y[0] == cos(1.0) && y[1] == sin(1.0) && y[2] == 7.0);
  dp_pos_rotate(x, 3, -1, 10000.0, y);
  ck_assert(y[0] == cos(-1.0) && y[1] == sin(-1.0));
  dp_pos_rotate(x, 2, 0, 10000.0, y);
  ck_assert(y[0] == 1.0 && y[1] == 0.0);
  /* <R_i q, R_j k> = <q, R_(j-i) k> on Gaussian-like entries */
  const double q[] = {0.3, -1.2, 0.5, 2.0, 0.7, 0.1, -0.4, 1.1, -0.9, 0.2, 1.5, -0.6};
  const double k[] = {1.1, 0.4, -0.7, 0.9, -1.3, 0.8, 0.6, -0.2, 0.3, 1.7, -0.5, 0.05};
  gsl_matrix *Qm = mat(3, 4, q), *Km = mat(3, 4, k), *La = gsl_matrix_alloc(3, 3);
  gsl_matrix *Lr = gsl_matrix_alloc(3, 3);
  ck_assert_int_eq(dp_pos_rotary_logits(Qm, Km, 10000.0, La, Lr), GSL_SUCCESS);
  ck_assert(dp_resid_diff(La, Lr, 0) <= 64 * DBL_EPSILON * dp_resid_norm(Qm) * dp_resid_norm(Km));
  /* and the diagonal is the unrotated product */
  for (size_t i = 0; i < 3; i++) {
    double dot = 0;
    for (size_t j = 0; j < 4; j++)
      dot += q[i * 4 + j] * k[i * 4 + j];
    ck_assert_near(gsl_matrix_get(Lr, i, i), dot, 8);
  }
  ck_assert_int_eq(dp_pos_rotary_logits(Qm, Km, 10000.0, NULL, Lr), GSL_SUCCESS);
  ck_assert_int_eq(dp_pos_rotary_logits(Qm, Km, 0.5, La, Lr), GSL_EINVAL);
  ck_assert_int_eq(dp_pos_rotary_logits(Qm, La, 10000.0, La, Lr), GSL_EBADLEN);
  ck_assert_int_eq(dp_pos_rotary_logits(NULL, Km, 10000.0, La, Lr), GSL_EFAULT);
  INJECT(int st = dp_pos_rotary_logits(Qm, Km, 10000.0, La, Lr), st == GSL_ENOMEM);
  gsl_matrix_free(Qm);
  gsl_matrix_free(Km);
  gsl_matrix_free(La);
  gsl_matrix_free(Lr);
}
END_TEST

START_TEST(test_logit_terms)
{
  const double c[] = {1, 2, 0, -1, 3, 1}, p[] = {0.5, 0, 0, 0.5, 1, 1};
  const double wq[] = {1, 0, 2, 1}, wk[] = {0, 1, 1, 1};
  gsl_matrix *C = mat(3, 2, c), *P = mat(3, 2, p), *WQ = mat(2, 2, wq), *WK = mat(2, 2, wk);
  gsl_matrix *T[4], *H = gsl_matrix_alloc(3, 2), *HQ = gsl_matrix_alloc(3, 2);
  gsl_matrix *HK = gsl_matrix_alloc(3, 2), *L = gsl_matrix_alloc(3, 3);
  for (int i = 0; i < 4; i++)
    T[i] = gsl_matrix_alloc(3, 3);
  ck_assert_int_eq(dp_pos_logit_terms(C, P, WQ, WK, T), GSL_SUCCESS);
  gsl_matrix_memcpy(H, C);
  gsl_matrix_add(H, P);
  gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, H, WQ, 0.0, HQ);
  gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, H, WK, 0.0, HK);
  gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, HQ, HK, 0.0, L);
  for (int i = 1; i < 4; i++)
    gsl_matrix_add(T[0], T[i]);
  ck_assert(dp_resid_diff(L, T[0], 0) == 0.0); /* small integers and halves: exact */
  /* cc alone: (C W_Q)(C W_K)^T, entry (0, 0) = (5, 2) . (2, 3) = 16 */
  ck_assert_int_eq(dp_pos_logit_terms(C, P, WQ, WK, T), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(T[0], 0, 0) == 16.0);
  ck_assert_int_eq(dp_pos_logit_terms(C, WQ, WQ, WK, T), GSL_EBADLEN);
  ck_assert_int_eq(dp_pos_logit_terms(NULL, P, WQ, WK, T), GSL_EFAULT);
  INJECT(int st = dp_pos_logit_terms(C, P, WQ, WK, T), st == GSL_ENOMEM);
  for (int i = 0; i < 4; i++)
    gsl_matrix_free(T[i]);
  gsl_matrix_free(C);
  gsl_matrix_free(P);
  gsl_matrix_free(WQ);
  gsl_matrix_free(WK);
  gsl_matrix_free(H);
  gsl_matrix_free(HQ);
  gsl_matrix_free(HK);
  gsl_matrix_free(L);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("position");
  TCase *tc = tcase_create("offsets");
  tcase_add_test(tc, test_shift_mask);
  tcase_add_test(tc, test_offset_projection);
  suite_add_tcase(s, tc);
  tc = tcase_create("encodings");
  tcase_add_test(tc, test_sinusoidal_toeplitz);
  tcase_add_test(tc, test_rotary);
  tcase_add_test(tc, test_logit_terms);
  suite_add_tcase(s, tc);
  return s;
}
