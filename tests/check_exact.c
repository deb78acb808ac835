/* check_exact.c: unit tests of exact, the integer matrices of the exact tier (exact.h).
 *
 * Random entries stay in their range and reach both ends; A + A^T is symmetric entry for
 * entry; the selector's products equal the gathers, square and rectangular, and a planted
 * wrong entry is caught and named by dp_exact_differ (count and first position); A B^T and
 * A S B^T on hand-computed cases; the offset counts of a short stream by hand, with
 * X^(-k) = X^(k)T and n - |k| pairs per offset from the counting itself; the offset projection
 * gathered equals the masked sum of Q X^(k) Q^T (whole window and causal part), and a mask
 * shifted by one is caught; the exact pseudo-inverse A^+ B of a full-column-rank A recovers X0
 * from B = A X0 and, by hand, a fraction, leaves a B outside col(A) with A X != B but the normal
 * equations exact, and says when A^T A is singular; the wrong W = A^T B is caught. */
#include <check.h>
#include <stdlib.h>

#include <flint/fmpz.h>
#include <flint/fmpz_mat.h>
#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>

#include "exact.h"
#include "rng.h"
#include "testutil.h"

/* f = v (through libflint, as exact.c does). */
static void zset(fmpz_t f, long v)
{
  fmpz_zero(f);
  fmpz_add_si(f, f, v);
}

static long at(const fmpz_mat_t A, slong i, slong j)
{
  return fmpz_get_si(fmpz_mat_entry(A, i, j));
}

/* A from n row-major values. */
static void fill(fmpz_mat_t A, const long *v)
{
  for (slong i = 0; i < fmpz_mat_nrows(A); i++)
    for (slong j = 0; j < fmpz_mat_ncols(A); j++)
      zset(fmpz_mat_entry(A, i, j), v[i * fmpz_mat_ncols(A) + j]);
}

START_TEST(test_random_range)
{
  dp_rng r;
  dp_rng_seed(&r, 11);
  fmpz_mat_t A;
  fmpz_mat_init(A, 20, 20);
  dp_exact_random(A, &r, 3);
  int lo = 0, hi = 0;
  for (slong i = 0; i < 20; i++)
    for (slong j = 0; j < 20; j++) {
      long v = at(A, i, j);
      ck_assert_int_ge(v, -3);
      ck_assert_int_le(v, 3);
      lo |= v == -3;
      hi |= v == 3;
    }
  ck_assert(lo && hi); /* 400 draws of 7 values: both ends are reached */
  dp_exact_random(A, &r, 0);
  ck_assert(fmpz_mat_is_zero(A));
  fmpz_mat_clear(A);
}
END_TEST

START_TEST(test_symmetrise)
{
  dp_rng r;
  dp_rng_seed(&r, 12);
  fmpz_mat_t A, S;
  fmpz_mat_init(A, 5, 5), fmpz_mat_init(S, 5, 5);
  dp_exact_random(A, &r, 1L << 20);
  fmpz_mat_set(S, A);
  dp_exact_symmetrise(S);
  for (slong i = 0; i < 5; i++)
    for (slong j = 0; j < 5; j++)
      ck_assert_int_eq(at(S, i, j), at(A, i, j) + at(A, j, i));
  fmpz_mat_clear(A), fmpz_mat_clear(S);
}
END_TEST

