/* io.c: GloVe's vocab.txt, cooccurrence.bin and vectors.txt, and Matrix Market files.
 *
 * Paper: the co-occurrence matrix X behind GloVe and the operator S (claim C01 and the S of
 * the later claims), exchanged with GloVe's tools (stanfordnlp/GloVe: vocab_count.c,
 * cooccur.c, shuffle.c, glove.c) and with Matrix Market readers.  io.h gives the API and
 * docs/formats.md the formats as verified in GloVe's source.
 *
 * Reading goes through a small buffered reader on a file descriptor (one checked buffer, no
 * stdio), so that every allocation is the module's own and checked; writing goes through the
 * engine's atomic writer (atomic.h: a temporary file beside the target, flushed, fsync-ed and
 * renamed over it only when everything was written).  Everything a writer can refuse is
 * checked before the temporary file is created, so its fill cannot fail but by the file
 * system.  Every error is one line, "<path>: <problem>", recorded through DP_ERROR. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "args.h"
#include "atomic.h"
#include "err.h"
#include "io.h"
#include "utf8.h"

#define IO_BUFSIZE 65536

/* ---------------------------------------------------------------------------------------
 * Reading: a buffered reader on a descriptor, lines, fields, numbers */

struct io_in {
  const char *path;
  int fd;
  unsigned char *buf;
  size_t n, pos;
  int eof;
  size_t size; /* file size from fstat */
  size_t done; /* bytes read into the buffer so far */
  char *line;  /* the current line (no '\n', no trailing '\r'), NUL-terminated */
  size_t cap, len;
  size_t lineno;
};

/* Open path for reading, a regular file only, with its size: GSL_SUCCESS and *fd, or the
 * reason recorded (and *fd = -1). */
static int open_regular(const char *path, int *fd, size_t *size)
{
  *fd = -1;
  if (!path || !path[0])
    return DP_ERROR(GSL_EINVAL, "io: no file name given");
  /* O_NONBLOCK: opening a FIFO must not wait for a writer; the size checks need a regular
   * file (a FIFO or a device has no size, and /dev/zero never ends) */
  int d = open(path, O_RDONLY | O_NONBLOCK);
  if (d < 0)
    return DP_ERROR(GSL_EFAILED, "%s: cannot open: %s", path, strerror(errno));
  struct stat sb;
  int st = GSL_SUCCESS;
  if (fstat(d, &sb) != 0)
    st = DP_ERROR(GSL_EFAILED, "%s: cannot stat: %s", path, strerror(errno));
  else if (S_ISDIR(sb.st_mode))
    st = DP_ERROR(GSL_EFAILED, "%s: is a directory, not a file", path);
  else if (!S_ISREG(sb.st_mode))
    st = DP_ERROR(GSL_EFAILED, "%s: is not a regular file (a device, FIFO or socket): its "
                  "size cannot be checked before it is read", path);
  int fl = st == GSL_SUCCESS ? fcntl(d, F_GETFL) : 0;
  if (st == GSL_SUCCESS && (fl < 0 || fcntl(d, F_SETFL, fl & ~O_NONBLOCK) != 0))
    st = DP_ERROR(GSL_EFAILED, "%s: cannot set blocking reads: %s", path, strerror(errno));
  if (st != GSL_SUCCESS) {
    close(d);
    return st;
  }
  *fd = d;
  *size = sb.st_size > 0 ? (size_t)sb.st_size : 0;
  return GSL_SUCCESS;
}

int dp_io_fopen_regular(const char *path, FILE **f, size_t *size)
{
  int fd;
  size_t n = 0;
  *f = NULL;
  int st = open_regular(path, &fd, &n);
  if (st != GSL_SUCCESS)
    return st;
  if (!(*f = fdopen(fd, "rb"))) {
    st = DP_ERROR(GSL_ENOMEM, "%s: cannot open a stream on it: %s", path, strerror(errno));
    close(fd);
    return st;
  }
  if (size)
    *size = n;
  return GSL_SUCCESS;
}

ssize_t dp_io_read_line(FILE *f, char **buf, size_t *cap, size_t max, const char *path,
                        size_t lineno, int *st)
{
  size_t n = 0;
  int c;
  while ((c = getc_unlocked(f)) != EOF) {
    if (c == '\0') {
      *st = DP_ERROR(GSL_EINVAL, "%s:%zu: NUL byte at column %zu", path, lineno, n + 1);
      return -1;
    }
    if (n + 2 > *cap) {
      size_t nc = *cap ? 2 * *cap : 256;
      char *b = realloc(*buf, nc);
      if (!b) {
        *st = DP_ERROR(GSL_ENOMEM, "%s:%zu: out of memory for the line", path, lineno);
        return -1;
      }
      *buf = b;
      *cap = nc;
    }
    (*buf)[n++] = (char)c;
    if (c == '\n')
      break;
    if (n > max) {
      *st = DP_ERROR(GSL_EINVAL, "%s:%zu: a line longer than %zu bytes", path, lineno, max);
      return -1;
    }
  }
  if (ferror(f)) {
    *st = DP_ERROR(GSL_EFAILED, "%s: read error at line %zu: %s", path, lineno,
                   strerror(errno ? errno : EIO));
    return -1;
  }
  if (n == 0)
    return -1;
  (*buf)[n] = '\0';
  return (ssize_t)n;
}

static int in_open(struct io_in *in, const char *path)
{
  memset(in, 0, sizeof *in);
  in->fd = -1;
  in->path = path;
  int st = open_regular(path, &in->fd, &in->size);
  if (st != GSL_SUCCESS)
    return st;
  in->buf = malloc(IO_BUFSIZE);
  if (!in->buf)
    return DP_ERROR(GSL_ENOMEM, "%s: out of memory for the read buffer", path);
  return GSL_SUCCESS;
}

static void in_close(struct io_in *in)
{
  if (in->fd >= 0)
    close(in->fd);
  free(in->buf);
  free(in->line);
  in->fd = -1;
  in->buf = NULL;
  in->line = NULL;
}

/* Back to the start of the file. */
static int in_rewind(struct io_in *in)
{
  if (lseek(in->fd, 0, SEEK_SET) != 0)
    return DP_ERROR(GSL_EFAILED, "%s: cannot seek: %s", in->path, strerror(errno));
  in->n = in->pos = 0;
  in->eof = 0;
  in->lineno = 0;
  in->done = 0;
  return GSL_SUCCESS;
}

/* Refill the buffer; GSL_SUCCESS with in->eof set at the end. */
static int in_fill(struct io_in *in)
{
  for (;;) {
    ssize_t k = read(in->fd, in->buf, IO_BUFSIZE);
    if (k < 0 && errno == EINTR)
      continue;
    if (k < 0)
      return DP_ERROR(GSL_EFAILED, "%s: read error: %s", in->path, strerror(errno));
    in->n = (size_t)k;
    in->done += (size_t)k;
    in->pos = 0;
    in->eof = k == 0;
    return GSL_SUCCESS;
  }
}

