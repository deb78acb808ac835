/* check_pos_claims.c: the position family (src/harness/family_pos.c) and claims C14, C15.
 *
 * The family's invariants (offsets as counted, X^(-k) = X^(k)^T, the aims), shrinking, the
 * claims' skips and parts on fixed instances, a planted fault that the runner catches and
 * shrinks (an offset whose mirror is not its transpose), and the real-text rows. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_matrix.h>

#include "attn.h"
#include "claim.h"
#include "cooc.h"
#include "family_pos.h"
#include "registry.h"
#include "resid.h"
#include "seed.h"
#include "tol.h"
#include "testutil.h"

static const struct dp_sizes SZ = {64, 200, 0};

START_TEST(test_family_invariants)
{
  unsigned even = 0, premise = 0, chain = 0;
  for (unsigned i = 0; i < 80; i++) {
    uint64_t seed = dp_seed_trial(DP_SEED_DEFAULT, "X14", i);
    for (int aim = 0; aim < 2; aim++) {
      struct dp_pos_inst *x = dp_pos_inst_make(seed, &SZ, aim);
      ck_assert_ptr_nonnull(x);
      ck_assert(x->c >= 1 && x->c <= 4 && x->R >= 1 && x->V >= 1);
      for (int k = 1; k <= x->c; k++) /* every offset counted on its own */
        ck_assert_uint_eq(dp_resid_mismatch(x->Xk[x->c - k], x->Xk[x->c + k], 1, NULL), 0);
      ck_assert_uint_eq(dp_resid_mismatch(x->X, x->X, 1, NULL), 0);
      ck_assert_uint_eq(dp_resid_mismatch(x->Xl, x->Xr, 1, NULL), 0);
      if (aim == 0) {
        even += x->d % 2 == 0;
        chain += x->cmode == DP_PC_CHAIN;
      } else {
        struct dp_attn_directed s;
        ck_assert_int_eq(dp_attn_directed_shape(x->Xr, &s), GSL_SUCCESS);
        premise += s.dim <= x->d && s.rank <= x->d_k;
      }
      struct dp_pos_inst *y = dp_pos_inst_copy(x);
      ck_assert_uint_eq(dp_resid_mismatch(x->Xr, y->Xr, 0, NULL), 0);
      dp_pos_inst_free(y);
      dp_pos_inst_free(x);
    }
  }
  ck_assert_uint_ge(even, 50);    /* 3 in 4 aimed */
  ck_assert_uint_ge(premise, 50); /* 3 in 4 aimed */
  ck_assert(chain >= 20 && chain <= 60);
}
END_TEST

START_TEST(test_shrink_candidates)
{
  struct dp_pos_inst *x = dp_pos_inst_make(dp_seed_trial(DP_SEED_DEFAULT, "X14", 3), &SZ, 1);
  unsigned k = 0;
  struct dp_pos_inst *y;
  while (k < 80 && (y = dp_pos_inst_shrink(x, k++)) != NULL) {
    ck_assert(y->R >= 1 && y->V >= 1 && y->c >= 1 && y->d >= 1 && y->d_k >= 1);
    ck_assert(y->R <= x->R && y->V <= x->V && y->c <= x->c && y->d <= x->d);
    ck_assert(y->W_E->size1 == y->V && y->W_E->size2 == y->d && y->W_Q->size2 == y->d_k);
    for (size_t i = 0; i < y->R; i++)
      ck_assert_uint_lt(y->t[i], y->V);
    for (int j = 1; j <= y->c; j++)
      ck_assert_uint_eq(dp_resid_mismatch(y->Xk[y->c - j], y->Xk[y->c + j], 1, NULL), 0);
    dp_pos_inst_free(y);
  }
  ck_assert_uint_gt(k, 5);
  dp_pos_inst_free(x);
}
END_TEST

/* Measure claim `id` (or its twin) on x. */
static struct dp_outcome measure(const char *id, int twin, const struct dp_pos_inst *x)
{
  const struct dp_claim *c = dp_claim_find(id);
  struct dp_outcome o = {DP_MEASURED, NAN, "", 0, 0};
  (twin ? c->twin : c->check)(x, &o);
  return o;
}

START_TEST(test_c14_parts_and_twin)
{
  unsigned odd = 0, skipped = 0;
  for (unsigned i = 0; i < 40; i++) {
    struct dp_pos_inst *x = dp_pos_inst_make(dp_seed_trial(DP_SEED_DEFAULT, "C14", i), &SZ, 0);
    struct dp_outcome o = measure("C14", 0, x), t = measure("C14", 1, x);
    ck_assert_int_eq(o.status, DP_MEASURED);
    ck_assert_msg(o.figure <= DP_TOL_RATIO, "trial %u: %s", i, o.what);
    ck_assert_int_eq((int)((o.ran >> 0) & 1u), x->d % 2 == 0);
    odd += x->d % 2;
    if (x->R == 1) {
      ck_assert_int_eq(t.status, DP_NOT_APPLICABLE);
      skipped++;
    } else {
      ck_assert_msg(t.status == DP_MEASURED && t.figure > 1e6, "trial %u: twin %s", i, t.what);
    }
    dp_pos_inst_free(x);
  }
  ck_assert_uint_gt(odd, 0);
}
END_TEST

/* A fault planted in the counts (one entry of X^(-1) that is not X^(1)'s mirror, nor counted
 * in X) fails C14, and the runner shrinks it to a single token. */
