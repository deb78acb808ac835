/* family_pos.c: seeded instances of claims C14 (positions) and C15 (direction), their
 * shrinking, and the real-text instance.
 *
 * An instance is a token sequence t (R over V words; the sequence core of family.c: repeated
 * tokens, absent words, V > R and V < R, R = 1) with the offset-resolved counts X^(k),
 * 0 < |k| <= c, of a corpus that ends with t: a Zipf corpus of independent tokens (its X^> is
 * symmetric up to sampling noise) or a directed chain in which a word is mostly followed by a
 * later word (X^> strongly skewed); weights g = 1/|k| or 1; counts scaled by an exact power of
 * two in a quarter of the instances.  The widths d, d_k and Gaussian weights W_E, W_Q, W_K
 * complete it: odd d (no sine-cosine pairs) in a quarter of C14's instances, and for C15 the
 * widths of the untied realisation (dim(col + row) of X^>, its rank) or free widths.
 * X^>, X^< and X are cooc.c's own sums, so that the claims compare the engine's counting with
 * the offsets.  Shrinking works on the parts: tokens, words (every matrix follows), the window
 * (the outer offsets dropped, X^>, X^<, X then summed again as cooc.c sums them), the widths,
 * the scale and the weights' entries. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "attn.h"
#include "cooc.h"
#include "err.h"
#include "family_pos.h"
#include "family_softmax.h"
#include "rng.h"
#include "seed.h"

static const char *const cmode_names[DP_PC_COUNT_] = {"zipf", "chain"};

const char *dp_pos_cmode_name(int m)
{
  return m >= 0 && m < DP_PC_COUNT_ ? cmode_names[m] : m == -1 ? "real text" : "?";
}

void dp_pos_inst_free(struct dp_pos_inst *x)
{
  if (!x)
    return;
  free(x->t);
  if (x->Xk)
    for (int k = 0; k < 2 * x->c + 1; k++)
      gsl_matrix_free(x->Xk[k]);
  free(x->Xk);
  gsl_matrix_free(x->Xr);
  gsl_matrix_free(x->Xl);
  gsl_matrix_free(x->X);
  gsl_matrix_free(x->W_E);
  gsl_matrix_free(x->W_Q);
  gsl_matrix_free(x->W_K);
  free(x);
}

/* An instance of the given sizes with zero matrices; NULL (error recorded) on no memory. */
static struct dp_pos_inst *pos_alloc(size_t V, size_t R, int c, size_t d, size_t dk)
{
  struct dp_pos_inst *x = calloc(1, sizeof *x);
  if (!x)
    goto fail;
  x->V = V;
  x->R = R;
  x->c = c;
  x->d = d;
  x->d_k = dk;
  x->t = calloc(R ? R : 1, sizeof *x->t);
  x->Xk = calloc(2 * (size_t)c + 1, sizeof *x->Xk);
  x->Xr = gsl_matrix_calloc(V, V);
  x->Xl = gsl_matrix_calloc(V, V);
  x->X = gsl_matrix_calloc(V, V);
  x->W_E = gsl_matrix_calloc(V, d);
  x->W_Q = gsl_matrix_calloc(d, dk);
  x->W_K = gsl_matrix_calloc(d, dk);
  if (!x->t || !x->Xk || !x->Xr || !x->Xl || !x->X || !x->W_E || !x->W_Q || !x->W_K)
    goto fail;
  for (int k = -c; k <= c; k++)
    if (k != 0 && !(x->Xk[k + c] = gsl_matrix_calloc(V, V)))
      goto fail;
  return x;
fail:
  dp_pos_inst_free(x);
  DP_ERROR(GSL_ENOMEM, "position instance: out of memory (V=%zu, R=%zu, c=%d)", V, R, c);
  return NULL;
}

/* X^>, X^< and X from the offsets, in cooc.c's order: increasing k on each side (the first
 * copied, the others added entry by entry), then X^> + X^<. */
