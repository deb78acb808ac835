/* html.c: index.html, the report for a reader: one self-contained page (inline CSS and SVG, no
 * script, no network).  A header with the run's metadata and totals, a summary table of the
 * claims, then a section per claim: the exact statement checked, its conditions and how it was
 * judged, the counts and the worst figure with its replay seed, the false twin and whether the
 * check rejected it, the strip plot of every figure, the counterexamples and the twin witness
 * with their replay commands, the real-text rows, and the claim's own tables and plots.  Every
 * string from a claim or a run is escaped; the page's numbers are for reading ("%.6g"), except
 * a counterexample's figures, which are exact as in the JSON. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "tol.h"
#include "report.h"
#include "report_int.h"

/* The CSS class of a verdict. */
static const char *verdict_class(enum dp_verdict v)
{
  switch (v) {
  case DP_PASS: return "pass";
  case DP_FAIL: return "fail";
  case DP_SKIP: return "skip";
  case DP_ERROR: return "error";
  }
  return "skip";
}

/* "≤ 30" or "≥ -1e-10": the rule an instance's figure must meet. */
static void h_rule(FILE *f, const struct dp_claim *c)
{
  if (c->tol_kind == DP_JUDGE_SLACK) {
    fputs("\xE2\x89\xA5 ", f);
    dp_report_put_num(f, -c->tol, DP_NUM_READ);
  } else {
    fputs("\xE2\x89\xA4 ", f);
    dp_report_put_num(f, c->tol, DP_NUM_READ);
  }
}

static const char html_css[] =
  "body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",sans-serif;"
  "max-width:76rem;margin:0 auto;padding:1rem 1.5rem 3rem;line-height:1.45;color:#1f2328;"
  "background:#fff}\n"
  "h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.3rem;margin:1.2rem 0 .5rem}"
  "h3{font-size:1.05rem;margin:1rem 0 .3rem}\n"
  "table{border-collapse:collapse;margin:.5rem 0 1rem}\n"
  "th,td{border:1px solid #b8bec6;padding:.25rem .5rem;text-align:left;vertical-align:top}\n"
  "th{background:#f0f2f4}td.nowrap{white-space:nowrap}\n"
  "td.num{text-align:right;font-variant-numeric:tabular-nums;"
  "white-space:nowrap}\n"
  ".pass{background:#dafbe1;color:#0f5323;font-weight:600}\n"
  ".fail{background:#ffe0dd;color:#9a0f1f;font-weight:600}\n"
  ".skip{background:#e8eaed;color:#4d555e;font-weight:600}\n"
  ".error{background:#fff0c2;color:#6b4200;font-weight:600}\n"
  "span.badge{padding:.05rem .45rem;border-radius:.3rem;font-size:.95rem}\n"
  "p.note{padding:.3rem .6rem;border-radius:.3rem}\n"
  "blockquote{margin:.4rem 0;padding:.4rem 1rem;border-left:4px solid #8c959f;"
  "background:#f6f8fa}\n"
  "blockquote p{margin:0;white-space:pre-wrap}\n"
  "pre{background:#f6f8fa;border:1px solid #d0d7de;padding:.5rem;overflow:auto;"
  "max-height:24rem}\n"
  "code,pre{font-family:ui-monospace,\"SF Mono\",Menlo,Consolas,\"DejaVu Sans Mono\","
  "monospace;font-size:.9em}\n"
  "code{overflow-wrap:anywhere}\n"
  "dl.meta,dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;"
  "margin:.5rem 0}\n"
  "dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}\n"
  "section{border-top:2px solid #d0d7de;margin-top:2rem}\n"
  "figure{margin:.5rem 0}figcaption{font-size:.9rem;color:#4d555e}\n"
  "svg{max-width:100%;height:auto}svg text{font-family:system-ui,sans-serif}\n"
  "div.cex{border:1px solid #d0d7de;border-radius:.3rem;padding:0 .75rem;margin:.5rem 0}\n"
  "div.scroll{overflow:auto;max-width:100%}div.scroll table{margin:.25rem 0}\n"
  "caption{caption-side:top;text-align:left;font-weight:600;padding:.2rem 0}\n"
  "p.caption{font-size:.9rem;color:#4d555e;margin:.2rem 0 1rem}\n"
  "details{margin:.3rem 0 1rem}summary{cursor:pointer;color:#0550ae;font-size:.9rem}\n"
  "details div.scroll{max-height:20rem}table.data td,table.data th{padding:.1rem .5rem;"
  "font-size:.9rem}\n"
  "p.banner{font-size:1.25rem;font-weight:600;padding:.5rem .8rem;border-radius:.3rem;"
  "margin:.6rem 0 .3rem}\n"
  "p.runline{color:#4d555e;margin:.2rem 0 .6rem}\n"
  "nav#toc{font-size:.92rem;margin:.4rem 0 .8rem}nav#toc ul{margin:.2rem 0;padding-left:1.2rem;"
  "columns:16rem auto}nav#toc li{break-inside:avoid}\n"
  "div.finding{border:1px solid #d0d7de;border-left:6px solid #bf8700;border-radius:.3rem;"
  "padding:.2rem .9rem;margin:.6rem 0}\n"
  "div.finding h3{margin:.5rem 0 .2rem}div.finding p{margin:.3rem 0}\n"
  "span.kind{font-size:.85rem;font-weight:600;color:#6b4200;background:#fff0c2;"
  "padding:.05rem .4rem;border-radius:.3rem;margin-left:.4rem}\n"
  ".cond{background:#fff0c2;color:#6b4200;font-weight:600}\n"
  "#summary{width:100%}#summary td,#summary th{overflow-wrap:break-word}\n"
  "#summary{font-size:.88rem}#summary td,#summary th{padding:.2rem .35rem}"
  "#summary td:first-child{white-space:nowrap}\n"
  "#summary td.title small{display:block;color:#4d555e;font-weight:400}\n"
  "dl.gaps dt{margin-top:.4rem}\n"
  ".na{color:#4d555e}\n"
  "table.rows td{overflow-wrap:anywhere;min-width:6rem}\n";

