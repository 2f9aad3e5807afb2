/*
 * Unit tests for rollup: a small site written into a mkdtemp folder (as
 * test_content.c does), loaded, evaluated and rolled up as of 2026-11-23.
 * Every expected figure was worked out by hand from docs/scoring.md first;
 * the working is in the comment above the site.
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
#include "conf.h"
#include "content.h"
#include "date.h"
#include "eval.h"
#include "rollup.h"

/* ---- the folder (helpers copied from test_content.c) ---------------- */

/* ---- a loaded and evaluated site ------------------------------------ */

/* ---- the site ------------------------------------------------------- */

/*
 * Teams: org > eng > {web, data}; org > idle (no entities).
 * Scorecard a (scope kind:service): a2 (level 1, weight 1, check tag:a2),
 * then a1 (level 2, weight 3, check tag:a1). Scorecard b (no scope): b1
 * (level 1, scope -tag:nob, check tag:b1), b2 (level 1, disabled).
 *
 * Indices: teams data 0, eng 1, idle 2, org 3, web 4 (5 = unowned);
 * entities d1 0, d2 1, s1 2, s2 3, s3 4, s4 5, u1 6; rules a/a2 0,
 * a/a1 1, b/b1 2, b/b2 3.
 *
 *   entity        owner  tags        a (a2 a1)     b (b1)        overall
 *   datastore:d1  data   b1          out of scope  pass: 1       1/1 = 1
 *   datastore:d2  web    nob         out of scope  skip: none    none
 *   service:s1    web    a1 a2 b1    p p: 4/4 = 1  pass: 1       5/5 = 1
 *   service:s2    web    a1          f p: 3/4      fail: 0       3/5 = 0.6
 *   service:s3    data   a2 b1       p f: 1/4      pass: 1       2/5 = 0.4
 *   service:s4    eng    -           f f: 0        fail: 0       0/5 = 0
 *   service:u1    -      a1 a2       p p: 1        fail: 0       4/5 = 0.8
 *
 * s2's overall score is one ratio, 3/5 = 0.6, not the mean of 0.75 and 0.
 *
 * Team scores (means of the members' scores, sub-teams included, entities
 * without a score left out; in_scope counts members in the scorecard's scope):
 *   a:       web mean(1, .75) = .875 (2 in scope); data .25 (1);
 *            eng = org = mean(1, .75, .25, 0) = .5 (4); idle none (0)
 *   b:       web mean(1, 0) = .5 (3 in scope, d2 has no score); data 1 (2);
 *            eng = org = mean(1, 1, 0, 1, 0) = .6 (6 in scope, 5 scored)
 *   overall: web mean(1, .6) = .8; data mean(1, .4) = .7;
 *            eng = org = mean(1, 1, .6, .4, 0) = .6; idle none
 *
 * Levels: a: s2, s4 at 0; s3 at 1; s1, u1 at 2 -> [2, 1, 2, 0];
 *         b: d2, s2, s4, u1 at 0; d1, s1, s3 at 1 -> [4, 3, 0, 0].
 * Organisation: a 12/20 weighted (a2 3/5, a1 9/15) + b 3/6 = 15/26.
 *
 * Campaign main (every entity; a/a1 then b/b1):
 *   d1 -/p 1/1, d2 -/- 0/0, s1 p/p 2/2, s2 p/f 1/2, s3 f/p 1/2,
 *   s4 f/f 0/2, u1 p/f 1/2: 6/11.
 *   own shares: data 2/3, eng 0/2, web 3/4, unowned 1/2 (idle, org 0/0);
 *   with sub-teams: eng 0/2 + 2/3 + 3/4 = 5/9, org (nothing of its own) 5/9.
 *   by rule: a1 3/5, b1 3/6.
 *   open work: data s3 [0]; eng s4 [0, 1]; web s2 [1]; unowned u1 [1].
 * b/b1 alone: 3/6 over everyone; 3/3 over scope tag:b1 (d1, s1, s3).
 */
