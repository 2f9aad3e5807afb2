/*
 * Unit tests for chart: paths that restart after gaps (NaN and missing
 * days), the empty chart under two recorded days, 400 days, y clamping,
 * date ticks, the burn-up projection, determinism and locale independence,
 * and golden renders of every partial in templates/partials/ through the
 * Mustache engine (tests/unit/chart/NAME.html).
 *
 *   UPDATE_GOLDEN=1 build/tests/test_chart   rewrite the golden files
 *   CHART_PREVIEW=FILE build/tests/test_chart   also write one standalone
 *       page with every chart and the site's CSS, to look at in a browser
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "date.h"
#include "mustache.h"
#include "util.h"

#define GOLDEN_DIR "tests/unit/chart"
#define D20261120 20777 /* a Friday */
#define D20251020 20381 /* a Monday */

/* ---- helpers --------------------------------------------------------- */

static const struct value *get(const struct value *v, const char *path)
{
	char key[64];
	while (*path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof(key))
			fail_msg("key too long");
		memcpy(key, path, n);
		key[n] = '\0';
		v = value_get(v, key);
		if (!v)
			fail_msg("no key %s", key);
		path += n + (path[n] == '.');
	}
	return v;
}

static const char *str(const struct value *v, const char *path)
{
	const char *s = value_str(get(v, path));
	if (!s)
		fail_msg("%s is not a string", path);
	return s;
}

static double num(const struct value *v, const char *path)
{
	const struct value *n = get(v, path);
	if (n->type != VALUE_NUMBER)
		fail_msg("%s is not a number", path);
	return n->num;
}

static bool flag(const struct value *v, const char *path)
{
	const struct value *b = get(v, path);
	if (b->type != VALUE_BOOL)
		fail_msg("%s is not a boolean", path);
	return b->boolean;
}

static const struct value *item(const struct value *list, size_t i)
{
	if (list->type != VALUE_SEQ || i >= list->count)
		fail_msg("no item %zu", i);
	return list->items[i];
}

static size_t count(const char *haystack, const char *needle)
{
	size_t n = 0;
	for (const char *p = haystack; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The tick labels of `key` joined with commas. */
static char *labels(const struct value *chart, const char *key)
{
	const struct value *ticks = get(chart, key);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < ticks->count; i++) {
		if (i)
			buf_addch(&b, ',');
		buf_adds(&b, str(item(ticks, i), "label"));
	}
	return buf_detach(&b, NULL);
}

/* A value tree as text, keys and all, to compare two charts byte for byte. */
static void dump(struct buf *b, const struct value *v)
{
	switch (v->type) {
	case VALUE_NULL:
		buf_adds(b, "null");
		return;
	case VALUE_BOOL:
	case VALUE_NUMBER:
	case VALUE_STRING:
		buf_addch(b, '"');
		value_add_text(b, v);
		buf_addch(b, '"');
		return;
	case VALUE_SEQ:
		buf_addch(b, '[');
		for (size_t i = 0; i < v->count; i++) {
			dump(b, v->items[i]);
			buf_addch(b, ',');
		}
		buf_addch(b, ']');
		return;
	case VALUE_MAP:
		buf_addch(b, '{');
		for (size_t i = 0; i < v->count; i++) {
			buf_adds(b, v->pairs[i].key->str);
			buf_addch(b, ':');
			dump(b, v->pairs[i].val);
			buf_addch(b, ',');
		}
		buf_addch(b, '}');
		return;
	}
}

/*
 * A line chart 264 x 134: the plot is 200 x 100 from (40, 10), so a
 * percentage v is drawn at y = 110 - v and x moves 200 per span.
 */
static struct chart_input line_input(const day_t *dates, size_t n,
				     const struct chart_series *series,
				     size_t series_count)
{
	return (struct chart_input){
		.dates = dates, .date_count = n, .series = series,
		.series_count = series_count, .unit = CHART_PERCENT,
		.width = 264, .height = 134,
	};
}

/* ---- paths and gaps -------------------------------------------------- */

static void test_paths(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		day_t dates[5];
		double values[5];
		size_t n;
		unsigned gap_days;
		const char *path;
	} cases[] = {
		{ "joined", { 0, 1, 2 }, { 10, 20, 30 }, 3, 0,
		  "M40 100L140 90L240 80" },
		{ "NaN splits", { 0, 1, 2, 3, 4 }, { 10, 20, NAN, 40, 50 }, 5, 0,
		  "M40 100L90 90M190 70L240 60" },
		{ "NaN leaves a lone day", { 0, 1, 2, 3, 4 }, { 10, NAN, 30, NAN, 50 }, 5, 0,
		  "M40 100h0M140 80h0M240 60h0" },
		{ "missing day", { 0, 1, 3, 4 }, { 10, 20, 40, 50 }, 4, 0,
		  "M40 100L90 90M190 70L240 60" },
		{ "missing days joined with gap_days", { 0, 1, 3, 4 }, { 10, 20, 40, 50 }, 4, 2,
		  "M40 100L90 90L190 70L240 60" },
		{ "leading and trailing NaN", { 0, 1, 2, 3 }, { NAN, 20, 30, NAN }, 4, 0,
		  "M40 90L240 80" },
		{ "tenths", { 0, 1 }, { 33.33, 66.67 }, 2, 0,
		  "M40 76.7L240 43.3" },
	};
	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		struct arena a = ARENA_INIT;
		struct chart_series s = { "S", cases[c].values };
		struct chart_input in = line_input(cases[c].dates, cases[c].n, &s, 1);
		in.gap_days = cases[c].gap_days;
		const struct value *chart = chart_line(&a, &in);
		if (strcmp(str(item(get(chart, "series"), 0), "path"), cases[c].path))
			fail_msg("%s: path %s, want %s", cases[c].name,
				 str(item(get(chart, "series"), 0), "path"),
				 cases[c].path);
		arena_release(&a);
	}
}

