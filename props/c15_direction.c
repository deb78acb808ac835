/* c15_direction.c: claim C15, directional asymmetry: what tied weights cannot do, what untied
 * weights do exactly, and causal masking.
 *
 * Paper: the query-key-value mechanism arises as the natural asymmetric extension for
 * directional relationships.  The right-context counts X^> are not symmetric; their skew part
 * K = (X^> - X^>T)/2 is orthogonal to every symmetric matrix, and tied weights (W_Q = W_K) give
 * symmetric logits Q W W^T Q^T, so ||Q X^> Q^T - Q W W^T Q^T||_F >= ||Q K Q^T||_F.  Checked on
 * one instance (a sequence, the counts X^(k) of a corpus, widths d, d_k):
 *  (a) the bound, against the best tied weights of the symmetric part, three perturbations of
 *      them, a Gaussian W and the instance's own W_E W_Q (ratio of the violation);
 *  (b) its attainment: C08's realisation of the symmetric part X_s = (X^> + X^>T)/2 (symmetric
 *      logits, W_Q != W_K) is ||Q K Q^T|| from Q X^> Q^T (test ratio), when
 *      rank(X_s) <= min(d, d_k);
 *  (c) untied weights realise Q X^> Q^T (dp_attn_realise_directed: W_E an orthonormal basis of
 *      col(X^>) + row(X^>)), when dim(col + row) <= d and rank(X^>) <= d_k: these are the
 *      necessary and sufficient conditions (the register's 2 rank <= d is sufficient only);
 *  (d) causal masking: the masked offset projection M^pos o [j < i] equals
 *      sum_{k=1..c} (Q X^(-k) Q^T) o Delta_{-k} exactly (left context only; sum_k X^(-k) = X^<),
 *      sum_{k<0} Q X^(k) Q^T = Q X^< Q^T (test ratio), and the causal softmax weights above
 *      the diagonal are exactly 0.
 * On real text the skew share ||K|| / ||X^>|| of the whole corpus is compared with the same on
 * token-shuffled copies (within each document, and across documents).
 * Twin: tied weights realise Q X^> Q^T, judged by (c)'s residual test. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include "attn.h"
#include "cooc.h"
#include "position.h"
#include "resid.h"
#include "select.h"
#include "softmax.h"
#include "spectral.h"
#include "rng.h"
#include "err.h"
#include "seed.h"
#include "exact.h"
#include "family.h"
#include "family_pos.h"
#include "props.h"

/* The exact tier's entries: uniform in [-2^20, 2^20]. */
#define C15_EXACT_RANGE (1L << 20)

static const char *const parts[] = {"attained by symmetric weights (rank X_s <= min(d, d_k))",
                                    "untied realisation (dim(col + row) <= d, rank <= d_k)", NULL};
enum { PART_ATTAIN, PART_UNTIED };

/* What every part starts from. */
struct dir_base {
  gsl_matrix *Xs, *K;   /* V x V symmetric and skew parts of X^> */
  gsl_matrix *Mr, *MK;  /* R x R: Q X^> Q^T and Q K Q^T, gathered */
  gsl_matrix *Ms;       /* R x R: Q X_s Q^T, gathered */
  double bound;         /* ||Q K Q^T||_F */
  double nXr;           /* ||X^>||_F */
  size_t nmax;          /* max_a n_a */
};

static void base_free(struct dir_base *b)
{
  gsl_matrix_free(b->Xs);
  gsl_matrix_free(b->K);
  gsl_matrix_free(b->Mr);
  gsl_matrix_free(b->MK);
  gsl_matrix_free(b->Ms);
}

static int base_make(const struct dp_pos_inst *x, struct dir_base *b)
{
  size_t V = x->V, R = x->R;
  b->Xs = gsl_matrix_alloc(V, V);
  b->K = gsl_matrix_alloc(V, V);
  b->Mr = gsl_matrix_alloc(R, R);
  b->MK = gsl_matrix_alloc(R, R);
  b->Ms = gsl_matrix_alloc(R, R);
  int st = dp_alloc_ok("C15", 5, (void *[]){b->Xs, b->K, b->Mr, b->MK, b->Ms});
  if (st != GSL_SUCCESS)
    return st;
  for (size_t a = 0; a < V; a++)
    for (size_t c = 0; c < V; c++) {
      double u = gsl_matrix_get(x->Xr, a, c), v = gsl_matrix_get(x->Xr, c, a);
      gsl_matrix_set(b->Xs, a, c, (u + v) / 2); /* (u + v)/2 = (v + u)/2: exactly symmetric */
      gsl_matrix_set(b->K, a, c, (u - v) / 2);
    }
  st = dp_select_gather(x->Xr, x->t, R, b->Mr);
  if (st == GSL_SUCCESS)
    st = dp_select_gather(b->K, x->t, R, b->MK);
  if (st == GSL_SUCCESS)
    st = dp_select_gather(b->Xs, x->t, R, b->Ms);
  b->bound = dp_resid_norm(b->MK);
  b->nXr = dp_resid_norm(x->Xr);
  b->nmax = dp_max_multiplicity(x->t, R, V, NULL);
  return st;
}

/* ||Q X^> Q^T - Q W W^T Q^T||_F for a tied W (V x w); work: V x V, Mt: R x R. */
static double tied_value(const struct dp_pos_inst *x, const struct dir_base *b,
                         const gsl_matrix *W, gsl_matrix *work, gsl_matrix *Mt)
{
  gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, W, W, 0.0, work);
  dp_select_gather(work, x->t, x->R, Mt);
  return dp_resid_diff(b->Mr, Mt, 0);
}

