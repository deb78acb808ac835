/* check_io.c: unit tests of io, GloVe's files and Matrix Market (claim C01's X and the S of
 * the later claims, exchanged with other tools).
 *
 * A cooccurrence.bin whose bytes are built here by hand (little-endian int, int, double)
 * fixes the record layout and GloVe's order independently of the writer; every format
 * round-trips bit for bit (dense and sparse); every bad input gets its status and a message
 * that names the file and the problem; a failed write leaves no file (not even a temporary
 * one) and an old target untouched; every allocation of every reader and writer fails in
 * turn (INJECT).  Files live in a fresh directory under /tmp (mkdtemp). */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cooc.h"
#include "err.h"
#include "io.h"
#include "smat.h"
#include "testutil.h"
#include "tmpdir.h"

/* ---------------------------------------------------------------------------------------
 * Helpers */

static const char *put(const char *name, const void *bytes, size_t n)
{
  const char *p = at(name);
  int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq((int)write(fd, bytes, n), (int)n);
  close(fd);
  return p;
}

static const char *puts_(const char *name, const char *s) { return put(name, s, strlen(s)); }

/* The bytes of a file (malloc'd), *n its length. */
static unsigned char *slurp(const char *p, size_t *n)
{
  FILE *f = fopen(p, "rb");
  ck_assert_ptr_nonnull(f);
  unsigned char *b = malloc(1 << 20);
  *n = fread(b, 1, 1 << 20, f);
  fclose(f);
  return b;
}

/* One little-endian record of GloVe's CREC. */
static void crec(unsigned char *b, int32_t w1, int32_t w2, double x)
{
  uint32_t u1 = (uint32_t)w1, u2 = (uint32_t)w2;
  uint64_t u;
  memcpy(&u, &x, 8);
  for (int k = 0; k < 4; k++) {
    b[k] = (unsigned char)(u1 >> (8 * k));
    b[4 + k] = (unsigned char)(u2 >> (8 * k));
  }
  for (int k = 0; k < 8; k++)
    b[8 + k] = (unsigned char)(u >> (8 * k));
}

static void assert_bitwise(const dp_smat *A, const dp_smat *B)
{
  ck_assert_uint_eq(A->n1, B->n1);
  ck_assert_uint_eq(A->n2, B->n2);
  for (size_t i = 0; i < A->n1; i++)
    for (size_t j = 0; j < A->n2; j++) {
      double a = dp_smat_get(A, i, j), b = dp_smat_get(B, i, j);
      ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "(%zu, %zu): %a vs %a", i, j, a, b);
    }
}

static int same_bits(const dp_smat *A, const dp_smat *B)
{
  if (!A || !B || A->n1 != B->n1 || A->n2 != B->n2)
    return 0;
  for (size_t i = 0; i < A->n1; i++)
    for (size_t j = 0; j < A->n2; j++) {
      double a = dp_smat_get(A, i, j), b = dp_smat_get(B, i, j);
      if (memcmp(&a, &b, sizeof a) != 0)
        return 0;
    }
  return 1;
}

/* A 5 x 5 matrix with awkward values and zeros; symmetric when sym. */
static dp_smat *awkward(enum dp_smat_kind kind, int sym)
{
  static const double v[] = {1.0 / 3, 1e-300, 12345.678901234567, -2.5e300, 0.1, 4.9e-324,
                             7.0, -1.0 / 7, 3.141592653589793, 2.0 / 3};
  size_t ti[25], tj[25];
  double tx[25];
  size_t n = 0;
  for (size_t i = 0; i < 5; i++)
    for (size_t j = 0; j < 5; j++) {
      size_t a = sym && j > i ? j : i, b = sym && j > i ? i : j;
      if ((a * 3 + b) % 4 == 1)
        continue; /* a zero */
      ti[n] = i;
      tj[n] = j;
      tx[n++] = v[(a * 7 + b * (sym ? 7 : 3)) % 10] * (sym ? 1.0 : (double)(i + 1));
    }
  dp_smat *A = NULL;
  ck_assert_int_eq(dp_smat_from_triplets(5, 5, kind, n, ti, tj, tx, &A), GSL_SUCCESS);
  return A;
}

static struct dp_vocab *vocab3(void)
{
  const char *w[3] = {"the", "caf\xc3\xa9", "don't"};
  const size_t c[3] = {10, 4, 4};
  struct dp_vocab *v = NULL;
  ck_assert_int_eq(dp_vocab_from_words(3, w, c, &v, NULL), GSL_SUCCESS);
  return v;
}

/* ---------------------------------------------------------------------------------------
 * cooccurrence.bin */

START_TEST(test_cooc_layout)
{
  dir_make();
  /* Records as glove's shuffle leaves them: any order, a pair repeated. */
  unsigned char b[5 * 16];
  crec(b, 1, 2, 0.5);
  crec(b + 16, 3, 1, 0.25);
  crec(b + 32, 1, 1, 3.0);
  crec(b + 48, 1, 2, 0.25);
  crec(b + 64, 2, 3, 1.0 / 3);
  const char *p = put("shuf.bin", b, sizeof b);
  dp_smat *X[2] = {NULL, NULL};
  for (int k = 0; k < 2; k++) {
    ck_assert_int_eq(dp_io_cooc_read(p, 3, k ? DP_SMAT_SPARSE : DP_SMAT_DENSE, &X[k]),
                     GSL_SUCCESS);
    ck_assert(dp_smat_get(X[k], 0, 1) == 0.75); /* 0.5 + 0.25, in file order */
    ck_assert(dp_smat_get(X[k], 2, 0) == 0.25);
    ck_assert(dp_smat_get(X[k], 0, 0) == 3.0);
    ck_assert(dp_smat_get(X[k], 1, 2) == 1.0 / 3);
    ck_assert(dp_smat_get(X[k], 1, 0) == 0.0);
  }
  assert_bitwise(X[0], X[1]);
  /* Written in GloVe's order (word1, then word2, ascending; each pair once), the same bytes
   * from either kind. */
  unsigned char want[4 * 16];
  crec(want, 1, 1, 3.0);
  crec(want + 16, 1, 2, 0.75);
  crec(want + 32, 2, 3, 1.0 / 3);
  crec(want + 48, 3, 1, 0.25);
  for (int k = 0; k < 2; k++) {
    const char *q = at(k ? "sparse.bin" : "dense.bin");
    ck_assert_int_eq(dp_io_cooc_write(q, X[k]), GSL_SUCCESS);
    size_t n;
    unsigned char *got = slurp(q, &n);
    ck_assert_uint_eq(n, sizeof want);
    ck_assert_int_eq(memcmp(got, want, n), 0);
    free(got);
  }
  ck_assert_int_eq(DP_IO_CREC_BYTES, 16);
  dp_smat_free(X[0]);
  dp_smat_free(X[1]);
  dir_remove();
}
END_TEST

