/* c16_heads.c: claim C16, multi-head attention as a sum of projections.
 *
 * Paper: splitting S = sum_h S^(h) over h heads gives M = sum_h Q S^(h) Q^T exactly;
 * Concat(head_1..head_h) W_O = sum_h head_h W_O^(h); in the linear regime h heads of width
 * d/h realise the same rank-d projections as one head of width d; with softmax they differ.
 * The split checked is spectral: from S = U L U^T (|lambda| order o, numerical rank r), head
 * g of width w_g (floor or ceil of d/h, the wider first; d need not be divisible by h) takes
 * the next w_g eigenpairs among the first r: S^(g) = U_g L_g U_g^T, rank <= w_g, and
 * sum_g S^(g) = S_r.  Premise: r <= d and every head holds its group (its eigenpairs, at most
 * w_g, fit its key width d_k^(g), the split of d_k); other instances are skipped.  Checked on
 * each instance (heads.h):
 *  (a) the exact sum identity: M gathered from S against sum_g Q S^(g) Q^T (each gathered
 *      from the computed S^(g)), beyond max_a n_a ||S - S_r||_F (C08's dropped part);
 *      n = V + d + h, scale = max_a n_a (||S||_F + sum_{j<r} |lambda_j|);
 *  (b) the linear regime: the h heads' logits H W_Q^(g) W_K^(g)T H^T / sqrt(d_k^(g)), each
 *      head realising its group on the shared C08 embedding, summed, against M (beyond the
 *      dropped part; n = V + 2d + max d_k^(g) + h, scale = ||H||^2 + max_a n_a ||S||_F as in
 *      C08) and against one head of width d and key width d_k (C08's realisation; the same
 *      n, scale 2 ||H||^2: both chains, the eigen-decomposition being common);
 *  (c) Concat(head_1..head_h) W_O = sum_g head_g W_O^(g), head_g = softmax(L_g) H W_V^(g):
 *      n = d_v, scale = ||Concat|| ||W_O||;
 * The gap ||O_multi - O_single|| / ||O_single|| with softmax is measured (the evidence plots
 * it against h), not judged.
 * Twin: O_multi = O_single (the sum of per-head softmax outputs is the single-head softmax
 * output), by test ratio with n = R + 2d + max d_k^(g) + d_v + h and
 * scale = 2 (1 + ||H||^2) sqrt(R) ||H|| ||W_V|| ||W_O||: the rounding of both outputs' chains
 * (||softmax rows|| <= sqrt(R)), with the logits' rounding (at most eps n ||H||^2 at every
 * entry) carried through the softmax as a relative error of the weights.  Skipped where it
 * cannot differ: h = 1, one word (every softmax row uniform), rank(S) = 0 (every logit 0). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include "attn.h"
#include "cooc.h"
#include "heads.h"
#include "select.h"
#include "resid.h"
#include "softmax.h"
#include "spectral.h"
#include "err.h"
#include "seed.h"
#include "exact.h"
#include "family.h"
#include "family_attn.h"
#include "family_heads.h"
#include "props.h"

/* The exact tier's entries: uniform in [-2^20, 2^20]. */
#define C16_EXACT_RANGE (1L << 20)

#define HM DP_HEADS_MAX

/* What one instance measured (NaN where not). */
struct figs {
  double a, b, b1, c, gap, twin;
};

/* The heads' widths: model, key and value widths split into h. */
struct layout {
  size_t h, w[HM], dk[HM], dv[HM], dkmax;
};

static int layout_of(const struct dp_heads_inst *x, struct layout *l)
{
  l->h = x->h;
  int st = dp_heads_split(x->d, x->h, l->w);
  if (st == GSL_SUCCESS)
    st = dp_heads_split(x->d_k, x->h, l->dk);
  if (st == GSL_SUCCESS)
    st = dp_heads_split(x->d_v, x->h, l->dv);
  l->dkmax = st == GSL_SUCCESS ? l->dk[0] : 0; /* the wider first */
  return st;
}

/* Everything one instance needs, allocated at once. */
struct work {
  size_t h;
  gsl_matrix *W_E, *W_Q[HM], *W_K[HM], *L[HM], *heads[HM], *Lsum, *M, *Mg, *Msum, *Sg;
  gsl_matrix *Ocat, *Osum, *Osingle, *W_E1, *W_Q1, *W_K1, *L1;
};

static void work_free(struct work *k)
{
  gsl_matrix *all[] = {k->W_E, k->Lsum, k->M, k->Mg, k->Msum, k->Sg, k->Ocat, k->Osum,
                       k->Osingle, k->W_E1, k->W_Q1, k->W_K1, k->L1};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
    gsl_matrix_free(all[i]);
  for (size_t g = 0; g < k->h; g++) {
    gsl_matrix_free(k->W_Q[g]);
    gsl_matrix_free(k->W_K[g]);
    gsl_matrix_free(k->L[g]);
    gsl_matrix_free(k->heads[g]);
  }
}

