/* select.h: the one-hot selector Q (R x V), Q_ia = [t_i = a], and gathers through it.
 *
 * Paper: the core projection M = Q S Q^T (claims C02-C06).  The gather route reads
 * M_ij = S_{t_i t_j} without any V-sized work; the dense Q exists to cross-check it against
 * BLAS products. */
#ifndef DP_SELECT_H
#define DP_SELECT_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>

/* Q (R x V) from tokens t[0..R-1], all < V.  GSL_EINVAL on a token out of range. */
int dp_select_Q(const size_t *t, size_t R, size_t V, gsl_matrix **Q);
/* M_ij = S_{t_i t_j} (R x R) gathered from S (V x V).  M must be R x R. */
int dp_select_gather(const gsl_matrix *S, const size_t *t, size_t R, gsl_matrix *M);
/* Rows of S selected by t: (Q S)_i = S_{t_i, :} (R x V). */
int dp_select_rows(const gsl_matrix *S, const size_t *t, size_t R, gsl_matrix *QS);
/* Multiplicities n_a = #{i : t_i = a} (V entries); returns the number of distinct tokens. */
size_t dp_select_counts(const size_t *t, size_t R, size_t V, size_t *n);

#endif
