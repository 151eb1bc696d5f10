/*
 * test_core_util.c - the small core modules: err (codes, exit codes,
 * diagnostics), alloc (fault injection), hw (number formats, per-rank views,
 * GEMM precision fallbacks), scenario (phases) and price (midpoints).
 * Expected values are computed by hand in the comments.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "check_util.h"
#include "servplan/alloc.h"
#include "servplan/err.h"
#include "servplan/hw.h"
#include "servplan/price.h"
#include "servplan/scenario.h"
#include "servplan/units.h"

#define REL 1e-12

/* ---- err ---------------------------------------------------------------------- */

START_TEST(err_exit_codes)
{
    /* err.h: NOMEM/IO/INTERNAL -> 1, USAGE -> 2, DATA -> 3, NOPLAN -> 4. */
    ck_assert_int_eq(svp_err_exit_code(SVP_OK), 0);
    ck_assert_int_eq(svp_err_exit_code(SVP_ERR_NOMEM), 1);
    ck_assert_int_eq(svp_err_exit_code(SVP_ERR_IO), 1);
    ck_assert_int_eq(svp_err_exit_code(SVP_ERR_INTERNAL), 1);
    ck_assert_int_eq(svp_err_exit_code(SVP_ERR_USAGE), 2);
    ck_assert_int_eq(svp_err_exit_code(SVP_ERR_DATA), 3);
    ck_assert_int_eq(svp_err_exit_code(SVP_ERR_NOPLAN), 4);
}
END_TEST

START_TEST(err_strerror_distinct)
{
    static const svp_err all[] = {SVP_OK, SVP_ERR_NOMEM, SVP_ERR_IO, SVP_ERR_INTERNAL,
                                  SVP_ERR_USAGE, SVP_ERR_DATA, SVP_ERR_NOPLAN};
    size_t i, j, n = sizeof all / sizeof *all;

    ck_assert_str_eq(svp_strerror(SVP_ERR_NOMEM), "out of memory");
    for (i = 0; i < n; i++) {
        ck_assert(svp_strerror(all[i])[0] != '\0');
        for (j = 0; j < i; j++)
            ck_assert_str_ne(svp_strerror(all[i]), svp_strerror(all[j]));
    }
}
END_TEST

START_TEST(err_diag_set_and_clear)
{
    svp_diag d;
    char big[2000];
    size_t n;

    ck_assert_int_eq(svp_diag_set(&d, SVP_ERR_DATA, "data/hardware.csv", 12, "hbm_TBps",
                                  "expected a positive number, got \"%s\"", "abc"),
                     SVP_ERR_DATA);
    ck_assert_str_eq(d.file, "data/hardware.csv");
    ck_assert_int_eq(d.line, 12);
    ck_assert_str_eq(d.column, "hbm_TBps");
    ck_assert_str_eq(d.msg, "expected a positive number, got \"abc\"");

    /* NULL file and column mean "none". */
    svp_diag_set(&d, SVP_ERR_IO, NULL, 0, NULL, "x");
    ck_assert_str_eq(d.file, "");
    ck_assert_str_eq(d.column, "");

    /* Re-setting from the diagnostic's own fields is allowed. */
    svp_diag_set(&d, SVP_ERR_DATA, "f.csv", 3, "col", "first");
    svp_diag_set(&d, SVP_ERR_DATA, d.file, d.line, d.column, "key: %s", "second");
    ck_assert_str_eq(d.file, "f.csv");
    ck_assert_str_eq(d.column, "col");
    ck_assert_str_eq(d.msg, "key: second");

    /* A long message is cut without splitting a UTF-8 character: 999 x
     * U+534E (3 bytes each) cannot fit in msg[768]; 767 usable bytes hold
     * 255 whole characters (765 bytes). */
    for (n = 0; n + 3 < sizeof big; n += 3)
        memcpy(big + n, "\xE5\x8D\x8E", 3);
    big[n] = '\0';
    svp_diag_set(&d, SVP_ERR_DATA, NULL, 0, NULL, "%s", big);
    ck_assert_uint_eq(strlen(d.msg), 765);

    svp_diag_clear(&d);
    ck_assert_str_eq(d.msg, "");
    ck_assert_str_eq(d.file, "");
    ck_assert_int_eq(d.line, 0);
}
END_TEST

/* ---- alloc -------------------------------------------------------------------- */

