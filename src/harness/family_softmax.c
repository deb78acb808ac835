/* family_softmax.c: seeded instances for the softmax claims C11-C13, their shrinking, and the
 * small real-text operators C11 and C12 use.
 *
 * C11 family (struct dp_sm_inst): a token sequence, a symmetric count matrix X on its
 * vocabulary and GloVe-style query-side and key-side biases.  X comes from counting a random
 * Zipf corpus that contains the sequence as one of its documents (so every row of the
 * sequence has a positive count when R >= 2), with or without add-one smoothing (raw counts
 * have zeros: log 0 = -inf, a masked pair), or from a log-normal law with sigma up to 50 (a
 * dynamic range of e^300), or small integers (ties), these two with a quarter of the pairs of
 * distinct words masked (X = 0) and a positive diagonal; a quarter of the instances are scaled by
 * 2^e, e in +-{50, 200, 400}.  Tokens are distinct, uniform, Zipf or all the same word.
 * C13 family (struct dp_mc_inst): Monte Carlo samples of q . k for iid N(0, 1) vectors of
 * dimension d_k = 1..1024, a pure function of (seed, d_k, N).  Both shrink theft-style:
 * candidate k, largest steps first. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "claim.h"
#include "cooc.h"
#include "err.h"
#include "rng.h"
#include "family_softmax.h"
#include "seed.h"
#include "softmax.h"

/* --- C11 family --------------------------------------------------------------------------- */

static const char *const xmode_names[DP_XM_COUNT_] = {"add-one-counts", "counts", "lognormal",
                                                      "small-integers"};

const char *dp_xmode_name(enum dp_xmode m)
{
  return (m >= 0 && m < DP_XM_COUNT_) ? xmode_names[m] : "?";
}

static struct dp_sm_inst *sm_alloc(size_t V, size_t R)
{
  struct dp_sm_inst *x = calloc(1, sizeof *x);
  if (!x)
    return NULL;
  x->V = V;
  x->R = R;
  x->t = calloc(R ? R : 1, sizeof *x->t);
  x->X = gsl_matrix_calloc(V, V);
  x->bq = calloc(V, sizeof *x->bq);
  x->bk = calloc(V, sizeof *x->bk);
  if (!x->t || !x->X || !x->bq || !x->bk) {
    dp_sm_inst_free(x);
    DP_ERROR(GSL_ENOMEM, "softmax instance: out of memory (V=%zu, R=%zu)", V, R);
    return NULL;
  }
  return x;
}

void dp_sm_inst_free(struct dp_sm_inst *x)
{
  if (!x)
    return;
  free(x->t);
  gsl_matrix_free(x->X);
  free(x->bq);
  free(x->bk);
  free(x);
}

/* X = counts of a random Zipf corpus whose last document is the sequence itself. */
static int make_counts(dp_rng *r, struct dp_sm_inst *x)
{
  int c = 0;
  struct dp_corpus *corp = NULL;
  struct dp_counts *cnt = NULL;
  gsl_matrix *D = NULL;
  int st = dp_seq_zipf_corpus(r, x->V, 3, x->t, x->R, &c, &corp);
  if (st == GSL_SUCCESS)
    st = dp_cooc_count(corp, c, DP_WEIGHT_HARMONIC, DP_SMAT_DENSE, &cnt);
  if (st == GSL_SUCCESS)
    st = dp_smat_to_dense(cnt->X, &D);
  if (st == GSL_SUCCESS)
    gsl_matrix_memcpy(x->X, D);
  gsl_matrix_free(D);
  dp_counts_free(cnt);
  dp_corpus_free(corp);
  return st;
}

