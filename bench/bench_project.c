/* bench_project.c: speed of the engine's hot paths (`make bench`), never a timed test.
 *
 * Measures: the gather route M_ij = S_{t_i t_j} against the dense BLAS product Q S Q^T
 * (the gather does no V-sized work, the product does R V^2 + R^2 V), E = M (Q S), and
 * counting the real corpus (every offset, sparse) with GloVe's single pass beside it.
 * Prints wall-clock seconds (best of a few runs) and the sizes. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "cooc.h"
#include "err.h"
#include "project.h"
#include "report.h"
#include "resid.h"
#include "rng.h"
#include "select.h"
#include "smat.h"

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void bench_projection(size_t R, size_t V)
{
  dp_rng r;
  dp_rng_seed(&r, R * 1000003u + V);
  gsl_matrix *S = gsl_matrix_alloc(V, V), *M = gsl_matrix_alloc(R, R), *Md = gsl_matrix_alloc(R, R);
  gsl_matrix *QS = gsl_matrix_alloc(R, V), *E = gsl_matrix_alloc(R, V), *Q = NULL;
  size_t *t = malloc(R * sizeof *t);
  for (size_t i = 0; i < V * V; i++)
    S->data[i] = dp_rng_gauss(&r);
  for (size_t i = 0; i < R; i++)
    t[i] = dp_rng_below(&r, V);
  dp_select_Q(t, R, V, &Q);
  double best[3] = {1e300, 1e300, 1e300};
  for (int rep = 0; rep < 3; rep++) {
    double t0 = now();
    dp_select_gather(S, t, R, M);
    double t1 = now();
    dp_project_M_dense(Q, S, Md);
    double t2 = now();
    dp_select_rows(S, t, R, QS);
    dp_project_E(M, QS, E);
    double t3 = now();
    best[0] = t1 - t0 < best[0] ? t1 - t0 : best[0];
    best[1] = t2 - t1 < best[1] ? t2 - t1 : best[1];
    best[2] = t3 - t2 < best[2] ? t3 - t2 : best[2];
  }
  printf("projection R=%-5zu V=%-6zu gather %.6f s   BLAS Q S Q^T %.6f s   E = M (Q S) %.6f s   "
         "mismatches %zu\n", R, V, best[0], best[1], best[2], dp_resid_mismatch(M, Md, 0, NULL));
  gsl_matrix_free(S), gsl_matrix_free(M), gsl_matrix_free(Md), gsl_matrix_free(QS);
  gsl_matrix_free(E), gsl_matrix_free(Q), free(t);
}

int main(int argc, char **argv)
{
  dp_err_install();
  printf("dpcheck bench (BLAS %s)\n", dp_report_blas());
  bench_projection(64, 200);
  bench_projection(256, 2000);
  bench_projection(512, 5000);
  if (argc > 1) {
    struct dp_vocab_opts vo = {1, 0};
    struct dp_corpus *c = NULL;
    double t0 = now();
    if (dp_corpus_read(argv[1], &vo, &c) != GSL_SUCCESS) {
      fprintf(stderr, "bench: %s\n", dp_err_last());
      return 2;
    }
    double t1 = now();
    struct dp_counts *x = NULL;
    dp_smat *Xd = NULL;
    dp_cooc_count(c, 5, DP_WEIGHT_HARMONIC, DP_SMAT_SPARSE, &x);
    double t2 = now();
    dp_cooc_count_direct(c, 5, DP_WEIGHT_HARMONIC, DP_SMAT_SPARSE, &Xd);
    double t3 = now();
    printf("corpus %s: %zu tokens, V=%zu: read %.3f s, count X^(k) |k|<=5 sparse %.3f s "
           "(nnz X %zu), single pass %.3f s\n", argv[1], c->ntok, c->V, t1 - t0, t2 - t1,
           x ? dp_smat_nnz(x->X) : 0, t3 - t2);
    dp_counts_free(x);
    dp_smat_free(Xd);
    dp_corpus_free(c);
  }
  return 0;
}