START_TEST(test_cooc_roundtrip)
{
  dir_make();
  for (int k = 0; k < 2; k++) {
    dp_smat *A = awkward(k ? DP_SMAT_SPARSE : DP_SMAT_DENSE, 0), *B = NULL;
    const char *p = at("x.bin");
    ck_assert_int_eq(dp_io_cooc_write(p, A), GSL_SUCCESS);
    for (int r = 0; r < 2; r++) {
      ck_assert_int_eq(dp_io_cooc_read(p, 5, r ? DP_SMAT_SPARSE : DP_SMAT_DENSE, &B),
                       GSL_SUCCESS);
      assert_bitwise(A, B);
      dp_smat_free(B);
    }
    dp_smat_free(A);
  }
  /* Counts of a corpus (1/d weights, window 3): X out and back, bit for bit. */
  const char *text = "the cat sat on the mat\nthe dog sat\n\non the cat the end\n";
  struct dp_corpus *c = NULL;
  ck_assert_int_eq(dp_corpus_from_text(text, strlen(text), "t", NULL, &c), GSL_SUCCESS);
  struct dp_counts *x = NULL;
  ck_assert_int_eq(dp_cooc_count(c, 3, DP_WEIGHT_HARMONIC, DP_SMAT_SPARSE, &x), GSL_SUCCESS);
  const char *p = at("cooccurrence.bin");
  ck_assert_int_eq(dp_io_cooc_write(p, x->X), GSL_SUCCESS);
  dp_smat *Y = NULL;
  ck_assert_int_eq(dp_io_cooc_read(p, c->V, DP_SMAT_DENSE, &Y), GSL_SUCCESS);
  assert_bitwise(x->X, Y);
  /* an empty file is an all-zero X */
  dp_smat_free(Y);
  ck_assert_int_eq(dp_io_cooc_read(put("empty.bin", "", 0), 2, DP_SMAT_SPARSE, &Y),
                   GSL_SUCCESS);
  ck_assert_uint_eq(dp_smat_nnz(Y), 0);
  dp_smat_free(Y);
  dp_counts_free(x);
  dp_corpus_free(c);
  dir_remove();
}
END_TEST

