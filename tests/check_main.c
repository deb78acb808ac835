/* check_main.c: the one main of dpcheck's Check programs.
 *
 * Each program defines dp_test_suite(), its suite of test cases; this main runs it with the
 * engine's error handler installed (errors are recorded, never abort) and writes the results
 * as TAP on standard output, which automake's tap-driver.sh reads, so every test case counts
 * in `make check`'s totals.  Check's environment selects what runs: CK_RUN_SUITE,
 * CK_RUN_CASE, and tags: the long cases are tagged "slow", so
 * `make check CK_EXCLUDE_TAGS=slow` runs the quick set.  CK_VERBOSITY sets how much Check
 * prints beside the TAP (default: the summary line and every failure).  A program may take arguments of its own
 * (e.g. check_report --golden): it defines dp_test_args(), which returns an exit status, or -1
 * to run the suite. */
#include <check.h>
#include <stdlib.h>
#include "err.h"
#include "testutil.h"

__attribute__((weak)) int dp_test_args(int argc, char **argv)
{
  (void)argv;
  return argc > 1 ? 2 : -1; /* no arguments of its own */
}

int main(int argc, char **argv)
{
  int rc = dp_test_args(argc, argv);
  if (rc >= 0)
    return rc;
  dp_err_install();
  SRunner *sr = srunner_create(dp_test_suite());
  srunner_set_tap(sr, "-");
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
