/* atomic.h: the one atomic file writer.
 *
 * A file is written whole or not at all: its bytes go to a temporary file beside it
 * (path.tmpXXXXXX, mkstemp), which is flushed, fsync-ed and renamed over path, and then the
 * directory is fsync-ed (best effort).  A reader sees the old file or the new one, never half
 * of one; on any failure the temporary file is removed and an old file at path is untouched.
 * The new file has the mode of an ordinary file: 0666 less the umask.  The engine's writers
 * (io) and the report's files go through it. */
#ifndef DP_ATOMIC_H
#define DP_ATOMIC_H

#include <stdio.h>

/* Write the bytes fill(f, ctx) puts into f to path, atomically.  fill returns a GSL status;
 * a failing fill's status is returned, its reason recorded as "<path>: not written: <reason>"
 * (a fill that fails with no reason of its own after a failed write gets the write's).
 * Otherwise GSL_SUCCESS, or GSL_EINVAL (no path, a path ending in '/', no fill), GSL_ENOMEM,
 * GSL_EFAILED (the temporary file could not be created, written, synced or renamed), each
 * with a one-line reason naming path.  The error channel is cleared before fill runs.  Every
 * allocation is checked: the stream's buffer is allocated here, not by stdio. */
int dp_atomic_write(const char *path, int (*fill)(FILE *f, const void *ctx), const void *ctx);

#endif
