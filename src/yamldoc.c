#include "yamldoc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util.h"

const struct yamldoc_limits yamldoc_default_limits = {
	.max_bytes = 32u << 20,
	.max_depth = 64,
	.max_alias_nodes = 100000,
	.max_alias_bytes = 16u << 20,
};

struct anchor {
	const char *name;
	struct value *node;
	size_t size;  /* nodes in the subtree, aliases counted expanded */
	size_t bytes; /* bytes of its scalars, aliases counted expanded */
};

/* A container being built, with how many nodes it holds so far. */
struct frame {
	struct value *node;
	struct value *key; /* maps: the key waiting for its value */
	const char *anchor;
	size_t size;
	size_t bytes; /* of the scalars so far, aliases expanded */
	/* Maps with many keys index them, so duplicate detection stays
	 * linear: open addressing over pair indexes + 1 (0 = empty). */
	size_t *slots;
	size_t slot_cap;
};

struct builder {
	struct arena *arena;
	const struct source *src;
	const struct yamldoc_limits *limits;
	struct err *err;
	struct frame *stack;
	size_t depth, alloc;
	struct anchor *anchors;
	size_t anchor_count, anchor_alloc;
	size_t alias_nodes;
	size_t alias_bytes;
	struct value *doc; /* the current document's root */
	size_t doc_size;
};

static int is_digits(const char *s, const char *digits)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!strchr(digits, *s))
			return 0;
	return 1;
}

/* YAML 1.2 core schema float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static int is_float(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	int mantissa = 0;
	while (*s >= '0' && *s <= '9') {
		s++;
		mantissa = 1;
	}
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') {
			s++;
			mantissa = 1;
		}
	}
	if (!mantissa)
		return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

/* Type a plain scalar by the core schema. */
static void resolve_plain(struct value *v)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	static const char *const trues[] = { "true", "True", "TRUE" };
	static const char *const falses[] = { "false", "False", "FALSE" };
	const char *s = v->str;
	/* Most plain scalars are words and names: none of those starts like
	 * a null, a boolean or a number, so they skip the tries below. */
	if (*s && !strchr("~nNtTfF.+-0123456789", *s))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(nulls); i++)
		if (strcmp(s, nulls[i]) == 0) {
			v->type = VALUE_NULL;
			return;
		}
	for (size_t i = 0; i < ARRAY_SIZE(trues); i++)
		if (strcmp(s, trues[i]) == 0) {
			v->type = VALUE_BOOL;
			v->boolean = true;
			return;
		}
	for (size_t i = 0; i < ARRAY_SIZE(falses); i++)
		if (strcmp(s, falses[i]) == 0) {
			v->type = VALUE_BOOL;
			v->boolean = false;
			return;
		}
	const char *u = (*s == '-' || *s == '+') ? s + 1 : s;
	if (is_float(s)) { /* integers included */
		v->type = VALUE_NUMBER;
		v->num = strtod(s, NULL);
		return;
	}
	if (strncmp(s, "0x", 2) == 0 && is_digits(s + 2, "0123456789abcdefABCDEF")) {
		v->type = VALUE_NUMBER;
		v->num = (double)strtoull(s + 2, NULL, 16);
		return;
	}
	if (strncmp(s, "0o", 2) == 0 && is_digits(s + 2, "01234567")) {
		v->type = VALUE_NUMBER;
		v->num = (double)strtoull(s + 2, NULL, 8);
		return;
	}
	static const char *const infs[] = { ".inf", ".Inf", ".INF" };
	for (size_t i = 0; i < ARRAY_SIZE(infs); i++) {
		if (strcmp(u, infs[i]) == 0) {
			v->type = VALUE_NUMBER;
			v->num = *s == '-' ? -INFINITY : INFINITY;
			return;
		}
	}
	if (strcmp(s, ".nan") == 0 || strcmp(s, ".NaN") == 0 ||
	    strcmp(s, ".NAN") == 0) {
		v->type = VALUE_NUMBER;
		v->num = NAN;
	}
}

static void set_mark(struct value *v, yaml_mark_t mark)
{
	v->line = (unsigned)mark.line + 1;
	v->col = (unsigned)mark.column + 1;
}

