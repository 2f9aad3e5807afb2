/*
 * Unit tests for eval: each case writes a small content folder into a
 * fresh mkdtemp folder (as test_content.c does), loads it with
 * content_load and runs eval_run. The expectations come from
 * docs/scoring.md, worked out by hand before running anything: every row
 * of the states table, weights, no_data = skip or fail, and every row of
 * the level example table plus the level cases around it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <math.h>
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

/* ---- the folder (helpers copied from test_content.c) ---------------- */

/* ---- a loaded and evaluated site ------------------------------------ */

#define RUN_DATE "2026-11-23"

/* ---- states --------------------------------------------------------- */

/*
 * Run date 2026-11-23, outcome_max_age_days = 14. Scorecard `prod`
 * (scope kind:service), rules in order: off (disabled), runbook (scope
 * tier:<=2, check link:runbook), oncall (check integration:pagerduty),
 * slo and deploy (external).
 */
static const struct file state_files[] = {
	{ "teams/teams.yaml", "id: web\n" },
	{ "catalog/entities.yaml",
	  "apiVersion: v3\nkind: datastore\nmetadata: {name: db, owner: web}\n"
	  "spec: {tier: 1}\n"
	  "---\n"
	  "apiVersion: v3\nkind: service\n"
	  "metadata:\n  name: a\n  owner: web\n"
	  "  links:\n    - {name: Runbook, type: runbook, url: \"https://wiki.example/a\"}\n"
	  "spec: {tier: 1}\n"
	  "integrations:\n  pagerduty: {serviceURL: \"https://x.pagerduty.com/service-directory/A\"}\n"
	  "---\n"
	  "apiVersion: v3\nkind: service\nmetadata: {name: b, owner: web}\n"
	  "spec: {tier: 3}\n"
	  "---\n"
	  "apiVersion: v3\nkind: service\n"
	  "metadata:\n  name: c\n  owner: web\n"
	  "  links:\n    - {name: Docs, type: doc, url: \"https://wiki.example/c\"}\n"
	  "    - {name: Code, type: repo, url: \"https://git.example/c\"}\n"
	  "spec: {tier: 2}\n"
	  "---\n"
	  "apiVersion: v3\nkind: service\nmetadata: {name: d, owner: web}\n"
	  "spec: {tier: 1}\n" },
	{ "scorecards/prod.yaml",
	  "id: prod\nname: Production\nscope: kind:service\nrules:\n"
	  "  - id: off\n    name: Off\n    level: 1\n    check: owner:*\n"
	  "    enabled: false\n"
	  "  - id: runbook\n    name: Runbook\n    level: 1\n    scope: tier:<=2\n"
	  "    check: link:runbook\n"
	  "  - id: oncall\n    name: On-call\n    level: 1\n"
	  "    check: integration:pagerduty\n"
	  "  - id: slo\n    name: SLOs\n    level: 2\n    outcome: external\n"
	  "  - id: deploy\n    name: Deploy\n    level: 3\n    outcome: external\n" },
	{ "exemptions/x.yaml",
	  /* out of the scorecard's scope: row 1 comes first */
	  "- {entity: \"datastore:db\", rule: prod/runbook, reason: no, expires: 2027-01-01}\n"
	  /* out of the rule's scope: row 3 comes first */
	  "- {entity: \"service:b\", rule: prod/runbook, reason: no, expires: 2027-01-01}\n"
	  /* valid up to and including its expires day (the run date) */
	  "- {entity: \"service:c\", rule: prod/runbook, reason: writing it, expires: 2026-11-23}\n"
	  /* expired the day before: ignored */
	  "- {entity: \"service:c\", rule: prod/oncall, reason: old, expires: 2026-11-22}\n"
	  /* a disabled rule: row 2 comes first */
	  "- {entity: \"service:c\", rule: prod/off, reason: no, expires: 2027-01-01}\n" },
	{ "outcomes/1.json",
	  "{\"data\": {\"type\": \"batched-outcome\", \"attributes\": {\n"
	  "  \"observed_at\": \"2026-11-20T00:00:00Z\",\n"
	  "  \"results\": [\n"
	  /* a: the newest wins, though the older one comes later */
	  "    {\"rule_id\": \"prod/slo\", \"entity_reference\": \"service:a\", \"state\": \"pass\",\n"
	  "     \"remarks\": \"2 SLOs\", \"observed_at\": \"2026-11-22T03:00:00Z\"},\n"
	  "    {\"rule_id\": \"prod/slo\", \"entity_reference\": \"service:a\", \"state\": \"fail\",\n"
	  "     \"remarks\": \"older\"},\n"
	  /* a: a reported skip without remarks */
	  "    {\"rule_id\": \"prod/deploy\", \"entity_reference\": \"service:a\", \"state\": \"skip\"},\n"
	  /* b: 15 whole days old: stale */
	  "    {\"rule_id\": \"prod/deploy\", \"entity_reference\": \"service:b\", \"state\": \"pass\",\n"
	  "     \"observed_at\": \"2026-11-08T00:00:00Z\"},\n"
	  /* c: 14.5 days old, 14 whole days: not stale */
	  "    {\"rule_id\": \"prod/slo\", \"entity_reference\": \"service:c\", \"state\": \"pass\",\n"
	  "     \"observed_at\": \"2026-11-08T12:00:00Z\"},\n"
	  /* c: equal times: the one read last wins */
	  "    {\"rule_id\": \"prod/deploy\", \"entity_reference\": \"service:c\", \"state\": \"pass\",\n"
	  "     \"remarks\": \"first\"},\n"
	  "    {\"rule_id\": \"prod/deploy\", \"entity_reference\": \"service:c\", \"state\": \"fail\",\n"
	  "     \"remarks\": \"second\"}\n"
	  "  ]}}}\n" },
	/* d: outcomes without any time: never stale; the later file wins */
	{ "outcomes/2.json",
	  "{\"data\": {\"type\": \"batched-outcome\", \"attributes\": {\"results\": [\n"
	  "  {\"rule_id\": \"prod/slo\", \"entity_reference\": \"service:d\", \"state\": \"pass\",\n"
	  "   \"remarks\": \"timeless\"},\n"
	  "  {\"rule_id\": \"prod/deploy\", \"entity_reference\": \"service:d\", \"state\": \"pass\",\n"
	  "   \"remarks\": \"file 2\"}\n"
	  "]}}}\n" },
	{ "outcomes/3.json",
	  "{\"data\": {\"type\": \"batched-outcome\", \"attributes\": {\"results\": [\n"
	  "  {\"rule_id\": \"prod/deploy\", \"entity_reference\": \"service:d\", \"state\": \"fail\",\n"
	  "   \"remarks\": \"file 3\"}\n"
	  "]}}}\n" },
	{ NULL, NULL },
};

