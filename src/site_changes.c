#include "site_changes.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "date.h"
#include "escape.h"
#include "trends.h"
#include "util.h"

/* The changes page lists at most this many of each kind; changes.json
 * has them all. */
enum { PAGE_MAX = 100 };

/* A score change smaller than this many percentage points is noise. */
#define SCORE_EPSILON 0.05

static bool is_new_failure(const struct history_cell_change *c)
{
	return c->new_state == STATE_FAIL && c->old_state != STATE_FAIL &&
	       c->old_state != HISTORY_ABSENT;
}

static bool is_fix(const struct history_cell_change *c)
{
	return c->old_state == STATE_FAIL && c->new_state == STATE_PASS;
}

/* The newest recorded day on or before `day`, or -1. */
static day_t recorded_by(const day_t *days, size_t count, day_t day)
{
	day_t found = -1;
	for (size_t i = 0; i < count && days[i] <= day; i++)
		found = days[i];
	return found;
}

static size_t day_position(const day_t *days, size_t count, day_t day)
{
	for (size_t i = 0; i < count; i++)
		if (days[i] == day)
			return i;
	BUG("a change period from a day that is not recorded");
}

/* Where `name` is in a sorted list of names, or SIZE_MAX. */
static size_t position_of(const char **names, size_t count, const char *name)
{
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(names[mid], name);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

int changes_prepare(struct render *r)
{
	if (!r->trends || !r->history)
		return 0;
	struct site_changes *sc = arena_alloc(&r->run, sizeof(*sc));
	memset(sc, 0, sizeof(*sc));
	size_t count;
	const day_t *days = trends_days(r->trends, &count);
	day_t today = r->ev->today;
	day_t from[2] = {
		count >= 2 ? days[count - 2] : -1,
		count >= 2 ? recorded_by(days, count, today - 7) : -1,
	};
	if (count >= 2 && from[1] < 0)
		from[1] = days[0]; /* a history shorter than a week: all of it */
	static const char *const names[] = { "last_run", "last_7_days" };
	for (size_t p = 0; p < 2; p++) {
		struct change_period *period = &sc->periods[p];
		period->name = names[p];
		period->known = from[p] >= 0;
		period->from = from[p];
		char day[11];
		if (!period->known) {
			period->label = p ? "Over the last 7 days" : "Since the last run";
			continue;
		}
		date_format(from[p], day);
		period->label = p ? arena_printf(&r->run, "Over the last 7 days (since %s)", day)
				  : arena_printf(&r->run, "Since the last run (%s)", day);
		if (history_changes(r->history, &r->run, from[p], today, &period->changes,
				    r->e) < 0) {
			r->failure = SITE_OUTPUT_FAILED;
			return -1;
		}
		for (size_t i = 0; i < period->changes.cell_count; i++) {
			period->new_failures += is_new_failure(&period->changes.cells[i]);
			period->fixes += is_fix(&period->changes.cells[i]);
		}
	}
	if (history_state_at(r->history, &r->run, today, &sc->today, r->e) < 0) {
		r->failure = SITE_OUTPUT_FAILED;
		return -1;
	}
	sc->entity_row = arena_alloc_array(&r->run, r->site->entity_count + 1,
					   sizeof(size_t));
	sc->rule_column = arena_alloc_array(&r->run, r->ev->rule_total + 1,
					    sizeof(size_t));
	for (size_t e = 0; e < r->site->entity_count; e++)
		sc->entity_row[e] = position_of(sc->today.entities, sc->today.entity_count,
						r->site->entities[e]->ref);
	for (size_t ri = 0; ri < r->ev->rule_total; ri++)
		sc->rule_column[ri] = position_of(sc->today.rules, sc->today.rule_count,
						  r->layout.rules[ri]->ref);

	/* Cells are sorted by entity reference, as the site's entities are. */
	size_t n = r->site->entity_count;
	sc->entity_first = arena_alloc_array(&r->run, n + 1, sizeof(size_t));
	sc->entity_end = arena_alloc_array(&r->run, n + 1, sizeof(size_t));
	const struct history_changes *last = &sc->periods[0].changes;
	size_t c = 0;
	for (size_t e = 0; e < n; e++) {
		const char *ref = r->site->entities[e]->ref;
		while (c < last->cell_count && strcmp(last->cells[c].entity, ref) < 0)
			c++;
		sc->entity_first[e] = c;
		while (c < last->cell_count && strcmp(last->cells[c].entity, ref) == 0)
			c++;
		sc->entity_end[e] = c;
	}
	r->changes = sc;
	return 0;
}

const char *changes_since(struct render *r, size_t e, size_t ri)
{
	const struct site_changes *sc = r->changes;
	if (!sc)
		return NULL;
	size_t row = sc->entity_row[e], column = sc->rule_column[ri];
	if (row == SIZE_MAX || column == SIZE_MAX)
		return NULL;
	day_t since = sc->today.since[row * sc->today.rule_count + column];
	day_t today = r->ev->today;
	if (since < 0)
		return NULL;
	if (since >= today)
		return since == sc->today.oldest ? NULL : "since today";
	char day[11];
	date_format(since, day);
	if (since <= sc->today.oldest)
		return arena_printf(r->mem, "since %s or earlier", day);
	long days = today - since;
	return arena_printf(r->mem, "since %s (%ld day%s)", day, days, days == 1 ? "" : "s");
}

/* ---- values ---------------------------------------------------------- */

static struct value *state_chip(struct render *r, int state)
{
	if (state == HISTORY_ABSENT) {
		struct value *v = ctx_map(r);
		put_text(r, v, "state", "absent");
		put_text(r, v, "label", "Not there");
		put_text(r, v, "symbol", "·");
		put_bool(r, v, "failing", false);
		put_text(r, v, "reason", "");
		return v;
	}
	struct rule_result res = { (enum rule_state)state, "" };
	return state_value(r, &res);
}

static struct value *rule_by_ref(struct render *r, const char *ref)
{
	bool ambiguous;
	const struct rule *rule = site_find_rule(r->site, ref, &ambiguous);
	if (rule && strcmp(rule->ref, ref) == 0)
		return rule_link(r, eval_rule_index(r->ev, rule));
	struct value *v = ctx_map(r);
	put_text(r, v, "ref", ref);
	put_text(r, v, "name", ref);
	put_text(r, v, "href", NULL);
	return v;
}

static struct value *cell_value(struct render *r,
				const struct history_cell_change *c, bool with_entity)
{
	struct value *v = ctx_map(r);
	put(r, v, "entity", with_entity ? entity_link_by_ref(r, c->entity) : NULL);
	put(r, v, "rule", rule_by_ref(r, c->rule));
	put(r, v, "from", state_chip(r, c->old_state));
	put(r, v, "to", state_chip(r, c->new_state));
	return v;
}

/* The two kinds of cell change the pages list, and their keys. */
static const struct {
	const char *key, *more_key, *any_key;
	bool (*keep)(const struct history_cell_change *);
} cell_lists[] = {
	{ "new_failures", "new_failures_more", "any_new_failures", is_new_failure },
	{ "fixes", "fixes_more", "any_fixes", is_fix },
};

static void put_cell(struct render *r, struct value *list, size_t *more,
		     const struct history_cell_change *c, size_t kind, bool with_entity)
{
	if (!cell_lists[kind].keep(c))
		return;
	if (list->count < PAGE_MAX)
		value_seq_push(r->mem, list, cell_value(r, c, with_entity));
	else
		(*more)++;
}

/*
 * Both lists of cell changes into `map`: new failures and fixes, at most
 * PAGE_MAX of each (the "_more" key counts the rest, "any_" says whether
 * there are any). `entities` (by index, `count` of them) are those of the
 * last-run period, through their ranges; NULL takes every cell of
 * `changes`.
 */
static void put_cells(struct render *r, struct value *map,
		      const struct history_changes *changes, const size_t *entities,
		      size_t count, bool with_entity)
{
	for (size_t kind = 0; kind < ARRAY_SIZE(cell_lists); kind++) {
		struct value *list = put_list(r, map, cell_lists[kind].key);
		size_t more = 0;
		if (!entities)
			for (size_t c = 0; c < changes->cell_count; c++)
				put_cell(r, list, &more, &changes->cells[c], kind, with_entity);
		for (size_t i = 0; entities && i < count; i++)
			for (size_t c = r->changes->entity_first[entities[i]];
			     c < r->changes->entity_end[entities[i]]; c++)
				put_cell(r, list, &more, &changes->cells[c], kind, with_entity);
		/* Null rather than 0, which a template would find true. */
		put(r, map, cell_lists[kind].more_key,
		    more ? value_new_number(r->mem, (double)more) : NULL);
		put_bool(r, map, cell_lists[kind].any_key, list->count > 0);
	}
}

struct value *changes_summary(struct render *r)
{
	if (!r->changes)
		return NULL;
	const struct change_period *p = &r->changes->periods[0];
	struct value *v = ctx_map(r);
	put_bool(r, v, "known", p->known);
	put_text(r, v, "label", p->label);
	put_count(r, v, "new_failures", p->new_failures);
	put_count(r, v, "fixes", p->fixes);
	put_count(r, v, "entities_added", p->changes.entities_added_count);
	put_count(r, v, "entities_removed", p->changes.entities_removed_count);
	put_text(r, v, "href", href(r, "changes.html"));
	return v;
}

struct value *changes_of_entity(struct render *r, size_t e)
{
	if (!r->changes)
		return NULL;
	const struct change_period *p = &r->changes->periods[0];
	struct value *v = ctx_map(r);
	put_bool(r, v, "known", p->known);
	put_text(r, v, "label", p->label);
	put_cells(r, v, &p->changes, &e, 1, false);
	return v;
}

struct value *changes_of_team(struct render *r, size_t t)
{
	if (!r->changes)
		return NULL;
	const struct change_period *p = &r->changes->periods[0];
	struct value *v = ctx_map(r);
	put_bool(r, v, "known", p->known);
	put_text(r, v, "label", p->label);
	put_cells(r, v, &p->changes, r->ru->members[t], r->ru->member_count[t], true);
	return v;
}

/* A scorecard's or a team's score then and now. */
struct score_change {
	bool team;
	size_t index;
	double from, to; /* percentages */
};

/* The scorecards, then the teams, whose score moved since recorded day
 * `from` (an index into the trends' days); `out` has room for all. */
static size_t score_changes(struct render *r, size_t from, struct score_change *out)
{
	size_t count, n = 0;
	trends_days(r->trends, &count);
	size_t last = count - 1;
	for (int team = 0; team < 2; team++) {
		size_t items = team ? r->site->team_count : r->site->scorecard_count;
		for (size_t i = 0; i < items; i++) {
			struct trend_slice slice = { 0 };
			if (team)
				slice.team = r->site->teams[i]->id;
			else
				slice.scorecard = r->site->scorecards[i]->id;
			const double *score = trends_series(r->trends, &slice, TREND_SCORE);
			if (!score || isnan(score[from]) || isnan(score[last]) ||
			    fabs(score[last] - score[from]) < SCORE_EPSILON)
				continue;
			out[n++] = (struct score_change){ team, i, score[from], score[last] };
		}
	}
	return n;
}

static struct score_change *score_changes_of(struct render *r, day_t from,
					     size_t *n)
{
	size_t count;
	const day_t *days = trends_days(r->trends, &count);
	struct score_change *out = arena_alloc_array(
		r->mem, r->site->team_count + r->site->scorecard_count + 1, sizeof(*out));
	*n = score_changes(r, day_position(days, count, from), out);
	return out;
}

static void put_score_changes(struct render *r, struct value *map, day_t from)
{
	size_t n;
	const struct score_change *changes = score_changes_of(r, from, &n);
	struct value *scorecards = put_list(r, map, "scorecards");
	struct value *teams = put_list(r, map, "teams");
	for (size_t i = 0; i < n; i++) {
		const struct score_change *c = &changes[i];
		struct value *v = c->team ? team_link_index(r, c->index)
					  : scorecard_link(r, c->index);
		value_seq_push(r->mem, c->team ? teams : scorecards, v);
		double delta = round((c->to - c->from) * 10) / 10;
		put_text(r, v, "from", arena_printf(r->mem, "%.1f%%", c->from));
		put_text(r, v, "to", arena_printf(r->mem, "%.1f%%", c->to));
		put_text(r, v, "delta", arena_printf(r->mem, "%+.1f", delta));
		put_bool(r, v, "up", delta > 0);
	}
	put_bool(r, map, "any_scorecards", scorecards->count > 0);
	put_bool(r, map, "any_teams", teams->count > 0);
	put_bool(r, map, "any_scores", n > 0);
}

/* A level of a scorecard whose number of entities moved. */
struct level_change {
	size_t scorecard, level;
	double from, to; /* entities */
};

/* The level counts that moved since recorded day `from`, scorecard by
 * scorecard and level by level; in r->mem. */
static struct level_change *level_changes_of(struct render *r, day_t from, size_t *n)
{
	size_t count, room = 1;
	const day_t *days = trends_days(r->trends, &count);
	size_t at = day_position(days, count, from), last = count - 1;
	for (size_t s = 0; s < r->site->scorecard_count; s++)
		room += r->site->scorecards[s]->level_count + 1;
	struct level_change *out = arena_alloc_array(r->mem, room, sizeof(*out));
	*n = 0;
	for (size_t s = 0; s < r->site->scorecard_count; s++) {
		for (size_t l = 0; l <= r->site->scorecards[s]->level_count; l++) {
			struct trend_slice slice = {
				.scorecard = r->site->scorecards[s]->id, .dimension = "level",
				.value = arena_printf(r->mem, "%zu", l),
			};
			const double *entities = trends_series(r->trends, &slice, TREND_ENTITIES);
			if (entities && !isnan(entities[at]) && !isnan(entities[last]) &&
			    entities[at] != entities[last])
				out[(*n)++] = (struct level_change){ s, l, entities[at],
								     entities[last] };
		}
	}
	return out;
}

/* Scorecards whose entities moved between levels: each with the levels
 * whose count changed. */
static void put_level_changes(struct render *r, struct value *map, day_t from)
{
	size_t n;
	const struct level_change *changes = level_changes_of(r, from, &n);
	struct value *list = put_list(r, map, "levels"), *levels = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct level_change *c = &changes[i];
		if (!i || changes[i - 1].scorecard != c->scorecard) {
			struct value *row = scorecard_link(r, c->scorecard);
			value_seq_push(r->mem, list, row);
			levels = put_list(r, row, "levels");
		}
		struct value *v = push_map(r, levels);
		put_text(r, v, "name", level_name(r->site->scorecards[c->scorecard],
						  (int)c->level));
		put_count(r, v, "number", c->level);
		put_count(r, v, "from", (size_t)c->from);
		put_count(r, v, "to", (size_t)c->to);
		put_text(r, v, "delta", arena_printf(r->mem, "%+.0f", c->to - c->from));
	}
	put_bool(r, map, "any_levels", n > 0);
}

