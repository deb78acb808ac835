/* check_uniq.c: unit tests of the engine's constraint systems of Proposition 1
 * (src/engine/uniq.c; claim C05 and C17's rectangular case), linked against the engine alone.
 *
 * Hand-computed cases first (R = 1, V = 1; R = 2, V = 2 with a repeated token; a rectangular
 * case; the Sym(V) domain), then the nullity formulas on many token patterns, a kernel
 * vector verified by exact multiplication, a deliberately wrong candidate rejected, the SVD
 * view against hand values and against the exact nullity, the three routes (dense, row
 * blocks, structured) against each other, the large structured case, names and bad input. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "err.h"
#include "resid.h"
#include "select.h"
#include "tol.h"
#include "uniq.h"
#include "testutil.h"

static const unsigned sets[] = {0, DP_UNIQ_U1, DP_UNIQ_U2, DP_UNIQ_U1 | DP_UNIQ_U2,
                                DP_UNIQ_STRONG, DP_UNIQ_STRONG | DP_UNIQ_U1,
                                DP_UNIQ_STRONG | DP_UNIQ_U2, DP_UNIQ_ALLCONDS};
#define NSETS (sizeof sets / sizeof sets[0])

static struct dp_uniq_result decide(const struct dp_uniq_problem *p, enum dp_uniq_route route)
{
  struct dp_uniq_result r;
  ck_assert_msg(dp_uniq_decide(p, route, &r) == GSL_SUCCESS, "decide: %s", dp_err_last());
  return r;
}

/* The witness of r added to the expected operator: T' = Q1 kron Q2 + v (dense). */
static long *witness_operator(const struct dp_uniq_problem *p, const struct dp_uniq_result *r)
{
  long *K = NULL;
  ck_assert_int_eq(dp_uniq_kron(p, &K), GSL_SUCCESS);
  size_t nc = (size_t)dp_uniq_row_unknowns(p), row = r->w.i * p->R2 + r->w.j;
  for (size_t k = 0; k < r->w.nv; k++)
    K[row * nc + r->w.col[k]] += r->w.val[k];
  return K;
}

static size_t violations(const struct dp_uniq_problem *p, const long *x)
{
  struct dp_uniq_system *s = NULL;
  size_t bad, first;
  ck_assert_int_eq(dp_uniq_build(p, &s), GSL_SUCCESS);
  ck_assert_int_eq(dp_uniq_system_residual(s, x, &bad, &first), GSL_SUCCESS);
  ck_assert((bad == 0) == (first == SIZE_MAX));
  dp_uniq_system_free(s);
  return bad;
}

/* --- hand-computed cases ---------------------------------------------------------------- */

START_TEST(test_R1_V1)
{
  const size_t t[] = {0};
  struct dp_uniq_problem p;
  dp_uniq_problem_square(&p, t, 1, 1, DP_UNIQ_U1 | DP_UNIQ_U2, DP_UNIQ_FULL);
  /* one unknown k; U1 has no equation (no column other than (t_0, t_0)), U2: k = 1 */
  struct dp_uniq_system *s = NULL;
  ck_assert_int_eq(dp_uniq_build(&p, &s), GSL_SUCCESS);
  ck_assert_uint_eq(dp_uniq_system_equations(s), 1);
  ck_assert_uint_eq(dp_uniq_system_unknowns(s), 1);
  ck_assert_int_eq(dp_uniq_system_coef(s, 0, 0), 1);
  ck_assert_int_eq(dp_uniq_system_rhs(s, 0), 1);
  ck_assert_int_eq(dp_uniq_system_coef(s, 5, 0), 0); /* out of range reads 0 */
  ck_assert_int_eq(dp_uniq_system_rhs(s, 5), 0);
  dp_uniq_system_free(s);
  for (int route = DP_UNIQ_DENSE; route <= DP_UNIQ_STRUCTURED; route++) {
    struct dp_uniq_result r = decide(&p, (enum dp_uniq_route)route);
    ck_assert(r.unique && r.matches && r.expected_solves && !r.has_witness);
    ck_assert_uint_eq(r.rank, 1);
    ck_assert_uint_eq(r.nullity, 0);
  }
  /* U1 alone: k free, nullity R^2 = 1; the witness doubles the operator: T'(S) = 2 S_00 */
  p.conds = DP_UNIQ_U1;
  struct dp_uniq_result r = decide(&p, DP_UNIQ_DENSE);
  ck_assert_uint_eq(r.equations, 0);
  ck_assert_uint_eq(r.nullity, 1);
  ck_assert(r.has_witness && r.w.verified);
  ck_assert_int_eq(r.w.t_val, 2);
  ck_assert_int_eq(r.w.q_val, 1);
  /* U2 alone with one word: nullity R^2 V^2 - R^2 = 0, the operator is determined */
  p.conds = DP_UNIQ_U2;
  r = decide(&p, DP_UNIQ_BLOCKS);
  ck_assert(r.unique && r.matches);
  /* no condition: nullity = all unknowns */
  p.conds = 0;
  r = decide(&p, DP_UNIQ_STRUCTURED);
  ck_assert_uint_eq(r.nullity, 1);
  ck_assert(r.has_witness && r.w.verified);
}
END_TEST