START_TEST(test_cooc_bad)
{
  dir_make();
  unsigned char b[3 * 16];
  dp_smat *X = (dp_smat *)&X;
  crec(b, 1, 2, 1.0);
  crec(b + 16, 2, 1, 1.0);
  /* a truncated record: 16 + 8 bytes */
  const char *p = put("trunc.bin", b, 24);
  ck_err(dp_io_cooc_read(p, 2, DP_SMAT_DENSE, &X), GSL_EINVAL, p,
         "record 2 is truncated (8 of 16 bytes)");
  ck_assert_ptr_null(X);
  struct {
    int32_t w1, w2;
    double x;
    const char *problem;
  } bad[] = {
    {0, 1, 1.0, "record 2: word id 0 out of range"},
    {1, 0, 1.0, "record 2: word id 0 out of range"},
    {3, 1, 1.0, "record 2: word id 3 out of range (ids are 1 to V = 2)"},
    {1, -5, 1.0, "word id -5 out of range"},
    {INT32_MIN, 1, 1.0, "out of range"},
    {1, 2, NAN, "value NaN is not finite"},
    {1, 2, INFINITY, "value Inf is not finite"},
    {1, 2, -INFINITY, "value -Inf is not finite"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    crec(b + 16, bad[k].w1, bad[k].w2, bad[k].x);
    p = put("bad.bin", b, 32);
    for (int r = 0; r < 2; r++) {
      X = (dp_smat *)&X;
      ck_err(dp_io_cooc_read(p, 2, r ? DP_SMAT_SPARSE : DP_SMAT_DENSE, &X), GSL_EINVAL, p,
             bad[k].problem);
      ck_assert_ptr_null(X);
    }
  }
  p = at("missing.bin");
  ck_err(dp_io_cooc_read(p, 2, DP_SMAT_DENSE, &X), GSL_EFAILED, p, "cannot open");
  ck_err(dp_io_cooc_read(dir, 2, DP_SMAT_DENSE, &X), GSL_EFAILED, dir, "directory");
  ck_err(dp_io_cooc_read(p, 0, DP_SMAT_DENSE, &X), GSL_EINVAL, p, "V = 0");
  /* What would not fit is refused up front, with the size it needs. */
  crec(b + 16, 2, 1, 1.0);
  p = put("ok.bin", b, 32);
  ck_err(dp_io_cooc_read(p, 100000, DP_SMAT_DENSE, &X), GSL_ENOMEM, p,
         "dense 100000 x 100000 matrix of 2 entries would need 80000000048 bytes");
  size_t keep = dp_smat_dense_limit;
  dp_smat_dense_limit = 40;
  ck_err(dp_io_cooc_read(p, 2, DP_SMAT_SPARSE, &X), GSL_ENOMEM, p, "would need");
  dp_smat_dense_limit = keep;
  /* writing: not square, not finite; nothing is written */
  dp_smat *R = NULL;
  ck_assert_int_eq(dp_smat_zeros(2, 3, DP_SMAT_DENSE, &R), GSL_SUCCESS);
  p = at("out.bin");
  ck_err(dp_io_cooc_write(p, R), GSL_EINVAL, p, "not square");
  dp_smat_free(R);
  ck_assert_int_eq(dp_smat_zeros(2, 2, DP_SMAT_DENSE, &R), GSL_SUCCESS);
  gsl_matrix_set(R->d, 1, 0, NAN);
  ck_err(dp_io_cooc_write(p, R), GSL_EINVAL, p, "entry (2, 1) = nan is not finite");
  ck_assert(!exists(p));
  dp_smat_free(R);
  dir_remove();
}
END_TEST

/* ---------------------------------------------------------------------------------------
 * vocab.txt */

START_TEST(test_vocab)
{
  dir_make();
  struct dp_vocab *v = vocab3(), *w = NULL;
  const char *p = at("vocab.txt");
  ck_assert_int_eq(dp_io_vocab_write(p, v), GSL_SUCCESS);
  size_t n;
  unsigned char *b = slurp(p, &n);
  const char *want = "the 10\ncaf\xc3\xa9 4\ndon't 4\n";
  ck_assert_uint_eq(n, strlen(want));
  ck_assert_int_eq(memcmp(b, want, n), 0);
  free(b);
  ck_assert_int_eq(dp_io_vocab_read(p, 0, &w), GSL_SUCCESS);
  ck_assert_uint_eq(w->V, 3);
  for (size_t i = 0; i < 3; i++) {
    ck_assert_str_eq(w->words[i], v->words[i]);
    ck_assert_uint_eq(w->counts[i], v->counts[i]);
    ck_assert_uint_eq(dp_vocab_find(w, v->words[i]), i);
  }
  ck_assert_uint_eq(dp_vocab_find(w, "cat"), (size_t)-1);
  dp_vocab_free(w);
  /* CRLF, tabs and a missing last newline are read; ids follow the lines, not the counts */
  p = puts_("crlf.txt", "a 1\r\nb\t\t7\r\nc 0");
  ck_assert_int_eq(dp_io_vocab_read(p, 3, &w), GSL_SUCCESS);
  ck_assert_uint_eq(w->V, 3);
  ck_assert_str_eq(w->words[1], "b");
  ck_assert_uint_eq(w->counts[1], 7);
  ck_assert_uint_eq(w->counts[2], 0);
  dp_vocab_free(w);
  /* The vocabulary of a corpus, written and read back */
  const char *text = "b a c a b a\nd\n";
  struct dp_corpus *c = NULL;
  ck_assert_int_eq(dp_corpus_from_text(text, strlen(text), "t", NULL, &c), GSL_SUCCESS);
  ck_assert_int_eq(dp_io_vocab_write(p, c->vocab), GSL_SUCCESS);
  b = slurp(p, &n);
  ck_assert_uint_eq(n, 16);
  ck_assert_int_eq(memcmp(b, "a 3\nb 2\nc 1\nd 1\n", 16), 0);
  free(b);
  dp_corpus_free(c);
  dp_vocab_free(v);
  dir_remove();
}
END_TEST

START_TEST(test_vocab_bad)
{
  dir_make();
  struct {
    const char *text;
    int st;
    const char *problem;
  } bad[] = {
    {"a 1\nb\nc 2\n", GSL_EINVAL, "line 2: word 'b' has no count"},
    {"a 1\n\nc 2\n", GSL_EINVAL, "line 2 is empty"},
    {"a 1\nb x\n", GSL_EINVAL, "line 2: count 'x' of 'b' is not a whole number"},
    {"a 1\nb -3\n", GSL_EINVAL, "count '-3'"},
    {"a 1\nb 99999999999999999999\n", GSL_EINVAL, "count '99999999999999999999'"},
    {"a 1\nb 2 3\n", GSL_EINVAL, "line 2: 3 fields"},
    {"a 1\nb 2\na 3\n", GSL_EINVAL, "line 3: word 'a' repeats line 1"},
    {"a 1\n<unk> 2\n", GSL_EINVAL, "line 2: '<unk>' is reserved"},
    {"a 1\n\xc3\x28 2\n", GSL_EINVAL, "line 2: invalid UTF-8 at column 1"},
    {"a 1\nb\v 2\n", GSL_EINVAL, "line 2: word 'b ' holds white space"}, /* \v shown as ' ' */
    {"", GSL_EDOM, "no words"},
  };
  struct dp_vocab *v = (struct dp_vocab *)&v;
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    const char *p = puts_("bad.txt", bad[k].text);
    v = (struct dp_vocab *)&v;
    ck_err(dp_io_vocab_read(p, 0, &v), bad[k].st, p, bad[k].problem);
    ck_assert_ptr_null(v);
  }
  const char *p = put("nul.txt", "a 1\nb\0 2\n", 9);
  ck_err(dp_io_vocab_read(p, 0, &v), GSL_EINVAL, p, "line 2: NUL byte");
  p = at("missing.txt");
  ck_err(dp_io_vocab_read(p, 0, &v), GSL_EFAILED, p, "cannot open");
  /* refused up front: too many words, or more memory than allowed */
  p = puts_("big.txt", "a 3\nb 2\nc 1\n");
  ck_err(dp_io_vocab_read(p, 2, &v), GSL_ENOMEM, p, "3 lines, more than the 2 words allowed");
  size_t keep = dp_smat_dense_limit;
  dp_smat_dense_limit = 100;
  ck_err(dp_io_vocab_read(p, 0, &v), GSL_ENOMEM, p, "a vocabulary file of 12 bytes (3 lines) would need");
  dp_smat_dense_limit = 20; /* under twice the file's 12 bytes: refused before it is scanned */
  ck_err(dp_io_vocab_read(p, 0, &v), GSL_ENOMEM, p, "a vocabulary file of 12 bytes would need 24");
  dp_smat_dense_limit = keep;
  /* writing a word GloVe could not read back */
  const char *w[2] = {"ok", "two words"};
  const size_t c[2] = {2, 1};
  ck_assert_int_eq(dp_vocab_from_words(2, w, c, &v, NULL), GSL_SUCCESS);
  p = at("out.txt");
  ck_err(dp_io_vocab_write(p, v), GSL_EINVAL, p, "word 1 ('two words') is empty, holds white space");
  ck_assert(!exists(p));
  dp_vocab_free(v);
  size_t dup[2];
  const char *d[3] = {"x", "y", "x"};
  const size_t dc[3] = {1, 1, 1};
  ck_assert_int_eq(dp_vocab_from_words(3, d, dc, &v, dup), GSL_EINVAL);
  ck_assert_ptr_null(v);
  ck_assert_uint_eq(dup[0], 2);
  ck_assert_uint_eq(dup[1], 0);
  dir_remove();
}
END_TEST

