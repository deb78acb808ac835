/* utf8.c: strict UTF-8 (utf8.h). */
#include "utf8.h"

size_t dp_utf8_len(const unsigned char *s, size_t n)
{
  unsigned char b = s[0], lo = 0x80, hi = 0xBF;
  size_t need;
  if (b < 0x80)
    return 1;
  if (b >= 0xC2 && b <= 0xDF)
    need = 1;
  else if (b >= 0xE0 && b <= 0xEF) {
    need = 2;
    lo = b == 0xE0 ? 0xA0 : 0x80; /* no overlong three-byte form */
    hi = b == 0xED ? 0x9F : 0xBF; /* no surrogate */
  } else if (b >= 0xF0 && b <= 0xF4) {
    need = 3;
    lo = b == 0xF0 ? 0x90 : 0x80; /* no overlong four-byte form */
    hi = b == 0xF4 ? 0x8F : 0xBF; /* nothing above U+10FFFF */
  } else
    return 0; /* a continuation byte, C0, C1 or F5..FF */
  if (need >= n)
    return 0;
  if (s[1] < lo || s[1] > hi)
    return 0;
  for (size_t k = 2; k <= need; k++)
    if ((s[k] & 0xC0) != 0x80)
      return 0;
  return need + 1;
}
