#include "jsondoc.h"

#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

/* Forward-only cursor over valid JSON text that tracks line and column. */
struct walker {
	struct arena *arena;
	const struct source *src;
	unsigned max_depth;
	struct err *err;
	size_t pos;          /* byte offset */
	unsigned line, col;  /* of pos, 1-based, columns in characters */
};

static void advance(struct walker *w, size_t n)
{
	const unsigned char *t = (const unsigned char *)w->src->text;
	for (size_t end = w->pos + n; w->pos < end && w->pos < w->src->len; w->pos++) {
		if (t[w->pos] == '\n') {
			w->line++;
			w->col = 1;
		} else if ((t[w->pos] & 0xC0) != 0x80) {
			w->col++;
		}
	}
}

static void skip_space(struct walker *w)
{
	while (w->pos < w->src->len) {
		char c = w->src->text[w->pos];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			break;
		advance(w, 1);
	}
}

/* Skip a string, number or literal starting at pos. */
static void skip_scalar(struct walker *w)
{
	const char *t = w->src->text;
	size_t i = w->pos;
	if (t[i] == '"') {
		for (i++; i < w->src->len && t[i] != '"'; i++)
			if (t[i] == '\\')
				i++;
		i++;
	} else {
		while (i < w->src->len && !strchr(",]}: \t\r\n", t[i]))
			i++;
	}
	advance(w, i - w->pos);
}

static void expect(struct walker *w, char c)
{
	skip_space(w);
	if (w->pos < w->src->len && w->src->text[w->pos] == c)
		advance(w, 1);
}

static struct value *convert(struct walker *w, json_t *j, unsigned depth);

static struct value *convert_object(struct walker *w, json_t *j,
				    struct value *v, unsigned depth)
{
	advance(w, 1); /* { */
	const char *key;
	json_t *member;
	json_object_foreach(j, key, member) {
		skip_space(w);
		struct value *k = value_new_string(w->arena, key, strlen(key));
		k->line = w->line;
		k->col = w->col;
		skip_scalar(w);
		expect(w, ':');
		struct value *val = convert(w, member, depth + 1);
		if (!val)
			return NULL;
		value_map_put(w->arena, v, k, val);
		expect(w, ',');
	}
	expect(w, '}');
	return v;
}

static struct value *convert(struct walker *w, json_t *j, unsigned depth)
{
	skip_space(w);
	if (depth >= w->max_depth) {
		err_at(w->err, ERR_ERROR, w->src, w->line, w->col,
		       "nesting is deeper than the limit of %u levels",
		       w->max_depth);
		return NULL;
	}
	unsigned line = w->line, col = w->col;
	size_t start = w->pos;
	struct value *v;
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		v = value_new(w->arena, VALUE_MAP);
		v->line = line;
		v->col = col;
		return convert_object(w, j, v, depth);
	case JSON_ARRAY:
		v = value_new(w->arena, VALUE_SEQ);
		v->line = line;
		v->col = col;
		advance(w, 1); /* [ */
		for (size_t i = 0; i < json_array_size(j); i++) {
			struct value *item = convert(w, json_array_get(j, i), depth + 1);
			if (!item)
				return NULL;
			value_seq_push(w->arena, v, item);
			expect(w, ',');
		}
		expect(w, ']');
		return v;
	case JSON_STRING:
		v = value_new_string(w->arena, json_string_value(j),
				     json_string_length(j));
		break;
	case JSON_INTEGER:
	case JSON_REAL:
		v = value_new(w->arena, VALUE_NUMBER);
		v->num = json_number_value(j);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		v = value_new_bool(w->arena, json_is_true(j));
		break;
	default:
		v = value_new(w->arena, VALUE_NULL);
		break;
	}
	skip_scalar(w);
	if (v->type == VALUE_NUMBER || v->type == VALUE_NULL) {
		v->str = arena_strndup(w->arena, w->src->text + start, w->pos - start);
		v->len = w->pos - start;
	}
	v->line = line;
	v->col = col;
	return v;
}

/*
 * The offset of the first '[' or '{' that opens a value at depth
 * `max_depth` (the top level is depth 0), or SIZE_MAX. Strings are
 * skipped; the text need not be valid.
 */
static size_t too_deep_at(const struct source *src, unsigned max_depth)
{
	const char *t = src->text;
	unsigned depth = 0;
	for (size_t i = 0; i < src->len; i++) {
		switch (t[i]) {
		case '"':
			for (i++; i < src->len && t[i] != '"'; i++)
				if (t[i] == '\\')
					i++;
			break;
		case '[':
		case '{':
			if (depth >= max_depth)
				return i;
			depth++;
			break;
		case ']':
		case '}':
			if (depth)
				depth--;
			break;
		}
	}
	return SIZE_MAX;
}

int jsondoc_parse(struct arena *a, const struct source *src, unsigned max_depth,
		  struct value **out, struct err *e)
{
	json_error_t jerr;
	json_t *root = json_loadb(src->text, src->len,
				  JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!root) {
		unsigned line = 0, col = 0;
		/*
		 * jansson stops at its own depth (2048) with its own words;
		 * when the nesting passes our limit before the place jansson
		 * complains about, that is the problem to report.
		 */
		size_t deep = too_deep_at(src, max_depth);
		if (deep != SIZE_MAX &&
		    (jerr.position < 0 || deep < (size_t)jerr.position)) {
			source_position(src, deep, &line, &col);
			err_at(e, ERR_ERROR, src, line, col,
			       "nesting is deeper than the limit of %u levels",
			       max_depth);
			return -1;
		}
		if (jerr.position >= 0)
			source_position(src, (size_t)jerr.position, &line, &col);
		/* jansson reports the position after the offending token;
		 * for an empty file, say so plainly. */
		if (src->len == 0)
			err_path(e, ERR_ERROR, src->path, "empty file, expected JSON");
		else
			err_at(e, ERR_ERROR, src, line, col ? col - (col > 1) : 0,
			       "%s", jerr.text);
		return -1;
	}
	struct walker w = { .arena = a, .src = src, .max_depth = max_depth,
			    .err = e, .line = 1, .col = 1 };
	*out = convert(&w, root, 0);
	json_decref(root);
	return *out ? 0 : -1;
}
