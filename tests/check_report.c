/* check_report.c: unit tests of the report wing (src/report/), with Check.
 *
 * The runner and the claims are not needed: the tests build a fixed fake run by hand, four
 * claims whose texts need escaping (<, >, &, quotes, backslash, control characters, UTF-8 such
 * as "λ_k(S) ≥ λ_k(M)", a label cut in the middle of a UTF-8 sequence) and whose results cover
 * PASS, FAIL with a counterexample, SKIP, ERROR, a twin rejected with a witness, twins never
 * rejected (harness defects), NaN and infinite figures, DP_RATIO_FAIL figures and real-text
 * rows, and claim-specific tables and plots (escaped cells, log and linear axes, dashed
 * references, points that cannot be drawn, a lone point, a flat series, no series, a failed
 * status, a million-point series). They check JSON escaping, NaN -> null, exact 64-bit seeds,
 * the TSVs, the HTML page's structure and escaping, atomic writes (no temporary left, an
 * existing file untouched when filling fails, a clean error for an impossible path) and pin the
 * whole JSON layout against tests/golden/residuals.json, with the version strings blanked; the
 * plots' geometry is checked against coordinates computed by hand; and the edges: malformed
 * runs and ids, rare and broken UTF-8, uneven twins, unknown states, plurals, odd axes. The
 * program also serves tests/report.test: `check_report --html FILE` writes the fake run's page,
 * `check_report --write DIR` the whole fake report, and `check_report --golden` prints the
 * blanked JSON (to regenerate the golden file after a deliberate schema change). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "atomic.h"
#include "err.h"
#include "tol.h"
#include "claim.h"
#include "report.h"
#include "testutil.h"

#ifndef DP_SRCDIR
#define DP_SRCDIR "."
#endif
#define GOLDEN DP_SRCDIR "/tests/golden/residuals.json"

/* ---------------------------------------------------------------------------------------- */
/* The fake run                                                                              */

static const struct dp_finding_def findings_c01[] = {
  {.key = "needs-psd", .kind = DP_FINDING_CONDITION,
   .summary = "The identity needs S <PSD> & symmetric.",
   .as_stated = "M = Q S Q^T for \"every\" S.", .condition = "S PSD <&>",
   .tol_kind = DP_JUDGE_RATIO, .tol = 10},
  {.key = "loose", .kind = DP_FINDING_LOOSE, .summary = "Loose.", .as_stated = "Tight.",
   .condition = "never tight", .tol_kind = DP_JUDGE_SLACK, .tol = 0.5},
};

static const struct dp_claim claim_c01 = {
  .id = "C01",
  .slug = "fake_identity",
  .title = "Projection identity <M = Q S Q^T> & friends",
  .paper_ref = "\xC2\xA7" "3.2, Eq. (7)",
  .statement = "For every sequence t and symmetric S: M = Q S Q^T \"exactly\", "
               "with Q's rows e_{t_i}; path C:\\dpcheck\\m",
  .conditions = "any S; R >= 1",
  .judged = "test ratio ||M - Q S Q^T||_F / (n eps ||S||_F).",
  .twin_statement = "M = Q^T S Q (the transposed projection) <twin>",
  .tol_kind = DP_JUDGE_RATIO,
  .tol = DP_TOL_RATIO,
  .trials = 6,
  .parts = (const char *const[]){"a part <beyond> the premise", NULL},
  .holds_under = "any S <&> R >= 1",
  .findings = findings_c01,
  .nfindings = 2,
  .theorems = (const char *const[]){"thm_c01", "thm_missing", NULL},
};

/* What the fake build proved: C01's first theorem, with a statement that needs escaping. */
static const struct dp_proved fake_proved[] = {
  {"C01", "thm_c01", "forall (S : 'M_V) (i j : 'I_R), (Q *m S *m Q^T) i j = S (t i) (t j) <&>", 1},
};
static const struct dp_formal_build fake_formal = {1, NULL, fake_proved, 1};

static const struct dp_claim claim_c02 = {
  .id = "C02",
  .slug = "fake_interlace",
  .title = "Eigenvalues interlace: \xCE\xBB_k(S) \xE2\x89\xA5 \xCE\xBB_k(M)",
  .paper_ref = "Thm 2 & Cor. 1",
  .statement = "For PSD S: \xCE\xBB_k(S) \xE2\x89\xA5 \xCE\xBB_k(M) for k = 1..R\n"
               "(Cauchy interlacing,\ttab-separated)",
  .conditions = "S PSD by construction, else SKIP",
  .judged = "relative slack (\xCE\xBB_k(S) - \xCE\xBB_k(M)) / |\xCE\xBB_1(S)|, worst over k.",
  .twin_statement = "\xCE\xBB_k(S) < \xCE\xBB_k(M) for some k",
  .tol_kind = DP_JUDGE_SLACK,
  .tol = DP_TOL_SLACK,
  .trials = 4,
};

static const struct dp_claim claim_c03 = {
  .id = "C03",
  .slug = "fake_error",
  .title = "Spectrum of M 'errors'",
  .paper_ref = "\xC2\xA7" "4",
  .statement = "rank(M) <= min(R, rank S)",
  .conditions = "none",
  .judged = "test ratio of the numerical rank.",
  .twin_statement = "rank(M) > R",
  .tol_kind = DP_JUDGE_RATIO,
  .tol = DP_TOL_RATIO,
  .trials = 3,
};

static const struct dp_claim claim_c04 = {
  .id = "C04",
  .slug = "fake_skip",
  .title = "Only skipped",
  .paper_ref = "Appendix A",
  .statement = "a claim whose premise no instance met",
  .conditions = "V > 10^6 (never generated)",
  .judged = "relative slack.",
  .twin_statement = "its negation",
  .tol_kind = DP_JUDGE_SLACK,
  .tol = DP_TOL_SLACK,
  .trials = 2,
};

static double fig_c01[6], twin_c01[6], fig_c02[4], twin_c02[4], fig_c03[3], twin_c03[3],
    fig_c04[2], twin_c04[2];
/* The verdicts the runner stored with those figures: the report renders them, never judges. */
static enum dp_verdict v_c01[6], tv_c01[6], v_c02[4], tv_c02[4], v_c03[3], tv_c03[3], v_c04[2],
    tv_c04[2];
#define P DP_PASS
#define F DP_FAIL
#define K DP_SKIP
#define E DP_ERROR
#define SETV(dst, ...) memcpy(dst, (enum dp_verdict[]){__VA_ARGS__}, sizeof dst)
static char inst_c01[] = "R=2 V=2\nt: 0 1\nS:\n  0x1p+0 0x0p+0\n  0x0p+0 0x1p+0\n";
static char inst_c02[] = "tokens: 0 1\nS =\n  [ 1, \"2\" ] \\n\t<end> & more\n";
static struct dp_cex cex_c02[1];
static struct dp_result res[4];
static struct dp_run fake;

static void set(char *dst, size_t n, const char *src)
{
  snprintf(dst, n, "%s", src);
}
#define SET(dst, src) set((dst), sizeof(dst), (src))

/* The fake run is also built outside a Check test (the tool modes): a failed step aborts. */
#define NEED(cond)                                                                           \
  do {                                                                                       \
    if (!(cond)) {                                                                           \
      fprintf(stderr, "%s:%d: fake run: %s failed: %s\n", __FILE__, __LINE__, #cond,          \
              dp_err_last());                                                                \
      abort();                                                                               \
    }                                                                                        \
  } while (0)

/* Claim-specific tables and plots: a table whose cells need escaping and mix numbers and
 * text; a semi-log plot with a dashed reference, a point that is not positive on its log
 * axis and a NaN; a log-log plot whose two points map to the corners of the plot area; a
 * linear plot with a lone point and a flat series; an empty table under a failed status; a
 * plot with no series at all. */
static void fake_extras(void)
{
  static const char *const head1[] = { "conditions", "rank", "nullity", "witness <kernel>" };
  struct dp_table *t = dp_evidence_table(&res[0].evidence, "Condition sets <S, Q> & ranks", 4,
                                       head1);
  NEED(t);
  NEED(dp_table_row(t, "S PSD, R \xE2\x89\xA4 V", "3", "0", "none") == GSL_SUCCESS);
  NEED(dp_table_row(t, "S indefinite & \"rank-deficient\"", "2", " 1 ", "(1, -1, 0)") ==
       GSL_SUCCESS);
  NEED(dp_table_row(t, "-1.5e-3", "12", "x<y", "") == GSL_SUCCESS);
  snprintf(t->note, sizeof t->note, "Exact ranks over Q (FLINT) <fake>.");

  struct dp_plot *p = dp_evidence_plot(&res[0].evidence, "Truncation error against d_k", "d_k",
                                     "||M - M_k||_F / ||M||_F", 0, 1);
  NEED(p);
  const double dk[6] = { 1, 2, 3, 4, 5, 6 };
  const double err[6] = { 0.5, 0.2, 0.05, 1e-3, 0.0, NAN };
  const double ey[6] = { 0.5, 0.2, 0.05, 1e-3, 1e-5, 1e-7 };
  NEED(dp_plot_series(p, "measured", 0, 6, dk, err) == GSL_SUCCESS);
  NEED(dp_plot_series(p, "Eckart-Young optimum", 1, 6, dk, ey) == GSL_SUCCESS);
  snprintf(p->note, sizeof p->note, "Dashed: the optimum of Eckart-Young-Mirsky & co.");

  p = dp_evidence_plot(&res[0].evidence, "Log-log remainder", "\xCE\xB5", "remainder", 1, 1);
  NEED(p);
  const double lx[2] = { 1, 10 }, ly[2] = { 1, 100 };
  NEED(dp_plot_series(p, "remainder", 0, 2, lx, ly) == GSL_SUCCESS);
  NEED(dp_plot_series(p, "slope 2", 1, 2, lx, ly) == GSL_SUCCESS);
  snprintf(p->note, sizeof p->note, "fitted slope 2.00");

  p = dp_evidence_plot(&res[1].evidence, "Variance and entropy against d_k", "d_k", "value", 0, 0);
  NEED(p);
  const double vx[4] = { 1, 2, 4, 8 }, vy[4] = { 0, 0.25, 0.5, 1.0 };
  const double ex[1] = { 4 }, eh[1] = { 0.7 };
  NEED(dp_plot_series(p, "variance", 0, 4, vx, vy) == GSL_SUCCESS);
  NEED(dp_plot_series(p, "entropy", 0, 1, ex, eh) == GSL_SUCCESS);
  p = dp_evidence_plot(&res[1].evidence, "Flat", "trial", "figure", 0, 0);
  NEED(p);
  const double fx[3] = { 0, 1, 2 }, fy[3] = { 5, 5, 5 };
  NEED(dp_plot_series(p, "constant", 1, 3, fx, fy) == GSL_SUCCESS);

  static const char *const head3[] = { "only" };
  NEED(dp_evidence_table(&res[2].evidence, "Empty table", 1, head3));
  res[2].evidence_status = GSL_EFAILED;

  NEED(dp_evidence_plot(&res[3].evidence, "Nothing <measured>", "x", "y", 1, 0));
}

static void fake_free(void)
{
  for (size_t i = 0; i < sizeof res / sizeof res[0]; i++)
    dp_evidence_free(&res[i].evidence);
}