static const struct file site_files[] = {
	{ "teams/teams.yaml",
	  "id: org\nname: Org\n---\nid: eng\nparent: org\n---\nid: web\nparent: eng\n"
	  "---\nid: data\nparent: eng\n---\nid: idle\nparent: org\n" },
	{ "catalog/entities.yaml",
	  "apiVersion: v3\nkind: datastore\nmetadata: {name: d1, owner: data, tags: [b1]}\n"
	  "---\n"
	  "apiVersion: v3\nkind: datastore\nmetadata: {name: d2, owner: web, tags: [nob]}\n"
	  "---\n"
	  "apiVersion: v3\nkind: service\nmetadata: {name: s1, owner: web, tags: [a1, a2, b1]}\n"
	  "---\n"
	  "apiVersion: v3\nkind: service\nmetadata: {name: s2, owner: web, tags: [a1]}\n"
	  "---\n"
	  "apiVersion: v3\nkind: service\nmetadata: {name: s3, owner: data, tags: [a2, b1]}\n"
	  "---\n"
	  "apiVersion: v3\nkind: service\nmetadata: {name: s4, owner: eng}\n"
	  "---\n"
	  "apiVersion: v3\nkind: service\nmetadata: {name: u1, tags: [a1, a2]}\n" },
	{ "scorecards/a.yaml",
	  "id: a\nname: A\nscope: kind:service\nrules:\n"
	  "  - {id: a2, name: A2, level: 1, check: tag:a2}\n"
	  "  - {id: a1, name: A1, level: 2, weight: 3, check: tag:a1}\n" },
	{ "scorecards/b.yaml",
	  "id: b\nname: B\nrules:\n"
	  "  - {id: b1, name: B1, level: 1, scope: -tag:nob, check: tag:b1}\n"
	  "  - {id: b2, name: B2, level: 1, check: tag:b1, enabled: false}\n" },
	{ "campaigns/main.md",
	  "---\nkey: main\nname: Main\nowner: org\nstart: 2026-11-01\ndue: 2026-12-31\n"
	  "rules:\n  - rule: a/a1\n  - rule: b/b1\n---\nBody.\n" },
#define CAMPAIGN(key, extra)                                                   \
	{ "campaigns/" key ".md",                                              \
	  "---\nkey: " key "\nname: " key "\nowner: org\n" extra               \
	  "rules:\n  - rule: b/b1\n---\nBody.\n" }
	/* The status table, as of 2026-11-23. */
	CAMPAIGN("later", "start: 2026-12-01\ndue: 2027-01-10\nscope: tag:b1\n"),
	CAMPAIGN("due-today", "start: 2026-11-01\ndue: 2026-11-23\n"),
	CAMPAIGN("scoped", "start: 2026-11-01\nscope: tag:b1\n"),
	CAMPAIGN("done-today", "start: 2026-11-01\ndue: 2026-11-23\nscope: tag:b1\n"),
	CAMPAIGN("overdue", "start: 2026-10-01\ndue: 2026-11-22\n"),
	CAMPAIGN("ended", "start: 2026-10-01\ndue: 2026-11-22\nscope: tag:b1\n"),
	CAMPAIGN("closed-early", "status: completed\nstart: 2026-11-01\ndue: 2026-12-31\n"),
	CAMPAIGN("closed-late", "status: completed\nstart: 2026-10-01\ndue: 2026-11-01\n"),
	CAMPAIGN("closed-future", "status: completed\nstart: 2026-12-01\ndue: 2027-01-10\n"),
	CAMPAIGN("nothing", "status: in_progress\nstart: 2026-11-01\nscope: tag:nob\n"),
#undef CAMPAIGN
	{ NULL, NULL },
};

enum { DATA, ENG, IDLE, ORG, WEB, UNOWNED, TEAMS = UNOWNED };
enum { D1, D2, S1, S2, S3, S4, U1, ENTITIES };
enum { SC_A, SC_B };
enum { A2, A1, B1, B2 };

static const char *const team_ids[] = { "data", "eng", "idle", "org", "web" };
static const char *const entity_refs[] = {
	"datastore:d1", "datastore:d2", "service:s1", "service:s2",
	"service:s3", "service:s4", "service:u1",
};

