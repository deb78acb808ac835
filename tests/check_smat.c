/* check_smat.c: unit tests of smat, the dense/sparse matrix interface under claim C01.
 *
 * Every operation is checked on hand-computed small matrices in both kinds (dense gsl_matrix
 * and sparse CSR), and the two kinds are checked to agree bitwise, since C01 compares counts
 * exactly: triplets summed in the order given, transposes, exact comparison (+0 = -0, NaN
 * never equal), difference norms, sums (compensated), maps, gathers, dense copies, the dense
 * size limit, the matrix-vector product (and its refusal of overlapping vectors) and the
 * zero-dimension and out-of-range errors. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "smat.h"
#include "tol.h"
#include "testutil.h"

static const enum dp_smat_kind kinds[2] = {DP_SMAT_DENSE, DP_SMAT_SPARSE};

/* A 3 x 4 matrix with duplicates, out of order:
 *   [ 4   3.5  0  0 ]
 *   [ 0  -3    0  7 ]
 *   [ 5   0    0  1 ] */
static const size_t ti[] = {0, 2, 0, 1, 0, 1, 2, 0};
static const size_t tj[] = {1, 0, 1, 1, 0, 3, 3, 1};
static const double tx[] = {1.0, 5.0, 2.0, -3.0, 4.0, 7.0, 1.0, 0.5};
static const double full[3][4] = {{4, 3.5, 0, 0}, {0, -3, 0, 7}, {5, 0, 0, 1}};

static dp_smat *mk(enum dp_smat_kind kind)
{
  dp_smat *A = NULL;
  ck_assert_int_eq(dp_smat_from_triplets(3, 4, kind, 8, ti, tj, tx, &A), GSL_SUCCESS);
  ck_assert_ptr_nonnull(A);
  return A;
}

static dp_smat *mk2(enum dp_smat_kind kind, size_t n1, size_t n2, const double *v)
{
  /* from a row-major array, zeros left out */
  size_t n = 0, *i = malloc(n1 * n2 * sizeof *i), *j = malloc(n1 * n2 * sizeof *j);
  double *x = malloc(n1 * n2 * sizeof *x);
  for (size_t a = 0; a < n1; a++)
    for (size_t b = 0; b < n2; b++)
      if (v[a * n2 + b] != 0.0 || signbit(v[a * n2 + b])) {
        i[n] = a;
        j[n] = b;
        x[n] = v[a * n2 + b];
        n++;
      }
  dp_smat *A = NULL;
  ck_assert_int_eq(dp_smat_from_triplets(n1, n2, kind, n, i, j, x, &A), GSL_SUCCESS);
  free(i);
  free(j);
  free(x);
  return A;
}

START_TEST(test_triplets_duplicates)
{
  for (int k = 0; k < 2; k++) {
    dp_smat *A = mk(kinds[k]);
    ck_assert_uint_eq(A->n1, 3);
    ck_assert_uint_eq(A->n2, 4);
    for (size_t i = 0; i < 3; i++)
      for (size_t j = 0; j < 4; j++)
        ck_assert_double_eq(dp_smat_get(A, i, j), full[i][j]);
    ck_assert_uint_eq(dp_smat_nnz(A), 6);
    dp_smat_free(A);
  }
}
END_TEST

START_TEST(test_triplets_csr_layout)
{
  dp_smat *A = mk(DP_SMAT_SPARSE);
  const gsl_spmatrix *s = A->s;
  ck_assert(GSL_SPMATRIX_ISCSR(s));
  ck_assert_uint_eq(s->nz, 6);
  const int p[] = {0, 2, 4, 6}, cols[] = {0, 1, 1, 3, 0, 3};
  const double data[] = {4, 3.5, -3, 7, 5, 1};
  for (int r = 0; r <= 3; r++)
    ck_assert_int_eq(s->p[r], p[r]);
  for (int q = 0; q < 6; q++) {
    ck_assert_int_eq(s->i[q], cols[q]);
    ck_assert_double_eq(s->data[q], data[q]);
  }
  /* GSL's own accessors work on the result */
  for (size_t i = 0; i < 3; i++)
    for (size_t j = 0; j < 4; j++)
      ck_assert_double_eq(gsl_spmatrix_get(s, i, j), full[i][j]);
  gsl_matrix *D = gsl_matrix_alloc(3, 4);
  ck_assert_int_eq(gsl_spmatrix_sp2d(D, s), GSL_SUCCESS);
  ck_assert_double_eq(gsl_matrix_get(D, 1, 3), 7.0);
  gsl_matrix_free(D);
  dp_smat_free(A);
}
END_TEST

