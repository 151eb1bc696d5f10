/*
 * cmd_validate.c - `servplan validate` and `servplan calibrate`
 * (cli_validate.h): read the deployments, run validation or calibration
 * (calibrate.h), print text, CSV or JSON, write the calibrated hardware file.
 *
 * Process code like cli.c: it prints its diagnostics itself, once, and
 * returns exit codes.  It computes nothing: every figure comes from
 * src/core; here SI values become the units the column names carry.
 * Error sign convention (stated in every output): error % = (predicted -
 * measured) / measured x 100, positive = servplan optimistic.
 */
#include "servplan/cli_validate.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "servplan/alloc.h"
#include "servplan/calibrate.h"
#include "servplan/deploy.h"
#include "servplan/err.h"
#include "servplan/units.h"

#if defined(__GNUC__)
#define PRINTF_LIKE(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define PRINTF_LIKE(fmt_index, first_arg)
#endif

static const char sign_convention[] =
    "error % = (predicted - measured) / measured x 100; positive = servplan optimistic "
    "(for latency: positive = predicted slower)";

/* ---- diagnostics (same shape as cli.c's) ----------------------------------- */

static void print_diag(svp_err err, const svp_diag *d)
{
    fputs("servplan: ", stderr);
    if (d->file[0] != '\0') {
        fputs(d->file, stderr);
        if (d->line > 0)
            fprintf(stderr, ":%ld", d->line);
        fputs(": ", stderr);
    }
    if (d->column[0] != '\0')
        fprintf(stderr, "column '%s': ", d->column);
    fprintf(stderr, "%s\n", d->msg[0] != '\0' ? d->msg : svp_strerror(err));
}

/* A failed write to stdout is reported once, by the caller's final flush. */
static int fail_code(svp_err err, const svp_diag *d)
{
    if (err == SVP_ERR_IO && ferror(stdout))
        return SVP_EXIT_IO;
    if (err == SVP_ERR_USAGE) {
        print_diag(err, d);
        fputs("Try 'servplan --help'.\n", stderr);
        return SVP_EXIT_USAGE;
    }
    print_diag(err, d);
    return svp_err_exit_code(err);
}

static PRINTF_LIKE(2, 3) void note(const svp_cli_val_args *a, const char *fmt, ...)
{
    va_list ap;

    if (a->verbosity < 1)
        return;
    fputs("servplan: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* The per-row switches replace --tbo, --mtp and the dtypes; say so when the
 * user set them, rather than ignore them silently. */
static void note_ignored_switches(const svp_cli_val_args *a)
{
    svp_opts def = svp_opts_default();
    const svp_opts *o = a->opts;

    if (o->tbo != def.tbo || o->mtp_draft != def.mtp_draft || o->mtp_accept != def.mtp_accept ||
        o->weight_dtype != def.weight_dtype || o->kv_dtype != def.kv_dtype)
        note(a, "--tbo, --mtp, --weight-dtype and --kv-dtype are ignored here: each "
                "deployment row states what it ran");
}

static svp_err stdout_error(svp_diag *d)
{
    return svp_diag_set(d, SVP_ERR_IO, "standard output", 0, NULL, "write error: %s",
                        strerror(errno));
}

/* ---- output helpers ---------------------------------------------------------- */

/* Text cells: "-" for what does not apply. */
static void text_num(FILE *f, int width, const char *fmt, int have, double v)
{
    char buf[64];

    if (have && isfinite(v))
        snprintf(buf, sizeof buf, fmt, v);
    else
        snprintf(buf, sizeof buf, "-");
    fprintf(f, " %*s", width, buf);
}

/* "step_overhead_us+layer_overhead_us" */
static void param_list(char *buf, size_t size, const svp_param *p, size_t n, const char *sep)
{
    size_t len = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i > 0 ? sep : "",
                                svp_param_name(p[i]));
}

/* A parameter in the unit of its hardware.csv column (µs for times). */
static double param_out(svp_param p, double v)
{
    return svp_param_is_time(p) ? v / SVP_US : v;
}

/* ---- reading ----------------------------------------------------------------- */

static int is_selected(const svp_cli_val_args *a, const char *chip)
{
    if (a->n_chips == 0)
        return 1;
    for (size_t i = 0; i < a->n_chips; i++) {
        if (strcmp(a->chips[i], chip) == 0)
            return 1;
    }
    return 0;
}

/* Keeps the rows of the --chip chips in *t (in place, order kept).  An empty
 * selection is an error naming the chips that do have rows. */
static svp_err filter_rows(const svp_cli_val_args *a, svp_deployment_table *t, svp_diag *d)
{
    size_t k = 0;

    if (a->n_chips == 0)
        return SVP_OK;
    for (size_t i = 0; i < t->n; i++) {
        if (is_selected(a, t->rows[i].chip)) {
            if (k != i)
                t->rows[k] = t->rows[i];
            k++;
        }
    }
    if (k == 0) {
        char have[512] = "";
        size_t len = 0;

        for (size_t i = 0; i < t->n && len < sizeof have; i++) {
            size_t j;
            for (j = 0; j < i && strcmp(t->rows[j].chip, t->rows[i].chip) != 0; j++)
                ;
            if (j == i)
                len += (size_t)snprintf(have + len, sizeof have - len, "%s%s",
                                        len > 0 ? ", " : "", t->rows[i].chip);
        }
        return svp_diag_set(d, SVP_ERR_DATA, t->file, 0, NULL,
                            "no measured deployment of the selected chip%s (rows exist "
                            "for: %s)", a->n_chips > 1 ? "s" : "", have);
    }
    t->n = k;
    return SVP_OK;
}

/* --params a,b,c -> out[0..*n). */
static svp_err parse_params(const char *list, svp_param *out, size_t *n, svp_diag *d)
{
    char buf[512];
    char *tok, *save = NULL;

    *n = 0;
    if (strlen(list) >= sizeof buf)
        return svp_diag_set(d, SVP_ERR_USAGE, NULL, 0, NULL, "option --params: list too long");
    snprintf(buf, sizeof buf, "%s", list);
    for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        svp_param p;

        if (svp_param_parse(tok, &p) != 0) {
            char names[512];
            svp_param all[SVP_PAR_COUNT];

            for (int i = 0; i < SVP_PAR_COUNT; i++)
                all[i] = (svp_param)i;
            param_list(names, sizeof names, all, SVP_PAR_COUNT, ", ");
            return svp_diag_set(d, SVP_ERR_USAGE, NULL, 0, NULL,
                                "option --params: unknown parameter \"%s\" (parameters: %s)",
                                tok, names);
        }
        for (size_t i = 0; i < *n; i++) {
            if (out[i] == p)
                return svp_diag_set(d, SVP_ERR_USAGE, NULL, 0, NULL,
                                    "option --params: %s listed twice", svp_param_name(p));
        }
        out[(*n)++] = p;
    }
    if (*n == 0)
        return svp_diag_set(d, SVP_ERR_USAGE, NULL, 0, NULL,
                            "option --params: expected a comma-separated list of "
                            "parameters, got \"%s\"", list);
    return SVP_OK;
}

