/* io.h: GloVe's files (vocab.txt, cooccurrence.bin, vectors.txt) and Matrix Market (.mtx).
 *
 * Paper: the co-occurrence matrix X that GloVe factorises and the operator S built from it
 * (claim C01 and the S of every later claim); this module lets X, S and trained vectors be
 * exchanged with GloVe's own tools and with any Matrix Market reader.  docs/formats.md
 * describes every format as read and written, and the settings under which dpcheck's counts
 * equal GloVe's cooccur output.
 *
 * Every reader and writer returns a GSL status and records its reason through DP_ERROR as
 * one line that names the file (its path) and the problem ("x.bin: record 17 is truncated
 * (8 of 16 bytes)").  Readers never hand back a partial result: on an error every out
 * pointer is NULL.  Writers never leave a partial file: the bytes go to a temporary file in
 * the target's directory, which is flushed, fsync-ed and renamed over the target only when
 * everything was written; on an error the temporary file is removed and the old target, if
 * any, is untouched.  Values are written with %.17g, so that a double reads back bit for bit
 * (a -0.0 reads back as +0.0: dp_smat sums entries from +0.0).  What would not fit in
 * memory (more than dp_smat_dense_limit bytes) is refused before it is allocated, with the
 * size it would need; so is anything but a regular file (a device or a FIFO has no size, and
 * /dev/zero never ends).  Numbers are decimal (C's hexadecimal floats are refused).  The
 * same input gives the same bytes out. */
#ifndef DP_IO_H
#define DP_IO_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include "cooc.h"
#include "smat.h"

/* The size of one cooccurrence.bin record: int word1, int word2, double val, little-endian,
 * no padding (GloVe's CREC as gcc lays it out on x86-64: offsets 0, 4, 8). */
#define DP_IO_CREC_BYTES 16

/* vocab.txt: one word a line, "word count", ids 0..V-1 in line order (GloVe's 1..V).  Lines
 * may end in "\r\n"; the last newline may be missing.  Refused (GSL_EINVAL): an empty line,
 * a word without a count, a count that is not a decimal integer, a field after the count, a
 * word that is not UTF-8 or holds a NUL byte, GloVe's reserved word "<unk>", a repeated
 * word, an empty file (GSL_EDOM).  More than max_words words (max_words > 0), or a
 * vocabulary that would take more than dp_smat_dense_limit bytes, is refused up front
 * (GSL_ENOMEM) with the size it would need.  Free the result with dp_vocab_free. */
int dp_io_vocab_read(const char *path, size_t max_words, struct dp_vocab **out);
/* Writes "word count\n" in id order.  A word GloVe could not read back (empty, or holding a
 * space, tab, CR or LF) is refused. */
int dp_io_vocab_write(const char *path, const struct dp_vocab *v);

/* cooccurrence.bin: records of DP_IO_CREC_BYTES, ids 1..V.  The V x V matrix X, duplicate
 * records summed in file order (as glove.c sees a file that repeats a pair: each record is
 * one term of its cost).  Refused: a truncated last record (GSL_EINVAL, with the bytes
 * present), an id 0, negative or > V, a NaN or infinite value (GSL_EINVAL, naming the
 * record, counted from 1), a matrix that would not fit (GSL_ENOMEM, up front from the file
 * size). */
int dp_io_cooc_read(const char *path, size_t V, enum dp_smat_kind kind, dp_smat **X);
/* Writes every non-zero entry of the square X as one record, in GloVe's order: word1
 * ascending, then word2 ascending (cooccur.c's merge_files writes that order, each pair
 * once, no zero).  Refused: a non-square X, V > INT_MAX, a NaN or infinite entry. */
int dp_io_cooc_write(const char *path, const dp_smat *X);

/* vectors.txt as glove.c's save_params writes it with -binary 0 (text), one line a word in
 * vocabulary order, "word v1 v2 ...".  The layout is the caller's to say, never guessed:
 *   DP_IO_GLOVE_FULL  (-model 0): W_i (d), b_i, W~_i (d), b~_i: 2(d + 1) values
 *   DP_IO_GLOVE_W     (-model 1): W_i (d)
 *   DP_IO_GLOVE_SUM   (-model 2, glove's default): W_i + W~_i (d)
 * header: a first line "V d" (-write-header 1); unk: a last line "<unk> ..." (glove's
 * default, the mean of the rarest words' vectors; read and checked, then dropped). */