START_TEST(test_selector_gather)
{
  dp_rng r;
  dp_rng_seed(&r, 13);
  const size_t t[] = {2, 0, 2, 3}, s[] = {1, 1, 0};
  fmpz_mat_t S, Sx, Q, Q2, M, G, Mx, Gx;
  fmpz_mat_init(S, 4, 4), fmpz_mat_init(Sx, 4, 2), fmpz_mat_init(Q, 4, 4);
  fmpz_mat_init(Q2, 3, 2), fmpz_mat_init(M, 4, 4), fmpz_mat_init(G, 4, 4);
  fmpz_mat_init(Mx, 4, 3), fmpz_mat_init(Gx, 4, 3);
  dp_exact_random(S, &r, 1L << 20);
  dp_exact_random(Sx, &r, 1L << 20);
  dp_exact_selector(Q, t);
  for (slong i = 0; i < 4; i++) /* one 1 per row, at the token's column */
    for (slong a = 0; a < 4; a++)
      ck_assert_int_eq(at(Q, i, a), (size_t)a == t[i]);
  dp_exact_selector(Q2, s);
  dp_exact_sandwich(M, Q, S, Q);
  dp_exact_gather(G, S, t, t);
  long i0, j0;
  ck_assert_uint_eq(dp_exact_differ(M, G, &i0, &j0), 0);
  ck_assert_int_eq(i0, -1);
  ck_assert_int_eq(j0, -1);
  ck_assert_int_eq(at(G, 1, 3), at(S, 0, 3)); /* (S)_{t_1 t_3} */
  dp_exact_sandwich(Mx, Q, Sx, Q2);          /* two sequences, two vocabularies */
  dp_exact_gather(Gx, Sx, t, s);
  ck_assert_uint_eq(dp_exact_differ(Mx, Gx, &i0, &j0), 0);
  /* a planted wrong product: one entry off by one is caught and named */
  fmpz_add_ui(fmpz_mat_entry(Mx, 2, 1), fmpz_mat_entry(Mx, 2, 1), 1);
  ck_assert_uint_eq(dp_exact_differ(Mx, Gx, &i0, &j0), 1);
  ck_assert_int_eq(i0, 2);
  ck_assert_int_eq(j0, 1);
  /* the transpose read (vocabularies swapped) differs where t_i != s_j */
  fmpz_mat_t St, Gs;
  fmpz_mat_init(St, 4, 4), fmpz_mat_init(Gs, 4, 4);
  fmpz_mat_transpose(St, S);
  dp_exact_gather(Gs, St, t, t);
  ck_assert_uint_gt(dp_exact_differ(M, Gs, &i0, &j0), 0);
  ck_assert_int_ne(t[i0], t[j0]);
  fmpz_mat_clear(St), fmpz_mat_clear(Gs);
  fmpz_mat_clear(S), fmpz_mat_clear(Sx), fmpz_mat_clear(Q), fmpz_mat_clear(Q2);
  fmpz_mat_clear(M), fmpz_mat_clear(G), fmpz_mat_clear(Mx), fmpz_mat_clear(Gx);
}
END_TEST

