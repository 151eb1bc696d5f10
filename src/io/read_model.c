/*
 * read_model.c - data/models/NAME.csv into an svp_model (read.h).
 *
 * The file is key,value,unit,note with the keys of the model's Hugging Face
 * config.json (hidden_size, num_hidden_layers, ...), so a new model can be
 * described by copying numbers from its config without translation.  Every
 * key is required except n_redundant_experts; unknown and repeated keys are
 * errors, so a misspelt key never silently leaves a dimension at zero.
 * Diagnostics point at the key's line, column 'value' (column 'key' when the
 * key itself is wrong).
 */
#include "servplan/read.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "servplan/csv.h"

enum { C_KEY, C_VALUE, C_UNIT, C_NOTE, C_COUNT };

static const svp_csv_col cols[C_COUNT] = {
    [C_KEY] = {"key", 1},
    [C_VALUE] = {"value", 1},
    [C_UNIT] = {"unit", 0},
    [C_NOTE] = {"note", 0},
};

/* Dimensions are bounded far above any published model (DeepSeek-V3:
 * vocab 129,280, hidden 7,168) only to keep products of them finite and
 * to catch a pasted byte count. */
#define DIM_MAX 10000000

static const svp_csv_num pos_int = {
    .what = "a positive integer",
    .min = 1.0,
    .max = DIM_MAX,
};
static const svp_csv_num nonneg_int = {.what = "an integer >= 0", .max = DIM_MAX};

typedef struct key_spec {
    const char *key;
    size_t offset;            /* of the int field in svp_model */
    const svp_csv_num *rule;
    int optional;             /* 1: may be absent (then 0) */
} key_spec;

enum {
    K_NAME, K_HIDDEN, K_LAYERS, K_DENSE_LAYERS, K_DENSE_FFN, K_HEADS, K_Q_LORA,
    K_KV_LORA, K_QK_NOPE, K_QK_ROPE, K_V_HEAD, K_ROUTED, K_SHARED, K_TOP_K,
    K_MOE_FFN, K_GROUPS, K_TOPK_GROUP, K_VOCAB, K_MTP, K_REDUNDANT, K_COUNT
};

#define INT_KEY(k, field, rule, opt) {k, offsetof(svp_model, field), rule, opt}

static const key_spec keys[K_COUNT] = {
    [K_NAME] = {"name", 0, NULL, 0},
    [K_HIDDEN] = INT_KEY("hidden_size", hidden, &pos_int, 0),
    [K_LAYERS] = INT_KEY("num_hidden_layers", n_layers, &pos_int, 0),
    [K_DENSE_LAYERS] = INT_KEY("first_k_dense_replace", n_dense_layers, &nonneg_int, 0),
    [K_DENSE_FFN] = INT_KEY("intermediate_size", dense_ffn, &nonneg_int, 0),
    [K_HEADS] = INT_KEY("num_attention_heads", n_heads, &pos_int, 0),
    [K_Q_LORA] = INT_KEY("q_lora_rank", q_lora_rank, &nonneg_int, 0),
    [K_KV_LORA] = INT_KEY("kv_lora_rank", kv_lora_rank, &pos_int, 0),
    [K_QK_NOPE] = INT_KEY("qk_nope_head_dim", qk_nope_dim, &pos_int, 0),
    [K_QK_ROPE] = INT_KEY("qk_rope_head_dim", qk_rope_dim, &nonneg_int, 0),
    [K_V_HEAD] = INT_KEY("v_head_dim", v_head_dim, &pos_int, 0),
    [K_ROUTED] = INT_KEY("n_routed_experts", n_routed_experts, &nonneg_int, 0),
    [K_SHARED] = INT_KEY("n_shared_experts", n_shared_experts, &nonneg_int, 0),
    [K_TOP_K] = INT_KEY("num_experts_per_tok", top_k, &nonneg_int, 0),
    [K_MOE_FFN] = INT_KEY("moe_intermediate_size", moe_ffn, &nonneg_int, 0),
    [K_GROUPS] = INT_KEY("n_group", n_expert_groups, &nonneg_int, 0),
    [K_TOPK_GROUP] = INT_KEY("topk_group", routing_max_groups, &nonneg_int, 0),
    [K_VOCAB] = INT_KEY("vocab_size", vocab, &pos_int, 0),
    [K_MTP] = INT_KEY("num_nextn_predict_layers", n_mtp_modules, &nonneg_int, 0),
    [K_REDUNDANT] = INT_KEY("n_redundant_experts", n_redundant_experts, &nonneg_int, 1),
};

/* `a` must not exceed `b`: a cross-field rule, reported on a's line. */
static svp_err check_le(const char *path, const svp_model *m, const long *line,
                        int a, int b, svp_diag *d)
{
    int va = *(const int *)(const void *)((const char *)m + keys[a].offset);
    int vb = *(const int *)(const void *)((const char *)m + keys[b].offset);

    if (va <= vb)
        return SVP_OK;
    return svp_diag_set(d, SVP_ERR_DATA, path, line[a], cols[C_VALUE].name,
                        "%s: expected at most %s (%d), got \"%d\"",
                        keys[a].key, keys[b].key, vb, va);
}

