/*
 * query: parse a catalog search into a tree once, match it many times.
 *
 * The parser is a recursive descent over the text with no separate token
 * list: OR of ANDs of (possibly negated) terms and groups. Each term knows
 * its field (a known model field, a tag key, or a dotted path into the raw
 * document) and its value, which is precompiled into lowercase pieces
 * between `*` wildcards. Matching walks the tree and the entity without
 * allocating; explaining re-walks it to find the terms that decided the
 * result and describes what the entity has for their fields.
 *
 * Matching is ASCII case-insensitive and linear: a pattern is its pieces
 * found left-most in turn (which is exact for `*`, the only wildcard), each
 * with a linear-time search, so one value costs O(value + pattern). What
 * one match may read of one entity is bounded too (QUERY_MAX_WORK), since
 * aliases can make a document's values add up to much more than the file.
 * docs/queries.md is the reference.
 */
#include "query.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"

enum field {
	FIELD_KIND,
	FIELD_NAME,
	FIELD_NAMESPACE,
	FIELD_OWNER,
	FIELD_TIER,
	FIELD_LIFECYCLE,
	FIELD_TYPE,
	FIELD_LANGUAGE,
	FIELD_SYSTEM,
	FIELD_DESCRIPTION,
	FIELD_LINK,
	FIELD_CONTACT,
	FIELD_INTEGRATION,
	FIELD_TAG,
	FIELD_DEPENDENCY,
	FIELD_TAG_KEY, /* an unknown single-word key: `env:prod` */
	FIELD_PATH,    /* a dotted key: a walk through the raw document */
};

/* The names a user reaches for first; anything else is a tag key or a path. */
static const struct field_name {
	const char *name;
	enum field field;
} field_names[] = {
	{ "kind", FIELD_KIND },
	{ "name", FIELD_NAME },
	{ "namespace", FIELD_NAMESPACE },
	{ "team", FIELD_OWNER },
	{ "owner", FIELD_OWNER },
	{ "tier", FIELD_TIER },
	{ "lifecycle", FIELD_LIFECYCLE },
	{ "type", FIELD_TYPE },
	{ "language", FIELD_LANGUAGE },
	{ "languages", FIELD_LANGUAGE },
	{ "application", FIELD_SYSTEM },
	{ "system", FIELD_SYSTEM },
	{ "description", FIELD_DESCRIPTION },
	{ "link", FIELD_LINK },
	{ "links", FIELD_LINK },
	{ "contact", FIELD_CONTACT },
	{ "contacts", FIELD_CONTACT },
	{ "integration", FIELD_INTEGRATION },
	{ "integrations", FIELD_INTEGRATION },
	{ "tag", FIELD_TAG },
	{ "tags", FIELD_TAG },
	{ "dependency", FIELD_DEPENDENCY },
	{ "dependencies", FIELD_DEPENDENCY },
	{ "dependson", FIELD_DEPENDENCY },
};

/* How list-like fields are described by query_explain(). */
static const struct field_words {
	const char *noun;   /* "no <noun> runbook" */
	const char *plural; /* "(<plural>: doc, repo)", "no <plural>" */
} field_words[] = {
	[FIELD_LANGUAGE] = { "language", "languages" },
	[FIELD_LINK] = { "link of type", "links" },
	[FIELD_CONTACT] = { "contact of type", "contacts" },
	[FIELD_INTEGRATION] = { "integration", "integrations" },
	[FIELD_TAG] = { "tag", "tags" },
	[FIELD_DEPENDENCY] = { "dependency", "dependencies" },
};

enum op { OP_MATCH, OP_PRESENT, OP_LT, OP_LE, OP_GT, OP_GE };

/*
 * A stretch of lowercase literal text between two wildcards. A piece
 * between two wildcards is searched for with Knuth-Morris-Pratt: `next[i]`
 * is the length of the longest proper prefix of s[0..i] that is also its
 * suffix, so a search never steps back in the text.
 */
struct piece {
	const char *s;
	size_t len;
	const unsigned *next; /* middle pieces only */
};

struct term {
	enum field field;
	enum op op;
	const char *key;  /* as written, for explanations */
	const char *lkey; /* lowercase: the tag key or the path */
	size_t key_len;
	const char *value; /* as written, escapes resolved, for explanations */
	struct piece *pieces; /* OP_MATCH: pieces[0] * pieces[1] * ... */
	size_t piece_count;
	double number; /* comparisons */
	/* tier and lifecycle values without wildcards, recognised like the
	 * catalog's (`tier:critical` is tier 1, `lifecycle:prod` production);
	 * -1 when not recognised */
	int recognised;
};

enum node_type { NODE_ALL, NODE_TERM, NODE_NOT, NODE_AND, NODE_OR };

struct node {
	enum node_type type;
	struct node **kids; /* NOT: one; AND, OR: two or more */
	size_t count;
	struct term term;
};

struct query {
	const char *text;
	struct node *root;
};

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static int compare_nocase(const char *a, const char *b)
{
	while (*a && lower((unsigned char)*a) == lower((unsigned char)*b))
		a++, b++;
	return lower((unsigned char)*a) - lower((unsigned char)*b);
}

/* `pattern` is lowercase already. */
static bool equal_nocase(const char *pattern, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)pattern[i] != lower((unsigned char)s[i]))
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                            */
/* ------------------------------------------------------------------ */

struct parser {
	struct arena *arena;
	const char *text;
	size_t len, pos;
	unsigned depth;
	struct query_error *error;
	bool failed;
};

