#!/bin/sh
# formal-tsv.sh COQC PROOFS THEOREMS: the formal tier's table (proofs/formal.tsv, format in
# docs/formal.md) on stdout.  PROOFS is the directory of the compiled proofs (DPCheck.*),
# THEOREMS the manifest (claim id, Coq name, file; '#' starts a comment).  For each theorem
# one coqc run asks `Check` (the statement as Coq prints it, on one line) and
# `Print Assumptions`; a theorem that is missing, or that rests on any axiom, fails the whole
# table (exit 1, one line on stderr naming it), so the file exists only when every theorem
# of the manifest is proved outright.  Extra coqc options may be given in COQFLAGS.
set -eu
if [ $# -ne 3 ]; then
  echo "usage: formal-tsv.sh COQC PROOFS THEOREMS" >&2
  exit 2
fi
coqc=$1 proofs=$2 manifest=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
q=$tmp/Formal_query.v
{
  echo 'From mathcomp Require Import all_ssreflect all_algebra.'
  echo 'Import GRing.Theory.'
  echo 'Local Open Scope ring_scope.'
  # One line per statement: the width folds nothing, and the table folds what is left.
  echo 'Set Printing Width 100000.'
  grep -v '^[[:space:]]*#' "$manifest" | while read -r claim name file; do
    [ -n "$claim" ] || continue
    mod=DPCheck.${file%.v}
    echo "Require Import $mod."
    echo "Goal True. idtac \"@@ $claim $name\". Abort."
    echo "Check $mod.$name."
    echo "Print Assumptions $mod.$name."
  done
} >"$q"
# shellcheck disable=SC2086
if ! (cd "$tmp" && "$coqc" ${COQFLAGS:-} -Q "$proofs" DPCheck Formal_query.v) \
    >"$tmp/out" 2>"$tmp/err"; then
  echo "formal-tsv.sh: coqc failed on the manifest $manifest: $(tr '\n' ' ' <"$tmp/err")" >&2
  exit 1
fi
# Each theorem's block: the marker, `Check`'s "name\n : statement" (continuation lines
# indented), then "Closed under the global context" or the axioms it uses.
printf 'claim\tcoq_name\tstatus\tstatement\n'
awk -v manifest="$manifest" '
  function flush() {
    if (name == "") return
    if (closed != 1 || stmt == "") {
      printf "formal-tsv.sh: %s (%s, in %s) is not closed under the global context\n",
        name, claim, manifest > "/dev/stderr"
      bad = 1
    } else {
      gsub(/[ \t]+/, " ", stmt); sub(/^ /, "", stmt); sub(/ $/, "", stmt)
      printf "%s\t%s\tproved\t%s\n", claim, name, stmt
    }
  }
  /^@@ / { flush(); claim = $2; name = $3; stmt = ""; closed = 0; inck = 0; n++; next }
  /^Closed under the global context$/ { closed = (closed == 0) ? 1 : closed; inck = 0; next }
  /^Axioms:/ { closed = -1; inck = 0; next }
  /^     : / { if (closed == 0) { inck = 1; stmt = substr($0, 8) }; next }
  /^[ \t]/ { if (inck) stmt = stmt " " $0; next }
  END { flush(); if (n == 0) { print "formal-tsv.sh: no theorem in " manifest > "/dev/stderr"; bad = 1 }
        exit bad }
' "$tmp/out"