/* ---- validate ---------------------------------------------------------------- */

typedef struct val_out {
    const svp_cli_val_args *a;
    const svp_deployment_table *deps;
    const svp_val_row *rows;
    const svp_val_summary *sum;
} val_out;

static const char *row_reason(const svp_val_row *r)
{
    return svp_reason_code(r->m.reason);
}

static void loo_text(const svp_val_row *r, char *buf, size_t size)
{
    if (r->loo_basis == SVP_LOO_FITTED) {
        char names[256];

        param_list(names, sizeof names, r->loo_params, r->loo_n_params, "+");
        snprintf(buf, size, "fitted %s on %zu row%s", names, r->loo_n_rows,
                 r->loo_n_rows == 1 ? "" : "s");
    } else if (r->loo_basis == SVP_LOO_DEFAULTS) {
        snprintf(buf, size, "defaults (%zu other row%s of %s: nothing to fit)",
                 r->loo_n_rows, r->loo_n_rows == 1 ? "" : "s", r->dep->chip);
    } else {
        snprintf(buf, size, "-");
    }
}

static void val_text(const val_out *v, FILE *f)
{
    const svp_val_summary *s = v->sum;
    int cross = v->a->cross;
    size_t i;

    fprintf(f, "servplan validate: %zu measured deployment%s of %s against %s\n",
            v->deps->n, v->deps->n == 1 ? "" : "s", v->deps->file, v->a->hardware);
    fprintf(f, "%s\n", sign_convention);
    fputs("tps: tokens/s per chip (package): output tokens in decode, input tokens in "
          "prefill; latency: TPOT in decode, FTL in prefill\n\n", f);
    fprintf(f, "%-22s %-12s %-7s %10s %10s %8s %4s %10s %10s %8s  %-9s %-*s",
            "id", "chip", "phase", "pred_tps", "meas_tps", "err_%", "lat", "pred_ms",
            "meas_ms", "lat_err_%", "reason", cross ? 13 : 0, "bottleneck");
    if (cross)
        fprintf(f, " %10s %8s  %s", "loo_tps", "loo_err_%", "loo_basis");
    fputc('\n', f);
    for (i = 0; i < v->deps->n; i++) {
        const svp_val_row *r = &v->rows[i];
        const svp_deployment *dep = r->dep;

        fprintf(f, "%-22s %-12s %-7s", dep->id, dep->chip, svp_phase_name(dep->phase));
        text_num(f, 10, "%.1f", r->has_pred, r->pred_tps);
        text_num(f, 10, "%.1f", 1, r->meas_tps);
        text_num(f, 8, "%+.1f", r->has_pred, r->err_pct);
        fprintf(f, " %4s", svp_deployment_latency_kind(dep));
        text_num(f, 10, "%.1f", r->has_pred, r->pred_latency_s / SVP_MS);
        text_num(f, 10, "%.1f", r->meas_latency_s > 0.0, r->meas_latency_s / SVP_MS);
        text_num(f, 8, "%+.1f", r->has_latency_err, r->latency_err_pct);
        fprintf(f, "  %-9s %-*s", row_reason(r), cross ? 13 : 0,
                r->has_pred ? svp_bound_name(r->m.bottleneck) : "-");
        if (cross) {
            char basis[512];

            text_num(f, 10, "%.1f", r->loo_basis != SVP_LOO_NONE, r->loo_tps);
            text_num(f, 8, "%+.1f", r->loo_basis != SVP_LOO_NONE, r->loo_err_pct);
            loo_text(r, basis, sizeof basis);
            fprintf(f, "  %s", basis);
        }
        fputc('\n', f);
    }
    fputc('\n', f);
    if (s->n_pred == 0) {
        fprintf(f, "summary: none of %zu rows could be predicted\n", s->n_rows);
        return;
    }
    fprintf(f, "summary: %zu of %zu rows predicted; median |error| %.1f%%, worst %.1f%% (%s)",
            s->n_pred, s->n_rows, s->median_abs_err_pct, s->worst_abs_err_pct,
            v->rows[s->worst_row].dep->id);
    if (s->n_infeasible > 0)
        fprintf(f, "; %zu predicted infeasible (see reason)", s->n_infeasible);
    fputc('\n', f);
    if (s->has_loo)
        fprintf(f, "leave-one-out: median |error| %.1f%%, worst %.1f%% (%s); %zu of %zu "
                "rows keep the hardware table's values (fewer than 2 other rows of "
                "their chip)\n",
                s->loo_median_abs_err_pct, s->loo_worst_abs_err_pct,
                v->rows[s->loo_worst_row].dep->id, s->loo_n_defaults, s->n_pred);
}

