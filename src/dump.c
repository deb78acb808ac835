/* dump.c: `dpcheck dump`, every intermediate of one attention instance written out.
 *
 *   dpcheck dump --seed N --trial T -o DIR        trial T of claim C08 under master seed N
 *   dpcheck dump --corpus FILE [--words N] [--op log1p|ppmi] [--window C] -o DIR
 *                                                 the real-text instance of C07-C10's rows
 *
 * Into DIR: S.mtx, sequence.txt, Q.mtx, M.mtx, E.mtx, W_E.mtx, W_Q.mtx, W_K.mtx, W_V.mtx,
 * logits.mtx, A.mtx and manifest.txt (docs/formats.md).  Each matrix is computed by the
 * engine's own functions, the ones the claims call, and written by the engine's Matrix Market
 * writer (%.17g: a value reads back bit for bit).  Every option is validated, the corpus read
 * and the instance built and computed before anything is written; the files then go, each
 * through the engine's atomic writer (atomic.h), into a fresh DIR.tmp-XXXXXX beside DIR, which
 * is renamed to DIR only when all were written, and removed on any failure.  DIR may be absent or an empty directory; anything else is refused,
 * so nothing is overwritten. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config.h"
#include "atomic.h"
#include "attn.h"
#include "cooc.h"
#include "err.h"
#include "options.h"
#include "io.h"
#include "project.h"
#include "select.h"
#include "smat.h"
#include "softmax.h"
#include "claim.h"
#include "family_attn.h"
#include "registry.h"
#include "seed.h"
#include "dump.h"

/* The claim whose generated instances are dumped: the attention family's realisable
 * instances, which C07, C08 and C10 check. */
#define DUMP_CLAIM "C08"
/* verify's defaults, so that the same options name the same instance */
#define DUMP_DEFAULT_WINDOW 5
#define DUMP_MAX_SIZE 4096

static const char who[] = "dpcheck dump";

struct dump_opts {
  uint64_t master;
  unsigned trial;
  struct dp_sizes sizes;
  const char *corpus; /* NULL: a generated instance */
  size_t words;
  int op;
  int window;
  char *out; /* DIR without trailing slashes (malloc'd) */
  int set_trial, set_V, set_dk, set_words, set_op, set_window;
};

static void usage(FILE *f)
{
  fprintf(f,
"Usage: dpcheck dump [--seed N] [--trial T] [SIZES] -o DIR\n"
"       dpcheck dump --corpus FILE [--words N] [--op log1p|ppmi] [--window C] [--seed N]\n"
"                    [--max-R N] -o DIR\n"
"\n"
"Writes every intermediate of one attention instance into DIR (absent or empty; refused\n"
"otherwise), so that it can be rechecked in another tool (README: \"Rechecking a dump in\n"
"numpy\"): S.mtx, sequence.txt (1-based token ids; for text also the words), Q.mtx, M.mtx\n"
"(Q S Q^T), E.mtx (M Q S), W_E.mtx, W_Q.mtx, W_K.mtx, W_V.mtx (W_E^+ S), logits.mtx\n"
"(H W_Q W_K^T H^T / sqrt(d_k), H = Q W_E), A.mtx (row softmax of the logits) and\n"
"manifest.txt (how the instance was built, the command that reproduces it, every file's\n"
"shape, formula and claims; docs/formats.md).  Matrix Market, values %%.17g.\n"
"\n"
"  -o, --output DIR        where the files go (required)\n"
"  -s, --seed N            master seed, decimal or 0x-hex (default %llu, or $DPCHECK_SEED)\n"
"  -t, --trial T           the instance of trial T of claim " DUMP_CLAIM " (default 0): the one\n"
"                          'dpcheck verify --claim " DUMP_CLAIM " --seed N' checks as its trial T\n"
"  -R, --max-R N           longest sequence (default %d; real text: its first N tokens,\n"
"                          default %d)\n"
"  -V, --max-V N           largest vocabulary of the generated instance (default %d)\n"
"      --max-dk N          widest d_k of the generated instance (default: the family's own)\n"
"      --corpus FILE       the real-text instance of C07-C10's rows instead ('kjv' and\n"
"                          'large' name the corpora built with dpcheck): UTF-8, one\n"
"                          document a line\n"
"      --words N           its vocabulary: the words of the first documents, at least N\n"
"                          (default %d)\n"
"      --op log1p|ppmi     its operator S = op(X) (default log1p)\n"
"  -w, --window C          window of its counts (default %d)\n"
"\n"
"Exit status: 0 written; 1 the engine failed; 2 bad usage or bad input, or DIR could not be\n"
"written (one line on stderr naming it; nothing is left behind).\n",
          (unsigned long long)DP_SEED_DEFAULT, DP_SIZES_DEFAULT_R, DP_ATTN_REAL_R,
          DP_SIZES_DEFAULT_V, DP_ATTN_REAL_WORDS, DUMP_DEFAULT_WINDOW);
}

