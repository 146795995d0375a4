#!/usr/bin/env bash
# t_robust.sh: nothing lost, nothing crashes, nothing escapes: renders
# killed at random moments, a full disk, limits, password protection, and
# a valgrind run of the demo render.
. "$(dirname "$0")/lib.sh"
asan=0
case "${BUILD:-build}" in *asan*) asan=1 ;; esac

# Every PDF under dir is whole: it ends with %%EOF and poppler reads it.
all_whole() {
	local f bad=0
	[ -d "$1" ] || return 0
	for f in $(find "$1" -name '*.pdf' ! -name '.dossier-tmp-*'); do
		tail -c 8 "$f" | grep -q '%%EOF' || { echo "truncated: $f" >&2; bad=1; }
		pdfinfo "$f" > /dev/null 2>&1 || { echo "unreadable: $f" >&2; bad=1; }
	done
	return $bad
}

# --- killed with SIGKILL at random moments -----------------------------------
awk -v n=40 -f tools/gen_roster.awk > "$TMP/r.csv"
O="$TMP/k"
for delay in 0.05 0.15 0.3 0.5 0.8 1.0 1.2; do
	"$DOSSIER" render "$TMP/r.csv" -o "$O" --date 2026-11-27 --jobs 2 --quiet 2>/dev/null &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	check "killed after ${delay}s: no truncated PDF" all_whole "$O"
done
check_exit 0 "the next run finishes" "$DOSSIER" render "$TMP/r.csv" -o "$O" --date 2026-11-27 --jobs 2 --quiet
check "and leaves no temporary file behind" [ -z "$(find "$O" -name '.dossier-tmp-*')" ]
check "every brief there and whole" sh -c "[ \$(find '$O' -path '*/briefs/*.pdf' | wc -l) -eq 120 ]"
check "all whole after the last run" all_whole "$O"
check_exit 0 "a clean render of the same roster" "$DOSSIER" render "$TMP/r.csv" -o "$TMP/clean" --date 2026-11-27 --quiet
check "the interrupted output equals a clean one" diff -r "$O" "$TMP/clean"

# --- a full disk: a file-size limit, SIGXFSZ ignored ---------------------------
( ulimit -f 24; trap '' XFSZ; exec "$DOSSIER" render "$TMP/r.csv" -o "$TMP/full" --date 2026-11-27 --jobs 1 ) > "$TMP/full.out" 2> "$TMP/full.err"
rc=$?
check "full disk: exit 2 (got $rc)" [ $rc -eq 2 ]
check_grep "full disk: a clear error" "error: cannot write" "$TMP/full.err"
check "full disk: no partial file" all_whole "$TMP/full"
check "full disk: no temporary file" [ -z "$(find "$TMP/full" -name '.dossier-tmp-*')" ]

# --- limits ----------------------------------------------------------------------
python3 -c "
print('id,category,name_en,detained_on,status,circumstances_en')
print('A,pow,Long Field,2020-12-13,held,' + 'y' * 70000)
print('B,pow,Wide Row,2020-12-13,held,' + ','.join(['x'] * 1500))
print('C,pow,Fine,2020-12-13,held,ok')
" > "$TMP/limits.csv"
check_exit 1 "oversized field and row" "$DOSSIER" check "$TMP/limits.csv" --date 2026-11-27
check_grep "a field over 64 KiB, at its line" "limits.csv:2:34: error: field is longer than 65536 bytes" "$TMP/last.err"
check_grep "a row of more than 1000 fields, at its line" "limits.csv:3:" "$TMP/last.err"
check_grep "a row of more than 1000 fields" "row has more than 1000 fields" "$TMP/last.err"
check_grep "the rest goes on" "3 records, 1 valid, 2 left out" "$TMP/last.out"
if [ $asan -eq 0 ]; then
	awk 'BEGIN { print "id,category,name_en,detained_on,status"
		for (i = 1; i <= 1000000; i++) printf "M%d,pow,Fictional Person %d,2020-12-13,held\n", i, i }' > "$TMP/million.csv"
	/usr/bin/time -f '%M' -o "$TMP/rss" "$DOSSIER" check "$TMP/million.csv" --date 2026-11-27 > "$TMP/m.out" 2>&1
	check "a roster of 1,000,000 rows is read" grep -q "1000000 records, 1000000 valid" "$TMP/m.out"
	check "in under 300 MB (got $(tail -n 1 "$TMP/rss") KB)" [ "$(tail -n 1 "$TMP/rss")" -lt 307200 ]
	rm -f "$TMP/million.csv"
