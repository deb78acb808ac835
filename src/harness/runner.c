/* runner.c: executes a claim on its generated instances, judges, shrinks counterexamples.
 *
 * For trial t of a run with master seed m, the replay seed is m + t * GAMMA and the instance
 * seed mixes it with the claim id (rng.h).  The check measures, the runner judges (claim.h);
 * the twin runs on the very same instance object.  A failing instance is shrunk greedily
 * (theft's strategy): take the first candidate that still fails, restart, stop when no
 * candidate fails; the minimal instance is printed exactly with its replay command. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "claim.h"
#include "err.h"
#include "seed.h"
#include "tol.h"

/* Bounds on the work a single shrink may do (each evaluation is one check). */
#define DP_SHRINK_MAX_EVALS 20000u

static const char *const verdict_names[] = {"PASS", "FAIL", "SKIP", "ERROR"};

const char *dp_verdict_name(enum dp_verdict v)
{
  return (v >= DP_PASS && v <= DP_ERROR) ? verdict_names[v] : "UNKNOWN";
}

/* The rule a figure is judged by: the claim's, or a finding probe's own. */
struct rule {
  enum dp_tol_kind kind;
  double tol;
};

static enum dp_verdict judge(struct rule r, const struct dp_outcome *o)
{
  if (o->status == DP_NOT_APPLICABLE)
    return DP_SKIP;
  if (o->status == DP_BROKEN)
    return DP_ERROR;
  if (isnan(o->figure))
    return DP_FAIL;
  if (r.kind == DP_JUDGE_SLACK)
    return o->figure >= -r.tol ? DP_PASS : DP_FAIL;
  return o->figure <= r.tol ? DP_PASS : DP_FAIL;
}

static struct rule claim_rule(const struct dp_claim *c) { return (struct rule){c->tol_kind, c->tol}; }

static struct rule probe_rule(const struct dp_finding_def *d)
{
  return (struct rule){d->tol_kind, d->tol};
}

enum dp_verdict dp_claim_judge(const struct dp_claim *c, const struct dp_outcome *o)
{
  return judge(claim_rule(c), o);
}

const char *dp_finding_kind_name(enum dp_finding_kind k)
{
  switch (k) {
  case DP_FINDING_CONDITION: return "condition";
  case DP_FINDING_RESTATED: return "restated";
  case DP_FINDING_LOOSE: return "loose";
  }
  return "condition";
}

const char *dp_result_standing(const struct dp_result *r)
{
  switch (r->verdict) {
  case DP_PASS:
    /* a loose bound still holds as stated: only a condition or a restatement the run showed
     * needed makes the claim hold 'under conditions' */
    for (unsigned k = 0; k < r->nfindings; k++)
      if (r->findings[k].shown && r->findings[k].def->kind != DP_FINDING_LOOSE)
        return "under_conditions";
    return "as_stated";
  case DP_FAIL: return "fail";
  case DP_SKIP: return "skip";
  case DP_ERROR: return "error";
  }
  return "error";
}

double dp_claim_margin(const struct dp_claim *c, double figure)
{
  if (isnan(figure))
    return NAN;
  if (c->tol_kind == DP_JUDGE_SLACK)
    return figure >= 0 ? INFINITY : c->tol / -figure;
  return figure > 0 ? c->tol / figure : INFINITY;
}

void dp_replay_command(const struct dp_claim *c, const struct dp_run_opts *o, uint64_t seed,
                       char *buf, size_t n)
{
  /* with the BLAS pinned to one thread, as it must be for the figures to repeat bit for bit */
  int k = snprintf(buf, n, "OPENBLAS_NUM_THREADS=1 dpcheck verify --claim %s --seed %llu "
                   "--trials 1 --max-R %zu --max-V %zu",
                   c->id, (unsigned long long)seed, o->sizes.R_max, o->sizes.V_max);
  if (o->sizes.dk_max && k >= 0 && (size_t)k < n)
    snprintf(buf + k, n - (size_t)k, " --max-dk %zu", o->sizes.dk_max);
}

void dp_outcome_part(struct dp_outcome *o, enum dp_tol_kind kind, double figure,
                     const char *fmt, ...)
{
  if (o->status != DP_MEASURED)
    return; /* a skipped or broken outcome stays so */
  int worse = o->parts == 0 ||
              (!isnan(o->figure) && (isnan(figure) || (kind == DP_JUDGE_SLACK ? figure < o->figure
                                                                              : figure > o->figure)));
  o->parts++;
  if (!worse)
    return;
  o->figure = figure;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(o->what, sizeof o->what, fmt, ap);
  va_end(ap);
}

