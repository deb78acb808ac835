/* cooc.c: corpus, vocabulary, co-occurrence counts and the symmetric operator S (claim C01).
 *
 * Claim C01 says that the GloVe co-occurrence matrix X = X^> + X^< is symmetric because the
 * left-context counts are the transpose of the right-context counts, X^(-k) = (X^(k))^T.
 * To check that claim rather than assume it, every offset k (0 < |k| <= c) is counted on its
 * own from the token stream, as exact integers, then weighted by g(k): X^(-k) is never derived
 * from X^(k).  The module reads a UTF-8 corpus (one document a line, windows never cross a
 * line), builds the vocabulary (count descending, then spelling), counts, and builds the S
 * variants (raw, log1p, PPMI).  A second counting route, dp_cooc_count_direct, follows GloVe's
 * single pass and sums in another order; dp_cooc_expected_mass gives sum(X) in closed form.
 * Besides cooc.h: a UTF-8 byte-order mark at the very start of a corpus is skipped (it is not
 * text), and a token longer than 255 bytes whose buffer cannot be allocated is dropped with a
 * GSL_ENOMEM recorded through dp_err. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "cooc.h"
#include "io.h"
#include "err.h"
#include "progress.h"
#include "rng.h"
#include "utf8.h"
#include "numeric.h"

/* ---------------------------------------------------------------------------------------
 * Tokeniser */

static int tok_byte(unsigned char b)
{
  return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
         b == '\'' || b >= 0x80;
}

size_t dp_tokenize(const char *line, size_t len,
                   void (*emit)(const char *tok, size_t n, void *ctx), void *ctx)
{
  char stack[256];
  char *heap = NULL;
  size_t heapcap = 0, ntok = 0, p = 0;
  const unsigned char *u = (const unsigned char *)line;
  while (p < len) {
    if (!tok_byte(u[p])) {
      p++;
      continue;
    }
    size_t s = p;
    while (p < len && tok_byte(u[p]))
      p++;
    size_t e = p;
    while (s < e && u[s] == '\'')
      s++;
    while (e > s && u[e - 1] == '\'')
      e--;
    if (s == e)
      continue;
    size_t n = e - s;
    char *buf = stack;
    if (n + 1 > sizeof stack) {
      if (n + 1 > heapcap) {
        char *nb = realloc(heap, n + 1);
        if (!nb) {
          DP_ERROR(GSL_ENOMEM, "dp_tokenize: no memory for a %zu-byte token (dropped)", n);
          continue;
        }
        heap = nb;
        heapcap = n + 1;
      }
      buf = heap;
    }
    for (size_t q = 0; q < n; q++) {
      unsigned char b = u[s + q];
      buf[q] = (char)((b >= 'A' && b <= 'Z') ? b - 'A' + 'a' : b);
    }
    buf[n] = '\0';
    if (emit)
      emit(buf, n, ctx);
    ntok++;
  }
  free(heap);
  return ntok;
}

/* ---------------------------------------------------------------------------------------
 * Hashing (FNV-1a) and the word table */

static uint64_t hash_bytes(const char *s, size_t n)
{
  uint64_t h = UINT64_C(14695981039346656037);
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= UINT64_C(1099511628211);
  }
  return h;
}

/* Open addressing, linear probing; slot holds id + 1, 0 when empty. */
struct wtab {
  size_t n, cap;  /* words, capacity of the word arrays */
  char **w;
  size_t *len, *count;
  uint64_t *hash;
  size_t *slot;
  size_t scap;    /* power of two, at most half full */
};

static int wtab_grow_slots(struct wtab *t)
{
  size_t ncap = t->scap ? 2 * t->scap : 1024;
  size_t *ns = calloc(ncap, sizeof *ns);
  if (!ns)
    return GSL_ENOMEM;
  for (size_t id = 0; id < t->n; id++) {
    size_t h = (size_t)t->hash[id] & (ncap - 1);
    while (ns[h])
      h = (h + 1) & (ncap - 1);
    ns[h] = id + 1;
  }
  free(t->slot);
  t->slot = ns;
  t->scap = ncap;
  return GSL_SUCCESS;
}

/* Id of word (s, n), inserted with count 0 when new; SIZE_MAX when out of memory. */
static size_t wtab_intern(struct wtab *t, const char *s, size_t n)
{
  if (2 * (t->n + 1) > t->scap && wtab_grow_slots(t))
    return SIZE_MAX;
  uint64_t hv = hash_bytes(s, n);
  size_t h = (size_t)hv & (t->scap - 1);
  while (t->slot[h]) {
    size_t id = t->slot[h] - 1;
    if (t->hash[id] == hv && t->len[id] == n && memcmp(t->w[id], s, n) == 0)
      return id;
    h = (h + 1) & (t->scap - 1);
  }
  if (t->n == t->cap) {
    size_t nc = t->cap ? 2 * t->cap : 1024;
    char **w = realloc(t->w, nc * sizeof *w);
    if (!w)
      return SIZE_MAX;
    t->w = w;
    size_t *len = realloc(t->len, nc * sizeof *len);
    if (!len)
      return SIZE_MAX;
    t->len = len;
    size_t *cnt = realloc(t->count, nc * sizeof *cnt);
    if (!cnt)
      return SIZE_MAX;
    t->count = cnt;
    uint64_t *hs = realloc(t->hash, nc * sizeof *hs);
    if (!hs)
      return SIZE_MAX;
    t->hash = hs;
    t->cap = nc;
  }
  char *copy = malloc(n + 1);
  if (!copy)
    return SIZE_MAX;
  memcpy(copy, s, n);
  copy[n] = '\0';
  size_t id = t->n++;
  t->w[id] = copy;
  t->len[id] = n;
  t->count[id] = 0;
  t->hash[id] = hv;
  t->slot[h] = id + 1;
  return id;
}

