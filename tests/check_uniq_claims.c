/* check_uniq_claims.c: how claim C05 judges the uniqueness systems (props/uniq_judge.c) and
 * its own instance family and tables (props/c05_uniqueness.c).
 *
 * The judging helpers on decided and fabricated results (so that a failure really scores
 * DP_RATIO_FAIL), the report table's cells, the claim's family and tables. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "claim.h"
#include "registry.h"
#include "err.h"
#include "tol.h"
#include "uniq.h"
#include "uniq_judge.h"
#include "testutil.h"

static struct dp_uniq_result decide(const struct dp_uniq_problem *p, enum dp_uniq_route route)
{
  struct dp_uniq_result r;
  ck_assert_msg(dp_uniq_decide(p, route, &r) == GSL_SUCCESS, "decide: %s", dp_err_last());
  return r;
}

/* --- witnesses and wrong candidates ------------------------------------------------------- */

START_TEST(test_cells)
{
  const size_t t[] = {0, 1};
  struct dp_uniq_problem p;
  dp_uniq_problem_square(&p, t, 2, 2, DP_UNIQ_U2, DP_UNIQ_FULL);
  struct dp_uniq_result r = decide(&p, DP_UNIQ_DENSE), f;
  struct dp_uniq_svd s;
  ck_assert_int_eq(dp_uniq_svd(&p, 1, &s, NULL), GSL_SUCCESS);
  char v[200], sv[200], wT[200], wS[200];
  dp_uniq_cells(&r, &s, 12, v, sv, wT, wS, 200);
  ck_assert_str_eq(v, "NOT unique (witness verified)");
  ck_assert_ptr_nonnull(strstr(sv, "nullity 12;"));
  ck_assert_ptr_nonnull(strstr(sv, "(structural)"));
  ck_assert_ptr_nonnull(strstr(wT, "T'(S) = Q S Q^T + D(S), D_(0,0) = +1 S_(0,1) -1 S_(0,0)"));
  ck_assert_ptr_nonnull(strstr(wS, "E_(0,1): T'(S)_(0,0) = 1 != 0"));
  f = r;
  f.w.verified = 0;
  dp_uniq_cells(&f, &s, 11, v, sv, wT, wS, 200);
  ck_assert_str_eq(v, "NOT unique (witness NOT verified); nullity differs from the expected");
  snprintf(f.w.text, sizeof f.w.text, "a witness without its S");
  dp_uniq_cells(&f, &s, 12, v, sv, wT, wS, 200);
  ck_assert_str_eq(wT, "a witness without its S");
  ck_assert_str_eq(wS, "");
  f.consistent = 0;
  f.has_witness = 0;
  dp_uniq_cells(&f, &s, 12, v, sv, wT, wS, 200);
  ck_assert_str_eq(v, "NO solution at all (inconsistent): rank [A|b] > rank A");
  ck_assert_str_eq(wT, "none: no operator meets these conditions");
  snprintf(f.conflict, sizeof f.conflict, "row (1,0)");
  dp_uniq_cells(&f, &s, 12, v, sv, wT, wS, 200);
  ck_assert_str_eq(v, "NO solution at all (inconsistent): row (1,0)");
  f.consistent = 1;
  f.expected_solves = 0;
  dp_uniq_cells(&f, &s, 12, v, sv, wT, wS, 200);
  ck_assert_str_eq(v, "FAILS: the reference operator is not a solution");
  s.s_zero = 1e-17;
  dp_uniq_cells(&r, &s, 12, v, sv, wT, wS, 200);
  ck_assert_ptr_null(strstr(sv, "(structural)"));
  p.conds = DP_UNIQ_U1 | DP_UNIQ_U2;
  r = decide(&p, DP_UNIQ_DENSE);
  ck_assert_int_eq(dp_uniq_svd(&p, 1, &s, NULL), GSL_SUCCESS);
  dp_uniq_cells(&r, &s, 0, v, sv, wT, wS, 200);
  ck_assert_str_eq(v, "unique, = Q1 kron Q2");
  ck_assert_ptr_nonnull(strstr(sv, "nullity 0; smallest"));
  ck_assert_str_eq(wT, "none: T is determined");
  r.matches = 0;
  snprintf(r.mismatch, sizeof r.mismatch, "row (0,0)");
  dp_uniq_cells(&r, &s, 0, v, sv, wT, wS, 200);
  ck_assert_str_eq(v, "unique, but row (0,0)");
}
END_TEST

