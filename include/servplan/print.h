/*
 * print.h - the stdout printers of `servplan plan`, `eval` and `sweep`
 * (src/io/print.c): text, CSV (RFC 4180) and JSON to a FILE *.
 *
 * Edge code: the printers format, they decide nothing.  They take plans and
 * metrics the core computed (SI units) and convert them to the human units
 * their column names carry (ms = s / SVP_MS, GB = bytes / SVP_GB), once.
 * Which rows exist, which reason a row gets and which configuration is
 * optimal are the caller's business.
 *
 * The column names of the machine-readable outputs live in one static table
 * (svp_col_*), so plan, sweep and eval and the later workbook share them.
 * No printed cell is ever "nan" or "inf": a value that is not finite, or not
 * applicable (TPOT in prefill, metrics of a configuration rejected before it
 * was costed), is an empty CSV cell, a JSON null and "-" in text.
 *
 * Errors: the printers return SVP_ERR_IO when the stream reports an error
 * (ferror) and fill the diagnostic with the printer's name and strerror;
 * SVP_OK otherwise.  A fully buffered stream may only fail when it is
 * flushed, so the caller still checks fflush/ferror at the end.
 */
#ifndef SERVPLAN_PRINT_H
#define SERVPLAN_PRINT_H

#include <stddef.h>
#include <stdio.h>

#include "servplan/cost.h"
#include "servplan/err.h"
#include "servplan/hw.h"
#include "servplan/model.h"
#include "servplan/scenario.h"
#include "servplan/search.h"

typedef enum svp_format { SVP_FMT_TEXT = 0, SVP_FMT_CSV, SVP_FMT_JSON } svp_format;

/* "text", "csv", "json". */
const char *svp_format_name(svp_format f);
/* Parses a name above; 0 on success, -1 if unknown. */
int svp_format_parse(const char *s, svp_format *out);

/* One line of output: one configuration of one chip for one scenario.
 * Borrowed pointers; nothing is owned. */
typedef struct svp_plan_row {
    const svp_hw *hw;               /* the chip (never NULL) */
    const svp_scenario *scen;       /* the scenario: phase, lengths, SLO (never NULL) */
    const svp_config *cfg;          /* NULL: no configuration to show (plan without a
                                       feasible one) */
    const svp_metrics *m;           /* NULL exactly when cfg is NULL */
    svp_reason reason;              /* the row's verdict: m->reason when m is given;
                                       otherwise what the caller chose to report */
    unsigned edges;                 /* svp_plan_edges() bits of an optimum; 0 elsewhere */
    const svp_search_stats *stats;  /* plan rows: the search's counts (text uses them
                                       when cfg is NULL); NULL in sweep and eval */
    const char *slo_source;         /* eval: where the SLO comes from (a sentence);
                                       NULL elsewhere */
} svp_plan_row;

/* ---- The column table --------------------------------------------------- */

/* Which outputs a column belongs to (bit set). */
enum {
    SVP_COLS_PLAN = 1u << 0,  /* plan and sweep CSV/JSON rows */
    SVP_COLS_EVAL = 1u << 1   /* eval's metrics (a superset of the plan columns) */
};

typedef enum svp_cell_kind {
    SVP_CELL_EMPTY = 0,  /* not applicable or not finite */
    SVP_CELL_NUM,        /* num, finite, in the unit the column name says */
    SVP_CELL_INT,        /* i */
    SVP_CELL_BOOL,       /* i: 0 or 1 */
    SVP_CELL_STR         /* str, UTF-8 */
} svp_cell_kind;

typedef struct svp_cell {
    svp_cell_kind kind;
    double num;
    long i;
    char str[SVP_TEXT_MAX];
} svp_cell;

/* Number of columns in the table (all sets). */
size_t svp_col_count(void);
/* Name of column i (< svp_col_count()), units in the name: "tpot_ms". */
const char *svp_col_name(size_t i);
/* SVP_COLS_* bits of column i. */
unsigned svp_col_sets(size_t i);
/* The value of column i for row r, converted to the column's unit. */
void svp_col_cell(size_t i, const svp_plan_row *r, svp_cell *out);

/* Column names of the per-operator breakdown (eval), in order:
 * name, group, dtype, count, GFLOP, MB, t_compute_ms, t_memory_ms, t_ms, bound. */
size_t svp_op_col_count(void);
const char *svp_op_col_name(size_t i);
/* The value of column i for operator rec (SI -> GFLOP, MB, ms). */
void svp_op_col_cell(size_t i, const svp_op_rec *rec, svp_cell *out);

/* ---- Printers ----------------------------------------------------------- */

/* Where and how to print.  Set up with svp_printer_init. */
typedef struct svp_printer {
    FILE *f;
    svp_format fmt;
    const char *name;        /* the stream's name in diagnostics ("standard output") */
    const svp_opts *opts;    /* the model switches in force (text notes); may be NULL */
    const char *space_file;  /* the search-space file, named in grid-edge hints; may be NULL */
    long rows;               /* rows written since svp_print_rows_begin (JSON commas) */
} svp_printer;


/* One string field in fmt's syntax: CSV per RFC 4180 (quoted when needed),
 * JSON as an escaped string (invalid UTF-8 bytes become U+FFFD).  Text
 * writes it as is. */
void svp_print_str(FILE *f, svp_format fmt, const char *s);
/* One number, six significant digits; not finite: an empty CSV cell, JSON
 * null, text "-". */
void svp_print_num(FILE *f, svp_format fmt, double v);

/* Fills *p; opts and space_file may be NULL. */
void svp_printer_init(svp_printer *p, FILE *f, svp_format fmt, const char *name,
                      const svp_opts *opts, const char *space_file);

/* Row streams (plan and sweep, CSV or JSON; text is a no-op here):
 * begin writes the CSV header of the SVP_COLS_PLAN columns or JSON's "[",
 * row writes one CSV record or one JSON object with the same keys,
 * end writes JSON's "]".  Rows are written as they come; nothing is stored. */
svp_err svp_print_rows_begin(svp_printer *p, svp_diag *d);
svp_err svp_print_row(svp_printer *p, const svp_plan_row *r, svp_diag *d);
svp_err svp_print_rows_end(svp_printer *p, svp_diag *d);

/* Text plan: one line with the model and the switches in force. */
svp_err svp_print_plan_text_header(svp_printer *p, const svp_model *model, svp_diag *d);

/* Text plan of one chip: a heading with its key figures, the decode table of
 * seed Art.8.1 (one line per decode row), the prefill table of seed Art.8.2
 * (one line per prefill row), then per row the bottleneck verdict (T_comp,
 * T_mem, T_comm, the three shares, the verdict, TBO), grid-edge warnings and a
 * note when the other memory model disagrees.  A row without a configuration
 * is printed as "no feasible configuration" with the counts by reason from
 * its stats.  rows[0..n) are this chip's rows in scenario order. */
svp_err svp_print_plan_text_chip(svp_printer *p, const svp_hw *hw,
                                 const svp_plan_row *rows, size_t n, svp_diag *d);

/* eval: every SVP_COLS_EVAL column of r and the breakdown bd (may be NULL or
 * empty when the configuration has no metrics).
 * text: aligned "name  value" lines, then the operator table;
 * csv:  metrics header + row, an empty line, operators header + rows;
 * json: {"metrics": {...}, "operators": [{...}, ...]}. */
svp_err svp_print_eval(svp_printer *p, const svp_plan_row *r,
                       const svp_breakdown *bd, svp_diag *d);

#endif