static int fail_at(struct builder *b, yaml_mark_t mark, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_at(struct builder *b, yaml_mark_t mark, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vat(b->err, ERR_ERROR, b->src, (unsigned)mark.line + 1,
		(unsigned)mark.column + 1, fmt, ap);
	va_end(ap);
	return -1;
}

static void remember_anchor(struct builder *b, const char *name,
			    struct value *node, size_t size, size_t bytes)
{
	if (!name)
		return;
	ALLOC_GROW(b->anchors, b->anchor_count + 1, b->anchor_alloc);
	b->anchors[b->anchor_count].name = name;
	b->anchors[b->anchor_count].node = node;
	b->anchors[b->anchor_count].size = size;
	b->anchors[b->anchor_count].bytes = bytes;
	b->anchor_count++;
}

static size_t hash_key(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

enum { INDEX_FROM = 16 };

static void index_insert(struct frame *f, size_t pair)
{
	size_t mask = f->slot_cap - 1;
	size_t i = hash_key(f->node->pairs[pair].key->str) & mask;
	while (f->slots[i])
		i = (i + 1) & mask;
	f->slots[i] = pair + 1;
}

/* The earlier pair with this key, or NULL. */
static const struct value_pair *find_key(struct frame *f, const char *key)
{
	struct value *map = f->node;
	if (map->count < INDEX_FROM)
		return value_get_pair(map, key);
	if (map->count * 2 >= f->slot_cap) {
		free(f->slots);
		f->slot_cap = 64;
		while (f->slot_cap <= map->count * 2)
			f->slot_cap *= 2;
		f->slots = xcalloc(f->slot_cap, sizeof(*f->slots));
		for (size_t i = 0; i < map->count; i++)
			index_insert(f, i);
	}
	size_t mask = f->slot_cap - 1;
	for (size_t i = hash_key(key) & mask; f->slots[i]; i = (i + 1) & mask) {
		const struct value_pair *p = &map->pairs[f->slots[i] - 1];
		if (strcmp(p->key->str, key) == 0)
			return p;
	}
	return NULL;
}

/*
 * Attach a finished node (of `size` nodes, `bytes` bytes of scalars) to the
 * container on top of the stack, or make it the document root.
 */
static int attach(struct builder *b, struct value *node, size_t size,
		  size_t bytes, yaml_mark_t mark)
{
	if (b->depth == 0) {
		b->doc = node;
		b->doc_size = size;
		return 0;
	}
	struct frame *top = &b->stack[b->depth - 1];
	top->size += size;
	top->bytes += bytes;
	if (top->node->type == VALUE_SEQ) {
		value_seq_push(b->arena, top->node, node);
		return 0;
	}
	if (!top->key) {
		if (node->type == VALUE_SEQ || node->type == VALUE_MAP)
			return fail_at(b, mark,
				       "a mapping key must be a plain value, not %s",
				       value_type_name(node->type));
		top->key = node;
		return 0;
	}
	const struct value_pair *dup = find_key(top, top->key->str);
	if (dup) {
		yaml_mark_t key_mark = mark;
		key_mark.line = top->key->line - 1;
		key_mark.column = top->key->col - 1;
		return fail_at(b, key_mark,
			       "duplicate key '%s' (first defined at line %u)",
			       top->key->str, dup->key->line);
	}
	value_map_put(b->arena, top->node, top->key, node);
	if (top->slots)
		index_insert(top, top->node->count - 1);
	top->key = NULL;
	return 0;
}

static const char *anchor_name(struct builder *b, const yaml_char_t *anchor)
{
	return anchor ? arena_strdup(b->arena, (const char *)anchor) : NULL;
}

static int on_scalar(struct builder *b, const yaml_event_t *ev)
{
	const char *text = (const char *)ev->data.scalar.value;
	struct value *v = value_new_string(b->arena, text, ev->data.scalar.length);
	set_mark(v, ev->start_mark);
	const char *tag = (const char *)ev->data.scalar.tag;
	if (ev->data.scalar.plain_implicit &&
	    !(tag && strcmp(tag, YAML_STR_TAG) == 0))
		resolve_plain(v);
	size_t bytes = ev->data.scalar.length;
	remember_anchor(b, anchor_name(b, ev->data.scalar.anchor), v, 1, bytes);
	return attach(b, v, 1, bytes, ev->start_mark);
}

static int on_start(struct builder *b, const yaml_event_t *ev,
		    enum value_type type, const yaml_char_t *anchor)
{
	if (b->depth >= b->limits->max_depth)
		return fail_at(b, ev->start_mark,
			       "nesting is deeper than the limit of %u levels",
			       b->limits->max_depth);
	if (b->depth > 0) {
		struct frame *top = &b->stack[b->depth - 1];
		if (top->node->type == VALUE_MAP && !top->key)
			return fail_at(b, ev->start_mark,
				       "a mapping key must be a plain value, not %s",
				       value_type_name(type));
	}
	struct value *v = value_new(b->arena, type);
	set_mark(v, ev->start_mark);
	ALLOC_GROW(b->stack, b->depth + 1, b->alloc);
	struct frame *f = &b->stack[b->depth++];
	f->node = v;
	f->key = NULL;
	f->anchor = anchor_name(b, anchor);
	f->size = 1;
	f->bytes = 0;
	f->slots = NULL;
	f->slot_cap = 0;
	return 0;
}

static int on_end(struct builder *b, const yaml_event_t *ev)
{
	if (b->depth == 0)
		BUG("container end without start");
	struct frame f = b->stack[--b->depth];
	free(f.slots);
	remember_anchor(b, f.anchor, f.node, f.size, f.bytes);
	return attach(b, f.node, f.size, f.bytes, ev->start_mark);
}

static int on_alias(struct builder *b, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	for (size_t i = b->anchor_count; i-- > 0;) {
		if (strcmp(b->anchors[i].name, name) != 0)
			continue;
		const struct anchor *an = &b->anchors[i];
		b->alias_nodes += an->size;
		if (b->alias_nodes > b->limits->max_alias_nodes)
			return fail_at(b, ev->start_mark,
				       "aliases expand to more than %zu nodes "
				       "(an alias bomb?)",
				       b->limits->max_alias_nodes);
		b->alias_bytes += an->bytes;
		if (b->alias_bytes > b->limits->max_alias_bytes)
			return fail_at(b, ev->start_mark,
				       "aliases expand to more than %zu bytes "
				       "(an alias bomb?)",
				       b->limits->max_alias_bytes);
		return attach(b, an->node, an->size, an->bytes, ev->start_mark);
	}
	return fail_at(b, ev->start_mark, "unknown alias '*%s'", name);
}

/* Turn libyaml's error into ours, at its exact position. */
static void parser_error(struct builder *b, const yaml_parser_t *parser)
{
	const char *problem = parser->problem ? parser->problem : "invalid YAML";
	if (parser->error == YAML_READER_ERROR) {
		unsigned line, col;
		source_position(b->src, parser->problem_offset, &line, &col);
		if (parser->problem_value != -1)
			err_at(b->err, ERR_ERROR, b->src, line, col,
			       "%s (byte 0x%02X)", problem,
			       (unsigned)parser->problem_value & 0xFF);
		else
			err_at(b->err, ERR_ERROR, b->src, line, col, "%s", problem);
		return;
	}
	unsigned line = (unsigned)parser->problem_mark.line + 1;
	unsigned col = (unsigned)parser->problem_mark.column + 1;
	/* At the end of the file libyaml points at the line after the last
	 * (past the file when there is no final newline, an empty line when
	 * there is one); point just past the last character instead. */
	size_t end = b->src->len;
	if (end && b->src->text[end - 1] == '\n')
		end--;
	if (end && b->src->text[end - 1] == '\r')
		end--;
	unsigned end_line, end_col;
	source_position(b->src, end, &end_line, &end_col);
	if (line > end_line || (line == end_line && col > end_col)) {
		line = end_line;
		col = end_col;
	}
	if (parser->context)
		err_at(b->err, ERR_ERROR, b->src, line, col,
		       "%s %s (started at line %u)", problem, parser->context,
		       (unsigned)parser->context_mark.line + 1);
	else
		err_at(b->err, ERR_ERROR, b->src, line, col, "%s", problem);
}

int yamldoc_parse(struct arena *a, const struct source *src,
		  const struct yamldoc_limits *limits, struct value ***docs,
		  size_t *count, struct err *e)
{
	struct builder b = { .arena = a, .src = src, .limits = limits, .err = e };
	struct value **list = NULL;
	size_t n = 0, alloc = 0;
	int rc = 0;
	*docs = NULL;
	*count = 0;
	if (src->len > limits->max_bytes) {
		err_path(e, ERR_ERROR, src->path,
			 "file is %zu bytes, over the limit of %zu bytes",
			 src->len, limits->max_bytes);
		return -1;
	}

	/* libyaml finds bad UTF-8 too, but reports the byte after the one at
	 * fault; UTF-16 files (with a byte order mark) are left to it. */
	const unsigned char *u = (const unsigned char *)src->text;
	bool utf16 = src->len >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) ||
				       (u[0] == 0xFF && u[1] == 0xFE));
	size_t bad = utf16 ? src->len : util_utf8_invalid(src->text, src->len);
	if (bad < src->len) {
		unsigned line, col;
		source_position(src, bad, &line, &col);
		err_at(e, ERR_ERROR, src, line, col,
		       "invalid UTF-8 (byte 0x%02X); the file must be UTF-8 encoded",
		       u[bad]);
		return -1;
	}

	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		BUG("yaml_parser_initialize failed");
	yaml_parser_set_input_string(&parser, (const unsigned char *)src->text,
				     src->len);
	for (int done = 0; !done && rc == 0;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			parser_error(&b, &parser);
			rc = -1;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			b.doc = NULL;
			b.anchor_count = 0; /* anchors are per document */
			break;
		case YAML_DOCUMENT_END_EVENT:
			if (!b.doc) {
				b.doc = value_new(a, VALUE_NULL);
				set_mark(b.doc, ev.start_mark);
			}
			ALLOC_GROW(list, n + 1, alloc);
			list[n++] = b.doc;
			break;
		case YAML_SCALAR_EVENT:
			rc = on_scalar(&b, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			rc = on_start(&b, &ev, VALUE_SEQ,
				      ev.data.sequence_start.anchor);
			break;
		case YAML_MAPPING_START_EVENT:
			rc = on_start(&b, &ev, VALUE_MAP,
				      ev.data.mapping_start.anchor);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			rc = on_end(&b, &ev);
			break;
		case YAML_ALIAS_EVENT:
			rc = on_alias(&b, &ev);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (rc == 0) {
		*docs = arena_alloc_array(a, n ? n : 1, sizeof(**docs));
		if (n)
			memcpy(*docs, list, n * sizeof(*list));
		*count = n;
	}
	free(list);
	for (size_t i = 0; i < b.depth; i++)
		free(b.stack[i].slots);
	free(b.stack);
	free(b.anchors);
	return rc;
}
