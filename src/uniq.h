/* uniq.h: placeholder until its module lands (issue in progress). */
#ifndef DP_UNIQ_H
#define DP_UNIQ_H
#endif
