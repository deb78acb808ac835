/* check_failures.c: how the finished engine modules fail (cooc, smat, select, project,
 * spectral, resid, extras, report, props and the claims C01-C04, C06), with Check.
 *
 * Two kinds of failure.  Bad arguments (NULL pointers, wrong shapes, unknown kinds, tokens
 * out of range): each function returns its documented status and records a reason naming
 * itself, and touches no output.  Allocation failures: this program replaces malloc, calloc
 * and realloc (glibc lets a program do so; the replacements call glibc's own allocator) so
 * that the k-th allocation of an operation fails, for k = 0, 1, 2, ... until the operation
 * makes fewer than k allocations.  After every such run the operation must either report the
 * failure (a status other than GSL_SUCCESS, with a reason recorded in err.c) or succeed with
 * exactly the result of the run without failures; a claim's check must either say it broke
 * (DP_BROKEN, with its reason) or give the very same figure; a report must either fail,
 * leaving no temporary file, or be byte for byte the report written without failures.
 * Never a crash, never a different answer: the engine's promise that an ERROR verdict, not
 * a wrong one, is what a failed allocation costs (err.h).  The runner is run the same way on
 * a claim of its own.  The instance generators (family.c) are not: they do not check their
 * allocations.  Last, the premises of C02 and C03: instances they do not apply to are
 * skipped, with the reason. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "claim.h"
#include "registry.h"
#include "cooc.h"
#include "err.h"
#include "project.h"
#include "report.h"
#include "resid.h"
#include "rng.h"
#include "select.h"
#include "smat.h"
#include "spectral.h"
#include "props.h"
#include "testutil.h"

/* ---------------------------------------------------------------------------------------- */
/* The allocator that fails on request                                                      */

/* alloc_fail.c's allocator, with the engine's error channel cleared at each arming. */
static void arm(long k)
{
  dp_err_clear();
  alloc_arm(k);
}

static int disarm(void) { return alloc_disarm(); }

/* No operation here makes this many allocations; more means a loop that never ends. */
#define FAULT_MAX 20000

/* ---------------------------------------------------------------------------------------- */
/* Digests of results (FNV-1a, 64 bits), to compare a run under failure with the reference   */

struct digest {
  uint64_t h;
};

static void dg_bytes(struct digest *d, const void *p, size_t n) { d->h = dp_fnv1a(d->h, p, n); }

static void dg_size(struct digest *d, size_t x) { dg_bytes(d, &x, sizeof x); }
static void dg_double(struct digest *d, double x) { dg_bytes(d, &x, sizeof x); }
static void dg_str(struct digest *d, const char *s)
{
  dg_bytes(d, s != NULL ? s : "(null)", strlen(s != NULL ? s : "(null)") + 1);
}

static struct digest dg_new(void) { return (struct digest){ DP_FNV1A_INIT }; }

static void dg_gsl(struct digest *d, const gsl_matrix *A)
{
  if (A == NULL) {
    dg_str(d, "no matrix");
    return;
  }
  dg_size(d, A->size1);
  dg_size(d, A->size2);
  for (size_t i = 0; i < A->size1; i++)
    for (size_t j = 0; j < A->size2; j++)
      dg_double(d, gsl_matrix_get(A, i, j));
}

static void dg_smat(struct digest *d, const dp_smat *A)
{
  if (A == NULL) {
    dg_str(d, "no smat");
    return;
  }
  dg_size(d, (size_t)A->kind);
  dg_size(d, A->n1);
  dg_size(d, A->n2);
  dg_size(d, dp_smat_nnz(A));
  for (size_t i = 0; i < A->n1; i++)
    for (size_t j = 0; j < A->n2; j++)
      dg_double(d, dp_smat_get(A, i, j));
}

static void dg_corpus(struct digest *d, const struct dp_corpus *c)
{
  dg_size(d, c->V);
  dg_size(d, c->ntok);
  dg_size(d, c->ndoc);
  dg_size(d, c->nraw);
  dg_bytes(d, c->tok, c->ntok * sizeof *c->tok);
  dg_bytes(d, c->doc_start, (c->ndoc + 1) * sizeof *c->doc_start);
  if (c->vocab != NULL)
    for (size_t a = 0; a < c->V; a++) {
      dg_str(d, c->vocab->words[a]);
      dg_size(d, c->vocab->counts[a]);
      dg_size(d, dp_vocab_find(c->vocab, c->vocab->words[a]));
    }
}

static void dg_counts(struct digest *d, const struct dp_counts *x)
{
  dg_size(d, x->V);
  dg_size(d, (size_t)x->c);
  for (int k = -x->c; k <= x->c; k++)
    dg_smat(d, x->Xk[k + x->c]);
  dg_smat(d, x->Xr);
  dg_smat(d, x->Xl);
  dg_smat(d, x->X);
}

static void dg_outcome(struct digest *d, const struct dp_outcome *o)
{
  dg_size(d, (size_t)o->status);
  dg_double(d, o->figure);
  dg_str(d, o->what);
  dg_size(d, o->parts);
}

/* The verdict on one run under the failure of allocation k: hit says whether the failure
 * happened, same whether the result equals the reference (looked at only on success). */
static void judge(const char *what, long k, int hit, int status, int same)
{
  if (!hit) {
    ck_assert_msg(status == GSL_SUCCESS, "%s: status %d without any failure (%s)", what, status,
                  dp_err_last());
    ck_assert_msg(same, "%s: differs from the reference without any failure", what);
    return;
  }
  if (status != GSL_SUCCESS)
    ck_assert_msg(dp_err_last()[0] != '\0', "%s: allocation %ld failed, status %d, but no "
                  "reason was recorded", what, k, status);
  else
    ck_assert_msg(same, "%s: allocation %ld failed, yet it succeeded with another result", what,
                  k);
}

/* ---------------------------------------------------------------------------------------- */
/* Fixtures                                                                                  */

static const char text[] =
  "In the beginning God created the heaven and the earth.\n"
  "And the earth was without form, and void; and darkness was upon the face of the deep.\n"
  "\n"
  "And God said, Let there be light: and there was light.\n"
  "L'\xC3\xA9t\xC3\xA9 'twas the night's end\n";

static struct dp_corpus *corpus_of_text(void)
{
  struct dp_corpus *c = NULL;
  ck_assert_int_eq(dp_corpus_from_text(text, strlen(text), "text", NULL, &c), GSL_SUCCESS);
  return c;
}

static char tmpdir[64];

