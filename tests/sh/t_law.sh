#!/usr/bin/env bash
# t_law.sh: the legal argument by fact pattern. tests/law/roster.csv holds
# one fictional person for each combination of category, status and period
# that layouts/README.md ("Which argument for which facts") distinguishes;
# each brief, in every language, must carry the citations and sentences
# its facts call for and none of those they do not. A brief rendered as of
# an earlier date knows nothing of later events; `layouts check` is clean
# and flags a dated source cited without a date condition; `layouts
# sources` lists every key the layouts use.
. "$(dirname "$0")/lib.sh"
R=tests/law/roster.csv
O=$TMP/out

check_exit 0 "layouts check is clean" "$DOSSIER" layouts check
check_grep "no errors, no warnings" " 0 errors, 0 warnings" "$TMP/last.out"
check_exit 0 "layouts sources (json)" "$DOSSIER" layouts sources --format json
cp "$TMP/last.out" "$TMP/sources.json"
check_exit 0 "layouts sources (text)" "$DOSSIER" layouts sources
cp "$TMP/last.out" "$TMP/sources.txt"
check_exit 2 "layouts sources: a bad format" "$DOSSIER" layouts sources --format xml

# --- every key the layouts cite or rules.lay lists, and nothing else -------
check "layouts sources lists every key used" python3 - "$TMP/sources.json" <<'PY'
import glob, json, re, sys
got = [e["key"] for e in json.load(open(sys.argv[1], encoding="utf-8"))]
used = set()
for p in glob.glob("layouts/*/*.lay"):
    if p.endswith("citations.lay"):
        continue
    used |= set(re.findall(r"\[@([A-Za-z0-9._-]+)\]", open(p, encoding="utf-8").read()))
for line in open("layouts/rules.lay", encoding="utf-8").read().split("\n"):
    if line.startswith("    "):
        used |= set(line.split())
assert set(got) == used, (sorted(set(got) - used), sorted(used - set(got)))
assert len(got) == len(set(got))
PY
check "layouts sources: status, date, references, quotes" python3 - "$TMP/sources.json" <<'PY'
import json, sys
d = {e["key"]: e for e in json.load(open(sys.argv[1], encoding="utf-8"))}
e = d["ep-2025-03-13"]
assert e["status"] == "V2" and e["date"] == "2025-03-13", e
assert all(e["reference"][l] for l in ("en", "ru", "hy"))
assert any("including high-ranking officials" in q for q in e["quoted"]["en"])
assert d["trilateral-8"]["status"] == "P (wording U)" and d["trilateral-8"]["quoted"]["en"] == []
assert d["gc3-118"]["date"] is None
assert "https://icj-cij.org/node/106094" in d["icj-2021-12-07"]["urls"]
assert "Wikipedia" in d["ap-status"]["reference"]["en"]
assert "arg.pow-119" in d["gc3-119"]["cited_in"]
PY
check_grep "text form: a key and its status" "  status: V2 @2025-03-13" "$TMP/sources.txt"

# --- a dated source without a date condition is an error -------------------
cp -R layouts "$TMP/lay"
sed -i 's/^ep-2025 \[as_of >= 2025-03-13 and /ep-2025 [/' "$TMP/lay/rules.lay"
check_exit 1 "lint: dated source without a date condition" "$DOSSIER" layouts check --layouts "$TMP/lay"
check_grep "lint names the text and the source" "'arg.ep-2025' cites 'ep-2025-03-13', dated 2025-03-13, without a condition" "$TMP/last.err"

# --- the briefs of every combination, in three languages --------------------
check_exit 0 "render the fact patterns" "$DOSSIER" render "$R" -o "$O" --date 2026-11-27 --quiet
for f in "$O"/*/briefs/*.pdf "$O"/*/summary.pdf; do
	l=$(basename "$(dirname "$(dirname "$f")")")
	[ "$(basename "$f")" = summary.pdf ] && l=$(basename "$(dirname "$f")")
	pdftotext -enc UTF-8 "$f" - | tr -s ' \n\t\f' ' ' > "$TMP/$l.$(basename "$f" .pdf | cut -c1-4).txt"
