/*
 * jsondoc: JSON files into value trees, with positions.
 *
 * jansson parses and validates (duplicate keys are errors); the tree it
 * returns has no positions, so a second, forward-only walk over the
 * already-validated text finds where each value starts. Nesting is bounded
 * by the same depth limit as YAML.
 */
#ifndef YARDSTICK_JSONDOC_H
#define YARDSTICK_JSONDOC_H

#include "arena.h"
#include "err.h"
#include "value.h"

/*
 * Parse `src` into `*out`. Returns -1 with `e` at the exact place of the
 * first problem (syntax, duplicate key, NUL escape, nesting deeper than
 * `max_depth`).
 */
int jsondoc_parse(struct arena *a, const struct source *src, unsigned max_depth,
		  struct value **out, struct err *e);

#endif