/* Up to want bytes into dst; *got says how many (fewer only at the end of the file). */
static int in_bytes(struct io_in *in, unsigned char *dst, size_t want, size_t *got)
{
  *got = 0;
  while (*got < want) {
    if (in->pos == in->n) {
      if (in->eof)
        break;
      int st = in_fill(in);
      if (st)
        return st;
      if (in->eof)
        break;
    }
    size_t k = in->n - in->pos < want - *got ? in->n - in->pos : want - *got;
    memcpy(dst + *got, in->buf + in->pos, k);
    in->pos += k;
    *got += k;
  }
  return GSL_SUCCESS;
}

/* The next line into in->line: *more = 0 at the end of the file.  A trailing '\r' is
 * dropped; a NUL byte is refused. */
static int in_line(struct io_in *in, int *more)
{
  in->len = 0;
  *more = 0;
  int any = 0;
  for (;;) {
    if (in->pos == in->n) {
      if (in->eof)
        break;
      int st = in_fill(in);
      if (st)
        return st;
      if (in->eof)
        break;
    }
    any = 1;
    unsigned char *s = in->buf + in->pos;
    size_t avail = in->n - in->pos;
    unsigned char *nl = memchr(s, '\n', avail);
    size_t k = nl ? (size_t)(nl - s) : avail;
    if (memchr(s, '\0', k))
      return DP_ERROR(GSL_EINVAL, "%s: line %zu: NUL byte", in->path, in->lineno + 1);
    if (in->len + k > in->size) /* the file grew while it was read: no line can be longer */
      return DP_ERROR(GSL_EINVAL, "%s: line %zu is longer than the file's %zu bytes: the file "
                      "changed while it was read", in->path, in->lineno + 1, in->size);
    if (in->len + k + 1 > in->cap) {
      size_t nc = in->cap ? in->cap : 256;
      while (nc < in->len + k + 1)
        nc *= 2;
      char *p = realloc(in->line, nc);
      if (!p)
        return DP_ERROR(GSL_ENOMEM, "%s: line %zu: out of memory (%zu bytes)", in->path,
                        in->lineno + 1, in->len + k + 1);
      in->line = p;
      in->cap = nc;
    }
    memcpy(in->line + in->len, s, k);
    in->len += k;
    in->pos += k + (nl != NULL);
    if (nl)
      break;
  }
  if (!any)
    return GSL_SUCCESS;
  in->lineno++;
  if (in->len > 0 && in->line[in->len - 1] == '\r')
    in->len--;
  in->line[in->len] = '\0';
  if (memchr(in->line, '\0', in->len))
    return DP_ERROR(GSL_EINVAL, "%s: line %zu: NUL byte", in->path, in->lineno);
  *more = 1;
  return GSL_SUCCESS;
}

/* Split s in place into fields separated by runs of spaces and tabs; at most max fields
 * are stored, *n gets the count of all of them. */
static void split_fields(char *s, char **f, size_t max, size_t *n)
{
  *n = 0;
  while (*s) {
    while (*s == ' ' || *s == '\t')
      s++;
    if (!*s)
      break;
    if (*n < max)
      f[*n] = s;
    (*n)++;
    while (*s && *s != ' ' && *s != '\t')
      s++;
    if (*s)
      *s++ = '\0';
  }
}

/* Is the next field start there?  Used to walk fields without storing them. */
static char *next_field(char **s)
{
  char *p = *s;
  while (*p == ' ' || *p == '\t')
    p++;
  if (!*p) {
    *s = p;
    return NULL;
  }
  char *start = p;
  while (*p && *p != ' ' && *p != '\t')
    p++;
  if (*p)
    *p++ = '\0';
  *s = p;
  return start;
}

enum num_status { NUM_OK, NUM_BAD, NUM_NONFINITE };

static enum num_status parse_double(const char *s, double *x)
{
  if (!s || !*s)
    return NUM_BAD;
  if (strpbrk(s, "xX")) /* decimal only: strtod would take C's hexadecimal floats */
    return NUM_BAD;
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || *end != '\0')
    return NUM_BAD;
  if (errno == ERANGE && v == 0.0) /* a non-zero value below the subnormals */
    return NUM_BAD;
  if (!isfinite(v))
    return NUM_NONFINITE;
  *x = v;
  return NUM_OK;
}

/* A decimal integer >= 0 without sign, at most max. */
static int parse_size(const char *s, size_t max, size_t *x)
{
  if (!s || !*s)
    return 0;
  size_t v = 0;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '9')
      return 0;
    size_t d = (size_t)(*p - '0');
    if (v > (max - d) / 10)
      return 0;
    v = v * 10 + d;
  }
  *x = v;
  return 1;
}

/* "an integer", "a number" etc. for messages about a field that failed to parse. */
static const char *num_problem(enum num_status s)
{
  return s == NUM_NONFINITE ? "is not finite (NaN or Inf)" : "is not a number";
}

/* ---------------------------------------------------------------------------------------
 * Memory checks before allocating */

/* GSL_SUCCESS when `bytes` (with overflow flagged by ovf) fits dp_smat_dense_limit. */
static int fits(const char *path, const char *what, size_t bytes, int ovf)
{
  if (ovf)
    return DP_ERROR(GSL_ENOMEM, "%s: %s would need more than %zu bytes, over the limit "
                    "dp_smat_dense_limit = %zu bytes", path, what, (size_t)SIZE_MAX,
                    dp_smat_dense_limit);
  if (bytes > dp_smat_dense_limit)
    return DP_ERROR(GSL_ENOMEM, "%s: %s would need %zu bytes, over the limit "
                    "dp_smat_dense_limit = %zu bytes", path, what, bytes, dp_smat_dense_limit);
  return GSL_SUCCESS;
}

/* a * b with overflow flagged. */
static size_t mul(size_t a, size_t b, int *ovf)
{
  if (a != 0 && b > SIZE_MAX / a) {
    *ovf = 1;
    return SIZE_MAX;
  }
  return a * b;
}

static size_t add(size_t a, size_t b, int *ovf)
{
  if (b > SIZE_MAX - a) {
    *ovf = 1;
    return SIZE_MAX;
  }
  return a + b;
}

