/* check_attn.c: unit tests of the attention engine (src/engine/attn.c), linked against the
 * engine library alone.
 *
 * Hand-computed cases: the logits of a 1 x 2 sequence, the bilinear form with W_E = I; the
 * untied realisation of [[1, 2], [2, 1]] (eigenvalues 3 and -1; logits / sqrt(d_k) = S) and
 * the failure when d_k < rank; the tied lower bound on diag(2, -1) (bound 1 = ||L_neg||,
 * W = [sqrt 2, 0]) and on diag(3, 2, -1) at width 1 (bound sqrt(5)); Eckart-Young on
 * diag(3, -5, 1, 0) (S_1 keeps -5, error sqrt(10)); the pseudo-inverse of the rank-1
 * [[1,2],[2,4],[0,0]] (A^T / 25) and of a wide diagonal matrix, and the values built on it;
 * the QRPT distance of diag(1, 2, 0) to span(e_1) (2); error handling and every allocation
 * check of every function.  The eigen-decomposition and the SVD underneath are spectral.c's
 * (tests/check_spectral.c). */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "attn.h"
#include "err.h"
#include "select.h"
#include "tol.h"
#include "resid.h"
#include "spectral.h"
#include "testutil.h"

/* || A - B ||_F */
static double dist(const gsl_matrix *A, const gsl_matrix *B) { return dp_resid_diff(A, B, 0); }

/* --- logits ---------------------------------------------------------------------------- */

START_TEST(test_embed_logits)
{
  const double we[] = {1, 2, 3, 4, 5, 6}; /* V = 3, d = 2 */
  gsl_matrix *W_E = mat(3, 2, we), *H = gsl_matrix_alloc(3, 2);
  size_t t[] = {2, 0, 2};
  ck_assert_int_eq(dp_attn_embed(t, 3, W_E, H), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(H, 0, 0) == 5 && gsl_matrix_get(H, 0, 1) == 6);
  ck_assert(gsl_matrix_get(H, 1, 0) == 1 && gsl_matrix_get(H, 2, 1) == 6);
  /* H = [1 2], W_Q = [1; 0], W_K = [0; 1]: (H W_Q)(H W_K)^T = 1 * 2 */
  const double h[] = {1, 2}, q[] = {1, 0}, k[] = {0, 1};
  gsl_matrix *H1 = mat(1, 2, h), *Wq = mat(2, 1, q), *Wk = mat(2, 1, k), *L = gsl_matrix_alloc(1, 1);
  ck_assert_int_eq(dp_attn_logits(H1, Wq, Wk, L), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(L, 0, 0) == 2.0);
  /* bilinear with W_E = I: G = W_Q W_K^T = [[0 1], [0 0]] */
  const double id[] = {1, 0, 0, 1};
  gsl_matrix *I2 = mat(2, 2, id), *G = gsl_matrix_alloc(2, 2);
  ck_assert_int_eq(dp_attn_bilinear(I2, Wq, Wk, G), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(G, 0, 1) == 1.0 && gsl_matrix_get(G, 1, 0) == 0.0);
  ck_assert(gsl_matrix_get(G, 0, 0) == 0.0 && gsl_matrix_get(G, 1, 1) == 0.0);
  /* scores: t = (1, 0) over W_E = I, d_k = 4 with W_Q = W_K = 2 I_{2x4}: logits 4 I, / 2 */
  gsl_matrix *W4 = gsl_matrix_calloc(2, 4), *L2 = gsl_matrix_alloc(2, 2);
  gsl_matrix_set(W4, 0, 0, 2.0);
  gsl_matrix_set(W4, 1, 1, 2.0);
  size_t t2[] = {1, 0};
  double nH = 0.0;
  ck_assert_int_eq(dp_attn_scores(t2, 2, I2, W4, W4, L2, &nH), GSL_SUCCESS);
  ck_assert(gsl_matrix_get(L2, 0, 0) == 2.0 && gsl_matrix_get(L2, 1, 1) == 2.0);
  ck_assert(gsl_matrix_get(L2, 0, 1) == 0.0);
  ck_assert_near(nH, sqrt(2.0), 2);
  ck_assert_int_eq(dp_attn_scores(t2, 2, I2, W4, W4, L2, NULL), GSL_SUCCESS);
  gsl_matrix_free(W_E);
  gsl_matrix_free(H);
  gsl_matrix_free(H1);
  gsl_matrix_free(Wq);
  gsl_matrix_free(Wk);
  gsl_matrix_free(L);
  gsl_matrix_free(I2);
  gsl_matrix_free(G);
  gsl_matrix_free(W4);
  gsl_matrix_free(L2);
}
END_TEST

