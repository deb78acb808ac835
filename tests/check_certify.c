/* check_certify.c: unit tests of certify, the exact tier's certified decisions.
 *
 * The exact PSD test accepts PSD matrices of every rank (zero pivots first, last, in the
 * middle) and refuses indefinite ones, among them one whose smallest eigenvalue is about
 * -5e-13 of its largest (double precision would call it PSD); the eigenvalue enclosures hold
 * the known eigenvalues in descending order, and the projectors the known projectors; repeated
 * eigenvalues are not separated (undecided, never a guess); comparisons certify ordered
 * balls, refute balls ordered the other way and leave overlapping ones undecided; interlacing
 * is refuted on either side where planted wrong. */
#include <check.h>
#include <stdlib.h>

#include <flint/fmpz_mat.h>
#include <arb.h>
#include <arb_mat.h>

#include "certify.h"
#include "rng.h"
#include "exact.h"
#include "testutil.h"

/* An n x n integer matrix from a row-major array. */
static void zmat(fmpz_mat_t A, slong n, const long *a)
{
  fmpz_mat_init(A, n, n);
  for (slong i = 0; i < n; i++)
    for (slong j = 0; j < n; j++) {
      fmpz_zero(fmpz_mat_entry(A, i, j));
      fmpz_add_si(fmpz_mat_entry(A, i, j), fmpz_mat_entry(A, i, j), a[i * n + j]);
    }
}

static int psd_of(slong n, const long *a, slong *rank)
{
  fmpz_mat_t A;
  char why[200];
  zmat(A, n, a);
  *rank = -1;
  int r = dp_cert_psd(A, why, sizeof why, rank);
  ck_assert_msg(why[0] != '\0', "a decision gives its reason");
  fmpz_mat_clear(A);
  return r;
}

START_TEST(test_psd_exact)
{
  slong rank;
  static const long eye[] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  ck_assert_int_eq(psd_of(3, eye, &rank), 1);
  ck_assert_int_eq(rank, 3);
  /* a zero pivot first, then a rank-1 block: PSD of rank 2 */
  static const long zfirst[] = {0, 0, 0, 0, 2, 1, 0, 1, 1};
  ck_assert_int_eq(psd_of(3, zfirst, &rank), 1);
  ck_assert_int_eq(rank, 2);
  /* v v^T with v = (2, 1, -3): rank 1, two zero pivots after the first */
  static const long vv[] = {4, 2, -6, 2, 1, -3, -6, -3, 9};
  ck_assert_int_eq(psd_of(3, vv, &rank), 1);
  ck_assert_int_eq(rank, 1);
  static const long zero[] = {0, 0, 0, 0};
  ck_assert_int_eq(psd_of(2, zero, &rank), 1);
  ck_assert_int_eq(rank, 0);
  /* indefinite: a negative diagonal, a negative pivot later, a zero diagonal with an
   * off-diagonal entry, and a nearly singular one (det = -1 at entries of 10^6) */
  static const long negd[] = {1, 0, 0, -1};
  ck_assert_int_eq(psd_of(2, negd, &rank), 0);
  static const long negp[] = {1, 2, 2, 1};
  ck_assert_int_eq(psd_of(2, negp, &rank), 0);
  static const long hyper[] = {0, 1, 1, 0};
  ck_assert_int_eq(psd_of(2, hyper, &rank), 0);
  static const long zoff[] = {1, 1, 0, 1, 1, 1, 0, 1, 1}; /* the Schur complement is [0 1; 1 1] */
  ck_assert_int_eq(psd_of(3, zoff, &rank), 0);
  static const long close[] = {1000000, 1000001, 1000001, 1000002};
  ck_assert_int_eq(psd_of(2, close, &rank), 0);
  static const long closeok[] = {1000000, 1000001, 1000001, 1000003};
  ck_assert_int_eq(psd_of(2, closeok, &rank), 1);
}
END_TEST

