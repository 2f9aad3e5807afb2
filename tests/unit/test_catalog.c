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
	struct team *teams[8];
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

/* Load a catalog file written here, as "test.yaml". */
static void load_text(struct loaded *l, const char *text)
{
	memset(l, 0, sizeof(*l));
	struct err e = ERR_INIT;
	l->parse_err = e;
	struct source *src = arena_alloc(&l->arena, sizeof(*src));
	src->path = "test.yaml";
	src->text = text;
	src->len = strlen(text);
	struct value **docs;
	size_t count;
	l->parse_rc = yamldoc_parse(&l->arena, src, &yamldoc_default_limits,
				    &docs, &count, &l->parse_err);
	for (size_t i = 0; l->parse_rc == 0 && i < count; i++) {
		struct entity *ent;
		struct team *team;
		enum catalog_result r = catalog_read_document(
			&l->arena, src, docs[i], &ent, &team, &l->errors);
		if (r == CATALOG_ENTITY && l->entity_count < 64)
			l->entities[l->entity_count++] = ent;
		if (r == CATALOG_TEAM) {
			l->teams[l->team_count < 8 ? l->team_count : 7] = team;
			l->team_count++;
		}
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
		{ "one", 1 }, { "Three", 3 }, { "Zero", 0 }, { "Tier Two", 2 },
		{ "tier-one", 1 }, { "p1", 1 }, { "tone", TIER_UNKNOWN },
		{ "premium", TIER_UNKNOWN },
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


/* The link of `e` whose URL is `url`, or a failure. */
static const struct link *link_to(const struct entity *e, const char *url)
{
	for (size_t i = 0; i < e->link_count; i++)
		if (strcmp(e->links[i].url, url) == 0)
			return &e->links[i];
	fail_msg("%s has no link to %s", e->ref, url);
	return NULL;
}

static void test_backstage_repo_annotations(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l,
		"apiVersion: backstage.io/v1alpha1\n"
		"kind: Component\n"
		"metadata:\n"
		"  name: ledger\n"
		"  annotations:\n"
		"    github.com/project-slug: acme-corp/ledger\n"
		"    backstage.io/techdocs-ref: dir:.\n"
		"spec: {owner: finance}\n"
		"---\n"
		"apiVersion: backstage.io/v1alpha1\n"
		"kind: Component\n"
		"metadata:\n"
		"  name: invoices\n"
		"  annotations:\n"
		"    gitlab.com/project-slug: acme-corp/billing/invoices\n"
		"spec: {owner: finance}\n"
		"---\n"
		"apiVersion: backstage.io/v1alpha1\n"
		"kind: API\n"
		"metadata:\n"
		"  name: ledger-api\n"
		"  annotations:\n"
		"    backstage.io/source-location: url:https://github.com/acme-corp/ledger/tree/main/\n"
		"    github.com/project-slug: acme-corp/ledger\n"
		"    backstage.io/techdocs-ref: dir:./docs\n"
		"spec: {owner: finance}\n"
		"---\n"
		"apiVersion: backstage.io/v1alpha1\n"
		"kind: Resource\n"
		"metadata:\n"
		"  name: ledger-db\n"
		"  annotations:\n"
		"    backstage.io/edit-url: https://git.acme.example/infra/db/edit\n"
		"    backstage.io/view-url: https://git.acme.example/infra/db\n"
		"    backstage.io/techdocs-ref: url:https://docs.acme.example/db\n"
		"spec: {owner: finance}\n");
	assert_int_equal(l.parse_rc, 0);
	assert_int_equal(l.errors.count, 0);
	const struct entity *e = find(&l, "component:ledger");
	assert_int_equal(e->link_count, 2);
	assert_string_equal(link_to(e, "https://github.com/acme-corp/ledger")->type, "repo");
	/* dir:. is the repository itself */
	assert_string_equal(e->links[1].type, "doc");
	assert_string_equal(e->links[1].url, "https://github.com/acme-corp/ledger");
	e = find(&l, "component:invoices");
	assert_int_equal(e->link_count, 1);
	assert_string_equal(e->links[0].url, "https://gitlab.com/acme-corp/billing/invoices");
	assert_string_equal(e->links[0].type, "repo");
	e = find(&l, "api:ledger-api");
	assert_int_equal(e->link_count, 2); /* the source location wins over the slug */
	assert_string_equal(e->links[0].url, "https://github.com/acme-corp/ledger/tree/main/");
	assert_string_equal(e->links[1].url, "https://github.com/acme-corp/ledger/tree/main/docs");
	e = find(&l, "resource:ledger-db");
	assert_int_equal(e->link_count, 2); /* view-url before edit-url */
	assert_string_equal(link_to(e, "https://git.acme.example/infra/db")->type, "repo");
	assert_string_equal(link_to(e, "https://docs.acme.example/db")->type, "doc");
	unload(&l);
}

static void test_annotation_repeating_a_link(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l,
		"apiVersion: backstage.io/v1alpha1\n"
		"kind: Component\n"
		"metadata:\n"
		"  name: shop\n"
		"  links:\n"
		"    - {url: https://github.com/acme-corp/shop, title: Source, type: repo}\n"
		"  annotations:\n"
		"    github.com/project-slug: acme-corp/shop\n"
		"spec: {owner: web}\n");
	assert_int_equal(l.entities[0]->link_count, 1);
	assert_string_equal(l.entities[0]->links[0].name, "Source");
	unload(&l);
}

