/*
 * chart_plot.c - the plotting layer under the report's charts (chart.h):
 * nice-number ticks, tick labels, and the cairo drawing of text, axes,
 * series, markers, bars and legends on a logical canvas in points.
 *
 * Edge code: it draws what it is given; it never decides what a chart shows
 * (charts.c does) and never touches files.  Non-finite values, and values
 * <= 0 on a log axis, are skipped here so none reaches cairo.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "servplan/chart.h"

/* ---- ticks -------------------------------------------------------------- */

double svp_chart_nice(double x, int round)
{
    double e, f, nf;

    if (!isfinite(x) || x <= 0.0)
        return 0.0;
    e = floor(log10(x));
    f = x / pow(10.0, e);   /* 1 <= f < 10 */
    if (round) {
        /* The same tolerance: 0.7 / 0.1 = 6.9999999999999991 is 7. */
        if (f < 1.5 - 1e-9)
            nf = 1.0;
        else if (f < 3.0 - 1e-9)
            nf = 2.0;
        else if (f < 7.0 - 1e-9)
            nf = 5.0;
        else
            nf = 10.0;
    } else {
        /* A small tolerance so that 2.0000000001 (a product of float
         * arithmetic) still counts as 2; likewise in the rounding branch. */
        if (f <= 1.0 + 1e-9)
            nf = 1.0;
        else if (f <= 2.0 + 1e-9)
            nf = 2.0;
        else if (f <= 5.0 + 1e-9)
            nf = 5.0;
        else
            nf = 10.0;
    }
    return nf * pow(10.0, e);
}

static int lin_count(double lo, double hi, double d)
{
    return (int)(floor(hi / d + 0.5) - floor(lo / d + 0.5)) + 1;
}

static int ticks_lin(double lo, double hi, int max_ticks, svp_ticks *t)
{
    double range, d, glo, ghi;

    if (hi - lo <= 0.0) {
        /* One value: a range around it that still shows it. */
        double w = fabs(lo) > 0.0 ? fabs(lo) * 0.5 : 1.0;
        lo -= w;
        hi += w;
    }
    range = svp_chart_nice(hi - lo, 0);
    d = svp_chart_nice(range / (double)(max_ticks - 1), 1);
    if (d <= 0.0)
        return -1;
    glo = floor(lo / d) * d;
    ghi = ceil(hi / d) * d;
    while (lin_count(glo, ghi, d) > max_ticks) {
        d = svp_chart_nice(d * 1.01, 0);
        glo = floor(lo / d) * d;
        ghi = ceil(hi / d) * d;
    }
    t->lo = glo;
    t->hi = ghi;
    t->step = d;
    t->n = 0;
    for (int i = 0; i < lin_count(glo, ghi, d) && t->n < SVP_TICKS_MAX; i++) {
        double v = glo + d * (double)i;
        /* Snap the accumulated error away (0.30000000000000004 -> 0.3) and
         * keep -0 out of the labels. */
        v = floor(v / d + 0.5) * d;
        t->v[t->n++] = fabs(v) < d * 1e-9 ? 0.0 : v;
    }
    return 0;
}

/* The largest 1-2-5 number <= v (down = 1) or the smallest >= v. */
static double step125(double v, int down)
{
    static const double m[] = {1.0, 2.0, 5.0, 10.0};
    double e = floor(log10(v)), best = down ? 0.0 : HUGE_VAL;
    for (int de = -1; de <= 1; de++)
        for (int k = 0; k < 4; k++) {
            double c = m[k] * pow(10.0, e + (double)de);
            if (down && c <= v * (1.0 + 1e-9) && c > best)
                best = c;
            if (!down && c >= v * (1.0 - 1e-9) && c < best)
                best = c;
        }
    return best;
}

