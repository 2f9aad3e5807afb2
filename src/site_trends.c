#include "site_trends.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- entities -------------------------------------------------------- */

/* An entity's sparkline covers the last this many days (its first point is
 * the state on the first recorded day in them), drawn with at most this
 * many points: 96 pixels show no more, and 10,000 entity pages stay cheap. */
enum { ENTITY_TREND_DAYS = 90, ENTITY_TREND_POINTS = 48 };

/* One point of an entity's score line: from `day` on, `value`. */
struct point {
	day_t day;
	double value; /* percentage, NaN when nothing counts */
};

struct entity_line {
	struct point *points;
	size_t count, alloc;
};

/* Replaying the history's cell changes over today's rules. */
struct replay {
	struct render *r;
	signed char *state;       /* [entity * rule_total + rule], -1 absent */
	struct entity_line *lines; /* [entity * scorecard_count + scorecard] */
	/* The changes of the entity being read, before they are replayed. */
	size_t entity;            /* SITE_NONE: not one of today's */
	const char *entity_ref;   /* as the history names it */
	const char *rule_ref;     /* the last rule looked up, and its index */
	size_t rule;
	struct replay_event { day_t day; size_t rule; int state; } *events;
	size_t event_count, event_alloc;
};

/* The entity's score on scorecard `s` with the states in `state`, as a
 * percentage: today's weights and no_data setting. */
static double replay_score(const struct replay *p, size_t e, size_t s)
{
	const struct eval *ev = p->r->ev;
	const struct scorecard *sc = p->r->site->scorecards[s];
	struct tally t = { 0 };
	for (size_t i = 0; i < sc->rule_count; i++) {
		int st = p->state[e * ev->rule_total + ev->rule_offset[s] + i];
		if (st >= 0)
			eval_tally_add(ev, &t, (enum rule_state)st, sc->rules[i].weight);
	}
	double score = eval_tally_score(&t);
	return isnan(score) ? NAN : score * 100;
}

static void line_add(struct entity_line *l, day_t day, double value)
{
	if (l->count) {
		double last = l->points[l->count - 1].value;
		if (last == value || (isnan(last) && isnan(value)))
			return;
	}
	ALLOC_GROW(l->points, l->count + 1, l->alloc);
	l->points[l->count++] = (struct point){ day, value };
}

static int event_compare(const void *pa, const void *pb)
{
	const struct replay_event *a = pa, *b = pb;
	return (a->day > b->day) - (a->day < b->day);
}

/* Replay the buffered changes of one entity in date order. */
static void replay_entity(struct replay *p)
{
	size_t e = p->entity, scs = p->r->site->scorecard_count;
	if (e != SITE_NONE && p->event_count) {
		qsort(p->events, p->event_count, sizeof(*p->events), event_compare);
		for (size_t i = 0; i < p->event_count;) {
			day_t day = p->events[i].day;
			for (; i < p->event_count && p->events[i].day == day; i++)
				p->state[e * p->r->ev->rule_total + p->events[i].rule] =
					(signed char)p->events[i].state;
			for (size_t s = 0; s < scs; s++)
				line_add(&p->lines[e * scs + s], day, replay_score(p, e, s));
		}
	}
	p->event_count = 0;
}

static void take_change(void *ctx, const char *entity, const char *rule,
			day_t day, int state)
{
	struct replay *p = ctx;
	if (!p->entity_ref || strcmp(p->entity_ref, entity) != 0) {
		replay_entity(p);
		p->entity = site_entity_index(p->r->site, entity);
		p->entity_ref = arena_strdup(&p->r->run, entity);
	}
	if (p->entity == SITE_NONE)
		return; /* an entity that is gone today */
	/* Rows come rule by rule, and a ref's string is the same each time. */
	if (rule != p->rule_ref) {
		bool ambiguous;
		const struct rule *found = site_find_rule(p->r->site, rule, &ambiguous);
		p->rule_ref = rule;
		p->rule = found && strcmp(found->ref, rule) == 0
			? eval_rule_index(p->r->ev, found) : SIZE_MAX;
	}
	if (p->rule == SIZE_MAX)
		return; /* a rule that is gone today */
	ALLOC_GROW(p->events, p->event_count + 1, p->event_alloc);
	p->events[p->event_count++] = (struct replay_event){ day, p->rule, state };
}