fi
# A photo of 100 megapixels and a corrupt one: a warning at the photo's
# cell, the brief made without it, memory bounded, no crash.
mkdir -p "$TMP/img"
python3 - "$TMP/img" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
w = h = 10000
co = zlib.compressobj(9); row = b"\0" * (1 + 3 * w); data = b""
for _ in range(h): data += co.compress(row)
data += co.flush()
open(sys.argv[1] + "/big.png", "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", data) + chunk(b"IEND", b""))
open(sys.argv[1] + "/cut.jpg", "wb").write(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb")
PY
printf 'id,category,name_en,detained_on,status,photo\nI-1,pow,Big Photo,2020-12-13,held,big.png\nI-2,pow,Cut Photo,2020-12-13,held,cut.jpg\n' > "$TMP/img/r.csv"
/usr/bin/time -f '%M' -o "$TMP/img/rss" "$DOSSIER" render "$TMP/img/r.csv" -o "$TMP/img/out" --date 2026-11-27 --lang en > "$TMP/img/out.txt" 2>&1
check "unusable photos: exit 0, nobody lost" [ $? -eq 0 ]
check_grep "100 megapixels: a warning at its cell" "r.csv:2:35: warning: image" "$TMP/img/out.txt"
check_grep "corrupt JPEG: a warning at its cell" "r.csv:3:35: warning: image" "$TMP/img/out.txt"
check_grep "the briefs are made without them" "the brief is made without the photo" "$TMP/img/out.txt"
check "both briefs written" [ "$(find "$TMP/img/out" -path '*/briefs/*.pdf' | wc -l)" -eq 2 ]
if [ $asan -eq 0 ]; then
	check "bounded memory for a 100-megapixel photo (got $(tail -n 1 "$TMP/img/rss") KB)" [ "$(tail -n 1 "$TMP/img/rss")" -lt 307200 ]
fi

# A FIFO or a device as the photo: refused, and nothing hangs.
mkdir -p "$TMP/p"
mkfifo "$TMP/p/pipe.png"
ln -s /dev/zero "$TMP/p/zero.png"
printf 'id,category,name_en,detained_on,status,photo\nP1,pow,Pipe,2020-12-13,held,pipe.png\nP2,pow,Zero,2020-12-13,held,zero.png\n' > "$TMP/p/r.csv"
timeout 20 "$DOSSIER" check "$TMP/p/r.csv" --date 2026-11-27 > "$TMP/p.out" 2> "$TMP/p.err"
check "a FIFO photo does not hang" [ $? -ne 124 ]
check_grep "a FIFO is not a photo" "pipe.png\" is not a regular file" "$TMP/p.err"
check_grep "a device behind a link is refused" "zero.png\" leads out of the roster's folder" "$TMP/p.err"

# --- password protection --------------------------------------------------------
printf 'correct horse\n' > "$TMP/pw"
check_exit 0 "render with --password-file" "$DOSSIER" render samples/roster.csv -o "$TMP/enc" --date 2026-11-27 --only F-001 --lang en,hy --password-file "$TMP/pw"
f="$TMP/enc/en/briefs/F-001-tigran-avetisyan.pdf"
qpdf --show-encryption --password='correct horse' "$f" > "$TMP/enc.txt" 2>&1
check_grep "AES-256 (R6)" "R = 6" "$TMP/enc.txt"
check_grep "printing allowed" "print high resolution: allowed" "$TMP/enc.txt"
check_grep "copying not allowed" "extract for any purpose: not allowed" "$TMP/enc.txt"
check_grep "changes not allowed" "modify other: not allowed" "$TMP/enc.txt"
check "cannot be read without the password" sh -c "! pdftotext '$f' - > /dev/null 2>&1"
check "cannot be decrypted without the password" sh -c "! qpdf --decrypt '$f' '$TMP/dec.pdf' > /dev/null 2>&1"
check "reads with the password, in every script" sh -c "pdftotext -upw 'correct horse' '$TMP/enc/hy/briefs/F-001-tigran-avetisyan.pdf' - | grep -q 'Տիգրան Ավետիսյան'"
check "qpdf --check clean with the password" qpdf --check --password='correct horse' "$f"
check_exit 0 "a re-run reuses the encrypted briefs" "$DOSSIER" render samples/roster.csv -o "$TMP/enc" --date 2026-11-27 --only F-001 --lang en,hy --password-file "$TMP/pw"
check_grep "nothing rendered again" "(0 briefs written, 2 up to date" "$TMP/last.err"
printf 'another one\n' > "$TMP/pw2"
check_exit 0 "a new password renders again" "$DOSSIER" render samples/roster.csv -o "$TMP/enc" --date 2026-11-27 --only F-001 --lang en,hy --password-file "$TMP/pw2"
check_grep "all rendered with the new password" "(2 briefs written" "$TMP/last.err"
: > "$TMP/empty-pw"
check_exit 2 "an empty password is refused" "$DOSSIER" render samples/roster.csv -o "$TMP/enc2" --password-file "$TMP/empty-pw"
check "nothing written then" [ ! -e "$TMP/enc2" ]

# --- valgrind: the demo render, no leak and no error ---------------------------
if [ $asan -eq 0 ] && command -v valgrind > /dev/null; then
	valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		"$DOSSIER" render samples/roster.csv -o "$TMP/vg" --date 2026-11-27 --jobs 2 --quiet > "$TMP/vg.out" 2>&1
	rc=$?
	check "valgrind: the demo render has no leak and no error (exit $rc)" [ $rc -eq 0 ]
	[ $rc -eq 0 ] || tail -30 "$TMP/vg.out" >&2
fi

done_testing
