/* scope.c: the report's "Not checked" list.  A reviewer reads the verdicts against what was
 * left out, so the list is written with every run: first what of the paper no claim of the
 * register states (the same every run), then what this run's options or data left out. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "registry.h"
#include "scope.h"

/* Parts of the paper outside the register, in dpcheck's words. */
static const struct {
  const char *what, *why;
} outside[] = {
  {"Weights learned by training",
   "dpcheck builds the weights that realise the projection (C08, C10, C15-C17) and checks the "
   "identities they satisfy; whether trained Transformers reach such weights is an empirical "
   "question that no claim of the register states, and no trained model is loaded."},
  {"Proofs for every size",
   "Only the algebra is proved in Coq for every R, V and sequence (the formal tier: C02, C03, "
   "C05, C06, C07, C17, and parts of C14 and C16). The other claims and parts (C01, C04, "
   "C08-C13, C15, C18; C05's variants on symmetric S) are checked on instances (generated, "
   "exhaustive at small sizes, large structured cases, real text), not proved."},
  {"Exact and certified tiers at larger sizes",
   "The exact and certified tiers run on integer instances of their own with R, V, d, d_k <= 8 "
   "(larger ones cost more than they tell); the float tier's instances (up to R = 64, V = 200) "
   "and the real text are judged in double precision under tolerances."},
  {"A certified C13",
   "C13's figure is a statistic of Monte Carlo samples: enclosing its arithmetic in balls "
   "would certify the rounding, not the claim, which is about the distribution; so C13 has no "
   "exact or certified tier, only its statistical test at a stated confidence."},
  {"The rest of a Transformer block",
   "Residual connections, layer normalisation, the feed-forward network and stacked layers are "
   "outside the register: the claims are about one attention layer."},
  {"Softmax attention at beta = 1",
   "The small-signal expansion (C12) is a statement about small beta; how far softmax attention "
   "at beta = 1 is from the linear projection is measured and reported, not judged."},
  {"Interpretive readings",
   "What the paper makes of the algebra (attention as distributional projection, what heads "
   "capture) is interpretation, not a mathematical statement; only the formal statements of "
   "the register are checked."},
};

static void gap(struct dp_run *run, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void gap(struct dp_run *run, const char *what, const char *fmt, ...)
{
  if (run->ngaps >= DP_MAX_GAPS)
    return;
  struct dp_gap *g = &run->gaps[run->ngaps++];
  snprintf(g->what, sizeof g->what, "%s", what);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(g->why, sizeof g->why, fmt, ap);
  va_end(ap);
}

/* Append ", ID" to a list in buf. */
static void list_add(char *buf, size_t n, const char *id)
{
  size_t k = strlen(buf);
  if (k + 1 < n)
    snprintf(buf + k, n - k, "%s%s", k ? ", " : "", id);
}

void dp_scope_fill(struct dp_run *run)
{
  run->ngaps = 0;
  for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++)
    gap(run, outside[i].what, "%s", outside[i].why);

  char absent[200] = "";
  for (size_t k = 0; k < dp_nclaims; k++) {
    int ran = 0;
    for (size_t i = 0; i < run->nres && !ran; i++)
      ran = run->res[i].claim == dp_claims[k];
    if (!ran)
      list_add(absent, sizeof absent, dp_claims[k]->id);
  }
  if (absent[0] != '\0')
    gap(run, "Claims not in this run",
        "%s: not selected (--claim); a run of every claim is `dpcheck verify` without --claim.",
        absent);

  if (run->opts.env.corpus == NULL && run->opts.env.corpus_path == NULL) {
    char rows[200] = "";
    for (size_t i = 0; i < run->nres; i++)
      if (run->res[i].claim->cases != NULL && run->res[i].ncases == 0)
        list_add(rows, sizeof rows, run->res[i].claim->id);
    if (rows[0] != '\0')
      gap(run, "Real text",
          "No corpus in this run (--no-corpus, or none found): the real-text rows of %s were "
          "not run; the verdicts rest on generated instances%s.", rows,
          run->opts.env.text != NULL ? " (and C18 on the data given)" : "");
  }

  char skipped[200] = "", untestable[200] = "";
  for (size_t i = 0; i < run->nres; i++) {
    if (run->res[i].verdict == DP_SKIP)
      list_add(skipped, sizeof skipped, run->res[i].claim->id);
    if (run->res[i].twin_untestable)
      list_add(untestable, sizeof untestable, run->res[i].claim->id);
  }
  if (skipped[0] != '\0')
    gap(run, "Claims with no instance in their premise",
        "%s: every instance was skipped (SKIP, not a pass); larger sizes or more trials reach "
        "instances that meet the premise.", skipped);
  if (untestable[0] != '\0')
    gap(run, "False twins not testable at these sizes",
        "%s: the twin was never rejected on instances this small, so the run does not show "
        "that the check can fail; at the default sizes the harness-defect rule applies.",
        untestable);

  char thin[300] = "";
  for (size_t i = 0; i < run->nres; i++)
    if (run->res[i].thin) {
      char item[220];
      snprintf(item, sizeof item, "%s (%.200s)", run->res[i].claim->id, run->res[i].thin_what);
      list_add(thin, sizeof thin, item);
    }
  if (thin[0] != '\0')
    gap(run, "Tested on too few instances",
        "%s: measured on too few of the run's instances to count as tested (not a verdict); "
        "more trials or larger sizes reach them.", thin);
}
