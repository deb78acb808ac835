/* softmax.h: the softmax half of the attention engine.
 *
 * Paper: softmax(H W_Q W_K^T H^T / sqrt(d_k)) read as a distributional projection; claims
 * C11 (softmax(log X) is the conditional co-occurrence; row constants cancel, column
 * constants act as a per-key prior), C12 (small-signal expansion around uniform averaging)
 * and C13 (the 1/sqrt(d_k) scaling).  The engine computes the numerically stable row softmax
 * (max-subtracted, with its log-sum-exp), any scaling factor, additive masks (-inf entries:
 * weight exactly 0; the causal mask), row entropy and largest weight, the empirical
 * conditional co-occurrence, the linear small-signal expansion and its Taylor coefficients.
 * Functions return a GSL status (err.h) and never abort; shapes are named as in the claims'
 * statements (R queries, C keys; R = C for self-attention). */
#ifndef DP_SOFTMAX_H
#define DP_SOFTMAX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

/* --- engine ----------------------------------------------------------------------------- */

/* Row softmax W = softmax_rows(scale * Z + B).
 *   Z: R x C logits; entries finite, or -inf (masked: weight exactly 0; needs scale > 0).
 *   scale: finite factor (1/sqrt(d_k), beta, ...).
 *   B: NULL or R x C additive mask/bias; entries finite or -inf (weight exactly 0).
 *   W: R x C output, may be Z itself (in place); lse: NULL or R entries, the log-sum-exp
 *   lse_i = log sum_j exp(scale Z_ij + B_ij) (+-Inf only when it lies outside the double range).
 * Per row: y_j = scale Z_j + B_j, m = max y_j, W_j = exp(y_j - m) / sum_l exp(y_l - m).  When
 * scale Z + B would overflow, y is formed as 2^e (scale 2^-e Z + 2^-e B) with y - m scaled back
 * exactly, so logits up to DBL_MAX never produce Inf - Inf.
 * Errors: GSL_EBADLEN on shapes, GSL_EINVAL on a non-finite scale, GSL_EDOM on a NaN or +Inf
 * entry, a -inf logit with scale <= 0, or a row with every entry masked (W is then
 * unspecified). */
int dp_softmax_rows(const gsl_matrix *Z, double scale, const gsl_matrix *B, gsl_matrix *W,
                    gsl_vector *lse);
/* One row: w = softmax(scale z + b); z, w: n entries, b: NULL or n; lse may be NULL. */
int dp_softmax_vector(const gsl_vector *z, double scale, const gsl_vector *b, gsl_vector *w,
                      double *lse);
/* The factor 1/sqrt(d_k) (d_k >= 1; 0 for d_k = 0, which callers reject). */
double dp_softmax_scale_dk(size_t d_k);

/* Masks for dp_softmax_rows.  Causal: B (R x C) gets B_ij = 0 for j <= i, -inf for j > i.
 * General: keep (R x C, row-major, nonzero = attend) gives B_ij = 0 or -inf. */
int dp_softmax_mask_causal(gsl_matrix *B);
int dp_softmax_mask_keep(const unsigned char *keep, gsl_matrix *B);

/* Entropy H = -sum_j w_j log w_j (0 log 0 = 0) of w (n entries, each finite and >= 0) and its
 * largest entry; either output may be NULL.  GSL_EDOM on a negative or non-finite entry. */
int dp_softmax_entropy(const gsl_vector *w, double *H, double *wmax);
/* The same for every row of W (R x C): H, wmax: NULL or R entries. */
int dp_softmax_row_stats(const gsl_matrix *W, gsl_vector *H, gsl_vector *wmax);

/* Empirical conditional co-occurrence over the positions of a sequence:
 * P_ij = X_{t_i t_j} prior_j / sum_l X_{t_i t_l} prior_l, with prior = NULL meaning all ones.
 *   X: V x V, entries finite and >= 0; t: R tokens < V; prior: NULL or R entries, finite > 0;
 *   P: R x R.  GSL_EDOM when a row has no positive mass (or on a bad entry). */
int dp_softmax_conditional(const gsl_matrix *X, const size_t *t, size_t R,
                           const gsl_vector *prior, gsl_matrix *P);

/* Row-centred copy Mc_ij = M_ij - (1/C) sum_l M_il (M, Mc: R x C, may be the same). */
int dp_softmax_centre_rows(const gsl_matrix *M, gsl_matrix *Mc);
/* The linear small-signal expansion of softmax_rows(beta M) (M, L: R x C):
 *   centred:   L = (1/C) 1 1^T + (beta/C)(M - (1/C) M 1 1^T)   (claim C12)
 *   uncentred: L = (1/C) 1 1^T + (beta/C) M                     (its false twin). */
int dp_softmax_expansion(const gsl_matrix *M, double beta, int centred, gsl_matrix *L);
/* Taylor coefficients of softmax_rows(beta M) = U + beta A1 + beta^2 A2 + beta^3 A3 +
 * beta^4 A4 + O(beta^5).  With x = the row-centred M and mu_k = (1/C) sum_j x_j^k per row:
 *   A1 = x / C,  A2 = (x^2 - mu2) / (2C),  A3 = (x^3 - 3 mu2 x - mu3) / (6C),
 *   A4 = (x^4 - 6 mu2 x^2 - 4 mu3 x + 3 mu2^2 - (mu4 - 3 mu2^2)) / (24C)  (entrywise powers).
 * M: R x C; any output may be NULL, else R x C.  Callers scale M first (an exact power of two)
 * so that the fourth powers stay in range. */
int dp_softmax_taylor(const gsl_matrix *M, gsl_matrix *A1, gsl_matrix *A2, gsl_matrix *A3,
                      gsl_matrix *A4);

#endif
