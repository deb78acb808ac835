/* smat.c: one interface over dense (gsl_matrix) and sparse (gsl_spmatrix, CSR) matrices.
 *
 * The co-occurrence matrices X^(k), X^>, X^<, X and the operators S built from them (claim
 * C01 and the S variants of the later claims) live here, dense for a small vocabulary and
 * sparse (CSR, column indices sorted within each row) for a large one.  Every operation is
 * written so that the dense and the sparse route perform the same floating-point operations
 * in the same order on every entry: triplets are summed in the order given starting from
 * +0.0, sums of matrices are a + b entry by entry (an entry stored on one side only is added
 * to +0.0), so that the two kinds give bitwise-equal results and an exact comparison between
 * them is meaningful.  Sparse results may store entries whose value is 0 (they are never
 * dropped); dp_smat_nnz of a dense matrix counts its non-zero entries.
 *
 * Matrices with a zero dimension are not supported (GSL cannot allocate them): every
 * constructor, and dp_smat_gather with nr or nc = 0, fails with GSL_EINVAL and says so.
 * Sparse matrices are limited to dimensions and entry counts up to INT_MAX (GSL 2.x stores
 * CSR indices as int); beyond that GSL_EINVAL. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>

#include "err.h"
#include "numeric.h"
#include "smat.h"

size_t dp_smat_dense_limit = (size_t)4 << 30; /* 4 GiB */

/* ---------------------------------------------------------------------------------------
 * Allocation helpers */

static int check_dims(size_t n1, size_t n2)
{
  if (n1 == 0 || n2 == 0)
    return DP_ERROR(GSL_EINVAL,
                    "dp_smat: %zu x %zu matrix: a zero dimension is not supported "
                    "(GSL cannot allocate empty matrices)",
                    n1, n2);
  return GSL_SUCCESS;
}

static int check_kind(enum dp_smat_kind kind)
{
  if (kind != DP_SMAT_DENSE && kind != DP_SMAT_SPARSE)
    return DP_ERROR(GSL_EINVAL, "dp_smat: unknown matrix kind %d", (int)kind);
  return GSL_SUCCESS;
}

/* The size check of dense matrices, before anything is allocated. */
static int dense_size_ok(size_t n1, size_t n2)
{
  int st = check_dims(n1, n2);
  if (st)
    return st;
  if (n1 > SIZE_MAX / n2 / sizeof(double))
    return DP_ERROR(GSL_ENOMEM,
                    "dense %zu x %zu matrix needs more than SIZE_MAX bytes "
                    "(limit dp_smat_dense_limit = %zu bytes)",
                    n1, n2, dp_smat_dense_limit);
  size_t bytes = n1 * n2 * sizeof(double);
  if (bytes > dp_smat_dense_limit)
    return DP_ERROR(GSL_ENOMEM,
                    "dense %zu x %zu matrix needs %zu bytes, over the limit "
                    "dp_smat_dense_limit = %zu bytes",
                    n1, n2, bytes, dp_smat_dense_limit);
  return GSL_SUCCESS;
}

static int gsl_dense_zeros(size_t n1, size_t n2, gsl_matrix **out)
{
  *out = NULL;
  int st = dense_size_ok(n1, n2);
  if (st)
    return st;
  gsl_matrix *m = gsl_matrix_calloc(n1, n2);
  if (!m)
    return DP_ERROR(GSL_ENOMEM, "dense %zu x %zu matrix: allocation failed", n1, n2);
  *out = m;
  return GSL_SUCCESS;
}

static int new_dense(size_t n1, size_t n2, dp_smat **out)
{
  *out = NULL;
  gsl_matrix *m;
  int st = gsl_dense_zeros(n1, n2, &m);
  if (st)
    return st;
  dp_smat *A = calloc(1, sizeof *A);
  if (!A) {
    gsl_matrix_free(m);
    return DP_ERROR(GSL_ENOMEM, "dp_smat: allocation failed");
  }
  A->kind = DP_SMAT_DENSE;
  A->n1 = n1;
  A->n2 = n2;
  A->d = m;
  *out = A;
  return GSL_SUCCESS;
}

