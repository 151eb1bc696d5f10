/*
 * test_read.c - the CSV loader (csv.h) and the five readers (read.h).
 *
 * Good fixtures (tests/data/good/) check the SI conversion of every column
 * against values computed by hand; one bad fixture per error path
 * (tests/data/bad/, written by tests/data/gen_bad.py) checks the error code,
 * line, column and message.  The allocation-failure tests make the n-th
 * allocation fail for every n a successful read needs.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check_util.h"
#include "servplan/alloc.h"
#include "servplan/csv.h"
#include "servplan/read.h"

#define GOOD "tests/data/good/"
#define BAD "tests/data/bad/"
#define REL 1e-12

/* ---- the CSV loader ------------------------------------------------------- */

static svp_err parse_str(const char *s, svp_csv_table *t, svp_diag *d)
{
    svp_diag_clear(d);
    return svp_csv_parse("mem.csv", s, strlen(s), t, d);
}

START_TEST(csv_lines_bom_crlf_quotes)
{
    svp_csv_table t;
    svp_diag d;

    /* Line 1 header (after a BOM), line 2-3 a record whose quoted field holds
     * a comma, a CRLF and an escaped quote, line 4 blank, line 5 only commas
     * (dropped), line 6 a record with trimmed spaces. */
    ck_assert_int_eq(parse_str("\xEF\xBB\xBF" "a,b\r\n\"x, \"\"q\"\"\r\ny\",2\r\n\r\n,\r\n  5 , 6 \r\n",
                               &t, &d), SVP_OK);
    ck_assert_uint_eq(t.header.n, 2);
    ck_assert_str_eq(t.header.cells[0], "a");   /* the BOM is gone */
    ck_assert_int_eq(t.header.line, 1);
    ck_assert_uint_eq(t.n_rows, 2);
    ck_assert_str_eq(t.rows[0].cells[0], "x, \"q\"\r\ny");
    ck_assert_int_eq(t.rows[0].line, 2);
    ck_assert_str_eq(t.rows[1].cells[0], "5");
    ck_assert_str_eq(t.rows[1].cells[1], "6");
    ck_assert_int_eq(t.rows[1].line, 6);
    svp_csv_fini(&t);
}
END_TEST

START_TEST(csv_lone_cr_and_no_final_newline)
{
    svp_csv_table t;
    svp_diag d;

    ck_assert_int_eq(parse_str("a,b\r1,2\r\r3,4", &t, &d), SVP_OK);
    ck_assert_uint_eq(t.n_rows, 2);
    ck_assert_int_eq(t.rows[0].line, 2);
    ck_assert_int_eq(t.rows[1].line, 4);
    ck_assert_str_eq(t.rows[1].cells[1], "4");
    svp_csv_fini(&t);
}
END_TEST

START_TEST(csv_utf8_rules)
{
    svp_csv_table t;
    svp_diag d;

    /* 4-byte UTF-8 (U+1F600) and CJK are fine. */
    ck_assert_int_eq(parse_str("a\n\xF0\x9F\x98\x80\xE5\x8D\x8E\n", &t, &d), SVP_OK);
    svp_csv_fini(&t);
    /* Overlong "/" (C0 AF), a surrogate (ED A0 80), above U+10FFFF (F4 90 80
     * 80) and a truncated sequence at the end are rejected. */
    SVP_CK_DIAG(parse_str("a\nx\xC0\xAF\n", &t, &d), d, SVP_ERR_DATA, 2, "", "character 2");
    SVP_CK_DIAG(parse_str("a\n\xED\xA0\x80\n", &t, &d), d, SVP_ERR_DATA, 2, "", "0xED");
    SVP_CK_DIAG(parse_str("a\n\xF4\x90\x80\x80\n", &t, &d), d, SVP_ERR_DATA, 2, "", "0xF4");
    SVP_CK_DIAG(parse_str("a\nok\n\xE5\x8D", &t, &d), d, SVP_ERR_DATA, 3, "", "invalid UTF-8");
    ck_assert_ptr_null(t.rows);
}
END_TEST

