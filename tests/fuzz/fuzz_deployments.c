/*
 * fuzz_deployments.c - libFuzzer target: svp_read_deployments (deploy.h) on
 * the bytes as a data/deployments.csv. The body and its checks are
 * svp_fuzz_deployments in fuzz_entry.h, which tests/test_fuzz_regress.c
 * replays on tests/fuzz/{corpus,regress}/deployments/ in `make test`.  Built
 * and run by `make fuzz`.
 */
#include "fuzz_entry.h"

SVP_FUZZ_TARGET(svp_fuzz_deployments)
