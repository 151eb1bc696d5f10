/*
 * test_cost.c - svp_eval against hand calculations from the operator
 * specification (the cost model of MODEL.md sections 4-8, as opspec states it
 * per operator) on DeepSeek-V3 and an invented round-number chip (fixtures in
 * model_fixtures.h).
 *
 * Constants used throughout (fixture chip, one rank per package):
 *   P_fp8 = 2000e12 x 0.5 = 1e15 FLOP/s (the GEMM rate: FP8 weights on an FP8 chip)
 *   P_bf16 = P_attn = 1000e12 x 0.5 = 5e14 FLOP/s
 *   B = 4e12 x 0.5 = 2e12 B/s;  U = 400e9 x 0.5 = 2e11 B/s;  O = 50e9 x 0.5 = 2.5e10 B/s
 *   wb = 1 + 4/16384 = 1 + 1/4096 (FP8 + FP32 scale per 128x128 block); a_in = 1 (FP8)
 *   kvb = 2 (BF16 KV);  V3: h 7168, hl = 128 / MLA_TP, qk 192, lat 576, L 512
 *   decode 4096 + 1024: kv_len (step) = 4096 + 1024/2 = 4608, peak = 5120
 *   overhead without TBO = 20 us x 61 + 100 us = 1.32 ms
 * A GEMM(tok, K, N, W): FLOPs 2 tok K N, bytes W wb + tok K a_in + tok N 2.
 * Tolerance 1e-9 relative: everything here is exact arithmetic.
 */
#include <stdlib.h>

#include "model_fixtures.h"

#define TOL 1e-9

typedef struct exp_op {
    const char *name;
    svp_op_group group;
    int count;
    double flops;      /* per step */
    double bytes;      /* per step */
    double tc, tm;     /* per step */
    double t;          /* per step */
    svp_bound bound;
} exp_op;

/* Every operator of `want` is in bd with these values, and bd has nothing else. */
static void check_ops(const svp_breakdown *bd, const exp_op *want, int n)
{
    ck_assert_int_eq(bd->n, n);
    for (int i = 0; i < n; i++) {
        const svp_op_rec *r = fx_op(bd, want[i].name);
        ck_assert_msg(r != NULL, "operator %s missing from the breakdown", want[i].name);
        ck_assert_msg(r->group == want[i].group, "%s: group %d, expected %d", want[i].name,
                      (int)r->group, (int)want[i].group);
        ck_assert_msg(r->count == want[i].count, "%s: count %d, expected %d", want[i].name,
                      r->count, want[i].count);
        ck_assert_msg(fx_close(r->flops, want[i].flops, TOL), "%s: flops %.17g, expected %.17g",
                      want[i].name, r->flops, want[i].flops);
        ck_assert_msg(fx_close(r->bytes, want[i].bytes, TOL), "%s: bytes %.17g, expected %.17g",
                      want[i].name, r->bytes, want[i].bytes);
        if (want[i].group != SVP_OPG_COMM) {
            ck_assert_msg(fx_close(r->t_compute_s, want[i].tc, TOL),
                          "%s: t_compute %.17g, expected %.17g", want[i].name, r->t_compute_s,
                          want[i].tc);
            ck_assert_msg(fx_close(r->t_memory_s, want[i].tm, TOL),
                          "%s: t_memory %.17g, expected %.17g", want[i].name, r->t_memory_s,
                          want[i].tm);
        }
        ck_assert_msg(fx_close(r->t_s, want[i].t, TOL), "%s: t %.17g, expected %.17g",
                      want[i].name, r->t_s, want[i].t);
        ck_assert_msg(r->bound == want[i].bound, "%s: bound %d, expected %d", want[i].name,
                      (int)r->bound, (int)want[i].bound);
    }
}

static void eval_bd(const svp_hw *hw, const svp_model *m, const svp_scenario *sc,
                    svp_config c, const svp_opts *o, svp_metrics *out, svp_breakdown *bd)
{
    svp_eval(hw, m, sc, &c, o, out, bd);
}

/* ---- one decode step on one chip, Batch 1 --------------------------------- */

/* N = 1, Batch 1: b = 1, tok = 1, t_all = 1, hl = 128.  Counts: 61 MLA, 3
 * dense, 58 MoE, 1 head.  No collective (N = 1, MLA_TP = 1). */
static const exp_op decode_b1[] = {
    /* q_a+kv_a = GEMM(1, 7168, 1536+576 = 2112, 7168 x 2112 = 15,138,816):
     * FLOPs 2 x 7168 x 2112 = 30,277,632; x61 = 1,846,935,552
     * bytes 15,138,816 wb (= 15,142,512) + 7168 + 2112 x 2 = 15,153,904; x61 = 924,388,144
     * tc = 1,846,935,552 / 1e15; tm = 924,388,144 / 2e12 = 462.194072 us */
    {"q_a+kv_a", SVP_OPG_ATTN, 61, 1846935552.0, 924388144.0, 1.846935552e-6, 462.194072e-6,
     462.194072e-6, SVP_BOUND_MEMORY},
    /* q_b = GEMM(1, 1536, 128 x 192 = 24576, 37,748,736):
     * FLOPs 75,497,472; x61 = 4,605,345,792
     * bytes 37,757,952 + 1536 + 49,152 = 37,808,640; x61 = 2,306,327,040 -> 1153.16352 us */
    {"q_b", SVP_OPG_ATTN, 61, 4605345792.0, 2306327040.0, 4.605345792e-6, 1153.16352e-6,
     1153.16352e-6, SVP_BOUND_MEMORY},
    /* absorb_uk = GEMM(1 x 128, 128, 512, 128 x 128 x 512 = 8,388,608):
     * FLOPs 2 x 128 x 128 x 512 = 16,777,216; x61 = 1,023,410,176
     * bytes 8,390,656 + 128 x 128 + 128 x 512 x 2 = 8,538,112; x61 = 520,824,832 */
    {"absorb_uk", SVP_OPG_ATTN, 61, 1023410176.0, 520824832.0, 1.023410176e-6, 260.412416e-6,
     260.412416e-6, SVP_BOUND_MEMORY},
    /* attn_core: FLOPs 2 x 1 x 128 x (576 + 512) x 4608 = 1,283,457,024; x61 = 78,290,878,464
     * at P_attn 5e14 -> 156.581756928 us
     * bytes 1 x 4608 x 576 x 2 + 1 x 576 x 2 + 1 x 128 x 1088 x 2
     *     = 5,308,416 + 1,152 + 278,528 = 5,588,096; x61 = 340,873,856 -> 170.436928 us */
    {"attn_core", SVP_OPG_ATTN, 61, 78290878464.0, 340873856.0, 156.581756928e-6, 170.436928e-6,
     170.436928e-6, SVP_BOUND_MEMORY},
    /* absorb_uv = GEMM(128, 512, 128, 8,388,608): FLOPs 16,777,216; x61 = 1,023,410,176
     * bytes 8,390,656 + 128 x 512 + 128 x 128 x 2 = 8,488,960; x61 = 517,826,560 */
    {"absorb_uv", SVP_OPG_ATTN, 61, 1023410176.0, 517826560.0, 1.023410176e-6, 258.91328e-6,
     258.91328e-6, SVP_BOUND_MEMORY},
    /* o_proj = GEMM(1, 16384, 7168, 117,440,512): FLOPs 234,881,024; x61 = 14,327,742,464
     * bytes 117,469,184 + 16,384 + 14,336 = 117,499,904; x61 = 7,167,494,144 */
    {"o_proj", SVP_OPG_ATTN, 61, 14327742464.0, 7167494144.0, 14.327742464e-6, 3583.747072e-6,
     3583.747072e-6, SVP_BOUND_MEMORY},
    /* dense_gate_up = GEMM(1, 7168, 36864, 264,241,152): FLOPs 528,482,304; x3 = 1,585,446,912
     * bytes 264,305,664 + 7168 + 73,728 = 264,386,560; x3 = 793,159,680 */
    {"dense_gate_up", SVP_OPG_FFN, 3, 1585446912.0, 793159680.0, 1.585446912e-6, 396.57984e-6,
     396.57984e-6, SVP_BOUND_MEMORY},
    /* dense_down = GEMM(1, 18432, 7168, 132,120,576): FLOPs 264,241,152; x3 = 792,723,456
     * bytes 132,152,832 + 18,432 + 14,336 = 132,185,600; x3 = 396,556,800 */
    {"dense_down", SVP_OPG_FFN, 3, 792723456.0, 396556800.0, 0.792723456e-6, 198.2784e-6,
     198.2784e-6, SVP_BOUND_MEMORY},
    /* shared_gate_up = GEMM(1, 7168, 2 x 2048, 29,360,128): FLOPs 58,720,256; x58 = 3,405,774,848
     * bytes 29,367,296 + 7168 + 8192 = 29,382,656; x58 = 1,704,194,048 */
    {"shared_gate_up", SVP_OPG_FFN, 58, 3405774848.0, 1704194048.0, 3.405774848e-6,
     852.097024e-6, 852.097024e-6, SVP_BOUND_MEMORY},
    /* shared_down = GEMM(1, 2048, 7168, 14,680,064): FLOPs 29,360,128; x58 = 1,702,887,424
     * bytes 14,683,648 + 2048 + 14,336 = 14,700,032; x58 = 852,601,856 */
    {"shared_down", SVP_OPG_FFN, 58, 1702887424.0, 852601856.0, 1.702887424e-6, 426.300928e-6,
     426.300928e-6, SVP_BOUND_MEMORY},
    /* router: FLOPs 2 x 1 x 7168 x 256 = 3,670,016; x58 = 212,860,928 (at 5e14)
     * bytes 256 x 7168 x 2 + 7168 x 2 = 3,684,352; x58 = 213,692,416 */
    {"router", SVP_OPG_MOE, 58, 212860928.0, 213692416.0, 0.425721856e-6, 106.846208e-6,
     106.846208e-6, SVP_BOUND_MEMORY},
    /* copies = 1 x 8 / 1 = 8; local = 256; p = 1 - (1 - 8/256)^1 = 1/32; read = 8; fl = 2048
     * expert_gate_up: FLOPs 2 x 8 x 7168 x 4096 = 469,762,048; x58 = 27,246,198,784
     * bytes 8 x 7168 x 4096 x wb (= 234,938,368) + 8 x 7168 + 8 x 4096 x 2
     *     = 235,061,248; x58 = 13,633,552,384 -> 6816.776192 us */
    {"expert_gate_up", SVP_OPG_MOE, 58, 27246198784.0, 13633552384.0, 27.246198784e-6,
     6816.776192e-6, 6816.776192e-6, SVP_BOUND_MEMORY},
    /* expert_down: FLOPs 2 x 8 x 2048 x 7168 = 234,881,024; x58 = 13,623,099,392
     * bytes 8 x 2048 x 7168 x wb (= 117,469,184) + 8 x 2048 + 8 x 7168 x 2
     *     = 117,600,256; x58 = 6,820,814,848 */
    {"expert_down", SVP_OPG_MOE, 58, 13623099392.0, 6820814848.0, 13.623099392e-6,
     3410.407424e-6, 3410.407424e-6, SVP_BOUND_MEMORY},
    /* lm_head: rows 1; FLOPs 2 x 7168 x 129280 = 1,853,358,080 (at 5e14)
     * bytes 7168 x 129280 x 2 + 7168 x 2 + 129280 x 4 = 1,853,889,536 */
    {"lm_head", SVP_OPG_HEAD, 1, 1853358080.0, 1853889536.0, 3.70671616e-6, 926.944768e-6,
     926.944768e-6, SVP_BOUND_MEMORY},
};