/* Markers: every point up to CHART_MARK_ALL_MAX days; beyond, the last
 * point and lone days only. One marker path starts with one M. */
static void test_markers(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	day_t dates[40];
	double values[40];
	for (size_t i = 0; i < 40; i++) {
		dates[i] = D20261120 + (day_t)i;
		values[i] = (double)i;
	}
	struct chart_series s = { "S", values };
	struct chart_input in = line_input(dates, 5, &s, 1);
	const struct value *series = item(get(chart_line(&a, &in), "series"), 0);
	assert_int_equal(count(str(series, "markers"), "M"), 5);
	assert_string_equal(str(series, "marker"), "circle");

	values[20] = NAN;
	values[22] = NAN; /* day 21 stands alone */
	in.date_count = 40;
	series = item(get(chart_line(&a, &in), "series"), 0);
	assert_int_equal(count(str(series, "markers"), "M"), 2);
	assert_int_equal(count(str(series, "path"), "h0"), 1);

	/* Styles follow the series index and repeat after five. */
	struct chart_series many[6];
	for (size_t i = 0; i < 6; i++)
		many[i] = (struct chart_series){ "S", values };
	in.series = many;
	in.series_count = 6;
	const struct value *list = get(chart_line(&a, &in), "series");
	static const char *const shapes[] = { "circle", "square", "triangle",
					      "diamond", "triangle-down", "circle" };
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(str(item(list, i), "marker"), shapes[i]);
		assert_int_equal((int)num(item(list, i), "style"), (int)(i % 5 + 1));
		assert_int_equal((int)num(item(list, i), "index"), (int)(i + 1));
	}
	arena_release(&a);
}

/* ---- empty charts ---------------------------------------------------- */

static void test_empty(void **state)
{
	(void)state;
	day_t dates[] = { D20261120, D20261120 + 1, D20261120 + 2 };
	double one[] = { 50, NAN, NAN };
	double counts[] = { 3, NAN, NAN };
	static const size_t lengths[] = { 0, 1, 3 };
	for (size_t c = 0; c < ARRAY_SIZE(lengths); c++) {
		struct arena a = ARENA_INIT;
		struct chart_series s = { "S", one };
		struct chart_input in = line_input(dates, lengths[c], &s, 1);
		const struct value *charts[4];
		charts[0] = chart_line(&a, &in);
		charts[1] = chart_sparkline(&a, &in);
		struct chart_series levels[] = { { "None", counts }, { "Basic", counts } };
		struct chart_input share = in;
		share.series = levels;
		share.series_count = 2;
		charts[2] = chart_level_share(&a, &share);
		struct chart_input burn = share;
		burn.unit = CHART_COUNT;
		struct chart_campaign campaign = { D20261120, D20261120 + 30, true };
		charts[3] = chart_burnup(&a, &burn, &campaign);
		for (size_t k = 0; k < 4; k++) {
			assert_true(flag(charts[k], "empty"));
			assert_string_equal(str(charts[k], "empty_text"),
					    "Trends appear after the second run.");
			assert_int_equal(get(charts[k], "series")->count, 0);
			assert_int_equal(get(charts[k], "plot")->type, VALUE_NULL);
		}
		arena_release(&a);
	}
}

