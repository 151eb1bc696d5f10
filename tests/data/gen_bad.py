#!/usr/bin/python3
"""Writes the bad-input fixtures of tests/test_read.c into tests/data/bad/.

Each file is a small valid table with exactly one defect; the test asserts
the error code, line, column and message of each.  The generated files are
committed; rerun this script (from anywhere) only when a schema changes,
and then check the expectations in tests/test_read.c by hand.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
BAD = os.path.join(HERE, "bad")

HW_COLS = ["chip", "vendor", "bf16_TFLOPS", "fp8_TFLOPS", "int8_TOPS", "fp4_TFLOPS",
           "dram_GB", "hbm_TBps", "c2c_GBps", "a2a_GBps", "ranks_per_chip",
           "chips_per_domain", "tdp_W", "eff_gemm", "eff_attn", "eff_mem",
           "eff_net_up", "eff_net_out", "coll_latency_us", "layer_overhead_us",
           "step_overhead_us", "reserve_GB", "confidence", "source", "eff_source",
           "note"]
HW_ROW = {"chip": "X1", "vendor": "Acme", "bf16_TFLOPS": "989", "fp8_TFLOPS": "1979",
          "int8_TOPS": "", "fp4_TFLOPS": "", "dram_GB": "80", "hbm_TBps": "3.35",
          "c2c_GBps": "200", "a2a_GBps": "50", "ranks_per_chip": "1",
          "chips_per_domain": "8", "tdp_W": "700", "eff_gemm": "0.7", "eff_attn": "0.6",
          "eff_mem": "0.8", "eff_net_up": "0.8", "eff_net_out": "0.75",
          "coll_latency_us": "25", "layer_overhead_us": "40", "step_overhead_us": "2000",
          "reserve_GB": "6", "confidence": "B", "source": "datasheet", "eff_source": "",
          "note": ""}


def write(name, text, binary=False):
    with open(os.path.join(BAD, name), "wb") as f:
        f.write(text if binary else text.encode("utf-8"))


def hw(name, cols=None, rows=None, **change):
    """A hardware table: the header cols, then row 1 = X1 with `change`
    applied, then any extra rows (dicts of changes)."""
    cols = cols or HW_COLS
    out = [",".join(cols)]
    for r in [change] + (rows or []):
        row = dict(HW_ROW, **r)
        out.append(",".join(row.get(c, "1") for c in cols))
    write(name, "\n".join(out) + "\n")


os.makedirs(BAD, exist_ok=True)

# -- generic CSV problems (through the hardware reader) --
write("hw_empty.csv", "")
write("hw_blank.csv", "\n\r\n  \n")
write("hw_header_only.csv", ",".join(HW_COLS) + "\n")
hw("hw_bad_utf8.csv")
with open(os.path.join(BAD, "hw_bad_utf8.csv"), "ab") as f:   # line 3: Latin-1 'é'
    f.write(",".join(dict(HW_ROW, chip="X2", vendor="Soci\xe9t\xe9").get(c) if c != "vendor"
                     else "Soci\xe9t\xe9" for c in HW_COLS).encode("latin-1") + b"\n")
hw("hw_nul.csv", vendor="Ac\x00me")
hw("hw_unclosed_quote.csv", rows=[{"chip": "X2", "note": '"never closed'}])
hw("hw_stray_quote.csv", vendor='Ac"me')
hw("hw_ragged.csv")
with open(os.path.join(BAD, "hw_ragged.csv"), "a") as f:
    f.write("X2,Acme,1\n")
# -- header problems --
hw("hw_missing_column.csv", cols=[c for c in HW_COLS if c != "hbm_TBps"])
hw("hw_duplicate_column.csv", cols=HW_COLS + ["dram_GB"])
hw("hw_unknown_column.csv", cols=["hbm" if c == "hbm_TBps" else c for c in HW_COLS])
hw("hw_unitless_column.csv", cols=["dram_gb" if c == "dram_GB" else c for c in HW_COLS])
hw("hw_extra_column.csv", cols=HW_COLS + ["price"])
hw("hw_empty_header_name.csv", cols=HW_COLS + [""])
# -- values --
hw("hw_duplicate_chip.csv", rows=[{"chip": "X2"}, {"chip": "X1"}])
hw("hw_nonnumeric.csv", hbm_TBps="abc")
hw("hw_negative.csv", c2c_GBps="-200")
hw("hw_zero.csv", bf16_TFLOPS="0")
hw("hw_empty_required.csv", bf16_TFLOPS="")
hw("hw_nan.csv", fp8_TFLOPS="nan")
hw("hw_inf.csv", dram_GB="inf")
hw("hw_hex.csv", hbm_TBps="0x3")
hw("hw_huge.csv", bf16_TFLOPS="2e7")
hw("hw_eff_range.csv", eff_gemm="1.2")
hw("hw_eff_zero.csv", eff_mem="0")
hw("hw_ranks_fraction.csv", ranks_per_chip="1.5")
hw("hw_domain_zero.csv", chips_per_domain="0")
hw("hw_latency_negative.csv", coll_latency_us="-1")
hw("hw_reserve_too_big.csv", reserve_GB="80")
hw("hw_empty_chip.csv", rows=[{"chip": ""}])
hw("hw_empty_source.csv", source="")
hw("hw_long_name.csv", chip="X" * 96)
hw("hw_trailing_garbage.csv", dram_GB="80GB")

# -- model --
MODEL = [("name", "DeepSeek-V3"), ("hidden_size", "7168"), ("num_hidden_layers", "61"),
         ("first_k_dense_replace", "3"), ("intermediate_size", "18432"),
         ("num_attention_heads", "128"), ("q_lora_rank", "1536"), ("kv_lora_rank", "512"),
         ("qk_nope_head_dim", "128"), ("qk_rope_head_dim", "64"), ("v_head_dim", "128"),
         ("n_routed_experts", "256"), ("n_shared_experts", "1"),
         ("num_experts_per_tok", "8"), ("moe_intermediate_size", "2048"),
         ("n_group", "8"), ("topk_group", "4"), ("vocab_size", "129280"),
         ("num_nextn_predict_layers", "1")]


def model(name, change=None, drop=(), extra=()):
    """The V3 table (line 1 header, key i on line i + 2) with values
    changed, keys dropped, or (key, value) rows appended."""
    change = change or {}
    rows = [(k, change.get(k, v)) for k, v in MODEL if k not in drop] + list(extra)
    write(name, "key,value,unit,note\n" + "".join("%s,%s,,\n" % kv for kv in rows))


model("model_unknown_key.csv", extra=[("hidden", "7168")])
model("model_duplicate_key.csv", extra=[("hidden_size", "7168")])
model("model_missing_key.csv", drop=("vocab_size",))
model("model_not_integer.csv", {"hidden_size": "7168.5"})
model("model_zero_hidden.csv", {"hidden_size": "0"})
model("model_negative.csv", {"n_shared_experts": "-1"})
model("model_dense_gt_layers.csv", {"first_k_dense_replace": "62"})
model("model_topk_gt_experts.csv", {"num_experts_per_tok": "300"})
model("model_topk_group_gt_groups.csv", {"topk_group": "9"})
model("model_empty_name.csv", {"name": ""})

# -- scenarios --
SC_HDR = "name,phase,input_len_tokens,output_len_tokens,max_tpot_ms,max_ftl_ms,source\n"
DEC = "decode-4k,decode,4096,1024,100,,seed\n"
PRE = "prefill-4k,prefill,4096,0,,3000,seed\n"
write("sc_unknown_phase.csv", SC_HDR + DEC + "p,Prefill,4096,0,,3000,seed\n")
write("sc_decode_no_tpot.csv", SC_HDR + PRE + "d,decode,4096,1024,,,seed\n")
write("sc_decode_zero_output.csv", SC_HDR + "d,decode,4096,0,100,,seed\n")
write("sc_decode_with_ftl.csv", SC_HDR + "d,decode,4096,1024,100,3000,seed\n")
write("sc_prefill_with_output.csv", SC_HDR + "p,prefill,4096,5,,3000,seed\n")
write("sc_prefill_with_tpot.csv", SC_HDR + "p,prefill,4096,0,100,3000,seed\n")
write("sc_prefill_no_ftl.csv", SC_HDR + "p,prefill,4096,0,,,seed\n")
write("sc_input_zero.csv", SC_HDR + "d,decode,0,1024,100,,seed\n")
write("sc_duplicate_name.csv", SC_HDR + DEC + PRE + DEC)

# -- search space --
SP_HDR = "variable,values,source\n"
SPACE = [("batch", "1 2 4 8"), ("mla_tp", "1 2 4 8"), ("mla_dp", "1 2 4"),
         ("moe_tp", "1 2"), ("moe_ep", "16 32"), ("sp", "1 2")]


def space(name, change=None, drop=(), extra=()):
    change = change or {}
    rows = [(k, change.get(k, v)) for k, v in SPACE if k not in drop] + list(extra)
    write(name, SP_HDR + "".join("%s,%s,seed\n" % kv for kv in rows))


space("space_not_pow2.csv", {"mla_tp": "1 2 6 8"})
space("space_sp_not_pow2.csv", {"sp": "3"})
space("space_missing_var.csv", drop=("sp",))
space("space_duplicate_var.csv", extra=[("batch", "16")])
space("space_unknown_var.csv", extra=[("dp", "2")])
space("space_non_integer.csv", {"batch": "1 2 x 8"})
space("space_fraction.csv", {"mla_dp": "1 2.5"})
space("space_zero.csv", {"moe_ep": "0 16"})
space("space_empty_values.csv", {"mla_dp": "  "})
space("space_comma.csv", {"batch": '"1,2"'})

# -- prices --
PR_HDR = ("chip,unit_price_usd_low,unit_price_usd_high,unit_price_basis,"
          "hourly_usd_low,hourly_usd_high,date,confidence,source_urls\n")
OK = "H20,10000,15320,per chip,,,2024,B,https://example.com\n"
write("price_low_gt_high.csv", PR_HDR + OK + "H800,54800,33800,per chip,2,3,2024,B,u\n")
write("price_zero_unit.csv", PR_HDR + "H800,0,1,per chip,,,2024,B,u\n")
write("price_hourly_half.csv", PR_HDR + "H800,1,2,per chip,2.5,,2024,B,u\n")
write("price_hourly_low_gt_high.csv", PR_HDR + "H800,1,2,per chip,3,2,2024,B,u\n")
write("price_duplicate_chip.csv", PR_HDR + OK + OK)
write("price_missing_column.csv", PR_HDR.replace(",date", "") +
      "H800,1,2,per chip,,,B,u\n")
write("price_no_source.csv", PR_HDR + "H800,1,2,per chip,,,2024,B,\n")
