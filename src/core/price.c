/*
 * price.c - chip price lookups and midpoints (price.h).  Pure: no stdio.
 *
 * The midpoint is the default price (../shared/data/README.md: "the report
 * uses the midpoint unless told otherwise").
 */
#include "servplan/price.h"

#include <string.h>

#include "servplan/alloc.h"

void svp_price_table_fini(svp_price_table *t)
{
    if (t == NULL)
        return;
    svp_free(t->rows);
    t->rows = NULL;
    t->n = 0;
}

const svp_price *svp_price_find(const svp_price_table *t, const char *chip)
{
    size_t i;

    if (t == NULL || chip == NULL)
        return NULL;
    for (i = 0; i < t->n; i++)
        if (strcmp(t->rows[i].chip, chip) == 0)
            return &t->rows[i];
    return NULL;
}

double svp_price_unit_mid(const svp_price *p)
{
    return (p->unit_usd_low + p->unit_usd_high) / 2.0;
}

double svp_price_hourly_mid(const svp_price *p)
{
    if (!p->has_hourly)
        return 0.0;
    return (p->hourly_usd_low + p->hourly_usd_high) / 2.0;
}