#define fail(...) dp_opt_fail(who, __VA_ARGS__)

/* DIR must be absent or an empty directory: 0, else the error's exit status. */
static int out_check(const char *dir)
{
  struct stat sb;
  if (stat(dir, &sb) != 0)
    return errno == ENOENT ? 0 : fail("-o %s: %s", dir, strerror(errno));
  if (!S_ISDIR(sb.st_mode))
    return fail("-o %s: exists and is not a directory (nothing is overwritten)", dir);
  DIR *d = opendir(dir);
  if (!d)
    return fail("-o %s: %s", dir, strerror(errno));
  struct dirent *e;
  int empty = 1;
  while (empty && (e = readdir(d)))
    empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
  closedir(d);
  return empty ? 0 : fail("-o %s: the directory is not empty (nothing is overwritten)", dir);
}

static int parse(int argc, char **argv, struct dump_opts *o)
{
  static const struct option longopts[] = {
    {"output", required_argument, 0, 'o'}, {"seed", required_argument, 0, 's'},
    {"trial", required_argument, 0, 't'},  {"max-R", required_argument, 0, 'R'},
    {"max-V", required_argument, 0, 'V'},  {"max-dk", required_argument, 0, 1},
    {"corpus", required_argument, 0, 2},   {"words", required_argument, 0, 3},
    {"op", required_argument, 0, 4},       {"window", required_argument, 0, 'w'},
    {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
  unsigned long long v;
  int set_R = 0;
  const char *env_seed = getenv("DPCHECK_SEED"), *out = NULL;
  o->master = DP_SEED_DEFAULT;
  o->sizes.R_max = DP_SIZES_DEFAULT_R;
  o->sizes.V_max = DP_SIZES_DEFAULT_V;
  o->words = DP_ATTN_REAL_WORDS;
  o->op = DP_SOP_LOG1P;
  o->window = DUMP_DEFAULT_WINDOW;
  if (env_seed && *env_seed) {
    if (dp_opt_u64(env_seed, 0, ULLONG_MAX, &v))
      return fail("DPCHECK_SEED: not a 64-bit unsigned integer: '%s'", env_seed);
    o->master = v;
  }
  optind = 1;
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, ":o:s:t:R:V:w:h", longopts, NULL)) != -1) {
    switch (ch) {
    case 'o': out = optarg; break;
    case 's':
      if (dp_opt_u64(optarg, 0, ULLONG_MAX, &v))
        return fail("--seed: not a 64-bit unsigned integer: '%s'", optarg);
      o->master = v;
      break;
    case 't':
      if (dp_opt_u64(optarg, 0, UINT_MAX, &v))
        return fail("--trial: expected an integer from 0 to %u, got '%s'", UINT_MAX, optarg);
      o->trial = (unsigned)v, o->set_trial = 1;
      break;
    case 'R':
      if (dp_opt_u64(optarg, 1, DUMP_MAX_SIZE, &v))
        return fail("--max-R: expected an integer from 1 to %d, got '%s'", DUMP_MAX_SIZE, optarg);
      o->sizes.R_max = v, set_R = 1;
      break;
    case 'V':
      if (dp_opt_u64(optarg, 1, DUMP_MAX_SIZE, &v))
        return fail("--max-V: expected an integer from 1 to %d, got '%s'", DUMP_MAX_SIZE, optarg);
      o->sizes.V_max = v, o->set_V = 1;
      break;
    case 1:
      if (dp_opt_u64(optarg, 1, DUMP_MAX_SIZE, &v))
        return fail("--max-dk: expected an integer from 1 to %d, got '%s'", DUMP_MAX_SIZE,
                    optarg);
      o->sizes.dk_max = v, o->set_dk = 1;
      break;
    case 2:
      o->corpus = optarg;
      if (dp_opt_corpus(&o->corpus) != 0)
        return fail("--corpus %s: that corpus was not built (its Debian package was missing at "
                    "configure time)", optarg);
      break;
    case 3:
      if (dp_opt_u64(optarg, 2, DUMP_MAX_SIZE, &v))
        return fail("--words: expected an integer from 2 to %d, got '%s'", DUMP_MAX_SIZE, optarg);
      o->words = v, o->set_words = 1;
      break;
    case 4:
      if (!strcmp(optarg, "log1p"))
        o->op = DP_SOP_LOG1P;
      else if (!strcmp(optarg, "ppmi"))
        o->op = DP_SOP_PPMI;
      else
        return fail("--op: expected log1p or ppmi, got '%s'", optarg);
      o->set_op = 1;
      break;
    case 'w':
      if (dp_opt_u64(optarg, 1, 100, &v))
        return fail("--window: expected an integer from 1 to 100, got '%s'", optarg);
      o->window = (int)v, o->set_window = 1;
      break;
    case 'h': usage(stdout); return -1;
    case ':': return fail("option '%s' needs an argument (see 'dpcheck dump --help')",
                          argv[optind - 1]);
    default: return fail("unknown option '%s' (see 'dpcheck dump --help')", argv[optind - 1]);
    }
  }
  if (optind < argc)
    return fail("unexpected argument '%s' (see 'dpcheck dump --help')", argv[optind]);
  if (o->corpus && (o->set_trial || o->set_V || o->set_dk))
    return fail("--%s: only for a generated instance, not with --corpus",
                o->set_trial ? "trial" : o->set_V ? "max-V" : "max-dk");
  if (!o->corpus && (o->set_words || o->set_op || o->set_window))
    return fail("--%s: only with --corpus", o->set_words ? "words" : o->set_op ? "op" : "window");
  if (o->corpus && !set_R)
    o->sizes.R_max = DP_ATTN_REAL_R;
  if (!out || !*out)
    return fail("-o DIR is required (see 'dpcheck dump --help')");
  size_t n = strlen(out);
  while (n > 1 && out[n - 1] == '/')
    n--;
  o->out = malloc(n + 1);
  if (!o->out)
    return fail("out of memory");
  memcpy(o->out, out, n);
  o->out[n] = '\0';
  return out_check(o->out);
}

