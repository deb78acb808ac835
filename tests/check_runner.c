/* check_runner.c: the runner's bookkeeping (src/harness/runner.c), the claims' tables and plots
 * (src/harness/evidence.c) and the error channel (src/engine/err.c), on claims made for the purpose.
 *
 * A scripted generator hands out instances whose figure is fixed in advance, trial by trial:
 * a pass, a failure, a check that breaks, a skipped premise, a generator that fails.  The
 * tests then check what the runner makes of them: the counts, the verdict (FAIL before ERROR
 * before SKIP), the worst figure and its seed (largest ratio, most negative slack), the first
 * error's reason, the counterexample and the twin's witness (shrunk), the twin's counts and
 * when a twin never rejected is a harness defect, the judged real-text rows, the claim's
 * tables and plots (attached, or failed), and the progress lines.  None of it depends on
 * the registered claims (C01..C18), whose own runs are tested in check_claims.c. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "claim.h"
#include "err.h"
#include "tol.h"
#include "testutil.h"

/* ---------------------------------------------------------------------------------------- */
/* A scripted generator: instance k of a run gets figure script[k]                          */

#define BROKEN_SILENT (-1e300) /* the check breaks and records the reason in err.c only */
#define BROKEN_SAID (-2e300)   /* the check breaks and says why */
#define SKIPPED (-3e300)       /* the premise does not hold */
#define GEN_FAILS (-4e300)     /* the generator returns no instance */

struct fake_inst {
  unsigned k;  /* the make() call that made it */
  double v;    /* the claim's figure */
};

static const double *script;
static size_t script_n;
static unsigned made;

static void *fake_make(uint64_t seed, const struct dp_sizes *sz)
{
  (void)seed, (void)sz;
  unsigned k = made++;
  double v = script[k % script_n];
  if (v == GEN_FAILS) {
    DP_ERROR(GSL_ENOMEM, "scripted generator failure at instance %u", k);
    return NULL;
  }
  struct fake_inst *x = malloc(sizeof *x);
  ck_assert_ptr_nonnull(x);
  x->k = k;
  x->v = v;
  return x;
}

static void fake_free(void *p) { free(p); }

static void fake_describe(const void *p, char *buf, size_t n)
{
  const struct fake_inst *x = p;
  snprintf(buf, n, "k=%u v=%g", x->k, x->v);
}

static void fake_print(FILE *f, const void *p)
{
  const struct fake_inst *x = p;
  fprintf(f, "v = %a\n", x->v);
}

/* One candidate: the figure halved, as long as it stays above 8.  The runner keeps a
 * candidate only while it still fails (ratio > 30): 500 shrinks to 31.25 in four steps. */
static void *fake_shrink(const void *p, unsigned k)
{
  const struct fake_inst *x = p;
  if (k > 0 || !(fabs(x->v) / 2 > 8) || x->v < -1e299)
    return NULL;
  struct fake_inst *y = malloc(sizeof *y);
  ck_assert_ptr_nonnull(y);
  *y = *x;
  y->v = x->v / 2;
  return y;
}

static const struct dp_tactic fake_tactics[] = { { "halve the figure", dp_tactic_once, fake_shrink } };

static const struct dp_gen fake_gen = {
  .name = "scripted", .make = fake_make, .free = fake_free, .describe = fake_describe,
  .print = fake_print, .tactics = fake_tactics, .ntactics = 1,
};

/* The claim's check: the scripted figure, or the scripted way of not measuring it. */
static void check_scripted(const void *p, struct dp_outcome *o)
{
  const struct fake_inst *x = p;
  if (x->v == BROKEN_SILENT) {
    DP_ERROR(GSL_EFAILED, "scripted engine failure");
    o->status = DP_BROKEN;
    return;
  }
  if (x->v == BROKEN_SAID) {
    dp_outcome_broken(o, "broken on purpose, instance %u", x->k);
    return;
  }
  if (x->v == SKIPPED) {
    dp_outcome_skip(o, "premise not met");
    return;
  }
  dp_outcome_part(o, DP_JUDGE_RATIO, 0.0, "exact part");
  dp_outcome_part(o, DP_JUDGE_RATIO, x->v, "scripted part %g", x->v);
}

/* A slack claim: the figure is the slack itself. */
static void check_slack(const void *p, struct dp_outcome *o)
{
  const struct fake_inst *x = p;
  if (x->v == SKIPPED) {
    dp_outcome_skip(o, "premise not met");
    return;
  }
  dp_outcome_part(o, DP_JUDGE_SLACK, 1.0, "loose part");
  dp_outcome_part(o, DP_JUDGE_SLACK, x->v, "scripted slack %g", x->v);
}

/* The twin: rejected (ratio 1000 + v) on instances whose figure is below 5, passes on the
 * others; skips and breaks where the claim does. */
static void twin_scripted(const void *p, struct dp_outcome *o)
{
  const struct fake_inst *x = p;
  if (x->v == BROKEN_SILENT || x->v == BROKEN_SAID) {
    dp_outcome_broken(o, "twin broken too");
    return;
  }
  if (x->v == SKIPPED) {
    dp_outcome_skip(o, "premise not met");
    return;
  }
  dp_outcome_part(o, DP_JUDGE_RATIO, x->v < 5 ? 1000 + x->v : 0.5, "twin part");
}

static void twin_passes(const void *p, struct dp_outcome *o)
{
  (void)p;
  dp_outcome_part(o, DP_JUDGE_RATIO, 0.25, "always fine");
}

static void twin_slack(const void *p, struct dp_outcome *o)
{
  const struct fake_inst *x = p;
  if (x->v == SKIPPED) {
    dp_outcome_skip(o, "premise not met");
    return;
  }
  dp_outcome_part(o, DP_JUDGE_SLACK, -x->v - 1, "twin slack");
}

static struct dp_claim fake_claim(void (*check)(const void *, struct dp_outcome *),
                                  void (*twin)(const void *, struct dp_outcome *))
{
  struct dp_claim c = {
    .id = "T01", .slug = "scripted", .title = "Scripted claim", .paper_ref = "-",
    .statement = "-", .conditions = "-", .judged = "-", .twin_statement = "-",
    .gen = &fake_gen, .check = check, .twin = twin, .tol_kind = DP_JUDGE_RATIO,
    .tol = DP_TOL_RATIO, .trials = 10,
  };
  return c;
}

static struct dp_run_opts opts(unsigned trials)
{
  struct dp_run_opts o = {0};
  o.master = 777;
  o.trials = trials;
  o.sizes.R_max = 8;
  o.sizes.V_max = 8;
  o.shrink = 1;
  o.max_cex = 2;
  o.env.window = 2;
  return o;
}

static void run(const struct dp_claim *c, const struct dp_run_opts *o, const double *s,
                size_t n, struct dp_result *r)
{
  script = s;
  script_n = n;
  made = 0;
  ck_assert_int_eq(dp_run_claim(c, o, r), GSL_SUCCESS);
}

/* ---------------------------------------------------------------------------------------- */
/* Verdicts, counts, worst figures, errors                                                   */