static void wtab_free(struct wtab *t, int free_words)
{
  if (free_words)
    for (size_t i = 0; i < t->n; i++)
      free(t->w[i]);
  free(t->w);
  free(t->len);
  free(t->count);
  free(t->hash);
  free(t->slot);
  memset(t, 0, sizeof *t);
}

/* The vocabulary's private index: word -> id. */
struct vindex {
  size_t cap; /* power of two */
  size_t *slot; /* id + 1, 0 when empty */
};

size_t dp_vocab_find(const struct dp_vocab *v, const char *word)
{
  if (!v || !v->index || !word)
    return (size_t)-1;
  const struct vindex *x = v->index;
  size_t n = strlen(word);
  size_t h = (size_t)hash_bytes(word, n) & (x->cap - 1);
  while (x->slot[h]) {
    size_t id = x->slot[h] - 1;
    if (strcmp(v->words[id], word) == 0)
      return id;
    h = (h + 1) & (x->cap - 1);
  }
  return (size_t)-1;
}

static void vocab_free(struct dp_vocab *v)
{
  if (!v)
    return;
  if (v->words)
    for (size_t i = 0; i < v->V; i++)
      free(v->words[i]);
  free(v->words);
  free(v->counts);
  if (v->index) {
    struct vindex *x = v->index;
    free(x->slot);
    free(x);
  }
  free(v);
}

void dp_vocab_free(struct dp_vocab *v) { vocab_free(v); }

int dp_vocab_from_words(size_t V, const char *const *words, const size_t *counts,
                        struct dp_vocab **out, size_t dup[2])
{
  *out = NULL;
  if (V == 0 || !words || !counts)
    return DP_ERROR(GSL_EINVAL, "dp_vocab_from_words: V = %zu words, words %s, counts %s", V,
                    words ? "given" : "NULL", counts ? "given" : "NULL");
  if (V > SIZE_MAX / 4 / sizeof(size_t))
    return DP_ERROR(GSL_ENOMEM, "dp_vocab_from_words: %zu words is too many", V);
  struct dp_vocab *v = calloc(1, sizeof *v);
  struct vindex *x = calloc(1, sizeof *x);
  if (v) {
    v->words = calloc(V, sizeof *v->words);
    v->counts = malloc(V * sizeof *v->counts);
    v->index = x;
  }
  int st = GSL_SUCCESS;
  if (!v || !x || !v->words || !v->counts) {
    if (!v)
      free(x);
    st = DP_ERROR(GSL_ENOMEM, "dp_vocab_from_words: out of memory (%zu words)", V);
    goto fail;
  }
  x->cap = 16;
  while (x->cap < 2 * V)
    x->cap *= 2;
  x->slot = calloc(x->cap, sizeof *x->slot);
  if (!x->slot) {
    st = DP_ERROR(GSL_ENOMEM, "dp_vocab_from_words: out of memory for the index (%zu words)",
                  V);
    goto fail;
  }
  v->V = V;
  for (size_t id = 0; id < V; id++) {
    if (!words[id]) {
      st = DP_ERROR(GSL_EINVAL, "dp_vocab_from_words: word %zu is NULL", id);
      goto fail;
    }
    size_t n = strlen(words[id]);
    size_t h = (size_t)hash_bytes(words[id], n) & (x->cap - 1);
    while (x->slot[h]) {
      size_t other = x->slot[h] - 1;
      if (strcmp(v->words[other], words[id]) == 0) {
        if (dup) {
          dup[0] = id;
          dup[1] = other;
        }
        st = DP_ERROR(GSL_EINVAL, "dp_vocab_from_words: word %zu repeats word %zu", id, other);
        goto fail;
      }
      h = (h + 1) & (x->cap - 1);
    }
    v->words[id] = malloc(n + 1);
    if (!v->words[id]) {
      st = DP_ERROR(GSL_ENOMEM, "dp_vocab_from_words: out of memory (%zu words)", V);
      goto fail;
    }
    memcpy(v->words[id], words[id], n + 1);
    v->counts[id] = counts[id];
    x->slot[h] = id + 1;
  }
  *out = v;
  return GSL_SUCCESS;
fail:
  vocab_free(v);
  return st;
}

/* ---------------------------------------------------------------------------------------
 * Corpus building */

struct build {
  const char *name;
  struct wtab W;
  size_t *raw; /* raw word ids of the tokens, documents back to back */
  size_t nraw, rawcap;
  size_t *doc; /* start of each document in raw */
  size_t ndoc, doccap;
  int err;
};

static void build_emit(const char *tok, size_t n, void *ctx)
{
  struct build *b = ctx;
  if (b->err)
    return;
  size_t id = wtab_intern(&b->W, tok, n);
  if (id == SIZE_MAX) {
    b->err = DP_ERROR(GSL_ENOMEM, "%s: out of memory in the word table", b->name);
    return;
  }
  if (b->nraw == b->rawcap) {
    size_t nc = b->rawcap ? 2 * b->rawcap : 4096;
    size_t *r = realloc(b->raw, nc * sizeof *r);
    if (!r) {
      b->err = DP_ERROR(GSL_ENOMEM, "%s: out of memory (%zu tokens)", b->name, b->nraw);
      return;
    }
    b->raw = r;
    b->rawcap = nc;
  }
  b->raw[b->nraw++] = id;
  b->W.count[id]++;
}

