#!/usr/bin/env bash
# t_leftout.sh: the records left out go to the staff, not to recipients.
# By default the summaries (every language) carry no trace of them; the
# report OUTDIR/left-out.txt lists each with its roster line, id, reason
# and the messages the run printed; the manifest lists the report with
# its digest and the records with their reasons; --left-out-appendix
# puts the appendix back (marked for internal use) and toggling it remakes
# the summaries; a later run that leaves nothing out removes the report
# with a note; the proof lists them on its first page.
. "$(dirname "$0")/lib.sh"
A=2026-11-27
R=samples/bad-roster.csv
O="$TMP/out"
nbsp=$(printf '\302\240')
text() { pdftotext -enc UTF-8 -layout "$1" - | sed "s/$nbsp/ /g"; }

check_exit 1 "render the bad roster" "$DOSSIER" render $R -o "$O" --date $A
cp "$TMP/last.err" "$TMP/run.err"
cp "$O/manifest.json" "$TMP/bad-manifest.json"
for l in en ru hy; do
	text "$O/$l/summary.pdf" > "$TMP/$l.txt"
	cp "$O/$l/summary.pdf" "$TMP/$l-default.pdf"
done

# --- 1. the summaries say nothing of the records left out -----------------------
check "no id or reason of a record left out in any summary" python3 - "$O/manifest.json" "$TMP" <<'PY'
import json, re, sys
m = json.load(open(sys.argv[1]))
assert len(m["left_out"]) == 23, len(m["left_out"])
valid = {"B-01", "B-18"}   # B-01 is also the id of the duplicate row
for lang in ("en", "ru", "hy"):
    t = open(f"{sys.argv[2]}/{lang}.txt", encoding="utf-8").read()
    assert "Valid Person" in t or "Валид" in t or "Վալիդ" in t, lang
    for x in m["left_out"]:
        if x["record"] not in valid:
            assert x["record"] not in t, (lang, x["record"])
        # the reason, and the value of the roster it quotes
        assert x["reason"][:30] not in t, (lang, x["reason"])
        for q in re.findall(r'^[^:]*: [a-z_]+: "([^"]+)"', x["reason"]):
            # "prisoner" (a bad category) is also a word of "prisoner of war"
            if q not in valid and q != "prisoner":
                assert not re.search(rf"(?<!\w){re.escape(q)}(?!\w)", t), (lang, q)
    for w in ("2021-02-30", "already used", "not a valid id", "left out", "Appendix", "entries",
              "Приложение", "не вошедш", "записи", "служебного",
              "Հավելված", "չընդգրկված", "գրառում", "ծառայողական"):
        assert w not in t, (lang, w)
PY

# --- 2. the report, for the staff ---------------------------------------------
F="$O/left-out.txt"
check "the report is written" [ -s "$F" ]
check_grep "the closing line points to it" "23 left out (see $O/left-out.txt)" "$TMP/run.err"
check "each record left out: file:line, id (when valid), reason, every message the run printed" python3 - "$O/manifest.json" "$F" "$TMP/run.err" <<'PY'
import json, re, sys
m = json.load(open(sys.argv[1]))
rep = open(sys.argv[2], encoding="utf-8").read()
err = open(sys.argv[3], encoding="utf-8").read().splitlines()
assert rep.startswith("Records left out of the dossier: for the staff"), rep[:80]
assert "left out: 23 records" in rep
blocks = rep.split("\n\n")[2:]
assert len(blocks) == 23, len(blocks)
lines = [int(re.match(r"samples/bad-roster\.csv:(\d+): ", b).group(1)) for b in blocks]
assert lines == sorted(lines) == [x["line"] for x in m["left_out"]], lines
for b, x in zip(blocks, m["left_out"]):
    head = b.splitlines()[0]
    want = x["record"] if re.fullmatch(r"[A-Za-z0-9_-]{1,32}", x["record"]) else "(no valid id)"
    assert head == f"samples/bad-roster.csv:{x['line']}: {want}", (head, want)
    assert f"  reason: {x['reason']}\n" in b + "\n", (b, x["reason"])
    # every error the run printed at this record's line is in its block
    printed = [e for e in err if e.startswith(f"samples/bad-roster.csv:{x['line']}:") and ": error: " in e]
    assert printed, x
    for e in printed:
        assert "    " + e in b.splitlines(), (e, b)
# B-09 has two errors; both are there, in the run's form
b9 = [b for b in blocks if b.startswith("samples/bad-roster.csv:10: B-09")][0]
assert b9.count(": error: B-09: sources: ") == 2, b9
assert '(no valid id)' in blocks[0] and 'id: "B 02" is not a valid id' in blocks[0]
PY
check_nogrep "a valid record is not in the report" "B-18" "$F"

# --- 3. the manifest: the report with its digest, the records with reasons -----
check "the report in the manifest with its SHA-256; records left out with reasons" python3 - "$O" <<'PY'
import hashlib, json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
r = [f for f in m["files"] if f["path"] == "left-out.txt"]
assert len(r) == 1, r
b = open(os.path.join(d, "left-out.txt"), "rb").read()
assert r[0]["sha256"] == hashlib.sha256(b).hexdigest() and r[0]["bytes"] == len(b), r
assert r[0]["record"] is None and r[0]["pages"] is None, r
for x in m["left_out"]:
    assert x["reason"] and isinstance(x["line"], int), x
