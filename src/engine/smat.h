/* smat.h: one interface over dense (gsl_matrix) and sparse (gsl_spmatrix, CSR) matrices.
 *
 * Co-occurrence counts X^(k), X^>, X^<, X and the operators S built from them are dense for a
 * small vocabulary and sparse for a large one; claim C01 and the S variants work on either
 * through this interface.  Sparse matrices are kept in CSR with sorted column indices. */
#ifndef DP_SMAT_H
#define DP_SMAT_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_spmatrix.h>

enum dp_smat_kind { DP_SMAT_DENSE, DP_SMAT_SPARSE };

typedef struct dp_smat {
  enum dp_smat_kind kind;
  size_t n1, n2;
  gsl_matrix *d;   /* DP_SMAT_DENSE */
  gsl_spmatrix *s; /* DP_SMAT_SPARSE, CSR */
} dp_smat;

/* Largest number of bytes a dense matrix may take (default 4 GiB); larger requests fail
 * with GSL_ENOMEM and a message naming the size, before anything is allocated. */
extern size_t dp_smat_dense_limit;

/* Build an n1 x n2 matrix from nnz triplets (i[k], j[k], x[k]); duplicates are summed in
 * the order given.  Returns GSL_EINVAL on an index out of range, GSL_ENOMEM when a dense
 * matrix would exceed dp_smat_dense_limit. */
int dp_smat_from_triplets(size_t n1, size_t n2, enum dp_smat_kind kind, size_t nnz,
                          const size_t *i, const size_t *j, const double *x, dp_smat **out);
int dp_smat_zeros(size_t n1, size_t n2, enum dp_smat_kind kind, dp_smat **out);
void dp_smat_free(dp_smat *A);
int dp_smat_copy(const dp_smat *A, dp_smat **out);

double dp_smat_get(const dp_smat *A, size_t i, size_t j);
size_t dp_smat_nnz(const dp_smat *A); /* stored entries (dense: non-zero entries) */

/* C = A + B (same shapes and kinds), summed entry by entry as a + b. */
int dp_smat_add(const dp_smat *A, const dp_smat *B, dp_smat **C);
/* B = A^T, same kind. */
int dp_smat_transpose(const dp_smat *A, dp_smat **out);
/* Exact comparison of A with op(B) (op = transpose when transB): counts entries whose values
 * differ under == (so NaN never matches; +0 and -0 match).  *where = first mismatch, row-major,
 * as i * n2 + j (may be NULL). */
int dp_smat_compare(const dp_smat *A, const dp_smat *B, int transB, size_t *mismatches,
                    size_t *where);
/* Frobenius norm of A - op(B). */
int dp_smat_diff_norm(const dp_smat *A, const dp_smat *B, int transB, double *norm);
double dp_smat_norm(const dp_smat *A); /* Frobenius */
double dp_smat_sum(const dp_smat *A);  /* sum of all entries, compensated (Neumaier) */
/* Apply f to every stored entry (zeros of a sparse matrix stay zero: f(0) must be 0). */
int dp_smat_map(dp_smat *A, double (*f)(double));
/* Dense copy of the principal-like submatrix A[rows, cols] (nr x nc). */
int dp_smat_gather(const dp_smat *A, const size_t *rows, size_t nr, const size_t *cols,
                   size_t nc, gsl_matrix **out);
/* Dense copy of the whole matrix (subject to dp_smat_dense_limit). */
int dp_smat_to_dense(const dp_smat *A, gsl_matrix **out);
/* y = A x: x has n2 entries, y n1 (contiguous arrays that must not overlap: GSL_EINVAL).
 * Dense through BLAS dgemv; sparse row by row over the CSR arrays, each row's products
 * summed in column order from +0.0 (the operator of an iterative eigensolver, applied
 * without densifying).  Returns GSL_EFAULT on a NULL argument. */
int dp_smat_matvec(const dp_smat *A, const double *x, double *y);

#endif