static const char *const val_cols[] = {
    "id", "chip", "phase", "n_chips", "predicted_tps_per_chip", "measured_tps_per_chip",
    "error_pct", "latency_kind", "predicted_latency_ms", "measured_latency_ms",
    "latency_error_pct", "reason", "bottleneck",
};
static const char *const val_loo_cols[] = {
    "loo_tps_per_chip", "loo_error_pct", "loo_basis", "loo_params", "loo_rows",
};
static const char *const sum_cols[] = {
    "rows", "predicted_rows", "infeasible_rows", "median_abs_error_pct",
    "worst_abs_error_pct", "worst_id",
};
static const char *const sum_loo_cols[] = {
    "loo_median_abs_error_pct", "loo_worst_abs_error_pct", "loo_worst_id", "loo_defaults_rows",
};

#define N_OF(a) (sizeof (a) / sizeof (a)[0])

/* Column c of row r (0-based over val_cols then val_loo_cols) as a CSV or
 * JSON cell. */
static void val_cell(FILE *f, int json, const svp_val_row *r, size_t c)
{
    const svp_deployment *dep = r->dep;
    char buf[256];
    double num = NAN;
    const char *str = NULL;

    switch (c) {
    case 0: str = dep->id; break;
    case 1: str = dep->chip; break;
    case 2: str = svp_phase_name(dep->phase); break;
    case 3: num = r->m.n_chips; break;
    case 4: num = r->has_pred ? r->pred_tps : NAN; break;
    case 5: num = r->meas_tps; break;
    case 6: num = r->has_pred ? r->err_pct : NAN; break;
    case 7: str = svp_deployment_latency_kind(dep); break;
    case 8: num = r->has_pred ? r->pred_latency_s / SVP_MS : NAN; break;
    case 9: num = r->meas_latency_s > 0.0 ? r->meas_latency_s / SVP_MS : NAN; break;
    case 10: num = r->has_latency_err ? r->latency_err_pct : NAN; break;
    case 11: str = row_reason(r); break;
    case 12: str = r->has_pred ? svp_bound_name(r->m.bottleneck) : ""; break;
    case 13: num = r->loo_basis != SVP_LOO_NONE ? r->loo_tps : NAN; break;
    case 14: num = r->loo_basis != SVP_LOO_NONE ? r->loo_err_pct : NAN; break;
    case 15: str = r->loo_basis != SVP_LOO_NONE ? svp_loo_basis_name(r->loo_basis) : ""; break;
    case 16:
        param_list(buf, sizeof buf, r->loo_params, r->loo_n_params, "+");
        str = buf;
        break;
    case 17: num = r->loo_basis != SVP_LOO_NONE ? (double)r->loo_n_rows : NAN; break;
    default: str = ""; break;
    }
    svp_format fmt = json ? SVP_FMT_JSON : SVP_FMT_CSV;
    if (str != NULL)
        svp_print_str(f, fmt, str);
    else
        svp_print_num(f, fmt, num);
}

