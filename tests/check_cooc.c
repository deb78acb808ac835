/* check_cooc.c: unit tests of cooc, the corpus, vocabulary and counts behind claim C01.
 *
 * Hand-computed cases: the tokeniser (case folding, apostrophes, digits, UTF-8, punctuation),
 * corpus reading (CRLF, missing final newline, empty lines as documents, strict UTF-8, NUL
 * bytes, missing and empty files, with the line named in the message), the vocabulary (count
 * then spelling, min_count, max_size, out-of-vocabulary tokens removed before windowing), the
 * per-offset counts X^(k), X^>, X^<, X of "a b a c / b a" with c = 2 under both weightings,
 * windows that never cross a line, the closed-form mass, dense against sparse (bitwise),
 * GloVe's direct pass against the per-offset route, and PPMI (values and exact symmetry). */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cooc.h"
#include "rng.h"
#include "utf8.h"
#include "err.h"
#include "smat.h"
#include "tol.h"
#include "testutil.h"

static const enum dp_smat_kind kinds[2] = {DP_SMAT_DENSE, DP_SMAT_SPARSE};
static const enum dp_weight weights[2] = {DP_WEIGHT_HARMONIC, DP_WEIGHT_ONE};

/* ---------------------------------------------------------------------------------------
 * Helpers */

struct joined {
  char buf[512];
  size_t n;
};

static void join_emit(const char *tok, size_t n, void *ctx)
{
  struct joined *j = ctx;
  ck_assert_uint_eq(strlen(tok), n); /* NUL-terminated, no embedded NUL */
  if (j->n)
    j->buf[j->n++] = '|';
  memcpy(j->buf + j->n, tok, n);
  j->n += n;
  j->buf[j->n] = '\0';
}

/* Tokens of s joined with '|'; *count gets the return value. */
static const char *toks(const char *s, size_t *count)
{
  static struct joined j;
  j.n = 0;
  j.buf[0] = '\0';
  *count = dp_tokenize(s, strlen(s), join_emit, &j);
  return j.buf;
}

/* A temporary file holding n bytes of s; returns its malloc'd path. */
static char *tmpfile_with(const char *s, size_t n)
{
  char *path = strdup("/tmp/check_cooc_XXXXXX");
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq((int)write(fd, s, n), (int)n);
  close(fd);
  return path;
}

static struct dp_corpus *text_corpus(const char *s, size_t min_count, size_t max_size)
{
  struct dp_vocab_opts o = {min_count, max_size};
  struct dp_corpus *c = NULL;
  ck_assert_int_eq(dp_corpus_from_text(s, strlen(s), "t", &o, &c), GSL_SUCCESS);
  ck_assert_ptr_nonnull(c);
  return c;
}

/* Every entry of A equals the 3 x 3 row-major array e. */
static void assert_mat(const dp_smat *A, const double e[9])
{
  ck_assert_uint_eq(A->n1, 3);
  ck_assert_uint_eq(A->n2, 3);
  for (size_t i = 0; i < 3; i++)
    for (size_t j = 0; j < 3; j++)
      ck_assert_msg(dp_smat_get(A, i, j) == e[i * 3 + j], "entry (%zu, %zu) = %g, expected %g",
                    i, j, dp_smat_get(A, i, j), e[i * 3 + j]);
}

static size_t mismatches(const dp_smat *A, const dp_smat *B, int transB)
{
  size_t mm = 12345;
  ck_assert_int_eq(dp_smat_compare(A, B, transB, &mm, NULL), GSL_SUCCESS);
  return mm;
}

/* Bitwise equality of every entry. */
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

/* A deterministic corpus of ids: V = 20, 7 documents (one empty, one of length 1). */
static struct dp_corpus *id_corpus(void)
{
  static const size_t len[7] = {30, 0, 1, 12, 45, 2, 25};
  size_t ids[115];
  unsigned long s = 12345;
  for (size_t t = 0; t < 115; t++) {
    s = s * 6364136223846793005UL + 1442695040888963407UL;
    ids[t] = (size_t)((s >> 33) % 20);
    if (t % 9 == 4)
      ids[t] = ids[t - 1]; /* repeated tokens, diagonal counts */
  }
  struct dp_corpus *c = NULL;
  ck_assert_int_eq(dp_corpus_from_ids(20, 7, len, ids, &c), GSL_SUCCESS);
  return c;
}

/* ---------------------------------------------------------------------------------------
 * Tokeniser */

START_TEST(test_tokenize_case_punct)
{
  size_t n;
  ck_assert_str_eq(toks("Hello, World! The THE the", &n), "hello|world|the|the|the");
  ck_assert_uint_eq(n, 5);
  ck_assert_str_eq(toks("well-known e.g. (x)[y]{z};q", &n), "well|known|e|g|x|y|z|q");
  ck_assert_uint_eq(n, 8);
  ck_assert_str_eq(toks("", &n), "");
  ck_assert_uint_eq(n, 0);
  ck_assert_str_eq(toks("  ,;!  ", &n), "");
  ck_assert_uint_eq(n, 0);
  ck_assert_str_eq(toks("tab\tsep\rcr\x01" "ctl", &n), "tab|sep|cr|ctl");
  ck_assert_uint_eq(n, 4);
  /* only the given length is read */
  struct joined j = {.n = 0};
  ck_assert_uint_eq(dp_tokenize("abc def", 5, join_emit, &j), 2);
  ck_assert_str_eq(j.buf, "abc|d");
  /* NULL emit only counts */
  ck_assert_uint_eq(dp_tokenize("one two three", 13, NULL, NULL), 3);
}
END_TEST

START_TEST(test_tokenize_apostrophes_digits)
{
  size_t n;
  ck_assert_str_eq(toks("don't 'tis' ''  ' rock'n'roll'", &n), "don't|tis|rock'n'roll");
  ck_assert_uint_eq(n, 3);
  ck_assert_str_eq(toks("'''a'''", &n), "a");
  ck_assert_str_eq(toks("Abc123 4X 2025", &n), "abc123|4x|2025");
  ck_assert_uint_eq(n, 3);
}
END_TEST

START_TEST(test_tokenize_utf8)
{
  size_t n;
  /* café: c a f 0xC3 0xA9, one token */
  ck_assert_str_eq(toks("Caf\xc3\xa9 au lait", &n), "caf\xc3\xa9|au|lait");
  ck_assert_uint_eq(n, 3);
  /* only ASCII letters are lowered: É (0xC3 0x89) stays */
  ck_assert_str_eq(toks("CAF\xc3\x89", &n), "caf\xc3\x89");
  /* a multi-byte character (here an em dash) is part of a token */
  ck_assert_str_eq(toks("a\xe2\x80\x94" "b c", &n), "a\xe2\x80\x94" "b|c");
  ck_assert_uint_eq(n, 2);
}
END_TEST