struct dp_sm_inst *dp_sm_inst_make(uint64_t seed, const struct dp_sizes *sz)
{
  dp_rng r;
  dp_rng_seed(&r, seed);
  size_t R, V;
  dp_seq_sizes(&r, sz, &R, &V);
  struct dp_sm_inst *x = sm_alloc(V, R);
  if (!x)
    return NULL;
  x->seed = seed;
  if (dp_seq_tokens(&r, R, V, x->t) != GSL_SUCCESS) {
    dp_sm_inst_free(x);
    return NULL;
  }
  x->mode = (enum dp_xmode)dp_rng_below(&r, DP_XM_COUNT_);
  static const double sigmas[] = {0.5, 5.0, 50.0};
  double sigma = sigmas[dp_rng_below(&r, 3)];
  switch (x->mode) {
  case DP_XM_ADDONE:
  case DP_XM_COUNTS:
    if (make_counts(&r, x) != GSL_SUCCESS) {
      dp_sm_inst_free(x);
      return NULL;
    }
    if (x->mode == DP_XM_ADDONE)
      gsl_matrix_add_constant(x->X, 1.0);
    break;
  case DP_XM_LOGNORMAL:
  case DP_XM_SMALLINT:
  default:
    /* a quarter of the pairs of distinct words masked (X = 0: log 0 = -inf); the diagonal
     * stays positive, so every row has a positive count on any sequence (the premise) */
    for (size_t a = 0; a < V; a++)
      for (size_t b = a; b < V; b++) {
        double v = x->mode == DP_XM_LOGNORMAL ? exp(sigma * dp_rng_gauss(&r))
                                              : (double)dp_rng_range(&r, 1, 3);
        if (b != a && dp_rng_below(&r, 4) == 0)
          v = 0.0;
        gsl_matrix_set(x->X, a, b, v);
        gsl_matrix_set(x->X, b, a, v);
      }
    break;
  }
  static const double bsig[] = {0.1, 1.0, 10.0};
  double sq = bsig[dp_rng_below(&r, 3)], sk = bsig[dp_rng_below(&r, 3)];
  for (size_t a = 0; a < V; a++) {
    x->bq[a] = sq * dp_rng_gauss(&r);
    x->bk[a] = sk * dp_rng_gauss(&r);
  }
  static const int exps[] = {-400, -200, -50, 50, 200, 400};
  x->scale_exp = dp_rng_below(&r, 4) == 0 ? exps[dp_rng_below(&r, 6)] : 0;
  if (x->scale_exp)
    gsl_matrix_scale(x->X, ldexp(1.0, x->scale_exp));
  return x;
}

struct dp_sm_inst *dp_sm_inst_from(const gsl_matrix *X, const size_t *t, size_t R,
                                   const double *bq, const double *bk)
{
  if (!X || !t || R == 0 || X->size1 != X->size2) {
    DP_ERROR(GSL_EINVAL, "softmax instance: bad parts");
    return NULL;
  }
  struct dp_sm_inst *x = sm_alloc(X->size1, R);
  if (!x)
    return NULL;
  gsl_matrix_memcpy(x->X, X);
  memcpy(x->t, t, R * sizeof *t);
  for (size_t a = 0; a < x->V; a++) {
    x->bq[a] = bq ? bq[a] : 0.0;
    x->bk[a] = bk ? bk[a] : 0.0;
  }
  x->mode = DP_XM_COUNTS;
  return x;
}

struct dp_sm_inst *dp_sm_inst_copy(const struct dp_sm_inst *x)
{
  struct dp_sm_inst *y = sm_alloc(x->V, x->R);
  if (!y)
    return NULL;
  y->seed = x->seed;
  y->mode = x->mode;
  y->scale_exp = x->scale_exp;
  y->shrink_steps = x->shrink_steps;
  memcpy(y->t, x->t, x->R * sizeof *x->t);
  gsl_matrix_memcpy(y->X, x->X);
  memcpy(y->bq, x->bq, x->V * sizeof *x->bq);
  memcpy(y->bk, x->bk, x->V * sizeof *x->bk);
  return y;
}

void dp_sm_inst_describe(const struct dp_sm_inst *x, char *buf, size_t n)
{
  size_t distinct = dp_seq_distinct(x->t, x->R, x->V), zeros = 0;
  for (size_t i = 0; i < x->R; i++)
    for (size_t j = 0; j < x->R; j++)
      zeros += gsl_matrix_get(x->X, x->t[i], x->t[j]) == 0.0;
  snprintf(buf, n, "R=%zu V=%zu distinct=%zu X=%s zero-pairs=%zu scale=2^%d", x->R, x->V,
           distinct, dp_xmode_name(x->mode), zeros, x->scale_exp);
}

