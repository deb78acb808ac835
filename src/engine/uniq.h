/* uniq.h: the linear constraint systems of Proposition 1 (claim C05, and C17's rectangular
 * case), decided exactly.
 *
 * Paper: Q S Q^T is the unique linear operator T: R^{VxV} -> R^{RxR} meeting two conditions
 * (claim C05).  A linear T is a matrix K (R1 R2 x V1 V2) of unknowns; every condition
 * below is a set of linear equations on K, so "unique" means: the system has nullity 0, and
 * "equals Q S Q^T" means: its one solution is Q1 kron Q2, entry by entry.  This module builds
 * the system for any set of the conditions, decides it over the rationals with FLINT (rank,
 * nullity, the solution, and for every non-unique system a kernel vector turned into a second
 * operator T' = Q1 kron Q2 + v that meets the same equations, checked by exact
 * multiplication, with the basis matrix S on which T'(S) != Q1 S Q2^T), and gives the
 * floating-point view beside it (the engine's SVD, LAPACK's dgesdd: singular values, numerical
 * nullity, gap).
 *
 * vec convention: ROW-MAJOR.  vec(S)_{a V2 + b} = S_ab, vec(T(S))_{i R2 + j} = T(S)_ij, and
 * T(S)_ij = sum_ab K_{(ij),(ab)} S_ab.  With it vec(Q1 S Q2^T) = (Q1 kron Q2) vec(S), i.e.
 * K_{(ij),(ab)} = (Q1)_ia (Q2)_jb.  (Column-major vec gives the same operator as Q2 kron Q1;
 * in the square case Q1 = Q2 = Q both read Q kron Q.)  Indices count from 0.
 *
 * Conditions on row (i, j) of K, with (a*, b*) = (t1_i, t2_j):
 *   U1      locality: K_{(ij),(ab)} = 0 unless (a, b) = (a*, b*)         (V1 V2 - 1 equations)
 *   U2      calibration: T(1 1^T) = 1 1^T, i.e. sum_ab K_{(ij),(ab)} = 1   (1 equation)
 *   STRONG  strong reading of U2: T(S)_ij = S_{a* b*} for every S, i.e.
 *           K_{(ij),(ab)} = [(a, b) = (a*, b*)]                           (V1 V2 equations)
 * Domains (V1 = V2 = V for the two symmetric ones):
 *   FULL        T on all V1 x V2 matrices: unknowns K (R1 R2 x V1 V2).
 *   SYM         T on Sym(V) only, parametrised on the basis B_{ab} = E_aa (a = b),
 *               E_ab + E_ba (a < b), whose coordinate of a symmetric S is S_ab: unknowns
 *               K_s (R1 R2 x V(V+1)/2).  On Sym(V) the entries S_ab and S_ba are ONE
 *               coordinate, so U1 reads K_s[(ij), {a,b}] = 0 unless {a,b} = {a*,b*}; U2 reads
 *               sum_p K_s[(ij), p] = 1 (1 1^T has coordinate 1 on every B_p).  The expected
 *               solution is Q1 kron Q2 restricted: K_s[(ij), p] = (Q1 B_p Q2^T)_ij.
 *   SYM_ORDERED the SYM parametrisation with U1 transcribed literally onto its upper-triangular
 *               coordinates (a <= b): K_s[(ij),(a,b)] = 0 unless (a,b) = (a*,b*).  A row with
 *               a* > b* then has no coordinate left (its own is pinned too), and U1+U2 is
 *               INCONSISTENT whenever two tokens differ: this reading of U1 is wrong on Sym(V),
 *               where locality must name the unordered pair.  (U1 here: V(V+1)/2 equations a
 *               row, the last one 0 = 0 when a* <= b*.)
 *   SYM_TESTED  unknowns the full K (R1 R2 x V^2), but each condition imposed only through
 *               symmetric S: U1 as K_row . vec(B_p) = 0 for {a,b} != {a*,b*}, STRONG as
 *               K_row . vec(B_p) = (Q1 B_p Q2^T)_ij.  It measures how far conditions that speak
 *               of symmetric S pin down an operator on all V x V matrices (they do not: the
 *               skew part is free).
 * Routes: DENSE (the whole system, one FLINT matrix), BLOCKS (the system is block-diagonal
 * over the rows (i, j) of K: one exact FLINT system per row, ranks add up), STRUCTURED (no
 * matrix at all: per row, the unit equations pin coordinates, the remaining equations have
 * equal coefficients on every free coordinate, so the row reduces to a system over classes of
 * identical columns; exact integer arithmetic, O(1) per row for U1/U2/STRONG; every domain
 * but SYM_TESTED).  All three report the same quantities and cross-check each
 * other. */