/* --- the instance and its matrices -------------------------------------------------------- */

struct dump {
  struct dp_attn_inst *x;
  const struct dp_claim *claim;    /* generated: C08 */
  struct dp_corpus *corp;          /* real text */
  uint64_t inst_seed;              /* generated: the trial's seed; text: the "real text" stream */
  char built[300];
  gsl_matrix *Q, *M, *QS, *E, *L, *A, *W_V;
  dp_smat *Qs;                     /* Q as a sparse matrix, written as coordinates */
  size_t vrank;                    /* rank of W_E found by the pseudo-inverse */
  double cond;                     /* its condition number */
};

static void dump_free(struct dump *m)
{
  dp_attn_inst_free(m->x);
  dp_corpus_free(m->corp);
  gsl_matrix_free(m->Q);
  gsl_matrix_free(m->M);
  gsl_matrix_free(m->QS);
  gsl_matrix_free(m->E);
  gsl_matrix_free(m->L);
  gsl_matrix_free(m->A);
  gsl_matrix_free(m->W_V);
  dp_smat_free(m->Qs);
}

/* The instance, as the runner (generated) or the real-text rows (text) build it.  GSL status;
 * *bad_input is set when the failure is the corpus's. */
static int build(const struct dump_opts *o, struct dump *m, int *bad_input)
{
  if (!o->corpus) {
    m->claim = dp_claim_find(DUMP_CLAIM);
    if (!m->claim || m->claim->gen != &dp_gen_attn)
      return DP_ERROR(GSL_ESANITY, "claim %s does not draw attention instances", DUMP_CLAIM);
    m->inst_seed = dp_seed_trial(o->master, m->claim->id, o->trial);
    m->x = m->claim->gen->make(m->inst_seed, &o->sizes);
    if (!m->x)
      return DP_ERROR(GSL_ENOMEM, "the instance of trial %u could not be made: %s", o->trial,
                      dp_err_reason());
    dp_attn_inst_describe(m->x, m->built, sizeof m->built);
    return GSL_SUCCESS;
  }
  struct dp_vocab_opts vo = {1, 0}; /* as verify reads it: every word kept */
  *bad_input = 1;
  int st = dp_corpus_read(o->corpus, &vo, &m->corp);
  if (st != GSL_SUCCESS)
    return st;
  struct dp_env env = {.corpus_path = o->corpus, .corpus = m->corp, .window = o->window};
  m->inst_seed = dp_seed_stream(o->master, "real text");
  st = dp_attn_inst_real(&env, o->words, o->sizes.R_max, o->op, m->inst_seed, &m->x,
                             m->built, sizeof m->built);
  if (st != GSL_SUCCESS)
    return DP_ERROR(st, "%s: %s", o->corpus, dp_err_reason());
  *bad_input = 0;
  return GSL_SUCCESS;
}

