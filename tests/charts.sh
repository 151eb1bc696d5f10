#!/usr/bin/env bash
# tests/charts.sh - end-to-end check of the charts a report writes:
# `servplan report --out DIR` on the shipped data must leave DIR/charts/ with
# every chart as NAME.png (1600 x 1000 px) and NAME.pdf (complete, fixed
# dates), in English and in Chinese, byte-identical across two runs.
#
#   SERVPLAN=build/servplan bash tests/charts.sh     (make test sets SERVPLAN)
#
# The expected names come from data/scenarios.csv (one prefill frontier per
# prefill scenario), data/deployments.csv (the validation chart) and from
# the chart list of src/io/charts.c; the pixel
# size is the canvas of include/servplan/chart.h (640 x 400 pt x 2.5).
# Until the report command exists this prints a SKIP note and
# "0 passed, 0 failed".  Last line: "N passed, N failed".
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${SERVPLAN:-$top/build/servplan}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
cd "$top" || exit 1

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# Under `make san` the binary runs with LeakSanitizer: fontconfig keeps its
# parsed configuration until FcFini(), which servplan does not call (cairo's
# own caches are released by svp_charts_write).  Suppress only stacks
# through libfontconfig, so a leak of servplan's still fails the run.
printf 'leak:libfontconfig.so\n' >"$tmp/lsan.supp"
export LSAN_OPTIONS="suppressions=$tmp/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

pass=0
fail=0
ok() { pass=$((pass + 1)); printf 'ok    %s\n' "$1"; }
bad() { fail=$((fail + 1)); printf 'FAIL  %s\n' "$1"; [ -n "${2:-}" ] && printf '      %s\n' "$2"; return 0; }

finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
    exit $?
}

# report OUT [ARGS...]: runs the report; 0 when it wrote OUT/charts.
report() {
    local out=$1
    shift
    mkdir -p "$out"   # report writes into an existing folder
    "$bin" report -q --out "$out" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
}

if ! report "$tmp/en"; then
    if grep -q 'not implemented' "$tmp/stderr"; then
        echo "SKIP: 'servplan report' is not implemented yet ($(head -n 1 "$tmp/stderr"))"
        finish
    fi
    bad "servplan report --out DIR exits 0" "$(head -n 3 "$tmp/stderr")"
    finish
fi
ok "servplan report --out DIR exits 0"

# Big-endian 32-bit integer at byte offset OFF of FILE.
be32() { od -An -tu1 -j "$2" -N4 "$1" | awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }'; }

# check_png FILE: PNG signature, IHDR first, 1600 x 1000.
check_png() {
    local f=$1 sig w h
    sig=$(od -An -tx1 -N8 "$f" | tr -d ' \n')
    if [ "$sig" != "89504e470d0a1a0a" ]; then bad "$f is a PNG" "signature $sig"; return; fi
    if [ "$(dd if="$f" bs=1 skip=12 count=4 2>/dev/null)" != "IHDR" ]; then
        bad "$f: IHDR first"; return
    fi
    w=$(be32 "$f" 16)
    h=$(be32 "$f" 20)
    if [ "$w" = 1600 ] && [ "$h" = 1000 ]; then ok "$f: PNG 1600 x 1000"
    else bad "$f: PNG 1600 x 1000" "got $w x $h"; fi
}

# check_pdf FILE: %PDF- header, %%EOF trailer, a 640 x 400 pt page, fixed dates.
check_pdf() {
    local f=$1
    if [ "$(head -c 5 "$f")" != "%PDF-" ]; then bad "$f: %PDF- header"; return; fi
    if ! tail -c 16 "$f" | grep -q '%%EOF'; then bad "$f: %%EOF trailer"; return; fi
    if ! grep -aq 'MediaBox \[ *0 0 640 400 *\]' "$f"; then bad "$f: 640 x 400 pt page"; return; fi
    if ! grep -aq 'CreationDate (20250101000000Z)' "$f"; then bad "$f: fixed creation date"; return; fi
    ok "$f: complete PDF, 640 x 400 pt, fixed dates"
}

expected=(decode_frontier tps_vs_batch comm_share_tp comm_share_ep price_performance whatif_tornado)
# Predicted vs measured: drawn when there are measured deployments.
[ -f data/deployments.csv ] && expected+=(validation)
# Prefill scenarios: column 2 (phase) of data/scenarios.csv is "prefill".
while IFS= read -r name; do
    expected+=("prefill_frontier_$name")
