/* dump.h: `dpcheck dump`, one attention instance written out in full (S, the sequence, Q, M,
 * E, the weights, the logits, the softmax weights and a manifest) as Matrix Market files, so
 * that any matrix dpcheck checks can be rechecked in another tool.  The files and the
 * manifest's keys are described in docs/formats.md. */
#ifndef DP_DUMP_H
#define DP_DUMP_H

/* argv[0] is "dump"; returns the exit status: 0 written, 1 the engine failed (nothing
 * written), 2 bad usage or bad input, or the output could not be written (one line on stderr
 * naming the input or the file; nothing left behind). */
int dp_cmd_dump(int argc, char **argv);

#endif
