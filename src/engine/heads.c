/* heads.c: multi-head attention (heads.h): the head split, the spectral groups, the per-head
 * realisation, the output projection's two routes and the softmax outputs.  Built on attn.c
 * (the embedding, the shared W_E of C08's realisation, the scaled logits), softmax.c (the row
 * softmax) and spectral.c (the eigen-decomposition with its |lambda| order). */
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_blas.h>
#include "args.h"
#include "attn.h"
#include "err.h"
#include "heads.h"
#include "softmax.h"
#include "spectral.h"

int dp_heads_split(size_t n, size_t h, size_t *w)
{
  if (!w)
    return DP_ERROR(GSL_EFAULT, "dp_heads_split: w is NULL");
  if (h == 0 || h > n)
    return DP_ERROR(GSL_EINVAL, "dp_heads_split: h = %zu heads must be in 1..%zu", h, n);
  for (size_t g = 0; g < h; g++)
    w[g] = n / h + (g < n % h);
  return GSL_SUCCESS;
}

size_t dp_heads_group_rank(const struct dp_spectral_eig *e, size_t lo, size_t w)
{
  if (!e || lo >= e->rank)
    return 0;
  return e->rank - lo < w ? e->rank - lo : w;
}

int dp_heads_group(const struct dp_spectral_eig *e, size_t lo, size_t w, gsl_matrix *Sg)
{
  if (!e || !e->eval)
    return DP_ERROR(GSL_EFAULT, "dp_heads_group: no eigen-decomposition");
  DP_TRY(dp_args_shape("dp_heads_group", "S^(g)", Sg, e->V, e->V));
  return dp_attn_spectral_part(e, lo, dp_heads_group_rank(e, lo, w), Sg);
}

int dp_heads_realise(const struct dp_spectral_eig *e, size_t h, const size_t *w, const size_t *dk,
                     gsl_matrix *W_E, gsl_matrix *const *W_Q, gsl_matrix *const *W_K)
{
  static const char who[] = "dp_heads_realise";
  if (!e || !e->eval || !w || !dk || !W_E || !W_Q || !W_K)
    return DP_ERROR(GSL_EFAULT, "%s: an argument is NULL", who);
  size_t d = W_E->size2, sum = 0;
  if (h == 0)
    return DP_ERROR(GSL_EBADLEN, "%s: no heads", who);
  DP_TRY(dp_args_shape(who, "W_E", W_E, e->V, d));
  for (size_t g = 0; g < h; g++) {
    if (w[g] == 0 || dk[g] == 0)
      return DP_ERROR(GSL_EBADLEN, "%s: head %zu has width %zu and key width %zu", who, g, w[g],
                      dk[g]);
    DP_TRY(dp_args_shape(who, "W_Q[g]", W_Q[g], d, dk[g]));
    DP_TRY(dp_args_shape(who, "W_K[g]", W_K[g], d, dk[g]));
    sum += w[g];
  }
  if (sum != d)
    return DP_ERROR(GSL_EBADLEN, "%s: the head widths sum to %zu, not d = %zu", who, sum, d);
  if (e->rank > d)
    return DP_ERROR(GSL_EINVAL, "%s: rank(S) = %zu exceeds d = %zu", who, e->rank, d);
  for (size_t g = 0, off = 0; g < h; off += w[g], g++)
    if (dp_heads_group_rank(e, off, w[g]) > dk[g])
      return DP_ERROR(GSL_EINVAL, "%s: head %zu holds %zu eigenpairs, more than d_k = %zu", who,
                      g, dp_heads_group_rank(e, off, w[g]), dk[g]);
  /* the shared embedding: C08's, of width d (its W_Q and W_K are not used) */
  gsl_matrix *Q1 = gsl_matrix_alloc(d, d), *K1 = gsl_matrix_alloc(d, d);
  int st = dp_alloc_ok(who, 2, (void *[]){Q1, K1});
  if (st == GSL_SUCCESS)
    st = dp_attn_realise(e, d, d, W_E, Q1, K1);
  for (size_t g = 0, off = 0; g < h && st == GSL_SUCCESS; off += w[g], g++) {
    size_t m = dp_heads_group_rank(e, off, w[g]);
    double sk = sqrt((double)dk[g]);
    gsl_matrix_set_zero(W_Q[g]);
    gsl_matrix_set_zero(W_K[g]);
    for (size_t i = 0; i < w[g] && i < dk[g]; i++) /* the head reads its own block */
      gsl_matrix_set(W_Q[g], off + i, i, 1.0);
    for (size_t i = 0; i < m; i++)
      gsl_matrix_set(W_K[g], off + i, i,
                     gsl_vector_get(e->eval, e->order[off + i]) > 0 ? sk : -sk);
  }
  gsl_matrix_free(Q1);
  gsl_matrix_free(K1);
  return st;
}