START_TEST(test_differ_counts)
{
  fmpz_mat_t A, B;
  fmpz_mat_init(A, 3, 4), fmpz_mat_init(B, 3, 4);
  const long a[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  const long b[] = {1, 2, 3, 4, 5, 6, -7, 8, 9, 0, 11, 13};
  fill(A, a), fill(B, b);
  long i0, j0;
  ck_assert_uint_eq(dp_exact_differ(A, B, &i0, &j0), 3);
  ck_assert_int_eq(i0, 1); /* the first row-major: (1, 2), 7 against -7 */
  ck_assert_int_eq(j0, 2);
  ck_assert_uint_eq(dp_exact_differ(A, A, &i0, &j0), 0);
  fmpz_mat_clear(A), fmpz_mat_clear(B);
}
END_TEST

START_TEST(test_products)
{
  fmpz_mat_t A, B, S, M, N;
  fmpz_mat_init(A, 2, 2), fmpz_mat_init(B, 1, 2), fmpz_mat_init(S, 2, 2);
  fmpz_mat_init(M, 2, 1), fmpz_mat_init(N, 2, 1);
  fill(A, (const long[]){1, 2, 3, 4});
  fill(B, (const long[]){5, 6});
  fill(S, (const long[]){0, 1, -1, 2});
  dp_exact_mul_t(M, A, B); /* [1 2; 3 4] [5; 6] */
  ck_assert_int_eq(at(M, 0, 0), 17);
  ck_assert_int_eq(at(M, 1, 0), 39);
  dp_exact_sandwich(N, A, S, B); /* A S = [-2 5; -4 11], times [5; 6] */
  ck_assert_int_eq(at(N, 0, 0), 20);
  ck_assert_int_eq(at(N, 1, 0), 46);
  fmpz_mat_clear(A), fmpz_mat_clear(B), fmpz_mat_clear(S), fmpz_mat_clear(M);
  fmpz_mat_clear(N);
}
END_TEST

START_TEST(test_offset_counts)
{
  /* w = (0 1 0 2), c = 2: offset 1 pairs (0,1) (1,0) (0,2); offset 2 pairs (0,0) (1,2) */
  const size_t w[] = {0, 1, 0, 2};
  enum { C = 2 };
  fmpz_mat_t Xk[2 * C + 1], T;
  for (int k = 0; k <= 2 * C; k++)
    fmpz_mat_init(Xk[k], 3, 3);
  fmpz_mat_init(T, 3, 3);
  dp_exact_offset_counts(Xk, C, w, 4);
  const long x1[] = {0, 1, 1, 1, 0, 0, 0, 0, 0}, x2[] = {1, 0, 0, 0, 0, 1, 0, 0, 0};
  fill(T, x1);
  ck_assert(fmpz_mat_equal(Xk[C + 1], T));
  fill(T, x2);
  ck_assert(fmpz_mat_equal(Xk[C + 2], T));
  long i0, j0;
  for (int k = 1; k <= C; k++) { /* counted on their own, the left offsets are the transposes */
    fmpz_mat_transpose(T, Xk[C + k]);
    ck_assert_uint_eq(dp_exact_differ(Xk[C - k], T, &i0, &j0), 0);
  }
  /* a longer random stream: every offset k holds n - |k| pairs */
  dp_rng r;
  dp_rng_seed(&r, 14);
  size_t v[30];
  for (size_t p = 0; p < 30; p++)
    v[p] = dp_rng_below(&r, 3);
  dp_exact_offset_counts(Xk, C, v, 30);
  for (int k = -C; k <= C; k++) {
    if (k == 0)
      continue;
    long sum = 0;
    for (slong a = 0; a < 3; a++)
      for (slong b = 0; b < 3; b++)
        sum += at(Xk[C + k], a, b);
    ck_assert_int_eq(sum, 30 - abs(k));
  }
  fmpz_mat_transpose(T, Xk[C + 1]);
  ck_assert_uint_eq(dp_exact_differ(Xk[C - 1], T, &i0, &j0), 0);
  for (int k = 0; k <= 2 * C; k++)
    fmpz_mat_clear(Xk[k]);
  fmpz_mat_clear(T);
}
END_TEST

START_TEST(test_offset_projection)
{
  enum { C = 2, V = 3, R = 6 };
  const size_t t[R] = {0, 2, 2, 1, 0, 1};
  dp_rng r;
  dp_rng_seed(&r, 15);
  fmpz_mat_t Xk[2 * C + 1], Q, P, Mg, Mm, Cg, Cm;
  for (int k = 0; k <= 2 * C; k++)
    fmpz_mat_init(Xk[k], V, V);
  fmpz_mat_init(Q, R, V), fmpz_mat_init(P, R, R), fmpz_mat_init(Mg, R, R);
  fmpz_mat_init(Mm, R, R), fmpz_mat_init(Cg, R, R), fmpz_mat_init(Cm, R, R);
  for (int k = 1; k <= C; k++) {
    dp_exact_random(Xk[C + k], &r, 1L << 20);
    fmpz_mat_transpose(Xk[C - k], Xk[C + k]);
  }
  dp_exact_selector(Q, t);
  for (int k = -C; k <= C; k++) {
    if (k == 0)
      continue;
    dp_exact_sandwich(P, Q, Xk[C + k], Q);
    dp_exact_add_shift(Mm, P, k);
    if (k < 0)
      dp_exact_add_shift(Cm, P, k);
  }
  dp_exact_pos_gather(Mg, (const fmpz_mat_t *)Xk, C, t, -C, C);
  dp_exact_pos_gather(Cg, (const fmpz_mat_t *)Xk, C, t, -C, -1);
  long i0, j0;
  ck_assert_uint_eq(dp_exact_differ(Mg, Mm, &i0, &j0), 0);
  ck_assert_uint_eq(dp_exact_differ(Cg, Cm, &i0, &j0), 0);
  ck_assert_int_eq(at(Mg, 1, 3), at(Xk[C + 2], 2, 1)); /* X^(2)_{t_1 t_3} */
  for (slong i = 0; i < R; i++)                         /* outside the window, 0; causal: j < i */
    for (slong j = 0; j < R; j++) {
      if (j - i > C || i - j > C || i == j)
        ck_assert_int_eq(at(Mg, i, j), 0);
      if (j >= i)
        ck_assert_int_eq(at(Cg, i, j), 0);
    }
  /* a mask shifted by one (offset k placed on diagonal k + 1) is caught */
  fmpz_mat_zero(Mm);
  for (int k = -C; k <= C; k++) {
    if (k == 0)
      continue;
    dp_exact_sandwich(P, Q, Xk[C + k], Q);
    dp_exact_add_shift(Mm, P, k + 1);
  }
  ck_assert_uint_gt(dp_exact_differ(Mg, Mm, &i0, &j0), 0);
  for (int k = 0; k <= 2 * C; k++)
    fmpz_mat_clear(Xk[k]);
  fmpz_mat_clear(Q), fmpz_mat_clear(P), fmpz_mat_clear(Mg), fmpz_mat_clear(Mm);
  fmpz_mat_clear(Cg), fmpz_mat_clear(Cm);
}
END_TEST

START_TEST(test_pinv)
{
  /* by hand: A = (1 1)^T, B = (1 2)^T (not in col(A)): A^+ B = 3/2 */
  fmpz_mat_t A, B, X0, At, W, X1;
  fmpq_mat_t X, Y;
  long i0, j0;
  fmpz_mat_init(A, 2, 1), fmpz_mat_init(B, 2, 1), fmpz_mat_init(X1, 1, 1);
  fmpq_mat_init(X, 1, 1);
  zset(fmpz_mat_entry(A, 0, 0), 1), zset(fmpz_mat_entry(A, 1, 0), 1);
  zset(fmpz_mat_entry(B, 0, 0), 1), zset(fmpz_mat_entry(B, 1, 0), 2);
  ck_assert_int_eq(dp_exact_pinv_mul(X, A, B), 1);
  ck_assert_int_eq(fmpz_get_si(fmpq_numref(fmpq_mat_entry(X, 0, 0))), 3);
  ck_assert_int_eq(fmpz_get_si(fmpq_denref(fmpq_mat_entry(X, 0, 0))), 2);
  zset(fmpz_mat_entry(X1, 0, 0), 3); /* 3 is not 3/2: a rational against an integer */
  ck_assert_uint_eq(dp_exact_differ_q(X, X1, &i0, &j0), 1);
  ck_assert_int_eq(i0, 0);
  ck_assert_int_eq(j0, 0);
  fmpz_mat_clear(X1), fmpq_mat_clear(X), fmpz_mat_clear(A), fmpz_mat_clear(B);

  /* a random full-column-rank A (6 x 3): B = A X0 gives X0 back exactly; the planted wrong
   * values A^T B differ everywhere */
  dp_rng r;
  dp_rng_seed(&r, 7);
  fmpz_mat_init(A, 6, 3), fmpz_mat_init(X0, 3, 4), fmpz_mat_init(B, 6, 4);
  fmpz_mat_init(At, 3, 6), fmpz_mat_init(W, 3, 4);
  fmpq_mat_init(X, 3, 4), fmpq_mat_init(Y, 6, 4);
  dp_exact_random(A, &r, 50);
  dp_exact_random(X0, &r, 50);
  fmpz_mat_mul(B, A, X0);
  ck_assert_int_eq(dp_exact_pinv_mul(X, A, B), 1);
  ck_assert_uint_eq(dp_exact_differ_q(X, X0, &i0, &j0), 0);
  ck_assert_int_eq(i0, -1);
  fmpz_mat_transpose(At, A);
  fmpz_mat_mul(W, At, B);
  ck_assert_uint_eq(dp_exact_differ_q(X, W, &i0, &j0), 12);

  /* B outside col(A): A X != B, yet the normal equations A^T (A X - B) = 0 hold exactly */
  dp_exact_random(B, &r, 50);
  ck_assert_int_eq(dp_exact_pinv_mul(X, A, B), 1);
  fmpq_mat_t Aq, Atq, Bq, Nq;
  fmpq_mat_init(Aq, 6, 3), fmpq_mat_init(Atq, 3, 6), fmpq_mat_init(Bq, 6, 4);
  fmpq_mat_init(Nq, 3, 4);
  fmpq_mat_set_fmpz_mat(Aq, A), fmpq_mat_set_fmpz_mat(Atq, At), fmpq_mat_set_fmpz_mat(Bq, B);
  fmpq_mat_mul(Y, Aq, X);
  ck_assert_uint_gt(dp_exact_differ_q(Y, B, &i0, &j0), 0);
  fmpq_mat_sub(Y, Y, Bq);
  fmpq_mat_mul(Nq, Atq, Y);
  ck_assert(fmpq_mat_is_zero(Nq));
  fmpq_mat_clear(Aq), fmpq_mat_clear(Atq), fmpq_mat_clear(Bq), fmpq_mat_clear(Nq);

  /* rank-deficient A (column 2 = column 0 + column 1): A^T A singular, and said so */
  for (slong i = 0; i < 6; i++)
    fmpz_add(fmpz_mat_entry(A, i, 2), fmpz_mat_entry(A, i, 0), fmpz_mat_entry(A, i, 1));
  ck_assert_int_eq(dp_exact_pinv_mul(X, A, B), 0);
  fmpz_mat_clear(A), fmpz_mat_clear(X0), fmpz_mat_clear(B), fmpz_mat_clear(At);
  fmpz_mat_clear(W), fmpq_mat_clear(X), fmpq_mat_clear(Y);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("exact");
  TCase *tc = tcase_create("matrices");
  tcase_add_test(tc, test_random_range);
  tcase_add_test(tc, test_symmetrise);
  tcase_add_test(tc, test_selector_gather);
  tcase_add_test(tc, test_differ_counts);
  tcase_add_test(tc, test_products);
  tcase_add_test(tc, test_pinv);
  suite_add_tcase(s, tc);
  tc = tcase_create("offsets");
  tcase_add_test(tc, test_offset_counts);
  tcase_add_test(tc, test_offset_projection);
  suite_add_tcase(s, tc);
  return s;
}
