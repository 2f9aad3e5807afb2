/*
 * chart: trend-chart geometry as template data (see chart.h).
 *
 * Each kind builds one mapping through the same steps: count the recorded
 * days (under two gives the "empty" chart), lay out a frame (plot area,
 * x range in days, y range), trace each series into a path string, and add
 * ticks, legend data, the numbers as table rows, and the <title>/<desc>
 * texts. Every top-level key of the contract is present on every chart,
 * null when it does not apply (complete()): a key left out would let
 * Mustache find the same name on the page around the chart.
 *
 * Coordinates are rounded to tenths and written from integers (add_coord),
 * like badge.c writes only integers: no %f, nothing the locale can touch.
 */
#include "chart.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "util.h"

/* Room around the plot area for tick labels, in SVG units. */
#define MARGIN_LEFT 40
#define MARGIN_RIGHT 24
#define MARGIN_TOP 10
#define MARGIN_TOP_EVENTS 22   /* the burn-up's start and due labels */
#define MARGIN_BOTTOM 24
#define SPARK_MARGIN 4         /* room for the last value's marker */
#define MARKER_LEGEND_X 12     /* a legend swatch is 24 x 12 */
#define MARKER_LEGEND_Y 6
#define BAND_LABEL_MIN 13      /* a band this tall (units) gets a label */
#define ALONE_HALF_WIDTH 1.5   /* a lone day of a band, drawn 3 units wide */

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
static void put(struct arena *a, struct value *map, const char *key,
		struct value *v)
{
	static struct value null_value = { .type = VALUE_NULL };
	value_map_put(a, map, text_value(a, key), v ? v : &null_value);
}

/* Text copied into the arena (from a buffer or the caller's input). */
static void put_copy(struct arena *a, struct value *map, const char *key,
		     const char *s, size_t len)
{
	put(a, map, key, value_new_string(a, s, len));
}

static void put_literal(struct arena *a, struct value *map, const char *key,
			const char *s)
{
	put(a, map, key, text_value(a, s));
}

static void put_buf(struct arena *a, struct value *map, const char *key,
		    const struct buf *b)
{
	put_copy(a, map, key, b->data, b->len);
}

/* A number rounded to tenths, as templates print it ("12.3", "40"). */
static void put_number(struct arena *a, struct value *map, const char *key,
		       double d)
{
	put(a, map, key, value_new_number(a, (double)lround(d * 10) / 10));
}

static void put_bool(struct arena *a, struct value *map, const char *key,
		     bool b)
{
	put(a, map, key, value_new_bool(a, b));
}

static struct value *put_map(struct arena *a, struct value *map,
			     const char *key)
{
	struct value *v = value_new(a, VALUE_MAP);
	put(a, map, key, v);
	return v;
}

static struct value *put_list(struct arena *a, struct value *map,
			      const char *key)
{
	struct value *v = value_new(a, VALUE_SEQ);
	put(a, map, key, v);
	return v;
}

static struct value *push_map(struct arena *a, struct value *list)
{
	struct value *v = value_new(a, VALUE_MAP);
	value_seq_push(a, list, v);
	return v;
}

static void put_date(struct arena *a, struct value *map, const char *key,
		     day_t day)
{
	char text[11];
	date_format(day, text);
	put_copy(a, map, key, text, 10);
}

/* Add a null for every contract key the chart does not have. */
static void complete(struct arena *a, struct value *chart)
{
	for (size_t k = 0; k < ARRAY_SIZE(chart_keys); k++)
		if (!value_get(chart, chart_keys[k]))
			put(a, chart, chart_keys[k], NULL);
}

/* ---- numbers as text ------------------------------------------------- */

/* `v` rounded to tenths: "12.3", "-4", and "12.0" when `keep_zero`. */
static void add_tenths(struct buf *b, double v, bool keep_zero)
{
	long t = lround(v * 10);
	if (t < 0) {
		buf_addch(b, '-');
		t = -t;
	}
	buf_addf(b, "%ld", t / 10);
	if (t % 10 || keep_zero)
		buf_addf(b, ".%ld", t % 10);
}

static void add_coord(struct buf *b, double v)
{
	add_tenths(b, v, false);
}

/* A value as the page prints it: "82.4%" (one decimal, as scores are
 * printed everywhere) or a count ("37", "2.5"); "–" for no value. */
static void add_value_text(struct buf *b, enum chart_unit unit, double v)
{
	if (isnan(v)) {
		buf_adds(b, "–");
		return;
	}
	add_tenths(b, v, unit == CHART_PERCENT);
	if (unit == CHART_PERCENT)
		buf_addch(b, '%');
}

