/*
 * chart: trend-chart geometry as template data (see chart.h).
 *
 * Each kind builds one mapping through the same steps: count the recorded
 * days (under two gives the "empty" chart), lay out a frame (plot area,
 * x range in days, y range), trace each series into a path string, and add
 * ticks, legend data, the numbers as table rows, and the <title>/<desc>
 * texts. Every top-level key of the contract is present on every chart,
 * null when it does not apply (chart_complete()): a key left out would let
 * Mustache find the same name on the page around the chart.
 *
 * This file owns those common steps (chart_draw.h declares them for the
 * other kinds), the line chart and the sparkline. The level share is in
 * chart_share.c, the burn-up and its projection in chart_burnup.c.
 *
 * Coordinates are rounded to tenths and written from integers
 * (chart_add_coord), like badge.c writes only integers: no %f, nothing the
 * locale can touch.
 */
#include "chart.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart_draw.h"
#include "date.h"
#include "util.h"

/* Room around the plot area for tick labels, in SVG units. */
#define MARGIN_LEFT 40
#define MARGIN_RIGHT 24
#define MARGIN_BOTTOM 24
#define SPARK_MARGIN 4         /* room for the last value's marker */
#define MARKER_LEGEND_X 12     /* a legend swatch is 24 x 12 */
#define MARKER_LEGEND_Y 6

/*
 * The five series styles, in order: a marker shape (its path starts at
 * the point moved by dx, dy, then follows `tail`, relative commands only)
 * and, in the CSS, a dash pattern per `chart-series-N`. Series 6 looks
 * like series 1 again; the legend and the table still tell them apart.
 */
static const struct chart_style {
	const char *marker;
	double dx, dy;
	const char *tail;
} styles[] = {
	{ "circle", -3, 0, "a3 3 0 1 0 6 0a3 3 0 1 0-6 0z" },
	{ "square", -2.7, -2.7, "h5.4v5.4h-5.4z" },
	{ "triangle", 0, -3.6, "l3.4 6h-6.8z" },
	{ "diamond", 0, -3.8, "l3.8 3.8-3.8 3.8-3.8-3.8z" },
	{ "triangle-down", 0, 3.6, "l3.4-6h-6.8z" },
};

