/* svg.c: the pictures of the page, as inline SVG.  The strip plot shows every figure of a claim
 * and of its false twin on one log10 axis, against the labelled threshold line, green where the
 * instance passes and red where it does not.  Its axis stays on the range where figures mean
 * something: at most 10 decades below the threshold's decade and 6 above it, never reaching
 * 1/eps; figures beyond go to labelled bands at its ends with their counts (exactly 0 on the
 * left, off scale either side, exact mismatches, recorded as DP_RATIO_FAIL = 1/eps, and
 * anything larger on the right).  The line plots draw a claim's own series (struct dp_plot):
 * linear or log axes with 1-2-5 or decade ticks, both axis titles, measurements as solid
 * Okabe-Ito lines with markers, reference lines wide and dashed in colours of their own under
 * them, a legend under the plot area, and the numbers behind the picture in a table under
 * <details>.  Both bound their output whatever the number of points: the strip plot keeps one
 * dot per half unit of x, lane and verdict, a line plot four points per half-pixel column and
 * at most 40 markers a series. */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "tol.h"
#include "report.h"
#include "report_int.h"

/* A line from (x1, y1) to (x2, y2), styled by its group. */
static void svg_line(FILE *f, double x1, double y1, double x2, double y2)
{
  fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x1, y1, x2, y2);
}

/* ---------------------------------------------------------------------------------------- */
/* Strip plot: a claim's figures and its twin's                                             */

/* Strip plot geometry (SVG user units).  The picture takes the width of the page (the SVG is
 * width="100%" of its viewBox), so these are proportions: 13 units of text are about 12 px
 * at a page of 800 px and 18 px at 1400 px. */
#define SP_W 840.0
#define SP_LABELS 96.0  /* row labels, left of the zero band */
#define SP_BAND_W 100.0 /* a band of figures off the axis */
#define SP_GAP 14.0     /* between a band and the axis */
#define SP_PAD 12.0     /* inside the axis, so that a dot at its ends stays off the bands */
#define SP_TOP 26.0     /* top of the rows (the threshold's label above) */
#define SP_YC 48.0      /* claim row */
#define SP_YT 88.0      /* twin row */
#define SP_YAXIS 112.0
#define SP_LANES 5
#define SP_LANE 5.0     /* vertical spread between lanes */
#define SP_H (SP_YAXIS + 80.0)
/* How far the axis may reach from the threshold's decade: 6 decades above (a figure a
 * million times the threshold is a rejection whatever its size), 10 below (a test ratio ten
 * decades under its threshold is exact for the reader).  Figures beyond go to the bands. */
#define SP_DECADES_UP 6
#define SP_DECADES_DOWN 10
/* No decade of the axis at or beyond 1/eps, where DP_RATIO_FAIL sits. */
#define SP_DECADE_MAX 15

/* The plotted value: a ratio as it is, a slack as its violation -slack, so that in both
 * cases the claim holds left of the tolerance line and fails right of it. */
static double sp_value(const struct dp_claim *c, double x)
{
  return c->tol_kind == DP_JUDGE_SLACK ? -x : x;
}

/* Where a plotted value goes: the axis, or one of the bands beside it. */
enum sp_place { SP_ZERO, SP_LOW, SP_AXIS, SP_HIGH, SP_MISMATCH, SP_NPLACES };

struct sp_axis {
  int lo, hi;           /* decades at the ends of the axis */
  int cap_lo, cap_hi;   /* decades beyond which a figure goes to a band */
  double x0, x1;        /* pixels of the axis ends (padding inside) */
  double band_x[SP_NPLACES]; /* left edge of each band drawn; < 0 when not drawn */
};

static enum sp_place sp_place(const struct sp_axis *a, double v)
{
  if (!(v > 0))
    return SP_ZERO;
  if (v >= DP_RATIO_FAIL) /* the sentinel, and figures past where a ratio means anything */
    return SP_MISMATCH;
  double l = log10(v);
  if (l > a->cap_hi)
    return SP_HIGH;
  if (l < a->cap_lo)
    return SP_LOW;
  return SP_AXIS;
}

