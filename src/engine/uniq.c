/* uniq.c: the constraint systems of Proposition 1 (claim C05; C17's rectangular case), built
 * for any set of the conditions U1, U2 and the strong reading of U2, on the full domain, on
 * Sym(V) (with U1 on unordered pairs, or transcribed literally onto ordered coordinates), or
 * with the conditions tested on Sym(V) only, and decided exactly (FLINT, fraction-
 * free rref over the integers) by three routes that cross-check each other: the whole dense
 * system, its row blocks one by one, and a structured reduction that never forms a matrix
 * (for R = 256, V = 20000).  Every non-unique system yields a second operator
 * T' = Q1 kron Q2 + v, checked by exact multiplication.  Conventions are in uniq.h. */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <flint/fmpz.h>
#include <flint/fmpz_mat.h>
#include <gsl/gsl_sort.h>

#include "args.h"
#include "err.h"
#include "select.h"
#include "spectral.h"
#include "tol.h"
#include "uniq.h"

/* --- the problem ----------------------------------------------------------------------- */

void dp_uniq_problem_square(struct dp_uniq_problem *p, const size_t *t, size_t R, size_t V,
                            unsigned conds, enum dp_uniq_domain domain)
{
  p->R1 = p->R2 = R;
  p->V1 = p->V2 = V;
  p->t1 = p->t2 = t;
  p->conds = conds;
  p->domain = domain;
  p->candidate = NULL;
}

static int sym_domain(const struct dp_uniq_problem *p) { return p->domain != DP_UNIQ_FULL; }
/* Unknowns on the Sym(V) basis (SYM and SYM_ORDERED) rather than on all V1 x V2 entries. */
static int sym_basis(const struct dp_uniq_problem *p)
{
  return p->domain == DP_UNIQ_SYM || p->domain == DP_UNIQ_SYM_ORDERED;
}

/* Unknowns and equations per row; 0 when they overflow (checked by the caller). */
static uint64_t row_unknowns(const struct dp_uniq_problem *p)
{
  uint64_t V = p->V1;
  return sym_basis(p) ? V * (V + 1) / 2 : (uint64_t)p->V1 * p->V2;
}

/* Number of symmetric test elements B_p (SYM_TESTED) or of unknowns (otherwise). */
static uint64_t row_tests(const struct dp_uniq_problem *p)
{
  uint64_t V = p->V1;
  return p->domain == DP_UNIQ_SYM_TESTED ? V * (V + 1) / 2 : row_unknowns(p);
}

static uint64_t row_equations(const struct dp_uniq_problem *p)
{
  uint64_t k = row_tests(p), u1 = p->domain == DP_UNIQ_SYM_ORDERED ? k : k - 1;
  return ((p->conds & DP_UNIQ_U1) ? u1 : 0) + ((p->conds & DP_UNIQ_U2) ? 1 : 0) +
         ((p->conds & DP_UNIQ_STRONG) ? k : 0);
}

int dp_uniq_problem_check(const struct dp_uniq_problem *p)
{
  if (!p || !p->t1 || !p->t2)
    return DP_ERROR(GSL_EFAULT, "uniq: problem or token array is NULL");
  if (!p->R1 || !p->R2 || !p->V1 || !p->V2)
    return DP_ERROR(GSL_EINVAL, "uniq: sizes R1=%zu V1=%zu R2=%zu V2=%zu must be positive",
                    p->R1, p->V1, p->R2, p->V2);
  if (p->conds & ~DP_UNIQ_ALLCONDS)
    return DP_ERROR(GSL_EINVAL, "uniq: unknown condition flags 0x%x", p->conds);
  if ((unsigned)p->domain > DP_UNIQ_SYM_ORDERED)
    return DP_ERROR(GSL_EINVAL, "uniq: unknown domain %d", (int)p->domain);
  if (sym_domain(p) && p->V1 != p->V2)
    return DP_ERROR(GSL_EINVAL, "uniq: the symmetric domain needs V1 = V2 (got %zu, %zu)",
                    p->V1, p->V2);
  DP_TRY(dp_args_tokens("uniq", "t1", p->t1, p->R1, p->V1));
  DP_TRY(dp_args_tokens("uniq", "t2", p->t2, p->R2, p->V2));
  uint64_t vv, rows, all;
  if (__builtin_mul_overflow((uint64_t)p->V1, (uint64_t)p->V2, &vv) || vv > (UINT64_C(1) << 40) ||
      __builtin_mul_overflow((uint64_t)p->R1, (uint64_t)p->R2, &rows) ||
      __builtin_mul_overflow(rows, 2 * vv + 1, &all))
    return DP_ERROR(GSL_EOVRFLW, "uniq: R1 R2 V1 V2 = %zu %zu %zu %zu too large to count",
                    p->R1, p->R2, p->V1, p->V2);
  if (p->candidate && rows * row_unknowns(p) > DP_UNIQ_DENSE_MAX)
    return DP_ERROR(GSL_EINVAL, "uniq: a candidate operator of %" PRIu64 " entries exceeds %u",
                    rows * row_unknowns(p), DP_UNIQ_DENSE_MAX);
  return GSL_SUCCESS;
}

uint64_t dp_uniq_row_unknowns(const struct dp_uniq_problem *p)
{
  return dp_uniq_problem_check(p) == GSL_SUCCESS ? row_unknowns(p) : 0;
}

uint64_t dp_uniq_row_equations(const struct dp_uniq_problem *p)
{
  return dp_uniq_problem_check(p) == GSL_SUCCESS ? row_equations(p) : 0;
}

