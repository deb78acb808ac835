/* attn.c: the attention engine's logits, weights realisation, truncation and values.
 *
 * Serves claims C07-C10 (from M = Q S Q^T to the Transformer's logits and values).  C07: the
 * logits H W_Q W_K^T H^T with H = Q W_E are computed as (H W_Q)(H W_K)^T, and the bilinear
 * form W_E (W_Q W_K^T) W_E^T by the other association, so the identity compares two routes.
 * C08: S = U L U^T (LAPACK's dsyevd through dp_spectral_eigen, dp_attn_eigen), split
 * by sign; the untied realisation W_E = U_r |L_r|^(1/2), W_Q = I, W_K = sqrt(d_k) sign(L_r),
 * each embedded as the top-left block of a matrix of the Transformer's shape (V x d,
 * d x d_k), since the paper's "W_Q = I" and "sign(L_r)" are square only when d = d_k = r; and
 * the tied optimum W = U_+ L_+^(1/2) with the nearest-PSD bound.  C09: S_k keeps the k
 * largest |lambda| (for symmetric S the singular values are the |lambda|), and the
 * Eckart-Young tail comes from gsl_linalg_SV_decomp, a route independent of the eigensolver.
 * C10: the Moore-Penrose pseudo-inverse by SVD, and the distance of S to col(W_E) by QR with
 * column pivoting, a route independent of the SVD.  Shapes are checked on entry, so the BLAS
 * products inside cannot fail and their status is not tested again.  Thresholds are
 * spectral.h's (DP_RANK_SAFETY n eps ||A||_2) and tol.h's; no tolerance lives here. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_sort_vector.h>
#include "args.h"
#include "attn.h"
#include "err.h"
#include "resid.h"
#include "spectral.h"
#include "tol.h"

unsigned dp_attn_fail_alloc = 0;

int dp_attn_alloc_ok(const char *who, size_t n, void *const *p)
{
  size_t i = 0;
  while (i < n && p[i])
    i++;
  int injected = dp_attn_fail_alloc > 0 && --dp_attn_fail_alloc == 0;
  return i == n && !injected ? GSL_SUCCESS : DP_ERROR(GSL_ENOMEM, "%s: out of memory", who);
}

/* The exponent e with max |A_ij| in [2^(e-1), 2^e) (0 for A = 0): decompositions run on
 * 2^-e A, exactly, so that no square of an entry overflows or underflows inside GSL. */
static int pow2_exponent(const gsl_matrix *A)
{
  double mx = 0.0;
  for (size_t i = 0; i < A->size1; i++)
    for (size_t j = 0; j < A->size2; j++)
      mx = fmax(mx, fabs(gsl_matrix_get(A, i, j)));
  int e = 0;
  frexp(mx, &e); /* e = 0 for mx = 0 */
  return e;
}

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
  int st = dp_attn_alloc_ok("dp_attn_logits", 2, (void *[]){A, B});
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
  int st = dp_attn_alloc_ok("dp_attn_scores", 1, (void *[]){H});
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
  int st = dp_attn_alloc_ok("dp_attn_bilinear", 2, (void *[]){P, T});
  if (st == GSL_SUCCESS) {
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, W_Q, W_K, 0.0, P);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, W_E, P, 0.0, T);
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, T, W_E, 0.0, G);
  }
  gsl_matrix_free(P);
  gsl_matrix_free(T);
  return st;
}

/* --- eigen-decomposition with the sign split ------------------------------------------- */

int dp_attn_eigen(const gsl_matrix *A, gsl_vector *eval, gsl_matrix *evec)
{
  /* One eigensolver for the whole engine: LAPACK's dsyevd behind dp_spectral_eigen. */
  return dp_spectral_eigen(A, eval, evec);
}

struct absidx {
  double a;
  size_t i;
};

static int cmp_absidx(const void *p, const void *q)
{
  const struct absidx *x = p, *y = q;
  if (x->a != y->a)
    return x->a > y->a ? -1 : 1;
  return x->i < y->i ? -1 : 1; /* indices are distinct */
}

void dp_attn_eig_free(struct dp_attn_eig *e)
{
  if (!e)
    return;
  gsl_vector_free(e->eval);
  gsl_matrix_free(e->evec);
  free(e->order);
  memset(e, 0, sizeof *e);
}