static int work_alloc(const struct dp_heads_inst *x, const struct layout *l, struct work *k)
{
  size_t V = x->base->V, R = x->base->R, d = x->d, o = x->d_out;
  memset(k, 0, sizeof *k);
  k->h = l->h;
  int st = GSL_SUCCESS;
  for (size_t g = 0; g < l->h && st == GSL_SUCCESS; g++) {
    k->W_Q[g] = gsl_matrix_alloc(d, l->dk[g]);
    k->W_K[g] = gsl_matrix_alloc(d, l->dk[g]);
    k->L[g] = gsl_matrix_alloc(R, R);
    k->heads[g] = gsl_matrix_alloc(R, l->dv[g]);
    st = dp_alloc_ok("C16", 4, (void *[]){k->W_Q[g], k->W_K[g], k->L[g], k->heads[g]});
  }
  k->W_E = gsl_matrix_alloc(V, d);
  k->Lsum = gsl_matrix_alloc(R, R);
  k->M = gsl_matrix_alloc(R, R);
  k->Mg = gsl_matrix_alloc(R, R);
  k->Msum = gsl_matrix_calloc(R, R);
  k->Sg = gsl_matrix_alloc(V, V);
  k->Ocat = gsl_matrix_alloc(R, o);
  k->Osum = gsl_matrix_alloc(R, o);
  k->Osingle = gsl_matrix_alloc(R, o);
  k->W_E1 = gsl_matrix_alloc(V, d);
  k->W_Q1 = gsl_matrix_alloc(d, x->d_k);
  k->W_K1 = gsl_matrix_alloc(d, x->d_k);
  k->L1 = gsl_matrix_alloc(R, R);
  if (st == GSL_SUCCESS)
    st = dp_alloc_ok("C16", 13,
                     (void *[]){k->W_E, k->Lsum, k->M, k->Mg, k->Msum, k->Sg, k->Ocat, k->Osum,
                                k->Osingle, k->W_E1, k->W_Q1, k->W_K1, k->L1});
  return st;
}

/* The premise: r <= d and every head holds its group; 0 when not (o says why). */
static int premise(const struct dp_heads_inst *x, const struct dp_spectral_eig *e,
                   const struct layout *l, struct dp_outcome *o)
{
  if (e->rank > x->d) {
    dp_outcome_skip(o, "rank(S)=%zu > d=%zu: the heads cannot hold S", e->rank, x->d);
    return 0;
  }
  for (size_t g = 0, off = 0; g < l->h; off += l->w[g], g++) {
    size_t m = dp_heads_group_rank(e, off, l->w[g]);
    if (m > l->dk[g]) {
      dp_outcome_skip(o, "head %zu of %zu holds %zu eigenpairs > its key width %zu (d_k=%zu)",
                      g, l->h, m, l->dk[g], x->d_k);
      return 0;
    }
  }
  return 1;
}

