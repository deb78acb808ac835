/* glove.c: the GloVe-style operator, fitted by weighted least squares with AdaGrad.
 *
 * The fit keeps the non-zeros of X as records (row, column, log X, f(X)), 24 bytes each,
 * enumerated row-major from either storage; the parameters are held as glove.c lays them
 * out, 2V rows of d + 1 (a word's d weights then its bias; the V word rows, then the V
 * context rows), which is also the order they are drawn in, and each has its accumulator
 * beside it in a second array of the same shape.  An epoch shuffles the records in place
 * (Fisher-Yates), then visits them in order, so its reads of X are sequential.  The
 * result is copied out into the four GSL objects of struct dp_glove.  No tolerance lives
 * here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "args.h"
#include "err.h"
#include "glove.h"
#include "numeric.h"
#include "rng.h"

void dp_glove_opts_default(struct dp_glove_opts *o)
{
  if (!o)
    return;
  memset(o, 0, sizeof *o);
  o->d = 50;
  o->epochs = 25;
  o->x_max = 100.0;
  o->alpha = 0.75;
  o->eta = 0.05;
  o->seed = 1;
}

/* --- the non-zeros of X ------------------------------------------------------------------ */

/* GloVe's weight: 1 from x_max on, (x / x_max)^alpha below. */
static double weight(double x, double x_max, double alpha)
{
  return x >= x_max ? 1.0 : pow(x / x_max, alpha);
}

/* Walks the stored entries of X row-major (dense: every entry; sparse: the stored ones,
 * columns ascending within a row). */
struct cursor {
  const dp_smat *X;
  size_t i, j; /* dense: the next entry */
  size_t r;    /* sparse: the current row */
  int q;       /* sparse: the next stored entry */
};

static void cursor_start(struct cursor *c, const dp_smat *X)
{
  memset(c, 0, sizeof *c);
  c->X = X;
  if (X->kind == DP_SMAT_SPARSE)
    c->q = X->s->p[0];
}

/* The next stored entry: 1 with (i, j, x), 0 at the end. */
static int cursor_next(struct cursor *c, size_t *i, size_t *j, double *x)
{
  const dp_smat *X = c->X;
  if (X->kind == DP_SMAT_DENSE) {
    if (c->i >= X->n1)
      return 0;
    *i = c->i;
    *j = c->j;
    *x = X->d->data[c->i * X->d->tda + c->j];
    if (++c->j == X->n2) {
      c->j = 0;
      c->i++;
    }
    return 1;
  }
  const gsl_spmatrix *s = X->s;
  while (c->r < X->n1 && c->q >= s->p[c->r + 1])
    c->r++;
  if (c->r >= X->n1)
    return 0;
  *i = c->r;
  *j = (size_t)s->i[c->q];
  *x = s->data[c->q];
  c->q++;
  return 1;
}

/* X non-NULL, square (V x V, V >= 1, and V = want unless want is 0), every stored entry finite
 * and >= 0, at least one > 0; *nnz = the positive entries. */
static int check_X(const char *who, const dp_smat *X, size_t want, size_t *nnz)
{
  if (!X || (X->kind == DP_SMAT_DENSE ? !X->d : !X->s))
    return DP_ERROR(GSL_EFAULT, "%s: X is NULL", who);
  if (X->n1 != X->n2)
    return DP_ERROR(GSL_EBADLEN, "%s: X is %zu x %zu, not square", who, X->n1, X->n2);
  if (want && X->n1 != want)
    return DP_ERROR(GSL_EBADLEN, "%s: X is %zu x %zu, the model has V = %zu", who, X->n1,
                    X->n2, want);
  struct cursor c;
  size_t i, j, n = 0;
  double x;
  cursor_start(&c, X);
  while (cursor_next(&c, &i, &j, &x)) {
    if (isnan(x))
      return DP_ERROR(GSL_EINVAL, "%s: X(%zu, %zu) is NaN", who, i, j);
    if (isinf(x))
      return DP_ERROR(GSL_EINVAL, "%s: X(%zu, %zu) is infinite", who, i, j);
    if (x < 0)
      return DP_ERROR(GSL_EINVAL, "%s: X(%zu, %zu) = %g is negative", who, i, j, x);
    n += x > 0;
  }
  if (n == 0)
    return DP_ERROR(GSL_EINVAL, "%s: X (%zu x %zu) has no positive entry", who, X->n1, X->n2);
  *nnz = n;
  return GSL_SUCCESS;
}

