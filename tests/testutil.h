/* testutil.h: what several Check programs share: matrices from row-major arrays, a closeness
 * assertion in units of DBL_EPSILON, and the loop that fails each allocation of a call in turn
 * (with the allocator of alloc_fail.c). */
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

/* The suite of a Check program, run by the one main (check_main.c). */
#include <check.h>
Suite *dp_test_suite(void);
/* A program's own arguments, if it has any: an exit status, or -1 to run the suite. */
int dp_test_args(int argc, char **argv);

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

/* Run `body` with its k-th allocation failing (alloc_fail.c), k = 0, 1, ... until a run
 * makes no k-th allocation; every run in which an allocation failed must have failed the call
 * (`failed`, evaluated after it). */
#define INJECT(body, failed)                                                                  \
  do {                                                                                        \
    long k_ = 0;                                                                              \
    for (;; k_++) {                                                                           \
      alloc_arm(k_);                                                                          \
      body;                                                                                   \
      if (!alloc_disarm())                                                                    \
        break;                                                                                \
      ck_assert_msg(failed, "allocation %ld of %s did not fail the call", k_, #body);         \
    }                                                                                         \
    ck_assert_int_gt(k_, 0);                                                                  \
  } while (0)

/* The allocator that fails on request (alloc_fail.c, linked into the programs that use it):
 * the k-th allocation after alloc_arm(k), counted from 0, returns NULL once; alloc_disarm()
 * stops it and returns whether that allocation happened. */
void alloc_arm(long k);
int alloc_disarm(void);

#ifdef DP_CLAIM_H
/* Run claim c with a planted fault on trials generated instances of sizes R_max x V_max (no
 * corpus, no rows, no evidence), shrinking the first counterexample: the runner must FAIL it
 * and give at least one counterexample.  *res is the caller's to free. */
static inline void run_planted(const struct dp_claim *c, unsigned trials, size_t R_max,
                               size_t V_max, struct dp_result *res)
{
  struct dp_claim bad = *c;
  bad.cases = NULL;
  bad.evidence = NULL;
  struct dp_run_opts o = {0};
  o.master = DP_SEED_DEFAULT;
  o.trials = trials;
  o.sizes.R_max = R_max;
  o.sizes.V_max = V_max;
  o.shrink = 1;
  o.max_cex = 1;
  o.env.window = 5;
  ck_assert_int_eq(dp_run_claim(&bad, &o, res), GSL_SUCCESS);
  ck_assert_int_eq(res->verdict, DP_FAIL);
  ck_assert_uint_ge(res->ncex, 1);
}

/* Call claim c's case rows as the runner does, outside a run: a context of the default
 * master seed, the claim's own trial count, sizes 64 x 200 and a cache of its own. */
static inline int run_cases(const struct dp_claim *c, const struct dp_env *env,
                            struct dp_case_row *rows, size_t max, size_t *n)
{
  const struct dp_sizes sz = {64, 200, 0};
  struct dp_ctx ctx;
  int st = dp_ctx_init(&ctx, c, DP_SEED_DEFAULT, c->trials, &sz, env, NULL);
  if (st == GSL_SUCCESS)
    st = c->cases(&ctx, rows, max, n);
  dp_ctx_done(&ctx);
  return st;
}

/* Call claim c's evidence hook as the runner does for a run with options o. */
static inline int run_evidence(const struct dp_claim *c, const struct dp_run_opts *o,
                               struct dp_evidence *x)
{
  struct dp_ctx ctx;
  int st = dp_ctx_init(&ctx, c, o->master, o->trials ? o->trials : c->trials, &o->sizes,
                       &o->env, NULL);
  if (st == GSL_SUCCESS)
    st = c->evidence(&ctx, x);
  dp_ctx_done(&ctx);
  return st;
}
#endif

#endif