/* The bytes of a matrix of `kind`, n1 x n2 with nnz stored triplets before assembly. */
static int matrix_fits(const char *path, enum dp_smat_kind kind, size_t n1, size_t n2,
                       size_t nnz)
{
  int ovf = 0;
  char what[96];
  /* triplets (i, j, x) and, sparse, CSR (index + value) with its row pointers */
  size_t bytes = mul(nnz, 3 * sizeof(size_t), &ovf);
  if (kind == DP_SMAT_DENSE) {
    bytes = add(bytes, mul(mul(n1, n2, &ovf), sizeof(double), &ovf), &ovf);
  } else {
    /* GSL's CSR indices are ints: larger dimensions are refused before anything is read */
    if (n1 > INT_MAX || n2 > INT_MAX)
      return DP_ERROR(GSL_ENOMEM, "%s: a sparse %zu x %zu matrix exceeds the sparse "
                      "matrices' int indices (at most %d rows and columns)", path, n1, n2,
                      INT_MAX);
    /* CSR values and column indices, row pointers; dp_smat_from_triplets' scratch (row
     * starts and lengths, n1 each; a mark and an accumulator, n2 each); GSL's work array
     * (the larger dimension) */
    size_t csr = add(mul(nnz, sizeof(double) + sizeof(int), &ovf),
                     mul(add(n1, 1, &ovf), sizeof(int), &ovf), &ovf);
    size_t scratch = add(mul(n1, 2 * sizeof(size_t), &ovf), mul(n2, 2 * sizeof(double), &ovf),
                         &ovf);
    size_t work = mul(n1 > n2 ? n1 : n2, sizeof(double), &ovf);
    bytes = add(bytes, add(csr, add(scratch, work, &ovf), &ovf), &ovf);
  }
  snprintf(what, sizeof what, "a %s %zu x %zu matrix of %zu entries",
           kind == DP_SMAT_DENSE ? "dense" : "sparse", n1, n2, nnz);
  return fits(path, what, bytes, ovf);
}

/* The matrix of a reader's triplets, an error naming the file. */
static int assemble(const char *path, size_t n1, size_t n2, enum dp_smat_kind kind, size_t nt,
                    const size_t *ti, const size_t *tj, const double *tx, dp_smat **A)
{
  int st = dp_smat_from_triplets(n1, n2, kind, nt, ti, tj, tx, A);
  return st ? DP_ERROR(st, "%s: %s", path, dp_err_reason()) : GSL_SUCCESS;
}

/* ---------------------------------------------------------------------------------------
 * vocab.txt */

/* A word GloVe writes and reads back: not empty, no white space (its readers split on any:
 * fscanf's %s, get_word), shorter than its 1000-byte word buffer (MAX_STRING_LENGTH). */
#define IO_GLOVE_WORD_MAX 999
static int glove_word_ok(const char *w)
{
  return w && w[0] && !strpbrk(w, " \t\r\n\v\f") && strlen(w) <= IO_GLOVE_WORD_MAX;
}

/* First byte of s that begins no well-formed UTF-8 sequence, or SIZE_MAX. */
static size_t utf8_bad(const char *s)
{
  size_t n = strlen(s);
  for (size_t i = 0, k; i < n; i += k)
    if ((k = dp_utf8_len((const unsigned char *)s + i, n - i)) == 0)
      return i;
  return SIZE_MAX;
}

int dp_io_vocab_read(const char *path, size_t max_words, struct dp_vocab **out)
{
  if (!out)
    return DP_ERROR(GSL_EFAULT, "%s: dp_io_vocab_read: out is NULL", path ? path : "io");
  *out = NULL;
  struct io_in in;
  char **words = NULL;
  size_t *counts = NULL, nw = 0;
  int st = in_open(&in, path);
  if (st)
    goto done;

  /* Before any pass: the words' bytes alone, twice (as read, and the vocabulary's copy). */
  {
    int ovf = 0;
    char what[64];
    snprintf(what, sizeof what, "a vocabulary file of %zu bytes", in.size);
    if ((st = fits(path, what, mul(in.size, 2, &ovf), ovf)))
      goto done;
  }
  /* First pass: count the lines, refuse up front what would not fit. */
  size_t lines = 0, last = '\n';
  for (;;) {
    if (in.pos == in.n) {
      if ((st = in_fill(&in)))
        goto done;
      if (in.eof)
        break;
    }
    for (size_t p = in.pos; p < in.n; p++)
      lines += in.buf[p] == '\n';
    last = in.buf[in.n - 1];
    in.pos = in.n;
  }
  lines += last != '\n';
  if (max_words > 0 && lines > max_words) {
    st = DP_ERROR(GSL_ENOMEM, "%s: %zu lines, more than the %zu words allowed", path, lines,
                  max_words);
    goto done;
  }
  {
    int ovf = 0;
    /* the words and counts as read, then the vocabulary's copy with its index */
    size_t per = 2 * (sizeof(char *) + sizeof(size_t)) + 4 * sizeof(size_t) + 32;
    size_t bytes = add(mul(in.size, 2, &ovf), mul(lines, per, &ovf), &ovf);
    char what[64];
    snprintf(what, sizeof what, "a vocabulary file of %zu bytes (%zu lines)", in.size, lines);
    if ((st = fits(path, what, bytes, ovf)))
      goto done;
  }
  if ((st = in_rewind(&in)))
    goto done;
  words = calloc(lines ? lines : 1, sizeof *words);
  counts = malloc((lines ? lines : 1) * sizeof *counts);
  if (!words || !counts) {
    st = DP_ERROR(GSL_ENOMEM, "%s: out of memory for %zu words", path, lines);
    goto done;
  }
  int more;
  while (!(st = in_line(&in, &more)) && more) {
    size_t ln = in.lineno;
    if (nw == lines) { /* the file grew since the first pass */
      st = DP_ERROR(GSL_EFAILED, "%s: changed while it was read", path);
      goto done;
    }
    size_t bad = utf8_bad(in.line);
    if (bad != SIZE_MAX) {
      st = DP_ERROR(GSL_EINVAL, "%s: line %zu: invalid UTF-8 at column %zu", path, ln, bad + 1);
      goto done;
    }
    char *f[3];
    size_t nf;
    split_fields(in.line, f, 3, &nf);
    if (nf == 0) {
      st = DP_ERROR(GSL_EINVAL, "%s: line %zu is empty (expected \"word count\")", path, ln);
      goto done;
    }
    if (nf == 1) {
      st = DP_ERROR(GSL_EINVAL, "%s: line %zu: word '%.60s' has no count", path, ln, f[0]);
      goto done;
    }
    if (nf > 2) {
      st = DP_ERROR(GSL_EINVAL, "%s: line %zu: %zu fields, expected \"word count\"", path, ln,
                    nf);
      goto done;
    }
    if (!parse_size(f[1], (size_t)LLONG_MAX, &counts[nw])) {
      st = DP_ERROR(GSL_EINVAL, "%s: line %zu: count '%.40s' of '%.60s' is not a whole number "
                    "from 0 to %lld", path, ln, f[1], f[0], LLONG_MAX);
      goto done;
    }
    if (strcmp(f[0], "<unk>") == 0) {
      st = DP_ERROR(GSL_EINVAL, "%s: line %zu: '<unk>' is reserved by GloVe (glove.c refuses "
                    "it in a vocabulary)", path, ln);
      goto done;
    }
    if (!glove_word_ok(f[0])) { /* GloVe splits on any white space and cuts at 999 bytes */
      st = DP_ERROR(GSL_EINVAL, "%s: line %zu: word '%.60s' holds white space other than the "
                    "separator or is longer than 999 bytes: GloVe would read another word",
                    path, ln, f[0]);
      goto done;
    }
    words[nw] = strdup(f[0]);
    if (!words[nw]) {
      st = DP_ERROR(GSL_ENOMEM, "%s: line %zu: out of memory", path, ln);
      goto done;
    }
    nw++;
  }
  if (st)
    goto done;
  if (nw == 0) {
    st = DP_ERROR(GSL_EDOM, "%s: no words (an empty vocabulary)", path);
    goto done;
  }
  size_t dup[2];
  st = dp_vocab_from_words(nw, (const char *const *)words, counts, out, dup);
  if (st == GSL_EINVAL)
    st = DP_ERROR(GSL_EINVAL, "%s: line %zu: word '%.60s' repeats line %zu", path, dup[0] + 1,
                  words[dup[0]], dup[1] + 1);
  else if (st)
    st = DP_ERROR(st, "%s: %s", path, dp_err_reason());
done:
  if (words)
    for (size_t i = 0; i < nw; i++)
      free(words[i]);
  free(words);
  free(counts);
  in_close(&in);
  return st;
}

