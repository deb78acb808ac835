/* report.h: the residual report (reports/residuals.json, reports/index.html, one TSV per claim).
 *
 * Every file is written atomically (the engine's dp_atomic_write, atomic.h): to a temporary
 * file in the same directory, then renamed, so a reader never sees half a report.  The JSON
 * layout is versioned (DP_REPORT_SCHEMA) and documented in docs/residuals-schema.md; its only
 * non-deterministic field is run.date. */
#ifndef DP_REPORT_H
#define DP_REPORT_H

#include <stddef.h>
#include "claim.h"

#define DP_REPORT_SCHEMA "dpcheck-residuals/2"

/* Something the run did not check, and why (the "Not checked" list of the report). */
struct dp_gap {
  char what[160];
  char why[600];
};
#define DP_MAX_GAPS 16

struct dp_run {
  struct dp_run_opts opts;
  struct dp_result *res;
  size_t nres;
  struct dp_gap gaps[DP_MAX_GAPS]; /* what the run did not cover (scope.c fills it) */
  size_t ngaps;
  char date[40];       /* ISO 8601 UTC; "" for a deterministic report (DPCHECK_DATE=none) */
  char machine[256];   /* uname: sysname release machine */
  char corpus[512];    /* corpus path and size, or "none" */
};

/* Versions of what dpcheck was built with, as one string each. */
const char *dp_report_compiler(void);
const char *dp_report_gsl(void);
const char *dp_report_blas(void);
const char *dp_report_flint(void);
const char *dp_report_check(void);

int dp_report_json(const struct dp_run *run, const char *path);
int dp_report_html(const struct dp_run *run, const char *path);
int dp_report_tsv(const struct dp_run *run, const char *dir);
/* All three into dir (created if missing). */
int dp_report_write(const struct dp_run *run, const char *dir);

#endif
