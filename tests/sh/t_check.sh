#!/usr/bin/env bash
# t_check.sh: `dossier check` as a user runs it: exit codes, diagnostics,
# encodings, JSON Lines, file-level errors, and memory on a large roster.
. "$(dirname "$0")/lib.sh"
G=tests/golden/check

# --- the command line -------------------------------------------------------
check_exit 0 "--version" "$DOSSIER" --version
check_grep "--version prints the version" "dossier 0." "$TMP/last.out"
check_exit 0 "--help" "$DOSSIER" --help
check_grep "--help lists commands" "layouts check" "$TMP/last.out"
for c in check render proof; do
	check_exit 0 "$c --help" "$DOSSIER" $c --help
	check_grep "$c --help prints usage" "usage: dossier $c" "$TMP/last.out"
done
check_exit 0 "layouts --help" "$DOSSIER" layouts --help
check_exit 2 "no command" "$DOSSIER"
check_exit 2 "unknown command" "$DOSSIER" frobnicate
check_grep "unknown command named" 'unknown command "frobnicate"' "$TMP/last.err"
check_exit 2 "check without roster" "$DOSSIER" check
check_exit 2 "bad --format" "$DOSSIER" check samples/roster.csv --format xml
check_exit 2 "bad --delimiter" "$DOSSIER" check samples/roster.csv --delimiter x
check_exit 2 "bad --date" "$DOSSIER" check samples/roster.csv --date 2021-02-30

# --- the samples --------------------------------------------------------------
check_exit 0 "sample roster is valid" "$DOSSIER" check samples/roster.csv --date 2026-11-27
check_grep "summary line" "14 records, 14 valid, 0 left out" "$TMP/last.out"
check_exit 1 "bad roster leaves records out" "$DOSSIER" check samples/bad-roster.csv --date 2026-11-27
check_same "bad roster diagnostics (golden)" "$G/bad-roster.expect" "$TMP/last.err"
check_grep "bad roster summary" "25 records, 2 valid, 23 left out" "$TMP/last.out"

# --- JSON Lines -------------------------------------------------------------
"$DOSSIER" check samples/roster.csv --date 2026-11-27 --format json > "$TMP/sample.jsonl"
check "JSON has one line per record" [ "$(wc -l < "$TMP/sample.jsonl")" -eq 14 ]
if command -v python3 >/dev/null; then
	check "JSON parses and keeps every script" python3 - "$TMP/sample.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
byid = {r["id"]: r for r in rows}
assert byid["F-001"]["name_hy"] == "Տիգրան Ավետիսյան"
assert byid["F-001"]["name_ru"] == "Тигран Аветисян"
assert byid["F-010"]["sentence_years"] == "0.5"          # decimal comma normalized
assert "\n" in byid["F-014"]["circumstances_en"]         # embedded newline kept
assert '"checked and let go"' in byid["F-014"]["circumstances_en"]
assert list(rows[0].keys())[:3] == ["id", "category", "name_en"]
PY
	# Every character that JSON must escape.
	printf 'id,category,name_en,detained_on,status,circumstances_en\nJ-1,pow,"Q ""x"" \\ y",2020-12-13,held,"a\tb\x01c\x7f\nd"\n' > "$TMP/esc.csv"
	"$DOSSIER" check "$TMP/esc.csv" --date 2026-11-27 --format json > "$TMP/esc.jsonl" 2> "$TMP/esc.err"
	check "control characters in a long text are an error" grep -q "control character U+0001" "$TMP/esc.err"
	printf 'id,category,name_en,detained_on,status,circumstances_en\nJ-1,pow,"Q ""x"" \\ y",2020-12-13,held,"a\tb\nd"\n' > "$TMP/esc.csv"
	"$DOSSIER" check "$TMP/esc.csv" --date 2026-11-27 --format json > "$TMP/esc.jsonl"
	check "JSON escaping round-trips" python3 -c '
import json, sys
r = json.loads(open(sys.argv[1]).read())
assert r["name_en"] == "Q \"x\" \\ y", r
assert r["circumstances_en"] == "a\tb\nd", r' "$TMP/esc.jsonl"
fi

# --- encodings: the same records from every encoding ------------------------
"$DOSSIER" check $G/enc-ru.csv --format json --date 2026-11-27 > "$TMP/ru.utf8.jsonl"
"$DOSSIER" check $G/enc-hy.csv --format json --date 2026-11-27 > "$TMP/hy.utf8.jsonl"
check "Russian fixture has 2 records" [ "$(wc -l < "$TMP/ru.utf8.jsonl")" -eq 2 ]
for enc in CP1251 KOI8-R; do
	iconv -f UTF-8 -t $enc $G/enc-ru.csv > "$TMP/ru.$enc.csv"
	"$DOSSIER" check "$TMP/ru.$enc.csv" --encoding $enc --format json --date 2026-11-27 > "$TMP/ru.$enc.jsonl"
	check_same "$enc reads to the same records" "$TMP/ru.utf8.jsonl" "$TMP/ru.$enc.jsonl"
