#include "record.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "date.h"
#include "util.h"

/* Aggregates being collected; grown in the heap, copied to the arena. */
struct collect {
	struct history_aggregate *items;
	size_t count, alloc;
};

static struct history_aggregate *add(struct collect *c)
{
	ALLOC_GROW(c->items, c->count + 1, c->alloc);
	struct history_aggregate *g = &c->items[c->count++];
	*g = (struct history_aggregate){
		.scorecard = "", .rule = "", .team = "", .campaign = "",
		.dimension = "", .value = "", .score = NAN,
	};
	return g;
}

static void set_tally(struct history_aggregate *g, const struct tally *t)
{
	g->pass = t->pass;
	g->fail = t->fail;
	g->skip = t->skip;
	g->no_data = t->no_data;
	g->exempt = t->exempt;
	g->weighted_pass = t->weighted_pass;
	g->weighted_counted = t->weighted_counted;
}

/* A campaign slice: passing pairs and the open ones as failing. */
static void set_part(struct history_aggregate *g, const struct campaign_part *p)
{
	g->pass = p->pass;
	g->fail = p->total - p->pass;
	g->weighted_pass = (double)p->pass;
	g->weighted_counted = (double)p->total;
	g->score = rollup_part_progress(p);
}

static void add_scorecards(struct arena *a, const struct rollup *ru,
			   struct collect *c)
{
	const struct eval *ev = ru->ev;
	const struct site *site = ru->site;
	struct history_aggregate *g = add(c);
	set_tally(g, &ru->overall);
	g->score = ru->overall_score;
	g->entities = site->entity_count;
	for (size_t s = 0; s < site->scorecard_count; s++) {
		const struct scorecard *sc = site->scorecards[s];
		g = add(c);
		g->scorecard = sc->id;
		set_tally(g, &ev->scorecard_tallies[s]);
		g->score = eval_tally_score(&ev->scorecard_tallies[s]);
		g->entities = ru->scorecard_entities[s];
		for (size_t l = 0; l <= sc->level_count; l++) {
			g = add(c);
			g->scorecard = sc->id;
			g->dimension = "level";
			g->value = arena_printf(a, "%zu", l);
			g->entities = ru->level_counts[s][l];
		}
		for (size_t r = 0; r < sc->rule_count; r++) {
			const struct tally *t = &ev->rule_tallies[ev->rule_offset[s] + r];
			g = add(c);
			g->scorecard = sc->id;
			g->rule = sc->rules[r].ref;
			set_tally(g, t);
			g->score = eval_tally_score(t);
			g->entities = t->pass + t->fail + t->no_data + t->exempt;
		}
	}
}

static void add_teams(const struct rollup *ru, struct collect *c)
{
	const struct eval *ev = ru->ev;
	const struct site *site = ru->site;
	size_t scs = site->scorecard_count;
	for (size_t t = 0; t < site->team_count; t++) {
		const struct tally *rules = &ru->team_rule_tallies[t * ev->rule_total];
		struct tally all = { 0 };
		for (size_t ri = 0; ri < ev->rule_total; ri++)
			rollup_tally_sum(&all, &rules[ri]);
		struct history_aggregate *g = add(c);
		g->team = site->teams[t]->id;
		set_tally(g, &all);
		g->score = ru->team_overall[t].score;
		g->entities = ru->member_count[t];
		for (size_t s = 0; s < scs; s++) {
			const struct scorecard *sc = site->scorecards[s];
			struct tally one = { 0 };
			for (size_t r = 0; r < sc->rule_count; r++)
				rollup_tally_sum(&one, &rules[ev->rule_offset[s] + r]);
			g = add(c);
			g->team = site->teams[t]->id;
			g->scorecard = sc->id;
			set_tally(g, &one);
			g->score = ru->team_scores[t * scs + s].score;
			g->entities = ru->team_scores[t * scs + s].in_scope;
		}
	}
}

