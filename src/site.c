#include "site.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "badge.h"
#include "date.h"
#include "escape.h"
#include "markdown.h"
#include "query.h"
#include "report.h"
#include "slug.h"
#include "util.h"

const char *const site_templates[] = {
	"index", "problems", "scorecards", "scorecard", "rule", "entities",
	"entity", "teams", "team", "campaigns", "campaign", "page", NULL,
};

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
};

/* Sorts open-ended campaigns after every due date. */
#define DAY_NEVER LONG_MAX

/* Pages live at most this many folders down (entities/<kind>/<name>). */
enum { MAX_DEPTH = 2 };
/* Distinct keys of all contexts, with room to spare (a power of two). */
enum { KEY_SLOTS = 512 };

/* Dashboard lists: how many of the best and of the worst. */
enum { TOP_COUNT = 5, FIX_FIRST_COUNT = 10, FIX_FIRST_ENTITIES = 20 };

struct render {
	const struct eval *ev;
	const struct site *site;
	const struct conf *conf;
	const struct errlist *problems;
	struct mustache_cache *theme;
	struct output *out;
	struct arena run;     /* paths, tables and shared values for the run */
	struct arena scratch; /* one page's context, emptied after each page */
	struct arena *mem;    /* where values are built now: scratch or run */
	size_t depth;         /* folders between the root and the page */
	struct buf text;      /* one file's bytes */
	const char *base;     /* from the current page back to the root */
	const char *section;  /* the current page's navigation section */
	size_t pages;
	bool io_error; /* the failure was the output's, not the theme's */
	struct err *e;

	/* Root-relative paths of every page, by model index. */
	const char **entity_page, **entity_badges, **team_page;
	const char **scorecard_page, **scorecard_slug, **campaign_page;
	const char **markdown_page;
	const char **rule_page, **rule_anchor; /* [eval rule index] */
	const struct rule **rules;             /* [eval rule index] */

	struct tally *entity_totals; /* [entity]: every scorecard together */
	double *team_overall;        /* [team]: mean of entities' totals */
	size_t *team_scored;
	bool *in_campaign;           /* [campaign * entities + entity] */
	const char ***guidance_html; /* [campaign][rule]: rendered once, or NULL */
	size_t *entity_team;         /* [entity]: owner's index, team_count if none */
	size_t *team_parent;         /* [team]: parent's index, SITE_NONE if none */
	size_t **owned;              /* [team + 1]: entities it owns; last: unowned */
	size_t *owned_count;
	size_t **dependents;         /* [entity]: entities depending on it */
	size_t *dependent_count;

	/*
	 * Values many pages share, built once in `run` and shallow-copied
	 * onto each page (value_copy): links, whose hrefs depend only on the
	 * page's depth, and keys. Most of a context is links, so this is
	 * what keeps 10,000 entity pages cheap.
	 */
	struct value **entity_links[MAX_DEPTH + 1], **team_links[MAX_DEPTH + 1];
	struct value **scorecard_links[MAX_DEPTH + 1], **rule_links[MAX_DEPTH + 1];
	struct value *state_values[STATE_EXEMPT + 1];
	struct key_slot {
		const char *literal;
		struct value *key;
	} keys[KEY_SLOTS];
	size_t key_count;
};

/* ---- context building ------------------------------------------------ */

static struct value *new_map(struct render *r)
{
	return value_new(r->mem, VALUE_MAP);
}

static struct value *new_list(struct render *r)
{
	return value_new(r->mem, VALUE_SEQ);
}

/* The key for a literal, made once per run: keys are always literals, so
 * their addresses identify them. */
