/* check_heads_claims.c: the multi-head family (src/harness/family_heads.c) and claim C16
 * (props/c16_heads.c).
 *
 * The generator (premise and h >= 2 frequencies, the hard cases, determinism), a fixed small
 * instance on which the claim holds and the twin is rejected, the skips (h = 1, one word,
 * rank(S) > d, a head too narrow for its group), shrinking a planted fault (the twin used as
 * the check) down to a small instance, the real-text rows on a small corpus and on the
 * default corpus when it is built, the evidence, and allocation failures. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_matrix.h>

#include "claim.h"
#include "cooc.h"
#include "err.h"
#include "family_heads.h"
#include "registry.h"
#include "resid.h"
#include "seed.h"
#include "spectral.h"
#include "tol.h"
#include "testutil.h"

static const struct dp_claim *c16(void)
{
  const struct dp_claim *c = dp_claim_find("C16");
  ck_assert_ptr_nonnull(c);
  return c;
}

static struct dp_outcome run_one(void (*fn)(const void *, struct dp_outcome *), const void *x)
{
  struct dp_outcome o = {DP_MEASURED, NAN, "", 0, 0};
  fn(x, &o);
  return o;
}

START_TEST(test_generator)
{
  struct dp_sizes sz = {64, 60, 0};
  unsigned premise = 0, several = 0, notdiv = 0, one = 0, r1 = 0, indef = 0, n = 120;
  for (unsigned i = 0; i < n; i++) {
    uint64_t seed = dp_seed_trial(DP_SEED_DEFAULT, "X16", i);
    struct dp_heads_inst *x = dp_heads_inst_make(seed, &sz);
    ck_assert_ptr_nonnull(x);
    ck_assert(x->h >= 1 && x->h <= DP_HEADS_MAX && x->h <= x->d && x->h <= x->d_k &&
              x->h <= x->d_v);
    ck_assert(x->W_V->size1 == x->d && x->W_V->size2 == x->d_v);
    ck_assert(x->W_O->size1 == x->d_v && x->W_O->size2 == x->d_out);
    premise += x->rank_gen <= x->d;
    several += x->h >= 2;
    notdiv += x->h >= 2 && x->d % x->h != 0;
    one += x->h == 1;
    r1 += x->base->R <= 2;
    indef += x->base->kind == DP_SK_INDEF || x->base->kind == DP_SK_SYMRAND;
    /* deterministic */
    struct dp_heads_inst *y = dp_heads_inst_make(seed, &sz);
    char *p1 = NULL, *p2 = NULL;
    size_t n1 = 0, n2 = 0;
    FILE *f1 = open_memstream(&p1, &n1), *f2 = open_memstream(&p2, &n2);
    dp_heads_inst_print(f1, x);
    dp_heads_inst_print(f2, y);
    fclose(f1);
    fclose(f2);
    ck_assert_str_eq(p1, p2);
    ck_assert_ptr_nonnull(strstr(p1, "W_O["));
    free(p1);
    free(p2);
    dp_heads_inst_free(y);
    dp_heads_inst_free(x);
  }
  ck_assert_msg(premise >= 96, "rank(S) <= d in %u of %u", premise, n);
  ck_assert_msg(several >= 84, "h >= 2 in %u of %u", several, n);
  ck_assert_msg(notdiv > 0 && one > 0 && r1 > 0 && indef > 0, "d %% h != 0: %u, h = 1: %u, "
                "R <= 2: %u, indefinite: %u", notdiv, one, r1, indef);
  /* dk_max caps the key widths, and so h */
  struct dp_sizes narrow = {64, 200, 1};
  for (unsigned i = 0; i < 20; i++) {
    struct dp_heads_inst *x = dp_heads_inst_make(dp_seed_trial(1, "X16", i), &narrow);
    ck_assert(x->d_k == 1 && x->h == 1);
    dp_heads_inst_free(x);
  }
}
END_TEST

