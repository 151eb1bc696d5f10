/*
 * bench_search.c - how fast the exhaustive search is (make bench).
 *
 * Prints, for the seed grid (data/search-space.csv) and the widened grid
 * (data/search-space-wide.csv: batch to 65536, every power-of-two degree to
 * 1024), the configurations evaluated, the chip-count combinations skipped
 * without evaluation, the wall time of the whole search over every shipped
 * chip and scenario, and configurations evaluated per second.  It prints
 * figures; it asserts nothing (performance targets are not tests).
 */
#include <stdio.h>
#include <time.h>

#include "servplan/read.h"
#include "servplan/search.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int bench_grid(const char *label, const char *space_path, const svp_hw_table *hw,
                      const svp_model *model, const svp_scenario_table *sc)
{
    svp_space space = {0};
    svp_diag d;
    svp_err err = svp_read_space(space_path, &space, &d);
    if (err != SVP_OK) {
        fprintf(stderr, "bench: %s:%ld: %s\n", d.file, d.line, d.msg);
        return 1;
    }
    svp_opts o = svp_opts_default();
    double evaluated = 0.0, combos = 0.0, feasible = 0.0;
    double t0 = now_s();
    for (size_t c = 0; c < hw->n; c++) {
        for (size_t s = 0; s < sc->n; s++) {
            svp_problem pb = {.hw = &hw->rows[c], .model = model, .scen = &sc->rows[s],
                              .space = &space, .opts = &o};
            svp_search_stats st;
            svp_plan best;
            svp_search(&pb, NULL, NULL, &best, &st);
            evaluated += (double)st.evaluated;
            combos += st.combinations;
            feasible += st.by_reason[SVP_FEASIBLE];
        }
    }
    double dt = now_s() - t0;
    printf("%-5s grid: %zu chips x %zu scenarios: %.0f combinations, %.0f evaluated "
           "(%.0f feasible), %.3f s, %.2f M configurations/s\n",
           label, hw->n, sc->n, combos, evaluated, feasible, dt, evaluated / dt / 1e6);
    svp_space_fini(&space);
    return 0;
}

int main(void)
{
    svp_hw_table hw = {0};
    svp_model model;
    svp_scenario_table sc = {0};
    svp_diag d;
    int rc = 1;

    if (svp_read_hardware("data/hardware.csv", &hw, &d) != SVP_OK
        || svp_read_model("data/models/deepseek-v3.csv", &model, &d) != SVP_OK
        || svp_read_scenarios("data/scenarios.csv", &sc, &d) != SVP_OK) {
        fprintf(stderr, "bench: %s:%ld: %s\n", d.file, d.line, d.msg);
        goto done;
    }
    if (bench_grid("seed", "data/search-space.csv", &hw, &model, &sc)
        || bench_grid("wide", "data/search-space-wide.csv", &hw, &model, &sc))
        goto done;
    rc = 0;
done:
    svp_hw_table_fini(&hw);
    svp_scenario_table_fini(&sc);
    return rc;
}
