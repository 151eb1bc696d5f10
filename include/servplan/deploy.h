/*
 * deploy.h - published (or the user's own) measurements of DeepSeek-V3
 * serving: one fully specified configuration per row plus the throughput it
 * measured, read from data/deployments.csv (src/io/read_deployments.c).
 * validate and calibrate (calibrate.h) compare servplan's predictions with
 * them.
 *
 * All fields are SI.  Throughput is per *package* (a 910C package holds two
 * ranks, and the parallel degrees count ranks): output tokens/s in decode,
 * input tokens/s in prefill, as ../shared/data/README.md defines it.
 */
#ifndef SERVPLAN_DEPLOY_H
#define SERVPLAN_DEPLOY_H

#include <stddef.h>

#include "servplan/cost.h"
#include "servplan/err.h"
#include "servplan/hw.h"
#include "servplan/scenario.h"

typedef struct svp_deployment {
    char id[SVP_NAME_MAX];       /* unique name of the measurement */
    char chip[SVP_NAME_MAX];     /* a chip of the hardware table */
    svp_phase phase;
    int n_ranks;                 /* ranks (devices) of the instance = mla_tp * mla_dp */
    svp_config cfg;              /* batch = batch_total: requests of the whole instance */
    int input_len;               /* prompt tokens per request */
    int output_len;              /* generated tokens per request; 0 in prefill */
    svp_tbo tbo;                 /* SVP_TBO_ON or SVP_TBO_OFF (a measurement is never "auto") */
    int mtp_draft;               /* K: MTP draft tokens per step; 0 = no MTP */
    double mtp_accept;           /* L: tokens a request emits per step, 1 <= L <= K + 1 */
    svp_dtype weight_dtype;
    svp_dtype kv_dtype;
    double measured_tps_per_chip;/* tokens/s per package (output in decode, input in prefill) */
    double measured_latency_s;   /* decode: TPOT, prefill: FTL; 0 = not published */
    char source[SVP_TEXT_MAX];   /* where the measurement is published; may be empty */
    char note[SVP_TEXT_MAX];     /* caveats; may be empty */
    long line;                   /* 1-based line of the row in its file (diagnostics) */
} svp_deployment;

/* A table of measurements, in file order.  Owns rows. */
typedef struct svp_deployment_table {
    svp_deployment *rows;
    size_t n;
    char file[512];              /* the file it was read from (diagnostics); may be "" */
} svp_deployment_table;

/* Frees rows; accepts an empty (zeroed) table.  (src/core/validate.c) */
void svp_deployment_table_fini(svp_deployment_table *t);

/* The problem svp_eval solves for one row: the scenario (phase, lengths, no
 * SLO: limits 0 mean none), the configuration, and the switches (TBO, MTP,
 * dtypes from the row; memory model and roofline from *base).  Pure.
 * (src/core/validate.c) */
void svp_deployment_setup(const svp_deployment *dep, const svp_opts *base,
                          svp_scenario *sc, svp_config *cfg, svp_opts *o);

/* svp_eval on one row with hw (the row's chip).  bd may be NULL. */
void svp_deployment_eval(const svp_hw *hw, const svp_model *m, const svp_deployment *dep,
                         const svp_opts *base, svp_metrics *out, svp_breakdown *bd);

/* The measured latency kind of a row's phase: "tpot" (decode) or "ftl". */
const char *svp_deployment_latency_kind(const svp_deployment *dep);

/* data/deployments.csv (schema in README "Validation"): columns id, chip,
 * phase, n_ranks, mla_tp, mla_dp, moe_tp, moe_ep, sp, batch_total,
 * input_len, output_len, tbo, mtp_draft, mtp_tokens_per_step, weight_dtype,
 * kv_dtype, measured_tps_per_chip, measured_latency_ms, source, note, by
 * header name in any order.  Errors (SVP_ERR_DATA, file:line, column): a
 * missing or bad value, a duplicate id, n_ranks != mla_tp * mla_dp or
 * != moe_tp * moe_ep, mtp_tokens_per_step outside [1, mtp_draft + 1], a
 * prefill row with output_len > 0.  Whether the chip exists is checked
 * against the hardware table by the caller (svp_validate_all).
 * On error *out is left empty. */
svp_err svp_read_deployments(const char *path, svp_deployment_table *out, svp_diag *d);

#endif
