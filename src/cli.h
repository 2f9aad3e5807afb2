/*
 * cli: the subcommands main() dispatches to, and the exit codes they share.
 *
 * Each command takes its own argv (argv[0] is the command name), parses
 * its options, and returns one of the exit codes below. README.md ("Exit
 * codes") is the table users read; cli_content_status() is its one
 * implementation for content problems.
 */
#ifndef YARDSTICK_CLI_H
#define YARDSTICK_CLI_H

#include <stdbool.h>
#include <stddef.h>

enum exit_code {
	EXIT_OK = 0,
	EXIT_CONTENT = 1, /* content errors, or a failed --fail-under */
	EXIT_USAGE = 2,   /* bad command line */
	EXIT_IO = 3,      /* I/O or system error */
	EXIT_SLACK = 4,   /* build: the site was built, a Slack digest was not delivered */
};

int cmd_build(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_theme(int argc, char **argv);

/*
 * `yardstick --version`: the version (`version`, from the VERSION file at
 * build time) and the versions of the libraries it runs with, each asked
 * at run time (inih has no version call), one per line on stdout.
 */
void cli_print_version(const char *version);

struct arena;
struct conf;
struct site;
struct errlist;

/*
 * Load site.conf at `config` and its content as of `date_text` (YYYY-MM-DD,
 * or NULL for today in the site's time zone), collecting every problem in
 * `errors` (sorted), reading and parsing files on `jobs` threads (0: the
 * online CPUs, as cli_parse_jobs(NULL)); `keep_documents` is
 * content_load()'s, for a caller that runs a query of its own. Returns EXIT_OK, EXIT_USAGE for a
 * bad date, or EXIT_IO when site.conf, the content folder or a file in it
 * cannot be read; content errors are left for the caller to weigh.
 *
 * Whatever it returns, the caller ends with content_release_documents()
 * on `site` (content.h): as soon as its last query has run, to give the
 * catalog's value trees back before producing output.
 */
int cli_load_site(const char *command, struct arena *a, const char *config,
		  const char *date_text, size_t jobs, bool keep_documents,
		  struct conf *conf, struct site *site, long *today,
		  struct errlist *errors);

/*
 * The two halves of cli_load_site, for build, which looks at its output
 * folder in between: site.conf and the run date (EXIT_OK, EXIT_USAGE for a
 * bad date, EXIT_IO), then the content (EXIT_OK or EXIT_IO; `site` zeroed
 * first). Both sort `errors`.
 */
int cli_load_conf(const char *command, struct arena *a, const char *config,
		  const char *date_text, struct conf *conf, long *today,
		  struct errlist *errors);
int cli_load_content(struct arena *a, const struct conf *conf, long today,
		     size_t jobs, bool keep_documents, struct site *site,
		     struct errlist *errors);

/*
 * Refuse an output folder the site's sources would share: the output
 * folder is emptied of yardstick's old files on every build, so it must
 * not be the site's own folder or hold its sources, and it must not be
 * inside content/, templates/ or static/, which would then be read back
 * (and copied) as sources. `output` need not exist yet. Returns 0, or -1
 * with the error added to `errors` (at site.conf).
 */
int cli_check_output_dir(struct arena *a, const struct conf *conf,
			 const char *output, struct errlist *errors);

/*
 * The history file of a run writing into `output_dir`: [history] file when
 * set (relative to site.conf), else history.db in the output folder.
 */
const char *cli_history_path(struct arena *a, const struct conf *conf,
			     const char *output_dir);

/* The most threads --jobs may ask for. */
enum { CLI_MAX_JOBS = 256 };

/*
 * The value of --jobs: `text` as a number of threads from 1 to
 * CLI_MAX_JOBS (0, or -1 when it is not one), or, for NULL, the number
 * of online CPUs (at least 1, at most CLI_MAX_JOBS).
 */
int cli_parse_jobs(const char *text, size_t *jobs);

/* What a command does with the content it loaded. */
enum cli_role {
	CLI_VALIDATE, /* check: any error is the answer, exit 1 */
	CLI_PRODUCE,  /* query, eval, build: go on without broken catalog files */
};

/*
 * The exit-code policy of check, query, eval and build for the problems
 * `errors` holds after cli_load_site (plus, for build, the theme's), of
 * which `catalog_errors` are errors in catalog files:
 *
 *   - an error outside the catalog stops every command;
 *   - an error in a catalog file stops CLI_VALIDATE only; CLI_PRODUCE
 *     goes on without the broken file's entities;
 *   - with `strict`, any problem, errors and warnings alike, stops.
 *
 * Returns EXIT_OK to go on, or EXIT_CONTENT to stop before producing
 * output. When it stops and `stopped` is not NULL (what is not done, like
 * "nothing written"), it says so on stderr with the counts.
 */
int cli_content_status(const struct errlist *errors, size_t catalog_errors,
		       enum cli_role role, bool strict, const char *stopped);

/* Print "yardstick: <message>" and a hint to stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
