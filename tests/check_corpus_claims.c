/* check_corpus_claims.c: the held-out text of claim C18 (src/harness/text.c) and the claim
 * itself (props/c18_corpus.c).
 *
 * The split of a small corpus (which lines are held out, that X counts the training lines
 * only, the vocabulary's words and order, the sequences, the period and the number asked,
 * the refusals); sequence files (words, ids, every refusal naming the file and the line); a
 * user's operator (refused when not square or not symmetric); GloVe's files (a one-sided
 * cooccurrence.bin symmetrised as X + X^T, a symmetric one kept); the claim on its generated
 * instances and a planted fault shrunk; the judged rows on a small corpus, on the KJV when
 * DPCHECK_CORPUS names it, and on a user's operator; the evidence. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "claim.h"
#include "cooc.h"
#include "err.h"
#include "io.h"
#include "registry.h"
#include "seed.h"
#include "smat.h"
#include "text.h"
#include "testutil.h"

static const struct dp_claim *c18(void)
{
  const struct dp_claim *c = dp_claim_find("C18");
  ck_assert_ptr_nonnull(c);
  return c;
}

/* 25 lines; lines 10 and 20 (held out) hold the only "zebra" and "unicorn" of the corpus,
 * and line 20 the only "meadow"s. */
static const char *const lines25[25] = {
  "the cat sat on the mat and the dog sat on the rug",
  "the dog ran to the park and the cat ran to the house",
  "a bird sang in the tree and the cat watched the bird",
  "the man went to the market and bought bread and milk",
  "the woman went to the park with the dog and the cat",
  "a cat and a dog sat in the house by the fire",
  "the bird flew over the house and the tree",
  "the man and the woman sat by the fire with the cat",
  "the dog slept on the rug in the house",
  "the zebra and the unicorn sat on the mat", /* 10: held out */
  "the cat ran to the tree and the bird flew",
  "the woman bought bread at the market",
  "a dog and a cat and a bird",
  "the man walked the dog to the park",
  "the cat slept by the fire on the mat",
  "the bird sang and the dog ran",
  "the woman and the man went to the house",
  "the cat sat in the tree with the bird",
  "the dog sat on the mat by the fire",
  "meadow unicorn meadow a zebra ran to the park", /* 20: held out */
  "the man sat on the rug with the dog",
  "the woman walked to the market with the cat",
  "a bird and a cat sat in the park",
  "the dog and the cat ran to the house",
  "the man and the woman slept"};

/* The corpus of lines[0..n-1] except those whose number (from 1) is a multiple of skip (0:
 * none), every word kept. */
static struct dp_corpus *corpus_of(const char *const *lines, size_t n, size_t skip,
                                   size_t min_count)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  ck_assert_ptr_nonnull(f);
  for (size_t i = 0; i < n; i++)
    if (!skip || (i + 1) % skip != 0)
      fprintf(f, "%s\n", lines[i]);
  fclose(f);
  struct dp_vocab_opts vo = {min_count, 0};
  struct dp_corpus *c = NULL;
  ck_assert_int_eq(dp_corpus_from_text(buf, len, "mem", &vo, &c), GSL_SUCCESS);
  free(buf);
  return c;
}

/* The word of id a of x. */
static const char *word(const struct dp_text *x, size_t a)
{
  ck_assert_uint_lt(a, x->V);
  return x->vocab->words[a];
}

