/* family.c: seeded instances for the claims, and their shrinking.
 *
 * Two families.  The sequence family (struct dp_inst: tokens t, operators S and Sd on a
 * vocabulary of V words) serves every claim about M = Q S Q^T and what is built on it
 * (C02-C06 and later); the corpus family (struct dp_cinst: documents of word ids, a window
 * and a weighting) serves the co-occurrence claim C01.  Each instance is a pure function of
 * (instance seed, sizes); the modes below are drawn so that the hard cases come up often:
 * V < R and V > R, repeated and distinct tokens, words absent from the sequence, PSD,
 * indefinite and rank-deficient S, S from real counting (raw, log1p, PPMI), the zero
 * operator, and magnitudes scaled by exact powers of two from 2^-400 to 2^400 (kept inside
 * that range so that products of two entries neither overflow nor go subnormal).
 * Shrinking follows theft: each family lists its tactics as data (struct dp_tactic),
 * largest steps first.  The sequence core at the top is shared with family_softmax.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "claim.h"
#include "err.h"
#include "cooc.h"
#include "family.h"
#include "rng.h"
#include "select.h"

static const char *const skind_names[DP_SK_COUNT_] = {
  "psd", "indefinite", "symmetric-gaussian", "counts", "log1p-counts", "ppmi", "zero"};

/* the attention families draw d_k up to V + 4: within the default width */
_Static_assert(DP_SIZES_DEFAULT_V + 4 <= DP_SIZES_DEFAULT_DK_WIDEST,
               "a default d_k draw is above DP_SIZES_DEFAULT_DK_WIDEST");

int dp_sizes_below_default(const struct dp_sizes *sz, unsigned dims)
{
  if (dims == 0)
    dims = DP_DIM_R | DP_DIM_V;
  return ((dims & DP_DIM_R) && sz->R_max < DP_SIZES_DEFAULT_R) ||
         ((dims & DP_DIM_V) && sz->V_max < DP_SIZES_DEFAULT_V) ||
         ((dims & DP_DIM_DK) && sz->dk_max && sz->dk_max < DP_SIZES_DEFAULT_DK_WIDEST);
}

void dp_sizes_below_default_options(const struct dp_sizes *sz, char *buf, size_t n)
{
  if (!n)
    return;
  buf[0] = '\0';
  size_t k = 0;
  const char *name[] = {"--max-R", "--max-V", "--max-dk"};
  size_t val[] = {sz->R_max, sz->V_max, sz->dk_max};
  int below[] = {sz->R_max < DP_SIZES_DEFAULT_R, sz->V_max < DP_SIZES_DEFAULT_V,
                 sz->dk_max && sz->dk_max < DP_SIZES_DEFAULT_DK_WIDEST};
  for (int i = 0; i < 3; i++)
    if (below[i] && k < n) {
      int w = snprintf(buf + k, n - k, "%s%s %zu", k ? " " : "", name[i], val[i]);
      k = w < 0 ? n : k + (size_t)w;
    }
}

void dp_xdraw_make(uint64_t seed, const struct dp_sizes *sz, struct dp_xdraw *x)
{
  dp_rng_seed(&x->rng, seed);
  size_t rmax = sz->R_max < DP_XDRAW_MAX ? sz->R_max : DP_XDRAW_MAX;
  size_t vmax = sz->V_max < DP_XDRAW_MAX ? sz->V_max : DP_XDRAW_MAX;
  size_t kmax = sz->dk_max && sz->dk_max < DP_XDRAW_MAX ? sz->dk_max : DP_XDRAW_MAX;
  x->R = dp_rng_range(&x->rng, 1, rmax ? rmax : 1);
  x->V = dp_rng_range(&x->rng, 1, vmax ? vmax : 1);
  x->d = dp_rng_range(&x->rng, 1, DP_XDRAW_MAX);
  x->dk = dp_rng_range(&x->rng, 1, kmax);
  for (size_t i = 0; i < x->R; i++)
    x->t[i] = dp_rng_below(&x->rng, x->V);
}

void dp_xdraw_describe(const struct dp_xdraw *x, char *buf, size_t n)
{
  int k = snprintf(buf, n, "R=%zu V=%zu d=%zu d_k=%zu t=(", x->R, x->V, x->d, x->dk);
  for (size_t i = 0; i < x->R && k > 0 && (size_t)k < n; i++)
    k += snprintf(buf + k, n - (size_t)k, "%s%zu", i ? " " : "", x->t[i]);
  if (k > 0 && (size_t)k < n)
    snprintf(buf + k, n - (size_t)k, ")");
}

int dp_xdraw_two_words(const struct dp_xdraw *x)
{
  for (size_t i = 1; i < x->R; i++)
    if (x->t[i] != x->t[0])
      return 1;
  return 0;
}

