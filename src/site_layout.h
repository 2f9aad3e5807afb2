/*
 * site_layout: where every file of the site goes and how pages link to
 * each other.
 *
 * Every page, badge and rule anchor gets its root-relative path here,
 * from slugs (slug.h) that cannot collide, never from raw names. Links in
 * a page are relative to that page (href), so the site works from any
 * folder and from file://; text meant to leave the site (badge snippets,
 * follow-up messages, Slack) uses absolute URLs built on `base_url`.
 * The layout itself is documented in docs/site.md ("Output").
 */
#ifndef YARDSTICK_SITE_LAYOUT_H
#define YARDSTICK_SITE_LAYOUT_H

#include <stddef.h>

#include "arena.h"
#include "eval.h"

/* Pages live at most this many folders down (entities/<kind>/<name>,
 * rules/<scorecard>/<rule>/page-<n>). */
enum { SITE_MAX_DEPTH = 3 };

/* Root-relative paths, by model index; all in the arena given to
 * site_layout_assign. */
struct site_layout {
	const char **entity_page;    /* [entity] */
	/* [entity]: "badges/<kind>/<name>.", to which a badge adds
	 * "<scorecard>.svg": one folder per kind, not per entity, and no
	 * clash, as slugs never hold a '.' */
	const char **entity_badges;
	const char **team_page;      /* [team] */
	const char **scorecard_page; /* [scorecard] */
	const char **scorecard_slug; /* [scorecard]: also its badges' names */
	const char **campaign_page;  /* [campaign] */
	const char **markdown_page;  /* [page] */
	const char **rule_page;      /* [eval rule index] */
	const char **rule_anchor;    /* [eval rule index]: id on scorecard pages */
	const struct rule **rules;   /* [eval rule index] */
};

/* Assign every path for the site `ev` evaluated. Cannot fail. */
void site_layout_assign(struct arena *a, const struct eval *ev,
			struct site_layout *layout);

/*
 * The root-relative path of page `number` (from 1) of a paginated page
 * whose first page is `first`: `first` itself for 1, else "dir/name.html"
 * -> "dir/name/page-<n>.html". Nothing else uses that folder: pages are
 * files named "<slug>.html", and the folders beside them that hold other
 * pages (entities/<kind>/) never take the slug "index". In `a`.
 */
const char *site_layout_page_path(struct arena *a, const char *first,
				  size_t number);

/* Folders between the root and a root-relative path. */
size_t site_layout_depth(const char *path);

/* `path` as seen from a page `base` ("", "../", "../../") away from the
 * root. */
const char *site_layout_href(struct arena *a, const char *base,
			     const char *path);

/* The absolute URL of a root-relative path when `base_url` is set (with or
 * without its final '/'), else the path itself. */
const char *site_layout_url(struct arena *a, const char *base_url,
			    const char *path);

#endif
