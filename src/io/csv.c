/*
 * csv.c - load a CSV file into a table of string cells (csv.h), on libcsv,
 * and convert cells with diagnostics that name file, line, column and value.
 *
 * Edge code: it reads a file and formats messages; it does not print and
 * does not know what the columns mean (the readers in read_*.c do).
 *
 * Line numbers: libcsv reports fields and records but not positions, so the
 * buffer is fed to csv_parse one byte at a time and the loader counts lines
 * itself.  A record starts on the line of its first byte that is not a space,
 * tab, CR or LF (libcsv skips those before a record begins).  Input files are
 * a few kilobytes, so the per-byte call costs nothing that matters.
 */
#include "servplan/csv.h"

#include <csv.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "servplan/alloc.h"

/* ---- loading ------------------------------------------------------------ */

typedef struct load_state {
    svp_csv_table *t;
    size_t rows_cap;
    svp_csv_record cur;     /* the record being assembled */
    size_t cur_cap;
    long line;              /* line of the byte being fed */
    long rec_line;          /* line the current record started on; 0 = none yet */
    int have_header;
    svp_err err;            /* SVP_ERR_NOMEM from a callback, else SVP_OK */
} load_state;

static void record_fini(svp_csv_record *r)
{
    size_t i;

    for (i = 0; i < r->n; i++)
        svp_free(r->cells[i]);
    svp_free(r->cells);
    r->cells = NULL;
    r->n = 0;
}

void svp_csv_fini(svp_csv_table *t)
{
    size_t i;

    if (t == NULL)
        return;
    record_fini(&t->header);
    for (i = 0; i < t->n_rows; i++)
        record_fini(&t->rows[i]);
    svp_free(t->rows);
    memset(t, 0, sizeof *t);
}

/* libcsv field callback: append a copy of the field to the current record. */
static void on_field(void *s, size_t len, void *data)
{
    load_state *st = data;
    char *cell;

    if (st->err != SVP_OK)
        return;
    if (st->cur.n == st->cur_cap) {
        size_t cap = st->cur_cap ? 2 * st->cur_cap : 16;
        char **cells = svp_realloc(st->cur.cells, cap * sizeof *cells);
        if (cells == NULL) {
            st->err = SVP_ERR_NOMEM;
            return;
        }
        st->cur.cells = cells;
        st->cur_cap = cap;
    }
    cell = svp_malloc(len + 1);
    if (cell == NULL) {
        st->err = SVP_ERR_NOMEM;
        return;
    }
    if (len > 0)
        memcpy(cell, s, len);
    cell[len] = '\0';
    st->cur.cells[st->cur.n++] = cell;
}

/* libcsv record callback: the current record is complete.  A record whose
 * fields are all empty (",,,", as spreadsheets export) counts as an empty
 * line and is dropped. */
static void on_record(int c, void *data)
{
    load_state *st = data;
    svp_csv_table *t = st->t;
    size_t i;
    int empty = 1;

    (void)c;
    if (st->err != SVP_OK)
        goto drop;
    for (i = 0; i < st->cur.n; i++)
        if (st->cur.cells[i][0] != '\0')
            empty = 0;
    if (empty)
        goto drop;
    st->cur.line = st->rec_line;
    if (!st->have_header) {
        t->header = st->cur;
        st->have_header = 1;
    } else {
        if (t->n_rows == st->rows_cap) {
            size_t cap = st->rows_cap ? 2 * st->rows_cap : 16;
            svp_csv_record *rows = svp_realloc(t->rows, cap * sizeof *rows);
            if (rows == NULL) {
                st->err = SVP_ERR_NOMEM;
                goto drop;
            }
            t->rows = rows;
            st->rows_cap = cap;
        }
        t->rows[t->n_rows++] = st->cur;
    }
    memset(&st->cur, 0, sizeof st->cur);
    st->cur_cap = 0;
    st->rec_line = 0;
    return;
drop:
    record_fini(&st->cur);
    st->cur_cap = 0;
    st->rec_line = 0;
}

