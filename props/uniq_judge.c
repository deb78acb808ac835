/* uniq_judge.c: C05's judgement of the engine's uniqueness systems (uniq_judge.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "tol.h"
#include "uniq_judge.h"

void dp_uniq_cells(const struct dp_uniq_result *r, const struct dp_uniq_svd *s, uint64_t expected,
                   char *verdict, char *svd, char *wT, char *wS, size_t n)
{
  if (!r->consistent)
    snprintf(verdict, n, "NO solution at all (inconsistent): %s",
             r->conflict[0] ? r->conflict : "rank [A|b] > rank A");
  else if (!r->expected_solves)
    snprintf(verdict, n, "FAILS: the reference operator is not a solution");
  else if (r->unique)
    snprintf(verdict, n, "%s%s", r->matches ? "unique, = Q1 kron Q2" : "unique, but ",
             r->matches ? "" : r->mismatch);
  else
    snprintf(verdict, n, "NOT unique (witness %s)%s", r->w.verified ? "verified" : "NOT verified",
             r->nullity == expected ? "" : "; nullity differs from the expected");
  if (s->nullity)
    snprintf(svd, n, "nullity %zu; last non-zero %.3g, first zero %.2g%s", s->nullity, s->s_last,
             s->s_zero, s->s_zero > 0.0 ? "" : " (structural)");
  else
    snprintf(svd, n, "nullity 0; smallest %.3g = %.2g x threshold", s->s_last, s->margin);
  const char *cut = r->has_witness ? strstr(r->w.text, "; on S = ") : NULL;
  if (cut) { /* the text is "T'(S) = ... (0 elsewhere); on S = <S>: <values>" */
    snprintf(wT, n, "%.*s", (int)(cut - r->w.text), r->w.text);
    snprintf(wS, n, "%s", cut + strlen("; on S = "));
  } else {
    snprintf(wT, n, "%s", r->has_witness  ? r->w.text
                          : r->consistent ? "none: T is determined"
                                          : "none: no operator meets these conditions");
    snprintf(wS, n, "%s", "");
  }
}

void dp_uniq_part_unique(struct dp_outcome *o, const char *label, const struct dp_uniq_result *r)
{
  int ok = r->consistent && r->expected_solves && r->unique && r->matches;
  char d[300];
  dp_uniq_describe(r, d, sizeof d);
  dp_outcome_part(o, DP_JUDGE_RATIO, ok ? 0.0 : DP_RATIO_FAIL, "%s: %s%s", label,
                  r->expected_solves ? "" : "Q1 kron Q2 does NOT meet the equations; ", d);
}

void dp_uniq_part_nullity(struct dp_outcome *o, const char *label, const struct dp_uniq_result *r,
                          uint64_t expected)
{
  int ok = r->consistent && r->expected_solves && r->nullity == expected &&
           (expected == 0 || (r->has_witness && r->w.verified));
  char d[300];
  dp_uniq_describe(r, d, sizeof d);
  dp_outcome_part(o, DP_JUDGE_RATIO, ok ? 0.0 : DP_RATIO_FAIL, "%s: nullity %" PRIu64
                  " (expected %" PRIu64 "); %s", label, r->nullity, expected, d);
}

void dp_uniq_part_agree(struct dp_outcome *o, const char *label, const struct dp_uniq_result *a,
                        const struct dp_uniq_result *b)
{
  int ok = a->equations == b->equations && a->unknowns == b->unknowns && a->rank == b->rank &&
           a->nullity == b->nullity && a->consistent == b->consistent &&
           a->unique == b->unique && a->matches == b->matches &&
           a->expected_solves == b->expected_solves &&
           a->has_witness == b->has_witness && (!a->has_witness || a->w.verified == b->w.verified);
  dp_outcome_part(o, DP_JUDGE_RATIO, ok ? 0.0 : DP_RATIO_FAIL,
                  "%s: routes %s: rank %" PRIu64 " vs %" PRIu64 ", nullity %" PRIu64 " vs %" PRIu64
                  ", unique %d vs %d, = Q1 kron Q2 %d vs %d",
                  label, ok ? "agree" : "DISAGREE", a->rank, b->rank, a->nullity, b->nullity,
                  a->unique, b->unique, a->matches, b->matches);
}

void dp_uniq_part_inconsistent(struct dp_outcome *o, const char *label,
                               const struct dp_uniq_result *r)
{
  dp_outcome_part(o, DP_JUDGE_RATIO, r->consistent ? DP_RATIO_FAIL : 0.0,
                  "%s: %s", label, r->consistent ? "has a solution, predicted none"
                                                 : r->conflict[0] ? r->conflict
                                                                  : "no solution, as predicted");
}

void dp_uniq_part_svd(struct dp_outcome *o, const char *label, const struct dp_uniq_svd *s,
                      const struct dp_uniq_result *r)
{
  int ok = s->unknowns == r->unknowns && s->nullity == r->nullity;
  char d[240];
  dp_uniq_svd_describe(s, d, sizeof d);
  dp_outcome_part(o, DP_JUDGE_RATIO, ok ? 0.0 : DP_RATIO_FAIL,
                  "%s: exact nullity %" PRIu64 ", %s", label, r->nullity, d);
}
