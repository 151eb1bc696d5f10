/*
 * print.c - text, CSV and JSON printers of plan, sweep and eval (print.h).
 *
 * Edge code: SI values come in, human units go out, converted here with the
 * factors of units.h.  Nothing here decides anything: the caller chooses the
 * rows, their reasons and which one is optimal.  Every column name lives in
 * the one table below so that every format (and the workbook) agrees.
 */
#include "servplan/print.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "servplan/units.h"

/* ---- Column table ------------------------------------------------------- */

typedef enum col_id {
    C_CHIP, C_SCENARIO, C_PHASE,
    C_INPUT_LEN, C_OUTPUT_LEN, C_MAX_TPOT, C_MAX_FTL, C_SLO_SOURCE,
    C_FEASIBLE, C_REASON, C_REASON_OTHER,
    C_BATCH, C_MLA_TP, C_MLA_DP, C_MOE_TP, C_MOE_EP, C_SP,
    C_N_RANKS, C_N_CHIPS, C_BATCH_PER_RANK, C_TOKENS_PER_STEP,
    C_TPS_PER_CHIP, C_TPS_PER_BATCH, C_TPOT, C_FTL, C_CLUSTER_TPS,
    C_DRAM, C_DRAM_CAP, C_DRAM_SEED, C_DRAM_PHYS,
    C_DRAM_WEIGHTS, C_DRAM_KV, C_DRAM_ACT, C_DRAM_RESERVE,
    C_T_STEP, C_T_COMP, C_T_MEM, C_T_COMM,
    C_T_TP_COMM, C_T_EP_COMM, C_T_MOE_TP_COMM,
    C_T_CB, C_T_MB, C_T_COMM_EXP, C_T_OVH,
    C_SHARE_COMPUTE, C_SHARE_MEMORY, C_SHARE_COMM, C_BOTTLENECK, C_TBO,
    C_FLOPS, C_HBM_BYTES,
    C_GRID_EDGES
} col_id;

typedef struct col_def {
    const char *name;
    col_id id;
    unsigned sets;
} col_def;

#define PE (SVP_COLS_PLAN | SVP_COLS_EVAL)
#define E_ SVP_COLS_EVAL

/* The order here is the order of every CSV header and JSON object.  The plan
 * columns (PE) are those SPEC.md and the workbook name; eval adds the rest. */
static const col_def cols[] = {
    {"chip", C_CHIP, PE},
    {"scenario", C_SCENARIO, PE},
    {"phase", C_PHASE, PE},
    {"input_len_tokens", C_INPUT_LEN, E_},
    {"output_len_tokens", C_OUTPUT_LEN, E_},
    {"max_tpot_ms", C_MAX_TPOT, E_},
    {"max_ftl_ms", C_MAX_FTL, E_},
    {"slo_source", C_SLO_SOURCE, E_},
    {"feasible", C_FEASIBLE, PE},
    {"reason", C_REASON, PE},
    {"reason_other_memory_model", C_REASON_OTHER, E_},
    {"batch", C_BATCH, PE},
    {"mla_tp", C_MLA_TP, PE},
    {"mla_dp", C_MLA_DP, PE},
    {"moe_tp", C_MOE_TP, PE},
    {"moe_ep", C_MOE_EP, PE},
    {"sp", C_SP, PE},
    {"n_ranks", C_N_RANKS, PE},
    {"n_chips", C_N_CHIPS, PE},
    {"batch_per_rank", C_BATCH_PER_RANK, E_},
    {"tokens_per_request_step", C_TOKENS_PER_STEP, E_},
    {"tps_per_chip", C_TPS_PER_CHIP, PE},
    {"tps_per_batch", C_TPS_PER_BATCH, PE},
    {"tpot_ms", C_TPOT, PE},
    {"ftl_ms", C_FTL, PE},
    {"cluster_tps", C_CLUSTER_TPS, PE},
    {"dram_per_chip_GB", C_DRAM, PE},
    {"dram_capacity_GB", C_DRAM_CAP, PE},
    {"dram_seed_per_chip_GB", C_DRAM_SEED, PE},
    {"dram_physical_per_chip_GB", C_DRAM_PHYS, E_},
    {"dram_weights_GB", C_DRAM_WEIGHTS, E_},
    {"dram_kv_GB", C_DRAM_KV, E_},
    {"dram_act_GB", C_DRAM_ACT, E_},
    {"dram_reserve_GB", C_DRAM_RESERVE, E_},
    {"t_step_ms", C_T_STEP, PE},
    {"t_comp_ms", C_T_COMP, PE},
    {"t_mem_ms", C_T_MEM, PE},
    {"t_comm_ms", C_T_COMM, PE},
    {"t_tp_comm_ms", C_T_TP_COMM, E_},
    {"t_ep_comm_ms", C_T_EP_COMM, E_},
    {"t_moe_tp_comm_ms", C_T_MOE_TP_COMM, E_},
    {"t_compute_bound_ms", C_T_CB, PE},
    {"t_memory_bound_ms", C_T_MB, PE},
    {"t_comm_exposed_ms", C_T_COMM_EXP, PE},
    {"t_overhead_ms", C_T_OVH, PE},
    {"share_compute", C_SHARE_COMPUTE, PE},
    {"share_memory", C_SHARE_MEMORY, PE},
    {"share_comm", C_SHARE_COMM, PE},
    {"bottleneck", C_BOTTLENECK, PE},
    {"tbo", C_TBO, PE},
    {"flops_per_step", C_FLOPS, E_},
    {"hbm_bytes_per_step", C_HBM_BYTES, E_},
    {"grid_edges", C_GRID_EDGES, PE},
};

