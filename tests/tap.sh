# tap.sh: TAP for the shell tests (sourced), read by automake's tap-driver.sh like the Check
# programs' output, so every check of a script counts on its own in make check's totals.
#   tap_ok NAME        a check that held
#   tap_not_ok NAME    a check that failed
#   tap_note TEXT      a diagnostic line (each line of TEXT prefixed with "# ")
#   tap_skip_all WHY   nothing can be checked here (plan 1..0 with the reason); exits 0
#   tap_bail WHY       the test cannot go on (Bail out!); exits 99
#   tap_done           the plan; exits 1 when a check failed, else 0
tap_n=0
tap_failed=0
tap_ok() { tap_n=$((tap_n + 1)); printf 'ok %d - %s\n' "$tap_n" "$1"; }
tap_not_ok() {
  tap_n=$((tap_n + 1))
  tap_failed=$((tap_failed + 1))
  printf 'not ok %d - %s\n' "$tap_n" "$1"
}
tap_note() { printf '%s\n' "$1" | sed 's/^/# /'; }
tap_skip_all() { printf '1..0 # SKIP %s\n' "$1"; exit 0; }
tap_bail() { printf 'Bail out! %s\n' "$1"; exit 99; }
tap_done() {
  printf '1..%d\n' "$tap_n"
  [ "$tap_failed" -eq 0 ] && exit 0
  exit 1
}