/* (a): the bound against tied candidates. */
static void bound_part(const struct dp_pos_inst *x, const struct dir_base *b,
                       const struct dp_spectral_eig *es, struct dp_outcome *o, double *best)
{
  size_t V = x->V, w = x->d < x->d_k ? x->d : x->d_k;
  gsl_matrix *W = gsl_matrix_alloc(V, w), *C = gsl_matrix_alloc(V, w);
  gsl_matrix *work = gsl_matrix_alloc(V, V), *Mt = gsl_matrix_alloc(x->R, x->R);
  double tb = NAN;
  int st = dp_alloc_ok("C15", 4, (void *[]){W, C, work, Mt});
  if (st == GSL_SUCCESS)
    st = dp_attn_tied(es, w, W, &tb);
  if (st != GSL_SUCCESS) {
    dp_outcome_broken(o, "tied weights: %s", dp_err_last());
    goto out;
  }
  dp_rng r;
  dp_rng_seed(&r, dp_seed_stream(x->seed, "C15 tied candidates"));
  static const char *const names[] = {"best tied W of X_s", "best + perturbation",
                                      "best + perturbation", "best + perturbation",
                                      "Gaussian W", "the instance's W_E W_Q / d_k^(1/4)"};
  for (unsigned c = 0; c <= DP_TIED_CANDIDATES + 1; c++) {
    if (c == 0) {
      gsl_matrix_memcpy(C, W);
    } else if (c <= DP_TIED_CANDIDATES) {
      dp_tied_candidate(&r, W, c, b->nXr, C);
    } else { /* W_E W_Q restricted to w columns, scaled as the logits are */
      gsl_matrix_const_view Q = gsl_matrix_const_submatrix(x->W_Q, 0, 0, x->d, w);
      gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, pow((double)x->d_k, -0.25), x->W_E, &Q.matrix,
                     0.0, C);
    }
    double nC = dp_resid_norm(C), val = tied_value(x, b, C, work, Mt);
    if (c == 0)
      *best = val;
    /* the bound is gathered (the halving is exact); val rounds through W W^T (w terms, whose
     * computed form may be asymmetric by w eps ||W||^2) and the gather repeats entries */
    double n = (double)(w + 2), scale = (double)b->nmax * (b->nXr + nC * nC);
    dp_outcome_part(o, DP_JUDGE_RATIO, dp_resid_ratio(dp_resid_excess(b->bound, val), n, scale),
                    "tied bound: %s gives ||Q X^> Q^T - Q W W^T Q^T|| = %.6g >= ||Q K Q^T|| = "
                    "%.6g: n=w+2=%g, scale=max n_a (||X^>||+||W||^2)=%.3g", names[c], val,
                    b->bound, n, scale);
  }
out:
  gsl_matrix_free(W);
  gsl_matrix_free(C);
  gsl_matrix_free(work);
  gsl_matrix_free(Mt);
}

/* Logits L = H W_Q W_K^T H^T / sqrt(d_k) of weights against a target T (Q X^> Q^T, or
 * Q X_s Q^T for the symmetric part): ||L - T|| beyond `drop` as a test ratio.  With the
 * symmetric target the residual to Q X^> Q^T is also given (attainment: by the orthogonality
 * of K to every symmetric matrix it is sqrt(||Q K Q^T||^2 + ||L - Q X_s Q^T||^2)).  Returns
 * the ratio. */
static double logits_part(const struct dp_pos_inst *x, const struct dir_base *b,
                          const gsl_matrix *W_E, const gsl_matrix *W_Q, const gsl_matrix *W_K,
                          double drop, int symmetric, const char *what, struct dp_outcome *o)
{
  size_t R = x->R, d = W_E->size2, dk = W_Q->size2;
  gsl_matrix *L = gsl_matrix_alloc(R, R);
  double nH = NAN, ratio = NAN;
  int st = dp_alloc_ok("C15", 1, (void *[]){L});
  if (st == GSL_SUCCESS)
    st = dp_attn_scores(x->t, R, W_E, W_Q, W_K, L, &nH);
  if (st != GSL_SUCCESS) {
    dp_outcome_broken(o, "%s: %s", what, dp_err_last());
  } else {
    double res = dp_resid_diff(L, symmetric ? b->Ms : b->Mr, 0);
    /* the chain H W_Q, H W_K, their product: ||H||^2 ||W_Q|| ||W_K|| / sqrt(d_k); the
     * decomposition behind the weights: max n_a ||X^>|| */
    double nw = dp_resid_norm(W_Q) * dp_resid_norm(W_K) / sqrt((double)dk);
    double n = (double)(x->V + 2 * d + dk), scale = nH * nH * nw + (double)b->nmax * b->nXr;
    ratio = dp_resid_ratio(dp_resid_excess(res, drop), n, scale);
    char att[96] = "";
    if (symmetric)
      snprintf(att, sizeof att, " (and %.6g from Q X^> Q^T, bound %.6g)",
               dp_resid_diff(L, b->Mr, 0), b->bound);
    dp_outcome_part(o, DP_JUDGE_RATIO, ratio,
                    "%s (d=%zu, d_k=%zu): ||H W_Q W_K^T H^T/sqrt(d_k) - Q %s Q^T|| = %.3g%s "
                    "beyond %.3g: n=V+2d+d_k=%g, scale=||H||^2 ||W_Q|| ||W_K||/sqrt(d_k)+max n_a "
                    "||X^>||=%.3g", what, d, dk, symmetric ? "X_s" : "X^>", res, att, drop, n,
                    scale);
  }
  gsl_matrix_free(L);
  return ratio;
}

