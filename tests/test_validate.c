/*
 * test_validate.c - the deployments reader (deploy.h), validation and
 * calibration (calibrate.h).
 *
 * Calibration is tested on synthetic measurements: svp_eval with known
 * "true" parameters produces the measured throughputs, calibration starts
 * from other values and must find the true ones again (within 2%).  The
 * sign convention is tested with measurements set to a known multiple of the
 * prediction.  Every fixture is built here in memory (the chip, the model,
 * the deployment rows), except the reader's files under tests/data/validate/.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check_util.h"
#include "model_fixtures.h"
#include "servplan/alloc.h"
#include "servplan/calibrate.h"
#include "servplan/cost.h"
#include "servplan/deploy.h"
#include "servplan/units.h"

#define VDIR "tests/data/validate/"

/* DeepSeek-V3 (model_fixtures.h). */
static svp_model v3(void)
{
    return fx_v3();
}

/* The invented round-number chip of model_fixtures.h (2 TB of DRAM, so no
 * configuration below is DRAM-infeasible), named, with no step overhead and
 * eff_attn_mem given: its parameters are the calibration's starting point. */
static svp_hw chip(const char *name)
{
    svp_hw hw = fx_chip();
    fx_name(hw.name, sizeof hw.name, name);
    hw.eff_attn_mem = 0.5;
    hw.step_overhead_s = 0.0;
    return hw;
}

static svp_deployment dep(const char *id, const char *chip_name, svp_phase phase, int batch,
                          int mla_tp, int mla_dp, int moe_ep, int input_len, int output_len,
                          svp_tbo tbo, int k, double l)
{
    svp_deployment r;

    memset(&r, 0, sizeof r);
    fx_name(r.id, sizeof r.id, id);
    fx_name(r.chip, sizeof r.chip, chip_name);
    r.phase = phase;
    r.cfg.batch = batch;
    r.cfg.mla_tp = mla_tp;
    r.cfg.mla_dp = mla_dp;
    r.cfg.moe_tp = 1;
    r.cfg.moe_ep = moe_ep;
    r.cfg.sp = 1;
    r.n_ranks = mla_tp * mla_dp;
    r.input_len = input_len;
    r.output_len = phase == SVP_PHASE_DECODE ? output_len : 0;
    r.tbo = tbo;
    r.mtp_draft = k;
    r.mtp_accept = l;
    r.weight_dtype = SVP_DT_FP8;
    r.kv_dtype = SVP_DT_BF16;
    r.measured_tps_per_chip = 1.0;
    return r;
}

/* A varied set of eight measurements on one chip: memory-bound small-batch
 * decode with and without TBO, compute-heavy large-batch decode, MTP,
 * scale-out (16 ranks over two 8-chip domains), prefill with and without
 * TBO.  Together they separate per-step from per-layer overheads (TBO
 * doubles the per-layer count, not the per-step one) and GEMM from memory
 * efficiency. */
#define N_SYN 8
static void synthetic_rows(svp_deployment *rows, const char *chip_name)
{
    rows[0] = dep("dec-b8", chip_name, SVP_PHASE_DECODE, 8, 1, 8, 8, 2048, 512, SVP_TBO_OFF, 0, 1.0);
    rows[1] = dep("dec-b64-tbo", chip_name, SVP_PHASE_DECODE, 64, 1, 8, 8, 2048, 512, SVP_TBO_ON, 0, 1.0);
    rows[2] = dep("dec-b64", chip_name, SVP_PHASE_DECODE, 64, 1, 8, 8, 2048, 512, SVP_TBO_OFF, 0, 1.0);
    rows[3] = dep("dec-b2048-tbo", chip_name, SVP_PHASE_DECODE, 2048, 1, 8, 8, 1024, 256, SVP_TBO_ON, 0, 1.0);
    rows[4] = dep("dec-mtp", chip_name, SVP_PHASE_DECODE, 256, 1, 8, 8, 4096, 1024, SVP_TBO_OFF, 1, 1.7);
    rows[5] = dep("dec-ep16", chip_name, SVP_PHASE_DECODE, 512, 1, 16, 16, 2048, 512, SVP_TBO_ON, 0, 1.0);
    rows[6] = dep("pre-b8", chip_name, SVP_PHASE_PREFILL, 8, 1, 8, 8, 4096, 0, SVP_TBO_OFF, 0, 1.0);
    rows[7] = dep("pre-b32-tbo", chip_name, SVP_PHASE_PREFILL, 32, 8, 1, 8, 2048, 0, SVP_TBO_ON, 0, 1.0);
}

/* The "measurements": the model's own prediction with the true chip. */
static void measure(const svp_hw *truth, const svp_model *m, svp_deployment *rows, size_t n)
{
    svp_opts base = svp_opts_default();

    for (size_t i = 0; i < n; i++) {
        svp_metrics met;

        svp_deployment_eval(truth, m, &rows[i], &base, &met, NULL);
        ck_assert_msg(met.has_metrics && met.reason == SVP_FEASIBLE, "%s: %s", rows[i].id,
                      svp_reason_code(met.reason));
        rows[i].measured_tps_per_chip = met.tps_per_chip;
    }
}