static double sp_decade_x(const struct sp_axis *a, double d)
{
  return a->x0 + SP_PAD + (d - a->lo) / (a->hi - a->lo) * (a->x1 - a->x0 - 2 * SP_PAD);
}

/* The x of a value: on the axis by its logarithm; in a band spread over the band's width by
 * the instance number i (a fixed low-discrepancy sequence: the place in a band means nothing,
 * and the same run gives the same picture). */
static double sp_x(const struct sp_axis *a, double v, unsigned i)
{
  enum sp_place p = sp_place(a, v);
  if (p == SP_AXIS)
    return sp_decade_x(a, log10(v));
  double t = fmod((double)i * 0.6180339887498949, 1.0);
  return a->band_x[p] + 10 + t * (SP_BAND_W - 20);
}

/* Count the figures of each place; extend [mn, mx] (decades) by those on the axis. */
static void sp_scan(const struct dp_claim *c, const double *x, unsigned n,
                    const struct sp_axis *a, unsigned count[SP_NPLACES], double *mn, double *mx,
                    int *negative)
{
  for (unsigned i = 0; i < n; i++) {
    if (isnan(x[i]))
      continue;
    double v = sp_value(c, x[i]);
    enum sp_place p = sp_place(a, v);
    count[p]++;
    *negative |= v < 0;
    if (p == SP_AXIS) {
      *mn = fmin(*mn, log10(v));
      *mx = fmax(*mx, log10(v));
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
      double px = sp_x(a, sp_value(c, x[i]), i);
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
        fprintf(f, "<g fill=\"%s\" fill-opacity=\"0.65\">\n", pass ? "#1a7f37" : "#cf222e");
        opened = 1;
      }
      fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>\n", (double)key / 2.0,
              y + SP_LANE * ((double)lane - (SP_LANES - 1) / 2.0));
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

/* 10 with the exponent e raised (U+2212 for a minus), as the text of a tick label. */
static void svg_pow10(FILE *f, long e, int size)
{
  fprintf(f, "10<tspan dy=\"-5\" font-size=\"%d\">", size);
  if (e < 0)
    fprintf(f, "\xE2\x88\x92%ld", -e);
  else
    fprintf(f, "%ld", e);
  fputs("</tspan>", f);
}

/* One band: its frame, and under it its name, what it holds and how many of each row. */
static void sp_band(FILE *f, const struct sp_axis *a, enum sp_place p, const char *name,
                    const char *what, const unsigned cc[SP_NPLACES],
                    const unsigned tc[SP_NPLACES])
{
  double x = a->band_x[p], mid = x + SP_BAND_W / 2;
  fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#f6f8fa\" "
             "stroke=\"#8c959f\" stroke-dasharray=\"3 2\"/>\n", x, SP_TOP, SP_BAND_W,
          SP_YAXIS - SP_TOP);
  fprintf(f, "<g font-size=\"12\" fill=\"#1f2328\" text-anchor=\"middle\">\n"
             "<text x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\">%s</text>\n", mid,
          SP_YAXIS + 18, name);
  fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%s</text>\n", mid,
          SP_YAXIS + 31, what);
  fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">claim %u, twin %u</text>\n</g>\n",
          mid, SP_YAXIS + 44, cc[p], tc[p]);
}

