/*
 * validate.c - predicted vs measured for every deployment row, and the
 * leave-one-out figure (calibrate.h); the row -> problem mapping (deploy.h).
 *
 * Pure: no I/O; allocation via alloc.h only for scratch arrays.  It decides
 * nothing about presentation: the CLI and the workbook format what it
 * returns.  Error sign convention: (predicted - measured) / measured x 100.
 */
#include <math.h>
#include <string.h>

#include "servplan/alloc.h"
#include "servplan/calibrate.h"
#include "servplan/deploy.h"

void svp_deployment_table_fini(svp_deployment_table *t)
{
    if (t == NULL)
        return;
    svp_free(t->rows);
    t->rows = NULL;
    t->n = 0;
}

void svp_deployment_setup(const svp_deployment *dep, const svp_opts *base,
                          svp_scenario *sc, svp_config *cfg, svp_opts *o)
{
    memset(sc, 0, sizeof *sc);
    {
        size_t n = strlen(dep->id);
        if (n >= sizeof sc->name)
            n = sizeof sc->name - 1;
        memcpy(sc->name, dep->id, n);
        sc->name[n] = '\0';
    }
    sc->phase = dep->phase;
    sc->input_len = dep->input_len;
    sc->output_len = dep->phase == SVP_PHASE_DECODE ? dep->output_len : 0;
    /* No SLO: a measurement is what it is; svp_eval reads a limit of 0 as
     * none, so the only resource verdict left is DRAM. */
    sc->max_tpot_s = 0.0;
    sc->max_ftl_s = 0.0;

    *cfg = dep->cfg;

    *o = *base;
    o->tbo = dep->tbo;
    o->mtp_draft = dep->mtp_draft;
    o->mtp_accept = dep->mtp_accept;
    o->weight_dtype = dep->weight_dtype;
    o->kv_dtype = dep->kv_dtype;
}

void svp_deployment_eval(const svp_hw *hw, const svp_model *m, const svp_deployment *dep,
                         const svp_opts *base, svp_metrics *out, svp_breakdown *bd)
{
    svp_scenario sc;
    svp_config cfg;
    svp_opts o;

    svp_deployment_setup(dep, base, &sc, &cfg, &o);
    svp_eval(hw, m, &sc, &cfg, &o, out, bd);
}

const char *svp_deployment_latency_kind(const svp_deployment *dep)
{
    return dep->phase == SVP_PHASE_DECODE ? "tpot" : "ftl";
}

const char *svp_loo_basis_name(svp_loo_basis b)
{
    switch (b) {
    case SVP_LOO_NONE: return "-";
    case SVP_LOO_FITTED: return "fitted";
    case SVP_LOO_DEFAULTS: return "defaults";
    }
    return "unknown";
}

static double err_pct(double pred, double meas)
{
    return (pred - meas) / meas * 100.0;
}

/* Median of x[0..n), n >= 1; sorts x (insertion sort: a few dozen rows). */
static double median(double *x, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        double v = x[i];
        size_t j = i;
        while (j > 0 && x[j - 1] > v) {
            x[j] = x[j - 1];
            j--;
        }
        x[j] = v;
    }
    return n % 2 == 1 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

/* Row i predicted by parameters fitted on the other predicted rows of its
 * chip (others: scratch of deps->n pointers). */
static svp_err leave_one_out(const svp_model *m, const svp_deployment_table *deps,
                             const svp_opts *base, svp_val_row *rows, size_t i,
                             const svp_deployment **others, svp_diag *d)
{
    svp_val_row *row = &rows[i];
    svp_calib_problem pb;
    svp_calib_result res;
    svp_param params[SVP_PAR_COUNT];
    size_t n = 0, k;
    svp_err err;

    for (size_t j = 0; j < deps->n; j++) {
        if (j != i && rows[j].has_pred && rows[j].hw == row->hw)
            others[n++] = rows[j].dep;
    }
    k = svp_calib_default_params(row->hw, m, base, others, n, params);
    if (k == 0) {
        row->loo_basis = SVP_LOO_DEFAULTS;
        row->loo_n_rows = n;
        row->loo_n_params = 0;
        row->loo_tps = row->pred_tps;
        row->loo_err_pct = row->err_pct;
        return SVP_OK;
    }
    pb.hw = row->hw;
    pb.model = m;
    pb.base = base;
    pb.points = others;
    pb.n_points = n;
    pb.params = params;
    pb.n_params = k;
    err = svp_calibrate(&pb, &res, d);
    if (err != SVP_OK)
        return err;

    svp_metrics met;
    svp_deployment_eval(&res.hw, m, row->dep, base, &met, NULL);
    row->loo_basis = SVP_LOO_FITTED;
    row->loo_n_rows = n;
    row->loo_n_params = k;
    for (size_t j = 0; j < k; j++)
        row->loo_params[j] = params[j];
    row->loo_tps = met.tps_per_chip;
    row->loo_err_pct = err_pct(met.tps_per_chip, row->meas_tps);
    svp_calib_result_fini(&res);
    return SVP_OK;
}

