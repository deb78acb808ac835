/* seed.h: the seed rule of a run.
 *
 * One master seed (compiled in, overridable with --seed or DPCHECK_SEED) gives every claim's
 * every trial its own instance seed:  s(master, claim, t) = mix(master + t * GAMMA) ^ h(claim),
 * mix = SplitMix64's finaliser, GAMMA its increment, h a hash of the claim id.  Trial t of
 * master m therefore equals trial 0 of master m + t * GAMMA: that sum is the replay seed
 * printed with every counterexample (`dpcheck verify --claim ID --seed <it> --trials 1`). */
#ifndef DP_SEED_H
#define DP_SEED_H

#include <stdint.h>

#define DP_SEED_DEFAULT UINT64_C(20251117)

uint64_t dp_seed_replay(uint64_t master, unsigned trial); /* master + trial * GAMMA */
uint64_t dp_seed_instance(uint64_t replay_seed, const char *claim_id);

#endif
