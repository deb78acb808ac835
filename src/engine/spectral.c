/* spectral.c: the engine's spectral work, on two LAPACK drivers (through LAPACKE).
 *
 * Symmetric eigenproblems go to dsyevd (divide and conquer), singular values and vectors to
 * dgesdd; GSL's eigensolver and SVD stay out of the engine (tests/check_spectral.c uses them
 * as independent cross-checks).  On top of the two drivers: the eigen-decomposition with its
 * sign split and |lambda| order (claims C08-C10), the Eckart-Young tail (C09), the
 * pseudo-inverse (C10), numerical rank (DP_RANK_SAFETY n eps ||A||_2, tol.h), and for claim
 * C04, the spectral inheritance of M = Q S Q^T from S: M is a principal submatrix of S when
 * the tokens are distinct, so its eigenvalues interlace those of S
 * (lambda_k(S) >= lambda_k(M) >= lambda_{k+V-R}(S)), it is positive semi-definite when S is,
 * and its rank is at most that of S.  Eigenvalues and singular values are returned in
 * descending order, the order of the claims' statements.  dsyevd reads only the diagonal and the lower
 * triangle of A; A is not required to be exactly symmetric (a claim that needs symmetry
 * checks it separately, C03), and dp_spectral_eigen_ratio measures A U - U L with the whole
 * of A, so an asymmetric A shows up there.  Both drivers run on a copy; a LAPACK failure
 * (non-convergence, a rejected argument, LAPACKE's workspace allocation) comes back as a GSL
 * status with its reason.  Every violation is turned into a test ratio through
 * dp_resid_ratio and every threshold comes from tol.h.
 *
 * The head of the spectrum of a large sparse S (dp_spectral_topk) goes to ARPACK's implicitly
 * restarted Lanczos (dsaupd, then dseupd for the Ritz vectors) through reverse
 * communication: ARPACK asks for y = S x and smat's CSR mat-vec answers, so S is never
 * densified; below DP_TOPK_DENSE_MAX the same request goes to dsyevd on a dense copy, which
 * is also the cross-check of the ARPACK route in the tests. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <lapacke.h>

#include "args.h"
#include "err.h"
#include "numeric.h"
#include "resid.h"
#include "rng.h"
#include "smat.h"
#include "spectral.h"
#include "tol.h"

/* LAPACKE reports its argument and workspace errors by calling LAPACKE_xerbla, whose own
 * version prints to standard output, the stream of dpcheck's table (and of the tests' TAP).
 * This one prints nothing: the caller turns the same info into a GSL status with its reason
 * (lapack_status), so the error reaches the user through the engine's one error channel. */
void LAPACKE_xerbla(const char *name, lapack_int info)
{
  (void)name;
  (void)info;
}

/* LAPACKE's info as a GSL status, with the reason recorded. */
static int lapack_status(const char *who, const char *routine, lapack_int info, size_t m,
                         size_t n)
{
  if (info == 0)
    return GSL_SUCCESS;
  if (info == LAPACK_WORK_MEMORY_ERROR || info == LAPACK_TRANSPOSE_MEMORY_ERROR)
    return DP_ERROR(GSL_ENOMEM, "%s: %s: out of memory for the workspace (%zu x %zu)", who,
                    routine, m, n);
  if (info < 0)
    return DP_ERROR(GSL_EINVAL, "%s: %s rejected argument %d", who, routine, (int)-info);
  return DP_ERROR(GSL_EMAXITER, "%s: %s did not converge (info %d, %zu x %zu)", who, routine,
                  (int)info, m, n);
}