START_TEST(alloc_fail_once)
{
    void *a, *b, *c;
    long before = svp_alloc_count();

    svp_alloc_fail_at(2, 0);            /* the 2nd call from now fails, only it */
    a = svp_malloc(16);
    b = svp_malloc(16);
    c = svp_malloc(16);
    svp_alloc_fail_at(0, 0);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_null(b);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(svp_alloc_count() - before, 2);   /* failures are not counted */
    svp_free(a);
    svp_free(c);
}
END_TEST

START_TEST(alloc_fail_sticky_all_kinds)
{
    char *s;
    void *p, *q;

    p = svp_malloc(8);
    ck_assert_ptr_nonnull(p);
    svp_alloc_fail_at(1, 1);            /* every call from now fails */
    ck_assert_ptr_null(svp_malloc(1));
    ck_assert_ptr_null(svp_calloc(2, 4));
    ck_assert_ptr_null(svp_strdup("x"));
    q = svp_realloc(p, 64);
    ck_assert_ptr_null(q);              /* p is untouched and still ours */
    svp_alloc_fail_at(0, 0);            /* off */
    s = svp_strdup("servplan");
    ck_assert_str_eq(s, "servplan");
    svp_free(s);
    memset(p, 0xAB, 8);
    svp_free(p);
    svp_free(NULL);                     /* accepted */
}
END_TEST

START_TEST(alloc_calloc_overflow_and_zero)
{
    unsigned char *z;
    size_t i;

    /* (SIZE_MAX / 2 + 1) * 2 wraps to 0 in size_t: must fail, not succeed small. */
    ck_assert_ptr_null(svp_calloc(SIZE_MAX / 2 + 1, 2));
    ck_assert_ptr_null(svp_calloc(2, SIZE_MAX / 2 + 1));
    z = svp_calloc(64, 1);
    ck_assert_ptr_nonnull(z);
    for (i = 0; i < 64; i++)
        ck_assert_int_eq(z[i], 0);
    svp_free(z);
    /* Zero-size requests succeed (never NULL, which would read as failure). */
    z = svp_malloc(0);
    ck_assert_ptr_nonnull(z);
    svp_free(z);
    z = svp_calloc(0, 8);
    ck_assert_ptr_nonnull(z);
    svp_free(z);
    ck_assert_ptr_null(svp_strdup(NULL));
}
END_TEST

/* ---- hw ------------------------------------------------------------------------ */

START_TEST(dtype_bytes)
{
    ck_assert(svp_dtype_bytes(SVP_DT_BF16) == 2.0);
    ck_assert(svp_dtype_bytes(SVP_DT_FP8) == 1.0);
    ck_assert(svp_dtype_bytes(SVP_DT_INT8) == 1.0);
    ck_assert(svp_dtype_bytes(SVP_DT_FP4) == 0.5);
    ck_assert(svp_dtype_weight_bytes(SVP_DT_BF16) == 2.0);
    /* 1 + 4 / (128 * 128) = 1 + 4 / 16384 = 1.000244140625 (exact in binary) */
    ck_assert(svp_dtype_weight_bytes(SVP_DT_FP8) == 1.000244140625);
    ck_assert(svp_dtype_weight_bytes(SVP_DT_INT8) == 1.0);
    /* 0.5 + 1 / 16 = 0.5625 */
    ck_assert(svp_dtype_weight_bytes(SVP_DT_FP4) == 0.5625);
}
END_TEST

START_TEST(dtype_names)
{
    svp_dtype dt = SVP_DT_BF16;
    int i;

    for (i = 0; i < SVP_DT_COUNT; i++) {
        ck_assert_int_eq(svp_dtype_parse(svp_dtype_name((svp_dtype)i), &dt), 0);
        ck_assert_int_eq(dt, i);
    }
    ck_assert_str_eq(svp_dtype_name(SVP_DT_FP8), "fp8");
    ck_assert_int_eq(svp_dtype_parse("FP8", &dt), -1);   /* lower case only */
    ck_assert_int_eq(svp_dtype_parse("fp16", &dt), -1);
    ck_assert_int_eq(svp_dtype_parse("", &dt), -1);
}
END_TEST

/* An Ascend-910C-like package: 2 ranks per package, 384 packages per
 * domain; figures are round numbers chosen for the arithmetic. */
