/*
 * mustache: our own Mustache engine (spec v1.4, with inheritance and dynamic
 * names, without lambdas).
 *
 * A template is parsed once into a flat list of nodes and rendered many
 * times into a `struct buf`. Templates live in a `struct mustache_cache`,
 * which also owns every partial and parent they name: those are loaded
 * through a `struct mustache_loader` (a directory of `NAME.mustache` files,
 * or an in-memory map), compiled once, and shared. Static partial names are
 * resolved while compiling, so a broken partial is reported before anything
 * is rendered; dynamic names (`{{>*name}}`) are resolved while rendering.
 *
 * Data is the value model (`struct value`), read through four small
 * functions at the top of mustache.c (find a name in the context stack,
 * truthiness, list items, print a scalar); YAML, JSON and the evaluated site
 * model all render through it.
 *
 * Hostile templates are bounded: see the MUSTACHE_MAX_* limits below. The
 * C stack is never used in proportion to the input except through render
 * recursion, which MUSTACHE_MAX_RENDER_DEPTH caps.
 *
 * Threads: mustache_render() and mustache_get() may run in several
 * threads on one cache; mustache_get() (and a dynamic partial, which
 * compiles on first use through it) holds the cache's lock. Compiling
 * with mustache_compile() while others render is not allowed.
 */
#ifndef YARDSTICK_MUSTACHE_H
#define YARDSTICK_MUSTACHE_H

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "value.h"

/* Sections, inverted sections, parents and blocks open at once in one
 * template; deeper nesting is a compile error. */
#define MUSTACHE_MAX_NESTING 500
/* Partials and parents rendering inside each other (recursion through
 * data is fine, up to this depth); deeper is a render error. */
#define MUSTACHE_MAX_PARTIAL_DEPTH 100
/* Everything nested while rendering: sections, partials, parents, blocks. */
#define MUSTACHE_MAX_RENDER_DEPTH 1000
/* Largest template compiled (and partial file read): real templates are
 * kilobytes, and a hostile one full of tags costs about 100 bytes a tag. */
#define MUSTACHE_MAX_TEMPLATE_BYTES (8u << 20)
/* Largest output of one mustache_render() call: a page is under 1 MB
 * (long lists are paginated), while sections nested over lists multiply
 * without bound ({{#a}}{{#a}}{{#a}}... over 1,000 items). */
#define MUSTACHE_MAX_RENDER_BYTES (64u << 20)

struct mustache_template;
struct mustache_cache;

/*
 * Where partials and parents come from. `load` finds the template called
 * `name` and returns 0 with `*src` filled (path and text allocated in `a`),
 * 1 when there is no such template (it renders as the empty string, as the
 * spec asks), or -1 with `e` filled when it exists but cannot be read.
 */
struct mustache_loader {
	int (*load)(const void *data, const char *name, struct arena *a,
		    struct source *src, struct err *e);
	const void *data;
};

/*
 * Loader over a directory: `data` is the directory path (a NUL-terminated
 * string that must outlive the cache); `{{> a/b}}` reads `DIR/a/b.mustache`.
 * Names that are absolute, contain "..", or characters other than letters,
 * digits and "-_./" are not found, so data-driven names cannot leave DIR.
 * On -1, errno is source_read_file()'s: the system's error when the file
 * could not be opened or read (an I/O problem), 0 when it was refused for
 * what it is (too large, not a regular file).
 */
int mustache_load_dir(const void *data, const char *name, struct arena *a,
		      struct source *src, struct err *e);

/*
 * Loader over a mapping: `data` is a `const struct value *` mapping names to
 * template strings (the spec tests' "partials"); it must outlive the cache.
 */
int mustache_load_map(const void *data, const char *name, struct arena *a,
		      struct source *src, struct err *e);

/*
 * A new, empty cache. `loader` (copied; may be NULL for "no partials")
 * supplies partials and parents. Free with mustache_cache_free().
 */
struct mustache_cache *mustache_cache_new(const struct mustache_loader *loader);

/*
 * Compile options, for every template compiled into the cache after the
 * call (set them before the first compile).
 *
 * MUSTACHE_TRIM_INDENT drops the indentation of every line of template
 * text, lines of template text left blank, and the indentation the spec
 * gives standalone partials and blocks: a theme keeps its indentation in
 * the source and its output has none. Interpolated values are never
 * touched (so <pre> from data is safe), but a literal <pre> or <textarea>
 * spanning lines in a template loses its indentation. Not Mustache spec
 * behaviour: the site's theme uses it, `yardstick render` does not.
 */
enum { MUSTACHE_TRIM_INDENT = 1u << 0 };
void mustache_cache_set_options(struct mustache_cache *cache, unsigned options);

/* Free the cache and every template compiled into it. NULL is fine. */
void mustache_cache_free(struct mustache_cache *cache);

/*
 * Compile `src` (its path and text are copied) and every partial and parent
 * it names statically, recursively. The template belongs to the cache.
 * Returns -1 with `e` at the exact place of the first problem: unterminated
 * tag, bad delimiter change, unclosed or mismatched section, empty or
 * malformed name, nesting over MUSTACHE_MAX_NESTING, or a partial that
 * cannot be read or compiled.
 */
int mustache_compile(struct mustache_cache *cache, const struct source *src,
		     const struct mustache_template **out, struct err *e);

/*
 * The template called `name`, loaded through the cache's loader and
 * compiled (with its partials) on first use. Returns 0 with `*out` set,
 * 1 when the loader does not know the name, -1 with `e` filled.
 */
int mustache_get(struct mustache_cache *cache, const char *name,
		 const struct mustache_template **out, struct err *e);

/*
 * Render `t` with `data` as the root of the context stack (NULL renders as
 * an empty context), appending to `out`. Allocates nothing but the growth
 * of `out`, unless a dynamic name loads a partial that was not compiled yet.
 * Returns -1 with `e` at the tag where rendering stopped: recursion beyond
 * MUSTACHE_MAX_PARTIAL_DEPTH or MUSTACHE_MAX_RENDER_DEPTH, output over
 * MUSTACHE_MAX_RENDER_BYTES (at the node that would add more), or a dynamically
 * named partial that cannot be read or compiled. `out` then holds the
 * partial output.
 */
int mustache_render(const struct mustache_template *t, const struct value *data,
		    struct buf *out, struct err *e);

/* The template's source (path and text), for messages. */
const struct source *mustache_template_source(const struct mustache_template *t);

#endif
