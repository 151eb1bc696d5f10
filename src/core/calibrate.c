/*
 * calibrate.c - fitting a chip's efficiency and overhead parameters to
 * measured deployments (calibrate.h, MODEL.md section 9).
 *
 * Pure: no I/O; the only allocation is the per-point result array, through
 * alloc.h.  The fit is least squares on r_i = log(predicted_i / measured_i)
 * over the chip's points, throughput only.  Each free parameter is mapped to
 * a working variable in which the model is close to linear and the bounds
 * are a box: an efficiency enters the step time as 1/eff, so it is fitted as
 * log(eff) in [log 0.05, 0]; a time enters additively, so it is fitted as
 * t / t_max in [0, 1].  The optimizer is Levenberg-Marquardt with forward
 * differences, projected onto the box: a variable at a bound whose gradient
 * points outwards is held there for that iteration.  Everything is
 * deterministic: fixed start (the chip's current values), fixed steps.
 */
#include <math.h>
#include <string.h>

#include "servplan/alloc.h"
#include "servplan/calibrate.h"
#include "servplan/units.h"

/* ---- parameters ---------------------------------------------------------- */

static const char *const par_names[SVP_PAR_COUNT] = {
    [SVP_PAR_EFF_GEMM] = "eff_gemm",
    [SVP_PAR_EFF_ATTN] = "eff_attn",
    [SVP_PAR_EFF_MEM] = "eff_mem",
    [SVP_PAR_EFF_ATTN_MEM] = "eff_attn_mem",
    [SVP_PAR_EFF_NET_UP] = "eff_net_up",
    [SVP_PAR_EFF_NET_OUT] = "eff_net_out",
    [SVP_PAR_COLL_LATENCY] = "coll_latency_us",
    [SVP_PAR_LAYER_OVERHEAD] = "layer_overhead_us",
    [SVP_PAR_STEP_OVERHEAD] = "step_overhead_us",
};

/* Physical relevance for a default fit (calibrate.h), most
 * installation-specific first.  The scale-out efficiency is a property of
 * the cluster's fabric (NICs per GPU, switches, congestion, other tenants),
 * and its default comes from DeepEP's benchmark on an idle fabric; for the
 * multi-node expert-parallel deployments DeepSeek-V3 runs on it sets the
 * step.  Then the engine's fixed costs, which no kernel measurement pins
 * down (per-step scheduling and sampling: none at all; per-layer vector
 * operators and launches: planners' 2 µs-per-op guesses), the remaining
 * fabric figures (collective latency, scale-up efficiency), and last the
 * kernel efficiencies DeepGEMM and FlashMLA measured directly, which are
 * the same kernels wherever the chip runs.  README "Validation" gives the
 * points that showed why the scale-out efficiency comes first. */
static const svp_param default_order[SVP_PAR_COUNT] = {
    SVP_PAR_EFF_NET_OUT, SVP_PAR_STEP_OVERHEAD, SVP_PAR_LAYER_OVERHEAD,
    SVP_PAR_COLL_LATENCY, SVP_PAR_EFF_NET_UP, SVP_PAR_EFF_GEMM, SVP_PAR_EFF_MEM,
    SVP_PAR_EFF_ATTN, SVP_PAR_EFF_ATTN_MEM,
};

/* Plausible ranges (README "Validation").  Efficiencies: never above the
 * datasheet peak; below 5% a kernel is broken, not slow.  Collective
 * latency and per-layer overhead: up to 5 ms, 250x the 10-20 µs that
 * aiconfigurator and msmodeling charge.  Per-step overhead: up to 100 ms,
 * the seed's whole TPOT budget. */
#define EFF_MIN 0.05
#define EFF_MAX 1.0
#define PER_OP_MAX_S (5.0 * SVP_MS)
#define PER_STEP_MAX_S (100.0 * SVP_MS)

const char *svp_param_name(svp_param p)
{
    return (unsigned)p < SVP_PAR_COUNT ? par_names[p] : "unknown";
}

int svp_param_parse(const char *s, svp_param *out)
{
    for (int i = 0; i < SVP_PAR_COUNT; i++) {
        const char *name = par_names[i];
        size_t n = strlen(name);
        size_t ns = strlen(s);
        /* "layer_overhead" for "layer_overhead_us". */
        int short_ok = n > 3 && strcmp(name + n - 3, "_us") == 0 && ns == n - 3 &&
                       strncmp(s, name, ns) == 0;
        if (strcmp(s, name) == 0 || short_ok) {
            *out = (svp_param)i;
            return 0;
        }
    }
    return -1;
}

