#include "conf.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "source.h"
#include "util.h"

enum conf_kind { KIND_TEXT, KIND_PATH, KIND_URL, KIND_TIMEZONE, KIND_NO_DATA,
		 KIND_DAYS, KIND_URL_TEMPLATE, KIND_OPTIONAL_PATH, KIND_FETCH_URL,
		 KIND_KEEP_DAYS, KIND_PAGE_ROWS, KIND_ENV_NAME, KIND_CHANNEL, KIND_DIGESTS,
		 KIND_SEND_ON, KIND_BOOL, KIND_EXPORTS };

struct conf_key {
	const char *section;
	const char *name;
	enum conf_kind kind;
	size_t offset;
	const char *fallback; /* default, as it would be written in the file */
};

#define FIELD(f) offsetof(struct conf, f)

static const struct conf_key conf_keys[] = {
	{ "site", "title", KIND_TEXT, FIELD(title), "Engineering scorecards" },
	{ "site", "base_url", KIND_URL, FIELD(base_url), "" },
	{ "site", "timezone", KIND_TIMEZONE, FIELD(timezone), "UTC" },
	{ "site", "content", KIND_PATH, FIELD(content_dir), "content" },
	{ "site", "templates", KIND_PATH, FIELD(templates_dir), "templates" },
	{ "site", "static", KIND_PATH, FIELD(static_dir), "static" },
	{ "site", "output", KIND_PATH, FIELD(output_dir), "output" },
	{ "site", "page_rows", KIND_PAGE_ROWS, FIELD(page_rows), "500" },
	{ "evaluation", "no_data", KIND_NO_DATA, FIELD(no_data_fails), "skip" },
	{ "evaluation", "outcome_max_age_days", KIND_DAYS,
	  FIELD(outcome_max_age_days), "0" },
	{ "campaigns", "ticket_url_template", KIND_URL_TEMPLATE,
	  FIELD(ticket_url_template), "" },
	/* "" defaults are filled in by finish_defaults */
	{ "history", "file", KIND_OPTIONAL_PATH, FIELD(history_file), "" },
	{ "history", "restore_url", KIND_FETCH_URL, FIELD(restore_url), "" },
	{ "history", "keep_days", KIND_KEEP_DAYS, FIELD(keep_days), "400" },
	{ "slack", "webhook_env", KIND_ENV_NAME, FIELD(slack_webhook_env),
	  "SLACK_WEBHOOK_URL" },
	{ "slack", "token_env", KIND_ENV_NAME, FIELD(slack_token_env),
	  "SLACK_BOT_TOKEN" },
	{ "slack", "channel", KIND_CHANNEL, FIELD(slack_channel), "" },
	{ "slack", "digests", KIND_DIGESTS, FIELD(slack_digests), "org, teams" },
	{ "slack", "send_on", KIND_SEND_ON, FIELD(slack_send_on), "daily" },
	{ "slack", "api_url", KIND_URL, FIELD(slack_api_url),
	  "https://slack.com/api/" },
	{ "badges", "enabled", KIND_BOOL, FIELD(badges_enabled), "true" },
	{ "exports", "formats", KIND_EXPORTS, FIELD(export_formats), "json, csv" },
};

/* [exports] formats' words; a word's bit is 1 << its index. */
static const char *const export_names[] = {
	"json", "csv", "junit", "outcomes",
};

/* send_on's words; a weekday's bit is its index (0 = Sunday). */
static const char *const weekday_names[] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday",
};

/* The words of a comma-separated list, spaces around them trimmed, into
 * `words` (at most `max`); the count, or -1 for an empty word or too many. */
static int split_list(const char *value, char words[][16], int max)
{
	int n = 0;
	const char *p = value;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		size_t len = strcspn(p, ",");
		size_t end = len;
		while (end && (p[end - 1] == ' ' || p[end - 1] == '\t'))
			end--;
		if (!end || end >= 16 || n == max)
			return -1;
		for (size_t i = 0; i < end; i++)
			words[n][i] = (char)tolower((unsigned char)p[i]);
		words[n][end] = '\0';
		n++;
		if (!p[len])
			return n;
		p += len + 1;
	}
}

/* The line reader inih calls, which also tells us where we are. */
struct conf_reader {
	struct arena *arena;
	struct conf *conf;
	struct errlist *errors;
	struct source src;
	size_t pos;         /* offset of the next line */
	size_t line_start;  /* offset of the line inih is looking at */
	unsigned line;      /* its number */
	unsigned section_line; /* where the current [section] started */
	bool section_reported; /* an unknown section is reported once */
	bool seen[ARRAY_SIZE(conf_keys)];
	unsigned seen_line[ARRAY_SIZE(conf_keys)];
};

