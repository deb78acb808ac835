/* check_term.c: the terminal table of `dpcheck verify` (src/report/term.c), with Check.
 *
 * A planted claim fails on every instance whose value v is above the tolerance 30; its one
 * shrink tactic lowers v by 1, so the minimal failing instance is v = 31, reached from the
 * generated v in v - 31 steps.  The tests pin the lines a reviewer reads: the claim's line
 * within 100 columns, the replay command under a FAIL by default, and the counterexample
 * printer's every line (sizes as generated and minimal, shrink trail, failing part, replay
 * command, minimal instance); and they replay the command's seed to see it fail again with
 * the same figure. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <check.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "claim.h"
#include "term.h"
#include "tol.h"

struct planted {
  double v;
};

static void *planted_make(uint64_t seed, const struct dp_sizes *sz)
{
  (void)sz;
  struct planted *x = malloc(sizeof *x);
  if (x)
    x->v = (double)(seed % 64); /* about half above the tolerance */
  return x;
}
static void planted_free(void *x) { free(x); }
static void planted_describe(const void *p, char *buf, size_t n)
{
  snprintf(buf, n, "v=%g", ((const struct planted *)p)->v);
}
static void planted_print(FILE *f, const void *p)
{
  fprintf(f, "v = %a\n(one line more)\n", ((const struct planted *)p)->v);
}
static void *planted_lower(const void *p, unsigned k)
{
  const struct planted *x = p;
  if (k > 0 || x->v < 1)
    return NULL;
  struct planted *y = malloc(sizeof *y);
  if (y)
    y->v = x->v - 1;
  return y;
}
static void planted_check(const void *p, struct dp_outcome *o)
{
  dp_outcome_part(o, DP_JUDGE_RATIO, ((const struct planted *)p)->v, "the part v");
}
static void planted_twin(const void *p, struct dp_outcome *o)
{
  dp_outcome_part(o, DP_JUDGE_RATIO, 100 - ((const struct planted *)p)->v, "100 - v");
}

static const struct dp_tactic lower[] = { { "lower v", dp_tactic_once, planted_lower } };
static const struct dp_gen gen = { "planted", planted_make, planted_free, planted_describe,
                                   planted_print, lower, 1 };
static const struct dp_claim planted = {
  .id = "T09", .title = "A planted claim with a title too long for its column",
  .paper_ref = "nowhere", .statement = "-", .conditions = "-", .judged = "-",
  .twin_statement = "-", .gen = &gen, .check = planted_check, .twin = planted_twin,
  .tol_kind = DP_JUDGE_RATIO, .tol = DP_TOL_RATIO, .trials = 12 };

static struct dp_run_opts opts(uint64_t master, unsigned trials)
{
  struct dp_run_opts o = { 0 };
  o.master = master;
  o.trials = trials;
  o.sizes.R_max = o.sizes.V_max = 4;
  o.shrink = 1;
  o.max_cex = 3;
  return o;
}

/* What fn printed, as a string to free. */
static char *render(void (*fn)(FILE *, const void *), const void *arg)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  ck_assert_ptr_nonnull(f);
  fn(f, arg);
  fclose(f);
  return buf;
}

static void claim_default(FILE *f, const void *r) { dp_term_claim(f, r, 0); }
static void first_cex(FILE *f, const void *r)
{
  dp_term_cex(f, "counterexample", &((const struct dp_result *)r)->cex[0], 40);
}