static int check_opts(const char *who, const struct dp_glove_opts *o)
{
  if (!o)
    return DP_ERROR(GSL_EFAULT, "%s: opts is NULL", who);
  if (o->d == 0)
    return DP_ERROR(GSL_EINVAL, "%s: d = 0: the vectors need at least one component", who);
  if (o->epochs == 0)
    return DP_ERROR(GSL_EINVAL, "%s: epochs = 0: at least one pass is needed", who);
  if (!(isfinite(o->x_max) && o->x_max > 0))
    return DP_ERROR(GSL_EINVAL, "%s: x_max = %g must be finite and positive", who, o->x_max);
  if (!(isfinite(o->alpha) && o->alpha >= 0))
    return DP_ERROR(GSL_EINVAL, "%s: alpha = %g must be finite and >= 0", who, o->alpha);
  if (!(isfinite(o->eta) && o->eta > 0))
    return DP_ERROR(GSL_EINVAL, "%s: eta = %g must be finite and positive", who, o->eta);
  return GSL_SUCCESS;
}

/* --- the model ---------------------------------------------------------------------------- */

void dp_glove_free(struct dp_glove *g)
{
  if (!g)
    return;
  gsl_matrix_free(g->W);
  gsl_matrix_free(g->Wc);
  gsl_vector_free(g->b);
  gsl_vector_free(g->bc);
  free(g);
}

/* A V x d model with its four objects allocated (uninitialised). */
static int model_alloc(const char *who, size_t V, size_t d, struct dp_glove **out)
{
  struct dp_glove *g = calloc(1, sizeof *g);
  int st = dp_alloc_ok(who, 1, (void *[]){g});
  if (st != GSL_SUCCESS)
    return st;
  g->V = V;
  g->d = d;
  g->W = gsl_matrix_alloc(V, d);
  g->Wc = gsl_matrix_alloc(V, d);
  g->b = gsl_vector_alloc(V);
  g->bc = gsl_vector_alloc(V);
  st = dp_alloc_ok(who, 4, (void *[]){g->W, g->Wc, g->b, g->bc});
  if (st != GSL_SUCCESS) {
    dp_glove_free(g);
    return st;
  }
  *out = g;
  return GSL_SUCCESS;
}

/* One non-zero of X as the fit visits it. */
struct rec {
  uint32_t i, j;
  double lx, f; /* log X_ij, f(X_ij) */
};

/* One pass over the records in their order: the AdaGrad steps of glove.c; returns the sum
 * of 0.5 f diff^2, each term before its update.  P and G are 2V x (d + 1). */
static double epoch(const struct rec *rs, size_t n, size_t V, size_t d, double eta, double *P,
                    double *G)
{
  const size_t w = d + 1;
  struct dp_numeric_sum cost = {0};
  for (size_t k = 0; k < n; k++) {
    const struct rec *e = &rs[k];
    double *wi = P + (size_t)e->i * w, *wj = P + (V + e->j) * w;
    double *gi = G + (size_t)e->i * w, *gj = G + (V + e->j) * w;
    double diff = 0.0;
    for (size_t c = 0; c < d; c++)
      diff += wi[c] * wj[c];
    diff += wi[d] + wj[d] - e->lx;
    double fdiff = e->f * diff;
    dp_numeric_sum_add(&cost, 0.5 * fdiff * diff);
    double step = eta * fdiff; /* eta times the common factor of every gradient component */
    for (size_t c = 0; c < d; c++) {
      double ti = step * wj[c], tj = step * wi[c]; /* both from the values before the step */
      wi[c] -= ti / sqrt(gi[c]);
      wj[c] -= tj / sqrt(gj[c]);
      gi[c] += ti * ti;
      gj[c] += tj * tj;
    }
    wi[d] -= step / sqrt(gi[d]);
    wj[d] -= step / sqrt(gj[d]);
    gi[d] += step * step;
    gj[d] += step * step;
  }
  return dp_numeric_sum_value(&cost);
}