/* Weights of width d, d_k for the instance (V x d, d x d_k twice). */
struct weights {
  gsl_matrix *W_E, *W_Q, *W_K;
};
static int weights_alloc(const struct dp_pos_inst *x, struct weights *w)
{
  w->W_E = gsl_matrix_alloc(x->V, x->d);
  w->W_Q = gsl_matrix_alloc(x->d, x->d_k);
  w->W_K = gsl_matrix_alloc(x->d, x->d_k);
  return dp_alloc_ok("C15", 3, (void *[]){w->W_E, w->W_Q, w->W_K});
}
static void weights_free(struct weights *w)
{
  gsl_matrix_free(w->W_E);
  gsl_matrix_free(w->W_Q);
  gsl_matrix_free(w->W_K);
}

/* (d): causal masking. */
static void causal_parts(const struct dp_pos_inst *x, struct dp_outcome *o)
{
  size_t R = x->R, V = x->V;
  int c = x->c;
  gsl_matrix *Q = NULL, *Mg = gsl_matrix_alloc(R, R), *Mp = gsl_matrix_alloc(R, R);
  gsl_matrix *Ml = gsl_matrix_alloc(R, R), *MXl = gsl_matrix_alloc(R, R);
  gsl_matrix *B = gsl_matrix_alloc(R, R), *A = gsl_matrix_alloc(R, R);
  int st = dp_alloc_ok("C15", 6, (void *[]){Mg, Mp, Ml, MXl, B, A});
  if (st == GSL_SUCCESS)
    st = dp_select_Q(x->t, R, V, &Q);
  if (st == GSL_SUCCESS)
    st = dp_pos_gather(dp_pos_offsets(x), c, x->t, R, -c, c, Mg);
  if (st == GSL_SUCCESS)
    st = dp_pos_project(Q, dp_pos_offsets(x), c, -c, -1, 1, Mp);
  if (st == GSL_SUCCESS)
    st = dp_pos_project(Q, dp_pos_offsets(x), c, -c, -1, 0, Ml);
  if (st == GSL_SUCCESS)
    st = dp_select_gather(x->Xl, x->t, R, MXl);
  if (st == GSL_SUCCESS)
    st = dp_softmax_mask_causal(B);
  if (st == GSL_SUCCESS) /* the softmax of the masked offset projection itself */
    st = dp_softmax_rows(Mg, 1.0, B, A, NULL);
  if (st != GSL_SUCCESS) {
    dp_outcome_broken(o, "causal: %s", dp_err_last());
    goto out;
  }
  for (size_t i = 0; i < R; i++) /* M^pos o [j < i] */
    for (size_t j = i; j < R; j++)
      gsl_matrix_set(Mg, i, j, 0.0);
  dp_part_exact(o, Mg, Mp, 0, "causal M^pos o [j<i] = sum_k (Q X^(-k) Q^T) o Delta_(-k)");
  double n = (double)c, scale = dp_resid_norm(MXl);
  dp_outcome_part(o, DP_JUDGE_RATIO, dp_resid_matrix_ratio(Ml, MXl, 0, n, scale),
                  "sum_(k<0) Q X^(k) Q^T = Q X^< Q^T: n=c=%g, scale=||Q X^< Q^T||=%.3g", n, scale);
  size_t above = 0, first = 0;
  for (size_t i = 0; i < R; i++)
    for (size_t j = i + 1; j < R; j++)
      if (gsl_matrix_get(A, i, j) != 0.0 && !above++)
        first = i * R + j;
  if (above)
    dp_outcome_part(o, DP_JUDGE_RATIO, DP_RATIO_FAIL,
                    "causal softmax: %zu weights above the diagonal are not 0, first (%zu,%zu)",
                    above, first / R, first % R);
  else
    dp_outcome_part(o, DP_JUDGE_RATIO, 0.0, "causal softmax: weights above the diagonal = 0");
out:
  gsl_matrix_free(Q);
  gsl_matrix_free(Mg);
  gsl_matrix_free(Mp);
  gsl_matrix_free(Ml);
  gsl_matrix_free(MXl);
  gsl_matrix_free(B);
  gsl_matrix_free(A);
}

/* What one instance measured, for the report's table (NaN where a part was not reached). */
struct dir_fig {
  double share, tied, attain, untied;
  size_t rank, dim, srank;
};

static void measure(const struct dp_pos_inst *x, struct dp_outcome *o, struct dir_fig *f)
{
  struct dir_base b = {0};
  struct dp_spectral_eig es = {0};
  struct weights w = {0};
  struct dp_attn_directed sh;
  double best = NAN, ra = NAN, ru = NAN;
  if (base_make(x, &b) != GSL_SUCCESS || dp_spectral_eig_make(b.Xs, &es) != GSL_SUCCESS ||
      weights_alloc(x, &w) != GSL_SUCCESS || dp_attn_directed_shape(x->Xr, &sh) != GSL_SUCCESS) {
    dp_outcome_broken(o, "C15: %s", dp_err_last());
    goto out;
  }
  bound_part(x, &b, &es, o, &best);
  if (es.rank <= x->d && es.rank <= x->d_k) { /* (b) */
    if (dp_attn_realise(&es, x->d, x->d_k, w.W_E, w.W_Q, w.W_K) != GSL_SUCCESS) {
      dp_outcome_broken(o, "symmetric realisation: %s", dp_err_last());
      goto out;
    }
    ra = logits_part(x, &b, w.W_E, w.W_Q, w.W_K, (double)b.nmax * dp_spectral_dropped(&es),
                     1, "attained: symmetric logits realise X_s", o);
    dp_outcome_ran(o, PART_ATTAIN);
  }
  if (sh.dim <= x->d && sh.rank <= x->d_k) { /* (c) */
    if (dp_attn_realise_directed(x->Xr, x->d, x->d_k, w.W_E, w.W_Q, w.W_K, &sh) != GSL_SUCCESS) {
      dp_outcome_broken(o, "untied realisation: %s", dp_err_last());
      goto out;
    }
    ru = logits_part(x, &b, w.W_E, w.W_Q, w.W_K, (double)b.nmax * sh.dropped, 0,
                     "untied W_Q != W_K realise Q X^> Q^T", o);
    dp_outcome_ran(o, PART_UNTIED);
  }
  causal_parts(x, o);
  if (f) {
    double nM = dp_resid_norm(b.Mr);
    f->share = nM > 0 ? b.bound / nM : 0.0;
    f->tied = nM > 0 ? best / nM : 0.0;
    f->attain = ra;
    f->untied = ru;
    f->rank = sh.rank;
    f->dim = sh.dim;
    f->srank = es.rank;
  }
out:
  base_free(&b);
  dp_spectral_eig_free(&es);
  weights_free(&w);
}

