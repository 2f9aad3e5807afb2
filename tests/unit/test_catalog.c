/*
 * Unit tests for catalog: every real sample file in ../shared/catalog-samples
 * loads with the entities we counted by reading it, the malformed one fails
 * at its line, and the normalised fields come out right.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog.h"
#include "source.h"
#include "yamldoc.h"

#define SAMPLES "../shared/catalog-samples"

/*
 * Counted by reading each file (see the samples' README): documents with a
 * recognised entity kind become entities; Backstage Groups become teams;
 * Location documents and empty documents are ignored.
 */
static const struct sample {
	const char *path;
	size_t entities, teams, warnings;
	unsigned error_line; /* 0: the file parses */
} samples[] = {
	{ "backstage/0GiS0__tour-of-heroes-api-java__catalog-info.yaml", 1, 0, 0, 0 },
	{ "backstage/1-Platform__one-platform__catalog-info.yaml", 0, 0, 0, 0 },
	{ "backstage/1000kit__tkit-quarkus-rest__catalog-info.yaml", 1, 0, 0, 0 },
	{ "backstage/3scale-qe__pytest-persistence__catalog-info.yaml", 1, 0, 0, 0 },
	{ "backstage/7K-Group__backstage-catalog__catalog-info.yaml", 0, 0, 0, 0 },
	{ "backstage/7K-Group__backstage-catalog__catalog__acme__org.yaml", 0, 1, 0, 0 },
	{ "backstage/backstage__backstage__catalog-info.yaml", 1, 0, 0, 0 },
	{ "backstage/backstage__demo__catalog-info.yaml", 2, 0, 0, 0 },
	{ "backstage/janus-idp__backstage-showcase__catalog-info.yaml", 1, 0, 0, 0 },
	{ "datadog-v2/DataDog__datadog-agent__service.datadog.yaml", 4, 0, 0, 0 },
	{ "datadog-v2/FigureTechnologies__event-stream__service.datadog.yaml", 1, 0, 0, 0 },
	{ "datadog-v2/freckle__datadog-service-action__service.datadog.yaml", 1, 0, 0, 0 },
	{ "datadog-v2/goflink__go-archetype__service.datadog.yaml", 1, 0, 0, 0 },
	{ "datadog-v3/Apixio__dbt-spark__entity.datadog.yaml", 0, 0, 0, 8 },
	{ "datadog-v3/DataDog__documentation__service.datadog.yaml", 2, 0, 0, 0 },
	{ "datadog-v3/GuildEducationInc__prettier-config__entity.datadog.yaml", 1, 0, 0, 0 },
	{ "datadog-v3/amboss-mededu__content-planning-ui__service.datadog.yaml", 1, 0, 0, 0 },
	/* kind: application is custom: a warning, still loaded */
	{ "datadog-v3/azen1k5__terraform-google-pubsub-topic__entity.datadog.yaml", 2, 0, 1, 0 },
	/* the trailing empty document is not an entity */
	{ "datadog-v3/binoy351__storedog__entity.datadog.yaml", 1, 0, 0, 0 },
	/* kind: repository is custom */
	{ "datadog-v3/cuesoftinc__upstat__service.datadog.yaml", 3, 0, 1, 0 },
	/* kind: services (a typo) is flagged, the second document is fine */
	{ "datadog-v3/dgreen15__cookiecutter-flask-template__entity.datadog.yaml", 2, 0, 1, 0 },
	{ "datadog-v3/ethomatos__paychex-flex-service-catalog__entity.datadog.yaml", 19, 0, 0, 0 },
	{ "datadog-v3/juli1__service-catalog-integration-test__entity.datadog.yaml", 2, 0, 0, 0 },
	/* kind: repository, and the owner misplaced under spec */
	{ "datadog-v3/noom__community-web-uikit__entity.datadog.yaml", 1, 0, 2, 0 },
	{ "datadog-v3/unbounce__omniauth-salesforce__entity.datadog.yaml", 1, 0, 0, 0 },
};