static void h_meta(FILE *f, const char *dt, const char *dd)
{
  fputs("<dt>", f);
  dp_report_html_text(f, dt);
  fputs("</dt><dd>", f);
  dp_report_html_text(f, dd);
  fputs("</dd>\n", f);
}

static void h_cex(FILE *f, const struct dp_cex *x, const struct dp_claim *c)
{
  fputs("<div class=\"cex\">\n", f);
  fprintf(f, "<p>Trial %u, replay seed %" PRIu64 ": figure ", x->trial, x->replay_seed);
  dp_report_put_num(f, x->figure, DP_NUM_EXACT);
  fprintf(f, "; after %u shrink step%s: ", x->steps, x->steps == 1 ? "" : "s");
  dp_report_put_num(f, x->figure_min, DP_NUM_EXACT);
  fputs(" (rule: ", f);
  h_rule(f, c);
  fputs(").</p>\n", f);
  if (x->trail[0] != '\0') {
    fputs("<p>Shrunk by: ", f);
    dp_report_html_text(f, x->trail);
    fputs(".</p>\n", f);
  }
  fputs("<p>Sizes: ", f);
  dp_report_html_text(f, x->sizes);
  fputs(" \xE2\x86\x92 minimal: ", f);
  dp_report_html_text(f, x->sizes_min);
  fputs("</p>\n<p>Failing part: ", f);
  dp_report_html_text(f, x->what);
  fputs("</p>\n", f);
  if (x->instance != NULL) {
    fputs("<pre>", f);
    dp_report_html_text(f, x->instance);
    fputs("</pre>\n", f);
  }
  fputs("<p>Replay: <code>", f);
  dp_report_html_text(f, x->replay);
  fputs("</code></p>\n</div>\n", f);
}

static void h_outcome_cells(FILE *f, const struct dp_outcome *o, enum dp_verdict v)
{
  fputs("<td class=\"num\">", f);
  if (o->status == DP_MEASURED)
    dp_report_put_num(f, o->figure, DP_NUM_READ);
  else
    dp_report_html_text(f, o->status == DP_NOT_APPLICABLE ? "not applicable"
                                                          : dp_report_measure_name(o->status));
  fprintf(f, "</td><td class=\"%s\">%s</td><td>", verdict_class(v), dp_verdict_name(v));
  dp_report_html_text(f, o->what);
  fputs("</td>", f);
}

/* ---------------------------------------------------------------------------------------- */
/* Claim-specific tables and plots (struct dp_evidence)                                        */

/* Whether a table cell reads as one number (then it is right-aligned). */
static int cell_is_number(const char *s)
{
  char *end;
  while (*s == ' ')
    s++;
  if (*s == '\0')
    return 0;
  (void)strtod(s, &end);
  if (end == s)
    return 0;
  while (*end == ' ')
    end++;
  return *end == '\0';
}

static void h_table(FILE *f, const struct dp_table *t)
{
  fputs("<div class=\"scroll\">\n<table class=\"extra\">\n", f);
  if (t->title[0] != '\0') {
    fputs("<caption>", f);
    dp_report_html_text(f, t->title);
    fputs("</caption>\n", f);
  }
  fputs("<thead><tr>", f);
  for (size_t j = 0; j < t->ncol; j++) {
    fputs("<th>", f);
    dp_report_html_text(f, t->head[j]);
    fputs("</th>", f);
  }
  fputs("</tr></thead>\n<tbody>\n", f);
  if (t->nrow == 0)
    fprintf(f, "<tr><td colspan=\"%zu\">(no rows)</td></tr>\n", t->ncol);
  for (size_t k = 0; k < t->nrow; k++) {
    fputs("<tr>", f);
    for (size_t j = 0; j < t->ncol; j++) {
      const char *cell = dp_report_str(t->cell[k * t->ncol + j]);
      fputs(cell_is_number(cell) ? "<td class=\"num\">" : "<td>", f);
      dp_report_html_text(f, cell);
      fputs("</td>", f);
    }
    fputs("</tr>\n", f);
  }
  fputs("</tbody>\n</table>\n</div>\n", f);
  if (t->note[0] != '\0') {
    fputs("<p class=\"caption\">", f);
    dp_report_html_text(f, t->note);
    fputs("</p>\n", f);
  }
}

static void h_extras(FILE *f, const struct dp_result *r)
{
  const struct dp_evidence *x = &r->evidence;
  if (x->ntables == 0 && x->nplots == 0 && r->evidence_status == GSL_SUCCESS)
    return;
  fputs("<h3>Tables and plots</h3>\n", f);
  if (r->evidence_status != GSL_SUCCESS) {
    fprintf(f, "<p class=\"note error\">Computing them failed with GSL status %d (",
            r->evidence_status);
    dp_report_html_text(f, gsl_strerror(r->evidence_status));
    fputs("); what was attached before the failure is shown.</p>\n", f);
  }
  for (size_t i = 0; i < x->ntables; i++)
    h_table(f, &x->tables[i]);
  for (size_t i = 0; i < x->nplots; i++)
    dp_report_svg_plot(f, &x->plots[i], r->claim->id, i);
}