static const char *const month_names[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/*
 * Date ticks: the first rule whose span (last - first day) is not above
 * `max_span` gives the step, in days or in months. Week steps fall on
 * Mondays and month steps on the 1st of January, March, ... (for a step of
 * 2), so ticks stay put as days are added.
 */
static const struct tick_rule {
	long max_span;
	bool months;
	int step;
} tick_rules[] = {
	{ 7, false, 1 },    /* up to a week: every day */
	{ 16, false, 2 },   /* every other day */
	{ 56, false, 7 },   /* up to 8 weeks: Mondays */
	{ 110, false, 14 }, /* every other Monday */
	{ 200, true, 1 },   /* the 1st of each month */
	{ 420, true, 2 },   /* 400 days: every other month */
	{ 800, true, 3 },
	{ LONG_MAX, true, 6 },
};

/* Every top-level key of a chart value (docs/templates.md, "Charts"). */
static const char *const chart_keys[] = {
	"kind", "empty", "empty_text", "title", "desc", "width", "height",
	"view_box", "plot", "unit", "x_ticks", "y_ticks", "series", "legend",
	"bands", "events", "projection", "first_date", "last_date", "table",
};

/* ---- values ---------------------------------------------------------- */

/* A string value pointing at text that outlives the chart (a literal or
 * arena text): not copied. */
static struct value *text_value(struct arena *a, const char *s)
{
	struct value *v = value_new(a, VALUE_STRING);
	v->str = s;
	v->len = strlen(s);
	return v;
}

/* Put `v` (NULL: an explicit null) under the literal `key`. */
void chart_put(struct arena *a, struct value *map, const char *key,
	       struct value *v)
{
	static struct value null_value = { .type = VALUE_NULL };
	value_map_put(a, map, text_value(a, key), v ? v : &null_value);
}

/* Text copied into the arena (from a buffer or the caller's input). */
void chart_put_copy(struct arena *a, struct value *map, const char *key,
		    const char *s, size_t len)
{
	chart_put(a, map, key, value_new_string(a, s, len));
}

void chart_put_literal(struct arena *a, struct value *map, const char *key,
		       const char *s)
{
	chart_put(a, map, key, text_value(a, s));
}

void chart_put_buf(struct arena *a, struct value *map, const char *key,
		   const struct buf *b)
{
	chart_put_copy(a, map, key, b->data, b->len);
}

/* A number rounded to tenths, as templates print it ("12.3", "40"). */
void chart_put_number(struct arena *a, struct value *map, const char *key,
		      double d)
{
	chart_put(a, map, key, value_new_number(a, (double)lround(d * 10) / 10));
}

void chart_put_bool(struct arena *a, struct value *map, const char *key,
		    bool b)
{
	chart_put(a, map, key, value_new_bool(a, b));
}

struct value *chart_put_map(struct arena *a, struct value *map,
			    const char *key)
{
	struct value *v = value_new(a, VALUE_MAP);
	chart_put(a, map, key, v);
	return v;
}

struct value *chart_put_list(struct arena *a, struct value *map,
			     const char *key)
{
	struct value *v = value_new(a, VALUE_SEQ);
	chart_put(a, map, key, v);
	return v;
}

struct value *chart_push_map(struct arena *a, struct value *list)
{
	struct value *v = value_new(a, VALUE_MAP);
	value_seq_push(a, list, v);
	return v;
}

void chart_put_date(struct arena *a, struct value *map, const char *key,
		    day_t day)
{
	char text[11];
	date_format(day, text);
	chart_put_copy(a, map, key, text, 10);
}

/* Add a null for every contract key the chart does not have. */
void chart_complete(struct arena *a, struct value *chart)
{
	for (size_t k = 0; k < ARRAY_SIZE(chart_keys); k++)
		if (!value_get(chart, chart_keys[k]))
			chart_put(a, chart, chart_keys[k], NULL);
}

/* ---- numbers as text ------------------------------------------------- */

/* `v` rounded to tenths: "12.3", "-4", and "12.0" when `keep_zero`. */
void chart_add_tenths(struct buf *b, double v, bool keep_zero)
{
	long t = lround(v * 10);
	if (t < 0) {
		buf_addch(b, '-');
		t = -t;
	}
	buf_add_uint(b, (unsigned long)t / 10);
	if (t % 10 || keep_zero) {
		buf_addch(b, '.');
		buf_addch(b, (char)('0' + t % 10));
	}
}

void chart_add_coord(struct buf *b, double v)
{
	chart_add_tenths(b, v, false);
}

/* A value as the page prints it: "82.4%" (one decimal, as scores are
 * printed everywhere) or a count ("37", "2.5"); "–" for no value. */
void chart_add_value_text(struct buf *b, enum chart_unit unit, double v)
{
	if (isnan(v)) {
		buf_adds(b, "–");
		return;
	}
	chart_add_tenths(b, v, unit == CHART_PERCENT);
	if (unit == CHART_PERCENT)
		buf_addch(b, '%');
}

void chart_add_date(struct buf *b, day_t day)
{
	char text[11];
	date_format(day, text);
	buf_add(b, text, 10);
}

/* ---- checks and counts ----------------------------------------------- */

void chart_check_input(const struct chart_input *in)
{
	if (!in->series_count || !in->series)
		BUG("a chart needs at least one series");
	if (in->date_count && !in->dates)
		BUG("chart dates are NULL");
	for (size_t i = 1; i < in->date_count; i++)
		if (in->dates[i] <= in->dates[i - 1])
			BUG("chart dates are not strictly increasing");
	for (size_t s = 0; s < in->series_count; s++)
		if (in->date_count && !in->series[s].values)
			BUG("chart series without values");
}

/* Whether date i has a value in any series. */
bool chart_recorded_any(const struct chart_input *in, size_t i)
{
	for (size_t s = 0; s < in->series_count; s++)
		if (!isnan(in->series[s].values[i]))
			return true;
	return false;
}

/* The number of recorded dates and the first and last of them. */
size_t chart_count_recorded(const struct chart_input *in,
			    chart_recorded_fn recorded, size_t *first,
			    size_t *last)
{
	size_t n = 0;
	for (size_t i = 0; i < in->date_count; i++) {
		if (!recorded(in, i))
			continue;
		if (!n)
			*first = i;
		*last = i;
		n++;
	}
	return n;
}

long chart_gap_days(const struct chart_input *in)
{
	return in->gap_days ? (long)in->gap_days : 1;
}

/* ---- frame ----------------------------------------------------------- */

double chart_frame_x(const struct chart_frame *f, day_t day)
{
	if (f->last == f->first)
		return (f->left + f->right) / 2;
	return f->left + (f->right - f->left) * (double)(day - f->first) /
				 (double)(f->last - f->first);
}

/* y of a value, clamped to the axis. */
double chart_frame_y(const struct chart_frame *f, double v)
{
	if (v < f->y_min)
		v = f->y_min;
	if (v > f->y_max)
		v = f->y_max;
	return f->bottom - (f->bottom - f->top) * (v - f->y_min) /
				   (f->y_max - f->y_min);
}

/*
 * The top of a count axis and its step: the step is 1, 2 or 5 times a
 * power of ten (at least 1) that reaches `max` in at most 5 steps.
 */
static double count_step(double max, double *top)
{
	double step = 1;
	for (;;) {
		double m = step;
		if (m * 5 >= max)
			break;
		if (m * 2 * 5 >= max) {
			step = m * 2;
			break;
		}
		if (m * 5 * 5 >= max) {
			step = m * 5;
			break;
		}
		step = m * 10;
	}
	double steps = ceil(max / step);
	*top = (steps < 1 ? 1 : steps) * step;
	return step;
}

/* The y axis of `in`: its top, and gridlines every `*step`. */
double chart_y_axis(const struct chart_input *in, double data_max,
		    double *step)
{
	if (in->unit == CHART_PERCENT) {
		double top = in->y_max > 0 ? in->y_max : 100;
		*step = top / 4;
		return top;
	}
	double top;
	*step = count_step(in->y_max > 0 ? in->y_max : data_max, &top);
	if (in->y_max > 0) {
		/* A given top stays; the step divides it roughly in four. */
		top = in->y_max;
		*step = top / 4;
	}
	return top;
}

void chart_frame_init(struct chart_frame *f, unsigned width, unsigned height,
		      double top_margin)
{
	f->left = MARGIN_LEFT;
	f->top = top_margin;
	f->right = width - MARGIN_RIGHT;
	f->bottom = height - MARGIN_BOTTOM;
	if (f->right <= f->left + 1 || f->bottom <= f->top + 1)
		BUG("chart too small for its margins");
}

/* ---- ticks ----------------------------------------------------------- */

static void civil(day_t day, int *y, int *m, int *d)
{
	char text[11];
	date_format(day, text);
	*y = atoi(text);
	*m = atoi(text + 5);
	*d = atoi(text + 8);
}

/* The day of the 1st of month m (1..12) of year y, or -1 outside the
 * years date_parse() knows. */
static day_t month_start(int y, int m)
{
	char text[16];
	day_t day;
	if (y < 1970 || y > 9999)
		return -1;
	text[0] = (char)('0' + y / 1000);
	text[1] = (char)('0' + y / 100 % 10);
	text[2] = (char)('0' + y / 10 % 10);
	text[3] = (char)('0' + y % 10);
	text[4] = '-';
	text[5] = (char)('0' + m / 10);
	text[6] = (char)('0' + m % 10);
	memcpy(text + 7, "-01", 4);
	return date_parse(text, &day) == 0 ? day : -1;
}

static void push_x_tick(struct arena *a, struct value *ticks,
			const struct chart_frame *f, day_t day, bool months,
			bool with_year)
{
	int y, m, d;
	civil(day, &y, &m, &d);
	struct buf label = BUF_INIT;
	buf_adds(&label, month_names[m - 1]);
	if (!months)
		buf_addf(&label, " %d", d);
	else if (with_year)
		buf_addf(&label, " %d", y);
	struct value *tick = chart_push_map(a, ticks);
	chart_put_number(a, tick, "x", chart_frame_x(f, day));
	chart_put_buf(a, tick, "label", &label);
	chart_put_date(a, tick, "date", day);
	buf_release(&label);
}

void chart_put_x_ticks(struct arena *a, struct value *chart,
		       const struct chart_frame *f)
{
	struct value *ticks = chart_put_list(a, chart, "x_ticks");
	long span = f->last - f->first;
	const struct tick_rule *rule = tick_rules;
	while (span > rule->max_span)
		rule++;
	if (!rule->months) {
		for (day_t day = f->first; day <= f->last; day++) {
			bool on;
			if (rule->step < 7)
				on = (day - f->first) % rule->step == 0;
			else /* day 4, 1970-01-05, was a Monday */
				on = ((day + 3) % 7 == 0) &&
				     ((day + 3) / 7) % (rule->step / 7) == 0;
			if (on)
				push_x_tick(a, ticks, f, day, false, false);
		}
		return;
	}
	int y, m, d;
	civil(f->first, &y, &m, &d);
	bool first = true;
	for (;;) {
		day_t day = month_start(y, m);
		if (day < 0 || day > f->last)
			break;
		if (day >= f->first && (m - 1) % rule->step == 0) {
			push_x_tick(a, ticks, f, day, true, first || m == 1);
			first = false;
		}
		if (++m > 12) {
			m = 1;
			y++;
		}
	}
}

void chart_put_y_ticks(struct arena *a, struct value *chart,
		       const struct chart_frame *f, double step)
{
	struct value *ticks = chart_put_list(a, chart, "y_ticks");
	if (!(step > 0))
		return;
	for (int i = 0;; i++) {
		double v = step * i;
		if (v > f->y_max * (1 + 1e-9))
			break;
		struct value *tick = chart_push_map(a, ticks);
		struct buf label = BUF_INIT;
		chart_add_tenths(&label, v, false);
		if (f->unit == CHART_PERCENT)
			buf_addch(&label, '%');
		chart_put_number(a, tick, "y", chart_frame_y(f, v));
		chart_put_number(a, tick, "value", v);
		chart_put_buf(a, tick, "label", &label);
		buf_release(&label);
	}
}

/* ---- common keys ----------------------------------------------------- */

struct value *chart_new(struct arena *a, const char *kind,
			const struct chart_input *in,
			const char *default_title, unsigned *width,
			unsigned *height, unsigned default_width,
			unsigned default_height)
{
	*width = in->width ? in->width : default_width;
	*height = in->height ? in->height : default_height;
	struct value *chart = value_new(a, VALUE_MAP);
	chart_put_literal(a, chart, "kind", kind);
	chart_put_literal(a, chart, "empty_text", CHART_EMPTY_TEXT);
	if (in->title)
		chart_put_copy(a, chart, "title", in->title, strlen(in->title));
	else
		chart_put_literal(a, chart, "title", default_title);
	chart_put_number(a, chart, "width", *width);
	chart_put_number(a, chart, "height", *height);
	chart_put(a, chart, "view_box",
		  text_value(a, arena_printf(a, "0 0 %u %u", *width, *height)));
	chart_put_literal(a, chart, "unit",
			  in->unit == CHART_PERCENT ? "percent" : "count");
	return chart;
}

/* A chart with under two recorded days: the partial prints empty_text. */
struct value *chart_empty(struct arena *a, struct value *chart)
{
	chart_put_bool(a, chart, "empty", true);
	chart_put_literal(a, chart, "desc", CHART_EMPTY_TEXT);
	chart_put_bool(a, chart, "legend", false);
	chart_put_list(a, chart, "x_ticks");
	chart_put_list(a, chart, "y_ticks");
	chart_put_list(a, chart, "series");
	chart_complete(a, chart);
	return chart;
}

void chart_put_plot(struct arena *a, struct value *chart,
		    const struct chart_frame *f)
{
	struct value *plot = chart_put_map(a, chart, "plot");
	chart_put_number(a, plot, "left", f->left);
	chart_put_number(a, plot, "top", f->top);
	chart_put_number(a, plot, "right", f->right);
	chart_put_number(a, plot, "bottom", f->bottom);
	chart_put_number(a, plot, "width", f->right - f->left);
	chart_put_number(a, plot, "height", f->bottom - f->top);
	chart_put_number(a, plot, "y_label_x", f->left - 6);
	chart_put_number(a, plot, "x_label_y", f->bottom + 16);
	chart_put_date(a, chart, "first_date", f->first);
	chart_put_date(a, chart, "last_date", f->last);
}

/* ---- series ---------------------------------------------------------- */

static void add_marker(struct buf *b, size_t style, double x, double y)
{
	const struct chart_style *s = &styles[style];
	buf_addch(b, 'M');
	chart_add_coord(b, x + s->dx);
	buf_addch(b, ' ');
	chart_add_coord(b, y + s->dy);
	buf_adds(b, s->tail);
}

void chart_add_point(struct buf *b, char command, double x, double y)
{
	buf_addch(b, command);
	chart_add_coord(b, x);
	buf_addch(b, ' ');
	chart_add_coord(b, y);
}

/*
 * Trace `values` into `path`: `M` starts a run, `L` continues it, and a
 * day without a value or a gap of more than gap_days days ends it. A run
 * of one day gets "h0", a zero-length segment that the round line cap
 * draws as a dot, so a day between two gaps still shows. Markers go into
 * `markers` as one path, per `marking`: every point, or only the last and
 * those standing alone. Returns the number of points.
 */
static size_t trace(struct arena *a, const struct chart_frame *f,
		    const struct chart_input *in, const double *values,
		    size_t style, enum chart_marking marking, struct buf *path,
		    struct buf *markers)
{
	size_t n = in->date_count;
	bool *alone = arena_alloc_array(a, n ? n : 1, sizeof(*alone));
	size_t run = 0, prev = 0, points = 0, last = n;
	long gap = chart_gap_days(in);
	for (size_t i = 0; i <= n; i++) {
		bool have = i < n && !isnan(values[i]);
		bool joined = have && run && in->dates[i] - in->dates[prev] <= gap;
		if (run && !joined) {
			if (run == 1) {
				buf_adds(path, "h0");
				alone[prev] = true;
			}
			run = 0;
		}
		if (!have)
			continue;
		chart_add_point(path, run ? 'L' : 'M',
				chart_frame_x(f, in->dates[i]),
				chart_frame_y(f, values[i]));
		run++;
		prev = last = i;
		points++;
	}
	if (!points)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(values[i]))
			continue;
		bool mark = i == last || marking == CHART_MARK_ALL ||
			    (marking == CHART_MARK_SOME && alone[i]);
		if (mark)
			add_marker(markers, style, chart_frame_x(f, in->dates[i]),
				   chart_frame_y(f, values[i]));
	}
	return points;
}

