/* diff.h: `dpcheck diff OLD NEW`, what changed between two runs' residuals.json: claims in
 * one run only, verdicts and standings, worst figures beyond a factor, false-twin states,
 * findings, and the summary's counts, one change a line in claim-id order. */
#ifndef DP_DIFF_H
#define DP_DIFF_H

/* argv[0] is "diff"; returns the exit status, as diff(1): 0 no change, 1 changes found,
 * 2 bad usage or bad input (one line on stderr naming the file; nothing on stdout). */
int dp_cmd_diff(int argc, char **argv);

#endif