static void sum_cell(FILE *f, int json, const val_out *v, size_t c)
{
    const svp_val_summary *s = v->sum;
    int have = s->n_pred > 0;
    double num = NAN;
    const char *str = NULL;

    switch (c) {
    case 0: num = (double)s->n_rows; break;
    case 1: num = (double)s->n_pred; break;
    case 2: num = (double)s->n_infeasible; break;
    case 3: num = have ? s->median_abs_err_pct : NAN; break;
    case 4: num = have ? s->worst_abs_err_pct : NAN; break;
    case 5: str = have ? v->rows[s->worst_row].dep->id : ""; break;
    case 6: num = have && s->has_loo ? s->loo_median_abs_err_pct : NAN; break;
    case 7: num = have && s->has_loo ? s->loo_worst_abs_err_pct : NAN; break;
    case 8: str = have && s->has_loo ? v->rows[s->loo_worst_row].dep->id : ""; break;
    case 9: num = (double)s->loo_n_defaults; break;
    default: str = ""; break;
    }
    svp_format fmt = json ? SVP_FMT_JSON : SVP_FMT_CSV;
    if (str != NULL)
        svp_print_str(f, fmt, str);
    else
        svp_print_num(f, fmt, num);
}

/* CSV: the rows table, an empty line, the summary table (as eval's CSV puts
 * its operator table after its metrics). */
static void val_csv(const val_out *v, FILE *f)
{
    size_t n_cols = N_OF(val_cols) + (v->a->cross ? N_OF(val_loo_cols) : 0);
    size_t n_sum = N_OF(sum_cols) + (v->a->cross ? N_OF(sum_loo_cols) : 0);
    size_t i, c;

    for (c = 0; c < n_cols; c++)
        fprintf(f, "%s%s", c > 0 ? "," : "",
                c < N_OF(val_cols) ? val_cols[c] : val_loo_cols[c - N_OF(val_cols)]);
    fputc('\n', f);
    for (i = 0; i < v->deps->n; i++) {
        for (c = 0; c < n_cols; c++) {
            if (c > 0)
                fputc(',', f);
            val_cell(f, 0, &v->rows[i], c);
        }
        fputc('\n', f);
    }
    fputc('\n', f);
    for (c = 0; c < n_sum; c++)
        fprintf(f, "%s%s", c > 0 ? "," : "",
                c < N_OF(sum_cols) ? sum_cols[c] : sum_loo_cols[c - N_OF(sum_cols)]);
    fputc('\n', f);
    for (c = 0; c < n_sum; c++) {
        if (c > 0)
            fputc(',', f);
        sum_cell(f, 0, v, c);
    }
    fputc('\n', f);
}

static void val_json(const val_out *v, FILE *f)
{
    size_t n_cols = N_OF(val_cols) + (v->a->cross ? N_OF(val_loo_cols) : 0);
    size_t n_sum = N_OF(sum_cols) + (v->a->cross ? N_OF(sum_loo_cols) : 0);
    size_t i, c;

    fputs("{\"error_convention\": ", f);
    svp_print_str(f, SVP_FMT_JSON, sign_convention);
    fputs(",\n \"rows\": [", f);
    for (i = 0; i < v->deps->n; i++) {
        fputs(i > 0 ? ",\n  {" : "\n  {", f);
        for (c = 0; c < n_cols; c++) {
            fprintf(f, "%s\"%s\": ", c > 0 ? ", " : "",
                    c < N_OF(val_cols) ? val_cols[c] : val_loo_cols[c - N_OF(val_cols)]);
            val_cell(f, 1, &v->rows[i], c);
        }
        fputc('}', f);
    }
    fputs("\n ],\n \"summary\": {", f);
    for (c = 0; c < n_sum; c++) {
        fprintf(f, "%s\"%s\": ", c > 0 ? ", " : "",
                c < N_OF(sum_cols) ? sum_cols[c] : sum_loo_cols[c - N_OF(sum_cols)]);
        sum_cell(f, 1, v, c);
    }
    fputs("}\n}\n", f);
}