START_TEST(test_from_corpus)
{
  struct dp_corpus *all = corpus_of(lines25, 25, 0, 1);
  struct dp_corpus *train = corpus_of(lines25, 25, 10, 1);   /* the 23 training lines */
  struct dp_corpus *train2 = corpus_of(lines25, 25, 10, 2);  /* their words seen twice */
  ck_assert_uint_eq(all->ndoc, 25);
  ck_assert_uint_eq(train->ndoc, 23);
  /* in the whole corpus "zebra" and "unicorn" are seen twice */
  ck_assert_uint_eq(all->vocab->counts[dp_vocab_find(all->vocab, "zebra")], 2);
  struct dp_text *x = NULL;
  ck_assert_int_eq(dp_text_from_corpus(all, "mem", 2, 2, 10, 5, 64, 7, NULL, &x), GSL_SUCCESS);
  ck_assert_int_eq(x->from, DP_TEXT_CORPUS);
  ck_assert_uint_eq(x->ndoc, 25);
  ck_assert_uint_eq(x->ndoc_held, 2);
  ck_assert_uint_eq(x->train->ndoc, 23);
  ck_assert_int_eq(x->window, 2);
  /* the vocabulary: the training words seen twice there, by count, then the corpus's order */
  ck_assert_uint_eq(x->V, train2->V);
  ck_assert_uint_eq(x->vocab->V, x->V);
  size_t ntrain = 0;
  for (size_t a = 0; a < x->V; a++) {
    size_t b = dp_vocab_find(train->vocab, word(x, a));
    ck_assert_uint_ne(b, (size_t)-1);
    ck_assert_uint_eq(x->count[a], train->vocab->counts[b]);
    ck_assert_uint_ge(x->count[a], 2);
    ntrain += x->count[a];
    if (a > 0) {
      ck_assert_uint_ge(x->count[a - 1], x->count[a]);
      if (x->count[a - 1] == x->count[a])
        ck_assert_uint_lt(dp_vocab_find(all->vocab, word(x, a - 1)),
                          dp_vocab_find(all->vocab, word(x, a)));
    }
  }
  ck_assert_str_eq(word(x, 0), "the");
  /* seen twice in the corpus, never in the training lines; once in them */
  ck_assert_uint_eq(dp_vocab_find(x->vocab, "zebra"), (size_t)-1);
  ck_assert_uint_eq(dp_vocab_find(x->vocab, "unicorn"), (size_t)-1);
  ck_assert_uint_eq(dp_vocab_find(x->vocab, "meadow"), (size_t)-1);
  ck_assert_uint_eq(dp_vocab_find(x->vocab, "milk"), (size_t)-1);
  ck_assert_uint_ne(dp_vocab_find(all->vocab, "milk"), (size_t)-1);
  /* the training lines as ids: their tokens of the vocabulary, nothing of lines 10 and 20 */
  ck_assert_uint_eq(x->train->ntok, ntrain);
  ck_assert_uint_eq(x->train->ntok, train2->ntok);
  /* X counts exactly the training lines: its mass is theirs, and X^> + X^>T = X */
  double mass = dp_cooc_expected_mass(x->train, 2, DP_WEIGHT_HARMONIC);
  ck_assert_near(dp_smat_sum(x->X), mass, 64);
  ck_assert_near(dp_cooc_expected_mass(train2, 2, DP_WEIGHT_HARMONIC), mass, 4);
  struct dp_corpus *all2 = corpus_of(lines25, 25, 0, 2);
  ck_assert(dp_cooc_expected_mass(all2, 2, DP_WEIGHT_HARMONIC) > mass + 1.0);
  dp_corpus_free(all2);
  size_t a_the = dp_vocab_find(x->vocab, "the"), a_cat = dp_vocab_find(x->vocab, "cat");
  ck_assert_double_eq(dp_smat_get(x->X, a_the, a_cat),
                      dp_smat_get(x->Xr, a_the, a_cat) + dp_smat_get(x->Xr, a_cat, a_the));
  ck_assert_near(dp_smat_get(x->S, a_the, a_cat), log1p(dp_smat_get(x->X, a_the, a_cat)), 1);
  ck_assert_ptr_nonnull(x->P);
  /* the sequences: lines 10 and 20 (only 2 of the 5 asked), their vocabulary words in order */
  ck_assert_uint_eq(x->nseq, 2);
  ck_assert_str_eq(x->seq_label[0], "held-out line 10");
  ck_assert_str_eq(x->seq_label[1], "held-out line 20");
  ck_assert_uint_eq(x->ntok_held, 7 + 5);
  const char *want0[] = {"the", "and", "the", "sat", "on", "the", "mat"};
  const char *want1[] = {"a", "ran", "to", "the", "park"};
  ck_assert_uint_eq(x->len[0], 7);
  ck_assert_uint_eq(x->len[1], 5);
  for (size_t i = 0; i < 7; i++)
    ck_assert_str_eq(word(x, x->seq[0][i]), want0[i]);
  for (size_t i = 0; i < 5; i++)
    ck_assert_str_eq(word(x, x->seq[1][i]), want1[i]);
  ck_assert_ptr_nonnull(strstr(x->label, "25 lines (2 held out)"));
  dp_text_free(x);

  /* R_max cuts a line to its first words, and says so */
  ck_assert_int_eq(dp_text_from_corpus(all, "mem", 2, 2, 10, 5, 3, 7, NULL, &x), GSL_SUCCESS);
  ck_assert_uint_eq(x->len[0], 3);
  ck_assert_uint_eq(x->len[1], 3);
  ck_assert_str_eq(x->seq_label[0], "held-out line 10 (its first words)");
  ck_assert_str_eq(word(x, x->seq[1][2]), "to");
  dp_text_free(x);

  /* every 5th line: 5 held out, the counts lose lines 5, 15 and 25 too */
  ck_assert_int_eq(dp_text_from_corpus(all, "mem", 2, 2, 5, 10, 64, 7, NULL, &x), GSL_SUCCESS);
  ck_assert_uint_eq(x->ndoc_held, 5);
  ck_assert_uint_eq(x->train->ndoc, 20);
  ck_assert_uint_eq(x->nseq, 5);
  for (size_t s = 0; s < 5; s++) {
    char want[40];
    snprintf(want, sizeof want, "held-out line %zu", 5 * (s + 1));
    ck_assert_str_eq(x->seq_label[s], want);
  }
  struct dp_corpus *train5 = corpus_of(lines25, 25, 5, 2);
  ck_assert_uint_eq(x->V, train5->V);
  ck_assert_near(dp_smat_sum(x->X), dp_cooc_expected_mass(train5, 2, DP_WEIGHT_HARMONIC), 64);
  dp_corpus_free(train5);
  dp_text_free(x);

  /* one sequence asked: one of the two, from the seed, the same for the same seed */
  unsigned seen[2] = {0, 0};
  for (uint64_t seed = 1; seed <= 16; seed++) {
    struct dp_text *y = NULL;
    ck_assert_int_eq(dp_text_from_corpus(all, "mem", 2, 2, 10, 1, 64, seed, NULL, &x),
                     GSL_SUCCESS);
    ck_assert_int_eq(dp_text_from_corpus(all, "mem", 2, 2, 10, 1, 64, seed, NULL, &y),
                     GSL_SUCCESS);
    ck_assert_uint_eq(x->nseq, 1);
    ck_assert_str_eq(x->seq_label[0], y->seq_label[0]);
    seen[strcmp(x->seq_label[0], "held-out line 10") != 0]++;
    dp_text_free(x);
    dp_text_free(y);
  }
  ck_assert_msg(seen[0] > 0 && seen[1] > 0, "line 10 drawn %u times, line 20 %u", seen[0],
                seen[1]);

  /* refusals */
  ck_assert_int_eq(dp_text_from_corpus(all, "mem", 2, 2, 1, 1, 64, 7, NULL, &x), GSL_EINVAL);
  ck_assert_ptr_null(x);
  ck_assert_int_eq(dp_text_from_corpus(all, "mem", 0, 2, 10, 1, 64, 7, NULL, &x), GSL_EINVAL);
  struct dp_corpus *nine = corpus_of(lines25, 9, 0, 1);
  ck_assert_int_eq(dp_text_from_corpus(nine, "nine", 2, 1, 10, 1, 64, 7, NULL, &x), GSL_EDOM);
  ck_assert_ptr_null(x);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "nine: too few lines"));
  ck_assert_int_eq(dp_text_from_corpus(all, "mem", 2, 1000, 10, 1, 64, 7, NULL, &x), GSL_EDOM);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "seen often enough"));
  /* with min_count 6 the held-out lines keep fewer than 2 words each ("the", ...) */
  static const char *const few[] = {"x y x y x y", "x y x y", "x y x y", "z w", "x y x"};
  struct dp_corpus *fc = corpus_of(few, 5, 0, 1);
  ck_assert_int_eq(dp_text_from_corpus(fc, "few", 1, 2, 4, 1, 64, 7, NULL, &x), GSL_EDOM);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "no held-out line holds 2 words"));
  ck_assert_int_eq(dp_text_from_corpus(fc, "few", 1, 2, 2, 1, 64, 7, NULL, &x), GSL_SUCCESS);
  ck_assert_uint_eq(x->nseq, 1); /* line 2; line 4 has no word of the vocabulary */
  ck_assert_str_eq(x->seq_label[0], "held-out line 2");
  dp_text_free(x);
  dp_corpus_free(fc);
  dp_corpus_free(nine);
  dp_corpus_free(train);
  dp_corpus_free(train2);
  dp_corpus_free(all);
}
END_TEST