static void *faulty_make(uint64_t seed, const struct dp_sizes *sz)
{
  struct dp_pos_inst *x = dp_pos_inst_make(seed, sz, 0);
  if (x && x->R >= 2) {
    size_t a = x->t[1], b = x->t[0]; /* M^pos_10 = X^(-1)_{t_1 t_0} */
    gsl_matrix_set(x->Xk[x->c - 1], a, b, gsl_matrix_get(x->Xk[x->c - 1], a, b) + 1.0);
  }
  return x;
}

START_TEST(test_planted_fault_shrinks)
{
  struct dp_gen g = dp_gen_pos;
  g.make = faulty_make;
  struct dp_claim c = *dp_claim_find("C14");
  c.gen = &g;
  struct dp_result res;
  run_planted(&c, 20, SZ.R_max, SZ.V_max, &res);
  /* the extra count breaks sum_k X^(k) = X (X is cooc.c's own sum) even on one token */
  ck_assert_msg(strncmp(res.cex[0].sizes_min, "R=1 V=1 ", 8) == 0, "minimal: %s (%s)",
                res.cex[0].sizes_min, res.cex[0].trail);
  ck_assert_msg(strstr(res.cex[0].what, "= Q X Q^T") != NULL, "%s", res.cex[0].what);
  dp_result_free(&res);
}
END_TEST

START_TEST(test_c15_parts_and_twin)
{
  unsigned untied = 0, twin_skip = 0;
  for (unsigned i = 0; i < 40; i++) {
    struct dp_pos_inst *x = dp_pos_inst_make(dp_seed_trial(DP_SEED_DEFAULT, "C15", i), &SZ, 1);
    struct dp_outcome o = measure("C15", 0, x), t = measure("C15", 1, x);
    ck_assert_int_eq(o.status, DP_MEASURED);
    ck_assert_msg(o.figure <= DP_TOL_RATIO, "trial %u: %s", i, o.what);
    untied += ((o.ran >> 1) & 1u);
    if (t.status == DP_NOT_APPLICABLE)
      twin_skip++;
    else
      ck_assert_msg(t.figure > DP_TOL_RATIO, "trial %u: twin %s", i, t.what);
    dp_pos_inst_free(x);
  }
  ck_assert_uint_ge(untied, 20);
  ck_assert_uint_lt(twin_skip, 30);
}
END_TEST

/* Tied weights give symmetric logits: on a palindromic corpus X^> is symmetric and the twin
 * skips; the untied weights of a too narrow d are not measured. */
START_TEST(test_c15_symmetric_counts)
{
  struct dp_pos_inst *x = dp_pos_inst_make(dp_seed_trial(DP_SEED_DEFAULT, "C15", 0), &SZ, 1);
  for (int k = 1; k <= x->c; k++) { /* make every offset symmetric */
    gsl_matrix_memcpy(x->Xk[x->c + k], x->X);
    gsl_matrix_memcpy(x->Xk[x->c - k], x->X);
  }
  gsl_matrix_memcpy(x->Xr, x->X);
  struct dp_outcome t = measure("C15", 1, x);
  ck_assert_int_eq(t.status, DP_NOT_APPLICABLE);
  ck_assert_ptr_nonnull(strstr(t.what, "symmetric"));
  dp_pos_inst_free(x);
}
END_TEST

START_TEST(test_real_rows)
{
  const char *path = getenv("DPCHECK_CORPUS");
  if (!path || access(path, R_OK) != 0)
    return; /* the corpus is built by make check; without it there are no rows to check */
  struct dp_env env = {path, NULL, 5};
  struct dp_case_row rows[8];
  size_t n = 0;
  ck_assert_int_eq(run_cases(dp_claim_find("C14"), &env, rows, 8, &n), GSL_SUCCESS);
  ck_assert_uint_eq(n, 1);
  ck_assert_msg(rows[0].claim.figure <= DP_TOL_RATIO, "%s", rows[0].claim.what);
  ck_assert(rows[0].twin.figure > DP_TOL_RATIO);
  ck_assert_int_eq(run_cases(dp_claim_find("C15"), &env, rows, 8, &n), GSL_SUCCESS);
  ck_assert_uint_eq(n, 2);
  for (size_t i = 0; i < 2; i++) {
    ck_assert_msg(rows[i].claim.figure <= DP_TOL_RATIO, "%s", rows[i].claim.what);
    ck_assert_msg(rows[i].twin.figure > DP_TOL_RATIO, "%s", rows[i].twin.what);
  }
  ck_assert_ptr_nonnull(strstr(rows[1].label, "shuffled"));
  /* without a corpus: no rows */
  struct dp_env none = {NULL, NULL, 5};
  ck_assert_int_eq(run_cases(dp_claim_find("C15"), &none, rows, 8, &n), GSL_SUCCESS);
  ck_assert_uint_eq(n, 0);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("pos_claims");
  TCase *tc = tcase_create("family");
  tcase_add_test(tc, test_family_invariants);
  tcase_add_test(tc, test_shrink_candidates);
  suite_add_tcase(s, tc);
  tc = tcase_create("claims");
  tcase_add_test(tc, test_c14_parts_and_twin);
  tcase_add_test(tc, test_planted_fault_shrinks);
  tcase_add_test(tc, test_c15_parts_and_twin);
  tcase_add_test(tc, test_c15_symmetric_counts);
  suite_add_tcase(s, tc);
  tc = tcase_create("real");
  tcase_add_test(tc, test_real_rows);
  tcase_set_tags(tc, "slow");
  suite_add_tcase(s, tc);
  return s;
}
