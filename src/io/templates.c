/*
 * templates.c - report labels and sentences as data (templates.h):
 * templates/LANG.csv with columns key,text,note, read with the generic CSV
 * loader so BOM, CRLF, quoting and UTF-8 checks come for free.
 *
 * Edge code: it reads one file.  It knows nothing of what the labels mean;
 * the writers name the keys they need (svp_report_keys in xlsx.c) and a
 * missing one is a data error, so a translation cannot silently lack a label.
 */
#include <stdlib.h>
#include <string.h>

#include "servplan/alloc.h"
#include "servplan/csv.h"
#include "servplan/templates.h"

/* One entry while loading: the key, its text and the line it came from (for
 * the duplicate-key diagnostic after sorting). */
typedef struct entry {
    const char *key;
    const char *text;
    long line;
} entry;

static int cmp_entry(const void *va, const void *vb)
{
    const entry *a = va, *b = vb;
    int c = strcmp(a->key, b->key);
    if (c != 0)
        return c;
    return a->line < b->line ? -1 : a->line > b->line;
}

static int cmp_key(const void *vkey, const void *vslot)
{
    return strcmp((const char *)vkey, *(const char *const *)vslot);
}

/* A language code is a short lower-case word: it becomes part of a path. */
static int lang_ok(const char *lang)
{
    size_t n = strlen(lang), i;
    if (n == 0 || n >= sizeof ((svp_strings *)0)->lang)
        return 0;
    for (i = 0; i < n; i++)
        if (!((lang[i] >= 'a' && lang[i] <= 'z') || lang[i] == '_' || lang[i] == '-'))
            return 0;
    return 1;
}

void svp_strings_fini(svp_strings *s)
{
    size_t i;
    if (s == NULL)
        return;
    for (i = 0; i < s->n; i++) {
        svp_free(s->keys[i]);
        svp_free(s->texts[i]);
    }
    svp_free(s->keys);
    svp_free(s->texts);
    memset(s, 0, sizeof *s);
}

