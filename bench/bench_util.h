/* bench_util.h: the clock and the memory gauge the benchmarks share. */
#ifndef DP_BENCH_UTIL_H
#define DP_BENCH_UTIL_H

#include <sys/resource.h>
#include <time.h>

/* Wall time, seconds, from the monotonic clock. */
static inline double bench_now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Peak resident set of the process so far, MiB (Linux reports ru_maxrss in KiB). */
static inline double bench_peak_mib(void)
{
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (double)u.ru_maxrss / 1024.0;
}

#endif
