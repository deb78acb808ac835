/* attn.c: the attention engine's logits, weights realisation, truncation and values.
 *
 * Serves claims C07-C10 (from M = Q S Q^T to the Transformer's logits and values).  C07: the
 * logits H W_Q W_K^T H^T with H = Q W_E are computed as (H W_Q)(H W_K)^T, and the bilinear
 * form W_E (W_Q W_K^T) W_E^T by the other association, so the identity compares two routes.
 * C08: from S = U L U^T split by sign (dp_spectral_eig, spectral.h), the untied realisation
 * W_E = U_r |L_r|^(1/2), W_Q = I, W_K = sqrt(d_k) sign(L_r), each embedded as the top-left
 * block of a matrix of the Transformer's shape (V x d, d x d_k), since the paper's "W_Q = I"
 * and "sign(L_r)" are square only when d = d_k = r; and the tied optimum W = U_+ L_+^(1/2)
 * with the nearest-PSD bound.  C09: S_k keeps the k largest |lambda| (for symmetric S the
 * singular values are the |lambda|; the claim takes the Eckart-Young tail from spectral.c's
 * SVD, a route independent of the eigensolver).  C10: the values W_E^+ S with spectral.c's
 * pseudo-inverse, and the distance of S to col(W_E) by QR with column pivoting, a route
 * independent of the SVD.  The spectral work itself lives in spectral.c.  Shapes are
 * checked on entry (args.h), so the BLAS products inside cannot fail and their status is not
 * tested again.  Thresholds are spectral.h's (DP_RANK_SAFETY n eps ||A||_2) and tol.h's; no
 * tolerance lives here. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_permutation.h>
#include "args.h"
#include "attn.h"
#include "err.h"
#include "resid.h"
#include "spectral.h"
#include "tol.h"

/* --- logits ---------------------------------------------------------------------------- */

int dp_attn_embed(const size_t *t, size_t R, const gsl_matrix *W_E, gsl_matrix *H)
{
  static const char who[] = "dp_attn_embed";
  if (!t || !W_E || !H)
    return DP_ERROR(GSL_EFAULT, "%s: t, W_E or H is NULL", who);
  DP_TRY(dp_args_shape(who, "H", H, R, W_E->size2));
  DP_TRY(dp_args_tokens(who, "t", t, R, W_E->size1));
  for (size_t i = 0; i < R; i++) {
    gsl_vector_const_view row = gsl_matrix_const_row(W_E, t[i]);
    gsl_matrix_set_row(H, i, &row.vector);
  }
  return GSL_SUCCESS;
}

int dp_attn_logits(const gsl_matrix *H, const gsl_matrix *W_Q, const gsl_matrix *W_K,
                   gsl_matrix *L)
{
  static const char who[] = "dp_attn_logits";
  if (!H || !W_Q || !W_K || !L)
    return DP_ERROR(GSL_EFAULT, "%s: an argument is NULL", who);
  size_t R = H->size1, d = H->size2, dk = W_Q->size2;
  DP_TRY(dp_args_shape(who, "W_Q", W_Q, d, dk));
  DP_TRY(dp_args_shape(who, "W_K", W_K, d, dk));
  DP_TRY(dp_args_shape(who, "L", L, R, R));
  gsl_matrix *A = gsl_matrix_alloc(R, dk), *B = gsl_matrix_alloc(R, dk);
  int st = dp_alloc_ok("dp_attn_logits", 2, (void *[]){A, B});
  if (st == GSL_SUCCESS) {
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, H, W_Q, 0.0, A);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, H, W_K, 0.0, B);
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, A, B, 0.0, L);
  }
  gsl_matrix_free(A);
  gsl_matrix_free(B);
  return st;
}