int dp_heads_logits(const size_t *t, size_t R, const gsl_matrix *W_E, size_t h,
                    const gsl_matrix *const *W_Q, const gsl_matrix *const *W_K, gsl_matrix *const *L,
                    gsl_matrix *Lsum, double *normH)
{
  static const char who[] = "dp_heads_logits";
  if (!W_E || !W_Q || !W_K)
    return DP_ERROR(GSL_EFAULT, "%s: an argument is NULL", who);
  if (h == 0)
    return DP_ERROR(GSL_EBADLEN, "%s: no heads", who);
  DP_TRY(dp_args_sequence(who, t, R, W_E->size1));
  if (Lsum)
    DP_TRY(dp_args_shape(who, "Lsum", Lsum, R, R));
  for (size_t g = 0; g < h; g++)
    if (L && L[g])
      DP_TRY(dp_args_shape(who, "L[g]", L[g], R, R));
  gsl_matrix *Lg = gsl_matrix_alloc(R, R);
  int st = dp_alloc_ok(who, 1, (void *[]){Lg});
  if (st == GSL_SUCCESS && Lsum)
    gsl_matrix_set_zero(Lsum);
  for (size_t g = 0; g < h && st == GSL_SUCCESS; g++) {
    st = dp_attn_scores(t, R, W_E, W_Q[g], W_K[g], Lg, g == 0 ? normH : NULL);
    if (st == GSL_SUCCESS && Lsum)
      gsl_matrix_add(Lsum, Lg);
    if (st == GSL_SUCCESS && L && L[g])
      gsl_matrix_memcpy(L[g], Lg);
  }
  gsl_matrix_free(Lg);
  return st;
}

/* The heads' shapes against W_O: every heads[g] R x dv_g, sum dv_g = W_O's rows, Out R x d_out. */
static int check_heads(const char *who, size_t h, const gsl_matrix *const *heads,
                       const gsl_matrix *W_O, const gsl_matrix *Out)
{
  if (!heads || !W_O || !Out)
    return DP_ERROR(GSL_EFAULT, "%s: an argument is NULL", who);
  if (h == 0)
    return DP_ERROR(GSL_EBADLEN, "%s: no heads", who);
  size_t R = Out->size1, dv = 0;
  for (size_t g = 0; g < h; g++) {
    if (!heads[g])
      return DP_ERROR(GSL_EFAULT, "%s: head %zu is NULL", who, g);
    DP_TRY(dp_args_shape(who, "heads[g]", heads[g], R, heads[g]->size2));
    dv += heads[g]->size2;
  }
  return dp_args_shape(who, "W_O", W_O, dv, Out->size2);
}

int dp_heads_concat(size_t h, const gsl_matrix *const *heads, const gsl_matrix *W_O,
                    gsl_matrix *Out)
{
  DP_TRY(check_heads("dp_heads_concat", h, heads, W_O, Out));
  gsl_matrix *C = gsl_matrix_alloc(Out->size1, W_O->size1);
  int st = dp_alloc_ok("dp_heads_concat", 1, (void *[]){C});
  if (st == GSL_SUCCESS) {
    for (size_t g = 0, off = 0; g < h; off += heads[g]->size2, g++) {
      gsl_matrix_view blk = gsl_matrix_submatrix(C, 0, off, C->size1, heads[g]->size2);
      gsl_matrix_memcpy(&blk.matrix, heads[g]);
    }
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, C, W_O, 0.0, Out);
  }
  gsl_matrix_free(C);
  return st;
}