/* ---------------------------------------------------------------------------------------
 * Files */

static char dir[64];

static void dir_make(void)
{
  strcpy(dir, "/tmp/check_corpus_XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void dir_remove(void)
{
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}

/* dir/name with the given contents; the path in a static buffer of its own (4 slots). */
static const char *file_with(const char *name, const char *text)
{
  static char paths[4][160];
  static unsigned next;
  char *p = paths[next++ % 4];
  snprintf(p, sizeof paths[0], "%s/%s", dir, name);
  FILE *f = fopen(p, "w");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  fclose(f);
  return p;
}

static struct dp_text *empty_text(void)
{
  struct dp_text *t = calloc(1, sizeof *t);
  ck_assert_ptr_nonnull(t);
  return t;
}

/* Reading path must fail with GSL status want and a message naming the file and the line. */
static void refused(const char *path, const struct dp_vocab *v, size_t V, int want,
                    const char *line, const char *what)
{
  struct dp_text *t = empty_text();
  ck_assert_int_eq(dp_text_read_sequences(path, v, V, t), want);
  const char *m = dp_err_last();
  ck_assert_msg(strstr(m, path) && (!line || strstr(m, line)) && strstr(m, what), "%s", m);
  dp_text_free(t);
}

START_TEST(test_read_sequences)
{
  dir_make();
  const char *words[] = {"the", "cat", "sat"};
  const size_t counts[] = {5, 3, 2};
  struct dp_vocab *v = NULL;
  ck_assert_int_eq(dp_vocab_from_words(3, words, counts, &v, NULL), GSL_SUCCESS);
  /* words: a blank line (spaces and a tab) is skipped, CRLF is fine */
  const char *p = file_with("seq.txt", "the cat sat\n \t\ncat\r\nsat the the\n");
  struct dp_text *t = empty_text();
  ck_assert_int_eq(dp_text_read_sequences(p, v, 3, t), GSL_SUCCESS);
  ck_assert_uint_eq(t->nseq, 3);
  ck_assert_uint_eq(t->len[0], 3);
  ck_assert_uint_eq(t->len[1], 1);
  ck_assert_uint_eq(t->len[2], 3);
  ck_assert(t->seq[0][0] == 0 && t->seq[0][1] == 1 && t->seq[0][2] == 2);
  ck_assert(t->seq[1][0] == 1);
  ck_assert(t->seq[2][0] == 2 && t->seq[2][1] == 0 && t->seq[2][2] == 0);
  char want[200];
  snprintf(want, sizeof want, "%.50s line 4", p);
  ck_assert_str_eq(t->seq_label[2], want);
  dp_text_free(t);
  /* ids, 1-based */
  p = file_with("ids.txt", "1 5 3\n\n5\n");
  t = empty_text();
  ck_assert_int_eq(dp_text_read_sequences(p, NULL, 5, t), GSL_SUCCESS);
  ck_assert_uint_eq(t->nseq, 2);
  ck_assert(t->len[0] == 3 && t->seq[0][0] == 0 && t->seq[0][1] == 4 && t->seq[0][2] == 2);
  ck_assert(t->len[1] == 1 && t->seq[1][0] == 4);
  dp_text_free(t);
  /* 256 tokens are fine, 257 are not */
  char *longl = malloc(2 * 257 + 2);
  for (size_t i = 0; i < 257; i++)
    longl[2 * i] = '1', longl[2 * i + 1] = ' ';
  longl[2 * 256] = '\n';
  longl[2 * 256 + 1] = '\0';
  p = file_with("l256.txt", longl);
  t = empty_text();
  ck_assert_int_eq(dp_text_read_sequences(p, NULL, 5, t), GSL_SUCCESS);
  ck_assert_uint_eq(t->len[0], 256);
  dp_text_free(t);
  longl[2 * 256] = '1';
  longl[2 * 256 + 1] = '\n';
  char *two = malloc(2 * 257 + 8);
  snprintf(two, 2 * 257 + 8, "2 3\n%.*s", 2 * 257, longl);
  refused(file_with("l257.txt", two), NULL, 5, GSL_EINVAL, "line 2", "more than 256 tokens");
  free(two);
  free(longl);
  /* refusals, each naming the file and the line */
  refused(file_with("w.txt", "the cat\nthe dog sat\n"), v, 3, GSL_EINVAL, "line 2",
          "'dog' is not a word of the vocabulary");
  refused(file_with("i0.txt", "1 2\n\n3 0\n"), NULL, 5, GSL_EINVAL, "line 3",
          "'0' is not an id from 1 to 5");
  refused(file_with("i6.txt", "6\n"), NULL, 5, GSL_EINVAL, "line 1", "'6' is not an id");
  refused(file_with("ix.txt", "1\n2 cat\n"), NULL, 5, GSL_EINVAL, "line 2", "'cat' is not an id");
  refused(file_with("ip.txt", "+2\n"), NULL, 5, GSL_EINVAL, "line 1", "'+2' is not an id");
  refused(file_with("if.txt", "2.0\n"), NULL, 5, GSL_EINVAL, "line 1", "'2.0' is not an id");
  refused(file_with("blank.txt", "\n  \n\n"), NULL, 5, GSL_EDOM, NULL, "no sequence");
  refused(file_with("none.txt", ""), v, 3, GSL_EDOM, NULL, "no sequence");
  char missing[200];
  snprintf(missing, sizeof missing, "%s/missing.txt", dir);
  refused(missing, v, 3, GSL_EFAILED, NULL, "cannot open");
  dp_vocab_free(v);
  dir_remove();
}
END_TEST

/* A sparse n1 x n2 matrix from triplets. */
static dp_smat *sparse(size_t n1, size_t n2, size_t nnz, const size_t *i, const size_t *j,
                       const double *x)
{
  dp_smat *A = NULL;
  ck_assert_int_eq(dp_smat_from_triplets(n1, n2, DP_SMAT_SPARSE, nnz, i, j, x, &A),
                   GSL_SUCCESS);
  return A;
}

START_TEST(test_from_operator)
{
  dir_make();
  char path[200];
  struct dp_text *x = NULL;
  /* symmetric but (2, 3) = 1.5 against (3, 2) = 1.25 */
  const size_t ai[] = {0, 1, 1, 2, 0, 2}, aj[] = {0, 1, 2, 1, 2, 0};
  const double ax[] = {2, 1, 1.5, 1.25, 0.5, 0.5};
  dp_smat *A = sparse(3, 3, 6, ai, aj, ax);
  snprintf(path, sizeof path, "%s/asym.mtx", dir);
  ck_assert_int_eq(dp_io_mtx_write(path, A, 0), GSL_SUCCESS);
  ck_assert_int_eq(dp_text_from_operator(path, NULL, 2, 4, 1, &x), GSL_EINVAL);
  ck_assert_ptr_null(x);
  ck_assert_msg(strstr(dp_err_last(), "not symmetric: entry (2, 3) = 1.5 but (3, 2) = 1.25 (2 "
                                      "entries differ)"), "%s", dp_err_last());
  dp_smat_free(A);
  /* not square */
  A = sparse(2, 3, 2, (const size_t[]){0, 1}, (const size_t[]){2, 0}, (const double[]){1, 2});
  snprintf(path, sizeof path, "%s/rect.mtx", dir);
  ck_assert_int_eq(dp_io_mtx_write(path, A, 0), GSL_SUCCESS);
  ck_assert_int_eq(dp_text_from_operator(path, NULL, 2, 4, 1, &x), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "is 2 x 3, not square"));
  dp_smat_free(A);
  /* symmetric: read, sequences drawn uniformly from the seed or read as ids */
  const double sx[] = {2, 1, 1.5, 1.5, 0.5, 0.5};
  A = sparse(3, 3, 6, ai, aj, sx);
  snprintf(path, sizeof path, "%s/sym.mtx", dir);
  ck_assert_int_eq(dp_io_mtx_write(path, A, 1), GSL_SUCCESS);
  ck_assert_int_eq(dp_text_from_operator(path, NULL, 3, 5, 9, &x), GSL_SUCCESS);
  ck_assert_int_eq(x->from, DP_TEXT_OPERATOR);
  ck_assert_uint_eq(x->V, 3);
  ck_assert_ptr_null(x->vocab);
  ck_assert_ptr_null(x->X);
  ck_assert_ptr_null(x->P);
  ck_assert_double_eq(dp_smat_get(x->S, 1, 2), 1.5);
  ck_assert_uint_eq(x->nseq, 3);
  struct dp_text *y = NULL;
  ck_assert_int_eq(dp_text_from_operator(path, NULL, 3, 5, 9, &y), GSL_SUCCESS);
  for (size_t s = 0; s < 3; s++) {
    ck_assert_uint_eq(x->len[s], 5);
    for (size_t i = 0; i < 5; i++) {
      ck_assert_uint_lt(x->seq[s][i], 3);
      ck_assert_uint_eq(x->seq[s][i], y->seq[s][i]);
    }
  }
  dp_text_free(y);
  dp_text_free(x);
  const char *sp = file_with("ops.txt", "3 1\n2 2 2\n");
  ck_assert_int_eq(dp_text_from_operator(path, sp, 3, 5, 9, &x), GSL_SUCCESS);
  ck_assert_uint_eq(x->nseq, 2);
  ck_assert(x->len[0] == 2 && x->seq[0][0] == 2 && x->seq[0][1] == 0);
  dp_text_free(x);
  sp = file_with("bad.txt", "3 1\n4\n");
  ck_assert_int_eq(dp_text_from_operator(path, sp, 3, 5, 9, &x), GSL_EINVAL);
  ck_assert_ptr_null(x);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "line 2: '4' is not an id from 1 to 3"));
  dp_smat_free(A);
  dir_remove();
}
END_TEST

