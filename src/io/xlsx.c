/*
 * xlsx.c - the report workbook (report.h: svp_xlsx_write) on libxlsxwriter:
 * the ten sheets of SPEC.md "The workbook", labels from templates/.
 *
 * Edge code: it formats and writes; every figure comes from the analysis
 * (or, for the All configurations sheet and the per-operator breakdown, from
 * svp_search / svp_eval re-run on the same inputs).  It decides nothing.
 *
 * Rules kept here:
 * - numbers are numbers with a number format, units are in the header text;
 * - no cell ever holds NaN or inf: such a value becomes "n/a" (with a reason
 *   where one is known);
 * - the workbook is written in constant_memory mode (the All configurations
 *   sheet has ~190k rows on the shipped grids, millions on widened ones), so
 *   every sheet is written strictly row by row, top to bottom;
 * - the document properties carry a fixed creation time, so identical inputs
 *   give a byte-identical file (libxlsxwriter's zip entries already carry a
 *   fixed 1980-01-01 timestamp);
 * - every libxlsxwriter status is checked: the first failure is kept with
 *   what was being written and becomes the svp_err of svp_xlsx_write.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "servplan/alloc.h"
#include "servplan/chart.h"
#include "servplan/print.h"
#include "servplan/report.h"
#include "servplan/units.h"

/* ---- the labels this file (and the charts) need ------------------------ */

/* Every key the workbook uses; svp_strings_load(..., svp_report_keys, ...)
 * makes a language that lacks one fail at load time.  Keep it sorted by
 * sheet, one block per sheet. */
const char *const svp_report_keys[] = {
    /* sheet names (max 31 characters, none of []:*?/\) */
    "sheet.summary", "sheet.decode", "sheet.prefill", "sheet.bottleneck",
    "sheet.sensitivity", "sheet.cost", "sheet.pareto", "sheet.all",
    "sheet.validation", "sheet.assumptions",
    /* shared words */
    "yes", "no", "na", "title.findings",
    "phase.decode", "phase.prefill",
    "bound.compute", "bound.memory", "bound.communication",
    "res.compute", "res.hbm", "res.dram", "res.scale_up", "res.scale_out",
    "reason.feasible", "reason.chip-count", "reason.mla-tp-domain", "reason.moe-tp-domain",
    "reason.mla-tp-heads", "reason.no-scale-out", "reason.sp-divide", "reason.sp-decode",
    "reason.idle-dp-ranks", "reason.dram", "reason.slo",
    "status.no_plan", "status.no_scenario",
    "note.no_price", "note.no_plan", "note.no_hourly", "note.no_tp_plan", "note.no_ep_plan",
    "note.no_metrics",
    /* column headers */
    "col.chip", "col.vendor", "col.scenario", "col.phase", "col.batch", "col.mla_tp",
    "col.mla_dp", "col.moe_tp", "col.moe_ep", "col.sp", "col.n_chips", "col.input_len",
    "col.tps_user", "col.tps_chip", "col.tpot_ms", "col.max_tpot_ms", "col.ftl_ms",
    "col.max_ftl_ms", "col.prefill_tps_chip", "col.cluster_tps", "col.dram_gb",
    "col.dram_cap_gb", "col.dram_seed_gb", "col.bottleneck", "col.tbo", "col.edges",
    "col.status", "col.step_ms", "col.t_comp_ms", "col.t_mem_ms", "col.t_comm_ms",
    "col.t_cb_ms", "col.t_mb_ms", "col.t_comm_exp_ms", "col.t_ovh_ms", "col.share_compute",
    "col.share_memory", "col.share_comm", "col.t_tp_comm_ms", "col.t_ep_comm_ms",
    "col.t_moe_tp_comm_ms", "col.tp_share", "col.ep_share",
    "col.op_name", "col.op_group", "col.op_dtype", "col.op_count", "col.op_gflop",
    "col.op_mb", "col.op_t_compute_ms", "col.op_t_memory_ms", "col.op_t_ms", "col.op_bound",
    "col.op_share",
    /* Summary */
    "sum.decode_tps", "sum.decode_n", "sum.decode_batch", "sum.prefill_tps",
    "sum.tps_per_kusd", "sum.rank", "sum.usd_per_mtok", "sum.note",
    "s.cost_winner", "s.cost_winner_alone", "s.cost_basis", "s.cost_none", "s.cost_range",
    "s.cost_range_same", "s.cost_range_stable",
    "s.tps_winner", "s.tps_none", "s.bottleneck", "s.whatif_up", "s.whatif_flat",
    "s.whatif_down", "s.whatif_down_none", "s.edge", "s.no_edge", "s.no_plan_chips",
    /* Decode / Prefill / Bottleneck */
    "title.breakdown",
    /* Sensitivity */
    "sens.batch_title", "sens.tp_title", "sens.ep_title",
    "sens.chart_batch_title", "sens.chart_tp_title", "sens.chart_ep_title",
    "sens.chart_batch_x", "sens.chart_tp_x", "sens.chart_ep_x", "sens.chart_tps_chip_y", "sens.chart_share_y",
    /* Cost */
    "cost.rank_mid", "cost.price_mid", "cost.price_low", "cost.price_high",
    "cost.kusd_mid", "cost.kusd_low", "cost.kusd_high", "cost.rank_low", "cost.rank_high",
    "cost.hourly", "cost.usd_per_mtok", "cost.basis", "cost.date", "cost.confidence",
    "cost.source", "cost.note", "cost.chart_title", "cost.chart_y",
    /* Pareto */
    "pareto.title", "pareto.meets_slo", "pareto.slo_series", "pareto.slo_x",
    "pareto.chart_title_decode", "pareto.chart_title_prefill", "pareto.x_decode",
    "pareto.x_prefill", "pareto.y",
    /* All configurations */
    "all.continued",
    /* Validation */
    "val.placeholder", "val.title", "val.sign", "val.file", "val.units", "val.loo_intro",
    "val.col.id", "val.col.ranks", "val.col.output_len", "val.col.tbo", "val.col.mtp_k",
    "val.col.mtp_l", "val.col.weight_dtype", "val.col.kv_dtype", "val.col.pred_tps",
    "val.col.meas_tps", "val.col.err", "val.col.lat_kind", "val.col.pred_lat",
    "val.col.meas_lat", "val.col.lat_err", "val.col.loo_tps", "val.col.loo_err",
    "val.col.loo_basis", "val.col.verdict", "val.col.status", "val.col.source",
    "val.col.note", "val.lat.tpot", "val.lat.ftl", "val.no_latency", "val.no_loo",
    "val.no_rows", "val.loo_fitted", "val.loo_defaults", "val.loo_defaults_none",
    "val.summary_title", "val.s_item", "val.s_value", "val.s_row", "val.s_note",
    "val.s_pred", "val.s_pred_note", "val.s_median", "val.s_worst", "val.s_loo_median",
    "val.s_loo_worst", "val.s_loo_defaults", "val.s_loo_defaults_note", "val.s_infeasible",
    "val.targets_title", "val.t_target", "val.t_limit", "val.t_reached", "val.t_status",
    "val.t_median", "val.t_loo_median", "val.t_worst", "val.t_loo_worst", "val.met",
    "val.not_met", "val.not_evaluated", "val.chart_data", "val.chart_title", "val.chart_x",
    "val.chart_y", "val.series_yx", "val.series_p35", "val.series_m35",
    /* Assumptions */
    "as.item", "as.value", "as.unit", "as.note",
    "as.model", "as.params", "as.options", "as.hardware", "as.formulas", "as.units",
    "as.inputs", "as.version",
    "as.p_total", "as.p_activated", "as.p_non_expert", "as.p_routed", "as.p_expert",
    "as.p_embedding", "as.p_lm_head", "as.p_mtp", "as.kv_per_token",
    "as.o_memory_model", "as.o_roofline", "as.o_tbo", "as.o_mtp_k", "as.o_mtp_l",
    "as.o_weight_dtype", "as.o_kv_dtype",
    "as.mem_physical", "as.mem_seed", "as.roof_per_op", "as.roof_global",
    "as.tbo_off", "as.tbo_on", "as.tbo_auto",
    "as.f_tps_chip", "as.f_tps_user", "as.f_prefill", "as.f_dram", "as.f_roofline",
    "as.f_tbo", "as.f_experts", "as.f_cost", "as.f_usd_mtok", "as.f_verdict", "as.f_edges",
    "as.u_time", "as.u_bytes", "as.u_tps", "as.u_price", "as.u_chip",
    "as.file_role", "as.file_path", "as.file_sha256", "as.servplan_version",
    "hw.bf16", "hw.fp8", "hw.int8", "hw.fp4", "hw.dram", "hw.hbm", "hw.c2c", "hw.a2a",
    "hw.ranks", "hw.domain", "hw.tdp", "hw.eff_gemm", "hw.eff_attn", "hw.eff_mem",
    "hw.eff_net_up", "hw.eff_net_out", "hw.coll_latency", "hw.layer_overhead",
    "hw.step_overhead", "hw.reserve", "hw.confidence", "hw.source", "hw.eff_source",
    "hw.note", "hw.unsupported", "hw.no_scale_out", "hw.unknown",
    NULL,
};

/* ---- writer state ------------------------------------------------------- */

#define XLSX_MAX_ROWS 1048576u   /* Excel's row limit per sheet (2^20) */
/* Price-performance is shown per 1000 USD of chips: TPS per USD is a small
 * number (a 30k-USD chip at 1,300 tok/s gives 0.04). */
#define USD_PER_KUSD 1000.0
/* 2025-01-01T00:00:00Z: the fixed creation time of every workbook, so that
 * identical inputs give identical bytes.  It does not depend on the inputs
 * or on the clock. */
#define FIXED_CREATED ((time_t)1735689600)

typedef uint32_t row_t;

typedef struct xw {
    lxw_workbook *wb;
    const svp_report_input *r;
    const svp_strings *tr;
    lxw_error lerr;           /* first libxlsxwriter failure */
    char where[160];          /* what was being written then */
    /* formats */
    lxw_format *hdr, *title, *wrap, *text, *f_int, *f_1, *f_2, *f_3, *f_pct, *f_spct, *f_gen, *bold;
} xw;

static void ck(xw *x, lxw_error e, const char *what)
{
    if (e == LXW_NO_ERROR || x->lerr != LXW_NO_ERROR)
        return;
    x->lerr = e;
    snprintf(x->where, sizeof x->where, "%s", what);
}

static const char *T(const xw *x, const char *key)
{
    return svp_tr(x->tr, key);
}

/* Fills a template into buf; pairs of (name, value) strings. */
static const char *fill(const xw *x, char *buf, size_t cap, const char *key,
                        const char *const *names, const char *const *values, size_t n)
{
    svp_tr_fill(x->tr, key, buf, cap, names, values, n);
    return buf;
}

static void w_str(xw *x, lxw_worksheet *ws, row_t row, int col, const char *s, lxw_format *f)
{
    if (x->lerr != LXW_NO_ERROR)
        return;
    ck(x, worksheet_write_string(ws, row, (lxw_col_t)col, s, f), "a text cell");
}

static void w_na(xw *x, lxw_worksheet *ws, row_t row, int col, const char *why)
{
    char buf[512];
    if (why == NULL || why[0] == '\0') {
        w_str(x, ws, row, col, T(x, "na"), NULL);
        return;
    }
    snprintf(buf, sizeof buf, "%s: %s", T(x, "na"), why);
    w_str(x, ws, row, col, buf, NULL);
}

/* A number, or "n/a: why" when it is not finite: a model bug must show as a
 * labelled gap, never as NaN or inf in a report. */
static void w_num_or_na(xw *x, lxw_worksheet *ws, row_t row, int col, double v,
                        lxw_format *f, const char *why)
{
    if (x->lerr != LXW_NO_ERROR)
        return;
    if (!isfinite(v)) {
        w_na(x, ws, row, col, why != NULL ? why : "not finite");
        return;
    }
    ck(x, worksheet_write_number(ws, row, (lxw_col_t)col, v, f), "a number cell");
}

static void w_num(xw *x, lxw_worksheet *ws, row_t row, int col, double v, lxw_format *f)
{
    w_num_or_na(x, ws, row, col, v, f, NULL);
}

static void w_int(xw *x, lxw_worksheet *ws, row_t row, int col, long v)
{
    w_num(x, ws, row, col, (double)v, x->f_int);
}

static void w_bool(xw *x, lxw_worksheet *ws, row_t row, int col, int v)
{
    w_str(x, ws, row, col, T(x, v ? "yes" : "no"), NULL);
}

static void w_header(xw *x, lxw_worksheet *ws, row_t row, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        w_str(x, ws, row, (int)i, T(x, keys[i]), x->hdr);
}

static void set_col(xw *x, lxw_worksheet *ws, int first, int last, double width)
{
    if (x->lerr != LXW_NO_ERROR)
        return;
    ck(x, worksheet_set_column(ws, (lxw_col_t)first, (lxw_col_t)last, width, NULL),
       "a column width");
}

static void freeze(lxw_worksheet *ws, row_t rows)
{
    worksheet_freeze_panes(ws, rows, 0);
}

static void autofilter(xw *x, lxw_worksheet *ws, row_t r0, int c0, row_t r1, int c1)
{
    if (x->lerr != LXW_NO_ERROR || r1 < r0)
        return;
    ck(x, worksheet_autofilter(ws, r0, (lxw_col_t)c0, r1, (lxw_col_t)c1), "an autofilter");
}

/* ---- formatting helpers for sentences ----------------------------------- */

/* x with `dec` decimals and thousands separators ("1,339.7"); "n/a" when not
 * finite.  Locale-independent. */
static const char *fmt_num(char *buf, size_t cap, double v, int dec)
{
    char raw[64], *dot;
    size_t n_int, i, o = 0;
    int neg;

    if (!isfinite(v)) {
        snprintf(buf, cap, "n/a");
        return buf;
    }
    snprintf(raw, sizeof raw, "%.*f", dec, v);
    neg = raw[0] == '-';
    dot = strchr(raw, '.');
    n_int = (dot != NULL ? (size_t)(dot - raw) : strlen(raw)) - (size_t)neg;
    if (cap == 0)
        return buf;
    if (neg && o + 1 < cap)
        buf[o++] = '-';
    for (i = 0; i < n_int && o + 1 < cap; i++) {
        if (i > 0 && (n_int - i) % 3 == 0 && o + 2 < cap)
            buf[o++] = ',';
        buf[o++] = raw[(size_t)neg + i];
    }
    if (dot != NULL)
        for (const char *p = dot; *p != '\0' && o + 1 < cap; p++)
            buf[o++] = *p;
    buf[o] = '\0';
    return buf;
}