int dp_xdraw_window(uint64_t seed, const struct dp_sizes *sz, int cmax, struct dp_xdraw *x,
                    char *buf, size_t n)
{
  dp_xdraw_make(seed, sz, x);
  int c = (int)dp_rng_range(&x->rng, 1, (size_t)cmax);
  char d[160];
  dp_xdraw_describe(x, d, sizeof d);
  snprintf(buf, n, "%s c=%d", d, c);
  return c;
}

int dp_xdraw_window_twin_skip(const struct dp_xdraw *x, const char *d, struct dp_outcome *o)
{
  if (dp_xdraw_two_words(x))
    return 0;
  dp_outcome_skip(o, "%s: one word only, Q X^> Q^T is symmetric; the twin cannot differ", d);
  return 1;
}

const char *dp_skind_name(enum dp_skind k)
{
  return (k >= 0 && k < DP_SK_COUNT_) ? skind_names[k] : "?";
}

int dp_skind_psd(enum dp_skind k) { return k == DP_SK_PSD || k == DP_SK_ZERO; }

/* --- sequence family ------------------------------------------------------------------- */

static void symmetrise(gsl_matrix *S)
{
  /* (a + b) / 2 == (b + a) / 2 in IEEE arithmetic: the result is exactly symmetric. */
  for (size_t i = 0; i < S->size1; i++)
    for (size_t j = i + 1; j < S->size2; j++) {
      double s = 0.5 * (gsl_matrix_get(S, i, j) + gsl_matrix_get(S, j, i));
      gsl_matrix_set(S, i, j, s);
      gsl_matrix_set(S, j, i, s);
    }
}

/* S = B diag(sgn) B^T with B: V x k Gaussian; GSL status. */
static int make_factored(dp_rng *r, gsl_matrix *S, size_t k, int indefinite)
{
  size_t V = S->size1;
  gsl_matrix *B = gsl_matrix_alloc(V, k);
  double *sg = malloc(k * sizeof *sg);
  if (!B || !sg) {
    gsl_matrix_free(B);
    free(sg);
    return DP_ERROR(GSL_ENOMEM, "sequence instance: out of memory (V=%zu, k=%zu)", V, k);
  }
  for (size_t i = 0; i < V; i++)
    for (size_t j = 0; j < k; j++)
      gsl_matrix_set(B, i, j, dp_rng_gauss(r));
  for (size_t j = 0; j < k; j++)
    sg[j] = indefinite ? (dp_rng_below(r, 2) ? 1.0 : -1.0) : 1.0;
  if (indefinite && k >= 2) { /* both signs, so S is indefinite (Sylvester's law of inertia) */
    sg[0] = 1.0;
    sg[1] = -1.0;
  }
  for (size_t a = 0; a < V; a++)
    for (size_t b = 0; b < V; b++) {
      double s = 0.0;
      for (size_t j = 0; j < k; j++)
        s += gsl_matrix_get(B, a, j) * sg[j] * gsl_matrix_get(B, b, j);
      gsl_matrix_set(S, a, b, s);
    }
  symmetrise(S);
  free(sg);
  gsl_matrix_free(B);
  return GSL_SUCCESS;
}

/* S from counting a random Zipf corpus over V words; Sd = X^> of the same corpus. */
static int make_counts(dp_rng *r, struct dp_inst *x, enum dp_sop op)
{
  int c = 0;
  struct dp_corpus *corp = NULL;
  struct dp_counts *cnt = NULL;
  dp_smat *S = NULL;
  gsl_matrix *Sd = NULL, *Sm = NULL;
  int st = dp_seq_zipf_corpus(r, x->V, 4, NULL, 0, &c, &corp);
  if (st == GSL_SUCCESS)
    st = dp_cooc_count(corp, c, DP_WEIGHT_HARMONIC, DP_SMAT_DENSE, &cnt);
  if (st == GSL_SUCCESS)
    st = dp_cooc_operator(cnt->X, op, &S);
  if (st == GSL_SUCCESS)
    st = dp_smat_to_dense(S, &Sm);
  if (st == GSL_SUCCESS)
    st = dp_smat_to_dense(cnt->Xr, &Sd);
  if (st == GSL_SUCCESS) {
    gsl_matrix_memcpy(x->S, Sm);
    gsl_matrix_memcpy(x->Sd, Sd);
  }
  gsl_matrix_free(Sm);
  gsl_matrix_free(Sd);
  dp_smat_free(S);
  dp_counts_free(cnt);
  dp_corpus_free(corp);
  return st;
}

/* --- the sequence core: what every family of token sequences draws the same way ---------- */

void dp_seq_sizes(dp_rng *r, const struct dp_sizes *sz, size_t *R, size_t *V)
{
  size_t Rmax = sz->R_max ? sz->R_max : 1, Vmax = sz->V_max ? sz->V_max : 1;
  *R = dp_rng_below(r, 8) == 0 ? dp_rng_range(r, 1, Rmax < 2 ? Rmax : 2)
                               : dp_rng_range(r, 1, Rmax);
  switch (dp_rng_below(r, 4)) {
  case 0: *V = dp_rng_range(r, 1, Vmax); break;
  case 1: *V = dp_rng_range(r, 1, *R < Vmax ? *R : Vmax); break;    /* V <= R */
  case 2: *V = dp_rng_range(r, *R < Vmax ? *R : Vmax, Vmax); break; /* V >= R */
  default: *V = dp_rng_range(r, 1, Vmax < 8 ? Vmax : 8); break;
  }
}