START_TEST(test_triplets_order)
{
  /* 1e16 + 1 rounds back to 1e16 (spacing 2): the order of the duplicates shows. */
  const size_t i1[] = {0, 1, 0, 0}, j1[] = {0, 1, 0, 0};
  const double x1[] = {1e16, 9.0, 1.0, -1e16}; /* (1e16 + 1) - 1e16 = 0 */
  const double x2[] = {1e16, 9.0, -1e16, 1.0}; /* (1e16 - 1e16) + 1 = 1 */
  for (int k = 0; k < 2; k++) {
    dp_smat *A, *B;
    ck_assert_int_eq(dp_smat_from_triplets(2, 2, kinds[k], 4, i1, j1, x1, &A), GSL_SUCCESS);
    ck_assert_int_eq(dp_smat_from_triplets(2, 2, kinds[k], 4, i1, j1, x2, &B), GSL_SUCCESS);
    ck_assert_double_eq(dp_smat_get(A, 0, 0), 0.0);
    ck_assert_double_eq(dp_smat_get(B, 0, 0), 1.0);
    ck_assert_double_eq(dp_smat_get(A, 1, 1), 9.0);
    dp_smat_free(A);
    dp_smat_free(B);
  }
}
END_TEST

START_TEST(test_triplets_errors)
{
  dp_smat *A = (dp_smat *)1;
  const size_t i[] = {0, 3}, j[] = {0, 0};
  const double x[] = {1, 2};
  for (int k = 0; k < 2; k++) {
    dp_err_clear();
    ck_assert_int_eq(dp_smat_from_triplets(3, 3, kinds[k], 2, i, j, x, &A), GSL_EINVAL);
    ck_assert_ptr_null(A);
    ck_assert_ptr_nonnull(strstr(dp_err_last(), "(3, 0)"));
    ck_assert_int_eq(dp_smat_from_triplets(0, 3, kinds[k], 0, NULL, NULL, NULL, &A), GSL_EINVAL);
    ck_assert_ptr_nonnull(strstr(dp_err_last(), "0 x 3"));
    ck_assert_int_eq(dp_smat_zeros(2, 0, kinds[k], &A), GSL_EINVAL);
    ck_assert_ptr_null(A);
  }
  /* no triplets: a zero matrix */
  for (int k = 0; k < 2; k++) {
    ck_assert_int_eq(dp_smat_from_triplets(2, 3, kinds[k], 0, NULL, NULL, NULL, &A),
                     GSL_SUCCESS);
    ck_assert_uint_eq(dp_smat_nnz(A), 0);
    ck_assert_double_eq(dp_smat_get(A, 1, 2), 0.0);
    ck_assert_double_eq(dp_smat_sum(A), 0.0);
    dp_smat_free(A);
  }
}
END_TEST

START_TEST(test_get_out_of_range)
{
  for (int k = 0; k < 2; k++) {
    dp_smat *A = mk(kinds[k]);
    dp_err_clear();
    ck_assert_double_nan(dp_smat_get(A, 3, 0));
    ck_assert_ptr_nonnull(strstr(dp_err_last(), "outside"));
    ck_assert_double_nan(dp_smat_get(A, 0, 4));
    dp_smat_free(A);
  }
}
END_TEST

START_TEST(test_zeros_copy)
{
  for (int k = 0; k < 2; k++) {
    dp_smat *Z, *A = mk(kinds[k]), *C;
    ck_assert_int_eq(dp_smat_zeros(2, 5, kinds[k], &Z), GSL_SUCCESS);
    ck_assert_int_eq(Z->kind, kinds[k]);
    ck_assert_uint_eq(dp_smat_nnz(Z), 0);
    ck_assert_double_eq(dp_smat_get(Z, 1, 4), 0.0);
    ck_assert_int_eq(dp_smat_copy(A, &C), GSL_SUCCESS);
    ck_assert_int_eq(C->kind, kinds[k]);
    size_t mm = 99;
    ck_assert_int_eq(dp_smat_compare(A, C, 0, &mm, NULL), GSL_SUCCESS);
    ck_assert_uint_eq(mm, 0);
    /* a deep copy */
    ck_assert_int_eq(dp_smat_map(C, fabs), GSL_SUCCESS);
    ck_assert_double_eq(dp_smat_get(A, 1, 1), -3.0);
    ck_assert_double_eq(dp_smat_get(C, 1, 1), 3.0);
    dp_smat_free(Z);
    dp_smat_free(A);
    dp_smat_free(C);
  }
}
END_TEST