static void setup(void)
{
  dp_err_clear();
  snprintf(tmpdir, sizeof tmpdir, "/tmp/check_failures.XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_dir(const char *dir)
{
  DIR *d = opendir(dir);
  if (d == NULL)
    return;
  struct dirent *e;
  char p[512];
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
      snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
      unlink(p);
    }
  closedir(d);
  rmdir(dir);
}

static void teardown(void) { rm_dir(tmpdir); }

/* ---------------------------------------------------------------------------------------- */
/* Allocation failures                                                                       */

START_TEST(test_nomem_corpus)
{
  struct dp_vocab_opts vo[2] = { { 1, 0 }, { 2, 3 } };
  char path[128];
  snprintf(path, sizeof path, "%s/corpus.txt", tmpdir);
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  ck_assert_int_eq(fclose(f), 0);
  for (int v = 0; v < 2; v++)
    for (int route = 0; route < 2; route++) {
      struct dp_corpus *c = NULL;
      int st = route ? dp_corpus_read(path, &vo[v], &c)
                     : dp_corpus_from_text(text, strlen(text), "text", &vo[v], &c);
      ck_assert_int_eq(st, GSL_SUCCESS);
      struct digest ref = dg_new();
      dg_corpus(&ref, c);
      dp_corpus_free(c);
      for (long k = 0;; k++) {
        ck_assert_int_lt(k, FAULT_MAX);
        c = NULL;
        arm(k);
        st = route ? dp_corpus_read(path, &vo[v], &c)
                   : dp_corpus_from_text(text, strlen(text), "text", &vo[v], &c);
        int hit = disarm();
        struct digest got = dg_new();
        if (st == GSL_SUCCESS)
          dg_corpus(&got, c);
        else
          ck_assert_ptr_null(c);
        judge(route ? "dp_corpus_read" : "dp_corpus_from_text", k, hit, st, got.h == ref.h);
        dp_corpus_free(c);
        if (!hit)
          break;
      }
    }
  /* from ids */
  const size_t len[3] = { 4, 0, 3 }, ids[7] = { 0, 1, 0, 2, 2, 1, 0 };
  struct dp_corpus *c = NULL;
  ck_assert_int_eq(dp_corpus_from_ids(3, 3, len, ids, &c), GSL_SUCCESS);
  struct digest ref = dg_new();
  dg_corpus(&ref, c);
  dp_corpus_free(c);
  for (long k = 0;; k++) {
    arm(k);
    int st = dp_corpus_from_ids(3, 3, len, ids, &c);
    int hit = disarm();
    struct digest got = dg_new();
    if (st == GSL_SUCCESS)
      dg_corpus(&got, c);
    judge("dp_corpus_from_ids", k, hit, st, got.h == ref.h);
    dp_corpus_free(c);
    if (!hit)
      break;
  }
}
END_TEST

START_TEST(test_nomem_counts)
{
  struct dp_corpus *corp = corpus_of_text();
  static const enum dp_smat_kind kinds[2] = { DP_SMAT_DENSE, DP_SMAT_SPARSE };
  static const enum dp_weight weights[2] = { DP_WEIGHT_HARMONIC, DP_WEIGHT_ONE };
  static const enum dp_sop ops[3] = { DP_SOP_RAW, DP_SOP_LOG1P, DP_SOP_PPMI };
  for (int a = 0; a < 2; a++)
    for (int b = 0; b < 2; b++) {
      struct dp_counts *x = NULL;
      ck_assert_int_eq(dp_cooc_count(corp, 2, weights[b], kinds[a], &x), GSL_SUCCESS);
      struct digest ref = dg_new();
      dg_counts(&ref, x);
      for (long k = 0;; k++) {
        ck_assert_int_lt(k, FAULT_MAX);
        struct dp_counts *y = NULL;
        arm(k);
        int st = dp_cooc_count(corp, 2, weights[b], kinds[a], &y);
        int hit = disarm();
        struct digest got = dg_new();
        if (st == GSL_SUCCESS)
          dg_counts(&got, y);
        else
          ck_assert_ptr_null(y);
        judge("dp_cooc_count", k, hit, st, got.h == ref.h);
        dp_counts_free(y);
        if (!hit)
          break;
      }
      /* GloVe's single pass */
      dp_smat *X = NULL;
      ck_assert_int_eq(dp_cooc_count_direct(corp, 2, weights[b], kinds[a], &X), GSL_SUCCESS);
      ref = dg_new();
      dg_smat(&ref, X);
      dp_smat_free(X);
      for (long k = 0;; k++) {
        ck_assert_int_lt(k, FAULT_MAX);
        X = NULL;
        arm(k);
        int st = dp_cooc_count_direct(corp, 2, weights[b], kinds[a], &X);
        int hit = disarm();
        struct digest got = dg_new();
        if (st == GSL_SUCCESS)
          dg_smat(&got, X);
        judge("dp_cooc_count_direct", k, hit, st, got.h == ref.h);
        dp_smat_free(X);
        if (!hit)
          break;
      }
      /* the operators on X */
      for (int o = 0; o < 3; o++) {
        dp_smat *S = NULL;
        ck_assert_int_eq(dp_cooc_operator(x->X, ops[o], &S), GSL_SUCCESS);
        ref = dg_new();
        dg_smat(&ref, S);
        dp_smat_free(S);
        for (long k = 0;; k++) {
          ck_assert_int_lt(k, FAULT_MAX);
          S = NULL;
          arm(k);
          int st = dp_cooc_operator(x->X, ops[o], &S);
          int hit = disarm();
          struct digest got = dg_new();
          if (st == GSL_SUCCESS)
            dg_smat(&got, S);
          else
            ck_assert_ptr_null(S);
          judge(dp_sop_name(ops[o]), k, hit, st, got.h == ref.h);
          dp_smat_free(S);
          if (!hit)
            break;
        }
      }
      dp_counts_free(x);
    }
  dp_corpus_free(corp);
}
END_TEST

/* The smat operations, one at a time, on A (4 x 5) and B (4 x 5) of one kind.  Runs while
 * allocations may fail, so it asserts nothing itself (Check's asserts allocate): a failed
 * call that still hands back a result is reported as GSL_EFAILED with its own reason. */
enum smat_op { OP_TRIPLETS, OP_ZEROS, OP_COPY, OP_ADD, OP_TRANSPOSE, OP_COMPARE, OP_DIFF,
               OP_GATHER, OP_DENSE, OP_COUNT_ };
static const char *const smat_op_name[OP_COUNT_] = {
  "dp_smat_from_triplets", "dp_smat_zeros", "dp_smat_copy", "dp_smat_add",
  "dp_smat_transpose", "dp_smat_compare", "dp_smat_diff_norm", "dp_smat_gather",
  "dp_smat_to_dense"
};

static const size_t ti[7] = { 0, 3, 1, 0, 2, 3, 0 }, tj[7] = { 4, 0, 1, 4, 2, 3, 0 };
static const double tx[7] = { 1.5, -2, 3, 0.25, 1e-300, 7, -0.0 };

static int smat_run(enum smat_op op, enum dp_smat_kind kind, const dp_smat *A,
                    const dp_smat *B, struct digest *d)
{
  dp_smat *C = NULL;
  gsl_matrix *G = NULL;
  size_t mism = 0, where = 0;
  double norm = 0;
  static const size_t rows[3] = { 3, 0, 3 }, cols[4] = { 4, 0, 2, 4 };
  int st = GSL_SUCCESS;
  switch (op) {
  case OP_TRIPLETS: st = dp_smat_from_triplets(4, 5, kind, 7, ti, tj, tx, &C); break;
  case OP_ZEROS: st = dp_smat_zeros(4, 5, kind, &C); break;
  case OP_COPY: st = dp_smat_copy(A, &C); break;
  case OP_ADD: st = dp_smat_add(A, B, &C); break;
  case OP_TRANSPOSE: st = dp_smat_transpose(A, &C); break;
  case OP_COMPARE: st = dp_smat_compare(A, B, 0, &mism, &where); break;
  case OP_DIFF: st = dp_smat_diff_norm(A, B, 0, &norm); break;
  case OP_GATHER: st = dp_smat_gather(A, rows, 3, cols, 4, &G); break;
  case OP_DENSE: st = dp_smat_to_dense(A, &G); break;
  case OP_COUNT_: break;
  }
  if (st == GSL_SUCCESS) {
    dg_smat(d, C);
    dg_gsl(d, G);
    dg_size(d, mism);
    dg_size(d, where);
    dg_double(d, norm);
  } else if (C != NULL || G != NULL)
    st = DP_ERROR(GSL_EFAILED, "a failed call handed back a result");
  dp_smat_free(C);
  gsl_matrix_free(G);
  return st;
}

START_TEST(test_nomem_smat)
{
  static const enum dp_smat_kind kinds[2] = { DP_SMAT_DENSE, DP_SMAT_SPARSE };
  for (int a = 0; a < 2; a++) {
    dp_smat *A = NULL, *B = NULL;
    ck_assert_int_eq(dp_smat_from_triplets(4, 5, kinds[a], 7, ti, tj, tx, &A), GSL_SUCCESS);
    ck_assert_int_eq(dp_smat_from_triplets(4, 5, kinds[a], 3, tj + 4, ti + 4, tx, &B),
                     GSL_SUCCESS);
    for (int op = 0; op < OP_COUNT_; op++) {
      struct digest ref = dg_new();
      ck_assert_int_eq(smat_run((enum smat_op)op, kinds[a], A, B, &ref), GSL_SUCCESS);
      for (long k = 0;; k++) {
        ck_assert_int_lt(k, FAULT_MAX);
        struct digest got = dg_new();
        arm(k);
        int st = smat_run((enum smat_op)op, kinds[a], A, B, &got);
        int hit = disarm();
        ck_assert_ptr_null(strstr(dp_err_last(), "handed back"));
        judge(smat_op_name[op], k, hit, st, got.h == ref.h);
        if (!hit)
          break;
      }
    }
    dp_smat_free(A);
    dp_smat_free(B);
  }
}
END_TEST

/* Q, M, E and the spectra of a small symmetric S; one operation at a time.  Runs while
 * allocations may fail: asserts nothing itself. */
enum lin_op { LIN_Q, LIN_M, LIN_QSDS, LIN_EIGEN, LIN_EIGENV, LIN_RATIO, LIN_PSD, LIN_PROJ,
              LIN_EIG, LIN_SVD, LIN_SVDV, LIN_PINV, LIN_COUNT_ };
static const char *const lin_op_name[LIN_COUNT_] = {
  "dp_select_Q", "dp_project_M_dense", "dp_project_E_QSDS", "dp_spectral_eigen (values)",
  "dp_spectral_eigen (vectors)", "dp_spectral_eigen_ratio", "dp_spectral_psd",
  "dp_proj_make", "dp_spectral_eig_make", "dp_spectral_svd (values)",
  "dp_spectral_svd (vectors)", "dp_spectral_pinv"
};

static int lin_run(enum lin_op op, const gsl_matrix *S, struct digest *d)
{
  static const size_t t[4] = { 2, 0, 2, 4 }, n[5] = { 1, 0, 2, 0, 1 };
  const size_t V = S->size1, R = 4;
  gsl_matrix *Q = NULL, *M = gsl_matrix_alloc(R, R), *QS = gsl_matrix_alloc(R, V);
  gsl_matrix *E = gsl_matrix_alloc(R, V), *U = gsl_matrix_alloc(V, V);
  gsl_vector *l = gsl_vector_alloc(V);
  double ratio = 0, lmin = 0;
  int st;
  if (M == NULL || QS == NULL || E == NULL || U == NULL || l == NULL) {
    st = DP_ERROR(GSL_ENOMEM, "lin_run: the test's own allocations failed");
    goto out;
  }
  gsl_matrix_set_zero(M);
  gsl_matrix_set_zero(E);
  gsl_vector_set_zero(l);
  st = dp_select_rows(S, t, R, QS); /* allocates nothing: cannot fail here */
  if (st != GSL_SUCCESS)
    goto out;
  switch (op) {
  case LIN_Q: st = dp_select_Q(t, R, V, &Q); break;
  case LIN_M:
    st = dp_select_Q(t, R, V, &Q);
    if (st == GSL_SUCCESS)
      st = dp_project_M_dense(Q, S, M);
    break;
  case LIN_QSDS: st = dp_project_E_QSDS(QS, S, n, E); break;
  case LIN_EIGEN: st = dp_spectral_eigen(S, l, NULL); break;
  case LIN_EIGENV: st = dp_spectral_eigen(S, l, U); break;
  case LIN_RATIO:
    st = dp_spectral_eigen(S, l, U);
    if (st == GSL_SUCCESS)
      st = dp_spectral_eigen_ratio(S, l, U, &ratio);
    break;
  case LIN_PSD: st = dp_spectral_psd(S, 1.0, &lmin, &ratio); break;
  case LIN_PROJ: {
    struct dp_proj p;
    st = dp_proj_make(S, t, R, &p);
    if (st == GSL_SUCCESS) {
      dg_gsl(d, p.Q);
      dg_gsl(d, p.Mg);
      dg_gsl(d, p.Md);
    }
    dp_proj_free(&p);
    break;
  }
  case LIN_EIG: {
    struct dp_spectral_eig e;
    st = dp_spectral_eig_make(S, &e);
    if (st == GSL_SUCCESS) {
      gsl_vector_memcpy(l, e.eval);
      dg_gsl(d, e.evec);
      dg_size(d, e.rank);
    }
    dp_spectral_eig_free(&e);
    break;
  }
  case LIN_SVD: st = dp_spectral_svd(S, l, NULL, NULL); break;
  case LIN_SVDV: {
    gsl_matrix *Vt = gsl_matrix_alloc(V, V);
    st = Vt ? dp_spectral_svd(S, l, U, Vt) : DP_ERROR(GSL_ENOMEM, "lin_run: Vt");
    if (st == GSL_SUCCESS) {
      dg_gsl(d, U);
      dg_gsl(d, Vt);
    }
    gsl_matrix_free(Vt);
    break;
  }
  case LIN_PINV:
    st = dp_spectral_pinv(S, U, NULL, NULL);
    if (st == GSL_SUCCESS)
      dg_gsl(d, U);
    break;
  case LIN_COUNT_: break;
  }
  if (st == GSL_SUCCESS) {
    dg_gsl(d, Q);
    dg_gsl(d, M);
    dg_gsl(d, E);
    for (size_t i = 0; i < V; i++)
      dg_double(d, gsl_vector_get(l, i));
    dg_double(d, ratio);
    dg_double(d, lmin);
  }
out:
  gsl_matrix_free(Q);
  gsl_matrix_free(M);
  gsl_matrix_free(QS);
  gsl_matrix_free(E);
  gsl_matrix_free(U);
  gsl_vector_free(l);
  return st;
}

START_TEST(test_nomem_linalg)
{
  gsl_matrix *S = gsl_matrix_alloc(5, 5);
  for (size_t i = 0; i < 5; i++)
    for (size_t j = 0; j <= i; j++) {
      double v = (double)((i * 7 + j * 3) % 11) - 5.0 + (i == j ? 6.0 : 0.0);
      gsl_matrix_set(S, i, j, v);
      gsl_matrix_set(S, j, i, v);
    }
  for (int op = 0; op < LIN_COUNT_; op++) {
    struct digest ref = dg_new();
    ck_assert_int_eq(lin_run((enum lin_op)op, S, &ref), GSL_SUCCESS);
    for (long k = 0;; k++) {
      ck_assert_int_lt(k, FAULT_MAX);
      struct digest got = dg_new();
      arm(k);
      int st = lin_run((enum lin_op)op, S, &got);
      int hit = disarm();
      judge(lin_op_name[op], k, hit, st, got.h == ref.h);
      if (!hit)
        break;
    }
  }
  gsl_matrix_free(S);
}
END_TEST

/* A claim's check and twin on one instance: broken with a reason, or the very same outcome. */
static void claim_under_failures(const struct dp_claim *c, const void *inst)
{
  void (*fn[2])(const void *, struct dp_outcome *) = { c->check, c->twin };
  for (int w = 0; w < 2; w++) {
    struct dp_outcome o;
    memset(&o, 0, sizeof o);
    fn[w](inst, &o);
    ck_assert_int_ne(o.status, DP_BROKEN);
    struct digest ref = dg_new();
    dg_outcome(&ref, &o);
    for (long k = 0;; k++) {
      ck_assert_int_lt(k, FAULT_MAX);
      memset(&o, 0, sizeof o);
      arm(k);
      fn[w](inst, &o);
      int hit = disarm();
      struct digest got = dg_new();
      dg_outcome(&got, &o);
      if (!hit) {
        ck_assert_msg(got.h == ref.h, "%s %s: differs without any failure", c->id,
                      w ? "twin" : "check");
        break;
      }
      if (o.status == DP_BROKEN)
        ck_assert_msg(o.what[0] != '\0', "%s %s: broken by allocation %ld without a reason",
                      c->id, w ? "twin" : "check", k);
      else
        ck_assert_msg(got.h == ref.h, "%s %s: allocation %ld failed, yet it measured "
                      "another figure (%g, %s)", c->id, w ? "twin" : "check", k, o.figure,
                      o.what);
    }
  }
}

START_TEST(test_nomem_claims)
{
  static const char *const ids[] = { "C01", "C02", "C03", "C04", "C06" };
  const struct dp_sizes sz = { 6, 6, 0};
  for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
    const struct dp_claim *c = dp_claim_find(ids[i]);
    ck_assert_ptr_nonnull(c);
    for (uint64_t seed = 1; seed <= 4; seed++) {
      void *inst = c->gen->make(dp_seed_trial(seed, c->id, 0), &sz);
      ck_assert_ptr_nonnull(inst);
      claim_under_failures(c, inst);
      c->gen->free(inst);
    }
  }
}
END_TEST

