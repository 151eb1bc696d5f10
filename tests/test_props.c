/*
 * test_props.c - properties of the cost model and the search over thousands
 * of generated configurations (deterministic PRNG, so a failure reproduces):
 *
 *  (a) tps_per_chip never rises when peak (every precision), HBM, c2c or a2a
 *      falls; the search optimum's TPS never rises when DRAM falls;
 *  (b) TPOT (decode) and FTL (prefill) never fall as Batch grows for a fixed
 *      layout and fixed options;
 *  (c) the per-operator step is never below the global-roofline step;
 *  (d) with MLA_DP > 1 or MLA_TP > 1, physical DRAM >= the seed formula's;
 *  (e) every metric is finite when has_metrics; shares sum to 1 when their
 *      denominator is positive; simple identities between metrics hold;
 *  (f) the optimum of svp_search is feasible and no feasible plan the visitor
 *      saw beats it.
 */
#include <stdint.h>
#include <stdlib.h>

#include "model_fixtures.h"

/* Relative slack for "never rises": the model's sums are not associative
 * in floating point, so equal inputs may differ in the last bits. */
#define SLACK 1e-12

/* ---- PRNG (splitmix64) ---------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double rng_unit(void) { return (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0); }

static double rng_range(double lo, double hi) { return lo + (hi - lo) * rng_unit(); }

/* Uniform integer in [lo, hi]. */
static int rng_int(int lo, int hi)
{
    return lo + (int)(rng_next() % (uint64_t)(hi - lo + 1));
}

static int rng_pick(const int *v, int n) { return v[rng_int(0, n - 1)]; }

/* ---- generators ------------------------------------------------------------- */

typedef struct problem {
    svp_hw hw;
    svp_model m;
    svp_scenario sc;
    svp_opts o;
    svp_config c;
} problem;

static svp_hw gen_hw(void)
{
    svp_hw hw = fx_chip();
    double bf16 = rng_range(100.0, 5000.0) * SVP_TFLOPS;
    hw.peak_flops[SVP_DT_BF16] = bf16;
    hw.peak_flops[SVP_DT_FP8] = rng_unit() < 0.7 ? 2.0 * bf16 : 0.0;
    hw.peak_flops[SVP_DT_INT8] = rng_unit() < 0.5 ? 2.0 * bf16 : 0.0;
    hw.peak_flops[SVP_DT_FP4] = rng_unit() < 0.3 ? 4.0 * bf16 : 0.0;
    hw.hbm_bytes_per_s = rng_range(0.5, 10.0) * SVP_TBPS;
    hw.dram_bytes = rng_range(32.0, 4000.0) * SVP_GB;
    hw.c2c_bytes_per_s = rng_range(20.0, 1000.0) * SVP_GBPS;
    hw.a2a_bytes_per_s = rng_unit() < 0.15 ? 0.0 : rng_range(5.0, 100.0) * SVP_GBPS;
    hw.ranks_per_chip = rng_unit() < 0.25 ? 2 : 1;
    static const int domains[] = {1, 2, 4, 8, 16, 72};
    hw.chips_per_domain = rng_pick(domains, 6);
    hw.eff_gemm = rng_range(0.2, 1.0);
    hw.eff_attn = rng_range(0.2, 1.0);
    hw.eff_mem = rng_range(0.2, 1.0);
    hw.eff_net_up = rng_range(0.2, 1.0);
    hw.eff_net_out = rng_range(0.2, 1.0);
    hw.coll_latency_s = rng_range(0.0, 40.0) * SVP_US;
    hw.layer_overhead_s = rng_range(0.0, 60.0) * SVP_US;
    hw.step_overhead_s = rng_range(0.0, 1000.0) * SVP_US;
    hw.reserve_bytes = rng_range(0.0, 10.0) * SVP_GB;
    return hw;
}