#ifndef DP_UNIQ_H
#define DP_UNIQ_H

#include <stddef.h>
#include <stdint.h>

/* Condition flags (any combination; 0 = no condition). */
#define DP_UNIQ_U1 1u
#define DP_UNIQ_U2 2u
#define DP_UNIQ_STRONG 4u
#define DP_UNIQ_ALLCONDS (DP_UNIQ_U1 | DP_UNIQ_U2 | DP_UNIQ_STRONG)

/* Size limits (not tolerances): the dense routes form matrices of these many unknowns at most
 * (an exact rref of the 900 x 900 system of R = 5, V = 6 takes about a second); a block holds
 * at most DP_UNIQ_BLOCK_MAX unknowns. */
#define DP_UNIQ_DENSE_MAX 1024u
#define DP_UNIQ_BLOCK_MAX 1024u
/* Non-zero entries a witness kernel vector may have (a row's free column plus its pivots). */
#define DP_UNIQ_WITNESS_MAX 64u

enum dp_uniq_domain { DP_UNIQ_FULL, DP_UNIQ_SYM, DP_UNIQ_SYM_TESTED, DP_UNIQ_SYM_ORDERED };
enum dp_uniq_route { DP_UNIQ_DENSE, DP_UNIQ_BLOCKS, DP_UNIQ_STRUCTURED };

struct dp_uniq_problem {
  size_t R1, V1;     /* target: R1 tokens t1[0..R1-1], each < V1 (rows of T(S)) */
  const size_t *t1;
  size_t R2, V2;     /* source: R2 tokens t2[0..R2-1], each < V2 (columns of T(S)) */
  const size_t *t2;
  unsigned conds;    /* DP_UNIQ_* flags */
  enum dp_uniq_domain domain;
  /* The reference operator the decision compares with: NULL (the claim) for Q1 kron Q2 (on
   * SYM its restriction), or a candidate K, (R1 R2) x (row unknowns) row-major, at most
   * DP_UNIQ_DENSE_MAX entries and DP_UNIQ_WITNESS_MAX non-zeros a row: the decision then says
   * whether the candidate meets the equations and is the solution, and builds witnesses on it. */
  const long *candidate;
};

/* The square case of C05: t1 = t2 = t (R tokens < V). */
void dp_uniq_problem_square(struct dp_uniq_problem *p, const size_t *t, size_t R, size_t V,
                            unsigned conds, enum dp_uniq_domain domain);
/* GSL_SUCCESS, or GSL_EINVAL / GSL_EFAULT / GSL_EOVRFLW with the reason recorded (err.h):
 * sizes >= 1, tokens in range, known flags and domain, V1 = V2 for the symmetric domains,
 * counts that fit in 64 bits. */
int dp_uniq_problem_check(const struct dp_uniq_problem *p);
/* Unknowns per row of K (V1 V2, or V(V+1)/2 on SYM) and equations per row; 0 on a bad p. */
uint64_t dp_uniq_row_unknowns(const struct dp_uniq_problem *p);
uint64_t dp_uniq_row_equations(const struct dp_uniq_problem *p);
/* "U1+U2", "U2 only", "strong U2 + U1", "Sym: U1+U2", "Sym-tested: strong U2",
 * "Sym, U1 on ordered pairs: U1+U2", "no condition"... */
void dp_uniq_name(const struct dp_uniq_problem *p, char *buf, size_t n);

/* --- the system, explicit (small sizes) ------------------------------------------------ */
/* A (m x N) and b (m), integers, N = R1 R2 * row unknowns; unknown u = row * (row unknowns) +
 * column, row = i R2 + j.  Opaque so that FLINT's headers stay inside uniq.c. */
struct dp_uniq_system;
/* The whole system (N <= DP_UNIQ_DENSE_MAX). */
int dp_uniq_build(const struct dp_uniq_problem *p, struct dp_uniq_system **s);
void dp_uniq_system_free(struct dp_uniq_system *s);
size_t dp_uniq_system_equations(const struct dp_uniq_system *s);
size_t dp_uniq_system_unknowns(const struct dp_uniq_system *s);
/* Coefficient A_{e,u} and right-hand side b_e (small integers). */
long dp_uniq_system_coef(const struct dp_uniq_system *s, size_t e, size_t u);
long dp_uniq_system_rhs(const struct dp_uniq_system *s, size_t e);
/* Exact multiplication: *violated = the number of equations e with (A x)_e != b_e for the
 * integer vector x (N entries), *first = the first of them (SIZE_MAX when none). */
int dp_uniq_system_residual(const struct dp_uniq_system *s, const long *x, size_t *violated,
                            size_t *first);

