/* utf8.h: strict UTF-8, the one decoder of dpcheck.
 *
 * Well-formed UTF-8 as RFC 3629 and Unicode's table 3-7 define it: no overlong form, no
 * surrogate, nothing above U+10FFFF, no truncated sequence.  The corpus reader validates text
 * with it (cooc.c) and the report escapes every string with it (src/report/text.c), so what
 * a corpus may hold and what a report writes as text are the same thing. */
#ifndef DP_UTF8_H
#define DP_UTF8_H

#include <stddef.h>

/* Length (1 to 4) of the well-formed UTF-8 sequence at s, of which at most n bytes may be
 * read (n >= 1); 0 when the bytes there begin no well-formed sequence (a stray continuation
 * byte, an overlong form, a surrogate, a code point above U+10FFFF, or a sequence cut by the
 * end of the n bytes).  A byte below 0x80, NUL included, is a sequence of length 1. */
size_t dp_utf8_len(const unsigned char *s, size_t n);

#endif
