/*
 * charts.c - the report's charts (report.h: svp_charts_write): the decode
 * and prefill throughput-vs-latency frontiers with their SLOs, throughput
 * vs batch, communication share vs TP and vs EP, price-performance by
 * vendor, the hardware what-if tornado and, when the report has measured
 * deployments, predicted vs measured throughput (validation), each as
 * NAME.png and NAME.pdf.
 *
 * Edge code on cairo (drawing in chart_plot.c).  It only reads the
 * analysis: every figure comes from svp_analyze; this file picks which
 * numbers go on which axis and converts SI to the units on the labels.
 * Every visible word comes from the templates (keys "chart.*"), with the
 * English defaults below when the report has no strings.  Output is
 * deterministic: PNG has no timestamps, and the PDF's dates are fixed.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>

#include "servplan/alloc.h"
#include "servplan/chart.h"
#include "servplan/report.h"
#include "servplan/units.h"

/* ---- labels ------------------------------------------------------------- */

/* key, English text.  The Chinese texts live in templates/zh.csv. */
#define CHART_KEYS(X)                                                                        \
    X("chart.caption", "servplan {version} · {inputs} · {memory}")                        \
    X("chart.memory.physical", "physical memory model")                                      \
    X("chart.memory.seed", "seed memory model (Art.3 2a)")                                   \
    X("chart.no_data", "No data: no chip has a feasible plan here")                          \
    X("chart.no_scenario", "No decode scenario in the scenario table")                       \
    X("chart.decode_frontier.title", "Decode: throughput per chip vs speed per user ({scenario})") \
    X("chart.decode_frontier.note",                                                          \
      "Pareto frontier of the configurations that fit in DRAM; ring: the optimum; shaded: misses the SLO") \
    X("chart.decode_frontier.x", "Speed per user (output tokens/s)")                         \
    X("chart.decode_frontier.y", "Output tokens/s per chip (log scale)")                     \
    X("chart.decode_frontier.slo", "SLO: ≥ {value} tokens/s per user")                     \
    X("chart.prefill_frontier.title",                                                        \
      "Prefill: throughput per chip vs first-token latency ({scenario})")                    \
    X("chart.prefill_frontier.note",                                                         \
      "Pareto frontier of the configurations that fit in DRAM; ring: the optimum; shaded: misses the SLO") \
    X("chart.prefill_frontier.x", "First-token latency (s, log scale)")                      \
    X("chart.prefill_frontier.y", "Input tokens/s per chip")                                 \
    X("chart.prefill_frontier.slo", "SLO: FTL ≤ {value} s")                                \
    X("chart.tps_vs_batch.title", "Decode throughput per chip vs batch ({scenario})")        \
    X("chart.tps_vs_batch.note",                                                             \
      "Each chip in its optimum's layout; hollow: misses DRAM or the SLO; batches that leave DP ranks idle are omitted") \
    X("chart.tps_vs_batch.x", "Batch (concurrent requests, log scale)")                      \
    X("chart.tps_vs_batch.y", "Output tokens/s per chip (log scale)")                        \
    X("chart.comm_share_tp.title", "Decode: TP AllReduce share of the step vs MLA_TP ({scenario})") \
    X("chart.comm_share_tp.x", "MLA_TP (attention tensor-parallel degree, log scale)")       \
    X("chart.comm_share_tp.y", "AllReduce time / step time (%)")                             \
    X("chart.comm_share_ep.title",                                                           \
      "Decode: EP dispatch + combine share of the step vs MOE_EP ({scenario})")              \
    X("chart.comm_share_ep.x", "MOE_EP (expert-parallel degree, log scale)")                 \
    X("chart.comm_share_ep.y", "Dispatch + combine time / step time (%)")                    \
    X("chart.comm_share.note",                                                               \
      "Best feasible plan at each degree; communication counted in full, hidden by overlap or not") \
    X("chart.price.title", "Price-performance: decode throughput per 1,000 USD ({scenario})") \
    X("chart.price.note", "Bar: midpoint unit price; whisker: from the high to the low price")  \
    X("chart.price.x", "Output tokens/s per chip per 1,000 USD of chip price")               \
    X("chart.price.no_price", "no price")                                                    \
    X("chart.price.no_plan", "no feasible plan")                                             \
    X("chart.whatif.title", "What limits each chip: one resource halved or doubled ({scenario})") \
    X("chart.whatif.note",                                                                   \
      "Change against the optimum (base: output tokens/s per chip), all else unchanged; page {page} of {pages}") \
    X("chart.whatif.x", "Change of output tokens/s per chip (%)")                            \
    X("chart.whatif.halved", "halved")                                                       \
    X("chart.whatif.doubled", "doubled")                                                     \
    X("chart.whatif.no_plan", "no plan")                                                     \
    X("chart.whatif.base", "base {value}")                                             \
    X("chart.resource.compute", "Compute")                                                   \
    X("chart.resource.hbm", "HBM bandwidth")                                                 \
    X("chart.resource.dram", "DRAM capacity")                                                \
    X("chart.resource.scale_up", "Scale-up network")                                         \
    X("chart.resource.scale_out", "Scale-out network")                                       \
    X("chart.validation.title", "Predicted vs measured throughput per chip: published DeepSeek-V3 deployments") \
    X("chart.validation.note", "Median |error| {median} (worst {worst}, {worst_id}); leave-one-out median {loo_median}; {n} of {total} rows plotted") \
    X("chart.validation.note_no_loo", "Median |error| {median} (worst {worst}, {worst_id}); {n} of {total} rows plotted") \
    X("chart.validation.sign", "Error = (predicted − measured) / measured; above y = x servplan is optimistic · {file}") \
    X("chart.validation.x", "Measured tokens/s per chip (log scale)") \
    X("chart.validation.y", "Predicted tokens/s per chip (log scale)") \
    X("chart.validation.decode", "decode (output tok/s)") \
    X("chart.validation.prefill", "prefill (input tok/s)") \
    X("chart.validation.exact", "y = x: exact") \
    X("chart.validation.band", "±{pct} % (median target)") \
    X("chart.validation.lines", "±{pct} % (worst-point target)") \
    X("chart.validation.loo", "leave-one-out, if refitted") \
    X("chart.validation.unplotted", "Not predicted: {ids}") \
    X("chart.validation.no_data", "No deployment could be predicted")

#define KEY_ENTRY(k, e) {k, e},
#define KEY_NAME(k, e) k,

const svp_chart_key svp_chart_keys[] = {CHART_KEYS(KEY_ENTRY){NULL, NULL}};
const char *const svp_chart_required[] = {CHART_KEYS(KEY_NAME) NULL};

/* Fixed PDF dates: two runs on the same inputs must give the same bytes
 * (SPEC.md), and cairo would otherwise stamp the creation time. */
#define PDF_DATE "2025-01-01T00:00:00Z"

#define DEFAULT_FONT "DejaVu Sans"
#define PATH_CAP 4096
#define TEXT_CAP 512

typedef struct ctx {
    const svp_report_input *r;
    const svp_analysis *an;
    const svp_strings *tr;   /* r->tr, or the English defaults */
    const char *font;
    char caption[TEXT_CAP];
    int dec;                 /* index of the first decode scenario, -1 if none */
    char *title;             /* TEXT_CAP bytes: the last chart's title, for the PDF's metadata */
} ctx;

static const char *tr(const ctx *c, const char *key)
{
    return svp_tr(c->tr, key);
}

/* The text of key with {name} -> value (up to two placeholders). */
static const char *trf(const ctx *c, const char *key, char *buf, size_t cap, const char *n1,
                      const char *v1, const char *n2, const char *v2)
{
    const char *names[2] = {n1, n2};
    const char *values[2] = {v1, v2};
    svp_tr_fill(c->tr, key, buf, cap, names, values, n2 != NULL ? 2u : (n1 != NULL ? 1u : 0u));
    return buf;
}

static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The English defaults as an svp_strings (keys sorted for svp_tr's
 * bsearch).  The texts are the literals above, borrowed. */
static svp_err builtin_strings(svp_strings *s)
{
    size_t n = 0, i;
    char **pairs;

    memset(s, 0, sizeof *s);
    while (svp_chart_keys[n].key != NULL)
        n++;
    pairs = svp_calloc(2 * n, sizeof *pairs);
    if (pairs == NULL)
        return SVP_ERR_NOMEM;
    /* Sort an index of the keys, then lay keys and texts out in that order. */
    for (i = 0; i < n; i++)
        pairs[i] = (char *)svp_chart_keys[i].key;
    qsort(pairs, n, sizeof *pairs, cmp_strp);
    for (i = 0; i < n; i++) {
        size_t k = 0;
        while (strcmp(svp_chart_keys[k].key, pairs[i]) != 0)
            k++;
        pairs[n + i] = (char *)svp_chart_keys[k].en;
    }
    snprintf(s->lang, sizeof s->lang, "en");
    s->keys = pairs;
    s->texts = pairs + n;
    s->n = n;
    return SVP_OK;
}

/* The page furniture, remembering the title for the PDF's metadata. */
static void page(const svp_canvas *cv, const ctx *c, const char *title, const char *note,
                 const char *caption, svp_box *area)
{
    snprintf(c->title, TEXT_CAP, "%s", title);
    svp_chart_page(cv, title, note, caption, area);
}

/* ---- data helpers ------------------------------------------------------- */

static int ok_pos(double v)
{
    return isfinite(v) && v > 0.0;
}

typedef struct range { double lo, hi; int any; } range;

static void range_add(range *g, double v)
{
    if (!isfinite(v))
        return;
    if (!g->any || v < g->lo)
        g->lo = v;
    if (!g->any || v > g->hi)
        g->hi = v;
    g->any = 1;
}

/* A chip's series in one chart. */
typedef struct series {
    size_t chip;
    double *x, *y;
    int *hollow;
    size_t n;
    double key;   /* legend order: larger first */
} series;

typedef struct series_set {
    series *s;
    size_t n;
    double *buf;
    int *hbuf;
} series_set;

static void set_fini(series_set *ss)
{
    svp_free(ss->s);
    svp_free(ss->buf);
    svp_free(ss->hbuf);
    memset(ss, 0, sizeof *ss);
}

static svp_err set_init(series_set *ss, size_t n_series, size_t n_points_each)
{
    size_t np = n_points_each ? n_points_each : 1, ns = n_series ? n_series : 1;
    memset(ss, 0, sizeof *ss);
    ss->s = svp_calloc(ns, sizeof *ss->s);
    ss->buf = svp_calloc(2 * ns * np, sizeof *ss->buf);
    ss->hbuf = svp_calloc(ns * np, sizeof *ss->hbuf);
    if (ss->s == NULL || ss->buf == NULL || ss->hbuf == NULL) {
        set_fini(ss);
        return SVP_ERR_NOMEM;
    }
    for (size_t i = 0; i < ns; i++) {
        ss->s[i].x = ss->buf + 2 * i * np;
        ss->s[i].y = ss->buf + (2 * i + 1) * np;
        ss->s[i].hollow = ss->hbuf + i * np;
    }
    return SVP_OK;
}

static int cmp_series(const void *va, const void *vb)
{
    const series *a = va, *b = vb;
    if (a->key != b->key)
        return a->key > b->key ? -1 : 1;
    return a->chip < b->chip ? -1 : (a->chip > b->chip);
}

/* Decoration of a plot, drawn under the grid (on_top 0) and again over it,
 * under the data (on_top 1). */
