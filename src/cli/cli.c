/*
 * cli.c - svp_cli_main (cli.h): parse the command line, read the data files,
 * run plan, eval or sweep and turn every outcome into an exit code.
 *
 * The only code that owns the process: it alone prints diagnostics (once,
 * to stderr) and decides exit codes.  It decides what is shown (which rows,
 * which reason a chip without a plan gets); the printers of print.h only
 * format, and the search and cost model of src/core only compute.
 */
#include "servplan/cli.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "servplan/alloc.h"
#include "servplan/analysis.h"
#include "servplan/chart.h"
#include "servplan/cli_validate.h"
#include "servplan/cost.h"
#include "servplan/csv.h"
#include "servplan/deploy.h"
#include "servplan/err.h"
#include "servplan/print.h"
#include "servplan/read.h"
#include "servplan/report.h"
#include "servplan/search.h"
#include "servplan/templates.h"
#include "servplan/units.h"

#ifndef SVP_VERSION
#define SVP_VERSION "0.1.0"
#endif
/* Where `make install` puts data/ and templates/ (the Makefile passes it). */
#ifndef SVP_DATADIR
#define SVP_DATADIR "/usr/local/share/servplan"
#endif

/* eval's defaults when neither the command line nor a scenario gives them:
 * seed Art.3 1 (TPS per batch >= 10, i.e. TPOT <= 100 ms; FTL <= 3 s at 4K)
 * and seed Art.6 / MODEL.md section 1 (4K input; 1024 generated tokens). */
#define EVAL_DEFAULT_TPOT_MS 100.0
#define EVAL_DEFAULT_FTL_MS 3000.0
#define EVAL_DEFAULT_INPUT_LEN 4096
#define EVAL_DEFAULT_OUTPUT_LEN 1024

#define PATH_LEN 4096

#if defined(__GNUC__)
#define PRINTF_LIKE(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define PRINTF_LIKE(fmt_index, first_arg)
#endif

typedef enum cli_cmd {
    CMD_REPORT = 0, CMD_PLAN, CMD_EVAL, CMD_SWEEP, CMD_VALIDATE, CMD_CALIBRATE
} cli_cmd;

static const char *const cmd_names[] = {
    "report", "plan", "eval", "sweep", "validate", "calibrate"
};

#define N_CMDS (sizeof cmd_names / sizeof cmd_names[0])

/* Long-only options (getopt_long returns these). */
enum {
    OPT_HARDWARE = 256, OPT_PRICES, OPT_MODEL, OPT_SCENARIOS, OPT_SPACE, OPT_CHIP,
    OPT_OUT, OPT_LANG, OPT_MEMORY_MODEL, OPT_ROOFLINE, OPT_TBO, OPT_MTP,
    OPT_WEIGHT_DTYPE, OPT_KV_DTYPE, OPT_FORMAT, OPT_FEASIBLE_ONLY,
    /* validate and calibrate */
    OPT_CROSS, OPT_PARAMS, OPT_OUT_HARDWARE, OPT_DEPLOYMENTS,
    /* eval only, from here to the end */
    OPT_PHASE, OPT_BATCH, OPT_MLA_TP, OPT_MLA_DP, OPT_MOE_TP, OPT_MOE_EP, OPT_SP,
    OPT_INPUT_LEN, OPT_OUTPUT_LEN, OPT_MAX_TPOT, OPT_MAX_FTL,
    OPT_END
};

static const struct option long_opts[] = {
    {"hardware", required_argument, NULL, OPT_HARDWARE},
    {"prices", required_argument, NULL, OPT_PRICES},
    {"model", required_argument, NULL, OPT_MODEL},
    {"scenarios", required_argument, NULL, OPT_SCENARIOS},
    {"space", required_argument, NULL, OPT_SPACE},
    {"chip", required_argument, NULL, OPT_CHIP},
    {"out", required_argument, NULL, OPT_OUT},
    {"lang", required_argument, NULL, OPT_LANG},
    {"memory-model", required_argument, NULL, OPT_MEMORY_MODEL},
    {"roofline", required_argument, NULL, OPT_ROOFLINE},
    {"tbo", required_argument, NULL, OPT_TBO},
    {"mtp", required_argument, NULL, OPT_MTP},
    {"weight-dtype", required_argument, NULL, OPT_WEIGHT_DTYPE},
    {"kv-dtype", required_argument, NULL, OPT_KV_DTYPE},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"feasible-only", no_argument, NULL, OPT_FEASIBLE_ONLY},
    {"cross", no_argument, NULL, OPT_CROSS},
    {"params", required_argument, NULL, OPT_PARAMS},
    {"out-hardware", required_argument, NULL, OPT_OUT_HARDWARE},
    {"deployments", required_argument, NULL, OPT_DEPLOYMENTS},
    {"phase", required_argument, NULL, OPT_PHASE},
    {"batch", required_argument, NULL, OPT_BATCH},
    {"mla-tp", required_argument, NULL, OPT_MLA_TP},
    {"mla-dp", required_argument, NULL, OPT_MLA_DP},
    {"moe-tp", required_argument, NULL, OPT_MOE_TP},
    {"moe-ep", required_argument, NULL, OPT_MOE_EP},
    {"sp", required_argument, NULL, OPT_SP},
    {"input-len", required_argument, NULL, OPT_INPUT_LEN},
    {"output-len", required_argument, NULL, OPT_OUTPUT_LEN},
    {"max-tpot-ms", required_argument, NULL, OPT_MAX_TPOT},
    {"max-ftl-ms", required_argument, NULL, OPT_MAX_FTL},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}
};

/* Everything the command line says, after parsing and checking. */
typedef struct cli_args {
    cli_cmd cmd;
    const char *hardware, *prices, *model, *scenarios, *space;  /* NULL = default */
    const char **chips;      /* --chip values (borrowed from argv) */
    size_t n_chips;
    const char *out_dir;     /* report only; accepted everywhere */
    const char *lang;
    svp_opts opts;
    svp_format fmt;
    int fmt_given;
    int verbosity;           /* 0 = -q, 1 = default, 2 = -v */
    int feasible_only;
    /* validate and calibrate */
    int cross;
    const char *params, *out_hardware, *deployments;  /* NULL = not given / default */
    /* eval */
    int given[OPT_END - OPT_PHASE]; /* which eval options appeared */
    svp_phase phase;
    svp_config cfg;
    int input_len, output_len;
    double max_tpot_ms, max_ftl_ms;
} cli_args;

