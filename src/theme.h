/*
 * theme: the default theme, compiled into the binary, and the lookup that
 * puts a site's own theme files over it.
 *
 * At build time tools/embed.c turns every file under templates/ and
 * static/ into theme_files[] (a generated C file in the build folder), so
 * an installed binary needs no theme on disk. A site overrides the theme a
 * file at a time (docs/templates.md, "Where templates come from"):
 *
 *   - a template or partial NAME is read from the site's templates folder
 *     (site.conf's `templates`, default `templates/` next to site.conf) when
 *     NAME.mustache is there, else from the built-in templates/;
 *   - the built-in static/ files are written to the output's static/
 *     folder, except those the site's static folder has a file for, and
 *     then every file of that folder is.
 *
 * A missing site folder is no error: everything then comes from the binary.
 */
#ifndef YARDSTICK_THEME_H
#define YARDSTICK_THEME_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct arena;
struct err;
struct output;
struct source;

/* One file of the built-in theme. */
struct theme_file {
	const char *path;          /* "templates/index.mustache", "static/style.css" */
	const unsigned char *data; /* followed by a NUL byte `len` does not count */
	size_t len;
};

/* Every file of the built-in theme, sorted by path, {NULL, NULL, 0}-terminated
 * (generated; see tools/embed.c). */
extern const struct theme_file theme_files[];

/* The built-in file at `path`, or NULL. */
const struct theme_file *theme_find(const char *path);

/*
 * Where a mustache_loader (theme_load_template) looks for a template: first
 * `dir` (may be NULL or a missing folder), then the built-in files under
 * "templates/" + `builtin_prefix` ("" for pages, "slack/" for the Slack
 * digests). Both strings must outlive the cache.
 *
 * `io_failed` (may be NULL) is set when a site's file could not be read for
 * a system reason (permission, disk; not a file refused for what it is),
 * so that the command exits 3, not 1: the error itself goes to the `err`
 * as for any broken template. Atomic, as dynamic partials load while
 * rendering, in several threads.
 */
struct theme_templates {
	const char *dir;
	const char *builtin_prefix;
	atomic_bool *io_failed;
};

/*
 * A mustache_loader `load` function over a `const struct theme_templates *`:
 * NAME.mustache from the site's folder (mustache_load_dir, so names that
 * could leave it are not found), else the built-in template, whose source
 * path reads "(built-in)/templates/NAME.mustache". Returns 0, 1 (neither
 * has it) or -1 with `e` filled (the site's file cannot be read; then
 * `io_failed` is set when the cause was a system error).
 */
int theme_load_template(const void *data, const char *name, struct arena *a,
			struct source *src, struct err *e);

/*
 * Write the theme's static files into the output's static/ folder: each
 * built-in static file for which `static_dir` (may be NULL or missing) has
 * no regular file at the same relative path, then everything under
 * `static_dir` (output_copy_tree). Returns 0, or -1 with `e` filled by the
 * output (see output_write, output_copy_tree).
 */
int theme_write_static(struct output *o, const char *static_dir, struct err *e);

#endif
