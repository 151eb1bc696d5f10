#!/usr/bin/env bash
# tests/workbook.sh - end-to-end test of the report workbook: runs
# `servplan report` on the shipped data and reads the XLSX back with
# /usr/bin/python3 + openpyxl (and the raw sheet XML for the ~190k-row
# All configurations sheet, which openpyxl would take minutes to load).
#
# Run by `make test` from the repository root with SERVPLAN=<binary>.
# Prints one line per check and ends with "N passed, N failed"; exits
# non-zero when a check failed.
set -u

SERVPLAN=${SERVPLAN:-build/servplan}
case $SERVPLAN in /*) ;; *) SERVPLAN=$PWD/$SERVPLAN ;; esac
PY=/usr/bin/python3
pass=0
fail=0
ok()  { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/svp_workbook.XXXXXX") || { bad "mktemp"; finish; }
# report writes into an existing folder (a missing one is an error).
mkdir -p "$tmp/en" "$tmp/en2" "$tmp/zh"
trap 'rm -rf "$tmp"' EXIT

# ---- run the reports -----------------------------------------------------------

if "$SERVPLAN" report --out "$tmp/en" -q >"$tmp/en.out" 2>"$tmp/en.err"; then
    ok "servplan report --out DIR exits 0"
else
    bad "servplan report --out DIR exits $? ($(head -c 300 "$tmp/en.err"))"
    finish
fi
xlsx="$tmp/en/servplan-report.xlsx"
[ -s "$xlsx" ] && ok "report wrote $xlsx" || { bad "no $xlsx"; finish; }

if "$SERVPLAN" report --out "$tmp/en2" -q >/dev/null 2>&1 && cmp -s "$xlsx" "$tmp/en2/servplan-report.xlsx"; then
    ok "second run on the same inputs is byte-identical"
else
    bad "second run differs from the first (or failed)"
fi

# Two chips are enough for the language check (faster than a full run).
if "$SERVPLAN" report --out "$tmp/zh" --lang zh --chip H20 --chip B200 -q >/dev/null 2>"$tmp/zh.err"; then
    ok "servplan report --lang zh exits 0"
else
    bad "servplan report --lang zh failed: $(head -c 300 "$tmp/zh.err")"
fi

"$SERVPLAN" plan --format csv >"$tmp/plan.csv" 2>/dev/null
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 4 ] && ok "servplan plan --format csv (exit $rc)" || bad "plan --format csv exit $rc"
"$SERVPLAN" sweep --format csv >"$tmp/sweep.csv" 2>/dev/null && ok "servplan sweep --format csv" \
    || bad "servplan sweep --format csv failed"

# The Validation sheet must show what `servplan validate --cross` prints.
"$SERVPLAN" validate --cross --format csv >"$tmp/val.csv" 2>"$tmp/val.err" \
    && ok "servplan validate --cross --format csv" \
    || bad "servplan validate --cross --format csv failed: $(head -c 300 "$tmp/val.err")"
"$SERVPLAN" validate --cross >"$tmp/val.txt" 2>/dev/null \
    && ok "servplan validate --cross (text)" || bad "servplan validate --cross (text) failed"

# A data folder of our own (the shipped files, linked) to run report with a
# deployments file that has a row servplan cannot predict, and with none:
# report takes the deployments file from the data folder only.
mkalt() {
    local d=$1
    mkdir -p "$d/data" "$d/out"
    for f in hardware.csv prices.csv scenarios.csv search-space.csv models; do
        ln -s "$PWD/data/$f" "$d/data/$f"
    done
    ln -s "$PWD/templates" "$d/templates"
}
mkalt "$tmp/alt"
{
    head -n 1 data/deployments.csv
    grep '^ANT-H20-DECODE-32,' data/deployments.csv
    # MLA_TP = 16 on a chip whose scale-up domain holds 8: no prediction.
    echo 'BAD-H20-TP16,H20,decode,16,16,1,1,16,1,512,4096,1536,off,0,1,fp8,fp8,675,,,"made up: MLA_TP 16 spans two 8-GPU domains"'
} >"$tmp/alt/data/deployments.csv"
mkalt "$tmp/nodeps"
if (cd "$tmp/alt" && "$SERVPLAN" report --out out --chip H20 -q >/dev/null 2>"$tmp/alt.err" \
        && "$SERVPLAN" validate --cross --format csv >"$tmp/alt-val.csv" 2>>"$tmp/alt.err"); then
    ok "report and validate on a deployments file with an unpredictable row"
else
    bad "report/validate with an unpredictable row failed: $(head -c 300 "$tmp/alt.err")"
fi
if (cd "$tmp/nodeps" && "$SERVPLAN" report --out out --chip H20 -q >/dev/null 2>"$tmp/nodeps.err"); then
    ok "report without a deployments file exits 0"
else
    bad "report without a deployments file failed: $(head -c 300 "$tmp/nodeps.err")"
fi

# A failing run must leave the previous report untouched (temporary names,
# renamed only when complete).
cp "$xlsx" "$tmp/before.xlsx"
printf 'chip,vendor\nX,Y\n' >"$tmp/bad-hardware.csv"
"$SERVPLAN" report --out "$tmp/en" --hardware "$tmp/bad-hardware.csv" -q >/dev/null 2>&1
rc=$?
if [ "$rc" -eq 3 ] && cmp -s "$xlsx" "$tmp/before.xlsx"; then
    ok "bad input: exit 3 and the previous workbook is intact"
else
    bad "bad input: exit $rc (want 3) or the previous workbook changed"
fi

# ---- read it back ------------------------------------------------------------

if ! "$PY" -c 'import openpyxl' 2>/dev/null; then
    echo "skip: $PY has no openpyxl (apt-get install python3-openpyxl); contents not checked"
    finish
fi

"$PY" - "$xlsx" "$tmp/zh/servplan-report.xlsx" "$tmp/plan.csv" "$tmp/sweep.csv" data/prices.csv \
    data/scenarios.csv "$tmp/val.csv" "$tmp/val.txt" "$tmp/alt/out/servplan-report.xlsx" \
    "$tmp/alt-val.csv" "$tmp/nodeps/out/servplan-report.xlsx" >"$tmp/py.out" 2>&1 <<'EOF'
import csv, io, math, os, re, sys, zipfile
import openpyxl

xlsx, zh_xlsx, plan_csv, sweep_csv, prices_csv, scen_csv = sys.argv[1:7]
val_csv, val_txt, alt_xlsx, alt_val_csv, nodeps_xlsx = sys.argv[7:12]
res = []
def check(cond, what):
    res.append((bool(cond), what))
    print(("ok   " if cond else "FAIL ") + what)

def rel_eq(a, b, rel=2e-5):
    # CSV prints 6 significant digits (%.6g): compare to that precision.
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-12)

EN_SHEETS = ["Summary", "Decode optimum", "Prefill optimum", "Bottleneck", "Sensitivity",
             "Cost", "Pareto", "All configurations", "Validation", "Assumptions"]
ZH_SHEETS = ["摘要", "Decode 最优", "Prefill 最优", "瓶颈分析", "敏感性分析", "成本",
             "帕累托前沿", "全部配置", "验证", "假设与说明"]

wb = openpyxl.load_workbook(xlsx, read_only=True)
check(wb.sheetnames == EN_SHEETS, "sheet names and order: %s" % wb.sheetnames)

plan = list(csv.DictReader(open(plan_csv, encoding="utf-8")))
chips = []
for r in plan:
    if r["chip"] not in chips:
        chips.append(r["chip"])
prices = {r["chip"]: r for r in csv.DictReader(open(prices_csv, encoding="utf-8"))}
scens = list(csv.DictReader(open(scen_csv, encoding="utf-8")))

def rows_of(name, limit=None):
    out = []
    for i, row in enumerate(wb[name].iter_rows()):
        if limit is not None and i >= limit:
            break
        out.append(row)
    return out

# -- every numeric cell of every sheet but the big one is a finite number, and
#    no text cell spells nan/inf
bad_cells = []
for name in EN_SHEETS:
    if name == "All configurations":
        continue
    for row in wb[name].iter_rows():
        for c in row:
            v = c.value
            if isinstance(v, float) and not math.isfinite(v):
                bad_cells.append((name, c.coordinate, v))
            if isinstance(v, str) and re.fullmatch(r"\s*[-+]?(nan|inf(inity)?)\s*", v, re.I):
                bad_cells.append((name, c.coordinate, v))
check(not bad_cells, "no NaN/inf cell outside All configurations %s" % bad_cells[:5])

# -- Summary: one row per chip, in plan order; price-performance or a reason
summ = rows_of("Summary")
hdr = [c.value for c in summ[0]]
check(hdr[0] == "Chip" and "Note" in hdr, "Summary header: %s" % hdr)
body = [r for r in summ[1:1 + len(chips)]]
check([r[0].value for r in body] == chips, "Summary: one row per chip in order")
col_pp = hdr.index("Decode tok/s per 1000 USD of chips")
col_note = hdr.index("Note")
col_tps = hdr.index("Best decode TPS/chip (tok/s)")
dec_plan = {r["chip"]: r for r in plan if r["phase"] == "decode"}
problems = []
for r in body:
    chip = r[0].value
    pp = r[col_pp].value
    note = r[col_note].value if col_note < len(r) else None
    feasible = dec_plan.get(chip, {}).get("feasible") == "true"
    if chip in prices and feasible:
        # tok/s per 1000 USD = TPS/chip / midpoint price * 1000, by hand.
        p = prices[chip]
        mid = (float(p["unit_price_usd_low"]) + float(p["unit_price_usd_high"])) / 2
        want = float(dec_plan[chip]["tps_per_chip"]) / mid * 1000
        if not (isinstance(pp, (int, float)) and rel_eq(pp, want)):
            problems.append((chip, pp, want))
    elif chip not in prices:
        if not (isinstance(note, str) and "no price row" in note):
            problems.append((chip, "note", note))
    else:
        if not (isinstance(note, str) and "no feasible plan" in note):
            problems.append((chip, "note", note))
check(not problems, "Summary: price-performance = TPS/chip / mid price x 1000, or a stated reason %s" % problems[:3])
fmt = body[0][col_tps].number_format if body else None
check(fmt == "#,##0.0", "Summary TPS/chip number format is #,##0.0 (got %r)" % fmt)
text = [c.value for r in summ for c in r[:1] if isinstance(c.value, str)]
check(any(t.startswith("Best price-performance:") or t.startswith("No chip has both") for t in text),
      "Summary has the price-performance sentence")
check(any("bound" in t and ":" in t for t in text), "Summary has the bottleneck sentence")
check(not any("{" in t and "}" in t for t in text), "Summary sentences have no unfilled {placeholder}")

# -- Decode optimum agrees with `servplan plan --format csv`
dec = rows_of("Decode optimum")
h = [c.value for c in dec[0]]
ci = {k: h.index(k) for k in ("Chip", "Scenario", "Batch (requests)", "MLA_TP", "MLA_DP",
                             "MOE_TP", "MOE_EP", "TPS/chip (tok/s)", "TPOT (ms)")}
want_rows = [r for r in plan if r["phase"] == "decode"]
got = [r for r in dec[1:] if r[0].value is not None]
check(len(got) == len(want_rows), "Decode optimum: %d rows, plan has %d" % (len(got), len(want_rows)))
mism = []
for g, w in zip(got, want_rows):
    if g[ci["Chip"]].value != w["chip"] or g[ci["Scenario"]].value != w["scenario"]:
        mism.append((g[0].value, w["chip"]))
        continue
    if w["feasible"] != "true":
        if g[ci["TPS/chip (tok/s)"]].value is not None:
            mism.append((w["chip"], "has a plan in the workbook but not in plan"))
        continue
    for k, col in (("Batch (requests)", "batch"), ("MLA_TP", "mla_tp"), ("MLA_DP", "mla_dp"),
                   ("MOE_TP", "moe_tp"), ("MOE_EP", "moe_ep")):
        if g[ci[k]].value != int(w[col]):
            mism.append((w["chip"], k, g[ci[k]].value, w[col]))
    for k, col in (("TPS/chip (tok/s)", "tps_per_chip"), ("TPOT (ms)", "tpot_ms")):
        v = g[ci[k]].value
        if not (isinstance(v, (int, float)) and rel_eq(v, float(w[col]))):
            mism.append((w["chip"], k, v, w[col]))
check(not mism, "Decode optimum agrees with plan --format csv %s" % mism[:3])

# -- Prefill optimum: one row per chip x prefill scenario
pre = rows_of("Prefill optimum")
n_pre = sum(1 for s in scens if s["phase"] == "prefill")
check(len([r for r in pre[1:] if r[0].value]) == n_pre * len(chips),
      "Prefill optimum: %d rows = chips x prefill scenarios" % (n_pre * len(chips)))

# -- Bottleneck shares are percentages that sum to 1
bot = rows_of("Bottleneck")
h = [c.value for c in bot[0]]
i0 = h.index("Compute share")
sums = []
for r in bot[1:1 + len(plan)]:
    v = [r[i0 + k].value for k in range(3)]
    if all(isinstance(x, (int, float)) for x in v):
        sums.append(sum(v))
        if r[i0].number_format != "0.0%":
            sums.append(-1)
check(sums and all(abs(s - 1) < 1e-9 for s in sums), "Bottleneck: three shares in %% format sum to 1")
check(any(isinstance(r[0].value, str) and r[0].value.startswith("Per-operator breakdown") for r in bot),
      "Bottleneck: per-operator breakdown present")

# -- Cost: ranks at mid follow tok/s per 1000 USD
cost = rows_of("Cost")
h = [c.value for c in cost[0]]
kr, kv = h.index("Rank (mid price)"), h.index("tok/s per 1000 USD (mid)")
ranked = [(r[kr].value, r[kv].value) for r in cost[1:] if isinstance(r[kr].value, (int, float))]
check(ranked and [x[0] for x in ranked] == sorted(x[0] for x in ranked)
      and all(a[1] >= b[1] for a, b in zip(ranked, ranked[1:])),
      "Cost: rows in rank order, tok/s per 1000 USD non-increasing")

# -- Validation: the table of `servplan validate --cross --format csv`
def read_val_csv(path):
    """Rows and the summary of validate's CSV (two tables, a blank line apart)."""
    text = open(path, encoding="utf-8").read()
    body, summ = text.split("\n\n", 1)
    return list(csv.DictReader(io.StringIO(body))), list(csv.DictReader(io.StringIO(summ)))[0]

def val_grid(book, name="Validation"):
    grid = [[c.value for c in r] for r in book[name].iter_rows()]
    width = max(len(r) for r in grid)
    grid = [r + [None] * (width - len(r)) for r in grid]
    hi = next(i for i, r in enumerate(grid) if r[0] in ("Deployment", "部署"))
    body = []
    for r in grid[hi + 1:]:
        if r[0] is None:
            break
        body.append(dict(zip(grid[hi], r)))
    return grid, body

def label_row(grid, text):
    rows = [r for r in grid if r[0] == text]
    return rows[0] if len(rows) == 1 else None

def num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)

def same6(v, s):
    # validate prints %.6g: the sheet's full-precision number must print the same.
    return num(v) and s != "" and ("%.6g" % v) == s

def rel9(a, b):
    return num(a) and num(b) and abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-300)

def check_val_table(grid, body, want, tag):
    check([r["Deployment"] for r in body] == [w["id"] for w in want],
          "%s: one row per deployment, in file order (%d)" % (tag, len(want)))
    mism = []
    for g, w in zip(body, want):
        pairs = [("Chip", w["chip"]), ("Phase", w["phase"])]
        mism += [(w["id"], k, g[k], v) for k, v in pairs if g[k] != v]
        if not same6(g["N (chips)"], w["n_chips"]):
            mism.append((w["id"], "chips", g["N (chips)"], w["n_chips"]))
        if not same6(g["Measured TPS/chip (tok/s)"], w["measured_tps_per_chip"]):
            mism.append((w["id"], "measured", g["Measured TPS/chip (tok/s)"], w["measured_tps_per_chip"]))
        pred, err = g["Predicted TPS/chip (tok/s)"], g["Error (%)"]
        if w["predicted_tps_per_chip"] == "":
            # No prediction: "n/a: <why>" in the prediction's cells.
            for k in ("Predicted TPS/chip (tok/s)", "Error (%)", "LOO predicted TPS/chip (tok/s)"):
                if not (isinstance(g[k], str) and g[k].startswith("n/a: ") and len(g[k]) > 6):
                    mism.append((w["id"], k, g[k], "n/a: why"))
            continue
        if not same6(pred, w["predicted_tps_per_chip"]):
            mism.append((w["id"], "predicted", pred, w["predicted_tps_per_chip"]))
        # Error cells hold the fraction (0.261 = +26.1 %).
        if not (num(err) and same6(err * 100, w["error_pct"])):
            mism.append((w["id"], "error", err, w["error_pct"]))
        # The sign convention, at full precision: (pred - meas) / meas.
        meas = g["Measured TPS/chip (tok/s)"]
        if not rel9(err, (pred - meas) / meas):
            mism.append((w["id"], "error != (pred - meas) / meas", err, pred, meas))
        loo, loo_err = g["LOO predicted TPS/chip (tok/s)"], g["LOO error (%)"]
        if not (same6(loo, w["loo_tps_per_chip"]) and num(loo_err)
                and same6(loo_err * 100, w["loo_error_pct"]) and rel9(loo_err, (loo - meas) / meas)):
            mism.append((w["id"], "LOO", loo, loo_err, w["loo_tps_per_chip"], w["loo_error_pct"]))
        basis = g["LOO basis"] or ""
        if w["loo_basis"] == "fitted":
            ok_b = basis.startswith("fitted " + w["loo_params"].replace("+", ", ") + " on " + w["loo_rows"])
        else:
            ok_b = basis.startswith("hardware table's values")
        if not ok_b:
            mism.append((w["id"], "LOO basis", basis, w["loo_basis"], w["loo_params"]))
        if w["measured_latency_ms"] == "":
            if g["Measured latency (ms)"] != "n/a: not published":
                mism.append((w["id"], "latency n/a", g["Measured latency (ms)"]))
        elif not (same6(g["Measured latency (ms)"], w["measured_latency_ms"])
                  and same6(g["Latency error (%)"] * 100, w["latency_error_pct"])):
            mism.append((w["id"], "latency", g["Measured latency (ms)"], g["Latency error (%)"]))
        if not same6(g["Predicted latency (ms)"], w["predicted_latency_ms"]):
            mism.append((w["id"], "predicted latency", g["Predicted latency (ms)"], w["predicted_latency_ms"]))
    check(not mism, "%s: rows equal validate --format csv (6 significant digits; "
          "error = (pred - meas) / meas to 1e-9) %s" % (tag, mism[:3]))

def check_val_summary(grid, body, summ, tag):
    have = [g for g in body if num(g["Error (%)"])]
    def med(x):
        x = sorted(x)
        n = len(x)
        return x[n // 2] if n % 2 else (x[n // 2 - 1] + x[n // 2]) / 2
    got = {}
    for key, label in (("median", "Median |error|, hardware table as given"),
                       ("worst", "Worst |error|, hardware table as given"),
                       ("loo_median", "Median |error|, leave-one-out"),
                       ("loo_worst", "Worst |error|, leave-one-out"),
                       ("pred", "Rows predicted"),
                       ("defaults", "Rows whose LOO keeps the hardware table's values")):
        got[key] = label_row(grid, label)
    check(all(got.values()), "%s: summary rows present %s" % (tag, [k for k, v in got.items() if not v]))
    if not all(got.values()):
        return
    # Hand-computed from the sheet's own rows: median = middle value (mean of
    # the middle two for an even count), worst = largest |error|.
    errs = [abs(g["Error (%)"]) for g in have]
    lerr = [abs(g["LOO error (%)"]) for g in have]
    wi = max(range(len(have)), key=lambda i: errs[i])
    li = max(range(len(have)), key=lambda i: lerr[i])
    check(rel9(got["median"][3], med(errs)) and rel9(got["worst"][3], errs[wi])
          and got["worst"][4] == have[wi]["Deployment"]
          and rel9(got["loo_median"][3], med(lerr)) and rel9(got["loo_worst"][3], lerr[li])
          and got["loo_worst"][4] == have[li]["Deployment"],
          "%s: summary = median and worst of the rows' |error| (1e-9)" % tag)
    check(same6(got["median"][3] * 100, summ["median_abs_error_pct"])
          and same6(got["worst"][3] * 100, summ["worst_abs_error_pct"])
          and got["worst"][4] == summ["worst_id"]
          and same6(got["loo_median"][3] * 100, summ["loo_median_abs_error_pct"])
          and same6(got["loo_worst"][3] * 100, summ["loo_worst_abs_error_pct"])
          and got["loo_worst"][4] == summ["loo_worst_id"]
          and got["pred"][3] == int(summ["predicted_rows"])
          and got["defaults"][3] == int(summ["loo_defaults_rows"]),
          "%s: summary cells = validate's summary %s" % (tag, summ))
    # The issue's targets: 15 % median (as given and LOO), no point worse than 35 %.
    tg = {"Median |error| ≤ 15 %, hardware table as given": (0.15, got["median"][3]),
          "Median |error| ≤ 15 %, leave-one-out": (0.15, got["loo_median"][3]),
          "No point worse than 35 %, hardware table as given": (0.35, got["worst"][3]),
          "No point worse than 35 %, leave-one-out": (0.35, got["loo_worst"][3])}
    bad_t = []
    for label, (limit, reached) in tg.items():
        r = label_row(grid, label)
        want = "met" if reached <= limit else "not met"
        if r is None or not rel9(r[3], limit) or not rel9(r[4], reached) or r[5] != want:
            bad_t.append((label, r and r[3:6], want))
    check(not bad_t, "%s: targets with limit, reached and met / not met %s" % (tag, bad_t))

val_rows, val_summ = read_val_csv(val_csv)
vgrid, vbody = val_grid(wb)
check(isinstance(vgrid[1][0], str) and "(predicted − measured) / measured × 100" in vgrid[1][0]
      and "positive = servplan optimistic" in vgrid[1][0],
      "Validation: the sign convention sentence")
check(any(isinstance(r[0], str) and "data/deployments.csv" in r[0] for r in vgrid[:6]),
      "Validation: names the deployments file")
check_val_table(vgrid, vbody, val_rows, "Validation")
check_val_summary(vgrid, vbody, val_summ, "Validation")
# The text summary line of `servplan validate` (one decimal).
m = re.search(r"median \|error\| ([\d.]+)%, worst ([\d.]+)% \(([^)]+)\)", open(val_txt).read())
sm = label_row(vgrid, "Median |error|, hardware table as given")
sw = label_row(vgrid, "Worst |error|, hardware table as given")
check(m and sm and sw and "%.1f" % (sm[3] * 100) == m.group(1) and "%.1f" % (sw[3] * 100) == m.group(2)
      and sw[4] == m.group(3), "Validation: summary = validate's summary line %s" % (m and m.groups(),))
nums = [v for r in vgrid for v in r if isinstance(v, float) or (isinstance(v, int) and not isinstance(v, bool))]
check(nums and all(math.isfinite(v) for v in nums), "Validation: %d numeric cells, all finite" % len(nums))
ws_v = openpyxl.load_workbook(xlsx)["Validation"]
hdr_r = next(i for i, r in enumerate(vgrid) if r[0] == "Deployment") + 1
hdr_cells = {c.value: c.column for c in ws_v[hdr_r]}
c_err = ws_v.cell(row=hdr_r + 1, column=hdr_cells["Error (%)"])
c_pred = ws_v.cell(row=hdr_r + 1, column=hdr_cells["Predicted TPS/chip (tok/s)"])
check(c_err.number_format == "+0.0%;-0.0%;0.0%" and c_pred.number_format == "#,##0.0",
      "Validation: signed percent and TPS number formats (%s, %s)" % (c_err.number_format, c_pred.number_format))

# A row servplan cannot predict: n/a with its reason, out of the statistics.
alt = openpyxl.load_workbook(alt_xlsx, read_only=True)
a_rows, a_summ = read_val_csv(alt_val_csv)
agrid, abody = val_grid(alt)
check_val_table(agrid, abody, a_rows, "Validation (unpredictable row)")
check_val_summary(agrid, abody, a_summ, "Validation (unpredictable row)")
badr = [g for g in abody if g["Deployment"] == "BAD-H20-TP16"]
check(badr and badr[0]["Predicted TPS/chip (tok/s)"] == "n/a: MLA_TP does not fit one scale-up domain",
      "Validation: an unpredictable row says why (%s)" % (badr and badr[0]["Predicted TPS/chip (tok/s)"]))
# Without a deployments file: the placeholder, and no validation chart.
nd = openpyxl.load_workbook(nodeps_xlsx, read_only=True)
ndv = [[c.value for c in r] for r in nd["Validation"].iter_rows()]
check(ndv and isinstance(ndv[0][0], str) and ndv[0][0].startswith("No deployments file (data/deployments.csv)"),
      "Validation without a deployments file: the placeholder (%r)" % (ndv and ndv[0][0]))
nz = zipfile.ZipFile(nodeps_xlsx)
check(not any(b"Validation!" in nz.read(n) for n in nz.namelist() if n.startswith("xl/charts/")),
      "Validation without a deployments file: no chart")

asm = [[c.value for c in r] for r in rows_of("Assumptions")]
shas = [x for r in asm for x in r if isinstance(x, str) and re.fullmatch(r"[0-9a-f]{64}", x)]
check(len(shas) >= 5, "Assumptions: SHA-256 of the input files (%d found)" % len(shas))
check(any(r and r[0] == "Total parameters (main model)" and isinstance(r[1], (int, float))
          and abs(r[1] - 671.0) < 0.1 for r in asm),
      "Assumptions: 671.0 B parameters (MODEL.md section 3)")

# -- charts: native charts in the package
z = zipfile.ZipFile(xlsx)
charts = [n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
want = 4 * len(scens) + 1 + 1   # 3 sensitivity + 1 Pareto per scenario, 1 cost, 1 validation
check(len(charts) == want, "%d native charts (want %d)" % (len(charts), want))
# The validation scatter: log-log, the points by phase labelled with their
# ids, y = x and the +-35 % lines.
vch = [z.read(n).decode("utf-8") for n in charts if b"Validation!" in z.read(n)]
check(len(vch) == 1, "one native chart on the Validation sheet (%d)" % len(vch))
if vch:
    x = vch[0]
    labels = re.findall(r"<c:dLbl>.*?<a:t>([^<]*)</a:t>", x)
    pred_ids = [r["id"] for r in val_rows if r["predicted_tps_per_chip"] != ""]
    check(x.count('<c:logBase val="10"/>') == 2, "validation chart: log-log axes")
    check(sorted(labels) == sorted(pred_ids), "validation chart: each point labelled with its id")
    check(x.count("<c:ser>") == 2 + 3 and "y = x (exact)" in x and "+35 %" in x and "−35 %" in x,
          "validation chart: decode, prefill, y = x and the +-35 % lines")

# -- frozen header rows and autofilters, from the sheet XML
def sheet_xml(i, head=200000):
    with z.open("xl/worksheets/sheet%d.xml" % i) as f:
        return f.read(head).decode("utf-8", "replace")
for i, name in ((1, "Summary"), (2, "Decode optimum"), (3, "Prefill optimum"), (6, "Cost"),
                (8, "All configurations")):
    x = sheet_xml(i)
    check('topLeftCell="A2"' in x and 'state="frozen"' in x, "%s: header row frozen" % name)

# -- All configurations: every row of `servplan sweep`, numbers finite
sweep = list(csv.reader(open(sweep_csv, encoding="utf-8")))
with z.open("xl/worksheets/sheet8.xml") as f:
    big = f.read().decode("utf-8")
n_rows = big.count("<row ")
check(n_rows == len(sweep), "All configurations: %d rows incl. header = sweep's %d lines"
      % (n_rows, len(sweep)))
m = re.search(r'<autoFilter ref="A1:([A-Z]+)(\d+)"', big)
check(m and int(m.group(2)) == len(sweep), "All configurations: autofilter over every row")
bad_v = 0
for mm in re.finditer(r'<c r="[A-Z]+\d+"(?: s="\d+")?><v>([^<]*)</v>', big):
    try:
        if not math.isfinite(float(mm.group(1))):
            bad_v += 1
    except ValueError:
        bad_v += 1
check(bad_v == 0, "All configurations: every numeric cell is a finite number")
del big
allc = rows_of("All configurations", limit=2001)
check([c.value for c in allc[0]] == sweep[0], "All configurations: sweep's column names")
diff = []
for g, w in zip(allc[1:], sweep[1:2001]):
    for c, s in zip(g, w):
        v = c.value
        if s == "":
            ok_ = v is None
        elif s in ("true", "false"):
            ok_ = v is (s == "true")
        else:
            try:
                num = float(s)
            except ValueError:
                num = None
            if num is None:
                ok_ = v == s
            else:
                ok_ = isinstance(v, (int, float)) and not isinstance(v, bool) and rel_eq(v, num)
        if not ok_:
            diff.append((c.coordinate, v, s))
check(not diff, "All configurations: first 2000 rows equal sweep's cells %s" % diff[:3])

# -- Chinese labels
zw = openpyxl.load_workbook(zh_xlsx, read_only=True)
check(zw.sheetnames == ZH_SHEETS, "zh sheet names: %s" % zw.sheetnames)
zs = [[c.value for c in r] for r in zw["摘要"].iter_rows()]
check(zs[0][0] == "芯片" and [r[0] for r in zs[1:3]] == ["H20", "B200"],
      "zh Summary: Chinese header, one row per selected chip")
check(any(isinstance(r[0], str) and "性价比" in r[0] for r in zs[3:]), "zh Summary: Chinese sentences")
zv = [[c.value for c in r] for r in zw["验证"].iter_rows()]
check(any("预测单卡 TPS（tok/s）" in r for r in zv) and isinstance(zv[1][0], str)
      and "正值表示 servplan 偏乐观" in zv[1][0], "zh Validation: Chinese header and sign convention")

print("PY %d %d" % (sum(1 for r in res if r[0]), sum(1 for r in res if not r[0])))
EOF
pyrc=$?
cat "$tmp/py.out"
line=$(grep '^PY ' "$tmp/py.out" | tail -1)
if [ -n "$line" ]; then
    set -- $line
    pass=$((pass + $2))
    fail=$((fail + $3))
fi
[ "$pyrc" -eq 0 ] || bad "the python checker exited $pyrc"
finish