START_TEST(test_nnz_dense_counts_nonzeros)
{
  const double v[] = {0, 1, -0.0, 2, 0, NAN};
  dp_smat *D = mk2(DP_SMAT_DENSE, 2, 3, v);
  ck_assert_uint_eq(dp_smat_nnz(D), 3); /* 1, 2, NaN; -0 and 0 are zeros */
  dp_smat *S = mk2(DP_SMAT_SPARSE, 2, 3, v);
  ck_assert_uint_eq(dp_smat_nnz(S), 4); /* stored entries include the -0 */
  dp_smat_free(D);
  dp_smat_free(S);
}
END_TEST

START_TEST(test_transpose)
{
  for (int k = 0; k < 2; k++) {
    dp_smat *A = mk(kinds[k]), *T;
    ck_assert_int_eq(dp_smat_transpose(A, &T), GSL_SUCCESS);
    ck_assert_int_eq(T->kind, kinds[k]);
    ck_assert_uint_eq(T->n1, 4);
    ck_assert_uint_eq(T->n2, 3);
    for (size_t i = 0; i < 3; i++)
      for (size_t j = 0; j < 4; j++)
        ck_assert_double_eq(dp_smat_get(T, j, i), full[i][j]);
    if (kinds[k] == DP_SMAT_SPARSE) {
      /* CSR with sorted columns: row 3 of A^T holds columns 1, 2 */
      const gsl_spmatrix *s = T->s;
      ck_assert_int_eq(s->p[3], 4);
      ck_assert_int_eq(s->p[4], 6);
      ck_assert_int_eq(s->i[4], 1);
      ck_assert_int_eq(s->i[5], 2);
      for (size_t r = 0; r < 4; r++)
        for (int q = s->p[r] + 1; q < s->p[r + 1]; q++)
          ck_assert_int_lt(s->i[q - 1], s->i[q]);
    }
    size_t mm = 99, where = 99;
    ck_assert_int_eq(dp_smat_compare(T, A, 1, &mm, &where), GSL_SUCCESS);
    ck_assert_uint_eq(mm, 0);
    dp_smat_free(A);
    dp_smat_free(T);
  }
}
END_TEST

START_TEST(test_compare_signed_zero_nan)
{
  const double a[] = {0.0, 1.0, NAN, 2.0};
  const double b[] = {-0.0, 1.0, NAN, 3.0};
  for (int ka = 0; ka < 2; ka++)
    for (int kb = 0; kb < 2; kb++) {
      dp_smat *A = mk2(kinds[ka], 2, 2, a), *B = mk2(kinds[kb], 2, 2, b);
      size_t mm = 99, where = 99;
      ck_assert_int_eq(dp_smat_compare(A, B, 0, &mm, &where), GSL_SUCCESS);
      ck_assert_uint_eq(mm, 2); /* NaN at (1,0), 2 vs 3 at (1,1) */
      ck_assert_uint_eq(where, 2);
      /* A against itself: the NaN still mismatches */
      ck_assert_int_eq(dp_smat_compare(A, A, 0, &mm, &where), GSL_SUCCESS);
      ck_assert_uint_eq(mm, 1);
      ck_assert_uint_eq(where, 2);
      dp_smat_free(A);
      dp_smat_free(B);
    }
}
END_TEST

START_TEST(test_compare_trans_mixed)
{
  /* A = [1 2; 3 4], B = [1 3; 2 5]: A vs B^T differ only at (1,1) */
  const double a[] = {1, 2, 3, 4}, b[] = {1, 3, 2, 5};
  for (int ka = 0; ka < 2; ka++)
    for (int kb = 0; kb < 2; kb++) {
      dp_smat *A = mk2(kinds[ka], 2, 2, a), *B = mk2(kinds[kb], 2, 2, b);
      size_t mm = 99, where = 99;
      ck_assert_int_eq(dp_smat_compare(A, B, 1, &mm, &where), GSL_SUCCESS);
      ck_assert_uint_eq(mm, 1);
      ck_assert_uint_eq(where, 3);
      ck_assert_int_eq(dp_smat_compare(A, B, 0, &mm, &where), GSL_SUCCESS);
      ck_assert_uint_eq(mm, 3);
      ck_assert_uint_eq(where, 1);
      double nrm = -1;
      ck_assert_int_eq(dp_smat_diff_norm(A, B, 1, &nrm), GSL_SUCCESS);
      ck_assert_double_eq(nrm, 1.0);
      ck_assert_int_eq(dp_smat_diff_norm(A, B, 0, &nrm), GSL_SUCCESS);
      ck_assert_double_eq(nrm, sqrt(3.0)); /* (-1)^2 + 1^2 + (-1)^2 */
      dp_smat_free(A);
      dp_smat_free(B);
    }
}
END_TEST

