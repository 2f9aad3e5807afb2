/*
 * model: the site's content once loaded, in one shape whatever the format.
 *
 * Datadog v3, Datadog v2.x and Backstage documents all become `struct
 * entity`; teams come from team files, Backstage Groups and owners without a
 * file. Everything here lives in the run's arena and is read-only after
 * loading. Strings are never NULL where the comment says "or """; optional
 * strings are NULL when absent.
 */
#ifndef YARDSTICK_MODEL_H
#define YARDSTICK_MODEL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "err.h"
#include "value.h"

struct query; /* a compiled scope or check, see query.h */

/* Where something was written: for error messages and "defined at" links. */
struct place {
	const struct source *src;
	unsigned line, col;
};

enum entity_format {
	FORMAT_DATADOG_V3,
	FORMAT_DATADOG_V2,
	FORMAT_BACKSTAGE,
};

struct link {
	const char *name; /* or "" */
	const char *type; /* lowercase, or "" */
	const char *url;
};

struct contact {
	const char *name; /* or "" */
	const char *type; /* lowercase: slack, email, microsoft-teams, ... */
	const char *contact;
};

struct tag {
	const char *key;   /* lowercase */
	const char *value; /* "" for a bare tag like "java" */
	const char *text;  /* as written */
};

struct integration {
	const char *name; /* lowercase: pagerduty, opsgenie, ... */
	const char *url;  /* or "" */
};

/* Tier and lifecycle: the value as written, and what we recognised. */
enum { TIER_UNKNOWN = -1 };

enum lifecycle {
	LIFECYCLE_UNKNOWN,
	LIFECYCLE_PRODUCTION,
	LIFECYCLE_EXPERIMENTAL,
	LIFECYCLE_DEPRECATED,
};

struct entity {
	const char *ref;          /* "kind:name" or "kind:namespace/name", lowercase */
	const char *kind;         /* lowercase */
	const char *name;         /* lowercase */
	const char *namespace_;   /* lowercase, NULL for the default namespace */
	const char *display_name; /* for people; the name when none is given */
	const char *description;  /* or NULL */
	const char *owner;        /* team id, lowercase, or NULL */
	struct place owner_place; /* where the owner is written, or the document */
	const char **additional_owners;
	size_t additional_owner_count;
	const char *tier_text;    /* as written, or NULL */
	int tier;                 /* recognised tier number, or TIER_UNKNOWN */
	const char *lifecycle_text;
	enum lifecycle lifecycle;
	const char *type;         /* or NULL */
	const char **languages;   /* lowercase */
	size_t language_count;
	const char *system;       /* application (v2) or system, or NULL */
	struct tag *tags;
	size_t tag_count;
	struct link *links;
	size_t link_count;
	struct contact *contacts;
	size_t contact_count;
	struct integration *integrations;
	size_t integration_count;
	const char **dependencies; /* entity references, lowercase */
	size_t dependency_count;
	/* A Datadog v3 system's spec.components: entity references,
	 * lowercase; each names this system as theirs once loaded. */
	const char **components;
	size_t component_count;
	enum entity_format format;
	const char *format_version; /* "v3", "v2.1", "backstage.io/v1alpha1" */
	struct place place;        /* the document's first line */
	struct place name_place;   /* where the name is written */
	/* The original document, for queries' dotted paths; NULL once
	 * content_release_documents() has freed it. */
	const struct value *doc;
};

enum team_origin { TEAM_FROM_FILE, TEAM_FROM_GROUP, TEAM_FROM_OWNER };

struct team {
	const char *id;     /* lowercase */
	const char *name;   /* display name */
	const char *parent; /* team id or NULL */
	struct place parent_place; /* where the parent is written */
	const char *slack;  /* channel, or NULL */
	const char *description;
	const char **members;
	size_t member_count;
	enum team_origin origin;
	struct place place; /* none for TEAM_FROM_OWNER */
};

/* Levels a scorecard may have, numbered 1..level_count. */
enum { MODEL_MAX_LEVELS = 10 };

struct level {
	int number; /* 1-based */
	const char *name;
};

