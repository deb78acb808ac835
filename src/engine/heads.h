/* heads.h: multi-head attention: the split of the model width into heads, the spectral split
 * S = sum_g S^(g), the per-head realisation of the groups, the two routes of the output
 * projection, and the multi- and single-head softmax outputs.
 *
 * Paper: multi-head attention as a sum of distributional projections (claim C16).  The model
 * width d is split into h heads of widths w_g = floor(d/h) or ceil(d/h), the wider first,
 * summing to d (d need not be divisible by h); key and value widths split likewise.  From
 * S = U L U^T (dp_spectral_eig, spectral.h) group g takes the next w_g eigenpairs of the
 * |lambda| order (positions [off_g, off_g + w_g), off_g = w_0 + ... + w_{g-1}) among the
 * first r = rank(S): S^(g) = sum over those of lambda u u^T, rank <= w_g, and
 * sum_g S^(g) = S_r when r <= d.  Head g realises its group by C08's construction (attn.h)
 * on the shared embedding W_E = [U_r |L_r|^(1/2), 0] (V x d): W_Q^(g) (d x d_k^(g)) reads
 * the head's block of the model width (ones at (off_g + i, i)), W_K^(g) carries
 * sqrt(d_k^(g)) sign(lambda) at the same places, so that head g's scaled logits are
 * Q S^(g) Q^T.  The output projection W_O (d_v x d_out) is split in row blocks matching the
 * heads' value widths: Concat(head_1..head_h) W_O and sum_g head_g W_O^(g) are its two
 * routes.  Outputs: head_g = softmax(L_g) H W_V^(g) (W_V^(g) the g-th column block of W_V),
 * O_multi = sum_g head_g W_O^(g), O_single = softmax(sum_g L_g) H W_V W_O (one head of the
 * full widths; at h = 1 the two are the same operations).  Functions return a GSL status and
 * record the reason through dp_err; allocations are checked by dp_alloc_ok. */
#ifndef DP_HEADS_H
#define DP_HEADS_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>

struct dp_spectral_eig; /* spectral.h */

/* The widths of n split into h parts: w[g] = floor(n/h) + (g < n mod h).  GSL_EINVAL unless
 * 1 <= h <= n (every head at least 1 wide). */
int dp_heads_split(size_t n, size_t h, size_t *w);
/* How many eigenpairs the group at positions [lo, lo + w) of e's |lambda| order holds: the
 * positions below e->rank, min(w, rank - lo) (0 when lo >= rank). */
size_t dp_heads_group_rank(const struct dp_spectral_eig *e, size_t lo, size_t w);
/* S^(g) (V x V) = sum over the positions j in [lo, lo + w) below e->rank of
 * lambda_{o_j} u_{o_j} u_{o_j}^T (o the |lambda| order); 0 for an empty group. */
int dp_heads_group(const struct dp_spectral_eig *e, size_t lo, size_t w, gsl_matrix *Sg);

/* The per-head realisation: h heads of widths w[0..h-1] (summing to d = W_E->size2) and key
 * widths dk[0..h-1]; W_E (V x d) = dp_attn_realise's; W_Q[g], W_K[g] (d x dk[g]) as above.
 * GSL_EINVAL unless rank(S) <= d and every head holds its group (dp_heads_group_rank <=
 * dk[g]). */
int dp_heads_realise(const struct dp_spectral_eig *e, size_t h, const size_t *w, const size_t *dk,
                     gsl_matrix *W_E, gsl_matrix *const *W_Q, gsl_matrix *const *W_K);
/* The heads' scaled logits of a sequence t (R tokens < V = W_E->size1): L[g] (R x R) =
 * H W_Q[g] W_K[g]^T H^T / sqrt(dk_g) with H = Q W_E (L may be NULL, or any L[g] NULL: not
 * kept), Lsum (R x R, may be NULL) = their sum in head order; *normH (may be NULL) = ||H||_F. */
int dp_heads_logits(const size_t *t, size_t R, const gsl_matrix *W_E, size_t h,
                    const gsl_matrix *const *W_Q, const gsl_matrix *const *W_K, gsl_matrix *const *L,
                    gsl_matrix *Lsum, double *normH);

/* The two routes of the output projection: heads[g] (R x dv_g), W_O (sum dv_g x d_out),
 * Out (R x d_out).  Concat: the R x sum dv_g concatenation times W_O; sum: sum_g
 * heads[g] W_O^(g), W_O^(g) the rows [voff_g, voff_g + dv_g) of W_O. */
int dp_heads_concat(size_t h, const gsl_matrix *const *heads, const gsl_matrix *W_O,
                    gsl_matrix *Out);
int dp_heads_sum(size_t h, const gsl_matrix *const *heads, const gsl_matrix *W_O, gsl_matrix *Out);

/* The heads' softmax outputs: heads[g] (R x dv[g]) = softmax_rows(L[g]) (H W_V^(g)), H = Q W_E
 * (R x d), W_V (d x sum dv), W_V^(g) its columns [voff_g, voff_g + dv[g]). */
int dp_heads_values(const size_t *t, size_t R, const gsl_matrix *W_E, size_t h,
                    const gsl_matrix *const *L, const gsl_matrix *W_V, const size_t *dv,
                    gsl_matrix *const *heads);
/* One head of the full widths: O (R x d_out) = (softmax_rows(L) (H W_V)) W_O, the operations
 * of dp_heads_values and dp_heads_sum at h = 1 in the same order (the same result, bit for
 * bit, on the same L). */
int dp_heads_single(const size_t *t, size_t R, const gsl_matrix *W_E, const gsl_matrix *L,
                    const gsl_matrix *W_V, const gsl_matrix *W_O, gsl_matrix *O);

#endif
