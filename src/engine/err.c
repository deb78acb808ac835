/* err.c: the engine's error channel.
 *
 * GSL's default error handler aborts the process, which would end a whole verification run
 * at the first singular matrix or failed allocation.  This module installs a handler that
 * records the most recent error as one line, "file:line: reason", in a static buffer, and
 * gives dpcheck's own errors (DP_ERROR) the same channel, so that every check can turn a
 * failure into an ERROR verdict with its reason and the run goes on.  It serves no claim by
 * itself; it is what lets every claim report an error instead of crashing.
 * Single-threaded: one buffer for the process. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

/* Long enough for a path, a line number and a sentence; longer messages are truncated. */
#define DP_ERR_BUFSIZE 1024

static char dp_err_buf[DP_ERR_BUFSIZE];
/* Where the reason starts in dp_err_buf, after "file:line: ". */
static size_t dp_err_at;

/* Keep the record on one line: a newline or other control character becomes a space. */
static void dp_err_one_line(char *s)
{
  for (; *s != '\0'; ++s)
    if ((unsigned char)*s < 0x20 || *s == 0x7f)
      *s = ' ';
}

static void dp_err_handler(const char *reason, const char *file, int line, int gsl_errno)
{
  (void)gsl_errno;
  int k = snprintf(dp_err_buf, sizeof dp_err_buf, "%s:%d: ", file != NULL ? file : "?", line);
  dp_err_at = k < 0 ? 0 : (size_t)k < sizeof dp_err_buf ? (size_t)k : sizeof dp_err_buf - 1;
  snprintf(dp_err_buf + dp_err_at, sizeof dp_err_buf - dp_err_at, "%s",
           reason != NULL ? reason : "(no reason given)");
  dp_err_one_line(dp_err_buf);
}

gsl_error_handler_t *dp_err_install(void) { return gsl_set_error_handler(&dp_err_handler); }

int dp_err_set(int status, const char *file, int line, const char *fmt, ...)
{
  /* formatted into a buffer of its own first: an argument may be the record itself (a
   * reason passed on with the file's name in front, dp_err_reason()), which must not be
   * overwritten while it is read */
  char msg[DP_ERR_BUFSIZE];
  int k = snprintf(msg, sizeof msg, "%s:%d: ", file != NULL ? file : "?", line);
  if (k < 0)
    k = 0;
  if ((size_t)k >= sizeof msg)
    k = (int)sizeof msg - 1;
  msg[k] = '\0';
  if (fmt != NULL) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + k, sizeof msg - (size_t)k, fmt, ap);
    va_end(ap);
  }
  memcpy(dp_err_buf, msg, sizeof msg);
  dp_err_at = (size_t)k;
  dp_err_one_line(dp_err_buf);
  return status;
}

const char *dp_err_last(void) { return dp_err_buf; }

const char *dp_err_reason(void)
{
  return dp_err_buf[0] != '\0' ? dp_err_buf + dp_err_at : dp_err_buf;
}

void dp_err_clear(void)
{
  dp_err_buf[0] = '\0';
  dp_err_at = 0;
}

int dp_alloc_ok(const char *who, size_t n, void *const *p)
{
  for (size_t i = 0; i < n; i++)
    if (!p[i])
      return DP_ERROR(GSL_ENOMEM, "%s: out of memory", who);
  return GSL_SUCCESS;
}
