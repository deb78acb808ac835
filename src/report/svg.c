/* svg.c: the pictures of the page, as inline SVG.  The strip plot shows every figure of a claim
 * and of its false twin on one log10 axis, against the dashed tolerance line, green within it
 * and red beyond.  The line plots draw a claim's own series (struct dp_plot): linear or log
 * axes with 1-2-5 or decade ticks, one Okabe-Ito colour a series, dashed reference lines over
 * the measurements, markers where a series is short or sits on one spot, a legend, and the
 * numbers behind the picture in a table under <details>.  Both bound their output whatever the
 * number of points: the strip plot keeps one dot per half unit of x, lane and verdict, a line
 * plot four points per half-pixel column. */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "report.h"
#include "report_int.h"

/* A line from (x1, y1) to (x2, y2), styled by its group. */
static void svg_line(FILE *f, double x1, double y1, double x2, double y2)
{
  fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x1, y1, x2, y2);
}

/* ---------------------------------------------------------------------------------------- */
/* Strip plot: a claim's figures and its twin's                                             */

/* Strip plot geometry (SVG user units). */
#define SP_W 720.0
#define SP_H 112.0
#define SP_LEFT 58.0     /* row labels */
#define SP_FLOOR 68.0    /* x of figures <= 0 */
#define SP_X0 104.0      /* lowest decade */
#define SP_X1 700.0      /* last decade */
#define SP_YC 24.0       /* claim row */
#define SP_YT 56.0       /* twin row */
#define SP_YAXIS 78.0
#define SP_LANES 5

/* The plotted value: a ratio as it is, a slack as its violation -slack, so that in both
 * cases the claim holds left of the tolerance line and fails right of it. */
static double sp_value(const struct dp_claim *c, double x)
{
  return c->tol_kind == DP_JUDGE_SLACK ? -x : x;
}

struct sp_axis {
  int lo, hi; /* decades */
};

static double sp_x(const struct sp_axis *a, double v)
{
  if (!(v > 0))
    return SP_FLOOR;
  if (isinf(v))
    return SP_X1;
  double t = (log10(v) - a->lo) / (double)(a->hi - a->lo);
  if (t < 0) t = 0;
  if (t > 1) t = 1;
  return SP_X0 + t * (SP_X1 - SP_X0);
}

/* The x of decade d, a tick of the axis. */
static double sp_decade_x(const struct sp_axis *a, int d)
{
  return SP_X0 + (double)(d - a->lo) / (a->hi - a->lo) * (SP_X1 - SP_X0);
}

static void sp_range(const double *x, unsigned n, const struct dp_claim *c, double *mn, double *mx)
{
  for (unsigned i = 0; i < n; i++) {
    double v = sp_value(c, x[i]);
    if (isfinite(v) && v > 0) {
      if (v < *mn) *mn = v;
      if (v > *mx) *mx = v;
    }
  }
}

static void sp_row(FILE *f, const struct dp_claim *c, const double *x,
                   const enum dp_verdict *v, unsigned n, const struct sp_axis *a, double y)
{
  /* One dot per (lane, half-unit of x, verdict): bounded output however many trials. */
  size_t cells = (size_t)(2 * SP_W + 2) * SP_LANES * 2;
  unsigned char *seen = calloc(cells, 1);
  for (int pass = 1; pass >= 0; pass--) {
    int opened = 0;
    for (unsigned i = 0; i < n; i++) {
      if (isnan(x[i]))
        continue;
      int ok = v[i] == DP_PASS;
      if (ok != pass)
        continue;
      double px = sp_x(a, sp_value(c, x[i]));
      unsigned lane = i % SP_LANES;
      long key = lround(px * 2.0);
      if (seen != NULL) {
        size_t cell = ((size_t)key * SP_LANES + lane) * 2 + (size_t)pass;
        if (cell < cells) {
          if (seen[cell])
            continue;
          seen[cell] = 1;
        }
      }
      if (!opened) {
        fprintf(f, "<g fill=\"%s\" fill-opacity=\"0.6\">\n", pass ? "#1a7f37" : "#cf222e");
        opened = 1;
      }
      fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"/>\n", (double)key / 2.0,
              y + 3.5 * ((double)lane - (SP_LANES - 1) / 2.0));
    }
    if (opened)
      fputs("</g>\n", f);
  }
  free(seen);
}

