/* attn.h: the attention engine's logits, weights realisation, truncation and values.
 *
 * Paper: from the projection M = Q S Q^T to the Transformer's logits and values (claims
 * C07-C10).  The logits H W_Q W_K^T H^T with H = Q W_E, computed along two associations
 * (C07); from the eigen-decomposition S = U L U^T with its sign split (dp_spectral_eig,
 * spectral.h), the realisation W_E = U_r |L_r|^(1/2), W_Q = I, W_K = sqrt(d_k) sign(L_r)
 * embedded into d x d_k blocks, and the tied-weights optimum W = U_+ L_+^(1/2) with the exact
 * lower bound min_W ||S - W W^T||_F (C08); the Eckart-Young truncation S_k keeping the k
 * largest |lambda| (C09; the tail sqrt(sum_{i>k} sigma_i^2) is spectral.h's); the values
 * W_V = W_E^+ S with spectral.h's pseudo-inverse, and the distance of S to col(W_E) by QR
 * (C10).  Plus the attention-instance generator (family_attn.c) and the real-text instances
 * built from a corpus.  Functions that can fail return a GSL status and record the reason
 * through dp_err (allocations checked through dp_alloc_ok, err.h); rank
 * thresholds follow spectral.h (DP_RANK_SAFETY * n * eps * ||A||_2). */
#ifndef DP_ATTN_H
#define DP_ATTN_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

struct dp_spectral_eig; /* spectral.h */

/* --- logits (C07) ---------------------------------------------------------------------- */

/* H = Q W_E gathered: row i of H (R x d) is row t_i of W_E (V x d); exact (no arithmetic). */
int dp_attn_embed(const size_t *t, size_t R, const gsl_matrix *W_E, gsl_matrix *H);
/* L = (H W_Q)(H W_K)^T (R x R): H (R x d), W_Q and W_K (d x d_k). */
int dp_attn_logits(const gsl_matrix *H, const gsl_matrix *W_Q, const gsl_matrix *W_K,
                   gsl_matrix *L);
/* The scaled logits of a sequence: L (R x R) = H W_Q W_K^T H^T / sqrt(d_k) with H = Q W_E,
 * t (R tokens < V), W_E (V x d), W_Q and W_K (d x d_k); *normH (may be NULL) = ||H||_F. */
int dp_attn_scores(const size_t *t, size_t R, const gsl_matrix *W_E, const gsl_matrix *W_Q,
                   const gsl_matrix *W_K, gsl_matrix *L, double *normH);
/* G = W_E (W_Q W_K^T) W_E^T (V x V) by the other association (the d x d product first):
 * W_E (V x d), W_Q and W_K (d x d_k). */
int dp_attn_bilinear(const gsl_matrix *W_E, const gsl_matrix *W_Q, const gsl_matrix *W_K,
                     gsl_matrix *G);

/* --- realisation (C08) ----------------------------------------------------------------- */

/* Untied realisation of S_r = sum_{j<r} lambda_{o_j} u_{o_j} u_{o_j}^T (r = e->rank, o = the
 * |lambda| order): W_E (V x d) has columns u_{o_j} |lambda_{o_j}|^(1/2) for j < r and zeros
 * after; W_Q (d x d_k) = I_{d x d_k} (ones on the diagonal); W_K (d x d_k) has
 * sqrt(d_k) sign(lambda_{o_j}) at (j, j) for j < r and zeros elsewhere.  Then
 * W_E W_Q W_K^T W_E^T / sqrt(d_k) = S_r.  GSL_EINVAL unless r <= min(d, d_k). */
int dp_attn_realise(const struct dp_spectral_eig *e, size_t d, size_t d_k, gsl_matrix *W_E,
                    gsl_matrix *W_Q, gsl_matrix *W_K);
/* Tied optimum of width w: W (V x w) has columns u_j lambda_j^(1/2) for the min(w, #{lambda>0})
 * largest positive eigenvalues, zeros after; *bound = ||S - W W^T||_F in exact arithmetic
 * = sqrt(sum_{lambda<0} lambda^2 + sum of the squares of the positive eigenvalues left out),
 * which is min over all V x w matrices W of ||S - W W^T||_F (nearest PSD matrix of rank
 * <= w).  For w >= #{lambda > 0} the bound is ||L_negative||_F. */
int dp_attn_tied(const struct dp_spectral_eig *e, size_t w, gsl_matrix *W, double *bound);
/* The tied optimum as Transformer weights: W_E (V x d) = [W 0] with W of width
 * w = min(d, d_k) from dp_attn_tied, W_Q = W_K = d_k^(1/4) I_{d x d_k}, so
 * W_E W_Q W_K^T W_E^T / sqrt(d_k) = W W^T.  *bound as in dp_attn_tied. */