static svp_hw two_die_chip(void)
{
    svp_hw h;

    memset(&h, 0, sizeof h);
    strcpy(h.name, "two-die");
    h.peak_flops[SVP_DT_BF16] = 800 * SVP_TFLOPS;
    h.peak_flops[SVP_DT_INT8] = 1600 * SVP_TFLOPS;
    h.dram_bytes = 128 * SVP_GB;
    h.hbm_bytes_per_s = 3.2 * SVP_TBPS;
    h.c2c_bytes_per_s = 196 * SVP_GBPS;
    h.a2a_bytes_per_s = 50 * SVP_GBPS;
    h.ranks_per_chip = 2;
    h.chips_per_domain = 384;
    return h;
}

START_TEST(hw_rank_splits)
{
    svp_hw h = two_die_chip();

    SVP_CK_REL(svp_hw_rank_peak(&h, SVP_DT_BF16), 4.0e14, REL);  /* 800e12 / 2 */
    SVP_CK_REL(svp_hw_rank_peak(&h, SVP_DT_INT8), 8.0e14, REL);  /* 1600e12 / 2 */
    ck_assert(svp_hw_rank_peak(&h, SVP_DT_FP8) == 0.0);          /* unsupported stays 0 */
    SVP_CK_REL(svp_hw_rank_dram(&h), 6.4e10, REL);               /* 128e9 / 2 */
    SVP_CK_REL(svp_hw_rank_hbm(&h), 1.6e12, REL);                /* 3.2e12 / 2 */
    SVP_CK_REL(svp_hw_rank_c2c(&h), 9.8e10, REL);                /* 196e9 / 2 */
    SVP_CK_REL(svp_hw_rank_a2a(&h), 2.5e10, REL);                /* 50e9 / 2 */
    ck_assert_int_eq(svp_hw_domain_ranks(&h), 768);              /* 384 * 2 */

    h.ranks_per_chip = 1;
    h.chips_per_domain = 8;
    SVP_CK_REL(svp_hw_rank_dram(&h), 1.28e11, REL);              /* one rank: whole package */
    ck_assert_int_eq(svp_hw_domain_ranks(&h), 8);
}
END_TEST

START_TEST(hw_gemm_dtype_fallbacks)
{
    svp_hw h;

    memset(&h, 0, sizeof h);
    h.ranks_per_chip = 1;
    h.peak_flops[SVP_DT_BF16] = 1.0;

    /* Only BF16: everything runs at BF16. */
    ck_assert_int_eq(svp_hw_gemm_dtype(&h, SVP_DT_FP4), SVP_DT_BF16);
    ck_assert_int_eq(svp_hw_gemm_dtype(&h, SVP_DT_FP8), SVP_DT_BF16);
    ck_assert_int_eq(svp_hw_gemm_dtype(&h, SVP_DT_INT8), SVP_DT_BF16);
    ck_assert_int_eq(svp_hw_gemm_dtype(&h, SVP_DT_BF16), SVP_DT_BF16);

    /* INT8 but no FP8 (Ascend-like): FP8 weights run W8A8 at INT8. */
    h.peak_flops[SVP_DT_INT8] = 2.0;
    ck_assert_int_eq(svp_hw_gemm_dtype(&h, SVP_DT_FP8), SVP_DT_INT8);
    ck_assert_int_eq(svp_hw_gemm_dtype(&h, SVP_DT_FP4), SVP_DT_INT8);
    ck_assert_int_eq(svp_hw_gemm_dtype(&h, SVP_DT_INT8), SVP_DT_INT8);
    ck_assert_int_eq(svp_hw_gemm_dtype(&h, SVP_DT_BF16), SVP_DT_BF16);

    /* FP8 but no INT8: INT8 weights fall back to BF16, not to FP8. */
    h.peak_flops[SVP_DT_INT8] = 0.0;
    h.peak_flops[SVP_DT_FP8] = 2.0;
    ck_assert_int_eq(svp_hw_gemm_dtype(&h, SVP_DT_FP8), SVP_DT_FP8);
    ck_assert_int_eq(svp_hw_gemm_dtype(&h, SVP_DT_FP4), SVP_DT_FP8);
    ck_assert_int_eq(svp_hw_gemm_dtype(&h, SVP_DT_INT8), SVP_DT_BF16);

    /* FP4 capable (Blackwell-like). */
    h.peak_flops[SVP_DT_FP4] = 4.0;
    ck_assert_int_eq(svp_hw_gemm_dtype(&h, SVP_DT_FP4), SVP_DT_FP4);
    ck_assert_int_eq(svp_hw_gemm_dtype(&h, SVP_DT_FP8), SVP_DT_FP8);
}
END_TEST