/* --- judging ----------------------------------------------------------------------------- */

static struct dp_outcome fresh(void)
{
  struct dp_outcome o;
  memset(&o, 0, sizeof o);
  o.figure = NAN;
  return o;
}

START_TEST(test_judging)
{
  const size_t t[] = {0, 1, 1};
  struct dp_uniq_problem p;
  dp_uniq_problem_square(&p, t, 3, 2, DP_UNIQ_U1 | DP_UNIQ_U2, DP_UNIQ_FULL);
  struct dp_uniq_result good = decide(&p, DP_UNIQ_BLOCKS);
  struct dp_outcome o = fresh();
  dp_uniq_part_unique(&o, "U1+U2", &good);
  ck_assert(o.figure == 0.0);
  /* predicted inconsistent: holds with the conflict named, or with the plain wording; a
   * system that has a solution fails */
  struct dp_uniq_result inc = good;
  inc.consistent = 0;
  snprintf(inc.conflict, sizeof inc.conflict, "row (1,0): U1 sets the pair to 0");
  o = fresh();
  dp_uniq_part_inconsistent(&o, "ordered", &inc);
  ck_assert(o.figure == 0.0);
  ck_assert_ptr_nonnull(strstr(o.what, "row (1,0)"));
  inc.conflict[0] = '\0';
  o = fresh();
  dp_uniq_part_inconsistent(&o, "ordered", &inc);
  ck_assert_ptr_nonnull(strstr(o.what, "no solution, as predicted"));
  o = fresh();
  dp_uniq_part_inconsistent(&o, "ordered U1", &good);
  ck_assert(o.figure == DP_RATIO_FAIL);
  o = fresh();
  dp_uniq_part_unique(&o, "U1+U2", &good);
  /* a unique solution that is not Q kron Q, or Q kron Q failing an equation, fails */
  struct dp_uniq_result bad = good;
  bad.matches = 0;
  snprintf(bad.mismatch, sizeof bad.mismatch, "row (0,0), column (0,0): solution 2, Q1 kron Q2 1");
  dp_uniq_part_unique(&o, "wrong", &bad);
  ck_assert(o.figure == DP_RATIO_FAIL);
  ck_assert_ptr_nonnull(strstr(o.what, "solution 2"));
  o = fresh();
  bad = good;
  bad.expected_solves = 0;
  dp_uniq_part_unique(&o, "wrong", &bad);
  ck_assert(o.figure == DP_RATIO_FAIL);
  ck_assert_ptr_nonnull(strstr(o.what, "does NOT meet"));
  /* the twin's rule on a non-unique system */
  p.conds = DP_UNIQ_U2;
  struct dp_uniq_result u2 = decide(&p, DP_UNIQ_BLOCKS);
  o = fresh();
  dp_uniq_part_unique(&o, "U2 alone", &u2);
  ck_assert(o.figure == DP_RATIO_FAIL);
  /* nullity: right count with a verified witness holds; a wrong count or an unverified
   * witness fails */
  o = fresh();
  dp_uniq_part_nullity(&o, "U2 alone", &u2, 9 * 4 - 9);
  ck_assert(o.figure == 0.0);
  dp_uniq_part_nullity(&o, "U2 alone", &u2, 9 * 4);
  ck_assert(o.figure == DP_RATIO_FAIL);
  o = fresh();
  bad = u2;
  bad.w.verified = 0;
  dp_uniq_part_nullity(&o, "U2 alone", &bad, 9 * 4 - 9);
  ck_assert(o.figure == DP_RATIO_FAIL);
  o = fresh();
  bad.has_witness = 0;
  dp_uniq_part_nullity(&o, "U2 alone", &bad, 9 * 4 - 9);
  ck_assert(o.figure == DP_RATIO_FAIL);
  o = fresh();
  bad = u2;
  bad.consistent = 0;
  dp_uniq_part_nullity(&o, "U2 alone", &bad, 9 * 4 - 9);
  ck_assert(o.figure == DP_RATIO_FAIL);
  /* routes: agreement holds, any difference fails */
  o = fresh();
  struct dp_uniq_result s = decide(&p, DP_UNIQ_STRUCTURED);
  dp_uniq_part_agree(&o, "U2", &u2, &s);
  ck_assert(o.figure == 0.0);
  bad = s;
  bad.rank++;
  dp_uniq_part_agree(&o, "U2", &u2, &bad);
  ck_assert(o.figure == DP_RATIO_FAIL);
  ck_assert_ptr_nonnull(strstr(o.what, "DISAGREE"));
  o = fresh();
  bad = s;
  bad.w.verified = 0;
  dp_uniq_part_agree(&o, "U2", &u2, &bad);
  ck_assert(o.figure == DP_RATIO_FAIL);
  /* SVD: the numerical nullity must be the exact one */
  struct dp_uniq_svd v;
  ck_assert_int_eq(dp_uniq_svd(&p, 0, &v, NULL), GSL_SUCCESS);
  o = fresh();
  dp_uniq_part_svd(&o, "U2", &v, &u2);
  ck_assert(o.figure == 0.0);
  v.nullity--;
  dp_uniq_part_svd(&o, "U2", &v, &u2);
  ck_assert(o.figure == DP_RATIO_FAIL);
  /* descriptions */
  char buf[400];
  dp_uniq_describe(&good, buf, sizeof buf);
  ck_assert_ptr_nonnull(strstr(buf, "unique, = Q1 kron Q2"));
  bad = good;
  bad.matches = 0;
  dp_uniq_describe(&bad, buf, sizeof buf);
  ck_assert_ptr_nonnull(strstr(buf, "unique: "));
  dp_uniq_describe(&u2, buf, sizeof buf);
  ck_assert_ptr_nonnull(strstr(buf, "witness verified"));
  bad = u2;
  bad.consistent = 0;
  bad.has_witness = 0;
  dp_uniq_describe(&bad, buf, sizeof buf);
  ck_assert_ptr_nonnull(strstr(buf, "INCONSISTENT"));
  dp_uniq_describe(&good, buf, 8); /* truncated, still terminated */
  ck_assert_uint_eq(strlen(buf), 7);
}
END_TEST

