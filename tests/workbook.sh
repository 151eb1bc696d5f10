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
    data/scenarios.csv >"$tmp/py.out" 2>&1 <<'EOF'
import csv, math, re, sys, zipfile
import openpyxl

xlsx, zh_xlsx, plan_csv, sweep_csv, prices_csv, scen_csv = sys.argv[1:7]
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

# -- Validation placeholder, Assumptions with version and SHA-256 of the inputs
val = rows_of("Validation")
check(val and isinstance(val[0][0].value, str) and "deployments" in val[0][0].value,
      "Validation placeholder")
asm = [[c.value for c in r] for r in rows_of("Assumptions")]
shas = [x for r in asm for x in r if isinstance(x, str) and re.fullmatch(r"[0-9a-f]{64}", x)]
check(len(shas) >= 5, "Assumptions: SHA-256 of the input files (%d found)" % len(shas))
check(any(r and r[0] == "Total parameters (main model)" and isinstance(r[1], (int, float))
          and abs(r[1] - 671.0) < 0.1 for r in asm),
      "Assumptions: 671.0 B parameters (MODEL.md section 3)")

# -- charts: native charts in the package
z = zipfile.ZipFile(xlsx)
charts = [n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
want = 4 * len(scens) + 1    # 3 sensitivity + 1 Pareto per scenario, 1 cost
check(len(charts) == want, "%d native charts (want %d)" % (len(charts), want))

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
