/* check_cross_claims.c: the cross-attention family (src/harness/family_cross.c) and claim C17
 * (props/c17_cross.c).
 *
 * The generator (deterministic, every kind, V1 != V2 both ways, R = 1 on either side, the
 * premise in most instances, d_k capped by --max-dk), fixed small instances: one on which
 * the claim holds and the twin is rejected for an entry it cannot form, a square
 * non-symmetric one rejected by value, a square symmetric one where the twin skips, one
 * where the realisation is not reached; shrinking of a planted fault (the swapped read used
 * as the check) down to one token on each side; the real-text rows (the KJV when
 * DPCHECK_CORPUS names it, and a small corpus), the evidence, and allocation failures. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_matrix.h>

#include "claim.h"
#include "cooc.h"
#include "err.h"
#include "family_cross.h"
#include "registry.h"
#include "resid.h"
#include "seed.h"
#include "tol.h"
#include "testutil.h"

static const struct dp_claim *c17(void)
{
  const struct dp_claim *c = dp_claim_find("C17");
  ck_assert_ptr_nonnull(c);
  return c;
}

static struct dp_outcome run(void (*fn)(const void *, struct dp_outcome *), const void *x)
{
  struct dp_outcome o = {DP_MEASURED, NAN, "", 0, 0};
  fn(x, &o);
  return o;
}

START_TEST(test_generator)
{
  struct dp_sizes sz = {64, 200, 0};
  unsigned kinds[DP_CX_COUNT_] = {0}, premise = 0, v1gt = 0, v2gt = 0, r1 = 0, r2 = 0;
  for (unsigned i = 0; i < 300; i++) {
    uint64_t seed = dp_seed_trial(DP_SEED_DEFAULT, "X17", i);
    struct dp_cross_inst *x = dp_cross_inst_make(seed, &sz), *y = dp_cross_inst_make(seed, &sz);
    ck_assert_ptr_nonnull(x);
    ck_assert(x->Sx->size1 == x->V1 && x->Sx->size2 == x->V2);
    ck_assert(x->R1 >= 1 && x->R1 <= 64 && x->R2 >= 1 && x->R2 <= 64 && x->d >= 1 && x->d_k >= 1);
    for (size_t k = 0; k < x->R1; k++)
      ck_assert(x->t[k] < x->V1);
    for (size_t k = 0; k < x->R2; k++)
      ck_assert(x->s[k] < x->V2);
    ck_assert(dp_resid_finite(x->Sx));
    kinds[x->kind]++;
    premise += x->rank_gen <= x->d && x->rank_gen <= x->d_k;
    v1gt += x->V1 > x->V2;
    v2gt += x->V2 > x->V1;
    r1 += x->R1 == 1;
    r2 += x->R2 == 1;
    if (x->kind == DP_CX_SYM)
      ck_assert(x->V1 == x->V2 && dp_resid_mismatch(x->Sx, x->Sx, 1, NULL) == 0);
    if (x->kind == DP_CX_ZERO)
      ck_assert(dp_resid_norm(x->Sx) == 0.0 && x->rank_gen == 0);
    /* deterministic: the same seed prints the same instance */
    char *p1 = NULL, *p2 = NULL;
    size_t n1 = 0, n2 = 0;
    FILE *f1 = open_memstream(&p1, &n1), *f2 = open_memstream(&p2, &n2);
    dp_cross_inst_print(f1, x);
    dp_cross_inst_print(f2, y);
    fclose(f1);
    fclose(f2);
    ck_assert_str_eq(p1, p2);
    ck_assert_ptr_nonnull(strstr(p1, "S_x["));
    free(p1);
    free(p2);
    dp_cross_inst_free(x);
    dp_cross_inst_free(y);
  }
  for (int k = 0; k < DP_CX_COUNT_; k++)
    ck_assert_msg(kinds[k] > 0, "kind %s never drawn", dp_cross_kind_name(k));
  ck_assert_msg(premise >= 180, "premise in %u of 300", premise);
  ck_assert(v1gt > 30 && v2gt > 30 && r1 > 3 && r2 > 3);
  ck_assert_str_eq(dp_cross_kind_name(-1), "?");
  /* --max-dk caps d_k */
  struct dp_sizes sz1 = {64, 200, 1};
  for (unsigned i = 0; i < 20; i++) {
    struct dp_cross_inst *x = dp_cross_inst_make(dp_seed_trial(1, "X17", i), &sz1);
    ck_assert_uint_eq(x->d_k, 1);
    dp_cross_inst_free(x);
  }
}
END_TEST