static void add_date(struct buf *b, day_t day)
{
	char text[11];
	date_format(day, text);
	buf_add(b, text, 10);
}

static void add_days(struct buf *b, long days)
{
	buf_addf(b, "%ld day%s", days, days == 1 ? "" : "s");
}

/* ---- checks and counts ----------------------------------------------- */

static void check_input(const struct chart_input *in)
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
static bool recorded_any(const struct chart_input *in, size_t i)
{
	for (size_t s = 0; s < in->series_count; s++)
		if (!isnan(in->series[s].values[i]))
			return true;
	return false;
}

/* Whether date i has a value in every series and they add up to more
 * than 0: a day the level shares can be drawn for. */
static bool recorded_all(const struct chart_input *in, size_t i)
{
	double total = 0;
	for (size_t s = 0; s < in->series_count; s++) {
		double v = in->series[s].values[i];
		if (isnan(v))
			return false;
		total += v;
	}
	return total > 0;
}

typedef bool (*recorded_fn)(const struct chart_input *in, size_t i);

/* The number of recorded dates and the first and last of them. */
static size_t count_recorded(const struct chart_input *in, recorded_fn recorded,
			     size_t *first, size_t *last)
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

static long gap_days(const struct chart_input *in)
{
	return in->gap_days ? (long)in->gap_days : 1;
}

/* ---- frame ----------------------------------------------------------- */

struct frame {
	double left, top, right, bottom; /* the plot area */
	day_t first, last;               /* x range, in days */
	double y_min, y_max;             /* y range; y_min is 0 but on sparklines */
	enum chart_unit unit;
};

static double frame_x(const struct frame *f, day_t day)
{
	if (f->last == f->first)
		return (f->left + f->right) / 2;
	return f->left + (f->right - f->left) * (double)(day - f->first) /
				 (double)(f->last - f->first);
}

