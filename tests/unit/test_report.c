/*
 * Unit tests for report: small sites written into a mkdtemp folder (as
 * test_content.c does), loaded, evaluated and rolled up as of 2026-11-23,
 * then printed as JSON, CSV and JUnit XML and compared with documents
 * written by hand from docs/scoring.md and docs/eval-output.md (the
 * working is in the comments above each site).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"
#include "buf.h"
#include "conf.h"
#include "content.h"
#include "date.h"
#include "eval.h"
#include "report.h"
#include "rollup.h"

/* ---- the folder (helpers copied from test_content.c) ---------------- */

/* ---- a loaded and evaluated site ------------------------------------ */

/* Compare a whole document, printing both when they differ. */
static void assert_document(const struct buf *got, const char *want)
{
	if (strcmp(got->data, want) != 0) {
		size_t i = 0;
		while (got->data[i] && got->data[i] == want[i])
			i++;
		fail_msg("documents differ at byte %zu:\n--- got\n%s\n--- want\n%s", i,
			 got->data, want);
	}
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* ---- JSON ----------------------------------------------------------- */

/*
 * Teams: eng, and web under it. Scorecard prod (owner eng, scope
 * kind:service): oncall (owner web, level 1, weight 2, check
 * integration:pagerduty), docs (level 2, check link:doc). Scorecard sec
 * (no scope): scan (level 1, external). no_data = skip.
 *
 *   entity        team  oncall (w2)  docs  scan
 *   datastore:db  web   skip         skip  no_data (no outcome)
 *   service:api   web   pass         pass  pass ("clean")
 *   service:job   eng   fail         pass  fail ("3 critical")
 *
 * prod: weighted pass 2+1 (api) + 1 (job) = 4 of 3+3 = 6 -> 0.6667;
 *   pass 3, fail 1, skip 2. oncall 1/2 = 0.5; docs 2/2 = 1.
 * sec: 1/2 = 0.5 (db's no data does not count); pass 1, fail 1, no_data 1.
 * Entities (every scorecard in scope of, together):
 *   db: prod out of scope, sec no data: null; counts only sec's no_data 1;
 *       prod level null, sec level 0 (no passing rule).
 *   api: 3+1 of 3+1 = 1, pass 3; prod 1 (level 2), sec 1 (level 1).
 *   job: 1 of 3+1 = 0.25, pass 1, fail 2; prod 1/3 = 0.3333 (level 0:
 *        oncall at level 1 fails), sec 0 (level 0).
 * Teams: eng (db, api, job): overall mean(1, 0.25) = 0.625, prod
 *   mean(1, 0.3333) = 0.6667, sec mean(1, 0) = 0.5; web (db, api): 1, 1, 1.
 * Campaign docs (every entity; prod/oncall, sec/scan), due 2026-11-30:
 *   db nothing counted, api 2/2, job 0/2 -> 2/4 = 0.5, 3 entities,
 *   in_progress, 7 days left. by_team: eng 2/4 (own: job 0/2), web 2/2
 *   (own 2/2); nothing unowned. by_rule: oncall 1/2, scan 1/2.
 */
static const struct file json_files[] = {
	{ "teams/teams.yaml", "id: eng\nname: Engineering\n---\nid: web\nname: Web\nparent: eng\n" },
	{ "catalog/entities.yaml",
	  "apiVersion: v3\nkind: datastore\nmetadata: {name: db, owner: web}\n"
	  "---\n"
	  "apiVersion: v3\nkind: service\n"
	  "metadata:\n  name: api\n  owner: web\n"
	  "  links:\n    - {name: Docs, type: doc, url: \"https://wiki.example/api\"}\n"
	  "spec: {tier: 1}\n"
	  "integrations:\n  pagerduty: {serviceURL: \"https://x.pagerduty.com/service-directory/A\"}\n"
	  "---\n"
	  "apiVersion: v3\nkind: service\n"
	  "metadata:\n  name: job\n  owner: eng\n"
	  "  links:\n    - {name: Docs, type: doc, url: \"https://wiki.example/job\"}\n"
	  "spec: {tier: 2}\n" },
	{ "scorecards/prod.yaml",
	  "id: prod\nname: Production\nowner: eng\nscope: kind:service\nrules:\n"
	  "  - {id: oncall, name: On-call, owner: web, level: 1, weight: 2,"
	  " check: \"integration:pagerduty\"}\n"
	  "  - {id: docs, name: Docs, level: 2, check: \"link:doc\"}\n" },
	{ "scorecards/sec.yaml",
	  "id: sec\nname: Security\nrules:\n"
	  "  - {id: scan, name: Scan, level: 1, outcome: external}\n" },
	{ "outcomes/scan.json",
	  "{\"data\": {\"type\": \"batched-outcome\", \"attributes\": {\"results\": [\n"
	  "  {\"rule_id\": \"sec/scan\", \"entity_reference\": \"service:api\", \"state\": \"pass\","
	  " \"remarks\": \"clean\"},\n"
	  "  {\"rule_id\": \"sec/scan\", \"entity_reference\": \"service:job\", \"state\": \"fail\","
	  " \"remarks\": \"3 critical\"}\n"
	  "]}}}\n" },
	{ "campaigns/docs.md",
	  "---\nkey: docs\nname: Docs and on-call\nowner: eng\nstart: 2026-11-01\n"
	  "due: 2026-11-30\nrules:\n  - rule: prod/oncall\n  - rule: sec/scan\n---\nBody.\n" },
	{ NULL, NULL },
};

#define LEVELS                                                                 \
	"\"levels\":[{\"level\":1,\"name\":\"Basic\"},{\"level\":2,\"name\":"  \
	"\"Intermediate\"},{\"level\":3,\"name\":\"Advanced\"}]"

static const char json_expected[] =
	"{\"date\":\"2026-11-23\",\n"
	"\"scorecards\":[\n"
	"{\"id\":\"prod\",\"name\":\"Production\",\"owner\":\"eng\",\"score\":0.6667,"
	"\"pass\":3,\"fail\":1,\"skip\":2,\"no_data\":0,\"exempt\":0," LEVELS ",\"rules\":[\n"
	"{\"id\":\"oncall\",\"name\":\"On-call\",\"owner\":\"web\",\"level\":1,"
	"\"score\":0.5,\"pass\":1,\"fail\":1,\"skip\":1,\"no_data\":0,\"exempt\":0},\n"
	"{\"id\":\"docs\",\"name\":\"Docs\",\"owner\":null,\"level\":2,"
	"\"score\":1,\"pass\":2,\"fail\":0,\"skip\":1,\"no_data\":0,\"exempt\":0}]},\n"
	"{\"id\":\"sec\",\"name\":\"Security\",\"owner\":null,\"score\":0.5,"
	"\"pass\":1,\"fail\":1,\"skip\":0,\"no_data\":1,\"exempt\":0," LEVELS ",\"rules\":[\n"
	"{\"id\":\"scan\",\"name\":\"Scan\",\"owner\":null,\"level\":1,"
	"\"score\":0.5,\"pass\":1,\"fail\":1,\"skip\":0,\"no_data\":1,\"exempt\":0}]}\n"
	"],\n"
	"\"entities\":[\n"
	"{\"ref\":\"datastore:db\",\"name\":\"db\",\"team\":\"web\",\"score\":null,"
	"\"pass\":0,\"fail\":0,\"skip\":0,\"no_data\":1,\"exempt\":0,\"scorecards\":[\n"
	"{\"id\":\"prod\",\"score\":null,\"level\":null,\"rules\":[\n"
	"{\"id\":\"oncall\",\"state\":\"skip\",\"reason\":\"outside the scorecard's scope\"},\n"
	"{\"id\":\"docs\",\"state\":\"skip\",\"reason\":\"outside the scorecard's scope\"}]},\n"
	"{\"id\":\"sec\",\"score\":null,\"level\":0,\"rules\":[\n"
	"{\"id\":\"scan\",\"state\":\"no_data\",\"reason\":\"no outcome reported\"}]}]},\n"
	"{\"ref\":\"service:api\",\"name\":\"api\",\"team\":\"web\",\"score\":1,"
	"\"pass\":3,\"fail\":0,\"skip\":0,\"no_data\":0,\"exempt\":0,\"scorecards\":[\n"
	"{\"id\":\"prod\",\"score\":1,\"level\":2,\"rules\":[\n"
	"{\"id\":\"oncall\",\"state\":\"pass\",\"reason\":\"has integration pagerduty\"},\n"
	"{\"id\":\"docs\",\"state\":\"pass\",\"reason\":\"has link of type doc\"}]},\n"
	"{\"id\":\"sec\",\"score\":1,\"level\":1,\"rules\":[\n"
	"{\"id\":\"scan\",\"state\":\"pass\",\"reason\":\"clean\"}]}]},\n"
	"{\"ref\":\"service:job\",\"name\":\"job\",\"team\":\"eng\",\"score\":0.25,"
	"\"pass\":1,\"fail\":2,\"skip\":0,\"no_data\":0,\"exempt\":0,\"scorecards\":[\n"
	"{\"id\":\"prod\",\"score\":0.3333,\"level\":0,\"rules\":[\n"
	"{\"id\":\"oncall\",\"state\":\"fail\","
	"\"reason\":\"no integration pagerduty (integrations: none)\"},\n"
	"{\"id\":\"docs\",\"state\":\"pass\",\"reason\":\"has link of type doc\"}]},\n"
	"{\"id\":\"sec\",\"score\":0,\"level\":0,\"rules\":[\n"
	"{\"id\":\"scan\",\"state\":\"fail\",\"reason\":\"3 critical\"}]}]}\n"
	"],\n"
	"\"teams\":[\n"
	"{\"id\":\"eng\",\"name\":\"Engineering\",\"parent\":null,\"entities\":3,"
	"\"score\":0.625,\"scorecards\":[{\"id\":\"prod\",\"score\":0.6667},"
	"{\"id\":\"sec\",\"score\":0.5}]},\n"
	"{\"id\":\"web\",\"name\":\"Web\",\"parent\":\"eng\",\"entities\":2,"
	"\"score\":1,\"scorecards\":[{\"id\":\"prod\",\"score\":1},"
	"{\"id\":\"sec\",\"score\":1}]}\n"
	"],\n"
	"\"campaigns\":[\n"
	"{\"key\":\"docs\",\"name\":\"Docs and on-call\",\"owner\":\"eng\","
	"\"status\":\"in_progress\",\"progress\":0.5,\"pass\":2,\"total\":4,"
	"\"entities\":3,\"start\":\"2026-11-01\",\"due\":\"2026-11-30\",\"days_left\":7,"
	"\"by_team\":[{\"team\":\"eng\",\"progress\":0.5,\"pass\":2,\"total\":4,"
	"\"own_pass\":0,\"own_total\":2},{\"team\":\"web\",\"progress\":1,\"pass\":2,"
	"\"total\":2,\"own_pass\":2,\"own_total\":2}],"
	"\"by_rule\":[{\"rule\":\"prod/oncall\",\"progress\":0.5,\"pass\":1,\"total\":2},"
	"{\"rule\":\"sec/scan\",\"progress\":0.5,\"pass\":1,\"total\":2}]}\n"
	"]\n"
	"}\n";

static void test_json(void **state)
{
	(void)state;
	struct fixture fx;
	struct report_filter all = { NULL, NULL, NULL };
	struct report_sink sink;
	report_sink_init(&sink, NULL, NULL);
	fixture_load(&fx, json_files, "2026-11-23", false, 0);
	report_json(&fx.ru, &all, &sink);
	assert_document(&sink.text, json_expected);
	buf_release(&sink.text);
	fixture_release(&fx);
}

/* The team filter keeps a team's entities and its sub-teams': web keeps
 * db and api and only itself; eng keeps everything. Scorecards and
 * campaigns stay whole. */
static void test_team_filter(void **state)
{
	(void)state;
	struct fixture fx;
	struct report_sink sink;
	report_sink_init(&sink, NULL, NULL);
	fixture_load(&fx, json_files, "2026-11-23", false, 0);

	struct report_filter eng = { NULL, "eng", NULL };
	report_json(&fx.ru, &eng, &sink);
	assert_document(&sink.text, json_expected);
	buf_reset(&sink.text);

	struct report_filter web = { NULL, "web", NULL };
	report_json(&fx.ru, &web, &sink);
	assert_non_null(strstr(sink.text.data, "\n{\"ref\":\"datastore:db\""));
	assert_non_null(strstr(sink.text.data, "\n{\"ref\":\"service:api\""));
	assert_null(strstr(sink.text.data, "\"ref\":\"service:job\""));
	assert_non_null(strstr(sink.text.data, "\n{\"id\":\"web\",\"name\":\"Web\""));
	assert_null(strstr(sink.text.data, "{\"id\":\"eng\""));
	/* whole: the scorecard's numbers and the campaign's by_team */
	assert_non_null(strstr(sink.text.data, "\"score\":0.6667,\"pass\":3,\"fail\":1"));
	assert_non_null(strstr(sink.text.data, "{\"team\":\"eng\",\"progress\":0.5"));
	buf_reset(&sink.text);

	report_csv(&fx.ru, &web, &sink);
	assert_int_equal(count_lines(sink.text.data), 1 + 2 * 3);
	assert_null(strstr(sink.text.data, "service:job"));
	buf_reset(&sink.text);
	report_csv(&fx.ru, &eng, &sink);
	assert_int_equal(count_lines(sink.text.data), 1 + 3 * 3);
	buf_reset(&sink.text);

	/* JUnit counts only the kept entities: web on prod is db (skip, skip)
	 * and api (pass, pass); on sec db (no data: skipped) and api (pass). */
	report_junit(&fx.ru, &web, &sink);
	assert_non_null(strstr(sink.text.data, "<testsuite name=\"Production\" tests=\"4\" "
					 "failures=\"0\" skipped=\"2\">"));
	assert_non_null(strstr(sink.text.data, "<testsuite name=\"Security\" tests=\"2\" "
					 "failures=\"0\" skipped=\"1\">"));
	buf_reset(&sink.text);
	report_junit(&fx.ru, &eng, &sink);
	assert_non_null(strstr(sink.text.data, "<testsuite name=\"Production\" tests=\"6\" "
					 "failures=\"1\" skipped=\"2\">"));
	assert_non_null(strstr(sink.text.data, "<testsuite name=\"Security\" tests=\"3\" "
					 "failures=\"1\" skipped=\"1\">"));
	buf_release(&sink.text);
	fixture_release(&fx);
}

/* ---- CSV and JUnit -------------------------------------------------- */

/*
 * Scorecard qa, named `Q&A <"checks">`: scan (named `Scan <deps> &
 * "images"`, external), tier1 (check tier:1), off (disabled). Entities x
 * (tier 1, scan fails with a reason full of quotes, commas, `<` and `&`,
 * and with a line break in the CSV case), y (tier 2, no outcome), z (tier
 * 1, scan passes, tier1 exempt with a comma and quotes in the reason).
 *
 * With no_data = fail: x fail, pass, skip; y no_data (a failure), fail,
 * skip; z pass, exempt, skip -> 9 tests, 3 failures, 4 skipped.
 */
static void load_hostile(struct fixture *fx, const char *remarks, bool no_data_fails)
{
	struct buf outcomes = BUF_INIT;
	buf_addf(&outcomes,
		 "{\"data\": {\"type\": \"batched-outcome\", \"attributes\": {\"results\": [\n"
		 "  {\"rule_id\": \"qa/scan\", \"entity_reference\": \"service:x\","
		 " \"state\": \"fail\", \"remarks\": \"%s\"},\n"
		 "  {\"rule_id\": \"qa/scan\", \"entity_reference\": \"service:z\","
		 " \"state\": \"pass\", \"remarks\": \"ok\"}\n"
		 "]}}}\n", remarks);
	const struct file files[] = {
		{ "teams/teams.yaml", "id: web\n" },
		{ "catalog/entities.yaml",
		  "apiVersion: v3\nkind: service\nmetadata: {name: x, owner: web}\nspec: {tier: 1}\n"
		  "---\n"
		  "apiVersion: v3\nkind: service\nmetadata: {name: y, owner: web}\nspec: {tier: 2}\n"
		  "---\n"
		  "apiVersion: v3\nkind: service\nmetadata: {name: z, owner: web}\nspec: {tier: 1}\n" },
		{ "scorecards/qa.yaml",
		  "id: qa\nname: 'Q&A <\"checks\">'\nrules:\n"
		  "  - {id: scan, name: 'Scan <deps> & \"images\"', level: 1, outcome: external}\n"
		  "  - {id: tier1, name: Tier 1, level: 1, check: \"tier:1\"}\n"
		  "  - {id: off, name: Off, level: 1, check: \"tier:1\", enabled: false}\n" },
		{ "outcomes/scan.json", outcomes.data },
		{ "exemptions/z.yaml",
		  "- entity: service:z\n  rule: qa/tier1\n  reason: 'waiver, \"signed\"'\n"
		  "  expires: 2027-01-01\n" },
		{ NULL, NULL },
	};
	fixture_load(fx, files, "2026-11-23", no_data_fails, 0);
	buf_release(&outcomes);
}

static void test_csv(void **state)
{
	(void)state;
	struct fixture fx;
	struct report_filter all = { NULL, NULL, NULL };
	struct report_sink sink;
	report_sink_init(&sink, NULL, NULL);
	/* JSON escapes: the reason is: found <3> "critical", & more<LF>see report */
	load_hostile(&fx, "found <3> \\\"critical\\\", & more\\nsee report", true);
	report_csv(&fx.ru, &all, &sink);
	assert_document(&sink.text,
		"entity,scorecard,rule,level,team,tier,lifecycle,state,reason\r\n"
		"service:x,qa,scan,1,web,1,,fail,"
		"\"found <3> \"\"critical\"\", & more\nsee report\"\r\n"
		"service:x,qa,tier1,1,web,1,,pass,tier is 1\r\n"
		"service:x,qa,off,1,web,1,,skip,the rule is disabled\r\n"
		"service:y,qa,scan,1,web,2,,no_data,no outcome reported\r\n"
		"service:y,qa,tier1,1,web,2,,fail,tier is 2\r\n"
		"service:y,qa,off,1,web,2,,skip,the rule is disabled\r\n"
		"service:z,qa,scan,1,web,1,,pass,ok\r\n"
		"service:z,qa,tier1,1,web,1,,exempt,"
		"\"exempt until 2027-01-01: waiver, \"\"signed\"\"\"\r\n"
		"service:z,qa,off,1,web,1,,skip,the rule is disabled\r\n");
	buf_release(&sink.text);
	fixture_release(&fx);
}

#define SCAN "Scan &lt;deps&gt; &amp; &quot;images&quot;"

static void test_junit(void **state)
{
	(void)state;
	struct fixture fx;
	struct report_filter all = { NULL, NULL, NULL };
	struct report_sink sink;
	report_sink_init(&sink, NULL, NULL);
	load_hostile(&fx, "found <3> \\\"critical\\\", & more", true);
	report_junit(&fx.ru, &all, &sink);
	assert_document(&sink.text,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"yardstick\">\n"
		"  <testsuite name=\"Q&amp;A &lt;&quot;checks&quot;&gt;\" tests=\"9\" "
		"failures=\"3\" skipped=\"4\">\n"
		"    <testcase classname=\"qa.service:x\" name=\"" SCAN "\">"
		"<failure message=\"fail: found &lt;3&gt; &quot;critical&quot;, &amp; more\"/>"
		"</testcase>\n"
		"    <testcase classname=\"qa.service:x\" name=\"Tier 1\"/>\n"
		"    <testcase classname=\"qa.service:x\" name=\"Off\">"
		"<skipped message=\"skip: the rule is disabled\"/></testcase>\n"
		"    <testcase classname=\"qa.service:y\" name=\"" SCAN "\">"
		"<failure message=\"no_data: no outcome reported\"/></testcase>\n"
		"    <testcase classname=\"qa.service:y\" name=\"Tier 1\">"
		"<failure message=\"fail: tier is 2\"/></testcase>\n"
		"    <testcase classname=\"qa.service:y\" name=\"Off\">"
		"<skipped message=\"skip: the rule is disabled\"/></testcase>\n"
		"    <testcase classname=\"qa.service:z\" name=\"" SCAN "\"/>\n"
		"    <testcase classname=\"qa.service:z\" name=\"Tier 1\">"
		"<skipped message=\"exempt: exempt until 2027-01-01: waiver, "
		"&quot;signed&quot;\"/></testcase>\n"
		"    <testcase classname=\"qa.service:z\" name=\"Off\">"
		"<skipped message=\"skip: the rule is disabled\"/></testcase>\n"
		"  </testsuite>\n"
		"</testsuites>\n");
	fixture_release(&fx);

	/* With no_data = skip, y's missing outcome is skipped, not failed. */
	buf_reset(&sink.text);
	load_hostile(&fx, "found <3> \\\"critical\\\", & more", false);
	report_junit(&fx.ru, &all, &sink);
	assert_non_null(strstr(sink.text.data, "tests=\"9\" failures=\"2\" skipped=\"5\">"));
	assert_non_null(strstr(sink.text.data, "<skipped message=\"no_data: no outcome reported\"/>"));
	buf_release(&sink.text);
	fixture_release(&fx);
}

/* ---- streamed --------------------------------------------------------- */

/* What a flushing sink handed on: the pieces, concatenated, and the
 * largest one; with `fail_after` pieces taken, the next flush fails. */
struct pieces {
	struct buf bytes;
	size_t count, largest, fail_after;
};

static int take_piece(void *ctx, const char *data, size_t len)
{
	struct pieces *p = ctx;
	if (p->fail_after && p->count == p->fail_after)
		return -1;
	p->count++;
	if (len > p->largest)
		p->largest = len;
	buf_add(&p->bytes, data, len);
	return 0;
}

typedef void (*report_fn)(const struct rollup *, const struct report_filter *,
			  struct report_sink *);

static void outcomes_all(const struct rollup *ru, const struct report_filter *f,
			 struct report_sink *out)
{
	(void)f;
	report_outcomes(ru, out);
}

/*
 * 1200 entities in one scorecard of three rules: every report is several
 * times REPORT_FLUSH_AT, so a flushing sink hands it on in pieces, none
 * much over REPORT_FLUSH_AT, and the pieces make the same bytes as the
 * report held whole. A flush that fails is reported by
 * report_sink_finish() and nothing is flushed after it.
 */
static void test_streamed(void **state)
{
	(void)state;
	struct buf catalog = BUF_INIT;
	for (int i = 0; i < 1200; i++)
		buf_addf(&catalog, "%sapiVersion: v3\nkind: service\nmetadata: "
			 "{name: service-with-a-long-name-%04d, owner: web}\n"
			 "spec: {tier: %d}\n", i ? "---\n" : "", i, 1 + i % 3);
	const struct file files[] = {
		{ "teams/teams.yaml", "id: web\n" },
		{ "catalog/entities.yaml", catalog.data },
		{ "scorecards/qa.yaml",
		  "id: qa\nname: QA\nrules:\n"
		  "  - {id: tier1, name: Tier 1, level: 1, check: \"tier:1\"}\n"
		  "  - {id: tier2, name: Tier 2, level: 1, check: \"tier:2\"}\n"
		  "  - {id: named, name: Named, level: 2, check: \"name:service-*\"}\n" },
		{ NULL, NULL },
	};
	struct fixture fx;
	fixture_load(&fx, files, "2026-11-23", false, 0);
	static const report_fn reports[] = { report_json, report_csv, report_junit,
					     outcomes_all };
	struct report_filter all = { NULL, NULL, NULL };
	for (size_t i = 0; i < sizeof(reports) / sizeof(reports[0]); i++) {
		struct report_sink whole, sink;
		report_sink_init(&whole, NULL, NULL);
		reports[i](&fx.ru, &all, &whole);
		assert_int_equal(report_sink_finish(&whole), 0);
		assert_true(whole.text.len > 3 * REPORT_FLUSH_AT);

		struct pieces p = { BUF_INIT, 0, 0, 0 };
		report_sink_init(&sink, take_piece, &p);
		reports[i](&fx.ru, &all, &sink);
		assert_int_equal(report_sink_finish(&sink), 0);
		assert_int_equal(sink.text.len, 0);
		assert_true(p.count >= 3);
		assert_true(p.largest < REPORT_FLUSH_AT + 4096);
		assert_int_equal(p.bytes.len, whole.text.len);
		assert_memory_equal(p.bytes.data, whole.text.data, whole.text.len);

		buf_reset(&p.bytes);
		p.count = 0;
		p.fail_after = 1;
		report_sink_init(&sink, take_piece, &p);
		reports[i](&fx.ru, &all, &sink);
		assert_int_equal(report_sink_finish(&sink), -1);
		assert_int_equal(p.count, 1);
		assert_true(p.bytes.len < REPORT_FLUSH_AT + 4096);
		buf_release(&p.bytes);
		buf_release(&whole.text);
	}
	fixture_release(&fx);
	buf_release(&catalog);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_team_filter),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_junit),
		cmocka_unit_test(test_streamed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
