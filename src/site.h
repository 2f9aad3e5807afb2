/*
 * site: the evaluated model rendered into the website (the render stage).
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
#include "eval.h"
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

/*
 * Render the whole site for `ev` into `out`: every page, badge and data
 * export (not the static assets; the caller copies those). `problems` are
 * the loading problems, listed on the problems page. `*pages` is set to the
 * number of HTML pages. Returns -1 with `e` filled when a template fails
 * while rendering, or a file cannot be staged (then `*io_error` is set);
 * the caller then aborts `out`.
 */
int site_render(const struct eval *ev, const struct conf *conf,
		const struct errlist *problems, struct mustache_cache *theme,
		struct output *out, size_t *pages, bool *io_error,
		struct err *e);

#endif
