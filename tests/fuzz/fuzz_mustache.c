/*
 * libFuzzer harness: the Mustache compiler and renderer. The input is up
 * to three templates separated by NUL bytes: the one rendered, and the
 * partials (or parents) "p" and "q" it may name; "item" is a fixed partial
 * that recurses through the data. The data is a fixed tree of maps, lists
 * and scalars, so sections, inversions, dotted names and dynamic names all
 * find something.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "mustache.h"
#include "source.h"
#include "value.h"
#include "yamldoc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char data_text[] =
	"title: <b>Scores</b> & more\n"
	"name: p\n"
	"other: q\n"
	"empty: []\n"
	"none: ~\n"
	"no: false\n"
	"zero: 0\n"
	"rows: [1, 2, 3]\n"
	"teams:\n"
	"  - {name: web, score: 0.5, children: [{name: a, children: []}]}\n"
	"  - {name: sre, score: 1, children: [{name: b, children: [{name: c}]}]}\n"
	"deep: {a: {b: {c: {d: text}}}}\n";

static struct arena fixed = ARENA_INIT;
static const struct value *root;

static const struct value *parse_fixed(const char *path, const char *text,
				       size_t len)
{
	struct source *src = arena_alloc(&fixed, sizeof(*src));
	src->path = path;
	src->text = text;
	src->len = len;
	struct value **docs;
	size_t count;
	struct err e = ERR_INIT;
	if (yamldoc_parse(&fixed, src, &yamldoc_default_limits, &docs, &count, &e) != 0 ||
	    count != 1)
		abort(); /* the harness's own data must load */
	return docs[0];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!root)
		root = parse_fixed("data.yaml", data_text, sizeof(data_text) - 1);
	struct arena a = ARENA_INIT;
	/* The three parts, each NUL-terminated in the arena. */
	const char *part[3] = { "", "", "" };
	size_t len[3] = { 0, 0, 0 };
	size_t at = 0;
	for (int i = 0; i < 3 && at <= size; i++) {
		const uint8_t *nul = memchr(data + at, 0, size - at);
		size_t n = nul ? (size_t)(nul - (data + at)) : size - at;
		part[i] = arena_strndup(&a, (const char *)data + at, n);
		len[i] = n;
		at += n + 1;
		if (!nul)
			break;
	}
	/* The partials as a mapping, as the spec tests give them. */
	struct value *partials = value_new(&a, VALUE_MAP);
	static const char *const names[] = { "p", "q", "item" };
	const char *texts[] = { part[1], part[2],
				"{{name}}{{#children}}<{{> item}}>{{/children}}" };
	for (int i = 0; i < 3; i++)
		value_map_put(&a, partials, value_new_string(&a, names[i], strlen(names[i])),
			      value_new_string(&a, texts[i], strlen(texts[i])));
	struct mustache_loader loader = { mustache_load_map, partials };
	struct mustache_cache *cache = mustache_cache_new(&loader);
	struct source src = { "fuzz.mustache", part[0], len[0], NULL };
	const struct mustache_template *t;
	struct err e = ERR_INIT;
	if (mustache_compile(cache, &src, &t, &e) == 0) {
		struct buf out = BUF_INIT;
		if (mustache_render(t, root, &out, &e) == 0 && !out.data)
			abort(); /* a buf is never NULL */
		buf_release(&out);
	}
	err_release(&e);
	mustache_cache_free(cache);
	arena_release(&a);
	return 0;
}