static void fake_run(void)
{
  fake_free();
  memset(res, 0, sizeof res);
  memset(&fake, 0, sizeof fake);
  memset(cex_c02, 0, sizeof cex_c02);

  /* C01: PASS; twin rejected on 4 of 6, with a witness; real-text rows. */
  double f1[6] = { 0.0, 1.5, 2.25e-3, NAN, 29.999, 0.1 };
  double t1[6] = { DP_RATIO_FAIL, 1e20, 35.0, NAN, 0.5, INFINITY };
  memcpy(fig_c01, f1, sizeof f1);
  memcpy(twin_c01, t1, sizeof t1);
  struct dp_result *r = &res[0];
  r->claim = &claim_c01;
  r->n = 6; r->npass = 5; r->nskip = 1;
  r->figures = fig_c01;
  SETV(v_c01, P, P, P, K, P, P);
  SETV(tv_c01, F, F, F, K, P, F);
  r->verdicts = v_c01;
  r->twin_verdicts = tv_c01;
  r->worst = 29.999;
  r->nparts = 1;
  r->part_ran[0] = 2;
  r->thin = 1;
  SET(r->thin_what, "part \"a part <beyond> the premise\" measured on 2 of 6 instances");
  r->worst_seed = UINT64_MAX - 1;
  SET(r->worst_what, "||M - QSQ^T||_F ratio, n=12, scale 2^-400");
  r->verdict = DP_PASS;
  r->twin_n = 6; r->twin_rejected = 4; r->twin_skip = 1;
  r->twin_figures = twin_c01;
  r->twin_worst = INFINITY;
  r->twin_ok = 1;
  r->has_twin_witness = 1;
  r->twin_witness.replay_seed = 42;
  r->twin_witness.trial = 0;
  r->twin_witness.figure = DP_RATIO_FAIL;
  r->twin_witness.figure_min = 1e20;
  r->twin_witness.steps = 3;
  SET(r->twin_witness.trail, "halve R, drop the unused words x2");
  SET(r->twin_witness.sizes, "R=12 V=40 distinct=9 S=psd(rank 3) scale=2^0");
  SET(r->twin_witness.sizes_min, "R=2 V=2 distinct=2 S=psd(rank 1) scale=2^0");
  SET(r->twin_witness.what, "Q^T S Q has shape V x V, not R x R");
  r->twin_witness.instance = inst_c01;
  SET(r->twin_witness.replay, "dpcheck verify --claim C01 --seed 42 --trials 1");
  r->ncases = 2;
  SET(r->cases[0].label, "KJV, 789,628 tokens, V=12,543, c=5, 1/|k|");
  r->cases[0].claim = (struct dp_outcome){ .status = DP_MEASURED, .figure = 0.75 };
  SET(r->cases[0].claim.what, "ratio, n=12543");
  r->cases[0].twin = (struct dp_outcome){ .status = DP_MEASURED, .figure = DP_RATIO_FAIL };
  SET(r->cases[0].twin.what, "shape mismatch");
  r->cases[0].verdict = DP_PASS;
  r->cases[0].twin_verdict = DP_FAIL;
  SET(r->cases[1].label, "KJV, raw counts, \xCE\xBB\xCE"); /* cut inside a UTF-8 sequence */
  r->cases[1].claim = (struct dp_outcome){ .status = DP_NOT_APPLICABLE, .figure = NAN };
  SET(r->cases[1].claim.what, "S not PSD: skipped");
  r->cases[1].twin = (struct dp_outcome){ .status = DP_BROKEN, .figure = NAN };
  SET(r->cases[1].twin.what, "eigen: no convergence");
  r->cases[1].verdict = DP_SKIP;
  r->cases[1].twin_verdict = DP_ERROR;
  /* its findings: the first shown (instances and a row, a shrunk counterexample), the second
   * probed and not shown */
  r->nfindings = 2;
  r->findings[0] = (struct dp_finding){ .def = &findings_c01[0], .n = 6, .failed = 2,
                                        .skipped = 1, .worst = 1e20, .rows = 2,
                                        .rows_failed = 1, .row_min = 12.5, .row_max = 12.5,
                                        .shown = 1, .has_cex = 1 };
  SET(r->findings[0].row_what, "KJV <row>: off by 12.5");
  r->findings[0].cex = r->twin_witness;
  SET(r->findings[0].cex.what, "M != Q S Q^T <shrunk>");
  r->findings[1] = (struct dp_finding){ .def = &findings_c01[1], .n = 6, .skipped = 6,
                                        .worst = NAN, .row_min = NAN, .row_max = NAN };
  /* its tiers: formal not built in (SKIP), exact PASS with its bound, float PASS */
  r->tiers[DP_TIER_FORMAL] = (struct dp_tier_result){ .applies = 1, .verdict = DP_SKIP,
                                                      .n = 1, .log10_bound = NAN };
  SET(r->tiers[DP_TIER_FORMAL].reason, "proofs not built in: coq <absent>");
  r->tiers[DP_TIER_EXACT] = (struct dp_tier_result){ .applies = 1, .verdict = DP_PASS, .n = 4,
                                                     .pass = 3, .skip = 1, .twin_n = 4,
                                                     .twin_rejected = 2, .twin_skip = 2,
                                                     .log10_bound = -18.96 };
  SET(r->tiers[DP_TIER_EXACT].reason, "M = Q S Q^T & co: exact, 10^-19");
  r->tiers[DP_TIER_FLOAT] = (struct dp_tier_result){ .applies = 1, .verdict = DP_PASS, .n = 6,
                                                     .pass = 5, .skip = 1,
                                                     .log10_bound = NAN };
  SET(r->tiers[DP_TIER_FLOAT].reason, "test ratio <= 30");

  /* C02: FAIL with one counterexample; twin rejected everywhere, no witness kept. */
  double f2[4] = { 0.5, -0.25, 1e-12, -1e-11 };
  double t2[4] = { -1.0, -2.0, -3.0, -4e300 };
  memcpy(fig_c02, f2, sizeof f2);
  memcpy(twin_c02, t2, sizeof t2);
  r = &res[1];
  r->claim = &claim_c02;
  r->n = 4; r->npass = 3; r->nfail = 1;
  r->figures = fig_c02;
  SETV(v_c02, P, F, P, P);
  SETV(tv_c02, F, F, F, F);
  r->verdicts = v_c02;
  r->twin_verdicts = tv_c02;
  r->worst = -0.25;
  r->worst_seed = UINT64_MAX;
  SET(r->worst_what, "k=1: \xCE\xBB_1(S)=1 < \xCE\xBB_1(M)=2 <&>");
  r->verdict = DP_FAIL;
  cex_c02[0].replay_seed = UINT64_MAX;
  cex_c02[0].trial = 1;
  cex_c02[0].figure = -0.25;
  cex_c02[0].figure_min = -0.5;
  cex_c02[0].steps = 7;
  SET(cex_c02[0].trail, "halve R x2, drop a token x4, round S <&>");
  SET(cex_c02[0].sizes, "R=40 V=31 distinct=17 S=indef(rank 5) scale=2^-400");
  SET(cex_c02[0].sizes_min, "R=2 V=2 distinct=2 S=indef(rank 2) scale=2^0");
  SET(cex_c02[0].what, "k=1: \xCE\xBB_1(S)=1 < \xCE\xBB_1(M)=2 <&>");
  cex_c02[0].instance = inst_c02;
  SET(cex_c02[0].replay, "dpcheck verify --claim C02 --seed 18446744073709551615 --trials 1");
  r->cex = cex_c02;
  r->ncex = 1;
  r->twin_n = 4; r->twin_rejected = 4;
  r->twin_row_defect = 1; /* rendered as stored (the runner also sets twin_defect then) */
  SET(r->twin_row, "KJV, log1p <&> row");
  r->twin_figures = twin_c02;
  r->twin_worst = -4e300;
  r->twin_ok = 1;

  /* C03: ERROR; twin never rejected (harness defect); real rows failed. */
  double f3[3] = { 3.0, NAN, -0.0 };
  double t3[3] = { 1.0, 2.0, NAN };
  memcpy(fig_c03, f3, sizeof f3);
  memcpy(twin_c03, t3, sizeof t3);
  r = &res[2];
  r->claim = &claim_c03;
  r->n = 3; r->npass = 2; r->nerror = 1;
  r->figures = fig_c03;
  SETV(v_c03, P, E, P);
  SETV(tv_c03, P, P, E);
  r->verdicts = v_c03;
  r->twin_verdicts = tv_c03;
  r->worst = 3.0;
  r->worst_seed = 7;
  SET(r->worst_what, "rank ratio, n=3");
  r->verdict = DP_ERROR;
  SET(r->error, "src/spectral.c:88: eigen solver did not converge <x> & \"y\" \x01 end");
  r->twin_n = 3; r->twin_error = 1;
  r->twin_figures = twin_c03;
  r->twin_worst = 2.0;
  r->twin_ok = 0;
  r->twin_defect = 1;
  r->cases_status = GSL_EFAILED;

  /* C04: every instance skipped; twin never measured. */
  fig_c04[0] = fig_c04[1] = twin_c04[0] = twin_c04[1] = NAN;
  r = &res[3];
  r->claim = &claim_c04;
  r->n = 2; r->nskip = 2;
  r->figures = fig_c04;
  SETV(v_c04, K, K);
  SETV(tv_c04, K, K);
  r->verdicts = v_c04;
  r->twin_verdicts = tv_c04;
  r->worst = NAN;
  r->worst_seed = 0;
  r->verdict = DP_SKIP;
  r->twin_n = 2; r->twin_skip = 2;
  r->twin_figures = twin_c04;
  r->twin_worst = NAN;
  r->twin_ok = 0;

  fake_extras();
  /* every claim's float tier, as the runner stores it: its verdict and counts */
  for (int i = 1; i < 4; i++) {
    struct dp_tier_result *fl = &res[i].tiers[DP_TIER_FLOAT];
    *fl = (struct dp_tier_result){ .applies = 1, .verdict = res[i].verdict, .n = res[i].n,
                                   .pass = res[i].npass, .fail = res[i].nfail,
                                   .skip = res[i].nskip, .error = res[i].nerror,
                                   .log10_bound = NAN };
    SET(fl->reason, "in double precision");
  }

  fake.opts.master = UINT64_MAX;
  fake.opts.trials = 0;
  fake.opts.sizes.R_max = 12;
  fake.opts.sizes.V_max = 40;
  fake.opts.max_cex = 3;
  fake.res = res;
  fake.nres = 4;
  SET(fake.date, "");
  SET(fake.machine, "Linux 6.1.0-test x86_64");
  SET(fake.corpus, "/data/corpus.txt (4,349,814 bytes)");
  fake.opts.formal = &fake_formal;
  fake.ngaps = 2;
  SET(fake.gaps[0].what, "Trained <weights>");
  SET(fake.gaps[0].why, "No model is loaded & none is \"trained\".");
  SET(fake.gaps[1].what, "Claims not in this run");
  SET(fake.gaps[1].why, "C05, C06: not selected (--claim).");
}

/* ---------------------------------------------------------------------------------------- */
/* Helpers                                                                                   */

static char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  size_t k;
  while (buf != NULL && (k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
    n += k;
    if (cap - n < 2) {
      char *nb = realloc(buf, cap *= 2);
      if (nb == NULL) { free(buf); buf = NULL; }
      else buf = nb;
    }
  }
  fclose(f);
  if (buf != NULL)
    buf[n] = '\0';
  return buf;
}

static int spit(const char *path, const char *text)
{
  FILE *f = fopen(path, "wb");
  if (f == NULL)
    return -1;
  fputs(text, f);
  return fclose(f);
}

static void rm_tree(const char *path)
{
  struct stat st;
  if (lstat(path, &st) != 0)
    return;
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(path);
    if (d != NULL) {
      struct dirent *e;
      while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
          continue;
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        rm_tree(sub);
      }
      closedir(d);
    }
    rmdir(path);
  } else
    unlink(path);
}

/* Entries of dir whose name contains needle. */
static int count_entries(const char *dir, const char *needle)
{
  DIR *d = opendir(dir);
  int k = 0;
  if (d == NULL)
    return -1;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (strstr(e->d_name, needle) != NULL)
      k++;
  closedir(d);
  return k;
}

static char tmpdir[64];

static void setup(void)
{
  umask(022);
  snprintf(tmpdir, sizeof tmpdir, "/tmp/check_report.XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(tmpdir));
  fake_run();
  dp_err_clear();
}

static void teardown(void)
{
  fake_free();
  rm_tree(tmpdir);
}

static char *in_tmp(const char *name)
{
  static char buf[4][256];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
  return buf[k];
}

static char *json_of_fake(void)
{
  const char *p = in_tmp("r.json");
  ck_assert_int_eq(dp_report_json(&fake, p), GSL_SUCCESS);
  char *s = slurp(p);
  ck_assert_ptr_nonnull(s);
  return s;
}

/* The JSON with the values of the build's version keys emptied: those lines are
 * `    "key": "value",` and the value is the last string on the line. */
static char *blank_versions(const char *json)
{
  static const char *keys[] = { "dpcheck", "compiler", "gsl", "blas", "flint", "check" };
  size_t n = strlen(json);
  char *out = malloc(n + 1), *o = out;
  const char *p = json;
  if (out == NULL)
    return NULL;
  while (*p) {
    const char *eol = strchr(p, '\n');
    size_t len = eol != NULL ? (size_t)(eol - p) + 1 : strlen(p);
    const char *q = p;
    while (q < p + len && *q == ' ')
      q++;
    int blank = 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0] && !blank; i++) {
      char pre[32];
      snprintf(pre, sizeof pre, "\"%s\": \"", keys[i]);
      if (strncmp(q, pre, strlen(pre)) == 0) {
        const char *vs = q + strlen(pre);
        const char *ve = p + len; /* one past the line */
        while (ve > vs && ve[-1] != '"')
          ve--;
        ve--; /* the closing quote */
        if (ve >= vs) {
          memcpy(o, p, (size_t)(vs - p));
          o += vs - p;
          memcpy(o, ve, (size_t)(p + len - ve));
          o += p + len - ve;
          blank = 1;
        }
      }
    }
    if (!blank) {
      memcpy(o, p, len);
      o += len;
    }
    p += len;
  }
  *o = '\0';
  return out;
}

/* ---------------------------------------------------------------------------------------- */
/* JSON                                                                                      */

