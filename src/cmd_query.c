/*
 * yardstick query: list the entities a query matches, one reference a
 * line, sorted. Standard output carries nothing else, so it can be piped;
 * content errors and a bad query go to standard error.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "conf.h"
#include "content.h"
#include "date.h"
#include "query.h"

static const char query_usage[] =
	"usage: yardstick query [-c site.conf] [--date YYYY-MM-DD] QUERY\n"
	"\n"
	"Print the references of the entities QUERY matches, one a line, sorted,\n"
	"for example:  yardstick query 'kind:service tier:<=2 -link:runbook'\n"
	"docs/queries.md describes the language.\n"
	"\n"
	"  -c, --config FILE   the site's configuration (default: site.conf)\n"
	"      --date DAY      the run date (default: today in the site's time zone)\n"
	"  -h, --help          this help\n"
	"\n"
	"exit status: 0 success (also when nothing matches), 1 content errors\n"
	"(the query still runs over what loaded), 2 usage or a bad query,\n"
	"3 I/O error\n";

/* Report a bad query like a problem in a file, with the query as the
 * quoted line (line breaks shown as spaces so the caret lines up). */
static int bad_query(struct arena *arena, const char *text,
		     const struct query_error *error)
{
	char *line = arena_strdup(arena, text);
	for (char *c = line; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	struct source src = { NULL, line, strlen(line) };
	struct err e = ERR_INIT;
	err_at(&e, ERR_ERROR, &src, 1, error->col, "bad query: %s", error->msg);
	err_print(&e, stderr);
	err_release(&e);
	return EXIT_USAGE;
}

int cmd_query(int argc, char **argv)
{
	static const struct option options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "date", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = "site.conf";
	const char *date_text = NULL;
	int opt;
	opterr = 0;
	optind = 1;
	/* '+': a query may start with '-' (-lifecycle:deprecated); options
	 * come first, and '--' ends them. */
	while ((opt = getopt_long(argc, argv, "+:c:h", options, NULL)) != -1) {
		switch (opt) {
		case 'c': config = optarg; break;
		case 'd': date_text = optarg; break;
		case 'h': fputs(query_usage, stdout); return EXIT_OK;
		case ':':
			return cli_usage_error("query", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error("query", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("query", "missing the query");
	if (optind + 1 < argc)
		return cli_usage_error("query", "unexpected argument '%s' (quote "
				       "the whole query as one argument)",
				       argv[optind + 1]);
	const char *text = argv[optind];
	day_t given_day = 0;
	if (date_text && date_parse(date_text, &given_day) != 0)
		return cli_usage_error("query", "--date wants YYYY-MM-DD, not '%s'",
				       date_text);

	struct arena arena = ARENA_INIT;
	struct errlist errors = ERRLIST_INIT;
	struct conf conf;
	struct site site;
	struct query_error error;
	int status = EXIT_OK;
	/* The query first: a typo should not wait for the catalog to load. */
	struct query *q = query_parse(&arena, text, &error);
	if (!q) {
		status = bad_query(&arena, text, &error);
		goto done;
	}
	if (conf_load(&arena, config, &conf, &errors) != 0) {
		status = EXIT_IO;
		goto done;
	}
	day_t today = given_day;
	if (!date_text && date_today(conf.timezone, &today) != 0) {
		fprintf(stderr, "yardstick: cannot read the clock\n");
		status = EXIT_IO;
		goto done;
	}
	if (content_load(&arena, &conf, today, &site, &errors) != 0) {
		status = EXIT_IO;
		goto done;
	}
	for (size_t i = 0; i < site.entity_count; i++)
		if (query_match(q, site.entities[i]))
			printf("%s\n", site.entities[i]->ref);
	if (errors.errors)
		status = EXIT_CONTENT;

done:
	/* Only errors: warnings are for `yardstick check`. */
	errlist_sort(&errors);
	for (size_t i = 0; i < errors.count; i++)
		if (errors.items[i].level == ERR_ERROR)
			err_print(&errors.items[i], stderr);
	errlist_release(&errors);
	arena_release(&arena);
	return status;
}
