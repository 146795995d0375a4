#!/usr/bin/env bash
# bench.sh: benchmarks (figures, not pass/fail) on deterministic fictional
# rosters: reading and checking, full renders with 1 and 2 threads, re-runs
# with nothing changed and with one record changed. For each: wall time,
# throughput, mean bytes per brief and peak memory.
#   BENCH_RECORDS=1000 (default)   records of the render benchmark
#   BENCH_LARGE=1                  also render 100,000 records (English
#                                  only) to show that memory stays flat
set -eu
cd "$(dirname "$0")/.."
D=./dossier
N=${BENCH_RECORDS:-1000}
W=$(mktemp -d "${TMPDIR:-/tmp}/dossier-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

run() { # run LABEL UNITS UNIT_NAME OUTDIR CMD...: time a command
	local label=$1 n=$2 unit=$3 out=$4; shift 4
	/usr/bin/time -f '%e %M' -o "$W/t" "$@" > /dev/null 2> "$W/err" || { cat "$W/err"; exit 1; }
	read -r secs kb < "$W/t"
	local bytes=0 files=0
	if [ -n "$out" ] && [ -d "$out" ]; then
		files=$(find "$out" -path '*/briefs/*.pdf' | wc -l)
		bytes=$(find "$out" -path '*/briefs/*.pdf' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
	fi
	awk -v l="$label" -v n="$n" -v u="$unit" -v s="$secs" -v kb="$kb" -v b="$bytes" -v f="$files" 'BEGIN {
		printf "%-44s %7.2f s %9.0f %s/s %7.1f MB peak", l, s, (s > 0 ? n / s : n), u, kb / 1024
		if (f > 0) printf "   mean brief %.1f KB", b / f / 1024
		printf "\n" }'
}

echo "dossier $($D --version | cut -d' ' -f2), $(nproc) cores, $N records x 3 languages"
awk -v n=200000 -f tools/gen_roster.awk > "$W/big.csv"
run "check, 200000 records" 200000 records "" $D check "$W/big.csv" --date 2026-11-27
run "check --format json, 200000 records" 200000 records "" $D check "$W/big.csv" --format json --date 2026-11-27
rm -f "$W/big.csv"

awk -v n="$N" -f tools/gen_roster.awk > "$W/r.csv"
B=$((N * 3))
run "render --jobs 1" $B briefs "$W/o1" $D render "$W/r.csv" -o "$W/o1" --date 2026-11-27 --jobs 1 --quiet
run "render --jobs 2" $B briefs "$W/o2" $D render "$W/r.csv" -o "$W/o2" --date 2026-11-27 --jobs 2 --quiet
if diff -r "$W/o1" "$W/o2" > /dev/null; then
	echo "  --jobs 1 and --jobs 2 outputs are byte-identical"
else
	echo "  WARNING: --jobs 1 and --jobs 2 outputs differ"
fi
run "re-run, nothing changed" $B briefs "" $D render "$W/r.csv" -o "$W/o2" --date 2026-11-27 --jobs 2 --quiet
# Change one record's circumstances (the 500th data line).
awk -F, -v OFS=, 'NR == 501 { sub(/Captured near a village/, "Captured near a river") } { print }' "$W/r.csv" > "$W/r1.csv"
run "re-run, one record changed" $B briefs "" $D render "$W/r1.csv" -o "$W/o2" --date 2026-11-27 --jobs 2 --quiet

if [ -n "${BENCH_LARGE:-}" ]; then
	awk -v n=100000 -f tools/gen_roster.awk > "$W/r100k.csv"
	run "render 100000 records, en, --jobs 2" 100000 briefs "$W/o3" $D render "$W/r100k.csv" -o "$W/o3" --lang en --date 2026-11-27 --jobs 2 --quiet
	run "re-run 100000 records, en, nothing changed" 100000 briefs "" $D render "$W/r100k.csv" -o "$W/o3" --lang en --date 2026-11-27 --jobs 2 --quiet
	echo "  summary of 100000: $(pdfinfo "$W/o3/en/summary.pdf" | awk '/^Pages:/ { print $2 }') pages, $(stat -c %s "$W/o3/en/summary.pdf") bytes"
	run "render 1000 records, en, --jobs 2" 1000 briefs "$W/o4" $D render "$W/r.csv" -o "$W/o4" --lang en --date 2026-11-27 --jobs 2 --quiet
fi
if [ -x build/tools/bench_typeset ]; then
	echo
	build/tools/bench_typeset -n 200
fi
