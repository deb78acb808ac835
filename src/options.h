/* options.h: what the command-line programs (dpcheck, its dump, the sweep) share when they
 * read their options. */
#ifndef DP_OPTIONS_H
#define DP_OPTIONS_H

/* An unsigned integer in [lo, hi], decimal or 0x-hex, nothing before or after it (no sign, no
 * space): 0 and *out set, else -1 and *out untouched. */
int dp_opt_u64(const char *s, unsigned long long lo, unsigned long long hi,
               unsigned long long *out);

/* The corpora built with dpcheck by name: "kjv" (data/corpus.txt) and "large"
 * (data/large.txt), in the build tree, else where they were installed.  *name is replaced by
 * the path (0); a name whose corpus is in neither place leaves it and returns -1; any other
 * string is a path and is left as it is (0). */
int dp_opt_corpus(const char **name);

/* One line on stderr, "who: message", and the exit status of bad input or usage: 2. */
int dp_opt_fail(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
