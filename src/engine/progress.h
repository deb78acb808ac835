/* progress.h: progress of the long stages (reading a large corpus, counting it), on stderr.
 *
 * Reading GCIDE or counting its co-occurrences takes seconds to minutes; a stage reports how
 * far it is while it runs and what it did when it ends.  What is written is for a person
 * watching and never enters a report, so the wall time (clock_gettime(CLOCK_MONOTONIC)) it
 * prints costs no determinism.  It serves no claim by itself.
 *
 * Two forms:
 * - tty: one line redrawn in place ("\r", the text, then "\033[K" to clear the rest), at
 *   most about 10 times a second: the stage, the percentage of the total when it is known
 *   (else the count), and the rate; at the end of the stage the line is cleared and the
 *   stage's summary line written in its place, terminated by a newline.
 * - not a tty (a log): nothing while a stage runs, and when it ends exactly one line,
 *   "dpcheck: <stage>: <summary> (<seconds> s)".
 * A NULL progress, or one made with f = NULL, writes nothing: every call is a no-op.  A
 * stage begun while another is open ends the open one first (summary "interrupted"). */
#ifndef DP_PROGRESS_H
#define DP_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

struct dp_progress;

/* f: where to write (NULL: silent); tty: redraw one line in place, else one line per stage.
 * Returns NULL, which is silent too, when the allocation fails (GSL_ENOMEM recorded). */
struct dp_progress *dp_progress_new(FILE *f, int tty);
void dp_progress_free(struct dp_progress *p);
/* Begin a stage: its name (at most 95 bytes kept), the total of its work (0: unknown) and
 * the unit of that work ("bytes", "offsets"; at most 15 bytes kept; NULL: a stage that does
 * not count its work, shown on a tty as its name and the seconds so far). */
void dp_progress_stage(struct dp_progress *p, const char *stage, size_t total, const char *unit);
/* done units of the stage's work are done (not an increment). */
void dp_progress_tick(struct dp_progress *p, size_t done);
/* End the stage with a summary (printf format); a no-op when no stage is open. */
void dp_progress_end(struct dp_progress *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Close the open stage without a summary (a tty's line is cleared): the stage failed, and its
 * caller reports why in one line of its own (bad input is one line, never two). */
void dp_progress_drop(struct dp_progress *p);
#endif
