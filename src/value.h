/*
 * value: the tree every YAML and JSON document is loaded into.
 *
 * One model serves catalog files, the raw documents rules can address,
 * template data and the Mustache engine. Every node remembers where it was
 * written, so any later stage can point the user at the exact place. Nodes
 * live in an arena and are never freed on their own.
 *
 * Scalars keep the text as written (`str`), whatever their type, so a tier
 * written `1`, `"1"` or `Tier 1` can be told apart and shown back exactly.
 * A YAML alias shares the anchored node: the tree is a DAG, and loaders
 * bound how many nodes its full expansion may have.
 */
#ifndef YARDSTICK_VALUE_H
#define YARDSTICK_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"

enum value_type {
	VALUE_NULL,
	VALUE_BOOL,
	VALUE_NUMBER,
	VALUE_STRING,
	VALUE_SEQ,
	VALUE_MAP,
};

struct value;

struct value_pair {
	struct value *key; /* always a scalar; its str is the key text */
	struct value *val;
};

/*
 * 56 bytes on 64-bit hosts: a page context is tens of thousands of these,
 * so the flags sit in the padding after the position and a node holds
 * either items or pairs, never both.
 */
struct value {
	enum value_type type;
	unsigned line, col;  /* 1-based position in the source, 0 if none */
	bool boolean;        /* VALUE_BOOL */
	/* VALUE_NUMBER: `str` is `num` as buf_add_number() writes it (true
	 * for value_new_number(), not for a number as written in a file). */
	bool canonical;
	const char *str;     /* scalars: text as written, NUL-terminated */
	size_t len;          /* scalars: length of str in bytes */
	double num;          /* VALUE_NUMBER */
	size_t count;        /* VALUE_SEQ items or VALUE_MAP pairs */
	union {
		struct value **items;      /* VALUE_SEQ */
		struct value_pair *pairs;  /* VALUE_MAP, in document order */
	};
};

/* Constructors; all memory comes from the arena. A number's text is its
 * shortest form (buf_add_number()), made once here. */
struct value *value_new(struct arena *a, enum value_type type);
struct value *value_new_string(struct arena *a, const char *s, size_t len);
struct value *value_new_number(struct arena *a, double d);
struct value *value_new_bool(struct arena *a, bool b);

/*
 * Append to a sequence or a map. The arrays grow by copying into the arena
 * (amortised doubling), so building is linear.
 */
void value_seq_push(struct arena *a, struct value *seq, struct value *item);
void value_map_put(struct arena *a, struct value *map, struct value *key,
		   struct value *val);

/*
 * A shallow copy: a new node whose pairs or items are the same children.
 * Adding to the copy leaves `v` as it was, so one read-only value can be
 * shared and extended per use.
 */
struct value *value_copy(struct arena *a, const struct value *v);

/* The value of the first pair whose key equals `key` (case-sensitive), or
 * NULL. Works on any value; non-maps have no keys. */
const struct value *value_get(const struct value *map, const char *key);
/* The pair itself, for its key's position. */
const struct value_pair *value_get_pair(const struct value *map,
					const char *key);

/* Scalar text or NULL (containers, NULL values, and null scalars). */
const char *value_str(const struct value *v);

/*
 * Mustache truthiness: null, false, empty sequences and (for convenience
 * of the spec) nothing else are falsey. Empty strings are truthy, as in
 * the spec's data model; 0 is truthy.
 */
bool value_truthy(const struct value *v);

/* Write a scalar the way a template prints it: strings as is, numbers in
 * their shortest form, booleans as true/false, null as nothing. */
void value_add_text(struct buf *b, const struct value *v);

/* A name for error messages: "a mapping", "a string", ... */
const char *value_type_name(enum value_type type);

#endif
