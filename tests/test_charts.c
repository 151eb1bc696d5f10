/*
 * test_charts.c - the charts (report.h: svp_charts_write) and the plotting
 * layer under them (chart.h): nice-number ticks and tick labels worked out
 * by hand, the files a report's charts folder holds (valid PNG of the
 * documented size, complete PDF), byte-identical output across runs, labels
 * taken from the templates, non-finite values kept away from cairo, and
 * clean failures (I/O, out of memory).
 *
 * Runs from the repository root (`make test`): data/ is relative to it.
 * Scratch files go to a mkdtemp directory under /tmp.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_util.h"
#include "servplan/alloc.h"
#include "servplan/analysis.h"
#include "servplan/chart.h"
#include "servplan/read.h"
#include "servplan/report.h"
#include "servplan/templates.h"

/* ---- scratch ------------------------------------------------------------- */

static char scratch[64];

static void scratch_setup(void)
{
    strcpy(scratch, "/tmp/svp_test_charts_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(scratch));
}

static void scratch_teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    if (system(cmd) != 0)
        fprintf(stderr, "test_charts: could not remove %s\n", scratch);
}

static const char *sub(const char *name)
{
    static char path[2][256];
    static int k;
    k ^= 1;
    snprintf(path[k], sizeof path[k], "%s/%s", scratch, name);
    return path[k];
}

/* Reads a whole file; *n its size.  The caller frees. */
static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf;
    long len;
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    len = ftell(f);
    ck_assert_int_ge(len, 0);
    rewind(f);
    buf = malloc((size_t)len + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return buf;
}

static unsigned long be32(const unsigned char *p)
{
    return ((unsigned long)p[0] << 24) | ((unsigned long)p[1] << 16)
           | ((unsigned long)p[2] << 8) | (unsigned long)p[3];
}

/* A PNG: signature, then the IHDR chunk first with the canvas size. */
static void check_png(const char *path)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    size_t n;
    unsigned char *b = slurp(path, &n);
    ck_assert_msg(n > 1000, "%s: %zu bytes", path, n);
    ck_assert_msg(memcmp(b, sig, 8) == 0, "%s: not a PNG signature", path);
    ck_assert_uint_eq(be32(b + 8), 13);              /* IHDR length */
    ck_assert_msg(memcmp(b + 12, "IHDR", 4) == 0, "%s: IHDR not first", path);
    ck_assert_uint_eq(be32(b + 16), 1600);           /* 640 pt x 2.5 */
    ck_assert_uint_eq(be32(b + 20), 1000);           /* 400 pt x 2.5 */
    ck_assert_msg(memcmp(b + n - 8, "IEND", 4) == 0, "%s: no IEND at the end", path);
    free(b);
}

static int contains(const unsigned char *b, size_t n, const char *what)
{
    size_t k = strlen(what);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(b + i, what, k) == 0)
            return 1;
    return 0;
}

/* A complete PDF: header, and %%EOF at the end (a truncated file has none). */
static void check_pdf(const char *path)
{
    size_t n;
    unsigned char *b = slurp(path, &n);
    ck_assert_msg(n > 1000, "%s: %zu bytes", path, n);
    ck_assert_msg(memcmp(b, "%PDF-", 5) == 0, "%s: no %%PDF- header", path);
    size_t e = n;
    while (e > 0 && (b[e - 1] == '\n' || b[e - 1] == '\r' || b[e - 1] == ' '))
        e--;
    ck_assert_msg(e >= 5 && memcmp(b + e - 5, "%%EOF", 5) == 0, "%s: no %%%%EOF trailer", path);
    /* The page is the canvas, and the dates are fixed (two runs in
     * different seconds would otherwise differ). */
    ck_assert_msg(contains(b, n, "/MediaBox [ 0 0 640 400 ]"), "%s: page not 640 x 400 pt", path);
    ck_assert_msg(contains(b, n, "/CreationDate (20250101000000Z)"), "%s: creation date", path);
    ck_assert_msg(contains(b, n, "/ModDate (20250101000000Z)"), "%s: modification date", path);
    free(b);
}