/* An n1 x n2 CSR matrix with room for nzmax entries; p[] zeroed, nz = 0. */
static int new_sparse(size_t n1, size_t n2, size_t nzmax, dp_smat **out)
{
  *out = NULL;
  int st = check_dims(n1, n2);
  if (st)
    return st;
  if (n1 > INT_MAX || n2 > INT_MAX || nzmax > INT_MAX)
    return DP_ERROR(GSL_EINVAL,
                    "sparse %zu x %zu matrix with %zu entries exceeds GSL's int indices",
                    n1, n2, nzmax);
  gsl_spmatrix *s = gsl_spmatrix_alloc_nzmax(n1, n2, nzmax, GSL_SPMATRIX_CSR);
  if (!s)
    return DP_ERROR(GSL_ENOMEM, "sparse %zu x %zu matrix (%zu entries): allocation failed",
                    n1, n2, nzmax);
  memset(s->p, 0, (n1 + 1) * sizeof(int));
  s->nz = 0;
  dp_smat *A = calloc(1, sizeof *A);
  if (!A) {
    gsl_spmatrix_free(s);
    return DP_ERROR(GSL_ENOMEM, "dp_smat: allocation failed");
  }
  A->kind = DP_SMAT_SPARSE;
  A->n1 = n1;
  A->n2 = n2;
  A->s = s;
  *out = A;
  return GSL_SUCCESS;
}