void dp_sm_inst_print(FILE *f, const struct dp_sm_inst *x)
{
  char d[200];
  dp_sm_inst_describe(x, d, sizeof d);
  fprintf(f, "%s\nt =", d);
  for (size_t i = 0; i < x->R; i++)
    fprintf(f, " %zu", x->t[i]);
  fputc('\n', f);
  for (size_t a = 0; a < x->V; a++)
    for (size_t b = 0; b < x->V; b++) {
      double v = gsl_matrix_get(x->X, a, b);
      fprintf(f, "X[%zu][%zu] = %a  (%.17g)\n", a, b, v, v);
    }
  for (size_t a = 0; a < x->V; a++)
    fprintf(f, "bq[%zu] = %a  (%.17g)   bk[%zu] = %a  (%.17g)\n", a, x->bq[a], x->bq[a], a,
            x->bk[a], x->bk[a]);
}

/* Tokens [lo, hi) minus `drop` (none when drop >= R). */
static struct dp_sm_inst *sm_tokens(const struct dp_sm_inst *x, size_t lo, size_t hi, size_t drop)
{
  size_t R = hi - lo - (drop >= lo && drop < hi);
  if (R == 0)
    return NULL;
  struct dp_sm_inst *y = dp_sm_inst_copy(x);
  if (!y)
    return NULL;
  y->R = R;
  for (size_t i = lo, o = 0; i < hi; i++)
    if (i != drop)
      y->t[o++] = x->t[i];
  return y;
}

/* Drop the words absent from the sequence; NULL when every word occurs. */
static struct dp_sm_inst *sm_drop_absent(const struct dp_sm_inst *x)
{
  size_t *map = malloc(x->V * sizeof *map), *used = malloc(x->V * sizeof *used), nu;
  struct dp_sm_inst *y = NULL;
  if (map && used && (nu = dp_seq_used_words(x->t, x->R, x->V, map, used)) < x->V &&
      (y = sm_alloc(nu, x->R))) {
    y->seed = x->seed;
    y->mode = x->mode;
    y->scale_exp = x->scale_exp;
    for (size_t i = 0; i < x->R; i++)
      y->t[i] = map[x->t[i]];
    for (size_t a = 0; a < nu; a++) {
      y->bq[a] = x->bq[used[a]];
      y->bk[a] = x->bk[used[a]];
      for (size_t b = 0; b < nu; b++)
        gsl_matrix_set(y->X, a, b, gsl_matrix_get(x->X, used[a], used[b]));
    }
  }
  free(map);
  free(used);
  return y;
}

/* Simplification step s of the entries; NULL when it changes nothing. */
static struct dp_sm_inst *sm_simplify(const struct dp_sm_inst *x, unsigned s)
{
  struct dp_sm_inst *y = dp_sm_inst_copy(x);
  if (!y)
    return NULL;
  int changed = 0;
  if (s == 0 && x->scale_exp) { /* undo the power-of-two scale */
    gsl_matrix_scale(y->X, ldexp(1.0, -x->scale_exp));
    y->scale_exp = 0;
    changed = 1;
  } else if (s == 1) { /* round X; positive entries stay >= 1 */
    for (size_t a = 0; a < x->V; a++)
      for (size_t b = 0; b < x->V; b++) {
        double v = gsl_matrix_get(x->X, a, b), w = v > 0.0 ? fmax(1.0, round(v)) : v;
        changed |= w != v;
        gsl_matrix_set(y->X, a, b, w);
      }
  } else if (s == 2 || s == 3) { /* round the query-side, then the key-side biases */
    double *b = s == 2 ? y->bq : y->bk;
    for (size_t a = 0; a < x->V; a++) {
      double w = round(b[a]);
      changed |= w != b[a];
      b[a] = w;
    }
  }
  if (!changed) {
    dp_sm_inst_free(y);
    return NULL;
  }
  return y;
}

/* --- the C11 family's tactics -------------------------------------------------------------- */

DP_TOKEN_TACTICS(sm, struct dp_sm_inst, sm_tokens)

static void *sm_drop_unused(const void *p, unsigned i) { return (void)i, sm_drop_absent(p); }
static void *sm_unscale(const void *p, unsigned i) { return (void)i, sm_simplify(p, 0); }
static void *sm_round_X(const void *p, unsigned i) { return (void)i, sm_simplify(p, 1); }
static void *sm_round_bq(const void *p, unsigned i) { return (void)i, sm_simplify(p, 2); }
static void *sm_round_bk(const void *p, unsigned i) { return (void)i, sm_simplify(p, 3); }