/* y of a value, clamped to the axis. */
static double frame_y(const struct frame *f, double v)
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
static double y_axis(const struct chart_input *in, double data_max,
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

static void frame_init(struct frame *f, unsigned width, unsigned height,
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
			const struct frame *f, day_t day, bool months,
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
	struct value *tick = push_map(a, ticks);
	put_number(a, tick, "x", frame_x(f, day));
	put_buf(a, tick, "label", &label);
	put_date(a, tick, "date", day);
	buf_release(&label);
}

static void put_x_ticks(struct arena *a, struct value *chart,
			const struct frame *f)
{
	struct value *ticks = put_list(a, chart, "x_ticks");
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

static void put_y_ticks(struct arena *a, struct value *chart,
			const struct frame *f, double step)
{
	struct value *ticks = put_list(a, chart, "y_ticks");
	if (!(step > 0))
		return;
	for (int i = 0;; i++) {
		double v = step * i;
		if (v > f->y_max * (1 + 1e-9))
			break;
		struct value *tick = push_map(a, ticks);
		struct buf label = BUF_INIT;
		add_tenths(&label, v, false);
		if (f->unit == CHART_PERCENT)
			buf_addch(&label, '%');
		put_number(a, tick, "y", frame_y(f, v));
		put_number(a, tick, "value", v);
		put_buf(a, tick, "label", &label);
		buf_release(&label);
	}
}

/* ---- common keys ----------------------------------------------------- */

static struct value *new_chart(struct arena *a, const char *kind,
			       const struct chart_input *in,
			       const char *default_title, unsigned *width,
			       unsigned *height, unsigned default_width,
			       unsigned default_height)
{
	*width = in->width ? in->width : default_width;
	*height = in->height ? in->height : default_height;
	struct value *chart = value_new(a, VALUE_MAP);
	put_literal(a, chart, "kind", kind);
	put_literal(a, chart, "empty_text", CHART_EMPTY_TEXT);
	if (in->title)
		put_copy(a, chart, "title", in->title, strlen(in->title));
	else
		put_literal(a, chart, "title", default_title);
	put_number(a, chart, "width", *width);
	put_number(a, chart, "height", *height);
	put(a, chart, "view_box",
	    text_value(a, arena_printf(a, "0 0 %u %u", *width, *height)));
	put_literal(a, chart, "unit",
		    in->unit == CHART_PERCENT ? "percent" : "count");
	return chart;
}

/* A chart with under two recorded days: the partial prints empty_text. */
static struct value *empty_chart(struct arena *a, struct value *chart)
{
	put_bool(a, chart, "empty", true);
	put_literal(a, chart, "desc", CHART_EMPTY_TEXT);
	put_bool(a, chart, "legend", false);
	put_list(a, chart, "x_ticks");
	put_list(a, chart, "y_ticks");
	put_list(a, chart, "series");
	complete(a, chart);
	return chart;
}

static void put_plot(struct arena *a, struct value *chart,
		     const struct frame *f)
{
	struct value *plot = put_map(a, chart, "plot");
	put_number(a, plot, "left", f->left);
	put_number(a, plot, "top", f->top);
	put_number(a, plot, "right", f->right);
	put_number(a, plot, "bottom", f->bottom);
	put_number(a, plot, "width", f->right - f->left);
	put_number(a, plot, "height", f->bottom - f->top);
	put_number(a, plot, "y_label_x", f->left - 6);
	put_number(a, plot, "x_label_y", f->bottom + 16);
	put_date(a, chart, "first_date", f->first);
	put_date(a, chart, "last_date", f->last);
}

/* ---- series ---------------------------------------------------------- */

static void add_marker(struct buf *b, size_t style, double x, double y)
{
	const struct chart_style *s = &styles[style];
	buf_addch(b, 'M');
	add_coord(b, x + s->dx);
	buf_addch(b, ' ');
	add_coord(b, y + s->dy);
	buf_adds(b, s->tail);
}

static void add_point(struct buf *b, char command, double x, double y)
{
	buf_addch(b, command);
	add_coord(b, x);
	buf_addch(b, ' ');
	add_coord(b, y);
}

enum marking { MARK_ALL, MARK_SOME, MARK_LAST };

/*
 * Trace `values` into `path`: `M` starts a run, `L` continues it, and a
 * day without a value or a gap of more than gap_days days ends it. A run
 * of one day gets "h0", a zero-length segment that the round line cap
 * draws as a dot, so a day between two gaps still shows. Markers go into
 * `markers` as one path, per `marking`: every point, or only the last and
 * those standing alone. Returns the number of points.
 */
static size_t trace(struct arena *a, const struct frame *f,
		    const struct chart_input *in, const double *values,
		    size_t style, enum marking marking, struct buf *path,
		    struct buf *markers)
{
	size_t n = in->date_count;
	bool *alone = arena_alloc_array(a, n ? n : 1, sizeof(*alone));
	size_t run = 0, prev = 0, points = 0, last = n;
	long gap = gap_days(in);
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
		add_point(path, run ? 'L' : 'M', frame_x(f, in->dates[i]),
			  frame_y(f, values[i]));
		run++;
		prev = last = i;
		points++;
	}
	if (!points)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(values[i]))
			continue;
		bool mark = i == last || marking == MARK_ALL ||
			    (marking == MARK_SOME && alone[i]);
		if (mark)
			add_marker(markers, style, frame_x(f, in->dates[i]),
				   frame_y(f, values[i]));
	}
	return points;
}

/* `first` or `last`: a value's date, text and place. */
static void put_end(struct arena *a, struct value *series, const char *key,
		    const struct frame *f, const struct chart_input *in,
		    const double *values, size_t i)
{
	struct value *end = put_map(a, series, key);
	struct buf text = BUF_INIT;
	add_value_text(&text, in->unit, values[i]);
	put_date(a, end, "date", in->dates[i]);
	put_buf(a, end, "text", &text);
	put_number(a, end, "value", values[i]);
	put_number(a, end, "x", frame_x(f, in->dates[i]));
	put_number(a, end, "y", frame_y(f, values[i]));
	buf_release(&text);
}

/* One series' mapping; `desc` gains a sentence about it. */
static struct value *series_value(struct arena *a, const struct frame *f,
				  const struct chart_input *in, size_t s,
				  enum marking marking, struct buf *desc)
{
	const struct chart_series *cs = &in->series[s];
	const char *label = cs->label ? cs->label : "";
	size_t style = s % ARRAY_SIZE(styles);
	struct buf path = BUF_INIT, markers = BUF_INIT, legend = BUF_INIT;
	size_t points = trace(a, f, in, cs->values, style, marking, &path,
			      &markers);
	add_marker(&legend, style, MARKER_LEGEND_X, MARKER_LEGEND_Y);

	struct value *v = value_new(a, VALUE_MAP);
	put_number(a, v, "index", (double)(s + 1));
	put_number(a, v, "style", (double)(style + 1));
	put_copy(a, v, "label", label, strlen(label));
	put_literal(a, v, "marker", styles[style].marker);
	put_bool(a, v, "has_data", points > 0);
	put_buf(a, v, "path", &path);
	put_buf(a, v, "markers", &markers);
	put_buf(a, v, "legend_marker", &legend);
	put(a, v, "area", NULL);
	buf_release(&path);
	buf_release(&markers);
	buf_release(&legend);

