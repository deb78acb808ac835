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
/* The one rule: trial t of claim C in a run with master seed m uses
 * dp_seed_instance(dp_seed_replay(m, t), C). */
uint64_t dp_seed_trial(uint64_t master, const char *claim_id, unsigned trial);
/* A named substream of a seed: the stream a generator or a check draws for one purpose
 * (e.g. "attention weights"), independent of the others and a pure function of (seed,
 * name), so that a shrunk instance, which keeps its seed, draws what the original drew. */
uint64_t dp_seed_stream(uint64_t seed, const char *name);

#endif
