/*
 * Unit tests for conf: site.conf is written to a temporary file and read
 * with conf_load. The defaults of an empty file, every key with a good
 * value, and every kind of mistake with its exact line:col and message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

/* A conf field as text, so one table can hold fields of every kind. */
static const char *field_text(const struct conf *c, const char *field, char *tmp,
			      size_t size)
{
	static const struct {
		const char *name;
		size_t offset;
	} texts[] = {
		{ "title", offsetof(struct conf, title) },
		{ "base_url", offsetof(struct conf, base_url) },
		{ "timezone", offsetof(struct conf, timezone) },
		{ "content_dir", offsetof(struct conf, content_dir) },
		{ "templates_dir", offsetof(struct conf, templates_dir) },
		{ "static_dir", offsetof(struct conf, static_dir) },
		{ "output_dir", offsetof(struct conf, output_dir) },
		{ "ticket_url_template", offsetof(struct conf, ticket_url_template) },
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (strcmp(field, texts[i].name) == 0)
			return *(const char *const *)((const char *)c + texts[i].offset);
	if (strcmp(field, "no_data_fails") == 0)
		return c->no_data_fails ? "true" : "false";
	if (strcmp(field, "badges_enabled") == 0)
		return c->badges_enabled ? "true" : "false";
	if (strcmp(field, "export_formats") == 0) {
		/* The CONF_EXPORT_* bits, as the words they stand for. */
		snprintf(tmp, size, "%s%s%s%s",
			 c->export_formats & CONF_EXPORT_JSON ? "json " : "",
			 c->export_formats & CONF_EXPORT_CSV ? "csv " : "",
			 c->export_formats & CONF_EXPORT_JUNIT ? "junit " : "",
			 c->export_formats & CONF_EXPORT_OUTCOMES ? "outcomes " : "");
		return tmp;
	}
	if (strcmp(field, "outcome_max_age_days") == 0) {
		snprintf(tmp, size, "%ld", c->outcome_max_age_days);
		return tmp;
	}
	if (strcmp(field, "page_rows") == 0) {
		snprintf(tmp, size, "%ld", c->page_rows);
		return tmp;
	}
	fail_msg("no field '%s' in the test's table", field);
	return NULL;
}

struct loaded {
	char path[64];
	struct arena arena;
	struct errlist errors;
	struct conf conf;
	int rc;
};

/* Write `text` as a site.conf and load it. */
static void load(struct loaded *l, const char *text)
{
	snprintf(l->path, sizeof(l->path), "/tmp/yardstick-conf-XXXXXX");
	int fd = mkstemp(l->path);
	assert_true(fd >= 0);
	size_t len = strlen(text);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	l->arena = (struct arena)ARENA_INIT;
	l->errors = (struct errlist)ERRLIST_INIT;
	l->rc = conf_load(&l->arena, l->path, &l->conf, &l->errors);
	errlist_sort(&l->errors);
}

static void release(struct loaded *l)
{
	unlink(l->path);
	errlist_release(&l->errors);
	arena_release(&l->arena);
}

static const struct {
	const char *field, *value;
} defaults[] = {
	{ "title", "Engineering scorecards" },
	{ "base_url", "" },
	{ "timezone", "UTC" },
	{ "content_dir", "content" },
	{ "templates_dir", "templates" },
	{ "static_dir", "static" },
	{ "output_dir", "output" },
	{ "no_data_fails", "false" },
	{ "outcome_max_age_days", "0" },
	{ "ticket_url_template", "" },
	{ "page_rows", "500" },
	{ "badges_enabled", "true" },
	{ "export_formats", "json csv " },
};

static void test_defaults(void **state)
{
	(void)state;
	static const char *const empty_files[] = {
		"", "; only a comment\n", "[site]\n[evaluation]\n[campaigns]\n",
	};
	for (size_t f = 0; f < sizeof(empty_files) / sizeof(empty_files[0]); f++) {
		struct loaded l;
		load(&l, empty_files[f]);
		assert_int_equal(l.rc, 0);
		assert_int_equal(l.errors.count, 0);
		char tmp[32];
		for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
			assert_string_equal(field_text(&l.conf, defaults[i].field, tmp,
						       sizeof(tmp)),
					    defaults[i].value);
		release(&l);
	}
}

static const struct {
	const char *text, *field, *value;
} keys[] = {
	{ "[site]\ntitle = Acme scorecards\n", "title", "Acme scorecards" },
	{ "[site]\nbase_url = https://scorecards.acme.example/\n", "base_url",
	  "https://scorecards.acme.example/" },
	{ "[site]\nbase_url = http://intranet/scores\n", "base_url",
	  "http://intranet/scores" },
	{ "[site]\ntimezone = UTC\n", "timezone", "UTC" },
	{ "[site]\ncontent = catalog-content\n", "content_dir", "catalog-content" },
	{ "[site]\ntemplates = theme\n", "templates_dir", "theme" },
	{ "[site]\nstatic = assets\n", "static_dir", "assets" },
	{ "[site]\noutput = /srv/www\n", "output_dir", "/srv/www" },
	{ "[site]\npage_rows = 1\n", "page_rows", "1" },
	{ "[site]\npage_rows = 5000\n", "page_rows", "5000" },
	{ "[evaluation]\nno_data = fail\n", "no_data_fails", "true" },
	{ "[evaluation]\nno_data = skip\n", "no_data_fails", "false" },
	{ "[evaluation]\noutcome_max_age_days = 14\n", "outcome_max_age_days", "14" },
	{ "[evaluation]\noutcome_max_age_days = 36500\n", "outcome_max_age_days",
	  "36500" },
	{ "[campaigns]\nticket_url_template = https://t.example/new?t={title}\n",
	  "ticket_url_template", "https://t.example/new?t={title}" },
	{ "[badges]\nenabled = false\n", "badges_enabled", "false" },
	{ "[badges]\nenabled = true\n", "badges_enabled", "true" },
	{ "[exports]\nformats = junit\n", "export_formats", "junit " },
	{ "[exports]\nformats = Outcomes, CSV,json , junit\n", "export_formats",
	  "json csv junit outcomes " },
	{ "[exports]\nformats =\n", "export_formats", "" },
	/* inih trims spaces around keys and values, and # starts a comment */
	{ "# a comment\n  [site]  \n  title   =   Spaced   \n", "title", "Spaced" },
};

static void test_keys(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct loaded l;
		load(&l, keys[i].text);
		assert_int_equal(l.rc, 0);
		if (l.errors.count)
			errlist_print(&l.errors, stderr);
		assert_int_equal(l.errors.count, 0);
		char tmp[32];
		assert_string_equal(field_text(&l.conf, keys[i].field, tmp, sizeof(tmp)),
				    keys[i].value);
		release(&l);
	}
}

