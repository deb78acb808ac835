/* term.h: the terminal table of `dpcheck verify`, rendered from stored results like the rest
 * of the report, so that a test can pin its lines on a planted claim.
 *
 * By default one line per claim that fits in 100 columns (id, title cut to fit, counts, worst
 * figure, threshold, verdict, the false twin's state), and under a FAIL or ERROR claim the
 * one or two lines a reviewer acts on: the first counterexample's replay command, or the
 * error's reason.  Verbose: under each line its details (worst figure, parts, coverage, the
 * twin's counts, the judged rows), and after the table every counterexample and twin witness
 * with its replay command and minimal instance. */
#ifndef DP_TERM_H
#define DP_TERM_H

#include <stdio.h>
#include "claim.h"

/* Columns of a claim's line; the title is cut to DP_TERM_TITLE characters. */
#define DP_TERM_WIDTH 100
#define DP_TERM_TITLE 24

/* The line of column heads. */
void dp_term_head(FILE *f);
/* A claim's line; then, verbose, its details, else the FAIL or ERROR lines to act on. */
void dp_term_claim(FILE *f, const struct dp_result *r, int verbose);
/* After the table, verbose: every claim's counterexamples, error, twin witness and twin
 * defect; sz: the run's sizes, named when a twin was not testable at them. */
void dp_term_after(FILE *f, const struct dp_result *res, size_t n, const struct dp_sizes *sz,
                   int verbose);
/* One counterexample: sizes as generated and minimal, shrink trail, failing part, replay
 * command and, up to max_lines lines of it, the minimal instance (0: none). */
void dp_term_cex(FILE *f, const char *label, const struct dp_cex *x, unsigned max_lines);
/* The totals line: "18 claims: 18 pass, 0 fail, 0 skip, 0 error, 0 twin defects, 0 thin". */
void dp_term_totals(FILE *f, const struct dp_totals *t);
/* The line after it: "13 hold as stated, 5 under stated conditions (5 findings)". */
void dp_term_standing(FILE *f, const struct dp_totals *t);
/* The findings the run showed (nothing when none), a line each cut to DP_TERM_WIDTH, with the
 * smallest counterexample's sizes (or the failing rows) on the next; the report has them
 * whole. */
void dp_term_findings(FILE *f, const struct dp_result *res, size_t n, const struct dp_totals *t);

#endif
