/* family_cross.h: the cross-attention instances of claim C17 and their shrinking. */
#ifndef DP_FAMILY_CROSS_H
#define DP_FAMILY_CROSS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <gsl/gsl_matrix.h>
#include "claim.h"
#include "family.h"

/* How S_x was made. */
enum dp_cross_kind {
  DP_CX_GAUSS,       /* Gaussian V1 x V2: full rank min(V1, V2) */
  DP_CX_LOWRANK,     /* B C^T, B (V1 x k), C (V2 x k) Gaussian, k < min(V1, V2) when possible */
  DP_CX_PARALLEL,    /* counts of a parallel Zipf corpus (dp_cross_count), window 0..4 */
  DP_CX_LOG1P,       /* log(1 + those counts) */
  DP_CX_DIRECTIONAL, /* X^> of one Zipf corpus over V1 + V2 words: the block from the first V1
                        words to the last V2 (two disjoint vocabularies) */
  DP_CX_SYM,         /* V1 = V2, (A + A^T) / 2: the one kind where the twin cannot differ */
  DP_CX_ZERO,        /* the zero operator */
  DP_CX_COUNT_
};
const char *dp_cross_kind_name(int k);

/* A cross-attention instance: target tokens t (R1 over V1 words), source tokens s (R2 over
 * V2 words), S_x (V1 x V2) scaled by 2^scale_exp, and the widths d, d_k of the weights. */
struct dp_cross_inst {
  uint64_t seed;     /* kept through shrinking */
  size_t V1, V2, R1, R2;
  size_t *t, *s;
  gsl_matrix *Sx;
  int kind;          /* enum dp_cross_kind */
  int scale_exp;
  size_t d, d_k;
  size_t rank_gen;   /* numerical rank of S_x when the widths were drawn (informative) */
  unsigned shrink_steps;
};

/* Generate from (seed, sizes): d_k >= rank(S_x) and d >= rank(S_x) in 3 of 4 instances (the
 * realisation's premise), d_k capped by sz->dk_max. */
struct dp_cross_inst *dp_cross_inst_make(uint64_t seed, const struct dp_sizes *sz);
struct dp_cross_inst *dp_cross_inst_copy(const struct dp_cross_inst *x);
void dp_cross_inst_free(struct dp_cross_inst *x);
/* "R1=5 V1=7 R2=3 V2=2 S_x=gauss(rank 2) scale=2^0 d=3 d_k=2". */
void dp_cross_inst_describe(const struct dp_cross_inst *x, char *buf, size_t n);
/* The whole instance, exact: the sizes, t, s, then S_x entry by entry. */
void dp_cross_inst_print(FILE *f, const struct dp_cross_inst *x);
/* An instance from explicit parts (copied): for tests and the real text. */
struct dp_cross_inst *dp_cross_inst_from(const size_t *t, size_t R1, const size_t *s,
                                         size_t R2, const gsl_matrix *Sx, size_t d, size_t d_k);
/* Shrink candidate k of dp_gen_cross's tactics, largest step first: halve R1, halve R2, drop
 * a target token, drop a source token, drop the unused target words, drop the unused source
 * words, drop either half of the unused target or source words, narrow d or d_k, unscale
 * S_x, round S_x, take the signs of S_x. */
struct dp_cross_inst *dp_cross_inst_shrink(const struct dp_cross_inst *x, unsigned k);
extern const struct dp_gen dp_gen_cross;

/* The real-text instance: on the corpus (env->corpus, or read from env->corpus_path), the
 * first W1 distinct words of its first documents (order of first appearance) are the target
 * vocabulary and the next W2 the source vocabulary (disjoint; a corpus of fewer words, two at
 * least, has them split in the ratio W1 : W2); S_x (W1 x W2) is the
 * directional count X^> (window env->window, weights 1/|k|) of the whole corpus from target
 * words to source words, raw (lg = 0) or log(1 + X^>) (lg = 1); the target sequence is
 * the first R1 tokens of those documents that lie in the target vocabulary, in order, the
 * source the first R2 in the source vocabulary; d = d_k = max(rank(S_x), 1).  Built once per
 * run and kept in the context's cache (*out stays owned by it); *label (n bytes) describes
 * it. */
int dp_cross_inst_shared(const struct dp_ctx *ctx, size_t W1, size_t W2, size_t R1, size_t R2,
                         int lg, const struct dp_cross_inst **out, char *label, size_t n);

#endif