/* A non-NULL, square, non-empty A: GSL_EFAULT, GSL_ENOTSQR or GSL_EBADLEN otherwise. */
static int square_input(const char *who, const gsl_matrix *A)
{
  if (A == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: A is NULL", who);
  if (A->size2 != A->size1)
    return DP_ERROR(GSL_ENOTSQR, "%s: A is %zu x %zu, not square", who, A->size1, A->size2);
  if (A->size1 == 0)
    return DP_ERROR(GSL_EBADLEN, "%s: A is empty", who);
  return GSL_SUCCESS;
}

/* --- symmetric eigen-decomposition ------------------------------------------------------ */

int dp_spectral_eigen(const gsl_matrix *A, gsl_vector *eval, gsl_matrix *evec)
{
  static const char who[] = "dp_spectral_eigen";
  if (A == NULL || eval == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: A or eval is NULL", who);
  DP_TRY(square_input(who, A));
  size_t n = A->size1;
  if (eval->size != n)
    return DP_ERROR(GSL_EBADLEN, "%s: eval has %zu entries, expected %zu", who, eval->size, n);
  if (eval->stride != 1)
    return DP_ERROR(GSL_EBADLEN, "%s: eval must be contiguous", who);
  if (evec != NULL)
    DP_TRY(dp_args_shape(who, "evec", evec, n, n));
  /* LAPACK has no defined behaviour on NaN/Inf input. */
  if (!dp_resid_finite(A))
    return DP_ERROR(GSL_EDOM, "%s: A has a NaN or Inf entry", who);

  /* dsyevd on a copy: it scales badly scaled input itself, always terminates, and reports
   * non-convergence (info > 0).  Eigenvalues come back ascending; they and the eigenvector
   * columns are reversed to descending order. */
  gsl_matrix *work = gsl_matrix_alloc(n, n);
  if (work == NULL)
    return DP_ERROR(GSL_ENOMEM, "%s: cannot allocate a copy of A (%zu x %zu)", who, n, n);
  gsl_matrix_memcpy(work, A);
  lapack_int info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, evec != NULL ? 'V' : 'N', 'L',
                                   (lapack_int)n, work->data, (lapack_int)work->tda, eval->data);
  int status = lapack_status(who, "LAPACKE_dsyevd", info, n, n);
  if (status == GSL_SUCCESS) {
    gsl_vector_reverse(eval);
    if (evec != NULL)
      for (size_t j = 0; j < n; j++) {
        gsl_vector_view dst = gsl_matrix_column(evec, j);
        gsl_vector_const_view src = gsl_matrix_const_column(work, n - 1 - j);
        gsl_vector_memcpy(&dst.vector, &src.vector);
      }
  }
  gsl_matrix_free(work);
  return status;
}

/* U may hold k <= n eigenvectors (n x k, eval of length k). */
int dp_spectral_eigen_ratio(const gsl_matrix *A, const gsl_vector *eval, const gsl_matrix *evec,
                            double *ratio)
{
  static const char who[] = "dp_spectral_eigen_ratio";
  if (A == NULL || eval == NULL || evec == NULL || ratio == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: an argument is NULL", who);
  size_t n = A->size1;
  if (A->size2 != n)
    return DP_ERROR(GSL_ENOTSQR, "%s: A is %zu x %zu, not square", who, A->size1, A->size2);
  size_t k = eval->size;
  if (evec->size1 != n || evec->size2 != k || k == 0 || k > n)
    return DP_ERROR(GSL_EBADLEN, "%s: evec is %zu x %zu, expected %zu x %zu (A %zu x %zu)", who,
                    evec->size1, evec->size2, n, k, n, n);
  gsl_matrix *AU = gsl_matrix_alloc(n, k);
  gsl_matrix *UL = gsl_matrix_alloc(n, k);
  if (AU == NULL || UL == NULL) {
    gsl_matrix_free(AU);
    gsl_matrix_free(UL);
    return DP_ERROR(GSL_ENOMEM, "%s: cannot allocate two %zu x %zu matrices", who, n, k);
  }
  int status = gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, A, evec, 0.0, AU);
  if (status == GSL_SUCCESS) {
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < k; ++j)
        gsl_matrix_set(UL, i, j, gsl_matrix_get(evec, i, j) * gsl_vector_get(eval, j));
    *ratio = dp_resid_ratio(dp_resid_diff(AU, UL, 0), (double)n, dp_resid_norm(A));
  }
  gsl_matrix_free(AU);
  gsl_matrix_free(UL);
  return status;
}

struct absidx {
  double a;
  size_t i;
};

static int cmp_absidx(const void *p, const void *q)
{
  const struct absidx *x = p, *y = q;
  if (x->a != y->a)
    return x->a > y->a ? -1 : 1;
  return x->i < y->i ? -1 : 1; /* indices are distinct */
}

void dp_spectral_eig_free(struct dp_spectral_eig *e)
{
  if (!e)
    return;
  gsl_vector_free(e->eval);
  gsl_matrix_free(e->evec);
  free(e->order);
  memset(e, 0, sizeof *e);
}

double dp_spectral_dropped(const struct dp_spectral_eig *e)
{
  double s = 0.0, big = 0.0;
  if (!e || !e->eval)
    return 0.0;
  for (size_t j = 0; j < e->eval->size; j++) { /* scaled: no underflow of squares */
    double v = fabs(gsl_vector_get(e->eval, j));
    if (v <= e->tol && v > big)
      big = v;
  }
  if (big == 0.0)
    return 0.0;
  for (size_t j = 0; j < e->eval->size; j++) {
    double v = fabs(gsl_vector_get(e->eval, j));
    if (v <= e->tol)
      s += (v / big) * (v / big);
  }
  return big * sqrt(s);
}

