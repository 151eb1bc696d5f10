/*
 * analysis.c - sensitivity tables, Pareto frontiers, hardware what-if and
 * cost figures (analysis.h), built on one search pass per chip and scenario.
 *
 * Pure: no I/O.  Allocation through alloc.h; every failure unwinds to an
 * empty analysis.
 */
#include <stdlib.h>
#include <string.h>

#include "servplan/alloc.h"
#include "servplan/analysis.h"
#include "servplan/units.h"

#define SECONDS_PER_HOUR 3600.0

const char *svp_resource_code(svp_resource r)
{
    static const char *const codes[SVP_RES_COUNT] = {
        "compute", "hbm", "dram", "scale_up", "scale_out",
    };
    return (unsigned)r < SVP_RES_COUNT ? codes[r] : "unknown";
}

svp_cost svp_cost_of(const svp_metrics *m, const svp_price *p)
{
    svp_cost c;
    memset(&c, 0, sizeof c);
    if (!p || !m->has_metrics || m->tps_per_chip <= 0.0)
        return c;
    c.has_price = 1;
    c.price_usd = svp_price_unit_mid(p);
    /* Cluster TPS / (chips x price) = TPS per chip / price. */
    c.tps_per_usd = m->tps_per_chip / c.price_usd;
    c.tps_per_usd_low = m->tps_per_chip / p->unit_usd_high;
    c.tps_per_usd_high = m->tps_per_chip / p->unit_usd_low;
    if (p->has_hourly) {
        c.has_hourly = 1;
        c.hourly_usd = svp_price_hourly_mid(p);
        /* One package earns tps_per_chip tokens per second for hourly_usd
         * an hour. */
        c.usd_per_mtok = c.hourly_usd / (m->tps_per_chip * SECONDS_PER_HOUR) * SVP_MILLION;
    }
    return c;
}

/* ---- one search pass ---------------------------------------------------- */

typedef struct collect {
    const svp_space *space;
    svp_sens_row *tp, *ep;
    svp_plan *cand;
    size_t n_cand, cap_cand;
    int nomem;
} collect;

static size_t grid_index(const svp_grid *g, int v)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->v[i] == v)
            return i;
    return g->n;
}

static void keep_best(svp_sens_row *row, const svp_plan *p)
{
    if (!row->found || svp_metrics_better(&p->m, &row->plan.m)) {
        row->plan = *p;
        row->found = 1;
    }
}

static int visit(void *vctx, const svp_plan *p)
{
    collect *c = vctx;
    if (p->m.reason == SVP_FEASIBLE) {
        size_t i = grid_index(&c->space->mla_tp, p->cfg.mla_tp);
        size_t j = grid_index(&c->space->moe_ep, p->cfg.moe_ep);
        if (i < c->space->mla_tp.n)
            keep_best(&c->tp[i], p);
        if (j < c->space->moe_ep.n)
            keep_best(&c->ep[j], p);
    }
    /* Frontier candidates: everything that fits in DRAM, SLO or not. */
    if (p->m.has_metrics && (p->m.reason == SVP_FEASIBLE || p->m.reason == SVP_INF_SLO)) {
        if (c->n_cand == c->cap_cand) {
            size_t cap = c->cap_cand ? 2 * c->cap_cand : 256;
            svp_plan *grown = svp_realloc(c->cand, cap * sizeof *grown);
            if (!grown) {
                c->nomem = 1;
                return 1;
            }
            c->cand = grown;
            c->cap_cand = cap;
        }
        c->cand[c->n_cand++] = *p;
    }
    return 0;
}

/* Orders frontier candidates by the latency axis, best latency first
 * (highest TPS/user, or lowest FTL), then by throughput, then by layout so
 * the result does not depend on qsort's instability. */
static int cmp_latency(const void *va, const void *vb)
{
    const svp_plan *a = va, *b = vb;
    double la = a->m.tpot_s > 0.0 ? a->m.tpot_s : a->m.ftl_s;
    double lb = b->m.tpot_s > 0.0 ? b->m.tpot_s : b->m.ftl_s;
    if (la != lb)
        return la < lb ? -1 : 1;
    if (a->m.tps_per_chip != b->m.tps_per_chip)
        return a->m.tps_per_chip > b->m.tps_per_chip ? -1 : 1;
    const int fa[] = {a->cfg.batch, a->cfg.mla_tp, a->cfg.mla_dp, a->cfg.moe_tp, a->cfg.moe_ep, a->cfg.sp};
    const int fb[] = {b->cfg.batch, b->cfg.mla_tp, b->cfg.mla_dp, b->cfg.moe_tp, b->cfg.moe_ep, b->cfg.sp};
    for (size_t i = 0; i < sizeof fa / sizeof fa[0]; i++)
        if (fa[i] != fb[i])
            return fa[i] < fb[i] ? -1 : 1;
    return 0;
}