static void check(const void *inst, struct dp_outcome *o)
{
  measure(inst, o, NULL);
}

static void twin(const void *inst, struct dp_outcome *o)
{
  const struct dp_pos_inst *x = inst;
  struct dir_base b = {0};
  struct dp_spectral_eig es = {0};
  struct weights w = {0};
  struct dp_attn_directed sh;
  double tb;
  if (base_make(x, &b) != GSL_SUCCESS) {
    dp_outcome_broken(o, "C15 twin: %s", dp_err_last());
    goto out;
  }
  if (b.bound == 0.0) {
    dp_outcome_skip(o, "Q K Q^T = 0: the pairs of this sequence are symmetric in X^>, so tied "
                       "weights miss no skew part here; the twin cannot differ");
    goto out;
  }
  if (dp_spectral_eig_make(b.Xs, &es) != GSL_SUCCESS || weights_alloc(x, &w) != GSL_SUCCESS ||
      dp_attn_directed_shape(x->Xr, &sh) != GSL_SUCCESS ||
      dp_attn_realise_tied(&es, x->d, x->d_k, w.W_E, w.W_Q, w.W_K, &tb) != GSL_SUCCESS) {
    dp_outcome_broken(o, "C15 twin: %s", dp_err_last());
    goto out;
  }
  logits_part(x, &b, w.W_E, w.W_Q, w.W_K, (double)b.nmax * sh.dropped, 0,
              "tied W_Q = W_K (best tied weights of X_s) realise Q X^> Q^T", o);
out:
  base_free(&b);
  dp_spectral_eig_free(&es);
  weights_free(&w);
}

/* --- real text: the skew share against its shuffled controls ------------------------------ */

#define C15_CMAX 8     /* windows 1..8 */
#define C15_SHUFFLES 5 /* shuffled copies of each kind */
#define C15_LEVEL 0.99 /* two-sided level of the shuffles' prediction interval */

struct skew_profile {
  size_t ntok, V;
  double text[C15_CMAX], textnorm[C15_CMAX], textskew[C15_CMAX];
  double mean[2][C15_CMAX], lo[2][C15_CMAX], hi[2][C15_CMAX]; /* [0] within, [1] across */
};

static int skew_compute(const struct dp_ctx *ctx, struct skew_profile *p)
{
  const struct dp_corpus *corp = ctx->env->corpus;
  struct dp_corpus *own = NULL;
  int st = GSL_SUCCESS;
  if (!corp) {
    struct dp_vocab_opts vo = {1, 0};
    st = dp_corpus_read(ctx->env->corpus_path, &vo, &own);
    corp = own;
  }
  if (st == GSL_SUCCESS) {
    p->ntok = corp->ntok;
    p->V = corp->V;
    st = dp_cooc_skew_profile(corp, C15_CMAX, DP_WEIGHT_HARMONIC, p->textskew, p->textnorm);
  }
  for (int c = 0; c < C15_CMAX && st == GSL_SUCCESS; c++)
    p->text[c] = p->textskew[c] / p->textnorm[c];
  double share[2][C15_SHUFFLES][C15_CMAX];
  dp_rng r;
  dp_rng_seed(&r, dp_ctx_stream(ctx, "C15 shuffles"));
  for (int kind = 0; kind < 2 && st == GSL_SUCCESS; kind++)
    for (int s = 0; s < C15_SHUFFLES && st == GSL_SUCCESS; s++) {
      struct dp_corpus *sh = NULL;
      double sk[C15_CMAX], nm[C15_CMAX];
      st = dp_corpus_shuffle(corp, kind, &r, &sh);
      if (st == GSL_SUCCESS)
        st = dp_cooc_skew_profile(sh, C15_CMAX, DP_WEIGHT_HARMONIC, sk, nm);
      for (int c = 0; c < C15_CMAX && st == GSL_SUCCESS; c++)
        share[kind][s][c] = sk[c] / nm[c];
      dp_corpus_free(sh);
    }
  double tq = gsl_cdf_tdist_Pinv(0.5 + C15_LEVEL / 2, C15_SHUFFLES - 1);
  for (int kind = 0; kind < 2 && st == GSL_SUCCESS; kind++)
    for (int c = 0; c < C15_CMAX; c++) {
      double m = 0.0, v = 0.0;
      for (int s = 0; s < C15_SHUFFLES; s++)
        m += share[kind][s][c] / C15_SHUFFLES;
      for (int s = 0; s < C15_SHUFFLES; s++)
        v += (share[kind][s][c] - m) * (share[kind][s][c] - m) / (C15_SHUFFLES - 1);
      /* a prediction interval: where one more shuffle's share falls (the text is one draw,
       * compared with the draws of the control, not with their mean) */
      double half = tq * sqrt(v * (1.0 + 1.0 / C15_SHUFFLES));
      p->mean[kind][c] = m;
      p->lo[kind][c] = m - half;
      p->hi[kind][c] = m + half;
    }
  dp_corpus_free(own);
  return st;
}