int dp_attn_scores(const size_t *t, size_t R, const gsl_matrix *W_E, const gsl_matrix *W_Q,
                   const gsl_matrix *W_K, gsl_matrix *L, double *normH)
{
  if (!W_E || !W_Q || !L || R == 0)
    return DP_ERROR(R ? GSL_EFAULT : GSL_EBADLEN, "dp_attn_scores: NULL argument or R = 0");
  gsl_matrix *H = gsl_matrix_alloc(R, W_E->size2);
  int st = dp_alloc_ok("dp_attn_scores", 1, (void *[]){H});
  if (st == GSL_SUCCESS)
    st = dp_attn_embed(t, R, W_E, H);
  if (st == GSL_SUCCESS)
    st = dp_attn_logits(H, W_Q, W_K, L);
  if (st == GSL_SUCCESS) {
    gsl_matrix_scale(L, 1.0 / sqrt((double)W_Q->size2));
    if (normH)
      *normH = dp_resid_norm(H);
  }
  gsl_matrix_free(H);
  return st;
}

int dp_attn_bilinear(const gsl_matrix *W_E, const gsl_matrix *W_Q, const gsl_matrix *W_K,
                     gsl_matrix *G)
{
  static const char who[] = "dp_attn_bilinear";
  if (!W_E || !W_Q || !W_K || !G)
    return DP_ERROR(GSL_EFAULT, "%s: an argument is NULL", who);
  size_t V = W_E->size1, d = W_E->size2, dk = W_Q->size2;
  DP_TRY(dp_args_shape(who, "W_Q", W_Q, d, dk));
  DP_TRY(dp_args_shape(who, "W_K", W_K, d, dk));
  DP_TRY(dp_args_shape(who, "G", G, V, V));
  gsl_matrix *P = gsl_matrix_alloc(d, d), *T = gsl_matrix_alloc(V, d);
  int st = dp_alloc_ok("dp_attn_bilinear", 2, (void *[]){P, T});
  if (st == GSL_SUCCESS) {
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, W_Q, W_K, 0.0, P);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, W_E, P, 0.0, T);
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, T, W_E, 0.0, G);
  }
  gsl_matrix_free(P);
  gsl_matrix_free(T);
  return st;
}

/* --- realisation ----------------------------------------------------------------------- */

static int check_weights(const char *who, const struct dp_spectral_eig *e, size_t d, size_t d_k,
                         const gsl_matrix *W_E, const gsl_matrix *W_Q, const gsl_matrix *W_K)
{
  if (!e || !e->eval)
    return DP_ERROR(GSL_EFAULT, "%s: no eigen-decomposition", who);
  if (d == 0 || d_k == 0)
    return DP_ERROR(GSL_EBADLEN, "%s: d = %zu and d_k = %zu must be positive", who, d, d_k);
  DP_TRY(dp_args_shape(who, "W_E", W_E, e->V, d));
  DP_TRY(dp_args_shape(who, "W_Q", W_Q, d, d_k));
  return dp_args_shape(who, "W_K", W_K, d, d_k);
}

int dp_attn_realise(const struct dp_spectral_eig *e, size_t d, size_t d_k, gsl_matrix *W_E,
                    gsl_matrix *W_Q, gsl_matrix *W_K)
{
  int st = check_weights("dp_attn_realise", e, d, d_k, W_E, W_Q, W_K);
  if (st != GSL_SUCCESS)
    return st;
  size_t r = e->rank;
  if (r > d || r > d_k)
    return DP_ERROR(GSL_EINVAL, "dp_attn_realise: rank(S) = %zu exceeds min(d = %zu, d_k = %zu)",
                    r, d, d_k);
  gsl_matrix_set_zero(W_E);
  gsl_matrix_set_zero(W_Q);
  gsl_matrix_set_zero(W_K);
  double sk = sqrt((double)d_k);
  for (size_t j = 0; j < r; j++) {
    size_t o = e->order[j];
    double l = gsl_vector_get(e->eval, o), root = sqrt(fabs(l));
    for (size_t a = 0; a < e->V; a++)
      gsl_matrix_set(W_E, a, j, gsl_matrix_get(e->evec, a, o) * root);
    gsl_matrix_set(W_K, j, j, l > 0 ? sk : -sk);
  }
  for (size_t j = 0; j < d && j < d_k; j++)
    gsl_matrix_set(W_Q, j, j, 1.0);
  return GSL_SUCCESS;
}

