/*
 * test_xlsx.c - the report's edges that need no spreadsheet reader:
 * templates (templates.h), SHA-256 (svp_sha256_file) and the error paths and
 * determinism of svp_xlsx_write.  The workbook's contents are read back by
 * tests/workbook.sh (openpyxl).
 *
 * Runs from the repository root (`make test`): templates/ and data/ are
 * relative to it.  Scratch files go to a mkdtemp directory under /tmp.
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

/* ---- scratch files -------------------------------------------------------- */

static char scratch[64];

static void scratch_setup(void)
{
    strcpy(scratch, "/tmp/svp_test_xlsx_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(scratch));
}

static void scratch_teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    if (system(cmd) != 0)
        fprintf(stderr, "test_xlsx: could not remove %s\n", scratch);
}

/* Writes dir/name with the given bytes; returns the path (static buffer). */
static const char *write_file(const char *name, const char *bytes, size_t n)
{
    static char path[256];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", scratch, name);
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

static size_t count_keys(void)
{
    size_t n = 0;
    while (svp_report_keys[n] != NULL)
        n++;
    return n;
}

/* ---- templates ------------------------------------------------------------ */

START_TEST(templates_shipped_languages_complete)
{
    svp_strings en, zh;
    svp_diag d;
    size_t i;

    svp_diag_clear(&d);
    ck_assert_msg(svp_strings_load("templates", "en", svp_report_keys, &en, &d) == SVP_OK,
                  "en: %s:%ld %s", d.file, d.line, d.msg);
    ck_assert_msg(svp_strings_load("templates", "zh", svp_report_keys, &zh, &d) == SVP_OK,
                  "zh: %s:%ld %s", d.file, d.line, d.msg);
    ck_assert_str_eq(en.lang, "en");
    ck_assert_str_eq(zh.lang, "zh");
    /* The sheet names of SPEC.md, in English as the spec spells them. */
    ck_assert_str_eq(svp_tr(&en, "sheet.summary"), "Summary");
    ck_assert_str_eq(svp_tr(&en, "sheet.all"), "All configurations");
    ck_assert_str_eq(svp_tr(&zh, "sheet.summary"), "摘要");
    /* The chart labels (src/io/charts.c) live in the same files; the English
     * text is the charts' built-in default, word for word. */
    for (i = 0; svp_chart_keys[i].key != NULL; i++) {
        const char *k = svp_chart_keys[i].key;
        ck_assert_msg(svp_tr(&en, k) != k, "en lacks chart key %s", k);
        ck_assert_msg(svp_tr(&zh, k) != k, "zh lacks chart key %s", k);
        ck_assert_str_eq(svp_tr(&en, k), svp_chart_keys[i].en);
    }
    /* Same key set: every key is used (one of the two lists) and no language
     * has extras. */
    ck_assert_uint_eq(en.n, count_keys() + i);
    ck_assert_uint_eq(zh.n, count_keys() + i);
    for (i = 0; i < zh.n; i++)
        ck_assert_str_eq(zh.keys[i], en.keys[i]);
    /* The Chinese texts are translations, not copies: the sheet names differ. */
    for (i = 0; svp_report_keys[i] != NULL; i++)
        if (strncmp(svp_report_keys[i], "sheet.", 6) == 0)
            ck_assert_str_ne(svp_tr(&en, svp_report_keys[i]), svp_tr(&zh, svp_report_keys[i]));
    svp_strings_fini(&en);
    svp_strings_fini(&zh);
}
END_TEST

START_TEST(templates_missing_key_is_data_error)
{
    static const char *const req[] = {"a.one", "b.two", NULL};
    static const char csv[] = "key,text,note\na.one,One,\n";
    svp_strings s;
    svp_diag d;

    write_file("xx.csv", csv, sizeof csv - 1);
    svp_diag_clear(&d);
    ck_assert_int_eq(svp_strings_load(scratch, "xx", req, &s, &d), SVP_ERR_DATA);
    ck_assert_msg(strstr(d.msg, "missing key 'b.two'") != NULL, "msg: %s", d.msg);
    ck_assert_msg(strstr(d.file, "xx.csv") != NULL, "file: %s", d.file);
    ck_assert_uint_eq(s.n, 0);   /* nothing returned on error */
    ck_assert_ptr_null(s.keys);
}
END_TEST

START_TEST(templates_duplicate_and_empty)
{
    /* Lines 2 and 5 both define k (line 4 is blank): the error names both. */
    static const char dup[] = "key,text,note\nk,One,\nj,Two,\n\nk,Three,\n";
    static const char empty_text[] = "key,text\nk,\n";
    static const char bad_header[] = "key,txt\nk,One\n";
    svp_strings s;
    svp_diag d;

    write_file("dup.csv", dup, sizeof dup - 1);
    svp_diag_clear(&d);
    ck_assert_int_eq(svp_strings_load(scratch, "dup", NULL, &s, &d), SVP_ERR_DATA);
    ck_assert_int_eq(d.line, 5);
    ck_assert_msg(strstr(d.msg, "duplicate key 'k' (first on line 2)") != NULL, "msg: %s", d.msg);

    write_file("em.csv", empty_text, sizeof empty_text - 1);
    svp_diag_clear(&d);
    ck_assert_int_eq(svp_strings_load(scratch, "em", NULL, &s, &d), SVP_ERR_DATA);
    ck_assert_int_eq(d.line, 2);
    ck_assert_str_eq(d.column, "text");

    write_file("bh.csv", bad_header, sizeof bad_header - 1);
    svp_diag_clear(&d);
    ck_assert_int_eq(svp_strings_load(scratch, "bh", NULL, &s, &d), SVP_ERR_DATA);

    svp_diag_clear(&d);
    ck_assert_int_eq(svp_strings_load(scratch, "nosuch", NULL, &s, &d), SVP_ERR_IO);
    /* A language code becomes part of a path: no separators. */
    svp_diag_clear(&d);
    ck_assert_int_eq(svp_strings_load(scratch, "../en", NULL, &s, &d), SVP_ERR_USAGE);
}
END_TEST

START_TEST(templates_fill_reordered_placeholders)
{
    /* BOM, CRLF and a quoted text with a comma: the CSV loader's rules. */
    static const char csv[] = "\xEF\xBB\xBFkey,text,note\r\n"
                              "s,\"{b} then {a}, {unknown} {a}\",\r\n"
                              "t,{chip}：{tps} tok/s,\r\n";
    static const char *const names[] = {"a", "b", "chip", "tps"};
    static const char *const values[] = {"1", "two", "H20", "753.7"};
    svp_strings s;
    svp_diag d;
    char out[64], small[8];
    size_t n;

    write_file("ff.csv", csv, sizeof csv - 1);
    svp_diag_clear(&d);
    ck_assert_int_eq(svp_strings_load(scratch, "ff", NULL, &s, &d), SVP_OK);
    n = svp_tr_fill(&s, "s", out, sizeof out, names, values, 4);
    /* "two then 1, {unknown} 1": 3+6+1+2+9+1+1 = 23 bytes. */
    ck_assert_str_eq(out, "two then 1, {unknown} 1");
    ck_assert_uint_eq(n, 23);
    n = svp_tr_fill(&s, "t", out, sizeof out, names, values, 4);
    /* "H20" 3 + "：" 3 bytes + "753.7" 5 + " tok/s" 6 = 17. */
    ck_assert_str_eq(out, "H20：753.7 tok/s");
    ck_assert_uint_eq(n, 17);
    /* Truncation: the full length is returned, the buffer stays terminated. */
    n = svp_tr_fill(&s, "s", small, sizeof small, names, values, 4);
    ck_assert_uint_eq(n, 23);
    ck_assert_str_eq(small, "two the");
    /* Absent key: the key itself. */
    ck_assert_str_eq(svp_tr(&s, "nope"), "nope");
    n = svp_tr_fill(&s, "nope", out, sizeof out, NULL, NULL, 0);
    ck_assert_str_eq(out, "nope");
    ck_assert_uint_eq(n, 4);
    svp_strings_fini(&s);
}
END_TEST

START_TEST(templates_alloc_failure)
{
    svp_strings s;
    svp_diag d;
    long k;
    svp_err err = SVP_ERR_NOMEM;

    /* Every allocation of a successful load, made to fail in turn, must end
     * in a clean SVP_ERR_NOMEM (LeakSanitizer checks nothing leaks under
     * `make san`). */
    for (k = 1; k < 100000; k++) {
        svp_diag_clear(&d);
        svp_alloc_fail_at(k, 0);
        err = svp_strings_load("templates", "en", svp_report_keys, &s, &d);
        svp_alloc_fail_at(0, 0);
        if (err == SVP_OK)
            break;
        ck_assert_int_eq(err, SVP_ERR_NOMEM);
        ck_assert_ptr_null(s.keys);
    }
    ck_assert_int_eq(err, SVP_OK);
    ck_assert_int_gt(k, 1);
    svp_strings_fini(&s);
}
END_TEST

/* ---- SHA-256 -------------------------------------------------------------- */

static void sha_of(const char *bytes, size_t n, char out[65])
{
    svp_diag d;
    const char *p = write_file("sha.bin", bytes, n);
    svp_diag_clear(&d);
    ck_assert_int_eq(svp_sha256_file(p, out, &d), SVP_OK);
}

START_TEST(sha256_fips_vectors)
{
    char h[65];
    char *million;

    /* FIPS 180-2 Appendix B.1: one block. */
    sha_of("abc", 3, h);
    ck_assert_str_eq(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* FIPS 180-2 Appendix B.2: 448 bits, padding spills into a second block. */
    sha_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, h);
    ck_assert_str_eq(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* The empty message (NIST CAVP SHA256ShortMsg, Len = 0). */
    sha_of("", 0, h);
    ck_assert_str_eq(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* FIPS 180-2 Appendix B.3: one million 'a', across read buffers. */
    million = malloc(1000000);
    ck_assert_ptr_nonnull(million);
    memset(million, 'a', 1000000);
    sha_of(million, 1000000, h);
    free(million);
    ck_assert_str_eq(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

START_TEST(sha256_missing_file)
{
    char h[65] = "x";
    svp_diag d;
    svp_diag_clear(&d);
    ck_assert_int_eq(svp_sha256_file("tests/data/no-such-file.csv", h, &d), SVP_ERR_IO);
    ck_assert_str_eq(h, "");
    ck_assert_msg(strstr(d.file, "no-such-file") != NULL, "file: %s", d.file);
}
END_TEST

/* ---- svp_xlsx_write ------------------------------------------------------- */

/* A small analysis of the shipped data: two chips (H20: price without an
 * hourly rate; the last chip of data/hardware.csv, whatever it is) on the
 * shipped scenarios and grids. */
typedef struct fixture {
    svp_hw_table hw;
    svp_model model;
    svp_scenario_table sc;
    svp_space space;
    svp_price_table prices;
    svp_opts opts;
    const svp_hw *chips[2];
    svp_analysis_input in;
    svp_analysis an;
    svp_strings tr;
    svp_input_file files[1];
    svp_report_input r;
} fixture;

static void fixture_init(fixture *f, const char *lang)
{
    svp_diag d;
    memset(f, 0, sizeof *f);
    svp_diag_clear(&d);
    ck_assert_int_eq(svp_read_hardware("data/hardware.csv", &f->hw, &d), SVP_OK);
    ck_assert_int_eq(svp_read_model("data/models/deepseek-v3.csv", &f->model, &d), SVP_OK);
    ck_assert_int_eq(svp_read_scenarios("data/scenarios.csv", &f->sc, &d), SVP_OK);
    ck_assert_int_eq(svp_read_space("data/search-space.csv", &f->space, &d), SVP_OK);
    ck_assert_int_eq(svp_read_prices("data/prices.csv", &f->prices, &d), SVP_OK);
    if (lang != NULL)
        ck_assert_int_eq(svp_strings_load("templates", lang, svp_report_keys, &f->tr, &d), SVP_OK);
    f->opts = svp_opts_default();
    f->chips[0] = svp_hw_find(&f->hw, "H20");
    ck_assert_ptr_nonnull(f->chips[0]);
    f->chips[1] = &f->hw.rows[f->hw.n - 1];
    f->in.chips = f->chips;
    f->in.n_chips = 2;
    f->in.model = &f->model;
    f->in.scenarios = &f->sc;
    f->in.space = &f->space;
    f->in.opts = &f->opts;
    f->in.prices = &f->prices;
    f->in.with_whatif = 1;
    ck_assert_int_eq(svp_analyze(&f->in, &f->an), SVP_OK);
    f->files[0].role = "hardware";
    f->files[0].path = "data/hardware.csv";
    ck_assert_int_eq(svp_sha256_file("data/hardware.csv", f->files[0].sha256, &d), SVP_OK);
    f->r.an = &f->an;
    f->r.in = &f->in;
    f->r.tr = &f->tr;
    f->r.version = "test";
    f->r.files = f->files;
    f->r.n_files = 1;
    f->r.font_family = "DejaVu Sans";
}

static void fixture_fini(fixture *f)
{
    svp_analysis_fini(&f->an);
    svp_strings_fini(&f->tr);
    svp_hw_table_fini(&f->hw);
    svp_scenario_table_fini(&f->sc);
    svp_space_fini(&f->space);
    svp_price_table_fini(&f->prices);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static int same_bytes(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int ca, cb, same = fa != NULL && fb != NULL;
    while (same) {
        ca = getc(fa);
        cb = getc(fb);
        if (ca != cb)
            same = 0;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa != NULL)
        fclose(fa);
    if (fb != NULL)
        fclose(fb);
    return same;
}

START_TEST(xlsx_written_twice_identical)
{
    fixture f;
    svp_diag d;
    char p1[256], p2[256];

    fixture_init(&f, "en");
    snprintf(p1, sizeof p1, "%s/a.xlsx", scratch);
    snprintf(p2, sizeof p2, "%s/b.xlsx", scratch);
    svp_diag_clear(&d);
    ck_assert_msg(svp_xlsx_write(p1, &f.r, &d) == SVP_OK, "%s", d.msg);
    /* A different second of the clock must not matter. */
    sleep(1);
    ck_assert_msg(svp_xlsx_write(p2, &f.r, &d) == SVP_OK, "%s", d.msg);
    ck_assert_int_gt(file_size(p1), 1000);
    ck_assert_msg(same_bytes(p1, p2), "two runs on the same inputs differ");
    fixture_fini(&f);
}
END_TEST

START_TEST(xlsx_unwritable_path_is_io_error)
{
    fixture f;
    svp_diag d;

    fixture_init(&f, "en");
    svp_diag_clear(&d);
    ck_assert_int_eq(svp_xlsx_write("/nonexistent-dir/sub/r.xlsx", &f.r, &d), SVP_ERR_IO);
    ck_assert_msg(strstr(d.msg, "cannot create: No such file or directory") != NULL, "msg: %s", d.msg);
    fixture_fini(&f);
}
END_TEST

START_TEST(xlsx_bad_sheet_name_is_data_error)
{
    /* A translation whose sheet name Excel refuses (':' is not allowed);
     * every other label falls back to its key, which is a valid name. */
    static const char csv[] = "key,text\nsheet.summary,Sum:mary\n";
    fixture f;
    svp_diag d;
    char p[256];

    fixture_init(&f, NULL);
    write_file("bad.csv", csv, sizeof csv - 1);
    svp_diag_clear(&d);
    ck_assert_int_eq(svp_strings_load(scratch, "bad", NULL, &f.tr, &d), SVP_OK);
    snprintf(p, sizeof p, "%s/bad.xlsx", scratch);
    ck_assert_int_eq(svp_xlsx_write(p, &f.r, &d), SVP_ERR_DATA);
    ck_assert_msg(strstr(d.msg, "Sum:mary") != NULL, "msg: %s", d.msg);
    ck_assert_str_eq(d.column, "sheet.summary");
    ck_assert_int_eq(file_size(p), -1);   /* nothing half-written */
    fixture_fini(&f);
}
END_TEST

/* Three hand-made deployment rows on the fixture: predicted (refitted by
 * leave-one-out), predicted with a NaN (a model bug must become "n/a", not
 * a NaN cell), and one servplan cannot predict. */
typedef struct val_fx {
    svp_deployment dep[3];
    svp_val_row rows[3];
    svp_val_summary sum;
} val_fx;

static void val_init(val_fx *v, fixture *f)
{
    memset(v, 0, sizeof *v);
    for (int i = 0; i < 3; i++) {
        svp_deployment *d = &v->dep[i];
        svp_val_row *r = &v->rows[i];
        snprintf(d->id, sizeof d->id, "ROW-%d", i);
        snprintf(d->chip, sizeof d->chip, "H20");
        d->phase = i == 1 ? SVP_PHASE_PREFILL : SVP_PHASE_DECODE;
        d->n_ranks = 16;
        d->cfg.mla_tp = i == 2 ? 16 : 1;
        d->cfg.mla_dp = i == 2 ? 1 : 16;
        d->cfg.moe_tp = 1;
        d->cfg.moe_ep = 16;
        d->cfg.sp = 1;
        d->cfg.batch = 512;
        d->input_len = 4096;
        d->output_len = i == 1 ? 0 : 1024;
        d->tbo = SVP_TBO_OFF;
        d->mtp_accept = 1.0;
        d->measured_tps_per_chip = 600.0;
        d->measured_latency_s = i == 0 ? 0.05 : 0.0;
        r->dep = d;
        r->hw = f->chips[0];
        r->meas_tps = 600.0;
        r->meas_latency_s = d->measured_latency_s;
        r->has_pred = i != 2;
        r->m.has_metrics = i != 2;
        r->m.reason = i == 2 ? SVP_INF_MLA_TP_DOMAIN : SVP_FEASIBLE;
        r->pred_tps = i == 0 ? 660.0 : NAN;
        r->err_pct = i == 0 ? 10.0 : NAN;   /* (660 - 600) / 600 x 100 */
        r->pred_latency_s = 0.045;
        r->has_latency_err = i == 0;
        r->latency_err_pct = -10.0;         /* (45 - 50) / 50 x 100 */
        r->loo_basis = i == 0 ? SVP_LOO_FITTED : i == 1 ? SVP_LOO_DEFAULTS : SVP_LOO_NONE;
        r->loo_n_rows = 2;
        r->loo_n_params = 1;
        r->loo_params[0] = SVP_PAR_EFF_NET_OUT;
        r->loo_tps = i == 0 ? 630.0 : NAN;
        r->loo_err_pct = i == 0 ? 5.0 : NAN;
    }
    v->sum.n_rows = 3;
    v->sum.n_pred = 2;
    v->sum.median_abs_err_pct = 10.0;
    v->sum.worst_abs_err_pct = 10.0;
    v->sum.has_loo = 1;
    v->sum.loo_median_abs_err_pct = 5.0;
    v->sum.loo_worst_abs_err_pct = 5.0;
    f->r.val_rows = v->rows;
    f->r.n_val = 3;
    f->r.val_sum = &v->sum;
    f->r.deployments_path = "test/deployments.csv";
}

START_TEST(xlsx_validation_rows)
{
    fixture f;
    val_fx v;
    svp_diag d;
    char p0[256], p1[256], p2[256];

    fixture_init(&f, "en");
    snprintf(p0, sizeof p0, "%s/none.xlsx", scratch);
    snprintf(p1, sizeof p1, "%s/a.xlsx", scratch);
    snprintf(p2, sizeof p2, "%s/b.xlsx", scratch);
    svp_diag_clear(&d);
    ck_assert_msg(svp_xlsx_write(p0, &f.r, &d) == SVP_OK, "%s", d.msg);
    val_init(&v, &f);
    ck_assert_msg(svp_xlsx_write(p1, &f.r, &d) == SVP_OK, "%s", d.msg);
    ck_assert_msg(svp_xlsx_write(p2, &f.r, &d) == SVP_OK, "%s", d.msg);
    ck_assert_msg(same_bytes(p1, p2), "two runs with deployment rows differ");
    /* The table, the summary and a native chart make the file larger. */
    ck_assert_int_gt(file_size(p1), file_size(p0));
    /* No row drawable: the table without a chart, still a workbook. */
    v.rows[0].has_pred = 0;
    v.rows[1].has_pred = 0;
    v.sum.n_pred = 0;
    v.sum.has_loo = 0;
    ck_assert_msg(svp_xlsx_write(p2, &f.r, &d) == SVP_OK, "%s", d.msg);
    fixture_fini(&f);
}
END_TEST

/* The Validation sheet's own allocations (its chart's data labels) come
 * last in svp_xlsx_write; making each fail gives SVP_ERR_NOMEM. */
START_TEST(xlsx_validation_nomem)
{
    fixture f;
    val_fx v;
    svp_diag d;
    char p[256];
    long before, used;

    fixture_init(&f, "en");
    val_init(&v, &f);
    snprintf(p, sizeof p, "%s/m.xlsx", scratch);
    before = svp_alloc_count();
    ck_assert_int_eq(svp_xlsx_write(p, &f.r, &d), SVP_OK);
    used = svp_alloc_count() - before;
    ck_assert_int_gt(used, 4);
    for (long n = used - 3; n <= used; n++) {
        svp_alloc_fail_at(n, 1);
        svp_err err = svp_xlsx_write(p, &f.r, &d);
        svp_alloc_fail_at(0, 0);
        ck_assert_msg(err == SVP_ERR_NOMEM, "allocation %ld of %ld failing gave %d", n, used,
                      (int)err);
    }
    fixture_fini(&f);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("xlsx");
    TCase *tc = tcase_create("templates");
    tcase_add_checked_fixture(tc, scratch_setup, scratch_teardown);
    tcase_add_test(tc, templates_shipped_languages_complete);
    tcase_add_test(tc, templates_missing_key_is_data_error);
    tcase_add_test(tc, templates_duplicate_and_empty);
    tcase_add_test(tc, templates_fill_reordered_placeholders);
    tcase_add_test(tc, templates_alloc_failure);
    suite_add_tcase(s, tc);

    tc = tcase_create("sha256");
    tcase_add_checked_fixture(tc, scratch_setup, scratch_teardown);
    tcase_add_test(tc, sha256_fips_vectors);
    tcase_add_test(tc, sha256_missing_file);
    suite_add_tcase(s, tc);

    tc = tcase_create("workbook");
    tcase_add_checked_fixture(tc, scratch_setup, scratch_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, xlsx_written_twice_identical);
    tcase_add_test(tc, xlsx_unwritable_path_is_io_error);
    tcase_add_test(tc, xlsx_bad_sheet_name_is_data_error);
    tcase_add_test(tc, xlsx_validation_rows);
    tcase_add_test(tc, xlsx_validation_nomem);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return svp_ck_run(suite());
}
