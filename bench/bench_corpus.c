/* bench_corpus.c: time and memory of the real-text pipeline on a corpus (`make bench`, on
 * the large corpus when it is built), never a timed test.
 *
 *   bench_corpus CORPUS [30000|full]
 *
 * For the vocabulary capped at 30,000 words and for the full vocabulary (one of them when
 * named: `make bench` runs each in its own process, so that each peak is its own), the stages
 * C18's real text goes through: read the corpus, count every offset |k| <= 5 sparse with
 * g(k) = 1/|k|, the operators log1p and PPMI of the sparse X, the 64 eigenpairs of PPMI
 * largest in magnitude (ARPACK) and one epoch of the GloVe fit (d = 50).  One row a stage:
 * its wall time, the peak resident set so far (getrusage ru_maxrss, which only grows) and the
 * stored entries of its result.  The stages' progress goes to stderr (progress.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cooc.h"
#include "err.h"
#include "progress.h"
#include "spectral.h"
#include "glove.h"
#include "smat.h"
#include "bench_util.h"

static void row(const char *cap, size_t V, const char *stage, double sec, size_t nnz)
{
  printf("%-7s %7zu  %-6s %9.3f %10.1f %12zu\n", cap, V, stage, sec, bench_peak_mib(), nnz);
  fflush(stdout);
}

static int fail(const char *what)
{
  fprintf(stderr, "bench_corpus: %s: %s\n", what, dp_err_last());
  return 2;
}

int main(int argc, char **argv)
{
  if (argc != 2 && argc != 3) {
    fprintf(stderr, "usage: bench_corpus CORPUS [30000|full]\n");
    return 2;
  }
  dp_err_install();
  struct dp_progress *prog = dp_progress_new(stderr, isatty(2));
  const struct {
    const char *name;
    struct dp_vocab_opts o;
  } caps[] = {{"30000", {1, 30000}}, {"full", {1, 0}}};
  printf("corpus %s: window c = 5, g(k) = 1/|k|, sparse\n", argv[1]);
  printf("%-7s %7s  %-6s %9s %10s %12s\n", "V cap", "V", "stage", "seconds", "peak MiB",
         "nnz");
  for (size_t k = 0; k < sizeof caps / sizeof caps[0]; k++) {
    if (argc == 3 && strcmp(argv[2], caps[k].name) != 0)
      continue; /* one cap a process: its peak is its own */
    struct dp_corpus *c;
    double t0 = bench_now();
    if (dp_corpus_read_p(argv[1], &caps[k].o, prog, &c) != GSL_SUCCESS)
      return fail("read");
    row(caps[k].name, c->V, "read", bench_now() - t0, c->ntok);
    struct dp_counts *x;
    t0 = bench_now();
    if (dp_cooc_count_p(c, 5, DP_WEIGHT_HARMONIC, DP_SMAT_SPARSE, prog, &x) != GSL_SUCCESS)
      return fail("count");
    row(caps[k].name, c->V, "count", bench_now() - t0, dp_smat_nnz(x->X));
    const enum dp_sop ops[] = {DP_SOP_LOG1P, DP_SOP_PPMI};
    for (size_t q = 0; q < 2; q++) {
      dp_smat *S;
      t0 = bench_now();
      if (dp_cooc_operator(x->X, ops[q], &S) != GSL_SUCCESS)
        return fail(dp_sop_name(ops[q]));
      row(caps[k].name, c->V, dp_sop_name(ops[q]), bench_now() - t0, dp_smat_nnz(S));
      if (ops[q] == DP_SOP_PPMI) {
        /* the top 64 eigenpairs of PPMI by ARPACK (nnz: the mat-vecs) */
        gsl_vector *ev = gsl_vector_alloc(64);
        gsl_matrix *U = gsl_matrix_alloc(c->V, 64);
        struct dp_topk_info info;
        t0 = bench_now();
        if (!ev || !U ||
            dp_spectral_topk(S, 64, DP_TOPK_ARPACK, 1, ev, U, &info) != GSL_SUCCESS)
          return fail("top-64 eigenpairs");
        row(caps[k].name, c->V, "top64", bench_now() - t0, info.matvecs);
        gsl_vector_free(ev);
        gsl_matrix_free(U);
      }
      dp_smat_free(S);
    }
    /* one epoch of the GloVe fit, d = 50 (a fit takes `epochs` of them) */
    struct dp_glove_opts go;
    dp_glove_opts_default(&go);
    go.epochs = 1;
    struct dp_glove *g = NULL;
    t0 = bench_now();
    if (dp_glove_fit(x->X, &go, &g, NULL) != GSL_SUCCESS)
      return fail("GloVe fit");
    row(caps[k].name, c->V, "glove1", bench_now() - t0, dp_smat_nnz(x->X));
    dp_glove_free(g);
    dp_counts_free(x);
    dp_corpus_free(c);
  }
  printf("(read: nnz = tokens kept; count: nnz of X; operators: stored entries of S; top64:\n"
         " ARPACK's mat-vecs for the 64 eigenpairs of PPMI largest in magnitude; glove1: one\n"
         " AdaGrad epoch over the non-zeros of X, d = 50)\n");
  dp_progress_free(prog);
  return 0;
}
