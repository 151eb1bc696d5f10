/*
 * test_model.c - parameter counts and KV-cache size (model.h) against hand
 * sums from DeepSeek-V3's dimensions (fixture in model_fixtures.h).
 *
 * Structure assumed (Hugging Face modeling_deepseek.py of DeepSeek-V3, as
 * model.h documents it): every layer = MLA (q_a, q_b, kv_a, kv_b, o_proj) +
 * four RMSNorms (q_a_layernorm 1536, kv_a_layernorm 512, input and
 * post-attention 2 x 7168); the first 3 layers a dense SwiGLU FFN, the
 * other 58 a router (256 x 7168 weights + 256 e_score_correction_bias), 1
 * shared and 256 routed experts (3 x 7168 x 2048 each); embedding and LM head
 * 129280 x 7168 each; one final norm 7168.
 */
#include <stdlib.h>

#include "model_fixtures.h"

/* Exact integer arithmetic in doubles (all sums < 2^53): tolerance 1e-12. */
#define EXACT 1e-12

/* ---- DeepSeek-V3 ---------------------------------------------------------- */

START_TEST(test_v3_attention_per_layer)
{
    svp_model m = fx_v3();
    svp_param_count pc;
    svp_model_params(&m, &pc);
    /* q_a   7168 x 1536            =  11,010,048
     * q_b   1536 x 128 x (128+64)  =  37,748,736
     * kv_a  7168 x (512+64)        =   4,128,768
     * kv_b  512 x 128 x (128+128)  =  16,777,216
     * o     128 x 128 x 7168       = 117,440,512
     * norms 1536 + 512 + 2 x 7168  =      16,384
     * sum                          = 187,121,664 */
    FX_CLOSE(pc.attn_per_layer, 187121664.0, EXACT);
    /* unsplit = q_a + kv_a + norms = 11,010,048 + 4,128,768 + 16,384 = 15,155,200 */
    FX_CLOSE(pc.attn_unsplit_per_layer, 15155200.0, EXACT);
    /* dense FFN: 3 x 7168 x 18432 = 396,361,728 */
    FX_CLOSE(pc.dense_ffn_per_layer, 396361728.0, EXACT);
    /* one expert: 3 x 7168 x 2048 = 44,040,192 */
    FX_CLOSE(pc.expert, 44040192.0, EXACT);
    /* router: 256 x 7168 + 256 (bias) = 1,835,008 + 256 = 1,835,264 */
    FX_CLOSE(pc.gate_per_layer, 1835264.0, EXACT);
    /* embedding = LM head = 129280 x 7168 = 926,679,040 */
    FX_CLOSE(pc.embedding, 926679040.0, EXACT);
    FX_CLOSE(pc.lm_head, 926679040.0, EXACT);
}
END_TEST

START_TEST(test_v3_total)
{
    svp_model m = fx_v3();
    svp_param_count pc;
    svp_model_params(&m, &pc);
    /* attention  61 x 187,121,664                          =  11,414,421,504
     * dense FFN   3 x 396,361,728                          =   1,189,085,184
     * MoE        58 x (257 x 44,040,192 + 1,835,264)
     *          = 58 x (11,318,329,344 + 1,835,264)
     *          = 58 x 11,320,164,608                       = 656,569,547,264
     * emb + head 2 x 926,679,040                           =   1,853,358,080
     * final norm                                           =           7,168
     * total                                                = 671,026,419,200 */
    FX_CLOSE(pc.total, 671026419200.0, EXACT);
    /* DeepSeek's published 671.0 B, within +-0.2 % (671.026 B is +0.004 %). */
    ck_assert_msg(fabs(pc.total / (671.0 * SVP_BILLION) - 1.0) <= 0.002, "total %.6g", pc.total);
    /* routed = 58 x 256 x 44,040,192 = 653,908,770,816;
     * non-expert = 671,026,419,200 - 653,908,770,816 = 17,117,648,384 */
    FX_CLOSE(pc.routed_experts, 653908770816.0, EXACT);
    FX_CLOSE(pc.non_expert, 17117648384.0, EXACT);
    ck_assert_int_eq(svp_model_moe_layers(&m), 58);
}
END_TEST

START_TEST(test_v3_activated)
{
    svp_model m = fx_v3();
    svp_param_count pc;
    svp_model_params(&m, &pc);
    /* One token touches every non-expert weight, 8 routed + 1 shared experts
     * and the router of each MoE layer; embedding and LM head are counted
     * whole, as in the total (DeepSeek's "37B activated" convention):
     * attention  61 x 187,121,664                          = 11,414,421,504
     * dense FFN   3 x 396,361,728                          =  1,189,085,184
     * MoE        58 x (9 x 44,040,192 + 1,835,264)
     *          = 58 x (396,361,728 + 1,835,264) = 58 x 398,196,992
     *                                                      = 23,095,425,536
     * emb + head                                           =  1,853,358,080
     * final norm                                           =          7,168
     * activated                                            = 37,552,297,472 */
    FX_CLOSE(pc.activated_per_token, 37552297472.0, EXACT);
    /* ~37 B: 37.552 / 37 - 1 = +1.49 %, inside +-2 %. */
    ck_assert_msg(fabs(pc.activated_per_token / (37.0 * SVP_BILLION) - 1.0) <= 0.02,
                  "activated %.6g", pc.activated_per_token);
}
END_TEST