static svp_model gen_model(void)
{
    svp_model m = fx_v3();
    double u = rng_unit();
    if (u < 0.10)
        m.q_lora_rank = 0;
    else if (u < 0.20)
        m.n_routed_experts = 0;          /* all dense */
    else if (u < 0.30)
        m.n_redundant_experts = 32;      /* EPLB replicas */
    else if (u < 0.35)
        m.n_dense_layers = 0;
    if (rng_unit() < 0.1)
        m.n_mtp_modules = 0;
    return m;
}

static svp_scenario gen_scenario(void)
{
    static const int in[] = {128, 512, 1024, 2048, 4096, 8192, 16384};
    static const int out[] = {1, 64, 256, 1024, 2048};
    if (rng_unit() < 0.6)
        return fx_decode(rng_pick(in, 7), rng_pick(out, 5), rng_range(0.02, 0.3));
    return fx_prefill(rng_pick(in, 7), rng_range(0.5, 10.0));
}

static svp_opts gen_opts(const svp_scenario *sc)
{
    svp_opts o = svp_opts_default();
    static const svp_tbo tbo[] = {SVP_TBO_OFF, SVP_TBO_ON, SVP_TBO_AUTO};
    o.tbo = tbo[rng_int(0, 2)];
    o.roofline = rng_unit() < 0.25 ? SVP_ROOF_GLOBAL : SVP_ROOF_PER_OP;
    o.memory_model = rng_unit() < 0.2 ? SVP_MEM_SEED : SVP_MEM_PHYSICAL;
    o.weight_dtype = (svp_dtype)rng_int(0, SVP_DT_COUNT - 1);
    o.kv_dtype = rng_unit() < 0.7 ? SVP_DT_BF16 : SVP_DT_FP8;
    if (sc->phase == SVP_PHASE_DECODE && rng_unit() < 0.4) {
        o.mtp_draft = rng_int(1, 3);
        o.mtp_accept = rng_range(1.0, 1.0 + o.mtp_draft);
    }
    return o;
}

/* A layout consistent by construction: MOE_TP x MOE_EP = MLA_TP x MLA_DP,
 * SP divides MLA_TP and is 1 in decode, Batch >= MLA_DP.  Topology may still
 * fail (domain, heads, scale-out); callers retry on !has_metrics. */
static svp_config gen_config(const svp_scenario *sc)
{
    static const int tps[] = {1, 2, 4, 8, 16};
    static const int dps[] = {1, 2, 3, 4, 6, 8, 16, 32, 64};
    svp_config c;
    c.mla_tp = rng_pick(tps, 5);
    c.mla_dp = rng_pick(dps, 9);
    int n = c.mla_tp * c.mla_dp;
    int moe_tps[8], k = 0;
    for (int t = 1; t <= 16; t *= 2)
        if (n % t == 0)
            moe_tps[k++] = t;
    c.moe_tp = rng_pick(moe_tps, k);
    c.moe_ep = n / c.moe_tp;
    c.sp = 1;
    if (sc->phase == SVP_PHASE_PREFILL) {
        int sps[8], j = 0;
        for (int s = 1; s <= c.mla_tp; s *= 2)
            sps[j++] = s;
        c.sp = rng_pick(sps, j);
        c.batch = c.mla_dp * rng_int(1, 4) + rng_int(0, c.mla_dp - 1);
    } else {
        c.batch = c.mla_dp * rng_int(1, 128) + rng_int(0, c.mla_dp - 1);
    }
    return c;
}

/* A random problem whose configuration passes the structural checks. */
static problem gen_problem(void)
{
    for (;;) {
        problem p;
        p.hw = gen_hw();
        p.m = gen_model();
        p.sc = gen_scenario();
        p.o = gen_opts(&p.sc);
        p.c = gen_config(&p.sc);
        svp_metrics r;
        svp_eval(&p.hw, &p.m, &p.sc, &p.c, &p.o, &r, NULL);
        if (r.has_metrics)
            return p;
    }
}

static void eval(const problem *p, svp_metrics *r) { svp_eval(&p->hw, &p->m, &p->sc, &p->c, &p->o, r, NULL); }

#define N_CASES 4000

