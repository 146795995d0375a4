#!/usr/bin/env bash
# run.sh BUILD_DIR...: runs every unit test binary and shell test once per
# build folder, and prints the total as its last line: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
pass=0
fail=0

# tally NAME RC OUTPUT: add a test's last line "# N passed, M failed" to
# the totals; a test that crashed or printed no such line is one failure.
tally() {
	local name=$1 rc=$2 out=$3 last
	last=$(printf '%s\n' "$out" | tail -n 1)
	if [[ $last =~ ^#\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		pass=$((pass + BASH_REMATCH[1])); fail=$((fail + BASH_REMATCH[2]))
		[ "$rc" -ne 0 ] && [ "${BASH_REMATCH[2]}" -eq 0 ] && fail=$((fail + 1))
	else
		fail=$((fail + 1))
	fi
	[ "$rc" -ne 0 ] && printf '%s\n' "$out" | tail -n 40
	printf '%-28s %s\n' "$name" "$last"
}

for b in "$@"; do
	echo "== tests in $b"
	for t in "$b"/tests/t_*; do
		[ -x "$t" ] || continue
		out=$("$t" 2>&1); rc=$?
		tally "$(basename "$t")" $rc "$out"
	done
	for s in tests/sh/t_*.sh; do
		[ -f "$s" ] || continue
		out=$(DOSSIER="$b/dossier" BUILD="$b" bash "$s" 2>&1); rc=$?
		tally "$(basename "$s")" $rc "$out"
	done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
