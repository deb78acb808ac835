/* dpcheck.c: the command-line program.
 *
 *   dpcheck verify [options]   run the registered claims, print one line per claim, write the
 *                              residual report (JSON, HTML, TSV); the main job
 *   dpcheck list               list the claims
 *   dpcheck show ID            print a claim's statement, conditions, judgement and twin
 *   dpcheck dump, dpcheck diff write one instance's matrices (dump.c); compare two reports
 *                              (diff.c)
 *
 * Exit status: 0 every claim PASS (or SKIP) with its twin rejected (or not testable at sizes
 * below the defaults); 1 a claim FAILed, met an ERROR, or its twin was never rejected; 2 bad
 * usage or bad input (one line on stderr naming the input, nothing written). */
#include <errno.h>
#include <math.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <getopt.h>
#include <sys/utsname.h>
#include "config.h"
#include "claim.h"
#include "registry.h"
#include "cooc.h"
#include "err.h"
#include "options.h"
#include "scope.h"
#include "formal.h"
#include "io.h"
#include "progress.h"
#include "text.h"
#include "report.h"
#include "seed.h"
#include "dump.h"
#include "term.h"
#include "diff.h"

#define DP_DEFAULT_R_MAX DP_SIZES_DEFAULT_R
#define DP_DEFAULT_V_MAX DP_SIZES_DEFAULT_V
#define DP_DEFAULT_WINDOW 5
#define DP_MAX_CEX 3

static const char *prog = "dpcheck";

static void usage(FILE *f)
{
  fprintf(f,
"Usage: dpcheck verify [OPTION]...   check the paper's claims and write the report\n"
"       dpcheck list                 list the registered claims\n"
"       dpcheck show ID              print one claim's exact statement and its twin\n"
"       dpcheck show --all           the whole register, as docs/claims.md holds it\n"
"       dpcheck dump -o DIR ...      write one instance's every matrix (dump --help)\n"
"       dpcheck diff OLD NEW         what changed between two reports' residuals.json:\n"
"                                    claims, verdicts, worst figures beyond --factor F\n"
"                                    (default 10), twins, findings, totals (diff --help)\n"
"       dpcheck --help | --version\n"
"\n"
"dpcheck verifies the derivation steps of \"Self-Attention as Distributional Projection\"\n"
"(N. Mehta, arXiv 2511.13780) on seeded generated instances and on real text. Each claim\n"
"runs with its false twin on the same instances; a twin that is never rejected is a\n"
"harness defect, unless the sizes are below the defaults (then it is not testable at\n"
"these sizes). Failing instances are shrunk and printed with a replay command.\n"
"\n"
"Options of verify:\n"
"  -c, --claim ID[,ID...]  run only these claims (repeatable); default: all\n"
"  -s, --seed N            master seed, decimal or 0x-hex (default %llu, or $DPCHECK_SEED)\n"
"  -n, --trials N          generated instances per claim (default: each claim's own, 100)\n"
"  -R, --max-R N           longest generated sequence (default %d)\n"
"  -V, --max-V N           largest generated vocabulary (default %d)\n"
"      --max-dk N          widest key width d_k of the generated attention and scaling\n"
"                          instances (default: each family's own, up to V+4 and 1024);\n"
"                          the real-text rows keep theirs\n"
"      --corpus FILE       real-text corpus, UTF-8, one document a line; 'kjv' and\n"
"                          'large' name the two built with dpcheck (the KJV, and GCIDE's\n"
"                          dictionary text) (default: $DPCHECK_CORPUS, else the KJV)\n"
"      --cooccurrence FILE GloVe's cooccurrence.bin: C18 checks the claims on its X\n"
"      --cooccurrence-symmetric N\n"
"                          how it was counted, cooccur's -symmetric: 1 (both sides, the\n"
"                          default; X must be symmetric) or 0 (one side, X^>: X + X^T)\n"
"      --vocab FILE        GloVe's vocab.txt, the words of --cooccurrence in id order\n"
"      --vectors FILE      GloVe's vectors.txt for the GloVe-style operator (else fitted)\n"
"      --vectors-model N   its layout, glove's -model: 0 (W, b, W~, b~), 1 (W), 2 (W + W~;\n"
"                          the default)\n"
"      --vectors-header    its first line is \"V d\" (glove's -write-header 1)\n"
"      --vectors-unk       its last line is glove's \"<unk>\" vector\n"
"      --operator FILE     a Matrix Market operator S (square, exactly symmetric): C18\n"
"                          checks the claims on it\n"
"      --sequence FILE     sequences for --cooccurrence or --operator, one a line: words\n"
"                          of the vocabulary, or 1-based ids (default: drawn from the seed)\n"
"      --no-corpus         no real-text rows\n"
"  -w, --window C          window of the real-text counts (default %d)\n"
"  -o, --report-dir DIR    where the report goes (default reports, or $DPCHECK_REPORTS;\n"
"                          a run of some claims goes below it, to replay-<ID>-<seed>/ or\n"
"                          partial-<IDs>-<seed>/, never over the full run's report)\n"
"      --no-report         print the table only\n"
"      --no-shrink         print failing instances as generated\n"
"  -v, --verbose           under each claim's line its worst figure, parts and judged rows;\n"
"                          after the table every counterexample and twin witness, shrunk,\n"
"                          with its replay command (default: one line a claim, and under a\n"
"                          FAIL or ERROR its first counterexample's replay command, or the\n"
"                          error's reason)\n"
"  -q, --quiet             no progress on stderr\n"
"\n"
"Environment: DPCHECK_SEED, DPCHECK_CORPUS, DPCHECK_REPORTS as above; DPCHECK_DATE, when\n"
"set, replaces the report's date (the only field that differs between two runs with\n"
"the same seed); OPENBLAS_NUM_THREADS=1 makes BLAS results repeat bit for bit.\n"
"\n"
"Exit status: 0 all claims hold and every twin is rejected (or not testable at these\n"
"sizes); 1 a claim fails, errs, or its twin is never rejected; 2 bad usage or bad input.\n",
          (unsigned long long)DP_SEED_DEFAULT, DP_DEFAULT_R_MAX, DP_DEFAULT_V_MAX,
          DP_DEFAULT_WINDOW);
}