static struct value *key_of(struct render *r, const char *key)
{
	size_t i = ((uintptr_t)key >> 3) & (KEY_SLOTS - 1);
	while (r->keys[i].literal && r->keys[i].literal != key)
		i = (i + 1) & (KEY_SLOTS - 1);
	if (!r->keys[i].literal) {
		if (++r->key_count > KEY_SLOTS / 2)
			BUG("more distinct context keys than KEY_SLOTS allows");
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
static struct value *text_of(struct render *r, const char *s)
{
	struct value *v = value_new(r->mem, VALUE_STRING);
	v->str = s;
	v->len = strlen(s);
	return v;
}

/* Text in a buffer about to change: copied into the page's arena. */
static struct value *copy_of(struct render *r, const char *s, size_t len)
{
	return value_new_string(r->mem, s, len);
}

/*
 * Put `v` under `key`. NULL puts an explicit null: a key left out would make
 * Mustache find the same name further up the context (a team link without
 * an href would take its page's href), so what is absent must be null.
 */
static void put(struct render *r, struct value *map, const char *key,
		struct value *v)
{
	static struct value null_value = { .type = VALUE_NULL };
	value_map_put(r->mem, map, key_of(r, key), v ? v : &null_value);
}

static void put_text(struct render *r, struct value *map, const char *key,
		     const char *s)
{
	put(r, map, key, s ? text_of(r, s) : NULL);
}

static void put_number(struct render *r, struct value *map, const char *key,
		       double d)
{
	put(r, map, key, value_new_number(r->mem, d));
}

static void put_count(struct render *r, struct value *map, const char *key,
		      size_t n)
{
	put_number(r, map, key, (double)n);
}

static void put_bool(struct render *r, struct value *map, const char *key,
		     bool b)
{
	put(r, map, key, value_new_bool(r->mem, b));
}

static struct value *put_map(struct render *r, struct value *map,
			     const char *key)
{
	struct value *v = new_map(r);
	put(r, map, key, v);
	return v;
}

static struct value *put_list(struct render *r, struct value *map,
			      const char *key)
{
	struct value *v = new_list(r);
	put(r, map, key, v);
	return v;
}

static struct value *push_map(struct render *r, struct value *list)
{
	struct value *v = new_map(r);
	value_seq_push(r->mem, list, v);
	return v;
}

static void push_text(struct render *r, struct value *list, const char *s)
{
	value_seq_push(r->mem, list, text_of(r, s));
}

/* A root-relative path as seen from the current page. */
static const char *href(struct render *r, const char *path)
{
	return arena_printf(r->mem, "%s%s", r->base, path);
}

/* The absolute URL of a root-relative path when base_url is set, else the
 * path itself (for snippets meant to leave the site). */
static const char *absolute_url(struct render *r, const char *path)
{
	const char *base = r->conf->base_url;
	if (!base || !*base)
		return arena_strdup(r->mem, path);
	size_t n = strlen(base);
	return arena_printf(r->mem, "%s%s%s", base,
			    base[n - 1] == '/' ? "" : "/", path);
}

static struct value *markdown_value(struct render *r, const char *markdown)
{
	if (!markdown)
		return NULL;
	struct buf html = BUF_INIT;
	markdown_render(&html, markdown, strlen(markdown), 1);
	struct value *v = copy_of(r, html.data, html.len);
	buf_release(&html);
	return v;
}

/* A URL from content, only when it is one we may link to. */
static void put_url(struct render *r, struct value *map, const char *key,
		    const char *url)
{
	put_text(r, map, key, url && *url && escape_url_allowed(url) ? url : NULL);
}

/* Add the counts of `t` to `into`. */
static void tally_sum(struct tally *into, const struct tally *t)
{
	into->pass += t->pass;
	into->fail += t->fail;
	into->skip += t->skip;
	into->no_data += t->no_data;
	into->exempt += t->exempt;
	into->weighted_pass += t->weighted_pass;
	into->weighted_counted += t->weighted_counted;
}

static void put_tally(struct render *r, struct value *map, const struct tally *t)
{
	put_count(r, map, "pass", t->pass);
	put_count(r, map, "fail", t->fail);
	put_count(r, map, "no_data", t->no_data);
	put_count(r, map, "exempt", t->exempt);
	put_count(r, map, "skip", t->skip);
}

static struct value *score_value(struct render *r, double score,
				 const struct tally *t)
{
	if (isnan(score))
		return NULL;
	struct value *v = new_map(r);
	double percent = round(score * 1000) / 10;
	put_text(r, v, "text", arena_printf(r->mem, "%.1f%%", percent));
	put_number(r, v, "percent", percent);
	put_text(r, v, "band", percent < 50 ? "low" : percent < 80 ? "mid" : "high");
	if (t)
		put_tally(r, put_map(r, v, "counts"), t);
	return v;
}


/* Build `*slot` in the run's arena on first use; return a copy of it that
 * the page may extend. */
typedef struct value *(*build_fn)(struct render *r, size_t index);

static struct value *shared(struct render *r, struct value **slot,
			    build_fn build, size_t index)
{
	if (!*slot) {
		struct arena *page = r->mem;
		r->mem = &r->run;
		*slot = build(r, index);
		r->mem = page;
	}
	return value_copy(r->mem, *slot);
}

static struct value *build_state(struct render *r, size_t state)
{
	struct value *v = new_map(r);
	put_text(r, v, "state", eval_state_name((enum rule_state)state));
	put_text(r, v, "label", state_texts[state].label);
	put_text(r, v, "symbol", state_texts[state].symbol);
	put_bool(r, v, "failing", state == STATE_FAIL);
	return v;
}

static struct value *state_value(struct render *r, const struct rule_result *res)
{
	struct value *v = shared(r, &r->state_values[res->state], build_state,
				 res->state);
	put_text(r, v, "reason", res->reason);
	return v;
}

static const char *level_name(const struct scorecard *sc, int level)
{
	for (size_t i = 0; i < sc->level_count; i++)
		if (sc->levels[i].number == level)
			return sc->levels[i].name;
	return level <= 0 ? "None" : "";
}

static struct value *level_value(struct render *r, const struct scorecard *sc,
				 int level)
{
	struct value *v = new_map(r);
	put_number(r, v, "number", level < 0 ? 0 : level);
	put_text(r, v, "name", level_name(sc, level < 0 ? 0 : level));
	put_count(r, v, "of", sc->level_count);
	return v;
}

static size_t scorecard_index(const struct site *site, const struct scorecard *sc)
{
	for (size_t s = 0; s < site->scorecard_count; s++)
		if (site->scorecards[s] == sc)
			return s;
	BUG("scorecard not in the site");
}

/* ---- links ----------------------------------------------------------- */

static struct value *build_entity_link(struct render *r, size_t e)
{
	const struct entity *ent = r->site->entities[e];
	struct value *v = new_map(r);
	put_text(r, v, "ref", ent->ref);
	put_text(r, v, "kind", ent->kind);
	put_text(r, v, "name", ent->display_name);
	put_text(r, v, "href", href(r, r->entity_page[e]));
	return v;
}

static struct value *entity_link(struct render *r, size_t e)
{
	return shared(r, &r->entity_links[r->depth][e], build_entity_link, e);
}

static struct value *build_team_link(struct render *r, size_t t)
{
	struct value *v = new_map(r);
	put_text(r, v, "id", r->site->teams[t]->id);
	put_text(r, v, "name", r->site->teams[t]->name);
	put_text(r, v, "href", href(r, r->team_page[t]));
	return v;
}

/* A team by id; NULL means "no owner". */
static struct value *team_link(struct render *r, const char *id)
{
	size_t t = id ? site_team_index(r->site, id) : SITE_NONE;
	if (t != SITE_NONE)
		return shared(r, &r->team_links[r->depth][t], build_team_link, t);
	struct value *v = new_map(r);
	put_text(r, v, "id", id ? id : "");
	put_text(r, v, "name", id ? id : "Unowned");
	put(r, v, "href", NULL);
	return v;
}

static struct value *build_scorecard_link(struct render *r, size_t s)
{
	struct value *v = new_map(r);
	put_text(r, v, "id", r->site->scorecards[s]->id);
	put_text(r, v, "name", r->site->scorecards[s]->name);
	put_text(r, v, "href", href(r, r->scorecard_page[s]));
	return v;
}

static struct value *scorecard_link(struct render *r, size_t s)
{
	return shared(r, &r->scorecard_links[r->depth][s], build_scorecard_link, s);
}

static struct value *build_rule_link(struct render *r, size_t ri)
{
	const struct rule *rule = r->rules[ri];
	const struct scorecard *sc = rule->scorecard;
	struct value *v = new_map(r);
	put_text(r, v, "id", rule->id);
	put_text(r, v, "ref", rule->ref);
	put_text(r, v, "name", rule->name);
	put(r, v, "level", level_value(r, sc, rule->level));
	put_text(r, v, "href", href(r, r->rule_page[ri]));
	put_text(r, v, "anchor", r->rule_anchor[ri]);
	struct value *owner = put_map(r, v, "scorecard");
	put_text(r, owner, "name", sc->name);
	put_text(r, owner, "href",
		 href(r, r->scorecard_page[scorecard_index(r->site, sc)]));
	return v;
}

static struct value *rule_link(struct render *r, size_t ri)
{
	return shared(r, &r->rule_links[r->depth][ri], build_rule_link, ri);
}

static struct value *rule_row(struct render *r, size_t ri)
{
	struct value *v = rule_link(r, ri);
	const struct tally *t = &r->ev->rule_tallies[ri];
	put(r, v, "score", score_value(r, eval_tally_score(t), t));
	put_tally(r, v, t);
	put_bool(r, v, "external", r->rules[ri]->external);
	return v;
}

static bool entity_failing(const struct render *r, size_t e)
{
	for (size_t ri = 0; ri < r->ev->rule_total; ri++)
		if (eval_result(r->ev, e, ri)->state == STATE_FAIL)
			return true;
	return false;
}

static double entity_total_score(const struct render *r, size_t e)
{
	return eval_tally_score(&r->entity_totals[e]);
}

/* An entity as a row of the entity tables (index, team pages). */
static struct value *entity_row(struct render *r, size_t e)
{
	const struct site *site = r->site;
	const struct entity *ent = site->entities[e];
	size_t scs = site->scorecard_count;
	struct value *v = entity_link(r, e);
	put(r, v, "owner", team_link(r, ent->owner));
	put_text(r, v, "tier", ent->tier_text);
	put_text(r, v, "lifecycle", ent->lifecycle_text);
	put(r, v, "score", score_value(r, entity_total_score(r, e),
				       &r->entity_totals[e]));
	put_bool(r, v, "failing", entity_failing(r, e));
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

static const char *campaign_when(struct render *r, const struct campaign_result *cr)
{
	const struct campaign *c = cr->campaign;
	char day[11];
	if (cr->status == CAMPAIGN_NOT_STARTED) {
		long days = c->start - r->ev->today;
		return days == 1 ? "starts tomorrow"
				 : arena_printf(r->mem, "starts in %ld days", days);
	}
	if (cr->status == CAMPAIGN_ENDED) {
		date_format(c->due, day);
		return arena_printf(r->mem, "ended %s", day);
	}
	if (!cr->has_days_left)
		return "no due date";
	long d = cr->days_left;
	if (d == 0)
		return "due today";
	if (d == 1)
		return "1 day left";
	if (d > 1)
		return arena_printf(r->mem, "%ld days left", d);
	return d == -1 ? "1 day overdue"
		       : arena_printf(r->mem, "%ld days overdue", -d);
}

static void put_day(struct render *r, struct value *map, const char *key, day_t d)
{
	char day[11];
	date_format(d, day);
	put(r, map, key, copy_of(r, day, strlen(day)));
}

static struct value *campaign_row(struct render *r, size_t c)
{
	const struct campaign_result *cr = &r->ev->campaigns[c];
	const struct campaign *camp = cr->campaign;
	struct value *v = new_map(r);
	put_text(r, v, "key", camp->key);
	put_text(r, v, "name", camp->name);
	put_text(r, v, "href", href(r, r->campaign_page[c]));
	put(r, v, "owner", team_link(r, camp->owner));
	put_day(r, v, "start", camp->start);
	if (camp->has_due)
		put_day(r, v, "due", camp->due);
	else
		put(r, v, "due", NULL);
	put_text(r, v, "status", eval_campaign_status_name(cr->status));
	put_text(r, v, "status_label", campaign_status_labels[cr->status]);
	put_text(r, v, "when", campaign_when(r, cr));
	put(r, v, "progress", score_value(r, cr->progress, NULL));
	put_count(r, v, "pass", cr->pass);
	put_count(r, v, "total", cr->total);
	return v;
}

/* A part of a campaign (a team's or a rule's) as a progress value. */
static void put_part(struct render *r, struct value *v,
		     const struct campaign_part *part)
{
	put_count(r, v, "pass", part->pass);
	put_count(r, v, "total", part->total);
	put(r, v, "progress",
	    score_value(r, part->total ? (double)part->pass / (double)part->total
				       : NAN, NULL));
}

/* ---- ranking --------------------------------------------------------- */

struct ranked {
	double score;
	const char *name;
	size_t index;
};

/* Best first; equal scores by name so the order is reproducible. */
static int ranked_compare(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Sort `items`, then fill `top` with the best few and `bottom` with the
 * worst few not already in `top`, worst first. */
typedef struct value *(*ranked_row_fn)(struct render *r, size_t index);

static void put_ranking(struct render *r, struct value *ctx, const char *top_key,
			const char *bottom_key, struct ranked *items, size_t n,
			ranked_row_fn row)
{
	qsort(items, n, sizeof(*items), ranked_compare);
	struct value *top = put_list(r, ctx, top_key);
	struct value *bottom = put_list(r, ctx, bottom_key);
	size_t top_n = n < TOP_COUNT ? n : TOP_COUNT;
	for (size_t i = 0; i < top_n; i++)
		value_seq_push(r->mem, top, row(r, items[i].index));
	for (size_t i = n; i > top_n && n - i < TOP_COUNT; i--)
		value_seq_push(r->mem, bottom, row(r, items[i - 1].index));
}

/* ---- pages ----------------------------------------------------------- */

/* Stage one file of the site. */
static int stage(struct render *r, const char *path, const struct buf *bytes)
{
	if (output_write(r->out, path, bytes->data, bytes->len, r->e) == 0)
		return 0;
	r->io_error = true;
	return -1;
}

/* Number of folders between the root and a root-relative path. */
static size_t path_depth(const char *path)
{
	size_t depth = 0;
	for (; *path; path++)
		depth += *path == '/';
	return depth;
}

/* Start a page at `path`: the scratch arena is emptied and a context with
 * the keys every page has is returned. */
static struct value *page_begin(struct render *r, const char *path,
				const char *page_type, const char *section,
				const char *title)
{
	arena_reset(&r->scratch);
	r->mem = &r->scratch;
	size_t depth = path_depth(path);
	if (depth > MAX_DEPTH)
		BUG("a page deeper than MAX_DEPTH");
	r->depth = depth;
	char *base = arena_alloc(r->mem, depth * 3 + 1);
	for (size_t i = 0; i < depth; i++)
		memcpy(base + i * 3, "../", 3);
	r->base = base;
	r->section = section;

	struct value *ctx = new_map(r);
	struct value *site = put_map(r, ctx, "site");
	put_text(r, site, "title", r->conf->title);
	put_text(r, site, "base", base);
	put_day(r, site, "generated", r->ev->today);
	put_text(r, site, "version", YARDSTICK_VERSION);
	put_text(r, site, "base_url", r->conf->base_url ? r->conf->base_url : "");
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
		put_text(r, item, "href", href(r, r->markdown_page[p]));
		put_bool(r, item, "current", strcmp(section, r->markdown_page[p]) == 0);
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
static int page_end(struct render *r, const char *template, const char *path,
		    const struct value *ctx)
{
	const struct mustache_template *t;
	int found = mustache_get(r->theme, template, &t, r->e);
	if (found < 0)
		return -1;
	if (found > 0)
		BUG("a theme template vanished after site_load_theme");
	buf_reset(&r->text);
	if (mustache_render(t, ctx, &r->text, r->e) < 0)
		return -1;
	r->pages++;
	return stage(r, path, &r->text);
}

static struct value *scorecard_row(struct render *r, size_t s)
{
	const struct site *site = r->site;
	const struct scorecard *sc = site->scorecards[s];
	size_t scs = site->scorecard_count;
	const struct tally *t = &r->ev->scorecard_tallies[s];
	struct value *v = scorecard_link(r, s);
	put(r, v, "score", score_value(r, eval_tally_score(t), t));
	put_tally(r, v, t);
	size_t *per_level = xcalloc(sc->level_count + 1, sizeof(*per_level));
	size_t in_scope = 0;
	for (size_t e = 0; e < site->entity_count; e++) {
		const struct entity_score *es = &r->ev->entity_scores[e * scs + s];
		if (!es->in_scope)
			continue;
		in_scope++;
		int level = es->level < 0 ? 0 : es->level;
		if ((size_t)level <= sc->level_count)
			per_level[level]++;
	}
	put_count(r, v, "entities", in_scope);
	struct value *levels = put_list(r, v, "levels");
	for (size_t l = 0; l <= sc->level_count; l++) {
		struct value *item = push_map(r, levels);
		put_count(r, item, "number", l);
		put_text(r, item, "name", level_name(sc, (int)l));
		put_count(r, item, "count", per_level[l]);
		put_number(r, item, "percent",
			   in_scope ? round((double)per_level[l] * 1000 /
					    (double)in_scope) / 10 : 0);
	}
	free(per_level);
	return v;
}

static struct value *team_row(struct render *r, size_t t)
{
	struct value *v = team_link(r, r->site->teams[t]->id);
	put(r, v, "score", score_value(r, r->team_overall[t], NULL));
	put_count(r, v, "entities", r->ev->team_entity_counts[t]);
	return v;
}

static struct value *entity_ranked_row(struct render *r, size_t e)
{
	struct value *v = entity_link(r, e);
	put(r, v, "owner", team_link(r, r->site->entities[e]->owner));
	put(r, v, "score", score_value(r, entity_total_score(r, e),
				       &r->entity_totals[e]));
	return v;
}

static bool campaign_active(const struct campaign_result *cr)
{
	return cr->status == CAMPAIGN_IN_PROGRESS || cr->status == CAMPAIGN_OVERDUE;
}

/* Active campaigns by due date (open-ended last), then key. */
static int campaign_due_compare(const void *pa, const void *pb)
{
	const struct campaign_result *a = *(const struct campaign_result *const *)pa;
	const struct campaign_result *b = *(const struct campaign_result *const *)pb;
	day_t da = a->campaign->has_due ? a->campaign->due : DAY_NEVER;
	day_t db = b->campaign->has_due ? b->campaign->due : DAY_NEVER;
	if (da != db)
		return da < db ? -1 : 1;
	return strcmp(a->campaign->key, b->campaign->key);
}

static int render_index(struct render *r)
{
	const struct site *site = r->site;
	const struct eval *ev = r->ev;
	struct value *ctx = page_begin(r, "index.html", "index", "index", "Dashboard");
	struct tally all = { 0 };
	for (size_t s = 0; s < site->scorecard_count; s++)
		tally_sum(&all, &ev->scorecard_tallies[s]);
	put(r, ctx, "overall", score_value(r, eval_tally_score(&all), &all));
	struct value *counts = put_map(r, ctx, "counts");
	put_count(r, counts, "entities", site->entity_count);
	put_count(r, counts, "teams", site->team_count);
	put_count(r, counts, "scorecards", site->scorecard_count);
	put_count(r, counts, "rules", ev->rule_total);
	put_count(r, counts, "campaigns", site->campaign_count);

	struct value *scorecards = put_list(r, ctx, "scorecards");
	for (size_t s = 0; s < site->scorecard_count; s++)
		value_seq_push(r->mem, scorecards, scorecard_row(r, s));

	size_t most = site->team_count;
	if (ev->rule_total > most)
		most = ev->rule_total;
	if (site->entity_count > most)
		most = site->entity_count;
	struct ranked *items = xcalloc(most + 1, sizeof(*items));
	size_t n = 0;
	for (size_t t = 0; t < site->team_count; t++)
		if (!isnan(r->team_overall[t]))
			items[n++] = (struct ranked){ r->team_overall[t],
						      site->teams[t]->id, t };
	put_ranking(r, ctx, "top_teams", "bottom_teams", items, n, team_row);
	n = 0;
	for (size_t ri = 0; ri < ev->rule_total; ri++) {
		double score = eval_tally_score(&ev->rule_tallies[ri]);
		if (!isnan(score))
			items[n++] = (struct ranked){ score, r->rules[ri]->ref, ri };
	}
	put_ranking(r, ctx, "top_rules", "bottom_rules", items, n, rule_row);
	n = 0;
	for (size_t e = 0; e < site->entity_count; e++) {
		double score = entity_total_score(r, e);
		if (!isnan(score))
			items[n++] = (struct ranked){ score, site->entities[e]->ref, e };
	}
	put_ranking(r, ctx, "top_entities", "bottom_entities", items, n,
		    entity_ranked_row);
	free(items);

	const struct campaign_result **active =
		xcalloc(site->campaign_count + 1, sizeof(*active));
	n = 0;
	for (size_t c = 0; c < site->campaign_count; c++)
		if (campaign_active(&ev->campaigns[c]))
			active[n++] = &ev->campaigns[c];
	qsort(active, n, sizeof(*active), campaign_due_compare);
	struct value *campaigns = put_list(r, ctx, "campaigns");
	for (size_t i = 0; i < n; i++)
		value_seq_push(r->mem, campaigns,
			       campaign_row(r, (size_t)(active[i] - ev->campaigns)));
	free(active);

	struct value *problems = put_map(r, ctx, "problems");
	put_count(r, problems, "errors", r->problems->errors);
	put_count(r, problems, "warnings", r->problems->warnings);
	put_text(r, problems, "href", href(r, "problems.html"));
	put_bool(r, problems, "any", r->problems->count > 0);
	return page_end(r, "index", "index.html", ctx);
}

static int render_problems(struct render *r)
{
	struct value *ctx = page_begin(r, "problems.html", "problems", "problems",
				       "Problems");
	const struct errlist *list = r->problems;
	put_count(r, ctx, "errors", list->errors);
	put_count(r, ctx, "warnings", list->warnings);
	put_bool(r, ctx, "any", list->count > 0);
	struct value *items = put_list(r, ctx, "problems");
	for (size_t i = 0; i < list->count; i++) {
		const struct err *p = &list->items[i];
		struct value *v = push_map(r, items);
		put_text(r, v, "severity", p->level == ERR_WARNING ? "warning" : "error");
		put_text(r, v, "path", p->path ? p->path : "");
		put_count(r, v, "line", p->line);
		put_count(r, v, "col", p->col);
		put_text(r, v, "location",
			 !p->path ? "" :
			 p->line && p->col ? arena_printf(r->mem, "%s:%u:%u", p->path, p->line, p->col) :
			 p->line ? arena_printf(r->mem, "%s:%u", p->path, p->line) :
			 p->path);
		put_text(r, v, "message", p->msg ? p->msg : "");
	}
	return page_end(r, "problems", "problems.html", ctx);
}

static int render_scorecards(struct render *r)
{
	struct value *ctx = page_begin(r, "scorecards/index.html", "scorecards",
				       "scorecards", "Scorecards");
	struct value *list = put_list(r, ctx, "scorecards");
	for (size_t s = 0; s < r->site->scorecard_count; s++)
		value_seq_push(r->mem, list, scorecard_row(r, s));
	return page_end(r, "scorecards", "scorecards/index.html", ctx);
}

static int render_scorecard(struct render *r, size_t s)
{
	const struct site *site = r->site;
	const struct scorecard *sc = site->scorecards[s];
	size_t scs = site->scorecard_count, first = r->ev->rule_offset[s];
	struct value *ctx = page_begin(r, r->scorecard_page[s], "scorecard",
				       "scorecards", sc->name);
	struct value *row = scorecard_row(r, s);
	put(r, ctx, "scorecard", row);
	put(r, row, "description_html", markdown_value(r, sc->description));
	put_text(r, row, "scope", sc->scope);
	put_count(r, row, "rule_count", sc->rule_count);

	struct value *levels = put_list(r, ctx, "levels");
	for (size_t l = 0; l < sc->level_count; l++) {
		struct value *level = push_map(r, levels);
		put_number(r, level, "number", sc->levels[l].number);
		put_text(r, level, "name", sc->levels[l].name);
		struct value *rules = put_list(r, level, "rules");
		for (size_t i = 0; i < sc->rule_count; i++)
			if (sc->rules[i].level == sc->levels[l].number)
				value_seq_push(r->mem, rules, rule_row(r, first + i));
	}

	struct value *entities = put_list(r, ctx, "entities");
	size_t *team_in_scope = xcalloc(site->team_count + 1, sizeof(size_t));
	for (size_t e = 0; e < site->entity_count; e++) {
		const struct entity_score *es = &r->ev->entity_scores[e * scs + s];
		if (!es->in_scope)
			continue;
		const struct entity *ent = site->entities[e];
		struct value *v = entity_link(r, e);
		value_seq_push(r->mem, entities, v);
		put(r, v, "owner", team_link(r, ent->owner));
		put_text(r, v, "tier", ent->tier_text);
		put_text(r, v, "lifecycle", ent->lifecycle_text);
		put(r, v, "level", level_value(r, sc, es->level));
		put(r, v, "score", score_value(r, es->score, &es->tally));
		put_bool(r, v, "failing", es->tally.fail > 0);
		size_t applicable = es->tally.pass + es->tally.fail + es->tally.no_data;
		put_text(r, v, "passed", arena_printf(r->mem, "%zu/%zu",
						      es->tally.pass, applicable));
		/* Teams with entities in scope: the owner and its parents. */
		size_t t = r->entity_team[e];
		for (size_t depth = 0; t < site->team_count && depth <= site->team_count; depth++) {
			team_in_scope[t]++;
			t = r->team_parent[t];
		}
	}
	struct value *teams = put_list(r, ctx, "teams");
	for (size_t t = 0; t < site->team_count; t++) {
		if (!team_in_scope[t])
			continue;
		struct value *v = team_link(r, site->teams[t]->id);
		value_seq_push(r->mem, teams, v);
		put(r, v, "score", score_value(r, r->ev->team_scores[t * scs + s].score, NULL));
		put_count(r, v, "entities", team_in_scope[t]);
	}
	free(team_in_scope);
	return page_end(r, "scorecard", r->scorecard_page[s], ctx);
}

static const struct exemption *find_exemption(const struct site *site,
					      const struct entity *ent,
					      const struct rule *rule)
{
	for (size_t i = 0; i < site->exemption_count; i++)
		if (site->exemptions[i].entity == ent && site->exemptions[i].rule == rule)
			return &site->exemptions[i];
	return NULL;
}

static int render_rule(struct render *r, size_t ri)
{
	const struct site *site = r->site;
	const struct rule *rule = r->rules[ri];
	size_t s = scorecard_index(site, rule->scorecard);
	struct value *ctx = page_begin(r, r->rule_page[ri], "rule", "scorecards",
				       rule->name);
	struct value *v = rule_row(r, ri);
	put(r, ctx, "rule", v);
	put_text(r, v, "scope", rule->scope);
	put_text(r, v, "check", rule->check);
	put_number(r, v, "weight", rule->weight);
	put(r, v, "description_html", markdown_value(r, rule->description));
	put(r, v, "remediation_html", markdown_value(r, rule->remediation));
	put_url(r, v, "docs", rule->docs);
	put(r, ctx, "scorecard", scorecard_link(r, s));

	struct value *failing = put_list(r, ctx, "failing");
	struct value *no_data = put_list(r, ctx, "no_data");
	struct value *exempt = put_list(r, ctx, "exempt");
	struct value *passing = put_list(r, ctx, "passing");
	for (size_t e = 0; e < site->entity_count; e++) {
		const struct rule_result *res = eval_result(r->ev, e, ri);
		struct value *list;
		switch (res->state) {
		case STATE_FAIL: list = failing; break;
		case STATE_NO_DATA: list = no_data; break;
		case STATE_EXEMPT: list = exempt; break;
		case STATE_PASS: list = passing; break;
		default: continue;
		}
		const struct entity *ent = site->entities[e];
		struct value *row = entity_link(r, e);
		value_seq_push(r->mem, list, row);
		put(r, row, "owner", team_link(r, ent->owner));
		put(r, row, "state", state_value(r, res));
		put_bool(r, row, "failing", res->state == STATE_FAIL);
		const struct exemption *x = res->state == STATE_EXEMPT
			? find_exemption(site, ent, rule) : NULL;
		if (x) {
			struct value *xv = put_map(r, row, "exemption");
			put_text(r, xv, "reason", x->reason);
			put_day(r, xv, "expires", x->expires);
			put_text(r, xv, "approved_by", x->approved_by);
		}
	}
	struct value *campaigns = put_list(r, ctx, "campaigns");
	for (size_t c = 0; c < site->campaign_count; c++) {
		const struct campaign *camp = site->campaigns[c];
		for (size_t i = 0; i < camp->rule_count; i++)
			if (camp->rules[i].rule == rule) {
				value_seq_push(r->mem, campaigns, campaign_row(r, c));
				break;
			}
	}
	return page_end(r, "rule", r->rule_page[ri], ctx);
}

static int render_entities(struct render *r)
{
	struct value *ctx = page_begin(r, "entities/index.html", "entities",
				       "entities", "Entities");
	struct value *heads = put_list(r, ctx, "scorecards");
	for (size_t s = 0; s < r->site->scorecard_count; s++)
		value_seq_push(r->mem, heads, scorecard_link(r, s));
	struct value *list = put_list(r, ctx, "entities");
	for (size_t e = 0; e < r->site->entity_count; e++)
		value_seq_push(r->mem, list, entity_row(r, e));
	return page_end(r, "entities", "entities/index.html", ctx);
}

static void put_strings(struct render *r, struct value *map, const char *key,
			const char *const *items, size_t n)
{
	struct value *list = put_list(r, map, key);
	for (size_t i = 0; i < n; i++)
		push_text(r, list, items[i]);
}

/* A reference to another entity, linked when it is in the catalog. */
static struct value *reference_link(struct render *r, const char *ref)
{
	size_t e = site_entity_index(r->site, ref);
	if (e != SITE_NONE)
		return entity_link(r, e);
	struct value *v = new_map(r);
	put_text(r, v, "ref", ref);
	put_text(r, v, "name", ref);
	put_text(r, v, "kind", NULL);
	put_text(r, v, "href", NULL);
	return v;
}

static void put_entity_metadata(struct render *r, struct value *ctx, size_t e)
{
	const struct entity *ent = r->site->entities[e];
	struct value *v = put_map(r, ctx, "entity");
	put_text(r, v, "ref", ent->ref);
	put_text(r, v, "kind", ent->kind);
	put_text(r, v, "name", ent->name);
	put_text(r, v, "namespace", ent->namespace_);
	put_text(r, v, "display_name", ent->display_name);
	put_text(r, v, "description", ent->description);
	put(r, v, "owner", team_link(r, ent->owner));
	struct value *owners = put_list(r, v, "additional_owners");
	for (size_t i = 0; i < ent->additional_owner_count; i++)
		value_seq_push(r->mem, owners, team_link(r, ent->additional_owners[i]));
	put_text(r, v, "tier", ent->tier_text);
	put_text(r, v, "lifecycle", ent->lifecycle_text);
	put_text(r, v, "type", ent->type);
	put_text(r, v, "system", ent->system);
	put_strings(r, v, "languages", ent->languages, ent->language_count);
	struct value *tags = put_list(r, v, "tags");
	for (size_t i = 0; i < ent->tag_count; i++)
		push_text(r, tags, ent->tags[i].text);
	struct value *links = put_list(r, v, "links");
	for (size_t i = 0; i < ent->link_count; i++) {
		const struct link *l = &ent->links[i];
		struct value *item = push_map(r, links);
		put_text(r, item, "name", *l->name ? l->name : l->url);
		put_text(r, item, "type", l->type);
		bool linkable = escape_url_allowed(l->url);
		put_text(r, item, "url", linkable ? l->url : NULL);
		put_text(r, item, "text", linkable ? NULL : l->url);
	}
	struct value *contacts = put_list(r, v, "contacts");
	for (size_t i = 0; i < ent->contact_count; i++) {
		const struct contact *c = &ent->contacts[i];
		struct value *item = push_map(r, contacts);
		put_text(r, item, "name", *c->name ? c->name : c->contact);
		put_text(r, item, "type", c->type);
		put_text(r, item, "contact", c->contact);
		bool web = strncmp(c->contact, "https://", 8) == 0 ||
			   strncmp(c->contact, "http://", 7) == 0;
		if (web)
			put_url(r, item, "url", c->contact);
		else if (strcmp(c->type, "email") == 0 && strchr(c->contact, '@') &&
			 !strpbrk(c->contact, " <>\"'?&"))
			put_text(r, item, "url",
				 arena_printf(r->mem, "mailto:%s", c->contact));
		else
			put(r, item, "url", NULL);
	}
	struct value *integrations = put_list(r, v, "integrations");
	for (size_t i = 0; i < ent->integration_count; i++) {
		struct value *item = push_map(r, integrations);
		put_text(r, item, "name", ent->integrations[i].name);
		put_url(r, item, "url", ent->integrations[i].url);
	}
	struct value *deps = put_list(r, v, "dependencies");
	for (size_t i = 0; i < ent->dependency_count; i++)
		value_seq_push(r->mem, deps, reference_link(r, ent->dependencies[i]));
	struct value *users = put_list(r, v, "dependents");
	for (size_t i = 0; i < r->dependent_count[e]; i++)
		value_seq_push(r->mem, users, entity_link(r, r->dependents[e][i]));
	struct value *source = put_map(r, v, "source");
	put_text(r, source, "path", ent->place.src ? ent->place.src->path : "");
	put_count(r, source, "line", ent->place.line);
	put_text(r, v, "format", ent->format_version);
}

/* Whether a campaign rule still needs work for an entity in its scope. */
static bool state_open(const struct eval *ev, enum rule_state s)
{
	return s == STATE_FAIL || (s == STATE_NO_DATA && ev->no_data_fails);
}

static int render_entity(struct render *r, size_t e)
{
	const struct site *site = r->site;
	const struct eval *ev = r->ev;
	const struct entity *ent = site->entities[e];
	size_t scs = site->scorecard_count;
	struct value *ctx = page_begin(r, r->entity_page[e], "entity", "entities",
				       ent->display_name);
	put_entity_metadata(r, ctx, e);
	put(r, ctx, "score", score_value(r, entity_total_score(r, e), &r->entity_totals[e]));
	put_bool(r, ctx, "failing", entity_failing(r, e));

	struct value *scorecards = put_list(r, ctx, "scorecards");
	struct value *badges = put_list(r, ctx, "badges");
	for (size_t s = 0; s < scs; s++) {
		const struct scorecard *sc = site->scorecards[s];
		const struct entity_score *es = &ev->entity_scores[e * scs + s];
		struct value *v = scorecard_link(r, s);
		value_seq_push(r->mem, scorecards, v);
		put_bool(r, v, "in_scope", es->in_scope);
		if (!es->in_scope) {
			put(r, v, "score", NULL);
			put(r, v, "level", NULL);
			put(r, v, "levels", NULL);
			continue;
		}
		put(r, v, "score", score_value(r, es->score, &es->tally));
		put(r, v, "level", level_value(r, sc, es->level));
		struct value *levels = put_list(r, v, "levels");
		for (size_t l = 0; l < sc->level_count; l++) {
			int number = sc->levels[l].number;
			struct value *level = push_map(r, levels);
			put_number(r, level, "number", number);
			put_text(r, level, "name", sc->levels[l].name);
			put_bool(r, level, "reached", es->level >= number);
			struct value *rules = put_list(r, level, "rules");
			size_t passed = 0, total = 0;
			for (size_t i = 0; i < sc->rule_count; i++) {
				if (sc->rules[i].level != number)
					continue;
				size_t ri = ev->rule_offset[s] + i;
				const struct rule_result *res = eval_result(ev, e, ri);
				struct value *rule = rule_link(r, ri);
				value_seq_push(r->mem, rules, rule);
				put(r, rule, "state", state_value(r, res));
				if (res->state == STATE_SKIP || res->state == STATE_EXEMPT)
					continue;
				total++;
				passed += res->state == STATE_PASS;
			}
			put_count(r, level, "passed", passed);
			put_count(r, level, "total", total);
		}

		const char *svg = arena_printf(r->mem, "%s%s.svg",
					       r->entity_badges[e], r->scorecard_slug[s]);
		const char *url = absolute_url(r, svg);
		const char *page = absolute_url(r, r->entity_page[e]);
		const char *alt = arena_printf(r->mem, "%s: %s", sc->name,
					       level_name(sc, es->level));
		struct value *badge = push_map(r, badges);
		put_text(r, badge, "scorecard", sc->name);
		put_text(r, badge, "src", href(r, svg));
		put_text(r, badge, "url", url);
		put_text(r, badge, "markdown",
			 arena_printf(r->mem, "[![%s](%s)](%s)", alt, url, page));
		struct buf html = BUF_INIT;
		buf_adds(&html, "<a href=\"");
		escape_html(&html, page, strlen(page));
		buf_adds(&html, "\"><img src=\"");
		escape_html(&html, url, strlen(url));
		buf_adds(&html, "\" alt=\"");
		escape_html(&html, alt, strlen(alt));
		buf_adds(&html, "\"></a>");
		put(r, badge, "html", copy_of(r, html.data, html.len));
		buf_release(&html);
	}

	struct value *campaigns = put_list(r, ctx, "campaigns");
	for (size_t c = 0; c < site->campaign_count; c++) {
		if (!r->in_campaign[c * site->entity_count + e])
			continue;
		const struct campaign *camp = site->campaigns[c];
		struct value *v = campaign_row(r, c);
		value_seq_push(r->mem, campaigns, v);
		struct value *rules = put_list(r, v, "rules");
		size_t open = 0;
		for (size_t i = 0; i < camp->rule_count; i++) {
			const struct campaign_rule *cr = &camp->rules[i];
			size_t ri = eval_rule_index(ev, cr->rule);
			const struct rule_result *res = eval_result(ev, e, ri);
			struct value *rule = rule_link(r, ri);
			value_seq_push(r->mem, rules, rule);
			put(r, rule, "state", state_value(r, res));
			bool is_open = state_open(ev, res->state);
			open += is_open;
			put_bool(r, rule, "open", is_open);
			put_text(r, rule, "guidance_html", r->guidance_html[c][i]);
			put_url(r, rule, "docs", cr->docs);
			put_url(r, rule, "workflow", cr->workflow);
		}
		put_count(r, v, "open", open);
	}
	return page_end(r, "entity", r->entity_page[e], ctx);
}

/* Teams parents first, children in id order under them, with depths. */
static void team_order(const struct site *site, size_t *order, size_t *depth)
{
	size_t n = site->team_count, count = 0;
	bool *placed = xcalloc(n + 1, sizeof(*placed));
	size_t *stack = xcalloc(n + 1, sizeof(*stack));
	for (size_t root = 0; root < n; root++) {
		const char *parent = site->teams[root]->parent;
		if (placed[root] || (parent && site_team_index(site, parent) != SITE_NONE))
			continue;
		/* Depth-first with an explicit stack; children are pushed in
		 * reverse so they come out in id order. */
		size_t top = 0;
		stack[top++] = root;
		depth[root] = 0;
		while (top) {
			size_t t = stack[--top];
			if (placed[t])
				continue;
			placed[t] = true;
			order[count++] = t;
			for (size_t c = n; c-- > 0;) {
				const char *p = site->teams[c]->parent;
				if (!placed[c] && p && strcmp(p, site->teams[t]->id) == 0 &&
				    top < n) {
					depth[c] = depth[t] + 1;
					stack[top++] = c;
				}
			}
		}
	}
	/* Teams in a parent cycle (an error `check` reports) still get a row. */
	for (size_t t = 0; t < n; t++)
		if (!placed[t]) {
			depth[t] = 0;
			order[count++] = t;
		}
	free(stack);
	free(placed);
}

static int render_teams(struct render *r)
{
	const struct site *site = r->site;
	struct value *ctx = page_begin(r, "teams/index.html", "teams", "teams", "Teams");
	size_t *order = xcalloc(site->team_count + 1, sizeof(*order));
	size_t *depth = xcalloc(site->team_count + 1, sizeof(*depth));
	team_order(site, order, depth);
	struct value *list = put_list(r, ctx, "teams");
	for (size_t i = 0; i < site->team_count; i++) {
		size_t t = order[i];
		struct value *v = team_row(r, t);
		value_seq_push(r->mem, list, v);
		put_count(r, v, "depth", depth[t]);
		struct value *indent = put_list(r, v, "indent");
		for (size_t d = 0; d < depth[t]; d++)
			push_map(r, indent);
		put(r, v, "parent", site->teams[t]->parent
			? team_link(r, site->teams[t]->parent) : NULL);
	}
	free(order);
	free(depth);
	return page_end(r, "teams", "teams/index.html", ctx);
}

static const char *const team_origins[] = {
	[TEAM_FROM_FILE] = "file",
	[TEAM_FROM_GROUP] = "group",
	[TEAM_FROM_OWNER] = "owner",
};

/* Whether entity `e` belongs to team `t` or one of its sub-teams. */
static bool entity_in_team(const struct render *r, size_t e, size_t t)
{
	size_t n = r->site->team_count, u = r->entity_team[e];
	for (size_t depth = 0; u < n && depth <= n; depth++) {
		if (u == t)
			return true;
		u = r->team_parent[u];
	}
	return false;
}

struct fix {
	size_t rule, failing, level;
	double weight;
};

/* Lowest level first, then most failing, heaviest, and by reference. */
static int fix_compare(const void *pa, const void *pb)
{
	const struct fix *a = pa, *b = pb;
	if (a->level != b->level)
		return a->level < b->level ? -1 : 1;
	if (a->failing != b->failing)
		return a->failing > b->failing ? -1 : 1;
	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return a->rule < b->rule ? -1 : a->rule > b->rule;
}

/* The rules that fail most for `members` (entity indices, in order). */
static void put_fix_first(struct render *r, struct value *ctx,
			  const size_t *members, size_t member_count)
{
	const struct eval *ev = r->ev;
	struct fix *fixes = xcalloc(ev->rule_total + 1, sizeof(*fixes));
	size_t n = 0;
	for (size_t ri = 0; ri < ev->rule_total; ri++) {
		size_t failing = 0;
		for (size_t i = 0; i < member_count; i++)
			failing += eval_result(ev, members[i], ri)->state == STATE_FAIL;
		if (failing)
			fixes[n++] = (struct fix){ ri, failing,
						   (size_t)r->rules[ri]->level,
						   r->rules[ri]->weight };
	}
	qsort(fixes, n, sizeof(*fixes), fix_compare);
	struct value *list = put_list(r, ctx, "fix_first");
	for (size_t i = 0; i < n && i < FIX_FIRST_COUNT; i++) {
		struct value *v = rule_link(r, fixes[i].rule);
		value_seq_push(r->mem, list, v);
		put_count(r, v, "failing", fixes[i].failing);
		struct value *entities = put_list(r, v, "entities");
		size_t shown = 0;
		for (size_t m = 0; m < member_count && shown < FIX_FIRST_ENTITIES; m++)
			if (eval_result(ev, members[m], fixes[i].rule)->state == STATE_FAIL) {
				value_seq_push(r->mem, entities, entity_link(r, members[m]));
				shown++;
			}
		put_count(r, v, "more", fixes[i].failing - shown);
	}
	free(fixes);
}

static int render_team(struct render *r, size_t t)
{
	const struct site *site = r->site;
	const struct eval *ev = r->ev;
	const struct team *team = site->teams[t];
	size_t scs = site->scorecard_count;
	struct value *ctx = page_begin(r, r->team_page[t], "team", "teams", team->name);
	struct value *v = put_map(r, ctx, "team");
	put_text(r, v, "id", team->id);
	put_text(r, v, "name", team->name);
	put_text(r, v, "description", team->description);
	put_text(r, v, "slack", team->slack);
	put_strings(r, v, "members", team->members, team->member_count);
	put(r, v, "parent", team->parent ? team_link(r, team->parent) : NULL);
	put_text(r, v, "origin", team_origins[team->origin]);
	put(r, ctx, "score", score_value(r, r->team_overall[t], NULL));

	struct value *scorecards = put_list(r, ctx, "scorecards");
	for (size_t s = 0; s < scs; s++) {
		struct value *row = scorecard_link(r, s);
		value_seq_push(r->mem, scorecards, row);
		put(r, row, "score", score_value(r, ev->team_scores[t * scs + s].score, NULL));
	}
	struct value *entities = put_list(r, ctx, "entities");
	for (size_t i = 0; i < r->owned_count[t]; i++)
		value_seq_push(r->mem, entities, entity_row(r, r->owned[t][i]));
	size_t *members = xcalloc(site->entity_count + 1, sizeof(*members));
	size_t member_count = 0;
	for (size_t e = 0; e < site->entity_count; e++)
		if (entity_in_team(r, e, t))
			members[member_count++] = e;
	struct value *children = put_list(r, ctx, "children");
	for (size_t c = 0; c < site->team_count; c++) {
		const char *parent = site->teams[c]->parent;
		if (parent && strcmp(parent, team->id) == 0)
			value_seq_push(r->mem, children, team_row(r, c));
	}
	struct value *campaigns = put_list(r, ctx, "campaigns");
	for (size_t c = 0; c < site->campaign_count; c++) {
		const struct campaign_result *cr = &ev->campaigns[c];
		for (size_t i = 0; i < cr->team_count; i++) {
			if (strcmp(cr->by_team[i].key, team->id) != 0)
				continue;
			struct value *row = campaign_row(r, c);
			value_seq_push(r->mem, campaigns, row);
			put_part(r, row, &cr->by_team[i]);
			put_count(r, row, "open", cr->by_team[i].total - cr->by_team[i].pass);
		}
	}
	put_fix_first(r, ctx, members, member_count);
	free(members);
	return page_end(r, "team", r->team_page[t], ctx);
}

static int render_campaigns(struct render *r)
{
	const struct eval *ev = r->ev;
	struct value *ctx = page_begin(r, "campaigns/index.html", "campaigns",
				       "campaigns", "Campaigns");
	size_t n = r->site->campaign_count;
	const struct campaign_result **sorted = xcalloc(n + 1, sizeof(*sorted));
	for (size_t c = 0; c < n; c++)
		sorted[c] = &ev->campaigns[c];
	qsort(sorted, n, sizeof(*sorted), campaign_due_compare);
	struct value *active = put_list(r, ctx, "active");
	struct value *upcoming = put_list(r, ctx, "upcoming");
	struct value *past = put_list(r, ctx, "past");
	for (size_t i = 0; i < n; i++) {
		enum campaign_status st = sorted[i]->status;
		struct value *list = campaign_active(sorted[i]) ? active
				   : st == CAMPAIGN_NOT_STARTED ? upcoming : past;
		value_seq_push(r->mem, list,
			       campaign_row(r, (size_t)(sorted[i] - ev->campaigns)));
	}
	free(sorted);
	put_bool(r, ctx, "any_active", active->count > 0);
	put_bool(r, ctx, "any_upcoming", upcoming->count > 0);
	put_bool(r, ctx, "any_past", past->count > 0);
	return page_end(r, "campaigns", "campaigns/index.html", ctx);
}

/* The ticket link: `template` with {title}, {body}, {team}, {campaign}
 * replaced by their URL-encoded text. */
static const char *ticket_url(struct render *r, const char *template,
			      const char *title, const char *body,
			      const char *team, const char *campaign)
{
	static const char *const names[] = { "{title}", "{body}", "{team}", "{campaign}" };
	const char *values[] = { title, body, team, campaign };
	struct buf out = BUF_INIT;
	for (const char *p = template; *p;) {
		size_t i = 0;
		for (; i < 4; i++)
			if (strncmp(p, names[i], strlen(names[i])) == 0)
				break;
		if (i < 4) {
			escape_url_component(&out, values[i]);
			p += strlen(names[i]);
		} else {
			buf_addch(&out, *p++);
		}
	}
	const char *url = arena_strdup(r->mem, out.data);
	buf_release(&out);
	return url;
}

/* The follow-up a campaign owner sends a team with open work. */
static const char *follow_up(struct render *r, const struct campaign_result *cr,
			     const char *team_name, size_t open, struct buf *lines,
			     const char *page_url)
{
	const struct campaign *c = cr->campaign;
	struct buf msg = BUF_INIT;
	char day[11];
	buf_addf(&msg, "Hi %s,\n\nthe campaign \"%s\"", team_name, c->name);
	if (c->has_due) {
		date_format(c->due, day);
		buf_addf(&msg, " (due %s, %s)", day, campaign_when(r, cr));
	}
	buf_addf(&msg, " still has %zu open item%s for your team:\n\n", open,
		 open == 1 ? "" : "s");
	buf_add(&msg, lines->data, lines->len);
	buf_addf(&msg, "\nWhat to do, with guidance for each rule: %s\n"
		 "Thank you!\n", page_url);
	const char *text = arena_strdup(r->mem, msg.data);
	buf_release(&msg);
	return text;
}

static int render_campaign(struct render *r, size_t c)
{
	const struct site *site = r->site;
	const struct eval *ev = r->ev;
	const struct campaign_result *cr = &ev->campaigns[c];
	const struct campaign *camp = cr->campaign;
	struct value *ctx = page_begin(r, r->campaign_page[c], "campaign",
				       "campaigns", camp->name);
	struct value *v = campaign_row(r, c);
	put(r, ctx, "campaign", v);
	put(r, v, "description_html", markdown_value(r, camp->description));
	put_text(r, v, "scope", camp->scope);
	put_count(r, v, "entities", cr->entity_count);

	struct value *by_team = put_list(r, ctx, "by_team");
	for (size_t i = 0; i < cr->team_count; i++) {
		const char *key = cr->by_team[i].key;
		struct value *row = team_link(r, *key ? key : NULL);
		value_seq_push(r->mem, by_team, row);
		put_part(r, row, &cr->by_team[i]);
	}
	size_t *rule_index = xcalloc(camp->rule_count + 1, sizeof(*rule_index));
	struct value *by_rule = put_list(r, ctx, "by_rule");
	for (size_t i = 0; i < camp->rule_count; i++) {
		const struct campaign_rule *rule = &camp->rules[i];
		rule_index[i] = eval_rule_index(ev, rule->rule);
		struct value *row = rule_link(r, rule_index[i]);
		value_seq_push(r->mem, by_rule, row);
		put_part(r, row, &cr->by_rule[i]);
		put_text(r, row, "guidance_html", r->guidance_html[c][i]);
		put_url(r, row, "docs", rule->docs);
		put_url(r, row, "workflow", rule->workflow);
	}

	/* Open work, team by team in id order, the unowned last. */
	const char *page_url = absolute_url(r, r->campaign_page[c]);
	const char *template = r->conf->ticket_url_template;
	struct value *teams = put_list(r, ctx, "teams");
	struct buf lines = BUF_INIT;
	for (size_t t = 0; t <= site->team_count; t++) {
		const char *id = t < site->team_count ? site->teams[t]->id : NULL;
		struct value *entities = NULL, *row = NULL;
		size_t open = 0;
		buf_reset(&lines);
		for (size_t k = 0; k < r->owned_count[t]; k++) {
			size_t e = r->owned[t][k];
			const struct entity *ent = site->entities[e];
			if (!r->in_campaign[c * site->entity_count + e])
				continue;
			struct value *rules = NULL;
			for (size_t i = 0; i < camp->rule_count; i++) {
				const struct rule_result *res = eval_result(ev, e, rule_index[i]);
				if (!state_open(ev, res->state))
					continue;
				if (!row) {
					row = team_link(r, id);
					value_seq_push(r->mem, teams, row);
					entities = put_list(r, row, "entities");
				}
				if (!rules) {
					struct value *ev_row = entity_link(r, e);
					value_seq_push(r->mem, entities, ev_row);
					rules = put_list(r, ev_row, "rules");
					buf_addf(&lines, "- %s (%s):", ent->display_name, ent->ref);
				}
				struct value *rule = rule_link(r, rule_index[i]);
				value_seq_push(r->mem, rules, rule);
				put(r, rule, "state", state_value(r, res));
				buf_addf(&lines, "%s %s", rules->count > 1 ? "," : "",
					 camp->rules[i].rule->name);
				open++;
			}
			if (rules)
				buf_addch(&lines, '\n');
		}
		if (!row)
			continue;
		const char *team_name = id ? site->teams[t]->name : "team";
		put_count(r, row, "open", open);
		const char *message = follow_up(r, cr, team_name, open, &lines, page_url);
		put_text(r, row, "message", message);
		if (template && *template) {
			const char *title = arena_printf(r->mem, "%s: %zu open item%s for %s",
							 camp->name, open, open == 1 ? "" : "s",
							 team_name);
			put_text(r, row, "ticket_url",
				 ticket_url(r, template, title, message, id ? id : "",
					    camp->key));
		}
	}
	buf_release(&lines);
	free(rule_index);
	return page_end(r, "campaign", r->campaign_page[c], ctx);
}

static int render_markdown_page(struct render *r, size_t p)
{
	const struct page *page = r->site->pages[p];
	struct value *ctx = page_begin(r, r->markdown_page[p], "page",
				       r->markdown_page[p], page->title);
	struct value *v = put_map(r, ctx, "page");
	put_text(r, v, "slug", page->slug);
	put_text(r, v, "title", page->title);
	put(r, v, "body_html", markdown_value(r, page->body));
	return page_end(r, "page", r->markdown_page[p], ctx);
}

/* One badge per entity and scorecard it is in scope of. */
static int render_badges(struct render *r)
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
							r->entity_badges[e],
							r->scorecard_slug[s]);
			if (stage(r, path, &r->text) < 0)
				return -1;
		}
	return 0;
}

static int render_data(struct render *r)
{
	static const struct report_filter all = { NULL, NULL, NULL };
	static const struct {
		const char *path;
		void (*write)(const struct eval *, const struct report_filter *,
			      struct buf *);
	} reports[] = {
		{ "data/results.json", report_json },
		{ "data/results.csv", report_csv },
		{ "data/results.junit.xml", report_junit },
	};
	for (size_t i = 0; i < sizeof(reports) / sizeof(reports[0]); i++) {
		buf_reset(&r->text);
		reports[i].write(r->ev, &all, &r->text);
		if (stage(r, reports[i].path, &r->text) < 0)
			return -1;
	}
	buf_reset(&r->text);
	report_outcomes(r->ev, &r->text);
	return stage(r, "data/outcomes.json", &r->text);
}

/* ---- setup ----------------------------------------------------------- */

/* File names for everything, from slugs that cannot collide. */
static void assign_paths(struct render *r)
{
	const struct site *site = r->site;
	struct arena *a = &r->run;
	struct slug_set set;

	r->entity_page = arena_alloc_array(a, site->entity_count + 1, sizeof(char *));
	r->entity_badges = arena_alloc_array(a, site->entity_count + 1, sizeof(char *));
	struct slug_set kinds, names;
	slug_set_init(&kinds);
	slug_set_init(&names);
	const char *kind = NULL, *kind_slug = NULL;
	for (size_t e = 0; e < site->entity_count; e++) {
		const struct entity *ent = site->entities[e];
		/* Entities are sorted by reference, so a kind's are together. */
		if (!kind || strcmp(kind, ent->kind) != 0) {
			kind = ent->kind;
			kind_slug = slug_set_claim(&kinds, a, kind);
			slug_set_release(&names);
			slug_set_init(&names);
		}
		const char *name = ent->namespace_
			? arena_printf(a, "%s/%s", ent->namespace_, ent->name)
			: ent->name;
		const char *slug = slug_set_claim(&names, a, name);
		r->entity_page[e] = arena_printf(a, "entities/%s/%s.html", kind_slug, slug);
		r->entity_badges[e] = arena_printf(a, "badges/%s/%s/", kind_slug, slug);
	}
	slug_set_release(&names);
	slug_set_release(&kinds);

	slug_set_init(&set);
	slug_set_reserve(&set, "index");
	r->team_page = arena_alloc_array(a, site->team_count + 1, sizeof(char *));
	for (size_t t = 0; t < site->team_count; t++)
		r->team_page[t] = arena_printf(a, "teams/%s.html",
					       slug_set_claim(&set, a, site->teams[t]->id));
	slug_set_release(&set);

	slug_set_init(&set);
	slug_set_reserve(&set, "index");
	r->scorecard_page = arena_alloc_array(a, site->scorecard_count + 1, sizeof(char *));
	r->scorecard_slug = arena_alloc_array(a, site->scorecard_count + 1, sizeof(char *));
	r->rules = arena_alloc_array(a, r->ev->rule_total + 1, sizeof(*r->rules));
	r->rule_page = arena_alloc_array(a, r->ev->rule_total + 1, sizeof(char *));
	r->rule_anchor = arena_alloc_array(a, r->ev->rule_total + 1, sizeof(char *));
	for (size_t s = 0; s < site->scorecard_count; s++) {
		const struct scorecard *sc = site->scorecards[s];
		const char *slug = slug_set_claim(&set, a, sc->id);
		r->scorecard_slug[s] = slug;
		r->scorecard_page[s] = arena_printf(a, "scorecards/%s.html", slug);
		struct slug_set rules;
		slug_set_init(&rules);
		for (size_t i = 0; i < sc->rule_count; i++) {
			size_t ri = r->ev->rule_offset[s] + i;
			const char *rule_slug = slug_set_claim(&rules, a, sc->rules[i].id);
			r->rules[ri] = &sc->rules[i];
			r->rule_page[ri] = arena_printf(a, "rules/%s/%s.html", slug, rule_slug);
			r->rule_anchor[ri] = arena_printf(a, "rule-%s-%s", slug, rule_slug);
		}
		slug_set_release(&rules);
	}
	slug_set_release(&set);

	slug_set_init(&set);
	slug_set_reserve(&set, "index");
	r->campaign_page = arena_alloc_array(a, site->campaign_count + 1, sizeof(char *));
	for (size_t c = 0; c < site->campaign_count; c++)
		r->campaign_page[c] = arena_printf(a, "campaigns/%s.html",
						   slug_set_claim(&set, a, site->campaigns[c]->key));
	slug_set_release(&set);

	slug_set_init(&set);
	r->markdown_page = arena_alloc_array(a, site->page_count + 1, sizeof(char *));
	for (size_t p = 0; p < site->page_count; p++)
		r->markdown_page[p] = arena_printf(a, "pages/%s.html",
						   slug_set_claim(&set, a, site->pages[p]->slug));
	slug_set_release(&set);
}

/* Totals across scorecards, team roll-ups, campaign membership and
 * reverse dependencies: what several pages need, computed once. */
static void compute_tables(struct render *r)
{
	const struct site *site = r->site;
	const struct eval *ev = r->ev;
	struct arena *a = &r->run;
	size_t n = site->entity_count, scs = site->scorecard_count;

	r->entity_totals = arena_alloc_array(a, n + 1, sizeof(*r->entity_totals));
	for (size_t e = 0; e < n; e++)
		for (size_t s = 0; s < scs; s++) {
			const struct entity_score *es = &ev->entity_scores[e * scs + s];
			if (!es->in_scope)
				continue;
			tally_sum(&r->entity_totals[e], &es->tally);
		}

	size_t teams = site->team_count;
	r->entity_team = arena_alloc_array(a, n + 1, sizeof(size_t));
	r->team_parent = arena_alloc_array(a, teams + 1, sizeof(size_t));
	r->owned = arena_alloc_array(a, teams + 1, sizeof(size_t *));
	r->owned_count = arena_alloc_array(a, teams + 1, sizeof(size_t));
	for (size_t t = 0; t < teams; t++) {
		const char *parent = site->teams[t]->parent;
		r->team_parent[t] = parent ? site_team_index(site, parent) : SITE_NONE;
	}
	for (size_t e = 0; e < n; e++) {
		const char *owner = site->entities[e]->owner;
		size_t t = owner ? site_team_index(site, owner) : SITE_NONE;
		r->entity_team[e] = t == SITE_NONE ? teams : t;
		r->owned_count[r->entity_team[e]]++;
	}
	for (size_t t = 0; t <= teams; t++) {
		r->owned[t] = arena_alloc_array(a, r->owned_count[t] + 1, sizeof(size_t));
		r->owned_count[t] = 0;
	}
	for (size_t e = 0; e < n; e++) {
		size_t t = r->entity_team[e];
		r->owned[t][r->owned_count[t]++] = e;
	}

	/* A team's overall score: the mean of its entities' (sub-teams'
	 * included), as for one scorecard. */
	r->team_overall = arena_alloc_array(a, site->team_count + 1, sizeof(double));
	r->team_scored = arena_alloc_array(a, site->team_count + 1, sizeof(size_t));
	for (size_t e = 0; e < n; e++) {
		double score = eval_tally_score(&r->entity_totals[e]);
		if (isnan(score))
			continue;
		size_t t = r->entity_team[e];
		for (size_t depth = 0; t < teams && depth <= teams; depth++) {
			r->team_overall[t] += score;
			r->team_scored[t]++;
			t = r->team_parent[t];
		}
	}
	for (size_t t = 0; t < site->team_count; t++)
		r->team_overall[t] = r->team_scored[t]
			? r->team_overall[t] / (double)r->team_scored[t] : NAN;

	r->in_campaign = arena_alloc_array(a, site->campaign_count * n + 1, sizeof(bool));
	for (size_t c = 0; c < site->campaign_count; c++) {
		const struct query *scope = site->campaigns[c]->scope_query;
		for (size_t e = 0; e < n; e++)
			r->in_campaign[c * n + e] = !scope || query_match(scope, site->entities[e]);
	}

	for (size_t d = 0; d <= MAX_DEPTH; d++) {
		r->entity_links[d] = arena_alloc_array(a, n + 1, sizeof(struct value *));
		r->team_links[d] = arena_alloc_array(a, site->team_count + 1,
						     sizeof(struct value *));
		r->scorecard_links[d] = arena_alloc_array(a, scs + 1, sizeof(struct value *));
		r->rule_links[d] = arena_alloc_array(a, ev->rule_total + 1,
						     sizeof(struct value *));
	}

	/* Guidance shows on every entity page of a campaign: render it once. */
	r->guidance_html = arena_alloc_array(a, site->campaign_count + 1, sizeof(char **));
	for (size_t c = 0; c < site->campaign_count; c++) {
		const struct campaign *camp = site->campaigns[c];
		r->guidance_html[c] = arena_alloc_array(a, camp->rule_count + 1, sizeof(char *));
		for (size_t i = 0; i < camp->rule_count; i++) {
			if (!camp->rules[i].guidance)
				continue;
			struct buf html = BUF_INIT;
			markdown_render(&html, camp->rules[i].guidance,
					strlen(camp->rules[i].guidance), 1);
			r->guidance_html[c][i] = arena_strndup(a, html.data, html.len);
			buf_release(&html);
		}
	}

	/* Reverse dependencies: count, allocate, fill. Entities come in index
	 * order, so a dependency an entity lists twice is the last one added. */
	r->dependent_count = arena_alloc_array(a, n + 1, sizeof(size_t));
	r->dependents = arena_alloc_array(a, n + 1, sizeof(size_t *));
	for (int fill = 0; fill < 2; fill++) {
		for (size_t e = 0; e < n; e++) {
			const struct entity *ent = site->entities[e];
			for (size_t i = 0; i < ent->dependency_count; i++) {
				size_t d = site_entity_index(site, ent->dependencies[i]);
				if (d == SITE_NONE || d == e)
					continue;
				size_t *count = &r->dependent_count[d];
				if (!fill)
					(*count)++;
				else if (!*count || r->dependents[d][*count - 1] != e)
					r->dependents[d][(*count)++] = e;
			}
		}
		for (size_t e = 0; !fill && e < n; e++) {
			r->dependents[e] = arena_alloc_array(a, r->dependent_count[e] + 1,
							     sizeof(size_t));
			r->dependent_count[e] = 0;
		}
	}
}

int site_load_theme(struct mustache_cache *theme, const char *templates_dir,
		    struct errlist *errors)
{
	int status = 0;
	for (size_t i = 0; site_templates[i]; i++) {
		const struct mustache_template *t;
		struct err e = ERR_INIT;
		int found = mustache_get(theme, site_templates[i], &t, &e);
		if (found == 0)
			continue;
		if (found > 0)
			errlist_path(errors, ERR_ERROR, templates_dir,
				     "the theme has no template '%s.mustache'",
				     site_templates[i]);
		else
			errlist_add(errors, &e);
		err_release(&e);
		status = -1;
	}
	return status;
}

int site_render(const struct eval *ev, const struct conf *conf,
		const struct errlist *problems, struct mustache_cache *theme,
		struct output *out, size_t *pages, bool *io_error,
		struct err *e)
{
	const struct site *site = ev->site;
	struct render r = {
		.ev = ev, .site = site, .conf = conf, .problems = problems,
		.theme = theme, .out = out, .run = ARENA_INIT, .scratch = ARENA_INIT,
		.text = BUF_INIT, .e = e,
	};
	int status = -1;
	r.mem = &r.scratch;
	assign_paths(&r);
	compute_tables(&r);
	if (render_index(&r) < 0 || render_problems(&r) < 0 ||
	    render_scorecards(&r) < 0 || render_entities(&r) < 0 ||
	    render_teams(&r) < 0 || render_campaigns(&r) < 0)
		goto out;
	for (size_t s = 0; s < site->scorecard_count; s++)
		if (render_scorecard(&r, s) < 0)
			goto out;
	for (size_t ri = 0; ri < ev->rule_total; ri++)
		if (render_rule(&r, ri) < 0)
			goto out;
	for (size_t i = 0; i < site->entity_count; i++)
		if (render_entity(&r, i) < 0)
			goto out;
	for (size_t t = 0; t < site->team_count; t++)
		if (render_team(&r, t) < 0)
			goto out;
	for (size_t c = 0; c < site->campaign_count; c++)
		if (render_campaign(&r, c) < 0)
			goto out;
	for (size_t p = 0; p < site->page_count; p++)
		if (render_markdown_page(&r, p) < 0)
			goto out;
	if (render_badges(&r) < 0 || render_data(&r) < 0)
		goto out;
	status = 0;
out:
	*pages = r.pages;
	*io_error = r.io_error;
	buf_release(&r.text);
	arena_release(&r.scratch);
	arena_release(&r.run);
	return status;
}