/* Checks that buf is valid UTF-8 without NUL bytes (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF).  On failure fills *line
 * and *chr (1-based character position in the line) and *bad (the byte). */
static int utf8_check(const unsigned char *buf, size_t len, long *line,
                      long *chr, unsigned *bad)
{
    size_t i = 0;
    long ln = 1, ch = 1;

    while (i < len) {
        unsigned c = buf[i];
        size_t need, k;
        unsigned cp, min;

        if (c == 0) {
            goto bad_byte;
        } else if (c < 0x80) {
            need = 0; cp = c; min = 0;
        } else if (c >= 0xC2 && c <= 0xDF) {
            need = 1; cp = c & 0x1Fu; min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2; cp = c & 0x0Fu; min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3; cp = c & 0x07u; min = 0x10000;
        } else {
            goto bad_byte;
        }
        if (need > len - i - 1)
            goto bad_byte;
        for (k = 1; k <= need; k++) {
            unsigned cc = buf[i + k];
            if ((cc & 0xC0u) != 0x80u)
                goto bad_byte;
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFFu || (cp >= 0xD800u && cp <= 0xDFFFu))
            goto bad_byte;
        i += need + 1;
        if (c == '\n' || (c == '\r' && (i == len || buf[i] != '\n'))) {
            ln++;
            ch = 1;
        } else {
            ch++;
        }
        continue;
bad_byte:
        *line = ln;
        *chr = ch;
        *bad = c;
        return -1;
    }
    return 0;
}

svp_err svp_csv_parse(const char *path, const char *buf, size_t len,
                      svp_csv_table *out, svp_diag *d)
{
    struct csv_parser p;
    int parser_ready = 0;
    load_state st;
    svp_err err;
    const unsigned char *u = (const unsigned char *)buf;
    size_t i;
    long bad_line, bad_chr, col = 1;
    unsigned bad_byte;

    memset(out, 0, sizeof *out);
    memset(&st, 0, sizeof st);
    st.t = out;
    st.line = 1;

    /* A UTF-8 byte order mark (Excel writes one) is not part of the header. */
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        u += 3;
        len -= 3;
    }
    if (utf8_check(u, len, &bad_line, &bad_chr, &bad_byte) != 0) {
        if (bad_byte == 0)
            err = svp_diag_set(d, SVP_ERR_DATA, path, bad_line, NULL,
                               "NUL byte at character %ld of the line "
                               "(is this a text file?)", bad_chr);
        else
            err = svp_diag_set(d, SVP_ERR_DATA, path, bad_line, NULL,
                               "invalid UTF-8 (byte 0x%02X) at character %ld "
                               "of the line", bad_byte, bad_chr);
        goto fail;
    }

    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        err = svp_diag_set(d, SVP_ERR_NOMEM, path, 0, NULL,
                           "cannot initialise the CSV parser");
        goto fail;
    }
    parser_ready = 1;
    /* libcsv's buffer goes through our allocator, so fault injection
     * reaches it too. */
    csv_set_realloc_func(&p, svp_realloc);
    csv_set_free_func(&p, svp_free);

    for (i = 0; i < len; i++) {
        unsigned char c = u[i];

        if (st.rec_line == 0 && c != ' ' && c != '\t' && c != '\r' && c != '\n')
            st.rec_line = st.line;
        if (csv_parse(&p, &u[i], 1, on_field, on_record, &st) != 1) {
            if (csv_error(&p) == CSV_ENOMEM || csv_error(&p) == CSV_ETOOBIG) {
                err = svp_diag_set(d, SVP_ERR_NOMEM, path, st.line, NULL,
                                   "out of memory while reading");
            } else {
                const char *name = NULL;
                if (st.have_header && st.cur.n < out->header.n)
                    name = out->header.cells[st.cur.n];
                err = svp_diag_set(d, SVP_ERR_DATA, path, st.line, name,
                                   "malformed CSV at character %ld of the line: "
                                   "a quote inside an unquoted field, or text "
                                   "after a closing quote (write \"\" for a "
                                   "quote inside a quoted field)", col);
            }
            goto fail;
        }
        if (st.err != SVP_OK) {
            err = svp_diag_set(d, st.err, path, st.line, NULL,
                               "out of memory while reading");
            goto fail;
        }
        /* LF, CRLF and a lone CR (old Mac files) each end a line. */
        if (c == '\n' || (c == '\r' && (i + 1 == len || u[i + 1] != '\n'))) {
            st.line++;
            col = 1;
        } else if ((c & 0xC0u) != 0x80u) {
            col++;
        }
    }
    if (csv_fini(&p, on_field, on_record, &st) != 0) {
        if (csv_error(&p) == CSV_EPARSE)
            err = svp_diag_set(d, SVP_ERR_DATA, path, st.rec_line, NULL,
                               "a quoted field that starts in this record is "
                               "never closed");
        else
            err = svp_diag_set(d, SVP_ERR_NOMEM, path, st.line, NULL,
                               "out of memory while reading");
        goto fail;
    }
    if (st.err != SVP_OK) {
        err = svp_diag_set(d, st.err, path, st.line, NULL,
                           "out of memory while reading");
        goto fail;
    }
    if (!st.have_header) {
        err = svp_diag_set(d, SVP_ERR_DATA, path, 0, NULL,
                           "empty file: no header and no rows");
        goto fail;
    }
    if (out->n_rows == 0) {
        err = svp_diag_set(d, SVP_ERR_DATA, path, out->header.line, NULL,
                           "no rows: the file has a header only");
        goto fail;
    }
    for (i = 0; i < out->n_rows; i++) {
        if (out->rows[i].n != out->header.n) {
            err = svp_diag_set(d, SVP_ERR_DATA, path, out->rows[i].line, NULL,
                               "expected %zu fields as in the header, got %zu",
                               out->header.n, out->rows[i].n);
            goto fail;
        }
    }
    csv_free(&p);
    return SVP_OK;

