/*
 * mustache: compile templates into flat node lists, render them into a buf.
 *
 * Compiling is three loops over the text, none recursive, so nesting
 * depth costs heap, not C stack:
 *
 *   1. scan_tags() finds every tag (following delimiter changes) and checks
 *      that sections open and close in order;
 *   2. mark_standalone() decides which tags stand alone on their line, so
 *      that line's indentation and newline disappear from the output;
 *   3. build_nodes() turns tags and the text between them into nodes. A
 *      container node (section, inverted, parent, block) records the index
 *      just past its body in `end`, so rendering skips or repeats a body
 *      without a tree.
 *
 * Indentation follows the spec's textual model without copying templates:
 * a standalone partial's indentation is a chain of `struct indent` on the C
 * stack, written out lazily before the first output of each line of the
 * partial's own text (never after newlines that come from data). Blocks
 * that stand alone are de-indented when compiled (their common leading
 * whitespace is removed from each line) and re-indented where they expand,
 * which is what the inheritance spec's "reindentation" tests describe.
 */
#include "mustache.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "escape.h"
#include "source.h"
#include "util.h"

/* buf_add() with the common case (room left) inlined: rendering appends
 * many short pieces. */
static inline void emit(struct buf *out, const char *s, size_t len)
{
	if (out->len + len < out->alloc) {
		memcpy(out->data + out->len, s, len);
		out->len += len;
		out->data[out->len] = '\0';
		return;
	}
	buf_add(out, s, len);
}

/* ---- data access: the only code that knows the value model ---------- */

/*
 * The value of `key` in a mapping, or NULL (also for non-mappings). Pages
 * repeat a row over maps that have the same keys in the same order, so
 * the index of the last match is tried first: `*hint` is updated. Pages
 * rendered in parallel share the hint: it is atomic (relaxed), and only
 * ever a guess that is checked.
 */
static const struct value *data_get(const struct value *map, const char *key,
				    size_t len, atomic_size_t *hint)
{
	if (!map || map->type != VALUE_MAP)
		return NULL;
	size_t h = atomic_load_explicit(hint, memory_order_relaxed);
	if (h < map->count) {
		const struct value *k = map->pairs[h].key;
		if (k->len == len && memcmp(k->str, key, len) == 0)
			return map->pairs[h].val;
	}
	for (size_t i = 0; i < map->count; i++) {
		const struct value *k = map->pairs[i].key;
		if (k->len == len && k->str[0] == key[0] &&
		    memcmp(k->str, key, len) == 0) {
			atomic_store_explicit(hint, i, memory_order_relaxed);
			return map->pairs[i].val;
		}
	}
	return NULL;
}

static bool data_truthy(const struct value *v)
{
	return value_truthy(v);
}

/* Items to iterate for a section: a list's items, or NULL for "render the
 * body once with the value pushed". */
static bool data_is_list(const struct value *v)
{
	return v->type == VALUE_SEQ;
}

static void data_print(struct buf *out, const struct value *v, bool escape)
{
	if (!v)
		return;
	if (v->type == VALUE_STRING) {
		if (escape)
			escape_html(out, v->str, v->len);
		else
			emit(out, v->str, v->len);
		return;
	}
	/* Numbers made for a page carry their text already (value.h);
	 * numbers as written in a file print in their shortest form. Neither
	 * contains characters to escape. */
	if (v->type == VALUE_NUMBER && v->canonical) {
		emit(out, v->str, v->len);
		return;
	}
	/* Booleans and null never contain characters to escape either. */
	value_add_text(out, v);
}

/* ---- compiled form ---------------------------------------------------- */

enum node_type {
	NODE_TEXT,
	NODE_VAR,      /* {{x}}: escaped */
	NODE_RAW,      /* {{{x}}} and {{& x}} */
	NODE_SECTION,  /* {{#x}} */
	NODE_INVERTED, /* {{^x}} */
	NODE_PARTIAL,  /* {{>x}} */
	NODE_PARENT,   /* {{<x}} */
	NODE_BLOCK,    /* {{$x}} */
};

struct name_part {
	const char *text;
	size_t len;
	atomic_size_t hint; /* where the key was last found; written when rendering */
};

struct name {
	const char *text; /* as written (after any '*'), NUL-terminated */
	size_t len;
	size_t count; /* parts; 0 is the implicit iterator "." */
	struct name_part *parts;
};

struct node {
	enum node_type type;
	bool standalone; /* partial, parent, block alone on their line */
	bool dynamic;    /* partial, parent: {{>*name}} */
	bool newline;    /* TEXT: contains a newline */
	size_t end;      /* containers: index just past the body */
	const char *text; /* TEXT: the bytes; standalone partial, parent,
			   * block: the indentation to add */
	size_t len;
	struct name name;
	struct mustache_template *target; /* static partial or parent */
	size_t offset;                    /* where the tag starts */
};

enum template_state {
	TEMPLATE_UNLOADED, /* named, waiting in the cache's work list */
	TEMPLATE_READY,
	TEMPLATE_MISSING,  /* the loader does not know it: renders as "" */
	TEMPLATE_FAILED,   /* loading or compiling failed (reported once) */
};

struct mustache_template {
	struct mustache_cache *cache;
	const char *name; /* NULL for templates given to mustache_compile() */
	size_t name_len;
	enum template_state state;
	struct source src;
	struct node *nodes;
	size_t count;
	struct mustache_template *hash_next;
	struct mustache_template *work_next;
};

