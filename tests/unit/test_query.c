/*
 * Unit tests for query: every construct against a few small entities read
 * from YAML (so the raw document is there for paths), every error with its
 * column, and the reasons query_explain() gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "query.h"
#include "yamldoc.h"

/*
 * A: a Datadog v3 service with everything; B: a Datadog v2.2 service;
 * C: a Backstage component; D: a bare v3 datastore with almost nothing.
 */
static const char catalog[] =
	"apiVersion: v3\n"
	"kind: service\n"
	"metadata:\n"
	"  name: Checkout-API\n"
	"  displayName: Checkout API\n"
	"  description: Takes the money.\n"
	"  owner: Payments\n"
	"  additionalOwners:\n"
	"    - name: sre\n"
	"      type: operator\n"
	"  tags: [\"env:prod\", java, \"Cost-Center:42\"]\n"
	"  links:\n"
	"    - {name: Runbook, type: runbook, url: \"https://wiki.example/rb\"}\n"
	"    - {name: Source, type: repo, url: \"https://github.com/acme/checkout\"}\n"
	"  contacts:\n"
	"    - {name: Chat, type: slack, contact: \"https://slack.example/c\"}\n"
	"spec:\n"
	"  tier: Tier 1\n"
	"  lifecycle: prod\n"
	"  type: web\n"
	"  languages: [go, python]\n"
	"  componentOf: [\"system:shop\"]\n"
	"  dependsOn: [\"service:payments-db\", \"queue:events\"]\n"
	"integrations:\n"
	"  pagerduty:\n"
	"    serviceURL: https://acme.pagerduty.com/service-directory/P1\n"
	"extensions:\n"
	"  acme/score: 7\n"
	"  acme/ratio: \"0.5\"\n"
	"  acme/matrix: [[a, b], [c, \"Star*Lit\"]]\n"
	"  acme/empty: []\n"
	"  acme/nothing: ~\n"
	"  acme/flag: true\n"
	"---\n"
	"schema-version: v2.2\n"
	"dd-service: legacy-billing\n"
	"team: billing\n"
	"tier: \"3\"\n"
	"lifecycle: sunset\n"
	"application: billing\n"
	"languages: [java]\n"
	"tags: [\"env:staging\"]\n"
	"links:\n"
	"  - {name: docs, type: doc, url: \"https://docs.example\"}\n"
	"  - {name: code, type: repo, url: \"https://git.example\"}\n"
	"integrations:\n"
	"  opsgenie:\n"
	"    service-url: https://acme.app.opsgenie.com/service/1\n"
	"---\n"
	"apiVersion: backstage.io/v1alpha1\n"
	"kind: Component\n"
	"metadata:\n"
	"  name: widget\n"
	"  namespace: Team-A\n"
	"  title: \"Widget \\\"W\\\"\"\n"
	"  annotations:\n"
	"    pagerduty.com/service-id: PX1\n"
	"    slack-channel: \"#widgets\"\n"
	"spec:\n"
	"  type: library\n"
	"  lifecycle: experimental\n"
	"  owner: group:default/widgets\n"
	"---\n"
	"apiVersion: v3\n"
	"kind: datastore\n"
	"metadata:\n"
	"  name: orders-db\n"
	"spec:\n"
	"  tier: gold\n";

