/* resid.h: residuals as LAPACK-style test ratios, exact comparisons and slacks.
 *
 * Paper: every identity claim (docs/architecture.md, "How a claim is judged").  The ratio is
 * r = ||LHS - RHS||_F / (n * eps * scale), with n the inner dimension of the products and
 * scale the norm product that bounds their rounding; it is compared with DP_TOL_RATIO. */
#ifndef DP_RESID_H
#define DP_RESID_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>

/* r = diff / (n * eps * scale).  diff == 0 gives 0 (exact agreement needs no scale); a NaN or
 * Inf anywhere, or a non-zero diff against a zero scale, gives DP_RATIO_FAIL. */
double dp_resid_ratio(double diff, double n, double scale);
/* The part of a residual beyond what a premise allows exactly (e.g. the eigenvalues a rank
 * threshold drops, which no realisation of rank r reproduces): max(0, diff - allowed).  A NaN
 * or infinite diff is returned as it is, and an allowance that is NaN or infinite gives NaN,
 * so that they still fail (fmax(0, NaN) would be 0: a pass). */
double dp_resid_excess(double diff, double allowed);
/* Frobenius norm of A, and of A - B (or A - B^T when transB); NaN if any entry is NaN/Inf. */
double dp_resid_norm(const gsl_matrix *A);
double dp_resid_diff(const gsl_matrix *A, const gsl_matrix *B, int transB);
/* Ratio of A against B in one call. */
double dp_resid_matrix_ratio(const gsl_matrix *A, const gsl_matrix *B, int transB, double n,
                             double scale);
/* Exact comparison: entries that differ under == (NaN never matches; +0 and -0 match).
 * *where (may be NULL) = the first mismatch, row-major index i * n2 + j. */
size_t dp_resid_mismatch(const gsl_matrix *A, const gsl_matrix *B, int transB, size_t *where);
/* Bitwise comparison of two doubles' representations (for "gathered, not computed"). */
int dp_resid_same_bits(double a, double b);
/* Slack of a bound: (bound - value) / |bound|; bound - value when bound == 0 (so a value above a
 * zero bound is a violation); -Inf when either is NaN. */
double dp_resid_slack(double bound, double value);
/* True when every entry is finite. */
int dp_resid_finite(const gsl_matrix *A);

#endif