/* ---- (a) hardware monotonicity -------------------------------------------- */

START_TEST(test_a_slower_hw_never_faster)
{
    rng_state = 0xA11CE;
    for (int i = 0; i < N_CASES; i++) {
        problem p = gen_problem();
        svp_metrics base;
        eval(&p, &base);
        for (int which = 0; which < 5; which++) {
            problem q = p;
            double f = rng_range(0.05, 1.0);
            if (which == 0 || which == 4)
                for (int d = 0; d < SVP_DT_COUNT; d++)
                    q.hw.peak_flops[d] *= f;
            if (which == 1 || which == 4)
                q.hw.hbm_bytes_per_s *= f;
            if (which == 2 || which == 4)
                q.hw.c2c_bytes_per_s *= f;
            if (which == 3 || which == 4)
                q.hw.a2a_bytes_per_s *= f;
            svp_metrics r;
            eval(&q, &r);
            ck_assert_int_eq(r.has_metrics, 1);
            ck_assert_msg(r.tps_per_chip <= base.tps_per_chip * (1.0 + SLACK),
                          "case %d knob %d factor %.3f: tps %.17g > %.17g", i, which, f,
                          r.tps_per_chip, base.tps_per_chip);
            ck_assert_msg(r.step_s >= base.step_s * (1.0 - SLACK), "case %d knob %d: step fell",
                          i, which);
        }
    }
}
END_TEST

/* A small grid for the search properties. */
static int sg_batch[] = {8, 32, 128, 512};
static int sg_tp[] = {1, 2, 4, 8};
static int sg_dp[] = {1, 2, 4, 8, 16};
static int sg_moe_tp[] = {1, 2, 4};
static int sg_ep[] = {1, 2, 4, 8, 16, 32, 64};
static int sg_sp[] = {1, 2};

static svp_space search_space(void)
{
    svp_space s;
    s.batch = fx_grid(sg_batch, 4);
    s.mla_tp = fx_grid(sg_tp, 4);
    s.mla_dp = fx_grid(sg_dp, 5);
    s.moe_tp = fx_grid(sg_moe_tp, 3);
    s.moe_ep = fx_grid(sg_ep, 7);
    s.sp = fx_grid(sg_sp, 2);
    return s;
}

START_TEST(test_a_less_dram_never_better_optimum)
{
    rng_state = 0xD7A3;
    svp_space s = search_space();
    int found_some = 0;
    for (int i = 0; i < 150; i++) {
        problem p = gen_problem();
        p.hw.dram_bytes = rng_range(100.0, 3000.0) * SVP_GB;
        svp_problem pb = {&p.hw, &p.m, &p.sc, &s, &p.o};
        svp_plan big, small;
        int rb = svp_search(&pb, NULL, NULL, &big, NULL);
        svp_hw less = p.hw;
        less.dram_bytes *= rng_range(0.05, 1.0);
        pb.hw = &less;
        int rs = svp_search(&pb, NULL, NULL, &small, NULL);
        ck_assert(rb >= 0 && rs >= 0);
        if (rs == 1) {
            /* a plan feasible with less DRAM is feasible with more */
            ck_assert_int_eq(rb, 1);
            ck_assert_msg(small.m.tps_per_chip <= big.m.tps_per_chip * (1.0 + SLACK),
                          "case %d: less DRAM gave %.17g > %.17g", i, small.m.tps_per_chip,
                          big.m.tps_per_chip);
        }
        found_some += rb == 1;
    }
    /* the property must not hold vacuously */
    ck_assert_msg(found_some > 20, "only %d problems had a feasible plan", found_some);
}
END_TEST

/* ---- (b) latency grows with Batch ------------------------------------------ */

