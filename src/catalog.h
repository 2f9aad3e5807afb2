/*
 * catalog: one YAML document of a catalog file into the entity model.
 *
 * Recognises Datadog v3 (`apiVersion: v3`), Datadog v2/v2.1/v2.2
 * (`schema-version`) and Backstage (`apiVersion: backstage.io/...`). Where a
 * field lives in each format is a table in catalog.c; docs/content.md
 * lists it, along with how tier and lifecycle values are recognised.
 */
#ifndef YARDSTICK_CATALOG_H
#define YARDSTICK_CATALOG_H

#include "arena.h"
#include "err.h"
#include "model.h"
#include "value.h"

enum catalog_result {
	CATALOG_ENTITY,  /* *entity is filled */
	CATALOG_TEAM,    /* a Backstage Group: *team is filled */
	CATALOG_IGNORED, /* empty document, Location, User, Template */
	CATALOG_INVALID, /* not usable; the reason is in `errors` */
};

/*
 * Read `doc` (a document of `src`) into an entity or a team allocated in
 * the arena. Problems go to `errors`: errors for documents that cannot be
 * used, warnings for those read with a caveat (custom kinds, misplaced
 * fields, values of the wrong type that were ignored).
 */
enum catalog_result catalog_read_document(struct arena *a,
					  const struct source *src,
					  const struct value *doc,
					  struct entity **entity,
					  struct team **team,
					  struct errlist *errors);

/* The recognised tier of a tier value as written ("1", "Tier 1", "tier1",
 * "t1", "p1", "critical"), or TIER_UNKNOWN. */
int catalog_parse_tier(const char *text);

/* The recognised lifecycle of a value as written ("prod", "Production",
 * "beta", "sunset", ...), or LIFECYCLE_UNKNOWN. */
enum lifecycle catalog_parse_lifecycle(const char *text);

/* "production", "experimental", "deprecated", or NULL for unknown. */
const char *catalog_lifecycle_name(enum lifecycle l);

/* A team id from an owner as written: lowercase, without a "group:" kind
 * or a "default/" namespace ("group:default/Payments" -> "payments"). */
const char *catalog_owner_team(struct arena *a, const char *owner);

/* ASCII-lowercase copy in the arena. */
char *catalog_lower(struct arena *a, const char *s);

#endif
