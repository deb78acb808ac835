/* check_rng.c: seeds, the random stream and the instance generators (rng.h). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cooc.h"
#include "family.h"
#include "resid.h"
#include "rng.h"
#include "seed.h"
#include "spectral.h"
#include "tol.h"
#include "testutil.h"

static const struct dp_sizes sizes = {64, 200, 0};

START_TEST(test_replay_seed)
{
  /* trial t of master m is trial 0 of master m + t * GAMMA: the replay rule */
  uint64_t m = 12345;
  for (unsigned t = 0; t < 50; t++) {
    uint64_t r = dp_seed_replay(m, t);
    ck_assert_uint_eq(dp_seed_replay(r, 0), r);
    ck_assert_uint_eq(dp_seed_instance(r, "C03"), dp_seed_trial(r, "C03", 0));
  }
  /* claims get different instances from the same trial */
  ck_assert_uint_ne(dp_seed_instance(m, "C02"), dp_seed_instance(m, "C03"));
  ck_assert_uint_ne(dp_seed_replay(m, 1), dp_seed_replay(m, 2));
}
END_TEST

START_TEST(test_stream)
{
  /* FNV-1a's published test vectors: "" and "a", "foobar" in two pieces */
  ck_assert_uint_eq(dp_fnv1a(DP_FNV1A_INIT, "", 0), UINT64_C(0xcbf29ce484222325));
  ck_assert_uint_eq(dp_fnv1a(DP_FNV1A_INIT, "a", 1), UINT64_C(0xaf63dc4c8601ec8c));
  ck_assert_uint_eq(dp_fnv1a(dp_fnv1a(DP_FNV1A_INIT, "foo", 3), "bar", 3),
                    UINT64_C(0x85944171f73967e8));
  dp_rng a, b;
  dp_rng_seed(&a, 7);
  dp_rng_seed(&b, 7);
  for (int i = 0; i < 100; i++)
    ck_assert_uint_eq(dp_rng_u64(&a), dp_rng_u64(&b));
  dp_rng_seed(&b, 8);
  ck_assert_uint_ne(dp_rng_u64(&a), dp_rng_u64(&b));
  /* moments of 10^5 draws; with a fixed seed these are fixed numbers, the bounds are 6 sigma */
  double s = 0, s2 = 0, g = 0, g2 = 0;
  size_t hist[5] = {0}, zipf0 = 0, N = 100000;
  for (size_t i = 0; i < N; i++) {
    double u = dp_rng_uniform(&a), z = dp_rng_gauss(&a);
    ck_assert(u >= 0.0 && u < 1.0);
    s += u, s2 += u * u, g += z, g2 += z * z;
    size_t k = dp_rng_below(&a, 5);
    ck_assert_uint_lt(k, 5);
    hist[k]++;
    zipf0 += dp_rng_zipf(&a, 3) == 0;
  }
  ck_assert(fabs(s / N - 0.5) < 6 * sqrt(1.0 / 12 / N));
  ck_assert(fabs(g / N) < 6 / sqrt((double)N));
  ck_assert(fabs(g2 / N - 1.0) < 6 * sqrt(2.0 / N));
  for (int k = 0; k < 5; k++)
    ck_assert(fabs((double)hist[k] - N / 5.0) < 6 * sqrt(N * 0.2 * 0.8));
  /* P(0) = 1 / (1 + 1/2 + 1/3) = 6/11 */
  ck_assert(fabs((double)zipf0 / N - 6.0 / 11) < 6 * sqrt(0.25 / N));
  ck_assert_uint_eq(dp_rng_range(&a, 4, 4), 4);
  ck_assert_uint_eq(dp_rng_below(&a, 1), 0);
}
END_TEST

static int symmetric(const gsl_matrix *S)
{
  for (size_t i = 0; i < S->size1; i++)
    for (size_t j = 0; j < S->size2; j++)
      if (gsl_matrix_get(S, i, j) != gsl_matrix_get(S, j, i))
        return 0;
  return 1;
}