START_TEST(csv_number_syntax)
{
    double v;
    long n;

    ck_assert_int_eq(svp_csv_parse_double("1e3", &v), 0);
    ck_assert(v == 1000.0);
    ck_assert_int_eq(svp_csv_parse_double("-0.5", &v), 0);
    ck_assert(v == -0.5);
    ck_assert_int_eq(svp_csv_parse_double("+2", &v), 0);
    ck_assert(v == 2.0);
    ck_assert_int_eq(svp_csv_parse_double("", &v), -1);
    ck_assert_int_eq(svp_csv_parse_double("nan", &v), -1);
    ck_assert_int_eq(svp_csv_parse_double("inf", &v), -1);
    ck_assert_int_eq(svp_csv_parse_double("0x10", &v), -1);
    ck_assert_int_eq(svp_csv_parse_double(" 1", &v), -1);
    ck_assert_int_eq(svp_csv_parse_double("1.2.3", &v), -1);
    ck_assert_int_eq(svp_csv_parse_double("1e", &v), -1);
    ck_assert_int_eq(svp_csv_parse_double("1e999", &v), -1);   /* overflows to inf */
    ck_assert_int_eq(svp_csv_parse_long("+8", &n), 0);
    ck_assert_int_eq(n, 8);
    ck_assert_int_eq(svp_csv_parse_long("8.0", &n), -1);
    ck_assert_int_eq(svp_csv_parse_long("1e3", &n), -1);
    ck_assert_int_eq(svp_csv_parse_long("-1", &n), -1);
    ck_assert_int_eq(svp_csv_parse_long("99999999999999999999999", &n), -1);
}
END_TEST

/* ---- good files ------------------------------------------------------------- */

START_TEST(hardware_good)
{
    svp_hw_table t;
    svp_diag d;
    const svp_hw *h, *a;

    svp_diag_clear(&d);
    ck_assert_msg(svp_read_hardware(GOOD "hardware.csv", &t, &d) == SVP_OK,
                  "%s:%ld: %s: %s", d.file, d.line, d.column, d.msg);
    ck_assert_uint_eq(t.n, 2);
    h = &t.rows[0];
    ck_assert_str_eq(h->name, "H800-SXM");
    ck_assert_str_eq(h->vendor, "NVIDIA");
    SVP_CK_REL(h->peak_flops[SVP_DT_BF16], 9.89e14, REL);   /* 989 TFLOPS * 1e12 */
    SVP_CK_REL(h->peak_flops[SVP_DT_FP8], 1.979e15, REL);   /* 1979 TFLOPS */
    SVP_CK_REL(h->peak_flops[SVP_DT_INT8], 1.979e15, REL);  /* 1979 TOPS */
    ck_assert(h->peak_flops[SVP_DT_FP4] == 0.0);            /* empty = unsupported */
    SVP_CK_REL(h->dram_bytes, 8.0e10, REL);                 /* 80 GB * 1e9 */
    SVP_CK_REL(h->hbm_bytes_per_s, 3.35e12, REL);           /* 3.35 TB/s * 1e12 */
    SVP_CK_REL(h->c2c_bytes_per_s, 2.0e11, REL);            /* 200 GB/s * 1e9 */
    SVP_CK_REL(h->a2a_bytes_per_s, 5.0e10, REL);            /* 50 GB/s * 1e9 */
    ck_assert_int_eq(h->ranks_per_chip, 1);
    ck_assert_int_eq(h->chips_per_domain, 8);
    SVP_CK_REL(h->tdp_w, 700.0, REL);
    SVP_CK_REL(h->eff_gemm, 0.7, REL);
    SVP_CK_REL(h->eff_attn, 0.6, REL);
    SVP_CK_REL(h->eff_mem, 0.8, REL);
    SVP_CK_REL(h->eff_net_up, 0.8, REL);
    SVP_CK_REL(h->eff_net_out, 0.75, REL);
    SVP_CK_REL(h->coll_latency_s, 2.5e-5, REL);             /* 25 us * 1e-6 */
    SVP_CK_REL(h->layer_overhead_s, 4.0e-5, REL);           /* 40 us */
    SVP_CK_REL(h->step_overhead_s, 2.0e-3, REL);            /* 2000 us */
    SVP_CK_REL(h->reserve_bytes, 6.5e9, REL);               /* 6.5 GB */
    ck_assert_str_eq(h->confidence, "B");
    ck_assert_str_eq(h->source, "https://example.com/h800, datasheet");
    ck_assert_str_eq(h->eff_source, "kernel-benchmarks.md");
    ck_assert_str_eq(h->note, "NVLink export-restricted:\r\n400 GB/s \"bidirectional\"");

    a = svp_hw_find(&t, "Ascend 910C");
    ck_assert_ptr_eq(a, &t.rows[1]);
    ck_assert_str_eq(a->vendor, "\xE5\x8D\x8E\xE4\xB8\xBA");   /* 华为 */
    ck_assert(a->peak_flops[SVP_DT_FP8] == 0.0);
    SVP_CK_REL(a->peak_flops[SVP_DT_INT8], 1.504e15, REL);  /* 1504 TOPS */
    SVP_CK_REL(a->a2a_bytes_per_s, 2.5e10, REL);            /* 25 GB/s */
    ck_assert_int_eq(a->ranks_per_chip, 2);
    ck_assert_int_eq(a->chips_per_domain, 384);
    ck_assert(a->tdp_w == 0.0);                              /* empty = unknown */
    ck_assert(a->reserve_bytes == 0.0);
    SVP_CK_REL(svp_hw_rank_dram(a), 6.4e10, REL);           /* 128 GB / 2 ranks */
    ck_assert_int_eq(svp_hw_domain_ranks(a), 768);          /* 384 * 2 */
    ck_assert_str_eq(a->eff_source, "");
    svp_hw_table_fini(&t);
    ck_assert_ptr_null(t.rows);
}
END_TEST