/* ---- parameters ---------------------------------------------------------- */

START_TEST(param_names_and_bounds)
{
    svp_param p;
    double lo, hi;

    ck_assert_int_eq(svp_param_parse("eff_gemm", &p), 0);
    ck_assert_int_eq(p, SVP_PAR_EFF_GEMM);
    ck_assert_int_eq(svp_param_parse("layer_overhead_us", &p), 0);
    ck_assert_int_eq(p, SVP_PAR_LAYER_OVERHEAD);
    ck_assert_int_eq(svp_param_parse("step_overhead", &p), 0);
    ck_assert_int_eq(p, SVP_PAR_STEP_OVERHEAD);
    ck_assert_int_eq(svp_param_parse("eff", &p), -1);
    ck_assert_int_eq(svp_param_parse("eff_gemm_us", &p), -1);
    for (int i = 0; i < SVP_PAR_COUNT; i++) {
        ck_assert_int_eq(svp_param_parse(svp_param_name((svp_param)i), &p), 0);
        ck_assert_int_eq(p, i);
    }
    /* README "Validation": efficiencies [0.05, 1]; per collective and per
     * layer [0, 5 ms]; per step [0, 100 ms]. */
    svp_param_bounds(SVP_PAR_EFF_NET_OUT, &lo, &hi);
    SVP_CK_REL(lo, 0.05, 1e-15);
    SVP_CK_REL(hi, 1.0, 1e-15);
    svp_param_bounds(SVP_PAR_COLL_LATENCY, &lo, &hi);
    ck_assert(lo == 0.0);
    SVP_CK_REL(hi, 0.005, 1e-15);
    svp_param_bounds(SVP_PAR_STEP_OVERHEAD, &lo, &hi);
    SVP_CK_REL(hi, 0.1, 1e-15);

    svp_hw hw = chip("c");
    svp_param_set(&hw, SVP_PAR_LAYER_OVERHEAD, 33e-6);
    SVP_CK_REL(svp_param_get(&hw, SVP_PAR_LAYER_OVERHEAD), 33e-6, 1e-15);
    SVP_CK_REL(hw.layer_overhead_s, 33e-6, 1e-15);
}
END_TEST

START_TEST(default_params_fewer_than_points)
{
    svp_model m = v3();
    svp_hw hw = chip("syn");
    svp_deployment rows[N_SYN];
    const svp_deployment *pts[N_SYN];
    svp_opts base = svp_opts_default();
    svp_param p[SVP_PAR_COUNT];

    /* The order: fabric first, then the engine's fixed costs. */
    ck_assert_int_eq(svp_calib_order(0), SVP_PAR_EFF_NET_OUT);
    ck_assert_int_eq(svp_calib_order(1), SVP_PAR_STEP_OVERHEAD);
    ck_assert_int_eq(svp_calib_order(2), SVP_PAR_LAYER_OVERHEAD);
    ck_assert_int_eq(svp_calib_order(SVP_PAR_COUNT), SVP_PAR_COUNT);
    for (size_t i = 0; i < SVP_PAR_COUNT; i++)
        for (size_t j = 0; j < i; j++)
            ck_assert_int_ne(svp_calib_order(i), svp_calib_order(j));

    synthetic_rows(rows, "syn");
    for (size_t i = 0; i < N_SYN; i++)
        pts[i] = &rows[i];
    /* 0 or 1 point: nothing is free. */
    ck_assert_uint_eq(svp_calib_default_params(&hw, &m, &base, pts, 0, p), 0);
    ck_assert_uint_eq(svp_calib_default_params(&hw, &m, &base, pts, 1, p), 0);
    /* Rows 0-2 run 8 ranks in one 8-chip domain: no scale-out traffic, so
     * eff_net_out is skipped and 3 points free step and layer overhead. */
    ck_assert_uint_eq(svp_calib_default_params(&hw, &m, &base, pts, 3, p), 2);
    ck_assert_int_eq(p[0], SVP_PAR_STEP_OVERHEAD);
    ck_assert_int_eq(p[1], SVP_PAR_LAYER_OVERHEAD);
    /* Row 5 spans two domains (16 ranks): eff_net_out comes first. */
    pts[1] = &rows[5];
    ck_assert_uint_eq(svp_calib_default_params(&hw, &m, &base, pts, 3, p), 2);
    ck_assert_int_eq(p[0], SVP_PAR_EFF_NET_OUT);
    ck_assert_int_eq(p[1], SVP_PAR_STEP_OVERHEAD);
    /* Eight points: seven of the nine, all distinct. */
    pts[1] = &rows[1];
    ck_assert_uint_eq(svp_calib_default_params(&hw, &m, &base, pts, N_SYN, p), N_SYN - 1);
    for (int i = 0; i < N_SYN - 1; i++)
        for (int j = 0; j < i; j++)
            ck_assert_int_ne(p[i], p[j]);
}
END_TEST

/* ---- calibration recovers known parameters -------------------------------- */

