/* scope.h: what a run of dpcheck did not check, and why, for the report's "Not checked" list. */
#ifndef DP_SCOPE_H
#define DP_SCOPE_H

#include "report.h"

/* Fill run->gaps: the parts of the paper outside the register (always), then what this run
 * left out: registered claims it did not run (--claim), real-text rows without a corpus, and
 * claims or declared parts measured on too few instances.  Call after the claims ran. */
void dp_scope_fill(struct dp_run *run);

#endif
