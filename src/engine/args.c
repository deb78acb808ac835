/* args.c: the argument checks every engine module shares (args.h): a matrix of a given shape,
 * tokens below V, a non-empty sequence.  Each records its reason through the engine's error
 * channel (dp_err_set, the function behind DP_ERROR) at the caller's file and line, naming
 * the calling function and the argument, and returns the GSL status the caller passes on. */
#include "args.h"
#include "err.h"

int dp_args_shape_at(const char *file, int line, const char *who, const char *name,
                     const gsl_matrix *X, size_t r, size_t c)
{
  if (X == NULL)
    return dp_err_set(GSL_EFAULT, file, line, "%s: %s is NULL", who, name);
  if (X->size1 != r || X->size2 != c)
    return dp_err_set(GSL_EBADLEN, file, line, "%s: %s is %zu x %zu, expected %zu x %zu", who,
                      name, X->size1, X->size2, r, c);
  return GSL_SUCCESS;
}

int dp_args_tokens_at(const char *file, int line, const char *who, const char *name,
                      const size_t *t, size_t R, size_t V)
{
  if (t == NULL && R > 0)
    return dp_err_set(GSL_EFAULT, file, line, "%s: token array %s is NULL", who, name);
  for (size_t i = 0; i < R; i++)
    if (t[i] >= V)
      return dp_err_set(GSL_EINVAL, file, line, "%s: token %s[%zu] = %zu out of range (V = %zu)",
                        who, name, i, t[i], V);
  return GSL_SUCCESS;
}

int dp_args_sequence_at(const char *file, int line, const char *who, const size_t *t, size_t R,
                        size_t V)
{
  if (R == 0 || V == 0)
    return dp_err_set(GSL_EBADLEN, file, line, "%s: R = %zu and V = %zu must be positive", who,
                      R, V);
  return dp_args_tokens_at(file, line, who, "t", t, R, V);
}