START_TEST(test_json_escape)
{
  char *s = json_of_fake();
  ck_assert_ptr_nonnull(strstr(s, "\"statement\": \"For every sequence t and symmetric S: "
                                  "M = Q S Q^T \\\"exactly\\\", with Q's rows e_{t_i}; "
                                  "path C:\\\\dpcheck\\\\m\""));
  ck_assert_ptr_nonnull(strstr(s, "\"title\": \"Projection identity <M = Q S Q^T> & friends\""));
  ck_assert_ptr_nonnull(strstr(s, "\xCE\xBB_k(S) \xE2\x89\xA5 \xCE\xBB_k(M) for k = 1..R\\n"
                                  "(Cauchy interlacing,\\ttab-separated)"));
  ck_assert_ptr_nonnull(strstr(s, "\\\"y\\\" \\u0001 end"));
  ck_assert_ptr_nonnull(strstr(s, "\"instance\": \"tokens: 0 1\\nS =\\n  [ 1, \\\"2\\\" ] "
                                  "\\\\n\\t<end> & more\\n\""));
  /* a label cut inside a UTF-8 sequence: the stray bytes become U+FFFD escapes */
  ck_assert_ptr_nonnull(strstr(s, "\"label\": \"KJV, raw counts, \xCE\xBB\\ufffd\""));
  /* no raw control character anywhere but the newlines of the layout */
  for (const char *p = s; *p; p++)
    ck_assert(*p == '\n' || (unsigned char)*p >= 0x20);
  free(s);
}
END_TEST

START_TEST(test_json_nan_null)
{
  char *s = json_of_fake();
  ck_assert_ptr_null(strstr(s, "nan"));
  ck_assert_ptr_null(strstr(s, "NaN"));
  ck_assert_ptr_null(strstr(s, "inf"));
  ck_assert_ptr_null(strstr(s, "Inf"));
  /* C01's figures: the skipped fourth is null */
  ck_assert_ptr_nonnull(strstr(s, "\"figures\": [\n        0,\n        1.5,\n"
                                  "        0.0022499999999999998,\n        null,\n"
                                  "        29.998999999999999,\n"));
  /* C01's twin: DP_RATIO_FAIL exactly, +Inf as null */
  ck_assert_ptr_nonnull(strstr(s, "\"figures\": [\n          4503599627370496,\n"
                                  "          1e+20,\n          35,\n          null,\n"
                                  "          0.5,\n          null\n        ]"));
  /* C04: no measured instance, worst is null */
  ck_assert_ptr_nonnull(strstr(s, "\"worst\": null,\n      \"worst_seed\": \"0\""));
  free(s);
}
END_TEST

START_TEST(test_json_seed_u64)
{
  char *s = json_of_fake();
  ck_assert_ptr_nonnull(strstr(s, "\"seed\": \"18446744073709551615\""));
  ck_assert_ptr_nonnull(strstr(s, "\"replay_seed\": \"18446744073709551615\""));
  ck_assert_ptr_nonnull(strstr(s, "\"worst_seed\": \"18446744073709551614\""));
  free(s);
  /* and a seed past 2^53 that a double would round */
  fake.opts.master = (UINT64_C(1) << 53) + 1;
  s = json_of_fake();
  ck_assert_ptr_nonnull(strstr(s, "\"seed\": \"9007199254740993\""));
  free(s);
}
END_TEST

START_TEST(test_json_real_verdicts)
{
  char *s = json_of_fake();
  const char *row = strstr(s, "\"label\": \"KJV, 789,628 tokens");
  ck_assert_ptr_nonnull(row);
  const char *c = strstr(row, "\"claim\": {");
  ck_assert_ptr_nonnull(c);
  ck_assert_ptr_nonnull(strstr(c, "\"status\": \"measured\",\n            \"figure\": 0.75,\n"
                                  "            \"what\": \"ratio, n=12543\",\n"
                                  "            \"verdict\": \"PASS\""));
  ck_assert_ptr_nonnull(strstr(c, "\"figure\": 4503599627370496,\n            \"what\": "
                                  "\"shape mismatch\",\n            \"verdict\": \"FAIL\""));
  ck_assert_ptr_nonnull(strstr(c, "\"status\": \"not_applicable\",\n            \"figure\": "
                                  "null,\n            \"what\": \"S not PSD: skipped\",\n"
                                  "            \"verdict\": \"SKIP\""));
  ck_assert_ptr_nonnull(strstr(c, "\"status\": \"broken\",\n            \"figure\": null,\n"
                                  "            \"what\": \"eigen: no convergence\",\n"
                                  "            \"verdict\": \"ERROR\""));
  free(s);
}
END_TEST

START_TEST(test_json_deterministic)
{
  char *a = json_of_fake();
  char *b = json_of_fake();
  ck_assert_str_eq(a, b);
  free(a);
  free(b);
}
END_TEST

START_TEST(test_json_golden)
{
  char *s = json_of_fake();
  char *got = blank_versions(s);
  char *want = slurp(GOLDEN);
  ck_assert_msg(want != NULL, "cannot read %s", GOLDEN);
  if (strcmp(got, want) != 0) {
    /* show the first differing line */
    const char *g = got, *w = want;
    int line = 1;
    while (*g && *g == *w) {
      if (*g == '\n')
        line++;
      g++;
      w++;
    }
    char gl[120], wl[120];
    snprintf(gl, sizeof gl, "%.*s", (int)strcspn(g, "\n"), g);
    snprintf(wl, sizeof wl, "%.*s", (int)strcspn(w, "\n"), w);
    ck_abort_msg("JSON differs from %s at line %d: got '%s', want '%s' (regenerate with "
                 "tests/check_report --golden only for a deliberate schema change)",
                 GOLDEN, line, gl, wl);
  }
  free(s);
  free(got);
  free(want);
}
END_TEST

START_TEST(test_json_bad_run)
{
  ck_assert_int_eq(dp_report_json(NULL, in_tmp("x.json")), GSL_EINVAL);
  ck_assert_int_eq(access(in_tmp("x.json"), F_OK), -1);
  /* an id that is no plain name would escape the directory in <id>.tsv */
  struct dp_claim evil = claim_c01;
  evil.id = "../evil";
  res[0].claim = &evil;
  ck_assert_int_ne(dp_report_tsv(&fake, tmpdir), GSL_SUCCESS);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "../evil"));
  /* duplicate ids */
  res[0].claim = &claim_c02;
  ck_assert_int_ne(dp_report_html(&fake, in_tmp("x.html")), GSL_SUCCESS);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "twice"));
  ck_assert_int_eq(count_entries(tmpdir, "x."), 0);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Atomic writes                                                                             */

static int fill_hello(FILE *f, const void *ctx)
{
  fputs((const char *)ctx, f);
  return GSL_SUCCESS;
}

static int fill_fails(FILE *f, const void *ctx)
{
  (void)ctx;
  fputs("half a report", f);
  return DP_ERROR(GSL_EFAILED, "fake failure in the middle");
}

START_TEST(test_atomic_ok)
{
  const char *p = in_tmp("a.txt");
  ck_assert_int_eq(dp_atomic_write(p, fill_hello, "hello\n"), GSL_SUCCESS);
  char *s = slurp(p);
  ck_assert_str_eq(s, "hello\n");
  free(s);
  struct stat st;
  ck_assert_int_eq(stat(p, &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0644);
  /* over an existing file */
  ck_assert_int_eq(dp_atomic_write(p, fill_hello, "again\n"), GSL_SUCCESS);
  s = slurp(p);
  ck_assert_str_eq(s, "again\n");
  free(s);
  ck_assert_int_eq(count_entries(tmpdir, ".tmp"), 0);
  ck_assert_int_eq(count_entries(tmpdir, ""), 3); /* ., .., a.txt */
}
END_TEST

START_TEST(test_atomic_fill_fails)
{
  const char *p = in_tmp("keep.json");
  ck_assert_int_eq(spit(p, "old report\n"), 0);
  ck_assert_int_eq(dp_atomic_write(p, fill_fails, NULL), GSL_EFAILED);
  char *s = slurp(p);
  ck_assert_str_eq(s, "old report\n");
  free(s);
  ck_assert_int_eq(count_entries(tmpdir, ".tmp"), 0);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), p));
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "fake failure in the middle"));
  ck_assert_ptr_null(strchr(dp_err_last(), '\n'));
  /* and where there was no file, none appears */
  const char *q = in_tmp("new.json");
  ck_assert_int_eq(dp_atomic_write(q, fill_fails, NULL), GSL_EFAILED);
  ck_assert_int_eq(access(q, F_OK), -1);
  ck_assert_int_eq(count_entries(tmpdir, ""), 3); /* ., .., keep.json */
}
END_TEST

START_TEST(test_atomic_unwritable)
{
  /* tests may run as root: a path below a regular file fails for everyone */
  const char *file = in_tmp("plainfile");
  ck_assert_int_eq(spit(file, "x"), 0);
  char p[300];
  snprintf(p, sizeof p, "%s/x.json", file);
  ck_assert_int_ne(dp_report_json(&fake, p), GSL_SUCCESS);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), p));
  ck_assert_int_ne(dp_atomic_write(p, fill_hello, "x"), GSL_SUCCESS);
  /* a directory where the file should go: rename fails, the temporary is removed */
  const char *d = in_tmp("adir");
  ck_assert_int_eq(mkdir(d, 0755), 0);
  ck_assert_int_ne(dp_atomic_write(d, fill_hello, "x"), GSL_SUCCESS);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), d));
  ck_assert_int_eq(count_entries(tmpdir, ".tmp"), 0);
  /* the whole report below a regular file */
  snprintf(p, sizeof p, "%s/sub/dir", file);
  ck_assert_int_ne(dp_report_write(&fake, p), GSL_SUCCESS);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), p));
  /* bad arguments */
  ck_assert_int_eq(dp_atomic_write(NULL, fill_hello, "x"), GSL_EINVAL);
  ck_assert_int_eq(dp_atomic_write(in_tmp("y"), NULL, "x"), GSL_EINVAL);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* TSV, HTML, all                                                                            */

START_TEST(test_tsv)
{
  ck_assert_int_eq(dp_report_tsv(&fake, tmpdir), GSL_SUCCESS);
  char *s = slurp(in_tmp("C01.tsv"));
  ck_assert_ptr_nonnull(s);
  ck_assert_str_eq(s, "trial\tfigure\tverdict\ttwin_figure\ttwin_verdict\n"
                      "0\t0\tPASS\t4503599627370496\tFAIL\n"
                      "1\t1.5\tPASS\t1e+20\tFAIL\n"
                      "2\t0.0022499999999999998\tPASS\t35\tFAIL\n"
                      "3\tNaN\tSKIP\tNaN\tSKIP\n"
                      "4\t29.998999999999999\tPASS\t0.5\tPASS\n"
                      "5\t0.10000000000000001\tPASS\tInf\tFAIL\n");
  free(s);
  s = slurp(in_tmp("C02.tsv"));
  ck_assert_ptr_nonnull(strstr(s, "\n1\t-0.25\tFAIL\t-2\tFAIL\n"));
  ck_assert_ptr_nonnull(strstr(s, "\n3\t-9.9999999999999994e-12\tPASS\t-4.0000000000000002e+300"
                                  "\tFAIL\n"));
  free(s);
  s = slurp(in_tmp("C03.tsv"));
  ck_assert_ptr_nonnull(strstr(s, "\n1\tNaN\tERROR\t2\tPASS\n2\t-0\tPASS\tNaN\tERROR\n"));
  free(s);
  s = slurp(in_tmp("C04.tsv"));
  ck_assert_str_eq(s, "trial\tfigure\tverdict\ttwin_figure\ttwin_verdict\n"
                      "0\tNaN\tSKIP\tNaN\tSKIP\n1\tNaN\tSKIP\tNaN\tSKIP\n");
  free(s);
  ck_assert_int_eq(count_entries(tmpdir, ".tsv"), 4);
  ck_assert_int_eq(count_entries(tmpdir, ".tmp"), 0);
}
END_TEST

static char *between(const char *s, const char *from, const char *to);
static int count_of(const char *s, const char *needle);