static void recover(const svp_param *params, size_t n_params, const svp_hw *truth)
{
    svp_model m = v3();
    svp_hw start = chip("syn");
    svp_deployment rows[N_SYN];
    const svp_deployment *pts[N_SYN];
    svp_opts base = svp_opts_default();
    svp_calib_problem pb;
    svp_calib_result res;
    svp_diag d;

    synthetic_rows(rows, "syn");
    measure(truth, &m, rows, N_SYN);
    for (size_t i = 0; i < N_SYN; i++)
        pts[i] = &rows[i];
    pb.hw = &start;
    pb.model = &m;
    pb.base = &base;
    pb.points = pts;
    pb.n_points = N_SYN;
    pb.params = params;
    pb.n_params = n_params;
    svp_diag_clear(&d);
    ck_assert_int_eq(svp_calibrate(&pb, &res, &d), SVP_OK);
    ck_assert_uint_eq(res.n_params, n_params);
    for (size_t j = 0; j < n_params; j++) {
        double want = svp_param_get(truth, params[j]);
        ck_assert_msg(fabs(res.after[j] - want) <= 0.02 * want,
                      "%s: fitted %.6g, true %.6g (started at %.6g)",
                      svp_param_name(params[j]), res.after[j], want, res.before[j]);
        SVP_CK_REL(svp_param_get(&res.hw, params[j]), res.after[j], 1e-15);
        SVP_CK_REL(res.before[j], svp_param_get(&start, params[j]), 1e-15);
        ck_assert_int_eq(res.at_bound[j], 0);
        ck_assert_int_eq(res.insensitive[j], 0);
    }
    /* The start was wrong; the end is right to the 4-digit rounding. */
    ck_assert(res.rms_log_before > 0.05);
    ck_assert_msg(res.rms_log_after < 1e-3, "rms after %g", res.rms_log_after);
    for (size_t i = 0; i < N_SYN; i++) {
        ck_assert(res.points[i].dep == &rows[i]);
        ck_assert_msg(fabs(res.points[i].err_after_pct) < 0.2, "%s: %g%%", rows[i].id,
                      res.points[i].err_after_pct);
    }
    /* Identity and text columns are untouched. */
    ck_assert_str_eq(res.hw.name, "syn");
    SVP_CK_REL(res.hw.hbm_bytes_per_s, start.hbm_bytes_per_s, 1e-15);
    svp_calib_result_fini(&res);
    ck_assert(res.points == NULL);
}

START_TEST(calibration_recovers_overheads_and_efficiencies)
{
    /* Truth: GEMMs at 62% of peak, weights streamed at 71% of HBM, 35 µs
     * per layer and micro-batch, 1.5 ms per step; the start (chip()) has
     * 0.5, 0.5, 20 µs and 0. */
    svp_hw truth = chip("syn");
    const svp_param params[] = {SVP_PAR_STEP_OVERHEAD, SVP_PAR_LAYER_OVERHEAD,
                                SVP_PAR_EFF_GEMM, SVP_PAR_EFF_MEM};

    truth.eff_gemm = 0.62;
    truth.eff_mem = 0.71;
    truth.layer_overhead_s = 35.0 * SVP_US;
    truth.step_overhead_s = 1.5 * SVP_MS;
    recover(params, 4, &truth);
}
END_TEST

START_TEST(calibration_recovers_six_parameters)
{
    /* Also the attention core's compute efficiency and the scale-out
     * network's: truth 0.58 and 0.66. */
    svp_hw truth = chip("syn");
    const svp_param params[] = {SVP_PAR_STEP_OVERHEAD, SVP_PAR_LAYER_OVERHEAD,
                                SVP_PAR_EFF_GEMM, SVP_PAR_EFF_MEM, SVP_PAR_EFF_ATTN,
                                SVP_PAR_EFF_NET_OUT};

    truth.eff_gemm = 0.62;
    truth.eff_mem = 0.71;
    truth.eff_attn = 0.58;
    truth.eff_net_out = 0.66;
    truth.layer_overhead_s = 35.0 * SVP_US;
    truth.step_overhead_s = 1.5 * SVP_MS;
    recover(params, 6, &truth);
}
END_TEST

START_TEST(calibration_stops_at_bounds)
{
    /* Measurements 10x faster than the model can ever get with the
     * efficiencies at 1 and no overheads: eff_gemm and eff_mem must end at
     * their upper bound 1, the step overhead at its lower bound 0, and the
     * fit must say so. */
    svp_model m = v3();
    svp_hw start = chip("syn");
    svp_deployment rows[N_SYN];
    const svp_deployment *pts[N_SYN];
    svp_opts base = svp_opts_default();
    const svp_param params[] = {SVP_PAR_EFF_GEMM, SVP_PAR_EFF_MEM, SVP_PAR_STEP_OVERHEAD};
    svp_calib_problem pb = {&start, &m, &base, pts, N_SYN, params, 3};
    svp_calib_result res;
    svp_diag d;

    synthetic_rows(rows, "syn");
    measure(&start, &m, rows, N_SYN);
    for (size_t i = 0; i < N_SYN; i++) {
        rows[i].measured_tps_per_chip *= 10.0;
        pts[i] = &rows[i];
    }
    ck_assert_int_eq(svp_calibrate(&pb, &res, &d), SVP_OK);
    ck_assert(res.after[0] == 1.0);
    ck_assert_int_eq(res.at_bound[0], 1);
    ck_assert(res.after[1] == 1.0);
    ck_assert_int_eq(res.at_bound[1], 1);
    ck_assert(res.after[2] == 0.0);
    ck_assert_int_eq(res.at_bound[2], -1);
    ck_assert(res.rms_log_after < res.rms_log_before);
    for (size_t i = 0; i < N_SYN; i++)
        ck_assert(res.points[i].err_after_pct < 0.0);   /* still pessimistic */
    svp_calib_result_fini(&res);
}
END_TEST