done
check "each brief cites what its facts call for, and nothing else" python3 - "$TMP" "$TMP/sources.json" <<'PY'
import json, sys
tmp = sys.argv[1]
# Compared without white space: a line may break after a dash.
refs = {e["key"]: {l: "".join(e["reference"][l].split()) for l in e["reference"]}
        for e in json.load(open(sys.argv[2], encoding="utf-8"))}
def text(i, l):
    return "".join(open(f"{tmp}/{l}.{i}.txt", encoding="utf-8").read().split())
def keys(i, l):
    t = text(i, l)
    return {k for k, r in refs.items() if r[l] in t}
# id: (keys it must cite, keys it must not)
want = {
    "L-01": ("gc3-118 trilateral-1 gc3-4 gc3-5 trilateral-8 ep-2021-05-20 icj-2021-12-07 ep-2025-03-13 gc3-13",
             "gc3-119 gc4-132 cihl-96 iccpr-9 cihl-117 gc3-70 gc3-99"),
    "L-02": ("gc3-118 trilateral-1 gc3-4 trilateral-8 icj-2021-12-07", "gc3-119 gc3-99 gc4-132"),
    "L-03": ("gc3-119 gc3-99 gc3-102 gc3-105 gc3-106 gc3-130 iccpr-14 cihl-100 ap1-75 trilateral-8", "gc4-132 cihl-96"),
    "L-04": ("gc3-119 gc3-99 trilateral-8 icj-2021-12-07", "gc4-132"),
    "L-05": ("gc3-118 gc3-119 trilateral-8 ep-2025-03-13", "trilateral-1 ep-2021-05-20 icj-2021-12-07"),
    "L-06": ("gc4-4 gc4-27 gc4-132 gc4-133 gc4-134 cihl-99 trilateral-8 icj-2021-12-07", "gc3-118 gc3-119 iccpr-14"),
    "L-07": ("gc4-4 gc4-27 cihl-99 iccpr-14 cihl-100 ap1-75 ep-2021-05-20 ep-2025-03-13",
             "gc4-132 gc4-133 gc4-134 trilateral-8 icj-2021-12-07 gc3-118 gc3-119"),
    "L-08": ("cihl-96 gc4-34 gc4-147 cihl-128 ep-2021-05-20 ep-2025-03-13", "trilateral-8 icj-2021-12-07 gc4-132"),
    "L-09": ("iccpr-9 echr-5 cihl-99 ep-2025-03-13 iccpr-14", "trilateral-8 ep-2021-05-20 icj-2021-12-07 gc3-118 gc3-119"),
    "L-10": ("cihl-99 ap1-75 cihl-123 cihl-117 trilateral-8 icj-2021-12-07 cihl-124", "cihl-98 gc3-70 gc3-118"),
    "L-11": ("cihl-117 un-2021-02-01 trilateral-8", "cihl-124 gc3-118 cihl-99 cihl-98"),
    "L-12": ("cihl-87 cihl-99", "cihl-117 cihl-98 cihl-124 trilateral-8 gc3-118"),
    "L-13": ("cihl-117 cihl-98 gc3-122 gc4-136 un-2021-02-01 cihl-123 gc3-70 icrc-am-2022 trilateral-8", "gc3-118 cihl-124"),
    "L-14": ("cihl-117 cihl-98 cihl-123 icrc-am-2022 trilateral-8", "gc3-70 gc3-118 cihl-124"),
    "L-15": ("gc3-118 gc3-13", "trilateral-1 gc3-4 cihl-124 cihl-117 trilateral-8"),
    "L-16": ("cihl-117 un-2021-02-01 cihl-87 cihl-90", "trilateral-8 cihl-124 gc4-132"),
    "L-17": ("cihl-96 iccpr-14 cihl-100 ep-2025-03-13", "trilateral-8 ep-2021-05-20 icj-2021-12-07 gc4-132"),
    "L-18": ("gc3-118 trilateral-1 gc3-70 cihl-98 trilateral-8", "gc3-119"),
    "L-19": ("gc3-118 gc3-119 gc3-99 gc3-102 gc3-105 gc3-4 trilateral-8", "gc4-132"),
}
bad = []
for i, (must, mustnot) in want.items():
    for l in ("en", "ru", "hy"):
        k = keys(i, l)
        bad += [f"{i} {l}: lacks {x}" for x in must.split() if x not in k]
        bad += [f"{i} {l}: cites {x}" for x in mustnot.split() if x in k]