START_TEST(test_compare_sparse_patterns)
{
  /* stored zero in one, absent in the other: equal; stored 7 vs absent: mismatch */
  const size_t i1[] = {0, 1}, j1[] = {0, 2};
  const double x1[] = {0.0, 7.0};
  const size_t i2[] = {0}, j2[] = {1};
  const double x2[] = {-0.0};
  dp_smat *A, *B;
  ck_assert_int_eq(dp_smat_from_triplets(2, 3, DP_SMAT_SPARSE, 2, i1, j1, x1, &A), 0);
  ck_assert_int_eq(dp_smat_from_triplets(2, 3, DP_SMAT_SPARSE, 1, i2, j2, x2, &B), 0);
  size_t mm = 99, where = 99;
  ck_assert_int_eq(dp_smat_compare(A, B, 0, &mm, &where), GSL_SUCCESS);
  ck_assert_uint_eq(mm, 1);
  ck_assert_uint_eq(where, 5);
  ck_assert_int_eq(dp_smat_compare(B, A, 0, &mm, NULL), GSL_SUCCESS);
  ck_assert_uint_eq(mm, 1);
  dp_smat_free(A);
  dp_smat_free(B);
}
END_TEST

START_TEST(test_compare_shape_error)
{
  for (int k = 0; k < 2; k++) {
    dp_smat *A = mk(kinds[k]); /* 3 x 4 */
    size_t mm;
    double nrm;
    ck_assert_int_eq(dp_smat_compare(A, A, 1, &mm, NULL), GSL_EBADLEN);
    ck_assert_int_eq(dp_smat_diff_norm(A, A, 1, &nrm), GSL_EBADLEN);
    ck_assert_int_eq(dp_smat_compare(A, A, 0, &mm, NULL), GSL_SUCCESS);
    ck_assert_uint_eq(mm, 0);
    dp_smat_free(A);
  }
}
END_TEST

START_TEST(test_diff_norm)
{
  /* A - B = [3 0; 0 -4]: norm 5; against itself 0 */
  const double a[] = {4, 1, 0, -2}, b[] = {1, 1, 0, 2};
  for (int ka = 0; ka < 2; ka++)
    for (int kb = 0; kb < 2; kb++) {
      dp_smat *A = mk2(kinds[ka], 2, 2, a), *B = mk2(kinds[kb], 2, 2, b);
      double nrm = -1;
      ck_assert_int_eq(dp_smat_diff_norm(A, B, 0, &nrm), GSL_SUCCESS);
      ck_assert_double_eq(nrm, 5.0);
      ck_assert_int_eq(dp_smat_diff_norm(A, A, 0, &nrm), GSL_SUCCESS);
      ck_assert_double_eq(nrm, 0.0);
      dp_smat_free(A);
      dp_smat_free(B);
    }
  /* huge entries do not overflow; NaN propagates */
  const double h[] = {3e200, 0, 0, 4e200}, n[] = {NAN, 0, 0, 0};
  for (int k = 0; k < 2; k++) {
    dp_smat *H = mk2(kinds[k], 2, 2, h), *Z, *N = mk2(kinds[k], 2, 2, n);
    ck_assert_int_eq(dp_smat_zeros(2, 2, kinds[k], &Z), GSL_SUCCESS);
    double nrm;
    ck_assert_int_eq(dp_smat_diff_norm(H, Z, 0, &nrm), GSL_SUCCESS);
    ck_assert(fabs(nrm - 5e200) <= DP_TOL_RATIO * DBL_EPSILON * 5e200);
    ck_assert_int_eq(dp_smat_diff_norm(N, Z, 0, &nrm), GSL_SUCCESS);
    ck_assert_double_nan(nrm);
    dp_smat_free(H);
    dp_smat_free(Z);
    dp_smat_free(N);
  }
}
END_TEST