fail:
    if (parser_ready)
        csv_free(&p);
    record_fini(&st.cur);
    svp_csv_fini(out);
    return err;
}

svp_err svp_csv_load(const char *path, svp_csv_table *out, svp_diag *d)
{
    FILE *f = NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    svp_err err = SVP_OK;

    memset(out, 0, sizeof *out);
    f = fopen(path, "rb");
    if (f == NULL) {
        err = svp_diag_set(d, SVP_ERR_IO, path, 0, NULL, "cannot open: %s",
                           strerror(errno));
        goto fail;
    }
    for (;;) {
        size_t got;

        if (cap - len < 4096) {
            size_t ncap = cap ? 2 * cap : 8192;
            char *nbuf = svp_realloc(buf, ncap);
            if (nbuf == NULL) {
                err = svp_diag_set(d, SVP_ERR_NOMEM, path, 0, NULL,
                                   "out of memory while reading");
                goto fail;
            }
            buf = nbuf;
            cap = ncap;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        err = svp_diag_set(d, SVP_ERR_IO, path, 0, NULL, "cannot read: %s",
                           strerror(errno));
        goto fail;
    }
    err = svp_csv_parse(path, buf, len, out, d);

fail:
    if (f != NULL)
        fclose(f);
    svp_free(buf);
    return err;
}

/* ---- columns -------------------------------------------------------------- */

/* ASCII case-insensitive equality, for "did you mean" hints only. */
static int same_ignoring_case(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return *a == *b;
}

/* A known column the unknown header probably meant: the same name in other
 * case ("dram_gb"), or the name without its unit ("hbm" for "hbm_TBps"). */
static const char *near_match(const char *name, const svp_csv_col *cols,
                              size_t n_cols)
{
    size_t i, len = strlen(name);

    for (i = 0; i < n_cols; i++)
        if (same_ignoring_case(name, cols[i].name))
            return cols[i].name;
    for (i = 0; i < n_cols; i++)
        if (len > 0 && strncmp(name, cols[i].name, len) == 0 &&
            cols[i].name[len] == '_')
            return cols[i].name;
    return NULL;
}

svp_err svp_csv_bind(const svp_csv_table *t, const char *path,
                     const svp_csv_col *cols, size_t n_cols, int *idx,
                     svp_diag *d)
{
    const svp_csv_record *h = &t->header;
    size_t i, j;

    for (j = 0; j < n_cols; j++)
        idx[j] = -1;
    for (i = 0; i < h->n; i++) {
        const char *name = h->cells[i];

        for (j = 0; j < i; j++) {
            if (strcmp(h->cells[j], name) == 0)
                return svp_diag_set(d, SVP_ERR_DATA, path, h->line, name,
                                    "the header names this column twice "
                                    "(fields %zu and %zu)", j + 1, i + 1);
        }
        if (name[0] == '\0')
            return svp_diag_set(d, SVP_ERR_DATA, path, h->line, NULL,
                                "the header has an empty column name at field "
                                "%zu (a trailing comma?)", i + 1);
        for (j = 0; j < n_cols; j++)
            if (strcmp(cols[j].name, name) == 0)
                break;
        if (j == n_cols) {
            char list[600];
            size_t used = 0;
            const char *near = near_match(name, cols, n_cols);

            list[0] = '\0';
            for (j = 0; j < n_cols && used < sizeof list; j++) {
                int w = snprintf(list + used, sizeof list - used, "%s%s",
                                 j ? ", " : "", cols[j].name);
                if (w < 0)
                    break;
                used += (size_t)w;
            }
            if (near != NULL)
                return svp_diag_set(d, SVP_ERR_DATA, path, h->line, name,
                                    "unknown column; did you mean '%s'? "
                                    "(units are part of the name; expected "
                                    "columns: %s)", near, list);
            return svp_diag_set(d, SVP_ERR_DATA, path, h->line, name,
                                "unknown column (units are part of the name; "
                                "expected columns: %s)", list);
        }
        if (i > (size_t)INT_MAX)
            return svp_diag_set(d, SVP_ERR_DATA, path, h->line, name,
                                "too many columns");
        idx[j] = (int)i;
    }
    for (j = 0; j < n_cols; j++) {
        if (cols[j].required && idx[j] < 0)
            return svp_diag_set(d, SVP_ERR_DATA, path, h->line, cols[j].name,
                                "required column is missing from the header");
    }
    return SVP_OK;
}

/* ---- cells ---------------------------------------------------------------- */

const char *svp_csv_text(const svp_csv_cursor *c, int col)
{
    int i = c->idx[col];

    if (i < 0 || (size_t)i >= c->rec->n)
        return "";
    return c->rec->cells[i];
}

/* Only these characters may appear in a number: this keeps out the forms
 * strtod also accepts but a data table must not contain ("nan", "inf",
 * "0x1p3", leading blanks). */
static int number_chars_only(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++) {
        char ch = *s;
        if (!((ch >= '0' && ch <= '9') || ch == '+' || ch == '-' ||
              ch == '.' || ch == 'e' || ch == 'E'))
            return 0;
    }
    return 1;
}