static void pos_sum_sides(struct dp_pos_inst *x)
{
  const int c = x->c;
  gsl_matrix_memcpy(x->Xr, x->Xk[c + 1]);
  gsl_matrix_memcpy(x->Xl, x->Xk[c - 1]);
  for (int k = 2; k <= c; k++) {
    gsl_matrix_add(x->Xr, x->Xk[c + k]);
    gsl_matrix_add(x->Xl, x->Xk[c - k]);
  }
  gsl_matrix_memcpy(x->X, x->Xr);
  gsl_matrix_add(x->X, x->Xl);
}

/* B = A[words, words] (words NULL: all of A). */
static void sub_copy(const gsl_matrix *A, const size_t *words, size_t nw, gsl_matrix *B)
{
  for (size_t a = 0; a < nw; a++)
    for (size_t b = 0; b < nw; b++)
      gsl_matrix_set(B, a, b, gsl_matrix_get(A, words ? words[a] : a, words ? words[b] : b));
}

/* A new instance from x's parts: the words `words` (nw of them, in the new order; NULL: all),
 * the tokens t (R, already in the new ids), window c <= x->c, widths d <= x->d, dk <= x->d_k. */
static struct dp_pos_inst *pos_build(const struct dp_pos_inst *x, const size_t *words, size_t nw,
                                     const size_t *t, size_t R, int c, size_t d, size_t dk)
{
  if (R == 0 || nw == 0 || c < 1 || d == 0 || dk == 0)
    return NULL;
  struct dp_pos_inst *y = pos_alloc(nw, R, c, d, dk);
  if (!y)
    return NULL;
  y->seed = x->seed;
  y->weight = x->weight;
  y->cmode = x->cmode;
  y->scale_exp = x->scale_exp;
  y->shrink_steps = x->shrink_steps;
  memcpy(y->t, t, R * sizeof *t);
  for (int k = -c; k <= c; k++)
    if (k != 0)
      sub_copy(x->Xk[k + x->c], words, nw, y->Xk[k + c]);
  if (c == x->c) { /* the sides as they were counted */
    sub_copy(x->Xr, words, nw, y->Xr);
    sub_copy(x->Xl, words, nw, y->Xl);
    sub_copy(x->X, words, nw, y->X);
  } else { /* a narrower window: summed again as cooc.c sums */
    pos_sum_sides(y);
  }
  for (size_t a = 0; a < nw; a++)
    for (size_t j = 0; j < d; j++)
      gsl_matrix_set(y->W_E, a, j, gsl_matrix_get(x->W_E, words ? words[a] : a, j));
  for (size_t i = 0; i < d; i++)
    for (size_t j = 0; j < dk; j++) {
      gsl_matrix_set(y->W_Q, i, j, gsl_matrix_get(x->W_Q, i, j));
      gsl_matrix_set(y->W_K, i, j, gsl_matrix_get(x->W_K, i, j));
    }
  return y;
}

struct dp_pos_inst *dp_pos_inst_copy(const struct dp_pos_inst *x)
{
  return pos_build(x, NULL, x->V, x->t, x->R, x->c, x->d, x->d_k);
}

/* Every count matrix multiplied by 2^e (exact). */
static void pos_scale(struct dp_pos_inst *x, int e)
{
  if (e == 0)
    return;
  for (int k = -x->c; k <= x->c; k++)
    if (k != 0)
      gsl_matrix_scale(x->Xk[k + x->c], ldexp(1.0, e));
  gsl_matrix_scale(x->Xr, ldexp(1.0, e));
  gsl_matrix_scale(x->Xl, ldexp(1.0, e));
  gsl_matrix_scale(x->X, ldexp(1.0, e));
}