int svp_cli_validate(const svp_cli_val_args *a, const svp_hw_table *hw, const svp_model *m)
{
    svp_deployment_table deps;
    svp_val_row *rows = NULL;
    svp_val_summary sum;
    svp_diag d;
    svp_err err;
    val_out v;

    memset(&deps, 0, sizeof deps);
    svp_diag_clear(&d);
    note_ignored_switches(a);
    err = svp_read_deployments(a->deployments, &deps, &d);
    if (err == SVP_OK)
        err = filter_rows(a, &deps, &d);
    if (err != SVP_OK)
        goto fail;
    rows = svp_calloc(deps.n, sizeof *rows);
    if (rows == NULL) {
        err = svp_diag_set(&d, SVP_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto fail;
    }
    err = svp_validate_all(hw, m, &deps, a->opts, a->cross, rows, &sum, &d);
    if (err != SVP_OK)
        goto fail;
    v.a = a;
    v.deps = &deps;
    v.rows = rows;
    v.sum = &sum;
    errno = 0;
    if (a->fmt == SVP_FMT_CSV)
        val_csv(&v, stdout);
    else if (a->fmt == SVP_FMT_JSON)
        val_json(&v, stdout);
    else
        val_text(&v, stdout);
    if (ferror(stdout))
        err = stdout_error(&d);

fail:
    svp_free(rows);
    svp_deployment_table_fini(&deps);
    return err == SVP_OK ? SVP_EXIT_OK : fail_code(err, &d);
}

/* ---- calibrate --------------------------------------------------------------- */

/* The same file (device and inode) as the hardware file in force? */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;

    if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Copies s into dst[size] cutting at a UTF-8 character boundary with "..."
 * when it does not fit. */
static void copy_utf8(char *dst, size_t size, const char *s)
{
    size_t n = strlen(s);

    if (n < size) {
        memcpy(dst, s, n + 1);
        return;
    }
    n = size - 4;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(dst, s, n);
    memcpy(dst + n, "...", 3);
    dst[n + 3] = '\0';
}

/* hardware.csv's columns, in its order, with the factors that turn SI back
 * into the unit each header names. */
static void hw_header(FILE *f)
{
    fputs("chip,vendor,bf16_TFLOPS,fp8_TFLOPS,int8_TOPS,fp4_TFLOPS,dram_GB,hbm_TBps,"
          "c2c_GBps,a2a_GBps,ranks_per_chip,chips_per_domain,tdp_W,eff_gemm,eff_attn,"
          "eff_mem,eff_attn_mem,eff_net_up,eff_net_out,coll_latency_us,layer_overhead_us,"
          "step_overhead_us,reserve_GB,confidence,source,eff_source,note\n", f);
}

/* ,value  (empty when zero and the column allows empty).  %.15g gives back
 * the digits the file was read from (a value read as "0.70" is printed
 * "0.7", which reads back to the same double). */
static void hw_num(FILE *f, double v, int empty_if_zero)
{
    fputc(',', f);
    if (!(empty_if_zero && v == 0.0))
        fprintf(f, "%.15g", v);
}

static void hw_row(FILE *f, const svp_hw *h)
{
    svp_print_str(f, SVP_FMT_CSV, h->name);
    fputc(',', f);
    svp_print_str(f, SVP_FMT_CSV, h->vendor);
    hw_num(f, h->peak_flops[SVP_DT_BF16] / SVP_TFLOPS, 0);
    hw_num(f, h->peak_flops[SVP_DT_FP8] / SVP_TFLOPS, 1);
    hw_num(f, h->peak_flops[SVP_DT_INT8] / SVP_TFLOPS, 1);
    hw_num(f, h->peak_flops[SVP_DT_FP4] / SVP_TFLOPS, 1);
    hw_num(f, h->dram_bytes / SVP_GB, 0);
    hw_num(f, h->hbm_bytes_per_s / SVP_TBPS, 0);
    hw_num(f, h->c2c_bytes_per_s / SVP_GBPS, 0);
    hw_num(f, h->a2a_bytes_per_s / SVP_GBPS, 1);
    fprintf(f, ",%d,%d", h->ranks_per_chip, h->chips_per_domain);
    hw_num(f, h->tdp_w, 1);
    hw_num(f, h->eff_gemm, 0);
    hw_num(f, h->eff_attn, 0);
    hw_num(f, h->eff_mem, 0);
    hw_num(f, h->eff_attn_mem > 0.0 ? h->eff_attn_mem : h->eff_mem, 0);
    hw_num(f, h->eff_net_up, 0);
    hw_num(f, h->eff_net_out, 0);
    hw_num(f, h->coll_latency_s / SVP_US, 0);
    hw_num(f, h->layer_overhead_s / SVP_US, 0);
    hw_num(f, h->step_overhead_s / SVP_US, 0);
    hw_num(f, h->reserve_bytes / SVP_GB, 0);
    fputc(',', f);
    svp_print_str(f, SVP_FMT_CSV, h->confidence);
    fputc(',', f);
    svp_print_str(f, SVP_FMT_CSV, h->source);
    fputc(',', f);
    svp_print_str(f, SVP_FMT_CSV, h->eff_source);
    fputc(',', f);
    svp_print_str(f, SVP_FMT_CSV, h->note);
    fputc('\n', f);
}

/* Writes every chip of hw, with `fitted` in place of its own row, to path:
 * first to path.tmp, renamed over path only when complete, so a failure
 * never leaves half a file. */
static svp_err write_hardware(const char *path, const svp_hw_table *hw, const svp_hw *fitted,
                              svp_diag *d)
{
    char tmp[4096 + 8];
    FILE *f;
    svp_err err;

    if (strlen(path) + 5 > sizeof tmp)
        return svp_diag_set(d, SVP_ERR_IO, path, 0, NULL, "path too long");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    errno = 0;
    f = fopen(tmp, "w");
    if (f == NULL)
        return svp_diag_set(d, SVP_ERR_IO, tmp, 0, NULL, "cannot create: %s", strerror(errno));
    hw_header(f);
    for (size_t i = 0; i < hw->n; i++)
        hw_row(f, strcmp(hw->rows[i].name, fitted->name) == 0 ? fitted : &hw->rows[i]);
    if (ferror(f)) {
        err = svp_diag_set(d, SVP_ERR_IO, tmp, 0, NULL, "write error: %s", strerror(errno));
        fclose(f);
        goto fail;
    }
    if (fclose(f) != 0) {
        err = svp_diag_set(d, SVP_ERR_IO, tmp, 0, NULL, "write error: %s", strerror(errno));
        goto fail;
    }
    if (rename(tmp, path) != 0) {
        err = svp_diag_set(d, SVP_ERR_IO, path, 0, NULL, "cannot rename %s to it: %s", tmp,
                           strerror(errno));
        goto fail;
    }
    return SVP_OK;
fail:
    remove(tmp);
    return err;
}

/* "calibrated by servplan calibrate on A, B, C of FILE (date-free): fitted
 * x, y; the other figures as before: <old eff_source>". */
static void calibrated_source(svp_hw *h, const svp_calib_result *res, const char *deps_file,
                              const char *old)
{
    char buf[3 * SVP_TEXT_MAX];
    char names[512];
    size_t len;

    len = (size_t)snprintf(buf, sizeof buf, "calibrated by servplan calibrate on ");
    for (size_t i = 0; i < res->n_points && len < sizeof buf; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i > 0 ? ", " : "",
                                res->points[i].dep->id);
    param_list(names, sizeof names, res->params, res->n_params, ", ");
    if (len < sizeof buf)
        len += (size_t)snprintf(buf + len, sizeof buf - len,
                                " of %s (date-free): fitted %s; the other figures as before",
                                deps_file, names);
    if (old[0] != '\0' && len < sizeof buf)
        snprintf(buf + len, sizeof buf - len, ": %s", old);
    copy_utf8(h->eff_source, sizeof h->eff_source, buf);
}

static const char *bound_text(const svp_calib_result *r, size_t j)
{
    if (r->insensitive[j])
        return "no point depends on it: unchanged";
    if (r->at_bound[j] < 0)
        return "at the lower bound";
    if (r->at_bound[j] > 0)
        return "at the upper bound";
    return "";
}

static void cal_text(const svp_cli_val_args *a, const svp_calib_result *r, const char *file,
                     FILE *f)
{
    fprintf(f, "servplan calibrate: %s on %zu measured deployment%s of %s\n", r->hw.name,
            r->n_points, r->n_points == 1 ? "" : "s", file);
    fputs("objective: sum of log(predicted / measured throughput)^2; "
          "times in µs, efficiencies as fractions\n", f);
    fprintf(f, "%s\n\n", sign_convention);
    fprintf(f, "%-18s %12s %12s %22s  %s\n", "parameter", "before", "after", "range", "");
    for (size_t j = 0; j < r->n_params; j++) {
        svp_param p = r->params[j];
        double lo, hi;
        char range[64];

        svp_param_bounds(p, &lo, &hi);
        snprintf(range, sizeof range, "[%g, %g]", param_out(p, lo), param_out(p, hi));
        fprintf(f, "%-18s %12.4g %12.4g %22s  %s\n", svp_param_name(p),
                param_out(p, r->before[j]), param_out(p, r->after[j]), range,
                bound_text(r, j));
    }
    fprintf(f, "rms log error: %.4f before, %.4f after (%d iterations)\n\n",
            r->rms_log_before, r->rms_log_after, r->iterations);
    fprintf(f, "%-22s %-7s %10s %10s %8s %10s %8s\n", "id", "phase", "meas_tps",
            "before_tps", "err_%", "after_tps", "err_%");
    for (size_t i = 0; i < r->n_points; i++) {
        const svp_calib_point *pt = &r->points[i];

        fprintf(f, "%-22s %-7s %10.1f %10.1f %+8.1f %10.1f %+8.1f\n", pt->dep->id,
                svp_phase_name(pt->dep->phase), pt->dep->measured_tps_per_chip,
                pt->pred_before_tps, pt->err_before_pct, pt->pred_after_tps,
                pt->err_after_pct);
    }
    if (a->out_hardware != NULL)
        fprintf(f, "\nwrote %s: every chip of %s, %s's fitted values in place\n",
                a->out_hardware, a->hardware, r->hw.name);
}

static void cal_csv(const svp_calib_result *r, FILE *f)
{
    fputs("chip,parameter,before,after,lower_bound,upper_bound,at_bound,insensitive\n", f);
    for (size_t j = 0; j < r->n_params; j++) {
        svp_param p = r->params[j];
        double lo, hi;

        svp_param_bounds(p, &lo, &hi);
        svp_print_str(f, SVP_FMT_CSV, r->hw.name);
        fprintf(f, ",%s,", svp_param_name(p));
        svp_print_num(f, SVP_FMT_CSV, param_out(p, r->before[j]));
        fputc(',', f);
        svp_print_num(f, SVP_FMT_CSV, param_out(p, r->after[j]));
        fputc(',', f);
        svp_print_num(f, SVP_FMT_CSV, param_out(p, lo));
        fputc(',', f);
        svp_print_num(f, SVP_FMT_CSV, param_out(p, hi));
        fprintf(f, ",%s,%d\n", r->at_bound[j] < 0 ? "lower" : r->at_bound[j] > 0 ? "upper" : "",
                r->insensitive[j] != 0);
    }
    fputc('\n', f);
    fputs("id,chip,phase,measured_tps_per_chip,before_tps_per_chip,before_error_pct,"
          "after_tps_per_chip,after_error_pct\n", f);
    for (size_t i = 0; i < r->n_points; i++) {
        const svp_calib_point *pt = &r->points[i];

        svp_print_str(f, SVP_FMT_CSV, pt->dep->id);
        fputc(',', f);
        svp_print_str(f, SVP_FMT_CSV, pt->dep->chip);
        fprintf(f, ",%s,", svp_phase_name(pt->dep->phase));
        svp_print_num(f, SVP_FMT_CSV, pt->dep->measured_tps_per_chip);
        fputc(',', f);
        svp_print_num(f, SVP_FMT_CSV, pt->pred_before_tps);
        fputc(',', f);
        svp_print_num(f, SVP_FMT_CSV, pt->err_before_pct);
        fputc(',', f);
        svp_print_num(f, SVP_FMT_CSV, pt->pred_after_tps);
        fputc(',', f);
        svp_print_num(f, SVP_FMT_CSV, pt->err_after_pct);
        fputc('\n', f);
    }
}

static void cal_json(const svp_calib_result *r, FILE *f)
{
    fputs("{\"chip\": ", f);
    svp_print_str(f, SVP_FMT_JSON, r->hw.name);
    fputs(", \"error_convention\": ", f);
    svp_print_str(f, SVP_FMT_JSON, sign_convention);
    fputs(",\n \"rms_log_before\": ", f);
    svp_print_num(f, SVP_FMT_JSON, r->rms_log_before);
    fputs(", \"rms_log_after\": ", f);
    svp_print_num(f, SVP_FMT_JSON, r->rms_log_after);
    fprintf(f, ", \"iterations\": %d,\n \"parameters\": [", r->iterations);
    for (size_t j = 0; j < r->n_params; j++) {
        svp_param p = r->params[j];
        double lo, hi;

        svp_param_bounds(p, &lo, &hi);
        fprintf(f, "%s\n  {\"parameter\": \"%s\", \"before\": ", j > 0 ? "," : "",
                svp_param_name(p));
        svp_print_num(f, SVP_FMT_JSON, param_out(p, r->before[j]));
        fputs(", \"after\": ", f);
        svp_print_num(f, SVP_FMT_JSON, param_out(p, r->after[j]));
        fputs(", \"lower_bound\": ", f);
        svp_print_num(f, SVP_FMT_JSON, param_out(p, lo));
        fputs(", \"upper_bound\": ", f);
        svp_print_num(f, SVP_FMT_JSON, param_out(p, hi));
        fprintf(f, ", \"at_bound\": %s, \"insensitive\": %s}",
                r->at_bound[j] < 0 ? "\"lower\"" : r->at_bound[j] > 0 ? "\"upper\"" : "null",
                r->insensitive[j] ? "true" : "false");
    }
    fputs("\n ],\n \"points\": [", f);
    for (size_t i = 0; i < r->n_points; i++) {
        const svp_calib_point *pt = &r->points[i];

        fputs(i > 0 ? ",\n  {\"id\": " : "\n  {\"id\": ", f);
        svp_print_str(f, SVP_FMT_JSON, pt->dep->id);
        fprintf(f, ", \"phase\": \"%s\", \"measured_tps_per_chip\": ",
                svp_phase_name(pt->dep->phase));
        svp_print_num(f, SVP_FMT_JSON, pt->dep->measured_tps_per_chip);
        fputs(", \"before_tps_per_chip\": ", f);
        svp_print_num(f, SVP_FMT_JSON, pt->pred_before_tps);
        fputs(", \"before_error_pct\": ", f);
        svp_print_num(f, SVP_FMT_JSON, pt->err_before_pct);
        fputs(", \"after_tps_per_chip\": ", f);
        svp_print_num(f, SVP_FMT_JSON, pt->pred_after_tps);
        fputs(", \"after_error_pct\": ", f);
        svp_print_num(f, SVP_FMT_JSON, pt->err_after_pct);
        fputc('}', f);
    }
    fputs("\n ]\n}\n", f);
}

int svp_cli_calibrate(const svp_cli_val_args *a, const svp_hw_table *hw, const svp_model *m)
{
    svp_deployment_table deps;
    svp_calib_result res;
    svp_param params[SVP_PAR_COUNT];
    size_t n_params = 0;
    svp_diag d;
    svp_err err = SVP_OK;
    const svp_hw *old;

    memset(&deps, 0, sizeof deps);
    memset(&res, 0, sizeof res);
    svp_diag_clear(&d);
    if (a->n_chips != 1) {
        err = svp_diag_set(&d, SVP_ERR_USAGE, NULL, 0, NULL,
                           "calibrate fits one chip: give exactly one --chip (got %zu)",
                           a->n_chips);
        goto fail;
    }
    if (a->params != NULL && (err = parse_params(a->params, params, &n_params, &d)) != SVP_OK)
        goto fail;
    if (a->out_hardware != NULL && same_file(a->out_hardware, a->hardware)) {
        err = svp_diag_set(&d, SVP_ERR_USAGE, NULL, 0, NULL,
                           "--out-hardware %s is the hardware file in force; calibrate never "
                           "edits it in place: write to another file and pass it with "
                           "--hardware", a->out_hardware);
        goto fail;
    }
    note_ignored_switches(a);
    err = svp_read_deployments(a->deployments, &deps, &d);
    if (err != SVP_OK)
        goto fail;
    err = svp_calibrate_chip(hw, m, &deps, a->chips[0], a->opts, n_params > 0 ? params : NULL,
                             n_params, &res, &d);
    if (err != SVP_OK)
        goto fail;
    if (a->params != NULL && n_params >= res.n_points)
        note(a, "%zu free parameter%s for %zu point%s: the fit can pass through every point "
                "and says little about the others", n_params, n_params == 1 ? "" : "s",
             res.n_points, res.n_points == 1 ? "" : "s");

    old = svp_hw_find(hw, a->chips[0]);
    calibrated_source(&res.hw, &res, deps.file, old->eff_source);
    if (a->out_hardware != NULL &&
        (err = write_hardware(a->out_hardware, hw, &res.hw, &d)) != SVP_OK)
        goto fail;

    errno = 0;
    if (a->fmt == SVP_FMT_CSV)
        cal_csv(&res, stdout);
    else if (a->fmt == SVP_FMT_JSON)
        cal_json(&res, stdout);
    else
        cal_text(a, &res, deps.file, stdout);
    if (ferror(stdout))
        err = stdout_error(&d);
    else if (a->fmt != SVP_FMT_TEXT && a->out_hardware != NULL)
        note(a, "wrote %s", a->out_hardware);

fail:
    svp_calib_result_fini(&res);
    svp_deployment_table_fini(&deps);
    return err == SVP_OK ? SVP_EXIT_OK : fail_code(err, &d);
}