/* First byte of s (n bytes) that begins no well-formed UTF-8 sequence, or SIZE_MAX. */
static size_t utf8_invalid(const unsigned char *s, size_t n)
{
  for (size_t i = 0, k; i < n; i += k)
    if ((k = dp_utf8_len(s + i, n - i)) == 0)
      return i;
  return SIZE_MAX;
}

/* One line (without its '\n'): checks, then a new document and its tokens. */
static int build_line(struct build *b, const char *line, size_t len, size_t lineno)
{
  if (len > 0 && line[len - 1] == '\r')
    len--;
  if (lineno == 1 && len >= 3 && (unsigned char)line[0] == 0xEF &&
      (unsigned char)line[1] == 0xBB && (unsigned char)line[2] == 0xBF) {
    line += 3;
    len -= 3;
  }
  const char *nul = memchr(line, '\0', len);
  if (nul)
    return DP_ERROR(GSL_EINVAL, "%s:%zu: NUL byte at column %zu", b->name, lineno,
                    (size_t)(nul - line) + 1);
  size_t bad = utf8_invalid((const unsigned char *)line, len);
  if (bad != SIZE_MAX)
    return DP_ERROR(GSL_EINVAL, "%s:%zu: invalid UTF-8 at column %zu (byte 0x%02X)", b->name,
                    lineno, bad + 1, (unsigned)(unsigned char)line[bad]);
  if (b->ndoc + 1 >= b->doccap) {
    size_t nc = b->doccap ? 2 * b->doccap : 1024;
    size_t *d = realloc(b->doc, nc * sizeof *d);
    if (!d)
      return DP_ERROR(GSL_ENOMEM, "%s: out of memory (%zu documents)", b->name, b->ndoc);
    b->doc = d;
    b->doccap = nc;
  }
  b->doc[b->ndoc++] = b->nraw;
  dp_tokenize(line, len, build_emit, b);
  return b->err;
}

struct vent {
  const char *w;
  size_t count, id;
};

static int cmp_vent(const void *pa, const void *pb)
{
  const struct vent *a = pa, *b = pb;
  if (a->count != b->count)
    return a->count > b->count ? -1 : 1;
  return strcmp(a->w, b->w);
}

static void build_free(struct build *b)
{
  wtab_free(&b->W, 1);
  free(b->raw);
  free(b->doc);
}

/* The vocabulary cut, the id stream and the index; consumes b. */
static int build_finish(struct build *b, const struct dp_vocab_opts *o,
                        struct dp_corpus **out)
{
  int ret = GSL_SUCCESS;
  size_t min_count = o ? o->min_count : 0, max_size = o ? o->max_size : 0;
  size_t nw = b->W.n;
  struct vent *ent = malloc((nw ? nw : 1) * sizeof *ent);
  size_t *map = malloc((nw ? nw : 1) * sizeof *map);
  struct dp_corpus *c = calloc(1, sizeof *c);
  struct dp_vocab *v = calloc(1, sizeof *v);
  if (!ent || !map || !c || !v) {
    ret = DP_ERROR(GSL_ENOMEM, "%s: out of memory building the vocabulary", b->name);
    goto fail;
  }
  for (size_t id = 0; id < nw; id++) {
    ent[id].w = b->W.w[id];
    ent[id].count = b->W.count[id];
    ent[id].id = id;
  }
  qsort(ent, nw, sizeof *ent, cmp_vent);
  size_t V = 0;
  while (V < nw && ent[V].count >= min_count)
    V++;
  if (max_size > 0 && V > max_size)
    V = max_size;
  for (size_t id = 0; id < nw; id++)
    map[id] = SIZE_MAX;
  for (size_t r = 0; r < V; r++)
    map[ent[r].id] = r;

  /* The stream without the words outside the vocabulary. */
  size_t ntok = 0;
  for (size_t t = 0; t < b->nraw; t++)
    ntok += map[b->raw[t]] != SIZE_MAX;
  if (ntok == 0) {
    ret = DP_ERROR(GSL_EDOM,
                   "%s: empty corpus (no token survives the vocabulary cut: %zu tokens read "
                   "in %zu lines, min_count %zu, max_size %zu)",
                   b->name, b->nraw, b->ndoc, min_count, max_size);
    goto fail;
  }
  c->tok = malloc(ntok * sizeof *c->tok);
  c->doc_start = malloc((b->ndoc + 1) * sizeof *c->doc_start);
  v->words = calloc(V, sizeof *v->words);
  v->counts = malloc(V * sizeof *v->counts);
  struct vindex *x = calloc(1, sizeof *x);
  v->index = x;
  if (!c->tok || !c->doc_start || !v->words || !v->counts || !x) {
    ret = DP_ERROR(GSL_ENOMEM, "%s: out of memory building the corpus", b->name);
    goto fail;
  }
  x->cap = 16;
  while (x->cap < 2 * V)
    x->cap *= 2;
  x->slot = calloc(x->cap, sizeof *x->slot);
  if (!x->slot) {
    ret = DP_ERROR(GSL_ENOMEM, "%s: out of memory building the vocabulary index", b->name);
    goto fail;
  }
  size_t q = 0;
  for (size_t d = 0; d < b->ndoc; d++) {
    size_t s = b->doc[d], e = d + 1 < b->ndoc ? b->doc[d + 1] : b->nraw;
    c->doc_start[d] = q;
    for (size_t t = s; t < e; t++)
      if (map[b->raw[t]] != SIZE_MAX)
        c->tok[q++] = map[b->raw[t]];
  }
  c->doc_start[b->ndoc] = q;
  c->ntok = q;
  c->ndoc = b->ndoc;
  c->nraw = b->nraw;
  c->V = V;
  /* Move the kept words into the vocabulary; the others are freed with the table. */
  v->V = V;
  for (size_t r = 0; r < V; r++) {
    size_t id = ent[r].id;
    v->words[r] = b->W.w[id];
    v->counts[r] = b->W.count[id];
    b->W.w[id] = NULL;
    size_t h = (size_t)b->W.hash[id] & (x->cap - 1);
    while (x->slot[h])
      h = (h + 1) & (x->cap - 1);
    x->slot[h] = r + 1;
  }
  c->vocab = v;
  free(ent);
  free(map);
  build_free(b);
  *out = c;
  return GSL_SUCCESS;

fail:
  free(ent);
  free(map);
  vocab_free(v);
  if (c) {
    free(c->tok);
    free(c->doc_start);
    free(c);
  }
  build_free(b);
  return ret;
}