/* Every matrix, by the functions the claims call: M = Q S Q^T and E = M (Q S) as C02-C06, the
 * scaled logits as C08 and C10 (dp_attn_scores: dp_attn_embed, then dp_attn_logits, then
 * 1/sqrt(d_k)), W_V = W_E^+ S as C10, the row softmax as C11-C13. */
static int compute(struct dump *m)
{
  const struct dp_inst *b = m->x->base;
  size_t R = b->R, V = b->V, d = m->x->d;
  int st = dp_select_Q(b->t, R, V, &m->Q);
  if (st != GSL_SUCCESS)
    return st;
  m->M = gsl_matrix_alloc(R, R);
  m->QS = gsl_matrix_alloc(R, V);
  m->E = gsl_matrix_alloc(R, V);
  m->L = gsl_matrix_alloc(R, R);
  m->A = gsl_matrix_alloc(R, R);
  m->W_V = gsl_matrix_alloc(d, V);
  size_t *rows = malloc(R * sizeof *rows);
  double *ones = malloc(R * sizeof *ones);
  st = dp_alloc_ok("dump", 8, (void *[]){m->M, m->QS, m->E, m->L, m->A, m->W_V, rows, ones});
  if (st == GSL_SUCCESS)
    st = dp_project_M_dense(m->Q, b->S, m->M);
  if (st == GSL_SUCCESS)
    st = dp_select_rows(b->S, b->t, R, m->QS);
  if (st == GSL_SUCCESS)
    st = dp_project_E(m->M, m->QS, m->E);
  if (st == GSL_SUCCESS)
    st = dp_attn_scores(b->t, R, m->x->W_E, m->x->W_Q, m->x->W_K, m->L, NULL);
  if (st == GSL_SUCCESS)
    st = dp_softmax_rows(m->L, 1.0, NULL, m->A, NULL);
  if (st == GSL_SUCCESS)
    st = dp_attn_values(m->x->W_E, b->S, m->W_V, &m->vrank, &m->cond);
  if (st == GSL_SUCCESS) {
    for (size_t i = 0; i < R; i++)
      rows[i] = i, ones[i] = 1.0;
    st = dp_smat_from_triplets(R, V, DP_SMAT_SPARSE, R, rows, b->t, ones, &m->Qs);
  }
  free(rows);
  free(ones);
  return st;
}

/* --- writing -------------------------------------------------------------------------------- */

/* What each file holds: name, formula, claims whose statements it lets one recheck. */
struct dump_file {
  const char *name;
  const gsl_matrix *A; /* NULL: Q (sparse) or a text file */
  int symmetric;
  const char *formula, *claims;
};

/* A word of a shell command, quoted when it needs to be. */
static void put_word(FILE *f, const char *s)
{
  int plain = *s != '\0';
  for (const char *p = s; *p && plain; p++)
    plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:=+,-",
                   *p) != NULL;
  if (plain) {
    fputs(s, f);
    return;
  }
  fputc('\'', f);
  for (const char *p = s; *p; p++)
    *p == '\'' ? fputs("'\\''", f) : fputc(*p, f);
  fputc('\'', f);
}