START_TEST(test_logits_errors)
{
  gsl_matrix *A = gsl_matrix_calloc(3, 2), *B = gsl_matrix_calloc(2, 2), *C = gsl_matrix_calloc(2, 3);
  gsl_matrix *L = gsl_matrix_calloc(3, 3);
  size_t t[] = {0, 5, 1};
  ck_assert_int_eq(dp_attn_embed(NULL, 1, A, B), GSL_EFAULT);
  ck_assert_int_eq(dp_attn_embed(t, 3, A, B), GSL_EBADLEN); /* H must be 3 x 2 */
  gsl_matrix *H = gsl_matrix_alloc(3, 2);
  ck_assert_int_eq(dp_attn_embed(t, 3, A, H), GSL_EINVAL); /* token 5 >= V = 3 */
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "token t[1] = 5 out of range (V = 3)"));
  ck_assert_int_eq(dp_attn_logits(NULL, B, B, L), GSL_EFAULT);
  ck_assert_int_eq(dp_attn_logits(A, C, B, L), GSL_EBADLEN); /* W_Q 2 x 3 vs W_K 2 x 2 */
  ck_assert_int_eq(dp_attn_logits(A, B, B, B), GSL_EBADLEN); /* L 2 x 2, R = 3 */
  ck_assert_int_eq(dp_attn_bilinear(A, B, NULL, L), GSL_EFAULT);
  ck_assert_int_eq(dp_attn_bilinear(A, B, B, B), GSL_EBADLEN); /* G must be V x V = 3 x 3 */
  ck_assert_int_eq(dp_attn_scores(t, 0, A, B, B, L, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_attn_scores(t, 3, A, NULL, B, L, NULL), GSL_EFAULT);
  ck_assert_int_eq(dp_attn_scores(t, 3, A, B, B, L, NULL), GSL_EINVAL);
  gsl_matrix_free(A);
  gsl_matrix_free(B);
  gsl_matrix_free(C);
  gsl_matrix_free(L);
  gsl_matrix_free(H);
}
END_TEST

/* --- realisation ----------------------------------------------------------------------- */