static int ticks_log10(double lo, double hi, int max_ticks, svp_ticks *t)
{
    static const double m125[] = {1.0, 2.0, 5.0};
    double span = log10(hi) - log10(lo);

    t->step = 0.0;
    /* Few decades: 1-2-5 ticks, the range widened to the outer ones (as a
     * linear axis is), when they fit. */
    if (span <= 3.5) {
        double glo = step125(lo, 1), ghi = step125(hi, 0);
        if (ghi <= glo)
            ghi = step125(glo * 1.5, 0);
        t->lo = glo;
        t->hi = ghi;
        t->n = 0;
        for (int e = (int)floor(log10(glo)) - 1; e <= (int)ceil(log10(ghi)); e++)
            for (int k = 0; k < 3; k++) {
                double v = m125[k] * pow(10.0, (double)e);
                if (v >= glo * (1.0 - 1e-9) && v <= ghi * (1.0 + 1e-9) && t->n < SVP_TICKS_MAX)
                    t->v[t->n++] = v;
            }
        if (t->n <= max_ticks)
            return 0;
    }
    /* Many decades: a tick every k-th decade, the range the data widened
     * by 4 % of its span (a whole extra decade would waste the plot). */
    double pad = span > 0.0 ? 0.04 * span : 0.15;
    double llo = log10(lo) - pad, lhi = log10(hi) + pad;
    int e0 = (int)ceil(llo), e1 = (int)floor(lhi), every = 1;
    while ((e1 - e0) / every + 1 > max_ticks)
        every++;
    t->lo = pow(10.0, llo);
    t->hi = pow(10.0, lhi);
    t->n = 0;
    for (int e = e0; e <= e1 && t->n < SVP_TICKS_MAX; e += every)
        t->v[t->n++] = pow(10.0, (double)e);
    return 0;
}

static int ticks_log2(double lo, double hi, int max_ticks, svp_ticks *t)
{
    double llo = log2(lo) - 0.25, lhi = log2(hi) + 0.25;
    int e0 = (int)ceil(llo), e1 = (int)floor(lhi);
    int every = 1;

    while ((e1 - e0) / every + 1 > max_ticks)
        every++;
    t->lo = exp2(llo);
    t->hi = exp2(lhi);
    t->step = 0.0;
    t->n = 0;
    for (int e = e0; e <= e1 && t->n < SVP_TICKS_MAX; e += every)
        t->v[t->n++] = exp2((double)e);
    return 0;
}

int svp_chart_ticks(double lo, double hi, int max_ticks, svp_axis_kind kind, svp_ticks *t)
{
    memset(t, 0, sizeof *t);
    if (!isfinite(lo) || !isfinite(hi) || lo > hi || max_ticks < 2
        || max_ticks > SVP_TICKS_MAX)
        return -1;
    if (kind != SVP_AXIS_LIN && lo <= 0.0)
        return -1;
    switch (kind) {
    case SVP_AXIS_LIN: return ticks_lin(lo, hi, max_ticks, t);
    case SVP_AXIS_LOG10: return ticks_log10(lo, hi, max_ticks, t);
    case SVP_AXIS_LOG2: return ticks_log2(lo, hi, max_ticks, t);
    }
    return -1;
}

int svp_chart_ticks_tight(double lo, double hi, int max_ticks, svp_axis_kind kind,
                          svp_ticks *t)
{
    int k = 0;
    if (svp_chart_ticks(lo, hi, max_ticks, kind, t) != 0 || hi <= lo)
        return -1;
    for (int i = 0; i < t->n; i++)
        if (t->v[i] >= lo - 1e-9 * (hi - lo) && t->v[i] <= hi + 1e-9 * (hi - lo))
            t->v[k++] = t->v[i];
    t->n = k;
    t->lo = lo;
    t->hi = hi;
    return 0;
}

void svp_chart_fmt(double v, double step, char *out, size_t cap)
{
    char raw[64], grouped[96];
    int dec;

    if (cap == 0)
        return;
    out[0] = '\0';
    if (!isfinite(v))
        return;
    if (step > 0.0)
        dec = step >= 1.0 ? 0 : (int)-floor(log10(step) + 1e-9);
    else
        dec = fabs(v) >= 1.0 || v == 0.0 ? 0 : (int)-floor(log10(fabs(v)) + 1e-9);
    if (dec > 9)
        dec = 9;
    if (dec == 0 && fabs(v) < 0.5)
        v = 0.0;   /* no "-0" */
    snprintf(raw, sizeof raw, "%.*f", dec, v);
    if (strcmp(raw, "-0") == 0)
        snprintf(raw, sizeof raw, "0");

    /* Commas every three digits of the integer part. */
    {
        const char *p = raw;
        size_t o = 0, ndig = 0;
        if (*p == '-')
            grouped[o++] = *p++;
        while (p[ndig] >= '0' && p[ndig] <= '9')
            ndig++;
        for (size_t i = 0; i < ndig; i++) {
            if (i > 0 && (ndig - i) % 3 == 0)
                grouped[o++] = ',';
            grouped[o++] = p[i];
        }
        snprintf(grouped + o, sizeof grouped - o, "%s", p + ndig);
    }
    snprintf(out, cap, "%s", grouped);
}