/* The command that reproduces the dump (every option spelt out, defaults included). */
static void put_command(FILE *f, const struct dump_opts *o)
{
  fprintf(f, "dpcheck dump");
  if (o->corpus) {
    fputs(" --corpus ", f);
    put_word(f, o->corpus);
    fprintf(f, " --words %zu --op %s --window %d", o->words, dp_sop_name((enum dp_sop)o->op),
            o->window);
  }
  fprintf(f, " --seed %llu", (unsigned long long)o->master);
  if (!o->corpus) {
    fprintf(f, " --trial %u --max-R %zu --max-V %zu", o->trial, o->sizes.R_max, o->sizes.V_max);
    if (o->sizes.dk_max)
      fprintf(f, " --max-dk %zu", o->sizes.dk_max);
  } else
    fprintf(f, " --max-R %zu", o->sizes.R_max);
  fputs(" -o ", f);
  put_word(f, o->out);
  fputc('\n', f);
}

static int put_manifest(FILE *f, const struct dump_opts *o, const struct dump *m,
                        const struct dump_file *files, size_t nfiles, int argc, char **argv)
{
  const struct dp_attn_inst *x = m->x;
  const struct dp_inst *b = x->base;
  fprintf(f, "format: dpcheck dump 1\ndpcheck-version: %s\ncommand: ", PACKAGE_VERSION);
  put_command(f, o);
  fputs("invoked: dpcheck", f);
  for (int i = 0; i < argc; i++) {
    fputc(' ', f);
    put_word(f, argv[i]);
  }
  fputc('\n', f);
  if (!o->corpus) {
    fprintf(f, "instance: generated\nclaim: %s\nfamily: %s\nseed: %llu\ntrial: %u\n"
               "replay-seed: %llu\ninstance-seed: %llu\n",
            m->claim->id, m->claim->gen->name, (unsigned long long)o->master, o->trial,
            (unsigned long long)dp_seed_replay(o->master, o->trial),
            (unsigned long long)m->inst_seed);
    fprintf(f, "max-R: %zu\nmax-V: %zu\nmax-dk: ", o->sizes.R_max, o->sizes.V_max);
    if (o->sizes.dk_max)
      fprintf(f, "%zu\n", o->sizes.dk_max);
    else
      fputs("the family's own\n", f);
    int sized = o->sizes.R_max != DP_SIZES_DEFAULT_R || o->sizes.V_max != DP_SIZES_DEFAULT_V ||
                o->sizes.dk_max;
    fprintf(f, "checked-by: dpcheck verify --claim %s --seed %llu%s, as its trial %u (alone: "
               "dpcheck verify --claim %s --seed %llu --trials 1%s)\n",
            m->claim->id, (unsigned long long)o->master,
            sized ? " with the same --max-R, --max-V, --max-dk" : "", o->trial, m->claim->id,
            (unsigned long long)dp_seed_replay(o->master, o->trial), sized ? " and the sizes" : "");
  } else {
    fputs("instance: real text\ncorpus: ", f);
    put_word(f, o->corpus);
    fprintf(f, "\ncorpus-size: %zu documents, %zu tokens, %zu words\nwords: %zu\nop: %s\n"
               "window: %d\nweighting: 1/|k|\nseed: %llu\ninstance-seed: %llu (the seed's "
               "\"real text\" stream: W_Q and W_K)\nmax-R: %zu\n",
            m->corp->ndoc, m->corp->ntok, m->corp->V, o->words, dp_sop_name((enum dp_sop)o->op),
            o->window, (unsigned long long)o->master, (unsigned long long)m->inst_seed,
            o->sizes.R_max);
    fprintf(f, "checked-by: %s\n",
            o->words == DP_ATTN_REAL_WORDS && o->sizes.R_max == DP_ATTN_REAL_R
                ? "the real-text rows of C07-C10 with this operator (dpcheck verify with the "
                  "same --seed, --corpus and --window)"
                : "no row of dpcheck verify (its real-text rows use the default --words and "
                  "--max-R)");
  }
  fprintf(f, "built: %s\nR: %zu\nV: %zu\nd: %zu\nd_k: %zu\n", m->built, b->R, b->V, x->d,
          x->d_k);
  fprintf(f, "W_E-rank: %zu\nW_E-cond: %.17g\n", m->vrank, m->cond);
  fputs("files: name | shape | layout | formula | claims it lets one recheck\n", f);
  for (size_t i = 0; i < nfiles; i++) {
    const struct dump_file *p = &files[i];
    size_t r, c;
    const char *layout;
    if (!strcmp(p->name, "manifest.txt")) {
      fprintf(f, "file: %s | - | text: key: value | %s | %s\n", p->name, p->formula, p->claims);
      continue;
    }
    if (!strcmp(p->name, "sequence.txt"))
      r = 1, c = b->R, layout = o->corpus ? "text: ids (1-based), then words" : "text: ids (1-based)";
    else if (!p->A)
      r = b->R, c = b->V, layout = "coordinate real general";
    else
      r = p->A->size1, c = p->A->size2,
      layout = p->symmetric ? "array real symmetric" : "array real general";
    fprintf(f, "file: %s | %zu x %zu | %s | %s | %s\n", p->name, r, c, layout, p->formula,
            p->claims);
  }
  return ferror(f) ? GSL_EFAILED : GSL_SUCCESS;
}

