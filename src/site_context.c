#include "site_context.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "followup.h"
#include "escape.h"
#include "markdown.h"
#include "util.h"

/* Sorts open-ended campaigns after every due date. */
#define DAY_NEVER LONG_MAX

/* How a state reads on a page: never by colour alone. */
static const struct {
	const char *label, *symbol;
} state_texts[] = {
	[STATE_PASS] = { "Pass", "✓" },
	[STATE_FAIL] = { "Fail", "✗" },
	[STATE_SKIP] = { "Skipped", "○" },
	[STATE_NO_DATA] = { "No data", "?" },
	[STATE_EXEMPT] = { "Exempt", "–" },
};

static const char *const campaign_status_labels[] = {
	[CAMPAIGN_NOT_STARTED] = "Not started",
	[CAMPAIGN_IN_PROGRESS] = "In progress",
	[CAMPAIGN_COMPLETED] = "Completed",
	[CAMPAIGN_OVERDUE] = "Overdue",
	[CAMPAIGN_ENDED] = "Ended",
};

/* The sections of the navigation, in order; Markdown pages come after
 * them and Problems last. */
static const struct {
	const char *section, *label, *path;
} nav_sections[] = {
	{ "index", "Dashboard", "index.html" },
	{ "scorecards", "Scorecards", "scorecards/index.html" },
	{ "teams", "Teams", "teams/index.html" },
	{ "entities", "Entities", "entities/index.html" },
	{ "campaigns", "Campaigns", "campaigns/index.html" },
	{ "changes", "Changes", "changes.html" },
};


/* ---- context building ------------------------------------------------ */

struct value *ctx_map(struct render *r)
{
	return value_new(r->mem, VALUE_MAP);
}

static struct value *ctx_list(struct render *r)
{
	return value_new(r->mem, VALUE_SEQ);
}

/* The key for a literal, made once per run: keys are always literals, so
 * their addresses identify them. */
static struct value *key_of(struct render *r, const char *key)
{
	size_t i = ((uintptr_t)key >> 3) & (SITE_KEY_SLOTS - 1);
	while (r->keys[i].literal && r->keys[i].literal != key)
		i = (i + 1) & (SITE_KEY_SLOTS - 1);
	if (!r->keys[i].literal) {
		if (++r->key_count > SITE_KEY_SLOTS / 2)
			BUG("more distinct context keys than SITE_KEY_SLOTS allows");
		struct value *k = value_new(&r->run, VALUE_STRING);
		k->str = key;
		k->len = strlen(key);
		r->keys[i].literal = key;
		r->keys[i].key = k;
	}
	return r->keys[i].key;
}

/* Text that outlives the page (the model's, the run's, a literal, or the
 * page's own arena): referenced, not copied. */
static struct value *ctx_text(struct render *r, const char *s)
{
	struct value *v = value_new(r->mem, VALUE_STRING);
	v->str = s;
	v->len = strlen(s);
	return v;
}

/* Text in a buffer about to change: copied into the page's arena. */
struct value *ctx_copy(struct render *r, const char *s, size_t len)
{
	return value_new_string(r->mem, s, len);
}

/*
 * Put `v` under `key`. NULL puts an explicit null: a key left out would make
 * Mustache find the same name further up the context (a team link without
 * an href would take its page's href), so what is absent must be null.
 */
void put(struct render *r, struct value *map, const char *key,
		struct value *v)
{
	static struct value null_value = { .type = VALUE_NULL };
	struct value *k = key_of(r, key);
	/* Keys are interned, so comparing addresses finds a duplicate. */
	for (size_t i = 0; i < map->count; i++)
		if (map->pairs[i].key == k)
			BUG("a context key put twice: the first value would hide the second");
	value_map_put(r->mem, map, k, v ? v : &null_value);
}

void put_text(struct render *r, struct value *map, const char *key,
		     const char *s)
{
	put(r, map, key, s ? ctx_text(r, s) : NULL);
}

void put_number(struct render *r, struct value *map, const char *key,
		       double d)
{
	put(r, map, key, value_new_number(r->mem, d));
}

void put_count(struct render *r, struct value *map, const char *key,
		      size_t n)
{
	put_number(r, map, key, (double)n);
}

void put_bool(struct render *r, struct value *map, const char *key,
		     bool b)
{
	put(r, map, key, value_new_bool(r->mem, b));
}