/* A hand-made instance: V = 3, tokens (0, 1, 2, 1), S = [[2 1 0] [1 -1 1/2] [0 1/2 1]]
 * (indefinite, rank 3), d = d_k = 3 (not divisible by h = 2), d_v = 2, d_out = 1. */
static struct dp_heads_inst *hand_instance(size_t h, size_t d, size_t d_k)
{
  const double s[] = {2, 1, 0, 1, -1, 0.5, 0, 0.5, 1};
  struct dp_inst b = {0};
  size_t t[] = {0, 1, 2, 1};
  b.seed = 7;
  b.V = 3;
  b.R = 4;
  b.t = t;
  b.S = mat(3, 3, s);
  b.Sd = mat(3, 3, s);
  b.kind = DP_SK_INDEF;
  struct dp_heads_inst *x = dp_heads_inst_around(&b, d, d_k, 2 * h, 1, h, 11);
  gsl_matrix_free(b.S);
  gsl_matrix_free(b.Sd);
  ck_assert_ptr_nonnull(x);
  return x;
}

START_TEST(test_fixed_instance)
{
  const struct dp_claim *c = c16();
  struct dp_heads_inst *x = hand_instance(2, 3, 3);
  struct dp_outcome o = run_one(c->check, x), t = run_one(c->twin, x);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  ck_assert_uint_ge(o.parts, 4); /* (a), (b) twice, (c) */
  ck_assert_int_eq(dp_claim_judge(c, &t), DP_FAIL);
  ck_assert_ptr_nonnull(strstr(t.what, "h=2"));
  ck_assert(t.figure > 1e6 * DP_TOL_RATIO);
  /* three heads of width 1 */
  struct dp_heads_inst *y = dp_heads_inst_with_h(x, 3);
  o = run_one(c->check, y);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  dp_heads_inst_free(y);
  ck_assert_ptr_null(dp_heads_inst_with_h(x, 4)); /* more heads than d */
  ck_assert_ptr_null(dp_heads_inst_with_h(x, 0));
  char buf[300];
  dp_heads_inst_describe(x, buf, sizeof buf);
  ck_assert_ptr_nonnull(strstr(buf, "h=2"));
  dp_heads_inst_free(x);
}
END_TEST

START_TEST(test_skips)
{
  const struct dp_claim *c = c16();
  /* h = 1: the twin cannot differ */
  struct dp_heads_inst *x = hand_instance(1, 3, 3);
  struct dp_outcome o = run_one(c->check, x), t = run_one(c->twin, x);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  ck_assert_int_eq(t.status, DP_NOT_APPLICABLE);
  ck_assert_ptr_nonnull(strstr(t.what, "h=1"));
  dp_heads_inst_free(x);
  /* rank(S) = 3 > d = 2: the claim skips */
  x = hand_instance(2, 2, 3);
  o = run_one(c->check, x);
  ck_assert_int_eq(o.status, DP_NOT_APPLICABLE);
  ck_assert_ptr_nonnull(strstr(o.what, "rank(S)=3 > d=2"));
  dp_heads_inst_free(x);
  /* d = 3, d_k = 2 in two heads: head 0 holds 2 eigenpairs, key width 1 */
  x = hand_instance(2, 3, 2);
  o = run_one(c->check, x);
  ck_assert_int_eq(o.status, DP_NOT_APPLICABLE);
  ck_assert_ptr_nonnull(strstr(o.what, "head 0 of 2 holds 2 eigenpairs"));
  dp_heads_inst_free(x);
  /* one word: every softmax row uniform */
  x = hand_instance(2, 3, 3);
  for (size_t i = 0; i < x->base->R; i++)
    x->base->t[i] = 1;
  t = run_one(c->twin, x);
  ck_assert_int_eq(t.status, DP_NOT_APPLICABLE);
  o = run_one(c->check, x);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  dp_heads_inst_free(x);
}
END_TEST

/* A planted fault through the family: the twin used as the check fails wherever h >= 2 and
 * the softmax rows differ; shrinking must reach a small instance. */