struct mustache_cache {
	/* mustache_get() may run in several threads at once (rendering pages
	 * in parallel, a dynamic partial compiled on first use): it holds
	 * `lock`. Compiled templates are never changed again. */
	pthread_mutex_t lock;
	struct arena arena;
	struct mustache_loader loader;
	bool has_loader;
	struct mustache_template **table; /* chained hash of named templates */
	size_t table_size, table_count;
	struct mustache_template *work; /* named, not yet compiled */
	unsigned options;               /* MUSTACHE_* compile options */
};

/* ---- compiling: 1. tags --------------------------------------------- */

struct tag {
	char kind;        /* 'v' variable, '&' raw, or # ^ / ! > < $ = */
	bool dynamic;     /* > or < with a '*' */
	bool standalone;
	size_t start, end;            /* the whole tag */
	size_t name_start, name_end;  /* trimmed content after the sigil */
	size_t cut_before, cut_after; /* text kept stops/resumes here */
	size_t match;                 /* opener <-> closer index */
	size_t line_start;            /* standalone: start of the line */
};

struct compiler {
	struct mustache_template *t;
	struct arena *arena;
	const char *s;
	size_t len;
	struct tag *tags;
	size_t ntags, tags_alloc;
	struct node *nodes;
	size_t nnodes, nodes_alloc;
	bool trim; /* MUSTACHE_TRIM_INDENT */
	struct err *e;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_white(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static int compile_error(struct compiler *c, size_t offset, const char *fmt,
			 ...) __attribute__((format(printf, 3, 4)));

static int compile_error(struct compiler *c, size_t offset, const char *fmt,
			 ...)
{
	unsigned line, col;
	source_position(&c->t->src, offset, &line, &col);
	va_list ap;
	va_start(ap, fmt);
	err_vat(c->e, ERR_ERROR, &c->t->src, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

/* First occurrence of needle in s[from, len), or SIZE_MAX. */
static size_t find(const char *s, size_t len, size_t from, const char *needle,
		   size_t nlen)
{
	while (from + nlen <= len) {
		const char *p = memchr(s + from, needle[0], len - from - nlen + 1);
		if (!p)
			return SIZE_MAX;
		size_t at = (size_t)(p - s);
		if (memcmp(p, needle, nlen) == 0)
			return at;
		from = at + 1;
	}
	return SIZE_MAX;
}

/* First `close` in s[from, len) that directly follows the character `ch`,
 * as in "}}}" or "=}}"; returns the position of `ch`, or SIZE_MAX. */
static size_t find_after_char(const char *s, size_t len, size_t from, char ch,
			      const char *close, size_t clen)
{
	for (size_t at = from;; at++) {
		at = find(s, len, at, close, clen);
		if (at == SIZE_MAX)
			return SIZE_MAX;
		if (at > from && s[at - 1] == ch)
			return at - 1;
	}
}

/* A short, printable rendition of a tag for messages. */
static int tag_width(const struct tag *t)
{
	size_t n = t->end - t->start;
	return n > 60 ? 60 : (int)n;
}

static bool is_opener(char kind)
{
	return kind == '#' || kind == '^' || kind == '<' || kind == '$';
}

static int set_delimiters(struct compiler *c, size_t tag_start, size_t from,
			  size_t to, const char **open, size_t *olen,
			  const char **close, size_t *clen)
{
	const char *s = c->s;
	size_t a = from, b;
	while (a < to && is_white(s[a]))
		a++;
	b = a;
	while (b < to && !is_white(s[b]))
		b++;
	size_t m = b;
	while (m < to && is_white(s[m]))
		m++;
	size_t d = m;
	while (d < to && !is_white(s[d]))
		d++;
	size_t rest = d;
	while (rest < to && is_white(s[rest]))
		rest++;
	if (a == b || m == d || b == m || rest != to)
		return compile_error(c, tag_start,
				     "bad delimiter change: write two delimiters separated by a space, as in {{=<%% %%>=}}");
	if (memchr(s + a, '=', b - a) || memchr(s + m, '=', d - m))
		return compile_error(c, tag_start,
				     "bad delimiter change: delimiters cannot contain '='");
	*open = s + a;
	*olen = b - a;
	*close = s + m;
	*clen = d - m;
	return 0;
}

/*
 * Find every tag, following delimiter changes, and pair openers with their
 * closers using a stack of indices (heap memory, not C stack).
 */
static int scan_tags(struct compiler *c)
{
	const char *s = c->s;
	size_t len = c->len, pos = 0;
	const char *open = "{{", *close = "}}";
	size_t olen = 2, clen = 2;
	size_t *stack = NULL, depth = 0, stack_alloc = 0;
	int rc = -1;

	for (;;) {
		size_t start = find(s, len, pos, open, olen);
		if (start == SIZE_MAX)
			break;
		size_t q = start + olen;
		while (q < len && is_space(s[q]))
			q++;
		struct tag tag = { 0 };
		tag.start = start;
		char sigil = q < len ? s[q] : '\0';
		size_t stop; /* where the content ends */
		if (sigil && strchr("#^/!><$=&{", sigil)) {
			tag.kind = sigil == '{' ? '&' : sigil;
			q++;
		} else {
			tag.kind = 'v';
		}
		if (sigil == '{' || sigil == '=') {
			stop = find_after_char(s, len, q, sigil == '{' ? '}' : '=',
					       close, clen);
			tag.end = stop == SIZE_MAX ? 0 : stop + 1 + clen;
		} else {
			stop = find(s, len, q, close, clen);
			tag.end = stop == SIZE_MAX ? 0 : stop + clen;
		}
		if (stop == SIZE_MAX) {
			if (sigil == '{')
				compile_error(c, start,
					      "unterminated tag: '%.*s{' is not closed by '}%.*s'",
					      (int)olen, open, (int)clen, close);
			else if (sigil == '=')
				compile_error(c, start,
					      "unterminated delimiter change: '%.*s=' is not closed by '=%.*s'",
					      (int)olen, open, (int)clen, close);
			else
				compile_error(c, start,
					      "unterminated tag: '%.*s' is not closed by '%.*s'",
					      (int)olen, open, (int)clen, close);
			goto out;
		}
		if (tag.kind == '=') {
			if (set_delimiters(c, start, q, stop, &open, &olen,
					   &close, &clen) < 0)
				goto out;
		}
		while (q < stop && is_white(s[q]))
			q++;
		if ((tag.kind == '>' || tag.kind == '<') && q < stop &&
		    s[q] == '*') {
			tag.dynamic = true;
			q++;
			while (q < stop && is_white(s[q]))
				q++;
		}
		size_t r = stop;
		while (r > q && is_white(s[r - 1]))
			r--;
		tag.name_start = q;
		tag.name_end = r;
		tag.cut_before = tag.start;
		tag.cut_after = tag.end;
		tag.match = SIZE_MAX;
		pos = tag.end;

		if (tag.kind != '!' && tag.kind != '=') {
			if (q == r) {
				compile_error(c, start,
					      "empty tag '%.*s': a name is missing",
					      (int)(tag.end - start), s + start);
				goto out;
			}
			if (!tag.dynamic) {
				for (size_t i = q; i < r; i++)
					if (is_white(s[i])) {
						compile_error(c, start,
							      "'%.*s' is not a name: names cannot contain spaces",
							      (int)(r - q), s + q);
						goto out;
					}
			}
		}

		ALLOC_GROW(c->tags, c->ntags + 1, c->tags_alloc);
		size_t index = c->ntags++;
		c->tags[index] = tag;
		struct tag *t = &c->tags[index];
		if (is_opener(t->kind)) {
			if (depth >= MUSTACHE_MAX_NESTING) {
				compile_error(c, start,
					      "sections nested more than %d deep",
					      MUSTACHE_MAX_NESTING);
				goto out;
			}
			ALLOC_GROW(stack, depth + 1, stack_alloc);
			stack[depth++] = index;
		} else if (t->kind == '/') {
			if (depth == 0) {
				compile_error(c, start,
					      "'%.*s' closes nothing: no section is open",
					      tag_width(t), s + start);
				goto out;
			}
			struct tag *o = &c->tags[stack[depth - 1]];
			size_t on = o->name_end - o->name_start;
			size_t cstart = t->name_start;
			/* A dynamic parent closes with its name, star included. */
			if (o->dynamic && cstart < t->name_end && s[cstart] == '*') {
				cstart++;
				while (cstart < t->name_end && is_white(s[cstart]))
					cstart++;
			}
			size_t cn = t->name_end - cstart;
			if (on != cn ||
			    memcmp(s + o->name_start, s + cstart, cn) != 0) {
				unsigned line, col;
				source_position(&c->t->src, o->start, &line, &col);
				compile_error(c, start,
					      "'%.*s' does not close the open section '%.*s' (line %u, column %u)",
					      tag_width(t), s + start, tag_width(o),
					      s + o->start, line, col);
				goto out;
			}
			o->match = index;
			t->match = stack[depth - 1];
			depth--;
		}
	}
	if (depth > 0) {
		struct tag *o = &c->tags[stack[depth - 1]];
		compile_error(c, o->start,
			      "unclosed section '%.*s': no '{{/%.*s}}' before the end of the template",
			      tag_width(o), s + o->start,
			      (int)(o->name_end - o->name_start),
			      s + o->name_start);
		goto out;
	}
	rc = 0;
out:
	free(stack);
	return rc;
}

/* ---- compiling: 2. standalone lines --------------------------------- */

static bool can_stand_alone(char kind)
{
	return kind != 'v' && kind != '&';
}

/* Start of the line if only spaces precede `at` on it, else SIZE_MAX. */
static size_t blank_before(const char *s, size_t at)
{
	while (at > 0 && is_space(s[at - 1]))
		at--;
	return at == 0 || s[at - 1] == '\n' ? at : SIZE_MAX;
}

/* Just past the newline if only spaces follow `at` on its line, else
 * SIZE_MAX. The end of the text counts as a newline. */
static size_t blank_after(const char *s, size_t len, size_t at)
{
	while (at < len && is_space(s[at]))
		at++;
	if (at == len)
		return at;
	if (s[at] == '\n')
		return at + 1;
	if (s[at] == '\r' && at + 1 < len && s[at + 1] == '\n')
		return at + 2;
	return SIZE_MAX;
}

/*
 * A tag alone on its line (but for spaces) takes the whole line with it.
 * Inheritance adds pairs of adjacent tags that stand alone together:
 * "{{<p}}{{/p}}", "{{<p}}{{$b}}", "{{/b}}{{/p}}", and "{{$b}}{{/b}}" (which
 * keeps its newline, so an empty block does not swallow a line break).
 */
static void mark_standalone(struct compiler *c)
{
	const char *s = c->s;
	for (size_t i = 0; i < c->ntags; i++) {
		struct tag *t = &c->tags[i];
		size_t before = blank_before(s, t->start);
		if (before == SIZE_MAX)
			continue;
		size_t after = blank_after(s, c->len, t->end);
		if (after != SIZE_MAX && can_stand_alone(t->kind)) {
			t->standalone = true;
			t->line_start = before;
			t->cut_before = before;
			t->cut_after = after;
			continue;
		}
		if (i + 1 >= c->ntags)
			continue;
		struct tag *u = &c->tags[i + 1];
		if (u->start != t->end)
			continue;
		after = blank_after(s, c->len, u->end);
		if (after == SIZE_MAX)
			continue;
		bool pair = false, keep_newline = false;
		if (t->kind == '<' && (u->kind == '$' || u->match == i))
			pair = true;
		else if (t->kind == '/' && u->kind == '/' &&
			 c->tags[t->match].kind == '$' &&
			 c->tags[u->match].kind == '<')
			pair = true;
		else if (t->kind == '$' && u->match == i)
			pair = keep_newline = true;
		if (!pair)
			continue;
		t->standalone = u->standalone = true;
		t->line_start = u->line_start = before;
		t->cut_before = before;
		u->cut_after = keep_newline ? u->end : after;
		i++;
	}
}

/* ---- compiling: 3. nodes -------------------------------------------- */

/* The node each kind of tag becomes; comments, delimiter changes and
 * closing tags become none. */
static enum node_type node_type_of(char kind)
{
	static const struct {
		char kind;
		enum node_type type;
	} types[] = {
		{ 'v', NODE_VAR },       { '&', NODE_RAW },
		{ '#', NODE_SECTION },   { '^', NODE_INVERTED },
		{ '>', NODE_PARTIAL },   { '<', NODE_PARENT },
		{ '$', NODE_BLOCK },
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].kind == kind)
			return types[i].type;
	BUG("unknown tag kind");
}

struct open_container {
	size_t node;          /* index of the container node */
	const char *dedent;   /* leading whitespace removed from each line */
	size_t dedent_len;
};

static struct node *add_node(struct compiler *c, enum node_type type,
			     size_t offset)
{
	ALLOC_GROW(c->nodes, c->nnodes + 1, c->nodes_alloc);
	struct node *n = &c->nodes[c->nnodes++];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->offset = offset;
	return n;
}

/* Skip up to `max` spaces or tabs at s[at]. */
static size_t skip_indent(const char *s, size_t at, size_t end, size_t max)
{
	size_t n = 0;
	while (n < max && at + n < end && is_space(s[at + n]))
		n++;
	return at + n;
}

/*
 * Text from `from` to `to` as a node. Each line that starts here loses
 * `dedent_len` of indentation (a standalone block's); with c->trim it loses
 * all of it, and a line left empty loses its newline too. Only template
 * text is touched, never what data interpolates.
 */
static void add_text(struct compiler *c, size_t from, size_t to,
		     size_t dedent_len)
{
	if (from >= to)
		return;
	const char *s = c->s;
	if (dedent_len == 0 && !c->trim) {
		struct node *n = add_node(c, NODE_TEXT, from);
		n->text = s + from;
		n->len = to - from;
		n->newline = memchr(n->text, '\n', n->len) != NULL;
		return;
	}
	struct buf b = BUF_INIT;
	size_t at = from;
	while (at < to) {
		if (at == 0 || s[at - 1] == '\n') {
			at = skip_indent(s, at, to, c->trim ? SIZE_MAX : dedent_len);
			size_t blank = c->trim ? blank_after(s, to, at) : SIZE_MAX;
			if (blank != SIZE_MAX && blank > at) {
				at = blank;
				continue;
			}
		}
		const char *nl = memchr(s + at, '\n', to - at);
		size_t stop = nl ? (size_t)(nl - s) + 1 : to;
		buf_add(&b, s + at, stop - at);
		at = stop;
	}
	if (b.len) {
		struct node *n = add_node(c, NODE_TEXT, from);
		n->text = arena_strndup(c->arena, b.data, b.len);
		n->len = b.len;
		n->newline = memchr(n->text, '\n', n->len) != NULL;
	}
	buf_release(&b);
}

static int parse_name(struct compiler *c, const struct tag *t, struct name *n)
{
	const char *s = c->s + t->name_start;
	size_t len = t->name_end - t->name_start;
	n->text = arena_strndup(c->arena, s, len);
	n->len = len;
	/* Partial, parent and block names are names, not paths into data. */
	bool in_data = t->dynamic || !strchr("><$", t->kind);
	if (!in_data || (len == 1 && s[0] == '.'))
		return 0;
	size_t count = 1;
	for (size_t i = 0; i < len; i++)
		count += s[i] == '.';
	n->parts = arena_alloc_array(c->arena, count, sizeof(*n->parts));
	n->count = count;
	size_t part = 0, from = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		/* Dynamic names are looked up as written, even when odd:
		 * "**x" or "a.*b" must simply find nothing. */
		if (i == from && !t->dynamic)
			return compile_error(c, t->name_start,
					     "'%.*s' is not a name: a dotted name has an empty part",
					     (int)len, s);
		n->parts[part].text = n->text + from;
		n->parts[part].len = i - from;
		part++;
		from = i + 1;
	}
	return 0;
}

static struct mustache_template *cache_entry(struct mustache_cache *cache,
					     const char *name, size_t len);

/* The longest run of leading whitespace shared by every non-blank line of
 * s[from, to), which starts at the beginning of a line. */
static size_t common_indent(const char *s, size_t from, size_t to,
			    const char **indent)
{
	const char *best = NULL;
	size_t best_len = 0;
	size_t at = from;
	while (at < to) {
		size_t w = at;
		while (w < to && is_space(s[w]))
			w++;
		bool blank = w == to || s[w] == '\n' || s[w] == '\r';
		if (!blank) {
			if (!best) {
				best = s + at;
				best_len = w - at;
			} else {
				size_t k = 0;
				while (k < best_len && k < w - at &&
				       best[k] == s[at + k])
					k++;
				best_len = k;
			}
		}
		const char *nl = memchr(s + w, '\n', to - w);
		at = nl ? (size_t)(nl - s) + 1 : to;
	}
	*indent = best;
	return best ? best_len : SIZE_MAX;
}

/*
 * Turn tags into nodes. `stack` holds the open containers; it is as deep as
 * the nesting, which scan_tags() has bounded.
 */
static int build_nodes(struct compiler *c)
{
	const char *s = c->s;
	struct open_container *stack = NULL;
	size_t depth = 0, stack_alloc = 0;
	size_t text_from = 0;
	int rc = -1;

	for (size_t i = 0; i <= c->ntags; i++) {
		const char *dedent = depth ? stack[depth - 1].dedent : NULL;
		size_t dedent_len = depth ? stack[depth - 1].dedent_len : 0;
		if (i == c->ntags) {
			add_text(c, text_from, c->len, dedent_len);
			break;
		}
		struct tag *t = &c->tags[i];
		add_text(c, text_from, t->cut_before, dedent_len);
		text_from = t->cut_after;
		struct node *n;
		switch (t->kind) {
		case '!':
		case '=':
			continue;
		case '/': {
			struct open_container *o = &stack[--depth];
			c->nodes[o->node].end = c->nnodes;
			continue;
		}
		default:
			n = add_node(c, node_type_of(t->kind), t->start);
			break;
		}
		n->dynamic = t->dynamic;
		n->standalone = t->standalone;
		size_t node_index = c->nnodes - 1;
		if (parse_name(c, t, &n->name) < 0)
			goto out;
		if (t->standalone && (t->kind == '>' || t->kind == '<')) {
			size_t from = skip_indent(s, t->line_start, t->start,
						  dedent_len);
			n->text = s + from;
			n->len = c->trim ? 0 : t->start - from;
		}
		if ((t->kind == '>' || t->kind == '<') && !t->dynamic) {
			n->target = cache_entry(c->t->cache, n->name.text,
						n->name.len);
		}
		if (!is_opener(t->kind))
			continue;

		ALLOC_GROW(stack, depth + 1, stack_alloc);
		struct open_container *o = &stack[depth++];
		o->node = node_index;
		o->dedent = dedent;
		o->dedent_len = dedent_len;
		if (t->kind == '$' && t->standalone) {
			const struct tag *closer = &c->tags[t->match];
			size_t to = closer->cut_before;
			const char *indent;
			size_t len = t->cut_after < to
				? common_indent(s, t->cut_after, to, &indent)
				: SIZE_MAX;
			if (len == SIZE_MAX) {
				/* Nothing inside: the tag's own indentation. */
				indent = s + t->line_start;
				len = t->start - t->line_start;
			}
			size_t skip = 0;
			while (skip < dedent_len && skip < len &&
			       is_space(indent[skip]))
				skip++;
			n->text = indent + skip;
			n->len = c->trim ? 0 : len - skip;
			o->dedent = indent;
			o->dedent_len = len;
		}
	}
	rc = 0;
out:
	free(stack);
	return rc;
}

static int compile_template(struct mustache_template *t, struct err *e)
{
	struct compiler c = { 0 };
	c.t = t;
	c.arena = &t->cache->arena;
	c.s = t->src.text;
	c.len = t->src.len;
	c.trim = t->cache->options & MUSTACHE_TRIM_INDENT;
	c.e = e;
	int rc = -1;
	if (c.len > MUSTACHE_MAX_TEMPLATE_BYTES) {
		err_path(e, ERR_ERROR, t->src.path,
			 "template is %zu bytes, over the limit of %u bytes",
			 c.len, MUSTACHE_MAX_TEMPLATE_BYTES);
		goto out;
	}
	if (scan_tags(&c) < 0)
		goto out;
	mark_standalone(&c);
	if (build_nodes(&c) < 0)
		goto out;
	t->count = c.nnodes;
	t->nodes = arena_alloc_array(c.arena, c.nnodes ? c.nnodes : 1,
				     sizeof(*t->nodes));
	if (c.nnodes)
		memcpy(t->nodes, c.nodes, c.nnodes * sizeof(*t->nodes));
	t->state = TEMPLATE_READY;
	rc = 0;
out:
	free(c.tags);
	free(c.nodes);
	if (rc < 0)
		t->state = TEMPLATE_FAILED;
	return rc;
}

/* ---- the cache ------------------------------------------------------ */

static void cache_grow(struct mustache_cache *cache)
{
	size_t size = cache->table_size ? cache->table_size * 2 : 16;
	struct mustache_template **table = xcalloc(size, sizeof(*table));
	for (size_t i = 0; i < cache->table_size; i++) {
		struct mustache_template *t = cache->table[i], *next;
		for (; t; t = next) {
			next = t->hash_next;
			size_t slot = util_hash_bytes(t->name, t->name_len) & (size - 1);
			t->hash_next = table[slot];
			table[slot] = t;
		}
	}
	free(cache->table);
	cache->table = table;
	cache->table_size = size;
}

/* The entry for `name`, created (and queued for loading) if new. */
static struct mustache_template *cache_entry(struct mustache_cache *cache,
					     const char *name, size_t len)
{
	if (cache->table_size) {
		size_t slot = util_hash_bytes(name, len) & (cache->table_size - 1);
		for (struct mustache_template *t = cache->table[slot]; t;
		     t = t->hash_next)
			if (t->name_len == len && memcmp(t->name, name, len) == 0)
				return t;
	}
	if (cache->table_count + 1 > cache->table_size / 2)
		cache_grow(cache);
	struct mustache_template *t = arena_alloc(&cache->arena, sizeof(*t));
	t->cache = cache;
	t->name = arena_strndup(&cache->arena, name, len);
	t->name_len = len;
	t->state = TEMPLATE_UNLOADED;
	size_t slot = util_hash_bytes(name, len) & (cache->table_size - 1);
	t->hash_next = cache->table[slot];
	cache->table[slot] = t;
	cache->table_count++;
	t->work_next = cache->work;
	cache->work = t;
	return t;
}

/* Load and compile every template named so far. On failure the rest stay
 * queued, to be tried again by the next compile. */
static int cache_drain(struct mustache_cache *cache, struct err *e)
{
	while (cache->work) {
		struct mustache_template *t = cache->work;
		cache->work = t->work_next;
		t->work_next = NULL;
		if (t->state != TEMPLATE_UNLOADED)
			continue;
		int found = 1;
		if (cache->has_loader)
			found = cache->loader.load(cache->loader.data, t->name,
						   &cache->arena, &t->src, e);
		if (found < 0) {
			t->state = TEMPLATE_FAILED;
			return -1;
		}
		if (found > 0) {
			t->state = TEMPLATE_MISSING;
			continue;
		}
		if (compile_template(t, e) < 0)
			return -1;
	}
	return 0;
}

struct mustache_cache *mustache_cache_new(const struct mustache_loader *loader)
{
	struct mustache_cache *cache = xcalloc(1, sizeof(*cache));
	pthread_mutex_init(&cache->lock, NULL);
	arena_init(&cache->arena);
	if (loader) {
		cache->loader = *loader;
		cache->has_loader = true;
	}
	return cache;
}

void mustache_cache_set_options(struct mustache_cache *cache, unsigned options)
{
	cache->options = options;
}

void mustache_cache_free(struct mustache_cache *cache)
{
	if (!cache)
		return;
	arena_release(&cache->arena);
	free(cache->table);
	pthread_mutex_destroy(&cache->lock);
	free(cache);
}

int mustache_compile(struct mustache_cache *cache, const struct source *src,
		     const struct mustache_template **out, struct err *e)
{
	if (src->text && src->len > MUSTACHE_MAX_TEMPLATE_BYTES) {
		err_path(e, ERR_ERROR, src->path ? src->path : "-",
			 "template is %zu bytes, over the limit of %u bytes",
			 src->len, MUSTACHE_MAX_TEMPLATE_BYTES);
		return -1;
	}
	struct mustache_template *t = arena_alloc(&cache->arena, sizeof(*t));
	t->cache = cache;
	t->src.path = arena_strdup(&cache->arena, src->path ? src->path : "-");
	t->src.text = arena_strndup(&cache->arena, src->text ? src->text : "",
				    src->text ? src->len : 0);
	t->src.len = src->text ? src->len : 0;
	if (compile_template(t, e) < 0 || cache_drain(cache, e) < 0)
		return -1;
	*out = t;
	return 0;
}

static int get_locked(struct mustache_cache *cache, const char *name,
		      const struct mustache_template **out, struct err *e);

int mustache_get(struct mustache_cache *cache, const char *name,
		 const struct mustache_template **out, struct err *e)
{
	pthread_mutex_lock(&cache->lock);
	int rc = get_locked(cache, name, out, e);
	pthread_mutex_unlock(&cache->lock);
	return rc;
}

static int get_locked(struct mustache_cache *cache, const char *name,
		      const struct mustache_template **out, struct err *e)
{
	struct mustache_template *t = cache_entry(cache, name, strlen(name));
	if (t->state == TEMPLATE_UNLOADED && cache_drain(cache, e) < 0)
		return -1;
	switch (t->state) {
	case TEMPLATE_READY:
		*out = t;
		return 0;
	case TEMPLATE_MISSING:
		return 1;
	case TEMPLATE_FAILED:
		if (!e->msg)
			err_path(e, ERR_ERROR, t->src.path ? t->src.path : name,
				 "template '%s' failed to compile earlier", name);
		return -1;
	case TEMPLATE_UNLOADED:
		break;
	}
	BUG("template still unloaded after draining the cache");
}

const struct source *mustache_template_source(const struct mustache_template *t)
{
	return &t->src;
}

/* ---- loaders -------------------------------------------------------- */

/* Names a directory loader accepts: relative, no "..", plain characters. */
static bool safe_name(const char *name)
{
	if (!*name || name[0] == '/')
		return false;
	for (const char *p = name; *p; p++) {
		char ch = *p;
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
			  ch == '.' || ch == '/';
		if (!ok)
			return false;
		if (ch == '.' && p[1] == '.')
			return false;
	}
	return true;
}

int mustache_load_dir(const void *data, const char *name, struct arena *a,
		      struct source *src, struct err *e)
{
	const char *dir = data;
	if (!safe_name(name))
		return 1;
	char *path = arena_printf(a, "%s/%s.mustache", dir, name);
	struct stat st;
	if (stat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR))
		return 1;
	return source_read_file(a, path, MUSTACHE_MAX_TEMPLATE_BYTES, src, e) < 0
		? -1 : 0;
}

int mustache_load_map(const void *data, const char *name, struct arena *a,
		      struct source *src, struct err *e)
{
	(void)e;
	const struct value *text = value_get(data, name);
	if (!text || text->type != VALUE_STRING)
		return 1;
	src->path = arena_strdup(a, name);
	src->text = arena_strndup(a, text->str, text->len);
	src->len = text->len;
	return 0;
}

/* ---- rendering ------------------------------------------------------ */

struct context {
	const struct value *value;
	const struct context *up;
};

/* Indentation of a standalone partial or block, outermost last. */
struct indent {
	const char *text;
	size_t len;
	const struct indent *up;
};

/* The block arguments of the parents being rendered, innermost first. */
struct overrides {
	const struct mustache_template *t;
	const struct node *parent;
	const struct overrides *up;
};

struct frame {
	const struct mustache_template *t;
	const struct context *ctx;
	const struct indent *indent;
	const struct overrides *overrides;
};

struct render {
	struct buf *out;
	struct err *e;
	bool at_line_start; /* the next template output starts a line */
	unsigned depth, partial_depth;
	size_t start;       /* out->len when rendering began */
};

static int render_nodes(struct render *r, const struct frame *f, size_t from,
			size_t to);

static int render_error(struct render *r, const struct mustache_template *t,
			const struct node *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int render_error(struct render *r, const struct mustache_template *t,
			const struct node *n, const char *fmt, ...)
{
	unsigned line, col;
	source_position(&t->src, n->offset, &line, &col);
	va_list ap;
	va_start(ap, fmt);
	err_vat(r->e, ERR_ERROR, &t->src, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

static const struct value *lookup(const struct context *ctx,
				  const struct name *n)
{
	if (n->count == 0)
		return ctx ? ctx->value : NULL;
	const struct value *v = NULL;
	for (; ctx && !v; ctx = ctx->up)
		v = data_get(ctx->value, n->parts[0].text, n->parts[0].len,
			     &n->parts[0].hint);
	for (size_t i = 1; v && i < n->count; i++)
		v = data_get(v, n->parts[i].text, n->parts[i].len,
			     &n->parts[i].hint);
	return v;
}

static void emit_indent(struct render *r, const struct indent *indent)
{
	if (!indent)
		return;
	emit_indent(r, indent->up);
	emit(r->out, indent->text, indent->len);
}

/* Template text: indented at the start of each non-blank line. */
static void emit_text(struct render *r, const struct frame *f,
		      const struct node *text)
{
	const char *s = text->text;
	size_t len = text->len;
	if (!f->indent || !text->newline) {
		if (r->at_line_start && f->indent)
			emit_indent(r, f->indent);
		emit(r->out, s, len);
		r->at_line_start = text->newline && s[len - 1] == '\n';
		return;
	}
	while (len) {
		const char *nl = memchr(s, '\n', len);
		size_t n = nl ? (size_t)(nl - s) + 1 : len;
		if (r->at_line_start &&
		    !(nl && (n == 1 || (n == 2 && s[0] == '\r'))))
			emit_indent(r, f->indent);
		emit(r->out, s, n);
		r->at_line_start = nl != NULL;
		s += n;
		len -= n;
	}
}

/* Run a body one level deeper, or stop at the render depth limit. */
static int descend(struct render *r, const struct frame *f,
		   const struct mustache_template *via_t, const struct node *via,
		   size_t from, size_t to)
{
	if (r->depth >= MUSTACHE_MAX_RENDER_DEPTH)
		return render_error(r, via_t, via,
				    "templates nest more than %d levels deep while rendering",
				    MUSTACHE_MAX_RENDER_DEPTH);
	r->depth++;
	int rc = render_nodes(r, f, from, to);
	r->depth--;
	return rc;
}

/* The template a partial or parent tag names, or NULL if none. */
static int resolve(struct render *r, const struct frame *f, const struct node *n,
		   const struct mustache_template **out)
{
	*out = NULL;
	if (!n->dynamic) {
		if (n->target->state == TEMPLATE_READY)
			*out = n->target;
		return 0;
	}
	const struct value *v = lookup(f->ctx, &n->name);
	if (!v || v->type != VALUE_STRING)
		return 0;
	const char *name = v->str;
	struct mustache_cache *cache = f->t->cache;
	struct err inner = ERR_INIT;
	int rc = mustache_get(cache, name, out, &inner);
	if (rc < 0) {
		/* Report at the tag, with the partial's own problem. */
		render_error(r, f->t, n, "partial '%s' (from '%s'): %s", name,
			     n->name.text, inner.msg ? inner.msg : "cannot load");
		err_release(&inner);
		return -1;
	}
	if (rc > 0)
		*out = NULL;
	return 0;
}

static bool is_container(const struct node *n)
{
	return n->type == NODE_SECTION || n->type == NODE_INVERTED ||
	       n->type == NODE_PARENT || n->type == NODE_BLOCK;
}

/* The outermost argument for block `b` among the parents being rendered. */
static void find_override(const struct overrides *o, const struct node *b,
			  const struct mustache_template **t, size_t *from,
			  size_t *to)
{
	for (; o; o = o->up) {
		const struct node *nodes = o->t->nodes;
		size_t j = (size_t)(o->parent - nodes) + 1;
		while (j < o->parent->end) {
			const struct node *c = &nodes[j];
			if (c->type == NODE_BLOCK && c->name.len == b->name.len &&
			    memcmp(c->name.text, b->name.text, b->name.len) == 0) {
				*t = o->t;
				*from = j + 1;
				*to = c->end;
				break;
			}
			j = is_container(c) ? c->end : j + 1;
		}
	}
}

/*
 * The indentation inside a standalone partial, parent or block: the tag's
 * own leading whitespace (kept in `storage`) on top of the enclosing one.
 */
static const struct indent *standalone_indent(struct indent *storage,
					      const struct node *n,
					      const struct indent *up)
{
	if (!n->len)
		return up;
	storage->text = n->text;
	storage->len = n->len;
	storage->up = up;
	return storage;
}

static int render_partial(struct render *r, const struct frame *f,
			  const struct node *n)
{
	const struct mustache_template *target;
	if (resolve(r, f, n, &target) < 0)
		return -1;
	if (!target)
		return 0;
	if (r->partial_depth >= MUSTACHE_MAX_PARTIAL_DEPTH)
		return render_error(r, f->t, n,
				    "%s '%s' nested more than %d deep; does it include itself without end?",
				    n->type == NODE_PARENT ? "parent" : "partial",
				    target->name, MUSTACHE_MAX_PARTIAL_DEPTH);
	struct frame sub = { target, f->ctx, NULL, f->overrides };
	struct indent indent;
	struct overrides args;
	if (n->standalone) {
		sub.indent = standalone_indent(&indent, n, f->indent);
		r->at_line_start = true;
	} else if (r->at_line_start) {
		emit_indent(r, f->indent);
		r->at_line_start = false;
	}
	if (n->type == NODE_PARENT) {
		args.t = f->t;
		args.parent = n;
		args.up = f->overrides;
		sub.overrides = &args;
	}
	r->partial_depth++;
	int rc = descend(r, &sub, f->t, n, 0, target->count);
	r->partial_depth--;
	return rc;
}

static int render_block(struct render *r, const struct frame *f,
			const struct node *n)
{
	const struct mustache_template *t = f->t;
	size_t from = (size_t)(n - t->nodes) + 1, to = n->end;
	find_override(f->overrides, n, &t, &from, &to);
	struct frame sub = *f;
	struct indent indent;
	sub.t = t;
	if (n->standalone) {
		sub.indent = standalone_indent(&indent, n, f->indent);
		r->at_line_start = true;
	}
	return descend(r, &sub, f->t, n, from, to);
}

static int render_nodes(struct render *r, const struct frame *f, size_t from,
			size_t to)
{
	const struct node *nodes = f->t->nodes;
	size_t i = from;
	while (i < to) {
		const struct node *n = &nodes[i];
		/*
		 * Checked before every node, so the output passes the limit by
		 * at most one node's text or value (both bounded by the input
		 * limits), however the sections multiply.
		 */
		if (r->out->len - r->start > MUSTACHE_MAX_RENDER_BYTES)
			return render_error(r, f->t, n,
					    "rendered output is over the limit of %u bytes "
					    "(sections repeating inside each other?)",
					    MUSTACHE_MAX_RENDER_BYTES);
		switch (n->type) {
		case NODE_TEXT:
			emit_text(r, f, n);
			i++;
			continue;
		case NODE_VAR:
		case NODE_RAW:
			if (r->at_line_start) {
				emit_indent(r, f->indent);
				r->at_line_start = false;
			}
			data_print(r->out, lookup(f->ctx, &n->name),
				   n->type == NODE_VAR);
			i++;
			continue;
		case NODE_SECTION: {
			const struct value *v = lookup(f->ctx, &n->name);
			if (!data_truthy(v))
				break;
			struct context ctx = { v, f->ctx };
			struct frame sub = *f;
			sub.ctx = &ctx;
			if (!data_is_list(v)) {
				if (descend(r, &sub, f->t, n, i + 1, n->end) < 0)
					return -1;
				break;
			}
			for (size_t k = 0; k < v->count; k++) {
				ctx.value = v->items[k];
				if (descend(r, &sub, f->t, n, i + 1, n->end) < 0)
					return -1;
			}
			break;
		}
		case NODE_INVERTED:
			if (!data_truthy(lookup(f->ctx, &n->name)) &&
			    descend(r, f, f->t, n, i + 1, n->end) < 0)
				return -1;
			break;
		case NODE_PARTIAL:
			if (render_partial(r, f, n) < 0)
				return -1;
			i++;
			continue;
		case NODE_PARENT:
			if (render_partial(r, f, n) < 0)
				return -1;
			break;
		case NODE_BLOCK:
			if (render_block(r, f, n) < 0)
				return -1;
			break;
		}
		i = n->end;
	}
	return 0;
}

int mustache_render(const struct mustache_template *t, const struct value *data,
		    struct buf *out, struct err *e)
{
	struct render r = { out, e, true, 0, 0, out->len };
	struct context root = { data, NULL };
	struct frame f = { t, &root, NULL, NULL };
	return render_nodes(&r, &f, 0, t->count);
}