/* Every chart has every key of the contract (null where it does not
 * apply), so no name falls through to the page around it. */
static void test_keys(void **state)
{
	(void)state;
	static const char *const keys[] = {
		"kind", "empty", "empty_text", "title", "desc", "width", "height",
		"view_box", "plot", "unit", "x_ticks", "y_ticks", "series", "legend",
		"bands", "events", "projection", "first_date", "last_date", "table",
	};
	struct arena a = ARENA_INIT;
	day_t dates[] = { D20261120, D20261120 + 1 };
	double v[] = { 1, 2 };
	struct chart_series s[] = { { "A", v }, { "B", v } };
	struct chart_input in = line_input(dates, 2, s, 2);
	struct chart_campaign campaign = { D20261120, 0, false };
	const struct value *charts[] = {
		chart_line(&a, &in), chart_sparkline(&a, &in),
		chart_level_share(&a, &in), chart_line(&a, &in),
	};
	in.unit = CHART_COUNT;
	charts[3] = chart_burnup(&a, &in, &campaign);
	for (size_t c = 0; c < ARRAY_SIZE(charts); c++) {
		assert_int_equal(charts[c]->count, ARRAY_SIZE(keys));
		for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
			if (!value_get(charts[c], keys[k]))
				fail_msg("chart %zu has no %s", c, keys[k]);
	}
	arena_release(&a);
}

/* ---- 400 days, clamping, ticks --------------------------------------- */

static void test_400_days(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	day_t dates[400];
	double team[400], org[400];
	for (size_t i = 0; i < 400; i++) {
		dates[i] = D20251020 + (day_t)i;
		team[i] = 40 + (double)(i % 50);
		org[i] = 60 + (double)(i % 7);
	}
	struct chart_series s[] = { { "Payments", team }, { "Organisation", org } };
	struct chart_input in = { .dates = dates, .date_count = 400, .series = s,
				  .series_count = 2, .unit = CHART_PERCENT };
	const struct value *chart = chart_line(&a, &in);
	assert_false(flag(chart, "empty"));
	assert_true(flag(chart, "legend"));
	assert_string_equal(str(chart, "view_box"), "0 0 640 240");
	const struct value *series = item(get(chart, "series"), 0);
	assert_int_equal(count(str(series, "path"), "M"), 1);
	assert_int_equal(count(str(series, "path"), "L"), 399);
	assert_int_equal(count(str(series, "markers"), "M"), 1);
	assert_string_equal(str(series, "first.date"), "2025-10-20");
	assert_string_equal(str(series, "last.date"), "2026-11-23");
	assert_string_equal(str(series, "last.text"), "89.0%");
	char *x = labels(chart, "x_ticks");
	assert_string_equal(x, "Nov 2025,Jan 2026,Mar,May,Jul,Sep,Nov");
	free(x);
	char *y = labels(chart, "y_ticks");
	assert_string_equal(y, "0%,25%,50%,75%,100%");
	free(y);
	assert_int_equal(get(chart, "table.rows")->count, 400);
	assert_string_equal(str(item(get(chart, "table.head"), 2), ""), "Organisation");
	assert_string_equal(
		str(chart, "desc"),
		"2025-10-20 to 2026-11-23. Payments: 40.0% on 2025-10-20, 89.0% on "
		"2026-11-23. Organisation: 60.0% on 2025-10-20, 60.0% on 2026-11-23.");

	/* The sparkline of the same: one series, no axes, the last point marked. */
	const struct value *spark = chart_sparkline(&a, &in);
	assert_string_equal(str(spark, "view_box"), "0 0 96 24");
	assert_int_equal(get(spark, "series")->count, 1);
	assert_int_equal(get(spark, "x_ticks")->count, 0);
	assert_false(flag(spark, "legend"));
	assert_int_equal(count(str(item(get(spark, "series"), 0), "markers"), "M"), 1);
	arena_release(&a);
}