START_TEST(test_html)
{
  const char *p = in_tmp("index.html");
  ck_assert_int_eq(dp_report_html(&fake, p), GSL_SUCCESS);
  char *s = slurp(p);
  ck_assert_ptr_nonnull(s);
  ck_assert(strncmp(s, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">",
                    62) == 0);
  ck_assert_ptr_nonnull(strstr(s, "<title>"));
  ck_assert_ptr_nonnull(strstr(s, "<table id=\"summary\">"));
  for (int i = 1; i <= 4; i++) {
    char sec[40];
    snprintf(sec, sizeof sec, "<section id=\"C0%d\">", i);
    ck_assert_ptr_nonnull(strstr(s, sec));
  }
  /* escaping */
  ck_assert_ptr_nonnull(strstr(s, "Projection identity &lt;M = Q S Q^T&gt; &amp; friends"));
  ck_assert_ptr_nonnull(strstr(s, "<blockquote><p>For every sequence t and symmetric S: M = Q S "
                                  "Q^T &quot;exactly&quot;, with Q&#39;s rows e_{t_i}; path "
                                  "C:\\dpcheck\\m</p></blockquote>"));
  ck_assert_ptr_nonnull(strstr(s, "\xCE\xBB_k(S) \xE2\x89\xA5 \xCE\xBB_k(M)"));
  ck_assert_ptr_null(strstr(s, "<M = Q"));
  ck_assert_ptr_null(strstr(s, "<twin>"));
  ck_assert_ptr_null(strstr(s, "<end>"));
  ck_assert_ptr_nonnull(strstr(s, "<pre>tokens: 0 1\nS =\n  [ 1, &quot;2&quot; ] \\n\t&lt;end&gt; "
                                  "&amp; more\n</pre>"));
  ck_assert_ptr_nonnull(strstr(s, "<code>dpcheck verify --claim C02 --seed 18446744073709551615 "
                                  "--trials 1</code>"));
  ck_assert_ptr_nonnull(strstr(s, "KJV, raw counts, \xCE\xBB\xEF\xBF\xBD</td>"));
  /* self-contained: no script, no external resource */
  ck_assert_ptr_null(strstr(s, "<script"));
  ck_assert_ptr_null(strstr(s, "<link"));
  ck_assert_ptr_null(strstr(s, "http:"));
  ck_assert_ptr_null(strstr(s, "src="));
  /* the one outside address is a link (not a resource): the paper's page, in the header and
   * the table of contents */
  ck_assert_int_eq(count_of(s, "https:"), 2);
  ck_assert_int_eq(count_of(s, "<a href=\"https://arxiv.org/abs/2511.13780\">"), 2);
  /* verdicts, defects, plot */
  ck_assert_ptr_nonnull(strstr(s, "<td class=\"fail\">FAIL</td>"));
  ck_assert_ptr_nonnull(strstr(s, "<td class=\"cond\">PASS<br>under conditions: <a "
                                  "href=\"#finding-C01-needs-psd\">finding</a></td>"));
  ck_assert_ptr_nonnull(strstr(s, "<td class=\"skip\">SKIP</td>"));
  ck_assert_ptr_nonnull(strstr(s, "<td class=\"error\">ERROR</td>"));
  ck_assert_ptr_nonnull(strstr(s, "<td class=\"fail\">no: harness defect (0 of 3)</td>"));
  ck_assert_ptr_nonnull(strstr(s, "<td class=\"pass\">yes (4 of 5, 1 skipped)</td>"));
  ck_assert_ptr_nonnull(strstr(s, "<td class=\"skip\">no (0 of 0, 2 skipped: too few to judge)</td>"));
  /* summary rows: the full title with the paper's place, where the claim holds and what was
   * skipped for it, the non-zero counts, the worst figure with its threshold and margin */
  ck_assert_ptr_nonnull(strstr(s, "<td class=\"title\">Projection identity &lt;M = Q S Q^T&gt; "
                                  "&amp; friends<small>\xC2\xA7" "3.2, Eq. (7)</small></td>"
                                  "<td>any S &lt;&amp;&gt; R &gt;= 1<br>and: <a href=\"#finding-"
                                  "C01-needs-psd\">S PSD &lt;&amp;&gt;</a> <small>(1 skipped: "
                                  "premise not met)</small></td>"));
  /* the tiers: formal, exact, float, each its verdict, counts and reason (as the title) */
  ck_assert_ptr_nonnull(strstr(s, "<td class=\"skip\" title=\"proofs not built in: coq &lt;"
                                  "absent&gt;\">SKIP<br><small>0 of 1 proved</small></td><td "
                                  "class=\"pass\" title=\"M = Q S Q^T &amp; co: exact, 10^-19\">"
                                  "PASS<br><small>3 of 4 exact</small></td><td class=\"pass\" "
                                  "title=\"test ratio &lt;= 30\">PASS<br><small>6: 5 pass, 1 "
                                  "skip (thin)</small></td><td class=\"num\">29.999<br><small>"
                                  "\xE2\x89\xA4 30, margin \xC3\x97" "1.00003</small></td>"));
  ck_assert_ptr_nonnull(strstr(s, "<td class=\"num\">-0.25<br><small>\xE2\x89\xA5 -1e-10, "
                                  "margin \xC3\x97" "4e-10</small></td>"));
  ck_assert_ptr_nonnull(strstr(s, "<td>as stated</td><td class=\"fail\">FAIL</td><td "
                                  "class=\"na\" title=\"\">n/a</td>"));
  ck_assert_ptr_nonnull(strstr(s, "<dt>Exact tier</dt><dd><span class=\"badge pass\">PASS</span> "
                                  "M = Q S Q^T &amp; co: exact, 10^-19; its twin rejected on 2 of "
                                  "2 (2 skipped: it cannot differ there, or undecided; 0 errors)"
                                  "</dd>"));
  ck_assert_ptr_nonnull(strstr(s, "<dt>Formal tier</dt><dd><span class=\"badge skip\">SKIP"
                                  "</span> proofs not built in: coq &lt;absent&gt;</dd>"));
  /* the claim's theorems beside its statement: the proved one with Coq's statement, escaped;
   * the one the build did not prove, said so */
  ck_assert_ptr_nonnull(strstr(s, "<h3>Proved in Coq</h3>\n<dl class=\"facts\">\n<dt><code>"
                                  "thm_c01</code></dt><dd><code>forall (S : &#39;M_V) (i j : "
                                  "&#39;I_R), (Q *m S *m Q^T) i j = S (t i) (t j) &lt;&amp;&gt;"
                                  "</code></dd>\n<dt><code>thm_missing</code></dt><dd><span "
                                  "class=\"fail\">not among the proved theorems</span></dd>"));
  /* the banner: what holds as stated, what only under conditions, what fails */
  ck_assert_ptr_nonnull(strstr(s, "<p class=\"banner fail\" id=\"banner\">4 claims: 0 hold as "
                                  "stated, 1 holds under stated conditions, 1 fails, 1 skipped, "
                                  "1 error</p>"));
  /* the findings block comes first, then the list of what was not checked, then the summary */
  char *fb = strstr(s, "<section id=\"findings\">"), *nc = strstr(s, "<section id=\"not-checked\">");
  char *sm = strstr(s, "<table id=\"summary\">");
  ck_assert(fb && nc && sm && fb < nc && nc < sm);
  char *blk = between(s, "<section id=\"findings\">", "</section>");
  ck_assert_ptr_nonnull(blk);
  ck_assert_int_eq(count_of(blk, "<div class=\"finding\""), 1);
  ck_assert_ptr_nonnull(strstr(blk, "<div class=\"finding\" id=\"finding-C01-needs-psd\">\n<h3>"
                                    "<a href=\"#C01\">C01</a> Projection identity"));
  ck_assert_ptr_nonnull(strstr(blk, ": S PSD &lt;&amp;&gt;<span class=\"kind\">holds under a "
                                    "condition the paper does not state</span></h3>"));
  ck_assert_ptr_nonnull(strstr(blk, "<p>The identity needs S &lt;PSD&gt; &amp; symmetric.</p>"));
  ck_assert_ptr_nonnull(strstr(blk, "\xE2\x80\x9CM = Q S Q^T for &quot;every&quot; S.\xE2\x80\x9D "
                                    "fails on 2 of the 5 generated instances it applies to (1 "
                                    "more skipped: dpcheck's condition holds there, or the "
                                    "reading does not apply), and on 1 of 2 "
                                    "judged rows (figure 12.5), judged by the rule figure "
                                    "\xE2\x89\xA4 10."));
  ck_assert_ptr_nonnull(strstr(blk, "<p>Real text: KJV &lt;row&gt;: off by 12.5</p>"));
  ck_assert_ptr_nonnull(strstr(blk, "<strong>Smallest counterexample</strong> (R=2 V=2 distinct=2 "
                                    "S=psd(rank 1) scale=2^0): M != Q S Q^T &lt;shrunk&gt;</p>"));
  ck_assert_ptr_nonnull(strstr(blk, "<code>dpcheck verify --claim C01 --seed 42 --trials 1</code>"));
  ck_assert_ptr_nonnull(strstr(blk, "<li><a href=\"#C01\">C01</a>: never tight (probed on 6 "
                                    "instances, 6 skipped)</li>"));
  free(blk);
  blk = between(s, "<section id=\"not-checked\">", "</section>");
  ck_assert_int_eq(count_of(blk, "<dt>"), 2);
  ck_assert_ptr_nonnull(strstr(blk, "<dt>Trained &lt;weights&gt;</dt><dd>No model is loaded &amp; "
                                    "none is &quot;trained&quot;.</dd>"));
  free(blk);
  /* the table of contents: every block, every claim, the files, the paper */
  blk = between(s, "<nav id=\"toc\">", "</nav>");
  ck_assert_ptr_nonnull(blk);
  ck_assert_ptr_nonnull(strstr(blk, "<a href=\"#findings\">"));
  ck_assert_ptr_nonnull(strstr(blk, "<a href=\"#not-checked\">"));
  ck_assert_ptr_nonnull(strstr(blk, "<a href=\"residuals.json\">"));
  ck_assert_ptr_nonnull(strstr(blk, "<a href=\"coverage/index.html\">"));
  for (int i = 1; i <= 4; i++) {
    char a[40];
    snprintf(a, sizeof a, "<a href=\"#C0%d\">C0%d ", i, i);
    ck_assert_ptr_nonnull(strstr(blk, a));
    snprintf(a, sizeof a, "<a href=\"C0%d.tsv\">C0%d</a>", i, i);
    ck_assert_ptr_nonnull(strstr(blk, a));
  }
  free(blk);
  /* the parts and the thin coverage, escaped */
  ck_assert_ptr_nonnull(strstr(s, "<dt>Part a part &lt;beyond&gt; the premise</dt><dd>measured "
                                  "on 2 of 6 instances</dd>"));
  ck_assert_ptr_nonnull(strstr(s, "<dt>Coverage</dt><dd class=\"skip\">thin: part "));
  ck_assert_ptr_nonnull(strstr(s, "<small>3: 2 pass, 1 error</small></td>"));
  ck_assert_ptr_nonnull(strstr(s, "<small>2: 2 skip</small></td><td class=\"num\">n/a<br>"));
  ck_assert_ptr_nonnull(strstr(s, "<svg "));
  ck_assert_ptr_nonnull(strstr(s, "stroke-dasharray"));
  ck_assert_ptr_nonnull(strstr(s, "Twin witness"));
  /* a twin not rejected on a judged row: the section says which row, the summary says so */
  ck_assert_ptr_nonnull(strstr(s, "Not rejected on the judged row \xE2\x80\x9CKJV, log1p &lt;&amp;&gt; "
                                  "row\xE2\x80\x9D, where the claim holds: a harness defect."));
  ck_assert_ptr_nonnull(strstr(s, "no: harness defect (a judged row; 4 of 4)"));
  /* the shrink trail of a counterexample, escaped */
  ck_assert_ptr_nonnull(strstr(s, "<p>Shrunk by: halve R x2, drop a token x4, round S "
                                  "&lt;&amp;&gt;.</p>"));
  ck_assert_ptr_nonnull(strstr(s, "18446744073709551615"));
  free(s);
}
END_TEST

START_TEST(test_html_many_trials)
{
  /* thousands of trials: the strip plot stays bounded (one dot per lane and half unit) */
  enum { N = 20000 };
  double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
  ck_assert_ptr_nonnull(x);
  ck_assert_ptr_nonnull(y);
  for (int i = 0; i < N; i++) {
    x[i] = (i % 7 == 0) ? 0.0 : ldexp(1.0 + (i % 100) / 100.0, -(i % 60));
    y[i] = (i % 3 == 0) ? NAN : 1e3 * (1 + i);
  }
  enum dp_verdict *v = malloc(N * sizeof *v), *tv = malloc(N * sizeof *tv);
  ck_assert_ptr_nonnull(v);
  ck_assert_ptr_nonnull(tv);
  for (int i = 0; i < N; i++) {
    v[i] = dp_claim_judge(&claim_c01, &(struct dp_outcome){.status = DP_MEASURED, .figure = x[i]});
    tv[i] = isnan(y[i]) ? DP_SKIP : DP_FAIL;
  }
  res[0].n = res[0].twin_n = N;
  res[0].figures = x;
  res[0].twin_figures = y;
  res[0].verdicts = v;
  res[0].twin_verdicts = tv;
  const char *p = in_tmp("big.html");
  ck_assert_int_eq(dp_report_html(&fake, p), GSL_SUCCESS);
  struct stat st;
  ck_assert_int_eq(stat(p, &st), 0);
  ck_assert_int_lt(st.st_size, 600000);
  free(x);
  free(y);
  free(v);
  free(tv);
}
END_TEST