done < <(awk -F, 'NR > 1 && $2 == "prefill" { print $1 }' data/scenarios.csv)
[ "${#expected[@]}" -ge 8 ] && ok "data/scenarios.csv has prefill scenarios" \
    || bad "data/scenarios.csv has prefill scenarios" "${#expected[@]} charts expected"

for lang in en zh; do
    dir=$tmp/$lang/charts
    if [ "$lang" = zh ]; then
        if report "$tmp/zh" --lang zh; then ok "report --lang zh exits 0"
        else bad "report --lang zh exits 0" "$(head -n 3 "$tmp/stderr")"; continue; fi
    fi
    for n in "${expected[@]}"; do
        for ext in png pdf; do
            f=$dir/$n.$ext
            if [ ! -f "$f" ]; then bad "$lang: $n.$ext exists"; continue; fi
            # A chart with axes, series and text is tens of kB; an empty or
            # truncated file is not.
            size=$(wc -c <"$f")
            if [ "$size" -lt 10000 ]; then bad "$f: at least 10 kB" "$size bytes"; continue; fi
            if [ "$ext" = png ]; then check_png "$f"; else check_pdf "$f"; fi
        done
    done
    # Every PNG has its PDF and nothing else is in the folder.
    extra=$(cd "$dir" && ls | grep -v -E '\.(png|pdf)$' || true)
    unpaired=$(cd "$dir" && for f in *.png; do [ -f "${f%.png}.pdf" ] || echo "$f"; done;
               for f in *.pdf; do [ -f "${f%.pdf}.png" ] || echo "$f"; done)
    if [ -z "$extra$unpaired" ]; then ok "$lang: only PNG+PDF pairs in charts/"
    else bad "$lang: only PNG+PDF pairs in charts/" "$extra $unpaired"; fi
done

# The validation chart follows the deployments file of the data folder (a
# folder of our own, the shipped files linked): none without the file; with
# a row servplan cannot predict, still drawn (that row is named, not plotted).
mkalt() {
    mkdir -p "$1/data"
    for f in hardware.csv prices.csv scenarios.csv search-space.csv models; do
        ln -s "$top/data/$f" "$1/data/$f"
    done
    ln -s "$top/templates" "$1/templates"
}
mkalt "$tmp/nodeps"
if (cd "$tmp/nodeps" && report "$tmp/nodeps/out" --chip H20); then
    if [ ! -e "$tmp/nodeps/out/charts/validation.png" ] && [ ! -e "$tmp/nodeps/out/charts/validation.pdf" ] \
        && [ -f "$tmp/nodeps/out/charts/decode_frontier.png" ]; then
        ok "no deployments file: no validation chart, the others drawn"
    else
        bad "no deployments file: no validation chart, the others drawn"
    fi
else
    bad "report without a deployments file exits 0" "$(head -n 3 "$tmp/stderr")"
fi
mkalt "$tmp/alt"
{
    head -n 1 data/deployments.csv
    grep '^ANT-H20-DECODE-32,' data/deployments.csv
    echo 'BAD-H20-TP16,H20,decode,16,16,1,1,16,1,512,4096,1536,off,0,1,fp8,fp8,675,,,made up'
} >"$tmp/alt/data/deployments.csv"
if (cd "$tmp/alt" && report "$tmp/alt/out" --chip H20); then
    check_png "$tmp/alt/out/charts/validation.png"
    check_pdf "$tmp/alt/out/charts/validation.pdf"
else
    bad "report with an unpredictable deployment exits 0" "$(head -n 3 "$tmp/stderr")"
fi

# English and Chinese differ (the labels come from the templates).
for n in decode_frontier validation; do
    [ -f "$tmp/en/charts/$n.png" ] || continue
    if cmp -s "$tmp/en/charts/$n.png" "$tmp/zh/charts/$n.png"; then
        bad "zh labels differ from en ($n)"
    else
        ok "zh labels differ from en ($n)"
    fi
done

# Same inputs, same bytes.
if report "$tmp/again"; then
    diffs=$(cd "$tmp/en/charts" && for f in *; do cmp -s "$f" "$tmp/again/charts/$f" || echo "$f"; done)
    if [ -z "$diffs" ]; then ok "two runs give byte-identical charts"
    else bad "two runs give byte-identical charts" "differ: $diffs"; fi
else
    bad "second report run exits 0"
fi

finish
