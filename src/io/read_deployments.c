/*
 * read_deployments.c - data/deployments.csv into an svp_deployment_table
 * (deploy.h).
 *
 * The edge where measurements enter: milliseconds become seconds here, once.
 * It checks that each row describes a deployment that can exist (its rank
 * counts agree, its MTP accept length is possible) and names the row when
 * one does not; it does not know the chips (the caller checks the chip name
 * against the hardware table).
 */
#include "servplan/deploy.h"

#include <stdio.h>
#include <stddef.h>
#include <string.h>

#include "servplan/alloc.h"
#include "servplan/csv.h"
#include "servplan/units.h"

enum {
    C_ID, C_CHIP, C_PHASE, C_N_RANKS, C_MLA_TP, C_MLA_DP, C_MOE_TP, C_MOE_EP, C_SP,
    C_BATCH, C_INPUT, C_OUTPUT, C_TBO, C_MTP_DRAFT, C_MTP_ACCEPT, C_WEIGHT_DT,
    C_KV_DT, C_TPS, C_LATENCY, C_SOURCE, C_NOTE, C_COUNT
};

static const svp_csv_col cols[C_COUNT] = {
    [C_ID] = {"id", 1},
    [C_CHIP] = {"chip", 1},
    [C_PHASE] = {"phase", 1},
    [C_N_RANKS] = {"n_ranks", 1},
    [C_MLA_TP] = {"mla_tp", 1},
    [C_MLA_DP] = {"mla_dp", 1},
    [C_MOE_TP] = {"moe_tp", 1},
    [C_MOE_EP] = {"moe_ep", 1},
    [C_SP] = {"sp", 1},
    [C_BATCH] = {"batch_total", 1},
    [C_INPUT] = {"input_len", 1},
    [C_OUTPUT] = {"output_len", 1},
    [C_TBO] = {"tbo", 1},
    [C_MTP_DRAFT] = {"mtp_draft", 1},
    [C_MTP_ACCEPT] = {"mtp_tokens_per_step", 1},
    [C_WEIGHT_DT] = {"weight_dtype", 1},
    [C_KV_DT] = {"kv_dtype", 1},
    [C_TPS] = {"measured_tps_per_chip", 1},
    [C_LATENCY] = {"measured_latency_ms", 1},
    [C_SOURCE] = {"source", 1},
    [C_NOTE] = {"note", 0},
};

/* A million ranks, requests or tokens of context bound anything deployed;
 * the bounds catch a value typed in the wrong column, not a big cluster. */
static const svp_csv_num degree = {.what = "a positive integer", .min = 1.0, .max = 1e6};
static const svp_csv_num batch = {.what = "a positive integer", .min = 1.0, .max = 1e8};
static const svp_csv_num input_len = {.what = "a positive integer", .min = 1.0, .max = 1e7};
static const svp_csv_num output_len = {.what = "a positive integer", .min = 1.0, .max = 1e7};
static const svp_csv_num draft = {.what = "an integer >= 0", .min = 0.0, .max = 64};
static const svp_csv_num accept = {.what = "a number >= 1", .min = 1.0, .max = 65};
static const svp_csv_num tps = {.what = "a positive number", .min_open = 1, .max = 1e9};
/* A day of latency is already absurd. */
static const svp_csv_num latency_ms = {
    .what = "a positive number or empty (not published)",
    .min_open = 1,
    .max = 8.64e7,
    .empty_ok = 1,
};

static svp_err bad(const svp_csv_cursor *c, int col, svp_diag *d, const char *expected)
{
    return svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line, cols[col].name,
                        "expected %s, got \"%s\"", expected, svp_csv_text(c, col));
}

static svp_err read_dtype(const svp_csv_cursor *c, int col, int kv, svp_dtype *out,
                          svp_diag *d)
{
    const char *s = svp_csv_text(c, col);

    /* The switches --weight-dtype and --kv-dtype accept: a KV cache is not
     * stored in FP4 by any engine servplan models. */
    if (svp_dtype_parse(s, out) != 0 || (kv && *out == SVP_DT_FP4))
        return bad(c, col, d, kv ? "bf16, fp8 or int8" : "fp8, int8, bf16 or fp4");
    return SVP_OK;
}