/* The outcome left unmeasured: skipped or broken, with the reason. */
static void outcome_unmeasured(struct dp_outcome *o, enum dp_measure status, const char *fmt,
                               va_list ap)
{
  o->status = status;
  o->figure = NAN;
  vsnprintf(o->what, sizeof o->what, fmt, ap);
}

void dp_outcome_skip(struct dp_outcome *o, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  outcome_unmeasured(o, DP_NOT_APPLICABLE, fmt, ap);
  va_end(ap);
}

void dp_outcome_broken(struct dp_outcome *o, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  outcome_unmeasured(o, DP_BROKEN, fmt, ap);
  va_end(ap);
}

void dp_outcome_ran(struct dp_outcome *o, unsigned k)
{
  if (k < DP_MAX_PARTS)
    o->ran |= 1u << k;
}

/* Is the run thin: the claim, or a declared part, measured on too few of its instances?
 * Fills res->thin and res->thin_what with the first such (the claim before its parts). */
static void judge_coverage(const struct dp_claim *c, struct dp_result *res)
{
  if (res->n < DP_COVERAGE_MIN_INSTANCES)
    return; /* a few instances say nothing about a generator's aim (tol.h) */
  double need = DP_MIN_MEASURED_SHARE * res->n;
  unsigned measured = res->npass + res->nfail;
  if (measured < need) {
    res->thin = 1;
    snprintf(res->thin_what, sizeof res->thin_what,
             "measured on %u of %u instances (%u outside the premise), under %.0f%%", measured,
             res->n, res->nskip, 100 * DP_MIN_MEASURED_SHARE);
    return;
  }
  for (unsigned k = 0; k < res->nparts; k++)
    if (res->part_ran[k] < DP_MIN_PART_SHARE * res->n) {
      res->thin = 1;
      snprintf(res->thin_what, sizeof res->thin_what,
               "part \"%s\" measured on %u of %u instances, under %.0f%%", c->parts[k],
               res->part_ran[k], res->n, 100 * DP_MIN_PART_SHARE);
      return;
    }
  /* the twin too: a twin that skips too widely (where it could differ) tests too little */
  unsigned twin_measured = res->twin_n - res->twin_skip - res->twin_error;
  if (twin_measured < DP_MIN_PART_SHARE * res->n) {
    res->thin = 1;
    snprintf(res->thin_what, sizeof res->thin_what,
             "the false twin measured on %u of %u instances (%u skipped), under %.0f%%",
             twin_measured, res->n, res->twin_skip, 100 * DP_MIN_PART_SHARE);
  }
}

typedef void (*dp_check_fn)(const void *inst, struct dp_outcome *o);

static void measure_into(dp_check_fn fn, const void *inst, struct dp_outcome *o)
{
  memset(o, 0, sizeof *o);
  o->figure = NAN;
  dp_err_clear();
  fn(inst, o);
  if (o->status == DP_BROKEN && o->what[0] == '\0')
    snprintf(o->what, sizeof o->what, "%s", dp_err_last());
}

void dp_case_row_measure(struct dp_case_row *row, void (*check)(const void *, struct dp_outcome *),
                         void (*twin)(const void *, struct dp_outcome *), const void *inst)
{
  measure_into(check, inst, &row->claim);
  measure_into(twin, inst, &row->twin);
}

void dp_case_row_probe(struct dp_case_row *row, const struct dp_claim *c, const void *inst)
{
  row->nprobe = 0;
  for (unsigned k = 0; k < c->nfindings && k < DP_MAX_FINDINGS; k++)
    measure_into(c->findings[k].probe, inst, &row->probe[row->nprobe++]);
}

static enum dp_verdict evaluate(struct rule r, dp_check_fn fn, const void *inst,
                                struct dp_outcome *o)
{
  measure_into(fn, inst, o);
  return judge(r, o);
}

static char *print_instance(const struct dp_gen *g, const void *inst)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f)
    return NULL;
  g->print(f, inst);
  fclose(f);
  return buf;
}

/* Add one kept tactic to a trail, folding repeats: "drop a token x3".  *end is where the
 * last tactic's name ends (its count, if any, is written after it). */