int dp_seq_tokens(dp_rng *r, size_t R, size_t V, size_t *t)
{
  return dp_seq_tokens_mode(r, R, V, -1, t);
}

int dp_seq_tokens_mode(dp_rng *r, size_t R, size_t V, int mode, size_t *t)
{
  unsigned tmode = (unsigned)dp_rng_below(r, 4); /* drawn even when forced: same stream */
  if (mode >= 0)
    tmode = (unsigned)mode;
  if (tmode == DP_TOK_DISTINCT && R <= V) { /* distinct: a partial Fisher-Yates shuffle */
    size_t *perm = malloc(V * sizeof *perm);
    if (!perm)
      return DP_ERROR(GSL_ENOMEM, "tokens: out of memory (V=%zu)", V);
    for (size_t a = 0; a < V; a++)
      perm[a] = a;
    for (size_t i = 0; i < R; i++) {
      size_t j = i + dp_rng_below(r, V - i), tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
      t[i] = perm[i];
    }
    free(perm);
  } else {
    size_t same = dp_rng_below(r, V);
    for (size_t i = 0; i < R; i++)
      t[i] = tmode == DP_TOK_SAME ? same : tmode == DP_TOK_ZIPF ? dp_rng_zipf(r, V)
                                                                : dp_rng_below(r, V);
  }
  return GSL_SUCCESS;
}

size_t dp_seq_used_words(const size_t *t, size_t R, size_t V, size_t *map, size_t *used)
{
  size_t nu = 0;
  for (size_t a = 0; a < V; a++)
    map[a] = (size_t)-1;
  for (size_t i = 0; i < R; i++)
    map[t[i]] = 0;
  for (size_t a = 0; a < V; a++)
    if (map[a] == 0) {
      if (used)
        used[nu] = a;
      map[a] = nu++;
    }
  return nu;
}

int dp_seq_zipf_corpus(dp_rng *r, size_t V, size_t ndoc_max, const size_t *tail, size_t ntail,
                       int *c, struct dp_corpus **out)
{
  size_t ndoc = dp_rng_range(r, 1, ndoc_max), total = ntail, nd = ndoc + (tail != NULL);
  size_t *len = malloc(nd * sizeof *len), *ids = NULL;
  int st = len ? GSL_SUCCESS : DP_ERROR(GSL_ENOMEM, "Zipf corpus: out of memory");
  if (st == GSL_SUCCESS) {
    for (size_t d = 0; d < ndoc; d++)
      total += len[d] = dp_rng_range(r, 0, 3 * V + 10);
    if (tail)
      len[ndoc] = ntail;
    if (!(ids = malloc((total ? total : 1) * sizeof *ids)))
      st = DP_ERROR(GSL_ENOMEM, "Zipf corpus: out of memory (%zu tokens)", total);
  }
  if (st == GSL_SUCCESS) {
    size_t n = 0;
    for (; n < total - ntail; n++)
      ids[n] = dp_rng_zipf(r, V);
    if (tail)
      memcpy(ids + n, tail, ntail * sizeof *ids);
    *c = (int)dp_rng_range(r, 1, 4);
    st = dp_corpus_from_ids(V, nd, len, ids, out);
  }
  free(ids);
  free(len);
  return st;
}

/* --- sequence family ------------------------------------------------------------------- */

static struct dp_inst *inst_alloc(size_t V, size_t R)
{
  struct dp_inst *x = calloc(1, sizeof *x);
  if (!x)
    goto fail;
  x->V = V;
  x->R = R;
  x->t = calloc(R ? R : 1, sizeof *x->t);
  x->S = gsl_matrix_calloc(V, V);
  x->Sd = gsl_matrix_calloc(V, V);
  if (x->t && x->S && x->Sd)
    return x;
  dp_inst_free(x);
fail:
  DP_ERROR(GSL_ENOMEM, "sequence instance: out of memory (V=%zu, R=%zu)", V, R);
  return NULL;
}

/* The aim's draws come from a stream of their own, so that the unaimed family (aim 0) draws
 * exactly what it always drew. */