/* Why a twin never rejected is no defect at these sizes, naming the options that made them
 * small (the same words in the summary row and the claim's section). */
static void h_twin_untestable(FILE *f, const struct dp_sizes *sz)
{
  char opts[96];
  dp_sizes_below_default_options(sz, opts, sizeof opts);
  fputs("not testable at these sizes (", f);
  dp_report_html_text(f, opts);
  fputs("): the twin cannot differ from the claim on instances this small", f);
}

/* The claim's Coq theorems beside its statement: each name and the statement Coq prints, as
 * the build proved it, so a reader can see the two say the same thing. */
static void h_theorems(FILE *f, const struct dp_claim *c, const struct dp_formal_build *fb)
{
  if (c->theorems == NULL || c->theorems[0] == NULL)
    return;
  fputs("<h3>Proved in Coq</h3>\n", f);
  if (fb == NULL || !fb->built) {
    fputs("<p class=\"note\">The claim's theorems (", f);
    for (unsigned k = 0; c->theorems[k] != NULL; k++) {
      fputs(k ? ", " : "", f);
      fputs("<code>", f);
      dp_report_html_text(f, c->theorems[k]);
      fputs("</code>", f);
    }
    fputs(") were not built into this program: ", f);
    dp_report_html_text(f, fb && fb->why_not ? fb->why_not : "no proofs");
    fputs(".</p>\n", f);
    return;
  }
  fputs("<dl class=\"facts\">\n", f);
  for (unsigned k = 0; c->theorems[k] != NULL; k++) {
    const struct dp_proved *p = dp_formal_find(fb, c->theorems[k]);
    fputs("<dt><code>", f);
    dp_report_html_text(f, c->theorems[k]);
    fputs("</code></dt><dd>", f);
    if (p == NULL) {
      fputs("<span class=\"fail\">not among the proved theorems</span>", f);
    } else {
      fputs(p->closed ? "" : "<span class=\"fail\">rests on an axiom or an admitted lemma"
                             "</span> ", f);
      fputs("<code>", f);
      dp_report_html_text(f, p->statement);
      fputs("</code>", f);
    }
    fputs("</dd>\n", f);
  }
  fputs("</dl>\n", f);
}