static struct fixture fx;

static int setup(void **state)
{
	(void)state;
	fixture_load(&fx, site_files, "2026-11-23", false, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fixture_release(&fx);
	return 0;
}

static void assert_indices(const size_t *got, size_t got_count,
			   const size_t *want, size_t want_count)
{
	assert_int_equal(got_count, want_count);
	for (size_t i = 0; i < want_count; i++)
		if (got[i] != want[i])
			fail_msg("index %zu: %zu, want %zu", i, got[i], want[i]);
}

#define ASSERT_INDICES(got, count, ...)                                         \
	do {                                                                    \
		static const size_t want_[] = { __VA_ARGS__ };                   \
		assert_indices(got, count, want_, sizeof(want_) / sizeof(want_[0])); \
	} while (0)

static void assert_part_at(const struct campaign_part *p, size_t pass, size_t total,
			   const char *what, const char *name)
{
	if (p->pass != pass || p->total != total)
		fail_msg("%s %s: %zu/%zu, want %zu/%zu", what, name, p->pass, p->total,
			 pass, total);
}

#define assert_part(p, pass, total) assert_part_at(p, pass, total, #p, "")

/* ---- the hierarchy -------------------------------------------------- */

static void test_indices(void **state)
{
	(void)state;
	/* The enums above match the site's sorted order. */
	assert_int_equal(fx.site.team_count, TEAMS);
	for (size_t t = 0; t < TEAMS; t++)
		assert_int_equal(site_team_index(&fx.site, team_ids[t]), t);
	assert_int_equal(fx.site.entity_count, ENTITIES);
	for (size_t e = 0; e < ENTITIES; e++)
		assert_int_equal(fixture_entity(&fx, entity_refs[e]), e);
	assert_int_equal(fixture_scorecard(&fx, "a"), SC_A);
	assert_int_equal(fixture_scorecard(&fx, "b"), SC_B);
	assert_int_equal(fixture_rule(&fx, "a/a2"), A2);
	assert_int_equal(fixture_rule(&fx, "a/a1"), A1);
	assert_int_equal(fixture_rule(&fx, "b/b1"), B1);
	assert_int_equal(fixture_rule(&fx, "b/b2"), B2);
}

static void test_hierarchy(void **state)
{
	(void)state;
	const struct rollup *ru = &fx.ru;
	ASSERT_INDICES(ru->entity_team, ENTITIES, DATA, WEB, WEB, WEB, DATA, ENG, UNOWNED);
	ASSERT_INDICES(ru->team_parent, TEAMS, ENG, ORG, ORG, SITE_NONE, ENG);
	ASSERT_INDICES(ru->owned[DATA], ru->owned_count[DATA], D1, S3);
	ASSERT_INDICES(ru->owned[ENG], ru->owned_count[ENG], S4);
	assert_int_equal(ru->owned_count[IDLE], 0);
	assert_int_equal(ru->owned_count[ORG], 0);
	ASSERT_INDICES(ru->owned[WEB], ru->owned_count[WEB], D2, S1, S2);
	ASSERT_INDICES(ru->owned[UNOWNED], ru->owned_count[UNOWNED], U1);
	ASSERT_INDICES(ru->members[DATA], ru->member_count[DATA], D1, S3);
	ASSERT_INDICES(ru->members[ENG], ru->member_count[ENG], D1, D2, S1, S2, S3, S4);
	assert_int_equal(ru->member_count[IDLE], 0);
	ASSERT_INDICES(ru->members[ORG], ru->member_count[ORG], D1, D2, S1, S2, S3, S4);
	ASSERT_INDICES(ru->members[WEB], ru->member_count[WEB], D2, S1, S2);
}

static void test_team_within(void **state)
{
	(void)state;
	static const struct {
		size_t t, root;
		bool within;
	} cases[] = {
		{ WEB, WEB, true },   { WEB, ENG, true },    { WEB, ORG, true },
		{ DATA, ORG, true },  { IDLE, ORG, true },   { ORG, ORG, true },
		{ ENG, WEB, false },  { ORG, ENG, false },   { DATA, WEB, false },
		{ IDLE, ENG, false }, { WEB, IDLE, false },
		/* the unowned slot is within nothing */
		{ UNOWNED, ORG, false }, { UNOWNED, WEB, false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (rollup_team_within(&fx.ru, cases[i].t, cases[i].root) != cases[i].within)
			fail_msg("case %zu: team %zu within %zu should be %s", i, cases[i].t,
				 cases[i].root, cases[i].within ? "true" : "false");
}

/* ---- entities and teams --------------------------------------------- */

static void test_entity_scores(void **state)
{
	(void)state;
	const struct rollup *ru = &fx.ru;
	static const double want[] = { 1, NAN, 1, 0.6, 0.4, 0, 0.8 };
	for (size_t e = 0; e < ENTITIES; e++)
		assert_score(ru->entity_score[e], want[e]);
	/* One ratio of weighted points over both scorecards, not the mean of
	 * 0.75 and 0. */
	assert_score(fixture_entity_score(&fx, "service:s2", "a")->score, 0.75);
	assert_score(fixture_entity_score(&fx, "service:s2", "b")->score, 0);
	assert_tally(&ru->entity_totals[S2], 1, 2, 1, 0, 0, 3);
	assert_score(ru->entity_totals[S2].weighted_pass, 3);
	assert_score(ru->entity_totals[S2].weighted_counted, 5);
	/* Out of a scorecard's scope: its skips are not in the total. */
	assert_tally(&ru->entity_totals[D1], 1, 0, 1, 0, 0, 1);
	assert_tally(&ru->entity_totals[D2], 0, 0, 2, 0, 0, 0);
	static const bool failing[] = { false, false, false, true, true, true, true };
	for (size_t e = 0; e < ENTITIES; e++)
		assert_int_equal(ru->entity_failing[e], failing[e]);
}

struct team_case {
	size_t team;
	double score;
	size_t scored, in_scope;
};

static bool same_score(double got, double want)
{
	return isnan(want) ? isnan(got) : !isnan(got) && fabs(got - want) <= 1e-9;
}

static void check_team_scores(const char *what, const struct team_score *scores,
			      size_t stride, size_t offset,
			      const struct team_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct team_score *ts = &scores[cases[i].team * stride + offset];
		if (!same_score(ts->score, cases[i].score) ||
		    ts->scored != cases[i].scored || ts->in_scope != cases[i].in_scope)
			fail_msg("%s, %s: %g (%zu scored, %zu in scope), want %g (%zu, %zu)",
				 what, team_ids[cases[i].team], ts->score, ts->scored,
				 ts->in_scope, cases[i].score, cases[i].scored,
				 cases[i].in_scope);
	}
}

static void test_team_scores(void **state)
{
	(void)state;
	const struct rollup *ru = &fx.ru;
	static const struct team_case on_a[] = {
		{ DATA, 0.25, 1, 1 }, { ENG, 0.5, 4, 4 }, { IDLE, NAN, 0, 0 },
		{ ORG, 0.5, 4, 4 },   { WEB, 0.875, 2, 2 },
	};
	static const struct team_case on_b[] = {
		{ DATA, 1, 2, 2 },  { ENG, 0.6, 5, 6 }, { IDLE, NAN, 0, 0 },
		{ ORG, 0.6, 5, 6 }, { WEB, 0.5, 2, 3 },
	};
	static const struct team_case overall[] = {
		{ DATA, 0.7, 2, 2 }, { ENG, 0.6, 5, 6 }, { IDLE, NAN, 0, 0 },
		{ ORG, 0.6, 5, 6 },  { WEB, 0.8, 2, 3 },
	};
	check_team_scores("on a", ru->team_scores, 2, SC_A, on_a, 5);
	check_team_scores("on b", ru->team_scores, 2, SC_B, on_b, 5);
	check_team_scores("overall", ru->team_overall, 1, 0, overall, 5);

	/* The members' rule tallies: eng on b/b1 is d1 p, d2 s, s1 p, s2 f,
	 * s3 p, s4 f; web on a/a1 is d2 s, s1 p, s2 p. */
	size_t rules = fx.ev.rule_total;
	assert_int_equal(rules, 4);
	assert_tally(&ru->team_rule_tallies[ENG * rules + B1], 3, 2, 1, 0, 0, 5);
	assert_tally(&ru->team_rule_tallies[WEB * rules + A1], 2, 0, 1, 0, 0, 2);
	assert_score(ru->team_rule_tallies[WEB * rules + A1].weighted_pass, 6);
	assert_tally(&ru->team_rule_tallies[IDLE * rules + B1], 0, 0, 0, 0, 0, 0);
}

static void test_scorecards(void **state)
{
	(void)state;
	const struct rollup *ru = &fx.ru;
	ASSERT_INDICES(ru->level_counts[SC_A], 4, 2, 1, 2, 0);
	ASSERT_INDICES(ru->level_counts[SC_B], 4, 4, 3, 0, 0);
	ASSERT_INDICES(ru->scorecard_entities, 2, 5, 7);
	assert_score(ru->overall.weighted_pass, 15);
	assert_score(ru->overall.weighted_counted, 26);
	assert_score(ru->overall_score, 15.0 / 26);
}

/* Best first, ties by id (a/a1 before a/a2 though a2 comes first in the
 * file; datastore:d1 before service:s1; eng before org), NaN left out
 * (b/b2, datastore:d2, idle). */
static void test_rankings(void **state)
{
	(void)state;
	const struct rollup *ru = &fx.ru;
	ASSERT_INDICES(ru->teams.order, ru->teams.count, WEB, DATA, ENG, ORG);
	ASSERT_INDICES(ru->rules.order, ru->rules.count, A1, A2, B1);
	ASSERT_INDICES(ru->entities.order, ru->entities.count, D1, S1, U1, S2, S3, S4);
}

/* ---- campaigns ------------------------------------------------------ */

static const struct campaign_result *campaign(const char *key)
{
	for (size_t c = 0; c < fx.site.campaign_count; c++)
		if (strcmp(fx.ru.campaigns[c].campaign->key, key) == 0)
			return &fx.ru.campaigns[c];
	fail_msg("no campaign '%s'", key);
	return NULL;
}

static void test_campaign_progress(void **state)
{
	(void)state;
	const struct campaign_result *cr = campaign("main");
	assert_part(&cr->all, 6, 11);
	assert_score(cr->progress, 6.0 / 11);
	assert_int_equal(cr->entity_count, 7);
	for (size_t e = 0; e < ENTITIES; e++)
		assert_true(fx.ru.in_campaign[(size_t)(cr - fx.ru.campaigns) * ENTITIES + e]);

	static const size_t own[][2] = { { 2, 3 }, { 0, 2 }, { 0, 0 }, { 0, 0 }, { 3, 4 }, { 1, 2 } };
	static const size_t all[][2] = { { 2, 3 }, { 5, 9 }, { 0, 0 }, { 5, 9 }, { 3, 4 }, { 1, 2 } };
	for (size_t t = 0; t <= TEAMS; t++) {
		const char *name = t < TEAMS ? team_ids[t] : "(unowned)";
		assert_part_at(&cr->by_owner[t], own[t][0], own[t][1], "by_owner", name);
		assert_part_at(&cr->by_team[t], all[t][0], all[t][1], "by_team", name);
	}
	assert_score(rollup_part_progress(&cr->by_team[ORG]), 5.0 / 9);
	assert_score(rollup_part_progress(&cr->by_owner[ORG]), NAN);

	ASSERT_INDICES(cr->rule_index, 2, A1, B1);
	assert_part(&cr->by_rule[0], 3, 5);
	assert_part(&cr->by_rule[1], 3, 6);

	/* Scoped: only d1, s1 and s3 are in it. */
	cr = campaign("scoped");
	assert_part(&cr->all, 3, 3);
	assert_int_equal(cr->entity_count, 3);
	size_t c = (size_t)(cr - fx.ru.campaigns);
	static const bool member[] = { true, false, true, false, true, false, false };
	for (size_t e = 0; e < ENTITIES; e++)
		assert_int_equal(fx.ru.in_campaign[c * ENTITIES + e], member[e]);
	assert_part(&cr->by_team[ENG], 3, 3);
	assert_part(&cr->by_owner[ENG], 0, 0);
	assert_int_equal(cr->work_count, 0);
}

static void test_campaign_work(void **state)
{
	(void)state;
	const struct campaign_result *cr = campaign("main");
	assert_int_equal(cr->work_count, 4);
	ASSERT_INDICES(cr->work_start, TEAMS + 2, 0, 1, 2, 2, 2, 3, 4);
	static const struct {
		size_t entity, team;
		size_t rules[2], rule_count;
	} want[] = {
		{ S3, DATA, { 0 }, 1 },
		{ S4, ENG, { 0, 1 }, 2 },
		{ S2, WEB, { 1 }, 1 },
		{ U1, UNOWNED, { 1 }, 1 },
	};
	for (size_t i = 0; i < 4; i++) {
		const struct campaign_work *w = &cr->work[i];
		assert_int_equal(w->entity, want[i].entity);
		assert_int_equal(w->team, want[i].team);
		assert_indices(w->rules, w->rule_count, want[i].rules, want[i].rule_count);
	}
}

static void test_campaign_status(void **state)
{
	(void)state;
	static const struct {
		const char *key;
		enum campaign_status status;
		bool active;
		bool has_days_left;
		long days_left;
		size_t pass, total;
	} cases[] = {
		/* before start, whatever it would be */
		{ "later", CAMPAIGN_NOT_STARTED, false, true, 48, 3, 3 },
		{ "closed-future", CAMPAIGN_NOT_STARTED, false, true, 48, 3, 6 },
		/* marked completed: before and after its due date */
		{ "closed-early", CAMPAIGN_COMPLETED, false, true, 38, 3, 6 },
		{ "closed-late", CAMPAIGN_COMPLETED, false, true, -22, 3, 6 },
		/* in progress: not complete, due not passed (or none) */
		{ "main", CAMPAIGN_IN_PROGRESS, true, true, 38, 6, 11 },
		{ "due-today", CAMPAIGN_IN_PROGRESS, true, true, 0, 3, 6 },
		/* nothing counts: not complete ("at least one counts") */
		{ "nothing", CAMPAIGN_IN_PROGRESS, true, false, 0, 0, 0 },
		/* every counted pair passes, due not passed (or none) */
		{ "scoped", CAMPAIGN_COMPLETED, false, false, 0, 3, 3 },
		{ "done-today", CAMPAIGN_COMPLETED, false, true, 0, 3, 3 },
		/* due passed */
		{ "overdue", CAMPAIGN_OVERDUE, true, true, -1, 3, 6 },
		{ "ended", CAMPAIGN_ENDED, false, true, -1, 3, 3 },
	};
	assert_int_equal(fx.site.campaign_count, sizeof(cases) / sizeof(cases[0]));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct campaign_result *cr = campaign(cases[i].key);
		if (cr->status != cases[i].status || cr->active != cases[i].active ||
		    cr->has_days_left != cases[i].has_days_left ||
		    (cases[i].has_days_left && cr->days_left != cases[i].days_left))
			fail_msg("%s: %s%s, days left %ld%s; want %s%s, %ld%s", cases[i].key,
				 rollup_campaign_status_name(cr->status),
				 cr->active ? " (active)" : "", cr->days_left,
				 cr->has_days_left ? "" : " (none)",
				 rollup_campaign_status_name(cases[i].status),
				 cases[i].active ? " (active)" : "", cases[i].days_left,
				 cases[i].has_days_left ? "" : " (none)");
		assert_part_at(&cr->all, cases[i].pass, cases[i].total, "all", cases[i].key);
	}
	assert_score(campaign("nothing")->progress, NAN);
	assert_int_equal(campaign("nothing")->entity_count, 1);
	assert_true(campaign("closed-early")->campaign->completed);
	assert_false(campaign("nothing")->campaign->completed);

	static const char *const names[] = {
		[CAMPAIGN_NOT_STARTED] = "not_started", [CAMPAIGN_IN_PROGRESS] = "in_progress",
		[CAMPAIGN_COMPLETED] = "completed",     [CAMPAIGN_OVERDUE] = "overdue",
		[CAMPAIGN_ENDED] = "ended",
	};
	for (size_t s = 0; s < sizeof(names) / sizeof(names[0]); s++)
		assert_string_equal(rollup_campaign_status_name((enum campaign_status)s), names[s]);
}

/* ---- no_data = fail ------------------------------------------------- */

/*
 * One external rule x, entities p (pass outcome) and q (none), owned by
 * web under eng; a campaign on x. no_data = skip: q has no score, web's
 * mean is p's 1 alone, the campaign 1/1 (completed); no_data = fail: q
 * scores 0, web mean(1, 0) = 0.5, the campaign 1/2 with q as open work.
 */
static const struct file no_data_files[] = {
	{ "teams/teams.yaml", "id: eng\n---\nid: web\nparent: eng\n" },
	{ "catalog/entities.yaml",
	  "apiVersion: v3\nkind: service\nmetadata: {name: p, owner: web}\n"
	  "---\n"
	  "apiVersion: v3\nkind: service\nmetadata: {name: q, owner: web}\n" },
	{ "scorecards/x.yaml",
	  "id: x\nname: X\nrules:\n  - {id: x, name: X, level: 1, outcome: external}\n" },
	{ "outcomes/p.json",
	  "{\"data\": {\"type\": \"batched-outcome\", \"attributes\": {\"results\": [\n"
	  "  {\"rule_id\": \"x/x\", \"entity_reference\": \"service:p\", \"state\": \"pass\"}\n"
	  "]}}}\n" },
	{ "campaigns/c.md",
	  "---\nkey: c\nname: C\nowner: eng\nstart: 2026-11-01\nrules:\n  - rule: x/x\n---\nB.\n" },
	{ NULL, NULL },
};

static void test_no_data(void **state)
{
	(void)state;
	struct fixture nd;
	size_t eng = 0, web = 1, q = 1;

	fixture_load(&nd, no_data_files, "2026-11-23", false, 0);
	assert_score(nd.ru.entity_score[q], NAN);
	assert_score(nd.ru.team_overall[web].score, 1);
	assert_int_equal(nd.ru.team_overall[web].scored, 1);
	assert_part(&nd.ru.campaigns[0].all, 1, 1);
	assert_int_equal(nd.ru.campaigns[0].status, CAMPAIGN_COMPLETED);
	assert_int_equal(nd.ru.campaigns[0].work_count, 0);
	assert_int_equal(nd.ru.entities.count, 1);
	fixture_release(&nd);

	fixture_load(&nd, no_data_files, "2026-11-23", true, 0);
	assert_score(nd.ru.entity_score[q], 0);
	assert_score(nd.ru.team_overall[web].score, 0.5);
	assert_score(nd.ru.team_overall[eng].score, 0.5);
	assert_part(&nd.ru.campaigns[0].all, 1, 2);
	assert_part(&nd.ru.campaigns[0].by_team[eng], 1, 2);
	assert_int_equal(nd.ru.campaigns[0].status, CAMPAIGN_IN_PROGRESS);
	assert_int_equal(nd.ru.campaigns[0].work_count, 1);
	assert_int_equal(nd.ru.campaigns[0].work[0].entity, q);
	ASSERT_INDICES(nd.ru.entities.order, nd.ru.entities.count, 0, 1);
	fixture_release(&nd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_indices),
		cmocka_unit_test(test_hierarchy),
		cmocka_unit_test(test_team_within),
		cmocka_unit_test(test_entity_scores),
		cmocka_unit_test(test_team_scores),
		cmocka_unit_test(test_scorecards),
		cmocka_unit_test(test_rankings),
		cmocka_unit_test(test_campaign_progress),
		cmocka_unit_test(test_campaign_work),
		cmocka_unit_test(test_campaign_status),
		cmocka_unit_test(test_no_data),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
