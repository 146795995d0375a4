#!/usr/bin/env bash
# t_cli.sh: the command line refuses what it cannot do before it writes
# anything: ids of --only that the roster lacks, broken layouts, bad
# --jobs and --lang values, typo'd options; and its help texts agree with
# the man page.
. "$(dirname "$0")/lib.sh"
R=samples/roster.csv
DATE=2026-11-27

# --- --only with an id the roster lacks ------------------------------------
check_exit 2 "render --only, another case" "$DOSSIER" render $R -o "$TMP/o1" --only f-001 --date $DATE
check_grep "names the id and the near one" 'no record "f-001" in samples/roster.csv; did you mean F-001?' "$TMP/last.err"
check "nothing written" [ ! -e "$TMP/o1" ]
check_exit 2 "render --only, one letter off" "$DOSSIER" render $R -o "$TMP/o1" --only F-001,F-0O2 --date $DATE
check_grep "an edit away" 'no record "F-0O2" in samples/roster.csv; did you mean F-002?' "$TMP/last.err"
check_nogrep "the known id is not named" '"F-001"' "$TMP/last.err"
check "nothing written, though F-001 is known" [ ! -e "$TMP/o1" ]
check_exit 2 "render --only, nothing near" "$DOSSIER" render $R -o "$TMP/o1" --only QQQQQQQ --date $DATE
check_grep "no suggestion" 'no record "QQQQQQQ" in samples/roster.csv' "$TMP/last.err"
check_nogrep "none offered" "did you mean" "$TMP/last.err"
check_exit 2 "proof --only, another case" "$DOSSIER" proof $R -o "$TMP/p.pdf" --only F-001,f-004 --date $DATE
check_grep "proof: the near id" 'did you mean F-004?' "$TMP/last.err"
check "no proof written" [ ! -e "$TMP/p.pdf" ]
# The id of a record left out is in the roster: no usage error.
bad_id=$(awk -F, 'NR == 4 { print $1 }' samples/bad-roster.csv)
check_exit 1 "--only an id of a record left out" "$DOSSIER" render samples/bad-roster.csv -o "$TMP/o2" --only "$bad_id" --date $DATE --lang en --quiet
check_nogrep "not called unknown" "no record" "$TMP/last.err"

# --- broken layouts: refused before anything is written ---------------------
# Each case: a copy of the shipped layouts with one line changed; render
# and proof exit 2, write no PDF, and name the place as file:line:col.
broken() { # name, sed script, file, file named, what the message says
	rm -rf "$TMP/bl" && mkdir -p "$TMP/bl" && cp -R layouts "$TMP/bl/layouts"
	sed -i "$2" "$TMP/bl/layouts/$3"
	if cmp -s "layouts/$3" "$TMP/bl/layouts/$3"; then not_ok "$1: the case changed nothing"; else ok; fi
	check_exit 2 "$1: render" "$DOSSIER" render $R -o "$TMP/bl/out" --layouts "$TMP/bl/layouts" --date $DATE --lang en,ru,hy
	check "$1: render wrote no PDF" [ -z "$(find "$TMP/bl" -name '*.pdf')" ]
	check "$1: no output folder" [ ! -e "$TMP/bl/out" ]
	check "$1: the place, file:line:col" grep -Eq "layouts/$4:[0-9]+:[0-9]+: error: $5" "$TMP/last.err"
	check_grep "$1: nothing written, said so" "nothing was written" "$TMP/last.err"
	check_nogrep "$1: no warning printed" ": warning: " "$TMP/last.err"
}
broken "a syntax error" 's/^facts.court: .*/facts.court {court/' ru/brief.lay ru/brief.lay "expected ':' after 'facts.court'"
broken "an unknown placeholder" 's/{court}/{courtt}/' hy/brief.lay hy/brief.lay "unknown field 'courtt'"
broken "a condition on an unknown field" 's/^doc.subtitle \[status = released\]/doc.subtitle [statuss = released]/' en/brief.lay en/brief.lay "unknown field 'statuss'"
broken "a text missing in one language" '/^facts.court.label:/d' ru/brief.lay en/brief.lay "text 'facts.court.label' is missing in ru"
broken "a placeholder in another format" 's/{detained_on, date}/{detained_on}/' ru/brief.lay ru/brief.lay "placeholder \\{detained_on\\} of 'facts.detained' has another format in en"
# The proof refuses a syntax error too, but shows a missing text (marked:
# t_proof.sh).
rm -rf "$TMP/bl" && mkdir -p "$TMP/bl" && cp -R layouts "$TMP/bl/layouts"
sed -i 's/{court}/{courtt}/' "$TMP/bl/layouts/hy/brief.lay"
check_exit 2 "proof of broken layouts" "$DOSSIER" proof $R -o "$TMP/bl/p.pdf" --layouts "$TMP/bl/layouts" --date $DATE --only F-001
check "proof: no file" [ ! -e "$TMP/bl/p.pdf" ]
check "proof: the place" grep -Eq "hy/brief.lay:[0-9]+:[0-9]+: error: unknown field 'courtt'" "$TMP/last.err"

# --- --jobs and --lang ----------------------------------------------------------
for j in 2abc 0 -1 '' 257 ' 2' 1.5; do
	check_exit 2 "--jobs '$j'" "$DOSSIER" render $R -o "$TMP/j" --jobs "$j" --date $DATE
	check_grep "--jobs '$j': said why" "--jobs: \"$j\" is not a whole number from 1 to 256" "$TMP/last.err"
