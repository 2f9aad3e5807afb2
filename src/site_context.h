/*
 * site_context: building the values a page template is rendered with.
 *
 * Shared by the page modules (site_pages.c, site_entity.c, site_team.c,
 * site_campaign.c) and the driver (site.c). A page's context is a `struct
 * value` map built in a scratch arena emptied after each page; links and
 * keys that many pages share are built once per run and shallow-copied
 * (value_copy) onto each page, which is what keeps 10,000 entity pages
 * cheap. docs/templates.md ("Page contexts") documents every key; that
 * table is the contract with theme authors.
 *
 * Everything here reads the roll-up stage (rollup.h) and never computes a
 * figure of its own.
 */
#ifndef YARDSTICK_SITE_CONTEXT_H
#define YARDSTICK_SITE_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "err.h"
#include "mustache.h"
#include "output.h"
#include "rollup.h"
#include "site.h"
#include "site_layout.h"
#include "value.h"

/* A badge's scores: 0% to 100%, and none. */
enum { SITE_BADGE_SCORES = 102 };

/* Distinct keys of all contexts, with room to spare (a power of two).
 * A key is told by its literal's address, and a build that does not merge
 * equal literals (AddressSanitizer's) counts one per place that names it,
 * over 300 of them: half the slots must hold that. */
enum { SITE_KEY_SLOTS = 1024 };

/*
 * One site render in progress. With `build --jobs N` each thread renders
 * with its own copy (site.c): `run`, `scratch`, `mem`, `depth`, `text`,
 * `base`, `pages`, `failure`, `e`, the slots (links, sparklines, states)
 * and `keys` are its own; everything else is shared by all copies and is
 * only read while pages render. So a page function writes only to its
 * render's own fields and the output (output_write is thread-safe), never
 * to the model, the roll-up or a shared table, and does not touch the
 * history (SQLite): what pages need from it is loaded before (trends,
 * changes, entity lines). Lazily built values belong in a slot.
 */
struct render {
	const struct rollup *ru;
	const struct eval *ev;
	const struct site *site;
	const struct conf *conf;
	const struct errlist *problems;
	struct mustache_cache *theme;
	struct output *out;
	struct site_layout layout;
	struct arena run;     /* paths, tables and shared values for the run */
	struct arena scratch; /* one page's context, emptied after each page */
	struct arena *mem;    /* where values are built now: scratch or run */
	size_t depth;         /* folders between the root and the page */
	struct buf text;      /* one file's bytes */
	const char *base;     /* from the current page back to the root */
	size_t pages;
	enum site_status failure; /* set with `e` when a page fails */
	struct err *e;

	const char ***guidance_html; /* [campaign][rule]: rendered once, or NULL */
	size_t **dependents;         /* [entity]: entities depending on it */
	size_t *dependent_count;

	struct value **entity_links[SITE_MAX_DEPTH + 1];
	struct value **team_links[SITE_MAX_DEPTH + 1];
	struct value **scorecard_links[SITE_MAX_DEPTH + 1];
	struct value **rule_links[SITE_MAX_DEPTH + 1];
	struct value **campaign_rows[SITE_MAX_DEPTH + 1]; /* whole campaign */
	struct value *state_values[STATE_EXEMPT + 1];
	/* [scorecard][(level + 1) * SITE_BADGE_SCORES + percent]: an entity
	 * badge's SVG, made once per run (site_exports.c); its bytes depend on
	 * nothing else. Percent SITE_BADGE_SCORES - 1 stands for no score. */
	struct site_badge {
		const char *svg; /* NULL until made */
		size_t len;
	} **badges;
	struct history *history;                /* NULL without a history */
	struct trends *trends;                  /* NULL without a history */
	struct series_export *series;           /* data/history/, being written */
	struct entity_line *entity_lines;       /* [entity * scorecard_count +
						   scorecard], site_trends.c */
	struct site_changes *changes;           /* NULL without a history */
	struct value **team_sparklines;         /* [team] */
	struct value **scorecard_sparklines;    /* [scorecard] */
	struct key_slot {
		const char *literal;
		struct value *key;
	} keys[SITE_KEY_SLOTS];
	size_t key_count;
};

/* ---- values: all built in r->mem ------------------------------------ */

struct value *ctx_map(struct render *r);
/* Text in a buffer about to change: copied into the page's arena. */
struct value *ctx_copy(struct render *r, const char *s, size_t len);

/*
 * Put `v` under `key` (a string literal: keys are interned by address).
 * NULL puts an explicit null, so Mustache never finds the same name
 * further up the context. A key already in `map` is a BUG(): a second
 * value would be shadowed by the first and the page would show the wrong
 * figure without a word.
 */
void put(struct render *r, struct value *map, const char *key, struct value *v);
void put_text(struct render *r, struct value *map, const char *key, const char *s);
void put_number(struct render *r, struct value *map, const char *key, double d);
void put_count(struct render *r, struct value *map, const char *key, size_t n);
void put_bool(struct render *r, struct value *map, const char *key, bool b);
void put_day(struct render *r, struct value *map, const char *key, day_t d);
struct value *put_map(struct render *r, struct value *map, const char *key);
struct value *put_list(struct render *r, struct value *map, const char *key);
struct value *push_map(struct render *r, struct value *list);
/* A tally's counts: "pass", "fail", "no_data", "exempt", "skip". */
void put_tally(struct render *r, struct value *map, const struct tally *t);
void push_text(struct render *r, struct value *list, const char *s);
void put_strings(struct render *r, struct value *map, const char *key,
		 const char *const *items, size_t n);