START_TEST(test_generator_covers_hard_cases)
{
  int kinds[DP_SK_COUNT_] = {0}, v_lt_r = 0, v_gt_r = 0, repeated = 0, distinct = 0, absent = 0;
  int scaled = 0, sd_asym = 0;
  for (uint64_t s = 0; s < 400; s++) {
    struct dp_inst *x = dp_inst_make(dp_seed_instance(s, "test"), &sizes);
    ck_assert_uint_ge(x->R, 1);
    ck_assert_uint_le(x->R, sizes.R_max);
    ck_assert_uint_le(x->V, sizes.V_max);
    ck_assert_msg(symmetric(x->S), "S of seed %llu not exactly symmetric", (unsigned long long)s);
    ck_assert(dp_resid_finite(x->S));
    kinds[x->kind]++;
    v_lt_r += x->V < x->R;
    v_gt_r += x->V > x->R;
    size_t nd = 0, mx = 0, *n = calloc(x->V, sizeof *n);
    for (size_t i = 0; i < x->R; i++) {
      ck_assert_uint_lt(x->t[i], x->V);
      n[x->t[i]]++;
    }
    for (size_t a = 0; a < x->V; a++)
      nd += n[a] > 0, mx = n[a] > mx ? n[a] : mx;
    free(n);
    repeated += mx > 1;
    distinct += mx == 1 && x->R > 1;
    absent += nd < x->V;
    scaled += x->scale_exp != 0;
    sd_asym += !symmetric(x->Sd);
    /* the same seed gives the same instance */
    struct dp_inst *y = dp_inst_make(dp_seed_instance(s, "test"), &sizes);
    ck_assert_int_eq(memcmp(x->t, y->t, x->R * sizeof *x->t), 0);
    ck_assert(gsl_matrix_equal(x->S, y->S));
    dp_inst_free(y);
    dp_inst_free(x);
  }
  for (int k = 0; k < DP_SK_COUNT_; k++)
    ck_assert_msg(kinds[k] > 0, "kind %s never generated", dp_skind_name(k));
  ck_assert(v_lt_r > 20 && v_gt_r > 20 && repeated > 20 && distinct > 20 && absent > 20);
  ck_assert(scaled > 20 && sd_asym > 300);
}
END_TEST

START_TEST(test_forced_kind_psd)
{
  for (uint64_t s = 0; s < 50; s++) {
    struct dp_inst *x = dp_inst_make_kind(s, &sizes, DP_SK_PSD);
    ck_assert_int_eq(x->kind, DP_SK_PSD);
    gsl_vector *ev = gsl_vector_alloc(x->V);
    ck_assert_int_eq(dp_spectral_eigen(x->S, ev, NULL), GSL_SUCCESS);
    double lmax = fabs(gsl_vector_get(ev, 0));
    ck_assert(gsl_vector_get(ev, x->V - 1) >= -dp_spectral_rank_tol(x->V, lmax));
    gsl_vector_free(ev);
    dp_inst_free(x);
  }
}
END_TEST

START_TEST(test_shrink_candidates)
{
  struct dp_inst *x = dp_inst_make(42, &sizes);
  while (x->R < 4) { /* find one with a few tokens */
    uint64_t s = x->seed + 1;
    dp_inst_free(x);
    x = dp_inst_make(s, &sizes);
  }
  unsigned k = 0;
  struct dp_inst *c;
  while ((c = dp_inst_shrink(x, k)) != NULL) {
    ck_assert(c->R < x->R || c->V < x->V || !gsl_matrix_equal(c->S, x->S));
    ck_assert_uint_eq(c->seed, x->seed); /* kept: the named substreams of a check stay the same */
    ck_assert_msg(symmetric(c->S), "candidate %u breaks symmetry", k);
    for (size_t i = 0; i < c->R; i++)
      ck_assert_uint_lt(c->t[i], c->V);
    dp_inst_free(c);
    k++;
  }
  ck_assert_uint_ge(k, 2 + x->R); /* halves, one per dropped token, simplifications */
  struct dp_inst *h = dp_inst_shrink(x, 0);
  ck_assert_uint_eq(h->R, x->R / 2);
  ck_assert_int_eq(memcmp(h->t, x->t, h->R * sizeof *h->t), 0);
  dp_inst_free(h);
  char buf[200];
  dp_inst_describe(x, buf, sizeof buf);
  ck_assert_ptr_nonnull(strstr(buf, "R="));
  dp_inst_free(x);
}
END_TEST

