/* attn.h: placeholder until its module lands (issue in progress). */
#ifndef DP_ATTN_H
#define DP_ATTN_H
#endif
