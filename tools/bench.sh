#!/usr/bin/env bash
# bench.sh: benchmarks (figures, not pass/fail). Generates deterministic
# fictional rosters and reports wall time, throughput and peak memory.
set -eu
cd "$(dirname "$0")/.."
D=./dossier
W=$(mktemp -d "${TMPDIR:-/tmp}/dossier-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

gen() { # gen N FILE: a fictional roster of N records in three scripts
	awk -v n="$1" 'BEGIN {
		print "id,category,name_en,name_ru,name_hy,detained_on,status,circumstances_en,circumstances_ru,circumstances_hy"
		split("pow civilian hostage political missing", cat, " ")
		for (i = 1; i <= n; i++)
			printf "B%06d,%s,Fictional Person %d,Вымышленный Человек %d,Հորինված Մարդ %d,2020-12-%02d,held,\"Captured near a village, as reported; held since.\",\"Захвачен близ села; удерживается с тех пор.\",\"Գերեվարվել է գյուղի մոտ, պահվում է մինչ օրս։\"\n", i, cat[i % 5 + 1], i, i, i, i % 28 + 1
	}' > "$2"
}

run() { # run LABEL N CMD...: time a command, report rate and peak memory
	local label=$1 n=$2; shift 2
	/usr/bin/time -f '%e %M' -o "$W/t" "$@" > /dev/null 2> "$W/err" || [ $? -le 1 ] || { cat "$W/err"; exit 1; }
	read -r secs kb < "$W/t"
	awk -v l="$label" -v n="$n" -v s="$secs" -v kb="$kb" 'BEGIN {
		printf "%-40s %8.2f s %12.0f records/s %8.1f MB peak\n", l, s, (s > 0 ? n / s : 0), kb / 1024 }'
}

echo "dossier $($D --version | cut -d" " -f2) on $(nproc) cores"
for n in 1000 200000; do
	gen $n "$W/r$n.csv"
	run "check, $n records" $n $D check "$W/r$n.csv" --date 2026-11-27
	run "check --format json, $n records" $n $D check "$W/r$n.csv" --format json --date 2026-11-27
done
iconv -f UTF-8 -t UTF-16 "$W/r200000.csv" > "$W/r16.csv"
run "check UTF-16 (iconv), 200000 records" 200000 $D check "$W/r16.csv" --date 2026-11-27
