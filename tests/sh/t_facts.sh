#!/usr/bin/env bash
# t_facts.sh: the columns sex, released_on, died_on, court_en/_ru/_hy and
# the facts computed from them, as a user sees them: `check --format json`
# lists the columns, the briefs print the release and death dates, the
# time in detention to them, the age at death, each language's court name
# (the fallback mark only when the language lacks it), and a layout can
# use sentence_end and sentence_served.
. "$(dirname "$0")/lib.sh"
D=2026-11-27
text() { pdftotext -enc UTF-8 -layout "$1" -; }

# --- check --format json: the new columns, by name --------------------------
"$DOSSIER" check samples/roster.csv --date $D --format json > "$TMP/s.jsonl"
check "JSON: the sample's new columns and values" python3 - "$TMP/s.jsonl" <<'PY'
import json, sys
rows = {r["id"]: r for r in map(json.loads, open(sys.argv[1], encoding="utf-8"))}
for k in ("sex", "released_on", "died_on", "court_en", "court_ru", "court_hy"):
    assert all(k in r for r in rows.values()), k
assert "court" not in rows["F-001"]
assert rows["F-003"]["sex"] == "f" and rows["F-003"]["released_on"] == "2020-12-14"
assert rows["F-009"]["died_on"] == "2020-12-02" and rows["F-009"]["sex"] == ""
assert rows["F-001"]["court_ru"] == "Бакинский военный суд"
assert rows["F-001"]["court_hy"] == "Բաքվի ռազմական դատարան"
keys = list(rows["F-001"])
assert keys.index("birth_date") + 1 == keys.index("sex"), keys
PY

# The old column "court": read as court_en, at its place; beside court_en,
# listed once.
printf 'id,category,name_en,detained_on,status,court\nC-1,pow,Aram Test,2020-12-13,held,Old Court\n' > "$TMP/old.csv"
check_exit 0 "the old column court is accepted" "$DOSSIER" check "$TMP/old.csv" --date $D
check_nogrep "the old column is no unknown column" "unknown column" "$TMP/last.err"
"$DOSSIER" check "$TMP/old.csv" --date $D --format json > "$TMP/old.jsonl"
check_same "court read as court_en" /dev/stdin "$TMP/old.jsonl" <<'JSON'
{"id":"C-1","category":"pow","name_en":"Aram Test","detained_on":"2020-12-13","status":"held","court_en":"Old Court"}
JSON
printf 'id,court,category,name_en,detained_on,status,court_en\nC-1,Old Court,pow,Aram Test,2020-12-13,held,\nC-2,,pow,Aram Test,2020-12-13,held,New Court\nC-3,Old Court,pow,Aram Test,2020-12-13,held,New Court\n' > "$TMP/both.csv"
check_exit 1 "a row with both court and court_en is left out" "$DOSSIER" check "$TMP/both.csv" --date $D
check_grep "both: the error at the court cell, with the id" 'both.csv:4:5: error: C-3: court: both court ("Old Court") and court_en ("New Court") are given; court is the old name of court_en: keep one' "$TMP/last.err"
"$DOSSIER" check "$TMP/both.csv" --date $D --format json > "$TMP/both.jsonl" 2>/dev/null
check_same "both columns: court_en once, in its place" /dev/stdin "$TMP/both.jsonl" <<'JSON'
{"id":"C-1","category":"pow","name_en":"Aram Test","detained_on":"2020-12-13","status":"held","court_en":"Old Court"}
{"id":"C-2","category":"pow","name_en":"Aram Test","detained_on":"2020-12-13","status":"held","court_en":"New Court"}
JSON

# The bad sample: a line per new error, in the text report.
check_exit 1 "bad roster" "$DOSSIER" check samples/bad-roster.csv --date $D
check_grep "sex=x" 'B-21: sex: "x" is not one of f or m' "$TMP/last.err"
check_grep "died before detention" "B-22: died_on: 2020-11-30 is before the detention date 2020-12-13" "$TMP/last.err"
check_grep "released after the report date" "B-23: released_on: 2027-01-15 is after the report date 2026-11-27" "$TMP/last.err"
check_grep "died while held" "B-24: died_on: a date of death is given but status is held" "$TMP/last.err"
check_grep "two courts" "B-25: court: both court" "$TMP/last.err"

# --- the briefs ---------------------------------------------------------------
O=$TMP/out
check_exit 0 "render the released, the dead and the convicted" "$DOSSIER" render samples/roster.csv -o "$O" --date $D --only F-001,F-003,F-009,F-010 --quiet
brief() { ls "$O/$2/briefs/$1"-*.pdf; }
text "$(brief F-003 en)" > "$TMP/f3.en"
text "$(brief F-003 ru)" > "$TMP/f3.ru"
text "$(brief F-003 hy)" > "$TMP/f3.hy"
check "en: the release date, in the facts after the detention" grep -Eq "^ *Date of release +14 December 2020 *$" "$TMP/f3.en"
check "en: the time in detention ends at the release" grep -Eq "Time in detention +47 days, until release on 14 December 2020" "$TMP/f3.en"
check_nogrep "en: no 'as of' for a period that has ended" "47 days as of" "$TMP/f3.en"
check "ru: the release date" grep -Eq "^ *Дата освобождения +14 декабря 2020 г\. *$" "$TMP/f3.ru"
check_grep "ru: the days to the release" "47 дней, до освобождения 14 декабря 2020 г." "$TMP/f3.ru"
check "hy: the release date" grep -Eq "Ազատ արձակման +14 դեկտեմբերի 2020 թ\." "$TMP/f3.hy"
check_grep "hy: the days to the release" "47 օր՝ մինչև ազատ արձակվելը (14 դեկտեմբերի 2020 թ.)" "$TMP/f3.hy"
text "$(brief F-009 en)" > "$TMP/f9.en"
text "$(brief F-009 ru)" > "$TMP/f9.ru"
check "en: the date of death" grep -Eq "^ *Date of death +2 December 2020 *$" "$TMP/f9.en"
check_grep "en: the days to the death, at least (detained_on gives only the month)" "at least 2 days, until death on 2 December 2020" "$TMP/f9.en"
check "ru: the date of death" grep -Eq "^ *Дата смерти +2 декабря 2020 г\. *$" "$TMP/f9.ru"
check_grep "ru: the days to the death, at least" "по меньшей мере 2 дня, до дня смерти 2 декабря 2020 г." "$TMP/f9.ru"
check_nogrep "no release row without a release date" "Date of release" "$TMP/f9.en"

