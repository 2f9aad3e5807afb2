/*
 * chart_share: the level-share chart, chart_level_share() (chart.h): the
 * share of entities at each level as stacked bands that fill 100 % on
 * every recorded day. Only the bands are drawn here; the frame, ticks,
 * table and the other common keys are chart.c's (chart_draw.h).
 */
#include "chart.h"

#include <math.h>
#include <string.h>

#include "chart_draw.h"

#define BAND_LABEL_MIN 13      /* a band this tall (units) gets a label */
#define ALONE_HALF_WIDTH 1.5   /* a lone day of a band, drawn 3 units wide */

/* ---- level share ----------------------------------------------------- */

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
	chart_add_value_text(b, CHART_PERCENT, share_of(in, s, i));
	buf_adds(b, " (");
	chart_add_tenths(b, in->series[s].values[i], false);
	buf_addch(b, ')');
}

/*
 * One band's outline for the run of dates from..to (recorded, joined):
 * along the top edge forward, back along the bottom edge, closed. A run
 * of one day is a thin bar. The top edge also goes into `edge` alone.
 */
static void band_run(const struct chart_frame *f, const struct chart_input *in,
		     size_t s, const size_t *run, size_t count, struct buf *area,
		     struct buf *edge)
{
	if (count == 1) {
		size_t i = run[0];
		double x = chart_frame_x(f, in->dates[i]);
		double top = chart_frame_y(f, share_below(in, s, i) +
						      share_of(in, s, i));
		double bottom = chart_frame_y(f, share_below(in, s, i));
		chart_add_point(area, 'M', x - ALONE_HALF_WIDTH, top);
		buf_addch(area, 'H');
		chart_add_coord(area, x + ALONE_HALF_WIDTH);
		buf_addch(area, 'V');
		chart_add_coord(area, bottom);
		buf_addch(area, 'H');
		chart_add_coord(area, x - ALONE_HALF_WIDTH);
		buf_addch(area, 'Z');
		chart_add_point(edge, 'M', x - ALONE_HALF_WIDTH, top);
		buf_addch(edge, 'H');
		chart_add_coord(edge, x + ALONE_HALF_WIDTH);
		return;
	}
	for (size_t k = 0; k < count; k++) {
		size_t i = run[k];
		double x = chart_frame_x(f, in->dates[i]);
		double y = chart_frame_y(f, share_below(in, s, i) +
						    share_of(in, s, i));
		chart_add_point(area, k ? 'L' : 'M', x, y);
		chart_add_point(edge, k ? 'L' : 'M', x, y);
	}
	for (size_t k = count; k-- > 0;) {
		size_t i = run[k];
		chart_add_point(area, 'L', chart_frame_x(f, in->dates[i]),
				chart_frame_y(f, share_below(in, s, i)));
	}
	buf_addch(area, 'Z');
}

static struct value *band_value(struct arena *a, const struct chart_frame *f,
				const struct chart_input *in, size_t s,
				size_t last, struct buf *desc)
{
	const char *label = in->series[s].label ? in->series[s].label : "";
	struct buf area = BUF_INIT, edge = BUF_INIT, text = BUF_INIT;
	size_t *run = arena_alloc_array(a, in->date_count, sizeof(*run));
	size_t count = 0;
	long gap = chart_gap_days(in);
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
	chart_put_number(a, v, "level", (double)s);
	chart_put_copy(a, v, "label", label, strlen(label));
	chart_put_buf(a, v, "path", &area);
	chart_put_buf(a, v, "edge", &edge);
	share_cell(&text, in, s, last);
	chart_put_buf(a, v, "last_text", &text);
	double top = chart_frame_y(f, share_below(in, s, last) +
					      share_of(in, s, last));
	double bottom = chart_frame_y(f, share_below(in, s, last));
	if (bottom - top >= BAND_LABEL_MIN) {
		chart_put_number(a, v, "label_x", f->right - 4);
		chart_put_number(a, v, "label_y", (top + bottom) / 2);
	} else {
		chart_put(a, v, "label_x", NULL);
		chart_put(a, v, "label_y", NULL);
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
	chart_check_input(in);
	unsigned width, height;
	struct chart_input shares = *in;
	shares.unit = CHART_PERCENT;
	shares.y_max = 100;
	struct value *chart = chart_new(a, "share", &shares,
					"Share of entities at each level",
					&width, &height, CHART_LINE_WIDTH,
					CHART_LINE_HEIGHT);
	size_t first = 0, last = 0;
	if (chart_count_recorded(in, recorded_all, &first, &last) < 2)
		return chart_empty(a, chart);

	struct chart_frame f = { .unit = CHART_PERCENT, .y_max = 100 };
	f.first = in->dates[first];
	f.last = in->dates[last];
	chart_frame_init(&f, width, height, CHART_MARGIN_TOP);
	chart_put_bool(a, chart, "empty", false);
	chart_put_plot(a, chart, &f);
	chart_put_x_ticks(a, chart, &f);
	chart_put_y_ticks(a, chart, &f, 25);
	chart_put_list(a, chart, "series");
	chart_put_bool(a, chart, "legend", true);

	struct buf desc = BUF_INIT;
	chart_add_span(&desc, &f);
	buf_adds(&desc, "On ");
	chart_add_date(&desc, in->dates[last]);
	buf_adds(&desc, ": ");
	struct value *bands = chart_put_list(a, chart, "bands");
	for (size_t s = 0; s < in->series_count; s++)
		value_seq_push(a, bands, band_value(a, &f, in, s, last, &desc));
	chart_put_desc(a, chart, &desc);
	buf_release(&desc);
	chart_put_table(a, chart, in, recorded_all, share_cell);
	chart_complete(a, chart);
	return chart;
}