START_TEST(test_counterexample_lines)
{
  struct dp_run_opts o = opts(3, 12);
  struct dp_result r;
  ck_assert_int_eq(dp_run_claim(&planted, &o, &r), GSL_SUCCESS);
  ck_assert_int_eq(r.verdict, DP_FAIL);
  ck_assert_uint_gt(r.ncex, 0);
  const struct dp_cex *x = &r.cex[0];
  unsigned v0 = (unsigned)x->figure, steps = v0 - 31;
  ck_assert(x->figure > DP_TOL_RATIO && x->figure_min == 31.0 && x->steps == steps);

  char trail[64], replay[200], want[2048];
  if (steps > 1)
    snprintf(trail, sizeof trail, ": lower v x%u", steps);
  else
    snprintf(trail, sizeof trail, "%s", steps ? ": lower v" : "");
  snprintf(replay, sizeof replay, "OPENBLAS_NUM_THREADS=1 dpcheck verify --claim T09 --seed %"
           PRIu64 " --trials 1 --max-R 4 --max-V 4", x->replay_seed);
  snprintf(want, sizeof want,
           "  counterexample: trial %u, seed %" PRIu64 "\n"
           "    generated: v=%u (figure %u)\n"
           "    minimal:   v=31 (figure 31) after %u shrink steps%s\n"
           "    failing:   the part v\n"
           "    replay:    %s\n"
           "    minimal instance:\n"
           "      v = 0x1.fp+4\n"
           "      (one line more)\n",
           x->trial, x->replay_seed, v0, v0, steps, trail, replay);
  char *got = render(first_cex, &r);
  ck_assert_str_eq(got, want);
  free(got);

  /* the minimal instance cut to its first line, and no instance at all */
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  dp_term_cex(f, "twin witness", x, 1);
  fclose(f);
  ck_assert_ptr_nonnull(strstr(buf, "      v = 0x1.fp+4\n      ... (the whole instance is in the "
                                    "report)\n"));
  free(buf);
  f = open_memstream(&buf, &len);
  dp_term_cex(f, "twin witness", x, 0);
  fclose(f);
  ck_assert_ptr_null(strstr(buf, "minimal instance"));
  ck_assert_ptr_nonnull(strstr(buf, replay));
  free(buf);

  /* the default output: the claim's line in 100 columns, then the minimal instance's sizes
   * and the replay command, nothing more */
  got = render(claim_default, &r);
  char *nl = strchr(got, '\n');
  ck_assert_ptr_nonnull(nl);
  ck_assert_int_le(nl - got, DP_TERM_WIDTH);
  ck_assert(strncmp(got, "T09 A planted claim with a.. ", 29) == 0);
  char line[64];
  snprintf(line, sizeof line, "FAIL  rejected %u/12\n", r.twin_rejected);
  ck_assert_ptr_nonnull(strstr(got, line));
  snprintf(want, sizeof want, "    minimal: v=31 (figure 31): the part v\n    replay:  %s\n", replay);
  ck_assert_str_eq(nl + 1, want);
  free(got);

  /* the replay command runs that instance again: its seed as the master, one trial, the same
   * sizes, and the claim fails there with the very figure first measured */
  uint64_t seed = 0;
  ck_assert_int_eq(sscanf(strstr(x->replay, "--seed "), "--seed %" SCNu64, &seed), 1);
  struct dp_run_opts ro = opts(seed, 1);
  struct dp_result rr;
  ck_assert_int_eq(dp_run_claim(&planted, &ro, &rr), GSL_SUCCESS);
  ck_assert_int_eq(rr.verdict, DP_FAIL);
  ck_assert(rr.figures[0] == x->figure);
  ck_assert_str_eq(rr.cex[0].replay, x->replay);
  ck_assert_str_eq(rr.cex[0].sizes_min, x->sizes_min);
  dp_result_free(&rr);
  dp_result_free(&r);
}
END_TEST

static void after_default(FILE *f, const void *r)
{
  const struct dp_sizes sz = { 1, DP_SIZES_DEFAULT_V, 0 };
  dp_term_after(f, r, 1, &sz, 0);
}

/* A twin never rejected at small sizes is named, once, after the table. */
START_TEST(test_untestable_note)
{
  struct dp_result r;
  memset(&r, 0, sizeof r);
  r.claim = &planted;
  r.twin_untestable = 1;
  char *got = render(after_default, &r);
  ck_assert_str_eq(got, "\nfalse twin not testable at these sizes (T09) with --max-R 1:\n"
                        "  the twin cannot differ from the claim on instances this small\n");
  free(got);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("term");
  TCase *tc = tcase_create("term");
  tcase_add_test(tc, test_counterexample_lines);
  tcase_add_test(tc, test_untestable_note);
  suite_add_tcase(s, tc);
  return s;
}