void dp_report_svg_strip(FILE *f, const struct dp_result *r)
{
  const struct dp_claim *c = r->claim;
  int slack = c->tol_kind == DP_JUDGE_SLACK;
  int tol_pos = isfinite(c->tol) && c->tol > 0;
  /* the axis is placed around the threshold's decade; without a positive threshold (one of
   * 0: only an exact 0 holds), around 1 */
  int td = tol_pos ? (int)floor(log10(c->tol)) : 0;
  struct sp_axis a = { .cap_lo = td - SP_DECADES_DOWN, .cap_hi = td + SP_DECADES_UP };
  if (a.cap_hi > SP_DECADE_MAX)
    a.cap_hi = SP_DECADE_MAX;
  if (a.cap_lo >= a.cap_hi)
    a.cap_lo = a.cap_hi - 1;
  unsigned cc[SP_NPLACES] = { 0 }, tc[SP_NPLACES] = { 0 };
  double mn = INFINITY, mx = -INFINITY;
  if (tol_pos && sp_place(&a, c->tol) == SP_AXIS)
    mn = mx = log10(c->tol);
  int negative = 0;
  sp_scan(c, r->figures, r->n, &a, cc, &mn, &mx, &negative);
  sp_scan(c, r->twin_figures, r->twin_n, &a, tc, &mn, &mx, &negative);
  /* whole decades around the figures on the axis and the threshold, with at least one decade
   * either side of the threshold so that both the holding and the failing side show */
  if (mn > mx)
    mn = mx = td;
  a.lo = (int)floor(mn);
  a.hi = (int)ceil(mx);
  if (a.lo > td - 1) a.lo = td - 1;
  if (a.hi < td + 2) a.hi = td + 2;
  if (a.lo < a.cap_lo) a.lo = a.cap_lo;
  if (a.hi > a.cap_hi) a.hi = a.cap_hi;
  if (a.hi <= a.lo) a.hi = a.lo + 1;
  /* the bands: the zero band always, as the left end of the picture; the others when they
   * hold a figure */
  for (int p = 0; p < SP_NPLACES; p++)
    a.band_x[p] = -1;
  double x = SP_LABELS;
  a.band_x[SP_ZERO] = x;
  x += SP_BAND_W + SP_GAP;
  if (cc[SP_LOW] + tc[SP_LOW] > 0) {
    a.band_x[SP_LOW] = x;
    x += SP_BAND_W + SP_GAP;
  }
  a.x0 = x;
  x = SP_W - 4;
  if (cc[SP_MISMATCH] + tc[SP_MISMATCH] > 0) {
    x -= SP_BAND_W;
    a.band_x[SP_MISMATCH] = x;
    x -= SP_GAP;
  }
  if (cc[SP_HIGH] + tc[SP_HIGH] > 0) {
    x -= SP_BAND_W;
    a.band_x[SP_HIGH] = x;
    x -= SP_GAP;
  }
  a.x1 = x;
  int span = a.hi - a.lo, step = span <= 10 ? 1 : (span + 9) / 10;
  /* ticks at the multiples of step */
  int d0 = a.lo >= 0 ? (a.lo + step - 1) / step * step : -((-a.lo) / step * step);

  fprintf(f, "<figure>\n<svg width=\"100%%\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
             "role=\"img\" aria-label=\"Figures of %s and of its twin, log10 scale\">\n",
          SP_H, SP_W, SP_H, c->id);
  fprintf(f, "<title>Figures of %s (top row) and of its false twin (bottom row)</title>\n",
          c->id);
  /* rows */
  fprintf(f, "<g font-size=\"14\" fill=\"#1f2328\">\n"
             "<text x=\"6\" y=\"%.1f\">claim</text>\n<text x=\"6\" y=\"%.1f\">false twin</text>\n"
             "</g>\n", SP_YC + 5, SP_YT + 5);
  fputs("<g stroke=\"#d0d7de\">\n", f);
  svg_line(f, a.x0, SP_YC, a.x1, SP_YC);
  svg_line(f, a.x0, SP_YT, a.x1, SP_YT);
  fputs("</g>\n", f);
  /* the bands */
  if (slack)
    sp_band(f, &a, SP_ZERO, "\xE2\x89\xA4 0", "no violation", cc, tc);
  else if (negative) /* no ratio should be negative; if one is, the band says so */
    sp_band(f, &a, SP_ZERO, "\xE2\x89\xA4 0", "zero or negative", cc, tc);
  else
    sp_band(f, &a, SP_ZERO, "exactly 0", "no error at all", cc, tc);
  char lo_name[40], hi_name[40];
  if (a.band_x[SP_LOW] >= 0) {
    snprintf(lo_name, sizeof lo_name, "below 1e%d", a.cap_lo);
    sp_band(f, &a, SP_LOW, lo_name, "off scale", cc, tc);
  }
  if (a.band_x[SP_HIGH] >= 0) {
    snprintf(hi_name, sizeof hi_name, "above 1e%d", a.cap_hi);
    sp_band(f, &a, SP_HIGH, hi_name, "off scale", cc, tc);
  }
  if (a.band_x[SP_MISMATCH] >= 0)
    sp_band(f, &a, SP_MISMATCH, slack ? "\xE2\x89\xA5 1/\xCE\xB5" : "exact mismatch",
            slack ? "off scale" : "or \xE2\x89\xA5 1/\xCE\xB5", cc, tc);
  /* the axis, its ticks and their labels */
  fputs("<g stroke=\"#57606a\">\n", f);
  svg_line(f, a.x0, SP_YAXIS, a.x1, SP_YAXIS);
  for (int d = d0; d <= a.hi; d += step)
    svg_line(f, sp_decade_x(&a, d), SP_YAXIS, sp_decade_x(&a, d), SP_YAXIS + 5);
  fputs("</g>\n", f);
  fputs("<g font-size=\"13\" fill=\"#1f2328\" text-anchor=\"middle\">\n", f);
  for (int d = d0; d <= a.hi; d += step) {
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", sp_decade_x(&a, d), SP_YAXIS + 20);
    svg_pow10(f, d, 10);
    fputs("</text>\n", f);
  }
  /* the axis title: what a figure is and when it holds */
  fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", (a.x0 + a.x1) / 2, SP_YAXIS + 42);
  fputs(slack ? "figure: violation \xE2\x88\x92slack of the bound (log scale); holds at "
                "\xE2\x89\xA4 "
              : "figure: test ratio (log scale); the claim holds at \xE2\x89\xA4 ", f);
  dp_report_put_num(f, c->tol, DP_NUM_READ);
  fputs("</text>\n</g>\n", f);
  /* the threshold */
  double tx = tol_pos && sp_place(&a, c->tol) == SP_AXIS
                ? sp_decade_x(&a, log10(c->tol))
                : a.x0 - SP_GAP / 2; /* 0: between the zero band and the axis */
  fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#9a6700\" "
             "stroke-width=\"2\" stroke-dasharray=\"6 3\"/>\n", tx, SP_TOP - 6, tx, SP_YAXIS);
  fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" fill=\"#7d4e00\" "
             "text-anchor=\"%s\">threshold ", tx + (tx + 400 > SP_W ? -4 : 4), SP_TOP - 10,
          tx + 400 > SP_W ? "end" : "start");
  dp_report_put_num(f, c->tol, DP_NUM_READ);
  fputs(": holds left of the line, fails right of it</text>\n", f);
  sp_row(f, c, r->figures, r->verdicts, r->n, &a, SP_YC);
  sp_row(f, c, r->twin_figures, r->twin_verdicts, r->twin_n, &a, SP_YT);
  /* the legend, under everything */
  double ly = SP_H - 14;
  fprintf(f, "<g font-size=\"13\" fill=\"#1f2328\">\n"
             "<text x=\"6\" y=\"%.1f\">A dot is one instance:</text>\n"
             "<circle cx=\"166\" cy=\"%.1f\" r=\"4.5\" fill=\"#1a7f37\"/>\n"
             "<text x=\"175\" y=\"%.1f\">passes</text>\n"
             "<circle cx=\"240\" cy=\"%.1f\" r=\"4.5\" fill=\"#cf222e\"/>\n"
             "<text x=\"249\" y=\"%.1f\">does not pass</text>\n", ly, ly - 4, ly, ly - 4, ly);
  fprintf(f, "<line x1=\"360\" y1=\"%.1f\" x2=\"386\" y2=\"%.1f\" stroke=\"#9a6700\" "
             "stroke-width=\"2\" stroke-dasharray=\"6 3\"/>\n"
             "<text x=\"392\" y=\"%.1f\">threshold</text>\n"
             "<text x=\"470\" y=\"%.1f\">(in a band, a dot's place across means "
             "nothing)</text>\n</g>\n", ly - 4, ly - 4, ly, ly);
  fputs("</svg>\n<figcaption>", f);
  unsigned cm = r->n - count_nan(r->figures, r->n);
  unsigned tm = r->twin_n - count_nan(r->twin_figures, r->twin_n);
  fprintf(f, "Figures on a log10 scale: the claim's %u measured instance%s (top row; %u not "
             "measured) and its twin's %u (bottom row; %u not measured), on the same "
             "instances. ", cm, cm == 1 ? "" : "s", r->n - cm, tm, r->twin_n - tm);
  if (slack)
    fputs("A slack is plotted as its violation \xE2\x88\x92slack: the bound holds left of the "
          "dashed threshold line and fails right of it. ", f);
  else
    fputs("A test ratio holds left of the dashed threshold line and fails right of it. ", f);
  fprintf(f, "The axis spans at most %d decades below the threshold's decade and %d above "
             "it; figures beyond are drawn in the bands at its ends, with their counts, and so "
             "are figures %s 0 (left) and figures of 1/\xCE\xB5 and more (right: %s). Green: "
             "the instance passes; red: it does not. The claim's dots should all be green, "
             "and some of the twin's red (the twin rejected).</figcaption>\n</figure>\n",
          SP_DECADES_DOWN, SP_DECADES_UP, slack ? "\xE2\x89\xA4" : "of exactly",
          slack ? "off any scale" : "exact mismatches, recorded as 1/\xCE\xB5");
}