/* `first` or `last`: a value's date, text and place. */
static void put_end(struct arena *a, struct value *series, const char *key,
		    const struct chart_frame *f, const struct chart_input *in,
		    const double *values, size_t i)
{
	struct value *end = chart_put_map(a, series, key);
	struct buf text = BUF_INIT;
	chart_add_value_text(&text, in->unit, values[i]);
	chart_put_date(a, end, "date", in->dates[i]);
	chart_put_buf(a, end, "text", &text);
	chart_put_number(a, end, "value", values[i]);
	chart_put_number(a, end, "x", chart_frame_x(f, in->dates[i]));
	chart_put_number(a, end, "y", chart_frame_y(f, values[i]));
	buf_release(&text);
}

/* One series' mapping; `desc` gains a sentence about it. */
struct value *chart_series_value(struct arena *a, const struct chart_frame *f,
				 const struct chart_input *in, size_t s,
				 enum chart_marking marking, struct buf *desc)
{
	const struct chart_series *cs = &in->series[s];
	const char *label = cs->label ? cs->label : "";
	size_t style = s % ARRAY_SIZE(styles);
	struct buf path = BUF_INIT, markers = BUF_INIT, legend = BUF_INIT;
	size_t points = trace(a, f, in, cs->values, style, marking, &path,
			      &markers);
	add_marker(&legend, style, MARKER_LEGEND_X, MARKER_LEGEND_Y);

