/* cli: what the subcommands share. */
/* realpath() is XSI. */
#define _XOPEN_SOURCE 700

#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmark.h>
#include <curl/curl.h>
#include <jansson.h>
#include <sqlite3.h>
#include <yaml.h>

#include "conf.h"
#include "content.h"
#include "date.h"
#include "theme.h"
#include "util.h"

void cli_print_version(const char *version)
{
	const curl_version_info_data *curl = curl_version_info(CURLVERSION_NOW);
	size_t theme_count = 0;
	while (theme_files[theme_count].path)
		theme_count++;
	printf("yardstick %s\n", version);
	printf("libyaml %s\n", yaml_get_version_string());
	printf("cmark %s\n", cmark_version_string());
	printf("libcurl %s%s%s\n", curl->version, curl->ssl_version ? " " : "",
	       curl->ssl_version ? curl->ssl_version : "");
	printf("SQLite %s\n", sqlite3_libversion());
#if JANSSON_VERSION_HEX >= 0x020d00
	printf("jansson %s\n", jansson_version_str());
#else
	printf("jansson %s (built with; this jansson has no version call)\n",
	       JANSSON_VERSION);
#endif
	printf("inih (no version call; the system's libinih)\n");
	printf("theme: built in, %zu files\n", theme_count);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "yardstick: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (command)
		fprintf(stderr, "\ntry 'yardstick %s --help'\n", command);
	else
		fprintf(stderr, "\ntry 'yardstick --help'\n");
	return EXIT_USAGE;
}

int cli_load_conf(const char *command, struct arena *a, const char *config,
		  const char *date_text, struct conf *conf, long *today,
		  struct errlist *errors)
{
	if (date_text && date_parse(date_text, today) != 0)
		return cli_usage_error(command, "--date wants YYYY-MM-DD, not '%s'",
				       date_text);
	int status = EXIT_OK;
	if (conf_load(a, config, conf, errors) != 0) {
		status = EXIT_IO;
	} else if (!date_text && date_today(conf->timezone, today) != 0) {
		errlist_path(errors, ERR_ERROR, NULL, "cannot read the clock");
		status = EXIT_IO;
	}
	errlist_sort(errors);
	return status;
}

int cli_load_content(struct arena *a, const struct conf *conf, long today,
		     size_t jobs, bool keep_documents, struct site *site,
		     struct errlist *errors)
{
	memset(site, 0, sizeof(*site));
	if (!jobs)
		cli_parse_jobs(NULL, &jobs);
	int status = content_load(a, conf, today, jobs, keep_documents, site, errors) != 0
		? EXIT_IO : EXIT_OK;
	errlist_sort(errors);
	return status;
}

int cli_load_site(const char *command, struct arena *a, const char *config,
		  const char *date_text, size_t jobs, bool keep_documents,
		  struct conf *conf, struct site *site, long *today,
		  struct errlist *errors)
{
	memset(site, 0, sizeof(*site));
	int status = cli_load_conf(command, a, config, date_text, conf, today, errors);
	if (status != EXIT_OK)
		return status;
	return cli_load_content(a, conf, *today, jobs, keep_documents, site, errors);
}

int cli_content_status(const struct errlist *errors, size_t catalog_errors,
		       enum cli_role role, bool strict, const char *stopped)
{
	if (catalog_errors > errors->errors)
		BUG("more catalog errors than errors");
	bool stop = errors->errors > catalog_errors ||
		    (role == CLI_VALIDATE && catalog_errors) ||
		    (strict && (errors->errors || errors->warnings));
	if (!stop)
		return EXIT_OK;
	if (stopped)
		fprintf(stderr, "yardstick: %zu error%s, %zu warning%s%s; %s\n",
			errors->errors, errors->errors == 1 ? "" : "s",
			errors->warnings, errors->warnings == 1 ? "" : "s",
			errors->errors > catalog_errors ? "" : " with --strict",
			stopped);
	return EXIT_CONTENT;
}

const char *cli_history_path(struct arena *a, const struct conf *conf,
			     const char *output_dir)
{
	if (conf->history_in_output)
		return arena_printf(a, "%s/history.db", output_dir);
	return conf_path(a, conf, conf->history_file);
}

int cli_parse_jobs(const char *text, size_t *jobs)
{
	if (!text) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		*jobs = cpus < 1 ? 1 : cpus > CLI_MAX_JOBS ? CLI_MAX_JOBS : (size_t)cpus;
		return 0;
	}
	char *end;
	errno = 0;
	long n = strtol(text, &end, 10);
	if (errno || end == text || *end || n < 1 || n > CLI_MAX_JOBS)
		return -1;
	*jobs = (size_t)n;
	return 0;
}

/*
 * The real path `path` will have once created: the real path of its
 * longest existing prefix, with the missing rest appended. Returns NULL
 * when no prefix resolves or the result does not fit.
 */
static const char *future_realpath(struct arena *a, const char *path)
{
	char real[PATH_MAX];
	if (realpath(path, real))
		return arena_strdup(a, real);
	const char *slash = strrchr(path, '/');
	while (slash && slash > path && slash[-1] == '/')
		slash--;
	const char *parent = !slash ? "." : slash == path ? "/" :
			     arena_strndup(a, path, (size_t)(slash - path));
	const char *rest = slash ? slash + 1 : path;
	while (*rest == '/')
		rest++;
	if (!*rest || strcmp(rest, ".") == 0 || strcmp(rest, "..") == 0 ||
	    strcmp(parent, path) == 0)
		return NULL;
	const char *real_parent = future_realpath(a, parent);
	if (!real_parent)
		return NULL;
	return arena_printf(a, "%s%s%s", real_parent,
			    strcmp(real_parent, "/") == 0 ? "" : "/", rest);
}

int cli_check_output_dir(struct arena *a, const struct conf *conf,
			    const char *output, struct errlist *errors)
{
	const char *real_out = future_realpath(a, output);
	if (!real_out)
		return 0; /* output_open reports what is wrong with it */
	const char *sources[] = {
		conf->dir, conf_path(a, conf, conf->content_dir),
		conf_path(a, conf, conf->templates_dir),
		conf_path(a, conf, conf->static_dir),
	};
	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
		char real_src[PATH_MAX];
		if (!realpath(sources[i], real_src))
			continue;
		if (util_path_within(real_src, real_out)) {
			errlist_path(errors, ERR_ERROR, conf->path,
				     "the output folder '%s' holds the site's own "
				     "files ('%s'); choose a folder of its own",
				     output, sources[i]);
			return -1;
		}
		/* The site's folder itself holds output/ by default. */
		if (i > 0 && util_path_within(real_out, real_src)) {
			errlist_path(errors, ERR_ERROR, conf->path,
				     "the output folder '%s' is inside '%s', which "
				     "the build reads; choose a folder outside it",
				     output, sources[i]);
			return -1;
		}
	}
	return 0;
}