struct state_case {
	const char *entity, *rule;
	enum rule_state state;
	const char *reason;
};

static const struct state_case state_cases[] = {
	/* 1: outside the scorecard's scope, whatever else applies */
	{ "datastore:db", "prod/off", STATE_SKIP, "outside the scorecard's scope" },
	{ "datastore:db", "prod/runbook", STATE_SKIP, "outside the scorecard's scope" },
	{ "datastore:db", "prod/slo", STATE_SKIP, "outside the scorecard's scope" },
	/* 2: disabled, also with a valid exemption */
	{ "service:a", "prod/off", STATE_SKIP, "the rule is disabled" },
	{ "service:c", "prod/off", STATE_SKIP, "the rule is disabled" },
	/* 3: outside the rule's scope, also with a valid exemption */
	{ "service:b", "prod/runbook", STATE_SKIP, "outside the rule's scope: tier is 3" },
	/* 4: a valid exemption, on its last day; an expired one is ignored */
	{ "service:c", "prod/runbook", STATE_EXEMPT, "exempt until 2026-11-23: writing it" },
	{ "service:c", "prod/oncall", STATE_FAIL, "no integration pagerduty (integrations: none)" },
	/* 5: checks */
	{ "service:a", "prod/runbook", STATE_PASS, "has link of type runbook" },
	{ "service:d", "prod/runbook", STATE_FAIL, "no link of type runbook (links: none)" },
	{ "service:a", "prod/oncall", STATE_PASS, "has integration pagerduty" },
	{ "service:b", "prod/oncall", STATE_FAIL, "no integration pagerduty (integrations: none)" },
	/* 6: external, no outcome */
	{ "service:b", "prod/slo", STATE_NO_DATA, "no outcome reported" },
	/* 7: stale */
	{ "service:b", "prod/deploy", STATE_NO_DATA,
	  "last outcome is from 2026-11-08, older than 14 days" },
	/* 8: the newest outcome's state; remarks, or "reported <state>" */
	{ "service:a", "prod/slo", STATE_PASS, "2 SLOs" },
	{ "service:a", "prod/deploy", STATE_SKIP, "reported skip" },
	{ "service:c", "prod/slo", STATE_PASS, "reported pass" },
	{ "service:c", "prod/deploy", STATE_FAIL, "second" },
	{ "service:d", "prod/slo", STATE_PASS, "timeless" },
	{ "service:d", "prod/deploy", STATE_FAIL, "file 3" },
};