static void test_untyped_links(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l,
		"apiVersion: backstage.io/v1alpha1\n"
		"kind: Component\n"
		"metadata:\n"
		"  name: portal\n"
		"  links:\n"
		"    - url: https://wiki.acme.example/portal\n"
		"      title: Portal documentation\n"
		"    - url: https://grafana.acme.example/d/1\n"
		"      title: Metrics\n"
		"      icon: dashboard\n"
		"    - url: https://github.com/acme-corp/portal\n"
		"    - url: https://acme.example/ops/runbooks/portal\n"
		"    - url: https://status.acme.example\n"
		"      title: Status page\n"
		"    - url: https://acme.example/admin\n"
		"      title: Admin\n"
		"      type: admin-dashboard\n"
		"spec: {owner: web}\n");
	assert_int_equal(l.errors.count, 0);
	const struct entity *e = l.entities[0];
	static const struct { const char *url, *type, *name; } want[] = {
		{ "https://wiki.acme.example/portal", "doc", "Portal documentation" },
		{ "https://grafana.acme.example/d/1", "dashboard", "Metrics" },
		{ "https://github.com/acme-corp/portal", "repo", "" },
		{ "https://acme.example/ops/runbooks/portal", "runbook", "" },
		{ "https://status.acme.example", "other", "Status page" },
		{ "https://acme.example/admin", "admin-dashboard", "Admin" },
	};
	assert_int_equal(e->link_count, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < e->link_count; i++) {
		assert_string_equal(e->links[i].url, want[i].url);
		assert_string_equal(e->links[i].type, want[i].type);
		assert_string_equal(e->links[i].name, want[i].name);
	}
	unload(&l);
}

static void test_placeholder_urls(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l,
		"apiVersion: v3\n"
		"kind: service\n"
		"metadata:\n"
		"  name: mailer\n"
		"  links:\n"
		"    - {name: a, type: runbook, url: undefined}\n"
		"    - {name: b, type: runbook, url: ~}\n"
		"    - {name: c, type: runbook, url: TODO}\n"
		"    - {name: d, type: runbook, url: \"\"}\n"
		"    - {name: e, type: runbook, url: \"   \"}\n"
		"    - {name: f, type: runbook, url: \"https://acme.example/rb\"}\n"
		"---\n"
		"apiVersion: backstage.io/v1alpha1\n"
		"kind: Component\n"
		"metadata:\n"
		"  name: gateway\n"
		"  annotations:\n"
		"    backstage.io/source-location: url:undefined\n"
		"spec: {owner: web}\n");
	const struct entity *e = find(&l, "service:mailer");
	assert_int_equal(e->link_count, 1);
	assert_string_equal(e->links[0].name, "f");
	assert_int_equal(find(&l, "component:gateway")->link_count, 0);
	assert_int_equal(l.errors.errors, 0);
	assert_int_equal(l.errors.warnings, 6);
	static const unsigned lines[] = { 6, 7, 8, 9, 10, 18 };
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(l.errors.items[i].line, lines[i]);
		assert_true(l.errors.items[i].col > 0);
		assert_non_null(strstr(l.errors.items[i].msg, "placeholder URL"));
	}
	unload(&l);
}

