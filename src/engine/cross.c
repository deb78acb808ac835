/* cross.c: cross-attention between two sequences over two vocabularies (claim C17).
 *
 * M_x = Q_1 S_x Q_2^T along two routes: the gather reads (S_x)_{t_i s_j} bit for bit; the
 * dense route forms the one-hot selectors (select.h) and multiplies by BLAS, Q_1 S_x first.
 * The realisation: S_x is rectangular, so the factorisation of C08 goes through the SVD
 * S_x = U Sigma V^T (spectral.h's dgesdd) instead of an eigen-decomposition, and the two
 * vocabularies get two embeddings, W_E1 = [U_k Sigma_k^(1/2), 0] and
 * W_E2 = [V_k Sigma_k^(1/2), 0]; W_Q = I_{d x d_k}, W_K = sqrt(d_k) I_{d x d_k} as in C08
 * (no sign matrix: the singular values are non-negative).  The logits embed each sequence
 * through its own table and multiply (H_1 W_Q)(H_2 W_K)^T.  Shapes are checked on entry
 * (args.h), so the BLAS products inside cannot fail.  No tolerance lives here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include "args.h"
#include "cross.h"
#include "err.h"
#include "resid.h"
#include "select.h"
#include "spectral.h"

/* S_x non-NULL and non-empty; t, s in range; M (when not NULL) R1 x R2. */
static int check_pair(const char *who, const gsl_matrix *Sx, const size_t *t, size_t R1,
                      const size_t *s, size_t R2, const gsl_matrix *M)
{
  if (!Sx)
    return DP_ERROR(GSL_EFAULT, "%s: S_x is NULL", who);
  DP_TRY(dp_args_sequence(who, t, R1, Sx->size1));
  if (R2 == 0)
    return DP_ERROR(GSL_EBADLEN, "%s: R2 = 0: the source sequence is empty", who);
  DP_TRY(dp_args_tokens(who, "s", s, R2, Sx->size2));
  return M ? dp_args_shape(who, "M", M, R1, R2) : GSL_SUCCESS;
}

int dp_cross_gather(const gsl_matrix *Sx, const size_t *t, size_t R1, const size_t *s,
                    size_t R2, gsl_matrix *M)
{
  DP_TRY(check_pair("dp_cross_gather", Sx, t, R1, s, R2, M));
  for (size_t i = 0; i < R1; i++) {
    const double *row = Sx->data + t[i] * Sx->tda;
    double *mrow = M->data + i * M->tda;
    for (size_t j = 0; j < R2; j++)
      memcpy(&mrow[j], &row[s[j]], sizeof(double)); /* a copy of the bits */
  }
  return GSL_SUCCESS;
}

int dp_cross_dense(const gsl_matrix *Sx, const size_t *t, size_t R1, const size_t *s,
                   size_t R2, gsl_matrix *M)
{
  DP_TRY(check_pair("dp_cross_dense", Sx, t, R1, s, R2, M));
  gsl_matrix *Q1 = NULL, *Q2 = NULL, *QS = gsl_matrix_alloc(R1, Sx->size2);
  int st = dp_alloc_ok("dp_cross_dense", 1, (void *[]){QS});
  if (st == GSL_SUCCESS)
    st = dp_select_Q(t, R1, Sx->size1, &Q1);
  if (st == GSL_SUCCESS)
    st = dp_select_Q(s, R2, Sx->size2, &Q2);
  if (st == GSL_SUCCESS) {
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, Q1, Sx, 0.0, QS);
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, QS, Q2, 0.0, M);
  }
  gsl_matrix_free(Q1);
  gsl_matrix_free(Q2);
  gsl_matrix_free(QS);
  return st;
}

/* --- the SVD realisation ----------------------------------------------------------------- */

void dp_cross_svd_free(struct dp_cross_svd *f)
{
  if (!f)
    return;
  gsl_vector_free(f->sigma);
  gsl_matrix_free(f->U);
  gsl_matrix_free(f->Vt);
  memset(f, 0, sizeof *f);
}

