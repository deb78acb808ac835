/* alloc_fail.c: the allocator that fails on request, for the allocation-failure tests.
 *
 * malloc, calloc and realloc are interposed here and forward to glibc's own (free too, so
 * that a program linking this file frees through the same allocator).  Once armed with k,
 * the k-th allocation from then on (counted from 0) returns NULL with errno = ENOMEM, once;
 * disarming says whether that happened.  Every test of a clean failure path arms each
 * allocation of a call in turn and requires a clean error or the undisturbed result. */
#include <errno.h>
#include <stddef.h>
#include "testutil.h"

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);

static long fault_at = -1; /* the allocation that fails, counted from 0; -1: none */
static long fault_count;   /* allocations since the arming */
static int fault_hit;      /* the failure happened */

static int fault_now(void)
{
  if (fault_at < 0 || fault_count++ != fault_at)
    return 0;
  fault_hit = 1;
  fault_at = -1;
  errno = ENOMEM;
  return 1;
}

void *malloc(size_t n) { return fault_now() ? NULL : __libc_malloc(n); }
void *calloc(size_t n, size_t size) { return fault_now() ? NULL : __libc_calloc(n, size); }
void *realloc(void *p, size_t n) { return fault_now() ? NULL : __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }

void alloc_arm(long k)
{
  fault_count = 0;
  fault_hit = 0;
  fault_at = k;
}

int alloc_disarm(void)
{
  fault_at = -1;
  return fault_hit;
}