/* B B^T is PSD and B D B^T with a -1 in D and an invertible B is not, on random B. */
START_TEST(test_psd_random)
{
  dp_rng r;
  dp_rng_seed(&r, 20251);
  unsigned refused = 0, tried = 0;
  for (int it = 0; it < 200; it++) {
    slong n = (slong)dp_rng_range(&r, 1, 8), m = (slong)dp_rng_range(&r, 1, 8);
    fmpz_mat_t B, Bt, BD, S;
    fmpz_mat_init(B, n, m), fmpz_mat_init(Bt, m, n), fmpz_mat_init(BD, n, m);
    fmpz_mat_init(S, n, n);
    dp_exact_random(B, &r, 5);
    fmpz_mat_transpose(Bt, B);
    fmpz_mat_mul(S, B, Bt);
    slong rank;
    ck_assert_int_eq(dp_cert_psd(S, NULL, 0, &rank), 1);
    ck_assert_int_eq(rank, fmpz_mat_rank(B));
    /* flip one column's sign in B D: with B square and invertible, S has a negative
     * eigenvalue */
    if (m == n && fmpz_mat_rank(B) == n) {
      fmpz_mat_set(BD, B);
      for (slong i = 0; i < n; i++)
        fmpz_neg(fmpz_mat_entry(BD, i, 0), fmpz_mat_entry(BD, i, 0));
      fmpz_mat_mul(S, BD, Bt);
      tried++;
      refused += dp_cert_psd(S, NULL, 0, NULL) == 0;
    }
    fmpz_mat_clear(B), fmpz_mat_clear(Bt), fmpz_mat_clear(BD), fmpz_mat_clear(S);
  }
  ck_assert_uint_gt(tried, 0);
  ck_assert_uint_eq(refused, tried);
}
END_TEST

START_TEST(test_eig_known)
{
  fmpz_mat_t A;
  arb_ptr lam = _arb_vec_init(3);
  arb_mat_struct proj[2];
  static const long two[] = {2, 1, 1, 2};
  zmat(A, 2, two);
  arb_mat_init(proj + 0, 2, 2), arb_mat_init(proj + 1, 2, 2);
  ck_assert_int_eq(dp_cert_eig_sym_proj(lam, proj, A), 1);
  ck_assert(arb_contains_si(lam + 0, 3) && arb_contains_si(lam + 1, 1));
  ck_assert(!arb_contains_si(lam + 0, 1)); /* the balls are tight, not the whole line */
  arb_t h;
  arb_init(h);
  arb_set_d(h, 0.5);
  for (slong a = 0; a < 2; a++)
    for (slong b = 0; b < 2; b++) {
      ck_assert(arb_contains(arb_mat_entry(proj + 0, a, b), h)); /* (1 1)/sqrt 2 */
      arb_set_d(h, a == b ? 0.5 : -0.5);
      ck_assert(arb_contains(arb_mat_entry(proj + 1, a, b), h)); /* (1 -1)/sqrt 2 */
      arb_set_d(h, 0.5);
    }
  arb_clear(h);
  arb_mat_clear(proj + 0), arb_mat_clear(proj + 1);
  fmpz_mat_clear(A);
  /* diagonal, out of order: sorted descending */
  static const long dg[] = {1, 0, 0, 0, -3, 0, 0, 0, 5};
  zmat(A, 3, dg);
  ck_assert_int_eq(dp_cert_eig_sym(lam, A), 1);
  ck_assert(arb_contains_si(lam + 0, 5) && arb_contains_si(lam + 1, 1) &&
            arb_contains_si(lam + 2, -3));
  fmpz_mat_clear(A);
  /* a repeated eigenvalue cannot be separated: undecided, not a guess */
  static const long rep[] = {2, 0, 0, 0, 2, 0, 0, 0, 7};
  zmat(A, 3, rep);
  ck_assert_int_eq(dp_cert_eig_sym(lam, A), 0);
  fmpz_mat_clear(A);
  _arb_vec_clear(lam, 3);
}
END_TEST

