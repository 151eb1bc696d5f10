/*
 * fuzz_entry.h - the bodies of the fuzz targets (tests/fuzz/fuzz_X.c, built
 * by `make fuzz` with libFuzzer) and of their replay in `make test`
 * (tests/test_fuzz_regress.c), so both run exactly the same code.
 *
 * Header-only (static functions), like tests/check_util.h: the test rule of
 * the Makefile links one object per test program with libservplan.a, and
 * the fuzz rule one object per target with the instrumented library, so a
 * shared .c file would need a rule of its own in both.
 *
 * Each svp_fuzz_X(data, size) feeds the bytes to one entry point and checks
 * what came back against the contracts of csv.h and read.h.  It returns NULL
 * when every check holds, else a sentence saying which one failed (the fuzz
 * target then aborts, so libFuzzer records the input as a crash; the replay
 * test fails).  Memory errors, undefined behaviour and leaks are caught by
 * the sanitizers, not here.
 *
 * The checks, for every entry point:
 *   - the result is SVP_OK, SVP_ERR_DATA, SVP_ERR_IO or SVP_ERR_NOMEM;
 *   - on error the diagnostic names the file (the path passed in), has a
 *     non-empty message, a line between 0 and the number of lines of the
 *     input, and message and column are valid UTF-8 (they quote the input);
 *     the output is left empty, as read.h and csv.h promise;
 *   - on success the output satisfies the documented invariants (rows of the
 *     header's width, unique non-empty names, values in range, sorted grids);
 *   - the same input read again with one allocation made to fail (the k-th
 *     of the N the first read made, k picked from a hash of the input, once
 *     only or sticky from the hash) ends in the first result or in
 *     SVP_ERR_NOMEM, with the output empty on error; sticky failure of an
 *     allocation a successful read needed must give SVP_ERR_NOMEM.
 *
 * The readers of read.h (and svp_read_deployments of deploy.h) take a path,
 * not a buffer, so the input is written to a temporary file first (one per
 * process, rewritten for every input).
 * On Linux the file is unlinked at once and read back through
 * /proc/self/fd/N, so nothing is left in /tmp even when the fuzzer dies on
 * a crash; elsewhere it keeps its name and is removed at exit.
 */
#ifndef SERVPLAN_FUZZ_ENTRY_H
#define SERVPLAN_FUZZ_ENTRY_H

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "servplan/alloc.h"
#include "servplan/csv.h"
#include "servplan/deploy.h"
#include "servplan/err.h"
#include "servplan/read.h"

/* Path that names the in-memory input of svp_fuzz_csv in diagnostics. */
#define SVP_FUZZ_MEM_PATH "fuzz-input.csv"

/* ---- failure reporting ----------------------------------------------------- */

/* The sentence of the last failed check (one per process is enough: the
 * caller reads it before the next input). */
static inline char *svp_fuzz_why_buf(void)
{
    static char why[1024];

    return why;
}

static inline const char *svp_fuzz_fail(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

static inline const char *svp_fuzz_fail(const char *fmt, ...)
{
    char *why = svp_fuzz_why_buf();
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, 1024, fmt, ap);
    va_end(ap);
    return why;
}

/* ---- the input as a file --------------------------------------------------- */

typedef struct svp_fuzz_tmp {
    int fd;                 /* -1 until the first input */
    char name[256];         /* the mkstemp name ("" once unlinked) */
    char path[256];         /* what the readers open */
} svp_fuzz_tmp;

static inline svp_fuzz_tmp *svp_fuzz_tmp_state(void)
{
    static svp_fuzz_tmp t = {-1, "", ""};

    return &t;
}

static inline void svp_fuzz_tmp_remove(void)
{
    svp_fuzz_tmp *t = svp_fuzz_tmp_state();

    if (t->name[0] != '\0')
        unlink(t->name);
}

/* Creates the temporary file on first use.  Returns its path, or NULL (with
 * the reason in the why buffer) when /tmp is unusable. */
static inline const char *svp_fuzz_tmp_path(void)
{
    svp_fuzz_tmp *t = svp_fuzz_tmp_state();
    const char *dir;
    char proc[64];
    int n;

    if (t->fd >= 0)
        return t->path;
    dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0')
        dir = "/tmp";
    n = snprintf(t->name, sizeof t->name, "%s/servplan-fuzz-XXXXXX", dir);
    if (n < 0 || (size_t)n >= sizeof t->name) {
        svp_fuzz_fail("TMPDIR too long: %s", dir);
        return NULL;
    }
    t->fd = mkstemp(t->name);
    if (t->fd < 0) {
        svp_fuzz_fail("cannot create a temporary file in %s", dir);
        t->name[0] = '\0';
        return NULL;
    }
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", t->fd);
    if (access(proc, R_OK) == 0 && unlink(t->name) == 0) {
        t->name[0] = '\0';
        snprintf(t->path, sizeof t->path, "%s", proc);
    } else {
        snprintf(t->path, sizeof t->path, "%s", t->name);
        atexit(svp_fuzz_tmp_remove);
    }
    return t->path;
}