assert not bad, "\n".join(bad)
PY
check "each brief says what its facts call for, in English" python3 - "$TMP" <<'PY'
import sys
tmp = sys.argv[1]
def t(i):
    return open(f"{tmp}/en.{i}.txt", encoding="utf-8").read()
cases = [
    ("L-01", ["arose no later than 10 November 2020", "Ref. L-01", "to release and repatriate this person without delay"],
             ["at capture", "roster", "Record L-01"]),
    ("L-02", ["after active hostilities had ceased", "arose at capture", "group of 62", "That is Azerbaijan’s position"],
             ["no later than 10 November 2020"]),
    ("L-03", ["Article 119", "this sentence ends no later than 5 July 2027; this person must then be released",
              "6 years of imprisonment"], ["no later than 10 November 2020", "served in full"]),
    ("L-19", ["The sentence pronounced on 1 March 2021 was 5 years of imprisonment",
              "it was served in full on 1 March 2026",
              "Article 119 therefore no longer allows this person’s detention",
              "counted from the verdict, served in full on 1 March 2026"], ["ends no later than"]),
    ("L-04", ["A sentence of life imprisonment pronounced without these guarantees"], []),
    ("L-05", ["19 September 2023", "20 September 2023", "ensure this person’s safe return"],
             ["no later than 10 November 2020", "release and repatriate this person"]),
    ("L-06", ["An interned person must be released"], []),
    ("L-07", ["refrain from making arbitrary detentions in the future", "fairness of the proceedings"],
             ["interned person", "Paragraph 8"]),
    ("L-08", ["during and after the conflict", "hostage (the European Parliament’s term)"], ["Paragraph 8"]),
    ("L-09", ["including high-ranking officials", "safe return", "in our submission, held for political reasons"],
             ["Paragraph 8", "repatriate"]),
    ("L-10", ["reported missing and is now known to be detained", "to inform the family of this person’s detention"],
             ["Missing person:"]),
    ("L-11", ["Reported missing, now known to have died", "return of the remains", "bodies of the dead",
              "to return the remains to the family"], ["Missing person:", "No legal argument"]),
    ("L-12", ["This person has been released"], ["duty to account", "Requests", "release this person"]),
    ("L-13", ["Prisoners of war are not to be held in secret", "Missing person:"], []),
    ("L-14", ["fate and whereabouts of this person"], ["held in secret", "capture card"]),
    ("L-15", ["This person has been released", "released and repatriated without delay after the cessation"],
             ["Requests", "We respectfully ask"]),
    ("L-16", ["treated humanely", "circumstances of the death"], ["bodies of the dead"]),
    ("L-17", ["hostage (the European Parliament’s term)", "safe return"], ["Paragraph 8"]),
    ("L-18", ["or, if the capture came after that day, at capture"], []),
]
bad = []
for i, must, mustnot in cases:
    x = t(i)
    bad += [f"{i}: lacks {s!r}" for s in must if s not in x]
    bad += [f"{i}: says {s!r}" for s in mustnot if s in x]
# No sentence twice in one brief: enforced disappearance, once.
for i in ("L-13", "L-14"):
    n = t(i).count("Enforced disappearance is prohibited")
    if n != 1:
        bad.append(f"{i}: 'Enforced disappearance is prohibited' {n} times")
assert not bad, "\n".join(bad)
PY
check "Russian and Armenian: neutral forms, attribution, the reviewed wording" python3 - "$TMP" <<'PY'
import re, sys
tmp = sys.argv[1]
def t(l, i):
    return open(f"{tmp}/{l}.{i}.txt", encoding="utf-8").read()
bad = []
ru = {i: t("ru", i) for i in ("L-01", "L-03", "L-08", "L-14", "L-17")}
for i, x in ru.items():
    for w in ("Категория военнопленный", "Категория заложник", " задержан ", "Имя "):
        if w in x:
            bad.append(f"ru {i}: {w!r}")
    if "Убедительно просим власти Азербайджанской Республики:" not in x and i != "L-14":
        bad.append(f"ru {i}: request intro")
    if not re.search("Справка №[\u00a0 ]" + i, x):
        bad.append(f"ru {i}: footer reference")
