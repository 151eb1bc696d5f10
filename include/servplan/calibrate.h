/*
 * calibrate.h - validation against measured deployments and calibration of a
 * chip's efficiency and overhead parameters (MODEL.md section 9).
 *
 *   svp_validate_all   predicts every deployment row with the hardware table
 *                      as given and, on request, leave-one-out (each row
 *                      predicted by parameters fitted without it).
 *   svp_calibrate      fits some parameters of one chip to measurements:
 *                      least squares on log(predicted / measured) throughput,
 *                      every parameter kept inside its plausible range.
 *
 * Pure (src/core/validate.c, src/core/calibrate.c): no I/O; allocation via
 * alloc.h; deterministic (same inputs, same fit, bit for bit).
 *
 * Error sign convention, everywhere: error % = (predicted - measured) /
 * measured x 100, so a positive error means servplan is optimistic.
 */
#ifndef SERVPLAN_CALIBRATE_H
#define SERVPLAN_CALIBRATE_H

#include <stddef.h>

#include "servplan/cost.h"
#include "servplan/deploy.h"
#include "servplan/err.h"
#include "servplan/hw.h"
#include "servplan/model.h"

/* ---- parameters ---------------------------------------------------------- */

/* The parameters of MODEL.md section 9 that calibration may move. */
typedef enum svp_param {
    SVP_PAR_EFF_GEMM = 0,
    SVP_PAR_EFF_ATTN,
    SVP_PAR_EFF_MEM,
    SVP_PAR_EFF_ATTN_MEM,
    SVP_PAR_EFF_NET_UP,
    SVP_PAR_EFF_NET_OUT,
    SVP_PAR_COLL_LATENCY,
    SVP_PAR_LAYER_OVERHEAD,
    SVP_PAR_STEP_OVERHEAD,
    SVP_PAR_COUNT
} svp_param;

/* The hardware.csv column of p: "eff_gemm", ..., "coll_latency_us",
 * "layer_overhead_us", "step_overhead_us". */
const char *svp_param_name(svp_param p);
/* Parses a column name above, or the same without "_us"; 0 ok, -1 unknown. */
int svp_param_parse(const char *s, svp_param *out);
/* Non-zero for a time (SI seconds; printed in µs), zero for an efficiency. */
int svp_param_is_time(svp_param p);
/* The value of p in hw (SI). */
double svp_param_get(const svp_hw *hw, svp_param p);
void svp_param_set(svp_hw *hw, svp_param p, double v);
/* The physically plausible range of p (SI), which calibration never leaves:
 * efficiencies [0.05, 1] (never above the peak, and below 5% a kernel is
 * broken, not slow); coll_latency and layer_overhead [0, 5 ms] (per
 * collective / per layer and micro-batch: 250x the measured 10-20 µs);
 * step_overhead [0, 100 ms] (per step: a whole decode step's budget at the
 * seed's 100 ms TPOT). */
void svp_param_bounds(svp_param p, double *lo, double *hi);

/* The order in which parameters become free by default, most
 * installation-specific first: eff_net_out (the cluster's fabric), then the
 * engine's fixed costs no kernel measurement pins down (step_overhead,
 * layer_overhead), the other fabric figures (coll_latency, eff_net_up), and
 * last the kernel efficiencies DeepGEMM and FlashMLA measured (eff_gemm,
 * eff_mem, eff_attn, eff_attn_mem).  i in [0, SVP_PAR_COUNT); SVP_PAR_COUNT
 * past the end. */
svp_param svp_calib_order(size_t i);

/* The default free parameters for fitting `points` on hw: the first
 * parameters of svp_calib_order that at least one point depends on (a
 * parameter no point can see, such as eff_net_out when every point fits one
 * scale-up domain, is skipped), at most n_points - 1 of them: fewer free
 * parameters than points (none for 0 or 1 point).  Fills out[0..k), returns k. */
size_t svp_calib_default_params(const svp_hw *hw, const svp_model *m, const svp_opts *base,
                                const svp_deployment *const *points, size_t n_points,
                                svp_param out[SVP_PAR_COUNT]);

/* ---- calibration --------------------------------------------------------- */

typedef struct svp_calib_problem {
    const svp_hw *hw;                     /* the starting row (its values = "before") */
    const svp_model *model;
    const svp_opts *base;                 /* memory model and roofline; the rows set TBO,
                                             MTP and dtypes */
    const svp_deployment *const *points;  /* the measurements to fit (borrowed), all of
                                             hw's chip */
    size_t n_points;
    const svp_param *params;              /* free parameters, distinct */
    size_t n_params;
} svp_calib_problem;

/* One point before and after the fit. */
typedef struct svp_calib_point {
    const svp_deployment *dep;            /* borrowed from the problem */
    double pred_before_tps;               /* tokens/s per package */
    double pred_after_tps;
    double err_before_pct;                /* sign convention above */
    double err_after_pct;
} svp_calib_point;

