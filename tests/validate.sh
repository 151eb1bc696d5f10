#!/usr/bin/env bash
# tests/validate.sh - end-to-end tests of `servplan validate` and
# `servplan calibrate`: output columns, the error sign convention, the
# summary line, leave-one-out, refusals, and the calibrated hardware file
# read back with --hardware.
#
#   SERVPLAN=build/servplan bash tests/validate.sh     (make test sets SERVPLAN)
#
# Expected values come from the data files, from arithmetic on servplan's
# own predicted and measured columns (the error must be (pred - meas) / meas
# x 100 of the printed numbers), or from measurements chosen so far from any
# prediction that the sign cannot be wrong; never from an earlier run.
# The last line is "N passed, N failed".
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${SERVPLAN:-$top/build/servplan}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
cd "$top" || exit 1
PY=/usr/bin/python3
VD=tests/data/validate

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

pass=0
fail=0
skip=0

ok() { pass=$((pass + 1)); printf 'ok    %s\n' "$1"; }
bad() {
    fail=$((fail + 1))
    printf 'FAIL  %s\n' "$1"
    [ -n "${2:-}" ] && printf '      %s\n' "$2"
    if [ -s "$tmp/err" ]; then sed 's/^/      stderr: /' "$tmp/err" | head -n 4; fi
    return 0
}
skipped() { skip=$((skip + 1)); printf 'skip  %s (%s)\n' "$1" "$2"; }