/* t = (1 0 1) over V1 = 2, s = (2 0) over V2 = 3: the target word 1 repeated, the source
 * word 1 absent; S_x of rank 2. */
static struct dp_cross_inst *small_instance(size_t d, size_t dk)
{
  const double sx[] = {1.5, -2, 0.25, 4, 0.5, -6};
  gsl_matrix *Sx = mat(2, 3, sx);
  size_t t[] = {1, 0, 1}, s[] = {2, 0};
  struct dp_cross_inst *x = dp_cross_inst_from(t, 3, s, 2, Sx, d, dk);
  gsl_matrix_free(Sx);
  ck_assert_ptr_nonnull(x);
  ck_assert_uint_eq(x->rank_gen, 2);
  return x;
}

START_TEST(test_holds_twin_rejected)
{
  const struct dp_claim *c = c17();
  struct dp_cross_inst *x = small_instance(3, 2);
  struct dp_outcome o = run(c->check, x), tw = run(c->twin, x);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  ck_assert_uint_eq(o.ran, 1u); /* the realisation measured */
  ck_assert_uint_eq(o.parts, 2);
  ck_assert_int_eq(dp_claim_judge(c, &tw), DP_FAIL);
  /* s_0 = 2 >= V1 = 2: (S_x)_{2, 1} does not exist */
  ck_assert_ptr_nonnull(strstr(tw.what, "cannot be formed"));
  dp_cross_inst_free(x);
  /* d = 1 < rank 2: (a) alone, the realisation not reached */
  x = small_instance(1, 2);
  o = run(c->check, x);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  ck_assert_uint_eq(o.ran, 0u);
  ck_assert_uint_eq(o.parts, 1);
  dp_cross_inst_free(x);
}
END_TEST

START_TEST(test_square_twin)
{
  const struct dp_claim *c = c17();
  const double ns[] = {1, 2, 3, 4}, sy[] = {1, 2, 2, 4};
  gsl_matrix *N = mat(2, 2, ns), *S = mat(2, 2, sy);
  size_t t[] = {0, 1}, s[] = {1, 1, 0};
  /* square, not symmetric: every entry formed, (S_x)_{0 1} = 2 read as (S_x)_{1 0} = 3 */
  struct dp_cross_inst *x = dp_cross_inst_from(t, 2, s, 3, N, 2, 2);
  struct dp_outcome o = run(c->check, x), tw = run(c->twin, x);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  ck_assert_int_eq(dp_claim_judge(c, &tw), DP_FAIL);
  ck_assert_ptr_nonnull(strstr(tw.what, "entries it can form differ"));
  dp_cross_inst_free(x);
  /* square and symmetric: the twin cannot differ and skips, saying why */
  x = dp_cross_inst_from(t, 2, s, 3, S, 2, 2);
  o = run(c->check, x);
  tw = run(c->twin, x);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  ck_assert_int_eq(dp_claim_judge(c, &tw), DP_SKIP);
  ck_assert_ptr_nonnull(strstr(tw.what, "S_x square and symmetric"));
  dp_cross_inst_free(x);
  /* not symmetric, but symmetric on the one pair read (R1 = R2 = 1, t = s) */
  x = dp_cross_inst_from(t, 1, t, 1, N, 1, 1);
  tw = run(c->twin, x);
  ck_assert_int_eq(dp_claim_judge(c, &tw), DP_SKIP);
  ck_assert_ptr_nonnull(strstr(tw.what, "symmetric on the pairs read"));
  dp_cross_inst_free(x);
  gsl_matrix_free(N);
  gsl_matrix_free(S);
}
END_TEST

/* A planted fault through the runner: the swapped read used as the check.  Shrinking must
 * reach one token on each side, and the counterexample print the instance. */
START_TEST(test_shrink_planted)
{
  struct dp_claim bad = *c17();
  bad.check = bad.twin;
  struct dp_result r;
  run_planted(&bad, 20, 64, 200, &r);
  const struct dp_cex *x = &r.cex[0];
  ck_assert_msg(strstr(x->sizes_min, "R1=1 ") && strstr(x->sizes_min, "R2=1 "),
                "minimal: %s (from %s, trail %s)", x->sizes_min, x->sizes, x->trail);
  ck_assert_ptr_nonnull(x->instance);
  ck_assert_ptr_nonnull(strstr(x->instance, "S_x["));
  ck_assert_ptr_nonnull(strstr(x->replay, "--claim C17"));
  dp_result_free(&r);
  /* every tactic of a shrunk candidate keeps the shapes consistent */
  struct dp_cross_inst *h = small_instance(3, 2);
  for (unsigned k = 0;; k++) {
    struct dp_cross_inst *y = dp_cross_inst_shrink(h, k);
    if (!y)
      break;
    ck_assert(y->Sx->size1 == y->V1 && y->Sx->size2 == y->V2);
    for (size_t i = 0; i < y->R1; i++)
      ck_assert(y->t[i] < y->V1);
    for (size_t j = 0; j < y->R2; j++)
      ck_assert(y->s[j] < y->V2);
    if (y->V2 == 2) /* the source word 1 dropped: columns 0 and 2 remain, s = (1 0) */
      ck_assert(gsl_matrix_get(y->Sx, 1, 1) == -6 && y->s[0] == 1 && y->s[1] == 0);
    dp_cross_inst_free(y);
  }
  dp_cross_inst_free(h);
}
END_TEST

