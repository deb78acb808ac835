/* check_atomic.c: unit tests of atomic, the one atomic file writer (dp_atomic_write).
 *
 * What a fill writes arrives byte for byte, across the stream's buffer too; the file gets
 * 0666 less the umask; a fill that fails passes its status on with its reason and the file's
 * name, and leaves no file where there was none, an old file byte for byte as it was, and no
 * temporary file; so does a write that the file system refuses midway (the file size limit,
 * EFBIG); bad arguments are refused before anything is created; every allocation fails the
 * call in turn (INJECT).  Files live in a fresh directory under /tmp (mkdtemp). */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "atomic.h"
#include "err.h"
#include "testutil.h"
#include "tmpdir.h"

/* ---------------------------------------------------------------------------------------
 * Helpers */

static void spit(const char *p, const char *s)
{
  FILE *f = fopen(p, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite(s, 1, strlen(s), f), strlen(s));
  ck_assert_int_eq(fclose(f), 0);
}

/* The bytes of a file (malloc'd, NUL-added), *n its length. */
static char *slurp(const char *p, size_t *n)
{
  FILE *f = fopen(p, "rb");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
  long len = ftell(f);
  ck_assert_int_ge(len, 0);
  rewind(f);
  char *b = malloc((size_t)len + 1);
  ck_assert_ptr_nonnull(b);
  *n = fread(b, 1, (size_t)len, f);
  b[*n] = '\0';
  fclose(f);
  return b;
}

/* p holds exactly the string s. */
static void ck_holds(const char *p, const char *s)
{
  size_t n;
  char *b = slurp(p, &n);
  ck_assert_uint_eq(n, strlen(s));
  ck_assert_str_eq(b, s);
  free(b);
}

/* What a fill writes and how it ends: n bytes of bytes, then status (with reason, when
 * given, recorded through DP_ERROR). */
struct job {
  const char *bytes;
  size_t n;
  int status;
  const char *reason;
};

static int fill_job(FILE *f, const void *ctx)
{
  const struct job *j = ctx;
  fwrite(j->bytes, 1, j->n, f);
  if (j->status != GSL_SUCCESS && j->reason != NULL)
    return DP_ERROR(j->status, "%s", j->reason);
  return j->status;
}

/* A fill that says the stream failed when it did, and records no reason of its own. */
static int fill_checks_stream(FILE *f, const void *ctx)
{
  const struct job *j = ctx;
  fwrite(j->bytes, 1, j->n, f);
  return ferror(f) ? GSL_EFAILED : GSL_SUCCESS;
}

/* n bytes of a fixed pattern, every byte value present, not periodic in the buffer's size. */
static char *pattern(size_t n)
{
  char *b = malloc(n + 1);
  ck_assert_ptr_nonnull(b);
  for (size_t i = 0; i < n; i++)
    b[i] = (char)((i * 7 + i / 251) & 0xff);
  b[n] = '\0';
  return b;
}

/* ---------------------------------------------------------------------------------------
 * Writes that succeed */

START_TEST(test_write)
{
  dir_make();
  const char *p = at("a.txt");
  struct job j = {"hello\n", 6, GSL_SUCCESS, NULL};
  ck_assert_int_eq(dp_atomic_write(p, fill_job, &j), GSL_SUCCESS);
  ck_holds(p, "hello\n");
  /* over an existing file, shorter: the old bytes are gone, not overwritten in place */
  struct job k = {"hi\n", 3, GSL_SUCCESS, NULL};
  ck_assert_int_eq(dp_atomic_write(p, fill_job, &k), GSL_SUCCESS);
  ck_holds(p, "hi\n");
  /* an empty fill gives an empty file */
  struct job e = {"", 0, GSL_SUCCESS, NULL};
  ck_assert_int_eq(dp_atomic_write(at("empty"), fill_job, &e), GSL_SUCCESS);
  ck_holds(at("empty"), "");
  /* more than the stream's buffer holds, byte for byte (NULs included) */
  const size_t n = 200003;
  char *big = pattern(n);
  struct job b = {big, n, GSL_SUCCESS, NULL};
  ck_assert_int_eq(dp_atomic_write(at("big.bin"), fill_job, &b), GSL_SUCCESS);
  size_t got;
  char *back = slurp(at("big.bin"), &got);
  ck_assert_uint_eq(got, n);
  ck_assert_int_eq(memcmp(back, big, n), 0);
  free(back);
  free(big);
  ck_assert_uint_eq(dir_count(), 3); /* a.txt, empty, big.bin: no temporary left */
  dir_remove();
}
END_TEST