int dp_heads_sum(size_t h, const gsl_matrix *const *heads, const gsl_matrix *W_O, gsl_matrix *Out)
{
  DP_TRY(check_heads("dp_heads_sum", h, heads, W_O, Out));
  for (size_t g = 0, off = 0; g < h; off += heads[g]->size2, g++) {
    gsl_matrix_const_view blk = gsl_matrix_const_submatrix(W_O, off, 0, heads[g]->size2,
                                                           W_O->size2);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, heads[g], &blk.matrix, g ? 1.0 : 0.0, Out);
  }
  return GSL_SUCCESS;
}

int dp_heads_values(const size_t *t, size_t R, const gsl_matrix *W_E, size_t h,
                    const gsl_matrix *const *L, const gsl_matrix *W_V, const size_t *dv,
                    gsl_matrix *const *heads)
{
  static const char who[] = "dp_heads_values";
  if (!W_E || !L || !W_V || !dv || !heads)
    return DP_ERROR(GSL_EFAULT, "%s: an argument is NULL", who);
  if (h == 0)
    return DP_ERROR(GSL_EBADLEN, "%s: no heads", who);
  DP_TRY(dp_args_sequence(who, t, R, W_E->size1));
  size_t d = W_E->size2, sum = 0;
  for (size_t g = 0; g < h; g++) {
    if (dv[g] == 0)
      return DP_ERROR(GSL_EBADLEN, "%s: head %zu has value width 0", who, g);
    DP_TRY(dp_args_shape(who, "L[g]", L[g], R, R));
    DP_TRY(dp_args_shape(who, "heads[g]", heads[g], R, dv[g]));
    sum += dv[g];
  }
  DP_TRY(dp_args_shape(who, "W_V", W_V, d, sum));
  gsl_matrix *H = gsl_matrix_alloc(R, d), *A = gsl_matrix_alloc(R, R);
  int st = dp_alloc_ok(who, 2, (void *[]){H, A});
  if (st == GSL_SUCCESS)
    st = dp_attn_embed(t, R, W_E, H);
  for (size_t g = 0, off = 0; g < h && st == GSL_SUCCESS; off += dv[g], g++) {
    gsl_matrix *HW = gsl_matrix_alloc(R, dv[g]);
    st = dp_alloc_ok(who, 1, (void *[]){HW});
    if (st == GSL_SUCCESS)
      st = dp_softmax_rows(L[g], 1.0, NULL, A, NULL);
    if (st == GSL_SUCCESS) {
      gsl_matrix_const_view blk = gsl_matrix_const_submatrix(W_V, 0, off, d, dv[g]);
      gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, H, &blk.matrix, 0.0, HW);
      gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, A, HW, 0.0, heads[g]);
    }
    gsl_matrix_free(HW);
  }
  gsl_matrix_free(H);
  gsl_matrix_free(A);
  return st;
}

int dp_heads_single(const size_t *t, size_t R, const gsl_matrix *W_E, const gsl_matrix *L,
                    const gsl_matrix *W_V, const gsl_matrix *W_O, gsl_matrix *O)
{
  static const char who[] = "dp_heads_single";
  if (!W_E || !L || !W_V || !W_O || !O)
    return DP_ERROR(GSL_EFAULT, "%s: an argument is NULL", who);
  DP_TRY(dp_args_sequence(who, t, R, W_E->size1));
  DP_TRY(dp_args_shape(who, "W_V", W_V, W_E->size2, W_V->size2));
  DP_TRY(dp_args_shape(who, "W_O", W_O, W_V->size2, O->size2));
  DP_TRY(dp_args_shape(who, "O", O, R, W_O->size2));
  gsl_matrix *head = gsl_matrix_alloc(R, W_V->size2);
  int st = dp_alloc_ok(who, 1, (void *[]){head});
  if (st == GSL_SUCCESS) {
    const gsl_matrix *Ls[1] = {L};
    size_t dv[1] = {W_V->size2};
    st = dp_heads_values(t, R, W_E, 1, Ls, W_V, dv, (gsl_matrix *const[]){head});
  }
  if (st == GSL_SUCCESS)
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, head, W_O, 0.0, O);
  gsl_matrix_free(head);
  return st;
}
