#include "value.h"

#include <string.h>

#include "util.h"

struct value *value_new(struct arena *a, enum value_type type)
{
	struct value *v = arena_alloc(a, sizeof(*v));
	v->type = type;
	return v;
}

struct value *value_new_string(struct arena *a, const char *s, size_t len)
{
	struct value *v = value_new(a, VALUE_STRING);
	v->str = arena_strndup(a, s, len);
	v->len = len;
	return v;
}

struct value *value_new_number(struct arena *a, double d)
{
	struct value *v = value_new(a, VALUE_NUMBER);
	char text[BUF_NUMBER_MAX];
	v->len = buf_format_number(text, d);
	v->str = arena_strndup(a, text, v->len);
	v->num = d;
	v->canonical = true;
	return v;
}

struct value *value_new_bool(struct arena *a, bool boolean)
{
	struct value *v = value_new(a, VALUE_BOOL);
	v->str = boolean ? "true" : "false";
	v->len = strlen(v->str);
	v->boolean = boolean;
	return v;
}

/* Capacity is implicit: the next power of two at or above count. */
static size_t capacity_for(size_t count)
{
	size_t cap = 4;
	while (cap < count)
		cap *= 2;
	return cap;
}

void value_seq_push(struct arena *a, struct value *seq, struct value *item)
{
	if (seq->type != VALUE_SEQ)
		BUG("value_seq_push on a non-sequence");
	if (seq->count == 0 || seq->count == capacity_for(seq->count)) {
		size_t cap = capacity_for(seq->count + 1);
		struct value **items = arena_alloc_array(a, cap, sizeof(*items));
		if (seq->count)
			memcpy(items, seq->items, seq->count * sizeof(*items));
		seq->items = items;
	}
	seq->items[seq->count++] = item;
}

void value_map_put(struct arena *a, struct value *map, struct value *key,
		   struct value *val)
{
	if (map->type != VALUE_MAP)
		BUG("value_map_put on a non-mapping");
	if (map->count == 0 || map->count == capacity_for(map->count)) {
		size_t cap = capacity_for(map->count + 1);
		struct value_pair *pairs = arena_alloc_array(a, cap, sizeof(*pairs));
		if (map->count)
			memcpy(pairs, map->pairs, map->count * sizeof(*pairs));
		map->pairs = pairs;
	}
	map->pairs[map->count].key = key;
	map->pairs[map->count].val = val;
	map->count++;
}

struct value *value_copy(struct arena *a, const struct value *v)
{
	struct value *c = value_new(a, v->type);
	*c = *v;
	if (v->type == VALUE_MAP && v->count) {
		c->pairs = arena_alloc_array(a, capacity_for(v->count), sizeof(*c->pairs));
		memcpy(c->pairs, v->pairs, v->count * sizeof(*c->pairs));
	} else if (v->type == VALUE_SEQ && v->count) {
		c->items = arena_alloc_array(a, capacity_for(v->count), sizeof(*c->items));
		memcpy(c->items, v->items, v->count * sizeof(*c->items));
	}
	return c;
}

const struct value_pair *value_get_pair(const struct value *map,
					const char *key)
{
	if (!map || map->type != VALUE_MAP)
		return NULL;
	for (size_t i = 0; i < map->count; i++) {
		const struct value *k = map->pairs[i].key;
		if (k->str && strcmp(k->str, key) == 0)
			return &map->pairs[i];
	}
	return NULL;
}

const struct value *value_get(const struct value *map, const char *key)
{
	const struct value_pair *p = value_get_pair(map, key);
	return p ? p->val : NULL;
}

const char *value_str(const struct value *v)
{
	if (!v || v->type == VALUE_NULL || v->type == VALUE_SEQ ||
	    v->type == VALUE_MAP)
		return NULL;
	return v->str;
}

bool value_truthy(const struct value *v)
{
	if (!v)
		return false;
	switch (v->type) {
	case VALUE_NULL:
		return false;
	case VALUE_BOOL:
		return v->boolean;
	case VALUE_SEQ:
		return v->count > 0;
	default:
		return true;
	}
}

void value_add_text(struct buf *b, const struct value *v)
{
	if (!v)
		return;
	switch (v->type) {
	case VALUE_NULL:
		return;
	case VALUE_NUMBER:
		/* A number as written in a file prints in its shortest form. */
		if (v->canonical)
			buf_add(b, v->str, v->len);
		else
			buf_add_number(b, v->num);
		return;
	case VALUE_BOOL:
		buf_adds(b, v->boolean ? "true" : "false");
		return;
	case VALUE_STRING:
		buf_add(b, v->str, v->len);
		return;
	case VALUE_SEQ:
	case VALUE_MAP:
		return;
	}
}

const char *value_type_name(enum value_type type)
{
	static const char *const names[] = {
		[VALUE_NULL] = "null",
		[VALUE_BOOL] = "a boolean",
		[VALUE_NUMBER] = "a number",
		[VALUE_STRING] = "a string",
		[VALUE_SEQ] = "a list",
		[VALUE_MAP] = "a mapping",
	};
	return names[type];
}