/* ---------------------------------------------------------------------------------------- */
/* Line plots: a claim's own series (struct dp_plot)                                        */

/* Line plot geometry (SVG user units); the legend goes below the x label, one row a series. */
#define LP_W 720.0
/* The picture is shown this much larger than its user units (the page shrinks it to its
 * width when narrower): about 12 px text at a page of 800 px, 15 px at 1400 px. */
#define LP_ZOOM 1.25
#define LP_LEFT 84.0   /* x of the y axis */
#define LP_RIGHT 704.0 /* right end of the plot area */
#define LP_TOP 14.0    /* top of the plot area */
#define LP_BOTTOM 274.0 /* y of the x axis */
#define LP_LEGEND_ROW 18.0
#define LP_MARKERS_MAX 40 /* series with more points are drawn without markers */
#define LP_YLABEL 22.0     /* room above the plot for the y label, written across */
#define LP_DATA_ROWS 400   /* rows of the data table in the page; the JSON has every point */

/* How a series is drawn.  Measurements: a solid line of 2 in one of the Okabe-Ito colours
 * (told apart with the common colour-vision deficiencies), with markers.  Reference lines: a
 * colour no measurement uses, a dash pattern, no markers, and a width of 6 at 0.7 opacity,
 * drawn under the measurements, so that a reference a measurement follows exactly still
 * shows as a dashed band either side of it. */
