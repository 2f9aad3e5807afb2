/*
 * query: the catalog search language of scopes and checks.
 *
 * After Datadog's catalog search: `kind:service AND tier:<=2`, `owner:*`,
 * `-lifecycle:deprecated`, `NOT ...`, `OR`, parentheses, implicit AND,
 * quoted values, `*` wildcards, dotted paths into the original document.
 * docs/queries.md is the user's reference.
 *
 * A query is parsed once into a tree in the arena and then matched against
 * many entities; matching allocates nothing.
 */
#ifndef YARDSTICK_QUERY_H
#define YARDSTICK_QUERY_H

#include <stdbool.h>

#include "arena.h"
#include "buf.h"
#include "model.h"

/*
 * Hostile input: queries longer than QUERY_MAX_LENGTH bytes, nested deeper
 * than QUERY_MAX_DEPTH and values with `*` longer than QUERY_MAX_PATTERN
 * characters are rejected when parsed. One match of a query against one
 * entity reads at most QUERY_MAX_WORK bytes of the entity's values (each
 * value read counts its length + 1; aliases can repeat a value many
 * times); past that the query does not match the entity.
 */
enum {
	QUERY_MAX_LENGTH = 4096,
	QUERY_MAX_DEPTH = 32,
	QUERY_MAX_PATTERN = 1024,
	QUERY_MAX_WORK = 64 << 20,
};

struct query;

struct query_error {
	unsigned col;   /* 1-based column in the query text, in characters */
	char msg[256];
};

/*
 * Parse `text`. Returns the compiled query, or NULL with `error` filled
 * (the column of the problem and a message without position).
 */
struct query *query_parse(struct arena *a, const char *text,
			  struct query_error *error);

/* Whether entity `e` matches: O(values read + pattern) per value, and
 * false when the values read go over QUERY_MAX_WORK. */
bool query_match(const struct query *q, const struct entity *e);

/*
 * Append a short reason, for people, why `e` does or does not match: the
 * values seen for the fields the query names, such as "tier is 3" or
 * "no link of type runbook (links: doc, repo)", or that matching stopped at
 * QUERY_MAX_WORK.
 */
void query_explain(const struct query *q, const struct entity *e,
		   struct buf *out);

/*
 * Parse a query written in a content file at `at` (a scope or a check) for
 * `yardstick check` and evaluation. A bad query is added to `errors` as
 * "bad query: ..." at its exact line and column when the value is written
 * on one line as is (plain or quoted without escapes), and otherwise at
 * the value with the column inside the query in the message. Returns the
 * query or NULL.
 */
struct query *query_parse_at(struct arena *a, const char *text,
			     const struct place *at, struct errlist *errors);

/* The query as written. */
const char *query_text(const struct query *q);

/*
 * Whether matching or explaining `q` reads entities' original documents
 * (entity->doc): it has a dotted path such as `spec.dependsOn:*`. Those
 * are the only queries content.h keeps documents for.
 * False for NULL.
 */
bool query_reads_documents(const struct query *q);

#endif