/* Random symmetric integer matrices: the enclosures are ordered and their sum and sum of
 * squares hold the trace and ||A||_F^2, exact integers; the projectors rebuild A
 * (sum lambda_i P_i) and the identity (sum P_i). */
START_TEST(test_eig_random)
{
  dp_rng r;
  dp_rng_seed(&r, 7);
  unsigned ok = 0;
  for (int it = 0; it < 100; it++) {
    slong n = (slong)dp_rng_range(&r, 1, 8);
    fmpz_mat_t A;
    fmpz_mat_init(A, n, n);
    dp_exact_random(A, &r, 1000);
    dp_exact_symmetrise(A);
    arb_ptr lam = _arb_vec_init(n);
    arb_mat_struct P[8];
    for (slong i = 0; i < n; i++)
      arb_mat_init(P + i, n, n);
    if (dp_cert_eig_sym_proj(lam, P, A)) {
      ok++;
      arb_mat_t SA, SI, T;
      fmpz_mat_t I;
      arb_mat_init(SA, n, n), arb_mat_init(SI, n, n), arb_mat_init(T, n, n);
      fmpz_mat_init(I, n, n);
      fmpz_mat_one(I);
      for (slong i = 0; i < n; i++) {
        arb_mat_add(SI, SI, P + i, 256);
        arb_mat_scalar_mul_arb(T, P + i, lam + i, 256);
        arb_mat_add(SA, SA, T, 256);
      }
      ck_assert(arb_mat_contains_fmpz_mat(SA, A));
      ck_assert(arb_mat_contains_fmpz_mat(SI, I));
      arb_mat_clear(SA), arb_mat_clear(SI), arb_mat_clear(T);
      fmpz_mat_clear(I);
      arb_t s, q;
      fmpz_t tr, f2;
      arb_init(s), arb_init(q), fmpz_init(tr), fmpz_init(f2);
      for (slong i = 0; i < n; i++) {
        arb_add(s, s, lam + i, 256);
        arb_addmul(q, lam + i, lam + i, 256);
        fmpz_add(tr, tr, fmpz_mat_entry(A, i, i));
        if (i)
          ck_assert(arb_gt(lam + i - 1, lam + i));
      }
      dp_cert_frob2(f2, A);
      ck_assert(arb_contains_fmpz(s, tr));
      ck_assert(arb_contains_fmpz(q, f2));
      arb_clear(s), arb_clear(q), fmpz_clear(tr), fmpz_clear(f2);
    }
    for (slong i = 0; i < n; i++)
      arb_mat_clear(P + i);
    _arb_vec_clear(lam, n);
    fmpz_mat_clear(A);
  }
  ck_assert_uint_ge(ok, 95); /* generic matrices have simple eigenvalues */
}
END_TEST

static void ball(arb_t x, double mid, double rad)
{
  arb_set_d(x, mid);
  mag_set_d(arb_radref(x), rad);
}

START_TEST(test_compare)
{
  arb_t a, b;
  arb_init(a), arb_init(b);
  ball(a, 1.0, 0.1), ball(b, 0.5, 0.1);
  ck_assert_int_eq(dp_cert_ge(a, b), DP_CERT_HOLDS);
  ck_assert_int_eq(dp_cert_ge(b, a), DP_CERT_REFUTED);
  ball(b, 0.85, 0.1); /* overlaps a */
  ck_assert_int_eq(dp_cert_ge(a, b), DP_CERT_UNDECIDED);
  ck_assert_int_eq(dp_cert_ge(b, a), DP_CERT_UNDECIDED);
  ball(a, 2.0, 0.0), ball(b, 2.0, 0.0); /* equal exact points: a >= b holds */
  ck_assert_int_eq(dp_cert_ge(a, b), DP_CERT_HOLDS);
  arb_clear(a), arb_clear(b);
}
END_TEST

