/* check_progress.c: unit tests of progress, the progress lines of the long stages.
 *
 * Output is captured in memory (open_memstream): a log (not a tty) gets exactly one line per
 * stage, "dpcheck: <stage>: <summary> (<seconds> s)", and nothing else; a tty gets the line
 * redrawn in place, at most about 10 times a second, cleared and replaced by the summary
 * line at the end; a NULL progress or a NULL stream writes nothing at all (standard output
 * and error are captured to check it).  The readers that take a progress pointer give
 * exactly what the old ones give. */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cooc.h"
#include "err.h"
#include "progress.h"
#include "smat.h"
#include "testutil.h"

/* ---------------------------------------------------------------------------------------
 * Helpers */

struct cap {
  FILE *f;
  char *buf;
  size_t len;
};

static void cap_open(struct cap *c)
{
  c->buf = NULL;
  c->len = 0;
  c->f = open_memstream(&c->buf, &c->len);
  ck_assert_ptr_nonnull(c->f);
}

/* Closes the stream; c->buf holds what was written (NUL-terminated), the caller frees it. */
static void cap_close(struct cap *c)
{
  ck_assert_int_eq(fclose(c->f), 0);
  c->f = NULL;
}

static size_t count_char(const char *s, char ch)
{
  size_t n = 0;
  for (; *s; s++)
    n += *s == ch;
  return n;
}

/* Whether line (without its newline) is "dpcheck: <stage>: <summary> (<seconds> s)". */
static int is_stage_line(const char *line, size_t len, const char *stage, const char *summary)
{
  char head[256];
  snprintf(head, sizeof head, "dpcheck: %s: %s (", stage, summary);
  size_t h = strlen(head);
  if (len < h + 3 || memcmp(line, head, h) != 0 || memcmp(line + len - 3, " s)", 3) != 0)
    return 0;
  /* the seconds: a non-negative decimal number */
  char num[64];
  size_t n = len - 3 - h;
  if (n == 0 || n >= sizeof num)
    return 0;
  memcpy(num, line + h, n);
  num[n] = '\0';
  char *end;
  double s = strtod(num, &end);
  return *end == '\0' && s >= 0.0;
}

static char *tmpfile_with(const char *s, size_t n)
{
  static char path[64];
  strcpy(path, "/tmp/check_progress_XXXXXX");
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq((long)write(fd, s, n), (long)n);
  close(fd);
  return path;
}

static void sleep_ms(long ms)
{
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&t, &t) != 0)
    ;
}