int dp_spectral_eig_make(const gsl_matrix *S, struct dp_spectral_eig *e)
{
  static const char who[] = "dp_spectral_eig_make";
  if (!S || !e)
    return DP_ERROR(GSL_EFAULT, "%s: an argument is NULL", who);
  memset(e, 0, sizeof *e);
  DP_TRY(square_input(who, S));
  size_t V = S->size1;
  e->V = V;
  e->eval = gsl_vector_alloc(V);
  e->evec = gsl_matrix_alloc(V, V);
  e->order = malloc(V * sizeof *e->order);
  struct absidx *ai = malloc(V * sizeof *ai);
  int st = GSL_SUCCESS;
  if (!e->eval || !e->evec || !e->order || !ai)
    st = DP_ERROR(GSL_ENOMEM, "%s: out of memory (V = %zu)", who, V);
  if (st == GSL_SUCCESS)
    st = dp_spectral_eigen(S, e->eval, e->evec);
  if (st == GSL_SUCCESS) {
    for (size_t j = 0; j < V; j++) {
      ai[j].a = fabs(gsl_vector_get(e->eval, j));
      ai[j].i = j;
      e->norm2 = fmax(e->norm2, ai[j].a);
    }
    qsort(ai, V, sizeof *ai, cmp_absidx);
    e->tol = dp_spectral_rank_tol(V, e->norm2);
    for (size_t j = 0; j < V; j++) {
      double l = gsl_vector_get(e->eval, j);
      e->order[j] = ai[j].i;
      e->rank += fabs(l) > e->tol;
      e->npos += l > e->tol;
      e->nneg += l < -e->tol;
    }
  }
  free(ai);
  if (st != GSL_SUCCESS)
    dp_spectral_eig_free(e);
  return st;
}

double dp_spectral_eig_nuclear(const struct dp_spectral_eig *e, size_t k)
{
  double s = 0.0;
  for (size_t j = 0; j < k && j < e->V; j++)
    s += fabs(gsl_vector_get(e->eval, e->order[j]));
  return s;
}

/* --- singular value decomposition ------------------------------------------------------- */

