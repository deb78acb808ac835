/* c11_conditional.c: claim C11, softmax of log counts is the conditional co-occurrence.
 *
 * Paper: with S = log X, attention weights softmax_row_i(M) (M = Q S Q^T) are
 * X_{t_i t_j} / sum_l X_{t_i t_l}, the empirical conditional co-occurrence of the context;
 * GloVe's query-side bias b_a is a row constant of M and cancels, its key-side bias b~_b is a
 * column constant and acts as a per-key prior: softmax(M + 1 c^T)_ij is proportional to
 * X_{t_i t_j} e^{c_j}.  Checked on the C11 family (family_softmax.c) and on real text, by test
 * ratios whose n budgets softmax's rounding through log and exp (derivation at ratio_n).
 * Twin: column constants cancel too (key-side invariance), judged by the same ratio. */
#include <math.h>
#include <stdlib.h>
#include "softmax.h"
#include "select.h"
#include "resid.h"
#include "err.h"
#include "seed.h"
#include "family_softmax.h"
#include "props.h"

/* The n of the ratios below (first-order rounding analysis, u = eps/2).  For logits y taken
 * as exact, with L = max finite |y|, the computed softmax has relative error per weight at
 * most eps (2L + R/2 + 2): y - m is rounded (|y - m| <= 2L) and its error enters the weight
 * and, through the normaliser, every other weight; exp adds one ulp (twice, same way); the
 * R-term sum (R - 1) u and the division u.  A logit that is itself rounded from the exact one
 * (log X: one ulp, eps L; M + b: u L) adds twice its absolute error as a relative error.  So:
 * softmax(log X) against X / sum X: eps (4L + R + 2); softmax(M + b 1^T) against softmax(M),
 * both from the same M: eps (2L + 3L' + R + 4); softmax(M + 1 c^T) against X e^c / sum:
 * eps (5L' + R + 3.5).  All stay below eps (R + 4 + 5 L), L the largest |logit| involved:
 * n = R + 4 + 5 L, scale = the Frobenius norm of the reference weights. */
static double ratio_n(size_t R, double L) { return (double)R + 4.0 + 5.0 * L; }

/* Largest finite |entry|. */
static double max_finite(const gsl_matrix *A)
{
  double m = 0.0;
  for (size_t i = 0; i < A->size1; i++)
    for (size_t j = 0; j < A->size2; j++) {
      double v = fabs(gsl_matrix_get(A, i, j));
      if (isfinite(v) && v > m)
        m = v;
    }
  return m;
}

/* What one instance needs: M = gather(log X), the biased logits and their softmaxes. */
struct c11_work {
  size_t R;
  gsl_matrix *S, *M, *Mq, *Mk, *W, *Wq, *Wk, *P, *Pk;
  gsl_vector *prior;
  double L, Lq, Lk;
};

static void work_free(struct c11_work *w)
{
  gsl_matrix *m[] = {w->S, w->M, w->Mq, w->Mk, w->W, w->Wq, w->Wk, w->P, w->Pk};
  for (size_t k = 0; k < sizeof m / sizeof m[0]; k++)
    gsl_matrix_free(m[k]);
  gsl_vector_free(w->prior);
}

