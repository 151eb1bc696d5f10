/*
 * read_hardware.c - data/hardware.csv into an svp_hw_table (read.h).
 *
 * The edge where chip figures enter: the header names carry the units
 * (bf16_TFLOPS, dram_GB, hbm_TBps, c2c_GBps, coll_latency_us, ...) and every
 * value is converted to SI here, once, with the factors of units.h.  It
 * decides nothing about the chips; it only refuses values that cannot be
 * right.
 */
#include "servplan/read.h"

#include <stddef.h>
#include <string.h>

#include "servplan/alloc.h"
#include "servplan/csv.h"
#include "servplan/units.h"

enum {
    C_CHIP, C_VENDOR, C_BF16, C_FP8, C_INT8, C_FP4, C_DRAM, C_HBM, C_C2C,
    C_A2A, C_RANKS, C_DOMAIN, C_TDP, C_EFF_GEMM, C_EFF_ATTN, C_EFF_MEM, C_EFF_ATTN_MEM,
    C_EFF_NET_UP, C_EFF_NET_OUT, C_COLL_LAT, C_LAYER_OH, C_STEP_OH,
    C_RESERVE, C_CONFIDENCE, C_SOURCE, C_EFF_SOURCE, C_NOTE, C_COUNT
};

static const svp_csv_col cols[C_COUNT] = {
    [C_CHIP] = {"chip", 1},
    [C_VENDOR] = {"vendor", 1},
    [C_BF16] = {"bf16_TFLOPS", 1},
    [C_FP8] = {"fp8_TFLOPS", 1},
    [C_INT8] = {"int8_TOPS", 1},
    [C_FP4] = {"fp4_TFLOPS", 1},
    [C_DRAM] = {"dram_GB", 1},
    [C_HBM] = {"hbm_TBps", 1},
    [C_C2C] = {"c2c_GBps", 1},
    [C_A2A] = {"a2a_GBps", 1},
    [C_RANKS] = {"ranks_per_chip", 1},
    [C_DOMAIN] = {"chips_per_domain", 1},
    [C_TDP] = {"tdp_W", 0},
    [C_EFF_GEMM] = {"eff_gemm", 1},
    [C_EFF_ATTN] = {"eff_attn", 1},
    [C_EFF_MEM] = {"eff_mem", 1},
    [C_EFF_ATTN_MEM] = {"eff_attn_mem", 0},
    [C_EFF_NET_UP] = {"eff_net_up", 1},
    [C_EFF_NET_OUT] = {"eff_net_out", 1},
    [C_COLL_LAT] = {"coll_latency_us", 1},
    [C_LAYER_OH] = {"layer_overhead_us", 1},
    [C_STEP_OH] = {"step_overhead_us", 1},
    [C_RESERVE] = {"reserve_GB", 1},
    [C_CONFIDENCE] = {"confidence", 0},
    [C_SOURCE] = {"source", 1},
    [C_EFF_SOURCE] = {"eff_source", 0},
    [C_NOTE] = {"note", 0},
};

/* Sanity bounds: far above any chip of 2025 (B200 FP4 ~10,000 dense
 * TFLOPS, 192 GB, 8 TB/s, NVLink5 900 GB/s per direction), low enough to
 * catch a value typed in the wrong unit (GB/s where TB/s is asked, FLOPS
 * where TFLOPS is asked). */
static const svp_csv_num peak_req = {
    .what = "a positive number",
    .min_open = 1,
    .max = 1e7,
};
static const svp_csv_num peak_opt = {
    .what = "a positive number or empty (unsupported)",
    .min_open = 1,
    .max = 1e7,
    .empty_ok = 1,
};
static const svp_csv_num dram = {.what = "a positive number", .min_open = 1, .max = 1e5};
static const svp_csv_num hbm = {.what = "a positive number", .min_open = 1, .max = 1e3};
static const svp_csv_num c2c = {.what = "a positive number", .min_open = 1, .max = 1e5};
static const svp_csv_num a2a = {
    .what = "a positive number or empty (none)",
    .min_open = 1,
    .max = 1e5,
    .empty_ok = 1,
};
static const svp_csv_num ranks = {.what = "a positive integer", .min = 1.0, .max = 64};
static const svp_csv_num domain = {.what = "a positive integer", .min = 1.0, .max = 1e5};
static const svp_csv_num tdp = {
    .what = "a positive number or empty (unknown)",
    .min_open = 1,
    .max = 1e5,
    .empty_ok = 1,
};
static const svp_csv_num eff = {
    .what = "a number in (0, 1]",
    .min_open = 1,
    .max = 1.0,
    .max_in_what = 1,
};
/* The attention core's memory efficiency may be left empty: it then equals
 * eff_mem. */
static const svp_csv_num eff_opt = {
    .what = "empty or a number in (0, 1]",
    .min_open = 1,
    .max = 1.0,
    .max_in_what = 1,
    .empty_ok = 1,
};
/* Latencies and overheads in microseconds: a second is already absurd. */
static const svp_csv_num micros = {.what = "a number >= 0", .max = 1e6};
static const svp_csv_num reserve = {.what = "a number >= 0", .max = 1e5};