int dp_attn_realise_tied(const struct dp_spectral_eig *e, size_t d, size_t d_k, gsl_matrix *W_E,
                         gsl_matrix *W_Q, gsl_matrix *W_K, double *bound);

/* --- directed realisation (C15) -------------------------------------------------------- */

/* What dp_attn_realise_directed found about a (non-symmetric) A. */
struct dp_attn_directed {
  size_t rank;    /* r: singular values of A above dp_spectral_rank_tol(V, sigma_1) */
  size_t dim;     /* m = dim(col(A_r) + row(A_r)), <= 2r: the width W_E must have */
  double dropped; /* ||A - A_r||_F, the singular values under the threshold */
};
/* The shape of an untied realisation of A (V x V, any, finite): r, m and the dropped part,
 * by the SVD A = U Sigma V^T (dp_spectral_svd) and the SVD of [U_r V_r] (the basis B of
 * col + row keeps the singular values above dp_spectral_rank_tol(V, sqrt 2)). */
int dp_attn_directed_shape(const gsl_matrix *A, struct dp_attn_directed *info);
/* Untied weights realising A_r: W_E = [B 0] (V x d, B an orthonormal basis of
 * col(A_r) + row(A_r)), W_Q (d x d_k) = d_k^(1/4) [B^T U_r Sigma_r^(1/2) 0; 0 0], W_K (d x d_k)
 * = d_k^(1/4) [B^T V_r Sigma_r^(1/2) 0; 0 0], so W_E W_Q W_K^T W_E^T / sqrt(d_k)
 * = B B^T A_r B B^T = A_r (B B^T is the identity on both spaces).  Needs m <= d and r <= d_k,
 * which are also necessary: col(W_E) must hold the columns and the rows of A_r, and
 * W_Q W_K^T has rank <= d_k; GSL_EINVAL otherwise.  info (may be NULL) as above. */
int dp_attn_realise_directed(const gsl_matrix *A, size_t d, size_t d_k, gsl_matrix *W_E,
                             gsl_matrix *W_Q, gsl_matrix *W_K, struct dp_attn_directed *info);

/* --- Eckart-Young truncation (C09) ----------------------------------------------------- */

/* S_k (V x V) = sum over the first k of the |lambda| order of lambda u u^T (k <= V; k = 0
 * gives 0): the best rank-k approximation of S in the Frobenius norm. */
int dp_attn_truncate(const struct dp_spectral_eig *e, size_t k, gsl_matrix *Sk);
/* The part of S on the pairs lo..lo+k-1 of the |lambda| order: sum of lambda u u^T over them
 * (V x V; k = 0 gives 0 for any lo), formed as (U_k L_k) U_k^T.  dp_attn_truncate is lo = 0; a head's
 * spectral group (heads.h) is the next w pairs. */
int dp_attn_spectral_part(const struct dp_spectral_eig *e, size_t lo, size_t k, gsl_matrix *S);

/* --- values (C10) ---------------------------------------------------------------------- */

/* W_V = W_E^+ S (d x V): W_E (V x d), S (V x V).  *rank and *cond as in dp_spectral_pinv. */
int dp_attn_values(const gsl_matrix *W_E, const gsl_matrix *S, gsl_matrix *W_V, size_t *rank,
                   double *cond);
/* The normal equations of the least-squares problem min ||W_E W_V - S||_F: *norm =
 * ||W_E^T (W_E W_V - S)||_F, 0 at the optimum.  The residual's own norm is stationary there,
 * so it barely moves (second order) when W_V is off; this moves to first order.  W_E (V x d),
 * W_V (d x V), S (V x V); *resid (when not NULL) = ||W_E W_V - S||_F. */
int dp_attn_normal_residual(const gsl_matrix *W_E, const gsl_matrix *W_V, const gsl_matrix *S,
                            double *norm, double *resid);
/* Distance of S's columns to col(W_E), ||(I - B B^T) S||_F with B an orthonormal basis of
 * col(W_E) from Householder QR with column pivoting (gsl_linalg_QRPT_decomp), a route
 * independent of the SVD; the basis keeps the columns with |R_jj| above
 * dp_spectral_rank_tol(max(V, d), |R_00|).  W_E (V x d), S (V x V); *rank = columns kept. */
int dp_attn_col_distance(const gsl_matrix *W_E, const gsl_matrix *S, double *dist,
                         size_t *rank);

#endif