/* Build everything; returns 0 (measured), 1 (premise not met: o skipped) or -1 (broken). */
static int work_make(const struct dp_sm_inst *x, struct c11_work *w, struct dp_outcome *o)
{
  size_t R = x->R, V = x->V;
  *w = (struct c11_work){.R = R};
  w->S = gsl_matrix_alloc(V, V);
  gsl_matrix **m[] = {&w->M, &w->Mq, &w->Mk, &w->W, &w->Wq, &w->Wk, &w->P, &w->Pk};
  for (size_t k = 0; k < sizeof m / sizeof m[0]; k++)
    *m[k] = gsl_matrix_alloc(R, R);
  w->prior = gsl_vector_alloc(R);
  if (!w->S || !w->M || !w->Mq || !w->Mk || !w->W || !w->Wq || !w->Wk || !w->P || !w->Pk ||
      !w->prior) {
    dp_outcome_broken(o, "out of memory for R=%zu V=%zu", R, V);
    return -1;
  }
  /* premise: every row has a positive count on the sequence */
  for (size_t i = 0; i < R; i++) {
    int pos = 0;
    for (size_t j = 0; j < R; j++)
      pos |= gsl_matrix_get(x->X, x->t[i], x->t[j]) > 0.0;
    if (!pos) {
      dp_outcome_skip(o, "row %zu (word %zu) has no positive count on the sequence: "
                         "softmax of an all -inf row is undefined", i, x->t[i]);
      return 1;
    }
  }
  for (size_t a = 0; a < V; a++)
    for (size_t b = 0; b < V; b++)
      gsl_matrix_set(w->S, a, b, log(gsl_matrix_get(x->X, a, b))); /* log 0 = -inf */
  if (dp_select_gather(w->S, x->t, R, w->M) != GSL_SUCCESS)
    goto broken;
  for (size_t i = 0; i < R; i++)
    for (size_t j = 0; j < R; j++) {
      double v = gsl_matrix_get(w->M, i, j);
      gsl_matrix_set(w->Mq, i, j, v + x->bq[x->t[i]]); /* row constant: query-side bias */
      gsl_matrix_set(w->Mk, i, j, v + x->bk[x->t[j]]); /* column constant: key-side bias */
    }
  for (size_t j = 0; j < R; j++)
    gsl_vector_set(w->prior, j, exp(x->bk[x->t[j]]));
  if (dp_softmax_rows(w->M, 1.0, NULL, w->W, NULL) != GSL_SUCCESS ||
      dp_softmax_rows(w->Mq, 1.0, NULL, w->Wq, NULL) != GSL_SUCCESS ||
      dp_softmax_rows(w->Mk, 1.0, NULL, w->Wk, NULL) != GSL_SUCCESS ||
      dp_softmax_conditional(x->X, x->t, R, NULL, w->P) != GSL_SUCCESS ||
      dp_softmax_conditional(x->X, x->t, R, w->prior, w->Pk) != GSL_SUCCESS)
    goto broken;
  w->L = max_finite(w->M);
  w->Lq = fmax(w->L, max_finite(w->Mq));
  w->Lk = fmax(w->L, max_finite(w->Mk));
  return 0;
broken:
  dp_outcome_broken(o, "%s", dp_err_last());
  return -1;
}

/* The largest total-variation distance between corresponding rows of A and B. */
static double max_tv(const gsl_matrix *A, const gsl_matrix *B)
{
  double worst = 0.0;
  for (size_t i = 0; i < A->size1; i++) {
    double s = 0.0;
    for (size_t j = 0; j < A->size2; j++)
      s += fabs(gsl_matrix_get(A, i, j) - gsl_matrix_get(B, i, j));
    worst = fmax(worst, 0.5 * s);
  }
  return worst;
}

static void check_inst(const struct dp_sm_inst *x, struct dp_outcome *o)
{
  struct c11_work w;
  if (work_make(x, &w, o) == 0) {
    size_t R = x->R, zeros = 0, nonzero = 0;
    double n = ratio_n(R, w.L);
    /* (a) softmax(log X) = conditional co-occurrence */
    dp_outcome_part(o, DP_JUDGE_RATIO,
                    dp_resid_ratio(dp_resid_diff(w.W, w.P, 0), n, dp_resid_norm(w.P)),
                    "softmax(M) = X_ij / sum_l X_il: n=R+4+5L=%.4g (L=max|log X|=%.3g), "
                    "scale=||P||=%.3g", n, w.L, dp_resid_norm(w.P));
    /* zero counts: log 0 = -inf, weight exactly 0 */
    for (size_t i = 0; i < R; i++)
      for (size_t j = 0; j < R; j++)
        if (gsl_matrix_get(x->X, x->t[i], x->t[j]) == 0.0) {
          zeros++;
          nonzero += gsl_matrix_get(w.W, i, j) != 0.0;
        }
    if (zeros) {
      dp_outcome_part(o, DP_JUDGE_RATIO, nonzero ? DP_RATIO_FAIL : 0.0,
                      "X = 0 pairs (%zu): weight exactly 0 (%zu are not)", zeros, nonzero);
      dp_outcome_ran(o, 0);
    }
    /* (b) row constants (query-side bias) cancel */
    n = ratio_n(R, w.Lq);
    dp_outcome_part(o, DP_JUDGE_RATIO,
                    dp_resid_ratio(dp_resid_diff(w.Wq, w.W, 0), n, dp_resid_norm(w.W)),
                    "row constants cancel: softmax(M + b_q 1^T) = softmax(M): n=%.4g", n);
    /* (c) column constants (key-side bias) act as a prior e^{b~} on the counts */
    n = ratio_n(R, w.Lk);
    dp_outcome_part(o, DP_JUDGE_RATIO,
                    dp_resid_ratio(dp_resid_diff(w.Wk, w.Pk, 0), n, dp_resid_norm(w.Pk)),
                    "key bias = prior: softmax(M + 1 b~^T) = X_ij e^b~j / sum: n=%.4g; it moved "
                    "the weights by max row TV %.3g", n, max_tv(w.Wk, w.W));
  }
  work_free(&w);
}