START_TEST(test_realise_2x2)
{
  /* S = [[1,2],[2,1]] = 3 u u^T - v v^T, u = (1,1)/sqrt2, v = (1,-1)/sqrt2 */
  const double s[] = {1, 2, 2, 1};
  gsl_matrix *S = mat(2, 2, s);
  struct dp_spectral_eig e;
  ck_assert_int_eq(dp_spectral_eig_make(S, &e), GSL_SUCCESS);
  ck_assert_uint_eq(e.rank, 2);
  ck_assert_uint_eq(e.npos, 1);
  ck_assert_uint_eq(e.nneg, 1);
  size_t d = 3, dk = 2;
  gsl_matrix *W_E = gsl_matrix_alloc(2, d), *W_Q = gsl_matrix_alloc(d, dk), *W_K = gsl_matrix_alloc(d, dk);
  ck_assert_int_eq(dp_attn_realise(&e, d, dk, W_E, W_Q, W_K), GSL_SUCCESS);
  /* W_E = [sqrt3 u, 1 v, 0] up to the signs of u and v */
  ck_assert_near(fabs(gsl_matrix_get(W_E, 0, 0)), sqrt(1.5), 4);
  ck_assert_near(fabs(gsl_matrix_get(W_E, 1, 1)), sqrt(0.5), 4);
  ck_assert(gsl_matrix_get(W_E, 0, 2) == 0.0 && gsl_matrix_get(W_E, 1, 2) == 0.0);
  /* W_Q = I_{3x2}, W_K = sqrt2 diag(+1, -1) in the top block */
  ck_assert(gsl_matrix_get(W_Q, 0, 0) == 1.0 && gsl_matrix_get(W_Q, 1, 1) == 1.0);
  ck_assert(gsl_matrix_get(W_Q, 2, 0) == 0.0 && gsl_matrix_get(W_Q, 0, 1) == 0.0);
  ck_assert(gsl_matrix_get(W_K, 0, 0) == sqrt(2.0) && gsl_matrix_get(W_K, 1, 1) == -sqrt(2.0));
  ck_assert(gsl_matrix_get(W_K, 2, 1) == 0.0);
  /* logits / sqrt(d_k) on t = (0, 1, 1) equal M = Q S Q^T */
  size_t t[] = {0, 1, 1};
  gsl_matrix *L = gsl_matrix_alloc(3, 3), *M = gsl_matrix_alloc(3, 3);
  ck_assert_int_eq(dp_attn_scores(t, 3, W_E, W_Q, W_K, L, NULL), GSL_SUCCESS);
  ck_assert_int_eq(dp_select_gather(S, t, 3, M), GSL_SUCCESS);
  ck_assert_msg(dist(L, M) <= 16 * DBL_EPSILON, "||L - M|| = %g", dist(L, M));
  /* d_k = 1 < rank 2: not realisable */
  gsl_matrix *Q1 = gsl_matrix_alloc(d, 1), *K1 = gsl_matrix_alloc(d, 1);
  ck_assert_int_eq(dp_attn_realise(&e, d, 1, W_E, Q1, K1), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "exceeds"));
  ck_assert_int_eq(dp_attn_realise(&e, d, 2, W_E, Q1, K1), GSL_EBADLEN);
  ck_assert_int_eq(dp_attn_realise(NULL, d, 2, W_E, W_Q, W_K), GSL_EFAULT);
  ck_assert_int_eq(dp_attn_realise(&e, 0, 2, W_E, W_Q, W_K), GSL_EBADLEN);
  dp_spectral_eig_free(&e);
  gsl_matrix_free(S);
  gsl_matrix_free(W_E);
  gsl_matrix_free(W_Q);
  gsl_matrix_free(W_K);
  gsl_matrix_free(L);
  gsl_matrix_free(M);
  gsl_matrix_free(Q1);
  gsl_matrix_free(K1);
}
END_TEST

START_TEST(test_tied_bound)
{
  /* diag(2, -1): the best W W^T is diag(2, 0), so the bound is ||L_neg|| = 1 */
  const double d1[] = {2, -1};
  gsl_matrix *S = diag(2, d1), *W = gsl_matrix_alloc(2, 2), *WW = gsl_matrix_alloc(2, 2);
  struct dp_spectral_eig e;
  double bound = -1;
  ck_assert_int_eq(dp_spectral_eig_make(S, &e), GSL_SUCCESS);
  ck_assert_int_eq(dp_attn_tied(&e, 2, W, &bound), GSL_SUCCESS);
  ck_assert_near(bound, 1.0, 4);
  ck_assert_near(fabs(gsl_matrix_get(W, 0, 0)), sqrt(2.0), 4);
  ck_assert(gsl_matrix_get(W, 1, 0) == 0.0 && gsl_matrix_get(W, 0, 1) == 0.0);
  ck_assert(gsl_matrix_get(W, 1, 1) == 0.0);
  gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, W, W, 0.0, WW);
  ck_assert_near(dist(S, WW), 1.0, 8); /* attained */
  /* as Transformer weights: d = 3, d_k = 2; logits / sqrt(d_k) = W W^T on t = (0, 1) */
  gsl_matrix *W_E = gsl_matrix_alloc(2, 3), *W_Q = gsl_matrix_alloc(3, 2), *W_K = gsl_matrix_alloc(3, 2);
  ck_assert_int_eq(dp_attn_realise_tied(&e, 3, 2, W_E, W_Q, W_K, &bound), GSL_SUCCESS);
  ck_assert_near(bound, 1.0, 4);
  ck_assert_near(gsl_matrix_get(W_Q, 0, 0), pow(2.0, 0.25), 2);
  ck_assert(gsl_matrix_get(W_Q, 2, 1) == 0.0 && gsl_matrix_get(W_K, 1, 1) == gsl_matrix_get(W_Q, 1, 1));
  size_t t[] = {0, 1};
  gsl_matrix *L = gsl_matrix_alloc(2, 2);
  ck_assert_int_eq(dp_attn_scores(t, 2, W_E, W_Q, W_K, L, NULL), GSL_SUCCESS);
  ck_assert_near(gsl_matrix_get(L, 0, 0), 2.0, 8);
  ck_assert(fabs(gsl_matrix_get(L, 1, 1)) <= 8 * DBL_EPSILON); /* -1 is out of reach */
  dp_spectral_eig_free(&e);
  /* diag(3, 2, -1) at width 1: keep 3, leave 2 and -1: bound sqrt(4 + 1) */
  const double d2[] = {3, 2, -1};
  gsl_matrix *S3 = diag(3, d2), *W1 = gsl_matrix_alloc(3, 1);
  ck_assert_int_eq(dp_spectral_eig_make(S3, &e), GSL_SUCCESS);
  ck_assert_int_eq(dp_attn_tied(&e, 1, W1, &bound), GSL_SUCCESS);
  ck_assert_near(bound, sqrt(5.0), 4);
  ck_assert_near(fabs(gsl_matrix_get(W1, 0, 0)), sqrt(3.0), 4);
  /* errors */
  ck_assert_int_eq(dp_attn_tied(&e, 2, W1, &bound), GSL_EBADLEN);
  ck_assert_int_eq(dp_attn_tied(&e, 1, W1, NULL), GSL_EFAULT);
  ck_assert_int_eq(dp_attn_realise_tied(&e, 3, 2, W_E, W_Q, W_K, &bound), GSL_EBADLEN);
  dp_spectral_eig_free(&e);
  gsl_matrix_free(S);
  gsl_matrix_free(W);
  gsl_matrix_free(WW);
  gsl_matrix_free(W_E);
  gsl_matrix_free(W_Q);
  gsl_matrix_free(W_K);
  gsl_matrix_free(L);
  gsl_matrix_free(S3);
  gsl_matrix_free(W1);
}
END_TEST

