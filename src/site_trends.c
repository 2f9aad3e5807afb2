#include "site_trends.h"

#include "chart.h"
#include "trends.h"
#include "util.h"

/* At most this many scorecards get a line of their own on the dashboard
 * beside the organisation's; more would be a tangle (the scorecard pages
 * have each). */
enum { DASHBOARD_SERIES = 5 };

/* A chart of `count` series (labels and slices) of one measure. */
static struct value *line(struct render *r, const char *title,
			  const char *const *labels,
			  const struct trend_slice *slices, size_t count,
			  bool sparkline)
{
	if (!r->trends)
		return NULL;
	size_t days;
	const day_t *dates = trends_days(r->trends, &days);
	struct chart_series series[DASHBOARD_SERIES + 1];
	size_t n = 0;
	for (size_t i = 0; i < count && n < ARRAY_SIZE(series); i++) {
		const double *values = trends_series(r->trends, &slices[i], TREND_SCORE);
		if (values)
			series[n++] = (struct chart_series){ labels[i], values };
	}
	if (!n)
		return NULL;
	struct chart_input in = {
		.dates = dates, .date_count = days, .series = series,
		.series_count = n, .unit = CHART_PERCENT, .title = title,
	};
	return sparkline ? chart_sparkline(r->mem, &in) : chart_line(r->mem, &in);
}

struct value *trend_scores(struct render *r)
{
	const struct site *site = r->site;
	const char *labels[DASHBOARD_SERIES + 1] = { "Overall" };
	struct trend_slice slices[DASHBOARD_SERIES + 1] = { { 0 } };
	size_t n = 1;
	for (size_t s = 0; s < site->scorecard_count && n < ARRAY_SIZE(slices); s++) {
		labels[n] = site->scorecards[s]->name;
		slices[n++] = (struct trend_slice){ .scorecard = site->scorecards[s]->id };
	}
	return line(r, "Scores over time", labels, slices, n, false);
}

struct value *trend_scorecard(struct render *r, size_t s)
{
	const struct scorecard *sc = r->site->scorecards[s];
	const char *label = sc->name;
	struct trend_slice slice = { .scorecard = sc->id };
	return line(r, "Score over time", &label, &slice, 1, false);
}

struct value *trend_levels(struct render *r, size_t s)
{
	if (!r->trends)
		return NULL;
	const struct scorecard *sc = r->site->scorecards[s];
	size_t days;
	const day_t *dates = trends_days(r->trends, &days);
	size_t levels = sc->level_count + 1;
	struct chart_series *series = arena_alloc_array(r->mem, levels, sizeof(*series));
	for (size_t l = 0; l < levels; l++) {
		struct trend_slice slice = {
			.scorecard = sc->id, .dimension = "level",
			.value = arena_printf(r->mem, "%zu", l),
		};
		const double *values = trends_series(r->trends, &slice, TREND_ENTITIES);
		if (!values)
			return NULL;
		series[l] = (struct chart_series){ level_name(sc, (int)l), values };
	}
	struct chart_input in = {
		.dates = dates, .date_count = days, .series = series,
		.series_count = levels, .unit = CHART_PERCENT,
		.title = "Share of entities at each level over time",
	};
	return chart_level_share(r->mem, &in);
}

struct value *trend_rule(struct render *r, size_t ri)
{
	const struct rule *rule = r->layout.rules[ri];
	const char *label = "Pass rate";
	struct trend_slice slice = { .scorecard = rule->scorecard->id, .rule = rule->ref };
	return line(r, "Pass rate over time", &label, &slice, 1, false);
}

struct value *trend_team(struct render *r, size_t t)
{
	const char *labels[] = { r->site->teams[t]->name, "Organisation" };
	struct trend_slice slices[] = { { .team = r->site->teams[t]->id }, { 0 } };
	return line(r, "Score over time, against the organisation's", labels,
		    slices, 2, false);
}

struct value *trend_burnup(struct render *r, size_t c)
{
	if (!r->trends)
		return NULL;
	const struct campaign *camp = r->site->campaigns[c];
	struct trend_slice slice = { .campaign = camp->key };
	const double *passing = trends_series(r->trends, &slice, TREND_PASS);
	const double *in_scope = trends_series(r->trends, &slice, TREND_COUNTED);
	if (!passing || !in_scope)
		return NULL;
	size_t days;
	const day_t *dates = trends_days(r->trends, &days);
	struct chart_series series[] = { { "Passing", passing }, { "In scope", in_scope } };
	struct chart_input in = {
		.dates = dates, .date_count = days, .series = series, .series_count = 2,
		.unit = CHART_COUNT, .title = "Campaign burn-up",
	};
	struct chart_campaign dates_of = { camp->start, camp->due, camp->has_due };
	return chart_burnup(r->mem, &in, &dates_of);
}

static struct value *build_team_sparkline(struct render *r, size_t t)
{
	const char *label = r->site->teams[t]->name;
	struct trend_slice slice = { .team = r->site->teams[t]->id };
	return line(r, "Score over time", &label, &slice, 1, true);
}

struct value *trend_team_row(struct render *r, size_t t)
{
	struct value *v = team_row(r, t);
	put(r, v, "sparkline", r->trends ? ctx_shared(r, &r->team_sparklines[t],
						      build_team_sparkline, t) : NULL);
	return v;
}

static struct value *build_scorecard_sparkline(struct render *r, size_t s)
{
	const char *label = r->site->scorecards[s]->name;
	struct trend_slice slice = { .scorecard = r->site->scorecards[s]->id };
	return line(r, "Score over time", &label, &slice, 1, true);
}

struct value *trend_scorecard_row(struct render *r, size_t s)
{
	struct value *v = scorecard_row(r, s);
	put(r, v, "sparkline", r->trends ? ctx_shared(r, &r->scorecard_sparklines[s],
						      build_scorecard_sparkline, s) : NULL);
	return v;
}
