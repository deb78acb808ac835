/* family_attn.h: the attention instances of claims C07-C10 and their shrinking. */
#ifndef DP_FAMILY_ATTN_H
#define DP_FAMILY_ATTN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <gsl/gsl_matrix.h>
#include "claim.h"
#include "family.h"

/* --- attention instances (family_attn.c) -------------------------------------------------- */

/* How W_E was made. */
enum dp_attn_emode {
  DP_AE_GAUSS,     /* Gaussian V x d */
  DP_AE_SPAN,      /* S G, G Gaussian V x d: col(W_E) within col(S) */
  DP_AE_CONTAIN,   /* [S G_1, N]: col(W_E) contains col(S) when G_1's width >= rank(S) */
  DP_AE_ORTHO,     /* orthonormal columns (d <= V) or rows (d > V): W_E^+ = W_E^T */
  DP_AE_LOWRANK,   /* B C, inner width below min(V, d): rank-deficient */
  DP_AE_REALISE,   /* dp_attn_realise's W_E when rank(S) <= d (Gaussian otherwise) */
  DP_AE_COUNT_
};
/* How W_Q and W_K were made. */
enum dp_attn_qkmode {
  DP_AQK_INDEP,    /* independent Gaussians: W_Q W_K^T not symmetric */
  DP_AQK_TIED,     /* W_Q = W_K: W_Q W_K^T symmetric */
  DP_AQK_COUNT_
};
const char *dp_attn_emode_name(int m);
const char *dp_attn_qkmode_name(int m);

/* An attention instance: a sequence instance (tokens t, symmetric S, directional Sd on V
 * words) with the widths d, d_k and weights W_E (V x d), W_Q and W_K (d x d_k). */
struct dp_attn_inst {
  struct dp_inst *base;
  size_t d, d_k;
  gsl_matrix *W_E, *W_Q, *W_K;
  int emode, qkmode;
  int e_exp, qk_exp; /* W_E was scaled by 2^e_exp, W_Q and W_K by 2^qk_exp */
  size_t rank_gen;   /* numerical rank of S when d_k was drawn (informative) */
};
/* Generate: realisable (d_k >= rank(S) in 3 of 4 instances, the premise of C08) or
 * truncating (d_k < rank(S) in 3 of 4 instances whose S has rank >= 2, C09's premise). */
struct dp_attn_inst *dp_attn_inst_make(uint64_t seed, const struct dp_sizes *sz, int truncating);
struct dp_attn_inst *dp_attn_inst_copy(const struct dp_attn_inst *x);
void dp_attn_inst_free(struct dp_attn_inst *x);
void dp_attn_inst_describe(const struct dp_attn_inst *x, char *buf, size_t n);
void dp_attn_inst_print(FILE *f, const struct dp_attn_inst *x);
/* Shrink candidate k: the sequence family's token candidates and its "drop every unused
 * word", then half of the unused words (either half), then d / 2, d_k / 2, d - 1, d_k - 1,
 * then the sequence family's simplifications of S's entries, then W's entries unscaled,
 * rounded, signs; W_E's rows follow the words kept.  NULL when there is no k-th candidate. */
struct dp_attn_inst *dp_attn_inst_shrink(const struct dp_attn_inst *x, unsigned k);
extern const struct dp_gen dp_gen_attn;       /* realisable: C07, C08, C10 */
extern const struct dp_gen dp_gen_attn_trunc; /* truncating: C09 */

/* A real-text instance: S (V x V) = op(X) of the corpus's counts restricted to the words of
 * its first documents (at least `words` distinct words, as many whole documents as that
 * takes; op = log1p or PPMI of the restricted counts), window env->window, weights 1/|k|;
 * tokens = the first R_max tokens of those documents, in order (repeated words and all);
 * d = d_k = max(rank(S), 1); W_E = dp_attn_realise's, W_Q, W_K Gaussian from `seed`.  *label gets a
 * one-line description.  The corpus is env->corpus, or read from env->corpus_path. */
int dp_attn_inst_real(const struct dp_env *env, size_t words, size_t R_max, int op,
                      uint64_t seed, struct dp_attn_inst **out, char *label, size_t n);

/* The realised attention instance around base (taken, freed on failure): d = d_k =
 * max(rank(S), 1), W_E by dp_attn_realise, W_Q and W_K Gaussian from seed (the real-text
 * instances).  sign (may be NULL) gets the counts of positive and negative eigenvalues. */
int dp_attn_inst_realised(struct dp_inst *base, uint64_t seed, struct dp_attn_inst **out,
                          size_t sign[2]);

/* The same real-text instance, built once per run and shared by every claim that asks for it
 * (C07-C10): kept in the context's cache under (words, R_max, op, window, seed), drawn from
 * the run's "real text" substream.  A cache serves one run, so one corpus.  *out stays owned
 * by the cache. */
int dp_attn_inst_shared(const struct dp_ctx *ctx, size_t words, size_t R_max, int op,
                        const struct dp_attn_inst **out, char *label, size_t n);

/* The size of the real-text instance the rows below share: its first documents up to this
 * many distinct words, the first this many tokens of them. */
#define DP_ATTN_REAL_WORDS 120
#define DP_ATTN_REAL_R 64

/* The real-text rows of an attention claim (C07-C10), none without a corpus: row i measures
 * check and twin on the shared real-text instance of operator ops[i] (dp_attn_inst_shared),
 * or on what adapt makes of it (NULL: the instance as it is).  adapt returns the instance to
 * measure: the shared one, `view` filled in (a shallow copy with other sizes), or a copy it
 * allocates into *own (freed here); NULL with the error recorded when it fails.  It may
 * write a suffix for the row's label into suffix (n bytes). */
typedef const struct dp_attn_inst *dp_attn_adapt_fn(const struct dp_attn_inst *x, size_t i,
                                                     struct dp_attn_inst *view,
                                                     struct dp_attn_inst **own, char *suffix,
                                                     size_t n);
int dp_attn_cases(const struct dp_ctx *ctx, const int *ops, size_t nops, dp_attn_adapt_fn *adapt,
                  void (*check)(const void *, struct dp_outcome *),
                  void (*twin)(const void *, struct dp_outcome *), struct dp_case_row *rows,
                  size_t max, size_t *nrows);

#endif
