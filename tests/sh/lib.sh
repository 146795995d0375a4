# lib.sh: helpers for the shell tests. A test script sources this file,
# runs checks, and ends with `done_testing`, whose last line tests/run.sh sums.
# $DOSSIER is the binary under test; $TMP a scratch folder removed at exit.
set -u
: "${DOSSIER:=./dossier}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dossier-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
T_PASS=0
T_FAIL=0
T_NAME=$(basename "$0" .sh)

ok() { T_PASS=$((T_PASS + 1)); }
not_ok() { T_FAIL=$((T_FAIL + 1)); printf '%s: FAIL: %s\n' "$T_NAME" "$*" >&2; }

# check DESCRIPTION COMMAND...: passes when COMMAND exits 0.
check() { local d=$1; shift; if "$@"; then ok; else not_ok "$d"; fi; }

# check_exit WANT DESCRIPTION COMMAND...: passes when COMMAND exits WANT.
check_exit() {
	local want=$1 d=$2 got; shift 2
	"$@" >"$TMP/last.out" 2>"$TMP/last.err"; got=$?
	if [ "$got" -eq "$want" ]; then ok; else not_ok "$d: exit $got, want $want"; sed 's/^/    /' "$TMP/last.err" >&2; fi
}

# check_grep DESCRIPTION PATTERN FILE: FILE has a line matching PATTERN (fixed string).
check_grep() {
	if grep -qF -- "$2" "$3"; then ok; else not_ok "$1: '$2' not in $3"; fi
}
check_nogrep() {
	if grep -qF -- "$2" "$3"; then not_ok "$1: '$2' found in $3"; else ok; fi
}

# check_same DESCRIPTION WANT_FILE GOT_FILE: files identical, else show diff.
check_same() {
	if cmp -s "$2" "$3"; then ok; else not_ok "$1"; diff -u "$2" "$3" | head -20 | cut -c1-240 >&2; fi
}

done_testing() {
	printf '# %d passed, %d failed\n' "$T_PASS" "$T_FAIL"
	[ "$T_FAIL" -eq 0 ]
}
