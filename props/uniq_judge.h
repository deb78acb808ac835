/* uniq_judge.h: how claim C05 (Proposition 1, props/c05_uniqueness.c) judges the uniqueness
 * systems that the engine decides (src/engine/uniq.h): parts of an outcome, and the cells of
 * its report tables.  The engine measures ranks and nullities; these turn them into figures. */
#ifndef DP_UNIQ_JUDGE_H
#define DP_UNIQ_JUDGE_H

#include <stddef.h>
#include <stdint.h>
#include "claim.h"
#include "uniq.h"

/* The cells of a report table row for a decided set r (with its SVD s and the nullity the
 * claim expects): the verdict, the SVD view, the witness T' and the S on which it differs
 * (each buffer at least 160 bytes; T' and S empty-ish when there is no witness). */
void dp_uniq_cells(const struct dp_uniq_result *r, const struct dp_uniq_svd *s, uint64_t expected,
                   char *verdict, char *svd, char *wT, char *wS, size_t n);

/* --- judging, as parts of a claim's outcome (claim.h): 0 when it holds, DP_RATIO_FAIL not */
/* r is unique, Q1 kron Q2 meets it, and its solution equals Q1 kron Q2. */
void dp_uniq_part_unique(struct dp_outcome *o, const char *label, const struct dp_uniq_result *r);
/* r's nullity equals `expected`; when positive, a witness exists and is verified. */
void dp_uniq_part_nullity(struct dp_outcome *o, const char *label, const struct dp_uniq_result *r,
                          uint64_t expected);
/* Two routes agree: equations, unknowns, rank, nullity, consistency, uniqueness, match. */
void dp_uniq_part_agree(struct dp_outcome *o, const char *label, const struct dp_uniq_result *a,
                        const struct dp_uniq_result *b);
/* r has no solution at all (the prediction for U1+U2 read on ordered pairs of Sym(V)). */
void dp_uniq_part_inconsistent(struct dp_outcome *o, const char *label,
                               const struct dp_uniq_result *r);
/* The numerical nullity equals the exact one. */
void dp_uniq_part_svd(struct dp_outcome *o, const char *label, const struct dp_uniq_svd *s,
                      const struct dp_uniq_result *r);

/* The sizes of C05's uniqueness rows, which C17 (the rectangular case) names in its report. */
#define C05_R2MAX 4      /* rectangular source of a generated trial: R2 <= 4, V2 <= 5 */
#define C05_V2MAX 5
#define C05_RECT_SWEEP_R 3 /* exhaustive rectangular rows: R1, R2 <= 3, V1, V2 <= 4 */
#define C05_RECT_SWEEP_V 4
#define C05_LARGE_R 256  /* structured rows */
#define C05_LARGE_V 20000
#define C05_LARGE_R2 192
#define C05_LARGE_V2 15000

#endif