void dp_uniq_name(const struct dp_uniq_problem *p, char *buf, size_t n)
{
  static const char *const dom[] = {"", "Sym: ", "Sym-tested: ", "Sym, U1 on ordered pairs: "};
  unsigned c = p->conds;
  const char *body;
  switch (c & DP_UNIQ_ALLCONDS) {
  case 0: body = "no condition"; break;
  case DP_UNIQ_U1: body = "U1 only"; break;
  case DP_UNIQ_U2: body = "U2 only"; break;
  case DP_UNIQ_U1 | DP_UNIQ_U2: body = "U1+U2"; break;
  case DP_UNIQ_STRONG: body = "strong U2"; break;
  case DP_UNIQ_STRONG | DP_UNIQ_U1: body = "strong U2 + U1"; break;
  case DP_UNIQ_STRONG | DP_UNIQ_U2: body = "strong U2 + U2"; break;
  default: body = "U1+U2+strong U2"; break;
  }
  snprintf(buf, n, "%s%s", (unsigned)p->domain < 4 ? dom[p->domain] : "?: ", body);
}

/* Pair index of {a, b} in the upper triangle of a V x V matrix, row-major. */
static uint64_t pair_index(uint64_t V, uint64_t a, uint64_t b)
{
  if (a > b) {
    uint64_t s = a;
    a = b;
    b = s;
  }
  return a * (2 * V - a + 1) / 2 + (b - a);
}

/* Column of (a, b) in a row of K: a V2 + b, or the pair index on SYM. */
static uint64_t colmap(const struct dp_uniq_problem *p, size_t a, size_t b)
{
  return sym_basis(p) ? pair_index(p->V1, a, b) : (uint64_t)a * p->V2 + b;
}

/* (a, b) of a column (on SYM: a <= b of the pair). */
static void col_ab(const struct dp_uniq_problem *p, uint64_t col, size_t *a, size_t *b)
{
  if (!sym_basis(p)) {
    *a = (size_t)(col / p->V2);
    *b = (size_t)(col % p->V2);
    return;
  }
  uint64_t V = p->V1, x = 0;
  while (col >= V - x) /* row x of the upper triangle holds V - x pairs */
    col -= V - x, x++;
  *a = (size_t)x;
  *b = (size_t)(x + col);
}

/* --- the selectors, as row supports ------------------------------------------------------ */

struct ctx {
  const struct dp_uniq_problem *p;
  size_t rows;    /* R1 R2 */
  uint64_t nc;    /* unknowns per row */
  uint64_t neq;   /* equations per row */
  size_t *off1, *idx1, *off2, *idx2; /* non-zeros of the rows of Q1 and Q2 (CSR) */
  long *val1, *val2;
};

static void ctx_free(struct ctx *c)
{
  free(c->off1), free(c->idx1), free(c->val1);
  free(c->off2), free(c->idx2), free(c->val2);
  memset(c, 0, sizeof *c);
}

/* Supports of the rows of Q (R x V), from select.h's dense selector. */
static int supports(const size_t *t, size_t R, size_t V, size_t **off, size_t **idx, long **val)
{
  gsl_matrix *Q = NULL;
  int st = dp_select_Q(t, R, V, &Q);
  if (st != GSL_SUCCESS)
    return st;
  size_t nnz = 0;
  for (size_t i = 0; i < R; i++) {
    const double *row = gsl_matrix_const_ptr(Q, i, 0);
    for (size_t a = 0; a < V; a++)
      nnz += row[a] != 0.0;
  }
  *off = malloc((R + 1) * sizeof **off);
  *idx = malloc((nnz ? nnz : 1) * sizeof **idx);
  *val = malloc((nnz ? nnz : 1) * sizeof **val);
  if (!*off || !*idx || !*val) {
    gsl_matrix_free(Q);
    return DP_ERROR(GSL_ENOMEM, "uniq: out of memory for the supports of Q (%zu x %zu)", R, V);
  }
  size_t k = 0;
  for (size_t i = 0; i < R; i++) {
    (*off)[i] = k;
    const double *row = gsl_matrix_const_ptr(Q, i, 0);
    for (size_t a = 0; a < V; a++)
      if (row[a] != 0.0)
        (*idx)[k] = a, (*val)[k++] = (long)row[a];
  }
  (*off)[R] = k;
  gsl_matrix_free(Q);
  return GSL_SUCCESS;
}

static int ctx_init(struct ctx *c, const struct dp_uniq_problem *p)
{
  memset(c, 0, sizeof *c);
  int st = dp_uniq_problem_check(p);
  if (st != GSL_SUCCESS)
    return st;
  c->p = p;
  c->rows = p->R1 * p->R2;
  c->nc = row_unknowns(p);
  c->neq = row_equations(p);
  st = supports(p->t1, p->R1, p->V1, &c->off1, &c->idx1, &c->val1);
  if (st == GSL_SUCCESS && p->t2 == p->t1 && p->R2 == p->R1 && p->V2 == p->V1) {
    /* the square case: Q2 = Q1, copy its supports rather than form Q again */
    size_t nnz = c->off1[p->R1];
    c->off2 = malloc((p->R1 + 1) * sizeof *c->off2);
    c->idx2 = malloc((nnz ? nnz : 1) * sizeof *c->idx2);
    c->val2 = malloc((nnz ? nnz : 1) * sizeof *c->val2);
    if (!c->off2 || !c->idx2 || !c->val2)
      st = DP_ERROR(GSL_ENOMEM, "uniq: out of memory for the supports of Q");
    else {
      memcpy(c->off2, c->off1, (p->R1 + 1) * sizeof *c->off2);
      memcpy(c->idx2, c->idx1, nnz * sizeof *c->idx2);
      memcpy(c->val2, c->val1, nnz * sizeof *c->val2);
    }
  } else if (st == GSL_SUCCESS) {
    st = supports(p->t2, p->R2, p->V2, &c->off2, &c->idx2, &c->val2);
  }
  if (st != GSL_SUCCESS)
    ctx_free(c);
  return st;
}

/* A sparse row of K: columns and values. */
struct srow {
  size_t n;
  uint64_t col[DP_UNIQ_WITNESS_MAX];
  long val[DP_UNIQ_WITNESS_MAX];
};

