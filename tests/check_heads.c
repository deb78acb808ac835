/* check_heads.c: unit tests of the multi-head engine (src/engine/heads.c), linked against the
 * engine library alone.
 *
 * Hand-computed cases: the split of 7 into 3 heads (3, 2, 2) and the bad h; the spectral
 * groups of diag(3, -5, 1, 0) (|lambda| order -5, 3, 1; rank 3) split 2 + 2 (S^(0) =
 * diag(3, -5, 0, 0), S^(1) = diag(0, 0, 1, 0)); the per-head weights of that split (W_Q^(g)
 * reading its own block, W_K^(g) the signs), whose logits sum to M; a head that cannot hold
 * its group; the two routes of W_O on integer heads (exact); the softmax outputs on one word
 * (uniform rows) and at h = 1 (multi = single, bit for bit); error handling and every
 * allocation check, also at shapes where the CBLAS library allocates memory of its own. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_matrix.h>

#include "err.h"
#include "heads.h"
#include "resid.h"
#include "select.h"
#include "spectral.h"
#include "testutil.h"

START_TEST(test_split)
{
  size_t w[8];
  ck_assert_int_eq(dp_heads_split(7, 3, w), GSL_SUCCESS);
  ck_assert(w[0] == 3 && w[1] == 2 && w[2] == 2);
  ck_assert_int_eq(dp_heads_split(8, 4, w), GSL_SUCCESS);
  ck_assert(w[0] == 2 && w[3] == 2);
  ck_assert_int_eq(dp_heads_split(5, 1, w), GSL_SUCCESS);
  ck_assert(w[0] == 5);
  ck_assert_int_eq(dp_heads_split(2, 3, w), GSL_EINVAL);
  ck_assert_int_eq(dp_heads_split(2, 0, w), GSL_EINVAL);
  ck_assert_int_eq(dp_heads_split(2, 1, NULL), GSL_EFAULT);
}
END_TEST

START_TEST(test_groups_and_realise)
{
  const double dg[] = {3, -5, 1, 0};
  gsl_matrix *S = diag(4, dg), *Sg = gsl_matrix_alloc(4, 4);
  struct dp_spectral_eig e;
  ck_assert_int_eq(dp_spectral_eig_make(S, &e), GSL_SUCCESS);
  ck_assert_uint_eq(e.rank, 3);
  ck_assert_uint_eq(dp_heads_group_rank(&e, 0, 2), 2);
  ck_assert_uint_eq(dp_heads_group_rank(&e, 2, 2), 1);
  ck_assert_uint_eq(dp_heads_group_rank(&e, 4, 2), 0);
  ck_assert_int_eq(dp_heads_group(&e, 0, 2, Sg), GSL_SUCCESS);
  ck_assert_near(gsl_matrix_get(Sg, 0, 0), 3.0, 8);
  ck_assert_near(gsl_matrix_get(Sg, 1, 1), -5.0, 8);
  ck_assert(fabs(gsl_matrix_get(Sg, 2, 2)) < 8 * DBL_EPSILON);
  ck_assert_int_eq(dp_heads_group(&e, 2, 2, Sg), GSL_SUCCESS);
  ck_assert_near(gsl_matrix_get(Sg, 2, 2), 1.0, 8);
  ck_assert(fabs(gsl_matrix_get(Sg, 0, 0)) < 8 * DBL_EPSILON);
  ck_assert_int_eq(dp_heads_group(&e, 3, 1, Sg), GSL_SUCCESS); /* past the rank: 0 */
  ck_assert(dp_resid_norm(Sg) == 0.0);
  /* d = 4 in two heads of 2, key widths 2 and 1 */
  size_t w[2] = {2, 2}, dk[2] = {2, 1}, t[] = {0, 1, 2, 1};
  gsl_matrix *W_E = gsl_matrix_alloc(4, 4), *Q[2], *K[2], *L[2], *Ls = gsl_matrix_alloc(4, 4);
  gsl_matrix *M = gsl_matrix_alloc(4, 4);
  for (int g = 0; g < 2; g++) {
    Q[g] = gsl_matrix_alloc(4, dk[g]);
    K[g] = gsl_matrix_alloc(4, dk[g]);
    L[g] = gsl_matrix_alloc(4, 4);
  }
  ck_assert_int_eq(dp_heads_realise(&e, 2, w, dk, W_E, Q, K), GSL_SUCCESS);
  /* head 1 reads the model width's block [2, 4): W_Q^(1) has its one at (2, 0) */
  ck_assert(gsl_matrix_get(Q[1], 2, 0) == 1.0 && gsl_matrix_get(Q[1], 0, 0) == 0.0);
  ck_assert(gsl_matrix_get(K[1], 2, 0) == 1.0); /* sqrt(1) sign(+1) */
  ck_assert(gsl_matrix_get(K[0], 0, 0) == -sqrt(2.0) && gsl_matrix_get(K[0], 1, 1) == sqrt(2.0));
  double nH = 0;
  ck_assert_int_eq(dp_heads_logits(t, 4, W_E, 2, (const gsl_matrix *const *)Q,
                                   (const gsl_matrix *const *)K, L, Ls, &nH),
                   GSL_SUCCESS);
  dp_select_gather(S, t, 4, M);
  ck_assert(dp_resid_diff(Ls, M, 0) <= 64 * DBL_EPSILON);
  ck_assert_near(nH, sqrt(3.0 + 5 + 1 + 5), 8); /* ||H||^2 = sum_i |lambda_{t_i}| */
  ck_assert_near(gsl_matrix_get(L[1], 2, 2), 1.0, 8);
  ck_assert(fabs(gsl_matrix_get(L[1], 0, 0)) < 8 * DBL_EPSILON);
  ck_assert_int_eq(dp_heads_logits(t, 4, W_E, 2, (const gsl_matrix *const *)Q,
                                   (const gsl_matrix *const *)K, NULL, Ls, NULL),
                   GSL_SUCCESS);
  /* head 0 holds 2 eigenpairs: key width 1 is too narrow */
  size_t dk1[2] = {1, 1};
  gsl_matrix *Q0 = gsl_matrix_alloc(4, 1), *K0 = gsl_matrix_alloc(4, 1);
  gsl_matrix *Qs[2] = {Q0, Q[1]}, *Ks[2] = {K0, K[1]};
  ck_assert_int_eq(dp_heads_realise(&e, 2, w, dk1, W_E, Qs, Ks), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "head 0 holds 2 eigenpairs"));
  /* rank 3 > d = 2 */
  gsl_matrix *W2 = gsl_matrix_alloc(4, 2);
  gsl_matrix *Q2 = gsl_matrix_alloc(2, 2), *K2 = gsl_matrix_alloc(2, 2);
  size_t w2[1] = {2}, dk2[1] = {2};
  ck_assert_int_eq(dp_heads_realise(&e, 1, w2, dk2, W2, &Q2, &K2), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "rank(S) = 3 exceeds d = 2"));
  gsl_matrix_free(Q2);
  gsl_matrix_free(K2);
  /* widths that do not sum to d, and shapes */
  size_t w3[2] = {2, 1};
  ck_assert_int_eq(dp_heads_realise(&e, 2, w3, dk, W_E, Q, K), GSL_EBADLEN);
  ck_assert_int_eq(dp_heads_realise(NULL, 2, w, dk, W_E, Q, K), GSL_EFAULT);
  ck_assert_int_eq(dp_heads_group(&e, 0, 2, W2), GSL_EBADLEN);
  ck_assert_int_eq(dp_heads_logits(t, 4, W_E, 0, (const gsl_matrix *const *)Q,
                                   (const gsl_matrix *const *)K, NULL, Ls, NULL),
                   GSL_EBADLEN);
  size_t bad[] = {0, 9, 1, 1};
  ck_assert_int_eq(dp_heads_logits(bad, 4, W_E, 2, (const gsl_matrix *const *)Q,
                                   (const gsl_matrix *const *)K, NULL, Ls, NULL),
                   GSL_EINVAL);
  dp_spectral_eig_free(&e);
  for (int g = 0; g < 2; g++) {
    gsl_matrix_free(Q[g]);
    gsl_matrix_free(K[g]);
    gsl_matrix_free(L[g]);
  }
  gsl_matrix_free(S);
  gsl_matrix_free(Sg);
  gsl_matrix_free(W_E);
  gsl_matrix_free(Ls);
  gsl_matrix_free(M);
  gsl_matrix_free(Q0);
  gsl_matrix_free(K0);
  gsl_matrix_free(W2);
}
END_TEST

