/* progress.c: progress lines of the long stages (progress.h).
 *
 * The corpus reader and the counter take a progress pointer (cooc.h: dp_corpus_read_p,
 * dp_cooc_count_p) so that a run on a large corpus says what it is doing; nothing here
 * touches what is measured. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "progress.h"

/* Redraws of the tty line are at least this many seconds apart. */
#define DP_PROGRESS_REDRAW 0.1

struct dp_progress {
  FILE *f;
  int tty;
  int open;     /* a stage is running */
  int drawn;    /* tty: a progress line is on screen */
  char stage[96];
  char unit[16];
  size_t total, done;
  double t0;    /* the stage's start */
  double drawn_at;
};

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void copy(char *dst, size_t cap, const char *src)
{
  size_t n = src ? strlen(src) : 0;
  if (n >= cap)
    n = cap - 1;
  if (n)
    memcpy(dst, src, n);
  dst[n] = '\0';
}

struct dp_progress *dp_progress_new(FILE *f, int tty)
{
  struct dp_progress *p = calloc(1, sizeof *p);
  if (!p) {
    DP_ERROR(GSL_ENOMEM, "dp_progress_new: out of memory");
    return NULL;
  }
  p->f = f;
  p->tty = tty != 0;
  return p;
}

void dp_progress_free(struct dp_progress *p)
{
  free(p);
}

/* A count with a decimal prefix (k, M, G): 1234567 -> "1.23M". */
static void human(char *buf, size_t cap, double x)
{
  static const char pre[] = " kMGT";
  int k = 0;
  while (x >= 1000.0 && k < 4) {
    x /= 1000.0;
    k++;
  }
  if (k == 0)
    snprintf(buf, cap, "%.0f", x);
  else
    snprintf(buf, cap, "%.2f%c", x, pre[k]);
}

/* The tty line: stage, share of the total (or the count), rate. */
static void draw(struct dp_progress *p, double t)
{
  char done[32], total[32], rate[32];
  double el = t - p->t0;
  human(done, sizeof done, (double)p->done);
  human(rate, sizeof rate, el > 0.0 ? (double)p->done / el : 0.0);
  if (!p->unit[0]) /* a stage that does not count its work: its name and the time so far */
    fprintf(p->f, "\rdpcheck: %s ... %.0f s\033[K", p->stage, el);
  else if (p->total > 0) {
    double share = 100.0 * (double)p->done / (double)p->total;
    human(total, sizeof total, (double)p->total);
    fprintf(p->f, "\rdpcheck: %s: %5.1f%% (%s of %s %s, %s %s/s)\033[K", p->stage,
            share > 100.0 ? 100.0 : share, done, total, p->unit, rate, p->unit);
  } else
    fprintf(p->f, "\rdpcheck: %s: %s %s (%s %s/s)\033[K", p->stage, done, p->unit, rate,
            p->unit);
  fflush(p->f);
  p->drawn = 1;
  p->drawn_at = t;
}

void dp_progress_stage(struct dp_progress *p, const char *stage, size_t total, const char *unit)
{
  if (!p || !p->f)
    return;
  if (p->open)
    dp_progress_end(p, "interrupted");
  copy(p->stage, sizeof p->stage, stage ? stage : "stage");
  copy(p->unit, sizeof p->unit, unit ? unit : "");
  p->total = total;
  p->done = 0;
  p->open = 1;
  p->t0 = now();
  if (p->tty)
    draw(p, p->t0);
}

void dp_progress_tick(struct dp_progress *p, size_t done)
{
  if (!p || !p->f || !p->open)
    return;
  p->done = done;
  if (!p->tty)
    return;
  double t = now();
  if (t - p->drawn_at >= DP_PROGRESS_REDRAW)
    draw(p, t);
}

void dp_progress_drop(struct dp_progress *p)
{
  if (!p || !p->f || !p->open)
    return;
  if (p->tty && p->drawn) {
    fputs("\r\033[K", p->f);
    fflush(p->f);
  }
  p->open = 0;
  p->drawn = 0;
}

void dp_progress_end(struct dp_progress *p, const char *fmt, ...)
{
  if (!p || !p->f || !p->open)
    return;
  char sum[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sum, sizeof sum, fmt ? fmt : "", ap);
  va_end(ap);
  /* one line: a newline in the summary would break the one-line-per-stage form */
  for (char *s = sum; *s; s++)
    if ((unsigned char)*s < 0x20)
      *s = ' ';
  double el = now() - p->t0;
  fprintf(p->f, "%sdpcheck: %s: %s (%.2f s)\n", p->tty && p->drawn ? "\r\033[K" : "",
          p->stage, sum, el);
  fflush(p->f);
  p->open = 0;
  p->drawn = 0;
}