# Courts: each language's own name, no mark; English only: the mark.
text "$(brief F-001 ru)" > "$TMP/f1.ru"
text "$(brief F-001 hy)" > "$TMP/f1.hy"
text "$(brief F-010 ru)" > "$TMP/f10.ru"
check "ru: court_ru printed" grep -Eq "^ *Суд +Бакинский военный суд *$" "$TMP/f1.ru"
check_nogrep "ru: the English name not printed" "Baku Military Court" "$TMP/f1.ru"
check "hy: court_hy printed" grep -Eq "^ *Դատարան +Բաքվի ռազմական դատարան *$" "$TMP/f1.hy"
check "ru: court only in English, with the fallback mark" grep -Eq "^ *Суд +Baku Military Court \[в источнике — на английском языке\] *$" "$TMP/f10.ru"

# Age at death, not at the report date; none without a full date of death.
cat > "$TMP/dead.csv" <<'CSV'
id,category,name_en,birth_date,detained_on,status,died_on
X-1,pow,Aram Test,1980-06-15,2020-12-13,deceased,2021-06-14
X-2,pow,Babken Test,1980-06-15,2020-12-13,deceased,2021-06
X-3,pow,Garnik Test,1980-06-15,2020-12-13,held,
CSV
check_exit 0 "render the dead" "$DOSSIER" render "$TMP/dead.csv" -o "$TMP/dead" --date $D --lang en,ru --quiet
text "$(ls "$TMP"/dead/en/briefs/X-1-*.pdf)" > "$TMP/x1.en"
text "$(ls "$TMP"/dead/ru/briefs/X-1-*.pdf)" > "$TMP/x1.ru"
text "$(ls "$TMP"/dead/en/briefs/X-2-*.pdf)" > "$TMP/x2.en"
text "$(ls "$TMP"/dead/en/briefs/X-3-*.pdf)" > "$TMP/x3.en"
check_grep "en: the age at death" "15 June 1980 (aged 40 at death)" "$TMP/x1.en"
check_grep "ru: the age at death" "15 июня 1980 г. (на момент смерти 40 лет)" "$TMP/x1.ru"
check "en: no age without the day of death" grep -Eq "^ *Date of birth +15 June 1980 *$" "$TMP/x2.en"
check_grep "en: the living: the age at the report date" "15 June 1980 (age 46)" "$TMP/x3.en"
check_grep "en: a month of death prints as a month" "June 2021" "$TMP/x2.en"

# --- sentence_end and sentence_served in a layout -----------------------------
# A copy of the layouts whose facts.sentence has a first variant for a
# sentence served: the lint accepts both facts, the brief prints the end.
cp -R layouts "$TMP/lay"
for l in en ru hy; do
	sed -i '0,/^facts.sentence \[/s//facts.sentence [sentence_served]: SERVED {sentence_end, date}\n&/' "$TMP/lay/$l/brief.lay"
done
check_exit 0 "layouts with sentence_end and [sentence_served] pass the check" "$DOSSIER" layouts check --layouts "$TMP/lay"
check_exit 0 "render with them" "$DOSSIER" render samples/roster.csv -o "$TMP/so" --layouts "$TMP/lay" --date $D --only F-001,F-010 --quiet
text "$(ls "$TMP"/so/en/briefs/F-010-*.pdf)" > "$TMP/s10.en"
text "$(ls "$TMP"/so/ru/briefs/F-010-*.pdf)" > "$TMP/s10.ru"
text "$(ls "$TMP"/so/en/briefs/F-001-*.pdf)" > "$TMP/s1.en"
check "en: half a year after 2 July 2021, served" grep -Eq "^ *Sentence +SERVED 2 January 2022 *$" "$TMP/s10.en"
check_grep "ru: the end date in Russian" "SERVED 2 января 2022 г." "$TMP/s10.ru"
check_nogrep "six years from 5 July 2021: not served on $D" "SERVED" "$TMP/s1.en"
check_grep "not served: the sentence as before" "6 years of imprisonment" "$TMP/s1.en"
check_exit 0 "render as of the day the six years end" "$DOSSIER" render samples/roster.csv -o "$TMP/so2" --layouts "$TMP/lay" --date 2027-07-05 --only F-001 --lang en --quiet
text "$(ls "$TMP"/so2/en/briefs/F-001-*.pdf)" > "$TMP/s1b.en"
check_grep "served on the day it ends" "SERVED 5 July 2027" "$TMP/s1b.en"

done_testing