static int fill_vocab(FILE *f, const void *ctx)
{
  const struct dp_vocab *v = ctx;
  for (size_t i = 0; i < v->V; i++) {
    fputs(v->words[i], f);
    fprintf(f, " %zu\n", v->counts ? v->counts[i] : (size_t)0);
  }
  return GSL_SUCCESS;
}

int dp_io_vocab_write(const char *path, const struct dp_vocab *v)
{
  const char *p = path ? path : "io";
  if (!v || v->V == 0 || !v->words)
    return DP_ERROR(GSL_EINVAL, "%s: no vocabulary to write", p);
  for (size_t i = 0; i < v->V; i++) {
    if (!glove_word_ok(v->words[i]))
      return DP_ERROR(GSL_EINVAL, "%s: word %zu ('%.60s') is empty, holds white space or is "
                      "longer than 999 bytes: GloVe could not read it back", p, i,
                      v->words[i] ? v->words[i] : "(null)");
    if (strcmp(v->words[i], "<unk>") == 0)
      return DP_ERROR(GSL_EINVAL, "%s: word %zu is '<unk>', reserved by GloVe", p, i);
  }
  return dp_atomic_write(path, fill_vocab, v);
}

/* ---------------------------------------------------------------------------------------
 * cooccurrence.bin */

static int32_t get_i32le(const unsigned char *b)
{
  uint32_t u = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
               (uint32_t)b[3] << 24;
  return u <= INT32_MAX ? (int32_t)u : (int32_t)(u - INT32_MAX - 1) + INT32_MIN;
}

static double get_f64le(const unsigned char *b)
{
  uint64_t u = 0;
  for (int k = 7; k >= 0; k--)
    u = u << 8 | b[k];
  double x;
  memcpy(&x, &u, sizeof x);
  return x;
}

static void put_i32le(unsigned char *b, int32_t v)
{
  uint32_t u = (uint32_t)v;
  for (int k = 0; k < 4; k++)
    b[k] = (unsigned char)(u >> (8 * k));
}

static void put_f64le(unsigned char *b, double x)
{
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  for (int k = 0; k < 8; k++)
    b[k] = (unsigned char)(u >> (8 * k));
}

int dp_io_cooc_read(const char *path, size_t V, enum dp_smat_kind kind, dp_smat **X)
{
  const char *p = path ? path : "io";
  if (!X)
    return DP_ERROR(GSL_EFAULT, "%s: dp_io_cooc_read: X is NULL", p);
  *X = NULL;
  if (V == 0 || V > INT_MAX)
    return DP_ERROR(GSL_EINVAL, "%s: vocabulary size V = %zu, expected 1 to %d", p, V, INT_MAX);
  if (kind != DP_SMAT_DENSE && kind != DP_SMAT_SPARSE)
    return DP_ERROR(GSL_EINVAL, "%s: unknown matrix kind %d", p, (int)kind);
  struct io_in in;
  size_t *ti = NULL, *tj = NULL;
  double *tx = NULL;
  int st = in_open(&in, path);
  if (st)
    goto done;
  size_t nrec = in.size / DP_IO_CREC_BYTES;
  if ((st = matrix_fits(path, kind, V, V, nrec)))
    goto done;
  ti = malloc((nrec ? nrec : 1) * sizeof *ti);
  tj = malloc((nrec ? nrec : 1) * sizeof *tj);
  tx = malloc((nrec ? nrec : 1) * sizeof *tx);
  if (!ti || !tj || !tx) {
    st = DP_ERROR(GSL_ENOMEM, "%s: out of memory for %zu records", path, nrec);
    goto done;
  }
  size_t r = 0;
  for (;; r++) {
    unsigned char rec[DP_IO_CREC_BYTES];
    size_t got;
    if ((st = in_bytes(&in, rec, sizeof rec, &got)))
      goto done;
    if (got == 0)
      break;
    if (got < sizeof rec) {
      st = DP_ERROR(GSL_EINVAL, "%s: record %zu is truncated (%zu of %d bytes)", path, r + 1,
                    got, DP_IO_CREC_BYTES);
      goto done;
    }
    if (r == nrec) {
      st = DP_ERROR(GSL_EFAILED, "%s: changed while it was read", path);
      goto done;
    }
    int32_t w1 = get_i32le(rec), w2 = get_i32le(rec + 4);
    double x = get_f64le(rec + 8);
    if (w1 < 1 || (size_t)w1 > V || w2 < 1 || (size_t)w2 > V) {
      st = DP_ERROR(GSL_EINVAL, "%s: record %zu: word id %" PRId32 " out of range (ids are 1 "
                    "to V = %zu)", path, r + 1, (w1 < 1 || (size_t)w1 > V) ? w1 : w2, V);
      goto done;
    }
    if (!isfinite(x)) {
      st = DP_ERROR(GSL_EINVAL, "%s: record %zu (%" PRId32 ", %" PRId32 "): value %s is not "
                    "finite", path, r + 1, w1, w2, isnan(x) ? "NaN" : x > 0 ? "Inf" : "-Inf");
      goto done;
    }
    ti[r] = (size_t)w1 - 1;
    tj[r] = (size_t)w2 - 1;
    tx[r] = x;
  }
  st = assemble(path, V, V, kind, r, ti, tj, tx, X);
done:
  free(ti);
  free(tj);
  free(tx);
  in_close(&in);
  return st;
}

