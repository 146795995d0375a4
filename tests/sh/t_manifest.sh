#!/usr/bin/env bash
# t_manifest.sh: the manifest read back by the next run. A valid one (in
# any JSON layout) makes a re-run skip the briefs that did not change; a
# damaged one (cut short, not JSON, a line of garbage, wrong types) is not
# trusted: what it lists is made again, and the folder ends as a clean
# run leaves it.
. "$(dirname "$0")/lib.sh"
A=2026-11-27
O="$TMP/clean"
F001=en/briefs/F-001-tigran-avetisyan.pdf
run() { "$DOSSIER" render samples/roster.csv --date $A --jobs 2 "$@"; }

check_exit 0 "first render" run -o "$O"
cp "$O/manifest.json" "$TMP/good.json"

# same_as_clean DIR: the files of a clean run, with the same bytes (the
# manifest among them).
same_as_clean() { diff -r -x .dossier-lock "$O" "$1" >&2; }
# untouched DIR: the brief dated 2020 before the run still is.
untouched() { [ "$(date -r "$1/$F001" +%Y)" = 2020 ]; }

# --- a valid manifest: nothing made again ------------------------------------
R="$TMP/rerun"
cp -R "$O" "$R"
touch -d 2020-01-01 "$R/$F001"
check_exit 0 "re-run with nothing changed" run -o "$R"
check_grep "nothing made again" "(0 briefs written, 42 up to date, 0 failed)" "$TMP/last.err"
check_grep "no file changed" "0 files changed on disk" "$TMP/last.err"
check "the brief up to date is not touched" untouched "$R"
check "the manifest is the same" cmp "$TMP/good.json" "$R/manifest.json"

# The same manifest in another JSON layout (one line, keys in another
# order, "/" escaped) is the same manifest.
R="$TMP/relaid"
cp -R "$O" "$R"
python3 - "$TMP/good.json" "$R/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
for f in m["files"]:
    f["path"] = f["path"].replace("/", "\\/")
s = json.dumps({"left_out": m["left_out"],
                "files": [dict(reversed(list(f.items()))) for f in m["files"]],
                "date": m["date"]}, separators=(",", ":"))
open(sys.argv[2], "w").write(s.replace("\\\\/", "\\/"))
PY
check "the other layout is on one line" [ "$(wc -l < "$R/manifest.json")" -eq 0 ]
touch -d 2020-01-01 "$R/$F001"
check_exit 0 "re-run with the manifest in another layout" run -o "$R"
check_grep "another layout: nothing made again" "(0 briefs written, 42 up to date, 0 failed)" "$TMP/last.err"
check "another layout: the brief is not touched" untouched "$R"
check "another layout: the manifest written as the run writes it" cmp "$TMP/good.json" "$R/manifest.json"

# --- damaged manifests: not trusted --------------------------------------
# damaged NAME: a copy of the clean folder with the manifest in
# $TMP/bad.json, re-run; every brief made again, the folder as clean.
damaged() {
	local name=$1 R="$TMP/dmg-$1"
	cp -R "$O" "$R"
	cp "$TMP/bad.json" "$R/manifest.json"
	touch -d 2020-01-01 "$R/$F001"
	check_exit 0 "$name: re-run" run -o "$R"
	check_grep "$name: every brief made again" "(42 briefs written, 0 up to date, 0 failed)" "$TMP/last.err"
	check "$name: the brief is written again, not trusted" eval "! untouched '$R'"
	check "$name: the folder is as a clean run leaves it" same_as_clean "$R"
}

size=$(wc -c < "$TMP/good.json")
head -c $((size / 2)) "$TMP/good.json" > "$TMP/bad.json"
damaged "cut in half"
head -c $((size - 3)) "$TMP/good.json" > "$TMP/bad.json"
damaged "cut before its last bracket"
head -c 2000 "$O/$F001" > "$TMP/bad.json"
damaged "not JSON (a PDF)"
: > "$TMP/bad.json"
damaged "empty"
printf '[]\n' > "$TMP/bad.json"
damaged "an array"
# Every entry's numbers as strings.
sed -E 's/"bytes": ([0-9]+)/"bytes": "\1"/; s/"pages": ([0-9]+)/"pages": "\1"/' "$TMP/good.json" > "$TMP/bad.json"
check "wrong types: every number is now a string" sh -c "! grep -q '\"bytes\": [0-9]' '$TMP/bad.json'"
damaged "wrong types"
# A line of 200,000 bytes of garbage among the entries.
{ head -n 4 "$TMP/good.json"; head -c 200000 /dev/zero | tr '\0' x; echo; tail -n +5 "$TMP/good.json"; } > "$TMP/bad.json"
check "the garbage line is there" [ "$(awk 'length > 199999' "$TMP/bad.json" | wc -l)" -eq 1 ]
damaged "a huge line of garbage"
# Each entry valid, the whole not: a comma after the last entry.
sed -E 's/^(    \{.*\})$/\1,/' "$TMP/good.json" > "$TMP/bad.json"
damaged "a trailing comma"

# --- one entry of the wrong shape: that brief alone is made again ----------
R="$TMP/one"
cp -R "$O" "$R"
sed -E "/\"path\": \"${F001//\//\\/}\"/ s/\"pages\": ([0-9]+)/\"pages\": \"\1\"/" "$TMP/good.json" > "$R/manifest.json"
check "one entry changed" sh -c "! cmp -s '$TMP/good.json' '$R/manifest.json'"
touch -d 2020-01-01 "$R/$F001"
touch -d 2020-01-01 "$R/ru/briefs/F-001-tigran-avetisyan.pdf"
check_exit 0 "re-run with one entry of the wrong type" run -o "$R"
check_grep "that brief alone is made again" "(1 brief written, 41 up to date, 0 failed)" "$TMP/last.err"
check "that brief is written again" eval "! untouched '$R'"
check "the others are trusted" [ "$(date -r "$R/ru/briefs/F-001-tigran-avetisyan.pdf" +%Y)" = 2020 ]
check "one entry: the folder is as a clean run leaves it" same_as_clean "$R"

done_testing