if "лицо, имеющее статус военнопленного" not in ru["L-01"]: bad.append("ru L-01: category label")
if "по определению Европейского парламента" not in ru["L-08"]: bad.append("ru L-08: attribution")
if "обеспечить этому лицу возможность переписки с семьёй" not in ru["L-01"]: bad.append("ru: family request")
if "обеспечить право этого лица на защитника по собственному выбору" not in ru["L-03"]: bad.append("ru: counsel request")
if "Пункт 1 статьи 118 Женевской конвенции об обращении с военнопленными предусматривает, что военнопленные освобождаются" not in ru["L-01"]:
    bad.append("ru: Art 118 sentence")
if "Фамилия, имя" not in ru["L-01"]: bad.append("ru: name label")
hy3 = t("hy", "L-03")
for w in ("վավեր է", "ապահովել, որ նրան պաշտպանի իր ընտրած փաստաբանը", "մինչև որ իրավասու դատարանը որոշի նրանց կարգավիճակը",
          "I լրացուցիչ արձանագրության"):
    if w not in hy3:
        bad.append(f"hy L-03: lacks {w!r}")
for w in ("իրավաչափ է", "Լրացուցիչ արձանագրություն I"):
    if w in hy3:
        bad.append(f"hy L-03: says {w!r}")
if not re.search("Տեղեկանք №[\u00a0 ]L-03", hy3): bad.append("hy: footer reference")
if "կիրառել է ժամանակավոր միջոցներ" not in t("hy", "L-01"): bad.append("hy: ICJ applied")
if "պատանդ (Եվրոպական խորհրդարանի բնորոշմամբ)" not in t("hy", "L-08"): bad.append("hy: attribution")
hy = {i: t("hy", i) for i in ("L-01", "L-03", "L-09", "L-13", "L-16", "summ")}
# pdftotext gives a no-break space as a space: "_" is either here, and the
# layouts' own characters are checked below.
def has(x, w):
    return re.search(re.escape(w).replace("_", "[\u00a0 ]"), x) is not None
if "ժամանակավոր միջոցներ է նշել" in hy["L-01"] or "նշել է ժամանակավոր" in hy["L-01"]: bad.append("hy: ICJ 'noted'")
if "պարտավորեցնում է յուրաքանչյուր կողմին" not in hy["summ"]: bad.append("hy summary: duty of each party")
if not has(hy["summ"], "Ղարաբաղը լքել է 115_183 փախստական"): bad.append("hy summary: 115 183 refugees")
# The statement's title names Azerbaijan's President first, as its source does.
az, am = "Ադրբեջանի Հանրապետության Նախագահի", "Հայաստանի Հանրապետության վարչապետի"
for i in ("L-01", "summ"):
    x = hy[i]
    if az not in x or am not in x or x.index(am) < x.index(az): bad.append(f"hy {i}: signatory order")
for i, x in hy.items():
    # "It is prohibited" once a sentence.
    for s in x.split("։"):
        if s.count("արգելված են") > 1: bad.append(f"hy {i}: 'արգելված են' twice in {s[:60]!r}")
    for w in ("վարվեցողության", "իրավաչափ", "Լրացուցիչ արձանագրություն I", "12 օգոստոսի 1949", '"', " : "):
        if w in x: bad.append(f"hy {i}: says {w!r}")
# Written dates in one form, year first, in the body and in the footnotes.
for i, w in (("L-01", "2020_թ. նոյեմբերի 10-ին"), ("L-01", "1949_թ. օգոստոսի 12, հոդված 118(1)"),
             ("L-01", "«Ռազմագերիների հետ վարվելակերպի մասին» Ժնևի"),
             ("L-03", "119-րդ հոդվածն ազատ արձակելու"), ("L-03", "մինչև պատժի ամբողջական կրումը"),
             ("L-09", "Յուրաքանչյուր ձերբակալված անձ ձերբակալման պահին պետք է տեղեկացվի"),
             ("L-09", "Մարդու իրավունքների և հիմնարար ազատությունների պաշտպանության մասին կոնվենցիա (Մարդու իրավունքների եվրոպական կոնվենցիա)"),
             ("L-03", "Միջազգային զինված ընդհարումների զոհերի պաշտպանության մասին 1949_թ. օգոստոսի 12-ի Ժնևի կոնվենցիաների լրացուցիչ արձանագրություն (I լրացուցիչ արձանագրություն)")):
    if not has(hy[i], w): bad.append(f"hy {i}: lacks {w!r}")