	if (*label) {
		buf_add(desc, label, strlen(label));
		buf_adds(desc, ": ");
	}
	if (!points) {
		put(a, v, "first", NULL);
		put(a, v, "last", NULL);
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
		add_value_text(desc, in->unit, cs->values[first]);
		buf_adds(desc, " on ");
		add_date(desc, in->dates[first]);
		buf_adds(desc, ", ");
	}
	add_value_text(desc, in->unit, cs->values[last]);
	buf_adds(desc, " on ");
	add_date(desc, in->dates[last]);
	buf_adds(desc, ". ");
	return v;
}

/* The accessible table: a head ("Date", then a label per series) and a
 * row per recorded date. `cell` writes one cell's text. */
typedef void (*cell_fn)(struct buf *b, const struct chart_input *in,
			size_t s, size_t i);

static void value_cell(struct buf *b, const struct chart_input *in, size_t s,
		       size_t i)
{
	add_value_text(b, in->unit, in->series[s].values[i]);
}

static void put_table(struct arena *a, struct value *chart,
		      const struct chart_input *in, recorded_fn recorded,
		      cell_fn cell)
{
	struct value *table = put_map(a, chart, "table");
	struct value *head = put_list(a, table, "head");
	value_seq_push(a, head, text_value(a, "Date"));
	for (size_t s = 0; s < in->series_count; s++) {
		const char *label = in->series[s].label ? in->series[s].label : "";
		value_seq_push(a, head, value_new_string(a, label, strlen(label)));
	}
	struct value *rows = put_list(a, table, "rows");
	struct buf text = BUF_INIT;
	for (size_t i = 0; i < in->date_count; i++) {
		if (!recorded(in, i))
			continue;
		struct value *row = push_map(a, rows);
		put_date(a, row, "date", in->dates[i]);
		struct value *cells = put_list(a, row, "cells");
		for (size_t s = 0; s < in->series_count; s++) {
			buf_reset(&text);
			cell(&text, in, s, i);
			put_buf(a, push_map(a, cells), "text", &text);
		}
	}
	buf_release(&text);
}

static void put_desc(struct arena *a, struct value *chart, struct buf *desc)
{
	while (desc->len && desc->data[desc->len - 1] == ' ')
		buf_truncate(desc, desc->len - 1);
	put_buf(a, chart, "desc", desc);
}

static void add_span(struct buf *desc, const struct frame *f)
{
	add_date(desc, f->first);
	buf_adds(desc, " to ");
	add_date(desc, f->last);
	buf_adds(desc, ". ");
}

/* ---- line chart and sparkline ---------------------------------------- */

static double data_max(const struct chart_input *in)
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
static void spark_range(struct frame *f, const struct chart_input *in)
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
	check_input(in);
	unsigned width, height;
	struct value *chart = spark
		? new_chart(a, "sparkline", in, "Trend", &width, &height,
			    CHART_SPARKLINE_WIDTH, CHART_SPARKLINE_HEIGHT)
		: new_chart(a, "line", in, "Trend", &width, &height,
			    CHART_LINE_WIDTH, CHART_LINE_HEIGHT);
	struct chart_input one = *in;
	if (spark)
		one.series_count = 1;
	size_t first = 0, last = 0;
	size_t recorded = count_recorded(&one, recorded_any, &first, &last);
	if (recorded < 2)
		return empty_chart(a, chart);

	struct frame f = { .unit = one.unit };
	double step;
	f.y_max = y_axis(&one, data_max(&one), &step);
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
		frame_init(&f, width, height, MARGIN_TOP);
	}

	put_bool(a, chart, "empty", false);
	put_plot(a, chart, &f);
	if (spark) {
		put_list(a, chart, "x_ticks");
		put_list(a, chart, "y_ticks");
	} else {
		put_x_ticks(a, chart, &f);
		put_y_ticks(a, chart, &f, step);
	}
	struct buf desc = BUF_INIT;
	add_span(&desc, &f);
	struct value *series = put_list(a, chart, "series");
	enum marking marking = spark ? MARK_LAST
			       : recorded <= CHART_MARK_ALL_MAX ? MARK_ALL
								: MARK_SOME;
	for (size_t s = 0; s < one.series_count; s++)
		value_seq_push(a, series,
			       series_value(a, &f, &one, s, marking, &desc));
	put_bool(a, chart, "legend", !spark && one.series_count > 1);
	put_desc(a, chart, &desc);
	buf_release(&desc);
	put_table(a, chart, &one, recorded_any, value_cell);
	complete(a, chart);
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