START_TEST(test_decode_one_chip_batch1)
{
    svp_hw hw = fx_chip();
    svp_model m = fx_v3();
    svp_scenario sc = fx_decode(4096, 1024, 0.100);
    svp_opts o = svp_opts_default();
    svp_metrics r;
    svp_breakdown bd;
    eval_bd(&hw, &m, &sc, fx_cfg(1, 1, 1, 1, 1, 1), &o, &r, &bd);

    ck_assert_int_eq(r.reason, SVP_FEASIBLE);
    ck_assert_int_eq(r.has_metrics, 1);
    ck_assert_int_eq(r.n_ranks, 1);
    FX_CLOSE(r.n_chips, 1.0, TOL);
    ck_assert_int_eq(r.batch_per_rank, 1);
    ck_assert_int_eq(r.tbo_used, 0);
    check_ops(&bd, decode_b1, (int)(sizeof decode_b1 / sizeof decode_b1[0]));

    /* Every operator is memory-bound: sum of t_memory
     * = 462.194072 + 1153.16352 + 260.412416 + 170.436928 + 258.91328
     *   + 3583.747072 + 396.57984 + 198.2784 + 852.097024 + 426.300928
     *   + 106.846208 + 6816.776192 + 3410.407424 + 926.944768 us
     * = 19,023.098072 us (= 38,046,196,144 bytes / 2e12) */
    FX_CLOSE(r.t_mem_s, 19023.098072e-6, TOL);
    /* T_comp: GEMM FLOPs 71,182,974,976 / 1e15 = 71.182974976 us, plus
     * (78,290,878,464 + 212,860,928 + 1,853,358,080) / 5e14 = 160.714194944 us
     * = 231.89716992 us */
    FX_CLOSE(r.t_comp_s, 231.89716992e-6, TOL);
    FX_CLOSE(r.t_comm_s, 0.0, TOL);
    /* FLOPs per step: 1,846,935,552 + 4,605,345,792 + 1,023,410,176 + 78,290,878,464
     * + 1,023,410,176 + 14,327,742,464 + 1,585,446,912 + 792,723,456
     * + 3,405,774,848 + 1,702,887,424 + 212,860,928 + 27,246,198,784
     * + 13,623,099,392 + 1,853,358,080 = 151,540,072,448 */
    FX_CLOSE(r.flops_per_step, 151540072448.0, TOL);
    FX_CLOSE(r.hbm_bytes_per_step, 38046196144.0, TOL);

    /* step = 19.023098072 ms + 1.32 ms overhead = 20.343098072 ms */
    FX_CLOSE(r.t_overhead_s, 1.32e-3, TOL);
    FX_CLOSE(r.step_s, 20.343098072e-3, TOL);
    FX_CLOSE(r.tpot_s, 20.343098072e-3, TOL);
    FX_CLOSE(r.tps_per_user, 1.0 / 20.343098072e-3, TOL);  /* 49.1567... */
    FX_CLOSE(r.tps_per_chip, 1.0 / 20.343098072e-3, TOL);  /* Batch 1 / step / 1 chip */
    FX_CLOSE(r.cluster_tps, 1.0 / 20.343098072e-3, TOL);
    FX_CLOSE(r.tokens_per_request_step, 1.0, TOL);

    /* Verdict: all operator time is memory-bound, no communication. */
    FX_CLOSE(r.t_compute_bound_s, 0.0, TOL);
    FX_CLOSE(r.t_memory_bound_s, 19023.098072e-6, TOL);
    FX_CLOSE(r.t_comm_exposed_s, 0.0, TOL);
    FX_CLOSE(r.share_compute, 0.0, TOL);
    FX_CLOSE(r.share_memory, 1.0, TOL);
    FX_CLOSE(r.share_comm, 0.0, TOL);
    ck_assert_int_eq(r.bottleneck, SVP_BOUND_MEMORY);

    /* DRAM physical (per chip = per rank), MLA_TP = MOE_TP = MOE_EP = 1:
     * attention 61 x 187,121,664 x wb = 11,414,421,504 + 2,786,724 = 11,417,208,228
     * dense      3 x 396,361,728 x wb =  1,189,085,184 +   290,304 =  1,189,375,488
     * shared    58 x  44,040,192 x wb =  2,554,331,136 +   623,616 =  2,554,954,752
     * router    58 x 1,835,264 x 2                                 =    212,890,624
     * emb+head  2 x 926,679,040 x 2                                =  3,706,716,160
     * routed    58 x 256 x 44,040,192 x wb
     *         = 653,908,770,816 + 159,645,696                      = 654,068,416,512
     * weights                                                      = 673,149,561,764
     * KV  1 x 5120 x 70,272                                        =     359,792,640
     * act 1 x 1 x 2 x (4 x 7168 + 128 x (2 x 192 + 128)) = 2 x 94,208 = 188,416
     *   + 1 x 1 x 8 / 1 x (7168 + 7168/128 x 4 + 2 x 7168 + 2 x 2 x 2048 / 1)
     *   = 8 x (7168 + 224 + 14,336 + 8,192) = 8 x 29,920 = 239,360  -> 427,776
     *   (the receive-buffer term: dispatch FP8+scales, combine BF16, and the
     *    gate/up output 2 x 2048 / MOE_TP values in BF16)
     * reserve 4e9
     * physical = 673,149,561,764 + 359,792,640 + 427,776 + 4,000,000,000 = 677,509,782,180 */
    FX_CLOSE(r.dram_weights_bytes, 673149561764.0, TOL);
    FX_CLOSE(r.dram_kv_bytes, 359792640.0, TOL);
    FX_CLOSE(r.dram_act_bytes, 427776.0, TOL);
    FX_CLOSE(r.dram_reserve_bytes, 4.0e9, TOL);
    FX_CLOSE(r.dram_physical_bytes, 677509782180.0, TOL);
    FX_CLOSE(r.dram_bytes, 677509782180.0, TOL);
    FX_CLOSE(r.dram_capacity_bytes, 2000.0e9, TOL);
    /* seed: (non-expert 19,081,145,252 + routed 654,068,416,512) / 1 + 5120 x 70,272 x 1
     *     = 673,149,561,764 + 359,792,640 = 673,509,354,404 */
    FX_CLOSE(r.dram_seed_bytes, 673509354404.0, TOL);
}
END_TEST

/* ---- Batch 4 -------------------------------------------------------------- */

/* N = 1, Batch 4: b = 4, tok = 4, t_all = 4. */
static const exp_op decode_b4[] = {
    /* q_a+kv_a: FLOPs 2 x 4 x 7168 x 2112 = 121,110,528; x61 = 7,387,742,208
     * bytes 15,142,512 + 4 x 7168 + 4 x 2112 x 2 = 15,188,080; x61 = 926,472,880 */
    {"q_a+kv_a", SVP_OPG_ATTN, 61, 7387742208.0, 926472880.0, 7.387742208e-6, 463.23644e-6,
     463.23644e-6, SVP_BOUND_MEMORY},
    /* q_b: FLOPs 301,989,888; x61 = 18,421,383,168
     * bytes 37,757,952 + 4 x 1536 + 4 x 24576 x 2 = 37,960,704; x61 = 2,315,602,944 */
    {"q_b", SVP_OPG_ATTN, 61, 18421383168.0, 2315602944.0, 18.421383168e-6, 1157.801472e-6,
     1157.801472e-6, SVP_BOUND_MEMORY},
    /* absorb_uk = GEMM(512, 128, 512, 8,388,608): FLOPs 67,108,864; x61 = 4,093,640,704
     * bytes 8,390,656 + 512 x 128 + 512 x 512 x 2 = 8,980,480; x61 = 547,809,280 */
    {"absorb_uk", SVP_OPG_ATTN, 61, 4093640704.0, 547809280.0, 4.093640704e-6, 273.90464e-6,
     273.90464e-6, SVP_BOUND_MEMORY},
    /* attn_core: FLOPs 2 x 4 x 128 x 1088 x 4608 = 5,133,828,096; x61 = 313,163,513,856
     * bytes 4 x 4608 x 576 x 2 + 4 x 576 x 2 + 4 x 128 x 1088 x 2
     *     = 21,233,664 + 4,608 + 1,114,112 = 22,352,384; x61 = 1,363,495,424 */
    {"attn_core", SVP_OPG_ATTN, 61, 313163513856.0, 1363495424.0, 626.327027712e-6,
     681.747712e-6, 681.747712e-6, SVP_BOUND_MEMORY},
    /* absorb_uv: FLOPs 67,108,864; x61 = 4,093,640,704
     * bytes 8,390,656 + 512 x 512 + 512 x 128 x 2 = 8,783,872; x61 = 535,816,192 */
    {"absorb_uv", SVP_OPG_ATTN, 61, 4093640704.0, 535816192.0, 4.093640704e-6, 267.908096e-6,
     267.908096e-6, SVP_BOUND_MEMORY},
    /* o_proj: FLOPs 939,524,096; x61 = 57,310,969,856
     * bytes 117,469,184 + 4 x 16384 + 4 x 7168 x 2 = 117,592,064; x61 = 7,173,115,904 */
    {"o_proj", SVP_OPG_ATTN, 61, 57310969856.0, 7173115904.0, 57.310969856e-6, 3586.557952e-6,
     3586.557952e-6, SVP_BOUND_MEMORY},
    /* dense_gate_up: FLOPs 2,113,929,216; x3 = 6,341,787,648
     * bytes 264,305,664 + 28,672 + 294,912 = 264,629,248; x3 = 793,887,744 */
    {"dense_gate_up", SVP_OPG_FFN, 3, 6341787648.0, 793887744.0, 6.341787648e-6, 396.943872e-6,
     396.943872e-6, SVP_BOUND_MEMORY},
    /* dense_down: FLOPs 1,056,964,608; x3 = 3,170,893,824
     * bytes 132,152,832 + 73,728 + 57,344 = 132,283,904; x3 = 396,851,712 */
    {"dense_down", SVP_OPG_FFN, 3, 3170893824.0, 396851712.0, 3.170893824e-6, 198.425856e-6,
     198.425856e-6, SVP_BOUND_MEMORY},
    /* shared_gate_up: FLOPs 234,881,024; x58 = 13,623,099,392
     * bytes 29,367,296 + 28,672 + 32,768 = 29,428,736; x58 = 1,706,866,688 */
    {"shared_gate_up", SVP_OPG_FFN, 58, 13623099392.0, 1706866688.0, 13.623099392e-6,
     853.433344e-6, 853.433344e-6, SVP_BOUND_MEMORY},
    /* shared_down: FLOPs 117,440,512; x58 = 6,811,549,696
     * bytes 14,683,648 + 8,192 + 57,344 = 14,749,184; x58 = 855,452,672 */
    {"shared_down", SVP_OPG_FFN, 58, 6811549696.0, 855452672.0, 6.811549696e-6, 427.726336e-6,
     427.726336e-6, SVP_BOUND_MEMORY},
    /* router: FLOPs 14,680,064; x58 = 851,443,712
     * bytes 3,670,016 + 57,344 = 3,727,360; x58 = 216,186,880 */
    {"router", SVP_OPG_MOE, 58, 851443712.0, 216186880.0, 1.702887424e-6, 108.09344e-6,
     108.09344e-6, SVP_BOUND_MEMORY},
    /* copies = 4 x 8 = 32; p = 1 - (31/32)^4 = 125,055 / 1,048,576;
     * read = 256 p = 125,055 / 4096 = 30.531005859375 experts
     * expert_gate_up: FLOPs 2 x 32 x 7168 x 4096 = 1,879,048,192; x58 = 108,984,795,136
     * bytes 30.531005859375 x 29,360,128 (= 896,394,240) x wb (= 896,613,086.25)
     *     + 32 x 7168 (229,376) + 32 x 4096 x 2 (262,144) = 897,104,606.25;
     *     x58 = 52,032,067,162.5 -> 26,016.03358125 us */
    {"expert_gate_up", SVP_OPG_MOE, 58, 108984795136.0, 52032067162.5, 108.984795136e-6,
     26016.03358125e-6, 26016.03358125e-6, SVP_BOUND_MEMORY},
    /* expert_down: FLOPs 939,524,096; x58 = 54,492,397,568
     * bytes 30.531005859375 x 14,680,064 x wb (= 448,306,543.125) + 32 x 2048 + 32 x 7168 x 2
     *     = 448,306,543.125 + 65,536 + 458,752 = 448,830,831.125; x58 = 26,032,188,205.25 */
    {"expert_down", SVP_OPG_MOE, 58, 54492397568.0, 26032188205.25, 54.492397568e-6,
     13016.094102625e-6, 13016.094102625e-6, SVP_BOUND_MEMORY},
    /* lm_head: FLOPs 2 x 4 x 7168 x 129280 = 7,413,432,320
     * bytes 1,853,358,080 + 57,344 + 2,068,480 = 1,855,483,904 */
    {"lm_head", SVP_OPG_HEAD, 1, 7413432320.0, 1855483904.0, 14.82686464e-6, 927.741952e-6,
     927.741952e-6, SVP_BOUND_MEMORY},
};

