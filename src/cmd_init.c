/*
 * yardstick init: write a new site (site.conf, content/ with Datadog's
 * three scorecards) into a folder, so that copying catalog files into
 * content/catalog/ and running `yardstick build` gives a working site.
 *
 * The theme is built into the binary (theme.h), so a new site needs none.
 */
#include <getopt.h>
#include <stdio.h>

#include "buf.h"
#include "cli.h"
#include "init.h"

static const char init_usage[] =
	"usage: yardstick init [DIR]\n"
	"\n"
	"Write a new site into DIR (default: the current folder): site.conf with\n"
	"every key explained, and content/ with a README in each folder and the\n"
	"three scorecards Datadog ships (Production Readiness, Observability Best\n"
	"Practices, Documentation & Ownership) with its ten default rules. Then\n"
	"copy your catalog files into DIR/content/catalog/ and run 'yardstick\n"
	"build'. Nothing is replaced: when DIR/site.conf or DIR/content exists,\n"
	"init writes nothing. Other files in DIR are left alone.\n"
	"\n"
	"No theme files are written: the theme is built into yardstick, and a\n"
	"templates/ or static/ folder next to site.conf overrides it file by\n"
	"file ('yardstick theme export DIR' writes it out to start from).\n"
	"\n"
	"  -h, --help       this help\n"
	"\n"
	"exit status: 0 written, 1 site.conf or content/ exists (nothing written),\n"
	"2 usage, 3 I/O error.\n";

int cmd_init(int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
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

	struct buf conf = BUF_INIT;
	init_site_conf(&conf);
	int written = init_write(dir, conf.data, stdout, stderr);
	int status = written == 0 ? EXIT_OK : written > 0 ? EXIT_CONTENT : EXIT_IO;
	if (written == 0)
		printf("next: copy your catalog files into %s/content/catalog/, then\n"
		       "  yardstick check -c %s/site.conf\n"
		       "  yardstick build -c %s/site.conf\n", dir, dir, dir);
	buf_release(&conf);
	return status;
}
