/* family.h: the instance families of the claims on M = Q S Q^T, and their shrinking.
 *
 * Instances are pure functions of (instance seed, sizes).  The generators produce the hard
 * cases on purpose: repeated tokens, words absent from the sequence, V > R and V < R, PSD,
 * indefinite and rank-deficient S, S from co-occurrence counts (raw, log1p, PPMI), and
 * magnitudes from 2^-400 to 2^400 (scaled by exact powers of two). */
#ifndef DP_FAMILY_H
#define DP_FAMILY_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <gsl/gsl_matrix.h>

/* How an instance's S was made. */
enum dp_skind {
  DP_SK_PSD,        /* B B^T, B: V x k Gaussian, k in 1..V (rank-deficient when k < V) */
  DP_SK_INDEF,      /* B L B^T, L = diag(+-1) with both signs: indefinite, rank k */
  DP_SK_SYMRAND,    /* (A + A^T) / 2, A Gaussian: indefinite, full rank */
  DP_SK_COUNTS,     /* X from a random Zipf corpus, window 1..4 */
  DP_SK_LOG1P,      /* log(1 + X) */
  DP_SK_PPMI,       /* PPMI(X) */
  DP_SK_ZERO,       /* the zero operator */
  DP_SK_COUNT_
};
const char *dp_skind_name(enum dp_skind k);
/* Is this kind PSD by construction (in exact arithmetic)? */
int dp_skind_psd(enum dp_skind k);

struct dp_sizes {
  size_t R_max; /* sequence length 1..R_max */
  size_t V_max; /* vocabulary 1..V_max */
};

/* The sequence family: a token sequence and operators on its vocabulary. */
struct dp_inst {
  uint64_t seed;   /* instance seed it was made from, kept through shrinking: the named
                      substreams a check draws from it stay those of the original */
  size_t V, R;
  size_t *t;       /* R tokens, each < V */
  gsl_matrix *S;   /* V x V, exactly symmetric: generators symmetrise explicitly */
  gsl_matrix *Sd;  /* V x V directional counts X^> of the same corpus (COUNTS kinds), or a
                      non-symmetric perturbation of S otherwise; never symmetric by design */
  enum dp_skind kind;
  int scale_exp;   /* S was multiplied by 2^scale_exp */
  unsigned shrink_steps;
};

/* Generate from (seed, sizes). */
struct dp_inst *dp_inst_make(uint64_t seed, const struct dp_sizes *sz);
/* Same, with the kind forced (for claims whose premise needs one). */
struct dp_inst *dp_inst_make_kind(uint64_t seed, const struct dp_sizes *sz, enum dp_skind k);
struct dp_inst *dp_inst_copy(const struct dp_inst *x);
void dp_inst_free(struct dp_inst *x);
/* One line of sizes: "R=12 V=40 distinct=9 S=psd(rank 3) scale=2^0". */
void dp_inst_describe(const struct dp_inst *x, char *buf, size_t n);
/* A matrix entry by entry, one line each: "name[i][j] = %a  (%.17g)", exact and readable. */
void dp_print_matrix(FILE *f, const char *name, const gsl_matrix *A);
/* The whole instance, exact: tokens, then S row by row in %a and %.17g. */
void dp_inst_print(FILE *f, const struct dp_inst *x);
/* The k-th shrink candidate (k = 0, 1, ...), largest steps first: halve R (each half), drop
 * one token, drop the words absent from the sequence, round S's entries to integers (and to
 * 0/1 signs); NULL when there is no k-th candidate. */
struct dp_inst *dp_inst_shrink(const struct dp_inst *x, unsigned k);

/* The corpus family (claim C01): a corpus of ids, a window and a weighting. */
struct dp_cinst {
  uint64_t seed;
  size_t V;
  size_t ndoc;
  size_t *doc_len; /* ndoc lengths */
  size_t *ids;     /* sum doc_len ids */
  int c;           /* window 1..6 */
  int weight;      /* enum dp_weight */
  unsigned shrink_steps;
};
struct dp_cinst *dp_cinst_make(uint64_t seed, const struct dp_sizes *sz);
struct dp_cinst *dp_cinst_copy(const struct dp_cinst *x);
void dp_cinst_free(struct dp_cinst *x);
void dp_cinst_describe(const struct dp_cinst *x, char *buf, size_t n);
void dp_cinst_print(FILE *f, const struct dp_cinst *x);
/* Shrink candidates: drop a document, halve a document, drop one token, lower c, merge
 * ids to fewer words. */
struct dp_cinst *dp_cinst_shrink(const struct dp_cinst *x, unsigned k);

#endif
