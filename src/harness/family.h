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
#include "rng.h"

/* --- the sequence core: sizes, tokens, unused words and Zipf counting, drawn the same way by
 * every family of token sequences (so that a family's instance is the same function of its
 * seed as its siblings' where they share a step) -------------------------------------------- */
struct dp_sizes;
struct dp_corpus;
/* R in 1..R_max (R <= 2 one time in 8) and V in 1..V_max in four modes: any, V <= R, V >= R,
 * V <= 8. */
void dp_seq_sizes(dp_rng *r, const struct dp_sizes *sz, size_t *R, size_t *V);
/* R tokens < V in four modes: uniform, Zipf, distinct (when R <= V), all the same word. */
int dp_seq_tokens(dp_rng *r, size_t R, size_t V, size_t *t);
enum { DP_TOK_UNIFORM, DP_TOK_ZIPF, DP_TOK_DISTINCT, DP_TOK_SAME };
/* The same with the mode forced (mode >= 0; the draw of the mode is still made, so the
 * stream stays that of dp_seq_tokens); distinct falls back to uniform when R > V. */
int dp_seq_tokens_mode(dp_rng *r, size_t R, size_t V, int mode, size_t *t);
/* The words of t (R tokens < V) in increasing id: map[a] their new id (or (size_t)-1 for a
 * word absent from t), used[k] (when not NULL) the old id of new word k; returns how many. */
size_t dp_seq_used_words(const size_t *t, size_t R, size_t V, size_t *map, size_t *used);
/* A random Zipf corpus over V words: 1..ndoc_max documents of 0..3V+10 tokens, then (when
 * tail is not NULL) tail as one more document; *c a window in 1..4.  GSL status. */
int dp_seq_zipf_corpus(dp_rng *r, size_t V, size_t ndoc_max, const size_t *tail, size_t ntail,
                       int *c, struct dp_corpus **out);
/* How many distinct tokens t (R tokens < V) holds (with or without memory to spare). */
size_t dp_seq_distinct(const size_t *t, size_t R, size_t V);
/* One entry simplified by shrink step `step`: 0 undoes the scale 2^scale_exp, 1 rounds to an
 * integer, 2 takes the sign. */
double dp_seq_simplify(double v, unsigned step, int scale_exp);

/* The token tactics of a family of sequences, "halve R" (two candidates) and "drop a token"
 * (R candidates), for an instance type T with a field R and a function
 * keep(const T *x, lo, hi, drop) that returns a new instance with the tokens [lo, hi) of x
 * minus token `drop` (none when drop >= R). */
#define DP_TOKEN_TACTICS(prefix, T, keep)                                                       \
  static unsigned prefix##_two_halves(const void *p) { return ((const T *)p)->R > 1 ? 2 : 0; } \
  static void *prefix##_halve(const void *p, unsigned i)                                      \
  {                                                                                           \
    const T *x = p;                                                                           \
    return i == 0 ? keep(x, 0, x->R / 2, x->R) : keep(x, x->R / 2, x->R, x->R);               \
  }                                                                                           \
  static unsigned prefix##_ntokens(const void *p)                                             \
  {                                                                                           \
    const T *x = p;                                                                           \
    return x->R > 1 ? (unsigned)x->R : 0;                                                     \
  }                                                                                           \
  static void *prefix##_drop_token(const void *p, unsigned i)                                 \
  {                                                                                           \
    const T *x = p;                                                                           \
    return keep(x, 0, x->R, i);                                                               \
  }

/* Fill A with independent N(0, 1) entries from r, row by row (the families' weights). */
void dp_seq_gauss_fill(dp_rng *r, gsl_matrix *A);

/* The narrower widths a shrink tries on (d, d_k), distinct and non-zero, largest step first:
 * d halved, d_k halved, d - 1, d_k - 1, into w; returns how many. */
unsigned dp_seq_narrower_widths(size_t d, size_t dk, size_t w[4][2]);

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

/* The sizes of a run unless told otherwise (dpcheck verify, the sweep). */
#define DP_SIZES_DEFAULT_R 64
#define DP_SIZES_DEFAULT_V 200
struct dp_sizes {
  size_t R_max; /* sequence length 1..R_max */
  size_t V_max; /* vocabulary 1..V_max */
  size_t dk_max; /* widest key width d_k of the attention and scaling families (0: each
                    family's own range; the draw is made and then capped) */
};
/* The widest key width any family draws at the default sizes (C13's 2^DP_MC_D_LOG2_MAX, above
 * the V + 4 of the attention families): a --max-dk from here up caps nothing. */
#define DP_SIZES_DEFAULT_DK_WIDEST 1024
/* Are these sizes below the defaults in some dimension of dims (R_max, V_max, or a dk_max
 * that caps a default draw; dims 0: R and V)?  A size the claim's instances do not use says
 * nothing of its twin.  A false twin that can differ from its claim only on larger instances is
 * then not testable, and never rejecting it says nothing about the check. */
