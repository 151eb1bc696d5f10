/*
 * report.c - writes the workbook and the charts so that a reader never sees
 * half a report: everything goes to temporary names inside the output
 * folder (same file system, so rename is atomic) and replaces the previous
 * report only once all of it is complete.  A failed or interrupted run
 * leaves the previous report as it was.
 *
 * Interruption: SIGINT, SIGTERM and SIGHUP are held (blocked) while the
 * report is written.  Between phases a pending one aborts the write: the
 * temporary files are removed, the signals are restored and the pending
 * signal is then delivered, so the process ends as interrupted with nothing
 * half-written and the previous report intact.
 *
 * Edge code: POSIX file operations only; the content comes from xlsx.c and
 * charts.c.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "servplan/report.h"

#define REPORT_NAME "servplan-report.xlsx"
#define CHARTS_NAME "charts"
#define PATH_CAP 4096

/* Removes a folder of plain files (the charts folder has no sub-folders). */
static void remove_flat_dir(const char *dir)
{
    DIR *dp = opendir(dir);
    if (dp) {
        struct dirent *e;
        char path[PATH_CAP];
        while ((e = readdir(dp)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(dp);
    }
    rmdir(dir);
}

static const int held_signals[] = {SIGINT, SIGTERM, SIGHUP};

/* Is one of the held signals pending? */
static int interrupted(void)
{
    sigset_t pending;
    if (sigpending(&pending) != 0)
        return 0;
    for (size_t i = 0; i < sizeof held_signals / sizeof held_signals[0]; i++)
        if (sigismember(&pending, held_signals[i]) == 1)
            return 1;
    return 0;
}

static int fits(char *dst, size_t cap, const char *a, const char *b, long pid)
{
    int n = pid >= 0 ? snprintf(dst, cap, "%s/.%s.tmp-%ld", a, b, pid)
                     : snprintf(dst, cap, "%s/%s", a, b);
    return n > 0 && (size_t)n < cap;
}

svp_err svp_report_write(const char *out_dir, const svp_report_input *r, svp_diag *d)
{
    char xlsx_tmp[PATH_CAP], xlsx_final[PATH_CAP];
    char charts_tmp[PATH_CAP], charts_final[PATH_CAP], charts_old[PATH_CAP];
    long pid = (long)getpid();
    struct stat st;
    int have_tmp_dir = 0, have_tmp_xlsx = 0;
    sigset_t hold, saved;
    svp_err err;

    if (stat(out_dir, &st) != 0)
        return svp_diag_set(d, SVP_ERR_IO, out_dir, 0, NULL,
                            "cannot use the output folder: %s", strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return svp_diag_set(d, SVP_ERR_IO, out_dir, 0, NULL,
                            "the output path is not a folder");
    if (access(out_dir, W_OK | X_OK) != 0)
        return svp_diag_set(d, SVP_ERR_IO, out_dir, 0, NULL,
                            "cannot write into the output folder: %s", strerror(errno));
    if (!fits(xlsx_tmp, sizeof xlsx_tmp, out_dir, REPORT_NAME, pid)
        || !fits(xlsx_final, sizeof xlsx_final, out_dir, REPORT_NAME, -1)
        || !fits(charts_tmp, sizeof charts_tmp, out_dir, CHARTS_NAME, pid)
        || !fits(charts_final, sizeof charts_final, out_dir, CHARTS_NAME, -1)
        || !fits(charts_old, sizeof charts_old, out_dir, CHARTS_NAME ".old", pid))
        return svp_diag_set(d, SVP_ERR_IO, out_dir, 0, NULL, "output folder path too long");

    sigemptyset(&hold);
    for (size_t i = 0; i < sizeof held_signals / sizeof held_signals[0]; i++)
        sigaddset(&hold, held_signals[i]);
    sigprocmask(SIG_BLOCK, &hold, &saved);

    if (mkdir(charts_tmp, 0777) != 0) {
        err = svp_diag_set(d, SVP_ERR_IO, charts_tmp, 0, NULL, "cannot create: %s",
                           strerror(errno));
        goto fail;
    }
    have_tmp_dir = 1;

    have_tmp_xlsx = 1;
    err = svp_xlsx_write(xlsx_tmp, r, d);
    if (err == SVP_OK && interrupted())
        err = svp_diag_set(d, SVP_ERR_IO, out_dir, 0, NULL, "interrupted");
    if (err != SVP_OK)
        goto fail;
    err = svp_charts_write(charts_tmp, r, d);
    if (err == SVP_OK && interrupted())
        err = svp_diag_set(d, SVP_ERR_IO, out_dir, 0, NULL, "interrupted");
    if (err != SVP_OK)
        goto fail;

    /* Everything is complete: swap the charts folder, then the workbook.
     * The old charts folder moves aside first because rename cannot replace
     * a non-empty folder; it is deleted once the new one is in place. */
    int had_old = stat(charts_final, &st) == 0;
    if (had_old && rename(charts_final, charts_old) != 0) {
        err = svp_diag_set(d, SVP_ERR_IO, charts_final, 0, NULL, "cannot replace: %s",
                           strerror(errno));
        goto fail;
    }
    if (rename(charts_tmp, charts_final) != 0) {
        err = svp_diag_set(d, SVP_ERR_IO, charts_final, 0, NULL, "cannot create: %s",
                           strerror(errno));
        if (had_old)
            rename(charts_old, charts_final);
        goto fail;
    }
    have_tmp_dir = 0;
    if (had_old)
        remove_flat_dir(charts_old);
    if (rename(xlsx_tmp, xlsx_final) != 0) {
        err = svp_diag_set(d, SVP_ERR_IO, xlsx_final, 0, NULL, "cannot create: %s",
                           strerror(errno));
        goto fail;
    }
    sigprocmask(SIG_SETMASK, &saved, NULL);
    return SVP_OK;

fail:
    if (have_tmp_xlsx)
        unlink(xlsx_tmp);
    if (have_tmp_dir)
        remove_flat_dir(charts_tmp);
    /* A signal that arrived meanwhile is delivered here, after the cleanup. */
    sigprocmask(SIG_SETMASK, &saved, NULL);
    return err;
}
