/* c05_uniqueness.c: claim C05, Proposition 1 (Q S Q^T is the unique linear operator meeting
 * locality U1 and calibration U2), and the uniqueness part of C17 (the rectangular case).
 *
 * Paper: Proposition 1.  Formalised as in the statement below and decided exactly by uniq.h: on
 * each generated instance (a token sequence t of R <= 5 tokens over V <= 6 words, and a
 * source sequence s of R2 <= 4 tokens over V2 <= 5 words for the rectangular case) every
 * condition set below is decided over the rationals, row block by row block, and cross-
 * checked by the structured route, by the dense whole-system route (at most 144 unknowns)
 * and by the SVD's numerical nullity.  Judged rows beyond the instances: every R <= 5,
 * V <= 6 over token patterns up to relabelling (restricted-growth strings), every rectangular
 * R1, R2 <= 3, V1, V2 <= 4, and R = 256, V = 20000 by the structured route.  Twin: uniqueness
 * under U2 alone (rejected whenever V >= 2, with its witness).  The report's tables list the
 * condition sets of one representative instance with ranks, nullities and witnesses. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "uniq.h"
#include "rng.h"
#include "err.h"
#include "seed.h"
#include "uniq_judge.h"
#include "props.h"

/* Sizes (not tolerances). */
#define C05_RMAX 5       /* generated trials: R <= 5, V <= 6 (at most 900 unknowns) */
#define C05_VMAX 6
#define C05_DENSE_MAX 144 /* the dense whole-system cross-check up to this many unknowns */

/* --- condition sets and what each must give ---------------------------------------------- */

enum expect { EX_UNIQUE, EX_ROWS, EX_U2_FULL, EX_U2_SYM, EX_SKEW, EX_NONE_IF_REVERSED };
struct cset {
  unsigned conds;
  enum dp_uniq_domain dom;
  enum expect ex;
};
#define U1 DP_UNIQ_U1
#define U2 DP_UNIQ_U2
#define ST DP_UNIQ_STRONG
static const struct cset square_sets[] = {
  {U1 | U2, DP_UNIQ_FULL, EX_UNIQUE},      /* Proposition 1 */
  {U1, DP_UNIQ_FULL, EX_ROWS},             /* without U2: nullity R^2 */
  {U2, DP_UNIQ_FULL, EX_U2_FULL},          /* without U1: nullity R^2 V^2 - R^2 (the twin) */
  {ST, DP_UNIQ_FULL, EX_UNIQUE},           /* the strong reading of U2 alone */
  {ST | U1, DP_UNIQ_FULL, EX_UNIQUE},      /* ... with U1: consistent, same solution */
  {U1 | U2, DP_UNIQ_SYM, EX_UNIQUE},       /* on Sym(V) */
  {U1, DP_UNIQ_SYM, EX_ROWS},
  {U2, DP_UNIQ_SYM, EX_U2_SYM},
  {U1 | U2, DP_UNIQ_SYM_TESTED, EX_SKEW},  /* conditions on symmetric S, operator on all S */
  {ST, DP_UNIQ_SYM_TESTED, EX_SKEW},
  /* U1 transcribed onto ordered upper-triangular coordinates: no solution once some row has
   * t_i > t_j (it keeps no coordinate), i.e. two tokens differ; unique when all are equal */
  {U1 | U2, DP_UNIQ_SYM_ORDERED, EX_NONE_IF_REVERSED},
};
#define NSQ (sizeof square_sets / sizeof square_sets[0])
#define SQ_U2 2 /* index of "U2 only": the twin */
static const struct cset rect_sets[] = {
  {U1 | U2, DP_UNIQ_FULL, EX_UNIQUE},
  {U1, DP_UNIQ_FULL, EX_ROWS},
  {U2, DP_UNIQ_FULL, EX_U2_FULL},
  {ST, DP_UNIQ_FULL, EX_UNIQUE},
};
#define NRECT (sizeof rect_sets / sizeof rect_sets[0])
#define RECT_U2 2

/* The expected counts: rows = R1 R2 of K, each row V1 V2 unknowns (V(V+1)/2 on
 * Sym(V)); U1 alone leaves one free entry per row, U2 alone all but one, the Sym-tested
 * conditions the skew part V(V-1)/2 of every row. */
static uint64_t expected_nullity(enum expect ex, uint64_t R1, uint64_t R2, uint64_t V1,
                                 uint64_t V2)
{
  uint64_t rows = R1 * R2;
  switch (ex) {
  case EX_ROWS: return rows;
  case EX_U2_FULL: return rows * V1 * V2 - rows;
  case EX_U2_SYM: return rows * (V1 * (V1 + 1) / 2 - 1);
  case EX_SKEW: return rows * (V1 * (V1 - 1) / 2);
  default: return 0;
  }
}

/* Is there a row (i, j) with t1_i > t2_j (one that keeps no coordinate under U1 written on
 * ordered pairs)?  In the square case: are two tokens different? */