START_TEST(test_tokenize_long_token)
{
  /* a 600-byte token does not fit the tokeniser's stack buffer */
  char line[602];
  memset(line, 'A', 600);
  line[600] = ' ';
  line[601] = 'b';
  ck_assert_uint_eq(dp_tokenize(line, 602, NULL, NULL), 2);
  struct dp_corpus *c = NULL;
  ck_assert_int_eq(dp_corpus_from_text(line, 602, "long", NULL, &c), GSL_SUCCESS);
  ck_assert_uint_eq(c->V, 2);
  ck_assert_uint_eq(c->ntok, 2);
  ck_assert_uint_eq(strlen(c->vocab->words[0]), 600); /* "aaa...a" < "b" */
  ck_assert_int_eq(c->vocab->words[0][0], 'a');
  ck_assert_int_eq(c->vocab->words[0][599], 'a');
  ck_assert_str_eq(c->vocab->words[1], "b");
  dp_corpus_free(c);
}
END_TEST

/* ---------------------------------------------------------------------------------------
 * Corpus reading */

START_TEST(test_read_file_basic)
{
  const char *s = "The cat sat.\r\n\r\nthe dog, the cat\r\nend";
  char *path = tmpfile_with(s, strlen(s));
  struct dp_corpus *c = NULL;
  ck_assert_int_eq(dp_corpus_read(path, NULL, &c), GSL_SUCCESS);
  ck_assert_uint_eq(c->ndoc, 4);  /* the empty line is a document; no final newline */
  ck_assert_uint_eq(c->ntok, 8);
  ck_assert_uint_eq(c->nraw, 8);
  /* the 3, cat 2, dog 1, end 1, sat 1 */
  ck_assert_uint_eq(c->V, 5);
  const char *order[] = {"the", "cat", "dog", "end", "sat"};
  const size_t counts[] = {3, 2, 1, 1, 1};
  for (size_t i = 0; i < 5; i++) {
    ck_assert_str_eq(c->vocab->words[i], order[i]);
    ck_assert_uint_eq(c->vocab->counts[i], counts[i]);
    ck_assert_uint_eq(dp_vocab_find(c->vocab, order[i]), i);
  }
  ck_assert_uint_eq(dp_vocab_find(c->vocab, "mouse"), (size_t)-1);
  ck_assert_uint_eq(dp_vocab_find(c->vocab, "The"), (size_t)-1);
  const size_t ds[] = {0, 3, 3, 7, 8};
  for (size_t d = 0; d <= 4; d++)
    ck_assert_uint_eq(c->doc_start[d], ds[d]);
  const size_t tok[] = {0, 1, 4, 0, 2, 0, 1, 3};
  for (size_t t = 0; t < 8; t++)
    ck_assert_uint_eq(c->tok[t], tok[t]);
  /* the same text from memory gives the same corpus */
  struct dp_corpus *m = NULL;
  ck_assert_int_eq(dp_corpus_from_text(s, strlen(s), "mem", NULL, &m), GSL_SUCCESS);
  ck_assert_uint_eq(m->ndoc, c->ndoc);
  ck_assert_uint_eq(m->ntok, c->ntok);
  ck_assert_int_eq(memcmp(m->tok, c->tok, c->ntok * sizeof *c->tok), 0);
  ck_assert_int_eq(memcmp(m->doc_start, c->doc_start, (c->ndoc + 1) * sizeof(size_t)), 0);
  dp_corpus_free(m);
  dp_corpus_free(c);
  unlink(path);
  free(path);
}
END_TEST

START_TEST(test_read_lines)
{
  struct dp_corpus *c;
  /* final newline ends the last line, it does not start one */
  c = text_corpus("a b\nc\n", 0, 0);
  ck_assert_uint_eq(c->ndoc, 2);
  dp_corpus_free(c);
  c = text_corpus("a b\nc", 0, 0);
  ck_assert_uint_eq(c->ndoc, 2);
  dp_corpus_free(c);
  /* empty lines are empty documents, also at the ends */
  c = text_corpus("\na\n\n\nb\n\n", 0, 0);
  ck_assert_uint_eq(c->ndoc, 6);
  ck_assert_uint_eq(c->ntok, 2);
  const size_t ds[] = {0, 0, 1, 1, 1, 2, 2};
  for (size_t d = 0; d <= 6; d++)
    ck_assert_uint_eq(c->doc_start[d], ds[d]);
  dp_corpus_free(c);
  /* a long line (getline grows its buffer) */
  size_t n = 200000;
  char *big = malloc(n + 1);
  for (size_t i = 0; i < n; i++)
    big[i] = (i % 4 == 3) ? ' ' : (char)('a' + (i / 4) % 3);
  big[n] = '\0';
  char *path = tmpfile_with(big, n);
  ck_assert_int_eq(dp_corpus_read(path, NULL, &c), GSL_SUCCESS);
  ck_assert_uint_eq(c->ndoc, 1);
  ck_assert_uint_eq(c->ntok, n / 4);
  ck_assert_uint_eq(c->V, 3);
  dp_corpus_free(c);
  unlink(path);
  free(path);
  free(big);
  /* a byte-order mark at the start is not part of the first word */
  c = text_corpus("\xef\xbb\xbfword x", 0, 0);
  ck_assert_uint_ne(dp_vocab_find(c->vocab, "word"), (size_t)-1);
  dp_corpus_free(c);
}
END_TEST

START_TEST(test_read_missing_file)
{
  const char *path = "/tmp/check_cooc_no_such_dir/no_such_file.txt";
  struct dp_corpus *c = (struct dp_corpus *)1;
  dp_err_clear();
  ck_assert_int_eq(dp_corpus_read(path, NULL, &c), GSL_EFAILED);
  ck_assert_ptr_null(c);
  char want[300];
  snprintf(want, sizeof want, "%s: cannot open: %s", path, strerror(ENOENT));
  ck_assert_ptr_nonnull(strstr(dp_err_last(), want));
  /* a directory, and anything but a regular file (a FIFO would block, /dev/zero never ends) */
  ck_assert_int_eq(dp_corpus_read("/tmp", NULL, &c), GSL_EFAILED);
  ck_assert_ptr_null(c);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "/tmp: is a directory, not a file"));
  ck_assert_int_eq(dp_corpus_read("/dev/zero", NULL, &c), GSL_EFAILED);
  ck_assert_ptr_null(c);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "/dev/zero: is not a regular file"));
}
END_TEST