typedef void (*deco_fn)(const svp_canvas *cv, const svp_plot *p, const void *arg, int on_top);

/* Draws every series and a legend to the right of the plot, in the order
 * of ss (sorted by key). */
static svp_err draw_series_chart(const svp_canvas *cv, const ctx *c, const svp_box *area,
                                 svp_plot *p, series_set *ss, const char *xlabel,
                                 const char *ylabel, deco_fn deco, const void *arg)
{
    svp_legend_item *items = svp_calloc(ss->n ? ss->n : 1, sizeof *items);
    double lw, lw1, lh, ly;
    size_t rows_fit, ncols, rows;

    if (items == NULL)
        return SVP_ERR_NOMEM;
    qsort(ss->s, ss->n, sizeof *ss->s, cmp_series);
    for (size_t i = 0; i < ss->n; i++) {
        items[i].label = c->an->chips[ss->s[i].chip].hw->name;
        items[i].style = svp_chart_style_of((int)ss->s[i].chip);
        items[i].kind = SVP_LEG_LINE;
    }
    /* As many legend columns as the height needs (one up to ~19 chips). */
    lw1 = svp_chart_legend_w(cv, items, ss->n);
    rows_fit = (size_t)((area->y1 - area->y0) / svp_chart_legend_h(1));
    if (rows_fit < 1)
        rows_fit = 1;
    ncols = (ss->n + rows_fit - 1) / rows_fit;
    if (ncols < 1)
        ncols = 1;
    rows = (ss->n + ncols - 1) / ncols;
    lw = (double)ncols * lw1 + (double)(ncols - 1) * 6.0;
    svp_plot_layout(cv, p, area, lw + 10.0);
    if (deco != NULL)
        deco(cv, p, arg, 0);
    svp_plot_axes(cv, p, xlabel, ylabel);
    if (deco != NULL)
        deco(cv, p, arg, 1);
    /* Draw the lowest series first so the strongest chips stay on top. */
    for (size_t i = ss->n; i-- > 0;)
        svp_plot_series(cv, p, ss->s[i].x, ss->s[i].y, ss->s[i].hollow, ss->s[i].n,
                        svp_chart_style_of((int)ss->s[i].chip), 1);
    lh = svp_chart_legend_h(rows);
    ly = p->box.y0 + ((p->box.y1 - p->box.y0) - lh) / 2.0;
    if (ly < area->y0)
        ly = area->y0;
    for (size_t col = 0; col < ncols && col * rows < ss->n; col++) {
        size_t first = col * rows, n = ss->n - first < rows ? ss->n - first : rows;
        svp_chart_legend(cv, p->box.x1 + 10.0 + (double)col * (lw1 + 6.0), ly, items + first, n);
    }
    svp_free(items);
    return SVP_OK;
}

static const svp_scen_result *chip_scen(const svp_chip_result *ch, int s)
{
    return s >= 0 && (size_t)s < ch->n_scen ? &ch->scen[s] : NULL;
}

static const char *scen_name(const ctx *c, int s)
{
    const svp_scen_result *sr = c->an->n_chips > 0 ? chip_scen(&c->an->chips[0], s) : NULL;
    return sr != NULL && sr->scen != NULL ? sr->scen->name : "";
}

/* An SLO value as short as it is exact: 10, 2.5, 13.33. */
static void slo_fmt(double v, char *out, size_t cap)
{
    double step = 1.0;
    while (step > 0.001 && fabs(v / step - floor(v / step + 0.5)) > 1e-6)
        step /= 10.0;
    svp_chart_fmt(v, step, out, cap);
}

/* ---- SLO band ----------------------------------------------------------- */

typedef struct slo_arg {
    double x;            /* the SLO on the x axis */
    int bad_below;       /* 1: x < SLO fails (decode); 0: x > SLO fails (prefill) */
    char label[TEXT_CAP];
} slo_arg;

static void draw_slo(const svp_canvas *cv, const svp_plot *p, const void *varg, int on_top)
{
    cairo_t *cr = cv->cr;
    const slo_arg *a = varg;
    double x;

    if (!on_top) {
        /* Under the grid: shade the failing side. */
        x = svp_plot_x(p, a->x);
        if (!isfinite(x))
            return;
        if (x < p->box.x0)
            x = p->box.x0;
        if (x > p->box.x1)
            x = p->box.x1;
        cairo_save(cr);
        cairo_set_source_rgb(cr, 0.925, 0.925, 0.925);
        if (a->bad_below)
            cairo_rectangle(cr, p->box.x0, p->box.y0, x - p->box.x0, p->box.y1 - p->box.y0);
        else
            cairo_rectangle(cr, x, p->box.y0, p->box.x1 - x, p->box.y1 - p->box.y0);
        cairo_fill(cr);
        cairo_restore(cr);
        return;
    }
    x = svp_plot_x(p, a->x);
    if (!isfinite(x) || x < p->box.x0 || x > p->box.x1)
        return;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
    cairo_set_line_width(cr, 1.3);
    svp_chart_set_dash(cr, 1, 1.3);
    cairo_move_to(cr, x, p->box.y0);
    cairo_line_to(cr, x, p->box.y1);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0.0);

    /* The label goes inside the shaded (failing) band, where data is thin:
     * level when the band is wide enough, along the line when it is only a
     * strip, and beside the line on the passing side when not even that. */
    svp_chart_font(cv, SVP_FONT_NOTE, 1);
    double w = svp_chart_text_w(cv, a->label);
    double band = a->bad_below ? x - p->box.x0 : p->box.x1 - x;
    double tx, ty = p->box.y0 + 5.0;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    if (band >= w + 10.0) {
        tx = a->bad_below ? x - 5.0 - w : x + 5.0;
        svp_chart_text(cv, tx, ty, a->label, 0.0, SVP_VA_TOP);
    } else {
        int inside = band >= SVP_FONT_NOTE + 3.0;
        /* Rotated a quarter turn: reads upwards, its end near the top. */
        double off = SVP_FONT_NOTE * 0.5 + 1.5;
        tx = inside ? (a->bad_below ? x - band / 2.0 : x + band / 2.0)
                    : (a->bad_below ? x + off + 1.0 : x - off - 1.0);
        cairo_save(cr);
        cairo_translate(cr, tx, ty + w);
        cairo_rotate(cr, -3.14159265358979323846 / 2.0);
        if (!inside) {
            /* Over the data: on a white box so it stays legible. */
            cairo_set_source_rgba(cr, 1.0, 1.0, 1.0, 0.85);
            cairo_rectangle(cr, -2.0, -SVP_FONT_NOTE * 0.6, w + 4.0, SVP_FONT_NOTE * 1.2);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        }
        svp_chart_text(cv, 0.0, 0.0, a->label, 0.0, SVP_VA_MIDDLE);
        cairo_restore(cr);
    }
    cairo_restore(cr);
}

/* A ring around each chip's optimum on a frontier chart: the point the
 * report recommends, on the curve of what is possible. */
