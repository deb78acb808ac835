/* registry.c: every registered claim, in id order.  A claim joins the run by being listed
 * here; its descriptor lives in props/cNN_<slug>.c. */
#include "claim.h"

extern const struct dp_claim dp_claim_c01, dp_claim_c02, dp_claim_c03, dp_claim_c04,
    dp_claim_c06;

const struct dp_claim *const dp_claims[] = {
  &dp_claim_c01, &dp_claim_c02, &dp_claim_c03, &dp_claim_c04, &dp_claim_c06,
};
const size_t dp_nclaims = sizeof dp_claims / sizeof dp_claims[0];