static svp_err read_row(const svp_csv_cursor *c, void *dst, svp_diag *d)
{
    svp_hw *hw = dst;
    svp_err err;
    double v;

    memset(hw, 0, sizeof *hw);
#define TRY(call) do { if ((err = (call)) != SVP_OK) goto fail; } while (0)
    TRY(svp_csv_get_str(c, C_CHIP, 1, hw->name, sizeof hw->name, d));
    TRY(svp_csv_get_str(c, C_VENDOR, 1, hw->vendor, sizeof hw->vendor, d));

    TRY(svp_csv_get_double(c, C_BF16, &peak_req, &v, d));
    hw->peak_flops[SVP_DT_BF16] = v * SVP_TFLOPS;
    TRY(svp_csv_get_double(c, C_FP8, &peak_opt, &v, d));
    hw->peak_flops[SVP_DT_FP8] = v * SVP_TFLOPS;
    TRY(svp_csv_get_double(c, C_INT8, &peak_opt, &v, d));
    hw->peak_flops[SVP_DT_INT8] = v * SVP_TFLOPS;   /* TOPS -> OP/s, same factor */
    TRY(svp_csv_get_double(c, C_FP4, &peak_opt, &v, d));
    hw->peak_flops[SVP_DT_FP4] = v * SVP_TFLOPS;

    TRY(svp_csv_get_double(c, C_DRAM, &dram, &v, d));
    hw->dram_bytes = v * SVP_GB;
    TRY(svp_csv_get_double(c, C_HBM, &hbm, &v, d));
    hw->hbm_bytes_per_s = v * SVP_TBPS;
    TRY(svp_csv_get_double(c, C_C2C, &c2c, &v, d));
    hw->c2c_bytes_per_s = v * SVP_GBPS;
    TRY(svp_csv_get_double(c, C_A2A, &a2a, &v, d));
    hw->a2a_bytes_per_s = v * SVP_GBPS;

    TRY(svp_csv_get_int(c, C_RANKS, &ranks, &hw->ranks_per_chip, d));
    TRY(svp_csv_get_int(c, C_DOMAIN, &domain, &hw->chips_per_domain, d));
    TRY(svp_csv_get_double(c, C_TDP, &tdp, &hw->tdp_w, d));

    TRY(svp_csv_get_double(c, C_EFF_GEMM, &eff, &hw->eff_gemm, d));
    TRY(svp_csv_get_double(c, C_EFF_ATTN, &eff, &hw->eff_attn, d));
    TRY(svp_csv_get_double(c, C_EFF_MEM, &eff, &hw->eff_mem, d));
    TRY(svp_csv_get_double(c, C_EFF_ATTN_MEM, &eff_opt, &hw->eff_attn_mem, d));
    if (hw->eff_attn_mem <= 0.0)
        hw->eff_attn_mem = hw->eff_mem;
    TRY(svp_csv_get_double(c, C_EFF_NET_UP, &eff, &hw->eff_net_up, d));
    TRY(svp_csv_get_double(c, C_EFF_NET_OUT, &eff, &hw->eff_net_out, d));

    TRY(svp_csv_get_double(c, C_COLL_LAT, &micros, &v, d));
    hw->coll_latency_s = v * SVP_US;
    TRY(svp_csv_get_double(c, C_LAYER_OH, &micros, &v, d));
    hw->layer_overhead_s = v * SVP_US;
    TRY(svp_csv_get_double(c, C_STEP_OH, &micros, &v, d));
    hw->step_overhead_s = v * SVP_US;

    TRY(svp_csv_get_double(c, C_RESERVE, &reserve, &v, d));
    hw->reserve_bytes = v * SVP_GB;
    /* Compare in the file's unit so the message quotes what the user wrote. */
    if (hw->reserve_bytes >= hw->dram_bytes) {
        err = svp_diag_set(d, SVP_ERR_DATA, c->path, c->rec->line,
                           cols[C_RESERVE].name,
                           "expected a number >= 0 and below dram_GB (%s), got \"%s\"",
                           svp_csv_text(c, C_DRAM), svp_csv_text(c, C_RESERVE));
        goto fail;
    }

    TRY(svp_csv_get_str(c, C_CONFIDENCE, 0, hw->confidence, sizeof hw->confidence, d));
    TRY(svp_csv_get_str(c, C_SOURCE, 1, hw->source, sizeof hw->source, d));
    TRY(svp_csv_get_str(c, C_EFF_SOURCE, 0, hw->eff_source, sizeof hw->eff_source, d));
    TRY(svp_csv_get_str(c, C_NOTE, 0, hw->note, sizeof hw->note, d));
#undef TRY
    return SVP_OK;
fail:
    return err;
}

svp_err svp_read_hardware(const char *path, svp_hw_table *out, svp_diag *d)
{
    void *rows;
    svp_err err = svp_csv_read_rows(path, cols, C_COUNT, sizeof(svp_hw), read_row,
                                    offsetof(svp_hw, name), C_CHIP, "chip", &rows, &out->n,
                                    d);
    out->rows = rows;
    return err;
}