/* Measure claim (twin = 0) or twin (twin = 1) on x; f (may be NULL) gets the figures. */
static void measure(const struct dp_heads_inst *x, int twin, struct dp_outcome *o, struct figs *f)
{
  const struct dp_inst *b = x->base;
  size_t R = b->R, V = b->V, d = x->d, h = x->h;
  struct figs fl = {NAN, NAN, NAN, NAN, NAN, NAN};
  struct dp_spectral_eig e = {0};
  struct layout l;
  struct work k;
  memset(&k, 0, sizeof k);
  if (!f)
    f = &fl;
  *f = fl;
  if (layout_of(x, &l) != GSL_SUCCESS || dp_spectral_eig_make(b->S, &e) != GSL_SUCCESS) {
    dp_outcome_broken(o, "heads: %s", dp_err_last());
    return;
  }
  if (!premise(x, &e, &l, o))
    goto out;
  if (twin) {
    if (h == 1) {
      dp_outcome_skip(o, "h=1: one head is the single head, the same operations");
      goto out;
    }
    if (dp_twin_skip_one_word(b->t, R, V, "every head's softmax rows are uniform, and so "
                              "are the single head's", o))
      goto out;
    if (e.rank == 0) {
      dp_outcome_skip(o, "rank(S)=0: every logit is 0, every softmax row uniform");
      goto out;
    }
  }
  size_t nmax = dp_max_multiplicity(b->t, R, V, NULL);
  double nH = NAN, nS = dp_resid_norm(b->S), drop = (double)nmax * dp_spectral_dropped(&e);
  int st = work_alloc(x, &l, &k);
  /* the heads, their logits and outputs; one head of width d (C08's realisation) */
  if (st == GSL_SUCCESS)
    st = dp_heads_realise(&e, h, l.w, l.dk, k.W_E, k.W_Q, k.W_K);
  if (st == GSL_SUCCESS)
    st = dp_heads_logits(b->t, R, k.W_E, h, (const gsl_matrix *const *)k.W_Q,
                         (const gsl_matrix *const *)k.W_K, k.L, k.Lsum, &nH);
  if (st == GSL_SUCCESS)
    st = dp_heads_values(b->t, R, k.W_E, h, (const gsl_matrix *const *)k.L, x->W_V, l.dv, k.heads);
  if (st == GSL_SUCCESS)
    st = dp_heads_concat(h, (const gsl_matrix *const *)k.heads, x->W_O, k.Ocat);
  if (st == GSL_SUCCESS)
    st = dp_heads_sum(h, (const gsl_matrix *const *)k.heads, x->W_O, k.Osum);
  if (st == GSL_SUCCESS)
    st = dp_heads_single(b->t, R, k.W_E, k.Lsum, x->W_V, x->W_O, k.Osingle);
  if (st == GSL_SUCCESS)
    st = dp_attn_realise(&e, d, x->d_k, k.W_E1, k.W_Q1, k.W_K1);
  if (st == GSL_SUCCESS)
    st = dp_attn_scores(b->t, R, k.W_E1, k.W_Q1, k.W_K1, k.L1, NULL);
  if (st != GSL_SUCCESS) {
    dp_outcome_broken(o, "heads: %s", dp_err_last());
    goto out;
  }
  double nV = dp_resid_norm(x->W_V), nO = dp_resid_norm(x->W_O), nOs = dp_resid_norm(k.Osingle);
  double dO = dp_resid_diff(k.Osum, k.Osingle, 0);
  f->gap = nOs > 0 ? dO / nOs : (dO > 0 ? INFINITY : 0.0);
  if (twin) {
    double n = (double)(R + 2 * d + l.dkmax + x->d_v + h);
    double sc = 2.0 * (1.0 + nH * nH) * sqrt((double)R) * nH * nV * nO;
    f->twin = dp_resid_ratio(dO, n, sc);
    dp_outcome_part(o, DP_JUDGE_RATIO, f->twin,
                    "h=%zu: sum of per-head softmax outputs = single-head output (gap %.3g of "
                    "||O_single||): n=R+2d+max d_k^(g)+d_v+h=%g, scale=2(1+||H||^2) sqrt(R) "
                    "||H|| ||W_V|| ||W_O||=%.3g", h, f->gap, n, sc);
    goto out;
  }
  /* (a) M = sum_g Q S^(g) Q^T */
  dp_select_gather(b->S, b->t, R, k.M);
  for (size_t g = 0, off = 0; g < h && st == GSL_SUCCESS; off += l.w[g], g++) {
    st = dp_heads_group(&e, off, l.w[g], k.Sg);
    if (st == GSL_SUCCESS) {
      dp_select_gather(k.Sg, b->t, R, k.Mg);
      gsl_matrix_add(k.Msum, k.Mg);
    }
  }
  if (st != GSL_SUCCESS) {
    dp_outcome_broken(o, "spectral groups: %s", dp_err_last());
    goto out;
  }
  double na = (double)(V + d + h), sa = (double)nmax * (nS + dp_spectral_eig_nuclear(&e, e.rank));
  f->a = dp_resid_ratio(dp_resid_excess(dp_resid_diff(k.Msum, k.M, 0), drop), na, sa);
  dp_outcome_part(o, DP_JUDGE_RATIO, f->a,
                  "(a) h=%zu, r=%zu (%zu+ %zu-), d=%zu: M = sum_g Q S^(g) Q^T beyond max n_a "
                  "||S - S_r||=%.3g: n=V+d+h=%g, scale=max n_a (||S||+||S_r||_*)=%.3g",
                  h, e.rank, e.npos, e.nneg, d, drop, na, sa);
  /* (b) the heads' logits sum to M, and to one head's */
  double nb = (double)(V + 2 * d + l.dkmax + h), sb = nH * nH + (double)nmax * nS;
  f->b = dp_resid_ratio(dp_resid_excess(dp_resid_diff(k.Lsum, k.M, 0), drop), nb, sb);
  dp_outcome_part(o, DP_JUDGE_RATIO, f->b,
                  "(b) h=%zu heads (d=%zu, d_k=%zu): sum_g H W_Q^(g) W_K^(g)T H^T/sqrt(d_k^(g)) "
                  "= M beyond %.3g: n=V+2d+max d_k^(g)+h=%g, scale=||H||^2+max n_a ||S||=%.3g",
                  h, d, x->d_k, drop, nb, sb);
  /* both sides share the eigen-decomposition: only the two chains round apart */
  double nb1 = (double)(2 * d + l.dkmax + h);
  f->b1 = dp_resid_ratio(dp_resid_diff(k.Lsum, k.L1, 0), nb1, 2.0 * nH * nH);
  dp_outcome_part(o, DP_JUDGE_RATIO, f->b1,
                  "(b) h=%zu heads = one head of width d=%zu, d_k=%zu: n=2d+max d_k^(g)+h=%g, "
                  "scale=2||H||^2=%.3g", h, d, x->d_k, nb1, 2.0 * nH * nH);
  /* (c) the two routes of W_O */
  double nc2 = 0.0;
  for (size_t g = 0; g < h; g++)
    nc2 = hypot(nc2, dp_resid_norm(k.heads[g]));
  double nc = (double)x->d_v, sc = nc2 * nO;
  f->c = dp_resid_ratio(dp_resid_diff(k.Ocat, k.Osum, 0), nc, sc);
  dp_outcome_part(o, DP_JUDGE_RATIO, f->c,
                  "(c) Concat(head_1..head_%zu) W_O = sum_g head_g W_O^(g): n=d_v=%g, "
                  "scale=||Concat|| ||W_O||=%.3g", h, nc, sc);
out:
  work_free(&k);
  dp_spectral_eig_free(&e);
}

