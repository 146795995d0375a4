#!/usr/bin/env bash
# t_typeset.sh: the PDFs of the typesetting stage, checked with poppler and
# qpdf: text extractable in every script, no word outside the margins, a
# clean structure, only embedded subset fonts, identical bytes from run to
# run, bookmarks and Info in UTF-8, borderless links; and the golden box
# dumps of the short specimens.
. tests/sh/lib.sh
: "${BUILD:=build}"

"$BUILD/tests/t_pdf" --specimen "$TMP" 2>"$TMP/spec.err"
check "specimens written without a message" test ! -s "$TMP/spec.err"
mkdir "$TMP/again"
"$BUILD/tests/t_pdf" --specimen "$TMP/again" 2>/dev/null

# What a reader gets from each specimen, full and short: the pages that
# were typeset (the box dump: the golden one of the short specimen,
# t_typeset's of the full one), no more and no fewer, and the text of
# every box of them in pdftotext's output (white space aside, and the
# hyphen of a word broken at the end of a line, which pdftotext joins).
# pages_as_typeset PDF DUMP
pages_as_typeset() {
	local got want
	got=$(pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }')
	want=$(grep -c '^page ' "$2")
	[ -n "$got" ] && [ "$got" -eq "$want" ] && [ "$want" -ge 1 ] ||
		{ echo "$1: $got pages, typeset $want" >&2; return 1; }
}
# texts_extract PDF DUMP
texts_extract() {
	python3 - "$1" "$2" <<'PY'
import re, subprocess, sys
pdf, dump = sys.argv[1:]
got = re.sub(r"\s", "", subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"],
                                       capture_output=True, text=True).stdout)
boxes = missing = 0
for line in open(dump, encoding="utf-8"):
    m = re.match(r'text .*? "(.*)"$', line.rstrip("\n"))
    if not m:
        continue
    t = re.sub(r"\s", "", re.sub(r'\\(.)', r"\1", m.group(1)))
    t = t[:-1] if t.endswith("-") else t
    if not t:
        continue
    boxes += 1
    if t not in got:
        missing += 1
        if missing <= 3:
            print(pdf, "lacks", t, file=sys.stderr)
sys.exit(0 if boxes >= 50 and not missing else 1)
PY
}
for l in en ru hy; do
	"$BUILD/tests/t_typeset" --dump $l full >"$TMP/full-$l.dump" 2>/dev/null
	check "$l: the full specimen's pages, as typeset" pages_as_typeset "$TMP/specimen-$l.pdf" "$TMP/full-$l.dump"
	check "$l: every box of the full specimen in its text" texts_extract "$TMP/specimen-$l.pdf" "$TMP/full-$l.dump"
	check "$l: the short specimen's pages, as in the golden dump" pages_as_typeset "$TMP/short-$l.pdf" tests/golden/typeset/short-$l.expect
	check "$l: every box of the golden dump in the short specimen's text" texts_extract "$TMP/short-$l.pdf" tests/golden/typeset/short-$l.expect
	pdffonts "$TMP/short-$l.pdf" >"$TMP/short-$l.fonts" 2>&1
	check "$l: the short specimen's fonts: embedded subsets with ToUnicode, the dump's faces" python3 - "$TMP/short-$l.fonts" tests/golden/typeset/short-$l.expect <<'PY'
import re, sys
rows = open(sys.argv[1]).read().splitlines()[2:]
faces = {m.group(1) for m in re.finditer(r'^text (?:\S+ ){4}(\S+) ', open(sys.argv[2], encoding="utf-8").read(), re.M)}
pdf = set()
for r in rows:
    f = r.split()
    assert f[-5] == "yes" and f[-4] == "yes" and f[-3] == "yes", r
    assert re.match(r"^[A-Z]{6}\+", f[0]), r
    pdf.add(f[0].split("+", 1)[1])
assert faces and pdf == faces, (sorted(pdf), sorted(faces))
PY
done

# Words that must come back from each language's PDF.
declare -A words=(
	[en]="Khachaturyants Chronology Ombudsperson Summary Page"
	[ru]="Хронология Омбудсмен свидании Хачатурянц Страница"
	[hy]="Ժամանակագրություն Ամփոփում Խաչատուրյանց պաշտպան Էջ"
)

