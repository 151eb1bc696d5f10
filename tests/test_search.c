/*
 * test_search.c - svp_search on small hand-made grids: counts, visit order,
 * the optimum against a brute force over the visitor's plans, early stop,
 * "no feasible plan", and svp_plan_edges.  Fixtures in model_fixtures.h.
 */
#include <stdlib.h>

#include "model_fixtures.h"

/* The small grid of these tests:
 *   batch {1, 4, 64}, mla_tp {1, 2}, mla_dp {1, 2, 4}, moe_tp {1, 2},
 *   moe_ep {1, 2, 4, 8}, sp {1}
 * combinations = 3 x 2 x 3 x 2 x 4 x 1 = 144. */
static int g_batch[] = {1, 4, 64};
static int g_tp[] = {1, 2};
static int g_dp[] = {1, 2, 4};
static int g_moe_tp[] = {1, 2};
static int g_ep[] = {1, 2, 4, 8};
static int g_sp[] = {1};

static svp_space small_space(void)
{
    svp_space s;
    s.batch = fx_grid(g_batch, 3);
    s.mla_tp = fx_grid(g_tp, 2);
    s.mla_dp = fx_grid(g_dp, 3);
    s.moe_tp = fx_grid(g_moe_tp, 2);
    s.moe_ep = fx_grid(g_ep, 4);
    s.sp = fx_grid(g_sp, 1);
    return s;
}

#define MAX_PLANS 256

/* Records every plan the search shows. */
typedef struct recorder {
    svp_plan plans[MAX_PLANS];
    int n;
    int stop_after;   /* return non-zero on this call (1-based); 0 = never */
} recorder;

static int record(void *ctx, const svp_plan *p)
{
    recorder *r = ctx;
    if (r->n < MAX_PLANS)
        r->plans[r->n] = *p;
    r->n++;
    return r->stop_after > 0 && r->n >= r->stop_after;
}

/* Lexicographic key of the documented visit order:
 * (mla_tp, mla_dp, moe_tp, moe_ep, sp, batch). */
static int cfg_cmp(const svp_config *a, const svp_config *b)
{
    const int ka[6] = {a->mla_tp, a->mla_dp, a->moe_tp, a->moe_ep, a->sp, a->batch};
    const int kb[6] = {b->mla_tp, b->mla_dp, b->moe_tp, b->moe_ep, b->sp, b->batch};
    for (int i = 0; i < 6; i++)
        if (ka[i] != kb[i])
            return ka[i] < kb[i] ? -1 : 1;
    return 0;
}

static int cfg_eq(const svp_config *a, const svp_config *b) { return cfg_cmp(a, b) == 0; }

/* Chip: the fixture chip with 400 GB of DRAM.  One rank needs
 * 677.5 GB (test_cost: 673,149,561,764 B of weights + KV + 4 GB reserve), so
 * every N = 1 plan fails on DRAM; N = 2 holds the routed experts once over two
 * ranks: 58 x 128 x 44,040,192 x wb = 327,034,208,256 B + non-expert
 * 19,081,145,252 B (MLA_TP 1) + KV at most 64 x 5120 x 70,272 = 23,026,728,960 B
 * + 4 GB = 373.1 GB < 400 GB, so no N >= 2 plan fails on DRAM. */
static svp_hw search_chip(void)
{
    svp_hw hw = fx_chip();
    hw.dram_bytes = 400.0 * SVP_GB;
    return hw;
}