START_TEST(test_write_all)
{
  char dir[300];
  snprintf(dir, sizeof dir, "%s/a/b//c/", tmpdir);
  ck_assert_int_eq(dp_report_write(&fake, dir), GSL_SUCCESS);
  const char *names[] = { "residuals.json", "index.html", "C01.tsv", "C02.tsv", "C03.tsv",
                          "C04.tsv" };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    char p[400];
    snprintf(p, sizeof p, "%s%s", dir, names[i]);
    ck_assert_msg(access(p, R_OK) == 0, "%s missing", p);
  }
  struct stat st;
  ck_assert_int_eq(stat(in_tmp("a/b"), &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0755);
  snprintf(dir, sizeof dir, "%s/a/b/c", tmpdir);
  ck_assert_int_eq(count_entries(dir, ".tmp"), 0);
  /* again, over the existing report */
  ck_assert_int_eq(dp_report_write(&fake, dir), GSL_SUCCESS);
  ck_assert_int_eq(count_entries(dir, ""), 2 + 6);
  /* a run of fewer claims into the same directory leaves no TSV of the earlier run (one run
   * a directory), and nothing else of the user's is touched */
  char p[400];
  snprintf(p, sizeof p, "%s/notes.tsv", dir);
  FILE *f = fopen(p, "w");
  ck_assert_ptr_nonnull(f);
  fclose(f);
  snprintf(p, sizeof p, "%s/C123.tsv", dir);
  f = fopen(p, "w");
  ck_assert_ptr_nonnull(f);
  fclose(f);
  fake.nres = 2;
  ck_assert_int_eq(dp_report_write(&fake, dir), GSL_SUCCESS);
  fake.nres = 4;
  snprintf(p, sizeof p, "%s/C03.tsv", dir);
  ck_assert_int_eq(access(p, F_OK), -1);
  snprintf(p, sizeof p, "%s/C04.tsv", dir);
  ck_assert_int_eq(access(p, F_OK), -1);
  snprintf(p, sizeof p, "%s/C02.tsv", dir);
  ck_assert_int_eq(access(p, F_OK), 0);
  snprintf(p, sizeof p, "%s/notes.tsv", dir);
  ck_assert_int_eq(access(p, F_OK), 0);
  snprintf(p, sizeof p, "%s/C123.tsv", dir);
  ck_assert_int_eq(access(p, F_OK), 0);
  /* . and .., the JSON and the page, C01 and C02, the two files of the user */
  ck_assert_int_eq(count_entries(dir, ""), 2 + 2 + 2 + 2);
}
END_TEST

START_TEST(test_versions)
{
  const char *v[5] = { dp_report_compiler(), dp_report_gsl(), dp_report_blas(),
                       dp_report_flint(), dp_report_check() };
  for (int i = 0; i < 5; i++) {
    ck_assert_ptr_nonnull(v[i]);
    ck_assert_int_gt((int)strlen(v[i]), 0);
    ck_assert_ptr_null(strchr(v[i], '\n'));
  }
#ifdef DP_CBLAS_NAME
  ck_assert(strncmp(v[2], DP_CBLAS_NAME, strlen(DP_CBLAS_NAME)) == 0);
#endif
  ck_assert_ptr_nonnull(strchr(v[1], '.')); /* "2.7.1" */
  ck_assert_ptr_nonnull(strchr(v[3], '.')); /* "2.9.0" */
  /* and they are in the report */
  char *s = json_of_fake();
  char line[400];
  snprintf(line, sizeof line, "\"flint\": \"%s\"", v[3]);
  ck_assert_ptr_nonnull(strstr(s, line));
  free(s);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Claim-specific tables and plots                                                           */

/* The text of s from the first `from` up to the first `to` after it (malloc'd). */
static char *between(const char *s, const char *from, const char *to)
{
  const char *a = strstr(s, from);
  ck_assert_msg(a != NULL, "'%s' not found", from);
  const char *b = strstr(a, to);
  ck_assert_msg(b != NULL, "'%s' not found after '%s'", to, from);
  size_t n = (size_t)(b - a) + strlen(to);
  char *out = malloc(n + 1);
  ck_assert_ptr_nonnull(out);
  memcpy(out, a, n);
  out[n] = '\0';
  return out;
}

static int count_of(const char *s, const char *needle)
{
  int k = 0;
  for (const char *p = strstr(s, needle); p != NULL; p = strstr(p + 1, needle))
    k++;
  return k;
}

START_TEST(test_json_extras)
{
  char *s = json_of_fake();
  /* C01: the table, its cells escaped, in column order */
  ck_assert_ptr_nonnull(strstr(s, "      \"extras_status\": 0,\n      \"tables\": [\n        {\n"
                                  "          \"title\": \"Condition sets <S, Q> & ranks\",\n"
                                  "          \"note\": \"Exact ranks over Q (FLINT) <fake>.\",\n"
                                  "          \"columns\": [\n            \"conditions\",\n"
                                  "            \"rank\",\n            \"nullity\",\n"
                                  "            \"witness <kernel>\"\n          ],\n"
                                  "          \"rows\": [\n            [\n"
                                  "              \"S PSD, R \xE2\x89\xA4 V\",\n"));
  ck_assert_ptr_nonnull(strstr(s, "              \"S indefinite & \\\"rank-deficient\\\"\",\n"
                                  "              \"2\",\n              \" 1 \",\n"));
  ck_assert_ptr_nonnull(strstr(s, "              \"x<y\",\n              \"\"\n            ]\n"
                                  "          ]\n        }\n      ],\n      \"plots\": [\n"));
  /* C01's first plot: axes, the 0 and the NaN as numbers and null, the reference dashed */
  ck_assert_ptr_nonnull(strstr(s, "\"ylabel\": \"||M - M_k||_F / ||M||_F\",\n"
                                  "          \"logx\": false,\n          \"logy\": true,\n"));
  ck_assert_ptr_nonnull(strstr(s, "\"y\": [\n                0.5,\n"
                                  "                0.20000000000000001,\n"
                                  "                0.050000000000000003,\n"
                                  "                0.001,\n                0,\n"
                                  "                null\n              ]"));
  ck_assert_ptr_nonnull(strstr(s, "\"name\": \"Eckart-Young optimum\",\n"
                                  "              \"dashed\": true,\n"));
  /* C03: the failed status, an empty table; C04: a plot without series */
  ck_assert_ptr_nonnull(strstr(s, "\"extras_status\": 5,\n      \"tables\": [\n        {\n"
                                  "          \"title\": \"Empty table\",\n"
                                  "          \"note\": \"\",\n          \"columns\": [\n"
                                  "            \"only\"\n          ],\n"
                                  "          \"rows\": []\n        }\n      ],\n"
                                  "      \"plots\": [],\n"));
  ck_assert_ptr_nonnull(strstr(s, "\"title\": \"Nothing <measured>\",\n"
                                  "          \"xlabel\": \"x\",\n          \"ylabel\": \"y\",\n"
                                  "          \"logx\": true,\n          \"logy\": false,\n"
                                  "          \"note\": \"\",\n          \"series\": []\n"));
  /* every claim object has the three keys, once */
  ck_assert_int_eq(count_of(s, "\"extras_status\": "), 4);
  ck_assert_int_eq(count_of(s, "      \"tables\": "), 4);
  ck_assert_int_eq(count_of(s, "      \"plots\": "), 4);
  free(s);
}
END_TEST

START_TEST(test_json_bad_extras)
{
  /* counts without arrays, or a table or plot that breaks its own limits, are refused */
  struct dp_evidence keep = res[0].evidence;
  res[0].evidence.tables = NULL;
  ck_assert_int_eq(dp_report_json(&fake, in_tmp("x.json")), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "C01"));
  res[0].evidence = keep;
  res[0].evidence.tables[0].ncol = DP_TABLE_MAXCOL + 1;
  ck_assert_int_eq(dp_report_html(&fake, in_tmp("x.html")), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "table 1"));
  res[0].evidence.tables[0].ncol = 4;
  double *y = res[0].evidence.plots[1].series[1].y;
  res[0].evidence.plots[1].series[1].y = NULL;
  ck_assert_int_eq(dp_report_json(&fake, in_tmp("x.json")), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "plot 2"));
  res[0].evidence.plots[1].series[1].y = y;
  res[1].evidence.nplots = 3;
  struct dp_plot *keep_plots = res[1].evidence.plots;
  res[1].evidence.plots = NULL;
  ck_assert_int_eq(dp_report_tsv(&fake, tmpdir), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "C02"));
  res[1].evidence.plots = keep_plots;
  res[1].evidence.nplots = 2;
  ck_assert_int_eq(count_entries(tmpdir, "x."), 0);
  ck_assert_int_eq(count_entries(tmpdir, ".tsv"), 0);
  /* restored, the run is accepted again */
  ck_assert_int_eq(dp_report_json(&fake, in_tmp("x.json")), GSL_SUCCESS);
}
END_TEST

static char *html_of_fake(void)
{
  const char *p = in_tmp("index.html");
  ck_assert_int_eq(dp_report_html(&fake, p), GSL_SUCCESS);
  char *s = slurp(p);
  ck_assert_ptr_nonnull(s);
  return s;
}

START_TEST(test_html_tables)
{
  char *s = html_of_fake();
  char *t = between(s, "<table class=\"extra\">", "</table>");
  ck_assert_ptr_nonnull(strstr(t, "<caption>Condition sets &lt;S, Q&gt; &amp; ranks</caption>"));
  ck_assert_ptr_nonnull(strstr(t, "<thead><tr><th>conditions</th><th>rank</th><th>nullity</th>"
                                  "<th>witness &lt;kernel&gt;</th></tr></thead>"));
  /* numbers right-aligned (a padded one too), text not */
  ck_assert_ptr_nonnull(strstr(t, "<tr><td>S PSD, R \xE2\x89\xA4 V</td><td class=\"num\">3</td>"
                                  "<td class=\"num\">0</td><td>none</td></tr>"));
  ck_assert_ptr_nonnull(strstr(t, "<tr><td>S indefinite &amp; &quot;rank-deficient&quot;</td>"
                                  "<td class=\"num\">2</td><td class=\"num\"> 1 </td>"
                                  "<td>(1, -1, 0)</td></tr>"));
  ck_assert_ptr_nonnull(strstr(t, "<tr><td class=\"num\">-1.5e-3</td><td class=\"num\">12</td>"
                                  "<td>x&lt;y</td><td></td></tr>"));
  free(t);
  ck_assert_ptr_nonnull(strstr(s, "</div>\n<p class=\"caption\">Exact ranks over Q (FLINT) "
                                  "&lt;fake&gt;.</p>"));
  /* C03: the failure is said, and the empty table still has a row */
  t = between(s, "<section id=\"C03\">", "</section>");
  ck_assert_ptr_nonnull(strstr(t, "<h3>Tables and plots</h3>\n<p class=\"note error\">Computing "
                                  "them failed with GSL status 5 ("));
  ck_assert_ptr_nonnull(strstr(t, "<tr><td colspan=\"1\">(no rows)</td></tr>"));
  free(t);
  /* a claim without tables or plots gets no heading: drop them and look */
  dp_evidence_free(&res[1].evidence);
  free(s);
  s = html_of_fake();
  t = between(s, "<section id=\"C02\">", "</section>");
  ck_assert_ptr_null(strstr(t, "Tables and plots"));
  free(t);
  ck_assert_int_eq(count_of(s, "<h3>Tables and plots</h3>"), 3);
  free(s);
}
END_TEST

