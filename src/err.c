#include "err.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

/* How many bytes ERR_LINE_WINDOW characters can take in UTF-8. */
enum { WINDOW_BYTES = 4 * ERR_LINE_WINDOW + 4 };

/* Characters in [from, to) of `t`; an invalid byte counts as one. */
static size_t count_chars(const char *t, size_t from, size_t to)
{
	size_t n = 0;
	while (from < to) {
		size_t k = util_utf8_length((const unsigned char *)t + from,
					    to - from);
		from += k ? k : 1;
		n++;
	}
	return n;
}

/* The byte `chars` characters after `from`. */
static size_t skip_chars(const char *t, size_t from, size_t to, size_t chars)
{
	while (from < to && chars-- > 0) {
		size_t k = util_utf8_length((const unsigned char *)t + from,
					    to - from);
		from += k ? k : 1;
	}
	return from;
}

static bool is_continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

/*
 * Keep the part of line `line` that err_print() shows: the whole line, or
 * for a line over ERR_LINE_WINDOW characters a window around `col`. Only
 * WINDOW_BYTES either side of the column are read, so this costs the same
 * on any line; the window is the one the whole line would give.
 */
static void take_excerpt(struct err *e, const struct source *src,
			 unsigned line, unsigned col)
{
	size_t at;
	unsigned found;
	if (!src || !src->text || line == 0 ||
	    source_offset(src, line, col, &at, &found) != 0)
		return;
	const char *t = src->text;
	size_t c = col ? found - 1 : 0; /* characters before `at` on the line */

	size_t from = at;
	while (from > 0 && t[from - 1] != '\n' && at - from < WINDOW_BYTES)
		from--;
	bool line_start = from == 0 || t[from - 1] == '\n';
	if (!line_start) /* a byte that is not a continuation starts a character */
		while (from < at && is_continuation(t[from]))
			from++;
	size_t to = at;
	while (to < src->len && t[to] != '\n' && to - at < WINDOW_BYTES)
		to++;
	bool line_end = to == src->len || t[to] == '\n';
	if (line_end && to > from && t[to - 1] == '\r')
		to--;
	else if (!line_end)
		while (to > at && is_continuation(t[to]))
			to--;
	if (at > to) { /* the column was past the '\r' of a "\r\n" */
		at = to;
		c = c ? c - 1 : 0;
	}

	size_t before = count_chars(t, from, at);
	size_t after = count_chars(t, at, to);
	size_t base = c - before; /* the character index `from` has */
	size_t total = c + after; /* the line's length, when line_end */
	size_t first = 0, last = total;
	if (!line_end || total > ERR_LINE_WINDOW) {
		first = c > ERR_LINE_WINDOW / 2 ? c - ERR_LINE_WINDOW / 2 : 0;
		last = first + ERR_LINE_WINDOW;
		if (line_end && last > total) {
			last = total;
			first = total - ERR_LINE_WINDOW;
		}
	}
	size_t begin = skip_chars(t, from, to, first - base);
	size_t stop = skip_chars(t, begin, to, last - first);
	e->excerpt = xstrndup(t + begin, stop - begin);
	/* A NUL byte would end the excerpt early; show it as '?'. */
	for (size_t i = 0; i < stop - begin; i++)
		if (e->excerpt[i] == '\0')
			e->excerpt[i] = '\x01';
	e->cut = (first > 0 ? ERR_CUT_BEFORE : 0) |
		 (!line_end || last < total ? ERR_CUT_AFTER : 0);
	e->caret = col ? (unsigned)((c < last ? c : last) - first) : 0;
}

void err_release(struct err *e)
{
	free(e->path);
	free(e->msg);
	free(e->excerpt);
	struct err empty = ERR_INIT;
	*e = empty;
}

void err_vat(struct err *e, enum err_level level, const struct source *src,
	     unsigned line, unsigned col, const char *fmt, va_list ap)
{
	struct buf msg = BUF_INIT;
	buf_vaddf(&msg, fmt, ap);
	err_release(e);
	e->level = level;
	e->path = src && src->path ? xstrdup(src->path) : NULL;
	e->line = line;
	e->col = line ? col : 0;
	e->msg = buf_detach(&msg, NULL);
	e->kind = strcmp(fmt, "%s") == 0 ? NULL : fmt;
	take_excerpt(e, src, line, e->col);
}

void err_at(struct err *e, enum err_level level, const struct source *src,
	    unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vat(e, level, src, line, col, fmt, ap);
	va_end(ap);
}