START_TEST(test_read_invalid_utf8)
{
  const char *s = "fine line\nalso fine \xc3\xa9\nbad \xc0\xaf here\nnever read\n";
  char *path = tmpfile_with(s, strlen(s));
  struct dp_corpus *c = (struct dp_corpus *)1;
  dp_err_clear();
  ck_assert_int_eq(dp_corpus_read(path, NULL, &c), GSL_EINVAL);
  ck_assert_ptr_null(c);
  char want[300];
  snprintf(want, sizeof want, "%s:3:", path);
  ck_assert_msg(strstr(dp_err_last(), want) != NULL, "message: %s", dp_err_last());
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "UTF-8"));
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "column 5"));
  unlink(path);
  free(path);
}
END_TEST

START_TEST(test_utf8_strict)
{
  static const char *bad[] = {
      "\xc0\xaf",         /* overlong '/' */
      "\xc1\xbf",         /* overlong */
      "\xe0\x80\xaf",     /* overlong 3-byte */
      "\xe0\x9f\xbf",     /* overlong 3-byte, top */
      "\xf0\x8f\xbf\xbf", /* overlong 4-byte */
      "\xed\xa0\x80",     /* surrogate U+D800 */
      "\xed\xbf\xbf",     /* surrogate U+DFFF */
      "\xf4\x90\x80\x80", /* U+110000 */
      "\xf5\x80\x80\x80", /* lead byte beyond U+10FFFF */
      "\xff",             /* never valid */
      "\x80",             /* lone continuation */
      "x\xe2\x82",        /* truncated at end of line */
      "\xe2\x82 y",       /* truncated before a space */
      "\xf0\x9d\x84",     /* truncated 4-byte */
      "\xc3",             /* truncated 2-byte */
  };
  static const char *good[] = {
      "\xe2\x82\xac",     /* U+20AC */
      "\xf0\x9d\x84\x9e", /* U+1D11E */
      "\xf4\x8f\xbf\xbf", /* U+10FFFF */
      "\xed\x9f\xbf",     /* U+D7FF */
      "\xee\x80\x80",     /* U+E000 */
      "\xc2\x80",         /* U+0080 */
      "\xe0\xa0\x80",     /* U+0800 */
      "\xf0\x90\x80\x80", /* U+10000 */
  };
  for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
    char text[64];
    snprintf(text, sizeof text, "ok\nw %s\n", bad[k]);
    struct dp_corpus *c = NULL;
    dp_err_clear();
    ck_assert_msg(dp_corpus_from_text(text, strlen(text), "u8", NULL, &c) == GSL_EINVAL,
                  "bad case %zu accepted", k);
    ck_assert_msg(strstr(dp_err_last(), "u8:2:") != NULL, "case %zu: %s", k, dp_err_last());
  }
  for (size_t k = 0; k < sizeof good / sizeof *good; k++) {
    char text[64];
    snprintf(text, sizeof text, "ok\nw%s\n", good[k]);
    struct dp_corpus *c = NULL;
    ck_assert_msg(dp_corpus_from_text(text, strlen(text), "u8", NULL, &c) == GSL_SUCCESS,
                  "good case %zu rejected: %s", k, dp_err_last());
    ck_assert_uint_eq(c->ntok, 2);
    dp_corpus_free(c);
  }
}
END_TEST

START_TEST(test_read_nul)
{
  const char s[] = "a b\nc\0d\ne\n";
  char *path = tmpfile_with(s, sizeof s - 1);
  struct dp_corpus *c = (struct dp_corpus *)1;
  dp_err_clear();
  ck_assert_int_eq(dp_corpus_read(path, NULL, &c), GSL_EINVAL);
  ck_assert_ptr_null(c);
  char want[300];
  snprintf(want, sizeof want, "%s:2:", path);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), want));
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "NUL"));
  /* and from memory */
  ck_assert_int_eq(dp_corpus_from_text(s, sizeof s - 1, "mem", NULL, &c), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "mem:2:"));
  unlink(path);
  free(path);
}
END_TEST

START_TEST(test_read_empty)
{
  /* an empty file */
  char *path = tmpfile_with("", 0);
  struct dp_corpus *c = (struct dp_corpus *)1;
  dp_err_clear();
  ck_assert_int_eq(dp_corpus_read(path, NULL, &c), GSL_EDOM);
  ck_assert_ptr_null(c);
  char want[300];
  snprintf(want, sizeof want, "%s: empty corpus (no token", path);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), want));
  unlink(path);
  free(path);
  /* lines but no token */
  const char *s = "\n... !!!\n\n''\n";
  path = tmpfile_with(s, strlen(s));
  ck_assert_int_eq(dp_corpus_read(path, NULL, &c), GSL_EDOM);
  snprintf(want, sizeof want, "%s: empty corpus (no token", path);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), want));
  unlink(path);
  free(path);
  /* tokens, but none survives the cut */
  struct dp_vocab_opts o = {5, 0};
  ck_assert_int_eq(dp_corpus_from_text("a b a", 5, "cut", &o, &c), GSL_EDOM);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "cut: empty corpus (no token"));
  ck_assert_int_eq(dp_corpus_from_text("", 0, "none", NULL, &c), GSL_EDOM);
}
END_TEST

/* ---------------------------------------------------------------------------------------
 * Vocabulary */

START_TEST(test_vocab_order)
{
  /* counts: b 3, a 2, d 2, c 1, zz 1, "éa" 1 (0xC3 sorts after every ASCII byte) */
  struct dp_corpus *c = text_corpus("d b a\n\xc3\xa9" "a c b zz\nd b A", 0, 0);
  const char *order[] = {"b", "a", "d", "c", "zz", "\xc3\xa9" "a"};
  const size_t counts[] = {3, 2, 2, 1, 1, 1};
  ck_assert_uint_eq(c->V, 6);
  ck_assert_uint_eq(c->vocab->V, 6);
  for (size_t i = 0; i < 6; i++) {
    ck_assert_str_eq(c->vocab->words[i], order[i]);
    ck_assert_uint_eq(c->vocab->counts[i], counts[i]);
    ck_assert_uint_eq(dp_vocab_find(c->vocab, order[i]), i);
  }
  ck_assert_uint_eq(dp_vocab_find(c->vocab, "A"), (size_t)-1); /* lookup is exact */
  ck_assert_uint_eq(dp_vocab_find(NULL, "a"), (size_t)-1);
  dp_corpus_free(c);
}
END_TEST