/* --- Eckart-Young ---------------------------------------------------------------------- */

START_TEST(test_eckart_young_diagonal)
{
  const double d[] = {3, -5, 1, 0};
  gsl_matrix *S = diag(4, d), *Sk = gsl_matrix_alloc(4, 4);
  struct dp_spectral_eig e;
  ck_assert_int_eq(dp_spectral_eig_make(S, &e), GSL_SUCCESS);
  ck_assert_uint_eq(e.rank, 3);
  ck_assert_int_eq(dp_attn_truncate(&e, 1, Sk), GSL_SUCCESS);
  ck_assert_near(gsl_matrix_get(Sk, 1, 1), -5.0, 8); /* the largest |lambda|, not lambda */
  ck_assert(fabs(gsl_matrix_get(Sk, 0, 0)) <= 8 * DBL_EPSILON);
  ck_assert_near(dist(S, Sk), sqrt(10.0), 16);
  ck_assert_int_eq(dp_attn_truncate(&e, 0, Sk), GSL_SUCCESS);
  ck_assert(dp_resid_norm(Sk) == 0.0);
  ck_assert_int_eq(dp_attn_truncate(&e, 4, Sk), GSL_SUCCESS);
  ck_assert(dist(S, Sk) <= 16 * DBL_EPSILON);
  ck_assert_int_eq(dp_attn_truncate(&e, 5, Sk), GSL_EBADLEN);
  ck_assert_int_eq(dp_attn_truncate(NULL, 1, Sk), GSL_EFAULT);
  dp_spectral_eig_free(&e);
  gsl_matrix_free(S);
  gsl_matrix_free(Sk);
}
END_TEST

/* --- values ---------------------------------------------------------------------------- */

