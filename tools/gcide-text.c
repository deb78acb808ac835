/* gcide-text.c: GCIDE (Debian's dict-gcide, dictd format) as English prose, one entry a line.
 *
 *   gzip -dc gcide.dict.dz | gcide-text gcide.index > large.txt
 *
 * An entry is the text the index gives one headword: dictd's index has one line per
 * headword, "headword TAB offset TAB length" with offset and length in dictd's base-64
 * digits (A-Z a-z 0-9 + /, most significant first).  Headwords sharing an offset are one
 * entry; dictd's own records (headwords beginning "00-") are left out.  Entries are written
 * in the order of their offsets, so the output depends on the two inputs only.
 *
 * What is removed from an entry, and what is kept:
 * - the headword lines (the leading lines that carry a pronunciation "\Ad"a*mant\", or
 *   that wrap one onto the next line), with whatever they open: an etymology "[OE. ...]"
 *   that runs on into the body is skipped to its closing bracket;
 * - pronunciations "\...\" anywhere, and a wrapped one "([a^]d"[.a]*m...)" starting the body;
 * - square brackets: source tags ("[1913 Webster]", "[PJC]"), labels ("[Obs.]"), etymologies
 *   (nested brackets included); GCIDE's character codes inside words ("[e^]", "[=a]",
 *   "[ae]", "[oe]", "[imac]", ...) become their plain letters, other symbol codes ("[deg]")
 *   are dropped;
 * - cross-reference braces "{...}": the braces go, the words stay (syllable and accent marks
 *   "*", '"', "`" inside them are removed so that "{Ab"sent*ly}" reads "Absently"), and a
 *   part-of-speech run right after one (", adv.", ", n. pl.") is dropped;
 * - parenthesised field labels "(Bot.)", "(Eccl. Hist.)", sense letters "(a)", sense numbers
 *   "1." and the labels "Syn:", "Note:", "Usage:" that start a line.
 * Bytes that are not UTF-8 (a few Latin-1 and Windows-1252 characters) are mapped: quotes and
 * dashes to ASCII, Latin-1 letters to their UTF-8 form, other control bytes to spaces.  White
 * space is collapsed; an entry with no text left writes no line.
 *
 * Exit status 0, or 1 with one line on stderr naming the problem (unreadable index, an
 * offset outside the data, out of memory). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static const char *prog = "gcide-text";

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: ", prog);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

/* ---------------------------------------------------------------------------------------
 * Input */

static char *read_all(FILE *f, size_t *len)
{
  size_t cap = 1 << 20, n = 0;
  char *b = malloc(cap);
  if (!b)
    die("out of memory (%zu bytes)", cap);
  for (;;) {
    if (n == cap) {
      char *nb = cap < ((size_t)-1) / 2 ? realloc(b, 2 * cap) : NULL;
      if (!nb)
        die("out of memory (%zu bytes)", cap);
      b = nb;
      cap *= 2;
    }
    size_t r = fread(b + n, 1, cap - n, f);
    n += r;
    if (r == 0)
      break;
  }
  if (ferror(f))
    die("standard input: read error after %zu bytes: %s", n, strerror(errno));
  *len = n;
  return b;
}

/* dictd's base-64 number in s[0..n), or (size_t)-1 when a digit is not one. */
static size_t b64_number(const char *s, size_t n)
{
  static const char digits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t v = 0;
  if (n == 0 || n > 10)
    return (size_t)-1;
  for (size_t i = 0; i < n; i++) {
    const char *d = s[i] ? strchr(digits, s[i]) : NULL;
    if (!d)
      return (size_t)-1;
    v = v * 64 + (size_t)(d - digits);
  }
  return v;
}

struct span {
  size_t off, len;
};

static int cmp_span(const void *pa, const void *pb)
{
  const struct span *a = pa, *b = pb;
  if (a->off != b->off)
    return a->off < b->off ? -1 : 1;
  return (a->len > b->len) - (a->len < b->len);
}

