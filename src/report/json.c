/* json.c: residuals.json, the machine-readable record of a run (schema DP_REPORT_SCHEMA,
 * documented in docs/residuals-schema.md and pinned by tests/golden/residuals.json).  A small
 * writer (struct jw) keeps the layout fixed: members in a fixed order, two spaces of indent a
 * level, one member a line; numbers in "%.17g" so they read back exactly, NaN and infinities
 * as null, and 64-bit seeds as decimal strings, which no JSON reader rounds. */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "tol.h"
#include "report.h"
#include "report_int.h"

#define JW_MAXDEPTH 16

struct jw {
  FILE *f;
  int depth;
  int first[JW_MAXDEPTH];
};

/* Separator, newline, indentation and key of the next member (key NULL in an array). */
static void jw_next(struct jw *w, const char *key)
{
  if (w->depth > 0) {
    fputs(w->first[w->depth - 1] ? "\n" : ",\n", w->f);
    w->first[w->depth - 1] = 0;
    for (int i = 0; i < w->depth; i++)
      fputs("  ", w->f);
  }
  if (key != NULL) {
    dp_report_json_string(w->f, key);
    fputs(": ", w->f);
  }
}

static void jw_open(struct jw *w, const char *key, char brace)
{
  jw_next(w, key);
  fputc(brace, w->f);
  if (w->depth < JW_MAXDEPTH)
    w->first[w->depth] = 1;
  w->depth++;
}

static void jw_close(struct jw *w, char brace)
{
  w->depth--;
  if (!w->first[w->depth]) {
    fputc('\n', w->f);
    for (int i = 0; i < w->depth; i++)
      fputs("  ", w->f);
  }
  fputc(brace, w->f);
}

static void jw_str(struct jw *w, const char *key, const char *s)
{
  jw_next(w, key);
  if (s == NULL)
    fputs("null", w->f);
  else
    dp_report_json_string(w->f, s);
}

static void jw_num(struct jw *w, const char *key, double x)
{
  jw_next(w, key);
  dp_report_put_num(w->f, x, DP_NUM_JSON);
}

static void jw_uint(struct jw *w, const char *key, unsigned long long x)
{
  jw_next(w, key);
  fprintf(w->f, "%llu", x);
}

static void jw_int(struct jw *w, const char *key, long long x)
{
  jw_next(w, key);
  fprintf(w->f, "%lld", x);
}

/* 64-bit seeds as decimal strings: a JSON number loses them beyond 2^53 in most readers. */
static void jw_u64s(struct jw *w, const char *key, uint64_t x)
{
  char buf[24];
  snprintf(buf, sizeof buf, "%" PRIu64, x);
  jw_str(w, key, buf);
}

static void jw_bool(struct jw *w, const char *key, int b)
{
  jw_next(w, key);
  fputs(b ? "true" : "false", w->f);
}

static void jw_null(struct jw *w, const char *key)
{
  jw_next(w, key);
  fputs("null", w->f);
}

/* An array of numbers: a claim's figures, a series' coordinates (non-finite ones as null). */
static void jw_numbers(struct jw *w, const char *key, const double *x, size_t n)
{
  jw_open(w, key, '[');
  for (size_t i = 0; i < n; i++)
    jw_num(w, NULL, x[i]);
  jw_close(w, ']');
}

static void jw_cex(struct jw *w, const char *key, const struct dp_cex *c)
{
  jw_open(w, key, '{');
  jw_u64s(w, "replay_seed", c->replay_seed);
  jw_uint(w, "trial", c->trial);
  jw_num(w, "figure", c->figure);
  jw_num(w, "figure_min", c->figure_min);
  jw_uint(w, "steps", c->steps);
  jw_str(w, "trail", c->trail);
  jw_str(w, "sizes", c->sizes);
  jw_str(w, "sizes_min", c->sizes_min);
  jw_str(w, "what", c->what);
  jw_str(w, "instance", c->instance);
  jw_str(w, "replay", c->replay);
  jw_close(w, '}');
}

static void jw_outcome(struct jw *w, const char *key, const struct dp_outcome *o,
                       enum dp_verdict v)
{
  jw_open(w, key, '{');
  jw_str(w, "status", dp_report_measure_name(o->status));
  jw_num(w, "figure", o->status == DP_MEASURED ? o->figure : NAN);
  jw_str(w, "what", o->what);
  jw_str(w, "verdict", dp_verdict_name(v));
  jw_close(w, '}');
}

