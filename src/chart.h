/*
 * chart: the geometry of trend charts, as template data.
 *
 * Charts are inline SVG drawn at build time, so they work from file://,
 * without JavaScript, in print and in dark mode. This module only measures:
 * it turns dated series into a `struct value` mapping of ready numbers and
 * SVG path strings (docs/templates.md, "Charts", lists every key), and the
 * theme's partials (templates/partials/chart-*.mustache) and CSS classes do
 * the drawing. A theme restyles a chart without touching C.
 *
 * Every function is pure: same input, same bytes. Numbers in paths and
 * positions are rounded to one decimal and written from integers, never
 * through printf's %f, so the locale cannot change them. All memory comes
 * from the arena given; nothing is kept between calls.
 *
 * Time runs along x in calendar days, so a day without a run takes its
 * place on the axis: it is a gap in the line (the path restarts with `M`
 * after it), never a zero. A value of NaN is a gap too (the series had no
 * run, or nothing counted, that day).
 */
#ifndef YARDSTICK_CHART_H
#define YARDSTICK_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "model.h"
#include "value.h"

/* Default sizes in SVG user units (CSS pixels at 100%), for a zero
 * width or height in struct chart_input. */
#define CHART_LINE_WIDTH 640
#define CHART_LINE_HEIGHT 240
#define CHART_SPARKLINE_WIDTH 96
#define CHART_SPARKLINE_HEIGHT 24

/* Up to this many recorded days, every point of a series gets a marker;
 * beyond, only the last point and points standing alone between gaps do
 * (a marker per day of a year would drown the line). */
#define CHART_MARK_ALL_MAX 31

/* The burn-up's pace is fitted over the recorded days of the last this
 * many calendar days, up to the last recorded one (chart_project()). */
#define CHART_PACE_DAYS 14

/* A projection further out than this many days says "too slow" rather
 * than print a date nobody will see. */
#define CHART_PROJECTION_MAX_DAYS 3660

/* What the partial prints instead of a chart with under two recorded days. */
#define CHART_EMPTY_TEXT "Trends appear after the second run."

enum chart_unit {
	CHART_PERCENT, /* values are 0..100; the y axis is 0..100 % */
	CHART_COUNT,   /* values are counts; the y axis is 0..a round maximum */
};

struct chart_series {
	const char *label;    /* legend and table head; copied */
	const double *values; /* one per date of the input; NaN = no value */
};

/*
 * One chart's data. `dates` are strictly increasing day numbers (a BUG()
 * otherwise), each with one value per series. Days missing between two
 * dates are gaps, as is NaN.
 */
struct chart_input {
	const day_t *dates;
	size_t date_count;
	const struct chart_series *series;
	size_t series_count;  /* at least 1 (a BUG() otherwise) */
	enum chart_unit unit;
	/*
	 * Top of the y axis, in the unit's numbers; 0 picks it: 100 for
	 * CHART_PERCENT, the largest value rounded up to a round step for
	 * CHART_COUNT. Values above it (or below 0) are drawn at the edge and
	 * printed as they are in the table and the text.
	 */
	double y_max;
	/*
	 * Two recorded dates further apart than this many days are not
	 * joined by a line; 0 means 1 (every day without a run is a gap).
	 * A history recorded only on weekdays can pass 3.
	 */
	unsigned gap_days;
	unsigned width, height; /* of the whole SVG; 0 for the kind's default */
	const char *title;      /* the SVG's <title>, e.g. "Score over time";
				 * copied; NULL gives the kind's default */
};

/*
 * A line chart: one line per series (at most a handful: a team against the
 * organisation, each scorecard of an entity), y gridlines, date ticks, a
 * legend when there is more than one series. Series are told apart by
 * colour, dash pattern and marker shape (five styles, repeating).
 */
struct value *chart_line(struct arena *a, const struct chart_input *in);

/*
 * A sparkline for a table cell: the first series only, no axes, the last
 * value marked. Its y range is the series' own, at least a tenth of the
 * full axis tall (10 points of a percentage), so a change shows in 24
 * pixels; the title and desc carry the numbers. Same keys as chart_line().
 */
struct value *chart_sparkline(struct arena *a, const struct chart_input *in);

/*
 * The share of entities at each level over time, as stacked bands that
 * fill 100 % on every recorded day. Series i holds the number of entities
 * at level i (series 0 is level 0, "None"); its label is the level's name.
 * The highest level lies at the bottom, so each band's upper edge reads as
 * "the share at this level or higher". A date where any level is NaN, or
 * where the counts add up to 0, is a gap.
 */
struct value *chart_level_share(struct arena *a, const struct chart_input *in);

/* A campaign's dates, for the burn-up. */
struct chart_campaign {
	day_t start;
	day_t due;    /* ignored unless has_due */
	bool has_due;
};

enum chart_projection_status {
	CHART_PROJECTION_UNKNOWN,     /* under two recorded days in the window */
	CHART_PROJECTION_DONE,        /* nothing left on the last recorded day */
	CHART_PROJECTION_NO_PROGRESS, /* the open work did not shrink */
	CHART_PROJECTION_TOO_SLOW,    /* done beyond CHART_PROJECTION_MAX_DAYS */
	CHART_PROJECTION_ON_TRACK,    /* done on or before the due date */
	CHART_PROJECTION_LATE,        /* done after the due date */
	CHART_PROJECTION_NO_DUE,      /* done by a date; the campaign has no due date */
};

struct chart_projection {
	enum chart_projection_status status;
	day_t last;       /* last recorded day (with both values), or -1 */
	double remaining; /* in scope minus passing on `last` */
	double pace;      /* fitted shrink of the open work per day (may be <= 0) */
	long window_days; /* days between the first and last day fitted */
	day_t done;       /* projected day everything passes; -1 unless
			   * ON_TRACK, LATE or NO_DUE */
	long days_late;   /* done - due: > 0 when LATE, <= 0 when ON_TRACK */
};

/*
 * The projection of a burn-up from its recent pace. `passing` and
 * `in_scope` have `date_count` values each (NaN = no run). The open work
 * (in scope minus passing) of the recorded days in the CHART_PACE_DAYS
 * days up to the last recorded day is fitted by least squares to a line;
 * the pace is the line's fall per day. Fitting the open work rather than
 * the passing count means scope that grows as fast as the fixes land is no
 * progress. The done day is the last recorded day plus the open work left
 * that day divided by the pace, rounded up. Compared with the due date it
 * is on track (done <= due) or late. Never fails.
 */
void chart_project(const day_t *dates, const double *passing,
		   const double *in_scope, size_t date_count,
		   const struct chart_campaign *campaign,
		   struct chart_projection *out);

/*
 * Append the projection as a sentence for people, e.g. "At this pace: done
 * by 2027-02-03, 19 days late." or "On track: done by 2026-12-01, 14 days
 * before the due date." or "No progress in the last 14 days."
 */
void chart_projection_text(struct buf *out, const struct chart_projection *p);

/*
 * A burn-up: in->series[0] is the number of passing (entity, rule) pairs
 * per day, in->series[1] the number in scope (exactly two series, and
 * unit CHART_COUNT; a BUG() otherwise). The x axis spans the campaign's
 * start and due dates as well as the recorded days, both dates marked;
 * the projection (chart_project()) is drawn from the last recorded day
 * and given as text under the key "projection".
 */
struct value *chart_burnup(struct arena *a, const struct chart_input *in,
			   const struct chart_campaign *campaign);

#endif
