/*
 * trends: the recorded series the site's charts draw, read from the
 * history once per build.
 *
 * A build records its run before it renders (record.h), so the series end
 * with today. Loading asks the store for the slices the pages chart (the
 * organisation, scorecards and their levels, rules, teams, campaigns) over
 * the last `keep_days`, and keeps them by slice, one value per recorded
 * day: a day the slice has no row for is NaN, which the charts draw as a
 * gap (chart.h). Nothing here renders; site_trends.c turns series into
 * chart values.
 */
#ifndef YARDSTICK_TRENDS_H
#define YARDSTICK_TRENDS_H

#include <stddef.h>

#include "err.h"
#include "history.h"

/* What a series measures, per recorded day. */
enum trend_measure {
	TREND_SCORE,    /* the score as a percentage, 0..100 */
	TREND_PASS,     /* passing pairs */
	TREND_COUNTED,  /* pass + fail: a campaign's pairs in scope */
	TREND_ENTITIES, /* entities in the slice */
	TREND_MEASURES
};

/* One slice as the history names it; NULL fields are "". */
struct trend_slice {
	const char *scorecard, *rule, *team, *campaign, *dimension, *value;
};

struct trends;


/*
 * Load the series of `h` recorded in the `keep_days` up to `today`. When
 * `also` is not NULL, every row read is passed to it too, each slice once
 * (the exports of data/history/ are written in the same pass). Returns 0
 * with *t set (free with trends_free), or -1 with `e` filled.
 */
int trends_load(struct trends **t, struct history *h, day_t today,
		long keep_days, history_row_fn *also, void *also_ctx,
		struct err *e);
void trends_free(struct trends *t);

/* The recorded days, ascending; every series has one value per day. */
const day_t *trends_days(const struct trends *t, size_t *count);

/* A slice's values of one measure (NaN for a day without a row), or NULL
 * when the slice was never recorded in the window. */
const double *trends_series(const struct trends *t,
			    const struct trend_slice *slice,
			    enum trend_measure measure);

#endif
