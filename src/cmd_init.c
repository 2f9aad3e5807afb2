/*
 * yardstick init: write a new site (site.conf, content/ with Datadog's
 * three scorecards) into a folder, so that copying catalog files into
 * content/catalog/ and running `yardstick build` gives a working site.
 *
 * The theme is not embedded: site.conf points at the default theme found
 * next to the binary (a checkout or an unpacked release), by absolute path.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "init.h"
#include "util.h"

static const char init_usage[] =
	"usage: yardstick init [--theme DIR] [DIR]\n"
	"\n"
	"Write a new site into DIR (default: the current folder): site.conf with\n"
	"every key explained, and content/ with a README in each folder and the\n"
	"three scorecards Datadog ships (Production Readiness, Observability Best\n"
	"Practices, Documentation & Ownership) with its ten default rules. Then\n"
	"copy your catalog files into DIR/content/catalog/ and run 'yardstick\n"
	"build'. Nothing is replaced: when DIR/site.conf or DIR/content exists,\n"
	"init writes nothing. Other files in DIR are left alone.\n"
	"\n"
	"      --theme DIR  the folder holding the theme's templates/ and static/\n"
	"                   (default: found next to the yardstick binary, or one\n"
	"                   folder up, or in ../share/yardstick)\n"
	"  -h, --help       this help\n"
	"\n"
	"exit status: 0 written, 1 site.conf or content/ exists (nothing written),\n"
	"2 usage, 3 I/O error.\n";

/* site.conf lines are at most 198 characters (conf.c reads them so). */
#define MAX_THEME_PATH 180

/* Whether `dir` holds a theme: templates/index.mustache and static/. */
static bool theme_at(const char *dir)
{
	struct buf path = BUF_INIT;
	struct stat st;
	buf_addf(&path, "%s/templates/index.mustache", dir);
	bool ok = stat(path.data, &st) == 0 && S_ISREG(st.st_mode);
	buf_reset(&path);
	buf_addf(&path, "%s/static", dir);
	ok = ok && stat(path.data, &st) == 0 && S_ISDIR(st.st_mode);
	buf_release(&path);
	return ok;
}

/*
 * The theme's folder as an absolute path (heap), or NULL: the binary's own
 * folder, its parent (build-san/yardstick), or ../share/yardstick (an
 * installed layout).
 */
static char *find_theme(void)
{
	char exe[PATH_MAX];
	if (!realpath("/proc/self/exe", exe))
		return NULL;
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	static const char *const candidates[] = { "", "/..", "/../share/yardstick" };
	for (size_t i = 0; i < ARRAY_SIZE(candidates); i++) {
		struct buf dir = BUF_INIT;
		buf_addf(&dir, "%s%s", exe, candidates[i]);
		char real[PATH_MAX];
		char *found = theme_at(dir.data) && realpath(dir.data, real)
				      ? xstrdup(real) : NULL;
		buf_release(&dir);
		if (found)
			return found;
	}
	return NULL;
}

int cmd_init(int argc, char **argv)
{
	static const struct option options[] = {
		{ "theme", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *theme_option = NULL;
	int opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 't': theme_option = optarg; break;
		case 'h': fputs(init_usage, stdout); return EXIT_OK;
		case ':':
			return cli_usage_error("init", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error("init", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("init", "unexpected argument '%s'",
				       argv[optind + 1]);
	const char *dir = optind < argc ? argv[optind] : ".";
	if (!*dir)
		return cli_usage_error("init", "the folder name is empty");

	char *theme = NULL;
	if (theme_option) {
		char real[PATH_MAX];
		if (!theme_at(theme_option) || !realpath(theme_option, real))
			return cli_usage_error("init", "--theme: no theme in '%s' (it "
					       "needs templates/index.mustache and "
					       "static/)", theme_option);
		theme = xstrdup(real);
	} else {
		theme = find_theme();
	}
	if (theme && strlen(theme) > MAX_THEME_PATH) {
		fprintf(stderr, "yardstick: the theme's path is longer than %d "
				"characters; site.conf will not point at it\n",
			MAX_THEME_PATH);
		free(theme);
		theme = NULL;
	}

	struct buf conf = BUF_INIT, templates = BUF_INIT, statics = BUF_INIT;
	if (theme) {
		buf_addf(&templates, "%s/templates", theme);
		buf_addf(&statics, "%s/static", theme);
	}
	init_site_conf(&conf, theme ? templates.data : NULL,
		       theme ? statics.data : NULL);
	int written = init_write(dir, conf.data, stdout, stderr);
	int status = written == 0 ? EXIT_OK : written > 0 ? EXIT_CONTENT : EXIT_IO;
	if (written == 0) {
		if (theme)
			printf("theme: %s\n", theme);
		else
			fprintf(stderr, "yardstick: warning: no theme found next to this "
					"binary; before 'yardstick build', set templates "
					"and static in %s/site.conf (or use --theme)\n", dir);
		printf("next: copy your catalog files into %s/content/catalog/, then\n"
		       "  yardstick check -c %s/site.conf\n"
		       "  yardstick build -c %s/site.conf\n", dir, dir, dir);
	}
	buf_release(&conf);
	buf_release(&templates);
	buf_release(&statics);
	free(theme);
	return status;
}