START_TEST(test_R2_V2_repeat)
{
  /* t = (1, 1): Q = [0 1; 0 1], every row (i,j) of Q kron Q is e_(1,1) = e_3 */
  const size_t t[] = {1, 1};
  struct dp_uniq_problem p;
  dp_uniq_problem_square(&p, t, 2, 2, DP_UNIQ_U1 | DP_UNIQ_U2, DP_UNIQ_FULL);
  long *K = NULL;
  ck_assert_int_eq(dp_uniq_kron(&p, &K), GSL_SUCCESS);
  for (size_t row = 0; row < 4; row++)
    for (size_t col = 0; col < 4; col++)
      ck_assert_int_eq(K[row * 4 + col], col == 3);
  free(K);
  /* per row: U1 pins columns 0, 1, 2 (3 equations), U2 sums all four */
  struct dp_uniq_system *s = NULL;
  ck_assert_int_eq(dp_uniq_build(&p, &s), GSL_SUCCESS);
  ck_assert_uint_eq(dp_uniq_system_equations(s), 16);
  ck_assert_uint_eq(dp_uniq_system_unknowns(s), 16);
  for (size_t u = 0; u < 16; u++) {
    ck_assert_int_eq(dp_uniq_system_coef(s, 0, u), u == 0);
    ck_assert_int_eq(dp_uniq_system_coef(s, 2, u), u == 2);
    ck_assert_int_eq(dp_uniq_system_coef(s, 3, u), u < 4);      /* row (0,0): U2 */
    ck_assert_int_eq(dp_uniq_system_coef(s, 7, u), u >= 4 && u < 8); /* row (0,1): U2 */
    ck_assert_int_eq(dp_uniq_system_coef(s, 12, u), u == 12);   /* row (1,1): U1 on (0,0) */
  }
  ck_assert_int_eq(dp_uniq_system_rhs(s, 0), 0);
  ck_assert_int_eq(dp_uniq_system_rhs(s, 3), 1);
  dp_uniq_system_free(s);
  for (int route = DP_UNIQ_DENSE; route <= DP_UNIQ_STRUCTURED; route++) {
    struct dp_uniq_result r = decide(&p, (enum dp_uniq_route)route);
    ck_assert(r.consistent && r.unique && r.matches && r.expected_solves);
    ck_assert_uint_eq(r.rank, 16);
    ck_assert_uint_eq(r.equations, 16);
  }
  /* U2 alone: 4 equations, nullity 16 - 4 = 12 = R^2 V^2 - R^2 */
  p.conds = DP_UNIQ_U2;
  struct dp_uniq_result r = decide(&p, DP_UNIQ_DENSE);
  ck_assert_uint_eq(r.rank, 4);
  ck_assert_uint_eq(r.nullity, 12);
  ck_assert(r.has_witness && r.w.verified && !r.unique && !r.matches);
}
END_TEST

/* --- the nullity formulas of claim C05 ---------------------------------------------------- */

START_TEST(test_nullity_formulas)
{
  static const struct { size_t R, V, t[5]; } cases[] = {
    {1, 1, {0}},       {1, 3, {2}},          {2, 2, {0, 1}},       {3, 2, {1, 1, 1}},
    {3, 4, {0, 1, 0}}, {4, 2, {0, 1, 1, 0}}, {2, 5, {4, 4}},       {5, 3, {2, 0, 2, 1, 0}},
    {5, 6, {0, 1, 2, 3, 4}},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    size_t R = cases[c].R, V = cases[c].V;
    uint64_t rows = R * R;
    struct dp_uniq_problem p;
    struct {
      unsigned conds;
      enum dp_uniq_domain dom;
      uint64_t want;
    } expect[] = {
      {DP_UNIQ_U1 | DP_UNIQ_U2, DP_UNIQ_FULL, 0},
      {DP_UNIQ_U1, DP_UNIQ_FULL, rows},
      {DP_UNIQ_U2, DP_UNIQ_FULL, rows * V * V - rows},
      {DP_UNIQ_STRONG, DP_UNIQ_FULL, 0},
      {DP_UNIQ_U1 | DP_UNIQ_U2, DP_UNIQ_SYM, 0},
      {DP_UNIQ_U1, DP_UNIQ_SYM, rows},
      {DP_UNIQ_U2, DP_UNIQ_SYM, rows * (V * (V + 1) / 2 - 1)},
      {DP_UNIQ_U1 | DP_UNIQ_U2, DP_UNIQ_SYM_TESTED, rows * V * (V - 1) / 2},
      {DP_UNIQ_STRONG, DP_UNIQ_SYM_TESTED, rows * V * (V - 1) / 2},
      {0, DP_UNIQ_FULL, rows * V * V},
    };
    for (size_t k = 0; k < sizeof expect / sizeof expect[0]; k++) {
      dp_uniq_problem_square(&p, cases[c].t, R, V, expect[k].conds, expect[k].dom);
      struct dp_uniq_result r = decide(&p, DP_UNIQ_BLOCKS);
      char name[64];
      dp_uniq_name(&p, name, sizeof name);
      ck_assert_msg(r.nullity == expect[k].want, "R=%zu V=%zu %s: nullity %llu, expected %llu",
                    R, V, name, (unsigned long long)r.nullity,
                    (unsigned long long)expect[k].want);
      ck_assert(r.consistent && r.expected_solves);
      ck_assert(r.unique == (expect[k].want == 0));
      ck_assert(r.unique ? r.matches : (r.has_witness && r.w.verified));
    }
  }
}
END_TEST

/* --- witnesses and wrong candidates ------------------------------------------------------- */

START_TEST(test_kernel_vector)
{
  const size_t t[] = {0, 1};
  struct dp_uniq_problem p;
  dp_uniq_problem_square(&p, t, 2, 2, DP_UNIQ_U2, DP_UNIQ_FULL);
  for (int route = DP_UNIQ_DENSE; route <= DP_UNIQ_STRUCTURED; route++) {
    struct dp_uniq_result r = decide(&p, (enum dp_uniq_route)route);
    ck_assert(r.has_witness && r.w.verified);
    ck_assert_uint_ge(r.w.nv, 1);
    long *T = witness_operator(&p, &r);
    /* T' meets U2 exactly (every equation), is not Q kron Q, and breaks U1 */
    ck_assert_uint_eq(violations(&p, T), 0);
    size_t nmis, first;
    ck_assert_int_eq(dp_uniq_compare_kron(&p, T, &nmis, &first), GSL_SUCCESS);
    ck_assert_uint_eq(nmis, r.w.nv);
    struct dp_uniq_problem full = p;
    full.conds = DP_UNIQ_U1 | DP_UNIQ_U2;
    ck_assert_uint_gt(violations(&full, T), 0);
    /* T'(E_ab)_ij is the entry ((ij),(ab)) of T'; it differs from (Q E_ab Q^T)_ij */
    size_t row = r.w.i * 2 + r.w.j, col = r.w.s_a * 2 + r.w.s_b;
    ck_assert_int_eq(T[row * 4 + col], r.w.t_val);
    long q = (t[r.w.i] == r.w.s_a) && (t[r.w.j] == r.w.s_b);
    ck_assert_int_eq(r.w.q_val, q);
    ck_assert_int_ne(r.w.t_val, r.w.q_val);
    ck_assert_ptr_nonnull(strstr(r.w.text, "T'(S) = "));
    free(T);
  }
}
END_TEST

