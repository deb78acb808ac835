#!/bin/sh
# setup.sh: install what dpcheck needs on Debian 12, build it, and run one job.
#
#   sh setup.sh verify [OPTION]...  the main job: dpcheck verify on the embedded defaults
#                                   (every claim, the KJV corpus), report in reports/
#   sh setup.sh check               the tests: make check, then the totals "N passed, N failed"
#   sh setup.sh build               install and build only
#
# Missing Debian packages are installed with apt-get (as root, or through sudo when it is
# there); autoreconf and configure run when the tree is not configured yet.  Extra configure
# options may be given in DPCHECK_CONFIGURE.
set -eu
cd "$(dirname "$0")"

PACKAGES="gcc make libc6-dev jq autoconf automake autoconf-archive pkg-config libgsl-dev check
libsubunit-dev libopenblas-dev liblapacke-dev libflint-dev libflint-arb-dev bible-kjv tidy lcov"

say() { printf 'setup.sh: %s\n' "$*" >&2; }

install_missing() {
  missing=""
  for p in $PACKAGES; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
      missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  say "installing:$missing"
  if [ "$(id -u)" -eq 0 ]; then sudo=""
  elif command -v sudo >/dev/null 2>&1; then sudo="sudo"
  else say "these Debian packages are missing and this is not root:$missing"; exit 2
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # shellcheck disable=SC2086
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    $missing >/dev/null
}

build() {
  install_missing
  if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
    say "autoreconf"
    autoreconf -fi >/dev/null
  fi
  if [ ! -f config.status ] || [ configure -nt config.status ]; then
    say "configure ${DPCHECK_CONFIGURE:-}"
    # shellcheck disable=SC2086
    ./configure -q ${DPCHECK_CONFIGURE:-}
  fi
  make -j2 >/dev/null
}

# The totals of the last make check, from the test logs: a Check suite counts its checks,
# any other test (shell scripts, a suite that died before its summary) counts as one.
totals() {
  passed=0 failed=0 skipped=0
  for trs in tests/*.trs; do
    [ -f "$trs" ] || continue
    log=${trs%.trs}.log
    line=$(grep -E '^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$log" 2>/dev/null |
      tail -n 1 || true)
    if [ -n "$line" ]; then
      n=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+),.*/\1/')
      f=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+),.*/\1/')
      e=$(echo "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
      passed=$((passed + n - f - e))
      failed=$((failed + f + e))
    else
      case $(sed -n 's/^:test-result: //p' "$trs" | head -n 1) in
        PASS|XFAIL) passed=$((passed + 1)) ;;
        SKIP) skipped=$((skipped + 1)) ;;
        *) failed=$((failed + 1)) ;;
      esac
    fi
  done
  echo "$passed passed, $failed failed, $skipped skipped"
}

job=${1:-verify}
[ $# -gt 0 ] && shift
case $job in
  build) build ;;
  verify)
    build
    OPENBLAS_NUM_THREADS=1 ./dpcheck verify --corpus data/corpus.txt "$@" ;;
  check)
    build
    rm -f tests/*.trs tests/*.log
    rc=0
    OPENBLAS_NUM_THREADS=1 make -j2 check || rc=$?
    [ $rc -eq 0 ] || cat test-suite.log 2>/dev/null | tail -n 80
    totals
    exit $rc ;;
  *) say "unknown job '$job' (use verify, check or build)"; exit 2 ;;
esac