static void check(const void *inst, struct dp_outcome *o) { measure(inst, 0, o, NULL); }
static void twin(const void *inst, struct dp_outcome *o) { measure(inst, 1, o, NULL); }

/* --- real text ------------------------------------------------------------------------- */

/* The real-text rows' and the plot's value and output widths. */
#define REAL_DV 24
#define REAL_DOUT 8

/* The multi-head instance of h heads on the shared real-text instance of operator op:
 * d = d_k = max(rank(S), 1), d_v = 24, d_out = 8, W_V and W_O from the run's
 * "C16 real text weights" substream (the same for every h).  *out stays NULL when h > d. */
static int real_inst(const struct dp_ctx *ctx, int op, size_t h, struct dp_heads_inst **out,
                     char *label, size_t n)
{
  const struct dp_attn_inst *a = NULL;
  char lab[200];
  *out = NULL;
  int st = dp_attn_inst_shared(ctx, 120, 64, op, &a, lab, sizeof lab);
  if (st != GSL_SUCCESS)
    return st;
  if (h > a->d) /* fewer dimensions than heads: no instance */
    return GSL_SUCCESS;
  *out = dp_heads_inst_around(a->base, a->d, a->d, REAL_DV, REAL_DOUT, h,
                              dp_ctx_stream(ctx, "C16 real text weights"));
  if (!*out)
    return GSL_ENOMEM;
  if (label)
    snprintf(label, n, "%.140s; h=%zu heads, d=d_k=%zu, d_v=%d", lab, h, a->d, REAL_DV);
  return GSL_SUCCESS;
}

static int cases(const struct dp_ctx *ctx, struct dp_case_row *rows, size_t max, size_t *nrows)
{
  static const int ops[] = {DP_SOP_LOG1P, DP_SOP_PPMI};
  static const size_t hs[] = {2, 4};
  *nrows = 0;
  if (!ctx->env->corpus && !ctx->env->corpus_path)
    return GSL_SUCCESS;
  int st = GSL_SUCCESS;
  for (size_t i = 0; i < 4 && *nrows < max && st == GSL_SUCCESS; i++) {
    struct dp_heads_inst *x = NULL;
    struct dp_case_row *row = &rows[*nrows];
    st = real_inst(ctx, ops[i / 2], hs[i % 2], &x, row->label, sizeof row->label);
    if (st == GSL_SUCCESS && x) {
      dp_case_row_measure(row, check, twin, x);
      (*nrows)++;
    }
    dp_heads_inst_free(x);
  }
  return st;
}

/* --- evidence: the gap against h ------------------------------------------------------- */

static int cmp_double(const void *p, const void *q)
{
  double a = *(const double *)p, b = *(const double *)q;
  return (a > b) - (a < b);
}

/* The q-quantile (0 <= q <= 1, nearest rank) of v[0..n-1], sorted in place; NaN when n = 0. */
static double quantile(double *v, size_t n, double q)
{
  if (n == 0)
    return NAN;
  qsort(v, n, sizeof *v, cmp_double);
  size_t i = (size_t)ceil(q * (double)n);
  return v[i ? i - 1 : 0];
}

#define EV_INSTANCES 40

