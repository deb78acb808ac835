/* spectral.h: symmetric eigen-decomposition, numerical rank, PSD test, Cauchy interlacing.
 *
 * Paper: spectral inheritance of M = Q S Q^T from S (claim C04).  Eigenvalues are returned
 * in descending order, lambda_1 >= ... >= lambda_n (the order of CLAIMS.md). */
#ifndef DP_SPECTRAL_H
#define DP_SPECTRAL_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

/* Eigenvalues of symmetric A (n x n) in eval, descending; eigenvectors in evec's columns when
 * evec is not NULL.  A is not modified (GSL's symmv works on a copy). */
int dp_spectral_eigen(const gsl_matrix *A, gsl_vector *eval, gsl_matrix *evec);
/* Backward residual of an eigen-decomposition as a test ratio:
 * ||A U - U L||_F / (n * eps * ||A||_F). */
int dp_spectral_eigen_ratio(const gsl_matrix *A, const gsl_vector *eval, const gsl_matrix *evec,
                            double *ratio);
/* The rank threshold DP_RANK_SAFETY * n * eps * norm2 (norm2: the scale's 2-norm). */
double dp_spectral_rank_tol(size_t n, double norm2);
/* Number of |eval_i| > tol. */
size_t dp_spectral_rank(const gsl_vector *eval, double tol);
/* PSD test: lambda_min and the ratio max(0, -lambda_min) / (n * eps * scale), scale = the
 * 2-norm that bounds the rounding of A's entries and of the eigensolver. */
int dp_spectral_psd(const gsl_matrix *A, double scale, double *lambda_min, double *ratio);
/* Cauchy interlacing of an R x R principal submatrix M of V x V S (R <= V), both spectra
 * descending: lS_k >= lM_k >= lS_{k+V-R}.  Returns the worst violation as a ratio
 * max(0, lM_k - lS_k, lS_{k+V-R} - lM_k) / (V * eps * scale); *where = its k (0-based). */
int dp_spectral_interlacing(const gsl_vector *lS, const gsl_vector *lM, double scale,
                            double *ratio, size_t *where);

#endif