static void twin_inst(const struct dp_sm_inst *x, struct dp_outcome *o)
{
  struct c11_work w;
  if (work_make(x, &w, o) == 0) {
    double n = ratio_n(x->R, w.Lk), d = dp_resid_diff(w.Wk, w.W, 0);
    dp_outcome_part(o, DP_JUDGE_RATIO, dp_resid_ratio(d, n, dp_resid_norm(w.W)),
                    "column constants cancel: softmax(M + 1 b~^T) = softmax(M): n=%.4g; "
                    "measured change ||.||_F=%.3g, max row TV=%.3g", n, d, max_tv(w.Wk, w.W));
  }
  work_free(&w);
}

static void check(const void *inst, struct dp_outcome *o) { check_inst(inst, o); }
static void twin(const void *inst, struct dp_outcome *o)
{
  const struct dp_sm_inst *x = inst;
  if (!dp_twin_skip_one_word(x->t, x->R, x->V,
                             "the key-side bias is one constant added to every logit", o))
    twin_inst(x, o);
}

/* Real text: counts over the first documents of the corpus; GloVe-like biases read off the
 * counts: the query-side b_a = -log sum_b X_ab (turns log X into log P(b | a)) and the
 * key-side b~_b = -log sum_a X_ab (the PMI-like correction by the key's frequency). */
#define C11_TEXT_DOCS 31
static int cases(const struct dp_ctx *ctx, struct dp_case_row *rows, size_t max, size_t *nrows)
{
  const struct dp_env *env = ctx->env;
  struct dp_sm_text *tx = NULL;
  *nrows = 0;
  int st = dp_sm_text_make(env, C11_TEXT_DOCS, &tx);
  if (st != GSL_SUCCESS || !tx)
    return st;
  size_t v = tx->v;
  gsl_matrix *X1 = gsl_matrix_alloc(v, v);
  double *bq = malloc(v * sizeof *bq), *bk = malloc(v * sizeof *bk);
  if (!X1 || !bq || !bk) {
    st = DP_ERROR(GSL_ENOMEM, "C11 real text: out of memory (v=%zu)", v);
    goto out;
  }
  gsl_matrix_memcpy(X1, tx->X);
  gsl_matrix_add_constant(X1, 1.0);
  size_t docs[2] = {0, dp_sm_text_longest(tx)};
  for (int r = 0; r < 2 && *nrows < max; r++) {
    const gsl_matrix *X = r == 0 ? X1 : tx->X; /* log(1 + X), then raw log X (zeros masked) */
    for (size_t a = 0; a < v; a++) {
      double rs = 0.0;
      for (size_t b = 0; b < v; b++)
        rs += gsl_matrix_get(X, a, b);
      bq[a] = rs > 0.0 ? -log(rs) : 0.0;
      bk[a] = bq[a]; /* X symmetric: column sums equal row sums */
    }
    size_t d = docs[r], R = tx->doc_start[d + 1] - tx->doc_start[d];
    struct dp_sm_inst *x = dp_sm_inst_from(X, tx->tok + tx->doc_start[d], R, bq, bk);
    if (!x) {
      st = GSL_ENOMEM;
      goto out;
    }
    struct dp_case_row *row = &rows[(*nrows)++];
    char snip[48];
    dp_sm_text_snippet(tx, d, snip, sizeof snip);
    snprintf(row->label, sizeof row->label,
             "document %zu \"%s\" of the first %zu (%zu tokens, v=%zu, c=%d, g=1/|k|): S = %s, "
             "R=%zu", d + 1, snip, tx->ndoc, tx->ntok, v, tx->c,
             r == 0 ? "log(1 + X)" : "log X (0 -> -inf)",
             R);
    dp_case_row_measure(row, check, twin, x);
    dp_sm_inst_free(x);
  }
out:
  gsl_matrix_free(X1);
  free(bq);
  free(bk);
  dp_sm_text_free(tx);
  return st;
}