static void test_tier_words_warn_when_unknown(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l,
		"apiVersion: v3\n"
		"kind: service\n"
		"metadata: {name: a}\n"
		"spec:\n"
		"  tier: Three\n"
		"---\n"
		"apiVersion: v3\n"
		"kind: service\n"
		"metadata: {name: b}\n"
		"spec:\n"
		"  tier: premium\n");
	assert_int_equal(find(&l, "service:a")->tier, 3);
	assert_string_equal(find(&l, "service:a")->tier_text, "Three");
	assert_int_equal(find(&l, "service:b")->tier, TIER_UNKNOWN);
	assert_string_equal(find(&l, "service:b")->tier_text, "premium");
	assert_int_equal(l.errors.warnings, 1);
	assert_int_equal(l.errors.items[0].line, 11);
	assert_int_equal(l.errors.items[0].col, 9);
	unload(&l);
}

static void test_places_of_owner_and_parent(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l,
		"schema-version: v2.1\n"
		"dd-service: legacy\n"
		"dd-team: billing-ops\n"
		"---\n"
		"apiVersion: backstage.io/v1alpha1\n"
		"kind: Group\n"
		"metadata:\n"
		"  name: squad\n"
		"spec:\n"
		"  type: team\n"
		"  parent: division\n");
	const struct entity *e = find(&l, "service:legacy");
	assert_string_equal(e->owner, "billing-ops");
	assert_int_equal(e->owner_place.line, 3);
	assert_int_equal(e->owner_place.col, 10);
	assert_int_equal(l.team_count, 1);
	assert_string_equal(l.teams[0]->parent, "division");
	assert_int_equal(l.teams[0]->parent_place.line, 11);
	assert_int_equal(l.teams[0]->parent_place.col, 11);
	unload(&l);
}

static void test_system_components(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l,
		"apiVersion: v3\n"
		"kind: system\n"
		"metadata: {name: Storefront}\n"
		"spec:\n"
		"  components: [service:Cart, datastore:cart-db, search]\n");
	const struct entity *e = find(&l, "system:storefront");
	assert_int_equal(e->component_count, 3);
	assert_string_equal(e->components[0], "service:cart");
	assert_string_equal(e->components[1], "datastore:cart-db");
	assert_string_equal(e->components[2], "service:search");
	unload(&l);
}

static void test_yaml_error_at_end_without_newline(void **state)
{
	(void)state;
	struct loaded l;
	load_text(&l, "apiVersion: v3\nkind: service\nmetadata: {name: x, tags: [a");
	assert_int_equal(l.parse_rc, -1);
	assert_int_equal(l.parse_err.line, 3);
	assert_int_equal(l.parse_err.col, 29); /* just past the last character */
	assert_non_null(l.parse_err.excerpt);
	unload(&l);
	/* with a final newline, the same place rather than the empty line after */
	load_text(&l, "apiVersion: v3\nkind: service\nmetadata: {name: x, tags: [a\n");
	assert_int_equal(l.parse_rc, -1);
	assert_int_equal(l.parse_err.line, 3);
	assert_int_equal(l.parse_err.col, 29);
	assert_string_equal(l.parse_err.excerpt, "metadata: {name: x, tags: [a");
	unload(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_sample_loads_as_counted),
		cmocka_unit_test(test_normalised_fields),
		cmocka_unit_test(test_tier_and_lifecycle_words),
		cmocka_unit_test(test_owner_team_ids),
		cmocka_unit_test(test_backstage_repo_annotations),
		cmocka_unit_test(test_annotation_repeating_a_link),
		cmocka_unit_test(test_untyped_links),
		cmocka_unit_test(test_placeholder_urls),
		cmocka_unit_test(test_tier_words_warn_when_unknown),
		cmocka_unit_test(test_places_of_owner_and_parent),
		cmocka_unit_test(test_system_components),
		cmocka_unit_test(test_yaml_error_at_end_without_newline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