static void h_section(FILE *f, const struct dp_result *r, const struct dp_sizes *sz,
                      const struct dp_formal_build *fb)
{
  const struct dp_claim *c = r->claim;
  fprintf(f, "<section id=\"%s\">\n<h2>%s: ", c->id, c->id);
  dp_report_html_text(f, c->title);
  fprintf(f, " <span class=\"badge %s\">%s</span></h2>\n", verdict_class(r->verdict),
          dp_verdict_name(r->verdict));
  fputs("<p>Paper: ", f);
  dp_report_html_text(f, c->paper_ref);
  fputs("</p>\n<h3>Statement checked</h3>\n<blockquote><p>", f);
  dp_report_html_text(f, c->statement);
  fputs("</p></blockquote>\n", f);
  h_theorems(f, c, fb);
  fputs("<dl class=\"facts\">\n", f);
  h_meta(f, "Conditions", dp_report_str(c->conditions));
  fputs("<dt>How judged</dt><dd>", f);
  dp_report_html_text(f, c->judged);
  fprintf(f, " An instance passes when its figure is %s ", c->tol_kind == DP_JUDGE_SLACK ?
          "a relative slack" : "a test ratio");
  h_rule(f, c);
  fputs(".</dd>\n", f);
  fprintf(f, "<dt>Instances</dt><dd>%u: %u pass, %u fail, %u skip, %u error</dd>\n", r->n,
          r->npass, r->nfail, r->nskip, r->nerror);
  for (int k = 0; k < DP_NTIERS; k++) {
    const struct dp_tier_result *t = &r->tiers[k];
    fprintf(f, "<dt>%s tier</dt><dd>", k == DP_TIER_FORMAL ? "Formal" : k == DP_TIER_EXACT ?
            "Exact" : "Float");
    if (t->applies)
      fprintf(f, "<span class=\"badge %s\">%s</span> ", verdict_class(t->verdict),
              dp_verdict_name(t->verdict));
    else
      fputs("not applicable: ", f);
    dp_report_html_text(f, t->reason);
    if (k == DP_TIER_EXACT && t->applies) {
      const struct dp_exact *x = r->claim->exact;
      fputs("; its twin", f);
      if (x != NULL && x->twin_statement != NULL) {
        fputs(" (", f);
        dp_report_html_text(f, x->twin_statement);
        fputs(")", f);
      }
      fprintf(f, " rejected on %u of %u (%u skipped: it cannot differ there, or undecided; %u "
                 "error%s)", t->twin_rejected, t->twin_n - t->twin_skip, t->twin_skip,
              t->twin_error, t->twin_error == 1 ? "" : "s");
    }
    if (t->first[0] != '\0') {
      fputs(". First failure: ", f);
      dp_report_html_text(f, t->first);
    }
    if (t->replay[0] != '\0') {
      fputs("; replay: <code>", f);
      dp_report_html_text(f, t->replay);
      fputs("</code>", f);
    }
    fputs("</dd>\n", f);
  }
  fputs("<dt>Worst figure</dt><dd>", f);
  dp_report_put_num(f, r->worst, DP_NUM_READ);
  fprintf(f, " (replay seed %" PRIu64 ")", r->worst_seed);
  if (r->worst_what[0] != '\0') {
    fputs(": ", f);
    dp_report_html_text(f, r->worst_what);
  }
  fputs("</dd>\n", f);
  if (r->npass + r->nfail) {
    fputs("<dt>Margin</dt><dd>threshold / worst figure = ", f);
    dp_report_put_num(f, dp_claim_margin(c, r->worst), DP_NUM_READ);
    fputs(" (below 1: the worst figure fails)</dd>\n", f);
  }
  for (unsigned k = 0; k < r->nparts; k++) {
    fputs("<dt>Part ", f);
    dp_report_html_text(f, c->parts[k]);
    fprintf(f, "</dt><dd>measured on %u of %u instances</dd>\n", r->part_ran[k], r->n);
  }
  if (r->thin) {
    fputs("<dt>Coverage</dt><dd class=\"skip\">thin: ", f);
    dp_report_html_text(f, r->thin_what);
    fputs(" (the run tested it on too few instances; not a verdict)</dd>\n", f);
  }
  if (r->error[0] != '\0')
    h_meta(f, "Error", r->error);
  if (r->cases_status != GSL_SUCCESS) {
    fputs("<dt>Judged rows</dt><dd>", f);
    fprintf(f, "failed with GSL status %d (", r->cases_status);
    dp_report_html_text(f, gsl_strerror(r->cases_status));
    fputs(")</dd>\n", f);
  }
  fputs("</dl>\n<h3>False twin</h3>\n<blockquote><p>", f);
  dp_report_html_text(f, c->twin_statement);
  fputs("</p></blockquote>\n", f);
  if (r->twin_row_defect) {
    fputs("<p class=\"note fail\">Not rejected on the judged row \xE2\x80\x9C", f);
    dp_report_html_text(f, r->twin_row);
    fputs("\xE2\x80\x9D, where the claim holds: a harness defect. The check does not tell the claim "
          "from its twin there.</p>\n", f);
  }
  if (r->tiers[DP_TIER_EXACT].twin_defect) {
    fputs("<p class=\"note fail\">In the exact tier, a harness defect: ", f);
    dp_report_html_text(f, r->tiers[DP_TIER_EXACT].twin_what);
    fputs(". The exact check does not tell the claim from its twin there.</p>\n", f);
  }
  if (r->twin_ok) {
    fprintf(f, "<p class=\"note pass\">Rejected on %u of %u instances (%u skipped, %u error%s); "
               "its most rejected figure: ", r->twin_rejected, r->twin_n, r->twin_skip,
            r->twin_error, r->twin_error == 1 ? "" : "s");
    dp_report_put_num(f, r->twin_worst, DP_NUM_READ);
    fputs(".</p>\n", f);
  } else if (r->twin_defect) {
    fprintf(f, "<p class=\"note fail\">Never rejected on the %u instances it did not skip (%u "
               "skipped, %u error%s): a harness defect. The check does not tell the claim from "
               "its twin.</p>\n",
            r->twin_n - r->twin_skip, r->twin_skip, r->twin_error, r->twin_error == 1 ? "" : "s");
  } else if (r->twin_untestable) {
    fprintf(f, "<p class=\"note\">Not rejected on these %u instances (%u skipped): ", r->twin_n,
            r->twin_skip);
    h_twin_untestable(f, sz);
    fputs(".</p>\n", f);
  } else {
    fprintf(f, "<p class=\"note\">Not rejected on these %u instances (%u skipped: the twin "
               "cannot differ from the claim there, or the premise fails), too few measured to "
               "judge the check (a twin is judged on at least %d).</p>\n", r->twin_n,
            r->twin_skip, DP_TWIN_MIN_INSTANCES);
  }
  fputs("<h3>Figures over instances</h3>\n", f);
  dp_report_svg_strip(f, r);
  if (r->ncex > 0) {
    fprintf(f, "<h3>Counterexample%s</h3>\n", r->ncex == 1 ? "" : "s");
    for (unsigned i = 0; i < r->ncex; i++)
      h_cex(f, &r->cex[i], c);
  }
  if (r->has_twin_witness) {
    fputs("<h3>Twin witness</h3>\n<p>The smallest instance found on which the twin fails:</p>\n",
          f);
    h_cex(f, &r->twin_witness, c);
  }
  if (r->ncases > 0) {
    fputs("<h3>Judged rows beyond the generated instances</h3>\n<div class=\"scroll\">\n"
          "<table class=\"rows\">\n<thead><tr>"
          "<th>instance</th><th>claim figure</th>"
          "<th>verdict</th><th>part</th><th>twin figure</th><th>twin verdict</th><th>part</th>"
          "</tr></thead>\n<tbody>\n", f);
    for (size_t i = 0; i < r->ncases; i++) {
      fputs("<tr><td>", f);
      dp_report_html_text(f, r->cases[i].label);
      fputs("</td>", f);
      h_outcome_cells(f, &r->cases[i].claim, r->cases[i].verdict);
      h_outcome_cells(f, &r->cases[i].twin, r->cases[i].twin_verdict);
      fputs("</tr>\n", f);
    }
    fputs("</tbody>\n</table>\n</div>\n", f);
  }
  h_extras(f, r);
  fputs("</section>\n", f);
}