START_TEST(test_nomem_real_rows)
{
  const struct dp_claim *c = dp_claim_find("C01");
  ck_assert_ptr_nonnull(c->cases);
  char path[128];
  snprintf(path, sizeof path, "%s/corpus.txt", tmpdir);
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  ck_assert_int_eq(fclose(f), 0);
  struct dp_env env = { .corpus_path = path, .corpus = NULL, .window = 3 };
  struct dp_case_row rows[8];
  size_t n = 0;
  memset(rows, 0, sizeof rows); /* as the runner hands them over */
  ck_assert_int_eq(run_cases(c, &env, rows, 8, &n), GSL_SUCCESS);
  ck_assert_uint_eq(n, 2);
  struct digest ref[2];
  for (size_t r = 0; r < n; r++) {
    ck_assert_int_eq(dp_claim_judge(c, &rows[r].claim), DP_PASS);
    ck_assert_int_eq(dp_claim_judge(c, &rows[r].twin), DP_FAIL);
    ref[r] = dg_new();
    dg_str(&ref[r], rows[r].label);
    dg_outcome(&ref[r], &rows[r].claim);
    dg_outcome(&ref[r], &rows[r].twin);
  }
  for (long k = 0;; k++) {
    ck_assert_int_lt(k, FAULT_MAX);
    memset(rows, 0, sizeof rows);
    n = 0;
    arm(k);
    int st = run_cases(c, &env, rows, 8, &n);
    int hit = disarm();
    if (st != GSL_SUCCESS) {
      ck_assert(hit);
      ck_assert(dp_err_last()[0] != '\0');
      continue;
    }
    ck_assert_uint_eq(n, 2);
    for (size_t r = 0; r < n; r++) { /* each outcome: the same, or broken with a reason */
      struct dp_outcome *o[2] = { &rows[r].claim, &rows[r].twin };
      for (int w = 0; w < 2; w++)
        if (o[w]->status == DP_BROKEN)
          ck_assert(hit && o[w]->what[0] != '\0');
      if (o[0]->status != DP_BROKEN && o[1]->status != DP_BROKEN) {
        struct digest got = dg_new();
        dg_str(&got, rows[r].label);
        dg_outcome(&got, o[0]);
        dg_outcome(&got, o[1]);
        ck_assert_msg(got.h == ref[r].h, "C01 real row %zu: allocation %ld failed, yet "
                      "another result", r, k);
      }
    }
    if (!hit)
      break;
  }
  /* a corpus that cannot be read: the rows fail as a whole, with the reader's reason */
  env.corpus_path = "/nonexistent/corpus.txt";
  ck_assert_int_ne(run_cases(c, &env, rows, 8, &n), GSL_SUCCESS);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "/nonexistent/corpus.txt"));
  /* no corpus at all: no rows, no error */
  env.corpus_path = NULL;
  ck_assert_int_eq(run_cases(c, &env, rows, 8, &n), GSL_SUCCESS);
  ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_nomem_extras)
{
  static const char *const head[3] = { "a", "b", "c" };
  const double x[4] = { 1, 2, 3, 4 }, y[4] = { 4, 3, 2, 1 };
  for (long k = 0;; k++) {
    ck_assert_int_lt(k, FAULT_MAX);
    struct dp_evidence e = { 0 };
    arm(k);
    int st = GSL_SUCCESS;
    struct dp_table *t = dp_evidence_table(&e, "t", 3, head);
    if (t == NULL)
      st = GSL_ENOMEM;
    for (int r = 0; r < 12 && st == GSL_SUCCESS; r++)
      st = dp_table_row(t, "1", "two", "3.0");
    struct dp_plot *p = st == GSL_SUCCESS ? dp_evidence_plot(&e, "p", "x", "y", 0, 1) : NULL;
    if (st == GSL_SUCCESS && p == NULL)
      st = GSL_ENOMEM;
    if (st == GSL_SUCCESS)
      st = dp_plot_series(p, "s", 0, 4, x, y);
    int hit = disarm();
    if (st == GSL_SUCCESS) {
      ck_assert(e.ntables == 1 && e.tables[0].nrow == 12 && e.nplots == 1);
      ck_assert_str_eq(e.tables[0].cell[11 * 3 + 1], "two");
      ck_assert(e.plots[0].nseries == 1 && e.plots[0].series[0].y[3] == 1.0);
    } else {
      ck_assert(hit);
      ck_assert_ptr_nonnull(strstr(dp_err_last(), "out of memory"));
    }
    dp_evidence_free(&e);
    if (!hit)
      break;
  }
}
END_TEST