static struct dp_inst *inst_make(uint64_t seed, const struct dp_sizes *sz, int kind, unsigned aim)
{
  dp_rng r, a;
  dp_rng_seed(&r, seed);
  dp_rng_seed(&a, dp_seed_stream(seed, "aim"));
  size_t R, V, Rmax = sz->R_max ? sz->R_max : 1, Vmax = sz->V_max ? sz->V_max : 1;
  int tmode = -1, repeat = 0;
  dp_seq_sizes(&r, sz, &R, &V);
  if ((aim & DP_AIM_DISTINCT) && dp_rng_below(&a, 2)) { /* distinct tokens: V >= R */
    R = R < Vmax ? R : Vmax;
    V = dp_rng_range(&a, R, Vmax);
    tmode = DP_TOK_DISTINCT;
  } else if (aim & DP_AIM_DISTINCT) { /* the other half: a repeated token, where R >= 2 */
    if (R < 2 && Rmax >= 2)
      R = dp_rng_range(&a, 2, Rmax);
    tmode = (int)dp_rng_range(&a, DP_TOK_UNIFORM, DP_TOK_ZIPF);
    repeat = R >= 2;
  }
  int varied = (aim & DP_AIM_VARIED) && dp_rng_below(&a, 8) != 0;
  if (varied) { /* R >= 3 and two words at least, where the sizes allow */
    if (R < 3 && Rmax >= 3)
      R = dp_rng_range(&a, 3, Rmax);
    if (V < 2 && Vmax >= 2)
      V = dp_rng_range(&a, 2, Vmax);
    tmode = (int)dp_rng_range(&a, DP_TOK_UNIFORM, DP_TOK_DISTINCT); /* never all the same */
  }
  struct dp_inst *x = inst_alloc(V, R);
  if (!x)
    return NULL;
  x->seed = seed;
  int st = dp_seq_tokens_mode(&r, R, V, tmode, x->t);
  if (repeat && st == GSL_SUCCESS && dp_seq_distinct(x->t, R, V) == R)
    x->t[R - 1] = x->t[dp_rng_below(&a, R - 1)]; /* the last token repeats an earlier one */
  /* operator */
  if (kind < 0) {
    kind = (int)dp_rng_below(&r, DP_SK_ZERO + 1);
    if (kind == DP_SK_ZERO && dp_rng_below(&r, 4) != 0) /* the zero operator: rarely */
      kind = DP_SK_SYMRAND;
    if ((aim & DP_AIM_PSD) && dp_rng_below(&a, 2))
      kind = DP_SK_PSD;
    if (varied && kind == DP_SK_ZERO)
      kind = DP_SK_SYMRAND;
  }
  x->kind = (enum dp_skind)kind;
  size_t k = dp_rng_below(&r, 2) ? V : dp_rng_range(&r, 1, V); /* rank-deficient half the time */
  if (st == GSL_SUCCESS)
    switch (x->kind) {
    case DP_SK_PSD: st = make_factored(&r, x->S, k, 0); break;
    case DP_SK_INDEF: st = make_factored(&r, x->S, k < 2 && V >= 2 ? 2 : k, 1); break;
    case DP_SK_SYMRAND:
      for (size_t a = 0; a < V; a++)
        for (size_t b = 0; b < V; b++)
          gsl_matrix_set(x->S, a, b, dp_rng_gauss(&r));
      symmetrise(x->S);
      break;
    case DP_SK_COUNTS: st = make_counts(&r, x, DP_SOP_RAW); break;
    case DP_SK_LOG1P: st = make_counts(&r, x, DP_SOP_LOG1P); break;
    case DP_SK_PPMI: st = make_counts(&r, x, DP_SOP_PPMI); break;
    default: break;
    }
  if (st != GSL_SUCCESS) {
    dp_inst_free(x);
    return NULL;
  }
  if (x->kind != DP_SK_COUNTS && x->kind != DP_SK_LOG1P && x->kind != DP_SK_PPMI) {
    /* Sd: S plus a non-symmetric perturbation of the same size */
    for (size_t a = 0; a < V; a++)
      for (size_t b = 0; b < V; b++)
        gsl_matrix_set(x->Sd, a, b, gsl_matrix_get(x->S, a, b) + dp_rng_gauss(&r));
  }
  static const int exps[] = {-400, -200, -50, 50, 200, 400};
  x->scale_exp = dp_rng_below(&r, 4) == 0 ? exps[dp_rng_below(&r, 6)] : 0;
  if (x->scale_exp) {
    gsl_matrix_scale(x->S, ldexp(1.0, x->scale_exp));
    gsl_matrix_scale(x->Sd, ldexp(1.0, x->scale_exp));
  }
  return x;
}

struct dp_inst *dp_inst_make(uint64_t seed, const struct dp_sizes *sz)
{
  return inst_make(seed, sz, -1, 0);
}

struct dp_inst *dp_inst_make_aimed(uint64_t seed, const struct dp_sizes *sz, unsigned aim)
{
  return inst_make(seed, sz, -1, aim);
}

struct dp_inst *dp_inst_make_kind(uint64_t seed, const struct dp_sizes *sz, enum dp_skind k)
{
  return inst_make(seed, sz, (int)k, 0);
}

struct dp_inst *dp_inst_copy(const struct dp_inst *x)
{
  struct dp_inst *y = inst_alloc(x->V, x->R);
  if (!y)
    return NULL;
  y->seed = x->seed;
  y->kind = x->kind;
  y->scale_exp = x->scale_exp;
  y->shrink_steps = x->shrink_steps;
  memcpy(y->t, x->t, x->R * sizeof *x->t);
  gsl_matrix_memcpy(y->S, x->S);
  gsl_matrix_memcpy(y->Sd, x->Sd);
  return y;
}

