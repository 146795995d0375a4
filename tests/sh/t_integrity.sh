#!/usr/bin/env bash
# t_integrity.sh: what is on disk is what the manifest says, whatever
# interrupted the last run: kills at chosen moments (DOSSIER_TEST_KILL),
# files changed behind dossier's back, encrypted runs killed, a full disk
# with a password, two runs in one folder, languages kept and pruned.
. "$(dirname "$0")/lib.sh"
asan=0
case "${BUILD:-build}" in *asan*) asan=1 ;; esac

# matches DIR: every file of the manifest is there with its SHA-256 and
# size, and every PDF in DIR is in the manifest (none unrecorded).
matches() {
	python3 - "$1" <<'PY'
import hashlib, json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
listed = set()
bad = 0
for f in m["files"]:
    p = os.path.join(d, f["path"])
    listed.add(f["path"])
    try:
        b = open(p, "rb").read()
    except OSError:
        print("missing:", f["path"], file=sys.stderr); bad = 1; continue
    if hashlib.sha256(b).hexdigest() != f["sha256"] or len(b) != f["bytes"]:
        print("differs from the manifest:", f["path"], file=sys.stderr); bad = 1
for root, dirs, files in os.walk(d):
    for n in files:
        rel = os.path.relpath(os.path.join(root, n), d)
        if n.endswith(".pdf") and rel not in listed:
            print("not in the manifest:", rel, file=sys.stderr); bad = 1
sys.exit(bad)
PY
}

# same_as_clean DIR CLEAN: the same files with the same bytes.
same_as_clean() {
	diff -r -x .dossier-lock "$1" "$2" > "$TMP/diff.txt" 2>&1
}

awk -v n=40 -f tools/gen_roster.awk > "$TMP/r.csv"
A=2026-11-27
B=2026-11-20
"$DOSSIER" render "$TMP/r.csv" -o "$TMP/clean" --date $A --quiet --jobs 2
"$DOSSIER" render "$TMP/r.csv" -o "$TMP/cleanB" --date $B --quiet --jobs 2