START_TEST(calibration_insensitive_parameter)
{
    /* One-domain decode rows never touch the scale-out network: eff_net_out
     * has no effect, is reported as such and left unchanged. */
    svp_model m = v3();
    svp_hw start = chip("syn");
    svp_hw truth = chip("syn");
    svp_deployment rows[3];
    const svp_deployment *pts[3];
    svp_opts base = svp_opts_default();
    const svp_param params[] = {SVP_PAR_EFF_NET_OUT, SVP_PAR_STEP_OVERHEAD};
    svp_calib_problem pb = {&start, &m, &base, pts, 3, params, 2};
    svp_calib_result res;
    svp_diag d;

    {
        svp_deployment all[N_SYN];
        synthetic_rows(all, "syn");   /* rows 0-2: 8 ranks, one domain */
        memcpy(rows, all, sizeof rows);
    }
    truth.step_overhead_s = 2.0 * SVP_MS;
    measure(&truth, &m, rows, 3);
    for (size_t i = 0; i < 3; i++)
        pts[i] = &rows[i];
    ck_assert_int_eq(svp_calibrate(&pb, &res, &d), SVP_OK);
    ck_assert_int_ne(res.insensitive[0], 0);
    ck_assert(res.after[0] == start.eff_net_out);
    ck_assert_int_eq(res.insensitive[1], 0);
    SVP_CK_REL(res.after[1], 2.0 * SVP_MS, 0.02);
    svp_calib_result_fini(&res);
}
END_TEST

START_TEST(calibration_refusals)
{
    svp_model m = v3();
    svp_hw hw_rows[2] = {chip("A"), chip("B")};
    svp_hw_table hw = {hw_rows, 2};
    svp_deployment rows[2];
    svp_deployment_table deps;
    svp_opts base = svp_opts_default();
    svp_calib_result res;
    svp_diag d;
    svp_err err;
    const svp_param twice[] = {SVP_PAR_EFF_GEMM, SVP_PAR_EFF_GEMM};

    {
        svp_deployment all[N_SYN];
        synthetic_rows(all, "A");
        rows[0] = all[0];
        rows[1] = all[6];
    }
    memset(&deps, 0, sizeof deps);
    deps.rows = rows;
    deps.n = 1;
    fx_name(deps.file, sizeof deps.file, "mem.csv");

    /* A chip without rows: a data error naming the chip and the chips that
     * have rows. */
    svp_diag_clear(&d);
    err = svp_calibrate_chip(&hw, &m, &deps, "B", &base, NULL, 0, &res, &d);
    ck_assert_int_eq(err, SVP_ERR_DATA);
    ck_assert_msg(strstr(d.msg, "'B'") != NULL && strstr(d.msg, "rows exist for: A") != NULL,
                  "%s", d.msg);
    ck_assert(res.points == NULL);

    /* A chip not in the table. */
    err = svp_calibrate_chip(&hw, &m, &deps, "C", &base, NULL, 0, &res, &d);
    ck_assert_int_eq(err, SVP_ERR_USAGE);

    /* One row: no free parameter by default, so a usage error that points
     * at --params; with --params it fits. */
    err = svp_calibrate_chip(&hw, &m, &deps, "A", &base, NULL, 0, &res, &d);
    ck_assert_int_eq(err, SVP_ERR_USAGE);
    ck_assert_msg(strstr(d.msg, "--params") != NULL, "%s", d.msg);
    {
        const svp_param one[] = {SVP_PAR_STEP_OVERHEAD};
        err = svp_calibrate_chip(&hw, &m, &deps, "A", &base, one, 1, &res, &d);
        ck_assert_int_eq(err, SVP_OK);
        ck_assert_uint_eq(res.n_points, 1);
        svp_calib_result_fini(&res);
    }

    /* Two rows in one domain: one default parameter, the per-step overhead
     * (eff_net_out is skipped: nothing crosses the scale-out network). */
    deps.n = 2;
    rows[0].measured_tps_per_chip = 1000.0;
    rows[1].measured_tps_per_chip = 1000.0;
    err = svp_calibrate_chip(&hw, &m, &deps, "A", &base, NULL, 0, &res, &d);
    ck_assert_int_eq(err, SVP_OK);
    ck_assert_uint_eq(res.n_params, 1);
    ck_assert_int_eq(res.params[0], SVP_PAR_STEP_OVERHEAD);
    svp_calib_result_fini(&res);

    /* A parameter listed twice. */
    err = svp_calibrate_chip(&hw, &m, &deps, "A", &base, twice, 2, &res, &d);
    ck_assert_int_eq(err, SVP_ERR_USAGE);
    ck_assert_msg(strstr(d.msg, "twice") != NULL, "%s", d.msg);

    /* A row that cannot be evaluated at all (Batch < MLA_DP: idle ranks). */
    rows[1].cfg.batch = 4;
    rows[1].cfg.mla_dp = 8;
    err = svp_calibrate_chip(&hw, &m, &deps, "A", &base, NULL, 0, &res, &d);
    ck_assert_int_eq(err, SVP_ERR_DATA);
    ck_assert_msg(strstr(d.msg, rows[1].id) != NULL, "%s", d.msg);
}
END_TEST

