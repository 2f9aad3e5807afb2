/*
 * site_exports: the files beside the pages: one README badge per entity
 * and scorecard, and the data exports of data/ (report.h writes them).
 * Declared in site_pages.h with the pages they are rendered with.
 */
#include "site_pages.h"

#include <math.h>

#include "badge.h"
#include "report.h"

/* One badge per entity and scorecard it is in scope of. */
int site_exports_badges(struct render *r)
{
	const struct site *site = r->site;
	size_t scs = site->scorecard_count;
	for (size_t e = 0; e < site->entity_count; e++)
		for (size_t s = 0; s < scs; s++) {
			const struct scorecard *sc = site->scorecards[s];
			const struct entity_score *es = &r->ev->entity_scores[e * scs + s];
			if (!es->in_scope)
				continue;
			arena_reset(&r->scratch);
			r->mem = &r->scratch;
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
			buf_reset(&r->text);
			badge_svg(&r->text, sc->name, message, color);
			const char *path = arena_printf(r->mem, "%s%s.svg",
							r->layout.entity_badges[e],
							r->layout.scorecard_slug[s]);
			if (stage(r, path, &r->text) < 0)
				return -1;
		}
	return 0;
}

int site_exports_data(struct render *r)
{
	static const struct report_filter all = { NULL, NULL, NULL };
	static const struct {
		const char *path;
		void (*write)(const struct rollup *, const struct report_filter *,
			      struct buf *);
	} reports[] = {
		{ "data/results.json", report_json },
		{ "data/results.csv", report_csv },
		{ "data/results.junit.xml", report_junit },
	};
	for (size_t i = 0; i < sizeof(reports) / sizeof(reports[0]); i++) {
		buf_reset(&r->text);
		reports[i].write(r->ru, &all, &r->text);
		if (stage(r, reports[i].path, &r->text) < 0)
			return -1;
	}
	buf_reset(&r->text);
	report_outcomes(r->ru, &r->text);
	return stage(r, "data/outcomes.json", &r->text);
}