static const struct dp_tactic sm_tactics[] = {
  {"halve R", sm_two_halves, sm_halve},
  {"drop a token", sm_ntokens, sm_drop_token},
  {"drop the unused words", dp_tactic_once, sm_drop_unused},
  {"unscale X", dp_tactic_once, sm_unscale},
  {"round X", dp_tactic_once, sm_round_X},
  {"round the query-side biases", dp_tactic_once, sm_round_bq},
  {"round the key-side biases", dp_tactic_once, sm_round_bk},
};

static void *gen_sm_make(uint64_t seed, const struct dp_sizes *sz)
{
  return dp_sm_inst_make(seed, sz);
}
static void gen_sm_free(void *x) { dp_sm_inst_free(x); }
static void gen_sm_describe(const void *x, char *b, size_t n) { dp_sm_inst_describe(x, b, n); }
static void gen_sm_print(FILE *f, const void *x) { dp_sm_inst_print(f, x); }

const struct dp_gen dp_gen_softmax_counts = {"softmax-counts", gen_sm_make, gen_sm_free,
                                             gen_sm_describe, gen_sm_print, sm_tactics,
                                             sizeof sm_tactics / sizeof sm_tactics[0], DP_DIM_R | DP_DIM_V};

struct dp_sm_inst *dp_sm_inst_shrink(const struct dp_sm_inst *x, unsigned k)
{
  return dp_gen_candidate(&dp_gen_softmax_counts, x, k, NULL);
}

/* --- C13 family --------------------------------------------------------------------------- */

struct dp_mc_inst *dp_mc_inst_sample(uint64_t seed, size_t d, size_t N)
{
  struct dp_mc_inst *x = calloc(1, sizeof *x);
  double *q = malloc((d ? d : 1) * sizeof *q);
  if (!x || !q || d == 0 || N == 0 || !(x->dot = malloc(N * sizeof *x->dot))) {
    free(q);
    dp_mc_inst_free(x);
    DP_ERROR(d && N ? GSL_ENOMEM : GSL_EINVAL, "Monte Carlo instance: d_k=%zu, N=%zu", d, N);
    return NULL;
  }
  x->seed = seed;
  x->d = d;
  x->N = N;
  dp_rng r;
  dp_rng_seed(&r, seed);
  for (size_t n = 0; n < N; n++) {
    for (size_t i = 0; i < d; i++)
      q[i] = dp_rng_gauss(&r);
    double s = 0.0;
    for (size_t i = 0; i < d; i++)
      s += q[i] * dp_rng_gauss(&r); /* k_i, drawn after the whole of q */
    x->dot[n] = s;
  }
  free(q);
  return x;
}

/* the widest d_k drawn here is what dp_sizes_below_default counts as the default width */
_Static_assert(((size_t)1 << DP_MC_D_LOG2_MAX) <= DP_SIZES_DEFAULT_DK_WIDEST,
               "C13's widest d_k is above DP_SIZES_DEFAULT_DK_WIDEST");

struct dp_mc_inst *dp_mc_inst_make(uint64_t seed, const struct dp_sizes *sz)
{
  dp_rng r;
  dp_rng_seed(&r, seed);
  size_t d = (size_t)1 << dp_rng_below(&r, DP_MC_D_LOG2_MAX + 1);
  while (sz->dk_max && d > sz->dk_max) /* a power of two within the cap */
    d >>= 1;
  size_t N = DP_MC_WORK / d > DP_MC_N_MIN ? DP_MC_WORK / d : DP_MC_N_MIN;
  /* the samples use their own stream, so (seed, d_k, N) alone reproduce them */
  return dp_mc_inst_sample(dp_seed_stream(seed, "C13 samples"), d, N);
}

void dp_mc_inst_free(struct dp_mc_inst *x)
{
  if (!x)
    return;
  free(x->dot);
  free(x);
}

void dp_mc_inst_describe(const struct dp_mc_inst *x, char *buf, size_t n)
{
  snprintf(buf, n, "d_k=%zu N=%zu sample-seed=%llu", x->d, x->N, (unsigned long long)x->seed);
}

