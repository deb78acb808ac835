/* term.c: the terminal table of `dpcheck verify` (term.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "claim.h"
#include "family.h"
#include "term.h"

/* The false twin's state in at most 19 columns: what the check did with it, and on how many
 * of the instances it did not skip (it skips where it cannot differ from the claim). */
static void twin_state(const struct dp_result *r, char *buf, size_t n)
{
  unsigned ran = r->twin_n - r->twin_skip;
  const struct dp_tier_result *x = &r->tiers[DP_TIER_EXACT];
  if (r->twin_row_defect)
    snprintf(buf, n, "NOT REJECTED (row)");
  else if (x->twin_defect)
    snprintf(buf, n, "EXACT TWIN NOT REJECTED");
  else if (r->twin_ok)
    snprintf(buf, n, "rejected %u/%u", r->twin_rejected, ran);
  else if (r->twin_defect)
    snprintf(buf, n, "NOT REJECTED %u/%u", r->twin_rejected, ran);
  else if (r->twin_untestable)
    snprintf(buf, n, "not testable %u/%u", r->twin_rejected, ran);
  else
    snprintf(buf, n, "too few %u/%u", r->twin_rejected, ran);
}

void dp_term_head(FILE *f)
{
  fprintf(f, "%-3s %-*s %5s %5s %4s %4s %3s %-9s %-8s %-5s %s\n", "id", DP_TERM_TITLE, "claim",
          "inst", "pass", "fail", "skip", "err", "worst", "thresh", "verd.", "false twin");
}

/* The title in DP_TERM_TITLE columns: cut with ".." when longer (`dpcheck list` and -v give
 * it whole). */
static void title_cut(const char *title, char *buf, size_t n)
{
  size_t len = strlen(title);
  if (len <= DP_TERM_TITLE)
    snprintf(buf, n, "%s", title);
  else
    snprintf(buf, n, "%.*s..", DP_TERM_TITLE - 2, title);
}

static const char *twin_verdict_word(enum dp_verdict v)
{
  return v == DP_FAIL ? "rejected" : v == DP_SKIP ? "skipped" : "NOT rejected";
}

/* What verbose prints under a claim's line. */
static void details(FILE *f, const struct dp_result *r)
{
  const struct dp_claim *c = r->claim;
  fprintf(f, "    %s (%s)\n", c->title, c->paper_ref);
  if (r->npass + r->nfail)
    fprintf(f, "    worst %.3g, margin x%.3g to the threshold: %s\n", r->worst,
            dp_claim_margin(c, r->worst), r->worst_what);
  for (unsigned k = 0; k < r->nparts; k++)
    fprintf(f, "    part \"%s\": measured on %u of %u instances\n", c->parts[k], r->part_ran[k],
            r->n);
  if (r->thin)
    fprintf(f, "    THIN: %s\n", r->thin_what);
  fprintf(f, "    twin: rejected on %u of %u instances (%u skipped, %u erred)\n", r->twin_rejected,
          r->twin_n - r->twin_skip, r->twin_skip, r->twin_error);
  for (int k = DP_TIER_FORMAL; k <= DP_TIER_EXACT; k++) {
    const struct dp_tier_result *t = &r->tiers[k];
    if (t->applies)
      fprintf(f, "    %s tier: %s: %s%s%s%s%s%s%s\n", dp_tier_name((enum dp_tier)k),
              dp_verdict_name(t->verdict), t->reason, t->first[0] ? "; first failure: " : "",
              t->first, t->twin_defect ? "; harness defect: " : "", t->twin_what,
              t->replay[0] ? "; replay: " : "", t->replay);
  }
  for (size_t i = 0; i < r->ncases; i++) {
    const struct dp_case_row *row = &r->cases[i];
    fprintf(f, "    row: %s\n      claim %s (figure %.3g: %s)\n      twin %s (figure %.3g: %s)\n",
            row->label, dp_verdict_name(row->verdict), row->claim.figure, row->claim.what,
            twin_verdict_word(row->twin_verdict), row->twin.figure, row->twin.what);
  }
}