START_TEST(test_mode)
{
  dir_make();
  static const mode_t masks[] = {022, 027, 077, 0};
  mode_t old = umask(022);
  for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++) {
    umask(masks[i]);
    char name[16];
    snprintf(name, sizeof name, "m%zu", i);
    const char *p = at(name);
    struct job j = {"x", 1, GSL_SUCCESS, NULL};
    ck_assert_int_eq(dp_atomic_write(p, fill_job, &j), GSL_SUCCESS);
    struct stat st;
    ck_assert_int_eq(stat(p, &st), 0);
    ck_assert_msg((st.st_mode & 07777) == (0666 & ~masks[i]), "umask %03o: mode %03o",
                  (unsigned)masks[i], (unsigned)(st.st_mode & 07777));
    ck_assert(S_ISREG(st.st_mode));
  }
  umask(old);
  dir_remove();
}
END_TEST

START_TEST(test_relative)
{
  /* a bare name goes to the current directory (whose fsync is ".") */
  dir_make();
  char cwd[512];
  ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
  ck_assert_int_eq(chdir(dir), 0);
  struct job j = {"bare\n", 5, GSL_SUCCESS, NULL};
  int st = dp_atomic_write("bare.txt", fill_job, &j);
  ck_assert_int_eq(chdir(cwd), 0);
  ck_assert_int_eq(st, GSL_SUCCESS);
  ck_holds(at("bare.txt"), "bare\n");
  ck_assert_uint_eq(dir_count(), 1);
  dir_remove();
}
END_TEST

/* ---------------------------------------------------------------------------------------
 * Failures leave no file, no temporary, and an old file as it was */

START_TEST(test_fill_fails)
{
  dir_make();
  /* where there was no file, none appears; the fill's status and reason are passed on */
  const char *p = at("new.json");
  struct job j = {"half a file", 11, GSL_EDOM, "the fill's own reason"};
  dp_err_clear();
  ck_err(dp_atomic_write(p, fill_job, &j), GSL_EDOM, p, "not written: the fill's own reason");
  ck_assert(!exists(p));
  ck_assert_uint_eq(dir_count(), 0);
  /* an old file is untouched, byte for byte, and still the only entry */
  const char *q = at("keep.json");
  spit(q, "old contents\n");
  ck_err(dp_atomic_write(q, fill_job, &j), GSL_EDOM, q, "the fill's own reason");
  ck_holds(q, "old contents\n");
  ck_assert_uint_eq(dir_count(), 1);
  /* a fill that fails without a reason: GSL's name of its status, never an older error */
  DP_ERROR(GSL_EINVAL, "an earlier, unrelated error");
  struct job quiet = {"abc", 3, GSL_ENOMEM, NULL};
  ck_err(dp_atomic_write(q, fill_job, &quiet), GSL_ENOMEM, q, gsl_strerror(GSL_ENOMEM));
  ck_assert_ptr_null(strstr(dp_err_reason(), "earlier"));
  ck_holds(q, "old contents\n");
  ck_assert_uint_eq(dir_count(), 1);
  dir_remove();
}
END_TEST

/* Run f(path, ctx) under a file size limit of `limit` bytes, SIGXFSZ ignored (so that
 * write(2) fails with EFBIG instead of killing the process); both restored after. */
static int under_limit(rlim_t limit, const char *path, int (*fill)(FILE *, const void *),
                       const void *ctx)
{
  struct rlimit old, lim;
  ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
  lim = old;
  lim.rlim_cur = limit;
  struct sigaction ign, prev;
  memset(&ign, 0, sizeof ign);
  ign.sa_handler = SIG_IGN;
  ck_assert_int_eq(sigaction(SIGXFSZ, &ign, &prev), 0);
  ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
  int st = dp_atomic_write(path, fill, ctx);
  ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
  ck_assert_int_eq(sigaction(SIGXFSZ, &prev, NULL), 0);
  return st;
}

