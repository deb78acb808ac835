/* args.h: the engine's argument checks, private to src/engine.
 *
 * Every engine function checks its arguments on entry and, on a bad one, returns a GSL
 * status with the reason recorded through DP_ERROR (err.h), naming the function (`who`) and
 * the argument.  The checks that recur across the modules live here once: a matrix of a
 * given shape, a sequence of tokens below V, and the early return on a failed check.  Each
 * check is a macro over a function that takes the caller's __FILE__ and __LINE__, so the
 * recorded "file:line: reason" points at the function that was called with the bad
 * argument, as a DP_ERROR written there would. */
#ifndef DP_ARGS_H
#define DP_ARGS_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>

/* GSL_SUCCESS when X is a non-NULL r x c matrix; else GSL_EFAULT ("who: name is NULL") or
 * GSL_EBADLEN ("who: name is m x n, expected r x c"). */
#define dp_args_shape(who, name, X, r, c) dp_args_shape_at(__FILE__, __LINE__, who, name, X, r, c)
int dp_args_shape_at(const char *file, int line, const char *who, const char *name,
                     const gsl_matrix *X, size_t r, size_t c);
/* GSL_SUCCESS when the R tokens t[0..R-1] (t may be NULL only when R = 0) are all < V; else
 * GSL_EFAULT ("who: token array name is NULL") or GSL_EINVAL ("who: token name[i] = x out
 * of range (V = V)") for the first one that is not. */
#define dp_args_tokens(who, name, t, R, V) dp_args_tokens_at(__FILE__, __LINE__, who, name, t, R, V)
int dp_args_tokens_at(const char *file, int line, const char *who, const char *name,
                      const size_t *t, size_t R, size_t V);
/* A sequence t of R >= 1 tokens over a vocabulary of V >= 1 words: GSL_EBADLEN ("who: R = ..
 * and V = .. must be positive") when either is 0, else dp_args_tokens(who, "t", t, R, V). */
#define dp_args_sequence(who, t, R, V) dp_args_sequence_at(__FILE__, __LINE__, who, t, R, V)
int dp_args_sequence_at(const char *file, int line, const char *who, const size_t *t, size_t R,
                        size_t V);

/* Return the status of expr from the calling function unless it is GSL_SUCCESS. */
#define DP_TRY(expr)                                                                           \
  do {                                                                                         \
    int dp_try_status_ = (expr);                                                               \
    if (dp_try_status_ != GSL_SUCCESS)                                                         \
      return dp_try_status_;                                                                   \
  } while (0)

#endif
