/* diff.c: `dpcheck diff`, what changed between two runs' reports, for a reviewer comparing
 * versions, corpora or seeds.
 *
 *   dpcheck diff [--factor F] OLD NEW
 *
 * OLD and NEW are residuals.json files (docs/residuals-schema.md), or report directories that
 * hold one.  Both are read whole with Jansson and every field the comparison uses is checked
 * before anything is printed: bad input gives one line on stderr naming the file, and nothing
 * on stdout.  The changes are printed one a line, grouped (claims in one run only, verdicts and
 * standings, worst figures, false twins, findings, totals), each group in claim-id order, and
 * counted on the last line.
 *
 * Reports written before the findings and the claims' standings existed still compare: what
 * one side lacks is not a change, and the output says once that it is missing. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <jansson.h>
#include "config.h"
#include "diff.h"
#include "options.h"

#define DIFF_SCHEMA_PREFIX "dpcheck-residuals/"
#define DIFF_DEFAULT_FACTOR 10.0

static const char who[] = "dpcheck diff";

struct diff_claim {
  const char *id, *verdict;
  const char *standing; /* NULL: the report predates standings */
  json_t *worst;        /* a number, or null (NaN, infinite, or not measured) */
  int twin_ok, twin_defect, twin_untestable;
  json_int_t twin_rejected, twin_tried; /* tried: the instances the twin did not skip */
};

struct diff_finding {
  const char *claim, *key, *kind, *summary;
  size_t index; /* its place in the file: ties of (claim, key) keep the file's order */
};

struct diff_report {
  char file[PATH_MAX];
  json_t *root;
  const char *schema, *version, *date, *seed, *corpus;
  json_t *summary;
  struct diff_claim *claims; /* sorted by id */
  size_t nclaims;
  struct diff_finding *findings; /* sorted by (claim, key); NULL with has_findings 0 */
  size_t nfindings;
  int has_findings;
  char err[768]; /* the first flaw found, "" while there is none */
};

static void usage(FILE *f)
{
  fprintf(f,
"Usage: dpcheck diff [--factor F] OLD NEW\n"
"\n"
"What changed between two runs of dpcheck verify: OLD and NEW are their residuals.json\n"
"files, or the report directories holding them. One change a line, grouped, each group\n"
"in claim-id order:\n"
"  claims checked in one run only;\n"
"  verdicts (PASS, FAIL, SKIP, ERROR) and standings (as_stated, under_conditions, ...);\n"
"  worst figures that moved by more than a factor F either way, or between zero and\n"
"    non-zero, or between a measured figure and null (not measured, or infinite);\n"
"  false twins rejected, not rejected, or a harness defect;\n"
"  findings new in NEW (+) or gone from OLD (-), keyed by claim and key, and their kind;\n"
"  the summary's counts.\n"
"A header line names the two runs (seed, corpus, dpcheck version, date); the last line\n"
"counts the changes. A report without findings or standings (an older one) still\n"
"compares: what it lacks is said once, not counted.\n"
"\n"
"Options:\n"
"      --factor F   report a worst figure when max(new/old, old/new) > F (default %g;\n"
"                   F >= 1)\n"
"  -h, --help       this text\n"
"\n"
"Exit status: 0 no changes, 1 changes found (as diff(1)), 2 bad usage or bad input (one\n"
"line on stderr naming the file).\n",
          DIFF_DEFAULT_FACTOR);
}

#define fail(...) dp_opt_fail(who, __VA_ARGS__)

/* Text from the files goes on one line: a control character (a newline in a finding's
 * summary, say) would split a change over two. */
static void one_line(char *s)
{
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f)
      *s = ' ';
}

/* Records the report's first flaw; later ones follow from it and are not kept. */
static void flaw(struct diff_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void flaw(struct diff_report *r, const char *fmt, ...)
{
  if (r->err[0])
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->err, sizeof r->err, fmt, ap);
  va_end(ap);
  one_line(r->err);
}

/* obj[key], checked: the value, or "" / 0 after a flaw naming where it is (at) and what
 * was wrong. */
static const char *str_at(struct diff_report *r, json_t *obj, const char *at, const char *key)
{
  json_t *v = json_object_get(obj, key);
  if (json_is_string(v))
    return json_string_value(v);
  flaw(r, "%s%s: %s", at, key, v ? "expected a string" : "missing");
  return "";
}