START_TEST(hardware_good_line_numbers)
{
    svp_csv_table t;
    svp_diag d;

    /* The H800 record spans lines 2-3 (quoted CRLF), line 4 is blank and
     * line 5 only commas, so the Ascend record is on line 6. */
    ck_assert_int_eq(svp_csv_load(GOOD "hardware.csv", &t, &d), SVP_OK);
    ck_assert_uint_eq(t.n_rows, 2);
    ck_assert_int_eq(t.rows[0].line, 2);
    ck_assert_int_eq(t.rows[1].line, 6);
    svp_csv_fini(&t);
}
END_TEST

START_TEST(hardware_good_optional_columns_absent)
{
    svp_hw_table t;
    svp_diag d;
    const svp_hw *h;

    ck_assert_int_eq(svp_read_hardware(GOOD "hardware_min.csv", &t, &d), SVP_OK);
    ck_assert_uint_eq(t.n, 1);
    h = &t.rows[0];
    SVP_CK_REL(h->hbm_bytes_per_s, 1.555e12, REL);           /* 1.555 TB/s */
    SVP_CK_REL(h->peak_flops[SVP_DT_BF16], 3.12e14, REL);    /* 312 TFLOPS */
    ck_assert(h->peak_flops[SVP_DT_FP8] == 0.0);
    ck_assert(h->a2a_bytes_per_s == 0.0);
    ck_assert(h->tdp_w == 0.0);
    ck_assert(h->eff_gemm == 1.0);                            /* (0, 1]: 1 is allowed */
    ck_assert(h->coll_latency_s == 0.0);                      /* >= 0: 0 is allowed */
    SVP_CK_REL(h->reserve_bytes, 5.0e8, REL);                 /* 0.5 GB */
    ck_assert_str_eq(h->confidence, "");
    ck_assert_str_eq(h->note, "");
    svp_hw_table_fini(&t);
}
END_TEST

START_TEST(model_good)
{
    svp_model m;
    svp_diag d;

    svp_diag_clear(&d);
    ck_assert_msg(svp_read_model(GOOD "model.csv", &m, &d) == SVP_OK, "%ld %s %s",
                  d.line, d.column, d.msg);
    ck_assert_str_eq(m.name, "DeepSeek-V3");
    ck_assert_int_eq(m.hidden, 7168);
    ck_assert_int_eq(m.n_layers, 61);
    ck_assert_int_eq(m.n_dense_layers, 3);
    ck_assert_int_eq(m.dense_ffn, 18432);
    ck_assert_int_eq(m.n_heads, 128);
    ck_assert_int_eq(m.q_lora_rank, 1536);
    ck_assert_int_eq(m.kv_lora_rank, 512);
    ck_assert_int_eq(m.qk_nope_dim, 128);
    ck_assert_int_eq(m.qk_rope_dim, 64);
    ck_assert_int_eq(m.v_head_dim, 128);
    ck_assert_int_eq(m.n_routed_experts, 256);
    ck_assert_int_eq(m.n_shared_experts, 1);
    ck_assert_int_eq(m.top_k, 8);
    ck_assert_int_eq(m.moe_ffn, 2048);
    ck_assert_int_eq(m.n_expert_groups, 8);
    ck_assert_int_eq(m.routing_max_groups, 4);
    ck_assert_int_eq(m.vocab, 129280);
    ck_assert_int_eq(m.n_mtp_modules, 1);
    ck_assert_int_eq(m.n_redundant_experts, 0);   /* absent: default 0 */

    ck_assert_int_eq(svp_read_model(GOOD "model_redundant.csv", &m, &d), SVP_OK);
    ck_assert_str_eq(m.name, "small-moe");
    ck_assert_int_eq(m.n_redundant_experts, 16);
    ck_assert_int_eq(m.q_lora_rank, 0);
    ck_assert_int_eq(m.n_expert_groups, 0);
}
END_TEST

