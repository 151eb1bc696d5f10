/*
 * err.h - error codes and diagnostics shared by every servplan module.
 *
 * Fallible functions return an svp_err and, on failure, fill an svp_diag
 * with the context (file, line, column, what was expected, what was found).
 * Only the CLI prints a diagnostic, exactly once.  Infeasible configurations
 * are not errors: they are data (svp_reason in cost.h).
 */
#ifndef SERVPLAN_ERR_H
#define SERVPLAN_ERR_H

typedef enum svp_err {
    SVP_OK = 0,
    SVP_ERR_NOMEM,      /* allocation failed                     -> exit 1 */
    SVP_ERR_IO,         /* cannot open, read, write or rename    -> exit 1 */
    SVP_ERR_INTERNAL,   /* a library call failed unexpectedly    -> exit 1 */
    SVP_ERR_USAGE,      /* bad command line                      -> exit 2 */
    SVP_ERR_DATA,       /* bad input data (a CSV or model file)  -> exit 3 */
    SVP_ERR_NOPLAN      /* plan/eval found no feasible config    -> exit 4 */
} svp_err;

/* Process exit codes, documented in the README. */
enum {
    SVP_EXIT_OK = 0,
    SVP_EXIT_IO = 1,
    SVP_EXIT_USAGE = 2,
    SVP_EXIT_DATA = 3,
    SVP_EXIT_NOPLAN = 4
};

/* Where and why something failed.  line 0 = no line (whole file);
 * column "" = no column.  msg is the rest of the sentence, e.g.
 * `expected a positive number, got "abc"`. */
typedef struct svp_diag {
    char file[512];
    long line;
    char column[128];
    char msg[768];
} svp_diag;

/* A short English description of an error code ("out of memory", ...). */
const char *svp_strerror(svp_err err);

/* The exit code that err maps to (table above). */
int svp_err_exit_code(svp_err err);

/* Clears d (all fields empty). */
void svp_diag_clear(svp_diag *d);

/* Fills d; fmt is printf-like and becomes d->msg.  file/column may be NULL.
 * Returns code, so a caller can write `return svp_diag_set(d, SVP_ERR_DATA, ...)`. */
svp_err svp_diag_set(svp_diag *d, svp_err code, const char *file, long line,
                     const char *column, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

#endif