START_TEST(test_counts_and_verdict)
{
  static const double s[] = { 1.0, 500.0, BROKEN_SILENT, SKIPPED, 2.0, GEN_FAILS, 45.0,
                              BROKEN_SAID };
  struct dp_claim c = fake_claim(check_scripted, twin_scripted);
  struct dp_run_opts o = opts(8);
  struct dp_result r;
  run(&c, &o, s, 8, &r);
  ck_assert_uint_eq(r.n, 8);
  ck_assert_uint_eq(r.npass, 2);
  ck_assert_uint_eq(r.nfail, 2);
  ck_assert_uint_eq(r.nskip, 1);
  ck_assert_uint_eq(r.nerror, 3);
  ck_assert_int_eq(r.verdict, DP_FAIL); /* a failure outranks the errors */
  /* figures in trial order, NaN where nothing was measured */
  ck_assert(r.figures[0] == 1.0 && r.figures[1] == 500.0 && r.figures[6] == 45.0);
  ck_assert(isnan(r.figures[2]) && isnan(r.figures[3]) && isnan(r.figures[5]) &&
            isnan(r.figures[7]));
  /* worst: the largest ratio, with its seed and part */
  ck_assert(r.worst == 500.0);
  ck_assert(r.worst_seed == dp_seed_replay(o.master, 1));
  ck_assert_str_eq(r.worst_what, "scripted part 500");
  /* the first error's reason: a silent break takes the recorded one */
  ck_assert_ptr_nonnull(strstr(r.error, "trial 2 (seed "));
  ck_assert_ptr_nonnull(strstr(r.error, "scripted engine failure"));
  /* counterexamples: both failures kept (max_cex 2); 500 shrunk while it still fails,
   * 45 not at all (22.5 passes) */
  ck_assert_uint_eq(r.ncex, 2);
  ck_assert_uint_eq(r.cex[0].trial, 1);
  ck_assert(r.cex[0].figure == 500.0 && r.cex[0].figure_min == 31.25);
  ck_assert_uint_eq(r.cex[0].steps, 4);
  ck_assert_str_eq(r.cex[0].trail, "halve the figure x4"); /* the tactics taken, folded */
  ck_assert_str_eq(r.cex[0].sizes, "k=1 v=500");
  ck_assert_str_eq(r.cex[0].sizes_min, "k=1 v=31.25");
  ck_assert_str_eq(r.cex[0].what, "scripted part 31.25");
  ck_assert_str_eq(r.cex[0].instance, "v = 0x1.f4p+4\n");
  char replay[200];
  snprintf(replay, sizeof replay, "OPENBLAS_NUM_THREADS=1 dpcheck verify --claim T01 --seed %llu "
           "--trials 1 --max-R 8 --max-V 8", (unsigned long long)dp_seed_replay(777, 1));
  ck_assert_str_eq(r.cex[0].replay, replay);
  ck_assert(r.cex[0].replay_seed == dp_seed_replay(777, 1));
  ck_assert_uint_eq(r.cex[1].trial, 6);
  ck_assert(r.cex[1].figure == 45.0 && r.cex[1].figure_min == 45.0);
  ck_assert_uint_eq(r.cex[1].steps, 0);
  ck_assert_str_eq(r.cex[1].trail, "");
  /* the twin: rejected where the figure is below 5, passes elsewhere, skips and errs */
  ck_assert_uint_eq(r.twin_n, 8);
  ck_assert_uint_eq(r.twin_rejected, 2);
  ck_assert_uint_eq(r.twin_skip, 1);
  ck_assert_uint_eq(r.twin_error, 3);
  ck_assert(r.twin_worst == 1002.0);
  ck_assert(r.twin_ok && !r.twin_defect);
  ck_assert(r.has_twin_witness);
  ck_assert_uint_eq(r.twin_witness.trial, 0);
  ck_assert_uint_eq(r.twin_witness.steps, 0); /* 1.0 has no smaller candidate */
  ck_assert(r.twin_figures[1] == 0.5 && isnan(r.twin_figures[2]));
  dp_result_free(&r);
  ck_assert_ptr_null(r.figures); /* freed and zeroed */
}
END_TEST

START_TEST(test_error_and_skip_verdicts)
{
  struct dp_claim c = fake_claim(check_scripted, twin_scripted);
  struct dp_run_opts o = opts(3);
  struct dp_result r;
  /* errors but no failure: ERROR, even with passes */
  static const double e[] = { 1.0, BROKEN_SAID, 1.0 };
  run(&c, &o, e, 3, &r);
  ck_assert_int_eq(r.verdict, DP_ERROR);
  char want[200];
  snprintf(want, sizeof want, "trial 1 (seed %llu): broken on purpose, instance 1",
           (unsigned long long)dp_seed_replay(777, 1));
  ck_assert_str_eq(r.error, want);
  dp_result_free(&r);
  /* a failed generator is an error, with the generator's reason */
  static const double g[] = { GEN_FAILS };
  run(&c, &o, g, 1, &r);
  ck_assert_int_eq(r.verdict, DP_ERROR);
  ck_assert_uint_eq(r.nerror, 3);
  ck_assert_uint_eq(r.twin_error, 3);
  ck_assert_ptr_nonnull(strstr(r.error, "trial 0 (seed 777): instance generation failed: "));
  ck_assert_ptr_nonnull(strstr(r.error, "scripted generator failure at instance 0"));
  dp_result_free(&r);
  /* only skips: SKIP, never PASS */
  static const double k[] = { SKIPPED };
  run(&c, &o, k, 1, &r);
  ck_assert_int_eq(r.verdict, DP_SKIP);
  ck_assert(isnan(r.worst));
  ck_assert(!r.twin_ok && !r.twin_defect); /* 3 instances: too few to call it a defect */
  dp_result_free(&r);
}
END_TEST

/* Bug (a) of the "judge once" change: a check that measures a NaN figure is FAIL, and that
 * verdict is stored with the trial, so the TSV and the JSON print FAIL (the report used to
 * guess SKIP from the NaN and the counts). */
START_TEST(test_nan_figure_stored_as_fail)
{
  static const double s[] = { 1.0, NAN, SKIPPED, BROKEN_SAID };
  struct dp_claim c = fake_claim(check_scripted, twin_scripted);
  struct dp_run_opts o = opts(4);
  struct dp_result r;
  run(&c, &o, s, 4, &r);
  ck_assert_int_eq(r.verdicts[0], DP_PASS);
  ck_assert_int_eq(r.verdicts[1], DP_FAIL);
  ck_assert(isnan(r.figures[1]));
  ck_assert_int_eq(r.verdicts[2], DP_SKIP);
  ck_assert_int_eq(r.verdicts[3], DP_ERROR);
  ck_assert_int_eq(r.twin_verdicts[0], DP_FAIL); /* 1001 */
  ck_assert_int_eq(r.twin_verdicts[1], DP_PASS); /* NaN < 5 is false: 0.5 */
  ck_assert_int_eq(r.twin_verdicts[2], DP_SKIP);
  ck_assert_int_eq(r.twin_verdicts[3], DP_ERROR);
  ck_assert_int_eq(r.verdict, DP_FAIL);
  ck_assert_uint_eq(r.nfail, 1);
  /* the totals come from the stored claim verdicts */
  struct dp_totals t;
  dp_totals_count(&r, 1, &t);
  ck_assert(t.claims == 1 && t.fail == 1 && t.pass == 0 && t.skip == 0 && t.error == 0);
  ck_assert(!dp_totals_ok(&t));
  dp_result_free(&r);
}
END_TEST

/* Bug (b): a claim whose only instance is skipped is SKIP and is counted as a skip, never as
 * a pass; the totals of several claims add up to the number of claims. */