static int evidence(const struct dp_ctx *ctx, struct dp_evidence *xo)
{
  /* per h: the generated instances' gaps and worst ratios; the real text's gaps */
  double gaps[HM][EV_INSTANCES], wa[HM], wb[HM], wc[HM], real[2][HM];
  size_t ng[HM] = {0};
  int st = GSL_SUCCESS;
  for (size_t j = 0; j < HM; j++) {
    wa[j] = wb[j] = wc[j] = 0.0;
    real[0][j] = real[1][j] = NAN;
  }
  unsigned ninst = ctx->trials < EV_INSTANCES ? ctx->trials : EV_INSTANCES;
  for (unsigned i = 0; i < ninst && st == GSL_SUCCESS; i++) {
    struct dp_heads_inst *x = dp_heads_inst_make(dp_ctx_trial_seed(ctx, i), &ctx->sizes);
    if (!x)
      return GSL_ENOMEM;
    /* the same S and widths d, d_k; value widths 24 and output 8, W_V, W_O the same for all h */
    for (size_t h = 1; h <= HM && h <= x->d && h <= x->d_k && st == GSL_SUCCESS; h++) {
      struct dp_heads_inst *y =
        dp_heads_inst_around(x->base, x->d, x->d_k, REAL_DV, REAL_DOUT, h,
                             dp_seed_stream(x->base->seed, "C16 gap weights"));
      struct dp_outcome o = {DP_MEASURED, NAN, "", 0, 0};
      struct figs f;
      if (!y) {
        st = GSL_ENOMEM;
        break;
      }
      measure(y, 0, &o, &f);
      if (o.status == DP_BROKEN)
        st = DP_ERROR(GSL_EFAILED, "C16 evidence: %s", o.what);
      else if (o.status == DP_MEASURED && isfinite(f.gap)) {
        gaps[h - 1][ng[h - 1]++] = f.gap;
        wa[h - 1] = fmax(wa[h - 1], f.a);
        wb[h - 1] = fmax(wb[h - 1], fmax(f.b, f.b1));
        wc[h - 1] = fmax(wc[h - 1], f.c);
      }
      dp_heads_inst_free(y);
    }
    dp_heads_inst_free(x);
  }
  int have_real = ctx->env->corpus || ctx->env->corpus_path;
  for (int op = 0; op < 2 && have_real && st == GSL_SUCCESS; op++)
    for (size_t h = 1; h <= HM && st == GSL_SUCCESS; h++) {
      struct dp_heads_inst *y = NULL;
      struct dp_outcome o = {DP_MEASURED, NAN, "", 0, 0};
      struct figs f;
      st = real_inst(ctx, op ? DP_SOP_PPMI : DP_SOP_LOG1P, h, &y, NULL, 0);
      if (st == GSL_SUCCESS && y) {
        measure(y, 0, &o, &f);
        if (o.status == DP_MEASURED)
          real[op][h - 1] = f.gap;
      }
      dp_heads_inst_free(y);
    }
  if (st != GSL_SUCCESS)
    return st;
  double xs[HM], med[HM], q3[HM], mx[HM], rl[2][HM], rx[2][HM];
  size_t np = 0, nr[2] = {0, 0};
  static const char *const head[] = {"h", "instances", "(a) worst ratio", "(b) worst ratio",
                                     "(c) worst ratio", "gap median", "gap 3rd quartile",
                                     "gap worst", "real log1p gap", "real PPMI gap"};
  struct dp_table *t = dp_evidence_table(xo, "C16 per h: the identities' worst ratios and the "
                                             "softmax gap", 10, head);
  if (!t)
    return GSL_ENOMEM;
  snprintf(t->note, sizeof t->note,
           "Generated instances (the first %u trials' S, d, d_k, where the premise holds; W_V "
           "d x %d, W_O %d x %d, the same for every h) and the real text (d = d_k = rank(S)). "
           "The gap is ||O_multi - O_single|| / ||O_single|| with O_multi = sum_g "
           "softmax(L_g) H W_V^(g) W_O^(g), O_single = softmax(sum_g L_g) H W_V W_O: measured, "
           "not judged; 0 at h = 1. Ratios are test ratios (<= 30 holds).",
           ninst, REAL_DV, REAL_DV, REAL_DOUT);
  for (size_t j = 0; j < HM && st == GSL_SUCCESS; j++) {
    char c[10][40];
    snprintf(c[0], 40, "%zu", j + 1);
    snprintf(c[1], 40, "%zu", ng[j]);
    snprintf(c[2], 40, "%.3g", wa[j]);
    snprintf(c[3], 40, "%.3g", wb[j]);
    snprintf(c[4], 40, "%.3g", wc[j]);
    double m = quantile(gaps[j], ng[j], 0.5), q = quantile(gaps[j], ng[j], 0.75);
    double w = ng[j] ? gaps[j][ng[j] - 1] : NAN;
    snprintf(c[5], 40, "%.4g", m);
    snprintf(c[6], 40, "%.4g", q);
    snprintf(c[7], 40, "%.4g", w);
    snprintf(c[8], 40, "%.4g", real[0][j]);
    snprintf(c[9], 40, "%.4g", real[1][j]);
    if (ng[j]) {
      xs[np] = (double)(j + 1);
      med[np] = m;
      q3[np] = q;
      mx[np++] = w;
    }
    for (int op = 0; op < 2; op++)
      if (!isnan(real[op][j])) {
        rx[op][nr[op]] = (double)(j + 1);
        rl[op][nr[op]++] = real[op][j];
      }
    st = dp_table_row(t, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9]);
  }
  struct dp_plot *p = st == GSL_SUCCESS ? dp_evidence_plot(xo, "Softmax gap against h", "h (heads)",
                                                          "||O_multi - O_single|| / ||O_single||",
                                                          0, 0)
                                        : NULL;
  if (st == GSL_SUCCESS && !p)
    st = GSL_ENOMEM;
  if (st == GSL_SUCCESS) {
    snprintf(p->note, sizeof p->note,
             "The same operator, d and d_k split into h heads (the spectral split of S: head g "
             "takes the next floor or ceil of d/h eigenpairs in |lambda| order). Linear: the "
             "heads' logits sum to one head's (claim (b)); with softmax the outputs differ by "
             "this much. Generated: median, 3rd quartile and worst over the instances.");
    st = dp_plot_series(p, "generated, median", 0, np, xs, med);
  }
  if (st == GSL_SUCCESS)
    st = dp_plot_series(p, "generated, 3rd quartile", 1, np, xs, q3);
  if (st == GSL_SUCCESS)
    st = dp_plot_series(p, "generated, worst", 1, np, xs, mx);
  if (st == GSL_SUCCESS && nr[0])
    st = dp_plot_series(p, "real text, log1p", 0, nr[0], rx[0], rl[0]);
  if (st == GSL_SUCCESS && nr[1])
    st = dp_plot_series(p, "real text, PPMI", 0, nr[1], rx[1], rl[1]);
  return st;
}