static void draw_optima(const svp_canvas *cv, const ctx *c, const svp_plot *p, int si, int decode)
{
    cairo_t *cr = cv->cr;
    cairo_save(cr);
    svp_plot_clip(cv, p);
    cairo_set_dash(cr, NULL, 0, 0.0);
    cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
    cairo_set_line_width(cr, 1.1);
    for (size_t i = 0; i < c->an->n_chips; i++) {
        const svp_scen_result *sr = chip_scen(&c->an->chips[i], si);
        if (sr == NULL || !sr->found)
            continue;
        double x = svp_plot_x(p, decode ? sr->best.m.tps_per_user : sr->best.m.ftl_s);
        double y = svp_plot_y(p, sr->best.m.tps_per_chip);
        if (!isfinite(x) || !isfinite(y))
            continue;
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, 6.5, 0.0, 2.0 * 3.14159265358979323846);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

/* The series of a frontier chart: every chip's Pareto points for scenario
 * si, x = TPS/user (decode) or FTL (prefill), y = TPS/chip, skipping values
 * a log axis cannot show; widens gx, gy; *sc receives the scenario (NULL
 * when no chip has it).  ss is initialised here; the caller finis it. */
static svp_err frontier_series(const ctx *c, int si, series_set *ss, range *gx, range *gy,
                               const svp_scenario **sc)
{
    const svp_analysis *an = c->an;
    size_t maxp = 1;
    *sc = NULL;
    for (size_t i = 0; i < an->n_chips; i++) {
        const svp_scen_result *sr = chip_scen(&an->chips[i], si);
        if (sr != NULL && sr->n_pareto > maxp)
            maxp = sr->n_pareto;
    }
    svp_err err = set_init(ss, an->n_chips, maxp);
    if (err != SVP_OK)
        return err;
    for (size_t i = 0; i < an->n_chips; i++) {
        const svp_scen_result *sr = chip_scen(&an->chips[i], si);
        series *s = &ss->s[ss->n];
        if (sr == NULL)
            continue;
        *sc = sr->scen;
        int decode = sr->scen->phase == SVP_PHASE_DECODE;
        s->chip = i;
        s->n = 0;
        s->key = 0.0;
        for (size_t k = 0; k < sr->n_pareto; k++) {
            const svp_metrics *m = &sr->pareto[k].m;
            double x = decode ? m->tps_per_user : m->ftl_s;
            if (!ok_pos(x) || !ok_pos(m->tps_per_chip))
                continue;
            s->x[s->n] = x;
            s->y[s->n] = m->tps_per_chip;
            s->n++;
            range_add(gx, x);
            range_add(gy, m->tps_per_chip);
            if (m->tps_per_chip > s->key)
                s->key = m->tps_per_chip;
        }
        if (s->n > 0)
            ss->n++;
    }
    return SVP_OK;
}

/* ---- 1. decode frontier ------------------------------------------------- */

static svp_err chart_decode_frontier(const svp_canvas *cv, const ctx *c, const void *arg)
{
    char title[TEXT_CAP];
    series_set ss;
    range gx = {0}, gy = {0};
    svp_box area;
    svp_plot p;
    slo_arg slo = {0};
    svp_err err;

    (void)arg;
    trf(c, "chart.decode_frontier.title", title, sizeof title, "scenario", scen_name(c, c->dec),
       NULL, NULL);
    page(cv, c, title, tr(c, "chart.decode_frontier.note"), c->caption, &area);
    if (c->dec < 0) {
        svp_chart_message(cv, &area, tr(c, "chart.no_scenario"));
        return SVP_OK;
    }
    const svp_scenario *sc;
    err = frontier_series(c, c->dec, &ss, &gx, &gy, &sc);
    if (err != SVP_OK)
        return err;
    if (ss.n == 0 || sc == NULL) {
        svp_chart_message(cv, &area, tr(c, "chart.no_data"));
        set_fini(&ss);
        return SVP_OK;
    }
    if (sc->max_tpot_s > 0.0) {
        slo.x = 1.0 / sc->max_tpot_s;
        slo.bad_below = 1;
        char num[32];
        slo_fmt(slo.x, num, sizeof num);
        trf(c, "chart.decode_frontier.slo", slo.label, sizeof slo.label, "value", num, NULL, NULL);
        range_add(&gx, slo.x);
    }
    memset(&p, 0, sizeof p);
    p.kx = SVP_AXIS_LIN;
    p.ky = SVP_AXIS_LOG10;
    svp_chart_ticks(0.0, gx.hi, 7, p.kx, &p.tx);
    svp_chart_ticks(gy.lo, gy.hi, 12, p.ky, &p.ty);
    err = draw_series_chart(cv, c, &area, &p, &ss, tr(c, "chart.decode_frontier.x"),
                            tr(c, "chart.decode_frontier.y"), sc->max_tpot_s > 0.0 ? draw_slo : NULL,
                            &slo);
    if (err == SVP_OK)
        draw_optima(cv, c, &p, c->dec, 1);
    set_fini(&ss);
    return err;
}

/* ---- 2. prefill frontier ------------------------------------------------ */

static svp_err chart_prefill_frontier(const svp_canvas *cv, const ctx *c, const void *arg)
{
    int si = *(const int *)arg;
    char title[TEXT_CAP];
    series_set ss;
    range gx = {0}, gy = {0};
    svp_box area;
    svp_plot p;
    slo_arg slo = {0};
    svp_err err;
    const svp_scenario *sc = NULL;

    trf(c, "chart.prefill_frontier.title", title, sizeof title, "scenario", scen_name(c, si),
       NULL, NULL);
    page(cv, c, title, tr(c, "chart.prefill_frontier.note"), c->caption, &area);
    err = frontier_series(c, si, &ss, &gx, &gy, &sc);
    if (err != SVP_OK)
        return err;
    if (ss.n == 0 || sc == NULL) {
        svp_chart_message(cv, &area, tr(c, "chart.no_data"));
        set_fini(&ss);
        return SVP_OK;
    }
    if (sc->max_ftl_s > 0.0) {
        slo.x = sc->max_ftl_s;
        slo.bad_below = 0;
        char num[32];
        slo_fmt(slo.x, num, sizeof num);
        trf(c, "chart.prefill_frontier.slo", slo.label, sizeof slo.label, "value", num, NULL, NULL);
        range_add(&gx, slo.x);
    }
    memset(&p, 0, sizeof p);
    p.kx = SVP_AXIS_LOG10;
    p.ky = SVP_AXIS_LIN;
    svp_chart_ticks(gx.lo, gx.hi, 12, p.kx, &p.tx);
    svp_chart_ticks(0.0, gy.hi, 7, p.ky, &p.ty);
    err = draw_series_chart(cv, c, &area, &p, &ss, tr(c, "chart.prefill_frontier.x"),
                            tr(c, "chart.prefill_frontier.y"),
                            sc->max_ftl_s > 0.0 ? draw_slo : NULL, &slo);
    if (err == SVP_OK)
        draw_optima(cv, c, &p, si, 0);
    set_fini(&ss);
    return err;
}

/* ---- 3. throughput vs batch --------------------------------------------- */

static svp_err chart_tps_vs_batch(const svp_canvas *cv, const ctx *c, const void *arg)
{
    char title[TEXT_CAP];
    const svp_analysis *an = c->an;
    series_set ss;
    range gx = {0}, gy = {0};
    svp_box area;
    svp_plot p;
    size_t maxp = 1;
    svp_err err;

    (void)arg;
    trf(c, "chart.tps_vs_batch.title", title, sizeof title, "scenario", scen_name(c, c->dec),
       NULL, NULL);
    page(cv, c, title, tr(c, "chart.tps_vs_batch.note"), c->caption, &area);
    if (c->dec < 0) {
        svp_chart_message(cv, &area, tr(c, "chart.no_scenario"));
        return SVP_OK;
    }
    for (size_t i = 0; i < an->n_chips; i++) {
        const svp_scen_result *sr = chip_scen(&an->chips[i], c->dec);
        if (sr != NULL && sr->n_batch > maxp)
            maxp = sr->n_batch;
    }
    err = set_init(&ss, an->n_chips, maxp);
    if (err != SVP_OK)
        return err;
    for (size_t i = 0; i < an->n_chips; i++) {
        const svp_scen_result *sr = chip_scen(&an->chips[i], c->dec);
        series *s = &ss.s[ss.n];
        if (sr == NULL || !sr->found)
            continue;
        s->chip = i;
        s->n = 0;
        s->key = sr->best.m.tps_per_chip;
        for (size_t k = 0; k < sr->n_batch; k++) {
            const svp_sens_row *row = &sr->batch[k];
            const svp_metrics *m = &row->plan.m;
            /* Rows without metrics (idle DP ranks, ...) have nothing to plot. */
            if (!row->found || !m->has_metrics || !ok_pos(m->tps_per_chip) || row->value <= 0)
                continue;
            s->x[s->n] = (double)row->value;
            s->y[s->n] = m->tps_per_chip;
            s->hollow[s->n] = m->reason != SVP_FEASIBLE;
            s->n++;
            range_add(&gx, (double)row->value);
            range_add(&gy, m->tps_per_chip);
        }
        if (s->n > 0)
            ss.n++;
    }
    if (ss.n == 0) {
        svp_chart_message(cv, &area, tr(c, "chart.no_data"));
        set_fini(&ss);
        return SVP_OK;
    }
    memset(&p, 0, sizeof p);
    p.kx = SVP_AXIS_LOG2;
    p.ky = SVP_AXIS_LOG10;
    svp_chart_ticks(gx.lo, gx.hi, 12, p.kx, &p.tx);
    svp_chart_ticks(gy.lo, gy.hi, 12, p.ky, &p.ty);
    err = draw_series_chart(cv, c, &area, &p, &ss, tr(c, "chart.tps_vs_batch.x"),
                            tr(c, "chart.tps_vs_batch.y"), NULL, NULL);
    set_fini(&ss);
    return err;
}

/* ---- 4. communication share vs TP and EP -------------------------------- */

typedef struct comm_arg {
    int ep;   /* 0: TP AllReduce vs MLA_TP; 1: EP dispatch+combine vs MOE_EP */
} comm_arg;

static svp_err chart_comm_share(const svp_canvas *cv, const ctx *c, const void *varg)
{
    const comm_arg *a = varg;
    const char *pre = a->ep ? "chart.comm_share_ep" : "chart.comm_share_tp";
    char key[64], title[TEXT_CAP];
    const svp_analysis *an = c->an;
    series_set ss;
    range gx = {0}, gy = {0};
    svp_box area;
    svp_plot p;
    size_t maxp = 1;
    svp_err err;

    snprintf(key, sizeof key, "%s.title", pre);
    trf(c, key, title, sizeof title, "scenario", scen_name(c, c->dec), NULL, NULL);
    page(cv, c, title, tr(c, "chart.comm_share.note"), c->caption, &area);
    if (c->dec < 0) {
        svp_chart_message(cv, &area, tr(c, "chart.no_scenario"));
        return SVP_OK;
    }
    for (size_t i = 0; i < an->n_chips; i++) {
        const svp_scen_result *sr = chip_scen(&an->chips[i], c->dec);
        size_t n = sr == NULL ? 0 : (a->ep ? sr->n_ep : sr->n_tp);
        if (n > maxp)
            maxp = n;
    }
    err = set_init(&ss, an->n_chips, maxp);
    if (err != SVP_OK)
        return err;
    for (size_t i = 0; i < an->n_chips; i++) {
        const svp_scen_result *sr = chip_scen(&an->chips[i], c->dec);
        series *s = &ss.s[ss.n];
        if (sr == NULL)
            continue;
        const svp_sens_row *rows = a->ep ? sr->ep : sr->tp;
        size_t n = a->ep ? sr->n_ep : sr->n_tp;
        s->chip = i;
        s->n = 0;
        s->key = -1.0;
        for (size_t k = 0; k < n; k++) {
            const svp_metrics *m = &rows[k].plan.m;
            double t = a->ep ? m->t_ep_comm_s : m->t_tp_comm_s;
            if (!rows[k].found || !m->has_metrics || !ok_pos(m->step_s) || !isfinite(t)
                || rows[k].value <= 0)
                continue;
            double share = 100.0 * t / m->step_s;
            s->x[s->n] = (double)rows[k].value;
            s->y[s->n] = share;
            s->n++;
            range_add(&gx, (double)rows[k].value);
            range_add(&gy, share);
            if (share > s->key)
                s->key = share;
        }
        if (s->n > 0)
            ss.n++;
    }
    if (ss.n == 0) {
        svp_chart_message(cv, &area, tr(c, "chart.no_data"));
        set_fini(&ss);
        return SVP_OK;
    }
    memset(&p, 0, sizeof p);
    p.kx = SVP_AXIS_LOG2;
    p.ky = SVP_AXIS_LIN;
    svp_chart_ticks(gx.lo, gx.hi, 12, p.kx, &p.tx);
    svp_chart_ticks(0.0, gy.hi > 0.0 ? gy.hi : 1.0, 7, p.ky, &p.ty);
    char kx[64], ky[64];
    snprintf(kx, sizeof kx, "%s.x", pre);
    snprintf(ky, sizeof ky, "%s.y", pre);
    err = draw_series_chart(cv, c, &area, &p, &ss, tr(c, kx), tr(c, ky), NULL, NULL);
    set_fini(&ss);
    return err;
}

/* ---- 5. price-performance ----------------------------------------------- */

/* Vendors in order of first appearance; a chip's vendor index. */
static size_t vendor_index(const svp_analysis *an, size_t chip, const char **names,
                           size_t *n_names)
{
    const char *v = an->chips[chip].hw->vendor;
    for (size_t k = 0; k < *n_names; k++)
        if (strcmp(names[k], v) == 0)
            return k;
    names[*n_names] = v;
    return (*n_names)++;
}

static svp_chart_style vendor_style(size_t k)
{
    svp_chart_style s;
    s.color = (int)(k % SVP_CHART_COLORS);
    s.marker = 0;
    s.dash = (int)(k % SVP_CHART_DASHES);   /* hatching */
    return s;
}

static svp_err chart_price(const svp_canvas *cv, const ctx *c, const void *arg)
{
    const svp_analysis *an = c->an;
    char title[TEXT_CAP], num[32];
    size_t n = an->n_chips, n_vendors = 0;
    size_t *order = NULL, *vend = NULL;
    const char **vnames = NULL;
    svp_cost *cost = NULL;
    svp_legend_item *items = NULL;
    svp_box area;
    svp_plot p;
    range gx = {0};
    double namew = 0.0;
    svp_err err = SVP_ERR_NOMEM;
    cairo_t *cr = cv->cr;

    (void)arg;
    trf(c, "chart.price.title", title, sizeof title, "scenario", scen_name(c, c->dec), NULL,
       NULL);
    page(cv, c, title, tr(c, "chart.price.note"), c->caption, &area);
    if (c->dec < 0 || n == 0) {
        svp_chart_message(cv, &area, tr(c, c->dec < 0 ? "chart.no_scenario" : "chart.no_data"));
        return SVP_OK;
    }
    order = svp_calloc(n, sizeof *order);
    vend = svp_calloc(n, sizeof *vend);
    vnames = svp_calloc(n, sizeof *vnames);
    cost = svp_calloc(n, sizeof *cost);
    items = svp_calloc(n, sizeof *items);
    if (!order || !vend || !vnames || !cost || !items)
        goto fail;
    svp_analysis_rank_cost(an, order);
    svp_chart_font(cv, SVP_FONT_TICK, 0);
    for (size_t i = 0; i < n; i++) {
        const svp_chip_result *ch = &an->chips[i];
        const svp_scen_result *sr = chip_scen(ch, c->dec);
        vend[i] = vendor_index(an, i, vnames, &n_vendors);
        if (sr != NULL && sr->found)
            cost[i] = svp_cost_of(&sr->best.m, ch->price);
        if (cost[i].has_price) {
            /* TPS per USD -> TPS per 1000 USD, the unit on the axis. */
            range_add(&gx, cost[i].tps_per_usd_high * 1000.0);
            range_add(&gx, cost[i].tps_per_usd * 1000.0);
        }
        double w = svp_chart_text_w(cv, ch->hw->name);
        if (w > namew)
            namew = w;
    }
    memset(&p, 0, sizeof p);
    p.kx = SVP_AXIS_LIN;
    p.ky = SVP_AXIS_LIN;
    svp_chart_ticks(0.0, gx.any && gx.hi > 0.0 ? gx.hi : 1.0, 7, p.kx, &p.tx);
    /* The y axis holds one row per chip: no ticks, the names are labels. */
    p.ty.lo = 0.0;
    p.ty.hi = (double)n;
    p.ty.n = 0;
    {
        svp_box a2 = area;
        a2.x0 = area.x0 + namew + 8.0 - (SVP_FONT_LABEL + 6.0 + 7.0);
        svp_plot_layout(cv, &p, &a2, 46.0);
    }
    svp_plot_axes(cv, &p, tr(c, "chart.price.x"), NULL);

    double row_h = (p.box.y1 - p.box.y0) / (double)n;
    double bar_h = row_h * 0.62;
    if (bar_h > 16.0)
        bar_h = 16.0;
    for (size_t r = 0; r < n; r++) {
        size_t i = order[r];
        const svp_chip_result *ch = &an->chips[i];
        const svp_scen_result *sr = chip_scen(ch, c->dec);
        double cy = p.box.y0 + row_h * ((double)r + 0.5);
        cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
        svp_chart_font(cv, SVP_FONT_TICK, 0);
        svp_chart_text(cv, p.box.x0 - 6.0, cy, ch->hw->name, 1.0, SVP_VA_MIDDLE);
        if (!cost[i].has_price || !ok_pos(cost[i].tps_per_usd)) {
            const char *why = (sr == NULL || !sr->found) ? "chart.price.no_plan"
                                                          : "chart.price.no_price";
            cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
            cairo_select_font_face(cr, c->font, CAIRO_FONT_SLANT_ITALIC,
                                   CAIRO_FONT_WEIGHT_NORMAL);
            svp_chart_text(cv, p.box.x0 + 6.0, cy, tr(c, why), 0.0, SVP_VA_MIDDLE);
            continue;
        }
        double v = cost[i].tps_per_usd * 1000.0;
        double lo = cost[i].tps_per_usd_low * 1000.0, hi = cost[i].tps_per_usd_high * 1000.0;
        double x0 = svp_plot_x(&p, 0.0), xv = svp_plot_x(&p, v);
        svp_chart_bar(cv, x0, cy - bar_h / 2.0, xv, cy + bar_h / 2.0, vendor_style(vend[i]));
        double xl = svp_plot_x(&p, lo), xh = svp_plot_x(&p, hi);
        if (isfinite(xl) && isfinite(xh) && hi > lo) {
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            cairo_set_line_width(cr, 1.1);
            cairo_move_to(cr, xl, cy);
            cairo_line_to(cr, xh, cy);
            cairo_move_to(cr, xl, cy - bar_h * 0.35);
            cairo_line_to(cr, xl, cy + bar_h * 0.35);
            cairo_move_to(cr, xh, cy - bar_h * 0.35);
            cairo_line_to(cr, xh, cy + bar_h * 0.35);
            cairo_stroke(cr);
        }
        svp_chart_fmt(v, v >= 10.0 ? 1.0 : 0.1, num, sizeof num);
        cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
        svp_chart_font(cv, SVP_FONT_TICK, 0);
        double xt = (isfinite(xh) && xh > xv ? xh : xv) + 4.0;
        svp_chart_text(cv, xt, cy, num, 0.0, SVP_VA_MIDDLE);
    }

    /* Vendor legend in the lower right, where the shortest bars leave room. */
    for (size_t k = 0; k < n_vendors; k++) {
        items[k].label = vnames[k];
        items[k].style = vendor_style(k);
        items[k].kind = SVP_LEG_BOX;
    }
    {
        double lw = svp_chart_legend_w(cv, items, n_vendors);
        double lh = svp_chart_legend_h(n_vendors);
        double lx = p.box.x1 - lw - 6.0, ly = p.box.y1 - lh - 6.0;
        cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
        cairo_rectangle(cr, lx - 4.0, ly - 3.0, lw + 6.0, lh + 6.0);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
        svp_chart_legend(cv, lx, ly, items, n_vendors);
    }
    err = SVP_OK;
fail:
    svp_free(order);
    svp_free(vend);
    svp_free(vnames);
    svp_free(cost);
    svp_free(items);
    return err;
}

/* ---- 6. what-if tornado ------------------------------------------------- */

#define WHATIF_PER_PAGE 4
#define WHATIF_COLS 2

typedef struct whatif_arg {
    const size_t *chips;   /* chip indices on this page */
    size_t n;
    int page, pages;
    double lo, hi;         /* common x range (%), over every page */
} whatif_arg;

static const char *const res_keys[SVP_RES_COUNT] = {
    "chart.resource.compute", "chart.resource.hbm", "chart.resource.dram",
    "chart.resource.scale_up", "chart.resource.scale_out",
};

/* Change in percent of a what-if result against the base. */
static double whatif_pct(const svp_whatif *w, int r, int k)
{
    if (!w->found[r][k])
        return -100.0;   /* no feasible plan at all: all throughput lost */
    return 100.0 * (w->tps[r][k] / w->base_tps - 1.0);
}

/* The value label of a what-if bar into buf; 0 when the bar gets none
 * (a change that rounds to 0 %). */
static int whatif_label(const ctx *c, const svp_whatif *w, int r, int h, char *buf, size_t cap)
{
    double pct = whatif_pct(w, r, h);
    if (!w->found[r][h])
        snprintf(buf, cap, "%s", tr(c, "chart.whatif.no_plan"));
    else if (isfinite(pct) && fabs(pct) >= 0.5)
        snprintf(buf, cap, "%+.0f%%", pct);
    else
        return 0;
    return 1;
}

static svp_err chart_whatif(const svp_canvas *cv, const ctx *c, const void *varg)
{
    const whatif_arg *a = varg;
    const svp_analysis *an = c->an;
    cairo_t *cr = cv->cr;
    char title[TEXT_CAP], note[TEXT_CAP], pg[16], pgs[16], num[48], base[TEXT_CAP];
    svp_box area;
    svp_legend_item items[2];
    svp_chart_style st_half = {1, 0, 1}, st_double = {0, 0, 0};

    trf(c, "chart.whatif.title", title, sizeof title, "scenario", scen_name(c, c->dec), NULL,
       NULL);
    snprintf(pg, sizeof pg, "%d", a->page);
    snprintf(pgs, sizeof pgs, "%d", a->pages);
    trf(c, "chart.whatif.note", note, sizeof note, "page", pg, "pages", pgs);
    page(cv, c, title, note, c->caption, &area);
    if (a->n == 0) {
        svp_chart_message(cv, &area, tr(c, c->dec < 0 ? "chart.no_scenario" : "chart.no_data"));
        return SVP_OK;
    }

    /* Legend across the top right. */
    items[0].label = tr(c, "chart.whatif.halved");
    items[0].style = st_half;
    items[0].kind = SVP_LEG_BOX;
    items[1].label = tr(c, "chart.whatif.doubled");
    items[1].style = st_double;
    items[1].kind = SVP_LEG_BOX;
    {
        double w0 = svp_chart_legend_w(cv, &items[0], 1), w1 = svp_chart_legend_w(cv, &items[1], 1);
        svp_chart_legend(cv, area.x1 - w0 - w1 - 4.0, area.y0 - 2.0, &items[0], 1);
        svp_chart_legend(cv, area.x1 - w1, area.y0 - 2.0, &items[1], 1);
    }
    area.y0 += 16.0;

    /* Resource labels once, left of the first column. */
    double labw = 0.0;
    svp_chart_font(cv, SVP_FONT_TICK, 0);
    for (int r = 0; r < SVP_RES_COUNT; r++) {
        double w = svp_chart_text_w(cv, tr(c, res_keys[r]));
        if (w > labw)
            labw = w;
    }
    /* Every page keeps the grid of a full page, so panels are the same size
     * on the last one. */
    int rows = (WHATIF_PER_PAGE + WHATIF_COLS - 1) / WHATIF_COLS;
    double gap = 26.0;
    double x_start = area.x0 + labw + 8.0;
    double pw = (area.x1 - x_start - gap * (WHATIF_COLS - 1)) / WHATIF_COLS;
    double xlab_h = SVP_FONT_LABEL + 8.0;
    double ph = (area.y1 - area.y0 - xlab_h - gap * (rows - 1)) / rows;

    /* One x range for the page, widened so that the widest value label
     * fits beyond the longest bar on each side. */
    double wl = 0.0, wr = 0.0;
    svp_chart_font(cv, SVP_FONT_TICK, 0);
    for (size_t k = 0; k < a->n; k++)
        for (int r = 0; r < SVP_RES_COUNT; r++)
            for (int h = 0; h < 2; h++) {
                const svp_whatif *w = &an->chips[a->chips[k]].whatif;
                if (!whatif_label(c, w, r, h, num, sizeof num))
                    continue;
                double tw = svp_chart_text_w(cv, num) + 6.0;
                if (whatif_pct(w, r, h) < 0.0 && tw > wl)
                    wl = tw;
                if (whatif_pct(w, r, h) >= 0.0 && tw > wr)
                    wr = tw;
            }
    double xlo = a->lo, xhi = a->hi;
    if (pw > 2.0 * (wl + wr)) {
        double span = (a->hi - a->lo) * pw / (pw - wl - wr);
        xlo = a->lo - span * wl / pw;
        xhi = a->hi + span * wr / pw;
    }

    for (size_t k = 0; k < a->n; k++) {
        size_t ci = a->chips[k];
        const svp_chip_result *ch = &an->chips[ci];
        const svp_whatif *w = &ch->whatif;
        int col = (int)(k % WHATIF_COLS), row = (int)(k / WHATIF_COLS);
        svp_plot p;
        memset(&p, 0, sizeof p);
        p.kx = SVP_AXIS_LIN;
        p.ky = SVP_AXIS_LIN;
        svp_chart_ticks_tight(xlo, xhi, 7, p.kx, &p.tx);
        p.ty.lo = 0.0;
        p.ty.hi = SVP_RES_COUNT;
        p.box.x0 = x_start + (pw + gap) * col;
        p.box.x1 = p.box.x0 + pw;
        p.box.y0 = area.y0 + (ph + gap) * row + SVP_FONT_LABEL + 6.0;
        p.box.y1 = area.y0 + (ph + gap) * row + ph - (SVP_FONT_TICK + 6.0);

        /* Panel title: the chip and its base throughput. */
        svp_chart_fmt(w->base_tps, 1.0, num, sizeof num);
        trf(c, "chart.whatif.base", base, sizeof base, "value", num, NULL, NULL);
        cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
        svp_chart_font(cv, SVP_FONT_LABEL, 1);
        svp_chart_text(cv, p.box.x0, p.box.y0 - 4.0, ch->hw->name, 0.0, SVP_VA_BOTTOM);
        double tw = svp_chart_text_w(cv, ch->hw->name);
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        svp_chart_text_fit(cv, base, SVP_FONT_TICK, SVP_FONT_MIN, pw - tw - 8.0, 0);
        svp_chart_text(cv, p.box.x1, p.box.y0 - 4.0, base, 1.0, SVP_VA_BOTTOM);

        svp_plot_axes(cv, &p, "", NULL);
        double x0 = svp_plot_x(&p, 0.0);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        cairo_set_line_width(cr, 0.9);
        cairo_move_to(cr, x0, p.box.y0);
        cairo_line_to(cr, x0, p.box.y1);
        cairo_stroke(cr);

        double rh = (p.box.y1 - p.box.y0) / SVP_RES_COUNT;
        for (int r = 0; r < SVP_RES_COUNT; r++) {
            double cy = p.box.y0 + rh * (r + 0.5);
            double ph0 = whatif_pct(w, r, 0), ph1 = whatif_pct(w, r, 1);
            /* A tornado row: halved and doubled on one line, normally on
             * opposite sides of zero; split the row when both fall on the
             * same side so neither hides the other. */
            int split = (ph0 > 0.0 && ph1 > 0.0) || (ph0 < 0.0 && ph1 < 0.0);
            double bh = split ? rh * 0.34 : rh * 0.56;
            if (col == 0) {
                cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
                svp_chart_font(cv, SVP_FONT_TICK, 0);
                svp_chart_text(cv, p.box.x0 - 6.0, cy, tr(c, res_keys[r]), 1.0, SVP_VA_MIDDLE);
            }
            for (int h = 0; h < 2; h++) {
                double pct = h == 0 ? ph0 : ph1;
                double ya = split ? (h == 0 ? cy - bh : cy) : cy - bh / 2.0;
                double yb = ya + bh;
                double xv = svp_plot_x(&p, pct);
                if (!isfinite(xv))
                    continue;
                svp_chart_bar(cv, x0, ya, xv, yb, h == 0 ? st_half : st_double);
                /* The value, where it is not zero, beyond the bar end; on a
                 * white box inside the bar when the panel has no room. */
                if (!whatif_label(c, w, r, h, num, sizeof num))
                    continue;
                svp_chart_font(cv, SVP_FONT_TICK, 0);
                double nw = svp_chart_text_w(cv, num);
                double xt = pct >= 0.0 ? xv + 3.0 : xv - 3.0 - nw;
                if (xt < p.box.x0 + 1.0 || xt + nw > p.box.x1 - 1.0) {
                    xt = pct >= 0.0 ? xv - 4.0 - nw : xv + 4.0;
                    cairo_set_source_rgba(cr, 1.0, 1.0, 1.0, 0.9);
                    cairo_rectangle(cr, xt - 2.0, (ya + yb) / 2.0 - SVP_FONT_TICK * 0.55,
                                    nw + 4.0, SVP_FONT_TICK * 1.1);
                    cairo_fill(cr);
                }
                cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
                svp_chart_text(cv, xt, (ya + yb) / 2.0, num, 0.0, SVP_VA_MIDDLE);
            }
        }
    }
    cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
    svp_chart_font(cv, SVP_FONT_LABEL, 0);
    svp_chart_text(cv, (x_start + area.x1) / 2.0, area.y1, tr(c, "chart.whatif.x"), 0.5,
                   SVP_VA_BOTTOM);
    return SVP_OK;
}

/* ---- 7. validation: predicted vs measured ------------------------------- */

/* One deployment on the chart. */
typedef struct val_pt {
    const svp_val_row *row;
    double x, y;          /* canvas position of (measured, predicted) */
    double lx, ly;        /* canvas position of the leave-one-out prediction; NAN: none */
    int chip;             /* colour: the chip's order of first appearance */
    int placed, far;      /* label placed; away from the marker (with a leader line) */
    double bx0, by0, bx1, by1;   /* the label's box */
} val_pt;

/* A rectangle to keep labels off (markers, placed labels), and how much an
 * overlap with it costs: covering a marker hides data, so it costs more
 * than touching another label. */
typedef struct val_box {
    double x0, y0, x1, y1, wt;
    int mark;             /* a marker: 1 + the index of its point; 0: a label, the legend */
} val_box;

#define VAL_R (SVP_MARKER_R + 0.8)        /* marker radius: a few points, so larger */
#define VAL_LABEL_FONT SVP_FONT_TICK
#define VAL_PAD_LO 1.78                   /* 10^0.25: room below and left of the data */
#define VAL_PAD_HI 2.51                   /* 10^0.4: more above and right, for the labels */
#define VAL_LEVELS 6                      /* label distances tried */
#define VAL_MARK_WT 50.0                  /* cost of a label over a marker, per pt^2 */
#define VAL_LEADER_SAMPLES 24             /* points tested along a leader line */
#define VAL_AMBIG (2.0 * VAL_R + 6.0)    /* a label this much nearer another marker: ambiguous */

static int val_plottable(const svp_val_row *v)
{
    return v->has_pred && ok_pos(v->pred_tps) && ok_pos(v->meas_tps);
}

static double box_overlap(const val_box *a, const val_box *b)
{
    double w = fmin(a->x1, b->x1) - fmax(a->x0, b->x0);
    double h = fmin(a->y1, b->y1) - fmax(a->y0, b->y0);
    return w > 0.0 && h > 0.0 ? w * h : 0.0;
}

/* The weighted overlap of a label at b, with its leader from the marker at
 * (x, y) when far: a leader across another marker or label misleads the
 * reader about which label is whose. */
static double label_cost(const svp_plot *p, const val_box *b, double x, double y, int far,
                         int owner, const val_box *obst, size_t n_obst)
{
    double cost = 0.0;
    /* Outside the plot costs more than any overlap. */
    if (b->x0 < p->box.x0 + 2.0 || b->x1 > p->box.x1 - 2.0 || b->y0 < p->box.y0 + 2.0
        || b->y1 > p->box.y1 - 2.0)
        cost += 1.0e9;
    for (size_t i = 0; i < n_obst; i++)
        cost += box_overlap(b, &obst[i]) * obst[i].wt;
    if (!far) {
        /* Without a leader a label must sit nearer its own marker than any
         * other, or it reads as the other's. */
        double own = hypot(fmin(fmax(x, b->x0), b->x1) - x, fmin(fmax(y, b->y0), b->y1) - y);
        for (size_t i = 0; i < n_obst; i++) {
            double mx = (obst[i].x0 + obst[i].x1) / 2.0, my = (obst[i].y0 + obst[i].y1) / 2.0;
            /* Not a marker, or the label's own; its own LOO move counts: a
             * label beside the hollow marker reads as that marker's. */
            if (!obst[i].mark || (obst[i].mark == owner && mx == x && my == y))
                continue;
            double other = hypot(fmin(fmax(mx, b->x0), b->x1) - mx,
                                 fmin(fmax(my, b->y0), b->y1) - my);
            if (other < own + VAL_AMBIG)
                cost += 20.0 * (own + VAL_AMBIG - other);
        }
    }
    if (far) {
        double tx = fmin(fmax(x, b->x0), b->x1), ty = fmin(fmax(y, b->y0), b->y1);
        for (int k = 1; k < VAL_LEADER_SAMPLES; k++) {
            double f = (double)k / VAL_LEADER_SAMPLES;
            double sx = x + (tx - x) * f, sy = y + (ty - y) * f;
            if (hypot(sx - x, sy - y) <= VAL_R + 1.0)
                continue;   /* still on its own marker */
            for (size_t i = 0; i < n_obst; i++)
                if (sx >= obst[i].x0 && sx <= obst[i].x1 && sy >= obst[i].y0 && sy <= obst[i].y1)
                    cost += 4.0 * obst[i].wt;
        }
    }
    return cost;
}

/* Where a label goes: around the marker at increasing distances (right,
 * left, above, below, then the diagonals; above and below also shifted to
 * either side, right and left also shifted up or down), the first place
 * inside the plot that covers no marker, no label placed before and whose
 * leader crosses neither; failing that, the cheapest.  Greedy, hence
 * deterministic; enough for the few dozen points of a deployments file. */
static val_box place_label(const svp_plot *p, double x, double y, double w, double h,
                           int owner, const val_box *obst, size_t n_obst, int *far)
{
    val_box best = {x + VAL_R + 3.0, y - h / 2.0, x + VAL_R + 3.0 + w, y + h / 2.0, 1.0, 0};
    double best_cost = HUGE_VAL;

    *far = 0;
    for (int level = 0; level < VAL_LEVELS; level++) {
        double d = VAL_R + 3.0 + 11.0 * level, e = d * 0.75;
        /* Top-left corners of the candidates at this distance. */
        const double cand[][2] = {
            {x + d, y - h / 2.0},         {x - d - w, y - h / 2.0},
            {x - w / 2.0, y - d - h},     {x - w / 2.0, y + d},
            {x + e, y - e - h},           {x + e, y + e},
            {x - e - w, y - e - h},       {x - e - w, y + e},
            {x - w + 6.0, y - d - h},     {x - 6.0, y - d - h},
            {x - w + 6.0, y + d},         {x - 6.0, y + d},
            {x + d, y - h * 1.1},         {x + d, y + h * 0.1},
            {x - d - w, y - h * 1.1},     {x - d - w, y + h * 0.1},
        };
        for (size_t k = 0; k < sizeof cand / sizeof cand[0]; k++) {
            val_box b = {cand[k][0], cand[k][1], cand[k][0] + w, cand[k][1] + h, 1.0, 0};
            double cost = label_cost(p, &b, x, y, level > 0, owner, obst, n_obst);
            if (cost < 1.0)
                cost = 0.0;   /* rounding, or a hair of two boxes' margins */
            cost += 0.5 * (double)level;   /* nearer wins a tie */
            if (cost < best_cost) {
                best_cost = cost;
                best = b;
                *far = level > 0;
            }
            if (cost < 0.5 * (double)level + 1.0)
                return best;   /* free: the first free place */
        }
    }
    return best;
}

/* The y = x line, the +-median-target band and the +-worst-target lines, in
 * the plot; all are straight lines on log-log axes. */
static void draw_val_guides(const svp_canvas *cv, const svp_plot *p, int band)
{
    cairo_t *cr = cv->cr;
    double lo = p->tx.lo, hi = p->tx.hi;
    double m = SVP_VAL_TARGET_MEDIAN_PCT / 100.0, w = SVP_VAL_TARGET_WORST_PCT / 100.0;

    cairo_save(cr);
    cairo_rectangle(cr, p->box.x0, p->box.y0, p->box.x1 - p->box.x0, p->box.y1 - p->box.y0);
    cairo_clip(cr);
    if (band) {
        cairo_move_to(cr, svp_plot_x(p, lo), svp_plot_y(p, lo * (1.0 + m)));
        cairo_line_to(cr, svp_plot_x(p, hi), svp_plot_y(p, hi * (1.0 + m)));
        cairo_line_to(cr, svp_plot_x(p, hi), svp_plot_y(p, hi * (1.0 - m)));
        cairo_line_to(cr, svp_plot_x(p, lo), svp_plot_y(p, lo * (1.0 - m)));
        cairo_close_path(cr);
        cairo_set_source_rgb(cr, 0.86, 0.92, 0.86);
        cairo_fill(cr);
    } else {
        cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
        cairo_set_line_width(cr, 1.0);
        svp_chart_set_dash(cr, 1, 1.0);
        for (int s = -1; s <= 1; s += 2) {
            cairo_move_to(cr, svp_plot_x(p, lo), svp_plot_y(p, lo * (1.0 + s * w)));
            cairo_line_to(cr, svp_plot_x(p, hi), svp_plot_y(p, hi * (1.0 + s * w)));
        }
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0.0);
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        cairo_set_line_width(cr, 1.3);
        cairo_move_to(cr, svp_plot_x(p, lo), svp_plot_y(p, lo));
        cairo_line_to(cr, svp_plot_x(p, hi), svp_plot_y(p, hi));
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

/* The legend entries of the validation chart. */
enum { VL_MARK = 0, VL_HOLLOW, VL_LINE, VL_DASH, VL_BAND };

typedef struct val_leg {
    const char *label;
    int kind;
    svp_chart_style st;
} val_leg;

#define VAL_LEG_MAX 6   /* decode, prefill, leave-one-out, y = x, band, lines */
#define VAL_CHIPS_MAX 64

static double val_legend_w(const svp_canvas *cv, const val_leg *it, size_t n)
{
    double w = 0.0;
    svp_chart_font(cv, SVP_FONT_LEGEND, 0);
    for (size_t i = 0; i < n; i++)
        w = fmax(w, svp_chart_text_w(cv, it[i].label));
    return w + 26.0 + 5.0 + 4.0;
}

static void val_legend(const svp_canvas *cv, double x, double y, const val_leg *it, size_t n)
{
    cairo_t *cr = cv->cr;
    for (size_t i = 0; i < n; i++) {
        double cy = y + 15.0 * ((double)i + 0.5);
        cairo_save(cr);
        switch (it[i].kind) {
        case VL_MARK:
        case VL_HOLLOW:
            svp_chart_marker(cr, it[i].st, x + 13.0, cy, VAL_R, it[i].kind == VL_HOLLOW);
            break;
        case VL_BAND:
            cairo_rectangle(cr, x + 2.0, cy - 5.0, 22.0, 10.0);
            cairo_set_source_rgb(cr, 0.86, 0.92, 0.86);
            cairo_fill(cr);
            break;
        default:
            cairo_set_source_rgb(cr, it[i].kind == VL_LINE ? 0.15 : 0.45,
                                 it[i].kind == VL_LINE ? 0.15 : 0.45,
                                 it[i].kind == VL_LINE ? 0.15 : 0.45);
            cairo_set_line_width(cr, it[i].kind == VL_LINE ? 1.3 : 1.0);
            svp_chart_set_dash(cr, it[i].kind == VL_LINE ? 0 : 1, 1.0);
            cairo_move_to(cr, x, cy);
            cairo_line_to(cr, x + 26.0, cy);
            cairo_stroke(cr);
            break;
        }
        cairo_restore(cr);
        cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
        svp_chart_font(cv, SVP_FONT_LEGEND, 0);
        svp_chart_text(cv, x + 31.0, cy, it[i].label, 0.0, SVP_VA_MIDDLE);
    }
}

/* "36.3%" */
static const char *pct1(char *buf, size_t cap, double pct)
{
    if (isfinite(pct))
        snprintf(buf, cap, "%.1f%%", pct);
    else
        snprintf(buf, cap, "-");
    return buf;
}

/* Canvas positions of the points (and of their leave-one-out moves) on p. */
static void val_positions(const svp_plot *p, val_pt *pt, size_t np)
{
    for (size_t i = 0; i < np; i++) {
        const svp_val_row *v = pt[i].row;
        pt[i].x = svp_plot_x(p, v->meas_tps);
        pt[i].y = svp_plot_y(p, v->pred_tps);
        pt[i].lx = pt[i].ly = NAN;
        if (v->loo_basis == SVP_LOO_FITTED && ok_pos(v->loo_tps)) {
            pt[i].lx = pt[i].x;
            pt[i].ly = svp_plot_y(p, v->loo_tps);
        }
    }
}

static svp_err chart_validation(const svp_canvas *cv, const ctx *c, const void *arg)
{
    const svp_report_input *r = c->r;
    const svp_val_row *rows = r->val_rows;
    const svp_val_summary *s = r->val_sum;
    size_t n = r->n_val, np = 0, n_chips = 0, n_leg = 0, n_obst = 0;
    cairo_t *cr = cv->cr;
    char note[TEXT_CAP], sign[TEXT_CAP], cnt[24], tot[24];
    /* The legend's texts: leg[] points into them until the end. */
    /* cppcheck-suppress variableScope */
    char band[64];
    /* cppcheck-suppress variableScope */
    char lines[64];
    const char *chips[VAL_CHIPS_MAX];
    val_leg leg[VAL_LEG_MAX];
    val_pt *pt = NULL;
    val_box *obst = NULL;
    range g = {0};
    svp_box area;
    svp_plot p;
    int has_dec = 0, has_pre = 0, has_loo = 0;

    (void)arg;
    for (size_t i = 0; i < n; i++)
        np += val_plottable(&rows[i]) ? 1u : 0u;
    snprintf(cnt, sizeof cnt, "%zu", np);
    snprintf(tot, sizeof tot, "%zu", n);
    note[0] = '\0';
    if (s != NULL && s->n_pred > 0 && s->worst_row < n) {
        char med[32], worst[32], loo[32];
        const char *names[] = {"median", "worst", "worst_id", "loo_median", "n", "total"};
        const char *values[] = {pct1(med, sizeof med, s->median_abs_err_pct),
                                pct1(worst, sizeof worst, s->worst_abs_err_pct),
                                rows[s->worst_row].dep->id,
                                pct1(loo, sizeof loo, s->loo_median_abs_err_pct), cnt, tot};
        svp_tr_fill(c->tr, s->has_loo ? "chart.validation.note" : "chart.validation.note_no_loo",
                    note, sizeof note, names, values, 6);
    }
    page(cv, c, tr(c, "chart.validation.title"), note, c->caption, &area);

    /* The sign convention and the file, and the rows that could not be drawn. */
    trf(c, "chart.validation.sign", sign, sizeof sign, "file",
        r->deployments_path != NULL ? r->deployments_path : "", NULL, NULL);
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    svp_chart_text_fit(cv, sign, SVP_FONT_NOTE, SVP_FONT_MIN, area.x1 - area.x0, 0);
    svp_chart_text(cv, area.x0, area.y0 - 4.0, sign, 0.0, SVP_VA_TOP);
    area.y0 += SVP_FONT_NOTE + 6.0;
    if (np < n) {
        /* As many as fit on the line, then how many more. */
        char ids[TEXT_CAP], line[TEXT_CAP];
        size_t len = 0, listed = 0;
        ids[0] = '\0';
        svp_chart_font(cv, SVP_FONT_NOTE, 0);
        for (size_t i = 0; i < n; i++) {
            if (val_plottable(&rows[i]))
                continue;
            size_t keep = len;
            int w = snprintf(ids + len, sizeof ids - len, "%s%s (%s)", len > 0 ? ", " : "",
                             rows[i].dep->id,
                             rows[i].has_pred ? "-" : svp_reason_code(rows[i].m.reason));
            if (w >= 0 && (size_t)w < sizeof ids - len) {
                trf(c, "chart.validation.unplotted", line, sizeof line, "ids", ids, NULL, NULL);
                if (svp_chart_text_w(cv, line) <= area.x1 - area.x0 - 60.0) {
                    len += (size_t)w;
                    listed++;
                    continue;
                }
            }
            ids[keep] = '\0';
            len = keep;
            break;
        }
        if (listed < n - np) {
            char more[48];
            snprintf(more, sizeof more, "%s… (+%zu)", listed > 0 ? ", " : "", n - np - listed);
            snprintf(ids + len, sizeof ids - len, "%s", more);
        }
        trf(c, "chart.validation.unplotted", line, sizeof line, "ids", ids, NULL, NULL);
        cairo_set_source_rgb(cr, 0.55, 0.1, 0.1);
        svp_chart_text_fit(cv, line, SVP_FONT_NOTE, SVP_FONT_MIN, area.x1 - area.x0, 0);
        svp_chart_text(cv, area.x0, area.y0 - 4.0, line, 0.0, SVP_VA_TOP);
        area.y0 += SVP_FONT_NOTE + 6.0;
    }
    if (np == 0) {
        svp_chart_message(cv, &area, tr(c, "chart.validation.no_data"));
        return SVP_OK;
    }

    pt = svp_calloc(np, sizeof *pt);
    /* Obstacles: every marker (and LOO marker), then the labels placed. */
    obst = svp_calloc(3 * np + 1, sizeof *obst);
    if (pt == NULL || obst == NULL) {
        svp_free(pt);
        svp_free(obst);
        return SVP_ERR_NOMEM;
    }
    np = 0;
    for (size_t i = 0; i < n; i++) {
        const svp_val_row *v = &rows[i];
        size_t k;
        if (!val_plottable(v))
            continue;
        for (k = 0; k < n_chips && strcmp(chips[k], v->dep->chip) != 0; k++)
            ;
        if (k == n_chips && n_chips < VAL_CHIPS_MAX)
            chips[n_chips++] = v->dep->chip;
        pt[np].row = v;
        /* Colours repeat past the palette (the legend then lists the first
         * chips only); past VAL_CHIPS_MAX chips every other one is grey. */
        pt[np].chip = k < VAL_CHIPS_MAX ? (int)(k % SVP_CHART_COLORS) : SVP_CHART_COLORS - 1;
        range_add(&g, v->meas_tps);
        range_add(&g, v->pred_tps);
        /* A leave-one-out point is drawn only where it differs: refitted. */
        if (v->loo_basis == SVP_LOO_FITTED && ok_pos(v->loo_tps)) {
            range_add(&g, v->loo_tps);
            has_loo = 1;
        }
        has_dec |= v->dep->phase == SVP_PHASE_DECODE;
        has_pre |= v->dep->phase != SVP_PHASE_DECODE;
        np++;
    }

    /* The chips' colours as one line of text above the plot (wrapped when
     * long): the legend proper then stays small enough for a corner. */
    {
        double x = area.x0, y = area.y0 + 1.0, step = SVP_FONT_LEGEND + 5.0;
        svp_chart_font(cv, SVP_FONT_LEGEND, 0);
        for (size_t k = 0; k < n_chips && k < SVP_CHART_COLORS; k++) {
            double w = 2.0 * VAL_R + 5.0 + svp_chart_text_w(cv, chips[k]) + 14.0;
            if (x > area.x0 && x + w > area.x1) {
                x = area.x0;
                y += step;
            }
            svp_chart_style st = {(int)k, 0, 0};
            svp_chart_marker(cr, st, x + VAL_R, y + step / 2.0 - 1.0, VAL_R, 0);
            cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
            svp_chart_font(cv, SVP_FONT_LEGEND, 0);
            svp_chart_text(cv, x + 2.0 * VAL_R + 5.0, y + step / 2.0 - 1.0, chips[k], 0.0,
                           SVP_VA_MIDDLE);
            x += w;
        }
        area.y0 = y + step + 2.0;
    }

    /* Legend: phases by marker shape, the leave-one-out moves, the guides. */
    {
        svp_chart_style black = {6, 0, 0}, sq = {6, 1, 0};
        if (has_dec)
            leg[n_leg++] = (val_leg){tr(c, "chart.validation.decode"), VL_MARK, black};
        if (has_pre)
            leg[n_leg++] = (val_leg){tr(c, "chart.validation.prefill"), VL_MARK, sq};
        if (has_loo)
            leg[n_leg++] = (val_leg){tr(c, "chart.validation.loo"), VL_HOLLOW, black};
        char pct[16];
        snprintf(pct, sizeof pct, "%g", SVP_VAL_TARGET_MEDIAN_PCT);
        trf(c, "chart.validation.band", band, sizeof band, "pct", pct, NULL, NULL);
        snprintf(pct, sizeof pct, "%g", SVP_VAL_TARGET_WORST_PCT);
        trf(c, "chart.validation.lines", lines, sizeof lines, "pct", pct, NULL, NULL);
        leg[n_leg++] = (val_leg){tr(c, "chart.validation.exact"), VL_LINE, black};
        leg[n_leg++] = (val_leg){band, VL_BAND, black};
        leg[n_leg++] = (val_leg){lines, VL_DASH, black};
    }

    /* One range for both axes, so y = x is the diagonal of equal decades. */
    memset(&p, 0, sizeof p);
    p.kx = SVP_AXIS_LOG10;
    p.ky = SVP_AXIS_LOG10;
    /* A quarter decade of room around the data keeps markers and their
     * labels off the frame (1-2-5 widening alone may end on a data value). */
    svp_chart_ticks_tight(g.lo / VAL_PAD_LO, g.hi * VAL_PAD_HI, 12, p.kx, &p.tx);
    p.ty = p.tx;
    /* The legend goes inside the plot, in a corner far from y = x (lower
     * right, then upper left; in one column, then two) where no point is,
     * giving the points the whole width; else to the right of the plot. */
    double lw1 = val_legend_w(cv, leg, n_leg);
    val_box lb = {0.0, 0.0, 0.0, 0.0, VAL_MARK_WT, 0};
    int inside = 0, lcols = 1;
    svp_plot_layout(cv, &p, &area, 0.0);
    val_positions(&p, pt, np);
    for (int k = 0; k < 4 && !inside; k++) {
        int corner = k % 2;   /* 0 lower right, 1 upper left */
        lcols = 1 + k / 2;
        size_t rows_n = (n_leg + (size_t)lcols - 1) / (size_t)lcols;
        double w = (double)lcols * lw1 + (double)(lcols - 1) * 8.0 + 8.0;
        double h = 15.0 * (double)rows_n + 8.0;
        if (corner == 0)
            lb = (val_box){p.box.x1 - 4.0 - w, p.box.y1 - 4.0 - h, p.box.x1 - 4.0,
                           p.box.y1 - 4.0, VAL_MARK_WT, 0};
        else
            lb = (val_box){p.box.x0 + 4.0, p.box.y0 + 4.0, p.box.x0 + 4.0 + w,
                           p.box.y0 + 4.0 + h, VAL_MARK_WT, 0};
        /* At most 60 % of the width, and clear of every point with room
         * for a label beside it. */
        inside = w < 0.6 * (p.box.x1 - p.box.x0) && h < 0.6 * (p.box.y1 - p.box.y0);
        for (size_t i = 0; i < np && inside; i++) {
            val_box m = {pt[i].x - VAL_R - 10.0, pt[i].y - VAL_R - 10.0,
                         pt[i].x + VAL_R + 10.0, pt[i].y + VAL_R + 10.0, 1.0, 0};
            val_box ml = {pt[i].lx - VAL_R - 10.0, pt[i].ly - VAL_R - 10.0,
                          pt[i].lx + VAL_R + 10.0, pt[i].ly + VAL_R + 10.0, 1.0, 0};
            inside = box_overlap(&m, &lb) == 0.0
                     && (!isfinite(pt[i].ly) || box_overlap(&ml, &lb) == 0.0);
        }
    }
    if (!inside) {
        lcols = 1;
        svp_plot_layout(cv, &p, &area, lw1 + 10.0);
        val_positions(&p, pt, np);
    }
    draw_val_guides(cv, &p, 1);
    svp_plot_axes(cv, &p, tr(c, "chart.validation.x"), tr(c, "chart.validation.y"));
    draw_val_guides(cv, &p, 0);

    /* Every marker, and the legend inside, is an obstacle for the labels. */
    for (size_t i = 0; i < np; i++) {
        obst[n_obst++] = (val_box){pt[i].x - VAL_R, pt[i].y - VAL_R, pt[i].x + VAL_R,
                                   pt[i].y + VAL_R, VAL_MARK_WT, (int)i + 1};
        if (isfinite(pt[i].ly))
            obst[n_obst++] = (val_box){pt[i].lx - VAL_R, pt[i].ly - VAL_R, pt[i].lx + VAL_R,
                                       pt[i].ly + VAL_R, VAL_MARK_WT, (int)i + 1};
    }
    if (inside)
        obst[n_obst++] = lb;

    /* Labels placed top of the plot first, where the big deployments
     * crowd; ties left to right. */
    svp_chart_font(cv, VAL_LABEL_FONT, 0);
    for (size_t done = 0; done < np; done++) {
        size_t i = np;
        for (size_t k = 0; k < np; k++) {
            if (pt[k].placed)
                continue;
            if (i == np || pt[k].y < pt[i].y || (pt[k].y == pt[i].y && pt[k].x < pt[i].x))
                i = k;
        }
        if (i == np)
            break;
        pt[i].placed = 1;
        if (!isfinite(pt[i].x) || !isfinite(pt[i].y))
            continue;
        double w = svp_chart_text_w(cv, pt[i].row->dep->id), h = VAL_LABEL_FONT + 2.0;
        val_box b = place_label(&p, pt[i].x, pt[i].y, w, h, (int)i + 1, obst, n_obst,
                                &pt[i].far);
        obst[n_obst++] = b;
        pt[i].bx0 = b.x0;
        pt[i].by0 = b.y0;
        pt[i].bx1 = b.x1;
        pt[i].by1 = b.y1;
    }

    /* Under the markers: the leave-one-out moves and the label leaders. */
    cairo_save(cr);
    svp_plot_clip(cv, &p);
    for (size_t i = 0; i < np; i++) {
        if (!isfinite(pt[i].x) || !isfinite(pt[i].y))
            continue;
        if (isfinite(pt[i].ly)) {
            svp_chart_style st = {pt[i].chip,
                                  pt[i].row->dep->phase == SVP_PHASE_DECODE ? 0 : 1, 0};
            cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
            cairo_set_line_width(cr, 0.8);
            cairo_move_to(cr, pt[i].x, pt[i].y);
            cairo_line_to(cr, pt[i].lx, pt[i].ly);
            cairo_stroke(cr);
            svp_chart_marker(cr, st, pt[i].lx, pt[i].ly, VAL_R, 1);
        }
        if (pt[i].far) {
            /* From the marker to the nearest point of the label. */
            double tx = fmin(fmax(pt[i].x, pt[i].bx0), pt[i].bx1);
            double ty = fmin(fmax(pt[i].y, pt[i].by0), pt[i].by1);
            cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
            cairo_set_line_width(cr, 0.6);
            cairo_move_to(cr, pt[i].x, pt[i].y);
            cairo_line_to(cr, tx, ty);
            cairo_stroke(cr);
        }
    }
    for (size_t i = 0; i < np; i++) {
        svp_chart_style st = {pt[i].chip, pt[i].row->dep->phase == SVP_PHASE_DECODE ? 0 : 1, 0};
        svp_chart_marker(cr, st, pt[i].x, pt[i].y, VAL_R, 0);
    }
    cairo_restore(cr);
    svp_chart_font(cv, VAL_LABEL_FONT, 0);
    for (size_t i = 0; i < np; i++) {
        if (!isfinite(pt[i].x) || !isfinite(pt[i].y))
            continue;
        cairo_set_source_rgba(cr, 1.0, 1.0, 1.0, 0.8);
        cairo_rectangle(cr, pt[i].bx0 - 1.0, pt[i].by0, pt[i].bx1 - pt[i].bx0 + 2.0,
                        pt[i].by1 - pt[i].by0);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        svp_chart_text(cv, pt[i].bx0, (pt[i].by0 + pt[i].by1) / 2.0, pt[i].row->dep->id, 0.0,
                       SVP_VA_MIDDLE);
    }

    if (inside) {
        size_t rows_n = (n_leg + (size_t)lcols - 1) / (size_t)lcols;
        cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
        cairo_rectangle(cr, lb.x0, lb.y0, lb.x1 - lb.x0, lb.y1 - lb.y0);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
        for (int col = 0; col < lcols; col++) {
            size_t first = (size_t)col * rows_n;
            if (first >= n_leg)
                break;
            val_legend(cv, lb.x0 + 4.0 + (double)col * (lw1 + 8.0), lb.y0 + 4.0, leg + first,
                       n_leg - first < rows_n ? n_leg - first : rows_n);
        }
    } else {
        double lh = 15.0 * (double)n_leg;
        double ly = p.box.y0 + ((p.box.y1 - p.box.y0) - lh) / 2.0;
        if (ly < area.y0)
            ly = area.y0;
        val_legend(cv, p.box.x1 + 10.0, ly, leg, n_leg);
    }
    svp_free(pt);
    svp_free(obst);
    return SVP_OK;
}

/* ---- writing ------------------------------------------------------------ */

typedef svp_err (*draw_fn)(const svp_canvas *cv, const ctx *c, const void *arg);

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int len)
{
    FILE *fp = closure;
    return fwrite(data, 1, len, fp) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* Text metrics identical in PNG and PDF: no hinting of glyph positions, so
 * the layout (which measures text) is the same on both surfaces. */
static void set_font_options(cairo_t *cr)
{
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
}

static svp_err draw_on(cairo_surface_t *surf, double scale, draw_fn f, const ctx *c,
                       const void *arg, cairo_status_t *st)
{
    cairo_t *cr = cairo_create(surf);
    svp_canvas cv;
    svp_err err;

    cairo_scale(cr, scale, scale);
    set_font_options(cr);
    cv.cr = cr;
    cv.font = c->font;
    err = f(&cv, c, arg);
    *st = cairo_status(cr);
    cairo_destroy(cr);
    return err;
}

static svp_err write_png(const char *path, draw_fn f, const ctx *c, const void *arg,
                         svp_diag *d)
{
    cairo_surface_t *surf = NULL;
    cairo_status_t st = CAIRO_STATUS_SUCCESS;
    FILE *fp = NULL;
    svp_err err;

    surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, SVP_CHART_PNG_W, SVP_CHART_PNG_H);
    st = cairo_surface_status(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        err = svp_diag_set(d, st == CAIRO_STATUS_NO_MEMORY ? SVP_ERR_NOMEM : SVP_ERR_INTERNAL,
                           path, 0, NULL, "cairo: %s", cairo_status_to_string(st));
        goto fail;
    }
    err = draw_on(surf, SVP_CHART_PNG_SCALE, f, c, arg, &st);
    if (err != SVP_OK) {
        svp_diag_set(d, err, path, 0, NULL, "%s while drawing", svp_strerror(err));
        goto fail;
    }
    if (st != CAIRO_STATUS_SUCCESS) {
        err = svp_diag_set(d, SVP_ERR_INTERNAL, path, 0, NULL, "cairo: %s",
                           cairo_status_to_string(st));
        goto fail;
    }
    cairo_surface_flush(surf);
    fp = fopen(path, "wb");
    if (fp == NULL) {
        err = svp_diag_set(d, SVP_ERR_IO, path, 0, NULL, "cannot create: %s", strerror(errno));
        goto fail;
    }
    st = cairo_surface_write_to_png_stream(surf, write_cb, fp);
    if (st != CAIRO_STATUS_SUCCESS) {
        err = svp_diag_set(d, SVP_ERR_IO, path, 0, NULL, "cannot write the PNG: %s",
                           cairo_status_to_string(st));
        goto fail;
    }
    if (fclose(fp) != 0) {
        fp = NULL;
        err = svp_diag_set(d, SVP_ERR_IO, path, 0, NULL, "cannot write: %s", strerror(errno));
        goto fail;
    }
    fp = NULL;
    err = SVP_OK;
fail:
    if (fp != NULL)
        fclose(fp);
    if (surf != NULL)
        cairo_surface_destroy(surf);
    return err;
}

static svp_err write_pdf(const char *path, const char *title, draw_fn f, const ctx *c,
                         const void *arg, svp_diag *d)
{
    cairo_surface_t *surf = NULL;
    cairo_status_t st = CAIRO_STATUS_SUCCESS;
    FILE *fp = NULL;
    char creator[128];
    svp_err err;

    fp = fopen(path, "wb");
    if (fp == NULL) {
        err = svp_diag_set(d, SVP_ERR_IO, path, 0, NULL, "cannot create: %s", strerror(errno));
        goto fail;
    }
    surf = cairo_pdf_surface_create_for_stream(write_cb, fp, SVP_CHART_W, SVP_CHART_H);
    st = cairo_surface_status(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        err = svp_diag_set(d, SVP_ERR_INTERNAL, path, 0, NULL, "cairo: %s",
                           cairo_status_to_string(st));
        goto fail;
    }
    snprintf(creator, sizeof creator, "servplan %s",
             c->r->version != NULL ? c->r->version : "");
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE,
                                   c->title[0] != '\0' ? c->title : title);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, creator);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, PDF_DATE);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_MOD_DATE, PDF_DATE);
    err = draw_on(surf, 1.0, f, c, arg, &st);
    if (err != SVP_OK) {
        svp_diag_set(d, err, path, 0, NULL, "%s while drawing", svp_strerror(err));
        goto fail;
    }
    if (st != CAIRO_STATUS_SUCCESS) {
        err = svp_diag_set(d, SVP_ERR_INTERNAL, path, 0, NULL, "cairo: %s",
                           cairo_status_to_string(st));
        goto fail;
    }
    cairo_surface_finish(surf);
    st = cairo_surface_status(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        err = svp_diag_set(d, SVP_ERR_IO, path, 0, NULL, "cannot write the PDF: %s",
                           cairo_status_to_string(st));
        goto fail;
    }
    cairo_surface_destroy(surf);
    surf = NULL;
    if (fclose(fp) != 0) {
        fp = NULL;
        err = svp_diag_set(d, SVP_ERR_IO, path, 0, NULL, "cannot write: %s", strerror(errno));
        goto fail;
    }
    fp = NULL;
    err = SVP_OK;