int dp_sizes_below_default(const struct dp_sizes *sz, unsigned dims);
/* The dimensions a generator's instances grow with (struct dp_gen.dims; 0 means R and V). */
#define DP_DIM_R 1u
#define DP_DIM_V 2u
#define DP_DIM_DK 4u
/* The options that made sz smaller than the defaults ("--max-R 1 --max-dk 4"), into buf;
 * empty when none did. */
void dp_sizes_below_default_options(const struct dp_sizes *sz, char *buf, size_t n);

/* The exact tier's instance shape (claim.h, struct dp_exact): R tokens over V words and widths
 * d, d_k, drawn from seed within the run's sizes and at most DP_XDRAW_MAX each (integer
 * matrices of these sizes multiply exactly in microseconds), every pattern reachable:
 * repeated tokens, absent words, R < V and R > V.  rng is left seeded for the entries. */
#define DP_XDRAW_MAX 8
struct dp_xdraw {
  size_t R, V, d, dk;
  size_t t[DP_XDRAW_MAX];
  dp_rng rng;
};
void dp_xdraw_make(uint64_t seed, const struct dp_sizes *sz, struct dp_xdraw *x);
/* "R=3 V=2 d=4 d_k=2 t=(0 1 1)" */
void dp_xdraw_describe(const struct dp_xdraw *x, char *buf, size_t n);
/* Does the sequence hold two different words?  (With one word only, every entry of Q A Q^T
 * is the same entry of A: a twin about asymmetry or off-diagonal entries cannot differ.) */
int dp_xdraw_two_words(const struct dp_xdraw *x);
/* The offset-resolved draw of C14 and C15: the instance of seed, then a window c uniform in
 * 1..cmax from its stream, and the description with " c=..." into buf (n bytes); returns c.
 * The twin then skips (returns 1, o says why) where the sequence is one word: Q X^> Q^T is
 * symmetric whatever X^> is, so "X^> taken for symmetric" cannot differ there. */
struct dp_outcome;
int dp_xdraw_window(uint64_t seed, const struct dp_sizes *sz, int cmax, struct dp_xdraw *x,
                    char *buf, size_t n);
int dp_xdraw_window_twin_skip(const struct dp_xdraw *x, const char *d, struct dp_outcome *o);

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
/* What a claim's generator aims the family at, beyond its own mix (a claim's premise):
 * DP_AIM_PSD: S PSD in half the instances; DP_AIM_DISTINCT: distinct tokens (V >= R) in half
 * and a repeated token (R >= 2) in the other half, where the sizes allow;
 * DP_AIM_VARIED: in 7 of 8, R >= 3, V >= 2, tokens uniform, Zipf or distinct (never the
 * all-one-word mode, though a draw may still repeat one word), S never the zero operator
 * (rows of M that vary).  The rest keep the family's own mix, boundary included. */
enum { DP_AIM_PSD = 1u, DP_AIM_DISTINCT = 2u, DP_AIM_VARIED = 4u };
struct dp_inst *dp_inst_make_aimed(uint64_t seed, const struct dp_sizes *sz, unsigned aim);
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
/* The k-th shrink candidate (k = 0, 1, ...) of dp_gen_seq's tactics, largest steps first:
 * halve R (each half), drop one token, drop the words absent from the sequence, undo the
 * scale, round S's entries to integers, take their signs; NULL when there is no k-th. */
struct dp_inst *dp_inst_shrink(const struct dp_inst *x, unsigned k);
/* How many of V words the R tokens t do not use (no allocation: a shrink tactic's count must
 * not fail), and the same for an instance's sequence. */
size_t dp_seq_unused(const size_t *t, size_t R, size_t V);
size_t dp_inst_unused_words(const struct dp_inst *x);
/* x without half of the words absent from its sequence (the first half of them when upper = 0,
 * else the second), S and Sd restricted to the words kept; NULL when fewer than two are absent
 * (or on no memory).  map (V entries, may be NULL) gets each old word's new id, or
 * (size_t)-1 for a word dropped: a family whose weights have a row per word follows it. */
struct dp_inst *dp_inst_drop_half_unused(const struct dp_inst *x, int upper, size_t *map);
/* Tactic number `tactic` of that list (0 halve R .. 5 signs): how many candidates it offers
 * on x, and candidate i (NULL when it changes nothing); for the families built on it. */
unsigned dp_inst_tactic_count(const struct dp_inst *x, size_t tactic);
struct dp_inst *dp_inst_tactic(const struct dp_inst *x, size_t tactic, unsigned i);
enum { DP_SEQ_HALVE, DP_SEQ_DROP_TOKEN, DP_SEQ_DROP_UNUSED, DP_SEQ_UNSCALE, DP_SEQ_ROUND,
       DP_SEQ_SIGN };

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
/* Shrink candidate k of dp_gen_corpus's tactics: drop a document, halve a document, drop one
 * token, lower c, merge ids to fewer words. */
struct dp_cinst *dp_cinst_shrink(const struct dp_cinst *x, unsigned k);

#endif
