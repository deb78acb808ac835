/* files.c: files and directories of the report.  Every file is written through the engine's
 * atomic writer (atomic.h): its bytes go to a temporary file beside it, which is flushed,
 * fsync-ed and renamed over the target, and the directory is fsync-ed; so a reader sees the
 * old file or the new one, never half of one, and a failed fill leaves the old file
 * untouched.  Here too are the directory of a whole report (created like mkdir -p), the paths
 * of its files, and dp_report_write, which writes all of them. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "config.h"

#include <errno.h>
#include <unistd.h>
#include <dirent.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <gsl/gsl_errno.h>

#include "atomic.h"
#include "err.h"
#include "report.h"
#include "report_int.h"

int dp_report_atomic_run(const char *path, int (*fill)(FILE *f, const void *ctx),
                         const struct dp_run *run)
{
  int status = dp_report_check_run(run, path != NULL ? path : "report");
  if (status != GSL_SUCCESS)
    return status;
  return dp_atomic_write(path, fill, run);
}

char *dp_report_path_join(const char *dir, const char *name, const char *ext)
{
  size_t dl = strlen(dir), nl = strlen(name), el = strlen(ext);
  while (dl > 1 && dir[dl - 1] == '/')
    dl--;
  char *p = malloc(dl + 1 + nl + el + 1);
  if (p == NULL)
    return NULL;
  memcpy(p, dir, dl);
  size_t k = dl;
  if (!(dl == 1 && dir[0] == '/'))
    p[k++] = '/';
  memcpy(p + k, name, nl);
  memcpy(p + k + nl, ext, el + 1);
  return p;
}

/* mkdir -p, mode 0755 (less the umask). */
static int mkdir_p(const char *dir)
{
  size_t n = strlen(dir);
  char *p = malloc(n + 1);
  if (p == NULL)
    return DP_ERROR(GSL_ENOMEM, "%s: out of memory", dir);
  memcpy(p, dir, n + 1);
  for (size_t i = 1; i <= n; i++) {
    if (p[i] != '/' && p[i] != '\0')
      continue;
    if (p[i - 1] == '/')
      continue;
    char ch = p[i];
    p[i] = '\0';
    if (mkdir(p, 0755) != 0 && errno != EEXIST) {
      int e = errno;
      int status = DP_ERROR(GSL_EFAILED, "%s: cannot create directory %s: %s", dir, p,
                            strerror(e));
      free(p);
      return status;
    }
    p[i] = ch;
  }
  free(p);
  struct stat st;
  if (stat(dir, &st) != 0)
    return DP_ERROR(GSL_EFAILED, "%s: %s", dir, strerror(errno));
  if (!S_ISDIR(st.st_mode))
    return DP_ERROR(GSL_EFAILED, "%s: not a directory", dir);
  return GSL_SUCCESS;
}

/* Is name a per-claim TSV ("C07.tsv") of a claim not in run, or a screenshot `make page-check`
 * took of an earlier page?  Only those exact names are touched: whatever else a user keeps in
 * the directory stays. */
static int stale_tsv(const struct dp_run *run, const char *name)
{
  /* the page-check screenshots picture the page they were taken of, an earlier run's */
  if (strcmp(name, "page-1400.png") == 0 || strcmp(name, "page-800.png") == 0)
    return 1;
  if (strlen(name) != 7 || name[0] != 'C' || !isdigit((unsigned char)name[1]) ||
      !isdigit((unsigned char)name[2]) || strcmp(name + 3, ".tsv") != 0)
    return 0;
  for (size_t i = 0; i < run->nres; i++)
    if (strncmp(run->res[i].claim->id, name, 3) == 0 && run->res[i].claim->id[3] == '\0')
      return 0;
  return 1;
}

/* Remove the per-claim TSVs an earlier run left for claims this run did not check, so the
 * directory holds one run only (its JSON and page are replaced whole). */
static int remove_stale(const struct dp_run *run, const char *dir)
{
  DIR *d = opendir(dir);
  if (d == NULL)
    return DP_ERROR(GSL_EFAILED, "%s: %s", dir, strerror(errno));
  int status = GSL_SUCCESS;
  struct dirent *e;
  while (status == GSL_SUCCESS && (e = readdir(d)) != NULL) {
    if (!stale_tsv(run, e->d_name))
      continue;
    char *path = dp_report_path_join(dir, e->d_name, "");
    if (path == NULL)
      status = DP_ERROR(GSL_ENOMEM, "%s: out of memory for a file name", dir);
    else if (unlink(path) != 0 && errno != ENOENT)
      status = DP_ERROR(GSL_EFAILED, "%s: cannot remove the stale %s: %s", dir, e->d_name,
                        strerror(errno));
    free(path);
  }
  closedir(d);
  return status;
}

int dp_report_write(const struct dp_run *run, const char *dir)
{
  if (dir == NULL || dir[0] == '\0')
    return DP_ERROR(GSL_EINVAL, "report: no directory given");
  int status = dp_report_check_run(run, dir);
  if (status == GSL_SUCCESS)
    status = mkdir_p(dir);
  if (status == GSL_SUCCESS)
    status = dp_report_tsv(run, dir);
  const char *names[2] = { "residuals", "index" }, *exts[2] = { ".json", ".html" };
  for (int k = 0; k < 2 && status == GSL_SUCCESS; k++) {
    char *path = dp_report_path_join(dir, names[k], exts[k]);
    if (path == NULL)
      return DP_ERROR(GSL_ENOMEM, "%s: out of memory for a file name", dir);
    status = k == 0 ? dp_report_json(run, path) : dp_report_html(run, path);
    free(path);
  }
  if (status == GSL_SUCCESS)
    status = remove_stale(run, dir);
  return status;
}