static int same_bytes(const char *a, const char *b)
{
    size_t na, nb;
    unsigned char *x = slurp(a, &na), *y = slurp(b, &nb);
    int same = na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- ticks, by hand ------------------------------------------------------- */

START_TEST(test_nice)
{
    /* Heckbert: x = f 10^e, f in [1, 10). */
    SVP_CK_REL(svp_chart_nice(4621.0, 0), 5000.0, 1e-12);  /* f 4.621 -> 5 (ceil) */
    SVP_CK_REL(svp_chart_nice(4621.0, 1), 5000.0, 1e-12);  /* 4.621 < 7 -> 5 */
    SVP_CK_REL(svp_chart_nice(1000.0, 1), 1000.0, 1e-12);  /* f 1 -> 1 */
    SVP_CK_REL(svp_chart_nice(0.7, 1), 1.0, 1e-12);        /* f 7 -> 10, x 0.1 */
    SVP_CK_REL(svp_chart_nice(0.0031, 1), 0.005, 1e-12);   /* f 3.1 -> 5 */
    SVP_CK_REL(svp_chart_nice(2.5, 0), 5.0, 1e-12);        /* 2.5 > 2 -> 5 */
    SVP_CK_REL(svp_chart_nice(2.0, 0), 2.0, 1e-12);        /* exactly 2 stays */
    SVP_CK_REL(svp_chart_nice(149.0, 1), 100.0, 1e-12);    /* 1.49 < 1.5 -> 1 */
    SVP_CK_REL(svp_chart_nice(151.0, 1), 200.0, 1e-12);    /* 1.51 -> 2 */
    SVP_CK_REL(svp_chart_nice(8.0, 0), 10.0, 1e-12);       /* 8 > 5 -> 10 */
    ck_assert(svp_chart_nice(0.0, 1) == 0.0);
    ck_assert(svp_chart_nice(-3.0, 1) == 0.0);
    ck_assert(svp_chart_nice(NAN, 1) == 0.0);
    ck_assert(svp_chart_nice(INFINITY, 0) == 0.0);
}
END_TEST

START_TEST(test_ticks_lin)
{
    svp_ticks t;
    /* 0..4621, 6 ticks: range nice(4621, ceil) = 5000; step nice(5000/5 =
     * 1000, round) = 1000; 0..5000 -> 6 ticks. */
    ck_assert_int_eq(svp_chart_ticks(0.0, 4621.0, 6, SVP_AXIS_LIN, &t), 0);
    ck_assert_int_eq(t.n, 6);
    SVP_CK_REL(t.step, 1000.0, 1e-12);
    ck_assert(t.v[0] == 0.0);
    SVP_CK_REL(t.v[5], 5000.0, 1e-12);
    SVP_CK_REL(t.hi, 5000.0, 1e-12);

    /* 0.1..0.95, at most 5: range nice(0.85, ceil) = 1; step nice(1/4 =
     * 0.25, round) = 0.2 -> 0, 0.2, .., 1.0 = 6 ticks > 5, so the step goes
     * to the next nice number, nice(0.202, ceil) = 0.5 -> 0, 0.5, 1. */
    ck_assert_int_eq(svp_chart_ticks(0.1, 0.95, 5, SVP_AXIS_LIN, &t), 0);
    ck_assert_int_eq(t.n, 3);
    SVP_CK_REL(t.step, 0.5, 1e-12);
    ck_assert(t.v[0] == 0.0);
    SVP_CK_REL(t.v[1], 0.5, 1e-12);
    SVP_CK_REL(t.v[2], 1.0, 1e-12);

    /* One value, 5: widened by half of it to 2.5..7.5; range nice(5) = 5,
     * step nice(5/9 = 0.56, round) = 0.5; 2.5..7.5 -> 11 ticks > 10, so
     * step nice(0.505, ceil) = 1, 2..8 -> 7 ticks. */
    ck_assert_int_eq(svp_chart_ticks(5.0, 5.0, 10, SVP_AXIS_LIN, &t), 0);
    ck_assert_int_eq(t.n, 7);
    SVP_CK_REL(t.v[0], 2.0, 1e-12);
    SVP_CK_REL(t.v[6], 8.0, 1e-12);

    /* Negative to positive (the tornado): -47..65, 7 ticks: range nice(112,
     * ceil) = 200, step nice(200/6 = 33, round) = 50; -50..100 -> 4 ticks. */
    ck_assert_int_eq(svp_chart_ticks(-47.0, 65.0, 7, SVP_AXIS_LIN, &t), 0);
    ck_assert_int_eq(t.n, 4);
    SVP_CK_REL(t.v[0], -50.0, 1e-12);
    ck_assert(t.v[1] == 0.0);   /* exactly zero, no -0 */
    SVP_CK_REL(t.v[3], 100.0, 1e-12);

    /* Bad arguments. */
    ck_assert_int_eq(svp_chart_ticks(2.0, 1.0, 5, SVP_AXIS_LIN, &t), -1);
    ck_assert_int_eq(t.n, 0);
    ck_assert_int_eq(svp_chart_ticks(NAN, 1.0, 5, SVP_AXIS_LIN, &t), -1);
    ck_assert_int_eq(svp_chart_ticks(0.0, INFINITY, 5, SVP_AXIS_LIN, &t), -1);
    ck_assert_int_eq(svp_chart_ticks(0.0, 1.0, 1, SVP_AXIS_LIN, &t), -1);
}
END_TEST

START_TEST(test_ticks_log)
{
    svp_ticks t;
    /* log2, 16..256: every power of two from 2^4 to 2^8; the range reaches a
     * quarter octave beyond: 2^3.75 .. 2^8.25. */
    ck_assert_int_eq(svp_chart_ticks(16.0, 256.0, 12, SVP_AXIS_LOG2, &t), 0);
    ck_assert_int_eq(t.n, 5);
    SVP_CK_REL(t.v[0], 16.0, 1e-12);
    SVP_CK_REL(t.v[4], 256.0, 1e-12);
    SVP_CK_REL(t.lo, 13.454342644059432, 1e-9);   /* 2^3.75 = 8 x 2^0.75 = 8 x 1.6818 */

    /* log2, 1..1280 (batch), at most 6: 2^0..2^10 is 11 ticks; every second
     * one: 1, 4, 16, 64, 256, 1024. */
    ck_assert_int_eq(svp_chart_ticks(1.0, 1280.0, 6, SVP_AXIS_LOG2, &t), 0);
    ck_assert_int_eq(t.n, 6);
    SVP_CK_REL(t.v[1], 4.0, 1e-12);
    SVP_CK_REL(t.v[5], 1024.0, 1e-12);

    /* log10, 4..4621: log10(4621/4) = 3.06 decades <= 3.5, so 1-2-5 ticks,
     * the range widened to the 1-2-5 numbers around the data, 2 .. 5000:
     * 2 5 10 20 50 100 200 500 1000 2000 5000 = 11 ticks <= 12. */
    ck_assert_int_eq(svp_chart_ticks(4.0, 4621.0, 12, SVP_AXIS_LOG10, &t), 0);
    ck_assert_int_eq(t.n, 11);
    SVP_CK_REL(t.lo, 2.0, 1e-12);
    SVP_CK_REL(t.hi, 5000.0, 1e-12);
    SVP_CK_REL(t.v[0], 2.0, 1e-12);
    SVP_CK_REL(t.v[1], 5.0, 1e-12);
    SVP_CK_REL(t.v[10], 5000.0, 1e-12);
    /* 24..344 (one chip's decode frontier): 20 .. 500, 5 ticks. */
    ck_assert_int_eq(svp_chart_ticks(24.0, 344.0, 12, SVP_AXIS_LOG10, &t), 0);
    ck_assert_int_eq(t.n, 5);
    SVP_CK_REL(t.v[0], 20.0, 1e-12);
    SVP_CK_REL(t.v[4], 500.0, 1e-12);
    /* Exactly on 1-2-5 numbers: 0.1 .. 20 stays 0.1 .. 20; ticks 0.1 0.2
     * 0.5 1 2 5 10 20 = 8. */
    ck_assert_int_eq(svp_chart_ticks(0.1, 20.0, 12, SVP_AXIS_LOG10, &t), 0);
    ck_assert_int_eq(t.n, 8);
    SVP_CK_REL(t.lo, 0.1, 1e-12);
    SVP_CK_REL(t.hi, 20.0, 1e-12);
    /* ... and with at most 6, decades only, inside 10^(0.602 - 0.122) = 3.0
     * .. 10^(3.665 + 0.122) = 6125: 10, 100, 1000. */
    ck_assert_int_eq(svp_chart_ticks(4.0, 4621.0, 6, SVP_AXIS_LOG10, &t), 0);
    ck_assert_int_eq(t.n, 3);
    SVP_CK_REL(t.v[0], 10.0, 1e-12);
    SVP_CK_REL(t.v[2], 1000.0, 1e-12);

    /* A log axis cannot hold 0 or less. */
    ck_assert_int_eq(svp_chart_ticks(0.0, 10.0, 6, SVP_AXIS_LOG10, &t), -1);
    ck_assert_int_eq(svp_chart_ticks(-1.0, 10.0, 6, SVP_AXIS_LOG2, &t), -1);

    /* Tight: the range stays as given and outside ticks go.  -190..250 with
     * 7: step 100 -> -200..300; kept -100, 0, 100, 200. */
    ck_assert_int_eq(svp_chart_ticks_tight(-190.0, 250.0, 7, SVP_AXIS_LIN, &t), 0);
    ck_assert_int_eq(t.n, 4);
    SVP_CK_REL(t.v[0], -100.0, 1e-12);
    SVP_CK_REL(t.v[3], 200.0, 1e-12);
    ck_assert(t.lo == -190.0 && t.hi == 250.0);
}
END_TEST

START_TEST(test_fmt)
{
    char b[32];
    svp_chart_fmt(12500.0, 500.0, b, sizeof b);
    ck_assert_str_eq(b, "12,500");
    svp_chart_fmt(1234567.0, 1.0, b, sizeof b);
    ck_assert_str_eq(b, "1,234,567");
    svp_chart_fmt(0.25, 0.05, b, sizeof b);   /* step 0.05 -> 2 decimals */
    ck_assert_str_eq(b, "0.25");
    svp_chart_fmt(0.4, 0.2, b, sizeof b);     /* step 0.2 -> 1 decimal */
    ck_assert_str_eq(b, "0.4");
    svp_chart_fmt(1024.0, 0.0, b, sizeof b);  /* log tick: from the value */
    ck_assert_str_eq(b, "1,024");
    svp_chart_fmt(0.05, 0.0, b, sizeof b);
    ck_assert_str_eq(b, "0.05");
    svp_chart_fmt(-50.0, 10.0, b, sizeof b);
    ck_assert_str_eq(b, "-50");
    svp_chart_fmt(-1234.0, 1.0, b, sizeof b);
    ck_assert_str_eq(b, "-1,234");
    svp_chart_fmt(-0.0, 1.0, b, sizeof b);
    ck_assert_str_eq(b, "0");
    svp_chart_fmt(NAN, 1.0, b, sizeof b);
    ck_assert_str_eq(b, "");
    svp_chart_fmt(INFINITY, 1.0, b, sizeof b);
    ck_assert_str_eq(b, "");
    svp_chart_fmt(123456.0, 1.0, b, 4);        /* truncated, terminated */
    ck_assert_str_eq(b, "123");
}
END_TEST

START_TEST(test_styles)
{
    /* The first 64 series all look different: (marker, colour) unique. */
    for (int i = 0; i < 64; i++)
        for (int j = i + 1; j < 64; j++) {
            svp_chart_style a = svp_chart_style_of(i), b = svp_chart_style_of(j);
            ck_assert_msg(a.marker != b.marker || a.color != b.color,
                          "series %d and %d look alike", i, j);
        }
}
END_TEST

START_TEST(test_keys)
{
    size_t n = 0;
    for (; svp_chart_keys[n].key != NULL; n++) {
        ck_assert_msg(strncmp(svp_chart_keys[n].key, "chart.", 6) == 0, "%s",
                      svp_chart_keys[n].key);
        ck_assert_msg(svp_chart_keys[n].en != NULL && svp_chart_keys[n].en[0] != '\0', "%s",
                      svp_chart_keys[n].key);
        ck_assert_str_eq(svp_chart_required[n], svp_chart_keys[n].key);
        for (size_t k = 0; k < n; k++)
            ck_assert_str_ne(svp_chart_keys[k].key, svp_chart_keys[n].key);
    }
    ck_assert_ptr_null(svp_chart_required[n]);
    ck_assert_uint_gt(n, 30);
}
END_TEST

/* ---- charts on the shipped data ------------------------------------------ */

typedef struct fixture {
    svp_hw_table hw;
    svp_model model;
    svp_scenario_table scen;
    svp_space space;
    svp_price_table prices;
    svp_opts opts;
    const svp_hw *chips[8];
    svp_analysis_input in;
    svp_analysis an;
    svp_report_input r;
    svp_input_file files[2];
} fixture;

/* The shipped data, the named chips only (a few, to stay quick). */
static void load(fixture *f, const char *const *names, size_t n)
{
    svp_diag d;
    memset(f, 0, sizeof *f);
    ck_assert_int_eq(svp_read_hardware("data/hardware.csv", &f->hw, &d), SVP_OK);
    ck_assert_int_eq(svp_read_model("data/models/deepseek-v3.csv", &f->model, &d), SVP_OK);
    ck_assert_int_eq(svp_read_scenarios("data/scenarios.csv", &f->scen, &d), SVP_OK);
    ck_assert_int_eq(svp_read_space("data/search-space.csv", &f->space, &d), SVP_OK);
    ck_assert_int_eq(svp_read_prices("data/prices.csv", &f->prices, &d), SVP_OK);
    for (size_t i = 0; i < n; i++) {
        f->chips[i] = svp_hw_find(&f->hw, names[i]);
        ck_assert_msg(f->chips[i] != NULL, "no chip %s in data/hardware.csv", names[i]);
    }
    f->opts = svp_opts_default();
    f->in.chips = f->chips;
    f->in.n_chips = n;
    f->in.model = &f->model;
    f->in.scenarios = &f->scen;
    f->in.space = &f->space;
    f->in.opts = &f->opts;
    f->in.prices = &f->prices;
    f->in.with_whatif = 1;
    ck_assert_int_eq(svp_analyze(&f->in, &f->an), SVP_OK);
    f->files[0].role = "hardware";
    f->files[0].path = "data/hardware.csv";
    f->files[1].role = "prices";
    f->files[1].path = "data/prices.csv";
    f->r.an = &f->an;
    f->r.in = &f->in;
    f->r.version = "test";
    f->r.files = f->files;
    f->r.n_files = 2;
}

static void unload(fixture *f)
{
    svp_analysis_fini(&f->an);
    svp_hw_table_fini(&f->hw);
    svp_scenario_table_fini(&f->scen);
    svp_space_fini(&f->space);
    svp_price_table_fini(&f->prices);
}

/* The charts of a report on data/scenarios.csv (decode-4k, prefill-4k,
 * prefill-8k) and at most 4 chips (one what-if page). */
static const char *const chart_names[] = {
    "decode_frontier", "prefill_frontier_prefill-4k", "prefill_frontier_prefill-8k",
    "tps_vs_batch", "comm_share_tp", "comm_share_ep", "price_performance", "whatif_tornado",
    NULL,
};

static fixture fx;

static void mkdir_or_fail(const char *path)
{
    ck_assert_msg(mkdir(path, 0777) == 0, "cannot create %s", path);
}

START_TEST(test_files_valid_and_deterministic)
{
    static const char *const names[] = {"H100-SXM", "TPU7x", "MI300X"};
    char pa[256], pb[256];
    svp_diag d;

    load(&fx, names, 3);
    mkdir_or_fail(sub("a"));
    mkdir_or_fail(sub("b"));
    ck_assert_int_eq(svp_charts_write(sub("a"), &fx.r, &d), SVP_OK);
    ck_assert_int_eq(svp_charts_write(sub("b"), &fx.r, &d), SVP_OK);
    for (size_t i = 0; chart_names[i] != NULL; i++) {
        snprintf(pa, sizeof pa, "%s/a/%s.png", scratch, chart_names[i]);
        snprintf(pb, sizeof pb, "%s/b/%s.png", scratch, chart_names[i]);
        check_png(pa);
        ck_assert_msg(same_bytes(pa, pb), "%s differs between two runs", pa);
        snprintf(pa, sizeof pa, "%s/a/%s.pdf", scratch, chart_names[i]);
        snprintf(pb, sizeof pb, "%s/b/%s.pdf", scratch, chart_names[i]);
        check_pdf(pa);
        ck_assert_msg(same_bytes(pa, pb), "%s differs between two runs", pa);
    }
    /* Three chips fit on one what-if page. */
    ck_assert(!exists(sub("a/whatif_tornado_2.png")));
    unload(&fx);
}
END_TEST

START_TEST(test_whatif_pages)
{
    /* Five chips with a decode plan: 4 per page -> two pages. */
    static const char *const names[] = {"H100-SXM", "H200-SXM", "B200", "MI300X", "TPU-v6e"};
    svp_diag d;
    load(&fx, names, 5);
    ck_assert_int_eq(svp_charts_write(scratch, &fx.r, &d), SVP_OK);
    check_png(sub("whatif_tornado.png"));
    check_png(sub("whatif_tornado_2.png"));
    check_pdf(sub("whatif_tornado_2.pdf"));
    ck_assert(!exists(sub("whatif_tornado_3.png")));
    unload(&fx);
}
END_TEST

/* Translated labels reach the picture: a title in Chinese changes the PNG,
 * and an English run with strings equal to the defaults does not. */
START_TEST(test_labels_from_templates)
{
    static const char *const names[] = {"H100-SXM"};
    char *keys[1] = {(char *)"chart.price.title"};
    char *zh[1] = {(char *)"性价比（{scenario}）"};
    svp_strings s;
    svp_diag d;

    load(&fx, names, 1);
    mkdir_or_fail(sub("en"));
    mkdir_or_fail(sub("zh"));
    ck_assert_int_eq(svp_charts_write(sub("en"), &fx.r, &d), SVP_OK);
    memset(&s, 0, sizeof s);
    strcpy(s.lang, "zh");
    s.keys = keys;
    s.texts = zh;
    s.n = 1;
    fx.r.tr = &s;
    fx.r.font_family = "WenQuanYi Micro Hei";
    ck_assert_int_eq(svp_charts_write(sub("zh"), &fx.r, &d), SVP_OK);
    check_png(sub("zh/price_performance.png"));
    check_pdf(sub("zh/price_performance.pdf"));
    ck_assert(!same_bytes(sub("en/price_performance.png"), sub("zh/price_performance.png")));
    unload(&fx);
}
END_TEST

START_TEST(test_missing_dir)
{
    static const char *const names[] = {"H100-SXM"};
    svp_diag d;
    svp_err err;

    load(&fx, names, 1);
    svp_diag_clear(&d);
    err = svp_charts_write(sub("no/such/dir"), &fx.r, &d);
    ck_assert_int_eq(err, SVP_ERR_IO);
    ck_assert_msg(strstr(d.file, "no/such/dir/decode_frontier.png") != NULL,
                  "diagnostic names '%s'", d.file);
    unload(&fx);
}
END_TEST

/* ---- a hand-made analysis with holes ------------------------------------- */

/* Two chips, one decode and one prefill scenario, with NaN, inf, zero and
 * negative values where a broken model could put them, a chip without a
 * price and one without any plan: every chart must still draw (a NaN that
 * reached cairo would put the context in an error state -> failure). */
typedef struct holes {
    svp_deployment dep[6];
    svp_val_row val[6];
    svp_val_summary vsum;
    svp_hw hw[2];
    svp_price price;
    svp_scenario sc[2];
    svp_chip_result chips[2];
    svp_scen_result res[2][2];
    svp_plan pareto[4];
    svp_sens_row rows[3];
    svp_analysis an;
    svp_report_input r;
} holes;

static void make_holes(holes *h)
{
    memset(h, 0, sizeof *h);
    strcpy(h->hw[0].name, "Chip-A");
    strcpy(h->hw[0].vendor, "V1");
    strcpy(h->hw[1].name, "Chip-B");
    strcpy(h->hw[1].vendor, "V2");
    strcpy(h->price.chip, "Chip-A");
    h->price.unit_usd_low = 10000.0;
    h->price.unit_usd_high = 20000.0;
    strcpy(h->sc[0].name, "dec");
    h->sc[0].phase = SVP_PHASE_DECODE;
    h->sc[0].max_tpot_s = 0.1;
    strcpy(h->sc[1].name, "pre/8k");   /* a '/' the file name must not keep */
    h->sc[1].phase = SVP_PHASE_PREFILL;
    h->sc[1].max_ftl_s = 3.0;

    const double tpu[4] = {20.0, NAN, 50.0, INFINITY};
    const double tpc[4] = {1000.0, 500.0, -1.0, 10.0};
    for (int k = 0; k < 4; k++) {
        h->pareto[k].m.has_metrics = 1;
        h->pareto[k].m.tps_per_user = tpu[k];
        h->pareto[k].m.tps_per_chip = tpc[k];
        h->pareto[k].m.ftl_s = k == 0 ? 0.5 : (k == 1 ? 0.0 : NAN);
        h->pareto[k].m.step_s = k == 1 ? 0.0 : 0.05;
        h->pareto[k].m.t_tp_comm_s = k == 2 ? NAN : 0.01;
        h->pareto[k].m.t_ep_comm_s = 0.02;
    }
    for (int k = 0; k < 3; k++) {
        h->rows[k].value = k == 2 ? 0 : 1 << (k + 4);
        h->rows[k].found = 1;
        h->rows[k].plan = h->pareto[k];
        h->rows[k].plan.m.reason = k == 1 ? SVP_INF_DRAM : SVP_FEASIBLE;
    }
    for (int c = 0; c < 2; c++) {
        h->chips[c].hw = &h->hw[c];
        h->chips[c].scen = h->res[c];
        h->chips[c].n_scen = 2;
        for (int s = 0; s < 2; s++) {
            svp_scen_result *r = &h->res[c][s];
            r->scen = &h->sc[s];
            if (c == 1)
                continue;   /* Chip-B: no plan anywhere */
            r->found = 1;
            r->best = h->pareto[0];
            r->pareto = h->pareto;
            r->n_pareto = 4;
            r->batch = r->tp = r->ep = h->rows;
            r->n_batch = r->n_tp = r->n_ep = 3;
        }
    }
    h->chips[0].price = &h->price;
    h->chips[0].has_whatif = 1;
    h->chips[0].whatif.scen = &h->sc[0];
    h->chips[0].whatif.base_tps = 1000.0;
    for (int r = 0; r < SVP_RES_COUNT; r++) {
        h->chips[0].whatif.found[r][0] = r != SVP_RES_DRAM;   /* DRAM halved: no plan */
        h->chips[0].whatif.found[r][1] = 1;
        h->chips[0].whatif.tps[r][0] = r == SVP_RES_HBM ? NAN : 800.0;
        h->chips[0].whatif.tps[r][1] = 1500.0;
    }
    h->an.chips = h->chips;
    h->an.n_chips = 2;
    h->r.an = &h->an;
    h->r.version = "test";
}

/* Six deployments for the validation chart: predicted ones (one refitted
 * by leave-one-out), two almost on top of each other, one servplan cannot
 * predict (structural reason), one whose prediction is NaN and one
 * measured at 0: only the first three can be drawn. */
static void make_val(holes *h)
{
    static const struct {
        const char *id;
        svp_phase ph;
        int has_pred;
        double pred, meas;
        svp_loo_basis loo;
        double loo_tps;
    } v[6] = {
        {"DEC-A-LONG-IDENTIFIER", SVP_PHASE_DECODE, 1, 1300.0, 1000.0, SVP_LOO_FITTED, 1100.0},
        {"DEC-A-CLOSE", SVP_PHASE_DECODE, 1, 1290.0, 1010.0, SVP_LOO_DEFAULTS, 1290.0},
        {"PRE-A", SVP_PHASE_PREFILL, 1, 9000.0, 8000.0, SVP_LOO_DEFAULTS, 9000.0},
        {"NO-PRED", SVP_PHASE_DECODE, 0, 0.0, 500.0, SVP_LOO_NONE, 0.0},
        {"NAN-PRED", SVP_PHASE_DECODE, 1, NAN, 700.0, SVP_LOO_FITTED, NAN},
        {"ZERO-MEAS", SVP_PHASE_PREFILL, 1, 4000.0, 0.0, SVP_LOO_DEFAULTS, 4000.0},
    };
    for (int i = 0; i < 6; i++) {
        svp_deployment *d = &h->dep[i];
        svp_val_row *r = &h->val[i];
        memset(d, 0, sizeof *d);
        memset(r, 0, sizeof *r);
        snprintf(d->id, sizeof d->id, "%s", v[i].id);
        snprintf(d->chip, sizeof d->chip, "%s", i == 2 ? "Chip-B" : "Chip-A");
        d->phase = v[i].ph;
        r->dep = d;
        r->hw = &h->hw[i == 2 ? 1 : 0];
        r->has_pred = v[i].has_pred;
        r->m.has_metrics = v[i].has_pred;
        r->m.reason = v[i].has_pred ? SVP_FEASIBLE : SVP_INF_MLA_TP_DOMAIN;
        r->pred_tps = v[i].pred;
        r->meas_tps = v[i].meas;
        r->err_pct = (v[i].pred - v[i].meas) / v[i].meas * 100.0;
        r->loo_basis = v[i].loo;
        r->loo_tps = v[i].loo_tps;
        r->loo_err_pct = (v[i].loo_tps - v[i].meas) / v[i].meas * 100.0;
    }
    memset(&h->vsum, 0, sizeof h->vsum);
    h->vsum.n_rows = 6;
    h->vsum.n_pred = 5;
    h->vsum.median_abs_err_pct = 27.7;
    h->vsum.worst_abs_err_pct = 30.0;
    h->vsum.worst_row = 0;
    h->vsum.has_loo = 1;
    h->vsum.loo_median_abs_err_pct = 12.5;
    h->r.val_rows = h->val;
    h->r.n_val = 6;
    h->r.val_sum = &h->vsum;
    h->r.deployments_path = "test/deployments.csv";
}

static holes hh;

START_TEST(test_holes)
{
    svp_diag d;
    make_holes(&hh);
    svp_diag_clear(&d);
    ck_assert_msg(svp_charts_write(scratch, &hh.r, &d) == SVP_OK, "%s: %s", d.file, d.msg);
    check_png(sub("decode_frontier.png"));
    check_png(sub("prefill_frontier_pre_8k.png"));
    check_pdf(sub("prefill_frontier_pre_8k.pdf"));
    check_png(sub("price_performance.png"));
    check_png(sub("whatif_tornado.png"));
    check_pdf(sub("comm_share_tp.pdf"));
    /* No measured deployments: no validation chart. */
    ck_assert(!exists(sub("validation.png")));
    ck_assert(!exists(sub("validation.pdf")));
}
END_TEST

/* The validation chart from hand-made rows with holes: drawn, valid, and
 * the same bytes twice; a NaN reaching cairo would break the PNG. */
START_TEST(test_validation_rows)
{
    svp_diag d;
    make_holes(&hh);
    make_val(&hh);
    mkdir_or_fail(sub("a"));
    mkdir_or_fail(sub("b"));
    svp_diag_clear(&d);
    ck_assert_msg(svp_charts_write(sub("a"), &hh.r, &d) == SVP_OK, "%s: %s", d.file, d.msg);
    ck_assert_int_eq(svp_charts_write(sub("b"), &hh.r, &d), SVP_OK);
    check_png(sub("a/validation.png"));
    check_pdf(sub("a/validation.pdf"));
    ck_assert(same_bytes(sub("a/validation.png"), sub("b/validation.png")));
    ck_assert(same_bytes(sub("a/validation.pdf"), sub("b/validation.pdf")));

    /* The rows drawn change the picture: without the two predicted decode
     * rows (now unpredictable) it differs. */
    hh.val[0].has_pred = 0;
    hh.val[1].has_pred = 0;
    mkdir_or_fail(sub("c"));
    ck_assert_int_eq(svp_charts_write(sub("c"), &hh.r, &d), SVP_OK);
    check_png(sub("c/validation.png"));
    ck_assert(!same_bytes(sub("a/validation.png"), sub("c/validation.png")));

    /* Nothing drawable at all (and no summary): a page that says so. */
    hh.val[2].has_pred = 0;
    hh.r.val_sum = NULL;
    mkdir_or_fail(sub("d"));
    ck_assert_int_eq(svp_charts_write(sub("d"), &hh.r, &d), SVP_OK);
    check_png(sub("d/validation.png"));
    check_pdf(sub("d/validation.pdf"));

    /* Many rows, all unpredictable: the line naming them is cut, not the
     * page. */
    for (int i = 0; i < 6; i++)
        hh.val[i].has_pred = 0;
    mkdir_or_fail(sub("e"));
    ck_assert_int_eq(svp_charts_write(sub("e"), &hh.r, &d), SVP_OK);
    check_png(sub("e/validation.png"));
}
END_TEST

/* Allocation failures while drawing the validation chart (its allocations
 * come last): each ends in SVP_ERR_NOMEM. */
START_TEST(test_validation_nomem)
{
    svp_diag d;
    long before, used;
    make_holes(&hh);
    make_val(&hh);
    before = svp_alloc_count();
    ck_assert_int_eq(svp_charts_write(scratch, &hh.r, &d), SVP_OK);
    used = svp_alloc_count() - before;
    ck_assert_int_gt(used, 2);
    for (long n = used - 1; n <= used; n++) {
        svp_alloc_fail_at(n, 1);
        svp_err err = svp_charts_write(scratch, &hh.r, &d);
        svp_alloc_fail_at(0, 0);
        ck_assert_msg(err == SVP_ERR_NOMEM, "allocation %ld failing gave %d", n, (int)err);
    }
}
END_TEST

/* No chips at all: every chart still exists, saying there is no data. */
START_TEST(test_empty)
{
    svp_analysis an;
    svp_report_input r;
    svp_diag d;
    memset(&an, 0, sizeof an);
    memset(&r, 0, sizeof r);
    r.an = &an;
    ck_assert_int_eq(svp_charts_write(scratch, &r, &d), SVP_OK);
    check_png(sub("decode_frontier.png"));
    check_pdf(sub("whatif_tornado.pdf"));
    ck_assert(!exists(sub("prefill_frontier_prefill-4k.png")));
}
END_TEST

/* An allocation failure ends in SVP_ERR_NOMEM, nothing else.  Every one of
 * the first 12 allocations fails once (the strings and the first charts),
 * then every third and the last: each run re-encodes the PNGs written
 * before the failure, so testing all ~50 would take most of a minute. */
static long next_fail(long n, long used)
{
    if (n < 12)
        return n + 1;
    if (n >= used)
        return used + 1;
    return n + 3 < used ? n + 3 : used;
}

START_TEST(test_nomem)
{
    svp_diag d;
    long before, used;
    make_holes(&hh);
    before = svp_alloc_count();
    ck_assert_int_eq(svp_charts_write(scratch, &hh.r, &d), SVP_OK);
    used = svp_alloc_count() - before;
    ck_assert_int_gt(used, 0);
    for (long n = 1; n <= used; n = next_fail(n, used)) {
        svp_alloc_fail_at(n, 1);
        svp_err err = svp_charts_write(scratch, &hh.r, &d);
        svp_alloc_fail_at(0, 0);
        ck_assert_msg(err == SVP_ERR_NOMEM, "allocation %ld failing gave %d", n, (int)err);
    }
}
END_TEST

/* Renders s with svp_chart_text on a small canvas whose font is `font`;
 * returns the pixels (malloc'd, w*h*4 bytes). */
static unsigned char *render_text(const char *font, const char *s, size_t *len)
{
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 240, 60);
    cairo_t *cr = cairo_create(sf);
    svp_canvas cv = {.cr = cr, .font = font};
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    svp_chart_font(&cv, 20.0, 0);
    svp_chart_text(&cv, 10.0, 30.0, s, 0.0, SVP_VA_MIDDLE);
    cairo_surface_flush(sf);
    *len = (size_t)cairo_image_surface_get_stride(sf) * 60;
    unsigned char *px = malloc(*len);
    memcpy(px, cairo_image_surface_get_data(sf), *len);
    cairo_destroy(cr);
    cairo_surface_destroy(sf);
    return px;
}