/* The entries of the index at path, sorted by offset, one per offset (the longest). */
static struct span *read_index(const char *path, size_t datalen, size_t *count)
{
  FILE *f = fopen(path, "r");
  if (!f)
    die("%s: cannot open: %s", path, strerror(errno));
  size_t cap = 1 << 16, n = 0, lineno = 0;
  struct span *e = malloc(cap * sizeof *e);
  if (!e)
    die("out of memory (%zu entries)", cap);
  char *line = NULL;
  size_t lcap = 0;
  ssize_t got;
  while ((got = getline(&line, &lcap, f)) >= 0) {
    lineno++;
    size_t len = (size_t)got;
    if (len > 0 && line[len - 1] == '\n')
      line[--len] = '\0';
    char *t1 = strchr(line, '\t');
    char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    if (!t2)
      die("%s:%zu: not \"headword TAB offset TAB length\"", path, lineno);
    if (strncmp(line, "00-", 3) == 0)
      continue; /* dictd's own records: the database's name, URL and notes */
    size_t off = b64_number(t1 + 1, (size_t)(t2 - t1 - 1));
    size_t ln = b64_number(t2 + 1, strlen(t2 + 1));
    if (off == (size_t)-1 || ln == (size_t)-1)
      die("%s:%zu: offset or length is not a dictd base-64 number", path,
          lineno);
    if (off > datalen || ln > datalen - off)
      die("%s:%zu: entry lies outside the data (is the data decompressed and of this index?)",
          path, lineno);
    if (n == cap) {
      struct span *ne = realloc(e, 2 * cap * sizeof *e);
      if (!ne)
        die("out of memory (%zu entries)", cap);
      e = ne;
      cap *= 2;
    }
    e[n].off = off;
    e[n].len = ln;
    n++;
  }
  if (ferror(f))
    die("%s: read error after line %zu", path, lineno);
  free(line);
  fclose(f);
  qsort(e, n, sizeof *e, cmp_span);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (m > 0 && e[m - 1].off == e[i].off)
      e[m - 1] = e[i]; /* sorted by length within an offset: keep the longest */
    else
      e[m++] = e[i];
  }
  *count = m;
  return e;
}

/* ---------------------------------------------------------------------------------------
 * Output buffer of one entry */

struct out {
  char *b;
  size_t n, cap;
};

static void put(struct out *o, const char *s, size_t n)
{
  if (o->n + n + 1 > o->cap) {
    size_t nc = o->cap ? o->cap : 4096;
    while (o->n + n + 1 > nc)
      nc *= 2;
    char *nb = realloc(o->b, nc);
    if (!nb)
      die("out of memory (%zu bytes)", nc);
    o->b = nb;
    o->cap = nc;
  }
  memcpy(o->b + o->n, s, n);
  o->n += n;
}

static void putc_out(struct out *o, char c) { put(o, &c, 1); }

/* A byte that begins no UTF-8 sequence, as Windows-1252 / Latin-1. */
static void put_foreign(struct out *o, unsigned char c)
{
  if (c == 0x91 || c == 0x92)
    putc_out(o, '\'');
  else if (c == 0x93 || c == 0x94)
    putc_out(o, '"');
  else if (c == 0x96 || c == 0x97)
    putc_out(o, '-');
  else if (c >= 0xA1) {
    char u[2] = {(char)(0xC0 | (c >> 6)), (char)(0x80 | (c & 0x3F))};
    put(o, u, 2);
  } else
    putc_out(o, ' ');
}

/* ---------------------------------------------------------------------------------------
 * Markup */

/* GCIDE's character code s[0..n) (the text between "[" and "]"): its plain letters in
 * *rep, or NULL when s is no character code (a tag, a label, an etymology). */
static const char *char_code(const char *s, size_t n, char *rep)
{
  static const char *const named[][2] = {
      {"ae", "ae"},     {"AE", "AE"},   {"oe", "oe"},   {"OE", "OE"},   {"imac", "i"},
      {"aum", "a"},     {"asl", "a"},   {"add", "a"},   {"udd", "u"},   {"eth", "th"},
      {"thorn", "th"},  {"ng", "ng"},   {"th", "th"},   {"yogh", "y"},  {"dsdot", "d"},
      {"root", ""},     {"deg", ""},    {"sect", ""},   {"pounds", ""}, {"bprime", ""},
      {"prime", ""},    {"min", ""},    {"sec", ""},    {"flat", ""},   {"sharp", ""},
      {"natural", ""},  {"cre", ""},    {"dagger", ""}, {"ddagger", ""}};
  for (size_t k = 0; k < sizeof named / sizeof named[0]; k++)
    if (strlen(named[k][0]) == n && memcmp(named[k][0], s, n) == 0)
      return named[k][1];
  /* A letter or two with diacritic marks: "=a", ".a", "~e", "-o", "\"o", "'e", "`e",
   * "^o", ",c", "*a", "=oo", "=ae" (marks first) or "a^", "oo^" (caret last). */
  static const char marks[] = "=.~-\"'`^,*";
  size_t i = 0, e = n;
  while (i < n && strchr(marks, s[i]) && s[i])
    i++;
  int lead = i > 0;
  if (!lead && e > 0 && s[e - 1] == '^')
    e--;
  if ((!lead && e == n) || e - i < 1 || e - i > 2)
    return NULL;
  for (size_t k = i; k < e; k++)
    if (!isalpha((unsigned char)s[k]))
      return NULL;
  memcpy(rep, s + i, e - i);
  rep[e - i] = '\0';
  return rep;
}