struct loaded {
	struct arena arena;
	struct errlist errors;
	struct entity *entities[64];
	size_t entity_count, team_count;
	int parse_rc;
	struct err parse_err;
};

static bool samples_present(void)
{
	struct stat st;
	if (stat(SAMPLES, &st) == 0)
		return true;
	if (getenv("CI"))
		fail_msg(SAMPLES " is missing, and CI is set: the sample test cannot run");
	return false;
}

static void load(struct loaded *l, const char *path)
{
	memset(l, 0, sizeof(*l));
	struct source src;
	struct err e = ERR_INIT;
	l->parse_err = e;
	assert_int_equal(source_read_file(&l->arena, path, 1 << 20, &src, &e), 0);
	struct value **docs;
	size_t count;
	l->parse_rc = yamldoc_parse(&l->arena, &src, &yamldoc_default_limits,
				    &docs, &count, &l->parse_err);
	for (size_t i = 0; l->parse_rc == 0 && i < count; i++) {
		struct entity *ent;
		struct team *team;
		enum catalog_result r = catalog_read_document(
			&l->arena, &src, docs[i], &ent, &team, &l->errors);
		if (r == CATALOG_ENTITY && l->entity_count < 64)
			l->entities[l->entity_count++] = ent;
		if (r == CATALOG_TEAM)
			l->team_count++;
	}
}

static void unload(struct loaded *l)
{
	err_release(&l->parse_err);
	errlist_release(&l->errors);
	arena_release(&l->arena);
}

static void test_every_sample_loads_as_counted(void **state)
{
	(void)state;
	if (!samples_present())
		skip();
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		const struct sample *s = &samples[i];
		char path[512];
		snprintf(path, sizeof(path), SAMPLES "/%s", s->path);
		struct loaded l;
		load(&l, path);
		if (s->error_line) {
			if (l.parse_rc != -1 || l.parse_err.line != s->error_line)
				fail_msg("%s: expected a parse error at line %u, got rc %d line %u",
					 s->path, s->error_line, l.parse_rc, l.parse_err.line);
		} else if (l.parse_rc != 0) {
			fail_msg("%s: %u:%u: %s", s->path, l.parse_err.line,
				 l.parse_err.col, l.parse_err.msg);
		}
		if (l.entity_count != s->entities || l.team_count != s->teams ||
		    l.errors.errors != 0 || l.errors.warnings != s->warnings)
			fail_msg("%s: %zu entities, %zu teams, %zu errors, %zu warnings; "
				 "expected %zu, %zu, 0, %zu", s->path, l.entity_count,
				 l.team_count, l.errors.errors, l.errors.warnings,
				 s->entities, s->teams, s->warnings);
		unload(&l);
	}
}

static const struct entity *find(struct loaded *l, const char *ref)
{
	for (size_t i = 0; i < l->entity_count; i++)
		if (strcmp(l->entities[i]->ref, ref) == 0)
			return l->entities[i];
	fail_msg("no entity %s", ref);
	return NULL;
}