/* ---- styles ------------------------------------------------------------- */

/* Okabe & Ito's colour-blind-safe palette ("Color Universal Design", 2008),
 * without its yellow (too light on white), plus a mid grey. */
static const svp_rgb palette[SVP_CHART_COLORS] = {
    {0.000, 0.447, 0.698},   /* blue       #0072B2 */
    {0.835, 0.369, 0.000},   /* vermillion #D55E00 */
    {0.000, 0.620, 0.451},   /* green      #009E73 */
    {0.800, 0.475, 0.655},   /* purple     #CC79A7 */
    {0.902, 0.624, 0.000},   /* orange     #E69F00 */
    {0.337, 0.706, 0.914},   /* sky blue   #56B4E9 */
    {0.000, 0.000, 0.000},   /* black */
    {0.550, 0.550, 0.550},   /* grey */
};

svp_rgb svp_chart_color(int i)
{
    if (i < 0)
        i = 0;
    return palette[i % SVP_CHART_COLORS];
}

svp_chart_style svp_chart_style_of(int i)
{
    svp_chart_style s;
    if (i < 0)
        i = 0;
    /* Marker and colour cycle with the same period but the colour shifts by
     * one every lap, so (marker, colour) stays unique for 64 series; the
     * dash cycles too, so a greyscale print still tells series apart. */
    s.marker = i % SVP_CHART_MARKERS;
    s.color = (i + i / SVP_CHART_MARKERS) % SVP_CHART_COLORS;
    s.dash = (i + i / SVP_CHART_MARKERS) % SVP_CHART_DASHES;
    return s;
}