static int is_pos_word(const char *s, size_t n)
{
  static const char *const pos[] = {"n",    "a",    "adj",  "adv",    "v",   "t",   "i",
                                    "pl",   "p",    "pr",   "vb",     "imp", "prep", "conj",
                                    "interj", "pron", "sing", "superl", "compar"};
  for (size_t k = 0; k < sizeof pos / sizeof pos[0]; k++)
    if (strlen(pos[k]) == n && memcmp(pos[k], s, n) == 0)
      return 1;
  return 0;
}

/* After a cross-reference: the part-of-speech run at p (", adv.", ", n. pl.", " a. & n."),
 * if there is one; returns where it ends (p itself when there is none). */
static const char *skip_pos(const char *p, const char *end)
{
  const char *q = p, *last = p;
  while (q < end && (*q == ',' || *q == ' ' || *q == '\n'))
    q++;
  for (;;) {
    const char *w = q;
    while (q < end && islower((unsigned char)*q))
      q++;
    if (q == w || q >= end || *q != '.' || !is_pos_word(w, (size_t)(q - w)))
      break;
    q++;
    last = q;
    while (q < end && (*q == ' ' || *q == '&' || *q == '\n'))
      q++;
  }
  return last;
}

/* A parenthesised group at p ('('), closed within 48 bytes on the same line, that is no
 * prose: a sense letter "(a)" or "(iv)", a field label whose every word ends in "." and
 * begins upper-case ("(Bot.)", "(Eccl. Hist.)"), or a pronunciation (no space, and marks or
 * codes: "(-[i^]*kal)").  Returns the end of the group, or NULL. */
static const char *skip_paren(const char *p, const char *end)
{
  const char *q = p + 1;
  while (q < end && q - p < 48 && *q != ')' && *q != '\n' && *q != '(')
    q++;
  if (q >= end || *q != ')' || q == p + 1)
    return NULL;
  const char *s = p + 1;
  size_t n = (size_t)(q - s);
  int space = memchr(s, ' ', n) != NULL;
  int marks = 0, roman = 1;
  for (size_t k = 0; k < n; k++) {
    if (strchr("*\"`[", s[k]))
      marks = 1;
    if (!strchr("ivx", s[k]))
      roman = 0;
  }
  if ((n == 1 && islower((unsigned char)s[0])) || (roman && n <= 4))
    return q + 1;
  if (!space && marks)
    return q + 1;
  /* a label: words "Xxx." separated by single spaces */
  int label = 1;
  for (size_t k = 0; k < n && label;) {
    if (!isupper((unsigned char)s[k]))
      label = 0;
    while (k < n && s[k] != ' ')
      k++;
    if (s[k - 1] != '.')
      label = 0;
    if (k < n)
      k++;
  }
  return label ? q + 1 : NULL;
}

/* Where the headword lines of the entry [p, end) end: the first line always, then each line
 * that carries a pronunciation and begins in column 0, or that is indented and is followed
 * by such a line (a pronunciation wrapped across two head lines). */
static const char *head_end(const char *p, const char *end)
{
  const char *eol = memchr(p, '\n', (size_t)(end - p));
  const char *h = eol ? eol : end;
  while (h < end) {
    const char *a = h + 1; /* the line after the head so far */
    if (a >= end)
      break;
    const char *ae = memchr(a, '\n', (size_t)(end - a));
    if (!ae)
      ae = end;
    int bs = memchr(a, '\\', (size_t)(ae - a)) != NULL;
    if (*a != ' ' && *a != '\n' && bs) {
      h = ae;
      continue;
    }
    if (*a == ' ' && ae < end && ae + 1 < end && ae[1] != ' ' && ae[1] != '\n') {
      const char *b = ae + 1, *be = memchr(b, '\n', (size_t)(end - b));
      if (!be)
        be = end;
      if (memchr(b, '\\', (size_t)(be - b))) {
        h = be;
        continue;
      }
    }
    break;
  }
  return h;
}

