/*
 * Unit tests for slack: Block Kit payloads within the limits (cut texts,
 * the checker's table), the URL policy and redaction, the [slack] keys of
 * site.conf, and the history's schema 2 (the digest table) migrated from a
 * version-1 file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "date.h"
#include "history.h"
#include "slack.h"
#include "util.h"

static void assert_within(const struct buf *payload)
{
	char why[200];
	if (slack_payload_check(payload->data, payload->len, why, sizeof(why)) != 0)
		fail_msg("payload over the limits: %s", why);
}

/* A text of `lines` lines of `width` bytes each, plus an entity and a link
 * on every line, so a cut has to avoid them. */
static char *long_text(size_t lines, size_t width)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < lines; i++) {
		buf_adds(&b, "• <https://x.example/a|A &amp; B> ");
		for (size_t j = 0; j < width; j++)
			buf_addch(&b, (char)('a' + j % 26));
		buf_addch(&b, '\n');
	}
	return buf_detach(&b, NULL);
}

static void test_blocks_cut(void **state)
{
	(void)state;
	struct slack_blocks blocks = SLACK_BLOCKS_INIT;
	char *lines = long_text(200, 40);    /* ~15,000 bytes in lines */
	char *one_line = long_text(1, 9000); /* no line break to cut at */
	char *header = long_text(1, 300);
	slack_blocks_header(&blocks, header);
	slack_blocks_section(&blocks, lines);
	slack_blocks_section(&blocks, one_line);
	slack_blocks_section(&blocks, "  \n\n"); /* empty: no block */
	slack_blocks_divider(&blocks);
	slack_blocks_context(&blocks, lines);
	assert_int_equal(blocks.count, 5);
	struct buf payload = BUF_INIT;
	slack_blocks_payload(&blocks, "#c", lines, &payload);
	assert_within(&payload);

	/* A cut at a line break keeps whole lines and ends with "…". */
	struct buf cut = BUF_INIT;
	slack_clip(&cut, lines, SLACK_MAX_SECTION_TEXT);
	assert_true(cut.len <= SLACK_MAX_SECTION_TEXT);
	assert_string_equal(cut.data + cut.len - 4, "\n\xe2\x80\xa6");
	buf_reset(&cut);
	/* Never inside "<...>" or "&...;": cut right before the link. */
	slack_clip(&cut, "abcdefgh <https://x.example/long|label>", 20);
	assert_string_equal(cut.data, "abcdefgh \xe2\x80\xa6");
	buf_reset(&cut);
	slack_clip(&cut, "abcdefghijk &amp; more text", 18);
	assert_string_equal(cut.data, "abcdefghijk \xe2\x80\xa6");
	buf_reset(&cut);
	slack_clip(&cut, "short\n\n", 10);
	assert_string_equal(cut.data, "short");
	buf_release(&cut);

	buf_release(&payload);
	slack_blocks_release(&blocks);
	free(lines);
	free(one_line);
	free(header);
}

static void test_blocks_fifty(void **state)
{
	(void)state;
	struct slack_blocks blocks = SLACK_BLOCKS_INIT;
	for (int i = 0; i < SLACK_MAX_BLOCKS; i++)
		slack_blocks_section(&blocks, "x");
	struct buf payload = BUF_INIT;
	slack_blocks_payload(&blocks, NULL, "fallback", &payload);
	assert_within(&payload);
	assert_null(strstr(payload.data, "\"channel\""));
	buf_release(&payload);
	slack_blocks_release(&blocks);
}

/* A payload with `n` blocks of `block` (a JSON object). */
static char *payload_of(const char *block, size_t n, const char *text)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "{\"text\":\"%s\",\"blocks\":[", text);
	for (size_t i = 0; i < n; i++)
		buf_addf(&b, "%s%s", i ? "," : "", block);
	buf_adds(&b, "]}");
	return buf_detach(&b, NULL);
}

struct check_case {
	char *json;
	const char *problem; /* NULL: within the limits */
};

