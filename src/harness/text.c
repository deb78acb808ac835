/* text.c: the real data of claim C18 (text.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include "err.h"
#include "glove.h"
#include "io.h"
#include "progress.h"
#include "rng.h"
#include "text.h"

/* Longest sequence a file may give (E is R x V, dense), and the longest line it may hold. */
#define SEQ_FILE_R_MAX 256
#define SEQ_LINE_MAX ((size_t)1 << 20)

void dp_text_free(struct dp_text *x)
{
  if (!x)
    return;
  dp_vocab_free(x->vocab);
  free(x->count);
  dp_smat_free(x->X);
  dp_smat_free(x->Xr);
  dp_smat_free(x->S);
  dp_smat_free(x->P);
  dp_glove_free(x->glove);
  for (size_t i = 0; i < x->nseq; i++)
    free(x->seq[i]);
  free(x->seq);
  free(x->len);
  free(x->seq_label);
  dp_corpus_free(x->train);
  free(x);
}

static int seq_alloc(struct dp_text *x, size_t n)
{
  x->seq = calloc(n ? n : 1, sizeof *x->seq);
  x->len = calloc(n ? n : 1, sizeof *x->len);
  x->seq_label = calloc(n ? n : 1, sizeof *x->seq_label);
  return dp_alloc_ok("sequences", 3, (void *[]){x->seq, x->len, x->seq_label});
}

/* S = log(1 + X) and P = PPMI(X) of x->X. */
static int operators(struct dp_text *x)
{
  int st = dp_cooc_operator(x->X, DP_SOP_LOG1P, &x->S);
  if (st == GSL_SUCCESS)
    st = dp_cooc_operator(x->X, DP_SOP_PPMI, &x->P);
  return st;
}

struct vent {
  size_t id, count;
};
static int cmp_vent(const void *pa, const void *pb)
{
  const struct vent *a = pa, *b = pb;
  if (a->count != b->count)
    return a->count > b->count ? -1 : 1;
  return a->id < b->id ? -1 : a->id > b->id;
}