static void put_refs(struct render *r, struct value *map, const char *key,
		     const char **refs, size_t count, bool entities)
{
	struct value *list = put_list(r, map, key);
	for (size_t i = 0; i < count && i < PAGE_MAX; i++)
		value_seq_push(r->mem, list, entities ? entity_link_by_ref(r, refs[i])
						      : rule_by_ref(r, refs[i]));
}

static bool any_cell(const struct history_cell_change *c)
{
	(void)c;
	return true;
}

int page_changes(struct render *r)
{
	struct value *ctx = page_begin(r, "changes.html", "changes", "changes",
				       "What changed");
	put_bool(r, ctx, "history", r->changes != NULL);
	struct value *periods = put_list(r, ctx, "periods");
	for (size_t p = 0; r->changes && p < 2; p++) {
		const struct change_period *period = &r->changes->periods[p];
		const struct history_changes *c = &period->changes;
		struct value *v = push_map(r, periods);
		put_text(r, v, "name", period->name);
		put_text(r, v, "label", period->label);
		put_bool(r, v, "known", period->known);
		if (!period->known)
			continue;
		put_count(r, v, "new_failure_count", period->new_failures);
		put_count(r, v, "fix_count", period->fixes);
		put_count(r, v, "change_count", c->cell_count);
		put_cells(r, v, c, NULL, 0, true);
		put_refs(r, v, "entities_added", c->entities_added,
			 c->entities_added_count, true);
		put_refs(r, v, "entities_removed", c->entities_removed,
			 c->entities_removed_count, true);
		put_refs(r, v, "rules_added", c->rules_added, c->rules_added_count, false);
		put_refs(r, v, "rules_removed", c->rules_removed, c->rules_removed_count,
			 false);
		put_refs(r, v, "rules_changed", c->rules_changed, c->rules_changed_count,
			 false);
		put_bool(r, v, "any_catalog",
			 c->entities_added_count || c->entities_removed_count ||
			 c->rules_added_count || c->rules_removed_count ||
			 c->rules_changed_count);
		put_score_changes(r, v, period->from);
		put_level_changes(r, v, period->from);
	}
	return page_end(r, "changes", "changes.html", ctx);
}