fail:
    if (surf != NULL)
        cairo_surface_destroy(surf);   /* finishes it; its writes go to fp, still open */
    if (fp != NULL)
        fclose(fp);
    return err;
}

/* dir/NAME.png and dir/NAME.pdf.  Characters of name outside [A-Za-z0-9._-]
 * (it may come from a scenario name) become '_'. */
static svp_err write_chart(const char *dir, const char *name, draw_fn f, const ctx *c,
                           const void *arg, svp_diag *d)
{
    char path[PATH_CAP], clean[SVP_NAME_MAX + 64];
    size_t i;
    int len;
    svp_err err;

    for (i = 0; name[i] != '\0' && i + 1 < sizeof clean; i++) {
        char ch = name[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                 || ch == '.' || ch == '_' || ch == '-';
        if (!ok)
            ch = '_';
        clean[i] = ch;
    }
    clean[i] = '\0';
    len = snprintf(path, sizeof path, "%s/%s.png", dir, clean);
    if (len < 0 || (size_t)len >= sizeof path)
        return svp_diag_set(d, SVP_ERR_IO, dir, 0, NULL, "path too long for chart '%s'", clean);
    err = write_png(path, f, c, arg, d);
    if (err != SVP_OK)
        return err;
    snprintf(path, sizeof path, "%s/%s.pdf", dir, clean);
    return write_pdf(path, clean, f, c, arg, d);
}

/* "data/hardware.csv, data/prices.csv, ..." for the caption. */
static void build_caption(ctx *c)
{
    const svp_report_input *r = c->r;
    static const char *const roles[] = {"hardware", "prices", "model"};
    char inputs[TEXT_CAP] = "";
    size_t len = 0;
    const char *mem = "chart.memory.physical";

    for (size_t k = 0; k < sizeof roles / sizeof roles[0]; k++) {
        for (size_t i = 0; r->files != NULL && i < r->n_files; i++) {
            if (r->files[i].role == NULL || r->files[i].path == NULL
                || strcmp(r->files[i].role, roles[k]) != 0)
                continue;
            int w = snprintf(inputs + len, sizeof inputs - len, "%s%s", len > 0 ? ", " : "",
                             r->files[i].path);
            if (w > 0 && (size_t)w < sizeof inputs - len)
                len += (size_t)w;
        }
    }
    if (len == 0)
        snprintf(inputs, sizeof inputs, "data/");
    if (r->in != NULL && r->in->opts != NULL && r->in->opts->memory_model == SVP_MEM_SEED)
        mem = "chart.memory.seed";
    const char *names[3] = {"version", "inputs", "memory"};
    const char *values[3] = {r->version != NULL ? r->version : "", inputs, tr(c, mem)};
    svp_tr_fill(c->tr, "chart.caption", c->caption, sizeof c->caption, names, values, 3);
}

static double whatif_base(const svp_chip_result *ch)
{
    return ch->has_whatif && ok_pos(ch->whatif.base_tps) ? ch->whatif.base_tps : 0.0;
}

static svp_err write_whatif(const char *dir, const ctx *c, svp_diag *d)
{
    const svp_analysis *an = c->an;
    size_t *idx = svp_calloc(an->n_chips ? an->n_chips : 1, sizeof *idx);
    size_t n = 0;
    whatif_arg a;
    svp_err err = SVP_OK;

    if (idx == NULL)
        return svp_diag_set(d, SVP_ERR_NOMEM, dir, 0, NULL, "out of memory");
    memset(&a, 0, sizeof a);
    for (size_t i = 0; i < an->n_chips; i++) {
        const svp_chip_result *ch = &an->chips[i];
        if (whatif_base(ch) <= 0.0)
            continue;
        /* Insertion by base throughput, highest first; ties keep input order. */
        size_t j = n++;
        while (j > 0 && whatif_base(&an->chips[idx[j - 1]]) < whatif_base(ch)) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = i;
    }
    a.pages = n == 0 ? 1 : (int)((n + WHATIF_PER_PAGE - 1) / WHATIF_PER_PAGE);
    for (int pg = 0; pg < a.pages && err == SVP_OK; pg++) {
        char name[64];
        size_t first = (size_t)pg * WHATIF_PER_PAGE;
        a.page = pg + 1;
        a.chips = idx + first;
        a.n = n == 0 ? 0 : (n - first < WHATIF_PER_PAGE ? n - first : WHATIF_PER_PAGE);
        /* One x range for the panels of a page, so they compare at a glance;
         * at least +-10 % so that tiny changes do not look large. */
        a.lo = -10.0;
        a.hi = 10.0;
        for (size_t k = 0; k < a.n; k++)
            for (int r = 0; r < SVP_RES_COUNT; r++)
                for (int h = 0; h < 2; h++) {
                    double v = whatif_pct(&an->chips[a.chips[k]].whatif, r, h);
                    if (isfinite(v) && v < a.lo)
                        a.lo = v;
                    if (isfinite(v) && v > a.hi)
                        a.hi = v;
                }
        if (pg == 0)
            snprintf(name, sizeof name, "whatif_tornado");
        else
            snprintf(name, sizeof name, "whatif_tornado_%d", pg + 1);
        err = write_chart(dir, name, chart_whatif, c, &a, d);
    }
    svp_free(idx);
    return err;
}

svp_err svp_charts_write(const char *dir, const svp_report_input *r, svp_diag *d)
{
    svp_strings builtin;
    char title[TEXT_CAP] = "";
    ctx c;
    svp_err err;
    comm_arg tp = {0}, ep = {1};

    memset(&builtin, 0, sizeof builtin);
    memset(&c, 0, sizeof c);
    if (r == NULL || r->an == NULL || dir == NULL)
        return svp_diag_set(d, SVP_ERR_INTERNAL, NULL, 0, NULL, "charts: no analysis given");
    c.r = r;
    c.an = r->an;
    c.title = title;
    c.font = r->font_family != NULL && r->font_family[0] != '\0' ? r->font_family : DEFAULT_FONT;
    if (r->tr != NULL) {
        c.tr = r->tr;
    } else {
        err = builtin_strings(&builtin);
        if (err != SVP_OK)
            return svp_diag_set(d, err, dir, 0, NULL, "out of memory");
        c.tr = &builtin;
    }
    c.dec = -1;
    if (c.an->n_chips > 0) {
        const svp_chip_result *ch = &c.an->chips[0];
        for (size_t s = 0; s < ch->n_scen; s++)
            if (ch->scen[s].scen != NULL && ch->scen[s].scen->phase == SVP_PHASE_DECODE) {
                c.dec = (int)s;
                break;
            }
    }
    build_caption(&c);

    err = write_chart(dir, "decode_frontier", chart_decode_frontier, &c, NULL, d);
    if (err == SVP_OK && c.an->n_chips > 0) {
        const svp_chip_result *ch = &c.an->chips[0];
        for (size_t s = 0; s < ch->n_scen && err == SVP_OK; s++) {
            int si = (int)s;
            char name[SVP_NAME_MAX + 32];
            if (ch->scen[s].scen == NULL || ch->scen[s].scen->phase != SVP_PHASE_PREFILL)
                continue;
            snprintf(name, sizeof name, "prefill_frontier_%s", ch->scen[s].scen->name);
            err = write_chart(dir, name, chart_prefill_frontier, &c, &si, d);
        }
    }
    if (err == SVP_OK)
        err = write_chart(dir, "tps_vs_batch", chart_tps_vs_batch, &c, NULL, d);
    if (err == SVP_OK)
        err = write_chart(dir, "comm_share_tp", chart_comm_share, &c, &tp, d);
    if (err == SVP_OK)
        err = write_chart(dir, "comm_share_ep", chart_comm_share, &c, &ep, d);
    if (err == SVP_OK)
        err = write_chart(dir, "price_performance", chart_price, &c, NULL, d);
    if (err == SVP_OK)
        err = write_whatif(dir, &c, d);
    /* Predicted vs measured: only when there are measurements to show. */
    if (err == SVP_OK && r->val_rows != NULL)
        err = write_chart(dir, "validation", chart_validation, &c, NULL, d);

    /* builtin borrows the literals: free only the arrays. */
    svp_free(builtin.keys);
    /* Every cairo object is gone: drop cairo's font caches (and the
     * fontconfig patterns they hold), which otherwise live until exit and
     * show as leaks under LeakSanitizer (`make san`).  Safe here because
     * servplan draws nothing else with cairo and is single-threaded. */
    cairo_debug_reset_static_data();
    return err;
}