static double mono(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* A text of about n bytes, many lines, a vocabulary of a few dozen words. */
static char *make_text(size_t n, size_t *len)
{
  static const char *const w[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta",
                                  "eta",   "theta", "iota", "kappa", "lambda",  "mu"};
  char *t = malloc(n + 64);
  ck_assert_ptr_nonnull(t);
  size_t p = 0, i = 0;
  while (p < n) {
    p += (size_t)sprintf(t + p, "%s%s", w[(i * 7 + i / 13) % 12], (i % 9 == 8) ? "\n" : " ");
    i++;
  }
  t[p++] = '\n';
  *len = p;
  return t;
}

static void assert_same_corpus(const struct dp_corpus *a, const struct dp_corpus *b)
{
  ck_assert_uint_eq(a->V, b->V);
  ck_assert_uint_eq(a->ntok, b->ntok);
  ck_assert_uint_eq(a->ndoc, b->ndoc);
  ck_assert_uint_eq(a->nraw, b->nraw);
  ck_assert_int_eq(memcmp(a->tok, b->tok, a->ntok * sizeof *a->tok), 0);
  ck_assert_int_eq(memcmp(a->doc_start, b->doc_start, (a->ndoc + 1) * sizeof *a->doc_start), 0);
  for (size_t i = 0; i < a->V; i++) {
    ck_assert_str_eq(a->vocab->words[i], b->vocab->words[i]);
    ck_assert_uint_eq(a->vocab->counts[i], b->vocab->counts[i]);
  }
}

/* ---------------------------------------------------------------------------------------
 * The two forms */

START_TEST(test_log_lines)
{
  struct cap c;
  cap_open(&c);
  struct dp_progress *p = dp_progress_new(c.f, 0);
  ck_assert_ptr_nonnull(p);
  dp_progress_stage(p, "alpha", 10, "units");
  for (size_t i = 1; i <= 10; i++)
    dp_progress_tick(p, i);
  dp_progress_end(p, "did %d things", 7);
  dp_progress_stage(p, "beta", 0, "words");
  dp_progress_tick(p, 123456);
  dp_progress_end(p, "ok\nsecond line"); /* a newline in a summary stays on the line */
  dp_progress_stage(p, "gamma", 5, NULL);
  dp_progress_stage(p, "delta", 5, NULL); /* ends gamma first */
  dp_progress_end(p, "last");
  dp_progress_end(p, "again"); /* no stage open: nothing */
  dp_progress_tick(p, 3);      /* likewise */
  dp_progress_free(p);
  cap_close(&c);

  ck_assert_uint_eq(count_char(c.buf, '\n'), 4);
  ck_assert_uint_eq(count_char(c.buf, '\r'), 0);
  ck_assert_uint_eq(count_char(c.buf, '\033'), 0);
  const char *want[4][2] = {{"alpha", "did 7 things"},
                            {"beta", "ok second line"},
                            {"gamma", "interrupted"},
                            {"delta", "last"}};
  const char *s = c.buf;
  for (int k = 0; k < 4; k++) {
    const char *nl = strchr(s, '\n');
    ck_assert_ptr_nonnull(nl);
    ck_assert_msg(is_stage_line(s, (size_t)(nl - s), want[k][0], want[k][1]),
                  "line %d is '%.*s'", k, (int)(nl - s), s);
    s = nl + 1;
  }
  ck_assert_str_eq(s, "");
  free(c.buf);
}
END_TEST

START_TEST(test_tty)
{
  struct cap c;
  cap_open(&c);
  struct dp_progress *p = dp_progress_new(c.f, 1);
  ck_assert_ptr_nonnull(p);
  double t0 = mono();
  dp_progress_stage(p, "read", 1000, "bytes");
  for (size_t i = 1; i <= 1000; i++)
    dp_progress_tick(p, i);
  double el = mono() - t0;
  sleep_ms(120); /* more than the redraw interval: the next tick redraws */
  dp_progress_tick(p, 500);
  dp_progress_end(p, "done");
  dp_progress_free(p);
  cap_close(&c);

  /* drawn at the start, at most once per 0.1 s of the ticks, once after the pause, and
   * the clearing at the end */
  size_t redraws = count_char(c.buf, '\r');
  ck_assert_uint_ge(redraws, 3);
  ck_assert_uint_le(redraws, 3 + (size_t)(el / 0.1) + 1);
  ck_assert_msg(strncmp(c.buf, "\rdpcheck: read:   0.0% (0 of 1.00k bytes", 40) == 0,
                "first draw '%s'", c.buf);
  ck_assert_ptr_nonnull(strstr(c.buf, " 50.0% (500 of 1.00k bytes"));
  /* one newline, at the very end, after the cleared line and the summary */
  ck_assert_uint_eq(count_char(c.buf, '\n'), 1);
  const char *last = strrchr(c.buf, '\r');
  ck_assert_int_eq(strncmp(last, "\r\033[K", 4), 0);
  ck_assert_uint_eq(c.buf[c.len - 1], '\n');
  ck_assert(is_stage_line(last + 4, strlen(last + 4) - 1, "read", "done"));
  free(c.buf);
}
END_TEST

/* Runs the progress calls and the wrapped readers with a NULL progress and a progress on a
 * NULL stream, with standard output and error sent to a file that must stay empty. */
START_TEST(test_silent)
{
  size_t n;
  char *text = make_text(4000, &n);
  char path[64];
  strcpy(path, tmpfile_with(text, n));
  char sink[] = "/tmp/check_progress_sink_XXXXXX";
  int fd = mkstemp(sink);
  ck_assert_int_ge(fd, 0);
  fflush(stdout);
  fflush(stderr);
  int o1 = dup(1), o2 = dup(2);
  ck_assert(o1 >= 0 && o2 >= 0);
  ck_assert_int_ge(dup2(fd, 1), 0);
  ck_assert_int_ge(dup2(fd, 2), 0);

  struct dp_progress *q = dp_progress_new(NULL, 1);
  struct dp_progress *ps[2] = {NULL, q};
  struct dp_corpus *a[2] = {NULL, NULL};
  struct dp_counts *x[2] = {NULL, NULL};
  int st[4];
  for (int k = 0; k < 2; k++) {
    dp_progress_stage(ps[k], "stage", 10, "units");
    dp_progress_tick(ps[k], 5);
    dp_progress_end(ps[k], "summary %d", k);
    st[2 * k] = dp_corpus_read_p(path, NULL, ps[k], &a[k]);
    st[2 * k + 1] = a[k] ? dp_cooc_count_p(a[k], 2, DP_WEIGHT_HARMONIC, DP_SMAT_SPARSE, ps[k],
                                           &x[k])
                         : -1;
  }
  dp_progress_free(q);
  dp_progress_free(NULL);

  fflush(stdout);
  fflush(stderr);
  dup2(o1, 1);
  dup2(o2, 2);
  close(o1);
  close(o2);
  struct stat sb;
  ck_assert_int_eq(fstat(fd, &sb), 0);
  close(fd);
  unlink(sink);
  unlink(path);
  ck_assert_ptr_nonnull(q);
  for (int k = 0; k < 4; k++)
    ck_assert_int_eq(st[k], GSL_SUCCESS);
  ck_assert_msg(sb.st_size == 0, "a silent progress wrote %ld bytes", (long)sb.st_size);
  assert_same_corpus(a[0], a[1]);
  size_t mism = 1;
  ck_assert_int_eq(dp_smat_compare(x[0]->X, x[1]->X, 0, &mism, NULL), GSL_SUCCESS);
  ck_assert_uint_eq(mism, 0);
  for (int k = 0; k < 2; k++) {
    dp_counts_free(x[k]);
    dp_corpus_free(a[k]);
  }
  free(text);
}
END_TEST

/* ---------------------------------------------------------------------------------------
 * The wrapped readers */

START_TEST(test_read_same)
{
  size_t n;
  char *text = make_text(600000, &n); /* more than one tick's worth of bytes */
  char path[64];
  strcpy(path, tmpfile_with(text, n));
  struct dp_vocab_opts o = {2, 8};
  struct dp_corpus *a, *b;
  ck_assert_int_eq(dp_corpus_read(path, &o, &a), GSL_SUCCESS);
  for (int tty = 0; tty < 2; tty++) {
    struct cap c;
    cap_open(&c);
    struct dp_progress *p = dp_progress_new(c.f, tty);
    ck_assert_int_eq(dp_corpus_read_p(path, &o, p, &b), GSL_SUCCESS);
    dp_progress_free(p);
    cap_close(&c);
    assert_same_corpus(a, b);
    char stage[96], sum[128];
    snprintf(stage, sizeof stage, "read %s", path);
    snprintf(sum, sizeof sum, "%zu tokens (%zu kept), %zu documents, V = %zu", a->nraw,
             a->ntok, a->ndoc, a->V);
    const char *line = tty ? strrchr(c.buf, '\r') + 4 : c.buf;
    ck_assert_uint_eq(count_char(c.buf, '\n'), 1);
    ck_assert_msg(is_stage_line(line, strlen(line) - 1, stage, sum), "got '%s'", line);
    if (tty) /* drawn at the start, at 0 of the file's size */
      ck_assert_ptr_nonnull(strstr(c.buf, "  0.0% (0 of 600.0"));
    free(c.buf);
    dp_corpus_free(b);
  }
  dp_corpus_free(a);
  unlink(path);

  /* A failure closes the stage without a line: the caller's one line says why (tty: the
   * drawn line is cleared). */
  const char bad[] = "good line\nbad \xff byte\n";
  strcpy(path, tmpfile_with(bad, sizeof bad - 1));
  struct cap c;
  cap_open(&c);
  struct dp_progress *p = dp_progress_new(c.f, 0);
  ck_assert_int_eq(dp_corpus_read_p(path, NULL, p, &b), GSL_EINVAL);
  ck_assert_ptr_null(b);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), ":2: invalid UTF-8 at column 5"));
  dp_progress_free(p);
  cap_close(&c);
  ck_assert_str_eq(c.buf, "");
  free(c.buf);
  cap_open(&c);
  p = dp_progress_new(c.f, 1);
  ck_assert_int_eq(dp_corpus_read_p(path, NULL, p, &b), GSL_EINVAL);
  dp_progress_free(p);
  cap_close(&c);
  ck_assert_uint_eq(count_char(c.buf, '\n'), 0);
  ck_assert_msg(strlen(c.buf) == 0 || strstr(c.buf, "\r\033[K") != NULL, "got '%s'", c.buf);
  free(c.buf);
  unlink(path);
  free(text);
}
END_TEST