int svp_csv_parse_double(const char *s, double *out)
{
    char *end;
    double v;

    if (!number_chars_only(s))
        return -1;
    errno = 0;
    v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(v))
        return -1;
    /* An overflow gives HUGE_VAL (caught above); an underflow such as 1e-400
     * gives a tiny or zero value, which the range checks then judge. */
    *out = v;
    return 0;
}

/* [+] digits, nothing else. */
static int digits_only(const char *s)
{
    if (*s == '+')
        s++;
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

int svp_csv_parse_long(const char *s, long *out)
{
    char *end;
    long v;

    if (!digits_only(s))
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno == ERANGE || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

static svp_err bad_value(const svp_csv_cursor *c, int col, const char *text,
                         const svp_csv_num *rule, int too_big, svp_diag *d)
{
    if (too_big && !rule->max_in_what)
        return svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line,
                            c->cols[col].name, "expected %s up to %.15g, got \"%s\"",
                            rule->what, rule->max, text);
    return svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line,
                        c->cols[col].name, "expected %s, got \"%s\"",
                        rule->what, text);
}

static int below_min(double v, const svp_csv_num *rule)
{
    return rule->min_open ? !(v > rule->min) : !(v >= rule->min);
}

svp_err svp_csv_get_double(const svp_csv_cursor *c, int col,
                           const svp_csv_num *rule, double *out, svp_diag *d)
{
    const char *text = svp_csv_text(c, col);
    double v;

    if (text[0] == '\0' && rule->empty_ok) {
        *out = 0.0;
        return SVP_OK;
    }
    if (svp_csv_parse_double(text, &v) != 0 || below_min(v, rule))
        return bad_value(c, col, text, rule, 0, d);
    if (v > rule->max)
        return bad_value(c, col, text, rule, 1, d);
    *out = v;
    return SVP_OK;
}

