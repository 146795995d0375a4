#!/usr/bin/env bash
# t_summary.sh: the summary report: every figure matches the roster (worked
# out here, independently), every valid record appears exactly once in the
# table of each language, in that language's alphabetical order, and the
# records left out are listed with their line and reason only in a summary
# for internal use.
. "$(dirname "$0")/lib.sh"
O="$TMP/out"
nbsp=$(printf '\302\240')

check_exit 0 "render the sample roster" "$DOSSIER" render samples/roster.csv -o "$O" --date 2026-11-27 --quiet
for l in en ru hy; do
	check "$l summary written" [ -s "$O/$l/summary.pdf" ]
	pdftotext -enc UTF-8 -layout "$O/$l/summary.pdf" - | sed "s/$nbsp/ /g" > "$TMP/$l.txt"
	qpdf --check "$O/$l/summary.pdf" > /dev/null 2>&1
	check "$l summary passes qpdf --check" [ $? -eq 0 ]
done
check "summary in the manifest, without a record" python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
s = [f for f in m["files"] if f["path"].endswith("summary.pdf")]
assert len(s) == 3 and all(f["record"] is None for f in s), s' "$O/manifest.json"

check "figures match the roster" python3 - samples/roster.csv "$TMP/en.txt" <<'PY'
import csv, datetime, re, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
text = open(sys.argv[2], encoding="utf-8").read()
asof = datetime.date(2026, 11, 27)
def day(s):
    p = [int(x) for x in s.split("-")] + [1, 1]
    return datetime.date(p[0], p[1], p[2])
def row(label, value):
    if not re.search(r"^\s*" + re.escape(label) + r"\s{2,}" + re.escape(value) + r"\s*$", text, re.M):
        raise SystemExit(f"no row '{label}  {value}'")
def grp(n):
    return f"{n:,}"
held = ("held", "awaiting_trial", "on_trial", "convicted")
det = [r for r in rows if r["status"] in held]
conv = [r for r in rows if r["status"] == "convicted"]
life = [r for r in conv if r["sentence_years"] == "life"]
fixed = sorted(float(r["sentence_years"].replace(",", ".")) for r in conv if r["sentence_years"] != "life")
days = [(asof - day(r["detained_on"])).days for r in det]
row("People in this report", str(len(rows)))
row("Still in detention", str(len(det)))
row("Convicted", str(len(conv)))
def years(y):
    w = int(y); m = round((y - w) * 12)
    s = (f"{w} year" + ("s" if w != 1 else "")) if w else ""
    if m: s += (" " if s else "") + f"{m} month" + ("s" if m != 1 else "")
    return s