int svp_param_is_time(svp_param p)
{
    return p == SVP_PAR_COLL_LATENCY || p == SVP_PAR_LAYER_OVERHEAD ||
           p == SVP_PAR_STEP_OVERHEAD;
}

double svp_param_get(const svp_hw *hw, svp_param p)
{
    switch (p) {
    case SVP_PAR_EFF_GEMM: return hw->eff_gemm;
    case SVP_PAR_EFF_ATTN: return hw->eff_attn;
    case SVP_PAR_EFF_MEM: return hw->eff_mem;
    case SVP_PAR_EFF_ATTN_MEM: return hw->eff_attn_mem > 0.0 ? hw->eff_attn_mem : hw->eff_mem;
    case SVP_PAR_EFF_NET_UP: return hw->eff_net_up;
    case SVP_PAR_EFF_NET_OUT: return hw->eff_net_out;
    case SVP_PAR_COLL_LATENCY: return hw->coll_latency_s;
    case SVP_PAR_LAYER_OVERHEAD: return hw->layer_overhead_s;
    case SVP_PAR_STEP_OVERHEAD: return hw->step_overhead_s;
    case SVP_PAR_COUNT: break;
    }
    return 0.0;
}

void svp_param_set(svp_hw *hw, svp_param p, double v)
{
    switch (p) {
    case SVP_PAR_EFF_GEMM: hw->eff_gemm = v; break;
    case SVP_PAR_EFF_ATTN: hw->eff_attn = v; break;
    case SVP_PAR_EFF_MEM: hw->eff_mem = v; break;
    case SVP_PAR_EFF_ATTN_MEM: hw->eff_attn_mem = v; break;
    case SVP_PAR_EFF_NET_UP: hw->eff_net_up = v; break;
    case SVP_PAR_EFF_NET_OUT: hw->eff_net_out = v; break;
    case SVP_PAR_COLL_LATENCY: hw->coll_latency_s = v; break;
    case SVP_PAR_LAYER_OVERHEAD: hw->layer_overhead_s = v; break;
    case SVP_PAR_STEP_OVERHEAD: hw->step_overhead_s = v; break;
    case SVP_PAR_COUNT: break;
    }
}

void svp_param_bounds(svp_param p, double *lo, double *hi)
{
    if (!svp_param_is_time(p)) {
        *lo = EFF_MIN;
        *hi = EFF_MAX;
    } else {
        *lo = 0.0;
        *hi = p == SVP_PAR_STEP_OVERHEAD ? PER_STEP_MAX_S : PER_OP_MAX_S;
    }
}

svp_param svp_calib_order(size_t i)
{
    return i < SVP_PAR_COUNT ? default_order[i] : SVP_PAR_COUNT;
}

void svp_calib_result_fini(svp_calib_result *r)
{
    if (r == NULL)
        return;
    svp_free(r->points);
    r->points = NULL;
    r->n_points = 0;
}

/* ---- working variables --------------------------------------------------- */

/* Value <-> working variable, and the variable's box. */
static double to_var(svp_param p, double x)
{
    double lo, hi;

    svp_param_bounds(p, &lo, &hi);
    if (x < lo)
        x = lo;
    if (x > hi)
        x = hi;
    return svp_param_is_time(p) ? x / hi : log(x);
}

static double from_var(svp_param p, double v)
{
    double lo, hi, x;

    svp_param_bounds(p, &lo, &hi);
    x = svp_param_is_time(p) ? v * hi : exp(v);
    /* exp(log(x)) may land an ulp outside the box. */
    if (x < lo)
        x = lo;
    if (x > hi)
        x = hi;
    return x;
}

static void var_box(svp_param p, double *vlo, double *vhi)
{
    double lo, hi;

    svp_param_bounds(p, &lo, &hi);
    if (svp_param_is_time(p)) {
        *vlo = 0.0;
        *vhi = 1.0;
    } else {
        *vlo = log(lo);
        *vhi = log(hi);
    }
}

/* x rounded to 4 significant digits: what the written hardware file holds
 * and what the "after" errors are computed with, so the two never differ. */