static int srow_add(struct srow *s, uint64_t col, long v)
{
  for (size_t k = 0; k < s->n; k++)
    if (s->col[k] == col) {
      s->val[k] += v;
      return GSL_SUCCESS;
    }
  if (s->n == DP_UNIQ_WITNESS_MAX)
    return DP_ERROR(GSL_ENOMEM, "uniq: a sparse row has more than %u entries",
                    DP_UNIQ_WITNESS_MAX);
  s->col[s->n] = col;
  s->val[s->n++] = v;
  return GSL_SUCCESS;
}

static long srow_get(const struct srow *s, uint64_t col)
{
  for (size_t k = 0; k < s->n; k++)
    if (s->col[k] == col)
      return s->val[k];
  return 0;
}

/* Row (i, j) of the expected operator: sum over a in supp Q1_i, b in supp Q2_j of
 * (Q1)_ia (Q2)_jb at column (a, b), i.e. (Q1 kron Q2) row-major; on SYM the pair {a, b}
 * collects (Q1 B_p Q2^T)_ij = (Q1)_ia (Q2)_jb + (Q1)_ib (Q2)_ja. */
static int expected_row(const struct ctx *c, size_t i, size_t j, struct srow *s)
{
  s->n = 0;
  if (c->p->candidate) { /* the reference is the candidate's row */
    const long *row = c->p->candidate + (i * c->p->R2 + j) * c->nc;
    for (uint64_t col = 0; col < c->nc; col++) {
      int st = row[col] ? srow_add(s, col, row[col]) : GSL_SUCCESS;
      if (st != GSL_SUCCESS)
        return st;
    }
    return GSL_SUCCESS;
  }
  for (size_t k1 = c->off1[i]; k1 < c->off1[i + 1]; k1++)
    for (size_t k2 = c->off2[j]; k2 < c->off2[j + 1]; k2++) {
      int st = srow_add(s, colmap(c->p, c->idx1[k1], c->idx2[k2]), c->val1[k1] * c->val2[k2]);
      if (st != GSL_SUCCESS)
        return st;
    }
  return GSL_SUCCESS;
}

/* Row i R2 + j -> (i, j), and its target column (a*, b*) = (t1_i, t2_j). */
static uint64_t target_col(const struct ctx *c, size_t row)
{
  return colmap(c->p, c->p->t1[row / c->p->R2], c->p->t2[row % c->p->R2]);
}

/* Does U1 pin the row's own coordinate too?  Only on the ordered reading, when a* > b*. */
static int u1_pins_target(const struct ctx *c, size_t row)
{
  return c->p->domain == DP_UNIQ_SYM_ORDERED &&
         c->p->t1[row / c->p->R2] > c->p->t2[row % c->p->R2];
}

/* --- the equations of one row, explicit -------------------------------------------------- */

/* A (neq x nc, row-major, zeroed here) and b (neq) of row `row` of K. */
static void block_fill(const struct ctx *c, size_t row, long *A, long *b)
{
  const struct dp_uniq_problem *p = c->p;
  uint64_t nc = c->nc, cs = target_col(c, row), e = 0;
  size_t V = p->V1;
  uint64_t ps = pair_index(V, p->t1[row / p->R2], p->t2[row % p->R2]);
  int tested = p->domain == DP_UNIQ_SYM_TESTED;
  memset(A, 0, c->neq * nc * sizeof *A);
  memset(b, 0, c->neq * sizeof *b);
  if (p->conds & DP_UNIQ_U1) {
    if (!tested) {
      for (uint64_t col = 0; col < nc; col++)
        if (col != cs)
          A[e++ * nc + col] = 1; /* K_{(ij),col} = 0 */
      if (p->domain == DP_UNIQ_SYM_ORDERED) /* (a*, b*) is no coordinate when a* > b* */
        A[e++ * nc + cs] = u1_pins_target(c, row);
    } else {
      for (size_t a = 0; a < V; a++)
        for (size_t bb = a; bb < V; bb++)
          if (pair_index(V, a, bb) != ps) { /* K_row . vec(B_ab) = 0 */
            A[e * nc + a * V + bb] = 1;
            A[e++ * nc + bb * V + a] = 1;
          }
    }
  }
  if (p->conds & DP_UNIQ_U2) { /* sum of the row = 1 */
    for (uint64_t col = 0; col < nc; col++)
      A[e * nc + col] = 1;
    b[e++] = 1;
  }
  if (p->conds & DP_UNIQ_STRONG) {
    if (!tested) {
      for (uint64_t col = 0; col < nc; col++) { /* K_{(ij),col} = [col = (a*, b*)] */
        A[e * nc + col] = 1;
        b[e++] = col == cs;
      }
    } else {
      for (size_t a = 0; a < V; a++)
        for (size_t bb = a; bb < V; bb++) { /* K_row . vec(B_ab) = (Q B_ab Q^T)_ij */
          A[e * nc + a * V + bb] = 1;
          A[e * nc + bb * V + a] = 1;
          b[e++] = pair_index(V, a, bb) == ps;
        }
    }
  }
}

/* --- exact decision of an augmented integer system [A | b] ------------------------------ */

/* f = v.  (FLINT 2.9's inline fmpz_set_si calls GMP directly, which the build does not link;
 * fmpz_add_si goes through libflint.) */
static void zset(fmpz_t f, long v)
{
  fmpz_zero(f);
  fmpz_add_si(f, f, v);
}

struct dec {
  slong m, n, rank_aug, rankA;
  int consistent;
  slong *piv;     /* pivot column of each row of the rref */
  fmpz_mat_t B;   /* rref([A | b]) scaled by den: pivots equal den */
  fmpz_t den;
};

static int dec_run(const fmpz_mat_t M, slong n, struct dec *d)
{
  d->m = fmpz_mat_nrows(M);
  d->n = n;
  d->piv = malloc((size_t)(d->m ? d->m : 1) * sizeof *d->piv);
  if (!d->piv)
    return DP_ERROR(GSL_ENOMEM, "uniq: out of memory for %ld pivots", (long)d->m);
  fmpz_mat_init(d->B, d->m, n + 1);
  fmpz_init(d->den);
  if (d->m > 0) {
    d->rank_aug = fmpz_mat_rref_fflu(d->B, d->den, M);
  } else {
    d->rank_aug = 0;
    fmpz_one(d->den);
  }
  for (slong r = 0; r < d->rank_aug; r++) {
    slong col = 0;
    while (fmpz_is_zero(fmpz_mat_entry(d->B, r, col)))
      col++;
    d->piv[r] = col;
  }
  d->consistent = !(d->rank_aug > 0 && d->piv[d->rank_aug - 1] == n);
  d->rankA = d->consistent ? d->rank_aug : d->rank_aug - 1;
  return GSL_SUCCESS;
}