/* "6: 5 pass, 1 skip": the instances and their non-zero verdict counts. */
static void h_counts(FILE *f, const struct dp_result *r)
{
  const unsigned k[4] = { r->npass, r->nfail, r->nskip, r->nerror };
  const char *name[4] = { "pass", "fail", "skip", "error" };
  const char *sep = ": ";
  fprintf(f, "%u", r->n);
  for (int i = 0; i < 4; i++)
    if (k[i] > 0) {
      fprintf(f, "%s%u %s", sep, k[i], name[i]);
      sep = ", ";
    }
}

/* The anchor of a finding: "finding-C05-sym-domain". */
static void h_finding_id(FILE *f, const struct dp_claim *c, const struct dp_finding_def *d)
{
  fputs("finding-", f);
  dp_report_html_text(f, c->id);
  fputc('-', f);
  dp_report_html_text(f, d->key);
}

/* How a kind of finding reads in a badge. */
static const char *kind_label(enum dp_finding_kind k)
{
  switch (k) {
  case DP_FINDING_CONDITION: return "holds under a condition the paper does not state";
  case DP_FINDING_RESTATED: return "holds as restated";
  case DP_FINDING_LOOSE: return "holds, but the bound is loose";
  }
  return "";
}

/* "≤ 10" for a finding's probe rule. */
static void h_probe_rule(FILE *f, const struct dp_finding_def *d)
{
  fputs(d->tol_kind == DP_JUDGE_SLACK ? "\xE2\x89\xA5 " : "\xE2\x89\xA4 ", f);
  dp_report_put_num(f, d->tol_kind == DP_JUDGE_SLACK ? -d->tol : d->tol, DP_NUM_READ);
}

/* One finding the run showed: what the paper's reading misses, the condition, the evidence
 * (instances and rows on which the reading failed) and the smallest counterexample. */
static void h_finding(FILE *f, const struct dp_result *r, const struct dp_finding *fd)
{
  const struct dp_claim *c = r->claim;
  const struct dp_finding_def *d = fd->def;
  fputs("<div class=\"finding\" id=\"", f);
  h_finding_id(f, c, d);
  fputs("\">\n<h3><a href=\"#", f);
  dp_report_html_text(f, c->id);
  fputs("\">", f);
  dp_report_html_text(f, c->id);
  fputs("</a> ", f);
  dp_report_html_text(f, c->title);
  fputs(": ", f);
  dp_report_html_text(f, d->condition);
  fputs("<span class=\"kind\">", f);
  dp_report_html_text(f, kind_label(d->kind));
  fputs("</span></h3>\n<p>", f);
  dp_report_html_text(f, d->summary);
  fputs("</p>\n<p><strong>Read as stated</strong>: \xE2\x80\x9C", f);
  dp_report_html_text(f, d->as_stated);
  fputs("\xE2\x80\x9D ", f);
  if (fd->failed) {
    fprintf(f, "fails on %u of the %u generated instances it applies to", fd->failed,
            fd->n - fd->skipped);
    if (fd->skipped)
      fprintf(f, " (%u more skipped: dpcheck's condition holds there, or the reading does not "
                 "apply)", fd->skipped);
  }
  if (fd->rows_failed) {
    fprintf(f, "%son %u of %u judged rows (figure ", fd->failed ? ", and " : "fails ",
            fd->rows_failed, fd->rows);
    dp_report_put_num(f, fd->row_min, DP_NUM_READ);
    if (fd->row_max != fd->row_min) {
      fputs(" to ", f);
      dp_report_put_num(f, fd->row_max, DP_NUM_READ);
    }
    fputs(")", f);
  }
  fputs(", judged by the rule figure ", f);
  h_probe_rule(f, d);
  fputs(". The claim as checked holds under: ", f);
  dp_report_html_text(f, d->condition);
  fputs(".</p>\n", f);
  if (fd->rows_failed && fd->row_what[0] != '\0') {
    fputs("<p>Real text: ", f);
    dp_report_html_text(f, fd->row_what);
    fputs("</p>\n", f);
  }
  if (fd->has_cex) {
    const struct dp_cex *x = &fd->cex;
    fputs("<p><strong>Smallest counterexample</strong> (", f);
    dp_report_html_text(f, x->sizes_min);
    fputs("): ", f);
    dp_report_html_text(f, x->what);
    fputs("</p>\n<details><summary>the instance, exactly, and how it was found</summary>\n", f);
    if (x->instance != NULL) {
      fputs("<pre>", f);
      dp_report_html_text(f, x->instance);
      fputs("</pre>\n", f);
    }
    fprintf(f, "<p>Trial %u, replay seed %" PRIu64 ", shrunk in %u step%s from ", x->trial,
            x->replay_seed, x->steps, x->steps == 1 ? "" : "s");
    dp_report_html_text(f, x->sizes);
    if (x->trail[0] != '\0') {
      fputs(" by: ", f);
      dp_report_html_text(f, x->trail);
    }
    fputs(".</p>\n</details>\n<p>Replay: <code>", f);
    dp_report_html_text(f, x->replay);
    fputs("</code></p>\n", f);
  }
  fputs("</div>\n", f);
}