static char *repeat(char c, size_t n)
{
	char *s = xmalloc(n + 1);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void test_check(void **state)
{
	(void)state;
	char *t3000 = repeat('a', 3000), *t3001 = repeat('a', 3001);
	char *t150 = repeat('h', 150), *t151 = repeat('h', 151);
	char *t2001 = repeat('f', 2001);
	struct buf b = BUF_INIT;
	struct check_case cases[16];
	size_t n = 0;
#define SECTION(t) (buf_reset(&b), buf_addf(&b, "{\"type\":\"section\",\"text\":" \
	"{\"type\":\"mrkdwn\",\"text\":\"%s\"}}", (t)), xstrdup(b.data))
	char *s;
	cases[n++] = (struct check_case){ payload_of(s = SECTION(t3000), 50, "x"), NULL }; free(s);
	cases[n++] = (struct check_case){ payload_of(s = SECTION("x"), 51, "x"), "more than 50 blocks" }; free(s);
	cases[n++] = (struct check_case){ payload_of(s = SECTION(t3001), 1, "x"), "over its limit" }; free(s);
	/* Slack counts characters: 1,000 three-byte characters are 1,000. */
	struct buf wide = BUF_INIT;
	for (int i = 0; i < 3000; i++)
		buf_adds(&wide, "\xe2\x80\xa6");
	cases[n++] = (struct check_case){ payload_of(s = SECTION(wide.data), 1, "x"), NULL }; free(s);
	buf_release(&wide);
	buf_reset(&b);
	buf_addf(&b, "{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"%s\"}}", t150);
	cases[n++] = (struct check_case){ payload_of(b.data, 1, "x"), NULL };
	buf_reset(&b);
	buf_addf(&b, "{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"%s\"}}", t151);
	cases[n++] = (struct check_case){ payload_of(b.data, 1, "x"), "over its limit" };
	buf_reset(&b);
	buf_addf(&b, "{\"type\":\"header\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"h\"}}");
	cases[n++] = (struct check_case){ payload_of(b.data, 1, "x"), "wrong type" };
	buf_reset(&b);
	buf_adds(&b, "{\"type\":\"section\",\"fields\":[");
	for (int i = 0; i < 11; i++)
		buf_addf(&b, "%s{\"type\":\"mrkdwn\",\"text\":\"f\"}", i ? "," : "");
	buf_adds(&b, "]}");
	cases[n++] = (struct check_case){ payload_of(b.data, 1, "x"), "more than 10 fields" };
	buf_reset(&b);
	buf_addf(&b, "{\"type\":\"section\",\"fields\":[{\"type\":\"mrkdwn\",\"text\":\"%s\"}]}", t2001);
	cases[n++] = (struct check_case){ payload_of(b.data, 1, "x"), "over its limit" };
	cases[n++] = (struct check_case){ payload_of(s = SECTION("x"), 1, ""), "no fallback text" }; free(s);
	cases[n++] = (struct check_case){ payload_of(s = SECTION("x"), 0, "x"), "no blocks" }; free(s);
	cases[n++] = (struct check_case){ xstrdup("{\"text\":"), "not JSON" };
	cases[n++] = (struct check_case){ payload_of("{\"type\":\"image\"}", 1, "x"), "type" };
#undef SECTION
	for (size_t i = 0; i < n; i++) {
		char why[200] = "";
		int rc = slack_payload_check(cases[i].json, strlen(cases[i].json), why,
					     sizeof(why));
		if (!cases[i].problem && rc != 0)
			fail_msg("case %zu: refused: %s", i, why);
		if (cases[i].problem && (rc == 0 || !strstr(why, cases[i].problem)))
			fail_msg("case %zu: expected '%s', got %d '%s'", i,
				 cases[i].problem, rc, why);
		free(cases[i].json);
	}
	buf_release(&b);
	free(t3000); free(t3001); free(t150); free(t151); free(t2001);
}