START_TEST(test_write_fails)
{
  dir_make();
  const char *p = at("target");
  spit(p, "old contents\n");
  const char *efbig = strerror(EFBIG);
  char *big = pattern(200000);
  /* the limit met while the fill writes (a full buffer is written out) */
  struct job j = {big, 200000, GSL_SUCCESS, NULL};
  ck_err(under_limit(4096, p, fill_job, &j), GSL_EFAILED, p, "write failed");
  ck_assert_msg(strstr(dp_err_reason(), efbig) != NULL, "'%s'", dp_err_reason());
  ck_holds(p, "old contents\n");
  ck_assert_uint_eq(dir_count(), 1);
  /* the limit met only by the final flush */
  struct job s = {big, 8000, GSL_SUCCESS, NULL};
  ck_err(under_limit(4096, p, fill_job, &s), GSL_EFAILED, p, "write failed");
  ck_assert_msg(strstr(dp_err_reason(), efbig) != NULL, "'%s'", dp_err_reason());
  ck_holds(p, "old contents\n");
  ck_assert_uint_eq(dir_count(), 1);
  /* a fill that sees the stream fail and says so, without a reason: the write's */
  ck_err(under_limit(4096, p, fill_checks_stream, &j), GSL_EFAILED, p, efbig);
  ck_holds(p, "old contents\n");
  ck_assert_uint_eq(dir_count(), 1);
  /* and under the limit the same call writes */
  struct job ok = {big, 4000, GSL_SUCCESS, NULL};
  ck_assert_int_eq(under_limit(4096, p, fill_job, &ok), GSL_SUCCESS);
  size_t n;
  char *back = slurp(p, &n);
  ck_assert_uint_eq(n, 4000);
  ck_assert_int_eq(memcmp(back, big, n), 0);
  free(back);
  free(big);
  dir_remove();
}
END_TEST

START_TEST(test_bad_paths)
{
  dir_make();
  struct job j = {"x", 1, GSL_SUCCESS, NULL};
  ck_assert_int_eq(dp_atomic_write(NULL, fill_job, &j), GSL_EINVAL);
  ck_assert_int_eq(dp_atomic_write("", fill_job, &j), GSL_EINVAL);
  const char *p = at("y");
  ck_err(dp_atomic_write(p, NULL, &j), GSL_EINVAL, p, "fill function");
  char slash[300];
  snprintf(slash, sizeof slash, "%s/", dir);
  ck_err(dp_atomic_write(slash, fill_job, &j), GSL_EINVAL, slash, "is a directory name");
  /* a directory that does not exist */
  const char *q = at("no/such/dir/x");
  ck_err(dp_atomic_write(q, fill_job, &j), GSL_EFAILED, q,
         "cannot create a temporary file beside it");
  ck_assert_uint_eq(dir_count(), 0);
  /* a directory where the file should go: the rename fails, the temporary is removed */
  const char *d = at("adir");
  ck_assert_int_eq(mkdir(d, 0755), 0);
  ck_err(dp_atomic_write(d, fill_job, &j), GSL_EFAILED, d, "rename failed");
  ck_assert_uint_eq(dir_count(), 1);
  struct stat st;
  ck_assert_int_eq(stat(d, &st), 0);
  ck_assert(S_ISDIR(st.st_mode));
  dir_remove();
}
END_TEST

/* ---------------------------------------------------------------------------------------
 * Allocation failures */

START_TEST(test_out_of_memory)
{
  dir_make();
  const char *p = at("new"), *q = at("keep");
  spit(q, "old contents\n");
  struct job j = {"fresh\n", 6, GSL_SUCCESS, NULL};
  int st;
  INJECT((unlink(p), st = dp_atomic_write(p, fill_job, &j)),
         st != GSL_SUCCESS && !exists(p) && dir_count() == 1);
  ck_holds(p, "fresh\n"); /* the run with no failure wrote it */
  ck_assert_int_eq(unlink(p), 0);
  size_t n;
  char *b = NULL;
  INJECT((st = dp_atomic_write(q, fill_job, &j)),
         st != GSL_SUCCESS && (b = slurp(q, &n), strcmp(b, "old contents\n") == 0) &&
             (free(b), dir_count() == 1));
  ck_holds(q, "fresh\n");
  dir_remove();
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("atomic");
  TCase *tc = tcase_create("writes");
  tcase_add_test(tc, test_write);
  tcase_add_test(tc, test_mode);
  tcase_add_test(tc, test_relative);
  suite_add_tcase(s, tc);
  tc = tcase_create("failures");
  tcase_add_test(tc, test_fill_fails);
  tcase_add_test(tc, test_write_fails);
  tcase_add_test(tc, test_bad_paths);
  tcase_add_test(tc, test_out_of_memory);
  suite_add_tcase(s, tc);
  return s;
}