START_TEST(test_decode_one_chip_batch4)
{
    svp_hw hw = fx_chip();
    svp_model m = fx_v3();
    svp_scenario sc = fx_decode(4096, 1024, 0.100);
    svp_opts o = svp_opts_default();
    svp_metrics r;
    svp_breakdown bd;
    eval_bd(&hw, &m, &sc, fx_cfg(4, 1, 1, 1, 1, 1), &o, &r, &bd);

    ck_assert_int_eq(r.reason, SVP_FEASIBLE);
    ck_assert_int_eq(r.batch_per_rank, 4);
    check_ops(&bd, decode_b4, (int)(sizeof decode_b4 / sizeof decode_b4[0]));
    /* sum of the t above = 48,375.648795875 us (all memory-bound) */
    FX_CLOSE(r.t_mem_s, 48375.648795875e-6, TOL);
    FX_CLOSE(r.t_memory_bound_s, 48375.648795875e-6, TOL);
    FX_CLOSE(r.t_compute_bound_s, 0.0, TOL);
    /* step = 48.375648795875 + 1.32 = 49.695648795875 ms */
    FX_CLOSE(r.step_s, 49.695648795875e-3, TOL);
    FX_CLOSE(r.tpot_s, 49.695648795875e-3, TOL);
    /* tps_per_chip = 4 / 0.049695648795875 / 1 = 80.4899... */
    FX_CLOSE(r.tps_per_chip, 4.0 / 49.695648795875e-3, TOL);
    FX_CLOSE(r.tps_per_user, 1.0 / 49.695648795875e-3, TOL);
    FX_CLOSE(r.share_memory, 1.0, TOL);
    ck_assert_int_eq(r.bottleneck, SVP_BOUND_MEMORY);
    /* DRAM: weights as Batch 1 (673,149,561,764); KV 4 x 5120 x 70,272 = 1,439,170,560;
     * act 4 x 188,416 + 4 x 239,360 = 1,711,104; + 4e9
     * = 678,590,443,428 */
    FX_CLOSE(r.dram_kv_bytes, 1439170560.0, TOL);
    FX_CLOSE(r.dram_act_bytes, 1711104.0, TOL);
    FX_CLOSE(r.dram_physical_bytes, 678590443428.0, TOL);
}
END_TEST

/* ---- seed DRAM formula ------------------------------------------------------ */

START_TEST(test_dram_seed_formula)
{
    svp_hw hw = fx_chip();
    svp_model m = fx_v3();
    svp_scenario sc = fx_decode(4096, 1024, 0.100);
    svp_opts o = svp_opts_default();
    svp_metrics r;
    /* decode 4096+1024, Batch 256, MLA_TP 2, MLA_DP 16, MOE_TP 1, MOE_EP 32: N = 32 */
    svp_config c = fx_cfg(256, 2, 16, 1, 32, 1);
    svp_eval(&hw, &m, &sc, &c, &o, &r, NULL);
    ck_assert_int_eq(r.has_metrics, 1);
    /* non-expert = 61 x 187,121,664 x wb (11,417,208,228) + 3 x 396,361,728 x wb
     *   (1,189,375,488) + 58 x 44,040,192 x wb (2,554,954,752) + router 212,890,624
     *   + emb/head BF16 3,706,716,160 = 19,081,145,252
     * routed = 58 x 256 x 44,040,192 x wb = 654,068,416,512
     * KV = 5120 x 70,272 x 256 = 92,106,915,840
     * seed = (19,081,145,252 + 654,068,416,512 + 92,106,915,840) / 32
     *      = 765,256,477,604 / 32 = 23,914,264,925.125 */
    FX_CLOSE(r.dram_seed_bytes, 23914264925.125, TOL);
    /* physical: b = 256 / 16 = 16, hl = 64
     * attention 61 x (15,155,200 + 171,966,464 / 2) x wb = 6,169,444,352 x wb = 6,170,950,564
     * dense 3 x 396,361,728 / 2 x wb = 594,687,744; shared 58 x 44,040,192 / 2 x wb = 1,277,477,376
     * router 212,890,624; emb/head 1,853,358,080 (BF16, / MLA_TP 2)
     * routed 58 x ceil(256/32) = 8 x 44,040,192 x wb = 20,434,649,088 x wb = 20,439,638,016
     * weights = 30,549,002,404
     * KV 16 x 5120 x 70,272 = 5,756,682,240
     * act 16 x 2 x (28,672 + 64 x 512) = 1,966,080 + 16 x 8 / 2 x 29,920 = 1,914,880 -> 3,880,960
     * physical = 30,549,002,404 + 5,756,682,240 + 3,880,960 + 4e9 = 40,309,565,604 */
    FX_CLOSE(r.dram_weights_bytes, 30549002404.0, TOL);
    FX_CLOSE(r.dram_physical_bytes, 40309565604.0, TOL);
    FX_CLOSE(r.dram_bytes, 40309565604.0, TOL);

    /* --memory-model seed: dram_bytes is the seed figure; a chip of 30 GB then
     * passes under seed and fails under physical, and each verdict names the
     * other model's. */
    o.memory_model = SVP_MEM_SEED;
    sc.max_tpot_s = 10.0;          /* no SLO failure in the way */
    hw.dram_bytes = 30.0 * SVP_GB;
    svp_eval(&hw, &m, &sc, &c, &o, &r, NULL);
    FX_CLOSE(r.dram_bytes, 23914264925.125, TOL);
    ck_assert_int_eq(r.reason, SVP_FEASIBLE);
    ck_assert_int_eq(r.reason_other_memory_model, SVP_INF_DRAM);
    o.memory_model = SVP_MEM_PHYSICAL;
    svp_eval(&hw, &m, &sc, &c, &o, &r, NULL);
    ck_assert_int_eq(r.reason, SVP_INF_DRAM);
    ck_assert_int_eq(r.reason_other_memory_model, SVP_FEASIBLE);
    ck_assert_int_eq(r.has_metrics, 1);
}
END_TEST

/* ---- prefill with TP 8, SP 2 across two domains ---------------------------- */