/* The profile, computed once per run (cases and evidence share it); NULL without a corpus. */
static int skew_shared(const struct dp_ctx *ctx, const struct skew_profile **out)
{
  *out = NULL;
  if (!ctx->env->corpus && !ctx->env->corpus_path)
    return GSL_SUCCESS;
  char key[96];
  snprintf(key, sizeof key, "C15 skew profile, seed %llu",
           (unsigned long long)dp_ctx_stream(ctx, "C15 shuffles"));
  *out = dp_cache_get(ctx->cache, key, NULL);
  if (*out)
    return GSL_SUCCESS;
  struct skew_profile *p = calloc(1, sizeof *p);
  int st = p ? skew_compute(ctx, p) : DP_ERROR(GSL_ENOMEM, "C15 skew profile: out of memory");
  if (st == GSL_SUCCESS)
    st = dp_cache_put(ctx->cache, key, p, free, "skew profile");
  else
    free(p);
  if (st == GSL_SUCCESS)
    *out = dp_cache_get(ctx->cache, key, NULL);
  return st;
}

static int cases(const struct dp_ctx *ctx, struct dp_case_row *rows, size_t max, size_t *nrows)
{
  *nrows = 0;
  struct dp_pos_inst *x = NULL;
  int st = max >= 2 ? dp_pos_inst_real(ctx->env, 40, 64, 1, dp_ctx_stream(ctx, "real text"), &x,
                                       rows[0].label, sizeof rows[0].label)
                    : GSL_SUCCESS;
  if (st == GSL_SUCCESS && x) {
    dp_case_row_measure(&rows[0], check, twin, x);
    *nrows = 1;
  }
  dp_pos_inst_free(x);
  const struct skew_profile *p = NULL;
  if (st == GSL_SUCCESS && max >= 2)
    st = skew_shared(ctx, &p);
  if (st == GSL_SUCCESS && p) {
    struct dp_case_row *row = &rows[(*nrows)++];
    int c = ctx->env->window < 1 ? 1 : ctx->env->window > C15_CMAX ? C15_CMAX : ctx->env->window;
    double hi = fmax(p->hi[0][c - 1], p->hi[1][c - 1]), share = p->text[c - 1];
    memset(&row->claim, 0, sizeof row->claim);
    memset(&row->twin, 0, sizeof row->twin);
    row->claim.figure = row->twin.figure = NAN;
    snprintf(row->label, sizeof row->label,
             "real text, whole corpus (%zu tokens, V=%zu), c=%d, 1/|k|: skew share against %d "
             "token-shuffled copies of each kind", p->ntok, p->V, c, C15_SHUFFLES);
    if (!(p->textnorm[c - 1] > 0.0)) {
      dp_outcome_skip(&row->claim, "no pair of tokens within c=%d in the corpus: X^> = 0", c);
      dp_outcome_skip(&row->twin, "no pair of tokens within c=%d in the corpus: X^> = 0", c);
      return st;
    }
    dp_outcome_part(&row->claim, DP_JUDGE_RATIO, DP_TOL_RATIO * hi / share,
                    "skew share ||K||/||X^>|| = %.4f on the text against %.4f [%.4f, %.4f] "
                    "shuffled within documents and %.4f [%.4f, %.4f] across (%g%% prediction intervals): "
                    "figure = 30 x (upper end) / (text's share)", share, p->mean[0][c - 1],
                    p->lo[0][c - 1], p->hi[0][c - 1], p->mean[1][c - 1], p->lo[1][c - 1],
                    p->hi[1][c - 1], 100 * C15_LEVEL);
    /* the twin at the vocabulary level: tied weights leave at least ||K|| of X^> */
    double n = (double)c, scale = p->textnorm[c - 1];
    dp_outcome_part(&row->twin, DP_JUDGE_RATIO, dp_resid_ratio(p->textskew[c - 1], n, scale),
                    "tied weights realise X^>: their residual is at least ||K|| = %.6g: n=c=%g, "
                    "scale=||X^>||=%.6g", p->textskew[c - 1], n, scale);
  }
  return st;
}

/* One row of the tied-bound table. */
static int bound_row(struct dp_table *t, const char *name, const struct dp_pos_inst *x)
{
  struct dp_outcome o = {DP_MEASURED, NAN, "", 0, 0}, tw = {DP_MEASURED, NAN, "", 0, 0};
  struct dir_fig f = {NAN, NAN, NAN, NAN, 0, 0, 0};
  measure(x, &o, &f);
  twin(x, &tw);
  if (o.status == DP_BROKEN || tw.status == DP_BROKEN)
    return DP_ERROR(GSL_EFAULT, "C15 table, %s: %s", name, o.status == DP_BROKEN ? o.what : tw.what);
  char c[9][48];
  snprintf(c[0], 48, "%s", name);
  snprintf(c[1], 48, "%zu / %zu", x->R, x->V);
  snprintf(c[2], 48, "%zu / %zu / %zu", f.rank, f.dim, f.srank);
  snprintf(c[3], 48, "%zu / %zu", x->d, x->d_k);
  snprintf(c[4], 48, "%.4g", f.share);
  snprintf(c[5], 48, "%.4g", f.tied);
  snprintf(c[6], 48, isnan(f.attain) ? "-" : "%.3g", f.attain);
  snprintf(c[7], 48, isnan(f.untied) ? "-" : "%.3g", f.untied);
  snprintf(c[8], 48, tw.status == DP_NOT_APPLICABLE ? "skipped (Q K Q^T = 0)" : "%.3g", tw.figure);
  return dp_table_row(t, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]);
}