void err_path(struct err *e, enum err_level level, const char *path,
	      const char *fmt, ...)
{
	struct source src = { path, NULL, 0, NULL };
	va_list ap;
	va_start(ap, fmt);
	err_vat(e, level, &src, 0, 0, fmt, ap);
	va_end(ap);
}

/*
 * Write the excerpt safely to `out`: invalid UTF-8 and control characters
 * become '?', tabs are kept so the caret lines up, and where the line was
 * cut there is "...". `caret` receives the padding that puts a caret under
 * the column (tabs where the line has tabs).
 */
static void quote_excerpt(const struct err *e, struct buf *out,
			  struct buf *caret)
{
	const unsigned char *s = (const unsigned char *)e->excerpt;
	size_t len = strlen(e->excerpt);
	if (e->cut & ERR_CUT_BEFORE) {
		buf_adds(out, "...");
		buf_adds(caret, "   ");
	}
	size_t cp = 0;
	for (size_t i = 0; i < len; cp++) {
		size_t n = util_utf8_length(s + i, len - i);
		int bad = n == 0 || (n == 1 && s[i] < 0x20 && s[i] != '\t') ||
			  s[i] == 0x7F;
		if (bad)
			buf_addch(out, '?');
		else
			buf_add(out, s + i, n);
		if (cp < e->caret)
			buf_addch(caret, s[i] == '\t' ? '\t' : ' ');
		i += n ? n : 1;
	}
	if (e->cut & ERR_CUT_AFTER)
		buf_adds(out, "...");
}

void err_print(const struct err *e, FILE *out)
{
	struct buf b = BUF_INIT;
	if (e->path) {
		buf_adds(&b, e->path);
		if (e->line) {
			buf_addf(&b, ":%u", e->line);
			if (e->col)
				buf_addf(&b, ":%u", e->col);
		}
		buf_adds(&b, ": ");
	} else {
		buf_adds(&b, "yardstick: ");
	}
	buf_adds(&b, e->level == ERR_ERROR ? "error: " : "warning: ");
	buf_adds(&b, e->msg ? e->msg : "");
	buf_addch(&b, '\n');
	if (e->excerpt) {
		struct buf caret = BUF_INIT;
		quote_excerpt(e, &b, &caret);
		buf_addch(&b, '\n');
		if (e->col) {
			buf_add(&b, caret.data, caret.len);
			buf_adds(&b, "^\n");
		}
		buf_release(&caret);
	}
	fwrite(b.data, 1, b.len, out);
	buf_release(&b);
}

/* Problems of one kind in one file. */
struct errlist_group {
	char *path;       /* owned; NULL marks a free slot */
	char *kind;       /* owned: the format, or the message */
	enum err_level level;
	size_t count;     /* problems of the kind in the file so far */
	size_t summary;   /* index of the summary problem, once there is one */
};

static uint64_t group_hash(const char *path, const char *kind,
			   enum err_level level)
{
	return util_hash_string(path) * 31 + util_hash_string(kind) * 7 + level;
}

static struct errlist_group *group_find(struct errlist *list, const char *path,
					const char *kind, enum err_level level)
{
	if (!list->group_cap)
		return NULL;
	size_t mask = list->group_cap - 1;
	for (size_t i = group_hash(path, kind, level) & mask;
	     list->groups[i].path; i = (i + 1) & mask) {
		struct errlist_group *g = &list->groups[i];
		if (g->level == level && strcmp(g->path, path) == 0 &&
		    strcmp(g->kind, kind) == 0)
			return g;
	}
	return NULL;
}

/* The group for `e`, added when new. */
static struct errlist_group *group_of(struct errlist *list,
				      const struct err *e)
{
	const char *kind = e->kind ? e->kind : e->msg;
	struct errlist_group *g = group_find(list, e->path, kind, e->level);
	if (g)
		return g;
	if ((list->group_count + 1) * 2 > list->group_cap) {
		struct errlist_group *old = list->groups;
		size_t old_cap = list->group_cap;
		list->group_cap = old_cap ? old_cap * 2 : 64;
		list->groups = xcalloc(list->group_cap, sizeof(*list->groups));
		size_t mask = list->group_cap - 1;
		for (size_t i = 0; i < old_cap; i++) {
			if (!old[i].path)
				continue;
			size_t j = group_hash(old[i].path, old[i].kind,
					      old[i].level) & mask;
			while (list->groups[j].path)
				j = (j + 1) & mask;
			list->groups[j] = old[i];
		}
		free(old);
	}
	size_t mask = list->group_cap - 1;
	size_t i = group_hash(e->path, kind, e->level) & mask;
	while (list->groups[i].path)
		i = (i + 1) & mask;
	g = &list->groups[i];
	g->path = xstrdup(e->path);
	g->kind = xstrdup(kind);
	g->level = e->level;
	g->count = 0;
	g->summary = SIZE_MAX;
	list->group_count++;
	return g;
}