static int cmp_int(const void *a, const void *b)
{
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* Entry (i, j) of a dense matrix, row-major storage with tda. */
#define DGET(m, i, j) ((m)->data[(i) * (m)->tda + (j)])

/* ---------------------------------------------------------------------------------------
 * Construction */

int dp_smat_zeros(size_t n1, size_t n2, enum dp_smat_kind kind, dp_smat **out)
{
  *out = NULL;
  int st = check_kind(kind);
  if (st)
    return st;
  if (kind == DP_SMAT_DENSE)
    return new_dense(n1, n2, out);
  return new_sparse(n1, n2, 0, out);
}

int dp_smat_from_triplets(size_t n1, size_t n2, enum dp_smat_kind kind, size_t nnz,
                          const size_t *i, const size_t *j, const double *x, dp_smat **out)
{
  *out = NULL;
  int st = check_kind(kind);
  if (st)
    return st;
  st = check_dims(n1, n2);
  if (st)
    return st;
  if (nnz > 0 && (!i || !j || !x))
    return DP_ERROR(GSL_EINVAL, "dp_smat_from_triplets: NULL triplet arrays");
  for (size_t k = 0; k < nnz; k++)
    if (i[k] >= n1 || j[k] >= n2)
      return DP_ERROR(GSL_EINVAL,
                      "dp_smat_from_triplets: triplet %zu at (%zu, %zu) is outside the "
                      "%zu x %zu matrix",
                      k, i[k], j[k], n1, n2);

  if (kind == DP_SMAT_DENSE) {
    dp_smat *A;
    st = new_dense(n1, n2, &A);
    if (st)
      return st;
    for (size_t k = 0; k < nnz; k++)
      DGET(A->d, i[k], j[k]) += x[k];
    *out = A;
    return GSL_SUCCESS;
  }

  if (n1 > INT_MAX || n2 > INT_MAX)
    return DP_ERROR(GSL_EINVAL, "sparse %zu x %zu matrix exceeds GSL's int indices", n1, n2);

  /* Stable counting sort of the triplets by row: perm lists them row by row, and within a
   * row in the order given. */
  int ret = GSL_SUCCESS;
  size_t *start = calloc(n1 + 1, sizeof *start);
  size_t *perm = malloc((nnz ? nnz : 1) * sizeof *perm);
  size_t *mark = malloc(n2 * sizeof *mark);
  double *acc = malloc(n2 * sizeof *acc);
  size_t *rowlen = malloc(n1 * sizeof *rowlen);
  dp_smat *A = NULL;
  if (!start || !perm || !mark || !acc || !rowlen) {
    ret = DP_ERROR(GSL_ENOMEM, "dp_smat_from_triplets: allocation failed (%zu triplets)", nnz);
    goto done;
  }
  for (size_t k = 0; k < nnz; k++)
    start[i[k] + 1]++;
  for (size_t r = 0; r < n1; r++)
    start[r + 1] += start[r];
  {
    size_t *next = rowlen; /* borrowed as the scatter cursor */
    memcpy(next, start, n1 * sizeof *next);
    for (size_t k = 0; k < nnz; k++)
      perm[next[i[k]]++] = k;
  }

  /* Pass 1: distinct columns per row. */
  for (size_t c = 0; c < n2; c++)
    mark[c] = SIZE_MAX;
  size_t total = 0;
  for (size_t r = 0; r < n1; r++) {
    size_t cnt = 0;
    for (size_t t = start[r]; t < start[r + 1]; t++) {
      size_t c = j[perm[t]];
      if (mark[c] != r) {
        mark[c] = r;
        cnt++;
      }
    }
    total += cnt;
  }
  ret = new_sparse(n1, n2, total, &A);
  if (ret)
    goto done;

  /* Pass 2: sum each (row, column) in the order given, starting from +0.0 as the dense
   * route does, then sort the row's columns. */
  for (size_t c = 0; c < n2; c++)
    mark[c] = SIZE_MAX;
  {
    gsl_spmatrix *s = A->s;
    size_t pos = 0;
    s->p[0] = 0;
    for (size_t r = 0; r < n1; r++) {
      size_t p0 = pos;
      for (size_t t = start[r]; t < start[r + 1]; t++) {
        size_t k = perm[t];
        size_t c = j[k];
        if (mark[c] != r) {
          mark[c] = r;
          acc[c] = 0.0;
          s->i[pos++] = (int)c;
        }
        acc[c] += x[k];
      }
      int sorted = 1;
      for (size_t q = p0 + 1; q < pos; q++)
        if (s->i[q - 1] > s->i[q]) {
          sorted = 0;
          break;
        }
      if (!sorted)
        qsort(s->i + p0, pos - p0, sizeof(int), cmp_int);
      for (size_t q = p0; q < pos; q++)
        s->data[q] = acc[s->i[q]];
      s->p[r + 1] = (int)pos;
    }
    s->nz = pos;
  }
  *out = A;
  A = NULL;

done:
  dp_smat_free(A);
  free(start);
  free(perm);
  free(mark);
  free(acc);
  free(rowlen);
  return ret;
}

void dp_smat_free(dp_smat *A)
{
  if (!A)
    return;
  if (A->d)
    gsl_matrix_free(A->d);
  if (A->s)
    gsl_spmatrix_free(A->s);
  free(A);
}

int dp_smat_copy(const dp_smat *A, dp_smat **out)
{
  *out = NULL;
  int st;
  dp_smat *B;
  if (A->kind == DP_SMAT_DENSE) {
    st = new_dense(A->n1, A->n2, &B);
    if (st)
      return st;
    gsl_matrix_memcpy(B->d, A->d);
  } else {
    const gsl_spmatrix *s = A->s;
    st = new_sparse(A->n1, A->n2, s->nz, &B);
    if (st)
      return st;
    memcpy(B->s->p, s->p, (A->n1 + 1) * sizeof(int));
    if (s->nz) {
      memcpy(B->s->i, s->i, s->nz * sizeof(int));
      memcpy(B->s->data, s->data, s->nz * sizeof(double));
    }
    B->s->nz = s->nz;
  }
  *out = B;
  return GSL_SUCCESS;
}

/* ---------------------------------------------------------------------------------------
 * Access */

/* Position of column j in row i of a CSR matrix, or -1. */
static long sparse_find(const gsl_spmatrix *s, size_t i, size_t j)
{
  long lo = s->p[i], hi = (long)s->p[i + 1] - 1;
  int jj = (int)j;
  while (lo <= hi) {
    long mid = lo + (hi - lo) / 2;
    if (s->i[mid] < jj)
      lo = mid + 1;
    else if (s->i[mid] > jj)
      hi = mid - 1;
    else
      return mid;
  }
  return -1;
}

double dp_smat_get(const dp_smat *A, size_t i, size_t j)
{
  if (i >= A->n1 || j >= A->n2) {
    DP_ERROR(GSL_EINVAL, "dp_smat_get: (%zu, %zu) outside the %zu x %zu matrix", i, j, A->n1,
             A->n2);
    return NAN;
  }
  if (A->kind == DP_SMAT_DENSE)
    return DGET(A->d, i, j);
  long q = sparse_find(A->s, i, j);
  return q < 0 ? 0.0 : A->s->data[q];
}

size_t dp_smat_nnz(const dp_smat *A)
{
  if (A->kind == DP_SMAT_SPARSE)
    return A->s->nz;
  size_t n = 0;
  for (size_t i = 0; i < A->n1; i++)
    for (size_t j = 0; j < A->n2; j++)
      n += DGET(A->d, i, j) != 0.0;
  return n;
}

/* ---------------------------------------------------------------------------------------
 * Sums, transposes */

int dp_smat_add(const dp_smat *A, const dp_smat *B, dp_smat **C)
{
  *C = NULL;
  if (A->n1 != B->n1 || A->n2 != B->n2)
    return DP_ERROR(GSL_EBADLEN, "dp_smat_add: shapes differ (%zu x %zu and %zu x %zu)", A->n1,
                    A->n2, B->n1, B->n2);
  if (A->kind != B->kind)
    return DP_ERROR(GSL_EINVAL, "dp_smat_add: kinds differ (dense and sparse)");
  int st;
  dp_smat *R;
  if (A->kind == DP_SMAT_DENSE) {
    st = new_dense(A->n1, A->n2, &R);
    if (st)
      return st;
    for (size_t i = 0; i < A->n1; i++)
      for (size_t j = 0; j < A->n2; j++)
        DGET(R->d, i, j) = DGET(A->d, i, j) + DGET(B->d, i, j);
    *C = R;
    return GSL_SUCCESS;
  }
  const gsl_spmatrix *a = A->s, *b = B->s;
  /* Pass 1: size of the union of the patterns. */
  size_t total = 0;
  for (size_t r = 0; r < A->n1; r++) {
    int pa = a->p[r], ea = a->p[r + 1], pb = b->p[r], eb = b->p[r + 1];
    while (pa < ea || pb < eb) {
      if (pb >= eb || (pa < ea && a->i[pa] < b->i[pb]))
        pa++;
      else if (pa >= ea || b->i[pb] < a->i[pa])
        pb++;
      else {
        pa++;
        pb++;
      }
      total++;
    }
  }
  st = new_sparse(A->n1, A->n2, total, &R);
  if (st)
    return st;
  gsl_spmatrix *c = R->s;
  size_t q = 0;
  c->p[0] = 0;
  for (size_t r = 0; r < A->n1; r++) {
    int pa = a->p[r], ea = a->p[r + 1], pb = b->p[r], eb = b->p[r + 1];
    while (pa < ea || pb < eb) {
      if (pb >= eb || (pa < ea && a->i[pa] < b->i[pb])) {
        c->i[q] = a->i[pa];
        c->data[q] = a->data[pa] + 0.0; /* as the dense route: a + b with b = +0 */
        pa++;
      } else if (pa >= ea || b->i[pb] < a->i[pa]) {
        c->i[q] = b->i[pb];
        c->data[q] = 0.0 + b->data[pb];
        pb++;
      } else {
        c->i[q] = a->i[pa];
        c->data[q] = a->data[pa] + b->data[pb];
        pa++;
        pb++;
      }
      q++;
    }
    c->p[r + 1] = (int)q;
  }
  c->nz = q;
  *C = R;
  return GSL_SUCCESS;
}

int dp_smat_transpose(const dp_smat *A, dp_smat **out)
{
  *out = NULL;
  int st;
  dp_smat *T;
  if (A->kind == DP_SMAT_DENSE) {
    st = new_dense(A->n2, A->n1, &T);
    if (st)
      return st;
    for (size_t i = 0; i < A->n1; i++)
      for (size_t j = 0; j < A->n2; j++)
        DGET(T->d, j, i) = DGET(A->d, i, j);
    *out = T;
    return GSL_SUCCESS;
  }
  const gsl_spmatrix *a = A->s;
  st = new_sparse(A->n2, A->n1, a->nz, &T);
  if (st)
    return st;
  gsl_spmatrix *t = T->s;
  /* Count per column of A = per row of A^T; rows of A visited in order keep the columns
   * of A^T sorted. */
  for (size_t q = 0; q < a->nz; q++)
    t->p[a->i[q] + 1]++;
  for (size_t c = 0; c < A->n2; c++)
    t->p[c + 1] += t->p[c];
  int *next = malloc(A->n2 * sizeof *next);
  if (!next) {
    dp_smat_free(T);
    return DP_ERROR(GSL_ENOMEM, "dp_smat_transpose: allocation failed");
  }
  memcpy(next, t->p, A->n2 * sizeof *next);
  for (size_t r = 0; r < A->n1; r++)
    for (int q = a->p[r]; q < a->p[r + 1]; q++) {
      int d = next[a->i[q]]++;
      t->i[d] = (int)r;
      t->data[d] = a->data[q];
    }
  free(next);
  t->nz = a->nz;
  *out = T;
  return GSL_SUCCESS;
}

/* ---------------------------------------------------------------------------------------
 * Comparisons and norms */

struct walk {
  size_t mismatches;
  size_t where;
  int found;
  struct dp_numeric_ssq diff; /* Frobenius norm of A - op(B) (numeric.h) */
};

static void walk_pair(struct walk *w, size_t n2, size_t i, size_t j, double a, double b)
{
  if (!(a == b)) {
    if (!w->found) {
      w->found = 1;
      w->where = i * n2 + j;
    }
    w->mismatches++;
  }
  dp_numeric_ssq_add(&w->diff, a - b);
}

/* Row i of op(M) into buf (n entries); op(M) = M^T only for dense M (a sparse M is
 * transposed beforehand). */
static void row_fill(const dp_smat *M, int trans, size_t i, double *buf, size_t n)
{
  if (M->kind == DP_SMAT_DENSE) {
    if (trans)
      for (size_t j = 0; j < n; j++)
        buf[j] = DGET(M->d, j, i);
    else
      memcpy(buf, M->d->data + i * M->d->tda, n * sizeof *buf);
    return;
  }
  const gsl_spmatrix *s = M->s;
  for (size_t j = 0; j < n; j++)
    buf[j] = 0.0;
  for (int q = s->p[i]; q < s->p[i + 1]; q++)
    buf[s->i[q]] = s->data[q];
}

/* Visit A against op(B): every position where either side is stored (sparse/sparse) or
 * every position (otherwise), row-major. */
static int walk_all(const dp_smat *A, const dp_smat *B, int transB, struct walk *w,
                    const char *who)
{
  memset(w, 0, sizeof *w);
  size_t m1 = transB ? B->n2 : B->n1, m2 = transB ? B->n1 : B->n2;
  if (A->n1 != m1 || A->n2 != m2)
    return DP_ERROR(GSL_EBADLEN, "%s: shapes differ (%zu x %zu against %s%zu x %zu)", who,
                    A->n1, A->n2, transB ? "transposed " : "", m1, m2);
  dp_smat *Bt = NULL;
  const dp_smat *Bop = B;
  int tr = transB;
  if (transB && B->kind == DP_SMAT_SPARSE) {
    int st = dp_smat_transpose(B, &Bt);
    if (st)
      return st;
    Bop = Bt;
    tr = 0;
  }
  size_t n1 = A->n1, n2 = A->n2;
  if (A->kind == DP_SMAT_SPARSE && Bop->kind == DP_SMAT_SPARSE) {
    const gsl_spmatrix *a = A->s, *b = Bop->s;
    for (size_t r = 0; r < n1; r++) {
      int pa = a->p[r], ea = a->p[r + 1], pb = b->p[r], eb = b->p[r + 1];
      while (pa < ea || pb < eb) {
        if (pb >= eb || (pa < ea && a->i[pa] < b->i[pb])) {
          walk_pair(w, n2, r, (size_t)a->i[pa], a->data[pa], 0.0);
          pa++;
        } else if (pa >= ea || b->i[pb] < a->i[pa]) {
          walk_pair(w, n2, r, (size_t)b->i[pb], 0.0, b->data[pb]);
          pb++;
        } else {
          walk_pair(w, n2, r, (size_t)a->i[pa], a->data[pa], b->data[pb]);
          pa++;
          pb++;
        }
      }
    }
  } else {
    double *ra = malloc(n2 * sizeof *ra), *rb = malloc(n2 * sizeof *rb);
    if (!ra || !rb) {
      free(ra);
      free(rb);
      dp_smat_free(Bt);
      return DP_ERROR(GSL_ENOMEM, "%s: allocation failed", who);
    }
    for (size_t r = 0; r < n1; r++) {
      row_fill(A, 0, r, ra, n2);
      row_fill(Bop, tr, r, rb, n2);
      for (size_t c = 0; c < n2; c++)
        walk_pair(w, n2, r, c, ra[c], rb[c]);
    }
    free(ra);
    free(rb);
  }
  dp_smat_free(Bt);
  return GSL_SUCCESS;
}

int dp_smat_compare(const dp_smat *A, const dp_smat *B, int transB, size_t *mismatches,
                    size_t *where)
{
  struct walk w;
  int st = walk_all(A, B, transB, &w, "dp_smat_compare");
  if (st)
    return st;
  if (mismatches)
    *mismatches = w.mismatches;
  if (where)
    *where = w.found ? w.where : 0;
  return GSL_SUCCESS;
}

int dp_smat_diff_norm(const dp_smat *A, const dp_smat *B, int transB, double *norm)
{
  struct walk w;
  int st = walk_all(A, B, transB, &w, "dp_smat_diff_norm");
  if (st)
    return st;
  *norm = dp_numeric_ssq_norm(&w.diff);
  return GSL_SUCCESS;
}

/* Stored values (dense: every entry, row-major) as one array walk. */
#define FOR_VALUES(A, v, body)                                                                 \
  do {                                                                                         \
    if ((A)->kind == DP_SMAT_DENSE) {                                                          \
      for (size_t i_ = 0; i_ < (A)->n1; i_++)                                                  \
        for (size_t j_ = 0; j_ < (A)->n2; j_++) {                                              \
          double v = DGET((A)->d, i_, j_);                                                     \
          body;                                                                                \
        }                                                                                      \
    } else {                                                                                   \
      for (size_t q_ = 0; q_ < (A)->s->nz; q_++) {                                             \
        double v = (A)->s->data[q_];                                                           \
        body;                                                                                  \
      }                                                                                        \
    }                                                                                          \
  } while (0)

double dp_smat_norm(const dp_smat *A)
{
  struct dp_numeric_ssq s = {0};
  FOR_VALUES(A, v, dp_numeric_ssq_add(&s, v));
  return dp_numeric_ssq_norm(&s);
}

double dp_smat_sum(const dp_smat *A)
{
  struct dp_numeric_sum n = {0};
  FOR_VALUES(A, v, dp_numeric_sum_add(&n, v));
  return dp_numeric_sum_value(&n);
}

int dp_smat_map(dp_smat *A, double (*f)(double))
{
  if (!f)
    return DP_ERROR(GSL_EINVAL, "dp_smat_map: NULL function");
  if (A->kind == DP_SMAT_DENSE) {
    for (size_t i = 0; i < A->n1; i++)
      for (size_t j = 0; j < A->n2; j++)
        DGET(A->d, i, j) = f(DGET(A->d, i, j));
  } else {
    for (size_t q = 0; q < A->s->nz; q++)
      A->s->data[q] = f(A->s->data[q]);
  }
  return GSL_SUCCESS;
}

/* ---------------------------------------------------------------------------------------
 * Dense copies */

struct colpos {
  int col;
  size_t pos;
};

static int cmp_colpos(const void *a, const void *b)
{
  const struct colpos *x = a, *y = b;
  if (x->col != y->col)
    return (x->col > y->col) - (x->col < y->col);
  return (x->pos > y->pos) - (x->pos < y->pos);
}

int dp_smat_gather(const dp_smat *A, const size_t *rows, size_t nr, const size_t *cols,
                   size_t nc, gsl_matrix **out)
{
  *out = NULL;
  if (nr == 0 || nc == 0)
    return DP_ERROR(GSL_EINVAL,
                    "dp_smat_gather: %zu x %zu submatrix: a zero dimension is not supported",
                    nr, nc);
  for (size_t k = 0; k < nr; k++)
    if (rows[k] >= A->n1)
      return DP_ERROR(GSL_EINVAL, "dp_smat_gather: row %zu (entry %zu) outside 0..%zu",
                      rows[k], k, A->n1 - 1);
  for (size_t k = 0; k < nc; k++)
    if (cols[k] >= A->n2)
      return DP_ERROR(GSL_EINVAL, "dp_smat_gather: column %zu (entry %zu) outside 0..%zu",
                      cols[k], k, A->n2 - 1);
  gsl_matrix *G;
  int st = gsl_dense_zeros(nr, nc, &G);
  if (st)
    return st;
  if (A->kind == DP_SMAT_DENSE) {
    for (size_t r = 0; r < nr; r++)
      for (size_t c = 0; c < nc; c++)
        DGET(G, r, c) = DGET(A->d, rows[r], cols[c]);
    *out = G;
    return GSL_SUCCESS;
  }
  /* Sparse: the requested columns sorted, merged with each requested row. */
  struct colpos *cp = malloc(nc * sizeof *cp);
  if (!cp) {
    gsl_matrix_free(G);
    return DP_ERROR(GSL_ENOMEM, "dp_smat_gather: allocation failed");
  }
  for (size_t c = 0; c < nc; c++) {
    cp[c].col = (int)cols[c];
    cp[c].pos = c;
  }
  qsort(cp, nc, sizeof *cp, cmp_colpos);
  const gsl_spmatrix *s = A->s;
  for (size_t r = 0; r < nr; r++) {
    int q = s->p[rows[r]], e = s->p[rows[r] + 1];
    size_t c = 0;
    while (q < e && c < nc) {
      if (s->i[q] < cp[c].col)
        q++;
      else if (s->i[q] > cp[c].col)
        c++;
      else {
        DGET(G, r, cp[c].pos) = s->data[q];
        c++; /* the same column may be requested again: keep q */
      }
    }
  }
  free(cp);
  *out = G;
  return GSL_SUCCESS;
}

int dp_smat_to_dense(const dp_smat *A, gsl_matrix **out)
{
  *out = NULL;
  gsl_matrix *G;
  int st = gsl_dense_zeros(A->n1, A->n2, &G);
  if (st)
    return st;
  if (A->kind == DP_SMAT_DENSE) {
    gsl_matrix_memcpy(G, A->d);
  } else {
    const gsl_spmatrix *s = A->s;
    for (size_t r = 0; r < A->n1; r++)
      for (int q = s->p[r]; q < s->p[r + 1]; q++)
        DGET(G, r, (size_t)s->i[q]) = s->data[q];
  }
  *out = G;
  return GSL_SUCCESS;
}

/* ---------------------------------------------------------------------------------------
 * Products */

int dp_smat_matvec(const dp_smat *A, const double *x, double *y)
{
  static const char who[] = "dp_smat_matvec";
  if (!A || !x || !y)
    return DP_ERROR(GSL_EFAULT, "%s: an argument is NULL", who);
  size_t n1 = A->n1, n2 = A->n2;
  uintptr_t xa = (uintptr_t)x, ya = (uintptr_t)y;
  if (xa < ya + n1 * sizeof *y && ya < xa + n2 * sizeof *x)
    return DP_ERROR(GSL_EINVAL, "%s: x (%zu entries) and y (%zu entries) overlap", who, n2, n1);
  if (A->kind == DP_SMAT_DENSE) {
    gsl_vector_const_view xv = gsl_vector_const_view_array(x, n2);
    gsl_vector_view yv = gsl_vector_view_array(y, n1);
    return gsl_blas_dgemv(CblasNoTrans, 1.0, A->d, &xv.vector, 0.0, &yv.vector);
  }
  const gsl_spmatrix *s = A->s;
  for (size_t r = 0; r < n1; r++) {
    double acc = 0.0;
    for (int q = s->p[r]; q < s->p[r + 1]; q++)
      acc += s->data[q] * x[s->i[q]];
    y[r] = acc;
  }
  return GSL_SUCCESS;
}
