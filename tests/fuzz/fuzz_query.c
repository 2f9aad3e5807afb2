/*
 * libFuzzer harness: the input as a query (parse), then matched against
 * and explained for a few entities of every format, as scopes and checks
 * are. The entities are loaded once.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "catalog.h"
#include "err.h"
#include "query.h"
#include "source.h"
#include "yamldoc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char catalog_text[] =
	"apiVersion: v3\n"
	"kind: service\n"
	"metadata:\n"
	"  name: checkout-api\n"
	"  owner: payments\n"
	"  additionalOwners: [{name: sre, type: operator}]\n"
	"  tags: [tier:1, 'env:prod', lang:go]\n"
	"  links:\n"
	"    - {name: Runbook, type: runbook, url: 'https://r.example/x'}\n"
	"    - {name: Repo, type: repo, url: 'https://github.com/o/r'}\n"
	"  contacts: [{name: oncall, type: slack, contact: '#pay'}]\n"
	"spec:\n"
	"  tier: 1\n"
	"  lifecycle: production\n"
	"  type: web\n"
	"  languages: [go, python]\n"
	"  dependsOn: [service:db]\n"
	"integrations: {pagerduty: {serviceURL: 'https://pd.example/1'}}\n"
	"extensions: {custom: {depth: {a: [1, 2, {b: c}]}}}\n"
	"---\n"
	"schema-version: v2.2\n"
	"dd-service: legacy-billing\n"
	"team: billing\n"
	"tier: '3'\n"
	"lifecycle: deprecated\n"
	"languages: [java]\n"
	"tags: ['a:b', c]\n"
	"---\n"
	"apiVersion: backstage.io/v1alpha1\n"
	"kind: Component\n"
	"metadata:\n"
	"  name: storefront\n"
	"  namespace: web\n"
	"  annotations: {github.com/project-slug: o/storefront}\n"
	"spec: {type: website, lifecycle: experimental, owner: group:default/web,\n"
	"       system: shop}\n";

static struct arena entities_arena = ARENA_INIT;
static struct entity *entities[8];
static size_t entity_count;

static void load_entities(void)
{
	struct source *src = arena_alloc(&entities_arena, sizeof(*src));
	src->path = "fuzz-entities.yaml";
	src->text = catalog_text;
	src->len = sizeof(catalog_text) - 1;
	struct value **docs;
	size_t count;
	struct err e = ERR_INIT;
	struct errlist errors = ERRLIST_INIT;
	if (yamldoc_parse(&entities_arena, src, &yamldoc_default_limits, &docs,
			  &count, &e) != 0)
		abort();
	for (size_t i = 0; i < count && entity_count < 8; i++) {
		struct entity *entity = NULL;
		struct team *team = NULL;
		if (catalog_read_document(&entities_arena, src, docs[i], &entity,
					  &team, &errors) == CATALOG_ENTITY)
			entities[entity_count++] = entity;
	}
	if (entity_count != 3)
		abort(); /* the harness's own catalog must load */
	errlist_release(&errors);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!entity_count)
		load_entities();
	struct arena a = ARENA_INIT;
	/* A query is text: cut at a NUL as a C string would be. */
	const char *text = arena_strndup(&a, (const char *)data, size);
	struct query_error error;
	struct query *q = query_parse(&a, text, &error);
	if (q) {
		struct buf why = BUF_INIT;
		for (size_t i = 0; i < entity_count; i++) {
			(void)query_match(q, entities[i]);
			buf_reset(&why);
			query_explain(q, entities[i], &why);
		}
		(void)strlen(query_text(q));
		buf_release(&why);
	} else if (error.msg[0] == '\0') {
		abort(); /* a refused query always says why */
	}
	arena_release(&a);
	return 0;
}
