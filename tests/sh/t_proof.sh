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
	grep -Eq "^ *English +1 +1 +0 +0 +0 *$" "$TMP/p1.txt"
check "no transliteration into Armenian needed" grep -Eq "^ *Հայերեն +[0-9]+ +0 +0 +0 +0 *$" "$TMP/p1.txt"

# The legend on the first page: each kind of problem its own mark.
for m in "[F] +Fallback" "[T] +Transliterated" "[O] +Does not fit" "[M] +Missing" "[U] +Unused"; do
	check "legend: $m" grep -Eq "^ *\\${m%% *}\\ ${m#* }" "$TMP/p1.txt"
done
check_grep "no unused text in the shipped layouts" "None: every text is used" "$TMP/p1.txt"
# The marks where they belong: F-004 has no Latin or Russian name (T in
# en and ru, not in hy) and health only in Armenian (F in en and ru).
pdftotext -enc UTF-8 -layout "$TMP/p.pdf" "$TMP/p.txt"
check "F-004's name: [T] in English and Russian" sh -c "grep -E '^ *identity.name ' '$TMP/p.txt' | sed -n 2p | grep -Eq 'Name: \\[T\\] Vardan Khachikyan +Фамилия, имя: \\[T\\] Вардан Хачикян +Անուն, ազգանուն: Վարդան'"
check "F-001's name: no mark" sh -c "grep -E '^ *identity.name ' '$TMP/p.txt' | sed -n 1p | grep -vq '\\['"
check "F-004's health: [F] in English and Russian, not in Armenian" python3 - "$TMP/p.txt" <<'PY'
import re, sys
rows = [l for l in open(sys.argv[1], encoding="utf-8") if re.match(r"^ *facts\.health ", l)]
r = rows[-1]
cols = re.split(r" {2,}", r.strip())
assert cols[0] == "facts.health" and "[F]" in cols[1] and "[F]" in cols[2] and "[F]" not in cols[3], cols
PY
check_nogrep "no [M] in the shipped layouts" "[M] missing" "$TMP/p.txt"
check_nogrep "no [O] in these records" "[O] " "$(sed 1,20d "$TMP/p.txt" > "$TMP/p-rows.txt"; echo "$TMP/p-rows.txt")"
check "a sentence row for F-001 (convicted), none for F-004 (awaiting trial)" \
	[ "$(grep -Ec '^ *facts.sentence ' "$TMP/p.txt")" = 1 ]

# A text missing in one language and one nothing uses: the proof shows
# both (render refuses the missing one, t_cli.sh).
rm -rf "$TMP/pl" && cp -R layouts "$TMP/pl"
sed -i '/^identity.status.label:/d' "$TMP/pl/hy/brief.lay"
for l in en ru hy; do printf 'extra.note: A text nothing prints\n' >> "$TMP/pl/$l/brief.lay"; done
check_exit 0 "proof with a missing and an unused text" "$DOSSIER" proof samples/roster.csv -o "$TMP/m.pdf" --date 2026-11-27 --only F-004 --layouts "$TMP/pl"
pdftotext -enc UTF-8 -layout "$TMP/m.pdf" "$TMP/m.txt"
pdftotext -enc UTF-8 -layout -l 1 "$TMP/m.pdf" "$TMP/m1.txt"
check "[M] in the Armenian cell of identity.status" grep -Eq "^ *identity.status +Status: .* +\[M\] missing: " "$TMP/m.txt"
check "the missing text counted for Armenian" grep -Eq "^ *Հայերեն +[0-9]+ +[0-9]+ +[0-9]+ +1 +1 *$" "$TMP/m1.txt"
check "none missing in English" grep -Eq "^ *English +[0-9]+ +[0-9]+ +[0-9]+ +0 +1 *$" "$TMP/m1.txt"
check "the finding, as a warning with its place" grep -Eq "pl/en/brief.lay:[0-9]+:1: warning: text 'identity.status.label' is missing in hy" "$TMP/m1.txt"
check "[U] and the unused text on the first page" grep -Eq "\[U\] extra.note \(en, ru, hy\)" "$TMP/m1.txt"
check "the unused text is no row" sh -c "! grep -Eq '^ *extra.note ' '$TMP/m.txt'"

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
pdftotext -enc UTF-8 -layout "$TMP/o.pdf" "$TMP/o.txt"
# The court is given in English only: [F] in Russian and Armenian.
check "[O] on the court's row, in each language" grep -Eq "^ *facts.court +Court: \[O\]( +Суд: \[O\] \[F\])( +Դատարան: \[O\] \[F\]) *$" "$TMP/o.txt"
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
