/*
 * scenario.h - workloads (phase, lengths, SLO) and the search space (the
 * grids of seed Art.4), both read from data/.
 */
#ifndef SERVPLAN_SCENARIO_H
#define SERVPLAN_SCENARIO_H

#include <stddef.h>
#include "servplan/hw.h"

typedef enum svp_phase { SVP_PHASE_DECODE = 0, SVP_PHASE_PREFILL } svp_phase;

const char *svp_phase_name(svp_phase p);              /* "decode", "prefill" */
int svp_phase_parse(const char *s, svp_phase *out);   /* 0 ok, -1 unknown */

typedef struct svp_scenario {
    char name[SVP_NAME_MAX];   /* "decode-4k", "prefill-4k", ... */
    svp_phase phase;
    int input_len;             /* prompt tokens per request */
    int output_len;            /* generated tokens per request (decode); 0 in prefill */
    double max_tpot_s;         /* decode SLO: TPOT <= this (seed: 0.100 s); 0 in prefill */
    double max_ftl_s;          /* prefill SLO: FTL <= this (seed: 3 s at 4K, 5 s at 8K); 0 in decode */
    char source[SVP_TEXT_MAX];
} svp_scenario;

typedef struct svp_scenario_table {
    svp_scenario *rows;
    size_t n;
} svp_scenario_table;

void svp_scenario_table_fini(svp_scenario_table *t);

/* One axis of the search space: positive integers, ascending, no duplicates. */
typedef struct svp_grid {
    int *v;
    size_t n;
} svp_grid;

typedef struct svp_space {
    svp_grid batch;   /* total concurrent requests of the instance */
    svp_grid mla_tp;  /* powers of two */
    svp_grid mla_dp;
    svp_grid moe_tp;  /* powers of two */
    svp_grid moe_ep;
    svp_grid sp;      /* powers of two */
} svp_space;

void svp_space_fini(svp_space *s);   /* frees every grid; accepts a zeroed space */

#endif
