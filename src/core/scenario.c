/*
 * scenario.c - phase names and the destructors of the scenario table and the
 * search space (scenario.h).  Pure: no stdio.
 */
#include "servplan/scenario.h"

#include <string.h>

#include "servplan/alloc.h"

const char *svp_phase_name(svp_phase p)
{
    switch (p) {
    case SVP_PHASE_DECODE:  return "decode";
    case SVP_PHASE_PREFILL: return "prefill";
    }
    return "?";
}

int svp_phase_parse(const char *s, svp_phase *out)
{
    svp_phase p;

    if (s == NULL)
        return -1;
    if (strcmp(s, "decode") == 0)
        p = SVP_PHASE_DECODE;
    else if (strcmp(s, "prefill") == 0)
        p = SVP_PHASE_PREFILL;
    else
        return -1;
    if (out != NULL)
        *out = p;
    return 0;
}

void svp_scenario_table_fini(svp_scenario_table *t)
{
    if (t == NULL)
        return;
    svp_free(t->rows);
    t->rows = NULL;
    t->n = 0;
}

static void grid_fini(svp_grid *g)
{
    svp_free(g->v);
    g->v = NULL;
    g->n = 0;
}

void svp_space_fini(svp_space *s)
{
    if (s == NULL)
        return;
    grid_fini(&s->batch);
    grid_fini(&s->mla_tp);
    grid_fini(&s->mla_dp);
    grid_fini(&s->moe_tp);
    grid_fini(&s->moe_ep);
    grid_fini(&s->sp);
}
