/* position.c: the offset-resolved projection, shift masks, sinusoidal and rotary encodings,
 * the four-term split of the logits and the distance to the Toeplitz matrices (position.h).
 *
 * Serves claims C14 (positions) and C15 (the causal part of the projection).  The gather
 * route copies X^(j-i)_{t_i t_j} and does no arithmetic; the product route forms each
 * Q X^(k) Q^T by BLAS and masks it by Delta_k, so a wrong mask, offset or transpose in
 * either shows as a mismatch between the two. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>

#include "args.h"
#include "err.h"
#include "numeric.h"
#include "position.h"

int dp_pos_shift_mask(long k, gsl_matrix *D)
{
  if (D == NULL)
    return DP_ERROR(GSL_EFAULT, "dp_pos_shift_mask: D is NULL");
  if (D->size1 != D->size2)
    return DP_ERROR(GSL_EBADLEN, "dp_pos_shift_mask: D is %zu x %zu, not square", D->size1,
                    D->size2);
  size_t R = D->size1;
  for (size_t i = 0; i < R; i++)
    for (size_t j = 0; j < R; j++)
      gsl_matrix_set(D, i, j, (long)j - (long)i == k ? 1.0 : 0.0);
  return GSL_SUCCESS;
}

/* Xk holds 2c + 1 slots with V x V matrices at every k != 0. */
static int check_offsets(const char *who, const gsl_matrix *const *Xk, int c, size_t *V)
{
  if (Xk == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: offset array is NULL", who);
  if (c < 1)
    return DP_ERROR(GSL_EINVAL, "%s: window c = %d must be >= 1", who, c);
  const gsl_matrix *first = Xk[c + 1];
  if (first == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: X^(1) is NULL", who);
  *V = first->size1;
  for (int k = -c; k <= c; k++) {
    if (k == 0)
      continue;
    char name[32];
    snprintf(name, sizeof name, "X^(%d)", k);
    DP_TRY(dp_args_shape(who, name, Xk[k + c], *V, *V));
  }
  return GSL_SUCCESS;
}

int dp_pos_gather(const gsl_matrix *const *Xk, int c, const size_t *t, size_t R, int kmin,
                  int kmax, gsl_matrix *M)
{
  size_t V;
  DP_TRY(check_offsets("dp_pos_gather", Xk, c, &V));
  DP_TRY(dp_args_sequence("dp_pos_gather", t, R, V));
  DP_TRY(dp_args_shape("dp_pos_gather", "M", M, R, R));
  for (size_t i = 0; i < R; i++)
    for (size_t j = 0; j < R; j++) {
      long k = (long)j - (long)i;
      double v = 0.0;
      if (k != 0 && k >= kmin && k <= kmax && labs(k) <= c) {
        const gsl_matrix *X = Xk[k + c];
        memcpy(&v, X->data + t[i] * X->tda + t[j], sizeof v); /* a copy of the bits */
      }
      gsl_matrix_set(M, i, j, v);
    }
  return GSL_SUCCESS;
}

int dp_pos_project(const gsl_matrix *Q, const gsl_matrix *const *Xk, int c, int kmin, int kmax,
                   int masked, gsl_matrix *M)
{
  size_t V;
  DP_TRY(check_offsets("dp_pos_project", Xk, c, &V));
  if (Q == NULL)
    return DP_ERROR(GSL_EFAULT, "dp_pos_project: Q is NULL");
  size_t R = Q->size1;
  DP_TRY(dp_args_shape("dp_pos_project", "Q", Q, R, V));
  DP_TRY(dp_args_shape("dp_pos_project", "M", M, R, R));
  gsl_matrix *QX = gsl_matrix_alloc(R, V), *P = gsl_matrix_alloc(R, R);
  gsl_matrix *D = masked ? gsl_matrix_alloc(R, R) : NULL;
  int st = dp_alloc_ok("dp_pos_project", masked ? 3 : 2, (void *[]){QX, P, D});
  if (st == GSL_SUCCESS) {
    gsl_matrix_set_zero(M);
    for (int k = kmin < -c ? -c : kmin; k <= kmax && k <= c; k++) {
      if (k == 0)
        continue;
      gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, Q, Xk[k + c], 0.0, QX);
      gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, QX, Q, 0.0, P);
      if (masked) {
        dp_pos_shift_mask(k, D);
        gsl_matrix_mul_elements(P, D);
      }
      gsl_matrix_add(M, P);
    }
  }
  gsl_matrix_free(QX);
  gsl_matrix_free(P);
  gsl_matrix_free(D);
  return st;
}

int dp_pos_sinusoidal(double base, gsl_matrix *P)
{
  if (P == NULL)
    return DP_ERROR(GSL_EFAULT, "dp_pos_sinusoidal: P is NULL");
  if (!(base > 1.0) || !isfinite(base))
    return DP_ERROR(GSL_EINVAL, "dp_pos_sinusoidal: base %g must be finite and > 1", base);
  size_t R = P->size1, d = P->size2;
  for (size_t m = 0; 2 * m < d; m++) {
    double w = pow(base, -(double)(2 * m) / (double)d);
    for (size_t i = 0; i < R; i++) {
      double a = (double)i * w;
      gsl_matrix_set(P, i, 2 * m, sin(a));
      if (2 * m + 1 < d)
        gsl_matrix_set(P, i, 2 * m + 1, cos(a));
    }
  }
  return GSL_SUCCESS;
}