START_TEST(test_b_latency_never_falls_with_batch)
{
    rng_state = 0xBA7C4;
    for (int i = 0; i < N_CASES / 4; i++) {
        problem p = gen_problem();
        int decode = p.sc.phase == SVP_PHASE_DECODE;
        double prev = 0.0;
        int prev_b = 0;
        /* Batch from MLA_DP (b = 1) upwards, in steps that cross and stay
         * inside ceil(Batch / MLA_DP) values. */
        for (int k = 0; k < 24; k++) {
            problem q = p;
            q.c.batch = p.c.mla_dp + k * (k + 1) / 2 * (decode ? 3 : 1);
            svp_metrics r;
            eval(&q, &r);
            ck_assert_int_eq(r.has_metrics, 1);
            double lat = decode ? r.tpot_s : r.ftl_s;
            /* TBO needs b >= 2: going from b = 1 (never TBO) to b = 2 (TBO
             * when on/auto) may legitimately get faster -- that is TBO's
             * purpose -- so with TBO enabled compare only b >= 2 pairs. */
            int comparable = k > 0 && (p.o.tbo == SVP_TBO_OFF || prev_b >= 2);
            if (comparable)
                ck_assert_msg(lat >= prev * (1.0 - SLACK),
                              "case %d: Batch %d latency %.17g < %.17g at the smaller batch", i,
                              q.c.batch, lat, prev);
            prev = lat;
            prev_b = r.batch_per_rank;
        }
    }
}
END_TEST

/* ---- (c) per-op >= global ---------------------------------------------------- */

START_TEST(test_c_per_op_never_below_global)
{
    rng_state = 0xC0FFEE;
    for (int i = 0; i < N_CASES; i++) {
        problem p = gen_problem();
        svp_metrics per_op, global;
        p.o.roofline = SVP_ROOF_PER_OP;
        eval(&p, &per_op);
        p.o.roofline = SVP_ROOF_GLOBAL;
        eval(&p, &global);
        ck_assert_msg(per_op.step_s >= global.step_s * (1.0 - SLACK),
                      "case %d: per-op %.17g < global %.17g", i, per_op.step_s, global.step_s);
        /* the aggregates do not depend on the mode when TBO makes the same choice */
        if (per_op.tbo_used == global.tbo_used) {
            FX_CLOSE(per_op.t_comp_s, global.t_comp_s, 1e-12);
            FX_CLOSE(per_op.t_mem_s, global.t_mem_s, 1e-12);
            FX_CLOSE(per_op.t_comm_s, global.t_comm_s, 1e-12);
        }
    }
}
END_TEST

/* ---- (d) physical >= seed DRAM ------------------------------------------------- */

START_TEST(test_d_physical_dram_at_least_seed)
{
    rng_state = 0xD4A;
    int checked = 0;
    for (int i = 0; i < N_CASES; i++) {
        problem p = gen_problem();
        if (p.c.mla_dp <= 1 && p.c.mla_tp <= 1)
            continue;
        svp_metrics r;
        eval(&p, &r);
        checked++;
        ck_assert_msg(r.dram_physical_bytes >= r.dram_seed_bytes * (1.0 - SLACK),
                      "case %d: physical %.17g < seed %.17g", i, r.dram_physical_bytes,
                      r.dram_seed_bytes);
    }
    ck_assert(checked > N_CASES / 2);
}
END_TEST

/* ---- (e) finite metrics and identities ------------------------------------------ */

static void check_finite(int i, const svp_metrics *r, const svp_breakdown *bd)
{
    const double v[] = {
        r->n_chips, r->tokens_per_request_step, r->step_s, r->tpot_s, r->tps_per_user, r->ftl_s,
        r->tps_per_chip, r->cluster_tps, r->t_comp_s, r->t_mem_s, r->t_comm_s,
        r->t_compute_bound_s, r->t_memory_bound_s, r->t_comm_exposed_s, r->t_overhead_s,
        r->share_compute, r->share_memory, r->share_comm, r->t_tp_comm_s, r->t_ep_comm_s,
        r->t_moe_tp_comm_s, r->dram_physical_bytes, r->dram_seed_bytes, r->dram_bytes,
        r->dram_capacity_bytes, r->dram_weights_bytes, r->dram_kv_bytes, r->dram_act_bytes,
        r->dram_reserve_bytes, r->flops_per_step, r->hbm_bytes_per_step,
    };
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
        ck_assert_msg(isfinite(v[k]), "case %d: metric %zu is %g", i, k, v[k]);
        ck_assert_msg(v[k] >= 0.0, "case %d: metric %zu is negative (%g)", i, k, v[k]);
    }
    for (int k = 0; k < bd->n; k++) {
        const svp_op_rec *o = &bd->ops[k];
        ck_assert_msg(isfinite(o->flops) && isfinite(o->bytes) && isfinite(o->t_s)
                          && isfinite(o->t_compute_s) && isfinite(o->t_memory_s),
                      "case %d: operator %s not finite", i, o->name);
        ck_assert_msg(o->count > 0, "case %d: operator %s count %d", i, o->name, o->count);
    }
}