/* Extras: the measured size of both biases' effect on the run's first instances. */
#define C11_EXTRA_ROWS 12
static int evidence(const struct dp_ctx *ctx, struct dp_evidence *ex)
{
  static const char *const head[] = {"trial", "instance", "row bias: ||dW||_F",
                                     "key bias: ||dW||_F", "key bias: max row TV",
                                     "ratio (prior identity)"};
  struct dp_table *t = dp_evidence_table(ex, "C11: what the query-side and key-side biases do "
                                           "to the weights", 6, head);
  if (!t)
    return GSL_ENOMEM;
  snprintf(t->note, sizeof t->note,
           "Row constants (query-side bias b_a) change softmax(M) only by rounding; column "
           "constants (key-side bias b~_b) change it by the listed total-variation distance, "
           "exactly as the prior e^{b~} predicts (last column: test ratio of that identity, "
           "n = R + 4 + 5L).  Instances: trials 0..%d of master seed %llu.",
           C11_EXTRA_ROWS - 1, (unsigned long long)ctx->master);
  for (unsigned tr = 0; tr < C11_EXTRA_ROWS; tr++) {
    struct dp_sm_inst *x = dp_sm_inst_make(dp_ctx_trial_seed(ctx, tr), &ctx->sizes);
    if (!x)
      return GSL_ENOMEM;
    struct c11_work w;
    struct dp_outcome o = {.status = DP_MEASURED, .figure = NAN};
    char c[6][120];
    dp_sm_inst_describe(x, c[1], sizeof c[1]);
    snprintf(c[0], sizeof c[0], "%u", tr);
    if (work_make(x, &w, &o) == 0) {
      snprintf(c[2], sizeof c[2], "%.3g", dp_resid_diff(w.Wq, w.W, 0));
      snprintf(c[3], sizeof c[3], "%.3g", dp_resid_diff(w.Wk, w.W, 0));
      snprintf(c[4], sizeof c[4], "%.3g", max_tv(w.Wk, w.W));
      snprintf(c[5], sizeof c[5], "%.3g",
               dp_resid_ratio(dp_resid_diff(w.Wk, w.Pk, 0), ratio_n(x->R, w.Lk),
                              dp_resid_norm(w.Pk)));
    } else {
      for (int k = 2; k < 6; k++)
        snprintf(c[k], sizeof c[k], "%s", k == 2 ? "skipped" : "-");
    }
    work_free(&w);
    dp_sm_inst_free(x);
    int st = dp_table_row(t, c[0], c[1], c[2], c[3], c[4], c[5]);
    if (st != GSL_SUCCESS)
      return st;
  }
  return GSL_SUCCESS;
}

const struct dp_claim dp_claim_c11 = {
  .id = "C11",
  .slug = "conditional",
  .title = "Softmax as conditional co-occurrence",
  .paper_ref = "Sec. 4 (softmax attention from the projection; GloVe biases)",
  .statement =
    "If S = log X with X > 0 on the sequence pairs and M = Q S Q^T, then softmax_row_i(M)_j = "
    "X_{t_i t_j} / sum_l X_{t_i t_l} (sum over positions, so a context word repeated n_b times "
    "gets n_b times the weight). Row constants cancel: softmax(M + b 1^T) = softmax(M) "
    "(query-side bias). Column constants do not: softmax(M + 1 c^T)_ij = X_{t_i t_j} e^{c_j} / "
    "sum_l X_{t_i t_l} e^{c_l} (key-side bias = a per-key prior). Also checked: X = 0 on a pair "
    "gives log X = -inf and weight exactly 0.",
  .conditions =
    "X finite, >= 0 on the sequence pairs, with a positive count in every row of the sequence "
    "(else the instance is skipped: an all -inf row has no softmax). Biases finite. Generated "
    "X: add-one counts, raw counts (zeros), log-normal up to e^300, small integers (ties), "
    "scaled by 2^e, |e| <= 400.",
  .judged =
    "Test ratios ||W - P||_F / (n eps ||P||_F) with n = R + 4 + 5L, L = max finite |logit|: an "
    "absolute rounding eps |y| of a logit (log X, M + b) is a relative error of its weight, "
    "twice (numerator and normaliser), beside the R-term sum, exp, subtraction and division; "
    "holds when <= 30. Zero-count weights compared exactly with 0.",
  .twin_statement = "Column constants cancel too: softmax(M + 1 c^T) = softmax(M) (the key-side "
                    "bias is invisible to attention), judged by the same ratio.",
  .gen = &dp_gen_softmax_counts,
  .check = check,
  .twin = twin,
  .tol_kind = DP_JUDGE_RATIO,
  .tol = DP_TOL_RATIO,
  .trials = 200,
  .parts = (const char *const[]){"zero counts get weight 0 (a pair with X = 0)", NULL},
  .cases = cases,
  .evidence = evidence,
  .holds_under = "S = log X, X > 0 in the sequence's rows",
};
