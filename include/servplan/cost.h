/*
 * cost.h - the performance model of MODEL.md sections 1-8 and the verdict of
 * section 10: one configuration of one model on one chip for one scenario
 * -> step time, throughput, latency, DRAM, bottleneck, per-operator breakdown.
 *
 * Pure: no I/O, no allocation, no globals.  Infeasibility is data (a reason
 * on the metrics), never an error.  All quantities SI.
 */
#ifndef SERVPLAN_COST_H
#define SERVPLAN_COST_H

#include "servplan/hw.h"
#include "servplan/model.h"
#include "servplan/scenario.h"

/* One parallel layout and batch (seed Art.4).  Degrees count ranks. */
typedef struct svp_config {
    int batch;    /* total concurrent requests of the whole instance */
    int mla_tp;
    int mla_dp;
    int moe_tp;
    int moe_ep;
    int sp;
} svp_config;

typedef enum svp_memory_model {
    SVP_MEM_PHYSICAL = 0,  /* MODEL.md section 7 (default) */
    SVP_MEM_SEED           /* seed Art.3(2a) exactly */
} svp_memory_model;

typedef enum svp_roofline {
    SVP_ROOF_PER_OP = 0,   /* sum over operators of max(compute, memory) (default) */
    SVP_ROOF_GLOBAL        /* seed Art.5: max(T_comp, T_mem) + T_comm */
} svp_roofline;

typedef enum svp_tbo { SVP_TBO_OFF = 0, SVP_TBO_ON, SVP_TBO_AUTO } svp_tbo;

/* Model switches (CLI: --memory-model --roofline --tbo --mtp --weight-dtype --kv-dtype). */
typedef struct svp_opts {
    svp_memory_model memory_model;
    svp_roofline roofline;
    svp_tbo tbo;
    int mtp_draft;          /* K: draft tokens per step; 0 = no MTP */
    double mtp_accept;      /* L: tokens each request emits per step, 1 <= L <= K + 1 */
    svp_dtype weight_dtype; /* storage of linear/expert weights; default fp8 */
    svp_dtype kv_dtype;     /* storage of the MLA latent cache; default bf16 */
} svp_opts;

/* DeepSeek's own deployment: physical memory, per-op roofline, TBO off,
 * no MTP (K = 0, L = 1), FP8 weights, BF16 KV. */
svp_opts svp_opts_default(void);

/* Why a configuration cannot be deployed; SVP_FEASIBLE if it can.
 * Checked in this order; the first failure is reported. */
typedef enum svp_reason {
    SVP_FEASIBLE = 0,
    SVP_INF_CHIP_COUNT,     /* MLA_TP*MLA_DP != MOE_TP*MOE_EP (seed Art.3 2b) */
    SVP_INF_TOO_MANY_RANKS, /* more than SVP_MAX_RANKS ranks: beyond any cluster */
    SVP_INF_MLA_TP_DOMAIN,  /* MLA_TP ranks do not fit one scale-up domain (seed Art.3 2c) */
    SVP_INF_MOE_TP_DOMAIN,  /* MOE_TP ranks do not fit one scale-up domain */
    SVP_INF_MLA_TP_HEADS,   /* MLA_TP above the number of attention heads: a rank would get none */
    SVP_INF_NO_SCALE_OUT,   /* instance spans several domains but the chip has no a2a network */
    SVP_INF_SP_DIVIDE,      /* SP does not divide MLA_TP */
    SVP_INF_SP_DECODE,      /* SP > 1 is a prefill technique (MODEL.md section 1) */
    SVP_INF_IDLE_DP,        /* Batch < MLA_DP: some attention ranks would have no request */
    SVP_INF_DRAM,           /* DRAM per chip (memory model in force) > capacity */
    SVP_INF_SLO,            /* TPOT or FTL above the scenario's limit */
    SVP_REASON_COUNT
} svp_reason;

/* The largest instance servplan evaluates, in ranks: 2^24, about 100 times
 * the largest GPU clusters built, and small enough that every count derived
 * from it stays exact in an int. */
#define SVP_MAX_RANKS (1L << 24)

/* Stable machine-readable code: "feasible", "chip-count", "too-many-ranks", "mla-tp-domain",
 * "moe-tp-domain", "mla-tp-heads", "no-scale-out", "sp-divide", "sp-decode",
 * "idle-dp-ranks", "dram", "slo". */
const char *svp_reason_code(svp_reason r);
/* One English sentence explaining the reason, for reports. */
const char *svp_reason_text(svp_reason r);

typedef enum svp_bound {
    SVP_BOUND_COMPUTE = 0,
    SVP_BOUND_MEMORY,
    SVP_BOUND_COMM
} svp_bound;

const char *svp_bound_name(svp_bound b);   /* "compute", "memory", "communication" */

/* Everything servplan reports about one configuration.  Per-chip figures are
 * per package (a 910C package holds two ranks).  Fields after has_metrics are
 * meaningful only when has_metrics is non-zero: structural failures
 * (chip count, topology, SP, idle ranks) have no metrics; DRAM and SLO
 * failures do, so tables can show how far a configuration misses. */