START_TEST(test_totals)
{
  struct dp_claim c = fake_claim(check_scripted, twin_scripted);
  struct dp_run_opts o = opts(1);
  struct dp_result r[4];
  static const double k[] = { SKIPPED }, p[] = { 1.0 }, f[] = { 500.0 }, e[] = { BROKEN_SAID };
  run(&c, &o, k, 1, &r[0]);
  run(&c, &o, p, 1, &r[1]);
  run(&c, &o, f, 1, &r[2]);
  run(&c, &o, e, 1, &r[3]);
  struct dp_totals t;
  dp_totals_count(r, 1, &t);
  ck_assert(t.claims == 1 && t.pass == 0 && t.skip == 1);
  ck_assert(dp_totals_ok(&t)); /* a skip alone fails nothing */
  dp_totals_count(r, 4, &t);
  ck_assert(t.claims == 4 && t.pass == 1 && t.fail == 1 && t.skip == 1 && t.error == 1);
  ck_assert_uint_eq(t.twin_defects, 0);
  r[1].twin_defect = 1;
  dp_totals_count(r, 2, &t);
  ck_assert(t.twin_defects == 1 && !dp_totals_ok(&t));
  for (int i = 0; i < 4; i++)
    dp_result_free(&r[i]);
}
END_TEST

/* Two tactics: the trail names each one kept, in order, folding repeats. */
static void *fake_lower(const void *p, unsigned k)
{
  const struct fake_inst *x = p;
  (void)k;
  struct fake_inst *y = malloc(sizeof *y);
  ck_assert_ptr_nonnull(y);
  *y = *x;
  y->v = x->v - 1;
  return y;
}

START_TEST(test_shrink_trail)
{
  static const struct dp_tactic two[] = { { "halve the figure", dp_tactic_once, fake_shrink },
                                          { "lower by one", dp_tactic_once, fake_lower } };
  struct dp_gen g = fake_gen;
  g.tactics = two;
  g.ntactics = 2;
  struct dp_claim c = fake_claim(check_scripted, twin_scripted);
  c.gen = &g;
  static const double s[] = { 500.0 };
  struct dp_run_opts o = opts(1);
  struct dp_result r;
  run(&c, &o, s, 1, &r);
  ck_assert_uint_eq(r.ncex, 1);
  /* 500 -> 31.25 by four halvings, then 30.25 by one lowering; 29.25 and 15.125 pass */
  ck_assert(r.cex[0].figure_min == 30.25);
  ck_assert_uint_eq(r.cex[0].steps, 5);
  ck_assert_str_eq(r.cex[0].trail, "halve the figure x4, lower by one");
  /* dp_gen_candidate walks the same list: candidate 1 is the lowering */
  struct fake_inst x = { 0, 500.0 };
  const char *name = NULL;
  struct fake_inst *y = dp_gen_candidate(&g, &x, 1, &name);
  ck_assert(y && y->v == 499.0);
  ck_assert_str_eq(name, "lower by one");
  free(y);
  ck_assert_ptr_null(dp_gen_candidate(&g, &x, 2, NULL));
  dp_result_free(&r);
}
END_TEST

START_TEST(test_slack_worst)
{
  static const double s[] = { 0.5, -1e-3, -0.25, 0.1, SKIPPED };
  struct dp_claim c = fake_claim(check_slack, twin_slack);
  c.tol_kind = DP_JUDGE_SLACK;
  c.tol = DP_TOL_SLACK;
  struct dp_run_opts o = opts(5);
  o.shrink = 0;
  struct dp_result r;
  run(&c, &o, s, 5, &r);
  ck_assert_int_eq(r.verdict, DP_FAIL);
  ck_assert_uint_eq(r.nfail, 2);
  /* worst: the most negative slack, not the largest value */
  ck_assert(r.worst == -0.25);
  ck_assert_str_eq(r.worst_what, "scripted slack -0.25");
  ck_assert(r.worst_seed == dp_seed_replay(777, 2));
  /* no shrinking asked: the counterexample is the instance as generated */
  ck_assert_uint_eq(r.cex[0].steps, 0);
  ck_assert(r.cex[0].figure_min == r.cex[0].figure);
  /* the twin's most rejected slack is its most negative one: -v - 1 at v = 0.5 */
  ck_assert_uint_eq(r.twin_rejected, 4);
  ck_assert(r.twin_worst == -1.5);
  dp_result_free(&r);
}
END_TEST

START_TEST(test_twin_defect)
{
  static const double s[] = { 1.0, 2.0 };
  struct dp_claim c = fake_claim(check_scripted, twin_passes);
  struct dp_run_opts o = opts(DP_TWIN_MIN_INSTANCES);
  struct dp_result r;
  /* at sizes below the defaults the twin is not testable: no defect of the check */
  run(&c, &o, s, 2, &r);
  ck_assert_int_eq(r.verdict, DP_PASS);
  ck_assert(!r.twin_ok && !r.twin_defect && r.twin_untestable);
  dp_result_free(&r);
  /* at the defaults, and above them, a twin never rejected is a harness defect */
  o.sizes.R_max = DP_SIZES_DEFAULT_R;
  o.sizes.V_max = DP_SIZES_DEFAULT_V;
  for (size_t dk = 0; dk <= 2 * DP_SIZES_DEFAULT_DK_WIDEST; dk += DP_SIZES_DEFAULT_DK_WIDEST) {
    o.sizes.dk_max = dk;
    run(&c, &o, s, 2, &r);
    ck_assert_int_eq(r.verdict, DP_PASS);
    ck_assert(!r.twin_ok && r.twin_defect && !r.twin_untestable && !r.has_twin_witness);
    dp_result_free(&r);
  }
  /* each dimension the claim's instances grow with, below its default, is enough to make it
   * untestable; a dimension they do not use is not (the scripted family declares none: R and
   * V; with d_k declared, --max-dk counts too) */
  const struct dp_sizes small[] = { { DP_SIZES_DEFAULT_R - 1, DP_SIZES_DEFAULT_V, 0 },
                                    { DP_SIZES_DEFAULT_R, DP_SIZES_DEFAULT_V - 1, 0 },
                                    { DP_SIZES_DEFAULT_R, DP_SIZES_DEFAULT_V,
                                      DP_SIZES_DEFAULT_DK_WIDEST - 1 } };
  const char *const named[] = { "--max-R 63", "--max-V 199", "--max-dk 1023" };
  struct dp_gen with_dk = fake_gen, only_dk = fake_gen;
  with_dk.dims = DP_DIM_R | DP_DIM_V | DP_DIM_DK;
  only_dk.dims = DP_DIM_DK;
  for (size_t k = 0; k < 3; k++) {
    char buf[64];
    o.sizes = small[k];
    dp_sizes_below_default_options(&o.sizes, buf, sizeof buf);
    ck_assert_str_eq(buf, named[k]);
    c.gen = &fake_gen;
    run(&c, &o, s, 2, &r);
    ck_assert(!r.twin_ok && r.twin_defect == (k == 2) && r.twin_untestable == (k < 2));
    dp_result_free(&r);
    c.gen = &with_dk;
    run(&c, &o, s, 2, &r);
    ck_assert(!r.twin_ok && !r.twin_defect && r.twin_untestable);
    dp_result_free(&r);
    c.gen = &only_dk;
    run(&c, &o, s, 2, &r);
    ck_assert(!r.twin_ok && r.twin_defect == (k < 2) && r.twin_untestable == (k == 2));
    dp_result_free(&r);
  }
  c.gen = &fake_gen;
  o.sizes.R_max = DP_SIZES_DEFAULT_R;
  o.sizes.V_max = DP_SIZES_DEFAULT_V;
  o.sizes.dk_max = 0;
  o.trials = DP_TWIN_MIN_INSTANCES - 1;
  run(&c, &o, s, 2, &r);
  ck_assert(!r.twin_ok && !r.twin_defect);
  dp_result_free(&r);
  /* trials 0: the claim's own default */
  o.trials = 0;
  run(&c, &o, s, 2, &r);
  ck_assert_uint_eq(r.n, c.trials);
  dp_result_free(&r);
}
END_TEST