/* ---------------------------------------------------------------------------------------
 * vectors.txt */

static gsl_matrix *vec_matrix(size_t V, size_t d, double s)
{
  gsl_matrix *W = gsl_matrix_alloc(V, d);
  for (size_t i = 0; i < V; i++)
    for (size_t k = 0; k < d; k++)
      gsl_matrix_set(W, i, k, s * sin((double)(i * d + k + 1)) / (double)(k + 3));
  return W;
}

static int same_matrix(const gsl_matrix *A, const gsl_matrix *B)
{
  return A && B && A->size1 == B->size1 && A->size2 == B->size2 &&
         memcmp(A->data, B->data, A->size1 * A->size2 * sizeof(double)) == 0;
}

START_TEST(test_vectors)
{
  dir_make();
  struct dp_vocab *v = vocab3();
  gsl_matrix *W = vec_matrix(3, 4, 1.0), *Wc = vec_matrix(3, 4, -1e-3);
  gsl_vector *b = gsl_vector_alloc(3), *bc = gsl_vector_alloc(3);
  for (size_t i = 0; i < 3; i++) {
    gsl_vector_set(b, i, 0.1 * (double)i + 1.0 / 3);
    gsl_vector_set(bc, i, -1e-17 * (double)(i + 1));
  }
  for (int header = 0; header < 2; header++)
    for (int m = 0; m < 3; m++) {
      struct dp_io_vectors_fmt fmt = {(enum dp_io_glove_model)m, header, 0};
      const char *p = at("vectors.txt");
      ck_assert_int_eq(dp_io_vectors_write(p, v, &fmt, W, Wc, b, bc), GSL_SUCCESS);
      gsl_matrix *rW = NULL, *rWc = NULL;
      gsl_vector *rb = NULL, *rbc = NULL;
      ck_assert_int_eq(dp_io_vectors_read(p, v, &fmt, &rW, &rWc, &rb, &rbc), GSL_SUCCESS);
      if (m == DP_IO_GLOVE_SUM) {
        gsl_matrix *S = gsl_matrix_alloc(3, 4);
        gsl_matrix_memcpy(S, W);
        gsl_matrix_add(S, Wc);
        ck_assert(same_matrix(rW, S));
        gsl_matrix_free(S);
      } else
        ck_assert(same_matrix(rW, W));
      if (m == DP_IO_GLOVE_FULL) {
        ck_assert(same_matrix(rWc, Wc));
        ck_assert_int_eq(memcmp(rb->data, b->data, 3 * sizeof(double)), 0);
        ck_assert_int_eq(memcmp(rbc->data, bc->data, 3 * sizeof(double)), 0);
      } else {
        ck_assert_ptr_null(rWc);
        ck_assert_ptr_null(rb);
      }
      size_t n;
      unsigned char *bytes = slurp(p, &n);
      ck_assert_int_eq(memcmp(bytes, header ? "3 4\nthe " : "the ", header ? 8 : 4), 0);
      free(bytes);
      gsl_matrix_free(rW);
      gsl_matrix_free(rWc);
      gsl_vector_free(rb);
      gsl_vector_free(rbc);
    }
  /* As glove.c writes them: %lf, a header, and the <unk> line (read, checked, dropped). */
  const char *p = puts_("glove.txt", "3 2\nthe 0.100000 -0.200000\ncaf\xc3\xa9 1.000000 2.000000\n"
                                     "don't -0.000001 3.500000\n<unk> 0.5 0.5\n");
  struct dp_io_vectors_fmt g = {DP_IO_GLOVE_W, 1, 1};
  gsl_matrix *rW = NULL;
  ck_assert_int_eq(dp_io_vectors_read(p, v, &g, &rW, NULL, NULL, NULL), GSL_SUCCESS);
  ck_assert_uint_eq(rW->size1, 3);
  ck_assert_uint_eq(rW->size2, 2);
  ck_assert(gsl_matrix_get(rW, 0, 1) == -0.2);
  ck_assert(gsl_matrix_get(rW, 2, 0) == -0.000001);
  gsl_matrix_free(rW);
  gsl_matrix_free(W);
  gsl_matrix_free(Wc);
  gsl_vector_free(b);
  gsl_vector_free(bc);
  dp_vocab_free(v);
  dir_remove();
}
END_TEST