START_TEST(test_html_plot_geometry)
{
  char *s = html_of_fake();
  /* log-log, (1, 1) and (10, 100): the corners of the plot area, both series */
  char *p = between(s, "<figure class=\"plot\" id=\"C01-plot2\">", "</figure>");
  ck_assert_ptr_nonnull(strstr(p, "<figcaption><strong>Log-log remainder.</strong> fitted slope "
                                  "2.00</figcaption>"));
  ck_assert_int_eq(count_of(p, "points=\"84.0,274.0 704.0,14.0\""), 2);
  /* the reference, wide and dashed in a colour of its own, first; the measurement over it */
  const char *ref = strstr(p, "stroke=\"#e69f00\" stroke-width=\"6\" stroke-opacity=\"0.7\" "
                              "stroke-dasharray=\"12 6\" points=");
  const char *mea = strstr(p, "stroke=\"#0072b2\" stroke-width=\"2\" points=");
  ck_assert_ptr_nonnull(ref);
  ck_assert_ptr_nonnull(mea);
  ck_assert(ref < mea);
  /* the y label across, above the plot, which is moved down to make room for it */
  ck_assert_ptr_nonnull(strstr(p, "<text x=\"8\" y=\"14\" font-size=\"12\" fill=\"#1f2328\">"
                                  "remainder (log scale)</text>\n<g transform=\"translate(0 22)\">"));
  ck_assert_ptr_nonnull(strstr(p, "</g>\n</svg>"));
  ck_assert_ptr_nonnull(strstr(p, "<circle cx=\"84.0\" cy=\"274.0\" r=\"3.5\"/>\n"
                                  "<circle cx=\"704.0\" cy=\"14.0\" r=\"3.5\"/>"));
  /* decade labels as powers of ten, the single decade's 2 and 5 at log10(2), log10(5) */
  ck_assert_ptr_nonnull(strstr(p, "<text x=\"84.0\" y=\"292.0\">10<tspan dy=\"-5\" "
                                  "font-size=\"9\">0</tspan></text>"));
  ck_assert_ptr_nonnull(strstr(p, "<text x=\"76.0\" y=\"18.0\">10<tspan dy=\"-5\" "
                                  "font-size=\"9\">2</tspan></text>"));
  ck_assert_ptr_nonnull(strstr(p, "<text x=\"270.6\" y=\"292.0\">2</text>"));
  ck_assert_ptr_nonnull(strstr(p, "<text x=\"517.4\" y=\"292.0\">5</text>"));
  ck_assert_ptr_nonnull(strstr(p, ">\xCE\xB5 (log scale)</text>"));
  ck_assert_ptr_nonnull(strstr(p, ">remainder (log scale)</text>"));
  /* the legend: both names, the reference marked */
  ck_assert_ptr_nonnull(strstr(p, ">remainder (measured)</text>"));
  ck_assert_ptr_nonnull(strstr(p, ">slope 2 (reference)</text>"));
  ck_assert_ptr_nonnull(strstr(p, "<summary>Data (4 points)</summary>"));
  ck_assert_ptr_nonnull(strstr(p, "<tr><td>remainder</td><td class=\"num\">10</td>"
                                  "<td class=\"num\">100</td></tr>"));
  free(p);

  /* semi-log: 0 and NaN are not drawn, and the caption says so; the line breaks there */
  p = between(s, "<figure class=\"plot\" id=\"C01-plot1\">", "</figure>");
  ck_assert_ptr_nonnull(strstr(p, "2 points not drawn (not finite, or not positive on a log "
                                  "axis)."));
  /* y from 1e-7 to 1e0: seven decades over 260 units; x from 1 to 6 over 620 units */
  ck_assert_ptr_nonnull(strstr(p, "<text x=\"76.0\" y=\"18.0\">10<tspan dy=\"-5\" "
                                  "font-size=\"9\">0</tspan></text>"));
  ck_assert_ptr_nonnull(strstr(p, "<text x=\"76.0\" y=\"278.0\">10<tspan dy=\"-5\" "
                                  "font-size=\"9\">\xE2\x88\x92" "7</tspan></text>"));
  /* (points on the half unit; markers at the exact place) */
  ck_assert_ptr_nonnull(strstr(p, "points=\"84.0,25.0 208.0,40.0 332.0,62.5 456.0,125.5\"/>"));
  ck_assert_ptr_nonnull(strstr(p, "points=\"84.0,25.0 208.0,40.0 332.0,62.5 456.0,125.5 "
                                  "580.0,199.5 704.0,274.0\"/>"));
  ck_assert_ptr_nonnull(strstr(p, "<circle cx=\"332.0\" cy=\"62.3\" r=\"3.5\"/>"));
  ck_assert_int_eq(count_of(p, "<circle "), 4 + 1); /* 4 drawn measurements, 1 in the legend */
  ck_assert_ptr_nonnull(strstr(p, "<tr><td>measured</td><td class=\"num\">6</td>"
                                  "<td class=\"num\">NaN</td></tr>"));
  free(p);

  /* linear: 1-2-5 ticks; a lone point gets a marker; a flat series gets a range */
  p = between(s, "<figure class=\"plot\" id=\"C02-plot1\">", "</figure>");
  for (int i = 0; i <= 5; i++) {
    char tick[64];
    snprintf(tick, sizeof tick, "<text x=\"76.0\" y=\"%.1f\">%g</text>", 274.0 - 52.0 * i + 4,
             0.2 * i);
    ck_assert_msg(strstr(p, tick) != NULL, "no tick %s", tick);
  }
  ck_assert_ptr_nonnull(strstr(p, "<text x=\"84.0\" y=\"292.0\">1</text>"));
  ck_assert_ptr_nonnull(strstr(p, "<text x=\"704.0\" y=\"292.0\">8</text>"));
  ck_assert_ptr_nonnull(strstr(p, "<g fill=\"#d55e00\" stroke=\"#ffffff\" stroke-width=\"0.75\">\n"
                                  "<circle cx=\"349.7\" cy=\"92.0\" r=\"3.5\"/>"));
  ck_assert_int_eq(count_of(p, "<polyline "), 1); /* none for the lone point */
  ck_assert_ptr_null(strstr(p, "not drawn"));
  ck_assert_ptr_null(strstr(p, "(log scale)"));
  free(p);
  p = between(s, "<figure class=\"plot\" id=\"C02-plot2\">", "</figure>");
  ck_assert_ptr_nonnull(strstr(p, ">4.4</text>"));
  ck_assert_ptr_nonnull(strstr(p, ">5.6</text>"));
  ck_assert_ptr_nonnull(strstr(p, "points=\"84.0,144.0 394.0,144.0 704.0,144.0\"/>"));
  ck_assert_ptr_null(strstr(p, "<circle cx=\"84.0\"")); /* a reference line has no markers */
  free(p);

  /* no series: empty axes that say so, escaped title */
  p = between(s, "<figure class=\"plot\" id=\"C04-plot1\">", "</figure>");
  ck_assert_ptr_nonnull(strstr(p, ">no point to draw</text>"));
  ck_assert_ptr_nonnull(strstr(p, "<title>Nothing &lt;measured&gt;</title>"));
  ck_assert_ptr_nonnull(strstr(p, "<tr><td colspan=\"3\">(no points)</td></tr>"));
  ck_assert_ptr_null(strstr(p, "<polyline"));
  free(p);
  free(s);
}
END_TEST

/* The strip plot of section id, from its SVG's label to its end (malloc'd). */
static char *strip_of(const char *s, const char *id)
{
  char from[64];
  snprintf(from, sizeof from, "aria-label=\"Figures of %s and", id);
  return between(s, from, "</svg>");
}

/* How many dots of the strip plot t lie within [x0, x1] x [y0, y1]. */
static int dots_in(const char *t, double x0, double x1, double y0, double y1)
{
  int k = 0;
  for (const char *q = strstr(t, "<circle cx=\""); q != NULL; q = strstr(q + 1, "<circle cx=\"")) {
    double x, y;
    if (sscanf(q, "<circle cx=\"%lf\" cy=\"%lf\"", &x, &y) == 2 && x >= x0 && x <= x1 &&
        y >= y0 && y <= y1)
      k++;
  }
  return k;
}

/* The largest decade labelled on the axis of the strip plot t (its ticks are 10 with the
 * exponent raised, U+2212 for a minus). */
static long strip_top_decade(const char *t)
{
  long top = LONG_MIN;
  const char *tag = "10<tspan dy=\"-5\" font-size=\"10\">";
  for (const char *q = strstr(t, tag); q != NULL; q = strstr(q + 1, tag)) {
    const char *e = q + strlen(tag);
    int neg = strncmp(e, "\xE2\x88\x92", 3) == 0;
    long v = strtol(e + (neg ? 3 : 0), NULL, 10);
    if (neg)
      v = -v;
    if (v > top)
      top = v;
  }
  return top;
}

START_TEST(test_html_strip_bands)
{
  /* C01: the claim has a figure of exactly 0; the twin DP_RATIO_FAIL, 1e20 and +Inf (beyond
   * 1/eps) and, made here, one of 1e9 (off scale: more than 6 decades above 30) */
  twin_c01[4] = 1e9;
  char *s = html_of_fake();
  char *t = strip_of(s, "C01");
  /* the axis title says what a figure is and where the claim holds; the threshold labelled */
  ck_assert_ptr_nonnull(strstr(t, ">figure: test ratio (log scale); the claim holds at "
                                  "\xE2\x89\xA4 30</text>"));
  ck_assert_ptr_nonnull(strstr(t, ">threshold 30: holds left of the line, fails right of "
                                  "it</text>"));
  /* the rows named, the legend saying what a dot is */
  ck_assert_ptr_nonnull(strstr(t, ">claim</text>"));
  ck_assert_ptr_nonnull(strstr(t, ">false twin</text>"));
  ck_assert_ptr_nonnull(strstr(t, ">A dot is one instance:</text>"));
  ck_assert_ptr_nonnull(strstr(t, ">passes</text>"));
  ck_assert_ptr_nonnull(strstr(t, ">does not pass</text>"));
  /* the bands, with their counts: the 0 at the left, the 1e9 off scale, the three of 1/eps
   * and beyond as mismatches */
  ck_assert_ptr_nonnull(strstr(t, "font-weight=\"bold\">exactly 0</text>"));
  ck_assert_ptr_nonnull(strstr(t, ">claim 1, twin 0</text>"));
  ck_assert_ptr_nonnull(strstr(t, "font-weight=\"bold\">above 1e7</text>"));
  ck_assert_ptr_nonnull(strstr(t, ">claim 0, twin 1</text>"));
  ck_assert_ptr_nonnull(strstr(t, "font-weight=\"bold\">exact mismatch</text>"));
  ck_assert_ptr_nonnull(strstr(t, ">claim 0, twin 3</text>"));
  /* the axis is not stretched to them: no decade at 1e15 or beyond, nor past the cap */
  long top = strip_top_decade(t);
  ck_assert_int_ge(top, 2); /* the threshold's side where the claim fails shows */
  ck_assert_int_le(top, 7);
  /* the dots where the bands are: the zero band is the first 100 units after the row
   * labels (x 96 to 196), the mismatch band the last 100 (x 736 to 836); rows at y 48, 88 */
  ck_assert_int_eq(dots_in(t, 96, 196, 30, 66), 1);
  ck_assert_int_eq(dots_in(t, 96, 196, 70, 106), 0);
  ck_assert_int_eq(dots_in(t, 736, 836, 70, 106), 3);
  ck_assert_int_eq(dots_in(t, 736, 836, 30, 66), 0);
  free(t);
  /* C02, a slack: the axis title says so; the zero band holds what does not violate */
  t = strip_of(s, "C02");
  ck_assert_ptr_nonnull(strstr(t, ">figure: violation \xE2\x88\x92slack of the bound (log "
                                  "scale); holds at \xE2\x89\xA4 1e-10</text>"));
  ck_assert_ptr_nonnull(strstr(t, "font-weight=\"bold\">\xE2\x89\xA4 0</text>"));
  ck_assert_ptr_null(strstr(t, "exact mismatch"));
  free(t);
  free(s);
}
END_TEST

START_TEST(test_html_plot_legend)
{
  struct dp_plot *q;
  /* a series name of the longest kind: its legend entry sized to fit the picture (SVG would
   * clip it); the axis titles, shorter, fit at their size */
  char lab[sizeof q->series[0].name];
  memset(lab, 'y', sizeof lab - 1);
  lab[sizeof lab - 1] = '\0';
  q = dp_evidence_plot(&res[3].evidence, "Long", "x", "y", 0, 0);
  ck_assert_ptr_nonnull(q);
  const double x[2] = { 1, 2 }, y[2] = { 1, 2 };
  ck_assert_int_eq(dp_plot_series(q, lab, 0, 2, x, y), GSL_SUCCESS);
  char *s = html_of_fake();
  /* C01's first plot: a measurement and a reference on the same points */
  char *p = between(s, "<figure class=\"plot\" id=\"C01-plot1\">", "</figure>");
  /* both axis titles */
  ck_assert_ptr_nonnull(strstr(p, ">||M - M_k||_F / ||M||_F (log scale)</text>"));
  ck_assert_ptr_nonnull(strstr(p, "text-anchor=\"middle\">d_k</text>"));
  /* the legend says which is which */
  ck_assert_ptr_nonnull(strstr(p, ">measured (measured)</text>"));
  ck_assert_ptr_nonnull(strstr(p, ">Eckart-Young optimum (reference)</text>"));
  /* the reference: its own colour, dashed, wide, under the measurement, without markers */
  const char *ref = strstr(p, "<polyline fill=\"none\" stroke=\"#e69f00\" stroke-width=\"6\"");
  const char *mea = strstr(p, "<polyline fill=\"none\" stroke=\"#0072b2\" stroke-width=\"2\"");
  ck_assert_ptr_nonnull(ref);
  ck_assert_ptr_nonnull(mea);
  ck_assert(ref < mea);
  ck_assert_ptr_nonnull(strstr(ref, "stroke-dasharray="));
  ck_assert_ptr_null(strstr(p, "<g fill=\"#e69f00\""));
  ck_assert_ptr_nonnull(strstr(p, "<g fill=\"#0072b2\""));
  /* the legend under the plot area (its bottom at y 274) */
  const char *leg = strstr(p, ">Eckart-Young optimum (reference)</text>");
  const char *open = leg;
  while (open > p && strncmp(open, "<text ", 6) != 0)
    open--;
  double lx, ly;
  ck_assert_int_eq(sscanf(open, "<text x=\"%lf\" y=\"%lf\"", &lx, &ly), 2);
  ck_assert(ly > 274 + 36);
  free(p);
  p = between(s, "<figure class=\"plot\" id=\"C04-plot2\">", "</figure>");
  ck_assert_ptr_nonnull(strstr(p, "<text x=\"8\" y=\"14\" font-size=\"12\""));
  const char *name = strstr(p, "yyyy (measured)</text>");
  ck_assert_ptr_nonnull(name);
  while (name > p && strncmp(name, "<text ", 6) != 0)
    name--;
  double fs;
  ck_assert_int_eq(sscanf(name, "<text x=\"%lf\" y=\"%lf\" font-size=\"%lf\"", &lx, &ly, &fs),
                   3);
  /* 119 characters and " (measured)" from x = lx to 8 short of the right edge (720) */
  ck_assert(fs < 12 && fs * 0.6 * (119 + 11) <= 720 - 8 - lx);
  free(p);
  free(s);
}
END_TEST

