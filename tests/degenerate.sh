#!/usr/bin/env bash
# degenerate.sh - degenerate hardware, grids and models give a complete
# report that says what is infeasible and why: no crash, no NaN, exit 0.
# Run by `make test` with SERVPLAN set to the binary.
set -u
: "${SERVPLAN:?SERVPLAN must name the servplan binary}"
D=tests/data/degenerate
pass=0
fail=0
ok()  { pass=$((pass + 1)); echo "ok    $1"; }
bad() { fail=$((fail + 1)); echo "FAIL  $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Reads a workbook back: every numeric cell finite, no "nan"/"inf" text, and
# prints the Summary sheet's cells (one per line) for the greps below.
readback() {
    /usr/bin/python3 - "$1" <<'PY'
import math, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
bad = 0
for ws in wb.worksheets:
    for row in ws.iter_rows(values_only=True):
        for v in row:
            if isinstance(v, float) and not math.isfinite(v):
                bad += 1
            if isinstance(v, str) and v.strip().lower() in ("nan", "inf", "-inf"):
                bad += 1
if bad:
    print("NONFINITE", bad)
for row in wb.worksheets[0].iter_rows(values_only=True):   # Summary, in any language
    for v in row:
        if v is not None:
            print(v)
PY
}

# case NAME ARGS...: one report into $work/NAME; exit 0 and a full output.
case_report() {
    local name=$1
    shift
    mkdir -p "$work/$name"
    "$SERVPLAN" report -q --out "$work/$name" "$@" >"$work/$name.log" 2>&1
    local rc=$?
    check "$name: report exits 0" '[ $rc -eq 0 ]'
    [ $rc -eq 0 ] || { sed 's/^/      /' "$work/$name.log" | head -5; return; }
    check "$name: workbook and charts written" \
        '[ -s "$work/$name/servplan-report.xlsx" ] && [ -s "$work/$name/charts/decode_frontier.png" ]'
    readback "$work/$name/servplan-report.xlsx" >"$work/$name.summary" 2>&1
    check "$name: workbook reads back, every number finite" \
        '[ $? -eq 0 ] && ! grep -q "^NONFINITE" "$work/$name.summary" && ! grep -q Traceback "$work/$name.summary"'
}

# One chip per domain and no scale-out network: nothing spans chips, so every
# layout of the seed grid (EP >= 16) is infeasible, and the report says so.
case_report no-network --hardware "$D/hw.csv" --prices "$D/prices.csv" --chip Solo-NoNet
check "no-network: Summary says there is no feasible plan" \
    'grep -qi "no feasible" "$work/no-network.summary"'

# A Chinese chip name (UTF-8) survives into the workbook, with its price.
case_report chinese --hardware "$D/hw.csv" --prices "$D/prices.csv" --chip 测试芯片-甲
check "chinese: the chip name is in the Summary" 'grep -q "测试芯片-甲" "$work/chinese.summary"'
check "chinese: the vendor name is in the Summary" 'grep -q "测试厂商" "$work/chinese.summary"'
case_report chinese-zh --hardware "$D/hw.csv" --prices "$D/prices.csv" --chip 测试芯片-甲 --lang zh
check "chinese-zh: Chinese labels and the chip name" \
    'grep -q "测试芯片-甲" "$work/chinese-zh.summary" && grep -q "芯片" "$work/chinese-zh.summary"'

# Nothing fits in DRAM.
case_report tiny-dram --hardware "$D/hw.csv" --prices "$D/prices.csv" --chip Tiny-DRAM
check "tiny-dram: Summary says there is no feasible plan" 'grep -qi "no feasible" "$work/tiny-dram.summary"'

# Zero-width grids: one value per axis.
case_report one-value-grid --space "$D/space-one.csv" --chip H800-SXM --chip H20

# A model with no MoE layers (every layer dense).
case_report dense-model --model "$D/dense-model.csv" --chip H800-SXM --chip B200

# Every degenerate case at once, with -v: the orphan price row is mentioned once.
mkdir -p "$work/all"
"$SERVPLAN" report -v --out "$work/all" --hardware "$D/hw.csv" --prices "$D/prices.csv" \
    --space "$D/space-one.csv" --model "$D/dense-model.csv" >"$work/all.log" 2>&1
rc=$?
check "all degenerate inputs together: exit 0" '[ $rc -eq 0 ]'
check "-v mentions the price row of an unknown chip, once" \
    '[ "$(grep -c "Not-A-Chip" "$work/all.log")" -eq 1 ]'
mkdir -p "$work/quiet"
"$SERVPLAN" report --out "$work/quiet" --hardware "$D/hw.csv" --prices "$D/prices.csv" \
    >"$work/quiet.log" 2>&1
check "without -v the unknown chip's price row is not mentioned" '! grep -q "Not-A-Chip" "$work/quiet.log"'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