static void dec_free(struct dec *d)
{
  fmpz_mat_clear(d->B);
  fmpz_clear(d->den);
  free(d->piv);
}

/* The first free column (not a pivot of A); -1 when none. */
static slong dec_free_col(const struct dec *d)
{
  for (slong col = 0, r = 0; col < d->n; col++) {
    if (r < d->rankA && d->piv[r] == col)
      r++;
    else
      return col;
  }
  return -1;
}

/* Number of equations e with (A x)_e != b_e, x an integer vector; *first the first. */
static size_t aug_residual(const fmpz_mat_t M, slong n, const long *x, size_t *first)
{
  size_t bad = 0;
  fmpz_t s, t;
  fmpz_init(s);
  fmpz_init(t);
  *first = SIZE_MAX;
  for (slong e = 0; e < fmpz_mat_nrows(M); e++) {
    fmpz_zero(s);
    for (slong u = 0; u < n; u++)
      if (x[u] && !fmpz_is_zero(fmpz_mat_entry(M, e, u))) {
        zset(t, x[u]);
        fmpz_addmul(s, fmpz_mat_entry(M, e, u), t);
      }
    if (!fmpz_equal(s, fmpz_mat_entry(M, e, n)) && !bad++)
      *first = (size_t)e;
  }
  fmpz_clear(s);
  fmpz_clear(t);
  return bad;
}

/* --- the explicit system ------------------------------------------------------------------ */

struct dp_uniq_system {
  size_t m, n;
  fmpz_mat_t M; /* m x (n + 1): [A | b] */
};

/* [A | b] for rows [r0, r1) of K, columns relative to row r0. */
static int build_aug(const struct ctx *c, size_t r0, size_t r1, fmpz_mat_t M)
{
  size_t nc = (size_t)c->nc, neq = (size_t)c->neq, nrow = r1 - r0, n = nrow * nc;
  long *A = malloc((neq ? neq * nc : 1) * sizeof *A), *b = malloc((neq ? neq : 1) * sizeof *b);
  if (!A || !b) {
    free(A), free(b);
    return DP_ERROR(GSL_ENOMEM, "uniq: out of memory for a %zu x %zu block", neq, nc);
  }
  fmpz_mat_init(M, (slong)(nrow * neq), (slong)n + 1);
  for (size_t r = r0; r < r1; r++) {
    block_fill(c, r, A, b);
    size_t e0 = (r - r0) * neq, c0 = (r - r0) * nc;
    for (size_t e = 0; e < neq; e++) {
      for (size_t col = 0; col < nc; col++)
        if (A[e * nc + col])
          zset(fmpz_mat_entry(M, (slong)(e0 + e), (slong)(c0 + col)), A[e * nc + col]);
      zset(fmpz_mat_entry(M, (slong)(e0 + e), (slong)n), b[e]);
    }
  }
  free(A);
  free(b);
  return GSL_SUCCESS;
}

int dp_uniq_build(const struct dp_uniq_problem *p, struct dp_uniq_system **s)
{
  struct ctx c;
  *s = NULL;
  int st = ctx_init(&c, p);
  if (st != GSL_SUCCESS)
    return st;
  if (c.rows * c.nc > DP_UNIQ_DENSE_MAX) {
    ctx_free(&c);
    return DP_ERROR(GSL_EINVAL, "uniq: %" PRIu64 " unknowns exceed the dense limit %u",
                    (uint64_t)c.rows * c.nc, DP_UNIQ_DENSE_MAX);
  }
  struct dp_uniq_system *x = calloc(1, sizeof *x);
  if (!x) {
    ctx_free(&c);
    return DP_ERROR(GSL_ENOMEM, "uniq: out of memory");
  }
  x->m = c.rows * (size_t)c.neq;
  x->n = c.rows * (size_t)c.nc;
  st = build_aug(&c, 0, c.rows, x->M);
  ctx_free(&c);
  if (st != GSL_SUCCESS) {
    free(x);
    return st;
  }
  *s = x;
  return GSL_SUCCESS;
}

void dp_uniq_system_free(struct dp_uniq_system *s)
{
  if (!s)
    return;
  fmpz_mat_clear(s->M);
  free(s);
}

size_t dp_uniq_system_equations(const struct dp_uniq_system *s) { return s->m; }
size_t dp_uniq_system_unknowns(const struct dp_uniq_system *s) { return s->n; }

long dp_uniq_system_coef(const struct dp_uniq_system *s, size_t e, size_t u)
{
  return e < s->m && u < s->n ? fmpz_get_si(fmpz_mat_entry(s->M, (slong)e, (slong)u)) : 0;
}

long dp_uniq_system_rhs(const struct dp_uniq_system *s, size_t e)
{
  return e < s->m ? fmpz_get_si(fmpz_mat_entry(s->M, (slong)e, (slong)s->n)) : 0;
}

int dp_uniq_system_residual(const struct dp_uniq_system *s, const long *x, size_t *violated,
                            size_t *first)
{
  if (!s || !x || !violated || !first)
    return DP_ERROR(GSL_EFAULT, "uniq: residual: NULL argument");
  *violated = aug_residual(s->M, (slong)s->n, x, first);
  return GSL_SUCCESS;
}