enum token {
	TOKEN_END,
	TOKEN_OPEN,
	TOKEN_CLOSE,
	TOKEN_AND,
	TOKEN_OR,
	TOKEN_NOT,
	TOKEN_MINUS,
	TOKEN_WORD,
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* Where a term's word ends: whitespace, a parenthesis, or the end. */
static bool is_delimiter(const struct parser *p, size_t pos)
{
	return pos >= p->len || is_space(p->text[pos]) || p->text[pos] == '(' ||
	       p->text[pos] == ')';
}

/* 1-based column of a byte offset, counting UTF-8 characters. */
static unsigned column(const struct parser *p, size_t pos)
{
	unsigned col = 1;
	for (size_t i = 0; i < pos && i < p->len; i++)
		if (((unsigned char)p->text[i] & 0xC0) != 0x80)
			col++;
	return col;
}

static void fail(struct parser *p, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct parser *p, size_t pos, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = true;
	p->error->col = column(p, pos);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->error->msg, sizeof(p->error->msg), fmt, ap);
	va_end(ap);
}

static void skip_space(struct parser *p)
{
	while (p->pos < p->len && is_space(p->text[p->pos]))
		p->pos++;
}

static bool keyword_at(const struct parser *p, const char *word)
{
	size_t n = strlen(word);
	return p->len - p->pos >= n && memcmp(p->text + p->pos, word, n) == 0 &&
	       is_delimiter(p, p->pos + n);
}

/* The next token, after whitespace; p->pos is left at its start. */
static enum token peek(struct parser *p)
{
	skip_space(p);
	if (p->pos >= p->len)
		return TOKEN_END;
	switch (p->text[p->pos]) {
	case '(': return TOKEN_OPEN;
	case ')': return TOKEN_CLOSE;
	case '-': return TOKEN_MINUS;
	}
	if (keyword_at(p, "AND"))
		return TOKEN_AND;
	if (keyword_at(p, "OR"))
		return TOKEN_OR;
	if (keyword_at(p, "NOT"))
		return TOKEN_NOT;
	return TOKEN_WORD;
}

static struct node *new_node(struct parser *p, enum node_type type)
{
	struct node *n = arena_alloc(p->arena, sizeof(*n));
	n->type = type;
	n->term.recognised = -1;
	return n;
}

static struct node *new_not(struct parser *p, struct node *kid)
{
	struct node *n = new_node(p, NODE_NOT);
	n->kids = arena_alloc(p->arena, sizeof(*n->kids));
	n->kids[0] = kid;
	n->count = 1;
	return n;
}

/* Append to an AND or OR node's children, doubling in the arena. */
static void add_kid(struct parser *p, struct node *n, struct node *kid,
		    size_t *alloc)
{
	if (n->count == *alloc) {
		size_t grow = *alloc ? *alloc * 2 : 4;
		struct node **kids =
			arena_alloc_array(p->arena, grow, sizeof(*kids));
		if (n->count)
			memcpy(kids, n->kids, n->count * sizeof(*kids));
		n->kids = kids;
		*alloc = grow;
	}
	n->kids[n->count++] = kid;
}

/* -?digits(.digits)? exactly, into *out. */
static bool parse_number(const char *s, size_t len, double *out)
{
	size_t i = 0;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	size_t digits = i;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == digits || i - digits > 30)
		return false;
	if (i < len && s[i] == '.') {
		size_t frac = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == frac || i - frac > 30)
			return false;
	}
	if (i != len)
		return false;
	char copy[72];
	memcpy(copy, s, len);
	copy[len] = '\0';
	*out = strtod(copy, NULL);
	return true;
}

static const unsigned *kmp_table(struct arena *a, const struct piece *piece)
{
	unsigned *next = arena_alloc_array(a, piece->len ? piece->len : 1,
					   sizeof(*next));
	unsigned k = 0;
	for (size_t i = 1; i < piece->len; i++) {
		while (k > 0 && piece->s[i] != piece->s[k])
			k = next[k - 1];
		if (piece->s[i] == piece->s[k])
			k++;
		next[i] = k;
	}
	return next;
}

/*
 * The value of a term, from `start` to `end` (quotes stripped, escapes
 * still in): split at unescaped `*` into lowercase pieces, and keep the
 * text as written with escapes resolved.
 */
static void compile_value(struct parser *p, struct term *t, size_t start,
			  size_t end)
{
	const char *s = p->text + start;
	size_t len = end - start;
	char *written = arena_alloc(p->arena, len + 1);
	char *folded = arena_alloc(p->arena, len + 1);
	size_t stars = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '*')
			stars++;
	}
	t->pieces = arena_alloc_array(p->arena, stars + 1, sizeof(*t->pieces));
	t->piece_count = 1;
	size_t n = 0;
	struct piece *piece = &t->pieces[0];
	piece->s = folded;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool escaped = c == '\\';
		if (escaped)
			c = s[++i];
		written[n] = c;
		if (c == '*' && !escaped) {
			piece->len = (size_t)(folded + n - piece->s);
			piece = &t->pieces[t->piece_count++];
			folded[n] = '\0';
			n++;
			piece->s = folded + n;
			continue;
		}
		folded[n++] = (char)lower((unsigned char)c);
	}
	piece->len = (size_t)(folded + n - piece->s);
	written[n] = '\0';
	t->value = written;
	t->op = OP_MATCH;
	/* A value of nothing but wildcards: present and non-empty. */
	bool all_stars = t->piece_count > 1;
	for (size_t i = 0; i < t->piece_count; i++)
		all_stars = all_stars && t->pieces[i].len == 0;
	if (all_stars)
		t->op = OP_PRESENT;
	size_t chars = 0;
	for (size_t i = 0; i < n; i++)
		chars += ((unsigned char)written[i] & 0xC0) != 0x80;
	if (t->piece_count > 1 && chars > QUERY_MAX_PATTERN) {
		fail(p, start, "a value with '*' may be at most %d characters "
		     "long; this one has %zu", QUERY_MAX_PATTERN, chars);
		return;
	}
	for (size_t i = 1; i + 1 < t->piece_count; i++)
		t->pieces[i].next = kmp_table(p->arena, &t->pieces[i]);
}