void dp_inst_free(struct dp_inst *x)
{
  if (!x)
    return;
  free(x->t);
  gsl_matrix_free(x->S);
  gsl_matrix_free(x->Sd);
  free(x);
}

void dp_inst_describe(const struct dp_inst *x, char *buf, size_t n)
{
  size_t distinct = dp_seq_distinct(x->t, x->R, x->V);
  snprintf(buf, n, "R=%zu V=%zu distinct=%zu S=%s scale=2^%d", x->R, x->V, distinct,
           dp_skind_name(x->kind), x->scale_exp);
}

void dp_print_matrix(FILE *f, const char *name, const gsl_matrix *A)
{
  for (size_t i = 0; i < A->size1; i++)
    for (size_t j = 0; j < A->size2; j++) {
      double v = gsl_matrix_get(A, i, j);
      fprintf(f, "%s[%zu][%zu] = %a  (%.17g)\n", name, i, j, v, v);
    }
}

void dp_inst_print(FILE *f, const struct dp_inst *x)
{
  char d[200];
  dp_inst_describe(x, d, sizeof d);
  fprintf(f, "%s\nt =", d);
  for (size_t i = 0; i < x->R; i++)
    fprintf(f, " %zu", x->t[i]);
  fputc('\n', f);
  dp_print_matrix(f, "S", x->S);
  dp_print_matrix(f, "Sd", x->Sd);
}

/* --- shrinking the sequence family: its tactics ----------------------------------------- */

/* The instance with tokens t[lo..hi) kept, minus token `drop` (or none when drop >= R). */
static struct dp_inst *inst_tokens(const struct dp_inst *x, size_t lo, size_t hi, size_t drop)
{
  size_t R = hi - lo - (drop >= lo && drop < hi);
  struct dp_inst *y = R ? inst_alloc(x->V, R) : NULL;
  if (!y)
    return NULL;
  y->seed = x->seed;
  y->kind = x->kind;
  y->scale_exp = x->scale_exp;
  for (size_t i = lo, o = 0; i < hi; i++)
    if (i != drop)
      y->t[o++] = x->t[i];
  gsl_matrix_memcpy(y->S, x->S);
  gsl_matrix_memcpy(y->Sd, x->Sd);
  return y;
}

DP_TOKEN_TACTICS(seq, struct dp_inst, inst_tokens)

/* The words absent from the sequence dropped, the rest renumbered in increasing id. */
static void *seq_drop_unused(const void *p, unsigned i)
{
  const struct dp_inst *x = p;
  (void)i;
  size_t *map = malloc(x->V * sizeof *map), *used = malloc(x->V * sizeof *used), nu;
  struct dp_inst *y = NULL;
  if (map && used && (nu = dp_seq_used_words(x->t, x->R, x->V, map, used)) < x->V &&
      (y = inst_alloc(nu, x->R))) {
    y->seed = x->seed;
    y->kind = x->kind;
    y->scale_exp = x->scale_exp;
    for (size_t k = 0; k < x->R; k++)
      y->t[k] = map[x->t[k]];
    for (size_t a = 0; a < nu; a++)
      for (size_t b = 0; b < nu; b++) {
        gsl_matrix_set(y->S, a, b, gsl_matrix_get(x->S, used[a], used[b]));
        gsl_matrix_set(y->Sd, a, b, gsl_matrix_get(x->Sd, used[a], used[b]));
      }
  }
  free(map);
  free(used);
  return y;
}

size_t dp_seq_distinct(const size_t *t, size_t R, size_t V)
{
  size_t *n = calloc(V ? V : 1, sizeof *n), distinct = 0;
  if (n) /* the engine's counts n_a, which say how many words occur */
    distinct = dp_select_counts(t, R, V, n);
  else /* without memory for them, by pairs: the same count */
    for (size_t i = 0; i < R; i++) {
      int first = 1;
      for (size_t j = 0; j < i && first; j++)
        first = t[j] != t[i];
      distinct += first;
    }
  free(n);
  return distinct;
}

double dp_seq_simplify(double v, unsigned step, int scale_exp)
{
  return step == 0 ? ldexp(v, -scale_exp) : step == 1 ? round(v) : (double)((v > 0) - (v < 0));
}

/* S's and Sd's entries simplified by `step` (0 undo the power-of-two scale, 1 round to
 * integers, 2 signs); NULL when that changes nothing. */
static struct dp_inst *seq_simplify(const struct dp_inst *x, unsigned step)
{
  struct dp_inst *y = dp_inst_copy(x);
  if (!y)
    return NULL;
  int changed = 0;
  for (int m = 0; m < 2; m++) {
    gsl_matrix *A = m ? y->Sd : y->S;
    for (size_t a = 0; a < x->V; a++)
      for (size_t b = 0; b < x->V; b++) {
        double v = gsl_matrix_get(A, a, b), w = dp_seq_simplify(v, step, x->scale_exp);
        changed |= w != v;
        gsl_matrix_set(A, a, b, w);
      }
  }
  if (step == 0)
    y->scale_exp = 0;
  if (!changed) {
    dp_inst_free(y);
    return NULL;
  }
  return y;
}