/* ---- data/changes.json ---------------------------------------------- */

static void json_refs(struct buf *out, const char *key, const char **refs,
		      size_t count)
{
	buf_addf(out, ",\n      \"%s\": [", key);
	for (size_t i = 0; i < count; i++) {
		if (i)
			buf_adds(out, ", ");
		escape_json_string(out, refs[i]);
	}
	buf_addch(out, ']');
}

static void json_state(struct buf *out, int state)
{
	if (state == HISTORY_ABSENT)
		buf_adds(out, "null");
	else
		buf_addf(out, "\"%s\"", eval_state_name((enum rule_state)state));
}

static void json_cells(struct buf *out, const char *key,
		       const struct history_changes *c,
		       bool (*keep)(const struct history_cell_change *))
{
	buf_addf(out, ",\n      \"%s\": [", key);
	const char *sep = "\n        ";
	for (size_t i = 0; i < c->cell_count; i++) {
		const struct history_cell_change *cell = &c->cells[i];
		if (!keep(cell))
			continue;
		buf_adds(out, sep);
		sep = ",\n        ";
		buf_adds(out, "{\"entity\": ");
		escape_json_string(out, cell->entity);
		buf_adds(out, ", \"rule\": ");
		escape_json_string(out, cell->rule);
		buf_adds(out, ", \"from\": ");
		json_state(out, cell->old_state);
		buf_adds(out, ", \"to\": ");
		json_state(out, cell->new_state);
		buf_addch(out, '}');
	}
	buf_adds(out, "]");
}

