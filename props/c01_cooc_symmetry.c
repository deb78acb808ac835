/* c01_cooc_symmetry.c: claim C01, symmetry and mass of the co-occurrence counts.
 *
 * Paper: the symmetric co-occurrence operator S behind GloVe, built from counts within a
 * symmetric window.  Checked: X^(-k) = (X^(k))^T, X^< = (X^>)^T and X = X^T exactly (the
 * counts are exact integers and every offset is counted on its own, so these are bitwise);
 * the per-offset sum equals GloVe's single-pass count (same numbers, other summation order:
 * test ratio); the dense and sparse representations agree bitwise; the total mass is
 * 2 sum_k g(k) max(0, N_doc - k) over documents (test ratio).  Twin: X^> is symmetric. */
#include <math.h>
#include <stdlib.h>
#include "cooc.h"
#include "smat.h"
#include "resid.h"
#include "err.h"
#include "tol.h"
#include "claim.h"
#include "family.h"

/* Exact comparison as a figure: 0 when equal, DP_RATIO_FAIL otherwise. */
static void exact_part(struct dp_outcome *o, const dp_smat *A, const dp_smat *B, int transB,
                       const char *what)
{
  size_t mism = 0, where = 0;
  if (dp_smat_compare(A, B, transB, &mism, &where) != GSL_SUCCESS) {
    dp_outcome_broken(o, "%s: %s", what, dp_err_last());
    return;
  }
  if (mism)
    dp_outcome_part(o, DP_JUDGE_RATIO, DP_RATIO_FAIL, "%s: %zu entries differ, first (%zu,%zu)",
                    what, mism, where / A->n2, where % A->n2);
  else
    dp_outcome_part(o, DP_JUDGE_RATIO, 0.0, "%s: exact", what);
}

/* Largest entry of a count matrix. */
static double smat_max(const dp_smat *A)
{
  double lo = 0.0, hi = 0.0;
  if (A->kind == DP_SMAT_DENSE)
    gsl_matrix_minmax(A->d, &lo, &hi);
  else if (A->s->nz)
    gsl_spmatrix_minmax(A->s, &lo, &hi);
  return hi > 0.0 ? hi : 0.0;
}

/* Every part of C01 on one corpus.  parity: also count sparse and compare with dense. */
static void check_corpus(const struct dp_corpus *corp, int c, enum dp_weight w,
                         enum dp_smat_kind kind, int parity, struct dp_outcome *o)
{
  struct dp_counts *x = NULL, *y = NULL;
  dp_smat *Xd = NULL;
  char what[64];
  if (dp_cooc_count(corp, c, w, kind, &x) != GSL_SUCCESS ||
      dp_cooc_count_direct(corp, c, w, kind, &Xd) != GSL_SUCCESS) {
    dp_outcome_broken(o, "counting: %s", dp_err_last());
    goto out;
  }
  for (int k = 1; k <= c; k++) {
    snprintf(what, sizeof what, "X^(-%d) = X^(%d)^T", k, k);
    exact_part(o, x->Xk[c - k], x->Xk[c + k], 1, what);
  }
  exact_part(o, x->Xl, x->Xr, 1, "X^< = (X^>)^T");
  exact_part(o, x->X, x->X, 1, "X = X^T");

  /* Per-offset sum against GloVe's single pass.  The single pass adds one rounded g(k) per
   * occurrence, so an entry of m occurrences carries the rounding of an m-term sum (Higham,
   * Thm 3.1: at most (m - 1) eps times the sum); the per-offset route adds 2c rounded
   * products.  n = 2c + the largest m, read off the unweighted counts. */
  double m = 0.0;
  if (w == DP_WEIGHT_ONE)
    m = smat_max(x->X);
  else {
    struct dp_counts *one = NULL;
    if (dp_cooc_count(corp, c, DP_WEIGHT_ONE, kind, &one) != GSL_SUCCESS) {
      dp_outcome_broken(o, "counting: %s", dp_err_last());
      goto out;
    }
    m = smat_max(one->X);
    dp_counts_free(one);
  }
  double diff = NAN, n = 2.0 * c + m, scale = dp_smat_norm(x->X);
  if (dp_smat_diff_norm(x->X, Xd, 0, &diff) != GSL_SUCCESS) {
    dp_outcome_broken(o, "single pass: %s", dp_err_last());
    goto out;
  }
  dp_outcome_part(o, DP_JUDGE_RATIO, dp_resid_ratio(diff, n, scale),
                  "sum_k X^(k) = X (GloVe single pass): n=2c+max count=%g scale=%.3g", n, scale);

  /* Total mass: X's entries and the closed form both sum positive terms. */
  double mass = dp_smat_sum(x->X), expect = dp_cooc_expected_mass(corp, c, w);
  double nm = 2.0 * c + 2.0;
  dp_outcome_part(o, DP_JUDGE_RATIO, dp_resid_ratio(fabs(mass - expect), nm, expect),
                  "mass %.17g = 2 sum_k g(k) max(0, N_doc - k) = %.17g: n=2c+2=%g", mass, expect,
                  nm);

  if (parity) {
    if (dp_cooc_count(corp, c, w, kind == DP_SMAT_DENSE ? DP_SMAT_SPARSE : DP_SMAT_DENSE, &y) !=
        GSL_SUCCESS) {
      dp_outcome_broken(o, "counting (other storage): %s", dp_err_last());
      goto out;
    }
    exact_part(o, x->X, y->X, 0, "dense X = sparse X");
    exact_part(o, x->Xr, y->Xr, 0, "dense X^> = sparse X^>");
  }
out:
  dp_smat_free(Xd);
  dp_counts_free(x);
  dp_counts_free(y);
}