START_TEST(test_prefill_tp_sp_ep)
{
    svp_hw hw = fx_chip();
    svp_model m = fx_v3();
    svp_scenario sc = fx_prefill(4096, 3.0);
    svp_opts o = svp_opts_default();
    svp_metrics r;
    svp_breakdown bd;
    /* Batch 2, MLA_TP 8, MLA_DP 2, MOE_TP 1, MOE_EP 16, SP 2: N = 16 ranks over
     * two 8-chip domains.  b = 1, tok = 4096, t_all = 8192, hl = 16. */
    eval_bd(&hw, &m, &sc, fx_cfg(2, 8, 2, 1, 16, 2), &o, &r, &bd);
    ck_assert_int_eq(r.reason, SVP_FEASIBLE);
    ck_assert_int_eq(r.n_ranks, 16);

    /* q_a+kv_a split over SP: GEMM(4096 / 2 = 2048, 7168, 2112, 15,138,816)
     * FLOPs 2 x 2048 x 7168 x 2112 = 62,008,590,336; x61 = 3,782,524,010,496
     * bytes 15,142,512 + 2048 x 7168 (14,680,064) + 2048 x 2112 x 2 (8,650,752)
     *     = 38,473,328; x61 = 2,346,873,008
     * t = 62.008590336 us (compute-bound; memory 19.236664 us); x61 = 3.782524010496 ms */
    const svp_op_rec *qa = fx_op(&bd, "q_a+kv_a");
    ck_assert_ptr_nonnull(qa);
    ck_assert_int_eq(qa->count, 61);
    FX_CLOSE(qa->flops, 3782524010496.0, TOL);
    FX_CLOSE(qa->bytes, 2346873008.0, TOL);
    FX_CLOSE(qa->t_s, 3782.524010496e-6, TOL);
    ck_assert_int_eq(qa->bound, SVP_BOUND_COMPUTE);

    /* TP AllReduce (ring, n = 8) of tok x h x 2 = 4096 x 7168 x 2 = 58,720,256 bytes:
     * sent = 2 x 7/8 x 58,720,256 = 102,760,448; t = 10 us + 102,760,448 / 2e11
     * = 10 + 513.80224 = 523.80224 us.  Two per layer (after o_proj and after
     * the dense FFN / shared expert): 122 per step -> 63.90387328 ms,
     * 12,536,774,656 bytes sent. */
    const svp_op_rec *ar = fx_op(&bd, "tp_allreduce");
    ck_assert_ptr_nonnull(ar);
    ck_assert_int_eq(ar->group, SVP_OPG_COMM);
    ck_assert_int_eq(ar->bound, SVP_BOUND_COMM);
    FX_CLOSE(ar->bytes, 12536774656.0, TOL);
    FX_CLOSE(ar->t_s, 63903.87328e-6, TOL);
    FX_CLOSE(r.t_tp_comm_s, 63903.87328e-6, TOL);

    /* EP, normal kernels: src = 4096 / 8 = 512, c = 512 x 8 = 4096 copies,
     * f_self = 1/16, D = 8, N = 16 -> nodes = 2, reach = min(2, 4) = 2,
     * out_copies = 512 x 2 x (2-1)/2 = 512, up_copies = 4096 x 15/16 = 3840.
     * dispatch size 7168 + 7168/128 x 4 = 7392:
     *   up 3840 x 7392 / 2e11 = 141.9264 us; out 512 x 7392 / 2.5e10 = 151.38816 us
     *   t = 10 + 151.38816 = 161.38816 us; x58 = 9.36051328 ms;
     *   bytes (3840 + 512) x 7392 = 32,169,984; x58 = 1,865,859,072
     * combine size 14,336:
     *   up 3840 x 14336 / 2e11 = 275.2512 us; out 512 x 14336 / 2.5e10 = 293.60128 us
     *   t = 303.60128 us; x58 = 17.60887424 ms;
     *   bytes 4352 x 14336 = 62,390,272; x58 = 3,618,635,776 */
    const svp_op_rec *dis = fx_op(&bd, "ep_dispatch");
    const svp_op_rec *com = fx_op(&bd, "ep_combine");
    ck_assert_ptr_nonnull(dis);
    ck_assert_ptr_nonnull(com);
    ck_assert_int_eq(dis->count, 58);
    ck_assert_int_eq(com->count, 58);
    FX_CLOSE(dis->t_s, 9360.51328e-6, TOL);
    FX_CLOSE(dis->bytes, 1865859072.0, TOL);
    FX_CLOSE(com->t_s, 17608.87424e-6, TOL);
    FX_CLOSE(com->bytes, 3618635776.0, TOL);
    FX_CLOSE(r.t_ep_comm_s, (9360.51328 + 17608.87424) * 1e-6, TOL);
    FX_CLOSE(r.t_moe_tp_comm_s, 0.0, TOL);
    ck_assert_ptr_null(fx_op(&bd, "moe_tp_allgather"));
    /* T_comm = 63.90387328 + 9.36051328 + 17.60887424 = 90.8732608 ms */
    FX_CLOSE(r.t_comm_s, 90873.2608e-6, TOL);

    /* Per-instance operator times (us):
     * MLA: q_a+kv_a 62.008590336 (C), q_b GEMM(4096,1536,16x192=3072): 38.654705664 (C),
     *   kv_b GEMM(4096,512,16x256=4096): max(17.179869184, 18.874624) = 18.874624 (M),
     *   attn_core 1 x 16 x 320 x 4096^2 = 85,899,345,920 FLOPs / 5e14 = 171.79869184 (C),
     *   o_proj GEMM(4096,2048,7168): 120.259084288 (C)
     * dense FFN (F/8 = 2304): gate_up GEMM(4096,7168,4608) 270.582939648 (C),
     *   down GEMM(4096,2304,7168) 135.291469824 (C)
     * shared (2048/8 = 256): gate_up GEMM(4096,7168,512) 30.064771072 (C),
     *   down GEMM(4096,256,7168): bytes 1,835,456 + 1,048,576 + 58,720,256 = 61,604,288
     *   -> 30.802144 (M)
     * router: 2 x 4096 x 7168 x 256 / 5e14 = 30.064771072; bytes 3,670,016 + 58,720,256
     *   -> 31.195136 (M)
     * experts: copies = 8192 x 8 / 16 = 4096, local 16, p = 1 - (31/32)^8192 (= 1 to
     *   1e-113), read 16: gate_up bytes 16 x 29,367,296 + 4096 x 7168 + 4096 x 8192
     *   = 532,791,296 -> 266.395648 (M); down 16 x 14,683,648 + 4096 x 2048
     *   + 4096 x 14,336 = 302,047,232 -> 151.023616 (M)
     * lm_head (rows = 1 prompt): bytes 7168 x 16160 x 2 + 14,336 + 64,640 = 231,748,736
     *   -> 115.874368 (M)
     * dense layer c = 62.008590336 + 38.654705664 + 18.874624 + 171.79869184
     *   + 120.259084288 + 270.582939648 + 135.291469824 = 817.4701056, m = 2 x 523.80224
     *   = 1047.60448
     * MoE layer c = 62.008590336 + 38.654705664 + 18.874624 + 171.79869184
     *   + 120.259084288 + 30.064771072 + 30.802144 + 31.195136 + 266.395648 + 151.023616
     *   = 921.0770112, m = 1047.60448 + 161.38816 + 303.60128 = 1512.59392
     * step = 3 x 1865.0745856 + 58 x 2433.6709312 + 115.874368 + 1320
     *      = 5595.2237568 + 141152.9140096 + 115.874368 + 1320 = 148,184.0121344 us */
    FX_CLOSE(r.step_s, 148184.0121344e-6, TOL);
    FX_CLOSE(r.ftl_s, 148184.0121344e-6, TOL);
    /* throughput = 2 x 4096 / 0.1481840121344 / 16 chips = 3455.16... */
    FX_CLOSE(r.tps_per_chip, 2.0 * 4096.0 / 148184.0121344e-6 / 16.0, TOL);
    FX_CLOSE(r.n_chips, 16.0, TOL);
    /* compute-bound = 3 x (62.008590336 + 38.654705664 + 171.79869184 + 120.259084288
     *   + 270.582939648 + 135.291469824) + 58 x (62.008590336 + 38.654705664
     *   + 171.79869184 + 120.259084288 + 30.064771072)
     *   = 3 x 798.5954816 + 58 x 422.7858432 = 2395.7864448 + 24521.5789056 = 26,917.3653504 us
     * memory-bound = 3 x 18.874624 + 58 x (18.874624 + 30.802144 + 31.195136 + 266.395648
     *   + 151.023616) + 115.874368 = 56.623872 + 28,900.887744 + 115.874368 = 29,073.385984 us
     * exposed comm (no TBO) = all of it = 90,873.2608 us */
    FX_CLOSE(r.t_compute_bound_s, 26917.3653504e-6, TOL);
    FX_CLOSE(r.t_memory_bound_s, 29073.385984e-6, TOL);
    FX_CLOSE(r.t_comm_exposed_s, 90873.2608e-6, TOL);
    /* shares over 146,864.0121344 us */
    FX_CLOSE(r.share_compute, 26917.3653504 / 146864.0121344, TOL);
    FX_CLOSE(r.share_memory, 29073.385984 / 146864.0121344, TOL);
    FX_CLOSE(r.share_comm, 90873.2608 / 146864.0121344, TOL);
    ck_assert_int_eq(r.bottleneck, SVP_BOUND_COMM);
    /* T_comp = 3 x (62.008590336 + 38.654705664 + 17.179869184 + 171.79869184
     *   + 120.259084288 + 270.582939648 + 135.291469824) + 58 x (62.008590336
     *   + 38.654705664 + 17.179869184 + 171.79869184 + 120.259084288 + 30.064771072
     *   + 15.032385536 + 30.064771072 + 240.518168576 + 120.259084288) + 0.46333952
     *   = 3 x 815.775350784 + 58 x 845.840121856 + 0.46333952 = 51,506.51645952 us
     * T_mem = 3 x (19.236664 + 18.088512 + 18.874624 + 44.302336 + 40.896256
     *   + 50.073536 + 42.338272) + 58 x (19.236664 + 18.088512 + 18.874624
     *   + 44.302336 + 40.896256 + 18.612672 + 30.802144 + 31.195136 + 266.395648
     *   + 151.023616) + 115.874368 = 701.4306 + 37,086.801264 + 115.874368 = 37,904.106232 us */
    FX_CLOSE(r.t_comp_s, 51506.51645952e-6, TOL);
    FX_CLOSE(r.t_mem_s, 37904.106232e-6, TOL);

    /* Global roofline: max(51.50651645952, 37.904106232) + 90.8732608 + 1.32
     * = 143.69977725952 ms (below the per-op 148.18 ms). */
    o.roofline = SVP_ROOF_GLOBAL;
    svp_eval(&hw, &m, &sc, &(svp_config){2, 8, 2, 1, 16, 2}, &o, &r, NULL);
    FX_CLOSE(r.step_s, 143699.77725952e-6, TOL);
    FX_CLOSE(r.t_comp_s, 51506.51645952e-6, TOL);
    FX_CLOSE(r.t_mem_s, 37904.106232e-6, TOL);
    FX_CLOSE(r.t_comm_s, 90873.2608e-6, TOL);
}
END_TEST

/* ---- EP and MOE_TP collectives on more domains ------------------------------- */

