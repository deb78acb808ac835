/* dp.h: the dpcheck engine, one header for all of it.
 *
 * dpcheck checks, numerically and where possible exactly, each derivation step of
 * "Self-Attention as Distributional Projection" (N. Mehta, arXiv 2511.13780).  One module per
 * step: cooc (corpus, counts, S), select (Q), project (M, E), spectral, resid (test ratios),
 * rng (seeds, instances), claim (descriptors and runner), report. */
#ifndef DP_H
#define DP_H

#include "tol.h"
#include "err.h"
#include "smat.h"
#include "cooc.h"
#include "select.h"
#include "project.h"
#include "spectral.h"
#include "resid.h"
#include "rng.h"
#include "claim.h"
#include "report.h"
#include "uniq.h"
#include "attn.h"
#include "softmax.h"

#endif