static int reversed_pair(const struct dp_uniq_problem *p)
{
  size_t max1 = 0, min2 = SIZE_MAX;
  for (size_t i = 0; i < p->R1; i++)
    max1 = p->t1[i] > max1 ? p->t1[i] : max1;
  for (size_t j = 0; j < p->R2; j++)
    min2 = p->t2[j] < min2 ? p->t2[j] : min2;
  return max1 > min2;
}

/* Number of distinct tokens in t (R tokens). */
static size_t distinct_of(const size_t *t, size_t R)
{
  size_t d = 0;
  for (size_t i = 0; i < R; i++) {
    size_t k = 0;
    while (k < i && t[k] != t[i])
      k++;
    d += k == i;
  }
  return d;
}

/* --- auditing one instance -------------------------------------------------------------- */

struct audit {
  int structured_only; /* the large case: no matrix is formed */
  unsigned systems, dense_checks, structured_checks, svd_checks;
};

/* Decide one set and record its parts; *out receives the primary result. */
static void audit_set(const struct dp_uniq_problem *p, const struct cset *cs, const char *prefix,
                      struct audit *a, struct dp_outcome *o, struct dp_uniq_result *out)
{
  char name[64], label[120];
  dp_uniq_name(p, name, sizeof name);
  snprintf(label, sizeof label, "%s%s", prefix, name);
  struct dp_uniq_result r, x;
  memset(out, 0, sizeof *out);
  if (dp_uniq_decide(p, a->structured_only ? DP_UNIQ_STRUCTURED : DP_UNIQ_BLOCKS, &r) !=
      GSL_SUCCESS) {
    dp_outcome_broken(o, "%s: %s", label, dp_err_reason());
    return;
  }
  *out = r;
  int none = cs->ex == EX_NONE_IF_REVERSED && reversed_pair(p);
  if (cs->ex == EX_UNIQUE || (cs->ex == EX_NONE_IF_REVERSED && !none))
    dp_uniq_part_unique(o, label, &r);
  else if (none)
    dp_uniq_part_inconsistent(o, label, &r);
  else
    dp_uniq_part_nullity(o, label, &r,
                         expected_nullity(cs->ex, p->R1, p->R2, p->V1, p->V2));
  if (a->structured_only)
    return;
  if (p->domain != DP_UNIQ_SYM_TESTED) {
    if (dp_uniq_decide(p, DP_UNIQ_STRUCTURED, &x) != GSL_SUCCESS)
      dp_outcome_broken(o, "%s structured: %s", label, dp_err_reason());
    else
      dp_uniq_part_agree(o, label, &r, &x);
    a->structured_checks++;
  }
  if (r.unknowns <= C05_DENSE_MAX) {
    if (dp_uniq_decide(p, DP_UNIQ_DENSE, &x) != GSL_SUCCESS)
      dp_outcome_broken(o, "%s dense: %s", label, dp_err_reason());
    else
      dp_uniq_part_agree(o, label, &r, &x);
    a->dense_checks++;
  }
  struct dp_uniq_svd s;
  if (dp_uniq_svd(p, 0, &s, NULL) != GSL_SUCCESS)
    dp_outcome_broken(o, "%s SVD: %s", label, dp_err_reason());
  else
    dp_uniq_part_svd(o, label, &s, &r);
  a->svd_checks++;
}

static void audit_square(const size_t *t, size_t R, size_t V, struct audit *a,
                         struct dp_outcome *o, struct dp_uniq_result *res)
{
  struct dp_uniq_problem p;
  for (size_t k = 0; k < NSQ; k++) {
    dp_uniq_problem_square(&p, t, R, V, square_sets[k].conds, square_sets[k].dom);
    audit_set(&p, &square_sets[k], "", a, o, &res[k]);
  }
  a->systems++;
}

static void audit_rect(const size_t *t1, size_t R1, size_t V1, const size_t *t2, size_t R2,
                       size_t V2, struct audit *a, struct dp_outcome *o,
                       struct dp_uniq_result *res)
{
  struct dp_uniq_problem p = {R1, V1, t1, R2, V2, t2, 0, DP_UNIQ_FULL, NULL};
  for (size_t k = 0; k < NRECT; k++) {
    p.conds = rect_sets[k].conds;
    audit_set(&p, &rect_sets[k], "rectangular ", a, o, &res[k]);
  }
  a->systems++;
}

/* When every part held, one line that says what held replaces the first part's line; on
 * failure the failing part's own line is kept. */
static void note(struct dp_outcome *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct dp_outcome *o, const char *fmt, ...)
{
  if (o->status != DP_MEASURED || o->figure != 0.0)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(o->what, sizeof o->what, fmt, ap);
  va_end(ap);
}

static void summarise(struct dp_outcome *o, const char *head, const struct dp_uniq_result *sq,
                      const struct dp_uniq_result *re)
{
  note(o,
       "%sU1+U2 unique = Q kron Q (%" PRIu64 " unknowns); nullity U1 %" PRIu64 ", U2 %" PRIu64
       ", Sym-tested %" PRIu64 "; strong, Sym%s unique; ordered U1 as predicted; witnesses "
       "verified",
       head, sq[0].unknowns, sq[1].nullity, sq[SQ_U2].nullity, sq[8].nullity,
       re ? ", rectangular" : "");
}