static int put_sequence(FILE *f, const struct dump_opts *o, const struct dump *m)
{
  const struct dp_inst *b = m->x->base;
  for (size_t i = 0; i < b->R; i++)
    fprintf(f, "%s%zu", i ? " " : "", b->t[i] + 1);
  fputc('\n', f);
  if (o->corpus && m->corp->vocab) { /* the first R tokens of the corpus are the sequence */
    for (size_t i = 0; i < b->R; i++)
      fprintf(f, "%s%s", i ? " " : "", m->corp->vocab->words[m->corp->tok[i]]);
    fputc('\n', f);
  }
  return ferror(f) ? GSL_EFAILED : GSL_SUCCESS;
}

struct text_args {
  const struct dump_opts *o;
  const struct dump *m;
  const struct dump_file *files;
  size_t nfiles;
  int argc;
  char **argv;
};
static int put_manifest_cb(FILE *f, const void *p)
{
  const struct text_args *a = p;
  return put_manifest(f, a->o, a->m, a->files, a->nfiles, a->argc, a->argv);
}
static int put_sequence_cb(FILE *f, const void *p)
{
  const struct text_args *a = p;
  return put_sequence(f, a->o, a->m);
}

/* Remove the temporary directory and whatever is in it (files only: it is ours). */
static void remove_tmp(const char *tmp)
{
  DIR *d = opendir(tmp);
  if (d) {
    struct dirent *e;
    char path[PATH_MAX];
    while ((e = readdir(d)))
      if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
          snprintf(path, sizeof path, "%s/%s", tmp, e->d_name) < (int)sizeof path)
        unlink(path);
    closedir(d);
  }
  rmdir(tmp);
}