/* The expected operator, dense, rows [r0, r1). */
static int kron_rows(const struct ctx *c, size_t r0, size_t r1, long *K)
{
  size_t nc = (size_t)c->nc;
  memset(K, 0, (r1 - r0) * nc * sizeof *K);
  for (size_t r = r0; r < r1; r++) {
    struct srow s;
    int st = expected_row(c, r / c->p->R2, r % c->p->R2, &s);
    if (st != GSL_SUCCESS)
      return st;
    for (size_t k = 0; k < s.n; k++)
      K[(r - r0) * nc + s.col[k]] = s.val[k];
  }
  return GSL_SUCCESS;
}

int dp_uniq_kron(const struct dp_uniq_problem *p, long **K)
{
  struct ctx c;
  struct dp_uniq_problem q;
  *K = NULL;
  if (p) /* Q1 kron Q2 itself, whatever candidate p carries */
    q = *p, q.candidate = NULL;
  int st = ctx_init(&c, p ? &q : NULL);
  if (st != GSL_SUCCESS)
    return st;
  size_t N = c.rows * (size_t)c.nc;
  if (N > DP_UNIQ_DENSE_MAX)
    st = DP_ERROR(GSL_EINVAL, "uniq: %zu entries exceed the dense limit %u", N,
                  DP_UNIQ_DENSE_MAX);
  else if (!(*K = malloc(N * sizeof **K)))
    st = DP_ERROR(GSL_ENOMEM, "uniq: out of memory for K");
  else if ((st = kron_rows(&c, 0, c.rows, *K)) != GSL_SUCCESS)
    free(*K), *K = NULL;
  ctx_free(&c);
  return st;
}

int dp_uniq_compare_kron(const struct dp_uniq_problem *p, const long *K, size_t *nmismatch,
                         size_t *first)
{
  long *E = NULL;
  if (!K || !nmismatch || !first)
    return DP_ERROR(GSL_EFAULT, "uniq: compare: NULL argument");
  int st = dp_uniq_kron(p, &E);
  if (st != GSL_SUCCESS)
    return st;
  size_t N = p->R1 * p->R2 * (size_t)row_unknowns(p);
  *nmismatch = 0;
  *first = SIZE_MAX;
  for (size_t u = 0; u < N; u++)
    if (K[u] != E[u] && !(*nmismatch)++)
      *first = u;
  free(E);
  return GSL_SUCCESS;
}

/* --- witnesses ---------------------------------------------------------------------------- */

static void fmt_coord(const struct dp_uniq_problem *p, uint64_t col, char *buf, size_t n)
{
  size_t a, b;
  col_ab(p, col, &a, &b);
  snprintf(buf, n, "S_(%zu,%zu)", a, b);
}

/* Fill w's S, its values and text from v (already in w->col/val), the expected row e and the
 * column f of S. */
static void witness_finish(const struct dp_uniq_problem *p, struct dp_uniq_witness *w,
                           const struct srow *e, uint64_t f)
{
  col_ab(p, f, &w->s_a, &w->s_b);
  long vf = 0;
  for (size_t k = 0; k < w->nv; k++)
    if (w->col[k] == f)
      vf = w->val[k];
  w->q_val = srow_get(e, f);
  w->t_val = w->q_val + vf;
  int square = p->t1 == p->t2 && p->R1 == p->R2 && p->V1 == p->V2;
  const char *QSQ = square ? "Q S Q^T" : "Q1 S Q2^T";
  int k = snprintf(w->text, sizeof w->text, "T'(S) = %s + D(S), D_(%zu,%zu) =", QSQ, w->i, w->j);
  for (size_t q = 0; q < w->nv && k > 0 && (size_t)k < sizeof w->text; q++) {
    char co[48];
    fmt_coord(p, w->col[q], co, sizeof co);
    k += snprintf(w->text + k, sizeof w->text - (size_t)k, " %+ld %s", w->val[q], co);
  }
  if (k > 0 && (size_t)k < sizeof w->text) {
    char S[64];
    if (sym_basis(p) && w->s_a != w->s_b)
      snprintf(S, sizeof S, "E_(%zu,%zu)+E_(%zu,%zu)", w->s_a, w->s_b, w->s_b, w->s_a);
    else
      snprintf(S, sizeof S, "E_(%zu,%zu)", w->s_a, w->s_b);
    snprintf(w->text + k, sizeof w->text - (size_t)k,
             " (0 elsewhere); on S = %s: T'(S)_(%zu,%zu) = %ld != %ld = (%s)_(%zu,%zu)", S, w->i,
             w->j, w->t_val, w->q_val, QSQ, w->i, w->j);
  }
}

/* --- routes: dense and blocks ---------------------------------------------------------- */

static void result_init(struct dp_uniq_result *r, enum dp_uniq_route route, const struct ctx *c)
{
  memset(r, 0, sizeof *r);
  r->route = route;
  r->equations = (uint64_t)c->rows * c->neq;
  r->unknowns = (uint64_t)c->rows * c->nc;
  r->consistent = 1;
  r->expected_solves = 1;
}

/* Decide rows [r0, r1) of K as one augmented system; accumulate into r.  Keeps the first
 * witness and the first mismatch; *wok = the witness's own rows satisfied by T'. */
