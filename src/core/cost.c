/*
 * cost.c - the performance model (MODEL.md sections 1-8, verdict of 10):
 * one configuration -> step time, throughput, latency, DRAM and bottleneck.
 *
 * Pure: no I/O, no allocation.  Everything is per *rank* inside and becomes
 * per package (chip) only when the metrics are filled.  The step is built
 * from layer kinds (dense layer, MoE layer, MTP pass, LM head); each kind is
 * a list of operators with FLOPs and HBM bytes for one micro-batch, plus the
 * collectives of that micro-batch.  Two roofline modes share those numbers:
 *   per-op:  a layer costs sum_op max(flops/peak, bytes/bw) plus its
 *            communication (hidden under the other micro-batch with TBO);
 *   global:  seed Art.5, max(T_comp, T_mem) + T_comm over the whole step.
 * The per-op sum is never below the global one (sum of maxima >= maximum of
 * sums), and the overheads are the same in both.
 */
#include <math.h>
#include <string.h>

#include "servplan/cost.h"

/* ---- names ------------------------------------------------------------ */

const char *svp_reason_code(svp_reason r)
{
    static const char *const codes[SVP_REASON_COUNT] = {
        [SVP_FEASIBLE] = "feasible",
        [SVP_INF_CHIP_COUNT] = "chip-count",
        [SVP_INF_TOO_MANY_RANKS] = "too-many-ranks",
        [SVP_INF_MLA_TP_DOMAIN] = "mla-tp-domain",
        [SVP_INF_MOE_TP_DOMAIN] = "moe-tp-domain",
        [SVP_INF_MLA_TP_HEADS] = "mla-tp-heads",
        [SVP_INF_NO_SCALE_OUT] = "no-scale-out",
        [SVP_INF_SP_DIVIDE] = "sp-divide",
        [SVP_INF_SP_DECODE] = "sp-decode",
        [SVP_INF_IDLE_DP] = "idle-dp-ranks",
        [SVP_INF_DRAM] = "dram",
        [SVP_INF_SLO] = "slo",
    };
    return (unsigned)r < SVP_REASON_COUNT ? codes[r] : "unknown";
}

const char *svp_reason_text(svp_reason r)
{
    static const char *const texts[SVP_REASON_COUNT] = {
        [SVP_FEASIBLE] = "meets every constraint",
        [SVP_INF_CHIP_COUNT] = "MLA_TP x MLA_DP differs from MOE_TP x MOE_EP (seed Art.3 2b)",
        [SVP_INF_TOO_MANY_RANKS] = "the instance would have more than 16,777,216 ranks",
        [SVP_INF_MLA_TP_DOMAIN] = "MLA_TP spans more ranks than one scale-up domain holds",
        [SVP_INF_MOE_TP_DOMAIN] = "MOE_TP spans more ranks than one scale-up domain holds",
        [SVP_INF_MLA_TP_HEADS] = "MLA_TP exceeds the number of attention heads",
        [SVP_INF_NO_SCALE_OUT] = "the instance spans several scale-up domains but the chip has no scale-out network",
        [SVP_INF_SP_DIVIDE] = "SP does not divide MLA_TP",
        [SVP_INF_SP_DECODE] = "sequence parallelism applies to prefill only",
        [SVP_INF_IDLE_DP] = "Batch is smaller than MLA_DP, so some attention ranks would be idle",
        [SVP_INF_DRAM] = "weights, KV cache and activations exceed the chip's DRAM",
        [SVP_INF_SLO] = "the latency SLO (TPOT or FTL) is not met",
    };
    return (unsigned)r < SVP_REASON_COUNT ? texts[r] : "unknown reason";
}

const char *svp_bound_name(svp_bound b)
{
    switch (b) {
    case SVP_BOUND_COMPUTE: return "compute";
    case SVP_BOUND_MEMORY: return "memory";
    case SVP_BOUND_COMM: return "communication";
    }
    return "unknown";
}

const char *svp_op_group_name(svp_op_group g)
{
    switch (g) {
    case SVP_OPG_ATTN: return "attention";
    case SVP_OPG_FFN: return "ffn";
    case SVP_OPG_MOE: return "moe";
    case SVP_OPG_HEAD: return "head";
    case SVP_OPG_MTP: return "mtp";
    case SVP_OPG_COMM: return "comm";
    }
    return "unknown";
}

svp_opts svp_opts_default(void)
{
    svp_opts o = {
        .memory_model = SVP_MEM_PHYSICAL,
        .roofline = SVP_ROOF_PER_OP,
        .tbo = SVP_TBO_OFF,
        .mtp_draft = 0,
        .mtp_accept = 1.0,
        .weight_dtype = SVP_DT_FP8,
        .kv_dtype = SVP_DT_BF16,
    };
    return o;
}

/* ---- operators -------------------------------------------------------- */

/* Every operator and collective the model knows; the breakdown reports them
 * in this order. */
enum op_id {
    OP_QKV_A, OP_Q_B, OP_KV_B, OP_ABSORB_K, OP_ATTN_CORE, OP_ABSORB_V, OP_O_PROJ,
    OP_DENSE_GATE_UP, OP_DENSE_DOWN, OP_SHARED_GATE_UP, OP_SHARED_DOWN,
    OP_ROUTER, OP_EXPERT_GATE_UP, OP_EXPERT_DOWN, OP_MTP_EH_PROJ, OP_LM_HEAD,
    CM_TP, CM_DISPATCH, CM_COMBINE, CM_MOE_TP_AG, CM_MOE_TP_RS,
    OP_COUNT
};