static unsigned count_nan(const double *x, unsigned n)
{
  unsigned k = 0;
  for (unsigned i = 0; i < n; i++)
    k += isnan(x[i]) != 0;
  return k;
}

void dp_report_svg_strip(FILE *f, const struct dp_result *r)
{
  const struct dp_claim *c = r->claim;
  double mn = INFINITY, mx = 0;
  int tol_pos = isfinite(c->tol) && c->tol > 0;
  if (tol_pos)
    mn = mx = c->tol;
  sp_range(r->figures, r->n, c, &mn, &mx);
  sp_range(r->twin_figures, r->twin_n, c, &mn, &mx);
  struct sp_axis a;
  if (!(mx > 0)) {
    a.lo = -1;
    a.hi = 1;
  } else {
    a.lo = (int)floor(log10(mn));
    a.hi = (int)ceil(log10(mx));
    if (a.hi <= a.lo)
      a.hi = a.lo + 1;
  }
  int span = a.hi - a.lo, step = span <= 12 ? 1 : (span + 11) / 12;
  /* ticks at the multiples of step */
  int d0 = a.lo >= 0 ? (a.lo + step - 1) / step * step : -((-a.lo) / step * step);

  fprintf(f, "<figure>\n<svg width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
             "role=\"img\" aria-label=\"Figures of %s and of its twin, log10 scale\">\n",
          SP_W, SP_H, SP_W, SP_H, c->id);
  fprintf(f, "<title>Figures of %s (top) and of its false twin (bottom)</title>\n", c->id);
  /* rows, axis, ticks */
  fprintf(f, "<g font-size=\"12\" fill=\"#1f2328\">\n"
             "<text x=\"4\" y=\"%.1f\">claim</text>\n<text x=\"4\" y=\"%.1f\">twin</text>\n"
             "</g>\n", SP_YC + 4, SP_YT + 4);
  fputs("<g stroke=\"#d0d7de\">\n", f);
  svg_line(f, SP_LEFT, SP_YC, SP_X1 + 8, SP_YC);
  svg_line(f, SP_LEFT, SP_YT, SP_X1 + 8, SP_YT);
  fputs("</g>\n<g stroke=\"#57606a\">\n", f);
  svg_line(f, SP_LEFT, SP_YAXIS, SP_X1 + 8, SP_YAXIS);
  svg_line(f, SP_FLOOR, SP_YAXIS, SP_FLOOR, SP_YAXIS + 4);
  for (int d = d0; d <= a.hi; d += step)
    svg_line(f, sp_decade_x(&a, d), SP_YAXIS, sp_decade_x(&a, d), SP_YAXIS + 4);
  fputs("</g>\n", f);
  fprintf(f, "<g font-size=\"10\" fill=\"#4d555e\" text-anchor=\"middle\">\n"
             "<text x=\"%.1f\" y=\"%.1f\">\xE2\x89\xA4" "0</text>\n", SP_FLOOR, SP_YAXIS + 15);
  for (int d = d0; d <= a.hi; d += step)
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">1e%d</text>\n", sp_decade_x(&a, d), SP_YAXIS + 15, d);
  fputs("</g>\n", f);
  /* tolerance */
  double tx = tol_pos ? sp_x(&a, c->tol) : (SP_FLOOR + SP_X0) / 2;
  fprintf(f, "<line x1=\"%.1f\" y1=\"8\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#9a6700\" "
             "stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>\n", tx, tx, SP_YAXIS);
  fprintf(f, "<text x=\"%.1f\" y=\"7\" font-size=\"10\" fill=\"#9a6700\" "
             "text-anchor=\"%s\">tolerance ", tx + 3, tx > SP_X1 - 60 ? "end" : "start");
  dp_report_put_num(f, c->tol, DP_NUM_READ);
  fputs("</text>\n", f);
  sp_row(f, c, r->figures, r->verdicts, r->n, &a, SP_YC);
  sp_row(f, c, r->twin_figures, r->twin_verdicts, r->twin_n, &a, SP_YT);
  fputs("</svg>\n<figcaption>", f);
  unsigned cm = r->n - count_nan(r->figures, r->n);
  unsigned tm = r->twin_n - count_nan(r->twin_figures, r->twin_n);
  fprintf(f, "Figures on a log10 scale: the claim's %u measured instance%s (top row; %u not "
             "measured) and its twin's %u (bottom row; %u not measured), on the same "
             "instances. ", cm, cm == 1 ? "" : "s", r->n - cm, tm, r->twin_n - tm);
  if (c->tol_kind == DP_JUDGE_SLACK)
    fputs("A slack is plotted as its violation \xE2\x88\x92slack: the bound holds left of the "
          "dashed tolerance line and fails right of it. ", f);
  else
    fputs("A test ratio holds left of the dashed tolerance line and fails right of it. ", f);
  fputs("Values \xE2\x89\xA4 0 are drawn at the floor marked \xE2\x89\xA4" "0. Green: within "
        "tolerance; red: beyond it. The claim's dots should all be green, and some of the "
        "twin's red (the twin rejected).</figcaption>\n</figure>\n", f);
}