struct fixture {
	struct arena arena;
	struct errlist errors;
	struct source src;
	struct entity *entities[4]; /* A, B, C, D */
	size_t count;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct err e = ERR_INIT;
	f->src.path = "catalog.yaml";
	f->src.text = catalog;
	f->src.len = strlen(catalog);
	struct value **docs;
	size_t count;
	if (yamldoc_parse(&f->arena, &f->src, &yamldoc_default_limits, &docs,
			  &count, &e) != 0)
		fail_msg("%u:%u: %s", e.line, e.col, e.msg);
	for (size_t i = 0; i < count; i++) {
		struct entity *ent;
		struct team *team;
		if (catalog_read_document(&f->arena, &f->src, docs[i], &ent, &team,
					  &f->errors) == CATALOG_ENTITY)
			f->entities[f->count++] = ent;
	}
	assert_int_equal(f->count, 4);
	assert_int_equal(f->errors.errors, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	errlist_release(&f->errors);
	arena_release(&f->arena);
	free(f);
	return 0;
}

/* Which of A, B, C, D a query matches, as a string like "AC". */
static void matches(struct fixture *f, const char *text, char out[5])
{
	struct query_error error;
	struct query *q = query_parse(&f->arena, text, &error);
	if (!q)
		fail_msg("'%s': column %u: %s", text, error.col, error.msg);
	size_t n = 0;
	for (size_t i = 0; i < f->count; i++)
		if (query_match(q, f->entities[i]))
			out[n++] = (char)('A' + i);
	out[n] = '\0';
}

static const struct { const char *query, *expected; } match_cases[] = {
	/* kind, name, namespace, case-insensitive keys and values */
	{ "kind:service", "AB" },
	{ "KIND:Service", "AB" },
	{ "kind:component", "C" },
	{ "name:checkout-api", "A" },
	{ "name:\"Checkout API\"", "" }, /* the display name is not the name */
	{ "namespace:team-a", "C" },
	{ "namespace:default", "ABD" },
	/* owners: the owner or an additional owner; team is the same */
	{ "owner:payments", "A" },
	{ "team:SRE", "A" },
	{ "owner:widgets", "C" },
	{ "owner:*", "ABC" },
	{ "-owner:*", "D" },
	/* tier: the number, the text as written, recognised words */
	{ "tier:1", "A" },
	{ "tier:\"Tier 1\"", "A" },
	{ "tier:critical", "A" },
	{ "tier:3", "B" },
	{ "tier:tier*", "A" },
	{ "tier:gold", "D" },
	{ "tier:*", "ABD" },
	{ "tier:<=2", "A" },
	{ "tier:<3", "A" },
	{ "tier:>1", "B" },
	{ "tier:>=1", "AB" },
	{ "tier:>=3.5", "" },
	{ "tier:>-1", "AB" },
	/* lifecycle: the recognised name or the text as written */
	{ "lifecycle:production", "A" },
	{ "lifecycle:prod", "A" },
	{ "lifecycle:live", "A" },
	{ "lifecycle:deprecated", "B" },
	{ "lifecycle:sunset", "B" },
	{ "lifecycle:exp*", "C" },
	{ "-lifecycle:deprecated", "ACD" },
	/* other model fields */
	{ "type:web", "A" },
	{ "type:*", "AC" },
	{ "language:python", "A" },
	{ "languages:JAVA", "B" },
	{ "application:billing", "B" },
	{ "system:shop", "A" },
	{ "description:*", "A" },
	{ "description:*money*", "A" },
	{ "link:runbook", "A" },
	{ "link:repo", "AB" },
	{ "links:*", "AB" },
	{ "contact:slack", "A" },
	{ "contact:*", "A" },
	{ "integration:pagerduty", "AC" },
	{ "integration:opsgenie", "B" },
	{ "integration:pagerduty OR integration:opsgenie", "ABC" },
	{ "dependency:queue:events", "A" },
	{ "dependsOn:service:*", "A" },
	/* tags: tag:text, and unknown single-word keys as tag keys */
	{ "tag:env:prod", "A" },
	{ "tag:java", "A" },
	{ "tag:env:*", "AB" },
	{ "env:prod", "A" },
	{ "ENV:Staging", "B" },
	{ "env:*", "AB" },
	{ "cost-center:42", "A" },
	{ "cost-center:>40", "A" },
	{ "java:*", "" }, /* a bare tag has no value */
	{ "nosuchkey:x", "" },
	/* wildcards at the start, the middle, the end, several */
	{ "name:*-api", "A" },
	{ "name:check*api", "A" },
	{ "name:legacy*", "B" },
	{ "name:*i*g*", "BC" },
	{ "name:*r*s*d*b", "D" },
	{ "name:w*t*", "C" },
	{ "name:**", "ABCD" },
	{ "name:checkout", "" }, /* whole values only */
	{ "name:\"orders-db\"", "D" },
	/* paths into the original document */
	{ "metadata.links.type:runbook", "A" },
	{ "Metadata.Links.Type:RUNBOOK", "A" },
	{ "spec.dependsOn:service:*", "A" },
	{ "spec.dependsOn:*", "A" },
	{ "metadata.links:*", "A" }, /* lists of mappings are present */
	{ "links:*", "AB" },
	{ "metadata.annotations.pagerduty.com/service-id:px1", "C" },
	{ "metadata.annotations.slack-channel:*", "C" },
	/* a quoted step is one key as written, dots and all */
	{ "metadata.annotations.\"pagerduty.com/service-id\":px1", "C" },
	{ "metadata.annotations.\"pagerduty.com/service-id\":*", "C" },
	{ "\"metadata\".\"annotations\".\"slack-channel\":*", "C" },
	{ "metadata.annotations.\"pagerduty.com\":*", "" },
	{ "metadata.annotations:*", "C" },
	{ "extensions.acme/score:7", "A" },
	{ "extensions.acme/score:>6.5", "A" },
	{ "extensions.acme/score:<7", "" },
	{ "extensions.acme/ratio:<=0.5", "A" }, /* quoted numbers compare too */
	{ "extensions.acme/matrix:c", "A" },   /* lists in lists */
	{ "extensions.acme/matrix:\"star\\*lit\"", "A" },
	{ "extensions.acme/matrix:star\\*", "" },
	{ "extensions.acme/empty:*", "" },
	{ "extensions.acme/nothing:*", "" },
	{ "extensions.acme/flag:TRUE", "A" },
	{ "metadata.name:checkout-api", "A" },
	{ "spec.tier:<2", "" }, /* "Tier 1" is not a number in the document */
	{ "tier:\"3\"", "B" },
	{ "no.such.path:*", "" },
	/* everything; negation; precedence; grouping */
	{ "*:*", "ABCD" },
	{ "NOT *:*", "" },
	{ "-kind:service", "CD" },
	{ "NOT kind:service", "CD" },
	{ "--kind:service", "AB" },
	{ "kind:service tier:1", "A" },
	{ "kind:service AND tier:1", "A" },
	{ "kind:datastore OR kind:component", "CD" },
	{ "kind:service tier:3 OR kind:component", "BC" },
	{ "kind:component OR kind:service tier:3", "BC" },
	{ "kind:service AND (tier:3 OR lifecycle:prod)", "AB" },
	{ "-kind:service OR tier:1", "ACD" },
	{ "NOT (kind:service OR kind:component)", "D" },
	{ "-(kind:service)", "CD" },
	{ "NOT kind:service tier:gold", "D" },
	{ "((((kind:datastore))))", "D" },
	{ "(kind:service)(tier:1)", "A" },
	{ "  kind:service\t\nAND tier:1  ", "A" },
	{ "AND:x", "" }, /* a key that spells an operator is just a tag key */
	{ "kind:\"service\" -name:\"legacy-billing\"", "A" },
};

static void test_matching(void **state)
{
	struct fixture *f = *state;
	for (size_t i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		char got[5];
		matches(f, match_cases[i].query, got);
		if (strcmp(got, match_cases[i].expected) != 0)
			fail_msg("'%s' matched \"%s\", expected \"%s\"",
				 match_cases[i].query, got, match_cases[i].expected);
	}
}

static const struct { const char *query; unsigned col; const char *msg; } error_cases[] = {
	{ "", 1, "empty query" },
	{ "   ", 4, "empty query" },
	{ "kind:service and tier:1", 14,
	  "expected key:value, found 'and' (operators are uppercase: AND)" },
	{ "kind:service or tier:1", 14,
	  "expected key:value, found 'or' (operators are uppercase: OR)" },
	{ "not kind:service", 1,
	  "expected key:value, found 'not' (operators are uppercase: NOT)" },
	{ "payments", 1, "expected key:value, found 'payments'" },
	{ "kind:service AND", 14, "expected key:value after AND" },
	{ "kind:service AND OR tier:1", 14, "expected key:value after AND" },
	{ "kind:service OR", 14, "expected key:value after OR" },
	{ "OR x:y", 1, "expected key:value before OR" },
	{ "AND x:y", 1, "expected key:value before AND" },
	{ "x:y NOT", 5, "expected key:value after NOT" },
	{ "x:y -", 5, "expected key:value right after '-'" },
	{ "- x:y", 1, "expected key:value right after '-'" },
	{ "kind:service AND (tier:1", 18, "unclosed '('" },
	{ "((a:b) OR (c:d)", 1, "unclosed '('" },
	{ "a:b)", 4, "unexpected ')'" },
	{ ") a:b", 1, "unexpected ')'" },
	{ "(a:b))", 6, "unexpected ')'" },
	{ "()", 1, "expected key:value after '('" },
	{ "tier:", 6, "expected a value after 'tier:'" },
	{ "tier: 1", 6, "expected a value after 'tier:'" },
	{ "(Tier:)", 7, "expected a value after 'Tier:'" },
	{ ":x", 1, "expected a key before ':'" },
	{ "tier:<", 7, "expected a number after '<'" },
	{ "tier:<=x", 8, "expected a number after '<='" },
	{ "tier:>1x", 7, "expected a number after '>'" },
	{ "tier:>=", 8, "expected a number after '>='" },
	{ "tier:>1.", 7, "expected a number after '>'" },
	{ "name:\"abc", 6, "unterminated quote" },
	{ "name:\"ab\\\"", 6, "unterminated quote" },
	{ "name:\"ab\"c", 10, "expected a space or ')' after the closing quote" },
	{ "name:ab\"c\"", 8, "a quote can only start a value; quote the whole value" },
	{ "owner:\"\"", 7, "empty value after 'owner:'; '-owner:*' finds entities without one" },
	{ "name:x\\", 7, "nothing to escape after '\\'" },
	{ "*:x", 1, "'*' as a key only works in '*:*'" },
	{ "na*me:x", 3, "a key cannot have wildcards" },
	{ "a..b:x", 2, "empty step in the path 'a..b'" },
	{ ".a:x", 1, "empty step in the path '.a'" },
	{ "a.:x", 2, "empty step in the path 'a.'" },
	{ "a.\"b:x", 3, "unterminated quote in the key" },
	{ "a.\"\":x", 3, "empty step in the path" },
	{ "a.\"b\"c:x", 6, "expected '.' or ':' after a quoted key" },
	/* columns count characters, not bytes */
	{ "name:ü tier:", 13, "expected a value after 'tier:'" },
};

static void test_errors(void **state)
{
	struct fixture *f = *state;
	for (size_t i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		struct query_error error = { 0, "" };
		struct query *q = query_parse(&f->arena, error_cases[i].query, &error);
		if (q)
			fail_msg("'%s' parsed", error_cases[i].query);
		if (error.col != error_cases[i].col ||
		    strcmp(error.msg, error_cases[i].msg) != 0)
			fail_msg("'%s': column %u: %s\nexpected column %u: %s",
				 error_cases[i].query, error.col, error.msg,
				 error_cases[i].col, error_cases[i].msg);
	}
}

static void test_limits(void **state)
{
	struct fixture *f = *state;
	struct query_error error;
	char text[QUERY_MAX_LENGTH + 2];

	/* as deep as allowed, then one more */
	size_t n = 0;
	for (int i = 0; i < QUERY_MAX_DEPTH; i++)
		text[n++] = '(';
	memcpy(text + n, "a:b", 3);
	n += 3;
	for (int i = 0; i < QUERY_MAX_DEPTH; i++)
		text[n++] = ')';
	text[n] = '\0';
	assert_non_null(query_parse(&f->arena, text, &error));
	char deeper[sizeof(text) + 2];
	snprintf(deeper, sizeof(deeper), "(%s)", text);
	assert_null(query_parse(&f->arena, deeper, &error));
	assert_int_equal(error.col, QUERY_MAX_DEPTH + 1);
	assert_string_equal(error.msg, "nested deeper than the limit of 32 levels");

	/* negations count as nesting: no deep recursion from "-----..." */
	memset(text, '-', 100);
	memcpy(text + 100, "a:b", 4);
	assert_null(query_parse(&f->arena, text, &error));
	assert_int_equal(error.col, QUERY_MAX_DEPTH + 1);

	/* long but allowed: many terms in a row */
	n = 0;
	while (n + 4 <= QUERY_MAX_LENGTH) {
		memcpy(text + n, "a:b ", 4);
		n += 4;
	}
	text[n] = '\0';
	assert_non_null(query_parse(&f->arena, text, &error));
	memset(text, 'x', QUERY_MAX_LENGTH + 1);
	text[QUERY_MAX_LENGTH + 1] = '\0';
	assert_null(query_parse(&f->arena, text, &error));
	assert_int_equal(error.col, 1);
	assert_string_equal(error.msg,
			    "the query is 4097 bytes long, over the limit of 4096");
}

static const struct { const char *query; char entity; const char *reason; } explain_cases[] = {
	{ "tier:<=2", 'B', "tier is 3" },
	{ "tier:<=2", 'A', "tier is 1 (\"Tier 1\")" },
	{ "tier:1", 'D', "tier is \"gold\" (not recognised)" },
	{ "tier:1", 'C', "no tier" },
	{ "link:runbook", 'B', "no link of type runbook (links: doc, repo)" },
	{ "link:runbook", 'C', "no link of type runbook (links: none)" },
	{ "link:runbook", 'A', "has link of type runbook" },
	{ "link:*", 'C', "no links" },
	{ "owner:*", 'D', "no owner" },
	{ "owner:payments", 'A', "owners are payments, sre" },
	{ "team:billing", 'B', "team is billing" },
	{ "integration:pagerduty OR integration:opsgenie", 'D',
	  "no integration pagerduty or opsgenie (integrations: none)" },
	{ "integration:pagerduty OR integration:opsgenie", 'B',
	  "has integration opsgenie" },
	{ "integration:pager*", 'C', "has integration pagerduty" },
	{ "-lifecycle:deprecated", 'B', "lifecycle is deprecated (\"sunset\")" },
	{ "lifecycle:production", 'C', "lifecycle is experimental" },
	{ "lifecycle:production", 'D', "no lifecycle" },
	/* an AND that fails names only what failed */
	{ "kind:service tier:1 link:runbook", 'B',
	  "tier is 3; no link of type runbook (links: doc, repo)" },
	/* an AND that holds names everything */
	{ "kind:service tier:1", 'A', "kind is service; tier is 1 (\"Tier 1\")" },
	/* an OR that holds names what held */
	{ "kind:component OR tier:3", 'B', "tier is 3" },
	{ "env:prod", 'B', "no tag env:prod (env tags: env:staging)" },
	{ "env:prod", 'C', "no tag env:prod (env tags: none)" },
	{ "env:*", 'C', "no env tag" },
	{ "-env:prod", 'A', "has tag env:prod" },
	{ "tag:java", 'B', "no tag java (tags: env:staging)" },
	{ "language:*", 'C', "no languages" },
	{ "language:rust", 'A', "no language rust (languages: go, python)" },
	{ "contact:slack", 'B', "no contact of type slack (contacts: none)" },
	{ "description:*", 'B', "no description" },
	{ "description:*", 'A', "has a description" },
	{ "system:*", 'C', "no system" },
	{ "application:shop", 'A', "application is shop" },
	{ "type:web", 'C', "type is library" },
	{ "namespace:x", 'A', "namespace is default" },
	{ "dependsOn:api:*", 'A',
	  "no dependency api:* (dependencies: service:payments-db, queue:events)" },
	{ "spec.dependsOn:*", 'B', "no spec.dependsOn" },
	{ "links.type:runbook", 'B', "links.type has doc, repo" },
	{ "spec.type:web", 'C', "spec.type is library" },
	{ "metadata.links:*", 'C', "no metadata.links" },
	{ "metadata.annotations:*", 'C', "metadata.annotations is {...}" },
	{ "*:*", 'A', "matches every entity" },
	{ "-*:*", 'A', "matches no entity" },
	{ "kind:x OR kind:y OR kind:x", 'A', "kind is service" },
	{ "name:a1 OR name:a2 OR tag:a3 OR link:a4 OR contact:a5 OR integration:a6 "
	  "OR language:a7 OR tier:<0", 'A',
	  "name is checkout-api; no tag a3 (tags: env:prod, java, Cost-Center:42); "
	  "no link of type a4 (links: runbook, repo); no..." },
};

static void test_explain(void **state)
{
	struct fixture *f = *state;
	for (size_t i = 0; i < sizeof(explain_cases) / sizeof(explain_cases[0]); i++) {
		struct query_error error;
		struct query *q = query_parse(&f->arena, explain_cases[i].query, &error);
		if (!q)
			fail_msg("'%s': %s", explain_cases[i].query, error.msg);
		struct buf b = BUF_INIT;
		query_explain(q, f->entities[explain_cases[i].entity - 'A'], &b);
		if (strcmp(b.data, explain_cases[i].reason) != 0)
			fail_msg("'%s' on %c: \"%s\"\nexpected \"%s\"",
				 explain_cases[i].query, explain_cases[i].entity,
				 b.data, explain_cases[i].reason);
		assert_true(b.len <= 120);
		buf_release(&b);
	}
}

/* `*` matching by its definition: backtracking, for short texts only. */
static bool reference_glob(const char *p, const char *s)
{
	if (!*p)
		return !*s;
	if (*p == '*')
		return reference_glob(p + 1, s) || (*s && reference_glob(p, s + 1));
	return *s && (*p == *s || (*p ^ 0x20) == *s) && reference_glob(p + 1, s + 1);
}

/* Random patterns over a small alphabet agree with the definition (case
 * ignored, all-star patterns meaning "present"). */
static void test_wildcards_agree_with_the_definition(void **state)
{
	struct fixture *f = *state;
	srand(3);
	for (int round = 0; round < 20000; round++) {
		char pattern[16], text[24], query[40];
		size_t pn = 1 + (size_t)rand() % 10, tn = (size_t)rand() % 20;
		for (size_t i = 0; i < pn; i++)
			pattern[i] = "ab*"[rand() % 3];
		pattern[pn] = '\0';
		for (size_t i = 0; i < tn; i++)
			text[i] = "abAB"[rand() % 4];
		text[tn] = '\0';
		struct entity e;
		memset(&e, 0, sizeof(e));
		e.description = text;
		snprintf(query, sizeof(query), "description:%s", pattern);
		struct query_error error;
		struct query *q = query_parse(&f->arena, query, &error);
		if (!q)
			fail_msg("'%s': %s", query, error.msg);
		bool all_stars = strspn(pattern, "*") == pn;
		bool want = all_stars ? tn > 0 : reference_glob(pattern, text);
		if (query_match(q, &e) != want)
			fail_msg("'%s' on '%s': %d, expected %d", pattern, text,
				 !want, want);
	}
}

/* Values with `*` are capped in length, at parse time, at the value. */
static void test_pattern_length_is_capped(void **state)
{
	struct fixture *f = *state;
	struct buf b = BUF_INIT;
	buf_adds(&b, "kind:service description:*");
	for (int i = 0; i < QUERY_MAX_PATTERN - 2; i++)
		buf_addch(&b, i % 2 ? 'a' : '\xc3');
	buf_adds(&b, "*");
	struct query_error error;
	/* 1,024 characters with the stars, some of them two bytes */
	assert_non_null(query_parse(&f->arena, b.data, &error));
	buf_reset(&b);
	buf_adds(&b, "kind:service description:\"*");
	for (int i = 0; i < 2000; i++)
		buf_addch(&b, 'a');
	buf_adds(&b, "b*\"");
	assert_null(query_parse(&f->arena, b.data, &error));
	assert_int_equal(error.col, 27);
	assert_string_equal(error.msg, "a value with '*' may be at most 1024 "
				       "characters long; this one has 2003");
	/* without a star a long value is a plain comparison: allowed */
	buf_reset(&b);
	buf_adds(&b, "description:");
	for (int i = 0; i < 2000; i++)
		buf_addch(&b, 'a');
	assert_non_null(query_parse(&f->arena, b.data, &error));
	buf_release(&b);
}

/*
 * One match reads at most QUERY_MAX_WORK bytes of the entity's values:
 * past that the query does not match, and the reason says why.
 */
static void test_work_per_match_is_bounded(void **state)
{
	struct fixture *f = *state;
	size_t len = 8u << 20;
	char *big = malloc(len + 1);
	memset(big, 'a', len);
	big[len] = '\0';
	struct entity e;
	memset(&e, 0, sizeof(e));
	e.kind = "service";
	e.description = big;
	struct query_error error;
	/* six misses and a hit: 56 MiB read, within the budget */
	const char *within = "description:*x* OR description:*y* OR "
			     "description:*z* OR description:*w* OR "
			     "description:*v* OR description:*u* OR "
			     "description:*aa*";
	struct query *q = query_parse(&f->arena, within, &error);
	assert_non_null(q);
	assert_true(query_match(q, &e));
	/* eight misses first: over the budget before the hit */
	const char *over = "description:*s* OR description:*x* OR "
			   "description:*y* OR description:*z* OR "
			   "description:*w* OR description:*v* OR "
			   "description:*u* OR description:*t* OR "
			   "description:*aa*";
	q = query_parse(&f->arena, over, &error);
	assert_non_null(q);
	assert_false(query_match(q, &e));
	/* a negation does not turn what was not read into a match */
	q = query_parse(&f->arena, "-description:*aa* OR (kind:service "
				   "-description:*s* -description:*x* "
				   "-description:*y* -description:*z* "
				   "-description:*w* -description:*v* "
				   "-description:*u* -description:*t* "
				   "-description:*q*)", &error);
	assert_non_null(q);
	assert_false(query_match(q, &e));
	struct buf b = BUF_INIT;
	query_explain(q, &e, &b);
	assert_string_equal(b.data, "no match: reading this entity's values "
				    "went over the limit of 64 MiB per query");
	buf_release(&b);
	free(big);
}

static void test_text_and_parse_at(void **state)
{
	struct fixture *f = *state;
	struct query_error error;
	struct query *q = query_parse(&f->arena, "kind:service  tier:1", &error);
	assert_string_equal(query_text(q), "kind:service  tier:1");

	static const char scorecard[] =
		"rules:\n"
		"  - scope: kind:service and tier:1\n"
		"    check: \"owner:* OR\"\n"
		"    other: |\n"
		"      (a:b\n";
	struct source src = { "sc.yaml", scorecard, sizeof(scorecard) - 1, NULL };
	struct errlist errors = ERRLIST_INIT;
	struct place plain = { &src, 2, 12 }, quoted = { &src, 3, 12 },
		     block = { &src, 4, 12 };
	assert_null(query_parse_at(&f->arena, "kind:service and tier:1", &plain, &errors));
	assert_null(query_parse_at(&f->arena, "owner:* OR", &quoted, &errors));
	assert_null(query_parse_at(&f->arena, "(a:b\n", &block, &errors));
	assert_non_null(query_parse_at(&f->arena, "a:b", &plain, &errors));
	assert_int_equal(errors.count, 3);
	assert_int_equal(errors.items[0].line, 2);
	assert_int_equal(errors.items[0].col, 25);
	assert_string_equal(errors.items[0].msg, "bad query: expected key:value, "
			    "found 'and' (operators are uppercase: AND)");
	assert_int_equal(errors.items[1].line, 3);
	assert_int_equal(errors.items[1].col, 21);
	assert_string_equal(errors.items[1].msg, "bad query: expected key:value after OR");
	assert_int_equal(errors.items[2].line, 4);
	assert_int_equal(errors.items[2].col, 12);
	assert_string_equal(errors.items[2].msg,
			    "bad query: unclosed '(' (at column 1 of the query)");
	errlist_release(&errors);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_text_and_parse_at),
		cmocka_unit_test(test_wildcards_agree_with_the_definition),
		cmocka_unit_test(test_pattern_length_is_capped),
		cmocka_unit_test(test_work_per_match_is_bounded),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