/* A twin that skips where it cannot differ from the claim is judged on the rest only: a run
 * whose twin measured fewer than DP_TWIN_MIN_INSTANCES instances is no defect. */
static void twin_skips_small(const void *p, struct dp_outcome *o)
{
  const struct fake_inst *x = p;
  if (x->v < 2.0) {
    dp_outcome_skip(o, "the twin is the claim here");
    return;
  }
  dp_outcome_part(o, DP_JUDGE_RATIO, 0.25, "always fine");
}

START_TEST(test_twin_judged_where_measured)
{
  static const double s[] = { 1.0, 1.0, 1.0, 3.0 }; /* a quarter measured by the twin */
  struct dp_claim c = fake_claim(check_scripted, twin_skips_small);
  struct dp_run_opts o = opts(4 * DP_TWIN_MIN_INSTANCES - 4); /* 9 measured: too few */
  o.sizes.R_max = DP_SIZES_DEFAULT_R; /* the defaults: where a twin never rejected is judged */
  o.sizes.V_max = DP_SIZES_DEFAULT_V;
  struct dp_result r;
  run(&c, &o, s, 4, &r);
  ck_assert_uint_eq(r.twin_skip, 3 * DP_TWIN_MIN_INSTANCES - 3);
  ck_assert(!r.twin_ok && !r.twin_defect);
  dp_result_free(&r);
  o.trials = 4 * DP_TWIN_MIN_INSTANCES; /* 10 measured, never rejected: a defect */
  run(&c, &o, s, 4, &r);
  ck_assert(!r.twin_ok && r.twin_defect);
  dp_result_free(&r);
  /* a twin that errs is no excuse: erring on every instance is a defect */
  struct dp_claim e = fake_claim(check_scripted, twin_scripted);
  static const double broken[] = { BROKEN_SAID };
  o.trials = DP_TWIN_MIN_INSTANCES;
  run(&e, &o, broken, 1, &r);
  ck_assert(r.twin_error == DP_TWIN_MIN_INSTANCES && r.twin_defect);
  dp_result_free(&r);
  /* a twin measured on under a quarter of a long run is thin */
  static const double mostly_skipped[] = { 1.0, 1.0, 1.0, 1.0, 3.0 };
  o.trials = DP_COVERAGE_MIN_INSTANCES + 10; /* 12 of 60 measured */
  run(&c, &o, mostly_skipped, 5, &r);
  ck_assert(r.thin && strstr(r.thin_what, "false twin measured on 12 of 60") != NULL);
  dp_result_free(&r);
}
END_TEST

/* Coverage: a declared part counts the instances that measured it; a claim measured on too
 * few instances, or a part on too few, makes the run thin (reported, not a verdict). */
static const char *const two_parts[] = {"always", "only above 2", NULL};
static void check_parts(const void *p, struct dp_outcome *o)
{
  const struct fake_inst *x = p;
  if (x->v == SKIPPED) {
    dp_outcome_skip(o, "premise not met");
    return;
  }
  dp_outcome_part(o, DP_JUDGE_RATIO, 0.0, "always");
  dp_outcome_ran(o, 0);
  if (x->v > 2.0) {
    dp_outcome_part(o, DP_JUDGE_RATIO, x->v, "only above 2");
    dp_outcome_ran(o, 1);
  }
  dp_outcome_ran(o, DP_MAX_PARTS); /* out of range: ignored */
}

START_TEST(test_parts_and_thin)
{
  struct dp_claim c = fake_claim(check_parts, twin_scripted);
  c.parts = two_parts;
  struct dp_run_opts o = opts(60);
  struct dp_result r;
  static const double half[] = { 1.0, 3.0 }; /* the second part on half: not thin */
  run(&c, &o, half, 2, &r);
  ck_assert_uint_eq(r.nparts, 2);
  ck_assert_uint_eq(r.part_ran[0], 60);
  ck_assert_uint_eq(r.part_ran[1], 30);
  ck_assert(!r.thin && r.verdict == DP_PASS);
  dp_result_free(&r);
  static const double rare[] = { 1.0, 1.0, 1.0, 1.0, 3.0 }; /* on a fifth: thin */
  run(&c, &o, rare, 5, &r);
  ck_assert_uint_eq(r.part_ran[1], 12);
  ck_assert(r.thin && r.verdict == DP_PASS);
  ck_assert_ptr_nonnull(strstr(r.thin_what, "part \"only above 2\" measured on 12 of 60"));
  struct dp_totals t;
  dp_totals_count(&r, 1, &t);
  ck_assert(t.thin == 1 && dp_totals_ok(&t)); /* not a verdict */
  dp_result_free(&r);
  static const double skipped[] = { SKIPPED, SKIPPED, 3.0 }; /* the claim on a third: thin */
  run(&c, &o, skipped, 3, &r);
  ck_assert(r.thin && strstr(r.thin_what, "measured on 20 of 60 instances") != NULL);
  dp_result_free(&r);
  o.trials = DP_COVERAGE_MIN_INSTANCES - 1; /* a short run is never judged thin */
  run(&c, &o, skipped, 3, &r);
  ck_assert(!r.thin);
  dp_result_free(&r);
  /* the margin */
  ck_assert(dp_claim_margin(&c, 3.0) == 10.0);
  ck_assert(isinf(dp_claim_margin(&c, 0.0)) && isnan(dp_claim_margin(&c, NAN)));
  c.tol_kind = DP_JUDGE_SLACK;
  c.tol = 0.5;
  ck_assert(dp_claim_margin(&c, -0.25) == 2.0 && isinf(dp_claim_margin(&c, 1.0)));
}
END_TEST

START_TEST(test_bad_sizes)
{
  struct dp_claim c = fake_claim(check_scripted, twin_scripted);
  struct dp_run_opts o = opts(2);
  o.sizes.R_max = 0;
  struct dp_result r;
  ck_assert_int_eq(dp_run_claim(&c, &o, &r), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "R_max and V_max"));
  ck_assert_ptr_eq(r.claim, &c);
  ck_assert_uint_eq(r.n, 0);
  o.sizes.R_max = 4;
  o.sizes.V_max = 0;
  ck_assert_int_eq(dp_run_claim(&c, &o, &r), GSL_EINVAL);
  dp_result_free(NULL); /* harmless */
}
END_TEST