static char *read_line(char *str, int num, void *stream)
{
	struct conf_reader *r = stream;
	if (r->pos >= r->src.len || num < 2)
		return NULL;
	const char *start = r->src.text + r->pos;
	const char *nl = memchr(start, '\n', r->src.len - r->pos);
	size_t len = nl ? (size_t)(nl - start) + 1 : r->src.len - r->pos;
	size_t copy = len < (size_t)num - 1 ? len : (size_t)num - 1;
	memcpy(str, start, copy);
	str[copy] = '\0';
	r->line_start = r->pos;
	r->pos += len; /* an over-long line is consumed whole */
	r->line++;
	const char *first = start;
	while (first < start + len && (*first == ' ' || *first == '\t'))
		first++;
	if (first < start + len && *first == '[') {
		r->section_line = r->line;
		r->section_reported = false;
	}
	if (copy < len && !(copy + 1 == len && start[copy] == '\n'))
		errlist_at(r->errors, ERR_ERROR, &r->src, r->line, (unsigned)num - 1,
			   "line is longer than %d characters", num - 2);
	return str;
}

/* Column (1-based, characters) of `needle` in the current line, or 1. */
static unsigned column_of(const struct conf_reader *r, const char *needle)
{
	const char *line = r->src.text + r->line_start;
	const char *end = memchr(line, '\n', r->src.len - r->line_start);
	size_t len = end ? (size_t)(end - line) : r->src.len - r->line_start;
	size_t n = strlen(needle);
	for (size_t i = 0; n && i + n <= len; i++) {
		if (memcmp(line + i, needle, n) == 0) {
			unsigned line_no, col;
			source_position(&r->src, r->line_start + i, &line_no, &col);
			return col;
		}
	}
	return 1;
}

