/*
 * test_fuzz_regress.c - replays the fuzz inputs in `make test`.
 *
 * Every file of tests/fuzz/corpus/<target>/ (the seed corpus) and of
 * tests/fuzz/regress/<target>/ (each crash, leak or timeout `make fuzz`
 * found, minimised) goes through the same entry point as the libFuzzer
 * target tests/fuzz/fuzz_<target>.c (svp_fuzz_<target> in
 * tests/fuzz/fuzz_entry.h), in-process: one Check test per file, so a crash
 * (a signal, caught in CK_FORK mode) or a failed contract check names the
 * file.  The entry points check the result code, the diagnostic and the
 * output (see fuzz_entry.h); `make san` adds ASan, UBSan and LeakSanitizer.
 *
 * A target whose corpus is missing or empty fails the run: the test must not
 * pass by finding nothing to replay.  regress/<target>/ may be absent (no
 * crash found yet).
 */
#include <check.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_util.h"
#include "fuzz/fuzz_entry.h"

#define FUZZ_DIR "tests/fuzz/"

typedef const char *(*entry_fn)(const uint8_t *data, size_t size);

static const struct {
    const char *name;   /* tests/fuzz/{corpus,regress}/<name>/ */
    entry_fn entry;
} targets[] = {
    {"csv", svp_fuzz_csv},
    {"hardware", svp_fuzz_hardware},
    {"model", svp_fuzz_model},
    {"scenarios", svp_fuzz_scenarios},
    {"space", svp_fuzz_space},
    {"prices", svp_fuzz_prices},
    {"deployments", svp_fuzz_deployments},
};
#define N_TARGETS (sizeof targets / sizeof targets[0])

/* The files to replay, gathered before the suite is built (a loop test
 * needs the count up front).  The harness allocates with the C library, not
 * svp_malloc, so that it never moves the allocation counter the entry
 * points use for fault injection. */
typedef struct input {
    char path[512];
    size_t target;
} input;

static input *inputs;
static size_t n_inputs, cap_inputs;
static size_t corpus_count[N_TARGETS];

/* Appends every regular, non-hidden file of dir (sorted by name, so the
 * test numbers are stable).  Returns how many; a missing directory gives 0. */
static size_t gather(const char *dir, size_t target)
{
    DIR *dp;
    struct dirent *e;
    size_t n = 0, i;
    char **found = NULL;
    size_t n_found = 0, cap_found = 0;

    dp = opendir(dir);
    if (dp == NULL)
        return 0;
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n_found == cap_found) {
            cap_found = cap_found ? 2 * cap_found : 64;
            found = realloc(found, cap_found * sizeof *found);
            if (found == NULL) {
                fprintf(stderr, "out of memory\n");
                exit(1);
            }
        }
        found[n_found] = strdup(e->d_name);
        if (found[n_found] == NULL) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
        n_found++;
    }
    closedir(dp);
    /* Insertion sort: a few hundred names at most. */
    for (i = 1; i < n_found; i++) {
        char *x = found[i];
        size_t j = i;

        for (; j > 0 && strcmp(found[j - 1], x) > 0; j--)
            found[j] = found[j - 1];
        found[j] = x;
    }
    for (i = 0; i < n_found; i++) {
        if (n_inputs == cap_inputs) {
            cap_inputs = cap_inputs ? 2 * cap_inputs : 256;
            inputs = realloc(inputs, cap_inputs * sizeof *inputs);
            if (inputs == NULL) {
                fprintf(stderr, "out of memory\n");
                exit(1);
            }
        }
        snprintf(inputs[n_inputs].path, sizeof inputs[n_inputs].path, "%s/%s",
                 dir, found[i]);
        inputs[n_inputs].target = target;
        n_inputs++;
        n++;
        free(found[i]);
    }
    free(found);
    return n;
}

/* Reads the whole file into a malloc'd buffer (*size bytes). */
static uint8_t *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0, got;

    if (f == NULL)
        return NULL;
    do {
        if (cap - len < 4096) {
            uint8_t *nb;

            cap = cap ? 2 * cap : 8192;
            nb = realloc(buf, cap);
            if (nb == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    if (ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *size = len;
    return buf;
}

/* Every target has a non-empty seed corpus. */
START_TEST(corpus_present)
{
    ck_assert_msg(corpus_count[_i] > 0, "no files in " FUZZ_DIR "corpus/%s/",
                  targets[_i].name);
}
END_TEST

START_TEST(replay)
{
    const input *in = &inputs[_i];
    size_t size = 0;
    uint8_t *data = slurp(in->path, &size);
    const char *why;

    ck_assert_msg(data != NULL, "cannot read %s", in->path);
    why = targets[in->target].entry(data, size);
    free(data);
    ck_assert_msg(why == NULL, "%s (%s, %zu bytes): %s", in->path,
                  targets[in->target].name, size, why);
}
END_TEST

static Suite *fuzz_suite(void)
{
    Suite *s = suite_create("fuzz_regress");
    TCase *tc;

    tc = tcase_create("corpus");
    tcase_add_loop_test(tc, corpus_present, 0, (int)N_TARGETS);
    suite_add_tcase(s, tc);

    tc = tcase_create("replay");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, replay, 0, (int)n_inputs);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    size_t t;
    int rc;
    char dir[256];

    for (t = 0; t < N_TARGETS; t++) {
        snprintf(dir, sizeof dir, FUZZ_DIR "corpus/%s", targets[t].name);
        corpus_count[t] = gather(dir, t);
        snprintf(dir, sizeof dir, FUZZ_DIR "regress/%s", targets[t].name);
        gather(dir, t);
    }
    printf("replaying %zu fuzz inputs\n", n_inputs);
    rc = svp_ck_run(fuzz_suite());
    free(inputs);
    return rc;
}
