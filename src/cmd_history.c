/*
 * yardstick history: print the recorded aggregates of the history file
 * ([history] file in site.conf) as a time series, CSV (default) or JSON,
 * in the long format of docs/history.md. Reads only site.conf and the
 * history; the content is not loaded.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "conf.h"
#include "date.h"
#include "history.h"

static const char history_usage[] =
	"usage: yardstick history [-c site.conf] [--since DAY] [--until DAY]\n"
	"                         [--format csv|json] [--team ID] [--scorecard ID]\n"
	"                         [--rule SCORECARD/RULE] [--campaign KEY]\n"
	"\n"
	"Print the recorded scores and counts over time from the history file.\n"
	"\n"
	"  -c, --config FILE     the site's configuration (default: site.conf)\n"
	"      --since DAY       from this date on (YYYY-MM-DD)\n"
	"      --until DAY       up to this date (YYYY-MM-DD)\n"
	"  -f, --format FORMAT   csv (default) or json\n"
	"      --team ID         only rows of this team\n"
	"      --scorecard ID    only rows of this scorecard\n"
	"      --rule REF        only rows of this rule (scorecard/rule)\n"
	"      --campaign KEY    only rows of this campaign\n"
	"  -h, --help            this help\n"
	"\n"
	"exit status: 0 success, 1 no history or a damaged one, 2 usage,\n"
	"             3 I/O error\n";

static int parse_day(const char *option, const char *text, day_t *day)
{
	if (date_parse(text, day) != 0)
		return cli_usage_error("history", "%s wants YYYY-MM-DD, not '%s'",
				       option, text);
	return EXIT_OK;
}

int cmd_history(int argc, char **argv)
{
	static const struct option options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "format", required_argument, NULL, 'f' },
		{ "team", required_argument, NULL, 't' },
		{ "scorecard", required_argument, NULL, 's' },
		{ "rule", required_argument, NULL, 'r' },
		{ "campaign", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = "site.conf", *format = "csv";
	const char *since_text = NULL, *until_text = NULL;
	struct history_filter filter = { 0 };
	int opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":c:f:h", options, NULL)) != -1) {
		switch (opt) {
		case 'c': config = optarg; break;
		case 'S': since_text = optarg; break;
		case 'U': until_text = optarg; break;
		case 'f': format = optarg; break;
		case 't': filter.team = optarg; break;
		case 's': filter.scorecard = optarg; break;
		case 'r': filter.rule = optarg; break;
		case 'k': filter.campaign = optarg; break;
		case 'h': fputs(history_usage, stdout); return EXIT_OK;
		case ':':
			return cli_usage_error("history", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error("history", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("history", "unexpected argument '%s'",
				       argv[optind]);
	enum history_format fmt;
	if (strcmp(format, "csv") == 0)
		fmt = HISTORY_CSV;
	else if (strcmp(format, "json") == 0)
		fmt = HISTORY_JSON;
	else
		return cli_usage_error("history", "--format wants csv or json, not '%s'",
				       format);
	day_t since = LONG_MIN, until = LONG_MAX;
	int status;
	if ((since_text && (status = parse_day("--since", since_text, &since)) != EXIT_OK) ||
	    (until_text && (status = parse_day("--until", until_text, &until)) != EXIT_OK))
		return status;
	if (since > until)
		return cli_usage_error("history", "--since %s is after --until %s",
				       since_text, until_text);

	struct arena arena = ARENA_INIT;
	struct errlist errors = ERRLIST_INIT;
	struct conf conf;
	struct history *h = NULL;
	struct err e = ERR_INIT;
	struct buf out = BUF_INIT;
	status = EXIT_OK;
	int loaded = conf_load(&arena, config, &conf, &errors);
	if (loaded != 0 || errors.errors) {
		errlist_sort(&errors);
		errlist_print(&errors, stderr);
		status = loaded != 0 ? EXIT_IO : EXIT_CONTENT;
		goto done;
	}
	const char *path = conf_path(&arena, &conf, conf.history_file);
	if (history_open(&h, path, HISTORY_READ, &e) != 0) {
		err_print(&e, stderr);
		status = EXIT_CONTENT;
		goto done;
	}
	struct history_writer w;
	history_writer_begin(&w, &out, fmt);
	if (history_series(h, &filter, since, until, history_writer_row, &w, &e) != 0) {
		err_print(&e, stderr);
		status = EXIT_CONTENT;
		goto done;
	}
	history_writer_end(&w);
	if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		fprintf(stderr, "yardstick: cannot write the history\n");
		status = EXIT_IO;
	}
done:
	buf_release(&out);
	history_close(h);
	err_release(&e);
	errlist_release(&errors);
	arena_release(&arena);
	return status;
}
