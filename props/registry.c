/* registry.c: every registered claim, in id order.  A claim joins the run by being listed
 * here; its descriptor lives in props/cNN_<slug>.c. */
#include <strings.h>
#include "registry.h"

extern const struct dp_claim dp_claim_c01, dp_claim_c02, dp_claim_c03, dp_claim_c04,
    dp_claim_c05, dp_claim_c06, dp_claim_c07, dp_claim_c08, dp_claim_c09, dp_claim_c10,
    dp_claim_c11, dp_claim_c12, dp_claim_c13, dp_claim_c14, dp_claim_c15, dp_claim_c16,
    dp_claim_c17, dp_claim_c18;

const struct dp_claim *const dp_claims[] = {
  &dp_claim_c01, &dp_claim_c02, &dp_claim_c03, &dp_claim_c04, &dp_claim_c05, &dp_claim_c06,
  &dp_claim_c07, &dp_claim_c08, &dp_claim_c09, &dp_claim_c10, &dp_claim_c11, &dp_claim_c12,
  &dp_claim_c13, &dp_claim_c14, &dp_claim_c15, &dp_claim_c16, &dp_claim_c17,
  &dp_claim_c18,
};
const size_t dp_nclaims = sizeof dp_claims / sizeof dp_claims[0];
_Static_assert(sizeof dp_claims / sizeof dp_claims[0] <= DP_MAX_CLAIMS,
               "more claims registered than DP_MAX_CLAIMS");

const struct dp_claim *dp_claim_find(const char *id)
{
  for (size_t i = 0; i < dp_nclaims; i++)
    if (strcasecmp(dp_claims[i]->id, id) == 0)
      return dp_claims[i];
  return NULL;
}
