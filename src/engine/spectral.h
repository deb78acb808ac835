/* spectral.h: the engine's spectral work: the symmetric eigen-decomposition (with its sign
 * split and |lambda| order), the singular value decomposition, numerical rank, the
 * pseudo-inverse, the Eckart-Young tail, the PSD test and Cauchy interlacing.
 *
 * Paper: spectral inheritance of M = Q S Q^T from S (claim C04), the realisation of S by
 * Transformer weights (C08), its Eckart-Young truncation (C09), the values W_E^+ S (C10) and
 * the floating-point view of C05's constraint systems, and the head of the spectrum of S at a
 * real vocabulary (30,000-150,000 words).  Two LAPACK drivers (through LAPACKE) do the dense
 * work: dsyevd for symmetric eigenproblems and dgesdd for singular values and vectors; ARPACK
 * (implicitly restarted Lanczos, dsaupd/dseupd) finds the k eigenpairs largest in |lambda| of
 * a large sparse S through its CSR mat-vec, never densifying it (dp_spectral_topk).
 * Eigenvalues and singular values are returned in descending order, lambda_1 >= ... >=
 * lambda_n (the order of the claims' statements), except dp_spectral_topk's, in |lambda|
 * order.  Functions that can fail return a GSL status and record the reason through dp_err
 * (err.h); none modifies its input. */
#ifndef DP_SPECTRAL_H
#define DP_SPECTRAL_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "smat.h"

/* --- symmetric eigen-decomposition ------------------------------------------------------ */

/* Eigenvalues of symmetric A (n x n, n >= 1, finite; only the lower triangle is read) into
 * eval (n entries, contiguous), descending; eigenvectors into evec's columns (n x n) when
 * evec is not NULL.  LAPACK's dsyevd on a copy.  (GSL's symmetric QR never terminates on
 * some rank-deficient sparse matrices, e.g. a generated PPMI operator with V = 160 and 122
 * non-zeros: their tridiagonal form carries cascades of tiny off-diagonal entries that its
 * relative deflation test never removes.) */
int dp_spectral_eigen(const gsl_matrix *A, gsl_vector *eval, gsl_matrix *evec);
/* Backward residual of an eigen-decomposition as a test ratio: A (n x n), k <= n pairs in
 * eval (k) and evec (n x k); *ratio = ||A U - U L||_F / (n * eps * ||A||_F). */
int dp_spectral_eigen_ratio(const gsl_matrix *A, const gsl_vector *eval, const gsl_matrix *evec,
                            double *ratio);

/* S = U L U^T with the sign split and the |lambda| order. */
struct dp_spectral_eig {
  size_t V;
  gsl_vector *eval; /* V eigenvalues of S, descending */
  gsl_matrix *evec; /* V x V, column j belongs to eval_j */
  size_t *order;    /* V indices of eval by |lambda| descending (ties: the lower index first) */
  double norm2;     /* ||S||_2 = max |lambda| */
  double tol;       /* rank threshold dp_spectral_rank_tol(V, norm2) */
  size_t rank;      /* #{|lambda| > tol}: the numerical rank r */
  size_t npos;      /* #{lambda > tol} */
  size_t nneg;      /* #{lambda < -tol} */
};
/* Decompose symmetric S (V x V, V >= 1, finite) by dp_spectral_eigen into *e (on failure
 * *e is left empty).  Free with dp_spectral_eig_free (NULL and an empty *e are fine). */
int dp_spectral_eig_make(const gsl_matrix *S, struct dp_spectral_eig *e);
void dp_spectral_eig_free(struct dp_spectral_eig *e);
/* ||S - S_r||_F: the 2-norm of the eigenvalues at or under the rank threshold, which a rank-r
 * realisation leaves out (up to V - r of them, each up to tol: far more than rounding when
 * many sit just under it). */
double dp_spectral_dropped(const struct dp_spectral_eig *e);
/* sum of |lambda_j| over the first k (k may exceed V: all of them, the nuclear norm ||S||_*)
 * of e's |lambda| order. */
double dp_spectral_eig_nuclear(const struct dp_spectral_eig *e, size_t k);

/* --- the head of the spectrum of a large symmetric operator ---------------------------- */

/* Largest V for which DP_TOPK_AUTO decomposes a dense copy (dsyevd) rather than iterating
 * (ARPACK): at 2000 the copy and its eigenvectors take 64 MB; dsyevd's time grows as V^3,
 * the Lanczos iteration's with the mat-vecs (a few hundred, each of cost nnz(S)). */
#define DP_TOPK_DENSE_MAX 2000

