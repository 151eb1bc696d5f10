/*
 * report.h - the product's main output: the XLSX workbook (libxlsxwriter)
 * and the PNG/PDF charts (cairo), written from an svp_analysis.
 *
 * Edge code (src/io/report.c, xlsx.c, charts.c): it formats and writes; every
 * figure comes from the analysis.  Everything is written under temporary
 * names and renamed into place only when complete, so a failed run leaves
 * the previous report intact.  No cell or label ever shows NaN or inf.
 */
#ifndef SERVPLAN_REPORT_H
#define SERVPLAN_REPORT_H

#include "servplan/analysis.h"
#include "servplan/calibrate.h"
#include "servplan/err.h"
#include "servplan/model.h"
#include "servplan/templates.h"

/* An input file as the Assumptions sheet cites it. */
typedef struct svp_input_file {
    const char *role;      /* "hardware", "prices", "model", "scenarios", "space" */
    const char *path;
    char sha256[65];       /* hex digest of the file's bytes */
} svp_input_file;

typedef struct svp_report_input {
    const svp_analysis *an;
    const svp_analysis_input *in;   /* model, scenarios, space, opts, prices */
    const svp_strings *tr;          /* labels in the report's language */
    const char *version;            /* servplan version string */
    const svp_input_file *files;    /* the inputs, for the Assumptions sheet */
    size_t n_files;
    const char *font_family;        /* cairo font family for the language */
    /* Predicted vs measured for the published deployments (svp_validate_all
     * with leave-one-out), or NULL when there is no deployments file: the
     * Validation sheet then says so and the scatter chart is not drawn. */
    const svp_val_row *val_rows;
    size_t n_val;
    const svp_val_summary *val_sum;
    const char *deployments_path;   /* the file the rows come from */
} svp_report_input;

/* The workbook at path (written to path directly: svp_report_write handles
 * temporary names).  Byte-identical for identical inputs. */
svp_err svp_xlsx_write(const char *path, const svp_report_input *r, svp_diag *d);

/* Every chart as dir/NAME.png and dir/NAME.pdf; dir must exist. */
svp_err svp_charts_write(const char *dir, const svp_report_input *r, svp_diag *d);

/* out_dir/servplan-report.xlsx and out_dir/charts/, atomically replaced. */
svp_err svp_report_write(const char *out_dir, const svp_report_input *r, svp_diag *d);

/* SHA-256 of a file's bytes as 64 hex digits + NUL. */
svp_err svp_sha256_file(const char *path, char out[65], svp_diag *d);

#endif
