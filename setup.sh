#!/bin/sh
# setup.sh: install what dpcheck needs on Debian 12, build it, and run one job.
#
#   sh setup.sh verify [OPTION]...  the main job: dpcheck verify on the embedded defaults
#                                   (every claim, the KJV corpus), report in reports/
#   sh setup.sh check               the tests, in a build configured with --enable-code-coverage:
#                                   make check (which writes reports/ and lcov HTML with branch
#                                   coverage in reports/coverage/), the coverage of src/ and
#                                   props/, and last the totals "N passed, N failed, N skipped"
#   sh setup.sh build               install and build only
#
# Missing Debian packages are installed with apt-get (as root, or through sudo when it is
# there); autoreconf and configure run when the tree is not configured yet.  Extra configure
# options may be given in DPCHECK_CONFIGURE.
set -eu
cd "$(dirname "$0")"

PACKAGES="gcc make libc6-dev jq autoconf automake autoconf-archive pkg-config libgsl-dev check
libsubunit-dev libopenblas-dev liblapacke-dev libarpack2-dev libflint-dev libflint-arb-dev libgmp-dev
libjansson-dev bible-kjv dict-gcide tidy lcov python3-numpy coq libcoq-mathcomp-ssreflect
libcoq-mathcomp-algebra"

say() { printf 'setup.sh: %s\n' "$*" >&2; }
# step N WHAT: one numbered line per stage of the job ("[2/4] configuring").
step() { printf 'setup.sh: [%s/4] %s\n' "$1" "$2" >&2; }

install_missing() {
  missing=""
  for p in $PACKAGES; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
      missing="$missing $p"
  done
  if [ -z "$missing" ]; then
    step 1 "Debian packages: all present"
    return 0
  fi
  step 1 "installing Debian packages with apt-get (a few minutes on a fresh machine):$missing"
  if [ "$(id -u)" -eq 0 ]; then sudo=""
  elif command -v sudo >/dev/null 2>&1; then sudo="sudo"
  else say "these Debian packages are missing and this is not root:$missing"; exit 2
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # shellcheck disable=SC2086
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    $missing >/dev/null
}

# Whether the configured build counts coverage.
coverage_on() { grep -q '^CODE_COVERAGE_ENABLED = yes' Makefile 2>/dev/null; }

# build [--enable-code-coverage]: configure when the tree is not configured yet, or (with the
# option) when it is configured without coverage; objects built without the counters are
# then cleaned, since make would not rebuild them.
build() {
  install_missing
  if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
    step 2 "autoreconf and configure"
    autoreconf -fi >/dev/null
  fi
  want=${1:-}
  if [ ! -f config.status ] || [ configure -nt config.status ] ||
     { [ -n "$want" ] && ! coverage_on; }; then
    had=no
    coverage_on && had=yes
    say "configure $want ${DPCHECK_CONFIGURE:-}"
    configured=yes
    # shellcheck disable=SC2086
    ./configure -q $want ${DPCHECK_CONFIGURE:-}
    now=no
    coverage_on && now=yes
    if [ "$had" != "$now" ] && [ -f libdpengine.a ]; then
      say "coverage $now: rebuilding from clean objects"
      make clean >/dev/null
    fi
  fi
  [ -n "${configured:-}" ] || step 2 "configured already"
  step 3 "building dpcheck and the corpora (about a minute from scratch)"
  make -j2 >/dev/null
}

# The totals of the last make check, from automake's per-test results (tests/*.trs): every
# test program and script speaks TAP, so each of its checks is one ":test-result:" line.  A
# program that died before its plan counts as failed (tap-driver.sh records an ERROR for the
# missing plan and one for the exit status) and its unreached checks are not counted; a
# program that did not build leaves no .trs, and make check's own exit status fails the run.
totals() {
  passed=0 failed=0 skipped=0
  for trs in tests/*.trs; do
    [ -f "$trs" ] || continue
    p=$(grep -c -E '^:test-result: (PASS|XFAIL)' "$trs" || true)
    f=$(grep -c -E '^:test-result: (FAIL|XPASS|ERROR)' "$trs" || true)
    k=$(grep -c -E '^:test-result: SKIP' "$trs" || true)
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + k))
  done
  echo "$passed passed, $failed failed, $skipped skipped"
}

job=${1:-verify}
[ $# -gt 0 ] && shift
case $job in
  build) build; step 4 "nothing to run (build only)" ;;
  verify)
    build
    step 4 "dpcheck verify: every claim on the KJV (about two minutes)"
    OPENBLAS_NUM_THREADS=1 ./dpcheck verify --corpus data/corpus.txt "$@" ;;
  check)
    build --enable-code-coverage
    rm -f tests/*.trs tests/*.log reports/coverage.txt
    rc=0
    step 4 "make check: the test programs and scripts (about three minutes)"
    OPENBLAS_NUM_THREADS=1 make -j2 --no-print-directory check || rc=$?
    [ $rc -eq 0 ] || cat test-suite.log 2>/dev/null | tail -n 80
    # make check prints the coverage after passing tests (once: not again here); after a
    # failure, write and print it anyway
    if [ ! -f reports/coverage.txt ]; then
      make coverage >/dev/null 2>&1 || true
      if [ -f reports/coverage.txt ]; then
        cat reports/coverage.txt
        echo "coverage: HTML in reports/coverage/index.html"
      else
        echo "coverage: not measured (see reports/coverage.log)"
      fi
    fi
    echo "totals: every Check assertion and every TAP line of the test scripts, not programs"
    totals
    exit $rc ;;
  *) say "unknown job '$job' (use verify, check or build)"; exit 2 ;;
esac