/* --- the instance family ---------------------------------------------------------------- */

struct c05_inst {
  uint64_t seed;
  size_t R, V, R2, V2;
  size_t t[C05_RMAX], s[C05_R2MAX];
};

static size_t min_sz(size_t a, size_t b) { return a < b ? a : b; }

static void *inst_make(uint64_t seed, const struct dp_sizes *sz)
{
  dp_rng r;
  dp_rng_seed(&r, seed);
  struct c05_inst *x = calloc(1, sizeof *x);
  if (!x) {
    DP_ERROR(GSL_ENOMEM, "C05 instance: out of memory");
    return NULL;
  }
  x->seed = seed;
  size_t Rmax = min_sz(C05_RMAX, sz->R_max ? sz->R_max : 1);
  size_t Vmax = min_sz(C05_VMAX, sz->V_max ? sz->V_max : 1);
  x->R = dp_rng_range(&r, 1, Rmax);
  switch (dp_rng_below(&r, 3)) {
  case 0: x->V = dp_rng_range(&r, 1, min_sz(x->R, Vmax)); break;     /* V <= R */
  case 1: x->V = dp_rng_range(&r, min_sz(x->R, Vmax), Vmax); break;  /* V >= R */
  default: x->V = dp_rng_range(&r, 1, Vmax); break;
  }
  unsigned mode = (unsigned)dp_rng_below(&r, 4);
  for (size_t i = 0; i < x->R; i++)
    x->t[i] = mode == 1 ? dp_rng_zipf(&r, x->V) : dp_rng_below(&r, x->V);
  if (mode == 2 && x->R <= x->V) /* distinct tokens */
    for (size_t i = 0; i < x->R; i++) {
      x->t[i] = dp_rng_below(&r, x->V);
      for (size_t k = 0; k < i; k++)
        if (x->t[k] == x->t[i])
          x->t[i] = (x->t[i] + 1) % x->V, k = (size_t)-1;
    }
  if (mode == 3 && x->R >= 2) /* one repeated token at least */
    x->t[x->R - 1] = x->t[0];
  x->R2 = dp_rng_range(&r, 1, min_sz(C05_R2MAX, sz->R_max ? sz->R_max : 1));
  x->V2 = dp_rng_range(&r, 1, min_sz(C05_V2MAX, sz->V_max ? sz->V_max : 1));
  for (size_t j = 0; j < x->R2; j++)
    x->s[j] = dp_rng_below(&r, x->V2);
  return x;
}

static void inst_free(void *x) { free(x); }

/* "(t_0 t_1 ...)"; buf holds at least 22 R + 3 bytes. */
static void fmt_tokens(char *buf, const size_t *t, size_t R)
{
  char *p = buf;
  *p++ = '(';
  for (size_t i = 0; i < R; i++)
    p += sprintf(p, i ? " %zu" : "%zu", t[i]);
  strcpy(p, ")");
}

static void inst_describe(const void *inst, char *buf, size_t n)
{
  const struct c05_inst *x = inst;
  char t[22 * C05_RMAX + 3], s[22 * C05_R2MAX + 3];
  fmt_tokens(t, x->t, x->R);
  fmt_tokens(s, x->s, x->R2);
  size_t d = distinct_of(x->t, x->R);
  snprintf(buf, n, "R=%zu V=%zu t=%s distinct=%zu absent=%zu; rectangular R2=%zu V2=%zu s=%s",
           x->R, x->V, t, d, x->V - d, x->R2, x->V2, s);
}

static void inst_print(FILE *f, const void *inst)
{
  char d[200];
  inst_describe(inst, d, sizeof d);
  fprintf(f, "%s\n", d);
}

/* Candidate c of the shrink order, applied to y: 1 applied, 0 not applicable, -1 past the
 * last.  Order, largest steps first: drop a token of t, drop a token of s, drop t's absent
 * words, drop s's absent words, merge t's last word into the one before, the same for s. */
static int shrink_step(struct c05_inst *y, unsigned c)
{
  if (c < C05_RMAX) {
    if (y->R < 2 || c >= y->R)
      return 0;
    memmove(y->t + c, y->t + c + 1, (y->R - c - 1) * sizeof *y->t);
    y->R--;
    return 1;
  }
  c -= C05_RMAX;
  if (c < C05_R2MAX) {
    if (y->R2 < 2 || c >= y->R2)
      return 0;
    memmove(y->s + c, y->s + c + 1, (y->R2 - c - 1) * sizeof *y->s);
    y->R2--;
    return 1;
  }
  c -= C05_R2MAX;
  if (c >= 4)
    return -1;
  size_t *t = c % 2 ? y->s : y->t, R = c % 2 ? y->R2 : y->R, *V = c % 2 ? &y->V2 : &y->V;
  if (c < 2) { /* relabel the words in order of appearance, dropping the absent ones */
    if (distinct_of(t, R) == *V)
      return 0;
    size_t map[C05_VMAX], next = 0;
    for (size_t a = 0; a < *V; a++)
      map[a] = SIZE_MAX;
    for (size_t i = 0; i < R; i++) {
      if (map[t[i]] == SIZE_MAX)
        map[t[i]] = next++;
      t[i] = map[t[i]];
    }
    *V = next;
    return 1;
  }
  if (*V < 2)
    return 0;
  for (size_t i = 0; i < R; i++)
    if (t[i] == *V - 1)
      t[i] = *V - 2;
  (*V)--;
  return 1;
}