START_TEST(test_vectors_bad)
{
  dir_make();
  struct dp_vocab *v = vocab3();
  struct {
    enum dp_io_glove_model m;
    int header, unk;
    const char *text, *problem;
  } bad[] = {
    {1, 0, 0, "the 1 2\ncaf\xc3\xa9 1 2 3\ndon't 1 2\n",
     "line 2: 'caf\xc3\xa9' has 3 values, the first vector 2 (vectors of unequal dimension)"},
    {1, 0, 0, "the 1 2\ncaf\xc3\xa9 1\ndon't 1 2\n", "has 1 values, the first vector 2"},
    {0, 0, 0, "the 1 2 3\ncaf\xc3\xa9 1 2 3\ndon't 1 2 3\n", "line 1: 3 values, model 0 needs"},
    {0, 0, 0, "the 1 2\ncaf\xc3\xa9 1 2\ndon't 1 2\n", "line 1: 2 values, model 0 needs"},
    {2, 0, 0, "the\ncaf\xc3\xa9\ndon't\n", "line 1: 0 values"},
    {2, 0, 0, "the 1 2\ncafe 1 2\ndon't 1 2\n", "line 2: word 'cafe', expected 'caf\xc3\xa9'"},
    {2, 0, 0, "the 1 2\ncaf\xc3\xa9 1 2\n", "ends after 2 vector lines, expected 3"},
    {2, 0, 1, "the 1 2\ncaf\xc3\xa9 1 2\ndon't 1 2\n", "ends after 3 vector lines, expected 4"},
    {2, 0, 0, "the 1 2\ncaf\xc3\xa9 1 2\ndon't 1 2\n<unk> 1 2\n",
     "line 4: more vector lines than the 3 words"},
    {2, 0, 1, "the 1 2\ncaf\xc3\xa9 1 2\ndon't 1 2\nunk 1 2\n", "expected '<unk>'"},
    {2, 0, 1, "the 1 2\ncaf\xc3\xa9 1 2\ndon't 1 2\n<unk> 1 2 3\n", "unequal dimension"},
    {2, 0, 0, "the 1 nan\ncaf\xc3\xa9 1 2\ndon't 1 2\n",
     "line 1: value 2 of 'the' ('nan') is not finite"},
    {2, 0, 0, "the 1 2\ncaf\xc3\xa9 1 2\ndon't -inf 2\n", "line 3: value 1 of 'don't' ('-inf')"},
    {2, 0, 0, "the 1 2\ncaf\xc3\xa9 1 1e999\ndon't 1 2\n", "('1e999') is not finite"},
    {2, 0, 0, "the 1 2x\ncaf\xc3\xa9 1 2\ndon't 1 2\n", "('2x') is not a number"},
    {2, 1, 0, "4 2\nthe 1 2\ncaf\xc3\xa9 1 2\ndon't 1 2\n", "header says 4 words, the vocabulary has 3"},
    {2, 1, 0, "3 5\nthe 1 2\ncaf\xc3\xa9 1 2\ndon't 1 2\n", "line 2: dimension 2, the header says 5"},
    {2, 1, 0, "the 1 2\ncaf\xc3\xa9 1 2\ndon't 1 2\n", "line 1: not a header"},
    {2, 0, 0, "", "ends after 0 vector lines"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    const char *p = puts_("bad.txt", bad[k].text);
    struct dp_io_vectors_fmt fmt = {bad[k].m, bad[k].header, bad[k].unk};
    gsl_matrix *W = (gsl_matrix *)&W, *Wc = (gsl_matrix *)&W;
    gsl_vector *b = (gsl_vector *)&W, *bc = (gsl_vector *)&W;
    ck_err(dp_io_vectors_read(p, v, &fmt, &W, &Wc, &b, &bc), GSL_EINVAL, p, bad[k].problem);
    ck_assert_ptr_null(W);
    ck_assert_ptr_null(Wc);
    ck_assert_ptr_null(b);
    ck_assert_ptr_null(bc);
  }
  /* refused up front */
  size_t keep = dp_smat_dense_limit;
  dp_smat_dense_limit = 64;
  const char *p = puts_("ok.txt", "the 1 2 3\ncaf\xc3\xa9 1 2 3\ndon't 1 2 3\n");
  struct dp_io_vectors_fmt f1 = {DP_IO_GLOVE_W, 0, 0};
  gsl_matrix *W = NULL;
  ck_err(dp_io_vectors_read(p, v, &f1, &W, NULL, NULL, NULL), GSL_ENOMEM, p,
         "3 vectors of dimension 3 would need 120 bytes");
  dp_smat_dense_limit = keep;
  /* writing: a NaN, an overflowing sum, the <unk> line; nothing is written */
  W = vec_matrix(3, 2, 1.0);
  gsl_matrix *Wc = vec_matrix(3, 2, 1.0);
  p = at("out.txt");
  gsl_matrix_set(W, 1, 1, 1e308);
  gsl_matrix_set(Wc, 1, 1, 1e308);
  struct dp_io_vectors_fmt f2 = {DP_IO_GLOVE_SUM, 0, 0};
  ck_err(dp_io_vectors_write(p, v, &f2, W, Wc, NULL, NULL), GSL_EINVAL, p,
         "vector 1 ('caf\xc3\xa9') has a value that is not finite");
  gsl_matrix_set(W, 1, 1, NAN);
  ck_err(dp_io_vectors_write(p, v, &f1, W, NULL, NULL, NULL), GSL_EINVAL, p, "not finite");
  struct dp_io_vectors_fmt f3 = {DP_IO_GLOVE_W, 0, 1};
  ck_err(dp_io_vectors_write(p, v, &f3, W, NULL, NULL, NULL), GSL_EINVAL, p, "<unk>");
  ck_err(dp_io_vectors_write(p, v, &f2, W, NULL, NULL, NULL), GSL_EFAULT, p, "Wc is NULL");
  ck_assert(!exists(p));
  gsl_matrix_free(W);
  gsl_matrix_free(Wc);
  dp_vocab_free(v);
  dir_remove();
}
END_TEST

/* ---------------------------------------------------------------------------------------
 * Matrix Market */

START_TEST(test_mtx_roundtrip)
{
  dir_make();
  for (int k = 0; k < 2; k++)
    for (int sym = 0; sym < 2; sym++) {
      dp_smat *A = awkward(k ? DP_SMAT_SPARSE : DP_SMAT_DENSE, sym), *B = NULL;
      const char *p = at("s.mtx");
      ck_assert_int_eq(dp_io_mtx_write(p, A, sym), GSL_SUCCESS);
      size_t n;
      unsigned char *b = slurp(p, &n);
      char head[80];
      snprintf(head, sizeof head, "%%%%MatrixMarket matrix %s real %s\n",
               k ? "coordinate" : "array", sym ? "symmetric" : "general");
      ck_assert_int_eq(memcmp(b, head, strlen(head)), 0);
      free(b);
      for (int r = 0; r < 2; r++) {
        ck_assert_int_eq(dp_io_mtx_read(p, r ? DP_SMAT_SPARSE : DP_SMAT_DENSE, &B),
                         GSL_SUCCESS);
        assert_bitwise(A, B);
        dp_smat_free(B);
      }
      dp_smat_free(A);
    }
  /* The exact text of a small symmetric array and coordinate file. */
  double a[4] = {1, 0.5, 0.5, -2};
  size_t ti[4] = {0, 0, 1, 1}, tj[4] = {0, 1, 0, 1};
  dp_smat *A = NULL;
  ck_assert_int_eq(dp_smat_from_triplets(2, 2, DP_SMAT_SPARSE, 4, ti, tj, a, &A), GSL_SUCCESS);
  const char *p = at("c.mtx");
  ck_assert_int_eq(dp_io_mtx_write(p, A, 1), GSL_SUCCESS);
  size_t n;
  unsigned char *b = slurp(p, &n);
  const char *want = "%%MatrixMarket matrix coordinate real symmetric\n2 2 3\n1 1 1\n2 1 0.5\n"
                     "2 2 -2\n";
  ck_assert_uint_eq(n, strlen(want));
  ck_assert_int_eq(memcmp(b, want, n), 0);
  free(b);
  dp_smat_free(A);
  /* Read: comments, blank lines, keywords in any case, integer field, repeats summed. */
  p = puts_("in.mtx", "%%MatrixMarket MATRIX Coordinate integer general\n% a comment\n%\n\n"
                      "2 3 4\n1 3 5\n2 1 -1\n\n1 3 2\n2 2 +7\n");
  ck_assert_int_eq(dp_io_mtx_read(p, DP_SMAT_SPARSE, &A), GSL_SUCCESS);
  ck_assert_uint_eq(A->n1, 2);
  ck_assert_uint_eq(A->n2, 3);
  ck_assert(dp_smat_get(A, 0, 2) == 7.0);
  ck_assert(dp_smat_get(A, 1, 0) == -1.0);
  ck_assert(dp_smat_get(A, 1, 1) == 7.0);
  ck_assert(dp_smat_get(A, 0, 0) == 0.0);
  dp_smat_free(A);
  p = puts_("arr.mtx", "%%MatrixMarket matrix array real symmetric\n3 3\n1\n2\n3\n4\n5\n6");
  ck_assert_int_eq(dp_io_mtx_read(p, DP_SMAT_DENSE, &A), GSL_SUCCESS);
  const double e[9] = {1, 2, 3, 2, 4, 5, 3, 5, 6};
  for (size_t i = 0; i < 9; i++)
    ck_assert(dp_smat_get(A, i / 3, i % 3) == e[i]);
  dp_smat_free(A);
  p = puts_("gen.mtx", "%%MatrixMarket matrix array real general\n2 3\n1\n2\n3\n4\n5\n6\n");
  ck_assert_int_eq(dp_io_mtx_read(p, DP_SMAT_DENSE, &A), GSL_SUCCESS);
  ck_assert(dp_smat_get(A, 1, 0) == 2.0 && dp_smat_get(A, 0, 1) == 3.0 &&
            dp_smat_get(A, 1, 2) == 6.0);
  dp_smat_free(A);
  dir_remove();
}
END_TEST

START_TEST(test_mtx_bad)
{
  dir_make();
  const char *H = "%%MatrixMarket matrix coordinate real general\n";
  const char *HS = "%%MatrixMarket matrix coordinate real symmetric\n";
  char t[512];
  struct {
    const char *head, *body, *problem;
  } bad[] = {
    {"", "2 2 1\n1 1 1\n", "line 1: no Matrix Market header"},
    {"%MatrixMarket matrix coordinate real general\n", "2 2 1\n1 1 1\n", "no Matrix Market header"},
    {"%%MatrixMarket matrix coordinate real\n", "2 2 1\n1 1 1\n", "4 words, expected 5"},
    {"%%MatrixMarket vector coordinate real general\n", "2 2 1\n1 1 1\n", "object 'vector'"},
    {"%%MatrixMarket matrix dense real general\n", "2 2 1\n1 1 1\n", "format 'dense'"},
    {"%%MatrixMarket matrix coordinate complex general\n", "2 2 1\n1 1 1 0\n",
     "field 'complex' is not supported"},
    {"%%MatrixMarket matrix coordinate pattern general\n", "2 2 1\n1 1\n", "field 'pattern'"},
    {"%%MatrixMarket matrix coordinate real hermitian\n", "2 2 1\n1 1 1\n", "symmetry 'hermitian'"},
    {"%%MatrixMarket matrix coordinate real skew-symmetric\n", "2 2 1\n2 1 1\n", "symmetry 'skew-symmetric'"},
    {H, "", "no size line after the header"},
    {H, "2 2\n1 1 1\n", "line 2: bad size line (expected \"M N nnz\""},
    {H, "2 x 1\n1 1 1\n", "bad size line"},
    {H, "0 2 0\n", "a zero dimension is not supported"},
    {HS, "2 3 1\n1 1 1\n", "a symmetric matrix must be square, not 2 x 3"},
    {H, "2 2 2\n1 1 1\n3 1 1\n", "line 4: index (3, 1) out of range (rows 1 to 2, columns 1 to 2)"},
    {H, "2 2 2\n1 1 1\n1 0 1\n", "line 4: index (1, 0) out of range"},
    {H, "2 2 2\n1 1 1\n1 -1 1\n", "index (1, -1) out of range"},
    {H, "2 2 1\n1 1 nan\n", "line 3: value 'nan' of entry (1, 1) is not finite"},
    {H, "2 2 1\n1 2 -Inf\n", "value '-Inf' of entry (1, 2) is not finite"},
    {H, "2 2 1\n1 2 1e400\n", "value '1e400' of entry (1, 2) is not finite"},
    {H, "2 2 1\n1 2 one\n", "value 'one' of entry (1, 2) is not a number"},
    {H, "2 2 1\n1 2 0x1p3\n", "value '0x1p3' of entry (1, 2) is not a number"},
    {H, "2 2 1\n1 2 1e-400\n", "value '1e-400' of entry (1, 2) is not a number"},
    {H, "2 2 1\n1      2\n", "line 3: 2 fields, expected \"i j value\""},
    {HS, "2 2 2\n1 1 1\n1 2 1\n", "line 4: entry (1, 2) is above the diagonal: an asymmetric matrix declared symmetric"},
    {H, "2 2 3\n1 1 1\n2 2 1\n1 2 1\n2 1 1\n", "line 6: more entries than the 3 declared"},
    {H, "2 2 4\n1 1 1.000\n2 2 1.000\n1 2 1.000\n\n", "ends after 3 of the 4 entries declared"},
    {H, "2 2 3\n1 1 1\n2 2 1\n", "line 2: declares 3 entries, but only 12 bytes follow"},
    {H, "2 2 99999999999\n1 1 1\n", "declares 99999999999 entries, but only"},
    {"%%MatrixMarket matrix array real general\n", "2 2\n1.0\n2.0\n3.0\n", "ends after 3 of the 4 entries"},
    {"%%MatrixMarket matrix array real general\n", "2 2 4\n1\n2\n3\n4\n", "bad size line (expected \"M N\""},
    {"%%MatrixMarket matrix array real general\n", "2 2\n1\n2\n3 3\n4\n", "line 5: 2 fields, expected one value"},
    {"%%MatrixMarket matrix array real symmetric\n", "2 2\n1\n2\n3\n4\n", "more entries than the 3 declared"},
    {"%%MatrixMarket matrix array integer general\n", "1 1\n1.5\n", "is not a number (the field is integer)"},
  };
  dp_smat *A = (dp_smat *)&A;
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    snprintf(t, sizeof t, "%s%s", bad[k].head, bad[k].body);
    const char *p = puts_("bad.mtx", t);
    for (int r = 0; r < 2; r++) {
      A = (dp_smat *)&A;
      int st = dp_io_mtx_read(p, r ? DP_SMAT_SPARSE : DP_SMAT_DENSE, &A);
      ck_assert_msg(st == GSL_EINVAL, "case %zu: status %d", k, st);
      ck_err(st, GSL_EINVAL, p, bad[k].problem);
      ck_assert_ptr_null(A);
    }
  }
  /* what would not fit, refused up front */
  const char *p = puts_("big.mtx", "%%MatrixMarket matrix coordinate real general\n"
                                   "100000 100000 1\n1 1 1\n");
  ck_err(dp_io_mtx_read(p, DP_SMAT_DENSE, &A), GSL_ENOMEM, p,
         "a dense 100000 x 100000 matrix of 1 entries would need 80000000024 bytes");
  ck_assert_int_eq(dp_io_mtx_read(p, DP_SMAT_SPARSE, &A), GSL_SUCCESS);
  dp_smat_free(A);
  /* sparse: its scratch counted too, and GSL's int indices */
  p = puts_("huge.mtx", "%%MatrixMarket matrix coordinate real general\n"
                        "1000000000 1000000000 1\n1 1 1\n");
  ck_err(dp_io_mtx_read(p, DP_SMAT_SPARSE, &A), GSL_ENOMEM, p,
         "a sparse 1000000000 x 1000000000 matrix of 1 entries would need");
  ck_assert_ptr_null(A);
  p = puts_("wide.mtx", "%%MatrixMarket matrix coordinate real general\n"
                        "1 3000000000 1\n1 1 1\n");
  ck_err(dp_io_mtx_read(p, DP_SMAT_SPARSE, &A), GSL_ENOMEM, p,
         "exceeds the sparse matrices' int indices");
  /* not a regular file: refused before it is read (a device never ends) */
  ck_err(dp_io_mtx_read("/dev/zero", DP_SMAT_SPARSE, &A), GSL_EFAILED, "/dev/zero",
         "is not a regular file");
  struct dp_vocab *vz = NULL;
  ck_err(dp_io_vocab_read("/dev/zero", 0, &vz), GSL_EFAILED, "/dev/zero", "is not a regular file");
  ck_assert_ptr_null(vz);
  /* writing an asymmetric matrix as symmetric, a NaN: refused, nothing written */
  double a[4] = {1, 2, 2.0000000000000004, 1};
  size_t ti[4] = {0, 0, 1, 1}, tj[4] = {0, 1, 0, 1};
  for (int k = 0; k < 2; k++) {
    ck_assert_int_eq(dp_smat_from_triplets(2, 2, k ? DP_SMAT_SPARSE : DP_SMAT_DENSE, 4, ti, tj,
                                           a, &A), GSL_SUCCESS);
    p = at("out.mtx");
    ck_err(dp_io_mtx_write(p, A, 1), GSL_EINVAL, p,
           "not symmetric: entry (1, 2) = 2 but (2, 1) = 2.0000000000000004");
    ck_assert(!exists(p));
    ck_assert_int_eq(dp_io_mtx_write(p, A, 0), GSL_SUCCESS);
    unlink(p);
    dp_smat_free(A);
  }
  ck_assert_int_eq(dp_smat_zeros(2, 3, DP_SMAT_DENSE, &A), GSL_SUCCESS);
  ck_err(dp_io_mtx_write(p, A, 1), GSL_EINVAL, p, "a 2 x 3 matrix cannot be written as symmetric");
  gsl_matrix_set(A->d, 0, 2, INFINITY);
  ck_err(dp_io_mtx_write(p, A, 0), GSL_EINVAL, p, "entry (1, 3) = inf is not finite");
  ck_assert(!exists(p));
  dp_smat_free(A);
  dir_remove();
}
END_TEST