int dp_glove_fit(const dp_smat *X, const struct dp_glove_opts *o, struct dp_glove **out,
                 double *cost)
{
  static const char who[] = "dp_glove_fit";
  if (!out)
    return DP_ERROR(GSL_EFAULT, "%s: out is NULL", who);
  *out = NULL;
  DP_TRY(check_opts(who, o));
  size_t n;
  DP_TRY(check_X(who, X, 0, &n));
  const size_t V = X->n1, d = o->d, w = d + 1;
  if (V > UINT32_MAX)
    return DP_ERROR(GSL_EINVAL, "%s: V = %zu exceeds 2^32 - 1 words", who, V);
  if (n > SIZE_MAX / sizeof(struct rec) || w > SIZE_MAX / sizeof(double) / 2 / V)
    return DP_ERROR(GSL_ENOMEM, "%s: %zu non-zeros at V = %zu, d = %zu do not fit in memory",
                    who, n, V, d);

  struct rec *rs = malloc(n * sizeof *rs);
  double *P = malloc(2 * V * w * sizeof *P), *G = malloc(2 * V * w * sizeof *G);
  struct dp_glove *g = NULL;
  int st = dp_alloc_ok(who, 3, (void *[]){rs, P, G});
  if (st == GSL_SUCCESS)
    st = model_alloc(who, V, d, &g);
  if (st != GSL_SUCCESS)
    goto done;

  /* The records, row-major. */
  struct cursor c;
  size_t i, j, k = 0;
  double x;
  cursor_start(&c, X);
  while (cursor_next(&c, &i, &j, &x))
    if (x > 0)
      rs[k++] = (struct rec){(uint32_t)i, (uint32_t)j, log(x), weight(x, o->x_max, o->alpha)};

  /* glove.c's start: every parameter uniform in [-0.5, 0.5) / d, drawn in layout order;
   * every accumulator 1, so that the first steps are eta times the gradient. */
  dp_rng r;
  dp_rng_seed(&r, o->seed);
  for (size_t q = 0; q < 2 * V * w; q++) {
    P[q] = (dp_rng_uniform(&r) - 0.5) / (double)d;
    G[q] = 1.0;
  }

  for (unsigned e = 0; e < o->epochs; e++) {
    for (size_t q = n - 1; q > 0; q--) { /* Fisher-Yates */
      size_t p = dp_rng_below(&r, q + 1);
      struct rec t = rs[q];
      rs[q] = rs[p];
      rs[p] = t;
    }
    double J = epoch(rs, n, V, d, o->eta, P, G);
    if (!isfinite(J)) {
      st = DP_ERROR(GSL_ERUNAWAY, "%s: the cost diverged to %g in epoch %u (eta = %g too "
                    "large?)", who, J, e + 1, o->eta);
      goto done;
    }
    if (cost)
      cost[e] = J;
    if (o->tick)
      o->tick(o->tick_arg, e + 1, o->epochs, J);
  }

  for (size_t a = 0; a < V; a++) {
    memcpy(g->W->data + a * g->W->tda, P + a * w, d * sizeof *P);
    memcpy(g->Wc->data + a * g->Wc->tda, P + (V + a) * w, d * sizeof *P);
    gsl_vector_set(g->b, a, P[a * w + d]);
    gsl_vector_set(g->bc, a, P[(V + a) * w + d]);
  }
  for (size_t q = 0; q < 2 * V * w; q++)
    if (!isfinite(P[q])) {
      st = DP_ERROR(GSL_ERUNAWAY, "%s: a parameter diverged to %g (eta = %g too large?)", who,
                    P[q], o->eta);
      goto done;
    }
  *out = g;
  g = NULL;
done:
  dp_glove_free(g);
  free(rs);
  free(P);
  free(G);
  return st;
}