static const struct { const char *name; svp_op_group group; } op_info[OP_COUNT] = {
    [OP_QKV_A] = {"q_a+kv_a", SVP_OPG_ATTN},
    [OP_Q_B] = {"q_b", SVP_OPG_ATTN},
    [OP_KV_B] = {"kv_b", SVP_OPG_ATTN},
    [OP_ABSORB_K] = {"absorb_uk", SVP_OPG_ATTN},
    [OP_ATTN_CORE] = {"attn_core", SVP_OPG_ATTN},
    [OP_ABSORB_V] = {"absorb_uv", SVP_OPG_ATTN},
    [OP_O_PROJ] = {"o_proj", SVP_OPG_ATTN},
    [OP_DENSE_GATE_UP] = {"dense_gate_up", SVP_OPG_FFN},
    [OP_DENSE_DOWN] = {"dense_down", SVP_OPG_FFN},
    [OP_SHARED_GATE_UP] = {"shared_gate_up", SVP_OPG_FFN},
    [OP_SHARED_DOWN] = {"shared_down", SVP_OPG_FFN},
    [OP_ROUTER] = {"router", SVP_OPG_MOE},
    [OP_EXPERT_GATE_UP] = {"expert_gate_up", SVP_OPG_MOE},
    [OP_EXPERT_DOWN] = {"expert_down", SVP_OPG_MOE},
    [OP_MTP_EH_PROJ] = {"mtp_eh_proj", SVP_OPG_MTP},
    [OP_LM_HEAD] = {"lm_head", SVP_OPG_HEAD},
    [CM_TP] = {"tp_allreduce", SVP_OPG_COMM},
    [CM_DISPATCH] = {"ep_dispatch", SVP_OPG_COMM},
    [CM_COMBINE] = {"ep_combine", SVP_OPG_COMM},
    [CM_MOE_TP_AG] = {"moe_tp_allgather", SVP_OPG_COMM},
    [CM_MOE_TP_RS] = {"moe_tp_reducescatter", SVP_OPG_COMM},
};

/* One operator instance (one layer, one micro-batch) being priced. */
typedef struct op_cost {
    double flops, bytes;
    double t_compute_s, t_memory_s, t_s;
    svp_dtype dtype;
    int used;
    int n;          /* instances in one layer (two TP AllReduces in a layer, say) */
} op_cost;

/* The operators of one layer kind for one micro-batch. */
typedef struct layer_cost {
    op_cost op[OP_COUNT];
    double compute_s;   /* sum over operators of max(compute, memory) */
    double comm_s;      /* sum of the collectives' times */
} layer_cost;

/* Everything fixed for one evaluation: the chip seen per rank, with its
 * efficiencies folded in, and the configuration's derived sizes. */
typedef struct ctx {
    const svp_hw *hw;
    const svp_model *m;
    const svp_scenario *sc;
    const svp_config *cfg;
    const svp_opts *o;

    svp_dtype gemm_dt;
    double gemm_flops_per_s;   /* peak[gemm_dt] * eff_gemm, per rank */
    double bf16_flops_per_s;   /* peak[bf16] * eff_gemm (LM head, router) */
    double attn_flops_per_s;   /* peak[bf16] * eff_attn */
    double hbm_bytes_per_s;    /* hbm * eff_mem */
    double attn_bytes_per_s;   /* hbm * eff_attn_mem (the attention core) */
    double up_bytes_per_s;     /* c2c * eff_net_up */
    double out_bytes_per_s;    /* a2a * eff_net_out; 0 = no scale-out */
    double w_bytes;            /* bytes per stored linear/expert weight */
    double a_in_bytes;         /* bytes per activation entering a GEMM */
    double kv_bytes;           /* bytes per KV element */

    int n_ranks;
    int domain_ranks;
    int b;                     /* requests per attention DP rank */
    double q;                  /* query tokens per request per step (1 + K in decode) */
    double kv_len_mean;        /* decode: tokens a step attends to on average */
    double heads_local;        /* n_heads / MLA_TP */
} ctx;

static op_cost *add_op(const ctx *c, layer_cost *l, int id, svp_dtype dt,
                       double flops_per_s, double flops, double bytes)
{
    op_cost *op = &l->op[id];
    /* FlashMLA streams the latent cache at 90% of HBM where GEMMs reach
     * 78-80% (kernel-benchmarks: FlashMLA 3000 of 3350 GB/s on H800). */
    double bytes_per_s = id == OP_ATTN_CORE ? c->attn_bytes_per_s : c->hbm_bytes_per_s;
    op->used = 1;
    op->n = 1;
    op->dtype = dt;
    op->flops = flops;
    op->bytes = bytes;
    op->t_compute_s = flops / flops_per_s;
    op->t_memory_s = bytes / bytes_per_s;
    op->t_s = op->t_compute_s > op->t_memory_s ? op->t_compute_s : op->t_memory_s;
    l->compute_s += op->t_s;
    return op;
}

/* A GEMM of `tok` rows, k inputs, n outputs, with `weights` stored weights
 * (usually k*n; smaller when only some experts are read).  Activations enter
 * quantised (a_in_bytes) and leave in BF16. */
static void add_gemm(const ctx *c, layer_cost *l, int id, double tok, double k, double n,
                     double weights)
{
    double flops = 2.0 * tok * k * n;
    double bytes = weights * c->w_bytes + tok * k * c->a_in_bytes + tok * n * 2.0;
    add_op(c, l, id, c->gemm_dt, c->gemm_flops_per_s, flops, bytes);
}