static int fail_usage(const char *fmt, const char *arg)
{
  fprintf(stderr, "%s: ", prog);
  fprintf(stderr, fmt, arg);
  fprintf(stderr, " (see '%s --help')\n", prog);
  return 2;
}


/* Sequences C18 draws for a user's operator or co-occurrence file without --sequence. */
#define DP_USER_SEQS 8
#define DP_USER_R 64

/* Whether the report can go to dir, checked before the run: dir, or its nearest existing
 * ancestor, must be a writable directory.  0, or -1 with the reason in why. */
static int report_dir_usable(const char *dir, char *why, size_t n)
{
  char p[PATH_MAX];
  if (snprintf(p, sizeof p, "%s", dir) >= (int)sizeof p) {
    snprintf(why, n, "the name is too long");
    return -1;
  }
  for (;;) {
    size_t len = strlen(p);
    while (len > 1 && p[len - 1] == '/')
      p[--len] = '\0';
    struct stat sb;
    if (stat(p, &sb) == 0) {
      if (!S_ISDIR(sb.st_mode)) {
        snprintf(why, n, "%s is not a directory", p);
        return -1;
      }
      if (access(p, W_OK | X_OK) != 0) {
        snprintf(why, n, "%s is not writable: %s", p, strerror(errno));
        return -1;
      }
      return 0;
    }
    if (errno != ENOENT && errno != ENOTDIR) {
      snprintf(why, n, "%s: %s", p, strerror(errno));
      return -1;
    }
    char *slash = strrchr(p, '/');
    if (!slash)
      snprintf(p, sizeof p, ".");
    else if (slash == p)
      p[1] = '\0';
    else
      *slash = '\0';
  }
}

