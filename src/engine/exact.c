/* exact.c: exact integer matrices for the exact tier (exact.h). */
#include "config.h"

#include <flint/fmpz.h>
#include <flint/fmpz_mat.h>
#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>

#include "exact.h"

/* f = v through libflint (FLINT 2.9's inline fmpz_set_si calls GMP, which is not linked). */
static void zset(fmpz_t f, long v)
{
  fmpz_zero(f);
  fmpz_add_si(f, f, v);
}

void dp_exact_random(fmpz_mat_t A, dp_rng *r, long range)
{
  size_t width = 2 * (size_t)range + 1;
  for (slong i = 0; i < fmpz_mat_nrows(A); i++)
    for (slong j = 0; j < fmpz_mat_ncols(A); j++)
      zset(fmpz_mat_entry(A, i, j), (long)dp_rng_below(r, width) - range);
}

void dp_exact_symmetrise(fmpz_mat_t A)
{
  slong n = fmpz_mat_nrows(A);
  for (slong i = 0; i < n; i++)
    for (slong j = i; j < n; j++) {
      fmpz_add(fmpz_mat_entry(A, i, j), fmpz_mat_entry(A, i, j), fmpz_mat_entry(A, j, i));
      fmpz_set(fmpz_mat_entry(A, j, i), fmpz_mat_entry(A, i, j));
    }
}

void dp_exact_selector(fmpz_mat_t Q, const size_t *t)
{
  fmpz_mat_zero(Q);
  for (slong i = 0; i < fmpz_mat_nrows(Q); i++)
    fmpz_one(fmpz_mat_entry(Q, i, (slong)t[i]));
}

void dp_exact_gather(fmpz_mat_t M, const fmpz_mat_t S, const size_t *t1, const size_t *t2)
{
  for (slong i = 0; i < fmpz_mat_nrows(M); i++)
    for (slong j = 0; j < fmpz_mat_ncols(M); j++)
      fmpz_set(fmpz_mat_entry(M, i, j), fmpz_mat_entry(S, (slong)t1[i], (slong)t2[j]));
}

size_t dp_exact_differ(const fmpz_mat_t A, const fmpz_mat_t B, long *i0, long *j0)
{
  size_t n = 0;
  *i0 = *j0 = -1;
  for (slong i = 0; i < fmpz_mat_nrows(A); i++)
    for (slong j = 0; j < fmpz_mat_ncols(A); j++)
      if (!fmpz_equal(fmpz_mat_entry(A, i, j), fmpz_mat_entry(B, i, j)) && n++ == 0) {
        *i0 = (long)i;
        *j0 = (long)j;
      }
  return n;
}

int dp_exact_pinv_mul(fmpq_mat_t X, const fmpz_mat_t A, const fmpz_mat_t B)
{
  slong m = fmpz_mat_nrows(A), n = fmpz_mat_ncols(A), p = fmpz_mat_ncols(B);
  fmpz_mat_t At, G, C;
  fmpz_mat_init(At, n, m), fmpz_mat_init(G, n, n), fmpz_mat_init(C, n, p);
  fmpz_mat_transpose(At, A);
  fmpz_mat_mul(G, At, A);
  fmpz_mat_mul(C, At, B);
  /* FLINT solves G X = C exactly (fraction-free), and says when G is singular */
  int ok = fmpq_mat_solve_fmpz_mat(X, G, C) != 0;
  fmpz_mat_clear(At), fmpz_mat_clear(G), fmpz_mat_clear(C);
  return ok;
}

size_t dp_exact_differ_q(const fmpq_mat_t A, const fmpz_mat_t B, long *i0, long *j0)
{
  size_t n = 0;
  *i0 = *j0 = -1;
  for (slong i = 0; i < fmpq_mat_nrows(A); i++)
    for (slong j = 0; j < fmpq_mat_ncols(A); j++) {
      const fmpq *a = fmpq_mat_entry(A, i, j);
      /* canonical rationals: an integer has denominator 1 */
      int eq = fmpz_is_one(fmpq_denref(a)) && fmpz_equal(fmpq_numref(a), fmpz_mat_entry(B, i, j));
      if (!eq && n++ == 0) {
        *i0 = (long)i;
        *j0 = (long)j;
      }
    }
  return n;
}

void dp_exact_mul_t(fmpz_mat_t M, const fmpz_mat_t A, const fmpz_mat_t B)
{
  fmpz_mat_t Bt;
  fmpz_mat_init(Bt, fmpz_mat_ncols(B), fmpz_mat_nrows(B));
  fmpz_mat_transpose(Bt, B);
  fmpz_mat_mul(M, A, Bt);
  fmpz_mat_clear(Bt);
}

void dp_exact_sandwich(fmpz_mat_t M, const fmpz_mat_t A, const fmpz_mat_t S, const fmpz_mat_t B)
{
  fmpz_mat_t AS;
  fmpz_mat_init(AS, fmpz_mat_nrows(A), fmpz_mat_ncols(S));
  fmpz_mat_mul(AS, A, S);
  dp_exact_mul_t(M, AS, B);
  fmpz_mat_clear(AS);
}

void dp_exact_offset_counts(fmpz_mat_t *Xk, int c, const size_t *w, size_t n)
{
  for (int k = -c; k <= c; k++) {
    if (k == 0)
      continue;
    fmpz_mat_zero(Xk[k + c]);
    for (size_t p = 0; p < n; p++) {
      long q = (long)p + k;
      if (q < 0 || q >= (long)n)
        continue;
      fmpz *e = fmpz_mat_entry(Xk[k + c], (slong)w[p], (slong)w[q]);
      fmpz_add_ui(e, e, 1);
    }
  }
}

void dp_exact_add_shift(fmpz_mat_t M, const fmpz_mat_t P, long k)
{
  for (slong i = 0; i < fmpz_mat_nrows(M); i++) {
    slong j = i + (slong)k;
    if (j >= 0 && j < fmpz_mat_ncols(M))
      fmpz_add(fmpz_mat_entry(M, i, j), fmpz_mat_entry(M, i, j), fmpz_mat_entry(P, i, j));
  }
}

void dp_exact_pos_gather(fmpz_mat_t M, const fmpz_mat_t *Xk, int c, const size_t *t, long kmin,
                         long kmax)
{
  fmpz_mat_zero(M);
  for (slong i = 0; i < fmpz_mat_nrows(M); i++)
    for (slong j = 0; j < fmpz_mat_ncols(M); j++) {
      long k = (long)(j - i);
      if (k != 0 && k >= kmin && k <= kmax && k >= -c && k <= c)
        fmpz_set(fmpz_mat_entry(M, i, j), fmpz_mat_entry(Xk[k + c], (slong)t[i], (slong)t[j]));
    }
}