START_TEST(test_shrink_planted)
{
  struct dp_claim bad = *c16();
  bad.check = bad.twin;
  struct dp_result res;
  run_planted(&bad, 20, 16, 12, &res);
  const struct dp_cex *cx = &res.cex[0];
  unsigned R = 99, h = 99;
  const char *p = strstr(cx->sizes_min, "R="), *q = strstr(cx->sizes_min, " h=");
  ck_assert_ptr_nonnull(p);
  ck_assert_ptr_nonnull(q);
  sscanf(p, "R=%u", &R);
  sscanf(q, " h=%u", &h);
  ck_assert_msg(R == 2 && h == 2, "minimal instance: %s (trail %s)", cx->sizes_min, cx->trail);
  ck_assert_ptr_nonnull(strstr(cx->trail, "fewer heads") ? cx->trail : strstr(cx->trail, "halve R"));
  dp_result_free(&res);
  /* the tactics offer candidates and the list ends */
  struct dp_heads_inst *x = hand_instance(2, 3, 3);
  unsigned k = 0;
  const char *name = NULL;
  while (k < 1000) {
    void *y = dp_gen_candidate(&dp_gen_heads, x, k, k ? NULL : &name);
    if (!y)
      break;
    const struct dp_heads_inst *z = y;
    ck_assert(z->W_V->size1 == z->d && z->W_O->size1 == z->d_v && z->h <= z->d);
    dp_heads_inst_free(y);
    k++;
  }
  ck_assert_str_eq(name, "halve R");
  ck_assert(k > 5 && k < 1000);
  struct dp_heads_inst *s = dp_heads_inst_shrink(x, 0);
  ck_assert_uint_eq(s->base->R, 2);
  dp_heads_inst_free(s);
  dp_heads_inst_free(x);
}
END_TEST

/* Do two outcomes agree exactly (a route that needs no memory gives the undisturbed one)? */
static int same_outcome(const struct dp_outcome *a, const struct dp_outcome *b)
{
  return a->status == b->status && dp_resid_same_bits(a->figure, b->figure) &&
         strcmp(a->what, b->what) == 0;
}

/* Did a case run under an allocation failure fail, report a broken row, or give the
 * undisturbed rows? */
static int rows_ok(int st, const struct dp_case_row *rows, size_t n, const struct dp_case_row *ref,
                   size_t nref)
{
  if (st != GSL_SUCCESS)
    return 1;
  int same = n == nref;
  for (size_t r = 0; r < n; r++) {
    if (rows[r].claim.status == DP_BROKEN || rows[r].twin.status == DP_BROKEN)
      return 1;
    same = same && same_outcome(&rows[r].claim, &ref[r].claim) &&
           same_outcome(&rows[r].twin, &ref[r].twin);
  }
  return same;
}

static const char corpus_text[] =
  "the cat sat on the mat\n"
  "the dog sat on the log\n"
  "a cat and a dog met\n"
  "the end\n";

