/* cross.h: cross-attention between two sequences over two vocabularies.
 *
 * Paper: cross-attention as a rectangular projection (claim C17).  A target sequence t
 * (R1 tokens over V1 words, selector Q_1) attends to a source sequence s (R2 tokens over V2
 * words, selector Q_2) through a cross operator S_x (V1 x V2), e.g. a directional or a
 * two-corpus co-occurrence count: M_x = Q_1 S_x Q_2^T (R1 x R2), entrywise
 * (M_x)_ij = (S_x)_{t_i s_j}.  The engine computes M_x by gathering (no arithmetic) and by
 * BLAS products through the dense selectors (select.h), the SVD realisation of S_x by
 * Transformer weights (S_x rectangular: no eigen-decomposition; dp_spectral_svd) with two
 * embeddings, one for each vocabulary, the cross-attention logits
 * (Q_1 W_E1 W_Q)(Q_2 W_E2 W_K)^T / sqrt(d_k), and the counts of a parallel corpus (aligned
 * documents in two vocabularies).  Functions return a GSL status and record the reason
 * through dp_err (err.h); allocations are checked through dp_alloc_ok; rank thresholds are
 * spectral.h's (DP_RANK_SAFETY max(V1, V2) eps sigma_1). */
#ifndef DP_CROSS_H
#define DP_CROSS_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

/* --- the projection ---------------------------------------------------------------------- */

/* (M_x)_ij = (S_x)_{t_i s_j} (R1 x R2) gathered from S_x (V1 x V2): bit copies.  t: R1 >= 1
 * tokens < V1, s: R2 >= 1 tokens < V2; M must be R1 x R2. */
int dp_cross_gather(const gsl_matrix *Sx, const size_t *t, size_t R1, const size_t *s,
                    size_t R2, gsl_matrix *M);
/* M = Q_1 S_x Q_2^T by two BLAS products through the dense one-hot selectors (dp_select_Q):
 * Q_1 S_x (R1 x V2) first, then its product with Q_2^T.  Same arguments as dp_cross_gather.
 * Each entry is one product with 1 plus products with 0, so for finite S_x it equals the
 * gathered entry exactly. */
int dp_cross_dense(const gsl_matrix *Sx, const size_t *t, size_t R1, const size_t *s,
                   size_t R2, gsl_matrix *M);

/* --- the SVD realisation ----------------------------------------------------------------- */

/* S_x = U diag(sigma) V^T (thin, p = min(V1, V2) triplets, sigma descending) with the
 * numerical rank r = #{sigma > tol}, tol = dp_spectral_rank_tol(max(V1, V2), sigma_1). */
struct dp_cross_svd {
  size_t V1, V2, p;
  gsl_vector *sigma; /* p singular values, descending */
  gsl_matrix *U;     /* V1 x p */
  gsl_matrix *Vt;    /* p x V2 */
  double tol;
  size_t rank;
};
/* Decompose S_x (V1 x V2, finite) into *f (left empty on failure); free with
 * dp_cross_svd_free (NULL and an empty *f are fine). */
int dp_cross_svd_make(const gsl_matrix *Sx, struct dp_cross_svd *f);
void dp_cross_svd_free(struct dp_cross_svd *f);
/* ||S_x - S_k||_F = sqrt(sum_{i > k} sigma_i^2): what keeping k triplets leaves out exactly
 * (k = f->rank: the singular values at or under the rank threshold). */
double dp_cross_dropped(const struct dp_cross_svd *f, size_t k);
/* The realisation of S_k = sum_{j<k} sigma_j u_j v_j^T (k <= p) by cross-attention weights:
 * W_E1 (V1 x d) = [U_k Sigma_k^(1/2), 0] embeds the target vocabulary, W_E2 (V2 x d) =
 * [V_k Sigma_k^(1/2), 0] the source vocabulary, W_Q = I_{d x d_k} (ones on the diagonal),
 * W_K = sqrt(d_k) I_{d x d_k}, so that W_E1 W_Q W_K^T W_E2^T / sqrt(d_k) = S_k.
 * GSL_EINVAL unless k <= min(d, d_k) and k <= p. */
int dp_cross_realise(const struct dp_cross_svd *f, size_t k, size_t d, size_t d_k,
                     gsl_matrix *W_E1, gsl_matrix *W_E2, gsl_matrix *W_Q, gsl_matrix *W_K);
/* Cross-attention scores L (R1 x R2) = (H_1 W_Q)(H_2 W_K)^T / sqrt(d_k), H_1 = Q_1 W_E1
 * (rows t_i of W_E1, V1 x d), H_2 = Q_2 W_E2 (rows s_j of W_E2, V2 x d), W_Q and W_K
 * (d x d_k).  *normH1, *normH2 (either may be NULL) = ||H_1||_F, ||H_2||_F. */
int dp_cross_scores(const size_t *t, size_t R1, const gsl_matrix *W_E1, const size_t *s,
                    size_t R2, const gsl_matrix *W_E2, const gsl_matrix *W_Q,
                    const gsl_matrix *W_K, gsl_matrix *L, double *normH1, double *normH2);

/* --- a parallel corpus ------------------------------------------------------------------- */

/* Counts of a parallel corpus: ndoc aligned document pairs, document k of the target side
 * len1[k] ids < V1 (ids1 back to back), of the source side len2[k] ids < V2 (ids2);
 * X_ab (V1 x V2) = #{(k, p, q) : ids1_k[p] = a, ids2_k[q] = b, |p - q| <= c}: word pairs
 * within c positions of each other across the alignment, exact integers.  c >= 0. */
int dp_cross_count(size_t ndoc, const size_t *len1, const size_t *ids1, size_t V1,
                   const size_t *len2, const size_t *ids2, size_t V2, int c, gsl_matrix *X);

#endif