/* ---- level share ----------------------------------------------------- */

static double share_of(const struct chart_input *in, size_t s, size_t i)
{
	double total = 0;
	for (size_t k = 0; k < in->series_count; k++)
		total += in->series[k].values[i];
	return in->series[s].values[i] * 100 / total;
}

/* The share of levels above s on date i: the bottom of band s. */
static double share_below(const struct chart_input *in, size_t s, size_t i)
{
	double below = 0;
	for (size_t k = s + 1; k < in->series_count; k++)
		below += share_of(in, k, i);
	return below;
}

static void share_cell(struct buf *b, const struct chart_input *in, size_t s,
		       size_t i)
{
	add_value_text(b, CHART_PERCENT, share_of(in, s, i));
	buf_adds(b, " (");
	add_tenths(b, in->series[s].values[i], false);
	buf_addch(b, ')');
}

/*
 * One band's outline for the run of dates from..to (recorded, joined):
 * along the top edge forward, back along the bottom edge, closed. A run
 * of one day is a thin bar. The top edge also goes into `edge` alone.
 */
static void band_run(const struct frame *f, const struct chart_input *in,
		     size_t s, const size_t *run, size_t count, struct buf *area,
		     struct buf *edge)
{
	if (count == 1) {
		size_t i = run[0];
		double x = frame_x(f, in->dates[i]);
		double top = frame_y(f, share_below(in, s, i) + share_of(in, s, i));
		double bottom = frame_y(f, share_below(in, s, i));
		add_point(area, 'M', x - ALONE_HALF_WIDTH, top);
		buf_addch(area, 'H');
		add_coord(area, x + ALONE_HALF_WIDTH);
		buf_addch(area, 'V');
		add_coord(area, bottom);
		buf_addch(area, 'H');
		add_coord(area, x - ALONE_HALF_WIDTH);
		buf_addch(area, 'Z');
		add_point(edge, 'M', x - ALONE_HALF_WIDTH, top);
		buf_addch(edge, 'H');
		add_coord(edge, x + ALONE_HALF_WIDTH);
		return;
	}
	for (size_t k = 0; k < count; k++) {
		size_t i = run[k];
		double x = frame_x(f, in->dates[i]);
		double y = frame_y(f, share_below(in, s, i) + share_of(in, s, i));
		add_point(area, k ? 'L' : 'M', x, y);
		add_point(edge, k ? 'L' : 'M', x, y);
	}
	for (size_t k = count; k-- > 0;) {
		size_t i = run[k];
		add_point(area, 'L', frame_x(f, in->dates[i]),
			  frame_y(f, share_below(in, s, i)));
	}
	buf_addch(area, 'Z');
}

static struct value *band_value(struct arena *a, const struct frame *f,
				const struct chart_input *in, size_t s,
				size_t last, struct buf *desc)
{
	const char *label = in->series[s].label ? in->series[s].label : "";
	struct buf area = BUF_INIT, edge = BUF_INIT, text = BUF_INIT;
	size_t *run = arena_alloc_array(a, in->date_count, sizeof(*run));
	size_t count = 0;
	long gap = gap_days(in);
	for (size_t i = 0; i <= in->date_count; i++) {
		bool have = i < in->date_count && recorded_all(in, i);
		if (count && (!have || in->dates[i] - in->dates[run[count - 1]] > gap)) {
			band_run(f, in, s, run, count, &area, &edge);
			count = 0;
		}
		if (have)
			run[count++] = i;
	}

	struct value *v = value_new(a, VALUE_MAP);
	put_number(a, v, "level", (double)s);
	put_copy(a, v, "label", label, strlen(label));
	put_buf(a, v, "path", &area);
	put_buf(a, v, "edge", &edge);
	share_cell(&text, in, s, last);
	put_buf(a, v, "last_text", &text);
	double top = frame_y(f, share_below(in, s, last) + share_of(in, s, last));
	double bottom = frame_y(f, share_below(in, s, last));
	if (bottom - top >= BAND_LABEL_MIN) {
		put_number(a, v, "label_x", f->right - 4);
		put_number(a, v, "label_y", (top + bottom) / 2);
	} else {
		put(a, v, "label_x", NULL);
		put(a, v, "label_y", NULL);
	}
	if (*label) {
		buf_add(desc, label, strlen(label));
		buf_addch(desc, ' ');
	}
	buf_add(desc, text.data, text.len);
	buf_adds(desc, s + 1 < in->series_count ? ", " : ". ");
	buf_release(&area);
	buf_release(&edge);
	buf_release(&text);
	return v;
}