/* The findings block: every finding the run showed, in claim order. */
static void h_findings(FILE *f, const struct dp_run *run, const struct dp_totals *tot)
{
  fputs("<section id=\"findings\">\n<h2>Findings</h2>\n", f);
  unsigned declared = 0;
  for (size_t i = 0; i < run->nres; i++)
    declared += run->res[i].nfindings;
  if (tot->findings == 0)
    fprintf(f, "<p>No finding: on this run every claim holds as dpcheck states it, and none of "
               "the %u declared findings was shown (each needs an instance on which the "
               "paper's reading fails).</p>\n", declared);
  else
    fprintf(f, "<p>Where the paper's claims, read as written, need a condition the paper does "
               "not state, hold only once restated, or overstate: each is shown by this run on "
               "the claim's own instances (the smallest failing one printed), not assumed. "
               "%u shown of %u declared.</p>\n", tot->findings, declared);
  for (size_t i = 0; i < run->nres; i++)
    for (unsigned k = 0; k < run->res[i].nfindings; k++)
      if (run->res[i].findings[k].shown)
        h_finding(f, &run->res[i], &run->res[i].findings[k]);
  /* declared but not shown: the reader is told, not left to guess */
  int any = 0;
  for (size_t i = 0; i < run->nres; i++)
    for (unsigned k = 0; k < run->res[i].nfindings; k++) {
      const struct dp_finding *fd = &run->res[i].findings[k];
      if (fd->shown)
        continue;
      if (!any++)
        fputs("<p>Not shown by this run (no instance on which the paper's reading fails; more "
              "trials or larger sizes may reach one):</p>\n<ul>\n", f);
      fputs("<li><a href=\"#", f);
      dp_report_html_text(f, run->res[i].claim->id);
      fputs("\">", f);
      dp_report_html_text(f, run->res[i].claim->id);
      fputs("</a>: ", f);
      dp_report_html_text(f, fd->def->condition);
      fprintf(f, " (probed on %u instances, %u skipped)</li>\n", fd->n, fd->skipped);
    }
  if (any)
    fputs("</ul>\n", f);
  fputs("</section>\n", f);
}

/* What the run did not check, and why. */
static void h_not_checked(FILE *f, const struct dp_run *run)
{
  fputs("<section id=\"not-checked\">\n<h2>Not checked</h2>\n", f);
  if (run->ngaps == 0) {
    fputs("<p>Nothing recorded.</p>\n</section>\n", f);
    return;
  }
  fputs("<dl class=\"gaps\">\n", f);
  for (size_t i = 0; i < run->ngaps; i++)
    h_meta(f, run->gaps[i].what, run->gaps[i].why);
  fputs("</dl>\n</section>\n", f);
}

/* A tier's cell: its verdict (or "n/a"), with its instances for the exact and float tiers and
 * its reason as the cell's title; the claim's section gives the reason whole. */
static void h_tier_cell(FILE *f, const struct dp_result *r, enum dp_tier k)
{
  const struct dp_tier_result *t = &r->tiers[k];
  if (!t->applies) {
    fputs("<td class=\"na\" title=\"", f);
    dp_report_html_text(f, t->reason);
    fputs("\">n/a</td>", f);
    return;
  }
  fprintf(f, "<td class=\"%s\" title=\"", verdict_class(t->verdict));
  dp_report_html_text(f, t->reason);
  fprintf(f, "\">%s", dp_verdict_name(t->verdict));
  if (k == DP_TIER_FLOAT) {
    fputs("<br><small>", f);
    h_counts(f, r);
    if (r->thin)
      fputs(" (thin)", f);
    fputs("</small>", f);
  } else if (k == DP_TIER_EXACT) {
    fprintf(f, "<br><small>%u of %u%s</small>", t->pass, t->n,
            r->claim->exact && r->claim->exact->kind == DP_EXACT_CERTIFIED ? " certified"
                                                                           : " exact");
  } else {
    fprintf(f, "<br><small>%u of %u proved</small>", t->pass, t->n);
  }
  fputs("</td>", f);
}

/* The verdict cell: PASS (as stated), PASS (under conditions, linked to the findings), or
 * the verdict. */
static void h_verdict_cell(FILE *f, const struct dp_result *r)
{
  const char *standing = dp_result_standing(r);
  if (strcmp(standing, "under_conditions") == 0) {
    fputs("<td class=\"cond\">PASS<br>under conditions:", f);
    for (unsigned k = 0; k < r->nfindings; k++)
      if (r->findings[k].shown) {
        fputs(" <a href=\"#", f);
        h_finding_id(f, r->claim, r->findings[k].def);
        fputs("\">finding</a>", f);
      }
    fputs("</td>", f);
  } else {
    fprintf(f, "<td class=\"%s\">%s%s</td>", verdict_class(r->verdict),
            dp_verdict_name(r->verdict), r->verdict == DP_PASS ? "<br>as stated" : "");
    /* (a loose bound shown still holds as stated: the holds-under cell links it) */
  }
}