static void test_states(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_load(&fx, state_files, RUN_DATE, false, 14);
	for (size_t i = 0; i < sizeof(state_cases) / sizeof(state_cases[0]); i++) {
		const struct state_case *c = &state_cases[i];
		const struct rule_result *res =
			eval_result(&fx.ev, fixture_entity(&fx, c->entity), fixture_rule(&fx, c->rule));
		if (res->state != c->state || strcmp(res->reason, c->reason) != 0)
			fail_msg("%s %s: got %s \"%s\", want %s \"%s\"", c->entity, c->rule,
				 eval_state_name(res->state), res->reason,
				 eval_state_name(c->state), c->reason);
	}
	/* Without outcome_max_age_days nothing is stale. */
	fixture_release(&fx);
	fixture_load(&fx, state_files, RUN_DATE, false, 0);
	const struct rule_result *res =
		eval_result(&fx.ev, fixture_entity(&fx, "service:b"), fixture_rule(&fx, "prod/deploy"));
	assert_int_equal(res->state, STATE_PASS);
	assert_string_equal(res->reason, "reported pass");
	fixture_release(&fx);
}

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(eval_state_name(STATE_PASS), "pass");
	assert_string_equal(eval_state_name(STATE_FAIL), "fail");
	assert_string_equal(eval_state_name(STATE_SKIP), "skip");
	assert_string_equal(eval_state_name(STATE_NO_DATA), "no_data");
	assert_string_equal(eval_state_name(STATE_EXEMPT), "exempt");
}

/* ---- weights -------------------------------------------------------- */

/*
 * Scorecard `w`: heavy (weight 3, check tag:heavy), light (weight 1,
 * check tag:light). x has both tags, y only heavy, z none.
 *
 *   heavy: x pass, y pass, z fail -> rule 2/3 (weights cancel: 6/9)
 *   light: x pass, y fail, z fail -> rule 1/3
 *   scorecard: (3+3+1) / (9+3) = 7/12 (pass/counted would be 3/6)
 *   x: 4/4 = 1; y: 3/4 = 0.75 (not 1/2); z: 0/4 = 0
 */
static const struct file weight_files[] = {
	{ "teams/teams.yaml", "id: web\n" },
	{ "catalog/entities.yaml",
	  "apiVersion: v3\nkind: service\nmetadata: {name: x, owner: web, tags: [heavy, light]}\n"
	  "---\n"
	  "apiVersion: v3\nkind: service\nmetadata: {name: y, owner: web, tags: [heavy]}\n"
	  "---\n"
	  "apiVersion: v3\nkind: service\nmetadata: {name: z, owner: web}\n" },
	{ "scorecards/w.yaml",
	  "id: w\nname: Weights\nrules:\n"
	  "  - id: heavy\n    name: Heavy\n    level: 1\n    weight: 3\n    check: tag:heavy\n"
	  "  - id: light\n    name: Light\n    level: 1\n    check: tag:light\n" },
	{ NULL, NULL },
};

static void test_weights(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_load(&fx, weight_files, RUN_DATE, false, 0);
	const struct tally *heavy = &fx.ev.rule_tallies[fixture_rule(&fx, "w/heavy")];
	const struct tally *light = &fx.ev.rule_tallies[fixture_rule(&fx, "w/light")];
	assert_tally(heavy, 2, 1, 0, 0, 0, 3);
	assert_score(heavy->weighted_pass, 6);
	assert_score(heavy->weighted_counted, 9);
	assert_score(eval_tally_score(heavy), 2.0 / 3);
	assert_tally(light, 1, 2, 0, 0, 0, 3);
	assert_score(eval_tally_score(light), 1.0 / 3);

	const struct tally *sc = &fx.ev.scorecard_tallies[fixture_scorecard(&fx, "w")];
	assert_tally(sc, 3, 3, 0, 0, 0, 6);
	assert_score(sc->weighted_pass, 7);
	assert_score(sc->weighted_counted, 12);
	assert_score(eval_tally_score(sc), 7.0 / 12);

	assert_score(fixture_entity_score(&fx, "service:x", "w")->score, 1);
	assert_score(fixture_entity_score(&fx, "service:y", "w")->score, 0.75);
	assert_score(fixture_entity_score(&fx, "service:z", "w")->score, 0);
	assert_tally(&fixture_entity_score(&fx, "service:y", "w")->tally, 1, 1, 0, 0, 0, 2);

	/* eval_tally_add: a skip counts for nothing, a pass with its weight. */
	struct tally t = { 0 };
	eval_tally_add(&fx.ev, &t, STATE_SKIP, 5);
	assert_score(eval_tally_score(&t), NAN);
	eval_tally_add(&fx.ev, &t, STATE_PASS, 5);
	eval_tally_add(&fx.ev, &t, STATE_FAIL, 3);
	eval_tally_add(&fx.ev, &t, STATE_EXEMPT, 3);
	assert_tally(&t, 1, 1, 1, 0, 1, 2);
	assert_score(eval_tally_score(&t), 5.0 / 8);
	fixture_release(&fx);
}

