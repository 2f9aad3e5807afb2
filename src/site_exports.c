/*
 * site_exports: the files beside the pages: one README badge per entity
 * and scorecard (unless [badges] enabled = false), the data exports of
 * data/ that [exports] formats asks for (report.h writes them), and the
 * charted series of the history in data/history/.
 * Declared in site_pages.h with the pages they are rendered with.
 */
#include "site_pages.h"

#include <math.h>
#include <stdlib.h>

#include "badge.h"
#include "history.h"
#include "report.h"
#include "util.h"

/* One badge per scorecard entity `e` is in scope of, all of a kind in one
 * folder (site_layout.h): a folder per entity made writing them cost more
 * than writing every page. */
/* Where the badge of a scorecard's level and score is kept once made:
 * its label, message and colour follow from those alone. NULL for a
 * level or score outside the table (made every time then). */
static struct site_badge *badge_memo(struct render *r, size_t s,
				     const struct entity_score *es)
{
	const struct scorecard *sc = r->site->scorecards[s];
	if (es->level < -1 || es->level > (int)sc->level_count)
		return NULL;
	size_t score = SITE_BADGE_SCORES - 1;
	if (!isnan(es->score)) {
		double percent = round(es->score * 100);
		if (!(percent >= 0 && percent <= 100) || signbit(percent))
			return NULL;
		score = (size_t)percent;
	}
	return &r->badges[s][(size_t)(es->level + 1) * SITE_BADGE_SCORES + score];
}

int site_exports_entity_badges(struct render *r, size_t e)
{
	const struct site *site = r->site;
	if (!r->conf->badges_enabled)
		return 0;
	size_t scs = site->scorecard_count;
	for (size_t s = 0; s < scs; s++) {
		const struct scorecard *sc = site->scorecards[s];
		const struct entity_score *es = &r->ev->entity_scores[e * scs + s];
		if (!es->in_scope)
			continue;
		arena_reset(&r->scratch);
		r->mem = &r->scratch;
		buf_reset(&r->text);
		struct site_badge *memo = badge_memo(r, s, es);
		if (memo && memo->svg) {
			buf_add(&r->text, memo->svg, memo->len);
		} else {
			const char *level = level_name(sc, es->level);
			const char *message, *color;
			if (isnan(es->score)) {
				message = arena_printf(r->mem, "%s", level);
				color = BADGE_COLOR_NO_SCORE;
			} else {
				message = arena_printf(r->mem, "%s · %.0f%%", level,
						       round(es->score * 100));
				color = badge_color_for_level(es->level, (int)sc->level_count);
			}
			badge_svg(&r->text, sc->name, message, color);
			if (memo) {
				memo->svg = arena_strndup(&r->run, r->text.data, r->text.len);
				memo->len = r->text.len;
			}
		}
		const char *path = arena_printf(r->mem, "%s%s.svg",
						r->layout.entity_badges[e],
						r->layout.scorecard_slug[s]);
		if (stage(r, path, &r->text) < 0)
			return -1;
	}
	return 0;
}

/* A report's sink flushes into the stream of its file. */
struct export_stream {
	struct output_stream *stream;
	struct err *e;
};

static int write_stream(void *ctx, const char *data, size_t len)
{
	struct export_stream *x = ctx;
	return output_stream_write(x->stream, data, len, x->e);
}

/*
 * The exports [exports] formats asks for. Each is streamed to its file
 * (output.h) in pieces of about REPORT_FLUSH_AT bytes, so no export is
 * held whole: at 10k entities results.json alone is 26 MB.
 */
int site_exports_data(struct render *r)
{
	static const struct report_filter all = { NULL, NULL, NULL };
	static const struct {
		unsigned format;
		const char *path;
		void (*write)(const struct rollup *, const struct report_filter *,
			      struct report_sink *);
	} reports[] = {
		{ CONF_EXPORT_JSON, "data/results.json", report_json },
		{ CONF_EXPORT_CSV, "data/results.csv", report_csv },
		{ CONF_EXPORT_JUNIT, "data/results.junit.xml", report_junit },
		{ CONF_EXPORT_OUTCOMES, "data/outcomes.json", NULL },
	};
	/* The pages are done: their buffer, as large as the largest page,
	 * need not sit beside the exports'. */
	buf_release(&r->text);
	for (size_t i = 0; i < sizeof(reports) / sizeof(reports[0]); i++) {
		if (!(r->conf->export_formats & reports[i].format))
			continue;
		struct export_stream x = { NULL, r->e };
		if (output_stream_begin(r->out, reports[i].path, &x.stream,
					r->e) != 0) {
			r->failure = SITE_OUTPUT_FAILED;
			return -1;
		}
		struct report_sink sink;
		report_sink_init(&sink, write_stream, &x);
		if (reports[i].write)
			reports[i].write(r->ru, &all, &sink);
		else
			report_outcomes(r->ru, &sink);
		int status;
		if (report_sink_finish(&sink) != 0) {
			output_stream_abort(x.stream);
			status = -1;
		} else {
			status = output_stream_end(x.stream, r->e);
		}
		if (status < 0) {
			r->failure = SITE_OUTPUT_FAILED;
			return -1;
		}
	}
	return 0;
}

/* The exports of data/history/, fed row by row while the trends load. */
struct series_export {
	struct buf csv, json;
	struct history_writer csv_writer, json_writer;
};

struct series_export *site_exports_series_new(void)
{
	struct series_export *x = xcalloc(1, sizeof(*x));
	buf_init(&x->csv);
	buf_init(&x->json);
	history_writer_begin(&x->csv_writer, &x->csv, HISTORY_CSV);
	history_writer_begin(&x->json_writer, &x->json, HISTORY_JSON);
	return x;
}

void site_exports_series_row(void *export, day_t day,
			     const struct history_aggregate *a)
{
	struct series_export *x = export;
	history_writer_row(&x->csv_writer, day, a);
	history_writer_row(&x->json_writer, day, a);
}

void site_exports_series_free(struct series_export *x)
{
	if (!x)
		return;
	buf_release(&x->csv);
	buf_release(&x->json);
	free(x);
}

/*
 * data/history/series.csv and .json: the series the charts draw (the
 * organisation, scorecards, their levels, rules, teams, campaigns) over
 * the kept days, in the long format of `yardstick history`, slice kind by
 * slice kind and by date within each. The other slices stay in history.db.
 */
int site_exports_history(struct render *r)
{
	struct series_export *x = r->series;
	if (!x)
		return 0;
	history_writer_end(&x->csv_writer);
	history_writer_end(&x->json_writer);
	if (stage(r, "data/history/series.csv", &x->csv) < 0 ||
	    stage(r, "data/history/series.json", &x->json) < 0)
		return -1;
	return 0;
}
