/*
 * fuzz_space.c - libFuzzer target: svp_read_space (read.h) on the bytes as a
 * data/search-space.csv. The body and its checks are svp_fuzz_space in
 * fuzz_entry.h, which tests/test_fuzz_regress.c replays on
 * tests/fuzz/{corpus,regress}/space/ in `make test`.  Built and run by `make
 * fuzz`.
 */
#include "fuzz_entry.h"

SVP_FUZZ_TARGET(svp_fuzz_space)