START_TEST(test_wrong_candidate)
{
  const size_t t[] = {2, 0, 2};
  struct dp_uniq_problem p;
  dp_uniq_problem_square(&p, t, 3, 3, DP_UNIQ_U1 | DP_UNIQ_U2, DP_UNIQ_FULL);
  long *K = NULL;
  ck_assert_int_eq(dp_uniq_kron(&p, &K), GSL_SUCCESS);
  size_t nmis, first;
  ck_assert_int_eq(dp_uniq_compare_kron(&p, K, &nmis, &first), GSL_SUCCESS);
  ck_assert_uint_eq(nmis, 0);
  ck_assert_uint_eq(first, SIZE_MAX);
  ck_assert_uint_eq(violations(&p, K), 0);
  /* one entry changed: (i,j) = (1,2), (a,b) = (0,0), index (1*3+2)*9 + 0*3+0 = 45; row
   * (1,2)'s one 1 sits at (t_1, t_2) = (0,2), index 47 */
  ck_assert_int_eq(K[47], 1);
  K[45] += 1;
  ck_assert_int_eq(dp_uniq_compare_kron(&p, K, &nmis, &first), GSL_SUCCESS);
  ck_assert_uint_eq(nmis, 1);
  ck_assert_uint_eq(first, 45);
  ck_assert_uint_eq(violations(&p, K), 2); /* its U1 equation and its row's U2 */
  /* changed at (t_1, t_2) itself: U1 still holds, U2 does not */
  K[45] -= 1;
  K[47] = 2;
  ck_assert_uint_eq(violations(&p, K), 1);
  struct dp_uniq_problem u1 = p;
  u1.conds = DP_UNIQ_U1;
  ck_assert_uint_eq(violations(&u1, K), 0); /* so U1 alone cannot tell it from Q kron Q */
  free(K);
}
END_TEST

/* A candidate operator given to the decision: a wrong one is caught by every route (it is
 * not the solution, it fails an equation, witnesses built on it fail verification). */
START_TEST(test_candidate)
{
  const size_t t[] = {2, 0, 2};
  struct dp_uniq_problem p;
  dp_uniq_problem_square(&p, t, 3, 3, DP_UNIQ_U1 | DP_UNIQ_U2, DP_UNIQ_FULL);
  long *K = NULL;
  ck_assert_int_eq(dp_uniq_kron(&p, &K), GSL_SUCCESS);
  p.candidate = K;
  for (int route = DP_UNIQ_DENSE; route <= DP_UNIQ_STRUCTURED; route++) {
    p.conds = DP_UNIQ_U1 | DP_UNIQ_U2;
    struct dp_uniq_result r = decide(&p, (enum dp_uniq_route)route);
    ck_assert(r.unique && r.matches && r.expected_solves); /* Q kron Q itself */
    K[45] = 1; /* off (t_1, t_2): breaks U1 and U2 of row (1,2) */
    r = decide(&p, (enum dp_uniq_route)route);
    ck_assert(r.unique && !r.matches && !r.expected_solves);
    ck_assert_msg(strstr(r.mismatch, "row (1,2), column (0,0)"), "%s", r.mismatch);
    /* U2 alone: the nullity is right, but T' = candidate + v fails U2 */
    p.conds = DP_UNIQ_U2;
    r = decide(&p, (enum dp_uniq_route)route);
    ck_assert_uint_eq(r.nullity, 9 * 9 - 9);
    ck_assert(r.has_witness && !r.w.verified && !r.expected_solves);
    /* at (t_1, t_2) itself: U1 holds, U2 and the strong reading fail */
    K[45] = 0;
    K[47] = 2;
    p.conds = DP_UNIQ_U1 | DP_UNIQ_U2;
    r = decide(&p, (enum dp_uniq_route)route);
    ck_assert(!r.expected_solves && !r.matches);
    p.conds = DP_UNIQ_STRONG;
    r = decide(&p, (enum dp_uniq_route)route);
    ck_assert(!r.expected_solves && !r.matches);
    K[47] = 0; /* the strong reading's one 1 missing */
    r = decide(&p, (enum dp_uniq_route)route);
    ck_assert(!r.expected_solves && !r.matches);
    K[47] = 1;
  }
  /* another valid solution of U2 alone as the reference: it solves, its witness verifies */
  p.conds = DP_UNIQ_U2;
  p.candidate = NULL;
  struct dp_uniq_result w = decide(&p, DP_UNIQ_DENSE);
  long *T = witness_operator(&p, &w);
  p.candidate = T;
  for (int route = DP_UNIQ_DENSE; route <= DP_UNIQ_STRUCTURED; route++) {
    struct dp_uniq_result r = decide(&p, (enum dp_uniq_route)route);
    ck_assert(r.expected_solves && r.has_witness && r.w.verified);
  }
  /* dp_uniq_kron ignores the candidate */
  long *Q = NULL;
  ck_assert_int_eq(dp_uniq_kron(&p, &Q), GSL_SUCCESS);
  ck_assert_int_eq(memcmp(Q, K, 81 * sizeof *K), 0); /* K is back to Q kron Q */
  free(Q);
  free(T);
  free(K);
  /* a candidate row with more non-zeros than a witness may hold is refused, not misread */
  const size_t one[] = {0};
  dp_uniq_problem_square(&p, one, 1, 9, DP_UNIQ_U2, DP_UNIQ_FULL);
  long ones[81];
  for (size_t k = 0; k < 81; k++)
    ones[k] = 1;
  p.candidate = ones;
  struct dp_uniq_result r;
  ck_assert_int_eq(dp_uniq_decide(&p, DP_UNIQ_STRUCTURED, &r), GSL_ENOMEM);
  ck_assert_int_eq(dp_uniq_decide(&p, DP_UNIQ_DENSE, &r), GSL_ENOMEM);
  /* and one larger than the dense limit */
  const size_t six[] = {0, 1, 2, 3, 4, 5};
  dp_uniq_problem_square(&p, six, 6, 6, DP_UNIQ_U2, DP_UNIQ_FULL);
  p.candidate = ones;
  ck_assert_int_eq(dp_uniq_problem_check(&p), GSL_EINVAL);
}
END_TEST