static void add_comm(layer_cost *l, int id, double bytes_sent, double t_s)
{
    op_cost *op = &l->op[id];
    op->used = 1;
    op->n++;
    /* Dispatch and the MOE_TP AllGather carry FP8 tokens; the rest BF16. */
    op->dtype = id == CM_DISPATCH || id == CM_MOE_TP_AG ? SVP_DT_FP8 : SVP_DT_BF16;
    op->bytes += bytes_sent;
    op->t_s += t_s;
    l->comm_s += t_s;
}

/* Ring AllReduce of `bytes` per rank over the MLA_TP group on the scale-up
 * network: each rank sends 2(n-1)/n of the buffer (MODEL.md section 5).
 * With SP it is a ReduceScatter + AllGather of the same volume. */
static void add_tp_allreduce(const ctx *c, layer_cost *l, double bytes)
{
    int n = c->cfg->mla_tp;
    if (n <= 1)
        return;
    double sent = 2.0 * (n - 1) / n * bytes;
    add_comm(l, CM_TP, sent, c->hw->coll_latency_s + sent / c->up_bytes_per_s);
}

/* Bytes of one token copy on the wire: FP8 values plus one FP32 scale per 128
 * values for dispatch (DeepEP's FP8 dispatch format), BF16 for combine. */
static double dispatch_bytes(const svp_model *m)
{
    return m->hidden * 1.0 + m->hidden / 128.0 * 4.0;
}

static double combine_bytes(const svp_model *m)
{
    return m->hidden * 2.0;
}

/* EP dispatch and combine of one MoE layer (MODEL.md section 5).
 * tok: tokens of this attention rank in this micro-batch. */
static void add_ep_comm(const ctx *c, layer_cost *l, double tok)
{
    const svp_model *m = c->m;
    const svp_config *cfg = c->cfg;
    int n = c->n_ranks;
    if (n <= 1)
        return;

    /* The MLA_TP ranks hold the same tokens and split their dispatch. */
    double src_tok = tok / cfg->mla_tp;
    double copies = src_tok * m->top_k;
    /* Destinations are uniform over the EP groups (perfect balance, seed
     * Art.7): 1/EP of the copies stay in the source's group, the share of
     * groups in other scale-up domains leaves over the scale-out network. */
    double f_self = 1.0 / cfg->moe_ep;
    double in_domain = n > c->domain_ranks ? (double)c->domain_ranks / n : 1.0;
    double f_out = 1.0 - in_domain;
    double f_up = in_domain - f_self;
    if (f_up < 0.0)
        f_up = 0.0;

    double up_copies, out_copies;
    if (c->sc->phase == SVP_PHASE_DECODE) {
        /* Low-latency kernels: every copy travels on its own, directly. */
        up_copies = copies * f_up;
        out_copies = copies * f_out;
    } else {
        /* Normal kernels: a token crosses the scale-out network at most once
         * per remote node and reaches at most routing_max_groups nodes; the
         * receiving node forwards it over the scale-up network. */
        int nodes = (n + c->domain_ranks - 1) / c->domain_ranks;
        double reach = nodes < m->routing_max_groups || m->routing_max_groups <= 0
                       ? nodes : m->routing_max_groups;
        out_copies = nodes > 1 ? src_tok * reach * (nodes - 1.0) / nodes : 0.0;
        up_copies = copies * (1.0 - f_self);
    }

    const double sizes[2] = {dispatch_bytes(m), combine_bytes(m)};
    const int ids[2] = {CM_DISPATCH, CM_COMBINE};
    for (int i = 0; i < 2; i++) {
        double up = up_copies * sizes[i], out = out_copies * sizes[i];
        double t_up = up / c->up_bytes_per_s;
        double t_out = c->out_bytes_per_s > 0.0 ? out / c->out_bytes_per_s : 0.0;
        /* The two networks run in parallel; the slower one sets the time. */
        double t = c->hw->coll_latency_s + (t_up > t_out ? t_up : t_out);
        add_comm(l, ids[i], up + out, t);
    }
}

/* MOE_TP > 1: AllGather of the dispatched tokens and ReduceScatter of the
 * partial expert outputs inside the MOE_TP group, over scale-up. */
static void add_moe_tp_comm(const ctx *c, layer_cost *l, double group_copies)
{
    int n = c->cfg->moe_tp;
    if (n <= 1)
        return;
    double frac = (n - 1.0) / n;
    double ag = frac * group_copies * dispatch_bytes(c->m);
    double rs = frac * group_copies * combine_bytes(c->m);
    add_comm(l, CM_MOE_TP_AG, ag, c->hw->coll_latency_s + ag / c->up_bytes_per_s);
    add_comm(l, CM_MOE_TP_RS, rs, c->hw->coll_latency_s + rs / c->up_bytes_per_s);
}

/* MLA attention of one layer for one micro-batch of `reqs` requests and
 * `tok` tokens on this rank (MODEL.md section 4). */