svp_err svp_strings_load(const char *dir, const char *lang, const char *const *required,
                         svp_strings *out, svp_diag *d)
{
    static const svp_csv_col cols[] = {
        {"key", 1},
        {"text", 1},
        {"note", 0},
    };
    int idx[3];
    svp_csv_table t;
    entry *e = NULL;
    char *path = NULL;
    svp_err err = SVP_OK;
    size_t i, n_path;

    memset(out, 0, sizeof *out);
    memset(&t, 0, sizeof t);
    if (!lang_ok(lang))
        return svp_diag_set(d, SVP_ERR_USAGE, NULL, 0, NULL,
                            "bad language code \"%s\" (expected e.g. en or zh)", lang);
    n_path = strlen(dir) + strlen(lang) + 6;   /* "/" + ".csv" + NUL */
    path = svp_malloc(n_path);
    if (path == NULL) {
        err = svp_diag_set(d, SVP_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto fail;
    }
    memcpy(path, dir, strlen(dir) + 1);
    strcat(path, "/");
    strcat(path, lang);
    strcat(path, ".csv");

    err = svp_csv_load(path, &t, d);
    if (err != SVP_OK)
        goto fail;
    err = svp_csv_bind(&t, path, cols, sizeof cols / sizeof cols[0], idx, d);
    if (err != SVP_OK)
        goto fail;

    e = svp_calloc(t.n_rows, sizeof *e);
    if (e == NULL) {
        err = svp_diag_set(d, SVP_ERR_NOMEM, path, 0, NULL, "out of memory");
        goto fail;
    }
    for (i = 0; i < t.n_rows; i++) {
        const svp_csv_record *r = &t.rows[i];
        e[i].key = r->cells[idx[0]];
        e[i].text = r->cells[idx[1]];
        e[i].line = r->line;
        if (e[i].key[0] == '\0') {
            err = svp_diag_set(d, SVP_ERR_DATA, path, r->line, "key", "empty key");
            goto fail;
        }
        if (e[i].text[0] == '\0') {
            err = svp_diag_set(d, SVP_ERR_DATA, path, r->line, "text",
                               "empty text for key '%s'", e[i].key);
            goto fail;
        }
    }
    qsort(e, t.n_rows, sizeof *e, cmp_entry);
    for (i = 1; i < t.n_rows; i++) {
        if (strcmp(e[i - 1].key, e[i].key) == 0) {
            err = svp_diag_set(d, SVP_ERR_DATA, path, e[i].line, "key",
                               "duplicate key '%s' (first on line %ld)", e[i].key,
                               e[i - 1].line);
            goto fail;
        }
    }

    out->keys = svp_calloc(t.n_rows, sizeof *out->keys);
    out->texts = svp_calloc(t.n_rows, sizeof *out->texts);
    if (out->keys == NULL || out->texts == NULL) {
        err = svp_diag_set(d, SVP_ERR_NOMEM, path, 0, NULL, "out of memory");
        goto fail;
    }
    for (i = 0; i < t.n_rows; i++) {
        out->keys[i] = svp_strdup(e[i].key);
        out->texts[i] = svp_strdup(e[i].text);
        out->n = i + 1;
        if (out->keys[i] == NULL || out->texts[i] == NULL) {
            err = svp_diag_set(d, SVP_ERR_NOMEM, path, 0, NULL, "out of memory");
            goto fail;
        }
    }
    memcpy(out->lang, lang, strlen(lang) + 1);

    for (i = 0; required != NULL && required[i] != NULL; i++) {
        if (bsearch(required[i], out->keys, out->n, sizeof *out->keys, cmp_key) == NULL) {
            err = svp_diag_set(d, SVP_ERR_DATA, path, 0, "key",
                               "missing key '%s' (every language needs every label)",
                               required[i]);
            goto fail;
        }
    }

fail:
    if (err != SVP_OK)
        svp_strings_fini(out);
    svp_free(e);
    svp_csv_fini(&t);
    svp_free(path);
    return err;
}

const char *svp_tr(const svp_strings *s, const char *key)
{
    char **slot;
    if (s == NULL || s->n == 0)
        return key;
    slot = bsearch(key, s->keys, s->n, sizeof *s->keys, cmp_key);
    return slot != NULL ? s->texts[slot - s->keys] : key;
}

/* Appends n bytes of p at *len, as far as cap allows (keeping room for the
 * NUL); *len always counts the full length. */
static void put(char *out, size_t cap, size_t *len, const char *p, size_t n)
{
    if (*len + 1 < cap) {
        size_t room = cap - 1 - *len;
        memcpy(out + *len, p, n < room ? n : room);
    }
    *len += n;
}

size_t svp_tr_fill(const svp_strings *s, const char *key, char *out, size_t cap,
                   const char *const *names, const char *const *values, size_t n)
{
    const char *p = svp_tr(s, key);
    size_t len = 0;

    while (*p != '\0') {
        const char *open = strchr(p, '{');
        const char *close;
        size_t k;

        if (open == NULL) {
            put(out, cap, &len, p, strlen(p));
            break;
        }
        put(out, cap, &len, p, (size_t)(open - p));
        close = strchr(open + 1, '}');
        if (close == NULL) {
            put(out, cap, &len, open, strlen(open));
            break;
        }
        for (k = 0; k < n; k++) {
            size_t nl = strlen(names[k]);
            if (nl == (size_t)(close - open - 1) && memcmp(open + 1, names[k], nl) == 0)
                break;
        }
        if (k < n)
            put(out, cap, &len, values[k], strlen(values[k]));
        else
            put(out, cap, &len, open, (size_t)(close - open + 1));   /* unknown: kept */
        p = close + 1;
    }
    if (cap > 0)
        out[len < cap ? len : cap - 1] = '\0';
    return len;
}
