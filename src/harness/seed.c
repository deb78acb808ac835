/* seed.c: the one seed rule of a run (seed.h). */
#include "rng.h"
#include "seed.h"

uint64_t dp_seed_replay(uint64_t master, unsigned trial)
{
  return master + (uint64_t)trial * DP_RNG_GAMMA;
}

uint64_t dp_seed_instance(uint64_t replay_seed, const char *claim_id)
{
  return dp_seed_stream(replay_seed, claim_id); /* a claim's instances: the claim's stream */
}

uint64_t dp_seed_trial(uint64_t master, const char *claim_id, unsigned trial)
{
  return dp_seed_instance(dp_seed_replay(master, trial), claim_id);
}

uint64_t dp_seed_stream(uint64_t seed, const char *name)
{
  return dp_rng_mix(seed) ^ dp_rng_hash(name);
}