/* The expected operator, Q1 kron Q2 (on SYM its restriction K_s[(ij),p] = (Q1 B_p Q2^T)_ij),
 * as integers, row-major (R1 R2) x (row unknowns), from the selectors of select.h (p's
 * candidate, if any, is ignored).  *K is malloc'd (N <= DP_UNIQ_DENSE_MAX). */
int dp_uniq_kron(const struct dp_uniq_problem *p, long **K);
/* Exact comparison of a candidate K (same shape) with it: *nmismatch entries differ, the first
 * at *first (SIZE_MAX when none). */
int dp_uniq_compare_kron(const struct dp_uniq_problem *p, const long *K, size_t *nmismatch,
                         size_t *first);

/* --- the decision ---------------------------------------------------------------------- */
/* A second operator T' = Q1 kron Q2 + v (the reference + v), v a kernel vector of A living in
 * one row (i, j). */
struct dp_uniq_witness {
  size_t i, j;                        /* the row of K that v lives in */
  size_t nv;                          /* non-zero entries of v */
  uint64_t col[DP_UNIQ_WITNESS_MAX];  /* their columns (a V2 + b; SYM: pair index) */
  long val[DP_UNIQ_WITNESS_MAX];      /* and values (exact integers) */
  size_t s_a, s_b;                    /* S = E_{s_a s_b} (SYM: the basis element B_{s_a s_b}) */
  long t_val, q_val;                  /* T'(S)_ij and (Q1 S Q2^T)_ij */
  int verified;  /* A vec(T') = b in every equation (exact) and T'(S)_ij != (Q1 S Q2^T)_ij */
  char text[360];                     /* T' and S, printed */
};

struct dp_uniq_result {
  enum dp_uniq_route route;
  uint64_t equations, unknowns, rank, nullity;
  int consistent;       /* the system has a solution: rank [A | b] = rank A */
  int expected_solves;  /* the reference (Q1 kron Q2, its Sym restriction, or the candidate)
                           meets every equation exactly */
  int unique;           /* consistent and nullity 0 */
  int matches;          /* unique and its solution equals the reference entry by entry, exactly */
  char mismatch[160];   /* the first differing entry, when unique but not matching */
  char conflict[160];   /* the first row of K with no solution, when inconsistent (block and
                           structured routes; the dense route knows only that there is one) */
  int has_witness;      /* nullity > 0 and consistent: w is filled */
  struct dp_uniq_witness w;
};

/* Decide p by one route.  DENSE needs N <= DP_UNIQ_DENSE_MAX, BLOCKS row unknowns <=
 * DP_UNIQ_BLOCK_MAX, STRUCTURED any domain but SYM_TESTED.  GSL status; r filled on success. */
int dp_uniq_decide(const struct dp_uniq_problem *p, enum dp_uniq_route route,
                   struct dp_uniq_result *r);
/* One line: "rank 140 of 144 unknowns (144 equations), nullity 4, ...". */
void dp_uniq_describe(const struct dp_uniq_result *r, char *buf, size_t n);

/* --- the floating-point view ----------------------------------------------------------- */
struct dp_uniq_svd {
  size_t equations, unknowns;
  size_t rank, nullity;  /* numerical: singular values above the threshold count */
  double smax;           /* largest singular value */
  double threshold;      /* DP_RANK_SAFETY * max(m, N) * eps * smax (tol.h) */
  double s_last;         /* smallest singular value above the threshold (0 when rank 0) */
  double s_zero;         /* largest at or below it (0 for structural zeros; NaN when nullity 0) */
  double gap;            /* s_last / s_zero (Inf when s_zero = 0; NaN when nullity 0) */
  double margin;         /* s_last / threshold */
};
/* Singular values of A: the whole matrix (dense != 0; N <= DP_UNIQ_DENSE_MAX) or block by
 * block (the union of the blocks' singular values is A's: A is block-diagonal over rows of K).
 * A block with fewer equations than unknowns contributes structural zeros.  sv (NULL, or N
 * entries) receives all N values, descending. */
int dp_uniq_svd(const struct dp_uniq_problem *p, int dense, struct dp_uniq_svd *s, double *sv);
void dp_uniq_svd_describe(const struct dp_uniq_svd *s, char *buf, size_t n);

/* Token patterns up to a renaming of the words: the next restricted-growth string t (R
 * tokens, t_0 = 0, t_i <= 1 + max t_<i, all < V) after t, in place; 0 when t was the last.
 * Starting from t = 0 it visits every sequence of R tokens over V words once up to
 * relabelling, which is all a uniqueness system depends on. */
int dp_uniq_pattern_next(size_t *t, size_t R, size_t V);

#endif
