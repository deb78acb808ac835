/* text.h: the real data claim C18 checks the other claims on, at full vocabulary.
 *
 * Three sources give the same thing, a symmetric operator S on V words (sparse, CSR, never a
 * dense V x V) with the sequences to project:
 *   - a corpus: its lines split into the lines the counts see (training) and every tenth line
 *     (line numbers 10, 20, ... counting from 1), which the counts never see (held out); the
 *     vocabulary is the words of the training lines seen at least min_count times there,
 *     ordered by that count (descending) then by the corpus's own order; X = the symmetric
 *     counts of the training lines (window c, g = 1/|k|), S = log(1 + X), P = PPMI(X), X^>
 *     kept for the directional figures; the sequences are held-out lines, each cut to its
 *     first R_max words of the vocabulary (words outside it are dropped, as GloVe's cooccur
 *     drops them);
 *   - GloVe's files: vocab.txt and cooccurrence.bin (io.h), S and P as above; trained vectors
 *     optionally (vectors.txt).  The caller says how the counts were made, never guessed:
 *     one_sided = 0 (cooccur -symmetric 1, its default): X as read, which must then be
 *     exactly symmetric (refused, naming the first entry that differs); one_sided = 1
 *     (-symmetric 0: one side, X^>, the earlier word's row): X = X^> + X^>T, and X^> is
 *     kept as Xr;
 *   - a Matrix Market operator S (symmetric), sequences of 1-based ids.
 * Sequences from a file (one a line: words of the vocabulary, or 1-based ids for an operator
 * without one) or, without a file, drawn from the seed: held-out lines for a corpus; for the
 * files, R_max words drawn in proportion to their counts (vocab.txt) or uniformly (an
 * operator). */
#ifndef DP_TEXT_H
#define DP_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include "cooc.h"
#include "smat.h"

struct dp_glove;
struct dp_progress;

enum dp_text_from { DP_TEXT_CORPUS, DP_TEXT_COOC, DP_TEXT_OPERATOR };

struct dp_text {
  enum dp_text_from from;
  char label[300];          /* one line: where S and the sequences come from */
  size_t V;
  struct dp_vocab *vocab;   /* NULL for an operator */
  size_t *count;            /* V counts of the words (training lines or vocab.txt), or NULL */
  dp_smat *X;               /* symmetric counts (NULL for an operator) */
  dp_smat *Xr;              /* right-context counts X^> (a corpus, or one-sided GloVe counts;
                               else NULL) */
  dp_smat *S;               /* log(1 + X), or the operator read */
  dp_smat *P;               /* PPMI(X) (NULL for an operator) */
  struct dp_glove *glove;   /* vectors read from a file, or NULL */
  size_t nseq;
  size_t **seq;             /* nseq sequences of ids < V */
  size_t *len;              /* their lengths, >= 1 */
  char (*seq_label)[80];    /* "held-out line 1230", "sequences.txt line 4", "drawn 2" */
  /* a corpus only */
  struct dp_corpus *train;  /* the training lines as ids of the vocabulary */
  size_t ndoc, ndoc_held, ntok_held;
  int window;
};

/* Split a corpus (read with every word kept; a corpus of ids without a vocabulary gives a
 * text without one) and count its training lines as above, with every `every`-th line held
 * out (10 for real text); nseq
 * held-out lines with at least 2 vocabulary words, chosen from the seed among all such lines
 * (in line order once chosen).  GSL_EDOM when the corpus has no held-out line or no word
 * seen min_count times. */
int dp_text_from_corpus(const struct dp_corpus *corp, const char *name, int window,
                        size_t min_count, size_t every, size_t nseq, size_t R_max, uint64_t seed,
                        struct dp_progress *prog, struct dp_text **out);
/* GloVe's files (vectors and fmt may be NULL; seqfile may be NULL). */
struct dp_io_vectors_fmt;
int dp_text_from_cooc(const char *cooc, int one_sided, const char *vocab, const char *vectors,
                      const struct dp_io_vectors_fmt *fmt, const char *seqfile, size_t nseq,
                      size_t R_max, uint64_t seed, struct dp_text **out);
/* A Matrix Market operator; refused when it is not square or not exactly symmetric. */
int dp_text_from_operator(const char *mtx, const char *seqfile, size_t nseq, size_t R_max,
                          uint64_t seed, struct dp_text **out);
void dp_text_free(struct dp_text *x);

/* Read a sequence file against a vocabulary (words) or, v == NULL, V ids (1-based). */
int dp_text_read_sequences(const char *path, const struct dp_vocab *v, size_t V,
                           struct dp_text *x);

#endif