static void add_mla(const ctx *c, layer_cost *l, double reqs, double tok)
{
    const svp_model *m = c->m;
    double h = m->hidden, hl = c->heads_local;
    double qk = (double)m->qk_nope_dim + m->qk_rope_dim;
    double latent = (double)m->kv_lora_rank + m->qk_rope_dim;  /* 576 for V3 */
    /* SP splits the tokens of the replicated down-projections. */
    double tok_a = tok / c->cfg->sp;

    if (m->q_lora_rank > 0) {
        double n = (double)m->q_lora_rank + latent;
        add_gemm(c, l, OP_QKV_A, tok_a, h, n, h * n);
        add_gemm(c, l, OP_Q_B, tok, m->q_lora_rank, hl * qk, m->q_lora_rank * hl * qk);
    } else {
        add_gemm(c, l, OP_QKV_A, tok_a, h, latent, h * latent);
        add_gemm(c, l, OP_Q_B, tok, h, hl * qk, h * hl * qk);
    }

    if (c->sc->phase == SVP_PHASE_DECODE) {
        /* Absorbed form: W_UK folds into the query, W_UV into the output;
         * the core is MQA over the latent with hl query heads, reading each
         * request's whole latent cache once (the MTP tokens share it). */
        double kv_len = c->kv_len_mean;
        add_gemm(c, l, OP_ABSORB_K, tok * hl, m->qk_nope_dim, m->kv_lora_rank,
                 hl * m->qk_nope_dim * m->kv_lora_rank);
        double flops = 2.0 * tok * hl * (latent + m->kv_lora_rank) * kv_len;
        double bytes = reqs * kv_len * latent * c->kv_bytes        /* cache read */
                       + tok * latent * c->kv_bytes                /* new entries */
                       + tok * hl * (latent + m->kv_lora_rank) * 2.0; /* q in, o out */
        add_op(c, l, OP_ATTN_CORE, SVP_DT_BF16, c->attn_flops_per_s, flops, bytes);
        add_gemm(c, l, OP_ABSORB_V, tok * hl, m->kv_lora_rank, m->v_head_dim,
                 hl * m->kv_lora_rank * m->v_head_dim);
    } else {
        /* Plain form: kv_b up-projects every token; causal attention costs
         * heads x (qk + v) x S^2 FLOPs per prompt (QK and PV, halved for
         * causality, x2 for multiply-add). */
        double s = c->sc->input_len;
        add_gemm(c, l, OP_KV_B, tok, m->kv_lora_rank, hl * ((double)m->qk_nope_dim + m->v_head_dim),
                 m->kv_lora_rank * hl * ((double)m->qk_nope_dim + m->v_head_dim));
        double flops = reqs * hl * (qk + m->v_head_dim) * s * s;
        double bytes = tok * hl * (2.0 * qk + 2.0 * m->v_head_dim) * 2.0 /* q,k,v in, o out */
                       + tok * latent * c->kv_bytes;                /* cache write */
        add_op(c, l, OP_ATTN_CORE, SVP_DT_BF16, c->attn_flops_per_s, flops, bytes);
    }

    add_gemm(c, l, OP_O_PROJ, tok, hl * m->v_head_dim, h, hl * m->v_head_dim * h);
    add_tp_allreduce(c, l, tok * h * 2.0);
}

/* A SwiGLU FFN split by MLA_TP on the attention side: dense layers and the
 * shared experts ("MLA/Shared Expert DP" in DeepSeek's serving). */
static void add_ffn(const ctx *c, layer_cost *l, int id_gate_up, int id_down, double tok,
                    double ffn)
{
    double h = c->m->hidden, local = ffn / c->cfg->mla_tp;
    add_gemm(c, l, id_gate_up, tok, h, 2.0 * local, h * 2.0 * local);
    add_gemm(c, l, id_down, tok, local, h, local * h);
    add_tp_allreduce(c, l, tok * h * 2.0);
}

/* Routed experts of one MoE layer for one micro-batch.  tok: tokens of this
 * attention rank; t_all: tokens of the whole instance. */
static void add_moe(const ctx *c, layer_cost *l, double tok, double t_all)
{
    const svp_model *m = c->m;
    const svp_config *cfg = c->cfg;
    double h = m->hidden, f = m->moe_ffn;

    if (m->n_shared_experts > 0)
        add_ffn(c, l, OP_SHARED_GATE_UP, OP_SHARED_DOWN, tok, (double)m->n_shared_experts * f);

    /* Router: BF16 logits of every token against every expert, replicated
     * on each MLA_TP rank. */
    add_op(c, l, OP_ROUTER, SVP_DT_BF16, c->bf16_flops_per_s,
           2.0 * tok * h * m->n_routed_experts,
           (double)m->n_routed_experts * h * 2.0 + tok * h * 2.0);

    /* Perfect balance: each EP group receives t_all * top_k / EP copies and
     * each MOE_TP rank of it computes 1/MOE_TP of every local expert. */
    double group_copies = t_all * m->top_k / cfg->moe_ep;
    int slots = m->n_routed_experts + m->n_redundant_experts;
    double local_experts = ceil((double)slots / cfg->moe_ep);
    /* An expert's weights are read only if at least one token picks it. */
    double p_active = 1.0 - pow(1.0 - (double)m->top_k / m->n_routed_experts, t_all);
    double read_experts = local_experts * p_active;
    double fl = f / cfg->moe_tp;

    double flops_gu = 2.0 * group_copies * h * 2.0 * fl;
    double bytes_gu = read_experts * h * 2.0 * fl * c->w_bytes
                      + group_copies * h * c->a_in_bytes + group_copies * 2.0 * fl * 2.0;
    add_op(c, l, OP_EXPERT_GATE_UP, c->gemm_dt, c->gemm_flops_per_s, flops_gu, bytes_gu);
    double flops_d = 2.0 * group_copies * fl * h;
    double bytes_d = read_experts * fl * h * c->w_bytes
                     + group_copies * fl * c->a_in_bytes + group_copies * h * 2.0;
    add_op(c, l, OP_EXPERT_DOWN, c->gemm_dt, c->gemm_flops_per_s, flops_d, bytes_d);

    add_ep_comm(c, l, tok);
    add_moe_tp_comm(c, l, group_copies);
}

