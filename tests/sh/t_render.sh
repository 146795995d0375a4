#!/usr/bin/env bash
# t_render.sh: `dossier render` as a delegation uses it: every brief in
# every language, what a reader gets from the PDFs (names in all three
# scripts, localized dates and plurals, marks for transliterated names and
# fallback texts), the manifest, byte-identical re-runs, exit codes.
. "$(dirname "$0")/lib.sh"
G=tests/golden/brief
O="$TMP/out"
nbsp=$(printf '\302\240')
text() { pdftotext -enc UTF-8 "$@" - 2>/dev/null | sed "s/$nbsp/ /g"; }

check_exit 0 "render the sample roster" "$DOSSIER" render samples/roster.csv -o "$O" --date 2026-11-27

# briefs_are DIR ROSTER LANGS [IDS]: the files under DIR/*/briefs are one
# LANG/briefs/ID-slug.pdf per record (IDS, or every id of ROSTER) and
# language, nothing else; each shows its record's id on every page, as its
# footer does, and the manifest lists exactly these with their digests.
briefs_are() {
	python3 - "$@" <<'PY'
import csv, glob, hashlib, json, os, subprocess, sys
out, roster, langs = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
ids = sys.argv[4].split(",") if len(sys.argv) > 4 else \
    [r["id"] for r in csv.DictReader(open(roster, encoding="utf-8"))]
want = {(i, l) for i in ids for l in langs}
files = sorted(os.path.relpath(p, out) for p in glob.glob(out + "/*/briefs/*"))
got = {}
for f in files:
    lang, _, name = f.split("/")
    rid = next((i for i in ids if name.startswith(i + "-") and name.endswith(".pdf")), None)
    assert rid and (rid, lang) not in got, ("unexpected file", f)
    got[(rid, lang)] = f
assert set(got) == want, ("missing", sorted(want - set(got)), "extra", sorted(set(got) - want))
for (rid, lang), f in got.items():
    pages = subprocess.run(["pdftotext", "-enc", "UTF-8", os.path.join(out, f), "-"],
                           capture_output=True, text=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert pages and all(rid in p for p in pages), (f, "id not on every page")
m = json.load(open(os.path.join(out, "manifest.json"), encoding="utf-8"))
listed = {x["path"]: x for x in m["files"] if x["record"] is not None}
assert set(listed) == set(got.values()), ("manifest", sorted(set(listed) ^ set(got.values())))
for path, x in listed.items():
    data = open(os.path.join(out, path), "rb").read()
    assert (x["record"], x["lang"]) in got and got[(x["record"], x["lang"])] == path, x
    assert hashlib.sha256(data).hexdigest() == x["sha256"] and x["bytes"] == len(data), path
PY
}
# summaries_are DIR LANGS: DIR/LANG/summary.pdf for each language and no
# other summary; each in the manifest with its digest, its first page the
# title of that language's summary (summary.doc.title of its layouts).
summaries_are() {
	python3 - "$@" <<'PY'
import glob, hashlib, json, os, subprocess, sys
out, langs = sys.argv[1], sys.argv[2].split(",")
title = {}
for l in langs:
    for line in open("layouts/%s/summary.lay" % l, encoding="utf-8"):
        if line.startswith("summary.doc.title:"):
            title[l] = line.split(":", 1)[1].strip()
found = sorted(os.path.relpath(p, out) for p in glob.glob(out + "/**/summary.pdf", recursive=True))
assert found == sorted(l + "/summary.pdf" for l in langs), found
m = json.load(open(os.path.join(out, "manifest.json"), encoding="utf-8"))
listed = {x["path"]: x for x in m["files"] if x["record"] is None}
for l in langs:
    p = l + "/summary.pdf"
    data = open(os.path.join(out, p), "rb").read()
    assert p in listed and listed[p]["sha256"] == hashlib.sha256(data).hexdigest(), p
    assert listed[p]["lang"] == l, listed[p]
    first = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", "1", "-l", "1", os.path.join(out, p), "-"],
                           capture_output=True, text=True).stdout
    assert title[l] and title[l] in first, (p, title[l], first[:200])
PY
}
check "one brief per record and language, named by it, its id on every page, as the manifest says" \
	briefs_are "$O" samples/roster.csv en,ru,hy