/* The prose of the entry [p, end) into o (not yet collapsed). */
static void clean_entry(const char *p, const char *end, struct out *o)
{
  int depth = 0, bs = 0, brace = 0;
  /* An entry that does not begin with its headword (the first one follows the database's
   * notes) begins at its first headword line, if it has one. */
  if (p < end && (*p == ' ' || *p == '\n')) {
    for (const char *l = p; l < end;) {
      const char *le = memchr(l, '\n', (size_t)(end - l));
      if (!le)
        le = end;
      if (l < le && *l != ' ' && memchr(l, '\\', (size_t)(le - l))) {
        p = l;
        break;
      }
      l = le + 1;
    }
  }
  const char *h = head_end(p, end);
  /* The head is dropped; what it leaves open carries on. */
  for (const char *q = p; q < h; q++) {
    if (bs) {
      bs = *q != '\\';
      continue;
    }
    if (*q == '\\')
      bs = 1;
    else if (*q == '[')
      depth++;
    else if (*q == ']' && depth > 0)
      depth--;
  }
  const char *q = h;
  /* A pronunciation wrapped onto the first body line, with its part of speech. */
  {
    const char *r = q;
    while (r < end && (*r == ' ' || *r == '\n'))
      r++;
    if (!bs && depth == 0 && r < end && *r == '(') {
      const char *s = r + 1;
      while (s < end && *s != ')' && *s != ' ' && *s != '\n')
        s++;
      if (s < end && *s == ')')
        q = skip_pos(s + 1, end);
    }
  }
  int bol = 0;
  if (q > p && q[-1] == '\n')
    bol = 1;
  while (q < end) {
    unsigned char c = (unsigned char)*q;
    if (bs) {
      bs = c != '\\';
      q++;
      continue;
    }
    if (depth > 0) {
      if (c == '[')
        depth++;
      else if (c == ']' && --depth == 0)
        putc_out(o, ' ');
      q++;
      continue;
    }
    if (c == '\n') {
      putc_out(o, ' ');
      bol = 1;
      q++;
      continue;
    }
    if (bol) {
      if (c == ' ' || c == '\t') {
        q++;
        continue;
      }
      bol = 0;
      /* sense numbers "12." and the line labels */
      const char *r = q;
      while (r < end && isdigit((unsigned char)*r))
        r++;
      if (r > q && r < end && *r == '.' && r + 1 < end && (r[1] == ' ' || r[1] == '\n')) {
        q = r + 1;
        continue;
      }
      static const char *const labels[] = {"Syn:", "Note:", "Usage:"};
      int hit = 0;
      for (size_t k = 0; k < 3 && !hit; k++) {
        size_t n = strlen(labels[k]);
        if ((size_t)(end - q) >= n && memcmp(q, labels[k], n) == 0) {
          q += n;
          hit = 1;
        }
      }
      if (hit)
        continue;
    }
    if (c == '\\') {
      bs = 1;
      q++;
      continue;
    }
    if (c == '[') {
      const char *r = q + 1;
      while (r < end && r - q <= 8 && *r != ']' && *r != '[' && *r != ' ' && *r != '\n')
        r++;
      char rep[8];
      const char *m = r < end && *r == ']' ? char_code(q + 1, (size_t)(r - q - 1), rep) : NULL;
      if (m) {
        put(o, m, strlen(m));
        q = r + 1;
      } else {
        depth = 1;
        q++;
      }
      continue;
    }
    if (c == '{') {
      brace = 1;
      q++;
      continue;
    }
    if (c == '}') {
      brace = 0;
      const char *r = skip_pos(q + 1, end);
      if (r > q + 1)
        putc_out(o, ' ');
      q = r;
      continue;
    }
    if (brace && (c == '*' || c == '"' || c == '`')) {
      q++;
      continue;
    }
    if (c == '(') {
      const char *r = skip_paren(q, end);
      if (r) {
        putc_out(o, ' ');
        q = r;
        continue;
      }
    }
    if (c >= 0x80) {
      size_t k = dp_utf8_len((const unsigned char *)q, (size_t)(end - q));
      if (k > 1) {
        put(o, q, k);
        q += k;
      } else {
        put_foreign(o, c);
        q++;
      }
      continue;
    }
    putc_out(o, (c < 0x20 || c == 0x7F) ? ' ' : (char)c);
    q++;
  }
}

/* Collapse white space in o and write it as one line (nothing when it is empty). */
static void write_line(struct out *o, FILE *f)
{
  size_t m = 0;
  int space = 1; /* drops leading white space */
  for (size_t k = 0; k < o->n; k++) {
    char c = o->b[k];
    if (c == ' ') {
      if (!space)
        o->b[m++] = ' ';
      space = 1;
    } else {
      o->b[m++] = c;
      space = 0;
    }
  }
  while (m > 0 && o->b[m - 1] == ' ')
    m--;
  if (m == 0)
    return;
  o->b[m++] = '\n';
  if (fwrite(o->b, 1, m, f) != m)
    die("standard output: write error: %s", strerror(errno));
}

int main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: gzip -dc gcide.dict.dz | %s gcide.index > text\n", prog);
    return 2;
  }
  size_t len;
  char *data = read_all(stdin, &len);
  size_t n;
  struct span *e = read_index(argv[1], len, &n);
  struct out o = {0};
  for (size_t i = 0; i < n; i++) {
    o.n = 0;
    clean_entry(data + e[i].off, data + e[i].off + e[i].len, &o);
    write_line(&o, stdout);
  }
  if (fflush(stdout) != 0 || ferror(stdout))
    die("standard output: write error: %s", strerror(errno));
  free(o.b);
  free(e);
  free(data);
  return 0;
}