static void test_urls(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	assert_string_equal(slack_url_redacted(&a,
		"https://hooks.slack.com/services/T000/B000/XXXXSECRET"),
		"https://hooks.slack.com/services/T\xe2\x80\xa6/***");
	assert_string_equal(slack_url_redacted(&a, "https://h.example/SECRET"),
			    "https://h.example/***");
	assert_string_equal(slack_url_redacted(&a, "https://h.example"),
			    "https://h.example/***");
	assert_string_equal(slack_url_redacted(&a, "SECRET"), "***");
	assert_true(slack_url_allowed("https://hooks.slack.com/services/x"));
	assert_true(slack_url_allowed("http://127.0.0.1:8080/x"));
	assert_true(slack_url_allowed("http://localhost/x"));
	assert_false(slack_url_allowed("http://hooks.slack.com/services/x"));
	assert_false(slack_url_allowed("http://127.0.0.1.evil.example/x"));
	assert_false(slack_url_allowed("http://localhost.evil.example/x"));
	assert_false(slack_url_allowed("file:///etc/passwd"));
	assert_false(slack_url_allowed("https://"));
	arena_release(&a);
}

static char tmpdir[64];

static int make_tmpdir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/yardstick-slack-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_conf(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *channel;
		unsigned digests, send_on;
		size_t errors;
	} cases[] = {
		{ "[site]\n", "", CONF_DIGEST_ORG | CONF_DIGEST_TEAMS, 0x7f, 0 },
		{ "[slack]\nchannel = #eng\ndigests = teams\nsend_on = Monday, friday\n",
		  "#eng", CONF_DIGEST_TEAMS, (1u << 1) | (1u << 5), 0 },
		{ "[slack]\ndigests = org,\n", "", 3, 0x7f, 1 },
		{ "[slack]\nsend_on = someday\n", "", 3, 0x7f, 1 },
		{ "[slack]\nchannel = <!channel>\n", "", 3, 0x7f, 1 },
		{ "[slack]\nwebhook_env = lower\n", "", 3, 0x7f, 1 },
		{ "[slack]\napi_url = ftp://x/\n", "", 3, 0x7f, 1 },
	};
	char path[128];
	snprintf(path, sizeof(path), "%s/site.conf", tmpdir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(cases[i].text, f);
		fclose(f);
		struct arena a = ARENA_INIT;
		struct errlist errors = ERRLIST_INIT;
		struct conf c;
		assert_int_equal(conf_load(&a, path, &c, &errors), 0);
		if (errors.errors != cases[i].errors)
			fail_msg("case %zu: %zu errors", i, errors.errors);
		assert_string_equal(c.slack_channel, cases[i].channel);
		assert_int_equal(c.slack_digests, cases[i].digests);
		assert_int_equal(c.slack_send_on, cases[i].send_on);
		assert_string_equal(c.slack_webhook_env, "SLACK_WEBHOOK_URL");
		errlist_release(&errors);
		arena_release(&a);
	}
}

/* The version-1 schema, as history.c created it before schema 2. */
static const char schema_v1[] =
	"CREATE TABLE run ("
	"  day INTEGER PRIMARY KEY," /* days since 1970-01-01 */
	"  recorded_at INTEGER NOT NULL);" /* Unix time of the recording */
	"CREATE TABLE slice ("
	"  id INTEGER PRIMARY KEY,"
	"  scorecard TEXT NOT NULL, rule TEXT NOT NULL, team TEXT NOT NULL,"
	"  campaign TEXT NOT NULL, dimension TEXT NOT NULL, value TEXT NOT NULL,"
	"  UNIQUE (scorecard, rule, team, campaign, dimension, value));"
	"CREATE TABLE aggregate ("
	"  slice INTEGER NOT NULL, day INTEGER NOT NULL,"
	"  pass INTEGER NOT NULL, fail INTEGER NOT NULL, skip INTEGER NOT NULL,"
	"  no_data INTEGER NOT NULL, exempt INTEGER NOT NULL,"
	"  weighted_pass REAL NOT NULL, weighted_counted REAL NOT NULL,"
	"  score REAL, entities INTEGER NOT NULL,"
	"  PRIMARY KEY (slice, day)) WITHOUT ROWID;"
	"CREATE TABLE entity (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE);"
	"CREATE TABLE rule (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE);"
	"CREATE TABLE entity_change ("
	"  entity INTEGER NOT NULL, day INTEGER NOT NULL,"
	"  present INTEGER NOT NULL," /* 1 appeared, 0 gone */
	"  PRIMARY KEY (entity, day)) WITHOUT ROWID;"
	"CREATE TABLE rule_change ("
	"  rule INTEGER NOT NULL, day INTEGER NOT NULL,"
	"  definition TEXT," /* NULL: the rule is gone */
	"  PRIMARY KEY (rule, day)) WITHOUT ROWID;"
	"CREATE TABLE cell_change ("
	"  entity INTEGER NOT NULL, rule INTEGER NOT NULL, day INTEGER NOT NULL,"
	"  state INTEGER NOT NULL," /* enum rule_state */
	"  PRIMARY KEY (entity, rule, day)) WITHOUT ROWID;";