START_TEST(test_from_cooc)
{
  dir_make();
  const char *words[] = {"the", "cat", "sat", "mat"};
  const size_t counts[] = {40, 20, 10, 0};
  struct dp_vocab *v = NULL;
  ck_assert_int_eq(dp_vocab_from_words(4, words, counts, &v, NULL), GSL_SUCCESS);
  char vp[200], cp[200];
  snprintf(vp, sizeof vp, "%s/vocab.txt", dir);
  snprintf(cp, sizeof cp, "%s/cooccurrence.bin", dir);
  ck_assert_int_eq(dp_io_vocab_write(vp, v), GSL_SUCCESS);
  /* the left context only: X^< with (cat, the) = 3 but (the, cat) = 1, a diagonal entry */
  const size_t li[] = {1, 0, 2, 2, 3}, lj[] = {0, 1, 1, 2, 0};
  const double lx[] = {3, 1, 0.5, 2, 0.25};
  dp_smat *L = sparse(4, 4, 5, li, lj, lx);
  ck_assert_int_eq(dp_io_cooc_write(cp, L), GSL_SUCCESS);
  struct dp_text *x = NULL;
  /* read as both-sided counts it is refused, naming an entry that differs */
  ck_assert_int_eq(dp_text_from_cooc(cp, 0, vp, NULL, NULL, NULL, 4, 6, 3, &x), GSL_EINVAL);
  ck_assert_ptr_null(x);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "not symmetric: X(1, 2) = 1 but X(2, 1) = 3"));
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "--cooccurrence-symmetric 0"));
  ck_assert_int_eq(dp_text_from_cooc(cp, 1, vp, NULL, NULL, NULL, 4, 6, 3, &x), GSL_SUCCESS);
  ck_assert_int_eq(x->from, DP_TEXT_COOC);
  ck_assert_uint_eq(x->V, 4);
  ck_assert_double_eq(dp_smat_get(x->X, 1, 0), 4.0);
  ck_assert_double_eq(dp_smat_get(x->X, 0, 1), 4.0);
  ck_assert_double_eq(dp_smat_get(x->X, 1, 2), 0.5);
  ck_assert_double_eq(dp_smat_get(x->X, 2, 2), 4.0); /* the diagonal twice */
  ck_assert_double_eq(dp_smat_get(x->X, 0, 3), 0.25);
  size_t diff = 9;
  ck_assert_int_eq(dp_smat_compare(x->X, x->X, 1, &diff, NULL), GSL_SUCCESS);
  ck_assert_uint_eq(diff, 0);
  ck_assert_double_eq(dp_smat_get(x->S, 0, 1), log1p(4.0));
  ck_assert_ptr_nonnull(x->P);
  ck_assert_ptr_nonnull(x->Xr); /* the one side read, kept as X^> */
  ck_assert_double_eq(dp_smat_get(x->Xr, 1, 0), 3.0);
  ck_assert_double_eq(dp_smat_get(x->Xr, 0, 1), 1.0);
  ck_assert_ptr_nonnull(strstr(x->label, "symmetrised as X + X^T"));
  ck_assert_str_eq(x->vocab->words[1], "cat");
  ck_assert_uint_eq(x->count[0], 40);
  /* drawn in proportion to the counts: "mat" (count 0) never */
  ck_assert_uint_eq(x->nseq, 4);
  for (size_t s = 0; s < 4; s++) {
    ck_assert_uint_eq(x->len[s], 6);
    for (size_t i = 0; i < 6; i++)
      ck_assert_uint_lt(x->seq[s][i], 3);
  }
  dp_text_free(x);
  /* a symmetric file is kept as it is (read as both-sided counts) */
  dp_smat *Lt = NULL, *X = NULL;
  ck_assert_int_eq(dp_smat_transpose(L, &Lt), GSL_SUCCESS);
  ck_assert_int_eq(dp_smat_add(L, Lt, &X), GSL_SUCCESS);
  ck_assert_int_eq(dp_io_cooc_write(cp, X), GSL_SUCCESS);
  const char *sp = file_with("seq.txt", "the cat\nmat sat the\n");
  ck_assert_int_eq(dp_text_from_cooc(cp, 0, vp, NULL, NULL, sp, 4, 6, 3, &x), GSL_SUCCESS);
  ck_assert_uint_eq(dp_smat_nnz(x->X), dp_smat_nnz(X));
  ck_assert_int_eq(dp_smat_compare(x->X, X, 0, &diff, NULL), GSL_SUCCESS);
  ck_assert_uint_eq(diff, 0);
  ck_assert_ptr_null(strstr(x->label, "symmetrised"));
  ck_assert_uint_eq(x->nseq, 2);
  ck_assert(x->len[1] == 3 && x->seq[1][0] == 3 && x->seq[1][1] == 2 && x->seq[1][2] == 0);
  dp_text_free(x);
  /* no record */
  dp_smat *Z = NULL;
  ck_assert_int_eq(dp_smat_zeros(4, 4, DP_SMAT_SPARSE, &Z), GSL_SUCCESS);
  ck_assert_int_eq(dp_io_cooc_write(cp, Z), GSL_SUCCESS);
  ck_assert_int_eq(dp_text_from_cooc(cp, 0, vp, NULL, NULL, NULL, 4, 6, 3, &x), GSL_EDOM);
  ck_assert_ptr_null(x);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "no co-occurrence record"));
  dp_smat_free(Z);
  dp_smat_free(X);
  dp_smat_free(Lt);
  dp_smat_free(L);
  dp_vocab_free(v);
  dir_remove();
}
END_TEST