# In the Armenian layouts, a no-break space before every written "թ." and in
# 115 183 and 5 000; no ASCII full stop or colon ending a sentence.
for p in ("brief", "summary", "citations"):
    for n, line in enumerate(open(f"layouts/hy/{p}.lay", encoding="utf-8"), 1):
        if line.startswith("#"):
            continue
        body = line.split(":", 1)[1] if re.match(r"[A-Za-z]", line) else line
        for m in re.finditer(r"\d( )թթ?\.|\d( )\d{3}\b|[^\d\sթ.]\.(?:\s|$)|\D:(?:\s|$)", body):
            if "Watch, «Azerbaijan:" not in body[max(0, m.start() - 20):m.end()]:
                bad.append(f"layouts/hy/{p}.lay:{n}: {m.group(0)!r}")
assert not bad, "\n".join(bad)
PY
check "women in Russian: no masculine person-forms, the feminine ones; sex unknown: neither" python3 - "$TMP" "$R" <<'PY'
import csv, re, sys
tmp, roster = sys.argv[1], sys.argv[2]
sex = {r["id"]: r["sex"] for r in csv.DictReader(open(roster, encoding="utf-8"))}
def text(i):
    return open(f"{tmp}/ru.{i}.txt", encoding="utf-8").read().replace("\u00a0", " ")
def words(i):
    t = re.sub(r"(\w)-\s+(\w)", r"\1\2", text(i))  # a word hyphenated at a line end
    return set(re.findall(r"\w+", t))
w = {i: words(i) for i in sex}
men = [i for i, s in sex.items() if s == "m"]
women = [i for i, s in sex.items() if s == "f"]
unknown = [i for i, s in sex.items() if not s]
assert len(men) >= 5 and len(women) >= 5 and len(unknown) >= 5, (men, women, unknown)
# Forms that agree with the person: each in some man's (woman's) brief, in
# none of the other sex's, nor of a person whose sex is not known.
masc = ["взят", "военнопленный", "Этот", "этот", "освобождён", "содержался",
        "подлежал", "защищён", "имел", "Ранее"]
fem = ["взята", "военнопленная", "военнопленную", "Эта", "Пропавшая"]
# Never in a woman's brief, whatever the men's say.
never_f = masc + ["заложник", "задержан", "осуждён", "Пропавший", "находился", "числился"]
bad = []
bad += [f"no man's brief says {x!r}" for x in masc if not any(x in w[i] for i in men)]
bad += [f"no woman's brief says {x!r}" for x in fem if not any(x in w[i] for i in women)]
bad += [f"{i} (f): {x!r}" for i in women for x in never_f if x in w[i]]
bad += [f"{i} (m): {x!r}" for i in men for x in fem if x in w[i]]
bad += [f"{i} (unknown): {x!r}" for i in unknown for x in masc + fem + never_f if x in w[i]]
# The sentences that need the person's sex, in each form.
for i, s in (("L-03", "Этот военнопленный взят в плен 13 декабря 2020 г."),
             ("L-20", "Эта военнопленная взята"),
             ("L-15", "Этот военнопленный освобождён."),
             ("L-12", "Он освобождён."),
             ("L-15", "Ранее содержался под стражей в Азербайджане"),
             ("L-11", "Пропавшая без вести, о смерти которой стало известно"),
             ("L-13", "Лицо, пропавшее без вести: факты и обязанность установить судьбу"),
             ("L-18", "обязанность освободить и репатриировать эту военнопленную возникла"),
             ("L-04", "обязанность освободить и репатриировать военнопленных возникла"),
             ("L-01", "Категория лицо, имеющее статус военнопленного")):
    if s not in text(i): bad.append(f"{i}: lacks {s!r}")