/* LM head, vocab-parallel over MLA_TP, BF16 weights. */
static void add_head(const ctx *c, layer_cost *l, double rows)
{
    double h = c->m->hidden, v = (double)c->m->vocab / c->cfg->mla_tp;
    double flops = 2.0 * rows * h * v;
    double bytes = h * v * 2.0 + rows * h * 2.0 + rows * v * 4.0; /* FP32 logits */
    add_op(c, l, OP_LM_HEAD, SVP_DT_BF16, c->bf16_flops_per_s, flops, bytes);
}

/* ---- the step ---------------------------------------------------------- */

typedef struct step {
    double step_s;
    double t_comp_s, t_mem_s, t_comm_s;
    double compute_bound_s, memory_bound_s, comm_exposed_s, overhead_s;
    double t_tp_s, t_ep_s, t_moe_tp_s;
    double flops, bytes;
    op_cost acc[OP_COUNT];     /* per-step sums */
    int count[OP_COUNT];
} step;

/* Adds `times` copies of layer kind l (each run by n_mb micro-batches) to the
 * step. */
static void commit_layer(step *s, const layer_cost *l, double times, int n_mb)
{
    if (times <= 0.0)
        return;
    double c_all = n_mb * l->compute_s, m_all = n_mb * l->comm_s;
    /* Without TBO communication adds to compute; with TBO one
     * micro-batch's communication hides under the other's compute. */
    double layer_s = n_mb == 1 ? c_all + m_all : (c_all > m_all ? c_all : m_all);
    s->step_s += times * layer_s;
    s->comm_exposed_s += times * (layer_s - c_all);

    for (int i = 0; i < OP_COUNT; i++) {
        const op_cost *op = &l->op[i];
        if (!op->used)
            continue;
        double k = times * n_mb;
        op_cost *a = &s->acc[i];
        a->used = 1;
        a->dtype = op->dtype;
        a->flops += k * op->flops;
        a->bytes += k * op->bytes;
        a->t_compute_s += k * op->t_compute_s;
        a->t_memory_s += k * op->t_memory_s;
        a->t_s += k * op->t_s;
        s->count[i] += (int)lround(k * op->n);
        if (op_info[i].group == SVP_OPG_COMM) {
            s->t_comm_s += k * op->t_s;
            if (i == CM_TP)
                s->t_tp_s += k * op->t_s;
            else if (i == CM_DISPATCH || i == CM_COMBINE)
                s->t_ep_s += k * op->t_s;
            else
                s->t_moe_tp_s += k * op->t_s;
        } else {
            s->t_comp_s += k * op->t_compute_s;
            s->t_mem_s += k * op->t_memory_s;
            s->flops += k * op->flops;
            s->bytes += k * op->bytes;
            if (op->t_compute_s >= op->t_memory_s)
                s->compute_bound_s += k * op->t_s;
            else
                s->memory_bound_s += k * op->t_s;
        }
    }
}

/* Prices one step with n_mb micro-batches (1, or 2 with TBO). */
static void eval_step(const ctx *c, int n_mb, step *s)
{
    const svp_model *m = c->m;
    const svp_config *cfg = c->cfg;
    int decode = c->sc->phase == SVP_PHASE_DECODE;
    int moe_layers = svp_model_moe_layers(m);
    int dense_layers = m->n_layers - moe_layers;
    int k_draft = decode ? c->o->mtp_draft : 0;

    memset(s, 0, sizeof *s);

    /* Tokens of this attention rank, and of the whole instance, per
     * micro-batch. */
    double reqs = (double)c->b / n_mb;
    double per_req = decode ? c->q : (double)c->sc->input_len;
    double tok = reqs * per_req;
    double t_all = (double)cfg->batch * per_req / n_mb;

    layer_cost dense, moe, head;
    memset(&dense, 0, sizeof dense);
    memset(&moe, 0, sizeof moe);
    memset(&head, 0, sizeof head);

    add_mla(c, &dense, reqs, tok);
    add_ffn(c, &dense, OP_DENSE_GATE_UP, OP_DENSE_DOWN, tok, m->dense_ffn);
    commit_layer(s, &dense, dense_layers, n_mb);

    layer_cost *fill_layer = &dense;
    if (moe_layers > 0) {
        add_mla(c, &moe, reqs, tok);
        add_moe(c, &moe, tok, t_all);
        commit_layer(s, &moe, moe_layers, n_mb);
        fill_layer = &moe;
    }

    /* LM head: every query token in decode, the last token of each prompt
     * in prefill. */
    add_head(c, &head, decode ? tok : reqs);
    commit_layer(s, &head, 1, n_mb);

    /* MTP (MODEL.md section 8): K sequential draft passes of the MTP module,
     * one token per request each: eh_proj, one layer, the shared LM head. */
    if (k_draft > 0 && m->n_mtp_modules > 0) {
        layer_cost mtp;
        memset(&mtp, 0, sizeof mtp);
        double h = m->hidden;
        add_gemm(c, &mtp, OP_MTP_EH_PROJ, reqs, 2.0 * h, h, 2.0 * h * h);
        add_mla(c, &mtp, reqs, reqs);
        if (moe_layers > 0)
            add_moe(c, &mtp, reqs, (double)cfg->batch / n_mb);
        else
            add_ffn(c, &mtp, OP_DENSE_GATE_UP, OP_DENSE_DOWN, reqs, m->dense_ffn);
        add_head(c, &mtp, reqs);
        commit_layer(s, &mtp, k_draft, n_mb);
    }

    /* With TBO the pipeline fills once per step: the first micro-batch's
     * work in the first layer has nothing to hide under. */
    double fill_s = 0.0;
    if (n_mb > 1) {
        fill_s = fill_layer->compute_s < fill_layer->comm_s ? fill_layer->compute_s
                                                            : fill_layer->comm_s;
        s->comm_exposed_s += fill_s;
    }

    int layers_run = m->n_layers + k_draft * (m->n_mtp_modules > 0 ? 1 : 0);
    s->overhead_s = c->hw->layer_overhead_s * layers_run * n_mb + c->hw->step_overhead_s;

    if (c->o->roofline == SVP_ROOF_GLOBAL) {
        double roof = s->t_comp_s > s->t_mem_s ? s->t_comp_s : s->t_mem_s;
        if (n_mb == 1)
            s->step_s = roof + s->t_comm_s;
        else
            s->step_s = roof > s->t_comm_s ? roof : s->t_comm_s;
    }
    s->step_s += fill_s + s->overhead_s;
}