run() {
    "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

expect() {
    if [ "$rc" -eq "$2" ]; then ok "$1 (exit $2)"; else bad "$1" "exit $rc, expected $2"; fi
}

expect_err_line() {
    if head -n 1 "$tmp/err" | grep -Eq -- "$2"; then ok "$1"
    else bad "$1" "stderr does not match /$2/"; fi
}

# check NAME PYTHON-CODE ARGS...: runs the code with sys.argv[1:] = ARGS;
# passes when it exits 0 (an assert with a message explains a failure).
check() {
    local name=$1 code=$2
    shift 2
    if [ $have_py -eq 0 ]; then skipped "$name" "no $PY"; return; fi
    if out=$("$PY" -c "$code" "$@" 2>&1); then ok "$name"; else bad "$name" "$out"; fi
}

have_py=0
[ -x "$PY" ] && have_py=1

if [ ! -x "$bin" ]; then
    echo "servplan binary not found: $bin"
    echo "0 passed, 1 failed"
    exit 1
fi

n_rows=$(($(grep -c . data/deployments.csv) - 1))

# ---- validate: text ----------------------------------------------------------

run validate
expect "validate" 0
if grep -q '^error % = (predicted - measured) / measured x 100; positive = servplan optimistic' "$tmp/out"
then ok "text states the sign convention"; else bad "text states the sign convention"; fi
if grep -Eq '^id +chip +phase +pred_tps +meas_tps +err_% +lat +pred_ms +meas_ms +lat_err_% +reason +bottleneck$' "$tmp/out"
then ok "text header names the columns"; else bad "text header names the columns"; fi
if grep -Eq "^summary: $n_rows of $n_rows rows predicted; median \|error\| [0-9]+\.[0-9]%, worst [0-9]+\.[0-9]% \([A-Za-z0-9-]+\)" "$tmp/out"
then ok "text summary line: median and worst of every row"; else bad "text summary line" "$(grep summary "$tmp/out")"; fi
# Every id of the data file appears once.
missing=""
for id in $(cut -d, -f1 data/deployments.csv | tail -n +2); do
    [ "$(grep -c "^$id " "$tmp/out")" -eq 1 ] || missing="$missing $id"
done
if [ -z "$missing" ]; then ok "text lists every deployment once"; else bad "text lists every deployment once" "$missing"; fi

# ---- validate: CSV, the numbers behind the text ------------------------------

run validate --format csv
expect "validate --format csv" 0
cp "$tmp/out" "$tmp/val.csv"
if [ "$(head -n 1 "$tmp/val.csv")" = "id,chip,phase,n_chips,predicted_tps_per_chip,measured_tps_per_chip,error_pct,latency_kind,predicted_latency_ms,measured_latency_ms,latency_error_pct,reason,bottleneck" ]
then ok "csv columns"; else bad "csv columns" "$(head -n 1 "$tmp/val.csv")"; fi

# Each row's error is (pred - meas) / meas x 100 of its own columns; the
# measured column is the data file's; the summary is the median / max of
# the rows' |error|; Ascend 910C counts packages (320 ranks = 160 chips).
check "csv: error = (pred - meas)/meas x 100, summary = median/max |error|" '
import csv, sys, statistics
text = open(sys.argv[1]).read().split("\n\n")
rows = list(csv.DictReader(text[0].splitlines()))
summ = list(csv.DictReader(text[1].strip().splitlines()))
data = {r["id"]: r for r in csv.DictReader(open("data/deployments.csv"))}
assert len(rows) == len(data), (len(rows), len(data))
errs = []
for r in rows:
    p, m, e = float(r["predicted_tps_per_chip"]), float(r["measured_tps_per_chip"]), float(r["error_pct"])
    assert abs(m - float(data[r["id"]]["measured_tps_per_chip"])) <= 1e-6 * m, r["id"]
    assert abs(e - (p - m) / m * 100) <= 1e-3 * max(1, abs(e)), (r["id"], p, m, e)
    assert (e > 0) == (p > m), r["id"]
    if r["measured_latency_ms"]:
        pl, ml, le = float(r["predicted_latency_ms"]), float(r["measured_latency_ms"]), float(r["latency_error_pct"])
        assert abs(le - (pl - ml) / ml * 100) <= 1e-3 * max(1, abs(le)), r["id"]
    assert r["latency_kind"] == ("tpot" if r["phase"] == "decode" else "ftl"), r["id"]
    errs.append(abs(e))
    if r["chip"] == "Ascend-910C":
        assert float(r["n_chips"]) * 2 == float(data[r["id"]]["n_ranks"]), r["id"]
s = summ[0]
assert int(s["rows"]) == len(rows) and int(s["predicted_rows"]) == len(rows)
assert abs(float(s["median_abs_error_pct"]) - statistics.median(errs)) <= 1e-3 * statistics.median(errs), s
assert abs(float(s["worst_abs_error_pct"]) - max(errs)) <= 1e-3 * max(errs), s
worst = [r["id"] for r in rows if abs(abs(float(r["error_pct"])) - max(errs)) <= 1e-9 * max(errs)]
assert s["worst_id"] in worst, (s["worst_id"], worst)
' "$tmp/val.csv"

# ---- the sign convention on measurements far from any prediction ------------

# The same H20 row three times: measured 1 tok/s (servplan must be
# optimistic: error > 0), 1e8 tok/s (pessimistic: error between -100% and
# 0), and 675 (the published figure).
{
    head -n 1 data/deployments.csv
    echo 'S-LOW,H20,decode,16,1,16,1,16,1,512,4096,1536,off,1,1.85,fp8,fp8,1,,s,'
    echo 'S-HIGH,H20,decode,16,1,16,1,16,1,512,4096,1536,off,1,1.85,fp8,fp8,100000000,,s,'
    # MLA_TP 16 does not fit H20's 8-GPU NVLink domain: no prediction, the
    # reason instead, and the row is left out of the summary.
    echo 'S-STRUCT,H20,decode,16,16,1,1,16,1,512,4096,1536,off,1,1.85,fp8,fp8,675,,s,'
} >"$tmp/sign.csv"
run validate --deployments "$tmp/sign.csv" --format csv
expect "validate on a two-row file" 0
check "sign: measured far below -> positive error, far above -> negative" '
import csv, sys
rows = {r["id"]: r for r in csv.DictReader(open(sys.argv[1]).read().split("\n\n")[0].splitlines())}
lo, hi = float(rows["S-LOW"]["error_pct"]), float(rows["S-HIGH"]["error_pct"])
p = float(rows["S-LOW"]["predicted_tps_per_chip"])
assert lo > 0 and abs(lo - (p - 1) * 100) <= 1e-3 * lo, lo
assert -100 < hi < 0, hi
st = rows["S-STRUCT"]
assert st["reason"] == "mla-tp-domain" and st["predicted_tps_per_chip"] == "" and st["error_pct"] == "", st
summ = list(csv.DictReader(open(sys.argv[1]).read().split("\n\n")[1].strip().splitlines()))[0]
assert summ["rows"] == "3" and summ["predicted_rows"] == "2", summ
' "$tmp/out"
run validate --deployments "$tmp/sign.csv"
if grep -Eq '^S-STRUCT +H20 +decode +- +675\.0 +- ' "$tmp/out" &&
   grep -q '^summary: 2 of 3 rows predicted' "$tmp/out"
then ok "text: a row without prediction shows '-' and its reason"
else bad "text: a row without prediction shows '-' and its reason"; fi

# ---- JSON ----------------------------------------------------------------------

run validate --format json --cross
expect "validate --format json --cross" 0
check "json parses; rows, summary and LOO keys" '
import json, sys
d = json.load(open(sys.argv[1]))
assert "positive = servplan optimistic" in d["error_convention"]
assert len(d["rows"]) == int(sys.argv[2]), len(d["rows"])
for k in ("median_abs_error_pct", "worst_abs_error_pct", "loo_median_abs_error_pct", "loo_worst_abs_error_pct"):
    assert isinstance(d["summary"][k], (int, float)), k
for r in d["rows"]:
    assert r["loo_basis"] in ("fitted", "defaults"), r
' "$tmp/out" "$n_rows"

# ---- leave-one-out -----------------------------------------------------------

run validate --cross --format csv
expect "validate --cross" 0
# A chip with fewer than 3 rows has fewer than 2 other rows: its LOO
# prediction is the table's (basis "defaults", same error); a chip with 3 or
# more is fitted on the others, with fewer parameters than rows, eff_net_out
# first when the rows span several scale-up domains (every multi-row chip of
# the shipped file does: H100-SXM rows run 32 and 72 GPUs, 8 per domain).
check "cross: basis by rows per chip; defaults repeat the plain error" '
import csv, sys, collections
text = open(sys.argv[1]).read().split("\n\n")
rows = list(csv.DictReader(text[0].splitlines()))
per_chip = collections.Counter(r["chip"] for r in rows)
for r in rows:
    n_other = per_chip[r["chip"]] - 1
    if n_other < 2:
        assert r["loo_basis"] == "defaults" and r["loo_error_pct"] == r["error_pct"], r
        assert int(r["loo_rows"]) == n_other, r
    else:
        assert r["loo_basis"] == "fitted", r
        assert int(r["loo_rows"]) == n_other, r
        assert len(r["loo_params"].split("+")) == min(n_other - 1, 9), r
        assert r["loo_params"].split("+")[0] == "eff_net_out", r
s = list(csv.DictReader(text[1].strip().splitlines()))[0]
assert int(s["loo_defaults_rows"]) == sum(1 for r in rows if r["loo_basis"] == "defaults")
' "$tmp/out"
run validate --cross
if grep -Eq '^leave-one-out: median \|error\| [0-9]+\.[0-9]%, worst [0-9]+\.[0-9]% \(' "$tmp/out"
then ok "text LOO summary line"; else bad "text LOO summary line"; fi

# ---- filters and refusals ------------------------------------------------------

run validate --chip H100-SXM --format csv
expect "validate --chip H100-SXM" 0
n_h100=$(grep -c ',H100-SXM,' data/deployments.csv)
if [ "$(awk 'NF == 0 { exit } NR > 1' "$tmp/out" | grep -c ',H100-SXM,')" -eq "$n_h100" ] &&
   [ "$(awk 'NF == 0 { exit } NR > 1' "$tmp/out" | wc -l)" -eq "$n_h100" ]
then ok "--chip keeps exactly that chip's rows"; else bad "--chip keeps exactly that chip's rows"; fi

run validate --chip B200
expect "validate --chip with no rows" 3
expect_err_line "names the chips that have rows" "no measured deployment of the selected chip .*rows exist for: H800-SXM"

run validate --deployments "$VD/bad_n_ranks.csv"
expect "bad deployments file" 3
expect_err_line "file:line: column: message" \
    "^servplan: $VD/bad_n_ranks.csv:2: column 'n_ranks': row 'X1': n_ranks 31 differs from mla_tp x mla_dp = 1 x 32$"

run validate --deployments "$VD/unknown_chip.csv"
expect "a row with a chip not in the hardware file" 3
expect_err_line "unknown chip names the row" "unknown_chip.csv:3: column 'chip': row 'X2': chip \"H42\""

run validate --params eff_gemm
expect "--params is for calibrate" 2
run calibrate --chip H100-SXM --cross
expect "--cross is for validate" 2
run plan --deployments data/deployments.csv
expect "--deployments is for validate and calibrate" 2

run validate --tbo on --format csv
expect "validate with --tbo" 0
if grep -q 'ignored here: each deployment row states what it ran' "$tmp/err" &&
   cmp -s "$tmp/out" "$tmp/val.csv"
then ok "--tbo is noted as ignored and changes nothing"; else bad "--tbo is noted as ignored and changes nothing"; fi

# ---- calibrate -----------------------------------------------------------------

run calibrate
expect "calibrate without --chip" 2
run calibrate --chip H100-SXM --chip H20
expect "calibrate with two chips" 2
run calibrate --chip B200
expect "calibrate a chip without rows" 3
expect_err_line "says which chip and which chips have rows" \
    "no measured deployment of chip 'B200' to calibrate on \(rows exist for: .*H100-SXM"
run calibrate --chip H20
expect "calibrate a chip with one row (no default parameter)" 2
expect_err_line "points at --params" "has 1 measured deployment; .*--params"
run calibrate --chip H20 --params nonsense
expect "unknown parameter" 2
expect_err_line "lists the parameters" "unknown parameter \"nonsense\" \(parameters: eff_gemm, "
run calibrate --chip H20 --params eff_gemm,eff_gemm
expect "parameter twice" 2

run calibrate --chip H20 --params step_overhead_us,eff_gemm
expect "calibrate H20 with explicit --params" 0
if grep -q 'free parameters for 1 point' "$tmp/err"; then ok "more parameters than points is noted"
else bad "more parameters than points is noted"; fi

# H100-SXM has three rows, all multi-node: two default parameters, the
# scale-out efficiency then the per-step overhead.
run calibrate --chip H100-SXM --format csv --out-hardware "$tmp/hw.csv"
expect "calibrate --chip H100-SXM --out-hardware" 0
cp "$tmp/out" "$tmp/cal.csv"
check "calibrate csv: default parameters, bounds, before/after errors" '
import csv, sys
text = open(sys.argv[1]).read().split("\n\n")
par = list(csv.DictReader(text[0].splitlines()))
pts = list(csv.DictReader(text[1].strip().splitlines()))
assert [p["parameter"] for p in par] == ["eff_net_out", "step_overhead_us"], par
hw = {r["chip"]: r for r in csv.DictReader(open("data/hardware.csv"))}["H100-SXM"]
assert float(par[0]["before"]) == float(hw["eff_net_out"])
assert float(par[1]["before"]) == float(hw["step_overhead_us"])
assert par[0]["lower_bound"] == "0.05" and par[0]["upper_bound"] == "1", par
assert par[1]["lower_bound"] == "0" and par[1]["upper_bound"] == "100000", par
for p in par:
    assert 0 <= float(p["after"]) <= float(p["upper_bound"]), p
assert len(pts) == 3
for p in pts:
    m = float(p["measured_tps_per_chip"])
    for k in ("before", "after"):
        t, e = float(p[k + "_tps_per_chip"]), float(p[k + "_error_pct"])
        assert abs(e - (t - m) / m * 100) <= 1e-3 * max(1, abs(e)), p
ss = lambda k: sum(__import__("math").log(float(p[k + "_tps_per_chip"]) / float(p["measured_tps_per_chip"])) ** 2 for p in pts)
assert ss("after") < ss("before"), (ss("after"), ss("before"))
' "$tmp/cal.csv"

# The written file: every chip of data/hardware.csv, same columns, only
# H100-SXM's fitted columns and eff_source changed; --hardware reads it and
# predicts exactly calibrate's "after" values.
check "written hardware file: same columns and rows, only the fit changed" '
import csv, sys
old = list(csv.DictReader(open("data/hardware.csv")))
new = list(csv.DictReader(open(sys.argv[1])))
par = list(csv.DictReader(open(sys.argv[2]).read().split("\n\n")[0].splitlines()))
assert list(new[0].keys()) == list(old[0].keys()), "columns differ"
assert [r["chip"] for r in new] == [r["chip"] for r in old]
fitted = {p["parameter"]: float(p["after"]) for p in par}
for o, n in zip(old, new):
    for k in o:
        if o["chip"] == "H100-SXM" and k in fitted:
            assert abs(float(n[k]) - fitted[k]) <= 1e-9 * max(1, fitted[k]), (k, n[k], fitted[k])
        elif o["chip"] == "H100-SXM" and k == "eff_source":
            assert n[k].startswith("calibrated by servplan calibrate on SGL-H100-PREFILL-1K, SGL-H100-PREFILL-4K, SGL-H100-DECODE-2K of data/deployments.csv (date-free): fitted eff_net_out, step_overhead_us"), n[k][:200]
        elif o[k] != n[k]:
            try:
                assert float(o[k]) == float(n[k]), (o["chip"], k, o[k], n[k])
            except ValueError:
                raise AssertionError((o["chip"], k, o[k], n[k]))
' "$tmp/hw.csv" "$tmp/cal.csv"

run validate --hardware "$tmp/hw.csv" --chip H100-SXM --format csv
expect "validate --hardware <calibrated file>" 0
check "the calibrated file predicts calibrate's after values" '
import csv, sys
val = {r["id"]: r for r in csv.DictReader(open(sys.argv[1]).read().split("\n\n")[0].splitlines())}
pts = list(csv.DictReader(open(sys.argv[2]).read().split("\n\n")[1].strip().splitlines()))
for p in pts:
    a, b = float(val[p["id"]]["predicted_tps_per_chip"]), float(p["after_tps_per_chip"])
    assert abs(a - b) <= 1e-5 * b, (p["id"], a, b)
' "$tmp/out" "$tmp/cal.csv"

# Other chips plan exactly as before with the written file.
"$bin" plan --chip H20 --chip Ascend-910C --format csv >"$tmp/plan_a.csv" 2>/dev/null
"$bin" plan --chip H20 --chip Ascend-910C --format csv --hardware "$tmp/hw.csv" >"$tmp/plan_b.csv" 2>/dev/null
if [ -s "$tmp/plan_a.csv" ] && cmp -s "$tmp/plan_a.csv" "$tmp/plan_b.csv"
then ok "other chips plan identically with the written file"; else bad "other chips plan identically with the written file"; fi

# Never in place.
sum_before=$(cksum <data/hardware.csv)
run calibrate --chip H100-SXM --out-hardware data/hardware.csv
expect "--out-hardware onto the hardware file in force" 2
expect_err_line "says why" "calibrate never edits it in place"
if [ "$(cksum <data/hardware.csv)" = "$sum_before" ]; then ok "data/hardware.csv untouched"
else bad "data/hardware.csv untouched"; fi

run calibrate --chip H100-SXM --out-hardware "$tmp/no/such/dir/hw.csv"
expect "--out-hardware into a missing directory" 1

run calibrate --chip H100-SXM --format json
expect "calibrate --format json" 0
check "calibrate json parses" '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["chip"] == "H100-SXM" and len(d["parameters"]) == 2 and len(d["points"]) == 3
assert d["rms_log_after"] <= d["rms_log_before"]
' "$tmp/out"

run calibrate --chip H100-SXM
expect "calibrate text" 0
if grep -Eq '^rms log error: [0-9.]+ before, [0-9.]+ after' "$tmp/out" &&
   grep -Eq "^eff_net_out +$(grep '^H100-SXM,' data/hardware.csv | cut -d, -f19) " "$tmp/out"
then ok "text shows the fit and the parameters"; else bad "text shows the fit and the parameters"; fi

# ---- write errors on stdout ---------------------------------------------------

if [ -w /dev/full ]; then
    for args in "validate" "validate --format csv --cross" "validate --format json" \
                "calibrate --chip H100-SXM"; do
        # shellcheck disable=SC2086
        "$bin" $args >/dev/full 2>"$tmp/err"
        rc=$?
        if [ "$rc" -eq 1 ] && grep -q '^servplan: standard output: write error' "$tmp/err" &&
           [ "$(wc -l <"$tmp/err")" -eq 1 ]; then
            ok "'$args > /dev/full' exits 1 with one message"
        else
            bad "'$args > /dev/full' exits 1 with one message" "exit $rc"
        fi
    done
else
    skipped "write errors" "no /dev/full"
fi

[ "$skip" -eq 0 ] || echo "$skip checks skipped"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