	struct value *v = value_new(a, VALUE_MAP);
	chart_put_number(a, v, "index", (double)(s + 1));
	chart_put_number(a, v, "style", (double)(style + 1));
	chart_put_copy(a, v, "label", label, strlen(label));
	chart_put_literal(a, v, "marker", styles[style].marker);
	chart_put_bool(a, v, "has_data", points > 0);
	chart_put_buf(a, v, "path", &path);
	chart_put_buf(a, v, "markers", &markers);
	chart_put_buf(a, v, "legend_marker", &legend);
	chart_put(a, v, "area", NULL);
	buf_release(&path);
	buf_release(&markers);
	buf_release(&legend);

	if (*label) {
		buf_add(desc, label, strlen(label));
		buf_adds(desc, ": ");
	}
	if (!points) {
		chart_put(a, v, "first", NULL);
		chart_put(a, v, "last", NULL);
		buf_adds(desc, "no data. ");
		return v;
	}
	size_t first = 0, last = 0;
	while (isnan(cs->values[first]))
		first++;
	for (size_t i = 0; i < in->date_count; i++)
		if (!isnan(cs->values[i]))
			last = i;
	put_end(a, v, "first", f, in, cs->values, first);
	put_end(a, v, "last", f, in, cs->values, last);
	if (first != last) {
		chart_add_value_text(desc, in->unit, cs->values[first]);
		buf_adds(desc, " on ");
		chart_add_date(desc, in->dates[first]);
		buf_adds(desc, ", ");
	}
	chart_add_value_text(desc, in->unit, cs->values[last]);
	buf_adds(desc, " on ");
	chart_add_date(desc, in->dates[last]);
	buf_adds(desc, ". ");
	return v;
}