lo = {x["line"]: x for x in m["left_out"]}
assert "2021-02-30" in lo[6]["reason"] and lo[18]["record"] == "B-01" and "already used" in lo[18]["reason"]
PY
check "no journal and no temporary file left" [ ! -e "$O/.dossier-journal" ] && [ -z "$(find "$O" -name '.dossier-tmp-*')" ]

# A re-run: nothing changes, the report is not rewritten.
touch -d 2001-01-01 "$F"
check_exit 1 "a re-run" "$DOSSIER" render $R -o "$O" --date $A
check_grep "nothing changed on disk" "0 files changed on disk" "$TMP/last.err"
check "the report kept its date (not rewritten)" [ "$(stat -c %Y "$F")" = "$(date -d 2001-01-01 +%s)" ]

# --- 4. --left-out-appendix: the appendix, for internal use, in each language ---
check_exit 1 "render for internal use" "$DOSSIER" render $R -o "$O" --date $A --left-out-appendix
check_grep "toggling the option remakes the three summaries" "3 files changed on disk" "$TMP/last.err"
for l in en ru hy; do
	text "$O/$l/summary.pdf" > "$TMP/$l-int.txt"
done
check_grep "en: appendix headed for internal use" "Appendix for internal use: entries left out" "$TMP/en-int.txt"
check_grep "ru: appendix headed for internal use" "Приложение для служебного пользования" "$TMP/ru-int.txt"
check_grep "hy: appendix headed for internal use" "Հավելված ծառայողական օգտագործման համար" "$TMP/hy-int.txt"
check_grep "en: the figure of the records left out" "Entries left out (see the" "$TMP/en-int.txt"
check_grep "ru: the count, with its plural" "23 записи не вошли" "$TMP/ru-int.txt"
check_grep "hy: the count" "չի ընդգրկվել 23 գրառում" "$TMP/hy-int.txt"
check "each appendix lists every record left out with its line, id and reason" python3 - "$O/manifest.json" "$TMP" <<'PY'
import json, re, sys
m = json.load(open(sys.argv[1]))
heads = {"en": "Appendix for internal use", "ru": "Приложение для служебного пользования",
         "hy": "Հավելված ծառայողական օգտագործման համար"}
for lang, h in heads.items():
    t = open(f"{sys.argv[2]}/{lang}-int.txt", encoding="utf-8").read()
    app = t[t.index(h):]
    for x in m["left_out"]:
        assert re.search(rf"^\s*{x['line']}\s+{re.escape(x['record'])}\s", app, re.M), (lang, x)
    assert "2021-02-30" in app and "already used on line 2" in app, lang
PY
check_exit 1 "the same internal run again" "$DOSSIER" render $R -o "$O" --date $A --left-out-appendix
check_grep "is up to date" "0 files changed on disk" "$TMP/last.err"
check_exit 1 "the option dropped" "$DOSSIER" render $R -o "$O" --date $A
check_grep "remakes the three summaries" "3 files changed on disk" "$TMP/last.err"
for l in en ru hy; do
	check "$l: the summary is again the one for recipients, byte for byte" cmp "$TMP/$l-default.pdf" "$O/$l/summary.pdf"
done

# The binder follows the summary.
check_exit 1 "a binder for internal use" "$DOSSIER" render $R -o "$TMP/b" --date $A --lang en --binder --left-out-appendix --quiet
check "the internal binder has the appendix" sh -c "pdftotext '$TMP/b/en/binder.pdf' - | grep -q 'Appendix for internal use'"
check_exit 1 "a binder for recipients" "$DOSSIER" render $R -o "$TMP/b" --date $A --lang en --binder --quiet
check "the binder for recipients has none" sh -c "! pdftotext '$TMP/b/en/binder.pdf' - | grep -q -e Appendix -e 2021-02-30"

# --- 5. a clean roster: the report goes, with a note ------------------------------
check_exit 0 "a run with nothing left out" "$DOSSIER" render samples/roster.csv -o "$O" --date $A
check_grep "the report is removed, with a note" "note: removed left-out.txt: no record was left out this time" "$TMP/last.err"
check "no report" [ ! -e "$F" ]
check "nor in the manifest" python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
assert not [f for f in m["files"] if f["path"] == "left-out.txt"] and m["left_out"] == []' "$O/manifest.json"
check_exit 0 "a fresh clean run" "$DOSSIER" render samples/roster.csv -o "$TMP/clean" --date $A --lang en --quiet
check "writes no report" [ ! -e "$TMP/clean/left-out.txt" ]