int dp_text_from_corpus(const struct dp_corpus *corp, const char *name, int window,
                        size_t min_count, size_t every, size_t nseq, size_t R_max, uint64_t seed,
                        struct dp_progress *prog, struct dp_text **out)
{
  *out = NULL;
  if (!corp || window < 1 || R_max < 2 || nseq == 0 || every < 2)
    return DP_ERROR(GSL_EINVAL, "held-out text: a corpus, a window >= 1, R_max >= 2, at least "
                                "one sequence and a held-out period >= 2 are needed");
  const size_t V0 = corp->V, ndoc = corp->ndoc;
  if (min_count == 0)
    min_count = 1;
  struct dp_text *x = calloc(1, sizeof *x);
  size_t *cnt = calloc(V0 ? V0 : 1, sizeof *cnt), *map = malloc((V0 ? V0 : 1) * sizeof *map);
  struct vent *ve = malloc((V0 ? V0 : 1) * sizeof *ve);
  size_t *len = calloc(ndoc ? ndoc : 1, sizeof *len), *ids = NULL, *cand = NULL;
  const char **words = NULL;
  int st = dp_alloc_ok("held-out text", 5, (void *[]){x, cnt, map, ve, len});
  if (st != GSL_SUCCESS)
    goto done;
  x->from = DP_TEXT_CORPUS;
  x->window = window;
  x->ndoc = ndoc;
  /* counts of the training lines */
  for (size_t d = 0; d < ndoc; d++)
    if ((d + 1) % every != 0)
      for (size_t p = corp->doc_start[d]; p < corp->doc_start[d + 1]; p++)
        cnt[corp->tok[p]]++;
    else
      x->ndoc_held++;
  size_t V = 0;
  for (size_t a = 0; a < V0; a++)
    if (cnt[a] >= min_count)
      ve[V++] = (struct vent){a, cnt[a]};
  if (x->ndoc_held == 0 || V < 2) {
    st = DP_ERROR(GSL_EDOM, "%s: %s", name,
                  x->ndoc_held == 0 ? "too few lines: no held-out line"
                                    : "fewer than 2 words seen often enough in the training lines");
    goto done;
  }
  qsort(ve, V, sizeof *ve, cmp_vent);
  for (size_t a = 0; a < V0; a++)
    map[a] = (size_t)-1;
  words = malloc(V * sizeof *words);
  x->count = malloc(V * sizeof *x->count);
  ids = malloc((corp->ntok ? corp->ntok : 1) * sizeof *ids);
  cand = malloc((x->ndoc_held ? x->ndoc_held : 1) * sizeof *cand);
  if ((st = dp_alloc_ok("held-out text", 4, (void *[]){words, x->count, ids, cand})))
    goto done;
  for (size_t a = 0; a < V; a++) {
    map[ve[a].id] = a;
    words[a] = corp->vocab ? corp->vocab->words[ve[a].id] : NULL;
    x->count[a] = ve[a].count;
  }
  x->V = V;
  if (corp->vocab && (st = dp_vocab_from_words(V, words, x->count, &x->vocab, NULL)))
    goto done;
  /* the training lines as ids of the new vocabulary */
  size_t nt = 0, ntrain = 0, ncand = 0;
  for (size_t d = 0; d < ndoc; d++) {
    size_t n = 0;
    for (size_t p = corp->doc_start[d]; p < corp->doc_start[d + 1]; p++)
      if (map[corp->tok[p]] != (size_t)-1) {
        n++;
        if ((d + 1) % every != 0)
          ids[nt++] = map[corp->tok[p]];
      }
    if ((d + 1) % every != 0)
      len[ntrain++] = n;
    else {
      x->ntok_held += n;
      if (n >= 2)
        cand[ncand++] = d;
    }
  }
  if (ncand == 0) {
    st = DP_ERROR(GSL_EDOM, "%s: no held-out line holds 2 words of the vocabulary", name);
    goto done;
  }
  if ((st = dp_corpus_from_ids(V, ntrain, len, ids, &x->train)))
    goto done;
  /* counts and operators */
  struct dp_counts *c = NULL;
  st = dp_cooc_count_p(x->train, window, DP_WEIGHT_HARMONIC, DP_SMAT_SPARSE, prog, &c);
  if (st == GSL_SUCCESS) {
    x->X = c->X;
    x->Xr = c->Xr;
    c->X = c->Xr = NULL;
    dp_counts_free(c);
    dp_progress_stage(prog, "operators log(1 + X) and PPMI", 0, NULL);
    st = operators(x);
    dp_progress_end(prog, "nnz(S) = %zu", st == GSL_SUCCESS ? dp_smat_nnz(x->S) : 0);
  }
  if (st != GSL_SUCCESS)
    goto done;
  /* the held-out sequences: nseq of the candidate lines, drawn without replacement */
  if (nseq > ncand)
    nseq = ncand;
  dp_rng r;
  dp_rng_seed(&r, seed);
  for (size_t i = 0; i < nseq; i++) {
    size_t j = i + dp_rng_below(&r, ncand - i), s = cand[i];
    cand[i] = cand[j];
    cand[j] = s;
  }
  for (size_t i = 1; i < nseq; i++) /* in line order */
    for (size_t j = i; j > 0 && cand[j - 1] > cand[j]; j--) {
      size_t s = cand[j];
      cand[j] = cand[j - 1];
      cand[j - 1] = s;
    }
  if ((st = seq_alloc(x, nseq)))
    goto done;
  for (size_t i = 0; i < nseq && st == GSL_SUCCESS; i++) {
    size_t d = cand[i], n = 0, all = 0;
    x->seq[i] = malloc(R_max * sizeof **x->seq);
    if ((st = dp_alloc_ok("held-out text", 1, (void *[]){x->seq[i]})))
      break;
    for (size_t p = corp->doc_start[d]; p < corp->doc_start[d + 1]; p++)
      if (map[corp->tok[p]] != (size_t)-1) {
        if (n < R_max)
          x->seq[i][n++] = map[corp->tok[p]];
        all++;
      }
    x->len[i] = n;
    x->nseq++;
    snprintf(x->seq_label[i], sizeof x->seq_label[i], "held-out line %zu%s", d + 1,
             all > n ? " (its first words)" : "");
  }
  if (st == GSL_SUCCESS)
    snprintf(x->label, sizeof x->label,
             "%.120s: %zu lines (%zu held out), %zu training tokens, V=%zu (count >= %zu), "
             "c=%d, 1/|k|", name, ndoc, x->ndoc_held, x->train->ntok, V, min_count, window);
done:
  free(cnt);
  free(map);
  free(ve);
  free(len);
  free(ids);
  free(cand);
  free(words);
  if (st != GSL_SUCCESS) {
    dp_text_free(x);
    return st;
  }
  *out = x;
  return GSL_SUCCESS;
}

