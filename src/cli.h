/*
 * cli: the subcommands main() dispatches to, and the exit codes they share.
 *
 * Each command takes its own argv (argv[0] is the command name), parses
 * its options, and returns one of the exit codes below.
 */
#ifndef YARDSTICK_CLI_H
#define YARDSTICK_CLI_H

enum exit_code {
	EXIT_OK = 0,
	EXIT_CONTENT = 1, /* content errors, or a failed --fail-under */
	EXIT_USAGE = 2,   /* bad command line */
	EXIT_IO = 3,      /* I/O or system error */
	EXIT_SLACK = 4,   /* site built but Slack delivery failed */
};

int cmd_build(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_render(int argc, char **argv);

struct arena;
struct conf;
struct site;
struct errlist;

/*
 * Load site.conf at `config` and its content as of `date_text` (YYYY-MM-DD,
 * or NULL for today in the site's time zone), collecting every problem in
 * `errors` (sorted). Returns EXIT_OK, EXIT_USAGE for a bad date, or EXIT_IO
 * when site.conf or the content folder cannot be read; content errors are
 * left for the caller to weigh.
 */
int cli_load_site(const char *command, struct arena *a, const char *config,
		  const char *date_text,
		  struct conf *conf, struct site *site, long *today,
		  struct errlist *errors);

/* Print "yardstick: <message>" and a hint to stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