static json_int_t count_at(struct diff_report *r, json_t *obj, const char *at, const char *key)
{
  json_t *v = json_object_get(obj, key);
  if (json_is_integer(v) && json_integer_value(v) >= 0)
    return json_integer_value(v);
  flaw(r, "%s%s: %s", at, key, v ? "expected a count (an integer >= 0)" : "missing");
  return 0;
}

static int bool_at(struct diff_report *r, json_t *obj, const char *at, const char *key)
{
  json_t *v = json_object_get(obj, key);
  if (json_is_boolean(v))
    return json_is_true(v);
  flaw(r, "%s%s: %s", at, key, v ? "expected true or false" : "missing");
  return 0;
}

static json_t *obj_at(struct diff_report *r, json_t *obj, const char *at, const char *key)
{
  json_t *v = json_object_get(obj, key);
  if (json_is_object(v))
    return v;
  flaw(r, "%s%s: %s", at, key, v ? "expected an object" : "missing");
  return NULL;
}

static int claim_cmp(const void *a, const void *b)
{
  return strcmp(((const struct diff_claim *)a)->id, ((const struct diff_claim *)b)->id);
}

static int finding_cmp(const void *a, const void *b)
{
  const struct diff_finding *x = a, *y = b;
  int c = strcmp(x->claim, y->claim);
  if (!c)
    c = strcmp(x->key, y->key);
  return c ? c : (x->index > y->index) - (x->index < y->index);
}

static void read_claims(struct diff_report *r, json_t *claims)
{
  r->nclaims = json_array_size(claims);
  r->claims = calloc(r->nclaims ? r->nclaims : 1, sizeof *r->claims);
  if (!r->claims) {
    flaw(r, "out of memory");
    return;
  }
  for (size_t i = 0; i < r->nclaims && !r->err[0]; i++) {
    json_t *c = json_array_get(claims, i);
    struct diff_claim *d = &r->claims[i];
    char at[96];
    snprintf(at, sizeof at, "claims[%zu].", i);
    if (!json_is_object(c)) {
      flaw(r, "claims[%zu]: expected an object", i);
      return;
    }
    d->id = str_at(r, c, at, "id");
    if (!r->err[0] && !d->id[0])
      flaw(r, "claims[%zu].id: empty", i);
    if (r->err[0])
      return;
    /* from here on the claim is named by its id, which the reader can find */
    snprintf(at, sizeof at, "claims[%zu] (%.40s).", i, d->id);
    d->verdict = str_at(r, c, at, "verdict");
    d->worst = json_object_get(c, "worst");
    if (!json_is_number(d->worst) && !json_is_null(d->worst))
      flaw(r, "%sworst: %s", at, d->worst ? "expected a number or null" : "missing");
    json_t *st = json_object_get(c, "standing");
    if (st && !json_is_string(st))
      flaw(r, "%sstanding: expected a string", at);
    d->standing = st ? json_string_value(st) : NULL;
    char tat[128];
    snprintf(tat, sizeof tat, "%stwin.", at);
    json_t *twin = obj_at(r, c, at, "twin");
    if (twin) {
      d->twin_ok = bool_at(r, twin, tat, "ok");
      d->twin_defect = bool_at(r, twin, tat, "defect");
      /* added to the schema later: an older report has no such key (false) */
      json_t *u = json_object_get(twin, "untestable");
      if (u && !json_is_boolean(u))
        flaw(r, "%suntestable: expected true or false", tat);
      d->twin_untestable = json_is_true(u);
      d->twin_rejected = count_at(r, twin, tat, "rejected");
      json_int_t n = count_at(r, twin, tat, "instances"), skip = count_at(r, twin, tat, "skip");
      d->twin_tried = n > skip ? n - skip : 0;
    }
  }
  if (r->err[0])
    return;
  qsort(r->claims, r->nclaims, sizeof *r->claims, claim_cmp);
  for (size_t i = 1; i < r->nclaims; i++)
    if (!strcmp(r->claims[i - 1].id, r->claims[i].id)) {
      flaw(r, "claims: %.40s appears twice", r->claims[i].id);
      return;
    }
}