START_TEST(scenarios_good)
{
    svp_scenario_table t;
    svp_diag d;

    ck_assert_int_eq(svp_read_scenarios(GOOD "scenarios.csv", &t, &d), SVP_OK);
    ck_assert_uint_eq(t.n, 3);
    ck_assert_str_eq(t.rows[0].name, "decode-4k");
    ck_assert_int_eq(t.rows[0].phase, SVP_PHASE_DECODE);
    ck_assert_int_eq(t.rows[0].input_len, 4096);
    ck_assert_int_eq(t.rows[0].output_len, 1024);
    SVP_CK_REL(t.rows[0].max_tpot_s, 0.1, REL);   /* 100 ms * 1e-3 */
    ck_assert(t.rows[0].max_ftl_s == 0.0);
    ck_assert_int_eq(t.rows[1].phase, SVP_PHASE_PREFILL);
    ck_assert_int_eq(t.rows[1].output_len, 0);
    ck_assert(t.rows[1].max_tpot_s == 0.0);
    SVP_CK_REL(t.rows[1].max_ftl_s, 3.0, REL);    /* 3000 ms */
    ck_assert_int_eq(t.rows[2].input_len, 8192);
    ck_assert_int_eq(t.rows[2].output_len, 0);    /* empty = 0 in prefill */
    SVP_CK_REL(t.rows[2].max_ftl_s, 5.0, REL);    /* 5000 ms */
    ck_assert_str_eq(t.rows[2].source, "seed Art.3, 8K variant");
    svp_scenario_table_fini(&t);
    ck_assert_ptr_null(t.rows);
}
END_TEST

static void check_grid(const svp_grid *g, const int *want, size_t n)
{
    size_t i;

    ck_assert_uint_eq(g->n, n);
    for (i = 0; i < n; i++)
        ck_assert_int_eq(g->v[i], want[i]);
}

START_TEST(space_good)
{
    svp_space s;
    svp_diag d;
    /* The file lists them unsorted, with repeats and runs of spaces. */
    static const int batch[] = {1, 2, 4, 8, 10, 12, 16, 32, 64, 128, 256, 512, 1024, 1280};
    static const int mla_tp[] = {1, 2, 4, 8, 16, 32};
    static const int mla_dp[] = {1, 2, 4, 8, 16, 32, 64};
    static const int moe_tp[] = {1, 2, 4, 8};
    static const int moe_ep[] = {16, 32, 64, 128, 256};
    static const int sp[] = {1, 2, 4};

    ck_assert_int_eq(svp_read_space(GOOD "space.csv", &s, &d), SVP_OK);
    check_grid(&s.batch, batch, sizeof batch / sizeof *batch);
    check_grid(&s.mla_tp, mla_tp, sizeof mla_tp / sizeof *mla_tp);
    check_grid(&s.mla_dp, mla_dp, sizeof mla_dp / sizeof *mla_dp);
    check_grid(&s.moe_tp, moe_tp, sizeof moe_tp / sizeof *moe_tp);
    check_grid(&s.moe_ep, moe_ep, sizeof moe_ep / sizeof *moe_ep);
    check_grid(&s.sp, sp, sizeof sp / sizeof *sp);
    svp_space_fini(&s);
    ck_assert_ptr_null(s.batch.v);
}
END_TEST

START_TEST(prices_good)
{
    svp_price_table t;
    svp_diag d;
    const svp_price *p;

    ck_assert_int_eq(svp_read_prices(GOOD "prices.csv", &t, &d), SVP_OK);
    ck_assert_uint_eq(t.n, 2);
    p = svp_price_find(&t, "H800-SXM");
    ck_assert_ptr_nonnull(p);
    ck_assert(p->unit_usd_low == 33800.0);
    ck_assert(p->unit_usd_high == 54800.0);
    ck_assert_int_eq(p->has_hourly, 1);
    ck_assert(p->hourly_usd_low == 2.0);
    ck_assert(p->hourly_usd_high == 3.42);
    SVP_CK_REL(svp_price_unit_mid(p), 44300.0, REL);   /* (33800 + 54800) / 2 */
    ck_assert_str_eq(p->basis, "per chip; low=2025 reseller list, high=2023 gray market");
    ck_assert_str_eq(p->date, "2023-10..2025-03");
    ck_assert_str_eq(p->confidence, "B");
    ck_assert_str_eq(p->source, "https://example.com/a; https://example.com/b");
    p = svp_price_find(&t, "H20");
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(p->has_hourly, 0);
    ck_assert(svp_price_hourly_mid(p) == 0.0);
    ck_assert_ptr_null(svp_price_find(&t, "h20"));    /* exact match only */
    svp_price_table_fini(&t);
}
END_TEST