/* The files in force (defaults resolved). */
typedef struct cli_paths {
    char hardware[PATH_LEN], model[PATH_LEN], scenarios[PATH_LEN], space[PATH_LEN];
    char prices[PATH_LEN], templates[PATH_LEN], deployments[PATH_LEN];
} cli_paths;

/* The tables a command works on.  Owned; freed by data_fini. */
typedef struct cli_data {
    svp_hw_table hw;
    svp_model model;
    svp_scenario_table scen;
    svp_space space;
} cli_data;

/* ---- Diagnostics -------------------------------------------------------- */

/* The one place a diagnostic is printed:
 *     servplan: FILE:LINE: column 'NAME': MSG
 * with ":LINE" omitted when line is 0 and the column part when it is empty. */
static void print_diag(svp_err err, const svp_diag *d)
{
    fputs("servplan: ", stderr);
    if (d->file[0] != '\0') {
        fputs(d->file, stderr);
        if (d->line > 0)
            fprintf(stderr, ":%ld", d->line);
        fputs(": ", stderr);
    }
    if (d->column[0] != '\0')
        fprintf(stderr, "column '%s': ", d->column);
    fprintf(stderr, "%s\n", d->msg[0] != '\0' ? d->msg : svp_strerror(err));
}

/* The exit code of a failed command, its diagnostic printed, except for a
 * write error on stdout: finish_stdout reports that one, once. */
static int fail_code(svp_err err, const svp_diag *d)
{
    if (err == SVP_ERR_IO && ferror(stdout))
        return SVP_EXIT_IO;
    print_diag(err, d);
    return svp_err_exit_code(err);
}

/* A usage error: the message, then where to look.  Returns SVP_EXIT_USAGE. */
static PRINTF_LIKE(1, 2) int usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("servplan: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'servplan --help'.\n", stderr);
    return SVP_EXIT_USAGE;
}