/* ---------------------------------------------------------------------------------------- */
/* Line plots: a claim's own series (struct dp_plot)                                        */

/* Line plot geometry (SVG user units); the legend goes below the x label, one row a series. */
#define LP_W 720.0
#define LP_LEFT 84.0   /* x of the y axis */
#define LP_RIGHT 704.0 /* right end of the plot area */
#define LP_TOP 14.0    /* top of the plot area */
#define LP_BOTTOM 274.0 /* y of the x axis */
#define LP_LEGEND_ROW 18.0
#define LP_MARKERS_MAX 40 /* series with more points are drawn without markers */
#define LP_YLABEL 22.0     /* room above the plot for the y label, written across */
#define LP_DATA_ROWS 400   /* rows of the data table in the page; the JSON has every point */

/* Okabe-Ito colours: told apart with the common colour-vision deficiencies. */
static const char *const lp_colour[DP_PLOT_MAXSERIES] = {
  "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"
};

/* One axis: data range in axis units (log10 of the value on a log axis), its pixels. */
struct lp_axis {
  int log;
  double lo, hi;   /* axis units */
  double p0, p1;   /* pixels of lo and hi */
  double step;     /* tick step in axis units (decades on a log axis) */
};

/* Whether a value can be drawn on the axis (finite, and positive on a log axis). */
static int lp_ok(const struct lp_axis *a, double v)
{
  return isfinite(v) && (!a->log || v > 0);
}

/* The pixel of u, in axis units. */
static double lp_upx(const struct lp_axis *a, double u)
{
  return a->p0 + (u - a->lo) / (a->hi - a->lo) * (a->p1 - a->p0);
}

/* The pixel of the value v. */
static double lp_px(const struct lp_axis *a, double v)
{
  return lp_upx(a, a->log ? log10(v) : v);
}

/* The axis range from the data range [mn, mx] in axis units (mn > mx: no data): whole
 * decades on a log axis, multiples of a 1-2-5 step on a linear one, about six ticks. */
