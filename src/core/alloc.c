/*
 * alloc.c - the one allocation wrapper (alloc.h), with SQLite-style fault
 * injection: a test asks for the n-th allocation to fail and checks that the
 * code under test unwinds to SVP_ERR_NOMEM without crashing or leaking.
 *
 * Pure apart from the C library allocator; no stdio.  The injection state is
 * process-global and not thread-safe: servplan is single-threaded.
 */
#include "servplan/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static long g_fail_at;    /* calls left until the failing one; 0 = off */
static int g_sticky;      /* keep failing once the failure has fired */
static int g_failing;     /* sticky failure in progress */
static long g_count;      /* successful allocation calls */

void svp_alloc_fail_at(long n, int sticky)
{
    g_fail_at = n > 0 ? n : 0;
    g_sticky = sticky;
    g_failing = 0;
}

long svp_alloc_count(void)
{
    return g_count;
}

/* Counts one allocation call; non-zero when this call must fail. */
static int should_fail(void)
{
    if (g_failing)
        return 1;
    if (g_fail_at > 0) {
        g_fail_at--;
        if (g_fail_at == 0) {
            g_failing = g_sticky;
            return 1;
        }
    }
    return 0;
}

/* malloc(0) may return NULL, which callers would read as failure; every
 * wrapper therefore asks for at least one byte. */
void *svp_malloc(size_t size)
{
    void *p;

    if (should_fail())
        return NULL;
    p = malloc(size > 0 ? size : 1);
    if (p != NULL)
        g_count++;
    return p;
}

void *svp_calloc(size_t n, size_t size)
{
    void *p;

    if (should_fail())
        return NULL;
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    if (n == 0 || size == 0)
        n = size = 1;
    p = calloc(n, size);
    if (p != NULL)
        g_count++;
    return p;
}

void *svp_realloc(void *p, size_t size)
{
    void *q;

    if (should_fail())
        return NULL;
    q = realloc(p, size > 0 ? size : 1);
    if (q != NULL)
        g_count++;
    return q;
}

char *svp_strdup(const char *s)
{
    size_t len;
    char *p;

    if (s == NULL)
        return NULL;
    if (should_fail())
        return NULL;
    len = strlen(s) + 1;
    p = malloc(len);
    if (p == NULL)
        return NULL;
    memcpy(p, s, len);
    g_count++;
    return p;
}

void svp_free(void *p)
{
    free(p);
}
