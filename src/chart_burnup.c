/*
 * chart_burnup: a campaign's burn-up, chart_burnup() (chart.h), and its
 * projection from the recent pace, chart_project() and
 * chart_projection_text(), which pages also print without the chart. The
 * frame, ticks, series, table and the other common keys are chart.c's
 * (chart_draw.h).
 */
#include "chart.h"

#include <math.h>
#include <string.h>

#include "chart_draw.h"
#include "util.h"

/* ---- burn-up --------------------------------------------------------- */

static void add_days(struct buf *b, long days)
{
	buf_addf(b, "%ld day%s", days, days == 1 ? "" : "s");
}

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
		chart_add_date(out, p->done);
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
		chart_add_date(out, p->done);
		buf_adds(out, ", ");
		add_days(out, p->days_late);
		buf_adds(out, " late.");
		return;
	case CHART_PROJECTION_NO_DUE:
		buf_adds(out, "At this pace: done by ");
		chart_add_date(out, p->done);
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
			   const struct chart_frame *f,
			   const struct chart_input *in,
			   const struct chart_projection *p)
{
	struct value *v = chart_put_map(a, chart, "projection");
	struct buf text = BUF_INIT;
	chart_projection_text(&text, p);
	chart_put_literal(a, v, "status", projection_status_names[p->status]);
	chart_put_buf(a, v, "text", &text);
	buf_release(&text);
	chart_put_number(a, v, "pace", p->pace);
	chart_put_number(a, v, "remaining", p->remaining);
	chart_put_number(a, v, "window_days", (double)p->window_days);
	if (p->done >= 0)
		chart_put_date(a, v, "done", p->done);
	else
		chart_put(a, v, "done", NULL);
	if (p->status == CHART_PROJECTION_LATE)
		chart_put_number(a, v, "days_late", (double)p->days_late);
	else
		chart_put(a, v, "days_late", NULL);

	size_t i = last_both(in);
	if (!f || !projection_drawn(p) || i == in->date_count) {
		chart_put(a, v, "path", NULL);
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
	chart_add_point(&path, 'M', chart_frame_x(f, in->dates[i]),
			chart_frame_y(f, from));
	chart_add_point(&path, 'L', chart_frame_x(f, end),
			chart_frame_y(f, to));
	chart_put_buf(a, v, "path", &path);
	buf_release(&path);
}

static void push_event(struct arena *a, struct value *events,
		       const struct chart_frame *f, const char *name,
		       const char *label, day_t day)
{
	struct value *e = chart_push_map(a, events);
	double x = chart_frame_x(f, day);
	bool right_half = x > (f->left + f->right) / 2;
	struct buf text = BUF_INIT;
	buf_adds(&text, label);
	buf_addch(&text, ' ');
	chart_add_date(&text, day);
	chart_put_literal(a, e, "name", name);
	chart_put_buf(a, e, "label", &text);
	chart_put_date(a, e, "date", day);
	chart_put_number(a, e, "x", x);
	/* Labels sit above the plot, pointing into it from their line. */
	chart_put_number(a, e, "label_x", right_half ? x - 3 : x + 3);
	chart_put_number(a, e, "label_y", f->top - 6);
	chart_put_literal(a, e, "anchor", right_half ? "end" : "start");
	buf_release(&text);
}

struct value *chart_burnup(struct arena *a, const struct chart_input *in,
			   const struct chart_campaign *campaign)
{
	chart_check_input(in);
	if (in->series_count != 2 || in->unit != CHART_COUNT || !campaign)
		BUG("a burn-up takes two count series and a campaign");
	unsigned width, height;
	struct value *chart = chart_new(a, "burnup", in, "Campaign progress",
					&width, &height, CHART_LINE_WIDTH,
					CHART_LINE_HEIGHT);
	struct chart_projection p;
	chart_project(in->dates, in->series[0].values, in->series[1].values,
		      in->date_count, campaign, &p);
	size_t first = 0, last = 0;
	if (chart_count_recorded(in, chart_recorded_any, &first, &last) < 2) {
		put_projection(a, chart, NULL, in, &p);
		return chart_empty(a, chart);
	}

	struct chart_frame f = { .unit = CHART_COUNT };
	double step;
	f.y_max = chart_y_axis(in, chart_data_max(in), &step);
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
	chart_frame_init(&f, width, height, CHART_MARGIN_TOP_EVENTS);

	chart_put_bool(a, chart, "empty", false);
	chart_put_plot(a, chart, &f);
	chart_put_x_ticks(a, chart, &f);
	chart_put_y_ticks(a, chart, &f, step);
	struct buf desc = BUF_INIT;
	chart_add_span(&desc, &f);
	struct value *series = chart_put_list(a, chart, "series");
	size_t recorded = chart_count_recorded(in, chart_recorded_any, &first,
					       &last);
	enum chart_marking marking = recorded <= CHART_MARK_ALL_MAX
					     ? CHART_MARK_ALL
					     : CHART_MARK_SOME;
	for (size_t s = 0; s < 2; s++)
		value_seq_push(a, series,
			       chart_series_value(a, &f, in, s, marking, &desc));

	/* The passing count as an area down to the axis, run by run. */
	struct buf area = BUF_INIT;
	const double *passing = in->series[0].values;
	long gap = chart_gap_days(in);
	size_t run_start = 0, prev = 0;
	bool in_run = false;
	for (size_t i = 0; i <= in->date_count; i++) {
		bool have = i < in->date_count && !isnan(passing[i]);
		if (in_run && (!have || in->dates[i] - in->dates[prev] > gap)) {
			for (size_t k = run_start; k <= prev; k++) {
				if (isnan(passing[k]))
					continue;
				chart_add_point(&area, k == run_start ? 'M' : 'L',
						chart_frame_x(&f, in->dates[k]),
						chart_frame_y(&f, passing[k]));
			}
			buf_addch(&area, 'V');
			chart_add_coord(&area, f.bottom);
			buf_addch(&area, 'H');
			chart_add_coord(&area,
					chart_frame_x(&f, in->dates[run_start]));
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

	struct value *events = chart_put_list(a, chart, "events");
	push_event(a, events, &f, "start", "Start", campaign->start);
	if (campaign->has_due)
		push_event(a, events, &f, "due", "Due", campaign->due);
	chart_put_bool(a, chart, "legend", true);
	put_projection(a, chart, &f, in, &p);
	buf_adds(&desc, value_str(value_get(value_get(chart, "projection"), "text")));
	chart_put_desc(a, chart, &desc);
	buf_release(&desc);
	chart_put_table(a, chart, in, chart_recorded_any, chart_value_cell);
	chart_complete(a, chart);
	return chart;
}