svp_err svp_csv_get_int(const svp_csv_cursor *c, int col,
                        const svp_csv_num *rule, int *out, svp_diag *d)
{
    const char *text = svp_csv_text(c, col);
    long v;

    if (text[0] == '\0' && rule->empty_ok) {
        *out = 0;
        return SVP_OK;
    }
    if (!digits_only(text))
        return bad_value(c, col, text, rule, 0, d);
    /* Only digits, yet no long holds it: certainly above the sanity bound. */
    if (svp_csv_parse_long(text, &v) != 0)
        return bad_value(c, col, text, rule, 1, d);
    if (below_min((double)v, rule))
        return bad_value(c, col, text, rule, 0, d);
    if ((double)v > rule->max || v > INT_MAX)
        return bad_value(c, col, text, rule, 1, d);
    *out = (int)v;
    return SVP_OK;
}

svp_err svp_csv_get_str(const svp_csv_cursor *c, int col, int required,
                        char *dst, size_t size, svp_diag *d)
{
    const char *text = svp_csv_text(c, col);
    size_t len = strlen(text);

    if (required && len == 0)
        return svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line,
                            c->cols[col].name,
                            "expected a non-empty value, got \"\"");
    if (len >= size)
        return svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line,
                            c->cols[col].name,
                            "too long: %zu bytes, at most %zu", len, size - 1);
    memcpy(dst, text, len + 1);
    return SVP_OK;
}

svp_err svp_csv_read_rows(const char *path, const svp_csv_col *cols, size_t n_cols,
                          size_t row_size, svp_csv_row_fn read_row, size_t key_offset,
                          int key_col, const char *what, void **rows_out, size_t *n_out,
                          svp_diag *d)
{
    svp_csv_table t;
    int *idx = NULL;
    char *rows = NULL;
    svp_err err;

    *rows_out = NULL;
    *n_out = 0;
    err = svp_csv_load(path, &t, d);
    if (err != SVP_OK)
        return err;
    idx = svp_calloc(n_cols, sizeof *idx);
    rows = svp_calloc(t.n_rows, row_size);
    if (idx == NULL || rows == NULL) {
        err = svp_diag_set(d, SVP_ERR_NOMEM, path, 0, NULL, "out of memory");
        goto fail;
    }
    err = svp_csv_bind(&t, path, cols, n_cols, idx, d);
    if (err != SVP_OK)
        goto fail;
    for (size_t i = 0; i < t.n_rows; i++) {
        svp_csv_cursor c = {path, &t.rows[i], cols, idx};
        const char *key = rows + i * row_size + key_offset;

        err = read_row(&c, rows + i * row_size, d);
        if (err != SVP_OK)
            goto fail;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(rows + j * row_size + key_offset, key) == 0) {
                err = svp_diag_set(d, SVP_ERR_DATA, path, t.rows[i].line, cols[key_col].name,
                                   "duplicate %s \"%s\" (first on line %ld)", what, key,
                                   t.rows[j].line);
                goto fail;
            }
        }
    }
    *rows_out = rows;
    *n_out = t.n_rows;
    svp_free(idx);
    svp_csv_fini(&t);
    return SVP_OK;

fail:
    svp_free(rows);
    svp_free(idx);
    svp_csv_fini(&t);
    return err;
}