static void trail_add(char *trail, size_t n, const char *name, const char **last, unsigned *run,
                      size_t *end)
{
  if (*last && strcmp(*last, name) == 0) { /* the same tactic again: rewrite its count */
    if (*end < n)
      snprintf(trail + *end, n - *end, " x%u", ++*run);
    return;
  }
  size_t len = strlen(trail);
  *last = name;
  *run = 1;
  snprintf(trail + len, n - len, "%s%s", len ? ", " : "", name);
  *end = strlen(trail);
}

unsigned dp_tactic_once(const void *inst)
{
  (void)inst;
  return 1;
}

void *dp_gen_candidate(const struct dp_gen *g, const void *x, unsigned k, const char **tactic)
{
  for (size_t j = 0; j < g->ntactics; j++) {
    unsigned n = g->tactics[j].count(x);
    for (unsigned i = 0; i < n; i++) {
      void *cand = g->tactics[j].apply(x, i);
      if (!cand)
        continue;
      if (k-- == 0) {
        if (tactic)
          *tactic = g->tactics[j].name;
        return cand;
      }
      g->free(cand);
    }
  }
  return NULL;
}

/* Shrink a failing instance against fn and fill *cx. */
static void shrink_into(const struct dp_claim *c, dp_check_fn fn, struct rule rl,
                        const struct dp_run_opts *o, const void *inst,
                        const struct dp_outcome *first, uint64_t replay, unsigned trial,
                        struct dp_cex *cx)
{
  const struct dp_gen *g = c->gen;
  memset(cx, 0, sizeof *cx);
  cx->replay_seed = replay;
  cx->trial = trial;
  cx->figure = first->figure;
  g->describe(inst, cx->sizes, sizeof cx->sizes);
  dp_replay_command(c, o, replay, cx->replay, sizeof cx->replay);

  void *cur = NULL;
  struct dp_outcome best = *first;
  unsigned evals = 0, run = 0;
  size_t end = 0;
  const char *last = NULL;
  if (o->shrink) {
    const void *at = inst;
    int again = 1;
    while (again && evals < DP_SHRINK_MAX_EVALS) {
      again = 0; /* a pass over every tactic; restart from the largest step after a success */
      for (size_t j = 0; j < g->ntactics && !again && evals < DP_SHRINK_MAX_EVALS; j++) {
        const struct dp_tactic *tc = &g->tactics[j];
        unsigned n = tc->count(at);
        for (unsigned i = 0; i < n && !again && evals < DP_SHRINK_MAX_EVALS; i++) {
          void *cand = tc->apply(at, i);
          if (!cand)
            continue;
          struct dp_outcome oc;
          evals++;
          if (evaluate(rl, fn, cand, &oc) == DP_FAIL) {
            if (cur)
              g->free(cur);
            cur = cand;
            at = cur;
            best = oc;
            cx->steps++;
            trail_add(cx->trail, sizeof cx->trail, tc->name, &last, &run, &end);
            again = 1;
          } else {
            g->free(cand);
          }
        }
      }
    }
  }
  const void *min = cur ? cur : inst;
  cx->figure_min = best.figure;
  snprintf(cx->what, sizeof cx->what, "%s", best.what);
  g->describe(min, cx->sizes_min, sizeof cx->sizes_min);
  cx->instance = print_instance(g, min);
  if (cur)
    g->free(cur);
}

/* Is figure a worse than b by rule r (NaN worst of all)? */
static int worse_than(struct rule r, double a, double b)
{
  if (isnan(b))
    return 0;
  if (isnan(a))
    return 1;
  return r.kind == DP_JUDGE_SLACK ? a < b : a > b;
}

/* A finding's probe on generated instance t: counted, and the first failure shrunk. */
static void probe_instance(const struct dp_claim *c, const struct dp_run_opts *o,
                           struct dp_finding *fd, const void *inst, uint64_t replay, unsigned t)
{
  if (!inst)
    return;
  struct rule rl = probe_rule(fd->def);
  struct dp_outcome op;
  enum dp_verdict v = evaluate(rl, fd->def->probe, inst, &op);
  fd->n++;
  if (v == DP_SKIP)
    fd->skipped++;
  else if (v == DP_ERROR)
    fd->error++;
  if (v != DP_FAIL)
    return;
  if (!fd->failed++ || worse_than(rl, op.figure, fd->worst))
    fd->worst = op.figure;
  fd->shown = 1;
  if (!fd->has_cex) {
    shrink_into(c, fd->def->probe, rl, o, inst, &op, replay, t, &fd->cex);
    fd->has_cex = 1;
  }
}