START_TEST(test_vocab_cut)
{
  const char *s = "b a c a b d\nb e";
  /* b 3, a 2, c 1, d 1, e 1 */
  struct dp_corpus *c = text_corpus(s, 2, 0);
  ck_assert_uint_eq(c->V, 2);
  ck_assert_str_eq(c->vocab->words[0], "b");
  ck_assert_str_eq(c->vocab->words[1], "a");
  ck_assert_uint_eq(c->nraw, 8);
  ck_assert_uint_eq(c->ntok, 5);
  ck_assert_uint_eq(dp_vocab_find(c->vocab, "c"), (size_t)-1);
  const size_t tok[] = {0, 1, 1, 0, 0};
  for (size_t t = 0; t < 5; t++)
    ck_assert_uint_eq(c->tok[t], tok[t]);
  ck_assert_uint_eq(c->doc_start[1], 4);
  dp_corpus_free(c);
  /* max_size: ties at the cut broken by spelling */
  c = text_corpus(s, 0, 3);
  ck_assert_uint_eq(c->V, 3);
  ck_assert_str_eq(c->vocab->words[2], "c");
  ck_assert_uint_eq(c->ntok, 6);
  dp_corpus_free(c);
  /* both: min_count 2 leaves 2, max_size 1 leaves 1 */
  c = text_corpus(s, 2, 1);
  ck_assert_uint_eq(c->V, 1);
  ck_assert_uint_eq(c->ntok, 3);
  dp_corpus_free(c);
  /* min_count 1 and 0 keep every word; max_size above V changes nothing */
  c = text_corpus(s, 1, 100);
  ck_assert_uint_eq(c->V, 5);
  ck_assert_uint_eq(c->ntok, 8);
  dp_corpus_free(c);
}
END_TEST

START_TEST(test_oov_removed_before_windowing)
{
  /* x is cut: "a x b" becomes "a b", so a and b are adjacent (offset 1) */
  struct dp_corpus *c = text_corpus("a x b\na b", 2, 0);
  ck_assert_uint_eq(c->V, 2);
  struct dp_counts *x = NULL;
  ck_assert_int_eq(dp_cooc_count(c, 1, DP_WEIGHT_ONE, DP_SMAT_SPARSE, &x), GSL_SUCCESS);
  size_t a = dp_vocab_find(c->vocab, "a"), b = dp_vocab_find(c->vocab, "b");
  ck_assert_double_eq(dp_smat_get(x->Xk[2], a, b), 2.0);
  ck_assert_double_eq(dp_smat_get(x->X, b, a), 2.0);
  ck_assert_double_eq(dp_smat_sum(x->X), 4.0);
  dp_counts_free(x);
  dp_corpus_free(c);
}
END_TEST

/* ---------------------------------------------------------------------------------------
 * Counts */

START_TEST(test_weights_names)
{
  ck_assert_double_eq(dp_weight_g(DP_WEIGHT_HARMONIC, 1), 1.0);
  ck_assert_double_eq(dp_weight_g(DP_WEIGHT_HARMONIC, -2), 0.5);
  ck_assert_double_eq(dp_weight_g(DP_WEIGHT_HARMONIC, 3), 1.0 / 3.0);
  ck_assert_double_eq(dp_weight_g(DP_WEIGHT_ONE, -5), 1.0);
  ck_assert_str_eq(dp_weight_name(DP_WEIGHT_HARMONIC), "1/|k|");
  ck_assert_str_eq(dp_weight_name(DP_WEIGHT_ONE), "1");
  ck_assert_str_eq(dp_sop_name(DP_SOP_RAW), "raw");
  ck_assert_str_eq(dp_sop_name(DP_SOP_LOG1P), "log1p");
  ck_assert_str_eq(dp_sop_name(DP_SOP_PPMI), "ppmi");
}
END_TEST

/* "a b a c / b a": ids a 0 (3), b 1 (2), c 2 (1).
 *   C^(1):  (a,b) (b,a) (a,c) | (b,a)      C^(2): (a,a) (b,c)
 *   C^(-1) = C^(1)^T,  C^(-2) = C^(2)^T */
START_TEST(test_tiny_corpus)
{
  struct dp_corpus *corp = text_corpus("a b a c\nb a", 0, 0);
  ck_assert_uint_eq(corp->V, 3);
  ck_assert_str_eq(corp->vocab->words[0], "a");
  ck_assert_str_eq(corp->vocab->words[1], "b");
  ck_assert_str_eq(corp->vocab->words[2], "c");
  const double C1[9] = {0, 1, 1, 2, 0, 0, 0, 0, 0};
  const double Cm1[9] = {0, 2, 0, 1, 0, 0, 1, 0, 0};
  const double C2[9] = {1, 0, 0, 0, 0, 1, 0, 0, 0};
  const double Cm2[9] = {1, 0, 0, 0, 0, 0, 0, 1, 0};
  /* harmonic: X^(+-2) = C^(+-2) / 2 */
  const double H2[9] = {0.5, 0, 0, 0, 0, 0.5, 0, 0, 0};
  const double Hm2[9] = {0.5, 0, 0, 0, 0, 0, 0, 0.5, 0};
  const double HXr[9] = {0.5, 1, 1, 2, 0, 0.5, 0, 0, 0};
  const double HXl[9] = {0.5, 2, 0, 1, 0, 0, 1, 0.5, 0};
  const double HX[9] = {1, 3, 1, 3, 0, 0.5, 1, 0.5, 0};
  const double OXr[9] = {1, 1, 1, 2, 0, 1, 0, 0, 0};
  const double OXl[9] = {1, 2, 0, 1, 0, 0, 1, 1, 0};
  const double OX[9] = {2, 3, 1, 3, 0, 1, 1, 1, 0};
  for (int k = 0; k < 2; k++) {
    struct dp_counts *x = NULL;
    ck_assert_int_eq(dp_cooc_count(corp, 2, DP_WEIGHT_HARMONIC, kinds[k], &x), GSL_SUCCESS);
    ck_assert_uint_eq(x->V, 3);
    ck_assert_int_eq(x->c, 2);
    ck_assert_int_eq(x->weight, DP_WEIGHT_HARMONIC);
    ck_assert_ptr_null(x->Xk[2]);
    assert_mat(x->Xk[3], C1);
    assert_mat(x->Xk[1], Cm1);
    assert_mat(x->Xk[4], H2);
    assert_mat(x->Xk[0], Hm2);
    assert_mat(x->Xr, HXr);
    assert_mat(x->Xl, HXl);
    assert_mat(x->X, HX);
    ck_assert_int_eq(x->X->kind, kinds[k]);
    ck_assert_double_eq(dp_smat_sum(x->X), 10.0);
    ck_assert_double_eq(dp_cooc_expected_mass(corp, 2, DP_WEIGHT_HARMONIC), 10.0);
    dp_counts_free(x);

    ck_assert_int_eq(dp_cooc_count(corp, 2, DP_WEIGHT_ONE, kinds[k], &x), GSL_SUCCESS);
    assert_mat(x->Xk[3], C1);
    assert_mat(x->Xk[1], Cm1);
    assert_mat(x->Xk[4], C2);
    assert_mat(x->Xk[0], Cm2);
    assert_mat(x->Xr, OXr);
    assert_mat(x->Xl, OXl);
    assert_mat(x->X, OX);
    ck_assert_double_eq(dp_smat_sum(x->X), 12.0);
    ck_assert_double_eq(dp_cooc_expected_mass(corp, 2, DP_WEIGHT_ONE), 12.0);
    dp_counts_free(x);
  }
  dp_corpus_free(corp);
}
END_TEST

