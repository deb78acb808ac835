/* tsv.c: one <id>.tsv per claim, for a spreadsheet or a script: a header line, then one line
 * per trial with the claim's figure and verdict and its false twin's on the same instance
 * ("%.17g", NaN, Inf, -Inf; NaN and NA where one side ran fewer trials). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "atomic.h"
#include "err.h"
#include "report.h"
#include "report_int.h"

static int tsv_fill(FILE *f, const void *ctx)
{
  const struct dp_result *r = ctx;
  unsigned n = r->n > r->twin_n ? r->n : r->twin_n;
  fputs("trial\tfigure\tverdict\ttwin_figure\ttwin_verdict\n", f);
  for (unsigned t = 0; t < n; t++) {
    fprintf(f, "%u\t", t);
    if (t < r->n) {
      dp_report_put_num(f, r->figures[t], DP_NUM_TSV);
      fprintf(f, "\t%s\t", dp_verdict_name(r->verdicts[t]));
    } else
      fputs("NaN\tNA\t", f);
    if (t < r->twin_n) {
      dp_report_put_num(f, r->twin_figures[t], DP_NUM_TSV);
      fprintf(f, "\t%s\n", dp_verdict_name(r->twin_verdicts[t]));
    } else
      fputs("NaN\tNA\n", f);
  }
  return GSL_SUCCESS;
}

int dp_report_tsv(const struct dp_run *run, const char *dir)
{
  if (dir == NULL || dir[0] == '\0')
    return DP_ERROR(GSL_EINVAL, "report: no directory given for the TSV files");
  int status = dp_report_check_run(run, dir);
  if (status != GSL_SUCCESS)
    return status;
  for (size_t i = 0; i < run->nres; i++) {
    char *path = dp_report_path_join(dir, run->res[i].claim->id, ".tsv");
    if (path == NULL)
      return DP_ERROR(GSL_ENOMEM, "%s: out of memory for a file name", dir);
    status = dp_atomic_write(path, tsv_fill, &run->res[i]);
    free(path);
    if (status != GSL_SUCCESS)
      return status;
  }
  return GSL_SUCCESS;
}