/* --- vectors from a file ---------------------------------------------------------------- */

static int finite_matrix(const char *who, const char *name, const gsl_matrix *A)
{
  for (size_t i = 0; i < A->size1; i++)
    for (size_t j = 0; j < A->size2; j++)
      if (!isfinite(gsl_matrix_get(A, i, j)))
        return DP_ERROR(GSL_EINVAL, "%s: %s(%zu, %zu) = %g is not finite", who, name, i, j,
                        gsl_matrix_get(A, i, j));
  return GSL_SUCCESS;
}

static int finite_vector(const char *who, const char *name, const gsl_vector *v, size_t V)
{
  if (v->size != V)
    return DP_ERROR(GSL_EBADLEN, "%s: %s has %zu entries, expected V = %zu", who, name,
                    v->size, V);
  for (size_t i = 0; i < V; i++)
    if (!isfinite(gsl_vector_get(v, i)))
      return DP_ERROR(GSL_EINVAL, "%s: %s(%zu) = %g is not finite", who, name, i,
                      gsl_vector_get(v, i));
  return GSL_SUCCESS;
}

int dp_glove_from_vectors(const gsl_matrix *W, const gsl_matrix *Wc, const gsl_vector *b,
                          const gsl_vector *bc, struct dp_glove **out)
{
  static const char who[] = "dp_glove_from_vectors";
  if (!out)
    return DP_ERROR(GSL_EFAULT, "%s: out is NULL", who);
  *out = NULL;
  if (!W)
    return DP_ERROR(GSL_EFAULT, "%s: W is NULL", who);
  const size_t V = W->size1, d = W->size2;
  DP_TRY(finite_matrix(who, "W", W));
  if (Wc) {
    DP_TRY(dp_args_shape(who, "Wc", Wc, V, d));
    DP_TRY(finite_matrix(who, "Wc", Wc));
  }
  if (b)
    DP_TRY(finite_vector(who, "b", b, V));
  if (bc)
    DP_TRY(finite_vector(who, "bc", bc, V));
  struct dp_glove *g = NULL;
  DP_TRY(model_alloc(who, V, d, &g));
  gsl_matrix_memcpy(g->W, W);
  gsl_matrix_memcpy(g->Wc, Wc ? Wc : W);
  if (b)
    gsl_vector_memcpy(g->b, b);
  else
    gsl_vector_set_zero(g->b);
  if (bc)
    gsl_vector_memcpy(g->bc, bc);
  else
    gsl_vector_set_zero(g->bc);
  *out = g;
  return GSL_SUCCESS;
}

/* --- the operator -------------------------------------------------------------------------- */

static int check_model(const char *who, const struct dp_glove *g)
{
  if (!g || !g->W || !g->Wc || !g->b || !g->bc)
    return DP_ERROR(GSL_EFAULT, "%s: no model", who);
  if (g->V == 0 || g->d == 0)
    return DP_ERROR(GSL_EBADLEN, "%s: the model is empty (V = %zu, d = %zu)", who, g->V, g->d);
  DP_TRY(dp_args_shape(who, "W", g->W, g->V, g->d));
  DP_TRY(dp_args_shape(who, "Wc", g->Wc, g->V, g->d));
  if (g->b->size != g->V || g->bc->size != g->V)
    return DP_ERROR(GSL_EBADLEN, "%s: the biases have %zu and %zu entries, expected V = %zu",
                    who, g->b->size, g->bc->size, g->V);
  return GSL_SUCCESS;
}

/* P_ab = (w_a . w~_b + b_a) + b~_b, the dot product summed in index order. */
static double pred(const struct dp_glove *g, size_t a, size_t b)
{
  const double *wa = g->W->data + a * g->W->tda, *wb = g->Wc->data + b * g->Wc->tda;
  double s = 0.0;
  for (size_t k = 0; k < g->d; k++)
    s += wa[k] * wb[k];
  return (s + g->b->data[a * g->b->stride]) + g->bc->data[b * g->bc->stride];
}

