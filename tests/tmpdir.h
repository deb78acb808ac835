/* tmpdir.h: what the Check programs that write files share: one fresh directory under /tmp
 * (mkdtemp) per test, its entries counted and removed, paths in it, and the assertion that
 * the last error has its status, names a file and says its problem on one line.  Include
 * after testutil.h, in one source file only (its state is static). */
#ifndef DP_TMPDIR_H
#define DP_TMPDIR_H

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "err.h"

static char dir[64];

static void dir_make(void)
{
  strcpy(dir, "/tmp/dpcheck_files_XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* Entries of dir other than . and .. */
static size_t dir_count(void)
{
  DIR *d = opendir(dir);
  ck_assert_ptr_nonnull(d);
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
  closedir(d);
  return n;
}

/* dir and what is in it (files, and empty directories). */
static void dir_remove(void)
{
  DIR *d = opendir(dir);
  ck_assert_ptr_nonnull(d);
  struct dirent *e;
  char p[512];
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
      snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
      if (unlink(p) != 0)
        ck_assert_int_eq(rmdir(p), 0);
    }
  closedir(d);
  ck_assert_int_eq(rmdir(dir), 0);
}

/* dir/name in one of 8 rotating buffers. */
static const char *at(const char *name)
{
  static char buf[8][256];
  static int k;
  char *p = buf[k++ % 8];
  snprintf(p, 256, "%s/%s", dir, name);
  return p;
}

static int exists(const char *p) { return access(p, F_OK) == 0; }

/* The last error is status want, names path and says problem (each a substring), on one
 * line. */
#define ck_err(st, want, path, problem)                                                        \
  do {                                                                                         \
    ck_assert_int_eq((st), (want));                                                            \
    ck_assert_msg(strstr(dp_err_reason(), (path)) != NULL, "'%s' does not name %s",            \
                  dp_err_reason(), (path));                                                    \
    ck_assert_msg(strstr(dp_err_reason(), (problem)) != NULL, "'%s' does not say '%s'",        \
                  dp_err_reason(), (problem));                                                 \
    ck_assert_ptr_null(strchr(dp_err_reason(), '\n'));                                         \
  } while (0)

#endif