static int decide_rows(const struct ctx *c, size_t r0, size_t r1, struct dp_uniq_result *r,
                       int *wok)
{
  size_t nc = (size_t)c->nc, n = (r1 - r0) * nc;
  fmpz_mat_t M;
  int st = build_aug(c, r0, r1, M);
  if (st != GSL_SUCCESS)
    return st;
  long *K = malloc(n * sizeof *K), *T = malloc(n * sizeof *T);
  struct dec d;
  memset(&d, 0, sizeof d);
  fmpz_t x;
  fmpz_init(x);
  if (!K || !T) {
    st = DP_ERROR(GSL_ENOMEM, "uniq: out of memory for %zu unknowns", n);
    goto out;
  }
  if ((st = kron_rows(c, r0, r1, K)) != GSL_SUCCESS)
    goto out;
  size_t first;
  if (aug_residual(M, (slong)n, K, &first))
    r->expected_solves = 0;
  if ((st = dec_run(M, (slong)n, &d)) != GSL_SUCCESS)
    goto out;
  r->rank += (uint64_t)d.rankA;
  r->consistent &= d.consistent;
  if (!d.consistent && r1 == r0 + 1 && !r->conflict[0])
    snprintf(r->conflict, sizeof r->conflict, "row (%zu,%zu) of K has no solution "
             "(rank [A|b] > rank A)", r0 / c->p->R2, r0 % c->p->R2);
  r->nullity += (uint64_t)(n - (size_t)d.rankA);
  if (d.consistent && (size_t)d.rankA == n && !r->mismatch[0]) {
    for (slong q = 0; q < d.rankA; q++) { /* x_piv = B[q][n] / den against K exactly */
      fmpz_mul_si(x, d.den, K[d.piv[q]]);
      if (!fmpz_equal(x, fmpz_mat_entry(d.B, q, (slong)n))) {
        size_t u = (size_t)d.piv[q], row = r0 + u / nc, a, b;
        col_ab(c->p, u % nc, &a, &b);
        char *num = fmpz_get_str(NULL, 10, fmpz_mat_entry(d.B, q, (slong)n));
        char *dn = fmpz_get_str(NULL, 10, d.den);
        snprintf(r->mismatch, sizeof r->mismatch,
                 "row (%zu,%zu), column (%zu,%zu): solution %s/%s, Q1 kron Q2 %ld",
                 row / c->p->R2, row % c->p->R2, a, b, num, dn, K[u]);
        flint_free(num);
        flint_free(dn);
        break;
      }
    }
  }
  slong f = dec_free_col(&d);
  if (d.consistent && f >= 0 && !r->has_witness) {
    /* v: v_f = den, v_piv(q) = -B[q][f]; it lives in the row of f (A is block-diagonal) */
    struct dp_uniq_witness *w = &r->w;
    size_t row = r0 + (size_t)f / nc;
    w->i = row / c->p->R2;
    w->j = row % c->p->R2;
    memcpy(T, K, n * sizeof *T);
    int fits = fmpz_fits_si(d.den);
    long vf = fits ? fmpz_get_si(d.den) : 0, sg = vf < 0 ? -1 : 1; /* v_f > 0, for the print */
    vf *= sg;
    T[f] += vf;
    w->nv = 0;
    w->col[w->nv] = (uint64_t)f % nc;
    w->val[w->nv++] = vf;
    for (slong q = 0; q < d.rankA; q++) {
      const fmpz *bq = fmpz_mat_entry(d.B, q, f);
      if (fmpz_is_zero(bq))
        continue;
      fits &= fmpz_fits_si(bq) && (size_t)d.piv[q] / nc == (size_t)f / nc &&
              w->nv < DP_UNIQ_WITNESS_MAX;
      if (!fits)
        break;
      long vq = -sg * fmpz_get_si(bq);
      T[d.piv[q]] += vq;
      w->col[w->nv] = (uint64_t)d.piv[q] % nc;
      w->val[w->nv++] = vq;
    }
    struct srow e;
    if ((st = expected_row(c, w->i, w->j, &e)) != GSL_SUCCESS)
      goto out;
    witness_finish(c->p, w, &e, (uint64_t)f % nc);
    *wok = fits && aug_residual(M, (slong)n, T, &first) == 0;
    r->has_witness = 1;
  }
out:
  if (d.piv)
    dec_free(&d);
  fmpz_clear(x);
  fmpz_mat_clear(M);
  free(K);
  free(T);
  return st;
}

static void result_finish(struct dp_uniq_result *r, int wok)
{
  r->unique = r->consistent && r->nullity == 0;
  r->matches = r->unique && !r->mismatch[0];
  if (!r->consistent)
    r->has_witness = 0;
  if (r->has_witness)
    r->w.verified = wok && r->expected_solves && r->w.t_val != r->w.q_val;
}

/* --- route: structured --------------------------------------------------------------------- */

/* Does the sparse row s (row `row` of a candidate K) meet every equation of the row?  Each
 * condition is evaluated from its definition on the sparse entries (absent entries are 0). */
static int row_meets(const struct ctx *c, size_t row, const struct srow *s)
{
  uint64_t cs = target_col(c, row);
  unsigned k = c->p->conds;
  int own = !u1_pins_target(c, row);
  long sum = 0;
  for (size_t q = 0; q < s->n; q++) {
    if ((k & DP_UNIQ_U1) && (s->col[q] != cs || !own) && s->val[q] != 0)
      return 0; /* U1: K_{(ij),c} = 0 for c != (a*, b*) (and for (a*, b*), ordered a* > b*) */
    if ((k & DP_UNIQ_STRONG) && s->val[q] != (s->col[q] == cs))
      return 0; /* strong: K_{(ij),c} = [c = (a*, b*)] */
    sum += s->val[q];
  }
  if ((k & DP_UNIQ_STRONG) && srow_get(s, cs) != 1)
    return 0;
  if ((k & DP_UNIQ_U2) && sum != 1)
    return 0; /* U2: the row sums to 1 */
  return 1;
}

/* Per row: the unit equations of U1 (all columns but (a*, b*), value 0) and of the strong
 * reading (every column, value [c = (a*, b*)]) pin coordinates; U2, the one remaining
 * equation, has coefficient 1 on every free coordinate, so the free coordinates form one class
 * of identical columns and the reduced system over classes is 1 x 1 (or empty).  Rank of the
 * row = #pinned + rank of the class system; nullity = #free - that rank. */
