/* check_softmax_claims.c: the softmax instance families (src/harness/family_softmax.c) and
 * claims C11-C13 (props/c11..c13).
 *
 * Generators: determinism, the premise of each X mode, shrink candidates, the Monte Carlo
 * prefix property, and the real-text operator of a three-line corpus (counts by hand).  The
 * claims: C11's ratio on a hand-made instance and its twin's rejection, C12's order 2 on a
 * 3-token sequence and its skip with order 3 for R = 2, C13 rejecting a variance of 2; every
 * allocation of the claims, generators, real-text rows and tables failed in turn. */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>

#include "softmax.h"
#include "cooc.h"
#include "err.h"
#include "select.h"
#include "tol.h"
#include "resid.h"
#include "select.h"
#include "claim.h"
#include "registry.h"
#include "family_softmax.h"
#include "testutil.h"

/* ---- generators ----------------------------------------------------------------------------- */

START_TEST(test_gen_counts)
{
  struct dp_sizes sz = {24, 30, 0};
  unsigned seen[DP_XM_COUNT_] = {0}, scaled = 0, masked = 0;
  for (uint64_t s = 1; s <= 120; s++) {
    struct dp_sm_inst *x = dp_sm_inst_make(s, &sz), *y = dp_sm_inst_make(s, &sz);
    ck_assert_ptr_nonnull(x);
    ck_assert(x->R >= 1 && x->R <= 24 && x->V >= 1 && x->V <= 30);
    ck_assert_uint_eq(x->R, y->R);
    ck_assert_uint_eq(dp_resid_mismatch(x->X, y->X, 0, NULL), 0);
    ck_assert_int_eq(memcmp(x->t, y->t, x->R * sizeof *x->t), 0);
    seen[x->mode]++;
    scaled += x->scale_exp != 0;
    for (size_t i = 0; i < x->R; i++)
      ck_assert_uint_lt(x->t[i], x->V);
    ck_assert_uint_eq(dp_resid_mismatch(x->X, x->X, 1, NULL), 0); /* symmetric */
    double lo, hi;
    gsl_matrix_minmax(x->X, &lo, &hi);
    ck_assert(lo >= 0.0 && isfinite(hi));
    if (x->mode == DP_XM_LOGNORMAL || x->mode == DP_XM_SMALLINT) { /* masked pairs, never a
                                                                      masked diagonal */
      for (size_t a = 0; a < x->V; a++) {
        ck_assert(gsl_matrix_get(x->X, a, a) > 0.0);
        for (size_t b = a + 1; b < x->V; b++)
          masked += gsl_matrix_get(x->X, a, b) == 0.0;
      }
    }
    if (x->mode == DP_XM_ADDONE)
      ck_assert(lo > 0.0);
    if (x->mode == DP_XM_COUNTS && x->R >= 2) /* the sequence is in the corpus */
      for (size_t i = 0; i + 1 < x->R; i++)
        ck_assert(gsl_matrix_get(x->X, x->t[i], x->t[i + 1]) > 0.0);
    /* every shrink candidate is a smaller or simpler valid instance */
    for (unsigned k = 0;; k++) {
      struct dp_sm_inst *c = dp_sm_inst_shrink(x, k);
      if (!c)
        break;
      ck_assert_uint_eq(c->seed, x->seed); /* kept through shrinking */
      ck_assert(c->R <= x->R && c->V <= x->V && c->R >= 1);
      for (size_t i = 0; i < c->R; i++)
        ck_assert_uint_lt(c->t[i], c->V);
      dp_sm_inst_free(c);
    }
    dp_sm_inst_free(x);
    dp_sm_inst_free(y);
  }
  for (int m = 0; m < DP_XM_COUNT_; m++)
    ck_assert_msg(seen[m] > 0, "mode %s never drawn", dp_xmode_name((enum dp_xmode)m));
  ck_assert_uint_gt(scaled, 0);
  ck_assert_uint_gt(masked, 0); /* C11's zero-count part has instances to run on */
  ck_assert_str_eq(dp_xmode_name(DP_XM_COUNT_), "?");
  /* from parts, describe, print; shrink of an R = 1 instance with integer entries: none */
  const double xv[] = {2.0, 0.0, 0.0, 3.0};
  gsl_matrix *X = mat(2, 2, xv);
  const size_t t[] = {1};
  struct dp_sm_inst *x = dp_sm_inst_from(X, t, 1, NULL, NULL);
  ck_assert_ptr_nonnull(x);
  char d[200];
  dp_sm_inst_describe(x, d, sizeof d);
  ck_assert_ptr_nonnull(strstr(d, "R=1 V=2"));
  struct dp_sm_inst *c = dp_sm_inst_shrink(x, 0); /* drop the absent word 0 */
  ck_assert_ptr_nonnull(c);
  ck_assert_uint_eq(c->V, 1);
  ck_assert(gsl_matrix_get(c->X, 0, 0) == 3.0);
  struct dp_sm_inst *c2 = dp_sm_inst_shrink(c, 0);
  ck_assert_ptr_null(c2);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  dp_sm_inst_print(f, c);
  fclose(f);
  ck_assert_ptr_nonnull(strstr(buf, "X[0][0] = 0x1.8p+1"));
  free(buf);
  dp_sm_inst_free(c);
  ck_assert_ptr_null(dp_sm_inst_from(X, t, 0, NULL, NULL));
  ck_assert_ptr_null(dp_sm_inst_from(NULL, t, 1, NULL, NULL));
  dp_sm_inst_free(x);
  gsl_matrix_free(X);
}
END_TEST

