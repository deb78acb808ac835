/* evidence.c: tables and plots a claim attaches to its result (claim.h, struct dp_evidence).
 *
 * They carry the evidence that is not one figure per instance: C05's table of condition
 * sets with ranks, nullities and witnesses; the curves of C09 (truncation error against
 * d_k), C12 (log-log remainder) and C13 (variance and entropy against d_k).  The report
 * renders them; this module only owns their memory. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "claim.h"
#include "err.h"

static void *grow(void *p, size_t n, size_t size)
{
  return n && size > (size_t)-1 / n ? NULL : realloc(p, n * size);
}

struct dp_table *dp_evidence_table(struct dp_evidence *x, const char *title, size_t ncol,
                                 const char *const *head)
{
  if (ncol == 0 || ncol > DP_TABLE_MAXCOL) {
    DP_ERROR(GSL_EINVAL, "table '%s': %zu columns (1 to %d)", title, ncol, DP_TABLE_MAXCOL);
    return NULL;
  }
  struct dp_table *t = grow(x->tables, x->ntables + 1, sizeof *t);
  if (!t) {
    DP_ERROR(GSL_ENOMEM, "table '%s': out of memory", title);
    return NULL;
  }
  x->tables = t;
  t = &x->tables[x->ntables++];
  memset(t, 0, sizeof *t);
  snprintf(t->title, sizeof t->title, "%s", title);
  t->ncol = ncol;
  for (size_t j = 0; j < ncol; j++)
    if (!(t->head[j] = strdup(head[j] ? head[j] : ""))) {
      while (j-- > 0)
        free(t->head[j]);
      x->ntables--;
      DP_ERROR(GSL_ENOMEM, "table '%s': out of memory", title);
      return NULL;
    }
  return t;
}

int dp_table_row(struct dp_table *t, ...)
{
  if (t->nrow == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 8;
    char **cell = grow(t->cell, cap * t->ncol, sizeof *cell);
    if (!cell)
      return DP_ERROR(GSL_ENOMEM, "table '%s': out of memory", t->title);
    t->cell = cell;
    t->cap = cap;
  }
  va_list ap;
  va_start(ap, t);
  char **row = &t->cell[t->nrow * t->ncol];
  for (size_t j = 0; j < t->ncol; j++) {
    const char *s = va_arg(ap, const char *);
    if (!(row[j] = strdup(s ? s : ""))) {
      va_end(ap);
      while (j-- > 0)
        free(row[j]);
      return DP_ERROR(GSL_ENOMEM, "table '%s': out of memory", t->title);
    }
  }
  va_end(ap);
  t->nrow++;
  return GSL_SUCCESS;
}

struct dp_plot *dp_evidence_plot(struct dp_evidence *x, const char *title, const char *xlabel,
                               const char *ylabel, int logx, int logy)
{
  struct dp_plot *p = grow(x->plots, x->nplots + 1, sizeof *p);
  if (!p) {
    DP_ERROR(GSL_ENOMEM, "plot '%s': out of memory", title);
    return NULL;
  }
  x->plots = p;
  p = &x->plots[x->nplots++];
  memset(p, 0, sizeof *p);
  snprintf(p->title, sizeof p->title, "%s", title);
  snprintf(p->xlabel, sizeof p->xlabel, "%s", xlabel);
  snprintf(p->ylabel, sizeof p->ylabel, "%s", ylabel);
  p->logx = logx;
  p->logy = logy;
  return p;
}

int dp_plot_series(struct dp_plot *p, const char *name, int dashed, size_t n, const double *x,
                   const double *y)
{
  if (p->nseries == DP_PLOT_MAXSERIES)
    return DP_ERROR(GSL_EINVAL, "plot '%s': more than %d series", p->title, DP_PLOT_MAXSERIES);
  struct dp_series *s = &p->series[p->nseries];
  s->x = malloc((n ? n : 1) * sizeof *s->x);
  s->y = malloc((n ? n : 1) * sizeof *s->y);
  if (!s->x || !s->y) {
    free(s->x), free(s->y);
    return DP_ERROR(GSL_ENOMEM, "plot '%s': out of memory", p->title);
  }
  memcpy(s->x, x, n * sizeof *x);
  memcpy(s->y, y, n * sizeof *y);
  snprintf(s->name, sizeof s->name, "%s", name);
  s->dashed = dashed;
  s->n = n;
  p->nseries++;
  return GSL_SUCCESS;
}

void dp_evidence_free(struct dp_evidence *x)
{
  for (size_t i = 0; i < x->ntables; i++) {
    struct dp_table *t = &x->tables[i];
    for (size_t j = 0; j < t->ncol; j++)
      free(t->head[j]);
    for (size_t k = 0; k < t->nrow * t->ncol; k++)
      free(t->cell[k]);
    free(t->cell);
  }
  for (size_t i = 0; i < x->nplots; i++)
    for (size_t k = 0; k < x->plots[i].nseries; k++) {
      free(x->plots[i].series[k].x);
      free(x->plots[i].series[k].y);
    }
  free(x->tables);
  free(x->plots);
  memset(x, 0, sizeof *x);
}