struct value *chart_level_share(struct arena *a, const struct chart_input *in)
{
	check_input(in);
	unsigned width, height;
	struct chart_input shares = *in;
	shares.unit = CHART_PERCENT;
	shares.y_max = 100;
	struct value *chart = new_chart(a, "share", &shares,
					"Share of entities at each level",
					&width, &height, CHART_LINE_WIDTH,
					CHART_LINE_HEIGHT);
	size_t first = 0, last = 0;
	if (count_recorded(in, recorded_all, &first, &last) < 2)
		return empty_chart(a, chart);

	struct frame f = { .unit = CHART_PERCENT, .y_max = 100 };
	f.first = in->dates[first];
	f.last = in->dates[last];
	frame_init(&f, width, height, MARGIN_TOP);
	put_bool(a, chart, "empty", false);
	put_plot(a, chart, &f);
	put_x_ticks(a, chart, &f);
	put_y_ticks(a, chart, &f, 25);
	put_list(a, chart, "series");
	put_bool(a, chart, "legend", true);

	struct buf desc = BUF_INIT;
	add_span(&desc, &f);
	buf_adds(&desc, "On ");
	add_date(&desc, in->dates[last]);
	buf_adds(&desc, ": ");
	struct value *bands = put_list(a, chart, "bands");
	for (size_t s = 0; s < in->series_count; s++)
		value_seq_push(a, bands, band_value(a, &f, in, s, last, &desc));
	put_desc(a, chart, &desc);
	buf_release(&desc);
	put_table(a, chart, in, recorded_all, share_cell);
	complete(a, chart);
	return chart;
}

/* ---- burn-up --------------------------------------------------------- */

void chart_project(const day_t *dates, const double *passing,
		   const double *in_scope, size_t date_count,
		   const struct chart_campaign *campaign,
		   struct chart_projection *out)
{
	*out = (struct chart_projection){
		.status = CHART_PROJECTION_UNKNOWN, .last = -1, .done = -1,
	};
	size_t last = date_count;
	for (size_t i = date_count; i-- > 0;) {
		if (!isnan(passing[i]) && !isnan(in_scope[i])) {
			last = i;
			break;
		}
	}
	if (last == date_count)
		return;
	out->last = dates[last];
	out->remaining = in_scope[last] - passing[last];
	if (out->remaining <= 0) {
		out->remaining = 0;
		out->status = CHART_PROJECTION_DONE;
		return;
	}

	/* Least squares over the window; x counted from the last day. */
	double n = 0, sum_x = 0, sum_y = 0;
	day_t earliest = dates[last];
	for (size_t i = 0; i <= last; i++) {
		if (dates[i] <= dates[last] - CHART_PACE_DAYS ||
		    isnan(passing[i]) || isnan(in_scope[i]))
			continue;
		if (dates[i] < earliest)
			earliest = dates[i];
		n++;
		sum_x += (double)(dates[i] - dates[last]);
		sum_y += in_scope[i] - passing[i];
	}
	if (n < 2)
		return;
	double mean_x = sum_x / n, mean_y = sum_y / n, sxx = 0, sxy = 0;
	for (size_t i = 0; i <= last; i++) {
		if (dates[i] <= dates[last] - CHART_PACE_DAYS ||
		    isnan(passing[i]) || isnan(in_scope[i]))
			continue;
		double dx = (double)(dates[i] - dates[last]) - mean_x;
		sxx += dx * dx;
		sxy += dx * (in_scope[i] - passing[i] - mean_y);
	}
	out->pace = -sxy / sxx;
	out->window_days = dates[last] - earliest;
	/* Below this the fit only holds rounding noise of a flat line. */
	if (out->pace <= 1e-9) {
		out->status = CHART_PROJECTION_NO_PROGRESS;
		return;
	}
	double days = ceil(out->remaining / out->pace - 1e-9);
	if (days > CHART_PROJECTION_MAX_DAYS) {
		out->status = CHART_PROJECTION_TOO_SLOW;
		return;
	}
	out->done = dates[last] + (day_t)days;
	if (!campaign || !campaign->has_due) {
		out->status = CHART_PROJECTION_NO_DUE;
		return;
	}
	out->days_late = out->done - campaign->due;
	out->status = out->days_late > 0 ? CHART_PROJECTION_LATE
					 : CHART_PROJECTION_ON_TRACK;
}

