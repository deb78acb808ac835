/* rng.h: the random stream behind every generated instance.
 *
 * xoshiro256** seeded through SplitMix64, dpcheck's own rather than a library's, so that a
 * stream is the same function of its seed on every platform and every version of GSL.  The
 * engine knows no seed rule: how a claim's trial gets its seed is the harness's (seed.h). */
#ifndef DP_RNG_H
#define DP_RNG_H

#include <stdint.h>
#include <stddef.h>

/* SplitMix64's increment (the golden ratio in 64 bits) and its finaliser, a bijection. */
#define DP_RNG_GAMMA UINT64_C(0x9E3779B97F4A7C15)
uint64_t dp_rng_mix(uint64_t z);
/* FNV-1a (64 bits) of n bytes, continuing from h (DP_FNV1A_INIT to start): the one byte hash
 * of dpcheck. */
#define DP_FNV1A_INIT UINT64_C(0xCBF29CE484222325)
uint64_t dp_fnv1a(uint64_t h, const void *p, size_t n);
/* FNV-1a of a string, then mixed: the hash of names (claim ids, substreams). */
uint64_t dp_rng_hash(const char *s);

/* xoshiro256** seeded through SplitMix64: the same stream on every platform. */
typedef struct dp_rng { uint64_t s[4]; int has_spare; double spare; } dp_rng;
void dp_rng_seed(dp_rng *r, uint64_t seed);
uint64_t dp_rng_u64(dp_rng *r);
double dp_rng_uniform(dp_rng *r);                 /* [0, 1), 53 bits */
size_t dp_rng_below(dp_rng *r, size_t n);          /* uniform in 0..n-1, unbiased; n >= 1 */
size_t dp_rng_range(dp_rng *r, size_t lo, size_t hi); /* uniform in lo..hi inclusive */
double dp_rng_gauss(dp_rng *r);                    /* N(0, 1), Marsaglia's polar method */
size_t dp_rng_zipf(dp_rng *r, size_t n);           /* P(i) ~ 1/(i+1), i in 0..n-1 */

#endif