assert years(sum(fixed)) + f" ({len(fixed)} sentences)" in text, years(sum(fixed))
assert "Median fixed-term" in text and years(statistics.median(fixed)) in text
row("Median time in detention", grp(int(-(-statistics.median(days) // 1))) + " days")
row("Longest time in detention", grp(max(days)) + " days")
for cat, label in (("pow", "Prisoners of war"), ("civilian", "Civilians"), ("hostage", "Hostages"),
                   ("political", "Former officials"), ("missing", "Missing persons")):
    n = sum(r["category"] == cat for r in rows)
    if n: row(label, str(n))
for st, label in (("held", "Held"), ("awaiting_trial", "Awaiting trial"), ("on_trial", "On trial"),
                  ("convicted", "Convicted"), ("released", "Released"), ("deceased", "Deceased"),
                  ("missing", "Fate unknown")):
    n = sum(r["status"] == st for r in rows)
    if n: row(label, str(n))
for v, label in (("yes", "Acknowledged"), ("no", "Not acknowledged")):
    row(label, str(sum(r["acknowledged"] == v for r in rows)))
row("Not known", str(sum(r["acknowledged"] in ("", "unknown") for r in rows)))
assert f"{len(rows)} people in this report" in text
PY

check "every status of the roster in the chart's legend too (and the table by status)" python3 - "$TMP/en.txt" <<'PY'
import sys
t = open(sys.argv[1], encoding="utf-8").read()
for label in ("Held", "Awaiting trial", "On trial", "Convicted", "Released", "Deceased", "Fate unknown"):
    assert t.count(label) >= 2, (label, t.count(label))
PY

# Every valid record once in each table, in that language's alphabetical
# order (the alphabets written out here, not taken from ICU).
check "each record once per table, in alphabetical order" python3 - "$TMP" <<'PY'
import re, sys
d = sys.argv[1]
names = {
 "en": ["Tigran Avetisyan", "Narek Hovsepyan", "Anahit Zakaryan", "Vardan Khachikyan", "Samvel Arakelyan",
        "Hovhannes Tsaturyan", "Gor Melikyan", "Mher Ghazaryan", "Sos Yesayan", "Ashot Yeghiazaryan",
        "Gayane Hakobyan", "Artur Poghosyan", "Edgar Nazaryan", "Khoren Babloyan"],
 "ru": ["Тигран Аветисян", "Нарек Овсепян", "Анаит Закарян", "Вардан Хачикян", "Самвел Аракелян",
        "Ованес Цатурян", "Гор Меликян", "Мгер Казарян", "Сос Есаян", "Ашот Егиазарян",
        "Гаяне Акопян", "Артур Погосян", "Эдгар Назарян", "Хорен Баблоян"],
 "hy": ["Տիգրան Ավետիսյան", "Նարեկ Հովսեփյան", "Անահիտ Զաքարյան", "Վարդան Խաչիկյան", "Սամվել Առաքելյան",
        "Հովհաննես Ծատուրյան", "Գոռ Մելիքյան", "Մհեր Ղազարյան", "Սոս Եսայան", "Աշոտ Եղիազարյան",
        "Գայանե Հակոբյան", "Արթուր Պողոսյան", "Էդգար Նազարյան", "Խորեն Բաբլոյան"],
}
alpha = {
 "en": "abcdefghijklmnopqrstuvwxyz",
 "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
 "hy": "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
}
for lang, want in names.items():
    text = open(f"{d}/{lang}.txt", encoding="utf-8").read()
    table = text[text.rfind("\n1 "):] if "\n1 " in text else text
    rows = re.findall(r"^\s*(\d+)\s{2,}(\S+ \S+)", text, re.M)
    got = [n for _, n in rows if n in want]
    for n in want:
        assert got.count(n) == 1, (lang, n, got.count(n))
    key = lambda s: [alpha[lang].index(ch) if ch in alpha[lang] else -1 for ch in s.lower()]
    assert got == sorted(want, key=key), (lang, got)
    assert [int(i) for i, n in rows if n in want] == list(range(1, 15)), lang
PY

# Records left out: the summary says nothing of them; with
# --left-out-appendix (internal use) its appendix lists them with their
# line and reason (t_leftout.sh checks the rest).
check_exit 1 "render the bad roster" "$DOSSIER" render samples/bad-roster.csv -o "$TMP/bad" --date 2026-11-27 --quiet --lang en
pdftotext -enc UTF-8 -layout "$TMP/bad/en/summary.pdf" - > "$TMP/bad.txt"
check_nogrep "no appendix by default" "Appendix" "$TMP/bad.txt"
check_nogrep "no left-out figure by default" "left out" "$TMP/bad.txt"
check_nogrep "no reason by default" "2021-02-30" "$TMP/bad.txt"
check_exit 1 "render the bad roster for internal use" "$DOSSIER" render samples/bad-roster.csv -o "$TMP/bad" --date 2026-11-27 --quiet --lang en --left-out-appendix
pdftotext -enc UTF-8 -layout "$TMP/bad/en/summary.pdf" - > "$TMP/bad.txt"
check_grep "appendix heading" "Appendix for internal use: entries left out" "$TMP/bad.txt"
check_grep "appendix count" "23 entries were left out" "$TMP/bad.txt"
check "every left-out record with its line and id" python3 - "$TMP/bad.txt" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
app = text[text.index("Appendix for internal use: entries left out"):]
want = {3: "B 02", 4: "B-03", 6: "B-05", 13: "B-12", 18: "B-01", 20: "B-21", 24: "B-25", 25: "B-19", 26: "B-20"}
for line, rid in want.items():
    assert re.search(rf"^\s*{line}\s+{re.escape(rid)}\s", app, re.M), (line, rid)
assert "2021-02-30" in app and "already used on line 2" in app
PY
check_grep "the two valid records counted" "2 people in this report" "$TMP/bad.txt"

# Links from the table to the briefs.
check "table rows link to the briefs" python3 - "$O/en/summary.pdf" <<'PY'
import subprocess, sys
out = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", sys.argv[1], "-"], capture_output=True).stdout
assert out.count(b"/GoToR") >= 14 or out.count(b"briefs/F-0") >= 14, out.count(b"/GoToR")
assert b"briefs/F-001-tigran-avetisyan.pdf" in out
PY

# --- the print binder --------------------------------------------------------
check_exit 0 "render with --binder" "$DOSSIER" render samples/roster.csv -o "$TMP/b" --date 2026-11-27 --binder --quiet
for l in en ru hy; do
	check "$l binder: pages = parts + blanks, briefs on odd pages, one bookmark each, labels" python3 - "$TMP/b" $l <<'PY'
import json, re, subprocess, sys
out, lang = sys.argv[1], sys.argv[2]
f = f"{out}/{lang}/binder.pdf"
m = json.load(open(f"{out}/manifest.json"))
pages = {x["path"]: x["pages"] for x in m["files"]}
assert f"{lang}/binder.pdf" in pages
j = json.loads(subprocess.run(["qpdf", "--json", "--json-key=outlines", "--json-key=pagelabels", f],
                              capture_output=True, text=True, check=True).stdout)
labels = j["pagelabels"]
assert labels[0]["label"]["/S"] == "/r" and labels[1]["label"]["/S"] == "/D", labels
front = labels[1]["index"]
# The briefs in the binder's order: the top-level bookmarks after the summary.
people = [o for o in j["outlines"][2:]]
briefs = [x for x in m["files"] if x["lang"] == lang and x["record"]]
assert len(people) == len(briefs) == 14, (len(people), len(briefs))
names = [o["title"] for o in people]
assert len(set(names)) == 14
for o in people:
    assert o["destpageposfrom1"] % 2 == 1, (o["title"], o["destpageposfrom1"])
# Independently: front, summary on an odd page, each brief on an odd page.
byname = {}
for x in briefs:
    txt = subprocess.run(["pdftotext", "-l", "1", f"{out}/{x['path']}", "-"], capture_output=True, text=True).stdout
    byname[txt.strip().splitlines()[0]] = x["pages"]
p = front
if p % 2: p += 1
p += pages[f"{lang}/summary.pdf"]
for n in names:
    if p % 2: p += 1
    assert p + 1 == [o for o in people if o["title"] == n][0]["destpageposfrom1"], n
    p += byname[n]
info = subprocess.run(["pdfinfo", f], capture_output=True, text=True).stdout
total = int(re.search(r"Pages:\s+(\d+)", info).group(1))
assert total == p == pages[f"{lang}/binder.pdf"], (total, p)
# The contents give each brief's page number as printed (page - front).
toc = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", str(front), f, "-"], capture_output=True, text=True).stdout
for o in people:
    num = o["destpageposfrom1"] - front
    assert re.search(re.escape(o["title"]) + r"\s+" + str(num) + r"\s*$", toc, re.M), (o["title"], num)
PY
	check "$l binder passes qpdf --check" sh -c "qpdf --check '$TMP/b/$l/binder.pdf' > /dev/null"
done
check "binder: the summary's rows and the contents link inside the binder" python3 - "$TMP/b/en/binder.pdf" <<'PY'
import subprocess, sys
out = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", sys.argv[1], "-"], capture_output=True).stdout
assert out.count(b"/S /GoTo") >= 28, out.count(b"/S /GoTo")   # contents + table, 14 each
assert b"(brief:F-001)" in out and b"/GoToR" not in out
PY
check "no word outside the margins of summaries and binders" python3 - "$O" "$TMP/b" <<'PY'
import glob, re, subprocess, sys
bad = []
for f in sorted(glob.glob(sys.argv[1] + "/*/summary.pdf") + glob.glob(sys.argv[2] + "/*/binder.pdf")):
    x = subprocess.run(["pdftotext", "-bbox", f, "-"], capture_output=True, text=True).stdout
    w = None
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">', x):
        if m.group(1):
            w, h = float(m.group(1)), float(m.group(2)); continue
        x0, y0, x1, y1 = map(float, m.group(3, 4, 5, 6))
        if x0 < 72 - 0.6 or x1 > w - 72 + 0.6 or y0 < 0 or y1 > h:
            bad.append((f, x0, x1, y0))
if bad: print(bad[:5], file=sys.stderr)
sys.exit(1 if bad else 0)
PY
check_exit 0 "a binder re-run with nothing changed" "$DOSSIER" render samples/roster.csv -o "$TMP/b2" --date 2026-11-27 --binder --quiet
check "the binder is byte-identical run to run" cmp "$TMP/b/en/binder.pdf" "$TMP/b2/en/binder.pdf"

done_testing
