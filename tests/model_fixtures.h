/*
 * model_fixtures.h - in-memory fixtures shared by the model/cost/search/props
 * tests.  Golden tests never read data/: every struct is built here with its
 * values stated, so a change to a data file cannot silently move a golden
 * value, and a test failure points at the code, not at the data.
 */
#ifndef SERVPLAN_TESTS_MODEL_FIXTURES_H
#define SERVPLAN_TESTS_MODEL_FIXTURES_H

#include <math.h>
#include <string.h>

#include <check.h>

#include "servplan/cost.h"
#include "servplan/hw.h"
#include "servplan/model.h"
#include "servplan/scenario.h"
#include "servplan/search.h"
#include "servplan/units.h"

/* Copies a C string into a fixed array, always NUL-terminated. */
static inline void fx_name(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* DeepSeek-V3 as its Hugging Face config.json states it:
 * hidden 7168, 61 layers (first 3 dense, FFN 18432), 128 heads, q_lora 1536,
 * kv_lora 512, qk_nope 128, qk_rope 64, v_head 128, 256 routed + 1 shared
 * experts, top-8, expert FFN 2048, n_group 8, topk_group 4, vocab 129280,
 * 1 MTP module, no redundant experts. */
static inline svp_model fx_v3(void)
{
    svp_model m;
    memset(&m, 0, sizeof m);
    fx_name(m.name, sizeof m.name, "deepseek-v3 (fixture)");
    m.hidden = 7168;
    m.n_layers = 61;
    m.n_dense_layers = 3;
    m.dense_ffn = 18432;
    m.n_heads = 128;
    m.q_lora_rank = 1536;
    m.kv_lora_rank = 512;
    m.qk_nope_dim = 128;
    m.qk_rope_dim = 64;
    m.v_head_dim = 128;
    m.n_routed_experts = 256;
    m.n_shared_experts = 1;
    m.top_k = 8;
    m.moe_ffn = 2048;
    m.n_expert_groups = 8;
    m.routing_max_groups = 4;
    m.vocab = 129280;
    m.n_mtp_modules = 1;
    m.n_redundant_experts = 0;
    return m;
}

/* The invented round-number chip of the golden cost tests (one rank per
 * package unless a test changes it):
 *   bf16 1000 TFLOPS, fp8 2000 TFLOPS, no int8, no fp4;
 *   HBM 4 TB/s, DRAM 2000 GB (so a whole V3 fits on one chip);
 *   every efficiency 0.5; c2c 400 GB/s, a2a 50 GB/s;
 *   collective latency 10 us, layer overhead 20 us, step overhead 100 us;
 *   reserve 4 GB; 8 chips per scale-up domain; 1 rank per chip.
 * Per rank with efficiencies: P_fp8 = 1e15, P_bf16 = P_attn = 5e14 FLOP/s,
 * B = 2e12 B/s, U = 2e11 B/s, O = 2.5e10 B/s. */
static inline svp_hw fx_chip(void)
{
    svp_hw hw;
    memset(&hw, 0, sizeof hw);
    fx_name(hw.name, sizeof hw.name, "round-chip");
    fx_name(hw.vendor, sizeof hw.vendor, "test");
    hw.peak_flops[SVP_DT_BF16] = 1000.0 * SVP_TFLOPS;
    hw.peak_flops[SVP_DT_FP8] = 2000.0 * SVP_TFLOPS;
    hw.peak_flops[SVP_DT_INT8] = 0.0;
    hw.peak_flops[SVP_DT_FP4] = 0.0;
    hw.dram_bytes = 2000.0 * SVP_GB;
    hw.hbm_bytes_per_s = 4.0 * SVP_TBPS;
    hw.c2c_bytes_per_s = 400.0 * SVP_GBPS;
    hw.a2a_bytes_per_s = 50.0 * SVP_GBPS;
    hw.ranks_per_chip = 1;
    hw.chips_per_domain = 8;
    hw.eff_gemm = 0.5;
    hw.eff_attn = 0.5;
    hw.eff_mem = 0.5;
    hw.eff_net_up = 0.5;
    hw.eff_net_out = 0.5;
    hw.coll_latency_s = 10.0 * SVP_US;
    hw.layer_overhead_s = 20.0 * SVP_US;
    hw.step_overhead_s = 100.0 * SVP_US;
    hw.reserve_bytes = 4.0 * SVP_GB;
    fx_name(hw.confidence, sizeof hw.confidence, "C");
    return hw;
}

/* A decode scenario: input_len + output_len, TPOT SLO max_tpot_s (0 = none). */
static inline svp_scenario fx_decode(int input_len, int output_len, double max_tpot_s)
{
    svp_scenario s;
    memset(&s, 0, sizeof s);
    fx_name(s.name, sizeof s.name, "decode-fixture");
    s.phase = SVP_PHASE_DECODE;
    s.input_len = input_len;
    s.output_len = output_len;
    s.max_tpot_s = max_tpot_s;
    s.max_ftl_s = 0.0;
    return s;
}

/* A prefill scenario: input_len tokens per prompt, FTL SLO max_ftl_s (0 = none). */
static inline svp_scenario fx_prefill(int input_len, double max_ftl_s)
{
    svp_scenario s;
    memset(&s, 0, sizeof s);
    fx_name(s.name, sizeof s.name, "prefill-fixture");
    s.phase = SVP_PHASE_PREFILL;
    s.input_len = input_len;
    s.output_len = 0;
    s.max_tpot_s = 0.0;
    s.max_ftl_s = max_ftl_s;
    return s;
}

static inline svp_config fx_cfg(int batch, int mla_tp, int mla_dp, int moe_tp, int moe_ep,
                                int sp)
{
    svp_config c;
    c.batch = batch;
    c.mla_tp = mla_tp;
    c.mla_dp = mla_dp;
    c.moe_tp = moe_tp;
    c.moe_ep = moe_ep;
    c.sp = sp;
    return c;
}

/* |got - want| <= tol * |want| (absolute tol when want is 0). */
static inline int fx_close(double got, double want, double tol)
{
    double scale = fabs(want) > 0.0 ? fabs(want) : 1.0;
    return fabs(got - want) <= tol * scale;
}

#define FX_CLOSE(got, want, tol)                                                    \
    do {                                                                            \
        double fx_g_ = (got), fx_w_ = (want);                                       \
        ck_assert_msg(fx_close(fx_g_, fx_w_, (tol)), "%s = %.17g, expected %s = %.17g", \
                      #got, fx_g_, #want, fx_w_);                                   \
    } while (0)

/* Finds the breakdown record named `name`, or NULL. */
static inline const svp_op_rec *fx_op(const svp_breakdown *bd, const char *name)
{
    for (int i = 0; i < bd->n; i++)
        if (strcmp(bd->ops[i].name, name) == 0)
            return &bd->ops[i];
    return NULL;
}

/* Grid helper: points g at a static-lifetime array the caller owns. */
static inline svp_grid fx_grid(int *v, size_t n)
{
    svp_grid g;
    g.v = v;
    g.n = n;
    return g;
}

#endif