START_TEST(test_doc_boundary)
{
  /* as one line, "a b a c b a" has (c, b) at offset 1 and (a, b), (c, a) at offset 2;
   * split into two lines, none of these cross the boundary */
  struct dp_corpus *two = text_corpus("a b a c\nb a", 0, 0);
  struct dp_corpus *one = text_corpus("a b a c b a", 0, 0);
  for (int k = 0; k < 2; k++) {
    struct dp_counts *x2, *x1;
    ck_assert_int_eq(dp_cooc_count(two, 3, DP_WEIGHT_ONE, kinds[k], &x2), GSL_SUCCESS);
    ck_assert_int_eq(dp_cooc_count(one, 3, DP_WEIGHT_ONE, kinds[k], &x1), GSL_SUCCESS);
    ck_assert_double_eq(dp_smat_get(x2->Xk[4], 2, 1), 0.0); /* C^(1)_cb */
    ck_assert_double_eq(dp_smat_get(x1->Xk[4], 2, 1), 1.0);
    ck_assert_double_eq(dp_smat_get(x2->Xk[5], 2, 0), 0.0); /* C^(2)_ca */
    ck_assert_double_eq(dp_smat_get(x1->Xk[5], 2, 0), 1.0);
    /* offset 3 within "a b a c": (a, c) only */
    ck_assert_double_eq(dp_smat_sum(x2->Xk[6]), 1.0);
    ck_assert_double_eq(dp_smat_get(x2->Xk[6], 0, 2), 1.0);
    ck_assert_double_eq(dp_smat_sum(x1->Xk[6]), 3.0);
    /* masses: 2 (3 + 2 + 1 + 1) = 14 and 2 (5 + 4 + 3) = 24 */
    ck_assert_double_eq(dp_smat_sum(x2->X), 14.0);
    ck_assert_double_eq(dp_smat_sum(x1->X), 24.0);
    dp_counts_free(x2);
    dp_counts_free(x1);
  }
  /* empty and one-token documents contribute nothing */
  const size_t len[] = {0, 1, 0, 2, 1}, ids[] = {0, 1, 0, 1};
  struct dp_corpus *e = NULL;
  ck_assert_int_eq(dp_corpus_from_ids(2, 5, len, ids, &e), GSL_SUCCESS);
  ck_assert_uint_eq(e->ndoc, 5);
  ck_assert_ptr_null(e->vocab);
  struct dp_counts *x;
  ck_assert_int_eq(dp_cooc_count(e, 4, DP_WEIGHT_ONE, DP_SMAT_SPARSE, &x), GSL_SUCCESS);
  ck_assert_double_eq(dp_smat_sum(x->X), 2.0);
  ck_assert_double_eq(dp_smat_get(x->X, 0, 1), 1.0);
  ck_assert_double_eq(dp_smat_get(x->X, 1, 0), 1.0);
  ck_assert_double_eq(dp_cooc_expected_mass(e, 4, DP_WEIGHT_ONE), 2.0);
  dp_counts_free(x);
  dp_corpus_free(e);
  /* a corpus of ids with no token at all: zero matrices, zero mass */
  const size_t zlen[] = {0, 0};
  ck_assert_int_eq(dp_corpus_from_ids(3, 2, zlen, NULL, &e), GSL_SUCCESS);
  ck_assert_uint_eq(e->ntok, 0);
  for (int k = 0; k < 2; k++) {
    ck_assert_int_eq(dp_cooc_count(e, 2, DP_WEIGHT_HARMONIC, kinds[k], &x), GSL_SUCCESS);
    ck_assert_uint_eq(dp_smat_nnz(x->X), 0);
    ck_assert_uint_eq(x->X->n1, 3);
    dp_counts_free(x);
  }
  ck_assert_double_eq(dp_cooc_expected_mass(e, 2, DP_WEIGHT_HARMONIC), 0.0);
  dp_corpus_free(e);
  dp_corpus_free(two);
  dp_corpus_free(one);
}
END_TEST

START_TEST(test_mass)
{
  struct dp_corpus *corp = id_corpus();
  for (int wi = 0; wi < 2; wi++)
    for (int k = 0; k < 2; k++)
      for (int c = 1; c <= 5; c += 2) {
        struct dp_counts *x;
        ck_assert_int_eq(dp_cooc_count(corp, c, weights[wi], kinds[k], &x), GSL_SUCCESS);
        double m = dp_cooc_expected_mass(corp, c, weights[wi]), s = dp_smat_sum(x->X);
        if (weights[wi] == DP_WEIGHT_ONE)
          ck_assert_double_eq(s, m); /* integers: exact */
        else
          ck_assert(fabs(s - m) <= DP_TOL_RATIO * DBL_EPSILON * m);
        dp_counts_free(x);
      }
  /* the closed form by hand for c = 1: 2 * sum (N - 1) over documents of length >= 1 */
  ck_assert_double_eq(dp_cooc_expected_mass(corp, 1, DP_WEIGHT_ONE),
                      2.0 * (29 + 0 + 11 + 44 + 1 + 24));
  dp_corpus_free(corp);
}
END_TEST

START_TEST(test_dense_sparse_identical)
{
  struct dp_corpus *corp = id_corpus();
  for (int wi = 0; wi < 2; wi++) {
    struct dp_counts *d, *s;
    ck_assert_int_eq(dp_cooc_count(corp, 3, weights[wi], DP_SMAT_DENSE, &d), GSL_SUCCESS);
    ck_assert_int_eq(dp_cooc_count(corp, 3, weights[wi], DP_SMAT_SPARSE, &s), GSL_SUCCESS);
    ck_assert_int_eq(d->X->kind, DP_SMAT_DENSE);
    ck_assert_int_eq(s->X->kind, DP_SMAT_SPARSE);
    for (int k = 0; k < 7; k++)
      if (k != 3)
        assert_bitwise(d->Xk[k], s->Xk[k]);
    assert_bitwise(d->Xr, s->Xr);
    assert_bitwise(d->Xl, s->Xl);
    assert_bitwise(d->X, s->X);
    ck_assert_uint_eq(mismatches(d->X, s->X, 0), 0);
    /* C01 on both: X^(-k) = (X^(k))^T and X = X^T exactly, X^> = (X^<)^T */
    for (int k = 1; k <= 3; k++) {
      ck_assert_uint_eq(mismatches(d->Xk[3 - k], d->Xk[3 + k], 1), 0);
      ck_assert_uint_eq(mismatches(s->Xk[3 - k], s->Xk[3 + k], 1), 0);
    }
    ck_assert_uint_eq(mismatches(s->Xr, s->Xl, 1), 0);
    ck_assert_uint_eq(mismatches(d->X, d->X, 1), 0);
    ck_assert_uint_eq(mismatches(s->X, s->X, 1), 0);
    /* X^(1) itself is not symmetric on this corpus (the check has teeth) */
    ck_assert_uint_gt(mismatches(s->Xk[4], s->Xk[4], 1), 0);
    dp_counts_free(d);
    dp_counts_free(s);
  }
  dp_corpus_free(corp);
}
END_TEST

