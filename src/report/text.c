/* text.c: text and numbers as the report writes them.  Strings come from claims and runs as
 * bytes that should be UTF-8; one walker reads them a character at a time and marks each byte
 * that begins no well-formed sequence, and each escaper (JSON strings, HTML text and attribute
 * values) decides what to write for a character or a bad byte, so the two formats agree on
 * what counts as UTF-8 and differ only in their escapes.  Numbers are written by one
 * formatter in a few styles: "%.17g" where a program reads them back exactly (JSON, TSV, the
 * page's counterexamples), "%.6g" where a person reads them, each with its own spelling of
 * NaN and the infinities, and always with a '.' whatever LC_NUMERIC says. */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tol.h"
#include "utf8.h"
#include "report.h"
#include "report_int.h"

/* The code point of a byte that begins no well-formed UTF-8 sequence. */
#define UTF8_BAD UINT32_C(0xFFFFFFFF)

/* The next character of the NUL-terminated s: its code point in *cp, or UTF8_BAD for a byte
 * that begins no well-formed sequence; returns how many bytes it takes (1 for a bad byte),
 * 0 at the end of s. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
  static const unsigned char lead_bits[5] = { 0, 0x7F, 0x1F, 0x0F, 0x07 };
  if (s[0] == '\0')
    return 0;
  size_t k = dp_utf8_len(s, strnlen((const char *)s, 4));
  if (k == 0) {
    *cp = UTF8_BAD;
    return 1;
  }
  uint32_t v = s[0] & lead_bits[k];
  for (size_t i = 1; i < k; i++)
    v = v << 6 | (uint32_t)(s[i] & 0x3F);
  *cp = v;
  return k;
}

/* What an escaper writes for the character cp (or UTF8_BAD): a string, built in buf (of n
 * bytes) when it must be, or NULL to copy the character's bytes as they are. */
typedef const char *escape_fn(uint32_t cp, char *buf, size_t n);

static void escape(FILE *f, const char *s, escape_fn *esc)
{
  const unsigned char *p = (const unsigned char *)s;
  uint32_t cp = 0;
  size_t k;
  while ((k = utf8_next(p, &cp)) > 0) {
    char buf[8];
    const char *out = esc(cp, buf, sizeof buf);
    if (out != NULL)
      fputs(out, f);
    else
      fwrite(p, 1, k, f);
    p += k;
  }
}

/* JSON (RFC 8259): quote, backslash and control characters escaped, DEL as \u007f; a byte
 * that is not UTF-8 becomes the replacement character, \ufffd. */
static const char *json_escape(uint32_t cp, char *buf, size_t n)
{
  switch (cp) {
  case UTF8_BAD: return "\\ufffd";
  case '"': return "\\\"";
  case '\\': return "\\\\";
  case '\n': return "\\n";
  case '\r': return "\\r";
  case '\t': return "\\t";
  case '\b': return "\\b";
  case '\f': return "\\f";
  }
  if (cp < 0x20 || cp == 0x7F) {
    snprintf(buf, n, "\\u%04x", (unsigned)cp);
    return buf;
  }
  return NULL;
}

/* HTML: & < > " ' escaped; control characters other than tab, newline and carriage return,
 * DEL, C1 controls and bytes that are not UTF-8 become U+FFFD. */
static const char *html_escape(uint32_t cp, char *buf, size_t n)
{
  (void)buf;
  (void)n;
  switch (cp) {
  case '&': return "&amp;";
  case '<': return "&lt;";
  case '>': return "&gt;";
  case '"': return "&quot;";
  case '\'': return "&#39;";
  case '\t': case '\n': case '\r': return NULL;
  }
  if (cp == UTF8_BAD || cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
    return "\xEF\xBF\xBD";
  return NULL;
}

void dp_report_json_string(FILE *f, const char *s)
{
  fputc('"', f);
  escape(f, s, json_escape);
  fputc('"', f);
}

void dp_report_html_text(FILE *f, const char *s)
{
  escape(f, dp_report_str(s), html_escape);
}

/* The styles of enum dp_num_style: significant digits, then how NaN, +Inf, -Inf and
 * DP_RATIO_FAIL are spelled (fail NULL: DP_RATIO_FAIL is written as the number it is). */
static const struct num_style {
  int digits;
  const char *nan, *pinf, *ninf, *fail;
} num_style[] = {
  [DP_NUM_JSON] = { 17, "null", "null", "null", NULL },
  [DP_NUM_TSV] = { 17, "NaN", "Inf", "-Inf", NULL },
  [DP_NUM_PLAIN] = { 6, "NaN", "Inf", "-Inf", NULL },
  [DP_NUM_READ] = { 6, "n/a", "+\xE2\x88\x9E", "\xE2\x88\x92\xE2\x88\x9E",
                    "1/\xCE\xB5 (not measurable)" },
  [DP_NUM_EXACT] = { 17, "n/a", "+\xE2\x88\x9E", "\xE2\x88\x92\xE2\x88\x9E",
                     "1/\xCE\xB5 (not measurable)" },
};

const char *dp_report_num(char *buf, size_t n, double x, enum dp_num_style style)
{
  const struct num_style *st = &num_style[style];
  if (isnan(x))
    snprintf(buf, n, "%s", st->nan);
  else if (isinf(x))
    snprintf(buf, n, "%s", x > 0 ? st->pinf : st->ninf);
  else if (st->fail != NULL && x == DP_RATIO_FAIL)
    snprintf(buf, n, "%s", st->fail);
  else {
    snprintf(buf, n, "%.*g", st->digits, x);
    for (char *p = buf; *p; p++)
      if (*p == ',')
        *p = '.';
  }
  return buf;
}

void dp_report_put_num(FILE *f, double x, enum dp_num_style style)
{
  char buf[DP_NUM_BUF];
  fputs(dp_report_num(buf, sizeof buf, x, style), f);
}