/* The corpus: 1..6 documents of 0..3V+10 tokens, then t as one more document. */
static int pos_corpus(dp_rng *r, size_t V, int cmode, const size_t *t, size_t R,
                      struct dp_corpus **out)
{
  if (cmode == DP_PC_ZIPF) {
    int c;
    return dp_seq_zipf_corpus(r, V, 6, t, R, &c, out);
  }
  size_t ndoc = dp_rng_range(r, 1, 6), total = R, *len = malloc((ndoc + 1) * sizeof *len);
  if (!len)
    return DP_ERROR(GSL_ENOMEM, "chain corpus: out of memory");
  for (size_t dd = 0; dd < ndoc; dd++)
    total += len[dd] = dp_rng_range(r, 0, 3 * V + 10);
  len[ndoc] = R;
  size_t *ids = malloc(total * sizeof *ids);
  int st = ids ? GSL_SUCCESS : DP_ERROR(GSL_ENOMEM, "chain corpus: out of memory");
  if (st == GSL_SUCCESS) {
    size_t n = 0;
    for (size_t dd = 0; dd < ndoc; dd++)
      for (size_t l = 0; l < len[dd]; l++, n++) /* mostly a step forward, sometimes a jump */
        ids[n] = l == 0 || dp_rng_uniform(r) < 0.2 ? dp_rng_zipf(r, V)
                                                  : (ids[n - 1] + 1 + dp_rng_zipf(r, 3)) % V;
    memcpy(ids + n, t, R * sizeof *t);
    st = dp_corpus_from_ids(V, ndoc + 1, len, ids, out);
  }
  free(ids);
  free(len);
  return st;
}

/* Gaussian entries scaled by 2^e (exact). */
static void gauss_fill(dp_rng *r, gsl_matrix *A, int e)
{
  dp_seq_gauss_fill(r, A);
  gsl_matrix_scale(A, ldexp(1.0, e));
}

/* The widths: C14's (aim 0) or C15's (aim 1, against X^>'s shape). */
static int pos_widths(dp_rng *r, const struct dp_sizes *sz, int aim, const gsl_matrix *Xr,
                      size_t *d, size_t *dk)
{
  int aimed = dp_rng_below(r, 4) != 0;
  size_t d0 = dp_rng_range(r, 1, 8), dk0 = dp_rng_range(r, 1, 8);
  if (aim == 0) {
    *d = aimed ? 2 * d0 : 2 * d0 - 1;
    *dk = dk0;
  } else {
    struct dp_attn_directed s;
    int st = dp_attn_directed_shape(Xr, &s);
    if (st != GSL_SUCCESS)
      return st;
    *d = aimed ? (s.dim ? s.dim : 1) + dp_rng_below(r, 3) : 2 * d0;
    *dk = aimed ? (s.rank ? s.rank : 1) + dp_rng_below(r, 2) : dk0;
  }
  if (sz->dk_max && *dk > sz->dk_max)
    *dk = sz->dk_max;
  return GSL_SUCCESS;
}

struct dp_pos_inst *dp_pos_inst_make(uint64_t seed, const struct dp_sizes *sz, int aim)
{
  dp_rng r;
  dp_rng_seed(&r, seed);
  size_t R, V;
  dp_seq_sizes(&r, sz, &R, &V);
  size_t *t = malloc(R * sizeof *t);
  struct dp_corpus *corp = NULL;
  struct dp_counts *cnt = NULL;
  struct dp_pos_inst *x = NULL;
  if (!t || dp_seq_tokens(&r, R, V, t) != GSL_SUCCESS)
    goto out;
  int cmode = (int)dp_rng_below(&r, DP_PC_COUNT_);
  int c = (int)dp_rng_range(&r, 1, 4);
  int w = dp_rng_below(&r, 2) ? DP_WEIGHT_HARMONIC : DP_WEIGHT_ONE;
  static const int exps[] = {-200, -30, 30, 200};
  int e = dp_rng_below(&r, 4) == 0 ? exps[dp_rng_below(&r, 4)] : 0;
  if (pos_corpus(&r, V, cmode, t, R, &corp) != GSL_SUCCESS ||
      dp_cooc_count(corp, c, (enum dp_weight)w, DP_SMAT_DENSE, &cnt) != GSL_SUCCESS)
    goto out;
  size_t d, dk;
  if (pos_widths(&r, sz, aim, cnt->Xr->d, &d, &dk) != GSL_SUCCESS)
    goto out;
  if (!(x = pos_alloc(V, R, c, d, dk)))
    goto out;
  x->seed = seed;
  x->cmode = cmode;
  x->weight = w;
  x->scale_exp = e;
  memcpy(x->t, t, R * sizeof *t);
  for (int k = -c; k <= c; k++)
    if (k != 0)
      gsl_matrix_memcpy(x->Xk[k + c], cnt->Xk[k + c]->d);
  gsl_matrix_memcpy(x->Xr, cnt->Xr->d); /* the sides as cooc.c counted them */
  gsl_matrix_memcpy(x->Xl, cnt->Xl->d);
  gsl_matrix_memcpy(x->X, cnt->X->d);
  pos_scale(x, e);
  int we = dp_rng_below(&r, 4) == 0 ? (dp_rng_below(&r, 2) ? 20 : -20) : 0;
  gauss_fill(&r, x->W_E, we);
  gauss_fill(&r, x->W_Q, 0);
  gauss_fill(&r, x->W_K, 0);
out:
  free(t);
  dp_corpus_free(corp);
  dp_counts_free(cnt);
  return x;
}