/* A non-error remark to stderr, silenced by -q. */
static PRINTF_LIKE(2, 3) void note(const cli_args *a, const char *fmt, ...)
{
    va_list ap;

    if (a->verbosity < 1)
        return;
    fputs("servplan: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void print_usage(FILE *f)
{
    fputs(
"Usage: servplan [COMMAND] [OPTIONS]\n"
"Plan the deployment of an MoE model (DeepSeek-V3) on accelerators: the\n"
"parallel layout and batch with the most tokens/s per chip under the SLO.\n"
"\n"
"Commands:\n"
"  report      full search for every chip and scenario -> workbook + charts (default)\n"
"  plan        the optimal plan of every chip and scenario to stdout\n"
"  eval        one fully specified configuration: every metric and the per-operator breakdown\n"
"  sweep       every evaluated configuration with its metrics or why it is infeasible\n"
"  validate    predicted vs measured for the published deployments\n"
"  calibrate   fit one chip's efficiency parameters to measured deployments\n"
"\n"
"Input (default: data/ in the current directory if data/hardware.csv is there,\n"
"else " SVP_DATADIR "/data/):\n"
"  --hardware FILE     chips (data/hardware.csv)\n"
"  --prices FILE       chip prices (data/prices.csv)\n"
"  --model FILE        model architecture (data/models/deepseek-v3.csv)\n"
"  --scenarios FILE    workloads and SLOs (data/scenarios.csv)\n"
"  --space FILE        search grids (data/search-space.csv)\n"
"  --chip NAME         only this chip (repeatable; eval: exactly one)\n"
"\n"
"Model switches:\n"
"  --memory-model physical|seed   DRAM per chip: MODEL.md section 7, or seed Art.3 2a\n"
"  --roofline per-op|global       step time: sum of per-operator rooflines, or\n"
"                                 seed Art.5 max(T_comp, T_mem) + T_comm\n"
"  --tbo on|off|auto              two-batch overlap (default off)\n"
"  --mtp K:L                      multi-token prediction: K draft tokens, L tokens\n"
"                                 accepted per step (1 <= L <= K+1; default 0:1)\n"
"  --weight-dtype fp8|int8|bf16|fp4   weight storage (default fp8)\n"
"  --kv-dtype bf16|fp8|int8       KV cache storage (default bf16)\n"
"\n"
"Output:\n"
"  --format text|csv|json   plan and eval: text (default); sweep: csv (default) or json\n"
"  --feasible-only          sweep: only feasible configurations\n"
"  --out DIR                report: output folder (default out/)\n"
"  --lang en|zh             report: language of the labels\n"
"\n"
"validate and calibrate (measured deployments; each row sets TBO, MTP, dtypes):\n"
"  --deployments FILE  measurements (data/deployments.csv)\n"
"  --cross             validate: also leave-one-out (each row predicted by\n"
"                      parameters fitted on the other rows of its chip)\n"
"  --params LIST       calibrate: parameters to fit, comma-separated (default:\n"
"                      fewer than the chip's rows, most uncertain first)\n"
"  --out-hardware FILE calibrate: write the hardware table with the fitted values\n"
"  -q, --quiet              no remarks on stderr, only errors\n"
"  -v, --verbose            search statistics on stderr\n"
"  -h, --help               this text\n"
"  -V, --version            the version\n"
"\n"
"eval (one configuration; degrees count ranks):\n"
"  --phase decode|prefill --batch N --mla-tp N --mla-dp N --moe-tp N --moe-ep N\n"
"                     required, with exactly one --chip\n"
"  --sp N             sequence parallelism (default 1)\n"
"  --input-len N      prompt tokens (default 4096)\n"
"  --output-len N     generated tokens, decode only (default 1024)\n"
"  --max-tpot-ms X    decode SLO; --max-ftl-ms X  prefill SLO (default: the first\n"
"                     scenario with the same phase and input length, else 100 / 3000)\n"
"\n"
"Exit status: 0 done, 1 I/O or internal error, 2 bad usage, 3 bad input data,\n"
"4 no feasible configuration (plan: for no chip and scenario; eval: this one).\n",
        f);
}

/* ---- Parsing ------------------------------------------------------------ */

static const char *opt_name(int code)
{
    size_t i;

    for (i = 0; long_opts[i].name != NULL; i++) {
        if (long_opts[i].val == code)
            return long_opts[i].name;
    }
    return "?";
}

/* A positive int filling the whole of s. */
static int parse_pos_int(int code, const char *s, int *out)
{
    long v;

    if (svp_csv_parse_long(s, &v) != 0 || v <= 0 || v > INT_MAX) {
        usage_error("option --%s: expected a positive integer, got \"%s\"", opt_name(code), s);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* A positive finite real filling the whole of s. */
static int parse_pos_double(int code, const char *s, double *out)
{
    double v;

    if (svp_csv_parse_double(s, &v) != 0 || !(v > 0.0)) {
        usage_error("option --%s: expected a positive number, got \"%s\"", opt_name(code), s);
        return -1;
    }
    *out = v;
    return 0;
}

/* --mtp K:L with K >= 0 an integer and 1 <= L <= K + 1 (MODEL.md section 8);
 * K = 0 therefore forces L = 1. */
static int parse_mtp(const char *s, svp_opts *o)
{
    char k_text[32];
    const char *colon = strchr(s, ':');
    size_t k_len;
    long k;
    double l;

    if (colon == NULL || (k_len = (size_t)(colon - s)) == 0 || k_len >= sizeof k_text)
        goto bad;
    memcpy(k_text, s, k_len);
    k_text[k_len] = '\0';
    if (svp_csv_parse_long(k_text, &k) != 0 || k < 0 || k > INT_MAX - 1 ||
        svp_csv_parse_double(colon + 1, &l) != 0)
        goto bad;
    if (l < 1.0 || l > (double)k + 1.0) {
        usage_error("option --mtp: the accept length L must satisfy 1 <= L <= K+1 = %ld, "
                    "got \"%s\"", k + 1, s);
        return -1;
    }
    o->mtp_draft = (int)k;
    o->mtp_accept = l;
    return 0;
bad:
    usage_error("option --mtp: expected K:L (K draft tokens >= 0, L accepted tokens "
                "per step), got \"%s\"", s);
    return -1;
}

/* One of a fixed list of words; prints the usage error itself. */
static int parse_word(int code, const char *s, const char *const *words, size_t n,
                      int *out)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(s, words[i]) == 0) {
            *out = (int)i;
            return 0;
        }
    }
    fprintf(stderr, "servplan: option --%s: expected ", opt_name(code));
    for (i = 0; i < n; i++)
        fprintf(stderr, "%s%s", words[i], i + 2 < n ? ", " : i + 1 < n ? " or " : "");
    fprintf(stderr, ", got \"%s\"\nTry 'servplan --help'.\n", s);
    return -1;
}

static int parse_dtype(int code, const char *s, int kv, svp_dtype *out)
{
    static const char *const weight_words[] = {"fp8", "int8", "bf16", "fp4"};
    static const char *const kv_words[] = {"bf16", "fp8", "int8"};
    int i;

    if (kv) {
        if (parse_word(code, s, kv_words, 3, &i) != 0)
            return -1;
    } else if (parse_word(code, s, weight_words, 4, &i) != 0) {
        return -1;
    }
    /* The words are the dtype names of hw.h. */
    return svp_dtype_parse(s, out);
}

/* One option.  Returns 0, or an exit code (> 0) to stop with, or -1 for
 * "exit 0 now" (help, version). */
static int take_option(cli_args *a, int c, const char *arg)
{
    static const char *const memory_words[] = {"physical", "seed"};
    static const char *const roof_words[] = {"per-op", "global"};
    static const char *const tbo_words[] = {"off", "on", "auto"};
    static const char *const lang_words[] = {"en", "zh"};
    static const char *const phase_words[] = {"decode", "prefill"};
    static const char *const format_words[] = {"text", "csv", "json"};
    int w;

    if (c >= OPT_PHASE && c < OPT_END)
        a->given[c - OPT_PHASE] = 1;
    switch (c) {
    case 'h':
        print_usage(stdout);
        return -1;
    case 'V':
        fputs("servplan " SVP_VERSION "\n", stdout);
        return -1;
    case 'q': a->verbosity = 0; return 0;
    case 'v': a->verbosity = 2; return 0;
    case OPT_HARDWARE:  a->hardware = arg; return 0;
    case OPT_PRICES:    a->prices = arg; return 0;
    case OPT_MODEL:     a->model = arg; return 0;
    case OPT_SCENARIOS: a->scenarios = arg; return 0;
    case OPT_SPACE:     a->space = arg; return 0;
    case OPT_CHIP:      a->chips[a->n_chips++] = arg; return 0;
    case OPT_OUT:       a->out_dir = arg; return 0;
    case OPT_FEASIBLE_ONLY: a->feasible_only = 1; return 0;
    case OPT_CROSS:     a->cross = 1; return 0;
    case OPT_PARAMS:    a->params = arg; return 0;
    case OPT_OUT_HARDWARE: a->out_hardware = arg; return 0;
    case OPT_DEPLOYMENTS:  a->deployments = arg; return 0;
    case OPT_LANG:
        if (parse_word(c, arg, lang_words, 2, &w) != 0)
            return SVP_EXIT_USAGE;
        a->lang = arg;
        return 0;
    case OPT_MEMORY_MODEL:
        if (parse_word(c, arg, memory_words, 2, &w) != 0)
            return SVP_EXIT_USAGE;
        a->opts.memory_model = w == 0 ? SVP_MEM_PHYSICAL : SVP_MEM_SEED;
        return 0;
    case OPT_ROOFLINE:
        if (parse_word(c, arg, roof_words, 2, &w) != 0)
            return SVP_EXIT_USAGE;
        a->opts.roofline = w == 0 ? SVP_ROOF_PER_OP : SVP_ROOF_GLOBAL;
        return 0;
    case OPT_TBO:
        if (parse_word(c, arg, tbo_words, 3, &w) != 0)
            return SVP_EXIT_USAGE;
        a->opts.tbo = w == 0 ? SVP_TBO_OFF : w == 1 ? SVP_TBO_ON : SVP_TBO_AUTO;
        return 0;
    case OPT_MTP:
        return parse_mtp(arg, &a->opts) != 0 ? SVP_EXIT_USAGE : 0;
    case OPT_WEIGHT_DTYPE:
        return parse_dtype(c, arg, 0, &a->opts.weight_dtype) != 0 ? SVP_EXIT_USAGE : 0;
    case OPT_KV_DTYPE:
        return parse_dtype(c, arg, 1, &a->opts.kv_dtype) != 0 ? SVP_EXIT_USAGE : 0;
    case OPT_FORMAT:
        if (parse_word(c, arg, format_words, 3, &w) != 0 || svp_format_parse(arg, &a->fmt) != 0)
            return SVP_EXIT_USAGE;
        a->fmt_given = 1;
        return 0;
    case OPT_PHASE:
        if (parse_word(c, arg, phase_words, 2, &w) != 0)
            return SVP_EXIT_USAGE;
        a->phase = w == 0 ? SVP_PHASE_DECODE : SVP_PHASE_PREFILL;
        return 0;
    case OPT_BATCH:      return parse_pos_int(c, arg, &a->cfg.batch) ? SVP_EXIT_USAGE : 0;
    case OPT_MLA_TP:     return parse_pos_int(c, arg, &a->cfg.mla_tp) ? SVP_EXIT_USAGE : 0;
    case OPT_MLA_DP:     return parse_pos_int(c, arg, &a->cfg.mla_dp) ? SVP_EXIT_USAGE : 0;
    case OPT_MOE_TP:     return parse_pos_int(c, arg, &a->cfg.moe_tp) ? SVP_EXIT_USAGE : 0;
    case OPT_MOE_EP:     return parse_pos_int(c, arg, &a->cfg.moe_ep) ? SVP_EXIT_USAGE : 0;
    case OPT_SP:         return parse_pos_int(c, arg, &a->cfg.sp) ? SVP_EXIT_USAGE : 0;
    case OPT_INPUT_LEN:  return parse_pos_int(c, arg, &a->input_len) ? SVP_EXIT_USAGE : 0;
    case OPT_OUTPUT_LEN: return parse_pos_int(c, arg, &a->output_len) ? SVP_EXIT_USAGE : 0;
    case OPT_MAX_TPOT:   return parse_pos_double(c, arg, &a->max_tpot_ms) ? SVP_EXIT_USAGE : 0;
    case OPT_MAX_FTL:    return parse_pos_double(c, arg, &a->max_ftl_ms) ? SVP_EXIT_USAGE : 0;
    default:
        break;
    }
    return usage_error("internal: unhandled option %d", c);
}

static int given(const cli_args *a, int code)
{
    return a->given[code - OPT_PHASE];
}

/* Command-specific checks after every option is in.  0 or SVP_EXIT_USAGE. */
static int check_args(cli_args *a)
{
    static const int required[] = {OPT_PHASE, OPT_BATCH, OPT_MLA_TP, OPT_MLA_DP,
                                   OPT_MOE_TP, OPT_MOE_EP};
    char missing[256] = "";
    size_t i, len = 0;

    if (a->cmd != CMD_EVAL) {
        int c;

        for (c = OPT_PHASE; c < OPT_END; c++) {
            if (given(a, c))
                return usage_error("option --%s is only for 'eval', not '%s'", opt_name(c),
                                   cmd_names[a->cmd]);
        }
    }
    if (a->feasible_only && a->cmd != CMD_SWEEP)
        return usage_error("option --feasible-only is only for 'sweep', not '%s'",
                           cmd_names[a->cmd]);
    if (a->cross && a->cmd != CMD_VALIDATE)
        return usage_error("option --cross is only for 'validate', not '%s'", cmd_names[a->cmd]);
    if ((a->params != NULL || a->out_hardware != NULL) && a->cmd != CMD_CALIBRATE)
        return usage_error("option --%s is only for 'calibrate', not '%s'",
                           a->params != NULL ? "params" : "out-hardware", cmd_names[a->cmd]);
    if (a->deployments != NULL && a->cmd != CMD_VALIDATE && a->cmd != CMD_CALIBRATE)
        return usage_error("option --deployments is only for 'validate' and 'calibrate', "
                           "not '%s'", cmd_names[a->cmd]);
    if (a->cmd == CMD_CALIBRATE && a->n_chips != 1)
        return usage_error("calibrate fits one chip: give exactly one --chip (got %zu)",
                           a->n_chips);
    if (a->cmd == CMD_SWEEP) {
        if (!a->fmt_given)
            a->fmt = SVP_FMT_CSV;
        else if (a->fmt == SVP_FMT_TEXT)
            return usage_error("sweep writes csv or json, not text");
    }
    if (a->cmd != CMD_EVAL)
        return 0;

    for (i = 0; i < sizeof required / sizeof required[0]; i++) {
        if (!given(a, required[i]))
            len += (size_t)snprintf(missing + len, sizeof missing - len, "%s--%s",
                                    len > 0 ? ", " : "", opt_name(required[i]));
    }
    if (a->n_chips == 0)
        snprintf(missing + len, sizeof missing - len, "%s--chip", len > 0 ? ", " : "");
    if (missing[0] != '\0')
        return usage_error("eval: missing %s", missing);
    if (a->n_chips > 1)
        return usage_error("eval evaluates one chip: give exactly one --chip (got %zu)",
                           a->n_chips);
    if (!given(a, OPT_SP))
        a->cfg.sp = 1;
    if (!given(a, OPT_INPUT_LEN))
        a->input_len = EVAL_DEFAULT_INPUT_LEN;
    if (a->phase == SVP_PHASE_DECODE) {
        if (given(a, OPT_MAX_FTL))
            return usage_error("option --max-ftl-ms is for --phase prefill; decode takes "
                               "--max-tpot-ms");
        if (!given(a, OPT_OUTPUT_LEN))
            a->output_len = EVAL_DEFAULT_OUTPUT_LEN;
    } else {
        if (given(a, OPT_MAX_TPOT))
            return usage_error("option --max-tpot-ms is for --phase decode; prefill takes "
                               "--max-ftl-ms");
        if (given(a, OPT_OUTPUT_LEN))
            return usage_error("option --output-len is for --phase decode (prefill "
                               "generates no tokens)");
        a->output_len = 0;
    }
    return 0;
}

/* Parses argv into *a.  Returns 0 to go on, -1 to exit 0 (help, version),
 * or an exit code. */
static int parse_args(int argc, char **argv, cli_args *a)
{
    int c;

    memset(a, 0, sizeof *a);
    a->opts = svp_opts_default();
    a->verbosity = 1;
    a->fmt = SVP_FMT_TEXT;
    /* argc bounds the number of --chip options. */
    a->chips = svp_calloc((size_t)(argc > 0 ? argc : 1), sizeof *a->chips);
    if (a->chips == NULL) {
        fputs("servplan: out of memory\n", stderr);
        return SVP_EXIT_IO;
    }
    optind = 0;   /* glibc: full re-initialisation, so the function can run again */
    opterr = 0;   /* our own messages, with our own prefix */
    while ((c = getopt_long(argc, argv, ":hVqv", long_opts, NULL)) != -1) {
        int rc;

        if (c == '?') {
            if (optopt != 0)
                return usage_error("unknown option '-%c'", optopt);
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
        if (c == ':')
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        rc = take_option(a, c, optarg);
        if (rc != 0)
            return rc;
    }
    if (optind < argc) {
        size_t i;

        for (i = 0; i < N_CMDS; i++) {
            if (strcmp(argv[optind], cmd_names[i]) == 0)
                break;
        }
        if (i == N_CMDS)
            return usage_error("unknown command '%s' (commands: report, plan, eval, sweep, "
                               "validate, calibrate)", argv[optind]);
        a->cmd = (cli_cmd)i;
        if (optind + 1 < argc)
            return usage_error("unexpected argument '%s' after the command '%s'",
                               argv[optind + 1], argv[optind]);
    } else {
        a->cmd = CMD_REPORT;
    }
    return check_args(a);
}

/* ---- Data --------------------------------------------------------------- */

/* given, or the default file under ./data when ./data/hardware.csv exists,
 * else under SVP_DATADIR/data. */
static void resolve(char *dst, const char *given_path, const char *rel, int local)
{
    if (given_path != NULL)
        snprintf(dst, PATH_LEN, "%s", given_path);
    else if (local)
        snprintf(dst, PATH_LEN, "data/%s", rel);
    else
        snprintf(dst, PATH_LEN, "%s/data/%s", SVP_DATADIR, rel);
}

static void resolve_paths(const cli_args *a, cli_paths *p)
{
    int local = access("data/hardware.csv", F_OK) == 0;

    resolve(p->hardware, a->hardware, "hardware.csv", local);
    resolve(p->model, a->model, "models/deepseek-v3.csv", local);
    resolve(p->scenarios, a->scenarios, "scenarios.csv", local);
    resolve(p->space, a->space, "search-space.csv", local);
    resolve(p->prices, a->prices, "prices.csv", local);
    resolve(p->deployments, a->deployments, "deployments.csv", local);
    /* templates/ sits beside data/ in the source tree and when installed. */
    snprintf(p->templates, PATH_LEN, "%s", local ? "templates" : SVP_DATADIR "/templates");
}

static void data_fini(cli_data *dt)
{
    svp_hw_table_fini(&dt->hw);
    svp_scenario_table_fini(&dt->scen);
    svp_space_fini(&dt->space);
}

/* Each --chip must name a row of the hardware table. */
static int check_chips(const cli_args *a, const svp_hw_table *hw)
{
    size_t i, k;

    for (i = 0; i < a->n_chips; i++) {
        if (svp_hw_find(hw, a->chips[i]) != NULL)
            continue;
        fprintf(stderr, "servplan: unknown chip '%s'; known chips:", a->chips[i]);
        for (k = 0; k < hw->n; k++)
            fprintf(stderr, "%s %s", k > 0 ? "," : "", hw->rows[k].name);
        fputs("\n", stderr);
        return SVP_EXIT_USAGE;
    }
    return 0;
}

/* Is row i of the hardware table selected by the --chip filter? */
static int chip_selected(const cli_args *a, const svp_hw *hw)
{
    size_t i;

    if (a->n_chips == 0)
        return 1;
    for (i = 0; i < a->n_chips; i++) {
        if (strcmp(a->chips[i], hw->name) == 0)
            return 1;
    }
    return 0;
}

/* Reads what the command needs.  0, or the exit code of the failure (its
 * diagnostic printed). */
static int load(const cli_args *a, const cli_paths *p, int want_scen, int want_space,
                cli_data *dt)
{
    svp_diag d;
    svp_err err;

    svp_diag_clear(&d);
    err = svp_read_hardware(p->hardware, &dt->hw, &d);
    if (err == SVP_OK && check_chips(a, &dt->hw) != 0)
        return SVP_EXIT_USAGE;
    if (err == SVP_OK)
        err = svp_read_model(p->model, &dt->model, &d);
    /* Drafting needs an MTP module to draft with. */
    if (err == SVP_OK && a->opts.mtp_draft > 0 && dt->model.n_mtp_modules == 0) {
        fprintf(stderr, "servplan: --mtp: the model in %s has no MTP module "
                        "(num_nextn_predict_layers 0)\n", p->model);
        return SVP_EXIT_USAGE;
    }
    if (err == SVP_OK && want_scen)
        err = svp_read_scenarios(p->scenarios, &dt->scen, &d);
    if (err == SVP_OK && want_space)
        err = svp_read_space(p->space, &dt->space, &d);
    if (err != SVP_OK) {
        print_diag(err, &d);
        return svp_err_exit_code(err);
    }
    return 0;
}

/* ---- plan --------------------------------------------------------------- */

/* What a chip without a feasible plan for a scenario is reported with: the
 * last check of svp_reason's order that some configuration reached and
 * failed, i.e. how far the best attempts got (DRAM fits but the SLO does
 * not -> "slo").  With nothing evaluated it is the chip-count check. */
static svp_reason furthest_reason(const svp_search_stats *st)
{
    int i;

    for (i = SVP_REASON_COUNT - 1; i > SVP_FEASIBLE; i--) {
        if (st->by_reason[i] > 0.0)
            return (svp_reason)i;
    }
    return SVP_INF_CHIP_COUNT;
}

static void verbose_stats(const cli_args *a, const svp_hw *hw, const svp_scenario *s,
                          const svp_search_stats *st, int found)
{
    if (a->verbosity < 2)
        return;
    fprintf(stderr, "servplan: %s / %s: %.0f combinations, %ld evaluated, %.0f feasible%s\n",
            hw->name, s->name, st->combinations, st->evaluated,
            st->by_reason[SVP_FEASIBLE], found ? "" : " (no plan)");
}

static int cmd_plan(const cli_args *a, const cli_paths *paths, cli_data *dt)
{
    svp_plan *best = NULL;
    svp_search_stats *stats = NULL;
    svp_plan_row *rows = NULL;
    svp_printer pr;
    svp_diag d;
    svp_err err = SVP_OK;
    size_t n = dt->scen.n, ci, si;
    size_t n_alloc = n > 0 ? n : 1;   /* the reader never returns 0 rows; stay safe */
    long n_found = 0, n_pairs = 0;
    int rc = SVP_EXIT_OK;

    svp_diag_clear(&d);
    best = svp_calloc(n_alloc, sizeof *best);
    stats = svp_calloc(n_alloc, sizeof *stats);
    rows = svp_calloc(n_alloc, sizeof *rows);
    if (best == NULL || stats == NULL || rows == NULL) {
        err = svp_diag_set(&d, SVP_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto fail;
    }
    svp_printer_init(&pr, stdout, a->fmt, "standard output", &a->opts, paths->space);
    if (a->fmt == SVP_FMT_TEXT)
        err = svp_print_plan_text_header(&pr, &dt->model, &d);
    else
        err = svp_print_rows_begin(&pr, &d);
    if (err != SVP_OK)
        goto fail;

    for (ci = 0; ci < dt->hw.n; ci++) {
        const svp_hw *hw = &dt->hw.rows[ci];

        if (!chip_selected(a, hw))
            continue;
        for (si = 0; si < n; si++) {
            svp_problem pb;
            int found;

            pb.hw = hw;
            pb.model = &dt->model;
            pb.scen = &dt->scen.rows[si];
            pb.space = &dt->space;
            pb.opts = &a->opts;
            memset(&best[si], 0, sizeof best[si]);
            found = svp_search(&pb, NULL, NULL, &best[si], &stats[si]);
            verbose_stats(a, hw, pb.scen, &stats[si], found == 1);
            n_pairs++;
            memset(&rows[si], 0, sizeof rows[si]);
            rows[si].hw = hw;
            rows[si].scen = pb.scen;
            rows[si].stats = &stats[si];
            if (found == 1) {
                n_found++;
                rows[si].cfg = &best[si].cfg;
                rows[si].m = &best[si].m;
                rows[si].reason = best[si].m.reason;
                rows[si].edges = svp_plan_edges(&dt->space, &best[si].cfg);
            } else {
                rows[si].reason = furthest_reason(&stats[si]);
            }
            if (a->fmt != SVP_FMT_TEXT && (err = svp_print_row(&pr, &rows[si], &d)) != SVP_OK)
                goto fail;
        }
        if (a->fmt == SVP_FMT_TEXT && (err = svp_print_plan_text_chip(&pr, hw, rows, n, &d)) != SVP_OK)
            goto fail;
    }
    if (a->fmt != SVP_FMT_TEXT && (err = svp_print_rows_end(&pr, &d)) != SVP_OK)
        goto fail;
    if (n_found == 0) {
        note(a, "no feasible configuration for any of the %ld chip x scenario pairs", n_pairs);
        rc = SVP_EXIT_NOPLAN;
    }
fail:
    if (err != SVP_OK) {
        rc = fail_code(err, &d);
    }
    svp_free(best);
    svp_free(stats);
    svp_free(rows);
    return rc;
}

/* ---- sweep -------------------------------------------------------------- */

typedef struct sweep_ctx {
    svp_printer *pr;
    const svp_hw *hw;
    const svp_scenario *scen;
    int feasible_only;
    svp_err err;
    svp_diag *d;
} sweep_ctx;

/* Writes each configuration as the search meets it; a failed write stops
 * the search. */
static int sweep_visit(void *ctx, const svp_plan *p)
{
    sweep_ctx *sc = ctx;
    svp_plan_row row;

    if (sc->feasible_only && p->m.reason != SVP_FEASIBLE)
        return 0;
    memset(&row, 0, sizeof row);
    row.hw = sc->hw;
    row.scen = sc->scen;
    row.cfg = &p->cfg;
    row.m = &p->m;
    row.reason = p->m.reason;
    sc->err = svp_print_row(sc->pr, &row, sc->d);
    return sc->err != SVP_OK;
}

static int cmd_sweep(const cli_args *a, const cli_paths *paths, cli_data *dt)
{
    svp_printer pr;
    svp_diag d;
    svp_err err;
    sweep_ctx ctx;
    size_t ci, si;

    svp_diag_clear(&d);
    svp_printer_init(&pr, stdout, a->fmt, "standard output", &a->opts, paths->space);
    err = svp_print_rows_begin(&pr, &d);
    for (ci = 0; err == SVP_OK && ci < dt->hw.n; ci++) {
        const svp_hw *hw = &dt->hw.rows[ci];

        if (!chip_selected(a, hw))
            continue;
        for (si = 0; err == SVP_OK && si < dt->scen.n; si++) {
            svp_problem pb;
            svp_search_stats st;
            int found;

            pb.hw = hw;
            pb.model = &dt->model;
            pb.scen = &dt->scen.rows[si];
            pb.space = &dt->space;
            pb.opts = &a->opts;
            ctx.pr = &pr;
            ctx.hw = hw;
            ctx.scen = pb.scen;
            ctx.feasible_only = a->feasible_only;
            ctx.err = SVP_OK;
            ctx.d = &d;
            found = svp_search(&pb, sweep_visit, &ctx, NULL, &st);
            if (found < 0)
                err = ctx.err != SVP_OK ? ctx.err
                                        : svp_diag_set(&d, SVP_ERR_INTERNAL, NULL, 0, NULL,
                                                       "the search stopped unexpectedly");
            else
                verbose_stats(a, hw, pb.scen, &st, found == 1);
        }
    }
    if (err == SVP_OK)
        err = svp_print_rows_end(&pr, &d);
    return err != SVP_OK ? fail_code(err, &d) : SVP_EXIT_OK;
}

/* ---- eval --------------------------------------------------------------- */

/* The scenario eval runs: lengths from the command line (or defaults), SLO
 * from the command line, else from the first scenario of the file with the
 * same phase and input length, else seed Art.3's.  *src says which. */
static void eval_scenario(const cli_args *a, const cli_paths *paths, const cli_data *dt,
                          svp_scenario *s, char *src, size_t src_size)
{
    const svp_scenario *match = NULL;
    size_t i;
    int decode = a->phase == SVP_PHASE_DECODE;
    int slo_given = decode ? given(a, OPT_MAX_TPOT) : given(a, OPT_MAX_FTL);

    memset(s, 0, sizeof *s);
    s->phase = a->phase;
    s->input_len = a->input_len;
    s->output_len = a->output_len;
    for (i = 0; i < dt->scen.n; i++) {
        const svp_scenario *r = &dt->scen.rows[i];

        if (r->phase == a->phase && r->input_len == a->input_len) {
            match = r;
            break;
        }
    }
    if (match != NULL && match->output_len == a->output_len)
        snprintf(s->name, sizeof s->name, "%s", match->name);
    else if (decode)
        snprintf(s->name, sizeof s->name, "decode-%din-%dout", a->input_len, a->output_len);
    else
        snprintf(s->name, sizeof s->name, "prefill-%din", a->input_len);

    if (slo_given) {
        s->max_tpot_s = decode ? a->max_tpot_ms * SVP_MS : 0.0;
        s->max_ftl_s = decode ? 0.0 : a->max_ftl_ms * SVP_MS;
        snprintf(src, src_size, "command line (%s)", decode ? "--max-tpot-ms" : "--max-ftl-ms");
    } else if (match != NULL) {
        s->max_tpot_s = match->max_tpot_s;
        s->max_ftl_s = match->max_ftl_s;
        snprintf(src, src_size, "scenario '%s' of %s", match->name, paths->scenarios);
    } else {
        s->max_tpot_s = decode ? EVAL_DEFAULT_TPOT_MS * SVP_MS : 0.0;
        s->max_ftl_s = decode ? 0.0 : EVAL_DEFAULT_FTL_MS * SVP_MS;
        snprintf(src, src_size, "default of seed Art.3 (no %s scenario with %d input tokens in %s)",
                 svp_phase_name(a->phase), a->input_len, paths->scenarios);
    }
    snprintf(s->source, sizeof s->source, "servplan eval");
}

static int cmd_eval(const cli_args *a, const cli_paths *paths, cli_data *dt)
{
    svp_scenario scen;
    svp_metrics m;
    svp_breakdown *bd = NULL;
    svp_plan_row row;
    svp_printer pr;
    svp_diag d;
    svp_err err;
    char slo_src[PATH_LEN + 256];
    const svp_hw *hw = svp_hw_find(&dt->hw, a->chips[0]);
    int rc = SVP_EXIT_OK;

    svp_diag_clear(&d);
    /* ~40 records of ~80 bytes: small, but kept off the stack anyway. */
    bd = svp_calloc(1, sizeof *bd);
    if (bd == NULL) {
        err = svp_diag_set(&d, SVP_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto fail;
    }
    eval_scenario(a, paths, dt, &scen, slo_src, sizeof slo_src);
    memset(&m, 0, sizeof m);
    svp_eval(hw, &dt->model, &scen, &a->cfg, &a->opts, &m, bd);
    if (!m.has_metrics)
        bd->n = 0;
    memset(&row, 0, sizeof row);
    row.hw = hw;
    row.scen = &scen;
    row.cfg = &a->cfg;
    row.m = &m;
    row.reason = m.reason;
    row.slo_source = slo_src;
    svp_printer_init(&pr, stdout, a->fmt, "standard output", &a->opts, NULL);
    err = svp_print_eval(&pr, &row, bd, &d);
    if (err == SVP_OK && m.reason != SVP_FEASIBLE) {
        note(a, "the configuration is infeasible (%s): %s", svp_reason_code(m.reason),
             svp_reason_text(m.reason));
        rc = SVP_EXIT_NOPLAN;
    }
fail:
    if (err != SVP_OK) {
        rc = fail_code(err, &d);
    }
    svp_free(bd);
    return rc;
}

/* ---- report ------------------------------------------------------------- */

/* The Latin and CJK fonts make deps installs (fonts-dejavu-core,
 * fonts-wqy-microhei); WenQuanYi Micro Hei carries Latin glyphs too. */
static const char *font_for(const char *lang)
{
    return strcmp(lang, "zh") == 0 ? SVP_CJK_FONT : "DejaVu Sans";
}

static int cmd_report(const cli_args *a, const cli_paths *paths, cli_data *dt)
{
    const char *lang = a->lang ? a->lang : "en";
    const char *out_dir = a->out_dir ? a->out_dir : "out";
    svp_price_table prices = {0};
    svp_strings tr = {0};
    svp_analysis an = {0};
    const svp_hw **chips = NULL;
    svp_deployment_table deps = {0};
    svp_val_row *val_rows = NULL;
    svp_val_summary val_sum;
    svp_input_file files[6] = {
        {.role = "hardware", .path = paths->hardware},
        {.role = "prices", .path = paths->prices},
        {.role = "model", .path = paths->model},
        {.role = "scenarios", .path = paths->scenarios},
        {.role = "space", .path = paths->space},
        {.role = "deployments", .path = paths->deployments},
    };
    /* The deployments file is cited only when it is used. */
    int with_deps = a->deployments != NULL || access(paths->deployments, F_OK) == 0;
    size_t n_files = sizeof files / sizeof files[0] - (with_deps ? 0 : 1);
    svp_diag d;
    svp_err err;
    size_t n = 0;

    svp_diag_clear(&d);
    err = svp_read_prices(paths->prices, &prices, &d);
    if (err == SVP_OK)
        err = svp_strings_load(paths->templates, lang, svp_report_keys, &tr, &d);
    /* The charts' labels come from the same file; a missing one is as much
     * an error as a missing workbook label. */
    for (size_t i = 0; err == SVP_OK && svp_chart_required[i] != NULL; i++)
        if (strcmp(svp_tr(&tr, svp_chart_required[i]), svp_chart_required[i]) == 0)
            err = svp_diag_set(&d, SVP_ERR_DATA, paths->templates, 0, NULL,
                               "%s.csv: missing key '%s'", lang, svp_chart_required[i]);
    for (size_t i = 0; err == SVP_OK && i < n_files; i++)
        err = svp_sha256_file(files[i].path, files[i].sha256, &d);
    if (err != SVP_OK)
        goto done;
    /* A price row for a chip that is not in the table is not an error:
     * users pass a subset of chips with --hardware. */
    for (size_t i = 0; i < prices.n && a->verbosity > 1; i++)
        if (svp_hw_find(&dt->hw, prices.rows[i].chip) == NULL)
            note(a, "%s: price row for '%s' matches no chip of %s; ignored", paths->prices,
                 prices.rows[i].chip, paths->hardware);

    chips = svp_calloc(dt->hw.n, sizeof *chips);
    if (chips == NULL) {
        err = svp_diag_set(&d, SVP_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < dt->hw.n; i++)
        if (chip_selected(a, &dt->hw.rows[i]))
            chips[n++] = &dt->hw.rows[i];

    svp_analysis_input in = {
        .chips = chips, .n_chips = n, .model = &dt->model, .scenarios = &dt->scen,
        .space = &dt->space, .opts = &a->opts, .prices = &prices, .with_whatif = 1,
    };
    err = svp_analyze(&in, &an);
    if (err != SVP_OK) {
        svp_diag_set(&d, err, NULL, 0, NULL, "out of memory");
        goto done;
    }
    /* Validation: the published deployments, when the file exists.  A
     * missing default file only leaves the Validation sheet empty; a file
     * named with --deployments must exist. */
    if (with_deps) {
        err = svp_read_deployments(paths->deployments, &deps, &d);
        /* Like a price row, a measurement of a chip that is not in the
         * hardware table is not an error (--hardware may name a subset):
         * it is left out of the Validation sheet, said once with -v. */
        size_t kept = 0;
        for (size_t i = 0; err == SVP_OK && i < deps.n; i++) {
            if (svp_hw_find(&dt->hw, deps.rows[i].chip) != NULL)
                deps.rows[kept++] = deps.rows[i];
            else if (a->verbosity > 1)
                note(a, "%s: deployment '%s' is of chip '%s', which is not in %s; left out of "
                     "the validation", paths->deployments, deps.rows[i].id, deps.rows[i].chip,
                     paths->hardware);
        }
        if (err == SVP_OK)
            deps.n = kept;
        if (err == SVP_OK && deps.n > 0) {
            val_rows = svp_calloc(deps.n, sizeof *val_rows);
            if (val_rows == NULL)
                err = svp_diag_set(&d, SVP_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        }
        if (err == SVP_OK && val_rows != NULL)
            err = svp_validate_all(&dt->hw, &dt->model, &deps, &a->opts, 1, val_rows, &val_sum,
                                   &d);
        if (err != SVP_OK)
            goto done;
    }
    svp_report_input r = {
        .an = &an, .in = &in, .tr = &tr, .version = SVP_VERSION,
        .files = files, .n_files = n_files,
        .font_family = font_for(lang),
        .val_rows = val_rows, .n_val = val_rows ? deps.n : 0,
        .val_sum = val_rows ? &val_sum : NULL, .deployments_path = paths->deployments,
    };
    err = svp_report_write(out_dir, &r, &d);
    if (err == SVP_OK && a->verbosity > 0)
        printf("wrote %s/servplan-report.xlsx and %s/charts/ (%zu chips, %zu scenarios)\n",
               out_dir, out_dir, n, dt->scen.n);

done:
    if (err != SVP_OK)
        print_diag(err, &d);
    svp_analysis_fini(&an);
    svp_free(val_rows);
    svp_deployment_table_fini(&deps);
    svp_free(chips);
    svp_strings_fini(&tr);
    svp_price_table_fini(&prices);
    return err == SVP_OK ? SVP_EXIT_OK : svp_err_exit_code(err);
}

/* ---- signals ------------------------------------------------------------ */

/* An interrupted run says so and exits 128 + signal, like a shell; the
 * report writer holds these signals while files are open and delivers them
 * only after removing its temporary files (report.c). */
static void on_signal(int sig)
{
    static const char msg[] = "servplan: interrupted; no partial report was left behind\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    _exit(128 + sig);
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* Past a file-size limit (ulimit -f) a write must fail with EFBIG and be
     * reported, not kill the process with a half-written file. */
    signal(SIGXFSZ, SIG_IGN);
}

/* ---- validate, calibrate -------------------------------------------------- */

/* Hands over to cmd_validate.c (cli_validate.h). */
static int run_validate(const cli_args *a, const cli_paths *paths, const cli_data *dt)
{
    svp_cli_val_args v;

    v.deployments = paths->deployments;
    v.hardware = paths->hardware;
    v.chips = a->chips;
    v.n_chips = a->n_chips;
    v.opts = &a->opts;
    v.fmt = a->fmt;
    v.cross = a->cross;
    v.params = a->params;
    v.out_hardware = a->out_hardware;
    v.verbosity = a->verbosity;
    return a->cmd == CMD_VALIDATE ? svp_cli_validate(&v, &dt->hw, &dt->model)
                                  : svp_cli_calibrate(&v, &dt->hw, &dt->model);
}

/* ---- main --------------------------------------------------------------- */

/* stdout must have reached its file: `servplan plan > /dev/full` is exit 1. */
static int finish_stdout(int rc)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "servplan: standard output: write error: %s\n",
                errno != 0 ? strerror(errno) : "unknown cause");
        clearerr(stdout);
        return SVP_EXIT_IO;
    }
    return rc;
}

int svp_cli_main(int argc, char **argv)
{
    cli_args a;
    cli_paths paths;
    cli_data dt;
    int rc;

    memset(&dt, 0, sizeof dt);
    rc = parse_args(argc, argv, &a);
    if (rc == -1) {
        rc = SVP_EXIT_OK;
        goto done;
    }
    if (rc != 0)
        goto done;

    switch (a.cmd) {
    case CMD_REPORT:
        install_signals();
        resolve_paths(&a, &paths);
        rc = load(&a, &paths, 1, 1, &dt);
        if (rc == 0)
            rc = cmd_report(&a, &paths, &dt);
        goto done;
    case CMD_VALIDATE:
    case CMD_CALIBRATE:
        resolve_paths(&a, &paths);
        rc = load(&a, &paths, 0, 0, &dt);
        if (rc == 0)
            rc = run_validate(&a, &paths, &dt);
        goto done;
    case CMD_PLAN:
    case CMD_SWEEP:
    case CMD_EVAL:
        break;
    }

    resolve_paths(&a, &paths);
    /* eval reads the scenarios only to find a default SLO. */
    rc = load(&a, &paths,
              a.cmd != CMD_EVAL ||
                  !(a.phase == SVP_PHASE_DECODE ? given(&a, OPT_MAX_TPOT) : given(&a, OPT_MAX_FTL)),
              a.cmd != CMD_EVAL, &dt);
    if (rc != 0)
        goto done;
    if (a.cmd == CMD_PLAN)
        rc = cmd_plan(&a, &paths, &dt);
    else if (a.cmd == CMD_SWEEP)
        rc = cmd_sweep(&a, &paths, &dt);
    else
        rc = cmd_eval(&a, &paths, &dt);
done:
    data_fini(&dt);
    svp_free(a.chips);
    return finish_stdout(rc);
}
