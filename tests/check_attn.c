/* check_attn.c: unit tests of the attention engine (attn.c, gen_attn.c; claims C07-C10).
 *
 * Hand-computed cases: the logits of a 1 x 2 sequence, the bilinear form with W_E = I; the
 * eigen split of diag(2, 0, -1) and of [[1, 2], [2, 1]] (eigenvalues 3 and -1) with its
 * untied realisation (logits / sqrt(d_k) = S) and the failure when d_k < rank; the tied
 * lower bound on diag(2, -1) (bound 1 = ||L_neg||, W = [sqrt 2, 0]) and on diag(3, 2, -1)
 * at width 1 (bound sqrt(5)); Eckart-Young on diag(3, -5, 1, 0) (S_1 keeps -5, error
 * sqrt(10), singular values 5, 3, 1, 0); the pseudo-inverse of the rank-1 [[1,2],[2,4],[0,0]]
 * (A^T / 25) and of a wide diagonal matrix; the QRPT distance of diag(1, 2, 0) to span(e_1)
 * (2).  Then the eigensolver on the matrix that makes GSL's symmetric QR loop forever, the
 * generator families (premise frequencies, shapes, shrinking, W_E's rows following the
 * words), the real-text instance on a small corpus, and error handling of every function. */
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

#include "dp.h"

#define ck_assert_near(x, want, k)                                                              \
  ck_assert_msg(fabs((x) - (want)) <= (k) * DBL_EPSILON * fmax(1.0, fabs(want)),              \
                "%s = %.17g, expected %.17g", #x, (double)(x), (double)(want))

static gsl_matrix *mat(size_t m, size_t n, const double *a)
{
  gsl_matrix *A = gsl_matrix_alloc(m, n);
  for (size_t i = 0; i < m; i++)
    for (size_t j = 0; j < n; j++)
      gsl_matrix_set(A, i, j, a[i * n + j]);
  return A;
}

static gsl_matrix *diag(size_t n, const double *d)
{
  gsl_matrix *A = gsl_matrix_calloc(n, n);
  for (size_t i = 0; i < n; i++)
    gsl_matrix_set(A, i, i, d[i]);
  return A;
}

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
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "token 1 = 5"));
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

/* --- eigen-decomposition --------------------------------------------------------------- */

