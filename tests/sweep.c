/* sweep.c: every claim on many master seeds and on a ladder of sizes.
 *
 * A reviewer who changes the seed or the sizes must get the same verdicts.  The sweep runs
 * every claim, through the runner exactly as `dpcheck verify` does, on N master seeds at the
 * default sizes (with the real-text rows when a corpus is given) and on M seeds at each
 * other rung of a ladder of sizes (the corners R = 1, V = 1, R = 2, V = 2 with R = 1024,
 * d_k = 1, and sizes in between), and prints per claim: the runs, how many were not PASS,
 * the SKIPs, the thin runs, and the worst figure over every run with its margin to the
 * threshold and the command that replays it.
 *
 * Judged as not PASS: a FAIL, an ERROR, a twin never rejected on the instances where it
 * could differ (a harness defect), and, at the default sizes, where every claim's generator
 * is aimed at its premise, a SKIP, or thin runs (the claim, a part or the twin measured on too
 * few instances) on more than DP_SWEEP_THIN_RUNS of the runs.  One thin run is no fault: a
 * share is sampled, and a part aimed at 40% of 100 instances falls under 25% in about one
 * run in 3000; a part thin on many seeds is aimed wrong.  A SKIP or a thin run on another
 * rung is counted and shown, not judged: there the sizes may rule a premise out (C12 needs
 * R >= 3, C09 V >= 2, C04's repeated tokens R >= 2), and the sweep says which rungs.
 *
 * Master seed k of the sweep is SplitMix64's finaliser of base + k (base: --base, default
 * the run's default seed), the same k on every rung; `dpcheck verify --seed <it>` with the
 * rung's sizes repeats a run.  Runs are shared among --jobs worker processes; each writes
 * its results to a file of its own, and the parent reads them back in run order, so the
 * output does not depend on the number of workers.
 *
 * Used twice: `make check` runs a handful of seeds on the corners with few trials (TAP, one
 * test per claim); `make check-sweep` runs the full sweep (not in CI: about an hour on
 * two cores). */
#include "config.h"
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "claim.h"
#include "cooc.h"
#include "err.h"
#include "options.h"
#include "registry.h"
#include "rng.h"
#include "seed.h"
#include "tol.h"

struct rung {
  const char *name;
  struct dp_sizes sz;
};

/* The ladder: the default first, then the corners, then sizes in between and beyond. */
static const struct rung ladder[] = {
  {"default", {DP_SIZES_DEFAULT_R, DP_SIZES_DEFAULT_V, 0}},
  {"R=1", {1, DP_SIZES_DEFAULT_V, 0}},
  {"V=1", {DP_SIZES_DEFAULT_R, 1, 0}},
  {"R=2", {2, DP_SIZES_DEFAULT_V, 0}},
  {"R=1024 V=2", {1024, 2, 0}},
  {"d_k=1", {DP_SIZES_DEFAULT_R, DP_SIZES_DEFAULT_V, 1}},
  {"R=4 V=4", {4, 4, 0}},
  {"R=16 V=24", {16, 24, 0}},
  {"R=256 V=32", {256, 32, 0}},
  {"R=32 V=400", {32, 400, 0}},
};
#define NCORNERS 6 /* the default and the corners: the first six rungs */
#define NLADDER (sizeof ladder / sizeof ladder[0])

/* One claim on one run. */
struct rec {
  int verdict;       /* enum dp_verdict */
  int twin_defect, thin;
  unsigned measured; /* instances measured (PASS or FAIL): worst is NaN when 0 */
  double worst;
  char replay[300];  /* the worst (or first failing) instance's replay command */
  char note[400];    /* the error, the twin's defect, or the thin part */
};

struct opts {
  unsigned seeds, ladder_seeds, trials, ladder_trials, jobs;
  uint64_t base;
  int corners_only, tap;
  const char *corpus;
  const struct dp_claim *sel[64];
  size_t nsel;
};

/* The runs, in order: rung by rung, seed by seed. */
struct run {
  size_t rung;
  unsigned k;
};

static const char *prog = "sweep";