/* --- the exact tier ------------------------------------------------------------------------ */

/* The exact tier's heads: h uniform in 1..C16_EXACT_H, each of value width w and key width
 * d_k^(g) uniform in 1..C16_EXACT_W. */
#define C16_EXACT_H 4
#define C16_EXACT_W 3

/* Entries uniform in [-2^20, 2^20], entry for entry: (a) symmetric S^(g) = A_g + A_g^T,
 * S = sum_g S^(g): M = Q S Q^T = sum_g Q S^(g) Q^T (degree 1); (b) the linear regime on a
 * shared W_E: sum_g (H W_Q^(g))(H W_K^(g))^T = (H W_Q)(H W_K)^T with W_Q = [W_Q^(1) .. W_Q^(h)]
 * and W_K likewise (one head of key width sum_g d_k^(g); degree 4: W_E twice, W_Q, W_K);
 * (c) Concat(head_1..head_h) W_O = sum_g head_g W_O^(g), W_O^(g) the g-th block of w rows
 * (any heads: degree 2, a head's entry and one of W_O).  The registered twin (the softmax
 * outputs' sum equals the single head's) is no algebraic identity; the exact tier's twin is
 * the wrong algebraic variant of (c): sum_g head_g W_O^(h-1-g), the blocks paired with the
 * heads in reverse order (equal widths, so the shapes match), skipped for h = 1 where the
 * reversed pairing is the pairing. */