/* ---- bad files -------------------------------------------------------------- */

enum reader { R_HW, R_MODEL, R_SCEN, R_SPACE, R_PRICE };

/* Runs one reader; on success frees what it returned.  On failure asserts
 * that the output was left empty. */
static svp_err run_reader(enum reader r, const char *path, svp_diag *d)
{
    svp_err err = SVP_ERR_INTERNAL;

    svp_diag_clear(d);
    switch (r) {
    case R_HW: {
        svp_hw_table t = {(svp_hw *)(uintptr_t)1, 99};
        err = svp_read_hardware(path, &t, d);
        if (err == SVP_OK)
            svp_hw_table_fini(&t);
        else
            ck_assert(t.rows == NULL && t.n == 0);
        break;
    }
    case R_MODEL: {
        svp_model m;
        memset(&m, 0x5A, sizeof m);
        err = svp_read_model(path, &m, d);
        if (err != SVP_OK)
            ck_assert(m.hidden == 0 && m.name[0] == '\0');
        break;
    }
    case R_SCEN: {
        svp_scenario_table t = {(svp_scenario *)(uintptr_t)1, 99};
        err = svp_read_scenarios(path, &t, d);
        if (err == SVP_OK)
            svp_scenario_table_fini(&t);
        else
            ck_assert(t.rows == NULL && t.n == 0);
        break;
    }
    case R_SPACE: {
        svp_space s;
        memset(&s, 0x5A, sizeof s);
        err = svp_read_space(path, &s, d);
        if (err == SVP_OK)
            svp_space_fini(&s);
        else
            ck_assert(s.batch.v == NULL && s.sp.v == NULL && s.sp.n == 0);
        break;
    }
    case R_PRICE: {
        svp_price_table t = {(svp_price *)(uintptr_t)1, 99};
        err = svp_read_prices(path, &t, d);
        if (err == SVP_OK)
            svp_price_table_fini(&t);
        else
            ck_assert(t.rows == NULL && t.n == 0);
        break;
    }
    }
    return err;
}

typedef struct bad_case {
    enum reader reader;
    const char *file;       /* under tests/data/bad/ */
    svp_err err;
    long line;
    const char *column;
    const char *msg;        /* a substring of diag.msg */
} bad_case;

/* Line numbers: header on line 1, the first data row on line 2 (see
 * gen_bad.py; model keys are on line (position in its list) + 2). */