/* What a reviewer acts on under a FAIL or ERROR line, in one or two lines: the first
 * counterexample's replay command, else the failing judged row, else the error's reason. */
static void to_act_on(FILE *f, const struct dp_result *r)
{
  if (r->verdict != DP_FAIL && r->verdict != DP_ERROR)
    return;
  if (r->ncex) {
    const struct dp_cex *x = &r->cex[0];
    fprintf(f, "    minimal: %s (figure %.3g): %s\n    replay:  %s\n", x->sizes_min,
            x->figure_min, x->what, x->replay);
    return;
  }
  for (size_t i = 0; i < r->ncases; i++)
    if (r->cases[i].verdict == DP_FAIL) {
      fprintf(f, "    failing row: %s (figure %.3g: %s)\n", r->cases[i].label,
              r->cases[i].claim.figure, r->cases[i].claim.what);
      return;
    }
  if (r->error[0])
    fprintf(f, "    error: %s\n", r->error);
}

void dp_term_claim(FILE *f, const struct dp_result *r, int verbose)
{
  const struct dp_claim *c = r->claim;
  char title[DP_TERM_TITLE + 1], worst[32], thresh[32], twin[64];
  title_cut(c->title, title, sizeof title);
  if (isnan(r->worst))
    snprintf(worst, sizeof worst, "%s", r->npass + r->nfail ? "NaN" : "-");
  else
    snprintf(worst, sizeof worst, "%.3g", r->worst);
  snprintf(thresh, sizeof thresh, "%s%g", c->tol_kind == DP_JUDGE_RATIO ? "<=" : ">=-", c->tol);
  twin_state(r, twin, sizeof twin);
  fprintf(f, "%-3s %-*s %5u %5u %4u %4u %3u %-9s %-8s %-5s %s\n", c->id, DP_TERM_TITLE, title,
          r->n, r->npass, r->nfail, r->nskip, r->nerror, worst, thresh,
          dp_verdict_name(r->verdict), twin);
  if (verbose)
    details(f, r);
  else
    to_act_on(f, r);
}

void dp_term_cex(FILE *f, const char *label, const struct dp_cex *x, unsigned max_lines)
{
  fprintf(f, "  %s: trial %u, seed %llu\n    generated: %s (figure %.3g)\n"
             "    minimal:   %s (figure %.3g) after %u shrink steps%s%s\n    failing:   %s\n"
             "    replay:    %s\n",
          label, x->trial, (unsigned long long)x->replay_seed, x->sizes, x->figure, x->sizes_min,
          x->figure_min, x->steps, x->trail[0] ? ": " : "", x->trail, x->what, x->replay);
  if (!max_lines)
    return;
  fprintf(f, "    minimal instance:\n");
  const char *p = x->instance ? x->instance : "";
  unsigned lines = 0;
  while (*p && lines < max_lines) {
    const char *nl = strchr(p, '\n');
    int len = nl ? (int)(nl - p) : (int)strlen(p);
    fprintf(f, "      %.*s\n", len, p);
    p += len + (nl != NULL);
    lines++;
  }
  if (*p)
    fprintf(f, "      ... (the whole instance is in the report)\n");
}

/* Lines of a counterexample's minimal instance the terminal shows (the report has it all). */
#define DP_TERM_INSTANCE_LINES 40