/* Thin runs at the default sizes beyond this share of the runs make a claim not PASS. */
#define DP_SWEEP_THIN_RUNS 0.05

static void usage(FILE *f)
{
  fprintf(f,
"Usage: sweep [OPTION]...   every claim on many master seeds and a ladder of sizes\n"
"  --seeds N          master seeds at the default sizes (default 200)\n"
"  --ladder-seeds M   master seeds on each other rung of the ladder (default 20)\n"
"  --trials N         instances per claim at the default sizes (0: each claim's own)\n"
"  --ladder-trials N  instances per claim on the other rungs (0: each claim's own)\n"
"  --corners          the ladder's corners only (R=1, V=1, R=2, R=1024 V=2, d_k=1)\n"
"  --base S           master seed k is mix(S + k) (default %" PRIu64 ")\n"
"  --claim ID[,ID]    only these claims\n"
"  --corpus FILE      real-text rows at the default sizes\n"
"  --jobs J           worker processes (default 2)\n"
"  --tap              TAP: one test per claim\n"
"Exit status: 0 every run of every claim PASSes (SKIPs off the default sizes allowed),\n"
"1 a run does not, 2 bad usage or input.\n", (uint64_t)DP_SEED_DEFAULT);
}

static int bad_usage(const char *what, const char *arg)
{
  fprintf(stderr, "%s: %s '%s' (see '%s --help')\n", prog, what, arg ? arg : "", prog);
  return 2;
}

static uint64_t master_of(const struct opts *o, unsigned k) { return dp_rng_mix(o->base + k); }

/* A field of a record line: tabs and newlines would break the line. */
static void put_field(FILE *f, const char *s)
{
  for (; *s; s++)
    fputc(*s == '\t' || *s == '\n' ? ' ' : *s, f);
}

/* Run every selected claim on run r; one line per claim on f. */
static int do_run(const struct opts *o, const struct run *r, const struct dp_env *env, FILE *f)
{
  const struct rung *g = &ladder[r->rung];
  struct dp_run_opts ro = {0};
  ro.master = master_of(o, r->k);
  ro.trials = r->rung == 0 ? o->trials : o->ladder_trials;
  ro.sizes = g->sz;
  ro.shrink = 0; /* the replay command is what a reviewer needs here; verify shrinks */
  ro.max_cex = 1;
  ro.env = *env;
  if (r->rung != 0) { /* real text once per seed is enough: at the default sizes */
    ro.env.corpus = NULL;
    ro.env.corpus_path = NULL;
  }
  ro.cache = dp_cache_alloc();
  if (!ro.cache)
    return -1;
  for (size_t i = 0; i < o->nsel; i++) {
    struct dp_result res;
    const struct dp_claim *c = o->sel[i];
    char replay[300] = "", note[400] = "";
    int st = dp_run_claim(c, &ro, &res);
    if (st != GSL_SUCCESS) {
      fprintf(f, "%zu\t%u\t%zu\t%d\t0\t0\t0\tnan\t-\t", r->rung, r->k, i, (int)DP_ERROR);
      put_field(f, dp_err_last());
      fputc('\n', f);
      continue;
    }
    uint64_t seed = res.ncex ? res.cex[0].replay_seed : res.worst_seed;
    if (res.ncex || res.npass) { /* the instance: the failing one, else the worst */
      dp_replay_command(c, &ro, seed, replay, sizeof replay);
      if (!ro.env.corpus && strlen(replay) + 12 < sizeof replay)
        strcat(replay, " --no-corpus");
    }
    if (res.error[0])
      snprintf(note, sizeof note, "%s", res.error);
    else if (res.twin_defect)
      snprintf(note, sizeof note, "twin never rejected on %u measured instances%s%s",
               res.twin_n - res.twin_skip - res.twin_error,
               res.twin_row_defect ? "; judged row " : "", res.twin_row_defect ? res.twin_row : "");
    else if (res.thin)
      snprintf(note, sizeof note, "%s", res.thin_what);
    fprintf(f, "%zu\t%u\t%zu\t%d\t%d\t%d\t%u\t%a\t", r->rung, r->k, i, (int)res.verdict,
            res.twin_defect, res.thin, res.npass + res.nfail, res.worst);
    put_field(f, replay[0] ? replay : "-");
    fputc('\t', f);
    put_field(f, note);
    fputc('\n', f);
    dp_result_free(&res);
  }
  dp_cache_free(ro.cache);
  return ferror(f) ? -1 : 0;
}