check "one summary per language, in the manifest, titled in its language" summaries_are "$O" en,ru,hy
check "no temporary file left" [ -z "$(find "$O" -name '.dossier-tmp-*')" ]

# --- the manifest matches what is on disk -----------------------------------
check "manifest lists every file with its digest and pages" python3 - "$O" <<'PY'
import hashlib, json, os, subprocess, sys
out = sys.argv[1]
m = json.load(open(os.path.join(out, "manifest.json"), encoding="utf-8"))
files = [f for f in m["files"] if f["record"] is not None]
assert len(files) == 42, len(files)
assert len(m["files"]) == 45
assert m["date"] == "2026-11-27"
seen = set()
for f in files:
    p = os.path.join(out, f["path"])
    data = open(p, "rb").read()
    assert hashlib.sha256(data).hexdigest() == f["sha256"], p
    assert f["bytes"] == len(data)
    info = subprocess.run(["pdfinfo", p], capture_output=True, text=True).stdout
    pages = int([l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")][0])
    assert pages == f["pages"], (p, pages, f["pages"])
    assert f["path"].startswith(f["lang"] + "/briefs/" + f["record"] + "-"), f
    seen.add((f["record"], f["lang"]))
assert len(seen) == 42
assert m["left_out"] == []
PY

# --- what a reader gets: names in every script on page 1 -------------------
brief() { ls "$O/$2/briefs/$1"-*.pdf; }
for l in en ru hy; do
	f=$(brief F-001 $l)
	text -f 1 -l 1 "$f" > "$TMP/p1.txt"
	check_grep "F-001 $l: Latin name on page 1" "Tigran Avetisyan" "$TMP/p1.txt"
	check_grep "F-001 $l: Cyrillic name on page 1" "Тигран Аветисян" "$TMP/p1.txt"
	check_grep "F-001 $l: Armenian name on page 1" "Տիգրան Ավետիսյան" "$TMP/p1.txt"
done
# Transliterated names (F-004 has only Armenian; F-010 no Cyrillic).
text -f 1 -l 1 "$(brief F-004 en)" > "$TMP/t.txt"
check_grep "Armenian-only name in Latin letters" "Vardan Khachikyan" "$TMP/t.txt"
check_grep "marked as transliterated" "(transliterated)" "$TMP/t.txt"
text -f 1 -l 1 "$(brief F-004 ru)" > "$TMP/t.txt"
check_grep "Armenian-only name in Russian usage" "Вардан Хачикян" "$TMP/t.txt"
text -f 1 -l 1 "$(brief F-010 ru)" > "$TMP/t.txt"
check_grep "Latin and Armenian only: Russian spelling" "Ашот Егиазарян" "$TMP/t.txt"

# --- dates, numbers, plurals per language ------------------------------------
text "$(brief F-001 en)" > "$TMP/en.txt"
text "$(brief F-001 ru)" > "$TMP/ru.txt"
text "$(brief F-001 hy)" > "$TMP/hy.txt"
check_grep "en date" "13 December 2020" "$TMP/en.txt"
check_grep "en days" "2,175 days" "$TMP/en.txt"
check_grep "ru date" "13 декабря 2020 г." "$TMP/ru.txt"
check_grep "ru days" "2 175 дней" "$TMP/ru.txt"
check_grep "ru years" "6 лет" "$TMP/ru.txt"
check_grep "hy date" "13 դեկտեմբերի 2020 թ." "$TMP/hy.txt"
check_grep "hy days" "2 175 օր" "$TMP/hy.txt"
text "$(brief F-006 ru)" > "$TMP/t.txt"
check_grep "ru plural: 17 лет" "17 лет" "$TMP/t.txt"
text "$(brief F-010 ru)" > "$TMP/t.txt"
check_grep "ru half a year" "6 месяцев" "$TMP/t.txt"
text "$(brief F-010 en)" > "$TMP/t.txt"
check_grep "en half a year" "6 months" "$TMP/t.txt"

# --- fallback texts are marked ------------------------------------------------
text "$(brief F-002 ru)" > "$TMP/t.txt"
check_grep "English circumstances in the Russian brief" "Seen in a video published" "$TMP/t.txt"
check_grep "and marked" "[в источнике — на английском языке]" "$TMP/t.txt"
text "$(brief F-009 en)" > "$TMP/t.txt"
check_grep "Russian circumstances in the English brief, marked" "[in Russian in the source]" "$TMP/t.txt"

# --- every PDF: structure, fonts, margins -------------------------------------
bad=0
for f in $(find "$O" -name '*.pdf' | sort); do
	qpdf --check "$f" > "$TMP/q" 2>&1 || { bad=1; echo "qpdf: $f" >&2; cat "$TMP/q" >&2; }
	pdffonts "$f" | awk 'NR > 2 && ($(NF-4) != "yes" || $(NF-3) != "yes") { bad = 1 } END { exit bad }' ||
		{ bad=1; echo "pdffonts: $f" >&2; pdffonts "$f" >&2; }
done
check "qpdf --check clean, every font embedded and subset" [ $bad -eq 0 ]
check "no word outside the page's margins" python3 - "$O" <<'PY'
import glob, re, subprocess, sys
bad = []
for f in sorted(glob.glob(sys.argv[1] + "/*/briefs/*.pdf")):
    x = subprocess.run(["pdftotext", "-bbox", f, "-"], capture_output=True, text=True).stdout
    w = h = None
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">', x):
        if m.group(1):
            w, h = float(m.group(1)), float(m.group(2))
            continue
        x0, y0, x1, y1 = map(float, m.group(3, 4, 5, 6))
        if x0 < 72 - 0.6 or x1 > w - 72 + 0.6 or y0 < 0 or y1 > h:
            bad.append((f, x0, x1))
if bad:
    print(bad[:5], file=sys.stderr)
sys.exit(1 if bad else 0)
PY
# A brief is short: two to four pages typically; none over five (the
# longest case, every argument in the longer Russian and Armenian texts,
# fills five; more would mean a text repeated or a page left empty).
check "a typical brief is two to four pages, none over five" python3 - "$O" <<'PY'
import json, os, sys
m = json.load(open(os.path.join(sys.argv[1], "manifest.json")))
pages = sorted(f["pages"] for f in m["files"] if f["record"] is not None)
assert len(pages) == 42 and 1 <= pages[0] and pages[-1] <= 5, pages
assert 2 <= pages[len(pages) // 2] <= 4, pages
PY

# --- golden text of one brief per language ----------------------------------
for l in en ru hy; do
	text "$(brief F-006 $l)" > "$TMP/F-006.$l.txt"
	if [ -n "${UPDATE_GOLDEN:-}" ]; then cp "$TMP/F-006.$l.txt" "$G/F-006.$l.txt"; fi
	check_same "golden text of F-006 in $l" "$G/F-006.$l.txt" "$TMP/F-006.$l.txt"
done

# --- byte-identical re-run --------------------------------------------------------
check_exit 0 "render again" "$DOSSIER" render samples/roster.csv -o "$TMP/again" --date 2026-11-27
check "same inputs and date give identical bytes" diff -r "$O" "$TMP/again"

# --- threads, re-runs, progress ---------------------------------------------
check_exit 0 "render with 4 threads" "$DOSSIER" render samples/roster.csv -o "$TMP/j4" --date 2026-11-27 --jobs 4
check "--jobs 4 gives the same bytes as --jobs 2" diff -r "$O" "$TMP/j4"
check_exit 0 "render with 1 thread" "$DOSSIER" render samples/roster.csv -o "$TMP/j1" --date 2026-11-27 --jobs 1
check "--jobs 1 gives the same bytes" diff -r "$O" "$TMP/j1"
touch -d '2020-01-01' "$TMP/j1/en/briefs/F-001-tigran-avetisyan.pdf"
check_exit 0 "re-run with nothing changed" "$DOSSIER" render samples/roster.csv -o "$TMP/j1" --date 2026-11-27
check_grep "nothing rendered again" "(0 briefs written, 42 up to date, 0 failed)" "$TMP/last.err"
check "an up-to-date file is not touched" [ "$(date -r "$TMP/j1/en/briefs/F-001-tigran-avetisyan.pdf" +%Y)" = 2020 ]
check "the manifest is the same" cmp "$O/manifest.json" "$TMP/j1/manifest.json"
sed 's/Conscript serving in a unit/Conscript serving in the unit/' samples/roster.csv > "$TMP/changed.csv"
cp -R samples/photos "$TMP/photos"
check_exit 0 "re-run with one record changed" "$DOSSIER" render "$TMP/changed.csv" -o "$TMP/j1" --date 2026-11-27
check_grep "only the brief whose bytes change is written" "(1 brief written, 41 up to date, 0 failed)" "$TMP/last.err"
check_exit 0 "a different date renders all again" "$DOSSIER" render "$TMP/changed.csv" -o "$TMP/j1" --date 2026-11-28
check_grep "all rendered for a new date" "(42 briefs written, 0 up to date" "$TMP/last.err"
check_exit 0 "--force renders all" "$DOSSIER" render "$TMP/changed.csv" -o "$TMP/j1" --date 2026-11-28 --force
check_grep "forced: rendered, but the same bytes are not rewritten" "(0 briefs written, 42 up to date" "$TMP/last.err"
check_grep "forced: the closing line says no file changed" "0 files changed on disk" "$TMP/last.err"
rm "$TMP/j1/ru/briefs/F-003-anahit-zakaryan.pdf"
check_exit 0 "a deleted brief is made again" "$DOSSIER" render "$TMP/changed.csv" -o "$TMP/j1" --date 2026-11-28
check_grep "only the missing one" "(1 brief written, 41 up to date" "$TMP/last.err"
grep -v '^F-013,' "$TMP/changed.csv" > "$TMP/fewer.csv"
check_exit 0 "a record gone from the roster" "$DOSSIER" render "$TMP/fewer.csv" -o "$TMP/j1" --date 2026-11-28
check "its briefs are removed, not left stale" [ -z "$(find "$TMP/j1" -name 'F-013-*')" ]
check_exit 0 "--quiet" "$DOSSIER" render "$TMP/fewer.csv" -o "$TMP/j1" --date 2026-11-28 --quiet
check "--quiet prints nothing" [ ! -s "$TMP/last.err" ]
check_exit 0 "no progress when stderr is not a terminal" "$DOSSIER" render samples/roster.csv -o "$TMP/j5" --date 2026-11-27
check "no carriage return in the output" sh -c "! grep -q \"\$(printf '\r')\" '$TMP/last.err'"
if command -v script > /dev/null; then
	script -qec "$DOSSIER render samples/roster.csv -o '$TMP/j6' --date 2026-11-27 --force" /dev/null > "$TMP/tty.out" 2>&1
	check "progress on a terminal: records done of total" grep -q "14/14 records (42/42 briefs)" "$TMP/tty.out"
	check "progress updated in place" grep -q "$(printf '\r')" "$TMP/tty.out"
fi

# --- options --------------------------------------------------------------------
check_exit 0 "--only, --lang, --paper letter" "$DOSSIER" render samples/roster.csv -o "$TMP/one" --only F-003,F-008 --lang ru --paper letter --date 2026-11-27
check "only the records and language asked for" briefs_are "$TMP/one" samples/roster.csv ru F-003,F-008
check "and no summary: it would count only the records asked for" \
	[ -z "$(find "$TMP/one" -name '*.pdf' ! -path '*/briefs/*')" ]
check "letter paper" sh -c "pdfinfo '$TMP/one/ru/briefs/F-003-anahit-zakaryan.pdf' | grep -q 'Page size: *612 x 792'"
check_exit 2 "unknown language" "$DOSSIER" render samples/roster.csv -o "$TMP/x" --lang fr
check_exit 2 "bad paper" "$DOSSIER" render samples/roster.csv -o "$TMP/x" --paper a3
check "nothing written on a usage error" [ ! -e "$TMP/x" ]

# --- a record with every optional field empty --------------------------------
printf 'id,category,name_hy,detained_on,status\nM-1,civilian,Մարիամ Օրինակյան,2023-09,held\n' > "$TMP/min.csv"
check_exit 0 "minimal record renders" "$DOSSIER" render "$TMP/min.csv" -o "$TMP/min" --date 2026-11-27
text "$TMP"/min/en/briefs/M-1-*.pdf > "$TMP/t.txt"
check_grep "minimal: transliterated name" "Mariam Orinakyan" "$TMP/t.txt"
check_grep "minimal: no circumstances said so" "No account of the circumstances is available." "$TMP/t.txt"
check_grep "minimal: month-precision date" "September 2023" "$TMP/t.txt"
check_nogrep "minimal: no empty label for charges" "Charges" "$TMP/t.txt"

# --- text that does not fit: a warning; with --strict an error ------------
printf 'id,category,name_en,detained_on,status,court\nO-1,pow,Aram Overflowingnamewithnospacesatallthatgoesonandonforeverandeverandever,2020-12-13,held,Supercalifragilisticexpialidociousandthensomemorecourtnamewithoutanybreaks\nO-2,pow,Aram Fits,2020-12-13,held,Baku Military Court\n' > "$TMP/over.csv"
check_exit 0 "overflow is a warning" "$DOSSIER" render "$TMP/over.csv" -o "$TMP/ov" --date 2026-11-27 --lang en
check_grep "overflow: record, language and box" "record O-1 (en), layout text 'facts.court': warning: fact value: text does not fit: word longer than the line" "$TMP/last.err"
check_grep "overflow: the title" "record O-1 (en), layout text 'doc.title': warning: heading: text does not fit" "$TMP/last.err"
check_nogrep "no overflow for the record that fits" "record O-2" "$TMP/last.err"
check_exit 1 "--strict makes it an error" "$DOSSIER" render "$TMP/over.csv" -o "$TMP/ov2" --date 2026-11-27 --lang en --strict
check_grep "--strict: the brief is not written" "O-1-aram.pdf: error: 5 texts do not fit (--strict): not written" "$TMP/last.err"
check "--strict: the brief that fits is written" [ -s "$TMP/ov2/en/briefs/O-2-aram-fits.pdf" ]
check "--strict: the one that does not is not" [ ! -e "$TMP/ov2/en/briefs/O-1-aram.pdf" ]

# --- the pseudo-locale ------------------------------------------------------------
check_exit 0 "render the pseudo-locale xx" "$DOSSIER" render samples/roster.csv -o "$TMP/xx" --date 2026-11-27 --lang xx --only F-001,F-006
text "$TMP"/xx/xx/briefs/F-006-*.pdf > "$TMP/xx.txt"
text "$(brief F-006 en)" > "$TMP/en6.txt"
check "xx: layout texts in accented letters" grep -q "Ŧĥê þêŕšöñ" "$TMP/xx.txt"
check "xx: record values stay readable" grep -q "Hovhannes Tsaturyan" "$TMP/xx.txt"
check "xx: about 40% longer than English" python3 -c '
import sys
a, b = (len(open(f, encoding="utf-8").read()) for f in sys.argv[1:])
assert 1.2 < a / b < 1.6, a / b' "$TMP/xx.txt" "$TMP/en6.txt"
check "xx: the sample still fits (no overflow warning)" sh -c "! grep -q 'does not fit' '$TMP/last.err'"

# --- records left out: exit 1, the others rendered, the manifest says why ---
check_exit 1 "bad roster renders the valid records" "$DOSSIER" render samples/bad-roster.csv -o "$TMP/bad" --date 2026-11-27 --lang en
check "the two valid records rendered, and only they" briefs_are "$TMP/bad" samples/bad-roster.csv en B-01,B-18
check "left-out records in the manifest with their line" python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
lines = {r["line"]: r for r in m["left_out"]}
assert len(m["left_out"]) == 23, len(m["left_out"])
assert "2021-02-30" in lines[6]["reason"], lines[6]
assert lines[18]["record"] == "B-01" and "already used" in lines[18]["reason"]
assert lines[24]["record"] == "B-25" and "old name of court_en" in lines[24]["reason"], lines[24]
assert "is after the report date" in lines[22]["reason"], lines[22]' "$TMP/bad/manifest.json"

done_testing