START_TEST(test_ep_and_moe_tp_comm)
{
    svp_hw hw = fx_chip();
    svp_model m = fx_v3();
    svp_opts o = svp_opts_default();
    svp_metrics r;
    svp_breakdown bd;

    /* Prefill, N = 64 ranks over 8 domains: MLA_TP 8, MLA_DP 8, MOE_EP 64,
     * Batch 8 (b = 1, tok = 4096).  src = 4096 / 8 = 512, c = 4096,
     * f_self = 1/64; nodes = 8, reach = min(8, 4) = 4 (routing limit),
     * out_copies = 512 x 4 x 7/8 = 1792, up_copies = 4096 x 63/64 = 4032.
     * dispatch (7392 B): up 4032 x 7392 / 2e11 = 149.02272 us,
     *   out 1792 x 7392 / 2.5e10 = 529.85856 us -> 539.85856 us; x58 = 31,311.79648 us
     *   bytes (4032 + 1792) x 7392 = 43,051,008; x58 = 2,496,958,464
     * combine (14,336 B): up 289.01376 us, out 1792 x 14336 / 2.5e10 = 1027.60448 us
     *   -> 1037.60448 us; x58 = 60,181.05984 us; bytes 5824 x 14336 x 58 = 4,842,586,112 */
    svp_scenario pf = fx_prefill(4096, 10.0);
    svp_eval(&hw, &m, &pf, &(svp_config){8, 8, 8, 1, 64, 1}, &o, &r, &bd);
    ck_assert_int_eq(r.has_metrics, 1);
    FX_CLOSE(fx_op(&bd, "ep_dispatch")->t_s, 31311.79648e-6, TOL);
    FX_CLOSE(fx_op(&bd, "ep_dispatch")->bytes, 2496958464.0, TOL);
    FX_CLOSE(fx_op(&bd, "ep_combine")->t_s, 60181.05984e-6, TOL);
    FX_CLOSE(fx_op(&bd, "ep_combine")->bytes, 4842586112.0, TOL);

    /* Decode (low-latency kernels), same layout, Batch 64: b = 8, tok = 8,
     * src = 8 / 8 = 1, c = 8; in_dom = 8/64 = 1/8, f_out = 7/8,
     * f_up = 1/8 - 1/64 = 7/64: up_copies 0.875, out_copies 7.
     * dispatch: up 0.875 x 7392 / 2e11 = 0.03234 us, out 7 x 7392 / 2.5e10
     *   = 2.06976 us -> 12.06976 us; x58 = 700.04608 us; bytes 7.875 x 7392 x 58 = 3,376,296
     * combine: up 0.06272 us, out 7 x 14336 / 2.5e10 = 4.01408 us -> 14.01408 us;
     *   x58 = 812.81664 us; bytes 7.875 x 14336 x 58 = 6,547,968 */
    svp_scenario dec = fx_decode(4096, 1024, 10.0);
    svp_eval(&hw, &m, &dec, &(svp_config){64, 8, 8, 1, 64, 1}, &o, &r, &bd);
    ck_assert_int_eq(r.has_metrics, 1);
    FX_CLOSE(fx_op(&bd, "ep_dispatch")->t_s, 700.04608e-6, TOL);
    FX_CLOSE(fx_op(&bd, "ep_dispatch")->bytes, 3376296.0, TOL);
    FX_CLOSE(fx_op(&bd, "ep_combine")->t_s, 812.81664e-6, TOL);
    FX_CLOSE(fx_op(&bd, "ep_combine")->bytes, 6547968.0, TOL);
    FX_CLOSE(r.t_ep_comm_s, (700.04608 + 812.81664) * 1e-6, TOL);

    /* Decode, MLA_DP 16, MOE_TP 2, MOE_EP 8, Batch 16 (N = 16, two domains):
     * b = 1, t_all = 16, copies per EP group = 16 x 8 / 8 = 16.
     * AllGather sent = 1/2 x 16 x 7392 = 59,136 -> 10 + 0.29568 = 10.29568 us;
     * ReduceScatter sent = 1/2 x 16 x 14336 = 114,688 -> 10 + 0.57344 = 10.57344 us;
     * x58: 597.14944 us and 613.25952 us, t_moe_tp = 1210.40896 us.
     * EP: src = 1, c = 8, f_self = 1/8, in_dom = 8/16, f_out = 1/2, f_up = 3/8:
     * up 3, out 4; dispatch 10 + max(3 x 7392 / 2e11, 4 x 7392 / 2.5e10 = 1.18272)
     * = 11.18272 us; combine 10 + 4 x 14336 / 2.5e10 (2.29376) = 12.29376 us;
     * x58 -> (11.18272 + 12.29376) x 58 = 1361.63584 us */
    svp_eval(&hw, &m, &dec, &(svp_config){16, 1, 16, 2, 8, 1}, &o, &r, &bd);
    ck_assert_int_eq(r.has_metrics, 1);
    const svp_op_rec *ag = fx_op(&bd, "moe_tp_allgather");
    const svp_op_rec *rs = fx_op(&bd, "moe_tp_reducescatter");
    ck_assert_ptr_nonnull(ag);
    ck_assert_ptr_nonnull(rs);
    FX_CLOSE(ag->t_s, 597.14944e-6, TOL);
    FX_CLOSE(ag->bytes, 58.0 * 59136.0, TOL);
    FX_CLOSE(rs->t_s, 613.25952e-6, TOL);
    FX_CLOSE(rs->bytes, 58.0 * 114688.0, TOL);
    FX_CLOSE(r.t_moe_tp_comm_s, 1210.40896e-6, TOL);
    FX_CLOSE(r.t_ep_comm_s, 1361.63584e-6, TOL);
    /* MLA_TP 1: no TP AllReduce */
    ck_assert_ptr_null(fx_op(&bd, "tp_allreduce"));
    FX_CLOSE(r.t_tp_comm_s, 0.0, TOL);
    /* MOE_TP 2 halves each expert: expert_gate_up FLOPs = 2 x 16 x 7168 x 2 x 1024
     * = 469,762,048 per layer; x58 = 27,246,198,784 */
    FX_CLOSE(fx_op(&bd, "expert_gate_up")->flops, 27246198784.0, TOL);
    /* Weights read: the whole instance's t_all = 16 tokens pick experts, not this
     * rank's 1: p = 1 - (31/32)^16 = 0.39828969656792..., local = 256 / 8 = 32,
     * read = 32 p = 12.745270290173686 experts;
     * bytes = read x 7168 x 2048 x wb + 16 x 7168 + 16 x 2048 x 2
     *       = 187,327,286.60576826 per layer; x58 = 10,864,982,623.13456 */
    FX_CLOSE(fx_op(&bd, "expert_gate_up")->bytes, 10864982623.13456, TOL);
}
END_TEST

/* ---- global roofline on the one-chip case ---------------------------------- */

START_TEST(test_global_roofline_one_chip)
{
    svp_hw hw = fx_chip();
    svp_model m = fx_v3();
    svp_scenario sc = fx_decode(4096, 1024, 0.100);
    svp_opts o = svp_opts_default();
    o.roofline = SVP_ROOF_GLOBAL;
    svp_metrics r;
    svp_eval(&hw, &m, &sc, &(svp_config){1, 1, 1, 1, 1, 1}, &o, &r, NULL);
    /* max(T_comp 231.89716992 us, T_mem 19,023.098072 us) + T_comm 0 + 1.32 ms
     * = 20.343098072 ms: every operator is memory-bound, so equal to per-op. */
    FX_CLOSE(r.step_s, 20.343098072e-3, TOL);
    /* A compute-heavy chip variant: bf16 10 TFLOPS, fp8 20 TFLOPS (rates / 100):
     * T_comp = 23,189.716992 us, T_mem unchanged 19,023.098072 us.
     * global = 23.189716992 + 1.32 = 24.509716992 ms.  Per-op is larger: it sums
     * max(tc, tm) per operator. */
    hw.peak_flops[SVP_DT_BF16] = 10.0 * SVP_TFLOPS;
    hw.peak_flops[SVP_DT_FP8] = 20.0 * SVP_TFLOPS;
    svp_eval(&hw, &m, &sc, &(svp_config){1, 1, 1, 1, 1, 1}, &o, &r, NULL);
    FX_CLOSE(r.t_comp_s, 23189.716992e-6, TOL);
    FX_CLOSE(r.step_s, 24509.716992e-6, TOL);
    double global = r.step_s;
    o.roofline = SVP_ROOF_PER_OP;
    svp_eval(&hw, &m, &sc, &(svp_config){1, 1, 1, 1, 1, 1}, &o, &r, NULL);
    ck_assert_msg(r.step_s > global, "per-op %.9g must exceed global %.9g", r.step_s, global);
    /* per-op at rates / 100: attn_core becomes compute-bound (15,658.1756928 us vs
     * 170.436928), the others stay memory-bound except where 100 x tc > tm:
     * q_a+kv_a 184.6935552 < 462.194072 (M); q_b 460.5345792 < 1153.16352 (M);
     * absorb_uk 102.3410176 < 260.412416 (M); absorb_uv 102.3410176 < 258.91328 (M);
     * o_proj 1432.7742464 < 3583.747072 (M); dense_gate_up 158.5446912 < 396.57984 (M);
     * dense_down 79.2723456 < 198.2784 (M); shared_gate_up 340.5774848 < 852.097024 (M);
     * shared_down 170.2887424 < 426.300928 (M); router 42.5721856 < 106.846208 (M);
     * expert_gate_up 2724.6198784 < 6816.776192 (M); expert_down 1362.3099392
     * < 3410.407424 (M); lm_head 370.671616 < 926.944768 (M)
     * sum = 19,023.098072 - 170.436928 + 15,658.1756928 = 34,510.8368368 us
     * step = 34.5108368368 + 1.32 = 35.8308368368 ms */
    FX_CLOSE(r.step_s, 35830.8368368e-6, TOL);
    FX_CLOSE(r.t_compute_bound_s, 15658.1756928e-6, TOL);
    /* memory-bound = 19,023.098072 - 170.436928 = 18,852.661144 us > compute-bound */
    FX_CLOSE(r.t_memory_bound_s, 18852.661144e-6, TOL);
    ck_assert_int_eq(r.bottleneck, SVP_BOUND_MEMORY);
}
END_TEST

/* ---- a two-rank package ---------------------------------------------------- */

/* The fixture chip as a 2-die package: every package figure doubled, 2 ranks
 * per chip, 4 packages per domain (8 ranks, as before).  Per rank it is the
 * fixture chip exactly. */
static svp_hw chip_two_ranks(void)
{
    svp_hw hw = fx_chip();
    for (int d = 0; d < SVP_DT_COUNT; d++)
        hw.peak_flops[d] *= 2.0;
    hw.hbm_bytes_per_s *= 2.0;
    hw.c2c_bytes_per_s *= 2.0;
    hw.a2a_bytes_per_s *= 2.0;
    hw.dram_bytes *= 2.0;
    hw.reserve_bytes *= 2.0;
    hw.ranks_per_chip = 2;
    hw.chips_per_domain = 4;
    return hw;
}

START_TEST(test_two_rank_package)
{
    svp_hw hw1 = fx_chip(), hw2 = chip_two_ranks();
    svp_model m = fx_v3();
    svp_scenario sc = fx_decode(4096, 1024, 0.100);
    svp_opts o = svp_opts_default();
    svp_metrics r1, r2;

    /* One rank of a 2-rank package: n_chips = 1/2, step as the one-chip
     * case 20.343098072 ms, tps_per_chip = 1 / 0.020343098072 / 0.5 = 98.31...,
     * DRAM per package = 2 x 677,509,782,180 = 1,355,019,564,360 (reserve
     * 8 GB per package = 4 GB per rank). */
    svp_eval(&hw2, &m, &sc, &(svp_config){1, 1, 1, 1, 1, 1}, &o, &r2, NULL);
    ck_assert_int_eq(r2.reason, SVP_FEASIBLE);
    FX_CLOSE(r2.n_chips, 0.5, TOL);
    FX_CLOSE(r2.step_s, 20.343098072e-3, TOL);
    FX_CLOSE(r2.tps_per_chip, 2.0 / 20.343098072e-3, TOL);
    FX_CLOSE(r2.cluster_tps, 1.0 / 20.343098072e-3, TOL);
    FX_CLOSE(r2.dram_physical_bytes, 2.0 * 677509782180.0, TOL);
    FX_CLOSE(r2.dram_reserve_bytes, 8.0e9, TOL);
    FX_CLOSE(r2.dram_capacity_bytes, 4000.0e9, TOL);

    /* N = 16 ranks (MLA_TP 2, MLA_DP 8, MOE_EP 16, Batch 64) over two domains:
     * identical per rank, so the same step; 8 packages instead of 16 chips. */
    svp_config c = fx_cfg(64, 2, 8, 1, 16, 1);
    svp_eval(&hw1, &m, &sc, &c, &o, &r1, NULL);
    svp_eval(&hw2, &m, &sc, &c, &o, &r2, NULL);
    ck_assert_int_eq(r1.has_metrics, 1);
    ck_assert_int_eq(r2.has_metrics, 1);
    FX_CLOSE(r1.n_chips, 16.0, TOL);
    FX_CLOSE(r2.n_chips, 8.0, TOL);
    FX_CLOSE(r2.step_s, r1.step_s, TOL);
    FX_CLOSE(r2.tps_per_chip, 2.0 * r1.tps_per_chip, TOL);
    FX_CLOSE(r2.cluster_tps, r1.cluster_tps, TOL);
    FX_CLOSE(r2.dram_physical_bytes, 2.0 * r1.dram_physical_bytes, TOL);
    FX_CLOSE(r2.dram_seed_bytes, 2.0 * r1.dram_seed_bytes, TOL);
    FX_CLOSE(r2.dram_weights_bytes, 2.0 * r1.dram_weights_bytes, TOL);
    FX_CLOSE(r2.dram_kv_bytes, 2.0 * r1.dram_kv_bytes, TOL);
}
END_TEST