/* ---- memory ------------------------------------------------------------ */

typedef struct dram {
    double weights, kv, act, reserve;   /* physical, per rank */
    double physical, seed;              /* per rank */
} dram;

/* MODEL.md section 7 (physical) and seed Art.3(2a), per rank. */
static void eval_dram(const ctx *c, dram *d)
{
    const svp_model *m = c->m;
    const svp_config *cfg = c->cfg;
    int decode = c->sc->phase == SVP_PHASE_DECODE;
    int with_mtp = decode && c->o->mtp_draft > 0 && m->n_mtp_modules > 0;
    svp_param_count pc;
    svp_model_params(m, &pc);

    double wb = c->w_bytes, h = m->hidden;
    int moe_layers = svp_model_moe_layers(m);
    int dense_layers = m->n_layers - moe_layers;
    double tp = cfg->mla_tp;
    double mtp_n = with_mtp ? m->n_mtp_modules : 0;
    double layers = m->n_layers + mtp_n;

    /* Attention-side weights: split by MLA_TP except q_a, kv_a and norms,
     * which every TP rank holds whole.  Embedding and LM head stay BF16 in
     * DeepSeek's FP8 checkpoint and are vocab-parallel. */
    double attn_split = pc.attn_per_layer - pc.attn_unsplit_per_layer;
    double attn = layers * (pc.attn_unsplit_per_layer + attn_split / tp) * wb;
    double dense = dense_layers * pc.dense_ffn_per_layer / tp * wb;
    double moe_layers_all = moe_layers + (moe_layers > 0 ? mtp_n : 0);
    double shared = moe_layers_all * m->n_shared_experts * pc.expert / tp * wb;
    double gate = moe_layers_all * pc.gate_per_layer * 2.0;
    double embed_head = (pc.embedding + pc.lm_head) / tp * 2.0;
    double mtp_proj = mtp_n * 2.0 * h * h * wb;
    double mtp_dense = (moe_layers == 0 ? mtp_n : 0) * pc.dense_ffn_per_layer / tp * wb;
    int slots = m->n_routed_experts + m->n_redundant_experts;
    double routed = moe_layers_all * ceil((double)slots / cfg->moe_ep) * pc.expert
                    / cfg->moe_tp * wb;
    d->weights = attn + dense + shared + gate + embed_head + mtp_proj + mtp_dense + routed;

    /* KV cache at the peak length; the MLA latent is one shared head, so
     * every MLA_TP rank holds the whole cache of its requests. */
    double peak_len = (double)c->sc->input_len + (decode ? c->sc->output_len : 0);
    double kv_per_tok = svp_model_kv_bytes_per_token(m, c->o->kv_dtype, with_mtp);
    d->kv = c->b * peak_len * kv_per_tok;

    /* Activations of one step: the attention side's working set per token
     * (residual, normed input, attention and FFN outputs, and the local
     * heads' q, k, v), split by SP; the MoE side's receive buffers. */
    double per_req = decode ? c->q : (double)c->sc->input_len;
    double tok = c->b * per_req;
    double qk = (double)m->qk_nope_dim + m->qk_rope_dim;
    double act_tok = 2.0 * (4.0 * h + c->heads_local * (2.0 * qk + m->v_head_dim));
    double recv = moe_layers > 0 ? tok * m->top_k / cfg->mla_tp
                                   * (dispatch_bytes(m) + combine_bytes(m)
                                      + 2.0 * m->moe_ffn / cfg->moe_tp * 2.0)
                                 : 0.0;
    d->act = tok / cfg->sp * act_tok + recv;
    d->reserve = c->hw->reserve_bytes / c->hw->ranks_per_chip;
    d->physical = d->weights + d->kv + d->act + d->reserve;

    /* Seed Art.3(2a): Weight_MLA / (MLA_TP x MLA_DP) + Weight_MoE /
     * (MOE_TP x MOE_EP) + KVCache x Batch / (MLA_TP x MLA_DP), with the same
     * byte sizes as above so the two models differ only in how they split. */
    double n = c->n_ranks;
    double non_expert = layers * pc.attn_per_layer * wb + dense_layers * pc.dense_ffn_per_layer * wb
                        + moe_layers_all * m->n_shared_experts * pc.expert * wb + gate
                        + (pc.embedding + pc.lm_head) * 2.0 + mtp_proj
                        + (moe_layers == 0 ? mtp_n : 0) * pc.dense_ffn_per_layer * wb;
    double experts = moe_layers_all * m->n_routed_experts * pc.expert * wb;
    d->seed = non_expert / n + experts / n + peak_len * kv_per_tok * cfg->batch / n;
}