# --- a run with another date, killed at chosen moments, then the old way -----
# Each round starts from what the one before left, so the folder holds the
# leftovers of every kind of interruption at once.
O="$TMP/o"
check_exit 0 "first render" "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $A --quiet --jobs 2
points="1 2 17:before 40 64 99:before 118 119"
[ $asan -eq 1 ] && points="1 17:before 64 119"
for at in $points; do
	( DOSSIER_TEST_KILL=$at exec "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $B --quiet --jobs 2 ) > /dev/null 2>&1
	rc=$?
	check "killed at file $at (exit $rc)" [ $rc -eq 137 ]
	check_exit 0 "re-run after a kill at $at" "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $A --jobs 2
	check "after a kill at $at: every file matches the manifest" matches "$O"
	check "after a kill at $at: the files of a clean run, byte for byte" same_as_clean "$O" "$TMP/clean"
	[ -s "$TMP/diff.txt" ] && head -5 "$TMP/diff.txt" >&2
done
check_grep "the interruption is said" "the last run into this folder was interrupted" "$TMP/last.err"

# Killed twice in a row, between dates, then the other date.
( DOSSIER_TEST_KILL=30 exec "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $B --quiet --jobs 2 ) > /dev/null 2>&1
( DOSSIER_TEST_KILL=12:before exec "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $A --quiet --jobs 2 ) > /dev/null 2>&1
check_exit 0 "two kills, then a run with the other date" "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $B --quiet --jobs 2
check "two kills: every file matches the manifest" matches "$O"
check "two kills: the files of a clean run of that date" same_as_clean "$O" "$TMP/cleanB"
check "no journal left after a finished run" [ ! -e "$O/.dossier-journal" ]

# --- a file changed behind dossier's back, keeping its size --------------------
O="$TMP/same-size"
"$DOSSIER" render "$TMP/r.csv" -o "$O" --date $A --quiet --lang en
f=$(ls "$O"/en/briefs/*.pdf | head -n 1)
size=$(stat -c %s "$f")
python3 -c "
import sys; p = sys.argv[1]; b = bytearray(open(p, 'rb').read()); b[len(b) // 2] ^= 0x55; open(p, 'wb').write(b)" "$f"
check "the tampered file kept its size" [ "$(stat -c %s "$f")" -eq "$size" ]
check_exit 0 "re-run over a tampered brief" "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $A --lang en
check_grep "it is made again (its digest differs)" "(1 brief written, 39 up to date" "$TMP/last.err"
check_same "and equals a clean one" "$TMP/clean/en/briefs/$(basename "$f")" "$f"
check "the folder matches its manifest" matches "$O"

# --- a killed run of a longer roster leaves no unrecorded brief ------------------
O="$TMP/orphan"
head -n 31 "$TMP/r.csv" > "$TMP/r30.csv"
"$DOSSIER" render "$TMP/r30.csv" -o "$O" --date $A --quiet --jobs 1 --lang en
# The longer roster at another date: every brief is new, the killed run
# has renamed 38 of them, the last ones of records the short roster lacks.
( DOSSIER_TEST_KILL=38 exec "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $B --quiet --jobs 1 --lang en ) > /dev/null 2>&1
check "the killed run wrote a brief of a record the short roster lacks" \
	sh -c "ls '$O'/en/briefs | grep -q B000035"
check_exit 0 "the short roster again" "$DOSSIER" render "$TMP/r30.csv" -o "$O" --date $A --jobs 1 --lang en
check "the unrecorded brief is gone" sh -c "! ls '$O'/en/briefs | grep -q B000035"
check "every file matches the manifest" matches "$O"

# --- unchanged bytes are not rewritten ------------------------------------------
O="$TMP/same"
"$DOSSIER" render "$TMP/r.csv" -o "$O" --date $A --quiet --lang en,hy
touch -d '2001-01-01 00:00' "$O"/en/briefs/*.pdf "$O"/en/summary.pdf
check_exit 0 "--force over an unchanged folder" "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $A --lang en,hy --force
check_grep "the closing line says nothing changed" "0 files changed on disk" "$TMP/last.err"
check "no file was rewritten (modification times kept)" \
	sh -c "[ -z \"\$(find '$O/en' -name '*.pdf' -newermt '2002-01-01')\" ]"
sed -i 's/Fictional Person/Fictional Person/' "$TMP/r.csv"
awk -F, 'NR == 2 { $3 = $3 " Junior" } { print }' OFS=, "$TMP/r.csv" > "$TMP/r1.csv"
check_exit 0 "one record changed" "$DOSSIER" render "$TMP/r1.csv" -o "$O" --date $A --lang en,hy
check_grep "two briefs and two summaries changed" "4 files changed on disk" "$TMP/last.err"

# --- languages kept, and pruned only when asked --------------------------------
O="$TMP/langs"
"$DOSSIER" render "$TMP/r.csv" -o "$O" --date $A --quiet
check_exit 0 "render --lang en in a three-language folder" "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $A --lang en
check "the Russian briefs are kept" [ "$(ls "$O"/ru/briefs | wc -l)" -eq 40 ]
check "the Armenian summary is kept" [ -f "$O/hy/summary.pdf" ]
check "and stay in the manifest" sh -c "grep -c '\"lang\": \"ru\"' '$O/manifest.json' | grep -qx 41"
check "the folder matches its manifest" matches "$O"
check_exit 0 "--lang en --prune" "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $A --lang en --prune
check_grep "--prune says what it removed" "note: removed ru/summary.pdf (outside this run's selection; --prune)" "$TMP/last.err"
check_grep "--prune names removed briefs" "note: removed hy/briefs/B000001-" "$TMP/last.err"
check "the other languages are gone" [ ! -e "$O/ru" ] && [ ! -e "$O/hy" ]
check "the English ones stay" [ "$(ls "$O"/en/briefs | wc -l)" -eq 40 ]
check "the manifest lists English alone" sh -c "! grep -q '\"lang\": \"ru\"' '$O/manifest.json'"

# --- two runs in one folder -------------------------------------------------------
O="$TMP/two"
mkdir -p "$O/en/briefs"
: > "$O/en/briefs/.dossier-tmp-999-0-x.pdf"
( flock 9; echo 4242 > "$O/.dossier-lock"; sleep 30 ) 9> "$O/.dossier-lock" &
holder=$!
for i in $(seq 50); do [ -s "$O/.dossier-lock" ] && break; sleep 0.1; done
check_exit 2 "a second run into a folder in use: exit 2" "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $A --lang en
check_grep "it says the folder is in use, with the holder's pid" "is in use by another dossier run (pid 4242)" "$TMP/last.err"
check "it does not sweep the first run's temporary files" [ -e "$O/en/briefs/.dossier-tmp-999-0-x.pdf" ]
kill $holder 2>/dev/null
wait $holder 2>/dev/null
# Two real runs started together: one renders, the other exits 2.
"$DOSSIER" render "$TMP/r.csv" -o "$TMP/two2" --date $A --quiet --jobs 1 > /dev/null 2> "$TMP/r1.err" &
p1=$!
for i in $(seq 100); do [ -s "$TMP/two2/.dossier-lock" ] && break; sleep 0.05; done
"$DOSSIER" render "$TMP/r.csv" -o "$TMP/two2" --date $A --quiet --jobs 1 > /dev/null 2> "$TMP/r2.err"
rc2=$?
wait $p1
rc1=$?
check "two runs at once: the first renders (exit $rc1)" [ $rc1 -eq 0 ]
check "two runs at once: the second exits 2 (exit $rc2)" [ $rc2 -eq 2 ]
check_grep "two runs at once: the second names the first's pid" "(pid $p1)" "$TMP/r2.err"
check "and the folder matches its manifest" matches "$TMP/two2"

# --- encryption: killed runs leave nothing readable -------------------------------
printf 'correct horse\n' > "$TMP/pw"
# Every PDF there is encrypted (qpdf: a password is required) and gives
# no text without the password. A temporary file may be cut short by the
# kill, then qpdf cannot parse it: it must still be qpdf's encrypted output
# (PDF 1.7), never dossier's own writer's bytes in the clear (PDF 1.5).
none_readable() {
	local f bad=0
	for f in $(find "$1" -type f \( -name '*.pdf' -o -name '.dossier-tmp-*' \)); do
		case "$f" in
		*/.dossier-tmp-*)
			[ ! -s "$f" ] || [ "$(head -c 8 "$f")" != "%PDF-1.5" ] ||
				{ echo "clear temporary file: $f" >&2; bad=1; } ;;
		*)
			qpdf --requires-password "$f" > /dev/null 2>&1
			[ $? -eq 0 ] || { echo "not encrypted: $f" >&2; bad=1; } ;;
		esac
		pdftotext "$f" - > /dev/null 2>&1 && { echo "readable: $f" >&2; bad=1; }
	done
	return $bad
}
# The test above can tell: a brief in the clear starts with PDF 1.5.
"$DOSSIER" render "$TMP/r.csv" -o "$TMP/clear" --date $A --lang en --only B000001 --quiet
check "a brief in the clear is told apart" sh -c "[ \"\$(head -c 8 '$TMP'/clear/en/briefs/B000001-*.pdf)\" = '%PDF-1.5' ]"
O="$TMP/enc"
for at in 1 3:before 9 20:before 33 50 51:before; do
	( DOSSIER_TEST_KILL=$at exec "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $A --lang en,hy \
		--password-file "$TMP/pw" --quiet --jobs 2 ) > /dev/null 2>&1
	check "encrypted, killed at file $at: nothing readable" none_readable "$O"
done
# Every file under a final name opens whole with the password.
final_whole() {
	local f bad=0
	for f in $(find "$1" -name '*.pdf' ! -name '.dossier-tmp-*'); do
		qpdf --check --password='correct horse' "$f" > /dev/null 2>&1 || { echo "broken: $f" >&2; bad=1; }
	done
	return $bad
}
# every_brief DIR: the briefs of every record in en and hy (the names of a
# clean run), the summaries, nothing temporary, no journal.
every_brief() {
	local l
	for l in en hy; do
		[ "$(ls "$1/$l/briefs")" = "$(ls "$TMP/clean/$l/briefs")" ] || { echo "$l briefs differ" >&2; return 1; }
		[ -f "$1/$l/summary.pdf" ] || return 1
	done
	[ -z "$(find "$1" -name '.dossier-tmp-*')" ] && [ ! -e "$1/.dossier-journal" ]
}
# Kills after chosen files, each round at the other date (so every file
# changes): after the second brief, before the rename of the 41st (the
# middle), after the last brief, before the rename of the first summary,
# after the last summary (82 files: 80 briefs, then 2 summaries). After
# each: nothing readable, nothing cut short under a final name, and
# exactly the files the kill let through are new; the next run of that
# date removes them as unrecorded and completes every brief.
points="2:2 41:before:40 80:80 81:before:80 82:82"
[ $asan -eq 1 ] && points="2:2 81:before:80"
d=$B
for spec in $points; do
	at=${spec%:*}
	want=${spec##*:}
	touch "$TMP/mark"
	( DOSSIER_TEST_KILL=$at exec "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $d --lang en,hy \
		--password-file "$TMP/pw" --quiet --jobs 2 ) > /dev/null 2>&1
	rc=$?
	check "encrypted, killed at file $at (exit $rc)" [ $rc -eq 137 ]
	check "encrypted, killed at file $at: nothing readable" none_readable "$O"
	check "encrypted, killed at file $at: nothing cut short under a final name" final_whole "$O"
	n=$(find "$O" -name '*.pdf' ! -name '.dossier-tmp-*' -newer "$TMP/mark" | wc -l)
	check "encrypted, killed at file $at: the $want files put in place before it (got $n)" [ "$n" -eq "$want" ]
	check_exit 0 "encrypted, re-run after a kill at $at" "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $d \
		--lang en,hy --password-file "$TMP/pw" --quiet --jobs 2
	check_grep "after a kill at $at: the files never recorded are made again" \
		"$want files it wrote but never recorded were removed and will be made again" "$TMP/last.err"
	check "after a kill at $at: every brief and summary, no leftover" every_brief "$O"
	check "after a kill at $at: every file matches the manifest" matches "$O"
	check "after a kill at $at: all encrypted" none_readable "$O"
	[ $d = $B ] && d=$A || d=$B
done
check_exit 0 "an encrypted run after the kills" "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $A --lang en,hy --password-file "$TMP/pw" --jobs 2
check "every file matches the manifest" matches "$O"
check "all encrypted" none_readable "$O"
check "and they open with the password" sh -c "pdftotext -upw 'correct horse' '$O/en/summary.pdf' - | grep -q 'Fictional\|Avetisyan\|Hovsepyan'"
check_exit 0 "a re-run with the same password" "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $A --lang en,hy --password-file "$TMP/pw" --jobs 2
check_grep "finds them up to date (it asks the files)" "(0 briefs written, 80 up to date" "$TMP/last.err"
pwsum=$(sha256sum "$TMP/pw" | cut -c1-64)
pwsum2=$(printf 'correct horse' | sha256sum | cut -c1-64)
check_nogrep "no digest of the password file in the manifest" "$pwsum" "$O/manifest.json"
check_nogrep "no digest of the password in the manifest" "$pwsum2" "$O/manifest.json"
printf 'other horse\n' > "$TMP/pw2"
check_exit 0 "another password" "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $A --lang en,hy --password-file "$TMP/pw2" --jobs 2
check_grep "renders everything again" "(80 briefs written, 0 up to date" "$TMP/last.err"
check "which then open with the new password" sh -c "pdftotext -upw 'other horse' '$O/en/summary.pdf' - > /dev/null"
check_exit 0 "without a password" "$DOSSIER" render "$TMP/r.csv" -o "$O" --date $A --lang en,hy --jobs 2
check_grep "renders everything again, in the clear" "(80 briefs written, 0 up to date" "$TMP/last.err"

# --- a full disk with a password ----------------------------------------------------
# A small tmpfs where the test may mount one (root), else a file-size limit.
F="$TMP/fulldisk"
mkdir -p "$F"
if mount -t tmpfs -o size=400k tmpfs "$F" 2> /dev/null; then
	how="a 400 KB tmpfs"
	"$DOSSIER" render "$TMP/r.csv" -o "$F/o" --date $A --password-file "$TMP/pw" --jobs 2 > "$TMP/full.out" 2> "$TMP/full.err"
	rc=$?
else
	how="ulimit -f"
	( ulimit -f 200; trap '' XFSZ; exec "$DOSSIER" render "$TMP/r.csv" -o "$F/o" --date $A --password-file "$TMP/pw" --jobs 2 ) > "$TMP/full.out" 2> "$TMP/full.err"
	rc=$?
fi
check "full disk with a password ($how): exit 2 (got $rc)" [ $rc -eq 2 ]
check_grep "full disk with a password: a clear error" "error: cannot write" "$TMP/full.err"
whole_encrypted() {
	local f bad=0
	for f in $(find "$1" -name '*.pdf' ! -name '.dossier-tmp-*'); do
		qpdf --check --password='correct horse' "$f" > /dev/null 2>&1 || { echo "broken: $f" >&2; bad=1; }
	done
	return $bad
}
check "full disk with a password: every file under a final name is whole" whole_encrypted "$F/o"
manifest_ok() { [ ! -e "$1/manifest.json" ] || matches "$1"; }
check "full disk with a password: no manifest lists a truncated file" manifest_ok "$F/o"
check "full disk with a password: no temporary file" [ -z "$(find "$F/o" -name '.dossier-tmp-*')" ]
mountpoint -q "$F" && umount "$F"

# --- a full disk keeps the last good summary -----------------------------------------
O="$TMP/keep"
"$DOSSIER" render "$TMP/r.csv" -o "$O" --date $A --quiet --lang en
sum_before=$(sha256sum "$O/en/summary.pdf" | cut -c1-64)
big=$(find "$O/en/briefs" -name '*.pdf' -printf '%s\n' | sort -n | tail -n 1)
sz=$(stat -c %s "$O/en/summary.pdf")
lim=$(( (big + 1023) / 1024 + 2 ))
if [ $((lim * 1024)) -lt "$sz" ]; then
	( ulimit -f $lim; trap '' XFSZ; exec "$DOSSIER" render "$TMP/r1.csv" -o "$O" --date $A --lang en ) > /dev/null 2> "$TMP/keep.err"
	rc=$?
	check "a summary that cannot be written: exit 2 (got $rc)" [ $rc -eq 2 ]
	check "the last good summary is still there, unchanged" \
		[ "$(sha256sum "$O/en/summary.pdf" | cut -c1-64)" = "$sum_before" ]
	check_exit 0 "the next run" "$DOSSIER" render "$TMP/r1.csv" -o "$O" --date $A --lang en
	check "then everything matches the manifest" matches "$O"
	check "and the summary is the new one" [ "$(sha256sum "$O/en/summary.pdf" | cut -c1-64)" != "$sum_before" ]
fi

# --- a brief that cannot be made leaves its record out, not the summary ----------------
long=$(python3 -c "print(' '.join(['Averyveryverylongfictionalname'] * 8))")
printf 'id,category,name_en,detained_on,status\nA-1,pow,Aram Fictional,2020-12-13,held\nA-2,pow,%s,2020-12-13,held\nA-3,civilian,Levon Fictional,2021-01-10,held\n' "$long" > "$TMP/s.csv"
O="$TMP/strict"
check_exit 1 "--strict with a brief that does not fit: exit 1" "$DOSSIER" render "$TMP/s.csv" -o "$O" --date $A --strict --lang en,ru
check "the summaries of the others are written" [ -f "$O/en/summary.pdf" ] && [ -f "$O/ru/summary.pdf" ]
check "the record is listed as left out, with its reason" python3 -c "
import json, sys
m = json.load(open('$O/manifest.json'))
lo = [x for x in m['left_out'] if x['record'] == 'A-2']
sys.exit(not (lo and lo[0]['line'] == 3 and 'could not be rendered' in lo[0]['reason'] and 'do not fit' in lo[0]['reason']))"
check "and is not in the summary" sh -c "! pdftotext '$O/en/summary.pdf' - | grep -q Averyveryverylongfictionalname"
check "the others are" sh -c "pdftotext '$O/en/summary.pdf' - | grep -q 'Levon Fictional'"

# --- links in --layouts and --fonts: followed only inside, never in a loop ------------
cp -R layouts "$TMP/lay"
ln -s . "$TMP/lay/loop"
ln -s .. "$TMP/lay/en/up"
ln -s / "$TMP/lay/root"
timeout 60 "$DOSSIER" render "$TMP/r.csv" -o "$TMP/links" --date $A --quiet --lang en --layouts "$TMP/lay" --only B000001
rc=$?
check "a layouts folder with link loops and a link out renders (exit $rc)" [ $rc -eq 0 ]

done_testing