static void exact_check(uint64_t seed, const struct dp_sizes *sz, int twin, struct dp_outcome *o)
{
  struct dp_xdraw x;
  dp_xdraw_make(seed, sz, &x);
  slong h = (slong)dp_rng_range(&x.rng, 1, C16_EXACT_H);
  slong w = (slong)dp_rng_range(&x.rng, 1, C16_EXACT_W), kg[C16_EXACT_H], K = 0;
  for (slong g = 0; g < h; g++)
    K += kg[g] = (slong)dp_rng_range(&x.rng, 1, C16_EXACT_W);
  char d[200];
  dp_xdraw_describe(&x, d, sizeof d - 24);
  snprintf(d + strlen(d), 24, " h=%ld w=%ld", (long)h, (long)w);
  if (twin && h == 1) {
    dp_outcome_skip(o, "%s: one head, the reversed pairing is the pairing; the twin cannot "
                    "differ", d);
    return;
  }
  slong R = (slong)x.R, V = (slong)x.V, dd = (slong)x.d;
  fmpz_mat_t Cat, WO, Out, Sum, T, blk, hd;
  fmpz_mat_init(Cat, R, h * w), fmpz_mat_init(WO, h * w, dd), fmpz_mat_init(Out, R, dd);
  fmpz_mat_init(Sum, R, dd), fmpz_mat_init(T, R, dd);
  dp_exact_random(Cat, &x.rng, C16_EXACT_RANGE);
  dp_exact_random(WO, &x.rng, C16_EXACT_RANGE);
  fmpz_mat_mul(Out, Cat, WO);                 /* Concat(head_1..head_h) W_O */
  for (slong g = 0; g < h; g++) {             /* sum_g head_g W_O^(g), or the twin's pairing */
    slong b = twin ? h - 1 - g : g;
    fmpz_mat_window_init(hd, Cat, 0, g * w, R, (g + 1) * w);
    fmpz_mat_window_init(blk, WO, b * w, 0, (b + 1) * w, dd);
    fmpz_mat_mul(T, hd, blk);
    fmpz_mat_add(Sum, Sum, T);
    fmpz_mat_window_clear(hd), fmpz_mat_window_clear(blk);
  }
  long i0, j0;
  size_t nc = dp_exact_differ(Out, Sum, &i0, &j0);
  if (twin) {
    dp_outcome_part(o, DP_JUDGE_RATIO, nc ? DP_RATIO_FAIL : 0.0, "%s: Concat W_O = sum_g head_g "
                    "W_O^(h-1-g) exactly: %zu of %ld entries differ, first (%ld, %ld)", d, nc,
                    (long)(R * dd), i0, j0);
  } else {
    fmpz_mat_t Q, S, Sg, M, MS, P, WE, H, WQ, WK, HQ, HK, L, LS, hq, hk;
    fmpz_mat_init(Q, R, V), fmpz_mat_init(S, V, V), fmpz_mat_init(Sg, V, V);
    fmpz_mat_init(M, R, R), fmpz_mat_init(MS, R, R), fmpz_mat_init(P, R, R);
    fmpz_mat_init(WE, V, dd), fmpz_mat_init(H, R, dd), fmpz_mat_init(WQ, dd, K);
    fmpz_mat_init(WK, dd, K), fmpz_mat_init(HQ, R, K), fmpz_mat_init(HK, R, K);
    fmpz_mat_init(L, R, R), fmpz_mat_init(LS, R, R);
    dp_exact_selector(Q, x.t);
    for (slong g = 0; g < h; g++) {           /* (a) */
      dp_exact_random(Sg, &x.rng, C16_EXACT_RANGE);
      dp_exact_symmetrise(Sg);
      fmpz_mat_add(S, S, Sg);
      dp_exact_sandwich(P, Q, Sg, Q);
      fmpz_mat_add(MS, MS, P);
    }
    dp_exact_sandwich(M, Q, S, Q);
    dp_exact_random(WE, &x.rng, C16_EXACT_RANGE);  /* (b) */
    dp_exact_random(WQ, &x.rng, C16_EXACT_RANGE);
    dp_exact_random(WK, &x.rng, C16_EXACT_RANGE);
    fmpz_mat_mul(H, Q, WE);
    fmpz_mat_mul(HQ, H, WQ), fmpz_mat_mul(HK, H, WK);
    dp_exact_mul_t(L, HQ, HK);                /* one head of key width K */
    for (slong g = 0, c0 = 0; g < h; c0 += kg[g++]) {
      fmpz_mat_window_init(hq, HQ, 0, c0, R, c0 + kg[g]);  /* H W_Q^(g) */
      fmpz_mat_window_init(hk, HK, 0, c0, R, c0 + kg[g]);
      dp_exact_mul_t(P, hq, hk);
      fmpz_mat_add(LS, LS, P);
      fmpz_mat_window_clear(hq), fmpz_mat_window_clear(hk);
    }
    long i1, j1, i2, j2;
    size_t na = dp_exact_differ(M, MS, &i1, &j1), nb = dp_exact_differ(L, LS, &i2, &j2);
    dp_outcome_part(o, DP_JUDGE_RATIO, na + nb + nc ? DP_RATIO_FAIL : 0.0, "%s: differing "
                    "(first): M vs sum_g %zu (%ld,%ld), one head's logits vs the heads' %zu "
                    "(%ld,%ld), Concat W_O vs blocks %zu (%ld,%ld)", d, na, i1, j1,
                    nb, i2, j2, nc, i0, j0);
    fmpz_mat_clear(Q), fmpz_mat_clear(S), fmpz_mat_clear(Sg), fmpz_mat_clear(M);
    fmpz_mat_clear(MS), fmpz_mat_clear(P), fmpz_mat_clear(WE), fmpz_mat_clear(H);
    fmpz_mat_clear(WQ), fmpz_mat_clear(WK), fmpz_mat_clear(HQ), fmpz_mat_clear(HK);
    fmpz_mat_clear(L), fmpz_mat_clear(LS);
  }
  fmpz_mat_clear(Cat), fmpz_mat_clear(WO), fmpz_mat_clear(Out), fmpz_mat_clear(Sum);
  fmpz_mat_clear(T);
}