/* The bound and its attainment on the real sequence and the first generated instances. */
static int bound_table(const struct dp_ctx *ctx, struct dp_evidence *xo)
{
  static const char *const head[] = {
    "instance", "R / V", "rank X^> / dim(col + row) / rank X_s", "d / d_k",
    "||Q K Q^T|| / ||Q X^> Q^T||", "best tied: ||Q X^> Q^T - Q W W^T Q^T|| / ||Q X^> Q^T||",
    "attained by symmetric logits (ratio)", "untied realisation (ratio)", "tied as untied (twin ratio)"};
  struct dp_table *t = dp_evidence_table(xo, "Tied weights: the skew bound ||Q K Q^T|| and its "
                                           "attainment; untied weights", 9, head);
  int st = dp_alloc_ok("C15 table", 1, (void *[]){t});
  if (st != GSL_SUCCESS)
    return st;
  snprintf(t->note, sizeof t->note,
           "Tied weights give symmetric logits, and K = (X^> - X^>T)/2 is orthogonal to every "
           "symmetric matrix: no tied W comes closer to Q X^> Q^T than ||Q K Q^T|| (relative "
           "to ||Q X^> Q^T|| it is the share of the sequence's projection that tied weights "
           "cannot carry). The best tied W of X_s adds the part of X_s no PSD form of width "
           "min(d, d_k) carries. Ratios are test ratios (<= 30 holds); '-' where the width "
           "does not meet the part's premise.");
  struct dp_pos_inst *x = NULL;
  st = dp_pos_inst_real(ctx->env, 40, 64, 1, dp_ctx_stream(ctx, "real text"), &x, NULL, 0);
  if (st == GSL_SUCCESS && x)
    st = bound_row(t, "real text (first 40 documents)", x);
  dp_pos_inst_free(x);
  for (unsigned i = 0; i < 8 && st == GSL_SUCCESS; i++) {
    char name[48];
    x = dp_pos_inst_make(dp_ctx_trial_seed(ctx, i), &ctx->sizes, 1);
    st = x ? GSL_SUCCESS : GSL_ENOMEM;
    if (x) {
      snprintf(name, sizeof name, "trial %u: %s corpus", i, dp_pos_cmode_name(x->cmode));
      st = bound_row(t, name, x);
    }
    dp_pos_inst_free(x);
  }
  return st;
}

static int evidence(const struct dp_ctx *ctx, struct dp_evidence *xo)
{
  int st = bound_table(ctx, xo);
  const struct skew_profile *p = NULL;
  if (st == GSL_SUCCESS)
    st = skew_shared(ctx, &p);
  if (st != GSL_SUCCESS || !p)
    return st;
  struct dp_plot *pl = dp_evidence_plot(xo, "Skew share ||K|| / ||X^>|| against the window c", "c",
                                        "||K||_F / ||X^>||_F", 0, 1);
  static const char *const head[] = {"c", "text", "shuffled within documents (mean, interval)",
                                     "shuffled across documents (mean, interval)",
                                     "text / shuffled"};
  struct dp_table *t = dp_evidence_table(xo, "Skew share of the corpus and its shuffled controls",
                                         5, head);
  st = dp_alloc_ok("C15 evidence", 2, (void *[]){pl, t});
  if (st != GSL_SUCCESS)
    return st;
  snprintf(pl->note, sizeof pl->note,
           "K = (X^> - X^>T)/2 is the part of the right-context counts that no symmetric "
           "operator (and no tied weights) can carry. Whole corpus (%zu tokens, V=%zu), "
           "g = 1/|k|; controls: %d shuffles of each kind, the tokens permuted within each "
           "document or across the corpus (document lengths kept); dashed: the upper ends of "
           "their %g%% prediction intervals (where one more shuffle would fall).", p->ntok, p->V, C15_SHUFFLES, 100 * C15_LEVEL);
  snprintf(t->note, sizeof t->note,
           "Mean of %d shuffles of each kind and its %g%% prediction interval (t, where one "
           "more shuffle would fall).", C15_SHUFFLES, 100 * C15_LEVEL);
  double xs[C15_CMAX];
  for (int c = 0; c < C15_CMAX; c++)
    xs[c] = c + 1;
  st = dp_plot_series(pl, "text", 0, C15_CMAX, xs, p->text);
  if (st == GSL_SUCCESS)
    st = dp_plot_series(pl, "shuffled within documents (mean)", 0, C15_CMAX, xs, p->mean[0]);
  if (st == GSL_SUCCESS)
    st = dp_plot_series(pl, "shuffled within documents (upper end)", 1, C15_CMAX, xs, p->hi[0]);
  if (st == GSL_SUCCESS)
    st = dp_plot_series(pl, "shuffled across documents (mean)", 0, C15_CMAX, xs, p->mean[1]);
  if (st == GSL_SUCCESS)
    st = dp_plot_series(pl, "shuffled across documents (upper end)", 1, C15_CMAX, xs, p->hi[1]);
  for (int c = 0; c < C15_CMAX && st == GSL_SUCCESS; c++) {
    char a[8], b[24], w[64], z[64], q[24];
    snprintf(a, sizeof a, "%d", c + 1);
    snprintf(b, sizeof b, "%.4f", p->text[c]);
    snprintf(w, sizeof w, "%.4f [%.4f, %.4f]", p->mean[0][c], p->lo[0][c], p->hi[0][c]);
    snprintf(z, sizeof z, "%.4f [%.4f, %.4f]", p->mean[1][c], p->lo[1][c], p->hi[1][c]);
    snprintf(q, sizeof q, "%.1f", p->text[c] / fmax(p->mean[0][c], p->mean[1][c]));
    st = dp_table_row(t, a, b, w, z, q);
  }
  return st;
}

