/*
 * yardstick build: load, evaluate, render and write the site.
 *
 * Nothing in the output folder changes unless the whole build succeeds:
 * errors in site.conf, scorecards, campaigns or the theme stop it before a
 * page is rendered, and a failure while rendering or staging aborts the
 * output, which removes what it staged. Broken entity files only lose their
 * entities (listed on the problems page); with --strict any problem stops
 * it (cli_content_status).
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "cli.h"
#include "conf.h"
#include "content.h"
#include "date.h"
#include "eval.h"
#include "rollup.h"
#include "mustache.h"
#include "output.h"
#include "record.h"
#include "site.h"
#include "slack.h"
#include "stamp.h"
#include "theme.h"

static const char build_usage[] =
	"usage: yardstick build [-c site.conf] [--date YYYY-MM-DD] [--strict]\n"
	"                       [--output DIR] [--no-restore] [--no-wait] [--jobs N]\n"
	"                       [--force]\n"
	"                       [--slack | --slack-dry-run DIR] [--slack-resend]\n"
	"\n"
	"Evaluate every scorecard, record the run in the history and write the\n"
	"website: pages with trend charts, badges, data exports and the theme's\n"
	"static files. The theme is built in; files in site.conf's templates\n"
	"and static folders, when they exist, replace its files by name\n"
	"(docs/templates.md). Only files whose bytes changed are written; files\n"
	"an earlier build wrote and this one does not are removed. When no input\n"
	"changed since the last build and its files are as it left them, nothing\n"
	"is loaded or rendered (docs/site.md).\n"
	"\n"
	"  -c, --config FILE  the site's configuration (default: site.conf)\n"
	"      --date DAY     the run date (default: today in the site's time zone)\n"
	"  -o, --output DIR   write here instead of site.conf's output folder (the\n"
	"                     history too, unless [history] file is set)\n"
	"      --no-restore   do not fetch a missing history from restore_url\n"
	"      --no-wait      fail (exit 3) instead of waiting when another build\n"
	"                     is writing the output folder\n"
	"  -j, --jobs N       render and write with N threads (default: the number\n"
	"                     of online CPUs; 1 for one thread); same files either way\n"
	"      --force        load, record and render even when no input changed,\n"
	"                     and check the history for damage\n"
	"      --slack        then post the Slack digests (docs/slack.md)\n"
	"      --slack-dry-run DIR  write each digest's payload to DIR instead\n"
	"      --slack-resend  post again digests already posted for the date\n"
	"      --strict       any problem, errors in catalog files and warnings\n"
	"                     too, stops the build (exit 1, nothing written)\n"
	"  -h, --help         this help\n"
	"\n"
	"exit status: 0 built (entities of broken catalog files are left out and\n"
	"listed on the problems page), 1 errors outside the catalog or in the\n"
	"theme, or any problem with --strict (nothing written), 2 usage, 3 I/O\n"
	"error (nothing written), 4 built but a Slack digest was not delivered.\n"
	"README.md, \"Exit codes\", has the table.\n";

/*
 * The theme folders are optional (the theme is built in), but one that
 * site.conf names other than the default must exist: a typo would
 * otherwise silently give the built-in theme.
 */