/* A URL from content, only when it is one we may link to. */
void put_url(struct render *r, struct value *map, const char *key, const char *url);
/* Markdown from content as HTML; NULL for NULL. */
struct value *markdown_value(struct render *r, const char *markdown);

/* A root-relative path as seen from the current page. */
const char *href(struct render *r, const char *path);
/* An absolute URL from base_url, for text meant to leave the site. */
const char *absolute_url(struct render *r, const char *path);

/*
 * A value many pages share: built in the run's arena into `*slot` on first
 * use by `build(r, index)`, then shallow-copied onto each page, which may
 * extend its copy. NULL when `build` gives NULL.
 */
typedef struct value *(*ctx_build_fn)(struct render *r, size_t index);
struct value *ctx_shared(struct render *r, struct value **slot,
			 ctx_build_fn build, size_t index);

/* ---- figures -------------------------------------------------------- */

/* A score as {text, percent, fraction (percent / 100: a <meter> value),
 * band, counts}; NULL (null) for NaN. With a tally, `counts` carries its
 * states, its weighted points and `weighted`: whether rule weights make
 * the percentage differ from pass ÷ counted. */
struct value *score_value(struct render *r, double score, const struct tally *t);
/* A campaign slice's pass, total and progress. */
void put_part(struct render *r, struct value *v, const struct campaign_part *part);
struct value *state_value(struct render *r, const struct rule_result *res);
const char *level_name(const struct scorecard *sc, int level);
struct value *level_value(struct render *r, const struct scorecard *sc, int level);

/* ---- links and rows ------------------------------------------------- */

struct value *entity_link(struct render *r, size_t e);
/* entity_link() as seen from entity `from`'s own page: an entity in the
 * same folder (one of the same kind) is linked by its file name alone
 * ("svc-2.html", not "../../entities/service/svc-2.html"); others as
 * entity_link() gives them. Not shared: a few per page. */
struct value *entity_link_from(struct render *r, size_t from, size_t e);
/* An entity by reference: linked when it is in the catalog, else its
 * reference with no href (a dependency outside it, one that is gone). */
struct value *entity_link_by_ref(struct render *r, const char *ref);
/* A team by index, or team_count for "no owner". */
struct value *team_link_index(struct render *r, size_t t);
/* A team by id; NULL means "no owner", an unknown id is shown unlinked. */
struct value *team_link(struct render *r, const char *id);
/* Entity `e`'s owner, as team_link(r, its owner) gives it, without
 * looking the team up again. */
struct value *entity_owner_link(struct render *r, size_t e);
struct value *scorecard_link(struct render *r, size_t s);
struct value *rule_link(struct render *r, size_t ri);
struct value *rule_row(struct render *r, size_t ri);
struct value *entity_row(struct render *r, size_t e);
struct value *scorecard_row(struct render *r, size_t s);
struct value *team_row(struct render *r, size_t t);
/* A campaign with its progress: the whole campaign's, or `part`'s (a
 * team's share) when not NULL. */
struct value *campaign_row(struct render *r, size_t c,
			   const struct campaign_part *part);

/* Active campaigns by due date (open-ended last), then key. */
int campaign_due_compare(const void *pa, const void *pb);

/* ---- pagination ----------------------------------------------------- */

/*
 * Long lists are split into static pages of `page_rows` rows (site.conf,
 * default 500): page 1 at the page's own path, the others at
 * site_layout_page_path(). Page 1 has the page's summary sections, every
 * page its slice of the list, rows [from, to). docs/site.md
 * ("Pagination") says which lists, docs/templates.md the keys.
 */
struct pager {
	const char *first; /* path of page 1 */
	const char *base_title;
	size_t rows;       /* in the whole list */
	size_t count;      /* pages: at least 1 */
	size_t number;     /* this page, from 1 */
	size_t from, to;   /* this page's rows */
	const char *path;  /* this page's path (in the run's arena) */
	const char *title; /* the title with "page n of count" after page 1 */
};

/* Page 1 of a list of `rows` rows on the page at `first` titled `title`. */
struct pager pager_first(struct render *r, const char *first, size_t rows,
			 const char *title);
/* Move to the next page: false after the last. */
bool pager_next(struct render *r, struct pager *pg);
/*
 * A list made of sections one after the other (a rule's failing, then
 * passing entities): the rows of the section [start, start + n) on this
 * page, as indexes into the section, [*lo, *hi). True when the page shows
 * the section: it has rows here, or it is empty and this is page 1 (where
 * the template says it is empty).
 */
bool pager_section(const struct pager *pg, size_t start, size_t n,
		   size_t *lo, size_t *hi);

/*
 * Put what a paginated page's template needs on `ctx` (from page_begin):
 * `later_page` (true after page 1) and `pagination`, null when the list
 * fits one page, else `number`, `count`, `from`, `to` (1-based, inclusive),
 * `rows`, `prev` and `next` (hrefs or null), and `pages`: page 1, the last,
 * and the pages near this one, each `number`, `href` (null for this page)
 * and `gap` (pages left out before it).
 */
void put_pagination(struct render *r, struct value *ctx, const struct pager *pg);

/* ---- pages ---------------------------------------------------------- */

/* Start a page at root-relative `path`: the scratch arena is emptied and a
 * context with the keys every page has is returned. */
struct value *page_begin(struct render *r, const char *path,
			 const char *page_type, const char *section,
			 const char *title);
/* Render `template` with `ctx` and stage it at `path`. 0, or -1 with
 * r->failure and r->e set. */
int page_end(struct render *r, const char *template, const char *path,
	     const struct value *ctx);
/* Stage one file of the site. 0, or -1 with r->failure and r->e set. */
int stage(struct render *r, const char *path, const struct buf *bytes);

#endif
