#!/usr/bin/env bash
# t_engine.sh: the PDFs of charts, links, binders and landscape proofs
# (written by t_engine --write), checked with poppler and qpdf: a clean
# structure, charts of vectors only, go-to actions within and between
# files, named destinations, page labels and bookmarks of a binder, page
# sizes; identical bytes from run to run; golden box dumps.
. tests/sh/lib.sh
: "${BUILD:=build}"

"$BUILD/tests/t_engine" --write "$TMP" 2>"$TMP/write.err"
check "PDFs written without messages" test ! -s "$TMP/write.err"
mkdir "$TMP/again"
"$BUILD/tests/t_engine" --write "$TMP/again" 2>/dev/null

for f in chart-en chart-ru chart-hy links other binder proof-a4 proof-letter; do
	check_same "$f: two runs give identical bytes" "$TMP/$f.pdf" "$TMP/again/$f.pdf"
	qpdf --check "$TMP/$f.pdf" >"$TMP/$f.qpdf" 2>&1
	check "$f: qpdf --check exits 0" test $? -eq 0
	check_nogrep "$f: qpdf finds no warning" "WARNING" "$TMP/$f.qpdf"
	pdftotext "$TMP/$f.pdf" "$TMP/$f.txt" 2>"$TMP/$f.poppler"
	check "$f: pdftotext prints no warnings" test ! -s "$TMP/$f.poppler"
done

# Charts: text extracts in every script, and no image is used.
check_grep "en: category label" "Civilians detained abroad" "$TMP/chart-en.txt"
check_grep "en: quarter label" "2020-Q4" "$TMP/chart-en.txt"
check_grep "ru: category label" "Военнослужащие" "$TMP/chart-ru.txt"
check_grep "hy: category label" "Զինծառայողներ" "$TMP/chart-hy.txt"
check_grep "hy: legend" "Դատապարտված" "$TMP/chart-hy.txt"
for l in en ru hy; do
	n=$(pdfimages -list "$TMP/chart-$l.pdf" 2>/dev/null | tail -n +3 | wc -l)
	check "$l: charts are vectors, no images" test "$n" -eq 0
done

# Links: GoTo a named destination, GoToR another file (with and without
# a destination there); the destinations are in the name trees.
qpdf --qdf --object-streams=disable "$TMP/links.pdf" "$TMP/links.qdf"
check_grep "links: go to within" "/D (sec:chron)" "$TMP/links.qdf"
check_grep "links: GoTo action" "/S /GoTo" "$TMP/links.qdf"
check_grep "links: GoToR action" "/S /GoToR" "$TMP/links.qdf"
check_grep "links: remote file" "/F (other.pdf)" "$TMP/links.qdf"
check_grep "links: remote destination" "/D (brief:F-002)" "$TMP/links.qdf"
check_nogrep "links: no URI left in go-to actions" "/URI (#)" "$TMP/links.qdf"
pdfinfo -dests "$TMP/links.pdf" >"$TMP/links.dests" 2>&1
check_grep "links: destination on page 2" '   2 [ XYZ null  770 null      ] "sec:chron"' "$TMP/links.dests"
pdfinfo -dests "$TMP/other.pdf" >"$TMP/other.dests" 2>&1
check_grep "other: the remote destination exists" '"brief:F-002"' "$TMP/other.dests"

# Binder: 11 pages, labels i, ii, then 1..; the blank page 8 has no text;
# one bookmark per person; destinations moved with their pages.
pdfinfo "$TMP/binder.pdf" >"$TMP/binder.info"
check_grep "binder: pages" "Pages:           11" "$TMP/binder.info"
check_grep "binder: title" "Title:           Briefs" "$TMP/binder.info"
qpdf --json --json-key=pagelabels --json-key=outlines "$TMP/binder.pdf" >"$TMP/binder.json"
labels=$(tr -d ' \n' <"$TMP/binder.json" | grep -o '"pagelabels":\[[^]]*\]')
check "binder: page labels roman then decimal ($labels)" test "$labels" = \
	'"pagelabels":[{"index":0,"label":{"/S":"/r","/St":1}},{"index":2,"label":{"/S":"/D","/St":1}}]'
for who in "Ani Petrosyan" "Babken Sargsyan" "Gayane Melikyan" "Summary" "Contents"; do
	check_grep "binder: bookmark $who" "\"title\": \"$who\"" "$TMP/binder.json"
done
n=$(grep -c '"title": "Circumstances"' "$TMP/binder.json")
check "binder: only the summary keeps its headings ($n)" test "$n" -eq 2
pdftotext -f 8 -l 8 "$TMP/binder.pdf" "$TMP/blank.txt"
check "binder: page 8 is blank" test -z "$(tr -d ' \n\f' <"$TMP/blank.txt")"
pdftotext -f 9 -l 9 -layout "$TMP/binder.pdf" "$TMP/p9.txt"
check_grep "binder: the brief's own page number" "Page 1 of 2" "$TMP/p9.txt"
check "binder: the running number" grep -qE '^ +7$' "$TMP/p9.txt"
pdfinfo -dests "$TMP/binder.pdf" >"$TMP/binder.dests"
check_grep "binder: brief F-002 on page 9" '   9 [ XYZ null  770 null      ] "brief:F-002"' "$TMP/binder.dests"

# Landscape proofs.
pdfinfo "$TMP/proof-a4.pdf" >"$TMP/a4.info"
check_grep "A4 landscape" "Page size:       841.89 x 595.276 pts" "$TMP/a4.info"
pdfinfo "$TMP/proof-letter.pdf" >"$TMP/letter.info"
check_grep "Letter landscape" "Page size:       792 x 612 pts" "$TMP/letter.info"
check_grep "proof: highlighted text extracts" "Անի Պետրոսյան" "$TMP/proof-a4.txt"

# Golden box dumps.
for g in chart-en chart-hy binder; do
	"$BUILD/tests/t_engine" --dump "$g" >"$TMP/$g.dump" 2>"$TMP/dump.err"
	check_same "$g: boxes as in tests/golden/typeset/$g.expect" \
		tests/golden/typeset/$g.expect "$TMP/$g.dump"
done

done_testing