static void check_theme_dirs(struct arena *a, const struct conf *conf,
			     struct errlist *errors)
{
	const struct { const char *key, *value, *fallback; } dirs[] = {
		{ "templates", conf->templates_dir, "templates" },
		{ "static", conf->static_dir, "static" },
	};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		struct stat st;
		const char *path = conf_path(a, conf, dirs[i].value);
		if (strcmp(dirs[i].value, dirs[i].fallback) == 0 ||
		    (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
			continue;
		errlist_path(errors, ERR_ERROR, conf->path,
			     "%s = %s: there is no folder '%s' (leave the key out "
			     "for the built-in theme alone)", dirs[i].key,
			     dirs[i].value, path);
	}
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Say what output_open() removed of a killed build. */
static void say_cleaned(const struct output *out, const char *output_dir)
{
	if (output_cleaned(out))
		fprintf(stderr, "yardstick: removed %zu temporary files an interrupted "
			"build left in '%s'\n", output_cleaned(out), output_dir);
}

/*
 * Stop early (stamp.h) when the output folder holds the stamp of these
 * inputs and is as that build left it: print what that build printed and
 * return true. Anything else (no stamp, another one, a file changed, the
 * folder locked with --no-wait) returns false: the build goes on.
 */
static bool up_to_date(struct arena *a, const char *output_dir, const char *history_path,
		       uint64_t inputs, bool wait, const struct timespec *start)
{
	struct stamp s;
	if (stamp_read(a, output_dir, &s) != 1 ||
	    s.inputs != stamp_combine(inputs, stamp_history(history_path),
				      stamp_manifest(output_dir)))
		return false;
	/* Again under the folder's lock: another build may be writing it. */
	struct err e = ERR_INIT;
	struct output *out = NULL;
	size_t files;
	bool same = output_open(&out, output_dir, wait, &e) == 0;
	if (same)
		say_cleaned(out, output_dir);
	same = same && stamp_read(a, output_dir, &s) == 1 &&
	       s.inputs == stamp_combine(inputs, stamp_history(history_path),
					 stamp_manifest(output_dir)) &&
	       output_intact(out, &files);
	output_free(out);
	err_release(&e);
	if (!same)
		return false;
	fwrite(s.problems, 1, s.problems_len, stderr);
	if (s.recorded)
		printf("%s\n", s.recorded);
	printf("up to date: no input changed since the last build; nothing rendered\n");
	printf("built: %zu pages, 0 written, %zu unchanged, 0 removed in %.2f s\n",
	       s.pages, files, seconds_since(start));
	return true;
}

/* What write_site stamps the output folder with, when `enabled`. */
struct stamp_plan {
	bool enabled;           /* the inputs can be stamped */
	uint64_t inputs;        /* stamp_inputs() */
	const char *history_path;
	uint64_t history;       /* stamp_history() once the run is recorded */
	const char *recorded;   /* the "recorded: ..." line, or NULL */
	const char *problems;   /* the problems printed */
	size_t problems_len;
};

/* Print the problems on stderr and keep what was printed in `printed`. */
static void print_problems(const struct errlist *errors, struct buf *printed)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem) {
		fprintf(stderr, "yardstick: out of memory\n");
		abort();
	}
	errlist_print(errors, mem);
	fclose(mem);
	fwrite(text, 1, len, stderr);
	buf_add(printed, text, len);
	free(text);
}

/* Render and write everything; returns an exit code. */
static int write_site(struct arena *a, const struct conf *conf,
		      const char *output_dir, const struct rollup *ru,
		      struct history *history,
		      const struct errlist *problems, struct mustache_cache *theme,
		      bool wait, size_t jobs, const struct stamp_plan *plan,
		      const struct timespec *start)
{
	struct err e = ERR_INIT;
	struct output *out = NULL;
	struct output_stats stats = { 0 };
	size_t pages = 0;
	int status = EXIT_OK;
	if (output_open(&out, output_dir, wait, &e) < 0) {
		status = EXIT_IO;
		goto fail;
	}
	say_cleaned(out, output_dir);
	struct site_job job = { ru, conf, problems, theme, out, history, jobs };
	enum site_status rendered = site_render(&job, &pages, &e);
	if (rendered != SITE_OK) {
		status = rendered == SITE_OUTPUT_FAILED ? EXIT_IO : EXIT_CONTENT;
		goto fail;
	}
	if (theme_write_static(out, conf_path(a, conf, conf->static_dir), &e) < 0) {
		status = EXIT_IO;
		goto fail;
	}
	/* Before the folder changes (until here only staged files were
	 * added): a build killed from here on leaves no stamp, and the next
	 * one builds. */
	if (stamp_remove(output_dir, &e) < 0) {
		status = EXIT_IO;
		goto fail;
	}
	if (output_commit(out, &stats, &e) < 0) {
		/* Part of the files may be in place: they are listed, and the
		 * next build writes the rest (output.h). */
		err_print(&e, stderr);
		err_release(&e);
		output_free(out);
		fprintf(stderr, "yardstick: build failed while replacing files; some "
			"are new, and the next build completes them\n");
		return EXIT_IO;
	}
	/* Stamped with the history as the pages read it: if another command
	 * wrote it since, these pages may not show that, so no stamp. */
	if (plan->enabled && stamp_history(plan->history_path) == plan->history) {
		struct stamp s = { stamp_combine(plan->inputs, plan->history,
						 stamp_manifest(output_dir)),
				   plan->history, pages, plan->recorded,
				   plan->problems, plan->problems_len };
		if (stamp_write(output_dir, &s, &e) < 0) {
			/* The site is built; the next build just cannot stop early. */
			err_print(&e, stderr);
			err_release(&e);
		}
	}
	output_free(out);
	printf("built: %zu pages, %zu written, %zu unchanged, %zu removed in %.2f s\n",
	       pages, stats.written, stats.unchanged, stats.removed,
	       seconds_since(start));
	return EXIT_OK;
fail:
	err_print(&e, stderr);
	err_release(&e);
	if (out) {
		output_abort(out);
		output_free(out);
	}
	fprintf(stderr, "yardstick: build failed; the output folder is unchanged\n");
	return status;
}

