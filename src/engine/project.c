/* project.c: the core projection M = Q S Q^T and the predictions E = M (Q S), by BLAS.
 *
 * Serves claims C02 (M = Q S Q^T agrees with the gather M_ij = S_{t_i t_j}), C03 (M is
 * symmetric because S is) and C06 (E = M (Q S) = (Q S)(D S) with D = Q^T Q = diag(n), and
 * the row form E_i = sum_j S_{t_i t_j} S_{t_j, :}).  Dense products go through
 * gsl_blas_dgemm, i.e. the CBLAS chosen at configure time, so the claims compare the BLAS
 * route with the gather route of select.c and with the plain loops of dp_project_E_rows.
 * Every dimension is checked (GSL_EBADLEN with a message) and an output may not share
 * storage with an input (GSL_EINVAL): dgemm's result is undefined when C aliases A or B. */
#include <stdint.h>

#include <gsl/gsl_blas.h>

#include "args.h"
#include "err.h"
#include "project.h"

/* Whether the storage of a and b overlaps (views into one block included). */
static int dp_overlap(const gsl_matrix *a, const gsl_matrix *b)
{
  if (a->size1 == 0 || a->size2 == 0 || b->size1 == 0 || b->size2 == 0)
    return 0;
  uintptr_t a0 = (uintptr_t)a->data;
  uintptr_t a1 = (uintptr_t)(a->data + (a->size1 - 1) * a->tda + a->size2);
  uintptr_t b0 = (uintptr_t)b->data;
  uintptr_t b1 = (uintptr_t)(b->data + (b->size1 - 1) * b->tda + b->size2);
  return a0 < b1 && b0 < a1;
}

static int dp_no_alias(const char *who, const char *out, const gsl_matrix *C, const char *in,
                       const gsl_matrix *X)
{
  if (dp_overlap(C, X))
    return DP_ERROR(GSL_EINVAL, "%s: output %s shares storage with input %s", who, out, in);
  return GSL_SUCCESS;
}

int dp_project_M_dense(const gsl_matrix *Q, const gsl_matrix *S, gsl_matrix *M)
{
  static const char who[] = "dp_project_M_dense";
  if (Q == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: Q is NULL", who);
  size_t R = Q->size1, V = Q->size2;
  DP_TRY(dp_args_shape(who, "S", S, V, V));
  DP_TRY(dp_args_shape(who, "M", M, R, R));
  DP_TRY(dp_no_alias(who, "M", M, "Q", Q));
  DP_TRY(dp_no_alias(who, "M", M, "S", S));
  gsl_matrix *T = gsl_matrix_alloc(R, V);
  if (T == NULL)
    return DP_ERROR(GSL_ENOMEM, "%s: cannot allocate Q S (%zu x %zu)", who, R, V);
  int status = gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, Q, S, 0.0, T); /* T = Q S */
  if (status == GSL_SUCCESS)
    status = gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, T, Q, 0.0, M); /* M = T Q^T */
  gsl_matrix_free(T);
  return status;
}

int dp_project_E(const gsl_matrix *M, const gsl_matrix *QS, gsl_matrix *E)
{
  static const char who[] = "dp_project_E";
  if (QS == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: QS is NULL", who);
  size_t R = QS->size1, V = QS->size2;
  DP_TRY(dp_args_shape(who, "M", M, R, R));
  DP_TRY(dp_args_shape(who, "E", E, R, V));
  DP_TRY(dp_no_alias(who, "E", E, "M", M));
  DP_TRY(dp_no_alias(who, "E", E, "QS", QS));
  return gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, M, QS, 0.0, E);
}

/* D S is formed by scaling row a of S by n_a: one rounding per entry (exact when n_a is a
 * power of two), so the route E = (Q S)(D S) rounds like an inner product of V + 1 terms. */
int dp_project_E_QSDS(const gsl_matrix *QS, const gsl_matrix *S, const size_t *n, gsl_matrix *E)
{
  static const char who[] = "dp_project_E_QSDS";
  if (QS == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: QS is NULL", who);
  if (n == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: multiplicities n are NULL", who);
  size_t R = QS->size1, V = QS->size2;
  DP_TRY(dp_args_shape(who, "S", S, V, V));
  DP_TRY(dp_args_shape(who, "E", E, R, V));
  DP_TRY(dp_no_alias(who, "E", E, "QS", QS));
  gsl_matrix *DS = gsl_matrix_alloc(V, V);
  if (DS == NULL)
    return DP_ERROR(GSL_ENOMEM, "%s: cannot allocate D S (%zu x %zu)", who, V, V);
  for (size_t a = 0; a < V; ++a) {
    double na = (double)n[a];
    const double *srow = S->data + a * S->tda;
    double *drow = DS->data + a * DS->tda;
    for (size_t b = 0; b < V; ++b)
      drow[b] = na * srow[b];
  }
  int status = gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, QS, DS, 0.0, E);
  gsl_matrix_free(DS);
  return status;
}

int dp_project_E_rows(const gsl_matrix *S, const size_t *t, size_t R, gsl_matrix *E)
{
  static const char who[] = "dp_project_E_rows";
  if (S == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: S is NULL", who);
  size_t V = S->size1;
  DP_TRY(dp_args_shape(who, "S", S, V, V));
  DP_TRY(dp_args_sequence(who, t, R, V));
  DP_TRY(dp_args_shape(who, "E", E, R, V));
  DP_TRY(dp_no_alias(who, "E", E, "S", S));
  for (size_t i = 0; i < R; ++i) {
    double *erow = E->data + i * E->tda;
    const double *srow_i = S->data + t[i] * S->tda;
    for (size_t k = 0; k < V; ++k)
      erow[k] = 0.0;
    for (size_t j = 0; j < R; ++j) { /* increasing j */
      double c = srow_i[t[j]];
      const double *srow_j = S->data + t[j] * S->tda;
      for (size_t k = 0; k < V; ++k)
        erow[k] += c * srow_j[k];
    }
  }
  return GSL_SUCCESS;
}

int dp_project_ABt(const gsl_matrix *A, const gsl_matrix *B, gsl_matrix *C)
{
  static const char who[] = "dp_project_ABt";
  if (A == NULL || B == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: A or B is NULL", who);
  if (A->size2 != B->size2)
    return DP_ERROR(GSL_EBADLEN, "%s: A is %zu x %zu but B is %zu x %zu (columns differ)", who,
                    A->size1, A->size2, B->size1, B->size2);
  DP_TRY(dp_args_shape(who, "C", C, A->size1, B->size1));
  DP_TRY(dp_no_alias(who, "C", C, "A", A));
  DP_TRY(dp_no_alias(who, "C", C, "B", B));
  return gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, A, B, 0.0, C);
}

int dp_project_square(const gsl_matrix *A, gsl_matrix *A2)
{
  static const char who[] = "dp_project_square";
  if (A == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: A is NULL", who);
  if (A->size1 != A->size2)
    return DP_ERROR(GSL_EBADLEN, "%s: A is %zu x %zu, not square", who, A->size1, A->size2);
  DP_TRY(dp_args_shape(who, "A2", A2, A->size1, A->size1));
  DP_TRY(dp_no_alias(who, "A2", A2, "A", A));
  return gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, A, A, 0.0, A2);
}

int dp_project_D(const gsl_matrix *Q, gsl_matrix *D)
{
  static const char who[] = "dp_project_D";
  if (Q == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: Q is NULL", who);
  DP_TRY(dp_args_shape(who, "D", D, Q->size2, Q->size2));
  DP_TRY(dp_no_alias(who, "D", D, "Q", Q));
  return gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, Q, Q, 0.0, D);
}