enum dp_io_glove_model { DP_IO_GLOVE_FULL = 0, DP_IO_GLOVE_W = 1, DP_IO_GLOVE_SUM = 2 };
struct dp_io_vectors_fmt {
  enum dp_io_glove_model model;
  int header; /* 1: a first line "V d" */
  int unk;    /* 1: a last line for "<unk>" (reading only; writing it is refused) */
};
/* Reads V = v->V rows; line i must name v->words[i].  W gets the d values of DP_IO_GLOVE_W
 * and DP_IO_GLOVE_SUM (Wc, b, bc are then NULL and may be passed as NULL); DP_IO_GLOVE_FULL
 * fills all four.  Refused (GSL_EINVAL): a line with a number of values other than the first
 * line's (vectors of unequal dimension), an odd count under DP_IO_GLOVE_FULL, no value, a
 * value that is not a number, NaN or Inf, a word other than the vocabulary's at that line,
 * fewer or more lines than V (+ header, + <unk>), a header that disagrees with V or d;
 * matrices over dp_smat_dense_limit (GSL_ENOMEM, up front). */
int dp_io_vectors_read(const char *path, const struct dp_vocab *v,
                       const struct dp_io_vectors_fmt *fmt, gsl_matrix **W, gsl_matrix **Wc,
                       gsl_vector **b, gsl_vector **bc);
/* Writes V = v->V lines (and the header when asked) from W (V x d); DP_IO_GLOVE_SUM writes
 * W + Wc entry by entry as glove.c does, DP_IO_GLOVE_FULL writes W, b, Wc, bc. */
int dp_io_vectors_write(const char *path, const struct dp_vocab *v,
                        const struct dp_io_vectors_fmt *fmt, const gsl_matrix *W,
                        const gsl_matrix *Wc, const gsl_vector *b, const gsl_vector *bc);

/* Matrix Market: "%%MatrixMarket matrix <coordinate|array> <real|integer>
 * <general|symmetric>" (keywords in any case), comment lines "%...", the size line ("M N nnz"
 * or "M N"), the entries (coordinate: "i j v", 1-based; array: one value a line, column by
 * column).  A symmetric file holds the lower triangle (i >= j; array: column j from row j
 * down) and is expanded; an entry above the diagonal in a symmetric coordinate file is
 * refused as an asymmetric matrix declared symmetric.  Repeated coordinates are summed in
 * file order.  Refused (GSL_EINVAL): a bad or missing header, pattern/complex fields,
 * skew-symmetric/hermitian, a bad size line, a symmetric matrix that is not square, an index
 * 0 or out of range, a value that is not a number, NaN or Inf, fewer or more entries than
 * declared; GSL_ENOMEM up front when the matrix would not fit, or when the file is too short
 * to hold the entries it declares. */
int dp_io_mtx_read(const char *path, enum dp_smat_kind kind, dp_smat **A);
/* A dense A is written as an array, a sparse one as coordinates (its stored entries, row by
 * row).  symmetric: A must equal its transpose exactly (else GSL_EINVAL naming the first
 * entry that differs) and only its lower triangle is written. */
int dp_io_mtx_write(const char *path, const dp_smat *A, int symmetric);

/* --- lines of text, read safely (the corpus, sequence files) ------------------------------ */

/* Open path for reading into *f: a regular file only (a FIFO, a device or a directory is
 * refused, so nothing blocks or never ends), its size in *size (may be NULL).  GSL status,
 * the reason recorded and *f = NULL on failure. */
int dp_io_fopen_regular(const char *path, FILE **f, size_t *size);
/* One line of f into *buf (grown as getline grows it, NUL-terminated, the newline kept): its
 * length, or -1 at the end of the file and on an error, with *st set: a NUL byte (refused as
 * soon as it is read, "path:lineno: NUL byte at column k"), a line over max bytes (so that a
 * file of zeros or one endless line is refused without reading it whole), a read error. */
ssize_t dp_io_read_line(FILE *f, char **buf, size_t *cap, size_t max, const char *path,
                        size_t lineno, int *st);

#endif