START_TEST(test_norm_sum)
{
  const double v[] = {3, 0, 0, -4};
  /* 1e16 + 1 - 1e16 + 1: plain left-to-right summation gives 1, the exact sum is 2 */
  const double c[] = {1e16, 1.0, -1e16, 1.0};
  for (int k = 0; k < 2; k++) {
    dp_smat *A = mk2(kinds[k], 2, 2, v), *C = mk2(kinds[k], 2, 2, c);
    ck_assert_double_eq(dp_smat_norm(A), 5.0);
    ck_assert_double_eq(dp_smat_sum(A), -1.0);
    ck_assert_double_eq(dp_smat_sum(C), 2.0);
    dp_smat_free(A);
    dp_smat_free(C);
  }
  const double inf[] = {INFINITY, 1, 0, 2};
  dp_smat *I = mk2(DP_SMAT_SPARSE, 2, 2, inf);
  ck_assert(isinf(dp_smat_sum(I)) && dp_smat_sum(I) > 0);
  ck_assert(isinf(dp_smat_norm(I)));
  dp_smat_free(I);
}
END_TEST

START_TEST(test_add)
{
  const double a[] = {1, 0, 2, 0, 0, -3}, b[] = {0, 5, -2, 0, 0, 4};
  const double s[] = {1, 5, 0, 0, 0, 1};
  for (int k = 0; k < 2; k++) {
    dp_smat *A = mk2(kinds[k], 2, 3, a), *B = mk2(kinds[k], 2, 3, b), *C = NULL;
    ck_assert_int_eq(dp_smat_add(A, B, &C), GSL_SUCCESS);
    ck_assert_int_eq(C->kind, kinds[k]);
    for (size_t i = 0; i < 2; i++)
      for (size_t j = 0; j < 3; j++)
        ck_assert_double_eq(dp_smat_get(C, i, j), s[i * 3 + j]);
    if (kinds[k] == DP_SMAT_SPARSE)
      ck_assert_uint_eq(dp_smat_nnz(C), 4); /* union of the patterns, 2 - 2 kept as 0 */
    dp_smat_free(A);
    dp_smat_free(B);
    dp_smat_free(C);
  }
  /* dense and sparse sums agree bitwise, -0 included: -0 + 0 = +0 in both */
  const double m[] = {-0.0, 1.0, 0, 0};
  dp_smat *Ad = mk2(DP_SMAT_DENSE, 2, 2, m), *As = mk2(DP_SMAT_SPARSE, 2, 2, m), *Zs, *Zd, *Cd,
          *Cs;
  ck_assert_int_eq(dp_smat_zeros(2, 2, DP_SMAT_DENSE, &Zd), 0);
  ck_assert_int_eq(dp_smat_zeros(2, 2, DP_SMAT_SPARSE, &Zs), 0);
  ck_assert_int_eq(dp_smat_add(Ad, Zd, &Cd), 0);
  ck_assert_int_eq(dp_smat_add(As, Zs, &Cs), 0);
  ck_assert(!signbit(dp_smat_get(Cd, 0, 0)));
  ck_assert(!signbit(dp_smat_get(Cs, 0, 0)));
  /* kinds or shapes that differ */
  dp_smat *X = NULL, *Y = mk(DP_SMAT_DENSE);
  ck_assert_int_eq(dp_smat_add(Ad, As, &X), GSL_EINVAL);
  ck_assert_ptr_null(X);
  ck_assert_int_eq(dp_smat_add(Ad, Y, &X), GSL_EBADLEN);
  dp_smat_free(Ad);
  dp_smat_free(As);
  dp_smat_free(Zd);
  dp_smat_free(Zs);
  dp_smat_free(Cd);
  dp_smat_free(Cs);
  dp_smat_free(Y);
}
END_TEST

static double twice(double x) { return 2.0 * x; }

START_TEST(test_map)
{
  for (int k = 0; k < 2; k++) {
    dp_smat *A = mk(kinds[k]);
    ck_assert_int_eq(dp_smat_map(A, twice), GSL_SUCCESS);
    for (size_t i = 0; i < 3; i++)
      for (size_t j = 0; j < 4; j++)
        ck_assert_double_eq(dp_smat_get(A, i, j), 2.0 * full[i][j]);
    ck_assert_int_eq(dp_smat_map(A, NULL), GSL_EINVAL);
    dp_smat_free(A);
  }
}
END_TEST