/* ---- no_data = skip or fail ----------------------------------------- */

/*
 * Scorecard `ext`: ext (external, weight 2), own (check owner:*). p has a
 * pass outcome, q none.
 *
 *   no_data = skip: ext 1/1 = 1, scorecard (2+1+1)/(2+1+1) = 1, q 1/1 = 1
 *   no_data = fail: ext 1/2,     scorecard 4/6,               q 1/3
 */
static const struct file no_data_files[] = {
	{ "teams/teams.yaml", "id: web\n" },
	{ "catalog/entities.yaml",
	  "apiVersion: v3\nkind: service\nmetadata: {name: p, owner: web}\n"
	  "---\n"
	  "apiVersion: v3\nkind: service\nmetadata: {name: q, owner: web}\n" },
	{ "scorecards/ext.yaml",
	  "id: ext\nname: External\nrules:\n"
	  "  - id: ext\n    name: Ext\n    level: 1\n    weight: 2\n    outcome: external\n"
	  "  - id: own\n    name: Owned\n    level: 1\n    check: owner:*\n" },
	{ "outcomes/p.json",
	  "{\"data\": {\"type\": \"batched-outcome\", \"attributes\": {\"results\": [\n"
	  "  {\"rule_id\": \"ext/ext\", \"entity_reference\": \"service:p\", \"state\": \"pass\"}\n"
	  "]}}}\n" },
	{ NULL, NULL },
};

static void test_no_data(void **state)
{
	(void)state;
	struct fixture fx;

	fixture_load(&fx, no_data_files, RUN_DATE, false, 0);
	assert_false(fx.ev.no_data_fails);
	assert_false(eval_state_counts(&fx.ev, STATE_NO_DATA));
	assert_false(eval_state_open(&fx.ev, STATE_NO_DATA));
	const struct tally *ext = &fx.ev.rule_tallies[fixture_rule(&fx, "ext/ext")];
	assert_tally(ext, 1, 0, 0, 1, 0, 1);
	assert_score(eval_tally_score(ext), 1);
	assert_score(eval_tally_score(&fx.ev.scorecard_tallies[0]), 1);
	assert_tally(&fixture_entity_score(&fx, "service:q", "ext")->tally, 1, 0, 0, 1, 0, 1);
	assert_score(fixture_entity_score(&fx, "service:q", "ext")->score, 1);
	fixture_release(&fx);

	fixture_load(&fx, no_data_files, RUN_DATE, true, 0);
	assert_true(fx.ev.no_data_fails);
	assert_true(eval_state_counts(&fx.ev, STATE_NO_DATA));
	assert_true(eval_state_open(&fx.ev, STATE_NO_DATA));
	ext = &fx.ev.rule_tallies[fixture_rule(&fx, "ext/ext")];
	assert_tally(ext, 1, 0, 0, 1, 0, 2);
	assert_score(eval_tally_score(ext), 0.5);
	assert_score(fx.ev.scorecard_tallies[0].weighted_counted, 6);
	assert_score(eval_tally_score(&fx.ev.scorecard_tallies[0]), 4.0 / 6);
	assert_tally(&fixture_entity_score(&fx, "service:q", "ext")->tally, 1, 0, 0, 1, 0, 2);
	assert_score(fixture_entity_score(&fx, "service:q", "ext")->score, 1.0 / 3);
	fixture_release(&fx);

	/* Whatever no_data is: pass and fail count, skip and exempt never;
	 * only fail (and no data) is open. */
	fixture_load(&fx, no_data_files, RUN_DATE, true, 0);
	static const struct {
		enum rule_state s;
		bool counts, open;
	} kinds[] = {
		{ STATE_PASS, true, false },   { STATE_FAIL, true, true },
		{ STATE_SKIP, false, false },  { STATE_EXEMPT, false, false },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		assert_int_equal(eval_state_counts(&fx.ev, kinds[i].s), kinds[i].counts);
		assert_int_equal(eval_state_open(&fx.ev, kinds[i].s), kinds[i].open);
	}
	fixture_release(&fx);
}