START_TEST(test_counts)
{
    svp_hw hw = search_chip();
    svp_model m = fx_v3();
    svp_scenario sc = fx_decode(4096, 1024, 0.100);
    svp_opts o = svp_opts_default();
    svp_space s = small_space();
    svp_problem pb = {&hw, &m, &sc, &s, &o};
    static recorder rec;
    memset(&rec, 0, sizeof rec);
    svp_plan best;
    svp_search_stats st;

    int rc = svp_search(&pb, record, &rec, &best, &st);
    ck_assert_int_eq(rc, 1);
    /* 144 combinations (above). */
    FX_CLOSE(st.combinations, 144.0, 0.0);
    /* Chip-count-consistent layouts: (tp, dp) -> N and the (moe_tp, moe_ep)
     * pairs of {1,2} x {1,2,4,8} with that product:
     *   (1,1) N=1: (1,1)              1
     *   (1,2) N=2: (1,2) (2,1)        2
     *   (1,4) N=4: (1,4) (2,2)        2
     *   (2,1) N=2: (1,2) (2,1)        2
     *   (2,2) N=4: (1,4) (2,2)        2
     *   (2,4) N=8: (1,8) (2,4)        2
     * 11 layouts x 1 SP x 3 batches = 33 evaluated; 144 - 33 = 111 mismatches. */
    ck_assert_int_eq(st.evaluated, 33);
    ck_assert_int_eq(rec.n, 33);
    FX_CLOSE(st.by_reason[SVP_INF_CHIP_COUNT], 111.0, 0.0);
    /* idle-dp-ranks: Batch 1 with MLA_DP 2 or 4: layouts (1,2) (1,4) (2,2) (2,4),
     * 2 MoE pairs each = 8 */
    FX_CLOSE(st.by_reason[SVP_INF_IDLE_DP], 8.0, 0.0);
    /* dram: the N = 1 layout at the 3 batches */
    FX_CLOSE(st.by_reason[SVP_INF_DRAM], 3.0, 0.0);
    /* the rest (33 - 8 - 3 = 22) are feasible or miss the SLO */
    FX_CLOSE(st.by_reason[SVP_FEASIBLE] + st.by_reason[SVP_INF_SLO], 22.0, 0.0);
    for (int r = SVP_INF_MLA_TP_DOMAIN; r <= SVP_INF_SP_DECODE; r++)
        FX_CLOSE(st.by_reason[r], 0.0, 0.0);
    double sum = 0.0;
    for (int r = 0; r < SVP_REASON_COUNT; r++)
        sum += st.by_reason[r];
    FX_CLOSE(sum, 144.0, 0.0);

    /* The visitor's plans agree with the stats reason by reason. */
    double seen[SVP_REASON_COUNT] = {0};
    for (int i = 0; i < rec.n; i++)
        seen[rec.plans[i].m.reason] += 1.0;
    for (int r = 0; r < SVP_REASON_COUNT; r++)
        if (r != SVP_INF_CHIP_COUNT)
            FX_CLOSE(seen[r], st.by_reason[r], 0.0);
    FX_CLOSE(seen[SVP_INF_CHIP_COUNT], 0.0, 0.0);

    /* Visit order: (mla_tp, mla_dp, moe_tp, moe_ep, sp, batch), each ascending. */
    svp_config first = fx_cfg(1, 1, 1, 1, 1, 1);
    ck_assert(cfg_eq(&rec.plans[0].cfg, &first));
    for (int i = 1; i < rec.n; i++)
        ck_assert_msg(cfg_cmp(&rec.plans[i - 1].cfg, &rec.plans[i].cfg) < 0,
                      "plan %d out of order", i);
    svp_config last = fx_cfg(64, 2, 4, 2, 4, 1);
    ck_assert(cfg_eq(&rec.plans[rec.n - 1].cfg, &last));

    /* Each plan's metrics are svp_eval's for its configuration. */
    for (int i = 0; i < rec.n; i++) {
        svp_metrics mm;
        svp_eval(&hw, &m, &sc, &rec.plans[i].cfg, &o, &mm, NULL);
        ck_assert_int_eq(mm.reason, rec.plans[i].m.reason);
        if (mm.has_metrics)
            FX_CLOSE(rec.plans[i].m.step_s, mm.step_s, 0.0);
    }
}
END_TEST

/* The reported optimum is feasible and equals the best of the visitor's
 * plans by svp_metrics_better (a brute force over what the search saw). */
static void check_optimum(const svp_problem *pb)
{
    static recorder rec;
    memset(&rec, 0, sizeof rec);
    svp_plan best;
    int rc = svp_search(pb, record, &rec, &best, NULL);
    ck_assert(rec.n <= MAX_PLANS);

    int brute = -1;
    for (int i = 0; i < rec.n; i++) {
        if (rec.plans[i].m.reason != SVP_FEASIBLE)
            continue;
        if (brute < 0 || svp_metrics_better(&rec.plans[i].m, &rec.plans[brute].m))
            brute = i;
    }
    if (brute < 0) {
        ck_assert_int_eq(rc, 0);
        return;
    }
    ck_assert_int_eq(rc, 1);
    ck_assert_int_eq(best.m.reason, SVP_FEASIBLE);
    ck_assert(cfg_eq(&best.cfg, &rec.plans[brute].cfg));
    for (int i = 0; i < rec.n; i++)
        if (rec.plans[i].m.reason == SVP_FEASIBLE)
            ck_assert_msg(!svp_metrics_better(&rec.plans[i].m, &best.m),
                          "visited plan %d beats the optimum", i);
    /* the optimum's metrics are svp_eval's */
    svp_metrics mm;
    svp_eval(pb->hw, pb->model, pb->scen, &best.cfg, pb->opts, &mm, NULL);
    FX_CLOSE(best.m.tps_per_chip, mm.tps_per_chip, 0.0);
}

