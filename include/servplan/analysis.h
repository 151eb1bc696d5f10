/*
 * analysis.h - everything the report shows about a set of chips beyond the
 * bare optimum: MODEL.md section 10 (batch, TP and EP sensitivity, the
 * throughput-vs-latency Pareto frontier), the hardware what-if (which
 * resource limits a chip) and the cost figures of seed Art.8.3.
 *
 * Pure: built on svp_search/svp_eval, allocation through alloc.h, no I/O.
 * The writers (workbook, charts, stdout) only read an svp_analysis.
 */
#ifndef SERVPLAN_ANALYSIS_H
#define SERVPLAN_ANALYSIS_H

#include <stddef.h>

#include "servplan/err.h"
#include "servplan/price.h"
#include "servplan/search.h"

/* One row of a sensitivity table. */
typedef struct svp_sens_row {
    int value;       /* the swept variable: Batch, MLA_TP or MOE_EP */
    int found;       /* batch table: the layout was evaluable (has_metrics);
                        TP/EP tables: a feasible plan with this value exists */
    svp_plan plan;   /* valid when found */
} svp_sens_row;

typedef struct svp_scen_result {
    const svp_scenario *scen;   /* borrowed */
    int found;                  /* a feasible optimum exists */
    svp_plan best;              /* valid when found */
    unsigned edges;             /* svp_plan_edges of best */
    svp_search_stats stats;
    /* MODEL.md section 10.  Empty (n = 0) when no optimum exists. */
    svp_sens_row *batch; size_t n_batch;  /* the optimum's layout at every grid batch */
    svp_sens_row *tp; size_t n_tp;        /* best feasible plan for every grid MLA_TP */
    svp_sens_row *ep; size_t n_ep;        /* best feasible plan for every grid MOE_EP */
    /* Pareto frontier of TPS/chip against TPS/user (decode, ascending
     * TPS/user) or against FTL (prefill, ascending FTL) over configurations
     * that fit in DRAM, SLO ignored (the SLO is drawn on the chart). */
    svp_plan *pareto; size_t n_pareto;
} svp_scen_result;

/* Resources of the hardware what-if. */
typedef enum svp_resource {
    SVP_RES_COMPUTE = 0,   /* every peak_flops entry */
    SVP_RES_HBM,           /* hbm_bytes_per_s */
    SVP_RES_DRAM,          /* dram_bytes */
    SVP_RES_SCALE_UP,      /* c2c_bytes_per_s */
    SVP_RES_SCALE_OUT,     /* a2a_bytes_per_s (a chip without one stays without) */
    SVP_RES_COUNT
} svp_resource;

const char *svp_resource_code(svp_resource r);  /* "compute", "hbm", "dram", "scale_up", "scale_out" */

/* Decode optimum TPS/chip when one resource is halved ([r][0]) or doubled
 * ([r][1]), everything else unchanged.  0 with found 0 = no feasible plan. */
typedef struct svp_whatif {
    const svp_scenario *scen;   /* the decode scenario used (the first one) */
    double base_tps;
    double tps[SVP_RES_COUNT][2];
    int found[SVP_RES_COUNT][2];
} svp_whatif;

/* Price-performance of one plan (seed Art.8.3). */
typedef struct svp_cost {
    int has_price;
    double price_usd;            /* midpoint of the unit price range, per package */
    double tps_per_usd;          /* tps_per_chip / price = cluster TPS / (chips x price) */
    double tps_per_usd_low;      /* at the high price (worst case) */
    double tps_per_usd_high;     /* at the low price (best case) */
    int has_hourly;
    double hourly_usd;           /* midpoint, per package-hour */
    double usd_per_mtok;         /* hourly / (tps_per_chip x 3600) x 1e6 */
} svp_cost;

/* The cost of a plan at a price; p may be NULL (has_price 0). */
svp_cost svp_cost_of(const svp_metrics *m, const svp_price *p);

typedef struct svp_chip_result {
    const svp_hw *hw;           /* borrowed */
    const svp_price *price;     /* borrowed; NULL = no price row */
    svp_scen_result *scen;      /* one per scenario, in scenario-table order */
    size_t n_scen;
    int has_whatif;             /* a decode scenario exists and with_whatif was asked */
    svp_whatif whatif;
} svp_chip_result;

typedef struct svp_analysis {
    svp_chip_result *chips;
    size_t n_chips;
} svp_analysis;

/* What to analyse.  Everything borrowed; it must outlive the analysis. */
typedef struct svp_analysis_input {
    const svp_hw *const *chips;   /* the chips, in report order */
    size_t n_chips;
    const svp_model *model;
    const svp_scenario_table *scenarios;
    const svp_space *space;
    const svp_opts *opts;
    const svp_price_table *prices;   /* may be NULL */
    int with_whatif;
} svp_analysis_input;

/* Runs every search.  SVP_ERR_NOMEM on allocation failure (*out left
 * empty).  Free with svp_analysis_fini. */
svp_err svp_analyze(const svp_analysis_input *in, svp_analysis *out);
void svp_analysis_fini(svp_analysis *a);   /* accepts a zeroed analysis */

/* The cost of a chip's first decode scenario optimum at its price (zeroed,
 * has_price 0, when the chip has no price, no decode scenario or no plan). */
svp_cost svp_chip_decode_cost(const svp_chip_result *c);

/* Which end of each chip's unit price range a ranking uses. */
typedef enum svp_price_point {
    SVP_PRICE_MID = 0,   /* the midpoint */
    SVP_PRICE_LOW,       /* every chip at its low price */
    SVP_PRICE_HIGH       /* every chip at its high price */
} svp_price_point;

/* rank[i] (1 = best) of chip i by decode tokens/s per USD at price point
 * `at`; chips with an equal figure share a rank; 0 = no rank (no price or no
 * plan).  rank must hold a->n_chips entries. */
void svp_analysis_rank_at(const svp_analysis *a, svp_price_point at, int *rank);

/* The chips ranked by decode price-performance (tps_per_usd of the first
 * decode scenario's optimum), best first; chips without a price or a plan
 * last, in input order.  order must hold a->n_chips indices. */
void svp_analysis_rank_cost(const svp_analysis *a, size_t *order);

#endif