static const char *const lp_colour[DP_PLOT_MAXSERIES] = {
  "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#56b4e9", "#1f2328"
};
static const char *const lp_ref_colour[3] = { "#e69f00", "#6e7781", "#a0522d" };
static const char *const lp_ref_dash[3] = { "12 6", "4 4", "12 4 3 4" };

struct lp_style {
  const char *colour;
  int ref;
  char attrs[160]; /* the stroke attributes of its lines */
};

/* The style of series j of p: the k-th measurement or the k-th reference by its kind. */
static void lp_style_of(struct lp_style *st, const struct dp_plot *p, size_t j)
{
  size_t k = 0;
  for (size_t i = 0; i < j; i++)
    k += (p->series[i].dashed != 0) == (p->series[j].dashed != 0);
  st->ref = p->series[j].dashed != 0;
  if (st->ref) {
    st->colour = lp_ref_colour[k % 3];
    snprintf(st->attrs, sizeof st->attrs, "stroke=\"%s\" stroke-width=\"6\" "
             "stroke-opacity=\"0.7\" stroke-dasharray=\"%s\"", st->colour,
             lp_ref_dash[(k + k / 3) % 3]);
  } else {
    st->colour = lp_colour[k % DP_PLOT_MAXSERIES];
    snprintf(st->attrs, sizeof st->attrs, "stroke=\"%s\" stroke-width=\"2\"", st->colour);
  }
}

