/*
 * site: the evaluated model rendered into the website (the render stage).
 *
 * This file is the driver: it prepares what many pages share and renders
 * the pages in order. The file layout is site_layout.c, value building
 * site_context.c, the pages site_pages.c (dashboard, scorecards, rules,
 * problems, Markdown pages), site_entity.c, site_team.c and
 * site_campaign.c, campaign follow-ups followup.c, and badges and data
 * exports site_exports.c. Every figure comes from the roll-up stage.
 *
 * Every page is one template of the theme rendered with one context, a
 * `struct value` mapping built here from the eval results; the contexts are
 * documented in docs/templates.md ("Page contexts") and that table is the
 * contract with theme authors. Contexts are built page by page in a scratch
 * arena that is emptied after each page, so memory does not grow with the
 * number of pages. Pages, badges, data exports and static assets all go
 * through `struct output`, which writes nothing visible until it commits.
 *
 * File names come from slugs (slug.h), never from raw names; every link in
 * a context is relative to the page it is on.
 */
#ifndef YARDSTICK_SITE_H
#define YARDSTICK_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "err.h"
#include "history.h"
#include "rollup.h"
#include "mustache.h"
#include "output.h"

/* The templates a theme must have, NULL-terminated: "index", "entity", ... */
extern const char *const site_templates[];

/*
 * Compile every template in site_templates[] (and the partials and
 * parents they name) into `theme`, adding each problem to `errors`.
 * Returns 0 when all compiled, -1 otherwise.
 */
int site_load_theme(struct mustache_cache *theme, const char *templates_dir,
		    struct errlist *errors);

/* How a render ended. */
enum site_status {
	SITE_OK,
	SITE_THEME_FAILED,  /* a template failed while rendering: exit 1 */
	SITE_OUTPUT_FAILED, /* a file could not be staged: exit 3 */
};

/* What a render reads and where it writes. */
struct site_job {
	const struct rollup *rollup;    /* the evaluated, rolled-up run */
	const struct conf *conf;
	const struct errlist *problems; /* loading problems, for the problems page */
	struct mustache_cache *theme;   /* compiled by site_load_theme */
	struct output *out;
	struct history *history;        /* recorded runs, for the trend charts */
	size_t jobs;                    /* threads rendering; 0 and 1: this one */
};

/*
 * Render the whole site of `job` into `job->out`: every page, badge and
 * data export (not the static assets; the caller copies those). Sets
 * `*pages` to the number of HTML pages rendered. On failure `e` says why
 * and the caller aborts the output.
 *
 * With job->jobs > 1, pages are rendered and written by that many threads
 * (this one included), each taking a few pages at a time; the files are
 * the same bytes as with one. The theme must be fully compiled first
 * (site_load_theme): workers only read it, except for partials named at
 * run time, which mustache_get() compiles under the cache's lock. The
 * first failure (in page order) stops the others and is the one reported.
 */
enum site_status site_render(const struct site_job *job, size_t *pages,
			     struct err *e);

#endif
