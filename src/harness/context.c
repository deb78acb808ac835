/* context.c: what a claim's hooks get (claim.h, struct dp_ctx): the seeds of the run and the
 * cache of instances that several claims share, built once per run. */
#include <stdlib.h>
#include <string.h>
#include "claim.h"
#include "err.h"
#include "seed.h"

struct dp_cache_entry {
  char key[128];
  char label[200];
  void *obj;
  void (*free)(void *);
};

struct dp_cache {
  struct dp_cache_entry *e;
  size_t n;
};

struct dp_cache *dp_cache_alloc(void)
{
  struct dp_cache *c = calloc(1, sizeof *c);
  if (!c)
    DP_ERROR(GSL_ENOMEM, "cache of shared instances: out of memory");
  return c;
}

void dp_cache_free(struct dp_cache *c)
{
  if (!c)
    return;
  for (size_t i = 0; i < c->n; i++)
    c->e[i].free(c->e[i].obj);
  free(c->e);
  free(c);
}

void *dp_cache_get(const struct dp_cache *c, const char *key, const char **label)
{
  for (size_t i = 0; c && i < c->n; i++)
    if (strcmp(c->e[i].key, key) == 0) {
      if (label)
        *label = c->e[i].label;
      return c->e[i].obj;
    }
  return NULL;
}

int dp_cache_put(struct dp_cache *c, const char *key, void *obj, void (*fr)(void *),
                 const char *label)
{
  struct dp_cache_entry *e = realloc(c->e, (c->n + 1) * sizeof *e);
  if (!e) {
    fr(obj);
    return DP_ERROR(GSL_ENOMEM, "cache of shared instances: out of memory for '%s'", key);
  }
  c->e = e;
  e = &c->e[c->n++];
  snprintf(e->key, sizeof e->key, "%s", key);
  snprintf(e->label, sizeof e->label, "%s", label ? label : "");
  e->obj = obj;
  e->free = fr;
  return GSL_SUCCESS;
}

int dp_ctx_init(struct dp_ctx *x, const struct dp_claim *c, uint64_t master, unsigned trials,
                const struct dp_sizes *sz, const struct dp_env *env, struct dp_cache *cache)
{
  x->claim = c;
  x->master = master;
  x->trials = trials;
  x->sizes = *sz;
  x->env = env;
  x->own = cache ? NULL : dp_cache_alloc();
  x->cache = cache ? cache : x->own;
  return x->cache ? GSL_SUCCESS : GSL_ENOMEM;
}

void dp_ctx_done(struct dp_ctx *x)
{
  dp_cache_free(x->own);
  x->own = x->cache = NULL;
}

uint64_t dp_ctx_trial_seed(const struct dp_ctx *x, unsigned t)
{
  return dp_seed_trial(x->master, x->claim->id, t);
}

uint64_t dp_ctx_stream(const struct dp_ctx *x, const char *name)
{
  return dp_seed_stream(x->master, name);
}