static const char *default_corpus(void)
{
  const char *e = getenv("DPCHECK_CORPUS");
  if (e && *e)
    return e;
  const char *kjv = "kjv"; /* the KJV built with dpcheck, as --corpus kjv finds it */
  return dp_opt_corpus(&kjv) == 0 ? kjv : NULL;
}

static int cmd_list(void)
{
  for (size_t i = 0; i < dp_nclaims; i++)
    printf("%s  %-32s %s\n", dp_claims[i]->id, dp_claims[i]->title, dp_claims[i]->paper_ref);
  return 0;
}

/* Print text as a paragraph wrapped at width columns, each line after indent spaces (words
 * longer than a line stand alone). */
static void wrap(const char *text, int indent, int width)
{
  int col = 0;
  const char *p = text;
  while (*p) {
    while (*p == ' ')
      p++;
    const char *w = p;
    while (*p && *p != ' ')
      p++;
    int len = (int)(p - w);
    if (!len)
      break;
    if (col && col + 1 + len > width) {
      putchar('\n');
      col = 0;
    }
    if (!col)
      col = printf("%*s%.*s", indent, "", len, w);
    else
      col += printf(" %.*s", len, w);
  }
  if (col)
    putchar('\n');
}

/* The width to wrap at: $COLUMNS on a terminal, else 80 (at least 40). */
static int show_width(void)
{
  const char *e = getenv("COLUMNS");
  int w = e && isatty(STDOUT_FILENO) ? atoi(e) : 80;
  return w < 40 ? 80 : w;
}

static void show_one(const struct dp_claim *c, int width, int markdown)
{
  static const char *const head[] = {"Statement checked", "Conditions", "Judged",
                                     "False twin (must be rejected)"};
  const char *body[] = {c->statement, c->conditions, c->judged, c->twin_statement};
  char holds[64];
  snprintf(holds, sizeof holds, "Holds when the figure is %s %g.",
           c->tol_kind == DP_JUDGE_RATIO ? "<=" : ">= -", c->tol);
  if (markdown)
    printf("## %s %s\n\nWhere in the paper: %s.\n", c->id, c->title, c->paper_ref);
  else {
    char ref[400];
    snprintf(ref, sizeof ref, "Where in the paper: %s.", c->paper_ref);
    printf("%s  %s\n", c->id, c->title);
    wrap(ref, 2, width);
  }
  for (int k = 0; k < 4; k++) {
    printf(markdown ? "\n**%s.**\n" : "\n%s:\n", head[k]);
    wrap(body[k], markdown ? 0 : 2, width);
    if (k == 2)
      wrap(holds, markdown ? 0 : 2, width);
  }
  /* the findings the harness probes for: each is reported only when a run shows it */
  for (unsigned k = 0; k < c->nfindings; k++) {
    const struct dp_finding_def *d = &c->findings[k];
    char line[1200];
    printf(markdown ? "\n**Finding probed (%s, %s).**\n" : "\nFinding probed (%s, %s):\n",
           d->key, dp_finding_kind_name(d->kind));
    wrap(d->summary, markdown ? 0 : 2, width);
    snprintf(line, sizeof line, "Probe: the reading \"%s\" is measured on the claim's own "
             "instances, by the rule figure %s %g; the finding (%s) is reported when it fails "
             "on one.", d->as_stated, d->tol_kind == DP_JUDGE_RATIO ? "<=" : ">= -", d->tol,
             d->condition);
    wrap(line, markdown ? 0 : 2, width);
  }
}

static int cmd_show(const char *id)
{
  if (id && !strcmp(id, "--all")) {
    /* the register as markdown: docs/claims.md is this output, kept current by a test */
    printf("# The claims dpcheck checks\n\n");
    wrap("This is dpcheck's own register of the claims of \"Self-Attention as Distributional "
         "Projection\" (N. Mehta, arXiv 2511.13780, https://arxiv.org/abs/2511.13780), as "
         "dpcheck formalises and checks them: `dpcheck show --all` prints it from the claims "
         "compiled into the program. The paper's wording is not reproduced; every report "
         "prints the statement it checked.", 0, 100);
    for (size_t i = 0; i < dp_nclaims; i++) {
      putchar('\n');
      show_one(dp_claims[i], 100, 1);
    }
    return 0;
  }
  const struct dp_claim *c = id ? dp_claim_find(id) : NULL;
  if (!c)
    return fail_usage("show: unknown claim '%s'", id ? id : "");
  show_one(c, show_width(), 0);
  return 0;
}