/* ---- validation ------------------------------------------------------------ */

START_TEST(validate_sign_convention_and_summary)
{
    /* Measurements set to prediction / f: error = (p - p/f) / (p/f) x 100 =
     * (f - 1) x 100.  f = 1.25 -> +25%, 0.8 -> -20%, 2 -> +100%,
     * 0.5 -> -50%.  |errors| 25, 20, 100, 50: median (25 + 50) / 2 = 37.5,
     * worst 100 (row 2). */
    static const double f[4] = {1.25, 0.8, 2.0, 0.5};
    svp_model m = v3();
    svp_hw hw_rows[1] = {chip("A")};
    svp_hw_table hw = {hw_rows, 1};
    svp_deployment all[N_SYN], rows[4];
    svp_deployment_table deps;
    svp_val_row out[4];
    svp_val_summary sum;
    svp_opts base = svp_opts_default();
    svp_diag d;

    synthetic_rows(all, "A");
    rows[0] = all[0];
    rows[1] = all[3];
    rows[2] = all[4];
    rows[3] = all[6];
    measure(&hw_rows[0], &m, rows, 4);
    for (int i = 0; i < 4; i++) {
        rows[i].measured_tps_per_chip /= f[i];
        rows[i].measured_latency_s = 0.0;
    }
    /* A published latency on row 0, twice the prediction's: latency error
     * (p - 2p) / 2p = -50% (predicted faster). */
    {
        svp_metrics met;
        svp_deployment_eval(&hw_rows[0], &m, &rows[0], &base, &met, NULL);
        rows[0].measured_latency_s = 2.0 * met.tpot_s;
    }
    memset(&deps, 0, sizeof deps);
    deps.rows = rows;
    deps.n = 4;
    ck_assert_int_eq(svp_validate_all(&hw, &m, &deps, &base, 0, out, &sum, &d), SVP_OK);
    for (int i = 0; i < 4; i++) {
        ck_assert(out[i].has_pred);
        ck_assert(out[i].dep == &rows[i]);
        ck_assert(out[i].hw == &hw_rows[0]);
        SVP_CK_REL(out[i].err_pct, (f[i] - 1.0) * 100.0, 1e-9);
        ck_assert_int_eq(out[i].loo_basis, SVP_LOO_NONE);
    }
    ck_assert(out[0].has_latency_err);
    SVP_CK_REL(out[0].latency_err_pct, -50.0, 1e-9);
    ck_assert(!out[1].has_latency_err);
    ck_assert_uint_eq(sum.n_rows, 4);
    ck_assert_uint_eq(sum.n_pred, 4);
    ck_assert_uint_eq(sum.n_infeasible, 0);
    SVP_CK_REL(sum.median_abs_err_pct, 37.5, 1e-9);
    SVP_CK_REL(sum.worst_abs_err_pct, 100.0, 1e-9);
    ck_assert_uint_eq(sum.worst_row, 2);
    ck_assert(!sum.has_loo);
}
END_TEST