START_TEST(test_gen_mc)
{
  struct dp_mc_inst *a = dp_mc_inst_sample(42, 8, 200), *b = dp_mc_inst_sample(42, 8, 100);
  ck_assert_int_eq(memcmp(a->dot, b->dot, 100 * sizeof *a->dot), 0); /* prefix property */
  struct dp_mc_inst *h = dp_mc_inst_shrink(a, 0);
  ck_assert_uint_eq(h->N, 100);
  ck_assert_int_eq(memcmp(h->dot, b->dot, 100 * sizeof *b->dot), 0);
  struct dp_mc_inst *d = dp_mc_inst_shrink(b, 0); /* N/2 < 64: halves d_k instead */
  ck_assert_uint_eq(d->d, 4);
  ck_assert_ptr_null(dp_mc_inst_shrink(b, 2));
  ck_assert_ptr_null(dp_mc_inst_sample(1, 0, 10));
  struct dp_mc_inst *one = dp_mc_inst_sample(3, 1, 10);
  ck_assert_ptr_null(dp_mc_inst_shrink(one, 1));
  char s[200];
  dp_mc_inst_describe(one, s, sizeof s);
  ck_assert_ptr_nonnull(strstr(s, "d_k=1 N=10"));
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  dp_mc_inst_print(f, one);
  fclose(f);
  ck_assert_ptr_nonnull(strstr(buf, "q_0 . k_0"));
  free(buf);
  /* make: d_k a power of two <= 1024, N = max(4096, 2^19 / d_k) */
  struct dp_sizes sz = {8, 8, 0};
  for (uint64_t seed = 0; seed < 12; seed++) {
    struct dp_mc_inst *m = dp_mc_inst_make(seed, &sz);
    ck_assert(m->d >= 1 && m->d <= 1024 && (m->d & (m->d - 1)) == 0);
    ck_assert_uint_eq(m->N, m->d <= 128 ? DP_MC_WORK / m->d : DP_MC_N_MIN);
    dp_mc_inst_free(m);
  }
  dp_mc_inst_free(a), dp_mc_inst_free(b), dp_mc_inst_free(h), dp_mc_inst_free(d);
  dp_mc_inst_free(one);
}
END_TEST

static char *tmpfile_with(const char *s)
{
  char *path = strdup("/tmp/check_softmax_XXXXXX");
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
  close(fd);
  return path;
}