int dp_corpus_read(const char *path, const struct dp_vocab_opts *o, struct dp_corpus **out)
{
  return dp_corpus_read_p(path, o, NULL, out);
}

/* Bytes read between two progress ticks of the reader. */
#define DP_READ_TICK ((size_t)1 << 18)

/* The longest line (document) a corpus may hold. */
#define DP_LINE_MAX ((size_t)1 << 28)

int dp_corpus_read_p(const char *path, const struct dp_vocab_opts *o, struct dp_progress *prog,
                     struct dp_corpus **out)
{
  *out = NULL;
  size_t size = 0;
  FILE *f = NULL;
  int ost = dp_io_fopen_regular(path, &f, &size);
  if (ost != GSL_SUCCESS)
    return ost;
  char stage[96];
  snprintf(stage, sizeof stage, "read %s", path);
  dp_progress_stage(prog, stage, size, "bytes");
  size_t bytes = 0, ticked = 0;
  struct build b;
  memset(&b, 0, sizeof b);
  b.name = path;
  char *line = NULL;
  size_t cap = 0, lineno = 0;
  ssize_t n;
  int st = GSL_SUCCESS;
  errno = 0;
  if (size > dp_smat_dense_limit) {
    fclose(f);
    dp_progress_drop(prog);
    return DP_ERROR(GSL_ENOMEM, "%s: a corpus of %zu bytes is over the limit of %zu bytes "
                    "(dp_smat_dense_limit); count it with GloVe's cooccur and pass "
                    "--cooccurrence", path, size, dp_smat_dense_limit);
  }
  while ((n = dp_io_read_line(f, &line, &cap, DP_LINE_MAX, path, lineno + 1, &st)) >= 0) {
    lineno++;
    size_t len = (size_t)n;
    bytes += len;
    if (bytes - ticked >= DP_READ_TICK) {
      dp_progress_tick(prog, bytes);
      ticked = bytes;
    }
    if (len > 0 && line[len - 1] == '\n')
      len--;
    st = build_line(&b, line, len, lineno);
    if (st)
      break;
  }
  if (!st && ferror(f))
    st = DP_ERROR(GSL_EFAILED, "%s: read error after line %zu: %s", path, lineno,
                  strerror(errno ? errno : EIO));
  free(line);
  fclose(f);
  if (!st) {
    dp_progress_tick(prog, bytes);
    st = build_finish(&b, o, out);
  } else
    build_free(&b);
  if (st)
    dp_progress_drop(prog);
  else
    dp_progress_end(prog, "%zu tokens (%zu kept), %zu documents, V = %zu", (*out)->nraw,
                    (*out)->ntok, (*out)->ndoc, (*out)->V);
  return st;
}

int dp_corpus_from_text(const char *text, size_t len, const char *name,
                        const struct dp_vocab_opts *o, struct dp_corpus **out)
{
  *out = NULL;
  if (!name)
    name = "(text)";
  if (!text && len > 0)
    return DP_ERROR(GSL_EINVAL, "%s: NULL text", name);
  struct build b;
  memset(&b, 0, sizeof b);
  b.name = name;
  size_t p = 0, lineno = 0;
  while (p < len) {
    const char *nl = memchr(text + p, '\n', len - p);
    size_t e = nl ? (size_t)(nl - text) : len;
    lineno++;
    int st = build_line(&b, text + p, e - p, lineno);
    if (st) {
      build_free(&b);
      return st;
    }
    p = nl ? e + 1 : len;
  }
  return build_finish(&b, o, out);
}