int cmd_build(int argc, char **argv)
{
	static const struct option options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "date", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "strict", no_argument, NULL, 'S' },
		{ "no-restore", no_argument, NULL, 'R' },
		{ "no-wait", no_argument, NULL, 'W' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "slack", no_argument, NULL, 's' },
		{ "slack-dry-run", required_argument, NULL, 'D' },
		{ "slack-resend", no_argument, NULL, 'r' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = "site.conf", *date_text = NULL, *output = NULL;
	const char *dry_run = NULL, *jobs_text = NULL;
	int strict = 0, restore = 1, wait = 1, slack = 0, resend = 0, force = 0, opt;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":c:o:j:h", options, NULL)) != -1) {
		switch (opt) {
		case 'c': config = optarg; break;
		case 'd': date_text = optarg; break;
		case 'o': output = optarg; break;
		case 'S': strict = 1; break;
		case 'R': restore = 0; break;
		case 'W': wait = 0; break;
		case 'j': jobs_text = optarg; break;
		case 's': slack = 1; break;
		case 'D': dry_run = optarg; break;
		case 'r': resend = 1; break;
		case 'F': force = 1; break;
		case 'h': fputs(build_usage, stdout); return EXIT_OK;
		case ':':
			return cli_usage_error("build", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cli_usage_error("build", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("build", "unexpected argument '%s'", argv[optind]);
	if (slack && dry_run)
		return cli_usage_error("build", "--slack and --slack-dry-run exclude "
				       "each other");
	if (resend && !slack)
		return cli_usage_error("build", "--slack-resend goes with --slack");
	size_t jobs;
	if (cli_parse_jobs(jobs_text, &jobs) < 0)
		return cli_usage_error("build", "--jobs needs a number from 1 to %d, "
				       "not '%s'", CLI_MAX_JOBS, jobs_text);

	struct arena arena = ARENA_INIT;
	struct errlist errors = ERRLIST_INIT;
	struct conf conf;
	struct site site = { 0 };
	day_t today;
	struct mustache_cache *theme = NULL, *slack_theme = NULL;
	struct history *history = NULL;
	int status = cli_load_conf("build", &arena, config, date_text, &conf, &today,
				   &errors);
	if (status != EXIT_OK) {
		errlist_print(&errors, stderr);
		goto done;
	}
	const char *output_dir = output ? output : conf_path(&arena, &conf, conf.output_dir);
	const char *history_path = cli_history_path(&arena, &conf, output_dir);
	/* Nothing changed since the last build: nothing to do. A Slack run
	 * needs the evaluation, so it always builds. */
	struct stamp_plan plan = { false, 0, history_path, 0, NULL, NULL, 0 };
	struct stamp_request request = { &conf, output_dir, history_path, today,
					 strict, restore };
	bool stampable = !slack && !dry_run &&
			 stamp_inputs(&arena, &request, &plan.inputs);
	if (stampable && !force &&
	    up_to_date(&arena, output_dir, history_path, plan.inputs, wait, &start))
		goto done;
	status = cli_load_content(&arena, &conf, today, jobs, false, &site, &errors);
	if (status != EXIT_OK) {
		errlist_print(&errors, stderr);
		goto done;
	}
	const char *templates = conf_path(&arena, &conf, conf.templates_dir);
	/* The site's templates folder over the built-in theme (theme.h). */
	atomic_bool theme_io_failed = false;
	struct theme_templates pages = { templates, "", &theme_io_failed };
	struct mustache_loader loader = { theme_load_template, &pages };
	theme = mustache_cache_new(&loader);
	/* The theme's indentation is for its authors, not its readers. */
	mustache_cache_set_options(theme, MUSTACHE_TRIM_INDENT);
	/* The theme is checked with the content, so one run reports both. */
	site_load_theme(theme, templates, &errors);
	const char *slack_templates = arena_printf(&arena, "%s/slack", templates);
	struct theme_templates digests = { slack_templates, "slack/",
					   &theme_io_failed };
	struct mustache_loader slack_loader = { theme_load_template, &digests };
	if (slack || dry_run) {
		slack_theme = mustache_cache_new(&slack_loader);
		slack_load_templates(slack_theme, slack_templates, &errors);
	}
	cli_check_output_dir(&arena, &conf, output_dir, &errors);
	check_theme_dirs(&arena, &conf, &errors);
	errlist_sort(&errors);
	/* The problems as printed, for the stamp: a build that stops early
	 * prints them again. */
	struct buf printed = BUF_INIT;
	print_problems(&errors, &printed);
	plan.problems = arena_strndup(&arena, printed.data ? printed.data : "", printed.len);
	plan.problems_len = printed.len;
	buf_release(&printed);
	status = cli_content_status(&errors, site.catalog_errors, CLI_PRODUCE,
				    strict, "nothing written");
	/* A theme file that cannot be read is an I/O problem, as a content
	 * file is (exit 3); a broken one is an error in the theme (exit 1). */
	if (status == EXIT_CONTENT && atomic_load(&theme_io_failed))
		status = EXIT_IO;
	if (status != EXIT_OK)
		goto done;

	/* The history is opened (or restored) before anything is evaluated,
	 * so a history that cannot be used stops the build with nothing
	 * written; the run is recorded before the pages that chart it. */
	struct err e = ERR_INIT, warning = ERR_INIT;
	/* A history as the last stamped build left it was checked then (or
	 * trusted the same way) and written only through SQLite since: it is
	 * not read whole again (stamp.h), unless --force asks for all the
	 * work. One replaced between that look and the open is checked. */
	struct stamp last;
	bool trusted = !force && stamp_read(&arena, output_dir, &last) == 1 &&
		       last.history == stamp_history(history_path);
	if (record_open(history_path, restore ? conf.restore_url : NULL, trusted,
			&history, &warning, &e) < 0 ||
	    (trusted && stamp_history(history_path) != last.history &&
	     history_check(history, &e) < 0)) {
		err_print(&e, stderr);
		err_release(&e);
		fprintf(stderr, "yardstick: the history cannot be used; nothing written\n");
		status = EXIT_CONTENT;
		goto done;
	}
	if (warning.msg) {
		/* Said once: the history it restored is there next time. */
		err_print(&warning, stderr);
		errlist_add(&errors, &warning);
		stampable = false;
	}

	struct eval ev;
	struct rollup ru;
	eval_run(&arena, &site, &conf, today, &ev);
	rollup_run(&arena, &ev, &ru);
	content_release_documents(&site); /* the last query has run */
	/* What recording says is kept in the stamp: a build that stops early
	 * says it again. */
	if (record_run(&arena, history, history_path, &ru, conf.keep_days,
		       &plan.recorded, &e) < 0) {
		err_print(&e, stderr);
		err_release(&e);
		fprintf(stderr, "yardstick: the run could not be recorded; nothing written\n");
		status = EXIT_IO;
		goto done;
	}
	printf("%s\n", plan.recorded);
	/* The history as the pages will read it (what the stamp holds). */
	plan.history = stamp_history(history_path);
	plan.enabled = stampable;
	status = write_site(&arena, &conf, output_dir, &ru, history, &errors, theme,
			    wait, jobs, &plan, &start);
	if (status == EXIT_OK && (slack || dry_run)) {
		/* Last: the site is written and the run recorded. */
		struct slack_job job = { &ru, &conf, history, slack_theme, dry_run,
					 resend };
		enum slack_status sent = slack_run(&job);
		status = sent == SLACK_OK ? EXIT_OK
			 : sent == SLACK_IO ? EXIT_IO : EXIT_SLACK;
	}
done:
	content_release_documents(&site);
	history_close(history);
	mustache_cache_free(theme);
	mustache_cache_free(slack_theme);
	errlist_release(&errors);
	arena_release(&arena);
	return status;
}