static void test_clamp(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	day_t dates[] = { 0, 1, 2 };
	double v[] = { -5, 150, 50 };
	struct chart_series s = { "S", v };
	struct chart_input in = line_input(dates, 3, &s, 1);
	const struct value *chart = chart_line(&a, &in);
	assert_string_equal(str(item(get(chart, "series"), 0), "path"),
			    "M40 110L140 10L240 60");
	/* The table and the text keep the real numbers. */
	const struct value *row = item(get(chart, "table.rows"), 1);
	assert_string_equal(str(item(get(row, "cells"), 0), "text"), "150.0%");

	/* A sparkline spans its own values, at least a tenth of the axis. */
	double close[] = { 62, 70 };
	struct chart_series spark = { "S", close };
	struct chart_input si = line_input(dates, 2, &spark, 1);
	si.width = si.height = 0;
	assert_string_equal(str(item(get(chart_sparkline(&a, &si), "series"), 0), "path"),
			    "M2 18.4L92 5.6");
	double wide[] = { 10, 90 };
	spark.values = wide;
	assert_string_equal(str(item(get(chart_sparkline(&a, &si), "series"), 0), "path"),
			    "M2 20L92 4");

	/* Counts: the axis rounds up to 1, 2 or 5 times a power of ten. */
	static const struct {
		double max, y_max;
		const char *ticks;
		double top;
	} counts[] = {
		{ 0, 0, "0,1", 1 },
		{ 7, 0, "0,2,4,6,8", 8 },
		{ 130, 0, "0,50,100,150", 150 },
		{ 1000, 0, "0,200,400,600,800,1000", 1000 },
		{ 130, 100, "0,25,50,75,100", 100 },
	};
	for (size_t c = 0; c < ARRAY_SIZE(counts); c++) {
		double values[] = { 0, counts[c].max };
		struct chart_series cs = { "S", values };
		struct chart_input ci = line_input(dates, 2, &cs, 1);
		ci.unit = CHART_COUNT;
		ci.y_max = counts[c].y_max;
		const struct value *cc = chart_line(&a, &ci);
		char *t = labels(cc, "y_ticks");
		if (strcmp(t, counts[c].ticks))
			fail_msg("max %g: ticks %s, want %s", counts[c].max, t,
				 counts[c].ticks);
		free(t);
		/* The top tick sits at the top of the plot. */
		const struct value *ticks = get(cc, "y_ticks");
		assert_true(num(item(ticks, ticks->count - 1), "value") == counts[c].top);
		assert_true(num(item(ticks, ticks->count - 1), "y") == 10);
	}
	arena_release(&a);
}

static void test_ticks(void **state)
{
	(void)state;
	static const struct {
		long span;
		const char *labels;
	} cases[] = {
		{ 1, "Nov 20,Nov 21" },
		{ 6, "Nov 20,Nov 21,Nov 22,Nov 23,Nov 24,Nov 25,Nov 26" },
		{ 13, "Nov 20,Nov 22,Nov 24,Nov 26,Nov 28,Nov 30,Dec 2" },
		{ 30, "Nov 23,Nov 30,Dec 7,Dec 14" },           /* Mondays */
		{ 90, "Nov 30,Dec 14,Dec 28,Jan 11,Jan 25,Feb 8" },
		{ 150, "Dec 2026,Jan 2027,Feb,Mar,Apr" },
		{ 399, "Jan 2027,Mar,May,Jul,Sep,Nov" },
		{ 800, "Jan 2027,Apr,Jul,Oct,Jan 2028,Apr,Jul,Oct,Jan 2029" },
	};
	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		struct arena a = ARENA_INIT;
		day_t dates[] = { D20261120, D20261120 + cases[c].span };
		double v[] = { 1, 2 };
		struct chart_series s = { "S", v };
		struct chart_input in = line_input(dates, 2, &s, 1);
		const struct value *chart = chart_line(&a, &in);
		char *got = labels(chart, "x_ticks");
		if (strcmp(got, cases[c].labels))
			fail_msg("span %ld: %s, want %s", cases[c].span, got,
				 cases[c].labels);
		free(got);
		/* Ticks lie inside the plot, left to right. */
		const struct value *ticks = get(chart, "x_ticks");
		double prev = 0;
		for (size_t i = 0; i < ticks->count; i++) {
			double x = num(item(ticks, i), "x");
			assert_true(x >= 40 && x <= 240 && x > prev);
			prev = x;
		}
		arena_release(&a);
	}
}

/* ---- level share ----------------------------------------------------- */

