/* spectral.c: symmetric eigen-decomposition, numerical rank, PSD test, Cauchy interlacing.
 *
 * Serves claim C04, the spectral inheritance of M = Q S Q^T from S: M is a principal
 * submatrix of S when the tokens are distinct, so its eigenvalues interlace those of S
 * (lambda_k(S) >= lambda_k(M) >= lambda_{k+V-R}(S)), it is positive semi-definite when S
 * is, and its rank is at most that of S.  Eigenvalues come from GSL's symmetric QR solver
 * (gsl_eigen_symm / gsl_eigen_symmv) and are returned in descending order, the order of
 * CLAIMS.md.  The solver reads only the diagonal and the lower triangle of A; A is not
 * required to be exactly symmetric (a claim that needs symmetry checks it separately, C03),
 * and dp_spectral_eigen_ratio measures A U - U L with the whole of A, so an asymmetric A
 * shows up there.  Every violation is turned into a test ratio through dp_resid_ratio and
 * every threshold comes from tol.h. */
#include <float.h>
#include <math.h>
#include <stdint.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_sort_vector.h>

#include "err.h"
#include "resid.h"
#include <lapacke.h>

#include "spectral.h"
#include "tol.h"

int dp_spectral_eigen(const gsl_matrix *A, gsl_vector *eval, gsl_matrix *evec)
{
    static const char who[] = "dp_spectral_eigen";
    if (A == NULL || eval == NULL)
        return DP_ERROR(GSL_EFAULT, "%s: A or eval is NULL", who);
    size_t n = A->size1;
    if (A->size2 != n)
        return DP_ERROR(GSL_ENOTSQR, "%s: A is %zu x %zu, not square", who, A->size1, A->size2);
    if (n == 0)
        return DP_ERROR(GSL_EBADLEN, "%s: A is empty", who);
    if (eval->size != n)
        return DP_ERROR(GSL_EBADLEN, "%s: eval has %zu entries, expected %zu", who, eval->size, n);
    if (evec != NULL && (evec->size1 != n || evec->size2 != n))
        return DP_ERROR(GSL_EBADLEN, "%s: evec is %zu x %zu, expected %zu x %zu", who,
                        evec->size1, evec->size2, n, n);
    /* The QR iteration has no defined behaviour on NaN/Inf input. */
    if (!dp_resid_finite(A))
        return DP_ERROR(GSL_EDOM, "%s: A has a NaN or Inf entry", who);

    /* LAPACK's divide and conquer (dsyevd) on a copy: it scales badly scaled input itself,
     * always terminates, and reports non-convergence (info > 0). Eigenvalues come back
     * ascending; they and the eigenvector columns are reversed to descending order. */
    gsl_matrix *work = gsl_matrix_alloc(n, n);
    if (work == NULL)
        return DP_ERROR(GSL_ENOMEM, "%s: cannot allocate a copy of A (%zu x %zu)", who, n, n);
    gsl_matrix_memcpy(work, A);
    lapack_int info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, evec != NULL ? 'V' : 'N', 'L',
                                     (lapack_int)n, work->data, (lapack_int)work->tda,
                                     eval->data);
    int status = GSL_SUCCESS;
    if (info < 0)
        status = DP_ERROR(GSL_EINVAL, "%s: LAPACKE_dsyevd rejected argument %d", who, (int)-info);
    else if (info > 0)
        status = DP_ERROR(GSL_EMAXITER, "%s: LAPACKE_dsyevd did not converge (info %d, n = %zu)",
                          who, (int)info, n);
    if (status == GSL_SUCCESS && eval->stride != 1)
        status = DP_ERROR(GSL_EBADLEN, "%s: eval must be contiguous", who);
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
        return DP_ERROR(GSL_EBADLEN, "%s: evec is %zu x %zu, expected %zu x %zu (A %zu x %zu)",
                        who, evec->size1, evec->size2, n, k, n, n);
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
    size_t n = A->size1;
    if (A->size2 != n)
        return DP_ERROR(GSL_ENOTSQR, "%s: A is %zu x %zu, not square", who, A->size1, A->size2);
    if (n == 0)
        return DP_ERROR(GSL_EBADLEN, "%s: A is empty", who);
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
        double above = m - gsl_vector_get(lS, k);          /* lM_k > lS_k */
        double below = gsl_vector_get(lS, k + V - R) - m;  /* lM_k < lS_{k+V-R} */
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