START_TEST(test_direct_route)
{
  struct dp_corpus *corp = id_corpus();
  for (int wi = 0; wi < 2; wi++)
    for (int c = 1; c <= 4; c++) {
      struct dp_counts *x;
      dp_smat *Dd, *Ds;
      ck_assert_int_eq(dp_cooc_count(corp, c, weights[wi], DP_SMAT_SPARSE, &x), GSL_SUCCESS);
      ck_assert_int_eq(dp_cooc_count_direct(corp, c, weights[wi], DP_SMAT_DENSE, &Dd),
                       GSL_SUCCESS);
      ck_assert_int_eq(dp_cooc_count_direct(corp, c, weights[wi], DP_SMAT_SPARSE, &Ds),
                       GSL_SUCCESS);
      ck_assert_int_eq(Dd->kind, DP_SMAT_DENSE);
      ck_assert_int_eq(Ds->kind, DP_SMAT_SPARSE);
      assert_bitwise(Dd, Ds); /* same scan order in both kinds */
      if (weights[wi] == DP_WEIGHT_ONE) {
        ck_assert_uint_eq(mismatches(x->X, Ds, 0), 0);
        ck_assert_uint_eq(mismatches(x->X, Dd, 0), 0);
      } else {
        double nrm;
        ck_assert_int_eq(dp_smat_diff_norm(x->X, Ds, 0, &nrm), GSL_SUCCESS);
        ck_assert(nrm <= DP_TOL_RATIO * (2.0 * c) * DBL_EPSILON * dp_smat_norm(x->X));
      }
      dp_smat_free(Dd);
      dp_smat_free(Ds);
      dp_counts_free(x);
    }
  /* by hand on "a b a c / b a", c = 2, harmonic */
  struct dp_corpus *t = text_corpus("a b a c\nb a", 0, 0);
  const double HX[9] = {1, 3, 1, 3, 0, 0.5, 1, 0.5, 0};
  for (int k = 0; k < 2; k++) {
    dp_smat *D;
    ck_assert_int_eq(dp_cooc_count_direct(t, 2, DP_WEIGHT_HARMONIC, kinds[k], &D), 0);
    assert_mat(D, HX);
    dp_smat_free(D);
  }
  dp_corpus_free(t);
  dp_corpus_free(corp);
}
END_TEST

START_TEST(test_count_errors)
{
  struct dp_corpus *corp = id_corpus();
  struct dp_counts *x = (struct dp_counts *)1;
  dp_smat *X = (dp_smat *)1;
  ck_assert_int_eq(dp_cooc_count(corp, 0, DP_WEIGHT_ONE, DP_SMAT_DENSE, &x), GSL_EINVAL);
  ck_assert_ptr_null(x);
  ck_assert_int_eq(dp_cooc_count_direct(corp, -1, DP_WEIGHT_ONE, DP_SMAT_SPARSE, &X),
                   GSL_EINVAL);
  ck_assert_ptr_null(X);
  /* the dense limit reaches the counts */
  size_t saved = dp_smat_dense_limit;
  dp_smat_dense_limit = 1000; /* 20 x 20 doubles = 3200 bytes */
  ck_assert_int_eq(dp_cooc_count(corp, 2, DP_WEIGHT_ONE, DP_SMAT_DENSE, &x), GSL_ENOMEM);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "20 x 20"));
  ck_assert_int_eq(dp_cooc_count(corp, 2, DP_WEIGHT_ONE, DP_SMAT_SPARSE, &x), GSL_SUCCESS);
  dp_counts_free(x);
  dp_smat_dense_limit = saved;
  dp_corpus_free(corp);
  /* ids out of range, V = 0 */
  const size_t len[] = {3}, ids[] = {0, 4, 1};
  struct dp_corpus *c = (struct dp_corpus *)1;
  ck_assert_int_eq(dp_corpus_from_ids(4, 1, len, ids, &c), GSL_EINVAL);
  ck_assert_ptr_null(c);
  ck_assert_int_eq(dp_corpus_from_ids(0, 0, NULL, NULL, &c), GSL_EINVAL);
}
END_TEST

/* ---------------------------------------------------------------------------------------
 * Operators */

static dp_smat *mat3(enum dp_smat_kind kind, const double v[9])
{
  size_t i[9], j[9], n = 0;
  double x[9];
  for (size_t a = 0; a < 3; a++)
    for (size_t b = 0; b < 3; b++)
      if (v[a * 3 + b] != 0.0) {
        i[n] = a;
        j[n] = b;
        x[n++] = v[a * 3 + b];
      }
  dp_smat *A = NULL;
  ck_assert_int_eq(dp_smat_from_triplets(3, 3, kind, n, i, j, x, &A), GSL_SUCCESS);
  return A;
}

static void assert_close(double got, double want)
{
  ck_assert_msg(fabs(got - want) <= DP_TOL_RATIO * DBL_EPSILON * fabs(want),
                "got %.17g, want %.17g", got, want);
}