int dp_corpus_from_ids(size_t V, size_t ndoc, const size_t *doc_len, const size_t *ids,
                       struct dp_corpus **out)
{
  *out = NULL;
  if (V == 0)
    return DP_ERROR(GSL_EINVAL, "dp_corpus_from_ids: V = 0");
  size_t ntok = 0;
  for (size_t d = 0; d < ndoc; d++) {
    if (doc_len[d] > SIZE_MAX - ntok)
      return DP_ERROR(GSL_EINVAL, "dp_corpus_from_ids: document lengths overflow");
    ntok += doc_len[d];
  }
  DP_TRY(dp_args_tokens("dp_corpus_from_ids", "ids", ids, ntok, V));
  struct dp_corpus *c = calloc(1, sizeof *c);
  if (!c)
    return DP_ERROR(GSL_ENOMEM, "dp_corpus_from_ids: allocation failed");
  c->tok = malloc((ntok ? ntok : 1) * sizeof *c->tok);
  c->doc_start = malloc((ndoc + 1) * sizeof *c->doc_start);
  if (!c->tok || !c->doc_start) {
    dp_corpus_free(c);
    return DP_ERROR(GSL_ENOMEM, "dp_corpus_from_ids: allocation failed (%zu ids)", ntok);
  }
  if (ntok)
    memcpy(c->tok, ids, ntok * sizeof *c->tok);
  size_t q = 0;
  for (size_t d = 0; d < ndoc; d++) {
    c->doc_start[d] = q;
    q += doc_len[d];
  }
  c->doc_start[ndoc] = q;
  c->V = V;
  c->ntok = ntok;
  c->ndoc = ndoc;
  c->nraw = ntok;
  c->vocab = NULL;
  *out = c;
  return GSL_SUCCESS;
}

void dp_corpus_free(struct dp_corpus *c)
{
  if (!c)
    return;
  free(c->tok);
  free(c->doc_start);
  vocab_free(c->vocab);
  free(c);
}

/* ---------------------------------------------------------------------------------------
 * Weights and names */

double dp_weight_g(enum dp_weight w, int k)
{
  if (k == 0)
    return 0.0; /* no offset 0: a token is not its own context */
  if (w == DP_WEIGHT_HARMONIC)
    return 1.0 / fabs((double)k);
  return 1.0;
}

const char *dp_weight_name(enum dp_weight w)
{
  switch (w) {
  case DP_WEIGHT_HARMONIC:
    return "1/|k|";
  case DP_WEIGHT_ONE:
    return "1";
  }
  return "?";
}

const char *dp_sop_name(enum dp_sop op)
{
  switch (op) {
  case DP_SOP_RAW:
    return "raw";
  case DP_SOP_LOG1P:
    return "log1p";
  case DP_SOP_PPMI:
    return "ppmi";
  }
  return "?";
}

/* ---------------------------------------------------------------------------------------
 * Counting */

static int check_count_args(const struct dp_corpus *corp, int c, enum dp_weight w,
                            enum dp_smat_kind kind, const char *who)
{
  if (!corp)
    return DP_ERROR(GSL_EINVAL, "%s: NULL corpus", who);
  if (c < 1)
    return DP_ERROR(GSL_EINVAL, "%s: window c = %d, must be >= 1", who, c);
  if (w != DP_WEIGHT_HARMONIC && w != DP_WEIGHT_ONE)
    return DP_ERROR(GSL_EINVAL, "%s: unknown weighting %d", who, (int)w);
  if (kind != DP_SMAT_DENSE && kind != DP_SMAT_SPARSE)
    return DP_ERROR(GSL_EINVAL, "%s: unknown matrix kind %d", who, (int)kind);
  if (corp->V == 0)
    return DP_ERROR(GSL_EINVAL, "%s: empty vocabulary", who);
  if (corp->V > UINT32_MAX)
    return DP_ERROR(GSL_EINVAL, "%s: vocabulary of %zu words is too large", who, corp->V);
  return GSL_SUCCESS;
}

/* Workspace of the sparse route: keys of one offset, radix buffer, triplets. */
struct kws {
  uint64_t *key, *tmp;
  size_t *ti, *tj;
  double *tx;
};

/* The sparse workspace for one offset of corp (every key a token), or GSL_ENOMEM. */
static int kws_alloc(struct kws *ws, const struct dp_corpus *corp, const char *who)
{
  size_t n = corp->ntok ? corp->ntok : 1;
  ws->key = malloc(n * sizeof *ws->key);
  ws->tmp = malloc(n * sizeof *ws->tmp);
  ws->ti = malloc(n * sizeof *ws->ti);
  ws->tj = malloc(n * sizeof *ws->tj);
  ws->tx = malloc(n * sizeof *ws->tx);
  if (!ws->key || !ws->tmp || !ws->ti || !ws->tj || !ws->tx)
    return DP_ERROR(GSL_ENOMEM, "%s: allocation failed (%zu tokens)", who, corp->ntok);
  return GSL_SUCCESS;
}

static void kws_free(struct kws *ws)
{
  free(ws->key);
  free(ws->tmp);
  free(ws->ti);
  free(ws->tj);
  free(ws->tx);
}

/* LSD radix sort of n keys below maxkey + 1, 11 bits a pass. */
static void radix_sort(uint64_t *key, uint64_t *tmp, size_t n, uint64_t maxkey)
{
  enum { BITS = 11, B = 1 << BITS };
  size_t cnt[B];
  uint64_t *src = key, *dst = tmp;
  for (unsigned shift = 0; shift < 64 && (maxkey >> shift) != 0; shift += BITS) {
    memset(cnt, 0, sizeof cnt);
    for (size_t t = 0; t < n; t++)
      cnt[(src[t] >> shift) & (B - 1)]++;
    size_t sum = 0;
    for (size_t d = 0; d < B; d++) {
      size_t x = cnt[d];
      cnt[d] = sum;
      sum += x;
    }
    for (size_t t = 0; t < n; t++)
      dst[cnt[(src[t] >> shift) & (B - 1)]++] = src[t];
    uint64_t *sw = src;
    src = dst;
    dst = sw;
  }
  if (src != key)
    memcpy(key, src, n * sizeof *key);
}

