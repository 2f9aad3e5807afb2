/*
 * yardstick eval: evaluate every rule for every entity and print the
 * results as JSON (default), CSV or JUnit XML on stdout. Content problems
 * go to stderr; errors outside the catalog stop it (exit 1), broken
 * catalog files only lose their entities, and with --strict any problem
 * stops it (cli_content_status).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "conf.h"
#include "content.h"
#include "date.h"
#include "eval.h"
#include "report.h"

static const char eval_usage[] =
	"usage: yardstick eval [-c site.conf] [--date YYYY-MM-DD] [--format json|csv|junit]\n"
	"                      [--fail-under PCT] [--scorecard ID] [--team ID] [--entity REF]\n"
	"                      [--strict]\n"
	"\n"
	"Evaluate every scorecard rule for every entity and print the results.\n"
	"\n"
	"  -c, --config FILE     the site's configuration (default: site.conf)\n"
	"      --date DAY        the run date (default: today in the site's time zone)\n"
	"  -f, --format FORMAT   json (default), csv (a row per entity and rule) or\n"
	"                        junit (a test suite per scorecard)\n"
	"      --fail-under PCT  exit 1 when a scorecard's score is under PCT percent\n"
	"      --scorecard ID    only this scorecard\n"
	"      --team ID         only this team's entities (sub-teams included)\n"
	"      --entity REF      only this entity (kind:name)\n"
	"      --strict          any problem, errors in catalog files and warnings\n"
	"                        too, stops it (exit 1, nothing printed)\n"
	"  -h, --help            this help\n"
	"\n"
	"exit status: 0 success (entities of broken catalog files are left out),\n"
	"1 errors outside the catalog or any problem with --strict (nothing\n"
	"printed), or --fail-under not met, 2 usage, 3 I/O error.\n"
	"README.md, \"Exit codes\", has the table for every command.\n";

/* The report goes to stdout as it is written, never held whole. */
static int write_stdout(void *ctx, const char *data, size_t len)
{
	(void)ctx;
	return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

int cmd_eval(int argc, char **argv)
{
	static const struct option options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "date", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "fail-under", required_argument, NULL, 'u' },
		{ "scorecard", required_argument, NULL, 's' },
		{ "team", required_argument, NULL, 't' },
		{ "entity", required_argument, NULL, 'e' },
		{ "strict", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = "site.conf", *date_text = NULL, *format = "json";
	const char *fail_under_text = NULL;
	struct report_filter filter = { NULL, NULL, NULL };
	int strict = 0, opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":c:f:h", options, NULL)) != -1) {
		switch (opt) {
		case 'c': config = optarg; break;
		case 'd': date_text = optarg; break;
		case 'f': format = optarg; break;
		case 'u': fail_under_text = optarg; break;
		case 's': filter.scorecard = optarg; break;
		case 't': filter.team = optarg; break;
		case 'e': filter.entity = optarg; break;
		case 'S': strict = 1; break;
		case 'h': fputs(eval_usage, stdout); return EXIT_OK;
		case ':':
			return cli_usage_error("eval", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error("eval", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("eval", "unexpected argument '%s'", argv[optind]);
	if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 &&
	    strcmp(format, "junit") != 0)
		return cli_usage_error("eval", "--format wants json, csv or junit, not '%s'",
				       format);
	double fail_under = -1;
	if (fail_under_text) {
		char *end;
		fail_under = strtod(fail_under_text, &end);
		if (!*fail_under_text || *end || !(fail_under >= 0 && fail_under <= 100))
			return cli_usage_error("eval", "--fail-under wants a percentage "
					       "from 0 to 100, not '%s'", fail_under_text);
	}

	struct arena arena = ARENA_INIT;
	struct errlist errors = ERRLIST_INIT;
	struct conf conf;
	struct site site = { 0 };
	day_t today;
	int status = cli_load_site("eval", &arena, config, date_text, 0, false, &conf, &site,
				   &today, &errors);
	errlist_print(&errors, stderr);
	if (status == EXIT_OK)
		status = cli_content_status(&errors, site.catalog_errors, CLI_PRODUCE,
					    strict, "nothing evaluated");
	if (status != EXIT_OK)
		goto done;
	if (filter.scorecard && !site_find_scorecard(&site, filter.scorecard)) {
		status = cli_usage_error("eval", "no scorecard '%s'", filter.scorecard);
		goto done;
	}
	if (filter.team && !site_find_team(&site, filter.team)) {
		status = cli_usage_error("eval", "no team '%s'", filter.team);
		goto done;
	}
	if (filter.entity && !site_find_entity(&site, filter.entity)) {
		status = cli_usage_error("eval", "no entity '%s'", filter.entity);
		goto done;
	}

	struct eval ev;
	struct rollup ru;
	eval_run(&arena, &site, &conf, today, &ev);
	rollup_run(&arena, &ev, &ru);
	content_release_documents(&site); /* the last query has run */
	struct report_sink out;
	report_sink_init(&out, write_stdout, NULL);
	if (strcmp(format, "csv") == 0)
		report_csv(&ru, &filter, &out);
	else if (strcmp(format, "junit") == 0)
		report_junit(&ru, &filter, &out);
	else
		report_json(&ru, &filter, &out);
	if (report_sink_finish(&out) != 0 || fflush(stdout) != 0) {
		fprintf(stderr, "yardstick: cannot write the results\n");
		status = EXIT_IO;
	}
	for (size_t s = 0; status == EXIT_OK && fail_under >= 0 &&
			   s < site.scorecard_count; s++) {
		if (filter.scorecard && strcmp(filter.scorecard, site.scorecards[s]->id))
			continue;
		double score = eval_tally_score(&ev.scorecard_tallies[s]);
		if (!isnan(score) && score * 100 < fail_under) {
			fprintf(stderr, "yardstick: scorecard '%s' scores %.1f%%, under %g%%\n",
				site.scorecards[s]->id, score * 100, fail_under);
			status = EXIT_CONTENT;
		}
	}
done:
	content_release_documents(&site);
	errlist_release(&errors);
	arena_release(&arena);
	return status;
}
