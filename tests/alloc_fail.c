/* alloc_fail.c: the allocator that fails on request, for the allocation-failure tests.
 *
 * malloc, calloc and realloc are interposed here and forward to glibc's own (free too, so
 * that a program linking this file frees through the same allocator).  Once armed with k,
 * the k-th allocation from then on (counted from 0) returns NULL with errno = ENOMEM, once;
 * disarming says whether that happened.  Every test of a clean failure path arms each
 * allocation of a call in turn and requires a clean error or the undisturbed result.
 *
 * Allocations made by the CBLAS library itself are never failed and not counted: a clean
 * error is impossible there, since a CBLAS call has no way to report one.  OpenBLAS does
 * not even check them: in 0.3.21 (Debian 12), the AVX-512 small-matrix kernels
 * dgemm_small_kernel_nn / _b0_nn (SKYLAKEX and COOPERLAKE, chosen on AVX-512 machines,
 * Intel or AMD) malloc a buffer for a column-major M whose remainder mod 8 is 1 to 4 when
 * K > 15 (a row-major C with N mod 8 in 1..4, e.g. 20 x 12 with K = 20), and write through
 * it unchecked: failing that allocation is a segfault, not an error.  Other kernels (e.g.
 * Haswell) make no allocation there.  The library is the shared object holding
 * cblas_dgemm; its allocations are recognised by the caller's address. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dladdr */
#endif
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <gsl/gsl_cblas.h>
#include "testutil.h"

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);

static long fault_at = -1; /* the allocation that fails, counted from 0; -1: none */
static long fault_count;   /* allocations since the arming */
static int fault_hit;      /* the failure happened */
static void *blas_base;    /* load address of the CBLAS library; NULL: unknown or ours */

/* Find the CBLAS library (once, at the first arming, never inside an allocation).  If
 * cblas_dgemm's address is in this program (a non-PIE link gives a stub here), exempt
 * nothing rather than the program itself. */
static void find_blas(void)
{
  static int done;
  Dl_info blas, self;
  if (done)
    return;
  done = 1;
  if (dladdr((void *)cblas_dgemm, &blas) && dladdr((void *)find_blas, &self) &&
      blas.dli_fbase != self.dli_fbase)
    blas_base = blas.dli_fbase;
}

/* Was the allocation asked for from the CBLAS library (caller's return address `ra`)? */
static int from_blas(const void *ra)
{
  Dl_info di;
  return blas_base && dladdr(ra, &di) && di.dli_fbase == blas_base;
}

static int fault_now(const void *ra)
{
  if (fault_at < 0 || from_blas(ra) || fault_count++ != fault_at)
    return 0;
  fault_hit = 1;
  fault_at = -1;
  errno = ENOMEM;
  return 1;
}

#define CALLER __builtin_return_address(0)
void *malloc(size_t n) { return fault_now(CALLER) ? NULL : __libc_malloc(n); }
void *calloc(size_t n, size_t size) { return fault_now(CALLER) ? NULL : __libc_calloc(n, size); }
void *realloc(void *p, size_t n) { return fault_now(CALLER) ? NULL : __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }

void alloc_arm(long k)
{
  find_blas();
  fault_count = 0;
  fault_hit = 0;
  fault_at = k;
}

int alloc_disarm(void)
{
  fault_at = -1;
  return fault_hit;
}