START_TEST(test_e_finite_and_consistent)
{
    rng_state = 0xE1E1;
    /* coverage of the generator, so no property holds vacuously */
    int n_decode = 0, n_prefill = 0, n_tbo = 0, n_mtp = 0, n_global = 0, n_two_rank = 0;
    int n_multi_domain = 0, n_feasible = 0, n_dram = 0, n_slo = 0, n_sp = 0;
    for (int i = 0; i < N_CASES; i++) {
        problem p = gen_problem();
        svp_metrics r;
        svp_breakdown bd;
        svp_eval(&p.hw, &p.m, &p.sc, &p.c, &p.o, &r, &bd);
        check_finite(i, &r, &bd);
        n_decode += p.sc.phase == SVP_PHASE_DECODE;
        n_prefill += p.sc.phase == SVP_PHASE_PREFILL;
        n_tbo += r.tbo_used;
        n_mtp += p.sc.phase == SVP_PHASE_DECODE && p.o.mtp_draft > 0;
        n_global += p.o.roofline == SVP_ROOF_GLOBAL;
        n_two_rank += p.hw.ranks_per_chip == 2;
        n_multi_domain += r.n_ranks > svp_hw_domain_ranks(&p.hw);
        n_feasible += r.reason == SVP_FEASIBLE;
        n_dram += r.reason == SVP_INF_DRAM;
        n_slo += r.reason == SVP_INF_SLO;
        n_sp += p.c.sp > 1;
        ck_assert(r.step_s > 0.0 && r.tps_per_chip > 0.0);

        double denom = r.t_compute_bound_s + r.t_memory_bound_s + r.t_comm_exposed_s;
        if (denom > 0.0)
            FX_CLOSE(r.share_compute + r.share_memory + r.share_comm, 1.0, 1e-12);

        /* identities of cost.h / MODEL.md section 2 */
        FX_CLOSE(r.cluster_tps, r.tps_per_chip * r.n_chips, 1e-12);
        FX_CLOSE(r.n_chips, (double)r.n_ranks / p.hw.ranks_per_chip, 1e-12);
        FX_CLOSE(r.dram_physical_bytes,
                 r.dram_weights_bytes + r.dram_kv_bytes + r.dram_act_bytes + r.dram_reserve_bytes,
                 1e-12);
        FX_CLOSE(r.dram_bytes, p.o.memory_model == SVP_MEM_SEED ? r.dram_seed_bytes
                                                                : r.dram_physical_bytes, 1e-12);
        FX_CLOSE(r.t_comm_s, r.t_tp_comm_s + r.t_ep_comm_s + r.t_moe_tp_comm_s, 1e-12);
        ck_assert(r.t_comm_exposed_s <= r.t_comm_s * (1.0 + 1e-12) + 1e-15);
        ck_assert(r.step_s >= r.t_overhead_s);
        if (p.sc.phase == SVP_PHASE_DECODE) {
            /* MTP counts only with an MTP module to draft with. */
            double L = p.o.mtp_draft > 0 && p.m.n_mtp_modules > 0 ? p.o.mtp_accept : 1.0;
            FX_CLOSE(r.tpot_s, r.step_s / L, 1e-12);
            FX_CLOSE(r.tps_per_user, 1.0 / r.tpot_s, 1e-12);
            FX_CLOSE(r.tps_per_chip, p.c.batch * L / r.step_s / r.n_chips, 1e-12);
        } else {
            FX_CLOSE(r.ftl_s, r.step_s, 1e-12);
            FX_CLOSE(r.tps_per_chip, (double)p.c.batch * p.sc.input_len / r.step_s / r.n_chips,
                     1e-12);
        }
        if (r.tbo_used)
            ck_assert(r.batch_per_rank >= 2 && p.o.tbo != SVP_TBO_OFF);
        if (p.o.tbo == SVP_TBO_OFF)
            ck_assert_int_eq(r.tbo_used, 0);
        /* the breakdown's collectives add up to T_comm */
        double comm = 0.0;
        for (int k = 0; k < bd.n; k++)
            if (bd.ops[k].group == SVP_OPG_COMM)
                comm += bd.ops[k].t_s;
        FX_CLOSE(comm, r.t_comm_s, 1e-12);
    }
    const int floor_ = N_CASES / 40;
    ck_assert_msg(n_decode > floor_ && n_prefill > floor_ && n_tbo > floor_ && n_mtp > floor_
                      && n_global > floor_ && n_two_rank > floor_ && n_multi_domain > floor_
                      && n_feasible > floor_ && n_dram > floor_ && n_slo > floor_ && n_sp > floor_,
                  "generator coverage: decode %d prefill %d tbo %d mtp %d global %d 2-rank %d "
                  "multi-domain %d feasible %d dram %d slo %d sp %d",
                  n_decode, n_prefill, n_tbo, n_mtp, n_global, n_two_rank, n_multi_domain,
                  n_feasible, n_dram, n_slo, n_sp);
}
END_TEST

