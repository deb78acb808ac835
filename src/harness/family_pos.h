/* family_pos.h: the instances of claims C14 (positions) and C15 (direction): a token sequence
 * with the offset-resolved counts X^(k) of a corpus, and attention weights. */
#ifndef DP_FAMILY_POS_H
#define DP_FAMILY_POS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <gsl/gsl_matrix.h>
#include "claim.h"
#include "family.h"

/* How the corpus behind the counts was drawn. */
enum dp_pos_cmode {
  DP_PC_ZIPF,   /* independent Zipf tokens: X^> is symmetric up to sampling noise */
  DP_PC_CHAIN,  /* a directed chain (each token mostly followed by a later word): X^> skewed */
  DP_PC_COUNT_
};
const char *dp_pos_cmode_name(int m);

struct dp_pos_inst {
  uint64_t seed;     /* instance seed, kept through shrinking */
  size_t V, R;
  size_t *t;         /* R tokens < V */
  int c;             /* window, 1..4 (real text: the run's) */
  int weight;        /* enum dp_weight */
  gsl_matrix **Xk;   /* 2c + 1 slots, Xk[k + c] = X^(k) (V x V), Xk[c] NULL */
  gsl_matrix *Xr, *Xl, *X; /* X^> = sum_{k=1..c} X^(k), X^< likewise, X = X^> + X^<, summed
                              as cooc.c sums them (increasing k, then X^> + X^<) */
  size_t d, d_k;
  gsl_matrix *W_E, *W_Q, *W_K; /* V x d, d x d_k, d x d_k */
  int cmode;         /* enum dp_pos_cmode (-1: real text) */
  int scale_exp;     /* the counts were multiplied by 2^scale_exp */
  unsigned shrink_steps;
};

/* Generate.  aim = 0 (C14): d even in 3 of 4 instances (sinusoidal encodings come in
 * sine-cosine pairs); aim = 1 (C15): d >= dim(col(X^>) + row(X^>)) and d_k >= rank(X^>) in 3 of
 * 4 instances (the untied realisation's premise), d and d_k free in the rest. */
struct dp_pos_inst *dp_pos_inst_make(uint64_t seed, const struct dp_sizes *sz, int aim);
struct dp_pos_inst *dp_pos_inst_copy(const struct dp_pos_inst *x);
void dp_pos_inst_free(struct dp_pos_inst *x);
void dp_pos_inst_describe(const struct dp_pos_inst *x, char *buf, size_t n);
void dp_pos_inst_print(FILE *f, const struct dp_pos_inst *x);
/* The offsets as the engine takes them (position.h). */
static inline const gsl_matrix *const *dp_pos_offsets(const struct dp_pos_inst *x)
{
  return (const gsl_matrix *const *)x->Xk;
}
/* Shrink candidate k of the family's tactics: halve R, drop a token, drop the words absent from
 * the sequence, lower c, halve d, d - 1, halve d_k, d_k - 1, undo the scale, round the weights. */
struct dp_pos_inst *dp_pos_inst_shrink(const struct dp_pos_inst *x, unsigned k);
extern const struct dp_gen dp_gen_pos;     /* C14 */
extern const struct dp_gen dp_gen_pos_dir; /* C15 */

/* A real-text instance: the counts (window env->window, g = 1/|k|) of the first ndoc documents
 * of the run's corpus, on the words they hold; tokens = the first R_max tokens of the longest
 * of them (a real sentence, repeated words and all); d, d_k as the generator's aim gives them
 * (aim 0: d = 16, d_k = 8; aim 1: the untied realisation's least widths); weights Gaussian
 * from seed.  *out = NULL (and GSL_SUCCESS) without a corpus; *label a one-line description. */
int dp_pos_inst_real(const struct dp_env *env, size_t ndoc, size_t R_max, int aim, uint64_t seed,
                     struct dp_pos_inst **out, char *label, size_t n);

#endif