# --- 6. a brief that cannot be made: in the report with its messages ---------------
long=$(python3 -c "print(' '.join(['Averyveryverylongfictionalname'] * 8))")
printf 'id,category,name_en,detained_on,status\nA-1,pow,Aram Fictional,2020-12-13,held\nA-2,pow,%s,2020-12-13,held\nA-3,civilian,Levon Fictional,2021-01-10,held\nA 4,pow,Bad Fictional,2020-12-13,held\n' "$long" > "$TMP/s.csv"
check_exit 1 "--strict with a brief that does not fit" "$DOSSIER" render "$TMP/s.csv" -o "$TMP/s" --date $A --strict --lang en
check "the report: the invalid row and the record that could not be rendered, in roster order" python3 - "$TMP/s/left-out.txt" "$TMP/s.csv" <<'PY'
import re, sys
rep = open(sys.argv[1], encoding="utf-8").read()
roster = sys.argv[2]
blocks = rep.split("\n\n")[2:]
assert [b.splitlines()[0] for b in blocks] == [f"{roster}:3: A-2", f"{roster}:5: (no valid id)"], blocks
assert "  reason: could not be rendered: " in blocks[0] and "do not fit" in blocks[0], blocks[0]
assert re.search(r"^    en/briefs/A-2-\S+\.pdf: error: 2 texts do not fit", blocks[0], re.M), blocks[0]
# what did not fit, and where, as the run printed it
assert re.search(r"^    record A-2 \(en\), layout text '[^']+': warning: .*does not fit", blocks[0], re.M), blocks[0]
PY
check "and not in the summary" sh -c "! pdftotext '$TMP/s/en/summary.pdf' - | grep -q -e Averyvery -e 'A 4'"

# --- 7. an interrupted run: the report is recovered like the PDFs -------------------
# Files put in place, in order: 2 briefs, the summary, the report.
for how in 4 4:before; do
	K="$TMP/k$(echo $how | tr -d :)"
	( DOSSIER_TEST_KILL=$how exec "$DOSSIER" render $R -o "$K" --date $A --lang en --quiet ) 2>/dev/null
	rc=$?
	check "killed at the report ($how, exit $rc)" [ $rc -eq 137 ] && [ -e "$K/.dossier-journal" ]
	check_exit 1 "the next run ($how)" "$DOSSIER" render $R -o "$K" --date $A --lang en
	check "the report matches the manifest ($how)" python3 - "$K" <<'PY'
import hashlib, json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
r = [f for f in m["files"] if f["path"] == "left-out.txt"][0]
assert hashlib.sha256(open(os.path.join(d, "left-out.txt"), "rb").read()).hexdigest() == r["sha256"]
assert not os.path.exists(os.path.join(d, ".dossier-journal"))
PY
done
check "the report after a kill is the one of a clean run" cmp "$TMP/k4/left-out.txt" "$TMP/k4before/left-out.txt"

# --- 8. the proof lists the records left out on its first page -------------------------
check_exit 1 "proof of the bad roster" "$DOSSIER" proof $R -o "$TMP/p.pdf" --date $A
pdftotext -enc UTF-8 -layout -l 3 "$TMP/p.pdf" "$TMP/p1.txt"
check_grep "the proof's first page has the list" "Records left out" "$TMP/p1.txt"
check "every record left out, with its line, id and reason" python3 - "$TMP/bad-manifest.json" "$TMP/p1.txt" <<'PY'
import json, re, sys
m = json.load(open(sys.argv[1]))
t = open(sys.argv[2], encoding="utf-8").read()
t = t[t.index("Records left out"):]
for x in m["left_out"]:
    assert re.search(rf"^\s*{x['line']}\s+{re.escape(x['record'])}\s+", t, re.M), x
    # the reason, its first 40 characters at least (it may wrap)
    assert x["reason"][:40] in t, x["reason"]
PY
check_exit 1 "proof --only a record left out" "$DOSSIER" proof $R -o "$TMP/p2.pdf" --date $A --only B-05,B-01
pdftotext -enc UTF-8 -layout -l 1 "$TMP/p2.pdf" "$TMP/p2.txt"
check "with --only, the ids given" python3 - "$TMP/p2.txt" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
t = t[t.index("Records left out"):t.index("Marks") if "Marks" in t else None]
assert re.search(r"^\s*6\s+B-05\s+B-05: detained_on:", t, re.M), t
assert re.search(r"^\s*18\s+B-01\s", t, re.M), t
assert "B-03" not in t and "B-20" not in t, t
PY
check_exit 0 "proof of the clean roster" "$DOSSIER" proof samples/roster.csv -o "$TMP/p3.pdf" --date $A
check "no list when nothing is left out" sh -c "! pdftotext -l 1 '$TMP/p3.pdf' - | grep -q 'Records left out'"

# --- 9. the option in the help and the man page ---------------------------------------
check_exit 0 "render --help" "$DOSSIER" render --help
check_grep "render --help names the option" "--left-out-appendix" "$TMP/last.out"
check_grep "render --help names the report" "left-out.txt" "$TMP/last.out"
check_grep "the man page names the option" '\-\-left-out-appendix' dossier.1
check_grep "the man page names the report" 'OUTDIR/left-out.txt' dossier.1
check_grep "the README names the report" "OUTDIR/left-out.txt" README.md

done_testing