static int cmd_verify(int argc, char **argv)
{
  static const struct option longopts[] = {
    {"claim", required_argument, 0, 'c'},   {"seed", required_argument, 0, 's'},
    {"trials", required_argument, 0, 'n'},  {"max-R", required_argument, 0, 'R'},
    {"max-V", required_argument, 0, 'V'},   {"max-dk", required_argument, 0, 5},
    {"corpus", required_argument, 0, 1},
    {"cooccurrence", required_argument, 0, 10}, {"vocab", required_argument, 0, 11},
    {"vectors", required_argument, 0, 12},  {"vectors-model", required_argument, 0, 13},
    {"vectors-header", no_argument, 0, 14}, {"vectors-unk", no_argument, 0, 15},
    {"operator", required_argument, 0, 16}, {"sequence", required_argument, 0, 17},
    {"cooccurrence-symmetric", required_argument, 0, 18},
    {"no-corpus", no_argument, 0, 2},       {"window", required_argument, 0, 'w'},
    {"report-dir", required_argument, 0, 'o'}, {"no-report", no_argument, 0, 3},
    {"no-shrink", no_argument, 0, 4},       {"quiet", no_argument, 0, 'q'},
    {"verbose", no_argument, 0, 'v'},       {"help", no_argument, 0, 'h'},
    {0, 0, 0, 0}};
  struct dp_run_opts o = {0};
  o.master = DP_SEED_DEFAULT;
  o.sizes.R_max = DP_DEFAULT_R_MAX;
  o.sizes.V_max = DP_DEFAULT_V_MAX;
  o.shrink = 1;
  o.max_cex = DP_MAX_CEX;
  o.env.window = DP_DEFAULT_WINDOW;
  const char *env_seed = getenv("DPCHECK_SEED"), *corpus = NULL, *rdir = getenv("DPCHECK_REPORTS");
  int no_corpus = 0, no_report = 0, quiet = 0, out_given = 0, verbose = 0;
  const char *cooc = NULL, *vocab = NULL, *vectors = NULL, *op_file = NULL, *seq_file = NULL;
  int one_sided = 0, sym_given = 0;
  struct dp_io_vectors_fmt vfmt = {DP_IO_GLOVE_SUM, 0, 0};
  int vfmt_given = 0;
  unsigned long long v;
  /* the selection, without an allocation that every usage error would have to free */
  const struct dp_claim *sel[DP_MAX_CLAIMS];
  size_t nsel = 0;
  if (env_seed && *env_seed) {
    if (dp_opt_u64(env_seed, 0, ULLONG_MAX, &v) != 0)
      return fail_usage("DPCHECK_SEED: not a 64-bit unsigned integer: '%s'", env_seed);
    o.master = v;
  }
  if (!rdir || !*rdir)
    rdir = "reports";

  optind = 1;
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, ":c:s:n:R:V:w:o:qvh", longopts, NULL)) != -1) {
    switch (ch) {
    case 'c': {
      /* every comma-separated id must name a claim: an empty list or an empty id is a slip
       * (a shell variable left empty), never "every claim" */
      char *list = strdup(optarg), *rest = list, *id;
      if (!list)
        return fail_usage("--claim: out of memory%s", "");
      while ((id = strsep(&rest, ",")) != NULL) {
        if (*id == '\0') {
          int rc = fail_usage("--claim: an empty claim id in '%s' (give ids such as C02,C07)",
                              optarg);
          free(list);
          return rc;
        }
        const struct dp_claim *c = dp_claim_find(id);
        if (!c) {
          int rc = fail_usage("--claim: unknown claim '%s'", id);
          free(list);
          return rc;
        }
        int dup = 0;
        for (size_t i = 0; i < nsel; i++)
          dup |= sel[i] == c;
        if (!dup)
          sel[nsel++] = c;
      }
      free(list);
      break;
    }
    case 's':
      if (dp_opt_u64(optarg, 0, ULLONG_MAX, &v))
        return fail_usage("--seed: not a 64-bit unsigned integer: '%s'", optarg);
      o.master = v;
      break;
    case 'n':
      if (dp_opt_u64(optarg, 1, 10000000, &v))
        return fail_usage("--trials: expected an integer from 1 to 10000000, got '%s'", optarg);
      o.trials = (unsigned)v;
      break;
    case 'R':
      if (dp_opt_u64(optarg, 1, 4096, &v))
        return fail_usage("--max-R: expected an integer from 1 to 4096, got '%s'", optarg);
      o.sizes.R_max = v;
      break;
    case 'V':
      if (dp_opt_u64(optarg, 1, 4096, &v))
        return fail_usage("--max-V: expected an integer from 1 to 4096, got '%s'", optarg);
      o.sizes.V_max = v;
      break;
    case 5:
      if (dp_opt_u64(optarg, 1, 4096, &v))
        return fail_usage("--max-dk: expected an integer from 1 to 4096, got '%s'", optarg);
      o.sizes.dk_max = v;
      break;
    case 'w':
      if (dp_opt_u64(optarg, 1, 100, &v))
        return fail_usage("--window: expected an integer from 1 to 100, got '%s'", optarg);
      o.env.window = (int)v;
      break;
    case 'o': rdir = optarg, out_given = 1; break;
    case 1: corpus = optarg; break;
    case 10: cooc = optarg; break;
    case 11: vocab = optarg; break;
    case 12: vectors = optarg; break;
    case 13:
      if (dp_opt_u64(optarg, 0, 2, &v))
        return fail_usage("--vectors-model: expected 0, 1 or 2 (glove's -model), got '%s'",
                          optarg);
      vfmt.model = (enum dp_io_glove_model)v;
      vfmt_given = 1;
      break;
    case 14: vfmt.header = 1, vfmt_given = 1; break;
    case 15: vfmt.unk = 1, vfmt_given = 1; break;
    case 16: op_file = optarg; break;
    case 17: seq_file = optarg; break;
    case 18:
      if (dp_opt_u64(optarg, 0, 1, &v))
        return fail_usage("--cooccurrence-symmetric: expected 1 or 0 (cooccur's -symmetric), "
                          "got '%s'", optarg);
      one_sided = v == 0;
      sym_given = 1;
      break;
    case 2: no_corpus = 1; break;
    case 3: no_report = 1; break;
    case 4: o.shrink = 0; break;
    case 'q': quiet = 1; break;
    case 'v': verbose = 1; break;
    case 'h': usage(stdout); return 0;
    case ':': return fail_usage("option '%s' needs an argument", argv[optind - 1]);
    default: return fail_usage("unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind < argc)
    return fail_usage("verify: unexpected argument '%s'", argv[optind]);
  if (corpus && no_corpus)
    return fail_usage("--corpus %s and --no-corpus contradict each other: give one", corpus);
  if (cooc && !vocab)
    return fail_usage("--cooccurrence needs --vocab (its words in id order)%s", "");
  if (vocab && !cooc)
    return fail_usage("--vocab goes with --cooccurrence%s", "");
  if (sym_given && !cooc)
    return fail_usage("--cooccurrence-symmetric describes --cooccurrence%s", "");
  if ((vectors || vfmt_given) && !cooc)
    return fail_usage("--vectors and its layout go with --cooccurrence and --vocab%s", "");
  if (vfmt_given && !vectors)
    return fail_usage("--vectors-model, --vectors-header and --vectors-unk describe --vectors%s",
                      "");
  if (op_file && cooc)
    return fail_usage("--operator and --cooccurrence are two sources: give one%s", "");
  if (seq_file && !op_file && !cooc)
    return fail_usage("--sequence goes with --operator or --cooccurrence (a corpus gives its "
                      "held-out lines)%s", "");
  if (!nsel)
    for (size_t i = 0; i < dp_nclaims; i++)
      sel[nsel++] = dp_claims[i];
  /* A run of some claims never overwrites the full run's report: without -o it goes to a
   * directory of its own below the reports' one, named by what it ran (a replay of one
   * instance: replay-C07-<seed>; else partial-<claims>-<seed>). */
  char own_dir[PATH_MAX];
  if (!out_given && nsel < dp_nclaims) {
    int k = snprintf(own_dir, sizeof own_dir, "%s/%s", rdir,
                     nsel == 1 && o.trials == 1 ? "replay" : "partial");
    for (size_t i = 0; i < nsel && i < 6 && k > 0 && (size_t)k < sizeof own_dir; i++)
      k += snprintf(own_dir + k, sizeof own_dir - (size_t)k, "-%s", sel[i]->id);
    if (nsel > 6 && k > 0 && (size_t)k < sizeof own_dir)
      k += snprintf(own_dir + k, sizeof own_dir - (size_t)k, "-and-%zu-more", nsel - 6);
    if (k > 0 && (size_t)k < sizeof own_dir)
      snprintf(own_dir + k, sizeof own_dir - (size_t)k, "-%llu", (unsigned long long)o.master);
    rdir = own_dir;
  }
  char why[PATH_MAX + 64];
  if (!no_report && report_dir_usable(rdir, why, sizeof why) != 0) {
    fprintf(stderr, "%s: report directory %s: %s (choose another with -o DIR, or --no-report)\n",
            prog, rdir, why);
    return 2;
  }

  /* Every input is read and validated before anything runs: bad input writes nothing. */
  struct dp_progress *stages = dp_progress_new(quiet ? NULL : stderr, isatty(STDERR_FILENO));
  o.env.progress = stages;
  struct dp_text *text = NULL;
  int st = GSL_SUCCESS;
  if (op_file)
    st = dp_text_from_operator(op_file, seq_file, DP_USER_SEQS, DP_USER_R, o.master, &text);
  else if (cooc)
    st = dp_text_from_cooc(cooc, one_sided, vocab, vectors, &vfmt, seq_file, DP_USER_SEQS,
                           DP_USER_R, o.master, &text);
  if (st != GSL_SUCCESS) {
    fprintf(stderr, "%s: %s\n", prog, dp_err_reason());
    return 2;
  }
  o.env.text = text;
  struct dp_corpus *corp = NULL;
  if (corpus && dp_opt_corpus(&corpus) != 0) {
    dp_text_free(text);
    return fail_usage("--corpus %s: that corpus was not built (its Debian package, "
                      "dict-gcide or bible-kjv, was missing at configure time)", corpus);
  }
  if (!no_corpus && (!text || corpus)) {
    if (!corpus)
      corpus = default_corpus();
    if (corpus) {
      struct dp_vocab_opts vo = {1, 0};
      if (dp_corpus_read_p(corpus, &vo, stages, &corp) != GSL_SUCCESS) {
        fprintf(stderr, "%s: %s\n", prog, dp_err_reason());
        return 2;
      }
    } else if (!quiet)
      fprintf(stderr, "%s: no real-text corpus found (use --corpus FILE); real-text rows "
                      "are left out\n", prog);
  }
  o.formal = &dp_formal_built;
  o.env.corpus_path = corp ? corpus : NULL;
  o.env.corpus = corp;
  o.progress = (!quiet && isatty(STDERR_FILENO)) ? stderr : NULL;

  /* The instances several claims share (C07-C10's real text) are built once for the run. */
  o.cache = dp_cache_alloc();
  if (!o.cache) {
    fprintf(stderr, "%s: %s\n", prog, dp_err_reason());
    dp_corpus_free(corp);
    return 2;
  }
  struct dp_run run;
  memset(&run, 0, sizeof run);
  run.opts = o;
  run.res = calloc(nsel, sizeof *run.res);
  run.nres = nsel;
  const char *date = getenv("DPCHECK_DATE");
  if (date) /* "none": a deterministic report, run.date "" as the schema says */
    snprintf(run.date, sizeof run.date, "%s", strcmp(date, "none") ? date : "");
  else {
    time_t now = time(NULL);
    strftime(run.date, sizeof run.date, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
  }
  struct utsname un;
  if (uname(&un) == 0)
    snprintf(run.machine, sizeof run.machine, "%s %s %s", un.sysname, un.release, un.machine);
  if (corp)
    snprintf(run.corpus, sizeof run.corpus, "%s (%zu documents, %zu tokens, V=%zu)%s%.200s",
             corpus, corp->ndoc, corp->ntok, corp->V, text ? "; C18 on " : "",
             text ? text->label : "");
  else if (text)
    snprintf(run.corpus, sizeof run.corpus, "none; C18 on %.200s", text->label);
  else
    snprintf(run.corpus, sizeof run.corpus, "none");

  char trials[32];
  if (o.trials)
    snprintf(trials, sizeof trials, "%u", o.trials);
  else
    snprintf(trials, sizeof trials, "per claim");
  char dk[32] = "";
  if (o.sizes.dk_max)
    snprintf(dk, sizeof dk, " d_k<=%zu", o.sizes.dk_max);
  printf("dpcheck %s  seed %llu  trials %s  R<=%zu V<=%zu%s\nBLAS: %s\ncorpus: %s\n\n",
         PACKAGE_VERSION, (unsigned long long)o.master, trials, o.sizes.R_max, o.sizes.V_max,
         dk, dp_report_blas(), run.corpus);
  dp_term_head(stdout);
  for (size_t i = 0; i < nsel; i++) {
    struct dp_result *r = &run.res[i];
    if (dp_run_claim(sel[i], &o, r) != GSL_SUCCESS) {
      fprintf(stderr, "%s: %s\n", prog, dp_err_reason());
      return 2;
    }
    dp_term_claim(stdout, r, verbose);
    fflush(stdout);
  }
  dp_term_after(stdout, run.res, run.nres, &o.sizes, verbose);
  struct dp_totals tot;
  dp_totals_count(run.res, run.nres, &tot);
  dp_term_findings(stdout, run.res, run.nres, &tot);
  putchar('\n');
  dp_term_totals(stdout, &tot);
  dp_term_standing(stdout, &tot);

  int rc = dp_totals_ok(&tot) ? 0 : 1;
  dp_scope_fill(&run);
  if (!no_report) {
    if (dp_report_write(&run, rdir) != GSL_SUCCESS) {
      fprintf(stderr, "%s: %s\n", prog, dp_err_reason());
      rc = 2;
    } else
      printf("report: %s/index.html, %s/residuals.json\n", rdir, rdir);
  }
  for (size_t i = 0; i < nsel; i++)
    dp_result_free(&run.res[i]);
  free(run.res);
  dp_cache_free(o.cache);
  dp_corpus_free(corp);
  dp_text_free(text);
  dp_progress_free(stages);
  return rc;
}

int main(int argc, char **argv)
{
  dp_err_install();
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(cmd, "--version")) {
    if (argc > 2)
      return fail_usage("--version: unexpected argument '%s'", argv[2]);
    printf("dpcheck %s (GSL %s, BLAS %s, FLINT %s)\n", PACKAGE_VERSION, dp_report_gsl(),
           dp_report_blas(), dp_report_flint());
    return 0;
  }
  if (!strcmp(cmd, "verify"))
    return cmd_verify(argc - 1, argv + 1);
  if (!strcmp(cmd, "dump"))
    return dp_cmd_dump(argc - 1, argv + 1);
  if (!strcmp(cmd, "diff"))
    return dp_cmd_diff(argc - 1, argv + 1);
  if (!strcmp(cmd, "list"))
    return argc == 2 ? cmd_list() : fail_usage("list: unexpected argument '%s'", argv[2]);
  if (!strcmp(cmd, "show"))
    return argc == 3 ? cmd_show(argv[2]) : fail_usage("show: expected one claim id%s", "");
  return fail_usage("unknown command '%s'", cmd);
}