/* ---------------------------------------------------------------------------------------
 * Failed writes leave no file */

START_TEST(test_no_partial_file)
{
  dir_make();
  dp_smat *A = awkward(DP_SMAT_SPARSE, 1);
  struct dp_vocab *v = vocab3();
  /* a directory that does not exist: nothing is created anywhere */
  const char *p = at("no/such/dir/x.bin");
  ck_err(dp_io_cooc_write(p, A), GSL_EFAILED, p, "cannot create a temporary file");
  ck_err(dp_io_mtx_write(p, A, 1), GSL_EFAILED, p, "cannot create a temporary file");
  ck_err(dp_io_vocab_write(p, v), GSL_EFAILED, p, "cannot create a temporary file");
  ck_err(dp_io_cooc_write(at("d/"), A), GSL_EINVAL, "d/", "is a directory name");
  ck_assert_uint_eq(dir_count(), 0);
  /* an old target survives a refused write byte for byte */
  p = puts_("keep.mtx", "old contents\n");
  dp_smat *N = NULL;
  ck_assert_int_eq(dp_smat_zeros(2, 2, DP_SMAT_DENSE, &N), GSL_SUCCESS);
  gsl_matrix_set(N->d, 1, 1, NAN);
  ck_assert_int_eq(dp_io_mtx_write(p, N, 0), GSL_EINVAL);
  size_t n;
  unsigned char *b = slurp(p, &n);
  ck_assert_uint_eq(n, 13);
  ck_assert_int_eq(memcmp(b, "old contents\n", 13), 0);
  free(b);
  ck_assert_uint_eq(dir_count(), 1);
  /* the same input gives the same bytes */
  const char *q1 = at("a.mtx"), *q2 = at("b.mtx");
  ck_assert_int_eq(dp_io_mtx_write(q1, A, 1), GSL_SUCCESS);
  ck_assert_int_eq(dp_io_mtx_write(q2, A, 1), GSL_SUCCESS);
  size_t n1, n2;
  unsigned char *b1 = slurp(q1, &n1), *b2 = slurp(q2, &n2);
  ck_assert_uint_eq(n1, n2);
  ck_assert_int_eq(memcmp(b1, b2, n1), 0);
  free(b1);
  free(b2);
  struct stat st;
  ck_assert_int_eq(stat(q1, &st), 0);
  mode_t mask = umask(0);
  umask(mask);
  ck_assert_int_eq(st.st_mode & 0777, 0666 & ~mask);
  dp_smat_free(N);
  dp_smat_free(A);
  dp_vocab_free(v);
  dir_remove();
}
END_TEST