/* Status names for templates (`projection.status`), by enum value. */
static const char *const projection_status_names[] = {
	[CHART_PROJECTION_UNKNOWN] = "unknown",
	[CHART_PROJECTION_DONE] = "done",
	[CHART_PROJECTION_NO_PROGRESS] = "no_progress",
	[CHART_PROJECTION_TOO_SLOW] = "too_slow",
	[CHART_PROJECTION_ON_TRACK] = "on_track",
	[CHART_PROJECTION_LATE] = "late",
	[CHART_PROJECTION_NO_DUE] = "no_due",
};

void chart_projection_text(struct buf *out, const struct chart_projection *p)
{
	switch (p->status) {
	case CHART_PROJECTION_UNKNOWN:
		buf_adds(out, "Not enough recent runs to project a finish date.");
		return;
	case CHART_PROJECTION_DONE:
		buf_adds(out, "Done: everything in scope passes.");
		return;
	case CHART_PROJECTION_NO_PROGRESS:
		buf_adds(out, "No progress in the last ");
		add_days(out, p->window_days);
		buf_adds(out, ".");
		return;
	case CHART_PROJECTION_TOO_SLOW:
		buf_addf(out, "At this pace it takes more than %d years.",
			 CHART_PROJECTION_MAX_DAYS / 366);
		return;
	case CHART_PROJECTION_ON_TRACK:
		buf_adds(out, "On track: done by ");
		add_date(out, p->done);
		if (p->days_late == 0) {
			buf_adds(out, ", on the due date.");
			return;
		}
		buf_adds(out, ", ");
		add_days(out, -p->days_late);
		buf_adds(out, " before the due date.");
		return;
	case CHART_PROJECTION_LATE:
		buf_adds(out, "At this pace: done by ");
		add_date(out, p->done);
		buf_adds(out, ", ");
		add_days(out, p->days_late);
		buf_adds(out, " late.");
		return;
	case CHART_PROJECTION_NO_DUE:
		buf_adds(out, "At this pace: done by ");
		add_date(out, p->done);
		buf_adds(out, ".");
		return;
	}
	BUG("unknown projection status");
}

static bool projection_drawn(const struct chart_projection *p)
{
	return p->status == CHART_PROJECTION_ON_TRACK ||
	       p->status == CHART_PROJECTION_LATE ||
	       p->status == CHART_PROJECTION_NO_DUE ||
	       p->status == CHART_PROJECTION_TOO_SLOW;
}

/* Where the value of the last recorded day with both series is. */
static size_t last_both(const struct chart_input *in)
{
	for (size_t i = in->date_count; i-- > 0;)
		if (!isnan(in->series[0].values[i]) &&
		    !isnan(in->series[1].values[i]))
			return i;
	return in->date_count;
}

static void put_projection(struct arena *a, struct value *chart,
			   const struct frame *f, const struct chart_input *in,
			   const struct chart_projection *p)
{
	struct value *v = put_map(a, chart, "projection");
	struct buf text = BUF_INIT;
	chart_projection_text(&text, p);
	put_literal(a, v, "status", projection_status_names[p->status]);
	put_buf(a, v, "text", &text);
	buf_release(&text);
	put_number(a, v, "pace", p->pace);
	put_number(a, v, "remaining", p->remaining);
	put_number(a, v, "window_days", (double)p->window_days);
	if (p->done >= 0)
		put_date(a, v, "done", p->done);
	else
		put(a, v, "done", NULL);
	if (p->status == CHART_PROJECTION_LATE)
		put_number(a, v, "days_late", (double)p->days_late);
	else
		put(a, v, "days_late", NULL);

	size_t i = last_both(in);
	if (!f || !projection_drawn(p) || i == in->date_count) {
		put(a, v, "path", NULL);
		return;
	}
	/* From the last passing count at the pace, up to the scope of that
	 * day, or to the right edge when the done day lies beyond it. */
	double from = in->series[0].values[i];
	double goal = in->series[1].values[i];
	day_t end = p->done >= 0 && p->done <= f->last ? p->done : f->last;
	double to = from + p->pace * (double)(end - in->dates[i]);
	if (to > goal)
		to = goal;
	struct buf path = BUF_INIT;
	add_point(&path, 'M', frame_x(f, in->dates[i]), frame_y(f, from));
	add_point(&path, 'L', frame_x(f, end), frame_y(f, to));
	put_buf(a, v, "path", &path);
	buf_release(&path);
}

