/*
 * read_scenarios.c - data/scenarios.csv into an svp_scenario_table (read.h).
 *
 * One row per workload: a phase, prompt and output lengths in tokens and the
 * SLO of that phase in milliseconds (converted to seconds here).  A decode
 * scenario is bounded by TPOT, a prefill scenario by FTL (seed Art.3); the
 * other phase's SLO column must be empty so a row never carries a limit that
 * servplan would silently ignore.
 */
#include "servplan/read.h"

#include <stddef.h>
#include <string.h>

#include "servplan/alloc.h"
#include "servplan/csv.h"
#include "servplan/units.h"

enum { C_NAME, C_PHASE, C_INPUT, C_OUTPUT, C_TPOT, C_FTL, C_SOURCE, C_COUNT };

static const svp_csv_col cols[C_COUNT] = {
    [C_NAME] = {"name", 1},
    [C_PHASE] = {"phase", 1},
    [C_INPUT] = {"input_len_tokens", 1},
    [C_OUTPUT] = {"output_len_tokens", 1},
    [C_TPOT] = {"max_tpot_ms", 1},
    [C_FTL] = {"max_ftl_ms", 1},
    [C_SOURCE] = {"source", 1},
};

/* Ten million tokens of context and a day of latency bound anything real. */
static const svp_csv_num input_len = {
    .what = "a positive integer",
    .min = 1.0,
    .max = 1e7,
};
static const svp_csv_num output_decode = {
    .what = "a positive integer",
    .min = 1.0,
    .max = 1e7,
};
static const svp_csv_num slo_ms = {
    .what = "a positive number",
    .min_open = 1,
    .max = 8.64e7,
};

static svp_err must_be_empty(const svp_csv_cursor *c, int col,
                             const char *why, svp_diag *d)
{
    const char *text = svp_csv_text(c, col);

    if (text[0] == '\0')
        return SVP_OK;
    return svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line,
                        cols[col].name, "expected empty (%s), got \"%s\"",
                        why, text);
}

static svp_err read_row(const svp_csv_cursor *c, void *dst, svp_diag *d)
{
    svp_scenario *s = dst;
    svp_err err;
    double v;
    const char *phase;

    memset(s, 0, sizeof *s);
#define TRY(call) do { if ((err = (call)) != SVP_OK) goto fail; } while (0)
    TRY(svp_csv_get_str(c, C_NAME, 1, s->name, sizeof s->name, d));
    phase = svp_csv_text(c, C_PHASE);
    if (svp_phase_parse(phase, &s->phase) != 0) {
        err = svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line,
                           cols[C_PHASE].name,
                           "expected decode or prefill, got \"%s\"", phase);
        goto fail;
    }
    TRY(svp_csv_get_int(c, C_INPUT, &input_len, &s->input_len, d));
    if (s->phase == SVP_PHASE_DECODE) {
        TRY(svp_csv_get_int(c, C_OUTPUT, &output_decode, &s->output_len, d));
        TRY(svp_csv_get_double(c, C_TPOT, &slo_ms, &v, d));
        s->max_tpot_s = v * SVP_MS;
        TRY(must_be_empty(c, C_FTL, "a decode scenario is bounded by max_tpot_ms", d));
    } else {
        const char *text = svp_csv_text(c, C_OUTPUT);
        long n;

        if (text[0] != '\0' && (svp_csv_parse_long(text, &n) != 0 || n != 0)) {
            err = svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line,
                               cols[C_OUTPUT].name,
                               "expected 0 or empty (a prefill scenario "
                               "generates no output), got \"%s\"", text);
            goto fail;
        }
        s->output_len = 0;
        TRY(must_be_empty(c, C_TPOT, "a prefill scenario is bounded by max_ftl_ms", d));
        TRY(svp_csv_get_double(c, C_FTL, &slo_ms, &v, d));
        s->max_ftl_s = v * SVP_MS;
    }
    TRY(svp_csv_get_str(c, C_SOURCE, 0, s->source, sizeof s->source, d));
#undef TRY
    return SVP_OK;
fail:
    return err;
}

svp_err svp_read_scenarios(const char *path, svp_scenario_table *out, svp_diag *d)
{
    void *rows;
    svp_err err = svp_csv_read_rows(path, cols, C_COUNT, sizeof(svp_scenario), read_row,
                                    offsetof(svp_scenario, name), C_NAME, "scenario", &rows, &out->n,
                                    d);
    out->rows = rows;
    return err;
}