/* A small report: claim C02 on five instances, with a table and a plot attached. */
static void small_run(struct dp_run *run, struct dp_result *res)
{
  struct dp_run_opts o = { 0 };
  o.master = 5;
  o.trials = 5;
  o.sizes.R_max = 5;
  o.sizes.V_max = 5;
  o.shrink = 1;
  o.max_cex = 1;
  ck_assert_int_eq(dp_run_claim(dp_claim_find("C02"), &o, res), GSL_SUCCESS);
  static const char *const head[2] = { "k", "v" };
  struct dp_table *t = dp_evidence_table(&res->evidence, "tab", 2, head);
  ck_assert_int_eq(dp_table_row(t, "1", "x<y"), GSL_SUCCESS);
  struct dp_plot *p = dp_evidence_plot(&res->evidence, "plot", "x", "y", 1, 0);
  const double x[3] = { 1, 10, 100 }, y[3] = { 0, 1, NAN };
  ck_assert_int_eq(dp_plot_series(p, "s", 0, 3, x, y), GSL_SUCCESS);
  memset(run, 0, sizeof *run);
  run->opts = o;
  run->res = res;
  run->nres = 1;
  snprintf(run->machine, sizeof run->machine, "test machine");
  snprintf(run->corpus, sizeof run->corpus, "none");
}