START_TEST(test_output_routes)
{
  /* heads 2 x 1 and 2 x 2, W_O 3 x 2: both routes [1 2; 3 4] [1 0; 0 1; 1 1] style, exact */
  const double a[] = {1, 2}, b[] = {3, 4, 5, 6}, o[] = {1, 2, 3, 4, 5, 6};
  gsl_matrix *A = mat(2, 1, a), *B = mat(2, 2, b), *W_O = mat(3, 2, o);
  gsl_matrix *C = gsl_matrix_alloc(2, 2), *D = gsl_matrix_alloc(2, 2);
  const gsl_matrix *hs[2] = {A, B};
  ck_assert_int_eq(dp_heads_concat(2, hs, W_O, C), GSL_SUCCESS);
  ck_assert_int_eq(dp_heads_sum(2, hs, W_O, D), GSL_SUCCESS);
  /* row 0: [1 3 4] W_O = [1 + 9 + 20, 2 + 12 + 24] = [30, 38] */
  ck_assert(gsl_matrix_get(C, 0, 0) == 30.0 && gsl_matrix_get(C, 0, 1) == 38.0);
  ck_assert(dp_resid_diff(C, D, 0) == 0.0);
  gsl_matrix *W_bad = gsl_matrix_alloc(2, 2);
  ck_assert_int_eq(dp_heads_concat(2, hs, W_bad, C), GSL_EBADLEN);
  ck_assert_int_eq(dp_heads_sum(2, hs, W_bad, C), GSL_EBADLEN);
  ck_assert_int_eq(dp_heads_sum(0, hs, W_O, C), GSL_EBADLEN);
  ck_assert_int_eq(dp_heads_concat(2, NULL, W_O, C), GSL_EFAULT);
  gsl_matrix_free(A);
  gsl_matrix_free(B);
  gsl_matrix_free(W_O);
  gsl_matrix_free(C);
  gsl_matrix_free(D);
  gsl_matrix_free(W_bad);
}
END_TEST