/* Parse one worker's record lines into recs[run index][claim]; -1 on a line that is not a
 * record of this sweep (wrong field count or value, a run or claim out of range, a record
 * seen twice). */
static int read_records(FILE *f, const struct opts *o, const size_t *first, const size_t *count,
                        size_t nrungs, struct rec *recs, unsigned char *seen)
{
  char line[2048];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    char *field[10];
    size_t nf = 0;
    for (char *p = line; nf < 10; nf++) {
      field[nf] = p;
      char *tab = strchr(p, '\t');
      if (!tab) {
        nf++;
        break;
      }
      *tab = '\0';
      p = tab + 1;
    }
    unsigned long long rung, k, ci, verdict, defect, thin, measured;
    if (nf != 10 || dp_opt_u64(field[0], 0, nrungs - 1, &rung) ||
        dp_opt_u64(field[1], 0, UINT_MAX, &k) || dp_opt_u64(field[2], 0, o->nsel - 1, &ci) ||
        dp_opt_u64(field[3], 0, DP_ERROR, &verdict) || dp_opt_u64(field[4], 0, 1, &defect) ||
        dp_opt_u64(field[5], 0, 1, &thin) || dp_opt_u64(field[6], 0, UINT_MAX, &measured) ||
        k >= count[rung])
      return -1;
    size_t at = (first[rung] + k) * o->nsel + ci;
    if (seen[at]++)
      return -1;
    struct rec *x = &recs[at];
    char *end;
    x->verdict = (int)verdict;
    x->twin_defect = (int)defect;
    x->thin = (int)thin;
    x->measured = (unsigned)measured;
    x->worst = strtod(field[7], &end);
    if (*end)
      return -1;
    snprintf(x->replay, sizeof x->replay, "%s", field[8]);
    snprintf(x->note, sizeof x->note, "%s", field[9]);
  }
  return ferror(f) ? -1 : 0;
}

/* Is this record a non-PASS the sweep judges?  (A SKIP only at the default sizes, where
 * the generators aim at every premise; thin runs are judged by their count.) */
static int judged_bad(const struct rec *x, size_t rung)
{
  return x->verdict == DP_FAIL || x->verdict == DP_ERROR || x->twin_defect ||
         (rung == 0 && x->verdict == DP_SKIP);
}

/* Is a run's worst figure f worse than the worst so far?  A NaN figure of a measured run is
 * worst of all (as in the runner); a run that measured nothing has none. */
static int worse(const struct dp_claim *c, const struct rec *x, double than, int have)
{
  if (!x->measured)
    return 0;
  if (!have)
    return 1;
  if (isnan(than))
    return 0;
  if (isnan(x->worst))
    return 1;
  return c->tol_kind == DP_JUDGE_SLACK ? x->worst < than : x->worst > than;
}

/* The command that repeats run r of claim c. */
static void run_command(const struct opts *o, const struct dp_claim *c, const struct run *r,
                        char *buf, size_t n)
{
  const struct dp_sizes *sz = &ladder[r->rung].sz;
  unsigned trials = r->rung == 0 ? o->trials : o->ladder_trials;
  int k = snprintf(buf, n, "OPENBLAS_NUM_THREADS=1 dpcheck verify --claim %s --seed %" PRIu64
                   " --max-R %zu --max-V %zu", c->id, master_of(o, r->k), sz->R_max, sz->V_max);
  if (sz->dk_max && k > 0 && (size_t)k < n)
    k += snprintf(buf + k, n - (size_t)k, " --max-dk %zu", sz->dk_max);
  if (trials && k > 0 && (size_t)k < n)
    k += snprintf(buf + k, n - (size_t)k, " --trials %u", trials);
  if ((r->rung != 0 || !o->corpus) && k > 0 && (size_t)k < n)
    snprintf(buf + k, n - (size_t)k, " --no-corpus");
}