int changes_export(struct render *r)
{
	struct buf *out = &r->text;
	char day[11];
	buf_reset(out);
	date_format(r->ev->today, day);
	buf_addf(out, "{\n  \"date\": \"%s\",\n  \"periods\": [", day);
	for (size_t p = 0; r->changes && p < 2; p++) {
		const struct change_period *period = &r->changes->periods[p];
		const struct history_changes *c = &period->changes;
		buf_addf(out, "%s\n    {\"name\": \"%s\", \"from\": ", p ? "," : "",
			 period->name);
		if (!period->known) {
			buf_adds(out, "null}");
			continue;
		}
		date_format(period->from, day);
		buf_addf(out, "\"%s\"", day);
		json_cells(out, "new_failures", c, is_new_failure);
		json_cells(out, "fixes", c, is_fix);
		json_cells(out, "changes", c, any_cell);
		json_refs(out, "entities_added", c->entities_added, c->entities_added_count);
		json_refs(out, "entities_removed", c->entities_removed,
			  c->entities_removed_count);
		json_refs(out, "rules_added", c->rules_added, c->rules_added_count);
		json_refs(out, "rules_removed", c->rules_removed, c->rules_removed_count);
		json_refs(out, "rules_changed", c->rules_changed, c->rules_changed_count);
		size_t n;
		const struct score_change *scores = score_changes_of(r, period->from, &n);
		buf_adds(out, ",\n      \"scores\": [");
		for (size_t i = 0; i < n; i++) {
			const struct score_change *sc = &scores[i];
			buf_addf(out, "%s{\"%s\": ", i ? ", " : "", sc->team ? "team" : "scorecard");
			escape_json_string(out, sc->team ? r->site->teams[sc->index]->id
							 : r->site->scorecards[sc->index]->id);
			buf_adds(out, ", \"from\": ");
			buf_add_number(out, round(sc->from * 100) / 10000);
			buf_adds(out, ", \"to\": ");
			buf_add_number(out, round(sc->to * 100) / 10000);
			buf_addch(out, '}');
		}
		buf_adds(out, "],\n      \"levels\": [");
		const struct level_change *levels = level_changes_of(r, period->from, &n);
		for (size_t i = 0; i < n; i++) {
			buf_addf(out, "%s{\"scorecard\": ", i ? ", " : "");
			escape_json_string(out, r->site->scorecards[levels[i].scorecard]->id);
			buf_addf(out, ", \"level\": %zu, \"from\": %.0f, \"to\": %.0f}",
				 levels[i].level, levels[i].from, levels[i].to);
		}
		buf_adds(out, "]}");
	}
	buf_adds(out, "\n  ]\n}\n");
	return stage(r, "data/changes.json", out);
}