int dp_attn_tied(const struct dp_spectral_eig *e, size_t w, gsl_matrix *W, double *bound)
{
  if (!e || !e->eval || !bound)
    return DP_ERROR(GSL_EFAULT, "dp_attn_tied: an argument is NULL");
  DP_TRY(dp_args_shape("dp_attn_tied", "W", W, e->V, w));
  gsl_vector *left = gsl_vector_calloc(e->V);
  int st = dp_alloc_ok("dp_attn_tied", 1, (void *[]){left});
  if (st == GSL_SUCCESS) {
    gsl_matrix_set_zero(W);
    size_t kept = 0;
    for (size_t j = 0; j < e->V; j++) { /* eval descending: the positive ones come first */
      double l = gsl_vector_get(e->eval, j);
      if (l > 0 && kept < w) {
        double root = sqrt(l);
        for (size_t a = 0; a < e->V; a++)
          gsl_matrix_set(W, a, kept, gsl_matrix_get(e->evec, a, j) * root);
        kept++;
      } else {
        gsl_vector_set(left, j, l); /* a negative one, or a positive one beyond the width */
      }
    }
    *bound = gsl_blas_dnrm2(left);
  }
  gsl_vector_free(left);
  return st;
}

int dp_attn_realise_tied(const struct dp_spectral_eig *e, size_t d, size_t d_k, gsl_matrix *W_E,
                         gsl_matrix *W_Q, gsl_matrix *W_K, double *bound)
{
  int st = check_weights("dp_attn_realise_tied", e, d, d_k, W_E, W_Q, W_K);
  if (st != GSL_SUCCESS)
    return st;
  size_t w = d < d_k ? d : d_k;
  gsl_matrix_set_zero(W_E);
  gsl_matrix_view Wv = gsl_matrix_submatrix(W_E, 0, 0, e->V, w);
  st = dp_attn_tied(e, w, &Wv.matrix, bound);
  double q = pow((double)d_k, 0.25);
  gsl_matrix_set_zero(W_Q);
  for (size_t j = 0; j < w; j++)
    gsl_matrix_set(W_Q, j, j, q);
  gsl_matrix_memcpy(W_K, W_Q);
  return st;
}

/* --- Eckart-Young truncation ----------------------------------------------------------- */

/* The SVD of A and the basis B (V x m) of col(A_r) + row(A_r); U, s, Vt and B allocated here
 * (B NULL when m = 0). */
