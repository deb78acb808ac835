/* family_heads.h: the multi-head attention instances of claim C16 and their shrinking. */
#ifndef DP_FAMILY_HEADS_H
#define DP_FAMILY_HEADS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <gsl/gsl_matrix.h>
#include "claim.h"
#include "family.h"

/* At most this many heads (and the gap plot's largest h). */
#define DP_HEADS_MAX 8

/* A multi-head instance: a sequence instance (tokens t, symmetric S on V words) with the model
 * width d, the total key width d_k and value width d_v, each split into h heads
 * (dp_heads_split: floor or ceil, the wider first), and the value and output weights W_V
 * (d x d_v) and W_O (d_v x d_out).  The query, key and embedding weights are not stored:
 * they are S's per-head realisation (dp_heads_realise).  1 <= h <= min(d, d_k, d_v,
 * DP_HEADS_MAX). */
struct dp_heads_inst {
  struct dp_inst *base;
  size_t d, d_k, d_v, d_out, h;
  gsl_matrix *W_V, *W_O;
  int w_exp;       /* W_V and W_O were scaled by 2^w_exp */
  size_t rank_gen; /* numerical rank of S when the widths were drawn (informative) */
};
/* Generate from (seed, sizes): the base sequence aimed at rows that vary (DP_AIM_VARIED),
 * d >= rank(S) in 7 of 8 (the premise) and h >= 2 in 7 of 8 where the widths allow; d not
 * divisible by h, h = 1, d_k < d (heads that may not hold their groups), R = 1, rank-deficient
 * and indefinite S come from the draws. */
struct dp_heads_inst *dp_heads_inst_make(uint64_t seed, const struct dp_sizes *sz);
/* A copy of x with h heads (1 <= h <= min(d, d_k, d_v)), everything else the same; NULL on
 * a bad h or no memory. */
struct dp_heads_inst *dp_heads_inst_with_h(const struct dp_heads_inst *x, size_t h);
/* An instance around a copy of base with the given widths, W_V and W_O Gaussian from seed
 * (the real-text rows); NULL on bad widths or no memory. */
struct dp_heads_inst *dp_heads_inst_around(const struct dp_inst *base, size_t d, size_t d_k,
                                           size_t d_v, size_t d_out, size_t h, uint64_t seed);
struct dp_heads_inst *dp_heads_inst_copy(const struct dp_heads_inst *x);
void dp_heads_inst_free(struct dp_heads_inst *x);
void dp_heads_inst_describe(const struct dp_heads_inst *x, char *buf, size_t n);
void dp_heads_inst_print(FILE *f, const struct dp_heads_inst *x);
/* Shrink candidate k: the sequence family's token candidates and its "drop the unused
 * words", then fewer heads (h / 2, h - 1), narrower widths (d, d_k, d_v halved or less one,
 * d_out - 1), then S's entries simplified, then W_V's and W_O's (unscaled, rounded, signs).
 * NULL when there is no k-th candidate. */
struct dp_heads_inst *dp_heads_inst_shrink(const struct dp_heads_inst *x, unsigned k);
extern const struct dp_gen dp_gen_heads;

#endif