int dp_pos_toeplitz_residual(const gsl_matrix *G, double *res)
{
  if (G == NULL || res == NULL)
    return DP_ERROR(GSL_EFAULT, "dp_pos_toeplitz_residual: NULL argument");
  if (G->size1 != G->size2)
    return DP_ERROR(GSL_EBADLEN, "dp_pos_toeplitz_residual: G is %zu x %zu, not square",
                    G->size1, G->size2);
  size_t n = G->size1;
  struct dp_numeric_ssq acc = {0};
  for (long k = -(long)n + 1; k < (long)n; k++) {
    size_t i0 = k < 0 ? (size_t)-k : 0, j0 = k < 0 ? 0 : (size_t)k, len = n - (size_t)labs(k);
    struct dp_numeric_sum s = {0};
    for (size_t l = 0; l < len; l++)
      dp_numeric_sum_add(&s, gsl_matrix_get(G, i0 + l, j0 + l));
    double mean = dp_numeric_sum_value(&s) / (double)len;
    for (size_t l = 0; l < len; l++)
      dp_numeric_ssq_add(&acc, gsl_matrix_get(G, i0 + l, j0 + l) - mean);
  }
  *res = dp_numeric_ssq_norm(&acc);
  return GSL_SUCCESS;
}

void dp_pos_rotate(const double *x, size_t n, long pos, double base, double *y)
{
  for (size_t m = 0; 2 * m + 1 < n; m++) {
    double w = pow(base, -(double)(2 * m) / (double)n), a = (double)pos * w;
    double cs = cos(a), sn = sin(a), u = x[2 * m], v = x[2 * m + 1];
    y[2 * m] = cs * u - sn * v;
    y[2 * m + 1] = sn * u + cs * v;
  }
  if (n % 2 == 1)
    y[n - 1] = x[n - 1];
}

int dp_pos_rotary_logits(const gsl_matrix *Qm, const gsl_matrix *Km, double base,
                         gsl_matrix *L_abs, gsl_matrix *L_rel)
{
  if (Qm == NULL || Km == NULL)
    return DP_ERROR(GSL_EFAULT, "dp_pos_rotary_logits: NULL argument");
  size_t R = Qm->size1, n = Qm->size2;
  DP_TRY(dp_args_shape("dp_pos_rotary_logits", "K", Km, R, n));
  if (L_abs)
    DP_TRY(dp_args_shape("dp_pos_rotary_logits", "L_abs", L_abs, R, R));
  if (L_rel)
    DP_TRY(dp_args_shape("dp_pos_rotary_logits", "L_rel", L_rel, R, R));
  if (!(base > 1.0) || !isfinite(base))
    return DP_ERROR(GSL_EINVAL, "dp_pos_rotary_logits: base %g must be finite and > 1", base);
  gsl_matrix *Qr = gsl_matrix_alloc(R, n), *Kr = gsl_matrix_alloc(R, n);
  double *y = malloc(n * sizeof *y);
  int st = dp_alloc_ok("dp_pos_rotary_logits", 3, (void *[]){Qr, Kr, y});
  if (st == GSL_SUCCESS && L_abs) {
    for (size_t i = 0; i < R; i++) {
      dp_pos_rotate(Qm->data + i * Qm->tda, n, (long)i, base, Qr->data + i * Qr->tda);
      dp_pos_rotate(Km->data + i * Km->tda, n, (long)i, base, Kr->data + i * Kr->tda);
    }
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, Qr, Kr, 0.0, L_abs);
  }
  if (st == GSL_SUCCESS && L_rel)
    for (size_t i = 0; i < R; i++)
      for (size_t j = 0; j < R; j++) {
        dp_pos_rotate(Km->data + j * Km->tda, n, (long)j - (long)i, base, y);
        gsl_vector_const_view q = gsl_matrix_const_row(Qm, i);
        gsl_vector_view yv = gsl_vector_view_array(y, n);
        double dot;
        gsl_blas_ddot(&q.vector, &yv.vector, &dot);
        gsl_matrix_set(L_rel, i, j, dot);
      }
  gsl_matrix_free(Qr);
  gsl_matrix_free(Kr);
  free(y);
  return st;
}

int dp_pos_logit_terms(const gsl_matrix *C, const gsl_matrix *P, const gsl_matrix *W_Q,
                       const gsl_matrix *W_K, gsl_matrix *const terms[4])
{
  if (C == NULL || P == NULL || W_Q == NULL || W_K == NULL || terms == NULL)
    return DP_ERROR(GSL_EFAULT, "dp_pos_logit_terms: NULL argument");
  size_t R = C->size1, d = C->size2, dk = W_Q->size2;
  DP_TRY(dp_args_shape("dp_pos_logit_terms", "P", P, R, d));
  DP_TRY(dp_args_shape("dp_pos_logit_terms", "W_Q", W_Q, d, dk));
  DP_TRY(dp_args_shape("dp_pos_logit_terms", "W_K", W_K, d, dk));
  for (int k = 0; k < 4; k++)
    DP_TRY(dp_args_shape("dp_pos_logit_terms", "term", terms[k], R, R));
  gsl_matrix *CQ = gsl_matrix_alloc(R, dk), *CK = gsl_matrix_alloc(R, dk);
  gsl_matrix *PQ = gsl_matrix_alloc(R, dk), *PK = gsl_matrix_alloc(R, dk);
  int st = dp_alloc_ok("dp_pos_logit_terms", 4, (void *[]){CQ, CK, PQ, PK});
  if (st == GSL_SUCCESS) {
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, C, W_Q, 0.0, CQ);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, C, W_K, 0.0, CK);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, P, W_Q, 0.0, PQ);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, P, W_K, 0.0, PK);
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, CQ, CK, 0.0, terms[0]);
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, CQ, PK, 0.0, terms[1]);
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, PQ, CK, 0.0, terms[2]);
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, PQ, PK, 0.0, terms[3]);
  }
  gsl_matrix_free(CQ);
  gsl_matrix_free(CK);
  gsl_matrix_free(PQ);
  gsl_matrix_free(PK);
  return st;
}