static enum field field_of(const char *lkey)
{
	for (size_t i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (strcmp(lkey, field_names[i].name) == 0)
			return field_names[i].field;
	return strchr(lkey, '.') ? FIELD_PATH : FIELD_TAG_KEY;
}

/* A word that is not key:value, quoted back in the message. */
static void fail_not_a_term(struct parser *p, size_t start)
{
	size_t end = start;
	while (!is_delimiter(p, end))
		end++;
	int shown = end - start > 40 ? 40 : (int)(end - start);
	const char *word = p->text + start;
	const char *hint = "";
	if ((size_t)shown == end - start) {
		if (shown == 3 && strncmp(word, "and", 3) == 0)
			hint = " (operators are uppercase: AND)";
		else if (shown == 2 && strncmp(word, "or", 2) == 0)
			hint = " (operators are uppercase: OR)";
		else if (shown == 3 && strncmp(word, "not", 3) == 0)
			hint = " (operators are uppercase: NOT)";
	}
	fail(p, start, "expected key:value, found '%.*s'%s", shown, word, hint);
}

/*
 * The key before ':', into `key` (room for the rest of the text): dotted
 * steps, each plain or in double quotes. A quoted step is one mapping key
 * as written, dots, slashes and colons included
 * (`metadata.annotations."github.com/project-slug"`). Returns the offset
 * just after the key, or SIZE_MAX after failing.
 */
static size_t scan_key(struct parser *p, size_t start, char *key, size_t *len)
{
	size_t i = start, n = 0;
	bool step_start = true;
	for (;;) {
		char c = i < p->len ? p->text[i] : '\0';
		if (c == '"' && step_start) {
			size_t close = i + 1;
			while (close < p->len && p->text[close] != '"')
				close++;
			if (close >= p->len) {
				fail(p, i, "unterminated quote in the key");
				return SIZE_MAX;
			}
			if (close == i + 1) {
				fail(p, i, "empty step in the path");
				return SIZE_MAX;
			}
			memcpy(key + n, p->text + i + 1, close - i - 1);
			n += close - i - 1;
			i = close + 1;
			if (i < p->len && p->text[i] != '.' && p->text[i] != ':') {
				fail(p, i, "expected '.' or ':' after a quoted key");
				return SIZE_MAX;
			}
			step_start = false;
			continue;
		}
		if (is_delimiter(p, i) || c == ':' || c == '"')
			break;
		step_start = c == '.';
		key[n++] = c;
		i++;
	}
	key[n] = '\0';
	*len = n;
	return i;
}

static struct node *parse_term(struct parser *p)
{
	size_t start = p->pos, key_len = 0;
	char *key = arena_alloc(p->arena, p->len - start + 1);
	size_t colon = scan_key(p, start, key, &key_len);
	if (colon == SIZE_MAX)
		return NULL;
	if (colon >= p->len || p->text[colon] != ':') {
		fail_not_a_term(p, start);
		return NULL;
	}
	if (colon == start) {
		fail(p, start, "expected a key before ':'");
		return NULL;
	}
	size_t pos = colon + 1;
	if (strcmp(key, "*") == 0) {
		if (p->len - pos >= 1 && p->text[pos] == '*' &&
		    is_delimiter(p, pos + 1)) {
			p->pos = pos + 1;
			return new_node(p, NODE_ALL);
		}
		fail(p, start, "'*' as a key only works in '*:*'");
		return NULL;
	}
	const char *star = strchr(key, '*');
	if (star) {
		fail(p, start + (size_t)(star - key), "a key cannot have wildcards");
		return NULL;
	}
	char *lkey = catalog_lower(p->arena, key);
	/* Unquoted, the key is the text as written, so a position in one is
	 * a position in the other. */
	bool quoted = memchr(p->text + start, '"', colon - start) != NULL;
	for (size_t i = 0; !quoted && i < key_len; i++)
		if (lkey[i] == '.' &&
		    (i == 0 || i + 1 == key_len || lkey[i + 1] == '.')) {
			fail(p, start + i, "empty step in the path '%s'", key);
			return NULL;
		}

	struct node *n = new_node(p, NODE_TERM);
	struct term *t = &n->term;
	t->field = field_of(lkey);
	t->key = key;
	t->lkey = lkey;
	t->key_len = key_len;

