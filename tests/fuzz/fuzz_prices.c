/*
 * fuzz_prices.c - libFuzzer target: svp_read_prices (read.h) on the bytes as
 * a data/prices.csv. The body and its checks are svp_fuzz_prices in
 * fuzz_entry.h, which tests/test_fuzz_regress.c replays on
 * tests/fuzz/{corpus,regress}/prices/ in `make test`.  Built and run by
 * `make fuzz`.
 */
#include "fuzz_entry.h"

SVP_FUZZ_TARGET(svp_fuzz_prices)