START_TEST(test_pinv)
{
  /* rank 1: A = u v^T, A^+ = A^T / ||A||_F^2 = A^T / 25 */
  const double a[] = {1, 2, 2, 4, 0, 0};
  gsl_matrix *A = mat(3, 2, a), *Ap = gsl_matrix_alloc(2, 3);
  size_t rank = 9;
  double cond = 0;
  ck_assert_int_eq(dp_spectral_pinv(A, Ap, &rank, &cond), GSL_SUCCESS);
  ck_assert_uint_eq(rank, 1);
  ck_assert_near(cond, 1.0, 1);
  for (size_t i = 0; i < 2; i++)
    for (size_t j = 0; j < 3; j++)
      ck_assert_near(gsl_matrix_get(Ap, i, j), gsl_matrix_get(A, j, i) / 25.0, 8);
  /* wide: [[1,0,0],[0,2,0]]^+ = [[1,0],[0,1/2],[0,0]], condition 2 */
  const double b[] = {1, 0, 0, 0, 2, 0};
  gsl_matrix *B = mat(2, 3, b), *Bp = gsl_matrix_alloc(3, 2);
  ck_assert_int_eq(dp_spectral_pinv(B, Bp, &rank, &cond), GSL_SUCCESS);
  ck_assert_uint_eq(rank, 2);
  ck_assert_near(cond, 2.0, 2);
  ck_assert_near(gsl_matrix_get(Bp, 0, 0), 1.0, 4);
  ck_assert_near(gsl_matrix_get(Bp, 1, 1), 0.5, 4);
  ck_assert(fabs(gsl_matrix_get(Bp, 2, 0)) <= 4 * DBL_EPSILON);
  ck_assert(fabs(gsl_matrix_get(Bp, 0, 1)) <= 4 * DBL_EPSILON);
  ck_assert_int_eq(dp_spectral_pinv(B, Bp, NULL, NULL), GSL_SUCCESS);
  /* zero matrix: zero pseudo-inverse, rank 0, condition 1 */
  gsl_matrix *Z = gsl_matrix_calloc(2, 2), *Zp = gsl_matrix_alloc(2, 2);
  gsl_matrix_set_all(Zp, 7.0);
  ck_assert_int_eq(dp_spectral_pinv(Z, Zp, &rank, &cond), GSL_SUCCESS);
  ck_assert_uint_eq(rank, 0);
  ck_assert(cond == 1.0 && dp_resid_norm(Zp) == 0.0);
  /* values: W_E = A (col = span(1,2,0)), S = [[1,2,0],[2,4,0],[0,0,0]] = A[:,0] A[:,0]^T is
   * inside col(W_E): W_E W_V = S */
  const double s[] = {1, 2, 0, 2, 4, 0, 0, 0, 0};
  gsl_matrix *S = mat(3, 3, s), *W_V = gsl_matrix_alloc(2, 3), *P = gsl_matrix_alloc(3, 3);
  ck_assert_int_eq(dp_attn_values(A, S, W_V, &rank, &cond), GSL_SUCCESS);
  gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, A, W_V, 0.0, P);
  ck_assert(dist(P, S) <= 32 * DBL_EPSILON);
  /* errors */
  ck_assert_int_eq(dp_spectral_pinv(A, A, NULL, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_spectral_pinv(NULL, Ap, NULL, NULL), GSL_EFAULT);
  ck_assert_int_eq(dp_attn_values(A, S, P, NULL, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_attn_values(NULL, S, W_V, NULL, NULL), GSL_EFAULT);
  gsl_matrix_set(A, 0, 0, NAN);
  ck_assert_int_eq(dp_attn_values(A, S, W_V, NULL, NULL), GSL_EDOM);
  gsl_matrix_free(A);
  gsl_matrix_free(Ap);
  gsl_matrix_free(B);
  gsl_matrix_free(Bp);
  gsl_matrix_free(Z);
  gsl_matrix_free(Zp);
  gsl_matrix_free(S);
  gsl_matrix_free(W_V);
  gsl_matrix_free(P);
}
END_TEST

START_TEST(test_col_distance)
{
  /* W_E = e_1 (3 x 1), S = diag(1, 2, 0): the part of S outside span(e_1) is 2 e_2 e_2^T */
  const double w[] = {1, 0, 0}, d[] = {1, 2, 0};
  gsl_matrix *W = mat(3, 1, w), *S = diag(3, d);
  double dd = -1;
  size_t q = 9;
  ck_assert_int_eq(dp_attn_col_distance(W, S, &dd, &q), GSL_SUCCESS);
  ck_assert_uint_eq(q, 1);
  ck_assert_near(dd, 2.0, 4);
  /* a wide W_E of full row rank contains everything */
  const double w2[] = {1, 1, 0, 0, 1, 1, 1, 0, 1};
  gsl_matrix *W2 = mat(3, 3, w2);
  ck_assert_int_eq(dp_attn_col_distance(W2, S, &dd, NULL), GSL_SUCCESS);
  ck_assert(dd == 0.0);
  const double w3[] = {1, 0, 2, 0, 1, 0}; /* 2 x 3 against a 2 x 2 S */
  gsl_matrix *W3 = mat(2, 3, w3), *S2 = gsl_matrix_calloc(2, 2);
  gsl_matrix_set(S2, 1, 1, 1.0);
  ck_assert_int_eq(dp_attn_col_distance(W3, S2, &dd, &q), GSL_SUCCESS);
  ck_assert(dd == 0.0 && q == 2);
  /* rank-deficient W_E: two equal columns span one direction */
  const double w4[] = {1, 1, 0, 0, 0, 0};
  gsl_matrix *W4 = mat(3, 2, w4);
  ck_assert_int_eq(dp_attn_col_distance(W4, S, &dd, &q), GSL_SUCCESS);
  ck_assert_uint_eq(q, 1);
  ck_assert_near(dd, 2.0, 4);
  /* errors */
  ck_assert_int_eq(dp_attn_col_distance(W, S2, &dd, &q), GSL_EBADLEN);
  ck_assert_int_eq(dp_attn_col_distance(W, S, NULL, &q), GSL_EBADLEN);
  gsl_matrix_set(S, 0, 0, NAN);
  ck_assert_int_eq(dp_attn_col_distance(W, S, &dd, &q), GSL_EDOM);
  gsl_matrix_free(W);
  gsl_matrix_free(S);
  gsl_matrix_free(W2);
  gsl_matrix_free(W3);
  gsl_matrix_free(S2);
  gsl_matrix_free(W4);
}
END_TEST

/* --- error handling: fault injection and broken instances ------------------------------ */

START_TEST(test_engine_out_of_memory)
{
  const double s[] = {1, 2, 2, 1}, w[] = {1, 2, 2, 4, 0, 0};
  gsl_matrix *S = mat(2, 2, s), *Sk = gsl_matrix_alloc(2, 2), *U = gsl_matrix_alloc(2, 2);
  gsl_matrix *A = mat(3, 2, w), *Ap = gsl_matrix_alloc(2, 3), *S3 = gsl_matrix_calloc(3, 3);
  gsl_matrix *W_V = gsl_matrix_alloc(2, 3), *L = gsl_matrix_alloc(2, 2), *W = gsl_matrix_alloc(2, 2);
  gsl_matrix *W_E = gsl_matrix_alloc(2, 2), *W_Q = gsl_matrix_alloc(2, 2), *W_K = gsl_matrix_alloc(2, 2);
  gsl_vector *l = gsl_vector_alloc(2);
  size_t t[] = {0, 1};
  double x = 0;
  int st = 0;
  struct dp_spectral_eig e;
  ck_assert_int_eq(dp_spectral_eig_make(S, &e), GSL_SUCCESS);
  INJECT(st = dp_attn_realise_tied(&e, 2, 2, W_E, W_Q, W_K, &x), st == GSL_ENOMEM);
  INJECT(st = dp_attn_truncate(&e, 1, Sk), st == GSL_ENOMEM);
  ck_assert_int_eq(dp_attn_realise(&e, 2, 2, W_E, W_Q, W_K), GSL_SUCCESS);
  INJECT(st = dp_attn_scores(t, 2, W_E, W_Q, W_K, L, NULL), st == GSL_ENOMEM);
  INJECT(st = dp_attn_bilinear(W_E, W_Q, W_K, W), st == GSL_ENOMEM);
  INJECT(st = dp_attn_values(A, S3, W_V, NULL, NULL), st == GSL_ENOMEM);
  INJECT(st = dp_attn_col_distance(A, S3, &x, NULL), st == GSL_ENOMEM);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "out of memory") ? "x" : NULL);
  dp_spectral_eig_free(&e);
  gsl_matrix_free(S);
  gsl_matrix_free(Sk);
  gsl_matrix_free(U);
  gsl_matrix_free(A);
  gsl_matrix_free(Ap);
  gsl_matrix_free(S3);
  gsl_matrix_free(W_V);
  gsl_matrix_free(L);
  gsl_matrix_free(W);
  gsl_matrix_free(W_E);
  gsl_matrix_free(W_Q);
  gsl_matrix_free(W_K);
  gsl_vector_free(l);
}
END_TEST