START_TEST(test_corpus_instances)
{
  int harmonic = 0, empty_doc = 0;
  for (uint64_t s = 0; s < 200; s++) {
    struct dp_cinst *x = dp_cinst_make(s, &sizes);
    ck_assert(x->c >= 1 && x->c <= 6);
    size_t n = 0;
    for (size_t d = 0; d < x->ndoc; d++)
      n += x->doc_len[d], empty_doc += x->doc_len[d] == 0;
    for (size_t i = 0; i < n; i++)
      ck_assert_uint_lt(x->ids[i], x->V);
    harmonic += x->weight == DP_WEIGHT_HARMONIC;
    struct dp_cinst *c = dp_cinst_shrink(x, 0);
    if (c) {
      size_t m = 0;
      for (size_t d = 0; d < c->ndoc; d++)
        m += c->doc_len[d];
      ck_assert(m < n || c->ndoc < x->ndoc || c->c < x->c || c->V < x->V);
      dp_cinst_free(c);
    }
    dp_cinst_free(x);
  }
  ck_assert(harmonic > 50 && harmonic < 150);
  ck_assert(empty_doc > 0);
}
END_TEST

/* The instances of C04 on master seeds 15 and 31 hold sparse rank-deficient PPMI operators on
 * which GSL's symmetric QR iteration never terminates.  The engine's solver (LAPACK dsyevd)
 * must finish on every one of them with a small backward residual. */
START_TEST(test_eigen_terminates_where_gsl_loops)
{
  const struct dp_sizes sz = {64, 200, 0};
  const uint64_t masters[] = {15, 31};
  size_t checked = 0;
  for (size_t m = 0; m < 2; ++m)
    for (unsigned t = 0; t < 100; ++t) {
      uint64_t seed = dp_seed_trial(masters[m], "C04", t);
      struct dp_inst *x = dp_inst_make(seed, &sz);
      if (x->kind == DP_SK_PPMI || x->kind == DP_SK_COUNTS || x->kind == DP_SK_LOG1P) {
        size_t V = x->V;
        gsl_vector *ev = gsl_vector_alloc(V);
        gsl_matrix *U = gsl_matrix_alloc(V, V);
        double r = -1.0;
        ck_assert_int_eq(dp_spectral_eigen(x->S, ev, U), GSL_SUCCESS);
        ck_assert_int_eq(dp_spectral_eigen_ratio(x->S, ev, U, &r), GSL_SUCCESS);
        ck_assert_msg(r <= DP_TOL_RATIO, "master %llu trial %u: eigen ratio %g",
                      (unsigned long long)masters[m], t, r);
        for (size_t i = 1; i < V; ++i)
          ck_assert(gsl_vector_get(ev, i - 1) >= gsl_vector_get(ev, i));
        gsl_vector_free(ev);
        gsl_matrix_free(U);
        checked++;
      }
      dp_inst_free(x);
    }
  ck_assert_uint_gt(checked, 20);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("rng");
  TCase *tc = tcase_create("seeds");
  tcase_add_test(tc, test_replay_seed);
  tcase_add_test(tc, test_stream);
  suite_add_tcase(s, tc);
  tc = tcase_create("generators");
  tcase_add_test(tc, test_generator_covers_hard_cases);
  tcase_add_test(tc, test_forced_kind_psd);
  tcase_add_test(tc, test_shrink_candidates);
  tcase_add_test(tc, test_corpus_instances);
  tcase_add_test(tc, test_eigen_terminates_where_gsl_loops);
  tcase_set_timeout(tc, 120);
  tcase_set_tags(tc, "slow"); /* left out of `make check-quick` */
  suite_add_tcase(s, tc);
  return s;
}
