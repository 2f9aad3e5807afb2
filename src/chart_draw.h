/*
 * chart_draw: the steps every chart kind shares (chart.c defines them).
 *
 * Internal to the chart module: used by chart.c, chart_share.c and
 * chart_burnup.c only. Everyone else calls chart.h, the public API, which
 * says what a chart value holds.
 *
 * Nothing here fails: a broken input is a BUG(). Values are built in the
 * arena given; text is appended to buffers the caller releases.
 */
#ifndef YARDSTICK_CHART_DRAW_H
#define YARDSTICK_CHART_DRAW_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "chart.h"
#include "value.h"

/* Top margins for chart_frame_init(), in SVG units: room for the top tick
 * label, and also for the burn-up's start and due labels. */
#define CHART_MARGIN_TOP 10
#define CHART_MARGIN_TOP_EVENTS 22

/* ---- values: each puts one entry under the literal `key` of `map` ----- */

/* `v`, or an explicit null when `v` is NULL. */
void chart_put(struct arena *a, struct value *map, const char *key,
	       struct value *v);
/* `len` bytes of `s`, copied into the arena. */
void chart_put_copy(struct arena *a, struct value *map, const char *key,
		    const char *s, size_t len);
/* `s`, not copied: a literal or text that outlives the chart. */
void chart_put_literal(struct arena *a, struct value *map, const char *key,
		       const char *s);
/* The buffer's text, copied. */
void chart_put_buf(struct arena *a, struct value *map, const char *key,
		   const struct buf *b);
/* `d` rounded to tenths, as templates print it ("12.3", "40"). */
void chart_put_number(struct arena *a, struct value *map, const char *key,
		      double d);
void chart_put_bool(struct arena *a, struct value *map, const char *key,
		    bool b);
/* `day` as YYYY-MM-DD. */
void chart_put_date(struct arena *a, struct value *map, const char *key,
		    day_t day);
/* A new empty map (list) under `key`, returned to be filled. */
struct value *chart_put_map(struct arena *a, struct value *map,
			    const char *key);
struct value *chart_put_list(struct arena *a, struct value *map,
			     const char *key);
/* A new empty map appended to `list`, returned to be filled. */
struct value *chart_push_map(struct arena *a, struct value *list);
/* A null for every top-level key of the contract `chart` does not have:
 * the last step of every kind. */
void chart_complete(struct arena *a, struct value *chart);

/* ---- numbers as text, appended to `b` --------------------------------- */

/* `v` rounded to tenths: "12.3", "-4", and "12.0" when `keep_zero`. */
void chart_add_tenths(struct buf *b, double v, bool keep_zero);
/* A coordinate: tenths, no ".0". */
void chart_add_coord(struct buf *b, double v);
/* A value as the page prints it: "82.4%", "37", "–" for NaN. */
void chart_add_value_text(struct buf *b, enum chart_unit unit, double v);
/* YYYY-MM-DD. */
void chart_add_date(struct buf *b, day_t day);

/* ---- checks and counts ------------------------------------------------ */

/* BUG() unless `in` keeps the promises of chart.h. */
void chart_check_input(const struct chart_input *in);

/* Whether date i of `in` counts as recorded for a kind. */
typedef bool (*chart_recorded_fn)(const struct chart_input *in, size_t i);

/* Whether date i has a value in any series. */
bool chart_recorded_any(const struct chart_input *in, size_t i);
/* The number of dates `recorded` accepts; *first and *last are set to the
 * first and last of them when there is one. */
size_t chart_count_recorded(const struct chart_input *in,
			    chart_recorded_fn recorded, size_t *first,
			    size_t *last);
/* in->gap_days, with 0 read as 1. */
long chart_gap_days(const struct chart_input *in);
/* The largest value of any series, 0 when there is none above 0. */
double chart_data_max(const struct chart_input *in);

/* ---- frame ------------------------------------------------------------ */

struct chart_frame {
	double left, top, right, bottom; /* the plot area */
	day_t first, last;               /* x range, in days */
	double y_min, y_max;             /* y range; y_min is 0 but on sparklines */
	enum chart_unit unit;
};

/* The plot area of a `width` x `height` chart below `top_margin`; the
 * ranges are the caller's to set. BUG() when the chart is too small. */
void chart_frame_init(struct chart_frame *f, unsigned width, unsigned height,
		      double top_margin);
double chart_frame_x(const struct chart_frame *f, day_t day);
/* y of a value, clamped to the axis. */
double chart_frame_y(const struct chart_frame *f, double v);
/* The top of the y axis of `in` (whose largest value is `data_max`), and
 * its gridline step into *step. */
double chart_y_axis(const struct chart_input *in, double data_max,
		    double *step);
/* "x_ticks": dates at a step that suits the span of `f`. */
void chart_put_x_ticks(struct arena *a, struct value *chart,
		       const struct chart_frame *f);
/* "y_ticks": every `step` from 0 to the top of `f`. */
void chart_put_y_ticks(struct arena *a, struct value *chart,
		       const struct chart_frame *f, double step);
/* "plot" (the plot area and where the axis labels go), "first_date" and
 * "last_date". */
void chart_put_plot(struct arena *a, struct value *chart,
		    const struct chart_frame *f);

/* ---- a chart's keys --------------------------------------------------- */

/* A new chart of `kind` with the keys it has whether empty or not (kind,
 * empty_text, title, width, height, view_box, unit). *width and *height
 * get in's size or the defaults. */
struct value *chart_new(struct arena *a, const char *kind,
			const struct chart_input *in,
			const char *default_title, unsigned *width,
			unsigned *height, unsigned default_width,
			unsigned default_height);
/* `chart` made the chart of under two recorded days, completed, returned. */
struct value *chart_empty(struct arena *a, struct value *chart);

/* Which points of a series get a marker: every one, only the last and
 * those standing alone between gaps, or only the last. */
enum chart_marking { CHART_MARK_ALL, CHART_MARK_SOME, CHART_MARK_LAST };

/* `command` and a point: "M12.5 40". */
void chart_add_point(struct buf *b, char command, double x, double y);
/* Series s of `in` as a mapping of `series` (its "area" null, for a kind
 * to fill); `desc` gains a sentence about it. */
struct value *chart_series_value(struct arena *a, const struct chart_frame *f,
				 const struct chart_input *in, size_t s,
				 enum chart_marking marking, struct buf *desc);

/* Appends the text of the table cell of series s on date i to `b`. */
typedef void (*chart_cell_fn)(struct buf *b, const struct chart_input *in,
			      size_t s, size_t i);

/* A cell that is the series' value (chart_add_value_text()). */
void chart_value_cell(struct buf *b, const struct chart_input *in, size_t s,
		      size_t i);
/* "table": a head ("Date", then a label per series) and a row per date
 * `recorded` accepts, its cells written by `cell`. */
void chart_put_table(struct arena *a, struct value *chart,
		     const struct chart_input *in, chart_recorded_fn recorded,
		     chart_cell_fn cell);
/* "desc": `desc` without its trailing spaces (which it loses). */
void chart_put_desc(struct arena *a, struct value *chart, struct buf *desc);
/* Appends "first to last. " of `f` to `desc`. */
void chart_add_span(struct buf *desc, const struct chart_frame *f);

#endif