/* --- the claim's instance family ------------------------------------------------------------ */

START_TEST(test_claim_family)
{
  const struct dp_claim *c = dp_claim_find("C05");
  ck_assert_ptr_nonnull(c);
  ck_assert_ptr_nonnull(c->cases);
  ck_assert_ptr_nonnull(c->evidence);
  const struct dp_sizes sz = {64, 200, 0}, tiny = {1, 1, 0};
  unsigned seen_vgt = 0, seen_vlt = 0, seen_rep = 0, seen_abs = 0;
  for (unsigned k = 0; k < 200; k++) {
    void *inst = c->gen->make(dp_seed_trial(7, "C05", k), &sz);
    char d[200];
    c->gen->describe(inst, d, sizeof d);
    size_t R, V, dist, absent;
    ck_assert_int_eq(sscanf(d, "R=%zu V=%zu", &R, &V), 2);
    ck_assert(R >= 1 && R <= 5 && V >= 1 && V <= 6);
    const char *q = strstr(d, "distinct=");
    ck_assert_int_eq(sscanf(q, "distinct=%zu absent=%zu", &dist, &absent), 2);
    seen_vgt += V > R, seen_vlt += V < R, seen_rep += dist < R, seen_abs += absent > 0;
    /* every shrink candidate is a valid, smaller instance the check runs on */
    for (unsigned j = 0;; j++) {
      void *y = dp_gen_candidate(c->gen, inst, j, NULL);
      if (!y)
        break;
      char e[200];
      c->gen->describe(y, e, sizeof e);
      size_t R2, V2;
      ck_assert_int_eq(sscanf(e, "R=%zu V=%zu", &R2, &V2), 2);
      ck_assert(R2 <= R && V2 <= V && (R2 < R || V2 < V || strcmp(d, e) != 0));
      if (k < 5) {
        struct dp_outcome o = fresh();
        c->check(y, &o);
        ck_assert_msg(o.status == DP_MEASURED && o.figure == 0.0, "%s: %s", e, o.what);
      }
      c->gen->free(y);
    }
    c->gen->free(inst);
  }
  ck_assert(seen_vgt && seen_vlt && seen_rep && seen_abs);
  /* sizes below the family's own bounds are obeyed */
  void *inst = c->gen->make(11, &tiny);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  c->gen->print(f, inst);
  fclose(f);
  ck_assert_ptr_nonnull(strstr(buf, "R=1 V=1 t=(0)"));
  free(buf);
  /* with one word the twin is the claim (nothing to choose): it skips, saying so */
  struct dp_outcome o = fresh();
  c->twin(inst, &o);
  ck_assert(o.status == DP_NOT_APPLICABLE && strstr(o.what, "V = 1") != NULL);
  /* an outcome already broken keeps its reason: no part and no summary overwrite it */
  o = fresh();
  dp_outcome_broken(&o, "the reason");
  c->check(inst, &o);
  ck_assert_int_eq(o.status, DP_BROKEN);
  ck_assert_str_eq(o.what, "the reason");
  c->gen->free(inst);
  /* the judged rows: none asked for, none made */
  struct dp_case_row rows[1];
  size_t nrows = 1;
  struct dp_env env = {0};
  ck_assert_int_eq(run_cases(c, &env, rows, 0, &nrows), GSL_SUCCESS);
  ck_assert_uint_eq(nrows, 0);
}
END_TEST