/* A required key must be at least 1 when another key makes it matter. */
static svp_err check_needed(const char *path, const svp_model *m,
                            const long *line, int a, int because,
                            svp_diag *d)
{
    int va = *(const int *)(const void *)((const char *)m + keys[a].offset);

    if (va >= 1)
        return SVP_OK;
    return svp_diag_set(d, SVP_ERR_DATA, path, line[a], cols[C_VALUE].name,
                        "%s: expected a positive integer when %s > 0, got \"%d\"",
                        keys[a].key, keys[because].key, va);
}

svp_err svp_read_model(const char *path, svp_model *out, svp_diag *d)
{
    svp_csv_table t;
    int idx[C_COUNT];
    svp_model m;
    long line[K_COUNT];
    size_t i;
    int k;
    svp_err err;

    memset(out, 0, sizeof *out);
    memset(&m, 0, sizeof m);
    for (k = 0; k < K_COUNT; k++)
        line[k] = 0;
    err = svp_csv_load(path, &t, d);
    if (err != SVP_OK)
        return err;
    err = svp_csv_bind(&t, path, cols, C_COUNT, idx, d);
    if (err != SVP_OK)
        goto fail;

    for (i = 0; i < t.n_rows; i++) {
        svp_csv_cursor c = {path, &t.rows[i], cols, idx};
        const char *key = svp_csv_text(&c, C_KEY);

        for (k = 0; k < K_COUNT; k++)
            if (strcmp(keys[k].key, key) == 0)
                break;
        if (k == K_COUNT) {
            char list[512];
            size_t used = 0;
            int j;

            list[0] = '\0';
            for (j = 0; j < K_COUNT; j++) {
                int w = snprintf(list + used, sizeof list - used, "%s%s",
                                 j ? ", " : "", keys[j].key);
                if (w < 0 || (size_t)w >= sizeof list - used)
                    break;
                used += (size_t)w;
            }
            err = svp_diag_set(d, SVP_ERR_DATA, path, t.rows[i].line,
                               cols[C_KEY].name,
                               "unknown key \"%s\" (expected the names of the "
                               "model's config.json: %s)", key, list);
            goto fail;
        }
        if (line[k] != 0) {
            err = svp_diag_set(d, SVP_ERR_DATA, path, t.rows[i].line,
                               cols[C_KEY].name,
                               "duplicate key \"%s\" (first on line %ld)",
                               key, line[k]);
            goto fail;
        }
        line[k] = t.rows[i].line;
        if (k == K_NAME) {
            err = svp_csv_get_str(&c, C_VALUE, 1, m.name, sizeof m.name, d);
        } else {
            int *field = (int *)(void *)((char *)&m + keys[k].offset);
            err = svp_csv_get_int(&c, C_VALUE, keys[k].rule, field, d);
        }
        if (err != SVP_OK) {
            /* The cell message says what was wrong; add which key it was. */
            char msg[sizeof d->msg];

            if (d != NULL) {
                memcpy(msg, d->msg, sizeof msg);
                svp_diag_set(d, err, d->file, d->line, d->column, "%s: %s",
                             keys[k].key, msg);
            }
            goto fail;
        }
    }
    for (k = 0; k < K_COUNT; k++) {
        if (line[k] == 0 && !keys[k].optional) {
            err = svp_diag_set(d, SVP_ERR_DATA, path, 0, cols[C_KEY].name,
                               "missing key \"%s\"", keys[k].key);
            goto fail;
        }
    }

    if ((err = check_le(path, &m, line, K_DENSE_LAYERS, K_LAYERS, d)) != SVP_OK)
        goto fail;
    if ((err = check_le(path, &m, line, K_TOP_K, K_ROUTED, d)) != SVP_OK)
        goto fail;
    if (m.n_expert_groups > 0 &&
        (err = check_le(path, &m, line, K_TOPK_GROUP, K_GROUPS, d)) != SVP_OK)
        goto fail;
    /* With routed experts, a token must reach at least one, of some size. */
    if (m.n_routed_experts > 0) {
        if ((err = check_needed(path, &m, line, K_TOP_K, K_ROUTED, d)) != SVP_OK)
            goto fail;
        if ((err = check_needed(path, &m, line, K_MOE_FFN, K_ROUTED, d)) != SVP_OK)
            goto fail;
    }
    /* Dense layers need a dense FFN width. */
    if (m.n_dense_layers > 0 &&
        (err = check_needed(path, &m, line, K_DENSE_FFN, K_DENSE_LAYERS, d)) != SVP_OK)
        goto fail;

    *out = m;
    svp_csv_fini(&t);
    return SVP_OK;

fail:
    svp_csv_fini(&t);
    return err;
}