static void push_event(struct arena *a, struct value *events,
		       const struct frame *f, const char *name,
		       const char *label, day_t day)
{
	struct value *e = push_map(a, events);
	double x = frame_x(f, day);
	bool right_half = x > (f->left + f->right) / 2;
	struct buf text = BUF_INIT;
	buf_adds(&text, label);
	buf_addch(&text, ' ');
	add_date(&text, day);
	put_literal(a, e, "name", name);
	put_buf(a, e, "label", &text);
	put_date(a, e, "date", day);
	put_number(a, e, "x", x);
	/* Labels sit above the plot, pointing into it from their line. */
	put_number(a, e, "label_x", right_half ? x - 3 : x + 3);
	put_number(a, e, "label_y", f->top - 6);
	put_literal(a, e, "anchor", right_half ? "end" : "start");
	buf_release(&text);
}

struct value *chart_burnup(struct arena *a, const struct chart_input *in,
			   const struct chart_campaign *campaign)
{
	check_input(in);
	if (in->series_count != 2 || in->unit != CHART_COUNT || !campaign)
		BUG("a burn-up takes two count series and a campaign");
	unsigned width, height;
	struct value *chart = new_chart(a, "burnup", in, "Campaign progress",
					&width, &height, CHART_LINE_WIDTH,
					CHART_LINE_HEIGHT);
	struct chart_projection p;
	chart_project(in->dates, in->series[0].values, in->series[1].values,
		      in->date_count, campaign, &p);
	size_t first = 0, last = 0;
	if (count_recorded(in, recorded_any, &first, &last) < 2) {
		put_projection(a, chart, NULL, in, &p);
		return empty_chart(a, chart);
	}

	struct frame f = { .unit = CHART_COUNT };
	double step;
	f.y_max = y_axis(in, data_max(in), &step);
	f.first = in->dates[first] < campaign->start ? in->dates[first]
						      : campaign->start;
	f.last = in->dates[last];
	if (campaign->has_due && campaign->due > f.last)
		f.last = campaign->due;
	if (p.done > f.last) {
		/* Show a finish beyond the due date, within half the span. */
		long room = (f.last - f.first) / 2;
		f.last = p.done - f.last <= room ? p.done : f.last + room;
	}
	frame_init(&f, width, height, MARGIN_TOP_EVENTS);

	put_bool(a, chart, "empty", false);
	put_plot(a, chart, &f);
	put_x_ticks(a, chart, &f);
	put_y_ticks(a, chart, &f, step);
	struct buf desc = BUF_INIT;
	add_span(&desc, &f);
	struct value *series = put_list(a, chart, "series");
	enum marking marking = count_recorded(in, recorded_any, &first, &last) <=
					       CHART_MARK_ALL_MAX
				       ? MARK_ALL
				       : MARK_SOME;
	for (size_t s = 0; s < 2; s++)
		value_seq_push(a, series,
			       series_value(a, &f, in, s, marking, &desc));

	/* The passing count as an area down to the axis, run by run. */
	struct buf area = BUF_INIT;
	const double *passing = in->series[0].values;
	long gap = gap_days(in);
	size_t run_start = 0, prev = 0;
	bool in_run = false;
	for (size_t i = 0; i <= in->date_count; i++) {
		bool have = i < in->date_count && !isnan(passing[i]);
		if (in_run && (!have || in->dates[i] - in->dates[prev] > gap)) {
			for (size_t k = run_start; k <= prev; k++)
				if (!isnan(passing[k]))
					add_point(&area, k == run_start ? 'M' : 'L',
						  frame_x(&f, in->dates[k]),
						  frame_y(&f, passing[k]));
			buf_addch(&area, 'V');
			add_coord(&area, f.bottom);
			buf_addch(&area, 'H');
			add_coord(&area, frame_x(&f, in->dates[run_start]));
			buf_addch(&area, 'Z');
			in_run = false;
		}
		if (!have)
			continue;
		if (!in_run)
			run_start = i;
		in_run = true;
		prev = i;
	}
	struct value *passing_series = series->items[0];
	for (size_t k = 0; k < passing_series->count; k++)
		if (!strcmp(passing_series->pairs[k].key->str, "area"))
			passing_series->pairs[k].val =
				value_new_string(a, area.data, area.len);
	buf_release(&area);

	struct value *events = put_list(a, chart, "events");
	push_event(a, events, &f, "start", "Start", campaign->start);
	if (campaign->has_due)
		push_event(a, events, &f, "due", "Due", campaign->due);
	put_bool(a, chart, "legend", true);
	put_projection(a, chart, &f, in, &p);
	buf_adds(&desc, value_str(value_get(value_get(chart, "projection"), "text")));
	put_desc(a, chart, &desc);
	buf_release(&desc);
	put_table(a, chart, in, recorded_any, value_cell);
	complete(a, chart);
	return chart;
}