int dp_spectral_svd(const gsl_matrix *A, gsl_vector *s, gsl_matrix *U, gsl_matrix *Vt)
{
  static const char who[] = "dp_spectral_svd";
  if (A == NULL || s == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: A or s is NULL", who);
  size_t m = A->size1, n = A->size2, p = m < n ? m : n;
  if (p == 0)
    return DP_ERROR(GSL_EBADLEN, "%s: A is empty (%zu x %zu)", who, m, n);
  if (s->size != p)
    return DP_ERROR(GSL_EBADLEN, "%s: s has %zu entries, expected min(m, n) = %zu", who,
                    s->size, p);
  if (s->stride != 1)
    return DP_ERROR(GSL_EBADLEN, "%s: s must be contiguous", who);
  if ((U == NULL) != (Vt == NULL))
    return DP_ERROR(GSL_EFAULT, "%s: U and Vt must both be given or both be NULL", who);
  if (U != NULL) {
    DP_TRY(dp_args_shape(who, "U", U, m, p));
    DP_TRY(dp_args_shape(who, "Vt", Vt, p, n));
  }
  if (!dp_resid_finite(A))
    return DP_ERROR(GSL_EDOM, "%s: A has a NaN or Inf entry", who);
  gsl_matrix *work = gsl_matrix_alloc(m, n);
  if (work == NULL)
    return DP_ERROR(GSL_ENOMEM, "%s: cannot allocate a copy of A (%zu x %zu)", who, m, n);
  gsl_matrix_memcpy(work, A);
  /* GSL's row-major m x n storage, read column-major, is A^T (n x m).  Its SVD
   * A^T = V diag(s) U^T gives LAPACK's u = V (n x p) and vt = U^T (p x m) in column-major
   * storage, which with ldu = tda(Vt) and ldvt = tda(U) is exactly Vt and U in GSL's
   * row-major storage: no transposed copies. */
  lapack_int info = LAPACKE_dgesdd(
      LAPACK_COL_MAJOR, U != NULL ? 'S' : 'N', (lapack_int)n, (lapack_int)m, work->data,
      (lapack_int)work->tda, s->data, U != NULL ? Vt->data : NULL,
      U != NULL ? (lapack_int)Vt->tda : 1, U != NULL ? U->data : NULL,
      U != NULL ? (lapack_int)U->tda : 1);
  if (info > 0) {
    /* divide and conquer did not converge (its dbdsdc fails on some matrices whose singular
     * values cluster, e.g. [U_r V_r] with two orthonormal blocks, 154 x 222): LAPACK's QR
     * iteration, dgesvd, on a fresh copy, the same storage trick */
    double *superb = malloc((p > 1 ? p - 1 : 1) * sizeof *superb);
    if (superb == NULL) {
      gsl_matrix_free(work);
      return DP_ERROR(GSL_ENOMEM, "%s: cannot allocate dgesvd's workspace", who);
    }
    gsl_matrix_memcpy(work, A);
    char job = U != NULL ? 'S' : 'N';
    info = LAPACKE_dgesvd(LAPACK_COL_MAJOR, job, job, (lapack_int)n, (lapack_int)m, work->data,
                          (lapack_int)work->tda, s->data, U != NULL ? Vt->data : NULL,
                          U != NULL ? (lapack_int)Vt->tda : 1, U != NULL ? U->data : NULL,
                          U != NULL ? (lapack_int)U->tda : 1, superb);
    free(superb);
    gsl_matrix_free(work);
    return lapack_status(who, "LAPACKE_dgesvd (after dgesdd did not converge)", info, m, n);
  }
  gsl_matrix_free(work);
  return lapack_status(who, "LAPACKE_dgesdd", info, m, n);
}

double dp_spectral_ey_tail(const gsl_vector *sigma, size_t k)
{
  if (!sigma || k >= sigma->size)
    return 0.0;
  gsl_vector_const_view tail = gsl_vector_const_subvector(sigma, k, sigma->size - k);
  return gsl_blas_dnrm2(&tail.vector);
}

int dp_spectral_pinv(const gsl_matrix *A, gsl_matrix *Ap, size_t *rank, double *cond)
{
  static const char who[] = "dp_spectral_pinv";
  if (A == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: A is NULL", who);
  size_t m = A->size1, n = A->size2, p = m < n ? m : n;
  if (p == 0)
    return DP_ERROR(GSL_EBADLEN, "%s: A is empty (%zu x %zu)", who, m, n);
  DP_TRY(dp_args_shape(who, "Ap", Ap, n, m));
  gsl_vector *s = gsl_vector_alloc(p);
  gsl_matrix *U = gsl_matrix_alloc(m, p), *Vt = gsl_matrix_alloc(p, n);
  int st = GSL_SUCCESS;
  if (!s || !U || !Vt)
    st = DP_ERROR(GSL_ENOMEM, "%s: out of memory (%zu x %zu)", who, m, n);
  if (st == GSL_SUCCESS)
    st = dp_spectral_svd(A, s, U, Vt);
  if (st == GSL_SUCCESS) {
    /* A^+ = V diag(1/s) U^T over the q singular values above the threshold:
     * Ap = (diag(1/s_q) Vt_q)^T U_q^T. */
    double s1 = gsl_vector_get(s, 0), tol = dp_spectral_rank_tol(m > n ? m : n, s1);
    size_t q = 0;
    while (q < p && gsl_vector_get(s, q) > tol)
      q++;
    gsl_matrix_set_zero(Ap);
    if (q) {
      for (size_t j = 0; j < q; j++) {
        gsl_vector_view row = gsl_matrix_row(Vt, j);
        gsl_vector_scale(&row.vector, 1.0 / gsl_vector_get(s, j));
      }
      gsl_matrix_const_view Vq = gsl_matrix_const_submatrix(Vt, 0, 0, q, n);
      gsl_matrix_const_view Uq = gsl_matrix_const_submatrix(U, 0, 0, m, q);
      gsl_blas_dgemm(CblasTrans, CblasTrans, 1.0, &Vq.matrix, &Uq.matrix, 0.0, Ap);
    }
    if (rank)
      *rank = q;
    if (cond)
      *cond = q ? s1 / gsl_vector_get(s, q - 1) : 1.0;
  }
  gsl_vector_free(s);
  gsl_matrix_free(U);
  gsl_matrix_free(Vt);
  return st;
}

/* --- rank, definiteness, interlacing ---------------------------------------------------- */

double dp_spectral_rank_tol(size_t n, double norm2)
{
  return DP_RANK_SAFETY * (double)n * DBL_EPSILON * norm2;
}

/* A NaN eigenvalue is not counted (|NaN| > tol is false); dp_spectral_eigen refuses NaN input,
 * so its eigenvalues are finite. */
size_t dp_spectral_rank(const gsl_vector *eval, double tol)
{
  if (eval == NULL) {
    DP_ERROR(GSL_EFAULT, "dp_spectral_rank: eval is NULL");
    return 0;
  }
  size_t r = 0;
  for (size_t i = 0; i < eval->size; ++i)
    if (fabs(gsl_vector_get(eval, i)) > tol)
      ++r;
  return r;
}

int dp_spectral_psd(const gsl_matrix *A, double scale, double *lambda_min, double *ratio)
{
  static const char who[] = "dp_spectral_psd";
  if (A == NULL || lambda_min == NULL || ratio == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: an argument is NULL", who);
  DP_TRY(square_input(who, A));
  size_t n = A->size1;
  gsl_vector *eval = gsl_vector_alloc(n);
  if (eval == NULL)
    return DP_ERROR(GSL_ENOMEM, "%s: cannot allocate %zu eigenvalues", who, n);
  int status = dp_spectral_eigen(A, eval, NULL);
  if (status == GSL_SUCCESS) {
    double lmin = gsl_vector_get(eval, n - 1); /* descending: the last is the smallest */
    *lambda_min = lmin;
    *ratio = dp_resid_ratio(lmin < 0.0 ? -lmin : 0.0, (double)n, scale);
  }
  gsl_vector_free(eval);
  return status;
}

int dp_spectral_interlacing(const gsl_vector *lS, const gsl_vector *lM, double scale,
                            double *ratio, size_t *where)
{
  static const char who[] = "dp_spectral_interlacing";
  if (lS == NULL || lM == NULL || ratio == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: an argument is NULL", who);
  size_t V = lS->size, R = lM->size;
  if (R == 0 || R > V)
    return DP_ERROR(GSL_EBADLEN, "%s: spectra of lengths R = %zu and V = %zu, need 1 <= R <= V",
                    who, R, V);
  /* A NaN/Inf eigenvalue makes the residual unmeasurable: ratio DP_RATIO_FAIL there. */
  for (size_t k = 0; k < V; ++k) {
    if (!isfinite(gsl_vector_get(lS, k)) || (k < R && !isfinite(gsl_vector_get(lM, k)))) {
      *ratio = DP_RATIO_FAIL;
      if (where != NULL)
        *where = k < R ? k : R - 1;
      return GSL_SUCCESS;
    }
  }
  for (size_t k = 1; k < V; ++k)
    if (gsl_vector_get(lS, k) > gsl_vector_get(lS, k - 1))
      return DP_ERROR(GSL_EINVAL, "%s: lS is not descending at k = %zu", who, k);
  for (size_t k = 1; k < R; ++k)
    if (gsl_vector_get(lM, k) > gsl_vector_get(lM, k - 1))
      return DP_ERROR(GSL_EINVAL, "%s: lM is not descending at k = %zu", who, k);
  double worst = 0.0;
  size_t kworst = 0;
  for (size_t k = 0; k < R; ++k) {
    double m = gsl_vector_get(lM, k);
    double above = m - gsl_vector_get(lS, k);         /* lM_k > lS_k */
    double below = gsl_vector_get(lS, k + V - R) - m; /* lM_k < lS_{k+V-R} */
    double v = above > below ? above : below;
    if (v > worst) {
      worst = v;
      kworst = k;
    }
  }
  *ratio = dp_resid_ratio(worst, (double)V, scale);
  if (where != NULL)
    *where = kworst;
  return GSL_SUCCESS;
}

int dp_spectral_sym_rank(const gsl_matrix *A, size_t *rank)
{
  if (A == NULL || rank == NULL)
    return DP_ERROR(GSL_EFAULT, "dp_spectral_sym_rank: NULL argument");
  gsl_vector *ev = gsl_vector_alloc(A->size1 ? A->size1 : 1);
  int st = dp_alloc_ok("dp_spectral_sym_rank", 1, (void *[]){ev});
  if (st == GSL_SUCCESS)
    st = dp_spectral_eigen(A, ev, NULL);
  if (st == GSL_SUCCESS) {
    double n2 = fmax(fabs(gsl_vector_get(ev, 0)), fabs(gsl_vector_get(ev, ev->size - 1)));
    *rank = dp_spectral_rank(ev, dp_spectral_rank_tol(A->size1, n2));
  }
  gsl_vector_free(ev);
  return st;
}

/* --- the head of the spectrum of a large symmetric operator ---------------------------- */

/* ARPACK's Fortran entry points, as gfortran passes them: every argument by reference, a
 * LOGICAL as a 4-byte int, and the length of each CHARACTER argument by value after the last
 * argument, in the order of the CHARACTER arguments (size_t since gfortran 8, which built
 * Debian 12's libarpack2).  INTEGER is 4 bytes (Debian's ARPACK is not built with 8-byte
 * integers). */
extern void dsaupd_(int *ido, const char *bmat, const int *n, const char *which, const int *nev,
                    const double *tol, double *resid, const int *ncv, double *v, const int *ldv,
                    int *iparam, int *ipntr, double *workd, double *workl, const int *lworkl,
                    int *info, size_t bmat_len, size_t which_len);
extern void dseupd_(const int *rvec, const char *howmny, int *select, double *d, double *z,
                    const int *ldz, const double *sigma, const char *bmat, const int *n,
                    const char *which, const int *nev, const double *tol, double *resid,
                    const int *ncv, double *v, const int *ldv, int *iparam, int *ipntr,
                    double *workd, double *workl, const int *lworkl, int *info,
                    size_t howmny_len, size_t bmat_len, size_t which_len);

/* The largest number of restarts ARPACK is given (iparam[2] on entry). */
#define TOPK_MAXITER 3000

/* One computed eigenvalue and where its vector is: the |lambda| order with its ties. */
struct topk_key {
  double l;
  size_t i;
};

/* |lambda| descending, ties the larger lambda first, then the lower index (a total order). */
static int cmp_topk(const void *p, const void *q)
{
  const struct topk_key *x = p, *y = q;
  double ax = fabs(x->l), ay = fabs(y->l);
  if (ax != ay)
    return ax > ay ? -1 : 1;
  if (x->l != y->l)
    return x->l > y->l ? -1 : 1;
  return (x->i > y->i) - (x->i < y->i);
}

/* Column j of evec negated unless its entry of largest magnitude (the first such) is
 * positive. */
static void topk_fix_sign(gsl_matrix *evec, size_t j)
{
  size_t V = evec->size1, at = 0;
  double big = -1.0;
  for (size_t i = 0; i < V; i++) {
    double a = fabs(gsl_matrix_get(evec, i, j));
    if (a > big) {
      big = a;
      at = i;
    }
  }
  if (gsl_matrix_get(evec, at, j) < 0.0) {
    gsl_vector_view c = gsl_matrix_column(evec, j);
    gsl_vector_scale(&c.vector, -1.0);
  }
}

/* GSL_EINVAL naming the first stored entry of S that is NaN or infinite. */
static int topk_finite(const char *who, const dp_smat *S)
{
  if (S->kind == DP_SMAT_DENSE) {
    for (size_t i = 0; i < S->n1; i++)
      for (size_t j = 0; j < S->n2; j++) {
        double x = gsl_matrix_get(S->d, i, j);
        if (!isfinite(x))
          return DP_ERROR(GSL_EINVAL, "%s: S(%zu, %zu) = %g is not finite", who, i, j, x);
      }
    return GSL_SUCCESS;
  }
  const gsl_spmatrix *s = S->s;
  for (size_t i = 0; i < S->n1; i++)
    for (int q = s->p[i]; q < s->p[i + 1]; q++)
      if (!isfinite(s->data[q]))
        return DP_ERROR(GSL_EINVAL, "%s: S(%zu, %d) = %g is not finite", who, i, s->i[q],
                        s->data[q]);
  return GSL_SUCCESS;
}

/* dsyevd on a dense copy of S: every eigenvalue, the k first of the |lambda| order kept. */
static int topk_lapack(const char *who, const dp_smat *S, size_t k, gsl_vector *eval,
                       gsl_matrix *evec)
{
  size_t V = S->n1;
  /* the copy dsyevd works on (and the eigenvectors as large): refused before allocating */
  if (V > SIZE_MAX / V / sizeof(double) || V * V * sizeof(double) > dp_smat_dense_limit)
    return DP_ERROR(GSL_ENOMEM,
                    "%s: dsyevd needs a dense %zu x %zu copy of S, over the limit "
                    "dp_smat_dense_limit = %zu bytes",
                    who, V, V, dp_smat_dense_limit);
  gsl_matrix *D = NULL;
  if (S->kind == DP_SMAT_SPARSE)
    DP_TRY(dp_smat_to_dense(S, &D));
  const gsl_matrix *A = S->kind == DP_SMAT_SPARSE ? D : S->d;
  gsl_vector *all = gsl_vector_alloc(V);
  gsl_matrix *U = evec != NULL ? gsl_matrix_alloc(V, V) : NULL;
  struct topk_key *key = malloc(V * sizeof *key);
  int st = GSL_SUCCESS;
  if (all == NULL || key == NULL || (evec != NULL && U == NULL))
    st = DP_ERROR(GSL_ENOMEM, "%s: out of memory for %zu eigenpairs", who, V);
  if (st == GSL_SUCCESS)
    st = dp_spectral_eigen(A, all, U);
  if (st == GSL_SUCCESS) {
    for (size_t j = 0; j < V; j++)
      key[j] = (struct topk_key){gsl_vector_get(all, j), j};
    qsort(key, V, sizeof *key, cmp_topk);
    for (size_t j = 0; j < k; j++) {
      gsl_vector_set(eval, j, key[j].l);
      if (evec != NULL) {
        gsl_vector_view dst = gsl_matrix_column(evec, j);
        gsl_vector_const_view src = gsl_matrix_const_column(U, key[j].i);
        gsl_vector_memcpy(&dst.vector, &src.vector);
        topk_fix_sign(evec, j);
      }
    }
  }
  free(key);
  gsl_matrix_free(U);
  gsl_vector_free(all);
  gsl_matrix_free(D);
  return st;
}

/* dsaupd/dseupd with S's mat-vec as the operator (mode 1, which = "LM"). */
static int topk_arpack(const char *who, const dp_smat *S, size_t k, uint64_t seed,
                       gsl_vector *eval, gsl_matrix *evec, struct dp_topk_info *info)
{
  size_t V = S->n1;
  size_t ncv_z = 2 * k + 1 > 20 ? 2 * k + 1 : 20;
  if (ncv_z > V)
    ncv_z = V;
  /* ARPACK counts in 4-byte integers: n, ncv and its workspace ncv (ncv + 8) must fit */
  if (V > INT_MAX || ncv_z > (size_t)INT_MAX / (ncv_z + 8))
    return DP_ERROR(GSL_EINVAL, "%s: V = %zu with ncv = %zu exceeds ARPACK's int sizes", who, V,
                    ncv_z);
  if (ncv_z > SIZE_MAX / sizeof(double) / V)
    return DP_ERROR(GSL_ENOMEM, "%s: a %zu x %zu Lanczos basis exceeds SIZE_MAX bytes", who, V,
                    ncv_z);
  int n = (int)V, nev = (int)k, ncv = (int)ncv_z, ldv = n, lworkl = ncv * (ncv + 8);
  double *resid = malloc(V * sizeof *resid);
  double *v = malloc(V * ncv_z * sizeof *v);
  double *workd = malloc(3 * V * sizeof *workd);
  double *workl = malloc((size_t)lworkl * sizeof *workl);
  double *d = malloc(ncv_z * sizeof *d);
  int *select = malloc(ncv_z * sizeof *select);
  struct topk_key *key = malloc(k * sizeof *key);
  int st = dp_alloc_ok(who, 7, (void *[]){resid, v, workd, workl, d, select, key});
  if (st != GSL_SUCCESS)
    goto done;

  /* the start vector: uniform on [-1, 1)^V from the seed's stream (info = 1: ARPACK takes
   * resid as given rather than drawing its own) */
  dp_rng rng;
  dp_rng_seed(&rng, seed);
  for (size_t i = 0; i < V; i++)
    resid[i] = 2.0 * dp_rng_uniform(&rng) - 1.0;
  int iparam[11] = {0}, ipntr[11] = {0}, ido = 0, ainfo = 1;
  iparam[0] = 1;             /* exact shifts */
  iparam[2] = TOPK_MAXITER;  /* restarts allowed */
  iparam[3] = 1;             /* block size (ARPACK supports 1 only) */
  iparam[6] = 1;             /* mode 1: A x = lambda x */
  const double tol = 0.0;    /* machine precision */
  size_t matvecs = 0;
  for (;;) {
    dsaupd_(&ido, "I", &n, "LM", &nev, &tol, resid, &ncv, v, &ldv, iparam, ipntr, workd, workl,
            &lworkl, &ainfo, 1, 2);
    if (ido != -1 && ido != 1)
      break;
    /* y = S x with x = workd(ipntr(1)), y = workd(ipntr(2)) (Fortran's 1-based offsets) */
    st = dp_smat_matvec(S, workd + ipntr[0] - 1, workd + ipntr[1] - 1);
    if (st != GSL_SUCCESS)
      goto done;
    matvecs++;
  }
  if (info != NULL) {
    info->matvecs = matvecs;
    info->restarts = iparam[2] > 0 ? (size_t)iparam[2] : 0;
  }
  if (ainfo == 1) {
    st = DP_ERROR(GSL_EMAXITER,
                  "%s: ARPACK did not converge in %d restarts: %d of %zu eigenpairs converged "
                  "(V = %zu, ncv = %d, %zu mat-vecs)",
                  who, TOPK_MAXITER, iparam[4], k, V, ncv, matvecs);
    goto done;
  }
  if (ainfo == 3) {
    st = DP_ERROR(GSL_EMAXITER,
                  "%s: ARPACK could apply no shifts in a restart (%d of %zu eigenpairs "
                  "converged; V = %zu, ncv = %d)",
                  who, iparam[4], k, V, ncv);
    goto done;
  }
  if (ainfo != 0 || ido != 99) {
    st = DP_ERROR(GSL_EFAILED, "%s: ARPACK's dsaupd failed (info %d, ido %d; V = %zu, k = %zu)",
                  who, ainfo, ido, V, k);
    goto done;
  }
  if (iparam[4] < nev) {
    st = DP_ERROR(GSL_EMAXITER, "%s: ARPACK converged on %d of %zu eigenpairs (V = %zu)", who,
                  iparam[4], k, V);
    goto done;
  }
  /* the Ritz values, and with evec the Ritz vectors written over the first k columns of the
   * Lanczos basis (ARPACK allows Z = V) */
  int rvec = evec != NULL, einfo = 0;
  const double sigma = 0.0;
  dseupd_(&rvec, "A", select, d, v, &ldv, &sigma, "I", &n, "LM", &nev, &tol, resid, &ncv, v,
          &ldv, iparam, ipntr, workd, workl, &lworkl, &einfo, 1, 1, 2);
  if (einfo != 0) {
    st = DP_ERROR(einfo == -14 ? GSL_EMAXITER : GSL_EFAILED,
                  "%s: ARPACK's dseupd failed (info %d; V = %zu, k = %zu)", who, einfo, V, k);
    goto done;
  }
  for (size_t j = 0; j < k; j++)
    key[j] = (struct topk_key){d[j], j};
  qsort(key, k, sizeof *key, cmp_topk);
  for (size_t j = 0; j < k; j++) {
    gsl_vector_set(eval, j, key[j].l);
    if (evec != NULL) {
      const double *z = v + key[j].i * V; /* column-major, ldz = V */
      for (size_t i = 0; i < V; i++)
        gsl_matrix_set(evec, i, j, z[i]);
      topk_fix_sign(evec, j);
    }
  }

done:
  free(resid);
  free(v);
  free(workd);
  free(workl);
  free(d);
  free(select);
  free(key);
  return st;
}

int dp_spectral_topk(const dp_smat *S, size_t k, enum dp_topk_method m, uint64_t seed,
                     gsl_vector *eval, gsl_matrix *evec, struct dp_topk_info *info)
{
  static const char who[] = "dp_spectral_topk";
  if (info != NULL)
    *info = (struct dp_topk_info){0};
  if (S == NULL || eval == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: S or eval is NULL", who);
  if ((S->kind == DP_SMAT_DENSE && S->d == NULL) || (S->kind == DP_SMAT_SPARSE && S->s == NULL) ||
      (S->kind != DP_SMAT_DENSE && S->kind != DP_SMAT_SPARSE))
    return DP_ERROR(GSL_EINVAL, "%s: S is not a dense or a sparse matrix", who);
  if (S->n1 != S->n2)
    return DP_ERROR(GSL_ENOTSQR, "%s: S is %zu x %zu, not square", who, S->n1, S->n2);
  size_t V = S->n1;
  if (k == 0 || k > V)
    return DP_ERROR(GSL_EINVAL, "%s: k = %zu eigenpairs of a %zu x %zu S, need 1 <= k <= V",
                    who, k, V, V);
  if (eval->size != k)
    return DP_ERROR(GSL_EBADLEN, "%s: eval has %zu entries, expected k = %zu", who, eval->size,
                    k);
  if (evec != NULL)
    DP_TRY(dp_args_shape(who, "evec", evec, V, k));
  if (m != DP_TOPK_AUTO && m != DP_TOPK_ARPACK && m != DP_TOPK_LAPACK)
    return DP_ERROR(GSL_EINVAL, "%s: unknown method %d", who, (int)m);
  if (m == DP_TOPK_AUTO)
    m = V <= DP_TOPK_DENSE_MAX || k == V ? DP_TOPK_LAPACK : DP_TOPK_ARPACK;
  if (m == DP_TOPK_ARPACK && k >= V)
    return DP_ERROR(GSL_EINVAL, "%s: ARPACK finds k < V eigenpairs (k = %zu, V = %zu)", who, k,
                    V);
  DP_TRY(topk_finite(who, S));
  if (m == DP_TOPK_LAPACK) {
    if (info != NULL)
      info->method = "dsyevd";
    return topk_lapack(who, S, k, eval, evec);
  }
  if (info != NULL) {
    size_t ncv = 2 * k + 1 > 20 ? 2 * k + 1 : 20;
    info->method = "arpack";
    info->ncv = ncv < V ? ncv : V;
  }
  return topk_arpack(who, S, k, seed, eval, evec, info);
}

int dp_spectral_topk_ratio(const dp_smat *S, const gsl_vector *eval, const gsl_matrix *evec,
                           double *ratio)
{
  static const char who[] = "dp_spectral_topk_ratio";
  if (S == NULL || eval == NULL || evec == NULL || ratio == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: an argument is NULL", who);
  if (S->n1 != S->n2)
    return DP_ERROR(GSL_ENOTSQR, "%s: S is %zu x %zu, not square", who, S->n1, S->n2);
  size_t V = S->n1, k = eval->size;
  if (k == 0 || k > V)
    return DP_ERROR(GSL_EBADLEN, "%s: %zu eigenvalues for a %zu x %zu S", who, k, V, V);
  DP_TRY(dp_args_shape(who, "evec", evec, V, k));
  double *x = malloc(V * sizeof *x), *y = malloc(V * sizeof *y);
  int st = dp_alloc_ok(who, 2, (void *[]){x, y});
  double worst = 0.0;
  for (size_t j = 0; j < k && st == GSL_SUCCESS; j++) {
    for (size_t i = 0; i < V; i++)
      x[i] = gsl_matrix_get(evec, i, j);
    st = dp_smat_matvec(S, x, y);
    if (st != GSL_SUCCESS)
      break;
    double l = gsl_vector_get(eval, j);
    struct dp_numeric_ssq r = {0};
    for (size_t i = 0; i < V; i++)
      dp_numeric_ssq_add(&r, y[i] - l * x[i]);
    double rj = dp_numeric_ssq_norm(&r);
    if (isnan(rj)) { /* unmeasurable: dp_resid_ratio fails it */
      worst = rj;
      break;
    }
    if (rj > worst)
      worst = rj;
  }
  if (st == GSL_SUCCESS)
    *ratio = dp_resid_ratio(worst, (double)V, dp_smat_norm(S));
  free(x);
  free(y);
  return st;
}