void dp_mc_inst_print(FILE *f, const struct dp_mc_inst *x)
{
  char d[200];
  dp_mc_inst_describe(x, d, sizeof d);
  double s = 0.0;
  for (size_t n = 0; n < x->N; n++)
    s += x->dot[n] * x->dot[n];
  fprintf(f, "%s\nsamples: dp_rng_seed(%llu); for n < N: q = %zu draws of dp_rng_gauss, then k = "
             "%zu draws; q . k summed in index order\n",
          d, (unsigned long long)x->seed, x->d, x->d);
  fprintf(f, "sum_n (q_n . k_n)^2 = %a  (%.17g)\n", s, s);
  for (size_t n = 0; n < x->N && n < 8; n++)
    fprintf(f, "q_%zu . k_%zu = %a  (%.17g)\n", n, n, x->dot[n], x->dot[n]);
}

/* A prefix of half the samples (while at least 64 remain). */
static void *mc_halve_N(const void *p, unsigned i)
{
  const struct dp_mc_inst *x = p;
  (void)i;
  if (x->N / 2 < 64)
    return NULL;
  struct dp_mc_inst *y = calloc(1, sizeof *y);
  if (!y || !(y->dot = malloc(x->N / 2 * sizeof *y->dot))) {
    free(y);
    return NULL;
  }
  *y = (struct dp_mc_inst){x->seed, x->d, x->N / 2, y->dot, x->shrink_steps + 1};
  memcpy(y->dot, x->dot, y->N * sizeof *y->dot);
  return y;
}

/* Half the dimension, the same seed. */
static void *mc_halve_d(const void *p, unsigned i)
{
  const struct dp_mc_inst *x = p;
  (void)i;
  struct dp_mc_inst *y = x->d > 1 ? dp_mc_inst_sample(x->seed, x->d / 2, x->N) : NULL;
  if (y)
    y->shrink_steps = x->shrink_steps + 1;
  return y;
}

static const struct dp_tactic mc_tactics[] = {
  {"halve N", dp_tactic_once, mc_halve_N},
  {"halve d_k", dp_tactic_once, mc_halve_d},
};

static void *gen_mc_make(uint64_t seed, const struct dp_sizes *sz)
{
  return dp_mc_inst_make(seed, sz);
}
static void gen_mc_free(void *x) { dp_mc_inst_free(x); }
static void gen_mc_describe(const void *x, char *b, size_t n) { dp_mc_inst_describe(x, b, n); }
static void gen_mc_print(FILE *f, const void *x) { dp_mc_inst_print(f, x); }

const struct dp_gen dp_gen_softmax_mc = {"softmax-monte-carlo", gen_mc_make, gen_mc_free,
                                         gen_mc_describe, gen_mc_print, mc_tactics,
                                         sizeof mc_tactics / sizeof mc_tactics[0], DP_DIM_DK};

struct dp_mc_inst *dp_mc_inst_shrink(const struct dp_mc_inst *x, unsigned k)
{
  return dp_gen_candidate(&dp_gen_softmax_mc, x, k, NULL);
}

/* --- real text ---------------------------------------------------------------------------- */

void dp_sm_text_free(struct dp_sm_text *x)
{
  if (!x)
    return;
  for (size_t a = 0; x->words && a < x->v; a++)
    free(x->words[a]);
  free(x->words);
  free(x->doc_start);
  free(x->tok);
  gsl_matrix_free(x->X);
  free(x);
}

size_t dp_sm_text_longest(const struct dp_sm_text *x)
{
  size_t best = 0;
  for (size_t d = 1; d < x->ndoc; d++)
    if (x->doc_start[d + 1] - x->doc_start[d] > x->doc_start[best + 1] - x->doc_start[best])
      best = d;
  return best;
}

void dp_sm_text_snippet(const struct dp_sm_text *x, size_t d, char *buf, size_t n)
{
  size_t o = 0;
  buf[0] = '\0';
  for (size_t k = x->doc_start[d]; k < x->doc_start[d + 1] && o + 1 < n; k++) {
    const char *w = x->words[x->tok[k]];
    if (o + strlen(w) + 5 >= n) { /* room for " ..." and the NUL */
      snprintf(buf + o, n - o, " ...");
      return;
    }
    o += (size_t)snprintf(buf + o, n - o, "%s%s", k > x->doc_start[d] ? " " : "", w);
  }
}