/* A Chinese chip name in an English chart (DejaVu Sans, which has no CJK
 * glyphs) must be drawn in the CJK font, not as boxes: the pixels equal the
 * same text drawn on a canvas whose font is the CJK one.  Latin text keeps
 * DejaVu: drawn on the two canvases it differs. */
START_TEST(test_cjk_fallback)
{
    size_t la, lb;
    unsigned char *a = render_text("DejaVu Sans", "\xe6\xb5\x8b\xe8\xaf\x95\xe8\x8a\xaf\xe7\x89\x87-A", &la);
    unsigned char *b = render_text(SVP_CJK_FONT, "\xe6\xb5\x8b\xe8\xaf\x95\xe8\x8a\xaf\xe7\x89\x87-A", &lb);
    ck_assert_uint_eq(la, lb);
    ck_assert_msg(memcmp(a, b, la) == 0, "CJK text on a DejaVu canvas is not drawn in the CJK font");
    free(a);
    free(b);
    a = render_text("DejaVu Sans", "H800-SXM", &la);
    b = render_text(SVP_CJK_FONT, "H800-SXM", &lb);
    ck_assert_msg(memcmp(a, b, la) != 0, "Latin text should stay in the canvas font");
    free(a);
    free(b);
}
END_TEST

static Suite *charts_suite(void)
{
    Suite *s = suite_create("charts");
    TCase *t = tcase_create("ticks");
    tcase_add_test(t, test_nice);
    tcase_add_test(t, test_cjk_fallback);
    tcase_add_test(t, test_ticks_lin);
    tcase_add_test(t, test_ticks_log);
    tcase_add_test(t, test_fmt);
    tcase_add_test(t, test_styles);
    tcase_add_test(t, test_keys);
    suite_add_tcase(s, t);

    t = tcase_create("files");
    tcase_add_checked_fixture(t, scratch_setup, scratch_teardown);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_files_valid_and_deterministic);
    tcase_add_test(t, test_whatif_pages);
    tcase_add_test(t, test_labels_from_templates);
    tcase_add_test(t, test_missing_dir);
    tcase_add_test(t, test_holes);
    tcase_add_test(t, test_empty);
    tcase_add_test(t, test_nomem);
    tcase_add_test(t, test_validation_rows);
    tcase_add_test(t, test_validation_nomem);
    suite_add_tcase(s, t);
    return s;
}

/* fontconfig keeps its parsed configuration until FcFini(), which servplan
 * does not link; under `make san` LeakSanitizer would report it (cairo's
 * own caches are released by svp_charts_write).  Nothing of servplan's is
 * hidden: only stacks through libfontconfig are suppressed. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

int main(void)
{
    return svp_ck_run(charts_suite());
}