START_TEST(test_names)
{
  ck_assert_str_eq(dp_verdict_name(DP_PASS), "PASS");
  ck_assert_str_eq(dp_verdict_name(DP_ERROR), "ERROR");
  ck_assert_str_eq(dp_verdict_name((enum dp_verdict)7), "UNKNOWN");
  char buf[200];
  struct dp_claim c = fake_claim(check_scripted, twin_scripted);
  struct dp_run_opts o = opts(1);
  dp_replay_command(&c, &o, UINT64_MAX, buf, sizeof buf);
  ck_assert_str_eq(buf, "OPENBLAS_NUM_THREADS=1 dpcheck verify --claim T01 "
                        "--seed 18446744073709551615 --trials 1 --max-R 8 --max-V 8");
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Real-text rows and extras                                                                 */

static int cases_status = GSL_SUCCESS;
static int real_mode;

static int real_rows(const struct dp_ctx *ctx, struct dp_case_row *rows, size_t max,
                     size_t *nrows)
{
  ck_assert_ptr_null(ctx->env->corpus); /* the tests give none */
  ck_assert_uint_eq(ctx->master, 777);   /* the run's seed reaches the hook */
  ck_assert_uint_ge(max, 2);
  memset(rows, 0, 2 * sizeof *rows);
  snprintf(rows[0].label, sizeof rows[0].label, "row one");
  dp_outcome_part(&rows[0].claim, DP_JUDGE_RATIO, real_mode == 1 ? 99.0 : 1.0, "r1");
  dp_outcome_part(&rows[0].twin, DP_JUDGE_RATIO, 500.0, "r1 twin");
  snprintf(rows[1].label, sizeof rows[1].label, "row two");
  if (real_mode == 2)
    dp_outcome_broken(&rows[1].claim, "no counts on this text");
  else
    dp_outcome_part(&rows[1].claim, DP_JUDGE_RATIO, 2.0, "r2");
  /* mode 3: row two's twin passes where the claim holds (a harness defect); mode 4: it skips
   * (it cannot differ there: no defect, as on a generated instance) */
  if (real_mode == 4)
    dp_outcome_skip(&rows[1].twin, "r2 twin cannot differ here");
  else
    dp_outcome_part(&rows[1].twin, DP_JUDGE_RATIO, real_mode == 3 ? 0.5 : 800.0, "r2 twin");
  *nrows = 2;
  if (cases_status != GSL_SUCCESS)
    return DP_ERROR(cases_status, "the real text could not be read");
  return GSL_SUCCESS;
}

START_TEST(test_real_rows)
{
  static const double s[] = { 1.0 };
  struct dp_claim c = fake_claim(check_scripted, twin_scripted);
  c.cases = real_rows;
  struct dp_run_opts o = opts(2);
  struct dp_result r;
  real_mode = 0;
  cases_status = GSL_SUCCESS;
  run(&c, &o, s, 1, &r);
  ck_assert_int_eq(r.verdict, DP_PASS);
  ck_assert_uint_eq(r.ncases, 2);
  ck_assert_str_eq(r.cases[1].label, "row two");
  ck_assert(r.cases[0].twin.figure == 500.0);
  /* the rows' verdicts are stored by the runner, claim and twin */
  ck_assert_int_eq(r.cases[0].verdict, DP_PASS);
  ck_assert_int_eq(r.cases[0].twin_verdict, DP_FAIL);
  ck_assert(!r.twin_defect && !r.twin_row_defect);
  dp_result_free(&r);
  /* a judged row where the claim holds and its twin is not rejected: a harness defect,
   * like a twin never rejected on the generated instances */
  real_mode = 3;
  run(&c, &o, s, 1, &r);
  ck_assert_int_eq(r.verdict, DP_PASS);
  ck_assert_int_eq(r.cases[1].twin_verdict, DP_PASS);
  ck_assert(r.twin_defect && r.twin_row_defect);
  ck_assert_str_eq(r.twin_row, "row two");
  struct dp_totals t;
  dp_totals_count(&r, 1, &t);
  ck_assert(t.twin_defects == 1 && !dp_totals_ok(&t));
  dp_result_free(&r);
  real_mode = 4;
  run(&c, &o, s, 1, &r);
  ck_assert_int_eq(r.cases[1].twin_verdict, DP_SKIP);
  ck_assert(!r.twin_defect && !r.twin_row_defect);
  dp_result_free(&r);
  real_mode = 0;
  /* every generated instance skipped but a row passed: the claim has a PASS */
  static const double k[] = { SKIPPED };
  run(&c, &o, k, 1, &r);
  ck_assert_uint_eq(r.npass, 0);
  ck_assert_int_eq(r.verdict, DP_PASS);
  dp_result_free(&r);
  /* a real row that fails makes the claim fail */
  real_mode = 1;
  run(&c, &o, s, 1, &r);
  ck_assert_int_eq(r.verdict, DP_FAIL);
  ck_assert_uint_eq(r.nfail, 0); /* generated instances all passed */
  dp_result_free(&r);
  /* a real row that breaks is an error, with its reason */
  real_mode = 2;
  run(&c, &o, s, 1, &r);
  ck_assert_int_eq(r.verdict, DP_ERROR);
  ck_assert_str_eq(r.error, "judged row 'row two': no counts on this text");
  dp_result_free(&r);
  /* real rows that cannot be computed at all: an error with the recorded reason */
  real_mode = 0;
  cases_status = GSL_EFAILED;
  run(&c, &o, s, 1, &r);
  ck_assert_int_eq(r.cases_status, GSL_EFAILED);
  ck_assert_int_eq(r.verdict, DP_ERROR);
  ck_assert_ptr_nonnull(strstr(r.error, "judged rows: "));
  ck_assert_ptr_nonnull(strstr(r.error, "the real text could not be read"));
  dp_result_free(&r);
  cases_status = GSL_SUCCESS;
}
END_TEST

static int extras_fail;

static int extras_attach(const struct dp_ctx *o, struct dp_evidence *x)
{
  ck_assert_uint_eq(o->master, 777); /* the run's seed reaches the hook */
  static const char *const head[] = { "d_k", "error" };
  struct dp_table *t = dp_evidence_table(x, "errors", 2, head);
  if (!t)
    return GSL_ENOMEM;
  char buf[32];
  for (unsigned k = 1; k <= 10; k++) { /* past the first capacity of 8 rows */
    snprintf(buf, sizeof buf, "%u", k);
    int st = dp_table_row(t, buf, k % 2 ? "odd" : NULL);
    if (st)
      return st;
  }
  struct dp_plot *p = dp_evidence_plot(x, "curve", "d_k", "error", 1, 1);
  if (!p)
    return GSL_ENOMEM;
  const double xs[3] = { 1, 2, (double)o->sizes.R_max }, ys[3] = { 1, 0.5, 0.25 };
  int st = dp_plot_series(p, "measured", 0, 3, xs, ys);
  if (st)
    return st;
  if (extras_fail)
    return DP_ERROR(GSL_EDOM, "the curve has no limit");
  return GSL_SUCCESS;
}

START_TEST(test_extras_attached)
{
  static const double s[] = { 1.0 };
  struct dp_claim c = fake_claim(check_scripted, twin_scripted);
  c.evidence = extras_attach;
  struct dp_run_opts o = opts(2);
  struct dp_result r;
  extras_fail = 0;
  run(&c, &o, s, 1, &r);
  ck_assert_int_eq(r.verdict, DP_PASS);
  ck_assert_int_eq(r.evidence_status, GSL_SUCCESS);
  ck_assert_uint_eq(r.evidence.ntables, 1);
  const struct dp_table *t = &r.evidence.tables[0];
  ck_assert_uint_eq(t->nrow, 10);
  ck_assert_uint_ge(t->cap, 10);
  ck_assert_str_eq(t->head[1], "error");
  ck_assert_str_eq(t->cell[9 * 2 + 0], "10");
  ck_assert_str_eq(t->cell[9 * 2 + 1], ""); /* a NULL cell is empty */
  ck_assert_str_eq(t->cell[8 * 2 + 1], "odd");
  ck_assert_uint_eq(r.evidence.nplots, 1);
  const struct dp_plot *p = &r.evidence.plots[0];
  ck_assert(p->logx && p->logy && p->nseries == 1 && p->series[0].n == 3);
  ck_assert(p->series[0].x[2] == 8.0 && p->series[0].y[1] == 0.5);
  dp_result_free(&r);
  ck_assert_ptr_null(r.evidence.tables);
  /* extras that fail: an error, with their reason; what was attached is kept */
  extras_fail = 1;
  run(&c, &o, s, 1, &r);
  ck_assert_int_eq(r.evidence_status, GSL_EDOM);
  ck_assert_int_eq(r.verdict, DP_ERROR);
  ck_assert_ptr_nonnull(strstr(r.error, "tables and plots: "));
  ck_assert_ptr_nonnull(strstr(r.error, "the curve has no limit"));
  ck_assert_uint_eq(r.evidence.nplots, 1);
  dp_result_free(&r);
}
END_TEST

START_TEST(test_extras_limits)
{
  struct dp_evidence x = {0};
  static const char *const head[DP_TABLE_MAXCOL + 1] = { "a", NULL };
  ck_assert_ptr_null(dp_evidence_table(&x, "none", 0, head));
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "table 'none': 0 columns (1 to 12)"));
  ck_assert_ptr_null(dp_evidence_table(&x, "wide", DP_TABLE_MAXCOL + 1, head));
  ck_assert_uint_eq(x.ntables, 0);
  struct dp_table *t = dp_evidence_table(&x, "two", 2, head);
  ck_assert_ptr_nonnull(t);
  ck_assert_str_eq(t->head[0], "a");
  ck_assert_str_eq(t->head[1], ""); /* a NULL head is empty */
  struct dp_plot *p = dp_evidence_plot(&x, "six at most", "x", "y", 0, 0);
  ck_assert_ptr_nonnull(p);
  const double v[1] = { 1 };
  for (int k = 0; k < DP_PLOT_MAXSERIES; k++)
    ck_assert_int_eq(dp_plot_series(p, "s", k % 2, 1, v, v), GSL_SUCCESS);
  ck_assert_int_eq(dp_plot_series(p, "seventh", 0, 1, v, v), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "more than 6 series"));
  ck_assert_uint_eq(p->nseries, DP_PLOT_MAXSERIES);
  /* an empty series is fine on a plot with room */
  struct dp_plot *q = dp_evidence_plot(&x, "empty", "x", "y", 0, 0);
  ck_assert_int_eq(dp_plot_series(q, "nothing", 0, 0, v, v), GSL_SUCCESS);
  ck_assert_uint_eq(q->series[0].n, 0);
  ck_assert_uint_eq(x.nplots, 2);
  dp_evidence_free(&x);
  ck_assert(x.ntables == 0 && x.nplots == 0 && x.tables == NULL && x.plots == NULL);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Progress, error channel                                                                   */