typedef struct svp_calib_result {
    svp_hw hw;                            /* the fitted row: the problem's hw with the
                                             free parameters replaced (4 significant
                                             digits; eff_source untouched) */
    svp_param params[SVP_PAR_COUNT];      /* the free parameters, in the problem's order */
    double before[SVP_PAR_COUNT];         /* their values before (SI) */
    double after[SVP_PAR_COUNT];          /* fitted (SI), what hw holds */
    int at_bound[SVP_PAR_COUNT];          /* -1 at the lower bound, +1 at the upper, 0 inside */
    int insensitive[SVP_PAR_COUNT];       /* non-zero: no point depends on it (left as is) */
    size_t n_params;
    svp_calib_point *points;              /* n_points, owned */
    size_t n_points;
    double rms_log_before;                /* sqrt(mean of log(pred/measured)^2) */
    double rms_log_after;
    int iterations;
} svp_calib_result;

void svp_calib_result_fini(svp_calib_result *r);   /* frees points; accepts a zeroed result */

/* Fits pb->params to pb->points, starting from pb->hw.  Objective: sum over
 * points of log(predicted / measured throughput)^2 (throughput only: a row's
 * published latency is its throughput restated, decode TPOT = Batch / (TPS x
 * chips), prefill FTL = Batch x input / (TPS x chips),
 * so counting it would weigh the same residual twice).  Optimizer: projected
 * Levenberg-Marquardt with forward-difference Jacobians, efficiencies in log
 * space and times scaled by their upper bound, bounds kept by projection;
 * deterministic.
 * Errors (res left zeroed): SVP_ERR_DATA when there are no points, or a point
 * cannot be evaluated at all (a structural infeasibility, named);
 * SVP_ERR_USAGE when no parameter is free or one is listed twice;
 * SVP_ERR_NOMEM. */
svp_err svp_calibrate(const svp_calib_problem *pb, svp_calib_result *res, svp_diag *d);

/* calibrate --chip NAME: the rows of deps for that chip, fitted with params
 * (NULL/0 = svp_calib_default_params of the number of rows).
 * Errors: SVP_ERR_USAGE unknown chip; SVP_ERR_DATA no row for the chip (the
 * message lists the chips that have rows); SVP_ERR_USAGE when the default
 * leaves no free parameter (one row: name the parameters explicitly);
 * and those of svp_calibrate. */
svp_err svp_calibrate_chip(const svp_hw_table *hw, const svp_model *m,
                           const svp_deployment_table *deps, const char *chip,
                           const svp_opts *base, const svp_param *params, size_t n_params,
                           svp_calib_result *res, svp_diag *d);

/* ---- validation ---------------------------------------------------------- */

/* How a leave-one-out prediction was made. */
typedef enum svp_loo_basis {
    SVP_LOO_NONE = 0,     /* not computed (no --cross, or the row has no prediction) */
    SVP_LOO_FITTED,       /* parameters fitted on the chip's other rows */
    SVP_LOO_DEFAULTS      /* nothing to fit (fewer than 2 other rows: no free
                             parameter with fewer parameters than points), so
                             the hardware table's values */
} svp_loo_basis;

/* "-", "fitted", "defaults". */
const char *svp_loo_basis_name(svp_loo_basis b);

/* One deployment row, predicted. */
typedef struct svp_val_row {
    const svp_deployment *dep;       /* borrowed */
    const svp_hw *hw;                /* the row's chip in the table (borrowed) */
    svp_metrics m;                   /* the prediction with the table as given */
    int has_pred;                    /* m.has_metrics: not for structural infeasibility */
    double pred_tps;                 /* tokens/s per package */
    double meas_tps;
    double err_pct;                  /* (pred - meas) / meas x 100 */
    double pred_latency_s;           /* decode TPOT, prefill FTL */
    double meas_latency_s;           /* 0 = not published */
    int has_latency_err;             /* both latencies known */
    double latency_err_pct;          /* same sign convention: positive = predicted
                                        *higher* than measured; see README */
    /* leave-one-out (cross) */
    svp_loo_basis loo_basis;
    size_t loo_n_rows;               /* the chip's other predicted rows (fitted on when
                                        loo_basis is SVP_LOO_FITTED) */
    size_t loo_n_params;
    svp_param loo_params[SVP_PAR_COUNT];
    double loo_tps;
    double loo_err_pct;
} svp_val_row;

typedef struct svp_val_summary {
    size_t n_rows;                   /* rows of the table */
    size_t n_pred;                   /* rows with a prediction (the statistics' base) */
    size_t n_infeasible;             /* predicted rows servplan calls infeasible (DRAM) */
    double median_abs_err_pct;       /* median of |err_pct| (mean of the middle two
                                        for an even count) */
    double worst_abs_err_pct;
    size_t worst_row;                /* index into the rows */
    int has_loo;
    double loo_median_abs_err_pct;
    double loo_worst_abs_err_pct;
    size_t loo_worst_row;
    size_t loo_n_defaults;           /* rows whose LOO prediction is the defaults' */
} svp_val_summary;

/* Predicts every row of deps (rows[0..deps->n), filled in order), with the
 * hardware table as given; with cross, also leave-one-out per chip.
 * Summary statistics cover the rows with a prediction; a row servplan thinks
 * infeasible for DRAM keeps its prediction and its reason (m.reason).
 * Errors: SVP_ERR_DATA a row names a chip the hardware table lacks
 * (deps->file, the row's line, column "chip"); the errors of svp_calibrate
 * (cross only); nothing is left allocated. */
svp_err svp_validate_all(const svp_hw_table *hw, const svp_model *m,
                         const svp_deployment_table *deps, const svp_opts *base, int cross,
                         svp_val_row *rows, svp_val_summary *sum, svp_diag *d);

#endif
