/*
 * search.c - exhaustive search of seed Art.5 for one chip and one scenario.
 *
 * Pure.  Only chip-count-consistent layouts (MLA_TP x MLA_DP = MOE_TP x
 * MOE_EP) are evaluated; the rest of the cross product is counted, not
 * walked, so a grid of every power of two to 1024 costs what its consistent
 * layouts cost.  Nothing is stored: the visitor sees each plan once.
 */
#include <string.h>

#include "servplan/search.h"

int svp_search(const svp_problem *pb, svp_visit_fn visit, void *ctx,
               svp_plan *best, svp_search_stats *st)
{
    const svp_space *sp = pb->space;
    svp_search_stats stats;
    memset(&stats, 0, sizeof stats);
    stats.combinations = 1.0;
    const svp_grid *axes[] = {&sp->batch, &sp->mla_tp, &sp->mla_dp, &sp->moe_tp, &sp->moe_ep,
                              &sp->sp};
    for (size_t i = 0; i < sizeof axes / sizeof axes[0]; i++)
        stats.combinations *= (double)axes[i]->n;

    int found = 0, stopped = 0;
    svp_plan cur, top;
    memset(&top, 0, sizeof top);

    for (size_t a = 0; a < sp->mla_tp.n && !stopped; a++) {
        for (size_t b = 0; b < sp->mla_dp.n && !stopped; b++) {
            long n = (long)sp->mla_tp.v[a] * sp->mla_dp.v[b];
            for (size_t c = 0; c < sp->moe_tp.n && !stopped; c++) {
                for (size_t d = 0; d < sp->moe_ep.n && !stopped; d++) {
                    if ((long)sp->moe_tp.v[c] * sp->moe_ep.v[d] != n)
                        continue;
                    for (size_t e = 0; e < sp->sp.n && !stopped; e++) {
                        for (size_t f = 0; f < sp->batch.n; f++) {
                            cur.cfg = (svp_config){
                                .batch = sp->batch.v[f],
                                .mla_tp = sp->mla_tp.v[a],
                                .mla_dp = sp->mla_dp.v[b],
                                .moe_tp = sp->moe_tp.v[c],
                                .moe_ep = sp->moe_ep.v[d],
                                .sp = sp->sp.v[e],
                            };
                            svp_eval(pb->hw, pb->model, pb->scen, &cur.cfg, pb->opts, &cur.m,
                                     NULL);
                            stats.evaluated++;
                            stats.by_reason[cur.m.reason] += 1.0;
                            if (cur.m.reason == SVP_FEASIBLE
                                && (!found || svp_metrics_better(&cur.m, &top.m))) {
                                top = cur;
                                found = 1;
                            }
                            if (visit && visit(ctx, &cur)) {
                                stopped = 1;
                                break;
                            }
                        }
                    }
                }
            }
        }
    }
    stats.by_reason[SVP_INF_CHIP_COUNT] += stats.combinations - (double)stats.evaluated;

    if (best)
        *best = top;
    if (st)
        *st = stats;
    if (stopped)
        return -1;
    return found;
}

static int grid_max(const svp_grid *g) { return g->n ? g->v[g->n - 1] : 0; }
static int grid_min(const svp_grid *g) { return g->n ? g->v[0] : 0; }

unsigned svp_plan_edges(const svp_space *s, const svp_config *c)
{
    struct { const svp_grid *g; int v; unsigned max_bit, min_bit; } axes[] = {
        {&s->batch, c->batch, SVP_EDGE_BATCH_MAX, SVP_EDGE_BATCH_MIN},
        {&s->mla_tp, c->mla_tp, SVP_EDGE_MLA_TP_MAX, SVP_EDGE_MLA_TP_MIN},
        {&s->mla_dp, c->mla_dp, SVP_EDGE_MLA_DP_MAX, SVP_EDGE_MLA_DP_MIN},
        {&s->moe_tp, c->moe_tp, SVP_EDGE_MOE_TP_MAX, SVP_EDGE_MOE_TP_MIN},
        {&s->moe_ep, c->moe_ep, SVP_EDGE_MOE_EP_MAX, SVP_EDGE_MOE_EP_MIN},
        {&s->sp, c->sp, SVP_EDGE_SP_MAX, 0},
    };
    unsigned edges = 0;
    for (size_t i = 0; i < sizeof axes / sizeof axes[0]; i++) {
        /* A one-value grid is an edge too: the search could not move. */
        if (axes[i].v == grid_max(axes[i].g))
            edges |= axes[i].max_bit;
        /* The lower end matters only above the natural minimum of 1. */
        if (axes[i].min_bit && axes[i].v == grid_min(axes[i].g) && axes[i].v > 1)
            edges |= axes[i].min_bit;
    }
    return edges;
}

const char *svp_edge_name(int bit_index)
{
    static const char *const names[SVP_EDGE_COUNT] = {
        "batch=max", "batch=min", "mla_tp=max", "mla_tp=min", "mla_dp=max", "mla_dp=min",
        "moe_tp=max", "moe_tp=min", "moe_ep=max", "moe_ep=min", "sp=max",
    };
    return bit_index >= 0 && bit_index < SVP_EDGE_COUNT ? names[bit_index] : "unknown";
}