static void sql(const char *path, const char *text)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", text, msg);
	sqlite3_close(db);
}

static void test_migration(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/v1.db", tmpdir);
	sql(path, schema_v1);
	day_t day;
	assert_int_equal(date_parse("2026-11-20", &day), 0);
	char rows[512];
	snprintf(rows, sizeof(rows),
		 "INSERT INTO run VALUES (%ld, 1); INSERT INTO slice VALUES "
		 "(1, '', '', '', '', '', ''); INSERT INTO aggregate VALUES "
		 "(1, %ld, 3, 1, 0, 0, 0, 3, 4, 0.75, 2); "
		 "PRAGMA application_id = %d; PRAGMA user_version = 1",
		 (long)day, (long)day, 0x59534844);
	sql(path, rows);

	struct history *h;
	struct err e = ERR_INIT;
	/* Read-only opens refuse an older schema; a build migrates it. */
	assert_int_equal(history_open(&h, path, HISTORY_READ, &e), -1);
	err_release(&e);
	if (history_open(&h, path, HISTORY_WRITE, &e) != 0)
		fail_msg("%s", e.msg);
	day_t *days;
	size_t count;
	assert_int_equal(history_days(h, &days, &count, &e), 0);
	assert_int_equal(count, 1);
	assert_int_equal(days[0], day);
	free(days);
	bool sent = true;
	assert_int_equal(history_digest_sent(h, day, "#c", "org", &sent, &e), 0);
	assert_false(sent);
	assert_int_equal(history_digest_record(h, day, "#c", "org", "00ff", &e), 0);
	assert_int_equal(history_digest_sent(h, day, "#c", "org", &sent, &e), 0);
	assert_true(sent);
	assert_int_equal(history_digest_sent(h, day, "#d", "org", &sent, &e), 0);
	assert_false(sent);
	day_t last;
	assert_int_equal(history_digest_last(h, day + 7, "#c", "org", &last, &e), 0);
	assert_int_equal(last, day);
	assert_int_equal(history_digest_last(h, day, "#c", "org", &last, &e), 0);
	assert_int_equal(last, -1);
	history_close(h);

	/* The current version now, with its data; read-only opens take it. */
	assert_int_equal(history_open(&h, path, HISTORY_READ, &e), 0);
	history_close(h);
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), HISTORY_SCHEMA_VERSION);
	sqlite3_finalize(st);
	/* Version 3's run digest: empty for the run recorded before it. */
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM run WHERE digest IS NULL",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	sqlite3_close(db);

	/* A newer version is refused, untouched. */
	char newer[16], expect[80];
	snprintf(newer, sizeof(newer), "%d", HISTORY_SCHEMA_VERSION + 1);
	snprintf(expect, sizeof(expect), "schema version %s, newer than this yardstick reads (%d)",
		 newer, HISTORY_SCHEMA_VERSION);
	char pragma[48];
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %s", newer);
	sql(path, pragma);
	assert_int_equal(history_open(&h, path, HISTORY_WRITE, &e), -1);
	assert_non_null(strstr(e.msg, expect));
	err_release(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks_cut),
		cmocka_unit_test(test_blocks_fifty),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_urls),
		cmocka_unit_test_setup_teardown(test_conf, make_tmpdir, remove_tmpdir),
		cmocka_unit_test_setup_teardown(test_migration, make_tmpdir, remove_tmpdir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