/* ---- MTP ----------------------------------------------------------------- */

START_TEST(test_mtp)
{
    svp_hw hw = fx_chip();
    svp_model m = fx_v3();
    svp_scenario sc = fx_decode(4096, 1024, 0.100);
    svp_opts o = svp_opts_default();
    o.mtp_draft = 1;
    o.mtp_accept = 1.7;
    svp_metrics r;
    svp_breakdown bd;
    eval_bd(&hw, &m, &sc, fx_cfg(1, 1, 1, 1, 1, 1), &o, &r, &bd);
    ck_assert_int_eq(r.reason, SVP_FEASIBLE);

    /* attn_core: 61 main layers with q = 2 query tokens and 1 MTP pass with 1:
     * FLOPs (61 x 2 + 1) x 1,283,457,024 = 157,865,213,952;
     * bytes: the cache is read once per layer whatever q is:
     *   61 x (4608 x 576 x 2 + 2 x 576 x 2 + 2 x 128 x 1088 x 2)
     *   = 61 x (5,308,416 + 2,304 + 557,056) = 61 x 5,867,776 = 357,934,336
     *   + 1 x 5,588,096 (MTP pass, as Batch 1) = 363,522,432
     *   (a cache read per query token would give 61 x 2 x 5,308,416 more) */
    const svp_op_rec *ac = fx_op(&bd, "attn_core");
    ck_assert_ptr_nonnull(ac);
    ck_assert_int_eq(ac->count, 62);
    FX_CLOSE(ac->flops, 157865213952.0, TOL);
    FX_CLOSE(ac->bytes, 363522432.0, TOL);
    /* Main-layer attn_core is now compute-bound:
     * 2 x 2 x 128 x 1088 x 4608 / 5e14 = 5.133828096 us > 5,867,776 / 2e12 = 2.933888 us
     * while the MTP pass's stays memory-bound (2.566914048 < 2.794048 us):
     * compute-bound time = 61 x 5.133828096 = 313.163513856 us exactly. */
    FX_CLOSE(r.t_compute_bound_s, 313.163513856e-6, TOL);

    /* Counts: q_a+kv_a 61 + 1, lm_head 1 + 1, one eh_proj, routed experts 58 + 1. */
    ck_assert_int_eq(fx_op(&bd, "q_a+kv_a")->count, 62);
    ck_assert_int_eq(fx_op(&bd, "lm_head")->count, 2);
    ck_assert_int_eq(fx_op(&bd, "expert_gate_up")->count, 59);
    const svp_op_rec *eh = fx_op(&bd, "mtp_eh_proj");
    ck_assert_ptr_nonnull(eh);
    ck_assert_int_eq(eh->count, 1);
    ck_assert_int_eq(eh->group, SVP_OPG_MTP);
    /* eh_proj = GEMM(1, 14336, 7168, 102,760,448): FLOPs 205,520,896;
     * bytes 102,785,536 + 14,336 + 14,336 = 102,814,208 */
    FX_CLOSE(eh->flops, 205520896.0, TOL);
    FX_CLOSE(eh->bytes, 102814208.0, TOL);
    /* lm_head: main rows = tok = 2 (FLOPs 3,706,716,160) + MTP rows = 1
     * (1,853,358,080) = 5,560,074,240 */
    FX_CLOSE(fx_op(&bd, "lm_head")->flops, 5560074240.0, TOL);

    /* Overhead 20 us x (61 + 1) + 100 us = 1.34 ms.
     * Layer kinds, sum of max(tc, tm) per operator in us (tok = 2, t_all = 2):
     *   MLA: q_a+kv_a 15,165,296 B -> 7.582648; q_b 37,859,328 B -> 18.929664;
     *     absorb_uk (256 rows) 8,685,568 B -> 4.342784; attn_core 5.133828096 (C);
     *     absorb_uv 8,587,264 B -> 4.293632; o_proj 117,530,624 B -> 58.765312
     *     -> MLA sum 99.047868096
     *   dense (x3): MLA + gate_up 264,467,456 B -> 132.233728
     *     + down 132,218,368 B -> 66.109184 = 297.390780096
     *   MoE (x58): MLA + shared 14.699008 + 7.358208 + router 1.849344
     *     + experts (p = 1 - (31/32)^2 = 63/1024, read 15.75, copies 16):
     *       gate_up 15.75 x 29,367,296 + 16 x 7168 + 16 x 8192 = 462,780,672 B -> 231.390336
     *       down 15.75 x 14,683,648 + 16 x 2048 + 16 x 14,336 = 231,529,600 B -> 115.7648
     *     = 470.109564096
     *   head (rows 2): 1,853,358,080 + 28,672 + 1,034,240 = 1,854,420,992 B -> 927.210496
     *   MTP pass (reqs = tok = 1, t_all = 1): eh_proj 51.407104 + the Batch 1
     *     MLA (7.576952 + 18.90432 + 4.269056 + 2.794048 + 4.24448 + 58.749952)
     *     + shared 14.691328 + 7.350016 + router 1.842176 + experts 117.530624
     *     + 58.800128 + lm_head 926.944768 = 1275.104952
     * step = 3 x 297.390780096 + 58 x 470.109564096 + 927.210496 + 1275.104952 + 1340
     *      = 892.172340288 + 27,266.354717568 + 927.210496 + 1275.104952 + 1340
     *      = 31,700.842505856 us */
    FX_CLOSE(r.t_overhead_s, 1.34e-3, TOL);
    FX_CLOSE(r.step_s, 31700.842505856e-6, TOL);
    /* TPOT = step / 1.7; tps_per_chip = Batch 1 x 1.7 / step / 1 chip */
    FX_CLOSE(r.tokens_per_request_step, 1.7, TOL);
    FX_CLOSE(r.tpot_s, r.step_s / 1.7, TOL);
    FX_CLOSE(r.tpot_s, 31700.842505856e-6 / 1.7, TOL);
    FX_CLOSE(r.tps_per_user, 1.7 / 31700.842505856e-6, TOL);
    FX_CLOSE(r.tps_per_chip, 1.7 / 31700.842505856e-6, TOL);

    /* DRAM with the MTP module (62 layers of attention and KV, 59 MoE layers):
     * attention 62 x 187,121,664 x wb = 11,604,375,576; dense 1,189,375,488;
     * shared 59 x 44,040,192 x wb = 2,599,005,696; router 59 x 1,835,264 x 2
     * = 216,561,152; emb/head 3,706,716,160; eh_proj 2 x 7168^2 x wb = 102,785,536;
     * routed 59 x 256 x 44,040,192 x wb = 665,345,458,176 -> 684,764,277,784
     * KV 1 x 5120 x 71,424 = 365,690,880
     * act 2 x 188,416 + 2 x 239,360 = 855,552; reserve 4e9
     * physical = 689,130,824,216 */
    FX_CLOSE(r.dram_weights_bytes, 684764277784.0, TOL);
    FX_CLOSE(r.dram_kv_bytes, 365690880.0, TOL);
    FX_CLOSE(r.dram_physical_bytes, 689130824216.0, TOL);

    /* MTP with MLA_DP 4, MOE_EP 4, Batch 8 (N = 4, b = 2): the main layers see
     * t_all = 8 x 2 = 16 tokens, the MTP pass t_all = Batch = 8 (one draft token
     * per request of the whole instance, not of this rank).
     * main: copies = 16 x 8 / 4 = 32, local 64, p = 1 - (31/32)^16 = 0.398289696...,
     *   read = 64 p = 25.49054058034737;
     *   gate_up bytes = read x 29,360,128 x wb + 32 x 7168 + 32 x 8192 = 749,079,770.423073
     * MTP: copies = 8 x 8 / 4 = 16, p = 1 - (31/32)^8 = 0.224300120..., read 14.355207696498837;
     *   bytes = read x 29,367,296 + 16 x 7168 + 16 x 8192 = 421,819,393.5645595
     * total = 58 x 749,079,770.423073 + 421,819,393.5645595 = 43,868,446,078.10279;
     * FLOPs = 58 x 2 x 32 x 7168 x 4096 + 2 x 16 x 7168 x 4096 = 109,924,319,232 */
    {
        svp_metrics r4;
        svp_breakdown bd4;
        eval_bd(&hw, &m, &sc, fx_cfg(8, 1, 4, 1, 4, 1), &o, &r4, &bd4);
        ck_assert_int_eq(r4.has_metrics, 1);
        FX_CLOSE(fx_op(&bd4, "expert_gate_up")->bytes, 43868446078.10279, TOL);
        FX_CLOSE(fx_op(&bd4, "expert_gate_up")->flops, 109924319232.0, TOL);
    }

    /* In prefill MTP does nothing (decode only). */
    svp_scenario pf = fx_prefill(1024, 3.0);
    svp_metrics a, b;
    svp_opts o0 = svp_opts_default();
    svp_eval(&hw, &m, &pf, &(svp_config){1, 1, 1, 1, 1, 1}, &o, &a, NULL);
    svp_eval(&hw, &m, &pf, &(svp_config){1, 1, 1, 1, 1, 1}, &o0, &b, NULL);
    FX_CLOSE(a.step_s, b.step_s, TOL);
    FX_CLOSE(a.tps_per_chip, b.tps_per_chip, TOL);
}
END_TEST

/* ---- TBO ------------------------------------------------------------------- */