/* ---------------------------------------------------------------------------------------
 * Sequences from a file, or drawn */

static int parse_id(const char *s, size_t V, size_t *id)
{
  if (*s < '0' || *s > '9')
    return -1;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end || v == 0 || v > V)
    return -1;
  *id = (size_t)(v - 1);
  return 0;
}

int dp_text_read_sequences(const char *path, const struct dp_vocab *v, size_t V,
                           struct dp_text *x)
{
  FILE *f = NULL;
  int ost = dp_io_fopen_regular(path, &f, NULL);
  if (ost != GSL_SUCCESS)
    return ost;
  char *line = NULL;
  size_t cap = 0, lineno = 0, nalloc = 0;
  ssize_t n;
  int st = GSL_SUCCESS;
  size_t buf[SEQ_FILE_R_MAX];
  while (st == GSL_SUCCESS &&
         (n = dp_io_read_line(f, &line, &cap, SEQ_LINE_MAX, path, lineno + 1, &st)) >= 0) {
    lineno++;
    size_t R = 0;
    char *save = NULL;
    for (char *w = strtok_r(line, " \t\r\n", &save); w && st == GSL_SUCCESS;
         w = strtok_r(NULL, " \t\r\n", &save)) {
      size_t id;
      if (R == SEQ_FILE_R_MAX)
        st = DP_ERROR(GSL_EINVAL, "%s: line %zu: more than %d tokens", path, lineno,
                      SEQ_FILE_R_MAX);
      else if (v && (id = dp_vocab_find(v, w)) == (size_t)-1)
        st = DP_ERROR(GSL_EINVAL, "%s: line %zu: '%.60s' is not a word of the vocabulary",
                      path, lineno, w);
      else if (!v && parse_id(w, V, &id))
        st = DP_ERROR(GSL_EINVAL, "%s: line %zu: '%.60s' is not an id from 1 to %zu", path,
                      lineno, w, V);
      else
        buf[R++] = id;
    }
    if (st != GSL_SUCCESS || R == 0)
      continue; /* a blank line separates nothing */
    if (x->nseq == nalloc) {
      size_t na = nalloc ? 2 * nalloc : 8;
      size_t **s = realloc(x->seq, na * sizeof *s);
      if (s)
        x->seq = s;
      size_t *l = realloc(x->len, na * sizeof *l);
      if (l)
        x->len = l;
      char(*lab)[80] = realloc(x->seq_label, na * sizeof *lab);
      if (lab)
        x->seq_label = lab;
      if (!s || !l || !lab) {
        st = DP_ERROR(GSL_ENOMEM, "%s: out of memory at line %zu", path, lineno);
        break;
      }
      nalloc = na;
    }
    x->seq[x->nseq] = malloc(R * sizeof **x->seq);
    if (!x->seq[x->nseq]) {
      st = DP_ERROR(GSL_ENOMEM, "%s: out of memory at line %zu", path, lineno);
      break;
    }
    memcpy(x->seq[x->nseq], buf, R * sizeof *buf);
    x->len[x->nseq] = R;
    snprintf(x->seq_label[x->nseq], sizeof x->seq_label[x->nseq], "%.50s line %zu", path,
             lineno);
    x->nseq++;
  }
  if (st == GSL_SUCCESS && ferror(f))
    st = DP_ERROR(GSL_EFAILED, "%s: read error", path);
  if (st == GSL_SUCCESS && x->nseq == 0)
    st = DP_ERROR(GSL_EDOM, "%s: no sequence (every line is blank)", path);
  free(line);
  fclose(f);
  return st;
}

