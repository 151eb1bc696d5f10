/*
 * chart.h - the small plotting layer under the report's charts
 * (src/io/chart_plot.c), and the label keys the charts use
 * (src/io/charts.c).  Internal to src/io: the public entry point is
 * svp_charts_write in report.h.
 *
 * Edge code on cairo.  A chart is drawn once, in logical units (points), on
 * a canvas of SVP_CHART_W x SVP_CHART_H; the same drawing goes to a PNG
 * (scaled by SVP_CHART_PNG_SCALE) and to a PDF, so both look the same.
 * Nothing here decides anything about the model: it draws numbers it is
 * given and skips the ones that are not finite.
 */
#ifndef SERVPLAN_CHART_H
#define SERVPLAN_CHART_H

/* The font for any text holding CJK characters, whatever the report's
 * language (fonts-wqy-microhei, installed by make deps; it has Latin glyphs
 * too, so a zh report uses it throughout). */
#define SVP_CJK_FONT "WenQuanYi Micro Hei"

#include <stddef.h>

#include <cairo.h>

/* Canvas in points (PDF page size); the PNG is SVP_CHART_PNG_SCALE times as
 * many pixels: 640 x 400 pt -> 1600 x 1000 px.  At this size an 11 pt label
 * stays readable when the chart is printed a column wide. */
#define SVP_CHART_W 640.0
#define SVP_CHART_H 400.0
#define SVP_CHART_PNG_SCALE 2.5
#define SVP_CHART_PNG_W 1600
#define SVP_CHART_PNG_H 1000

/* ---- ticks -------------------------------------------------------------- */

typedef enum svp_axis_kind {
    SVP_AXIS_LIN = 0,
    SVP_AXIS_LOG10,   /* decades, with 2 and 5 labelled when few decades */
    SVP_AXIS_LOG2     /* powers of two (batch, TP, EP) */
} svp_axis_kind;

#define SVP_TICKS_MAX 32

typedef struct svp_ticks {
    double lo, hi;                 /* the axis range, widened to the outer ticks (LIN) */
    double step;                   /* LIN: distance between ticks; LOG: 0 */
    double v[SVP_TICKS_MAX];       /* tick values, ascending, within [lo, hi] */
    int n;
} svp_ticks;

/* Heckbert's "nice number" (Graphics Gems I, 1990): a number 1, 2, 5 or 10
 * times a power of ten close to x > 0; round = 1 rounds to the nearest,
 * round = 0 takes the smallest nice number >= x.  0 for x <= 0 or not finite. */
double svp_chart_nice(double x, int round);

/* Ticks for data in [lo, hi] (finite, lo <= hi; for LOG kinds lo > 0), at
 * most max_ticks (2..SVP_TICKS_MAX).  LIN: nice step, range widened to
 * multiples of it; a degenerate range is widened around the value.  LOG10:
 * up to 3.5 decades, ticks at 1, 2, 5 x 10^k with the range widened to the
 * outer ones, if at most max_ticks; else a tick every (k-th) decade, the
 * range the data widened by 4 % of its decades (0.15 decade for one value)
 * LOG2:
 * powers of two, every k-th one so that at most max_ticks remain; the range
 * is the data itself widened by a quarter octave.  Returns 0, or -1 for bad
 * arguments (t->n = 0). */
int svp_chart_ticks(double lo, double hi, int max_ticks, svp_axis_kind kind, svp_ticks *t);

/* The same ticks, but the axis range is exactly [lo, hi] (lo < hi) and
 * ticks outside it are dropped: for panels whose range is already padded. */
int svp_chart_ticks_tight(double lo, double hi, int max_ticks, svp_axis_kind kind,
                          svp_ticks *t);

/* Formats a tick value: decimals enough for step (LIN) or for the value
 * (LOG), thousands grouped with commas ("12,500", "0.25", "1,024").
 * Always NUL-terminated; never prints nan/inf (writes "" instead). */
void svp_chart_fmt(double v, double step, char *out, size_t cap);


/* ---- drawing ------------------------------------------------------------ */

/* Font sizes in points on the canvas: >= 11 pt for everything a reader must
 * read; SVP_FONT_MIN is the floor when a long translated label is shrunk to
 * fit. */
#define SVP_FONT_TITLE 15.0
#define SVP_FONT_LABEL 12.5
#define SVP_FONT_TICK 11.0
#define SVP_FONT_LEGEND 11.0
#define SVP_FONT_NOTE 11.0
#define SVP_FONT_CAPTION 11.0
#define SVP_FONT_MIN 9.0
#define SVP_CHART_MARGIN 14.0
#define SVP_LINE_W 1.6
#define SVP_MARKER_R 3.3

#define SVP_CHART_COLORS 8
#define SVP_CHART_MARKERS 8
#define SVP_CHART_DASHES 4

typedef struct svp_rgb { double r, g, b; } svp_rgb;

/* How one series looks: palette index, marker shape, dash pattern (for
 * bars: the hatching). */
typedef struct svp_chart_style { int color, marker, dash; } svp_chart_style;

