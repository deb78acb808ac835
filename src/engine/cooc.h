/* cooc.h: corpus, vocabulary, co-occurrence counts and the symmetric operator S.
 *
 * Paper: the symmetric co-occurrence operator S behind GloVe (the notation of the claims' statements; claim C01).
 * A corpus is plain UTF-8 text, one document a line; context windows never cross a line.
 *
 * Tokeniser (dp_tokenize): a token is a maximal run of ASCII letters, ASCII digits,
 * apostrophes and bytes of UTF-8 multi-byte characters; ASCII letters are lower-cased;
 * apostrophes at either end of a run are dropped, and a run that is then empty is no token.
 * Everything else (spaces, punctuation, control characters) separates tokens.
 *
 * Vocabulary: words with count >= min_count, at most max_size of them, ordered by count
 * (descending) then spelling (bytewise ascending); ids 0..V-1 in that order.  Tokens outside
 * the vocabulary are removed from the stream before windowing, as GloVe's cooccur does.
 *
 * Counts: X^(k)_ab = g(k) #{n : w_n = a, w_{n+k} = b} for 0 < |k| <= c, g(k) = 1/|k| (GloVe)
 * or 1.  Every offset is counted on its own (X^(-k) is counted, not taken as a transpose), as
 * exact integers, then weighted: X^(k) = g(k) C^(k).  X^> = sum_{k=1..c} X^(k) and
 * X^< = sum_{k=1..c} X^(-k), summed in increasing k; X = X^> + X^<. */
#ifndef DP_COOC_H
#define DP_COOC_H

#include <stddef.h>
#include <stdio.h>
#include "smat.h"

struct dp_vocab {
  size_t V;
  char **words;   /* V strings, id order */
  size_t *counts; /* corpus count of each word */
  void *index;    /* private: word -> id lookup */
};

struct dp_vocab_opts {
  size_t min_count; /* 0 or 1: keep every word */
  size_t max_size;  /* 0: no limit */
};

struct dp_corpus {
  size_t V;          /* vocabulary size (ids are < V) */
  size_t ntok;       /* tokens kept (in the vocabulary) */
  size_t *tok;       /* ntok ids, documents back to back */
  size_t ndoc;       /* documents, including empty ones */
  size_t *doc_start; /* ndoc + 1 offsets into tok */
  size_t nraw;       /* tokens read before the vocabulary cut */
  struct dp_vocab *vocab; /* NULL for corpora built from ids */
};

/* Split one line into tokens; calls emit(token, length, ctx) for each, in order, with the
 * token lower-cased in a buffer owned by the tokeniser.  Returns the number of tokens. */
size_t dp_tokenize(const char *line, size_t len,
                   void (*emit)(const char *tok, size_t n, void *ctx), void *ctx);

/* Read a corpus file.  Errors (with a one-line message naming the file through dp_err):
 * GSL_EFAILED file missing/unreadable, GSL_EINVAL invalid UTF-8 (line number named) or a
 * NUL byte, GSL_EDOM empty corpus (no token survives the vocabulary cut). */
int dp_corpus_read(const char *path, const struct dp_vocab_opts *o, struct dp_corpus **out);
/* The same, reporting progress on prog (progress.h; NULL: silent) as the stage
 * "read <path>": the bytes read against the file's size, then the tokens, documents and V.
 * dp_corpus_read is this with prog = NULL. */
struct dp_progress;
int dp_corpus_read_p(const char *path, const struct dp_vocab_opts *o, struct dp_progress *prog,
                     struct dp_corpus **out);
/* The same from a string in memory (documents separated by '\n'); name is for messages. */
int dp_corpus_from_text(const char *text, size_t len, const char *name,
                        const struct dp_vocab_opts *o, struct dp_corpus **out);
/* A corpus of ids (generated instances): ndoc documents of doc_len[d] ids each, all < V. */
int dp_corpus_from_ids(size_t V, size_t ndoc, const size_t *doc_len, const size_t *ids,
                       struct dp_corpus **out);