/* The number of characters of UTF-8 text s. */
static size_t svg_chars(const char *s)
{
  size_t n = 0;
  for (; s != NULL && *s != '\0'; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* A font size, at most size, at which n characters (plus extra) fit in room units: SVG cannot
 * wrap nor measure text, so a label is sized by an estimate of 0.6 em a character (wide for
 * a sans-serif font), and never below 7. */
static double svg_fit(size_t n, double room, double size)
{
  double fit = n > 0 ? room / (0.6 * (double)n) : size;
  return fit < size ? (fit < 7 ? 7 : floor(fit * 2) / 2) : size;
}

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
      svg_pow10(f, lround(u), 9);
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
  const char *attrs;
  int open;
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
      fprintf(l->f, "<polyline fill=\"none\" %s points=\"%.1f,%.1f", l->attrs,
              (double)l->px / 2, (double)l->py / 2);
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

/* The markers of a series: every drawable point of a measurement, or one in every k of them
 * when it has more than LP_MARKERS_MAX (a marker says "measured" however long the series);
 * none on a reference line, unless all its points fall on one spot (no line would show it:
 * then a hollow square there).  Returns how many points are drawable. */
static size_t lp_drawable(const struct dp_series *s, const struct lp_axis *ax,
                          const struct lp_axis *ay, int *one_spot)
{
  size_t drawn = 0;
  long kx0 = 0, ky0 = 0;
  *one_spot = 1;
  for (size_t i = 0; i < s->n; i++)
    if (lp_ok(ax, s->x[i]) && lp_ok(ay, s->y[i])) {
      long kx = lround(lp_px(ax, s->x[i]) * 2), ky = lround(lp_px(ay, s->y[i]) * 2);
      if (drawn++ == 0)
        kx0 = kx, ky0 = ky;
      else if (kx != kx0 || ky != ky0)
        *one_spot = 0;
    }
  return drawn;
}

static void lp_markers(FILE *f, const struct dp_series *s, const struct lp_style *st,
                       const struct lp_axis *ax, const struct lp_axis *ay)
{
  int one_spot;
  size_t drawn = lp_drawable(s, ax, ay, &one_spot);
  if (drawn == 0 || (st->ref && !one_spot))
    return;
  if (st->ref) {
    for (size_t i = 0; i < s->n; i++)
      if (lp_ok(ax, s->x[i]) && lp_ok(ay, s->y[i])) {
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"9\" height=\"9\" fill=\"none\" "
                   "stroke=\"%s\" stroke-width=\"2\"/>\n", lp_px(ax, s->x[i]) - 4.5,
                lp_px(ay, s->y[i]) - 4.5, st->colour);
        break;
      }
    return;
  }
  size_t every = (drawn + LP_MARKERS_MAX - 1) / LP_MARKERS_MAX, k = 0;
  fprintf(f, "<g fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"0.75\">\n", st->colour);
  for (size_t i = 0; i < s->n; i++)
    if (lp_ok(ax, s->x[i]) && lp_ok(ay, s->y[i]) && k++ % every == 0)
      fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"/>\n", lp_px(ax, s->x[i]),
              lp_px(ay, s->y[i]));
  fputs("</g>\n", f);
}