static void test_share(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	day_t dates[] = { 0, 1, 2, 3 };
	double none[] = { 2, 1, NAN, 0 };
	double basic[] = { 2, 1, 5, 2 };
	double adv[] = { 0, 2, 5, 2 };
	struct chart_series levels[] = { { "None", none }, { "Basic", basic },
					 { "Advanced", adv } };
	struct chart_input in = line_input(dates, 4, levels, 3);
	const struct value *chart = chart_level_share(&a, &in);
	assert_string_equal(str(chart, "kind"), "share");
	const struct value *bands = get(chart, "bands");
	assert_int_equal(bands->count, 3);
	/* Day 2 has no value for None: a gap, so day 3 stands alone. The
	 * highest level is at the bottom; None fills the top. */
	assert_string_equal(str(item(bands, 0), "path"),
			    "M40 10L106.7 10L106.7 35L40 60ZM238.5 10H241.5V10H238.5Z");
	assert_string_equal(str(item(bands, 2), "path"),
			    "M40 110L106.7 60L106.7 110L40 110ZM238.5 60H241.5V110H238.5Z");
	assert_string_equal(str(item(bands, 1), "last_text"), "50.0% (2)");
	assert_int_equal(get(chart, "table.rows")->count, 3);
	assert_string_equal(
		str(chart, "desc"),
		"1970-01-01 to 1970-01-04. On 1970-01-04: None 0.0% (0), Basic "
		"50.0% (2), Advanced 50.0% (2).");
	/* A band too thin has no label. */
	assert_int_equal(get(item(bands, 0), "label_y")->type, VALUE_NULL);
	assert_true(num(item(bands, 2), "label_y") == 85);
	arena_release(&a);
}

/* ---- projection ------------------------------------------------------ */

#define DUE_NONE (-1)

static void test_projection(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		size_t n;
		double passing[20], scope[20];
		day_t skip_day; /* a day left out of the dates, or -1 */
		day_t due;      /* from day 0; DUE_NONE for no due date */
		enum chart_projection_status status;
		day_t done;     /* from day 0, or -1 */
		const char *text;
	} cases[] = {
		{ "on track", 5, { 10, 20, 30, 40, 50 }, { 100, 100, 100, 100, 100 },
		  -1, 14, CHART_PROJECTION_ON_TRACK, 9,
		  "On track: done by 1970-01-10, 5 days before the due date." },
		{ "on the due date", 5, { 10, 20, 30, 40, 50 }, { 100, 100, 100, 100, 100 },
		  -1, 9, CHART_PROJECTION_ON_TRACK, 9,
		  "On track: done by 1970-01-10, on the due date." },
		{ "late", 5, { 10, 20, 30, 40, 50 }, { 100, 100, 100, 100, 100 },
		  -1, 6, CHART_PROJECTION_LATE, 9,
		  "At this pace: done by 1970-01-10, 3 days late." },
		{ "one day late", 5, { 10, 20, 30, 40, 50 }, { 100, 100, 100, 100, 100 },
		  -1, 8, CHART_PROJECTION_LATE, 9,
		  "At this pace: done by 1970-01-10, 1 day late." },
		{ "no due date", 5, { 10, 20, 30, 40, 50 }, { 100, 100, 100, 100, 100 },
		  -1, DUE_NONE, CHART_PROJECTION_NO_DUE, 9,
		  "At this pace: done by 1970-01-10." },
		{ "rounded up", 3, { 0, 3, 6 }, { 10, 10, 10 },
		  -1, DUE_NONE, CHART_PROJECTION_NO_DUE, 4,
		  "At this pace: done by 1970-01-05." },
		{ "no progress", 5, { 50, 50, 50, 50, 50 }, { 100, 100, 100, 100, 100 },
		  -1, 30, CHART_PROJECTION_NO_PROGRESS, -1,
		  "No progress in the last 4 days." },
		{ "scope grows as fast as fixes", 4, { 10, 20, 30, 40 }, { 100, 110, 120, 130 },
		  -1, 30, CHART_PROJECTION_NO_PROGRESS, -1,
		  "No progress in the last 3 days." },
		{ "going backwards", 3, { 30, 20, 10 }, { 100, 100, 100 },
		  -1, 30, CHART_PROJECTION_NO_PROGRESS, -1,
		  "No progress in the last 2 days." },
		{ "already done", 3, { 10, 50, 100 }, { 100, 100, 100 },
		  -1, 1, CHART_PROJECTION_DONE, -1,
		  "Done: everything in scope passes." },
		{ "one day", 1, { 10 }, { 100 },
		  -1, 30, CHART_PROJECTION_UNKNOWN, -1,
		  "Not enough recent runs to project a finish date." },
		{ "too slow", 3, { 0, 0.1, 0.2 }, { 1000, 1000, 1000 },
		  -1, 30, CHART_PROJECTION_TOO_SLOW, -1,
		  "At this pace it takes more than 10 years." },
		/* Only the last 14 days count: the burst on days 0-5 is old. */
		{ "old progress", 20,
		  { 0, 10, 20, 30, 40, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50 },
		  { 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100,
		    100, 100, 100, 100, 100, 100 },
		  -1, 40, CHART_PROJECTION_NO_PROGRESS, -1,
		  "No progress in the last 13 days." },
		/* A missing day and a NaN are left out of the fit, not zeros. */
		{ "gaps", 5, { 10, 20, NAN, 50, 60 }, { 100, 100, NAN, 100, 100 },
		  3, 30, CHART_PROJECTION_ON_TRACK, 9,
		  "On track: done by 1970-01-10, 21 days before the due date." },
	};
	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		day_t dates[20];
		for (size_t i = 0, day = 0; i < cases[c].n; i++, day++) {
			if ((day_t)day == cases[c].skip_day)
				day++;
			dates[i] = (day_t)day;
		}
		struct chart_campaign campaign = { 0, cases[c].due,
						   cases[c].due != DUE_NONE };
		struct chart_projection p;
		chart_project(dates, cases[c].passing, cases[c].scope, cases[c].n,
			      &campaign, &p);
		struct buf text = BUF_INIT;
		chart_projection_text(&text, &p);
		if (p.status != cases[c].status || p.done != cases[c].done ||
		    strcmp(text.data, cases[c].text))
			fail_msg("%s: status %d done %ld \"%s\"", cases[c].name,
				 (int)p.status, p.done, text.data);
		buf_release(&text);
	}

	/* Nothing recorded at all. */
	struct chart_projection p;
	struct chart_campaign campaign = { 0, 0, false };
	chart_project(NULL, NULL, NULL, 0, &campaign, &p);
	assert_int_equal(p.status, CHART_PROJECTION_UNKNOWN);
	assert_int_equal(p.last, -1);
}