/* Candidate c of the shrink order as a new instance; NULL when it does not apply. */
static void *step_at(const void *inst, unsigned c)
{
  struct c05_inst y = *(const struct c05_inst *)inst;
  if (shrink_step(&y, c) <= 0)
    return NULL;
  struct c05_inst *z = malloc(sizeof *z);
  if (z)
    *z = y;
  return z;
}

static unsigned count_t(const void *p) { return (unsigned)((const struct c05_inst *)p)->R; }
static unsigned count_s(const void *p) { return (unsigned)((const struct c05_inst *)p)->R2; }
static void *drop_t(const void *p, unsigned i) { return step_at(p, i); }
static void *drop_s(const void *p, unsigned i) { return step_at(p, C05_RMAX + i); }
/* The four steps after the token drops: t's, then s's absent words; t's, then s's last word. */
#define C05_WORDS (C05_RMAX + C05_R2MAX)
static void *absent_t(const void *p, unsigned i) { return (void)i, step_at(p, C05_WORDS); }
static void *absent_s(const void *p, unsigned i) { return (void)i, step_at(p, C05_WORDS + 1); }
static void *merge_t(const void *p, unsigned i) { return (void)i, step_at(p, C05_WORDS + 2); }
static void *merge_s(const void *p, unsigned i) { return (void)i, step_at(p, C05_WORDS + 3); }

static const struct dp_tactic tactics_c05[] = {
  {"drop a token of t", count_t, drop_t},
  {"drop a token of s", count_s, drop_s},
  {"drop t's absent words", dp_tactic_once, absent_t},
  {"drop s's absent words", dp_tactic_once, absent_s},
  {"merge t's last word", dp_tactic_once, merge_t},
  {"merge s's last word", dp_tactic_once, merge_s},
};

static const struct dp_gen gen_c05 = {"token patterns", inst_make, inst_free, inst_describe,
                                      inst_print, tactics_c05,
                                      sizeof tactics_c05 / sizeof tactics_c05[0],
                                      DP_DIM_R | DP_DIM_V};

/* --- check and twin ------------------------------------------------------------------- */

static void check(const void *inst, struct dp_outcome *o)
{
  const struct c05_inst *x = inst;
  struct audit a = {0};
  struct dp_uniq_result sq[NSQ], re[NRECT];
  audit_square(x->t, x->R, x->V, &a, o, sq);
  audit_rect(x->t, x->R, x->V, x->s, x->R2, x->V2, &a, o, re);
  char head[48];
  snprintf(head, sizeof head, "R=%zu V=%zu: ", x->R, x->V);
  summarise(o, head, sq, re);
}

/* The twin's part for one system; the first rejecting system's witness is printed. */
static void twin_of(const struct dp_uniq_result *r, const char *label, struct dp_outcome *o)
{
  int first = o->parts == 0 || o->figure == 0.0; /* not rejected before */
  dp_uniq_part_unique(o, label, r);
  if (first && r->has_witness) /* not unique: rejected here, with this witness */
  {
    char buf[sizeof r->w.text + 120];
    snprintf(buf, sizeof buf, "%s: nullity %" PRIu64 " > 0; %s", label, r->nullity, r->w.text);
    snprintf(o->what, sizeof o->what, "%.199s", buf);
  }
}

static void twin(const void *inst, struct dp_outcome *o)
{
  const struct c05_inst *x = inst;
  struct dp_uniq_problem p;
  struct dp_uniq_result r;
  if (x->V < 2) {
    dp_outcome_skip(o, "V = 1: U2 alone fixes the one entry; the twin cannot differ");
    return;
  }
  dp_uniq_problem_square(&p, x->t, x->R, x->V, U2, DP_UNIQ_FULL);
  if (dp_uniq_decide(&p, DP_UNIQ_BLOCKS, &r) != GSL_SUCCESS) {
    dp_outcome_broken(o, "U2 alone: %s", dp_err_reason());
    return;
  }
  twin_of(&r, "unique under U2 alone", o);
}

/* The finding: Proposition 1's conditions imposed for symmetric S only, read as fixing the
 * operator on all V x V matrices.  The Sym-tested system (K on every S, the conditions on
 * symmetric S) must then be unique; it leaves the skew part free (nullity R^2 V(V-1)/2) as
 * soon as V >= 2, judged exactly like the claim's own parts (0, or DP_RATIO_FAIL). */