int dp_cross_svd_make(const gsl_matrix *Sx, struct dp_cross_svd *f)
{
  if (!f)
    return DP_ERROR(GSL_EFAULT, "dp_cross_svd_make: f is NULL");
  memset(f, 0, sizeof *f);
  if (!Sx)
    return DP_ERROR(GSL_EFAULT, "dp_cross_svd_make: S_x is NULL");
  size_t V1 = Sx->size1, V2 = Sx->size2, p = V1 < V2 ? V1 : V2;
  if (p == 0)
    return DP_ERROR(GSL_EBADLEN, "dp_cross_svd_make: S_x is empty (%zu x %zu)", V1, V2);
  f->V1 = V1;
  f->V2 = V2;
  f->p = p;
  f->sigma = gsl_vector_alloc(p);
  f->U = gsl_matrix_alloc(V1, p);
  f->Vt = gsl_matrix_alloc(p, V2);
  int st = dp_alloc_ok("dp_cross_svd_make", 3, (void *[]){f->sigma, f->U, f->Vt});
  if (st == GSL_SUCCESS)
    st = dp_spectral_svd(Sx, f->sigma, f->U, f->Vt);
  if (st != GSL_SUCCESS) {
    dp_cross_svd_free(f);
    return st;
  }
  f->tol = dp_spectral_rank_tol(V1 > V2 ? V1 : V2, gsl_vector_get(f->sigma, 0));
  f->rank = dp_spectral_rank(f->sigma, f->tol);
  return GSL_SUCCESS;
}

double dp_cross_dropped(const struct dp_cross_svd *f, size_t k)
{
  return f ? dp_spectral_ey_tail(f->sigma, k) : NAN;
}

int dp_cross_realise(const struct dp_cross_svd *f, size_t k, size_t d, size_t d_k,
                     gsl_matrix *W_E1, gsl_matrix *W_E2, gsl_matrix *W_Q, gsl_matrix *W_K)
{
  static const char who[] = "dp_cross_realise";
  if (!f || !f->sigma || !f->U || !f->Vt)
    return DP_ERROR(GSL_EFAULT, "%s: no decomposition", who);
  if (d == 0 || d_k == 0)
    return DP_ERROR(GSL_EBADLEN, "%s: d = %zu and d_k = %zu must be positive", who, d, d_k);
  DP_TRY(dp_args_shape(who, "W_E1", W_E1, f->V1, d));
  DP_TRY(dp_args_shape(who, "W_E2", W_E2, f->V2, d));
  DP_TRY(dp_args_shape(who, "W_Q", W_Q, d, d_k));
  DP_TRY(dp_args_shape(who, "W_K", W_K, d, d_k));
  if (k > f->p || k > d || k > d_k)
    return DP_ERROR(GSL_EINVAL, "%s: k = %zu exceeds min(d = %zu, d_k = %zu, p = %zu)", who, k,
                    d, d_k, f->p);
  gsl_matrix_set_zero(W_E1);
  gsl_matrix_set_zero(W_E2);
  gsl_matrix_set_zero(W_Q);
  gsl_matrix_set_zero(W_K);
  double sk = sqrt((double)d_k);
  for (size_t j = 0; j < k; j++) {
    double root = sqrt(gsl_vector_get(f->sigma, j));
    for (size_t a = 0; a < f->V1; a++)
      gsl_matrix_set(W_E1, a, j, gsl_matrix_get(f->U, a, j) * root);
    for (size_t b = 0; b < f->V2; b++)
      gsl_matrix_set(W_E2, b, j, gsl_matrix_get(f->Vt, j, b) * root);
  }
  for (size_t j = 0; j < d && j < d_k; j++) {
    gsl_matrix_set(W_Q, j, j, 1.0);
    gsl_matrix_set(W_K, j, j, sk);
  }
  return GSL_SUCCESS;
}

/* H (R x d) = rows x[i] of W (V x d). */
static void embed(const size_t *x, size_t R, const gsl_matrix *W, gsl_matrix *H)
{
  for (size_t i = 0; i < R; i++) {
    gsl_vector_const_view row = gsl_matrix_const_row(W, x[i]);
    gsl_matrix_set_row(H, i, &row.vector);
  }
}

