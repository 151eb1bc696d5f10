/*
 * read_space.c - data/search-space.csv into an svp_space (read.h).
 *
 * One row per variable of seed Art.4 (batch, mla_tp, mla_dp, moe_tp, moe_ep,
 * sp), its grid written as positive integers separated by spaces.  Tensor
 * and sequence parallel degrees must be powers of two (seed Art.4: "power of
 * 2"; the head and hidden dimensions they split are).  Grids come back sorted
 * with duplicates dropped, so the search never evaluates a point twice.
 */
#include "servplan/read.h"

#include <stdlib.h>
#include <string.h>

#include "servplan/alloc.h"
#include "servplan/csv.h"

enum { C_VARIABLE, C_VALUES, C_SOURCE, C_COUNT };

static const svp_csv_col cols[C_COUNT] = {
    [C_VARIABLE] = {"variable", 1},
    [C_VALUES] = {"values", 1},
    [C_SOURCE] = {"source", 1},
};

/* A grid value above ten million (requests or ranks) is a typo. */
#define VALUE_MAX 10000000L

enum { V_BATCH, V_MLA_TP, V_MLA_DP, V_MOE_TP, V_MOE_EP, V_SP, V_COUNT };

static const struct {
    const char *name;
    int pow2;
} vars[V_COUNT] = {
    [V_BATCH] = {"batch", 0},
    [V_MLA_TP] = {"mla_tp", 1},
    [V_MLA_DP] = {"mla_dp", 0},
    [V_MOE_TP] = {"moe_tp", 1},
    [V_MOE_EP] = {"moe_ep", 0},
    [V_SP] = {"sp", 1},
};

static svp_grid *grid_of(svp_space *s, int v)
{
    switch (v) {
    case V_BATCH:  return &s->batch;
    case V_MLA_TP: return &s->mla_tp;
    case V_MLA_DP: return &s->mla_dp;
    case V_MOE_TP: return &s->moe_tp;
    case V_MOE_EP: return &s->moe_ep;
    default:       return &s->sp;
    }
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t';
}

/* Parses the values cell into g (sorted, unique). */
static svp_err parse_grid(const svp_csv_cursor *c, int pow2, svp_grid *g,
                          svp_diag *d)
{
    const char *text = svp_csv_text(c, C_VALUES);
    const char *p;
    size_t n = 0, i, k;
    int *v = NULL;
    svp_err err;

    /* Count the tokens to size the array once. */
    for (p = text; *p;) {
        while (is_space(*p))
            p++;
        if (*p == '\0')
            break;
        n++;
        while (*p && !is_space(*p))
            p++;
    }
    if (n == 0) {
        err = svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line,
                           cols[C_VALUES].name,
                           "expected positive integers separated by spaces, got \"%s\"",
                           text);
        goto fail;
    }
    v = svp_malloc(n * sizeof *v);
    if (v == NULL) {
        err = svp_diag_set(d, SVP_ERR_NOMEM, c->path, c->rec->line, NULL,
                           "out of memory");
        goto fail;
    }
    for (p = text, i = 0; i < n; i++) {
        char tok[32];
        size_t len = 0;
        long x;

        while (is_space(*p))
            p++;
        while (p[len] && !is_space(p[len]))
            len++;
        if (len >= sizeof tok) {
            err = svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line,
                               cols[C_VALUES].name,
                               "expected positive integers up to %ld, got "
                               "\"%.*s\" in \"%s\"", VALUE_MAX, (int)len, p, text);
            goto fail;
        }
        memcpy(tok, p, len);
        tok[len] = '\0';
        p += len;
        if (svp_csv_parse_long(tok, &x) != 0 || x < 1) {
            err = svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line,
                               cols[C_VALUES].name,
                               "expected positive integers separated by "
                               "spaces, got \"%s\" in \"%s\"", tok, text);
            goto fail;
        }
        if (x > VALUE_MAX) {
            err = svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line,
                               cols[C_VALUES].name,
                               "expected positive integers up to %ld, got "
                               "\"%s\" in \"%s\"", VALUE_MAX, tok, text);
            goto fail;
        }
        if (pow2 && (x & (x - 1)) != 0) {
            err = svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line,
                               cols[C_VALUES].name,
                               "expected powers of two (1, 2, 4, 8, ...), "
                               "got %ld in \"%s\"", x, text);
            goto fail;
        }
        v[i] = (int)x;
    }
    qsort(v, n, sizeof *v, cmp_int);
    for (i = 1, k = 1; i < n; i++)
        if (v[i] != v[k - 1])
            v[k++] = v[i];
    g->v = v;
    g->n = k;
    return SVP_OK;

fail:
    svp_free(v);
    return err;
}

svp_err svp_read_space(const char *path, svp_space *out, svp_diag *d)
{
    svp_csv_table t;
    int idx[C_COUNT];
    svp_space s;
    long line[V_COUNT] = {0};
    size_t i;
    int k;
    svp_err err;

    memset(out, 0, sizeof *out);
    memset(&s, 0, sizeof s);
    err = svp_csv_load(path, &t, d);
    if (err != SVP_OK)
        return err;
    err = svp_csv_bind(&t, path, cols, C_COUNT, idx, d);
    if (err != SVP_OK)
        goto fail;

    for (i = 0; i < t.n_rows; i++) {
        svp_csv_cursor c = {path, &t.rows[i], cols, idx};
        const char *name = svp_csv_text(&c, C_VARIABLE);

        for (k = 0; k < V_COUNT; k++)
            if (strcmp(vars[k].name, name) == 0)
                break;
        if (k == V_COUNT) {
            err = svp_diag_set(d, SVP_ERR_DATA, path, t.rows[i].line,
                               cols[C_VARIABLE].name,
                               "unknown variable \"%s\" (expected batch, mla_tp, "
                               "mla_dp, moe_tp, moe_ep or sp)", name);
            goto fail;
        }
        if (line[k] != 0) {
            err = svp_diag_set(d, SVP_ERR_DATA, path, t.rows[i].line,
                               cols[C_VARIABLE].name,
                               "duplicate variable \"%s\" (first on line %ld)",
                               name, line[k]);
            goto fail;
        }
        line[k] = t.rows[i].line;
        err = parse_grid(&c, vars[k].pow2, grid_of(&s, k), d);
        if (err != SVP_OK)
            goto fail;
    }
    for (k = 0; k < V_COUNT; k++) {
        if (line[k] == 0) {
            err = svp_diag_set(d, SVP_ERR_DATA, path, 0, cols[C_VARIABLE].name,
                               "missing variable \"%s\"", vars[k].name);
            goto fail;
        }
    }
    *out = s;
    svp_csv_fini(&t);
    return SVP_OK;

fail:
    svp_space_fini(&s);
    svp_csv_fini(&t);
    return err;
}
