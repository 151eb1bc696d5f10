/*
 * fuzz_csv.c - libFuzzer target: svp_csv_parse on the raw bytes (csv.h: the
 * loader under every reader). The body and its checks are svp_fuzz_csv in
 * fuzz_entry.h, which tests/test_fuzz_regress.c replays on
 * tests/fuzz/{corpus,regress}/csv/ in `make test`.  Built and run by `make
 * fuzz`.
 */
#include "fuzz_entry.h"

SVP_FUZZ_TARGET(svp_fuzz_csv)