	if (is_delimiter(p, pos)) {
		fail(p, pos, "expected a value after '%s:'", key);
		return NULL;
	}
	char c = p->text[pos];
	if (c == '<' || c == '>') {
		size_t op_start = pos++;
		bool equal = pos < p->len && p->text[pos] == '=';
		if (equal)
			pos++;
		t->op = c == '<' ? (equal ? OP_LE : OP_LT) : (equal ? OP_GE : OP_GT);
		size_t end = pos;
		while (!is_delimiter(p, end))
			end++;
		if (!parse_number(p->text + pos, end - pos, &t->number)) {
			fail(p, pos, "expected a number after '%.*s'",
			     (int)(pos - op_start), p->text + op_start);
			return NULL;
		}
		t->value = arena_strndup(p->arena, p->text + op_start,
					 end - op_start);
		p->pos = end;
		return n;
	}
	size_t value_start = pos, value_end;
	if (c == '"') {
		size_t quote = pos++;
		while (pos < p->len && p->text[pos] != '"')
			pos += p->text[pos] == '\\' ? 2 : 1;
		if (pos >= p->len) {
			fail(p, quote, "unterminated quote");
			return NULL;
		}
		value_start = quote + 1;
		value_end = pos++;
		if (value_end == value_start) {
			fail(p, quote, "empty value after '%s:'; '-%s:*' finds "
			     "entities without one", key, key);
			return NULL;
		}
		if (!is_delimiter(p, pos)) {
			fail(p, pos, "expected a space or ')' after the closing quote");
			return NULL;
		}
	} else {
		while (!is_delimiter(p, pos)) {
			if (p->text[pos] == '"') {
				fail(p, pos, "a quote can only start a value; "
				     "quote the whole value");
				return NULL;
			}
			if (p->text[pos] == '\\') {
				if (pos + 1 >= p->len) {
					fail(p, pos, "nothing to escape after '\\'");
					return NULL;
				}
				pos++;
			}
			pos++;
		}
		value_end = pos;
	}
	compile_value(p, t, value_start, value_end);
	if (p->failed)
		return NULL;
	if (t->op == OP_MATCH && t->piece_count == 1) {
		if (t->field == FIELD_TIER)
			t->recognised = catalog_parse_tier(t->value); /* or -1 */
		else if (t->field == FIELD_LIFECYCLE &&
			 catalog_parse_lifecycle(t->value) != LIFECYCLE_UNKNOWN)
			t->recognised = (int)catalog_parse_lifecycle(t->value);
	}
	p->pos = pos;
	return n;
}

static struct node *parse_or(struct parser *p, const char *after,
			     size_t after_pos);

static const char *token_name(enum token t)
{
	switch (t) {
	case TOKEN_AND: return "AND";
	case TOKEN_OR: return "OR";
	default: return "?";
	}
}

/*
 * A term, a group or a negation. `after` names what came before ("AND",
 * "'('"), for the message when nothing follows it.
 */
static struct node *parse_unary(struct parser *p, const char *after,
				size_t after_pos)
{
	enum token t = peek(p);
	size_t at = p->pos;
	if (t == TOKEN_NOT || t == TOKEN_MINUS || t == TOKEN_OPEN) {
		if (p->depth >= QUERY_MAX_DEPTH) {
			fail(p, at, "nested deeper than the limit of %d levels",
			     QUERY_MAX_DEPTH);
			return NULL;
		}
	}
	struct node *n = NULL;
	switch (t) {
	case TOKEN_NOT:
	case TOKEN_MINUS:
		p->pos += t == TOKEN_NOT ? 3 : 1;
		if (t == TOKEN_MINUS && is_delimiter(p, p->pos) &&
		    (p->pos >= p->len || p->text[p->pos] != '(')) {
			fail(p, at, "expected key:value right after '-'");
			return NULL;
		}
		p->depth++;
		n = parse_unary(p, t == TOKEN_NOT ? "NOT" : "'-'", at);
		p->depth--;
		return n ? new_not(p, n) : NULL;
	case TOKEN_OPEN:
		p->pos++;
		p->depth++;
		n = parse_or(p, "'('", at);
		p->depth--;
		if (!n)
			return NULL;
		if (peek(p) != TOKEN_CLOSE) {
			fail(p, at, "unclosed '('");
			return NULL;
		}
		p->pos++;
		return n;
	case TOKEN_WORD:
		return parse_term(p);
	case TOKEN_END:
	case TOKEN_CLOSE:
	case TOKEN_AND:
	case TOKEN_OR:
		break;
	}
	if (after)
		fail(p, after_pos, "expected key:value after %s", after);
	else if (t == TOKEN_AND || t == TOKEN_OR)
		fail(p, at, "expected key:value before %s", token_name(t));
	else if (t == TOKEN_CLOSE)
		fail(p, at, "unexpected ')'");
	else
		fail(p, at, "empty query");
	return NULL;
}

static struct node *parse_and(struct parser *p, const char *after,
			      size_t after_pos)
{
	struct node *first = parse_unary(p, after, after_pos);
	if (!first)
		return NULL;
	struct node *and = NULL;
	size_t alloc = 0;
	for (;;) {
		enum token t = peek(p);
		size_t at = p->pos;
		struct node *next;
		if (t == TOKEN_AND) {
			p->pos += 3;
			next = parse_unary(p, "AND", at);
		} else if (t == TOKEN_WORD || t == TOKEN_OPEN ||
			   t == TOKEN_NOT || t == TOKEN_MINUS) {
			next = parse_unary(p, NULL, 0);
		} else {
			break;
		}
		if (!next)
			return NULL;
		if (!and) {
			and = new_node(p, NODE_AND);
			add_kid(p, and, first, &alloc);
		}
		add_kid(p, and, next, &alloc);
	}
	return and ? and : first;
}

static struct node *parse_or(struct parser *p, const char *after,
			     size_t after_pos)
{
	struct node *first = parse_and(p, after, after_pos);
	if (!first)
		return NULL;
	struct node *or = NULL;
	size_t alloc = 0;
	while (peek(p) == TOKEN_OR) {
		size_t at = p->pos;
		p->pos += 2;
		struct node *next = parse_and(p, "OR", at);
		if (!next)
			return NULL;
		if (!or) {
			or = new_node(p, NODE_OR);
			add_kid(p, or, first, &alloc);
		}
		add_kid(p, or, next, &alloc);
	}
	return or ? or : first;
}

struct query *query_parse(struct arena *a, const char *text,
			  struct query_error *error)
{
	struct query_error ignored;
	struct parser p = { a, text, strlen(text), 0, 0,
			    error ? error : &ignored, false };
	if (p.len > QUERY_MAX_LENGTH) {
		fail(&p, 0, "the query is %zu bytes long, over the limit of %d",
		     p.len, QUERY_MAX_LENGTH);
		return NULL;
	}
	struct node *root = parse_or(&p, NULL, 0);
	if (root && peek(&p) != TOKEN_END)
		fail(&p, p.pos, "unexpected ')'");
	if (p.failed)
		return NULL;
	struct query *q = arena_alloc(a, sizeof(*q));
	q->text = arena_strdup(a, text);
	q->root = root;
	return q;
}

const char *query_text(const struct query *q)
{
	return q->text;
}

static bool node_reads_documents(const struct node *n)
{
	if (n->type == NODE_TERM)
		return n->term.field == FIELD_PATH;
	for (size_t i = 0; i < n->count; i++)
		if (node_reads_documents(n->kids[i]))
			return true;
	return false;
}

bool query_reads_documents(const struct query *q)
{
	return q && node_reads_documents(q->root);
}

struct query *query_parse_at(struct arena *a, const char *text,
			     const struct place *at, struct errlist *errors)
{
	struct query_error error;
	struct query *q = query_parse(a, text, &error);
	if (q)
		return q;
	/* Point into the file when the query is written there verbatim on
	 * one line (plain or quoted without escapes); otherwise at the value. */
	const struct source *src = at ? at->src : NULL;
	unsigned line = at ? at->line : 0, col = at ? at->col : 0;
	size_t off;
	unsigned found;
	if (src && src->text && line &&
	    source_offset(src, line, col, &off, &found) == 0) {
		unsigned quote = off < src->len &&
			(src->text[off] == '"' || src->text[off] == '\'');
		size_t len = strlen(text);
		if (!strchr(text, '\n') && src->len - off - quote >= len &&
		    memcmp(src->text + off + quote, text, len) == 0) {
			errlist_at(errors, ERR_ERROR, src, line,
				   col + quote + error.col - 1, "bad query: %s",
				   error.msg);
			return NULL;
		}
	}
	errlist_at(errors, ERR_ERROR, src, line, col,
		   "bad query: %s (at column %u of the query)", error.msg,
		   error.col);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Matching                                                           */
/* ------------------------------------------------------------------ */

/* Where middle piece `p` first occurs in s[from, end), ignoring case, or
 * SIZE_MAX. */
static size_t find_piece(const struct piece *p, const char *s, size_t from,
			 size_t end)
{
	if (p->len == 0)
		return from;
	size_t k = 0;
	for (size_t i = from; i < end; i++) {
		unsigned char c = lower((unsigned char)s[i]);
		while (k > 0 && (unsigned char)p->s[k] != c)
			k = p->next[k - 1];
		if ((unsigned char)p->s[k] == c)
			k++;
		if (k == p->len)
			return i + 1 - p->len;
	}
	return SIZE_MAX;
}

/* Whether `s` matches the wildcard pattern of `t`, ignoring case. */
static bool glob(const struct term *t, const char *s, size_t len)
{
	const struct piece *p = t->pieces;
	size_t k = t->piece_count;
	if (k == 1)
		return p[0].len == len && equal_nocase(p[0].s, s, len);
	if (len < p[0].len || !equal_nocase(p[0].s, s, p[0].len))
		return false;
	size_t at = p[0].len;
	const struct piece *last = &p[k - 1];
	if (len - at < last->len ||
	    !equal_nocase(last->s, s + len - last->len, last->len))
		return false;
	size_t end = len - last->len;
	/* Left-most first is enough: `*` only ever needs more room after. */
	for (size_t i = 1; i + 1 < k; i++) {
		size_t found = find_piece(&p[i], s, at, end);
		if (found == SIZE_MAX)
			return false;
		at = found + p[i].len;
	}
	return true;
}

/* What is left of the bytes one match may read (QUERY_MAX_WORK). */
struct work {
	size_t left;
	bool over;
};

#define WORK_INIT { QUERY_MAX_WORK, false }

/* Take `bytes` from the budget; false (for good) when it runs out. */
static bool spend(struct work *w, size_t bytes)
{
	if (w->over || bytes > w->left) {
		w->over = true;
		w->left = 0;
		return false;
	}
	w->left -= bytes;
	return true;
}

static bool compare(const struct term *t, double x)
{
	switch (t->op) {
	case OP_LT: return x < t->number;
	case OP_LE: return x <= t->number;
	case OP_GT: return x > t->number;
	case OP_GE: return x >= t->number;
	case OP_MATCH:
	case OP_PRESENT: break;
	}
	return false;
}

/* Whether one scalar text the entity has for the field satisfies `t`;
 * false once the budget has run out. */
static bool accepts(const struct term *t, const char *s, size_t len,
		    struct work *w)
{
	double x;
	if (!spend(w, len + 1))
		return false;
	switch (t->op) {
	case OP_PRESENT: return len > 0;
	case OP_MATCH: return glob(t, s, len);
	default: return parse_number(s, len, &x) && compare(t, x);
	}
}

/*
 * The entity's values for a model field, one at a time: `*i` is a cursor
 * that starts at 0. Returns NULL when there are no more. `number` is room
 * for the tier number as text.
 */
static const char *field_next(const struct entity *e, const struct term *t,
			      size_t *i, char number[16])
{
	for (;;) {
		size_t k = (*i)++;
		switch (t->field) {
		case FIELD_KIND: return k == 0 ? e->kind : NULL;
		case FIELD_NAME: return k == 0 ? e->name : NULL;
		case FIELD_NAMESPACE:
			if (k > 0)
				return NULL;
			return e->namespace_ ? e->namespace_ : "default";
		case FIELD_TYPE:
			if (k > 0)
				return NULL;
			if (!e->type)
				continue;
			return e->type;
		case FIELD_SYSTEM:
			if (k > 0)
				return NULL;
			if (!e->system)
				continue;
			return e->system;
		case FIELD_DESCRIPTION:
			if (k > 0)
				return NULL;
			if (!e->description)
				continue;
			return e->description;
		case FIELD_OWNER:
			if (k == 0) {
				if (!e->owner)
					continue;
				return e->owner;
			}
			return k - 1 < e->additional_owner_count ?
				       e->additional_owners[k - 1] : NULL;
		case FIELD_TIER:
			if (k == 0) {
				if (e->tier == TIER_UNKNOWN)
					continue;
				snprintf(number, 16, "%d", e->tier);
				return number;
			}
			if (k == 1) {
				if (!e->tier_text)
					continue;
				return e->tier_text;
			}
			return NULL;
		case FIELD_LIFECYCLE:
			if (k == 0) {
				const char *name = catalog_lifecycle_name(e->lifecycle);
				if (!name)
					continue;
				return name;
			}
			if (k == 1) {
				if (!e->lifecycle_text)
					continue;
				return e->lifecycle_text;
			}
			return NULL;
		case FIELD_LANGUAGE:
			return k < e->language_count ? e->languages[k] : NULL;
		case FIELD_LINK:
			return k < e->link_count ? e->links[k].type : NULL;
		case FIELD_CONTACT:
			return k < e->contact_count ? e->contacts[k].type : NULL;
		case FIELD_INTEGRATION:
			return k < e->integration_count ? e->integrations[k].name
							: NULL;
		case FIELD_TAG:
			return k < e->tag_count ? e->tags[k].text : NULL;
		case FIELD_TAG_KEY:
			if (k >= e->tag_count)
				return NULL;
			if (strcmp(e->tags[k].key, t->lkey) != 0)
				continue;
			return e->tags[k].value;
		case FIELD_DEPENDENCY:
			return k < e->dependency_count ? e->dependencies[k] : NULL;
		case FIELD_PATH:
			return NULL;
		}
		return NULL;
	}
}

/* Called for every leaf a path reaches; true stops the walk. */
typedef bool path_visit(const struct term *t, const struct value *leaf,
			void *context);

/*
 * Walk the rest of the path from byte `pos` of t->lkey. A sequence on the
 * way (or at the end) stands for each of its elements. A mapping key may
 * itself contain dots (`pagerduty.com/service-id`): a key matches when it
 * equals the next one or more steps.
 */
static bool path_walk(const struct term *t, const struct value *v, size_t pos,
		      path_visit *visit, void *context)
{
	if (v->type == VALUE_SEQ) {
		for (size_t i = 0; i < v->count; i++)
			if (path_walk(t, v->items[i], pos, visit, context))
				return true;
		return false;
	}
	if (pos >= t->key_len)
		return visit(t, v, context);
	if (v->type != VALUE_MAP)
		return false;
	size_t rest = t->key_len - pos;
	for (size_t i = 0; i < v->count; i++) {
		const struct value *k = v->pairs[i].key;
		if (!k->str || k->len > rest ||
		    !equal_nocase(t->lkey + pos, k->str, k->len))
			continue;
		size_t next = pos + k->len;
		if (next < t->key_len && t->lkey[next] != '.')
			continue;
		if (path_walk(t, v->pairs[i].val,
			      next < t->key_len ? next + 1 : next, visit,
			      context))
			return true;
	}
	return false;
}

static bool leaf_accepts(const struct term *t, const struct value *v,
			 void *context)
{
	struct work *w = context;
	switch (v->type) {
	case VALUE_NULL:
	case VALUE_SEQ: /* only empty ones get here */
		return false;
	case VALUE_MAP:
		return t->op == OP_PRESENT && v->count > 0;
	case VALUE_NUMBER:
		if (t->op != OP_MATCH && t->op != OP_PRESENT)
			return compare(t, v->num);
		break;
	case VALUE_BOOL:
	case VALUE_STRING:
		break;
	}
	return v->str && accepts(t, v->str, v->len, w);
}

static bool term_match(const struct term *t, const struct entity *e,
		       struct work *w)
{
	if (t->field == FIELD_PATH)
		return e->doc && path_walk(t, e->doc, 0, leaf_accepts, w);
	if (t->field == FIELD_TIER && t->op != OP_MATCH && t->op != OP_PRESENT)
		return e->tier != TIER_UNKNOWN && compare(t, e->tier);
	if (t->recognised >= 0 &&
	    t->recognised == (t->field == FIELD_TIER ? e->tier : (int)e->lifecycle))
		return true;
	char number[16];
	size_t i = 0;
	const char *s;
	while ((s = field_next(e, t, &i, number)))
		if (accepts(t, s, strlen(s), w))
			return true;
	return false;
}

static bool node_match(const struct node *n, const struct entity *e,
		       struct work *w)
{
	switch (n->type) {
	case NODE_ALL: return true;
	case NODE_TERM: return term_match(&n->term, e, w);
	case NODE_NOT: return !node_match(n->kids[0], e, w);
	case NODE_AND:
		for (size_t i = 0; i < n->count; i++)
			if (!node_match(n->kids[i], e, w))
				return false;
		return true;
	case NODE_OR:
		for (size_t i = 0; i < n->count; i++)
			if (node_match(n->kids[i], e, w))
				return true;
		return false;
	}
	return false;
}

/* A match that ran out of budget is no match (a NOT on the way cannot
 * turn values not read into a match). */
static bool match_within(const struct query *q, const struct entity *e,
			 struct work *w)
{
	bool result = node_match(q->root, e, w);
	return result && !w->over;
}

bool query_match(const struct query *q, const struct entity *e)
{
	struct work w = WORK_INIT;
	return match_within(q, e, &w);
}

/* ------------------------------------------------------------------ */
/* Explaining                                                         */
/* ------------------------------------------------------------------ */

enum {
	EXPLAIN_MAX_TERMS = 32,
	EXPLAIN_MAX_VALUES = 5,  /* listed before "+N more" */
	EXPLAIN_MAX_VALUE = 40,  /* characters of one value shown */
	EXPLAIN_MAX_LENGTH = 120,
	EXPLAIN_WORK_FACTOR = 4, /* times QUERY_MAX_WORK */
};

struct collected {
	const struct term *terms[EXPLAIN_MAX_TERMS];
	size_t count;
};

/*
 * The terms that decided the result: for an AND that holds, all of its
 * parts, for one that fails, the failing parts; for an OR that holds, the
 * parts that hold, for one that fails, all of them.
 */
static void collect(const struct node *n, const struct entity *e,
		    struct collected *c, struct work *w)
{
	switch (n->type) {
	case NODE_ALL:
		return;
	case NODE_TERM:
		if (c->count < EXPLAIN_MAX_TERMS)
			c->terms[c->count++] = &n->term;
		return;
	case NODE_NOT:
		collect(n->kids[0], e, c, w);
		return;
	case NODE_AND:
	case NODE_OR: {
		bool result = node_match(n, e, w);
		bool keep_when = n->type == NODE_AND ? false : true;
		for (size_t i = 0; i < n->count; i++)
			if (result != keep_when ||
			    node_match(n->kids[i], e, w) == keep_when)
				collect(n->kids[i], e, c, w);
		return;
	}
	}
}

static bool same_group(const struct term *a, const struct term *b)
{
	if (a->field != b->field)
		return false;
	if (a->field == FIELD_TAG_KEY || a->field == FIELD_PATH)
		return strcmp(a->lkey, b->lkey) == 0;
	return true;
}

/* A value for people: cut when long. */
static void add_value(struct buf *b, const char *s)
{
	size_t chars = 0, i = 0, len = strlen(s);
	for (; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 &&
		    ++chars > EXPLAIN_MAX_VALUE)
			break;
	buf_add(b, s, i);
	if (i < len)
		buf_adds(b, "...");
}

/* A list of the values seen, without repeats, cut after a few. */
struct seen {
	struct buf *out;
	const char *shown[EXPLAIN_MAX_VALUES];
	size_t count, more;
};

static void seen_add(struct seen *s, const char *v)
{
	for (size_t i = 0; i < s->count; i++)
		if (strcmp(s->shown[i], v) == 0)
			return;
	if (s->count == EXPLAIN_MAX_VALUES) {
		s->more++;
		return;
	}
	if (s->count)
		buf_adds(s->out, ", ");
	add_value(s->out, v);
	s->shown[s->count++] = v;
}

static void seen_finish(struct seen *s)
{
	if (s->more)
		buf_addf(s->out, ", +%zu more", s->more);
}

static void add_field_values(struct buf *b, const struct entity *e,
			     const struct term *t)
{
	struct seen seen = { b, { NULL }, 0, 0 };
	char number[16];
	size_t i = 0;
	const char *s;
	while ((s = field_next(e, t, &i, number)))
		seen_add(&seen, t->field == FIELD_TAG_KEY ? e->tags[i - 1].text : s);
	if (!seen.count)
		buf_adds(b, "none");
	seen_finish(&seen);
}

static bool leaf_collect(const struct term *t, const struct value *v,
			 void *context)
{
	(void)t;
	struct seen *seen = context;
	if (v->type == VALUE_MAP)
		seen_add(seen, "{...}");
	else if (v->str && v->type != VALUE_NULL && v->len)
		seen_add(seen, v->str);
	return false;
}

static void explain_path(struct buf *b, const struct entity *e,
			 const struct term *t)
{
	struct buf values = BUF_INIT;
	struct seen seen = { &values, { NULL }, 0, 0 };
	if (e->doc)
		path_walk(t, e->doc, 0, leaf_collect, &seen);
	seen_finish(&seen);
	if (!seen.count)
		buf_addf(b, "no %s", t->key);
	else
		buf_addf(b, "%s %s %s", t->key,
			 seen.count == 1 && !seen.more ? "is" : "has", values.data);
	buf_release(&values);
}

/* Tier and lifecycle: the recognised value, and the text when it differs. */
static void explain_recognised(struct buf *b, const char *label,
			       const char *recognised, const char *text)
{
	if (!text) {
		buf_addf(b, "no %s", label);
		return;
	}
	if (!recognised) {
		buf_addf(b, "%s is \"", label);
		add_value(b, text);
		buf_adds(b, "\" (not recognised)");
		return;
	}
	buf_addf(b, "%s is %s", label, recognised);
	if (compare_nocase(recognised, text) != 0) {
		buf_adds(b, " (\"");
		add_value(b, text);
		buf_adds(b, "\")");
	}
}

/* Known list fields, tag keys: what the entity has, and what was asked. */
static void explain_list(struct buf *b, const struct entity *e,
			 const struct term *const *group, size_t n,
			 struct work *w)
{
	const struct term *t = group[0];
	bool tag_key = t->field == FIELD_TAG_KEY;
	const char *noun = tag_key ? "tag" : field_words[t->field].noun;
	char number[16];
	for (size_t j = 0; j < n; j++) {
		size_t i = 0;
		const char *s;
		while ((s = field_next(e, group[j], &i, number)))
			if (accepts(group[j], s, strlen(s), w)) {
				buf_addf(b, "has %s ", noun);
				add_value(b, tag_key ? e->tags[i - 1].text : s);
				return;
			}
	}
	bool asked = false;
	for (size_t j = 0; j < n; j++) {
		if (group[j]->op == OP_PRESENT)
			continue;
		bool repeated = false;
		for (size_t k = 0; k < j; k++)
			repeated = repeated || (group[k]->op != OP_PRESENT &&
						strcmp(group[k]->value,
						       group[j]->value) == 0);
		if (repeated)
			continue;
		buf_adds(b, asked ? " or " : "no ");
		if (!asked)
			buf_addf(b, "%s ", noun);
		if (tag_key)
			buf_addf(b, "%s:", t->lkey);
		add_value(b, group[j]->value);
		asked = true;
	}
	if (!asked) {
		if (tag_key)
			buf_addf(b, "no %s tag", t->lkey);
		else
			buf_addf(b, "no %s", field_words[t->field].plural);
		return;
	}
	if (tag_key)
		buf_addf(b, " (%s tags: ", t->lkey);
	else
		buf_addf(b, " (%s: ", field_words[t->field].plural);
	add_field_values(b, e, t);
	buf_addch(b, ')');
}

static void explain_group(struct buf *b, const struct entity *e,
			  const struct term *const *group, size_t n,
			  struct work *w)
{
	const struct term *t = group[0];
	char number[16];
	size_t i = 0;
	const char *first = t->field == FIELD_PATH ? NULL :
			    field_next(e, t, &i, number);
	switch (t->field) {
	case FIELD_KIND:
	case FIELD_NAME:
	case FIELD_NAMESPACE:
	case FIELD_TYPE:
	case FIELD_SYSTEM:
		if (!first) {
			buf_addf(b, "no %s", t->lkey);
			return;
		}
		buf_addf(b, "%s is ", t->lkey);
		add_value(b, first);
		return;
	case FIELD_DESCRIPTION:
		buf_adds(b, first ? "has a description" : "no description");
		return;
	case FIELD_OWNER:
		if (!first)
			buf_addf(b, "no %s", t->lkey);
		else if (e->additional_owner_count == 0)
			buf_addf(b, "%s is %s", t->lkey, first);
		else {
			buf_addf(b, "%ss are ", t->lkey);
			add_field_values(b, e, t);
		}
		return;
	case FIELD_TIER:
		if (e->tier != TIER_UNKNOWN)
			snprintf(number, sizeof(number), "%d", e->tier);
		explain_recognised(b, t->lkey,
				   e->tier != TIER_UNKNOWN ? number : NULL,
				   e->tier_text);
		return;
	case FIELD_LIFECYCLE:
		explain_recognised(b, t->lkey,
				   catalog_lifecycle_name(e->lifecycle),
				   e->lifecycle_text);
		return;
	case FIELD_PATH:
		explain_path(b, e, t);
		return;
	case FIELD_LANGUAGE:
	case FIELD_LINK:
	case FIELD_CONTACT:
	case FIELD_INTEGRATION:
	case FIELD_TAG:
	case FIELD_DEPENDENCY:
	case FIELD_TAG_KEY:
		explain_list(b, e, group, n, w);
		return;
	}
}

void query_explain(const struct query *q, const struct entity *e,
		   struct buf *out)
{
	struct work first = WORK_INIT;
	match_within(q, e, &first);
	if (first.over) {
		buf_addf(out, "no match: reading this entity's values went over "
			 "the limit of %d MiB per query", QUERY_MAX_WORK >> 20);
		return;
	}
	/* Explaining matches parts of the query again: room for that. */
	struct work w = { (size_t)QUERY_MAX_WORK * EXPLAIN_WORK_FACTOR, false };
	struct collected c;
	c.count = 0;
	collect(q->root, e, &c, &w);
	struct buf b = BUF_INIT;
	bool done[EXPLAIN_MAX_TERMS] = { false };
	const struct term *group[EXPLAIN_MAX_TERMS];
	for (size_t i = 0; i < c.count; i++) {
		if (done[i])
			continue;
		size_t n = 0;
		for (size_t j = i; j < c.count; j++)
			if (!done[j] && same_group(c.terms[i], c.terms[j])) {
				done[j] = true;
				group[n++] = c.terms[j];
			}
		if (b.len)
			buf_adds(&b, "; ");
		explain_group(&b, e, group, n, &w);
	}
	if (!c.count)
		buf_adds(&b, query_match(q, e) ? "matches every entity"
					       : "matches no entity");
	if (b.len > EXPLAIN_MAX_LENGTH) {
		size_t cut = EXPLAIN_MAX_LENGTH - 3;
		while (cut > 0 && ((unsigned char)b.data[cut] & 0xC0) == 0x80)
			cut--;
		buf_truncate(&b, cut);
		buf_adds(&b, "...");
	}
	buf_add(out, b.data, b.len);
	buf_release(&b);
}
