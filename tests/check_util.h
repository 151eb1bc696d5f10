/*
 * check_util.h - small helpers shared by the Check suites in tests/.
 *
 * Header-only (static functions and macros) so each tests/test_X.c stays one
 * self-contained program.  Test programs run from the repository root
 * (`make test`), so data paths are relative to it: tests/data/good/...
 */
#ifndef SERVPLAN_CHECK_UTIL_H
#define SERVPLAN_CHECK_UTIL_H

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "servplan/err.h"

/* |got - want| <= rel * |want| (or <= rel when want is 0). */
#define SVP_CK_REL(got, want, rel)                                            \
    do {                                                                      \
        double svp_ck_g_ = (double)(got), svp_ck_w_ = (double)(want);         \
        double svp_ck_tol_ = (rel) * (svp_ck_w_ != 0.0 ? fabs(svp_ck_w_) : 1.0); \
        ck_assert_msg(fabs(svp_ck_g_ - svp_ck_w_) <= svp_ck_tol_,             \
                      "%s = %.17g, expected %.17g (rel %g)", #got, svp_ck_g_, \
                      svp_ck_w_, (double)(rel));                             \
    } while (0)

/* Asserts a failed call's code and diagnostic: line, column (exact) and a
 * substring of the message. */
#define SVP_CK_DIAG(err, d, want_err, want_line, want_col, want_sub)          \
    do {                                                                      \
        ck_assert_msg((err) == (want_err), "error %d (%s), expected %d; %s:%ld: '%s': %s", \
                      (int)(err), svp_strerror(err), (int)(want_err),         \
                      (d).file, (d).line, (d).column, (d).msg);               \
        ck_assert_msg((d).line == (want_line), "line %ld, expected %ld; msg: %s", \
                      (d).line, (long)(want_line), (d).msg);                  \
        ck_assert_msg(strcmp((d).column, (want_col)) == 0,                    \
                      "column '%s', expected '%s'; msg: %s", (d).column,      \
                      (want_col), (d).msg);                                   \
        ck_assert_msg(strstr((d).msg, (want_sub)) != NULL,                    \
                      "message \"%s\" lacks \"%s\"", (d).msg, (want_sub));     \
    } while (0)

/* Runs one suite with the runner's default fork mode (CK_FORK from the
 * environment: `make test` uses fork, `make san` not) and returns the exit
 * status for main(). */
static inline int svp_ck_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
