/*
 * read_prices.c - data/prices.csv into an svp_price_table (read.h).
 *
 * The columns are those of ../shared/data/prices.csv: a low/high range of
 * the unit price in USD per package, an optional low/high hourly rental
 * price, the basis of the numbers, their date, a confidence grade and the
 * source URLs.  Prices move, so the date and source travel with the row into
 * the report.  A chip missing from this file is not an error here: it gets
 * plans without cost figures.
 */
#include "servplan/read.h"

#include <stddef.h>
#include <string.h>

#include "servplan/alloc.h"
#include "servplan/csv.h"

enum {
    C_CHIP, C_UNIT_LOW, C_UNIT_HIGH, C_BASIS, C_HOURLY_LOW, C_HOURLY_HIGH,
    C_DATE, C_CONFIDENCE, C_SOURCE, C_COUNT
};

static const svp_csv_col cols[C_COUNT] = {
    [C_CHIP] = {"chip", 1},
    [C_UNIT_LOW] = {"unit_price_usd_low", 1},
    [C_UNIT_HIGH] = {"unit_price_usd_high", 1},
    [C_BASIS] = {"unit_price_basis", 1},
    [C_HOURLY_LOW] = {"hourly_usd_low", 1},
    [C_HOURLY_HIGH] = {"hourly_usd_high", 1},
    [C_DATE] = {"date", 1},
    [C_CONFIDENCE] = {"confidence", 1},
    [C_SOURCE] = {"source_urls", 1},
};

/* The dearest accelerator package of 2025 sells for tens of thousands of
 * USD and rents for a few USD an hour; a thousand times that is a typo. */
static const svp_csv_num unit = {.what = "a positive number", .min_open = 1, .max = 1e8};
static const svp_csv_num hourly = {
    .what = "a positive number or empty",
    .min_open = 1,
    .max = 1e4,
    .empty_ok = 1,
};

/* high must not be below low (both as written in the file). */
static svp_err check_range(const svp_csv_cursor *c, int low_col, int high_col,
                           double low, double high, svp_diag *d)
{
    if (high >= low)
        return SVP_OK;
    return svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line,
                        cols[high_col].name,
                        "expected a number >= %s (%s), got \"%s\"",
                        cols[low_col].name, svp_csv_text(c, low_col),
                        svp_csv_text(c, high_col));
}

static svp_err read_row(const svp_csv_cursor *c, void *dst, svp_diag *d)
{
    svp_price *p = dst;
    svp_err err;
    int low_set, high_set;

    memset(p, 0, sizeof *p);
#define TRY(call) do { if ((err = (call)) != SVP_OK) goto fail; } while (0)
    TRY(svp_csv_get_str(c, C_CHIP, 1, p->chip, sizeof p->chip, d));
    TRY(svp_csv_get_double(c, C_UNIT_LOW, &unit, &p->unit_usd_low, d));
    TRY(svp_csv_get_double(c, C_UNIT_HIGH, &unit, &p->unit_usd_high, d));
    TRY(check_range(c, C_UNIT_LOW, C_UNIT_HIGH, p->unit_usd_low, p->unit_usd_high, d));
    TRY(svp_csv_get_str(c, C_BASIS, 0, p->basis, sizeof p->basis, d));

    TRY(svp_csv_get_double(c, C_HOURLY_LOW, &hourly, &p->hourly_usd_low, d));
    TRY(svp_csv_get_double(c, C_HOURLY_HIGH, &hourly, &p->hourly_usd_high, d));
    low_set = svp_csv_text(c, C_HOURLY_LOW)[0] != '\0';
    high_set = svp_csv_text(c, C_HOURLY_HIGH)[0] != '\0';
    if (low_set != high_set) {
        int empty = low_set ? C_HOURLY_HIGH : C_HOURLY_LOW;
        int other = low_set ? C_HOURLY_LOW : C_HOURLY_HIGH;

        err = svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line,
                           cols[empty].name,
                           "expected a positive number because %s is set "
                           "(give both hourly prices or neither), got \"\"",
                           cols[other].name);
        goto fail;
    }
    p->has_hourly = low_set;
    if (p->has_hourly)
        TRY(check_range(c, C_HOURLY_LOW, C_HOURLY_HIGH, p->hourly_usd_low,
                        p->hourly_usd_high, d));

    TRY(svp_csv_get_str(c, C_DATE, 1, p->date, sizeof p->date, d));
    TRY(svp_csv_get_str(c, C_CONFIDENCE, 0, p->confidence, sizeof p->confidence, d));
    TRY(svp_csv_get_str(c, C_SOURCE, 1, p->source, sizeof p->source, d));
#undef TRY
    return SVP_OK;
fail:
    return err;
}

svp_err svp_read_prices(const char *path, svp_price_table *out, svp_diag *d)
{
    void *rows;
    svp_err err = svp_csv_read_rows(path, cols, C_COUNT, sizeof(svp_price), read_row,
                                    offsetof(svp_price, chip), C_CHIP, "chip", &rows, &out->n,
                                    d);
    out->rows = rows;
    return err;
}