/* ---- evaluation --------------------------------------------------------- */

static svp_reason structural_reason(const svp_hw *hw, const svp_model *m,
                                    const svp_scenario *sc, const svp_config *cfg)
{
    /* 64-bit products: a hand-edited grid or an eval option may hold values
     * whose product wraps an int. */
    long long n = (long long)cfg->mla_tp * cfg->mla_dp;
    int domain = svp_hw_domain_ranks(hw);
    if (n != (long long)cfg->moe_tp * cfg->moe_ep)
        return SVP_INF_CHIP_COUNT;
    if (n > SVP_MAX_RANKS)
        return SVP_INF_TOO_MANY_RANKS;
    if (cfg->mla_tp > domain)
        return SVP_INF_MLA_TP_DOMAIN;
    if (cfg->moe_tp > domain)
        return SVP_INF_MOE_TP_DOMAIN;
    if (cfg->mla_tp > m->n_heads)
        return SVP_INF_MLA_TP_HEADS;
    if (n > domain && hw->a2a_bytes_per_s <= 0.0)
        return SVP_INF_NO_SCALE_OUT;
    if (cfg->mla_tp % cfg->sp != 0)
        return SVP_INF_SP_DIVIDE;
    if (sc->phase == SVP_PHASE_DECODE && cfg->sp > 1)
        return SVP_INF_SP_DECODE;
    if (cfg->batch < cfg->mla_dp)
        return SVP_INF_IDLE_DP;
    return SVP_FEASIBLE;
}

static svp_reason resource_reason(double dram_bytes, double capacity, const svp_scenario *sc,
                                  double latency_s)
{
    /* A relative tolerance keeps a plan that meets a limit exactly (to
     * rounding) feasible. */
    const double tol = 1.0 + 1e-12;
    if (dram_bytes > capacity * tol)
        return SVP_INF_DRAM;
    double limit = sc->phase == SVP_PHASE_DECODE ? sc->max_tpot_s : sc->max_ftl_s;
    if (limit > 0.0 && latency_s > limit * tol)
        return SVP_INF_SLO;
    return SVP_FEASIBLE;
}

static void fill_breakdown(const step *s, svp_breakdown *bd)
{
    bd->n = 0;
    for (int i = 0; i < OP_COUNT && bd->n < SVP_MAX_OPS; i++) {
        const op_cost *a = &s->acc[i];
        if (!a->used)
            continue;
        svp_op_rec *r = &bd->ops[bd->n++];
        r->name = op_info[i].name;
        r->group = op_info[i].group;
        r->dtype = a->dtype;
        r->count = s->count[i];
        r->flops = a->flops;
        r->bytes = a->bytes;
        r->t_compute_s = a->t_compute_s;
        r->t_memory_s = a->t_memory_s;
        r->t_s = a->t_s;
        if (r->group == SVP_OPG_COMM)
            r->bound = SVP_BOUND_COMM;
        else
            r->bound = a->t_compute_s >= a->t_memory_s ? SVP_BOUND_COMPUTE : SVP_BOUND_MEMORY;
    }
}