/* nseq sequences of R_max ids drawn from weights w (V entries, NULL: uniform). */
static int draw_sequences(struct dp_text *x, size_t nseq, size_t R_max, uint64_t seed,
                          const size_t *w)
{
  int st = seq_alloc(x, nseq);
  double *cum = w ? malloc(x->V * sizeof *cum) : NULL;
  if (st == GSL_SUCCESS && w && !cum)
    st = DP_ERROR(GSL_ENOMEM, "sequences: out of memory");
  double tot = 0;
  for (size_t a = 0; cum && a < x->V; a++)
    cum[a] = tot += (double)w[a];
  dp_rng r;
  dp_rng_seed(&r, seed);
  for (size_t i = 0; i < nseq && st == GSL_SUCCESS; i++) {
    if (!(x->seq[i] = malloc(R_max * sizeof **x->seq))) {
      st = DP_ERROR(GSL_ENOMEM, "sequences: out of memory");
      break;
    }
    for (size_t p = 0; p < R_max; p++) {
      if (!cum || tot <= 0) {
        x->seq[i][p] = dp_rng_below(&r, x->V);
        continue;
      }
      double u = dp_rng_uniform(&r) * tot;
      size_t lo = 0, hi = x->V - 1;
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cum[mid] > u)
          hi = mid;
        else
          lo = mid + 1;
      }
      x->seq[i][p] = lo;
    }
    x->len[i] = R_max;
    snprintf(x->seq_label[i], sizeof x->seq_label[i], "drawn sequence %zu (%s)", i + 1,
             cum ? "words in proportion to their counts" : "ids uniform");
    x->nseq++;
  }
  free(cum);
  return st;
}

static int sequences(struct dp_text *x, const char *seqfile, size_t nseq, size_t R_max,
                     uint64_t seed, const size_t *w)
{
  if (seqfile)
    return dp_text_read_sequences(seqfile, x->vocab, x->V, x);
  return draw_sequences(x, nseq, R_max, seed, w);
}

/* ---------------------------------------------------------------------------------------
 * GloVe's files, a Matrix Market operator */