/* Least squares off the optimum: W_E = e_1 (2 x 1), S = I.  W_V = W_E^+ S = [1 0] leaves
 * the normal equations at 0; W_V off by 1e-6 moves them by 1e-6 (first order) while the
 * residual's norm moves by 5e-13 only (second order): the reason C10 tests them. */
START_TEST(test_normal_residual)
{
  const double we[] = {1, 0}, eye[] = {1, 0, 0, 1}, wv[] = {1, 0}, off[] = {1 + 1e-6, 0};
  gsl_matrix *W_E = mat(2, 1, we), *S = mat(2, 2, eye), *W_V = mat(1, 2, wv), *W_off = mat(1, 2, off);
  double ne = -1, r = -1, ne2 = -1, r2 = -1;
  ck_assert_int_eq(dp_attn_normal_residual(W_E, W_V, S, &ne, &r), GSL_SUCCESS);
  ck_assert(ne == 0.0 && r == 1.0);
  ck_assert_int_eq(dp_attn_normal_residual(W_E, W_off, S, &ne2, &r2), GSL_SUCCESS);
  ck_assert_near(ne2, 1e-6, 1e4);
  ck_assert(fabs(r2 - r) < 1e-12); /* stationary: the residual barely notices */
  /* shapes are checked */
  ck_assert_int_eq(dp_attn_normal_residual(W_E, S, S, &ne, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_attn_normal_residual(NULL, W_V, S, &ne, NULL), GSL_EFAULT);
  int st = 0;
  INJECT(st = dp_attn_normal_residual(W_E, W_V, S, &ne, NULL), st == GSL_ENOMEM);
  gsl_matrix_free(W_E);
  gsl_matrix_free(S);
  gsl_matrix_free(W_V);
  gsl_matrix_free(W_off);
}
END_TEST


/* The untied realisation of a non-symmetric rank-one A = u v^T: rank 1, col + row of
 * dimension 2; d = 2, d_k = 1 realise it, d = 1 cannot. */
START_TEST(test_realise_directed)
{
  const double a[] = {0, 2, 0, 0, 1, 0, 0, 0, 0}; /* u = (2, 1, 0), v = (0, 1, 0) */
  gsl_matrix *A = mat(3, 3, a), *W_E = gsl_matrix_alloc(3, 2), *W_Q = gsl_matrix_alloc(2, 1);
  gsl_matrix *W_K = gsl_matrix_alloc(2, 1), *G = gsl_matrix_alloc(3, 3);
  struct dp_attn_directed s;
  ck_assert_int_eq(dp_attn_directed_shape(A, &s), GSL_SUCCESS);
  ck_assert_uint_eq(s.rank, 1);
  ck_assert_uint_eq(s.dim, 2);
  ck_assert(s.dropped <= 1e-15);
  ck_assert_int_eq(dp_attn_realise_directed(A, 2, 1, W_E, W_Q, W_K, &s), GSL_SUCCESS);
  ck_assert_int_eq(dp_attn_bilinear(W_E, W_Q, W_K, G), GSL_SUCCESS);
  gsl_matrix_scale(G, 1.0); /* d_k = 1: no scaling */
  ck_assert(dp_resid_diff(G, A, 0) <= 32 * DBL_EPSILON * dp_resid_norm(A));
  gsl_matrix *E1 = gsl_matrix_alloc(3, 1), *Q1 = gsl_matrix_alloc(1, 1), *K1 = gsl_matrix_alloc(1, 1);
  ck_assert_int_eq(dp_attn_realise_directed(A, 1, 1, E1, Q1, K1, NULL), GSL_EINVAL);
  /* a symmetric A needs no more width than its rank */
  const double sy[] = {1, 1, 0, 1, 1, 0, 0, 0, 0};
  gsl_matrix *S = mat(3, 3, sy);
  ck_assert_int_eq(dp_attn_directed_shape(S, &s), GSL_SUCCESS);
  ck_assert_uint_eq(s.rank, 1);
  ck_assert_uint_eq(s.dim, 1);
  ck_assert_int_eq(dp_attn_directed_shape(W_E, &s), GSL_EBADLEN);
  ck_assert_int_eq(dp_attn_directed_shape(NULL, &s), GSL_EFAULT);
  ck_assert_int_eq(dp_attn_realise_directed(A, 2, 1, W_Q, W_Q, W_K, NULL), GSL_EBADLEN);
  INJECT(int st = dp_attn_realise_directed(A, 2, 1, W_E, W_Q, W_K, NULL), st == GSL_ENOMEM);
  INJECT(int st = dp_attn_directed_shape(A, &s), st == GSL_ENOMEM);
  gsl_matrix_free(A);
  gsl_matrix_free(W_E);
  gsl_matrix_free(W_Q);
  gsl_matrix_free(W_K);
  gsl_matrix_free(G);
  gsl_matrix_free(E1);
  gsl_matrix_free(Q1);
  gsl_matrix_free(K1);
  gsl_matrix_free(S);
}
END_TEST


/* A part of the spectrum: pairs lo..lo+k-1 of the |lambda| order; no pairs is 0 wherever lo
 * is (a head past the vocabulary), pairs past V are an error. */
START_TEST(test_spectral_part)
{
  const double d[] = {3, -2, 1};
  gsl_matrix *S = diag(3, d), *P = gsl_matrix_alloc(3, 3), *T = gsl_matrix_alloc(3, 3);
  struct dp_spectral_eig e;
  ck_assert_int_eq(dp_spectral_eig_make(S, &e), GSL_SUCCESS);
  ck_assert_int_eq(dp_attn_spectral_part(&e, 1, 1, P), GSL_SUCCESS); /* the -2 pair */
  ck_assert_near(gsl_matrix_get(P, 1, 1), -2.0, 4);
  ck_assert(fabs(gsl_matrix_get(P, 0, 0)) + fabs(gsl_matrix_get(P, 2, 2)) <= 8 * DBL_EPSILON);
  ck_assert_int_eq(dp_attn_spectral_part(&e, 0, 2, P), GSL_SUCCESS);
  ck_assert_int_eq(dp_attn_truncate(&e, 2, T), GSL_SUCCESS);
  ck_assert_uint_eq(dp_resid_mismatch(P, T, 0, NULL), 0);
  ck_assert_int_eq(dp_attn_spectral_part(&e, 7, 0, P), GSL_SUCCESS);
  ck_assert(dp_resid_norm(P) == 0.0);
  ck_assert_int_eq(dp_attn_spectral_part(&e, 2, 2, P), GSL_EBADLEN);
  ck_assert_int_eq(dp_attn_spectral_part(&e, 3, 1, P), GSL_EBADLEN);
  ck_assert_int_eq(dp_attn_spectral_part(NULL, 0, 1, P), GSL_EFAULT);
  INJECT(int st = dp_attn_spectral_part(&e, 1, 2, P), st == GSL_ENOMEM);
  dp_spectral_eig_free(&e);
  gsl_matrix_free(S);
  gsl_matrix_free(P);
  gsl_matrix_free(T);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("attn");
  TCase *tc = tcase_create("logits");
  tcase_add_test(tc, test_embed_logits);
  tcase_add_test(tc, test_logits_errors);
  suite_add_tcase(s, tc);
  tc = tcase_create("realisation");
  tcase_add_test(tc, test_realise_2x2);
  tcase_add_test(tc, test_tied_bound);
  tcase_add_test(tc, test_realise_directed);
  suite_add_tcase(s, tc);
  tc = tcase_create("truncation");
  tcase_add_test(tc, test_eckart_young_diagonal);
  tcase_add_test(tc, test_spectral_part);
  suite_add_tcase(s, tc);
  tc = tcase_create("values");
  tcase_add_test(tc, test_pinv);
  tcase_add_test(tc, test_col_distance);
  tcase_add_test(tc, test_normal_residual);
  suite_add_tcase(s, tc);
  tc = tcase_create("errors");
  tcase_add_test(tc, test_engine_out_of_memory);
  tcase_set_timeout(tc, 300);
  tcase_set_tags(tc, "slow"); /* left out of `make check-quick` */
  suite_add_tcase(s, tc);
  return s;
}