static void probe_sym(const void *inst, struct dp_outcome *o)
{
  const struct c05_inst *x = inst;
  struct dp_uniq_problem p;
  struct dp_uniq_result r;
  dp_uniq_problem_square(&p, x->t, x->R, x->V, U1 | U2, DP_UNIQ_SYM_TESTED);
  if (dp_uniq_decide(&p, DP_UNIQ_BLOCKS, &r) != GSL_SUCCESS) {
    dp_outcome_broken(o, "Sym-tested U1+U2: %s", dp_err_reason());
    return;
  }
  char label[64];
  snprintf(label, sizeof label, "R=%zu V=%zu, conditions on symmetric S only", x->R, x->V);
  twin_of(&r, label, o);
}

static const struct dp_finding_def findings[] = {
  {.key = "sym-domain",
   .kind = DP_FINDING_CONDITION,
   .summary = "Locality (U1) and calibration (U2) imposed for symmetric S only determine the "
              "operator on symmetric S only: on all V x V matrices they leave its action on the "
              "skew part free (nullity R^2 V(V-1)/2 for V >= 2). Uniqueness holds for T "
              "restricted to Sym(V), or with U1 and U2 imposed for every S.",
   .as_stated = "U1 and U2, required for symmetric S only, make Q S Q^T the unique linear "
                "operator on all V x V matrices.",
   .condition = "T on Sym(V), or U1, U2 for every S",
   .probe = probe_sym,
   .tol_kind = DP_JUDGE_RATIO,
   .tol = DP_TOL_RATIO},
};

/* --- judged rows: exhaustive sweeps and the large structured case ------------------------- */


static void row_init(struct dp_case_row *row)
{
  memset(row, 0, sizeof *row);
  row->claim.status = row->twin.status = DP_MEASURED;
  row->claim.figure = row->twin.figure = NAN;
}

static void sweep_square(struct dp_case_row *row, const struct dp_ctx *ctx)
{
  (void)ctx; /* exhaustive: no draw */
  struct audit a = {0};
  struct dp_uniq_result sq[NSQ];
  size_t t[C05_RMAX];
  for (size_t R = 1; R <= C05_RMAX; R++)
    for (size_t V = 1; V <= C05_VMAX; V++) {
      memset(t, 0, sizeof t);
      do {
        audit_square(t, R, V, &a, &row->claim, sq);
        twin_of(&sq[SQ_U2], "unique under U2 alone", &row->twin);
      } while (dp_uniq_pattern_next(t, R, V));
    }
  snprintf(row->label, sizeof row->label,
           "exhaustive R<=%d, V<=%d: %u systems (every token pattern up to relabelling)",
           C05_RMAX, C05_VMAX, a.systems);
  note(&row->claim,
       "all %u: U1+U2 unique = Q kron Q; nullity U1 R^2, U2 R^2V^2-R^2, Sym-tested "
       "R^2V(V-1)/2, witnesses verified; strong, Sym unique; ordered U1 unsolvable; %u "
       "structured/%u dense/%u SVD agree",
       a.systems, a.structured_checks, a.dense_checks, a.svd_checks);
}

static void sweep_rect(struct dp_case_row *row, const struct dp_ctx *ctx)
{
  (void)ctx; /* exhaustive: no draw */
  struct audit a = {0};
  struct dp_uniq_result re[NRECT];
  size_t t1[C05_RECT_SWEEP_R], t2[C05_RECT_SWEEP_R];
  for (size_t R1 = 1; R1 <= C05_RECT_SWEEP_R; R1++)
    for (size_t V1 = 1; V1 <= C05_RECT_SWEEP_V; V1++) {
      memset(t1, 0, sizeof t1);
      do
        for (size_t R2 = 1; R2 <= C05_RECT_SWEEP_R; R2++)
          for (size_t V2 = 1; V2 <= C05_RECT_SWEEP_V; V2++) {
            memset(t2, 0, sizeof t2);
            do {
              audit_rect(t1, R1, V1, t2, R2, V2, &a, &row->claim, re);
              twin_of(&re[RECT_U2], "rectangular, unique under U2 alone", &row->twin);
            } while (dp_uniq_pattern_next(t2, R2, V2));
          }
      while (dp_uniq_pattern_next(t1, R1, V1));
    }
  snprintf(row->label, sizeof row->label,
           "exhaustive rectangular (C17) R1,R2<=%d, V1,V2<=%d: %u systems (both patterns up to "
           "relabelling)", C05_RECT_SWEEP_R, C05_RECT_SWEEP_V, a.systems);
  note(&row->claim,
       "all %u unique under U1+U2 = Q1 kron Q2; U1 alone R1R2, U2 alone R1R2(V1V2-1), "
       "witnesses verified; %u structured, %u dense, %u SVD cross-checks agree",
       a.systems, a.structured_checks, a.dense_checks, a.svd_checks);
}

/* Tokens for the large case: Zipf over V words (so repeats and absent words), t_last = t_0. */
static void large_tokens(const struct dp_ctx *ctx, size_t *t, size_t R, size_t V, const char *tag)
{
  dp_rng r;
  dp_rng_seed(&r, dp_ctx_stream(ctx, tag));
  for (size_t i = 0; i < R; i++)
    t[i] = dp_rng_zipf(&r, V);
  t[R - 1] = t[0];
}