static int directed_parts(const gsl_matrix *A, gsl_matrix **U, gsl_vector **s, gsl_matrix **Vt,
                          gsl_matrix **B, struct dp_attn_directed *info)
{
  size_t V = A->size1;
  info->rank = info->dim = 0;
  info->dropped = NAN;
  *U = gsl_matrix_alloc(V, V);
  *s = gsl_vector_alloc(V);
  *Vt = gsl_matrix_alloc(V, V);
  *B = NULL;
  DP_TRY(dp_alloc_ok("dp_attn_directed", 3, (void *[]){*U, *s, *Vt}));
  DP_TRY(dp_spectral_svd(A, *s, *U, *Vt));
  double s1 = gsl_vector_get(*s, 0);
  size_t r = dp_spectral_rank(*s, dp_spectral_rank_tol(V, s1));
  info->rank = r;
  info->dropped = dp_spectral_ey_tail(*s, r);
  info->dim = 0;
  if (r == 0)
    return GSL_SUCCESS;
  gsl_matrix *J = gsl_matrix_alloc(V, 2 * r), *JU = gsl_matrix_alloc(V, V < 2 * r ? V : 2 * r);
  gsl_vector *js = gsl_vector_alloc(V < 2 * r ? V : 2 * r);
  gsl_matrix *JVt = gsl_matrix_alloc(V < 2 * r ? V : 2 * r, 2 * r);
  int st = dp_alloc_ok("dp_attn_directed", 4, (void *[]){J, JU, js, JVt});
  if (st == GSL_SUCCESS) {
    for (size_t a = 0; a < V; a++)
      for (size_t j = 0; j < r; j++) {
        gsl_matrix_set(J, a, j, gsl_matrix_get(*U, a, j));
        gsl_matrix_set(J, a, r + j, gsl_matrix_get(*Vt, j, a));
      }
    st = dp_spectral_svd(J, js, JU, JVt);
  }
  if (st == GSL_SUCCESS) {
    size_t m = dp_spectral_rank(js, dp_spectral_rank_tol(V, M_SQRT2));
    info->dim = m;
    *B = gsl_matrix_alloc(V, m);
    st = dp_alloc_ok("dp_attn_directed", 1, (void *[]){*B});
    if (st == GSL_SUCCESS) {
      gsl_matrix_const_view Jm = gsl_matrix_const_submatrix(JU, 0, 0, V, m);
      gsl_matrix_memcpy(*B, &Jm.matrix);
    }
  }
  gsl_matrix_free(J);
  gsl_matrix_free(JU);
  gsl_vector_free(js);
  gsl_matrix_free(JVt);
  return st;
}