/* One series: polylines broken where a point cannot be drawn, then its markers. */
static void lp_series(FILE *f, const struct dp_series *s, const struct lp_style *st,
                      const struct lp_axis *ax, const struct lp_axis *ay)
{
  struct lp_line l = { .f = f, .attrs = st->attrs };
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
  lp_markers(f, s, st, ax, ay);
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
             "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", LP_W * LP_ZOOM,
          height * LP_ZOOM, LP_W, height);
  dp_report_html_text(f, p->title);
  fputs("\">\n<title>", f);
  dp_report_html_text(f, p->title);
  fputs("</title>\n", f);
  /* the y label across, above the plot (a long one would not fit along the axis); the
   * plot itself below it.  Labels are sized to fit the picture: SVG would clip them. */
  const size_t scale_chars = svg_chars(" (log scale)");
  fprintf(f, "<text x=\"8\" y=\"14\" font-size=\"%g\" fill=\"#1f2328\">",
          svg_fit(svg_chars(p->ylabel) + (p->logy ? scale_chars : 0), LP_W - 16, 12));
  dp_report_html_text(f, p->ylabel);
  if (p->logy)
    fputs(" (log scale)", f);
  fprintf(f, "</text>\n<g transform=\"translate(0 %.0f)\">\n", LP_YLABEL);
  lp_ticks(f, &ax, 1);
  lp_ticks(f, &ay, 0);
  fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
             "stroke=\"#57606a\"/>\n", LP_LEFT, LP_TOP, LP_RIGHT - LP_LEFT, LP_BOTTOM - LP_TOP);
  /* axis labels */
  /* the x label centred under the plot area, where it has the room from its centre to the
   * nearer edge of the picture on either side */
  fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%g\" fill=\"#1f2328\" "
             "text-anchor=\"middle\">", (LP_LEFT + LP_RIGHT) / 2, LP_BOTTOM + 36,
          svg_fit(svg_chars(p->xlabel) + (p->logx ? scale_chars : 0),
                  2 * (LP_W - 8 - (LP_LEFT + LP_RIGHT) / 2), 12));
  dp_report_html_text(f, p->xlabel);
  if (p->logx)
    fputs(" (log scale)", f);
  fputs("</text>\n", f);
  if (npts == 0)
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" fill=\"#4d555e\" "
               "text-anchor=\"middle\">no point to draw</text>\n", (LP_LEFT + LP_RIGHT) / 2,
            (LP_TOP + LP_BOTTOM) / 2);
  /* reference lines first, measurements over them (see lp_style_of) */
  struct lp_style st[DP_PLOT_MAXSERIES];
  size_t ns = p->nseries < DP_PLOT_MAXSERIES ? p->nseries : DP_PLOT_MAXSERIES;
  for (size_t j = 0; j < ns; j++)
    lp_style_of(&st[j], p, j);
  for (int ref = 1; ref >= 0; ref--)
    for (size_t j = 0; j < ns; j++)
      if (st[j].ref == ref)
        lp_series(f, &p->series[j], &st[j], &ax, &ay);
  /* the legend, under the x label, outside the plot area: one row a series, its line as
   * drawn, a marker on a measurement, and what it is */
  for (size_t j = 0; j < ns; j++) {
    const struct dp_series *s = &p->series[j];
    double y = LP_BOTTOM + 52 + LP_LEGEND_ROW * (double)j;
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" %s/>\n", LP_LEFT,
            y - 4, LP_LEFT + 34, y - 4, st[j].attrs);
    if (!st[j].ref)
      fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\" stroke=\"#ffffff\" "
                 "stroke-width=\"0.75\"/>\n", LP_LEFT + 17, y - 4, st[j].colour);
    const char *kind = st[j].ref ? " (reference)" : " (measured)";
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%g\" fill=\"#1f2328\">",
            LP_LEFT + 42, y, svg_fit(svg_chars(s->name) + svg_chars(kind),
                                      LP_W - 8 - (LP_LEFT + 42), 12));
    dp_report_html_text(f, s->name);
    fputs(kind, f);
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