static size_t absent_of(const size_t *t, size_t R, size_t V)
{
  unsigned char *seen = calloc(V, 1);
  size_t d = 0;
  if (!seen)
    return 0;
  for (size_t i = 0; i < R; i++)
    d += !seen[t[i]]++;
  free(seen);
  return V - d;
}

static void large_square(struct dp_case_row *row, const struct dp_ctx *ctx)
{
  size_t t[C05_LARGE_R];
  large_tokens(ctx, t, C05_LARGE_R, C05_LARGE_V, "C05 large");
  struct audit a = {1, 0, 0, 0, 0};
  struct dp_uniq_result sq[NSQ];
  struct dp_uniq_problem p;
  for (size_t k = 0; k < NSQ; k++)
    if (square_sets[k].dom != DP_UNIQ_SYM_TESTED) { /* the structured route's domains */
      dp_uniq_problem_square(&p, t, C05_LARGE_R, C05_LARGE_V, square_sets[k].conds,
                             square_sets[k].dom);
      audit_set(&p, &square_sets[k], "", &a, &row->claim, &sq[k]);
    }
  twin_of(&sq[SQ_U2], "unique under U2 alone", &row->twin);
  size_t abs = absent_of(t, C05_LARGE_R, C05_LARGE_V);
  snprintf(row->label, sizeof row->label,
           "structured R=%d, V=%d (%zu distinct tokens, %zu absent words): %d row blocks of %.0f "
           "unknowns, K never formed",
           C05_LARGE_R, C05_LARGE_V, (size_t)C05_LARGE_V - abs, abs, C05_LARGE_R * C05_LARGE_R,
           (double)C05_LARGE_V * C05_LARGE_V);
  note(&row->claim,
       "U1+U2 unique = Q kron Q (rank %" PRIu64 "); nullity U1 %" PRIu64 " = R^2, U2 %" PRIu64
       " = R^2V^2-R^2, Sym U2 %" PRIu64 "; strong, Sym unique; ordered U1 unsolvable; "
       "witnesses verified",
       sq[0].rank, sq[1].nullity, sq[SQ_U2].nullity, sq[7].nullity);
}

static void large_rect(struct dp_case_row *row, const struct dp_ctx *ctx)
{
  size_t t1[C05_LARGE_R], t2[C05_LARGE_R2];
  large_tokens(ctx, t1, C05_LARGE_R, C05_LARGE_V, "C05 large");
  large_tokens(ctx, t2, C05_LARGE_R2, C05_LARGE_V2, "C05 large source");
  struct audit a = {1, 0, 0, 0, 0};
  struct dp_uniq_result re[NRECT];
  struct dp_uniq_problem p = {C05_LARGE_R, C05_LARGE_V, t1, C05_LARGE_R2, C05_LARGE_V2, t2, 0,
                              DP_UNIQ_FULL, NULL};
  for (size_t k = 0; k < NRECT; k++) {
    p.conds = rect_sets[k].conds;
    audit_set(&p, &rect_sets[k], "rectangular ", &a, &row->claim, &re[k]);
  }
  twin_of(&re[RECT_U2], "rectangular, unique under U2 alone", &row->twin);
  snprintf(row->label, sizeof row->label,
           "structured rectangular (C17) R1=%d, V1=%d against R2=%d, V2=%d: K never formed",
           C05_LARGE_R, C05_LARGE_V, C05_LARGE_R2, C05_LARGE_V2);
  note(&row->claim,
       "U1+U2 unique = Q1 kron Q2 (rank %" PRIu64 "); nullity U1 alone %" PRIu64
       " = R1R2, U2 alone %" PRIu64 " = R1R2(V1V2-1); witnesses verified",
       re[0].rank, re[1].nullity, re[RECT_U2].nullity);
}

static int cases(const struct dp_ctx *ctx, struct dp_case_row *rows, size_t max, size_t *nrows)
{
  void (*const fill[])(struct dp_case_row *, const struct dp_ctx *) = {sweep_square, sweep_rect, large_square,
                                                 large_rect};
  /* no corpus needed: these rows run with or without one */
  *nrows = 0;
  for (size_t k = 0; k < sizeof fill / sizeof fill[0] && k < max; k++) {
    row_init(&rows[k]);
    fill[k](&rows[k], ctx);
    if (rows[k].claim.status == DP_BROKEN) /* the twin was not decided either */
      dp_outcome_broken(&rows[k].twin, "%s", rows[k].claim.what);
    (*nrows)++;
  }
  return GSL_SUCCESS;
}

/* --- the report's tables ---------------------------------------------------------------- */

