/*
 * cli_validate.h - the bodies of `servplan validate` and `servplan calibrate`
 * (src/cli/cmd_validate.c), called by the command-line driver (cli.c) once
 * it has parsed the options and read the hardware table and the model.
 *
 * Process code: they read the deployments file, run the pure functions of
 * calibrate.h, print to stdout in the chosen format, write the
 * --out-hardware file, print their own diagnostics to stderr (one line,
 * "servplan: ...") and return the exit code (err.h).  They leave flushing
 * stdout and reporting a failed write on it to the caller, except that a
 * stream error makes them return SVP_EXIT_IO without a message.
 */
#ifndef SERVPLAN_CLI_VALIDATE_H
#define SERVPLAN_CLI_VALIDATE_H

#include <stddef.h>

#include "servplan/cost.h"
#include "servplan/hw.h"
#include "servplan/model.h"
#include "servplan/print.h"

typedef struct svp_cli_val_args {
    const char *deployments;      /* the deployments file (resolved path) */
    const char *hardware;         /* the hardware file in force (for messages and the
                                     no-overwrite check) */
    const char *const *chips;     /* --chip values; validate: filter, calibrate: exactly one */
    size_t n_chips;
    const svp_opts *opts;         /* memory model and roofline apply; TBO, MTP and dtypes
                                     come from each row (a note says so if they were set) */
    svp_format fmt;
    int cross;                    /* validate --cross */
    const char *params;           /* calibrate --params LIST (comma-separated), or NULL */
    const char *out_hardware;     /* calibrate --out-hardware FILE, or NULL */
    int verbosity;                /* 0 = -q: no notes */
} svp_cli_val_args;

/* `servplan validate`: every row (of the --chip chips), predicted vs
 * measured, error %, latency, summary; with cross, leave-one-out. */
int svp_cli_validate(const svp_cli_val_args *a, const svp_hw_table *hw, const svp_model *m);

/* `servplan calibrate --chip NAME`: fitted values, each point's error
 * before and after, and with out_hardware a complete hardware CSV (every
 * chip of hw, NAME's fitted values in place) that --hardware reads back. */
int svp_cli_calibrate(const svp_cli_val_args *a, const svp_hw_table *hw, const svp_model *m);

#endif