START_TEST(test_text)
{
  char *path = tmpfile_with("a b a\nb c\nc c c c\n");
  struct dp_env env = {path, NULL, 1};
  struct dp_sm_text *x = NULL;
  ck_assert_int_eq(dp_sm_text_make(&env, 2, &x), GSL_SUCCESS);
  ck_assert_ptr_nonnull(x);
  ck_assert_uint_eq(x->v, 3);
  ck_assert_uint_eq(x->ndoc, 2);
  ck_assert_str_eq(x->words[0], "a");
  ck_assert_str_eq(x->words[2], "c");
  /* window 1, g = 1: X_ab = 2 (a b, b a), X_bc = 1 */
  const double want[] = {0, 2, 0, 2, 0, 1, 0, 1, 0};
  gsl_matrix_const_view Wv = gsl_matrix_const_view_array(want, 3, 3);
  ck_assert_uint_eq(dp_resid_mismatch(x->X, &Wv.matrix, 0, NULL), 0);
  ck_assert_uint_eq(dp_sm_text_longest(x), 0);
  char snip[48];
  dp_sm_text_snippet(x, 0, snip, sizeof snip);
  ck_assert_str_eq(snip, "a b a");
  dp_sm_text_snippet(x, 0, snip, 8);
  ck_assert_str_eq(snip, "a b ...");
  /* the same from a corpus already read (every word kept) */
  struct dp_corpus *corp = NULL;
  struct dp_vocab_opts vo = {1, 0};
  ck_assert_int_eq(dp_corpus_read(path, &vo, &corp), GSL_SUCCESS);
  struct dp_env env2 = {path, corp, 1};
  struct dp_sm_text *y = NULL;
  ck_assert_int_eq(dp_sm_text_make(&env2, 2, &y), GSL_SUCCESS);
  ck_assert_uint_eq(dp_resid_mismatch(y->X, x->X, 0, NULL), 0);
  ck_assert_str_eq(y->words[1], "b");
  dp_sm_text_free(y);
  ck_assert_int_eq(dp_sm_text_make(&env2, 10, &y), GSL_SUCCESS); /* more than there are */
  ck_assert_uint_eq(y->ndoc, 3);
  ck_assert_uint_eq(dp_sm_text_longest(y), 2);
  dp_sm_text_free(y);
  dp_corpus_free(corp);
  /* no corpus: nothing, and no error; a missing file: an error */
  struct dp_env none = {NULL, NULL, 5};
  ck_assert_int_eq(dp_sm_text_make(&none, 2, &y), GSL_SUCCESS);
  ck_assert_ptr_null(y);
  ck_assert_int_eq(dp_sm_text_make(NULL, 2, &y), GSL_SUCCESS);
  struct dp_env missing = {"/nonexistent/corpus.txt", NULL, 5};
  ck_assert_int_ne(dp_sm_text_make(&missing, 2, &y), GSL_SUCCESS);
  /* a last line without its newline; first documents without any token */
  char *p2 = tmpfile_with("x y\nz x");
  struct dp_env e2 = {p2, NULL, 2};
  ck_assert_int_eq(dp_sm_text_make(&e2, 5, &y), GSL_SUCCESS);
  ck_assert_uint_eq(y->ndoc, 2);
  ck_assert_uint_eq(y->v, 3);
  ck_assert(gsl_matrix_get(y->X, 2, 0) == 1.0); /* z x */
  dp_sm_text_free(y);
  char *p3 = tmpfile_with("\n...\nw\n");
  struct dp_env e3 = {p3, NULL, 2};
  ck_assert_int_eq(dp_sm_text_make(&e3, 2, &y), GSL_EDOM); /* no token in 2 lines */
  ck_assert_ptr_null(y);
  ck_assert_int_eq(dp_corpus_read(p3, &vo, &corp), GSL_SUCCESS);
  struct dp_env e4 = {p3, corp, 2};
  ck_assert_int_eq(dp_sm_text_make(&e4, 2, &y), GSL_EDOM);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "no token"));
  ck_assert_int_eq(dp_sm_text_make(&e4, 3, &y), GSL_SUCCESS);
  ck_assert_uint_eq(y->v, 1);
  dp_sm_text_free(y);
  dp_corpus_free(corp);
  unlink(p2), unlink(p3);
  free(p2), free(p3);
  dp_sm_text_free(x);
  unlink(path);
  free(path);
  dp_sm_text_free(NULL);
}
END_TEST

/* ---- the claims on hand-made instances ------------------------------------------------------ */