void dp_pos_inst_describe(const struct dp_pos_inst *x, char *buf, size_t n)
{
  snprintf(buf, n, "R=%zu V=%zu distinct=%zu c=%d g=%s counts=%s scale=2^%d d=%zu d_k=%zu", x->R,
           x->V, dp_seq_distinct(x->t, x->R, x->V), x->c,
           x->weight == DP_WEIGHT_ONE ? "1" : "1/|k|", dp_pos_cmode_name(x->cmode), x->scale_exp,
           x->d, x->d_k);
}

void dp_pos_inst_print(FILE *f, const struct dp_pos_inst *x)
{
  char d[200];
  dp_pos_inst_describe(x, d, sizeof d);
  fprintf(f, "%s\nt =", d);
  for (size_t i = 0; i < x->R; i++)
    fprintf(f, " %zu", x->t[i]);
  fputc('\n', f);
  for (int k = -x->c; k <= x->c; k++)
    if (k != 0) {
      char name[16];
      snprintf(name, sizeof name, "X^(%d)", k);
      dp_print_matrix(f, name, x->Xk[k + x->c]);
    }
  dp_print_matrix(f, "W_E", x->W_E);
  dp_print_matrix(f, "W_Q", x->W_Q);
  dp_print_matrix(f, "W_K", x->W_K);
}

/* --- shrinking --------------------------------------------------------------------------- */

static struct dp_pos_inst *pos_tokens(const struct dp_pos_inst *x, size_t lo, size_t hi,
                                      size_t drop)
{
  size_t R = hi - lo - (drop >= lo && drop < hi), *t = malloc((R ? R : 1) * sizeof *t);
  struct dp_pos_inst *y = NULL;
  if (t) {
    for (size_t i = lo, o = 0; i < hi; i++)
      if (i != drop)
        t[o++] = x->t[i];
    y = pos_build(x, NULL, x->V, t, R, x->c, x->d, x->d_k);
  }
  free(t);
  return y;
}
DP_TOKEN_TACTICS(pos, struct dp_pos_inst, pos_tokens)

static void *pos_drop_unused(const void *p, unsigned i)
{
  const struct dp_pos_inst *x = p;
  size_t *map = malloc(x->V * sizeof *map), *used = malloc(x->V * sizeof *used);
  size_t *t = malloc(x->R * sizeof *t), nu;
  struct dp_pos_inst *y = NULL;
  (void)i;
  if (map && used && t && (nu = dp_seq_used_words(x->t, x->R, x->V, map, used)) < x->V) {
    for (size_t j = 0; j < x->R; j++)
      t[j] = map[x->t[j]];
    y = pos_build(x, used, nu, t, x->R, x->c, x->d, x->d_k);
  }
  free(map);
  free(used);
  free(t);
  return y;
}

