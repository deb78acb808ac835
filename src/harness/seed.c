/* seed.c: the one seed rule of a run (seed.h). */
#include "rng.h"
#include "seed.h"

uint64_t dp_seed_replay(uint64_t master, unsigned trial)
{
  return master + (uint64_t)trial * DP_RNG_GAMMA;
}

uint64_t dp_seed_instance(uint64_t replay_seed, const char *claim_id)
{
  return dp_rng_mix(replay_seed) ^ dp_rng_hash(claim_id);
}