static char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  char *buf = NULL;
  size_t n = 0;
  FILE *m = open_memstream(&buf, &n);
  int ch;
  while ((ch = fgetc(f)) != EOF)
    fputc(ch, m);
  fclose(m);
  fclose(f);
  return buf;
}

START_TEST(test_nomem_report)
{
  struct dp_run run;
  struct dp_result res;
  small_run(&run, &res);
  static const char *const files[] = { "residuals.json", "index.html", "C02.tsv" };
  char dir[128], p[200];
  snprintf(dir, sizeof dir, "%s/ref", tmpdir);
  ck_assert_int_eq(dp_report_write(&run, dir), GSL_SUCCESS);
  char *ref[3];
  for (int i = 0; i < 3; i++) {
    snprintf(p, sizeof p, "%s/%s", dir, files[i]);
    ref[i] = slurp(p);
    ck_assert_ptr_nonnull(ref[i]);
  }
  snprintf(dir, sizeof dir, "%s/run", tmpdir);
  for (long k = 0;; k++) {
    ck_assert_int_lt(k, FAULT_MAX);
    rm_dir(dir);
    arm(k);
    int st = dp_report_write(&run, dir);
    int hit = disarm();
    int same = 1;
    if (st == GSL_SUCCESS)
      for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        char *got = slurp(p);
        same &= got != NULL && strcmp(got, ref[i]) == 0;
        free(got);
      }
    judge("dp_report_write", k, hit, st, same);
    /* never a temporary file left behind */
    DIR *d = opendir(dir);
    if (d != NULL) {
      struct dirent *e;
      while ((e = readdir(d)) != NULL)
        ck_assert_msg(strstr(e->d_name, ".tmp") == NULL, "allocation %ld: %s left behind", k,
                      e->d_name);
      closedir(d);
    }
    if (!hit)
      break;
  }
  rm_dir(dir);
  snprintf(dir, sizeof dir, "%s/ref", tmpdir);
  rm_dir(dir);
  for (int i = 0; i < 3; i++)
    free(ref[i]);
  dp_result_free(&res);
}
END_TEST

/* The runner under allocation failures, on a claim whose generator checks its allocation:
 * the run fails with a reason, or it succeeds, and then every figure it measured is the
 * reference's (an instance the failure touched is unmeasured: NaN, counted as an error). */
struct tiny {
  double v;
};

static void *tiny_make(uint64_t seed, const struct dp_sizes *sz)
{
  (void)sz;
  struct tiny *x = malloc(sizeof *x);
  if (x == NULL) {
    DP_ERROR(GSL_ENOMEM, "tiny: out of memory");
    return NULL;
  }
  x->v = (double)(seed % 64); /* half of them above the tolerance 30 */
  return x;
}
static void tiny_free(void *x) { free(x); }
static void tiny_describe(const void *p, char *buf, size_t n)
{
  snprintf(buf, n, "v=%g", ((const struct tiny *)p)->v);
}
static void tiny_print(FILE *f, const void *p) { fprintf(f, "%a\n", ((const struct tiny *)p)->v); }
static void *tiny_shrink(const void *p, unsigned k)
{
  const struct tiny *x = p;
  if (k > 0 || x->v < 1)
    return NULL;
  struct tiny *y = malloc(sizeof *y);
  if (y != NULL)
    y->v = x->v - 1;
  return y;
}
static void tiny_check(const void *p, struct dp_outcome *o)
{
  dp_outcome_part(o, DP_JUDGE_RATIO, ((const struct tiny *)p)->v, "v");
}
static void tiny_twin(const void *p, struct dp_outcome *o)
{
  dp_outcome_part(o, DP_JUDGE_RATIO, 100 - ((const struct tiny *)p)->v, "100 - v");
}

