/* project.h: the core projection M = Q S Q^T and the vocabulary-level predictions E = M (Q S).
 *
 * Paper: M = Q S Q^T (C02-C04) and E = M (Q S) = Q S D S with D = Q^T Q (C06).  Dense products
 * go through gsl_blas_dgemm, i.e. the CBLAS chosen at configure time. */
#ifndef DP_PROJECT_H
#define DP_PROJECT_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>

/* M = Q S Q^T by two dense products (Q: R x V, S: V x V, M: R x R). */
int dp_project_M_dense(const gsl_matrix *Q, const gsl_matrix *S, gsl_matrix *M);
/* E = M (Q S) (M: R x R, QS: R x V, E: R x V). */
int dp_project_E(const gsl_matrix *M, const gsl_matrix *QS, gsl_matrix *E);
/* E by the other association: (Q S) (D S), with D = diag(n) (n: V multiplicities). */
int dp_project_E_QSDS(const gsl_matrix *QS, const gsl_matrix *S, const size_t *n,
                      gsl_matrix *E);
/* E by rows: E_i = sum_j S_{t_i t_j} S_{t_j, :}, summed in increasing j. */
int dp_project_E_rows(const gsl_matrix *S, const size_t *t, size_t R, gsl_matrix *E);
/* C = A B^T, C = A A and D = Q^T Q (V x V). */
int dp_project_ABt(const gsl_matrix *A, const gsl_matrix *B, gsl_matrix *C);
int dp_project_square(const gsl_matrix *A, gsl_matrix *A2);
int dp_project_D(const gsl_matrix *Q, gsl_matrix *D);

#endif