/* Twin: X^> = (X^>)^T, by the same exact comparison. */
static void twin_corpus(const struct dp_corpus *corp, int c, enum dp_weight w,
                        enum dp_smat_kind kind, struct dp_outcome *o)
{
  struct dp_counts *x = NULL;
  if (dp_cooc_count(corp, c, w, kind, &x) != GSL_SUCCESS) {
    dp_outcome_broken(o, "counting: %s", dp_err_last());
    return;
  }
  exact_part(o, x->Xr, x->Xr, 1, "X^> = (X^>)^T");
  dp_counts_free(x);
}

static struct dp_corpus *corpus_of(const struct dp_cinst *x)
{
  struct dp_corpus *corp = NULL;
  if (dp_corpus_from_ids(x->V, x->ndoc, x->doc_len, x->ids, &corp) != GSL_SUCCESS)
    return NULL;
  return corp;
}

static void check(const void *inst, struct dp_outcome *o)
{
  const struct dp_cinst *x = inst;
  struct dp_corpus *corp = corpus_of(x);
  if (!corp) {
    dp_outcome_broken(o, "corpus: %s", dp_err_last());
    return;
  }
  check_corpus(corp, x->c, (enum dp_weight)x->weight, DP_SMAT_DENSE, 1, o);
  dp_corpus_free(corp);
}

static void twin(const void *inst, struct dp_outcome *o)
{
  const struct dp_cinst *x = inst;
  if (x->V < 2) {
    dp_outcome_skip(o, "V = 1: X^> is 1 x 1, symmetric; the twin cannot differ");
    return;
  }
  struct dp_corpus *corp = corpus_of(x);
  if (!corp) {
    dp_outcome_broken(o, "corpus: %s", dp_err_last());
    return;
  }
  twin_corpus(corp, x->c, (enum dp_weight)x->weight, DP_SMAT_DENSE, o);
  dp_corpus_free(corp);
}

/* Real text: the whole corpus, every word kept, sparse storage; GloVe's window and weights,
 * and a narrow unweighted window. */
static int cases(const struct dp_ctx *ctx, struct dp_case_row *rows, size_t max, size_t *nrows)
{
  const struct dp_env *env = ctx->env;
  struct dp_vocab_opts vo = {1, 0};
  struct dp_corpus *own = NULL;
  const struct dp_corpus *corp = env->corpus;
  *nrows = 0;
  if (!corp && !env->corpus_path)
    return GSL_SUCCESS; /* no corpus: no real-text rows */
  if (!corp) {
    int st = dp_corpus_read(env->corpus_path, &vo, &own);
    if (st != GSL_SUCCESS)
      return st;
    corp = own;
  }
  const struct { int c; enum dp_weight w; } cfg[] = {{env->window, DP_WEIGHT_HARMONIC},
                                                     {2, DP_WEIGHT_ONE}};
  for (size_t i = 0; i < 2 && i < max; i++) {
    struct dp_case_row *r = &rows[(*nrows)++];
    snprintf(r->label, sizeof r->label, "%zu documents, %zu tokens, V=%zu, c=%d, g=%s",
             corp->ndoc, corp->ntok, corp->V, cfg[i].c, dp_weight_name(cfg[i].w));
    r->claim.status = r->twin.status = DP_MEASURED;
    r->claim.figure = r->twin.figure = NAN;
    check_corpus(corp, cfg[i].c, cfg[i].w, DP_SMAT_SPARSE, 0, &r->claim);
    twin_corpus(corp, cfg[i].c, cfg[i].w, DP_SMAT_SPARSE, &r->twin);
  }
  dp_corpus_free(own);
  return GSL_SUCCESS;
}

const struct dp_claim dp_claim_c01 = {
  .id = "C01",
  .slug = "cooc_symmetry",
  .title = "Co-occurrence symmetry",
  .paper_ref = "Sec. 2 (co-occurrence operator S behind GloVe)",
  .statement =
    "For a symmetric window c and weights g(k) (1/|k| or 1): X^(-k) = (X^(k))^T for 0 < k <= c; "
    "X^< = (X^>)^T; X = X^T; sum_{k != 0} X^(k) = X (GloVe's single-pass count); "
    "sum_ab X_ab = 2 sum_{k=1..c} g(k) max(0, N_doc - k) summed over documents.",
  .conditions =
    "Windows never cross a document (line) boundary; tokens outside the vocabulary are removed "
    "before windowing. Applies to every corpus.",
  .judged =
    "Transposition identities exactly (entries compared with ==, dense and sparse storage "
    "compared bitwise); the single-pass count by test ratio with n = 2c + the largest number of "
    "occurrences summed into one entry (the single pass adds one rounded weight per "
    "occurrence), scale = ||X||_F; the mass by test ratio with n = 2c + 2, scale = the mass.",
  .twin_statement = "X^> is symmetric: X^> = (X^>)^T (false on real text).",
  .gen = &dp_gen_corpus,
  .check = check,
  .twin = twin,
  .tol_kind = DP_JUDGE_RATIO,
  .tol = DP_TOL_RATIO,
  .trials = 100,
  .cases = cases,
  .holds_under = "symmetric windows within documents",
};