/* --- the exact tier ------------------------------------------------------------------------ */

/* The window of the exact tier's offsets (c uniform in 1..C15_EXACT_C), and the longest token
 * stream it counts. */
#define C15_EXACT_C 3
#define C15_EXACT_STREAM 24

/* Causal masking and left context, in two steps.  The counting: a token stream over the V
 * words (up to 24 tokens, drawn from the seed) counted offset by offset (dp_exact_offset_counts)
 * gives X^(-k) = X^(k)T for every k, so X^< = X^>T: checked exactly on those counts (a fact of
 * counting, no bound).  The identities, on integer counts X^(k) (k = 1..c) uniform in
 * [-2^20, 2^20] with X^(-k) = X^(k)T as counted: the causal part of the offset projection,
 * gathered M^pos_ij (j < i only), equals sum_{k=1..c} (Q X^(-k) Q^T) o Delta_(-k), and
 * sum_{k<0} Q X^(k) Q^T = Q X^< Q^T = (Q X^> Q^T)^T, entry for entry (degree 1 in the counts).
 * Twin: X^> symmetric, sum_{k<0} Q X^(k) Q^T = Q X^> Q^T (left context taken for right);
 * skipped when the sequence is one word, where Q X^> Q^T is symmetric whatever X^> is. */
static void exact_check(uint64_t seed, const struct dp_sizes *sz, int twin, struct dp_outcome *o)
{
  struct dp_xdraw x;
  char d[180];
  int c = dp_xdraw_window(seed, sz, C15_EXACT_C, &x, d, sizeof d);
  if (twin && dp_xdraw_window_twin_skip(&x, d, o))
    return;
  slong R = (slong)x.R, V = (slong)x.V;
  fmpz_mat_t Xk[2 * C15_EXACT_C + 1], Xr, Xl, XrT, Q, P, sumL, Mc, Mmask, QXl, QXr, QXrT;
  for (int j = -c; j <= c; j++)
    fmpz_mat_init(Xk[j + c], V, V);
  fmpz_mat_init(Xr, V, V), fmpz_mat_init(Xl, V, V), fmpz_mat_init(XrT, V, V);
  fmpz_mat_init(Q, R, V), fmpz_mat_init(P, R, R), fmpz_mat_init(sumL, R, R);
  fmpz_mat_init(Mc, R, R), fmpz_mat_init(Mmask, R, R), fmpz_mat_init(QXl, R, R);
  fmpz_mat_init(QXr, R, R), fmpz_mat_init(QXrT, R, R);
  /* the counting: X^(-k) = X^(k)T on a counted stream */
  size_t w[C15_EXACT_STREAM], n = dp_rng_range(&x.rng, 1, C15_EXACT_STREAM), ncount = 0;
  for (size_t p = 0; p < n; p++)
    w[p] = dp_rng_below(&x.rng, x.V);
  dp_exact_offset_counts(Xk, c, w, n);
  for (int j = 1; j <= c; j++) {
    fmpz_mat_transpose(XrT, Xk[j + c]);
    long a, b;
    ncount += dp_exact_differ(Xk[-j + c], XrT, &a, &b);
  }
  /* the identities on uniform integer counts */
  for (int j = 1; j <= c; j++) {
    dp_exact_random(Xk[j + c], &x.rng, C15_EXACT_RANGE);
    fmpz_mat_transpose(Xk[-j + c], Xk[j + c]);
    fmpz_mat_add(Xr, Xr, Xk[j + c]);
    fmpz_mat_add(Xl, Xl, Xk[-j + c]);
  }
  dp_exact_selector(Q, x.t);
  for (int j = 1; j <= c; j++) {
    dp_exact_sandwich(P, Q, Xk[-j + c], Q);  /* Q X^(-k) Q^T */
    fmpz_mat_add(sumL, sumL, P);
    dp_exact_add_shift(Mmask, P, -j);
  }
  dp_exact_sandwich(QXl, Q, Xl, Q);
  dp_exact_sandwich(QXr, Q, Xr, Q);
  long i0, j0;
  if (twin) {
    size_t nd = dp_exact_differ(sumL, QXr, &i0, &j0);
    dp_outcome_part(o, DP_JUDGE_RATIO, nd ? DP_RATIO_FAIL : 0.0, "%s: sum_{k<0} Q X^(k) Q^T = "
                    "Q X^> Q^T exactly: %zu of %ld entries differ, first (%ld, %ld)", d, nd,
                    (long)(R * R), i0, j0);
  } else {
    long i1, j1, i2, j2;
    dp_exact_pos_gather(Mc, (const fmpz_mat_t *)Xk, c, x.t, -c, -1);
    fmpz_mat_transpose(QXrT, QXr);
    size_t na = dp_exact_differ(Mc, Mmask, &i0, &j0);
    size_t nb = dp_exact_differ(sumL, QXl, &i1, &j1);
    size_t nc = dp_exact_differ(QXl, QXrT, &i2, &j2);
    dp_outcome_part(o, DP_JUDGE_RATIO, na + nb + nc + ncount ? DP_RATIO_FAIL : 0.0,
                    "%s: differing (first): causal vs masks %zu (%ld,%ld), left vs QX<Q^T %zu "
                    "(%ld,%ld), vs (QX>Q^T)^T %zu (%ld,%ld); %zu-token counts %zu", d, na, i0,
                    j0, nb, i1, j1, nc, i2, j2, n, ncount);
  }
  for (int j = -c; j <= c; j++)
    fmpz_mat_clear(Xk[j + c]);
  fmpz_mat_clear(Xr), fmpz_mat_clear(Xl), fmpz_mat_clear(XrT), fmpz_mat_clear(Q);
  fmpz_mat_clear(P), fmpz_mat_clear(sumL), fmpz_mat_clear(Mc), fmpz_mat_clear(Mmask);
  fmpz_mat_clear(QXl), fmpz_mat_clear(QXr), fmpz_mat_clear(QXrT);
}