/* Replaces the file's content with data[size].  0 on success.  Writing
 * first and then cutting the file to size is some 20 times faster on ext4
 * than truncating to 0 and writing (measured: 12 us against 230 us), which
 * otherwise caps the readers' targets at 2,000 inputs a second. */
static inline int svp_fuzz_tmp_write(const uint8_t *data, size_t size)
{
    svp_fuzz_tmp *t = svp_fuzz_tmp_state();
    size_t done = 0;

    while (done < size) {
        ssize_t w = pwrite(t->fd, data + done, size - done, (off_t)done);
        if (w <= 0)
            return -1;
        done += (size_t)w;
    }
    if (ftruncate(t->fd, (off_t)size) != 0)
        return -1;
    return 0;
}

/* ---- checks shared by every entry point ------------------------------------ */

/* Valid UTF-8 (the rules of csv.c: no overlong forms, no surrogates, nothing
 * above U+10FFFF) up to the terminating NUL. */
static inline int svp_fuzz_utf8_ok(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    while (*u) {
        unsigned c = *u, cp, min;
        size_t need, k;

        if (c < 0x80) {
            u++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            need = 1; cp = c & 0x1Fu; min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2; cp = c & 0x0Fu; min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3; cp = c & 0x07u; min = 0x10000;
        } else {
            return 0;
        }
        for (k = 1; k <= need; k++) {
            if ((u[k] & 0xC0u) != 0x80u)
                return 0;      /* also stops at the NUL */
            cp = (cp << 6) | (u[k] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFFu || (cp >= 0xD800u && cp <= 0xDFFFu))
            return 0;
        u += need + 1;
    }
    return 1;
}

/* Lines of the input as csv.h counts them: 1 + the number of line ends
 * (LF, CRLF, lone CR) after an optional BOM.  No diagnostic or record can
 * point past this line. */
static inline long svp_fuzz_lines(const uint8_t *data, size_t size)
{
    size_t i = 0;
    long n = 1;

    if (size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
        i = 3;
    for (; i < size; i++)
        if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n')))
            n++;
    return n;
}

/* A NUL inside str[size]: the string fits its fixed-size field. */
static inline int svp_fuzz_fits(const char *str, size_t size)
{
    return memchr(str, '\0', size) != NULL;
}

/* The result code and, on error, the diagnostic. */
static inline const char *svp_fuzz_check_diag(svp_err err, const svp_diag *d,
                                              const char *path, long max_line)
{
    if (err != SVP_OK && err != SVP_ERR_DATA && err != SVP_ERR_IO &&
        err != SVP_ERR_NOMEM)
        return svp_fuzz_fail("unexpected error code %d (%s): %s", (int)err,
                             svp_strerror(err), d->msg);
    if (err == SVP_OK)
        return NULL;
    if (!svp_fuzz_fits(d->file, sizeof d->file) ||
        !svp_fuzz_fits(d->column, sizeof d->column) ||
        !svp_fuzz_fits(d->msg, sizeof d->msg))
        return svp_fuzz_fail("a diagnostic field is not NUL-terminated");
    if (d->msg[0] == '\0')
        return svp_fuzz_fail("error %d (%s) with an empty message", (int)err,
                             svp_strerror(err));
    if (strcmp(d->file, path) != 0)
        return svp_fuzz_fail("diagnostic names file \"%s\", expected \"%s\": %s",
                             d->file, path, d->msg);
    if (d->line < 0 || d->line > max_line)
        return svp_fuzz_fail("diagnostic line %ld outside 0..%ld: %s", d->line,
                             max_line, d->msg);
    if (!svp_fuzz_utf8_ok(d->msg))
        return svp_fuzz_fail("diagnostic message is not valid UTF-8");
    if (!svp_fuzz_utf8_ok(d->column))
        return svp_fuzz_fail("diagnostic column is not valid UTF-8");
    return NULL;
}

/* FNV-1a: picks which allocation fails, the same way for the same input. */
static inline uint64_t svp_fuzz_hash(const uint8_t *data, size_t size)
{
    uint64_t h = 14695981039346656037u;
    size_t i;

    for (i = 0; i < size; i++) {
        h ^= data[i];
        h *= 1099511628211u;
    }
    return h;
}

/* One read of the input by one entry point: returns the error code, fills
 * *d, and checks the output (empty on error, invariants on success, then
 * freed).  A failed check is returned in *why (else NULL). */
typedef svp_err (*svp_fuzz_read_fn)(const char *path, const uint8_t *data,
                                    size_t size, long max_line, svp_diag *d,
                                    const char **why);

/* Runs read once normally and once with an allocation failing, checking
 * both (see the top of the file). */
static inline const char *svp_fuzz_run(svp_fuzz_read_fn rd, const char *path,
                                        const uint8_t *data, size_t size)
{
    svp_diag d;
    svp_err first, err;
    const char *why = NULL;
    long max_line = svp_fuzz_lines(data, size), before, needed, k;
    uint64_t h;
    int sticky;

    svp_diag_clear(&d);
    svp_alloc_fail_at(0, 0);
    before = svp_alloc_count();
    first = rd(path, data, size, max_line, &d, &why);
    needed = svp_alloc_count() - before;
    if (why != NULL)
        return why;
    why = svp_fuzz_check_diag(first, &d, path, max_line);
    if (why != NULL)
        return why;
    if (first == SVP_ERR_IO)
        return svp_fuzz_fail("I/O error on the temporary file: %s", d.msg);
    if (needed <= 0)
        return NULL;

    h = svp_fuzz_hash(data, size);
    k = 1 + (long)(h % (uint64_t)needed);
    sticky = (int)((h >> 32) & 1u);
    svp_diag_clear(&d);
    svp_alloc_fail_at(k, sticky);
    err = rd(path, data, size, max_line, &d, &why);
    svp_alloc_fail_at(0, 0);
    if (why == NULL)
        why = svp_fuzz_check_diag(err, &d, path, max_line);
    if (why != NULL) {
        /* why lives in the buffer svp_fuzz_fail writes: copy it first. */
        char inner[512];

        snprintf(inner, sizeof inner, "%s", why);
        return svp_fuzz_fail("allocation %ld of %ld failing%s: %s", k, needed,
                             sticky ? " (sticky)" : "", inner);
    }
    if (err != first && err != SVP_ERR_NOMEM)
        return svp_fuzz_fail("allocation %ld of %ld failing%s: error %d (%s), "
                             "expected %d or SVP_ERR_NOMEM: %s", k, needed,
                             sticky ? " (sticky)" : "", (int)err,
                             svp_strerror(err), (int)first, d.msg);
    if (sticky && first == SVP_OK && err != SVP_ERR_NOMEM)
        return svp_fuzz_fail("allocation %ld of %ld failing (sticky): the read "
                             "succeeded without it", k, needed);
    return NULL;
}

/* ---- svp_csv_parse ---------------------------------------------------------- */

static inline svp_err svp_fuzz_read_csv(const char *path, const uint8_t *data,
                                        size_t size, long max_line, svp_diag *d,
                                        const char **why)
{
    svp_csv_table t;
    svp_err err;
    size_t i, j;
    long prev;

    /* Poison the output: the parser must set every field itself. */
    memset(&t, 0xA5, sizeof t);
    err = svp_csv_parse(path, (const char *)data, size, &t, d);
    if (err != SVP_OK) {
        if (t.header.cells != NULL || t.header.n != 0 || t.rows != NULL ||
            t.n_rows != 0)
            *why = svp_fuzz_fail("error %d but the table is not empty", (int)err);
        return err;
    }
    if (t.header.n == 0 || t.n_rows == 0)
        *why = svp_fuzz_fail("success with %zu header cells and %zu rows",
                             t.header.n, t.n_rows);
    else if (t.header.line < 1 || t.header.line > max_line)
        *why = svp_fuzz_fail("header line %ld outside 1..%ld", t.header.line, max_line);
    for (i = 0, prev = t.header.line; *why == NULL && i < t.n_rows; i++) {
        const svp_csv_record *r = &t.rows[i];
        int empty = 1;

        if (r->n != t.header.n)
            *why = svp_fuzz_fail("row %zu has %zu cells, the header %zu", i,
                                 r->n, t.header.n);
        else if (r->line <= prev || r->line > max_line)
            *why = svp_fuzz_fail("row %zu on line %ld, after line %ld (max %ld)",
                                 i, r->line, prev, max_line);
        for (j = 0; *why == NULL && j < r->n; j++) {
            if (r->cells[j] == NULL)
                *why = svp_fuzz_fail("row %zu cell %zu is NULL", i, j);
            else if (!svp_fuzz_utf8_ok(r->cells[j]))
                *why = svp_fuzz_fail("row %zu cell %zu is not valid UTF-8", i, j);
            else if (r->cells[j][0] != '\0')
                empty = 0;
        }
        if (*why == NULL && empty)
            *why = svp_fuzz_fail("row %zu (line %ld) is empty; empty records "
                                 "must be skipped", i, r->line);
        prev = r->line;
    }
    for (j = 0; *why == NULL && j < t.header.n; j++)
        if (t.header.cells[j] == NULL || !svp_fuzz_utf8_ok(t.header.cells[j]))
            *why = svp_fuzz_fail("header cell %zu is NULL or not valid UTF-8", j);
    for (j = 0; *why == NULL && j < t.header.n && t.header.cells[j][0] == '\0'; j++)
        if (j + 1 == t.header.n)
            *why = svp_fuzz_fail("the header (line %ld) is empty; empty records "
                                 "must be skipped", t.header.line);
    svp_csv_fini(&t);
    return err;
}

static inline const char *svp_fuzz_csv(const uint8_t *data, size_t size)
{
    return svp_fuzz_run(svp_fuzz_read_csv, SVP_FUZZ_MEM_PATH, data, size);
}

/* ---- the readers of read.h and deploy.h ------------------------------------ */

/* Writes the input to the temporary file; on failure sets *why and returns
 * SVP_ERR_IO. */
static inline svp_err svp_fuzz_put(const uint8_t *data, size_t size, const char **why)
{
    if (svp_fuzz_tmp_write(data, size) != 0) {
        *why = svp_fuzz_fail("cannot write the temporary file");
        return SVP_ERR_IO;
    }
    return SVP_OK;
}

/* Finite, in [lo, hi] (the bounds are those read.h and hw.h state). */
static inline int svp_fuzz_in(double v, double lo, double hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

static inline const char *svp_fuzz_check_hw(const svp_hw *h)
{
    int dt;

    if (!svp_fuzz_fits(h->name, sizeof h->name) || h->name[0] == '\0' ||
        !svp_fuzz_fits(h->vendor, sizeof h->vendor) || h->vendor[0] == '\0' ||
        !svp_fuzz_fits(h->confidence, sizeof h->confidence) ||
        !svp_fuzz_fits(h->source, sizeof h->source) || h->source[0] == '\0' ||
        !svp_fuzz_fits(h->eff_source, sizeof h->eff_source) ||
        !svp_fuzz_fits(h->note, sizeof h->note))
        return "empty or unterminated name, vendor, source or text field";
    if (!(h->peak_flops[SVP_DT_BF16] > 0.0))
        return "bf16 peak not positive";
    for (dt = 0; dt < SVP_DT_COUNT; dt++)
        if (!svp_fuzz_in(h->peak_flops[dt], 0.0, HUGE_VAL))
            return "a peak is negative or not finite";
    if (!(h->dram_bytes > 0.0) || !(h->hbm_bytes_per_s > 0.0) ||
        !(h->c2c_bytes_per_s > 0.0) || !isfinite(h->dram_bytes) ||
        !isfinite(h->hbm_bytes_per_s) || !isfinite(h->c2c_bytes_per_s))
        return "dram, hbm or c2c not a positive finite number";
    if (!svp_fuzz_in(h->a2a_bytes_per_s, 0.0, HUGE_VAL) ||
        !svp_fuzz_in(h->tdp_w, 0.0, HUGE_VAL))
        return "a2a or tdp negative or not finite";
    if (h->ranks_per_chip < 1 || h->chips_per_domain < 1)
        return "ranks_per_chip or chips_per_domain below 1";
    if (!(h->eff_gemm > 0.0 && h->eff_gemm <= 1.0) ||
        !(h->eff_attn > 0.0 && h->eff_attn <= 1.0) ||
        !(h->eff_mem > 0.0 && h->eff_mem <= 1.0) ||
        !(h->eff_attn_mem > 0.0 && h->eff_attn_mem <= 1.0) ||
        !(h->eff_net_up > 0.0 && h->eff_net_up <= 1.0) ||
        !(h->eff_net_out > 0.0 && h->eff_net_out <= 1.0))
        return "an efficiency outside (0, 1]";
    if (!svp_fuzz_in(h->coll_latency_s, 0.0, HUGE_VAL) ||
        !svp_fuzz_in(h->layer_overhead_s, 0.0, HUGE_VAL) ||
        !svp_fuzz_in(h->step_overhead_s, 0.0, HUGE_VAL))
        return "a latency or overhead negative or not finite";
    if (!svp_fuzz_in(h->reserve_bytes, 0.0, HUGE_VAL) ||
        !(h->reserve_bytes < h->dram_bytes))
        return "reserve negative or not below dram";
    return NULL;
}

static inline svp_err svp_fuzz_read_hardware(const char *path, const uint8_t *data,
                                             size_t size, long max_line, svp_diag *d,
                                             const char **why)
{
    svp_hw_table t;
    svp_err err;
    size_t i, j;

    (void)max_line;
    if (svp_fuzz_put(data, size, why) != SVP_OK)
        return SVP_ERR_IO;
    memset(&t, 0xA5, sizeof t);
    err = svp_read_hardware(path, &t, d);
    if (err != SVP_OK) {
        if (t.rows != NULL || t.n != 0)
            *why = svp_fuzz_fail("error %d but the table is not empty", (int)err);
        return err;
    }
    if (t.n == 0 || t.rows == NULL)
        *why = svp_fuzz_fail("success with no chips");
    for (i = 0; *why == NULL && i < t.n; i++) {
        const char *bad = svp_fuzz_check_hw(&t.rows[i]);

        if (bad != NULL)
            *why = svp_fuzz_fail("chip %zu: %s", i, bad);
        for (j = 0; *why == NULL && j < i; j++)
            if (strcmp(t.rows[i].name, t.rows[j].name) == 0)
                *why = svp_fuzz_fail("chips %zu and %zu share the name \"%s\"",
                                     j, i, t.rows[i].name);
    }
    svp_hw_table_fini(&t);
    return err;
}

static inline svp_err svp_fuzz_read_model(const char *path, const uint8_t *data,
                                          size_t size, long max_line, svp_diag *d,
                                          const char **why)
{
    /* Every int field of svp_model, and whether it must be >= 1 (model.h:
     * the dimensions a transformer cannot do without). */
    static const struct {
        size_t offset;
        int positive;
    } f[] = {
        {offsetof(svp_model, hidden), 1},
        {offsetof(svp_model, n_layers), 1},
        {offsetof(svp_model, n_dense_layers), 0},
        {offsetof(svp_model, dense_ffn), 0},
        {offsetof(svp_model, n_heads), 1},
        {offsetof(svp_model, q_lora_rank), 0},
        {offsetof(svp_model, kv_lora_rank), 1},
        {offsetof(svp_model, qk_nope_dim), 1},
        {offsetof(svp_model, qk_rope_dim), 0},
        {offsetof(svp_model, v_head_dim), 1},
        {offsetof(svp_model, n_routed_experts), 0},
        {offsetof(svp_model, n_shared_experts), 0},
        {offsetof(svp_model, top_k), 0},
        {offsetof(svp_model, moe_ffn), 0},
        {offsetof(svp_model, n_expert_groups), 0},
        {offsetof(svp_model, routing_max_groups), 0},
        {offsetof(svp_model, vocab), 1},
        {offsetof(svp_model, n_mtp_modules), 0},
        {offsetof(svp_model, n_redundant_experts), 0},
    };
    static const svp_model zero;
    svp_model m;
    svp_err err;
    size_t i;

    (void)max_line;
    if (svp_fuzz_put(data, size, why) != SVP_OK)
        return SVP_ERR_IO;
    memset(&m, 0xA5, sizeof m);
    err = svp_read_model(path, &m, d);
    if (err != SVP_OK) {
        if (memcmp(&m, &zero, sizeof m) != 0)
            *why = svp_fuzz_fail("error %d but the model is not left empty", (int)err);
        return err;
    }
    if (!svp_fuzz_fits(m.name, sizeof m.name) || m.name[0] == '\0')
        *why = svp_fuzz_fail("empty or unterminated model name");
    for (i = 0; *why == NULL && i < sizeof f / sizeof f[0]; i++) {
        int v;

        memcpy(&v, (const char *)&m + f[i].offset, sizeof v);
        if (v < f[i].positive)
            *why = svp_fuzz_fail("field at offset %zu is %d, expected >= %d",
                                 f[i].offset, v, f[i].positive);
    }
    if (*why == NULL && m.n_dense_layers > m.n_layers)
        *why = svp_fuzz_fail("%d dense layers of %d", m.n_dense_layers, m.n_layers);
    if (*why == NULL && m.top_k > m.n_routed_experts)
        *why = svp_fuzz_fail("top_k %d of %d routed experts", m.top_k,
                             m.n_routed_experts);
    return err;
}

static inline svp_err svp_fuzz_read_scenarios(const char *path, const uint8_t *data,
                                              size_t size, long max_line, svp_diag *d,
                                              const char **why)
{
    svp_scenario_table t;
    svp_err err;
    size_t i, j;

    (void)max_line;
    if (svp_fuzz_put(data, size, why) != SVP_OK)
        return SVP_ERR_IO;
    memset(&t, 0xA5, sizeof t);
    err = svp_read_scenarios(path, &t, d);
    if (err != SVP_OK) {
        if (t.rows != NULL || t.n != 0)
            *why = svp_fuzz_fail("error %d but the table is not empty", (int)err);
        return err;
    }
    if (t.n == 0 || t.rows == NULL)
        *why = svp_fuzz_fail("success with no scenarios");
    for (i = 0; *why == NULL && i < t.n; i++) {
        const svp_scenario *s = &t.rows[i];

        if (!svp_fuzz_fits(s->name, sizeof s->name) || s->name[0] == '\0' ||
            !svp_fuzz_fits(s->source, sizeof s->source))
            *why = svp_fuzz_fail("scenario %zu: empty or unterminated name or source", i);
        else if (s->input_len < 1)
            *why = svp_fuzz_fail("scenario %zu: input_len %d", i, s->input_len);
        else if (s->phase == SVP_PHASE_DECODE &&
                 !(s->output_len >= 1 && s->max_tpot_s > 0.0 &&
                   isfinite(s->max_tpot_s) && s->max_ftl_s == 0.0))
            *why = svp_fuzz_fail("decode scenario %zu: output %d, tpot %g s, ftl %g s",
                                 i, s->output_len, s->max_tpot_s, s->max_ftl_s);
        else if (s->phase == SVP_PHASE_PREFILL &&
                 !(s->output_len == 0 && s->max_tpot_s == 0.0 &&
                   s->max_ftl_s > 0.0 && isfinite(s->max_ftl_s)))
            *why = svp_fuzz_fail("prefill scenario %zu: output %d, tpot %g s, ftl %g s",
                                 i, s->output_len, s->max_tpot_s, s->max_ftl_s);
        else if (s->phase != SVP_PHASE_DECODE && s->phase != SVP_PHASE_PREFILL)
            *why = svp_fuzz_fail("scenario %zu: phase %d", i, (int)s->phase);
        for (j = 0; *why == NULL && j < i; j++)
            if (strcmp(s->name, t.rows[j].name) == 0)
                *why = svp_fuzz_fail("scenarios %zu and %zu share the name \"%s\"",
                                     j, i, s->name);
    }
    svp_scenario_table_fini(&t);
    return err;
}

/* Positive, strictly ascending (sorted, no duplicates), powers of two when
 * pow2 (read.h). */
static inline const char *svp_fuzz_check_grid(const svp_grid *g, int pow2)
{
    size_t i;

    if (g->n == 0 || g->v == NULL)
        return "an empty grid";
    for (i = 0; i < g->n; i++) {
        if (g->v[i] < 1)
            return "a value below 1";
        if (i > 0 && g->v[i] <= g->v[i - 1])
            return "not strictly ascending";
        if (pow2 && (g->v[i] & (g->v[i] - 1)) != 0)
            return "a value that is not a power of two";
    }
    return NULL;
}

static inline svp_err svp_fuzz_read_space(const char *path, const uint8_t *data,
                                          size_t size, long max_line, svp_diag *d,
                                          const char **why)
{
    static const svp_space zero;
    svp_space s;
    svp_err err;
    const char *bad;

    (void)max_line;
    if (svp_fuzz_put(data, size, why) != SVP_OK)
        return SVP_ERR_IO;
    memset(&s, 0xA5, sizeof s);
    err = svp_read_space(path, &s, d);
    if (err != SVP_OK) {
        if (memcmp(&s, &zero, sizeof s) != 0)
            *why = svp_fuzz_fail("error %d but the space is not left empty", (int)err);
        return err;
    }
    if ((bad = svp_fuzz_check_grid(&s.batch, 0)) != NULL)
        *why = svp_fuzz_fail("batch: %s", bad);
    else if ((bad = svp_fuzz_check_grid(&s.mla_tp, 1)) != NULL)
        *why = svp_fuzz_fail("mla_tp: %s", bad);
    else if ((bad = svp_fuzz_check_grid(&s.mla_dp, 0)) != NULL)
        *why = svp_fuzz_fail("mla_dp: %s", bad);
    else if ((bad = svp_fuzz_check_grid(&s.moe_tp, 1)) != NULL)
        *why = svp_fuzz_fail("moe_tp: %s", bad);
    else if ((bad = svp_fuzz_check_grid(&s.moe_ep, 0)) != NULL)
        *why = svp_fuzz_fail("moe_ep: %s", bad);
    else if ((bad = svp_fuzz_check_grid(&s.sp, 1)) != NULL)
        *why = svp_fuzz_fail("sp: %s", bad);
    svp_space_fini(&s);
    return err;
}

static inline svp_err svp_fuzz_read_prices(const char *path, const uint8_t *data,
                                           size_t size, long max_line, svp_diag *d,
                                           const char **why)
{
    svp_price_table t;
    svp_err err;
    size_t i, j;

    (void)max_line;
    if (svp_fuzz_put(data, size, why) != SVP_OK)
        return SVP_ERR_IO;
    memset(&t, 0xA5, sizeof t);
    err = svp_read_prices(path, &t, d);
    if (err != SVP_OK) {
        if (t.rows != NULL || t.n != 0)
            *why = svp_fuzz_fail("error %d but the table is not empty", (int)err);
        return err;
    }
    if (t.n == 0 || t.rows == NULL)
        *why = svp_fuzz_fail("success with no prices");
    for (i = 0; *why == NULL && i < t.n; i++) {
        const svp_price *p = &t.rows[i];

        if (!svp_fuzz_fits(p->chip, sizeof p->chip) || p->chip[0] == '\0' ||
            !svp_fuzz_fits(p->basis, sizeof p->basis) ||
            !svp_fuzz_fits(p->date, sizeof p->date) || p->date[0] == '\0' ||
            !svp_fuzz_fits(p->confidence, sizeof p->confidence) ||
            !svp_fuzz_fits(p->source, sizeof p->source) || p->source[0] == '\0')
            *why = svp_fuzz_fail("price %zu: empty or unterminated text field", i);
        else if (!(p->unit_usd_low > 0.0 && isfinite(p->unit_usd_high) &&
                   p->unit_usd_high >= p->unit_usd_low))
            *why = svp_fuzz_fail("price %zu: unit %g..%g USD", i, p->unit_usd_low,
                                 p->unit_usd_high);
        else if (p->has_hourly &&
                 !(p->hourly_usd_low > 0.0 && isfinite(p->hourly_usd_high) &&
                   p->hourly_usd_high >= p->hourly_usd_low))
            *why = svp_fuzz_fail("price %zu: hourly %g..%g USD", i,
                                 p->hourly_usd_low, p->hourly_usd_high);
        else if (!p->has_hourly && (p->hourly_usd_low != 0.0 || p->hourly_usd_high != 0.0))
            *why = svp_fuzz_fail("price %zu: no hourly price, yet %g..%g USD", i,
                                 p->hourly_usd_low, p->hourly_usd_high);
        for (j = 0; *why == NULL && j < i; j++)
            if (strcmp(p->chip, t.rows[j].chip) == 0)
                *why = svp_fuzz_fail("prices %zu and %zu share the chip \"%s\"",
                                     j, i, p->chip);
    }
    svp_price_table_fini(&t);
    return err;
}

static inline const char *svp_fuzz_check_deployment(const svp_deployment *r,
                                                    long max_line)
{
    const svp_config *c = &r->cfg;

    if (!svp_fuzz_fits(r->id, sizeof r->id) || r->id[0] == '\0' ||
        !svp_fuzz_fits(r->chip, sizeof r->chip) || r->chip[0] == '\0' ||
        !svp_fuzz_fits(r->source, sizeof r->source) ||
        !svp_fuzz_fits(r->note, sizeof r->note))
        return "empty or unterminated id or chip, or unterminated text field";
    if (r->phase != SVP_PHASE_DECODE && r->phase != SVP_PHASE_PREFILL)
        return "phase neither decode nor prefill";
    if (c->mla_tp < 1 || c->mla_dp < 1 || c->moe_tp < 1 || c->moe_ep < 1 ||
        c->sp < 1 || c->batch < 1 || r->n_ranks < 1)
        return "a parallel degree, the batch or n_ranks below 1";
    /* deploy.h: n_ranks = mla_tp * mla_dp = moe_tp * moe_ep (in double:
     * the product of two ints may not fit one). */
    if ((double)c->mla_tp * c->mla_dp != (double)r->n_ranks ||
        (double)c->moe_tp * c->moe_ep != (double)r->n_ranks)
        return "n_ranks differs from mla_tp x mla_dp or moe_tp x moe_ep";
    if (r->input_len < 1)
        return "input_len below 1";
    if (r->phase == SVP_PHASE_DECODE ? r->output_len < 1 : r->output_len != 0)
        return "output_len below 1 in decode or not 0 in prefill";
    if (r->tbo != SVP_TBO_ON && r->tbo != SVP_TBO_OFF)
        return "tbo neither on nor off";
    if (r->mtp_draft < 0 || !isfinite(r->mtp_accept) || r->mtp_accept < 1.0 ||
        r->mtp_accept > r->mtp_draft + 1.0)
        return "mtp_tokens_per_step outside [1, mtp_draft + 1]";
    if ((int)r->weight_dtype < 0 || (int)r->weight_dtype >= SVP_DT_COUNT ||
        (int)r->kv_dtype < 0 || (int)r->kv_dtype >= SVP_DT_COUNT ||
        r->kv_dtype == SVP_DT_FP4)
        return "a dtype out of range, or an FP4 KV cache";
    if (!(r->measured_tps_per_chip > 0.0) || !isfinite(r->measured_tps_per_chip))
        return "measured tokens/s not a positive finite number";
    if (!svp_fuzz_in(r->measured_latency_s, 0.0, HUGE_VAL))
        return "measured latency negative or not finite";
    if (r->line < 1 || r->line > max_line)
        return "row line outside the input";
    return NULL;
}

static inline svp_err svp_fuzz_read_deployments(const char *path, const uint8_t *data,
                                                size_t size, long max_line, svp_diag *d,
                                                const char **why)
{
    static const svp_deployment_table zero;
    svp_deployment_table t;
    svp_err err;
    size_t i, j;

    if (svp_fuzz_put(data, size, why) != SVP_OK)
        return SVP_ERR_IO;
    memset(&t, 0xA5, sizeof t);
    err = svp_read_deployments(path, &t, d);
    if (err != SVP_OK) {
        if (memcmp(&t, &zero, sizeof t) != 0)
            *why = svp_fuzz_fail("error %d but the table is not left empty", (int)err);
        return err;
    }
    if (t.n == 0 || t.rows == NULL)
        *why = svp_fuzz_fail("success with no deployments");
    else if (!svp_fuzz_fits(t.file, sizeof t.file) || strcmp(t.file, path) != 0)
        *why = svp_fuzz_fail("the table names file \"%.*s\", expected \"%s\"",
                             (int)sizeof t.file, t.file, path);
    for (i = 0; *why == NULL && i < t.n; i++) {
        const char *bad = svp_fuzz_check_deployment(&t.rows[i], max_line);

        if (bad != NULL)
            *why = svp_fuzz_fail("deployment %zu (line %ld): %s", i, t.rows[i].line, bad);
        for (j = 0; *why == NULL && j < i; j++)
            if (strcmp(t.rows[i].id, t.rows[j].id) == 0)
                *why = svp_fuzz_fail("deployments %zu and %zu share the id \"%s\"",
                                     j, i, t.rows[i].id);
    }
    svp_deployment_table_fini(&t);
    return err;
}

/* Runs a reader on the input through the temporary file. */
static inline const char *svp_fuzz_reader(svp_fuzz_read_fn rd, const uint8_t *data,
                                          size_t size)
{
    const char *path = svp_fuzz_tmp_path();

    if (path == NULL)
        return svp_fuzz_why_buf();
    return svp_fuzz_run(rd, path, data, size);
}

static inline const char *svp_fuzz_hardware(const uint8_t *data, size_t size)
{
    return svp_fuzz_reader(svp_fuzz_read_hardware, data, size);
}

static inline const char *svp_fuzz_model(const uint8_t *data, size_t size)
{
    return svp_fuzz_reader(svp_fuzz_read_model, data, size);
}

static inline const char *svp_fuzz_scenarios(const uint8_t *data, size_t size)
{
    return svp_fuzz_reader(svp_fuzz_read_scenarios, data, size);
}

static inline const char *svp_fuzz_space(const uint8_t *data, size_t size)
{
    return svp_fuzz_reader(svp_fuzz_read_space, data, size);
}

static inline const char *svp_fuzz_prices(const uint8_t *data, size_t size)
{
    return svp_fuzz_reader(svp_fuzz_read_prices, data, size);
}

static inline const char *svp_fuzz_deployments(const uint8_t *data, size_t size)
{
    return svp_fuzz_reader(svp_fuzz_read_deployments, data, size);
}

/* The body of a libFuzzer target: a failed check aborts, so libFuzzer keeps
 * the input as a crash. */
#define SVP_FUZZ_TARGET(entry)                                                \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);             \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)              \
    {                                                                         \
        const char *why = entry(data, size);                                  \
        if (why != NULL) {                                                    \
            fprintf(stderr, "servplan fuzz check failed (%s): %s\n", #entry, why); \
            abort();                                                          \
        }                                                                     \
        return 0;                                                             \
    }

#endif