int dp_attn_eig_make(const gsl_matrix *S, struct dp_attn_eig *e)
{
  if (!S || !e)
    return DP_ERROR(GSL_EFAULT, "dp_attn_eig_make: an argument is NULL");
  memset(e, 0, sizeof *e);
  size_t V = S->size1;
  if (V == 0 || S->size2 != V)
    return DP_ERROR(GSL_ENOTSQR, "dp_attn_eig_make: S is %zu x %zu, not square and non-empty",
                    S->size1, S->size2);
  e->V = V;
  e->eval = gsl_vector_alloc(V);
  e->evec = gsl_matrix_alloc(V, V);
  e->order = malloc(V * sizeof *e->order);
  struct absidx *ai = malloc(V * sizeof *ai);
  int st = dp_attn_alloc_ok("dp_attn_eig_make", 4, (void *[]){e->eval, e->evec, e->order, ai});
  if (st == GSL_SUCCESS)
    st = dp_attn_eigen(S, e->eval, e->evec);
  if (st == GSL_SUCCESS) {
    for (size_t j = 0; j < V; j++) {
      ai[j].a = fabs(gsl_vector_get(e->eval, j));
      ai[j].i = j;
      e->norm2 = fmax(e->norm2, ai[j].a);
    }
    qsort(ai, V, sizeof *ai, cmp_absidx);
    e->tol = dp_spectral_rank_tol(V, e->norm2);
    for (size_t j = 0; j < V; j++) {
      double l = gsl_vector_get(e->eval, j);
      e->order[j] = ai[j].i;
      e->rank += fabs(l) > e->tol;
      e->npos += l > e->tol;
      e->nneg += l < -e->tol;
    }
  }
  free(ai);
  if (st != GSL_SUCCESS)
    dp_attn_eig_free(e);
  return st;
}

double dp_attn_eig_nuclear(const struct dp_attn_eig *e, size_t k)
{
  double s = 0.0;
  for (size_t j = 0; j < k && j < e->V; j++)
    s += fabs(gsl_vector_get(e->eval, e->order[j]));
  return s;
}

/* --- realisation ----------------------------------------------------------------------- */