done
iconv -f UTF-8 -t ARMSCII-8 $G/enc-hy.csv > "$TMP/hy.armscii.csv"
"$DOSSIER" check "$TMP/hy.armscii.csv" --encoding ARMSCII-8 --format json --date 2026-11-27 > "$TMP/hy.armscii.jsonl"
check_same "ARMSCII-8 reads to the same records" "$TMP/hy.utf8.jsonl" "$TMP/hy.armscii.jsonl"
"$DOSSIER" check samples/roster.csv --format json --date 2026-11-27 > "$TMP/all.utf8.jsonl"
cp -R samples/photos "$TMP/photos"   # the converted copies keep their photo
iconv -f UTF-8 -t UTF-16 samples/roster.csv > "$TMP/u16.csv"
"$DOSSIER" check "$TMP/u16.csv" --format json --date 2026-11-27 > "$TMP/u16.jsonl"
check_same "UTF-16 with BOM (auto) reads to the same records" "$TMP/all.utf8.jsonl" "$TMP/u16.jsonl"
{ printf '\357\273\277'; cat samples/roster.csv; } > "$TMP/bom.csv"
"$DOSSIER" check "$TMP/bom.csv" --format json --date 2026-11-27 > "$TMP/bom.jsonl"
check_same "UTF-8 with BOM reads to the same records" "$TMP/all.utf8.jsonl" "$TMP/bom.jsonl"
# Excel in a Russian locale: semicolons and CRLF.
if command -v python3 >/dev/null; then
	python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
w = csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline=""), delimiter=";", lineterminator="\r\n")
w.writerows(rows)' samples/roster.csv "$TMP/excel.csv"
	"$DOSSIER" check "$TMP/excel.csv" --format json --date 2026-11-27 > "$TMP/excel.jsonl"
	check_same "semicolons and CRLF read to the same records" "$TMP/all.utf8.jsonl" "$TMP/excel.jsonl"
fi
# Not UTF-8 and no --encoding: the line and column of the first bad byte.
check_exit 2 "CP1251 without --encoding" "$DOSSIER" check "$TMP/ru.CP1251.csv"
check_grep "bad byte located, CP1251 suggested" "ru.CP1251.csv:2:23: error: byte 0xC0 is not valid UTF-8" "$TMP/last.err"
check_grep "suggests an encoding" "--encoding CP1251" "$TMP/last.err"
check_exit 2 "unknown encoding" "$DOSSIER" check samples/roster.csv --encoding NOPE-1
check_exit 0 "JSON not printed after a bad byte" true
"$DOSSIER" check "$TMP/ru.CP1251.csv" --format json > "$TMP/none.jsonl" 2>/dev/null
check "nothing written for an unreadable roster" [ ! -s "$TMP/none.jsonl" ]

# --- file-level problems: exit 2, the file named ------------------------------
check_exit 2 "missing file" "$DOSSIER" check "$TMP/nope.csv"
check_grep "missing file named" "nope.csv: error: cannot open" "$TMP/last.err"
: > "$TMP/empty.csv"
check_exit 2 "empty file" "$DOSSIER" check "$TMP/empty.csv"
check_grep "empty file named" "empty.csv: error: the file is empty" "$TMP/last.err"
head -c 3000 /bin/ls > "$TMP/junk.csv"
check_exit 2 "binary junk" "$DOSSIER" check "$TMP/junk.csv"
check_grep "binary junk named" "junk.csv:" "$TMP/last.err"
printf 'id,category,name_en,status\nA,pow,X,held\n' > "$TMP/nocol.csv"
check_exit 2 "missing required column" "$DOSSIER" check "$TMP/nocol.csv"
check_grep "missing column named" 'required column "detained_on" is missing' "$TMP/last.err"
printf 'id,category,name_en,detained_on,status,id\n' > "$TMP/dup.csv"
check_exit 2 "column named twice" "$DOSSIER" check "$TMP/dup.csv"
check_grep "duplicate column named" 'column "id" appears twice' "$TMP/last.err"

