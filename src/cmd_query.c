/*
 * yardstick query: list the entities a query matches, one reference a
 * line, sorted. Standard output carries nothing else, so it can be piped;
 * content errors and a bad query go to standard error. Broken catalog
 * files only lose their entities; errors elsewhere, or any problem with
 * --strict, stop it before it prints a match (cli_content_status).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "conf.h"
#include "content.h"
#include "date.h"
#include "query.h"

static const char query_usage[] =
	"usage: yardstick query [-c site.conf] [--date YYYY-MM-DD] [--strict] [--] QUERY...\n"
	"\n"
	"Print the references of the entities QUERY matches, one a line, sorted,\n"
	"for example:  yardstick query 'kind:service tier:<=2 -link:runbook'\n"
	"Several arguments are joined with spaces into one query.\n"
	"docs/queries.md describes the language.\n"
	"\n"
	"  -c, --config FILE   the site's configuration (default: site.conf)\n"
	"      --date DAY      the run date (default: today in the site's time zone)\n"
	"      --strict        any problem, errors in catalog files and warnings\n"
	"                      too, stops it (exit 1, nothing printed)\n"
	"  -h, --help          this help\n"
	"\n"
	"exit status: 0 success (also when nothing matches, and when catalog files\n"
	"are broken: the query runs over what loaded), 1 errors outside the catalog\n"
	"or any problem with --strict (nothing printed), 2 usage or a bad query,\n"
	"3 I/O error. README.md, \"Exit codes\", has the table for every command.\n";

/* Report a bad query like a problem in a file, with the query as the
 * quoted line (line breaks shown as spaces so the caret lines up). */
static int bad_query(struct arena *arena, const char *text,
		     const struct query_error *error)
{
	char *line = arena_strdup(arena, text);
	for (char *c = line; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	struct source src = { NULL, line, strlen(line), NULL };
	struct err e = ERR_INIT;
	err_at(&e, ERR_ERROR, &src, 1, error->col, "bad query: %s", error->msg);
	err_print(&e, stderr);
	err_release(&e);
	return EXIT_USAGE;
}

/* Errors, each once; warnings are for `yardstick check`, unless --strict
 * makes them the reason to stop. */
static void print_errors(const struct errlist *errors, bool warnings)
{
	for (size_t i = 0; i < errors->count; i++)
		if (warnings || errors->items[i].level == ERR_ERROR)
			err_print(&errors->items[i], stderr);
	fflush(stderr);
}

int cmd_query(int argc, char **argv)
{
	const char *config = "site.conf";
	const char *date_text = NULL;
	bool strict = false;
	struct buf text = BUF_INIT;
	/*
	 * Not getopt: a query may start with '-' (-lifecycle:deprecated), and
	 * its words may come as separate arguments, joined with spaces. An
	 * argument starting with '-' is an option unless it looks like a
	 * negated term (a ':' in it, or "-(").
	 */
	bool options_done = false;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		bool option = !options_done && arg[0] == '-' && arg[1] &&
			      !strchr(arg, ':') && arg[1] != '(';
		if (!option) {
			if (text.len)
				buf_addch(&text, ' ');
			buf_adds(&text, arg);
		} else if (strcmp(arg, "--") == 0) {
			options_done = true;
		} else if (strcmp(arg, "--strict") == 0) {
			strict = true;
		} else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			fputs(query_usage, stdout);
			buf_release(&text);
			return EXIT_OK;
		} else if (strcmp(arg, "-c") == 0 || strcmp(arg, "--config") == 0 ||
			   strcmp(arg, "--date") == 0) {
			if (i + 1 >= argc) {
				buf_release(&text);
				return cli_usage_error("query", "option '%s' needs a value",
						       arg);
			}
			if (arg[1] == 'c' || arg[2] == 'c')
				config = argv[++i];
			else
				date_text = argv[++i];
		} else if (strncmp(arg, "--config=", 9) == 0) {
			config = arg + 9;
		} else if (strncmp(arg, "--date=", 7) == 0) {
			date_text = arg + 7;
		} else {
			buf_release(&text);
			return cli_usage_error("query", "unknown option '%s'", arg);
		}
	}
	if (!text.len) {
		buf_release(&text);
		return cli_usage_error("query", "missing the query");
	}
	struct arena arena = ARENA_INIT;
	struct errlist errors = ERRLIST_INIT;
	struct conf conf;
	struct site site = { 0 };
	struct query_error error;
	int status = EXIT_OK;
	/* The query first: a typo should not wait for the catalog to load. */
	struct query *q = query_parse(&arena, text.data, &error);
	if (!q) {
		status = bad_query(&arena, text.data, &error);
		goto done;
	}
	day_t today;
	status = cli_load_site("query", &arena, config, date_text, 0,
			       query_reads_documents(q), &conf, &site,
			       &today, &errors);
	print_errors(&errors, strict);
	if (status != EXIT_OK)
		goto done;
	status = cli_content_status(&errors, site.catalog_errors, CLI_PRODUCE,
				    strict, "no query run");
	if (status != EXIT_OK)
		goto done;
	for (size_t i = 0; i < site.entity_count; i++)
		if (query_match(q, site.entities[i]))
			printf("%s\n", site.entities[i]->ref);

done:
	content_release_documents(&site);
	errlist_release(&errors);
	buf_release(&text);
	arena_release(&arena);
	return status;
}