START_TEST(test_nomem_runner)
{
  static const struct dp_tactic lower[] = { { "lower v", dp_tactic_once, tiny_shrink } };
  static const struct dp_gen gen = { "tiny", tiny_make, tiny_free, tiny_describe, tiny_print,
                                     lower, 1 };
  const struct dp_claim c = { .id = "T02", .title = "tiny", .paper_ref = "-", .statement = "-",
                              .conditions = "-", .judged = "-", .twin_statement = "-",
                              .gen = &gen, .check = tiny_check, .twin = tiny_twin,
                              .tol_kind = DP_JUDGE_RATIO, .tol = DP_TOL_RATIO, .trials = 6 };
  struct dp_run_opts o = { 0 };
  o.master = 3;
  o.sizes.R_max = o.sizes.V_max = 4;
  o.shrink = 1;
  o.max_cex = 2;
  struct dp_result ref, r;
  ck_assert_int_eq(dp_run_claim(&c, &o, &ref), GSL_SUCCESS);
  ck_assert_int_eq(ref.verdict, DP_FAIL);
  ck_assert_uint_gt(ref.ncex, 0);
  for (long k = 0;; k++) {
    ck_assert_int_lt(k, FAULT_MAX);
    arm(k);
    int st = dp_run_claim(&c, &o, &r);
    int hit = disarm();
    if (st != GSL_SUCCESS) {
      ck_assert(hit);
      ck_assert_ptr_nonnull(strstr(dp_err_last(), "T02: out of memory for 6 trials"));
    } else {
      ck_assert_uint_eq(r.n, 6);
      for (unsigned t = 0; t < 6; t++) {
        ck_assert(isnan(r.figures[t]) || r.figures[t] == ref.figures[t]);
        ck_assert(isnan(r.twin_figures[t]) || r.twin_figures[t] == ref.twin_figures[t]);
        ck_assert(hit || (r.figures[t] == ref.figures[t]));
      }
      ck_assert(r.verdict == ref.verdict || r.verdict == DP_ERROR);
      if (r.nerror > 0)
        ck_assert_ptr_nonnull(strstr(r.error, "tiny: out of memory"));
      for (unsigned i = 0; i < r.ncex; i++) /* a minimal instance still fails */
        ck_assert(r.cex[i].figure_min > DP_TOL_RATIO);
    }
    dp_result_free(&r);
    if (!hit)
      break;
  }
  dp_result_free(&ref);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Premises: instances a claim does not apply to are skipped, with the reason                */

START_TEST(test_premises)
{
  const struct dp_sizes sz = { 5, 5, 0};
  struct dp_inst *x = NULL;
  for (uint64_t seed = 11; x == NULL || x->V < 2; seed++) { /* an off-diagonal entry */
    dp_inst_free(x);
    x = dp_inst_make_kind(seed, &sz, DP_SK_SYMRAND);
    ck_assert_ptr_nonnull(x);
  }
  struct dp_outcome o;
  /* C02 needs finite operators */
  const struct dp_claim *c2 = dp_claim_find("C02");
  memset(&o, 0, sizeof o);
  c2->check(x, &o);
  ck_assert_int_eq(dp_claim_judge(c2, &o), DP_PASS);
  gsl_matrix_set(x->Sd, 0, x->V - 1, NAN);
  memset(&o, 0, sizeof o);
  c2->check(x, &o);
  ck_assert_int_eq(o.status, DP_NOT_APPLICABLE);
  ck_assert_str_eq(o.what, "S or Sd has a non-finite entry");
  /* C03 needs an exactly symmetric S: one ulp off is enough to skip */
  const struct dp_claim *c3 = dp_claim_find("C03");
  memset(&o, 0, sizeof o);
  c3->check(x, &o);
  ck_assert_int_eq(dp_claim_judge(c3, &o), DP_PASS);
  double v = gsl_matrix_get(x->S, 0, x->V - 1);
  gsl_matrix_set(x->S, 0, x->V - 1, nextafter(v, INFINITY));
  memset(&o, 0, sizeof o);
  c3->check(x, &o);
  ck_assert_int_eq(o.status, DP_NOT_APPLICABLE);
  char want[100];
  snprintf(want, sizeof want, "S is not exactly symmetric (first asymmetry at 0,%zu)", x->V - 1);
  ck_assert_str_eq(o.what, want);
  dp_inst_free(x);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Bad arguments                                                                             */

/* The status, and a reason that names the function. */
#define BAD(call, status, who)                                                               \
  do {                                                                                       \
    dp_err_clear();                                                                          \
    ck_assert_int_eq((call), (status));                                                      \
    ck_assert_msg(strstr(dp_err_last(), (who)) != NULL, "reason '%s' does not name %s",      \
                  dp_err_last(), (who));                                                     \
  } while (0)

START_TEST(test_args_select_project)
{
  const size_t t[3] = { 0, 2, 1 }, bad[2] = { 0, 3 };
  gsl_matrix *S = gsl_matrix_calloc(3, 3), *R3 = gsl_matrix_calloc(3, 3);
  gsl_matrix *rect = gsl_matrix_calloc(3, 2), *Q = NULL, *M2 = gsl_matrix_calloc(2, 2);
  BAD(dp_select_Q(t, 3, 3, NULL), GSL_EFAULT, "dp_select_Q");
  BAD(dp_select_Q(bad, 2, 3, &Q), GSL_EINVAL, "dp_select_Q");
  ck_assert_ptr_null(Q);
  BAD(dp_select_gather(NULL, t, 3, R3), GSL_EFAULT, "dp_select_gather");
  BAD(dp_select_gather(rect, t, 3, R3), GSL_EBADLEN, "dp_select_gather");
  BAD(dp_select_gather(S, t, 3, NULL), GSL_EFAULT, "dp_select_gather");
  BAD(dp_select_gather(S, t, 3, M2), GSL_EBADLEN, "dp_select_gather");
  BAD(dp_select_rows(S, t, 3, NULL), GSL_EFAULT, "dp_select_rows");
  BAD(dp_select_rows(S, t, 3, rect), GSL_EBADLEN, "dp_select_rows");
  BAD(dp_select_rows(S, bad, 2, R3), GSL_EINVAL, "dp_select_rows");
  size_t n[3] = { 7, 7, 7 };
  dp_err_clear();
  ck_assert_uint_eq(dp_select_counts(t, 3, 3, NULL), SIZE_MAX);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "dp_select_counts: count array is NULL"));
  ck_assert_uint_eq(dp_select_counts(bad, 2, 3, n), SIZE_MAX);
  ck_assert(n[0] == 7 && n[1] == 7 && n[2] == 7); /* untouched */
  ck_assert_uint_eq(dp_select_counts(t, 3, 3, n), 3);
  ck_assert(n[0] == 1 && n[1] == 1 && n[2] == 1);

  /* project */
  ck_assert_int_eq(dp_select_Q(t, 3, 3, &Q), GSL_SUCCESS);
  BAD(dp_project_M_dense(NULL, S, R3), GSL_EFAULT, "dp_project_M_dense: Q is NULL");
  BAD(dp_project_M_dense(Q, NULL, R3), GSL_EFAULT, "dp_project_M_dense: S is NULL");
  BAD(dp_project_M_dense(Q, S, M2), GSL_EBADLEN, "dp_project_M_dense: M is 2 x 2");
  BAD(dp_project_M_dense(Q, S, S), GSL_EINVAL, "shares storage");
  BAD(dp_project_E(NULL, NULL, R3), GSL_EFAULT, "dp_project_E: QS is NULL");
  BAD(dp_project_E(M2, S, R3), GSL_EBADLEN, "dp_project_E: M is 2 x 2");
  BAD(dp_project_E(R3, S, S), GSL_EINVAL, "dp_project_E: output E shares storage with input QS");
  BAD(dp_project_E_QSDS(NULL, S, n, R3), GSL_EFAULT, "dp_project_E_QSDS: QS is NULL");
  BAD(dp_project_E_QSDS(S, S, NULL, R3), GSL_EFAULT, "multiplicities n are NULL");
  BAD(dp_project_E_QSDS(S, rect, n, R3), GSL_EBADLEN, "dp_project_E_QSDS: S is 3 x 2");
  BAD(dp_project_E_rows(NULL, t, 3, R3), GSL_EFAULT, "dp_project_E_rows: S is NULL");
  BAD(dp_project_E_rows(rect, t, 3, R3), GSL_EBADLEN, "dp_project_E_rows: S is 3 x 2");
  BAD(dp_project_E_rows(S, t, 0, R3), GSL_EBADLEN, "R = 0 and V = 3 must be positive");
  BAD(dp_project_E_rows(S, NULL, 3, R3), GSL_EFAULT, "token array t is NULL");
  BAD(dp_project_E_rows(S, bad, 2, M2), GSL_EINVAL, "t[1] = 3 out of range (V = 3)");
  BAD(dp_project_E_rows(S, t, 3, M2), GSL_EBADLEN, "dp_project_E_rows: E is 2 x 2");
  BAD(dp_project_ABt(NULL, S, R3), GSL_EFAULT, "dp_project_ABt: A or B is NULL");
  BAD(dp_project_ABt(S, rect, R3), GSL_EBADLEN, "(columns differ)");
  BAD(dp_project_ABt(S, S, S), GSL_EINVAL, "dp_project_ABt: output C shares storage");
  BAD(dp_project_square(NULL, R3), GSL_EFAULT, "dp_project_square: A is NULL");
  BAD(dp_project_square(rect, R3), GSL_EBADLEN, "not square");
  BAD(dp_project_square(S, M2), GSL_EBADLEN, "dp_project_square: A2 is 2 x 2");
  BAD(dp_project_D(NULL, R3), GSL_EFAULT, "dp_project_D: Q is NULL");
  BAD(dp_project_D(Q, M2), GSL_EBADLEN, "dp_project_D: D is 2 x 2");
  BAD(dp_project_D(Q, Q), GSL_EINVAL, "dp_project_D: output D shares storage");
  /* a submatrix view that overlaps: still refused */
  gsl_matrix_view v = gsl_matrix_submatrix(S, 1, 1, 2, 2);
  gsl_matrix_view w = gsl_matrix_submatrix(S, 0, 0, 2, 2);
  BAD(dp_project_ABt(&w.matrix, &w.matrix, &v.matrix), GSL_EINVAL, "shares storage");
  gsl_matrix_free(Q);
  gsl_matrix_free(S);
  gsl_matrix_free(R3);
  gsl_matrix_free(rect);
  gsl_matrix_free(M2);
}
END_TEST