static const bad_case bad_cases[] = {
    /* the loader */
    {R_HW, "hw_empty.csv", SVP_ERR_DATA, 0, "", "empty file"},
    {R_HW, "hw_blank.csv", SVP_ERR_DATA, 0, "", "empty file"},
    {R_HW, "hw_header_only.csv", SVP_ERR_DATA, 1, "", "no rows"},
    /* "X2,Soci\xE9t\xE9": the Latin-1 e-acute is the 8th character of line 3 */
    {R_HW, "hw_bad_utf8.csv", SVP_ERR_DATA, 3, "", "invalid UTF-8 (byte 0xE9) at character 8"},
    {R_HW, "hw_nul.csv", SVP_ERR_DATA, 2, "", "NUL byte at character 6"},
    {R_HW, "hw_unclosed_quote.csv", SVP_ERR_DATA, 3, "", "never closed"},
    /* "X1,Ac\"me": the quote is character 6, in the vendor field */
    {R_HW, "hw_stray_quote.csv", SVP_ERR_DATA, 2, "vendor", "malformed CSV at character 6"},
    {R_HW, "hw_ragged.csv", SVP_ERR_DATA, 3, "", "expected 26 fields as in the header, got 3"},
    /* the header */
    {R_HW, "hw_missing_column.csv", SVP_ERR_DATA, 1, "hbm_TBps", "required column is missing"},
    {R_HW, "hw_duplicate_column.csv", SVP_ERR_DATA, 1, "dram_GB", "twice (fields 7 and 27)"},
    {R_HW, "hw_unknown_column.csv", SVP_ERR_DATA, 1, "hbm", "did you mean 'hbm_TBps'?"},
    {R_HW, "hw_unitless_column.csv", SVP_ERR_DATA, 1, "dram_gb", "did you mean 'dram_GB'?"},
    {R_HW, "hw_extra_column.csv", SVP_ERR_DATA, 1, "price",
     "unknown column (units are part of the name; expected columns: chip, vendor, bf16_TFLOPS"},
    {R_HW, "hw_empty_header_name.csv", SVP_ERR_DATA, 1, "",
     "empty column name at field 27 (a trailing comma?)"},
    /* values */
    {R_HW, "hw_duplicate_chip.csv", SVP_ERR_DATA, 4, "chip", "duplicate chip \"X1\" (first on line 2)"},
    {R_HW, "hw_nonnumeric.csv", SVP_ERR_DATA, 2, "hbm_TBps", "expected a positive number, got \"abc\""},
    {R_HW, "hw_negative.csv", SVP_ERR_DATA, 2, "c2c_GBps", "expected a positive number, got \"-200\""},
    {R_HW, "hw_zero.csv", SVP_ERR_DATA, 2, "bf16_TFLOPS", "expected a positive number, got \"0\""},
    {R_HW, "hw_empty_required.csv", SVP_ERR_DATA, 2, "bf16_TFLOPS", "expected a positive number, got \"\""},
    {R_HW, "hw_nan.csv", SVP_ERR_DATA, 2, "fp8_TFLOPS",
     "expected a positive number or empty (unsupported), got \"nan\""},
    {R_HW, "hw_inf.csv", SVP_ERR_DATA, 2, "dram_GB", "got \"inf\""},
    {R_HW, "hw_hex.csv", SVP_ERR_DATA, 2, "hbm_TBps", "got \"0x3\""},
    {R_HW, "hw_huge.csv", SVP_ERR_DATA, 2, "bf16_TFLOPS",
     "expected a positive number up to 10000000, got \"2e7\""},
    {R_HW, "hw_eff_range.csv", SVP_ERR_DATA, 2, "eff_gemm", "expected a number in (0, 1], got \"1.2\""},
    {R_HW, "hw_eff_zero.csv", SVP_ERR_DATA, 2, "eff_mem", "expected a number in (0, 1], got \"0\""},
    {R_HW, "hw_ranks_fraction.csv", SVP_ERR_DATA, 2, "ranks_per_chip",
     "expected a positive integer, got \"1.5\""},
    {R_HW, "hw_domain_zero.csv", SVP_ERR_DATA, 2, "chips_per_domain",
     "expected a positive integer, got \"0\""},
    {R_HW, "hw_latency_negative.csv", SVP_ERR_DATA, 2, "coll_latency_us",
     "expected a number >= 0, got \"-1\""},
    {R_HW, "hw_reserve_too_big.csv", SVP_ERR_DATA, 2, "reserve_GB",
     "below dram_GB (80), got \"80\""},
    {R_HW, "hw_empty_chip.csv", SVP_ERR_DATA, 3, "chip", "expected a non-empty value"},
    {R_HW, "hw_empty_source.csv", SVP_ERR_DATA, 2, "source", "expected a non-empty value"},
    {R_HW, "hw_long_name.csv", SVP_ERR_DATA, 2, "chip", "too long: 96 bytes, at most 95"},
    {R_HW, "hw_trailing_garbage.csv", SVP_ERR_DATA, 2, "dram_GB", "got \"80GB\""},
    {R_HW, "does_not_exist.csv", SVP_ERR_IO, 0, "", "cannot open"},
    /* model: name line 2, hidden_size 3, num_hidden_layers 4,
     * first_k_dense_replace 5, n_shared_experts 14, num_experts_per_tok 15,
     * topk_group 18, appended rows 21 */
    {R_MODEL, "model_unknown_key.csv", SVP_ERR_DATA, 21, "key", "unknown key \"hidden\""},
    {R_MODEL, "model_duplicate_key.csv", SVP_ERR_DATA, 21, "key",
     "duplicate key \"hidden_size\" (first on line 3)"},
    {R_MODEL, "model_missing_key.csv", SVP_ERR_DATA, 0, "key", "missing key \"vocab_size\""},
    {R_MODEL, "model_not_integer.csv", SVP_ERR_DATA, 3, "value",
     "hidden_size: expected a positive integer, got \"7168.5\""},
    {R_MODEL, "model_zero_hidden.csv", SVP_ERR_DATA, 3, "value",
     "hidden_size: expected a positive integer, got \"0\""},
    {R_MODEL, "model_negative.csv", SVP_ERR_DATA, 14, "value",
     "n_shared_experts: expected an integer >= 0, got \"-1\""},
    {R_MODEL, "model_dense_gt_layers.csv", SVP_ERR_DATA, 5, "value",
     "first_k_dense_replace: expected at most num_hidden_layers (61), got \"62\""},
    {R_MODEL, "model_topk_gt_experts.csv", SVP_ERR_DATA, 15, "value",
     "num_experts_per_tok: expected at most n_routed_experts (256), got \"300\""},
    {R_MODEL, "model_topk_group_gt_groups.csv", SVP_ERR_DATA, 18, "value",
     "topk_group: expected at most n_group (8), got \"9\""},
    {R_MODEL, "model_empty_name.csv", SVP_ERR_DATA, 2, "value", "name: expected a non-empty value"},
    /* scenarios */
    {R_SCEN, "sc_unknown_phase.csv", SVP_ERR_DATA, 3, "phase", "expected decode or prefill, got \"Prefill\""},
    {R_SCEN, "sc_decode_no_tpot.csv", SVP_ERR_DATA, 3, "max_tpot_ms", "expected a positive number, got \"\""},
    {R_SCEN, "sc_decode_zero_output.csv", SVP_ERR_DATA, 2, "output_len_tokens",
     "expected a positive integer, got \"0\""},
    {R_SCEN, "sc_decode_with_ftl.csv", SVP_ERR_DATA, 2, "max_ftl_ms",
     "expected empty (a decode scenario is bounded by max_tpot_ms), got \"3000\""},
    {R_SCEN, "sc_prefill_with_output.csv", SVP_ERR_DATA, 2, "output_len_tokens",
     "expected 0 or empty"},
    {R_SCEN, "sc_prefill_with_tpot.csv", SVP_ERR_DATA, 2, "max_tpot_ms",
     "expected empty (a prefill scenario is bounded by max_ftl_ms), got \"100\""},
    {R_SCEN, "sc_prefill_no_ftl.csv", SVP_ERR_DATA, 2, "max_ftl_ms", "expected a positive number, got \"\""},
    {R_SCEN, "sc_input_zero.csv", SVP_ERR_DATA, 2, "input_len_tokens", "expected a positive integer, got \"0\""},
    {R_SCEN, "sc_duplicate_name.csv", SVP_ERR_DATA, 4, "name",
     "duplicate scenario \"decode-4k\" (first on line 2)"},
    /* search space: batch line 2, mla_tp 3, mla_dp 4, moe_tp 5, moe_ep 6,
     * sp 7, appended rows 8 */
    {R_SPACE, "space_not_pow2.csv", SVP_ERR_DATA, 3, "values",
     "expected powers of two (1, 2, 4, 8, ...), got 6 in \"1 2 6 8\""},
    {R_SPACE, "space_sp_not_pow2.csv", SVP_ERR_DATA, 7, "values", "got 3 in \"3\""},
    {R_SPACE, "space_missing_var.csv", SVP_ERR_DATA, 0, "variable", "missing variable \"sp\""},
    {R_SPACE, "space_duplicate_var.csv", SVP_ERR_DATA, 8, "variable",
     "duplicate variable \"batch\" (first on line 2)"},
    {R_SPACE, "space_unknown_var.csv", SVP_ERR_DATA, 8, "variable", "unknown variable \"dp\""},
    {R_SPACE, "space_non_integer.csv", SVP_ERR_DATA, 2, "values",
     "expected positive integers separated by spaces, got \"x\" in \"1 2 x 8\""},
    {R_SPACE, "space_fraction.csv", SVP_ERR_DATA, 4, "values", "got \"2.5\" in \"1 2.5\""},
    {R_SPACE, "space_zero.csv", SVP_ERR_DATA, 6, "values", "got \"0\" in \"0 16\""},
    {R_SPACE, "space_empty_values.csv", SVP_ERR_DATA, 4, "values",
     "expected positive integers separated by spaces, got \"\""},
    {R_SPACE, "space_comma.csv", SVP_ERR_DATA, 2, "values", "got \"1,2\" in \"1,2\""},
    /* prices */
    {R_PRICE, "price_low_gt_high.csv", SVP_ERR_DATA, 3, "unit_price_usd_high",
     "expected a number >= unit_price_usd_low (54800), got \"33800\""},
    {R_PRICE, "price_zero_unit.csv", SVP_ERR_DATA, 2, "unit_price_usd_low",
     "expected a positive number, got \"0\""},
    {R_PRICE, "price_hourly_half.csv", SVP_ERR_DATA, 2, "hourly_usd_high",
     "because hourly_usd_low is set"},
    {R_PRICE, "price_hourly_low_gt_high.csv", SVP_ERR_DATA, 2, "hourly_usd_high",
     "expected a number >= hourly_usd_low (3), got \"2\""},
    {R_PRICE, "price_duplicate_chip.csv", SVP_ERR_DATA, 3, "chip",
     "duplicate chip \"H20\" (first on line 2)"},
    {R_PRICE, "price_missing_column.csv", SVP_ERR_DATA, 1, "date", "required column is missing"},
    {R_PRICE, "price_no_source.csv", SVP_ERR_DATA, 2, "source_urls", "expected a non-empty value"},
};