/* A signed percentage of a ratio: +12.3% / -4.0%. */
static const char *fmt_pct(char *buf, size_t cap, double ratio)
{
    if (!isfinite(ratio))
        snprintf(buf, cap, "n/a");
    else
        snprintf(buf, cap, "%+.1f%%", ratio * 100.0);
    return buf;
}

/* An unsigned percentage with one decimal: 12.3%. */
static const char *fmt_share1(char *buf, size_t cap, double ratio)
{
    if (!isfinite(ratio))
        snprintf(buf, cap, "n/a");
    else
        snprintf(buf, cap, "%.1f%%", ratio * 100.0);
    return buf;
}

static const char *fmt_share(char *buf, size_t cap, double share)
{
    if (!isfinite(share))
        snprintf(buf, cap, "n/a");
    else
        snprintf(buf, cap, "%.0f%%", share * 100.0);
    return buf;
}

static const char *reason_label(const xw *x, svp_reason reason)
{
    char key[64];
    snprintf(key, sizeof key, "reason.%s", svp_reason_code(reason));
    /* svp_tr returns its argument when absent: never the stack buffer. */
    const char *t = svp_tr(x->tr, key);
    return t == key ? svp_reason_code(reason) : t;
}

static const char *bound_label(const xw *x, svp_bound b)
{
    char key[64];
    snprintf(key, sizeof key, "bound.%s", svp_bound_name(b));
    const char *t = svp_tr(x->tr, key);
    return t == key ? svp_bound_name(b) : t;
}

static const char *resource_label(const xw *x, svp_resource res)
{
    char key[64];
    snprintf(key, sizeof key, "res.%s", svp_resource_code(res));
    const char *t = svp_tr(x->tr, key);
    return t == key ? svp_resource_code(res) : t;
}

static const char *phase_label(const xw *x, svp_phase p)
{
    return T(x, p == SVP_PHASE_DECODE ? "phase.decode" : "phase.prefill");
}

/* Path of an input file by role, or a default. */
static const char *file_of(const xw *x, const char *role, const char *dflt)
{
    for (size_t i = 0; i < x->r->n_files; i++)
        if (x->r->files[i].role != NULL && strcmp(x->r->files[i].role, role) == 0)
            return x->r->files[i].path;
    return dflt;
}

/* Grid edges as "batch=max moe_ep=min". */
static const char *edges_text(char *buf, size_t cap, unsigned bits)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < SVP_EDGE_COUNT; i++) {
        if (!(bits & (1u << i)))
            continue;
        int w = snprintf(buf + o, cap - o, "%s%s", o > 0 ? " " : "", svp_edge_name(i));
        if (w < 0 || (size_t)w >= cap - o)
            break;
        o += (size_t)w;
    }
    return buf;
}

/* The reason a scenario has no plan: the last check of svp_reason's order
 * some configuration reached (the same rule as `servplan plan`). */
static svp_reason furthest_reason(const svp_search_stats *st)
{
    for (int i = SVP_REASON_COUNT - 1; i > SVP_FEASIBLE; i--)
        if (st->by_reason[i] > 0.0)
            return (svp_reason)i;
    return SVP_INF_CHIP_COUNT;
}

static const char *no_plan_text(const xw *x, char *buf, size_t cap, const svp_scen_result *s)
{
    const char *names[] = {"reason"};
    const char *values[] = {reason_label(x, furthest_reason(&s->stats))};
    return fill(x, buf, cap, "status.no_plan", names, values, 1);
}

/* The first decode scenario's result of a chip, or NULL. */
static const svp_scen_result *first_decode(const svp_chip_result *c)
{
    for (size_t s = 0; s < c->n_scen; s++)
        if (c->scen[s].scen->phase == SVP_PHASE_DECODE)
            return &c->scen[s];
    return NULL;
}

/* ---- 1. Summary ---------------------------------------------------------- */

static void summary_sentence(xw *x, lxw_worksheet *ws, row_t *row, const char *text)
{
    w_str(x, ws, (*row)++, 0, text, NULL);
}

static void summary_limits(xw *x, lxw_worksheet *ws, row_t *row, const svp_chip_result *c)
{
    const svp_scen_result *dec = first_decode(c);
    char buf[1024], a[64], b[64], cc[64], dd[64], e[64];

    if (dec == NULL || !dec->found)
        return;
    const svp_metrics *m = &dec->best.m;
    double share = m->bottleneck == SVP_BOUND_COMPUTE ? m->share_compute
                   : m->bottleneck == SVP_BOUND_MEMORY ? m->share_memory : m->share_comm;
    {
        const char *names[] = {"chip", "bound", "share", "compute", "memory", "comm"};
        const char *values[] = {c->hw->name, bound_label(x, m->bottleneck),
                                fmt_share(a, sizeof a, share),
                                fmt_share(b, sizeof b, m->share_compute),
                                fmt_share(cc, sizeof cc, m->share_memory),
                                fmt_share(dd, sizeof dd, m->share_comm)};
        summary_sentence(x, ws, row, fill(x, buf, sizeof buf, "s.bottleneck", names, values, 6));
    }
    if (!c->has_whatif || !(c->whatif.base_tps > 0.0))
        return;
    const svp_whatif *w = &c->whatif;
    int up = -1, down = -1;
    for (int r = 0; r < SVP_RES_COUNT; r++) {
        if (w->found[r][1] && (up < 0 || w->tps[r][1] > w->tps[up][1]))
            up = r;
        /* A resource whose halving leaves no plan at all hurts the most. */
        double dn = w->found[r][0] ? w->tps[r][0] : -1.0;
        double best_dn = down < 0 ? 0.0 : (w->found[down][0] ? w->tps[down][0] : -1.0);
        if (down < 0 || dn < best_dn)
            down = r;
    }
    /* Under half a percent counts as no change: the model's own rounding. */
    if (up >= 0 && w->tps[up][1] > w->base_tps * 1.005) {
        const char *names[] = {"chip", "resource", "base", "tps", "pct"};
        const char *values[] = {c->hw->name, resource_label(x, (svp_resource)up),
                                fmt_num(a, sizeof a, w->base_tps, 1),
                                fmt_num(b, sizeof b, w->tps[up][1], 1),
                                fmt_pct(cc, sizeof cc, w->tps[up][1] / w->base_tps - 1.0)};
        summary_sentence(x, ws, row, fill(x, buf, sizeof buf, "s.whatif_up", names, values, 5));
    } else {
        const char *names[] = {"chip"};
        const char *values[] = {c->hw->name};
        summary_sentence(x, ws, row, fill(x, buf, sizeof buf, "s.whatif_flat", names, values, 1));
    }
    if (down >= 0) {
        if (!w->found[down][0]) {
            const char *names[] = {"chip", "resource"};
            const char *values[] = {c->hw->name, resource_label(x, (svp_resource)down)};
            summary_sentence(x, ws, row,
                             fill(x, buf, sizeof buf, "s.whatif_down_none", names, values, 2));
        } else if (w->tps[down][0] < w->base_tps * 0.995) {
            const char *names[] = {"chip", "resource", "tps", "pct"};
            const char *values[] = {c->hw->name, resource_label(x, (svp_resource)down),
                                    fmt_num(dd, sizeof dd, w->tps[down][0], 1),
                                    fmt_pct(e, sizeof e, w->tps[down][0] / w->base_tps - 1.0)};
            summary_sentence(x, ws, row,
                             fill(x, buf, sizeof buf, "s.whatif_down", names, values, 4));
        }
    }
}

