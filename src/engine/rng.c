/* rng.c: the random stream behind every generated instance (rng.h). */
#include <math.h>
#include <string.h>
#include "rng.h"

uint64_t dp_rng_mix(uint64_t z)
{
  /* SplitMix64's finaliser (Steele, Lea, Flood 2014): a bijection on 64-bit words. */
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}

uint64_t dp_fnv1a(uint64_t h, const void *p, size_t n)
{
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) {
    h ^= b[i];
    h *= UINT64_C(0x100000001B3);
  }
  return h;
}

uint64_t dp_rng_hash(const char *s)
{
  return dp_rng_mix(dp_fnv1a(DP_FNV1A_INIT, s, strlen(s)));
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void dp_rng_seed(dp_rng *r, uint64_t seed)
{
  uint64_t z = seed;
  for (int i = 0; i < 4; i++) {
    z += DP_RNG_GAMMA;
    r->s[i] = dp_rng_mix(z);
  }
  r->has_spare = 0;
  r->spare = 0.0;
}

uint64_t dp_rng_u64(dp_rng *r)
{
  uint64_t *s = r->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double dp_rng_uniform(dp_rng *r)
{
  return (double)(dp_rng_u64(r) >> 11) * 0x1.0p-53;
}

size_t dp_rng_below(dp_rng *r, size_t n)
{
  if (n <= 1)
    return 0;
  /* Lemire's rejection: unbiased for any n. */
  uint64_t limit = UINT64_MAX - UINT64_MAX % (uint64_t)n;
  uint64_t x;
  do
    x = dp_rng_u64(r);
  while (x >= limit);
  return (size_t)(x % (uint64_t)n);
}

size_t dp_rng_range(dp_rng *r, size_t lo, size_t hi)
{
  if (hi <= lo)
    return lo;
  return lo + dp_rng_below(r, hi - lo + 1);
}

double dp_rng_gauss(dp_rng *r)
{
  if (r->has_spare) {
    r->has_spare = 0;
    return r->spare;
  }
  double u, v, s;
  do {
    u = 2.0 * dp_rng_uniform(r) - 1.0;
    v = 2.0 * dp_rng_uniform(r) - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  double f = sqrt(-2.0 * log(s) / s);
  r->spare = v * f;
  r->has_spare = 1;
  return u * f;
}

size_t dp_rng_zipf(dp_rng *r, size_t n)
{
  if (n <= 1)
    return 0;
  double h = 0.0;
  for (size_t i = 0; i < n; i++)
    h += 1.0 / (double)(i + 1);
  double u = dp_rng_uniform(r) * h, acc = 0.0;
  for (size_t i = 0; i < n; i++) {
    acc += 1.0 / (double)(i + 1);
    if (u < acc)
      return i;
  }
  return n - 1;
}