static void jw_table(struct jw *w, const struct dp_table *t)
{
  jw_open(w, NULL, '{');
  jw_str(w, "title", t->title);
  jw_str(w, "note", t->note);
  jw_open(w, "columns", '[');
  for (size_t j = 0; j < t->ncol; j++)
    jw_str(w, NULL, dp_report_str(t->head[j]));
  jw_close(w, ']');
  jw_open(w, "rows", '[');
  for (size_t k = 0; k < t->nrow; k++) {
    jw_open(w, NULL, '[');
    for (size_t j = 0; j < t->ncol; j++)
      jw_str(w, NULL, dp_report_str(t->cell[k * t->ncol + j]));
    jw_close(w, ']');
  }
  jw_close(w, ']');
  jw_close(w, '}');
}

static void jw_series(struct jw *w, const struct dp_series *sr)
{
  jw_open(w, NULL, '{');
  jw_str(w, "name", sr->name);
  jw_bool(w, "dashed", sr->dashed);
  jw_numbers(w, "x", sr->x, sr->n);
  jw_numbers(w, "y", sr->y, sr->n);
  jw_close(w, '}');
}

static void jw_plot(struct jw *w, const struct dp_plot *p)
{
  jw_open(w, NULL, '{');
  jw_str(w, "title", p->title);
  jw_str(w, "xlabel", p->xlabel);
  jw_str(w, "ylabel", p->ylabel);
  jw_bool(w, "logx", p->logx);
  jw_bool(w, "logy", p->logy);
  jw_str(w, "note", p->note);
  jw_open(w, "series", '[');
  for (size_t k = 0; k < p->nseries; k++)
    jw_series(w, &p->series[k]);
  jw_close(w, ']');
  jw_close(w, '}');
}

/* The claim's tables and plots (struct dp_evidence), in the order the claim attached them. */
static void jw_extras(struct jw *w, const struct dp_result *r)
{
  const struct dp_evidence *x = &r->evidence;
  jw_int(w, "extras_status", r->evidence_status);
  jw_open(w, "tables", '[');
  for (size_t i = 0; i < x->ntables; i++)
    jw_table(w, &x->tables[i]);
  jw_close(w, ']');
  jw_open(w, "plots", '[');
  for (size_t i = 0; i < x->nplots; i++)
    jw_plot(w, &x->plots[i]);
  jw_close(w, ']');
}

/* One finding of claim c as the run demonstrated it (or did not: shown false). */
static void jw_finding(struct jw *w, const struct dp_claim *c, const struct dp_finding *fd)
{
  const struct dp_finding_def *d = fd->def;
  jw_open(w, NULL, '{');
  jw_str(w, "claim", c->id);
  jw_str(w, "key", d->key);
  jw_str(w, "kind", dp_finding_kind_name(d->kind));
  jw_bool(w, "shown", fd->shown);
  jw_str(w, "summary", d->summary);
  jw_str(w, "as_stated", d->as_stated);
  jw_str(w, "condition", d->condition);
  jw_str(w, "judge", d->tol_kind == DP_JUDGE_SLACK ? "slack" : "ratio");
  jw_num(w, "tolerance", d->tol);
  jw_uint(w, "instances", fd->n);
  jw_uint(w, "failed", fd->failed);
  jw_uint(w, "skip", fd->skipped);
  jw_uint(w, "error", fd->error);
  jw_num(w, "worst", fd->worst);
  jw_uint(w, "rows", fd->rows);
  jw_uint(w, "rows_failed", fd->rows_failed);
  jw_num(w, "rows_min", fd->row_min);
  jw_num(w, "rows_max", fd->row_max);
  jw_str(w, "rows_what", fd->row_what);
  if (fd->has_cex)
    jw_cex(w, "counterexample", &fd->cex);
  else
    jw_null(w, "counterexample");
  jw_close(w, '}');
}