struct value *put_map(struct render *r, struct value *map,
			     const char *key)
{
	struct value *v = ctx_map(r);
	put(r, map, key, v);
	return v;
}

struct value *put_list(struct render *r, struct value *map,
			      const char *key)
{
	struct value *v = ctx_list(r);
	put(r, map, key, v);
	return v;
}

struct value *push_map(struct render *r, struct value *list)
{
	struct value *v = ctx_map(r);
	value_seq_push(r->mem, list, v);
	return v;
}

void push_text(struct render *r, struct value *list, const char *s)
{
	value_seq_push(r->mem, list, ctx_text(r, s));
}

/* A root-relative path as seen from the current page. */
const char *href(struct render *r, const char *path)
{
	return site_layout_href(r->mem, r->base, path);
}

/* The absolute URL of a root-relative path when base_url is set, else the
 * path itself (for snippets meant to leave the site). */
const char *absolute_url(struct render *r, const char *path)
{
	return site_layout_url(r->mem, r->conf->base_url, path);
}

struct value *markdown_value(struct render *r, const char *markdown)
{
	if (!markdown)
		return NULL;
	struct buf html = BUF_INIT;
	markdown_render(&html, markdown, strlen(markdown), 1);
	struct value *v = ctx_copy(r, html.data, html.len);
	buf_release(&html);
	return v;
}

/* A URL from content, only when it is one we may link to. */
void put_url(struct render *r, struct value *map, const char *key,
		    const char *url)
{
	put_text(r, map, key, url && *url && escape_url_allowed(url) ? url : NULL);
}


void put_tally(struct render *r, struct value *map, const struct tally *t)
{
	put_count(r, map, "pass", t->pass);
	put_count(r, map, "fail", t->fail);
	put_count(r, map, "no_data", t->no_data);
	put_count(r, map, "exempt", t->exempt);
	put_count(r, map, "skip", t->skip);
}

/*
 * "41.5%": `percent` (tenths / 10) as printf's "%.1f%%" writes it. A
 * score's tenths are whole, so the digits come straight from them; printf
 * remains for anything outside that (a negative or huge figure).
 */
