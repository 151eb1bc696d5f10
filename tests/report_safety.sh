#!/usr/bin/env bash
# report_safety.sh - a failed or interrupted report run never leaves a broken
# or half-written report, keeps the previous one intact, exits non-zero and
# says why.  Run by `make test` with SERVPLAN set to the binary.
set -u
: "${SERVPLAN:?SERVPLAN must name the servplan binary}"

pass=0
fail=0
ok()  { pass=$((pass + 1)); echo "ok    $1"; }
bad() { fail=$((fail + 1)); echo "FAIL  $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

work=$(mktemp -d)
trap 'chattr -i "$work/out" 2>/dev/null; chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
# A small, fast report: two chips.
run() { "$SERVPLAN" report -q --chip H800-SXM --chip Ascend-910C "$@"; }

# A first, good report to protect.
mkdir -p "$work/out"
run --out "$work/out" >"$work/log" 2>&1
check "a good report is written" '[ -s "$work/out/servplan-report.xlsx" ] && [ -n "$(ls "$work/out/charts")" ]'
sum_before=$(cd "$work/out" && find . -type f | sort | xargs sha256sum | sha256sum)
same_as_before() { [ "$(cd "$work/out" && find . -type f | sort | xargs sha256sum | sha256sum)" = "$sum_before" ]; }
no_temp_left() { [ -z "$(find "$work/out" -name '.*tmp*' -o -name '*.old*' | head -1)" ]; }

# Missing output folder: exit 1, the folder named, nothing created.
run --out "$work/missing/deeper" >"$work/log" 2>&1
rc=$?
check "missing --out folder exits 1" '[ $rc -eq 1 ]'
check "missing --out folder is named in the message" 'grep -q "missing/deeper" "$work/log"'
check "missing --out folder is not created" '[ ! -e "$work/missing" ]'

# Not a folder.
: >"$work/afile"
run --out "$work/afile" >"$work/log" 2>&1
rc=$?
check "--out naming a file exits 1 with a message" '[ $rc -eq 1 ] && grep -q "not a folder" "$work/log"'

# Unwritable folder.  As root, permissions are not enforced: make the folder
# immutable instead (chattr +i refuses writes even to root), or run as an
# unprivileged user when that user can reach the binary and the data.
unwritable_check() {
    rc=$1
    check "unwritable --out exits 1 with a message" '[ $rc -eq 1 ] && grep -q "cannot write" "$work/log"'
    check "unwritable --out keeps the previous report" 'same_as_before'
}
if [ "$(id -u)" -ne 0 ]; then
    chmod a-w "$work/out"
    run --out "$work/out" >"$work/log" 2>&1
    rc=$?
    chmod u+w "$work/out"
    unwritable_check $rc
elif command -v chattr >/dev/null 2>&1 && chattr +i "$work/out" 2>/dev/null; then
    run --out "$work/out" >"$work/log" 2>&1
    rc=$?
    chattr -i "$work/out"
    unwritable_check $rc
elif command -v runuser >/dev/null 2>&1 && chmod 755 "$work" \
     && runuser -u nobody -- "$SERVPLAN" --version >/dev/null 2>&1 \
     && runuser -u nobody -- test -r data/hardware.csv; then
    chmod 555 "$work/out"
    runuser -u nobody -- "$SERVPLAN" report -q --chip H800-SXM --out "$work/out" >"$work/log" 2>&1
    rc=$?
    chmod 755 "$work/out"
    unwritable_check $rc
else
    echo "skip  unwritable --out (root, no immutable folders here, and no user that can run servplan)"
fi

# A full disk, simulated with a file-size limit: writes fail with EFBIG.
(ulimit -f 64; run --out "$work/out") >"$work/log" 2>&1
rc=$?
check "file-size limit: exits non-zero" '[ $rc -ne 0 ]'
check "file-size limit: says why" 'grep -qi "servplan: .*\(too large\|write\|cannot\)" "$work/log"'
check "file-size limit: previous report intact" 'same_as_before'
check "file-size limit: no temporary files left" 'no_temp_left'

# Interrupted: SIGINT and SIGTERM early (during the search) and late (while
# the workbook and charts are being written, when the writer holds signals).
for when in "INT 0.3" "TERM 0.3" "INT 2" "TERM 3.5"; do
    set -- $when
    sig=$1
    "$SERVPLAN" report -q --out "$work/out" >"$work/log" 2>&1 &
    pid=$!
    sleep "$2"
    if ! kill -s "$sig" "$pid" 2>/dev/null; then
        # Finished before the signal (a fast machine): nothing to test.
        wait "$pid"
        echo "skip  SIG$sig after ${2}s: the run had already finished"
        continue
    fi
    wait "$pid"
    rc=$?
    check "SIG$sig after ${2}s: exits non-zero" '[ $rc -ne 0 ]'
    check "SIG$sig after ${2}s: says it was interrupted" 'grep -q "interrupted" "$work/log"'
    check "SIG$sig after ${2}s: report is either the previous one or complete" \
        'same_as_before || [ -s "$work/out/servplan-report.xlsx" ]'
    check "SIG$sig after ${2}s: no temporary files left" 'no_temp_left'
    # Put the protected report back for the next round.
    rm -rf "$work/out" && mkdir -p "$work/out" && run --out "$work/out" >/dev/null 2>&1
    sum_before=$(cd "$work/out" && find . -type f | sort | xargs sha256sum | sha256sum)
done

# The workbook on disk is always a complete zip archive.
check "the workbook is a complete zip" '/usr/bin/python3 -c "import zipfile,sys; sys.exit(0 if zipfile.ZipFile(sys.argv[1]).testzip() is None else 1)" "$work/out/servplan-report.xlsx"'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