/* ---- levels --------------------------------------------------------- */

/*
 * Scorecard `lv` (3 default levels, scope -tag:two): l1a, l1b (level 1;
 * l1b only for entities tagged `pair`), l2 (level 2), l3 (level 3), all
 * external so each row writes its own states:
 *   p pass, f fail, s reported skip, n no outcome (no data),
 *   o a pass 53 days old (stale: no data), x exempt,
 *   - (l1b only) outside the rule's scope.
 * Scorecard `two` (3 levels, scope tag:two) has rules at levels 1 and 2
 * only, for the "no rules at level 3" row.
 */
struct level_case {
	const char *name;
	char l1a, l1b, l2, l3;
	int level;
};

static const struct level_case level_cases[] = {
	/* The example table of docs/scoring.md, row by row. */
	{ "pass-pass--pass--pass", 'p', 'p', 'p', 'p', 3 },
	{ "pass--pass--skip", 'p', '-', 'p', 's', 2 },
	{ "pass--nodata--pass", 'p', '-', 'n', 'p', 1 },
	{ "fail--pass--pass", 'f', '-', 'p', 'p', 0 },
	{ "skip--pass--skip", 's', '-', 'p', 's', 2 },
	{ "skip--skip--skip", 's', '-', 's', 's', 0 },
	/* A level with no applicable rule gives no level and takes none. */
	{ "pass--skip--skip", 'p', '-', 's', 's', 1 },
	{ "pass--skip--pass", 'p', '-', 's', 'p', 3 },
	{ "pass--exempt--skip", 'p', '-', 'x', 's', 1 },
	{ "pass--exempt--pass", 'p', '-', 'x', 'p', 3 },
	/* A stale outcome is no evidence, and it blocks. */
	{ "pass--stale--skip", 'p', '-', 'o', 's', 1 },
	{ "pass--stale--pass", 'p', '-', 'o', 'p', 1 },
	{ "pass--pass--stale", 'p', '-', 'p', 'o', 2 },
	/* One failing rule of two at level 1; a failure at level 3 only. */
	{ "pass-fail--pass--pass", 'p', 'f', 'p', 'p', 0 },
	{ "pass--pass--fail", 'p', '-', 'p', 'f', 2 },
	{ "nodata--pass--pass", 'n', '-', 'p', 'p', 0 },
	{ "exempt--pass--pass", 'x', '-', 'p', 'p', 3 },
};

enum { LEVEL_CASES = sizeof(level_cases) / sizeof(level_cases[0]) };

static void add_outcome(struct buf *b, bool *first, const char *entity_name,
			const char *rule_ref, char st)
{
	const char *state, *when = "2026-11-22T00:00:00Z";
	switch (st) {
	case 'p': state = "pass"; break;
	case 'f': state = "fail"; break;
	case 's': state = "skip"; break;
	case 'o': state = "pass"; when = "2026-10-01T00:00:00Z"; break;
	default: return; /* no outcome */
	}
	buf_addf(b, "%s  {\"rule_id\": \"%s\", \"entity_reference\": \"service:%s\", "
		 "\"state\": \"%s\", \"observed_at\": \"%s\"}",
		 *first ? "" : ",\n", rule_ref, entity_name, state, when);
	*first = false;
}

static void add_exemption(struct buf *b, const char *entity_name, const char *rule_ref,
			  char st)
{
	if (st == 'x')
		buf_addf(b, "- {entity: \"service:%s\", rule: %s, reason: r, expires: 2027-01-01}\n",
			 entity_name, rule_ref);
}

