/* err.h: the engine's error model.
 *
 * GSL's default error handler aborts the process.  dpcheck installs one that records the
 * reason, file and line of the most recent error instead, so a check that meets a GSL error
 * turns it into an ERROR verdict with that reason, and the run goes on to the next instance.
 * Engine functions return a GSL status (GSL_SUCCESS, GSL_ENOMEM, GSL_EINVAL, ...). */
#ifndef DP_ERR_H
#define DP_ERR_H

#include <stddef.h>
#include <gsl/gsl_errno.h>

/* Install the recording handler; returns the previous one. */
gsl_error_handler_t *dp_err_install(void);
/* Record an error of dpcheck's own (same channel as GSL's); returns status. */
int dp_err_set(int status, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The last recorded error as one line ("file:line: reason"), or "" when none. */
const char *dp_err_last(void);
/* The same without the source location: what a user is shown ("" when none). */
const char *dp_err_reason(void);
void dp_err_clear(void);

#define DP_ERROR(status, ...) dp_err_set((status), __FILE__, __LINE__, __VA_ARGS__)

/* The one allocation check: GSL_SUCCESS when none of the n pointers p[0..n-1] is NULL, else
 * GSL_ENOMEM recorded as "who: out of memory" (the caller frees what was allocated on its
 * error path, as usual).  Every allocation of the engine, the families and the claims is
 * checked, inline or here; the tests make each one fail in turn with a malloc that fails on
 * request, so no production code carries a fault-injection switch. */
int dp_alloc_ok(const char *who, size_t n, void *const *p);

#endif