/* One tier of a claim: applicable or not, its verdict and counts, and why. */
static void jw_tier(struct jw *w, const struct dp_claim *c, enum dp_tier k,
                    const struct dp_tier_result *t, const struct dp_formal_build *fb)
{
  jw_open(w, dp_tier_name(k), '{');
  jw_bool(w, "applies", t->applies);
  if (t->applies)
    jw_str(w, "verdict", dp_verdict_name(t->verdict));
  else
    jw_null(w, "verdict");
  jw_str(w, "reason", t->reason);
  jw_uint(w, "instances", t->n);
  jw_uint(w, "pass", t->pass);
  jw_uint(w, "fail", t->fail);
  jw_uint(w, "skip", t->skip);
  jw_uint(w, "error", t->error);
  if (k == DP_TIER_EXACT) {
    jw_str(w, "kind", c->exact != NULL ? (c->exact->kind == DP_EXACT_CERTIFIED ? "certified"
                                                                               : "identity")
                      : c->exact_native != NULL ? "native" : NULL);
    jw_str(w, "twin_statement", c->exact ? c->exact->twin_statement : NULL);
    jw_uint(w, "twin_instances", t->twin_n);
    jw_uint(w, "twin_rejected", t->twin_rejected);
    jw_uint(w, "twin_skip", t->twin_skip);
    jw_uint(w, "twin_error", t->twin_error);
    jw_bool(w, "twin_defect", t->twin_defect);
    jw_str(w, "twin_defect_what", t->twin_what);
    jw_uint(w, "decisive", t->decisive);
    jw_num(w, "log10_bound", t->log10_bound);
    jw_str(w, "first_failure", t->first);
    jw_u64s(w, "first_failure_seed", t->first_seed);
    jw_str(w, "first_failure_replay", t->replay);
  }
  if (k == DP_TIER_FORMAL) {
    jw_open(w, "theorems", '[');
    for (unsigned i = 0; c->theorems != NULL && c->theorems[i] != NULL; i++) {
      const struct dp_proved *p = dp_formal_find(fb, c->theorems[i]);
      jw_open(w, NULL, '{');
      jw_str(w, "name", c->theorems[i]);
      jw_str(w, "statement", p ? p->statement : NULL);
      jw_bool(w, "proved", p && p->closed);
      jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_str(w, "first_failure", t->first);
  }
  jw_close(w, '}');
}

static void jw_result(struct jw *w, const struct dp_result *r, const struct dp_formal_build *fb)
{
  const struct dp_claim *c = r->claim;
  jw_open(w, NULL, '{');
  jw_str(w, "id", c->id);
  jw_str(w, "title", c->title);
  jw_str(w, "paper_ref", c->paper_ref);
  jw_str(w, "statement", c->statement);
  jw_str(w, "conditions", c->conditions);
  jw_str(w, "judged", c->judged);
  jw_str(w, "twin_statement", c->twin_statement);
  jw_str(w, "verdict", dp_verdict_name(r->verdict));
  jw_str(w, "judge", c->tol_kind == DP_JUDGE_SLACK ? "slack" : "ratio");
  jw_num(w, "tolerance", c->tol);
  jw_uint(w, "instances", r->n);
  jw_uint(w, "pass", r->npass);
  jw_uint(w, "fail", r->nfail);
  jw_uint(w, "skip", r->nskip);
  jw_uint(w, "error", r->nerror);
  jw_num(w, "worst", r->worst);
  jw_u64s(w, "worst_seed", r->worst_seed);
  jw_str(w, "worst_what", r->worst_what);
  jw_str(w, "error_reason", r->error);
  jw_numbers(w, "figures", r->figures, r->n);
  jw_open(w, "counterexamples", '[');
  for (unsigned i = 0; i < r->ncex; i++)
    jw_cex(w, NULL, &r->cex[i]);
  jw_close(w, ']');
  jw_open(w, "twin", '{');
  jw_str(w, "statement", c->twin_statement);
  jw_uint(w, "instances", r->twin_n);
  jw_uint(w, "rejected", r->twin_rejected);
  jw_uint(w, "skip", r->twin_skip);
  jw_uint(w, "error", r->twin_error);
  jw_bool(w, "ok", r->twin_ok);
  jw_bool(w, "defect", r->twin_defect);
  jw_bool(w, "untestable", r->twin_untestable);
  if (r->twin_row_defect)
    jw_str(w, "unrejected_row", r->twin_row);
  else
    jw_null(w, "unrejected_row");
  jw_num(w, "worst", r->twin_worst);
  jw_numbers(w, "figures", r->twin_figures, r->twin_n);
  if (r->has_twin_witness)
    jw_cex(w, "witness", &r->twin_witness);
  else
    jw_null(w, "witness");
  jw_close(w, '}');
  jw_int(w, "real_status", r->cases_status);
  jw_open(w, "real", '[');
  for (size_t i = 0; i < r->ncases; i++) {
    jw_open(w, NULL, '{');
    jw_str(w, "label", r->cases[i].label);
    jw_outcome(w, "claim", &r->cases[i].claim, r->cases[i].verdict);
    jw_outcome(w, "twin", &r->cases[i].twin, r->cases[i].twin_verdict);
    jw_close(w, '}');
  }
  jw_close(w, ']');
  jw_extras(w, r);
  /* added in 0.x at the end of the object, as the versioning rule asks */
  jw_num(w, "margin", dp_claim_margin(c, r->worst));
  jw_open(w, "parts", '[');
  for (unsigned k = 0; k < r->nparts; k++) {
    jw_open(w, NULL, '{');
    jw_str(w, "name", c->parts[k]);
    jw_uint(w, "measured", r->part_ran[k]);
    jw_close(w, '}');
  }
  jw_close(w, ']');
  if (r->thin)
    jw_str(w, "thin", r->thin_what);
  else
    jw_null(w, "thin");
  jw_str(w, "holds_under", c->holds_under);
  jw_str(w, "standing", dp_result_standing(r));
  jw_open(w, "findings", '[');
  for (unsigned k = 0; k < r->nfindings; k++)
    jw_finding(w, c, &r->findings[k]);
  jw_close(w, ']');
  jw_open(w, "tiers", '{');
  for (int k = 0; k < DP_NTIERS; k++)
    jw_tier(w, c, (enum dp_tier)k, &r->tiers[k], fb);
  jw_close(w, '}');
  jw_close(w, '}');
}

static int json_fill(FILE *f, const void *ctx)
{
  const struct dp_run *run = ctx;
  struct jw w = { .f = f, .depth = 0 };
  jw_open(&w, NULL, '{');
  jw_str(&w, "schema", DP_REPORT_SCHEMA);
  jw_open(&w, "run", '{');
  jw_str(&w, "dpcheck", PACKAGE_VERSION);
  jw_str(&w, "date", run->date);
  jw_u64s(&w, "seed", run->opts.master);
  jw_uint(&w, "trials", run->opts.trials);
  jw_open(&w, "sizes", '{');
  jw_uint(&w, "R_max", run->opts.sizes.R_max);
  jw_uint(&w, "V_max", run->opts.sizes.V_max);
  jw_uint(&w, "dk_max", run->opts.sizes.dk_max);
  jw_close(&w, '}');
  jw_str(&w, "compiler", dp_report_compiler());
  jw_str(&w, "gsl", dp_report_gsl());
  jw_str(&w, "blas", dp_report_blas());
  jw_str(&w, "flint", dp_report_flint());
  jw_str(&w, "check", dp_report_check());
  jw_str(&w, "machine", run->machine);
  jw_str(&w, "corpus", run->corpus);
  jw_open(&w, "tolerances", '{');
  jw_num(&w, "ratio", DP_TOL_RATIO);
  jw_num(&w, "slack", DP_TOL_SLACK);
  jw_close(&w, '}');
  jw_close(&w, '}');
  struct dp_totals tot;
  dp_totals_count(run->res, run->nres, &tot);
  jw_open(&w, "summary", '{');
  jw_uint(&w, "claims", tot.claims);
  jw_uint(&w, "pass", tot.pass);
  jw_uint(&w, "fail", tot.fail);
  jw_uint(&w, "skip", tot.skip);
  jw_uint(&w, "error", tot.error);
  jw_uint(&w, "twin_defects", tot.twin_defects);
  jw_uint(&w, "thin", tot.thin);
  jw_uint(&w, "as_stated", tot.as_stated);
  jw_uint(&w, "under_conditions", tot.conditional);
  jw_uint(&w, "findings", tot.findings);
  jw_close(&w, '}');
  jw_open(&w, "claims", '[');
  for (size_t i = 0; i < run->nres; i++)
    jw_result(&w, &run->res[i], run->opts.formal);
  jw_close(&w, ']');
  /* the findings the run showed, in claim order: what the reviewer reads first */
  jw_open(&w, "findings", '[');
  for (size_t i = 0; i < run->nres; i++)
    for (unsigned k = 0; k < run->res[i].nfindings; k++)
      if (run->res[i].findings[k].shown)
        jw_finding(&w, run->res[i].claim, &run->res[i].findings[k]);
  jw_close(&w, ']');
  jw_open(&w, "not_checked", '[');
  for (size_t i = 0; i < run->ngaps; i++) {
    jw_open(&w, NULL, '{');
    jw_str(&w, "what", run->gaps[i].what);
    jw_str(&w, "why", run->gaps[i].why);
    jw_close(&w, '}');
  }
  jw_close(&w, ']');
  jw_close(&w, '}');
  fputc('\n', f);
  return GSL_SUCCESS;
}

int dp_report_json(const struct dp_run *run, const char *path)
{
  return dp_report_atomic_run(path, json_fill, run);
}