struct rule {
	const char *id;       /* unique in its scorecard */
	const char *ref;      /* "scorecard/rule", unique in the site */
	const char *name;
	int level;
	const char *scope;    /* query text or NULL */
	const char *check;    /* query text, NULL for external rules */
	const struct query *scope_query; /* compiled, or NULL */
	const struct query *check_query; /* compiled, NULL for external rules */
	bool external;        /* outcome: external */
	double weight;
	bool enabled;
	const char *description; /* Markdown or NULL */
	const char *remediation; /* Markdown or NULL */
	const char *docs;        /* URL or NULL */
	const char *owner; /* team id, lowercase, or NULL */
	struct place owner_place;
	struct place place;
	struct place scope_place, check_place;
	const struct scorecard *scorecard;
};

struct scorecard {
	const char *id;
	const char *name;
	const char *description;
	const char *scope;
	const struct query *scope_query;
	const char *owner; /* team id, lowercase, or NULL */
	struct place owner_place;
	struct place place, scope_place;
	struct level *levels;
	size_t level_count;
	struct rule *rules;
	size_t rule_count;
};

struct campaign_rule {
	const struct rule *rule;
	const char *guidance; /* Markdown or NULL */
	const char *docs;
	const char *workflow;
	struct place place;
};

struct campaign {
	const char *key;
	const char *name;
	const char *owner; /* team id */
	day_t start;
	day_t due;         /* -1 when open-ended */
	bool has_due;
	const char *scope;
	const struct query *scope_query;
	struct place scope_place;
	struct campaign_rule *rules;
	size_t rule_count;
	const char *description; /* Markdown body */
	bool completed; /* status: completed */
	struct place place;
};

enum outcome_state { OUTCOME_PASS, OUTCOME_FAIL, OUTCOME_SKIP };

/* An outcome's `observed` when no time was given: older than any time, so a
 * timed outcome wins over it, and it never goes stale. */
#define OUTCOME_NO_TIME LLONG_MIN

struct outcome {
	const struct rule *rule;
	const struct entity *entity;
	enum outcome_state state;
	const char *remarks;  /* or NULL */
	long long observed;   /* seconds since the epoch (negative before 1970),
				 OUTCOME_NO_TIME when not given */
	struct place place;
};

struct exemption {
	const struct entity *entity;
	const struct rule *rule;
	const char *reason;
	day_t expires;
	const char *approved_by; /* or NULL */
	struct place place;
};

struct page {
	const char *slug;
	const char *title;
	int nav_order;
	const char *body; /* Markdown */
	struct place place;
};

/* Everything a run loaded, with look-up tables sorted by key. */
struct site {
	struct entity **entities; /* sorted by ref */
	size_t entity_count;
	struct team **teams;      /* sorted by id */
	size_t team_count;
	struct scorecard **scorecards; /* sorted by id */
	size_t scorecard_count;
	size_t rule_count;
	struct campaign **campaigns;   /* sorted by key */
	size_t campaign_count;
	struct outcome *outcomes;
	size_t outcome_count;
	struct exemption *exemptions;
	size_t exemption_count;
	struct page **pages;
	size_t page_count;
	size_t catalog_files;
	/* The catalog's value trees (entity->doc), one arena per loading
	 * thread, heap memory apart from the run's arena: see
	 * content_release_documents(). */
	struct arena *documents;
	size_t document_arena_count;
	/* Errors in catalog files (their entities are left out; a build goes
	 * on) and in everything else (a build stops). */
	size_t catalog_errors;
	size_t other_errors;
};

/* Look-ups by exact (lowercase) key; NULL when absent. */
const struct entity *site_find_entity(const struct site *s, const char *ref);
const struct team *site_find_team(const struct site *s, const char *id);
const struct scorecard *site_find_scorecard(const struct site *s,
					    const char *id);

/* Index in site->entities / site->teams, or SITE_NONE. */
#define SITE_NONE ((size_t)-1)
size_t site_entity_index(const struct site *s, const char *ref);
size_t site_team_index(const struct site *s, const char *id);
/* Index of a scorecard of the site in site->scorecards; BUG() otherwise. */
size_t site_scorecard_index(const struct site *s, const struct scorecard *sc);

/*
 * Find a rule by "scorecard/rule", or by a bare rule id when exactly one
 * scorecard has it. Sets *ambiguous when several do.
 */
const struct rule *site_find_rule(const struct site *s, const char *ref,
				  bool *ambiguous);

#endif
