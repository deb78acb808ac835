/* options.c: the programs' option parsing (options.h). */
#include <errno.h>
#include <stdlib.h>
#include "options.h"

int dp_opt_u64(const char *s, unsigned long long lo, unsigned long long hi,
               unsigned long long *out)
{
  if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
    return -1;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 0);
  if (errno || *end || v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}