static const struct {
	const char *text;
	unsigned line, col;
	const char *msg;
} mistakes[] = {
	{ "title = x\n", 1, 1,
	  "'title' is outside any section (expected one of [site], [evaluation], "
	  "[campaigns], [history], [slack], [badges], [exports] first)" },
	{ "[site]\n[teams]\nchannel = #general\nwebhook = x\n", 2, 1,
	  "unknown section [teams] (known: [site], [evaluation], [campaigns], [history], "
	  "[slack], [badges], [exports])" },
	{ "[site]\ncolour = blue\n", 2, 1, "unknown key 'colour' in [site]" },
	{ "[campaigns]\n  ticket = x\n", 2, 3, "unknown key 'ticket' in [campaigns]" },
	{ "[site]\ntitle = a\ntitle = b\n", 3, 1,
	  "'title' is set twice in [site] (first at line 2)" },
	{ "[site]\nbase_url = ftp://example.com/\n", 2, 12,
	  "bad value for base_url: expected an http:// or https:// URL" },
	{ "[site]\ntimezone = Mars/Olympus_Mons\n", 2, 12,
	  "bad value for timezone: unknown time zone (expected a name like "
	  "Europe/Berlin or UTC)" },
	{ "[site]\ntimezone = ../etc/passwd\n", 2, 12,
	  "bad value for timezone: unknown time zone (expected a name like "
	  "Europe/Berlin or UTC)" },
	{ "[site]\ncontent =\n", 2, 1, "bad value for content: expected a path" },
	{ "[site]\npage_rows = 0\n", 2, 13,
	  "bad value for page_rows: expected a number of rows from 1 to 5000" },
	{ "[site]\npage_rows = 5001\n", 2, 13,
	  "bad value for page_rows: expected a number of rows from 1 to 5000" },
	{ "[evaluation]\nno_data = maybe\n", 2, 11,
	  "bad value for no_data: expected 'skip' or 'fail'" },
	{ "[evaluation]\noutcome_max_age_days = -3\n", 2, 24,
	  "bad value for outcome_max_age_days: expected a number of days from 0 "
	  "to 36500" },
	{ "[evaluation]\noutcome_max_age_days = 2w\n", 2, 24,
	  "bad value for outcome_max_age_days: expected a number of days from 0 "
	  "to 36500" },
	{ "[campaigns]\nticket_url_template = javascript:alert(1)\n", 2, 23,
	  "bad value for ticket_url_template: expected an http:// or https:// URL "
	  "with {title} and {body} where the ticket's text goes" },
	{ "[badges]\nenabled = yes\n", 2, 11,
	  "bad value for enabled: expected 'true' or 'false'" },
	{ "[exports]\nformats = json, xml\n", 2, 11,
	  "bad value for formats: expected formats among 'json', 'csv', 'junit' "
	  "and 'outcomes', separated by commas, or nothing" },
	{ "[exports]\nformats = json,,csv\n", 2, 11,
	  "bad value for formats: expected formats among 'json', 'csv', 'junit' "
	  "and 'outcomes', separated by commas, or nothing" },
	{ "[site]\nthis line has no equals sign\n", 2, 1,
	  "expected '[section]', 'key = value' or a ; comment" },
};