START_TEST(test_html_plot_bounded)
{
  /* a series of a million points: the polyline keeps at most four points (first, lowest,
   * highest, last) of each half unit of x, the data table its first rows, and the table
   * says what it left out */
  enum { N = 1000000 };
  double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
  ck_assert_ptr_nonnull(x);
  ck_assert_ptr_nonnull(y);
  for (int i = 0; i < N; i++) {
    x[i] = i;
    y[i] = sin(i * 1e-4);
  }
  struct dp_plot *p = dp_evidence_plot(&res[3].evidence, "Big", "i", "sin", 0, 0);
  ck_assert_ptr_nonnull(p);
  ck_assert_int_eq(dp_plot_series(p, "sine", 0, N, x, y), GSL_SUCCESS);
  free(x);
  free(y);
  char *s = html_of_fake();
  char *b = between(s, "<figure class=\"plot\" id=\"C04-plot2\">", "</figure>");
  ck_assert_int_lt((int)strlen(b), 120000);
  ck_assert_ptr_nonnull(strstr(b, "<summary>Data (1000000 points)</summary>"));
  ck_assert_ptr_nonnull(strstr(b, "The first 400 of 1000000 points; residuals.json has every "
                                  "point exactly."));
  ck_assert_int_eq(count_of(b, "<tr><td>sine</td>"), 400);
  /* markers on one point in every 25000: 40 of them, and the legend's */
  ck_assert_int_eq(count_of(b, "<circle "), 40 + 1);
  ck_assert_int_eq(count_of(b, "<polyline "), 1);
  /* the decimation keeps the extremes: the sine still touches the top and the bottom */
  ck_assert_ptr_nonnull(strstr(b, ",14.0 "));
  ck_assert_ptr_nonnull(strstr(b, ",274.0 "));
  free(b);
  free(s);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Edges: malformed runs, rare characters, uneven twins, odd plots                           */

START_TEST(test_bad_runs)
{
  const char *p = in_tmp("bad.json");
  /* counts without arrays */
  fake.res = NULL;
  ck_assert_int_eq(dp_report_json(&fake, p), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "4 results but no result array"));
  fake.res = res;
  res[1].claim = NULL;
  ck_assert_int_eq(dp_report_json(&fake, p), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "result 1 has no claim"));
  res[1].claim = &claim_c02;
  double *keep = res[2].figures;
  res[2].figures = NULL;
  ck_assert_int_eq(dp_report_json(&fake, p), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "result C03 is inconsistent"));
  res[2].figures = keep;
  /* one past the rows it holds */
  res[2].ncases = sizeof res[2].cases / sizeof res[2].cases[0] + 1;
  ck_assert_int_eq(dp_report_json(&fake, p), GSL_EINVAL);
  res[2].ncases = 0;
  res[1].ncex = 2;
  res[1].cex = NULL;
  ck_assert_int_eq(dp_report_json(&fake, p), GSL_EINVAL);
  res[1].cex = cex_c02;
  res[1].ncex = 1;
  /* ids that would not make a file name or an HTML id */
  static const char *const bad_ids[] = { "", ".hidden", "summary", "C 01", "C01/x", "C\xCE\xBB",
    "x123456789x123456789x123456789x123456789x123456789x123456789x1234" };
  struct dp_claim c = claim_c04;
  res[3].claim = &c;
  for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
    c.id = bad_ids[i];
    ck_assert_msg(dp_report_json(&fake, p) == GSL_EINVAL, "id '%s' accepted", bad_ids[i]);
    ck_assert_ptr_nonnull(strstr(dp_err_last(), "is not a plain name"));
  }
  c.id = NULL;
  ck_assert_int_eq(dp_report_html(&fake, p), GSL_EINVAL);
  c.id = "Z-9_a.b"; /* every allowed kind of character */
  ck_assert_int_eq(dp_report_json(&fake, p), GSL_SUCCESS);
  ck_assert_int_eq(count_entries(tmpdir, "bad.json"), 1);
  /* no directory */
  ck_assert_int_eq(dp_report_tsv(&fake, NULL), GSL_EINVAL);
  ck_assert_int_eq(dp_report_tsv(&fake, ""), GSL_EINVAL);
  ck_assert_int_eq(dp_report_write(&fake, ""), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "no directory given"));
  ck_assert_int_eq(dp_report_json(NULL, NULL), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "report: no run given"));
  ck_assert_int_eq(dp_report_html(NULL, NULL), GSL_EINVAL);
  /* a file where the directory should be */
  const char *file = in_tmp("plain");
  ck_assert_int_eq(spit(file, "x"), 0);
  ck_assert_int_eq(dp_report_write(&fake, file), GSL_EFAILED);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "not a directory"));
  /* a file name that names a directory */
  char dirname[300];
  snprintf(dirname, sizeof dirname, "%s/", tmpdir);
  ck_assert_int_eq(dp_atomic_write(dirname, fill_hello, "x"), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "is a directory name, not a file"));
  ck_assert_int_eq(dp_atomic_write("", fill_hello, "x"), GSL_EINVAL);
}
END_TEST

START_TEST(test_atomic_relative)
{
  /* a bare file name goes to the current directory */
  char cwd[512];
  ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
  ck_assert_int_eq(chdir(tmpdir), 0);
  int st = dp_atomic_write("bare.txt", fill_hello, "bare\n");
  ck_assert_int_eq(chdir(cwd), 0);
  ck_assert_int_eq(st, GSL_SUCCESS);
  char *s = slurp(in_tmp("bare.txt"));
  ck_assert_str_eq(s, "bare\n");
  free(s);
  /* and a TSV directory given with trailing slashes */
  char dir[300];
  snprintf(dir, sizeof dir, "%s///", tmpdir);
  ck_assert_int_eq(dp_report_tsv(&fake, dir), GSL_SUCCESS);
  ck_assert_int_eq(count_entries(tmpdir, ".tsv"), 4);
}
END_TEST

START_TEST(test_rare_characters)
{
  /* JSON escapes of every short form; UTF-8 of four bytes kept; malformed sequences of
   * every kind replaced, in the JSON by \ufffd and in the page by U+FFFD */
  struct dp_claim c = claim_c04;
  c.statement = "cr\r bs\b ff\f del\x7F emoji \xF0\x9F\x98\x80 max \xF4\x8F\xBF\xBF";
  c.conditions = "over4 \xF4\x90\x80\x80 overlong4 \xF0\x80\x80\x80 overlong3 \xE0\x80\x80 "
                 "surrogate \xED\xA0\x80 c0 \xC0\xAF cont \x80 trunc4 \xF0\x9F\x98 f5 \xF5 "
                 "ok3 \xED\x9F\xBF c1 \xC2\x85 nbsp \xC2\xA0";
  res[3].claim = &c;
  char *s = json_of_fake();
  ck_assert_ptr_nonnull(strstr(s, "\"statement\": \"cr\\r bs\\b ff\\f del\\u007f emoji "
                                  "\xF0\x9F\x98\x80 max \xF4\x8F\xBF\xBF\""));
  ck_assert_ptr_nonnull(strstr(s, "\"conditions\": \"over4 \\ufffd\\ufffd\\ufffd\\ufffd "
                                  "overlong4 \\ufffd\\ufffd\\ufffd\\ufffd overlong3 "
                                  "\\ufffd\\ufffd\\ufffd surrogate \\ufffd\\ufffd\\ufffd "
                                  "c0 \\ufffd\\ufffd cont \\ufffd trunc4 \\ufffd\\ufffd\\ufffd "
                                  "f5 \\ufffd ok3 \xED\x9F\xBF c1 \xC2\x85 nbsp \xC2\xA0\""));
  free(s);
  const char *p = in_tmp("rare.html");
  ck_assert_int_eq(dp_report_html(&fake, p), GSL_SUCCESS);
  s = slurp(p);
  /* in the page: a C1 control is no character to show; the no-break space is */
  ck_assert_ptr_nonnull(strstr(s, "ok3 \xED\x9F\xBF c1 \xEF\xBF\xBD nbsp \xC2\xA0"));
  ck_assert_ptr_nonnull(strstr(s, "cr\r bs\xEF\xBF\xBD ff\xEF\xBF\xBD del\xEF\xBF\xBD emoji "
                                  "\xF0\x9F\x98\x80"));
  free(s);
}
END_TEST

START_TEST(test_uneven_twin)
{
  /* a twin measured on fewer instances than the claim, and the other way round: the TSV
   * fills the missing side with NaN and NA */
  res[0].twin_n = 4;
  ck_assert_int_eq(dp_report_tsv(&fake, tmpdir), GSL_SUCCESS);
  char *s = slurp(in_tmp("C01.tsv"));
  ck_assert_ptr_nonnull(strstr(s, "\n4\t29.998999999999999\tPASS\tNaN\tNA\n"
                                  "5\t0.10000000000000001\tPASS\tNaN\tNA\n"));
  free(s);
  res[0].twin_n = 6;
  res[0].n = 5;
  ck_assert_int_eq(dp_report_tsv(&fake, tmpdir), GSL_SUCCESS);
  s = slurp(in_tmp("C01.tsv"));
  ck_assert_ptr_nonnull(strstr(s, "\n5\tNaN\tNA\tInf\tFAIL\n"));
  free(s);
  /* the verdict is the stored one: a NaN figure that the runner judged FAIL (a check that
   * measured NaN) is FAIL in the TSV, not a guess from the counts */
  fig_c01[3] = NAN;
  v_c01[3] = DP_FAIL;
  ck_assert_int_eq(dp_report_tsv(&fake, tmpdir), GSL_SUCCESS);
  s = slurp(in_tmp("C01.tsv"));
  ck_assert_ptr_nonnull(strstr(s, "\n3\tNaN\tFAIL\t"));
  free(s);
  /* -Inf figures */
  fig_c02[2] = -INFINITY;
  v_c02[2] = DP_FAIL;
  ck_assert_int_eq(dp_report_tsv(&fake, tmpdir), GSL_SUCCESS);
  s = slurp(in_tmp("C02.tsv"));
  ck_assert_ptr_nonnull(strstr(s, "\n2\t-Inf\tFAIL\t"));
  free(s);
}
END_TEST

START_TEST(test_unknown_states)
{
  /* states outside the enums are named, not trusted */
  res[0].cases[0].claim.status = (enum dp_measure)9;
  res[3].verdict = (enum dp_verdict)9;
  char *s = json_of_fake();
  ck_assert_ptr_nonnull(strstr(s, "\"status\": \"unknown\",\n            \"figure\": null,"));
  ck_assert_ptr_nonnull(strstr(s, "\"verdict\": \"UNKNOWN\""));
  free(s);
  const char *p = in_tmp("u.html");
  ck_assert_int_eq(dp_report_html(&fake, p), GSL_SUCCESS);
  s = slurp(p);
  ck_assert_ptr_nonnull(strstr(s, "<td class=\"skip\">UNKNOWN</td>"));
  /* the row's verdict is the one the runner stored, whatever the outcome's status says */
  ck_assert_ptr_nonnull(strstr(s, "<td class=\"num\">unknown</td><td class=\"pass\">PASS</td>"));
  free(s);
}
END_TEST