done
check "--jobs: nothing written" [ ! -e "$TMP/j" ]
check_exit 0 "--jobs 2 --lang en,en" "$DOSSIER" render $R -o "$TMP/l" --jobs 2 --lang en,en --only F-001,F-002 --date $DATE
check_grep "one language" "rendered in 1 language " "$TMP/last.err"
check_grep "two briefs" "(2 briefs written" "$TMP/last.err"
check "each brief once in the manifest" python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
files = [f for f in m["files"] if f.get("record")]
assert len(files) == 2 and len({f["path"] for f in files}) == 2, files' "$TMP/l/manifest.json"
check_exit 2 "--lang fr" "$DOSSIER" render $R -o "$TMP/l2" --lang en,fr --date $DATE
check_grep "--lang: the language named" '--lang: "fr" is not one of en, ru, hy' "$TMP/last.err"
check_exit 2 "--lang ''" "$DOSSIER" render $R -o "$TMP/l2" --lang '' --date $DATE
check "--lang: nothing written" [ ! -e "$TMP/l2" ]

# --- typo'd options, every command ------------------------------------------
typo() { # the command words..., then the typo, then the option meant
	local args=("$@") n=$#
	local meant=${args[n - 1]} bad=${args[n - 2]}
	check_exit 2 "${args[*]:0:n-1}" "$DOSSIER" "${args[@]:0:n-1}"
	check_grep "$bad: the option meant" "unknown option '$bad'; did you mean $meant?" "$TMP/last.err"
}
typo render $R --bindr --binder
typo render $R --forse --force
typo render $R --pasword-file --password-file
typo render $R --strcit --strict
typo proof $R --ony --only
typo proof $R --papr --paper
typo check $R --encodng --encoding
typo check $R --fromat --format
typo layouts check --layots --layouts
check_exit 2 "a value missing" "$DOSSIER" render $R --jobs
check_grep "the value missing named" "option '--jobs' needs a value" "$TMP/last.err"
check_exit 2 "-o without a value" "$DOSSIER" proof $R -o
check_grep "-o named" "option '-o' needs a value" "$TMP/last.err"
check_exit 2 "a value not wanted" "$DOSSIER" render $R --force=yes
check_grep "takes no value" "option '--force' takes no value" "$TMP/last.err"
check_exit 2 "an ambiguous abbreviation" "$DOSSIER" render $R --p
check_grep "both named" "could be --paper --password-file" "$TMP/last.err"
check_exit 2 "a typo'd command" "$DOSSIER" rendr $R
check_grep "the command meant" 'unknown command "rendr"; did you mean render?' "$TMP/last.err"

# --- a long address wrapped across lines is reported as wrapped, not cut ---
printf 'id,category,name_en,detained_on,status,sources\nU-1,pow,Aram Testov,2020-12-13,held,https://example.org/%s\n' \
	"$(printf 'a%.0s' $(seq 300))" > "$TMP/url.csv"
check_exit 0 "a brief with a 320-character address" "$DOSSIER" render "$TMP/url.csv" -o "$TMP/u" --lang en --date $DATE
check_grep "the overflow says what happened" "layout text 'sources.item': warning: list item: text does not fit: word longer than the line" "$TMP/last.err"
check_grep "wrapped" "(433 pt), wrapped between characters: aaaaaaaa" "$TMP/last.err"
check_nogrep "not cut" ", cut" "$TMP/last.err"
check "the whole address is in the brief" sh -c "pdftotext '$TMP/u/en/briefs/'*.pdf - | tr -d '\n' | grep -q 'example.org/a\{300\}'"

# --- help texts and the man page -----------------------------------------------
for cmd in "" check render proof "layouts check" layouts; do
	# shellcheck disable=SC2086
	check_exit 0 "dossier $cmd --help" "$DOSSIER" $cmd --help
	check_nogrep "dossier $cmd --help: no printf escape left" "%%" "$TMP/last.out"
	check "dossier $cmd --help: no stray backslash" sh -c "! grep -q '\\\\' '$TMP/last.out'"
	cp "$TMP/last.out" "$TMP/help-${cmd// /-}.txt"
done
check_grep "render --help: 40%" "about 40%" "$TMP/help-render.txt"
# Every option a command's --help names is in that command's synopsis.
check "every option of --help in dossier.1's synopsis" python3 - "$TMP" <<'PY'
import re, sys
man = open("dossier.1", encoding="utf-8").read()
syn = man[man.index(".SH SYNOPSIS"):man.index(".SH DESCRIPTION")].replace("\\-", "-")
blocks = {}
for part in syn.split(".br\n"):
    m = re.search(r"^\.B dossier (\w+(?: check)?)$", part, re.M)
    if m:
        blocks[m.group(1)] = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", part))
bad = []
for cmd in ("check", "render", "proof", "layouts check"):
    help_ = open(f"{sys.argv[1]}/help-{cmd.replace(' ', '-')}.txt", encoding="utf-8").read()
    opts = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", help_)) - {"--help"}
    if not opts:
        bad.append(f"{cmd}: no option found in --help")
    for o in sorted(opts - blocks.get(cmd, set())):
        bad.append(f"{cmd}: {o}")
if bad:
    print("missing in the synopsis:", ", ".join(bad), file=sys.stderr)
    sys.exit(1)
PY

done_testing