static const struct dp_exact exact = {
  .kind = DP_EXACT_IDENTITY,
  .statement = "M = sum_g Q S^(g) Q^T; logits sum; Concat W_O = sum_g head_g W_O^(g)",
  .trials = 200,
  .degree = 4,
  .range = C16_EXACT_RANGE,
  .check = exact_check,
};

const struct dp_claim dp_claim_c16 = {
  .id = "C16",
  .slug = "heads",
  .title = "Multi-head attention",
  .paper_ref = "Multi-head extension (heads as a sum of projections)",
  .statement =
    "Spectral split: S = U L U^T, head g of width w_g (floor or ceil of d/h, summing to d) "
    "takes the next w_g eigenpairs of the |lambda| order, S^(g) = U_g L_g U_g^T (rank <= w_g), "
    "sum_g S^(g) = S_r: (a) M = sum_g Q S^(g) Q^T; (b) linear regime: head g realising S^(g) "
    "on the shared embedding W_E = [U_r |L_r|^(1/2), 0] (W_Q^(g) reading the head's block, "
    "W_K^(g) = sqrt(d_k^(g)) sign(L_g) there) gives logits whose sum over the h heads is M, "
    "and equals one head of width d: h heads of width d/h realise the same rank-d "
    "projection; (c) Concat(head_1..head_h) W_O = sum_g head_g W_O^(g), W_O split in row "
    "blocks of the heads' value widths. With softmax, O_multi = sum_g softmax(L_g) H W_V^(g) W_O^(g) differs from "
    "O_single = softmax(sum_g L_g) H W_V W_O: the gap is measured against h, not asserted.",
  .conditions =
    "Premise: rank(S) = r <= d (numerical rank, |lambda| > 10 V eps ||S||_2) and every head "
    "holds its group: its eigenpairs (at most w_g, fewer for the heads past r) fit its key "
    "width d_k^(g) (d_k split like d); otherwise skipped. 1 <= h <= min(d, d_k, d_v, 8); d "
    "need not be divisible by h. The linear-regime statement is about the projections "
    "(logits): with per-head value blocks the linear outputs sum_g L_g H W_V^(g) W_O^(g) "
    "differ from (sum_g L_g) H W_V W_O too, unless the heads share their values.",
  .judged =
    "(a) test ratio of ||M - sum_g Q S^(g) Q^T|| beyond max_a n_a ||S - S_r||_F (the "
    "eigenvalues under the rank threshold, left out exactly), n = V + d + h (eigensolver, "
    "the groups' rank-one terms, the sum over h), scale = max_a n_a (||S||_F + ||S_r||_*) "
    "(the eigensolver's ||S|| and the terms' sum_j |lambda_j| ||u_j||^2, carried to the "
    "sequence by ||Q||_2^2); (b) the heads' summed logits against M beyond the same part, "
    "n = V + 2d + max d_k^(g) + h (C08's chain per head, then the sum), scale = ||H||^2 + "
    "max_a n_a ||S||_F (C08's: each head's |H W_Q^(g)| |H W_K^(g)|^T / sqrt(d_k^(g)) is its "
    "block of |H|^2), and against one head of width d (no part left out: both realise S_r), "
    "n = 2d + max d_k^(g) + h (the eigen-decomposition is common to both sides: only the "
    "two chains round apart), scale 2 ||H||^2 (both chains); (c) n = d_v, scale = "
    "||Concat|| ||W_O||.",
  .twin_statement =
    "The sum of per-head softmax outputs equals the single-head softmax output: "
    "sum_g softmax(L_g) H W_V^(g) W_O^(g) = softmax(sum_g L_g) H W_V W_O, by test ratio with "
    "n = R + 2d + max d_k^(g) + d_v + h and scale = 2 (1 + ||H||^2) sqrt(R) ||H|| ||W_V|| "
    "||W_O|| (both outputs' chains, with the logits' rounding carried through the softmax).",
  .gen = &dp_gen_heads,
  .check = check,
  .twin = twin,
  .tol_kind = DP_JUDGE_RATIO,
  .tol = DP_TOL_RATIO,
  .trials = 100,
  .cases = cases,
  .evidence = evidence,
  .holds_under = "rank(S) <= d; each head holds its group",
  .theorems = (const char *const[]){"c16_heads_sum", "c16_concat2", "c16_concat", NULL},
  .formal_covers = "the sum over heads and the concatenation identity (not the softmax gap)",
  .exact = &exact,
};