/* A finding's probe on a judged row: counted, failing rows' figures as a range. */
static void probe_row(struct dp_finding *fd, const struct dp_case_row *row,
                      const struct dp_outcome *op)
{
  struct rule rl = probe_rule(fd->def);
  enum dp_verdict v = judge(rl, op);
  if (v == DP_SKIP)
    return;
  fd->rows++;
  if (v != DP_FAIL)
    return;
  if (!fd->rows_failed++) {
    fd->row_min = fd->row_max = op->figure;
  } else {
    fd->row_min = fmin(fd->row_min, op->figure);
    fd->row_max = fmax(fd->row_max, op->figure);
  }
  if (fd->rows_failed == 1 || op->figure == (rl.kind == DP_JUDGE_SLACK ? fd->row_min
                                                                          : fd->row_max))
    snprintf(fd->row_what, sizeof fd->row_what, "%.190s: %.199s", row->label, op->what);
  fd->shown = 1;
}

const char *dp_tier_name(enum dp_tier t)
{
  static const char *const names[DP_NTIERS] = {"formal", "exact", "float"};
  return (t >= 0 && t < DP_NTIERS) ? names[t] : "?";
}

const struct dp_proved *dp_formal_find(const struct dp_formal_build *fb, const char *name)
{
  for (size_t i = 0; fb != NULL && fb->built && i < fb->n; i++)
    if (strcmp(fb->thm[i].name, name) == 0)
      return &fb->thm[i];
  return NULL;
}

/* The formal tier: every theorem the claim names must be among what the build proved, closed
 * under the global context.  Without proofs built in, the tier cannot be decided: SKIP. */
static void tier_formal(const struct dp_claim *c, const struct dp_run_opts *o,
                        struct dp_tier_result *t)
{
  if (c->theorems == NULL || c->theorems[0] == NULL) {
    snprintf(t->reason, sizeof t->reason, "no formal proof of this claim");
    return;
  }
  t->applies = 1;
  const struct dp_formal_build *fb = o->formal;
  if (fb == NULL || !fb->built) {
    t->verdict = DP_SKIP;
    snprintf(t->reason, sizeof t->reason, "proofs not built in: %s",
             fb && fb->why_not ? fb->why_not : "none");
    return;
  }
  unsigned k = 0, proved = 0;
  for (; c->theorems[k] != NULL; k++) {
    const struct dp_proved *p = dp_formal_find(fb, c->theorems[k]);
    if (p != NULL && p->closed) {
      proved++;
    } else if (t->first[0] == '\0') {
      snprintf(t->first, sizeof t->first, "%s: %s", c->theorems[k],
               p ? "depends on an axiom or an admitted lemma" : "not among the proved theorems");
    }
  }
  t->n = k;
  t->pass = proved;
  t->fail = k - proved;
  t->verdict = proved == k ? DP_PASS : DP_FAIL;
  snprintf(t->reason, sizeof t->reason, "%u of %u theorem%s proved in Coq, closed under the "
           "global context%s%s", proved, k, k == 1 ? "" : "s",
           c->formal_covers ? (k == 1 ? "; it proves " : "; they prove ") : "",
           c->formal_covers ? c->formal_covers : "");
}

/* The exact tier: its own instances, claim and twin, each exact (0) or not; the twin must be
 * rejected at least once, as in the float tier. */