static double round4(double x)
{
    if (x == 0.0 || !isfinite(x))
        return x;
    double e = floor(log10(fabs(x)));
    double scale = pow(10.0, 3.0 - e);
    return round(x * scale) / scale;
}

/* ---- the objective ------------------------------------------------------- */

typedef struct fit {
    const svp_calib_problem *pb;
    svp_hw hw;                 /* scratch copy the variables are written into */
    size_t n;                  /* free parameters */
    size_t m;                  /* points */
} fit;

/* Predicted throughput of point i with fit->hw; 0 when it has no metrics. */
static double predict(const fit *f, size_t i)
{
    svp_metrics met;

    svp_deployment_eval(&f->hw, f->pb->model, f->pb->points[i], f->pb->base, &met, NULL);
    return met.has_metrics ? met.tps_per_chip : 0.0;
}

static void set_vars(fit *f, const double *v)
{
    for (size_t j = 0; j < f->n; j++)
        svp_param_set(&f->hw, f->pb->params[j], from_var(f->pb->params[j], v[j]));
}

/* r[i] = log(pred_i / measured_i); returns the sum of squares. */
static double residuals(fit *f, const double *v, double *r)
{
    double sum = 0.0;

    set_vars(f, v);
    for (size_t i = 0; i < f->m; i++) {
        double pred = predict(f, i);
        r[i] = log(pred / f->pb->points[i]->measured_tps_per_chip);
        sum += r[i] * r[i];
    }
    return sum;
}

/* Solves the n x n system a x = b (a is overwritten) by Gaussian
 * elimination with partial pivoting.  Returns -1 when a pivot vanishes. */
static int solve(double *a, double *b, double *x, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t piv = k;
        for (size_t i = k + 1; i < n; i++) {
            if (fabs(a[i * n + k]) > fabs(a[piv * n + k]))
                piv = i;
        }
        if (!(fabs(a[piv * n + k]) > 1e-300))
            return -1;
        if (piv != k) {
            for (size_t j = 0; j < n; j++) {
                double t = a[k * n + j];
                a[k * n + j] = a[piv * n + j];
                a[piv * n + j] = t;
            }
            double t = b[k];
            b[k] = b[piv];
            b[piv] = t;
        }
        for (size_t i = k + 1; i < n; i++) {
            double f = a[i * n + k] / a[k * n + k];
            for (size_t j = k; j < n; j++)
                a[i * n + j] -= f * a[k * n + j];
            b[i] -= f * b[k];
        }
    }
    for (size_t k = n; k-- > 0;) {
        double s = b[k];
        for (size_t j = k + 1; j < n; j++)
            s -= a[k * n + j] * x[j];
        x[k] = s / a[k * n + k];
    }
    return 0;
}

/* Iteration limits: a handful of parameters converge in tens of
 * iterations; the caps only stop a pathological case. */
#define MAX_ITER 200
#define MAX_TRIES 40
#define FD_STEP 1e-7          /* forward-difference step, in working units */
#define LAMBDA0 1e-3
#define LAMBDA_MIN 1e-12
#define LAMBDA_MAX 1e12

/* Least squares on the working variables v[0..n) (in: start, out: optimum).
 * jac (m x n), r and r_try (m) are the caller's scratch arrays.  Returns the
 * number of iterations; fills insensitive[j] when no point depends on
 * parameter j at the last Jacobian. */