static int report(const struct opts *o, const struct run *runs, size_t nruns,
                  const struct rec *recs)
{
  unsigned total_bad = 0;
  if (o->tap)
    printf("1..%zu\n", o->nsel);
  else
    printf("%-4s %5s %8s %5s %5s  %-10s %-9s %s\n", "id", "runs", "non-PASS", "skip", "thin",
           "worst", "margin", "where");
  for (size_t i = 0; i < o->nsel; i++) {
    const struct dp_claim *c = o->sel[i];
    unsigned bad = 0, skip = 0, thin = 0;
    unsigned skip_rung[NLADDER] = {0}, thin_rung[NLADDER] = {0}, runs_rung[NLADDER] = {0};
    double worst = NAN;
    const struct rec *at = NULL;
    size_t at_run = 0;
    char badlines[3][1200];
    for (size_t r = 0; r < nruns; r++) {
      const struct rec *x = &recs[r * o->nsel + i];
      size_t g = runs[r].rung;
      runs_rung[g]++;
      if (x->verdict == DP_SKIP)
        skip++, skip_rung[g]++;
      if (x->thin)
        thin++, thin_rung[g]++;
      if (judged_bad(x, g)) {
        char cmd[300];
        run_command(o, c, &runs[r], cmd, sizeof cmd);
        if (bad < 3)
          snprintf(badlines[bad], sizeof badlines[bad], "%s%s on %s%s%s; the run: %s%s%s",
                   dp_verdict_name((enum dp_verdict)x->verdict),
                   x->twin_defect ? " (twin never rejected)" : "", ladder[g].name, x->note[0] ? ": " : "", x->note, cmd,
                   strcmp(x->replay, "-") ? "; the instance: " : "",
                   strcmp(x->replay, "-") ? x->replay : "");
        bad++;
      }
      if (worse(c, x, worst, at != NULL)) {
        worst = x->worst;
        at = x;
        at_run = r;
      }
    }
    if (runs_rung[0] && thin_rung[0] > DP_SWEEP_THIN_RUNS * runs_rung[0]) {
      if (bad < 3)
        snprintf(badlines[bad], sizeof badlines[bad], "thin on %u of %u runs at the default "
                 "sizes (more than %.0f%%): the generator misses a part or the premise",
                 thin_rung[0], runs_rung[0], 100 * DP_SWEEP_THIN_RUNS);
      bad++;
    }
    total_bad += bad;
    char margin[32] = "-", where[400] = "";
    if (at) {
      snprintf(margin, sizeof margin, "x%.3g", dp_claim_margin(c, worst));
      snprintf(where, sizeof where, "%s: %s", ladder[runs[at_run].rung].name, at->replay);
    }
    if (o->tap)
      printf("%s %zu - %s: %zu runs, %u not PASS, %u skip, %u thin; worst %.3g (margin %s)\n",
             bad ? "not ok" : "ok", i + 1, c->id, nruns, bad, skip, thin, worst, margin);
    else
      printf("%-4s %5zu %8u %5u %5u  %-10.3g %-9s %s\n", c->id, nruns, bad, skip, thin, worst,
             margin, where);
    const char *pre = o->tap ? "# " : "     ";
    for (unsigned b = 0; b < bad && b < 3; b++)
      printf("%sNOT PASS: %s\n", pre, badlines[b]);
    if (bad > 3)
      printf("%s... and %u more\n", pre, bad - 3);
    for (size_t g = 0; g < NLADDER; g++) {
      if (!skip_rung[g] && !thin_rung[g])
        continue;
      printf("%s%s: %u of %u runs SKIP, %u thin", pre, ladder[g].name, skip_rung[g],
             runs_rung[g], thin_rung[g]);
      for (size_t r = 0; r < nruns; r++) /* one example of why */
        if (runs[r].rung == g && (recs[r * o->nsel + i].thin || recs[r * o->nsel + i].note[0])) {
          printf(" (%s)", recs[r * o->nsel + i].note);
          break;
        }
      printf("\n");
    }
  }
  if (o->tap) /* the not-ok lines say it; a non-zero exit would be counted once more */
    return 0;
  printf("\n%zu claims x %zu runs: %u not PASS\n", o->nsel, nruns, total_bad);
  return total_bad ? 1 : 0;
}