static void test_mistakes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(mistakes) / sizeof(mistakes[0]); i++) {
		struct loaded l;
		load(&l, mistakes[i].text);
		assert_int_equal(l.rc, 0);
		if (l.errors.count != 1 || l.errors.items[0].line != mistakes[i].line ||
		    l.errors.items[0].col != mistakes[i].col ||
		    strcmp(l.errors.items[0].msg, mistakes[i].msg) != 0) {
			errlist_print(&l.errors, stderr);
			fail_msg("case %zu: want %u:%u: %s", i, mistakes[i].line,
				 mistakes[i].col, mistakes[i].msg);
		}
		assert_int_equal(l.errors.items[0].level, ERR_ERROR);
		assert_string_equal(l.errors.items[0].path, l.path);
		release(&l);
	}
}

/* Parsing goes on after a mistake, so one run reports all of them. */
static void test_every_mistake_reported(void **state)
{
	(void)state;
	struct loaded l;
	load(&l, "[site]\ncolour = blue\ntitle = Kept\n[evaluation]\nno_data = maybe\n");
	assert_int_equal(l.errors.errors, 2);
	assert_int_equal(l.errors.items[0].line, 2);
	assert_int_equal(l.errors.items[1].line, 5);
	assert_string_equal(l.conf.title, "Kept");
	release(&l);
}

static void test_long_line(void **state)
{
	(void)state;
	char text[400];
	snprintf(text, sizeof(text), "[site]\ntitle = %0300d\n", 0);
	struct loaded l;
	load(&l, text);
	assert_true(l.errors.errors >= 1);
	assert_int_equal(l.errors.items[0].line, 2);
	assert_string_equal(l.errors.items[0].msg, "line is longer than 198 characters");
	release(&l);
}

static void test_unreadable(void **state)
{
	(void)state;
	struct arena arena = ARENA_INIT;
	struct errlist errors = ERRLIST_INIT;
	struct conf conf;
	assert_int_equal(conf_load(&arena, "/nonexistent/site.conf", &conf, &errors), -1);
	assert_int_equal(errors.errors, 1);
	/* The defaults are there all the same. */
	assert_string_equal(conf.title, "Engineering scorecards");
	errlist_release(&errors);
	arena_release(&arena);
}

static void test_paths(void **state)
{
	(void)state;
	struct arena arena = ARENA_INIT;
	struct conf conf;
	conf_defaults(&arena, &conf, "sites/acme/site.conf");
	assert_string_equal(conf.dir, "sites/acme/");
	assert_string_equal(conf_path(&arena, &conf, "content"), "sites/acme/content");
	assert_string_equal(conf_path(&arena, &conf, "/srv/www"), "/srv/www");
	conf_defaults(&arena, &conf, "site.conf");
	assert_string_equal(conf.dir, "");
	assert_string_equal(conf_path(&arena, &conf, "content"), "content");
	arena_release(&arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_mistakes),
		cmocka_unit_test(test_every_mistake_reported),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