static int lm(fit *f, double *v, double *jac, double *r, double *r_try, int *insensitive)
{
    size_t n = f->n, m = f->m;
    double vlo[SVP_PAR_COUNT], vhi[SVP_PAR_COUNT];
    double g[SVP_PAR_COUNT], delta[SVP_PAR_COUNT], v_try[SVP_PAR_COUNT];
    double a[SVP_PAR_COUNT * SVP_PAR_COUNT], b[SVP_PAR_COUNT];
    size_t idx[SVP_PAR_COUNT];
    double lambda = LAMBDA0;
    double cost = residuals(f, v, r);
    int iter;

    for (size_t j = 0; j < n; j++) {
        var_box(f->pb->params[j], &vlo[j], &vhi[j]);
        insensitive[j] = 0;
    }

    for (iter = 0; iter < MAX_ITER; iter++) {
        /* An exact fit (synthetic data) needs no more work. */
        if (cost < 1e-26)
            break;
        /* Jacobian by forward differences (backwards at the upper bound). */
        for (size_t j = 0; j < n; j++) {
            double save = v[j];
            double h = v[j] + FD_STEP <= vhi[j] ? FD_STEP : -FD_STEP;
            v[j] = save + h;
            residuals(f, v, r_try);
            v[j] = save;
            double norm = 0.0;
            for (size_t i = 0; i < m; i++) {
                jac[i * n + j] = (r_try[i] - r[i]) / h;
                norm += jac[i * n + j] * jac[i * n + j];
            }
            insensitive[j] = !(norm > 1e-20);
        }
        set_vars(f, v);

        /* Free variables: sensitive ones not pinned at a bound by a
         * gradient pointing outwards. */
        size_t nf = 0;
        for (size_t j = 0; j < n; j++) {
            g[j] = 0.0;
            for (size_t i = 0; i < m; i++)
                g[j] += jac[i * n + j] * r[i];
            int pinned = (v[j] <= vlo[j] && g[j] > 0.0) || (v[j] >= vhi[j] && g[j] < 0.0);
            if (!insensitive[j] && !pinned)
                idx[nf++] = j;
        }
        if (nf == 0)
            break;

        int improved = 0;
        double cost_try = cost;
        for (int t = 0; t < MAX_TRIES && !improved; t++) {
            for (size_t p = 0; p < nf; p++) {
                for (size_t q = 0; q < nf; q++) {
                    double s = 0.0;
                    for (size_t i = 0; i < m; i++)
                        s += jac[i * n + idx[p]] * jac[i * n + idx[q]];
                    a[p * nf + q] = s;
                }
                b[p] = -g[idx[p]];
            }
            /* Marquardt's scaling: damp each direction by its own curvature. */
            for (size_t p = 0; p < nf; p++)
                a[p * nf + p] *= 1.0 + lambda;
            for (size_t j = 0; j < n; j++)
                v_try[j] = v[j];
            if (solve(a, b, delta, nf) == 0) {
                for (size_t p = 0; p < nf; p++) {
                    size_t j = idx[p];
                    double x = v[j] + delta[p];
                    v_try[j] = x < vlo[j] ? vlo[j] : x > vhi[j] ? vhi[j] : x;
                }
                cost_try = residuals(f, v_try, r_try);
                improved = cost_try < cost;
            }
            if (improved) {
                lambda = lambda / 10.0 < LAMBDA_MIN ? LAMBDA_MIN : lambda / 10.0;
            } else {
                lambda *= 10.0;
                if (lambda > LAMBDA_MAX)
                    break;
            }
        }
        if (!improved) {
            set_vars(f, v);
            break;   /* a stationary point of the projected problem */
        }
        double step = 0.0;
        for (size_t j = 0; j < n; j++) {
            double s = fabs(v_try[j] - v[j]);
            step = s > step ? s : step;
            v[j] = v_try[j];
        }
        double gain = cost - cost_try;
        cost = cost_try;
        for (size_t i = 0; i < m; i++)
            r[i] = r_try[i];
        if (step < 1e-12 || gain <= 1e-15 * cost)
            break;
    }
    set_vars(f, v);
    return iter;
}

/* Does any point's prediction move when p moves a little (0.05 in working
 * units, inwards from a bound)? */
static int sensitive(const svp_hw *hw, const svp_model *m, const svp_opts *base,
                     const svp_deployment *const *points, size_t n_points, svp_param p)
{
    svp_hw moved = *hw;
    double vlo, vhi, v = to_var(p, svp_param_get(hw, p));

    var_box(p, &vlo, &vhi);
    svp_param_set(&moved, p, from_var(p, v + 0.05 <= vhi ? v + 0.05 : v - 0.05));
    for (size_t i = 0; i < n_points; i++) {
        svp_metrics a, b;

        svp_deployment_eval(hw, m, points[i], base, &a, NULL);
        svp_deployment_eval(&moved, m, points[i], base, &b, NULL);
        if (a.has_metrics && b.has_metrics &&
            fabs(b.tps_per_chip - a.tps_per_chip) > 1e-9 * a.tps_per_chip)
            return 1;
    }
    return 0;
}