/* The first ndoc lines of a file, as one buffer. */
static int read_lines(const char *path, size_t ndoc, char **text, size_t *len)
{
  FILE *f = fopen(path, "r");
  if (!f)
    return DP_ERROR(GSL_EFAILED, "%s: cannot open", path);
  char *line = NULL, *buf = NULL;
  size_t cap = 0, n = 0, bcap = 0;
  ssize_t got;
  for (size_t d = 0; d < ndoc && (got = getline(&line, &cap, f)) > 0; d++) {
    if (n + (size_t)got + 2 > bcap) {
      bcap = 2 * (n + (size_t)got + 2);
      char *nb = realloc(buf, bcap);
      if (!nb) {
        free(buf), free(line), fclose(f);
        return DP_ERROR(GSL_ENOMEM, "%s: out of memory", path);
      }
      buf = nb;
    }
    memcpy(buf + n, line, (size_t)got);
    n += (size_t)got;
    if (buf[n - 1] != '\n')
      buf[n++] = '\n';
  }
  free(line);
  fclose(f);
  *text = buf;
  *len = n;
  return buf ? GSL_SUCCESS : DP_ERROR(GSL_EDOM, "%s: no text", path);
}

int dp_sm_text_make(const struct dp_env *env, size_t ndoc, struct dp_sm_text **out)
{
  *out = NULL;
  if (!env || (!env->corpus && !env->corpus_path))
    return GSL_SUCCESS;
  struct dp_corpus *own = NULL, *sub = NULL;
  const struct dp_corpus *corp = env->corpus;
  int st = GSL_SUCCESS;
  if (!corp) {
    char *text = NULL;
    size_t len = 0;
    struct dp_vocab_opts vo = {1, 0};
    st = read_lines(env->corpus_path, ndoc, &text, &len);
    if (st == GSL_SUCCESS)
      st = dp_corpus_from_text(text, len, env->corpus_path, &vo, &own);
    free(text);
    if (st != GSL_SUCCESS)
      return st;
    corp = own;
  }
  struct dp_sm_text *x = calloc(1, sizeof *x);
  size_t nd = ndoc < corp->ndoc ? ndoc : corp->ndoc, ntok = corp->doc_start[nd];
  size_t *map = malloc((corp->V ? corp->V : 1) * sizeof *map);
  size_t *len = malloc((nd ? nd : 1) * sizeof *len);
  if (!x || !map || !len || !(x->tok = malloc((ntok ? ntok : 1) * sizeof *x->tok)) ||
      !(x->doc_start = malloc((nd + 1) * sizeof *x->doc_start)) ||
      !(x->words = calloc(ntok ? ntok : 1, sizeof *x->words))) {
    st = DP_ERROR(GSL_ENOMEM, "real text: out of memory");
    goto out;
  }
  x->ndoc = nd;
  x->ntok = ntok;
  x->c = env->window > 0 ? env->window : 1;
  for (size_t a = 0; a < corp->V; a++)
    map[a] = (size_t)-1;
  for (size_t n = 0; n < ntok; n++) {
    size_t a = corp->tok[n];
    if (map[a] == (size_t)-1) {
      map[a] = x->v;
      char tmp[32];
      snprintf(tmp, sizeof tmp, "w%zu", a);
      if (!(x->words[x->v++] = strdup(corp->vocab ? corp->vocab->words[a] : tmp))) {
        st = DP_ERROR(GSL_ENOMEM, "real text: out of memory");
        goto out;
      }
    }
    x->tok[n] = map[a];
  }
  for (size_t d = 0; d <= nd; d++)
    x->doc_start[d] = corp->doc_start[d];
  for (size_t d = 0; d < nd; d++)
    len[d] = x->doc_start[d + 1] - x->doc_start[d];
  if (x->v == 0) {
    st = DP_ERROR(GSL_EDOM, "real text: the first %zu documents have no token", nd);
    goto out;
  }
  struct dp_counts *cnt = NULL;
  st = dp_corpus_from_ids(x->v, nd, len, x->tok, &sub);
  if (st == GSL_SUCCESS)
    st = dp_cooc_count(sub, x->c, DP_WEIGHT_HARMONIC, DP_SMAT_DENSE, &cnt);
  if (st == GSL_SUCCESS)
    st = dp_smat_to_dense(cnt->X, &x->X);
  dp_counts_free(cnt);
out:
  free(map);
  free(len);
  dp_corpus_free(sub);
  dp_corpus_free(own);
  if (st != GSL_SUCCESS)
    dp_sm_text_free(x);
  else
    *out = x;
  return st;
}