static void check_levels(bool no_data_fails)
{
	struct buf catalog = BUF_INIT, outcomes = BUF_INIT, exemptions = BUF_INIT;
	bool first = true;
	buf_adds(&outcomes, "{\"data\": {\"type\": \"batched-outcome\", "
		 "\"attributes\": {\"results\": [\n");
	for (size_t i = 0; i < LEVEL_CASES; i++) {
		const struct level_case *c = &level_cases[i];
		buf_addf(&catalog, "apiVersion: v3\nkind: service\n"
			 "metadata: {name: %s, owner: web, tags: [%s]}\n---\n",
			 c->name, c->l1b == '-' ? "single" : "pair");
		const char states[] = { c->l1a, c->l1b, c->l2, c->l3 };
		static const char *const rules[] = { "lv/l1a", "lv/l1b", "lv/l2", "lv/l3" };
		for (size_t r = 0; r < 4; r++) {
			add_outcome(&outcomes, &first, c->name, rules[r], states[r]);
			add_exemption(&exemptions, c->name, rules[r], states[r]);
		}
	}
	buf_adds(&catalog, "apiVersion: v3\nkind: service\n"
		 "metadata: {name: two, owner: web, tags: [two]}\n");
	add_outcome(&outcomes, &first, "two", "two/t1", 'p');
	add_outcome(&outcomes, &first, "two", "two/t2", 'p');
	buf_adds(&outcomes, "\n]}}}\n");

	const struct file files[] = {
		{ "teams/teams.yaml", "id: web\n" },
		{ "catalog/entities.yaml", catalog.data },
		{ "scorecards/lv.yaml",
		  "id: lv\nname: Levels\nscope: -tag:two\nrules:\n"
		  "  - {id: l1a, name: L1a, level: 1, outcome: external}\n"
		  "  - {id: l1b, name: L1b, level: 1, outcome: external, scope: tag:pair}\n"
		  "  - {id: l2, name: L2, level: 2, outcome: external}\n"
		  "  - {id: l3, name: L3, level: 3, outcome: external}\n" },
		{ "scorecards/two.yaml",
		  "id: two\nname: Two\nscope: tag:two\nrules:\n"
		  "  - {id: t1, name: T1, level: 1, outcome: external}\n"
		  "  - {id: t2, name: T2, level: 2, outcome: external}\n" },
		{ "outcomes/all.json", outcomes.data },
		{ "exemptions/all.yaml", exemptions.data },
		{ NULL, NULL },
	};
	struct fixture fx;
	fixture_load(&fx, files, RUN_DATE, no_data_fails, 14);
	assert_int_equal(fx.site.scorecards[fixture_scorecard(&fx, "lv")]->level_count, 3);
	assert_int_equal(fx.site.scorecards[fixture_scorecard(&fx, "two")]->level_count, 3);
	for (size_t i = 0; i < LEVEL_CASES; i++) {
		char ref[64];
		snprintf(ref, sizeof(ref), "service:%s", level_cases[i].name);
		const struct entity_score *es = fixture_entity_score(&fx, ref, "lv");
		assert_true(es->in_scope);
		if (es->level != level_cases[i].level)
			fail_msg("%s (no_data = %s): level %d, want %d", level_cases[i].name,
				 no_data_fails ? "fail" : "skip", es->level,
				 level_cases[i].level);
		/* Out of the other scorecard's scope: no level, no score. */
		es = fixture_entity_score(&fx, ref, "two");
		assert_false(es->in_scope);
		assert_int_equal(es->level, -1);
		assert_score(es->score, NAN);
	}
	/* No rules at level 3: pass | pass | (none) -> 2. */
	assert_true(fixture_entity_score(&fx, "service:two", "two")->in_scope);
	assert_int_equal(fixture_entity_score(&fx, "service:two", "two")->level, 2);
	assert_false(fixture_entity_score(&fx, "service:two", "lv")->in_scope);
	assert_int_equal(fixture_entity_score(&fx, "service:two", "lv")->level, -1);

	/* The stale outcome is no data in the scores as well: with no_data =
	 * skip pass.stale.pass scores 2/2, with no_data = fail 2/3. */
	const struct entity_score *stale = fixture_entity_score(&fx, "service:pass--stale--pass", "lv");
	assert_int_equal(stale->tally.no_data, 1);
	assert_score(stale->score, no_data_fails ? 2.0 / 3 : 1);
	fixture_release(&fx);
	buf_release(&catalog);
	buf_release(&outcomes);
	buf_release(&exemptions);
}

static void test_levels(void **state)
{
	(void)state;
	check_levels(false);
	/* No data blocks a level whatever no_data counts as. */
	check_levels(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_no_data),
		cmocka_unit_test(test_levels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