int dp_text_from_cooc(const char *cooc, int one_sided, const char *vocab, const char *vectors,
                      const struct dp_io_vectors_fmt *fmt, const char *seqfile, size_t nseq,
                      size_t R_max, uint64_t seed, struct dp_text **out)
{
  *out = NULL;
  struct dp_text *x = calloc(1, sizeof *x);
  if (!x)
    return DP_ERROR(GSL_ENOMEM, "%s: out of memory", cooc);
  x->from = DP_TEXT_COOC;
  gsl_matrix *W = NULL, *Wc = NULL;
  gsl_vector *b = NULL, *bc = NULL;
  dp_smat *Xt = NULL, *sum = NULL;
  int st = dp_io_vocab_read(vocab, 0, &x->vocab);
  if (st == GSL_SUCCESS) {
    x->V = x->vocab->V;
    x->count = malloc(x->V * sizeof *x->count);
    st = dp_alloc_ok("vocabulary", 1, (void *[]){x->count});
  }
  if (st == GSL_SUCCESS) {
    memcpy(x->count, x->vocab->counts, x->V * sizeof *x->count);
    st = dp_io_cooc_read(cooc, x->V, DP_SMAT_SPARSE, &x->X);
  }
  size_t diff = 0, where = 0;
  if (st == GSL_SUCCESS && !one_sided)
    st = dp_smat_compare(x->X, x->X, 1, &diff, &where);
  if (st == GSL_SUCCESS && diff) {
    size_t i = where / x->V, j = where % x->V;
    st = DP_ERROR(GSL_EINVAL, "%s: not symmetric: X(%zu, %zu) = %.17g but X(%zu, %zu) = %.17g "
                  "(%zu entries differ; counts of cooccur -symmetric 0 need "
                  "--cooccurrence-symmetric 0)", cooc, i + 1, j + 1, dp_smat_get(x->X, i, j),
                  j + 1, i + 1, dp_smat_get(x->X, j, i), diff);
  }
  if (st == GSL_SUCCESS && one_sided) { /* one side, X^>: X = X^> + X^>T */
    st = dp_smat_transpose(x->X, &Xt);
    if (st == GSL_SUCCESS)
      st = dp_smat_add(x->X, Xt, &sum);
    if (st == GSL_SUCCESS) {
      x->Xr = x->X;
      x->X = sum;
    }
  }
  if (st == GSL_SUCCESS) { /* counts, weighted by 1/d or 1: never negative */
    const gsl_spmatrix *m = x->X->s;
    for (size_t i = 0; i < m->size1 && st == GSL_SUCCESS; i++)
      for (int q = m->p[i]; q < m->p[i + 1]; q++)
        if (m->data[q] < 0) {
          st = DP_ERROR(GSL_EINVAL, "%s: X(%zu, %d) = %.17g is negative: co-occurrence counts "
                        "are >= 0", cooc, i + 1, m->i[q] + 1, m->data[q]);
          break;
        }
  }
  if (st == GSL_SUCCESS && dp_smat_nnz(x->X) == 0)
    st = DP_ERROR(GSL_EDOM, "%s: no co-occurrence record", cooc);
  if (st == GSL_SUCCESS)
    st = operators(x);
  if (st == GSL_SUCCESS && vectors) {
    st = dp_io_vectors_read(vectors, x->vocab, fmt, &W, &Wc, &b, &bc);
    if (st == GSL_SUCCESS)
      st = dp_glove_from_vectors(W, Wc, b, bc, &x->glove);
  }
  if (st == GSL_SUCCESS)
    st = sequences(x, seqfile, nseq, R_max, seed, x->count);
  if (st == GSL_SUCCESS)
    snprintf(x->label, sizeof x->label, "%.100s with %.80s: V=%zu, nnz(X)=%zu%s%s", cooc, vocab,
             x->V, dp_smat_nnz(x->X), one_sided ? ", one-sided counts symmetrised as X + X^T" : "",
             vectors ? ", vectors read" : "");
  dp_smat_free(Xt);
  gsl_matrix_free(W);
  gsl_matrix_free(Wc);
  gsl_vector_free(b);
  gsl_vector_free(bc);
  if (st != GSL_SUCCESS) {
    dp_text_free(x);
    return st;
  }
  *out = x;
  return GSL_SUCCESS;
}

int dp_text_from_operator(const char *mtx, const char *seqfile, size_t nseq, size_t R_max,
                          uint64_t seed, struct dp_text **out)
{
  *out = NULL;
  struct dp_text *x = calloc(1, sizeof *x);
  if (!x)
    return DP_ERROR(GSL_ENOMEM, "%s: out of memory", mtx);
  x->from = DP_TEXT_OPERATOR;
  int st = dp_io_mtx_read(mtx, DP_SMAT_SPARSE, &x->S);
  size_t diff = 0, where = 0;
  if (st == GSL_SUCCESS && x->S->n1 != x->S->n2)
    st = DP_ERROR(GSL_EINVAL, "%s: the operator is %zu x %zu, not square", mtx, x->S->n1,
                  x->S->n2);
  if (st == GSL_SUCCESS)
    st = dp_smat_compare(x->S, x->S, 1, &diff, &where);
  if (st == GSL_SUCCESS && diff) {
    size_t i = where / x->S->n2, j = where % x->S->n2;
    st = DP_ERROR(GSL_EINVAL, "%s: not symmetric: entry (%zu, %zu) = %.17g but (%zu, %zu) = "
                  "%.17g (%zu entries differ)", mtx, i + 1, j + 1, dp_smat_get(x->S, i, j),
                  j + 1, i + 1, dp_smat_get(x->S, j, i), diff);
  }
  if (st == GSL_SUCCESS) {
    x->V = x->S->n1;
    st = sequences(x, seqfile, nseq, R_max, seed, NULL);
  }
  if (st == GSL_SUCCESS)
    snprintf(x->label, sizeof x->label, "operator %.150s: V=%zu, nnz=%zu", mtx, x->V,
             dp_smat_nnz(x->S));
  if (st != GSL_SUCCESS) {
    dp_text_free(x);
    return st;
  }
  *out = x;
  return GSL_SUCCESS;
}