START_TEST(test_count_same)
{
  const char *text = "the cat sat on the mat\nthe dog sat on the log\na cat and a dog\n";
  struct dp_corpus *corp;
  ck_assert_int_eq(dp_corpus_from_text(text, strlen(text), "t", NULL, &corp), GSL_SUCCESS);
  for (int kind = 0; kind < 2; kind++) {
    enum dp_smat_kind k = kind ? DP_SMAT_SPARSE : DP_SMAT_DENSE;
    struct dp_counts *x, *y;
    ck_assert_int_eq(dp_cooc_count(corp, 3, DP_WEIGHT_HARMONIC, k, &x), GSL_SUCCESS);
    struct cap c;
    cap_open(&c);
    struct dp_progress *p = dp_progress_new(c.f, 0);
    ck_assert_int_eq(dp_cooc_count_p(corp, 3, DP_WEIGHT_HARMONIC, k, p, &y), GSL_SUCCESS);
    dp_progress_free(p);
    cap_close(&c);
    dp_smat *pairs[][2] = {{x->X, y->X}, {x->Xr, y->Xr}, {x->Xl, y->Xl}};
    for (int q = 0; q < 3; q++) {
      size_t mism = 1;
      ck_assert_int_eq(dp_smat_compare(pairs[q][0], pairs[q][1], 0, &mism, NULL), GSL_SUCCESS);
      ck_assert_uint_eq(mism, 0);
    }
    for (int o = 0; o < 7; o++)
      if (o != 3) {
        size_t mism = 1;
        dp_smat_compare(x->Xk[o], y->Xk[o], 0, &mism, NULL);
        ck_assert_uint_eq(mism, 0);
      }
    char sum[128];
    snprintf(sum, sizeof sum, "V = %zu, c = 3, %s, nnz(X) = %zu", corp->V,
             kind ? "sparse" : "dense", dp_smat_nnz(x->X));
    ck_assert_uint_gt(dp_smat_nnz(x->X), 0);
    ck_assert_uint_eq(count_char(c.buf, '\n'), 1);
    ck_assert_msg(is_stage_line(c.buf, strlen(c.buf) - 1, "count", sum), "got '%s'", c.buf);
    free(c.buf);
    dp_counts_free(x);
    dp_counts_free(y);
  }
  /* A refused argument opens no stage. */
  struct cap c;
  cap_open(&c);
  struct dp_progress *p = dp_progress_new(c.f, 0);
  struct dp_counts *z;
  ck_assert_int_eq(dp_cooc_count_p(corp, 0, DP_WEIGHT_HARMONIC, DP_SMAT_SPARSE, p, &z),
                   GSL_EINVAL);
  dp_progress_free(p);
  cap_close(&c);
  ck_assert_uint_eq(c.len, 0);
  free(c.buf);
  dp_corpus_free(corp);
}
END_TEST

START_TEST(test_out_of_memory)
{
  struct dp_progress *p = NULL;
  INJECT((dp_err_clear(), p = dp_progress_new(stderr, 0)),
         p == NULL && strcmp(dp_err_reason(), "dp_progress_new: out of memory") == 0);
  ck_assert_ptr_nonnull(p);
  dp_progress_free(p);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("progress");
  TCase *tc = tcase_create("forms");
  tcase_add_test(tc, test_log_lines);
  tcase_add_test(tc, test_tty);
  tcase_add_test(tc, test_silent);
  suite_add_tcase(s, tc);
  tc = tcase_create("wrapped readers");
  tcase_add_test(tc, test_read_same);
  tcase_add_test(tc, test_count_same);
  suite_add_tcase(s, tc);
  tc = tcase_create("errors");
  tcase_add_test(tc, test_out_of_memory);
  suite_add_tcase(s, tc);
  return s;
}