static void *pos_lower_c(const void *p, unsigned i)
{
  const struct dp_pos_inst *x = p;
  return (void)i, pos_build(x, NULL, x->V, x->t, x->R, x->c - 1, x->d, x->d_k);
}
static void *pos_halve_d(const void *p, unsigned i)
{
  const struct dp_pos_inst *x = p;
  return (void)i, x->d < 2 ? NULL : pos_build(x, NULL, x->V, x->t, x->R, x->c, x->d / 2, x->d_k);
}
static void *pos_d_minus(const void *p, unsigned i)
{
  const struct dp_pos_inst *x = p;
  return (void)i, pos_build(x, NULL, x->V, x->t, x->R, x->c, x->d - 1, x->d_k);
}
static void *pos_halve_dk(const void *p, unsigned i)
{
  const struct dp_pos_inst *x = p;
  return (void)i, x->d_k < 2 ? NULL : pos_build(x, NULL, x->V, x->t, x->R, x->c, x->d, x->d_k / 2);
}
static void *pos_dk_minus(const void *p, unsigned i)
{
  const struct dp_pos_inst *x = p;
  return (void)i, pos_build(x, NULL, x->V, x->t, x->R, x->c, x->d, x->d_k - 1);
}

/* Undo the counts' power-of-two scale (step 0) or round the weights to integers (step 1). */
static void *pos_simplify(const struct dp_pos_inst *x, int step)
{
  if (step == 0 && x->scale_exp == 0)
    return NULL;
  struct dp_pos_inst *y = dp_pos_inst_copy(x);
  if (!y)
    return NULL;
  int changed = step == 0;
  if (step == 0) {
    pos_scale(y, -x->scale_exp);
    y->scale_exp = 0;
  } else {
    gsl_matrix *W[3] = {y->W_E, y->W_Q, y->W_K};
    for (int m = 0; m < 3; m++)
      for (size_t a = 0; a < W[m]->size1; a++)
        for (size_t b = 0; b < W[m]->size2; b++) {
          double v = gsl_matrix_get(W[m], a, b), u = round(v);
          changed |= u != v;
          gsl_matrix_set(W[m], a, b, u);
        }
  }
  if (!changed) {
    dp_pos_inst_free(y);
    return NULL;
  }
  return y;
}
static void *pos_unscale(const void *p, unsigned i) { return (void)i, pos_simplify(p, 0); }
static void *pos_round_w(const void *p, unsigned i) { return (void)i, pos_simplify(p, 1); }

static const struct dp_tactic pos_tactics[] = {
  {"halve R", pos_two_halves, pos_halve},
  {"drop a token", pos_ntokens, pos_drop_token},
  {"drop the unused words", dp_tactic_once, pos_drop_unused},
  {"lower c", dp_tactic_once, pos_lower_c},
  {"halve d", dp_tactic_once, pos_halve_d},
  {"d - 1", dp_tactic_once, pos_d_minus},
  {"halve d_k", dp_tactic_once, pos_halve_dk},
  {"d_k - 1", dp_tactic_once, pos_dk_minus},
  {"unscale the counts", dp_tactic_once, pos_unscale},
  {"round the weights", dp_tactic_once, pos_round_w},
};

static void *gen_make(uint64_t seed, const struct dp_sizes *sz)
{
  return dp_pos_inst_make(seed, sz, 0);
}
static void *gen_make_dir(uint64_t seed, const struct dp_sizes *sz)
{
  return dp_pos_inst_make(seed, sz, 1);
}
static void gen_free(void *x) { dp_pos_inst_free(x); }
static void gen_describe(const void *x, char *b, size_t n) { dp_pos_inst_describe(x, b, n); }
static void gen_print(FILE *f, const void *x) { dp_pos_inst_print(f, x); }

const struct dp_gen dp_gen_pos = {"positions", gen_make, gen_free, gen_describe, gen_print,
                                  pos_tactics, sizeof pos_tactics / sizeof pos_tactics[0], DP_DIM_R | DP_DIM_V | DP_DIM_DK};