# --- photos: inside the roster's folder only ----------------------------------
mkdir -p "$TMP/r/photos" "$TMP/outside"
cp samples/photos/placeholder.png "$TMP/outside/p.png"
cp samples/photos/placeholder.png "$TMP/r/photos/ok.png"
ln -s ../../outside/p.png "$TMP/r/photos/link.png"
printf 'GIF89a' > "$TMP/r/photos/fake.png"
cat > "$TMP/r/roster.csv" <<'CSV'
id,category,name_en,detained_on,status,photo
P-1,pow,Ok Photo,2020-12-13,held,photos/ok.png
P-2,pow,Link Out,2020-12-13,held,photos/link.png
P-3,pow,Not Image,2020-12-13,held,photos/fake.png
P-4,pow,No File,2020-12-13,held,photos/none.png
P-5,pow,Dot Dot,2020-12-13,held,photos/../../outside/p.png
CSV
check_exit 1 "photo checks" "$DOSSIER" check "$TMP/r/roster.csv" --date 2026-11-27
check_nogrep "a photo inside the folder is fine" "roster.csv:2:" "$TMP/last.err"
check_grep "symlink leading out" "roster.csv:3:34: error: P-2: photo:" "$TMP/last.err"
check_grep "symlink leading out explained" "through a symbolic link" "$TMP/last.err"
check_grep "not an image: a warning" "roster.csv:4:35: warning: P-3: photo: \"photos/fake.png\" is neither a JPEG nor a PNG" "$TMP/last.err"
check_grep "missing photo: a warning" "roster.csv:5:33: warning: P-4: photo: cannot open" "$TMP/last.err"
check_grep "records with a photo warning stay in" "5 records, 3 valid, 2 left out" "$TMP/last.out"
check_grep "dot dot" 'leads out of the roster'"'"'s folder ("..")' "$TMP/last.err"
# A FIFO, a folder or an absolute path as the photo: the check neither
# blocks on the FIFO nor reads outside the folder.
mkfifo "$TMP/r/photos/fifo.png"
mkdir -p "$TMP/r/photos/dir.png"
cat > "$TMP/r/odd.csv" <<CSV
id,category,name_en,detained_on,status,photo
Q-1,pow,Fifo Photo,2020-12-13,held,photos/fifo.png
Q-2,pow,Folder Photo,2020-12-13,held,photos/dir.png
Q-3,pow,Absolute Photo,2020-12-13,held,$TMP/outside/p.png
CSV
check_exit 1 "odd photo files" timeout 20 "$DOSSIER" check "$TMP/r/odd.csv" --date 2026-11-27
check_grep "a FIFO is not read: a warning" 'odd.csv:2:' "$TMP/last.err"
check_grep "a FIFO is not a regular file" '"photos/fifo.png" is not a regular file' "$TMP/last.err"
check_grep "a folder is not a regular file" '"photos/dir.png" is not a regular file' "$TMP/last.err"
check_grep "an absolute path is an error" 'is an absolute path; give a path relative' "$TMP/last.err"
check_grep "the FIFO and the folder stay in, the absolute one is left out" "3 records, 2 valid, 1 left out" "$TMP/last.out"

# --- line ends: a lone CR (Excel's "CSV (Macintosh)") ends a line ------------
if command -v python3 >/dev/null; then
	python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
w = csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline=""), lineterminator="\r")
w.writerows(rows)' samples/roster.csv "$TMP/mac.csv"
	check "the CR-only copy has no LF between records" [ "$(tr -cd '\r' < "$TMP/mac.csv" | wc -c)" -ge 15 ]
	"$DOSSIER" check "$TMP/mac.csv" --format json --date 2026-11-27 > "$TMP/mac.jsonl"
	check_same "CR-only line ends read to the same records" "$TMP/all.utf8.jsonl" "$TMP/mac.jsonl"
fi
# The bad roster with lone CRs: the same diagnostics, at the same lines.
mkdir -p "$TMP/cr/samples"
tr '\n' '\r' < samples/bad-roster.csv > "$TMP/cr/samples/bad-roster.csv"
dossier_abs=$(cd "$(dirname "$DOSSIER")" && pwd)/$(basename "$DOSSIER")
( cd "$TMP/cr" && "$dossier_abs" check samples/bad-roster.csv --date 2026-11-27 ) 2> "$TMP/cr.err" > "$TMP/cr.out"
check_same "CR-only bad roster: same diagnostics and lines (golden)" "$G/bad-roster.expect" "$TMP/cr.err"
check_grep "CR-only bad roster: line 6 of the file" "bad-roster.csv:6:22: error: B-05: detained_on:" "$TMP/cr.err"
# Reading is linear: a CR-only roster takes no more memory than the LF one
# (it used to be read as one line: 6 times the memory, minutes of time).
rows=100000
case "${BUILD:-build}" in *asan*) rows=20000 ;; esac
for eol in lf cr; do
	awk -v n=$rows -v eol=$eol 'BEGIN {
		e = eol == "cr" ? "\r" : "\n"
		printf "id,category,name_en,name_ru,detained_on,status,circumstances_en%s", e
		for (i = 1; i <= n; i++)
			printf "R%d,pow,Fictional Person %d,Вымышленный %d,2020-12-13,held,\"Captured, as reported, near a village.\"%s", i, i, i, e
	}' > "$TMP/eol-$eol.csv"
	/usr/bin/time -f '%M %e' -o "$TMP/eol-$eol.time" "$DOSSIER" check "$TMP/eol-$eol.csv" --format json --date 2026-11-27 > "$TMP/eol-$eol.jsonl"