START_TEST(validate_leave_one_out)
{
    /* Chip A: three rows generated with a per-step overhead of 3 ms (the
     * table says 0).  Leaving one out leaves two rows: one free parameter,
     * the per-step overhead, fitted exactly, so every LOO prediction is
     * right (to the 4-digit rounding) while the plain prediction is not.
     * (eff_net_out, first in the order, is skipped: the rows fit one
     * domain).  Chip B: two rows, so one other row each: the LOO prediction
     * is the table's, and says so. */
    svp_model m = v3();
    svp_hw hw_rows[2] = {chip("A"), chip("B")};
    svp_hw_table hw = {hw_rows, 2};
    svp_hw truth = chip("A");
    svp_deployment all[N_SYN], rows[5];
    svp_deployment_table deps;
    svp_val_row out[5];
    svp_val_summary sum;
    svp_opts base = svp_opts_default();
    svp_diag d;

    synthetic_rows(all, "A");
    rows[0] = all[0];
    rows[1] = all[3];
    rows[2] = all[6];
    truth.step_overhead_s = 3.0 * SVP_MS;
    measure(&truth, &m, rows, 3);
    synthetic_rows(all, "B");
    rows[3] = all[1];
    rows[4] = all[4];
    measure(&hw_rows[1], &m, &rows[3], 2);
    rows[3].measured_tps_per_chip /= 1.1;   /* +10% */
    fx_name(rows[3].id, sizeof rows[3].id, "B-dec-b64-tbo");
    fx_name(rows[4].id, sizeof rows[4].id, "B-dec-mtp");
    memset(&deps, 0, sizeof deps);
    deps.rows = rows;
    deps.n = 5;
    ck_assert_int_eq(svp_validate_all(&hw, &m, &deps, &base, 1, out, &sum, &d), SVP_OK);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(out[i].loo_basis, SVP_LOO_FITTED);
        ck_assert_uint_eq(out[i].loo_n_rows, 2);
        ck_assert_uint_eq(out[i].loo_n_params, 1);
        ck_assert_int_eq(out[i].loo_params[0], SVP_PAR_STEP_OVERHEAD);
        ck_assert_msg(out[i].err_pct > 0.5, "%s: plain error %g%%", rows[i].id, out[i].err_pct);
        ck_assert_msg(fabs(out[i].loo_err_pct) < 0.1, "%s: LOO error %g%%", rows[i].id,
                      out[i].loo_err_pct);
    }
    for (int i = 3; i < 5; i++) {
        ck_assert_int_eq(out[i].loo_basis, SVP_LOO_DEFAULTS);
        ck_assert_uint_eq(out[i].loo_n_rows, 1);
        ck_assert(out[i].loo_tps == out[i].pred_tps);
        ck_assert(out[i].loo_err_pct == out[i].err_pct);
    }
    SVP_CK_REL(out[3].err_pct, 10.0, 1e-9);
    ck_assert(fabs(out[4].err_pct) < 1e-9);
    ck_assert(sum.has_loo);
    ck_assert_uint_eq(sum.loo_n_defaults, 2);
    ck_assert_uint_eq(sum.loo_worst_row, 3);
    SVP_CK_REL(sum.loo_worst_abs_err_pct, 10.0, 1e-9);
    ck_assert(sum.loo_median_abs_err_pct < 0.1);
    ck_assert(sum.median_abs_err_pct > 0.5);
}
END_TEST

START_TEST(validate_keeps_dram_infeasible_rows)
{
    /* A chip with 100 GB cannot hold V3's 671 GB of FP8 weights on 8 ranks
     * (84 GB of experts each plus the replicated attention weights): the row
     * is predicted anyway, with reason "dram", and counted.  A second row
     * with Batch 4 < MLA_DP 8 cannot be costed at all (idle ranks): it is
     * reported without a prediction and left out of the statistics. */
    svp_model m = v3();
    svp_hw hw_rows[1] = {chip("A")};
    svp_hw_table hw = {hw_rows, 1};
    svp_deployment all[N_SYN];
    svp_deployment_table deps;
    svp_val_row out[2];
    svp_val_summary sum;
    svp_opts base = svp_opts_default();
    svp_diag d;

    hw_rows[0].dram_bytes = 100.0 * SVP_GB;
    synthetic_rows(all, "A");
    all[0].measured_tps_per_chip = 1000.0;
    all[1].cfg.batch = 4;
    all[1].measured_tps_per_chip = 1000.0;
    memset(&deps, 0, sizeof deps);
    deps.rows = all;
    deps.n = 2;
    ck_assert_int_eq(svp_validate_all(&hw, &m, &deps, &base, 1, out, &sum, &d), SVP_OK);
    ck_assert(out[0].has_pred);
    ck_assert_int_eq(out[0].m.reason, SVP_INF_DRAM);
    ck_assert(out[0].pred_tps > 0.0);
    SVP_CK_REL(out[0].err_pct, (out[0].pred_tps - 1000.0) / 1000.0 * 100.0, 1e-12);
    ck_assert(!out[1].has_pred);
    ck_assert_int_eq(out[1].m.reason, SVP_INF_IDLE_DP);
    ck_assert_int_eq(out[1].loo_basis, SVP_LOO_NONE);
    ck_assert_uint_eq(sum.n_rows, 2);
    ck_assert_uint_eq(sum.n_pred, 1);
    ck_assert_uint_eq(sum.n_infeasible, 1);
    ck_assert_uint_eq(sum.worst_row, 0);
    SVP_CK_REL(sum.median_abs_err_pct, fabs(out[0].err_pct), 1e-12);
    /* The DRAM-infeasible row has no other row to fit on: defaults. */
    ck_assert_int_eq(out[0].loo_basis, SVP_LOO_DEFAULTS);
}
END_TEST

START_TEST(validate_unknown_chip)
{
    svp_model m = v3();
    svp_hw hw_rows[1] = {chip("H20")};
    svp_hw_table hw = {hw_rows, 1};
    svp_deployment_table deps;
    svp_val_row out[2];
    svp_val_summary sum;
    svp_opts base = svp_opts_default();
    svp_diag d;

    svp_diag_clear(&d);
    ck_assert_int_eq(svp_read_deployments(VDIR "unknown_chip.csv", &deps, &d), SVP_OK);
    ck_assert_uint_eq(deps.n, 2);
    svp_diag_clear(&d);
    svp_err err = svp_validate_all(&hw, &m, &deps, &base, 0, out, &sum, &d);
    SVP_CK_DIAG(err, d, SVP_ERR_DATA, 3, "chip", "row 'X2': chip \"H42\"");
    ck_assert_str_eq(d.file, VDIR "unknown_chip.csv");
    svp_deployment_table_fini(&deps);
}
END_TEST