START_TEST(test_tbo_one_chip_exact)
{
    svp_hw hw = fx_chip();
    svp_model m = fx_v3();
    svp_scenario sc = fx_decode(4096, 1024, 0.100);
    svp_opts o = svp_opts_default();
    o.tbo = SVP_TBO_ON;
    svp_metrics r;
    svp_breakdown bd;
    /* Batch 2 on one chip, TBO on: b = 2 -> two micro-batches of reqs = 1,
     * tok = 1, t_all = 2 x 1 / 2 = 1 -- each micro-batch is exactly the Batch 1
     * step of decode_b1 (19,023.098072 us of operators, no communication).
     * Layer time max(2c, 2m) = 2c; fill min(c, 0) = 0;
     * overhead 20 us x 61 x 2 + 100 us = 2.54 ms.
     * step = 2 x 19.023098072 + 2.54 = 40.586196144 ms; tps = 2 / step */
    eval_bd(&hw, &m, &sc, fx_cfg(2, 1, 1, 1, 1, 1), &o, &r, &bd);
    ck_assert_int_eq(r.tbo_used, 1);
    FX_CLOSE(r.t_overhead_s, 2.54e-3, TOL);
    FX_CLOSE(r.step_s, 40.586196144e-3, TOL);
    FX_CLOSE(r.tps_per_chip, 2.0 / 40.586196144e-3, TOL);
    FX_CLOSE(r.t_comm_exposed_s, 0.0, TOL);
    ck_assert_int_eq(fx_op(&bd, "q_a+kv_a")->count, 122);
    ck_assert_int_eq(fx_op(&bd, "lm_head")->count, 2);
    /* weights read twice: expert_gate_up bytes = 2 x 13,633,552,384 */
    FX_CLOSE(fx_op(&bd, "expert_gate_up")->bytes, 2.0 * 13633552384.0, TOL);

    /* auto keeps the faster: with nothing to hide, TBO only adds weight reads
     * and overheads, so auto = off here. */
    svp_metrics off, on, au;
    o.tbo = SVP_TBO_OFF;
    svp_eval(&hw, &m, &sc, &(svp_config){2, 1, 1, 1, 1, 1}, &o, &off, NULL);
    o.tbo = SVP_TBO_AUTO;
    svp_eval(&hw, &m, &sc, &(svp_config){2, 1, 1, 1, 1, 1}, &o, &au, NULL);
    ck_assert_int_eq(off.tbo_used, 0);
    ck_assert_msg(off.step_s < r.step_s, "off %.9g on %.9g", off.step_s, r.step_s);
    ck_assert_int_eq(au.tbo_used, 0);
    FX_CLOSE(au.step_s, off.step_s, TOL);
    on = r;
    ck_assert(au.step_s <= on.step_s && au.step_s <= off.step_s);
}
END_TEST

START_TEST(test_tbo_on_batch1_falls_back)
{
    svp_hw hw = fx_chip();
    svp_model m = fx_v3();
    svp_scenario sc = fx_decode(4096, 1024, 0.100);
    svp_opts o = svp_opts_default();
    o.tbo = SVP_TBO_ON;
    svp_metrics r;
    /* b = ceil(8 / 8) = 1 on every rank: TBO needs b >= 2. */
    svp_eval(&hw, &m, &sc, &(svp_config){8, 1, 8, 1, 8, 1}, &o, &r, NULL);
    ck_assert_int_eq(r.has_metrics, 1);
    ck_assert_int_eq(r.tbo_used, 0);
    svp_metrics off;
    o.tbo = SVP_TBO_OFF;
    svp_eval(&hw, &m, &sc, &(svp_config){8, 1, 8, 1, 8, 1}, &o, &off, NULL);
    FX_CLOSE(r.step_s, off.step_s, TOL);
    /* and on one chip, Batch 1 (decode_b1): 20.343098072 ms */
    o.tbo = SVP_TBO_ON;
    svp_eval(&hw, &m, &sc, &(svp_config){1, 1, 1, 1, 1, 1}, &o, &r, NULL);
    ck_assert_int_eq(r.tbo_used, 0);
    FX_CLOSE(r.step_s, 20.343098072e-3, TOL);
}
END_TEST

/* With a model whose layers are all MoE and no MTP, the layer kinds are
 * "MoE layer" x n_layers and "LM head" x 1, so per-micro-batch c and m of the
 * MoE kind can be read back from the breakdown:
 *   c = sum of non-collective, non-lm_head t / (n_layers x 2)
 *   m = sum of collective t / (n_layers x 2)
 * and TBO must give step = n_layers x max(2c, 2m) + head + min(c, m) + overhead
 * (opspec: layer = max(2c, 2m), fill = min(c, m) of the MoE kind). */
static void check_tbo_structure(const svp_hw *hw, int expect_comm_dominant)
{
    svp_model m = fx_v3();
    m.n_dense_layers = 0;
    svp_scenario sc = fx_decode(4096, 1024, 10.0);
    svp_opts o = svp_opts_default();
    svp_config c = fx_cfg(32, 2, 8, 1, 16, 1);   /* b = 4, N = 16 over two domains */
    svp_metrics r, off, au;
    svp_breakdown bd;

    o.tbo = SVP_TBO_ON;
    svp_eval(hw, &m, &sc, &c, &o, &r, &bd);
    ck_assert_int_eq(r.has_metrics, 1);
    ck_assert_int_eq(r.tbo_used, 1);
    double ops = 0.0, comm = 0.0, head = 0.0;
    for (int i = 0; i < bd.n; i++) {
        if (bd.ops[i].group == SVP_OPG_COMM)
            comm += bd.ops[i].t_s;
        else if (strcmp(bd.ops[i].name, "lm_head") == 0)
            head += bd.ops[i].t_s;
        else
            ops += bd.ops[i].t_s;
    }
    double L = m.n_layers;
    double cc = ops / (2.0 * L), mm = comm / (2.0 * L);
    double layer = 2.0 * cc > 2.0 * mm ? 2.0 * cc : 2.0 * mm;
    double fill = cc < mm ? cc : mm;
    double overhead = hw->layer_overhead_s * L * 2.0 + hw->step_overhead_s;
    ck_assert_msg(expect_comm_dominant ? mm > cc : cc > mm, "c %.9g m %.9g", cc, mm);
    FX_CLOSE(r.step_s, L * layer + head + fill + overhead, TOL);
    FX_CLOSE(r.t_comm_exposed_s, L * (layer - 2.0 * cc) + fill, TOL);
    FX_CLOSE(r.t_comm_s, comm, TOL);

    /* Off: layer = c + m (one micro-batch). */
    o.tbo = SVP_TBO_OFF;
    svp_eval(hw, &m, &sc, &c, &o, &off, &bd);
    ops = comm = head = 0.0;
    for (int i = 0; i < bd.n; i++) {
        if (bd.ops[i].group == SVP_OPG_COMM)
            comm += bd.ops[i].t_s;
        else if (strcmp(bd.ops[i].name, "lm_head") == 0)
            head += bd.ops[i].t_s;
        else
            ops += bd.ops[i].t_s;
    }
    FX_CLOSE(off.step_s, ops + comm + head + hw->layer_overhead_s * L + hw->step_overhead_s,
             TOL);
    FX_CLOSE(off.t_comm_exposed_s, comm, TOL);

    /* Auto never slower than either, and it is one of them. */
    o.tbo = SVP_TBO_AUTO;
    svp_eval(hw, &m, &sc, &c, &o, &au, NULL);
    ck_assert(au.step_s <= off.step_s * (1 + TOL) && au.step_s <= r.step_s * (1 + TOL));
    ck_assert(fx_close(au.step_s, off.step_s, TOL) || fx_close(au.step_s, r.step_s, TOL));
    ck_assert_int_eq(au.tbo_used, r.step_s < off.step_s ? 1 : 0);

    /* Global roofline with TBO: max(T_comp, T_mem, T_comm) + fill + overhead. */
    o.tbo = SVP_TBO_ON;
    o.roofline = SVP_ROOF_GLOBAL;
    svp_metrics g;
    svp_eval(hw, &m, &sc, &c, &o, &g, NULL);
    double roof = g.t_comp_s > g.t_mem_s ? g.t_comp_s : g.t_mem_s;
    if (g.t_comm_s > roof)
        roof = g.t_comm_s;
    FX_CLOSE(g.step_s, roof + fill + overhead, TOL);
}

START_TEST(test_tbo_structure_compute_dominant)
{
    svp_hw hw = fx_chip();
    check_tbo_structure(&hw, 0);
}
END_TEST

START_TEST(test_tbo_structure_comm_dominant)
{
    /* c2c 0.4 GB/s and a2a 0.05 GB/s (both / 1000): communication dominates. */
    svp_hw hw = fx_chip();
    hw.c2c_bytes_per_s = 0.4 * SVP_GBPS;
    hw.a2a_bytes_per_s = 0.05 * SVP_GBPS;
    check_tbo_structure(&hw, 1);
}
END_TEST

/* ---- infeasibility --------------------------------------------------------- */

/* Absurd sizes (an eval option, a hand-edited grid) must not wrap an int.
 * 64 x 67,108,864 = 2^32 ranks wraps a 32-bit int to 0; servplan must call
 * it too large, not feasible.  Batch 2,147,483,647 over MLA_DP 2 is
 * ceil(2147483647 / 2) = 1,073,741,824 requests per rank, not negative. */
START_TEST(test_no_int_overflow)
{
    svp_hw hw = fx_chip();
    svp_model m = fx_v3();
    svp_scenario sc = fx_decode(4096, 1024, 0.1);
    svp_opts o = svp_opts_default();
    svp_metrics r;
    svp_config c = fx_cfg(67108864, 64, 67108864, 64, 67108864, 1);
    svp_eval(&hw, &m, &sc, &c, &o, &r, NULL);
    ck_assert_int_eq(r.reason, SVP_INF_TOO_MANY_RANKS);
    ck_assert_int_eq(r.has_metrics, 0);
    /* 2^24 ranks is the last size evaluated; one DP rank more is too many. */
    c = fx_cfg(1 << 24, 1, 1 << 24, 1, 1 << 24, 1);
    svp_eval(&hw, &m, &sc, &c, &o, &r, NULL);
    ck_assert_int_ne(r.reason, SVP_INF_TOO_MANY_RANKS);
    c = fx_cfg(1 << 24, 1, (1 << 24) + 1, 1, (1 << 24) + 1, 1);
    svp_eval(&hw, &m, &sc, &c, &o, &r, NULL);
    ck_assert_int_eq(r.reason, SVP_INF_TOO_MANY_RANKS);

    c = fx_cfg(2147483647, 1, 2, 1, 2, 1);
    svp_eval(&hw, &m, &sc, &c, &o, &r, NULL);
    ck_assert_int_eq(r.has_metrics, 1);
    ck_assert_int_eq(r.batch_per_rank, 1073741824);
    ck_assert(r.tps_per_chip > 0.0);
}
END_TEST

/* MTP needs an MTP module: with num_nextn_predict_layers 0, --mtp 2:2.5 must
 * change nothing (no drafts are run, so no tokens are gained). */
START_TEST(test_mtp_needs_module)
{
    svp_hw hw = fx_chip();
    svp_model m = fx_v3();
    m.n_mtp_modules = 0;
    svp_scenario sc = fx_decode(4096, 1024, 0.1);
    svp_config c = fx_cfg(64, 1, 1, 1, 1, 1);
    svp_opts plain = svp_opts_default(), mtp = svp_opts_default();
    mtp.mtp_draft = 2;
    mtp.mtp_accept = 2.5;
    svp_metrics a, b;
    svp_eval(&hw, &m, &sc, &c, &plain, &a, NULL);
    svp_eval(&hw, &m, &sc, &c, &mtp, &b, NULL);
    ck_assert(a.has_metrics && b.has_metrics);
    ck_assert(a.step_s == b.step_s);
    ck_assert(a.tps_per_chip == b.tps_per_chip);
    ck_assert(b.tokens_per_request_step == 1.0);
}
END_TEST

