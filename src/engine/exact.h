/* exact.h: exact integer matrices for the exact tier (FLINT's fmpz_mat): random integer
 * instances, the one-hot selector, gathers, and entry-by-entry comparison.  Nothing rounds: an
 * identity holds entry for entry, or the first differing entry is named.  The callers own the
 * matrices (fmpz_mat_init / fmpz_mat_clear); shapes are the callers' to get right, as FLINT's
 * own functions ask. */
#ifndef DP_EXACT_H
#define DP_EXACT_H

#include <stddef.h>
#include <flint/fmpz_mat.h>
#include <flint/fmpq_mat.h>
#include "rng.h"

/* Every entry of A uniform in [-range, range] (range >= 0), from r. */
void dp_exact_random(fmpz_mat_t A, dp_rng *r, long range);
/* A := A + A^T (square A): exactly symmetric. */
void dp_exact_symmetrise(fmpz_mat_t A);
/* Q (R x V) with Q_ia = [t_i = a]; every t_i < V. */
void dp_exact_selector(fmpz_mat_t Q, const size_t *t);
/* M_ij = S_{t1_i t2_j} (M is R1 x R2; t1_i, t2_j index S's rows and columns). */
void dp_exact_gather(fmpz_mat_t M, const fmpz_mat_t S, const size_t *t1, const size_t *t2);
/* How many entries of A and B (same shape) differ; the first (row-major) in *i0, *j0 (-1 when
 * none). */
size_t dp_exact_differ(const fmpz_mat_t A, const fmpz_mat_t B, long *i0, long *j0);
/* M := A B^T (A: m x p, B: n x p, M: m x n), e.g. the logits (H W_Q)(H W_K)^T. */
void dp_exact_mul_t(fmpz_mat_t M, const fmpz_mat_t A, const fmpz_mat_t B);
/* M := A S B^T (A: m x p, S: p x q, B: n x q, M: m x n), e.g. Q S Q^T or Q_1 S_x Q_2^T. */
void dp_exact_sandwich(fmpz_mat_t M, const fmpz_mat_t A, const fmpz_mat_t S, const fmpz_mat_t B);

/* X := A^+ B over the rationals, for A (m x n) of full column rank: A^+ = (A^T A)^{-1} A^T, so
 * X solves the normal equations A^T A X = A^T B (X: n x p, B: m x p, X initialised by the
 * caller).  Returns 1, or 0 when A^T A is singular (A not of full column rank; X is then
 * left indeterminate): the caller decides what that means. */
int dp_exact_pinv_mul(fmpq_mat_t X, const fmpz_mat_t A, const fmpz_mat_t B);
/* As dp_exact_differ, a rational A against an integer B (same shape). */
size_t dp_exact_differ_q(const fmpq_mat_t A, const fmpz_mat_t B, long *i0, long *j0);

/* Offsets, as position.h holds them: Xk has 2c + 1 slots (c >= 1), Xk[k + c] = X^(k) for
 * 0 < |k| <= c, each V x V and initialised by the caller; Xk[c] is never touched. */
/* The offset-resolved counts of a token stream w (n tokens, each < V):
 * X^(k)_ab = #{p : w_p = a, w_{p+k} = b, 0 <= p, p + k < n} for every 0 < |k| <= c, each
 * offset counted on its own (so X^(-k) = X^(k)T follows from the counting, not by copy). */
void dp_exact_offset_counts(fmpz_mat_t *Xk, int c, const size_t *w, size_t n);
/* M += P o Delta_k: M_ij += P_ij where j - i = k (M and P the same shape, any integer k). */
void dp_exact_add_shift(fmpz_mat_t M, const fmpz_mat_t P, long k);
/* The offset-resolved projection gathered (M, R x R, on the R tokens t):
 * M_ij = X^(j-i)_{t_i t_j} when kmin <= j - i <= kmax, j != i and |j - i| <= c, else 0. */
void dp_exact_pos_gather(fmpz_mat_t M, const fmpz_mat_t *Xk, int c, const size_t *t, long kmin,
                         long kmax);

#endif