/* ---------------------------------------------------------------------------------------
 * The claim */

START_TEST(test_generated)
{
  const struct dp_claim *c = c18();
  struct dp_run_opts o = {0};
  o.master = DP_SEED_DEFAULT;
  o.trials = 40;
  o.sizes.R_max = 64;
  o.sizes.V_max = 200;
  o.env.window = 5;
  struct dp_claim gen = *c;
  gen.cases = NULL;
  gen.evidence = NULL;
  struct dp_result r;
  ck_assert_int_eq(dp_run_claim(&gen, &o, &r), GSL_SUCCESS);
  ck_assert_int_eq(r.verdict, DP_PASS);
  ck_assert_uint_eq(r.nfail + r.nerror, 0);
  ck_assert_uint_ge(r.npass, 20); /* about a third skip: no held-out line holds 2 words */
  ck_assert(r.twin_ok && !r.twin_defect);
  ck_assert_uint_eq(r.twin_rejected, r.npass);
  dp_result_free(&r);
  /* a planted fault, the twin as the check, fails and shrinks */
  struct dp_claim bad = *c;
  bad.check = bad.twin;
  run_planted(&bad, 10, 64, 200, &r);
  ck_assert_ptr_nonnull(r.cex[0].instance);
  ck_assert_msg(r.cex[0].steps > 0, "not shrunk: %s", r.cex[0].sizes_min);
  ck_assert_ptr_nonnull(strstr(r.cex[0].replay, "--claim C18"));
  dp_result_free(&r);
}
END_TEST