int main(int argc, char **argv)
{
  static const struct option longopts[] = {
    {"seeds", required_argument, 0, 1},        {"ladder-seeds", required_argument, 0, 2},
    {"trials", required_argument, 0, 3},       {"ladder-trials", required_argument, 0, 4},
    {"corners", no_argument, 0, 5},            {"base", required_argument, 0, 6},
    {"claim", required_argument, 0, 7},        {"corpus", required_argument, 0, 8},
    {"jobs", required_argument, 0, 9},         {"tap", no_argument, 0, 10},
    {"help", no_argument, 0, 'h'},             {0, 0, 0, 0}};
  struct opts o = {200, 20, 0, 0, 2, DP_SEED_DEFAULT, 0, 0, NULL, {0}, 0};
  unsigned long long v;
  int ch;
  opterr = 0;
  while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (ch) {
    case 1: if (dp_opt_u64(optarg, 0, 100000, &v)) return bad_usage("--seeds: not a count", optarg);
            o.seeds = (unsigned)v; break;
    case 2: if (dp_opt_u64(optarg, 0, 100000, &v))
              return bad_usage("--ladder-seeds: not a count", optarg);
            o.ladder_seeds = (unsigned)v; break;
    case 3: if (dp_opt_u64(optarg, 0, 1000000, &v)) return bad_usage("--trials: not a count", optarg);
            o.trials = (unsigned)v; break;
    case 4: if (dp_opt_u64(optarg, 0, 1000000, &v))
              return bad_usage("--ladder-trials: not a count", optarg);
            o.ladder_trials = (unsigned)v; break;
    case 5: o.corners_only = 1; break;
    case 6: if (dp_opt_u64(optarg, 0, ULLONG_MAX, &v)) return bad_usage("--base: not a seed", optarg);
            o.base = v; break;
    case 7: {
      char *list = strdup(optarg), *save = NULL;
      if (!list) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return 2;
      }
      for (char *id = strtok_r(list, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
        const struct dp_claim *c = dp_claim_find(id);
        if (!c || o.nsel == sizeof o.sel / sizeof o.sel[0]) {
          int rc = bad_usage("--claim: unknown claim", id);
          free(list);
          return rc;
        }
        o.sel[o.nsel++] = c;
      }
      free(list);
      break;
    }
    case 8: o.corpus = optarg; break;
    case 9: if (dp_opt_u64(optarg, 0, 64, &v) || v == 0) return bad_usage("--jobs: 1 to 64", optarg);
            o.jobs = (unsigned)v; break;
    case 10: o.tap = 1; break;
    case 'h': usage(stdout); return 0;
    default: return bad_usage("unknown option or missing argument", argv[optind - 1]);
    }
  }
  if (optind < argc)
    return bad_usage("unexpected argument", argv[optind]);
  if (o.nsel == 0)
    for (size_t i = 0; i < dp_nclaims && o.nsel < sizeof o.sel / sizeof o.sel[0]; i++)
      o.sel[o.nsel++] = dp_claims[i];

  /* the runs, and where each rung's runs start */
  size_t nrungs = o.corners_only ? NCORNERS : NLADDER, first[NLADDER] = {0}, nruns = 0;
  size_t count[NLADDER] = {0};
  for (size_t g = 0; g < nrungs; g++) {
    first[g] = nruns;
    count[g] = g == 0 ? o.seeds : o.ladder_seeds;
    nruns += count[g];
  }
  if (nruns == 0)
    return bad_usage("nothing to run:", "--seeds 0 --ladder-seeds 0");
  struct run *runs = calloc(nruns, sizeof *runs);
  struct rec *recs = calloc(nruns * o.nsel, sizeof *recs);
  unsigned char *seen = calloc(nruns * o.nsel, 1);
  if (!runs || !recs || !seen) {
    fprintf(stderr, "%s: out of memory for %zu runs\n", prog, nruns);
    return 2;
  }
  for (size_t g = 0, r = 0; g < nrungs; g++)
    for (unsigned k = 0; k < (g == 0 ? o.seeds : o.ladder_seeds); k++, r++)
      runs[r] = (struct run){g, k};

  struct dp_corpus *corp = NULL;
  struct dp_env env = {.window = 5};
  if (o.corpus) {
    struct dp_vocab_opts vo = {1, 0};
    if (dp_corpus_read(o.corpus, &vo, &corp) != GSL_SUCCESS) {
      fprintf(stderr, "%s: %s\n", prog, dp_err_reason());
      return 2;
    }
    env.corpus_path = o.corpus;
    env.corpus = corp;
  }
  if (!o.tap)
    printf("sweep: %zu claims; %u master seeds mix(%" PRIu64 " + k) at R<=%zu V<=%zu (%s), "
           "%u on each of %zu other rungs; trials %u / %u (0: each claim's own)\n\n",
           o.nsel, o.seeds, o.base, ladder[0].sz.R_max, ladder[0].sz.V_max,
           corp ? "with real text" : "no real text", o.ladder_seeds, nrungs - 1, o.trials,
           o.ladder_trials);
  fflush(stdout);

  /* workers: run r goes to worker r mod J; each writes its records to its own file */
  unsigned jobs = o.jobs < nruns ? o.jobs : (unsigned)nruns;
  FILE *out[64];
  pid_t pid[64];
  for (unsigned w = 0; w < jobs; w++) /* every file before any worker starts */
    if (!(out[w] = tmpfile())) {
      fprintf(stderr, "%s: cannot make a temporary file: %s\n", prog, strerror(errno));
      return 2;
    }
  fflush(stdout); /* nothing buffered is written twice by the workers */
  for (unsigned w = 0; w < jobs; w++) {
    pid[w] = fork();
    if (pid[w] < 0) {
      fprintf(stderr, "%s: fork: %s\n", prog, strerror(errno));
      for (unsigned v = 0; v < w; v++) { /* the workers already started: stop and reap them */
        kill(pid[v], SIGTERM);
        while (waitpid(pid[v], NULL, 0) < 0 && errno == EINTR)
          ;
      }
      return 2;
    }
    if (pid[w] == 0) {
      int tty = isatty(STDERR_FILENO);
      for (size_t r = w; r < nruns; r += jobs) {
        if (do_run(&o, &runs[r], &env, out[w]) != 0) {
          fprintf(stderr, "%s: run %zu: %s\n", prog, r, dp_err_last());
          _exit(2);
        }
        fflush(out[w]);
        if (tty && w == 0)
          fprintf(stderr, "\r  %zu of %zu runs", r + 1, nruns);
      }
      _exit(fflush(out[w]) == 0 ? 0 : 2);
    }
  }
  int failed = 0;
  for (unsigned w = 0; w < jobs; w++) {
    int status = 0;
    pid_t got;
    while ((got = waitpid(pid[w], &status, 0)) < 0 && errno == EINTR)
      ;
    if (got < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
      failed = 1;
    rewind(out[w]);
    if (read_records(out[w], &o, first, count, nrungs, recs, seen) != 0)
      failed = 1;
    fclose(out[w]);
  }
  if (isatty(STDERR_FILENO))
    fprintf(stderr, "\r\033[K");
  for (size_t i = 0; i < nruns * o.nsel && !failed; i++)
    failed = !seen[i];
  if (failed) {
    fprintf(stderr, "%s: a worker failed; no summary\n", prog);
    return 2;
  }
  int rc = report(&o, runs, nruns, recs);
  dp_corpus_free(corp);
  free(runs);
  free(recs);
  free(seen);
  return rc;
}