static svp_err read_row(const svp_csv_cursor *c, void *dst, svp_diag *d)
{
    svp_deployment *r = dst;
    svp_err err;
    const char *s;
    double v;

    memset(r, 0, sizeof *r);
    r->line = c->rec->line;
#define TRY(call) do { if ((err = (call)) != SVP_OK) goto fail; } while (0)
    TRY(svp_csv_get_str(c, C_ID, 1, r->id, sizeof r->id, d));
    TRY(svp_csv_get_str(c, C_CHIP, 1, r->chip, sizeof r->chip, d));
    s = svp_csv_text(c, C_PHASE);
    if (svp_phase_parse(s, &r->phase) != 0) {
        err = bad(c, C_PHASE, d, "decode or prefill");
        goto fail;
    }
    TRY(svp_csv_get_int(c, C_N_RANKS, &degree, &r->n_ranks, d));
    TRY(svp_csv_get_int(c, C_MLA_TP, &degree, &r->cfg.mla_tp, d));
    TRY(svp_csv_get_int(c, C_MLA_DP, &degree, &r->cfg.mla_dp, d));
    TRY(svp_csv_get_int(c, C_MOE_TP, &degree, &r->cfg.moe_tp, d));
    TRY(svp_csv_get_int(c, C_MOE_EP, &degree, &r->cfg.moe_ep, d));
    TRY(svp_csv_get_int(c, C_SP, &degree, &r->cfg.sp, d));
    TRY(svp_csv_get_int(c, C_BATCH, &batch, &r->cfg.batch, d));
    /* The rank counts must describe one instance (seed Art.3 2b); the
     * products are compared in double so no int can overflow. */
    if ((double)r->cfg.mla_tp * r->cfg.mla_dp != (double)r->n_ranks) {
        err = svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line, cols[C_N_RANKS].name,
                           "row '%s': n_ranks %d differs from mla_tp x mla_dp = %d x %d",
                           r->id, r->n_ranks, r->cfg.mla_tp, r->cfg.mla_dp);
        goto fail;
    }
    if ((double)r->cfg.moe_tp * r->cfg.moe_ep != (double)r->n_ranks) {
        err = svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line, cols[C_N_RANKS].name,
                           "row '%s': n_ranks %d differs from moe_tp x moe_ep = %d x %d",
                           r->id, r->n_ranks, r->cfg.moe_tp, r->cfg.moe_ep);
        goto fail;
    }

    TRY(svp_csv_get_int(c, C_INPUT, &input_len, &r->input_len, d));
    if (r->phase == SVP_PHASE_DECODE) {
        TRY(svp_csv_get_int(c, C_OUTPUT, &output_len, &r->output_len, d));
    } else {
        long n;

        s = svp_csv_text(c, C_OUTPUT);
        if (s[0] != '\0' && (svp_csv_parse_long(s, &n) != 0 || n != 0)) {
            err = bad(c, C_OUTPUT, d, "0 or empty (a prefill row generates no output)");
            goto fail;
        }
        r->output_len = 0;
    }

    s = svp_csv_text(c, C_TBO);
    if (strcmp(s, "on") == 0) {
        r->tbo = SVP_TBO_ON;
    } else if (strcmp(s, "off") == 0) {
        r->tbo = SVP_TBO_OFF;
    } else {
        err = bad(c, C_TBO, d, "on or off (what the measured deployment ran)");
        goto fail;
    }
    TRY(svp_csv_get_int(c, C_MTP_DRAFT, &draft, &r->mtp_draft, d));
    TRY(svp_csv_get_double(c, C_MTP_ACCEPT, &accept, &r->mtp_accept, d));
    /* MODEL.md section 8: a request emits at most its K drafts plus the
     * token of the main model per step. */
    if (r->mtp_accept > r->mtp_draft + 1.0) {
        err = svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line, cols[C_MTP_ACCEPT].name,
                           "expected a number in [1, mtp_draft + 1 = %d], got \"%s\"",
                           r->mtp_draft + 1, svp_csv_text(c, C_MTP_ACCEPT));
        goto fail;
    }
    TRY(read_dtype(c, C_WEIGHT_DT, 0, &r->weight_dtype, d));
    TRY(read_dtype(c, C_KV_DT, 1, &r->kv_dtype, d));

    TRY(svp_csv_get_double(c, C_TPS, &tps, &r->measured_tps_per_chip, d));
    TRY(svp_csv_get_double(c, C_LATENCY, &latency_ms, &v, d));
    r->measured_latency_s = v * SVP_MS;

    TRY(svp_csv_get_str(c, C_SOURCE, 0, r->source, sizeof r->source, d));
    TRY(svp_csv_get_str(c, C_NOTE, 0, r->note, sizeof r->note, d));
#undef TRY
    return SVP_OK;
fail:
    return err;
}

svp_err svp_read_deployments(const char *path, svp_deployment_table *out, svp_diag *d)
{
    void *rows;
    svp_err err;

    memset(out, 0, sizeof *out);
    err = svp_csv_read_rows(path, cols, C_COUNT, sizeof(svp_deployment), read_row,
                            offsetof(svp_deployment, id), C_ID, "id", &rows, &out->n, d);
    if (err != SVP_OK)
        return err;
    out->rows = rows;
    snprintf(out->file, sizeof out->file, "%s", path);
    return SVP_OK;
}
