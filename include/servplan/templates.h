/*
 * templates.h - report labels and generated sentences as data
 * (templates/en.csv, templates/zh.csv; columns key,text,note).
 *
 * Sentences carry named placeholders, {chip}, {tps}, ..., so a translation
 * may reorder them.  Edge code (src/io/templates.c): it reads files.
 */
#ifndef SERVPLAN_TEMPLATES_H
#define SERVPLAN_TEMPLATES_H

#include <stddef.h>

#include "servplan/err.h"

typedef struct svp_strings {
    char lang[8];        /* "en", "zh" */
    char **keys;         /* sorted, for bsearch */
    char **texts;
    size_t n;
} svp_strings;

/* Loads templates/LANG.csv from dir.  Every key of `required` (NULL-ended,
 * may be NULL) must be present: a missing key is SVP_ERR_DATA naming it, so
 * a translation cannot silently lack a label.  Duplicate keys are errors. */
svp_err svp_strings_load(const char *dir, const char *lang, const char *const *required,
                         svp_strings *out, svp_diag *d);
void svp_strings_fini(svp_strings *s);

/* Every key the workbook and the charts use (NULL-ended); svp_strings_load
 * is given this list so a template file missing one is an error. */
extern const char *const svp_report_keys[];

/* The text of key; the key itself if absent (never NULL). */
const char *svp_tr(const svp_strings *s, const char *key);

/* Copies the text of key into out (cap bytes, always NUL-terminated),
 * replacing each {name} by the value of the same index in names/values.
 * Unknown placeholders are left as they are.  Returns the length the full
 * result needs (like snprintf). */
size_t svp_tr_fill(const svp_strings *s, const char *key, char *out, size_t cap,
                   const char *const *names, const char *const *values, size_t n);

/* Every key the report (workbook and charts) uses, NULL-ended: the
 * `required` list of svp_strings_load for the report.  Defined in
 * src/io/xlsx.c. */
extern const char *const svp_report_keys[];

#endif