static void test_burnup(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	/* Recorded days 10..14 of a campaign from day 5 to day 30. */
	day_t dates[] = { 10, 11, 12, 13, 14 };
	double passing[] = { 10, 20, 30, 40, 50 };
	double scope[] = { 100, 100, 100, 100, 100 };
	struct chart_series s[] = { { "Passing", passing }, { "In scope", scope } };
	struct chart_input in = { .dates = dates, .date_count = 5, .series = s,
				  .series_count = 2, .unit = CHART_COUNT,
				  .width = 264, .height = 146 };
	struct chart_campaign campaign = { 5, 16, true };
	const struct value *chart = chart_burnup(&a, &in, &campaign);
	/* Done on day 19, 3 days late: the x axis runs from the start (day 5)
	 * to the finish (day 19); the plot is 200 x 100 from (40, 22). */
	assert_string_equal(str(chart, "first_date"), "1970-01-06");
	assert_string_equal(str(chart, "last_date"), "1970-01-20");
	assert_string_equal(str(chart, "projection.status"), "late");
	assert_string_equal(str(chart, "projection.done"), "1970-01-20");
	assert_true(num(chart, "projection.days_late") == 3);
	assert_true(num(chart, "projection.pace") == 10);
	assert_string_equal(str(chart, "projection.path"), "M168.6 72L240 22");
	const struct value *events = get(chart, "events");
	assert_int_equal(events->count, 2);
	assert_string_equal(str(item(events, 0), "label"), "Start 1970-01-06");
	assert_true(num(item(events, 0), "x") == 40);
	assert_string_equal(str(item(events, 0), "anchor"), "start");
	assert_string_equal(str(item(events, 1), "label"), "Due 1970-01-17");
	assert_string_equal(str(item(events, 1), "anchor"), "end");
	const struct value *passing_series = item(get(chart, "series"), 0);
	assert_string_equal(str(passing_series, "area"),
			    "M111.4 112L125.7 102L140 92L154.3 82L168.6 72V122H111.4Z");
	assert_int_equal(get(item(get(chart, "series"), 1), "area")->type, VALUE_NULL);
	assert_true(count(str(chart, "desc"), "At this pace: done by 1970-01-20, 3 days late.") == 1);
	arena_release(&a);
}