static int structured(const struct ctx *c, struct dp_uniq_result *r)
{
  const struct dp_uniq_problem *p = c->p;
  unsigned k = p->conds;
  int u1 = !!(k & DP_UNIQ_U1), u2 = !!(k & DP_UNIQ_U2), strong = !!(k & DP_UNIQ_STRONG);
  uint64_t nc = c->nc;
  int wok = 0;
  for (size_t row = 0; row < c->rows; row++) {
    size_t i = row / p->R2, j = row % p->R2;
    uint64_t cs = target_col(c, row);
    uint64_t other = cs == 0 ? 1 : 0; /* a column != (a*, b*), when nc >= 2 */
    int pins_own = u1 && u1_pins_target(c, row);          /* ordered reading, a* > b* */
    uint64_t npinned = strong ? nc : u1 ? nc - 1 + (uint64_t)pins_own : 0, nfree = nc - npinned;
    long strong_at_other = strong && nc >= 2 ? (long)(other == cs) : 0;
    /* U1 and strong pin alike: 0 off (a*, b*); U1 pinning (a*, b*) to 0 against strong's 1 */
    int agree = !(u1 && strong) || (strong_at_other == 0 && !pins_own);
    long psum = strong ? 1 : 0;                           /* sum of the pinned values */
    long rhs = 1 - psum;                                  /* U2 on the free coordinates */
    uint64_t rank_class = u2 && nfree >= 1 ? 1 : 0;
    int cons = agree && !(u2 && nfree == 0 && rhs != 0);
    r->rank += npinned + rank_class;
    r->nullity += nfree - rank_class;
    r->consistent &= cons;
    if (!cons && !r->conflict[0])
      snprintf(r->conflict, sizeof r->conflict, "row (%zu,%zu) of K has no solution: %s", i, j,
               agree ? "every coordinate pinned to 0 and U2 asks for a sum of 1"
                     : "U1 and the strong reading pin (a*,b*) to 0 and to 1");
    struct srow e, s;
    int st = expected_row(c, i, j, &e);
    if (st != GSL_SUCCESS)
      return st;
    if (!row_meets(c, row, &e))
      r->expected_solves = 0;
    if (!cons)
      continue;
    if (nfree == rank_class) { /* unique row: pinned values + the class solution */
      s.n = 0;
      if (strong)
        srow_add(&s, cs, 1);
      if (rank_class) /* the one free coordinate is (a*, b*): U1 pins all others, or nc = 1 */
        srow_add(&s, cs, rhs);
      /* (a row with every coordinate pinned to 0 and no U2 has the zero solution) */
      size_t q;
      for (q = 0; q < s.n + e.n; q++) {
        uint64_t col = q < s.n ? s.col[q] : e.col[q - s.n];
        if (srow_get(&s, col) != srow_get(&e, col))
          break;
      }
      if (q < s.n + e.n && !r->mismatch[0]) {
        uint64_t col = q < s.n ? s.col[q] : e.col[q - s.n];
        size_t a, b;
        col_ab(p, col, &a, &b);
        snprintf(r->mismatch, sizeof r->mismatch,
                 "row (%zu,%zu), column (%zu,%zu): solution %ld, Q1 kron Q2 %ld", i, j, a, b,
                 srow_get(&s, col), srow_get(&e, col));
      }
    } else if (!r->has_witness) {
      /* v within the free class: e_other - e_(a*,b*) when U2 ties the class (the operator
       * moves row (i,j)'s weight to another pair), e_(a*,b*) when nothing does */
      struct dp_uniq_witness *w = &r->w;
      w->i = i;
      w->j = j;
      w->nv = 0;
      uint64_t f = cs;
      if (rank_class) {
        f = other;
        w->col[w->nv] = other, w->val[w->nv++] = 1;
        w->col[w->nv] = cs, w->val[w->nv++] = -1;
      } else {
        w->col[w->nv] = cs, w->val[w->nv++] = 1;
      }
      s = e;
      for (size_t q = 0; q < w->nv; q++)
        srow_add(&s, w->col[q], w->val[q]);
      wok = row_meets(c, row, &s);
      witness_finish(p, w, &e, f);
      r->has_witness = 1;
    }
  }
  result_finish(r, wok);
  return GSL_SUCCESS;
}

int dp_uniq_decide(const struct dp_uniq_problem *p, enum dp_uniq_route route,
                   struct dp_uniq_result *r)
{
  struct ctx c;
  if (!r)
    return DP_ERROR(GSL_EFAULT, "uniq: decide: NULL result");
  int st = ctx_init(&c, p);
  if (st != GSL_SUCCESS)
    return st;
  result_init(r, route, &c);
  int wok = 0;
  switch (route) {
  case DP_UNIQ_DENSE:
    if (r->unknowns > DP_UNIQ_DENSE_MAX)
      st = DP_ERROR(GSL_EINVAL, "uniq: dense route: %" PRIu64 " unknowns exceed %u",
                    r->unknowns, DP_UNIQ_DENSE_MAX);
    else
      st = decide_rows(&c, 0, c.rows, r, &wok);
    /* no solution: name a row block without one (the system is block-diagonal, so there is) */
    for (size_t row = 0; st == GSL_SUCCESS && !r->consistent && !r->conflict[0] && row < c.rows;
         row++) {
      struct dp_uniq_result b;
      int ok;
      result_init(&b, route, &c);
      st = decide_rows(&c, row, row + 1, &b, &ok);
      memcpy(r->conflict, b.conflict, sizeof r->conflict);
    }
    break;
  case DP_UNIQ_BLOCKS:
    if (c.nc > DP_UNIQ_BLOCK_MAX)
      st = DP_ERROR(GSL_EINVAL, "uniq: block route: %" PRIu64 " unknowns per row exceed %u",
                    c.nc, DP_UNIQ_BLOCK_MAX);
    for (size_t row = 0; row < c.rows && st == GSL_SUCCESS; row++) {
      int ok = 0, had = r->has_witness;
      st = decide_rows(&c, row, row + 1, r, &ok);
      if (!had && r->has_witness)
        wok = ok;
    }
    break;
  case DP_UNIQ_STRUCTURED:
    if (p->domain == DP_UNIQ_SYM_TESTED)
      st = DP_ERROR(GSL_EINVAL, "uniq: the structured route does not cover the Sym-tested "
                    "domain");
    else
      st = structured(&c, r);
    break;
  default:
    st = DP_ERROR(GSL_EINVAL, "uniq: unknown route %d", (int)route);
  }
  if (st == GSL_SUCCESS && route != DP_UNIQ_STRUCTURED)
    result_finish(r, wok);
  ctx_free(&c);
  return st;
}