/* ---- (f) search optimum --------------------------------------------------------- */

typedef struct watcher {
    svp_plan top;
    int have;
    long feasible;
} watcher;

static int watch(void *ctx, const svp_plan *p)
{
    watcher *w = ctx;
    if (p->m.reason == SVP_FEASIBLE) {
        w->feasible++;
        if (!w->have || svp_metrics_better(&p->m, &w->top.m)) {
            w->top = *p;
            w->have = 1;
        }
    }
    return 0;
}

START_TEST(test_f_search_optimum)
{
    rng_state = 0xF00D;
    svp_space s = search_space();
    int with_plan = 0;
    for (int i = 0; i < 150; i++) {
        problem p = gen_problem();
        svp_problem pb = {&p.hw, &p.m, &p.sc, &s, &p.o};
        watcher w;
        memset(&w, 0, sizeof w);
        svp_plan best;
        svp_search_stats st;
        int rc = svp_search(&pb, watch, &w, &best, &st);
        ck_assert_int_eq(rc, w.have ? 1 : 0);
        FX_CLOSE(st.by_reason[SVP_FEASIBLE], (double)w.feasible, 0.0);
        if (!w.have)
            continue;
        with_plan++;
        ck_assert_int_eq(best.m.reason, SVP_FEASIBLE);
        ck_assert_msg(!svp_metrics_better(&w.top.m, &best.m),
                      "case %d: a visited plan beats the optimum", i);
        FX_CLOSE(best.m.tps_per_chip, w.top.m.tps_per_chip, 0.0);
    }
    ck_assert_msg(with_plan > 20, "only %d problems had a feasible plan", with_plan);
}
END_TEST

static Suite *props_suite(void)
{
    Suite *s = suite_create("props");
    TCase *tc = tcase_create("props");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_a_slower_hw_never_faster);
    tcase_add_test(tc, test_a_less_dram_never_better_optimum);
    tcase_add_test(tc, test_b_latency_never_falls_with_batch);
    tcase_add_test(tc, test_c_per_op_never_below_global);
    tcase_add_test(tc, test_d_physical_dram_at_least_seed);
    tcase_add_test(tc, test_e_finite_and_consistent);
    tcase_add_test(tc, test_f_search_optimum);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(props_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
