/* certify.h: decisions without rounding for the exact tier's certified kind: positive
 * semidefiniteness of a symmetric integer matrix decided exactly (an LDL^T over the
 * rationals, FLINT's fmpq), and eigenvalue enclosures of a symmetric integer matrix that are
 * proved to hold (Arb's ball arithmetic), with comparisons that say "certified", "refuted" or
 * "undecided" instead of judging a difference against a tolerance.
 *
 * A ball [m - r, m + r] is an enclosure: the true value lies in it, whatever rounding the
 * computation did.  An inequality between two enclosed quantities is certified when the
 * balls are ordered, refuted when they are ordered the other way, and undecided when they
 * overlap; nothing in between is ever taken as true. */
#ifndef DP_CERTIFY_H
#define DP_CERTIFY_H

#include <stddef.h>
#include <flint/fmpz.h>
#include <flint/fmpz_mat.h>
#include <arb.h>
#include <arb_mat.h>

/* The outcome of a certified comparison. */
enum dp_cert { DP_CERT_REFUTED = 0, DP_CERT_HOLDS = 1, DP_CERT_UNDECIDED = -1 };

/* Working precision of the enclosures, in bits (doubled twice before giving up). */
#define DP_CERT_PREC 128

/* Is the symmetric integer matrix A (n x n) positive semidefinite?  Decided exactly: an
 * LDL^T with diagonal pivoting over the rationals.  A positive pivot is eliminated (A is PSD
 * iff its Schur complement is); a negative diagonal entry of what is left refutes it (e_i^T A
 * e_i < 0 for the vector the elimination maps to e_i); when every diagonal entry left is 0 the
 * rest must be 0 (a zero diagonal with a non-zero entry in its row gives x^T A x < 0 on two
 * coordinates).  Returns 1 (PSD) or 0, with the reason in why (n bytes; may be NULL), and the
 * rank of A in *rank when PSD (may be NULL); -1 when A is larger than the certified checks
 * take (64 x 64).  Only the lower triangle is read; A must be symmetric. */
int dp_cert_psd(const fmpz_mat_t A, char *why, size_t n, slong *rank);

/* Certified enclosures of the eigenvalues of the symmetric integer matrix A (n x n, n >= 1):
 * lam (n balls, arb_vec) gets them in descending order, each ball holding exactly one
 * eigenvalue, the balls pairwise disjoint.  Arb's QR iteration gives approximations; Rump's
 * verification (acb_mat_eig_simple_rump) proves the enclosures, and succeeds only when the
 * eigenvalues are simple and separated at the precision tried (DP_CERT_PREC, then 2x, 4x).
 * Returns 1, or 0 when the enclosures could not be separated (repeated or clustered
 * eigenvalues): the caller's question is then undecided. */
int dp_cert_eig_sym(arb_ptr lam, const fmpz_mat_t A);

/* As dp_cert_eig_sym, and proj (an array of n arb_mats, each n x n, initialised by the caller)
 * gets the enclosure of the orthogonal projector onto eigenvalue lam_i's eigenvector,
 * P_i = r r^* / (r^* r) for any enclosure r of that eigenvector: the projector does not
 * depend on r's scaling (complex or not), and its entries are real (the real part of the
 * computed ball is kept, which holds the true entry). */
int dp_cert_eig_sym_proj(arb_ptr lam, arb_mat_struct *proj, const fmpz_mat_t A);

/* a >= b: certified (DP_CERT_HOLDS) when every point of a is >= every point of b, refuted
 * when every point of a is < every point of b, undecided when they overlap otherwise. */
enum dp_cert dp_cert_ge(const arb_t a, const arb_t b);

/* Cauchy interlacing of a principal submatrix's eigenvalues: lS (n, descending) and lM (m,
 * descending, m <= n) enclosures; lambda_k(S) >= lambda_k(M) >= lambda_{k+n-m}(S) for every
 * k.  HOLDS when every inequality is certified, REFUTED when one is refuted (the first in
 * *k, 0-based, and *side 0 for the left inequality, 1 for the right), UNDECIDED otherwise
 * (the first undecided one in *k, *side).  k and side may be NULL. */
enum dp_cert dp_cert_interlace(arb_srcptr lS, slong n, arb_srcptr lM, slong m, slong *k,
                               int *side);

/* out := sum of lambda^2 over the eigenvalue enclosures of one sign (sign < 0: the negative
 * ones, sign > 0: the positive ones).  With total (may be NULL) = ||A||_F^2 = sum of all
 * lambda^2, exact, the ball is intersected with total minus the other sign's sum: an empty
 * sum is then exactly 0 on one side and the total exactly on the other (a definite A attains
 * a bound with equality, which balls alone could never decide).  Returns 1; 0 when a ball
 * holds 0 (its sign is not decided; out is then indeterminate); -1 when the two routes do not
 * meet (the enclosures are wrong: an engine error). */
int dp_cert_sq_sum(arb_t out, arb_srcptr lam, slong n, int sign, const fmpz_t total);

/* ||A||_F^2 of an integer matrix, exactly. */
void dp_cert_frob2(fmpz_t out, const fmpz_mat_t A);

#endif