static void add_campaigns(const struct rollup *ru, struct collect *c)
{
	const struct site *site = ru->site;
	for (size_t k = 0; k < site->campaign_count; k++) {
		const struct campaign_result *cr = &ru->campaigns[k];
		const struct campaign *camp = cr->campaign;
		struct history_aggregate *g = add(c);
		g->campaign = camp->key;
		set_part(g, &cr->all);
		g->entities = cr->entity_count;
		for (size_t t = 0; t < site->team_count; t++) {
			if (!cr->by_team[t].total)
				continue;
			g = add(c);
			g->campaign = camp->key;
			g->team = site->teams[t]->id;
			set_part(g, &cr->by_team[t]);
		}
		for (size_t r = 0; r < camp->rule_count; r++) {
			g = add(c);
			g->campaign = camp->key;
			g->rule = camp->rules[r].rule->ref;
			set_part(g, &cr->by_rule[r]);
		}
	}
}

/* Names of the entity dimensions, and an entity's value in each. */
static const char *const dimensions[] = { "tier", "lifecycle", "kind", "application" };

static const char *dimension_value(struct arena *a, const struct entity *ent,
				   size_t dimension)
{
	static const char *const lifecycles[] = {
		[LIFECYCLE_UNKNOWN] = "other",
		[LIFECYCLE_PRODUCTION] = "production",
		[LIFECYCLE_EXPERIMENTAL] = "experimental",
		[LIFECYCLE_DEPRECATED] = "deprecated",
	};
	switch (dimension) {
	case 0:
		return ent->tier == TIER_UNKNOWN ? "none" : arena_printf(a, "%d", ent->tier);
	case 1:
		return ent->lifecycle_text ? lifecycles[ent->lifecycle] : "none";
	case 2:
		return ent->kind;
	default:
		return ent->system ? ent->system : "none";
	}
}

struct keyed {
	const char *value;
	size_t entity;
};

static int keyed_compare(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	int c = strcmp(a->value, b->value);
	return c ? c : (a->entity > b->entity) - (a->entity < b->entity);
}

/* Per dimension value: its entities and their states over every scorecard. */
static void add_dimensions(struct arena *a, const struct rollup *ru,
			   struct collect *c)
{
	const struct site *site = ru->site;
	size_t n = site->entity_count;
	struct keyed *keyed = xcalloc(n + 1, sizeof(*keyed));
	for (size_t d = 0; d < ARRAY_SIZE(dimensions); d++) {
		for (size_t e = 0; e < n; e++)
			keyed[e] = (struct keyed){ dimension_value(a, site->entities[e], d), e };
		qsort(keyed, n, sizeof(*keyed), keyed_compare);
		for (size_t i = 0; i < n;) {
			struct tally all = { 0 };
			size_t j = i;
			for (; j < n && strcmp(keyed[j].value, keyed[i].value) == 0; j++)
				rollup_tally_sum(&all, &ru->entity_totals[keyed[j].entity]);
			struct history_aggregate *g = add(c);
			g->dimension = dimensions[d];
			g->value = keyed[i].value;
			set_tally(g, &all);
			g->score = eval_tally_score(&all);
			g->entities = j - i;
			i = j;
		}
	}
	free(keyed);
}

/* Rules by reference, for the matrix: the store wants them sorted. */
struct rule_ref {
	const struct rule *rule;
	size_t index; /* eval rule index */
};

static int rule_ref_compare(const void *pa, const void *pb)
{
	const struct rule_ref *a = pa, *b = pb;
	return strcmp(a->rule->ref, b->rule->ref);
}

static const char *rule_definition(struct arena *a, const struct rule *r)
{
	return arena_printf(a, "level=%d weight=%g enabled=%d scope=%s check=%s%s",
			    r->level, r->weight, r->enabled, r->scope ? r->scope : "",
			    r->check ? r->check : "", r->external ? " outcome=external" : "");
}

