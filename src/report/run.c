/* run.c: what the report accepts as a run, and the names of a run's states.  Every writer
 * checks its run first (dp_report_check_run): claims with plain, distinct ids (an id names a
 * file and an HTML anchor), arrays wherever counts say there are elements, tables and plots
 * within their bounds; so the writers can trust what they read, and a malformed run is
 * refused with a message instead of half a report. */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "err.h"
#include "report.h"
#include "report_int.h"

const char *dp_report_measure_name(enum dp_measure m)
{
  switch (m) {
  case DP_MEASURED: return "measured";
  case DP_NOT_APPLICABLE: return "not_applicable";
  case DP_BROKEN: return "broken";
  }
  return "unknown";
}

/* A claim id names a file (<id>.tsv) and an HTML id: letters, digits, '_', '-', '.'. */
static int id_ok(const char *id)
{
  if (id == NULL || id[0] == '\0' || id[0] == '.' || strlen(id) > 64 || strcmp(id, "summary") == 0)
    return 0;
  for (const char *p = id; *p; p++) {
    char ch = *p;
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
          ch == '_' || ch == '-' || ch == '.'))
      return 0;
  }
  return 1;
}

int dp_report_check_run(const struct dp_run *run, const char *what)
{
  if (run == NULL)
    return DP_ERROR(GSL_EINVAL, "%s: no run given", what);
  if (run->nres > 0 && run->res == NULL)
    return DP_ERROR(GSL_EINVAL, "%s: %zu results but no result array", what, run->nres);
  for (size_t i = 0; i < run->nres; i++) {
    const struct dp_result *r = &run->res[i];
    if (r->claim == NULL)
      return DP_ERROR(GSL_EINVAL, "%s: result %zu has no claim", what, i);
    if (!id_ok(r->claim->id))
      return DP_ERROR(GSL_EINVAL, "%s: result %zu: claim id '%s' is not a plain name", what, i,
                      dp_report_str(r->claim->id));
    if ((r->n > 0 && (r->figures == NULL || r->verdicts == NULL)) ||
        (r->twin_n > 0 && (r->twin_figures == NULL || r->twin_verdicts == NULL)) ||
        (r->ncex > 0 && r->cex == NULL) || r->ncases > sizeof r->cases / sizeof r->cases[0])
      return DP_ERROR(GSL_EINVAL, "%s: result %s is inconsistent (counts without arrays)", what,
                      r->claim->id);
    const struct dp_evidence *x = &r->evidence;
    if ((x->ntables > 0 && x->tables == NULL) || (x->nplots > 0 && x->plots == NULL))
      return DP_ERROR(GSL_EINVAL, "%s: result %s: tables or plots counted but missing", what,
                      r->claim->id);
    for (size_t k = 0; k < x->ntables; k++) {
      const struct dp_table *t = &x->tables[k];
      if (t->ncol == 0 || t->ncol > DP_TABLE_MAXCOL || (t->nrow > 0 && t->cell == NULL))
        return DP_ERROR(GSL_EINVAL, "%s: result %s: table %zu is malformed (%zu columns, "
                        "%zu rows)", what, r->claim->id, k + 1, t->ncol, t->nrow);
    }
    for (size_t k = 0; k < x->nplots; k++) {
      const struct dp_plot *p = &x->plots[k];
      int bad = p->nseries > DP_PLOT_MAXSERIES;
      for (size_t j = 0; !bad && j < p->nseries; j++)
        bad = p->series[j].n > 0 && (p->series[j].x == NULL || p->series[j].y == NULL);
      if (bad)
        return DP_ERROR(GSL_EINVAL, "%s: result %s: plot %zu is malformed (series without "
                        "points, or more than %d series)", what, r->claim->id, k + 1,
                        DP_PLOT_MAXSERIES);
    }
    for (size_t j = 0; j < i; j++)
      if (strcmp(run->res[j].claim->id, r->claim->id) == 0)
        return DP_ERROR(GSL_EINVAL, "%s: claim %s appears twice", what, r->claim->id);
  }
  return GSL_SUCCESS;
}
