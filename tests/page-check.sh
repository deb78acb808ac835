#!/bin/sh
# page-check.sh: render the residual report in headless Chromium and check it as a reader's
# browser sees it (`make page-check`; not part of make check or CI).
#
#   sh tests/page-check.sh [DIR]     DIR holds index.html and residuals.json (default reports)
#
# Chromium parses reports/index.html and prints the DOM it built (--dump-dom): the summary
# table (id "summary") must be in that DOM with exactly one row per claim of residuals.json,
# each linking to its section, every claim must have its section, the page must hold inline
# SVG and no script.  Then Chromium takes a screenshot, DIR/page.png (1280 x 2400), for a
# person to look at.  tidy (tests/report.test, in make check) validates the markup; this
# checks what a browser makes of it.  Chromium is Debian's `chromium` (or $CHROMIUM); without
# it the check fails with a message saying so.  No network is used: the page is a local file
# and Chromium runs with a fresh profile, background networking and updates off.  Exit
# status: 0 the page is good, 1 it is not, 2 bad usage or a missing prerequisite.
set -u
dir=${1:-reports}
page=$dir/index.html
json=$dir/residuals.json
shot=$dir/page.png

say() { printf 'page-check: %s\n' "$*"; }
die() { say "$*" >&2; exit 2; }

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
  for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
  done
fi
[ -n "$browser" ] && command -v "$browser" >/dev/null 2>&1 ||
  die "chromium not found (Debian: apt-get install chromium, or set CHROMIUM); the page was not checked"
[ -f "$page" ] || die "$page does not exist: run 'make check' or 'make report' first"
[ -f "$json" ] || die "$json does not exist: run 'make check' or 'make report' first"

abs=$(cd "$(dirname "$page")" && pwd -P)/$(basename "$page")
profile=$(mktemp -d "${TMPDIR:-/tmp}/page-check.XXXXXX") || die "cannot make a temporary directory"
trap 'rm -rf "$profile"' EXIT
trap 'exit 2' HUP INT TERM

# run_chromium ARGS...: headless, sandbox off (root in containers), no network, fresh profile
run_chromium() {
  timeout 180 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-default-apps --hide-scrollbars --user-data-dir="$profile/profile" "$@" \
    "file://$abs" 2>>"$profile/stderr"
}

fails=0
ok() { say "ok: $*"; }
bad() { say "FAIL: $*"; fails=$((fails + 1)); }

if ! run_chromium --dump-dom >"$profile/dom.html" || ! [ -s "$profile/dom.html" ]; then
  say "chromium could not render $page:" >&2
  tail -n 5 "$profile/stderr" >&2
  exit 1
fi
dom=$profile/dom.html

# the claims the report is about
grep -o '"id": "[^"]*"' "$json" | sed 's/^"id": "//; s/"$//' >"$profile/ids"
nclaims=$(wc -l <"$profile/ids")
[ "$nclaims" -gt 0 ] || bad "$json names no claim"

# the summary table as Chromium built it, and its body rows
sed -n '/<table id="summary">/,/<\/table>/p' "$dom" >"$profile/summary"
if [ -s "$profile/summary" ]; then
  ok "the summary table (id \"summary\") is in the DOM"
else
  bad "no <table id=\"summary\"> in the DOM Chromium built"
fi
sed -n '/<tbody>/,/<\/tbody>/p' "$profile/summary" | grep -o '<tr>' | wc -l >"$profile/nrows"
nrows=$(cat "$profile/nrows")
[ "$nrows" -eq "$nclaims" ] && ok "$nrows summary rows for $nclaims claims" ||
  bad "$nrows summary rows for $nclaims claims"
before=$fails
while read -r id; do
  grep -q "<a href=\"#$id\">$id</a>" "$profile/summary" || bad "no summary row links to $id"
  grep -q "<section id=\"$id\">" "$dom" || bad "no section for $id"
done <"$profile/ids"
[ $fails -eq "$before" ] && ok "every claim has its summary row and its section"
nsvg=$(grep -o '<svg ' "$dom" | wc -l)
[ "$nsvg" -ge "$nclaims" ] && ok "$nsvg inline SVG pictures" || bad "$nsvg inline SVG pictures for $nclaims claims"
grep -qi '<script' "$dom" && bad "the page holds a script" || ok "no script"

# the screenshot, for a person to look at
rm -f "$shot"
run_chromium --screenshot="$shot" --window-size=1280,2400 >/dev/null
if [ -s "$shot" ] && [ "$(od -An -c -N4 "$shot" | tr -d ' ')" = '211PNG' ]; then
  ok "screenshot $shot (1280 x 2400)"
else
  bad "no screenshot written to $shot"
fi

if [ $fails -ne 0 ]; then
  say "$fails failures"
  exit 1
fi
say "the page is good: $page"
exit 0