static int directed_args(const char *who, const gsl_matrix *A)
{
  if (A == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: A is NULL", who);
  if (A->size1 != A->size2 || A->size1 == 0)
    return DP_ERROR(GSL_EBADLEN, "%s: A is %zu x %zu, not square", who, A->size1, A->size2);
  return GSL_SUCCESS;
}

int dp_attn_directed_shape(const gsl_matrix *A, struct dp_attn_directed *info)
{
  DP_TRY(directed_args("dp_attn_directed_shape", A));
  if (info == NULL)
    return DP_ERROR(GSL_EFAULT, "dp_attn_directed_shape: info is NULL");
  gsl_matrix *U, *Vt, *B;
  gsl_vector *s;
  int st = directed_parts(A, &U, &s, &Vt, &B, info);
  gsl_matrix_free(U);
  gsl_vector_free(s);
  gsl_matrix_free(Vt);
  gsl_matrix_free(B);
  return st;
}

int dp_attn_realise_directed(const gsl_matrix *A, size_t d, size_t d_k, gsl_matrix *W_E,
                             gsl_matrix *W_Q, gsl_matrix *W_K, struct dp_attn_directed *info)
{
  DP_TRY(directed_args("dp_attn_realise_directed", A));
  size_t V = A->size1;
  DP_TRY(dp_args_shape("dp_attn_realise_directed", "W_E", W_E, V, d));
  DP_TRY(dp_args_shape("dp_attn_realise_directed", "W_Q", W_Q, d, d_k));
  DP_TRY(dp_args_shape("dp_attn_realise_directed", "W_K", W_K, d, d_k));
  struct dp_attn_directed own;
  if (info == NULL)
    info = &own;
  gsl_matrix *U, *Vt, *B;
  gsl_vector *s;
  int st = directed_parts(A, &U, &s, &Vt, &B, info);
  size_t r = info->rank, m = info->dim;
  if (st == GSL_SUCCESS && (m > d || r > d_k))
    st = DP_ERROR(GSL_EINVAL,
                  "dp_attn_realise_directed: dim(col + row) = %zu > d = %zu or rank = %zu > "
                  "d_k = %zu", m, d, r, d_k);
  if (st == GSL_SUCCESS) {
    gsl_matrix_set_zero(W_E);
    gsl_matrix_set_zero(W_Q);
    gsl_matrix_set_zero(W_K);
    double q = pow((double)d_k, 0.25);
    for (size_t a = 0; a < V; a++)
      for (size_t j = 0; j < m; j++)
        gsl_matrix_set(W_E, a, j, gsl_matrix_get(B, a, j));
    for (size_t l = 0; l < r; l++) {
      double root = sqrt(gsl_vector_get(s, l)) * q;
      for (size_t j = 0; j < m; j++) { /* (B^T U_r)_jl and (B^T V_r)_jl */
        double bu = 0.0, bv = 0.0;
        for (size_t a = 0; a < V; a++) {
          bu += gsl_matrix_get(B, a, j) * gsl_matrix_get(U, a, l);
          bv += gsl_matrix_get(B, a, j) * gsl_matrix_get(Vt, l, a);
        }
        gsl_matrix_set(W_Q, j, l, bu * root);
        gsl_matrix_set(W_K, j, l, bv * root);
      }
    }
  }
  gsl_matrix_free(U);
  gsl_vector_free(s);
  gsl_matrix_free(Vt);
  gsl_matrix_free(B);
  return st;
}

int dp_attn_spectral_part(const struct dp_spectral_eig *e, size_t lo, size_t k, gsl_matrix *S)
{
  if (!e || !e->eval || !S)
    return DP_ERROR(GSL_EFAULT, "dp_attn_spectral_part: an argument is NULL");
  size_t V = e->V;
  DP_TRY(dp_args_shape("dp_attn_spectral_part", "S", S, V, V));
  gsl_matrix_set_zero(S);
  if (k == 0) /* no pairs: 0, wherever lo is (a head past the vocabulary's size) */
    return GSL_SUCCESS;
  if (lo >= V || k > V - lo)
    return DP_ERROR(GSL_EBADLEN, "dp_attn_spectral_part: pairs %zu..%zu exceed V = %zu", lo,
                    lo + k - 1, V);
  /* (U_k L_k) U_k^T, inner size k */
  gsl_matrix *U = gsl_matrix_alloc(V, k), *B = gsl_matrix_alloc(V, k);
  int st = dp_alloc_ok("dp_attn_spectral_part", 2, (void *[]){U, B});
  if (st == GSL_SUCCESS) {
    for (size_t j = 0; j < k; j++) {
      size_t o = e->order[lo + j];
      double l = gsl_vector_get(e->eval, o);
      for (size_t a = 0; a < V; a++) {
        double u = gsl_matrix_get(e->evec, a, o);
        gsl_matrix_set(U, a, j, u);
        gsl_matrix_set(B, a, j, u * l);
      }
    }
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, B, U, 0.0, S);
  }
  gsl_matrix_free(U);
  gsl_matrix_free(B);
  return st;
}

int dp_attn_truncate(const struct dp_spectral_eig *e, size_t k, gsl_matrix *Sk)
{
  if (!e || !e->eval || !Sk)
    return DP_ERROR(GSL_EFAULT, "dp_attn_truncate: an argument is NULL");
  DP_TRY(dp_args_shape("dp_attn_truncate", "Sk", Sk, e->V, e->V));
  if (k > e->V)
    return DP_ERROR(GSL_EBADLEN, "dp_attn_truncate: k = %zu exceeds V = %zu", k, e->V);
  return dp_attn_spectral_part(e, 0, k, Sk);
}

int dp_attn_values(const gsl_matrix *W_E, const gsl_matrix *S, gsl_matrix *W_V, size_t *rank,
                   double *cond)
{
  if (!W_E || !S || !W_V)
    return DP_ERROR(GSL_EFAULT, "dp_attn_values: an argument is NULL");
  size_t V = W_E->size1, d = W_E->size2;
  DP_TRY(dp_args_shape("dp_attn_values", "S", S, V, V));
  DP_TRY(dp_args_shape("dp_attn_values", "W_V", W_V, d, V));
  gsl_matrix *P = gsl_matrix_alloc(d, V);
  int st = dp_alloc_ok("dp_attn_values", 1, (void *[]){P});
  if (st == GSL_SUCCESS)
    st = dp_spectral_pinv(W_E, P, rank, cond);
  if (st == GSL_SUCCESS)
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, P, S, 0.0, W_V);
  gsl_matrix_free(P);
  return st;
}

