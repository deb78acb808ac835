/* claim.h: a claim is data; the runner executes it.
 *
 * Each claim of the register (C01..C18) is one struct dp_claim in props/cNN_<slug>.c: its
 * exact statement as checked, its conditions, its false twin, a generator of instances, a
 * check that MEASURES one figure per instance, and a twin check that measures the same figure
 * for the wrong variant.  The runner, not the check, judges the figure against the claim's
 * tolerance, so a claim and its twin are judged by the same rule on the same instances.
 *
 * Verdicts: PASS (figure within tolerance), FAIL, SKIP (the instance does not meet the claim's
 * premise: counted and reported, never a pass), ERROR (the engine failed; the reason is kept).
 * A claim is PASS only if no instance FAILs or ERRORs and at least one instance PASSes.
 * A twin is REJECTED when it FAILs on at least one instance; a twin never rejected makes the
 * claim's row a harness defect, and `dpcheck verify` exits non-zero, unless the run's sizes are
 * below the defaults: the twin is then not testable at these sizes (twin_untestable). */
#ifndef DP_CLAIM_H
#define DP_CLAIM_H

#include <stdint.h>
#include <stdio.h>
#include <stddef.h>
#include "family.h"
#include "seed.h"

enum dp_verdict { DP_PASS, DP_FAIL, DP_SKIP, DP_ERROR };

/* A twin never rejected is a harness defect only when it ran on at least this many
 * instances: a replay of one instance (--trials 1) says nothing about the check's power. */
#define DP_TWIN_MIN_INSTANCES 10 /* not skipped: a twin skips where it cannot differ */
/* Findings of a claim (dp_claim.findings), at most. */
#define DP_MAX_FINDINGS 3
/* Declared parts of a claim (dp_claim.parts), at most. */
#define DP_MAX_PARTS 8
const char *dp_verdict_name(enum dp_verdict v);

/* How a figure is judged. */
enum dp_tol_kind {
  DP_JUDGE_RATIO, /* holds when figure <= tol (test ratio; DP_RATIO_FAIL for exact mismatches) */
  DP_JUDGE_SLACK  /* holds when figure >= -tol (relative slack of a bound) */
};

/* What a check hands back for one instance. */
enum dp_measure { DP_MEASURED, DP_NOT_APPLICABLE, DP_BROKEN };
struct dp_outcome {
  enum dp_measure status;
  double figure;    /* the worst figure over the parts of the claim */
  char what[200];   /* which part gave the figure, with its n and scale, or why skipped */
  unsigned parts;   /* parts measured so far */
  unsigned ran;     /* bit k: the claim's declared part k (dp_claim.parts) was measured */
};

/* Record one measured part of a claim: the outcome keeps the worst figure (largest ratio or
 * most negative slack; NaN is worst of all) and that part's description. */