/* ---- determinism ----------------------------------------------------- */

static const struct value *sample_line(struct arena *a)
{
	static const day_t dates[] = { D20261120, D20261120 + 1, D20261120 + 2,
				       D20261120 + 4, D20261120 + 5, D20261120 + 6,
				       D20261120 + 7, D20261120 + 8 };
	static const double team[] = { 52.5, 55, NAN, 61.25, 64, 63.9, 70, 71.4 };
	static const double org[] = { 60, 60.4, 61, 61.5, 62, 62.5, 63, 63.3 };
	static const struct chart_series s[] = {
		{ "Payments <team>", team }, { "Organisation", org },
	};
	struct chart_input in = { .dates = dates, .date_count = 8, .series = s,
				  .series_count = 2, .unit = CHART_PERCENT,
				  .title = "Score over time" };
	return chart_line(a, &in);
}

static void test_determinism(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT, b = ARENA_INIT;
	struct buf one = BUF_INIT, two = BUF_INIT;
	dump(&one, sample_line(&a));
	dump(&two, sample_line(&b));
	assert_string_equal(one.data, two.data);

	/* A locale with a decimal comma changes nothing. */
	static const char *const locales[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "C.UTF-8" };
	for (size_t i = 0; i < ARRAY_SIZE(locales); i++) {
		if (!setlocale(LC_ALL, locales[i]))
			continue;
		buf_reset(&two);
		arena_release(&b);
		dump(&two, sample_line(&b));
		setlocale(LC_ALL, "C");
		assert_string_equal(one.data, two.data);
	}
	setlocale(LC_ALL, "C");
	buf_release(&one);
	buf_release(&two);
	arena_release(&a);
	arena_release(&b);
}

/* ---- golden renders -------------------------------------------------- */

struct golden {
	const char *name;     /* tests/unit/chart/NAME.html */
	const char *partial;  /* partials/chart-... */
	const struct value *chart;
};

static void samples(struct arena *a, struct golden *out, size_t *n)
{
	static const day_t days[] = { D20261120, D20261120 + 1, D20261120 + 2,
				      D20261120 + 4, D20261120 + 5, D20261120 + 6,
				      D20261120 + 7, D20261120 + 8 };
	static const double spark[] = { 40, 42.5, 41, NAN, 55, 58.3, 60, 66.7 };
	static const double none[] = { 6, 5, 5, 4, 4, 3, 3, 2 };
	static const double basic[] = { 3, 4, 3, 4, 3, 4, 4, 4 };
	static const double inter[] = { 1, 1, 2, 2, NAN, 2, 2, 3 };
	static const double adv[] = { 0, 0, 0, 0, 1, 1, 1, 1 };
	static const struct chart_series sp = { "Security", spark };
	static const struct chart_series levels[] = {
		{ "None", none }, { "Basic", basic }, { "Intermediate", inter },
		{ "Advanced", adv },
	};
	static const day_t burn_days[] = { D20261120, D20261120 + 1, D20261120 + 2,
					   D20261120 + 3, D20261120 + 5, D20261120 + 6,
					   D20261120 + 7 };
	static const double pass[] = { 12, 15, 15, 19, 24, 26, 29 };
	static const double scope[] = { 60, 60, 62, 62, 62, 64, 64 };
	static const struct chart_series burn[] = { { "Passing", pass },
						    { "In scope", scope } };
	struct chart_campaign campaign = { D20261120 - 3, D20261120 + 20, true };

	struct chart_input spark_in = { .dates = days, .date_count = 8, .series = &sp,
					.series_count = 1, .unit = CHART_PERCENT,
					.title = "Security score, last 9 days" };
	struct chart_input share_in = { .dates = days, .date_count = 8,
					.series = levels, .series_count = 4,
					.unit = CHART_COUNT,
					.title = "Entities at each level" };
	struct chart_input burn_in = { .dates = burn_days, .date_count = 7,
				       .series = burn, .series_count = 2,
				       .unit = CHART_COUNT,
				       .title = "Passing checks against checks in scope" };
	struct chart_input empty_in = spark_in;
	empty_in.date_count = 1;

	size_t k = 0;
	out[k++] = (struct golden){ "line", "partials/chart-line", sample_line(a) };
	out[k++] = (struct golden){ "line-empty", "partials/chart-line",
				    chart_line(a, &empty_in) };
	out[k++] = (struct golden){ "sparkline", "partials/chart-sparkline",
				    chart_sparkline(a, &spark_in) };
	out[k++] = (struct golden){ "sparkline-empty", "partials/chart-sparkline",
				    chart_sparkline(a, &empty_in) };
	out[k++] = (struct golden){ "share", "partials/chart-share",
				    chart_level_share(a, &share_in) };
	out[k++] = (struct golden){ "burnup", "partials/chart-burnup",
				    chart_burnup(a, &burn_in, &campaign) };
	*n = k;
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, NULL);
}