START_TEST(test_optimum_is_brute_force_best)
{
    svp_hw hw = search_chip();
    svp_model m = fx_v3();
    svp_scenario sc = fx_decode(4096, 1024, 0.100);
    svp_opts o = svp_opts_default();
    svp_space s = small_space();
    svp_problem pb = {&hw, &m, &sc, &s, &o};
    check_optimum(&pb);
    o.tbo = SVP_TBO_AUTO;
    check_optimum(&pb);
    o.mtp_draft = 1;
    o.mtp_accept = 1.8;
    check_optimum(&pb);
    /* prefill with SP on the same grid plus SP {1, 2} */
    static int sps[] = {1, 2};
    s.sp = fx_grid(sps, 2);
    svp_scenario pf = fx_prefill(4096, 3.0);
    pb.scen = &pf;
    o = svp_opts_default();
    check_optimum(&pb);
    /* a tight SLO that only some plans meet */
    sc.max_tpot_s = 0.030;
    pb.scen = &sc;
    check_optimum(&pb);
}
END_TEST

START_TEST(test_null_outputs)
{
    svp_hw hw = search_chip();
    svp_model m = fx_v3();
    svp_scenario sc = fx_decode(4096, 1024, 0.100);
    svp_opts o = svp_opts_default();
    svp_space s = small_space();
    svp_problem pb = {&hw, &m, &sc, &s, &o};
    /* visit, best and st may all be NULL */
    ck_assert_int_eq(svp_search(&pb, NULL, NULL, NULL, NULL), 1);
    svp_plan best;
    svp_search_stats st;
    ck_assert_int_eq(svp_search(&pb, NULL, NULL, &best, &st), 1);
    ck_assert_int_eq(st.evaluated, 33);
    ck_assert_int_eq(best.m.reason, SVP_FEASIBLE);
}
END_TEST

START_TEST(test_visitor_stops)
{
    svp_hw hw = search_chip();
    svp_model m = fx_v3();
    svp_scenario sc = fx_decode(4096, 1024, 0.100);
    svp_opts o = svp_opts_default();
    svp_space s = small_space();
    svp_problem pb = {&hw, &m, &sc, &s, &o};
    static recorder rec;
    memset(&rec, 0, sizeof rec);
    rec.stop_after = 5;
    svp_plan best;
    svp_search_stats st;
    /* A visitor returning non-zero on its 5th call stops the search: -1, no
     * sixth call. */
    ck_assert_int_eq(svp_search(&pb, record, &rec, &best, &st), -1);
    ck_assert_int_eq(rec.n, 5);
    /* stopping on the very first call */
    memset(&rec, 0, sizeof rec);
    rec.stop_after = 1;
    ck_assert_int_eq(svp_search(&pb, record, &rec, NULL, NULL), -1);
    ck_assert_int_eq(rec.n, 1);
    /* ... and on the last (33rd) call still reports the stop */
    memset(&rec, 0, sizeof rec);
    rec.stop_after = 33;
    ck_assert_int_eq(svp_search(&pb, record, &rec, NULL, NULL), -1);
    ck_assert_int_eq(rec.n, 33);
}
END_TEST