static void tier_exact(const struct dp_claim *c, const struct dp_run_opts *o,
                       struct dp_result *res, struct dp_tier_result *t)
{
  const struct dp_exact *x = c->exact;
  t->log10_bound = NAN;
  if (x == NULL || x->check == NULL) {
    snprintf(t->reason, sizeof t->reason, "no exact or certified check of this claim");
    return;
  }
  t->applies = 1;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  const struct rule exact = {DP_JUDGE_RATIO, 0.0};
  unsigned trials = o->trials ? o->trials : x->trials, twin_passed = 0;
  enum dp_verdict claim_v = DP_SKIP;
  char twin_first[200] = "";
  for (unsigned k = 0; k < trials; k++) {
    uint64_t seed = dp_seed_stream(dp_seed_trial(o->master, c->id, k), "exact tier");
    for (int twin = 0; twin < 2; twin++) {
      struct dp_outcome oc;
      memset(&oc, 0, sizeof oc);
      oc.figure = NAN;
      dp_err_clear();
      x->check(seed, &o->sizes, twin, &oc);
      if (oc.status == DP_BROKEN && oc.what[0] == '\0')
        snprintf(oc.what, sizeof oc.what, "%s", dp_err_last());
      enum dp_verdict v = judge(exact, &oc);
      if (twin) {
        t->twin_n++;
        t->twin_skip += v == DP_SKIP;
        t->twin_rejected += v == DP_FAIL;
        t->twin_error += v == DP_ERROR;
        /* an instance where the claim held and the twin could differ: evidence */
        t->decisive += v != DP_SKIP && v != DP_ERROR && claim_v == DP_PASS;
        if (v == DP_PASS && twin_passed++ == 0)
          snprintf(twin_first, sizeof twin_first, "%s", oc.what);
        continue;
      }
      claim_v = v;
      t->n++;
      switch (v) {
      case DP_PASS: t->pass++; break;
      case DP_SKIP: t->skip++; break;
      case DP_FAIL:
      case DP_ERROR:
        if (v == DP_FAIL)
          t->fail++;
        else
          t->error++;
        if (t->first[0] == '\0') {
          snprintf(t->first, sizeof t->first, "%s", oc.what);
          t->first_seed = seed;
          /* the exact tier's instance k is reached by running its first k + 1 (--trials sets
           * the exact tier's count too), from the same master seed and sizes */
          int w = snprintf(t->replay, sizeof t->replay, "OPENBLAS_NUM_THREADS=1 dpcheck verify "
                           "--claim %s --seed %llu --trials %u --max-R %zu --max-V %zu",
                           c->id, (unsigned long long)o->master, k + 1, o->sizes.R_max,
                           o->sizes.V_max);
          if (o->sizes.dk_max && w > 0 && (size_t)w < sizeof t->replay)
            snprintf(t->replay + w, sizeof t->replay - (size_t)w, " --max-dk %zu",
                     o->sizes.dk_max);
        }
        break;
      }
    }
  }
  /* passing instances only where the twin could not differ either say nothing: the tier is
   * then undecided here, not a pass */
  t->verdict = t->fail ? DP_FAIL : t->error ? DP_ERROR : t->decisive ? DP_PASS : DP_SKIP;
  if (!t->fail && !t->error && t->pass && !t->decisive) {
    snprintf(t->reason, sizeof t->reason, "%s: held on %u instances, none where its twin could "
             "differ (these sizes are too small to tell), so not decided", x->statement,
             t->pass);
  } else if (x->kind == DP_EXACT_IDENTITY && t->decisive > 0 && x->range > 0) {
    double q = (double)x->degree / (2.0 * (double)x->range + 1.0);
    t->log10_bound = (double)t->decisive * log10(q);
    snprintf(t->reason, sizeof t->reason, "%s: exact arithmetic (FLINT integers and "
             "rationals) on %u instances, entries uniform in [-%ld, %ld], degree %u: an identity false on the "
             "sequences drawn passes the %u where its twin could differ with chance <= "
             "(%u/%ld)^%u = 10^%.1f (Schwartz-Zippel)", x->statement, t->pass, x->range,
             x->range, x->degree, t->decisive, x->degree, 2 * x->range + 1, t->decisive,
             t->log10_bound);
  } else {
    snprintf(t->reason, sizeof t->reason, "%s: %s on %u instances (%u undecided or outside "
             "the premise)", x->statement, x->kind == DP_EXACT_CERTIFIED ?
             "certified (exact rational arithmetic and Arb's ball arithmetic, as stated)" :
             "exact arithmetic (FLINT)", t->pass, t->skip);
  }
  /* The twin, checked exactly, must fail wherever it can differ from the claim (it skips the
   * rest, saying why): one instance where it holds means the check, or its skip rule, cannot
   * tell them apart there; and a twin never rejected on DP_TWIN_MIN_INSTANCES or more is no
   * evidence either.  Either is a harness defect, as in the float tier. */
  unsigned ran = t->twin_n - t->twin_skip - t->twin_error;
  if (twin_passed > 0 || (t->twin_rejected == 0 && ran >= DP_TWIN_MIN_INSTANCES &&
                          !res->twin_untestable)) {
    t->twin_defect = 1;
    res->twin_defect = 1;
    if (twin_passed)
      snprintf(t->twin_what, sizeof t->twin_what, "the twin held on %u of the %u instances "
               "where it could differ, first: %.120s", twin_passed, ran, twin_first);
    else
      snprintf(t->twin_what, sizeof t->twin_what, "the twin was never rejected on the %u "
               "instances where it could differ", ran);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  t->seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
}

static void progress(const struct dp_run_opts *o, const struct dp_claim *c, unsigned t,
                     unsigned trials)
{
  if (!o->progress)
    return;
  unsigned step = trials >= 10 ? trials / 10 : 1;
  if ((t + 1) % step == 0 || t + 1 == trials)
    fprintf(o->progress, "\r  %s %-40.40s %5u/%u", c->id, c->title, t + 1, trials), fflush(o->progress);
}

int dp_run_claim(const struct dp_claim *c, const struct dp_run_opts *o, struct dp_result *res)
{
  memset(res, 0, sizeof *res);
  res->claim = c;
  if (o->sizes.R_max < 1 || o->sizes.V_max < 1)
    return DP_ERROR(GSL_EINVAL, "sizes: R_max and V_max must be at least 1");
  unsigned trials = o->trials ? o->trials : c->trials;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  res->figures = malloc((trials ? trials : 1) * sizeof *res->figures);
  res->twin_figures = malloc((trials ? trials : 1) * sizeof *res->twin_figures);
  res->verdicts = malloc((trials ? trials : 1) * sizeof *res->verdicts);
  res->twin_verdicts = malloc((trials ? trials : 1) * sizeof *res->twin_verdicts);
  res->cex = calloc(o->max_cex ? o->max_cex : 1, sizeof *res->cex);
  if (!res->figures || !res->twin_figures || !res->verdicts || !res->twin_verdicts || !res->cex)
    return DP_ERROR(GSL_ENOMEM, "%s: out of memory for %u trials", c->id, trials);
  res->worst = NAN;
  res->twin_worst = NAN;
  while (c->parts && res->nparts < DP_MAX_PARTS && c->parts[res->nparts])
    res->nparts++;
  for (unsigned k = 0; k < c->nfindings && k < DP_MAX_FINDINGS; k++) {
    struct dp_finding *fd = &res->findings[res->nfindings++];
    fd->def = &c->findings[k];
    fd->worst = NAN;
    fd->row_min = NAN;
    fd->row_max = NAN;
  }

  for (unsigned t = 0; t < trials; t++) {
    uint64_t replay = dp_seed_replay(o->master, t);
    dp_err_clear(); /* a generator that fails says why, or nothing stale is reported */
    void *inst = c->gen->make(dp_seed_trial(o->master, c->id, t), &o->sizes);
    struct dp_outcome oc, ot;
    enum dp_verdict v = inst ? evaluate(claim_rule(c), c->check, inst, &oc) : DP_ERROR;
    if (!inst)
      snprintf(oc.what, sizeof oc.what, "instance generation failed: %s",
               dp_err_last()[0] ? dp_err_last() : "no reason recorded");
    res->n++;
    res->figures[t] = (v == DP_PASS || v == DP_FAIL) ? oc.figure : NAN;
    res->verdicts[t] = v;
    switch (v) {
    case DP_PASS: res->npass++; break;
    case DP_SKIP: res->nskip++; break;
    case DP_ERROR:
      if (!res->nerror++)
        snprintf(res->error, sizeof res->error, "trial %u (seed %llu): %s", t,
                 (unsigned long long)replay, oc.what);
      break;
    case DP_FAIL:
      if (res->ncex < o->max_cex)
        shrink_into(c, c->check, claim_rule(c), o, inst, &oc, replay, t,
                    &res->cex[res->ncex++]);
      res->nfail++;
      break;
    }
    if (v == DP_PASS || v == DP_FAIL) {
      for (unsigned k = 0; k < res->nparts; k++)
        res->part_ran[k] += (oc.ran >> k) & 1u;
      /* worst: the largest ratio or the most negative slack; a NaN figure is worst of all */
      double f = oc.figure;
      int first = res->npass + res->nfail == 1;
      int worse = first || (!isnan(res->worst) &&
                            (isnan(f) || (c->tol_kind == DP_JUDGE_SLACK ? f < res->worst
                                                                        : f > res->worst)));
      if (worse) {
        res->worst = f;
        res->worst_seed = replay;
        snprintf(res->worst_what, sizeof res->worst_what, "%s", oc.what);
      }
    }
    /* the false twin, on the same instance */
    enum dp_verdict tv = inst ? evaluate(claim_rule(c), c->twin, inst, &ot) : DP_ERROR;
    res->twin_n++;
    res->twin_figures[t] = (tv == DP_PASS || tv == DP_FAIL) ? ot.figure : NAN;
    res->twin_verdicts[t] = tv;
    if (tv == DP_SKIP)
      res->twin_skip++;
    else if (tv == DP_ERROR)
      res->twin_error++;
    else if (tv == DP_FAIL) {
      if (!res->twin_rejected++ || (c->tol_kind == DP_JUDGE_SLACK ? ot.figure < res->twin_worst
                                                                  : ot.figure > res->twin_worst))
        res->twin_worst = ot.figure;
      if (!res->has_twin_witness) {
        shrink_into(c, c->twin, claim_rule(c), o, inst, &ot, replay, t, &res->twin_witness);
        res->has_twin_witness = 1;
      }
    }
    /* the findings' probes, on the same instance */
    for (unsigned k = 0; k < res->nfindings; k++)
      probe_instance(c, o, &res->findings[k], inst, replay, t);
    if (inst)
      c->gen->free(inst);
    progress(o, c, t, trials);
  }
  res->twin_ok = res->twin_rejected > 0;
  judge_coverage(c, res);
  /* judged where the twin was not skipped: a twin skips the instances where it cannot differ
   * from the claim (one word, d_k = 1, ...), and those say nothing about the check's power;
   * a twin that errs is no excuse */
  res->twin_untestable = !res->twin_ok && dp_sizes_below_default(&o->sizes, c->gen->dims);
  res->twin_defect = !res->twin_ok && !res->twin_untestable &&
                     res->twin_n - res->twin_skip >= DP_TWIN_MIN_INSTANCES;

  /* Judged rows beyond the generated instances: each row's verdicts are stored here, once. */
  int case_pass = 0, case_fail = 0, case_error = 0;
  struct dp_ctx ctx;
  if (dp_ctx_init(&ctx, c, o->master, trials, &o->sizes, &o->env, o->cache) != GSL_SUCCESS &&
      (c->cases || c->evidence)) {
    if (!case_error++ && !res->nerror) /* the first reason is kept, as everywhere */
      snprintf(res->error, sizeof res->error, "%s", dp_err_last());
  }
  if (c->cases && ctx.cache) {
    dp_err_clear();
    res->cases_status = c->cases(&ctx, res->cases, sizeof res->cases / sizeof res->cases[0],
                                 &res->ncases);
    if (res->cases_status != GSL_SUCCESS && !case_error++ && !res->nerror)
      snprintf(res->error, sizeof res->error, "judged rows: %s", dp_err_last());
  }
  for (size_t i = 0; i < res->ncases; i++) {
    struct dp_case_row *row = &res->cases[i];
    row->verdict = dp_claim_judge(c, &row->claim);
    row->twin_verdict = dp_claim_judge(c, &row->twin);
    case_pass |= row->verdict == DP_PASS;
    case_fail |= row->verdict == DP_FAIL;
    /* a judged row is judged like a generated instance: where the claim holds, its twin
     * must be rejected, or the check does not tell them apart there; a twin that skips says
     * it cannot differ from the claim on that row (e.g. a cross operator read on words where
     * it is symmetric), as it may on a generated instance */
    if (row->verdict == DP_PASS && row->twin_verdict != DP_FAIL && row->twin_verdict != DP_SKIP &&
        !res->twin_row_defect++) {
      res->twin_defect = 1;
      snprintf(res->twin_row, sizeof res->twin_row, "%s", row->label);
    }
    for (unsigned k = 0; k < row->nprobe && k < res->nfindings; k++)
      probe_row(&res->findings[k], row, &row->probe[k]);
    if (row->verdict == DP_ERROR && !case_error++ && !res->nerror)
      snprintf(res->error, sizeof res->error, "judged row '%s': %s", row->label,
               row->claim.what);
  }

  if (c->evidence && ctx.cache) {
    dp_err_clear();
    res->evidence_status = c->evidence(&ctx, &res->evidence);
    if (res->evidence_status != GSL_SUCCESS && !case_error++ && !res->nerror)
      snprintf(res->error, sizeof res->error, "tables and plots: %s", dp_err_last());
  }

  dp_ctx_done(&ctx);

  /* The tiers beyond the float one; an exact or formal FAIL fails the claim (an identity that
   * is false in exact arithmetic is false), an ERROR errs it. */
  tier_formal(c, o, &res->tiers[DP_TIER_FORMAL]);
  tier_exact(c, o, res, &res->tiers[DP_TIER_EXACT]);
  int tier_fail = 0, tier_error = 0;
  for (int k = DP_TIER_FORMAL; k <= DP_TIER_EXACT; k++)
    if (res->tiers[k].applies) {
      tier_fail |= res->tiers[k].verdict == DP_FAIL;
      tier_error |= res->tiers[k].verdict == DP_ERROR;
    }
  if (tier_error && !res->nerror && res->error[0] == '\0')
    snprintf(res->error, sizeof res->error, "exact tier: %s", res->tiers[DP_TIER_EXACT].first);

  /* A claim is PASS only when nothing failed or erred and at least one instance or row
   * passed; with no PASS at all it is SKIP, never PASS. */
  if (res->nfail || case_fail || tier_fail)
    res->verdict = DP_FAIL;
  else if (res->nerror || case_error || tier_error)
    res->verdict = DP_ERROR;
  else if (res->npass == 0 && !case_pass)
    res->verdict = DP_SKIP;
  else
    res->verdict = DP_PASS;

  /* the verdict of the generated instances and judged rows alone: the float tier's, and the
   * exact tier's when the claim's own check is exact */
  enum dp_verdict float_v = res->nfail || case_fail ? DP_FAIL : res->nerror || case_error
                          ? DP_ERROR : res->npass == 0 && !case_pass ? DP_SKIP : DP_PASS;
  /* a claim whose own check is exact: its instances are the exact tier */
  if (c->exact == NULL && c->exact_native != NULL) {
    struct dp_tier_result *ex = &res->tiers[DP_TIER_EXACT];
    ex->applies = 1;
    ex->verdict = float_v;
    ex->n = res->n;
    ex->pass = res->npass;
    ex->fail = res->nfail;
    ex->skip = res->nskip;
    ex->error = res->nerror;
    ex->twin_n = res->twin_n;
    ex->twin_rejected = res->twin_rejected;
    ex->twin_skip = res->twin_skip;
    ex->twin_error = res->twin_error;
    ex->decisive = res->npass;
    snprintf(ex->reason, sizeof ex->reason, "the claim's own check is exact: %s, on its %u "
             "instances and %zu judged rows", c->exact_native, res->n, res->ncases);
  }

  /* the float tier is the verdict of the generated instances and judged rows */
  struct dp_tier_result *fl = &res->tiers[DP_TIER_FLOAT];
  fl->applies = 1;
  fl->verdict = float_v;
  fl->n = res->n;
  fl->pass = res->npass;
  fl->fail = res->nfail;
  fl->skip = res->nskip;
  fl->error = res->nerror;
  fl->log10_bound = NAN;
  snprintf(fl->reason, sizeof fl->reason, "%s %g in double precision, on %u instances and "
           "%zu judged rows", c->tol_kind == DP_JUDGE_SLACK ? "relative slack >=" :
           "test ratio <=", c->tol_kind == DP_JUDGE_SLACK ? -c->tol : c->tol, res->n,
           res->ncases);

  clock_gettime(CLOCK_MONOTONIC, &t1);
  res->seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  if (o->progress)
    fprintf(o->progress, "\r\033[K"), fflush(o->progress);
  return GSL_SUCCESS;
}

void dp_totals_count(const struct dp_result *res, size_t n, struct dp_totals *t)
{
  memset(t, 0, sizeof *t);
  for (size_t i = 0; i < n; i++) {
    t->claims++;
    switch (res[i].verdict) {
    case DP_PASS: t->pass++; break;
    case DP_FAIL: t->fail++; break;
    case DP_SKIP: t->skip++; break;
    case DP_ERROR: t->error++; break;
    }
    t->twin_defects += res[i].twin_defect != 0;
    t->thin += res[i].thin != 0;
    if (res[i].verdict == DP_PASS) {
      if (strcmp(dp_result_standing(&res[i]), "as_stated") == 0)
        t->as_stated++;
      else
        t->conditional++;
    }
    for (unsigned k = 0; k < res[i].nfindings; k++)
      t->findings += res[i].findings[k].shown != 0;
  }
}

int dp_totals_ok(const struct dp_totals *t)
{
  return t->fail == 0 && t->error == 0 && t->twin_defects == 0;
}

void dp_result_free(struct dp_result *res)
{
  if (!res)
    return;
  free(res->figures);
  free(res->twin_figures);
  free(res->verdicts);
  free(res->twin_verdicts);
  for (unsigned i = 0; i < res->ncex; i++)
    free(res->cex[i].instance);
  free(res->cex);
  if (res->has_twin_witness)
    free(res->twin_witness.instance);
  for (unsigned k = 0; k < res->nfindings; k++)
    if (res->findings[k].has_cex)
      free(res->findings[k].cex.instance);
  dp_evidence_free(&res->evidence);
  memset(res, 0, sizeof *res);
}