/* ---------------------------------------------------------------------------------------
 * Allocation failures */

START_TEST(test_out_of_memory)
{
  dir_make();
  dp_smat *A = awkward(DP_SMAT_SPARSE, 1), *D = awkward(DP_SMAT_DENSE, 0);
  struct dp_vocab *v = vocab3();
  gsl_matrix *W = vec_matrix(3, 4, 1.0), *Wc = vec_matrix(3, 4, 0.5);
  gsl_vector *b = gsl_vector_alloc(3), *bc = gsl_vector_alloc(3);
  gsl_vector_set_all(b, 0.25);
  gsl_vector_set_all(bc, -0.25);
  struct dp_io_vectors_fmt full = {DP_IO_GLOVE_FULL, 1, 0};
  int st;
  /* writers: fail cleanly, leave no file (nor a temporary one) */
  const char *p = at("w");
  INJECT((unlink(p), st = dp_io_cooc_write(p, A)), st != GSL_SUCCESS && !exists(p) && dir_count() == 0);
  INJECT((unlink(p), st = dp_io_mtx_write(p, A, 1)), st != GSL_SUCCESS && !exists(p) && dir_count() == 0);
  INJECT((unlink(p), st = dp_io_mtx_write(p, D, 0)), st != GSL_SUCCESS && !exists(p) && dir_count() == 0);
  INJECT((unlink(p), st = dp_io_vocab_write(p, v)), st != GSL_SUCCESS && !exists(p) && dir_count() == 0);
  INJECT((unlink(p), st = dp_io_vectors_write(p, v, &full, W, Wc, b, bc)),
         st != GSL_SUCCESS && !exists(p) && dir_count() == 0);
  unlink(p);
  /* readers: an error with its reason, or the undisturbed result */
  const char *pc = at("c.bin"), *pm = at("m.mtx"), *pd = at("d.mtx"), *pv = at("v.txt"),
             *pw = at("vec.txt");
  ck_assert_int_eq(dp_io_cooc_write(pc, D), GSL_SUCCESS);
  ck_assert_int_eq(dp_io_mtx_write(pm, A, 1), GSL_SUCCESS);
  ck_assert_int_eq(dp_io_mtx_write(pd, D, 0), GSL_SUCCESS);
  ck_assert_int_eq(dp_io_vocab_write(pv, v), GSL_SUCCESS);
  ck_assert_int_eq(dp_io_vectors_write(pw, v, &full, W, Wc, b, bc), GSL_SUCCESS);
  for (int k = 0; k < 2; k++) {
    enum dp_smat_kind kind = k ? DP_SMAT_SPARSE : DP_SMAT_DENSE;
    dp_smat *X = NULL;
    int same = 0;
    INJECT((st = dp_io_cooc_read(pc, 5, kind, &X), same = same_bits(X, D), dp_smat_free(X)),
           st == GSL_ENOMEM || (st == GSL_SUCCESS && same));
    INJECT((st = dp_io_mtx_read(pm, kind, &X), same = same_bits(X, A), dp_smat_free(X)),
           st == GSL_ENOMEM || (st == GSL_SUCCESS && same));
    INJECT((st = dp_io_mtx_read(pd, kind, &X), same = same_bits(X, D), dp_smat_free(X)),
           st == GSL_ENOMEM || (st == GSL_SUCCESS && same));
  }
  struct dp_vocab *r = NULL;
  INJECT((st = dp_io_vocab_read(pv, 0, &r), dp_vocab_free(r)),
         st == GSL_ENOMEM && strstr(dp_err_reason(), pv) != NULL);
  gsl_matrix *rW = NULL, *rWc = NULL;
  gsl_vector *rb = NULL, *rbc = NULL;
  INJECT((st = dp_io_vectors_read(pw, v, &full, &rW, &rWc, &rb, &rbc), gsl_matrix_free(rW),
          gsl_matrix_free(rWc), gsl_vector_free(rb), gsl_vector_free(rbc)),
         st == GSL_ENOMEM && strstr(dp_err_reason(), pw) != NULL);
  gsl_matrix_free(W);
  gsl_matrix_free(Wc);
  gsl_vector_free(b);
  gsl_vector_free(bc);
  dp_vocab_free(v);
  dp_smat_free(A);
  dp_smat_free(D);
  dir_remove();
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("io");
  TCase *tc = tcase_create("cooccurrence");
  tcase_add_test(tc, test_cooc_layout);
  tcase_add_test(tc, test_cooc_roundtrip);
  tcase_add_test(tc, test_cooc_bad);
  suite_add_tcase(s, tc);
  tc = tcase_create("vocab");
  tcase_add_test(tc, test_vocab);
  tcase_add_test(tc, test_vocab_bad);
  suite_add_tcase(s, tc);
  tc = tcase_create("vectors");
  tcase_add_test(tc, test_vectors);
  tcase_add_test(tc, test_vectors_bad);
  suite_add_tcase(s, tc);
  tc = tcase_create("matrix market");
  tcase_add_test(tc, test_mtx_roundtrip);
  tcase_add_test(tc, test_mtx_bad);
  suite_add_tcase(s, tc);
  tc = tcase_create("atomic");
  tcase_add_test(tc, test_no_partial_file);
  suite_add_tcase(s, tc);
  tc = tcase_create("errors");
  tcase_add_test(tc, test_out_of_memory);
  tcase_set_timeout(tc, 300);
  tcase_set_tags(tc, "slow"); /* left out of `make check-quick` */
  suite_add_tcase(s, tc);
  return s;
}