int dp_attn_normal_residual(const gsl_matrix *W_E, const gsl_matrix *W_V, const gsl_matrix *S,
                            double *norm, double *resid)
{
  static const char who[] = "dp_attn_normal_residual";
  if (!W_E || !norm)
    return DP_ERROR(GSL_EFAULT, "%s: W_E or norm is NULL", who);
  size_t V = W_E->size1, d = W_E->size2;
  DP_TRY(dp_args_shape(who, "W_V", W_V, d, V));
  DP_TRY(dp_args_shape(who, "S", S, V, V));
  gsl_matrix *P = gsl_matrix_alloc(V, V), *N = gsl_matrix_alloc(d, V);
  int st = dp_alloc_ok(who, 2, (void *[]){P, N});
  if (st == GSL_SUCCESS) {
    gsl_matrix_memcpy(P, S);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, W_E, W_V, -1.0, P); /* W_E W_V - S */
    gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, W_E, P, 0.0, N);
    *norm = dp_resid_norm(N);
    if (resid)
      *resid = dp_resid_norm(P);
  }
  gsl_matrix_free(P);
  gsl_matrix_free(N);
  return st;
}

int dp_attn_col_distance(const gsl_matrix *W_E, const gsl_matrix *S, double *dist,
                         size_t *rank)
{
  static const char who[] = "dp_attn_col_distance";
  if (!W_E)
    return DP_ERROR(GSL_EFAULT, "%s: W_E is NULL", who);
  if (!dp_resid_finite(W_E))
    return DP_ERROR(GSL_EDOM, "%s: W_E has a NaN or Inf entry", who);
  size_t V = W_E->size1, d = W_E->size2, p = V < d ? V : d;
  if (!dist)
    return DP_ERROR(GSL_EBADLEN, "dp_attn_col_distance: dist is NULL");
  DP_TRY(dp_args_shape("dp_attn_col_distance", "S", S, V, V));
  if (!dp_resid_finite(S))
    return DP_ERROR(GSL_EDOM, "dp_attn_col_distance: S has a NaN or Inf entry");
  gsl_matrix *QR = gsl_matrix_alloc(V, d), *QtS = gsl_matrix_alloc(V, V);
  gsl_vector *tau = gsl_vector_alloc(p), *norm = gsl_vector_alloc(d);
  gsl_permutation *perm = gsl_permutation_alloc(d);
  int signum = 0;
  int st = dp_alloc_ok("dp_attn_col_distance", 5, (void *[]){QR, QtS, tau, norm, perm});
  if (st == GSL_SUCCESS) {
    gsl_matrix_memcpy(QR, W_E);
    gsl_matrix_memcpy(QtS, S);
    gsl_linalg_QRPT_decomp(QR, tau, perm, &signum, norm);
    gsl_linalg_QR_QTmat(QR, tau, QtS);
    /* column pivoting makes |R_jj| non-increasing: keep the leading ones above threshold */
    double r0 = fabs(gsl_matrix_get(QR, 0, 0)), tol = dp_spectral_rank_tol(V > d ? V : d, r0);
    size_t q = 0;
    while (q < p && fabs(gsl_matrix_get(QR, q, q)) > tol)
      q++;
    /* (I - B B^T) S = Q [0; (Q^T S)(q:, :)], and Q is orthogonal */
    *dist = 0.0;
    if (q < V) {
      gsl_matrix_view rest = gsl_matrix_submatrix(QtS, q, 0, V - q, V);
      *dist = dp_resid_norm(&rest.matrix);
    }
    if (rank)
      *rank = q;
  }
  gsl_matrix_free(QR);
  gsl_matrix_free(QtS);
  gsl_vector_free(tau);
  gsl_vector_free(norm);
  gsl_permutation_free(perm);
  return st;
}