START_TEST(test_args_spectral_resid)
{
  gsl_matrix *A = gsl_matrix_calloc(3, 3), *rect = gsl_matrix_calloc(3, 2);
  gsl_matrix *U2 = gsl_matrix_calloc(2, 2);
  gsl_vector *l3 = gsl_vector_calloc(3), *l2 = gsl_vector_calloc(2);
  double r = 0, lmin = 0;
  size_t where = 9;
  BAD(dp_spectral_eigen(NULL, l3, NULL), GSL_EFAULT, "dp_spectral_eigen: A or eval is NULL");
  gsl_matrix empty = { 0, 0, 0, NULL, NULL, 0 }; /* GSL cannot allocate one: built by hand */
  BAD(dp_spectral_eigen(&empty, l3, NULL), GSL_EBADLEN, "dp_spectral_eigen: A is empty");
  BAD(dp_spectral_psd(&empty, 1.0, &lmin, &r), GSL_EBADLEN, "dp_spectral_psd: A is empty");
  BAD(dp_spectral_eigen(rect, l3, NULL), GSL_ENOTSQR, "dp_spectral_eigen: A is 3 x 2");
  BAD(dp_spectral_eigen(A, l2, NULL), GSL_EBADLEN, "eval has 2 entries, expected 3");
  BAD(dp_spectral_eigen(A, l3, U2), GSL_EBADLEN, "evec is 2 x 2, expected 3 x 3");
  gsl_matrix_set(A, 1, 1, NAN);
  BAD(dp_spectral_eigen(A, l3, NULL), GSL_EDOM, "NaN or Inf");
  gsl_matrix_set(A, 1, 1, 0);
  BAD(dp_spectral_eigen_ratio(A, l3, NULL, &r), GSL_EFAULT, "an argument is NULL");
  BAD(dp_spectral_eigen_ratio(rect, l3, A, &r), GSL_ENOTSQR, "not square");
  BAD(dp_spectral_eigen_ratio(A, l3, U2, &r), GSL_EBADLEN, "evec is 2 x 2, expected 3 x 3");
  dp_err_clear();
  ck_assert_uint_eq(dp_spectral_rank(NULL, 1.0), 0);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "dp_spectral_rank: eval is NULL"));
  BAD(dp_spectral_psd(A, 1.0, NULL, &r), GSL_EFAULT, "dp_spectral_psd: an argument is NULL");
  BAD(dp_spectral_psd(rect, 1.0, &lmin, &r), GSL_ENOTSQR, "dp_spectral_psd: A is 3 x 2");
  BAD(dp_spectral_interlacing(NULL, l2, 1.0, &r, &where), GSL_EFAULT, "an argument is NULL");
  BAD(dp_spectral_interlacing(l2, l3, 1.0, &r, &where), GSL_EBADLEN,
      "need 1 <= R <= V");
  gsl_vector_set(l3, 0, 1.0);
  gsl_vector_set(l3, 1, 2.0); /* ascending at k = 1 */
  BAD(dp_spectral_interlacing(l3, l2, 1.0, &r, &where), GSL_EINVAL, "lS is not descending at k = 1");
  gsl_vector_set(l3, 1, 0.5);
  gsl_vector_set(l2, 0, 0.0);
  gsl_vector_set(l2, 1, 0.25);
  BAD(dp_spectral_interlacing(l3, l2, 1.0, &r, &where), GSL_EINVAL, "lM is not descending at k = 1");
  /* a NaN eigenvalue: not an error, an unmeasurable ratio, located */
  gsl_vector_set(l2, 1, NAN);
  ck_assert_int_eq(dp_spectral_interlacing(l3, l2, 1.0, &r, &where), GSL_SUCCESS);
  ck_assert(r == DP_RATIO_FAIL && where == 1);
  gsl_vector_set(l2, 1, -1.0);
  gsl_vector_set(l3, 2, INFINITY);
  ck_assert_int_eq(dp_spectral_interlacing(l3, l2, 1.0, &r, &where), GSL_SUCCESS);
  ck_assert(r == DP_RATIO_FAIL && where == 1); /* k = 2 >= R: reported at R - 1 */
  /* resid */
  dp_err_clear();
  ck_assert(isnan(dp_resid_norm(NULL)));
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "dp_resid_norm: matrix is NULL"));
  dp_err_clear();
  ck_assert(isnan(dp_resid_diff(NULL, A, 0)));
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "matrix is NULL"));
  dp_err_clear();
  ck_assert(isnan(dp_resid_diff(A, rect, 0)));
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "A is 3 x 3 but B is 3 x 2"));
  ck_assert_uint_eq(dp_resid_mismatch(A, rect, 1, &where), (size_t)-1);
  ck_assert_ptr_nonnull(strstr(dp_err_last(), "but B^T is 2 x 3"));
  gsl_matrix_free(A);
  gsl_matrix_free(rect);
  gsl_matrix_free(U2);
  gsl_vector_free(l3);
  gsl_vector_free(l2);
}
END_TEST