static int table_rows(struct dp_table *tb, const struct dp_uniq_problem *p0, const struct cset *sets,
                      size_t nsets)
{
  for (size_t k = 0; k < nsets; k++) {
    struct dp_uniq_problem p = *p0;
    p.conds = sets[k].conds;
    p.domain = sets[k].dom;
    struct dp_uniq_result r;
    struct dp_uniq_svd s;
    int st = dp_uniq_decide(&p, DP_UNIQ_DENSE, &r);
    if (st == GSL_SUCCESS)
      st = dp_uniq_svd(&p, 1, &s, NULL);
    if (st != GSL_SUCCESS)
      return st;
    uint64_t want = expected_nullity(sets[k].ex, p.R1, p.R2, p.V1, p.V2);
    char name[64], eq[24], un[24], rk[24], nl[24], ex[24], verdict[360], svd[360], wT[360],
        wS[360];
    dp_uniq_name(&p, name, sizeof name);
    snprintf(eq, sizeof eq, "%" PRIu64, r.equations);
    snprintf(un, sizeof un, "%" PRIu64, r.unknowns);
    snprintf(rk, sizeof rk, "%" PRIu64, r.rank);
    snprintf(nl, sizeof nl, "%" PRIu64, r.nullity);
    snprintf(ex, sizeof ex, "%" PRIu64, want);
    dp_uniq_cells(&r, &s, want, verdict, svd, wT, wS, sizeof wT);
    if ((st = dp_table_row(tb, name, eq, un, rk, nl, ex, verdict, svd, wT, wS)) != GSL_SUCCESS)
      return st;
  }
  return GSL_SUCCESS;
}

static int evidence(const struct dp_ctx *ctx, struct dp_evidence *x)
{
  static const char *const head[] = {
    "condition set", "equations", "unknowns", "rank", "nullity", "expected nullity", "verdict",
    "SVD (threshold 10 max(m,N) eps sigma_max)", "witness T' = Q S Q^T + D(S)",
    "S on which T'(S) != Q S Q^T"};
  (void)ctx;
  static const size_t t[] = {0, 1, 0}, t1[] = {0, 2}, t2[] = {1, 1, 0};
  struct dp_uniq_problem p;
  dp_uniq_problem_square(&p, t, 3, 4, 0, DP_UNIQ_FULL);
  struct dp_table *tb = dp_evidence_table(x, "Proposition 1: condition sets on R=3, V=4, "
                                        "t=(0 1 0)", 10, head);
  if (!tb)
    return GSL_ENOMEM;
  snprintf(tb->note, sizeof tb->note,
           "Token 0 repeated, words 2 and 3 absent. K is R^2 x V^2 = 9 x 16 (144 unknowns), "
           "vec row-major: vec(Q S Q^T) = (Q kron Q) vec(S). Each set decided exactly (FLINT "
           "fraction-free rref of the whole integer system [A | b]); a witness is "
           "T' = Q kron Q + v with v a kernel vector, checked by exact multiplication A vec(T') "
           "= b. Sym: K on the basis E_aa, E_ab + E_ba of Sym(V). Sym-tested: K on all V x V "
           "matrices, conditions imposed only through symmetric S: T' agrees with Q S Q^T on "
           "every symmetric S and differs on a non-symmetric one. Sym, U1 on ordered pairs: "
           "U1 written literally on the coordinates (a,b), a <= b, of Sym(V): row (1,0) has "
           "t_1 = 1 > t_0 = 0, keeps no coordinate, and U2 cannot hold. Indices from 0.");
  int st = table_rows(tb, &p, square_sets, NSQ);
  if (st != GSL_SUCCESS)
    return st;
  struct dp_uniq_problem q = {2, 3, t1, 3, 2, t2, 0, DP_UNIQ_FULL, NULL};
  tb = dp_evidence_table(x, "C17, rectangular case: R1=2, V1=3, t1=(0 2) against R2=3, V2=2, "
                       "t2=(1 1 0)", 10, head);
  if (!tb)
    return GSL_ENOMEM;
  snprintf(tb->note, sizeof tb->note,
           "T: R^{V1 x V2} -> R^{R1 x R2}, K is R1 R2 x V1 V2 = 6 x 6 (36 unknowns); U1: "
           "K_{(ij),(ab)} = 0 unless (a,b) = (t1_i, t2_j); U2: T(1 1^T) = 1 1^T. Row-major vec: "
           "the unique solution is Q1 kron Q2 (Q2 kron Q1 in the column-major convention). "
           "Word 1 of the target vocabulary is absent, source token 1 repeated.");
  return table_rows(tb, &q, rect_sets, NRECT);
}