START_TEST(test_real_rows_and_evidence)
{
  const struct dp_claim *c = c16();
  struct dp_vocab_opts vo = {1, 0};
  struct dp_corpus *corp = NULL;
  ck_assert_int_eq(dp_corpus_from_text(corpus_text, sizeof corpus_text - 1, "mem", &vo, &corp),
                   GSL_SUCCESS);
  struct dp_env none = {NULL, NULL, 2}, small = {NULL, corp, 2};
  struct dp_case_row rows[8];
  size_t nrows = 99;
  ck_assert_int_eq(run_cases(c, &none, rows, 8, &nrows), GSL_SUCCESS);
  ck_assert_uint_eq(nrows, 0);
  ck_assert_int_eq(run_cases(c, &small, rows, 8, &nrows), GSL_SUCCESS);
  ck_assert_uint_ge(nrows, 2);
  for (size_t r = 0; r < nrows; r++) {
    ck_assert_int_eq(dp_claim_judge(c, &rows[r].claim), DP_PASS);
    ck_assert_int_eq(dp_claim_judge(c, &rows[r].twin), DP_FAIL);
    ck_assert_ptr_nonnull(strstr(rows[r].label, "heads"));
  }
  /* the evidence: a table of 8 rows (h = 1..8) and the plot with the real-text series */
  struct dp_run_opts o = {0};
  o.master = DP_SEED_DEFAULT;
  o.trials = 12;
  o.sizes.R_max = 32;
  o.sizes.V_max = 40;
  o.env = small;
  struct dp_evidence xo = {0};
  ck_assert_int_eq(run_evidence(c, &o, &xo), GSL_SUCCESS);
  ck_assert_uint_eq(xo.ntables, 1);
  ck_assert_uint_eq(xo.tables[0].nrow, DP_HEADS_MAX);
  ck_assert_uint_eq(xo.nplots, 1);
  ck_assert_uint_ge(xo.plots[0].nseries, 4);
  /* h = 1: the gap is 0 exactly */
  ck_assert(xo.plots[0].series[0].x[0] == 1.0 && xo.plots[0].series[0].y[0] == 0.0);
  dp_evidence_free(&xo);
  /* allocation failures: the hook fails, a row's check reports it, or the rows are the
   * undisturbed ones */
  struct dp_case_row ref[8];
  size_t nref = nrows;
  memcpy(ref, rows, sizeof rows);
  int st = 0;
  INJECT((nrows = 0, st = run_cases(c, &small, rows, 8, &nrows)),
         rows_ok(st, rows, nrows, ref, nref));
  dp_corpus_free(corp);
  /* the default corpus, when built */
  const char *path = getenv("DPCHECK_CORPUS");
  FILE *f = path ? fopen(path, "r") : NULL;
  if (f) {
    fclose(f);
    struct dp_env kjv = {path, NULL, 5};
    ck_assert_int_eq(run_cases(c, &kjv, rows, 8, &nrows), GSL_SUCCESS);
    ck_assert_uint_eq(nrows, 4);
    for (size_t r = 0; r < nrows; r++) {
      ck_assert_int_eq(dp_claim_judge(c, &rows[r].claim), DP_PASS);
      ck_assert_int_eq(dp_claim_judge(c, &rows[r].twin), DP_FAIL);
    }
  }
}
END_TEST

START_TEST(test_out_of_memory)
{
  const struct dp_claim *c = c16();
  struct dp_sizes sz = {16, 12, 0};
  struct dp_heads_inst *x = NULL;
  INJECT((dp_heads_inst_free(x), x = dp_heads_inst_make(3, &sz)), x == NULL);
  ck_assert_ptr_nonnull(x);
  dp_heads_inst_free(x);
  x = hand_instance(2, 3, 3);
  struct dp_outcome o, rc = run_one(c->check, x), rt = run_one(c->twin, x);
  INJECT((o = run_one(c->check, x)), o.status == DP_BROKEN || same_outcome(&o, &rc));
  INJECT((o = run_one(c->twin, x)), o.status == DP_BROKEN || same_outcome(&o, &rt));
  struct dp_heads_inst *y = NULL;
  INJECT((dp_heads_inst_free(y), y = dp_heads_inst_copy(x)), y == NULL);
  dp_heads_inst_free(y);
  dp_heads_inst_free(x);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("heads_claims");
  TCase *tc = tcase_create("family");
  tcase_add_test(tc, test_generator);
  tcase_add_test(tc, test_fixed_instance);
  tcase_add_test(tc, test_skips);
  tcase_add_test(tc, test_shrink_planted);
  tcase_set_timeout(tc, 120);
  suite_add_tcase(s, tc);
  tc = tcase_create("real text");
  tcase_add_test(tc, test_real_rows_and_evidence);
  tcase_set_timeout(tc, 300);
  tcase_set_tags(tc, "slow");
  suite_add_tcase(s, tc);
  tc = tcase_create("errors");
  tcase_add_test(tc, test_out_of_memory);
  tcase_set_timeout(tc, 300);
  tcase_set_tags(tc, "slow");
  suite_add_tcase(s, tc);
  return s;
}