/* X^(k) = g(k) C^(k), C^(k)_ab = #{n : w_n = a, w_{n+k} = b, same document}. */
static int count_offset(const struct dp_corpus *corp, int k, double g, enum dp_smat_kind kind,
                        struct kws *ws, dp_smat **out)
{
  *out = NULL;
  const size_t V = corp->V;
  const size_t *tok = corp->tok;
  size_t ak = (size_t)(k > 0 ? k : -k);
  if (kind == DP_SMAT_DENSE) {
    dp_smat *A;
    int st = dp_smat_zeros(V, V, DP_SMAT_DENSE, &A);
    if (st)
      return st;
    gsl_matrix *m = A->d;
    for (size_t d = 0; d < corp->ndoc; d++) {
      size_t s = corp->doc_start[d], e = corp->doc_start[d + 1];
      if (e - s <= ak)
        continue;
      if (k > 0)
        for (size_t n = s; n + ak < e; n++)
          m->data[tok[n] * m->tda + tok[n + ak]] += 1.0;
      else
        for (size_t n = s + ak; n < e; n++)
          m->data[tok[n] * m->tda + tok[n - ak]] += 1.0;
    }
    for (size_t i = 0; i < V; i++)
      for (size_t j = 0; j < V; j++)
        m->data[i * m->tda + j] = g * m->data[i * m->tda + j];
    *out = A;
    return GSL_SUCCESS;
  }
  size_t nk = 0;
  for (size_t d = 0; d < corp->ndoc; d++) {
    size_t s = corp->doc_start[d], e = corp->doc_start[d + 1];
    if (e - s <= ak)
      continue;
    if (k > 0)
      for (size_t n = s; n + ak < e; n++)
        ws->key[nk++] = (uint64_t)tok[n] * V + tok[n + ak];
    else
      for (size_t n = s + ak; n < e; n++)
        ws->key[nk++] = (uint64_t)tok[n] * V + tok[n - ak];
  }
  radix_sort(ws->key, ws->tmp, nk, (uint64_t)V * V - 1);
  size_t nt = 0;
  for (size_t t = 0; t < nk;) {
    size_t u = t + 1;
    while (u < nk && ws->key[u] == ws->key[t])
      u++;
    ws->ti[nt] = (size_t)(ws->key[t] / V);
    ws->tj[nt] = (size_t)(ws->key[t] % V);
    ws->tx[nt] = g * (double)(u - t);
    nt++;
    t = u;
  }
  return dp_smat_from_triplets(V, V, DP_SMAT_SPARSE, nt, ws->ti, ws->tj, ws->tx, out);
}

void dp_counts_free(struct dp_counts *x)
{
  if (!x)
    return;
  if (x->Xk)
    for (int k = 0; k < 2 * x->c + 1; k++)
      dp_smat_free(x->Xk[k]);
  free(x->Xk);
  dp_smat_free(x->Xr);
  dp_smat_free(x->Xl);
  dp_smat_free(x->X);
  free(x);
}

/* acc = Xk[c + sign] + Xk[c + 2 sign] + ... + Xk[c + c sign], in increasing |k|. */
static int sum_side(struct dp_counts *x, int sign, dp_smat **acc)
{
  const int c = x->c;
  int st = dp_smat_copy(x->Xk[c + sign], acc);
  for (int k = 2; !st && k <= c; k++) {
    dp_smat *s;
    st = dp_smat_add(*acc, x->Xk[c + sign * k], &s);
    if (!st) {
      dp_smat_free(*acc);
      *acc = s;
    }
  }
  if (st) {
    dp_smat_free(*acc);
    *acc = NULL;
  }
  return st;
}

int dp_cooc_count(const struct dp_corpus *corp, int c, enum dp_weight w,
                  enum dp_smat_kind kind, struct dp_counts **out)
{
  return dp_cooc_count_p(corp, c, w, kind, NULL, out);
}

int dp_cooc_count_p(const struct dp_corpus *corp, int c, enum dp_weight w,
                    enum dp_smat_kind kind, struct dp_progress *prog, struct dp_counts **out)
{
  *out = NULL;
  int st = check_count_args(corp, c, w, kind, "dp_cooc_count");
  if (st)
    return st;
  dp_progress_stage(prog, "count", 2 * (size_t)c, "offsets");
  size_t done = 0;
  struct dp_counts *x = calloc(1, sizeof *x);
  if (!x)
    return DP_ERROR(GSL_ENOMEM, "dp_cooc_count: allocation failed");
  x->V = corp->V;
  x->c = c;
  x->weight = w;
  x->Xk = calloc(2 * (size_t)c + 1, sizeof *x->Xk);
  struct kws ws = {0};
  if (!x->Xk) {
    st = DP_ERROR(GSL_ENOMEM, "dp_cooc_count: allocation failed");
    goto fail;
  }
  if (kind == DP_SMAT_SPARSE && (st = kws_alloc(&ws, corp, "dp_cooc_count")) != GSL_SUCCESS)
    goto fail;
  for (int k = -c; k <= c; k++) {
    if (k == 0)
      continue;
    st = count_offset(corp, k, dp_weight_g(w, k), kind, &ws, &x->Xk[k + c]);
    if (st)
      goto fail;
    dp_progress_tick(prog, ++done);
  }
  st = sum_side(x, +1, &x->Xr);
  if (!st)
    st = sum_side(x, -1, &x->Xl);
  if (!st)
    st = dp_smat_add(x->Xr, x->Xl, &x->X);
  if (st)
    goto fail;
  kws_free(&ws);
  if (prog) /* nnz of a dense X is a V^2 scan: only when it is shown */
    dp_progress_end(prog, "V = %zu, c = %d, %s, nnz(X) = %zu", x->V, c,
                    kind == DP_SMAT_SPARSE ? "sparse" : "dense", dp_smat_nnz(x->X));
  *out = x;
  return GSL_SUCCESS;

fail:
  kws_free(&ws);
  dp_counts_free(x);
  dp_progress_drop(prog);
  return st;
}