START_TEST(hw_table_find_and_fini)
{
    svp_hw_table t;
    svp_hw *rows = svp_calloc(2, sizeof *rows);

    ck_assert_ptr_nonnull(rows);
    strcpy(rows[0].name, "H800-SXM");
    strcpy(rows[1].name, "H20");
    t.rows = rows;
    t.n = 2;
    ck_assert_ptr_eq(svp_hw_find(&t, "H20"), &rows[1]);
    ck_assert_ptr_null(svp_hw_find(&t, "h20"));        /* byte-wise, case matters */
    ck_assert_ptr_null(svp_hw_find(&t, "H800"));       /* no prefix match */
    svp_hw_table_fini(&t);
    ck_assert_ptr_null(t.rows);
    ck_assert_uint_eq(t.n, 0);
    svp_hw_table_fini(&t);                             /* an empty table is fine */
}
END_TEST

/* ---- scenario ------------------------------------------------------------------- */

START_TEST(phase_names)
{
    svp_phase p = SVP_PHASE_DECODE;
    svp_space s;

    ck_assert_str_eq(svp_phase_name(SVP_PHASE_DECODE), "decode");
    ck_assert_str_eq(svp_phase_name(SVP_PHASE_PREFILL), "prefill");
    ck_assert_int_eq(svp_phase_parse("prefill", &p), 0);
    ck_assert_int_eq(p, SVP_PHASE_PREFILL);
    ck_assert_int_eq(svp_phase_parse("decode", &p), 0);
    ck_assert_int_eq(p, SVP_PHASE_DECODE);
    ck_assert_int_eq(svp_phase_parse("Decode", &p), -1);
    ck_assert_int_eq(svp_phase_parse("", &p), -1);

    memset(&s, 0, sizeof s);
    svp_space_fini(&s);                                /* a zeroed space is fine */
    s.mla_tp.v = svp_malloc(3 * sizeof(int));
    ck_assert_ptr_nonnull(s.mla_tp.v);
    s.mla_tp.n = 3;
    svp_space_fini(&s);
    ck_assert_ptr_null(s.mla_tp.v);
    ck_assert_uint_eq(s.mla_tp.n, 0);
}
END_TEST

/* ---- price ---------------------------------------------------------------------- */

START_TEST(price_midpoints)
{
    svp_price p;
    svp_price_table t;

    memset(&p, 0, sizeof p);
    strcpy(p.chip, "H800-SXM");
    p.unit_usd_low = 33800;
    p.unit_usd_high = 54800;
    SVP_CK_REL(svp_price_unit_mid(&p), 44300.0, REL);     /* (33800 + 54800) / 2 */
    ck_assert(svp_price_hourly_mid(&p) == 0.0);           /* no hourly price */
    p.has_hourly = 1;
    p.hourly_usd_low = 2.00;
    p.hourly_usd_high = 3.42;
    SVP_CK_REL(svp_price_hourly_mid(&p), 2.71, REL);      /* (2.00 + 3.42) / 2 */

    t.rows = &p;
    t.n = 1;
    ck_assert_ptr_eq(svp_price_find(&t, "H800-SXM"), &p);
    ck_assert_ptr_null(svp_price_find(&t, "H100-SXM"));
    t.rows = NULL;
    t.n = 0;
    svp_price_table_fini(&t);
}
END_TEST

static Suite *core_util_suite(void)
{
    Suite *s = suite_create("core_util");
    TCase *tc;

    tc = tcase_create("err");
    tcase_add_test(tc, err_exit_codes);
    tcase_add_test(tc, err_strerror_distinct);
    tcase_add_test(tc, err_diag_set_and_clear);
    suite_add_tcase(s, tc);

    tc = tcase_create("alloc");
    tcase_add_test(tc, alloc_fail_once);
    tcase_add_test(tc, alloc_fail_sticky_all_kinds);
    tcase_add_test(tc, alloc_calloc_overflow_and_zero);
    suite_add_tcase(s, tc);

    tc = tcase_create("hw");
    tcase_add_test(tc, dtype_bytes);
    tcase_add_test(tc, dtype_names);
    tcase_add_test(tc, hw_rank_splits);
    tcase_add_test(tc, hw_gemm_dtype_fallbacks);
    tcase_add_test(tc, hw_table_find_and_fini);
    suite_add_tcase(s, tc);

    tc = tcase_create("scenario");
    tcase_add_test(tc, phase_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("price");
    tcase_add_test(tc, price_midpoints);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return svp_ck_run(core_util_suite());
}