static struct value *percent_text(struct render *r, double tenths,
				  double percent)
{
	if (!(tenths >= 0 && tenths < 1e15) || signbit(tenths))
		return ctx_text(r, arena_printf(r->mem, "%.1f%%", percent));
	char text[24];
	size_t at = sizeof(text);
	unsigned long long n = (unsigned long long)tenths;
	text[--at] = '%';
	text[--at] = (char)('0' + n % 10);
	text[--at] = '.';
	n /= 10;
	do {
		text[--at] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	return ctx_copy(r, text + at, sizeof(text) - at);
}

struct value *score_value(struct render *r, double score,
				 const struct tally *t)
{
	if (isnan(score))
		return NULL;
	struct value *v = ctx_map(r);
	double tenths = round(score * 1000);
	double percent = tenths / 10;
	put(r, v, "text", percent_text(r, tenths, percent));
	put_number(r, v, "percent", percent);
	/* the bars' <meter> value, with the default max of 1 */
	put_number(r, v, "fraction", tenths / 1000);
	put_text(r, v, "band", percent < 50 ? "low" : percent < 80 ? "mid" : "high");
	if (!t)
		return v;
	/* The percentage is of weighted points; when weights make it differ
	 * from pass ÷ counted, the points are shown so it can be checked. */
	struct value *counts = put_map(r, v, "counts");
	put_tally(r, counts, t);
	bool weighted = t->counted &&
			fabs(score - (double)t->pass / (double)t->counted) > 1e-9;
	put_bool(r, counts, "weighted", weighted);
	put_number(r, counts, "points", round(t->weighted_pass * 100) / 100);
	put_number(r, counts, "points_total", round(t->weighted_counted * 100) / 100);
	return v;
}


struct value *ctx_shared(struct render *r, struct value **slot,
			 ctx_build_fn build, size_t index)
{
	if (!*slot) {
		struct arena *page = r->mem;
		r->mem = &r->run;
		*slot = build(r, index);
		r->mem = page;
	}
	return *slot ? value_copy(r->mem, *slot) : NULL;
}

static struct value *build_state(struct render *r, size_t state)
{
	struct value *v = ctx_map(r);
	put_text(r, v, "state", eval_state_name((enum rule_state)state));
	put_text(r, v, "label", state_texts[state].label);
	put_text(r, v, "symbol", state_texts[state].symbol);
	put_bool(r, v, "failing", state == STATE_FAIL);
	return v;
}

struct value *state_value(struct render *r, const struct rule_result *res)
{
	struct value *v = ctx_shared(r, &r->state_values[res->state], build_state,
				 res->state);
	put_text(r, v, "reason", res->reason);
	return v;
}

const char *level_name(const struct scorecard *sc, int level)
{
	for (size_t i = 0; i < sc->level_count; i++)
		if (sc->levels[i].number == level)
			return sc->levels[i].name;
	return level <= 0 ? "None" : "";
}

struct value *level_value(struct render *r, const struct scorecard *sc,
				 int level)
{
	struct value *v = ctx_map(r);
	put_number(r, v, "number", level < 0 ? 0 : level);
	put_text(r, v, "name", level_name(sc, level < 0 ? 0 : level));
	put_count(r, v, "of", sc->level_count);
	return v;
}

/* ---- links ----------------------------------------------------------- */

static struct value *entity_link_to(struct render *r, size_t e,
				    const char *link)
{
	const struct entity *ent = r->site->entities[e];
	struct value *v = ctx_map(r);
	put_text(r, v, "ref", ent->ref);
	put_text(r, v, "kind", ent->kind);
	put_text(r, v, "name", ent->display_name);
	put_text(r, v, "href", link);
	return v;
}

static struct value *build_entity_link(struct render *r, size_t e)
{
	return entity_link_to(r, e, href(r, r->layout.entity_page[e]));
}

struct value *entity_link(struct render *r, size_t e)
{
	return ctx_shared(r, &r->entity_links[r->depth][e], build_entity_link, e);
}

struct value *entity_link_from(struct render *r, size_t from, size_t e)
{
	const char *path = r->layout.entity_page[e];
	const char *here = r->layout.entity_page[from];
	const char *name = strrchr(path, '/');
	const char *here_name = strrchr(here, '/');
	if (!name || !here_name || name - path != here_name - here ||
	    strncmp(path, here, (size_t)(name - path)) != 0)
		return entity_link(r, e);
	return entity_link_to(r, e, name + 1);
}

struct value *entity_link_by_ref(struct render *r, const char *ref)
{
	size_t e = site_entity_index(r->site, ref);
	if (e != SITE_NONE)
		return entity_link(r, e);
	struct value *v = ctx_map(r);
	put_text(r, v, "ref", ref);
	put_text(r, v, "name", ref);
	put_text(r, v, "kind", NULL);
	put_text(r, v, "href", NULL);
	return v;
}

static struct value *build_team_link(struct render *r, size_t t)
{
	struct value *v = ctx_map(r);
	put_text(r, v, "id", r->site->teams[t]->id);
	put_text(r, v, "name", r->site->teams[t]->name);
	put_text(r, v, "href", href(r, r->layout.team_page[t]));
	return v;
}

struct value *team_link_index(struct render *r, size_t t)
{
	if (t < r->site->team_count)
		return ctx_shared(r, &r->team_links[r->depth][t], build_team_link, t);
	return team_link(r, NULL);
}

struct value *entity_owner_link(struct render *r, size_t e)
{
	/* The roll-up has looked the owner up already (team_count: none, or
	 * one that is not in the catalog, which team_link() shows as text). */
	size_t t = r->ru->entity_team[e];
	if (t < r->site->team_count)
		return ctx_shared(r, &r->team_links[r->depth][t], build_team_link, t);
	return team_link(r, r->site->entities[e]->owner);
}

struct value *team_link(struct render *r, const char *id)
{
	size_t t = id ? site_team_index(r->site, id) : SITE_NONE;
	if (t != SITE_NONE)
		return ctx_shared(r, &r->team_links[r->depth][t], build_team_link, t);
	struct value *v = ctx_map(r);
	put_text(r, v, "id", id ? id : "");
	put_text(r, v, "name", id ? id : "Unowned");
	put(r, v, "href", NULL);
	return v;
}

static struct value *build_scorecard_link(struct render *r, size_t s)
{
	struct value *v = ctx_map(r);
	put_text(r, v, "id", r->site->scorecards[s]->id);
	put_text(r, v, "name", r->site->scorecards[s]->name);
	put_text(r, v, "href", href(r, r->layout.scorecard_page[s]));
	return v;
}

struct value *scorecard_link(struct render *r, size_t s)
{
	return ctx_shared(r, &r->scorecard_links[r->depth][s], build_scorecard_link, s);
}

static struct value *build_rule_link(struct render *r, size_t ri)
{
	const struct rule *rule = r->layout.rules[ri];
	const struct scorecard *sc = rule->scorecard;
	struct value *v = ctx_map(r);
	put_text(r, v, "id", rule->id);
	put_text(r, v, "ref", rule->ref);
	put_text(r, v, "name", rule->name);
	put(r, v, "level", level_value(r, sc, rule->level));
	put_text(r, v, "href", href(r, r->layout.rule_page[ri]));
	put_text(r, v, "anchor", r->layout.rule_anchor[ri]);
	struct value *owner = put_map(r, v, "scorecard");
	put_text(r, owner, "name", sc->name);
	put_text(r, owner, "href",
		 href(r, r->layout.scorecard_page[site_scorecard_index(r->site, sc)]));
	return v;
}

struct value *rule_link(struct render *r, size_t ri)
{
	return ctx_shared(r, &r->rule_links[r->depth][ri], build_rule_link, ri);
}

struct value *rule_row(struct render *r, size_t ri)
{
	struct value *v = rule_link(r, ri);
	const struct tally *t = &r->ev->rule_tallies[ri];
	put(r, v, "score", score_value(r, eval_tally_score(t), t));
	put_tally(r, v, t);
	put_bool(r, v, "external", r->layout.rules[ri]->external);
	return v;
}

/* An entity as a row of the entity tables (index, team pages). */
struct value *entity_row(struct render *r, size_t e)
{
	const struct site *site = r->site;
	const struct entity *ent = site->entities[e];
	size_t scs = site->scorecard_count;
	struct value *v = entity_link(r, e);
	put(r, v, "owner", entity_owner_link(r, e));
	put_text(r, v, "tier", ent->tier_text);
	put_text(r, v, "lifecycle", ent->lifecycle_text);
	put(r, v, "score", score_value(r, r->ru->entity_score[e],
				       &r->ru->entity_totals[e]));
	put_bool(r, v, "failing", r->ru->entity_failing[e]);
	struct value *list = put_list(r, v, "scorecards");
	for (size_t s = 0; s < scs; s++) {
		const struct entity_score *es = &r->ev->entity_scores[e * scs + s];
		struct value *cell = push_map(r, list);
		put_bool(r, cell, "in_scope", es->in_scope);
		if (!es->in_scope) {
			put(r, cell, "level", NULL);
			put(r, cell, "score", NULL);
			continue;
		}
		put(r, cell, "level", level_value(r, site->scorecards[s], es->level));
		put(r, cell, "score", score_value(r, es->score, &es->tally));
	}
	return v;
}


void put_day(struct render *r, struct value *map, const char *key, day_t d)
{
	char day[11];
	date_format(d, day);
	put(r, map, key, ctx_copy(r, day, strlen(day)));
}

/* A campaign's row but its progress: the same on every page at one
 * depth. */
static struct value *campaign_head(struct render *r, size_t c)
{
	const struct campaign_result *cr = &r->ru->campaigns[c];
	const struct campaign *camp = cr->campaign;
	struct value *v = ctx_map(r);
	put_text(r, v, "key", camp->key);
	put_text(r, v, "name", camp->name);
	put_text(r, v, "href", href(r, r->layout.campaign_page[c]));
	put(r, v, "owner", team_link(r, camp->owner));
	put_day(r, v, "start", camp->start);
	if (camp->has_due)
		put_day(r, v, "due", camp->due);
	else
		put(r, v, "due", NULL);
	put_text(r, v, "status", rollup_campaign_status_name(cr->status));
	put_text(r, v, "status_label", campaign_status_labels[cr->status]);
	put_text(r, v, "when", followup_when(r->mem, cr, r->ev->today));
	/* Only an overdue campaign's "when" is styled (.when-overdue). */
	put_bool(r, v, "overdue", cr->status == CAMPAIGN_OVERDUE);
	return v;
}

/* The row with the whole campaign's progress, which most pages show. */
static struct value *build_campaign_row(struct render *r, size_t c)
{
	struct value *v = campaign_head(r, c);
	put_part(r, v, &r->ru->campaigns[c].all);
	return v;
}

struct value *campaign_row(struct render *r, size_t c,
			   const struct campaign_part *part)
{
	if (!part)
		return ctx_shared(r, &r->campaign_rows[r->depth][c],
				  build_campaign_row, c);
	struct value *v = campaign_head(r, c);
	put_part(r, v, part);
	return v;
}

/* A part of a campaign (a team's or a rule's) as a progress value. */
void put_part(struct render *r, struct value *v,
		     const struct campaign_part *part)
{
	put_count(r, v, "pass", part->pass);
	put_count(r, v, "total", part->total);
	put(r, v, "progress", score_value(r, rollup_part_progress(part), NULL));
}


/* ---- pagination ----------------------------------------------------- */

/* Pages shown on each side of the current one in the page list. */
enum { PAGER_NEAR = 3 };

static void pager_place(struct render *r, struct pager *pg)
{
	size_t size = (size_t)r->conf->page_rows;
	pg->from = (pg->number - 1) * size;
	pg->to = pg->from + size < pg->rows ? pg->from + size : pg->rows;
	/* page_begin empties the scratch arena: these outlive it. */
	pg->path = site_layout_page_path(&r->run, pg->first, pg->number);
	pg->title = pg->number == 1 ? pg->base_title
		: arena_printf(&r->run, "%s (page %zu of %zu)", pg->base_title,
			       pg->number, pg->count);
}

struct pager pager_first(struct render *r, const char *first, size_t rows,
			 const char *title)
{
	struct pager pg = { .first = first, .base_title = title, .rows = rows,
			    .number = 1 };
	size_t size = (size_t)r->conf->page_rows;
	pg.count = rows ? (rows + size - 1) / size : 1;
	pager_place(r, &pg);
	return pg;
}

bool pager_next(struct render *r, struct pager *pg)
{
	if (pg->number >= pg->count)
		return false;
	pg->number++;
	pager_place(r, pg);
	return true;
}

bool pager_section(const struct pager *pg, size_t start, size_t n,
		   size_t *lo, size_t *hi)
{
	size_t from = pg->from > start ? pg->from - start : 0;
	size_t to = pg->to > start ? pg->to - start : 0;
	*lo = from < n ? from : n;
	*hi = to < n ? to : n;
	return *lo < *hi || (pg->number == 1 && n == 0);
}

void put_pagination(struct render *r, struct value *ctx, const struct pager *pg)
{
	put_bool(r, ctx, "later_page", pg->number > 1);
	if (pg->count <= 1) {
		put(r, ctx, "pagination", NULL);
		return;
	}
	struct value *v = put_map(r, ctx, "pagination");
	put_count(r, v, "number", pg->number);
	put_count(r, v, "count", pg->count);
	put_count(r, v, "from", pg->from + 1);
	put_count(r, v, "to", pg->to);
	put_count(r, v, "rows", pg->rows);
	put_text(r, v, "prev", pg->number > 1
		 ? href(r, site_layout_page_path(r->mem, pg->first, pg->number - 1))
		 : NULL);
	put_text(r, v, "next", pg->number < pg->count
		 ? href(r, site_layout_page_path(r->mem, pg->first, pg->number + 1))
		 : NULL);
	struct value *pages = put_list(r, v, "pages");
	size_t last_shown = 0;
	for (size_t n = 1; n <= pg->count; n++) {
		bool near = n + PAGER_NEAR >= pg->number && n <= pg->number + PAGER_NEAR;
		if (n != 1 && n != pg->count && !near)
			continue;
		struct value *item = push_map(r, pages);
		put_count(r, item, "number", n);
		put_text(r, item, "href", n == pg->number ? NULL
			 : href(r, site_layout_page_path(r->mem, pg->first, n)));
		put_bool(r, item, "gap", n > last_shown + 1);
		last_shown = n;
	}
}

/* Stage one file of the site. */
int stage(struct render *r, const char *path, const struct buf *bytes)
{
	if (output_write(r->out, path, bytes->data, bytes->len, r->e) == 0)
		return 0;
	r->failure = SITE_OUTPUT_FAILED;
	return -1;
}

/* Start a page at `path`: the scratch arena is emptied and a context with
 * the keys every page has is returned. */
struct value *page_begin(struct render *r, const char *path,
				const char *page_type, const char *section,
				const char *title)
{
	arena_reset(&r->scratch);
	r->mem = &r->scratch;
	size_t depth = site_layout_depth(path);
	if (depth > SITE_MAX_DEPTH)
		BUG("a page deeper than SITE_MAX_DEPTH");
	r->depth = depth;
	char *base = arena_alloc(r->mem, depth * 3 + 1);
	for (size_t i = 0; i < depth; i++)
		memcpy(base + i * 3, "../", 3);
	r->base = base;

	struct value *ctx = ctx_map(r);
	struct value *site = put_map(r, ctx, "site");
	put_text(r, site, "title", r->conf->title);
	put_text(r, site, "base", base);
	put_day(r, site, "generated", r->ev->today);
	put_text(r, site, "version", YARDSTICK_VERSION);
	/* Null, not "", when unset: an empty string is true to Mustache. */
	put_text(r, site, "base_url",
		 r->conf->base_url && *r->conf->base_url ? r->conf->base_url : NULL);
	struct value *nav = put_list(r, ctx, "nav");
	for (size_t i = 0; i < sizeof(nav_sections) / sizeof(nav_sections[0]); i++) {
		struct value *item = push_map(r, nav);
		put_text(r, item, "label", nav_sections[i].label);
		put_text(r, item, "href", href(r, nav_sections[i].path));
		put_bool(r, item, "current", strcmp(section, nav_sections[i].section) == 0);
	}
	for (size_t p = 0; p < r->site->page_count; p++) {
		struct value *item = push_map(r, nav);
		put_text(r, item, "label", r->site->pages[p]->title);
		put_text(r, item, "href", href(r, r->layout.markdown_page[p]));
		put_bool(r, item, "current", strcmp(section, r->layout.markdown_page[p]) == 0);
	}
	struct value *item = push_map(r, nav);
	put_text(r, item, "label", "Problems");
	put_text(r, item, "href", href(r, "problems.html"));
	put_bool(r, item, "current", strcmp(section, "problems") == 0);

	put_text(r, ctx, "title", title);
	put_text(r, ctx, "page_type", page_type);
	return ctx;
}

/* Render `template` with `ctx` and stage the result at `path`. */
int page_end(struct render *r, const char *template, const char *path,
		    const struct value *ctx)
{
	const struct mustache_template *t;
	int found = mustache_get(r->theme, template, &t, r->e);
	if (found < 0) {
		r->failure = SITE_THEME_FAILED;
		return -1;
	}
	if (found > 0)
		BUG("a theme template vanished after site_load_theme");
	buf_reset(&r->text);
	if (mustache_render(t, ctx, &r->text, r->e) < 0) {
		r->failure = SITE_THEME_FAILED;
		return -1;
	}
	r->pages++;
	return stage(r, path, &r->text);
}

struct value *scorecard_row(struct render *r, size_t s)
{
	const struct scorecard *sc = r->site->scorecards[s];
	const struct tally *t = &r->ev->scorecard_tallies[s];
	size_t in_scope = r->ru->scorecard_entities[s];
	struct value *v = scorecard_link(r, s);
	put(r, v, "score", score_value(r, eval_tally_score(t), t));
	put_tally(r, v, t);
	put_count(r, v, "entities", in_scope);
	struct value *levels = put_list(r, v, "levels");
	for (size_t l = 0; l <= sc->level_count; l++) {
		size_t count = r->ru->level_counts[s][l];
		struct value *item = push_map(r, levels);
		put_count(r, item, "number", l);
		put_text(r, item, "name", level_name(sc, (int)l));
		put_count(r, item, "count", count);
		put_number(r, item, "percent",
			   in_scope ? round((double)count * 1000 / (double)in_scope) / 10 : 0);
	}
	return v;
}

struct value *team_row(struct render *r, size_t t)
{
	struct value *v = team_link_index(r, t);
	put(r, v, "score", score_value(r, r->ru->team_overall[t].score, NULL));
	put_count(r, v, "entities", r->ru->member_count[t]);
	return v;
}

/* Active campaigns by due date (open-ended last), then key. */
int campaign_due_compare(const void *pa, const void *pb)
{
	const struct campaign_result *a = *(const struct campaign_result *const *)pa;
	const struct campaign_result *b = *(const struct campaign_result *const *)pb;
	day_t da = a->campaign->has_due ? a->campaign->due : DAY_NEVER;
	day_t db = b->campaign->has_due ? b->campaign->due : DAY_NEVER;
	if (da != db)
		return da < db ? -1 : 1;
	return strcmp(a->campaign->key, b->campaign->key);
}


void put_strings(struct render *r, struct value *map, const char *key,
		 const char *const *items, size_t n)
{
	struct value *list = put_list(r, map, key);
	for (size_t i = 0; i < n; i++)
		push_text(r, list, items[i]);
}