static bool timezone_exists(const char *tz)
{
	if (strcmp(tz, "UTC") == 0)
		return true;
	if (tz[0] == '/' || strstr(tz, ".."))
		return false;
	struct stat st;
	if (stat("/usr/share/zoneinfo", &st) != 0)
		return true; /* no database to check against; trust it */
	char path[512];
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Store `value` for key `k`; returns an error message or NULL. */
static const char *set_value(struct arena *a, struct conf *c,
			     const struct conf_key *k, const char *value)
{
	char *field = (char *)c + k->offset;
	switch (k->kind) {
	case KIND_TEXT:
		*(const char **)field = arena_strdup(a, value);
		return NULL;
	case KIND_PATH:
		if (!*value)
			return "expected a path";
		*(const char **)field = arena_strdup(a, value);
		return NULL;
	case KIND_URL:
		if (*value && strncmp(value, "https://", 8) != 0 &&
		    strncmp(value, "http://", 7) != 0)
			return "expected an http:// or https:// URL";
		*(const char **)field = arena_strdup(a, value);
		return NULL;
	case KIND_URL_TEMPLATE:
		if (*value && strncmp(value, "https://", 8) != 0 &&
		    strncmp(value, "http://", 7) != 0)
			return "expected an http:// or https:// URL with {title} "
			       "and {body} where the ticket's text goes";
		*(const char **)field = arena_strdup(a, value);
		return NULL;
	case KIND_TIMEZONE:
		if (!timezone_exists(value))
			return "unknown time zone (expected a name like "
			       "Europe/Berlin or UTC)";
		*(const char **)field = arena_strdup(a, value);
		return NULL;
	case KIND_NO_DATA:
		if (strcmp(value, "skip") == 0)
			*(bool *)field = false;
		else if (strcmp(value, "fail") == 0)
			*(bool *)field = true;
		else
			return "expected 'skip' or 'fail'";
		return NULL;
	case KIND_DAYS:
	case KIND_KEEP_DAYS: {
		char *end;
		errno = 0;
		long days = strtol(value, &end, 10);
		long least = k->kind == KIND_KEEP_DAYS ? 1 : 0;
		if (!*value || *end || errno || days < least || days > 36500)
			return least ? "expected a number of days from 1 to 36500"
				     : "expected a number of days from 0 to 36500";
		*(long *)field = days;
		return NULL;
	}
	case KIND_PAGE_ROWS: {
		char *end;
		errno = 0;
		long rows = strtol(value, &end, 10);
		if (!*value || *end || errno || rows < 1 || rows > 5000)
			return "expected a number of rows from 1 to 5000";
		*(long *)field = rows;
		return NULL;
	}
	case KIND_OPTIONAL_PATH:
		*(const char **)field = arena_strdup(a, value);
		return NULL;
	case KIND_ENV_NAME: {
		bool ok = *value && !isdigit((unsigned char)*value);
		for (const char *p = value; *p && ok; p++)
			ok = isupper((unsigned char)*p) || isdigit((unsigned char)*p) ||
			     *p == '_';
		if (!ok)
			return "expected the name of an environment variable "
			       "(A-Z, 0-9 and _)";
		*(const char **)field = arena_strdup(a, value);
		return NULL;
	}
	case KIND_CHANNEL:
		for (const char *p = value; *p; p++)
			if ((unsigned char)*p <= ' ' || strchr("<>&|\"", *p))
				return "expected a channel such as #eng-scorecards or "
				       "its id, without spaces";
		*(const char **)field = arena_strdup(a, value);
		return NULL;
	case KIND_DIGESTS: {
		char words[4][16];
		int n = split_list(value, words, 4);
		unsigned bits = 0;
		for (int i = 0; i < n; i++) {
			if (strcmp(words[i], "org") == 0)
				bits |= CONF_DIGEST_ORG;
			else if (strcmp(words[i], "teams") == 0)
				bits |= CONF_DIGEST_TEAMS;
			else
				n = -1;
		}
		if (n < 0)
			return "expected 'org', 'teams' or 'org, teams'";
		*(unsigned *)field = bits;
		return NULL;
	}
	case KIND_SEND_ON: {
		char words[8][16];
		int n = split_list(value, words, 8);
		unsigned bits = 0;
		for (int i = 0; i < n; i++) {
			unsigned bit = 0;
			if (strcmp(words[i], "daily") == 0)
				bit = 0x7f;
			for (unsigned d = 0; d < ARRAY_SIZE(weekday_names); d++)
				if (strcmp(words[i], weekday_names[d]) == 0)
					bit = 1u << d;
			if (!bit)
				n = -1;
			bits |= bit;
		}
		if (n < 0)
			return "expected 'daily' or weekday names such as "
			       "'monday, thursday'";
		*(unsigned *)field = bits;
		return NULL;
	}
	case KIND_BOOL:
		if (strcmp(value, "true") == 0)
			*(bool *)field = true;
		else if (strcmp(value, "false") == 0)
			*(bool *)field = false;
		else
			return "expected 'true' or 'false'";
		return NULL;
	case KIND_EXPORTS: {
		/* Nothing at all is a choice: no data exports. */
		char words[8][16];
		int n = *value ? split_list(value, words, 8) : 0;
		unsigned bits = 0;
		for (int i = 0; i < n; i++) {
			unsigned bit = 0;
			for (unsigned f = 0; f < ARRAY_SIZE(export_names); f++)
				if (strcmp(words[i], export_names[f]) == 0)
					bit = 1u << f;
			if (!bit)
				n = -1;
			bits |= bit;
		}
		if (n < 0)
			return "expected formats among 'json', 'csv', 'junit' and "
			       "'outcomes', separated by commas, or nothing";
		*(unsigned *)field = bits;
		return NULL;
	}
	case KIND_FETCH_URL:
		if (*value && strncmp(value, "https://", 8) != 0 &&
		    strncmp(value, "http://", 7) != 0 &&
		    strncmp(value, "file://", 7) != 0)
			return "expected an https://, http:// or file:// URL, or "
			       "nothing for no restore";
		*(const char **)field = arena_strdup(a, value);
		return NULL;
	}
	BUG("unknown conf kind");
}

/* "[site], [evaluation], ...": the sections of conf_keys, in table order,
 * so messages name every section there is. */
static void add_section_names(struct buf *b)
{
	for (size_t i = 0; i < ARRAY_SIZE(conf_keys); i++) {
		bool first = true;
		for (size_t j = 0; j < i && first; j++)
			first = strcmp(conf_keys[j].section, conf_keys[i].section) != 0;
		if (first)
			buf_addf(b, "%s[%s]", b->len ? ", " : "", conf_keys[i].section);
	}
}

static int on_key(void *user, const char *section, const char *name,
		  const char *value)
{
	struct conf_reader *r = user;
	bool section_known = false;
	for (size_t i = 0; i < ARRAY_SIZE(conf_keys); i++) {
		const struct conf_key *k = &conf_keys[i];
		if (strcmp(section, k->section) != 0)
			continue;
		section_known = true;
		if (strcmp(name, k->name) != 0)
			continue;
		if (r->seen[i]) {
			errlist_at(r->errors, ERR_ERROR, &r->src, r->line,
				   column_of(r, name),
				   "'%s' is set twice in [%s] (first at line %u)",
				   name, section, r->seen_line[i]);
			return 1;
		}
		r->seen[i] = true;
		r->seen_line[i] = r->line;
		const char *problem = set_value(r->arena, r->conf, k, value);
		if (problem)
			errlist_at(r->errors, ERR_ERROR, &r->src, r->line,
				   *value ? column_of(r, value) : column_of(r, name),
				   "bad value for %s: %s", name, problem);
		return 1;
	}
	struct buf sections = BUF_INIT;
	add_section_names(&sections);
	if (!*section)
		errlist_at(r->errors, ERR_ERROR, &r->src, r->line,
			   column_of(r, name),
			   "'%s' is outside any section (expected one of %s "
			   "first)", name, sections.data);
	else if (!section_known && !r->section_reported) {
		errlist_at(r->errors, ERR_ERROR, &r->src, r->section_line, 1,
			   "unknown section [%s] (known: %s)", section,
			   sections.data);
		r->section_reported = true;
	}
	else if (section_known)
		errlist_at(r->errors, ERR_ERROR, &r->src, r->line,
			   column_of(r, name), "unknown key '%s' in [%s]", name,
			   section);
	buf_release(&sections);
	return 1;
}

/* Defaults that follow other keys: the history lives in the output folder
 * (so it is published with the site) and is restored from where the site
 * is published, unless restore_url is set, even to nothing. */
static void finish_defaults(struct arena *a, struct conf *c, bool restore_url_set)
{
	c->history_in_output = !*c->history_file;
	if (c->history_in_output)
		c->history_file = arena_printf(a, "%s/history.db", c->output_dir);
	size_t n = strlen(c->base_url);
	if (!restore_url_set && n)
		c->restore_url = arena_printf(a, "%s%shistory.db", c->base_url,
					      c->base_url[n - 1] == '/' ? "" : "/");
}

void conf_defaults(struct arena *a, struct conf *c, const char *path)
{
	memset(c, 0, sizeof(*c));
	c->path = arena_strdup(a, path);
	const char *slash = strrchr(path, '/');
	c->dir = slash ? arena_strndup(a, path, (size_t)(slash - path + 1)) : "";
	for (size_t i = 0; i < ARRAY_SIZE(conf_keys); i++)
		if (set_value(a, c, &conf_keys[i], conf_keys[i].fallback))
			BUG("bad default in conf_keys");
	finish_defaults(a, c, false);
}

int conf_load(struct arena *a, const char *path, struct conf *c,
	      struct errlist *errors)
{
	conf_defaults(a, c, path);
	struct conf_reader r = { .arena = a, .conf = c, .errors = errors };
	struct err e = ERR_INIT;
	if (source_read_file(a, path, 1u << 20, &r.src, &e) != 0) {
		errlist_add(errors, &e);
		return -1;
	}
	int bad_line = ini_parse_stream(read_line, &r, on_key, &r);
	/* inih stops the handler at the first line it cannot parse and
	 * reports it; errors the handler added still stand. A negative value
	 * would be an allocation failure inside inih. */
	if (bad_line > 0)
		errlist_at(errors, ERR_ERROR, &r.src, (unsigned)bad_line, 1,
			   "expected '[section]', 'key = value' or a ; comment");
	else if (bad_line < 0)
		BUG("inih failed to allocate");
	for (size_t i = 0; i < ARRAY_SIZE(conf_keys); i++)
		if (conf_keys[i].offset == FIELD(history_file) && !r.seen[i])
			c->history_file = "";
	bool restore_url_set = false;
	for (size_t i = 0; i < ARRAY_SIZE(conf_keys); i++)
		if (conf_keys[i].offset == FIELD(restore_url))
			restore_url_set = r.seen[i];
	finish_defaults(a, c, restore_url_set);
	return 0;
}

const char *conf_path(struct arena *a, const struct conf *c, const char *rel)
{
	if (rel[0] == '/' || !c->dir[0])
		return arena_strdup(a, rel);
	return arena_printf(a, "%s%s", c->dir, rel);
}