size_t svp_calib_default_params(const svp_hw *hw, const svp_model *m, const svp_opts *base,
                                const svp_deployment *const *points, size_t n_points,
                                svp_param out[SVP_PAR_COUNT])
{
    size_t k_max = n_points > 0 ? n_points - 1 : 0, k = 0;

    for (size_t i = 0; i < SVP_PAR_COUNT && k < k_max; i++) {
        if (sensitive(hw, m, base, points, n_points, default_order[i]))
            out[k++] = default_order[i];
    }
    return k;
}

/* ---- calibration ----------------------------------------------------------- */

svp_err svp_calibrate(const svp_calib_problem *pb, svp_calib_result *res, svp_diag *d)
{
    fit *f = NULL;
    double *jac = NULL, *r = NULL, *r_try = NULL;
    double v[SVP_PAR_COUNT] = {0};
    int insensitive[SVP_PAR_COUNT] = {0};
    svp_err err = SVP_OK;
    size_t i, j;

    memset(res, 0, sizeof *res);
    if (pb->n_points == 0) {
        err = svp_diag_set(d, SVP_ERR_DATA, NULL, 0, NULL,
                           "calibrate: no measured deployment of chip '%s' to fit",
                           pb->hw->name);
        goto fail;
    }
    if (pb->n_params == 0 || pb->n_params > SVP_PAR_COUNT) {
        err = svp_diag_set(d, SVP_ERR_USAGE, NULL, 0, NULL,
                           "calibrate: no free parameter to fit for chip '%s'", pb->hw->name);
        goto fail;
    }
    for (j = 0; j < pb->n_params; j++) {
        for (size_t k = 0; k < j; k++) {
            if (pb->params[k] == pb->params[j]) {
                err = svp_diag_set(d, SVP_ERR_USAGE, NULL, 0, NULL,
                                   "calibrate: parameter %s listed twice",
                                   svp_param_name(pb->params[j]));
                goto fail;
            }
        }
    }

    f = svp_calloc(1, sizeof *f);
    jac = svp_calloc(pb->n_points * pb->n_params, sizeof *jac);
    r = svp_calloc(pb->n_points, sizeof *r);
    r_try = svp_calloc(pb->n_points, sizeof *r_try);
    res->points = svp_calloc(pb->n_points, sizeof *res->points);
    if (f == NULL || jac == NULL || r == NULL || r_try == NULL || res->points == NULL) {
        err = svp_diag_set(d, SVP_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto fail;
    }
    f->pb = pb;
    f->hw = *pb->hw;
    f->n = pb->n_params;
    f->m = pb->n_points;
    res->n_points = pb->n_points;
    res->n_params = pb->n_params;

    /* Before: the row as given.  A point without metrics (a structural
     * infeasibility) cannot be fitted; no parameter changes that. */
    double ss = 0.0;
    for (i = 0; i < f->m; i++) {
        const svp_deployment *dep = pb->points[i];
        svp_metrics met;

        svp_deployment_eval(pb->hw, pb->model, dep, pb->base, &met, NULL);
        if (!met.has_metrics) {
            err = svp_diag_set(d, SVP_ERR_DATA, NULL, 0, NULL,
                               "calibrate: deployment '%s' cannot be evaluated on %s: %s",
                               dep->id, pb->hw->name, svp_reason_text(met.reason));
            goto fail;
        }
        res->points[i].dep = dep;
        res->points[i].pred_before_tps = met.tps_per_chip;
        res->points[i].err_before_pct =
            (met.tps_per_chip - dep->measured_tps_per_chip) / dep->measured_tps_per_chip * 100.0;
        double lr = log(met.tps_per_chip / dep->measured_tps_per_chip);
        ss += lr * lr;
    }
    res->rms_log_before = sqrt(ss / (double)f->m);

    for (j = 0; j < f->n; j++) {
        res->params[j] = pb->params[j];
        res->before[j] = svp_param_get(pb->hw, pb->params[j]);
        v[j] = to_var(pb->params[j], res->before[j]);
    }
    res->iterations = lm(f, v, jac, r, r_try, insensitive);

    /* After: rounded values, then the points again with exactly them. */
    res->hw = *pb->hw;
    for (j = 0; j < f->n; j++) {
        svp_param p = pb->params[j];
        double lo, hi, x;

        svp_param_bounds(p, &lo, &hi);
        x = insensitive[j] ? res->before[j] : round4(from_var(p, v[j]));
        if (!insensitive[j]) {
            x = x < lo ? lo : x > hi ? hi : x;
        }
        res->after[j] = x;
        res->insensitive[j] = insensitive[j];
        res->at_bound[j] = x <= lo ? -1 : x >= hi ? 1 : 0;
        svp_param_set(&res->hw, p, x);
    }
    ss = 0.0;
    for (i = 0; i < f->m; i++) {
        const svp_deployment *dep = pb->points[i];
        svp_metrics met;

        svp_deployment_eval(&res->hw, pb->model, dep, pb->base, &met, NULL);
        res->points[i].pred_after_tps = met.tps_per_chip;
        res->points[i].err_after_pct =
            (met.tps_per_chip - dep->measured_tps_per_chip) / dep->measured_tps_per_chip * 100.0;
        double lr = log(met.tps_per_chip / dep->measured_tps_per_chip);
        ss += lr * lr;
    }
    res->rms_log_after = sqrt(ss / (double)f->m);

fail:
    if (err != SVP_OK) {
        svp_free(res->points);
        memset(res, 0, sizeof *res);
    }
    svp_free(f);
    svp_free(jac);
    svp_free(r);
    svp_free(r_try);
    return err;
}

/* Appends s to buf[size] (always NUL-terminated, truncated if full). */
static void append(char *buf, size_t size, const char *s)
{
    size_t n = strlen(buf), k = strlen(s);

    if (n + 1 >= size)
        return;
    if (k > size - 1 - n)
        k = size - 1 - n;
    memcpy(buf + n, s, k);
    buf[n + k] = '\0';
}

svp_err svp_calibrate_chip(const svp_hw_table *hw, const svp_model *m,
                           const svp_deployment_table *deps, const char *chip,
                           const svp_opts *base, const svp_param *params, size_t n_params,
                           svp_calib_result *res, svp_diag *d)
{
    const svp_deployment **pts = NULL;
    svp_param defaults[SVP_PAR_COUNT];
    svp_calib_problem pb;
    const svp_hw *row = svp_hw_find(hw, chip);
    size_t n = 0, i;
    svp_err err = SVP_OK;

    memset(res, 0, sizeof *res);
    if (row == NULL) {
        err = svp_diag_set(d, SVP_ERR_USAGE, NULL, 0, NULL,
                           "calibrate: unknown chip '%s' (not in the hardware table)", chip);
        goto fail;
    }
    pts = svp_calloc(deps->n > 0 ? deps->n : 1, sizeof(const svp_deployment *));
    if (pts == NULL) {
        err = svp_diag_set(d, SVP_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto fail;
    }
    for (i = 0; i < deps->n; i++) {
        if (strcmp(deps->rows[i].chip, chip) == 0)
            pts[n++] = &deps->rows[i];
    }
    if (n == 0) {
        char have[512] = "";

        for (i = 0; i < deps->n; i++) {
            size_t k;
            for (k = 0; k < i; k++) {
                if (strcmp(deps->rows[k].chip, deps->rows[i].chip) == 0)
                    break;
            }
            if (k < i)
                continue;
            append(have, sizeof have, have[0] != '\0' ? ", " : "");
            append(have, sizeof have, deps->rows[i].chip);
        }
        err = svp_diag_set(d, SVP_ERR_DATA, deps->file, 0, NULL,
                           "no measured deployment of chip '%s' to calibrate on "
                           "(rows exist for: %s)", chip, have[0] != '\0' ? have : "none");
        goto fail;
    }
    if (params == NULL || n_params == 0) {
        n_params = svp_calib_default_params(row, m, base, pts, n, defaults);
        params = defaults;
        if (n_params == 0) {
            err = svp_diag_set(d, SVP_ERR_USAGE, NULL, 0, NULL,
                               "calibrate: chip '%s' has %zu measured deployment%s; fitting "
                               "keeps fewer free parameters than points, so none is free by "
                               "default; name the parameters to fit with --params "
                               "(e.g. --params step_overhead_us)",
                               chip, n, n == 1 ? "" : "s");
            goto fail;
        }
    }
    pb.hw = row;
    pb.model = m;
    pb.base = base;
    pb.points = pts;
    pb.n_points = n;
    pb.params = params;
    pb.n_params = n_params;
    err = svp_calibrate(&pb, res, d);

fail:
    svp_free(pts);
    return err;
}