#define N_BAD ((int)(sizeof bad_cases / sizeof bad_cases[0]))

START_TEST(bad_file)
{
    const bad_case *c = &bad_cases[_i];
    char path[256];
    svp_diag d;
    svp_err err;

    snprintf(path, sizeof path, BAD "%s", c->file);
    err = run_reader(c->reader, path, &d);
    ck_assert_msg(err == c->err, "%s: error %d, expected %d (%ld '%s' %s)", c->file,
                  (int)err, (int)c->err, d.line, d.column, d.msg);
    ck_assert_msg(d.line == c->line, "%s: line %ld, expected %ld (%s)", c->file, d.line,
                  c->line, d.msg);
    ck_assert_msg(strcmp(d.column, c->column) == 0, "%s: column '%s', expected '%s' (%s)",
                  c->file, d.column, c->column, d.msg);
    ck_assert_msg(strstr(d.msg, c->msg) != NULL, "%s: message \"%s\" lacks \"%s\"", c->file,
                  d.msg, c->msg);
    ck_assert_str_eq(d.file, path);
}
END_TEST

/* ---- allocation failure ------------------------------------------------------ */

static const struct {
    enum reader reader;
    const char *file;
} good_files[] = {
    {R_HW, GOOD "hardware.csv"},
    {R_MODEL, GOOD "model.csv"},
    {R_SCEN, GOOD "scenarios.csv"},
    {R_SPACE, GOOD "space.csv"},
    {R_PRICE, GOOD "prices.csv"},
};

