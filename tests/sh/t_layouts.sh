#!/usr/bin/env bash
# t_layouts.sh: `dossier layouts check` as a translator runs it. The shipped
# layouts pass, and so does the small complete set of
# tests/golden/layouts-broken/base (whose broken copies t_tpl compares with
# their `expect` files); a change that makes a warning exits 0, one that
# makes an error exits 1, and the summary line counts them; files that are
# not layouts are refused.
. "$(dirname "$0")/lib.sh"
G=tests/golden/layouts-broken
case "$DOSSIER" in /*) BIN=$DOSSIER ;; *) BIN=$PWD/$DOSSIER ;; esac

# --- the command line -------------------------------------------------------
check_exit 0 "--help" "$DOSSIER" layouts check --help
check_grep "--help prints usage" "usage: dossier layouts check [--layouts DIR]" "$TMP/last.out"
check_exit 2 "unknown option" "$DOSSIER" layouts check --frobnicate
check_grep "unknown option named" "unknown option '--frobnicate'" "$TMP/last.err"
check_exit 2 "a typo'd option" "$DOSSIER" layouts check --layots layouts
check_grep "the option meant" "unknown option '--layots'; did you mean --layouts?" "$TMP/last.err"
check_exit 2 "--layouts without a folder" "$DOSSIER" layouts check --layouts
check_exit 2 "an extra argument" "$DOSSIER" layouts check extra
check_exit 2 "a folder that is not there" "$DOSSIER" layouts check --layouts "$TMP/nope"
check_grep "the folder named" "nope: error: cannot read the layouts folder" "$TMP/last.err"
: > "$TMP/file"
check_exit 2 "a file, not a folder" "$DOSSIER" layouts check --layouts "$TMP/file"

# --- the shipped layouts: clean, with and without --layouts ----------------
check_exit 0 "shipped layouts pass" "$DOSSIER" layouts check
check_grep "summary line" "layouts: 3 languages, " "$TMP/last.out"
check_grep "no errors" " 0 errors, 0 warnings" "$TMP/last.out"
check "nothing on stderr" [ ! -s "$TMP/last.err" ]
check_exit 0 "shipped layouts pass (--layouts)" "$DOSSIER" layouts check --layouts layouts
check_exit 0 "the small base set passes" "$DOSSIER" layouts check --layouts $G/base

# --- findings: the exit status and the summary line ------------------------
# The broken copies of $G (golden diagnostics) run once, in t_tpl, through
# the same load and lint; here the command itself, on copies of the shipped
# layouts with one change: a warning alone exits 0, an error exits 1, and
# the summary line counts them.
fresh_case() { rm -rf "$TMP/case" && mkdir -p "$TMP/case" && cp -R layouts "$TMP/case/layouts"; }
lint_case() { (cd "$TMP/case" && "$BIN" layouts check --layouts layouts >"$TMP/case.out" 2>"$TMP/case.err"); }
fresh_case
sed -i 's/{days_detained, plural, one {# day} other {# days}} as of/{days_detained, plural, one {# day} few {# days} other {# days}} as of/' "$TMP/case/layouts/en/brief.lay"
lint_case; rc=$?
check "a warning alone: exit 0 (got $rc)" [ $rc -eq 0 ]
check_grep "the warning, at its line and column" "warning: plural category 'few' is not used in en" "$TMP/case.err"
check "the warning's file, as the user wrote it" grep -q "^layouts/en/brief.lay:[0-9]*:[0-9]*: warning: " "$TMP/case.err"
check_grep "the summary counts it" "texts, 0 errors, 1 warning" "$TMP/case.out"
check "one finding printed" [ "$(wc -l < "$TMP/case.err")" -eq 1 ]
fresh_case
sed -i 's/^identity\.name: {name}$/identity.name: {nmae}/' "$TMP/case/layouts/ru/brief.lay"
lint_case; rc=$?
check "an error: exit 1 (got $rc)" [ $rc -eq 1 ]
check "the unknown field, at its line and column" grep -q "^layouts/ru/brief.lay:[0-9]*:[0-9]*: error: unknown field 'nmae'" "$TMP/case.err"
check_grep "the placeholders that differ" "error: placeholders of 'identity.name' differ from en" "$TMP/case.err"
check_grep "the summary counts them" "texts, 2 errors, 0 warnings" "$TMP/case.out"
check "two findings printed" [ "$(wc -l < "$TMP/case.err")" -eq 2 ]

# --- files that are not layouts: refused, never read, nothing hangs ---------
# A copy of the layouts with one file or folder replaced; `layouts check`
# fails to load it (exit 1), `render` exits 2 and writes nothing.
refused() { # name, expected message; the copy is $TMP/bad/layouts
	check_exit 1 "$1: layouts check" timeout 20 "$DOSSIER" layouts check --layouts "$TMP/bad/layouts"
	check_grep "$1: message" "$2" "$TMP/last.err"
	check_grep "$1: not loaded" "layouts: not loaded" "$TMP/last.out"
	check_exit 2 "$1: render" timeout 20 "$DOSSIER" render samples/roster.csv \
		-o "$TMP/bad/out" --layouts "$TMP/bad/layouts" --date 2026-11-27
	check "$1: render wrote nothing" [ ! -e "$TMP/bad/out/manifest.json" ]
	check "$1: no PDF" [ -z "$(find "$TMP/bad/out" -name '*.pdf' 2>/dev/null)" ]
}
fresh() { rm -rf "$TMP/bad" && mkdir -p "$TMP/bad" && cp -R layouts "$TMP/bad/layouts"; }

fresh; ln -sf /etc/passwd "$TMP/bad/layouts/en/brief.lay"
refused "symlink to /etc/passwd" \
	"layouts/en/brief.lay: error: refused: the file lies outside the layouts folder"
fresh; mkfifo "$TMP/bad/layouts/ru/extra.lay"
refused "FIFO" "layouts/ru/extra.lay: error: refused: not a regular file (a FIFO)"
fresh; mv "$TMP/bad/layouts/hy" "$TMP/bad/hy-elsewhere"
ln -s "$TMP/bad/hy-elsewhere" "$TMP/bad/layouts/hy"
refused "symlinked language folder" \
	"layouts/hy: error: refused: the folder lies outside the layouts folder"
fresh; mv "$TMP/bad/layouts/translit" "$TMP/bad/translit-elsewhere"
ln -s "$TMP/bad/translit-elsewhere" "$TMP/bad/layouts/translit"
refused "symlinked translit folder" \
	"layouts/translit: error: refused: the folder lies outside the layouts folder"
fresh; ln -sf /etc/passwd "$TMP/bad/layouts/translit/en-hy.txt"
refused "symlinked rule file" \
	"layouts/translit/en-hy.txt: error: refused: the file lies outside the layouts folder"
fresh; ln -sf /dev/zero "$TMP/bad/layouts/sources.lay"
refused "symlink to a device" \
	"layouts/sources.lay: error: refused: the file lies outside the layouts folder"
fresh; truncate -s 5M "$TMP/bad/layouts/en/big.lay"
refused "a file over 4 MiB" "layouts/en/big.lay: error: refused: larger than 4 MiB"
# A symlink that stays inside the folder is followed.
fresh; mv "$TMP/bad/layouts/en/summary.lay" "$TMP/bad/layouts/en/summary.txt"
ln -s summary.txt "$TMP/bad/layouts/en/summary.lay"
check_exit 0 "a symlink inside the folder is read" "$DOSSIER" layouts check --layouts "$TMP/bad/layouts"
rm -rf "$TMP/bad"

done_testing