void dp_outcome_part(struct dp_outcome *o, enum dp_tol_kind kind, double figure,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The instance does not meet the premise (SKIP), or the engine failed (ERROR). */
void dp_outcome_skip(struct dp_outcome *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void dp_outcome_broken(struct dp_outcome *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Mark the claim's declared part k (dp_claim.parts) as measured on this instance. */
void dp_outcome_ran(struct dp_outcome *o, unsigned k);

/* One way of shrinking an instance, as data (theft's shrink tactics): on a given instance it
 * offers count(inst) candidates, and apply(inst, i) makes candidate i, or returns NULL when
 * that candidate would change nothing (or on no memory).  A family lists its tactics largest
 * step first; the runner tries them in order and records the name of every one it keeps, so a
 * counterexample says how it was reached ("halve R, drop a token x3, round S"). */
struct dp_tactic {
  const char *name;
  unsigned (*count)(const void *inst);
  void *(*apply)(const void *inst, unsigned i);
};

/* The count of a tactic that offers one candidate on every instance. */
unsigned dp_tactic_once(const void *inst);

/* Instance generator (theft's type_info, reduced to what dpcheck needs). */
struct dp_gen {
  const char *name;
  void *(*make)(uint64_t seed, const struct dp_sizes *sz);
  void (*free)(void *inst);
  void (*describe)(const void *inst, char *buf, size_t n);
  void (*print)(FILE *f, const void *inst);
  const struct dp_tactic *tactics; /* largest step first */
  size_t ntactics;
  /* the sizes its instances grow with (DP_DIM_* of family.h; 0: R and V): a run below the
   * defaults in one of them cannot hold the instances a twin may need to differ */
  unsigned dims;
};
/* The k-th shrink candidate of x (k = 0, 1, ...) over all of g's tactics in order, skipping
 * those that change nothing; NULL when there is no k-th.  (The runner walks the tactics
 * itself; this serves tests and tools.)  *tactic, when not NULL, gets the tactic's name. */
void *dp_gen_candidate(const struct dp_gen *g, const void *x, unsigned k, const char **tactic);
extern const struct dp_gen dp_gen_seq;    /* struct dp_inst */
extern const struct dp_gen dp_gen_seq_spectral; /* the same, aimed: DP_AIM_PSD | DISTINCT */
extern const struct dp_gen dp_gen_seq_varied;   /* the same, aimed: DP_AIM_VARIED */
extern const struct dp_gen dp_gen_corpus; /* struct dp_cinst */

/* Environment a check may use beyond its instance: the real-text corpus. */
struct dp_corpus;
struct dp_text;
struct dp_progress;
struct dp_env {
  const char *corpus_path;        /* NULL: no real-text rows */
  const struct dp_corpus *corpus; /* the same, already read with every word kept (or NULL) */
  int window;                     /* window for real-text counts */
  struct dp_progress *progress;   /* the long stages' progress on stderr (NULL: silent) */
  const struct dp_text *text;     /* a user's own data for C18 (GloVe's files or an operator,
                                     text.h), or NULL: C18 then splits the corpus */
};

/* A real-text row: a check on an instance built from the corpus, and its twin. */
struct dp_case_row {
  char label[200];   /* e.g. "KJV, 789,628 tokens, V=12,543, c=5, 1/|k|" */
  struct dp_outcome claim, twin;
  enum dp_verdict verdict, twin_verdict; /* stored by the runner once the hook returns */
  /* the claim's finding probes on the row (dp_case_row_probe; nprobe 0: not measured) */
  struct dp_outcome probe[DP_MAX_FINDINGS];
  unsigned nprobe;
};

/* Claim-specific evidence beyond the per-instance figures: tables (e.g. C05's condition
 * sets) and plots (e.g. C09's truncation error against d_k).  The report renders them
 * generically: tables as tables, plots as inline SVG line plots and as data in the JSON. */
#define DP_TABLE_MAXCOL 12
struct dp_table {
  char title[200];
  char note[800];
  size_t ncol, nrow, cap;
  char *head[DP_TABLE_MAXCOL];
  char **cell; /* nrow * ncol strings, row-major */
};
#define DP_PLOT_MAXSERIES 6
struct dp_series {
  char name[120];
  int dashed;  /* a reference line (a bound, a fitted law) rather than a measurement */
  size_t n;
  double *x, *y;
};
struct dp_plot {
  char title[200], xlabel[80], ylabel[80];
  char note[800];
  int logx, logy;
  size_t nseries;
  struct dp_series series[DP_PLOT_MAXSERIES];
};
struct dp_evidence {
  struct dp_table *tables;
  size_t ntables;
  struct dp_plot *plots;
  size_t nplots;
};
/* Append a table with ncol column heads; returns it (NULL on a bad ncol or no memory). */
struct dp_table *dp_evidence_table(struct dp_evidence *x, const char *title, size_t ncol,
                                 const char *const *head);
/* Append one row: ncol cells given as printf formats of one string each, i.e. exactly ncol
 * const char * arguments. */
int dp_table_row(struct dp_table *t, ...);
/* Append a plot; returns it (NULL on no memory). */
struct dp_plot *dp_evidence_plot(struct dp_evidence *x, const char *title, const char *xlabel,
                               const char *ylabel, int logx, int logy);
/* Append a series (copies x and y). */
int dp_plot_series(struct dp_plot *p, const char *name, int dashed, size_t n, const double *x,
                   const double *y);
void dp_evidence_free(struct dp_evidence *x);

/* A finding: a place where the paper's statement, read as written, needs a condition the paper
 * does not state, is looser than it reads, or does not hold.  It is declared with the claim and
 * demonstrated by the run, never assumed: the probe measures the statement as the paper words
 * it (without dpcheck's added condition) on the claim's own generated instances and judged rows,
 * by the probe's rule, and skips the instances where the condition holds (they say nothing new).
 * The finding is shown only when the probe fails on at least one instance; the first failing
 * instance is shrunk to the smallest one, as a counterexample is.  A probe that never fails
 * shows nothing, and the report says the condition was not shown to be needed by that run. */
enum dp_finding_kind {
  DP_FINDING_CONDITION, /* holds only under a condition the paper does not state */
  DP_FINDING_RESTATED,  /* holds once restated (as written it does not type-check, or its
                           premise is narrower than needed): the restatement is what is checked */
  DP_FINDING_LOOSE      /* a bound that holds but overstates what it bounds */
};
struct dp_finding_def {
  const char *key;         /* stable, e.g. "sym-domain" (the JSON and `dpcheck diff` key) */
  enum dp_finding_kind kind;
  const char *summary;     /* one sentence: what the paper's reading misses */
  const char *as_stated;   /* what the probe checks: the paper's reading, without the condition */
  const char *condition;   /* the condition under which the claim holds, in a few words */
  void (*probe)(const void *inst, struct dp_outcome *o);
  enum dp_tol_kind tol_kind; /* the probe's rule (its figure may differ from the claim's) */
  double tol;
};
const char *dp_finding_kind_name(enum dp_finding_kind k); /* "condition", "restated", "loose" */

/* Tiers: how strongly a claim is checked.  The float tier is the claim's check (figures under a
 * tolerance).  The exact tier checks it again without rounding where it applies: an identity
 * in exact integer arithmetic (FLINT) on random integer instances, a polynomial identity test
 * whose chance of passing a false identity Schwartz-Zippel bounds; or an inequality decided by
 * certified enclosures (Arb's ball arithmetic) on instances small enough for them.  The formal
 * tier is a machine-checked proof (Coq, proofs/) the build compiled.  Each is a stored verdict,
 * rendered like the others. */
enum dp_tier { DP_TIER_FORMAL, DP_TIER_EXACT, DP_TIER_FLOAT, DP_NTIERS };
const char *dp_tier_name(enum dp_tier t); /* "formal", "exact", "float" */
enum dp_exact_kind {
  DP_EXACT_IDENTITY, /* exact arithmetic on integer instances: equal, or not */
  DP_EXACT_CERTIFIED /* ball arithmetic: the inequality certified, refuted, or undecided */
};
struct dp_exact {
  enum dp_exact_kind kind;
  const char *statement; /* what is checked this way, in a few words */
  const char *twin_statement; /* the twin checked the same way (it may differ from the claim's
                                 registered twin where that one is not algebraic) */
  unsigned trials;
  /* identity kind: the identity's degree as a polynomial in the sampled integers (with the
   * denominators cleared where the check solves a system, as C10's W_E^+ does), which are
   * drawn uniformly from [-range, range]: one trial passes a false identity with chance at
   * most degree / (2 range + 1) (Schwartz-Zippel) */
  unsigned degree;
  long range;
  /* Instance t of the tier (seed from the runner, sizes of the run): the claim (twin 0) or its
   * twin (twin 1).  Figure 0 when it holds (exactly, or certified), DP_RATIO_FAIL when it does
   * not; skipped where the premise fails or (certified) the enclosures cannot decide, broken
   * on an engine error. */
  void (*check)(uint64_t seed, const struct dp_sizes *sz, int twin, struct dp_outcome *o);
};

struct dp_run_opts;
struct dp_ctx;
struct dp_cache;

struct dp_claim {
  const char *id;         /* "C01" */
  const char *slug;       /* "cooc_symmetry" */
  const char *title;
  const char *paper_ref;  /* where the paper states it */
  const char *statement;  /* the exact statement checked */
  const char *conditions; /* its premise, and when an instance is skipped */
  const char *judged;     /* how the figure is measured */
  const char *twin_statement;
  const struct dp_gen *gen;
  void (*check)(const void *inst, struct dp_outcome *o);
  void (*twin)(const void *inst, struct dp_outcome *o);
  enum dp_tol_kind tol_kind;
  double tol;
  unsigned trials; /* default number of generated instances */
  /* The parts of the claim that not every instance in its premise reaches (e.g. C10's linear
   * attention, which needs C08's premise too), NULL-terminated, at most DP_MAX_PARTS; NULL
   * when every measured instance measures every part.  The check marks each declared part
   * it measured with dp_outcome_ran; the runner counts them, and a part measured on too few
   * instances makes the claim thin (tol.h, DP_MIN_PART_SHARE). */
  const char *const *parts;
  /* Optional judged rows beyond the generated instances: real text, exhaustive sweeps, large
   * structured cases (NULL when the claim has none).  Each row's claim outcome counts in the
   * verdict and each twin outcome is reported.  Called once per run, with or without a
   * corpus (the context's env has NULL corpus fields without one).  Returns a GSL status. */
  int (*cases)(const struct dp_ctx *ctx, struct dp_case_row *rows, size_t max, size_t *nrows);
  /* Optional tables and plots for the report (NULL when none).  Returns a GSL status. */
  int (*evidence)(const struct dp_ctx *ctx, struct dp_evidence *x);
  /* Where the claim holds, in a few words, for the summary table (its full conditions are
   * `conditions`); e.g. "rank(S) <= min(d, d_k)", "any S". */
  const char *holds_under;
  /* The claim's findings (at most DP_MAX_FINDINGS; nfindings 0: none declared). */
  const struct dp_finding_def *findings;
  unsigned nfindings;
  /* The exact tier (NULL: not applicable), and the formal tier's theorems: their Coq names,
   * NULL-terminated (NULL: no proof). */
  const struct dp_exact *exact;
  /* or: the claim's own check is already exact (C05 decides its systems over the rationals),
   * and this says how; its generated instances are then the exact tier's */
  const char *exact_native;
  const char *const *theorems;
  const char *formal_covers; /* what the theorems prove of the claim, when not all of it */
};

/* What the build proved: one theorem of proofs/, its statement as Coq prints it, and whether
 * Coq found it closed under the global context (no axiom, no admitted lemma). */
struct dp_proved {
  const char *claim, *name, *statement;
  int closed;
};
/* The formal tier's evidence, compiled into the program by the build (built 0: no proofs,
 * with why_not saying why, e.g. Coq was not found at configure time). */
struct dp_formal_build {
  int built;
  const char *why_not;
  const struct dp_proved *thm;
  size_t n;
};
/* The theorem of this name among what the build proved, or NULL (none built in, or absent). */
const struct dp_proved *dp_formal_find(const struct dp_formal_build *fb, const char *name);

struct dp_run_opts {
  uint64_t master;
  unsigned trials;          /* 0: each claim's default */
  struct dp_sizes sizes;
  int shrink;               /* shrink failing instances */
  unsigned max_cex;         /* counterexamples kept per claim */
  struct dp_env env;
  FILE *progress;           /* progress lines (NULL: quiet) */
  struct dp_cache *cache;   /* instances shared by the claims of one run (NULL: the runner
                               keeps one per claim) */
  const struct dp_formal_build *formal; /* what the build proved (NULL: nothing built in) */
};

/* Instances built once per run and shared by the claims' hooks (e.g. the real-text operators
 * that C07-C10 all check), keyed by a string that names how they were built.  One cache
 * serves one run (one corpus, one master seed): dpcheck makes it before the first claim. */
struct dp_cache *dp_cache_alloc(void);
void dp_cache_free(struct dp_cache *c);
/* The object stored under key (its label in *label when not NULL), or NULL. */
void *dp_cache_get(const struct dp_cache *c, const char *key, const char **label);
/* Store obj under key; the cache owns it from then on and frees it with fr.  On failure obj
 * is freed and the GSL status returned. */
int dp_cache_put(struct dp_cache *c, const char *key, void *obj, void (*fr)(void *),
                 const char *label);

/* What a claim's hooks get: one context for the claim in its run.  Every random draw of a
 * hook comes from the seeds it hands out, so --seed reaches them all. */
struct dp_ctx {
  const struct dp_claim *claim;
  uint64_t master;           /* the run's master seed */
  unsigned trials;           /* the claim's generated instances in this run */
  struct dp_sizes sizes;
  const struct dp_env *env;  /* the corpus (NULL fields without one) and the window */
  struct dp_cache *cache;    /* never NULL inside a hook */
  struct dp_cache *own;      /* the cache when the caller gave none */
};
/* Build the context of claim c (trials: its generated instances; cache: the run's, or NULL
 * for one of its own); GSL status.  The runner builds one per claim; tests and tools that
 * call a hook directly do the same.  dp_ctx_done frees what it owns. */
int dp_ctx_init(struct dp_ctx *x, const struct dp_claim *c, uint64_t master, unsigned trials,
                const struct dp_sizes *sz, const struct dp_env *env, struct dp_cache *cache);
void dp_ctx_done(struct dp_ctx *x);
/* The instance seed of trial t of the context's claim: the runner's own rule. */
uint64_t dp_ctx_trial_seed(const struct dp_ctx *x, unsigned t);
/* A named substream of the run's master seed (for instances shared between claims). */
uint64_t dp_ctx_stream(const struct dp_ctx *x, const char *name);

/* One counterexample, shrunk. */
struct dp_cex {
  uint64_t replay_seed;
  unsigned trial;
  double figure, figure_min;   /* before and after shrinking */
  unsigned steps;              /* shrink steps taken */
  char trail[256];             /* the tactics taken, in order ("halve R, drop a token x3") */
  char sizes[200], sizes_min[200];
  char what[200];              /* the failing part, on the minimal instance */
  char *instance;              /* the minimal instance, printed exactly (malloc'd) */
  char replay[300];            /* command that reproduces it */
};

struct dp_result {
  const struct dp_claim *claim;
  unsigned n, npass, nfail, nskip, nerror;
  double *figures;             /* n figures (NaN for SKIP/ERROR), trial order */
  enum dp_verdict *verdicts;   /* n verdicts, trial order: the runner's, rendered as stored */
  double worst;                /* worst figure over measured instances */
  uint64_t worst_seed;         /* its replay seed */
  char worst_what[200];
  enum dp_verdict verdict;
  char error[256];             /* first ERROR's reason */
  struct dp_cex *cex; unsigned ncex;
  /* the false twin, on the same instances */
  unsigned twin_n, twin_rejected, twin_skip, twin_error;
  double *twin_figures;
  enum dp_verdict *twin_verdicts; /* twin_n verdicts of the twin (FAIL = rejected) */
  double twin_worst;           /* its most rejected figure */
  int twin_ok;                 /* rejected at least once */
  int twin_defect;             /* never rejected on DP_TWIN_MIN_INSTANCES or more instances
                                  at sizes not below the defaults (else twin_untestable),
                                  or not rejected (nor skipped) on a judged row where the
                                  claim held */
  int twin_row_defect;         /* the latter: the first such row's label in twin_row */
  char twin_row[200];
  int twin_untestable;         /* never rejected on a run whose sizes are below the defaults
                                  (dp_sizes_below_default): the twin may differ from the claim
                                  only on larger instances, so this is no defect of the check */
  /* coverage: how many generated instances measured each declared part (dp_claim.parts) */
  unsigned nparts, part_ran[DP_MAX_PARTS];
  int thin;                    /* on a run of DP_COVERAGE_MIN_INSTANCES or more instances,
                                  the claim was measured on fewer than DP_MIN_MEASURED_SHARE
                                  of them, or a declared part or the twin on fewer than
                                  DP_MIN_PART_SHARE: the run tested it on too few (thin_what
                                  says which); reported, not a verdict */
  char thin_what[200];
  struct dp_cex twin_witness;  /* smallest instance on which the twin fails */
  int has_twin_witness;
  /* judged rows beyond the generated instances (real text, large structured cases) */
  struct dp_case_row cases[24]; size_t ncases;
  int cases_status;             /* GSL status of the real rows */
  /* the claim's findings, as the run demonstrated them (struct dp_finding_def) */
  struct dp_finding {
    const struct dp_finding_def *def;
    unsigned n, failed, skipped, error; /* generated instances probed, failed, skipped, erred */
    unsigned rows, rows_failed;        /* judged rows probed, failed */
    double worst, row_min, row_max;    /* worst figure (instances); failing rows' range */
    int shown;                         /* failed on an instance or a row: the finding holds */
    int has_cex;
    struct dp_cex cex;                 /* the smallest failing generated instance */
    char row_what[400];                /* the worst failing row's part, with its label */
  } findings[DP_MAX_FINDINGS];
  unsigned nfindings;
  /* the tiers (enum dp_tier), float being the verdict above */
  struct dp_tier_result {
    int applies;                 /* 0: not applicable to this claim (the reason says why) */
    enum dp_verdict verdict;     /* SKIP when it applies but could not be decided here */
    unsigned n, pass, fail, skip, error; /* exact tier: its instances */
    unsigned twin_n, twin_rejected, twin_skip, twin_error;
    unsigned decisive;           /* exact tier: instances that held where the twin could differ
                                    (did not skip): the bound counts these only */
    int twin_defect;             /* exact tier: its twin passed where it could differ, or was
                                    never rejected on DP_TWIN_MIN_INSTANCES or more */
    char twin_what[200];         /* that defect, said (empty when none) */
    double log10_bound;          /* identity: log10 of the chance that a false identity passes
                                    every passing trial, pass log10(degree / (2 range + 1));
                                    NaN otherwise */
    char reason[640];            /* a short reason: what was checked, how, or why not */
    char first[200];             /* the first failing instance's part (or twin not rejected) */
    uint64_t first_seed;
    char replay[300];            /* exact tier: the command that runs it again, up to that
                                    instance (its trials run in order from the master seed) */
    double seconds;
  } tiers[DP_NTIERS];
  struct dp_evidence evidence;   /* tables and plots */
  int evidence_status;           /* GSL status of the extras */
  double seconds;
};

/* The totals of a run, counted from the stored claim verdicts by this one function: the CLI's
 * last line, the JSON summary and the HTML banner all render it.  pass + fail + skip + error
 * = claims; twin_defects counts claims whose twin was never rejected (of any verdict). */
struct dp_totals {
  unsigned claims, pass, fail, skip, error, twin_defects;
  /* of the PASS claims: those holding as stated, and those holding only under conditions or a
   * restatement the run showed needed (dp_result_standing); as_stated + conditional = pass */
  unsigned as_stated, conditional;
  unsigned findings; /* findings shown, over all claims */
  unsigned thin; /* claims measured on too few instances (dp_result.thin) */
};
void dp_totals_count(const struct dp_result *res, size_t n, struct dp_totals *t);
/* Does a run with these totals hold?  No claim FAILs or ERRs and no twin is a defect. */
int dp_totals_ok(const struct dp_totals *t);

/* Measure a judged extra row on one instance: check and twin, each from a clean outcome (as the
 * runner measures a generated instance), an engine error's reason kept when a part broke. */
void dp_case_row_measure(struct dp_case_row *row, void (*check)(const void *, struct dp_outcome *),
                         void (*twin)(const void *, struct dp_outcome *), const void *inst);
/* Measure each of claim c's finding probes on a judged row's instance (the instance must be of
 * the kind c's generator makes). */
void dp_case_row_probe(struct dp_case_row *row, const struct dp_claim *c, const void *inst);
/* Where a claim stands: "as_stated" (PASS, and no finding shown but loose bounds, which still
 * hold as stated), "under_conditions" (PASS with a condition or a restatement shown needed),
 * or its verdict's name in lower case ("fail", "skip", "error"). */
const char *dp_result_standing(const struct dp_result *r);
/* How far a figure sits inside the claim's threshold, as a factor: tol / figure for a ratio
 * (30 against a figure of 3 is 10), tol / -figure for a negative slack; infinite for a zero
 * ratio or a non-negative slack, below 1 for a failing figure, NaN for NaN. */
double dp_claim_margin(const struct dp_claim *c, double figure);
/* Judge a measured figure. */
enum dp_verdict dp_claim_judge(const struct dp_claim *c, const struct dp_outcome *o);
/* Run one claim; returns GSL_SUCCESS (the verdict is in *res), or an error for bad options. */
int dp_run_claim(const struct dp_claim *c, const struct dp_run_opts *o, struct dp_result *res);
void dp_result_free(struct dp_result *res);
/* Replay command of trial t. */
void dp_replay_command(const struct dp_claim *c, const struct dp_run_opts *o, uint64_t seed,
                       char *buf, size_t n);

#endif