START_TEST(test_softmax_outputs)
{
  /* W_E (2 x 2) = I, tokens (0, 1, 0); two heads of value width 1; W_V = I, W_O = [1; 1] */
  const double id[] = {1, 0, 0, 1}, wo[] = {1, 1};
  gsl_matrix *W_E = mat(2, 2, id), *W_V = mat(2, 2, id), *W_O = mat(2, 1, wo);
  gsl_matrix *L0 = gsl_matrix_calloc(3, 3), *L1 = gsl_matrix_calloc(3, 3);
  gsl_matrix *h0 = gsl_matrix_alloc(3, 1), *h1 = gsl_matrix_alloc(3, 1);
  gsl_matrix *Om = gsl_matrix_alloc(3, 1), *Os = gsl_matrix_alloc(3, 1), *Lsum = gsl_matrix_calloc(3, 3);
  size_t t[] = {0, 1, 0}, dv[2] = {1, 1};
  /* zero logits: every softmax row uniform, head 0 averages H's column 0 = (1, 0, 1): 2/3 */
  const gsl_matrix *Ls[2] = {L0, L1};
  gsl_matrix *hs[2] = {h0, h1};
  ck_assert_int_eq(dp_heads_values(t, 3, W_E, 2, Ls, W_V, dv, hs), GSL_SUCCESS);
  ck_assert_near(gsl_matrix_get(h0, 1, 0), 2.0 / 3.0, 4);
  ck_assert_near(gsl_matrix_get(h1, 1, 0), 1.0 / 3.0, 4);
  /* logits that differ: multi != single; at h = 1 the same, bit for bit */
  gsl_matrix_set(L0, 0, 1, 2.0);
  gsl_matrix_set(L1, 1, 0, -1.0);
  gsl_matrix_add(Lsum, L0);
  gsl_matrix_add(Lsum, L1);
  ck_assert_int_eq(dp_heads_values(t, 3, W_E, 2, Ls, W_V, dv, hs), GSL_SUCCESS);
  ck_assert_int_eq(dp_heads_sum(2, (const gsl_matrix *const *)hs, W_O, Om), GSL_SUCCESS);
  ck_assert_int_eq(dp_heads_single(t, 3, W_E, Lsum, W_V, W_O, Os), GSL_SUCCESS);
  /* row 0 of head 0: weights 1, e^2, 1 over H's column 0 = (1, 0, 1); of head 1: uniform
   * over H's column 1 = (0, 1, 0) */
  double e2 = exp(2.0);
  ck_assert_near(gsl_matrix_get(Om, 0, 0), 2.0 / (e2 + 2) + 1.0 / 3.0, 8);
  ck_assert(dp_resid_diff(Om, Os, 0) > 0.05);
  gsl_matrix *head = gsl_matrix_alloc(3, 2);
  size_t dv1[1] = {2};
  const gsl_matrix *L1s[1] = {Lsum};
  ck_assert_int_eq(dp_heads_values(t, 3, W_E, 1, L1s, W_V, dv1, (gsl_matrix *const[]){head}),
                   GSL_SUCCESS);
  ck_assert_int_eq(dp_heads_sum(1, (const gsl_matrix *const[]){head}, W_O, Om), GSL_SUCCESS);
  size_t where = 0;
  ck_assert_uint_eq(dp_resid_mismatch(Om, Os, 0, &where), 0);
  /* errors */
  ck_assert_int_eq(dp_heads_values(t, 3, W_E, 0, Ls, W_V, dv, hs), GSL_EBADLEN);
  size_t dvbad[2] = {1, 0};
  ck_assert_int_eq(dp_heads_values(t, 3, W_E, 2, Ls, W_V, dvbad, hs), GSL_EBADLEN);
  ck_assert_int_eq(dp_heads_values(t, 3, W_E, 2, Ls, W_O, dv, hs), GSL_EBADLEN);
  ck_assert_int_eq(dp_heads_single(t, 3, W_E, Lsum, W_V, W_V, Os), GSL_EBADLEN);
  ck_assert_int_eq(dp_heads_single(t, 3, NULL, Lsum, W_V, W_O, Os), GSL_EFAULT);
  gsl_matrix *Lnan = gsl_matrix_calloc(3, 3);
  gsl_matrix_set(Lnan, 0, 0, NAN);
  ck_assert_int_eq(dp_heads_single(t, 3, W_E, Lnan, W_V, W_O, Os), GSL_EDOM);
  gsl_matrix_free(Lnan);
  gsl_matrix_free(W_E);
  gsl_matrix_free(W_V);
  gsl_matrix_free(W_O);
  gsl_matrix_free(L0);
  gsl_matrix_free(L1);
  gsl_matrix_free(h0);
  gsl_matrix_free(h1);
  gsl_matrix_free(Om);
  gsl_matrix_free(Os);
  gsl_matrix_free(Lsum);
  gsl_matrix_free(head);
}
END_TEST

