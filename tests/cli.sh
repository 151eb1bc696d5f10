#!/usr/bin/env bash
# tests/cli.sh - end-to-end tests of the servplan command line on the shipped
# data: exit codes, where messages go, the shape of diagnostics, the CSV and
# JSON outputs, and write errors on stdout.
#
#   SERVPLAN=build/servplan bash tests/cli.sh     (make test sets SERVPLAN)
#
# Every check is counted; the last line is "N passed, N failed" and the exit
# status is non-zero when a check failed.  Expected values come from the data
# files or from arithmetic written next to the check, never from an earlier
# run of servplan.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${SERVPLAN:-$top/build/servplan}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
cd "$top" || exit 1
PY=/usr/bin/python3

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

# run ARGS...: runs servplan; stdout in $tmp/out, stderr in $tmp/err, status in $rc.
run() {
    "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

# expect NAME CODE: the last run exited with CODE.
expect() {
    if [ "$rc" -eq "$2" ]; then ok "$1 (exit $2)"; else bad "$1" "exit $rc, expected $2"; fi
}

# expect_err_line NAME REGEX: stderr's first line matches the extended REGEX.
expect_err_line() {
    if head -n 1 "$tmp/err" | grep -Eq -- "$2"; then ok "$1"
    else bad "$1" "stderr does not match /$2/"; fi
}

# expect_quiet_stdout NAME: nothing went to stdout (diagnostics belong on stderr).
expect_quiet_stdout() {
    if [ ! -s "$tmp/out" ]; then ok "$1"; else bad "$1" "stdout is not empty"; fi
}

have_py=0
[ -x "$PY" ] && have_py=1

if [ ! -x "$bin" ]; then
    echo "servplan binary not found: $bin"
    echo "0 passed, 1 failed"
    exit 1
fi

# A feasible and an infeasible configuration, by hand from data/:
# L40S (48 GB), Batch 1280 over MLA_DP 16 = 80 requests per rank, each with
# (4096 + 1024) tokens x 70,272 B (MODEL.md section 3) = 0.36 GB of KV, so
# 80 x 0.36 = 28.8 GB of KV per chip next to 671 GB of FP8 weights / 16
# chips = 42 GB of experts alone: > 48 GB, infeasible by DRAM under either
# memory model.
INFEASIBLE="--chip L40S --phase decode --batch 1280 --mla-tp 1 --mla-dp 16 --moe-tp 1 --moe-ep 16"
# H200 (141 GB), Batch 64 over MLA_DP 32 = 2 requests per rank: 2 x 0.36 GB
# of KV + 671 GB / 32 = 21 GB of weights fits; two requests per 32-chip
# decode step are far inside the 100 ms TPOT of data/scenarios.csv.
FEASIBLE="--chip H200-SXM --phase decode --batch 64 --mla-tp 1 --mla-dp 32 --moe-tp 1 --moe-ep 32"

# ---- help, version, usage errors -------------------------------------------

run --help
expect "--help" 0
if grep -q '^Usage: servplan' "$tmp/out" && [ ! -s "$tmp/err" ]; then ok "--help goes to stdout"
else bad "--help goes to stdout"; fi
for cmd in report plan eval sweep validate calibrate; do
    if grep -Eq "^  $cmd " "$tmp/out"; then ok "--help lists '$cmd'"; else bad "--help lists '$cmd'"; fi
done

run -h
expect "-h" 0

run -V
expect "-V" 0
if [ "$(cat "$tmp/out")" = "servplan 0.1.0" ]; then ok "-V prints 'servplan 0.1.0'"
else bad "-V prints 'servplan 0.1.0'" "got: $(cat "$tmp/out")"; fi

run --version
expect "--version" 0

run plan --no-such-option
expect "unknown long option" 2
expect_err_line "unknown option is named on stderr" "^servplan: unknown option '--no-such-option'"
expect_quiet_stdout "unknown option: stdout stays empty"

run -x
expect "unknown short option" 2

run frobnicate
expect "unknown command" 2
expect_err_line "unknown command is named" "^servplan: unknown command 'frobnicate'"

run plan extra-argument
expect "extra argument" 2

run plan --chip
expect "option without its value" 2

run eval --chip H20
expect "eval with missing options" 2
expect_err_line "missing eval options are named" \
    "^servplan: eval: missing --phase, --batch, --mla-tp, --mla-dp, --moe-tp, --moe-ep$"

run eval --phase decode --batch 8 --mla-tp 1 --mla-dp 8 --moe-tp 1 --moe-ep 8
expect "eval without --chip" 2
expect_err_line "missing --chip is named" "missing --chip"

run eval --chip H20 --chip L40S --phase decode --batch 8 --mla-tp 1 --mla-dp 8 --moe-tp 1 --moe-ep 8
expect "eval with two chips" 2

for bad_num in abc 0 -4 8x 1.5 "" 99999999999; do
    run eval --chip H20 --phase decode --batch "$bad_num" --mla-tp 1 --mla-dp 8 --moe-tp 1 --moe-ep 8
    expect "--batch '$bad_num' is refused" 2
done
expect_err_line "bad number names option and value" \
    "^servplan: option --batch: expected a positive integer, got \"99999999999\""

run eval $FEASIBLE --max-tpot-ms nan
expect "--max-tpot-ms nan is refused" 2
run eval $FEASIBLE --max-tpot-ms -5
expect "--max-tpot-ms -5 is refused" 2
run eval $FEASIBLE --max-ftl-ms 3000
expect "--max-ftl-ms with a decode eval" 2
run eval $FEASIBLE --phase prefill --output-len 10
expect "--output-len with a prefill eval" 2

run plan --batch 8
expect "eval option given to plan" 2
run plan --feasible-only
expect "--feasible-only given to plan" 2
run sweep --format text
expect "sweep in text format" 2

run plan --format xml
expect "--format xml" 2
run plan --tbo sometimes
expect "--tbo sometimes" 2
expect_err_line "bad word names option, choices and value" \
    "^servplan: option --tbo: expected off, on or auto, got \"sometimes\""
run plan --memory-model virtual
expect "--memory-model virtual" 2
run plan --weight-dtype fp16
expect "--weight-dtype fp16" 2
run plan --kv-dtype fp4
expect "--kv-dtype fp4 (not a KV format)" 2
run plan --lang fr
expect "--lang fr" 2

# --mtp K:L needs 1 <= L <= K + 1 (MODEL.md section 8).
for m in 0:2 2:3.5 2:0.5 -1:1 2 2: :1 a:b; do
    run plan --chip H20 --mtp "$m"
    expect "--mtp $m is refused" 2
done
run plan --chip H20 --mtp 0:1
expect "--mtp 0:1 (no MTP) is accepted" 0
run plan --chip H20 --mtp 1:1.7
expect "--mtp 1:1.7 is accepted" 0
if grep -q 'MTP 1 draft tokens, 1.7 accepted per step' "$tmp/out"; then ok "plan text names the MTP setting"
else bad "plan text names the MTP setting"; fi

# --mtp with a model that has no MTP module: nothing to draft with.
sed 's/^num_nextn_predict_layers,1,/num_nextn_predict_layers,0,/' data/models/deepseek-v3.csv \
    >"$tmp/no-mtp-model.csv"
run plan --model "$tmp/no-mtp-model.csv" --mtp 1:1.7 --chip H20
expect "--mtp with a model without an MTP module" 2
expect_err_line "--mtp without an MTP module names the model file" "no-mtp-model.csv.*no MTP module"

run plan --chip NoSuchChip
expect "unknown chip" 2
# The known names are the first column of data/hardware.csv.
first_chip=$(sed -n '2p' data/hardware.csv | cut -d, -f1)
if grep -q "^servplan: unknown chip 'NoSuchChip'; known chips: $first_chip, " "$tmp/err"; then
    ok "unknown chip lists the known chips"
else
    bad "unknown chip lists the known chips"
fi

# ---- bad input data ---------------------------------------------------------

# Line 3 of a copy of data/hardware.csv with its hbm_TBps cell replaced by
# "abc" (python: the rows hold quoted commas, which cut or awk would split).
if [ $have_py -eq 1 ]; then
    $PY - "$tmp/hw-bad.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open("data/hardware.csv", newline="", encoding="utf-8")))
col = rows[0].index("hbm_TBps")
rows[2][col] = "abc"
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    csv.writer(f, lineterminator="\n").writerows(rows)
EOF
    run plan --hardware "$tmp/hw-bad.csv"
    expect "bad hardware value" 3
    expect_err_line "data diagnostic has the FILE:LINE: column shape" \
        "^servplan: $tmp/hw-bad.csv:3: column 'hbm_TBps': expected .*, got \"abc\"$"
    if [ "$(wc -l <"$tmp/err")" -eq 1 ]; then ok "data diagnostic is printed once"
    else bad "data diagnostic is printed once" "$(wc -l <"$tmp/err") lines"; fi
    expect_quiet_stdout "bad data: nothing on stdout"

    run eval $FEASIBLE --hardware "$tmp/hw-bad.csv"
    expect "eval with bad hardware" 3
else
    skipped "bad hardware value" "no $PY"
fi

printf 'variable,values,source\nbatch,1 2 x,test\n' >"$tmp/space-bad.csv"
run plan --space "$tmp/space-bad.csv"
expect "bad search space" 3
expect_err_line "space diagnostic names the file" "^servplan: $tmp/space-bad.csv(:[0-9]+)?: "

run plan --hardware "$tmp/does-not-exist.csv"
expect "missing hardware file" 1
expect_err_line "missing file is named" "^servplan: $tmp/does-not-exist.csv"

# ---- eval ---------------------------------------------------------------------

run eval $FEASIBLE
expect "eval of a feasible configuration" 0
if grep -Eq '^feasible +yes$' "$tmp/out" && grep -Eq '^reason +feasible$' "$tmp/out"; then
    ok "eval text says feasible"
else
    bad "eval text says feasible"
fi
if grep -Eq '^slo_source +scenario .decode-4k. of data/scenarios.csv$' "$tmp/out" &&
   grep -Eq '^max_tpot_ms +100$' "$tmp/out"; then
    ok "eval takes the SLO of the matching scenario (decode-4k, 100 ms)"
else
    bad "eval takes the SLO of the matching scenario (decode-4k, 100 ms)"
fi
if grep -q '^Operators' "$tmp/out" && grep -Eq '^attn_core +attention ' "$tmp/out"; then
    ok "eval text has the operator table"
else
    bad "eval text has the operator table"
fi

run eval $INFEASIBLE
expect "eval of a configuration that does not fit DRAM" 4
if grep -Eq '^reason +dram$' "$tmp/out"; then ok "infeasible eval prints its reason"
else bad "infeasible eval prints its reason"; fi
if grep -q 'dram' "$tmp/err"; then ok "infeasible eval says why on stderr"
else bad "infeasible eval says why on stderr"; fi
run -q eval $INFEASIBLE
expect "-q eval of an infeasible configuration" 4
if [ ! -s "$tmp/err" ]; then ok "-q silences the remark"; else bad "-q silences the remark"; fi

# Batch 8 < MLA_DP 16: rejected before costing, so no metrics (seed Art.3 + MODEL.md 1).
run eval --chip H20 --phase decode --batch 8 --mla-tp 1 --mla-dp 16 --moe-tp 1 --moe-ep 16
expect "eval with idle DP ranks" 4
if grep -Eq '^reason +idle-dp-ranks$' "$tmp/out" && grep -Eq '^tpot_ms +-$' "$tmp/out"; then
    ok "structural failure: reason shown, metrics blank"
else
    bad "structural failure: reason shown, metrics blank"
fi

# MLA_TP 2 x MLA_DP 8 = 16 != MOE_TP 1 x MOE_EP 32 = 32 (seed Art.3 2b).
run eval --chip H20 --phase decode --batch 64 --mla-tp 2 --mla-dp 8 --moe-tp 1 --moe-ep 32
expect "eval with inconsistent chip counts" 4
if grep -Eq '^reason +chip-count$' "$tmp/out"; then ok "chip-count reason"; else bad "chip-count reason"; fi

run eval $FEASIBLE --phase prefill --input-len 1000 --format csv
expect "prefill eval with a length no scenario has" 0
if grep -q "default of seed Art.3" "$tmp/out" && grep -q ',3000,' "$tmp/out"; then
    ok "eval falls back to the seed's 3000 ms FTL and says so"
else
    bad "eval falls back to the seed's 3000 ms FTL and says so"
fi

run eval $FEASIBLE --max-tpot-ms 0.001
expect "eval against a 1 us TPOT" 4
if grep -Eq '^reason +slo$' "$tmp/out" && grep -Eq '^slo_source +command line' "$tmp/out"; then
    ok "--max-tpot-ms overrides the scenario"
else
    bad "--max-tpot-ms overrides the scenario"
fi

if [ $have_py -eq 1 ]; then
    run eval $FEASIBLE --format json
    expect "eval --format json" 0
    # Unit conversions, checked against each other (L = 1 without MTP):
    #   tpot_ms = 1000 / tps_per_batch; tps_per_chip = batch / (tpot_ms / 1000) / n_chips;
    #   cluster_tps = tps_per_chip x n_chips; n_chips = mla_tp x mla_dp = 32 on H200
    #   (1 rank per chip); dram_capacity_GB = data/hardware.csv's 141 GB.
    if $PY - "$tmp/out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
m, ops = d["metrics"], d["operators"]
close = lambda a, b: abs(a - b) <= 1e-4 * max(abs(a), abs(b))
assert m["n_chips"] == 32 and m["n_ranks"] == 32, m["n_chips"]
assert m["dram_capacity_GB"] == 141, m["dram_capacity_GB"]
assert close(m["tpot_ms"], 1000.0 / m["tps_per_batch"])
assert close(m["tps_per_chip"], 64 / (m["tpot_ms"] / 1000.0) / 32)
assert close(m["cluster_tps"], m["tps_per_chip"] * 32)
assert m["ftl_ms"] is None and m["phase"] == "decode" and m["feasible"] is True
assert close(m["share_compute"] + m["share_memory"] + m["share_comm"], 1.0)
assert m["dram_per_chip_GB"] < 141
assert len(ops) > 0
for o in ops:
    assert set(o) == {"name", "group", "dtype", "count", "GFLOP", "MB",
                      "t_compute_ms", "t_memory_ms", "t_ms", "bound"}, o
EOF
    then ok "eval JSON: units and metrics agree"; else bad "eval JSON: units and metrics agree"; fi

    run eval $FEASIBLE --format csv
    expect "eval --format csv" 0
    if $PY - "$tmp/out" <<'EOF'
import csv, sys
text = open(sys.argv[1], encoding="utf-8").read()
metrics, ops = text.split("\n\n")
rows = list(csv.DictReader(metrics.splitlines()))
assert len(rows) == 1 and rows[0]["chip"] == "H200-SXM" and rows[0]["ftl_ms"] == ""
oprows = list(csv.DictReader(ops.splitlines()))
assert len(oprows) > 0 and list(oprows[0])[:4] == ["name", "group", "dtype", "count"]
EOF
    then ok "eval CSV: metrics, empty line, operators"; else bad "eval CSV: metrics, empty line, operators"; fi
else
    skipped "eval JSON/CSV content" "no $PY"
fi

# ---- plan ---------------------------------------------------------------------

PLAN_COLS="chip,scenario,phase,feasible,reason,batch,mla_tp,mla_dp,moe_tp,moe_ep,sp,n_ranks,n_chips,tps_per_chip,tps_per_batch,tpot_ms,ftl_ms,cluster_tps,dram_per_chip_GB,dram_capacity_GB,dram_seed_per_chip_GB,t_step_ms,t_comp_ms,t_mem_ms,t_comm_ms,t_compute_bound_ms,t_memory_bound_ms,t_comm_exposed_ms,t_overhead_ms,share_compute,share_memory,share_comm,bottleneck,tbo,grid_edges"

run plan
expect "plan (text)" 0
n_hw=$(($(grep -c . data/hardware.csv) - 1))
if [ "$(grep -c '^== ' "$tmp/out")" -eq "$n_hw" ]; then ok "plan text has one heading per chip ($n_hw)"
else bad "plan text has one heading per chip ($n_hw)"; fi
if grep -q '^Decode optimum (seed Art.8.1)' "$tmp/out" && grep -q '^Prefill optimum (seed Art.8.2)' "$tmp/out" &&
   grep -q '^Bottleneck' "$tmp/out"; then
    ok "plan text has the Art.8.1, Art.8.2 and bottleneck sections"
else
    bad "plan text has the Art.8.1, Art.8.2 and bottleneck sections"
fi
if grep -Eiq '(^|[^a-z])(nan|inf)([^a-z]|$)' "$tmp/out"; then bad "plan text has no nan/inf"
else ok "plan text has no nan/inf"; fi

run plan --format csv
expect "plan --format csv" 0
if [ "$(head -n 1 "$tmp/out")" = "$PLAN_COLS" ]; then ok "plan CSV header is the documented column list"
else bad "plan CSV header is the documented column list" "got: $(head -n 1 "$tmp/out")"; fi
cp "$tmp/out" "$tmp/plan.csv"
if grep -Eiq '(^|,)-?(nan|inf)' "$tmp/plan.csv"; then bad "plan CSV has no nan/inf"
else ok "plan CSV has no nan/inf"; fi

if [ $have_py -eq 1 ]; then
    # One row per chip x scenario, in file order.
    if $PY - "$tmp/plan.csv" <<'EOF'
import csv, sys
chips = [r["chip"] for r in csv.DictReader(open("data/hardware.csv", encoding="utf-8"))]
scen = [r["name"] for r in csv.DictReader(open("data/scenarios.csv", encoding="utf-8"))]
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert [(r["chip"], r["scenario"]) for r in rows] == [(c, s) for c in chips for s in scen]
for r in rows:
    assert r["feasible"] in ("true", "false")
    if r["feasible"] == "true":
        assert r["reason"] == "feasible"
        assert float(r["dram_per_chip_GB"]) <= float(r["dram_capacity_GB"])
        if r["phase"] == "decode":
            assert r["ftl_ms"] == "" and float(r["tpot_ms"]) > 0
        else:
            assert r["tpot_ms"] == "" and r["tps_per_batch"] == "" and float(r["ftl_ms"]) > 0
EOF
    then ok "plan CSV: one row per chip x scenario, phase-specific cells"
    else bad "plan CSV: one row per chip x scenario, phase-specific cells"; fi

    run plan --format json
    expect "plan --format json" 0
    if $PY -m json.tool "$tmp/out" >/dev/null 2>&1; then ok "plan JSON parses (python3 -m json.tool)"
    else bad "plan JSON parses (python3 -m json.tool)"; fi
    if $PY - "$tmp/out" "$PLAN_COLS" "$tmp/plan.csv" <<'EOF'
import csv, json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
cols = sys.argv[2].split(",")
rows = list(csv.DictReader(open(sys.argv[3], encoding="utf-8")))
assert isinstance(d, list) and len(d) == len(rows)
for o, r in zip(d, rows):
    assert list(o) == cols, list(o)
    assert o["chip"] == r["chip"] and o["batch"] == (int(r["batch"]) if r["batch"] else None)
    assert isinstance(o["feasible"], bool)
EOF
    then ok "plan JSON: same keys and rows as the CSV"; else bad "plan JSON: same keys and rows as the CSV"; fi
else
    skipped "plan CSV/JSON content" "no $PY"
fi

run plan --chip H20 --chip L40S --format csv
expect "plan with two --chip filters" 0
# 2 chips x (scenarios in data/scenarios.csv) rows + header.
n_sc=$(($(grep -c . data/scenarios.csv) - 1))
if [ "$(wc -l <"$tmp/out")" -eq $((2 * n_sc + 1)) ] &&
   [ "$(cut -d, -f1 "$tmp/out" | sed 1d | sort -u | tr '\n' ' ')" = "H20 L40S " ]; then
    ok "--chip filters rows"
else
    bad "--chip filters rows"
fi

# One configuration that cannot fit L40S's DRAM (see INFEASIBLE above) is the
# whole search space: no chip x scenario has a plan -> exit 4, rows still printed.
run plan --chip L40S --space tests/data/cli/space-l40s-dram.csv --format csv
expect "plan without any feasible configuration" 4
if [ "$(wc -l <"$tmp/out")" -eq $((n_sc + 1)) ] && sed 1d "$tmp/out" | grep -q '^L40S,decode-4k,decode,false,dram,'; then
    ok "infeasible plan rows carry their reason"
else
    bad "infeasible plan rows carry their reason"
fi
run plan --chip L40S --space tests/data/cli/space-l40s-dram.csv
expect "plan text without any feasible configuration" 4
if grep -q 'no feasible configuration: 1 evaluated of 1 combinations; dram 1' "$tmp/out"; then
    ok "plan text gives the counts by reason"
else
    bad "plan text gives the counts by reason"
fi
# H200 fits where L40S does not: one feasible pair is enough for exit 0.
run plan --chip L40S --chip H200-SXM --space tests/data/cli/space-l40s-dram.csv --format csv
if [ "$rc" -ne 4 ] && grep -q '^H200-SXM,decode-4k,decode,true,' "$tmp/out"; then
    ok "one feasible chip x scenario avoids exit 4"
else
    bad "one feasible chip x scenario avoids exit 4" "exit $rc"
fi

run plan --chip H20 --memory-model seed --roofline global --tbo auto --weight-dtype int8 --kv-dtype fp8
expect "plan with every model switch" 0
if grep -q '^memory model seed, roofline global, TBO auto, no MTP, int8 weights, fp8 KV cache$' "$tmp/out"; then
    ok "plan text states the switches in force"
else
    bad "plan text states the switches in force"
fi

# ---- JSON and CSV escaping ----------------------------------------------------

if [ $have_py -eq 1 ]; then
    name=$(printf 'Q"uote, 芯片\tx')
    $PY - "$tmp/hw-name.csv" "$name" <<'EOF'
import csv, sys
rows = list(csv.reader(open("data/hardware.csv", newline="", encoding="utf-8")))
row = rows[1][:]
row[rows[0].index("chip")] = sys.argv[2]
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    csv.writer(f, lineterminator="\n").writerows([rows[0], row])
EOF
    run plan --hardware "$tmp/hw-name.csv" --format json
    if [ "$rc" -eq 0 ] && $PY - "$tmp/out" "$name" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert all(o["chip"] == sys.argv[2] for o in d), d[0]["chip"]
EOF
    then ok "JSON escapes quotes and tabs and passes UTF-8 through"
    else bad "JSON escapes quotes and tabs and passes UTF-8 through" "exit $rc"; fi
    run plan --hardware "$tmp/hw-name.csv" --format csv
    if [ "$rc" -eq 0 ] && $PY - "$tmp/out" "$name" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
assert rows and all(r["chip"] == sys.argv[2] for r in rows), rows[0]["chip"]
EOF
    then ok "CSV quotes a name with a comma and a quote"
    else bad "CSV quotes a name with a comma and a quote" "exit $rc"; fi
else
    skipped "escaping" "no $PY"
fi

# ---- sweep --------------------------------------------------------------------

run sweep --chip H20
expect "sweep" 0
if [ "$(head -n 1 "$tmp/out")" = "$PLAN_COLS" ]; then ok "sweep CSV header = plan CSV header"
else bad "sweep CSV header = plan CSV header"; fi
n_all=$(($(wc -l <"$tmp/out") - 1))
if grep -Eiq '(^|,)-?(nan|inf)' "$tmp/out"; then bad "sweep CSV has no nan/inf"
else ok "sweep CSV has no nan/inf"; fi
n_feas=$(grep -c '^H20,[^,]*,[^,]*,true,' "$tmp/out")
run sweep --chip H20 --feasible-only
expect "sweep --feasible-only" 0
n_only=$(($(wc -l <"$tmp/out") - 1))
if [ "$n_only" -eq "$n_feas" ] && [ "$n_only" -gt 0 ] && [ "$n_all" -gt "$n_only" ] &&
   ! sed 1d "$tmp/out" | grep -qv '^H20,[^,]*,[^,]*,true,feasible,'; then
    ok "--feasible-only keeps exactly the feasible rows ($n_only of $n_all)"
else
    bad "--feasible-only keeps exactly the feasible rows" "$n_only vs $n_feas of $n_all"
fi
if [ $have_py -eq 1 ]; then
    run sweep --chip H20 --format json --feasible-only
    if [ "$rc" -eq 0 ] && $PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d) == int(sys.argv[2])' \
        "$tmp/out" "$n_feas"; then
        ok "sweep --format json parses, same row count"
    else
        bad "sweep --format json parses, same row count" "exit $rc"
    fi
fi

# ---- validate and calibrate (details in tests/validate.sh) -------------------

run validate
expect "validate" 0
run calibrate --chip H100-SXM
expect "calibrate --chip H100-SXM" 0

# ---- write errors on stdout ---------------------------------------------------

if [ -w /dev/full ]; then
    for args in "plan" "plan --format csv" "sweep --chip H20" "--help" "eval $FEASIBLE"; do
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