START_TEST(test_progress)
{
  static const double s[] = { 1.0 };
  struct dp_claim c = fake_claim(check_scripted, twin_scripted);
  struct dp_run_opts o = opts(20);
  char *buf = NULL;
  size_t len = 0;
  o.progress = open_memstream(&buf, &len);
  ck_assert_ptr_nonnull(o.progress);
  struct dp_result r;
  run(&c, &o, s, 1, &r);
  fclose(o.progress);
  /* every tenth of the trials, then the line is cleared */
  char line[100];
  snprintf(line, sizeof line, "\r  T01 %-40s     2/20", "Scripted claim");
  ck_assert_ptr_nonnull(strstr(buf, line));
  ck_assert_ptr_nonnull(strstr(buf, "    20/20\r\033[K"));
  ck_assert_ptr_null(strstr(buf, " 3/20"));
  int lines = 0;
  for (const char *p = buf; (p = strchr(p, '\r')) != NULL; p++)
    lines++;
  ck_assert_int_eq(lines, 10 + 1);
  free(buf);
  dp_result_free(&r);
  /* fewer than ten trials: every trial */
  buf = NULL;
  o.progress = open_memstream(&buf, &len);
  o.trials = 3;
  run(&c, &o, s, 1, &r);
  fclose(o.progress);
  ck_assert_ptr_nonnull(strstr(buf, " 1/3"));
  ck_assert_ptr_nonnull(strstr(buf, " 2/3"));
  ck_assert_ptr_nonnull(strstr(buf, " 3/3"));
  free(buf);
  dp_result_free(&r);
}
END_TEST