/* --- the floating-point view ------------------------------------------------------------- */

static double sv_ratio(double a, double b, size_t n, double scale)
{
  return dp_resid_ratio(fabs(a - b), (double)n, scale);
}

START_TEST(test_svd_gap)
{
  /* U2 alone, V = 3: each row block is the all-ones 1 x 9, singular value sqrt(9) = 3, and
   * 8 structural zeros; R = 2 gives 4 values 3 and 32 zeros */
  const size_t t[] = {0, 2};
  struct dp_uniq_problem p;
  dp_uniq_problem_square(&p, t, 2, 3, DP_UNIQ_U2, DP_UNIQ_FULL);
  double sv[36], dv[36];
  struct dp_uniq_svd s, d;
  ck_assert_int_eq(dp_uniq_svd(&p, 0, &s, sv), GSL_SUCCESS);
  ck_assert_int_eq(dp_uniq_svd(&p, 1, &d, dv), GSL_SUCCESS);
  ck_assert_uint_eq(s.unknowns, 36);
  ck_assert_uint_eq(s.equations, 4);
  ck_assert_uint_eq(s.rank, 4);
  ck_assert_uint_eq(s.nullity, 32);
  for (size_t k = 0; k < 4; k++)
    ck_assert(sv_ratio(sv[k], 3.0, 9, 3.0) <= DP_TOL_RATIO);
  ck_assert(sv[4] == 0.0 && s.s_zero == 0.0 && isinf(s.gap));
  ck_assert(s.threshold == DP_RANK_SAFETY * 36 * DBL_EPSILON * s.smax);
  /* dense and blocks: the same multiset of singular values */
  ck_assert_uint_eq(d.nullity, s.nullity);
  for (size_t k = 0; k < 36; k++)
    ck_assert(sv_ratio(sv[k], dv[k], 36, s.smax) <= DP_TOL_RATIO);
  char buf[300];
  dp_uniq_svd_describe(&s, buf, sizeof buf);
  ck_assert_ptr_nonnull(strstr(buf, "numerical nullity 32"));

  /* U1+U2: square blocks, nullity 0, the smallest singular value far above the threshold */
  p.conds = DP_UNIQ_U1 | DP_UNIQ_U2;
  ck_assert_int_eq(dp_uniq_svd(&p, 0, &s, NULL), GSL_SUCCESS);
  ck_assert_uint_eq(s.nullity, 0);
  ck_assert(isnan(s.gap) && isnan(s.s_zero) && s.margin > 1.0);
  dp_uniq_svd_describe(&s, buf, sizeof buf);
  ck_assert_ptr_nonnull(strstr(buf, "numerical nullity 0"));

  /* Sym-tested strong U2 + U1: more equations than unknowns, so the zero singular values are
   * computed, not structural: they fall below the threshold and the count is the exact one */
  p.conds = DP_UNIQ_STRONG | DP_UNIQ_U1;
  p.domain = DP_UNIQ_SYM_TESTED;
  struct dp_uniq_result r = decide(&p, DP_UNIQ_BLOCKS);
  ck_assert_int_eq(dp_uniq_svd(&p, 0, &s, sv), GSL_SUCCESS);
  ck_assert_int_eq(dp_uniq_svd(&p, 1, &d, NULL), GSL_SUCCESS);
  ck_assert_uint_eq(r.nullity, 4 * 3); /* R^2 V (V - 1) / 2 */
  ck_assert_uint_eq(s.nullity, r.nullity);
  ck_assert_uint_eq(d.nullity, r.nullity);
  ck_assert(s.s_zero <= s.threshold && s.s_last > s.threshold && isfinite(s.gap));
  ck_assert(s.gap > s.margin);

  /* the zero operator: no equations at all, every singular value zero */
  p.conds = 0;
  ck_assert_int_eq(dp_uniq_svd(&p, 0, &s, NULL), GSL_SUCCESS);
  ck_assert_uint_eq(s.rank, 0);
  ck_assert_uint_eq(s.nullity, 36);
  ck_assert(isnan(s.margin));
}
END_TEST

/* --- routes against each other ---------------------------------------------------------- */

static void assert_agree(const struct dp_uniq_result *a, const struct dp_uniq_result *b,
                         const char *what)
{
  ck_assert_msg(a->equations == b->equations && a->unknowns == b->unknowns &&
                    a->rank == b->rank && a->nullity == b->nullity &&
                    a->consistent == b->consistent && a->unique == b->unique &&
                    a->matches == b->matches && a->has_witness == b->has_witness &&
                    a->expected_solves == b->expected_solves,
                "%s: routes disagree (rank %llu vs %llu, nullity %llu vs %llu)", what,
                (unsigned long long)a->rank, (unsigned long long)b->rank,
                (unsigned long long)a->nullity, (unsigned long long)b->nullity);
  if (a->has_witness)
    ck_assert_msg(a->w.verified && b->w.verified, "%s: witness not verified", what);
}