/* Keeps the non-dominated candidates: walking from the best latency to the
 * worst, a point stays only if it beats every point before it on TPS/chip.
 * The frontier comes out in ascending latency; for decode the report wants
 * ascending TPS/user, which is the reverse. */
static void frontier(svp_plan *cand, size_t n, int decode, size_t *n_out)
{
    /* qsort's pointer must be valid even for zero elements (C11 7.22.5). */
    if (n > 0)
        qsort(cand, n, sizeof *cand, cmp_latency);
    size_t k = 0;
    double best = -1.0;
    for (size_t i = 0; i < n; i++) {
        if (cand[i].m.tps_per_chip > best) {
            best = cand[i].m.tps_per_chip;
            cand[k++] = cand[i];
        }
    }
    if (decode) {
        for (size_t i = 0; i < k / 2; i++) {
            svp_plan t = cand[i];
            cand[i] = cand[k - 1 - i];
            cand[k - 1 - i] = t;
        }
    }
    *n_out = k;
}

static void scen_fini(svp_scen_result *r)
{
    svp_free(r->batch);
    svp_free(r->tp);
    svp_free(r->ep);
    svp_free(r->pareto);
    memset(r, 0, sizeof *r);
}

static svp_err analyze_scenario(const svp_hw *hw, const svp_analysis_input *in,
                                const svp_scenario *sc, svp_scen_result *r)
{
    const svp_space *space = in->space;
    collect c = {.space = space};
    svp_err err = SVP_ERR_NOMEM;

    memset(r, 0, sizeof *r);
    r->scen = sc;
    c.tp = svp_calloc(space->mla_tp.n ? space->mla_tp.n : 1, sizeof *c.tp);
    c.ep = svp_calloc(space->moe_ep.n ? space->moe_ep.n : 1, sizeof *c.ep);
    if (!c.tp || !c.ep)
        goto fail;
    for (size_t i = 0; i < space->mla_tp.n; i++)
        c.tp[i].value = space->mla_tp.v[i];
    for (size_t i = 0; i < space->moe_ep.n; i++)
        c.ep[i].value = space->moe_ep.v[i];

    svp_problem pb = {.hw = hw, .model = in->model, .scen = sc, .space = space, .opts = in->opts};
    int found = svp_search(&pb, visit, &c, &r->best, &r->stats);
    if (c.nomem)
        goto fail;
    r->found = found == 1;
    r->tp = c.tp;
    r->n_tp = space->mla_tp.n;
    r->ep = c.ep;
    r->n_ep = space->moe_ep.n;
    c.tp = c.ep = NULL;

    frontier(c.cand, c.n_cand, sc->phase == SVP_PHASE_DECODE, &r->n_pareto);
    /* Keep only the frontier: the candidates of a widened grid run to
     * hundreds of thousands of plans per chip and scenario. */
    if (r->n_pareto > 0 && r->n_pareto < c.n_cand) {
        svp_plan *small = svp_realloc(c.cand, r->n_pareto * sizeof *small);
        if (small != NULL)
            c.cand = small;
    }
    r->pareto = c.cand;
    c.cand = NULL;

    if (r->found) {
        r->edges = svp_plan_edges(space, &r->best.cfg);
        r->batch = svp_calloc(space->batch.n ? space->batch.n : 1, sizeof *r->batch);
        if (!r->batch)
            goto fail;
        r->n_batch = space->batch.n;
        for (size_t i = 0; i < space->batch.n; i++) {
            svp_sens_row *row = &r->batch[i];
            row->value = space->batch.v[i];
            row->plan.cfg = r->best.cfg;
            row->plan.cfg.batch = row->value;
            svp_eval(hw, in->model, sc, &row->plan.cfg, in->opts, &row->plan.m, NULL);
            row->found = row->plan.m.has_metrics;
        }
    }
    return SVP_OK;

fail:
    svp_free(c.tp);
    svp_free(c.ep);
    svp_free(c.cand);
    scen_fini(r);
    return err;
}

/* ---- what-if ------------------------------------------------------------ */

static void scale_resource(svp_hw *hw, svp_resource r, double f)
{
    switch (r) {
    case SVP_RES_COMPUTE:
        for (int i = 0; i < SVP_DT_COUNT; i++)
            hw->peak_flops[i] *= f;
        break;
    case SVP_RES_HBM: hw->hbm_bytes_per_s *= f; break;
    case SVP_RES_DRAM: hw->dram_bytes *= f; break;
    case SVP_RES_SCALE_UP: hw->c2c_bytes_per_s *= f; break;
    case SVP_RES_SCALE_OUT: hw->a2a_bytes_per_s *= f; break;
    case SVP_RES_COUNT: break;
    }
}

