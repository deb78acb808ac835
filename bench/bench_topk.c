/* bench_topk.c: the head of the spectrum of a large sparse S (`make bench`), never a timed
 * test.
 *
 *   bench/bench_topk [V [NNZ [K [SEED]]]]     defaults 50000, 10000000, 64, 1
 *
 * Draws a random symmetric V x V operator with about NNZ stored entries (NNZ / 2 positions
 * drawn uniformly, each mirrored, values log(1 + c) with c a Zipf-like count, 30% of them
 * negative; seeded, so a run repeats), then finds its K eigenpairs largest in |lambda| with
 * ARPACK (dp_spectral_topk, never densifying S) and measures their residual ratio.  Prints
 * the wall-clock seconds of the build and of the solve, ARPACK's mat-vecs and restarts, the
 * Lanczos basis size, the ratio, and the peak resident size so far (getrusage) after each
 * step; run it under /usr/bin/time -v for the process's peak. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "err.h"
#include "rng.h"
#include "smat.h"
#include "bench_util.h"
#include "spectral.h"

static size_t arg(int argc, char **argv, int i, size_t dflt)
{
  if (argc <= i)
    return dflt;
  char *end;
  unsigned long long v = strtoull(argv[i], &end, 10);
  if (*end != '\0' || v == 0) {
    fprintf(stderr, "bench_topk: argument %d '%s' is not a positive integer\n", i, argv[i]);
    exit(2);
  }
  return (size_t)v;
}

int main(int argc, char **argv)
{
  dp_err_install();
  size_t V = arg(argc, argv, 1, 50000), nnz = arg(argc, argv, 2, 10000000);
  size_t k = arg(argc, argv, 3, 64);
  uint64_t seed = arg(argc, argv, 4, 1);
  size_t half = nnz / 2;
  double t0 = bench_now();
  size_t *ii = malloc(2 * half * sizeof *ii), *jj = malloc(2 * half * sizeof *jj);
  double *xx = malloc(2 * half * sizeof *xx);
  if (!ii || !jj || !xx) {
    fprintf(stderr, "bench_topk: out of memory for %zu triplets\n", 2 * half);
    return 1;
  }
  dp_rng r;
  dp_rng_seed(&r, seed);
  for (size_t t = 0; t < half; t++) {
    size_t i = dp_rng_below(&r, V), j = dp_rng_below(&r, V);
    double x = log1p((double)(1 + dp_rng_zipf(&r, 1000)));
    if (dp_rng_uniform(&r) < 0.3)
      x = -x;
    ii[2 * t] = i, jj[2 * t] = j, xx[2 * t] = x;
    ii[2 * t + 1] = j, jj[2 * t + 1] = i, xx[2 * t + 1] = x;
  }
  dp_smat *S = NULL;
  int st = dp_smat_from_triplets(V, V, DP_SMAT_SPARSE, 2 * half, ii, jj, xx, &S);
  free(ii);
  free(jj);
  free(xx);
  if (st) {
    fprintf(stderr, "bench_topk: %s\n", dp_err_last());
    return 1;
  }
  double t1 = bench_now();
  printf("build   V=%zu stored=%zu (%.2f%%): %.3f s, peak RSS so far %.1f MiB\n", V,
         dp_smat_nnz(S), 100.0 * (double)dp_smat_nnz(S) / ((double)V * (double)V), t1 - t0,
         bench_peak_mib());
  fflush(stdout);
  gsl_vector *eval = gsl_vector_alloc(k);
  gsl_matrix *evec = gsl_matrix_alloc(V, k);
  struct dp_topk_info info;
  double t2 = bench_now();
  st = dp_spectral_topk(S, k, DP_TOPK_ARPACK, seed, eval, evec, &info);
  double t3 = bench_now();
  if (st) {
    fprintf(stderr, "bench_topk: %s\n", dp_err_last());
    return 1;
  }
  double ratio = -1.0;
  st = dp_spectral_topk_ratio(S, eval, evec, &ratio);
  double t4 = bench_now();
  printf("solve   k=%zu %s ncv=%zu: %.3f s, %zu mat-vecs, %zu restarts, peak RSS so far %.1f MiB\n",
         k, info.method, info.ncv, t3 - t2, info.matvecs, info.restarts, bench_peak_mib());
  printf("check   residual ratio %.3g (%.3f s); |lambda| from %.6g to %.6g\n", ratio, t4 - t3,
         fabs(gsl_vector_get(eval, 0)), fabs(gsl_vector_get(eval, k - 1)));
  gsl_vector_free(eval);
  gsl_matrix_free(evec);
  dp_smat_free(S);
  return st ? 1 : 0;
}