assert not bad, "\n".join(bad)
PY
check "the summary counts fate unknown by status" python3 - "$TMP/en.summ.txt" "$R" <<'PY'
import csv, sys
text = open(sys.argv[1], encoding="utf-8").read()
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
n = sum(r["status"] == "missing" for r in rows)
assert n == 2 and sum(r["category"] == "missing" for r in rows) == 3
assert f"The fate and whereabouts of {n} people in this report are unknown." in text, text[:400]
assert "roster" not in text.split("Appendix")[0]
assert f"{len(rows)} people in this report" in text
PY

pdftotext -layout -enc UTF-8 "$O/en/summary.pdf" "$TMP/en.summary.layout.txt"
check "the summary's figures by category and by status match the roster" python3 - "$TMP/en.summary.layout.txt" "$R" <<'PY'
import collections, csv, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
cat = collections.Counter(r["category"] for r in rows)
st = collections.Counter(r["status"] for r in rows)
def figure(label, section):
    part = text.split(section, 1)[1]
    m = re.search(r"^" + re.escape(label) + r" +([0-9,]+) *$", part, re.M)
    assert m, (label, section)
    return int(m.group(1).replace(",", ""))
labels = {"pow": "Prisoners of war", "civilian": "Civilians", "hostage": "Hostages",
          "political": "Former officials", "missing": "Missing persons"}
for k, lab in labels.items():
    assert figure(lab, "By category") == cat[k], (k, figure(lab, "By category"), cat[k])
labels = {"held": "Held", "awaiting_trial": "Awaiting trial", "on_trial": "On trial",
          "convicted": "Convicted", "released": "Released", "deceased": "Deceased",
          "missing": "Fate unknown"}
for k, lab in labels.items():
    assert figure(lab, "By status") == st[k], (k, figure(lab, "By status"), st[k])
detained = sum(st[k] for k in ("held", "awaiting_trial", "on_trial", "convicted"))
assert figure("Still in detention", "Key figures") == detained
assert figure("People in this report", "Key figures") == len(rows)
ack = collections.Counter(r["acknowledged"] for r in rows)
assert figure("Acknowledged", "Detention acknowledged") == ack["yes"]
assert figure("Not acknowledged", "Detention acknowledged") == ack["no"]
PY

# --- as of 25 September 2023: nothing later -----------------------------------
awk -F, 'NR == 1 || $7 <= "2023-09-25"' "$R" > "$TMP/early.csv"
check_exit 0 "render as of 2023-09-25" "$DOSSIER" render "$TMP/early.csv" -o "$TMP/early" --date 2023-09-25 --quiet
for f in "$TMP"/early/*/briefs/*.pdf "$TMP"/early/*/summary.pdf; do pdftotext -enc UTF-8 "$f" -; done | tr -s ' \n\t\f' ' ' > "$TMP/early.txt"
check "as of 2023-09-25: no later year is printed" python3 - "$TMP/early.txt" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
# A sentence's end is a projection, not an event: "ends no later than".
t = re.sub(r"(?:ends no later than|будет отбыто не позднее|լրանում է ոչ ուշ, քան) \S+ \S+ \d{4}", "", t)
late = re.findall(r".{40}\b(?:2024|2025|2026)\b.{20}", t)
assert not late, late[:5]
for w in ("5 October 2023", "115,183", "ethnic cleansing", "17 November 2023", "sham trials"):
    assert w not in t, w
assert "7 December 2021" in t and "19 September 2023" in t
PY
check "as of 2023-09-25: the 2020 POW still gets Art 118, no EP 2025" python3 - "$TMP/early" <<'PY'
import glob, subprocess, sys
def en(i):
    f = glob.glob(sys.argv[1] + f"/en/briefs/{i}-*.pdf")[0]
    return " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", f, "-"], capture_output=True, text=True).stdout.split())
assert "this sentence ends no later than 1 March 2026" in en("L-19")
assert "served in full" not in en("L-19")
f = glob.glob(sys.argv[1] + "/en/briefs/L-01-*.pdf")[0]
t = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", f, "-"], capture_output=True, text=True).stdout.split())
assert "arose no later than 10 November 2020" in t
assert "13 March 2025" not in t and "Parliament’s call of 13 March" not in t
PY
done_testing
