/*
 * price.h - chip prices (data/prices.csv): a low/high range per chip for the
 * unit price and, where known, the hourly rental price, with date and source.
 * servplan uses the midpoint unless told otherwise (../shared/data/README.md).
 */
#ifndef SERVPLAN_PRICE_H
#define SERVPLAN_PRICE_H

#include <stddef.h>
#include "servplan/hw.h"

typedef struct svp_price {
    char chip[SVP_NAME_MAX];
    double unit_usd_low, unit_usd_high;     /* per package */
    int has_hourly;
    double hourly_usd_low, hourly_usd_high; /* per package-hour; valid if has_hourly */
    char basis[SVP_TEXT_MAX];
    char date[64];
    char confidence[32];
    char source[SVP_TEXT_MAX];
} svp_price;

typedef struct svp_price_table {
    svp_price *rows;
    size_t n;
} svp_price_table;

void svp_price_table_fini(svp_price_table *t);
const svp_price *svp_price_find(const svp_price_table *t, const char *chip);
double svp_price_unit_mid(const svp_price *p);    /* (low + high) / 2 */
double svp_price_hourly_mid(const svp_price *p);  /* (low + high) / 2; 0 without hourly */

#endif
