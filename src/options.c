/* options.c: the programs' option parsing (options.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>

#include "options.h"

/* The build tree and install directory, given to the program by make (dpcheck's CPPFLAGS);
 * a program built without them finds the corpora by name relative to the working directory. */
#ifndef DP_PKGDATADIR
#define DP_PKGDATADIR "data"
#endif
#ifndef DP_BUILD_CORPUS
#define DP_BUILD_CORPUS "data/corpus.txt"
#endif
#ifndef DP_BUILD_LARGE
#define DP_BUILD_LARGE "data/large.txt"
#endif

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

int dp_opt_corpus(const char **name)
{
  static const struct {
    const char *name, *built, *installed;
  } known[] = {{"kjv", DP_BUILD_CORPUS, DP_PKGDATADIR "/corpus.txt"},
               {"large", DP_BUILD_LARGE, DP_PKGDATADIR "/large.txt"}};
  for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
    if (strcmp(*name, known[k].name) != 0)
      continue;
    if (access(known[k].built, R_OK) == 0)
      *name = known[k].built;
    else if (access(known[k].installed, R_OK) == 0)
      *name = known[k].installed;
    else
      return -1;
    return 0;
  }
  return 0;
}

int dp_opt_fail(const char *who, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: ", who);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return 2;
}