static void run(const struct dp_claim *c, void (*fn)(const void *, struct dp_outcome *),
                const void *inst, struct dp_outcome *o)
{
  memset(o, 0, sizeof *o);
  o->figure = NAN;
  fn(inst, o);
  (void)c;
}

START_TEST(test_c11_hand)
{
  const struct dp_claim *c = dp_claim_find("C11");
  ck_assert_ptr_nonnull(c);
  /* words 0, 1, 2; word 2 never co-occurs with word 0 (a zero count, masked) */
  const double xv[] = {3, 1, 0, 1, 5, 2, 0, 2, 7};
  const double bq[] = {0.5, -2, 4}, bk[] = {1, -1, 0.25};
  gsl_matrix *X = mat(3, 3, xv);
  const size_t t[] = {0, 1, 2, 1};
  struct dp_sm_inst *x = dp_sm_inst_from(X, t, 4, bq, bk);
  struct dp_outcome o;
  run(c, c->check, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  ck_assert_uint_eq(o.parts, 4);
  run(c, c->twin, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_FAIL);
  ck_assert_ptr_nonnull(strstr(o.what, "TV"));
  /* a constant key bias is a row constant after all: the twin holds */
  const double bc[] = {2, 2, 2};
  struct dp_sm_inst *y = dp_sm_inst_from(X, t, 4, bq, bc);
  run(c, c->twin, y, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  dp_sm_inst_free(y);
  /* a row with no positive count: skipped */
  const size_t t2[] = {0, 2};
  gsl_matrix_set(X, 0, 0, 0.0);
  y = dp_sm_inst_from(X, t2, 2, NULL, NULL);
  run(c, c->check, y, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_SKIP);
  dp_sm_inst_free(y);
  /* an infinite count: the engine refuses it, the instance is an ERROR */
  gsl_matrix_set(X, 1, 1, INFINITY);
  y = dp_sm_inst_from(X, t, 4, NULL, NULL);
  run(c, c->check, y, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_ERROR);
  dp_sm_inst_free(y);
  /* a wrong reference is caught: softmax(log X) against X^2 / sum X^2 */
  gsl_matrix *S = gsl_matrix_alloc(3, 3), *M = gsl_matrix_alloc(4, 4), *W = gsl_matrix_alloc(4, 4),
             *P = gsl_matrix_alloc(4, 4), *X2 = mat(3, 3, xv);
  gsl_matrix_mul_elements(X2, X2);
  for (size_t k = 0; k < 9; k++)
    gsl_matrix_set(S, k / 3, k % 3, log(xv[k]));
  dp_select_gather(S, t, 4, M);
  ck_assert_int_eq(dp_softmax_rows(M, 1.0, NULL, W, NULL), GSL_SUCCESS);
  ck_assert_int_eq(dp_softmax_conditional(X2, t, 4, NULL, P), GSL_SUCCESS);
  ck_assert(dp_resid_matrix_ratio(W, P, 0, 4 + 4 + 5 * log(7.0), dp_resid_norm(P)) > DP_TOL_RATIO);
  gsl_matrix_free(S), gsl_matrix_free(M), gsl_matrix_free(W), gsl_matrix_free(P);
  gsl_matrix_free(X2);
  dp_sm_inst_free(x);
  gsl_matrix_free(X);
}
END_TEST

static struct dp_inst *seq_inst(const double *S, size_t V, const size_t *t, size_t R)
{
  struct dp_inst *x = calloc(1, sizeof *x);
  x->V = V, x->R = R;
  x->t = malloc(R * sizeof *x->t);
  memcpy(x->t, t, R * sizeof *t);
  x->S = mat(V, V, S);
  x->Sd = mat(V, V, S);
  return x;
}

START_TEST(test_c12_hand)
{
  const struct dp_claim *c = dp_claim_find("C12");
  ck_assert_ptr_nonnull(c);
  const double S[] = {1.0, 0.2, -0.5, 0.2, 2.0, 0.3, -0.5, 0.3, 0.0};
  const size_t t3[] = {0, 1, 2}, t2[] = {0, 1}, t1[] = {2}, tc[] = {1, 1, 1};
  struct dp_inst *x = seq_inst(S, 3, t3, 3);
  struct dp_outcome o;
  run(c, c->check, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  ck_assert(o.figure < 0.5); /* order within 0.05 of 2 */
  run(c, c->twin, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_FAIL);
  ck_assert(o.figure > 9.0 && o.figure < 11.0); /* order 1 */
  dp_inst_free(x);
  /* R = 2: A2 = 0, the order is 3; skipped, not fitted */
  x = seq_inst(S, 3, t2, 2);
  run(c, c->check, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_SKIP);
  ck_assert_ptr_nonnull(strstr(o.what, "O(beta^3)"));
  run(c, c->twin, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_SKIP);
  dp_inst_free(x);
  x = seq_inst(S, 3, t1, 1);
  run(c, c->check, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_SKIP);
  dp_inst_free(x);
  x = seq_inst(S, 3, tc, 3);
  run(c, c->check, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_SKIP);
  ck_assert_ptr_nonnull(strstr(o.what, "constant"));
  dp_inst_free(x);
  /* an infinite entry: ERROR, never a pass */
  double Si[9];
  memcpy(Si, S, sizeof Si);
  Si[4] = INFINITY;
  x = seq_inst(Si, 3, t3, 3);
  run(c, c->check, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_ERROR);
  dp_inst_free(x);
  /* the same three tokens at 2^400 and 2^-400: the grid follows the scale */
  double Sb[9];
  for (int e = -400; e <= 400; e += 800) {
    for (int k = 0; k < 9; k++)
      Sb[k] = ldexp(S[k], e);
    x = seq_inst(Sb, 3, t3, 3);
    run(c, c->check, x, &o);
    ck_assert_msg(dp_claim_judge(c, &o) == DP_PASS, "2^%d: %s", e, o.what);
    dp_inst_free(x);
  }
}
END_TEST

START_TEST(test_c13_hand)
{
  const struct dp_claim *c = dp_claim_find("C13");
  ck_assert_ptr_nonnull(c);
  ck_assert(fabs(DP_C13_ZCRIT - gsl_cdf_ugaussian_Qinv(DP_C13_ALPHA / 2.0)) < 1e-9);
  /* q . k = +-sqrt(2 d): variance 2 after scaling, far outside the band */
  struct dp_mc_inst *x = dp_mc_inst_sample(5, 4, 4096);
  for (size_t n = 0; n < x->N; n++)
    x->dot[n] = (n % 2 ? -1.0 : 1.0) * sqrt(8.0);
  struct dp_outcome o;
  run(c, c->check, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_FAIL);
  /* exactly variance 1 after scaling: T = 0 */
  for (size_t n = 0; n < x->N; n++)
    x->dot[n] = (n % 2 ? -1.0 : 1.0) * 2.0;
  run(c, c->check, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  ck_assert(o.figure == 0.0);
  run(c, c->twin, x, &o); /* variance 1/4 for the twin */
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_FAIL);
  dp_mc_inst_free(x);
  /* real samples, d_k = 1: the claim holds and the twin, which coincides with it, skips */
  x = dp_mc_inst_sample(11, 1, 20000);
  run(c, c->check, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_PASS);
  run(c, c->twin, x, &o);
  ck_assert_int_eq(dp_claim_judge(c, &o), DP_SKIP);
  ck_assert_ptr_nonnull(strstr(o.what, "d_k = 1"));
  dp_mc_inst_free(x);
}
END_TEST

/* The claims' real-text rows and extras on a small corpus, with few trials. */
START_TEST(test_claims_small_run)
{
  char *path = tmpfile_with("in the beginning god created the heaven and the earth\n"
                            "and the earth was without form and void and darkness was upon "
                            "the face of the deep\nand god said let there be light and there "
                            "was light\n");
  const char *ids[] = {"C11", "C12", "C13"};
  for (int k = 0; k < 3; k++) {
    const struct dp_claim *c = dp_claim_find(ids[k]);
    struct dp_run_opts o = {0};
    o.master = 7;
    o.trials = 12;
    o.sizes.R_max = 16;
    o.sizes.V_max = 20;
    o.shrink = 1;
    o.max_cex = 1;
    o.env.corpus_path = path;
    o.env.window = 2;
    struct dp_result r;
    ck_assert_int_eq(dp_run_claim(c, &o, &r), GSL_SUCCESS);
    ck_assert_msg(r.verdict == DP_PASS, "%s: %s (%s)", c->id, dp_verdict_name(r.verdict),
                  r.error);
    ck_assert_int_eq(r.evidence_status, GSL_SUCCESS);
    ck_assert_uint_gt(r.evidence.ntables + r.evidence.nplots, 0);
    if (c->cases) {
      ck_assert_uint_eq(r.ncases, 2);
      for (size_t i = 0; i < r.ncases; i++) {
        ck_assert_int_eq(dp_claim_judge(c, &r.cases[i].claim), DP_PASS);
        ck_assert_int_eq(dp_claim_judge(c, &r.cases[i].twin), DP_FAIL);
      }
    }
    dp_result_free(&r);
  }
  unlink(path);
  free(path);
}
END_TEST

/* ---- allocation failures ---------------------------------------------------------------- */

/* Run a claim's check (or twin) with each allocation failing in turn: the outcome is an
 * ERROR, or exactly the undisturbed outcome. */
static void oom_outcome(void (*fn)(const void *, struct dp_outcome *), const void *inst)
{
  struct dp_outcome ref, o;
  memset(&ref, 0, sizeof ref);
  ref.figure = NAN;
  fn(inst, &ref);
  ck_assert_int_eq(ref.status, DP_MEASURED);
  for (long n = 0;; n++) {
    memset(&o, 0, sizeof o);
    o.figure = NAN;
    alloc_arm(n);
    fn(inst, &o);
    if (!alloc_disarm())
      break;
    ck_assert_msg(o.status == DP_BROKEN || (o.status == ref.status && o.figure == ref.figure),
                  "allocation %ld failed: status %d, figure %g (undisturbed %g)", n, o.status,
                  o.figure, ref.figure);
  }
}

START_TEST(test_oom_claims)
{
  const double xv[] = {3, 1, 0, 1, 5, 2, 0, 2, 7};
  const double bq[] = {0.5, -2, 4}, bk[] = {1, -1, 0.25};
  gsl_matrix *X = mat(3, 3, xv);
  const size_t t[] = {0, 1, 2, 1};
  struct dp_sm_inst *x = dp_sm_inst_from(X, t, 4, bq, bk);
  const struct dp_claim *c11 = dp_claim_find("C11"), *c12 = dp_claim_find("C12"),
                        *c13 = dp_claim_find("C13");
  oom_outcome(c11->check, x);
  oom_outcome(c11->twin, x);
  const double S[] = {1.0, 0.2, -0.5, 0.2, 2.0, 0.3, -0.5, 0.3, 0.0};
  const size_t t3[] = {0, 1, 2};
  struct dp_inst *y = seq_inst(S, 3, t3, 3);
  oom_outcome(c12->check, y);
  oom_outcome(c12->twin, y);
  struct dp_mc_inst *z = dp_mc_inst_sample(3, 2, 256);
  oom_outcome(c13->check, z);
  dp_mc_inst_free(z);
  dp_inst_free(y);
  dp_sm_inst_free(x);
  gsl_matrix_free(X);
}
END_TEST

/* Generators and the real-text operator: NULL (or an error) or the undisturbed result. */
START_TEST(test_oom_generators)
{
  struct dp_sizes sz = {12, 12, 0};
  for (uint64_t seed = 1; seed <= 6; seed++) {
    struct dp_sm_inst *ref = dp_sm_inst_make(seed, &sz);
    for (long n = 0;; n++) {
      alloc_arm(n);
      struct dp_sm_inst *x = dp_sm_inst_make(seed, &sz);
      int failed = alloc_disarm();
      if (x) {
        ck_assert_uint_eq(dp_resid_mismatch(x->X, ref->X, 0, NULL), 0);
        for (unsigned k = 0; k < 8; k++) { /* shrink candidates under failure too */
          alloc_arm(n % 3);
          struct dp_sm_inst *c = dp_sm_inst_shrink(x, k);
          alloc_disarm();
          dp_sm_inst_free(c);
        }
      }
      dp_sm_inst_free(x);
      if (!failed)
        break;
    }
    dp_sm_inst_free(ref);
  }
  for (long n = 0;; n++) {
    alloc_arm(n);
    struct dp_mc_inst *m = dp_mc_inst_sample(9, 4, 300), *h = m ? dp_mc_inst_shrink(m, 0) : NULL;
    struct dp_mc_inst *d = m ? dp_mc_inst_shrink(m, 1) : NULL;
    int failed = alloc_disarm();
    dp_mc_inst_free(m), dp_mc_inst_free(h), dp_mc_inst_free(d);
    if (!failed)
      break;
  }
  char *path = tmpfile_with("a b a\nb c\nc c c c\n");
  struct dp_env env = {path, NULL, 1};
  struct dp_sm_text *ref = NULL;
  ck_assert_int_eq(dp_sm_text_make(&env, 2, &ref), GSL_SUCCESS);
  for (long n = 0;; n++) {
    struct dp_sm_text *tx = NULL;
    alloc_arm(n);
    int st = dp_sm_text_make(&env, 2, &tx);
    int failed = alloc_disarm();
    if (st == GSL_SUCCESS) {
      ck_assert_ptr_nonnull(tx);
      ck_assert_uint_eq(dp_resid_mismatch(tx->X, ref->X, 0, NULL), 0);
    } else
      ck_assert_ptr_null(tx);
    dp_sm_text_free(tx);
    if (!failed)
      break;
  }
  dp_sm_text_free(ref);
  unlink(path);
  free(path);
}
END_TEST

/* The claims' real-text rows and extras: an error status, never a crash. */
START_TEST(test_oom_real_extras)
{
  char *path = tmpfile_with("in the beginning god created the heaven and the earth\n"
                            "and the earth was without form and void\n");
  struct dp_env env = {path, NULL, 2};
  const char *ids[] = {"C11", "C12"};
  for (int k = 0; k < 2; k++) {
    const struct dp_claim *c = dp_claim_find(ids[k]);
    for (long n = 0;; n++) {
      struct dp_case_row rows[8];
      size_t nrows = 0;
      alloc_arm(n);
      int st = run_cases(c, &env, rows, 8, &nrows);
      int failed = alloc_disarm();
      if (st == GSL_SUCCESS && !failed)
        ck_assert_uint_eq(nrows, 2);
      if (!failed)
        break;
    }
  }
  /* C13's extras allocate only through the engine and the Monte Carlo sampler */
  const struct dp_claim *c = dp_claim_find("C13");
  struct dp_run_opts o = {0};
  o.master = 3;
  for (long n = 0, prev = 1, step; ; step = n + prev, prev = n, n = step) { /* Fibonacci */
    struct dp_evidence ex = {0};
    alloc_arm(n);
    int st = run_evidence(c, &o, &ex);
    int failed = alloc_disarm();
    if (!failed)
      ck_assert_int_eq(st, GSL_SUCCESS);
    dp_evidence_free(&ex);
    if (!failed)
      break;
  }
  unlink(path);
  free(path);
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("softmax");
  TCase *tc = tcase_create("generators");
  tcase_add_test(tc, test_gen_counts);
  tcase_add_test(tc, test_gen_mc);
  tcase_add_test(tc, test_text);
  suite_add_tcase(s, tc);
  tc = tcase_create("claims");
  tcase_add_test(tc, test_c11_hand);
  tcase_add_test(tc, test_c12_hand);
  tcase_add_test(tc, test_c13_hand);
  tcase_add_test(tc, test_claims_small_run);
  tcase_set_timeout(tc, 120);
  tcase_set_tags(tc, "slow"); /* left out of `make check-quick` */
  suite_add_tcase(s, tc);
  tc = tcase_create("allocation-failures");
  tcase_add_test(tc, test_oom_claims);
  tcase_add_test(tc, test_oom_generators);
  tcase_add_test(tc, test_oom_real_extras);
  tcase_set_timeout(tc, 300);
  tcase_set_tags(tc, "slow"); /* left out of `make check-quick` */
  suite_add_tcase(s, tc);
  return s;
}