static void lp_range(struct lp_axis *a, double mn, double mx)
{
  if (mn > mx) { /* nothing to draw: [0, 1] (one decade, 1 to 10, on a log axis) */
    mn = 0;
    mx = 1;
  }
  if (a->log) {
    a->lo = floor(mn);
    a->hi = ceil(mx);
    if (a->hi <= a->lo)
      a->hi = a->lo + 1;
    double span = a->hi - a->lo;
    a->step = span <= 8 ? 1 : ceil(span / 8);
    a->lo = floor(a->lo / a->step) * a->step;
    a->hi = ceil(a->hi / a->step) * a->step;
    return;
  }
  if (mx == mn) {
    double d = mn != 0 ? fabs(mn) / 10 : 1;
    mn -= d;
    mx += d;
  }
  double raw = (mx - mn) / 6, mag = pow(10, floor(log10(raw))), r = raw / mag;
  a->step = (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
  a->lo = floor(mn / a->step) * a->step;
  a->hi = ceil(mx / a->step) * a->step;
  if (a->hi <= a->lo)
    a->hi = a->lo + a->step;
}

/* A tick of length len at pixel p of the x axis (below it) or of the y axis (left of it). */
static void lp_tick(FILE *f, int x, double p, double len)
{
  if (x)
    svg_line(f, p, LP_BOTTOM, p, LP_BOTTOM + len);
  else
    svg_line(f, LP_LEFT - len, p, LP_LEFT, p);
}

/* The opening tag of the label of the tick at pixel p. */
static void lp_label(FILE *f, int x, double p)
{
  if (x)
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", p, LP_BOTTOM + 18);
  else
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", LP_LEFT - 8, p + 4);
}

/* Ticks, grid lines and tick labels of one axis (horizontal when x). */
static void lp_ticks(FILE *f, const struct lp_axis *a, int x)
{
  long n = lround((a->hi - a->lo) / a->step);
  if (n > 1)
    fputs("<g stroke=\"#e6e9ec\">\n", f);
  for (long i = 1; i < n; i++) { /* grid */
    double p = lp_upx(a, a->lo + (double)i * a->step);
    if (x)
      svg_line(f, p, LP_TOP, p, LP_BOTTOM);
    else
      svg_line(f, LP_LEFT, p, LP_RIGHT, p);
  }
  fputs(n > 1 ? "</g>\n<g stroke=\"#57606a\">\n" : "<g stroke=\"#57606a\">\n", f);
  for (long i = 0; i <= n; i++) /* major ticks */
    lp_tick(f, x, lp_upx(a, a->lo + (double)i * a->step), 5);
  if (a->log && a->step == 1 && n <= 4) { /* minor ticks at 2..9 times a decade */
    for (long i = 0; i < n; i++)
      for (int m = 2; m <= 9; m++)
        lp_tick(f, x, lp_upx(a, a->lo + (double)i + log10((double)m)), 3);
  }
  fprintf(f, "</g>\n<g font-size=\"11\" fill=\"#1f2328\" text-anchor=\"%s\">\n",
          x ? "middle" : "end");
  for (long i = 0; i <= n; i++) {
    double u = a->lo + (double)i * a->step;
    lp_label(f, x, lp_upx(a, u));
    if (a->log) {
      /* 10 with the exponent raised; U+2212 for a minus */
      long e = lround(u);
      fputs("10<tspan dy=\"-5\" font-size=\"9\">", f);
      if (e < 0)
        fprintf(f, "\xE2\x88\x92%ld", -e);
      else
        fprintf(f, "%ld", e);
      fputs("</tspan>", f);
    } else {
      char buf[DP_NUM_BUF];
      dp_report_num(buf, sizeof buf, fabs(u) < a->step * 1e-9 ? 0.0 : u, DP_NUM_PLAIN);
      dp_report_html_text(f, buf);
    }
    fputs("</text>\n", f);
  }
  if (a->log && n == 1) /* one decade: label 2 and 5 times its start too */
    for (int m = 2; m <= 5; m += 3) {
      char buf[DP_NUM_BUF];
      lp_label(f, x, lp_upx(a, a->lo + log10((double)m)));
      fputs(dp_report_num(buf, sizeof buf, m * pow(10, a->lo), DP_NUM_PLAIN), f);
      fputs("</text>\n", f);
    }
  fputs("</g>\n", f);
}

/* A polyline being written: the points of the current half-pixel column are held back as
 * its first, lowest, highest and last (M4 decimation), which draws the same picture and
 * bounds the output to four points a column however many points a series has. */
struct lp_line {
  FILE *f;
  const char *colour;
  int dashed, open;
  long col;                   /* current column (half units of x) */
  long first, lo, hi, last;   /* half units of y of the column's kept points */
  size_t ifirst, ilo, ihi, ilast;
  long px, py;                /* the last point written */
};

/* Add a point (half units).  open: 1 nothing kept yet, 2 one point kept back (a polyline of
 * one point draws nothing: the lone point gets a marker instead), 3 the polyline written. */
static void lp_put(struct lp_line *l, long kx, long ky)
{
  if (l->open >= 2 && kx == l->px && ky == l->py)
    return;
  if (l->open == 1) {
    l->open = 2;
  } else {
    if (l->open == 2) {
      fprintf(l->f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s points=\""
                    "%.1f,%.1f", l->colour, l->dashed ? "1.5" : "2",
              l->dashed ? " stroke-dasharray=\"7 4\"" : "", (double)l->px / 2,
              (double)l->py / 2);
      l->open = 3;
    }
    fprintf(l->f, " %.1f,%.1f", (double)kx / 2, (double)ky / 2);
  }
  l->px = kx;
  l->py = ky;
}

/* Write the held column: its kept points in the order they came. */
static void lp_flush(struct lp_line *l)
{
  if (l->open == 0)
    return;
  size_t idx[4] = { l->ifirst, l->ilo, l->ihi, l->ilast };
  long val[4] = { l->first, l->lo, l->hi, l->last };
  for (int i = 1; i < 4; i++) /* insertion sort of four */
    for (int j = i; j > 0 && idx[j] < idx[j - 1]; j--) {
      size_t ti = idx[j]; idx[j] = idx[j - 1]; idx[j - 1] = ti;
      long tv = val[j]; val[j] = val[j - 1]; val[j - 1] = tv;
    }
  for (int i = 0; i < 4; i++)
    if (i == 0 || idx[i] != idx[i - 1])
      lp_put(l, l->col, val[i]);
}

static void lp_end(struct lp_line *l)
{
  lp_flush(l);
  if (l->open == 3)
    fputs("\"/>\n", l->f);
  l->open = 0;
}

/* Whether a series is drawn with markers: a measurement of few points, or a series whose
 * drawable points all fall on one spot (no line would show it). */
static int lp_markers(const struct dp_series *s, const struct lp_axis *ax,
                      const struct lp_axis *ay)
{
  size_t drawn = 0;
  long kx0 = 0, ky0 = 0;
  int one_spot = 1;
  for (size_t i = 0; i < s->n; i++)
    if (lp_ok(ax, s->x[i]) && lp_ok(ay, s->y[i])) {
      long kx = lround(lp_px(ax, s->x[i]) * 2), ky = lround(lp_px(ay, s->y[i]) * 2);
      if (drawn++ == 0)
        kx0 = kx, ky0 = ky;
      else if (kx != kx0 || ky != ky0)
        one_spot = 0;
    }
  return (!s->dashed && s->n <= LP_MARKERS_MAX) || (drawn > 0 && one_spot);
}

/* One series: polylines broken where a point cannot be drawn, then its markers. */
static void lp_series(FILE *f, const struct dp_series *s, const char *colour,
                      const struct lp_axis *ax, const struct lp_axis *ay)
{
  struct lp_line l = { .f = f, .colour = colour, .dashed = s->dashed };
  for (size_t i = 0; i < s->n; i++) {
    if (!lp_ok(ax, s->x[i]) || !lp_ok(ay, s->y[i])) {
      lp_end(&l);
      continue;
    }
    long kx = lround(lp_px(ax, s->x[i]) * 2), ky = lround(lp_px(ay, s->y[i]) * 2);
    if (l.open == 0 || kx != l.col) {
      lp_flush(&l);
      if (l.open == 0)
        l.open = 1;
      l.col = kx;
      l.first = l.lo = l.hi = l.last = ky;
      l.ifirst = l.ilo = l.ihi = l.ilast = i;
      continue;
    }
    if (ky < l.lo) l.lo = ky, l.ilo = i;
    if (ky > l.hi) l.hi = ky, l.ihi = i;
    l.last = ky, l.ilast = i;
  }
  lp_end(&l);
  if (lp_markers(s, ax, ay)) {
    fprintf(f, "<g fill=\"%s\">\n", colour);
    for (size_t i = 0; i < s->n; i++)
      if (lp_ok(ax, s->x[i]) && lp_ok(ay, s->y[i]))
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>\n", lp_px(ax, s->x[i]),
                lp_px(ay, s->y[i]));
    fputs("</g>\n", f);
  }
}