START_TEST(test_reason_codes)
{
    static const char *const want[SVP_REASON_COUNT] = {
        "feasible", "chip-count", "too-many-ranks", "mla-tp-domain", "moe-tp-domain", "mla-tp-heads",
        "no-scale-out", "sp-divide", "sp-decode", "idle-dp-ranks", "dram", "slo",
    };
    for (int i = 0; i < SVP_REASON_COUNT; i++) {
        ck_assert_str_eq(svp_reason_code((svp_reason)i), want[i]);
        const char *t = svp_reason_text((svp_reason)i);
        ck_assert_ptr_nonnull(t);
        ck_assert_msg(strlen(t) > 0, "empty text for %s", want[i]);
    }
    ck_assert_str_eq(svp_bound_name(SVP_BOUND_COMPUTE), "compute");
    ck_assert_str_eq(svp_bound_name(SVP_BOUND_MEMORY), "memory");
    ck_assert_str_eq(svp_bound_name(SVP_BOUND_COMM), "communication");
    ck_assert_str_eq(svp_op_group_name(SVP_OPG_ATTN), "attention");
    ck_assert_str_eq(svp_op_group_name(SVP_OPG_FFN), "ffn");
    ck_assert_str_eq(svp_op_group_name(SVP_OPG_MOE), "moe");
    ck_assert_str_eq(svp_op_group_name(SVP_OPG_HEAD), "head");
    ck_assert_str_eq(svp_op_group_name(SVP_OPG_MTP), "mtp");
    ck_assert_str_eq(svp_op_group_name(SVP_OPG_COMM), "comm");
}
END_TEST

static svp_reason reason_of(const svp_hw *hw, const svp_model *m, const svp_scenario *sc,
                            svp_config c, int *has_metrics)
{
    svp_opts o = svp_opts_default();
    svp_metrics r;
    svp_eval(hw, m, sc, &c, &o, &r, NULL);
    *has_metrics = r.has_metrics;
    return r.reason;
}

/* Each reason with a configuration that also breaks every later check it
 * can, so the documented order decides which one is reported. */
START_TEST(test_reasons_in_order)
{
    svp_hw hw = fx_chip();              /* 8 ranks per domain, a2a present */
    svp_model m = fx_v3();
    svp_scenario dec = fx_decode(4096, 1024, 1e-3);  /* 1 ms TPOT: every plan fails it */
    svp_scenario pre = fx_prefill(4096, 1e-3);
    int hm;

    /* chip-count: 16 x 2 = 32 != 16 x 4 = 64; also TP 16 > 8, MOE_TP 16 > 8,
     * SP 3 does not divide 16, SP > 1 in decode, Batch 1 < DP 2, SLO. */
    ck_assert_int_eq(reason_of(&hw, &m, &dec, fx_cfg(1, 16, 2, 16, 4, 3), &hm),
                     SVP_INF_CHIP_COUNT);
    ck_assert_int_eq(hm, 0);
    /* mla-tp-domain: 16 x 2 = 16 x 2, TP 16 > 8 ranks per domain, and the rest */
    ck_assert_int_eq(reason_of(&hw, &m, &dec, fx_cfg(1, 16, 2, 16, 2, 3), &hm),
                     SVP_INF_MLA_TP_DOMAIN);
    ck_assert_int_eq(hm, 0);
    /* moe-tp-domain: TP 8 fits, MOE_TP 16 > 8 */
    ck_assert_int_eq(reason_of(&hw, &m, &dec, fx_cfg(1, 8, 4, 16, 2, 3), &hm),
                     SVP_INF_MOE_TP_DOMAIN);
    ck_assert_int_eq(hm, 0);
    /* mla-tp-heads: a 4-head model with MLA_TP 8 (fits the domain); the chip
     * has no a2a and N = 16 > 8 (no-scale-out comes later) */
    {
        svp_model m4 = m;
        m4.n_heads = 4;
        svp_hw noa2a = hw;
        noa2a.a2a_bytes_per_s = 0.0;
        ck_assert_int_eq(reason_of(&noa2a, &m4, &dec, fx_cfg(1, 8, 2, 8, 2, 3), &hm),
                         SVP_INF_MLA_TP_HEADS);
        ck_assert_int_eq(hm, 0);
        /* and MLA_TP 256 > 128 heads on a 256-chip domain */
        svp_hw big = hw;
        big.chips_per_domain = 256;
        ck_assert_int_eq(reason_of(&big, &m, &dec, fx_cfg(1, 256, 1, 1, 256, 1), &hm),
                         SVP_INF_MLA_TP_HEADS);
        /* no-scale-out: N = 16 over 8-rank domains and no a2a; SP 3 does not
         * divide 4, SP > 1 in decode, Batch 1 < DP 4 */
        ck_assert_int_eq(reason_of(&noa2a, &m, &dec, fx_cfg(1, 4, 4, 2, 8, 3), &hm),
                         SVP_INF_NO_SCALE_OUT);
        ck_assert_int_eq(hm, 0);
        /* within one domain the missing a2a does not matter: N = 8 */
        ck_assert_int_eq(reason_of(&noa2a, &m, &dec, fx_cfg(1, 4, 2, 1, 8, 1), &hm),
                         SVP_INF_IDLE_DP);
    }
    /* sp-divide: SP 3 does not divide TP 4; also decode and Batch 1 < DP 2 */
    ck_assert_int_eq(reason_of(&hw, &m, &dec, fx_cfg(1, 4, 2, 1, 8, 3), &hm),
                     SVP_INF_SP_DIVIDE);
    ck_assert_int_eq(hm, 0);
    /* sp-decode: SP 2 divides TP 4 but decode; Batch 1 < DP 2 */
    ck_assert_int_eq(reason_of(&hw, &m, &dec, fx_cfg(1, 4, 2, 1, 8, 2), &hm),
                     SVP_INF_SP_DECODE);
    ck_assert_int_eq(hm, 0);
    /* the same layout is fine in prefill as far as SP goes: then idle-dp */
    ck_assert_int_eq(reason_of(&hw, &m, &pre, fx_cfg(1, 4, 2, 1, 8, 2), &hm), SVP_INF_IDLE_DP);
    /* idle-dp-ranks: Batch 1 < DP 2, on a 1 GB chip (DRAM would fail too) */
    {
        svp_hw tiny = hw;
        tiny.dram_bytes = 1.0 * SVP_GB;
        ck_assert_int_eq(reason_of(&tiny, &m, &dec, fx_cfg(1, 4, 2, 1, 8, 1), &hm),
                         SVP_INF_IDLE_DP);
        ck_assert_int_eq(hm, 0);
        /* dram: one rank holds all 673 GB of weights > 1 GB; the 1 ms SLO fails too */
        ck_assert_int_eq(reason_of(&tiny, &m, &dec, fx_cfg(1, 1, 1, 1, 1, 1), &hm),
                         SVP_INF_DRAM);
        ck_assert_int_eq(hm, 1);
    }
    /* slo: decode_b1 has TPOT 20.343098072 ms > 1 ms (and > 20 ms), fits DRAM */
    ck_assert_int_eq(reason_of(&hw, &m, &dec, fx_cfg(1, 1, 1, 1, 1, 1), &hm), SVP_INF_SLO);
    ck_assert_int_eq(hm, 1);
    {
        svp_scenario d20 = fx_decode(4096, 1024, 20.0e-3);
        ck_assert_int_eq(reason_of(&hw, &m, &d20, fx_cfg(1, 1, 1, 1, 1, 1), &hm), SVP_INF_SLO);
        svp_scenario d21 = fx_decode(4096, 1024, 21.0e-3);
        ck_assert_int_eq(reason_of(&hw, &m, &d21, fx_cfg(1, 1, 1, 1, 1, 1), &hm), SVP_FEASIBLE);
    }
    /* prefill slo: FTL 148.18 ms (test_prefill_tp_sp_ep) > 1 ms; feasible at 3 s */
    ck_assert_int_eq(reason_of(&hw, &m, &pre, fx_cfg(2, 8, 2, 1, 16, 2), &hm), SVP_INF_SLO);
    ck_assert_int_eq(hm, 1);
    {
        svp_scenario p3 = fx_prefill(4096, 3.0);
        ck_assert_int_eq(reason_of(&hw, &m, &p3, fx_cfg(2, 8, 2, 1, 16, 2), &hm), SVP_FEASIBLE);
    }
}
END_TEST

/* ---- metrics ordering -------------------------------------------------------- */

START_TEST(test_metrics_better)
{
    svp_metrics a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.has_metrics = b.has_metrics = 1;
    /* higher TPS per chip wins, whatever the rest */
    a.tps_per_chip = 100.0; a.n_chips = 64; a.tpot_s = 0.09;
    b.tps_per_chip = 99.0;  b.n_chips = 8;  b.tpot_s = 0.01;
    ck_assert(svp_metrics_better(&a, &b));
    ck_assert(!svp_metrics_better(&b, &a));
    /* equal TPS: fewer chips wins, even with the higher latency */
    a.tps_per_chip = 100.0; a.n_chips = 64; a.tpot_s = 0.01;
    b.tps_per_chip = 100.0; b.n_chips = 8;  b.tpot_s = 0.09;
    ck_assert(svp_metrics_better(&b, &a));
    ck_assert(!svp_metrics_better(&a, &b));
    /* equal TPS and chips: lower TPOT wins */
    b.n_chips = 64;
    ck_assert(svp_metrics_better(&a, &b));
    ck_assert(!svp_metrics_better(&b, &a));
    /* prefill: lower FTL wins */
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.tps_per_chip = b.tps_per_chip = 5000.0;
    a.n_chips = b.n_chips = 16;
    a.ftl_s = 1.0;
    b.ftl_s = 2.0;
    ck_assert(svp_metrics_better(&a, &b));
    ck_assert(!svp_metrics_better(&b, &a));
    /* identical: neither is better */
    ck_assert(!svp_metrics_better(&a, &a));
}
END_TEST

static Suite *cost_suite(void)
{
    Suite *s = suite_create("cost");
    TCase *g = tcase_create("golden");
    tcase_add_test(g, test_decode_one_chip_batch1);
    tcase_add_test(g, test_decode_one_chip_batch4);
    tcase_add_test(g, test_dram_seed_formula);
    tcase_add_test(g, test_prefill_tp_sp_ep);
    tcase_add_test(g, test_ep_and_moe_tp_comm);
    tcase_add_test(g, test_global_roofline_one_chip);
    tcase_add_test(g, test_two_rank_package);
    tcase_add_test(g, test_mtp);
    suite_add_tcase(s, g);
    TCase *t = tcase_create("tbo");
    tcase_add_test(t, test_tbo_one_chip_exact);
    tcase_add_test(t, test_tbo_on_batch1_falls_back);
    tcase_add_test(t, test_tbo_structure_compute_dominant);
    tcase_add_test(t, test_tbo_structure_comm_dominant);
    suite_add_tcase(s, t);
    TCase *f = tcase_create("feasibility");
    tcase_add_test(f, test_reason_codes);
    tcase_add_test(f, test_no_int_overflow);
    tcase_add_test(f, test_mtp_needs_module);
    tcase_add_test(f, test_reasons_in_order);
    tcase_add_test(f, test_metrics_better);
    suite_add_tcase(s, f);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cost_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