/* S_ab, the two predictions added in one order whichever of a, b is given first. */
static double sym(const struct dp_glove *g, size_t a, size_t b)
{
  size_t lo = a < b ? a : b, hi = a < b ? b : a;
  return 0.5 * (pred(g, lo, hi) + pred(g, hi, lo));
}

int dp_glove_gather(const struct dp_glove *g, const size_t *rows, size_t nr,
                    const size_t *cols, size_t nc, gsl_matrix **out)
{
  static const char who[] = "dp_glove_gather";
  if (!out)
    return DP_ERROR(GSL_EFAULT, "%s: out is NULL", who);
  *out = NULL;
  DP_TRY(check_model(who, g));
  if (nr == 0 || nc == 0)
    return DP_ERROR(GSL_EBADLEN, "%s: nr = %zu and nc = %zu must be positive", who, nr, nc);
  DP_TRY(dp_args_tokens(who, "rows", rows, nr, g->V));
  DP_TRY(dp_args_tokens(who, "cols", cols, nc, g->V));
  gsl_matrix *S = gsl_matrix_alloc(nr, nc);
  DP_TRY(dp_alloc_ok(who, 1, (void *[]){S}));
  for (size_t r = 0; r < nr; r++)
    for (size_t c = 0; c < nc; c++)
      S->data[r * S->tda + c] = sym(g, rows[r], cols[c]);
  *out = S;
  return GSL_SUCCESS;
}

/* --- the share explained ----------------------------------------------------------------- */

/* 1 - res / tot; NaN when tot is 0. */
static double share(double res, double tot)
{
  return tot > 0 ? 1.0 - res / tot : NAN;
}

int dp_glove_explained(const struct dp_glove *g, const dp_smat *X,
                       struct dp_glove_explained *out)
{
  static const char who[] = "dp_glove_explained";
  if (!out)
    return DP_ERROR(GSL_EFAULT, "%s: out is NULL", who);
  out->weighted = out->plain = out->sym_weighted = NAN;
  out->nnz = 0;
  DP_TRY(check_model(who, g));
  size_t n;
  DP_TRY(check_X(who, X, g->V, &n));
  struct dp_glove_opts o;
  dp_glove_opts_default(&o);

  /* The means: f-weighted and plain. */
  struct dp_numeric_sum sf = {0}, sfl = {0}, sl = {0};
  struct cursor c;
  size_t i, j;
  double x;
  cursor_start(&c, X);
  while (cursor_next(&c, &i, &j, &x))
    if (x > 0) {
      double f = weight(x, o.x_max, o.alpha), lx = log(x);
      dp_numeric_sum_add(&sf, f);
      dp_numeric_sum_add(&sfl, f * lx);
      dp_numeric_sum_add(&sl, lx);
    }
  double mean_f = dp_numeric_sum_value(&sfl) / dp_numeric_sum_value(&sf);
  double mean = dp_numeric_sum_value(&sl) / (double)n;

  /* The residual and total sums. */
  struct dp_numeric_sum rw = {0}, tw = {0}, rp = {0}, tp = {0}, rs = {0};
  cursor_start(&c, X);
  while (cursor_next(&c, &i, &j, &x))
    if (x > 0) {
      double f = weight(x, o.x_max, o.alpha), lx = log(x);
      double ep = pred(g, i, j) - lx, es = sym(g, i, j) - lx;
      double dw = lx - mean_f, dp = lx - mean;
      dp_numeric_sum_add(&rw, f * ep * ep);
      dp_numeric_sum_add(&tw, f * dw * dw);
      dp_numeric_sum_add(&rp, ep * ep);
      dp_numeric_sum_add(&tp, dp * dp);
      dp_numeric_sum_add(&rs, f * es * es);
    }
  double totw = dp_numeric_sum_value(&tw);
  out->weighted = share(dp_numeric_sum_value(&rw), totw);
  out->plain = share(dp_numeric_sum_value(&rp), dp_numeric_sum_value(&tp));
  out->sym_weighted = share(dp_numeric_sum_value(&rs), totw);
  out->nnz = n;
  return GSL_SUCCESS;
}