/* Checks every row: claim PASS (the control row's only measured when !control_holds),
 * twin FAIL; counts the control rows and the labels that name PPMI. */
static void rows_hold(const struct dp_case_row *rows, size_t n, int control_holds, int *control,
                      int *ppmi)
{
  const struct dp_claim *c = c18();
  *control = *ppmi = 0;
  for (size_t i = 0; i < n; i++) {
    if (!control_holds && strstr(rows[i].label, "token-shuffled"))
      ck_assert(rows[i].claim.status == DP_MEASURED && rows[i].claim.parts == 3);
    else
      ck_assert_msg(dp_claim_judge(c, &rows[i].claim) == DP_PASS, "%s: %s", rows[i].label,
                    rows[i].claim.what);
    ck_assert_msg(dp_claim_judge(c, &rows[i].twin) == DP_FAIL, "twin of %s: %s", rows[i].label,
                  rows[i].twin.what);
    *control += strstr(rows[i].label, "token-shuffled") != NULL;
    *ppmi += strstr(rows[i].label, "PPMI") != NULL;
  }
}

/* A corpus of n lines made from a small grammar, deterministic, with direction: clauses "the
 * <noun> <verb> in the <place>" joined by "and", 24 nouns, 16 verbs and 16 places (named
 * by number: "noun7"); V = 59. */
static char *grammar_text(size_t n, size_t *len)
{
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  ck_assert_ptr_nonnull(f);
  uint64_t s = 12345;
  for (size_t i = 0; i < n; i++) {
    size_t k = 2 + (i % 3);
    for (size_t j = 0; j < k; j++) {
      s = s * 6364136223846793005ULL + 1442695040888963407ULL;
      unsigned a = (unsigned)(s >> 33);
      fprintf(f, "%sthe noun%u verb%u in the place%u", j ? " and " : "", a % 24, (a >> 5) % 16,
              (a >> 9) % 16);
    }
    fputc('\n', f);
  }
  fclose(f);
  return buf;
}

/* Rows and evidence of C18 on env from one context (the analysis built once). */
static void rows_and_evidence(const struct dp_env *env, struct dp_case_row *rows, size_t max,
                              size_t *n, struct dp_evidence *ev)
{
  const struct dp_claim *c = c18();
  const struct dp_sizes sz = {64, 200, 0};
  struct dp_cache *cache = dp_cache_alloc();
  ck_assert_ptr_nonnull(cache);
  struct dp_ctx ctx;
  ck_assert_int_eq(dp_ctx_init(&ctx, c, DP_SEED_DEFAULT, c->trials, &sz, env, cache),
                   GSL_SUCCESS);
  ck_assert_int_eq(c->cases(&ctx, rows, max, n), GSL_SUCCESS);
  memset(ev, 0, sizeof *ev);
  ck_assert_int_eq(c->evidence(&ctx, ev), GSL_SUCCESS);
  dp_ctx_done(&ctx);
  dp_cache_free(cache);
}

