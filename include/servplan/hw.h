/*
 * hw.h - one accelerator as servplan sees it: datasheet figures plus the
 * efficiency and overhead parameters of MODEL.md section 9.
 *
 * All fields are SI and per *package* (what a buyer calls "a chip"), exactly
 * as data/hardware.csv gives them.  A package that exposes several devices
 * (ranks_per_chip > 1, Ascend 910C: 2 dies) is split evenly into ranks by
 * svp_hw_rank_*(); the parallel degrees of a configuration count ranks.
 */
#ifndef SERVPLAN_HW_H
#define SERVPLAN_HW_H

#include <stddef.h>

#define SVP_NAME_MAX 96      /* chip, vendor, scenario and model names (UTF-8 bytes + NUL) */
#define SVP_TEXT_MAX 2048    /* sources and notes (UTF-8 bytes + NUL) */

/* Number formats a tensor can be stored in or computed at. */
typedef enum svp_dtype {
    SVP_DT_BF16 = 0,
    SVP_DT_FP8,
    SVP_DT_INT8,
    SVP_DT_FP4,
    SVP_DT_COUNT
} svp_dtype;

/* "bf16", "fp8", "int8", "fp4". */
const char *svp_dtype_name(svp_dtype dt);
/* Parses a name above (lower case); returns 0 on success, -1 if unknown. */
int svp_dtype_parse(const char *s, svp_dtype *out);
/* Bytes per element of an activation or KV value: bf16 2, fp8 1, int8 1, fp4 0.5. */
double svp_dtype_bytes(svp_dtype dt);
/* Bytes per stored weight *including* its quantisation scales:
 * bf16 2; fp8 1 + 4/(128*128) (DeepSeek-V3's FP32 scale per 128x128 block,
 * DeepSeek-V3 report section 3.3); int8 1 (per-channel scales are negligible);
 * fp4 0.5 + 1/16 (NVFP4: one FP8 scale per 16 values). */
double svp_dtype_weight_bytes(svp_dtype dt);

typedef struct svp_hw {
    char name[SVP_NAME_MAX];
    char vendor[SVP_NAME_MAX];
    double peak_flops[SVP_DT_COUNT]; /* dense FLOP/s (OP/s for int8) per package; 0 = unsupported */
    double dram_bytes;               /* usable HBM/DRAM per package */
    double hbm_bytes_per_s;          /* per package */
    double c2c_bytes_per_s;          /* scale-up, per package, per direction */
    double a2a_bytes_per_s;          /* scale-out, per package, per direction; 0 = none */
    int ranks_per_chip;              /* devices one package exposes (>= 1) */
    int chips_per_domain;            /* packages in one scale-up domain (>= 1) */
    double tdp_w;                    /* 0 = unknown */
    double eff_gemm;                 /* achieved / peak for GEMMs, (0, 1] */
    double eff_attn;                 /* achieved / BF16 peak for the attention core, (0, 1] */
    double eff_mem;                  /* achieved / peak HBM bandwidth for GEMMs, (0, 1] */
    double eff_attn_mem;             /* achieved / peak HBM bandwidth for the attention core
                                        (FlashMLA streams the cache better than a GEMM
                                        streams weights); equals eff_mem when not given */
    double eff_net_up;               /* achieved / c2c for collectives and scale-up all-to-all */
    double eff_net_out;              /* achieved / a2a for scale-out all-to-all */
    double coll_latency_s;           /* fixed cost of one collective or dispatch/combine */
    double layer_overhead_s;         /* per layer per micro-batch: launches, vector ops, sync */
    double step_overhead_s;          /* per step: scheduling, sampling */
    double reserve_bytes;            /* DRAM per package the runtime keeps (NCCL buffers, ...) */
    char confidence[16];             /* A/B/C as in ../shared/data */
    char source[SVP_TEXT_MAX];       /* where the datasheet figures come from */
    char eff_source[SVP_TEXT_MAX];   /* where the efficiencies and overheads come from */
    char note[SVP_TEXT_MAX];
} svp_hw;

/* Per-rank views of a package (package figure / ranks_per_chip). */
double svp_hw_rank_peak(const svp_hw *hw, svp_dtype dt);
double svp_hw_rank_dram(const svp_hw *hw);
double svp_hw_rank_hbm(const svp_hw *hw);
double svp_hw_rank_c2c(const svp_hw *hw);
double svp_hw_rank_a2a(const svp_hw *hw);
/* Ranks in one scale-up domain: chips_per_domain * ranks_per_chip. */
int svp_hw_domain_ranks(const svp_hw *hw);

/* The precision a GEMM whose weights are stored as `weight` runs at on this
 * chip (MODEL.md section 3): fp4 -> fp4, else fp8, else int8, else bf16;
 * fp8 -> fp8, else int8 (W8A8), else bf16; int8 -> int8, else bf16;
 * bf16 -> bf16. */
svp_dtype svp_hw_gemm_dtype(const svp_hw *hw, svp_dtype weight);

/* A table of chips, in file order.  Owns rows. */
typedef struct svp_hw_table {
    svp_hw *rows;
    size_t n;
} svp_hw_table;

void svp_hw_table_fini(svp_hw_table *t);   /* frees rows; accepts an empty table */
/* The row named `name` (exact, byte-wise), or NULL. */
const svp_hw *svp_hw_find(const svp_hw_table *t, const char *name);

#endif