static const struct dp_exact exact = {
  .kind = DP_EXACT_IDENTITY,
  .statement = "causal M^pos by masks, sum_{k<0} Q X^(k) Q^T = Q X^< Q^T, X^< = X^>T",
  .trials = 200,
  .degree = 1,
  .range = C15_EXACT_RANGE,
  .check = exact_check,
};

const struct dp_claim dp_claim_c15 = {
  .id = "C15",
  .slug = "direction",
  .title = "Directional asymmetry",
  .paper_ref = "Abstract and summary (query-key-value as the asymmetric extension for "
               "directional relationships)",
  .statement =
    "X^> is not symmetric on real text; its skew part K = (X^> - X^>T)/2 is orthogonal to "
    "every symmetric matrix, so tied weights (W_Q = W_K, logits Q W W^T Q^T) leave a residual "
    "||Q X^> Q^T - Q W W^T Q^T||_F >= ||Q K Q^T||_F, attained by symmetric logits that "
    "realise X_s = (X^> + X^>T)/2; untied W_Q != W_K realise Q X^> Q^T exactly, with W_E an "
    "orthonormal basis of col(X^>) + row(X^>). Causal masking restricts attention to j <= i: "
    "masked weights above the diagonal are exactly 0, and the masked offset projection is "
    "built from left context only: M^pos o [j < i] = sum_{k=1..c} (Q X^(-k) Q^T) o Delta_(-k), "
    "sum_{k<0} Q X^(k) Q^T = Q X^< Q^T.",
  .conditions =
    "Counts of a corpus (every offset counted on its own). The untied realisation needs "
    "dim(col(X^>) + row(X^>)) <= d and rank(X^>) <= d_k (numerical, 10 V eps sigma_1). "
    "They are also necessary (an argument, not measured: X^> = W_E G W_E^T puts its columns "
    "and its rows in col(W_E), and G = W_Q W_K^T has rank <= d_k); the register's sufficient "
    "condition 2 rank(X^>) <= d is stronger than needed (dim(col + row) can be as small as "
    "the rank). Attainment by weights needs "
    "rank(X_s) <= min(d, d_k). Both are declared parts, skipped outside their premise. "
    "Real text: the skew share of the whole corpus must lie above the intervals of its "
    "token-shuffled copies.",
  .judged =
    "(a) ratio of the violation max(0, ||Q K Q^T|| - value): the bound is gathered (the "
    "halving is exact), the value rounds through W W^T, n = w + 2, scale = max_a n_a "
    "(||X^>|| + ||W||^2). (b) the symmetric logits against Q X_s Q^T and (c) the untied "
    "logits against Q X^> Q^T, by test ratio of the residual beyond max_a n_a times what the "
    "rank threshold drops (the eigenvalues of X_s, the singular values of X^>), n = V + 2d + "
    "d_k (a backward-stable decomposition of a V x V matrix, products with inner sizes d, d, "
    "d_k), scale = ||H||^2 ||W_Q|| ||W_K|| / sqrt(d_k) + max_a n_a ||X^>|| (the norm product "
    "of the chain H W_Q (H W_K)^T, and of the decomposition the weights come from); (b)'s "
    "attainment of the bound then follows from the orthogonality of K (the residual to "
    "Q X^> Q^T is printed beside it). (d) the masked projection exactly (==: one-hot "
    "products); the left sum by test ratio n = c, scale = ||Q X^< Q^T|| (counts >= 0); the "
    "causal weights exactly. Real text: figure 30 x (upper end of the shuffles' 99% "
    "prediction interval) / (the text's share), <= 30 when the text's share lies above.",
  .twin_statement =
    "Tied weights realise Q X^> Q^T: the best tied weights of X_s (W_E = [U_+ L_+^(1/2), 0], "
    "W_Q = W_K = d_k^(1/4) I) judged by (c)'s residual test: the skew part alone leaves "
    "||Q K Q^T|| > 0, and what tied weights miss of X_s adds to it (on real text at the "
    "vocabulary level: their residual of at least ||K|| of X^> as a test ratio, n = c, "
    "scale = ||X^>||).",
  .gen = &dp_gen_pos_dir,
  .check = check,
  .twin = twin,
  .tol_kind = DP_JUDGE_RATIO,
  .tol = DP_TOL_RATIO,
  .trials = 100,
  .parts = parts,
  .cases = cases,
  .evidence = evidence,
  .holds_under = "dim(col + row of X^>) <= d, rank <= d_k (untied)",
  .exact = &exact,
};
