/* atomic.c: the one atomic file writer (atomic.h).
 *
 * The bytes go through a stdio stream on the descriptor of a temporary file made by mkstemp
 * beside the target, so that the rename that ends the write stays in one file system.  The
 * stream's buffer is allocated and checked here (setvbuf), and the directory's name for its
 * fsync is kept on the stack, so that every allocation of a write is one whose failure fails
 * it: none is silently done without.  Every error is one line naming the target, recorded
 * through DP_ERROR. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "atomic.h"
#include "err.h"

/* The stream's buffer: large enough that a writer of small records makes few write(2)s. */
#define DP_ATOMIC_BUFSIZE 65536

static const char tmp_suffix[] = ".tmpXXXXXX";

/* fsync the directory that holds path, so that the rename itself is durable.  Best effort:
 * a directory that cannot be opened or synced does not undo a write that is complete. */
static void sync_dir(const char *path)
{
  char dir[PATH_MAX];
  const char *slash = strrchr(path, '/');
  size_t dl = slash == NULL || slash == path ? 1 : (size_t)(slash - path);
  if (dl >= sizeof dir)
    return;
  memcpy(dir, slash == NULL ? "." : path, dl);
  dir[dl] = '\0';
  int dfd = open(dir, O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    (void)fsync(dfd);
    close(dfd);
  }
}

int dp_atomic_write(const char *path, int (*fill)(FILE *f, const void *ctx), const void *ctx)
{
  if (path == NULL || path[0] == '\0')
    return DP_ERROR(GSL_EINVAL, "atomic write: no file name given");
  size_t plen = strlen(path);
  if (path[plen - 1] == '/')
    return DP_ERROR(GSL_EINVAL, "%s: is a directory name, not a file", path);
  if (fill == NULL)
    return DP_ERROR(GSL_EINVAL, "%s: atomic write needs a fill function", path);
  char *tmp = malloc(plen + sizeof tmp_suffix);
  char *buf = malloc(DP_ATOMIC_BUFSIZE);
  if (tmp == NULL || buf == NULL) {
    free(tmp);
    free(buf);
    return DP_ERROR(GSL_ENOMEM, "%s: out of memory for the temporary file", path);
  }
  memcpy(tmp, path, plen);
  memcpy(tmp + plen, tmp_suffix, sizeof tmp_suffix);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    int e = errno;
    free(tmp);
    free(buf);
    return DP_ERROR(GSL_EFAILED, "%s: cannot create a temporary file beside it: %s", path,
                    strerror(e));
  }

  /* mkstemp makes the file 0600; these are ordinary files: 0666 less the umask. */
  mode_t mask = umask(0);
  umask(mask);
  FILE *f = NULL;
  const char *step = NULL;
  int e = 0, status = GSL_SUCCESS, werr = 0;
  if (fchmod(fd, (mode_t)0666 & ~mask) != 0) {
    step = "chmod";
    e = errno;
  } else if ((f = fdopen(fd, "w")) == NULL) {
    step = "fdopen";
    e = errno;
  } else if (setvbuf(f, buf, _IOFBF, DP_ATOMIC_BUFSIZE) != 0) {
    step = "setvbuf";
    e = errno != 0 ? errno : EINVAL;
  }
  if (step == NULL) {
    /* a reason in the channel after a failed fill is then the fill's own */
    dp_err_clear();
    errno = 0;
    status = fill(f, ctx);
    if (ferror(f))
      werr = errno != 0 ? errno : EIO;
    if (status == GSL_SUCCESS) {
      if (fflush(f) != 0) {
        step = "write";
        e = errno;
      } else if (werr != 0) {
        step = "write";
        e = werr;
      } else if (fsync(fileno(f)) != 0) {
        step = "fsync";
        e = errno;
      }
    }
  }
  if (f != NULL ? fclose(f) != 0 : close(fd) != 0) {
    if (step == NULL && status == GSL_SUCCESS) {
      step = "close";
      e = errno;
    }
  }
  free(buf);
  if (step == NULL && status == GSL_SUCCESS && rename(tmp, path) != 0) {
    step = "rename";
    e = errno;
  }
  if (step != NULL || status != GSL_SUCCESS)
    unlink(tmp);
  free(tmp);

  if (status != GSL_SUCCESS) {
    if (dp_err_reason()[0] != '\0')
      return DP_ERROR(status, "%s: not written: %s", path, dp_err_reason());
    if (werr != 0)
      return DP_ERROR(status, "%s: not written: write failed: %s", path, strerror(werr));
    return DP_ERROR(status, "%s: not written: %s", path, gsl_strerror(status));
  }
  if (step != NULL) {
    if (e == ENOMEM)
      return DP_ERROR(GSL_ENOMEM, "%s: not written: out of memory (%s)", path, step);
    return DP_ERROR(GSL_EFAILED, "%s: not written: %s failed: %s", path, step, strerror(e));
  }
  sync_dir(path);
  return GSL_SUCCESS;
}