svp_err svp_validate_all(const svp_hw_table *hw, const svp_model *m,
                         const svp_deployment_table *deps, const svp_opts *base, int cross,
                         svp_val_row *rows, svp_val_summary *sum, svp_diag *d)
{
    const svp_deployment **others = NULL;
    double *abs_err = NULL;
    svp_err err = SVP_OK;
    size_t i, n_pred = 0;

    memset(sum, 0, sizeof *sum);
    sum->n_rows = deps->n;
    for (i = 0; i < deps->n; i++) {
        const svp_deployment *dep = &deps->rows[i];
        svp_val_row *row = &rows[i];

        memset(row, 0, sizeof *row);
        row->dep = dep;
        row->meas_tps = dep->measured_tps_per_chip;
        row->meas_latency_s = dep->measured_latency_s;
        row->hw = svp_hw_find(hw, dep->chip);
        if (row->hw == NULL) {
            err = svp_diag_set(d, SVP_ERR_DATA, deps->file, dep->line, "chip",
                               "row '%s': chip \"%s\" is not in the hardware table",
                               dep->id, dep->chip);
            goto fail;
        }
        svp_deployment_eval(row->hw, m, dep, base, &row->m, NULL);
        row->has_pred = row->m.has_metrics;
        if (!row->has_pred)
            continue;
        n_pred++;
        row->pred_tps = row->m.tps_per_chip;
        row->err_pct = err_pct(row->pred_tps, row->meas_tps);
        row->pred_latency_s = dep->phase == SVP_PHASE_DECODE ? row->m.tpot_s : row->m.ftl_s;
        if (row->meas_latency_s > 0.0) {
            row->has_latency_err = 1;
            row->latency_err_pct = err_pct(row->pred_latency_s, row->meas_latency_s);
        }
        if (row->m.reason != SVP_FEASIBLE)
            sum->n_infeasible++;
    }
    sum->n_pred = n_pred;

    if (cross && n_pred > 0) {
        others = svp_calloc(deps->n, sizeof(const svp_deployment *));
        if (others == NULL) {
            err = svp_diag_set(d, SVP_ERR_NOMEM, NULL, 0, NULL, "out of memory");
            goto fail;
        }
        for (i = 0; i < deps->n; i++) {
            if (!rows[i].has_pred)
                continue;
            err = leave_one_out(m, deps, base, rows, i, others, d);
            if (err != SVP_OK)
                goto fail;
            if (rows[i].loo_basis == SVP_LOO_DEFAULTS)
                sum->loo_n_defaults++;
        }
        sum->has_loo = 1;
    }

    if (n_pred > 0) {
        size_t k = 0;

        abs_err = svp_calloc(n_pred, sizeof *abs_err);
        if (abs_err == NULL) {
            err = svp_diag_set(d, SVP_ERR_NOMEM, NULL, 0, NULL, "out of memory");
            goto fail;
        }
        for (i = 0; i < deps->n; i++) {
            if (!rows[i].has_pred)
                continue;
            abs_err[k++] = fabs(rows[i].err_pct);
            if (k == 1 || fabs(rows[i].err_pct) > sum->worst_abs_err_pct) {
                sum->worst_abs_err_pct = fabs(rows[i].err_pct);
                sum->worst_row = i;
            }
        }
        sum->median_abs_err_pct = median(abs_err, n_pred);
        if (sum->has_loo) {
            k = 0;
            for (i = 0; i < deps->n; i++) {
                if (!rows[i].has_pred)
                    continue;
                abs_err[k++] = fabs(rows[i].loo_err_pct);
                if (k == 1 || fabs(rows[i].loo_err_pct) > sum->loo_worst_abs_err_pct) {
                    sum->loo_worst_abs_err_pct = fabs(rows[i].loo_err_pct);
                    sum->loo_worst_row = i;
                }
            }
            sum->loo_median_abs_err_pct = median(abs_err, n_pred);
        }
    }

fail:
    svp_free(others);
    svp_free(abs_err);
    return err;
}