done
check_same "$rows CR-only records read as the LF ones" "$TMP/eol-lf.jsonl" "$TMP/eol-cr.jsonl"
lf_rss=$(tail -n 1 "$TMP/eol-lf.time" | cut -d' ' -f1)
cr_rss=$(tail -n 1 "$TMP/eol-cr.time" | cut -d' ' -f1)
check "CR-only roster in the memory of the LF one (${cr_rss} KB vs ${lf_rss} KB)" [ "$cr_rss" -lt $((lf_rss * 3 / 2)) ]
rm -f "$TMP"/eol-*

# --- characters: what render could not print fails here ----------------------
printf 'id,category,name_en,name_ru,detained_on,status,circumstances_en,sentence_years\n' > "$TMP/chars.csv"
printf 'K-1,pow,Li \xe4\xb8\xad,,2020-12-13,held,,\n' >> "$TMP/chars.csv"
printf 'K-2,pow,"Ab\xe2\x80\xaecd",,2020-12-13,held,,\n' >> "$TMP/chars.csv"
printf 'K-3,pow,Ok,,2020-12-13,held,"one\nt\xf0\x9f\x98\x80",\n' >> "$TMP/chars.csv"
printf 'K-4,pow,Ok,\xd0\x98\xc2\x9b,2020-12-13,held,,\n' >> "$TMP/chars.csv"
printf 'K-5,pow,Ok,,2020-12-13,convicted,,1e1\n' >> "$TMP/chars.csv"
printf 'K-6,pow,Ok,,2020-12-13,convicted,"tab\there",0x10\n' >> "$TMP/chars.csv"
printf 'K-7,pow,Ok,,2020-12-13,convicted,,"0,5"\n' >> "$TMP/chars.csv"
check_exit 1 "characters no font has" "$DOSSIER" check "$TMP/chars.csv" --date 2026-11-27
check_grep "a character in no font, at its column" "chars.csv:2:12: error: K-1: name_en: U+4E2D '中' CJK UNIFIED IDEOGRAPH-4E2D is in none of the configured fonts" "$TMP/last.err"
check_grep "a bidi override, at its column" "chars.csv:3:12: error: K-2: name_en: contains U+202E RIGHT-TO-LEFT OVERRIDE, an invisible bidirectional control" "$TMP/last.err"
check_grep "outside the BMP, on the second line of a text" "chars.csv:5:2: error: K-3: circumstances_en: contains U+1F600" "$TMP/last.err"
check_grep "a C1 control" "chars.csv:6:13: error: K-4: name_ru: contains the control character U+009B" "$TMP/last.err"
check_grep "1e1 is not a number of years" 'chars.csv:7:35: error: K-5: sentence_years: "1e1" is not a number of years' "$TMP/last.err"
check_grep "0x10 is not a number of years" 'K-6: sentence_years: "0x10" is not a number of years' "$TMP/last.err"
check_nogrep "a tab in a long text is fine" "K-6: circumstances_en" "$TMP/last.err"
check_grep "only the decimal comma passes" "7 records, 1 valid, 6 left out" "$TMP/last.out"
# --fonts: the render's option, the render's default.
check_exit 2 "check --fonts with no fonts.conf" "$DOSSIER" check "$TMP/chars.csv" --fonts "$TMP/nofonts"
check_grep "the font configuration named" "nofonts/fonts.conf: error: cannot read font configuration" "$TMP/last.err"
check_exit 1 "check --fonts fonts" "$DOSSIER" check "$TMP/chars.csv" --fonts fonts --date 2026-11-27
check_grep "same verdict with the shipped fonts given" "7 records, 1 valid, 6 left out" "$TMP/last.out"
# render leaves out the same record, for the same reason.
check_exit 1 "render rejects what check rejects" "$DOSSIER" render "$TMP/chars.csv" -o "$TMP/chars-out" --lang en --date 2026-11-27 --quiet --jobs 1
check_grep "render: the character named at its column" "chars.csv:2:12: error: K-1: name_en: U+4E2D" "$TMP/last.err"
check "render: K-1 left out in the manifest" grep -q '"K-1"' "$TMP/chars-out/manifest.json"
check "render: only K-7 rendered" [ "$(ls "$TMP/chars-out/en/briefs" | wc -l)" -eq 1 ]