START_TEST(test_v3_mtp_module)
{
    svp_model m = fx_v3();
    svp_param_count pc;
    svp_model_params(&m, &pc);
    /* DeepSeek-V3 report section 2.2 / checkpoint layer 61: enorm + hnorm
     * (2 x 7168 = 14,336), eh_proj (2 x 7168 x 7168 = 102,760,448), one MoE
     * layer (187,121,664 + 11,320,164,608), shared_head.norm 7,168;
     * embedding and head are shared with the main model:
     * 14,336 + 102,760,448 + 187,121,664 + 11,320,164,608 + 7,168
     *   = 11,610,068,224 (with the shared 1.85 B: 13.46 B, DeepSeek's "14B") */
    FX_CLOSE(pc.mtp_module, 11610068224.0, EXACT);
}
END_TEST

START_TEST(test_v3_kv_bytes)
{
    svp_model m = fx_v3();
    /* (512 + 64) x 61 x 2 = 70,272 (MODEL.md section 3) */
    FX_CLOSE(svp_model_kv_bytes_per_token(&m, SVP_DT_BF16, 0), 70272.0, EXACT);
    /* (512 + 64) x 61 x 1 = 35,136 */
    FX_CLOSE(svp_model_kv_bytes_per_token(&m, SVP_DT_FP8, 0), 35136.0, EXACT);
    FX_CLOSE(svp_model_kv_bytes_per_token(&m, SVP_DT_INT8, 0), 35136.0, EXACT);
    /* with the MTP module's own layer: (512 + 64) x 62 x 2 = 71,424 */
    FX_CLOSE(svp_model_kv_bytes_per_token(&m, SVP_DT_BF16, 1), 71424.0, EXACT);
    /* (512 + 64) x 62 x 1 = 35,712 */
    FX_CLOSE(svp_model_kv_bytes_per_token(&m, SVP_DT_FP8, 1), 35712.0, EXACT);
    /* A model without an MTP module ignores with_mtp: 70,272. */
    m.n_mtp_modules = 0;
    FX_CLOSE(svp_model_kv_bytes_per_token(&m, SVP_DT_BF16, 1), 70272.0, EXACT);
}
END_TEST

/* ---- variants ------------------------------------------------------------- */

START_TEST(test_no_q_lora)
{
    svp_model m = fx_v3();
    m.q_lora_rank = 0;
    svp_param_count pc;
    svp_model_params(&m, &pc);
    /* q projected directly: 7168 x 128 x 192 = 176,160,768 (no q_a, no
     * q_a_layernorm);
     * attention = 176,160,768 + 4,128,768 (kv_a) + 16,777,216 (kv_b)
     *           + 117,440,512 (o) + (512 + 2 x 7168 = 14,848) norms
     *           = 314,522,112 */
    FX_CLOSE(pc.attn_per_layer, 314522112.0, EXACT);
    /* unsplit = kv_a + norms = 4,128,768 + 14,848 = 4,143,616 */
    FX_CLOSE(pc.attn_unsplit_per_layer, 4143616.0, EXACT);
    /* total = 61 x 314,522,112 (= 19,185,848,832) + 1,189,085,184
     *       + 656,569,547,264 + 1,853,358,080 + 7,168 = 678,797,846,528 */
    FX_CLOSE(pc.total, 678797846528.0, EXACT);
    /* activated = 19,185,848,832 + 1,189,085,184 + 23,095,425,536
     *           + 1,853,358,080 + 7,168 = 45,323,724,800 */
    FX_CLOSE(pc.activated_per_token, 45323724800.0, EXACT);
    /* KV size does not depend on the query path: 70,272 */
    FX_CLOSE(svp_model_kv_bytes_per_token(&m, SVP_DT_BF16, 0), 70272.0, EXACT);
}
END_TEST

START_TEST(test_no_routed_experts)
{
    svp_model m = fx_v3();
    m.n_routed_experts = 0;   /* every layer dense (model.h) */
    svp_param_count pc;
    svp_model_params(&m, &pc);
    ck_assert_int_eq(svp_model_moe_layers(&m), 0);
    /* no router without routed experts */
    FX_CLOSE(pc.gate_per_layer, 0.0, EXACT);
    /* total = 61 x 187,121,664 (= 11,414,421,504)
     *       + 61 x 396,361,728 (= 24,178,065,408)
     *       + 1,853,358,080 + 7,168 = 37,445,852,160
     * (the shared expert lives in MoE layers, so there is none) */
    FX_CLOSE(pc.total, 37445852160.0, EXACT);
    FX_CLOSE(pc.routed_experts, 0.0, EXACT);
    FX_CLOSE(pc.non_expert, 37445852160.0, EXACT);
    /* a dense model activates all of itself */
    FX_CLOSE(pc.activated_per_token, 37445852160.0, EXACT);
    /* MTP module with a dense layer: 14,336 + 102,760,448 + 187,121,664
     * + 396,361,728 + 7,168 = 686,265,344 */
    FX_CLOSE(pc.mtp_module, 686265344.0, EXACT);
}
END_TEST

static Suite *model_suite(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("deepseek-v3");
    tcase_add_test(tc, test_v3_attention_per_layer);
    tcase_add_test(tc, test_v3_total);
    tcase_add_test(tc, test_v3_activated);
    tcase_add_test(tc, test_v3_mtp_module);
    tcase_add_test(tc, test_v3_kv_bytes);
    suite_add_tcase(s, tc);
    TCase *tv = tcase_create("variants");
    tcase_add_test(tv, test_no_q_lora);
    tcase_add_test(tv, test_no_routed_experts);
    suite_add_tcase(s, tv);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(model_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