START_TEST(test_err_channel)
{
  dp_err_clear();
  ck_assert_str_eq(dp_err_last(), "");
  ck_assert_str_eq(dp_err_reason(), "");
  ck_assert_int_eq(dp_err_set(GSL_EDOM, "a.c", 12, "bad %s\nvalue\t%d", "x", 3), GSL_EDOM);
  ck_assert_str_eq(dp_err_last(), "a.c:12: bad x value 3"); /* one line */
  ck_assert_str_eq(dp_err_reason(), "bad x value 3");
  ck_assert_int_eq(dp_err_set(GSL_EINVAL, NULL, 0, NULL), GSL_EINVAL);
  ck_assert_str_eq(dp_err_last(), "?:0: ");
  ck_assert_str_eq(dp_err_reason(), "");
  /* GSL's own errors come through the installed handler */
  gsl_error(NULL, NULL, 7, GSL_EFAILED);
  ck_assert_str_eq(dp_err_last(), "?:7: (no reason given)");
  gsl_error("singular\x01matrix", "lu.c", 99, GSL_ESING);
  ck_assert_str_eq(dp_err_last(), "lu.c:99: singular matrix");
  ck_assert_str_eq(dp_err_reason(), "singular matrix");
  /* a location longer than the buffer: cut, and the reason is empty, not garbage */
  char *file = malloc(3000);
  ck_assert_ptr_nonnull(file);
  memset(file, 'f', 2999);
  file[2999] = '\0';
  dp_err_set(GSL_EFAILED, file, 1, "lost");
  ck_assert_uint_eq(strlen(dp_err_last()), 1023);
  ck_assert_str_eq(dp_err_reason(), "");
  gsl_error("lost too", file, 2, GSL_EFAILED);
  ck_assert_uint_eq(strlen(dp_err_last()), 1023);
  ck_assert_str_eq(dp_err_reason(), "");
  free(file);
  /* a long reason is cut at the buffer's end */
  char *why = malloc(3000);
  ck_assert_ptr_nonnull(why);
  memset(why, 'w', 2999);
  why[2999] = '\0';
  dp_err_set(GSL_EFAILED, "b.c", 3, "%s", why);
  ck_assert_uint_eq(strlen(dp_err_last()), 1023);
  ck_assert(strncmp(dp_err_last(), "b.c:3: www", 10) == 0);
  free(why);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Findings: a probe measures the paper's reading on the same instances                      */

/* The reading fails (ratio v against 3) where v > 3, skips where the premise fails. */
static void probe_scripted(const void *p, struct dp_outcome *o)
{
  const struct fake_inst *x = p;
  if (x->v == SKIPPED || x->v < -1e299) {
    dp_outcome_skip(o, "condition holds");
    return;
  }
  dp_outcome_part(o, DP_JUDGE_RATIO, x->v, "reading off by %g", x->v);
}

static void probe_fine(const void *p, struct dp_outcome *o)
{
  (void)p;
  dp_outcome_part(o, DP_JUDGE_RATIO, 0.0, "holds");
}

static const struct dp_finding_def two_findings[] = {
  {.key = "k1", .kind = DP_FINDING_CONDITION, .summary = "s1", .as_stated = "a1",
   .condition = "v <= 3", .probe = probe_scripted, .tol_kind = DP_JUDGE_RATIO, .tol = 3.0},
  {.key = "k2", .kind = DP_FINDING_LOOSE, .summary = "s2", .as_stated = "a2",
   .condition = "none", .probe = probe_fine, .tol_kind = DP_JUDGE_RATIO, .tol = 3.0},
};

/* Two judged rows, each probed: figures 7 and 2.5 (the first fails the reading). */
static int probed_rows(const struct dp_ctx *ctx, struct dp_case_row *rows, size_t max,
                       size_t *nrows)
{
  static struct fake_inst xs[2] = { { 0, 7.0 }, { 1, 2.5 } };
  ck_assert_uint_ge(max, 2);
  for (int i = 0; i < 2; i++) {
    snprintf(rows[i].label, sizeof rows[i].label, "row %d", i);
    dp_case_row_measure(&rows[i], ctx->claim->check, ctx->claim->twin, &xs[i]);
    dp_case_row_probe(&rows[i], ctx->claim, &xs[i]);
  }
  *nrows = 2;
  return GSL_SUCCESS;
}

START_TEST(test_findings)
{
  struct dp_claim c = fake_claim(check_scripted, twin_scripted);
  c.findings = two_findings;
  c.nfindings = 2;
  /* every instance passes the claim; the reading fails on 20 and 24, skips one */
  static const double s[] = { 1.0, 2.0, 20.0, SKIPPED, 24.0 };
  struct dp_run_opts o = opts(5);
  struct dp_result r;
  run(&c, &o, s, 5, &r);
  ck_assert_int_eq(r.verdict, DP_PASS);
  ck_assert_uint_eq(r.nfindings, 2);
  const struct dp_finding *f = &r.findings[0];
  ck_assert(f->def == &two_findings[0] && f->shown);
  ck_assert(f->n == 5 && f->failed == 2 && f->skipped == 1 && f->error == 0);
  ck_assert(f->worst == 24.0);
  /* the first failure (20) shrunk by the claim's tactics, judged by the probe's rule: 20 ->
   * 10 still fails (> 3), and 5 is not offered (the tactic stops above 8) */
  ck_assert(f->has_cex && f->cex.trial == 2);
  ck_assert(f->cex.figure == 20.0 && f->cex.figure_min == 10.0);
  ck_assert_uint_eq(f->cex.steps, 1);
  ck_assert_str_eq(f->cex.trail, "halve the figure");
  ck_assert_str_eq(f->cex.what, "reading off by 10");
  ck_assert_ptr_nonnull(strstr(f->cex.replay, "--claim T01"));
  ck_assert(!r.findings[1].shown && r.findings[1].n == 5 && r.findings[1].failed == 0);
  ck_assert(!r.findings[1].has_cex);
  ck_assert_str_eq(dp_result_standing(&r), "under_conditions");
  struct dp_totals t;
  dp_totals_count(&r, 1, &t);
  ck_assert(t.pass == 1 && t.as_stated == 0 && t.conditional == 1 && t.findings == 1);
  dp_result_free(&r);

  /* no instance fails the reading: nothing shown, the claim holds as stated */
  static const double q[] = { 1.0, 2.0 };
  run(&c, &o, q, 2, &r);
  ck_assert(!r.findings[0].shown && r.findings[0].failed == 0 && !r.findings[0].has_cex);
  ck_assert_str_eq(dp_result_standing(&r), "as_stated");
  dp_totals_count(&r, 1, &t);
  ck_assert(t.as_stated == 1 && t.conditional == 0 && t.findings == 0);
  dp_result_free(&r);

  /* a failing claim is "fail" whatever its findings */
  static const double bad[] = { 500.0, 20.0 };
  run(&c, &o, bad, 2, &r);
  ck_assert_str_eq(dp_result_standing(&r), "fail");
  ck_assert(r.findings[0].shown);
  dp_totals_count(&r, 1, &t);
  ck_assert(t.fail == 1 && t.as_stated == 0 && t.conditional == 0);
  dp_result_free(&r);

  /* judged rows are probed too: the failing rows' range and the worst row's part */
  c.cases = probed_rows;
  run(&c, &o, q, 2, &r);
  f = &r.findings[0];
  ck_assert(f->shown && f->failed == 0 && f->rows == 2 && f->rows_failed == 1);
  ck_assert(f->row_min == 7.0 && f->row_max == 7.0);
  ck_assert_str_eq(f->row_what, "row 0: reading off by 7");
  ck_assert_uint_eq(r.cases[1].nprobe, 2);
  ck_assert(r.findings[1].rows == 2 && r.findings[1].rows_failed == 0);
  ck_assert_str_eq(dp_result_standing(&r), "under_conditions");
  dp_result_free(&r);

  /* a loose bound shown leaves the claim as stated: it holds, it overstates */
  static const struct dp_finding_def loose_only[] = {
    {.key = "k3", .kind = DP_FINDING_LOOSE, .summary = "s3", .as_stated = "a3",
     .condition = "c3", .probe = probe_scripted, .tol_kind = DP_JUDGE_RATIO, .tol = 3.0},
  };
  c.cases = NULL;
  c.findings = loose_only;
  c.nfindings = 1;
  run(&c, &o, s, 5, &r);
  ck_assert(r.verdict == DP_PASS && r.findings[0].shown);
  ck_assert_str_eq(dp_result_standing(&r), "as_stated");
  dp_totals_count(&r, 1, &t);
  ck_assert(t.as_stated == 1 && t.conditional == 0 && t.findings == 1);
  dp_result_free(&r);

  ck_assert_str_eq(dp_finding_kind_name(DP_FINDING_CONDITION), "condition");
  ck_assert_str_eq(dp_finding_kind_name(DP_FINDING_RESTATED), "restated");
  ck_assert_str_eq(dp_finding_kind_name(DP_FINDING_LOOSE), "loose");
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Tiers: the exact tier's instances and twin, the formal tier against what the build proved  */

/* 0 holds; 1 the claim fails on seed-odd instances; 2 the twin never rejected; 3 the twin
 * holds on one instance in four where it could differ; 4 the twin skips everywhere */
static int exact_mode;

static void exact_scripted(uint64_t seed, const struct dp_sizes *sz, int twin,
                           struct dp_outcome *o)
{
  (void)sz;
  if (twin) {
    if (exact_mode == 2 || (exact_mode == 3 && seed % 4 == 0))
      dp_outcome_part(o, DP_JUDGE_RATIO, 0.0, "twin holds here");
    else if (exact_mode == 4 || seed % 4 <= 1)
      dp_outcome_skip(o, "the twin cannot differ here");
    else
      dp_outcome_part(o, DP_JUDGE_RATIO, DP_RATIO_FAIL, "twin differs");
    return;
  }
  dp_outcome_part(o, DP_JUDGE_RATIO, exact_mode == 1 && seed % 2 ? DP_RATIO_FAIL : 0.0,
                  "exact, seed %llu", (unsigned long long)seed);
}

START_TEST(test_tiers)
{
  static const double s[] = { 1.0 };
  static const struct dp_exact ex = { .kind = DP_EXACT_IDENTITY, .statement = "A = B",
                                      .trials = 40, .degree = 2, .range = 2,
                                      .check = exact_scripted };
  static const char *const thm[] = { "thm_a", "thm_b", NULL };
  struct dp_claim c = fake_claim(check_scripted, twin_scripted);
  c.exact = &ex;
  c.theorems = thm;
  struct dp_run_opts o = opts(2);
  o.sizes.R_max = DP_SIZES_DEFAULT_R;
  o.sizes.V_max = DP_SIZES_DEFAULT_V;
  struct dp_result r;
  exact_mode = 0;
  run(&c, &o, s, 1, &r);
  const struct dp_tier_result *x = &r.tiers[DP_TIER_EXACT], *fm = &r.tiers[DP_TIER_FORMAL];
  /* --trials 2 reaches the exact tier too; the bound counts only the instances where the
   * twin could differ (Schwartz-Zippel: (2 / 5)^decisive), and with none the tier is SKIP */
  ck_assert(x->applies && x->n == 2 && x->pass == 2);
  ck_assert_uint_eq(x->decisive, x->twin_n - x->twin_skip);
  if (x->decisive) {
    ck_assert(x->verdict == DP_PASS);
    ck_assert(fabs(x->log10_bound - x->decisive * log10(0.4)) < 1e-12);
  } else {
    ck_assert(x->verdict == DP_SKIP);
  }
  /* no proofs built in: the formal tier is SKIP, never PASS */
  ck_assert(fm->applies && fm->verdict == DP_SKIP);
  ck_assert_ptr_nonnull(strstr(fm->reason, "not built in"));
  ck_assert(r.tiers[DP_TIER_FLOAT].applies && r.tiers[DP_TIER_FLOAT].verdict == DP_PASS);
  ck_assert_int_eq(r.verdict, DP_PASS);
  dp_result_free(&r);

  /* the default trials, the twin's counts: rejected wherever it did not skip */
  o.trials = 0;
  run(&c, &o, s, 1, &r);
  x = &r.tiers[DP_TIER_EXACT];
  ck_assert(x->n == 40 && x->twin_n == 40 && x->twin_rejected + x->twin_skip == 40);
  ck_assert(x->twin_rejected > 0 && !r.twin_defect && !x->twin_defect);
  ck_assert(x->decisive == x->twin_rejected && x->verdict == DP_PASS);
  ck_assert(fabs(x->log10_bound - x->decisive * log10(0.4)) < 1e-12);
  ck_assert_ptr_nonnull(strstr(x->reason, "(2/5)^"));
  dp_result_free(&r);

  /* the twin holding on one instance where it could differ: a harness defect, said */
  exact_mode = 3;
  run(&c, &o, s, 1, &r);
  x = &r.tiers[DP_TIER_EXACT];
  ck_assert(x->twin_defect && r.twin_defect);
  ck_assert_ptr_nonnull(strstr(x->twin_what, "the twin held on "));
  ck_assert_ptr_nonnull(strstr(x->twin_what, "twin holds here"));
  dp_result_free(&r);

  /* a twin that skips everywhere: nothing decided, SKIP, and no defect */
  exact_mode = 4;
  run(&c, &o, s, 1, &r);
  x = &r.tiers[DP_TIER_EXACT];
  ck_assert(x->verdict == DP_SKIP && x->decisive == 0 && !x->twin_defect);
  ck_assert_ptr_nonnull(strstr(x->reason, "not decided"));
  dp_result_free(&r);

  /* an exact failure fails the claim, with the first failing instance named */
  exact_mode = 1;
  run(&c, &o, s, 1, &r);
  x = &r.tiers[DP_TIER_EXACT];
  ck_assert(x->verdict == DP_FAIL && x->fail > 0 && r.verdict == DP_FAIL);
  ck_assert_ptr_nonnull(strstr(x->first, "exact, seed "));
  ck_assert(x->first_seed % 2 == 1);
  /* its replay runs the tier up to that instance from the same master seed: the failing
   * instance is the last it runs, and the first to fail */
  {
    const char *tr = strstr(x->replay, "--trials ");
    ck_assert_ptr_nonnull(strstr(x->replay, "--claim T01 --seed 777 "));
    ck_assert_ptr_nonnull(tr);
    struct dp_run_opts ro = o;
    ro.trials = (unsigned)strtoul(tr + 9, NULL, 10);
    struct dp_result rr;
    run(&c, &ro, s, 1, &rr);
    ck_assert(rr.tiers[DP_TIER_EXACT].fail == 1 && rr.tiers[DP_TIER_EXACT].first_seed ==
                                                      x->first_seed);
    dp_result_free(&rr);
  }
  dp_result_free(&r);

  /* a twin the exact check never rejects: a harness defect */
  exact_mode = 2;
  run(&c, &o, s, 1, &r);
  ck_assert(r.tiers[DP_TIER_EXACT].twin_defect && r.twin_defect);
  dp_result_free(&r);
  exact_mode = 0;

  /* the formal tier against what the build proved: every theorem closed, one missing, one
   * resting on an axiom */
  static const struct dp_proved all[] = { { "T01", "thm_a", "forall x, x = x", 1 },
                                          { "T01", "thm_b", "True", 1 } };
  static const struct dp_proved open_b[] = { { "T01", "thm_a", "forall x, x = x", 1 },
                                             { "T01", "thm_b", "True", 0 } };
  struct dp_formal_build fb = { 1, NULL, all, 2 };
  o.formal = &fb;
  run(&c, &o, s, 1, &r);
  fm = &r.tiers[DP_TIER_FORMAL];
  ck_assert(fm->verdict == DP_PASS && fm->n == 2 && fm->pass == 2 && r.verdict == DP_PASS);
  dp_result_free(&r);
  fb.n = 1;
  run(&c, &o, s, 1, &r);
  fm = &r.tiers[DP_TIER_FORMAL];
  ck_assert(fm->verdict == DP_FAIL && r.verdict == DP_FAIL);
  ck_assert_str_eq(fm->first, "thm_b: not among the proved theorems");
  dp_result_free(&r);
  fb.thm = open_b;
  fb.n = 2;
  run(&c, &o, s, 1, &r);
  ck_assert_str_eq(r.tiers[DP_TIER_FORMAL].first,
                   "thm_b: depends on an axiom or an admitted lemma");
  dp_result_free(&r);

  /* a claim with neither: both tiers not applicable, the float tier as ever */
  c.exact = NULL;
  c.theorems = NULL;
  run(&c, &o, s, 1, &r);
  ck_assert(!r.tiers[DP_TIER_EXACT].applies && !r.tiers[DP_TIER_FORMAL].applies);
  ck_assert_str_eq(dp_tier_name(DP_TIER_FORMAL), "formal");
  ck_assert_str_eq(dp_tier_name(DP_TIER_EXACT), "exact");
  ck_assert_str_eq(dp_tier_name(DP_TIER_FLOAT), "float");
  dp_result_free(&r);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("runner");
  TCase *tc = tcase_create("runner");
  tcase_add_test(tc, test_counts_and_verdict);
  tcase_add_test(tc, test_error_and_skip_verdicts);
  tcase_add_test(tc, test_slack_worst);
  tcase_add_test(tc, test_nan_figure_stored_as_fail);
  tcase_add_test(tc, test_totals);
  tcase_add_test(tc, test_shrink_trail);
  tcase_add_test(tc, test_twin_defect);
  tcase_add_test(tc, test_twin_judged_where_measured);
  tcase_add_test(tc, test_parts_and_thin);
  tcase_add_test(tc, test_bad_sizes);
  tcase_add_test(tc, test_names);
  tcase_add_test(tc, test_real_rows);
  tcase_add_test(tc, test_progress);
  tcase_add_test(tc, test_findings);
  tcase_add_test(tc, test_tiers);
  suite_add_tcase(s, tc);
  tc = tcase_create("extras");
  tcase_add_test(tc, test_extras_attached);
  tcase_add_test(tc, test_extras_limits);
  suite_add_tcase(s, tc);
  tc = tcase_create("err");
  tcase_add_test(tc, test_err_channel);
  suite_add_tcase(s, tc);
  return s;
}
