/* registry.h: the registered claims, in id order (registry.c). */
#ifndef DP_REGISTRY_H
#define DP_REGISTRY_H

#include <stddef.h>
#include "claim.h"

extern const struct dp_claim *const dp_claims[];
extern const size_t dp_nclaims;
/* At most this many claims are registered (checked when registry.c compiles), so a program
 * can hold a selection of them without allocating. */
#define DP_MAX_CLAIMS 32
/* The claim with this id, case folded; NULL when none is registered. */
const struct dp_claim *dp_claim_find(const char *id);

#endif
