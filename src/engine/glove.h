/* glove.h: the GloVe-style operator, fitted by dpcheck.
 *
 * Paper: S may be the GloVe-style fit W W~^T + b 1^T + 1 b~^T of log X, symmetrised.  GloVe's
 * model (Pennington, Socher and Manning 2014) fits, over the non-zeros of a co-occurrence
 * matrix X, the weighted least squares
 *   J = sum_{X_ij > 0} f(X_ij) (w_i . w~_j + b_i + b~_j - log X_ij)^2,
 *   f(x) = min(1, (x / x_max)^alpha),
 * by AdaGrad, one non-zero at a time, as the reference implementation (glove.c) does: every
 * parameter starts uniform in [-0.5, 0.5) / d (biases too), every squared-gradient
 * accumulator at 1.  Single-threaded and deterministic: every draw comes from one dp_rng
 * seeded by opts.seed.  The fit works on the stored non-zeros of a dense or sparse X
 * (smat.h) and never densifies it.  The operator's entries S_ab = (P_ab + P_ba) / 2,
 * P_ab = w_a . w~_b + b_a + b~_b, are gathered for given rows and columns only (S itself is
 * V x V and dense).  Vectors trained elsewhere (io.h's dp_io_vectors_read) are wrapped by
 * dp_glove_from_vectors.  Functions return a GSL status and record the reason through dp_err
 * (err.h); allocations are checked through dp_alloc_ok. */
#ifndef DP_GLOVE_H
#define DP_GLOVE_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include "smat.h"

struct dp_glove {
  size_t V, d;
  gsl_matrix *W, *Wc; /* V x d: word and context vectors */
  gsl_vector *b, *bc; /* V: word and context biases (zero vectors when a file gave none) */
};

struct dp_glove_opts {
  size_t d;        /* vector size, >= 1 */
  unsigned epochs; /* passes over the non-zeros, >= 1 */
  double x_max, alpha, eta;
  uint64_t seed;
  /* optional progress: called after each epoch with (epoch done, epochs, cost of that
   * epoch); NULL for none */
  void (*tick)(void *arg, unsigned done, unsigned total, double cost);
  void *tick_arg;
};

/* glove.c's defaults: d 50, epochs 25, x_max 100, alpha 0.75, eta 0.05; seed 1, no tick. */
void dp_glove_opts_default(struct dp_glove_opts *o);

/* Fit to X (V x V, entries >= 0 and finite; only entries > 0 enter the cost).  Refused
 * (GSL_EINVAL, the reason naming the entry or the option): a negative, NaN or Inf entry, no
 * positive entry, a non-square X (GSL_EBADLEN), V above 2^32 - 1, d = 0, epochs = 0,
 * x_max or eta not finite and positive, alpha not finite and >= 0.
 *
 * The non-zeros are enumerated row-major (row, then column ascending) from either storage,
 * so dense and sparse X give the same bits.  Each epoch first shuffles the visiting order
 * (Fisher-Yates over the previous epoch's order, with the stream that drew the
 * initialisation), then visits every non-zero once and, as glove.c does, for the current
 * parameters computes diff = w_i . w~_j + b_i + b~_j - log X_ij and fdiff = f(X_ij) diff,
 * adds 0.5 fdiff diff to the epoch's cost, and with g = eta fdiff moves each of w_i, w~_j,
 * b_i, b~_j against its gradient component (g w~_j, g w_i, g, g) divided by the square root
 * of its accumulator, then adds that component squared to the accumulator (glove.c's
 * accumulators hold squares of eta times the gradient, starting at 1; the later revision's
 * clipping of gradient components at 100 and its bias step without eta are not followed).
 *
 * cost (may be NULL) gets opts->epochs values: the sum of 0.5 f diff^2 accumulated during
 * each epoch, each term before its own update (glove.c prints the same sum divided by the
 * number of non-zeros).  *out is the caller's (dp_glove_free); NULL on failure.  A NaN or
 * Inf reached during the fit (a step size far too large) fails with GSL_ERUNAWAY. */
int dp_glove_fit(const dp_smat *X, const struct dp_glove_opts *o, struct dp_glove **out,
                 double *cost);

/* Wrap vectors read from a file (io.h's dp_io_vectors_read): W (V x d, V, d >= 1) required;
 * Wc (V x d), b, bc (V) may be NULL (GloVe's -model 1 or 2 files give W only): Wc = W and
 * b = bc = 0 then, so S = W W^T.  Copies.  Refused: a shape that disagrees with W's
 * (GSL_EBADLEN), a NaN or Inf value (GSL_EINVAL). */
int dp_glove_from_vectors(const gsl_matrix *W, const gsl_matrix *Wc, const gsl_vector *b,
                          const gsl_vector *bc, struct dp_glove **out);
void dp_glove_free(struct dp_glove *g);

/* The symmetrised operator's entries S_ab = (P_ab + P_ba) / 2, for a in rows (nr >= 1), b in
 * cols (nc >= 1), all < V, into a new nr x nc matrix *out.  P_ab = (w_a . w~_b + b_a) + b~_b,
 * the dot product summed k = 0, ..., d - 1 in that order; S_ab = 0.5 (P_lo,hi + P_hi,lo)
 * with lo = min(a, b), hi = max(a, b), so S_ab == S_ba bitwise. */
int dp_glove_gather(const struct dp_glove *g, const size_t *rows, size_t nr,
                    const size_t *cols, size_t nc, gsl_matrix **out);

/* How much of log X the model explains, over the nnz positive entries of X (V x V, the same
 * checks as dp_glove_fit's, V = g->V):
 *   weighted = 1 - sum f(X)(P - log X)^2 / sum f(X)(log X - mean_f)^2, mean_f the f-weighted
 *              mean of log X, f with x_max and alpha (opts' defaults: 100, 0.75);
 *   plain    = the same with weight 1;
 *   sym_weighted = weighted with S (dp_glove_gather's entries) in place of P;
 * P the unsymmetrised prediction.  A share whose denominator is 0 (log X constant over the
 * non-zeros) is NaN.  Sums are compensated. */
struct dp_glove_explained {
  double weighted, plain, sym_weighted;
  size_t nnz;
};
int dp_glove_explained(const struct dp_glove *g, const dp_smat *X,
                       struct dp_glove_explained *out);

#endif
