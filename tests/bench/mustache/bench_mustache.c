/*
 * bench_mustache: render a realistic page many times with our engine.
 *
 * The page is a scorecard table of 200 entities: a layout through
 * inheritance ({{<layout}} with {{$title}} and {{$content}}), a navigation
 * partial and one row partial per entity with a nested section of rule
 * states. The template is compiled once and rendered ITERATIONS times into
 * one reused buffer; the time per render is what the site build pays.
 *
 *   bench_mustache DIR ITERATIONS [OUT.html]
 *
 * DIR holds templates/, flat/ and data.json. The flat page (no inheritance,
 * what mustache.js renders) must give the same bytes; OUT gets them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jsondoc.h"
#include "mustache.h"
#include "source.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const struct mustache_template *load(struct mustache_cache *cache,
					    struct arena *a, const char *path)
{
	struct source src;
	struct err e = ERR_INIT;
	const struct mustache_template *t;
	if (source_read_file(a, path, MUSTACHE_MAX_TEMPLATE_BYTES, &src, &e) < 0 ||
	    mustache_compile(cache, &src, &t, &e) < 0) {
		err_print(&e, stderr);
		exit(1);
	}
	return t;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_mustache DIR ITERATIONS [OUT.html]\n");
		return 2;
	}
	const char *dir = argv[1];
	long iterations = atol(argv[2]);
	char path[4096];
	struct arena a = ARENA_INIT;
	struct err e = ERR_INIT;
	struct source src;
	struct value *data;
	snprintf(path, sizeof(path), "%s/data.json", dir);
	if (source_read_file(&a, path, 1 << 24, &src, &e) < 0 ||
	    jsondoc_parse(&a, &src, 64, &data, &e) < 0) {
		err_print(&e, stderr);
		return 1;
	}
	char *templates = arena_printf(&a, "%s/templates", dir);
	struct mustache_loader loader = { mustache_load_dir, templates };
	struct mustache_cache *cache = mustache_cache_new(&loader);
	snprintf(path, sizeof(path), "%s/templates/page.mustache", dir);
	const struct mustache_template *page = load(cache, &a, path);
	snprintf(path, sizeof(path), "%s/flat/page.mustache", dir);
	const struct mustache_template *flat = load(cache, &a, path);

	struct buf out = BUF_INIT, check = BUF_INIT;
	if (mustache_render(flat, data, &check, &e) < 0 ||
	    mustache_render(page, data, &out, &e) < 0) {
		err_print(&e, stderr);
		return 1;
	}
	if (out.len != check.len || memcmp(out.data, check.data, out.len) != 0) {
		fprintf(stderr, "bench_mustache: the page and its flat variant differ\n");
		return 1;
	}
	double start = now();
	for (long i = 0; i < iterations; i++) {
		buf_reset(&out);
		if (mustache_render(page, data, &out, &e) < 0) {
			err_print(&e, stderr);
			return 1;
		}
	}
	double seconds = now() - start;
	printf("yardstick:   %ld renders, %.1f us/render, %.1f MB/s (%zu bytes a page)\n",
	       iterations, seconds / (double)iterations * 1e6,
	       (double)out.len * (double)iterations / seconds / 1e6, out.len);
	if (argc > 3) {
		FILE *f = fopen(argv[3], "wb");
		if (!f || fwrite(out.data, 1, out.len, f) != out.len || fclose(f)) {
			fprintf(stderr, "bench_mustache: cannot write %s\n", argv[3]);
			return 1;
		}
	}
	buf_release(&out);
	buf_release(&check);
	mustache_cache_free(cache);
	arena_release(&a);
	return 0;
}