START_TEST(setup_maps_the_row)
{
    svp_deployment r = dep("x", "c", SVP_PHASE_DECODE, 512, 2, 8, 16, 4096, 1536, SVP_TBO_ON,
                           1, 1.85);
    svp_opts base = svp_opts_default(), o;
    svp_scenario sc;
    svp_config cfg;

    r.kv_dtype = SVP_DT_FP8;
    r.weight_dtype = SVP_DT_INT8;
    base.memory_model = SVP_MEM_SEED;
    base.mtp_draft = 3;        /* overridden by the row */
    svp_deployment_setup(&r, &base, &sc, &cfg, &o);
    ck_assert_int_eq(sc.phase, SVP_PHASE_DECODE);
    ck_assert_int_eq(sc.input_len, 4096);
    ck_assert_int_eq(sc.output_len, 1536);
    ck_assert(sc.max_tpot_s == 0.0 && sc.max_ftl_s == 0.0);
    ck_assert_str_eq(sc.name, "x");
    ck_assert_int_eq(cfg.batch, 512);
    ck_assert_int_eq(cfg.mla_tp, 2);
    ck_assert_int_eq(cfg.mla_dp, 8);
    ck_assert_int_eq(cfg.moe_ep, 16);
    ck_assert_int_eq(o.memory_model, SVP_MEM_SEED);   /* from base */
    ck_assert_int_eq(o.tbo, SVP_TBO_ON);
    ck_assert_int_eq(o.mtp_draft, 1);
    SVP_CK_REL(o.mtp_accept, 1.85, 1e-15);
    ck_assert_int_eq(o.weight_dtype, SVP_DT_INT8);
    ck_assert_int_eq(o.kv_dtype, SVP_DT_FP8);
    ck_assert_str_eq(svp_deployment_latency_kind(&r), "tpot");
}
END_TEST

/* ---- the reader ------------------------------------------------------------ */

START_TEST(read_good)
{
    svp_deployment_table t;
    svp_diag d;

    svp_diag_clear(&d);
    ck_assert_int_eq(svp_read_deployments(VDIR "good.csv", &t, &d), SVP_OK);
    ck_assert_uint_eq(t.n, 2);
    ck_assert_str_eq(t.file, VDIR "good.csv");

    const svp_deployment *a = &t.rows[0], *b = &t.rows[1];
    ck_assert_str_eq(a->id, "D1");
    ck_assert_str_eq(a->chip, "Ascend-910C");
    ck_assert_int_eq(a->phase, SVP_PHASE_DECODE);
    ck_assert_int_eq(a->n_ranks, 320);
    ck_assert_int_eq(a->cfg.mla_dp, 320);
    ck_assert_int_eq(a->cfg.batch, 15360);
    ck_assert_int_eq(a->output_len, 256);
    ck_assert_int_eq(a->tbo, SVP_TBO_ON);
    ck_assert_int_eq(a->mtp_draft, 1);
    SVP_CK_REL(a->mtp_accept, 1.7, 1e-15);
    ck_assert_int_eq(a->weight_dtype, SVP_DT_INT8);
    ck_assert_int_eq(a->kv_dtype, SVP_DT_INT8);
    SVP_CK_REL(a->measured_tps_per_chip, 1943.0, 1e-15);
    SVP_CK_REL(a->measured_latency_s, 0.0494, 1e-12);     /* 49.4 ms */
    ck_assert_str_eq(a->source, "https://example.org/a, b");
    ck_assert_str_eq(a->note, "");                         /* optional column absent */
    ck_assert_int_eq(a->line, 2);

    ck_assert_str_eq(b->id, "P1");
    ck_assert_int_eq(b->phase, SVP_PHASE_PREFILL);
    ck_assert_int_eq(b->cfg.mla_tp, 2);
    ck_assert_int_eq(b->cfg.sp, 2);
    ck_assert_int_eq(b->output_len, 0);                    /* empty in prefill */
    ck_assert_int_eq(b->tbo, SVP_TBO_OFF);
    ck_assert(b->measured_latency_s == 0.0);               /* not published */
    SVP_CK_REL(b->measured_tps_per_chip, 7839.5, 1e-15);
    ck_assert_int_eq(b->line, 4);                          /* after a blank line */
    svp_deployment_table_fini(&t);
    ck_assert(t.rows == NULL && t.n == 0);
}
END_TEST

START_TEST(read_shipped)
{
    /* The shipped file reads and every row names a chip of the shipped
     * hardware table (checked end-to-end by tests/validate.sh). */
    svp_deployment_table t;
    svp_diag d;

    svp_diag_clear(&d);
    ck_assert_int_eq(svp_read_deployments("data/deployments.csv", &t, &d), SVP_OK);
    ck_assert_uint_ge(t.n, 7);
    svp_deployment_table_fini(&t);
}
END_TEST

