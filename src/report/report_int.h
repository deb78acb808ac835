/* report_int.h: what the files of the report share, and nothing outside src/report/ includes
 * (the public interface is report.h).  The report is split by concern: run.c checks a run
 * before anything is written and names its states, versions.c names the libraries, text.c
 * escapes strings (one UTF-8 walker for JSON and HTML) and formats numbers (one formatter, in
 * styles), files.c makes the directories and writes each file through the engine's atomic
 * writer (atomic.h), json.c, tsv.c and html.c write the three kinds of file, and svg.c draws
 * the pictures the page embeds.  The same run gives the same bytes in every file, run.date
 * aside. */
#ifndef DP_REPORT_INT_H
#define DP_REPORT_INT_H

#include <stdio.h>
#include "claim.h"
#include "report.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* s, or "" for NULL. */
static inline const char *dp_report_str(const char *s) { return s != NULL ? s : ""; }

/* --- run.c ------------------------------------------------------------------------------ */

/* GSL_SUCCESS if run can be written; otherwise GSL_EINVAL with the reason recorded
 * (DP_ERROR), prefixed by what (a path, or "report"). */
int dp_report_check_run(const struct dp_run *run, const char *what);
/* "measured", "not_applicable", "broken". */
const char *dp_report_measure_name(enum dp_measure m);

/* --- files.c ---------------------------------------------------------------------------- */

/* The run checked (dp_report_check_run), then fill(f, run) written to path atomically. */
int dp_report_atomic_run(const char *path, int (*fill)(FILE *f, const void *ctx),
                         const struct dp_run *run);
/* dir "/" name ext, without a doubled '/'; malloc'ed, NULL when out of memory. */
char *dp_report_path_join(const char *dir, const char *name, const char *ext);

/* --- text.c ----------------------------------------------------------------------------- */

/* s as a JSON string, quotes included. */
void dp_report_json_string(FILE *f, const char *s);
/* s as HTML text or an attribute value (NULL as nothing). */
void dp_report_html_text(FILE *f, const char *s);

/* How a number is written: "%.17g" (round trip) or "%.6g" (for reading), and the spelling
 * of NaN, of the infinities and, for a reader, of DP_RATIO_FAIL ("1/ε (not measurable)"). */
enum dp_num_style {
  DP_NUM_JSON,  /* %.17g; NaN and infinities null */
  DP_NUM_TSV,   /* %.17g; NaN, Inf, -Inf */
  DP_NUM_PLAIN, /* %.6g; NaN, Inf, -Inf: a plot's ticks and data */
  DP_NUM_READ,  /* %.6g; n/a, +∞, −∞, and DP_RATIO_FAIL by name: a figure for reading */
  DP_NUM_EXACT  /* %.17g, the special values as DP_NUM_READ: a figure exactly, on the page */
};
/* Room for any number in any style. */
#define DP_NUM_BUF 48
/* x in the given style into buf (n bytes), with a '.' whatever the locale; returns buf. */
const char *dp_report_num(char *buf, size_t n, double x, enum dp_num_style style);
/* The same, written to f. */
void dp_report_put_num(FILE *f, double x, enum dp_num_style style);

/* --- svg.c ------------------------------------------------------------------------------ */

/* The figure of a claim's and its twin's figures on a log10 axis, with its caption. */
void dp_report_svg_strip(FILE *f, const struct dp_result *r);
/* Plot k (from 0) of claim id: a <figure> with its caption, the SVG and a data table. */
void dp_report_svg_plot(FILE *f, const struct dp_plot *p, const char *id, size_t k);

#endif
