/*
 * hw.c - number formats and per-rank views of one accelerator (hw.h).
 *
 * Pure: no stdio, no library headers.  The per-package figures come from
 * data/hardware.csv already in SI; this file only divides them into ranks and
 * picks the precision a GEMM runs at.
 */
#include "servplan/hw.h"

#include <string.h>

#include "servplan/alloc.h"

static const char *const dtype_names[SVP_DT_COUNT] = {
    [SVP_DT_BF16] = "bf16",
    [SVP_DT_FP8] = "fp8",
    [SVP_DT_INT8] = "int8",
    [SVP_DT_FP4] = "fp4",
};

const char *svp_dtype_name(svp_dtype dt)
{
    if ((int)dt < 0 || dt >= SVP_DT_COUNT)
        return "?";
    return dtype_names[dt];
}

int svp_dtype_parse(const char *s, svp_dtype *out)
{
    int i;

    if (s == NULL)
        return -1;
    for (i = 0; i < SVP_DT_COUNT; i++) {
        if (strcmp(s, dtype_names[i]) == 0) {
            if (out != NULL)
                *out = (svp_dtype)i;
            return 0;
        }
    }
    return -1;
}

double svp_dtype_bytes(svp_dtype dt)
{
    switch (dt) {
    case SVP_DT_BF16: return 2.0;
    case SVP_DT_FP8:  return 1.0;
    case SVP_DT_INT8: return 1.0;
    case SVP_DT_FP4:  return 0.5;
    case SVP_DT_COUNT: break;
    }
    return 2.0;
}

double svp_dtype_weight_bytes(svp_dtype dt)
{
    switch (dt) {
    case SVP_DT_BF16:
        return 2.0;
    case SVP_DT_FP8:
        /* DeepSeek-V3 report section 3.3: one FP32 (4-byte) scale per
         * 128x128 weight block. */
        return 1.0 + 4.0 / (128.0 * 128.0);
    case SVP_DT_INT8:
        /* Per-output-channel scales: one per row of thousands of weights,
         * below 0.1% of the weight bytes; neglected. */
        return 1.0;
    case SVP_DT_FP4:
        /* NVFP4: one FP8 (1-byte) scale per 16 values. */
        return 0.5 + 1.0 / 16.0;
    case SVP_DT_COUNT:
        break;
    }
    return 2.0;
}

/* The reader guarantees ranks_per_chip >= 1; a hand-built struct might not,
 * and a division by zero would turn into inf far from its cause. */
static double ranks(const svp_hw *hw)
{
    return hw->ranks_per_chip >= 1 ? (double)hw->ranks_per_chip : 1.0;
}

double svp_hw_rank_peak(const svp_hw *hw, svp_dtype dt)
{
    if ((int)dt < 0 || dt >= SVP_DT_COUNT)
        return 0.0;
    return hw->peak_flops[dt] / ranks(hw);
}

double svp_hw_rank_dram(const svp_hw *hw)
{
    return hw->dram_bytes / ranks(hw);
}

double svp_hw_rank_hbm(const svp_hw *hw)
{
    return hw->hbm_bytes_per_s / ranks(hw);
}

double svp_hw_rank_c2c(const svp_hw *hw)
{
    return hw->c2c_bytes_per_s / ranks(hw);
}

double svp_hw_rank_a2a(const svp_hw *hw)
{
    return hw->a2a_bytes_per_s / ranks(hw);
}

int svp_hw_domain_ranks(const svp_hw *hw)
{
    int chips = hw->chips_per_domain >= 1 ? hw->chips_per_domain : 1;
    int r = hw->ranks_per_chip >= 1 ? hw->ranks_per_chip : 1;

    return chips * r;
}

static int has(const svp_hw *hw, svp_dtype dt)
{
    return hw->peak_flops[dt] > 0.0;
}

/* MODEL.md section 3: a chip without FP8 runs FP8 GEMMs at its INT8 rate
 * (W8A8) where it has one, else BF16.  FP4 weights fall back the same way,
 * through FP8 first.  BF16 is assumed present on every chip (the reader
 * requires bf16_TFLOPS > 0). */
svp_dtype svp_hw_gemm_dtype(const svp_hw *hw, svp_dtype weight)
{
    switch (weight) {
    case SVP_DT_FP4:
        if (has(hw, SVP_DT_FP4))
            return SVP_DT_FP4;
        /* fall through */
    case SVP_DT_FP8:
        if (has(hw, SVP_DT_FP8))
            return SVP_DT_FP8;
        /* fall through */
    case SVP_DT_INT8:
        if (has(hw, SVP_DT_INT8))
            return SVP_DT_INT8;
        /* fall through */
    case SVP_DT_BF16:
    case SVP_DT_COUNT:
        break;
    }
    return SVP_DT_BF16;
}

void svp_hw_table_fini(svp_hw_table *t)
{
    if (t == NULL)
        return;
    svp_free(t->rows);
    t->rows = NULL;
    t->n = 0;
}

const svp_hw *svp_hw_find(const svp_hw_table *t, const char *name)
{
    size_t i;

    if (t == NULL || name == NULL)
        return NULL;
    for (i = 0; i < t->n; i++)
        if (strcmp(t->rows[i].name, name) == 0)
            return &t->rows[i];
    return NULL;
}