void dp_corpus_free(struct dp_corpus *c);
/* Look a word up; returns its id or (size_t)-1. */
size_t dp_vocab_find(const struct dp_vocab *v, const char *word);
/* A vocabulary of V >= 1 given words (copied) with their counts, ids in the order given,
 * with its word -> id index (for vocabularies read from a file, io.h).  GSL_EINVAL when a
 * word is NULL or repeats an earlier one (*dup, when not NULL, gets the later id and
 * dup[1] the earlier one); GSL_ENOMEM recorded when an allocation fails. */
int dp_vocab_from_words(size_t V, const char *const *words, const size_t *counts,
                        struct dp_vocab **out, size_t dup[2]);
/* Free a vocabulary not owned by a corpus (dp_vocab_from_words); NULL is a no-op. */
void dp_vocab_free(struct dp_vocab *v);

enum dp_weight { DP_WEIGHT_HARMONIC, DP_WEIGHT_ONE };
double dp_weight_g(enum dp_weight w, int k); /* g(k): 1/|k| or 1 */
const char *dp_weight_name(enum dp_weight w);

struct dp_counts {
  size_t V;
  int c;
  enum dp_weight weight;
  dp_smat **Xk; /* 2c + 1 slots, Xk[k + c] = X^(k); Xk[c] (k = 0) is NULL */
  dp_smat *Xr;  /* X^> right context */
  dp_smat *Xl;  /* X^< left context */
  dp_smat *X;   /* X = X^> + X^< */
};

/* Count every offset 0 < |k| <= c.  kind chooses dense or sparse storage. */
int dp_cooc_count(const struct dp_corpus *corp, int c, enum dp_weight w,
                  enum dp_smat_kind kind, struct dp_counts **out);
/* The same, reporting progress on prog (NULL: silent) as the stage "count": the offsets
 * counted out of 2c, then V, c and the non-zeros of X.  dp_cooc_count is this with NULL. */
int dp_cooc_count_p(const struct dp_corpus *corp, int c, enum dp_weight w,
                    enum dp_smat_kind kind, struct dp_progress *prog, struct dp_counts **out);
void dp_counts_free(struct dp_counts *x);
/* GloVe's single pass: for every token and every context position within c on both sides,
 * add g(|k|) to X[w_n][w_ctx].  An independent route to X (other summation order). */
int dp_cooc_count_direct(const struct dp_corpus *corp, int c, enum dp_weight w,
                         enum dp_smat_kind kind, dp_smat **X);
/* sum_ab X_ab in exact arithmetic: 2 sum_{k=1..c} g(k) max(0, N_doc - k) over documents,
 * computed with compensated summation. */
double dp_cooc_expected_mass(const struct dp_corpus *corp, int c, enum dp_weight w);

/* The directional skew of the right-context counts for every window c = 1..cmax (cmax >= 1):
 * X^> = sum_{k=1..c} X^(k), counted sparse one offset at a time and accumulated;
 * skew[c-1] = ||K||_F with K = (X^> - X^>T)/2, the part of X^> orthogonal to every symmetric
 * matrix, and norm[c-1] = ||X^>||_F (both cmax entries).  Memory grows with the corpus and
 * the non-zeros, never with V^2. */
int dp_cooc_skew_profile(const struct dp_corpus *corp, int cmax, enum dp_weight w,
                         double *skew, double *norm);
/* A token-shuffled copy of a corpus (ids only, no vocabulary): the tokens of each document
 * permuted within it (across = 0), or the whole stream permuted with the documents' lengths
 * kept (across = 1); Fisher-Yates from r.  The control of the directional statistics: a
 * shuffle keeps the unigram counts and makes every offset's expected counts symmetric. */
struct dp_rng;
int dp_corpus_shuffle(const struct dp_corpus *in, int across, struct dp_rng *r,
                      struct dp_corpus **out);

/* S variants of a count matrix. */
enum dp_sop { DP_SOP_RAW, DP_SOP_LOG1P, DP_SOP_PPMI };
const char *dp_sop_name(enum dp_sop op);
/* S = X (copy), log(1 + X), or PPMI(X)_ab = max(0, log(X_ab * T / (r_a * r_b))) with
 * row sums r, T = sum of all entries; 0 where X_ab = 0.  Same kind as X. */
int dp_cooc_operator(const dp_smat *X, enum dp_sop op, dp_smat **S);

#endif