static void h_summary_row(FILE *f, const struct dp_result *r, const struct dp_sizes *sz)
{
  const struct dp_claim *c = r->claim;
  fprintf(f, "<tr><td><a href=\"#%s\">%s</a></td><td class=\"title\">", c->id, c->id);
  dp_report_html_text(f, c->title);
  fputs("<small>", f);
  dp_report_html_text(f, c->paper_ref);
  fputs("</small></td><td>", f);
  dp_report_html_text(f, c->holds_under != NULL ? c->holds_under : "as stated");
  /* and what this run showed the claim needs beyond it (its findings), each linked */
  for (unsigned k = 0; k < r->nfindings; k++) {
    const struct dp_finding *fd = &r->findings[k];
    if (!fd->shown)
      continue;
    fputs(fd->def->kind == DP_FINDING_LOOSE ? "<br>loose: <a href=\"#" : "<br>and: <a href=\"#",
          f);
    h_finding_id(f, c, fd->def);
    fputs("\">", f);
    dp_report_html_text(f, fd->def->condition);
    fputs("</a>", f);
  }
  if (r->nskip)
    fprintf(f, " <small>(%u skipped: premise not met)</small>", r->nskip);
  fputs("</td>", f);
  h_verdict_cell(f, r);
  h_tier_cell(f, r, DP_TIER_FORMAL);
  h_tier_cell(f, r, DP_TIER_EXACT);
  h_tier_cell(f, r, DP_TIER_FLOAT);
  fputs("<td class=\"num\">", f);
  dp_report_put_num(f, r->worst, DP_NUM_READ);
  fputs("<br><small>", f);
  h_rule(f, c);
  fputs(", margin \xC3\x97", f);
  dp_report_put_num(f, dp_claim_margin(c, r->worst), DP_NUM_READ);
  fputs("</small>", f);
  /* counted on the instances the twin did not skip (it skips where it cannot differ) */
  char of[64];
  unsigned ran = r->twin_n - r->twin_skip;
  if (r->twin_skip)
    snprintf(of, sizeof of, "%u of %u, %u skipped", r->twin_rejected, ran, r->twin_skip);
  else
    snprintf(of, sizeof of, "%u of %u", r->twin_rejected, ran);
  if (r->twin_row_defect)
    fprintf(f, "</td><td class=\"fail\">no: harness defect (a judged row; %s)</td></tr>\n", of);
  else if (r->tiers[DP_TIER_EXACT].twin_defect)
    fprintf(f, "</td><td class=\"fail\">no: harness defect in the exact tier (float: %s)</td>"
               "</tr>\n", of);
  else if (r->twin_ok)
    fprintf(f, "</td><td class=\"pass\">yes (%s)</td></tr>\n", of);
  else if (r->twin_defect)
    fprintf(f, "</td><td class=\"fail\">no: harness defect (%s)</td></tr>\n", of);
  else if (r->twin_untestable) {
    fprintf(f, "</td><td class=\"skip\">no (%s): ", of);
    h_twin_untestable(f, sz);
    fputs("</td></tr>\n", f);
  } else
    fprintf(f, "</td><td class=\"skip\">no (%s: too few to judge)</td></tr>\n", of);
}

/* The table of contents: the blocks, every claim, the files beside the page, the paper. */
static void h_toc(FILE *f, const struct dp_run *run)
{
  fputs("<nav id=\"toc\">\n<strong>Contents</strong>\n<ul>\n"
        "<li><a href=\"#findings\">Findings</a></li>\n"
        "<li><a href=\"#not-checked\">Not checked</a></li>\n"
        "<li><a href=\"#summary-section\">Summary</a></li>\n", f);
  for (size_t i = 0; i < run->nres; i++) {
    const struct dp_claim *c = run->res[i].claim;
    fprintf(f, "<li><a href=\"#%s\">%s ", c->id, c->id);
    dp_report_html_text(f, c->title);
    fputs("</a></li>\n", f);
  }
  fputs("<li><a href=\"#run\">The run</a></li>\n"
        "<li><a href=\"residuals.json\">residuals.json</a> (every figure, machine-readable)</li>\n",
        f);
  fputs("<li>per-claim figures (TSV):", f);
  for (size_t i = 0; i < run->nres; i++)
    fprintf(f, " <a href=\"%s.tsv\">%s</a>", run->res[i].claim->id, run->res[i].claim->id);
  fputs("</li>\n<li><a href=\"coverage/index.html\">test coverage</a> (written beside this page "
        "by <code>make check</code> in a coverage build)</li>\n"
        "<li><a href=\"https://arxiv.org/abs/2511.13780\">the paper on arXiv</a> "
        "(2511.13780)</li>\n</ul>\n</nav>\n", f);
}

