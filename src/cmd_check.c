/*
 * yardstick check: load everything, report every problem, count what was
 * loaded. It writes nothing; it is what CI runs on every change to the
 * catalog.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "conf.h"
#include "content.h"

static const char check_usage[] =
	"usage: yardstick check [-c site.conf] [--date YYYY-MM-DD] [--strict]\n"
	"\n"
	"Load the site's configuration and content and print every problem as\n"
	"path:line:col: error|warning: message, with the line and a caret.\n"
	"\n"
	"  -c, --config FILE   the site's configuration (default: site.conf)\n"
	"      --date DAY      the run date (default: today in the site's time zone)\n"
	"      --strict        warnings count as errors\n"
	"  -h, --help          this help\n"
	"\n"
	"exit status: 0 no errors (warnings allowed), 1 errors anywhere, also in\n"
	"catalog files (--strict: or warnings), 2 usage, 3 I/O error.\n"
	"README.md, \"Exit codes\", has the table for every command.\n";

int cmd_check(int argc, char **argv)
{
	static const struct option options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "date", required_argument, NULL, 'd' },
		{ "strict", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = "site.conf";
	const char *date_text = NULL;
	int strict = 0;
	int opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":c:h", options, NULL)) != -1) {
		switch (opt) {
		case 'c': config = optarg; break;
		case 'd': date_text = optarg; break;
		case 's': strict = 1; break;
		case 'h': fputs(check_usage, stdout); return EXIT_OK;
		case ':':
			return cli_usage_error("check", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error("check", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("check", "unexpected argument '%s'",
				       argv[optind]);
	struct arena arena = ARENA_INIT;
	struct errlist errors = ERRLIST_INIT;
	struct conf conf;
	struct site site = { 0 };
	day_t today;
	int status = cli_load_site("check", &arena, config, date_text, 0, false, &conf,
				   &site, &today, &errors);
	content_release_documents(&site); /* check runs no query */
	if (status != EXIT_OK) {
		errlist_print(&errors, stderr);
		errlist_release(&errors);
		arena_release(&arena);
		return status;
	}
	errlist_print(&errors, stdout);
	printf("checked: %zu entit%s, %zu team%s, %zu scorecard%s, %zu rule%s, "
	       "%zu campaign%s, %zu outcome%s; %zu error%s, %zu warning%s\n",
	       site.entity_count, site.entity_count == 1 ? "y" : "ies",
	       site.team_count, site.team_count == 1 ? "" : "s",
	       site.scorecard_count, site.scorecard_count == 1 ? "" : "s",
	       site.rule_count, site.rule_count == 1 ? "" : "s",
	       site.campaign_count, site.campaign_count == 1 ? "" : "s",
	       site.outcome_count, site.outcome_count == 1 ? "" : "s",
	       errors.errors, errors.errors == 1 ? "" : "s",
	       errors.warnings, errors.warnings == 1 ? "" : "s");
	status = cli_content_status(&errors, site.catalog_errors, CLI_VALIDATE,
				    strict, NULL);
	errlist_release(&errors);
	arena_release(&arena);
	return status;
}