void svp_eval(const svp_hw *hw, const svp_model *m, const svp_scenario *sc,
              const svp_config *cfg, const svp_opts *o, svp_metrics *out, svp_breakdown *bd)
{
    memset(out, 0, sizeof *out);
    if (bd)
        bd->n = 0;
    out->dram_capacity_bytes = hw->dram_bytes;

    svp_reason structural = structural_reason(hw, m, sc, cfg);
    out->reason = out->reason_other_memory_model = structural;
    /* Counts only for a sane instance: the products are checked above. */
    if (structural != SVP_INF_CHIP_COUNT && structural != SVP_INF_TOO_MANY_RANKS) {
        out->n_ranks = cfg->mla_tp * cfg->mla_dp;
        out->n_chips = (double)out->n_ranks / hw->ranks_per_chip;
    }
    if (structural != SVP_FEASIBLE)
        return;

    int decode = sc->phase == SVP_PHASE_DECODE;
    ctx c = {
        .hw = hw, .m = m, .sc = sc, .cfg = cfg, .o = o,
        .gemm_dt = svp_hw_gemm_dtype(hw, o->weight_dtype),
        .w_bytes = svp_dtype_weight_bytes(o->weight_dtype),
        .kv_bytes = svp_dtype_bytes(o->kv_dtype),
        .n_ranks = out->n_ranks,
        .domain_ranks = svp_hw_domain_ranks(hw),
        /* ceil(Batch / MLA_DP) without Batch + MLA_DP - 1 overflowing. */
        .b = cfg->batch / cfg->mla_dp + (cfg->batch % cfg->mla_dp != 0),
        /* MTP needs an MTP module: a model without one drafts nothing and
         * gets no extra tokens (the CLI refuses --mtp for it). */
        .q = decode && m->n_mtp_modules > 0 ? 1.0 + o->mtp_draft : 1.0,
        .kv_len_mean = decode ? sc->input_len + sc->output_len / 2.0 : sc->input_len,
        .heads_local = (double)m->n_heads / cfg->mla_tp,
    };
    c.gemm_flops_per_s = svp_hw_rank_peak(hw, c.gemm_dt) * hw->eff_gemm;
    c.bf16_flops_per_s = svp_hw_rank_peak(hw, SVP_DT_BF16) * hw->eff_gemm;
    c.attn_flops_per_s = svp_hw_rank_peak(hw, SVP_DT_BF16) * hw->eff_attn;
    c.hbm_bytes_per_s = svp_hw_rank_hbm(hw) * hw->eff_mem;
    c.attn_bytes_per_s = svp_hw_rank_hbm(hw)
                         * (hw->eff_attn_mem > 0.0 ? hw->eff_attn_mem : hw->eff_mem);
    c.up_bytes_per_s = svp_hw_rank_c2c(hw) * hw->eff_net_up;
    c.out_bytes_per_s = svp_hw_rank_a2a(hw) * hw->eff_net_out;
    /* Activations enter a GEMM in its compute precision (FP8/INT8 GEMMs
     * quantise them on the fly); a BF16 GEMM takes BF16. */
    c.a_in_bytes = c.gemm_dt == SVP_DT_BF16 ? 2.0 : svp_dtype_bytes(c.gemm_dt);

    /* TBO needs two micro-batches of at least one request each. */
    step s1, s2;
    const step *s = &s1;
    eval_step(&c, 1, &s1);
    out->tbo_used = 0;
    if (o->tbo != SVP_TBO_OFF && c.b >= 2) {
        eval_step(&c, 2, &s2);
        if (o->tbo == SVP_TBO_ON || s2.step_s < s1.step_s) {
            s = &s2;
            out->tbo_used = 1;
        }
    }

    dram d;
    eval_dram(&c, &d);

    double per_chip = hw->ranks_per_chip;
    double accept = decode && m->n_mtp_modules > 0 && o->mtp_draft > 0 ? o->mtp_accept : 1.0;
    out->has_metrics = 1;
    out->batch_per_rank = c.b;
    out->tokens_per_request_step = accept;
    out->step_s = s->step_s;
    if (decode) {
        out->tpot_s = s->step_s / accept;
        out->tps_per_user = 1.0 / out->tpot_s;
        out->tps_per_chip = cfg->batch * accept / s->step_s / out->n_chips;
    } else {
        out->ftl_s = s->step_s;
        out->tps_per_chip = (double)cfg->batch * sc->input_len / s->step_s / out->n_chips;
    }
    out->cluster_tps = out->tps_per_chip * out->n_chips;

    out->t_comp_s = s->t_comp_s;
    out->t_mem_s = s->t_mem_s;
    out->t_comm_s = s->t_comm_s;
    out->t_compute_bound_s = s->compute_bound_s;
    out->t_memory_bound_s = s->memory_bound_s;
    out->t_comm_exposed_s = s->comm_exposed_s;
    out->t_overhead_s = s->overhead_s;
    double sum = s->compute_bound_s + s->memory_bound_s + s->comm_exposed_s;
    if (sum > 0.0) {
        out->share_compute = s->compute_bound_s / sum;
        out->share_memory = s->memory_bound_s / sum;
        out->share_comm = s->comm_exposed_s / sum;
    }
    out->bottleneck = SVP_BOUND_COMPUTE;
    if (s->memory_bound_s > s->compute_bound_s)
        out->bottleneck = SVP_BOUND_MEMORY;
    if (s->comm_exposed_s > s->compute_bound_s && s->comm_exposed_s > s->memory_bound_s)
        out->bottleneck = SVP_BOUND_COMM;
    out->t_tp_comm_s = s->t_tp_s;
    out->t_ep_comm_s = s->t_ep_s;
    out->t_moe_tp_comm_s = s->t_moe_tp_s;
    out->flops_per_step = s->flops;
    out->hbm_bytes_per_step = s->bytes;

    out->dram_physical_bytes = d.physical * per_chip;
    out->dram_seed_bytes = d.seed * per_chip;
    out->dram_weights_bytes = d.weights * per_chip;
    out->dram_kv_bytes = d.kv * per_chip;
    out->dram_act_bytes = d.act * per_chip;
    out->dram_reserve_bytes = d.reserve * per_chip;
    int seed_model = o->memory_model == SVP_MEM_SEED;
    out->dram_bytes = seed_model ? out->dram_seed_bytes : out->dram_physical_bytes;

    double latency = decode ? out->tpot_s : out->ftl_s;
    out->reason = resource_reason(out->dram_bytes, hw->dram_bytes, sc, latency);
    out->reason_other_memory_model = resource_reason(
        seed_model ? out->dram_physical_bytes : out->dram_seed_bytes, hw->dram_bytes, sc, latency);

    if (bd)
        fill_breakdown(s, bd);
}

int svp_metrics_better(const svp_metrics *a, const svp_metrics *b)
{
    if (a->tps_per_chip != b->tps_per_chip)
        return a->tps_per_chip > b->tps_per_chip;
    if (a->n_chips != b->n_chips)
        return a->n_chips < b->n_chips;
    double la = a->tpot_s > 0.0 ? a->tpot_s : a->ftl_s;
    double lb = b->tpot_s > 0.0 ? b->tpot_s : b->ftl_s;
    return la < lb;
}
