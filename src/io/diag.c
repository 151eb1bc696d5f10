/*
 * diag.c - svp_diag_set (err.h).  It formats with vsnprintf, which lives in
 * <stdio.h>, so it sits at the edge rather than in the pure src/core/err.c.
 * It only formats into the struct; printing is the CLI's job.
 */
#include "servplan/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Copies src into dst[size], truncating on a UTF-8 character boundary so a
 * long file name or column never leaves half a character behind. */
static void copy_trunc(char *dst, size_t size, const char *src)
{
    size_t n;

    if (src == NULL) {
        dst[0] = '\0';
        return;
    }
    n = strlen(src);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* vsnprintf cuts a long message at a byte; drop a character it cut in half
 * so the message stays valid UTF-8. */
static void trim_partial_utf8(char *s)
{
    size_t n = strlen(s), i = n, need;
    unsigned char lead;

    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    lead = (unsigned char)s[i - 1];
    need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - (i - 1) < need)
        s[i - 1] = '\0';
}

svp_err svp_diag_set(svp_diag *d, svp_err code, const char *file, long line,
                     const char *column, const char *fmt, ...)
{
    char file_copy[sizeof d->file];
    char column_copy[sizeof d->column];

    if (d == NULL)
        return code;
    /* file or column may point into *d itself (re-setting a diagnostic with
     * its own fields); copy before clearing. */
    copy_trunc(file_copy, sizeof file_copy, file);
    copy_trunc(column_copy, sizeof column_copy, column);
    svp_diag_clear(d);
    memcpy(d->file, file_copy, sizeof d->file);
    memcpy(d->column, column_copy, sizeof d->column);
    d->line = line;
    if (fmt != NULL) {
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(d->msg, sizeof d->msg, fmt, ap);
        va_end(ap);
        if (n >= (int)sizeof d->msg)
            trim_partial_utf8(d->msg);
    }
    return code;
}
