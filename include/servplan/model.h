/*
 * model.h - the architecture of an MLA + MoE transformer (DeepSeek-V3 first),
 * read from a data/models/ file.  Nothing about DeepSeek-V3 is hard-coded
 * outside data/: every dimension lives here.
 */
#ifndef SERVPLAN_MODEL_H
#define SERVPLAN_MODEL_H

#include "servplan/hw.h"

typedef struct svp_model {
    char name[SVP_NAME_MAX];
    int hidden;              /* hidden_size: 7168 */
    int n_layers;            /* num_hidden_layers: 61 */
    int n_dense_layers;      /* first_k_dense_replace: 3 (dense FFN instead of MoE) */
    int dense_ffn;           /* intermediate_size of the dense FFN: 18432 */
    int n_heads;             /* num_attention_heads: 128 */
    int q_lora_rank;         /* 1536; 0 = no query compression (q projected directly) */
    int kv_lora_rank;        /* 512 */
    int qk_nope_dim;         /* 128 */
    int qk_rope_dim;         /* 64 */
    int v_head_dim;          /* 128 */
    int n_routed_experts;    /* 256; 0 = no MoE layers */
    int n_shared_experts;    /* 1 */
    int top_k;               /* num_experts_per_tok: 8 */
    int moe_ffn;             /* moe_intermediate_size: 2048 */
    int n_expert_groups;     /* n_group: 8 */
    int routing_max_groups;  /* topk_group: 4 (a token reaches at most 4 node groups) */
    int vocab;               /* vocab_size: 129280 */
    int n_mtp_modules;       /* num_nextn_predict_layers: 1 */
    int n_redundant_experts; /* extra expert replicas per MoE layer (EPLB); 0 by default */
} svp_model;

/* Parameter counts (not bytes), derived from the dimensions. */
typedef struct svp_param_count {
    double attn_per_layer;        /* q_a, q_b, kv_a, kv_b, o_proj and their norms */
    double attn_unsplit_per_layer;/* the part every MLA_TP rank holds whole: q_a, kv_a, norms */
    double dense_ffn_per_layer;   /* gate, up, down of one dense layer */
    double expert;                /* one routed or shared expert: 3 * hidden * moe_ffn */
    double gate_per_layer;        /* router weights (+ bias) */
    double embedding;             /* vocab * hidden */
    double lm_head;               /* vocab * hidden */
    double mtp_module;            /* one MTP module without its shared embedding/head */
    double total;                 /* the main model (MTP modules excluded): 671.0e9 for V3 */
    double activated_per_token;   /* the main model's weights one token touches: ~37e9 */
    double non_expert;            /* total minus routed experts ("Weight_MLA" of the seed) */
    double routed_experts;        /* all routed experts of all MoE layers ("Weight_MoE") */
} svp_param_count;

/* Number of MoE layers: n_layers - n_dense_layers, or 0 without routed experts. */
int svp_model_moe_layers(const svp_model *m);

/* Fills *out from m. */
void svp_model_params(const svp_model *m, svp_param_count *out);

/* MLA latent KV cache per token over all layers:
 * (kv_lora_rank + qk_rope_dim) * layers * bytes(kv).  layers counts the MTP
 * modules too when with_mtp is non-zero.  V3 BF16: (512+64)*61*2 = 70,272. */
double svp_model_kv_bytes_per_token(const svp_model *m, svp_dtype kv, int with_mtp);

#endif