#define N_GOOD ((int)(sizeof good_files / sizeof good_files[0]))

/* Sticky failure from the n-th allocation on: every n until the read needs
 * fewer than n allocations must end in SVP_ERR_NOMEM (never a crash, never
 * another code, never a leak under `make san`). */
START_TEST(alloc_failure_sticky)
{
    svp_diag d;
    svp_err err;
    long n;

    for (n = 1; n < 100000; n++) {
        svp_alloc_fail_at(n, 1);
        err = run_reader(good_files[_i].reader, good_files[_i].file, &d);
        svp_alloc_fail_at(0, 0);
        if (err == SVP_OK)
            break;
        ck_assert_msg(err == SVP_ERR_NOMEM, "%s, allocation %ld failing: error %d (%s)",
                      good_files[_i].file, n, (int)err, d.msg);
    }
    ck_assert_msg(n > 1, "%s: the read made no allocation", good_files[_i].file);
    ck_assert_msg(n < 100000, "%s: the read never succeeded", good_files[_i].file);
}
END_TEST

/* One failure only: libcsv retries a failed buffer growth with a smaller
 * size, so a single failure may be absorbed; every outcome must still be
 * OK or NOMEM. */
START_TEST(alloc_failure_once)
{
    svp_diag d;
    svp_err err;
    long before, needed, n;

    before = svp_alloc_count();
    ck_assert_int_eq(run_reader(good_files[_i].reader, good_files[_i].file, &d), SVP_OK);
    needed = svp_alloc_count() - before;
    ck_assert_int_gt(needed, 0);
    for (n = 1; n <= needed; n++) {
        svp_alloc_fail_at(n, 0);
        err = run_reader(good_files[_i].reader, good_files[_i].file, &d);
        svp_alloc_fail_at(0, 0);
        ck_assert_msg(err == SVP_OK || err == SVP_ERR_NOMEM,
                      "%s, allocation %ld failing: error %d (%s)", good_files[_i].file, n,
                      (int)err, d.msg);
    }
}
END_TEST

static Suite *read_suite(void)
{
    Suite *s = suite_create("read");
    TCase *tc;

    tc = tcase_create("csv");
    tcase_add_test(tc, csv_lines_bom_crlf_quotes);
    tcase_add_test(tc, csv_lone_cr_and_no_final_newline);
    tcase_add_test(tc, csv_utf8_rules);
    tcase_add_test(tc, csv_number_syntax);
    suite_add_tcase(s, tc);

    tc = tcase_create("good");
    tcase_add_test(tc, hardware_good);
    tcase_add_test(tc, hardware_good_line_numbers);
    tcase_add_test(tc, hardware_good_optional_columns_absent);
    tcase_add_test(tc, model_good);
    tcase_add_test(tc, scenarios_good);
    tcase_add_test(tc, space_good);
    tcase_add_test(tc, prices_good);
    suite_add_tcase(s, tc);

    tc = tcase_create("bad");
    tcase_add_loop_test(tc, bad_file, 0, N_BAD);
    suite_add_tcase(s, tc);

    tc = tcase_create("alloc");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, alloc_failure_sticky, 0, N_GOOD);
    tcase_add_loop_test(tc, alloc_failure_once, 0, N_GOOD);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return svp_ck_run(read_suite());
}