START_TEST(test_no_feasible)
{
    svp_hw hw = search_chip();
    hw.dram_bytes = 1.0 * SVP_GB;   /* nothing of a 671 B model fits 8 x 1 GB */
    svp_model m = fx_v3();
    svp_scenario sc = fx_decode(4096, 1024, 0.100);
    svp_opts o = svp_opts_default();
    svp_space s = small_space();
    svp_problem pb = {&hw, &m, &sc, &s, &o};
    svp_search_stats st;
    svp_plan best;
    ck_assert_int_eq(svp_search(&pb, NULL, NULL, &best, &st), 0);
    FX_CLOSE(st.by_reason[SVP_FEASIBLE], 0.0, 0.0);
    /* 33 evaluated: 8 idle, the other 25 fail on DRAM */
    FX_CLOSE(st.by_reason[SVP_INF_IDLE_DP], 8.0, 0.0);
    FX_CLOSE(st.by_reason[SVP_INF_DRAM], 25.0, 0.0);
}
END_TEST

/* ---- edges ------------------------------------------------------------------ */

START_TEST(test_edges)
{
    static int eb[] = {8, 16, 32};
    static int etp[] = {1, 2, 4};
    static int edp[] = {2, 4};
    static int emtp[] = {1};
    static int eep[] = {2, 4, 8};
    static int esp[] = {1, 2};
    svp_space s;
    s.batch = fx_grid(eb, 3);
    s.mla_tp = fx_grid(etp, 3);
    s.mla_dp = fx_grid(edp, 2);
    s.moe_tp = fx_grid(emtp, 1);
    s.moe_ep = fx_grid(eep, 3);
    s.sp = fx_grid(esp, 2);

    /* batch 32 = max; mla_tp 1 = min but 1 is the natural minimum (no flag);
     * mla_dp 2 = min > 1; moe_tp 1 = the only value, so = max (min is 1: no
     * flag); moe_ep 2 = min > 1; sp 1 (max is 2). */
    svp_config c = fx_cfg(32, 1, 2, 1, 2, 1);
    unsigned want = SVP_EDGE_BATCH_MAX | SVP_EDGE_MLA_DP_MIN | SVP_EDGE_MOE_TP_MAX
                    | SVP_EDGE_MOE_EP_MIN;
    ck_assert_uint_eq(svp_plan_edges(&s, &c), want);

    /* batch 8 = min > 1; mla_tp 4 = max; mla_dp 4 = max; moe_ep 8 = max; sp 2 = max */
    c = fx_cfg(8, 4, 4, 1, 8, 2);
    want = SVP_EDGE_BATCH_MIN | SVP_EDGE_MLA_TP_MAX | SVP_EDGE_MLA_DP_MAX | SVP_EDGE_MOE_TP_MAX
           | SVP_EDGE_MOE_EP_MAX | SVP_EDGE_SP_MAX;
    ck_assert_uint_eq(svp_plan_edges(&s, &c), want);

    /* interior values everywhere except the one-value moe_tp axis */
    c = fx_cfg(16, 2, 2, 1, 4, 1);
    ck_assert_uint_eq(svp_plan_edges(&s, &c), SVP_EDGE_MLA_DP_MIN | SVP_EDGE_MOE_TP_MAX);

    /* a grid starting at 1 never flags its lower edge */
    static int b1[] = {1, 2};
    s.batch = fx_grid(b1, 2);
    c = fx_cfg(1, 2, 4, 1, 4, 1);
    ck_assert_uint_eq(svp_plan_edges(&s, &c) & SVP_EDGE_BATCH_MIN, 0u);
    ck_assert_uint_eq(svp_plan_edges(&s, &c) & SVP_EDGE_BATCH_MAX, 0u);

    static const char *const names[SVP_EDGE_COUNT] = {
        "batch=max", "batch=min", "mla_tp=max", "mla_tp=min", "mla_dp=max", "mla_dp=min",
        "moe_tp=max", "moe_tp=min", "moe_ep=max", "moe_ep=min", "sp=max",
    };
    for (int i = 0; i < SVP_EDGE_COUNT; i++)
        ck_assert_str_eq(svp_edge_name(i), names[i]);
    ck_assert_ptr_nonnull(svp_edge_name(-1));
    ck_assert_ptr_nonnull(svp_edge_name(SVP_EDGE_COUNT));
}
END_TEST

static Suite *search_suite(void)
{
    Suite *s = suite_create("search");
    TCase *tc = tcase_create("search");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_counts);
    tcase_add_test(tc, test_optimum_is_brute_force_best);
    tcase_add_test(tc, test_null_outputs);
    tcase_add_test(tc, test_visitor_stops);
    tcase_add_test(tc, test_no_feasible);
    tcase_add_test(tc, test_edges);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(search_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