static void rec_out(FILE *f, size_t i, size_t j, double x)
{
  unsigned char rec[DP_IO_CREC_BYTES];
  put_i32le(rec, (int32_t)(i + 1));
  put_i32le(rec + 4, (int32_t)(j + 1));
  put_f64le(rec + 8, x);
  fwrite(rec, 1, sizeof rec, f);
}

static int fill_cooc(FILE *f, const void *ctx)
{
  const dp_smat *X = ctx;
  if (X->kind == DP_SMAT_DENSE) {
    for (size_t i = 0; i < X->n1; i++)
      for (size_t j = 0; j < X->n2; j++) {
        double x = gsl_matrix_get(X->d, i, j);
        if (x != 0.0)
          rec_out(f, i, j, x);
      }
    return GSL_SUCCESS;
  }
  const gsl_spmatrix *s = X->s;
  for (size_t i = 0; i < X->n1; i++)
    for (int q = s->p[i]; q < s->p[i + 1]; q++)
      if (s->data[q] != 0.0)
        rec_out(f, i, (size_t)s->i[q], s->data[q]);
  return GSL_SUCCESS;
}

/* The first stored entry of A that is not finite: GSL_EINVAL naming it, else success. */
static int all_finite(const char *path, const dp_smat *A)
{
  if (A->kind == DP_SMAT_DENSE) {
    for (size_t i = 0; i < A->n1; i++)
      for (size_t j = 0; j < A->n2; j++)
        if (!isfinite(gsl_matrix_get(A->d, i, j)))
          return DP_ERROR(GSL_EINVAL, "%s: entry (%zu, %zu) = %g is not finite: not written",
                          path, i + 1, j + 1, gsl_matrix_get(A->d, i, j));
    return GSL_SUCCESS;
  }
  const gsl_spmatrix *s = A->s;
  for (size_t i = 0; i < A->n1; i++)
    for (int q = s->p[i]; q < s->p[i + 1]; q++)
      if (!isfinite(s->data[q]))
        return DP_ERROR(GSL_EINVAL, "%s: entry (%zu, %d) = %g is not finite: not written",
                        path, i + 1, s->i[q] + 1, s->data[q]);
  return GSL_SUCCESS;
}

static int smat_ok(const char *path, const dp_smat *A)
{
  if (!A || (A->kind == DP_SMAT_DENSE ? !A->d : A->kind == DP_SMAT_SPARSE ? !A->s : 1))
    return DP_ERROR(GSL_EFAULT, "%s: no matrix to write", path);
  if (A->kind == DP_SMAT_SPARSE && !GSL_SPMATRIX_ISCSR(A->s))
    return DP_ERROR(GSL_EINVAL, "%s: the sparse matrix is not in CSR", path);
  return GSL_SUCCESS;
}

int dp_io_cooc_write(const char *path, const dp_smat *X)
{
  const char *p = path ? path : "io";
  DP_TRY(smat_ok(p, X));
  if (X->n1 != X->n2)
    return DP_ERROR(GSL_EINVAL, "%s: X is %zu x %zu, not square", p, X->n1, X->n2);
  if (X->n1 > INT_MAX)
    return DP_ERROR(GSL_EINVAL, "%s: V = %zu does not fit GloVe's int ids", p, X->n1);
  DP_TRY(all_finite(p, X));
  return dp_atomic_write(path, fill_cooc, X);
}

/* ---------------------------------------------------------------------------------------
 * vectors.txt */

static const char *model_name(enum dp_io_glove_model m)
{
  return m == DP_IO_GLOVE_FULL ? "model 0 (W, b, W~, b~)"
         : m == DP_IO_GLOVE_W  ? "model 1 (W)"
                               : "model 2 (W + W~)";
}

static int fmt_ok(const char *path, const struct dp_io_vectors_fmt *fmt)
{
  if (!fmt)
    return DP_ERROR(GSL_EFAULT, "%s: no vectors layout given", path);
  if (fmt->model != DP_IO_GLOVE_FULL && fmt->model != DP_IO_GLOVE_W &&
      fmt->model != DP_IO_GLOVE_SUM)
    return DP_ERROR(GSL_EINVAL, "%s: unknown vectors layout (model %d; GloVe writes 0, 1, 2)",
                    path, (int)fmt->model);
  return GSL_SUCCESS;
}

/* A growable array of the values of one line. */
struct vals {
  double *x;
  size_t n, cap;
};

static int vals_push(struct vals *v, double x, const char *path, size_t ln)
{
  if (v->n == v->cap) {
    size_t nc = v->cap ? 2 * v->cap : 64;
    double *p = realloc(v->x, nc * sizeof *p);
    if (!p)
      return DP_ERROR(GSL_ENOMEM, "%s: line %zu: out of memory (%zu values)", path, ln, v->n);
    v->x = p;
    v->cap = nc;
  }
  v->x[v->n++] = x;
  return GSL_SUCCESS;
}