START_TEST(test_args_cooc_smat)
{
  struct dp_corpus *corp = corpus_of_text(), *c = NULL;
  struct dp_counts *x = NULL;
  dp_smat *X = NULL;
  BAD(dp_cooc_count(NULL, 2, DP_WEIGHT_ONE, DP_SMAT_DENSE, &x), GSL_EINVAL,
      "dp_cooc_count: NULL corpus");
  BAD(dp_cooc_count(corp, 0, DP_WEIGHT_ONE, DP_SMAT_DENSE, &x), GSL_EINVAL, "window c = 0");
  BAD(dp_cooc_count(corp, 2, (enum dp_weight)9, DP_SMAT_DENSE, &x), GSL_EINVAL,
      "unknown weighting 9");
  BAD(dp_cooc_count(corp, 2, DP_WEIGHT_ONE, (enum dp_smat_kind)9, &x), GSL_EINVAL,
      "unknown matrix kind 9");
  BAD(dp_cooc_count_direct(corp, 2, (enum dp_weight)9, DP_SMAT_SPARSE, &X), GSL_EINVAL,
      "dp_cooc_count_direct: unknown weighting 9");
  ck_assert_ptr_null(x);
  ck_assert_ptr_null(X);
  size_t V = corp->V;
  corp->V = 0;
  BAD(dp_cooc_count(corp, 2, DP_WEIGHT_ONE, DP_SMAT_DENSE, &x), GSL_EINVAL, "empty vocabulary");
  corp->V = (size_t)UINT32_MAX + 1;
  BAD(dp_cooc_count(corp, 2, DP_WEIGHT_ONE, DP_SMAT_DENSE, &x), GSL_EINVAL, "is too large");
  corp->V = V;
  ck_assert_str_eq(dp_weight_name((enum dp_weight)9), "?");
  ck_assert_str_eq(dp_sop_name((enum dp_sop)9), "?");
  ck_assert_str_eq(dp_weight_name(DP_WEIGHT_HARMONIC), "1/|k|");
  ck_assert_str_eq(dp_sop_name(DP_SOP_PPMI), "ppmi");
  /* corpora */
  BAD(dp_corpus_from_text(NULL, 3, NULL, NULL, &c), GSL_EINVAL, "(text): NULL text");
  ck_assert_ptr_null(c);
  const size_t len[2] = { SIZE_MAX, 2 }, ids[2] = { 0, 5 }, len1[1] = { 2 };
  BAD(dp_corpus_from_ids(3, 2, len, ids, &c), GSL_EINVAL, "document lengths overflow");
  BAD(dp_corpus_from_ids(3, 1, len1, ids, &c), GSL_EINVAL, "token ids[1] = 5 out of range (V = 3)");
  BAD(dp_corpus_from_ids(0, 1, len1, ids, &c), GSL_EINVAL, "V = 0");
  /* operators */
  dp_smat *R = NULL, *S = NULL;
  const size_t i0[1] = { 0 }, j1[1] = { 1 };
  const double neg[1] = { -1.0 };
  ck_assert_int_eq(dp_smat_from_triplets(2, 3, DP_SMAT_DENSE, 1, i0, j1, neg, &R), GSL_SUCCESS);
  BAD(dp_cooc_operator(R, (enum dp_sop)9, &S), GSL_EINVAL, "unknown operator 9");
  BAD(dp_cooc_operator(R, DP_SOP_PPMI, &S), GSL_EBADLEN, "non-square 2 x 3");
  dp_smat_free(R);
  for (int k = 0; k < 2; k++) {
    enum dp_smat_kind kind = k ? DP_SMAT_SPARSE : DP_SMAT_DENSE;
    ck_assert_int_eq(dp_smat_from_triplets(2, 2, kind, 1, i0, j1, neg, &R), GSL_SUCCESS);
    BAD(dp_cooc_operator(R, DP_SOP_PPMI, &S), GSL_EDOM, "PPMI of a negative count X[0][1]");
    ck_assert_ptr_null(S);
    dp_smat_free(R);
  }
  /* smat */
  BAD(dp_smat_zeros(2, 2, (enum dp_smat_kind)9, &S), GSL_EINVAL, "unknown matrix kind 9");
  BAD(dp_smat_from_triplets(2, 2, DP_SMAT_SPARSE, 1, NULL, j1, neg, &S), GSL_EINVAL,
      "NULL triplet arrays");
  BAD(dp_smat_from_triplets(2, 2, DP_SMAT_DENSE, 1, j1, j1, neg, &R), GSL_SUCCESS, "");
  const size_t far[1] = { 5 };
  gsl_matrix *G = NULL;
  BAD(dp_smat_gather(R, far, 1, i0, 1, &G), GSL_EINVAL, "row 5 (entry 0) outside 0..1");
  BAD(dp_smat_gather(R, i0, 1, far, 1, &G), GSL_EINVAL, "column 5 (entry 0) outside 0..1");
  BAD(dp_smat_gather(R, i0, 0, i0, 1, &G), GSL_EINVAL, "a zero dimension");
  ck_assert_ptr_null(G);
  dp_smat_free(R);
  BAD(dp_smat_zeros((size_t)INT32_MAX + 2, 1, DP_SMAT_SPARSE, &S), GSL_EINVAL,
      "exceeds GSL's int indices");
  BAD(dp_smat_from_triplets((size_t)INT32_MAX + 2, 1, DP_SMAT_SPARSE, 0, NULL, NULL, NULL, &S),
      GSL_EINVAL, "exceeds GSL's int indices");
  ck_assert_ptr_null(S);
  dp_corpus_free(corp);
}
END_TEST

START_TEST(test_args_kinds)
{
  /* PSD by construction: B B^T and the zero operator; the others are not */
  ck_assert(dp_skind_psd(DP_SK_PSD) && dp_skind_psd(DP_SK_ZERO));
  ck_assert(!dp_skind_psd(DP_SK_INDEF) && !dp_skind_psd(DP_SK_SYMRAND) &&
            !dp_skind_psd(DP_SK_COUNTS) && !dp_skind_psd(DP_SK_PPMI));
}
END_TEST

Suite *dp_test_suite(void)
{
  Suite *s = suite_create("failures");
  TCase *tc = tcase_create("nomem");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_nomem_corpus);
  tcase_add_test(tc, test_nomem_counts);
  tcase_add_test(tc, test_nomem_smat);
  tcase_add_test(tc, test_nomem_linalg);
  tcase_add_test(tc, test_nomem_claims);
  tcase_add_test(tc, test_nomem_real_rows);
  tcase_add_test(tc, test_nomem_extras);
  tcase_add_test(tc, test_nomem_report);
  tcase_add_test(tc, test_nomem_runner);
  tcase_set_timeout(tc, 600);
  tcase_set_tags(tc, "slow"); /* left out of `make check-quick` */
  suite_add_tcase(s, tc);
  tc = tcase_create("arguments");
  tcase_add_test(tc, test_args_select_project);
  tcase_add_test(tc, test_args_spectral_resid);
  tcase_add_test(tc, test_args_cooc_smat);
  tcase_add_test(tc, test_args_kinds);
  tcase_add_test(tc, test_premises);
  suite_add_tcase(s, tc);
  return s;
}