void dp_term_after(FILE *f, const struct dp_result *res, size_t n, const struct dp_sizes *sz,
                   int verbose)
{
  char opts[96];
  dp_sizes_below_default_options(sz, opts, sizeof opts);
  if (!verbose) {
    /* one note for every claim whose twin these sizes leave untested, or none */
    unsigned k = 0;
    for (size_t i = 0; i < n; i++)
      if (res[i].twin_untestable && !res[i].twin_row_defect)
        fprintf(f, "%s%s", k++ ? (k % 12 == 1 ? ",\n  " : ", ")
                               : "\nfalse twin not testable at these sizes (", res[i].claim->id);
    if (k)
      fprintf(f, ") with %s:\n  the twin cannot differ from the claim on instances this small\n",
              opts);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    const struct dp_result *r = &res[i];
    int erred = r->error[0] != '\0'; /* a trial, a judged row, or the tables and plots */
    if (!r->ncex && !erred && !r->twin_defect && !r->twin_untestable && !r->has_twin_witness)
      continue;
    fprintf(f, "\n%s %s: %s\n", r->claim->id, r->claim->title, dp_verdict_name(r->verdict));
    for (unsigned k = 0; k < r->ncex; k++)
      dp_term_cex(f, "counterexample", &r->cex[k], DP_TERM_INSTANCE_LINES);
    if (erred)
      fprintf(f, "  error: %s\n", r->error);
    if (r->has_twin_witness) /* its instance is in the report: the twin's failure is expected */
      dp_term_cex(f, "twin witness", &r->twin_witness, 0);
    if (r->tiers[DP_TIER_EXACT].twin_defect)
      fprintf(f, "  harness defect in the exact tier: its twin \"%s\": %s\n",
              r->claim->exact && r->claim->exact->twin_statement ?
                r->claim->exact->twin_statement : r->claim->twin_statement,
              r->tiers[DP_TIER_EXACT].twin_what);
    if (r->twin_row_defect)
      fprintf(f, "  harness defect: the false twin \"%s\" was not rejected on the judged row "
                 "\"%s\", where the claim holds\n", r->claim->twin_statement, r->twin_row);
    else if (r->twin_defect && !r->tiers[DP_TIER_EXACT].twin_defect)
      fprintf(f, "  harness defect: the false twin \"%s\" was not rejected on any of the %u "
                 "instances it did not skip\n", r->claim->twin_statement,
              r->twin_n - r->twin_skip);
    else if (r->twin_untestable)
      fprintf(f, "  false twin not testable at these sizes (%s): the twin cannot differ from "
                 "the claim on instances this small\n", opts);
  }
}

void dp_term_totals(FILE *f, const struct dp_totals *t)
{
  fprintf(f, "%u claim%s: %u pass, %u fail, %u skip, %u error, %u twin defects, %u thin\n",
          t->claims, t->claims == 1 ? "" : "s", t->pass, t->fail, t->skip, t->error,
          t->twin_defects, t->thin);
}

void dp_term_standing(FILE *f, const struct dp_totals *t)
{
  fprintf(f, "%u hold%s as stated, %u under stated conditions (%u finding%s)\n", t->as_stated,
          t->as_stated == 1 ? "s" : "", t->conditional, t->findings, t->findings == 1 ? "" : "s");
}

void dp_term_findings(FILE *f, const struct dp_result *res, size_t n, const struct dp_totals *t)
{
  static const char *const how[] = {"holds under", "holds as restated:", "loose:"};
  if (t->findings == 0)
    return;
  fprintf(f, "\nfindings (the report has each whole, with its smallest counterexample):\n");
  for (size_t i = 0; i < n; i++)
    for (unsigned k = 0; k < res[i].nfindings; k++) {
      const struct dp_finding *fd = &res[i].findings[k];
      if (!fd->shown)
        continue;
      char line[600];
      int k = snprintf(line, sizeof line, "  %s %s %s; ", res[i].claim->id,
                       how[fd->def->kind <= DP_FINDING_LOOSE ? fd->def->kind : 0],
                       fd->def->condition);
      if (k > 0 && (size_t)k < sizeof line) {
        if (fd->has_cex)
          snprintf(line + k, sizeof line - (size_t)k, "smallest: %s", fd->cex.sizes_min);
        else
          snprintf(line + k, sizeof line - (size_t)k, "on %u of %u judged rows",
                   fd->rows_failed, fd->rows);
      }
      /* cut to the table's width, marked, never inside a UTF-8 sequence (the text is ASCII
       * in the register, but a cut must not depend on it) */
      size_t len = strlen(line);
      if (len > DP_TERM_WIDTH) {
        size_t cut = DP_TERM_WIDTH - 2;
        while (cut > 0 && ((unsigned char)line[cut] & 0xC0) == 0x80)
          cut--;
        line[cut] = '\0';
        fprintf(f, "%s..\n", line);
      } else {
        fprintf(f, "%s\n", line);
      }
    }
}