void svp_chart_set_rgb(cairo_t *cr, svp_rgb c, double alpha)
{
    if (alpha >= 1.0)
        cairo_set_source_rgb(cr, c.r, c.g, c.b);
    else
        cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

void svp_chart_set_dash(cairo_t *cr, int dash, double lw)
{
    /* solid, dashed, dotted, dash-dot; lengths scale with the line width. */
    static const double d1[] = {6.0, 3.0};
    static const double d2[] = {1.2, 2.4};
    static const double d3[] = {7.0, 2.5, 1.5, 2.5};
    double buf[4];
    const double *d = NULL;
    int n = 0;

    switch (dash % SVP_CHART_DASHES) {
    case 1: d = d1; n = 2; break;
    case 2: d = d2; n = 2; break;
    case 3: d = d3; n = 4; break;
    default: break;
    }
    for (int i = 0; i < n; i++)
        buf[i] = d[i] * (lw > 1.0 ? lw : 1.0);
    cairo_set_dash(cr, n > 0 ? buf : NULL, n, 0.0);
}

/* Adds a marker's outline to the path, centred on (x, y), size r. */
static void marker_path(cairo_t *cr, int marker, double x, double y, double r)
{
    const double pi = 3.14159265358979323846;

    switch (marker % SVP_CHART_MARKERS) {
    case 0:   /* circle */
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, r, 0.0, 2.0 * pi);
        break;
    case 1:   /* square */
        cairo_rectangle(cr, x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
        break;
    case 2:   /* triangle up */
        cairo_move_to(cr, x, y - r * 1.15);
        cairo_line_to(cr, x + r * 1.05, y + r * 0.75);
        cairo_line_to(cr, x - r * 1.05, y + r * 0.75);
        cairo_close_path(cr);
        break;
    case 3:   /* diamond */
        cairo_move_to(cr, x, y - r * 1.2);
        cairo_line_to(cr, x + r * 1.0, y);
        cairo_line_to(cr, x, y + r * 1.2);
        cairo_line_to(cr, x - r * 1.0, y);
        cairo_close_path(cr);
        break;
    case 4:   /* triangle down */
        cairo_move_to(cr, x, y + r * 1.15);
        cairo_line_to(cr, x + r * 1.05, y - r * 0.75);
        cairo_line_to(cr, x - r * 1.05, y - r * 0.75);
        cairo_close_path(cr);
        break;
    case 5:   /* five-pointed star */
        for (int k = 0; k < 10; k++) {
            double a = -pi / 2.0 + (double)k * pi / 5.0;
            double rr = (k % 2 == 0) ? r * 1.3 : r * 0.55;
            if (k == 0)
                cairo_move_to(cr, x + rr * cos(a), y + rr * sin(a));
            else
                cairo_line_to(cr, x + rr * cos(a), y + rr * sin(a));
        }
        cairo_close_path(cr);
        break;
    case 6: { /* plus, as a fillable outline */
        double a = r * 1.1, b = r * 0.38;
        cairo_move_to(cr, x - b, y - a);
        cairo_line_to(cr, x + b, y - a);
        cairo_line_to(cr, x + b, y - b);
        cairo_line_to(cr, x + a, y - b);
        cairo_line_to(cr, x + a, y + b);
        cairo_line_to(cr, x + b, y + b);
        cairo_line_to(cr, x + b, y + a);
        cairo_line_to(cr, x - b, y + a);
        cairo_line_to(cr, x - b, y + b);
        cairo_line_to(cr, x - a, y + b);
        cairo_line_to(cr, x - a, y - b);
        cairo_line_to(cr, x - b, y - b);
        cairo_close_path(cr);
        break;
    }
    default:  /* triangle right */
        cairo_move_to(cr, x + r * 1.15, y);
        cairo_line_to(cr, x - r * 0.75, y - r * 1.05);
        cairo_line_to(cr, x - r * 0.75, y + r * 1.05);
        cairo_close_path(cr);
        break;
    }
}

void svp_chart_marker(cairo_t *cr, svp_chart_style s, double x, double y, double r, int hollow)
{
    if (!isfinite(x) || !isfinite(y))
        return;
    cairo_save(cr);
    cairo_set_dash(cr, NULL, 0, 0.0);
    cairo_new_path(cr);
    marker_path(cr, s.marker, x, y, r);
    if (hollow) {
        cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
        cairo_fill_preserve(cr);
        svp_chart_set_rgb(cr, svp_chart_color(s.color), 1.0);
        cairo_set_line_width(cr, 1.2);
        cairo_stroke(cr);
    } else {
        svp_chart_set_rgb(cr, svp_chart_color(s.color), 1.0);
        cairo_fill_preserve(cr);
        /* A thin white rim keeps overlapping markers apart. */
        cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
        cairo_set_line_width(cr, 0.5);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

/* ---- text --------------------------------------------------------------- */

void svp_chart_font(const svp_canvas *cv, double size, int bold)
{
    cairo_select_font_face(cv->cr, cv->font, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cv->cr, size);
}

/* Does s hold a code point from U+2E80 up (CJK radicals and ideographs,
 * kana, Hangul, full-width forms)?  Invalid UTF-8 never reaches here (the
 * readers reject it). */
static int needs_cjk(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p != 0) {
        unsigned cp;
        int len;
        if (*p < 0x80) {
            p++;
            continue;
        } else if ((*p & 0xE0) == 0xC0) {
            cp = *p & 0x1Fu;
            len = 1;
        } else if ((*p & 0xF0) == 0xE0) {
            cp = *p & 0x0Fu;
            len = 2;
        } else {
            cp = *p & 0x07u;
            len = 3;
        }
        p++;
        for (int i = 0; i < len && (*p & 0xC0) == 0x80; i++, p++)
            cp = (cp << 6) | (*p & 0x3Fu);
        if (cp >= 0x2E80)
            return 1;
    }
    return 0;
}

/* cairo's toy font API draws a string in one face, with no per-glyph
 * fallback: a Chinese chip name in an English chart would come out as
 * boxes in DejaVu Sans.  Such a string is measured and drawn in the CJK
 * face (which has Latin glyphs too) at the same slant, weight and size;
 * returns the face to restore, or NULL when nothing changed. */
static cairo_font_face_t *cjk_begin(const svp_canvas *cv, const char *s)
{
    cairo_font_face_t *old = cairo_get_font_face(cv->cr);
    if (!needs_cjk(s) || cairo_font_face_get_type(old) != CAIRO_FONT_TYPE_TOY
        || strcmp(cairo_toy_font_face_get_family(old), SVP_CJK_FONT) == 0)
        return NULL;
    cairo_font_face_t *cjk = cairo_toy_font_face_create(
        SVP_CJK_FONT, cairo_toy_font_face_get_slant(old), cairo_toy_font_face_get_weight(old));
    cairo_font_face_reference(old);
    cairo_set_font_face(cv->cr, cjk);
    cairo_font_face_destroy(cjk);
    return old;
}

static void cjk_end(const svp_canvas *cv, cairo_font_face_t *old)
{
    if (old == NULL)
        return;
    cairo_set_font_face(cv->cr, old);
    cairo_font_face_destroy(old);
}

double svp_chart_text_w(const svp_canvas *cv, const char *s)
{
    cairo_text_extents_t e;
    cairo_font_face_t *old = cjk_begin(cv, s);
    cairo_text_extents(cv->cr, s, &e);
    cjk_end(cv, old);
    return isfinite(e.x_advance) ? e.x_advance : 0.0;
}

void svp_chart_text(const svp_canvas *cv, double x, double y, const char *s, double ax,
                    svp_valign va)
{
    cairo_font_extents_t fe;
    double w, base;

    if (!isfinite(x) || !isfinite(y) || s == NULL || s[0] == '\0')
        return;
    cairo_font_extents(cv->cr, &fe);
    w = svp_chart_text_w(cv, s);
    /* Centre on the height of capitals and CJK ideographs (about 0.72 of
     * the ascent for DejaVu and WenQuanYi), not on the line box. */
    switch (va) {
    case SVP_VA_TOP: base = y + fe.ascent * 0.80; break;
    case SVP_VA_MIDDLE: base = y + fe.ascent * 0.38; break;
    case SVP_VA_BOTTOM: base = y - fe.descent * 0.6; break;
    default: base = y; break;
    }
    cairo_font_face_t *old = cjk_begin(cv, s);
    cairo_move_to(cv->cr, x - w * ax, base);
    cairo_show_text(cv->cr, s);
    cairo_new_path(cv->cr);
    cjk_end(cv, old);
}

double svp_chart_text_fit(const svp_canvas *cv, const char *s, double size, double min_size,
                          double max_w, int bold)
{
    svp_chart_font(cv, size, bold);
    double w = svp_chart_text_w(cv, s);
    if (w > max_w && w > 0.0) {
        size = size * max_w / w;
        if (size < min_size)
            size = min_size;
        svp_chart_font(cv, size, bold);
    }
    return size;
}

/* ---- page furniture ----------------------------------------------------- */

void svp_chart_page(const svp_canvas *cv, const char *title, const char *subtitle,
                    const char *caption, svp_box *area)
{
    cairo_t *cr = cv->cr;
    double y = SVP_CHART_MARGIN;
    double maxw = SVP_CHART_W - 2.0 * SVP_CHART_MARGIN;

    cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
    cairo_paint(cr);

    cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
    svp_chart_text_fit(cv, title, SVP_FONT_TITLE, SVP_FONT_MIN, maxw, 1);
    svp_chart_text(cv, SVP_CHART_MARGIN, y, title, 0.0, SVP_VA_TOP);
    y += SVP_FONT_TITLE + 5.0;
    if (subtitle != NULL && subtitle[0] != '\0') {
        cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
        svp_chart_text_fit(cv, subtitle, SVP_FONT_NOTE, SVP_FONT_MIN, maxw, 0);
        svp_chart_text(cv, SVP_CHART_MARGIN, y, subtitle, 0.0, SVP_VA_TOP);
        y += SVP_FONT_NOTE + 6.0;
    }
    y += 4.0;

    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    svp_chart_text_fit(cv, caption, SVP_FONT_CAPTION, SVP_FONT_MIN, maxw, 0);
    svp_chart_text(cv, SVP_CHART_MARGIN, SVP_CHART_H - SVP_CHART_MARGIN + 2.0, caption, 0.0,
                   SVP_VA_BOTTOM);

    area->x0 = SVP_CHART_MARGIN;
    area->x1 = SVP_CHART_W - SVP_CHART_MARGIN;
    area->y0 = y;
    area->y1 = SVP_CHART_H - SVP_CHART_MARGIN - SVP_FONT_CAPTION - 8.0;
}

void svp_chart_message(const svp_canvas *cv, const svp_box *area, const char *msg)
{
    cairo_set_source_rgb(cv->cr, 0.4, 0.4, 0.4);
    svp_chart_font(cv, SVP_FONT_LABEL, 0);
    svp_chart_text(cv, (area->x0 + area->x1) / 2.0, (area->y0 + area->y1) / 2.0, msg, 0.5,
                   SVP_VA_MIDDLE);
}

/* ---- legend ------------------------------------------------------------- */

#define LEG_SAMPLE 26.0   /* width of the line+marker sample */
#define LEG_GAP 5.0
#define LEG_ROW 15.0

double svp_chart_legend_w(const svp_canvas *cv, const svp_legend_item *it, size_t n)
{
    double w = 0.0;
    svp_chart_font(cv, SVP_FONT_LEGEND, 0);
    for (size_t i = 0; i < n; i++) {
        double tw = svp_chart_text_w(cv, it[i].label);
        if (tw > w)
            w = tw;
    }
    return w + LEG_SAMPLE + LEG_GAP + 4.0;
}

double svp_chart_legend_h(size_t n)
{
    return (double)n * LEG_ROW;
}

void svp_chart_legend(const svp_canvas *cv, double x, double y, const svp_legend_item *it,
                      size_t n)
{
    cairo_t *cr = cv->cr;
    svp_chart_font(cv, SVP_FONT_LEGEND, 0);
    for (size_t i = 0; i < n; i++) {
        double cy = y + LEG_ROW * ((double)i + 0.5);
        svp_rgb c = svp_chart_color(it[i].style.color);
        cairo_save(cr);
        if (it[i].kind == SVP_LEG_BOX) {
            svp_chart_bar(cv, x + 4.0, cy - 5.0, x + LEG_SAMPLE - 4.0, cy + 5.0, it[i].style);
        } else {
            if (it[i].kind == SVP_LEG_LINE) {
                svp_chart_set_rgb(cr, c, 1.0);
                cairo_set_line_width(cr, SVP_LINE_W);
                svp_chart_set_dash(cr, it[i].style.dash, SVP_LINE_W);
                cairo_move_to(cr, x, cy);
                cairo_line_to(cr, x + LEG_SAMPLE, cy);
                cairo_stroke(cr);
            }
            svp_chart_marker(cr, it[i].style, x + LEG_SAMPLE / 2.0, cy, SVP_MARKER_R,
                             it[i].kind == SVP_LEG_HOLLOW);
        }
        cairo_restore(cr);
        cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
        svp_chart_text(cv, x + LEG_SAMPLE + LEG_GAP, cy, it[i].label, 0.0, SVP_VA_MIDDLE);
    }
}

/* ---- bars --------------------------------------------------------------- */

void svp_chart_bar(const svp_canvas *cv, double xa, double ya, double xb, double yb,
                   svp_chart_style s)
{
    cairo_t *cr = cv->cr;
    double x0 = xa < xb ? xa : xb, x1 = xa < xb ? xb : xa;
    double y0 = ya < yb ? ya : yb, y1 = ya < yb ? yb : ya;
    svp_rgb c = svp_chart_color(s.color);

    if (!isfinite(x0) || !isfinite(x1) || !isfinite(y0) || !isfinite(y1))
        return;
    cairo_save(cr);
    cairo_set_dash(cr, NULL, 0, 0.0);
    cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
    svp_chart_set_rgb(cr, c, 1.0);
    cairo_fill_preserve(cr);
    /* Hatching (s.dash picks it) so that bars stay apart in greyscale:
     * none, diagonal, cross-hatch, horizontal lines every 4 pt. */
    if (s.dash % SVP_CHART_DASHES != 0) {
        double h = y1 - y0 + (x1 - x0);
        int n = (int)ceil((2.0 * h + (x1 - x0)) / 4.0);
        cairo_save(cr);
        cairo_clip(cr);
        cairo_set_source_rgba(cr, 1.0, 1.0, 1.0, 0.75);
        cairo_set_line_width(cr, 1.1);
        for (int i = 0; i < n; i++) {
            double t = -h + 4.0 * (double)i;
            switch (s.dash % SVP_CHART_DASHES) {
            case 1:
                cairo_move_to(cr, x0 + t, y1);
                cairo_line_to(cr, x0 + t + (y1 - y0), y0);
                break;
            case 2:
                cairo_move_to(cr, x0 + t, y1);
                cairo_line_to(cr, x0 + t + (y1 - y0), y0);
                cairo_move_to(cr, x0 + t, y0);
                cairo_line_to(cr, x0 + t + (y1 - y0), y1);
                break;
            default:
                if (y0 + (t + h) < y1) {
                    cairo_move_to(cr, x0, y0 + 1.5 + (t + h));
                    cairo_line_to(cr, x1, y0 + 1.5 + (t + h));
                }
                break;
            }
        }
        cairo_stroke(cr);
        cairo_restore(cr);
    }
    cairo_new_path(cr);
    cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
    cairo_set_source_rgb(cr, c.r * 0.6, c.g * 0.6, c.b * 0.6);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* ---- axes --------------------------------------------------------------- */

static double map(svp_axis_kind k, double lo, double hi, double v, double a, double b)
{
    double f;
    if (k == SVP_AXIS_LIN)
        f = (v - lo) / (hi - lo);
    else if (v <= 0.0)
        return NAN;
    else
        f = (log(v) - log(lo)) / (log(hi) - log(lo));
    return a + f * (b - a);
}

double svp_plot_x(const svp_plot *p, double v)
{
    return isfinite(v) ? map(p->kx, p->tx.lo, p->tx.hi, v, p->box.x0, p->box.x1) : NAN;
}

double svp_plot_y(const svp_plot *p, double v)
{
    return isfinite(v) ? map(p->ky, p->ty.lo, p->ty.hi, v, p->box.y1, p->box.y0) : NAN;
}

/* Widest y tick label, in the tick font. */
static double ytick_w(const svp_canvas *cv, const svp_plot *p)
{
    char buf[64];
    double w = 0.0;
    svp_chart_font(cv, SVP_FONT_TICK, 0);
    for (int i = 0; i < p->ty.n; i++) {
        svp_chart_fmt(p->ty.v[i], p->ty.step, buf, sizeof buf);
        double tw = svp_chart_text_w(cv, buf);
        if (tw > w)
            w = tw;
    }
    return w;
}

void svp_plot_layout(const svp_canvas *cv, svp_plot *p, const svp_box *area,
                     double right_reserve)
{
    double left = area->x0 + SVP_FONT_LABEL + 6.0 + ytick_w(cv, p) + 7.0;
    p->box.x0 = left;
    p->box.x1 = area->x1 - right_reserve;
    p->box.y0 = area->y0 + 4.0;
    p->box.y1 = area->y1 - (SVP_FONT_TICK + 6.0) - (SVP_FONT_LABEL + 8.0);
}

void svp_plot_axes(const svp_canvas *cv, const svp_plot *p, const char *xlabel,
                   const char *ylabel)
{
    cairo_t *cr = cv->cr;
    const svp_box *b = &p->box;
    char buf[64];

    cairo_save(cr);
    cairo_set_dash(cr, NULL, 0, 0.0);
    /* Grid. */
    cairo_set_line_width(cr, 0.5);
    cairo_set_source_rgb(cr, 0.86, 0.86, 0.86);
    for (int i = 0; i < p->tx.n; i++) {
        double x = svp_plot_x(p, p->tx.v[i]);
        if (!isfinite(x))
            continue;
        cairo_move_to(cr, x, b->y0);
        cairo_line_to(cr, x, b->y1);
    }
    for (int i = 0; i < p->ty.n; i++) {
        double y = svp_plot_y(p, p->ty.v[i]);
        if (!isfinite(y))
            continue;
        cairo_move_to(cr, b->x0, y);
        cairo_line_to(cr, b->x1, y);
    }
    cairo_stroke(cr);

    /* Frame. */
    cairo_set_line_width(cr, 0.9);
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    cairo_rectangle(cr, b->x0, b->y0, b->x1 - b->x0, b->y1 - b->y0);
    cairo_stroke(cr);

    /* Ticks and their labels. */
    svp_chart_font(cv, SVP_FONT_TICK, 0);
    for (int i = 0; i < p->tx.n; i++) {
        double x = svp_plot_x(p, p->tx.v[i]);
        if (!isfinite(x))
            continue;
        cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
        cairo_move_to(cr, x, b->y1);
        cairo_line_to(cr, x, b->y1 + 4.0);
        cairo_stroke(cr);
        svp_chart_fmt(p->tx.v[i], p->tx.step, buf, sizeof buf);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        svp_chart_text(cv, x, b->y1 + 6.0, buf, 0.5, SVP_VA_TOP);
    }
    for (int i = 0; i < p->ty.n; i++) {
        double y = svp_plot_y(p, p->ty.v[i]);
        if (!isfinite(y))
            continue;
        cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
        cairo_move_to(cr, b->x0 - 4.0, y);
        cairo_line_to(cr, b->x0, y);
        cairo_stroke(cr);
        svp_chart_fmt(p->ty.v[i], p->ty.step, buf, sizeof buf);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        svp_chart_text(cv, b->x0 - 6.0, y, buf, 1.0, SVP_VA_MIDDLE);
    }

    /* Axis labels. */
    cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
    svp_chart_text_fit(cv, xlabel, SVP_FONT_LABEL, SVP_FONT_MIN, b->x1 - b->x0, 0);
    svp_chart_text(cv, (b->x0 + b->x1) / 2.0, b->y1 + SVP_FONT_TICK + 10.0, xlabel, 0.5,
                   SVP_VA_TOP);
    if (ylabel != NULL && ylabel[0] != '\0') {
        svp_chart_text_fit(cv, ylabel, SVP_FONT_LABEL, SVP_FONT_MIN, b->y1 - b->y0, 0);
        cairo_save(cr);
        cairo_translate(cr, b->x0 - ytick_w(cv, p) - 13.0, (b->y0 + b->y1) / 2.0);
        cairo_rotate(cr, -3.14159265358979323846 / 2.0);
        svp_chart_text_fit(cv, ylabel, SVP_FONT_LABEL, SVP_FONT_MIN, b->y1 - b->y0, 0);
        svp_chart_text(cv, 0.0, 0.0, ylabel, 0.5, SVP_VA_BOTTOM);
        cairo_restore(cr);
    }
    cairo_restore(cr);
}

void svp_plot_clip(const svp_canvas *cv, const svp_plot *p)
{
    const svp_box *b = &p->box;
    cairo_rectangle(cv->cr, b->x0 - 6.0, b->y0 - 6.0, b->x1 - b->x0 + 12.0, b->y1 - b->y0 + 12.0);
    cairo_clip(cv->cr);
}

void svp_plot_series(const svp_canvas *cv, const svp_plot *p, const double *xs,
                     const double *ys, const int *hollow, size_t n, svp_chart_style s,
                     int with_line)
{
    cairo_t *cr = cv->cr;
    cairo_save(cr);
    svp_plot_clip(cv, p);
    if (with_line) {
        int open = 0;
        svp_chart_set_rgb(cr, svp_chart_color(s.color), 1.0);
        cairo_set_line_width(cr, SVP_LINE_W);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        svp_chart_set_dash(cr, s.dash, SVP_LINE_W);
        cairo_new_path(cr);
        for (size_t i = 0; i < n; i++) {
            double x = svp_plot_x(p, xs[i]), y = svp_plot_y(p, ys[i]);
            /* A gap (a skipped or hollow point) breaks the line. */
            if (!isfinite(x) || !isfinite(y) || (hollow != NULL && hollow[i])) {
                open = 0;
                continue;
            }
            if (open)
                cairo_line_to(cr, x, y);
            else
                cairo_move_to(cr, x, y);
            open = 1;
        }
        cairo_stroke(cr);
    }
    for (size_t i = 0; i < n; i++) {
        double x = svp_plot_x(p, xs[i]), y = svp_plot_y(p, ys[i]);
        if (isfinite(x) && isfinite(y))
            svp_chart_marker(cr, s, x, y, SVP_MARKER_R, hollow != NULL && hollow[i]);
    }
    cairo_restore(cr);
}