static void whatif(const svp_hw *hw, const svp_analysis_input *in, const svp_scenario *sc,
                   double base_tps, svp_whatif *w)
{
    static const double factors[2] = {0.5, 2.0};
    memset(w, 0, sizeof *w);
    w->scen = sc;
    w->base_tps = base_tps;
    for (int r = 0; r < SVP_RES_COUNT; r++) {
        for (int k = 0; k < 2; k++) {
            svp_hw h = *hw;
            scale_resource(&h, (svp_resource)r, factors[k]);
            svp_problem pb = {.hw = &h, .model = in->model, .scen = sc, .space = in->space,
                              .opts = in->opts};
            svp_plan best;
            w->found[r][k] = svp_search(&pb, NULL, NULL, &best, NULL) == 1;
            w->tps[r][k] = w->found[r][k] ? best.m.tps_per_chip : 0.0;
        }
    }
}

/* ---- the whole analysis -------------------------------------------------- */

static void chip_fini(svp_chip_result *c)
{
    for (size_t i = 0; i < c->n_scen; i++)
        scen_fini(&c->scen[i]);
    svp_free(c->scen);
}

void svp_analysis_fini(svp_analysis *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n_chips; i++)
        chip_fini(&a->chips[i]);
    svp_free(a->chips);
    memset(a, 0, sizeof *a);
}

svp_err svp_analyze(const svp_analysis_input *in, svp_analysis *out)
{
    svp_err err = SVP_OK;
    size_t n_scen = in->scenarios->n;
    memset(out, 0, sizeof *out);
    out->chips = svp_calloc(in->n_chips ? in->n_chips : 1, sizeof *out->chips);
    if (!out->chips)
        return SVP_ERR_NOMEM;

    for (size_t i = 0; i < in->n_chips; i++) {
        svp_chip_result *c = &out->chips[i];
        c->hw = in->chips[i];
        c->price = in->prices ? svp_price_find(in->prices, c->hw->name) : NULL;
        c->scen = svp_calloc(n_scen ? n_scen : 1, sizeof *c->scen);
        out->n_chips = i + 1;
        if (!c->scen) {
            err = SVP_ERR_NOMEM;
            goto fail;
        }
        for (size_t s = 0; s < n_scen; s++) {
            err = analyze_scenario(c->hw, in, &in->scenarios->rows[s], &c->scen[s]);
            if (err != SVP_OK)
                goto fail;
            c->n_scen = s + 1;
        }
        for (size_t s = 0; s < n_scen && in->with_whatif; s++) {
            const svp_scen_result *r = &c->scen[s];
            if (r->scen->phase != SVP_PHASE_DECODE)
                continue;
            c->has_whatif = 1;
            whatif(c->hw, in, r->scen, r->found ? r->best.m.tps_per_chip : 0.0, &c->whatif);
            break;
        }
    }
    return SVP_OK;

fail:
    svp_analysis_fini(out);
    return err;
}

svp_cost svp_chip_decode_cost(const svp_chip_result *c)
{
    svp_cost none;
    memset(&none, 0, sizeof none);
    for (size_t s = 0; s < c->n_scen; s++) {
        const svp_scen_result *r = &c->scen[s];
        if (r->scen->phase != SVP_PHASE_DECODE)
            continue;
        if (!r->found || !c->price)
            return none;
        return svp_cost_of(&r->best.m, c->price);
    }
    return none;
}

/* The ranking key at a price point; -1 without a price or a plan. */
static double cost_key(const svp_chip_result *c, svp_price_point at)
{
    svp_cost k = svp_chip_decode_cost(c);
    if (!k.has_price)
        return -1.0;
    /* The low price gives the most tokens per USD, and the high the least. */
    return at == SVP_PRICE_LOW ? k.tps_per_usd_high
           : at == SVP_PRICE_HIGH ? k.tps_per_usd_low : k.tps_per_usd;
}

static double rank_key(const svp_chip_result *c)
{
    return cost_key(c, SVP_PRICE_MID);
}

void svp_analysis_rank_at(const svp_analysis *a, svp_price_point at, int *rank)
{
    for (size_t i = 0; i < a->n_chips; i++) {
        double ki = cost_key(&a->chips[i], at);
        rank[i] = 0;
        if (ki < 0.0)
            continue;
        int better = 0;
        /* Ties share a rank; earlier chips do not push later ones down. */
        for (size_t j = 0; j < a->n_chips; j++)
            better += cost_key(&a->chips[j], at) > ki;
        rank[i] = better + 1;
    }
}

void svp_analysis_rank_cost(const svp_analysis *a, size_t *order)
{
    /* Insertion sort: a handful of chips, and stable by construction. */
    for (size_t i = 0; i < a->n_chips; i++) {
        size_t j = i;
        double key = rank_key(&a->chips[i]);
        while (j > 0 && rank_key(&a->chips[order[j - 1]]) < key) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
}