const struct dp_claim dp_claim_c05 = {
  .id = "C05",
  .slug = "uniqueness",
  .title = "Proposition 1: uniqueness of Q S Q^T",
  .paper_ref = "Proposition 1 (Sec. 3); C17 for the rectangular case",
  .statement =
    "Formalisation checked: a linear map T: R^{VxV} -> R^{RxR} is a matrix K "
    "(R^2 x V^2) with vec(T(S)) = K vec(S), vec row-major (vec(S)_{aV+b} = S_ab), so "
    "vec(Q S Q^T) = (Q kron Q) vec(S). (U1) locality: T(S)_ij depends only on S_{t_i t_j}, "
    "i.e. K_{(ij),(ab)} = 0 unless (a,b) = (t_i,t_j). (U2) calibration: every observed pair "
    "counts once, T(1 1^T) = 1_R 1_R^T. Claim: the linear system U1+U2 on K has nullity 0 "
    "(exact rank over the rationals) and its one solution is Q kron Q. Each condition is "
    "needed: U1 alone leaves nullity R^2, U2 alone R^2 V^2 - R^2, each with a second operator "
    "T' that meets the remaining condition and an S = E_ab with T'(S) != Q S Q^T. Variants: "
    "the strong reading of U2 (T(S)_ij = S_{t_i t_j} for every S) is unique by itself and U1 "
    "is redundant under it; on the domain Sym(V) (K on the basis E_aa, E_ab + E_ba, where S_ab "
    "and S_ba are one coordinate, so U1 reads: depends only on S_{t_i t_j} = S_{t_j t_i}) U1+U2 "
    "is again unique, = Q kron Q restricted to Sym(V), with nullity R^2 for U1 alone and "
    "R^2 (V(V+1)/2 - 1) for U2 alone; but conditions stated only for symmetric S do not fix "
    "the operator on all V x V matrices: imposed on the full K they leave nullity "
    "R^2 V(V-1)/2 (the skew part; smallest case R=1, V=2), so uniqueness on Sym(V) is "
    "uniqueness of T restricted to Sym(V); and U1 must name the unordered pair there: "
    "written literally on the upper-triangular coordinates (K_s[(ij),(a,b)] = 0 unless "
    "(a,b) = (t_i,t_j), a <= b), a row with t_i > t_j keeps no coordinate and U1+U2 has no "
    "solution at all as soon as two tokens differ (smallest case R=2, V=2, t=(0 1)). "
    "Rectangular case (C17): Q1 (R1 x V1), Q2 "
    "(R2 x V2), T: R^{V1xV2} -> R^{R1xR2}, U1: K_{(ij),(ab)} = 0 unless (a,b) = (t1_i, t2_j), "
    "U2: T(1 1^T) = 1 1^T: unique, = Q1 kron Q2 (row-major; Q2 kron Q1 column-major), "
    "nullity R1 R2 for U1 alone and R1 R2 (V1 V2 - 1) for U2 alone.",
  .conditions =
    "Every token sequence: repeated tokens, absent words, V < R and V > R; nothing is skipped. "
    "Generated instances: R <= 5 tokens over V <= 6 words, and a source of R2 <= 4 tokens over "
    "V2 <= 5 words for the rectangular case (less if --max-R/--max-V say so), so that the "
    "exact systems stay small (at most 900 unknowns). Judged rows beyond them: every R <= 5, "
    "V <= 6 over token patterns up to relabelling (restricted-growth strings), every "
    "rectangular R1, R2 <= 3, V1, V2 <= 4, and R = 256, V = 20000 (square, and rectangular "
    "against R2 = 192, V2 = 15000) by the structured route, which never forms K; its tokens "
    "are Zipf-distributed over V, drawn from the run's master seed (a named stream of it), "
    "with t_R = t_1 so "
    "that a token repeats, and most words absent.",
  .judged =
    "Exactly, without tolerance: each condition set is decided over the rationals (FLINT "
    "fraction-free rref of the integer system [A | b], row block by row block: A is "
    "block-diagonal over the rows (i,j) of K). A part scores 0 when it holds and 1/eps when "
    "not. U1+U2, strong U2, strong U2 + U1, Sym U1+U2 and rectangular U1+U2 must have nullity "
    "0 with solution = Q kron Q entry by entry; U1 alone, U2 alone (full, Sym, rectangular) "
    "and the Sym-tested sets must have exactly the nullities above, each with a witness "
    "T' = Q kron Q + v checked by exact multiplication A vec(T') = b and T'(E_ab) != "
    "Q E_ab Q^T; U1+U2 on ordered Sym coordinates must have no solution (rank [A|b] > "
    "rank A) unless all tokens are equal, and then be unique. Cross-checks, also exact parts: "
    "the structured route (FULL and Sym domains) and the dense whole-system route (systems of "
    "at most 144 unknowns) agree with the blocks on rank, nullity, uniqueness and solution; "
    "the numerical nullity of LAPACK's SVD (dgesdd; singular values above "
    "10 max(m,N) eps sigma_max count) equals the exact nullity.",
  .twin_statement =
    "Q S Q^T is the unique linear operator under U2 (calibration) alone: the same instance, "
    "judged by the same exact rule (nullity 0 and solution = Q kron Q). Rejected whenever "
    "V >= 2: the nullity is R^2 V^2 - R^2, and T'(S) = Q S Q^T + (S_ab - S_{t_0 t_0}) e_0 e_0^T "
    "meets U2 but not Q S Q^T. (With V = 1 it holds: one word leaves nothing to choose.)",
  .gen = &gen_c05,
  .check = check,
  .twin = twin,
  .tol_kind = DP_JUDGE_RATIO,
  .tol = DP_TOL_RATIO,
  .trials = 100,
  .cases = cases,
  .evidence = evidence,
  .holds_under = "U1 + U2",
  .findings = findings,
  .nfindings = 1,
  .theorems = (const char *const[]){"prop1_unique", "prop1_unique_linear", "prop1_U1_not_enough",
                                    "prop1_U2_not_enough", NULL},
  .formal_covers = "Proposition 1 on all V x V matrices and that each condition is needed "
                   "(the Sym(V) variants are checked exactly, not proved; the rectangular "
                   "case is C17's theorem)",
};
