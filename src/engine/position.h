/* position.h: positions and direction in the projection: the offset-resolved projection,
 * shift masks, additive and rotary encodings, Toeplitz structure.
 *
 * Paper: positional encodings as structured refinements of M = Q S Q^T (claim C14) and the
 * directional (causal) view of the same counts (claim C15).  The offset-resolved counts
 * X^(k) (cooc.h) give, on a sequence t, the offset-resolved projection
 *   M^pos_ij = X^(j-i)_{t_i t_j} for 0 < |j - i| <= c, 0 elsewhere,
 * i.e. M^pos = sum_k (Q X^(k) Q^T) o Delta_k with the shift masks Delta_k = [j - i = k].
 * Two routes compute it: the gather (pure copies, no arithmetic) and the sum of dense BLAS
 * products masked by Delta_k, so that the claims can compare them bit for bit.  Sinusoidal
 * encodings (Vaswani et al.): P_{i,2m} = sin(i w_m), P_{i,2m+1} = cos(i w_m),
 * w_m = base^(-2m/d), positions i = 0..R-1; rotary encodings rotate the coordinate pairs
 * (2m, 2m+1) of a vector at position i by the angle i w_m (w_m = base^(-2m/n) for a vector
 * of n entries; an odd last coordinate is left as it is).
 *
 * Offsets are held as an array Xk of 2c + 1 matrices, Xk[k + c] = X^(k) (V x V) for
 * 0 < |k| <= c, Xk[c] unused (as struct dp_counts holds them).  Functions return a GSL status
 * and record the reason through dp_err (err.h); none modifies its input. */
#ifndef DP_POSITION_H
#define DP_POSITION_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>

/* Delta_k (R x R): 1 where j - i = k, 0 elsewhere (any integer k). */
int dp_pos_shift_mask(long k, gsl_matrix *D);

/* The offset-resolved projection gathered: M_ij = X^(j-i)_{t_i t_j} when kmin <= j - i <= kmax,
 * j != i and |j - i| <= c, else 0 (a copy of the bits).  Xk: 2c + 1 slots (c >= 1), each used
 * one V x V; t: R tokens < V; M: R x R.  kmin = -c, kmax = c gives M^pos; kmin = -c,
 * kmax = -1 its causal part (left context only). */
int dp_pos_gather(const gsl_matrix *const *Xk, int c, const size_t *t, size_t R, int kmin,
                  int kmax, gsl_matrix *M);
/* The same quantity by products: M = sum_{k = kmin..kmax, k != 0, |k| <= c} P_k o Delta_k
 * (masked) or sum_k P_k (unmasked), P_k = Q X^(k) Q^T by two dense BLAS products, summed in
 * increasing k.  Q: R x V selector (any R x V matrix); M: R x R.  Unmasked over 1..c it is
 * Q X^> Q^T, over -c..-1 Q X^< Q^T, over -c..c sum_k Q X^(k) Q^T. */
int dp_pos_project(const gsl_matrix *Q, const gsl_matrix *const *Xk, int c, int kmin, int kmax,
                   int masked, gsl_matrix *M);

/* Sinusoidal encodings P (R x d) with frequencies base^(-2m/d) (base > 1, e.g. 10000). */
int dp_pos_sinusoidal(double base, gsl_matrix *P);

/* The distance of a square G to the Toeplitz matrices, ||G - T(G)||_F, T(G) the matrix whose
 * every diagonal is the mean of G's (the orthogonal projection onto Toeplitz matrices; means
 * and sums compensated). */
int dp_pos_toeplitz_residual(const gsl_matrix *G, double *res);

/* Rotary encoding of a vector x (n entries, stride 1) at position pos (any integer): y = R_pos x,
 * pairs (2m, 2m+1) rotated by pos w_m, w_m = base^(-2m/n); y may be x. */
void dp_pos_rotate(const double *x, size_t n, long pos, double base, double *y);
/* Rotary logits two ways, for queries Qm and keys Km (R x n each, row i at position i):
 * L_abs_ij = <R_i q_i, R_j k_j> (every row rotated, then one product) and
 * L_rel_ij = <q_i, R_{j-i} k_j> (the relative rotation only); either output may be NULL. */
int dp_pos_rotary_logits(const gsl_matrix *Qm, const gsl_matrix *Km, double base,
                         gsl_matrix *L_abs, gsl_matrix *L_rel);

/* The four terms of the logits of H = C + P (content C = Q W_E and positions P, R x d):
 * (H W_Q)(H W_K)^T = cc + cp + pc + pp with cc = (C W_Q)(C W_K)^T, cp = (C W_Q)(P W_K)^T,
 * pc = (P W_Q)(C W_K)^T, pp = (P W_Q)(P W_K)^T.  W_Q, W_K: d x d_k; terms: four R x R. */
int dp_pos_logit_terms(const gsl_matrix *C, const gsl_matrix *P, const gsl_matrix *W_Q,
                       const gsl_matrix *W_K, gsl_matrix *const terms[4]);

#endif