void dp_uniq_describe(const struct dp_uniq_result *r, char *buf, size_t n)
{
  int k = snprintf(buf, n, "rank %" PRIu64 "/%" PRIu64 " unknowns, %" PRIu64
                   " equations, nullity %" PRIu64 "%s",
                   r->rank, r->unknowns, r->equations, r->nullity,
                   r->consistent ? "" : ", INCONSISTENT");
  if (k < 0 || (size_t)k >= n)
    return;
  if (r->unique)
    snprintf(buf + k, n - (size_t)k, ", unique%s%s", r->matches ? ", = Q1 kron Q2" : ": ",
             r->matches ? "" : r->mismatch);
  else if (r->has_witness)
    snprintf(buf + k, n - (size_t)k, ", witness %s: %s", r->w.verified ? "verified" : "NOT verified",
             r->w.text);
}

/* --- the floating-point view -------------------------------------------------------------- */

/* The n singular values of A (m x n) into out, by the engine's SVD (spectral.h); structural
 * zeros when m < n. */
static int svals(const gsl_matrix *A, size_t m, size_t n, double *out)
{
  memset(out, 0, n * sizeof *out);
  if (m == 0)
    return GSL_SUCCESS;
  gsl_vector_view s = gsl_vector_view_array(out, m < n ? m : n);
  return dp_spectral_svd(A, &s.vector, NULL, NULL); /* values only */
}

static int svd_rows(const struct ctx *c, size_t r0, size_t r1, double *out)
{
  size_t nc = (size_t)c->nc, neq = (size_t)c->neq, nrow = r1 - r0;
  size_t m = nrow * neq, n = nrow * nc;
  long *A = malloc((neq ? neq * nc : 1) * sizeof *A), *b = malloc((neq ? neq : 1) * sizeof *b);
  gsl_matrix *G = m ? gsl_matrix_calloc(m, n) : NULL;
  int st = GSL_SUCCESS;
  if (!A || !b || (m && !G))
    st = DP_ERROR(GSL_ENOMEM, "uniq: out of memory for a %zu x %zu matrix", m, n);
  for (size_t r = r0; r < r1 && st == GSL_SUCCESS && m; r++) {
    block_fill(c, r, A, b);
    for (size_t e = 0; e < neq; e++)
      for (size_t col = 0; col < nc; col++)
        gsl_matrix_set(G, (r - r0) * neq + e, (r - r0) * nc + col, (double)A[e * nc + col]);
  }
  if (st == GSL_SUCCESS)
    st = svals(G, m, n, out);
  gsl_matrix_free(G);
  free(A);
  free(b);
  return st;
}

int dp_uniq_svd(const struct dp_uniq_problem *p, int dense, struct dp_uniq_svd *s, double *sv)
{
  struct ctx c;
  if (!s)
    return DP_ERROR(GSL_EFAULT, "uniq: svd: NULL result");
  int st = ctx_init(&c, p);
  if (st != GSL_SUCCESS)
    return st;
  size_t N = c.rows * (size_t)c.nc, m = c.rows * (size_t)c.neq;
  double *all = NULL;
  if (dense ? N > DP_UNIQ_DENSE_MAX : c.nc > DP_UNIQ_BLOCK_MAX)
    st = DP_ERROR(GSL_EINVAL, "uniq: svd: %zu unknowns (%" PRIu64 " per row) too many for the %s",
                  N, c.nc, dense ? "dense SVD" : "block SVD");
  else if (!(all = malloc(N * sizeof *all)))
    st = DP_ERROR(GSL_ENOMEM, "uniq: svd: out of memory");
  else if (dense)
    st = svd_rows(&c, 0, c.rows, all);
  else
    for (size_t r = 0; r < c.rows && st == GSL_SUCCESS; r++)
      st = svd_rows(&c, r, r + 1, all + r * (size_t)c.nc);
  if (st == GSL_SUCCESS) {
    gsl_sort(all, 1, N);
    for (size_t k = 0; k < N / 2; k++) { /* descending */
      double x = all[k];
      all[k] = all[N - 1 - k];
      all[N - 1 - k] = x;
    }
    memset(s, 0, sizeof *s);
    s->equations = m;
    s->unknowns = N;
    s->smax = all[0];
    s->threshold = dp_spectral_rank_tol(m > N ? m : N, s->smax);
    while (s->rank < N && all[s->rank] > s->threshold)
      s->rank++;
    s->nullity = N - s->rank;
    s->s_last = s->rank ? all[s->rank - 1] : 0.0;
    s->s_zero = s->nullity ? all[s->rank] : NAN;
    s->gap = !s->nullity ? NAN : s->s_zero > 0.0 ? s->s_last / s->s_zero : INFINITY;
    s->margin = s->rank ? s->s_last / s->threshold : NAN;
    if (sv)
      memcpy(sv, all, N * sizeof *sv);
  }
  free(all);
  ctx_free(&c);
  return st;
}

void dp_uniq_svd_describe(const struct dp_uniq_svd *s, char *buf, size_t n)
{
  if (s->nullity)
    snprintf(buf, n, "SVD: numerical nullity %zu (threshold %.3g), sigma_max %.4g, last non-zero "
             "%.4g, first zero %.3g, gap %.3g",
             s->nullity, s->threshold, s->smax, s->s_last, s->s_zero, s->gap);
  else
    snprintf(buf, n, "SVD: numerical nullity 0 (threshold %.3g), sigma_max %.4g, smallest %.4g "
             "= %.3g x threshold",
             s->threshold, s->smax, s->s_last, s->margin);
}

int dp_uniq_pattern_next(size_t *t, size_t R, size_t V)
{
  for (size_t i = R; i-- > 1;) {
    size_t m = 0;
    for (size_t k = 0; k < i; k++)
      m = t[k] > m ? t[k] : m;
    if (t[i] <= m && t[i] + 1 < V) {
      t[i]++;
      for (size_t k = i + 1; k < R; k++)
        t[k] = 0;
      return 1;
    }
  }
  return 0;
}