const struct dp_gen dp_gen_pos_dir = {"directions", gen_make_dir, gen_free, gen_describe,
                                      gen_print, pos_tactics,
                                      sizeof pos_tactics / sizeof pos_tactics[0], DP_DIM_R | DP_DIM_V | DP_DIM_DK};

struct dp_pos_inst *dp_pos_inst_shrink(const struct dp_pos_inst *x, unsigned k)
{
  return dp_gen_candidate(&dp_gen_pos, x, k, NULL);
}

/* --- real text ----------------------------------------------------------------------------- */

int dp_pos_inst_real(const struct dp_env *env, size_t ndoc, size_t R_max, int aim, uint64_t seed,
                     struct dp_pos_inst **out, char *label, size_t n)
{
  *out = NULL;
  struct dp_sm_text *tx = NULL;
  int st = dp_sm_text_make(env, ndoc, &tx);
  if (st != GSL_SUCCESS || !tx)
    return st;
  size_t *len = malloc(tx->ndoc * sizeof *len);
  struct dp_corpus *corp = NULL;
  struct dp_counts *cnt = NULL;
  struct dp_pos_inst *x = NULL;
  st = len ? GSL_SUCCESS : DP_ERROR(GSL_ENOMEM, "real text: out of memory");
  if (st == GSL_SUCCESS) {
    for (size_t dd = 0; dd < tx->ndoc; dd++)
      len[dd] = tx->doc_start[dd + 1] - tx->doc_start[dd];
    st = dp_corpus_from_ids(tx->v, tx->ndoc, len, tx->tok, &corp);
  }
  if (st == GSL_SUCCESS)
    st = dp_cooc_count(corp, tx->c, DP_WEIGHT_HARMONIC, DP_SMAT_DENSE, &cnt);
  size_t d = 16, dk = 8;
  if (st == GSL_SUCCESS && aim == 1) {
    struct dp_attn_directed s;
    st = dp_attn_directed_shape(cnt->Xr->d, &s);
    if (st == GSL_SUCCESS) {
      d = s.dim ? s.dim : 1;
      dk = s.rank ? s.rank : 1;
    }
  }
  size_t longest = dp_sm_text_longest(tx), s0 = tx->doc_start[longest];
  size_t R = tx->doc_start[longest + 1] - s0;
  if (R > R_max)
    R = R_max;
  if (st == GSL_SUCCESS && R == 0)
    st = DP_ERROR(GSL_EDOM, "real text: the first %zu documents have no token", tx->ndoc);
  if (st == GSL_SUCCESS && !(x = pos_alloc(tx->v, R, tx->c, d, dk)))
    st = GSL_ENOMEM;
  if (st == GSL_SUCCESS) {
    x->seed = seed;
    x->cmode = -1;
    x->weight = DP_WEIGHT_HARMONIC;
    memcpy(x->t, tx->tok + s0, R * sizeof *x->t);
    for (int k = -x->c; k <= x->c; k++)
      if (k != 0)
        gsl_matrix_memcpy(x->Xk[k + x->c], cnt->Xk[k + x->c]->d);
    gsl_matrix_memcpy(x->Xr, cnt->Xr->d);
    gsl_matrix_memcpy(x->Xl, cnt->Xl->d);
    gsl_matrix_memcpy(x->X, cnt->X->d);
    dp_rng r;
    dp_rng_seed(&r, seed);
    gauss_fill(&r, x->W_E, 0);
    gauss_fill(&r, x->W_Q, 0);
    gauss_fill(&r, x->W_K, 0);
    char snip[80];
    dp_sm_text_snippet(tx, longest, snip, sizeof snip);
    if (label)
      snprintf(label, n, "real text, first %zu documents (%zu tokens, V=%zu), c=%d, 1/|k|: "
               "document %zu %s (R=%zu), d=%zu, d_k=%zu", tx->ndoc, tx->ntok, tx->v, tx->c,
               longest + 1, snip, R, d, dk);
    *out = x;
    x = NULL;
  }
  dp_pos_inst_free(x);
  free(len);
  dp_corpus_free(corp);
  dp_counts_free(cnt);
  dp_sm_text_free(tx);
  return st;
}
