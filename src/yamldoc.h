/*
 * yamldoc: YAML files into value trees, with positions and limits.
 *
 * Built on libyaml's event parser. Plain scalars are typed by the YAML 1.2
 * core schema (null, true/false, integers, floats); quoted scalars and
 * scalars tagged !!str are strings. Aliases share the anchored node.
 *
 * Hostile input is bounded: files over `max_bytes`, nesting deeper than
 * `max_depth`, and aliases that would expand to more than `max_alias_nodes`
 * nodes or `max_alias_bytes` bytes of scalars in total (per file; each
 * alias counts what it stands for, expanded) are errors at the alias that
 * goes over, found before any of them can cost much. The bytes count
 * because readers walk the expanded tree: one 1 MB string aliased 100
 * times is 100 MB to match and render, though it is stored once.
 */
#ifndef YARDSTICK_YAMLDOC_H
#define YARDSTICK_YAMLDOC_H

#include <stddef.h>

#include "arena.h"
#include "err.h"
#include "value.h"

struct yamldoc_limits {
	size_t max_bytes;
	unsigned max_depth;
	size_t max_alias_nodes;
	size_t max_alias_bytes;
};

/* 32 MiB, 64 levels, 100,000 nodes and 16 MiB of scalars reached through
 * aliases. */
extern const struct yamldoc_limits yamldoc_default_limits;

/*
 * Parse every document of `src` into `*docs` (an arena array of `*count`
 * trees). An empty document is a VALUE_NULL node at its position.
 * Duplicate keys in a mapping and non-scalar keys are errors.
 * On a problem returns -1 with `e` filled at the exact line and column;
 * nothing is returned for a file with a problem.
 */
int yamldoc_parse(struct arena *a, const struct source *src,
		  const struct yamldoc_limits *limits, struct value ***docs,
		  size_t *count, struct err *e);

#endif