int dp_cooc_count_direct(const struct dp_corpus *corp, int c, enum dp_weight w,
                         enum dp_smat_kind kind, dp_smat **X)
{
  *X = NULL;
  int st = check_count_args(corp, c, w, kind, "dp_cooc_count_direct");
  if (st)
    return st;
  const size_t V = corp->V, uc = (size_t)c;
  const size_t *tok = corp->tok;
  double *g = malloc((uc + 1) * sizeof *g);
  if (!g)
    return DP_ERROR(GSL_ENOMEM, "dp_cooc_count_direct: allocation failed");
  for (size_t k = 0; k <= uc; k++)
    g[k] = dp_weight_g(w, (int)k);

  if (kind == DP_SMAT_DENSE) {
    dp_smat *A;
    st = dp_smat_zeros(V, V, DP_SMAT_DENSE, &A);
    if (st) {
      free(g);
      return st;
    }
    gsl_matrix *m = A->d;
    for (size_t d = 0; d < corp->ndoc; d++) {
      size_t s = corp->doc_start[d], e = corp->doc_start[d + 1];
      for (size_t n = s; n < e; n++) {
        size_t lo = n - s > uc ? n - uc : s, hi = e - 1 - n > uc ? n + uc : e - 1;
        for (size_t q = lo; q <= hi; q++)
          if (q != n)
            m->data[tok[n] * m->tda + tok[q]] += g[q > n ? q - n : n - q];
      }
    }
    free(g);
    *X = A;
    return GSL_SUCCESS;
  }

  /* Sparse: the triplets in scan order; dp_smat_from_triplets sums them in that order. */
  size_t nt = 0;
  for (size_t d = 0; d < corp->ndoc; d++) {
    size_t N = corp->doc_start[d + 1] - corp->doc_start[d];
    for (size_t k = 1; k <= uc && k < N; k++)
      nt += 2 * (N - k);
  }
  size_t *ti = malloc((nt ? nt : 1) * sizeof *ti);
  size_t *tj = malloc((nt ? nt : 1) * sizeof *tj);
  double *tx = malloc((nt ? nt : 1) * sizeof *tx);
  if (!ti || !tj || !tx) {
    st = DP_ERROR(GSL_ENOMEM, "dp_cooc_count_direct: allocation failed (%zu pairs)", nt);
    goto done;
  }
  size_t t = 0;
  for (size_t d = 0; d < corp->ndoc; d++) {
    size_t s = corp->doc_start[d], e = corp->doc_start[d + 1];
    for (size_t n = s; n < e; n++) {
      size_t lo = n - s > uc ? n - uc : s, hi = e - 1 - n > uc ? n + uc : e - 1;
      for (size_t q = lo; q <= hi; q++)
        if (q != n) {
          ti[t] = tok[n];
          tj[t] = tok[q];
          tx[t] = g[q > n ? q - n : n - q];
          t++;
        }
    }
  }
  st = dp_smat_from_triplets(V, V, DP_SMAT_SPARSE, t, ti, tj, tx, X);
done:
  free(ti);
  free(tj);
  free(tx);
  free(g);
  return st;
}

int dp_cooc_skew_profile(const struct dp_corpus *corp, int cmax, enum dp_weight w,
                         double *skew, double *norm)
{
  int st = check_count_args(corp, cmax, w, DP_SMAT_SPARSE, "dp_cooc_skew_profile");
  if (st)
    return st;
  if (!skew || !norm)
    return DP_ERROR(GSL_EFAULT, "dp_cooc_skew_profile: NULL output");
  struct kws ws = {0};
  dp_smat *acc = NULL, *Xk = NULL, *sum = NULL;
  st = kws_alloc(&ws, corp, "dp_cooc_skew_profile");
  for (int k = 1; !st && k <= cmax; k++) {
    st = count_offset(corp, k, dp_weight_g(w, k), DP_SMAT_SPARSE, &ws, &Xk);
    if (!st && acc) {
      st = dp_smat_add(acc, Xk, &sum);
      dp_smat_free(Xk);
      Xk = NULL;
      if (!st) {
        dp_smat_free(acc);
        acc = sum;
        sum = NULL;
      }
    } else if (!st) {
      acc = Xk;
      Xk = NULL;
    }
    double asym = NAN;
    if (!st)
      st = dp_smat_diff_norm(acc, acc, 1, &asym);
    if (!st) {
      skew[k - 1] = asym / 2.0;
      norm[k - 1] = dp_smat_norm(acc);
    }
  }
  kws_free(&ws);
  dp_smat_free(acc);
  dp_smat_free(Xk);
  return st;
}