START_TEST(test_routes_agree)
{
  size_t t[4], n = 0;
  for (size_t R = 1; R <= 3; R++)
    for (size_t V = 1; V <= 3; V++) {
      memset(t, 0, sizeof t);
      do
        for (size_t k = 0; k < NSETS; k++)
          for (int dom = DP_UNIQ_FULL; dom <= DP_UNIQ_SYM_TESTED; dom++) {
            struct dp_uniq_problem p;
            dp_uniq_problem_square(&p, t, R, V, sets[k], (enum dp_uniq_domain)dom);
            struct dp_uniq_result d = decide(&p, DP_UNIQ_DENSE), b = decide(&p, DP_UNIQ_BLOCKS);
            assert_agree(&d, &b, "dense/blocks");
            /* the dense and the block route find the same kernel vector */
            if (d.has_witness) {
              ck_assert(d.w.i == b.w.i && d.w.j == b.w.j && d.w.nv == b.w.nv);
              ck_assert_str_eq(d.w.text, b.w.text);
            }
            if (dom != DP_UNIQ_SYM_TESTED) {
              struct dp_uniq_result s = decide(&p, DP_UNIQ_STRUCTURED);
              assert_agree(&d, &s, "dense/structured");
            }
            n++;
          }
      while (dp_uniq_pattern_next(t, R, V));
    }
  ck_assert_uint_eq(n, 8 * 3 * 18); /* 18 token patterns: 3 with R = 1, 5 with R = 2, 10 with R = 3 */
}
END_TEST

/* The largest size the dense route takes in C05 (R = 5, V = 6: 900 unknowns). */
START_TEST(test_routes_agree_largest_dense)
{
  const size_t t[] = {0, 1, 0, 2, 5};
  struct dp_uniq_problem p;
  for (size_t k = 0; k < 4; k++) {
    dp_uniq_problem_square(&p, t, 5, 6, sets[k], DP_UNIQ_FULL);
    struct dp_uniq_result d = decide(&p, DP_UNIQ_DENSE), b = decide(&p, DP_UNIQ_BLOCKS),
                          s = decide(&p, DP_UNIQ_STRUCTURED);
    assert_agree(&d, &b, "dense/blocks at 900");
    assert_agree(&d, &s, "dense/structured at 900");
    ck_assert_uint_eq(d.unknowns, 900);
  }
  dp_uniq_problem_square(&p, t, 5, 6, DP_UNIQ_U1 | DP_UNIQ_U2, DP_UNIQ_FULL);
  struct dp_uniq_result d = decide(&p, DP_UNIQ_DENSE);
  ck_assert(d.unique && d.matches && d.rank == 900);
}
END_TEST

START_TEST(test_large_structured)
{
  /* R = 256, V = 20000: 65536 rows of 4e8 unknowns; only the structured route can do it */
  enum { R = 256, V = 20000 };
  static size_t t[R];
  for (size_t i = 0; i < R; i++)
    t[i] = (i * i * 7919u) % 1000u; /* repeats (t_10 = t_90 = 900), words >= 1000 absent */
  struct dp_uniq_problem p;
  dp_uniq_problem_square(&p, t, R, V, DP_UNIQ_U1 | DP_UNIQ_U2, DP_UNIQ_FULL);
  struct dp_uniq_result r = decide(&p, DP_UNIQ_STRUCTURED);
  uint64_t rows = (uint64_t)R * R, cols = (uint64_t)V * V;
  ck_assert(r.unique && r.matches && r.expected_solves);
  ck_assert_uint_eq(r.unknowns, rows * cols);
  ck_assert_uint_eq(r.rank, rows * cols);
  p.conds = DP_UNIQ_U1;
  r = decide(&p, DP_UNIQ_STRUCTURED);
  ck_assert_uint_eq(r.nullity, rows);
  ck_assert(r.has_witness && r.w.verified);
  p.conds = DP_UNIQ_U2;
  r = decide(&p, DP_UNIQ_STRUCTURED);
  ck_assert_uint_eq(r.nullity, rows * cols - rows);
  ck_assert(r.has_witness && r.w.verified);
  p.conds = DP_UNIQ_U1 | DP_UNIQ_U2;
  p.domain = DP_UNIQ_SYM;
  r = decide(&p, DP_UNIQ_STRUCTURED);
  ck_assert(r.unique && r.matches);
  ck_assert_uint_eq(r.unknowns, rows * ((uint64_t)V * (V + 1) / 2));
  /* the dense and block routes refuse it (too large), they do not try */
  ck_assert_int_eq(dp_uniq_decide(&p, DP_UNIQ_DENSE, &r), GSL_EINVAL);
  ck_assert_int_eq(dp_uniq_decide(&p, DP_UNIQ_BLOCKS, &r), GSL_EINVAL);
  /* the same structure on a small instance is what the dense route decides (above) */
}
END_TEST

/* --- rectangular and symmetric domains ----------------------------------------------------- */