void dp_report_svg_plot(FILE *f, const struct dp_plot *p, const char *id, size_t k)
{
  struct lp_axis ax = { .log = p->logx, .p0 = LP_LEFT, .p1 = LP_RIGHT };
  struct lp_axis ay = { .log = p->logy, .p0 = LP_BOTTOM, .p1 = LP_TOP };
  double xmn = INFINITY, xmx = -INFINITY, ymn = INFINITY, ymx = -INFINITY;
  size_t npts = 0;
  for (size_t j = 0; j < p->nseries; j++) {
    const struct dp_series *s = &p->series[j];
    for (size_t i = 0; i < s->n; i++) {
      if (!lp_ok(&ax, s->x[i]) || !lp_ok(&ay, s->y[i]))
        continue;
      double u = ax.log ? log10(s->x[i]) : s->x[i], v = ay.log ? log10(s->y[i]) : s->y[i];
      xmn = fmin(xmn, u), xmx = fmax(xmx, u), ymn = fmin(ymn, v), ymx = fmax(ymx, v);
      npts++;
    }
  }
  lp_range(&ax, xmn, xmx);
  lp_range(&ay, ymn, ymx);
  double height = LP_YLABEL + LP_BOTTOM + 44 + LP_LEGEND_ROW * (double)p->nseries + 6;

  size_t bad = 0;
  for (size_t j = 0; j < p->nseries; j++)
    for (size_t i = 0; i < p->series[j].n; i++)
      bad += !lp_ok(&ax, p->series[j].x[i]) || !lp_ok(&ay, p->series[j].y[i]);
  fprintf(f, "<figure class=\"plot\" id=\"%s-plot%zu\">\n<figcaption><strong>", id, k + 1);
  dp_report_html_text(f, p->title);
  fputs(".</strong>", f);
  if (p->note[0] != '\0') {
    fputc(' ', f);
    dp_report_html_text(f, p->note);
  }
  if (bad > 0)
    fprintf(f, " %zu point%s not drawn (not finite%s).", bad, bad == 1 ? "" : "s",
            p->logx || p->logy ? ", or not positive on a log axis" : "");
  fputs("</figcaption>\n", f);
  fprintf(f, "<svg width=\"%.0f\" height=\"%.0f\" "
             "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", LP_W, height,
          LP_W, height);
  dp_report_html_text(f, p->title);
  fputs("\">\n<title>", f);
  dp_report_html_text(f, p->title);
  fputs("</title>\n", f);
  /* the y label across, above the plot (a long one would not fit along the axis); the
   * plot itself below it */
  fputs("<text x=\"8\" y=\"14\" font-size=\"12\" fill=\"#1f2328\">", f);
  dp_report_html_text(f, p->ylabel);
  if (p->logy)
    fputs(" (log scale)", f);
  fprintf(f, "</text>\n<g transform=\"translate(0 %.0f)\">\n", LP_YLABEL);
  lp_ticks(f, &ax, 1);
  lp_ticks(f, &ay, 0);
  fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
             "stroke=\"#57606a\"/>\n", LP_LEFT, LP_TOP, LP_RIGHT - LP_LEFT, LP_BOTTOM - LP_TOP);
  /* axis labels */
  fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#1f2328\" "
             "text-anchor=\"middle\">", (LP_LEFT + LP_RIGHT) / 2, LP_BOTTOM + 36);
  dp_report_html_text(f, p->xlabel);
  if (p->logx)
    fputs(" (log scale)", f);
  fputs("</text>\n", f);
  if (npts == 0)
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" fill=\"#4d555e\" "
               "text-anchor=\"middle\">no point to draw</text>\n", (LP_LEFT + LP_RIGHT) / 2,
            (LP_TOP + LP_BOTTOM) / 2);
  /* measurements first, reference lines over them: a dashed line on a measurement that
   * follows it exactly still shows, and so does the measurement, between the dashes */
  for (int pass = 0; pass <= 1; pass++)
    for (size_t j = 0; j < p->nseries; j++)
      if ((p->series[j].dashed != 0) == pass)
        lp_series(f, &p->series[j], lp_colour[j], &ax, &ay);
  /* legend */
  for (size_t j = 0; j < p->nseries; j++) {
    const struct dp_series *s = &p->series[j];
    double y = LP_BOTTOM + 52 + LP_LEGEND_ROW * (double)j;
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
               "stroke-width=\"%s\"%s/>\n", LP_LEFT, y - 4, LP_LEFT + 30, y - 4, lp_colour[j],
            s->dashed ? "1.5" : "2", s->dashed ? " stroke-dasharray=\"7 4\"" : "");
    if (lp_markers(s, &ax, &ay))
      fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", LP_LEFT + 15,
              y - 4, lp_colour[j]);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#1f2328\">", LP_LEFT + 38,
            y);
    dp_report_html_text(f, s->name);
    if (s->dashed)
      fputs(" (reference)", f);
    fputs("</text>\n", f);
  }
  fputs("</g>\n</svg>\n", f);

  /* the numbers behind the picture */
  size_t total = 0;
  for (size_t j = 0; j < p->nseries; j++)
    total += p->series[j].n;
  fprintf(f, "<details>\n<summary>Data (%zu point%s)</summary>\n<div class=\"scroll\">\n"
             "<table class=\"data\">\n<thead><tr><th>series</th><th>", total,
          total == 1 ? "" : "s");
  dp_report_html_text(f, p->xlabel);
  fputs("</th><th>", f);
  dp_report_html_text(f, p->ylabel);
  fputs("</th></tr></thead>\n<tbody>\n", f);
  size_t shown = 0;
  for (size_t j = 0; j < p->nseries && shown < LP_DATA_ROWS; j++) {
    const struct dp_series *s = &p->series[j];
    for (size_t i = 0; i < s->n && shown < LP_DATA_ROWS; i++, shown++) {
      char bx[DP_NUM_BUF], by[DP_NUM_BUF];
      dp_report_num(bx, sizeof bx, s->x[i], DP_NUM_PLAIN);
      dp_report_num(by, sizeof by, s->y[i], DP_NUM_PLAIN);
      fputs("<tr><td>", f);
      dp_report_html_text(f, s->name);
      fprintf(f, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n", bx, by);
    }
  }
  if (total == 0)
    fputs("<tr><td colspan=\"3\">(no points)</td></tr>\n", f);
  fputs("</tbody>\n</table>\n</div>\n", f);
  if (shown < total)
    fprintf(f, "<p class=\"caption\">The first %zu of %zu points; residuals.json has every "
               "point exactly.</p>\n", shown, total);
  fputs("</details>\n</figure>\n", f);
}