static int html_fill(FILE *f, const void *ctx)
{
  const struct dp_run *run = ctx;
  char seed[24], buf[160];
  snprintf(seed, sizeof seed, "%" PRIu64, run->opts.master);
  struct dp_totals tot;
  dp_totals_count(run->res, run->nres, &tot);

  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>dpcheck report: Self-Attention as Distributional Projection</title>\n"
        "<style>\n", f);
  fputs(html_css, f);
  fputs("</style>\n</head>\n<body>\n<header>\n<h1>dpcheck report</h1>\n"
        "<p>Claims of \xE2\x80\x9CSelf-Attention as Distributional Projection\xE2\x80\x9D "
        "(N. Mehta, <a href=\"https://arxiv.org/abs/2511.13780\">arXiv 2511.13780</a>), each "
        "checked on generated instances and against its false twin: a plausible wrong variant "
        "that the same check must reject.</p>\n", f);
  /* the verdict at a glance: how many claims hold as stated, how many only under conditions */
  fprintf(f, "<p class=\"banner %s\" id=\"banner\">%u claim%s: %u hold%s as stated, %u hold%s "
             "under stated conditions, %u fail%s",
          dp_totals_ok(&tot) ? (tot.conditional ? "cond" : "pass") : "fail", tot.claims,
          tot.claims == 1 ? "" : "s", tot.as_stated, tot.as_stated == 1 ? "s" : "",
          tot.conditional, tot.conditional == 1 ? "s" : "", tot.fail,
          tot.fail == 1 ? "s" : "");
  if (tot.skip)
    fprintf(f, ", %u skipped", tot.skip);
  if (tot.error)
    fprintf(f, ", %u error%s", tot.error, tot.error == 1 ? "" : "s");
  fputs("</p>\n", f);
  fprintf(f, "<p class=\"runline\">%u harness defect%s (twin never rejected), %u thin (tested "
             "on too few instances); %u finding%s. Seed %s, ",
          tot.twin_defects, tot.twin_defects == 1 ? "" : "s", tot.thin, tot.findings,
          tot.findings == 1 ? "" : "s", seed);
  if (run->opts.trials > 0)
    fprintf(f, "%u trials per claim, ", run->opts.trials);
  else
    fputs("each claim's default trials, ", f);
  fputs("corpus: ", f);
  dp_report_html_text(f, run->corpus);
  fputs(".</p>\n", f);
  h_toc(f, run);
  fputs("</header>\n<main>\n", f);
  h_findings(f, run, &tot);
  h_not_checked(f, run);

  fputs("<section id=\"summary-section\">\n<h2>Summary</h2>\n<table id=\"summary\">\n<thead><tr>"
        "<th>id</th><th>claim</th><th>holds under</th><th>verdict</th><th>formal</th>"
        "<th>exact</th><th>float</th><th>worst figure</th><th>twin rejected</th></tr></thead>"
        "\n<tbody>\n", f);
  for (size_t i = 0; i < run->nres; i++)
    h_summary_row(f, &run->res[i], &run->opts.sizes);
  fprintf(f, "</tbody>\n</table>\n<p class=\"caption\">Holds under: the claim's premise in a "
        "few words (its section gives it whole), with the instances skipped for not meeting "
        "it. Verdict: PASS as stated, or PASS under conditions where the run showed a finding "
        "above. The tiers, strongest first: formal, a Coq proof the build compiled (no axiom, "
        "no admitted lemma); exact, the identity in exact integer arithmetic (a polynomial "
        "identity test) or the inequality by certified enclosures; float, the figures in double "
        "precision under the threshold, with the instances' counts; n/a where a tier does not "
        "apply (hover for why; the section says it whole). Worst figure: the largest test ratio, or "
        "the most negative relative slack, over the measured instances (n/a when none was "
        "measured), with the rule an instance must meet and the margin, how many times the "
        "threshold is from it; "
        "thin: in a run of %d instances or more, the claim was measured on fewer than %.0f%% "
        "of them, or one of its parts or its twin on fewer than %.0f%%. A claim passes when no "
        "instance fails or errs and at least one passes; a skipped instance does not meet the "
        "claim's premise. Twin "
        "rejected: on how many of the same instances the false twin failed, of those it did "
        "not skip (it skips where it cannot differ from the claim); a twin never rejected on "
        "%d or more of them is a harness defect.</p>\n</section>\n",
          DP_COVERAGE_MIN_INSTANCES, 100 * DP_MIN_MEASURED_SHARE, 100 * DP_MIN_PART_SHARE,
          DP_TWIN_MIN_INSTANCES);
  for (size_t i = 0; i < run->nres; i++)
    h_section(f, &run->res[i], &run->opts.sizes, run->opts.formal);

  fputs("<section id=\"run\">\n<h2>The run</h2>\n<dl class=\"meta\">\n", f);
  h_meta(f, "dpcheck", PACKAGE_VERSION);
  h_meta(f, "seed", seed);
  if (run->opts.trials > 0)
    snprintf(buf, sizeof buf, "%u per claim", run->opts.trials);
  else
    snprintf(buf, sizeof buf, "each claim's default");
  h_meta(f, "trials", buf);
  int k = snprintf(buf, sizeof buf, "R \xE2\x89\xA4 %zu, V \xE2\x89\xA4 %zu",
                   run->opts.sizes.R_max, run->opts.sizes.V_max);
  if (run->opts.sizes.dk_max && k > 0 && (size_t)k < sizeof buf)
    snprintf(buf + k, sizeof buf - (size_t)k, ", d_k \xE2\x89\xA4 %zu", run->opts.sizes.dk_max);
  h_meta(f, "sizes", buf);
  h_meta(f, "date", run->date[0] != '\0' ? run->date : "none (deterministic report)");
  h_meta(f, "compiler", dp_report_compiler());
  h_meta(f, "GSL", dp_report_gsl());
  h_meta(f, "BLAS", dp_report_blas());
  h_meta(f, "FLINT", dp_report_flint());
  h_meta(f, "Check", dp_report_check());
  h_meta(f, "machine", run->machine);
  h_meta(f, "corpus", run->corpus);
  fputs("<dt>tolerances</dt><dd>ratio \xE2\x89\xA4 ", f);
  dp_report_put_num(f, DP_TOL_RATIO, DP_NUM_READ);
  fputs(" (DP_TOL_RATIO), slack \xE2\x89\xA5 \xE2\x88\x92", f);
  dp_report_put_num(f, DP_TOL_SLACK, DP_NUM_READ);
  fprintf(f, " (DP_TOL_SLACK)</dd>\n</dl>\n<p>Totals: %u claim%s: %u pass, %u fail, %u skip, "
             "%u error; %u harness defect%s; %u thin.</p>\n</section>\n"
             "</main>\n</body>\n</html>\n",
          tot.claims, tot.claims == 1 ? "" : "s", tot.pass, tot.fail, tot.skip, tot.error,
          tot.twin_defects, tot.twin_defects == 1 ? "" : "s", tot.thin);
  return GSL_SUCCESS;
}

int dp_report_html(const struct dp_run *run, const char *path)
{
  return dp_report_atomic_run(path, html_fill, run);
}