START_TEST(test_rectangular)
{
  /* Q1 = [0 1] (t1 = (1), V1 = 2); Q2 = [0 0 1; 1 0 0] (t2 = (2, 0), V2 = 3).
   * Row-major: K_{(0,j),(a,b)} = (Q1)_0a (Q2)_jb: row (0,0) has its 1 at (1,2) = column 5,
   * row (0,1) at (1,0) = column 3. */
  const size_t t1[] = {1}, t2[] = {2, 0};
  struct dp_uniq_problem p = {1, 2, t1, 2, 3, t2, DP_UNIQ_U1 | DP_UNIQ_U2, DP_UNIQ_FULL, NULL};
  long *K = NULL;
  ck_assert_int_eq(dp_uniq_kron(&p, &K), GSL_SUCCESS);
  for (size_t col = 0; col < 6; col++) {
    ck_assert_int_eq(K[col], col == 5);
    ck_assert_int_eq(K[6 + col], col == 3);
  }
  /* Q2 kron Q1 (the column-major convention's matrix: rows (j,i), columns (b,a), entry
   * (Q2)_jb (Q1)_ia) has row 0 at (b,a) = (2,1), column 5, and row 1 at (0,1), column 1: read
   * in the row-major convention it is wrong in row 1 (two entries) */
  long K21[12] = {0};
  K21[0 * 6 + 2 * 2 + 1] = 1, K21[1 * 6 + 0 * 2 + 1] = 1;
  size_t nmis, first;
  ck_assert_int_eq(dp_uniq_compare_kron(&p, K21, &nmis, &first), GSL_SUCCESS);
  ck_assert_uint_eq(nmis, 2);
  ck_assert_uint_eq(first, 6 + 1);
  free(K);
  for (int route = DP_UNIQ_DENSE; route <= DP_UNIQ_STRUCTURED; route++) {
    p.conds = DP_UNIQ_U1 | DP_UNIQ_U2;
    struct dp_uniq_result r = decide(&p, (enum dp_uniq_route)route);
    ck_assert(r.unique && r.matches);
    ck_assert_uint_eq(r.unknowns, 12);
    p.conds = DP_UNIQ_U1;
    r = decide(&p, (enum dp_uniq_route)route);
    ck_assert_uint_eq(r.nullity, 2); /* R1 R2 */
    ck_assert(r.w.verified);
    p.conds = DP_UNIQ_U2;
    r = decide(&p, (enum dp_uniq_route)route);
    ck_assert_uint_eq(r.nullity, 2 * (6 - 1)); /* R1 R2 (V1 V2 - 1) */
    ck_assert(r.w.verified);
  }
  /* Sym(V) on a rectangular pair of sequences over one vocabulary */
  const size_t s1[] = {0, 1}, s2[] = {1, 1, 0};
  struct dp_uniq_problem q = {2, 2, s1, 3, 2, s2, DP_UNIQ_U1 | DP_UNIQ_U2, DP_UNIQ_SYM, NULL};
  struct dp_uniq_result r = decide(&q, DP_UNIQ_BLOCKS), s = decide(&q, DP_UNIQ_STRUCTURED);
  ck_assert(r.unique && r.matches);
  assert_agree(&r, &s, "rectangular Sym");
}
END_TEST

START_TEST(test_sym_domain)
{
  /* R = 1, V = 2, t = (0): the smallest case.  Sym basis: B_00 = E_00, B_01 = E_01 + E_10,
   * B_11 = E_11 (pair indices 0, 1, 2).  T(S) = S_00 is K_s = [1 0 0]. */
  const size_t t[] = {0};
  struct dp_uniq_problem p;
  dp_uniq_problem_square(&p, t, 1, 2, DP_UNIQ_U1 | DP_UNIQ_U2, DP_UNIQ_SYM);
  ck_assert_uint_eq(dp_uniq_row_unknowns(&p), 3);
  ck_assert_uint_eq(dp_uniq_row_equations(&p), 3);
  long *K = NULL;
  ck_assert_int_eq(dp_uniq_kron(&p, &K), GSL_SUCCESS);
  ck_assert(K[0] == 1 && K[1] == 0 && K[2] == 0);
  free(K);
  struct dp_uniq_result r = decide(&p, DP_UNIQ_DENSE);
  ck_assert(r.unique && r.matches);
  /* the same conditions imposed only through symmetric S on the full K: K_00 = 1,
   * K_01 + K_10 = 0, K_11 = 0 leaves nullity 1 = R^2 V (V-1)/2; the witness agrees with
   * Q S Q^T on every symmetric S and differs on E_10 */
  p.domain = DP_UNIQ_SYM_TESTED;
  r = decide(&p, DP_UNIQ_DENSE);
  ck_assert_uint_eq(r.nullity, 1);
  ck_assert(r.has_witness && r.w.verified);
  ck_assert(r.w.s_a != r.w.s_b);
  long *T = witness_operator(&p, &r);
  struct dp_uniq_problem strong = p;
  strong.conds = DP_UNIQ_STRONG; /* T'(B_p) = Q B_p Q^T for every basis element of Sym(V) */
  ck_assert_uint_eq(violations(&strong, T), 0);
  ck_assert_int_eq(T[r.w.s_a * 2 + r.w.s_b], r.w.t_val);
  ck_assert_int_ne(r.w.t_val, r.w.q_val);
  free(T);
  /* two distinct tokens: (Q B_01 Q^T)_01 = Q_00 Q_11 + Q_01 Q_10 = 1, both off-diagonal
   * rows read the one coordinate S_01 = S_10 */
  const size_t u[] = {0, 1};
  dp_uniq_problem_square(&p, u, 2, 2, DP_UNIQ_U1 | DP_UNIQ_U2, DP_UNIQ_SYM);
  ck_assert_int_eq(dp_uniq_kron(&p, &K), GSL_SUCCESS);
  static const long want[12] = {1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1};
  for (size_t k = 0; k < 12; k++)
    ck_assert_int_eq(K[k], want[k]);
  free(K);
  for (int route = DP_UNIQ_DENSE; route <= DP_UNIQ_STRUCTURED; route++) {
    r = decide(&p, (enum dp_uniq_route)route);
    ck_assert(r.unique && r.matches);
  }
  /* U2 alone on Sym: the witness's S is a basis element E_ab + E_ba */
  p.conds = DP_UNIQ_U2;
  r = decide(&p, DP_UNIQ_DENSE);
  ck_assert_uint_eq(r.nullity, 4 * 2);
  ck_assert(r.w.verified);
  ck_assert_ptr_nonnull(strstr(r.w.text, "+E_("));
  ck_assert_ptr_nonnull(strstr(r.w.text, "(Q S Q^T)_("));
}
END_TEST