int trend_entities_prepare(struct render *r)
{
	if (!r->trends)
		return 0;
	size_t count;
	const day_t *days = trends_days(r->trends, &count);
	/* The window: the recorded days of the last ENTITY_TREND_DAYS. */
	size_t skip = 0;
	while (skip < count && days[skip] <= days[count - 1] - ENTITY_TREND_DAYS)
		skip++;
	days += skip;
	count -= skip;
	if (count < 2)
		return 0;
	const struct site *site = r->site;
	size_t n = site->entity_count, rules = r->ev->rule_total;
	size_t scs = site->scorecard_count;
	struct arena scratch = ARENA_INIT;
	struct history_state first;
	struct replay p = { .r = r, .entity = SITE_NONE };
	int status = -1;
	if (history_state_at(r->history, &scratch, days[0], &first, r->e) < 0)
		goto done;
	p.state = xmalloc(n * rules + 1);
	memset(p.state, -1, n * rules + 1);
	p.lines = xcalloc(n * scs + 1, sizeof(*p.lines));
	/* The state on the first kept day, then its scores. */
	size_t *column = xcalloc(first.rule_count + 1, sizeof(size_t));
	for (size_t c = 0; c < first.rule_count; c++) {
		bool ambiguous;
		const struct rule *rule = site_find_rule(site, first.rules[c], &ambiguous);
		column[c] = rule && strcmp(rule->ref, first.rules[c]) == 0
			? eval_rule_index(r->ev, rule) : SIZE_MAX;
	}
	for (size_t i = 0; i < first.entity_count; i++) {
		size_t e = site_entity_index(site, first.entities[i]);
		if (e == SITE_NONE)
			continue;
		for (size_t c = 0; c < first.rule_count; c++)
			if (column[c] != SIZE_MAX)
				p.state[e * rules + column[c]] =
					first.states[i * first.rule_count + c];
	}
	free(column);
	for (size_t e = 0; e < n; e++)
		for (size_t s = 0; s < scs; s++)
			line_add(&p.lines[e * scs + s], days[0], replay_score(&p, e, s));
	if (history_cell_changes(r->history, days[0], days[count - 1], take_change,
				 &p, r->e) < 0)
		goto done;
	replay_entity(&p);
	/* Keep the lines in the run's arena, for the entity pages. */
	r->entity_lines = arena_alloc_array(&r->run, n * scs + 1, sizeof(*r->entity_lines));
	for (size_t k = 0; k < n * scs; k++) {
		struct entity_line *l = &r->entity_lines[k];
		l->count = p.lines[k].count;
		l->points = arena_alloc_array(&r->run, l->count + 1, sizeof(struct point));
		if (l->count)
			memcpy(l->points, p.lines[k].points, l->count * sizeof(struct point));
	}
	status = 0;
done:
	if (status < 0)
		r->failure = SITE_OUTPUT_FAILED;
	for (size_t k = 0; p.lines && k < n * scs; k++)
		free(p.lines[k].points);
	free(p.lines);
	free(p.state);
	free(p.events);
	arena_release(&scratch);
	return status;
}

struct value *trend_entity(struct render *r, size_t e, size_t s)
{
	if (!r->trends)
		return NULL;
	size_t count;
	const day_t *days = trends_days(r->trends, &count);
	const struct scorecard *sc = r->site->scorecards[s];
	struct chart_input in = {
		.unit = CHART_PERCENT, .title = "Score over time",
		.gap_days = (unsigned)r->conf->keep_days,
	};
	if (!r->entity_lines) { /* under two recorded days: the empty chart */
		struct chart_series one = { sc->name, (const double[]){ NAN } };
		in.dates = days;
		in.date_count = count ? 1 : 0;
		in.series = &one;
		in.series_count = 1;
		return chart_sparkline(r->mem, &in);
	}
	/* The line steps at each change: the value before it is drawn up to
	 * the day before, and the last value runs to the last recorded day.
	 * The window is cut into ENTITY_TREND_POINTS equal spans; a span with
	 * several changes shows its last value. */
	const struct entity_line *l = &r->entity_lines[e * r->site->scorecard_count + s];
	day_t first = l->count ? l->points[0].day : days[count - 1];
	day_t last = days[count - 1];
	double span = (double)(last - first + 1) / ENTITY_TREND_POINTS;
	day_t *dates = arena_alloc_array(r->mem, 2 * ENTITY_TREND_POINTS + 2, sizeof(day_t));
	double *values = arena_alloc_array(r->mem, 2 * ENTITY_TREND_POINTS + 2, sizeof(double));
	size_t n = 0;
	for (size_t i = 0; i < l->count; i++) {
		day_t day = l->points[i].day;
		/* Later changes in the same span replace this one. */
		size_t bucket = (size_t)((double)(day - first) / span);
		if (i + 1 < l->count &&
		    (size_t)((double)(l->points[i + 1].day - first) / span) == bucket)
			continue;
		if (n && day - 1 > dates[n - 1]) {
			dates[n] = day - 1;
			values[n] = values[n - 1];
			n++;
		}
		dates[n] = day;
		values[n++] = l->points[i].value;
	}
	if (n && last > dates[n - 1]) {
		dates[n] = last;
		values[n] = values[n - 1];
		n++;
	}
	struct chart_series series = { sc->name, values };
	in.dates = dates;
	in.date_count = n;
	in.series = &series;
	in.series_count = 1;
	return chart_sparkline(r->mem, &in);
}
