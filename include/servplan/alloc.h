/*
 * alloc.h - the one allocation wrapper every servplan module uses.
 *
 * Going through one wrapper lets a test make the n-th allocation fail
 * (SQLite-style fault injection) and check that every path ends in a clean
 * SVP_ERR_NOMEM with nothing leaked.
 */
#ifndef SERVPLAN_ALLOC_H
#define SERVPLAN_ALLOC_H

#include <stddef.h>

void *svp_malloc(size_t size);            /* NULL on failure (or injected failure) */
void *svp_calloc(size_t n, size_t size);  /* zeroed; NULL on failure or overflow */
void *svp_realloc(void *p, size_t size);  /* like realloc; p untouched on failure */
char *svp_strdup(const char *s);          /* NULL on failure */
void svp_free(void *p);                   /* accepts NULL */

/* Fault injection for tests: the n-th call (1-based) from now on of
 * svp_malloc/svp_calloc/svp_realloc/svp_strdup fails, and so does every
 * later one when sticky is non-zero.  n = 0 turns injection off. */
void svp_alloc_fail_at(long n, int sticky);

/* Number of successful allocation calls since the process started. */
long svp_alloc_count(void);

#endif