/* U1 written literally on the ordered upper-triangular coordinates of Sym(V). */
START_TEST(test_sym_ordered)
{
  /* t = (0, 1): row (1,0) has t_1 = 1 > t_0 = 0; its U1 equations pin all three coordinates
   * (pairs {0,0}, {0,1}, {1,1}) to 0, and U2 asks for a sum of 1: no solution */
  const size_t t[] = {0, 1};
  struct dp_uniq_problem p;
  dp_uniq_problem_square(&p, t, 2, 2, DP_UNIQ_U1 | DP_UNIQ_U2, DP_UNIQ_SYM_ORDERED);
  ck_assert_uint_eq(dp_uniq_row_unknowns(&p), 3);
  ck_assert_uint_eq(dp_uniq_row_equations(&p), 4);
  struct dp_uniq_system *s = NULL;
  ck_assert_int_eq(dp_uniq_build(&p, &s), GSL_SUCCESS);
  /* row (0,1) (equations 4..7): pins {0,0} and {1,1}; its own {0,1} kept (0 = 0) */
  ck_assert_int_eq(dp_uniq_system_coef(s, 6, 3 + 1), 0);
  ck_assert_int_eq(dp_uniq_system_coef(s, 4, 3 + 0), 1);
  /* row (1,0) (equations 8..11): its own {0,1} pinned too */
  ck_assert_int_eq(dp_uniq_system_coef(s, 10, 6 + 1), 1);
  dp_uniq_system_free(s);
  struct dp_uniq_result r[3];
  for (int route = DP_UNIQ_DENSE; route <= DP_UNIQ_STRUCTURED; route++) {
    r[route] = decide(&p, (enum dp_uniq_route)route);
    ck_assert(!r[route].consistent && !r[route].unique && !r[route].has_witness);
    ck_assert(!r[route].expected_solves); /* Q kron Q breaks this U1 in row (1,0) */
  }
  assert_agree(&r[0], &r[1], "ordered dense/blocks");
  assert_agree(&r[0], &r[2], "ordered dense/structured");
  ck_assert_ptr_nonnull(strstr(r[0].conflict, "row (1,0)"));
  ck_assert_ptr_nonnull(strstr(r[1].conflict, "row (1,0)"));
  ck_assert_ptr_nonnull(strstr(r[2].conflict, "row (1,0)"));
  ck_assert_ptr_nonnull(strstr(r[2].conflict, "sum of 1"));
  /* the strong reading with it: U1 pins (a*,b*) to 0, the strong reading to 1 */
  p.conds = DP_UNIQ_STRONG | DP_UNIQ_U1;
  struct dp_uniq_result d = decide(&p, DP_UNIQ_DENSE), st = decide(&p, DP_UNIQ_STRUCTURED);
  assert_agree(&d, &st, "ordered strong");
  ck_assert(!st.consistent);
  ck_assert_ptr_nonnull(strstr(st.conflict, "to 0 and to 1"));
  /* U1 alone: solvable (homogeneous), but Q kron Q is not a solution */
  p.conds = DP_UNIQ_U1;
  d = decide(&p, DP_UNIQ_DENSE);
  st = decide(&p, DP_UNIQ_STRUCTURED);
  ck_assert(d.consistent && st.consistent && !d.expected_solves && !st.expected_solves);
  ck_assert(d.nullity == st.nullity && d.rank == st.rank);
  ck_assert(d.has_witness && !d.w.verified && !st.w.verified); /* built on Q kron Q: fails */
  ck_assert_uint_eq(d.nullity, 3); /* rows (0,0), (0,1), (1,1) keep their coordinate */
  /* all tokens equal: no row has t_i > t_j, and U1+U2 is unique again */
  const size_t c[] = {1, 1, 1};
  dp_uniq_problem_square(&p, c, 3, 2, DP_UNIQ_U1 | DP_UNIQ_U2, DP_UNIQ_SYM_ORDERED);
  for (int route = DP_UNIQ_DENSE; route <= DP_UNIQ_STRUCTURED; route++) {
    struct dp_uniq_result u = decide(&p, (enum dp_uniq_route)route);
    ck_assert(u.unique && u.matches);
  }
}
END_TEST

/* --- judging ----------------------------------------------------------------------------- */

START_TEST(test_names)
{
  const size_t t[] = {0};
  struct dp_uniq_problem p;
  static const char *const want[] = {"no condition", "U1 only", "U2 only", "U1+U2",
                                     "strong U2", "strong U2 + U1", "strong U2 + U2",
                                     "U1+U2+strong U2"};
  char buf[64];
  for (size_t k = 0; k < NSETS; k++) {
    dp_uniq_problem_square(&p, t, 1, 1, sets[k], DP_UNIQ_FULL);
    dp_uniq_name(&p, buf, sizeof buf);
    ck_assert_str_eq(buf, want[k]);
  }
  dp_uniq_problem_square(&p, t, 1, 1, DP_UNIQ_U2, DP_UNIQ_SYM);
  dp_uniq_name(&p, buf, sizeof buf);
  ck_assert_str_eq(buf, "Sym: U2 only");
  p.domain = DP_UNIQ_SYM_TESTED;
  dp_uniq_name(&p, buf, sizeof buf);
  ck_assert_str_eq(buf, "Sym-tested: U2 only");
  p.domain = DP_UNIQ_SYM_ORDERED;
  dp_uniq_name(&p, buf, sizeof buf);
  ck_assert_str_eq(buf, "Sym, U1 on ordered pairs: U2 only");
  p.domain = (enum dp_uniq_domain)7;
  dp_uniq_name(&p, buf, sizeof buf);
  ck_assert_str_eq(buf, "?: U2 only");
}
END_TEST

/* --- bad input ------------------------------------------------------------------------- */