static void sheet_summary(xw *x, lxw_worksheet *ws, const int *rank)
{
    const svp_analysis *an = x->r->an;
    const svp_scenario_table *sc = x->r->in->scenarios;
    const char *prices_file = file_of(x, "prices", "data/prices.csv");
    const char *space_file = file_of(x, "space", "data/search-space.csv");
    char buf[1024], a[64], b[64], cc[64], dd[64];
    int col, n_pre = 0;
    row_t row = 0;

    for (size_t s = 0; s < sc->n; s++)
        n_pre += sc->rows[s].phase == SVP_PHASE_PREFILL;

    /* header */
    {
        static const char *const k1[] = {"col.chip", "col.vendor", "sum.decode_tps",
                                         "sum.decode_n", "sum.decode_batch"};
        w_header(x, ws, row, k1, 5);
        col = 5;
        for (size_t s = 0; s < sc->n; s++) {
            if (sc->rows[s].phase != SVP_PHASE_PREFILL)
                continue;
            const char *names[] = {"scenario"};
            const char *values[] = {sc->rows[s].name};
            w_str(x, ws, row, col++, fill(x, buf, sizeof buf, "sum.prefill_tps", names, values, 1),
                  x->hdr);
        }
        static const char *const k2[] = {"sum.tps_per_kusd", "sum.rank", "sum.usd_per_mtok",
                                         "sum.note"};
        for (size_t i = 0; i < 4; i++)
            w_str(x, ws, row, col++, T(x, k2[i]), x->hdr);
    }
    set_col(x, ws, 0, 0, 16);
    set_col(x, ws, 1, 1, 10);
    set_col(x, ws, 2, 4 + n_pre, 14);
    set_col(x, ws, 5 + n_pre, 7 + n_pre, 14);
    set_col(x, ws, 8 + n_pre, 8 + n_pre, 60);
    freeze(ws, 1);
    row++;

    for (size_t i = 0; i < an->n_chips; i++, row++) {
        const svp_chip_result *c = &an->chips[i];
        const svp_scen_result *dec = first_decode(c);
        svp_cost cost = svp_chip_decode_cost(c);
        char note[768];

        note[0] = '\0';
        w_str(x, ws, row, 0, c->hw->name, NULL);
        w_str(x, ws, row, 1, c->hw->vendor, NULL);
        if (dec != NULL && dec->found) {
            w_num(x, ws, row, 2, dec->best.m.tps_per_chip, x->f_1);
            w_num(x, ws, row, 3, dec->best.m.n_chips, x->f_gen);
            w_int(x, ws, row, 4, dec->best.cfg.batch);
        } else {
            const char *why = dec == NULL ? T(x, "status.no_scenario")
                                          : no_plan_text(x, buf, sizeof buf, dec);
            w_na(x, ws, row, 2, why);
        }
        col = 5;
        for (size_t s = 0; s < c->n_scen; s++) {
            const svp_scen_result *p = &c->scen[s];
            if (p->scen->phase != SVP_PHASE_PREFILL)
                continue;
            if (p->found)
                w_num(x, ws, row, col, p->best.m.tps_per_chip, x->f_int);
            else
                w_na(x, ws, row, col, no_plan_text(x, buf, sizeof buf, p));
            col++;
        }
        if (cost.has_price) {
            w_num(x, ws, row, col, cost.tps_per_usd * USD_PER_KUSD, x->f_2);
            w_int(x, ws, row, col + 1, rank[i]);
        } else {
            w_na(x, ws, row, col, NULL);
            w_na(x, ws, row, col + 1, NULL);
        }
        if (cost.has_hourly)
            w_num(x, ws, row, col + 2, cost.usd_per_mtok, x->f_2);
        else
            w_na(x, ws, row, col + 2, NULL);
        /* The note says why a cost cell is empty. */
        if (c->price == NULL) {
            const char *names[] = {"file"};
            const char *values[] = {prices_file};
            svp_tr_fill(x->tr, "note.no_price", note, sizeof note, names, values, 1);
        } else if (dec == NULL || !dec->found) {
            svp_tr_fill(x->tr, "note.no_plan", note, sizeof note, NULL, NULL, 0);
        } else if (!cost.has_hourly) {
            const char *names[] = {"file"};
            const char *values[] = {prices_file};
            svp_tr_fill(x->tr, "note.no_hourly", note, sizeof note, names, values, 1);
        }
        if (note[0] != '\0')
            w_str(x, ws, row, col + 3, note, NULL);
    }

    /* Findings. */
    row++;
    w_str(x, ws, row++, 0, T(x, "title.findings"), x->title);

    size_t *order = svp_calloc(an->n_chips ? an->n_chips : 1, sizeof *order);
    if (order == NULL) {
        ck(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the Summary ranking");
        return;
    }
    svp_analysis_rank_cost(an, order);
    const svp_chip_result *cw = NULL, *tw = NULL;
    if (an->n_chips > 0 && svp_chip_decode_cost(&an->chips[order[0]]).has_price) {
        const svp_chip_result *c0 = &an->chips[order[0]];
        svp_cost k0 = svp_chip_decode_cost(c0);
        cw = c0;
        if (an->n_chips > 1 && svp_chip_decode_cost(&an->chips[order[1]]).has_price) {
            const svp_chip_result *c1 = &an->chips[order[1]];
            svp_cost k1 = svp_chip_decode_cost(c1);
            const char *names[] = {"chip", "vendor", "value", "pct", "runner", "runner_value"};
            const char *values[] = {c0->hw->name, c0->hw->vendor,
                                    fmt_num(a, sizeof a, k0.tps_per_usd * USD_PER_KUSD, 2),
                                    fmt_share1(b, sizeof b, k0.tps_per_usd / k1.tps_per_usd - 1.0),
                                    c1->hw->name,
                                    fmt_num(cc, sizeof cc, k1.tps_per_usd * USD_PER_KUSD, 2)};
            summary_sentence(x, ws, &row,
                             fill(x, buf, sizeof buf, "s.cost_winner", names, values, 6));
        } else {
            const char *names[] = {"chip", "vendor", "value"};
            const char *values[] = {c0->hw->name, c0->hw->vendor,
                                    fmt_num(a, sizeof a, k0.tps_per_usd * USD_PER_KUSD, 2)};
            summary_sentence(x, ws, &row,
                             fill(x, buf, sizeof buf, "s.cost_winner_alone", names, values, 3));
        }
        /* A ranking is only as good as its prices: say what the winner's
         * price rests on (an imputed price for a chip that is not sold, a
         * single secondary source, ...). */
        {
            const char *names[] = {"chip", "basis", "confidence", "date"};
            const char *values[] = {c0->hw->name, c0->price->basis, c0->price->confidence,
                                    c0->price->date};
            summary_sentence(x, ws, &row,
                             fill(x, buf, sizeof buf, "s.cost_basis", names, values, 4));
        }
        /* How the ranking moves across the price ranges. */
        int *rm = svp_calloc(an->n_chips, sizeof *rm);
        int *rl = svp_calloc(an->n_chips, sizeof *rl);
        int *rh = svp_calloc(an->n_chips, sizeof *rh);
        if (rm != NULL && rl != NULL && rh != NULL) {
            svp_analysis_rank_at(an, SVP_PRICE_MID, rm);
            svp_analysis_rank_at(an, SVP_PRICE_LOW, rl);
            svp_analysis_rank_at(an, SVP_PRICE_HIGH, rh);
            const char *lw = NULL, *hwn = NULL;
            int moved = 0;
            for (size_t i = 0; i < an->n_chips; i++) {
                if (rl[i] == 1 && lw == NULL)
                    lw = an->chips[i].hw->name;
                if (rh[i] == 1 && hwn == NULL)
                    hwn = an->chips[i].hw->name;
                moved |= rl[i] != rm[i] || rh[i] != rm[i];
            }
            if (lw == NULL)
                lw = "?";
            if (hwn == NULL)
                hwn = "?";
            if (strcmp(lw, c0->hw->name) != 0 || strcmp(hwn, c0->hw->name) != 0) {
                const char *names[] = {"low", "high"};
                const char *values[] = {lw, hwn};
                summary_sentence(x, ws, &row,
                                 fill(x, buf, sizeof buf, "s.cost_range", names, values, 2));
            } else if (moved) {
                const char *names[] = {"chip"};
                const char *values[] = {c0->hw->name};
                summary_sentence(x, ws, &row,
                                 fill(x, buf, sizeof buf, "s.cost_range_same", names, values, 1));
            } else {
                summary_sentence(x, ws, &row, T(x, "s.cost_range_stable"));
            }
        } else {
            ck(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the Summary ranking");
        }
        svp_free(rm);
        svp_free(rl);
        svp_free(rh);
    } else {
        summary_sentence(x, ws, &row, T(x, "s.cost_none"));
    }

    for (size_t i = 0; i < an->n_chips; i++) {
        const svp_scen_result *dec = first_decode(&an->chips[i]);
        if (dec != NULL && dec->found &&
            (tw == NULL || dec->best.m.tps_per_chip > first_decode(tw)->best.m.tps_per_chip))
            tw = &an->chips[i];
    }
    if (tw != NULL) {
        const svp_plan *p = &first_decode(tw)->best;
        const char *names[] = {"chip", "tps", "batch", "n", "tpot"};
        snprintf(cc, sizeof cc, "%d", p->cfg.batch);
        snprintf(dd, sizeof dd, "%.6g", p->m.n_chips);
        const char *values[] = {tw->hw->name, fmt_num(a, sizeof a, p->m.tps_per_chip, 1), cc, dd,
                                fmt_num(b, sizeof b, p->m.tpot_s / SVP_MS, 1)};
        summary_sentence(x, ws, &row, fill(x, buf, sizeof buf, "s.tps_winner", names, values, 5));
    } else {
        summary_sentence(x, ws, &row, T(x, "s.tps_none"));
    }
    if (cw != NULL)
        summary_limits(x, ws, &row, cw);
    if (tw != NULL && tw != cw)
        summary_limits(x, ws, &row, tw);

    /* Chips without any decode plan. */
    {
        char list[768];
        size_t o = 0;
        list[0] = '\0';
        for (size_t i = 0; i < an->n_chips; i++) {
            const svp_scen_result *dec = first_decode(&an->chips[i]);
            if (dec != NULL && dec->found)
                continue;
            int w = snprintf(list + o, sizeof list - o, "%s%s", o > 0 ? ", " : "",
                             an->chips[i].hw->name);
            if (w < 0 || (size_t)w >= sizeof list - o)
                break;
            o += (size_t)w;
        }
        if (o > 0) {
            const char *names[] = {"chips"};
            const char *values[] = {list};
            summary_sentence(x, ws, &row, fill(x, buf, sizeof buf, "s.no_plan_chips", names, values, 1));
        }
    }

    /* Every optimum on a grid edge, one sentence per scenario and set of
     * edges listing the chips, in chip order. */
    int n_edge = 0;
    const svp_scenario_table *st = x->r->in->scenarios;
    for (size_t s = 0; s < st->n; s++) {
        for (size_t i = 0; i < an->n_chips; i++) {
            const svp_scen_result *p = s < an->chips[i].n_scen ? &an->chips[i].scen[s] : NULL;
            int seen = 0;
            if (p == NULL || !p->found || p->edges == 0)
                continue;
            for (size_t j = 0; j < i && !seen; j++) {
                const svp_scen_result *q = s < an->chips[j].n_scen ? &an->chips[j].scen[s] : NULL;
                seen = q != NULL && q->found && q->edges == p->edges;
            }
            if (seen)
                continue;   /* already listed with an earlier chip */
            char list[768], eb[256];
            size_t o = 0;
            list[0] = '\0';
            for (size_t j = i; j < an->n_chips; j++) {
                const svp_scen_result *q = s < an->chips[j].n_scen ? &an->chips[j].scen[s] : NULL;
                if (q == NULL || !q->found || q->edges != p->edges)
                    continue;
                int w = snprintf(list + o, sizeof list - o, "%s%s", o > 0 ? ", " : "",
                                 an->chips[j].hw->name);
                if (w < 0 || (size_t)w >= sizeof list - o)
                    break;
                o += (size_t)w;
            }
            const char *names[] = {"chips", "scenario", "edges", "file"};
            const char *values[] = {list, st->rows[s].name, edges_text(eb, sizeof eb, p->edges),
                                    space_file};
            summary_sentence(x, ws, &row, fill(x, buf, sizeof buf, "s.edge", names, values, 4));
            n_edge++;
        }
    }
    if (n_edge == 0) {
        const char *names[] = {"file"};
        const char *values[] = {space_file};
        summary_sentence(x, ws, &row, fill(x, buf, sizeof buf, "s.no_edge", names, values, 1));
    }
    svp_free(order);
}

/* ---- 2. / 3. Decode and prefill optimum --------------------------------- */

static void sheet_optimum(xw *x, lxw_worksheet *ws, svp_phase phase)
{
    static const char *const kd[] = {
        "col.chip", "col.scenario", "col.batch", "col.mla_tp", "col.mla_dp", "col.moe_tp",
        "col.moe_ep", "col.n_chips", "col.tps_user", "col.tps_chip", "col.tpot_ms",
        "col.max_tpot_ms", "col.cluster_tps", "col.dram_gb", "col.dram_cap_gb",
        "col.dram_seed_gb", "col.bottleneck", "col.tbo", "col.edges", "col.status"};
    static const char *const kp[] = {
        "col.chip", "col.scenario", "col.input_len", "col.batch", "col.mla_tp", "col.sp",
        "col.mla_dp", "col.moe_tp", "col.moe_ep", "col.n_chips", "col.ftl_ms",
        "col.max_ftl_ms", "col.prefill_tps_chip", "col.cluster_tps", "col.dram_gb",
        "col.dram_cap_gb", "col.dram_seed_gb", "col.bottleneck", "col.tbo", "col.edges",
        "col.status"};
    const svp_analysis *an = x->r->an;
    int decode = phase == SVP_PHASE_DECODE;
    size_t nk = decode ? sizeof kd / sizeof kd[0] : sizeof kp / sizeof kp[0];
    row_t row = 0;
    char buf[512], eb[256];

    w_header(x, ws, row++, decode ? kd : kp, nk);
    set_col(x, ws, 0, 1, 14);
    set_col(x, ws, 2, (int)nk - 4, 12);
    set_col(x, ws, (int)nk - 3, (int)nk - 2, 14);
    set_col(x, ws, (int)nk - 1, (int)nk - 1, 40);
    freeze(ws, 1);

    for (size_t i = 0; i < an->n_chips; i++) {
        const svp_chip_result *c = &an->chips[i];
        for (size_t s = 0; s < c->n_scen; s++) {
            const svp_scen_result *p = &c->scen[s];
            const svp_metrics *m = &p->best.m;
            const svp_config *cfg = &p->best.cfg;
            int col = 0;
            if (p->scen->phase != phase)
                continue;
            w_str(x, ws, row, col++, c->hw->name, NULL);
            w_str(x, ws, row, col++, p->scen->name, NULL);
            if (!p->found) {
                w_str(x, ws, row, (int)nk - 1, no_plan_text(x, buf, sizeof buf, p), NULL);
                row++;
                continue;
            }
            if (decode) {
                w_int(x, ws, row, col++, cfg->batch);
                w_int(x, ws, row, col++, cfg->mla_tp);
                w_int(x, ws, row, col++, cfg->mla_dp);
                w_int(x, ws, row, col++, cfg->moe_tp);
                w_int(x, ws, row, col++, cfg->moe_ep);
                w_num(x, ws, row, col++, m->n_chips, x->f_gen);
                w_num(x, ws, row, col++, m->tps_per_user, x->f_1);
                w_num(x, ws, row, col++, m->tps_per_chip, x->f_1);
                w_num(x, ws, row, col++, m->tpot_s / SVP_MS, x->f_1);
                w_num(x, ws, row, col++, p->scen->max_tpot_s / SVP_MS, x->f_1);
            } else {
                w_int(x, ws, row, col++, p->scen->input_len);
                w_int(x, ws, row, col++, cfg->batch);
                w_int(x, ws, row, col++, cfg->mla_tp);
                w_int(x, ws, row, col++, cfg->sp);
                w_int(x, ws, row, col++, cfg->mla_dp);
                w_int(x, ws, row, col++, cfg->moe_tp);
                w_int(x, ws, row, col++, cfg->moe_ep);
                w_num(x, ws, row, col++, m->n_chips, x->f_gen);
                w_num(x, ws, row, col++, m->ftl_s / SVP_MS, x->f_int);
                w_num(x, ws, row, col++, p->scen->max_ftl_s / SVP_MS, x->f_int);
                w_num(x, ws, row, col++, m->tps_per_chip, x->f_int);
            }
            w_num(x, ws, row, col++, m->cluster_tps, x->f_int);
            w_num(x, ws, row, col++, m->dram_bytes / SVP_GB, x->f_1);
            w_num(x, ws, row, col++, m->dram_capacity_bytes / SVP_GB, x->f_1);
            w_num(x, ws, row, col++, m->dram_seed_bytes / SVP_GB, x->f_1);
            w_str(x, ws, row, col++, bound_label(x, m->bottleneck), NULL);
            w_bool(x, ws, row, col++, m->tbo_used);
            w_str(x, ws, row, col++, edges_text(eb, sizeof eb, p->edges), NULL);
            w_str(x, ws, row, col++, reason_label(x, m->reason), NULL);
            row++;
        }
    }
    autofilter(x, ws, 0, 0, row - 1, (int)nk - 1);
}

/* ---- 4. Bottleneck -------------------------------------------------------- */

static void sheet_bottleneck(xw *x, lxw_worksheet *ws)
{
    static const char *const k1[] = {
        "col.chip", "col.scenario", "col.phase", "col.step_ms", "col.t_comp_ms",
        "col.t_mem_ms", "col.t_comm_ms", "col.t_cb_ms", "col.t_mb_ms", "col.t_comm_exp_ms",
        "col.t_ovh_ms", "col.share_compute", "col.share_memory", "col.share_comm",
        "col.bottleneck", "col.tbo", "col.t_tp_comm_ms", "col.t_ep_comm_ms",
        "col.t_moe_tp_comm_ms", "col.status"};
    static const char *const k2[] = {
        "col.chip", "col.scenario", "col.op_name", "col.op_group", "col.op_dtype",
        "col.op_count", "col.op_gflop", "col.op_mb", "col.op_t_compute_ms",
        "col.op_t_memory_ms", "col.op_t_ms", "col.op_share", "col.op_bound"};
    const svp_analysis *an = x->r->an;
    const svp_analysis_input *in = x->r->in;
    row_t row = 0;
    char buf[512];

    w_header(x, ws, row++, k1, sizeof k1 / sizeof k1[0]);
    set_col(x, ws, 0, 2, 14);
    set_col(x, ws, 3, 19, 12);
    freeze(ws, 1);
    for (size_t i = 0; i < an->n_chips; i++) {
        const svp_chip_result *c = &an->chips[i];
        for (size_t s = 0; s < c->n_scen; s++, row++) {
            const svp_scen_result *p = &c->scen[s];
            const svp_metrics *m = &p->best.m;
            w_str(x, ws, row, 0, c->hw->name, NULL);
            w_str(x, ws, row, 1, p->scen->name, NULL);
            w_str(x, ws, row, 2, phase_label(x, p->scen->phase), NULL);
            if (!p->found) {
                w_str(x, ws, row, 19, no_plan_text(x, buf, sizeof buf, p), NULL);
                continue;
            }
            w_num(x, ws, row, 3, m->step_s / SVP_MS, x->f_2);
            w_num(x, ws, row, 4, m->t_comp_s / SVP_MS, x->f_2);
            w_num(x, ws, row, 5, m->t_mem_s / SVP_MS, x->f_2);
            w_num(x, ws, row, 6, m->t_comm_s / SVP_MS, x->f_2);
            w_num(x, ws, row, 7, m->t_compute_bound_s / SVP_MS, x->f_2);
            w_num(x, ws, row, 8, m->t_memory_bound_s / SVP_MS, x->f_2);
            w_num(x, ws, row, 9, m->t_comm_exposed_s / SVP_MS, x->f_2);
            w_num(x, ws, row, 10, m->t_overhead_s / SVP_MS, x->f_2);
            w_num(x, ws, row, 11, m->share_compute, x->f_pct);
            w_num(x, ws, row, 12, m->share_memory, x->f_pct);
            w_num(x, ws, row, 13, m->share_comm, x->f_pct);
            w_str(x, ws, row, 14, bound_label(x, m->bottleneck), x->bold);
            w_bool(x, ws, row, 15, m->tbo_used);
            w_num(x, ws, row, 16, m->t_tp_comm_s / SVP_MS, x->f_2);
            w_num(x, ws, row, 17, m->t_ep_comm_s / SVP_MS, x->f_2);
            w_num(x, ws, row, 18, m->t_moe_tp_comm_s / SVP_MS, x->f_2);
            w_str(x, ws, row, 19, reason_label(x, m->reason), NULL);
        }
    }

    /* The per-operator breakdown of every optimum, re-evaluated. */
    row += 2;
    w_str(x, ws, row++, 0, T(x, "title.breakdown"), x->title);
    row_t head = row;
    w_header(x, ws, row++, k2, sizeof k2 / sizeof k2[0]);
    svp_breakdown *bd = svp_malloc(sizeof *bd);
    if (bd == NULL) {
        ck(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the per-operator breakdown");
        return;
    }
    for (size_t i = 0; i < an->n_chips; i++) {
        const svp_chip_result *c = &an->chips[i];
        for (size_t s = 0; s < c->n_scen; s++) {
            const svp_scen_result *p = &c->scen[s];
            svp_metrics m;
            if (!p->found)
                continue;
            bd->n = 0;
            svp_eval(c->hw, in->model, p->scen, &p->best.cfg, in->opts, &m, bd);
            for (int k = 0; k < bd->n; k++, row++) {
                const svp_op_rec *op = &bd->ops[k];
                w_str(x, ws, row, 0, c->hw->name, NULL);
                w_str(x, ws, row, 1, p->scen->name, NULL);
                w_str(x, ws, row, 2, op->name != NULL ? op->name : "", NULL);
                w_str(x, ws, row, 3, svp_op_group_name(op->group), NULL);
                w_str(x, ws, row, 4, svp_dtype_name(op->dtype), NULL);
                w_int(x, ws, row, 5, op->count);
                w_num(x, ws, row, 6, op->flops / SVP_BILLION, x->f_2);
                w_num(x, ws, row, 7, op->bytes / SVP_MB, x->f_2);
                w_num(x, ws, row, 8, op->t_compute_s / SVP_MS, x->f_3);
                w_num(x, ws, row, 9, op->t_memory_s / SVP_MS, x->f_3);
                w_num(x, ws, row, 10, op->t_s / SVP_MS, x->f_3);
                if (m.step_s > 0.0)
                    w_num(x, ws, row, 11, op->t_s / m.step_s, x->f_pct);
                else
                    w_na(x, ws, row, 11, NULL);
                w_str(x, ws, row, 12, bound_label(x, op->bound), NULL);
            }
        }
    }
    svp_free(bd);
    autofilter(x, ws, head, 0, row - 1, (int)(sizeof k2 / sizeof k2[0]) - 1);
}

/* ---- charts --------------------------------------------------------------- */

static lxw_chart *new_scatter(xw *x, const char *title, const char *xname, const char *yname,
                              int xlog)
{
    lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_SCATTER_STRAIGHT_WITH_MARKERS);
    if (ch == NULL) {
        ck(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a chart");
        return NULL;
    }
    chart_title_set_name(ch, title);
    chart_axis_set_name(ch->x_axis, xname);
    chart_axis_set_name(ch->y_axis, yname);
    if (xlog)
        chart_axis_set_log_base(ch->x_axis, 2);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_RIGHT);
    return ch;
}

/* One series: x values in column cx, y in cy, rows r0..r1 of sheet. */
static void add_series(xw *x, lxw_chart *ch, const char *sheet, const char *name,
                       row_t r0, row_t r1, int cx, int cy)
{
    if (ch == NULL || x->lerr != LXW_NO_ERROR)
        return;
    lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
    if (se == NULL) {
        ck(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a chart series");
        return;
    }
    chart_series_set_categories(se, sheet, r0, (lxw_col_t)cx, r1, (lxw_col_t)cx);
    chart_series_set_values(se, sheet, r0, (lxw_col_t)cy, r1, (lxw_col_t)cy);
    chart_series_set_name(se, name);
    chart_series_set_marker_size(se, 4);
}

static void insert_chart(xw *x, lxw_worksheet *ws, row_t row, int col, lxw_chart *ch,
                         double xs, double ys)
{
    lxw_chart_options opt;
    if (ch == NULL || x->lerr != LXW_NO_ERROR)
        return;
    /* A chart with nothing to plot (no chip has a point in it: a chip
     * without a scale-out network, a grid of one value, ...) is left out:
     * libxlsxwriter refuses it, and the table beside it already says why. */
    if (STAILQ_EMPTY(ch->series_list))
        return;
    memset(&opt, 0, sizeof opt);
    opt.x_scale = xs;
    opt.y_scale = ys;
    ck(x, worksheet_insert_chart_opt(ws, row, (lxw_col_t)col, ch, &opt), "a chart");
}

/* ---- 5. Sensitivity ------------------------------------------------------- */

enum { SENS_BATCH = 0, SENS_TP, SENS_EP };

static void sens_layout(xw *x, lxw_worksheet *ws, row_t row, int col, const svp_config *cfg,
                        int skip)
{
    /* skip: the swept column, written separately. */
    const int v[5] = {cfg->mla_tp, cfg->mla_dp, cfg->moe_tp, cfg->moe_ep, cfg->sp};
    int o = 0;
    for (int k = 0; k < 5; k++) {
        if (k == skip)
            continue;
        w_int(x, ws, row, col + o, v[k]);
        o++;
    }
}

/* One table (a kind for one scenario) with a row block per chip and a chart
 * with one series per chip. */
static void sens_table(xw *x, lxw_worksheet *ws, const char *sheet, row_t *prow, size_t si,
                       int kind)
{
    static const char *const kb[] = {"col.chip", "col.mla_tp", "col.mla_dp", "col.moe_tp",
                                      "col.moe_ep", "col.sp", "col.batch", "col.tps_chip",
                                      "col.tps_user", "col.step_ms", "col.dram_gb",
                                      "col.status"};
    static const char *const kt[] = {"col.chip", "col.mla_tp", "col.tps_chip",
                                     "col.t_tp_comm_ms", "col.tp_share", "col.batch",
                                     "col.mla_dp", "col.moe_tp", "col.moe_ep", "col.sp",
                                     "col.status"};
    static const char *const ke[] = {"col.chip", "col.moe_ep", "col.tps_chip",
                                     "col.t_ep_comm_ms", "col.ep_share", "col.batch",
                                     "col.mla_tp", "col.mla_dp", "col.moe_tp", "col.sp",
                                     "col.status"};
    const svp_analysis *an = x->r->an;
    const svp_scenario *sc = &x->r->in->scenarios->rows[si];
    int decode = sc->phase == SVP_PHASE_DECODE;
    const char *const *keys = kind == SENS_BATCH ? kb : kind == SENS_TP ? kt : ke;
    size_t nk = kind == SENS_BATCH ? sizeof kb / sizeof kb[0] : sizeof kt / sizeof kt[0];
    const char *tkey = kind == SENS_BATCH ? "sens.batch_title"
                       : kind == SENS_TP  ? "sens.tp_title" : "sens.ep_title";
    const char *ckey = kind == SENS_BATCH ? "sens.chart_batch_title"
                       : kind == SENS_TP  ? "sens.chart_tp_title" : "sens.chart_ep_title";
    const char *xkey = kind == SENS_BATCH ? "sens.chart_batch_x"
                       : kind == SENS_TP  ? "sens.chart_tp_x" : "sens.chart_ep_x";
    const char *ykey = kind == SENS_BATCH ? "sens.chart_tps_chip_y" : "sens.chart_share_y";
    char buf[512], cbuf[512];
    const char *names[] = {"scenario"};
    const char *values[] = {sc->name};
    row_t row = *prow;
    row_t title_row = row;

    w_str(x, ws, row++, 0, fill(x, buf, sizeof buf, tkey, names, values, 1), x->title);
    w_header(x, ws, row, keys, nk);
    if (kind == SENS_BATCH && !decode)
        w_str(x, ws, row, 8, T(x, "col.ftl_ms"), x->hdr);
    row++;

    lxw_chart *ch = new_scatter(x, fill(x, cbuf, sizeof cbuf, ckey, names, values, 1),
                                T(x, xkey), T(x, ykey), 1);
    if (ch != NULL && kind != SENS_BATCH)
        chart_axis_set_num_format(ch->y_axis, "0%");

    for (size_t i = 0; i < an->n_chips; i++) {
        const svp_chip_result *c = &an->chips[i];
        const svp_scen_result *p = si < c->n_scen ? &c->scen[si] : NULL;
        const svp_sens_row *rows = NULL;
        size_t n = 0;
        row_t first = 0, last = 0;
        int any = 0;

        if (p != NULL) {
            rows = kind == SENS_BATCH ? p->batch : kind == SENS_TP ? p->tp : p->ep;
            n = kind == SENS_BATCH ? p->n_batch : kind == SENS_TP ? p->n_tp : p->n_ep;
        }
        if (n == 0) {
            w_str(x, ws, row, 0, c->hw->name, NULL);
            if (p != NULL)
                w_str(x, ws, row, (int)nk - 1, no_plan_text(x, buf, sizeof buf, p), NULL);
            row++;
            continue;
        }
        for (size_t k = 0; k < n; k++, row++) {
            const svp_sens_row *sr = &rows[k];
            const svp_metrics *m = &sr->plan.m;
            const svp_config *cfg = &sr->plan.cfg;
            w_str(x, ws, row, 0, c->hw->name, NULL);
            if (kind == SENS_BATCH) {
                sens_layout(x, ws, row, 1, cfg, -1);
                w_int(x, ws, row, 6, sr->value);
                if (sr->found) {
                    w_num(x, ws, row, 7, m->tps_per_chip, x->f_1);
                    if (decode)
                        w_num(x, ws, row, 8, m->tps_per_user, x->f_1);
                    else
                        w_num(x, ws, row, 8, m->ftl_s / SVP_MS, x->f_int);
                    w_num(x, ws, row, 9, m->step_s / SVP_MS, x->f_2);
                    w_num(x, ws, row, 10, m->dram_bytes / SVP_GB, x->f_1);
                } else {
                    for (int col = 7; col <= 10; col++)
                        w_na(x, ws, row, col, NULL);
                }
                w_str(x, ws, row, 11, reason_label(x, m->reason), NULL);
            } else {
                w_int(x, ws, row, 1, sr->value);
                if (sr->found) {
                    double t = kind == SENS_TP ? m->t_tp_comm_s : m->t_ep_comm_s;
                    w_num(x, ws, row, 2, m->tps_per_chip, x->f_1);
                    w_num(x, ws, row, 3, t / SVP_MS, x->f_2);
                    if (m->step_s > 0.0)
                        w_num(x, ws, row, 4, t / m->step_s, x->f_pct);
                    else
                        w_na(x, ws, row, 4, NULL);
                    w_int(x, ws, row, 5, cfg->batch);
                    sens_layout(x, ws, row, 6, cfg, kind == SENS_TP ? 0 : 3);
                    w_str(x, ws, row, 10, reason_label(x, m->reason), NULL);
                } else {
                    for (int col = 2; col <= 9; col++)
                        w_na(x, ws, row, col, NULL);
                    w_str(x, ws, row, 10, T(x, kind == SENS_TP ? "note.no_tp_plan"
                                                              : "note.no_ep_plan"), NULL);
                }
            }
            /* The chart plots the run from the first to the last row with
             * figures; rows without are at the ends in practice (small
             * batches leave DP ranks idle, large TP leaves the domain). */
            if (sr->found) {
                if (!any)
                    first = row;
                last = row;
                any = 1;
            }
        }
        if (any)
            add_series(x, ch, sheet, c->hw->name, first, last, kind == SENS_BATCH ? 6 : 1,
                       kind == SENS_BATCH ? 7 : 4);
    }
    insert_chart(x, ws, title_row, (int)nk + 1, ch, 1.6, 1.6);
    /* Leave room so the next table's chart does not overlap this one:
     * a 1.6-scaled default chart is ~24 rows tall. */
    if (row < title_row + 26)
        row = title_row + 26;
    *prow = row + 2;
}

static void sheet_sensitivity(xw *x, lxw_worksheet *ws, const char *sheet)
{
    const svp_scenario_table *sc = x->r->in->scenarios;
    row_t row = 0;

    set_col(x, ws, 0, 0, 16);
    set_col(x, ws, 1, 10, 11);
    set_col(x, ws, 11, 11, 24);
    for (size_t s = 0; s < sc->n; s++)
        for (int kind = SENS_BATCH; kind <= SENS_EP; kind++)
            sens_table(x, ws, sheet, &row, s, kind);
}

/* ---- 6. Cost -------------------------------------------------------------- */

static void sheet_cost(xw *x, lxw_worksheet *ws, const char *sheet, const int *rank)
{
    static const char *const k[] = {
        "cost.rank_mid", "col.chip", "col.vendor", "col.scenario", "col.tps_chip",
        "col.n_chips", "col.cluster_tps", "cost.price_mid", "cost.price_low",
        "cost.price_high", "cost.kusd_mid", "cost.kusd_low", "cost.kusd_high",
        "cost.rank_low", "cost.rank_high", "cost.hourly", "cost.usd_per_mtok", "cost.basis",
        "cost.date", "cost.confidence", "cost.source", "cost.note"};
    const svp_analysis *an = x->r->an;
    const char *prices_file = file_of(x, "prices", "data/prices.csv");
    size_t nk = sizeof k / sizeof k[0];
    size_t *order = svp_calloc(an->n_chips ? an->n_chips : 1, sizeof *order);
    int *rl = svp_calloc(an->n_chips ? an->n_chips : 1, sizeof *rl);
    int *rh = svp_calloc(an->n_chips ? an->n_chips : 1, sizeof *rh);
    row_t row = 0, last_priced = 0;
    char buf[512];

    if (order == NULL || rl == NULL || rh == NULL) {
        ck(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the Cost sheet");
        goto done;
    }
    svp_analysis_rank_cost(an, order);
    svp_analysis_rank_at(an, SVP_PRICE_LOW, rl);
    svp_analysis_rank_at(an, SVP_PRICE_HIGH, rh);

    w_header(x, ws, row++, k, nk);
    set_col(x, ws, 0, 0, 8);
    set_col(x, ws, 1, 3, 13);
    set_col(x, ws, 4, 16, 12);
    set_col(x, ws, 17, 17, 40);
    set_col(x, ws, 18, 19, 12);
    set_col(x, ws, 20, 21, 40);
    freeze(ws, 1);

    for (size_t j = 0; j < an->n_chips; j++, row++) {
        size_t i = order[j];
        const svp_chip_result *c = &an->chips[i];
        const svp_scen_result *dec = first_decode(c);
        const svp_price *pr = c->price;
        svp_cost cost = svp_chip_decode_cost(c);

        if (cost.has_price) {
            w_int(x, ws, row, 0, rank[i]);
            last_priced = row;
        } else {
            w_na(x, ws, row, 0, NULL);
        }
        w_str(x, ws, row, 1, c->hw->name, NULL);
        w_str(x, ws, row, 2, c->hw->vendor, NULL);
        if (dec != NULL)
            w_str(x, ws, row, 3, dec->scen->name, NULL);
        if (dec != NULL && dec->found) {
            w_num(x, ws, row, 4, dec->best.m.tps_per_chip, x->f_1);
            w_num(x, ws, row, 5, dec->best.m.n_chips, x->f_gen);
            w_num(x, ws, row, 6, dec->best.m.cluster_tps, x->f_int);
        } else {
            for (int col = 4; col <= 6; col++)
                w_na(x, ws, row, col, NULL);
        }
        if (pr != NULL) {
            w_num(x, ws, row, 7, svp_price_unit_mid(pr), x->f_int);
            w_num(x, ws, row, 8, pr->unit_usd_low, x->f_int);
            w_num(x, ws, row, 9, pr->unit_usd_high, x->f_int);
        } else {
            for (int col = 7; col <= 9; col++)
                w_na(x, ws, row, col, NULL);
        }
        if (cost.has_price) {
            w_num(x, ws, row, 10, cost.tps_per_usd * USD_PER_KUSD, x->f_2);
            /* At the low price a chip does best: tps_per_usd_high. */
            w_num(x, ws, row, 11, cost.tps_per_usd_high * USD_PER_KUSD, x->f_2);
            w_num(x, ws, row, 12, cost.tps_per_usd_low * USD_PER_KUSD, x->f_2);
            w_int(x, ws, row, 13, rl[i]);
            w_int(x, ws, row, 14, rh[i]);
        } else {
            for (int col = 10; col <= 14; col++)
                w_na(x, ws, row, col, NULL);
        }
        if (pr != NULL && pr->has_hourly)
            w_num(x, ws, row, 15, svp_price_hourly_mid(pr), x->f_2);
        else
            w_na(x, ws, row, 15, NULL);
        if (cost.has_hourly)
            w_num(x, ws, row, 16, cost.usd_per_mtok, x->f_2);
        else
            w_na(x, ws, row, 16, NULL);
        if (pr != NULL) {
            w_str(x, ws, row, 17, pr->basis, NULL);
            w_str(x, ws, row, 18, pr->date, NULL);
            w_str(x, ws, row, 19, pr->confidence, NULL);
            w_str(x, ws, row, 20, pr->source, NULL);
        }
        {
            const char *names[] = {"file"};
            const char *values[] = {prices_file};
            buf[0] = '\0';
            if (pr == NULL)
                svp_tr_fill(x->tr, "note.no_price", buf, sizeof buf, names, values, 1);
            else if (dec == NULL || !dec->found)
                svp_tr_fill(x->tr, "note.no_plan", buf, sizeof buf, NULL, NULL, 0);
            else if (!cost.has_hourly)
                svp_tr_fill(x->tr, "note.no_hourly", buf, sizeof buf, names, values, 1);
            if (buf[0] != '\0')
                w_str(x, ws, row, 21, buf, NULL);
        }
    }
    autofilter(x, ws, 0, 0, row - 1, (int)nk - 1);

    /* Bars of the priced chips (they come first in rank order). */
    if (last_priced >= 1 && x->lerr == LXW_NO_ERROR) {
        lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_BAR);
        if (ch == NULL) {
            ck(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the Cost chart");
            goto done;
        }
        chart_title_set_name(ch, T(x, "cost.chart_title"));
        chart_axis_set_name(ch->x_axis, T(x, "cost.chart_y"));
        /* Best at the top. */
        chart_axis_set_reverse(ch->y_axis);
        chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
        lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
        if (se == NULL) {
            ck(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the Cost chart");
            goto done;
        }
        chart_series_set_categories(se, sheet, 1, 1, last_priced, 1);
        chart_series_set_values(se, sheet, 1, 10, last_priced, 10);
        chart_series_set_name(se, T(x, "cost.kusd_mid"));
        insert_chart(x, ws, row + 2, 1, ch, 2.0, 1.8);
    }
done:
    svp_free(order);
    svp_free(rl);
    svp_free(rh);
}

/* ---- 7. Pareto ------------------------------------------------------------ */

static void sheet_pareto(xw *x, lxw_worksheet *ws, const char *sheet)
{
    static const char *const k[] = {"col.chip", "col.tps_user", "col.tps_chip", "col.batch",
                                    "col.mla_tp", "col.mla_dp", "col.moe_tp", "col.moe_ep",
                                    "col.sp", "col.n_chips", "pareto.meets_slo"};
    const svp_analysis *an = x->r->an;
    const svp_scenario_table *sct = x->r->in->scenarios;
    size_t nk = sizeof k / sizeof k[0];
    row_t row = 0;
    char buf[512], cbuf[512];

    set_col(x, ws, 0, 0, 16);
    set_col(x, ws, 1, 10, 12);
    for (size_t si = 0; si < sct->n; si++) {
        const svp_scenario *sc = &sct->rows[si];
        int decode = sc->phase == SVP_PHASE_DECODE;
        const char *names[] = {"scenario"};
        const char *values[] = {sc->name};
        row_t title_row = row;
        double ymax = 0.0;

        w_str(x, ws, row++, 0, fill(x, buf, sizeof buf, "pareto.title", names, values, 1),
              x->title);
        w_header(x, ws, row, k, nk);
        if (!decode)
            w_str(x, ws, row, 1, T(x, "col.ftl_ms"), x->hdr);
        row++;
        lxw_chart *ch = new_scatter(
            x, fill(x, cbuf, sizeof cbuf,
                    decode ? "pareto.chart_title_decode" : "pareto.chart_title_prefill", names,
                    values, 1),
            T(x, decode ? "pareto.x_decode" : "pareto.x_prefill"), T(x, "pareto.y"), 0);
        for (size_t i = 0; i < an->n_chips; i++) {
            const svp_chip_result *c = &an->chips[i];
            const svp_scen_result *p = si < c->n_scen ? &c->scen[si] : NULL;
            if (p == NULL || p->n_pareto == 0) {
                w_str(x, ws, row, 0, c->hw->name, NULL);
                w_na(x, ws, row, 1, T(x, "note.no_metrics"));
                row++;
                continue;
            }
            row_t first = row;
            for (size_t j = 0; j < p->n_pareto; j++, row++) {
                const svp_plan *pl = &p->pareto[j];
                const svp_metrics *m = &pl->m;
                w_str(x, ws, row, 0, c->hw->name, NULL);
                if (decode)
                    w_num(x, ws, row, 1, m->tps_per_user, x->f_2);
                else
                    w_num(x, ws, row, 1, m->ftl_s / SVP_MS, x->f_int);
                w_num(x, ws, row, 2, m->tps_per_chip, x->f_1);
                w_int(x, ws, row, 3, pl->cfg.batch);
                w_int(x, ws, row, 4, pl->cfg.mla_tp);
                w_int(x, ws, row, 5, pl->cfg.mla_dp);
                w_int(x, ws, row, 6, pl->cfg.moe_tp);
                w_int(x, ws, row, 7, pl->cfg.moe_ep);
                w_int(x, ws, row, 8, pl->cfg.sp);
                w_num(x, ws, row, 9, m->n_chips, x->f_gen);
                w_bool(x, ws, row, 10, m->reason == SVP_FEASIBLE);
                if (isfinite(m->tps_per_chip) && m->tps_per_chip > ymax)
                    ymax = m->tps_per_chip;
            }
            add_series(x, ch, sheet, c->hw->name, first, row - 1, 1, 2);
        }
        /* The SLO as a vertical line: two points at x = limit. */
        double slo = decode ? (sc->max_tpot_s > 0.0 ? 1.0 / sc->max_tpot_s : NAN)
                            : sc->max_ftl_s / SVP_MS;
        if (isfinite(slo) && slo > 0.0) {
            row++;
            w_str(x, ws, row, 0, T(x, "pareto.slo_series"), x->hdr);
            w_str(x, ws, row, 1, T(x, decode ? "pareto.x_decode" : "pareto.x_prefill"), x->hdr);
            w_str(x, ws, row, 2, T(x, "pareto.y"), x->hdr);
            row++;
            row_t s0 = row;
            w_str(x, ws, row, 0, T(x, "pareto.slo_x"), NULL);
            w_num(x, ws, row, 1, slo, x->f_2);
            w_num(x, ws, row++, 2, 0.0, x->f_1);
            w_str(x, ws, row, 0, T(x, "pareto.slo_x"), NULL);
            w_num(x, ws, row, 1, slo, x->f_2);
            w_num(x, ws, row++, 2, ymax > 0.0 ? ymax * 1.05 : 1.0, x->f_1);
            add_series(x, ch, sheet, T(x, "pareto.slo_series"), s0, s0 + 1, 1, 2);
        }
        insert_chart(x, ws, title_row, (int)nk + 1, ch, 2.0, 2.0);
        if (row < title_row + 32)
            row = title_row + 32;
        row += 2;
    }
}

/* ---- 8. All configurations ----------------------------------------------- */

typedef struct all_ctx {
    xw *x;
    lxw_worksheet **sheets;
    size_t n_sheets, cur;
    row_t row;
    const svp_hw *hw;
    const svp_scenario *scen;
    size_t *cols;     /* the SVP_COLS_PLAN columns */
    size_t n_cols;
    svp_cell cell;
} all_ctx;

static void all_header(all_ctx *a, lxw_worksheet *ws)
{
    xw *x = a->x;
    for (size_t j = 0; j < a->n_cols; j++)
        w_str(x, ws, 0, (int)j, svp_col_name(a->cols[j]), x->hdr);
    set_col(x, ws, 0, 1, 13);
    set_col(x, ws, 2, (int)a->n_cols - 1, 11);
    freeze(ws, 1);
}

static int all_visit(void *vctx, const svp_plan *p)
{
    all_ctx *a = vctx;
    xw *x = a->x;
    svp_plan_row r;

    if (a->row >= XLSX_MAX_ROWS) {
        autofilter(x, a->sheets[a->cur], 0, 0, a->row - 1, (int)a->n_cols - 1);
        if (a->cur + 1 >= a->n_sheets) {
            ck(x, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE, "the All configurations sheets");
            return 1;
        }
        a->cur++;
        a->row = 1;
    }
    memset(&r, 0, sizeof r);
    r.hw = a->hw;
    r.scen = a->scen;
    r.cfg = &p->cfg;
    r.m = &p->m;
    r.reason = p->m.reason;
    lxw_worksheet *ws = a->sheets[a->cur];
    for (size_t j = 0; j < a->n_cols && x->lerr == LXW_NO_ERROR; j++) {
        svp_cell *c = &a->cell;
        lxw_col_t col = (lxw_col_t)j;
        svp_col_cell(a->cols[j], &r, c);
        switch (c->kind) {
        case SVP_CELL_EMPTY:
            break;
        case SVP_CELL_NUM:
            if (isfinite(c->num))
                ck(x, worksheet_write_number(ws, a->row, col, c->num, NULL), "a configuration");
            else
                w_na(x, ws, a->row, (int)j, NULL);
            break;
        case SVP_CELL_INT:
            ck(x, worksheet_write_number(ws, a->row, col, (double)c->i, NULL), "a configuration");
            break;
        case SVP_CELL_BOOL:
            ck(x, worksheet_write_boolean(ws, a->row, col, (int)c->i, NULL), "a configuration");
            break;
        case SVP_CELL_STR:
            ck(x, worksheet_write_string(ws, a->row, col, c->str, NULL), "a configuration");
            break;
        }
    }
    a->row++;
    return x->lerr != LXW_NO_ERROR;
}

static void sheet_all(xw *x, all_ctx *a)
{
    const svp_analysis *an = x->r->an;
    const svp_analysis_input *in = x->r->in;

    for (size_t j = 0; j < a->n_sheets; j++)
        all_header(a, a->sheets[j]);
    a->cur = 0;
    a->row = 1;
    for (size_t i = 0; i < an->n_chips && x->lerr == LXW_NO_ERROR; i++) {
        const svp_chip_result *c = &an->chips[i];
        for (size_t s = 0; s < c->n_scen && x->lerr == LXW_NO_ERROR; s++) {
            svp_problem pb;
            pb.hw = c->hw;
            pb.model = in->model;
            pb.scen = c->scen[s].scen;
            pb.space = in->space;
            pb.opts = in->opts;
            a->hw = c->hw;
            a->scen = pb.scen;
            if (svp_search(&pb, all_visit, a, NULL, NULL) < 0 && x->lerr == LXW_NO_ERROR)
                ck(x, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE, "the All configurations sheet");
        }
    }
    if (a->row > 1)
        autofilter(x, a->sheets[a->cur], 0, 0, a->row - 1, (int)a->n_cols - 1);
}

/* ---- 9. Validation -------------------------------------------------------- */

/* Columns of the per-deployment table, in order. */
enum {
    V_ID, V_CHIP, V_PHASE, V_RANKS, V_CHIPS, V_MLA_TP, V_MLA_DP, V_MOE_TP, V_MOE_EP, V_SP,
    V_BATCH, V_IN, V_OUT, V_TBO, V_MTP_K, V_MTP_L, V_WDT, V_KVDT, V_PRED, V_MEAS, V_ERR,
    V_LAT_KIND, V_PRED_LAT, V_MEAS_LAT, V_LAT_ERR, V_LOO_TPS, V_LOO_ERR, V_LOO_BASIS,
    V_VERDICT, V_STATUS, V_SOURCE, V_NOTE, V_NCOL
};

/* "n/a: why" on a wrapping cell: the reasons are longer than the numbers'
 * columns are wide. */
static void w_na_wrap(xw *x, lxw_worksheet *ws, row_t row, int col, const char *why)
{
    char buf[512];
    if (why == NULL || why[0] == '\0')
        snprintf(buf, sizeof buf, "%s", T(x, "na"));
    else
        snprintf(buf, sizeof buf, "%s: %s", T(x, "na"), why);
    w_str(x, ws, row, col, buf, x->wrap);
}

/* A percentage kept as a number: the cell holds the fraction (26.1 % ->
 * 0.261) under a signed percent format, as the shares elsewhere do. */
static void w_pct_num(xw *x, lxw_worksheet *ws, row_t row, int col, double pct, lxw_format *f)
{
    w_num(x, ws, row, col, pct / 100.0, f);
}

static void merge(xw *x, lxw_worksheet *ws, row_t row, int c0, int c1, const char *s,
                  lxw_format *f)
{
    if (x->lerr != LXW_NO_ERROR)
        return;
    ck(x, worksheet_merge_range(ws, row, (lxw_col_t)c0, row, (lxw_col_t)c1, s, f),
       "a merged cell");
}

/* How row r's leave-one-out prediction was made, as a sentence. */
static const char *loo_text(const xw *x, char *buf, size_t cap, const svp_val_row *r)
{
    char n[24];

    snprintf(n, sizeof n, "%zu", r->loo_n_rows);
    if (r->loo_basis == SVP_LOO_FITTED) {
        char params[256];
        size_t len = 0;
        params[0] = '\0';
        for (size_t i = 0; i < r->loo_n_params && len < sizeof params; i++) {
            int w = snprintf(params + len, sizeof params - len, "%s%s", i > 0 ? ", " : "",
                             svp_param_name(r->loo_params[i]));
            if (w < 0)
                break;
            len += (size_t)w;
        }
        const char *names[] = {"params", "n", "chip"};
        const char *values[] = {params, n, r->dep->chip};
        return fill(x, buf, cap, "val.loo_fitted", names, values, 3);
    }
    const char *names[] = {"n", "chip"};
    const char *values[] = {n, r->dep->chip};
    return fill(x, buf, cap, r->loo_n_rows == 0 ? "val.loo_defaults_none" : "val.loo_defaults",
                names, values, 2);
}

/* A row of the summary block: label over columns A..C, value in D, the row
 * it refers to over E..I, a note in J. */
#define VS_VALUE 3
#define VS_ROW 4
#define VS_ROW_END 8
#define VS_NOTE 9

static void val_summary_row(xw *x, lxw_worksheet *ws, row_t row, const char *label)
{
    merge(x, ws, row, 0, VS_VALUE - 1, label, x->wrap);
}

/* Whether a target is met: "met", "not met" or "not evaluated" (no figure). */
static const char *target_status(const xw *x, int have, double reached_pct, double limit_pct)
{
    if (!have || !isfinite(reached_pct))
        return T(x, "val.not_evaluated");
    return T(x, reached_pct <= limit_pct ? "val.met" : "val.not_met");
}

/* A label with {pct} (a target of chart.h) filled in. */
static const char *pct_fill(const xw *x, char *buf, size_t cap, const char *key, double pct)
{
    char v[32];
    snprintf(v, sizeof v, "%g", pct);
    const char *names[] = {"pct"};
    const char *values[] = {v};
    return fill(x, buf, cap, key, names, values, 1);
}

/* The largest of 1, 2, 5 x 10^k not above v > 0. */
static double down125(double v)
{
    double e = pow(10.0, floor(log10(v))), f = v / e;
    return (f >= 5.0 ? 5.0 : f >= 2.0 ? 2.0 : 1.0) * e;
}

static int val_plottable(const svp_val_row *r)
{
    return r->has_pred && isfinite(r->pred_tps) && r->pred_tps > 0.0 && isfinite(r->meas_tps)
           && r->meas_tps > 0.0;
}

/* One scatter series over rows r0..r1 (x in column 2, y in 3) of the chart
 * data block. */
static lxw_chart_series *val_series(xw *x, lxw_chart *ch, const char *sheet, const char *name,
                                    row_t r0, row_t r1)
{
    if (ch == NULL || x->lerr != LXW_NO_ERROR)
        return NULL;
    lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
    if (se == NULL) {
        ck(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a chart series");
        return NULL;
    }
    chart_series_set_categories(se, sheet, r0, 2, r1, 2);
    chart_series_set_values(se, sheet, r0, 3, r1, 3);
    chart_series_set_name(se, name);
    return se;
}

/* The points of one phase with their ids as data labels. */
static void val_points(xw *x, lxw_chart *ch, const char *sheet, svp_phase ph, row_t r0,
                       row_t r1, const svp_val_row *rows, size_t n)
{
    lxw_chart_series *se = val_series(x, ch, sheet, phase_label(x, ph), r0, r1);
    lxw_chart_data_label *labels = NULL, **ptrs = NULL;
    size_t k = 0, count = (size_t)(r1 - r0) + 1;

    if (se == NULL)
        return;
    chart_series_set_marker_type(se, ph == SVP_PHASE_DECODE ? LXW_CHART_MARKER_CIRCLE
                                                            : LXW_CHART_MARKER_SQUARE);
    chart_series_set_marker_size(se, 7);
    labels = svp_calloc(count, sizeof *labels);
    ptrs = svp_calloc(count + 1, sizeof *ptrs);
    if (labels == NULL || ptrs == NULL) {
        ck(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the Validation chart's labels");
        goto done;
    }
    /* The same rows, in the same order, as the chart data block. */
    for (size_t i = 0; i < n && k < count; i++) {
        if (!val_plottable(&rows[i]) || rows[i].dep->phase != ph)
            continue;
        labels[k].value = (char *)rows[i].dep->id;   /* copied by libxlsxwriter */
        ptrs[k] = &labels[k];
        k++;
    }
    chart_series_set_labels(se);
    chart_series_set_labels_position(se, LXW_CHART_LABEL_POSITION_RIGHT);
    ck(x, chart_series_set_labels_custom(se, ptrs), "the Validation chart's labels");
done:
    svp_free(labels);
    svp_free(ptrs);
}

/* A reference line of the chart: two points, no markers. */
static void val_line(xw *x, lxw_chart *ch, const char *sheet, const char *name, row_t r0,
                     uint8_t dash, lxw_color_t color)
{
    lxw_chart_series *se = val_series(x, ch, sheet, name, r0, r0 + 1);
    lxw_chart_line line;
    if (se == NULL)
        return;
    memset(&line, 0, sizeof line);
    line.color = color;
    line.width = dash == LXW_CHART_LINE_DASH_SOLID ? 1.5f : 1.0f;
    line.dash_type = dash;
    chart_series_set_line(se, &line);
    chart_series_set_marker_type(se, LXW_CHART_MARKER_NONE);
}

static void sheet_validation(xw *x, lxw_worksheet *ws, const char *sheet)
{
    static const char *const keys[V_NCOL] = {
        "val.col.id", "col.chip", "col.phase", "val.col.ranks", "col.n_chips", "col.mla_tp",
        "col.mla_dp", "col.moe_tp", "col.moe_ep", "col.sp", "col.batch", "col.input_len",
        "val.col.output_len", "val.col.tbo", "val.col.mtp_k", "val.col.mtp_l",
        "val.col.weight_dtype", "val.col.kv_dtype", "val.col.pred_tps", "val.col.meas_tps",
        "val.col.err", "val.col.lat_kind", "val.col.pred_lat", "val.col.meas_lat",
        "val.col.lat_err", "val.col.loo_tps", "val.col.loo_err", "val.col.loo_basis",
        "val.col.verdict", "val.col.status", "val.col.source", "val.col.note"};
    const svp_report_input *r = x->r;
    const svp_val_row *rows = r->val_rows;
    svp_val_summary none;
    size_t n = r->n_val;
    char buf[1024];
    row_t row = 0, hdr;

    /* No summary given (report.h pairs it with the rows): nothing predicted. */
    memset(&none, 0, sizeof none);
    none.n_rows = n;
    const svp_val_summary *s = r->val_sum != NULL ? r->val_sum : &none;

    if (rows == NULL) {
        const char *names[] = {"file"};
        const char *values[] = {r->deployments_path != NULL ? r->deployments_path
                                                            : "data/deployments.csv"};
        set_col(x, ws, 0, 0, 100);
        w_str(x, ws, 0, 0, fill(x, buf, sizeof buf, "val.placeholder", names, values, 1),
              x->wrap);
        return;
    }

    /* Column widths: the table's (the blocks below reuse its columns). */
    set_col(x, ws, V_ID, V_ID, 24);
    set_col(x, ws, V_CHIP, V_CHIP, 13);
    set_col(x, ws, V_PHASE, V_PHASE, 9);
    set_col(x, ws, V_RANKS, V_SP, 9);
    set_col(x, ws, V_BATCH, V_OUT, 10);
    set_col(x, ws, V_TBO, V_KVDT, 8);
    set_col(x, ws, V_PRED, V_MEAS, 13);
    set_col(x, ws, V_ERR, V_LAT_KIND, 9);
    set_col(x, ws, V_PRED_LAT, V_MEAS_LAT, 13);
    set_col(x, ws, V_LAT_ERR, V_LAT_ERR, 9);
    set_col(x, ws, V_LOO_TPS, V_LOO_TPS, 13);
    set_col(x, ws, V_LOO_ERR, V_LOO_ERR, 9);
    set_col(x, ws, V_LOO_BASIS, V_LOO_BASIS, 36);
    set_col(x, ws, V_VERDICT, V_VERDICT, 16);
    set_col(x, ws, V_STATUS, V_STATUS, 22);
    set_col(x, ws, V_SOURCE, V_SOURCE, 40);
    set_col(x, ws, V_NOTE, V_NOTE, 70);

    /* What the numbers mean, before the numbers. */
    w_str(x, ws, row++, 0, T(x, "val.title"), x->title);
    w_str(x, ws, row++, 0, T(x, "val.sign"), x->bold);
    {
        char nb[24];
        snprintf(nb, sizeof nb, "%zu", n);
        const char *names[] = {"file", "n", "hardware"};
        const char *values[] = {r->deployments_path != NULL ? r->deployments_path : "",
                                nb, file_of(x, "hardware", "data/hardware.csv")};
        w_str(x, ws, row++, 0, fill(x, buf, sizeof buf, "val.file", names, values, 3), NULL);
    }
    w_str(x, ws, row++, 0, T(x, "val.units"), NULL);
    w_str(x, ws, row++, 0, T(x, "val.loo_intro"), NULL);
    row++;

    hdr = row;
    w_header(x, ws, row++, keys, V_NCOL);
    if (x->lerr == LXW_NO_ERROR)
        worksheet_freeze_panes(ws, hdr + 1, 1);

    for (size_t i = 0; i < n; i++, row++) {
        const svp_val_row *v = &rows[i];
        const svp_deployment *dep = v->dep;
        const svp_config *cfg = &dep->cfg;
        const char *why = v->has_pred ? NULL : reason_label(x, v->m.reason);
        int rpc = v->hw != NULL && v->hw->ranks_per_chip > 0 ? v->hw->ranks_per_chip : 1;

        w_str(x, ws, row, V_ID, dep->id, NULL);
        w_str(x, ws, row, V_CHIP, dep->chip, NULL);
        w_str(x, ws, row, V_PHASE, phase_label(x, dep->phase), NULL);
        w_int(x, ws, row, V_RANKS, dep->n_ranks);
        /* TPS is per package: a 910C package holds two ranks. */
        w_num(x, ws, row, V_CHIPS, (double)dep->n_ranks / (double)rpc, x->f_gen);
        w_int(x, ws, row, V_MLA_TP, cfg->mla_tp);
        w_int(x, ws, row, V_MLA_DP, cfg->mla_dp);
        w_int(x, ws, row, V_MOE_TP, cfg->moe_tp);
        w_int(x, ws, row, V_MOE_EP, cfg->moe_ep);
        w_int(x, ws, row, V_SP, cfg->sp);
        w_int(x, ws, row, V_BATCH, cfg->batch);
        w_int(x, ws, row, V_IN, dep->input_len);
        w_int(x, ws, row, V_OUT, dep->output_len);
        w_bool(x, ws, row, V_TBO, dep->tbo == SVP_TBO_ON);
        w_int(x, ws, row, V_MTP_K, dep->mtp_draft);
        w_num(x, ws, row, V_MTP_L, dep->mtp_accept, x->f_2);
        w_str(x, ws, row, V_WDT, svp_dtype_name(dep->weight_dtype), NULL);
        w_str(x, ws, row, V_KVDT, svp_dtype_name(dep->kv_dtype), NULL);
        w_num(x, ws, row, V_MEAS, v->meas_tps, x->f_1);
        w_str(x, ws, row, V_LAT_KIND,
              T(x, dep->phase == SVP_PHASE_DECODE ? "val.lat.tpot" : "val.lat.ftl"), NULL);
        if (v->meas_latency_s > 0.0)
            w_num(x, ws, row, V_MEAS_LAT, v->meas_latency_s / SVP_MS, x->f_1);
        else
            w_na_wrap(x, ws, row, V_MEAS_LAT, T(x, "val.no_latency"));
        if (v->has_pred) {
            w_num(x, ws, row, V_PRED, v->pred_tps, x->f_1);
            w_pct_num(x, ws, row, V_ERR, v->err_pct, x->f_spct);
            w_num(x, ws, row, V_PRED_LAT, v->pred_latency_s / SVP_MS, x->f_1);
            if (v->has_latency_err)
                w_pct_num(x, ws, row, V_LAT_ERR, v->latency_err_pct, x->f_spct);
            else
                w_na_wrap(x, ws, row, V_LAT_ERR, T(x, "val.no_latency"));
            w_str(x, ws, row, V_VERDICT, bound_label(x, v->m.bottleneck), NULL);
        } else {
            w_na_wrap(x, ws, row, V_PRED, why);
            w_na_wrap(x, ws, row, V_ERR, why);
            w_na_wrap(x, ws, row, V_PRED_LAT, why);
            w_na_wrap(x, ws, row, V_LAT_ERR, why);
            w_na_wrap(x, ws, row, V_VERDICT, why);
        }
        if (v->loo_basis != SVP_LOO_NONE) {
            w_num(x, ws, row, V_LOO_TPS, v->loo_tps, x->f_1);
            w_pct_num(x, ws, row, V_LOO_ERR, v->loo_err_pct, x->f_spct);
            w_str(x, ws, row, V_LOO_BASIS, loo_text(x, buf, sizeof buf, v), x->wrap);
        } else {
            const char *lwhy = v->has_pred ? T(x, "val.no_loo") : why;
            w_na_wrap(x, ws, row, V_LOO_TPS, lwhy);
            w_na_wrap(x, ws, row, V_LOO_ERR, lwhy);
            w_na_wrap(x, ws, row, V_LOO_BASIS, lwhy);
        }
        w_str(x, ws, row, V_STATUS, reason_label(x, v->m.reason), x->wrap);
        if (dep->source[0] != '\0')
            w_str(x, ws, row, V_SOURCE, dep->source, x->wrap);
        if (dep->note[0] != '\0')
            w_str(x, ws, row, V_NOTE, dep->note, x->wrap);
    }
    autofilter(x, ws, hdr, 0, row - 1, V_NCOL - 1);

    /* Summary: the statistics of `servplan validate --cross`. */
    row++;
    w_str(x, ws, row++, 0, T(x, "val.summary_title"), x->title);
    {
        static const char *const k[] = {"val.s_item", "val.s_value", "val.s_row", "val.s_note"};
        val_summary_row(x, ws, row, T(x, k[0]));
        w_str(x, ws, row, VS_VALUE, T(x, k[1]), x->hdr);
        merge(x, ws, row, VS_ROW, VS_ROW_END, T(x, k[2]), x->hdr);
        w_str(x, ws, row++, VS_NOTE, T(x, k[3]), x->hdr);
    }
    int have = s->n_pred > 0;
    int have_loo = have && s->has_loo;
    {
        char nb[24];
        snprintf(nb, sizeof nb, "%zu", s->n_rows);
        const char *names[] = {"n"};
        const char *values[] = {nb};
        val_summary_row(x, ws, row, T(x, "val.s_pred"));
        w_int(x, ws, row, VS_VALUE, (long)s->n_pred);
        w_str(x, ws, row++, VS_NOTE, fill(x, buf, sizeof buf, "val.s_pred_note", names, values, 1),
              NULL);
    }
    {
        const struct {
            const char *key;
            int ok;
            double pct;
            size_t worst;     /* row index, or n for none */
        } st[] = {
            {"val.s_median", have, have ? s->median_abs_err_pct : NAN, n},
            {"val.s_worst", have, have ? s->worst_abs_err_pct : NAN, have ? s->worst_row : n},
            {"val.s_loo_median", have_loo, have_loo ? s->loo_median_abs_err_pct : NAN, n},
            {"val.s_loo_worst", have_loo, have_loo ? s->loo_worst_abs_err_pct : NAN,
             have_loo ? s->loo_worst_row : n},
        };
        for (size_t i = 0; i < sizeof st / sizeof st[0]; i++, row++) {
            val_summary_row(x, ws, row, T(x, st[i].key));
            if (st[i].ok)
                w_pct_num(x, ws, row, VS_VALUE, st[i].pct, x->f_pct);
            else
                w_na_wrap(x, ws, row, VS_VALUE, T(x, have ? "val.no_loo" : "val.no_rows"));
            if (st[i].worst < n)
                merge(x, ws, row, VS_ROW, VS_ROW_END, rows[st[i].worst].dep->id, NULL);
        }
    }
    if (have_loo) {
        val_summary_row(x, ws, row, T(x, "val.s_loo_defaults"));
        w_int(x, ws, row, VS_VALUE, (long)s->loo_n_defaults);
        w_str(x, ws, row++, VS_NOTE, T(x, "val.s_loo_defaults_note"), NULL);
    }
    val_summary_row(x, ws, row, T(x, "val.s_infeasible"));
    w_int(x, ws, row++, VS_VALUE, (long)s->n_infeasible);

    /* The issue's targets, met or not, as they are. */
    row++;
    w_str(x, ws, row++, 0, T(x, "val.targets_title"), x->title);
    {
        val_summary_row(x, ws, row, T(x, "val.t_target"));
        w_str(x, ws, row, VS_VALUE, T(x, "val.t_limit"), x->hdr);
        w_str(x, ws, row, VS_ROW, T(x, "val.t_reached"), x->hdr);
        merge(x, ws, row, VS_ROW + 1, VS_ROW_END, T(x, "val.t_status"), x->hdr);
        row++;
        const struct {
            const char *key;
            int ok;
            double reached, limit;
        } tg[] = {
            {"val.t_median", have, have ? s->median_abs_err_pct : NAN,
             SVP_VAL_TARGET_MEDIAN_PCT},
            {"val.t_loo_median", have_loo, have_loo ? s->loo_median_abs_err_pct : NAN,
             SVP_VAL_TARGET_MEDIAN_PCT},
            {"val.t_worst", have, have ? s->worst_abs_err_pct : NAN, SVP_VAL_TARGET_WORST_PCT},
            {"val.t_loo_worst", have_loo, have_loo ? s->loo_worst_abs_err_pct : NAN,
             SVP_VAL_TARGET_WORST_PCT},
        };
        for (size_t i = 0; i < sizeof tg / sizeof tg[0]; i++, row++) {
            val_summary_row(x, ws, row, pct_fill(x, buf, sizeof buf, tg[i].key, tg[i].limit));
            w_pct_num(x, ws, row, VS_VALUE, tg[i].limit, x->f_pct);
            if (tg[i].ok)
                w_pct_num(x, ws, row, VS_ROW, tg[i].reached, x->f_pct);
            else
                w_na(x, ws, row, VS_ROW, NULL);
            merge(x, ws, row, VS_ROW + 1, VS_ROW_END,
                  target_status(x, tg[i].ok, tg[i].reached, tg[i].limit), x->bold);
        }
    }

    /* Chart data: the predicted rows by phase, then the reference lines,
     * each a pair of points inside the axis range (so no line runs past
     * the plot). */
    double lo = HUGE_VAL, hi = 0.0;
    size_t n_dec = 0, n_pre = 0;
    for (size_t i = 0; i < n; i++) {
        if (!val_plottable(&rows[i]))
            continue;
        if (rows[i].dep->phase == SVP_PHASE_DECODE)
            n_dec++;
        else
            n_pre++;
        const double v[2] = {rows[i].pred_tps, rows[i].meas_tps};
        for (int k = 0; k < 2; k++) {
            if (v[k] < lo)
                lo = v[k];
            if (v[k] > hi)
                hi = v[k];
        }
    }
    if (n_dec + n_pre == 0)
        return;
    /* 1-2-5 numbers with a fifth of room beyond the data, so no marker
     * sits on the frame (Excel's log axis ticks min x 10^k from there). */
    lo = down125(lo / 1.2);
    hi = svp_chart_nice(hi * 1.2, 0);
    if (!(hi > lo))
        hi = lo * 10.0;

    row++;
    w_str(x, ws, row++, 0, T(x, "val.chart_data"), x->title);
    w_str(x, ws, row, 0, T(x, "val.col.id"), x->hdr);
    w_str(x, ws, row, 1, T(x, "col.phase"), x->hdr);
    w_str(x, ws, row, 2, T(x, "val.col.meas_tps"), x->hdr);
    w_str(x, ws, row++, 3, T(x, "val.col.pred_tps"), x->hdr);
    row_t first[2] = {0, 0};
    for (int p = 0; p < 2; p++) {
        svp_phase ph = p == 0 ? SVP_PHASE_DECODE : SVP_PHASE_PREFILL;
        first[p] = row;
        for (size_t i = 0; i < n; i++) {
            if (!val_plottable(&rows[i]) || rows[i].dep->phase != ph)
                continue;
            w_str(x, ws, row, 0, rows[i].dep->id, NULL);
            w_str(x, ws, row, 1, phase_label(x, ph), NULL);
            w_num(x, ws, row, 2, rows[i].meas_tps, x->f_1);
            w_num(x, ws, row++, 3, rows[i].pred_tps, x->f_1);
        }
    }
    const double up = 1.0 + SVP_VAL_TARGET_WORST_PCT / 100.0;
    const double dn = 1.0 - SVP_VAL_TARGET_WORST_PCT / 100.0;
    const struct {
        const char *key;
        double x0, y0, x1, y1;
    } ln[] = {
        {"val.series_yx", lo, lo, hi, hi},
        {"val.series_p35", lo, lo * up, hi / up, hi},
        {"val.series_m35", lo / dn, lo, hi, hi * dn},
    };
    char lname[3][128];
    row_t line0 = row;
    for (size_t i = 0; i < sizeof ln / sizeof ln[0]; i++) {
        pct_fill(x, lname[i], sizeof lname[i], ln[i].key, SVP_VAL_TARGET_WORST_PCT);
        w_str(x, ws, row, 0, lname[i], NULL);
        w_num(x, ws, row, 2, ln[i].x0, x->f_1);
        w_num(x, ws, row++, 3, ln[i].y0, x->f_1);
        w_str(x, ws, row, 0, lname[i], NULL);
        w_num(x, ws, row, 2, ln[i].x1, x->f_1);
        w_num(x, ws, row++, 3, ln[i].y1, x->f_1);
    }

    if (x->lerr != LXW_NO_ERROR)
        return;
    lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_SCATTER);
    if (ch == NULL) {
        ck(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "the Validation chart");
        return;
    }
    chart_title_set_name(ch, T(x, "val.chart_title"));
    chart_axis_set_name(ch->x_axis, T(x, "val.chart_x"));
    chart_axis_set_name(ch->y_axis, T(x, "val.chart_y"));
    chart_axis_set_log_base(ch->x_axis, 10);
    chart_axis_set_log_base(ch->y_axis, 10);
    chart_axis_set_min(ch->x_axis, lo);
    chart_axis_set_max(ch->x_axis, hi);
    chart_axis_set_min(ch->y_axis, lo);
    chart_axis_set_max(ch->y_axis, hi);
    chart_axis_set_num_format(ch->x_axis, "#,##0");
    chart_axis_set_num_format(ch->y_axis, "#,##0");
    chart_axis_major_gridlines_set_visible(ch->x_axis, LXW_TRUE);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    if (n_dec > 0)
        val_points(x, ch, sheet, SVP_PHASE_DECODE, first[0], first[0] + (row_t)n_dec - 1, rows, n);
    if (n_pre > 0)
        val_points(x, ch, sheet, SVP_PHASE_PREFILL, first[1], first[1] + (row_t)n_pre - 1, rows,
                   n);
    val_line(x, ch, sheet, lname[0], line0, LXW_CHART_LINE_DASH_SOLID, 0x404040);
    val_line(x, ch, sheet, lname[1], line0 + 2, LXW_CHART_LINE_DASH_DASH, 0x909090);
    val_line(x, ch, sheet, lname[2], line0 + 4, LXW_CHART_LINE_DASH_DASH, 0x909090);
    insert_chart(x, ws, row + 1, 0, ch, 2.0, 2.0);
}

/* ---- 10. Assumptions ------------------------------------------------------ */

static void kv_num(xw *x, lxw_worksheet *ws, row_t *row, const char *item, double v,
                   lxw_format *f, const char *unit, const char *note)
{
    w_str(x, ws, *row, 0, item, NULL);
    w_num(x, ws, *row, 1, v, f);
    if (unit != NULL)
        w_str(x, ws, *row, 2, unit, NULL);
    if (note != NULL)
        w_str(x, ws, *row, 3, note, NULL);
    (*row)++;
}

static void kv_str(xw *x, lxw_worksheet *ws, row_t *row, const char *item, const char *v,
                   const char *note)
{
    w_str(x, ws, *row, 0, item, NULL);
    w_str(x, ws, *row, 1, v, NULL);
    if (note != NULL)
        w_str(x, ws, *row, 3, note, NULL);
    (*row)++;
}

static void section(xw *x, lxw_worksheet *ws, row_t *row, const char *key)
{
    (*row)++;
    w_str(x, ws, (*row)++, 0, T(x, key), x->title);
}

/* A hardware figure in human units, "n/a: <why>" when zero means absent. */
static void hw_num(xw *x, lxw_worksheet *ws, row_t row, int col, double v, double unit,
                   lxw_format *f, const char *why_zero)
{
    if (v == 0.0 && why_zero != NULL)
        w_na(x, ws, row, col, T(x, why_zero));
    else
        w_num(x, ws, row, col, v / unit, f);
}

static void sheet_assumptions(xw *x, lxw_worksheet *ws)
{
    const svp_analysis_input *in = x->r->in;
    const svp_model *m = in->model;
    const svp_opts *o = in->opts;
    svp_param_count pc;
    row_t row = 0;

    set_col(x, ws, 0, 0, 34);
    set_col(x, ws, 1, 1, 22);
    set_col(x, ws, 2, 2, 14);
    set_col(x, ws, 3, 3, 60);
    {
        static const char *const k[] = {"as.item", "as.value", "as.unit", "as.note"};
        w_header(x, ws, row++, k, 4);
    }

    /* Model: the data/models file's keys, in its order. */
    section(x, ws, &row, "as.model");
    kv_str(x, ws, &row, "name", m->name, file_of(x, "model", NULL));
    {
        const struct { const char *key; int v; const char *unit; } f[] = {
            {"hidden_size", m->hidden, "dims"},
            {"num_hidden_layers", m->n_layers, "count"},
            {"first_k_dense_replace", m->n_dense_layers, "count"},
            {"intermediate_size", m->dense_ffn, "dims"},
            {"num_attention_heads", m->n_heads, "count"},
            {"q_lora_rank", m->q_lora_rank, "dims"},
            {"kv_lora_rank", m->kv_lora_rank, "dims"},
            {"qk_nope_head_dim", m->qk_nope_dim, "dims"},
            {"qk_rope_head_dim", m->qk_rope_dim, "dims"},
            {"v_head_dim", m->v_head_dim, "dims"},
            {"n_routed_experts", m->n_routed_experts, "count"},
            {"n_shared_experts", m->n_shared_experts, "count"},
            {"num_experts_per_tok", m->top_k, "count"},
            {"moe_intermediate_size", m->moe_ffn, "dims"},
            {"n_group", m->n_expert_groups, "count"},
            {"topk_group", m->routing_max_groups, "count"},
            {"vocab_size", m->vocab, "tokens"},
            {"num_nextn_predict_layers", m->n_mtp_modules, "count"},
            {"n_redundant_experts", m->n_redundant_experts, "count"},
        };
        for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
            kv_num(x, ws, &row, f[i].key, (double)f[i].v, x->f_int, f[i].unit, NULL);
    }

    section(x, ws, &row, "as.params");
    svp_model_params(m, &pc);
    kv_num(x, ws, &row, T(x, "as.p_total"), pc.total / SVP_BILLION, x->f_2, "B", NULL);
    kv_num(x, ws, &row, T(x, "as.p_activated"), pc.activated_per_token / SVP_BILLION, x->f_2,
           "B", NULL);
    kv_num(x, ws, &row, T(x, "as.p_non_expert"), pc.non_expert / SVP_BILLION, x->f_2, "B", NULL);
    kv_num(x, ws, &row, T(x, "as.p_routed"), pc.routed_experts / SVP_BILLION, x->f_2, "B", NULL);
    kv_num(x, ws, &row, T(x, "as.p_expert"), pc.expert / SVP_MILLION, x->f_2, "M", NULL);
    kv_num(x, ws, &row, T(x, "as.p_embedding"), pc.embedding / SVP_BILLION, x->f_3, "B", NULL);
    kv_num(x, ws, &row, T(x, "as.p_lm_head"), pc.lm_head / SVP_BILLION, x->f_3, "B", NULL);
    kv_num(x, ws, &row, T(x, "as.p_mtp"), pc.mtp_module / SVP_BILLION, x->f_3, "B", NULL);
    kv_num(x, ws, &row, T(x, "as.kv_per_token"),
           svp_model_kv_bytes_per_token(m, o->kv_dtype, 0), x->f_int, "bytes",
           svp_dtype_name(o->kv_dtype));

    section(x, ws, &row, "as.options");
    kv_str(x, ws, &row, T(x, "as.o_memory_model"),
           T(x, o->memory_model == SVP_MEM_SEED ? "as.mem_seed" : "as.mem_physical"), NULL);
    kv_str(x, ws, &row, T(x, "as.o_roofline"),
           T(x, o->roofline == SVP_ROOF_GLOBAL ? "as.roof_global" : "as.roof_per_op"), NULL);
    kv_str(x, ws, &row, T(x, "as.o_tbo"),
           T(x, o->tbo == SVP_TBO_ON ? "as.tbo_on" : o->tbo == SVP_TBO_AUTO ? "as.tbo_auto"
                                                                         : "as.tbo_off"),
           NULL);
    kv_num(x, ws, &row, T(x, "as.o_mtp_k"), (double)o->mtp_draft, x->f_int, NULL, NULL);
    kv_num(x, ws, &row, T(x, "as.o_mtp_l"), o->mtp_accept, x->f_2, NULL, NULL);
    kv_str(x, ws, &row, T(x, "as.o_weight_dtype"), svp_dtype_name(o->weight_dtype), NULL);
    kv_str(x, ws, &row, T(x, "as.o_kv_dtype"), svp_dtype_name(o->kv_dtype), NULL);

    /* The hardware rows used, every column. */
    section(x, ws, &row, "as.hardware");
    {
        static const char *const k[] = {
            "col.chip", "col.vendor", "hw.bf16", "hw.fp8", "hw.int8", "hw.fp4", "hw.dram",
            "hw.hbm", "hw.c2c", "hw.a2a", "hw.ranks", "hw.domain", "hw.tdp", "hw.eff_gemm",
            "hw.eff_attn", "hw.eff_mem", "hw.eff_net_up", "hw.eff_net_out", "hw.coll_latency",
            "hw.layer_overhead", "hw.step_overhead", "hw.reserve", "hw.confidence",
            "hw.source", "hw.eff_source", "hw.note"};
        w_header(x, ws, row++, k, sizeof k / sizeof k[0]);
        for (size_t i = 0; i < x->r->an->n_chips; i++, row++) {
            const svp_hw *h = x->r->an->chips[i].hw;
            w_str(x, ws, row, 0, h->name, NULL);
            w_str(x, ws, row, 1, h->vendor, NULL);
            for (int dt = 0; dt < SVP_DT_COUNT; dt++)
                hw_num(x, ws, row, 2 + dt, h->peak_flops[dt], SVP_TFLOPS, x->f_1,
                       "hw.unsupported");
            hw_num(x, ws, row, 6, h->dram_bytes, SVP_GB, x->f_1, NULL);
            hw_num(x, ws, row, 7, h->hbm_bytes_per_s, SVP_TBPS, x->f_3, NULL);
            hw_num(x, ws, row, 8, h->c2c_bytes_per_s, SVP_GBPS, x->f_1, NULL);
            hw_num(x, ws, row, 9, h->a2a_bytes_per_s, SVP_GBPS, x->f_1, "hw.no_scale_out");
            w_int(x, ws, row, 10, h->ranks_per_chip);
            w_int(x, ws, row, 11, h->chips_per_domain);
            hw_num(x, ws, row, 12, h->tdp_w, 1.0, x->f_int, "hw.unknown");
            w_num(x, ws, row, 13, h->eff_gemm, x->f_3);
            w_num(x, ws, row, 14, h->eff_attn, x->f_3);
            w_num(x, ws, row, 15, h->eff_mem, x->f_3);
            w_num(x, ws, row, 16, h->eff_net_up, x->f_3);
            w_num(x, ws, row, 17, h->eff_net_out, x->f_3);
            w_num(x, ws, row, 18, h->coll_latency_s / SVP_US, x->f_1);
            w_num(x, ws, row, 19, h->layer_overhead_s / SVP_US, x->f_1);
            w_num(x, ws, row, 20, h->step_overhead_s / SVP_US, x->f_1);
            w_num(x, ws, row, 21, h->reserve_bytes / SVP_GB, x->f_2);
            w_str(x, ws, row, 22, h->confidence, NULL);
            w_str(x, ws, row, 23, h->source, NULL);
            w_str(x, ws, row, 24, h->eff_source, NULL);
            w_str(x, ws, row, 25, h->note, NULL);
        }
    }

    section(x, ws, &row, "as.formulas");
    {
        static const char *const k[] = {"as.f_tps_chip", "as.f_tps_user", "as.f_prefill",
                                        "as.f_dram", "as.f_roofline", "as.f_tbo",
                                        "as.f_experts", "as.f_cost", "as.f_usd_mtok",
                                        "as.f_verdict", "as.f_edges"};
        for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
            w_str(x, ws, row++, 0, T(x, k[i]), NULL);
    }
    section(x, ws, &row, "as.units");
    {
        static const char *const k[] = {"as.u_time", "as.u_bytes", "as.u_tps", "as.u_price",
                                        "as.u_chip"};
        for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
            w_str(x, ws, row++, 0, T(x, k[i]), NULL);
    }

    section(x, ws, &row, "as.version");
    kv_str(x, ws, &row, T(x, "as.servplan_version"),
           x->r->version != NULL ? x->r->version : "", NULL);
    section(x, ws, &row, "as.inputs");
    {
        static const char *const k[] = {"as.file_role", "as.file_path", "as.file_sha256"};
        w_header(x, ws, row++, k, 3);
        for (size_t i = 0; i < x->r->n_files; i++, row++) {
            const svp_input_file *f = &x->r->files[i];
            w_str(x, ws, row, 0, f->role != NULL ? f->role : "", NULL);
            w_str(x, ws, row, 1, f->path != NULL ? f->path : "", NULL);
            w_str(x, ws, row, 2, f->sha256, NULL);
        }
    }
}

/* ---- the workbook --------------------------------------------------------- */

static svp_err map_err(lxw_error e)
{
    switch (e) {
    case LXW_NO_ERROR: return SVP_OK;
    case LXW_ERROR_MEMORY_MALLOC_FAILED: return SVP_ERR_NOMEM;
    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_PARAMETER_ERROR:
    case LXW_ERROR_ZIP_BAD_ZIP_FILE:
    case LXW_ERROR_ZIP_INTERNAL_ERROR:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
        return SVP_ERR_IO;
    default: return SVP_ERR_INTERNAL;
    }
}

static lxw_format *fmt_new(xw *x, const char *num)
{
    lxw_format *f = workbook_add_format(x->wb);
    if (f == NULL) {
        ck(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a cell format");
        return NULL;
    }
    if (num != NULL)
        format_set_num_format(f, num);
    return f;
}

static void make_formats(xw *x)
{
    x->hdr = fmt_new(x, NULL);
    if (x->hdr != NULL) {
        format_set_bold(x->hdr);
        format_set_text_wrap(x->hdr);
        format_set_align(x->hdr, LXW_ALIGN_VERTICAL_TOP);
        format_set_bg_color(x->hdr, 0xDDEBF7);
        format_set_bottom(x->hdr, LXW_BORDER_THIN);
    }
    x->title = fmt_new(x, NULL);
    if (x->title != NULL) {
        format_set_bold(x->title);
        format_set_font_size(x->title, 12);
    }
    x->bold = fmt_new(x, NULL);
    if (x->bold != NULL)
        format_set_bold(x->bold);
    x->wrap = fmt_new(x, NULL);
    if (x->wrap != NULL)
        format_set_text_wrap(x->wrap);
    x->f_int = fmt_new(x, "#,##0");
    x->f_1 = fmt_new(x, "#,##0.0");
    x->f_2 = fmt_new(x, "#,##0.00");
    x->f_3 = fmt_new(x, "0.000");
    x->f_pct = fmt_new(x, "0.0%");
    /* Signed: the sign of a prediction error is its meaning. */
    x->f_spct = fmt_new(x, "+0.0%;-0.0%;0.0%");
    x->f_gen = fmt_new(x, "General");
}

/* Adds a worksheet whose name comes from the templates; a name Excel refuses
 * is the translation's fault (SVP_ERR_DATA). */
static svp_err add_sheet(xw *x, const char *name, const char *key, lxw_worksheet **out,
                         svp_diag *d)
{
    lxw_error e = workbook_validate_sheet_name(x->wb, name);
    *out = NULL;
    if (e != LXW_NO_ERROR)
        return svp_diag_set(d, SVP_ERR_DATA, NULL, 0, key,
                            "templates (%s): sheet name \"%s\" is not allowed: %s "
                            "(max 31 characters, none of []:*?/\\, unique)",
                            x->tr != NULL ? x->tr->lang : "?", name, lxw_strerror(e));
    *out = workbook_add_worksheet(x->wb, name);
    if (*out == NULL)
        return svp_diag_set(d, SVP_ERR_NOMEM, NULL, 0, NULL, "libxlsxwriter: cannot add sheet \"%s\"",
                            name);
    return SVP_OK;
}

svp_err svp_xlsx_write(const char *path, const svp_report_input *r, svp_diag *d)
{
    static const char *const sheet_keys[] = {
        "sheet.summary", "sheet.decode", "sheet.prefill", "sheet.bottleneck",
        "sheet.sensitivity", "sheet.cost", "sheet.pareto", "sheet.all",
        "sheet.validation", "sheet.assumptions"};
    enum { S_SUM, S_DEC, S_PRE, S_BOT, S_SENS, S_COST, S_PAR, S_ALL, S_VAL, S_ASM, S_N };
    lxw_workbook_options wo;
    lxw_doc_properties props;
    lxw_worksheet *ws[S_N];
    lxw_worksheet **all_sheets = NULL;
    size_t *cols = NULL;
    int *rank = NULL;
    char *tmpdir = NULL;
    all_ctx actx;
    svp_err err = SVP_OK;
    xw x;
    double total_rows = 0.0;
    size_t n_all = 1;

    memset(&x, 0, sizeof x);
    memset(&actx, 0, sizeof actx);
    x.r = r;
    x.tr = r->tr;

    /* Rows of the All configurations sheet(s): one per evaluated
     * configuration, counted by the analysis' search stats. */
    for (size_t i = 0; i < r->an->n_chips; i++)
        for (size_t s = 0; s < r->an->chips[i].n_scen; s++)
            total_rows += (double)r->an->chips[i].scen[s].stats.evaluated;
    n_all = (size_t)ceil(total_rows / (double)(XLSX_MAX_ROWS - 1u));
    if (n_all < 1)
        n_all = 1;
    if (n_all > 200) {
        err = svp_diag_set(d, SVP_ERR_USAGE, path, 0, NULL,
                           "%.0f configurations would need %zu sheets; narrow the search space",
                           total_rows, n_all);
        goto fail;
    }

    /* Fail early, with the system's reason, when the file cannot be created:
     * libxlsxwriter only finds out at workbook_close, after all the work. */
    {
        int existed = access(path, F_OK) == 0;
        FILE *probe = fopen(path, "ab");
        if (probe == NULL) {
            err = svp_diag_set(d, SVP_ERR_IO, path, 0, NULL, "cannot create: %s", strerror(errno));
            goto fail;
        }
        fclose(probe);
        if (!existed)
            remove(path);
    }

    /* Temporary files next to the report (libxlsxwriter's constant_memory
     * mode spills each sheet to disk; /tmp may be a small tmpfs). */
    {
        const char *slash = strrchr(path, '/');
        size_t n = slash != NULL ? (size_t)(slash - path) : 0;
        tmpdir = svp_malloc(n + 2);
        if (tmpdir == NULL) {
            err = svp_diag_set(d, SVP_ERR_NOMEM, NULL, 0, NULL, "out of memory");
            goto fail;
        }
        if (slash == NULL) {
            strcpy(tmpdir, ".");
        } else if (n == 0) {
            strcpy(tmpdir, "/");
        } else {
            memcpy(tmpdir, path, n);
            tmpdir[n] = '\0';
        }
    }
    memset(&wo, 0, sizeof wo);
    wo.constant_memory = LXW_TRUE;
    wo.tmpdir = tmpdir;
    /* Above ~2M rows a sheet's XML may pass the 4 GB zip limit. */
    wo.use_zip64 = total_rows > 2.0e6 ? LXW_TRUE : LXW_FALSE;
    x.wb = workbook_new_opt(path, &wo);
    if (x.wb == NULL) {
        err = svp_diag_set(d, SVP_ERR_IO, path, 0, NULL,
                           "libxlsxwriter cannot start the workbook (out of memory or "
                           "no temporary file in %s)", tmpdir);
        goto fail;
    }

    memset(&props, 0, sizeof props);
    props.title = (char *)"servplan report";
    props.author = (char *)"servplan";
    props.created = FIXED_CREATED;
    ck(&x, workbook_set_properties(x.wb, &props), "the document properties");
    make_formats(&x);

    for (int s = 0; s < S_N && err == SVP_OK; s++) {
        const char *name = T(&x, sheet_keys[s]);
        if (s == S_ALL) {
            all_sheets = svp_calloc(n_all, sizeof *all_sheets);
            if (all_sheets == NULL) {
                err = svp_diag_set(d, SVP_ERR_NOMEM, NULL, 0, NULL, "out of memory");
                break;
            }
            for (size_t j = 0; j < n_all && err == SVP_OK; j++) {
                char nb[128];
                if (j == 0) {
                    snprintf(nb, sizeof nb, "%s", name);
                } else {
                    char num[24];   /* a size_t in decimal: at most 20 digits */
                    const char *names[] = {"sheet", "n"};
                    snprintf(num, sizeof num, "%zu", j + 1);
                    const char *values[] = {name, num};
                    fill(&x, nb, sizeof nb, "all.continued", names, values, 2);
                }
                err = add_sheet(&x, nb, sheet_keys[s], &all_sheets[j], d);
            }
            ws[s] = all_sheets[0];
        } else {
            err = add_sheet(&x, name, sheet_keys[s], &ws[s], d);
        }
    }
    if (err != SVP_OK)
        goto fail;

    rank = svp_calloc(r->an->n_chips ? r->an->n_chips : 1, sizeof *rank);
    cols = svp_calloc(svp_col_count(), sizeof *cols);
    if (rank == NULL || cols == NULL) {
        err = svp_diag_set(d, SVP_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto fail;
    }
    svp_analysis_rank_at(r->an, SVP_PRICE_MID, rank);

    sheet_summary(&x, ws[S_SUM], rank);
    sheet_optimum(&x, ws[S_DEC], SVP_PHASE_DECODE);
    sheet_optimum(&x, ws[S_PRE], SVP_PHASE_PREFILL);
    sheet_bottleneck(&x, ws[S_BOT]);
    sheet_sensitivity(&x, ws[S_SENS], T(&x, sheet_keys[S_SENS]));
    sheet_cost(&x, ws[S_COST], T(&x, sheet_keys[S_COST]), rank);
    sheet_pareto(&x, ws[S_PAR], T(&x, sheet_keys[S_PAR]));
    actx.x = &x;
    actx.sheets = all_sheets;
    actx.n_sheets = n_all;
    actx.cols = cols;
    for (size_t i = 0; i < svp_col_count(); i++)
        if (svp_col_sets(i) & SVP_COLS_PLAN)
            cols[actx.n_cols++] = i;
    sheet_all(&x, &actx);
    sheet_validation(&x, ws[S_VAL], T(&x, sheet_keys[S_VAL]));
    sheet_assumptions(&x, ws[S_ASM]);

    if (x.lerr != LXW_NO_ERROR) {
        err = svp_diag_set(d, map_err(x.lerr), path, 0, NULL, "libxlsxwriter: %s while writing %s",
                           lxw_strerror(x.lerr), x.where);
        goto fail;
    }
    {
        lxw_error e = workbook_close(x.wb);
        x.wb = NULL;
        if (e != LXW_NO_ERROR) {
            svp_err code = map_err(e);
            err = svp_diag_set(d, code == SVP_ERR_INTERNAL ? SVP_ERR_IO : code, path, 0, NULL,
                               "cannot write the workbook: %s", lxw_strerror(e));
            goto fail;
        }
    }

fail:
    if (x.wb != NULL)
        lxw_workbook_free(x.wb);   /* nothing written: the file is never created */
    svp_free(all_sheets);
    svp_free(cols);
    svp_free(rank);
    svp_free(tmpdir);
    return err;
}
