/* formal.h: what the build proved, compiled into the program (src/formal_table.c, generated
 * by tools/formal-c.sh from proofs/formal.tsv, or saying why there are no proofs). */
#ifndef DP_FORMAL_H
#define DP_FORMAL_H

#include "claim.h"

extern const struct dp_formal_build dp_formal_built;

#endif