static int write_all(const struct dump_opts *o, const struct dump *m, int argc, char **argv)
{
  const struct dp_attn_inst *x = m->x;
  const struct dp_inst *b = x->base;
  const char *we = o->corpus ? "W_E = U_r |L_r|^(1/2) of S (dp_attn_realise), zero columns after r"
                             : "W_E, the instance's embedding (see built)";
  const struct dump_file files[] = {
    {"S.mtx", b->S, 1, "S, the symmetric co-occurrence operator on the V words",
     "C02 C03 C04 C06 C08 C10 (C08: factorise S as W_E W_Q W_K^T W_E^T / sqrt(d_k))"},
    {"sequence.txt", NULL, 0, "t, the R tokens (1-based word ids)", "C02 C06"},
    {"Q.mtx", NULL, 0, "Q_ia = [t_i = a], the one-hot selector", "C02 C06"},
    {"M.mtx", m->M, 1, "M = Q S Q^T (M_ij = S_{t_i t_j})", "C02 C03 C04 C06"},
    {"E.mtx", m->E, 0, "E = M (Q S) = Q S D S, D = Q^T Q", "C06"},
    {"W_E.mtx", x->W_E, 0, we, "C07 C10"},
    {"W_Q.mtx", x->W_Q, 0, "W_Q, the query weights", "C07"},
    {"W_K.mtx", x->W_K, 0, "W_K, the key weights", "C07"},
    {"W_V.mtx", m->W_V, 0, "W_V = W_E^+ S (SVD pseudo-inverse; see W_E-rank, W_E-cond)", "C10"},
    {"logits.mtx", m->L, 0, "H W_Q W_K^T H^T / sqrt(d_k), H = Q W_E",
     "C07 (times sqrt(d_k): Q W_E W_Q W_K^T W_E^T Q^T)"},
    {"A.mtx", m->A, 0, "row softmax of logits.mtx (rows sum to 1)",
     "C11-C13's softmax (their instances are their own)"},
    {"manifest.txt", NULL, 0, "how the dump was made, and this list", "-"},
  };
  size_t nfiles = sizeof files / sizeof files[0];
  struct text_args ta = {o, m, files, nfiles, argc, argv};
  size_t n = strlen(o->out) + 32;
  char *tmp = malloc(n), *path = malloc(n + 32);
  if (!tmp || !path) {
    free(tmp);
    free(path);
    return fail("out of memory");
  }
  snprintf(tmp, n, "%s.tmp-XXXXXX", o->out);
  if (!mkdtemp(tmp)) {
    int rc = fail("-o %s: cannot create %s: %s", o->out, tmp, strerror(errno));
    free(tmp);
    free(path);
    return rc;
  }
  /* mkdtemp makes it private (0700); DIR gets the mode of any directory made here */
  mode_t mask = umask(0);
  umask(mask);
  int st = chmod(tmp, 0777 & ~mask) == 0 ? GSL_SUCCESS
                                         : DP_ERROR(GSL_EFAILED, "%s: %s", tmp, strerror(errno));
  for (size_t i = 0; i < nfiles && st == GSL_SUCCESS; i++) {
    const struct dump_file *p = &files[i];
    snprintf(path, n + 32, "%s/%s", tmp, p->name);
    if (!strcmp(p->name, "manifest.txt"))
      st = dp_atomic_write(path, put_manifest_cb, &ta);
    else if (!strcmp(p->name, "sequence.txt"))
      st = dp_atomic_write(path, put_sequence_cb, &ta);
    else if (!p->A)
      st = dp_io_mtx_write(path, m->Qs, 0);
    else {
      /* a view of the matrix: the writer only reads it */
      gsl_matrix view = *p->A;
      dp_smat w = {DP_SMAT_DENSE, view.size1, view.size2, &view, NULL};
      st = dp_io_mtx_write(path, &w, p->symmetric);
    }
  }
  int rc = 0;
  if (st != GSL_SUCCESS)
    rc = fail("%s", dp_err_reason());
  else if (rename(tmp, o->out) != 0)
    rc = fail("-o %s: cannot rename %s to it: %s", o->out, tmp, strerror(errno));
  if (rc)
    remove_tmp(tmp);
  free(tmp);
  free(path);
  return rc;
}

int dp_cmd_dump(int argc, char **argv)
{
  struct dump_opts o;
  memset(&o, 0, sizeof o);
  int rc = parse(argc, argv, &o);
  if (rc) {
    free(o.out);
    return rc < 0 ? 0 : rc;
  }
  struct dump m;
  memset(&m, 0, sizeof m);
  int bad_input = 0;
  if (build(&o, &m, &bad_input) != GSL_SUCCESS)
    rc = bad_input ? fail("%s", dp_err_reason()) : (fail("%s", dp_err_reason()), 1);
  else if (compute(&m) != GSL_SUCCESS)
    rc = (fail("computing the instance's matrices: %s", dp_err_reason()), 1);
  else
    rc = write_all(&o, &m, argc, argv);
  if (!rc)
    printf("%s: %s (R=%zu, V=%zu, d=%zu, d_k=%zu)\n", o.out, m.built, m.x->base->R,
           m.x->base->V, m.x->d, m.x->d_k);
  dump_free(&m);
  free(o.out);
  return rc;
}