START_TEST(test_interlace)
{
  arb_ptr lS = _arb_vec_init(3), lM = _arb_vec_init(2);
  ball(lS + 0, 3, 1e-9), ball(lS + 1, 2, 1e-9), ball(lS + 2, 1, 1e-9);
  slong k;
  int side;
  ball(lM + 0, 2.5, 1e-9), ball(lM + 1, 1.5, 1e-9);
  ck_assert_int_eq(dp_cert_interlace(lS, 3, lM, 2, &k, &side), DP_CERT_HOLDS);
  ball(lM + 0, 3.5, 1e-9); /* lambda_1(M) > lambda_1(S) */
  ck_assert_int_eq(dp_cert_interlace(lS, 3, lM, 2, &k, &side), DP_CERT_REFUTED);
  ck_assert_int_eq(k, 0);
  ck_assert_int_eq(side, 0);
  ball(lM + 0, 2.5, 1e-9), ball(lM + 1, 0.5, 1e-9); /* lambda_2(M) < lambda_3(S) */
  ck_assert_int_eq(dp_cert_interlace(lS, 3, lM, 2, &k, &side), DP_CERT_REFUTED);
  ck_assert_int_eq(k, 1);
  ck_assert_int_eq(side, 1);
  ball(lM + 1, 1.0, 0.25); /* overlaps lambda_3(S) */
  ck_assert_int_eq(dp_cert_interlace(lS, 3, lM, 2, &k, &side), DP_CERT_UNDECIDED);
  ck_assert_int_eq(k, 1);
  _arb_vec_clear(lS, 3), _arb_vec_clear(lM, 2);
}
END_TEST

START_TEST(test_sq_sum)
{
  arb_ptr l = _arb_vec_init(3);
  arb_t s;
  arb_init(s);
  fmpz_t tot;
  fmpz_init(tot);
  ball(l + 0, 3, 0), ball(l + 1, -1, 0), ball(l + 2, -2, 0);
  ck_assert_int_eq(dp_cert_sq_sum(s, l, 3, -1, NULL), 1);
  ck_assert(arb_equal_si(s, 5));
  ck_assert_int_eq(dp_cert_sq_sum(s, l, 3, 1, NULL), 1);
  ck_assert(arb_equal_si(s, 9));
  /* with the exact total, an empty side is exactly 0 and a full side exactly the total,
   * however wide the balls */
  ball(l + 0, -3, 0.01), ball(l + 1, -1, 0.01), ball(l + 2, -2, 0.01);
  fmpz_add_ui(tot, tot, 14);
  ck_assert_int_eq(dp_cert_sq_sum(s, l, 3, -1, tot), 1);
  ck_assert(arb_equal_si(s, 14));
  ck_assert_int_eq(dp_cert_sq_sum(s, l, 3, 1, tot), 1);
  ck_assert(arb_is_zero(s));
  /* a total the enclosures contradict: an engine error, never a number */
  fmpz_add_ui(tot, tot, 1);
  ck_assert_int_eq(dp_cert_sq_sum(s, l, 3, -1, tot), -1);
  ck_assert(!arb_is_finite(s));
  ball(l + 1, 0.0, 0.5); /* sign undecided */
  ck_assert_int_eq(dp_cert_sq_sum(s, l, 3, -1, NULL), 0);
  fmpz_clear(tot);
  arb_clear(s);
  _arb_vec_clear(l, 3);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("certify");
  TCase *tc = tcase_create("psd");
  tcase_add_test(tc, test_psd_exact);
  tcase_add_test(tc, test_psd_random);
  suite_add_tcase(s, tc);
  tc = tcase_create("enclosures");
  tcase_add_test(tc, test_eig_known);
  tcase_add_test(tc, test_eig_random);
  tcase_add_test(tc, test_compare);
  tcase_add_test(tc, test_interlace);
  tcase_add_test(tc, test_sq_sum);
  suite_add_tcase(s, tc);
  return s;
}