typedef struct svp_box { double x0, y0, x1, y1; } svp_box;   /* y0 is the top */

typedef struct svp_canvas {
    cairo_t *cr;
    const char *font;   /* cairo toy-API family, e.g. "DejaVu Sans" */
} svp_canvas;

typedef struct svp_plot {
    svp_box box;               /* the data rectangle */
    svp_axis_kind kx, ky;
    svp_ticks tx, ty;          /* tx.lo..tx.hi is the x range shown */
} svp_plot;

typedef enum svp_valign { SVP_VA_BASELINE = 0, SVP_VA_TOP, SVP_VA_MIDDLE, SVP_VA_BOTTOM } svp_valign;

typedef enum svp_legend_kind { SVP_LEG_LINE = 0, SVP_LEG_MARKER, SVP_LEG_HOLLOW, SVP_LEG_BOX } svp_legend_kind;

typedef struct svp_legend_item {
    const char *label;
    svp_chart_style style;
    svp_legend_kind kind;
} svp_legend_item;

svp_rgb svp_chart_color(int i);
/* The look of series i: unique (marker, colour) for 64 series. */
svp_chart_style svp_chart_style_of(int i);
void svp_chart_set_rgb(cairo_t *cr, svp_rgb c, double alpha);
void svp_chart_set_dash(cairo_t *cr, int dash, double line_w);
void svp_chart_marker(cairo_t *cr, svp_chart_style s, double x, double y, double r, int hollow);
/* A filled, hatched (s.dash) rectangle between two corners. */
void svp_chart_bar(const svp_canvas *cv, double xa, double ya, double xb, double yb,
                   svp_chart_style s);

void svp_chart_font(const svp_canvas *cv, double size, int bold);
double svp_chart_text_w(const svp_canvas *cv, const char *s);
/* Text at (x, y); ax: 0 left, 0.5 centre, 1 right of x. */
void svp_chart_text(const svp_canvas *cv, double x, double y, const char *s, double ax,
                    svp_valign va);
/* Selects the font at size, shrunk (not below min_size) until s fits max_w;
 * returns the size chosen. */
double svp_chart_text_fit(const svp_canvas *cv, const char *s, double size, double min_size,
                          double max_w, int bold);

/* White page, title, optional subtitle, caption at the bottom; *area
 * receives what is left for the plot and legend. */
void svp_chart_page(const svp_canvas *cv, const char *title, const char *subtitle,
                    const char *caption, svp_box *area);
/* A grey message in the middle of area ("no data"). */
void svp_chart_message(const svp_canvas *cv, const svp_box *area, const char *msg);

double svp_chart_legend_w(const svp_canvas *cv, const svp_legend_item *it, size_t n);
double svp_chart_legend_h(size_t n);
void svp_chart_legend(const svp_canvas *cv, double x, double y, const svp_legend_item *it,
                      size_t n);

/* Places p->box inside area (p->tx, p->ty set), keeping right_reserve
 * points free on the right for a legend. */
void svp_plot_layout(const svp_canvas *cv, svp_plot *p, const svp_box *area,
                     double right_reserve);
/* Canvas coordinates of a data value; NAN when not drawable. */
double svp_plot_x(const svp_plot *p, double v);
double svp_plot_y(const svp_plot *p, double v);
void svp_plot_axes(const svp_canvas *cv, const svp_plot *p, const char *xlabel,
                   const char *ylabel);
/* Clips to the data rectangle (plus room for half a marker); use inside
 * cairo_save/restore. */
void svp_plot_clip(const svp_canvas *cv, const svp_plot *p);
/* Markers (hollow[i] != 0: hollow; hollow may be NULL) and, when with_line,
 * a line through the filled ones, broken at gaps. */
void svp_plot_series(const svp_canvas *cv, const svp_plot *p, const double *xs,
                     const double *ys, const int *hollow, size_t n, svp_chart_style s,
                     int with_line);

/* ---- validation targets ------------------------------------------------- */

/* The accuracy targets of issue 4 ("Defaults and targets"): median absolute
 * error <= 15 % on the published deployments, with the hardware table as
 * given and leave-one-out, and no point worse than 35 %.  The Validation
 * sheet (xlsx.c) says whether they are met; the validation chart draws them
 * (a +-15 % band and +-35 % lines around y = x).  Error % = (predicted -
 * measured) / measured x 100 (calibrate.h). */
#define SVP_VAL_TARGET_MEDIAN_PCT 15.0
#define SVP_VAL_TARGET_WORST_PCT 35.0

/* ---- label keys --------------------------------------------------------- */

/* Every key the charts look up in the templates (prefix "chart."), with its
 * English text, NULL-ended.  report.c may pass the keys as `required` to
 * svp_strings_load so a translation cannot lack one. */
typedef struct svp_chart_key {
    const char *key;
    const char *en;
} svp_chart_key;

extern const svp_chart_key svp_chart_keys[];
/* The same keys alone, NULL-ended, in the shape svp_strings_load wants. */
extern const char *const svp_chart_required[];

#endif