START_TEST(test_bad_input)
{
  const size_t t[] = {0, 3}, ok[] = {0, 1};
  struct dp_uniq_problem p;
  struct dp_uniq_result r;
  struct dp_uniq_svd s;
  struct dp_uniq_system *sys = NULL;
  long *K = NULL;
  size_t a, b;
  ck_assert_int_eq(dp_uniq_problem_check(NULL), GSL_EFAULT);
  dp_uniq_problem_square(&p, NULL, 2, 3, DP_UNIQ_U1, DP_UNIQ_FULL);
  ck_assert_int_eq(dp_uniq_decide(&p, DP_UNIQ_DENSE, &r), GSL_EFAULT);
  dp_uniq_problem_square(&p, t, 0, 3, DP_UNIQ_U1, DP_UNIQ_FULL);
  ck_assert_int_eq(dp_uniq_problem_check(&p), GSL_EINVAL);
  ck_assert_uint_eq(dp_uniq_row_unknowns(&p), 0);
  ck_assert_uint_eq(dp_uniq_row_equations(&p), 0);
  dp_uniq_problem_square(&p, t, 2, 3, DP_UNIQ_U1, DP_UNIQ_FULL); /* t_1 = 3 >= V */
  ck_assert_int_eq(dp_uniq_problem_check(&p), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "out of range"));
  struct dp_uniq_problem q = {2, 2, ok, 1, 3, t, DP_UNIQ_U1, DP_UNIQ_FULL, NULL}; /* t2_0 = 0 ok */
  q.R2 = 2; /* now t2_1 = 3 >= V2 = 3 */
  ck_assert_int_eq(dp_uniq_problem_check(&q), GSL_EINVAL);
  dp_uniq_problem_square(&p, ok, 2, 2, 8u, DP_UNIQ_FULL);
  ck_assert_int_eq(dp_uniq_problem_check(&p), GSL_EINVAL);
  dp_uniq_problem_square(&p, ok, 2, 2, DP_UNIQ_U1, (enum dp_uniq_domain)4);
  ck_assert_int_eq(dp_uniq_problem_check(&p), GSL_EINVAL);
  struct dp_uniq_problem rect = {2, 2, ok, 2, 3, ok, DP_UNIQ_U1, DP_UNIQ_SYM, NULL};
  ck_assert_int_eq(dp_uniq_problem_check(&rect), GSL_EINVAL);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "V1 = V2"));
  static size_t big[2];
  struct dp_uniq_problem huge = {2, (size_t)1 << 21, big, 2, (size_t)1 << 21, big, DP_UNIQ_U1,
                                 DP_UNIQ_FULL, NULL};
  ck_assert_int_eq(dp_uniq_problem_check(&huge), GSL_EOVRFLW);
  /* sizes beyond the dense and block routes */
  const size_t six[] = {0, 1, 2, 3, 4, 5};
  dp_uniq_problem_square(&p, six, 6, 6, DP_UNIQ_U1 | DP_UNIQ_U2, DP_UNIQ_FULL); /* 1296 */
  ck_assert_int_eq(dp_uniq_decide(&p, DP_UNIQ_DENSE, &r), GSL_EINVAL);
  ck_assert_int_eq(dp_uniq_build(&p, &sys), GSL_EINVAL);
  ck_assert_ptr_null(sys);
  ck_assert_int_eq(dp_uniq_kron(&p, &K), GSL_EINVAL);
  ck_assert_ptr_null(K);
  ck_assert_int_eq(dp_uniq_svd(&p, 1, &s, NULL), GSL_EINVAL);
  dp_uniq_problem_square(&p, ok, 1, 33, DP_UNIQ_U1, DP_UNIQ_FULL); /* 1089 per row */
  ck_assert_int_eq(dp_uniq_decide(&p, DP_UNIQ_BLOCKS, &r), GSL_EINVAL);
  ck_assert_int_eq(dp_uniq_svd(&p, 0, &s, NULL), GSL_EINVAL);
  /* routes and domains */
  dp_uniq_problem_square(&p, ok, 2, 2, DP_UNIQ_U1, DP_UNIQ_SYM_TESTED);
  ck_assert_int_eq(dp_uniq_decide(&p, DP_UNIQ_STRUCTURED, &r), GSL_EINVAL);
  ck_assert_int_eq(dp_uniq_decide(&p, (enum dp_uniq_route)9, &r), GSL_EINVAL);
  ck_assert_int_eq(dp_uniq_decide(&p, DP_UNIQ_DENSE, NULL), GSL_EFAULT);
  ck_assert_int_eq(dp_uniq_svd(&p, 0, NULL, NULL), GSL_EFAULT);
  /* NULL arguments of the exact checks */
  ck_assert_int_eq(dp_uniq_build(&p, &sys), GSL_SUCCESS);
  ck_assert_int_eq(dp_uniq_system_residual(sys, NULL, &a, &b), GSL_EFAULT);
  dp_uniq_system_free(sys);
  dp_uniq_system_free(NULL);
  ck_assert_int_eq(dp_uniq_compare_kron(&p, NULL, &a, &b), GSL_EFAULT);
  dp_uniq_problem_square(&p, t, 2, 3, DP_UNIQ_U1, DP_UNIQ_FULL);
  long x[36] = {0};
  ck_assert_int_eq(dp_uniq_compare_kron(&p, x, &a, &b), GSL_EINVAL); /* bad tokens */
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("uniq");
  TCase *tc = tcase_create("hand");
  tcase_add_test(tc, test_R1_V1);
  tcase_add_test(tc, test_R2_V2_repeat);
  tcase_add_test(tc, test_rectangular);
  tcase_add_test(tc, test_sym_domain);
  tcase_add_test(tc, test_sym_ordered);
  suite_add_tcase(s, tc);
  tc = tcase_create("exact");
  tcase_add_test(tc, test_nullity_formulas);
  tcase_add_test(tc, test_kernel_vector);
  tcase_add_test(tc, test_wrong_candidate);
  tcase_add_test(tc, test_candidate);
  tcase_add_test(tc, test_svd_gap);
  suite_add_tcase(s, tc);
  tc = tcase_create("routes");
  tcase_add_test(tc, test_routes_agree);
  tcase_add_test(tc, test_routes_agree_largest_dense);
  tcase_add_test(tc, test_large_structured);
  tcase_set_timeout(tc, 300);
  tcase_set_tags(tc, "slow"); /* left out of `make check-quick` */
  suite_add_tcase(s, tc);
  tc = tcase_create("judge");
  tcase_add_test(tc, test_names);
  tcase_add_test(tc, test_bad_input);
  suite_add_tcase(s, tc);
  return s;
}