START_TEST(test_gather)
{
  const size_t rows[] = {2, 0, 2}, cols[] = {3, 1, 0, 1, 2};
  for (int k = 0; k < 2; k++) {
    dp_smat *A = mk(kinds[k]);
    gsl_matrix *G = NULL;
    ck_assert_int_eq(dp_smat_gather(A, rows, 3, cols, 5, &G), GSL_SUCCESS);
    ck_assert_uint_eq(G->size1, 3);
    ck_assert_uint_eq(G->size2, 5);
    for (size_t r = 0; r < 3; r++)
      for (size_t c = 0; c < 5; c++)
        ck_assert_double_eq(gsl_matrix_get(G, r, c), full[rows[r]][cols[c]]);
    gsl_matrix_free(G);
    const size_t bad[] = {4};
    ck_assert_int_eq(dp_smat_gather(A, rows, 3, bad, 1, &G), GSL_EINVAL);
    ck_assert_ptr_null(G);
    ck_assert_int_eq(dp_smat_gather(A, rows, 0, cols, 5, &G), GSL_EINVAL);
    dp_smat_free(A);
  }
}
END_TEST

START_TEST(test_to_dense)
{
  for (int k = 0; k < 2; k++) {
    dp_smat *A = mk(kinds[k]);
    gsl_matrix *D = NULL;
    ck_assert_int_eq(dp_smat_to_dense(A, &D), GSL_SUCCESS);
    for (size_t i = 0; i < 3; i++)
      for (size_t j = 0; j < 4; j++)
        ck_assert_double_eq(gsl_matrix_get(D, i, j), full[i][j]);
    gsl_matrix_free(D);
    dp_smat_free(A);
  }
}
END_TEST

START_TEST(test_dense_limit)
{
  size_t saved = dp_smat_dense_limit;
  ck_assert_uint_eq(saved, (size_t)4 << 30);
  dp_smat_dense_limit = 100; /* bytes: 3 x 4 doubles = 96 fit, 4 x 4 = 128 do not */
  dp_smat *A = (dp_smat *)1;
  dp_err_clear();
  ck_assert_int_eq(dp_smat_zeros(4, 4, DP_SMAT_DENSE, &A), GSL_ENOMEM);
  ck_assert_ptr_null(A);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "4 x 4"));
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "128 bytes"));
  const size_t i[] = {0}, j[] = {0};
  const double x[] = {1};
  ck_assert_int_eq(dp_smat_from_triplets(5, 5, DP_SMAT_DENSE, 1, i, j, x, &A), GSL_ENOMEM);
  ck_assert_int_eq(dp_smat_zeros(3, 4, DP_SMAT_DENSE, &A), GSL_SUCCESS);
  dp_smat_free(A);
  /* sparse matrices are not limited, but their dense copies are */
  ck_assert_int_eq(dp_smat_from_triplets(5, 5, DP_SMAT_SPARSE, 1, i, j, x, &A), GSL_SUCCESS);
  gsl_matrix *D = NULL;
  ck_assert_int_eq(dp_smat_to_dense(A, &D), GSL_ENOMEM);
  ck_assert_ptr_null(D);
  dp_smat_free(A);
  /* a size whose byte count overflows size_t */
  dp_smat_dense_limit = saved;
  ck_assert_int_eq(dp_smat_zeros((size_t)1 << 40, (size_t)1 << 40, DP_SMAT_DENSE, &A),
                   GSL_ENOMEM);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "1099511627776 x 1099511627776"));
}
END_TEST

