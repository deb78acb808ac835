/* testutil.h: what several Check programs share: matrices from row-major arrays, a closeness
 * assertion in units of DBL_EPSILON, and the loop that fails each allocation check of a call
 * in turn (the engine's counted check, see attn.h). */
#ifndef DP_TESTUTIL_H
#define DP_TESTUTIL_H

#include <check.h>
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <gsl/gsl_matrix.h>

#define ck_assert_near(x, want, k)                                                              \
  ck_assert_msg(fabs((x) - (want)) <= (k) * DBL_EPSILON * fmax(1.0, fabs(want)),              \
                "%s = %.17g, expected %.17g", #x, (double)(x), (double)(want))

/* An m x n matrix from a row-major array. */
static inline gsl_matrix *mat(size_t m, size_t n, const double *a)
{
  gsl_matrix *A = gsl_matrix_alloc(m, n);
  for (size_t i = 0; i < m; i++)
    for (size_t j = 0; j < n; j++)
      gsl_matrix_set(A, i, j, a[i * n + j]);
  return A;
}

/* diag(d_0, ..., d_{n-1}). */
static inline gsl_matrix *diag(size_t n, const double *d)
{
  gsl_matrix *A = gsl_matrix_calloc(n, n);
  for (size_t i = 0; i < n; i++)
    gsl_matrix_set(A, i, i, d[i]);
  return A;
}

/* Run `body` with the n-th allocation check failing, n = 1, 2, ... until a run does not
 * reach the n-th check; every run that did must have failed (`failed` evaluated after it). */
#define INJECT(body, failed)                                                                  \
  do {                                                                                        \
    unsigned n_ = 1;                                                                          \
    for (;; n_++) {                                                                           \
      dp_attn_fail_alloc = n_;                                                                \
      body;                                                                                   \
      int fired_ = dp_attn_fail_alloc == 0;                                                   \
      dp_attn_fail_alloc = 0;                                                                 \
      if (!fired_)                                                                            \
        break;                                                                                \
      ck_assert_msg(failed, "allocation check %u of %s did not fail the call", n_, #body);    \
    }                                                                                         \
    ck_assert_uint_gt(n_, 1);                                                                 \
  } while (0)

/* The allocator that fails on request (alloc_fail.c, linked into the programs that use it):
 * the k-th allocation after alloc_arm(k), counted from 0, returns NULL once; alloc_disarm()
 * stops it and returns whether that allocation happened. */
void alloc_arm(long k);
int alloc_disarm(void);

#endif