static const struct {
    const char *file;
    long line;
    const char *column;
    const char *msg;
} bad_cases[] = {
    {"bad_n_ranks.csv", 2, "n_ranks", "row 'X1': n_ranks 31 differs from mla_tp x mla_dp = 1 x 32"},
    {"bad_moe_ranks.csv", 2, "n_ranks", "differs from moe_tp x moe_ep = 1 x 16"},
    {"bad_tbo.csv", 2, "tbo", "expected on or off"},
    {"bad_mtp_accept.csv", 2, "mtp_tokens_per_step", "[1, mtp_draft + 1 = 2], got \"2.5\""},
    {"bad_duplicate_id.csv", 3, "id", "duplicate id \"X1\" (first on line 2)"},
    {"bad_prefill_output.csv", 2, "output_len", "a prefill row generates no output"},
    {"bad_kv_fp4.csv", 2, "kv_dtype", "expected bf16, fp8 or int8, got \"fp4\""},
    {"bad_tps_zero.csv", 2, "measured_tps_per_chip", "expected a positive number"},
    {"bad_missing_column.csv", 1, "measured_tps_per_chip", "required column"},
    {"does_not_exist.csv", 0, "", "cannot open"},
};

START_TEST(read_bad)
{
    char path[256];
    svp_deployment_table t;
    svp_diag d;
    svp_err err;

    snprintf(path, sizeof path, VDIR "%s", bad_cases[_i].file);
    svp_diag_clear(&d);
    err = svp_read_deployments(path, &t, &d);
    SVP_CK_DIAG(err, d, _i == 9 ? SVP_ERR_IO : SVP_ERR_DATA, bad_cases[_i].line,
                bad_cases[_i].column, bad_cases[_i].msg);
    ck_assert_str_eq(d.file, path);
    ck_assert(t.rows == NULL && t.n == 0);
}
END_TEST

#define N_BAD ((int)(sizeof bad_cases / sizeof bad_cases[0]))

/* ---- allocation failure ----------------------------------------------------- */

/* Every allocation of read + validate --cross failing in turn (sticky):
 * SVP_ERR_NOMEM each time, never a crash or a leak (make san). */
START_TEST(alloc_failure_validate_cross)
{
    svp_model m = v3();
    svp_hw hw_rows[1] = {chip("A")};
    svp_hw_table hw = {hw_rows, 1};
    svp_deployment all[N_SYN];
    svp_deployment_table deps;
    svp_val_row out[N_SYN];
    svp_val_summary sum;
    svp_opts base = svp_opts_default();
    svp_diag d;
    long n;

    synthetic_rows(all, "A");
    measure(&hw_rows[0], &m, all, 4);
    memset(&deps, 0, sizeof deps);
    deps.rows = all;
    deps.n = 4;
    for (n = 1; n < 10000; n++) {
        svp_err err;

        svp_alloc_fail_at(n, 1);
        err = svp_validate_all(&hw, &m, &deps, &base, 1, out, &sum, &d);
        svp_alloc_fail_at(0, 0);
        if (err == SVP_OK)
            break;
        ck_assert_msg(err == SVP_ERR_NOMEM, "allocation %ld: error %d (%s)", n, (int)err, d.msg);
    }
    ck_assert(n > 1 && n < 10000);

    for (n = 1; n < 10000; n++) {
        svp_deployment_table t;
        svp_err err;

        svp_alloc_fail_at(n, 1);
        err = svp_read_deployments(VDIR "good.csv", &t, &d);
        svp_alloc_fail_at(0, 0);
        if (err == SVP_OK) {
            svp_deployment_table_fini(&t);
            break;
        }
        ck_assert_msg(err == SVP_ERR_NOMEM, "read, allocation %ld: error %d", n, (int)err);
    }
    ck_assert(n > 1 && n < 10000);
}
END_TEST

static Suite *validate_suite(void)
{
    Suite *s = suite_create("validate");
    TCase *tc;

    tc = tcase_create("params");
    tcase_add_test(tc, param_names_and_bounds);
    tcase_add_test(tc, default_params_fewer_than_points);
    suite_add_tcase(s, tc);

    tc = tcase_create("calibrate");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, calibration_recovers_overheads_and_efficiencies);
    tcase_add_test(tc, calibration_recovers_six_parameters);
    tcase_add_test(tc, calibration_stops_at_bounds);
    tcase_add_test(tc, calibration_insensitive_parameter);
    tcase_add_test(tc, calibration_refusals);
    suite_add_tcase(s, tc);

    tc = tcase_create("validate");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, validate_sign_convention_and_summary);
    tcase_add_test(tc, validate_leave_one_out);
    tcase_add_test(tc, validate_keeps_dram_infeasible_rows);
    tcase_add_test(tc, validate_unknown_chip);
    tcase_add_test(tc, setup_maps_the_row);
    tcase_add_test(tc, alloc_failure_validate_cross);
    suite_add_tcase(s, tc);

    tc = tcase_create("read");
    tcase_add_test(tc, read_good);
    tcase_add_test(tc, read_shipped);
    tcase_add_loop_test(tc, read_bad, 0, N_BAD);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return svp_ck_run(validate_suite());
}