enum dp_topk_method { DP_TOPK_AUTO, DP_TOPK_ARPACK, DP_TOPK_LAPACK };
struct dp_topk_info {
  const char *method; /* "arpack" or "dsyevd" */
  size_t matvecs;     /* ARPACK's operator applications (0 for dsyevd) */
  size_t restarts;    /* ARPACK's implicit restarts (iparam[2] after the run; 0 for dsyevd) */
  size_t ncv;         /* Lanczos basis size used (0 for dsyevd) */
};
/* The k eigenpairs (1 <= k <= V) of the symmetric V x V S (dense or sparse; finite; S must
 * equal S^T, which is NOT re-checked here beyond what the caller states) largest in
 * |lambda|: eval (k entries) ordered by |lambda| descending, ties the larger lambda first;
 * evec (V x k, may be NULL) the unit eigenvectors in the same order, each with its sign
 * fixed so that its entry of largest magnitude (the first such) is positive.
 * DP_TOPK_ARPACK: dsaupd/dseupd, which = "LM", mode 1, tol = 0 (machine precision),
 * ncv = min(V, max(2k + 1, 20)), maxiter 3000 restarts, the start vector drawn from
 * dp_rng seeded by `seed` (so a seed gives the same bits); needs k < V (else GSL_EINVAL).
 * A run that does not converge fails (GSL_EMAXITER) with the count converged.
 * DP_TOPK_LAPACK: dsyevd on a dense copy (refused with GSL_ENOMEM when V x V would exceed
 * dp_smat_dense_limit, naming the size).  DP_TOPK_AUTO: LAPACK when V <= DP_TOPK_DENSE_MAX
 * or k == V, else ARPACK.  info may be NULL.
 * Refusals: k = 0 or k > V (GSL_EINVAL), S not square (GSL_ENOTSQR), a stored entry of S
 * that is NaN or infinite (GSL_EINVAL naming it), eval or evec of the wrong size
 * (GSL_EBADLEN).  ARPACK keeps state between calls in static storage: not reentrant, and
 * where the Lanczos process meets an invariant subspace (an exactly repeated eigenvalue, a
 * reducible S) ARPACK draws the next vector from its own stream, seeded once per process, so
 * the bits of such a run may depend on the runs before it. */
int dp_spectral_topk(const dp_smat *S, size_t k, enum dp_topk_method m, uint64_t seed,
                     gsl_vector *eval, gsl_matrix *evec, struct dp_topk_info *info);
/* Residual of k computed pairs as a test ratio, on dense or sparse S (no densifying):
 * max_j ||S v_j - lambda_j v_j||_2 / (V * eps * ||S||_F). */
int dp_spectral_topk_ratio(const dp_smat *S, const gsl_vector *eval, const gsl_matrix *evec,
                           double *ratio);

/* --- singular value decomposition ------------------------------------------------------- */

/* The thin SVD A = U diag(s) Vt of A (m x n, m, n >= 1, finite; any shape), p = min(m, n):
 * s (p entries, contiguous) descending; with U (m x p) and Vt (p x n) both given, the
 * singular vectors too (orthonormal columns of U, rows of Vt); with both NULL, the values
 * only.  LAPACK's divide and conquer (dgesdd) on a copy of A, unscaled: dgesdd scales a
 * matrix whose largest entry lies outside about [1e-138, 1e138] itself, and converged at
 * every scale from 2^-1060 to 2^1000 on symmetric Gaussians (n <= 150, dense and sparse),
 * where GSL's Golub-Kahan SVD failed to converge on nearly all of them at 2^400 and beyond
 * unless scaled first.  Where dgesdd does not converge (its divide and conquer fails on some
 * matrices whose singular values cluster: [U_r V_r] of two orthonormal blocks, 154 x 222, in
 * C15's sweep), LAPACK's QR iteration dgesvd is run instead; non-convergence of both is
 * returned (GSL_EMAXITER), never hidden. */
int dp_spectral_svd(const gsl_matrix *A, gsl_vector *s, gsl_matrix *U, gsl_matrix *Vt);
/* The Eckart-Young tail sqrt(sum_{i>k} sigma_i^2) (i 1-based; sigma descending, any length),
 * without overflow or underflow (dnrm2); 0 for k >= sigma->size or sigma NULL. */
double dp_spectral_ey_tail(const gsl_vector *sigma, size_t k);
/* Moore-Penrose pseudo-inverse Ap (n x m) of A (m x n, finite) by dp_spectral_svd, the
 * singular values above dp_spectral_rank_tol(max(m, n), sigma_1) inverted, the rest dropped.
 * *rank (may be NULL) = how many were kept; *cond (may be NULL) = sigma_1 / sigma_rank (1 when
 * rank is 0). */
int dp_spectral_pinv(const gsl_matrix *A, gsl_matrix *Ap, size_t *rank, double *cond);

/* --- rank, definiteness, interlacing ---------------------------------------------------- */

/* The rank threshold DP_RANK_SAFETY * n * eps * norm2 (n: the dimension; norm2: the scale's
 * 2-norm). */
double dp_spectral_rank_tol(size_t n, double norm2);
/* Number of |eval_i| > tol (eval: any length). */
size_t dp_spectral_rank(const gsl_vector *eval, double tol);
/* The numerical rank of symmetric A (n x n, n >= 1, finite) from its eigenvalues alone, with
 * dp_spectral_eig_make's threshold dp_spectral_rank_tol(n, max |lambda|). */
int dp_spectral_sym_rank(const gsl_matrix *A, size_t *rank);
/* PSD test of symmetric A (n x n): lambda_min and the ratio max(0, -lambda_min) /
 * (n * eps * scale), scale = the 2-norm that bounds the rounding of A's entries and of the
 * eigensolver. */
int dp_spectral_psd(const gsl_matrix *A, double scale, double *lambda_min, double *ratio);
/* Cauchy interlacing of an R x R principal submatrix M of V x V S (R <= V), both spectra
 * descending (lS: V entries, lM: R): lS_k >= lM_k >= lS_{k+V-R}.  Returns the worst violation
 * as a ratio max(0, lM_k - lS_k, lS_{k+V-R} - lM_k) / (V * eps * scale); *where = its k
 * (0-based; may be NULL). */
int dp_spectral_interlacing(const gsl_vector *lS, const gsl_vector *lM, double scale,
                            double *ratio, size_t *where);

#endif
