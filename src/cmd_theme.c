/*
 * yardstick theme export DIR: write the built-in theme (templates/ and
 * static/) into a folder, to start a custom theme from. Put into a site's
 * folder, the files are picked up as overrides at once (theme.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "init.h"

static const char theme_usage[] =
	"usage: yardstick theme export DIR\n"
	"\n"
	"Write the theme built into yardstick into DIR: DIR/templates/ (the\n"
	"Mustache templates, partials/ and slack/) and DIR/static/ (CSS, script,\n"
	"icon). DIR is created if missing; nothing is replaced: when any of the\n"
	"files exists, nothing is written. Exported into a site's folder (next\n"
	"to site.conf), the files override the built-in ones; delete the ones\n"
	"you do not change, so they keep following new releases.\n"
	"\n"
	"  -h, --help  this help\n"
	"\n"
	"exit status: 0 written, 1 a file exists (nothing written), 2 usage,\n"
	"3 I/O error.\n";

int cmd_theme(int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:h", options, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(theme_usage, stdout); return EXIT_OK;
		default:
			return cli_usage_error("theme", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("theme", "which action? ('theme export DIR')");
	const char *action = argv[optind];
	if (strcmp(action, "export") != 0)
		return cli_usage_error("theme", "unknown action '%s'", action);
	if (argc - optind != 2)
		return cli_usage_error("theme", argc - optind < 2
				       ? "theme export needs a folder"
				       : "theme export takes one folder");
	const char *dir = argv[optind + 1];
	if (!*dir)
		return cli_usage_error("theme", "the folder name is empty");
	int written = init_export_theme(dir, stdout, stderr);
	return written == 0 ? EXIT_OK : written > 0 ? EXIT_CONTENT : EXIT_IO;
}