for l in en ru hy; do
	f="$TMP/specimen-$l.pdf"
	check_same "$l: two runs give identical bytes" "$f" "$TMP/again/specimen-$l.pdf"
	check_same "$l: short specimen identical too" "$TMP/short-$l.pdf" "$TMP/again/short-$l.pdf"

	pdftotext "$f" "$TMP/$l.txt" 2>"$TMP/$l.poppler"
	check "$l: pdftotext prints no warnings" test ! -s "$TMP/$l.poppler"
	for w in ${words[$l]}; do
		check_grep "$l: text extracts" "$w" "$TMP/$l.txt"
	done
	# digits and punctuation inside Armenian text extract too
	[ "$l" = hy ] && check_grep "hy: digits in Armenian text" "14-ին՝ 2020 թվականի նոյեմբերի 9/10-ի" "$TMP/$l.txt"
	check_nogrep "$l: no replacement characters" "�" "$TMP/$l.txt"

	# Every word inside the page's margins: 72 pt left and right, and
	# 36 pt top and bottom (header and footer live there).
	pdftotext -bbox "$f" "$TMP/$l.html" 2>/dev/null
	out=$(awk -F'"' '
		/<page / { for (i = 1; i < NF; i++) { if ($i ~ /width=$/) w = $(i+1); if ($i ~ / height=$/) h = $(i+1) } }
		/<word / { n++; x0 = $2; y0 = $4; x1 = $6; y1 = $8;
			if (x0 < 71.5 || x1 > w - 71.5 || y0 < 36 || y1 > h - 36) { bad++; print "outside:", $0 } }
		END { print "words", n + 0, "outside", bad + 0 }' "$TMP/$l.html")
	check "$l: words found in bbox output" test "$(echo "$out" | tail -1 | awk '{print $2}')" -gt 500
	check "$l: no word outside the margins ($(echo "$out" | head -3))" test "$(echo "$out" | tail -1 | awk '{print $4}')" -eq 0

	qpdf --check "$f" >"$TMP/$l.qpdf" 2>&1
	check "$l: qpdf --check exits 0" test $? -eq 0
	check_nogrep "$l: qpdf finds no warning" "WARNING" "$TMP/$l.qpdf"
	check_grep "$l: qpdf finds no errors" "No syntax or stream encoding errors" "$TMP/$l.qpdf"

	pdffonts "$f" >"$TMP/$l.fonts" 2>&1
	nf=$(tail -n +3 "$TMP/$l.fonts" | wc -l)
	ok_f=$(tail -n +3 "$TMP/$l.fonts" | awk '$(NF-4) == "yes" && $(NF-3) == "yes" && $(NF-2) == "yes" && $1 ~ /^[A-Z][A-Z][A-Z][A-Z][A-Z][A-Z]\+/' | wc -l)
	check "$l: some fonts" test "$nf" -ge 3
	check "$l: all fonts embedded subsets with ToUnicode" test "$nf" -eq "$ok_f"

	pdfinfo "$f" >"$TMP/$l.info" 2>&1
	check_grep "$l: Info keywords" "specimen, typesetting" "$TMP/$l.info"
	check_grep "$l: creation date from the document" "2024" "$TMP/$l.info"

	# Structure: links without border, outline titles in UTF-16.
	qpdf --qdf --object-streams=disable "$f" "$TMP/$l.qdf"
	check_grep "$l: link" "/URI (https://example.org/statement-2020)" "$TMP/$l.qdf"
	check_grep "$l: link without border" "/Border [" "$TMP/$l.qdf"
	check_nogrep "$l: no visible link border" "/Border [ 0 0 1 ]" "$TMP/$l.qdf"
	qpdf --json --json-key=outlines "$f" >"$TMP/$l.json" 2>/dev/null
done
check_grep "hy: Armenian title in Info" "Title:           Տեղեկանք. Արշալույս Տեր-Խաչատուրյանց-Մելիքբեկյան" "$TMP/hy.info"
check_grep "ru: Russian title in Info" "Title:           Справка: Аршалуйс" "$TMP/ru.info"
check_grep "hy: Armenian bookmark" '"title": "Ժամանակագրություն"' "$TMP/hy.json"
check_grep "ru: Russian bookmark" '"title": "Хронология"' "$TMP/ru.json"
check_grep "en: page numbers" "Page 3 of" "$TMP/en.txt"
check_grep "ru: page numbers" "Страница 3 из" "$TMP/ru.txt"
check_grep "hy: page numbers" "Էջ 3/" "$TMP/hy.txt"

# Golden box dumps of the short specimens.
for l in en ru hy; do
	"$BUILD/tests/t_typeset" --dump "$l" >"$TMP/short-$l.dump" 2>"$TMP/dump.err"
	check_same "$l: boxes as in tests/golden/typeset/short-$l.expect" \
		tests/golden/typeset/short-$l.expect "$TMP/short-$l.dump"
done

# Font files named in fonts.conf: nothing outside the font folders, no
# FIFO; render stops with exit 2 before writing anything, and never hangs.
mkdir "$TMP/outside"
cp /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf "$TMP/outside/"
for bad in passwd link fifo; do
	rm -rf "$TMP/fonts-$bad" "$TMP/out-$bad"
	cp -r fonts "$TMP/fonts-$bad"
	case $bad in
	passwd) entry=/etc/passwd; want="fonts.conf:14: error: font file '/etc/passwd' is outside the fonts folder and the system font folders" ;;
	link) ln -s "$TMP/outside/DejaVuSans.ttf" "$TMP/fonts-$bad/Sans.ttf"; entry=Sans.ttf
	      want="fonts.conf:14: error: font file '$TMP/fonts-$bad/Sans.ttf' is outside the fonts folder" ;;
	fifo) mkfifo "$TMP/fonts-$bad/Sans.ttf"; entry=Sans.ttf
	      want="fonts.conf:14: error: font file '$TMP/fonts-$bad/Sans.ttf' is not a regular file" ;;
	esac
	sed -i "14s|.*|body latin: $entry, Noto Serif|" "$TMP/fonts-$bad/fonts.conf"
	check_exit 2 "font $bad: render refuses" timeout 20 "$DOSSIER" render samples/roster.csv \
		-o "$TMP/out-$bad" --fonts "$TMP/fonts-$bad" --date 2026-11-27 --quiet
	check_grep "font $bad: message" "$want" "$TMP/last.err"
	check "font $bad: nothing written" test ! -e "$TMP/out-$bad"
done

done_testing
