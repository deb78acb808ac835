/* versions.c: what dpcheck was built with and runs against, as one string each (compiler,
 * GSL, BLAS, FLINT, Check), for the report's run metadata.  The GSL version is the library
 * actually loaded, with the configure-time one beside it only when they differ; the BLAS
 * string is OpenBLAS's own description of its build when that is the CBLAS in use. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <gsl/gsl_version.h>
#include <flint/flint.h>

#include "report.h"

#ifndef DP_CBLAS_NAME
#define DP_CBLAS_NAME "unknown"
#endif

#ifdef DP_CBLAS_OPENBLAS
/* OpenBLAS's own description of its build, and the threads it runs (cblas.h declares both). */
char *openblas_get_config(void);
int openblas_get_num_threads(void);
#endif

#define DP_STR_(x) #x
#define DP_STR(x) DP_STR_(x)

const char *dp_report_compiler(void)
{
#if defined(__clang__)
  return __VERSION__; /* "Debian Clang 14.0.6", names itself */
#elif defined(__GNUC__)
  return "gcc " __VERSION__;
#elif defined(__VERSION__)
  return __VERSION__;
#else
  return "unknown C compiler";
#endif
}

const char *dp_report_gsl(void)
{
  /* The library actually loaded; the configure-time version only when it differs. */
  static char buf[96];
  const char *lib = gsl_version != NULL ? gsl_version : GSL_VERSION;
#ifdef DP_GSL_VERSION
  if (strcmp(lib, DP_GSL_VERSION) != 0) {
    snprintf(buf, sizeof buf, "%s (configured with %s)", lib, DP_GSL_VERSION);
    return buf;
  }
#endif
  snprintf(buf, sizeof buf, "%s", lib);
  return buf;
}

const char *dp_report_blas(void)
{
#ifdef DP_CBLAS_OPENBLAS
  static char buf[256];
  const char *cfg = openblas_get_config();
  size_t n;
  snprintf(buf, sizeof buf, "%s (%s)", DP_CBLAS_NAME, cfg != NULL ? cfg : "no configuration");
  /* openblas_get_config ends with a space in some builds: drop it before the ')'. */
  n = strlen(buf);
  if (n >= 2 && buf[n - 1] == ')') {
    size_t k = n - 1;
    while (k > 0 && buf[k - 1] == ' ')
      k--;
    buf[k] = ')';
    buf[k + 1] = '\0';
  }
  /* the threads it runs: results repeat bit for bit with one (OPENBLAS_NUM_THREADS=1) */
  int th = openblas_get_num_threads();
  n = strlen(buf);
  if (n < sizeof buf)
    snprintf(buf + n, sizeof buf - n, ", %d thread%s", th, th == 1 ? "" : "s");
  return buf;
#else
  return DP_CBLAS_NAME;
#endif
}

const char *dp_report_flint(void)
{
#if defined(FLINT_VERSION)
  return FLINT_VERSION;
#elif defined(__FLINT_VERSION) && defined(__FLINT_VERSION_MINOR) && defined(__FLINT_VERSION_PATCHLEVEL)
  return DP_STR(__FLINT_VERSION) "." DP_STR(__FLINT_VERSION_MINOR) "." DP_STR(__FLINT_VERSION_PATCHLEVEL);
#else
  return "unknown";
#endif
}

const char *dp_report_check(void)
{
#ifdef DP_CHECK_VERSION
  return DP_CHECK_VERSION; /* configure time: the dpcheck program itself does not link Check */
#else
  return "unknown";
#endif
}