/* The table of ev whose title starts with t, or NULL. */
static const struct dp_table *table(const struct dp_evidence *ev, const char *t)
{
  for (size_t i = 0; i < ev->ntables; i++)
    if (strncmp(ev->tables[i].title, t, strlen(t)) == 0)
      return &ev->tables[i];
  return NULL;
}

/* The value of key in a two-column table (NULL when absent). */
static const char *value(const struct dp_table *t, const char *key)
{
  for (size_t r = 0; r < t->nrow; r++)
    if (strcmp(t->cell[r * t->ncol], key) == 0)
      return t->cell[r * t->ncol + 1];
  return NULL;
}

/* The evidence of a source with V words: the data, the spectrum head descending in
 * magnitude, the truncation curves non-increasing in [0, 1]. */
static void evidence_sane(const struct dp_evidence *ev, size_t V, int corpus)
{
  const struct dp_table *t = table(ev, "The data");
  ck_assert_ptr_nonnull(t);
  char b[32];
  snprintf(b, sizeof b, "%zu", V);
  ck_assert_str_eq(value(t, "V (words)"), b);
  ck_assert_int_eq(value(t, "training tokens") != NULL, corpus);
  ck_assert_int_eq(value(t, "held-out tokens (never counted)") != NULL, corpus);
  if (corpus) { /* PPMI clips the pairs seen less often than chance: fewer non-zeros than X */
    unsigned long nx = strtoul(value(t, "nnz(X)"), NULL, 10);
    unsigned long np = strtoul(value(t, "nnz(PPMI)"), NULL, 10);
    ck_assert_msg(np > 0 && np < nx, "nnz(PPMI) = %lu, nnz(X) = %lu", np, nx);
  }
  t = table(ev, "Spectrum head");
  ck_assert_ptr_nonnull(t);
  ck_assert_uint_eq(t->nrow, V > 12 ? 10 : V > 2 ? V - 2 : 1);
  for (size_t r = 0; r < t->nrow; r++) {
    double l = atof(t->cell[r * 3 + 1]);
    ck_assert(l != 0.0);
    if (r > 0)
      ck_assert_msg(fabs(atof(t->cell[(r - 1) * 3 + 1])) >= fabs(l), "row %zu", r);
    if (corpus && r > 0)
      ck_assert(fabs(atof(t->cell[(r - 1) * 3 + 2])) >= fabs(atof(t->cell[r * 3 + 2])));
  }
  ck_assert_uint_eq(ev->nplots, 1);
  const struct dp_plot *p = &ev->plots[0];
  ck_assert_uint_eq(p->nseries, corpus ? 2 : 1);
  for (size_t s = 0; s < p->nseries; s++) {
    ck_assert_uint_ge(p->series[s].n, 1);
    for (size_t i = 0; i < p->series[s].n; i++) {
      ck_assert(p->series[s].y[i] >= 0.0 && p->series[s].y[i] < 1.0);
      ck_assert(p->series[s].x[i] == (double)(i + 1));
      if (i > 0)
        ck_assert(p->series[s].y[i] <= p->series[s].y[i - 1]);
    }
  }
  ck_assert_int_eq(table(ev, "Token-shuffled control") != NULL, corpus);
  ck_assert_int_eq(table(ev, "Share of the held-out lines") != NULL, corpus);
  ck_assert_ptr_nonnull(table(ev, "Which claims apply"));
}

START_TEST(test_rows_small)
{
  const struct dp_claim *c = c18();
  struct dp_case_row rows[24];
  size_t n = 99;
  /* no data: no rows, no evidence */
  struct dp_env none = {NULL, NULL, 5, NULL, NULL};
  ck_assert_int_eq(run_cases(c, &none, rows, 24, &n), GSL_SUCCESS);
  ck_assert_uint_eq(n, 0);
  /* nine lines: no held-out line, one row skipped saying so (not an error, not a crash) */
  struct dp_corpus *nine = corpus_of(lines25, 9, 0, 1);
  struct dp_env e9 = {NULL, nine, 5, NULL, NULL};
  ck_assert_int_eq(run_cases(c, &e9, rows, 24, &n), GSL_SUCCESS);
  ck_assert_uint_eq(n, 1);
  ck_assert_int_eq(dp_claim_judge(c, &rows[0].claim), DP_SKIP);
  ck_assert_int_eq(dp_claim_judge(c, &rows[0].twin), DP_SKIP);
  ck_assert_ptr_nonnull(strstr(rows[0].claim.what, "too few lines: no held-out line"));
  struct dp_run_opts o9 = {0};
  o9.master = DP_SEED_DEFAULT;
  o9.env = e9;
  struct dp_evidence ev9 = {0};
  ck_assert_int_eq(run_evidence(c, &o9, &ev9), GSL_SUCCESS);
  ck_assert_uint_eq(ev9.ntables + ev9.nplots, 0);
  dp_corpus_free(nine);
  /* a small grammar corpus: every row holds and every twin is rejected, the control row last
   * (measured, not judged: on 59 words the PPMI spectrum head of two shuffled copies spreads
   * too widely for the text to stand ten spreads apart) */
  size_t len = 0;
  char *text = grammar_text(300, &len);
  struct dp_vocab_opts vo = {1, 0};
  struct dp_corpus *corp = NULL;
  ck_assert_int_eq(dp_corpus_from_text(text, len, "grammar", &vo, &corp), GSL_SUCCESS);
  free(text);
  struct dp_env env = {NULL, corp, 5, NULL, NULL};
  struct dp_evidence ev;
  rows_and_evidence(&env, rows, 24, &n, &ev);
  ck_assert_uint_eq(n, 13 + 2 + 1);
  int control, ppmi;
  rows_hold(rows, n, 0, &control, &ppmi);
  ck_assert_int_eq(control, 1);
  ck_assert_int_eq(ppmi, 4); /* C04, C08, C09 and the full-V row */
  ck_assert_ptr_nonnull(strstr(rows[n - 1].label, "token-shuffled"));
  ck_assert_ptr_nonnull(strstr(rows[n - 2].label, "at full V"));
  ck_assert_ptr_nonnull(strstr(rows[n - 3].label, "at full V"));
  evidence_sane(&ev, 24 + 16 + 16 + 3, 1); /* nouns, verbs, places, the in and */
  dp_evidence_free(&ev);
  dp_corpus_free(corp);
}
END_TEST

