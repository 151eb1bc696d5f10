/*
 * csv.h - the generic CSV table loader under the readers of read.h
 * (src/io/csv.c, on libcsv).  Edge code: it reads files; it knows nothing
 * about chips or models.
 *
 * A file becomes a table of string cells: the first non-empty record is the
 * header, every later non-empty record a row, each with the 1-based line it
 * starts on.  The loader strips a UTF-8 BOM, accepts LF and CRLF, skips empty
 * records (blank lines and lines of only commas), lets quoted fields hold
 * commas, quotes and newlines, trims unquoted spaces (libcsv's default), and
 * rejects invalid UTF-8, NUL bytes, malformed quoting, rows whose field count
 * differs from the header's, and tables without rows.
 *
 * The readers then bind the columns they know by header name and convert
 * cells with svp_csv_get_*, which fill the diagnostic in the style of
 *     column 'hbm_TBps': expected a positive number, got "abc"
 * (diag.file = path, diag.line = the record's line, diag.column = header name).
 */
#ifndef SERVPLAN_CSV_H
#define SERVPLAN_CSV_H

#include <stddef.h>

#include "servplan/err.h"

/* One record: n NUL-terminated UTF-8 cells. */
typedef struct svp_csv_record {
    char **cells;
    size_t n;
    long line;      /* 1-based line the record starts on */
} svp_csv_record;

/* A loaded file.  Owns everything; free with svp_csv_fini. */
typedef struct svp_csv_table {
    svp_csv_record header;
    svp_csv_record *rows;   /* data records in file order, n_rows >= 1 */
    size_t n_rows;
} svp_csv_table;

/* Loads the file at path.  Errors: SVP_ERR_IO (cannot open or read),
 * SVP_ERR_NOMEM, SVP_ERR_DATA (empty file, header only, invalid UTF-8 with
 * line and character position, malformed quotes, ragged rows).  On error
 * *out is left empty. */
svp_err svp_csv_load(const char *path, svp_csv_table *out, svp_diag *d);

/* The same on a buffer already in memory (len bytes, need not be
 * NUL-terminated); path only names the source in diagnostics.  Used by
 * svp_csv_load and by fuzz targets. */
svp_err svp_csv_parse(const char *path, const char *buf, size_t len,
                      svp_csv_table *out, svp_diag *d);

void svp_csv_fini(svp_csv_table *t);   /* accepts an empty table */

/* A column a reader knows. */
typedef struct svp_csv_col {
    const char *name;   /* exact header text, units included ("hbm_TBps") */
    int required;       /* non-zero: a missing column is an error */
} svp_csv_col;

/* Maps cols[i] to its header position idx[i] (-1 when an optional column is
 * absent).  Errors (SVP_ERR_DATA, line = header line, column = the name):
 * a header name twice, a header name not in cols (the message lists the
 * expected names and suggests a near match), a required column missing. */
svp_err svp_csv_bind(const svp_csv_table *t, const char *path,
                     const svp_csv_col *cols, size_t n_cols, int *idx,
                     svp_diag *d);

/* Where the svp_csv_get_* functions read from: one record of a bound table. */
typedef struct svp_csv_cursor {
    const char *path;
    const svp_csv_record *rec;
    const svp_csv_col *cols;
    const int *idx;
} svp_csv_cursor;

/* The cell of column col (an index into cols), "" when the column is absent. */
const char *svp_csv_text(const svp_csv_cursor *c, int col);

/* A numeric rule.  The message on failure is `expected <what>, got "<text>"`,
 * or `expected <what> up to <max>, got "<text>"` above max (unless what
 * already states the maximum, as in "a number in (0, 1]"). */
typedef struct svp_csv_num {
    const char *what;   /* "a positive number", "a number in (0, 1]", ... */
    double min;
    int min_open;       /* non-zero: value > min; zero: value >= min */
    double max;         /* value <= max (the sanity bound) */
    int empty_ok;       /* an empty cell is allowed and reads as 0 */
    int max_in_what;    /* what names the maximum: no "up to" in the message */
} svp_csv_num;

/* Parses a decimal number ([sign] digits [. digits] [e exponent]; no hex,
 * nan or inf) that must fill the whole cell and satisfy *rule.  Uses strtod,
 * so the C locale's '.' is the decimal point. */
svp_err svp_csv_get_double(const svp_csv_cursor *c, int col,
                           const svp_csv_num *rule, double *out, svp_diag *d);

/* The same for an integer ([+] digits only: "8.0" and "1e3" are rejected). */
svp_err svp_csv_get_int(const svp_csv_cursor *c, int col,
                        const svp_csv_num *rule, int *out, svp_diag *d);

/* Copies the cell into dst[size].  Errors: empty when required, longer than
 * size - 1 bytes. */
svp_err svp_csv_get_str(const svp_csv_cursor *c, int col, int required,
                        char *dst, size_t size, svp_diag *d);

/* Parse a whole string with the syntax rules of svp_csv_get_double and
 * svp_csv_get_int, without range checks or context: 0 on success, -1 if s is
 * not a finite decimal number / not "[+] digits" fitting in a long (so
 * svp_csv_parse_long never accepts a negative number). */
int svp_csv_parse_double(const char *s, double *out);
int svp_csv_parse_long(const char *s, long *out);

/* Reads one record into the row at dst (a reader's own row type). */
typedef svp_err (*svp_csv_row_fn)(const svp_csv_cursor *c, void *dst, svp_diag *d);

/* The skeleton every one-row-per-item reader shares: loads path, binds
 * cols[0..n_cols), reads every record with read_row into an array of
 * row_size-byte rows, and rejects a repeated key - the NUL-terminated string
 * at key_offset in each row, shown in column cols[key_col] as
 * `duplicate <what> "<key>" (first on line N)`.  On success *rows_out
 * (owned by the caller, svp_free) holds *n_out >= 1 rows; on error nothing
 * is returned and nothing stays allocated. */
svp_err svp_csv_read_rows(const char *path, const svp_csv_col *cols, size_t n_cols,
                          size_t row_size, svp_csv_row_fn read_row, size_t key_offset,
                          int key_col, const char *what, void **rows_out, size_t *n_out,
                          svp_diag *d);

#endif