void chart_value_cell(struct buf *b, const struct chart_input *in, size_t s,
		      size_t i)
{
	chart_add_value_text(b, in->unit, in->series[s].values[i]);
}

/* The accessible table: a head ("Date", then a label per series) and a
 * row per recorded date. `cell` writes one cell's text. */
void chart_put_table(struct arena *a, struct value *chart,
		     const struct chart_input *in, chart_recorded_fn recorded,
		     chart_cell_fn cell)
{
	struct value *table = chart_put_map(a, chart, "table");
	struct value *head = chart_put_list(a, table, "head");
	value_seq_push(a, head, text_value(a, "Date"));
	for (size_t s = 0; s < in->series_count; s++) {
		const char *label = in->series[s].label ? in->series[s].label : "";
		value_seq_push(a, head, value_new_string(a, label, strlen(label)));
	}
	struct value *rows = chart_put_list(a, table, "rows");
	struct buf text = BUF_INIT;
	for (size_t i = 0; i < in->date_count; i++) {
		if (!recorded(in, i))
			continue;
		struct value *row = chart_push_map(a, rows);
		chart_put_date(a, row, "date", in->dates[i]);
		struct value *cells = chart_put_list(a, row, "cells");
		for (size_t s = 0; s < in->series_count; s++) {
			buf_reset(&text);
			cell(&text, in, s, i);
			chart_put_buf(a, chart_push_map(a, cells), "text", &text);
		}
	}
	buf_release(&text);
}