static void read_findings(struct diff_report *r, json_t *findings)
{
  if (!findings)
    return; /* an older report: nothing to compare, said once by the caller */
  if (!json_is_array(findings)) {
    flaw(r, "findings: expected an array");
    return;
  }
  r->has_findings = 1;
  r->nfindings = json_array_size(findings);
  r->findings = calloc(r->nfindings ? r->nfindings : 1, sizeof *r->findings);
  if (!r->findings) {
    flaw(r, "out of memory");
    return;
  }
  for (size_t i = 0; i < r->nfindings && !r->err[0]; i++) {
    json_t *f = json_array_get(findings, i);
    struct diff_finding *d = &r->findings[i];
    char at[48];
    snprintf(at, sizeof at, "findings[%zu].", i);
    if (!json_is_object(f)) {
      flaw(r, "findings[%zu]: expected an object", i);
      return;
    }
    d->claim = str_at(r, f, at, "claim");
    d->key = str_at(r, f, at, "key");
    d->kind = str_at(r, f, at, "kind");
    d->summary = str_at(r, f, at, "summary");
    d->index = i;
  }
  if (!r->err[0])
    qsort(r->findings, r->nfindings, sizeof *r->findings, finding_cmp);
}

/* Reads and checks one report: 0, or 2 after the line on stderr. */
static int load(struct diff_report *r, const char *arg)
{
  struct stat sb;
  size_t len = strlen(arg);
  while (len > 1 && arg[len - 1] == '/')
    len--;
  int dir = stat(arg, &sb) == 0 && S_ISDIR(sb.st_mode);
  int k = snprintf(r->file, sizeof r->file, "%.*s%s", (int)len, arg,
                   dir ? "/residuals.json" : "");
  if (k < 0 || (size_t)k >= sizeof r->file)
    return fail("%s: name too long", arg);
  FILE *f = fopen(r->file, "r");
  if (!f)
    return fail("%s: %s", r->file, strerror(errno));
  if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
    fclose(f);
    return fail("%s: is a directory, not a report", r->file);
  }
  json_error_t je;
  r->root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
  int rerr = ferror(f) ? errno : 0;
  fclose(f);
  if (rerr)
    return fail("%s: %s", r->file, strerror(rerr));
  if (!r->root) {
    one_line(je.text);
    return fail("%s:%d:%d: not JSON: %s", r->file, je.line, je.column, je.text);
  }
  json_t *schema = json_object_get(r->root, "schema");
  if (!json_is_object(r->root) || !json_is_string(schema) ||
      strncmp(json_string_value(schema), DIFF_SCHEMA_PREFIX, strlen(DIFF_SCHEMA_PREFIX)))
    return fail("%s: not a dpcheck report (no \"schema\": \"" DIFF_SCHEMA_PREFIX "...\")",
                r->file);
  r->schema = json_string_value(schema);
  json_t *run = obj_at(r, r->root, "", "run");
  if (run) {
    r->version = str_at(r, run, "run.", "dpcheck");
    r->date = str_at(r, run, "run.", "date");
    r->seed = str_at(r, run, "run.", "seed");
    r->corpus = str_at(r, run, "run.", "corpus");
  }
  r->summary = obj_at(r, r->root, "", "summary");
  if (r->summary) {
    const char *key;
    json_t *v;
    json_object_foreach(r->summary, key, v) count_at(r, r->summary, "summary.", key);
  }
  json_t *claims = json_object_get(r->root, "claims");
  if (!json_is_array(claims))
    flaw(r, "claims: %s", claims ? "expected an array" : "missing");
  else if (!r->err[0])
    read_claims(r, claims);
  if (!r->err[0])
    read_findings(r, json_object_get(r->root, "findings"));
  return r->err[0] ? fail("%s: %s", r->file, r->err) : 0;
}

static void release(struct diff_report *r)
{
  free(r->claims);
  free(r->findings);
  json_decref(r->root);
}

/* One group of changes, kept in memory until the group is complete (its heading is printed
 * only when it has a line). */
struct group {
  const char *heading;
  char *buf;
  size_t len;
  FILE *f;
  unsigned changes;
};

static int group_open(struct group *g, const char *heading)
{
  g->heading = heading;
  g->f = open_memstream(&g->buf, &g->len);
  return g->f ? 0 : -1;
}

/* Writes one line to f, text from the files made one line (the caller's newline apart). */
static void vline(FILE *f, const char *indent, const char *fmt, va_list ap)
{
  va_list again;
  va_copy(again, ap);
  char stack[512], *line = stack;
  int n = vsnprintf(stack, sizeof stack, fmt, ap);
  if (n >= (int)sizeof stack && (line = malloc((size_t)n + 1)))
    vsnprintf(line, (size_t)n + 1, fmt, again);
  va_end(again);
  if (!line)
    line = stack; /* out of memory: the line cut, not lost */
  one_line(line);
  fprintf(f, "%s%s\n", indent, line);
  if (line != stack)
    free(line);
}

