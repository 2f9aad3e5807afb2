/*
 * yardstick record: load, evaluate and record the run in the history,
 * without rendering pages. With --date and a checkout of the content as it
 * was on that day, it backfills the history (docs/history.md has the loop).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "conf.h"
#include "content.h"
#include "eval.h"
#include "record.h"
#include "rollup.h"

static const char record_usage[] =
	"usage: yardstick record [-c site.conf] [--date YYYY-MM-DD] [--strict]\n"
	"                        [--output DIR] [--no-restore]\n"
	"\n"
	"Evaluate every scorecard and record the run in the history (site.conf\n"
	"[history] file, by default history.db in the output folder) without\n"
	"writing pages. Recording a date again replaces it; an earlier date\n"
	"than the newest recorded is added in date order (backfill).\n"
	"\n"
	"  -c, --config FILE  the site's configuration (default: site.conf)\n"
	"      --date DAY     the run date (default: today in the site's time zone)\n"
	"      --strict       any problem, errors in catalog files and warnings\n"
	"                     too, stops it (exit 1, nothing recorded)\n"
	"  -o, --output DIR   the history in DIR/history.db, as build --output puts\n"
	"                     it (unless [history] file is set)\n"
	"      --no-restore   do not fetch a missing history from restore_url\n"
	"  -h, --help         this help\n"
	"\n"
	"exit status: 0 recorded, 1 errors outside the catalog, any problem with\n"
	"--strict, or a history that cannot be used (nothing recorded), 2 usage,\n"
	"3 I/O error. README.md, \"Exit codes\", has the table.\n";

int cmd_record(int argc, char **argv)
{
	static const struct option options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "date", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "strict", no_argument, NULL, 'S' },
		{ "no-restore", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = "site.conf", *date_text = NULL, *output = NULL;
	int strict = 0, restore = 1, opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":c:o:h", options, NULL)) != -1) {
		switch (opt) {
		case 'c': config = optarg; break;
		case 'd': date_text = optarg; break;
		case 'o': output = optarg; break;
		case 'S': strict = 1; break;
		case 'R': restore = 0; break;
		case 'h': fputs(record_usage, stdout); return EXIT_OK;
		case ':':
			return cli_usage_error("record", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error("record", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("record", "unexpected argument '%s'", argv[optind]);

	struct arena arena = ARENA_INIT;
	struct errlist errors = ERRLIST_INIT;
	struct conf conf;
	struct site site = { 0 };
	day_t today;
	struct history *history = NULL;
	struct err e = ERR_INIT, warning = ERR_INIT;
	int status = cli_load_site("record", &arena, config, date_text, 0, false, &conf,
				   &site, &today, &errors);
	const char *output_dir = NULL;
	if (status == EXIT_OK) {
		output_dir = output ? output : conf_path(&arena, &conf, conf.output_dir);
		/* history.db goes into the output folder: not into the sources. */
		if (conf.history_in_output)
			cli_check_output_dir(&arena, &conf, output_dir, &errors);
	}
	errlist_print(&errors, stderr);
	if (status != EXIT_OK)
		goto done;
	status = cli_content_status(&errors, site.catalog_errors, CLI_PRODUCE,
				    strict, "nothing recorded");
	if (status != EXIT_OK)
		goto done;

	const char *path = cli_history_path(&arena, &conf, output_dir);
	if (record_open(path, restore ? conf.restore_url : NULL, false, &history, &warning,
			&e) < 0) {
		err_print(&e, stderr);
		fprintf(stderr, "yardstick: the history cannot be used; nothing recorded\n");
		status = EXIT_CONTENT;
		goto done;
	}
	if (warning.msg)
		err_print(&warning, stderr);
	struct eval ev;
	struct rollup ru;
	eval_run(&arena, &site, &conf, today, &ev);
	rollup_run(&arena, &ev, &ru);
	content_release_documents(&site); /* the last query has run */
	const char *said;
	if (record_run(&arena, history, path, &ru, conf.keep_days, &said, &e) < 0) {
		err_print(&e, stderr);
		fprintf(stderr, "yardstick: nothing recorded\n");
		status = EXIT_IO;
	} else {
		printf("%s\n", said);
	}
done:
	content_release_documents(&site);
	history_close(history);
	err_release(&e);
	err_release(&warning);
	errlist_release(&errors);
	arena_release(&arena);
	return status;
}