START_TEST(test_rows_operator)
{
  dir_make();
  /* S = log(1 + X) of the grammar corpus's counts, written as a user's operator */
  size_t len = 0;
  char *text = grammar_text(100, &len);
  struct dp_vocab_opts vo = {1, 0};
  struct dp_corpus *corp = NULL;
  ck_assert_int_eq(dp_corpus_from_text(text, len, "grammar", &vo, &corp), GSL_SUCCESS);
  free(text);
  struct dp_counts *cnt = NULL;
  dp_smat *S = NULL;
  ck_assert_int_eq(dp_cooc_count(corp, 3, DP_WEIGHT_HARMONIC, DP_SMAT_SPARSE, &cnt),
                   GSL_SUCCESS);
  ck_assert_int_eq(dp_cooc_operator(cnt->X, DP_SOP_LOG1P, &S), GSL_SUCCESS);
  char path[200];
  snprintf(path, sizeof path, "%s/S.mtx", dir);
  ck_assert_int_eq(dp_io_mtx_write(path, S, 1), GSL_SUCCESS);
  struct dp_text *x = NULL;
  ck_assert_int_eq(dp_text_from_operator(path, NULL, 4, 16, 5, &x), GSL_SUCCESS);
  struct dp_env env = {NULL, NULL, 5, NULL, x};
  struct dp_case_row rows[24];
  size_t n = 0;
  struct dp_evidence ev;
  rows_and_evidence(&env, rows, 24, &n, &ev);
  /* C02, C03, C04, C06-C10, C12, C16 (C04, C08, C09 on S itself) and one full-V row: no
   * PPMI, no counts, no fit */
  ck_assert_uint_eq(n, 10 + 1);
  int control, ppmi;
  rows_hold(rows, n, 1, &control, &ppmi);
  ck_assert_int_eq(control, 0);
  ck_assert_int_eq(ppmi, 0);
  for (size_t i = 0; i < n; i++)
    ck_assert_msg(!strstr(rows[i].label, "C11") && !strstr(rows[i].label, "GloVe"), "%s",
                  rows[i].label);
  evidence_sane(&ev, corp->V, 0);
  dp_evidence_free(&ev);
  dp_text_free(x);
  dp_smat_free(S);
  dp_counts_free(cnt);
  dp_corpus_free(corp);
  dir_remove();
}
END_TEST

START_TEST(test_rows_kjv)
{
  const char *kjv = getenv("DPCHECK_CORPUS");
  if (!kjv || !*kjv)
    return; /* make check names it */
  struct dp_env env = {kjv, NULL, 5, NULL, NULL};
  struct dp_case_row rows[24];
  size_t n = 0;
  struct dp_evidence ev;
  rows_and_evidence(&env, rows, 24, &n, &ev);
  ck_assert_uint_eq(n, 13 + 2 + 1);
  int control, ppmi;
  rows_hold(rows, n, 1, &control, &ppmi);
  ck_assert_int_eq(control, 1);
  const struct dp_table *t = table(&ev, "The data");
  ck_assert_ptr_nonnull(t);
  size_t V = strtoul(value(t, "V (words)"), NULL, 10);
  ck_assert_msg(V > 4000 && V < 6000, "V = %zu", V); /* KJV, count >= 5 in 9/10 of the lines */
  ck_assert_ptr_nonnull(strstr(value(t, "held-out tokens (never counted)"), "in 3110 lines"));
  ck_assert(strtoul(value(t, "nnz(X)"), NULL, 10) > 100000);
  evidence_sane(&ev, V, 1);
  dp_evidence_free(&ev);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("corpus claims");
  TCase *tc = tcase_create("text");
  tcase_add_test(tc, test_from_corpus);
  tcase_add_test(tc, test_read_sequences);
  tcase_add_test(tc, test_from_operator);
  tcase_add_test(tc, test_from_cooc);
  suite_add_tcase(s, tc);
  tc = tcase_create("claim");
  tcase_add_test(tc, test_rows_operator);
  tcase_add_test(tc, test_rows_small);
  tcase_set_timeout(tc, 120);
  suite_add_tcase(s, tc);
  tc = tcase_create("slow");
  tcase_add_test(tc, test_generated);
  tcase_add_test(tc, test_rows_kjv);
  tcase_set_timeout(tc, 300);
  tcase_set_tags(tc, "slow"); /* left out of `make check-quick` */
  suite_add_tcase(s, tc);
  return s;
}