static void add_matrix(struct arena *a, const struct rollup *ru,
		       struct history_snapshot *s)
{
	const struct eval *ev = ru->ev;
	const struct site *site = ru->site;
	size_t rules = ev->rule_total, n = site->entity_count;
	struct rule_ref *order = xcalloc(rules + 1, sizeof(*order));
	for (size_t sc = 0, k = 0; sc < site->scorecard_count; sc++)
		for (size_t r = 0; r < site->scorecards[sc]->rule_count; r++, k++)
			order[k] = (struct rule_ref){ &site->scorecards[sc]->rules[r],
						      ev->rule_offset[sc] + r };
	qsort(order, rules, sizeof(*order), rule_ref_compare);
	const char **refs = arena_alloc_array(a, rules + 1, sizeof(char *));
	const char **definitions = arena_alloc_array(a, rules + 1, sizeof(char *));
	for (size_t k = 0; k < rules; k++) {
		refs[k] = order[k].rule->ref;
		definitions[k] = rule_definition(a, order[k].rule);
	}
	const char **entities = arena_alloc_array(a, n + 1, sizeof(char *));
	unsigned char *states = arena_alloc(a, n * rules + 1);
	for (size_t e = 0; e < n; e++) {
		entities[e] = site->entities[e]->ref; /* already sorted by ref */
		for (size_t k = 0; k < rules; k++)
			states[e * rules + k] =
				(unsigned char)eval_result(ev, e, order[k].index)->state;
	}
	free(order);
	s->entities = entities;
	s->entity_count = n;
	s->rules = refs;
	s->rule_definitions = definitions;
	s->rule_count = rules;
	s->states = states;
}

void record_snapshot(struct arena *a, const struct rollup *ru,
		     struct history_snapshot *s)
{
	struct collect c = { NULL, 0, 0 };
	memset(s, 0, sizeof(*s));
	s->day = ru->ev->today;
	add_scorecards(a, ru, &c);
	add_teams(ru, &c);
	add_campaigns(ru, &c);
	add_dimensions(a, ru, &c);
	struct history_aggregate *items = arena_alloc_array(a, c.count + 1, sizeof(*items));
	if (c.count)
		memcpy(items, c.items, c.count * sizeof(*items));
	free(c.items);
	s->aggregates = items;
	s->aggregate_count = c.count;
	add_matrix(a, ru, s);
}

/* Create the folders above `path` that are missing (like mkdir -p). */
static int make_parents(const char *path, struct err *e)
{
	char *dir = xstrdup(path);
	int status = 0;
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
			err_path(e, ERR_ERROR, dir, "cannot create the history's folder: %s",
				 strerror(errno));
			status = -1;
			break;
		}
		*p = '/';
	}
	free(dir);
	return status;
}

int record_open(const char *path, const char *restore_url, bool trusted,
		struct history **h, struct err *warning, struct err *e)
{
	struct stat st;
	if (make_parents(path, e) < 0)
		return -1;
	if (restore_url && *restore_url && stat(path, &st) != 0 && errno == ENOENT) {
		struct err why = ERR_INIT;
		if (history_restore(restore_url, path, RECORD_RESTORE_MAX_BYTES,
				    RECORD_RESTORE_SECONDS, &why) < 0)
			err_path(warning, ERR_WARNING, path, "%s; starting a new history",
				 why.msg ? why.msg : "cannot restore the history");
		err_release(&why);
	}
	return history_open(h, path, trusted ? HISTORY_WRITE_TRUSTED : HISTORY_WRITE, e);
}

int record_run(struct arena *a, struct history *h, const char *path,
	       const struct rollup *ru, long keep_days, const char **said,
	       struct err *e)
{
	struct history_snapshot snapshot;
	record_snapshot(a, ru, &snapshot);
	if (history_record(h, &snapshot, keep_days, e) < 0)
		return -1;
	day_t *days;
	size_t count;
	if (history_days(h, &days, &count, e) < 0)
		return -1;
	free(days);
	char day[11];
	date_format(snapshot.day, day);
	*said = arena_printf(a, "recorded: %s in %s (%zu run%s)", day, path, count,
			     count == 1 ? "" : "s");
	return 0;
}