static void test_normalised_fields(void **state)
{
	(void)state;
	if (!samples_present())
		skip();
	struct loaded l;

	load(&l, SAMPLES "/datadog-v3/binoy351__storedog__entity.datadog.yaml");
	const struct entity *e = l.entities[0];
	assert_string_equal(e->tier_text, "Tier 1");
	assert_int_equal(e->tier, 1);
	assert_int_equal(e->lifecycle, LIFECYCLE_PRODUCTION);
	assert_string_equal(e->owner, "shopist");
	assert_int_equal(e->format, FORMAT_DATADOG_V3);
	unload(&l);

	load(&l, SAMPLES "/datadog-v2/FigureTechnologies__event-stream__service.datadog.yaml");
	e = find(&l, "service:event-stream");
	assert_string_equal(e->owner, "backend-markets-rd");
	assert_string_equal(e->format_version, "v2");
	assert_int_equal(e->link_count, 2); /* one repo, one doc */
	assert_string_equal(e->links[0].type, "repo");
	assert_string_equal(e->links[1].type, "doc");
	assert_int_equal(e->contact_count, 1);
	assert_string_equal(e->contacts[0].type, "slack");
	unload(&l);

	load(&l, SAMPLES "/backstage/backstage__demo__catalog-info.yaml");
	e = find(&l, "component:backstage-demo");
	assert_string_equal(e->owner, "backstage/maintainers");
	e = find(&l, "api:demo-graphql");
	assert_non_null(e);
	unload(&l);

	load(&l, SAMPLES "/backstage/0GiS0__tour-of-heroes-api-java__catalog-info.yaml");
	e = l.entities[0];
	assert_string_equal(e->owner, "user:0gis0");
	assert_int_equal(e->dependency_count, 1);
	assert_string_equal(e->dependencies[0], "resource:heroes-db");
	unload(&l);

	load(&l, SAMPLES "/datadog-v3/noom__community-web-uikit__entity.datadog.yaml");
	assert_string_equal(l.entities[0]->owner, "fa_ege");
	assert_string_equal(l.entities[0]->kind, "repository");
	unload(&l);

	load(&l, SAMPLES "/datadog-v3/ethomatos__paychex-flex-service-catalog__entity.datadog.yaml");
	size_t with_system = 0, tier0 = 0;
	for (size_t i = 0; i < l.entity_count; i++) {
		with_system += l.entities[i]->system != NULL;
		tier0 += l.entities[i]->tier == 0;
	}
	assert_true(with_system >= 10);
	assert_true(tier0 >= 1);
	unload(&l);
}

static void test_tier_and_lifecycle_words(void **state)
{
	(void)state;
	static const struct { const char *text; int tier; } tiers[] = {
		{ "1", 1 }, { "Tier 1", 1 }, { "tier1", 1 }, { "tier-2", 2 },
		{ "TIER_3", 3 }, { "t1", 1 }, { "P2", 2 }, { "critical", 1 },
		{ " high ", 2 }, { "0", 0 }, { "essentials", TIER_UNKNOWN },
		{ "", TIER_UNKNOWN }, { "tier", TIER_UNKNOWN }, { "123", TIER_UNKNOWN },
	};
	for (size_t i = 0; i < sizeof(tiers) / sizeof(tiers[0]); i++)
		if (catalog_parse_tier(tiers[i].text) != tiers[i].tier)
			fail_msg("tier '%s': %d, expected %d", tiers[i].text,
				 catalog_parse_tier(tiers[i].text), tiers[i].tier);
	static const struct { const char *text; enum lifecycle l; } lifecycles[] = {
		{ "production", LIFECYCLE_PRODUCTION }, { "Prod", LIFECYCLE_PRODUCTION },
		{ "GA", LIFECYCLE_PRODUCTION }, { "beta", LIFECYCLE_EXPERIMENTAL },
		{ "Experimental", LIFECYCLE_EXPERIMENTAL }, { "sunset", LIFECYCLE_DEPRECATED },
		{ "deprecated", LIFECYCLE_DEPRECATED }, { "5 weeks", LIFECYCLE_UNKNOWN },
	};
	for (size_t i = 0; i < sizeof(lifecycles) / sizeof(lifecycles[0]); i++)
		if (catalog_parse_lifecycle(lifecycles[i].text) != lifecycles[i].l)
			fail_msg("lifecycle '%s'", lifecycles[i].text);
}

static void test_owner_team_ids(void **state)
{
	(void)state;
	static const struct { const char *owner, *team; } cases[] = {
		{ "Payments", "payments" }, { "group:payments", "payments" },
		{ "group:default/Payments", "payments" },
		{ "group:redhat/xe-compass-devs", "redhat/xe-compass-devs" },
		{ "user:0GiS0", "user:0gis0" }, { "App Team", "app team" },
	};
	struct arena a = ARENA_INIT;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(catalog_owner_team(&a, cases[i].owner), cases[i].team);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_sample_loads_as_counted),
		cmocka_unit_test(test_normalised_fields),
		cmocka_unit_test(test_tier_and_lifecycle_words),
		cmocka_unit_test(test_owner_team_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
