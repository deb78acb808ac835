/* props.h: what the claim files share: the projections of an instance, computed once.
 *
 * Every claim about M = Q S Q^T starts from the same three objects: the selector Q, M by
 * gathering S_{t_i t_j}, and M by the dense BLAS product.  props.c builds them for a given
 * operator and token sequence, so that a claim and its twin use the same code path. */
#ifndef DP_PROPS_H
#define DP_PROPS_H

#include <gsl/gsl_blas.h>
#include "claim.h"
#include "family.h"
#include "tol.h"
#include "rng.h"

struct dp_proj {
  size_t R, V;
  gsl_matrix *Q;  /* R x V selector */
  gsl_matrix *Mg; /* R x R, gathered */
  gsl_matrix *Md; /* R x R, Q S Q^T by dgemm */
};

/* Build Q, Mg and Md for operator S (V x V) and tokens t (R); GSL status, error recorded. */
int dp_proj_make(const gsl_matrix *S, const size_t *t, size_t R, struct dp_proj *p);
void dp_proj_free(struct dp_proj *p);
/* Exact comparison as a figure part: 0 when equal, DP_RATIO_FAIL with the first mismatch. */
void dp_part_exact(struct dp_outcome *o, const gsl_matrix *A, const gsl_matrix *B, int transB,
                   const char *what);
/* Largest multiplicity max_a n_a (= ||Q||_2^2) and the number of distinct tokens. */
size_t dp_max_multiplicity(const size_t *t, size_t R, size_t V, size_t *distinct);
/* A twin that moves rows or columns of M (a shifted selector, a transpose, a column constant)
 * is the claim itself on a sequence of one word (R = 1, V = 1, every token alike): it skips
 * such an instance, saying why (`why`: how the twin coincides with the claim there), and
 * returns 1; 0 when the sequence has two words or more.  The runner judges a twin only on
 * the instances it measured, so a run at R = 1 leaves the twin unjudged, never a defect. */
int dp_twin_skip_one_word(const size_t *t, size_t R, size_t V, const char *why,
                          struct dp_outcome *o);

/* The tied weights a bound test tries beyond the optimum W (V x w) itself (C08, C15):
 * candidate c = 1, 2, 3 is W plus a Gaussian perturbation of norm 2^-20, 2^-5, 1 times
 * max(||W||_F, 1); c = 4 a Gaussian of norm sqrt(max(ref, 1)); drawn from r into C (V x w). */
#define DP_TIED_CANDIDATES 4
void dp_tied_candidate(dp_rng *r, const gsl_matrix *W, unsigned c, double ref, gsl_matrix *C);

#endif
