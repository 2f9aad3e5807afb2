/*
 * yardstick: engineering scorecards as a static site.
 *
 * main() only finds the subcommand and hands it the rest of the command
 * line; each command sequences the pipeline stages it needs.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef YARDSTICK_VERSION
#define YARDSTICK_VERSION "unknown"
#endif

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "build", cmd_build, "evaluate and write the website into the output folder" },
	{ "check", cmd_check, "validate the site's content, print every problem" },
	{ "eval", cmd_eval, "evaluate every rule for every entity: JSON, CSV or JUnit" },
	{ "history", cmd_history, "print the recorded scores over time: CSV or JSON" },
	{ "init", cmd_init, "write a new site: site.conf, content/ and Datadog's scorecards" },
	{ "query", cmd_query, "list the entities a query matches" },
	{ "record", cmd_record, "evaluate and record the run in the history, no pages" },
	{ "render", cmd_render, "render one Mustache template with JSON or YAML data" },
	{ "theme", cmd_theme, "theme export DIR: write the built-in theme out, to customise" },
};

static void print_help(FILE *out)
{
	fprintf(out, "usage: yardstick <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\n'yardstick <command> --help' describes a command's options.\n"
		"'yardstick --version' prints the version and the libraries'.\n"
		"exit codes: 0 success, 1 content errors (each command's --help says\n"
		"            which stop it), 2 usage, 3 I/O error, 4 build: the site\n"
		"            was built, a Slack digest was not delivered\n"
		"manual: man yardstick\n");
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return print_help(stderr), EXIT_USAGE;
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
	    strcmp(name, "help") == 0) {
		print_help(stdout);
		return EXIT_OK;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
		cli_print_version(YARDSTICK_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(name, commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	return cli_usage_error(NULL, "unknown command '%s'", name);
}