static int check_weights(const char *who, const struct dp_attn_eig *e, size_t d, size_t d_k,
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

int dp_attn_realise(const struct dp_attn_eig *e, size_t d, size_t d_k, gsl_matrix *W_E,
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

int dp_attn_tied(const struct dp_attn_eig *e, size_t w, gsl_matrix *W, double *bound)
{
  if (!e || !e->eval || !bound)
    return DP_ERROR(GSL_EFAULT, "dp_attn_tied: an argument is NULL");
  DP_TRY(dp_args_shape("dp_attn_tied", "W", W, e->V, w));
  gsl_vector *left = gsl_vector_calloc(e->V);
  int st = dp_attn_alloc_ok("dp_attn_tied", 1, (void *[]){left});
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

int dp_attn_realise_tied(const struct dp_attn_eig *e, size_t d, size_t d_k, gsl_matrix *W_E,
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

int dp_attn_truncate(const struct dp_attn_eig *e, size_t k, gsl_matrix *Sk)
{
  if (!e || !e->eval || !Sk)
    return DP_ERROR(GSL_EFAULT, "dp_attn_truncate: an argument is NULL");
  size_t V = e->V;
  DP_TRY(dp_args_shape("dp_attn_truncate", "Sk", Sk, V, V));
  if (k > V)
    return DP_ERROR(GSL_EBADLEN, "dp_attn_truncate: k = %zu exceeds V = %zu", k, V);
  gsl_matrix_set_zero(Sk);
  if (k == 0)
    return GSL_SUCCESS;
  gsl_matrix *U = gsl_matrix_alloc(V, k), *B = gsl_matrix_alloc(V, k);
  int st = dp_attn_alloc_ok("dp_attn_truncate", 2, (void *[]){U, B});
  if (st == GSL_SUCCESS) {
    for (size_t j = 0; j < k; j++) {
      size_t o = e->order[j];
      double l = gsl_vector_get(e->eval, o);
      for (size_t a = 0; a < V; a++) {
        double u = gsl_matrix_get(e->evec, a, o);
        gsl_matrix_set(U, a, j, u);
        gsl_matrix_set(B, a, j, u * l);
      }
    }
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, B, U, 0.0, Sk);
  }
  gsl_matrix_free(U);
  gsl_matrix_free(B);
  return st;
}

static int svd_input_ok(const char *who, const gsl_matrix *A)
{
  if (!A)
    return DP_ERROR(GSL_EFAULT, "%s: matrix is NULL", who);
  if (A->size1 == 0 || A->size2 == 0)
    return DP_ERROR(GSL_EBADLEN, "%s: matrix is empty (%zu x %zu)", who, A->size1, A->size2);
  if (!dp_resid_finite(A))
    return DP_ERROR(GSL_EDOM, "%s: matrix has a NaN or Inf entry", who);
  return GSL_SUCCESS;
}

/* The SVD of A (m x n): A = U diag(s) V^T for m >= n (U m x n, V n x n, s n, descending);
 * for m < n the SVD of A^T (U n x m, V m x m).  *tr says which.  Runs on 2^-e A and scales s
 * back (exact): unscaled, GSL's Golub-Kahan iteration fails to converge on symmetric
 * Gaussians scaled by 2^400.  On failure the three are NULL. */
struct svd {
  gsl_matrix *U, *V;
  gsl_vector *s;
  int tr;
};

static void svd_free(struct svd *x)
{
  gsl_matrix_free(x->U);
  gsl_matrix_free(x->V);
  gsl_vector_free(x->s);
  x->U = x->V = NULL;
  x->s = NULL;
}

static int svd_of(const char *who, const gsl_matrix *A, struct svd *x)
{
  memset(x, 0, sizeof *x);
  int st = svd_input_ok(who, A);
  if (st != GSL_SUCCESS)
    return st;
  x->tr = A->size1 < A->size2;
  size_t m = x->tr ? A->size2 : A->size1, n = x->tr ? A->size1 : A->size2;
  x->U = gsl_matrix_alloc(m, n);
  x->V = gsl_matrix_alloc(n, n);
  x->s = gsl_vector_alloc(n);
  gsl_vector *work = gsl_vector_alloc(n);
  st = dp_attn_alloc_ok(who, 4, (void *[]){x->U, x->V, x->s, work});
  if (st == GSL_SUCCESS) {
    int e = pow2_exponent(A);
    if (x->tr)
      gsl_matrix_transpose_memcpy(x->U, A);
    else
      gsl_matrix_memcpy(x->U, A);
    gsl_matrix_scale(x->U, ldexp(1.0, -e));
    st = gsl_linalg_SV_decomp(x->U, x->V, x->s, work);
    gsl_vector_scale(x->s, ldexp(1.0, e));
  }
  gsl_vector_free(work);
  if (st != GSL_SUCCESS)
    svd_free(x);
  return st;
}

int dp_attn_singular_values(const gsl_matrix *A, gsl_vector *sigma)
{
  if (A && (!sigma || sigma->size != (A->size1 < A->size2 ? A->size1 : A->size2)))
    return DP_ERROR(GSL_EBADLEN, "dp_attn_singular_values: sigma must have min(m, n) entries");
  struct svd x;
  int st = svd_of("dp_attn_singular_values", A, &x);
  if (st == GSL_SUCCESS)
    gsl_vector_memcpy(sigma, x.s);
  svd_free(&x);
  return st;
}

double dp_attn_ey_tail(const gsl_vector *sigma, size_t k)
{
  if (!sigma || k >= sigma->size)
    return 0.0;
  gsl_vector_const_view tail = gsl_vector_const_subvector(sigma, k, sigma->size - k);
  return gsl_blas_dnrm2(&tail.vector);
}

/* --- values ---------------------------------------------------------------------------- */

int dp_attn_pinv(const gsl_matrix *A, gsl_matrix *Ap, size_t *rank, double *cond)
{
  if (A)
    DP_TRY(dp_args_shape("dp_attn_pinv", "Ap", Ap, A->size2, A->size1));
  struct svd x;
  int st = svd_of("dp_attn_pinv", A, &x);
  if (st != GSL_SUCCESS)
    return st;
  /* m >= n: A = U s V^T, A^+ = V s^+ U^T.  m < n: A^T = U s V^T, A^+ = U s^+ V^T.  Either way
   * A^+ = L s^+ Rt^T with L the n-side and Rt the m-side singular vectors. */
  size_t m = A->size1, n = A->size2, q = 0;
  const gsl_matrix *Ln = x.tr ? x.U : x.V, *Rm = x.tr ? x.V : x.U;
  double s1 = gsl_vector_get(x.s, 0), tol = dp_spectral_rank_tol(m > n ? m : n, s1);
  while (q < x.s->size && gsl_vector_get(x.s, q) > tol)
    q++;
  gsl_matrix_set_zero(Ap);
  gsl_matrix *X = gsl_matrix_alloc(n, q ? q : 1); /* L's first q columns divided by s */
  st = dp_attn_alloc_ok("dp_attn_pinv", 1, (void *[]){X});
  if (st == GSL_SUCCESS && q) {
    for (size_t j = 0; j < q; j++) {
      double inv = 1.0 / gsl_vector_get(x.s, j);
      for (size_t i = 0; i < n; i++)
        gsl_matrix_set(X, i, j, gsl_matrix_get(Ln, i, j) * inv);
    }
    gsl_matrix_const_view Rq = gsl_matrix_const_submatrix(Rm, 0, 0, m, q);
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, X, &Rq.matrix, 0.0, Ap);
  }
  if (rank)
    *rank = q;
  if (cond)
    *cond = q ? s1 / gsl_vector_get(x.s, q - 1) : 1.0;
  gsl_matrix_free(X);
  svd_free(&x);
  return st;
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
  int st = dp_attn_alloc_ok("dp_attn_values", 1, (void *[]){P});
  if (st == GSL_SUCCESS)
    st = dp_attn_pinv(W_E, P, rank, cond);
  if (st == GSL_SUCCESS)
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, P, S, 0.0, W_V);
  gsl_matrix_free(P);
  return st;
}

int dp_attn_col_distance(const gsl_matrix *W_E, const gsl_matrix *S, double *dist,
                         size_t *rank)
{
  int st = svd_input_ok("dp_attn_col_distance", W_E);
  if (st != GSL_SUCCESS)
    return st;
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
  st = dp_attn_alloc_ok("dp_attn_col_distance", 5, (void *[]){QR, QtS, tau, norm, perm});
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