START_TEST(test_out_of_memory)
{
  const double dg[] = {3, -5, 1, 0}, wo[] = {1, 1};
  gsl_matrix *S = diag(4, dg), *Sg = gsl_matrix_alloc(4, 4), *W_E = gsl_matrix_alloc(4, 4);
  gsl_matrix *Q[2], *K[2], *L[2], *hs[2], *Ls = gsl_matrix_alloc(3, 3);
  gsl_matrix *W_V = gsl_matrix_calloc(4, 2), *W_O = mat(2, 1, wo), *O = gsl_matrix_alloc(3, 1);
  size_t w[2] = {2, 2}, dk[2] = {2, 1}, dv[2] = {1, 1}, t[] = {0, 1, 2};
  for (int g = 0; g < 2; g++) {
    Q[g] = gsl_matrix_alloc(4, dk[g]);
    K[g] = gsl_matrix_alloc(4, dk[g]);
    L[g] = gsl_matrix_alloc(3, 3);
    hs[g] = gsl_matrix_alloc(3, 1);
  }
  struct dp_spectral_eig e;
  ck_assert_int_eq(dp_spectral_eig_make(S, &e), GSL_SUCCESS);
  int st = 0;
  INJECT(st = dp_heads_group(&e, 0, 2, Sg), st == GSL_ENOMEM);
  INJECT(st = dp_heads_realise(&e, 2, w, dk, W_E, Q, K), st == GSL_ENOMEM);
  INJECT(st = dp_heads_logits(t, 3, W_E, 2, (const gsl_matrix *const *)Q,
                              (const gsl_matrix *const *)K, L, Ls, NULL),
         st == GSL_ENOMEM);
  INJECT(st = dp_heads_values(t, 3, W_E, 2, (const gsl_matrix *const *)L, W_V, dv, hs),
         st == GSL_ENOMEM);
  INJECT(st = dp_heads_concat(2, (const gsl_matrix *const *)hs, W_O, O), st == GSL_ENOMEM);
  INJECT(st = dp_heads_single(t, 3, W_E, Ls, W_V, W_O, O), st == GSL_ENOMEM);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "out of memory"));
  /* the sum route needs no memory */
  ck_assert_int_eq(dp_heads_sum(2, (const gsl_matrix *const *)hs, W_O, O), GSL_SUCCESS);
  dp_spectral_eig_free(&e);
  for (int g = 0; g < 2; g++) {
    gsl_matrix_free(Q[g]);
    gsl_matrix_free(K[g]);
    gsl_matrix_free(L[g]);
    gsl_matrix_free(hs[g]);
  }
  gsl_matrix_free(S);
  gsl_matrix_free(Sg);
  gsl_matrix_free(W_E);
  gsl_matrix_free(Ls);
  gsl_matrix_free(W_V);
  gsl_matrix_free(W_O);
  gsl_matrix_free(O);
}
END_TEST