START_TEST(test_html_wording)
{
  /* plurals and singulars, the run's summary line when everything holds, a claim whose
   * figures are all zero against a zero tolerance, a table without a title */
  res[1].ncex = 1;
  cex_c02[0].steps = 1;
  res[0].twin_error = 1;
  res[2].twin_error = 1;
  res[2].twin_defect = 1;
  res[1].verdict = res[2].verdict = DP_PASS;
  struct dp_claim z = claim_c03;
  z.tol = 0;
  res[2].claim = &z;
  fig_c03[0] = fig_c03[1] = fig_c03[2] = 0;
  twin_c03[0] = twin_c03[1] = twin_c03[2] = -0.0;
  res[2].evidence.tables[0].title[0] = '\0';
  const char *p = in_tmp("w.html");
  ck_assert_int_eq(dp_report_html(&fake, p), GSL_SUCCESS);
  char *s = slurp(p);
  /* the banner counts from the stored verdicts: a twin defect fails the run */
  ck_assert_ptr_nonnull(strstr(s, "<p class=\"banner fail\" id=\"banner\">4 claims: 2 hold as "
                                  "stated, 1 holds under stated conditions, 0 fail, 1 skipped</p>"));
  ck_assert_ptr_nonnull(strstr(s, "<p class=\"runline\">1 harness defect (twin never rejected), "
                                  "1 thin (tested on too few instances); 1 finding."));
  ck_assert_ptr_nonnull(strstr(s, "<p>Totals: 4 claims: 3 pass, 0 fail, 1 skip, 0 error; 1 "
                                  "harness defect; 1 thin.</p>"));
  ck_assert_ptr_nonnull(strstr(s, "<h3>Counterexample</h3>"));
  ck_assert_ptr_nonnull(strstr(s, "after 1 shrink step: "));
  ck_assert_ptr_nonnull(strstr(s, "(1 skipped, 1 error); its most rejected figure"));
  ck_assert_ptr_nonnull(strstr(s, "Never rejected on the 3 instances it did not skip (0 skipped, 1 "
                                  "error): "));
  /* zero tolerance, no positive figure: the axis spans 1e-1 to 1e2 around 1, the tolerance
   * line sits between the zero band, which holds every figure, and the axis */
  char *sec = between(s, "<section id=\"C03\">", "</section>");
  ck_assert_ptr_nonnull(strstr(sec, "font-size=\"10\">\xE2\x88\x92" "1</tspan>"));
  ck_assert_ptr_nonnull(strstr(sec, "font-size=\"10\">2</tspan>"));
  ck_assert_ptr_nonnull(strstr(sec, "<line x1=\"203.0\" y1=\"20.0\" x2=\"203.0\""));
  ck_assert_ptr_nonnull(strstr(sec, ">claim 3, twin 3</text>"));
  ck_assert_ptr_nonnull(strstr(sec, "<table class=\"extra\">\n<thead>")); /* no caption */
  free(sec);
  free(s);
  /* two counterexamples: the plural */
  struct dp_cex two[2];
  two[0] = two[1] = cex_c02[0];
  two[1].instance = NULL; /* not kept: no <pre> for it */
  res[1].cex = two;
  res[1].ncex = 2;
  ck_assert_int_eq(dp_report_html(&fake, p), GSL_SUCCESS);
  s = slurp(p);
  ck_assert_ptr_nonnull(strstr(s, "<h3>Counterexamples</h3>"));
  ck_assert_int_eq(count_of(s, "<div class=\"cex\">"), 3); /* two, and C01's twin witness */
  ck_assert_int_eq(count_of(s, "<pre>"), 3); /* and the finding's smallest counterexample */
  free(s);
  /* an exact tier whose twin held where it could differ: the summary and the section say it is
   * the exact tier's defect, though the float twin was rejected */
  res[0].tiers[DP_TIER_EXACT].twin_defect = 1;
  SET(res[0].tiers[DP_TIER_EXACT].twin_what, "the twin held on 1 of the 2 <instances>");
  ck_assert_int_eq(dp_report_html(&fake, p), GSL_SUCCESS);
  s = slurp(p);
  ck_assert_ptr_nonnull(strstr(s, "<td class=\"fail\">no: harness defect in the exact tier "
                                  "(float: 4 of 5, 1 skipped)</td>"));
  ck_assert_ptr_nonnull(strstr(s, "<p class=\"note fail\">In the exact tier, a harness defect: "
                                  "the twin held on 1 of the 2 &lt;instances&gt;."));
  free(s);
  res[0].tiers[DP_TIER_EXACT].twin_defect = 0;
  res[0].tiers[DP_TIER_EXACT].twin_what[0] = '\0';

  /* everything holds: the banner says so */
  res[2].twin_defect = 0;
  ck_assert_int_eq(dp_report_html(&fake, p), GSL_SUCCESS);
  s = slurp(p);
  ck_assert_ptr_nonnull(strstr(s, "<p class=\"banner cond\" id=\"banner\">4 claims: 2 hold "
                                  "as stated, 1 holds under stated conditions, 0 fail, 1 "
                                  "skipped</p>"));
  ck_assert_ptr_nonnull(strstr(s, "<p class=\"runline\">0 harness defects"));
  free(s);
}
END_TEST

START_TEST(test_plot_axes)
{
  /* many decades: ticks every other decade; a flat zero series; a one-decade log y axis
   * with its 2 and 5 labelled; infinite values in the data table */
  struct dp_evidence *x = &res[2].evidence;
  struct dp_plot *p = dp_evidence_plot(x, "Wide", "n", "err", 1, 0);
  const double wx[3] = { 1e-12, 1, 1e7 }, wy[3] = { 1, 2, 3 };
  ck_assert_int_eq(dp_plot_series(p, "wide", 0, 3, wx, wy), GSL_SUCCESS);
  p = dp_evidence_plot(x, "Zero", "n", "zero", 0, 0);
  const double zx[2] = { 3, 3 }, zy[2] = { 0, 0 };
  ck_assert_int_eq(dp_plot_series(p, "zeros", 1, 2, zx, zy), GSL_SUCCESS);
  p = dp_evidence_plot(x, "Decade", "n", "ratio", 0, 1);
  const double dx[3] = { 1, 2, 3 }, dy[3] = { 2, 3, 7 };
  const double ix[2] = { INFINITY, 1 }, iy[2] = { 1, -INFINITY };
  ck_assert_int_eq(dp_plot_series(p, "decade", 0, 3, dx, dy), GSL_SUCCESS);
  ck_assert_int_eq(dp_plot_series(p, "infinite", 0, 2, ix, iy), GSL_SUCCESS);
  const char *path = in_tmp("axes.html");
  ck_assert_int_eq(dp_report_html(&fake, path), GSL_SUCCESS);
  char *s = slurp(path);
  char *w = between(s, "<figure class=\"plot\" id=\"C03-plot1\">", "</figure>");
  /* 1e-12 .. 1e7: 19 decades, step 3 from 10^-12 to 10^9 */
  ck_assert_ptr_nonnull(strstr(w, "10<tspan dy=\"-5\" font-size=\"9\">\xE2\x88\x92" "12</tspan>"));
  ck_assert_ptr_nonnull(strstr(w, "10<tspan dy=\"-5\" font-size=\"9\">\xE2\x88\x92" "9</tspan>"));
  ck_assert_ptr_nonnull(strstr(w, "10<tspan dy=\"-5\" font-size=\"9\">9</tspan>"));
  ck_assert_ptr_null(strstr(w, "font-size=\"9\">\xE2\x88\x92" "11</tspan>"));
  free(w);
  w = between(s, "<figure class=\"plot\" id=\"C03-plot2\">", "</figure>");
  /* x and y flat: 3 +- 0.3 in steps of 0.1, and 0 +- 1 in steps of 0.5 */
  ck_assert_ptr_nonnull(strstr(w, "<text x=\"84.0\" y=\"292.0\">2.7</text>"));
  ck_assert_ptr_nonnull(strstr(w, "<text x=\"704.0\" y=\"292.0\">3.3</text>"));
  ck_assert_ptr_nonnull(strstr(w, "<text x=\"76.0\" y=\"278.0\">-1</text>"));
  ck_assert_ptr_nonnull(strstr(w, "<text x=\"76.0\" y=\"213.0\">-0.5</text>"));
  ck_assert_ptr_nonnull(strstr(w, "<text x=\"76.0\" y=\"148.0\">0</text>"));
  /* the two points of a reference coincide: no line would show them, a hollow square does */
  ck_assert_ptr_null(strstr(w, "<polyline "));
  ck_assert_ptr_nonnull(strstr(w, "<rect x=\"389.5\" y=\"139.5\" width=\"9\" height=\"9\" "
                                  "fill=\"none\" stroke=\"#e69f00\""));
  free(w);
  w = between(s, "<figure class=\"plot\" id=\"C03-plot3\">", "</figure>");
  ck_assert_ptr_nonnull(strstr(w, "<text x=\"76.0\" y=\"199.7\">2</text>"));
  ck_assert_ptr_nonnull(strstr(w, "<text x=\"76.0\" y=\"96.3\">5</text>"));
  ck_assert_ptr_nonnull(strstr(w, "<td class=\"num\">Inf</td><td class=\"num\">1</td>"));
  ck_assert_ptr_nonnull(strstr(w, "<td class=\"num\">1</td><td class=\"num\">-Inf</td>"));
  ck_assert_ptr_nonnull(strstr(w, "2 points not drawn (not finite, or not positive on a log "
                                  "axis)."));
  free(w);
  free(s);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("report");
  TCase *tc = tcase_create("json");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_json_escape);
  tcase_add_test(tc, test_json_nan_null);
  tcase_add_test(tc, test_json_seed_u64);
  tcase_add_test(tc, test_json_real_verdicts);
  tcase_add_test(tc, test_json_deterministic);
  tcase_add_test(tc, test_json_golden);
  tcase_add_test(tc, test_json_bad_run);
  suite_add_tcase(s, tc);
  tc = tcase_create("atomic");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_atomic_ok);
  tcase_add_test(tc, test_atomic_fill_fails);
  tcase_add_test(tc, test_atomic_unwritable);
  suite_add_tcase(s, tc);
  tc = tcase_create("files");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_tsv);
  tcase_add_test(tc, test_html);
  tcase_add_test(tc, test_html_many_trials);
  tcase_add_test(tc, test_write_all);
  tcase_add_test(tc, test_versions);
  suite_add_tcase(s, tc);
  tc = tcase_create("extras");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_json_extras);
  tcase_add_test(tc, test_json_bad_extras);
  tcase_add_test(tc, test_html_tables);
  tcase_add_test(tc, test_html_plot_geometry);
  tcase_add_test(tc, test_html_plot_bounded);
  tcase_add_test(tc, test_html_strip_bands);
  tcase_add_test(tc, test_html_plot_legend);
  suite_add_tcase(s, tc);
  tc = tcase_create("edges");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_bad_runs);
  tcase_add_test(tc, test_atomic_relative);
  tcase_add_test(tc, test_rare_characters);
  tcase_add_test(tc, test_uneven_twin);
  tcase_add_test(tc, test_unknown_states);
  tcase_add_test(tc, test_html_wording);
  tcase_add_test(tc, test_plot_axes);
  suite_add_tcase(s, tc);
  return s;
}

/* Modes for tests/report.test and for regenerating the golden file. */
static int tool_mode(int argc, char **argv)
{
  umask(022);
  fake_run();
  if (argc == 3 && strcmp(argv[1], "--html") == 0) {
    if (dp_report_html(&fake, argv[2]) != GSL_SUCCESS) {
      fprintf(stderr, "check_report: %s\n", dp_err_last());
      return 1;
    }
    return 0;
  }
  if (argc == 3 && strcmp(argv[1], "--write") == 0) {
    if (dp_report_write(&fake, argv[2]) != GSL_SUCCESS) {
      fprintf(stderr, "check_report: %s\n", dp_err_last());
      return 1;
    }
    return 0;
  }
  if (argc == 2 && strcmp(argv[1], "--golden") == 0) {
    char dir[] = "/tmp/check_report.XXXXXX", p[64];
    if (mkdtemp(dir) == NULL) {
      perror("check_report: mkdtemp");
      return 1;
    }
    snprintf(p, sizeof p, "%s/r.json", dir);
    int status = dp_report_json(&fake, p);
    char *s = status == GSL_SUCCESS ? slurp(p) : NULL;
    char *b = s != NULL ? blank_versions(s) : NULL;
    rm_tree(dir);
    if (b == NULL) {
      fprintf(stderr, "check_report: %s\n", dp_err_last());
      return 1;
    }
    fputs(b, stdout);
    free(s);
    free(b);
    return 0;
  }
  fprintf(stderr, "usage: check_report [--html FILE | --write DIR | --golden]\n");
  return 2;
}

int dp_test_args(int argc, char **argv)
{
  return argc > 1 ? tool_mode(argc, argv) : -1;
}