int dp_io_vectors_read(const char *path, const struct dp_vocab *v,
                       const struct dp_io_vectors_fmt *fmt, gsl_matrix **W, gsl_matrix **Wc,
                       gsl_vector **b, gsl_vector **bc)
{
  const char *p = path ? path : "io";
  gsl_matrix **mo[2] = {W, Wc};
  gsl_vector **vo[2] = {b, bc};
  for (int k = 0; k < 2; k++) {
    if (mo[k])
      *mo[k] = NULL;
    if (vo[k])
      *vo[k] = NULL;
  }
  DP_TRY(fmt_ok(p, fmt));
  const int full = fmt->model == DP_IO_GLOVE_FULL;
  if (!W || (full && (!Wc || !b || !bc)))
    return DP_ERROR(GSL_EFAULT, "%s: %s needs W%s", p, model_name(fmt->model),
                    full ? ", Wc, b and bc" : "");
  if (!v || v->V == 0 || !v->words)
    return DP_ERROR(GSL_EINVAL, "%s: no vocabulary to read the vectors of", p);
  const size_t V = v->V;
  struct io_in in;
  struct vals vals = {NULL, 0, 0};
  gsl_matrix *mW = NULL, *mWc = NULL;
  gsl_vector *vb = NULL, *vbc = NULL;
  size_t hd = 0, d = 0, nval = 0, i = 0; /* i: vector lines read */
  const size_t nlines = V + (fmt->unk ? 1 : 0);
  int more, st = in_open(&in, path);
  if (st)
    goto done;
  if (fmt->header) {
    if ((st = in_line(&in, &more)))
      goto done;
    char *f[3];
    size_t nf = 0, hV = 0;
    if (more)
      split_fields(in.line, f, 3, &nf);
    if (!more || nf != 2 || !parse_size(f[0], SIZE_MAX, &hV) ||
        !parse_size(f[1], SIZE_MAX, &hd) || hd == 0) {
      st = DP_ERROR(GSL_EINVAL, "%s: line 1: not a header \"V d\" (two whole numbers, d > 0)",
                    path);
      goto done;
    }
    if (hV != V) {
      st = DP_ERROR(GSL_EINVAL, "%s: line 1: header says %zu words, the vocabulary has %zu",
                    path, hV, V);
      goto done;
    }
  }
  while (!(st = in_line(&in, &more)) && more) {
    size_t ln = in.lineno;
    if (i == nlines) {
      st = DP_ERROR(GSL_EINVAL, "%s: line %zu: more vector lines than the %zu words of the "
                    "vocabulary%s", path, ln, V, fmt->unk ? " and <unk>" : "");
      goto done;
    }
    char *s = in.line, *word = next_field(&s), *tok;
    if (!word) {
      st = DP_ERROR(GSL_EINVAL, "%s: line %zu is empty", path, ln);
      goto done;
    }
    const char *want = i < V ? v->words[i] : "<unk>";
    if (strcmp(word, want) != 0) {
      st = DP_ERROR(GSL_EINVAL, "%s: line %zu: word '%.60s', expected '%.60s' (%s)", path, ln,
                    word, want, i < V ? "the vocabulary's order" : "GloVe's <unk> line");
      goto done;
    }
    vals.n = 0;
    while ((tok = next_field(&s))) {
      double x = 0.0;
      enum num_status ns = parse_double(tok, &x);
      if (ns != NUM_OK) {
        st = DP_ERROR(GSL_EINVAL, "%s: line %zu: value %zu of '%.60s' ('%.40s') %s", path, ln,
                      vals.n + 1, word, tok, num_problem(ns));
        goto done;
      }
      if ((st = vals_push(&vals, x, path, ln)))
        goto done;
    }
    if (i == 0) {
      nval = vals.n;
      if (nval == 0 || (full && (nval % 2 != 0 || nval < 4))) {
        st = DP_ERROR(GSL_EINVAL, "%s: line %zu: %zu values, %s", path, ln, nval,
                      full ? "model 0 needs an even number, at least 4 (W, b, W~, b~)"
                           : "expected at least 1");
        goto done;
      }
      d = full ? nval / 2 - 1 : nval;
      if (fmt->header && d != hd) {
        st = DP_ERROR(GSL_EINVAL, "%s: line %zu: dimension %zu, the header says %zu", path, ln,
                      d, hd);
        goto done;
      }
      int ovf = 0;
      size_t bytes = mul(mul(V, d, &ovf), (full ? 2 : 1) * sizeof(double), &ovf);
      bytes = add(bytes, mul(V, 2 * sizeof(double), &ovf), &ovf);
      char what[80];
      snprintf(what, sizeof what, "%zu vectors of dimension %zu", V, d);
      if ((st = fits(path, what, bytes, ovf)))
        goto done;
      mW = gsl_matrix_alloc(V, d);
      if (full) {
        mWc = gsl_matrix_alloc(V, d);
        vb = gsl_vector_alloc(V);
        vbc = gsl_vector_alloc(V);
      }
      if (!mW || (full && (!mWc || !vb || !vbc))) {
        st = DP_ERROR(GSL_ENOMEM, "%s: out of memory for %s", path, what);
        goto done;
      }
    } else if (vals.n != nval) {
      st = DP_ERROR(GSL_EINVAL, "%s: line %zu: '%.60s' has %zu values, the first vector %zu "
                    "(vectors of unequal dimension)", path, ln, word, vals.n, nval);
      goto done;
    }
    if (i < V) {
      for (size_t k = 0; k < d; k++)
        gsl_matrix_set(mW, i, k, vals.x[k]);
      if (full) {
        gsl_vector_set(vb, i, vals.x[d]);
        for (size_t k = 0; k < d; k++)
          gsl_matrix_set(mWc, i, k, vals.x[d + 1 + k]);
        gsl_vector_set(vbc, i, vals.x[2 * d + 1]);
      }
    }
    i++;
  }
  if (st)
    goto done;
  if (i < nlines) {
    st = DP_ERROR(GSL_EINVAL, "%s: ends after %zu vector lines, expected %zu (%zu words%s)",
                  path, i, nlines, V, fmt->unk ? " and <unk>" : "");
    goto done;
  }
  *W = mW;
  mW = NULL;
  if (full) {
    *Wc = mWc;
    *b = vb;
    *bc = vbc;
    mWc = NULL;
    vb = vbc = NULL;
  }
done:
  gsl_matrix_free(mW);
  gsl_matrix_free(mWc);
  gsl_vector_free(vb);
  gsl_vector_free(vbc);
  free(vals.x);
  in_close(&in);
  return st;
}

struct vec_ctx {
  const struct dp_vocab *v;
  const struct dp_io_vectors_fmt *fmt;
  const gsl_matrix *W, *Wc;
  const gsl_vector *b, *bc;
};

static int fill_vectors(FILE *f, const void *ctx)
{
  const struct vec_ctx *c = ctx;
  const size_t V = c->v->V, d = c->W->size2;
  if (c->fmt->header)
    fprintf(f, "%zu %zu\n", V, d);
  for (size_t i = 0; i < V; i++) {
    fputs(c->v->words[i], f);
    switch (c->fmt->model) {
    case DP_IO_GLOVE_W:
      for (size_t k = 0; k < d; k++)
        fprintf(f, " %.17g", gsl_matrix_get(c->W, i, k));
      break;
    case DP_IO_GLOVE_SUM:
      for (size_t k = 0; k < d; k++)
        fprintf(f, " %.17g", gsl_matrix_get(c->W, i, k) + gsl_matrix_get(c->Wc, i, k));
      break;
    case DP_IO_GLOVE_FULL:
      for (size_t k = 0; k < d; k++)
        fprintf(f, " %.17g", gsl_matrix_get(c->W, i, k));
      fprintf(f, " %.17g", gsl_vector_get(c->b, i));
      for (size_t k = 0; k < d; k++)
        fprintf(f, " %.17g", gsl_matrix_get(c->Wc, i, k));
      fprintf(f, " %.17g", gsl_vector_get(c->bc, i));
      break;
    }
    fputc('\n', f);
  }
  return GSL_SUCCESS;
}