void chart_put_desc(struct arena *a, struct value *chart, struct buf *desc)
{
	while (desc->len && desc->data[desc->len - 1] == ' ')
		buf_truncate(desc, desc->len - 1);
	chart_put_buf(a, chart, "desc", desc);
}

void chart_add_span(struct buf *desc, const struct chart_frame *f)
{
	chart_add_date(desc, f->first);
	buf_adds(desc, " to ");
	chart_add_date(desc, f->last);
	buf_adds(desc, ". ");
}

/* ---- line chart and sparkline ---------------------------------------- */

double chart_data_max(const struct chart_input *in)
{
	double max = 0;
	for (size_t s = 0; s < in->series_count; s++)
		for (size_t i = 0; i < in->date_count; i++)
			if (in->series[s].values[i] > max)
				max = in->series[s].values[i];
	return max;
}

/*
 * A sparkline's y range: its own values' (within the axis), widened
 * around their middle to a tenth of the axis at least. In 24 pixels a
 * score from 62 % to 70 % must still rise; a tenth keeps day-to-day noise
 * from looking like a cliff.
 */
static void spark_range(struct chart_frame *f, const struct chart_input *in)
{
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < in->date_count; i++) {
		double v = in->series[0].values[i];
		if (isnan(v))
			continue;
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	lo = lo < 0 ? 0 : lo;
	hi = hi > f->y_max ? f->y_max : hi;
	double least = f->y_max / 10;
	if (hi - lo < least) {
		double mid = (lo + hi) / 2;
		lo = mid - least / 2;
		hi = mid + least / 2;
		if (lo < 0) {
			hi -= lo;
			lo = 0;
		}
		if (hi > f->y_max) {
			lo -= hi - f->y_max;
			hi = f->y_max;
		}
	}
	f->y_min = lo;
	f->y_max = hi;
}