static void *seq_unscale(const void *p, unsigned i) { return (void)i, seq_simplify(p, 0); }
static void *seq_round(const void *p, unsigned i) { return (void)i, seq_simplify(p, 1); }
static void *seq_sign(const void *p, unsigned i) { return (void)i, seq_simplify(p, 2); }

static const struct dp_tactic seq_tactics[] = {
  {"halve R", seq_two_halves, seq_halve},
  {"drop a token", seq_ntokens, seq_drop_token},
  {"drop the unused words", dp_tactic_once, seq_drop_unused},
  {"unscale S", dp_tactic_once, seq_unscale},
  {"round S", dp_tactic_once, seq_round},
  {"take the signs of S", dp_tactic_once, seq_sign},
};

static void *gen_seq_make(uint64_t seed, const struct dp_sizes *sz) { return dp_inst_make(seed, sz); }
static void gen_seq_free(void *x) { dp_inst_free(x); }
static void gen_seq_describe(const void *x, char *b, size_t n) { dp_inst_describe(x, b, n); }
static void gen_seq_print(FILE *f, const void *x) { dp_inst_print(f, x); }

const struct dp_gen dp_gen_seq = {"sequence", gen_seq_make, gen_seq_free, gen_seq_describe,
                                  gen_seq_print, seq_tactics,
                                  sizeof seq_tactics / sizeof seq_tactics[0], DP_DIM_R | DP_DIM_V};

static void *gen_spectral_make(uint64_t seed, const struct dp_sizes *sz)
{
  return dp_inst_make_aimed(seed, sz, DP_AIM_PSD | DP_AIM_DISTINCT);
}
const struct dp_gen dp_gen_seq_spectral = {"sequence (S PSD, distinct tokens: half each)",
                                           gen_spectral_make, gen_seq_free, gen_seq_describe,
                                           gen_seq_print, seq_tactics,
                                           sizeof seq_tactics / sizeof seq_tactics[0], DP_DIM_R | DP_DIM_V};

static void *gen_varied_make(uint64_t seed, const struct dp_sizes *sz)
{
  return dp_inst_make_aimed(seed, sz, DP_AIM_VARIED);
}
const struct dp_gen dp_gen_seq_varied = {"sequence (varied rows: 7 in 8)", gen_varied_make,
                                         gen_seq_free, gen_seq_describe, gen_seq_print,
                                         seq_tactics, sizeof seq_tactics / sizeof seq_tactics[0], DP_DIM_R | DP_DIM_V};

struct dp_inst *dp_inst_shrink(const struct dp_inst *x, unsigned k)
{
  return dp_gen_candidate(&dp_gen_seq, x, k, NULL);
}

/* The sequence family's tactics applied to a sequence, for the families built on it. */
struct dp_inst *dp_inst_tactic(const struct dp_inst *x, size_t tactic, unsigned i)
{
  return tactic < sizeof seq_tactics / sizeof seq_tactics[0] ? seq_tactics[tactic].apply(x, i)
                                                              : NULL;
}

unsigned dp_inst_tactic_count(const struct dp_inst *x, size_t tactic)
{
  return tactic < sizeof seq_tactics / sizeof seq_tactics[0] ? seq_tactics[tactic].count(x) : 0;
}

/* --- corpus family --------------------------------------------------------------------- */

static struct dp_cinst *cinst_alloc(size_t ndoc, size_t ntok)
{
  struct dp_cinst *x = calloc(1, sizeof *x);
  if (x) {
    x->ndoc = ndoc;
    x->doc_len = calloc(ndoc ? ndoc : 1, sizeof *x->doc_len);
    x->ids = calloc(ntok ? ntok : 1, sizeof *x->ids);
    if (x->doc_len && x->ids)
      return x;
    dp_cinst_free(x);
  }
  DP_ERROR(GSL_ENOMEM, "corpus instance: out of memory (%zu documents, %zu tokens)", ndoc, ntok);
  return NULL;
}

static size_t cinst_ntok(const struct dp_cinst *x)
{
  size_t n = 0;
  for (size_t d = 0; d < x->ndoc; d++)
    n += x->doc_len[d];
  return n;
}