typedef struct svp_metrics {
    svp_reason reason;
    svp_reason reason_other_memory_model; /* the verdict under the other memory model */
    int has_metrics;

    int n_ranks;               /* MLA_TP * MLA_DP */
    double n_chips;            /* n_ranks / ranks_per_chip (packages) */
    int batch_per_rank;        /* ceil(Batch / MLA_DP) requests per attention DP rank */
    double tokens_per_request_step; /* L: tokens a request emits per step (1 without MTP) */

    double step_s;             /* one decode step, or the whole prefill batch */
    double tpot_s;             /* decode: step_s / L */
    double tps_per_user;       /* decode: 1 / tpot_s (the seed's TPS per batch) */
    double ftl_s;              /* prefill: step_s */
    double tps_per_chip;       /* decode: output tok/s per package; prefill: input tok/s per package */
    double cluster_tps;        /* tps_per_chip * n_chips */

    /* Seed Art.5 aggregates over the whole step, per rank (always reported). */
    double t_comp_s;           /* sum of FLOPs / (peak * eff) */
    double t_mem_s;            /* sum of bytes / (hbm * eff_mem) */
    double t_comm_s;           /* sum of every collective's time (hidden or not) */

    /* The verdict of MODEL.md section 10: where step_s goes. */
    double t_compute_bound_s;  /* time of operators whose compute time >= memory time */
    double t_memory_bound_s;   /* time of the other operators */
    double t_comm_exposed_s;   /* communication not hidden by TBO */
    double t_overhead_s;       /* layer and step overheads */
    double share_compute;      /* the three shares of compute+memory+exposed comm; sum 1 */
    double share_memory;
    double share_comm;
    svp_bound bottleneck;

    /* Communication by kind, per step (total, hidden or not). */
    double t_tp_comm_s;        /* MLA_TP AllReduce (or SP ReduceScatter+AllGather) */
    double t_ep_comm_s;        /* EP dispatch + combine */
    double t_moe_tp_comm_s;    /* MOE_TP AllGather + ReduceScatter */

    double dram_physical_bytes; /* per package, MODEL.md section 7 */
    double dram_seed_bytes;     /* per package, seed Art.3(2a) */
    double dram_bytes;          /* the one the memory model in force uses */
    double dram_capacity_bytes; /* per package */
    double dram_weights_bytes;  /* physical model's parts, per package */
    double dram_kv_bytes;
    double dram_act_bytes;
    double dram_reserve_bytes;

    double flops_per_step;     /* per rank */
    double hbm_bytes_per_step; /* per rank */
    int tbo_used;              /* 1 if the step ran as two overlapped micro-batches */
} svp_metrics;

/* Where an operator runs. */
typedef enum svp_op_group {
    SVP_OPG_ATTN = 0,   /* MLA projections and core */
    SVP_OPG_FFN,        /* dense FFN layers and shared experts (attention side) */
    SVP_OPG_MOE,        /* routed experts and router */
    SVP_OPG_HEAD,       /* LM head */
    SVP_OPG_MTP,        /* MTP module's own operators (eh_proj) */
    SVP_OPG_COMM        /* collectives */
} svp_op_group;

const char *svp_op_group_name(svp_op_group g); /* "attention", "ffn", "moe", "head", "mtp", "comm" */

/* One operator kind, summed over every layer and micro-batch of one step, on
 * one rank.  For a collective, flops = 0, bytes = bytes sent per rank and
 * bound = SVP_BOUND_COMM. */
typedef struct svp_op_rec {
    const char *name;        /* static string: "q_a+kv_a", "attn_core", "tp_allreduce", ... */
    svp_op_group group;
    svp_dtype dtype;         /* precision it computes (or sends) in */
    int count;               /* instances per step (layers x micro-batches x MTP passes) */
    double flops;            /* per step, per rank */
    double bytes;            /* per step, per rank (HBM traffic, or bytes sent) */
    double t_compute_s;      /* flops / (peak * eff) */
    double t_memory_s;       /* bytes / (hbm * eff_mem) */
    double t_s;              /* max of the two (per-op roofline), or the collective's time */
    svp_bound bound;
} svp_op_rec;

#define SVP_MAX_OPS 40

typedef struct svp_breakdown {
    svp_op_rec ops[SVP_MAX_OPS];
    int n;
} svp_breakdown;

/* Evaluates one configuration.  Never fails: every outcome, including
 * infeasibility, is in *out.  bd may be NULL; when given it receives the
 * per-operator breakdown of the step (only when out->has_metrics).
 * hw, m, sc and o must be valid (as the readers produce them). */
void svp_eval(const svp_hw *hw, const svp_model *m, const svp_scenario *sc,
              const svp_config *cfg, const svp_opts *o,
              svp_metrics *out, svp_breakdown *bd);

/* 1 if a is a better plan than b by seed Art.5 with servplan's tie-breaks:
 * higher tps_per_chip; then fewer chips; then lower latency (TPOT or FTL).
 * Both must be feasible. */
int svp_metrics_better(const svp_metrics *a, const svp_metrics *b);

#endif
