/*
 * yardstick render: one Mustache template, one data file, output on stdout.
 *
 * This is how theme authors try a template on its own: the bytes written
 * are exactly what the engine produced, and every problem is printed with
 * its file, line and column.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "jsondoc.h"
#include "mustache.h"
#include "source.h"
#include "yamldoc.h"

static const char render_usage[] =
	"usage: yardstick render [--partials DIR] TEMPLATE DATA\n"
	"\n"
	"Render the Mustache template TEMPLATE with the data in DATA (a .json,\n"
	".yaml or .yml file) and write the result to standard output.\n"
	"\n"
	"  -p, --partials DIR  where {{> name}} and {{< name}} find name.mustache\n"
	"                      (default: the template's own directory)\n"
	"  -h, --help          this help\n"
	"\n"
	"exit status: 0 rendered, 1 template or data error, 2 usage,\n"
	"             3 a file cannot be read or output cannot be written\n";

/* Nesting allowed in data files, as for the site's own content. */
enum { RENDER_DATA_DEPTH = 64 };

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Load DATA into `*data`; returns an exit code. */
static int load_data(struct arena *a, const char *path,
		     const struct value **data)
{
	struct err e = ERR_INIT;
	struct source src;
	int status = EXIT_OK;
	bool json = has_suffix(path, ".json");
	if (!json && !has_suffix(path, ".yaml") && !has_suffix(path, ".yml"))
		return cli_usage_error("render",
				       "DATA must be a .json, .yaml or .yml file, not '%s'",
				       path);
	if (source_read_file(a, path, yamldoc_default_limits.max_bytes, &src,
			     &e) < 0) {
		status = EXIT_IO;
		goto out;
	}
	if (json) {
		struct value *v;
		if (jsondoc_parse(a, &src, RENDER_DATA_DEPTH, &v, &e) < 0)
			status = EXIT_CONTENT;
		*data = v;
		goto out;
	}
	struct value **docs;
	size_t count;
	if (yamldoc_parse(a, &src, &yamldoc_default_limits, &docs, &count,
			  &e) < 0) {
		status = EXIT_CONTENT;
	} else if (count > 1) {
		unsigned line = docs[1]->line;
		err_at(&e, ERR_ERROR, &src, line, 0,
		       "the data file holds %zu documents; render wants one",
		       count);
		status = EXIT_CONTENT;
	} else {
		*data = count ? docs[0] : NULL;
	}
out:
	if (status != EXIT_OK)
		err_print(&e, stderr);
	err_release(&e);
	return status;
}

/* Where partials are read from, and whether one could not be read. */
struct partials {
	const char *dir;
	bool *io_failed;
};

/* mustache_load_dir(), noting a partial that cannot be read (an I/O
 * problem: exit 3) apart from one that is broken (exit 1). */
static int load_partial(const void *data, const char *name, struct arena *a,
			struct source *src, struct err *e)
{
	const struct partials *p = data;
	int found = mustache_load_dir(p->dir, name, a, src, e);
	if (found < 0 && errno != 0)
		*p->io_failed = true;
	return found;
}

/* The directory part of `path` ("." if none), in the arena. */
static const char *directory_of(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return ".";
	if (slash == path)
		return "/";
	return arena_strndup(a, path, (size_t)(slash - path));
}

int cmd_render(int argc, char **argv)
{
	static const struct option options[] = {
		{ "partials", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *partials = NULL;
	int opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":p:h", options, NULL)) != -1) {
		switch (opt) {
		case 'p': partials = optarg; break;
		case 'h': fputs(render_usage, stdout); return EXIT_OK;
		case ':':
			return cli_usage_error("render", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error("render", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("render",
				       "render wants a TEMPLATE and a DATA file");
	const char *template_path = argv[optind], *data_path = argv[optind + 1];
	struct stat st;
	if (partials && (stat(partials, &st) != 0 || !S_ISDIR(st.st_mode)))
		return cli_usage_error("render", "--partials: '%s' is not a directory",
				       partials);

	struct arena arena = ARENA_INIT;
	struct err e = ERR_INIT;
	struct buf out = BUF_INIT;
	struct mustache_cache *cache = NULL;
	const struct value *data = NULL;
	struct source src;
	int status = load_data(&arena, data_path, &data);
	if (status != EXIT_OK)
		goto done;
	if (source_read_file(&arena, template_path, MUSTACHE_MAX_TEMPLATE_BYTES,
			     &src, &e) < 0) {
		err_print(&e, stderr);
		status = EXIT_IO;
		goto done;
	}
	if (!partials)
		partials = directory_of(&arena, template_path);
	bool io_failed = false;
	struct partials where = { partials, &io_failed };
	struct mustache_loader loader = { load_partial, &where };
	cache = mustache_cache_new(&loader);
	const struct mustache_template *t;
	if (mustache_compile(cache, &src, &t, &e) < 0 ||
	    mustache_render(t, data, &out, &e) < 0) {
		err_print(&e, stderr);
		status = io_failed ? EXIT_IO : EXIT_CONTENT;
		goto done;
	}
	if (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "yardstick: cannot write the output\n");
		status = EXIT_IO;
	}
done:
	mustache_cache_free(cache);
	buf_release(&out);
	err_release(&e);
	arena_release(&arena);
	return status;
}