struct dp_cinst *dp_cinst_make(uint64_t seed, const struct dp_sizes *sz)
{
  dp_rng r;
  dp_rng_seed(&r, seed);
  size_t Vmax = sz->V_max ? sz->V_max : 1;
  size_t V = dp_rng_range(&r, 1, Vmax < 40 ? Vmax : 40);
  int c = (int)dp_rng_range(&r, 1, 6);
  size_t ndoc = dp_rng_range(&r, 1, 5), len[5], total = 0;
  for (size_t d = 0; d < ndoc; d++)
    total += len[d] = dp_rng_below(&r, 5) == 0 ? dp_rng_below(&r, (size_t)c + 1)
                                               : dp_rng_range(&r, 1, 3 * (size_t)c + 30);
  struct dp_cinst *x = cinst_alloc(ndoc, total);
  if (!x)
    return NULL;
  x->seed = seed;
  x->V = V;
  x->c = c;
  x->weight = dp_rng_below(&r, 2) ? DP_WEIGHT_HARMONIC : DP_WEIGHT_ONE;
  memcpy(x->doc_len, len, ndoc * sizeof *len);
  int uniform = dp_rng_below(&r, 2) == 0;
  for (size_t n = 0; n < total; n++)
    x->ids[n] = uniform ? dp_rng_below(&r, V) : dp_rng_zipf(&r, V);
  return x;
}

struct dp_cinst *dp_cinst_copy(const struct dp_cinst *x)
{
  size_t ntok = cinst_ntok(x);
  struct dp_cinst *y = cinst_alloc(x->ndoc, ntok);
  if (!y)
    return NULL;
  y->seed = x->seed;
  y->V = x->V;
  y->c = x->c;
  y->weight = x->weight;
  y->shrink_steps = x->shrink_steps;
  memcpy(y->doc_len, x->doc_len, x->ndoc * sizeof *x->doc_len);
  memcpy(y->ids, x->ids, ntok * sizeof *x->ids);
  return y;
}

void dp_cinst_free(struct dp_cinst *x)
{
  if (!x)
    return;
  free(x->doc_len);
  free(x->ids);
  free(x);
}

void dp_cinst_describe(const struct dp_cinst *x, char *buf, size_t n)
{
  snprintf(buf, n, "documents=%zu tokens=%zu V=%zu c=%d g=%s", x->ndoc, cinst_ntok(x), x->V,
           x->c, dp_weight_name((enum dp_weight)x->weight));
}

void dp_cinst_print(FILE *f, const struct dp_cinst *x)
{
  char d[200];
  dp_cinst_describe(x, d, sizeof d);
  fprintf(f, "%s\n", d);
  const size_t *p = x->ids;
  for (size_t doc = 0; doc < x->ndoc; doc++) {
    fprintf(f, "doc %zu:", doc);
    for (size_t i = 0; i < x->doc_len[doc]; i++)
      fprintf(f, " %zu", *p++);
    fputc('\n', f);
  }
}

/* Copy of x with document `doc` replaced by its tokens [lo, hi) minus `drop`, or removed when
 * remove is set. */
static struct dp_cinst *cinst_edit(const struct dp_cinst *x, size_t doc, size_t lo, size_t hi,
                                   size_t drop, int remove)
{
  struct dp_cinst *y = dp_cinst_copy(x);
  if (!y)
    return NULL;
  size_t o = 0, in = 0, nd = 0;
  for (size_t d = 0; d < x->ndoc; d++) {
    size_t len = x->doc_len[d], kept = 0;
    if (d == doc && remove) {
      in += len;
      continue;
    }
    for (size_t i = 0; i < len; i++, in++)
      if (d != doc || (i >= lo && i < hi && i != drop))
        y->ids[o++] = x->ids[in], kept++;
    y->doc_len[nd++] = kept;
  }
  y->ndoc = nd;
  return y;
}

static unsigned cor_ndocs(const void *p)
{
  const struct dp_cinst *x = p;
  return x->ndoc > 1 ? (unsigned)x->ndoc : 0;
}

static void *cor_drop_doc(const void *p, unsigned i) { return cinst_edit(p, i, 0, 0, 0, 1); }

/* Two candidates per document of two tokens or more: either half of it. */
static unsigned cor_nhalves(const void *p)
{
  const struct dp_cinst *x = p;
  unsigned n = 0;
  for (size_t d = 0; d < x->ndoc; d++)
    n += x->doc_len[d] >= 2 ? 2 : 0;
  return n;
}

static void *cor_halve_doc(const void *p, unsigned i)
{
  const struct dp_cinst *x = p;
  for (size_t d = 0; d < x->ndoc; d++) {
    size_t len = x->doc_len[d];
    if (len < 2)
      continue;
    if (i < 2)
      return i == 0 ? cinst_edit(x, d, 0, len / 2, len, 0) : cinst_edit(x, d, len / 2, len, len, 0);
    i -= 2;
  }
  return NULL;
}

static unsigned cor_ntok(const void *p) { return (unsigned)cinst_ntok(p); }

static void *cor_drop_token(const void *p, unsigned i)
{
  const struct dp_cinst *x = p;
  for (size_t d = 0; d < x->ndoc; d++) {
    size_t len = x->doc_len[d];
    if (i < len)
      return cinst_edit(x, d, 0, len, i, 0);
    i -= (unsigned)len;
  }
  return NULL;
}

static unsigned cor_can_narrow(const void *p) { return ((const struct dp_cinst *)p)->c > 1; }