static const char corpus_text[] =
  "in the beginning god created the heaven and the earth\n"
  "and the earth was without form and void and darkness was upon the face of the deep\n"
  "and god said let there be light and there was light\n";

START_TEST(test_real_rows)
{
  const struct dp_claim *c = c17();
  struct dp_vocab_opts vo = {1, 0};
  struct dp_corpus *corp = NULL;
  ck_assert_int_eq(dp_corpus_from_text(corpus_text, sizeof corpus_text - 1, "mem", &vo, &corp),
                   GSL_SUCCESS);
  struct dp_env none = {NULL, NULL, 2}, small = {NULL, corp, 2};
  const char *kjv = getenv("DPCHECK_CORPUS");
  struct dp_env real = {kjv && *kjv ? kjv : NULL, NULL, 5};
  struct dp_case_row rows[8];
  size_t n = 99;
  ck_assert_int_eq(run_cases(c, &none, rows, 8, &n), GSL_SUCCESS);
  ck_assert_uint_eq(n, 0);
  /* the small corpus has 22 words: split 13 + 9 in the ratio 120 : 80 */
  ck_assert_int_eq(run_cases(c, &small, rows, 8, &n), GSL_SUCCESS);
  ck_assert_uint_eq(n, 2);
  for (size_t i = 0; i < n; i++) {
    ck_assert_int_eq(dp_claim_judge(c, &rows[i].claim), DP_PASS);
    ck_assert_int_eq(dp_claim_judge(c, &rows[i].twin), DP_FAIL);
    ck_assert_msg(strstr(rows[i].label, "first 13 words") != NULL, "%s", rows[i].label);
    ck_assert_ptr_nonnull(strstr(rows[i].label, "next 9"));
  }
  /* one word: no two vocabularies */
  struct dp_corpus *one = NULL;
  ck_assert_int_eq(dp_corpus_from_text("amen amen\n", 10, "mem", &vo, &one), GSL_SUCCESS);
  struct dp_env onew = {NULL, one, 2};
  ck_assert_int_ne(run_cases(c, &onew, rows, 8, &n), GSL_SUCCESS);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "need 2"));
  dp_corpus_free(one);
  if (real.corpus_path) {
    ck_assert_int_eq(run_cases(c, &real, rows, 8, &n), GSL_SUCCESS);
    ck_assert_uint_eq(n, 2);
    for (size_t i = 0; i < n; i++) {
      ck_assert_int_eq(dp_claim_judge(c, &rows[i].claim), DP_PASS);
      ck_assert_uint_eq(rows[i].claim.ran, 1u);
      ck_assert_int_eq(dp_claim_judge(c, &rows[i].twin), DP_FAIL);
      ck_assert_ptr_nonnull(strstr(rows[i].label, "X^>"));
    }
  }
  /* the shared instance on the small corpus, asking for what it has: 6 + 5 words */
  const struct dp_sizes sz = {64, 200, 0};
  struct dp_ctx ctx;
  ck_assert_int_eq(dp_ctx_init(&ctx, c, DP_SEED_DEFAULT, 10, &sz, &small, NULL), GSL_SUCCESS);
  const struct dp_cross_inst *x = NULL, *x2 = NULL;
  char label[300];
  ck_assert_int_eq(dp_cross_inst_shared(&ctx, 6, 5, 4, 3, 0, &x, label, sizeof label), GSL_SUCCESS);
  ck_assert_int_eq(dp_cross_inst_shared(&ctx, 6, 5, 4, 3, 0, &x2, NULL, 0), GSL_SUCCESS);
  ck_assert_ptr_eq(x, x2); /* built once */
  /* target: in the beginning god created heaven (6 words), source: and earth was without
   * form; the sequences: in the beginning god, and earth and */
  ck_assert(x->V1 == 6 && x->V2 == 5 && x->R1 == 4 && x->R2 == 3);
  ck_assert(x->t[0] == 0 && x->t[1] == 1 && x->t[2] == 2 && x->t[3] == 3);
  ck_assert(x->s[0] == 0 && x->s[1] == 1 && x->s[2] == 0);
  /* X^>(heaven, and) with c = 2, 1/|k|: "heaven and" once, at offset 1 */
  ck_assert(gsl_matrix_get(x->Sx, 5, 0) == 1.0);
  struct dp_outcome o = run(c->check, x), tw = run(c->twin, x);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  ck_assert_int_eq(dp_claim_judge(c, &tw), DP_FAIL);
  dp_ctx_done(&ctx);
  dp_corpus_free(corp);
}
END_TEST