/* "12345" as "12,345". */
static void add_count(struct buf *b, size_t n)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%zu", n);
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_addch(b, ',');
		buf_addch(b, digits[i]);
	}
}

/* The summary's message: the kind's format with "..." for each value. */
static char *summary_message(const struct errlist_group *g, size_t more)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "and ");
	add_count(&b, more);
	buf_addf(&b, " more %s like \"", g->level == ERR_ERROR ?
		 (more == 1 ? "error" : "errors") :
		 (more == 1 ? "warning" : "warnings"));
	for (const char *k = g->kind; *k; k++) {
		if (*k != '%' || k[1] == '\0') {
			buf_addch(&b, *k);
			continue;
		}
		if (k[1] == '%') {
			buf_addch(&b, '%');
			k++;
			continue;
		}
		/* flags, width, precision and length up to the conversion */
		k++;
		while (*k && !strchr("diouxXeEfFgGaAcsp", *k))
			k++;
		buf_adds(&b, "...");
		if (!*k)
			break;
	}
	buf_adds(&b, "\" in this file");
	return buf_detach(&b, NULL);
}

void errlist_add(struct errlist *list, struct err *e)
{
	if (e->level == ERR_ERROR)
		list->errors++;
	else
		list->warnings++;
	struct errlist_group *g = e->path ? group_of(list, e) : NULL;
	if (g && ++g->count > ERRLIST_KIND_CAP) {
		if (g->summary == SIZE_MAX) {
			struct err summary = ERR_INIT;
			summary.level = e->level;
			summary.path = xstrdup(e->path);
			summary.kind = g->kind; /* the group's, for errlist_sort() */
			g->summary = list->count;
			ALLOC_GROW(list->items, list->count + 1, list->alloc);
			summary.order = list->count;
			list->items[list->count++] = summary;
		}
		struct err *s = &list->items[g->summary];
		s->more++;
		free(s->msg);
		s->msg = summary_message(g, s->more);
		err_release(e);
		return;
	}
	ALLOC_GROW(list->items, list->count + 1, list->alloc);
	e->order = list->count;
	list->items[list->count++] = *e;
	struct err empty = ERR_INIT;
	*e = empty;
}

void errlist_at(struct errlist *list, enum err_level level,
		const struct source *src, unsigned line, unsigned col,
		const char *fmt, ...)
{
	struct err e = ERR_INIT;
	va_list ap;
	va_start(ap, fmt);
	err_vat(&e, level, src, line, col, fmt, ap);
	va_end(ap);
	errlist_add(list, &e);
}

void errlist_path(struct errlist *list, enum err_level level,
		  const char *path, const char *fmt, ...)
{
	struct err e = ERR_INIT;
	struct source src = { path, NULL, 0, NULL };
	va_list ap;
	va_start(ap, fmt);
	err_vat(&e, level, &src, 0, 0, fmt, ap);
	va_end(ap);
	errlist_add(list, &e);
}

static int compare_errors(const void *a, const void *b)
{
	const struct err *x = a, *y = b;
	if (!x->path != !y->path)
		return x->path ? 1 : -1;
	int c = x->path ? strcmp(x->path, y->path) : 0;
	if (c)
		return c;
	if (!x->more != !y->more)
		return x->more ? 1 : -1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

void errlist_sort(struct errlist *list)
{
	if (list->count)
		qsort(list->items, list->count, sizeof(*list->items),
		      compare_errors);
	/* The summaries have moved: tell their groups where to. */
	for (size_t i = 0; i < list->count; i++) {
		const struct err *s = &list->items[i];
		if (s->more)
			group_find(list, s->path, s->kind, s->level)->summary = i;
	}
}

void errlist_print(const struct errlist *list, FILE *out)
{
	for (size_t i = 0; i < list->count; i++)
		err_print(&list->items[i], out);
}

void errlist_release(struct errlist *list)
{
	for (size_t i = 0; i < list->count; i++)
		err_release(&list->items[i]);
	free(list->items);
	for (size_t i = 0; i < list->group_cap; i++) {
		free(list->groups[i].path);
		free(list->groups[i].kind);
	}
	free(list->groups);
	struct errlist empty = ERRLIST_INIT;
	*list = empty;
}
