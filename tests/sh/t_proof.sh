#!/usr/bin/env bash
# t_proof.sh: `dossier proof`, the translators' sheet: landscape, the layout
# check and counts first, then the three languages of each section side by
# side, with fallbacks, transliterations and overflows counted.
. "$(dirname "$0")/lib.sh"
nbsp=$(printf '\302\240')

check_exit 0 "proof of two records" "$DOSSIER" proof samples/roster.csv -o "$TMP/p.pdf" --date 2026-11-27 --only F-001,F-004
check_grep "says where it wrote" "proof written to" "$TMP/last.err"
check "landscape" sh -c "pdfinfo '$TMP/p.pdf' | grep -q 'Page size: *841.89 x 595.276'"
check "qpdf --check clean" sh -c "qpdf --check '$TMP/p.pdf' > /dev/null"
pdftotext -enc UTF-8 -layout -l 1 "$TMP/p.pdf" "$TMP/p1.txt"
check_grep "first page: the layout check" "Layout check" "$TMP/p1.txt"
check_grep "the shipped layouts have no findings" "No findings" "$TMP/p1.txt"
check "counts per language: F-004 has one fallback and a transliterated name in English" \
	grep -Eq "^ *English +1 +1 +0 *$" "$TMP/p1.txt"
check "no transliteration into Armenian needed" grep -Eq "^ *Հայերեն +[0-9]+ +0 +0 *$" "$TMP/p1.txt"

# The three languages of one section on the same page.
check "en, ru and hy of F-001's circumstances on one page" python3 - "$TMP/p.pdf" <<'PY'
import subprocess, sys
n = int([l.split()[-1] for l in subprocess.run(["pdfinfo", sys.argv[1]], capture_output=True, text=True).stdout.splitlines() if l.startswith("Pages:")][0])
want = ("Conscript serving", "Срочнослужащий подразделения", "Ժամկետային զինծառայող")
for p in range(1, n + 1):
    t = subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), sys.argv[1], "-"], capture_output=True, text=True).stdout
    if all(w in t for w in want):
        sys.exit(0)
sys.exit(1)
PY
check "the same for an argument's title" python3 - "$TMP/p.pdf" <<'PY'
import subprocess, sys
t = [" ".join(p.split()) for p in subprocess.run(["pdftotext", sys.argv[1], "-"], capture_output=True, text=True).stdout.split("\f")]
assert any("arg.pow-release.title" in p and "Release and repatriation of prisoners of war" in p
           and "Освобождение и репатриация военнопленных" in p for p in t)
PY

# A record built to overflow: counted on the first page.
printf 'id,category,name_en,detained_on,status,court\nO-1,pow,Aram Overflowingnamewithnospacesatallthatgoesonandonforeverandeverandever,2020-12-13,held,Supercalifragilisticexpialidociousandthensomemorecourtnamewithoutanybreaks\n' > "$TMP/over.csv"
check_exit 0 "proof of a record that overflows" "$DOSSIER" proof "$TMP/over.csv" -o "$TMP/o.pdf" --date 2026-11-27
pdftotext -enc UTF-8 -layout -l 1 "$TMP/o.pdf" "$TMP/o1.txt"
check "overflows counted in every language" python3 -c '
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
for lang in ("English", "Русский", "Հայերեն"):
    m = re.search(lang + r" +(\d+) +(\d+) +(\d+)", t)
    assert m and int(m.group(3)) >= 2, (lang, m and m.groups())' "$TMP/o1.txt"

check_exit 2 "proof of a missing roster" "$DOSSIER" proof "$TMP/none.csv" -o "$TMP/n.pdf"
check "nothing written" [ ! -e "$TMP/n.pdf" ]
check_exit 1 "proof of the bad roster: records left out" "$DOSSIER" proof samples/bad-roster.csv -o "$TMP/b.pdf" --date 2026-11-27
check "still written for the valid ones" [ -s "$TMP/b.pdf" ]

done_testing