static struct value *line_chart(struct arena *a, const struct chart_input *in,
				bool spark)
{
	chart_check_input(in);
	unsigned width, height;
	struct value *chart = spark
		? chart_new(a, "sparkline", in, "Trend", &width, &height,
			    CHART_SPARKLINE_WIDTH, CHART_SPARKLINE_HEIGHT)
		: chart_new(a, "line", in, "Trend", &width, &height,
			    CHART_LINE_WIDTH, CHART_LINE_HEIGHT);
	struct chart_input one = *in;
	if (spark)
		one.series_count = 1;
	size_t first = 0, last = 0;
	size_t recorded = chart_count_recorded(&one, chart_recorded_any, &first,
					       &last);
	if (recorded < 2)
		return chart_empty(a, chart);

	struct chart_frame f = { .unit = one.unit };
	double step;
	f.y_max = chart_y_axis(&one, chart_data_max(&one), &step);
	f.first = one.dates[first];
	f.last = one.dates[last];
	if (spark) {
		spark_range(&f, &one);
		f.left = SPARK_MARGIN / 2;
		f.top = SPARK_MARGIN;
		f.right = width - SPARK_MARGIN;
		f.bottom = height - SPARK_MARGIN;
		if (f.right <= f.left + 1 || f.bottom <= f.top + 1)
			BUG("sparkline too small for its margins");
	} else {
		chart_frame_init(&f, width, height, CHART_MARGIN_TOP);
	}

	chart_put_bool(a, chart, "empty", false);
	chart_put_plot(a, chart, &f);
	if (spark) {
		chart_put_list(a, chart, "x_ticks");
		chart_put_list(a, chart, "y_ticks");
	} else {
		chart_put_x_ticks(a, chart, &f);
		chart_put_y_ticks(a, chart, &f, step);
	}
	struct buf desc = BUF_INIT;
	chart_add_span(&desc, &f);
	struct value *series = chart_put_list(a, chart, "series");
	enum chart_marking marking =
		spark ? CHART_MARK_LAST
		: recorded <= CHART_MARK_ALL_MAX ? CHART_MARK_ALL
						 : CHART_MARK_SOME;
	for (size_t s = 0; s < one.series_count; s++)
		value_seq_push(a, series,
			       chart_series_value(a, &f, &one, s, marking, &desc));
	chart_put_bool(a, chart, "legend", !spark && one.series_count > 1);
	chart_put_desc(a, chart, &desc);
	buf_release(&desc);
	chart_put_table(a, chart, &one, chart_recorded_any, chart_value_cell);
	chart_complete(a, chart);
	return chart;
}

struct value *chart_line(struct arena *a, const struct chart_input *in)
{
	return line_chart(a, in, false);
}

struct value *chart_sparkline(struct arena *a, const struct chart_input *in)
{
	return line_chart(a, in, true);
}