/* Allocation failures at the shapes where the CBLAS library allocates memory of its own:
 * the heads' product softmax(L) (H W_V), 20 x 20 times 20 x 12, is one where OpenBLAS's
 * AVX-512 small-matrix kernel allocates (alloc_fail.c).  Every failure of ours must give
 * GSL_ENOMEM; the library's own allocations are left alone, and the run without a failure
 * gives the reference heads bit for bit. */
START_TEST(test_out_of_memory_blas_shapes)
{
  enum { V = 16, D = 10, R = 20, DV = 12 };
  gsl_matrix *W_E = gsl_matrix_alloc(V, D), *W_V = gsl_matrix_alloc(D, DV);
  gsl_matrix *L = gsl_matrix_alloc(R, R), *ref = gsl_matrix_alloc(R, DV);
  gsl_matrix *head = gsl_matrix_alloc(R, DV);
  for (size_t i = 0; i < V; i++)
    for (size_t j = 0; j < D; j++)
      gsl_matrix_set(W_E, i, j, (double)((7 * i + 3 * j) % 11) / 10.0 - 0.5);
  for (size_t i = 0; i < D; i++)
    for (size_t j = 0; j < DV; j++)
      gsl_matrix_set(W_V, i, j, (double)((5 * i + 2 * j) % 13) / 6.0 - 1.0);
  for (size_t i = 0; i < R; i++)
    for (size_t j = 0; j < R; j++)
      gsl_matrix_set(L, i, j, (double)((i * j) % 9) / 4.0);
  size_t t[R], dv[1] = {DV};
  for (size_t r = 0; r < R; r++)
    t[r] = (5 * r + 1) % V;
  const gsl_matrix *Ls[1] = {L};
  ck_assert_int_eq(dp_heads_values(t, R, W_E, 1, Ls, W_V, dv, (gsl_matrix *const[]){ref}),
                   GSL_SUCCESS);
  int st = 0;
  INJECT(st = dp_heads_values(t, R, W_E, 1, Ls, W_V, dv, (gsl_matrix *const[]){head}),
         st == GSL_ENOMEM);
  ck_assert_int_eq(st, GSL_SUCCESS);
  size_t where = 0;
  ck_assert_uint_eq(dp_resid_mismatch(head, ref, 0, &where), 0);
  gsl_matrix_free(W_E);
  gsl_matrix_free(W_V);
  gsl_matrix_free(L);
  gsl_matrix_free(ref);
  gsl_matrix_free(head);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("heads");
  TCase *tc = tcase_create("heads");
  tcase_add_test(tc, test_split);
  tcase_add_test(tc, test_groups_and_realise);
  tcase_add_test(tc, test_output_routes);
  tcase_add_test(tc, test_softmax_outputs);
  suite_add_tcase(s, tc);
  tc = tcase_create("errors");
  tcase_add_test(tc, test_out_of_memory);
  tcase_add_test(tc, test_out_of_memory_blas_shapes);
  tcase_set_timeout(tc, 300);
  tcase_set_tags(tc, "slow");
  suite_add_tcase(s, tc);
  return s;
}