int dp_io_vectors_write(const char *path, const struct dp_vocab *v,
                        const struct dp_io_vectors_fmt *fmt, const gsl_matrix *W,
                        const gsl_matrix *Wc, const gsl_vector *b, const gsl_vector *bc)
{
  const char *p = path ? path : "io";
  DP_TRY(fmt_ok(p, fmt));
  if (fmt->unk)
    return DP_ERROR(GSL_EINVAL, "%s: writing GloVe's <unk> line is not supported", p);
  if (!v || v->V == 0 || !v->words)
    return DP_ERROR(GSL_EINVAL, "%s: no vocabulary to write the vectors of", p);
  if (!W)
    return DP_ERROR(GSL_EFAULT, "%s: W is NULL", p);
  const size_t V = v->V, d = W->size2;
  DP_TRY(dp_args_shape(p, "W", W, V, d));
  if (fmt->model != DP_IO_GLOVE_W)
    DP_TRY(dp_args_shape(p, "Wc", Wc, V, d));
  if (fmt->model == DP_IO_GLOVE_FULL) {
    if (!b || !bc || b->size != V || bc->size != V)
      return DP_ERROR(GSL_EBADLEN, "%s: model 0 needs biases b and bc of length V = %zu", p, V);
  }
  for (size_t i = 0; i < V; i++) {
    if (!glove_word_ok(v->words[i]))
      return DP_ERROR(GSL_EINVAL, "%s: word %zu ('%.60s') is empty or holds a space, tab, CR "
                      "or LF: not written", p, i, v->words[i] ? v->words[i] : "(null)");
    for (size_t k = 0; k < d; k++) {
      double x = gsl_matrix_get(W, i, k), y = fmt->model != DP_IO_GLOVE_W ? gsl_matrix_get(Wc, i, k) : 0.0;
      if (fmt->model == DP_IO_GLOVE_SUM)
        x += y; /* what is written: the sum, which may overflow */
      if (!isfinite(x) || !isfinite(y))
        return DP_ERROR(GSL_EINVAL, "%s: vector %zu ('%.60s') has a value that is not finite: "
                        "not written", p, i, v->words[i]);
    }
    if (fmt->model == DP_IO_GLOVE_FULL &&
        (!isfinite(gsl_vector_get(b, i)) || !isfinite(gsl_vector_get(bc, i))))
      return DP_ERROR(GSL_EINVAL, "%s: bias %zu ('%.60s') is not finite: not written", p, i,
                      v->words[i]);
  }
  struct vec_ctx c = {v, fmt, W, Wc, b, bc};
  return dp_atomic_write(path, fill_vectors, &c);
}

/* ---------------------------------------------------------------------------------------
 * Matrix Market */

/* An integer field's value: an optional sign and digits. */
static int integer_text(const char *s)
{
  if (*s == '+' || *s == '-')
    s++;
  if (!*s)
    return 0;
  for (; *s; s++)
    if (*s < '0' || *s > '9')
      return 0;
  return 1;
}

int dp_io_mtx_read(const char *path, enum dp_smat_kind kind, dp_smat **A)
{
  const char *p = path ? path : "io";
  if (!A)
    return DP_ERROR(GSL_EFAULT, "%s: dp_io_mtx_read: A is NULL", p);
  *A = NULL;
  if (kind != DP_SMAT_DENSE && kind != DP_SMAT_SPARSE)
    return DP_ERROR(GSL_EINVAL, "%s: unknown matrix kind %d", p, (int)kind);
  struct io_in in;
  size_t *ti = NULL, *tj = NULL;
  double *tx = NULL;
  int more, st = in_open(&in, path);
  if (st)
    goto done;
  /* The header. */
  if ((st = in_line(&in, &more)))
    goto done;
  char *f[6];
  size_t nf = 0;
  if (more)
    split_fields(in.line, f, 6, &nf);
  if (!more || nf < 1 || strcasecmp(f[0], "%%MatrixMarket") != 0) {
    st = DP_ERROR(GSL_EINVAL, "%s: line 1: no Matrix Market header (expected "
                  "\"%%%%MatrixMarket matrix coordinate|array real|integer "
                  "general|symmetric\")", path);
    goto done;
  }
  if (nf != 5) {
    st = DP_ERROR(GSL_EINVAL, "%s: line 1: bad Matrix Market header: %zu words, expected 5 "
                  "(%%%%MatrixMarket matrix format field symmetry)", path, nf);
    goto done;
  }
  if (strcasecmp(f[1], "matrix") != 0) {
    st = DP_ERROR(GSL_EINVAL, "%s: line 1: bad Matrix Market header: object '%.20s' is not "
                  "supported (only 'matrix')", path, f[1]);
    goto done;
  }
  int coord = strcasecmp(f[2], "coordinate") == 0;
  if (!coord && strcasecmp(f[2], "array") != 0) {
    st = DP_ERROR(GSL_EINVAL, "%s: line 1: bad Matrix Market header: format '%.20s' (expected "
                  "coordinate or array)", path, f[2]);
    goto done;
  }
  int integer = strcasecmp(f[3], "integer") == 0;
  if (!integer && strcasecmp(f[3], "real") != 0) {
    st = DP_ERROR(GSL_EINVAL, "%s: line 1: bad Matrix Market header: field '%.20s' is not "
                  "supported (real or integer)", path, f[3]);
    goto done;
  }
  int sym = strcasecmp(f[4], "symmetric") == 0;
  if (!sym && strcasecmp(f[4], "general") != 0) {
    st = DP_ERROR(GSL_EINVAL, "%s: line 1: bad Matrix Market header: symmetry '%.20s' is not "
                  "supported (general or symmetric)", path, f[4]);
    goto done;
  }
  /* Comments, then the size line. */
  for (;;) {
    if ((st = in_line(&in, &more)))
      goto done;
    if (!more || (in.line[0] != '%' && in.line[strspn(in.line, " \t")] != '\0'))
      break;
  }
  if (!more) {
    st = DP_ERROR(GSL_EINVAL, "%s: no size line after the header", path);
    goto done;
  }
  size_t M = 0, N = 0, nnz = 0, sl = in.lineno;
  split_fields(in.line, f, 4, &nf);
  if (nf != (coord ? 3u : 2u) || !parse_size(f[0], SIZE_MAX, &M) ||
      !parse_size(f[1], SIZE_MAX, &N) || (coord && !parse_size(f[2], SIZE_MAX, &nnz))) {
    st = DP_ERROR(GSL_EINVAL, "%s: line %zu: bad size line (expected %s, whole numbers)",
                  path, sl, coord ? "\"M N nnz\"" : "\"M N\"");
    goto done;
  }
  if (M == 0 || N == 0) {
    st = DP_ERROR(GSL_EINVAL, "%s: line %zu: a %zu x %zu matrix: a zero dimension is not "
                  "supported", path, sl, M, N);
    goto done;
  }
  if (sym && M != N) {
    st = DP_ERROR(GSL_EINVAL, "%s: line %zu: a symmetric matrix must be square, not %zu x %zu",
                  path, sl, M, N);
    goto done;
  }
  int ovf = 0;
  /* the entries declared: nnz, or the array's M N values (N (N + 1) / 2 when symmetric) */
  size_t count = coord ? nnz
                 : sym ? (N % 2 ? mul(N, (N + 1) / 2, &ovf) : mul(N / 2, N + 1, &ovf))
                       : mul(M, N, &ovf);
  /* Each entry takes at least 6 bytes ("1 1 1\n"), an array value 2 ("1\n"); the last
   * line's newline may be missing. */
  size_t minb = coord ? 6 : 2, left = in.size - (in.done - (in.n - in.pos));
  if (ovf || count > (left + 1) / minb) {
    st = DP_ERROR(GSL_EINVAL, "%s: line %zu: declares %s%zu entries, but only %zu bytes follow "
                  "(at least %zu bytes an entry)", path, sl, ovf ? "over " : "",
                  ovf ? (size_t)SIZE_MAX : count, left, minb);
    goto done;
  }
  size_t cap = sym ? mul(count, 2, &ovf) : count;
  if ((st = matrix_fits(path, kind, M, N, cap)))
    goto done;
  ti = malloc((cap ? cap : 1) * sizeof *ti);
  tj = malloc((cap ? cap : 1) * sizeof *tj);
  tx = malloc((cap ? cap : 1) * sizeof *tx);
  if (!ti || !tj || !tx) {
    st = DP_ERROR(GSL_ENOMEM, "%s: out of memory for %zu entries", path, cap);
    goto done;
  }
  size_t k = 0, t = 0, ai = 0, aj = 0; /* entries read, triplets, array position */
  while (!(st = in_line(&in, &more)) && more) {
    size_t ln = in.lineno;
    split_fields(in.line, f, 4, &nf);
    if (nf == 0)
      continue; /* a blank line */
    if (k == count) {
      st = DP_ERROR(GSL_EINVAL, "%s: line %zu: more entries than the %zu declared", path, ln,
                    count);
      goto done;
    }
    size_t i, j;
    const char *val;
    if (coord) {
      if (nf != 3) {
        st = DP_ERROR(GSL_EINVAL, "%s: line %zu: %zu fields, expected \"i j value\"", path, ln,
                      nf);
        goto done;
      }
      if (!parse_size(f[0], SIZE_MAX, &i) || !parse_size(f[1], SIZE_MAX, &j) || i == 0 ||
          j == 0 || i > M || j > N) {
        st = DP_ERROR(GSL_EINVAL, "%s: line %zu: index (%.20s, %.20s) out of range (rows 1 to "
                      "%zu, columns 1 to %zu)", path, ln, f[0], f[1], M, N);
        goto done;
      }
      if (sym && i < j) {
        st = DP_ERROR(GSL_EINVAL, "%s: line %zu: entry (%zu, %zu) is above the diagonal: an "
                      "asymmetric matrix declared symmetric (a symmetric file holds the lower "
                      "triangle only)", path, ln, i, j);
        goto done;
      }
      i--;
      j--;
      val = f[2];
    } else {
      if (nf != 1) {
        st = DP_ERROR(GSL_EINVAL, "%s: line %zu: %zu fields, expected one value", path, ln,
                      nf);
        goto done;
      }
      i = ai;
      j = aj;
      if (++ai == M) {
        aj++;
        ai = sym ? aj : 0;
      }
      val = f[0];
    }
    double x = 0.0;
    enum num_status ns = integer && !integer_text(val) ? NUM_BAD : parse_double(val, &x);
    if (ns != NUM_OK) {
      st = DP_ERROR(GSL_EINVAL, "%s: line %zu: value '%.40s' of entry (%zu, %zu) %s%s", path,
                    ln, val, i + 1, j + 1, num_problem(ns),
                    integer && ns == NUM_BAD ? " (the field is integer)" : "");
      goto done;
    }
    k++;
    if (!coord && x == 0.0)
      continue;
    ti[t] = i;
    tj[t] = j;
    tx[t++] = x;
    if (sym && i != j) {
      ti[t] = j;
      tj[t] = i;
      tx[t++] = x;
    }
  }
  if (st)
    goto done;
  if (k < count) {
    st = DP_ERROR(GSL_EINVAL, "%s: ends after %zu of the %zu entries declared", path, k, count);
    goto done;
  }
  st = assemble(path, M, N, kind, t, ti, tj, tx, A);
done:
  free(ti);
  free(tj);
  free(tx);
  in_close(&in);
  return st;
}

