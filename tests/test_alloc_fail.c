/*
 * test_alloc_fail.c - every allocation servplan makes can fail and the run
 * still ends cleanly (SQLite-style fault injection through alloc.h).
 *
 * For a small report (one chip, a tiny grid, the shipped scenarios, prices,
 * templates and deployments), the whole command - loading every table,
 * searching, analysing, validating, writing the workbook and the charts - is
 * run once to count its allocations, then once more for every n with the
 * n-th allocation failing.  Each run must exit 0 (the failure was absorbed,
 * e.g. a buffer that grows again later) or 1 (out of memory, reported), never
 * anything else, and must leave the previous report byte for byte as it was
 * or - when it exits 0 - a complete new one.  Leaks on these paths are what
 * `make san` (LeakSanitizer) checks when it runs this program.
 *
 * Libraries allocate outside our wrapper (libxlsxwriter, cairo, libcsv's
 * own buffers go through it only where we hand it svp_realloc); their
 * allocation failures are not injected here.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "servplan/alloc.h"
#include "servplan/cli.h"

/* Reads a whole file into memory (malloc, not the wrapper: the test's own). */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)n;
    }
    fclose(f);
    return buf;
}

static int run_report(const char *out_dir)
{
    char *argv[] = {
        "servplan", "report", "-q", "--chip", "H800-SXM",
        "--space", "tests/data/alloc/space.csv", "--out", (char *)out_dir, NULL,
    };
    return svp_cli_main((int)(sizeof argv / sizeof argv[0]) - 1, argv);
}

START_TEST(every_allocation_of_a_report_can_fail)
{
    char dir[] = "/tmp/svp_alloc.XXXXXX";
    char xlsx[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(xlsx, sizeof xlsx, "%s/servplan-report.xlsx", dir);

    /* The failing runs print "out of memory" each: keep the log readable. */
    ck_assert_ptr_nonnull(freopen("/dev/null", "w", stderr));

    long before = svp_alloc_count();
    ck_assert_int_eq(run_report(dir), 0);
    long total = svp_alloc_count() - before;
    ck_assert_int_gt(total, 100);   /* the count is real: loading alone allocates */

    size_t good_len = 0;
    char *good = slurp(xlsx, &good_len);
    ck_assert_ptr_nonnull(good);

    long absorbed = 0;
    for (long n = 1; n <= total; n++) {
        svp_alloc_fail_at(n, 0);
        int rc = run_report(dir);
        svp_alloc_fail_at(0, 0);
        ck_assert_msg(rc == 0 || rc == 1, "allocation %ld of %ld failing: exit %d", n, total, rc);
        size_t len = 0;
        char *now = slurp(xlsx, &len);
        ck_assert_msg(now != NULL, "allocation %ld: the report is gone", n);
        /* The workbook is byte-identical run to run, so an intact previous
         * report and a complete new one are the same bytes. */
        ck_assert_msg(len == good_len && memcmp(now, good, len) == 0,
                      "allocation %ld (exit %d): the report on disk changed", n, rc);
        free(now);
        absorbed += rc == 0;
    }
    /* Most failures must be reported, not absorbed. */
    ck_assert_int_lt(absorbed, total / 2);
    free(good);

    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("alloc_fail");
    TCase *tc = tcase_create("report");
    tcase_set_timeout(tc, 1800);
    tcase_add_test(tc, every_allocation_of_a_report_can_fail);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