# --- JSON carries every column, in header order -------------------------------
printf 'nickname,id,category,name_en,detained_on,status,,notes\nNick,U-1,pow,Ok,2020-12-13,held,x,"a ""b"""\n' > "$TMP/cols.csv"
"$DOSSIER" check "$TMP/cols.csv" --format json --date 2026-11-27 > "$TMP/cols.jsonl" 2> "$TMP/cols.err"
check_same "unknown columns kept in header order" /dev/stdin "$TMP/cols.jsonl" <<'JSON'
{"nickname":"Nick","id":"U-1","category":"pow","name_en":"Ok","detained_on":"2020-12-13","status":"held","notes":"a \"b\""}
JSON

# --- encodings: UTF-8 read as a code page, lone surrogates -------------------
check_exit 0 "UTF-8 read as CP1251 still decodes" "$DOSSIER" check $G/enc-ru.csv --encoding CP1251 --date 2026-11-27
check_grep "mojibake: a warning at the first sequence" "enc-ru.csv:2:23: warning: the roster looks like UTF-8 read as CP1251:" "$TMP/last.err"
check_grep "mojibake: try UTF-8" "try --encoding UTF-8" "$TMP/last.err"
check_exit 0 "real CP1251" "$DOSSIER" check "$TMP/ru.CP1251.csv" --encoding CP1251 --date 2026-11-27
check_nogrep "real CP1251: no mojibake warning" "looks like UTF-8" "$TMP/last.err"
check_exit 0 "real ARMSCII-8" "$DOSSIER" check "$TMP/hy.armscii.csv" --encoding ARMSCII-8 --date 2026-11-27
check_nogrep "real ARMSCII-8: no mojibake warning" "looks like UTF-8" "$TMP/last.err"
check_exit 2 "UTF-8 read as Latin-1 with a byte CP1252 lacks" "$DOSSIER" check samples/roster.csv --encoding CP1252
check_grep "the bad byte says try UTF-8" "try --encoding UTF-8" "$TMP/last.err"
printf '\377\376i\000d\000\n\000=\330x\000\n\000' > "$TMP/sur.csv"
check_exit 2 "a lone surrogate" "$DOSSIER" check "$TMP/sur.csv"
check_grep "lone surrogate named at its line and column" "sur.csv:2:1: error: lone surrogate U+D83D" "$TMP/last.err"

# --- diagnostics are capped, with a count of the rest ------------------------
{ echo "id,category,name_en,detained_on,status"
  for i in $(seq 1 300); do echo "X$i,nope,Name,2020-12-13,held"; done; } > "$TMP/many.csv"
check_exit 1 "many errors" "$DOSSIER" check "$TMP/many.csv"
check "at most 100 diagnostics printed" [ "$(grep -c ': error: ' "$TMP/last.err")" -eq 100 ]
check_grep "the rest counted" "200 more diagnostics not shown" "$TMP/last.err"

# --- a 200,000-row roster streams in bounded memory ------------------------
rows=200000
case "${BUILD:-build}" in *asan*) rows=20000 ;; esac
awk -v n=$rows 'BEGIN {
	print "id,category,name_en,name_ru,name_hy,detained_on,status,circumstances_en"
	for (i = 1; i <= n; i++)
		printf "R%d,pow,Fictional Person %d,Вымышленный %d,Հորինված %d,2020-12-13,held,\"Captured, as reported, near a village; held since.\"\n", i, i, i, i
}' > "$TMP/big.csv"
/usr/bin/time -f '%M' -o "$TMP/rss" "$DOSSIER" check "$TMP/big.csv" --format json --date 2026-11-27 > "$TMP/big.jsonl"
check "big roster: every record out" [ "$(wc -l < "$TMP/big.jsonl")" -eq $rows ]
rss=$(tail -n 1 "$TMP/rss")
if [ $rows -eq 200000 ]; then
	check "200,000 rows under 150 MB peak (got ${rss} KB)" [ "$rss" -lt 153600 ]
fi
rm -f "$TMP/big.csv" "$TMP/big.jsonl"

done_testing