int dp_corpus_shuffle(const struct dp_corpus *in, int across, dp_rng *r,
                      struct dp_corpus **out)
{
  if (!out)
    return DP_ERROR(GSL_EFAULT, "dp_corpus_shuffle: NULL output");
  *out = NULL;
  if (!in || !r)
    return DP_ERROR(GSL_EFAULT, "dp_corpus_shuffle: NULL argument");
  size_t *len = malloc((in->ndoc ? in->ndoc : 1) * sizeof *len);
  if (!len)
    return DP_ERROR(GSL_ENOMEM, "dp_corpus_shuffle: allocation failed");
  for (size_t d = 0; d < in->ndoc; d++)
    len[d] = in->doc_start[d + 1] - in->doc_start[d];
  struct dp_corpus *c = NULL;
  int st = dp_corpus_from_ids(in->V, in->ndoc, len, in->tok, &c);
  free(len);
  if (st)
    return st;
  /* Fisher-Yates over each document, or over the whole stream (the lengths kept) */
  size_t nblock = across ? 1 : c->ndoc;
  for (size_t b = 0; b < nblock; b++) {
    size_t s = across ? 0 : c->doc_start[b], e = across ? c->ntok : c->doc_start[b + 1];
    for (size_t i = e - s; i > 1; i--) {
      size_t j = dp_rng_below(r, i), tmp = c->tok[s + i - 1];
      c->tok[s + i - 1] = c->tok[s + j];
      c->tok[s + j] = tmp;
    }
  }
  *out = c;
  return GSL_SUCCESS;
}

double dp_cooc_expected_mass(const struct dp_corpus *corp, int c, enum dp_weight w)
{
  struct dp_numeric_sum acc = {0};
  for (size_t d = 0; d < corp->ndoc; d++) {
    size_t N = corp->doc_start[d + 1] - corp->doc_start[d];
    for (int k = 1; k <= c && (size_t)k < N; k++)
      dp_numeric_sum_add(&acc, dp_weight_g(w, k) * (double)(N - (size_t)k));
  }
  return 2.0 * dp_numeric_sum_value(&acc);
}

/* ---------------------------------------------------------------------------------------
 * The S variants */

/* PPMI entry from X_ab, the row sums and T; (a, b) and (b, a) take the same operations in
 * the same order (smaller index first), so a symmetric X gives a symmetric result. */
static double ppmi_entry(double x, const double *r, size_t a, size_t b, double T)
{
  if (x == 0.0)
    return 0.0;
  size_t lo = a < b ? a : b, hi = a < b ? b : a;
  /* x T / (r_lo r_hi) as (x / r_lo) (T / r_hi): no overflow for counts of any size. */
  double v = log((x / r[lo]) * (T / r[hi]));
  if (isnan(v))
    return v;
  return v > 0.0 ? v : 0.0;
}

int dp_cooc_operator(const dp_smat *X, enum dp_sop op, dp_smat **S)
{
  *S = NULL;
  int st;
  switch (op) {
  case DP_SOP_RAW:
    return dp_smat_copy(X, S);
  case DP_SOP_LOG1P:
    st = dp_smat_copy(X, S);
    if (!st)
      st = dp_smat_map(*S, log1p);
    if (st) {
      dp_smat_free(*S);
      *S = NULL;
    }
    return st;
  case DP_SOP_PPMI:
    break;
  default:
    return DP_ERROR(GSL_EINVAL, "dp_cooc_operator: unknown operator %d", (int)op);
  }

  if (X->n1 != X->n2)
    return DP_ERROR(GSL_EBADLEN, "dp_cooc_operator: PPMI of a non-square %zu x %zu matrix",
                    X->n1, X->n2);
  const size_t n = X->n1;
  double *r = malloc(n * sizeof *r);
  if (!r)
    return DP_ERROR(GSL_ENOMEM, "dp_cooc_operator: allocation failed");
  /* Row sums (compensated), and a check that the counts are non-negative. */
  for (size_t a = 0; a < n; a++) {
    struct dp_numeric_sum acc = {0};
    if (X->kind == DP_SMAT_DENSE) {
      for (size_t b = 0; b < n; b++) {
        double x = X->d->data[a * X->d->tda + b];
        if (x < 0.0) {
          free(r);
          return DP_ERROR(GSL_EDOM, "dp_cooc_operator: PPMI of a negative count X[%zu][%zu] = %g",
                          a, b, x);
        }
        dp_numeric_sum_add(&acc, x);
      }
    } else {
      const gsl_spmatrix *s = X->s;
      for (int q = s->p[a]; q < s->p[a + 1]; q++) {
        if (s->data[q] < 0.0) {
          free(r);
          return DP_ERROR(GSL_EDOM, "dp_cooc_operator: PPMI of a negative count X[%zu][%d] = %g",
                          a, s->i[q], s->data[q]);
        }
        dp_numeric_sum_add(&acc, s->data[q]);
      }
    }
    r[a] = dp_numeric_sum_value(&acc);
  }
  const double T = dp_smat_sum(X);
  st = dp_smat_copy(X, S);
  if (st) {
    free(r);
    return st;
  }
  if (X->kind == DP_SMAT_DENSE) {
    gsl_matrix *m = (*S)->d;
    for (size_t a = 0; a < n; a++)
      for (size_t b = 0; b < n; b++)
        m->data[a * m->tda + b] = ppmi_entry(m->data[a * m->tda + b], r, a, b, T);
  } else {
    gsl_spmatrix *s = (*S)->s;
    for (size_t a = 0; a < n; a++)
      for (int q = s->p[a]; q < s->p[a + 1]; q++)
        s->data[q] = ppmi_entry(s->data[q], r, a, (size_t)s->i[q], T);
  }
  free(r);
  return GSL_SUCCESS;
}