static void header(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void header(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vline(stdout, "", fmt, ap);
  va_end(ap);
}

/* A line of the group: a change (counted) or a note (not counted). */
static void put(struct group *g, int change, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put(struct group *g, int change, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vline(g->f, "  ", fmt, ap);
  va_end(ap);
  g->changes += change != 0;
}

static unsigned group_flush(struct group *g)
{
  fclose(g->f);
  if (g->len)
    printf("%s\n%s", g->heading, g->buf);
  free(g->buf);
  return g->changes;
}

static const char *twin_state(const struct diff_claim *c)
{
  return c->twin_defect       ? "DEFECT (not rejected: a harness defect)"
         : c->twin_ok         ? "rejected"
         : c->twin_untestable ? "not rejected (not testable at these sizes)"
                              : "not rejected (too few instances to tell)";
}

static void fmt_figure(json_t *v, char *buf, size_t n)
{
  if (json_is_number(v))
    snprintf(buf, n, "%.6g", json_number_value(v));
  else
    snprintf(buf, n, "null");
}

/* Whether a worst figure moved enough to report, and how (in why).  Only magnitudes are
 * compared, so a slack's sign flip near zero is not a change (the verdict says whether it
 * holds); a figure that became zero, left zero, or became or stopped being null (not
 * measured, or infinite) is always one: no factor measures those. */
static int worst_moved(json_t *a, json_t *b, double factor, char *why, size_t n)
{
  int na = json_is_number(a), nb = json_is_number(b);
  if (!na && !nb)
    return 0;
  if (!na || !nb) {
    snprintf(why, n, "%s", na ? "now null: not measured, or infinite"
                              : "was null: not measured, or infinite");
    return 1;
  }
  double x = json_number_value(a), y = json_number_value(b), ax = fabs(x), ay = fabs(y);
  if (ax == 0 && ay == 0)
    return 0;
  if (ax == 0 || ay == 0) {
    snprintf(why, n, "%s", ax == 0 ? "from zero" : "to zero");
    return 1;
  }
  double r = ay > ax ? ay / ax : ax / ay;
  if (!(r > factor))
    return 0;
  snprintf(why, n, "%.3g times %s%s", r, ay > ax ? "larger" : "smaller",
           (x < 0) != (y < 0) ? ", sign changed" : "");
  return 1;
}

static const char *show_date(const char *d)
{
  return d[0] ? d : "none";
}

static int compare(struct diff_report *o, struct diff_report *n, double factor)
{
  struct group g[6];
  static const char *const heading[6] = {"claims in one run only:", "verdicts:", NULL,
                                         "false twins:", "findings:", "totals (summary):"};
  char fig_heading[64];
  snprintf(fig_heading, sizeof fig_heading, "worst figures (beyond a factor %g):", factor);
  for (int k = 0; k < 6; k++)
    if (group_open(&g[k], k == 2 ? fig_heading : heading[k]) != 0) {
      for (int j = 0; j < k; j++)
        group_flush(&g[j]);
      return fail("out of memory");
    }
  struct group *gc = &g[0], *gv = &g[1], *gf = &g[2], *gt = &g[3], *gn = &g[4], *gs = &g[5];

  /* the claims, merged in id order */
  size_t i = 0, j = 0;
  while (i < o->nclaims || j < n->nclaims) {
    int c = i == o->nclaims ? 1 : j == n->nclaims ? -1 : strcmp(o->claims[i].id, n->claims[j].id);
    if (c < 0) {
      put(gc, 1, "%s only in OLD (verdict %s)", o->claims[i].id, o->claims[i].verdict);
      i++;
      continue;
    }
    if (c > 0) {
      put(gc, 1, "%s only in NEW (verdict %s)", n->claims[j].id, n->claims[j].verdict);
      j++;
      continue;
    }
    const struct diff_claim *a = &o->claims[i++], *b = &n->claims[j++];
    if (strcmp(a->verdict, b->verdict))
      put(gv, 1, "%s verdict %s -> %s", a->id, a->verdict, b->verdict);
    if (a->standing && b->standing && strcmp(a->standing, b->standing))
      put(gv, 1, "%s standing %s -> %s", a->id, a->standing, b->standing);
    char why[96], fa[32], fb[32];
    if (worst_moved(a->worst, b->worst, factor, why, sizeof why)) {
      fmt_figure(a->worst, fa, sizeof fa);
      fmt_figure(b->worst, fb, sizeof fb);
      put(gf, 1, "%s worst %s -> %s (%s)", a->id, fa, fb, why);
    }
    if (strcmp(twin_state(a), twin_state(b)))
      put(gt, 1, "%s twin %s, %lld/%lld -> %s, %lld/%lld", a->id, twin_state(a),
          (long long)a->twin_rejected, (long long)a->twin_tried, twin_state(b),
          (long long)b->twin_rejected, (long long)b->twin_tried);
  }

  /* the findings, merged by (claim, key); a side without any is an older report */
  if (!o->has_findings || !n->has_findings)
    put(gn, 0, "%s", !o->has_findings && !n->has_findings
                         ? "neither report has findings (older reports): not compared"
                     : !o->has_findings ? "OLD has no findings (older report): not compared"
                                        : "NEW has no findings (older report): not compared");
  else {
    i = j = 0;
    while (i < o->nfindings || j < n->nfindings) {
      const struct diff_finding *a = i < o->nfindings ? &o->findings[i] : NULL;
      const struct diff_finding *b = j < n->nfindings ? &n->findings[j] : NULL;
      int c = !a ? 1 : !b ? -1 : strcmp(a->claim, b->claim);
      if (a && b && !c)
        c = strcmp(a->key, b->key);
      if (c < 0) {
        put(gn, 1, "- %s %s (%s): %s", a->claim, a->key, a->kind, a->summary);
        i++;
      } else if (c > 0) {
        put(gn, 1, "+ %s %s (%s): %s", b->claim, b->key, b->kind, b->summary);
        j++;
      } else {
        if (strcmp(a->kind, b->kind))
          put(gn, 1, "%s %s kind %s -> %s", a->claim, a->key, a->kind, b->kind);
        i++, j++;
      }
    }
  }

  /* the summary's counts, in OLD's order; a count one side lacks is not compared */
  const char *key;
  json_t *v;
  json_object_foreach(o->summary, key, v) {
    json_t *w = json_object_get(n->summary, key);
    if (w && json_integer_value(v) != json_integer_value(w))
      put(gs, 1, "%s %lld -> %lld", key, (long long)json_integer_value(v),
          (long long)json_integer_value(w));
  }

  header("OLD %s (seed %s, corpus %s, dpcheck %s, date %s) vs NEW %s (seed %s, corpus %s, "
         "dpcheck %s, date %s)", o->file, o->seed, o->corpus, o->version, show_date(o->date),
         n->file, n->seed, n->corpus, n->version, show_date(n->date));
  if (strcmp(o->schema, n->schema))
    header("schemas differ: OLD %s, NEW %s", o->schema, n->schema);
  unsigned total = 0;
  for (int k = 0; k < 6; k++)
    total += group_flush(&g[k]);
  if (total)
    printf("%u change%s\n", total, total == 1 ? "" : "s");
  else
    printf("no changes beyond a factor %g\n", factor);
  return total ? 1 : 0;
}

int dp_cmd_diff(int argc, char **argv)
{
  static const struct option longopts[] = {
    {"factor", required_argument, 0, 'f'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
  double factor = DIFF_DEFAULT_FACTOR;
  optind = 1;
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
    switch (ch) {
    case 'f': {
      char *end;
      errno = 0;
      factor = strtod(optarg, &end);
      if (end == optarg || *end || errno || !isfinite(factor) || factor < 1)
        return fail("--factor: expected a number >= 1, got '%s' (see 'dpcheck diff --help')",
                    optarg);
      break;
    }
    case 'h': usage(stdout); return 0;
    case ':':
      return fail("option '%s' needs an argument (see 'dpcheck diff --help')", argv[optind - 1]);
    default: return fail("unknown option '%s' (see 'dpcheck diff --help')", argv[optind - 1]);
    }
  }
  if (argc - optind != 2)
    return fail("expected two reports, OLD and NEW, got %d (see 'dpcheck diff --help')",
                argc - optind);
  struct diff_report o = {0}, n = {0};
  int rc = load(&o, argv[optind]);
  if (!rc)
    rc = load(&n, argv[optind + 1]);
  if (!rc) {
    rc = compare(&o, &n, factor);
    if (fflush(stdout) != 0 || ferror(stdout))
      rc = fail("standard output: %s", strerror(errno));
  }
  release(&o);
  release(&n);
  return rc;
}
