/*
 * model.c - parameter counts and KV-cache size derived from the architecture
 * dimensions of an MLA + MoE transformer (model.h).
 *
 * Pure arithmetic on the dimensions read from a data/models/ file; nothing here
 * knows DeepSeek-V3's numbers.  The layer structure follows the Hugging Face
 * modeling_deepseek.py of DeepSeek-V3: every layer has MLA attention and two
 * RMSNorms; the first n_dense_layers have a dense SwiGLU FFN, the others a
 * router, n_shared_experts shared experts and n_routed_experts routed ones.
 */
#include "servplan/model.h"

int svp_model_moe_layers(const svp_model *m)
{
    if (m->n_routed_experts <= 0)
        return 0;
    return m->n_layers - m->n_dense_layers;
}

/* Query projection: q_a (hidden -> q_lora) then q_b (q_lora -> heads x qk),
 * or a plain hidden -> heads x qk projection when q_lora_rank is 0. */
static double q_params(const svp_model *m)
{
    double qk = (double)m->qk_nope_dim + m->qk_rope_dim;
    if (m->q_lora_rank > 0)
        return (double)m->hidden * m->q_lora_rank + (double)m->q_lora_rank * m->n_heads * qk;
    return (double)m->hidden * m->n_heads * qk;
}

void svp_model_params(const svp_model *m, svp_param_count *out)
{
    double h = m->hidden;
    double kv_a = h * ((double)m->kv_lora_rank + m->qk_rope_dim);
    double kv_b = (double)m->kv_lora_rank * m->n_heads * ((double)m->qk_nope_dim + m->v_head_dim);
    double o = (double)m->n_heads * m->v_head_dim * h;
    /* q_a_layernorm and kv_a_layernorm, plus the layer's input and
     * post-attention RMSNorms. */
    double norms = (m->q_lora_rank > 0 ? (double)m->q_lora_rank : 0.0) + m->kv_lora_rank + 2.0 * h;
    double q_a = m->q_lora_rank > 0 ? h * m->q_lora_rank : 0.0;
    int moe_layers = svp_model_moe_layers(m);
    int dense_layers = m->n_layers - moe_layers;

    out->attn_per_layer = q_params(m) + kv_a + kv_b + o + norms;
    out->attn_unsplit_per_layer = q_a + kv_a + norms;
    out->dense_ffn_per_layer = 3.0 * h * m->dense_ffn;
    out->expert = 3.0 * h * m->moe_ffn;
    /* The router's weight plus its e_score_correction_bias (V3). */
    out->gate_per_layer = m->n_routed_experts > 0
        ? (double)m->n_routed_experts * h + m->n_routed_experts : 0.0;
    out->embedding = (double)m->vocab * h;
    out->lm_head = (double)m->vocab * h;

    double moe_layer = ((double)m->n_routed_experts + m->n_shared_experts) * out->expert
                       + out->gate_per_layer;
    double routed = (double)moe_layers * m->n_routed_experts * out->expert;
    double final_norm = h;

    out->total = m->n_layers * out->attn_per_layer
                 + dense_layers * out->dense_ffn_per_layer
                 + moe_layers * moe_layer
                 + out->embedding + out->lm_head + final_norm;
    out->routed_experts = routed;
    out->non_expert = out->total - routed;

    /* A token touches every non-expert weight, its top_k routed experts and
     * the shared ones; embedding and LM head count as in DeepSeek's "37B
     * activated" figure. */
    double active_moe_layer = ((double)m->top_k + m->n_shared_experts) * out->expert
                              + out->gate_per_layer;
    out->activated_per_token = m->n_layers * out->attn_per_layer
                               + dense_layers * out->dense_ffn_per_layer
                               + moe_layers * active_moe_layer
                               + out->embedding + out->lm_head + final_norm;

    /* One MTP module (DeepSeek-V3 report section 2.2): enorm and hnorm, the
     * projection eh_proj (2h -> h), one transformer layer (MoE when the model
     * has experts) and its own final norm; embedding and head are shared. */
    double mtp_layer = out->attn_per_layer
                       + (moe_layers > 0 ? moe_layer : out->dense_ffn_per_layer);
    out->mtp_module = 2.0 * h + 2.0 * h * h + mtp_layer + h;
}

double svp_model_kv_bytes_per_token(const svp_model *m, svp_dtype kv, int with_mtp)
{
    double layers = (double)m->n_layers + (with_mtp ? m->n_mtp_modules : 0);
    return ((double)m->kv_lora_rank + m->qk_rope_dim) * layers * svp_dtype_bytes(kv);
}