#undef PE
#undef E_

#define N_COLS (sizeof cols / sizeof cols[0])

size_t svp_col_count(void)
{
    return N_COLS;
}

const char *svp_col_name(size_t i)
{
    return i < N_COLS ? cols[i].name : "";
}

unsigned svp_col_sets(size_t i)
{
    return i < N_COLS ? cols[i].sets : 0u;
}

static void cell_empty(svp_cell *c)
{
    c->kind = SVP_CELL_EMPTY;
    c->num = 0.0;
    c->i = 0;
    c->str[0] = '\0';
}

/* A number, or an empty cell when it is not finite: a model bug must show as
 * a blank, never as "nan" in a report. */
static void cell_num(svp_cell *c, double x)
{
    cell_empty(c);
    if (isfinite(x)) {
        c->kind = SVP_CELL_NUM;
        c->num = x;
    }
}

static void cell_int(svp_cell *c, long v)
{
    cell_empty(c);
    c->kind = SVP_CELL_INT;
    c->i = v;
}

static void cell_bool(svp_cell *c, int v)
{
    cell_empty(c);
    c->kind = SVP_CELL_BOOL;
    c->i = v != 0;
}

static void cell_str(svp_cell *c, const char *s)
{
    size_t n = strlen(s);

    cell_empty(c);
    c->kind = SVP_CELL_STR;
    if (n >= sizeof c->str) {
        /* Never cut a UTF-8 sequence in half. */
        n = sizeof c->str - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(c->str, s, n);
    c->str[n] = '\0';
}

/* The names of the grid edges in bits, space-separated. */
static void cell_edges(svp_cell *c, unsigned bits)
{
    size_t len = 0;
    int i;

    cell_empty(c);
    c->kind = SVP_CELL_STR;
    for (i = 0; i < SVP_EDGE_COUNT; i++) {
        const char *name;
        size_t n;

        if (!(bits & (1u << i)))
            continue;
        name = svp_edge_name(i);
        n = strlen(name);
        if (len + n + 2 > sizeof c->str)
            break;
        if (len > 0)
            c->str[len++] = ' ';
        memcpy(c->str + len, name, n);
        len += n;
        c->str[len] = '\0';
    }
}

void svp_col_cell(size_t i, const svp_plan_row *r, svp_cell *out)
{
    const svp_metrics *m = r->m;
    const svp_config *cfg = r->cfg;
    int decode = r->scen->phase == SVP_PHASE_DECODE;
    /* Metrics exist only for configurations that got as far as being costed. */
    int has = m != NULL && m->has_metrics;

    cell_empty(out);
    if (i >= N_COLS)
        return;
    switch (cols[i].id) {
    case C_CHIP:          cell_str(out, r->hw->name); break;
    case C_SCENARIO:      cell_str(out, r->scen->name); break;
    case C_PHASE:         cell_str(out, svp_phase_name(r->scen->phase)); break;
    case C_INPUT_LEN:     cell_int(out, r->scen->input_len); break;
    case C_OUTPUT_LEN:    cell_int(out, r->scen->output_len); break;
    case C_MAX_TPOT:
        if (decode)
            cell_num(out, r->scen->max_tpot_s / SVP_MS);
        break;
    case C_MAX_FTL:
        if (!decode)
            cell_num(out, r->scen->max_ftl_s / SVP_MS);
        break;
    case C_SLO_SOURCE:
        if (r->slo_source != NULL)
            cell_str(out, r->slo_source);
        break;
    case C_FEASIBLE:      cell_bool(out, r->reason == SVP_FEASIBLE); break;
    case C_REASON:        cell_str(out, svp_reason_code(r->reason)); break;
    case C_REASON_OTHER:
        if (m != NULL)
            cell_str(out, svp_reason_code(m->reason_other_memory_model));
        break;
    case C_BATCH:   if (cfg) cell_int(out, cfg->batch); break;
    case C_MLA_TP:  if (cfg) cell_int(out, cfg->mla_tp); break;
    case C_MLA_DP:  if (cfg) cell_int(out, cfg->mla_dp); break;
    case C_MOE_TP:  if (cfg) cell_int(out, cfg->moe_tp); break;
    case C_MOE_EP:  if (cfg) cell_int(out, cfg->moe_ep); break;
    case C_SP:      if (cfg) cell_int(out, cfg->sp); break;
    case C_N_RANKS:          if (has) cell_int(out, m->n_ranks); break;
    case C_N_CHIPS:          if (has) cell_num(out, m->n_chips); break;
    case C_BATCH_PER_RANK:   if (has) cell_int(out, m->batch_per_rank); break;
    case C_TOKENS_PER_STEP:  if (has) cell_num(out, m->tokens_per_request_step); break;
    case C_TPS_PER_CHIP:     if (has) cell_num(out, m->tps_per_chip); break;
    case C_TPS_PER_BATCH:    if (has && decode) cell_num(out, m->tps_per_user); break;
    case C_TPOT:             if (has && decode) cell_num(out, m->tpot_s / SVP_MS); break;
    case C_FTL:              if (has && !decode) cell_num(out, m->ftl_s / SVP_MS); break;
    case C_CLUSTER_TPS:      if (has) cell_num(out, m->cluster_tps); break;
    case C_DRAM:             if (has) cell_num(out, m->dram_bytes / SVP_GB); break;
    case C_DRAM_CAP:         if (has) cell_num(out, m->dram_capacity_bytes / SVP_GB); break;
    case C_DRAM_SEED:        if (has) cell_num(out, m->dram_seed_bytes / SVP_GB); break;
    case C_DRAM_PHYS:        if (has) cell_num(out, m->dram_physical_bytes / SVP_GB); break;
    case C_DRAM_WEIGHTS:     if (has) cell_num(out, m->dram_weights_bytes / SVP_GB); break;
    case C_DRAM_KV:          if (has) cell_num(out, m->dram_kv_bytes / SVP_GB); break;
    case C_DRAM_ACT:         if (has) cell_num(out, m->dram_act_bytes / SVP_GB); break;
    case C_DRAM_RESERVE:     if (has) cell_num(out, m->dram_reserve_bytes / SVP_GB); break;
    case C_T_STEP:           if (has) cell_num(out, m->step_s / SVP_MS); break;
    case C_T_COMP:           if (has) cell_num(out, m->t_comp_s / SVP_MS); break;
    case C_T_MEM:            if (has) cell_num(out, m->t_mem_s / SVP_MS); break;
    case C_T_COMM:           if (has) cell_num(out, m->t_comm_s / SVP_MS); break;
    case C_T_TP_COMM:        if (has) cell_num(out, m->t_tp_comm_s / SVP_MS); break;
    case C_T_EP_COMM:        if (has) cell_num(out, m->t_ep_comm_s / SVP_MS); break;
    case C_T_MOE_TP_COMM:    if (has) cell_num(out, m->t_moe_tp_comm_s / SVP_MS); break;
    case C_T_CB:             if (has) cell_num(out, m->t_compute_bound_s / SVP_MS); break;
    case C_T_MB:             if (has) cell_num(out, m->t_memory_bound_s / SVP_MS); break;
    case C_T_COMM_EXP:       if (has) cell_num(out, m->t_comm_exposed_s / SVP_MS); break;
    case C_T_OVH:            if (has) cell_num(out, m->t_overhead_s / SVP_MS); break;
    case C_SHARE_COMPUTE:    if (has) cell_num(out, m->share_compute); break;
    case C_SHARE_MEMORY:     if (has) cell_num(out, m->share_memory); break;
    case C_SHARE_COMM:       if (has) cell_num(out, m->share_comm); break;
    case C_BOTTLENECK:       if (has) cell_str(out, svp_bound_name(m->bottleneck)); break;
    case C_TBO:              if (has) cell_bool(out, m->tbo_used); break;
    case C_FLOPS:            if (has) cell_num(out, m->flops_per_step); break;
    case C_HBM_BYTES:        if (has) cell_num(out, m->hbm_bytes_per_step); break;
    case C_GRID_EDGES:       cell_edges(out, r->edges); break;
    }
}

/* ---- Operator columns --------------------------------------------------- */

static const char *const op_cols[] = {
    "name", "group", "dtype", "count", "GFLOP", "MB",
    "t_compute_ms", "t_memory_ms", "t_ms", "bound"
};

#define N_OP_COLS (sizeof op_cols / sizeof op_cols[0])

size_t svp_op_col_count(void)
{
    return N_OP_COLS;
}

const char *svp_op_col_name(size_t i)
{
    return i < N_OP_COLS ? op_cols[i] : "";
}

void svp_op_col_cell(size_t i, const svp_op_rec *rec, svp_cell *out)
{
    cell_empty(out);
    switch (i) {
    case 0: cell_str(out, rec->name != NULL ? rec->name : ""); break;
    case 1: cell_str(out, svp_op_group_name(rec->group)); break;
    case 2: cell_str(out, svp_dtype_name(rec->dtype)); break;
    case 3: cell_int(out, rec->count); break;
    /* GFLOP: 1e9 FLOP, the same decimal "giga" as SVP_BILLION. */
    case 4: cell_num(out, rec->flops / SVP_BILLION); break;
    case 5: cell_num(out, rec->bytes / SVP_MB); break;
    case 6: cell_num(out, rec->t_compute_s / SVP_MS); break;
    case 7: cell_num(out, rec->t_memory_s / SVP_MS); break;
    case 8: cell_num(out, rec->t_s / SVP_MS); break;
    case 9: cell_str(out, svp_bound_name(rec->bound)); break;
    default: break;
    }
}

/* ---- Formats ------------------------------------------------------------ */

const char *svp_format_name(svp_format f)
{
    switch (f) {
    case SVP_FMT_TEXT: return "text";
    case SVP_FMT_CSV:  return "csv";
    case SVP_FMT_JSON: return "json";
    }
    return "text";
}

int svp_format_parse(const char *s, svp_format *out)
{
    if (strcmp(s, "text") == 0)
        *out = SVP_FMT_TEXT;
    else if (strcmp(s, "csv") == 0)
        *out = SVP_FMT_CSV;
    else if (strcmp(s, "json") == 0)
        *out = SVP_FMT_JSON;
    else
        return -1;
    return 0;
}

void svp_printer_init(svp_printer *p, FILE *f, svp_format fmt, const char *name,
                      const svp_opts *opts, const char *space_file)
{
    p->f = f;
    p->fmt = fmt;
    p->name = name != NULL ? name : "output";
    p->opts = opts;
    p->space_file = space_file;
    p->rows = 0;
}

/* SVP_ERR_IO if the stream has failed so far. */
static svp_err check(const svp_printer *p, svp_diag *d)
{
    if (ferror(p->f))
        return svp_diag_set(d, SVP_ERR_IO, p->name, 0, NULL, "write error: %s",
                            errno != 0 ? strerror(errno) : "unknown cause");
    return SVP_OK;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if s does not start
 * one (stray continuation byte, overlong form, surrogate, above U+10FFFF,
 * truncated). */
static size_t utf8_len(const unsigned char *s)
{
    size_t n, k;
    unsigned long cp;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        n = 2;
        cp = s[0] & 0x1Fu;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        n = 3;
        cp = s[0] & 0x0Fu;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        n = 4;
        cp = s[0] & 0x07u;
    } else {
        return 0;
    }
    for (k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[k] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* A JSON string: quotes, backslashes and control characters escaped, valid
 * UTF-8 passed through, an invalid byte replaced by U+FFFD so the document
 * always parses. */
static void json_str(FILE *f, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    fputc('"', f);
    while (*u != '\0') {
        size_t n = utf8_len(u);

        if (n == 0) {
            fputs("\\ufffd", f);
            u++;
            continue;
        }
        if (n > 1) {
            fwrite(u, 1, n, f);
            u += n;
            continue;
        }
        switch (*u) {
        case '"':  fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        case '\b': fputs("\\b", f); break;
        case '\f': fputs("\\f", f); break;
        default:
            if (*u < 0x20)
                fprintf(f, "\\u%04x", (unsigned)*u);
            else
                fputc(*u, f);
            break;
        }
        u++;
    }
    fputc('"', f);
}

/* An RFC 4180 field: quoted when it holds a comma, quote, CR, LF or an edge
 * space (readers that trim would otherwise lose it); quotes doubled. */
static void csv_str(FILE *f, const char *s)
{
    size_t n = strlen(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL ||
                (n > 0 && (s[0] == ' ' || s[n - 1] == ' '));

    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s != '\0'; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* %.6g: six significant digits, more than any input datum carries.  The
 * C locale's '.' (servplan never calls setlocale). */
static void print_num(FILE *f, double x)
{
    fprintf(f, "%.6g", x);
}

void svp_print_str(FILE *f, svp_format fmt, const char *s)
{
    if (fmt == SVP_FMT_JSON)
        json_str(f, s);
    else if (fmt == SVP_FMT_CSV)
        csv_str(f, s);
    else
        fputs(s, f);
}

void svp_print_num(FILE *f, svp_format fmt, double v)
{
    if (isfinite(v))
        print_num(f, v);
    else if (fmt == SVP_FMT_JSON)
        fputs("null", f);
    else if (fmt == SVP_FMT_TEXT)
        fputc('-', f);
}

static void csv_cell(FILE *f, const svp_cell *c)
{
    switch (c->kind) {
    case SVP_CELL_EMPTY: break;
    case SVP_CELL_NUM:   print_num(f, c->num); break;
    case SVP_CELL_INT:   fprintf(f, "%ld", c->i); break;
    case SVP_CELL_BOOL:  fputs(c->i ? "true" : "false", f); break;
    case SVP_CELL_STR:   csv_str(f, c->str); break;
    }
}

static void json_cell(FILE *f, const svp_cell *c)
{
    switch (c->kind) {
    case SVP_CELL_EMPTY: fputs("null", f); break;
    case SVP_CELL_NUM:   print_num(f, c->num); break;
    case SVP_CELL_INT:   fprintf(f, "%ld", c->i); break;
    case SVP_CELL_BOOL:  fputs(c->i ? "true" : "false", f); break;
    case SVP_CELL_STR:   json_str(f, c->str); break;
    }
}

/* Text cell: "-" for not applicable, six significant digits. */
static void text_cell(char *buf, size_t size, const svp_cell *c)
{
    switch (c->kind) {
    case SVP_CELL_EMPTY: snprintf(buf, size, "-"); break;
    case SVP_CELL_NUM:   snprintf(buf, size, "%.6g", c->num); break;
    case SVP_CELL_INT:   snprintf(buf, size, "%ld", c->i); break;
    case SVP_CELL_BOOL:  snprintf(buf, size, "%s", c->i ? "yes" : "no"); break;
    case SVP_CELL_STR:   snprintf(buf, size, "%s", c->str[0] != '\0' ? c->str : "-"); break;
    }
}

/* CSV header of the columns in `set`. */
static void csv_header(FILE *f, unsigned set)
{
    size_t i;
    int first = 1;

    for (i = 0; i < N_COLS; i++) {
        if (!(cols[i].sets & set))
            continue;
        if (!first)
            fputc(',', f);
        fputs(cols[i].name, f);
        first = 0;
    }
    fputc('\n', f);
}

static void csv_record(FILE *f, unsigned set, const svp_plan_row *r)
{
    size_t i;
    int first = 1;
    svp_cell c;

    for (i = 0; i < N_COLS; i++) {
        if (!(cols[i].sets & set))
            continue;
        if (!first)
            fputc(',', f);
        svp_col_cell(i, r, &c);
        csv_cell(f, &c);
        first = 0;
    }
    fputc('\n', f);
}

static void json_object(FILE *f, unsigned set, const svp_plan_row *r, const char *indent)
{
    size_t i;
    int first = 1;
    svp_cell c;

    fputc('{', f);
    for (i = 0; i < N_COLS; i++) {
        if (!(cols[i].sets & set))
            continue;
        fprintf(f, "%s\n%s  ", first ? "" : ",", indent);
        json_str(f, cols[i].name);
        fputs(": ", f);
        svp_col_cell(i, r, &c);
        json_cell(f, &c);
        first = 0;
    }
    fprintf(f, "\n%s}", indent);
}

svp_err svp_print_rows_begin(svp_printer *p, svp_diag *d)
{
    p->rows = 0;
    if (p->fmt == SVP_FMT_CSV)
        csv_header(p->f, SVP_COLS_PLAN);
    else if (p->fmt == SVP_FMT_JSON)
        fputc('[', p->f);
    return check(p, d);
}

svp_err svp_print_row(svp_printer *p, const svp_plan_row *r, svp_diag *d)
{
    if (p->fmt == SVP_FMT_CSV) {
        csv_record(p->f, SVP_COLS_PLAN, r);
    } else if (p->fmt == SVP_FMT_JSON) {
        fputs(p->rows > 0 ? ",\n  " : "\n  ", p->f);
        json_object(p->f, SVP_COLS_PLAN, r, "  ");
    }
    p->rows++;
    return check(p, d);
}

svp_err svp_print_rows_end(svp_printer *p, svp_diag *d)
{
    if (p->fmt == SVP_FMT_JSON)
        fputs(p->rows > 0 ? "\n]\n" : "]\n", p->f);
    return check(p, d);
}

/* ---- Text plan ---------------------------------------------------------- */

/* x with `dec` decimals, or "-" when it is not finite. */
static void fmt_fixed(char *buf, size_t size, double x, int dec)
{
    if (isfinite(x))
        snprintf(buf, size, "%.*f", dec, x);
    else
        snprintf(buf, size, "-");
}

/* x with about four significant digits and no exponent: 1234, 123.4, 12.34,
 * 1.234, 0.1234.  Table cells stay narrow and still distinguish plans. */
static void fmt_sig(char *buf, size_t size, double x)
{
    double a = x < 0 ? -x : x;
    int dec;

    if (a >= 1000.0)
        dec = 0;
    else if (a >= 100.0)
        dec = 1;
    else if (a >= 10.0)
        dec = 2;
    else if (a >= 1.0)
        dec = 3;
    else
        dec = 4;
    fmt_fixed(buf, size, x, dec);
}

/* x as "%.6g" (datasheet figures, counts that may be fractional), or "-". */
static void fmt_g(char *buf, size_t size, double x)
{
    if (isfinite(x))
        snprintf(buf, size, "%.6g", x);
    else
        snprintf(buf, size, "-");
}

/* A table column of the text plan: header, unit line, width. */
typedef struct text_col {
    const char *head;
    const char *unit;
    int width;
} text_col;

#define TXT_CELL 64

static void text_row(FILE *f, const text_col *tc, size_t n, int name_w,
                     const char *name, char cells[][TXT_CELL])
{
    size_t i;

    fprintf(f, "  %-*s", name_w, name);
    for (i = 0; i < n; i++)
        fprintf(f, "  %*s", tc[i].width, cells[i]);
    fputc('\n', f);
}

static void text_head(FILE *f, const text_col *tc, size_t n, int name_w)
{
    size_t i, last = 0;

    fprintf(f, "  %-*s", name_w, "scenario");
    for (i = 0; i < n; i++) {
        fprintf(f, "  %*s", tc[i].width, tc[i].head);
        if (tc[i].unit[0] != '\0')
            last = i + 1;
    }
    fputc('\n', f);
    /* The unit line stops at its last unit: no trailing blanks. */
    fprintf(f, "  %-*s", name_w, "");
    for (i = 0; i < last; i++)
        fprintf(f, "  %*s", tc[i].width, tc[i].unit);
    fputc('\n', f);
}

/* seed Art.8.1 */
static const text_col decode_cols[] = {
    {"Batch", "", 6}, {"MLA_TP", "", 6}, {"MLA_DP", "", 6}, {"MOE_TP", "", 6},
    {"MOE_EP", "", 6}, {"N chips", "", 7}, {"TPS/batch", "tok/s/user", 10},
    {"TPS/chip", "tok/s", 9}, {"TPOT", "ms", 8}, {"DRAM/chip", "GB (of cap.)", 14},
    {"bottleneck", "", 13},
};

/* seed Art.8.2 */
static const text_col prefill_cols[] = {
    {"Batch", "", 6}, {"MLA_TP", "", 6}, {"SP", "", 3}, {"MLA_DP", "", 6},
    {"MOE_TP", "", 6}, {"MOE_EP", "", 6}, {"N chips", "", 7}, {"FTL", "ms", 9},
    {"TPS/chip", "input tok/s", 11}, {"DRAM/chip", "GB (of cap.)", 14},
    {"bottleneck", "", 13},
};

#define N_DECODE_COLS (sizeof decode_cols / sizeof decode_cols[0])
#define N_PREFILL_COLS (sizeof prefill_cols / sizeof prefill_cols[0])

static void fmt_dram(char *buf, size_t size, const svp_metrics *m)
{
    char used[24], cap[24];

    fmt_fixed(used, sizeof used, m->dram_bytes / SVP_GB, 1);
    fmt_fixed(cap, sizeof cap, m->dram_capacity_bytes / SVP_GB, 0);
    snprintf(buf, size, "%s (%s)", used, cap);
}

static void fmt_int(char *buf, size_t size, int v)
{
    snprintf(buf, size, "%d", v);
}

/* A row of a chip that has no plan for a scenario. */
static void text_no_plan(FILE *f, int name_w, const svp_plan_row *r)
{
    fprintf(f, "  %-*s  no feasible configuration (last check failed: %s; see below)\n",
            name_w, r->scen->name, svp_reason_code(r->reason));
}

static void text_decode_row(FILE *f, int name_w, const svp_plan_row *r)
{
    char c[N_DECODE_COLS][TXT_CELL];
    const svp_metrics *m = r->m;
    const svp_config *cfg = r->cfg;

    fmt_int(c[0], TXT_CELL, cfg->batch);
    fmt_int(c[1], TXT_CELL, cfg->mla_tp);
    fmt_int(c[2], TXT_CELL, cfg->mla_dp);
    fmt_int(c[3], TXT_CELL, cfg->moe_tp);
    fmt_int(c[4], TXT_CELL, cfg->moe_ep);
    fmt_g(c[5], TXT_CELL, m->n_chips);
    fmt_fixed(c[6], TXT_CELL, m->tps_per_user, 2);
    fmt_sig(c[7], TXT_CELL, m->tps_per_chip);
    fmt_fixed(c[8], TXT_CELL, m->tpot_s / SVP_MS, 2);
    fmt_dram(c[9], TXT_CELL, m);
    snprintf(c[10], TXT_CELL, "%s", svp_bound_name(m->bottleneck));
    text_row(f, decode_cols, N_DECODE_COLS, name_w, r->scen->name, c);
}

static void text_prefill_row(FILE *f, int name_w, const svp_plan_row *r)
{
    char c[N_PREFILL_COLS][TXT_CELL];
    const svp_metrics *m = r->m;
    const svp_config *cfg = r->cfg;

    fmt_int(c[0], TXT_CELL, cfg->batch);
    fmt_int(c[1], TXT_CELL, cfg->mla_tp);
    fmt_int(c[2], TXT_CELL, cfg->sp);
    fmt_int(c[3], TXT_CELL, cfg->mla_dp);
    fmt_int(c[4], TXT_CELL, cfg->moe_tp);
    fmt_int(c[5], TXT_CELL, cfg->moe_ep);
    fmt_g(c[6], TXT_CELL, m->n_chips);
    fmt_fixed(c[7], TXT_CELL, m->ftl_s / SVP_MS, 1);
    fmt_sig(c[8], TXT_CELL, m->tps_per_chip);
    fmt_dram(c[9], TXT_CELL, m);
    snprintf(c[10], TXT_CELL, "%s", svp_bound_name(m->bottleneck));
    text_row(f, prefill_cols, N_PREFILL_COLS, name_w, r->scen->name, c);
}

static const char *other_memory_model(const svp_printer *p)
{
    if (p->opts != NULL && p->opts->memory_model == SVP_MEM_SEED)
        return "physical (MODEL.md section 7)";
    return "seed (seed Art.3 2a)";
}

/* The scenario's workload and SLO, e.g. "4096 in + 1024 out, TPOT <= 100 ms". */
static void text_workload(FILE *f, const svp_scenario *s)
{
    char lim[32];

    if (s->phase == SVP_PHASE_DECODE) {
        fmt_g(lim, sizeof lim, s->max_tpot_s / SVP_MS);
        fprintf(f, "%d in + %d out tokens, SLO TPOT <= %s ms", s->input_len,
                s->output_len, lim);
    } else {
        fmt_g(lim, sizeof lim, s->max_ftl_s / SVP_MS);
        fprintf(f, "%d-token prompts, SLO FTL <= %s ms", s->input_len, lim);
    }
}

/* The verdict lines of one row (its name already printed, padded). */
static void text_verdict(const svp_printer *p, int name_w, const svp_plan_row *r)
{
    FILE *f = p->f;
    const svp_metrics *m = r->m;
    char a[32], b[32], c[32], s[32];
    int i;

    fprintf(f, "  %-*s  ", name_w, r->scen->name);
    text_workload(f, r->scen);
    fputc('\n', f);
    if (m == NULL || !m->has_metrics) {
        const svp_search_stats *st = r->stats;

        fprintf(f, "  %-*s  no feasible configuration", name_w, "");
        if (st != NULL) {
            int any = 0;

            fprintf(f, ": %ld evaluated of %.0f combinations;", st->evaluated,
                    st->combinations);
            for (i = 1; i < SVP_REASON_COUNT; i++) {
                if (st->by_reason[i] <= 0.0)
                    continue;
                fprintf(f, "%s %s %.0f", any ? "," : "",
                        svp_reason_code((svp_reason)i), st->by_reason[i]);
                any = 1;
            }
        }
        fputc('\n', f);
        return;
    }
    fmt_fixed(a, sizeof a, m->share_compute * 100.0, 1);
    fmt_fixed(b, sizeof b, m->share_memory * 100.0, 1);
    fmt_fixed(c, sizeof c, m->share_comm * 100.0, 1);
    fprintf(f, "  %-*s  %s-bound: compute %s %%, memory %s %%, communication %s %% of the step\n",
            name_w, "", svp_bound_name(m->bottleneck), a, b, c);
    fmt_sig(a, sizeof a, m->t_comp_s / SVP_MS);
    fmt_sig(b, sizeof b, m->t_mem_s / SVP_MS);
    fmt_sig(c, sizeof c, m->t_comm_s / SVP_MS);
    fmt_sig(s, sizeof s, m->step_s / SVP_MS);
    fprintf(f, "  %-*s  T_comp %s ms, T_mem %s ms, T_comm %s ms (seed Art.5); step %s ms",
            name_w, "", a, b, c, s);
    fmt_sig(a, sizeof a, m->t_overhead_s / SVP_MS);
    fprintf(f, " incl. %s ms overheads; TBO %s\n", a, m->tbo_used ? "used" : "not used");
    if (r->edges != 0) {
        int any = 0;

        fprintf(f, "  %-*s  optimum at the edge of the grid:", name_w, "");
        for (i = 0; i < SVP_EDGE_COUNT; i++) {
            if (!(r->edges & (1u << i)))
                continue;
            fprintf(f, "%s %s", any ? "," : "", svp_edge_name(i));
            any = 1;
        }
        fprintf(f, "; widen %s to look further\n",
                p->space_file != NULL ? p->space_file : "the search space");
    }
    if (m->reason_other_memory_model != m->reason) {
        fprintf(f, "  %-*s  note: under the %s memory model this configuration is ",
                name_w, "", other_memory_model(p));
        if (m->reason_other_memory_model == SVP_FEASIBLE)
            fputs("feasible\n", f);
        else
            fprintf(f, "infeasible (%s)\n", svp_reason_code(m->reason_other_memory_model));
    }
}

static const char *tbo_name(svp_tbo t)
{
    switch (t) {
    case SVP_TBO_OFF:  return "off";
    case SVP_TBO_ON:   return "on";
    case SVP_TBO_AUTO: return "auto";
    }
    return "?";
}

svp_err svp_print_plan_text_header(svp_printer *p, const svp_model *model, svp_diag *d)
{
    const svp_opts *o = p->opts;
    FILE *f = p->f;

    if (p->fmt != SVP_FMT_TEXT)
        return SVP_OK;
    fprintf(f, "Optimal plans for %s (max TPS per chip under the SLO, seed Art.5)\n",
            model->name);
    if (o != NULL) {
        fprintf(f, "memory model %s, roofline %s, TBO %s, ",
                o->memory_model == SVP_MEM_SEED ? "seed" : "physical",
                o->roofline == SVP_ROOF_GLOBAL ? "global" : "per-op", tbo_name(o->tbo));
        if (o->mtp_draft > 0)
            fprintf(f, "MTP %d draft tokens, %.6g accepted per step, ", o->mtp_draft,
                    o->mtp_accept);
        else
            fputs("no MTP, ", f);
        fprintf(f, "%s weights, %s KV cache\n", svp_dtype_name(o->weight_dtype),
                svp_dtype_name(o->kv_dtype));
    }
    return check(p, d);
}

svp_err svp_print_plan_text_chip(svp_printer *p, const svp_hw *hw,
                                 const svp_plan_row *rows, size_t n, svp_diag *d)
{
    FILE *f = p->f;
    int name_w = (int)strlen("scenario");
    size_t i;
    int n_dec = 0, n_pre = 0;
    char a[32], b[32], c[32], d_gb[32];

    for (i = 0; i < n; i++) {
        int w = (int)strlen(rows[i].scen->name);

        if (w > name_w)
            name_w = w;
        if (rows[i].scen->phase == SVP_PHASE_DECODE)
            n_dec++;
        else
            n_pre++;
    }

    fmt_g(a, sizeof a, hw->hbm_bytes_per_s / SVP_TBPS);
    fmt_g(b, sizeof b, hw->c2c_bytes_per_s / SVP_GBPS);
    if (hw->a2a_bytes_per_s > 0.0) {
        char g[24];

        fmt_g(g, sizeof g, hw->a2a_bytes_per_s / SVP_GBPS);
        snprintf(c, sizeof c, "%s GB/s", g);
    } else {
        snprintf(c, sizeof c, "none");
    }
    fprintf(f, "\n== %s (%s) ==\n", hw->name, hw->vendor);
    fmt_g(d_gb, sizeof d_gb, hw->dram_bytes / SVP_GB);
    fprintf(f, "DRAM %s GB, HBM %s TB/s, scale-up %s GB/s, scale-out %s, "
               "%d rank%s per chip, %d chip%s per scale-up domain\n",
            d_gb, a, b, c,
            hw->ranks_per_chip, hw->ranks_per_chip == 1 ? "" : "s", hw->chips_per_domain,
            hw->chips_per_domain == 1 ? "" : "s");

    if (n_dec > 0) {
        fputs("\nDecode optimum (seed Art.8.1)\n", f);
        text_head(f, decode_cols, N_DECODE_COLS, name_w);
        for (i = 0; i < n; i++) {
            if (rows[i].scen->phase != SVP_PHASE_DECODE)
                continue;
            if (rows[i].cfg == NULL || rows[i].m == NULL)
                text_no_plan(f, name_w, &rows[i]);
            else
                text_decode_row(f, name_w, &rows[i]);
        }
    }
    if (n_pre > 0) {
        fputs("\nPrefill optimum (seed Art.8.2)\n", f);
        text_head(f, prefill_cols, N_PREFILL_COLS, name_w);
        for (i = 0; i < n; i++) {
            if (rows[i].scen->phase != SVP_PHASE_PREFILL)
                continue;
            if (rows[i].cfg == NULL || rows[i].m == NULL)
                text_no_plan(f, name_w, &rows[i]);
            else
                text_prefill_row(f, name_w, &rows[i]);
        }
    }
    if (n > 0) {
        fputs("\nBottleneck (MODEL.md section 10)\n", f);
        for (i = 0; i < n; i++)
            text_verdict(p, name_w, &rows[i]);
    }
    return check(p, d);
}

/* ---- eval --------------------------------------------------------------- */

static void eval_text(const svp_printer *p, const svp_plan_row *r, const svp_breakdown *bd)
{
    FILE *f = p->f;
    size_t i, k;
    int w = 0, name_w = (int)strlen("name");
    char buf[SVP_TEXT_MAX + 8];
    svp_cell c;
    /* Operator table widths: wide enough for "%.6g" of any value. */
    static const int op_w[] = {0, 9, 5, 5, 12, 12, 12, 12, 12, 13};

    for (i = 0; i < N_COLS; i++) {
        if ((cols[i].sets & SVP_COLS_EVAL) && (int)strlen(cols[i].name) > w)
            w = (int)strlen(cols[i].name);
    }
    for (i = 0; i < N_COLS; i++) {
        if (!(cols[i].sets & SVP_COLS_EVAL))
            continue;
        svp_col_cell(i, r, &c);
        text_cell(buf, sizeof buf, &c);
        fprintf(f, "%-*s  %s\n", w, cols[i].name, buf);
    }
    if (bd == NULL || bd->n <= 0) {
        fputs("\nno per-operator breakdown: the configuration was rejected before "
              "it was costed\n", f);
        return;
    }
    for (k = 0; k < (size_t)bd->n; k++) {
        const char *nm = bd->ops[k].name != NULL ? bd->ops[k].name : "";

        if ((int)strlen(nm) > name_w)
            name_w = (int)strlen(nm);
    }
    fputs("\nOperators (one rank, one step, summed over layers)\n", f);
    for (i = 0; i < N_OP_COLS; i++) {
        if (i == 0)
            fprintf(f, "%-*s", name_w, op_cols[i]);
        else
            fprintf(f, "  %*s", op_w[i], op_cols[i]);
    }
    fputc('\n', f);
    for (k = 0; k < (size_t)bd->n; k++) {
        for (i = 0; i < N_OP_COLS; i++) {
            svp_op_col_cell(i, &bd->ops[k], &c);
            text_cell(buf, sizeof buf, &c);
            if (i == 0)
                fprintf(f, "%-*s", name_w, buf);
            else
                fprintf(f, "  %*s", op_w[i], buf);
        }
        fputc('\n', f);
    }
}

static void eval_csv(const svp_printer *p, const svp_plan_row *r, const svp_breakdown *bd)
{
    FILE *f = p->f;
    size_t i;
    int k;
    svp_cell c;

    csv_header(f, SVP_COLS_EVAL);
    csv_record(f, SVP_COLS_EVAL, r);
    fputc('\n', f);
    for (i = 0; i < N_OP_COLS; i++)
        fprintf(f, "%s%s", i > 0 ? "," : "", op_cols[i]);
    fputc('\n', f);
    for (k = 0; bd != NULL && k < bd->n; k++) {
        for (i = 0; i < N_OP_COLS; i++) {
            if (i > 0)
                fputc(',', f);
            svp_op_col_cell(i, &bd->ops[k], &c);
            csv_cell(f, &c);
        }
        fputc('\n', f);
    }
}

static void eval_json(const svp_printer *p, const svp_plan_row *r, const svp_breakdown *bd)
{
    FILE *f = p->f;
    size_t i;
    int k;
    svp_cell c;

    fputs("{\n  \"metrics\": ", f);
    json_object(f, SVP_COLS_EVAL, r, "  ");
    fputs(",\n  \"operators\": [", f);
    for (k = 0; bd != NULL && k < bd->n; k++) {
        fputs(k > 0 ? ",\n    {" : "\n    {", f);
        for (i = 0; i < N_OP_COLS; i++) {
            fputs(i > 0 ? ", " : "", f);
            json_str(f, op_cols[i]);
            fputs(": ", f);
            svp_op_col_cell(i, &bd->ops[k], &c);
            json_cell(f, &c);
        }
        fputc('}', f);
    }
    fputs(bd != NULL && bd->n > 0 ? "\n  ]\n}\n" : "]\n}\n", f);
}

svp_err svp_print_eval(svp_printer *p, const svp_plan_row *r,
                       const svp_breakdown *bd, svp_diag *d)
{
    switch (p->fmt) {
    case SVP_FMT_TEXT: eval_text(p, r, bd); break;
    case SVP_FMT_CSV:  eval_csv(p, r, bd); break;
    case SVP_FMT_JSON: eval_json(p, r, bd); break;
    }
    return check(p, d);
}