START_TEST(test_eigen_split)
{
  const double dg[] = {2, 0, -1};
  gsl_matrix *S = diag(3, dg);
  struct dp_attn_eig e;
  ck_assert_int_eq(dp_attn_eig_make(S, &e), GSL_SUCCESS);
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
  ck_assert_near(dp_attn_eig_nuclear(&e, 3), 3.0, 8);
  ck_assert_near(dp_attn_eig_nuclear(&e, 1), 2.0, 8);
  ck_assert_near(dp_attn_eig_nuclear(&e, 99), 3.0, 8);
  dp_attn_eig_free(&e);
  dp_attn_eig_free(NULL);
  /* [[0,1],[1,0]]: eigenvalues 1, -1 with (1,1)/sqrt2 and (1,-1)/sqrt2 */
  const double a[] = {0, 1, 1, 0};
  gsl_matrix *A = mat(2, 2, a), *U = gsl_matrix_alloc(2, 2);
  gsl_vector *l = gsl_vector_alloc(2);
  ck_assert_int_eq(dp_attn_eigen(A, l, U), GSL_SUCCESS);
  ck_assert_near(gsl_vector_get(l, 0), 1.0, 4);
  ck_assert_near(gsl_vector_get(l, 1), -1.0, 4);
  ck_assert_near(fabs(gsl_matrix_get(U, 0, 0)), sqrt(0.5), 4);
  ck_assert(gsl_matrix_get(U, 0, 0) * gsl_matrix_get(U, 1, 0) > 0);
  ck_assert(gsl_matrix_get(U, 0, 1) * gsl_matrix_get(U, 1, 1) < 0);
  /* values only, and a 1 x 1 matrix */
  gsl_vector_set_zero(l);
  ck_assert_int_eq(dp_attn_eigen(A, l, NULL), GSL_SUCCESS);
  ck_assert_near(gsl_vector_get(l, 0), 1.0, 4);
  ck_assert_near(gsl_vector_get(l, 1), -1.0, 4);
  const double one[] = {-7};
  gsl_matrix *A1 = mat(1, 1, one), *U1 = gsl_matrix_alloc(1, 1);
  gsl_vector *l1 = gsl_vector_alloc(1);
  ck_assert_int_eq(dp_attn_eigen(A1, l1, U1), GSL_SUCCESS);
  ck_assert(gsl_vector_get(l1, 0) == -7.0 && gsl_matrix_get(U1, 0, 0) == 1.0);
  ck_assert_int_eq(dp_attn_eigen(A1, l1, NULL), GSL_SUCCESS);
  /* scaled by 2^400 and 2^-400: the same eigenvalues, scaled exactly */
  for (int s = -1; s <= 1; s += 2) {
    gsl_matrix *B = mat(2, 2, a);
    gsl_matrix_scale(B, ldexp(1.0, 400 * s));
    ck_assert_int_eq(dp_attn_eigen(B, l, U), GSL_SUCCESS);
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

/* GSL's gsl_eigen_symm/symmv never return on this generated PPMI operator (V = 160, 122
 * non-zeros; trial 73 of C07 under the default seed, with OPENBLAS_NUM_THREADS=1): its
 * tridiagonal form has off-diagonal cascades down to subnormals.  dp_attn_eigen must return,
 * with a backward residual within the ratio tolerance. */
START_TEST(test_eigen_cascade)
{
  struct dp_sizes sz = {64, 200};
  uint64_t seed = dp_seed_instance(dp_seed_replay(DP_SEED_DEFAULT, 73), "C07");
  struct dp_inst *b = dp_inst_make(seed, &sz);
  ck_assert_uint_eq(b->V, 160);
  ck_assert_int_eq(b->kind, DP_SK_PPMI);
  gsl_vector *l = gsl_vector_alloc(b->V);
  gsl_matrix *U = gsl_matrix_alloc(b->V, b->V);
  ck_assert_int_eq(dp_attn_eigen(b->S, l, U), GSL_SUCCESS);
  double r = -1;
  ck_assert_int_eq(dp_spectral_eigen_ratio(b->S, l, U, &r), GSL_SUCCESS);
  ck_assert_msg(r <= DP_TOL_RATIO, "backward ratio %g", r);
  gsl_vector *l2 = gsl_vector_alloc(b->V);
  ck_assert_int_eq(dp_attn_eigen(b->S, l2, NULL), GSL_SUCCESS);
  for (size_t i = 0; i < b->V; i++)
    ck_assert(fabs(gsl_vector_get(l, i) - gsl_vector_get(l2, i)) <=
              DP_TOL_RATIO * b->V * DBL_EPSILON * fabs(gsl_vector_get(l, 0)));
  gsl_vector_free(l);
  gsl_vector_free(l2);
  gsl_matrix_free(U);
  dp_inst_free(b);
}
END_TEST

START_TEST(test_eigen_errors)
{
  gsl_matrix *A = gsl_matrix_calloc(2, 3), *S = gsl_matrix_calloc(2, 2), *U3 = gsl_matrix_alloc(3, 3);
  gsl_vector *l = gsl_vector_alloc(2), *l3 = gsl_vector_alloc(3);
  gsl_matrix empty = {0, 0, 0, NULL, NULL, 0};
  ck_assert_int_eq(dp_attn_eigen(NULL, l, NULL), GSL_EFAULT);
  ck_assert_int_eq(dp_attn_eigen(A, l, NULL), GSL_ENOTSQR);
  ck_assert_int_eq(dp_attn_eigen(&empty, l, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_attn_eigen(S, l3, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_attn_eigen(S, l, U3), GSL_EBADLEN);
  gsl_matrix_set(S, 1, 0, NAN);
  ck_assert_int_eq(dp_attn_eigen(S, l, NULL), GSL_EDOM);
  struct dp_attn_eig e;
  ck_assert_int_eq(dp_attn_eig_make(NULL, &e), GSL_EFAULT);
  ck_assert_int_eq(dp_attn_eig_make(A, &e), GSL_ENOTSQR);
  ck_assert_int_eq(dp_attn_eig_make(S, &e), GSL_EDOM);
  ck_assert_ptr_null(e.eval); /* freed on failure */
  gsl_matrix_free(A);
  gsl_matrix_free(S);
  gsl_matrix_free(U3);
  gsl_vector_free(l);
  gsl_vector_free(l3);
}
END_TEST

/* --- realisation ----------------------------------------------------------------------- */

START_TEST(test_realise_2x2)
{
  /* S = [[1,2],[2,1]] = 3 u u^T - v v^T, u = (1,1)/sqrt2, v = (1,-1)/sqrt2 */
  const double s[] = {1, 2, 2, 1};
  gsl_matrix *S = mat(2, 2, s);
  struct dp_attn_eig e;
  ck_assert_int_eq(dp_attn_eig_make(S, &e), GSL_SUCCESS);
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
  dp_attn_eig_free(&e);
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
  struct dp_attn_eig e;
  double bound = -1;
  ck_assert_int_eq(dp_attn_eig_make(S, &e), GSL_SUCCESS);
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
  dp_attn_eig_free(&e);
  /* diag(3, 2, -1) at width 1: keep 3, leave 2 and -1: bound sqrt(4 + 1) */
  const double d2[] = {3, 2, -1};
  gsl_matrix *S3 = diag(3, d2), *W1 = gsl_matrix_alloc(3, 1);
  ck_assert_int_eq(dp_attn_eig_make(S3, &e), GSL_SUCCESS);
  ck_assert_int_eq(dp_attn_tied(&e, 1, W1, &bound), GSL_SUCCESS);
  ck_assert_near(bound, sqrt(5.0), 4);
  ck_assert_near(fabs(gsl_matrix_get(W1, 0, 0)), sqrt(3.0), 4);
  /* errors */
  ck_assert_int_eq(dp_attn_tied(&e, 2, W1, &bound), GSL_EBADLEN);
  ck_assert_int_eq(dp_attn_tied(&e, 1, W1, NULL), GSL_EFAULT);
  ck_assert_int_eq(dp_attn_realise_tied(&e, 3, 2, W_E, W_Q, W_K, &bound), GSL_EBADLEN);
  dp_attn_eig_free(&e);
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
  struct dp_attn_eig e;
  ck_assert_int_eq(dp_attn_eig_make(S, &e), GSL_SUCCESS);
  ck_assert_uint_eq(e.rank, 3);
  ck_assert_int_eq(dp_attn_truncate(&e, 1, Sk), GSL_SUCCESS);
  ck_assert_near(gsl_matrix_get(Sk, 1, 1), -5.0, 8); /* the largest |lambda|, not lambda */
  ck_assert(fabs(gsl_matrix_get(Sk, 0, 0)) <= 8 * DBL_EPSILON);
  ck_assert_near(dist(S, Sk), sqrt(10.0), 16);
  gsl_vector *sg = gsl_vector_alloc(4);
  ck_assert_int_eq(dp_attn_singular_values(S, sg), GSL_SUCCESS);
  ck_assert_near(gsl_vector_get(sg, 0), 5.0, 4);
  ck_assert_near(gsl_vector_get(sg, 1), 3.0, 4);
  ck_assert_near(gsl_vector_get(sg, 2), 1.0, 4);
  ck_assert(fabs(gsl_vector_get(sg, 3)) <= 4 * DBL_EPSILON);
  ck_assert_near(dp_attn_ey_tail(sg, 1), sqrt(10.0), 8);
  ck_assert_near(dp_attn_ey_tail(sg, 2), 1.0, 8);
  ck_assert(dp_attn_ey_tail(sg, 4) == 0.0 && dp_attn_ey_tail(NULL, 0) == 0.0);
  ck_assert_int_eq(dp_attn_truncate(&e, 0, Sk), GSL_SUCCESS);
  ck_assert(dp_resid_norm(Sk) == 0.0);
  ck_assert_int_eq(dp_attn_truncate(&e, 4, Sk), GSL_SUCCESS);
  ck_assert(dist(S, Sk) <= 16 * DBL_EPSILON);
  ck_assert_int_eq(dp_attn_truncate(&e, 5, Sk), GSL_EBADLEN);
  ck_assert_int_eq(dp_attn_truncate(NULL, 1, Sk), GSL_EFAULT);
  /* a wide matrix: [3 4] has the singular value 5; scaled by 2^400 */
  const double w[] = {3, 4};
  gsl_matrix *A = mat(1, 2, w);
  gsl_vector *s1 = gsl_vector_alloc(1);
  ck_assert_int_eq(dp_attn_singular_values(A, s1), GSL_SUCCESS);
  ck_assert_near(gsl_vector_get(s1, 0), 5.0, 4);
  gsl_matrix_scale(A, ldexp(1.0, 400));
  ck_assert_int_eq(dp_attn_singular_values(A, s1), GSL_SUCCESS);
  ck_assert_near(ldexp(gsl_vector_get(s1, 0), -400), 5.0, 4);
  ck_assert_int_eq(dp_attn_singular_values(A, sg), GSL_EBADLEN);
  gsl_matrix_set(A, 0, 1, INFINITY);
  ck_assert_int_eq(dp_attn_singular_values(A, s1), GSL_EDOM);
  gsl_matrix empty = {0, 0, 0, NULL, NULL, 0};
  ck_assert_int_eq(dp_attn_singular_values(&empty, s1), GSL_EBADLEN);
  ck_assert_int_eq(dp_attn_singular_values(NULL, s1), GSL_EFAULT);
  dp_attn_eig_free(&e);
  gsl_matrix_free(S);
  gsl_matrix_free(Sk);
  gsl_vector_free(sg);
  gsl_matrix_free(A);
  gsl_vector_free(s1);
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
  ck_assert_int_eq(dp_attn_pinv(A, Ap, &rank, &cond), GSL_SUCCESS);
  ck_assert_uint_eq(rank, 1);
  ck_assert_near(cond, 1.0, 1);
  for (size_t i = 0; i < 2; i++)
    for (size_t j = 0; j < 3; j++)
      ck_assert_near(gsl_matrix_get(Ap, i, j), gsl_matrix_get(A, j, i) / 25.0, 8);
  /* wide: [[1,0,0],[0,2,0]]^+ = [[1,0],[0,1/2],[0,0]], condition 2 */
  const double b[] = {1, 0, 0, 0, 2, 0};
  gsl_matrix *B = mat(2, 3, b), *Bp = gsl_matrix_alloc(3, 2);
  ck_assert_int_eq(dp_attn_pinv(B, Bp, &rank, &cond), GSL_SUCCESS);
  ck_assert_uint_eq(rank, 2);
  ck_assert_near(cond, 2.0, 2);
  ck_assert_near(gsl_matrix_get(Bp, 0, 0), 1.0, 4);
  ck_assert_near(gsl_matrix_get(Bp, 1, 1), 0.5, 4);
  ck_assert(fabs(gsl_matrix_get(Bp, 2, 0)) <= 4 * DBL_EPSILON);
  ck_assert(fabs(gsl_matrix_get(Bp, 0, 1)) <= 4 * DBL_EPSILON);
  ck_assert_int_eq(dp_attn_pinv(B, Bp, NULL, NULL), GSL_SUCCESS);
  /* zero matrix: zero pseudo-inverse, rank 0, condition 1 */
  gsl_matrix *Z = gsl_matrix_calloc(2, 2), *Zp = gsl_matrix_alloc(2, 2);
  gsl_matrix_set_all(Zp, 7.0);
  ck_assert_int_eq(dp_attn_pinv(Z, Zp, &rank, &cond), GSL_SUCCESS);
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
  ck_assert_int_eq(dp_attn_pinv(A, A, NULL, NULL), GSL_EBADLEN);
  ck_assert_int_eq(dp_attn_pinv(NULL, Ap, NULL, NULL), GSL_EFAULT);
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

/* --- generator ------------------------------------------------------------------------- */

static size_t rank_of(const gsl_matrix *S)
{
  struct dp_attn_eig e;
  ck_assert_int_eq(dp_attn_eig_make(S, &e), GSL_SUCCESS);
  size_t r = e.rank;
  dp_attn_eig_free(&e);
  return r;
}

START_TEST(test_generator_families)
{
  struct dp_sizes sz = {64, 200};
  unsigned real_ok = 0, trunc_ok = 0, ntrunc = 0, emodes[DP_AE_COUNT_] = {0}, tied = 0;
  for (unsigned i = 0; i < 120; i++) {
    uint64_t seed = dp_seed_instance(dp_seed_replay(DP_SEED_DEFAULT, i), "X07");
    for (int fam = 0; fam < 2; fam++) {
      struct dp_attn_inst *x = dp_attn_inst_make(seed, &sz, fam);
      ck_assert_ptr_nonnull(x);
      size_t V = x->base->V;
      ck_assert(x->d >= 1 && x->d_k >= 1);
      ck_assert(x->W_E->size1 == V && x->W_E->size2 == x->d);
      ck_assert(x->W_Q->size1 == x->d && x->W_Q->size2 == x->d_k);
      ck_assert(x->W_K->size1 == x->d && x->W_K->size2 == x->d_k);
      ck_assert(dp_resid_finite(x->W_E) && dp_resid_finite(x->W_Q));
      size_t r = rank_of(x->base->S);
      if (fam == 0) {
        real_ok += r <= x->d && r <= x->d_k;
        emodes[x->emode]++;
        tied += x->qkmode == DP_AQK_TIED;
        if (x->qkmode == DP_AQK_TIED)
          ck_assert(dist(x->W_Q, x->W_K) == 0.0);
        if (x->emode == DP_AE_ORTHO) { /* W_E^+ = W_E^T */
          size_t dd = x->d;
          gsl_matrix *G = V >= dd ? gsl_matrix_alloc(dd, dd) : gsl_matrix_alloc(V, V);
          gsl_blas_dgemm(V >= dd ? CblasTrans : CblasNoTrans, V >= dd ? CblasNoTrans : CblasTrans,
                         1.0, x->W_E, x->W_E, 0.0, G);
          for (size_t a = 0; a < G->size1; a++)
            gsl_matrix_set(G, a, a, gsl_matrix_get(G, a, a) - 1.0);
          ck_assert(dp_resid_norm(G) <= 64 * DBL_EPSILON * (double)(V + dd));
          gsl_matrix_free(G);
        }
      } else if (r >= 2) {
        ntrunc++;
        trunc_ok += x->d_k < r;
      }
      /* deterministic: the same seed prints the same instance */
      struct dp_attn_inst *y = dp_attn_inst_make(seed, &sz, fam);
      char *p1 = NULL, *p2 = NULL;
      size_t n1 = 0, n2 = 0;
      FILE *f1 = open_memstream(&p1, &n1), *f2 = open_memstream(&p2, &n2);
      dp_attn_inst_print(f1, x);
      dp_attn_inst_print(f2, y);
      fclose(f1);
      fclose(f2);
      ck_assert_str_eq(p1, p2);
      ck_assert_ptr_nonnull(strstr(p1, "W_K["));
      free(p1);
      free(p2);
      dp_attn_inst_free(y);
      dp_attn_inst_free(x);
    }
  }
  /* the premises come often: C08's in most realisable instances, C09's in most truncating
   * ones whose S has rank >= 2 */
  ck_assert_msg(real_ok >= 60, "realisable premise in %u of 120", real_ok);
  ck_assert_msg(trunc_ok * 2 >= ntrunc, "truncating premise in %u of %u", trunc_ok, ntrunc);
  for (int m = 0; m < DP_AE_COUNT_; m++)
    ck_assert_msg(emodes[m] > 0, "W_E mode %s never drawn", dp_attn_emode_name(m));
  ck_assert(tied > 0 && tied < 120);
  ck_assert_str_eq(dp_attn_emode_name(-1), "?");
  ck_assert_str_eq(dp_attn_qkmode_name(DP_AQK_COUNT_), "?");
  ck_assert_str_eq(dp_attn_qkmode_name(DP_AQK_TIED), "tied");
  ck_assert_str_eq(dp_gen_attn.name, "attention (realisable)");
  void *g = dp_gen_attn_trunc.make(1, &sz);
  char buf[300];
  dp_gen_attn_trunc.describe(g, buf, sizeof buf);
  ck_assert_ptr_nonnull(strstr(buf, "d_k="));
  dp_gen_attn_trunc.free(g);
}
END_TEST

/* A hand-made instance: V = 4 words, tokens (1, 3, 1), W_E's rows 10a + j. */
static struct dp_attn_inst *hand_instance(void)
{
  struct dp_sizes sz = {3, 4};
  struct dp_attn_inst *x = NULL;
  for (uint64_t s = 1; !x; s++) { /* any instance with V = 4 and R = 3, then overwrite */
    struct dp_attn_inst *y = dp_attn_inst_make(s, &sz, 0);
    if (y->base->V == 4 && y->base->R == 3 && y->d >= 2 && y->d_k >= 2)
      x = y;
    else
      dp_attn_inst_free(y);
  }
  x->base->t[0] = 1;
  x->base->t[1] = 3;
  x->base->t[2] = 1;
  for (size_t a = 0; a < 4; a++)
    for (size_t j = 0; j < x->d; j++)
      gsl_matrix_set(x->W_E, a, j, 10.0 * (double)a + (double)j + 0.25);
  x->e_exp = 3;
  x->qk_exp = 0;
  return x;
}

START_TEST(test_shrink)
{
  struct dp_attn_inst *x = hand_instance();
  unsigned k = 0, words = 0, widths = 0, weights = 0;
  for (;; k++) {
    struct dp_attn_inst *y = dp_attn_inst_shrink(x, k);
    if (!y)
      break;
    ck_assert(y->W_E->size1 == y->base->V && y->W_E->size2 == y->d);
    ck_assert(y->W_Q->size1 == y->d && y->W_Q->size2 == y->d_k);
    ck_assert(y->base->R <= x->base->R && y->d <= x->d && y->d_k <= x->d_k);
    if (y->base->V == 2) { /* the unused words 0 and 2 dropped: W_E's rows 1 and 3 remain */
      words++;
      ck_assert(gsl_matrix_get(y->W_E, 0, 0) == 10.25 && gsl_matrix_get(y->W_E, 1, 0) == 30.25);
      ck_assert(y->base->t[0] == 0 && y->base->t[1] == 1);
    }
    widths += y->d < x->d || y->d_k < x->d_k;
    if (y->d == x->d && y->d_k == x->d_k && y->base->V == x->base->V && y->base->R == x->base->R &&
        dist(y->W_E, x->W_E) != 0.0) {
      weights++;
      ck_assert(y->e_exp == 0 || gsl_matrix_get(y->W_E, 0, 0) == round(gsl_matrix_get(y->W_E, 0, 0)));
    }
    dp_attn_inst_free(y);
  }
  ck_assert_uint_eq(words, 1);
  ck_assert_uint_ge(widths, 2);
  ck_assert_uint_ge(weights, 2); /* unscale, round (signs too unless already) */
  ck_assert_uint_gt(k, 8);
  /* R = 1, d = d_k = 1, integer weights: few candidates, and the list ends */
  struct dp_attn_inst *y = dp_attn_inst_shrink(x, 0); /* first half: R = 1 */
  ck_assert_uint_eq(y->base->R, 1);
  unsigned n = 0;
  while (n < 1000) {
    struct dp_attn_inst *z = dp_attn_inst_shrink(y, n);
    if (!z)
      break;
    dp_attn_inst_free(z);
    n++;
  }
  ck_assert_uint_lt(n, 1000);
  dp_attn_inst_free(y);
  dp_attn_inst_free(x);
  /* the generic interface */
  struct dp_attn_inst *h = hand_instance();
  void *c = dp_gen_attn.shrink(h, 0);
  ck_assert_ptr_nonnull(c);
  dp_gen_attn.free(c);
  dp_attn_inst_free(h);
}
END_TEST

/* --- real text ------------------------------------------------------------------------- */

static const char corpus_text[] =
  "the cat sat on the mat\n"
  "the dog sat on the log\n"
  "a cat and a dog met\n"
  "the end\n";

START_TEST(test_real_instance)
{
  char path[] = "/tmp/check_attn_XXXXXX";
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(write(fd, corpus_text, sizeof corpus_text - 1), (ssize_t)(sizeof corpus_text - 1));
  close(fd);
  struct dp_env env = {path, NULL, 2};
  struct dp_attn_inst *x = NULL;
  char label[300];
  /* the first document has 5 distinct words: the, cat, sat, on, mat */
  ck_assert_int_eq(dp_attn_inst_real(&env, 5, 4, DP_SOP_LOG1P, 7, &x, label, sizeof label),
                   GSL_SUCCESS);
  ck_assert_uint_eq(x->base->V, 5);
  ck_assert_uint_eq(x->base->R, 4); /* the cat sat on */
  ck_assert(x->base->t[0] == 0 && x->base->t[1] == 1 && x->base->t[2] == 2 && x->base->t[3] == 3);
  ck_assert(dist(x->base->S, x->base->S) == 0.0);
  ck_assert_uint_eq(dp_resid_mismatch(x->base->S, x->base->S, 1, NULL), 0); /* symmetric */
  /* S = log1p(X) restricted, c = 2, g = 1/|k|: "the cat" at offset 1 in document 1 is the
   * only pair of "the" and "cat" within the window (document 3 has "cat" but no "the"), so
   * X(the, cat) = 1 */
  ck_assert_near(gsl_matrix_get(x->base->S, 0, 1), log1p(1.0), 4);
  ck_assert_ptr_nonnull(strstr(label, "log1p"));
  ck_assert_uint_eq(x->d, x->d_k);
  ck_assert(x->emode == DP_AE_REALISE && x->d == (x->rank_gen ? x->rank_gen : 1));
  dp_attn_inst_free(x);
  /* from a corpus already read; enough words to take two documents; PPMI */
  struct dp_vocab_opts vo = {1, 0};
  struct dp_corpus *corp = NULL;
  ck_assert_int_eq(dp_corpus_from_text(corpus_text, sizeof corpus_text - 1, "mem", &vo, &corp),
                   GSL_SUCCESS);
  struct dp_env env2 = {NULL, corp, 2};
  ck_assert_int_eq(dp_attn_inst_real(&env2, 6, 64, DP_SOP_PPMI, 7, &x, NULL, 0), GSL_SUCCESS);
  ck_assert_uint_eq(x->base->V, 7); /* the, cat, sat, on, mat + dog, log */
  ck_assert_uint_eq(x->base->R, 12);
  ck_assert_int_eq(x->base->kind, DP_SK_PPMI);
  dp_attn_inst_free(x);
  /* errors */
  struct dp_env none = {NULL, NULL, 2}, missing = {"/nonexistent/corpus.txt", NULL, 2};
  ck_assert_int_eq(dp_attn_inst_real(&none, 5, 4, DP_SOP_LOG1P, 7, &x, NULL, 0), GSL_EINVAL);
  ck_assert_ptr_null(x);
  ck_assert_int_eq(dp_attn_inst_real(&env, 5, 4, DP_SOP_RAW, 7, &x, NULL, 0), GSL_EINVAL);
  ck_assert_int_eq(dp_attn_inst_real(&env, 0, 4, DP_SOP_LOG1P, 7, &x, NULL, 0), GSL_EINVAL);
  ck_assert_int_ne(dp_attn_inst_real(&missing, 5, 4, DP_SOP_LOG1P, 7, &x, NULL, 0), GSL_SUCCESS);
  struct dp_corpus *one = NULL;
  ck_assert_int_eq(dp_corpus_from_text("word word\n", 10, "one", &vo, &one), GSL_SUCCESS);
  struct dp_env env1 = {NULL, one, 2};
  ck_assert_int_eq(dp_attn_inst_real(&env1, 5, 4, DP_SOP_LOG1P, 7, &x, NULL, 0), GSL_EDOM);
  dp_corpus_free(one);
  dp_corpus_free(corp);
  unlink(path);
}
END_TEST


/* --- error handling: fault injection and broken instances ------------------------------ */

/* Run `body` with the n-th allocation check failing, n = 1, 2, ... until a run does not
 * reach the n-th check; every run that did must have failed (`failed` evaluated after it). */
#define INJECT(body, failed)                                                                  \
  do {                                                                                        \
    unsigned n_ = 1;                                                                          \
    for (;; n_++) {                                                                           \
      dp_attn_fail_alloc = n_;                                                                \
      body;                                                                                   \
      int fired_ = dp_attn_fail_alloc == 0;                                                   \
      dp_attn_fail_alloc = 0;                                                                 \
      if (!fired_)                                                                            \
        break;                                                                                \
      ck_assert_msg(failed, "allocation check %u of %s did not fail the call", n_, #body);    \
    }                                                                                         \
    ck_assert_uint_gt(n_, 1);                                                                 \
  } while (0)

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
  struct dp_attn_eig e;
  INJECT((st = dp_attn_eig_make(S, &e), dp_attn_eig_free(&e)), st == GSL_ENOMEM);
  ck_assert_int_eq(dp_attn_eig_make(S, &e), GSL_SUCCESS);
  INJECT(st = dp_attn_realise_tied(&e, 2, 2, W_E, W_Q, W_K, &x), st == GSL_ENOMEM);
  INJECT(st = dp_attn_truncate(&e, 1, Sk), st == GSL_ENOMEM);
  ck_assert_int_eq(dp_attn_realise(&e, 2, 2, W_E, W_Q, W_K), GSL_SUCCESS);
  INJECT(st = dp_attn_scores(t, 2, W_E, W_Q, W_K, L, NULL), st == GSL_ENOMEM);
  INJECT(st = dp_attn_bilinear(W_E, W_Q, W_K, W), st == GSL_ENOMEM);
  INJECT(st = dp_attn_singular_values(S, l), st == GSL_ENOMEM);
  INJECT(st = dp_attn_values(A, S3, W_V, NULL, NULL), st == GSL_ENOMEM);
  INJECT(st = dp_attn_pinv(A, Ap, NULL, NULL), st == GSL_ENOMEM);
  INJECT(st = dp_attn_col_distance(A, S3, &x, NULL), st == GSL_ENOMEM);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "out of memory") ? "x" : NULL);
  dp_attn_eig_free(&e);
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

START_TEST(test_generator_out_of_memory)
{
  struct dp_sizes sz = {12, 12};
  struct dp_attn_inst *x = NULL;
  /* every W_E kind, both families */
  unsigned seen[DP_AE_COUNT_] = {0};
  for (uint64_t seed = 1; seed < 200; seed++)
    for (int fam = 0; fam < 2; fam++) {
      struct dp_attn_inst *y = dp_attn_inst_make(seed, &sz, fam);
      int m = y->emode;
      dp_attn_inst_free(y);
      if (seen[m]++)
        continue;
      INJECT(x = dp_attn_inst_make(seed, &sz, fam), x == NULL);
      ck_assert_ptr_nonnull(x);
      dp_attn_inst_free(x);
    }
  /* every shrink candidate of the hand-made instance */
  struct dp_attn_inst *h = hand_instance(), *y = NULL;
  for (unsigned k = 0; (y = dp_attn_inst_shrink(h, k)) != NULL; k++) {
    dp_attn_inst_free(y);
    INJECT(y = dp_attn_inst_shrink(h, k), y == NULL);
    dp_attn_inst_free(y);
  }
  dp_attn_inst_free(h);
  /* the real-text instance */
  struct dp_vocab_opts vo = {1, 0};
  struct dp_corpus *corp = NULL;
  ck_assert_int_eq(dp_corpus_from_text(corpus_text, sizeof corpus_text - 1, "mem", &vo, &corp),
                   GSL_SUCCESS);
  struct dp_env env = {NULL, corp, 2};
  int st = 0;
  INJECT((st = dp_attn_inst_real(&env, 5, 4, DP_SOP_LOG1P, 7, &x, NULL, 0), dp_attn_inst_free(x)),
         st == GSL_ENOMEM && x == NULL);
  dp_corpus_free(corp);
}
END_TEST

/* An instance of claim c's generator whose check measures (not skipped). */
static void *measured_instance(const struct dp_claim *c, struct dp_sizes *sz, uint64_t from)
{
  for (uint64_t s = from;; s++) {
    void *x = c->gen->make(s, sz);
    struct dp_outcome o = {DP_MEASURED, NAN, "", 0};
    c->check(x, &o);
    if (o.status == DP_MEASURED)
      return x;
    c->gen->free(x);
  }
}

START_TEST(test_claims_out_of_memory)
{
  static const char *const ids[] = {"C07", "C08", "C09", "C10"};
  struct dp_sizes sz = {10, 12};
  for (int i = 0; i < 4; i++) {
    const struct dp_claim *c = dp_claim_find(ids[i]);
    ck_assert_ptr_nonnull(c);
    for (uint64_t from = 1; from < 400; from += 100) {
      void *x = measured_instance(c, &sz, from);
      for (int tw = 0; tw < 2; tw++) {
        struct dp_outcome o;
        INJECT((memset(&o, 0, sizeof o), o.figure = NAN, (tw ? c->twin : c->check)(x, &o)),
               o.status == DP_BROKEN && strstr(o.what, "out of memory"));
      }
      c->gen->free(x);
    }
  }
}
END_TEST

/* Broken instances: a NaN in S (the eigensolver refuses it) and a token outside the
 * vocabulary (the gather refuses it) give ERROR, never PASS or a crash. */
START_TEST(test_claims_broken_instances)
{
  static const char *const ids[] = {"C07", "C08", "C09", "C10"};
  struct dp_sizes sz = {10, 12};
  for (int i = 0; i < 4; i++) {
    const struct dp_claim *c = dp_claim_find(ids[i]);
    struct dp_attn_inst *x = measured_instance(c, &sz, 1);
    for (int tw = 0; tw < 2; tw++) {
      struct dp_outcome o = {DP_MEASURED, NAN, "", 0};
      size_t t0 = x->base->t[0];
      x->base->t[0] = x->base->V; /* out of range */
      if (i == 0 || i == 3) {
        (tw ? c->twin : c->check)(x, &o);
        ck_assert_msg(o.status == DP_BROKEN, "%s: token out of range: %s", ids[i], o.what);
      }
      x->base->t[0] = t0;
      double s00 = gsl_matrix_get(x->base->S, 0, 0);
      gsl_matrix_set(x->base->S, 0, 0, NAN);
      memset(&o, 0, sizeof o);
      (tw ? c->twin : c->check)(x, &o);
      if (i > 0)
        ck_assert_msg(o.status == DP_BROKEN, "%s: NaN in S: %s", ids[i], o.what);
      gsl_matrix_set(x->base->S, 0, 0, s00);
    }
    dp_attn_inst_free(x);
  }
}
END_TEST

/* The claims' real-text hooks and report extras, with and without a corpus. */
START_TEST(test_claims_real_and_extras)
{
  static const char *const ids[] = {"C07", "C08", "C09", "C10"};
  struct dp_real_row rows[8];
  size_t nrows = 99;
  struct dp_vocab_opts vo = {1, 0};
  struct dp_corpus *corp = NULL;
  ck_assert_int_eq(dp_corpus_from_text(corpus_text, sizeof corpus_text - 1, "mem", &vo, &corp),
                   GSL_SUCCESS);
  struct dp_env none = {NULL, NULL, 2}, missing = {"/nonexistent/corpus.txt", NULL, 2};
  struct dp_env small = {NULL, corp, 2};
  for (int i = 0; i < 4; i++) {
    const struct dp_claim *c = dp_claim_find(ids[i]);
    ck_assert_int_eq(c->real(&none, rows, 8, &nrows), GSL_SUCCESS);
    ck_assert_uint_eq(nrows, 0);
    ck_assert_int_eq(c->real(&small, rows, 0, &nrows), GSL_SUCCESS);
    ck_assert_uint_eq(nrows, 0);
    ck_assert_int_ne(c->real(&missing, rows, 8, &nrows), GSL_SUCCESS);
    ck_assert_int_eq(c->real(&small, rows, 8, &nrows), GSL_SUCCESS);
    ck_assert_uint_ge(nrows, 1);
    for (size_t r = 0; r < nrows; r++) {
      ck_assert_int_eq(dp_claim_judge(c, &rows[r].claim), DP_PASS);
      ck_assert_int_eq(dp_claim_judge(c, &rows[r].twin), DP_FAIL);
    }
    /* out of memory: the hook fails, or the row's check reports it (ERROR) */
    int st = 0;
    INJECT((nrows = 0, st = c->real(&small, rows, 8, &nrows)),
           st == GSL_ENOMEM || rows[nrows - 1].claim.status == DP_BROKEN ||
               rows[nrows - 1].twin.status == DP_BROKEN || rows[0].claim.status == DP_BROKEN ||
               rows[0].twin.status == DP_BROKEN);
  }
  /* C09's curve without a corpus: a generated PPMI; with one: the corpus's */
  const struct dp_claim *c9 = dp_claim_find("C09");
  struct dp_run_opts o = {0};
  o.master = DP_SEED_DEFAULT;
  o.sizes.R_max = 64;
  o.sizes.V_max = 80;
  struct dp_extras xo = {0};
  ck_assert_int_eq(c9->extras(&o, &xo), GSL_SUCCESS);
  ck_assert_uint_eq(xo.nplots, 1);
  ck_assert_uint_eq(xo.plots[0].nseries, 4);
  ck_assert_ptr_nonnull(strstr(xo.plots[0].note, "generated (no corpus)"));
  ck_assert_uint_ge(xo.tables[0].nrow, 2);
  /* the measured error follows the Eckart-Young line: each of the k rank-one updates of
   * S - S_k and the SVD round by a few V eps ||S||_2 <= V eps ||S||_F (V <= 80 here) */
  const struct dp_series *ms = &xo.plots[0].series[0], *ey = &xo.plots[0].series[1];
  for (size_t j = 0; j < ms->n; j++)
    ck_assert_msg(fabs(ms->y[j] - ey->y[j]) <= DP_TOL_RATIO * 80.0 * (80.0 + ms->x[j]) *
                                                   DBL_EPSILON * ey->y[0],
                  "d_k=%g: %.17g vs %.17g", ms->x[j], ms->y[j], ey->y[j]);
  dp_extras_free(&xo);
  int st = 0;
  INJECT((memset(&xo, 0, sizeof xo), st = c9->extras(&o, &xo), dp_extras_free(&xo)),
         st != GSL_SUCCESS);
  o.env = small;
  memset(&xo, 0, sizeof xo);
  ck_assert_int_eq(c9->extras(&o, &xo), GSL_SUCCESS);
  ck_assert_ptr_nonnull(strstr(xo.plots[0].note, "ppmi"));
  dp_extras_free(&xo);
  o.env = missing;
  ck_assert_int_ne(c9->extras(&o, &xo), GSL_SUCCESS);
  dp_extras_free(&xo);
  /* C08's table: with the corpus, and a run whose first trials include a skipped one */
  const struct dp_claim *c8 = dp_claim_find("C08");
  o.env = small;
  o.sizes.V_max = 12;
  int skipped = 0;
  for (o.master = 1; o.master < 40 && !skipped; o.master++) {
    memset(&xo, 0, sizeof xo);
    ck_assert_int_eq(c8->extras(&o, &xo), GSL_SUCCESS);
    ck_assert_uint_eq(xo.tables[0].nrow, 10);
    for (size_t r = 0; r < xo.tables[0].nrow; r++)
      skipped |= strstr(xo.tables[0].cell[r * 10 + 4], "skipped") != NULL;
    dp_extras_free(&xo);
  }
  ck_assert(skipped);
  INJECT((memset(&xo, 0, sizeof xo), st = c8->extras(&o, &xo), dp_extras_free(&xo)),
         st != GSL_SUCCESS);
  o.env = missing;
  memset(&xo, 0, sizeof xo);
  ck_assert_int_ne(c8->extras(&o, &xo), GSL_SUCCESS);
  dp_extras_free(&xo);
  dp_corpus_free(corp);
}
END_TEST

int main(void)
{
  dp_err_install();
  Suite *s = suite_create("attn");
  TCase *tc = tcase_create("logits");
  tcase_add_test(tc, test_embed_logits);
  tcase_add_test(tc, test_logits_errors);
  suite_add_tcase(s, tc);
  tc = tcase_create("eigen");
  tcase_add_test(tc, test_eigen_split);
  tcase_add_test(tc, test_eigen_cascade);
  tcase_add_test(tc, test_eigen_errors);
  tcase_set_timeout(tc, 60);
  suite_add_tcase(s, tc);
  tc = tcase_create("realisation");
  tcase_add_test(tc, test_realise_2x2);
  tcase_add_test(tc, test_tied_bound);
  suite_add_tcase(s, tc);
  tc = tcase_create("truncation");
  tcase_add_test(tc, test_eckart_young_diagonal);
  suite_add_tcase(s, tc);
  tc = tcase_create("values");
  tcase_add_test(tc, test_pinv);
  tcase_add_test(tc, test_col_distance);
  suite_add_tcase(s, tc);
  tc = tcase_create("generator");
  tcase_add_test(tc, test_generator_families);
  tcase_add_test(tc, test_shrink);
  tcase_add_test(tc, test_real_instance);
  tcase_set_timeout(tc, 120);
  suite_add_tcase(s, tc);
  tc = tcase_create("errors");
  tcase_add_test(tc, test_engine_out_of_memory);
  tcase_add_test(tc, test_generator_out_of_memory);
  tcase_add_test(tc, test_claims_out_of_memory);
  tcase_add_test(tc, test_claims_broken_instances);
  tcase_add_test(tc, test_claims_real_and_extras);
  tcase_set_timeout(tc, 300);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