START_TEST(test_evidence)
{
  const struct dp_claim *c = c17();
  struct dp_run_opts o = {0};
  o.master = DP_SEED_DEFAULT;
  o.sizes.R_max = 64;
  o.sizes.V_max = 200;
  o.env.window = 5;
  struct dp_evidence xo = {0};
  ck_assert_int_eq(run_evidence(c, &o, &xo), GSL_SUCCESS);
  ck_assert_uint_eq(xo.ntables, 2);
  ck_assert_uint_eq(xo.tables[0].nrow, 8);
  ck_assert_uint_eq(xo.tables[1].nrow, 4);
  ck_assert_ptr_nonnull(strstr(xo.tables[1].cell[0], "(C17)"));
  ck_assert_uint_eq(xo.nplots, 1);
  ck_assert_uint_eq(xo.plots[0].nseries, 2);
  for (size_t r = 0; r < xo.tables[0].nrow; r++) {
    const char *twin = xo.tables[0].cell[r * xo.tables[0].ncol + 10];
    ck_assert_msg(strcmp(twin, "NOT rejected") != 0, "row %zu", r);
    ck_assert_str_eq(xo.tables[0].cell[r * xo.tables[0].ncol + 7], "exact");
  }
  dp_evidence_free(&xo);
}
END_TEST

/* The instance as printed (malloc'd; NULL on no memory). */
static char *printed(const struct dp_cross_inst *x)
{
  char *p = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&p, &n);
  if (!f)
    return NULL;
  dp_cross_inst_print(f, x);
  fclose(f);
  return p;
}

START_TEST(test_out_of_memory)
{
  const struct dp_claim *c = c17();
  struct dp_sizes sz = {12, 10, 0};
  struct dp_cross_inst *x = NULL;
  for (unsigned i = 0; i < 16; i++) {
    uint64_t seed = dp_seed_trial(DP_SEED_DEFAULT, "X17 oom", i);
    INJECT(x = dp_cross_inst_make(seed, &sz), x == NULL);
    for (int tw = 0; tw < 2; tw++) {
      struct dp_outcome ref = run(tw ? c->twin : c->check, x), oo;
      INJECT((memset(&oo, 0, sizeof oo), oo.figure = NAN, (tw ? c->twin : c->check)(x, &oo)),
             (oo.status == DP_BROKEN && oo.what[0] != '\0') ||
                 (oo.status == ref.status && strcmp(oo.what, ref.what) == 0));
    }
    for (size_t k = 0; k < dp_gen_cross.ntactics; k++) {
      const struct dp_tactic *tc = &dp_gen_cross.tactics[k];
      void *y = tc->count(x) ? tc->apply(x, 0) : NULL;
      if (!y) /* changes nothing on this instance */
        continue;
      /* a failed allocation gives no candidate, or (a route that needs no memory: counting
       * the distinct tokens) exactly the undisturbed one */
      char *ref = printed(y), *got = NULL;
      dp_cross_inst_free(y);
      INJECT((y = tc->apply(x, 0), free(got), got = y ? printed(y) : NULL, dp_cross_inst_free(y)),
             y == NULL || !got /* the print ran out */ || strcmp(got, ref) == 0);
      free(got);
      free(ref);
    }
    dp_cross_inst_free(x);
  }
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("cross claims");
  TCase *tc = tcase_create("instances");
  tcase_add_test(tc, test_holds_twin_rejected);
  tcase_add_test(tc, test_square_twin);
  tcase_add_test(tc, test_evidence);
  suite_add_tcase(s, tc);
  tc = tcase_create("slow");
  tcase_add_test(tc, test_generator);
  tcase_add_test(tc, test_shrink_planted);
  tcase_add_test(tc, test_real_rows);
  tcase_add_test(tc, test_out_of_memory);
  tcase_set_timeout(tc, 300);
  tcase_set_tags(tc, "slow"); /* left out of `make check-quick` */
  suite_add_tcase(s, tc);
  return s;
}
