/*
 * search.h - the exhaustive search of seed Art.5 over a search space, for one
 * chip and one scenario.
 *
 * Pure: the search calls a visitor for every chip-count-consistent
 * configuration it evaluates and keeps the optimum; it stores nothing, so
 * widened grids cost time, not memory.  Combinations whose chip counts
 * disagree (seed Art.3 2b) are counted arithmetically, not enumerated.
 */
#ifndef SERVPLAN_SEARCH_H
#define SERVPLAN_SEARCH_H

#include "servplan/cost.h"

typedef struct svp_plan {
    svp_config cfg;
    svp_metrics m;
} svp_plan;

typedef struct svp_problem {
    const svp_hw *hw;
    const svp_model *model;
    const svp_scenario *scen;
    const svp_space *space;
    const svp_opts *opts;
} svp_problem;

typedef struct svp_search_stats {
    double combinations;                 /* size of the full cross product of the grids */
    long evaluated;                      /* configurations passed to svp_eval */
    double by_reason[SVP_REASON_COUNT];  /* how many combinations ended with each reason;
                                            [SVP_INF_CHIP_COUNT] = combinations - evaluated */
} svp_search_stats;

/* Called for every evaluated configuration, in a fixed order (mla_tp, mla_dp,
 * moe_tp, moe_ep, sp, batch, each ascending).  Return non-zero to stop the
 * search early (a writer that failed); svp_search then returns -1. */
typedef int (*svp_visit_fn)(void *ctx, const svp_plan *p);

/* Runs the search.  visit may be NULL.  best (may be NULL) receives the
 * optimum (svp_metrics_better); st (may be NULL) the counts.
 * Returns 1 if a feasible configuration exists, 0 if none, -1 if the visitor
 * stopped the search. */
int svp_search(const svp_problem *pb, svp_visit_fn visit, void *ctx,
               svp_plan *best, svp_search_stats *st);

/* Grid edges a configuration sits on, as a bit set: the optimum may improve
 * if that grid were widened.  A lower edge is flagged only where the grid's
 * smallest value is above the natural minimum 1. */
enum {
    SVP_EDGE_BATCH_MAX  = 1u << 0,
    SVP_EDGE_BATCH_MIN  = 1u << 1,
    SVP_EDGE_MLA_TP_MAX = 1u << 2,
    SVP_EDGE_MLA_TP_MIN = 1u << 3,
    SVP_EDGE_MLA_DP_MAX = 1u << 4,
    SVP_EDGE_MLA_DP_MIN = 1u << 5,
    SVP_EDGE_MOE_TP_MAX = 1u << 6,
    SVP_EDGE_MOE_TP_MIN = 1u << 7,
    SVP_EDGE_MOE_EP_MAX = 1u << 8,
    SVP_EDGE_MOE_EP_MIN = 1u << 9,
    SVP_EDGE_SP_MAX     = 1u << 10,
    SVP_EDGE_COUNT      = 11
};

unsigned svp_plan_edges(const svp_space *s, const svp_config *c);
/* "batch=max", "moe_ep=min", ... for bit index i in [0, SVP_EDGE_COUNT). */
const char *svp_edge_name(int bit_index);

#endif
