/* family_softmax.h: the instance families of claims C11-C13 and the real text of C11, C12. */
#ifndef DP_FAMILY_SOFTMAX_H
#define DP_FAMILY_SOFTMAX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <gsl/gsl_matrix.h>
#include "claim.h"
#include "family.h"

/* --- generators of claims C11-C13 (family_softmax.c) ---------------------------------------- */

/* C11 family: a positive (or non-negative) count matrix on the sequence pairs, S = log X, and
 * GloVe-style query-side and key-side biases. */
enum dp_xmode {
  DP_XM_ADDONE,    /* 1 + counts of a random Zipf corpus: X >= 1 everywhere */
  DP_XM_COUNTS,    /* raw counts: zeros occur (log 0 = -inf, a masked pair) */
  DP_XM_LOGNORMAL, /* exp(sigma g), sigma in {0.5, 5, 50}: a wide dynamic range */
  DP_XM_SMALLINT,  /* integers 1..3: ties */
  DP_XM_COUNT_
};
const char *dp_xmode_name(enum dp_xmode m);

struct dp_sm_inst {
  uint64_t seed;   /* instance seed, kept through shrinking */
  size_t V, R;
  size_t *t;       /* R tokens < V */
  gsl_matrix *X;   /* V x V, symmetric, entries >= 0 (and > 0 except in DP_XM_COUNTS) */
  double *bq;      /* V query-side biases b_a (row constants of M) */
  double *bk;      /* V key-side biases b~_b (column constants of M) */
  enum dp_xmode mode;
  int scale_exp;   /* X was multiplied by 2^scale_exp */
  unsigned shrink_steps;
};
struct dp_sizes;
struct dp_sm_inst *dp_sm_inst_make(uint64_t seed, const struct dp_sizes *sz);
/* An instance from given parts (copied): X (V x V), t (R), bq, bk (V entries, NULL = 0). */
struct dp_sm_inst *dp_sm_inst_from(const gsl_matrix *X, const size_t *t, size_t R,
                                   const double *bq, const double *bk);
struct dp_sm_inst *dp_sm_inst_copy(const struct dp_sm_inst *x);
void dp_sm_inst_free(struct dp_sm_inst *x);
void dp_sm_inst_describe(const struct dp_sm_inst *x, char *buf, size_t n);
void dp_sm_inst_print(FILE *f, const struct dp_sm_inst *x);
/* Shrink candidate k: halve R (each half), drop a token, drop the words absent from the
 * sequence, undo the power-of-two scale, round X (to integers >= 1 where positive), round the
 * biases to integers; NULL when there is no k-th candidate. */
struct dp_sm_inst *dp_sm_inst_shrink(const struct dp_sm_inst *x, unsigned k);

/* C13 family: N samples of q . k for q, k in R^{d_k} with iid N(0, 1) entries. */
struct dp_mc_inst {
  uint64_t seed;   /* the samples are a pure function of (seed, d_k): see dp_mc_inst_make */
  size_t d;        /* d_k, a power of two 1..1024 */
  size_t N;        /* samples */
  double *dot;     /* N raw dot products q_n . k_n (unscaled) */
  unsigned shrink_steps;
};
/* d_k = 2^u, u uniform in 0..10; N = max(DP_MC_N_MIN, DP_MC_WORK / d_k); sample n draws q_n
 * (d_k Gaussians) then k_n (d_k Gaussians) from dp_rng seeded with seed, so a shorter N is a
 * prefix of a longer one. */
#define DP_MC_D_LOG2_MAX 10
#define DP_MC_N_MIN 4096u
#define DP_MC_WORK 524288u
struct dp_mc_inst *dp_mc_inst_make(uint64_t seed, const struct dp_sizes *sz);
/* The samples for a given (seed, d_k, N). */
struct dp_mc_inst *dp_mc_inst_sample(uint64_t seed, size_t d, size_t N);
void dp_mc_inst_free(struct dp_mc_inst *x);
void dp_mc_inst_describe(const struct dp_mc_inst *x, char *buf, size_t n);
void dp_mc_inst_print(FILE *f, const struct dp_mc_inst *x);
/* Shrink candidates: halve N (a prefix, N >= 64), halve d_k (resampled from the seed). */
struct dp_mc_inst *dp_mc_inst_shrink(const struct dp_mc_inst *x, unsigned k);

/* The generator tables (claim.h) of the two families. */
struct dp_gen;
extern const struct dp_gen dp_gen_softmax_counts; /* struct dp_sm_inst */
extern const struct dp_gen dp_gen_softmax_mc;     /* struct dp_mc_inst */

/* Real text for C11 and C12: the first ndoc documents of the run's corpus (env->corpus when
 * read, else the first ndoc lines of env->corpus_path), re-indexed by first appearance, with
 * their symmetric counts X (v x v, window env->window, g = 1/|k|). */
struct dp_sm_text {
  size_t v;          /* distinct words in the documents */
  char **words;      /* v words (or "w<id>" for a corpus without vocabulary) */
  size_t ndoc, ntok;
  size_t *doc_start; /* ndoc + 1 offsets into tok */
  size_t *tok;       /* ntok local ids */
  gsl_matrix *X;     /* v x v counts */
  int c;
};
struct dp_env;
/* *out = NULL (and GSL_SUCCESS) when the environment has no corpus. */
int dp_sm_text_make(const struct dp_env *env, size_t ndoc, struct dp_sm_text **out);
void dp_sm_text_free(struct dp_sm_text *x);
/* The longest of the documents (its index). */
size_t dp_sm_text_longest(const struct dp_sm_text *x);
/* The first words of document d, quoted, at most n - 1 bytes ("..." when cut). */
void dp_sm_text_snippet(const struct dp_sm_text *x, size_t d, char *buf, size_t n);

#endif
