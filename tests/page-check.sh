#!/bin/sh
# page-check.sh: render the residual report in headless Chromium and check it as a reader's
# browser sees it (`make page-check`; not part of make check or CI).
#
#   sh tests/page-check.sh [DIR]     DIR holds index.html and residuals.json (default reports)
#
# Chromium parses reports/index.html and prints the DOM it built (--dump-dom): the summary
# table (id "summary") must be in that DOM with exactly one row per claim of residuals.json,
# each linking to its section, every claim must have its section, the page must hold inline
# SVG and no script; the findings block must hold every finding of the JSON, the "Not checked"
# list every item of it, the table of contents every block, claim and file; and at 800 px the
# summary table must fit the window with nothing overflowing the page (measured on a copy of
# the page with a measuring script; the page has none).  Then Chromium takes screenshots,
# DIR/page-1400.png (the first screen at 1400 x 900) and DIR/page-800.png, for a person.  tidy (tests/report.test, in make check) validates the markup; this
# checks what a browser makes of it.  Chromium is Debian's `chromium` (or $CHROMIUM); without
# it the check fails with a message saying so.  No network is used: the page is a local file
# and Chromium runs with a fresh profile, background networking and updates off.  Exit
# status: 0 the page is good, 1 it is not, 2 bad usage or a missing prerequisite.
set -u
dir=${1:-reports}
page=$dir/index.html
json=$dir/residuals.json

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

# the findings block: one entry per finding of residuals.json (top-level "findings": its
# members sit at six spaces of indent, the claims' own lists deeper), each with its anchor
grep -q '<section id="findings">' "$dom" && ok "the findings block is in the DOM" ||
  bad "no <section id=\"findings\"> in the DOM"
sed -n '/^  "findings": \[/,/^  \]/p' "$json" >"$profile/findings.json"
grep '^      "claim": ' "$profile/findings.json" | sed 's/.*: "//; s/",*$//' >"$profile/fclaims"
grep '^      "key": ' "$profile/findings.json" | sed 's/.*: "//; s/",*$//' >"$profile/fkeys"
nfind=$(wc -l <"$profile/fclaims")
nshown=$(grep -o '<div class="finding" id="finding-[^"]*"' "$dom" | wc -l)
[ "$nshown" -eq "$nfind" ] && ok "$nshown findings on the page for $nfind in the JSON" ||
  bad "$nshown findings on the page for $nfind in the JSON"
before=$fails
paste -d ' ' "$profile/fclaims" "$profile/fkeys" | while read -r fc fk; do
  grep -q "<div class=\"finding\" id=\"finding-$fc-$fk\">" "$dom" || {
    say "FAIL: no finding $fc $fk on the page"; echo x >>"$profile/fbad"; }
done
[ -s "$profile/fbad" ] && fails=$((fails + $(wc -l <"$profile/fbad")))
[ $fails -eq "$before" ] && ok "every finding of the JSON has its entry, with its anchor"
summ=$(grep -o '"findings": [0-9]*' "$json" | head -n 1 | sed 's/.*: //')
[ "${summ:-x}" = "$nfind" ] && ok "the summary counts $summ findings" ||
  bad "the JSON summary counts ${summ:-no} findings, its list has $nfind"

# the "not checked" list: one item per entry of the JSON's not_checked
grep -q '<section id="not-checked">' "$dom" && ok "the 'Not checked' list is in the DOM" ||
  bad "no <section id=\"not-checked\"> in the DOM"
ngap=$(sed -n '/^  "not_checked": \[/,/^  \]/p' "$json" | grep -c '^      "what": ')
ngapdom=$(sed -n '/<section id="not-checked">/,/<\/section>/p' "$dom" | grep -o '<dt>' | wc -l)
[ "$ngap" -gt 0 ] && [ "$ngapdom" -eq "$ngap" ] && ok "$ngapdom items not checked, as in the JSON" ||
  bad "$ngapdom 'not checked' items on the page, $ngap in the JSON"

# the table of contents: every block, every claim, the JSON, the TSVs, coverage, the paper
sed -n '/<nav id="toc">/,/<\/nav>/p' "$dom" >"$profile/toc"
if [ -s "$profile/toc" ]; then
  before=$fails
  for a in '#findings' '#not-checked' '#summary-section' '#run' 'residuals.json' \
    'coverage/index.html' 'https://arxiv.org/abs/2511.13780'; do
    grep -q "href=\"$a\"" "$profile/toc" || bad "the table of contents has no link to $a"
  done
  while read -r id; do
    grep -q "href=\"#$id\"" "$profile/toc" || bad "the table of contents has no link to $id"
    grep -q "href=\"$id.tsv\"" "$profile/toc" || bad "the table of contents has no link to $id.tsv"
  done <"$profile/ids"
  [ $fails -eq "$before" ] && ok "the table of contents links every block, claim, file and the paper"
else
  bad "no <nav id=\"toc\"> in the DOM"
fi

# at 800 px: the summary table inside the window and nothing wider than it.  A copy of the
# page with a measuring script (the page itself has none) writes what Chromium laid out.
mkdir -p "$profile/fit"
sed 's|</body>|<script>var t=document.getElementById("summary"),r=t?t.getBoundingClientRect():null;var p=document.createElement("pre");p.id="dpcheck-measure";p.textContent="viewport="+document.documentElement.clientWidth+" page="+document.documentElement.scrollWidth+" summary="+(r?Math.ceil(r.right):-1);document.body.appendChild(p);</script></body>|' \
  "$page" >"$profile/fit/index.html"
fit=$(timeout 180 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile/profile" --window-size=800,1000 \
  --virtual-time-budget=2000 --dump-dom "file://$profile/fit/index.html" 2>>"$profile/stderr" |
  grep -o 'viewport=[0-9]* page=[0-9]* summary=-*[0-9]*')
vw=$(printf '%s' "$fit" | sed -n 's/^viewport=\([0-9]*\).*/\1/p')
pw=$(printf '%s' "$fit" | sed -n 's/.* page=\([0-9]*\).*/\1/p')
sw=$(printf '%s' "$fit" | sed -n 's/.* summary=\(-*[0-9]*\).*/\1/p')
if [ -z "$vw" ]; then
  bad "could not measure the page at 800 px"
else
  [ "$sw" -gt 0 ] && [ "$sw" -le "$vw" ] && ok "at 800 px the summary table ends at $sw px" ||
    bad "at 800 px the summary table ends at $sw px, beyond the window ($vw px)"
  [ "$pw" -le "$vw" ] && ok "at 800 px nothing overflows the page ($pw px wide)" ||
    bad "at 800 px the page is $pw px wide: something overflows the window ($vw px)"
fi

# the screenshots, for a person to look at: the first screen at 1400 px, and the page's
# head at 800 px
for geom in 1400,900 800,2400; do
  png=$dir/page-${geom%%,*}.png
  rm -f "$png"
  run_chromium --screenshot="$png" --window-size="$geom" >/dev/null
  if [ -s "$png" ] && [ "$(od -An -c -N4 "$png" | tr -d ' ')" = '211PNG' ]; then
    ok "screenshot $png ($(echo "$geom" | tr , x))"
  else
    bad "no screenshot written to $png"
  fi
done

if [ $fails -ne 0 ]; then
  say "$fails failures"
  exit 1
fi
say "the page is good: $page"
exit 0