START_TEST(test_ppmi_hand)
{
  /* X of "a b a c / b a", c = 2, harmonic: r = (5, 3.5, 1.5), T = 10.
   * PPMI_ab = max(0, log(X_ab T / (r_a r_b))):
   *   (0,0) 10/25 < 1 -> 0;  (0,1) 30/17.5 = 12/7;  (0,2) 10/7.5 = 4/3;
   *   (1,2) 5/5.25 < 1 -> 0; zeros of X stay 0. */
  const double X[9] = {1, 3, 1, 3, 0, 0.5, 1, 0.5, 0};
  const double P[9] = {0, log(12.0 / 7.0), log(4.0 / 3.0), log(12.0 / 7.0), 0, 0,
                       log(4.0 / 3.0), 0, 0};
  for (int k = 0; k < 2; k++) {
    dp_smat *A = mat3(kinds[k], X), *S = NULL;
    ck_assert_int_eq(dp_cooc_operator(A, DP_SOP_PPMI, &S), GSL_SUCCESS);
    ck_assert_int_eq(S->kind, kinds[k]);
    for (size_t a = 0; a < 3; a++)
      for (size_t b = 0; b < 3; b++) {
        if (P[a * 3 + b] == 0.0)
          ck_assert_double_eq(dp_smat_get(S, a, b), 0.0);
        else
          assert_close(dp_smat_get(S, a, b), P[a * 3 + b]);
      }
    ck_assert_uint_eq(mismatches(S, S, 1), 0);
    dp_smat_free(S);
    /* raw: a copy; log1p: entrywise */
    ck_assert_int_eq(dp_cooc_operator(A, DP_SOP_RAW, &S), GSL_SUCCESS);
    ck_assert_uint_eq(mismatches(S, A, 0), 0);
    ck_assert_ptr_ne(S, A);
    dp_smat_free(S);
    ck_assert_int_eq(dp_cooc_operator(A, DP_SOP_LOG1P, &S), GSL_SUCCESS);
    for (size_t a = 0; a < 3; a++)
      for (size_t b = 0; b < 3; b++)
        ck_assert_double_eq(dp_smat_get(S, a, b), log1p(X[a * 3 + b]));
    ck_assert_double_eq(dp_smat_get(S, 0, 1), log(4.0));
    dp_smat_free(S);
    dp_smat_free(A);
  }
  /* 2 x 2: X = [1 2; 2 0], r = (3, 2), T = 5: PPMI_01 = log(10 / 6) */
  const size_t i[] = {0, 0, 1}, j[] = {0, 1, 0};
  const double x[] = {1, 2, 2};
  dp_smat *B, *S;
  ck_assert_int_eq(dp_smat_from_triplets(2, 2, DP_SMAT_SPARSE, 3, i, j, x, &B), 0);
  ck_assert_int_eq(dp_cooc_operator(B, DP_SOP_PPMI, &S), GSL_SUCCESS);
  ck_assert_double_eq(dp_smat_get(S, 0, 0), 0.0); /* log(5/9) < 0 */
  assert_close(dp_smat_get(S, 0, 1), log(5.0 / 3.0));
  assert_close(dp_smat_get(S, 1, 0), log(5.0 / 3.0));
  ck_assert_double_eq(dp_smat_get(S, 1, 1), 0.0);
  dp_smat_free(S);
  dp_smat_free(B);
}
END_TEST

START_TEST(test_ppmi_exact_symmetry)
{
  /* PPMI of an exactly symmetric X is exactly symmetric, dense and sparse alike, and the
   * two kinds agree bitwise */
  struct dp_corpus *corp = id_corpus();
  for (int wi = 0; wi < 2; wi++) {
    dp_smat *S[2];
    for (int k = 0; k < 2; k++) {
      struct dp_counts *x;
      ck_assert_int_eq(dp_cooc_count(corp, 4, weights[wi], kinds[k], &x), GSL_SUCCESS);
      ck_assert_uint_eq(mismatches(x->X, x->X, 1), 0);
      ck_assert_int_eq(dp_cooc_operator(x->X, DP_SOP_PPMI, &S[k]), GSL_SUCCESS);
      ck_assert_uint_eq(mismatches(S[k], S[k], 1), 0);
      for (size_t a = 0; a < 20; a++)
        for (size_t b = 0; b < a; b++) {
          double u = dp_smat_get(S[k], a, b), v = dp_smat_get(S[k], b, a);
          ck_assert(memcmp(&u, &v, sizeof u) == 0);
        }
      /* some entries are positive, none negative */
      double mx = 0;
      for (size_t a = 0; a < 20; a++)
        for (size_t b = 0; b < 20; b++) {
          ck_assert(dp_smat_get(S[k], a, b) >= 0.0);
          mx = fmax(mx, dp_smat_get(S[k], a, b));
        }
      ck_assert(mx > 0.0);
      dp_counts_free(x);
    }
    assert_bitwise(S[0], S[1]);
    dp_smat_free(S[0]);
    dp_smat_free(S[1]);
  }
  dp_corpus_free(corp);
}
END_TEST

START_TEST(test_operator_errors)
{
  const size_t i[] = {0, 1}, j[] = {1, 0};
  const double x[] = {-1.0, -1.0};
  dp_smat *A, *S = (dp_smat *)1;
  ck_assert_int_eq(dp_smat_from_triplets(2, 2, DP_SMAT_SPARSE, 2, i, j, x, &A), 0);
  ck_assert_int_eq(dp_cooc_operator(A, DP_SOP_PPMI, &S), GSL_EDOM);
  ck_assert_ptr_null(S);
  dp_smat_free(A);
  ck_assert_int_eq(dp_smat_zeros(2, 3, DP_SMAT_DENSE, &A), 0);
  ck_assert_int_eq(dp_cooc_operator(A, DP_SOP_PPMI, &S), GSL_EBADLEN);
  ck_assert_int_eq(dp_cooc_operator(A, (enum dp_sop)42, &S), GSL_EINVAL);
  dp_smat_free(A);
}
END_TEST