int dp_cross_scores(const size_t *t, size_t R1, const gsl_matrix *W_E1, const size_t *s,
                    size_t R2, const gsl_matrix *W_E2, const gsl_matrix *W_Q,
                    const gsl_matrix *W_K, gsl_matrix *L, double *normH1, double *normH2)
{
  static const char who[] = "dp_cross_scores";
  if (!W_E1 || !W_E2 || !W_Q || !W_K)
    return DP_ERROR(GSL_EFAULT, "%s: a weight matrix is NULL", who);
  size_t d = W_E1->size2, dk = W_Q->size2;
  DP_TRY(dp_args_sequence(who, t, R1, W_E1->size1));
  if (R2 == 0)
    return DP_ERROR(GSL_EBADLEN, "%s: R2 = 0: the source sequence is empty", who);
  DP_TRY(dp_args_tokens(who, "s", s, R2, W_E2->size1));
  DP_TRY(dp_args_shape(who, "W_E2", W_E2, W_E2->size1, d));
  DP_TRY(dp_args_shape(who, "W_Q", W_Q, d, dk));
  DP_TRY(dp_args_shape(who, "W_K", W_K, d, dk));
  DP_TRY(dp_args_shape(who, "L", L, R1, R2));
  if (dk == 0)
    return DP_ERROR(GSL_EBADLEN, "%s: d_k = 0", who);
  gsl_matrix *H1 = gsl_matrix_alloc(R1, d), *H2 = gsl_matrix_alloc(R2, d);
  gsl_matrix *A = gsl_matrix_alloc(R1, dk), *B = gsl_matrix_alloc(R2, dk);
  int st = dp_alloc_ok(who, 4, (void *[]){H1, H2, A, B});
  if (st == GSL_SUCCESS) {
    embed(t, R1, W_E1, H1);
    embed(s, R2, W_E2, H2);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, H1, W_Q, 0.0, A);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, H2, W_K, 0.0, B);
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0 / sqrt((double)dk), A, B, 0.0, L);
    if (normH1)
      *normH1 = dp_resid_norm(H1);
    if (normH2)
      *normH2 = dp_resid_norm(H2);
  }
  gsl_matrix_free(H1);
  gsl_matrix_free(H2);
  gsl_matrix_free(A);
  gsl_matrix_free(B);
  return st;
}

/* --- a parallel corpus ------------------------------------------------------------------- */

int dp_cross_count(size_t ndoc, const size_t *len1, const size_t *ids1, size_t V1,
                   const size_t *len2, const size_t *ids2, size_t V2, int c, gsl_matrix *X)
{
  static const char who[] = "dp_cross_count";
  if (ndoc && (!len1 || !len2))
    return DP_ERROR(GSL_EFAULT, "%s: document lengths are NULL", who);
  if (c < 0)
    return DP_ERROR(GSL_EINVAL, "%s: window c = %d is negative", who, c);
  if (V1 == 0 || V2 == 0)
    return DP_ERROR(GSL_EBADLEN, "%s: V1 = %zu and V2 = %zu must be positive", who, V1, V2);
  DP_TRY(dp_args_shape(who, "X", X, V1, V2));
  size_t n1 = 0, n2 = 0;
  for (size_t k = 0; k < ndoc; k++) {
    n1 += len1[k];
    n2 += len2[k];
  }
  DP_TRY(dp_args_tokens(who, "ids1", ids1, n1, V1));
  DP_TRY(dp_args_tokens(who, "ids2", ids2, n2, V2));
  gsl_matrix_set_zero(X);
  size_t o1 = 0, o2 = 0, w = (size_t)c;
  for (size_t k = 0; k < ndoc; o1 += len1[k], o2 += len2[k], k++)
    for (size_t p = 0; p < len1[k]; p++) {
      size_t lo = p > w ? p - w : 0, hi = p + w + 1 < len2[k] ? p + w + 1 : len2[k];
      double *row = X->data + ids1[o1 + p] * X->tda;
      for (size_t q = lo; q < hi; q++)
        row[ids2[o2 + q]] += 1.0;
    }
  return GSL_SUCCESS;
}
