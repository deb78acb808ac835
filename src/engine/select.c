/* select.c: the one-hot selector Q (R x V), Q_ia = [t_i = a], and gathers through it.
 *
 * Serves claims C02 (M_ij = S_{t_i t_j}, entrywise), C03 (symmetry of M inherited from S)
 * and C06 (E = M (Q S) = Q S D S with D = Q^T Q = diag(n)).  The gather route reads
 * M_ij = S_{t_i t_j} and (Q S)_i = S_{t_i, :} by pure copies, bit for bit, with no V-sized
 * arithmetic; the dense 0/1 matrix Q exists only so that project.c can form the same
 * quantities by BLAS products and the claims can compare the two routes.  The counts n_a
 * are the diagonal of D.  Every token is checked against V and every dimension against the
 * others; a bad input returns a GSL status with a message (err.h), never aborts. */
#include <stdint.h>
#include <string.h>

#include "args.h"
#include "err.h"
#include "select.h"

int dp_select_Q(const size_t *t, size_t R, size_t V, gsl_matrix **Q)
{
  if (Q == NULL)
    return DP_ERROR(GSL_EFAULT, "dp_select_Q: output pointer is NULL");
  *Q = NULL;
  DP_TRY(dp_args_sequence("dp_select_Q", t, R, V));
  gsl_matrix *q = gsl_matrix_calloc(R, V);
  if (q == NULL)
    return DP_ERROR(GSL_ENOMEM, "dp_select_Q: cannot allocate Q (%zu x %zu)", R, V);
  for (size_t i = 0; i < R; ++i)
    gsl_matrix_set(q, i, t[i], 1.0);
  *Q = q;
  return GSL_SUCCESS;
}

/* S must be V x V (square); V is taken from S. */
static int dp_select_check_S(const char *who, const gsl_matrix *S)
{
  if (S == NULL)
    return DP_ERROR(GSL_EFAULT, "%s: S is NULL", who);
  if (S->size1 != S->size2)
    return DP_ERROR(GSL_EBADLEN, "%s: S is %zu x %zu, not square", who, S->size1, S->size2);
  return GSL_SUCCESS;
}

int dp_select_gather(const gsl_matrix *S, const size_t *t, size_t R, gsl_matrix *M)
{
  DP_TRY(dp_select_check_S("dp_select_gather", S));
  DP_TRY(dp_args_sequence("dp_select_gather", t, R, S->size1));
  DP_TRY(dp_args_shape("dp_select_gather", "M", M, R, R));
  for (size_t i = 0; i < R; ++i) {
    const double *srow = S->data + t[i] * S->tda;
    double *mrow = M->data + i * M->tda;
    for (size_t j = 0; j < R; ++j)
      memcpy(&mrow[j], &srow[t[j]], sizeof(double)); /* a copy of the bits */
  }
  return GSL_SUCCESS;
}

int dp_select_rows(const gsl_matrix *S, const size_t *t, size_t R, gsl_matrix *QS)
{
  DP_TRY(dp_select_check_S("dp_select_rows", S));
  size_t V = S->size1;
  DP_TRY(dp_args_sequence("dp_select_rows", t, R, V));
  DP_TRY(dp_args_shape("dp_select_rows", "QS", QS, R, V));
  for (size_t i = 0; i < R; ++i)
    memmove(QS->data + i * QS->tda, S->data + t[i] * S->tda, V * sizeof(double));
  return GSL_SUCCESS;
}

/* On a bad input (token >= V, NULL arrays, R or V zero) returns SIZE_MAX with a recorded
 * error and leaves n untouched. */
size_t dp_select_counts(const size_t *t, size_t R, size_t V, size_t *n)
{
  if (dp_args_sequence("dp_select_counts", t, R, V) != GSL_SUCCESS)
    return SIZE_MAX;
  if (n == NULL) {
    DP_ERROR(GSL_EFAULT, "dp_select_counts: count array is NULL");
    return SIZE_MAX;
  }
  memset(n, 0, V * sizeof *n);
  size_t distinct = 0;
  for (size_t i = 0; i < R; ++i)
    if (n[t[i]]++ == 0)
      ++distinct;
  return distinct;
}