START_TEST(test_claim_tables)
{
  const struct dp_claim *c = dp_claim_find("C05");
  struct dp_evidence x = {0};
  struct dp_run_opts o = {0};
  ck_assert_int_eq(run_evidence(c, &o, &x), GSL_SUCCESS);
  ck_assert_uint_eq(x.ntables, 2);
  ck_assert_uint_eq(x.tables[0].nrow, 11);
  ck_assert_uint_eq(x.tables[1].nrow, 4);
  const struct dp_table *tb = &x.tables[0];
  /* row 0 (U1+U2): nullity 0, unique; row 2 (U2 only): nullity 144 - 9 with a witness */
  ck_assert_str_eq(tb->cell[0 * tb->ncol + 4], "0");
  ck_assert_str_eq(tb->cell[0 * tb->ncol + 6], "unique, = Q1 kron Q2");
  ck_assert_str_eq(tb->cell[2 * tb->ncol + 0], "U2 only");
  ck_assert_str_eq(tb->cell[2 * tb->ncol + 4], "135");
  ck_assert_ptr_nonnull(strstr(tb->cell[2 * tb->ncol + 6], "witness verified"));
  ck_assert_ptr_nonnull(strstr(tb->cell[2 * tb->ncol + 9], "E_("));
  ck_assert_str_eq(tb->cell[8 * tb->ncol + 4], "54"); /* Sym-tested: 9 * 4 * 3 / 2 */
  /* row 10, U1 on ordered Sym coordinates: no solution, row (1,0) named */
  ck_assert_ptr_nonnull(strstr(tb->cell[10 * tb->ncol + 6], "NO solution at all"));
  ck_assert_ptr_nonnull(strstr(tb->cell[10 * tb->ncol + 6], "row (1,0)"));
  dp_evidence_free(&x);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("uniq");
  TCase *tc = tcase_create("exact");
  tcase_add_test(tc, test_cells);
  suite_add_tcase(s, tc);
  tc = tcase_create("judge");
  tcase_add_test(tc, test_judging);
  suite_add_tcase(s, tc);
  tc = tcase_create("claim");
  tcase_add_test(tc, test_claim_family);
  tcase_add_test(tc, test_claim_tables);
  tcase_set_timeout(tc, 300);
  tcase_set_tags(tc, "slow"); /* left out of `make check-quick` */
  suite_add_tcase(s, tc);
  return s;
}