/* The one UTF-8 decoder at the boundaries of Unicode's table 3-7. */
START_TEST(test_utf8_len)
{
  static const struct {
    const char *s;
    size_t n, len;
  } cases[] = {
    {"a", 1, 1}, {"\0", 1, 1}, {"\x7F", 1, 1},
    {"\x80", 1, 0}, {"\xBF", 1, 0},                          /* stray continuation bytes */
    {"\xC0\x80", 2, 0}, {"\xC1\xBF", 2, 0},                  /* overlong two-byte forms */
    {"\xC2\x80", 2, 2}, {"\xDF\xBF", 2, 2}, {"\xC2\x41", 2, 0},
    {"\xE0\x9F\xBF", 3, 0}, {"\xE0\xA0\x80", 3, 3},         /* overlong three-byte */
    {"\xED\x9F\xBF", 3, 3}, {"\xED\xA0\x80", 3, 0},         /* U+D7FF, a surrogate */
    {"\xEF\xBF\xBF", 3, 3}, {"\xE1\x80", 2, 0},             /* U+FFFF, truncated */
    {"\xF0\x8F\xBF\xBF", 4, 0}, {"\xF0\x90\x80\x80", 4, 4},  /* overlong four-byte */
    {"\xF4\x8F\xBF\xBF", 4, 4}, {"\xF4\x90\x80\x80", 4, 0},  /* U+10FFFF, above it */
    {"\xF5\x80\x80\x80", 4, 0}, {"\xFF", 1, 0},
    {"\xF0\x90\x80\x80", 3, 0},                              /* cut by the end of n */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    ck_assert_msg(dp_utf8_len((const unsigned char *)cases[i].s, cases[i].n) == cases[i].len,
                  "case %zu", i);
}
END_TEST


/* The skew profile on "0 1" repeated: X^> holds (0,1) and (1,0) in proportion, by hand. */
START_TEST(test_skew_profile)
{
  size_t len[] = {2, 3}, ids[] = {0, 1, 0, 1, 2};
  struct dp_corpus *c;
  ck_assert_int_eq(dp_corpus_from_ids(3, 2, len, ids, &c), GSL_SUCCESS);
  double sk[2], nm[2];
  ck_assert_int_eq(dp_cooc_skew_profile(c, 2, DP_WEIGHT_ONE, sk, nm), GSL_SUCCESS);
  /* c = 1: X^> = {(0,1): 2, (1,2): 1}, K = +-1 at (0,1), +-1/2 at (1,2): ||K||^2 = 2.5 */
  ck_assert_near(sk[0], sqrt(2.5), 4);
  ck_assert_near(nm[0], sqrt(5.0), 4);
  /* c = 2 adds (0,2): 1, so ||X^>||^2 = 6 and ||K||^2 = 2.5 + 0.5 */
  ck_assert_near(sk[1], sqrt(3.0), 4);
  ck_assert_near(nm[1], sqrt(6.0), 4);
  /* a palindrome's X^> is symmetric */
  size_t l2[] = {3}, pal[] = {0, 1, 0};
  struct dp_corpus *p;
  ck_assert_int_eq(dp_corpus_from_ids(2, 1, l2, pal, &p), GSL_SUCCESS);
  ck_assert_int_eq(dp_cooc_skew_profile(p, 2, DP_WEIGHT_HARMONIC, sk, nm), GSL_SUCCESS);
  ck_assert(sk[0] == 0.0 && sk[1] == 0.0 && nm[1] > 0.0);
  ck_assert_int_eq(dp_cooc_skew_profile(p, 0, DP_WEIGHT_ONE, sk, nm), GSL_EINVAL);
  ck_assert_int_eq(dp_cooc_skew_profile(p, 2, DP_WEIGHT_ONE, NULL, nm), GSL_EFAULT);
  INJECT(int st = dp_cooc_skew_profile(c, 2, DP_WEIGHT_ONE, sk, nm), st == GSL_ENOMEM);
  dp_corpus_free(c);
  dp_corpus_free(p);
}
END_TEST

/* Shuffles keep each document's tokens (within) or the stream's and the lengths (across). */
START_TEST(test_shuffle)
{
  size_t len[] = {4, 0, 6}, ids[] = {0, 0, 1, 2, 3, 3, 3, 4, 4, 0};
  struct dp_corpus *c, *w, *a, *w2;
  ck_assert_int_eq(dp_corpus_from_ids(5, 3, len, ids, &c), GSL_SUCCESS);
  dp_rng r, r2;
  dp_rng_seed(&r, 7);
  dp_rng_seed(&r2, 7);
  ck_assert_int_eq(dp_corpus_shuffle(c, 0, &r, &w), GSL_SUCCESS);
  ck_assert_int_eq(dp_corpus_shuffle(c, 0, &r2, &w2), GSL_SUCCESS);
  ck_assert_int_eq(dp_corpus_shuffle(c, 1, &r, &a), GSL_SUCCESS);
  ck_assert_uint_eq(w->ndoc, 3);
  ck_assert_uint_eq(a->ntok, 10);
  for (size_t d = 0; d <= 3; d++)
    ck_assert_uint_eq(w->doc_start[d], c->doc_start[d]);
  size_t hc[3][5] = {{0}}, hw[3][5] = {{0}}, tc[5] = {0}, ta[5] = {0}, same = 1;
  for (size_t d = 0; d < 3; d++)
    for (size_t n = c->doc_start[d]; n < c->doc_start[d + 1]; n++) {
      hc[d][c->tok[n]]++;
      hw[d][w->tok[n]]++;
      tc[c->tok[n]]++;
      ta[a->tok[n]]++;
      same &= w->tok[n] == w2->tok[n];
    }
  for (size_t d = 0; d < 3; d++)
    for (size_t v = 0; v < 5; v++)
      ck_assert_uint_eq(hc[d][v], hw[d][v]);
  for (size_t v = 0; v < 5; v++)
    ck_assert_uint_eq(tc[v], ta[v]);
  ck_assert(same); /* the same seed, the same shuffle */
  ck_assert_ptr_null(w->vocab);
  ck_assert_int_eq(dp_corpus_shuffle(NULL, 0, &r, &w2), GSL_EFAULT);
  dp_corpus_free(c);
  dp_corpus_free(w);
  dp_corpus_free(w2);
  dp_corpus_free(a);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("cooc");
  TCase *tk = tcase_create("tokenizer");
  tcase_add_test(tk, test_tokenize_case_punct);
  tcase_add_test(tk, test_tokenize_apostrophes_digits);
  tcase_add_test(tk, test_tokenize_utf8);
  tcase_add_test(tk, test_utf8_len);
  tcase_add_test(tk, test_tokenize_long_token);
  suite_add_tcase(s, tk);
  TCase *tr = tcase_create("read");
  tcase_add_test(tr, test_read_file_basic);
  tcase_add_test(tr, test_read_lines);
  tcase_add_test(tr, test_read_missing_file);
  tcase_add_test(tr, test_read_invalid_utf8);
  tcase_add_test(tr, test_utf8_strict);
  tcase_add_test(tr, test_read_nul);
  tcase_add_test(tr, test_read_empty);
  suite_add_tcase(s, tr);
  TCase *tv = tcase_create("vocab");
  tcase_add_test(tv, test_vocab_order);
  tcase_add_test(tv, test_vocab_cut);
  tcase_add_test(tv, test_oov_removed_before_windowing);
  suite_add_tcase(s, tv);
  TCase *tc = tcase_create("counts");
  tcase_add_test(tc, test_weights_names);
  tcase_add_test(tc, test_tiny_corpus);
  tcase_add_test(tc, test_doc_boundary);
  tcase_add_test(tc, test_mass);
  tcase_add_test(tc, test_dense_sparse_identical);
  tcase_add_test(tc, test_direct_route);
  tcase_add_test(tc, test_count_errors);
  tcase_add_test(tc, test_skew_profile);
  tcase_add_test(tc, test_shuffle);
  suite_add_tcase(s, tc);
  TCase *to = tcase_create("operators");
  tcase_add_test(to, test_ppmi_hand);
  tcase_add_test(to, test_ppmi_exact_symmetry);
  tcase_add_test(to, test_operator_errors);
  suite_add_tcase(s, to);
  return s;
}