static void write_all(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	if (!f || fputs(text, f) == EOF || fclose(f) != 0)
		fail_msg("cannot write %s", path);
}

/* Render `partial` with the chart under the key "chart", as a page would:
 * {{#chart}}{{>partial}}{{/chart}}. */
static void render(struct mustache_cache *cache, struct arena *a,
		   const struct golden *g, struct buf *out)
{
	char text[128];
	snprintf(text, sizeof(text), "{{#chart}}\n{{>%s}}\n{{/chart}}\n", g->partial);
	struct source src = { g->name, arena_strdup(a, text), strlen(text), NULL };
	const struct mustache_template *t;
	struct err e = ERR_INIT;
	struct value *data = value_new(a, VALUE_MAP);
	value_map_put(a, data, value_new_string(a, "chart", 5),
		      (struct value *)g->chart);
	if (mustache_compile(cache, &src, &t, &e) != 0 ||
	    mustache_render(t, data, out, &e) != 0) {
		err_print(&e, stderr);
		fail_msg("%s did not render", g->name);
	}
	err_release(&e);
}

static void test_golden(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct golden goldens[8];
	size_t n;
	samples(&a, goldens, &n);
	struct mustache_loader loader = { mustache_load_dir, "templates" };
	struct mustache_cache *cache = mustache_cache_new(&loader);
	bool update = getenv("UPDATE_GOLDEN") != NULL;
	const char *preview = getenv("CHART_PREVIEW");
	struct buf page = BUF_INIT;
	buf_adds(&page, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		 "<meta charset=\"utf-8\">\n<title>Charts</title>\n"
		 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		 "<style>\n");
	if (preview) {
		/* The site's CSS inline, so the page can be opened from anywhere. */
		char *css = read_all("static/style.css");
		if (!css)
			fail_msg("cannot read static/style.css");
		buf_adds(&page, css);
		free(css);
	}
	buf_adds(&page, "</style>\n</head>\n<body>\n<main class=\"wrap\">\n<h1>Charts</h1>\n");
	for (size_t i = 0; i < n; i++) {
		struct buf out = BUF_INIT;
		render(cache, &a, &goldens[i], &out);
		char path[256];
		snprintf(path, sizeof(path), GOLDEN_DIR "/%s.html", goldens[i].name);
		if (update)
			write_all(path, out.data);
		char *want = read_all(path);
		if (!want)
			fail_msg("%s is missing (UPDATE_GOLDEN=1 writes it)", path);
		if (strcmp(want, out.data))
			fail_msg("%s differs:\n%s", path, out.data);
		free(want);
		buf_addf(&page, "<section class=\"section\">\n<h2>%s</h2>\n",
			 goldens[i].name);
		if (strstr(goldens[i].name, "sparkline"))
			buf_addf(&page, "<table class=\"data\"><caption>In a table</caption>"
				 "<thead><tr><th scope=\"col\">Scorecard</th>"
				 "<th scope=\"col\">Trend</th></tr></thead><tbody><tr>"
				 "<td>Security</td><td>%s</td></tr></tbody></table>\n",
				 out.data);
		else
			buf_add(&page, out.data, out.len);
		buf_adds(&page, "</section>\n");
		buf_release(&out);
	}
	buf_adds(&page, "</main>\n</body>\n</html>\n");
	if (preview)
		write_all(preview, page.data);
	buf_release(&page);
	mustache_cache_free(cache);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_400_days),
		cmocka_unit_test(test_clamp),
		cmocka_unit_test(test_ticks),
		cmocka_unit_test(test_share),
		cmocka_unit_test(test_projection),
		cmocka_unit_test(test_burnup),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_golden),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