START_TEST(test_dense_sparse_bitwise)
{
  /* the same triplets give bitwise-equal entries in both kinds, through add and transpose */
  size_t n = 200, i[200], j[200];
  double x[200];
  for (size_t k = 0; k < n; k++) {
    i[k] = (k * 7) % 6;
    j[k] = (k * 11) % 5;
    x[k] = 1.0 / (double)(k + 1);
  }
  dp_smat *D, *S, *Dt, *St, *D2, *S2;
  ck_assert_int_eq(dp_smat_from_triplets(6, 5, DP_SMAT_DENSE, n, i, j, x, &D), 0);
  ck_assert_int_eq(dp_smat_from_triplets(6, 5, DP_SMAT_SPARSE, n, i, j, x, &S), 0);
  ck_assert_int_eq(dp_smat_transpose(D, &Dt), 0);
  ck_assert_int_eq(dp_smat_transpose(S, &St), 0);
  ck_assert_int_eq(dp_smat_add(D, D, &D2), 0);
  ck_assert_int_eq(dp_smat_add(S, S, &S2), 0);
  for (size_t a = 0; a < 6; a++)
    for (size_t b = 0; b < 5; b++) {
      double d = dp_smat_get(D, a, b), s = dp_smat_get(S, a, b);
      ck_assert(memcmp(&d, &s, sizeof d) == 0);
      ck_assert_double_eq(dp_smat_get(Dt, b, a), d);
      ck_assert_double_eq(dp_smat_get(St, b, a), d);
      ck_assert_double_eq(dp_smat_get(D2, a, b), dp_smat_get(S2, a, b));
    }
  ck_assert_double_eq(dp_smat_sum(D), dp_smat_sum(S));
  ck_assert_double_eq(dp_smat_norm(D), dp_smat_norm(S));
  size_t mm = 99;
  ck_assert_int_eq(dp_smat_compare(D, S, 0, &mm, NULL), 0);
  ck_assert_uint_eq(mm, 0);
  dp_smat_free(D);
  dp_smat_free(S);
  dp_smat_free(Dt);
  dp_smat_free(St);
  dp_smat_free(D2);
  dp_smat_free(S2);
}
END_TEST

START_TEST(test_matvec)
{
  /* y = A x with x = (1, 2, -1, 0.5): (4 + 7, -6 + 3.5, 5 + 0.5), exact in both kinds */
  const double want[3] = {11.0, -2.5, 5.5};
  for (int k = 0; k < 2; k++) {
    dp_smat *A = mk(kinds[k]);
    double x[4] = {1.0, 2.0, -1.0, 0.5}, y[3] = {NAN, NAN, NAN};
    ck_assert_int_eq(dp_smat_matvec(A, x, y), GSL_SUCCESS);
    for (size_t i = 0; i < 3; i++)
      ck_assert_double_eq(y[i], want[i]);
    ck_assert_double_eq(x[2], -1.0); /* the input is left alone */
    /* x and y overlapping (y inside x, and x starting inside y) are refused */
    double buf[8] = {1, 2, -1, 0.5, 0, 0, 0, 0};
    dp_err_clear();
    ck_assert_int_eq(dp_smat_matvec(A, buf, buf + 2), GSL_EINVAL);
    ck_assert_ptr_nonnull(strstr(dp_err_last(), "overlap"));
    ck_assert_int_eq(dp_smat_matvec(A, buf + 2, buf), GSL_EINVAL);
    /* adjacent is fine */
    ck_assert_int_eq(dp_smat_matvec(A, buf, buf + 4), GSL_SUCCESS);
    ck_assert_double_eq(buf[4], 11.0);
    ck_assert_int_eq(dp_smat_matvec(A, NULL, y), GSL_EFAULT);
    ck_assert_int_eq(dp_smat_matvec(NULL, x, y), GSL_EFAULT);
    dp_smat_free(A);
  }
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("smat");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_triplets_duplicates);
  tcase_add_test(tc, test_triplets_csr_layout);
  tcase_add_test(tc, test_triplets_order);
  tcase_add_test(tc, test_triplets_errors);
  tcase_add_test(tc, test_get_out_of_range);
  tcase_add_test(tc, test_zeros_copy);
  tcase_add_test(tc, test_nnz_dense_counts_nonzeros);
  tcase_add_test(tc, test_transpose);
  tcase_add_test(tc, test_compare_signed_zero_nan);
  tcase_add_test(tc, test_compare_trans_mixed);
  tcase_add_test(tc, test_compare_sparse_patterns);
  tcase_add_test(tc, test_compare_shape_error);
  tcase_add_test(tc, test_diff_norm);
  tcase_add_test(tc, test_norm_sum);
  tcase_add_test(tc, test_add);
  tcase_add_test(tc, test_map);
  tcase_add_test(tc, test_gather);
  tcase_add_test(tc, test_to_dense);
  tcase_add_test(tc, test_dense_limit);
  tcase_add_test(tc, test_dense_sparse_bitwise);
  tcase_add_test(tc, test_matvec);
  suite_add_tcase(s, tc);
  return s;
}
