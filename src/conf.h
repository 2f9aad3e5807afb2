/*
 * conf: site.conf, the site's INI configuration, read with inih.
 *
 * Every key is described once in a table (section, name, kind, default), so
 * validation, defaults and messages stay in step; docs/content.md
 * ("site.conf") documents the same keys for people. Unknown sections and keys and bad values are errors at their
 * line and column; parsing goes on so all of them are reported.
 */
#ifndef YARDSTICK_CONF_H
#define YARDSTICK_CONF_H

#include <stdbool.h>

#include "arena.h"
#include "err.h"

struct conf {
	const char *path; /* as given on the command line */
	const char *dir;  /* folder of site.conf; relative paths start here */

	/* [site] */
	const char *title;
	const char *base_url;
	const char *timezone;
	const char *content_dir;
	const char *templates_dir;
	const char *static_dir;
	const char *output_dir;
	long page_rows; /* rows of a long list on one page, 1..5000 */

	/* [campaigns] */
	/* "Create ticket" links: {title}, {body}, {team}, {campaign} are
	 * replaced by URL-encoded text; "" when not set. */
	const char *ticket_url_template;

	/* [evaluation] */
	bool no_data_fails;        /* no_data = fail */
	long outcome_max_age_days; /* 0 = outcomes never go stale */

	/* [history] (docs/history.md) */
	const char *history_file; /* as written; default "<output>/history.db" */
	bool history_in_output;   /* file not set: it follows the output folder */
	const char *restore_url;  /* "" = none; default base_url + "history.db" */
	long keep_days;           /* > 0 */

	/* [slack] (docs/slack.md) */
	const char *slack_webhook_env; /* names the variable holding the webhook */
	const char *slack_token_env;   /* names the variable holding the bot token */
	const char *slack_channel;     /* "" = the webhook; else chat.postMessage */
	const char *slack_api_url;     /* chat.postMessage is this + "chat.postMessage" */
	unsigned slack_digests;        /* CONF_DIGEST_* bits */
	unsigned slack_send_on;        /* bit d: weekday d (0 = Sunday) */

	/* [badges] (docs/site.md) */
	bool badges_enabled; /* write badges/ and show badge snippets */

	/* [exports] (docs/site.md) */
	unsigned export_formats; /* CONF_EXPORT_* bits; 0 = no data/results.* */
};

enum { CONF_DIGEST_ORG = 1, CONF_DIGEST_TEAMS = 2 };

/* The data exports of [exports] formats: data/results.json,
 * data/results.csv, data/results.junit.xml and data/outcomes.json. */
enum { CONF_EXPORT_JSON = 1, CONF_EXPORT_CSV = 2, CONF_EXPORT_JUNIT = 4,
       CONF_EXPORT_OUTCOMES = 8 };

/* Fill `c` with defaults for a site.conf at `path` (not read). */
void conf_defaults(struct arena *a, struct conf *c, const char *path);

/*
 * Read `path` into `c` (defaults first). Problems are added to `errors`.
 * Returns -1 only when the file cannot be read (an I/O error, also in
 * `errors`); content problems return 0 with errors counted in the list.
 */
int conf_load(struct arena *a, const char *path, struct conf *c,
	      struct errlist *errors);

/* `rel` resolved against the folder of site.conf (absolute stays as is). */
const char *conf_path(struct arena *a, const struct conf *c, const char *rel);

#endif
