/* exact.h: exact integer matrices for the exact tier (FLINT's fmpz_mat): random integer
 * instances, the one-hot selector, gathers, and entry-by-entry comparison.  Nothing rounds: an
 * identity holds entry for entry, or the first differing entry is named.  The callers own the
 * matrices (fmpz_mat_init / fmpz_mat_clear); shapes are the callers' to get right, as FLINT's
 * own functions ask. */
#ifndef DP_EXACT_H
#define DP_EXACT_H

#include <stddef.h>
#include <flint/fmpz_mat.h>
#include "rng.h"

/* Every entry of A uniform in [-range, range] (range >= 0), from r. */
void dp_exact_random(fmpz_mat_t A, dp_rng *r, long range);
/* A := A + A^T (square A): exactly symmetric. */
void dp_exact_symmetrise(fmpz_mat_t A);
/* Q (R x V) with Q_ia = [t_i = a]; every t_i < V. */
void dp_exact_selector(fmpz_mat_t Q, const size_t *t);
/* M_ij = S_{t1_i t2_j} (M is R1 x R2; t1_i, t2_j index S's rows and columns). */
void dp_exact_gather(fmpz_mat_t M, const fmpz_mat_t S, const size_t *t1, const size_t *t2);
/* How many entries of A and B (same shape) differ; the first (row-major) in *i0, *j0 (-1 when
 * none). */
size_t dp_exact_differ(const fmpz_mat_t A, const fmpz_mat_t B, long *i0, long *j0);

#endif