struct mtx_ctx {
  const dp_smat *A;
  int sym;
};

static int fill_mtx(FILE *f, const void *ctx)
{
  const struct mtx_ctx *c = ctx;
  const dp_smat *A = c->A;
  const char *sym = c->sym ? "symmetric" : "general";
  if (A->kind == DP_SMAT_DENSE) {
    fprintf(f, "%%%%MatrixMarket matrix array real %s\n%zu %zu\n", sym, A->n1, A->n2);
    for (size_t j = 0; j < A->n2; j++)
      for (size_t i = c->sym ? j : 0; i < A->n1; i++)
        fprintf(f, "%.17g\n", gsl_matrix_get(A->d, i, j));
    return GSL_SUCCESS;
  }
  const gsl_spmatrix *s = A->s;
  size_t nnz = 0;
  for (size_t i = 0; i < A->n1; i++)
    for (int q = s->p[i]; q < s->p[i + 1]; q++)
      nnz += !c->sym || (size_t)s->i[q] <= i;
  fprintf(f, "%%%%MatrixMarket matrix coordinate real %s\n%zu %zu %zu\n", sym, A->n1, A->n2,
             nnz);
  for (size_t i = 0; i < A->n1; i++)
    for (int q = s->p[i]; q < s->p[i + 1]; q++)
      if (!c->sym || (size_t)s->i[q] <= i)
        fprintf(f, "%zu %d %.17g\n", i + 1, s->i[q] + 1, s->data[q]);
  return GSL_SUCCESS;
}

int dp_io_mtx_write(const char *path, const dp_smat *A, int symmetric)
{
  const char *p = path ? path : "io";
  DP_TRY(smat_ok(p, A));
  DP_TRY(all_finite(p, A));
  if (symmetric) {
    if (A->n1 != A->n2)
      return DP_ERROR(GSL_EINVAL, "%s: a %zu x %zu matrix cannot be written as symmetric", p,
                      A->n1, A->n2);
    size_t mm = 0, where = 0;
    int st = dp_smat_compare(A, A, 1, &mm, &where);
    if (st)
      return DP_ERROR(st, "%s: %s", p, dp_err_reason());
    if (mm > 0) {
      size_t i = where / A->n2, j = where % A->n2;
      return DP_ERROR(GSL_EINVAL, "%s: not symmetric: entry (%zu, %zu) = %.17g but (%zu, %zu) "
                      "= %.17g: not written as symmetric", p, i + 1, j + 1,
                      dp_smat_get(A, i, j), j + 1, i + 1, dp_smat_get(A, j, i));
    }
  }
  struct mtx_ctx c = {A, symmetric != 0};
  return dp_atomic_write(path, fill_mtx, &c);
}