static void *cor_narrow(const void *p, unsigned i)
{
  (void)i;
  struct dp_cinst *y = dp_cinst_copy(p);
  if (y)
    y->c--;
  return y;
}

static unsigned cor_can_merge(const void *p) { return ((const struct dp_cinst *)p)->V > 1; }

/* The last word merged into the one before. */
static void *cor_merge(const void *p, unsigned i)
{
  (void)i;
  struct dp_cinst *y = dp_cinst_copy(p);
  if (y) {
    y->V--;
    size_t n = cinst_ntok(y);
    for (size_t k = 0; k < n; k++)
      if (y->ids[k] == y->V)
        y->ids[k] = y->V - 1;
  }
  return y;
}

static const struct dp_tactic cor_tactics[] = {
  {"drop a document", cor_ndocs, cor_drop_doc},
  {"halve a document", cor_nhalves, cor_halve_doc},
  {"drop a token", cor_ntok, cor_drop_token},
  {"narrow the window", cor_can_narrow, cor_narrow},
  {"merge the last word", cor_can_merge, cor_merge},
};

static void *gen_cor_make(uint64_t seed, const struct dp_sizes *sz) { return dp_cinst_make(seed, sz); }
static void gen_cor_free(void *x) { dp_cinst_free(x); }
static void gen_cor_describe(const void *x, char *b, size_t n) { dp_cinst_describe(x, b, n); }
static void gen_cor_print(FILE *f, const void *x) { dp_cinst_print(f, x); }

const struct dp_gen dp_gen_corpus = {"corpus", gen_cor_make, gen_cor_free, gen_cor_describe,
                                     gen_cor_print, cor_tactics,
                                     sizeof cor_tactics / sizeof cor_tactics[0], DP_DIM_R | DP_DIM_V};

struct dp_cinst *dp_cinst_shrink(const struct dp_cinst *x, unsigned k)
{
  return dp_gen_candidate(&dp_gen_corpus, x, k, NULL);
}

unsigned dp_seq_narrower_widths(size_t d, size_t dk, size_t w[4][2])
{
  size_t want[4][2] = {{d / 2, dk}, {d, dk / 2}, {d - 1, dk}, {d, dk - 1}};
  unsigned n = 0;
  for (int i = 0; i < 4; i++) {
    int skip = want[i][0] == 0 || want[i][1] == 0;
    for (unsigned j = 0; j < n && !skip; j++)
      skip = w[j][0] == want[i][0] && w[j][1] == want[i][1];
    if (!skip) {
      w[n][0] = want[i][0];
      w[n++][1] = want[i][1];
    }
  }
  return n;
}

void dp_seq_gauss_fill(dp_rng *r, gsl_matrix *A)
{
  for (size_t i = 0; i < A->size1; i++)
    for (size_t j = 0; j < A->size2; j++)
      gsl_matrix_set(A, i, j, dp_rng_gauss(r));
}

size_t dp_seq_unused(const size_t *t, size_t R, size_t V)
{
  size_t nun = V;
  for (size_t a = 0; a < V; a++)
    for (size_t i = 0; i < R; i++)
      if (t[i] == a) {
        nun--;
        break;
      }
  return nun;
}

size_t dp_inst_unused_words(const struct dp_inst *x)
{
  return dp_seq_unused(x->t, x->R, x->V);
}

struct dp_inst *dp_inst_drop_half_unused(const struct dp_inst *x, int upper, size_t *map)
{
  size_t V = x->V, R = x->R, nun = dp_inst_unused_words(x);
  if (nun < 2)
    return NULL;
  size_t seen = 0, Vn = 0, lo = upper ? nun / 2 : 0, hi = upper ? nun : nun / 2;
  unsigned char *used = calloc(V, 1);
  size_t *own = map ? NULL : malloc(V * sizeof *own), *m = map ? map : own;
  struct dp_inst *c = NULL;
  if (used && m) {
    for (size_t i = 0; i < R; i++)
      used[x->t[i]] = 1;
    for (size_t a = 0; a < V; a++) {
      int drop = !used[a] && seen >= lo && seen < hi;
      seen += !used[a];
      m[a] = drop ? (size_t)-1 : Vn++;
    }
    c = inst_alloc(Vn, R);
  }
  if (c) {
    c->seed = x->seed;
    c->kind = x->kind;
    c->scale_exp = x->scale_exp;
    c->shrink_steps = x->shrink_steps;
    for (size_t i = 0; i < R; i++)
      c->t[i] = m[x->t[i]];
    for (size_t a = 0; a < V; a++)
      for (size_t e = 0; e < V; e++)
        if (m[a] != (size_t)-1 && m[e] != (size_t)-1) {
          gsl_matrix_set(c->S, m[a], m[e], gsl_matrix_get(x->S, a, e));
          gsl_matrix_set(c->Sd, m[a], m[e], gsl_matrix_get(x->Sd, a, e));
        }
  }
  free(used);
  free(own);
  return c;
}
