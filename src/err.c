#include "err.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

/* Quoted lines longer than this are shown as a window around the column. */
enum { ERR_LINE_WINDOW = 120 };

static char *copy_line(const struct source *src, unsigned line)
{
	if (!src || !src->text || line == 0)
		return NULL;
	const char *p = src->text, *end = src->text + src->len;
	for (unsigned l = 1; l < line; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return NULL;
		p = nl + 1;
	}
	const char *eol = memchr(p, '\n', (size_t)(end - p));
	if (!eol)
		eol = end;
	if (eol > p && eol[-1] == '\r')
		eol--;
	char *copy = xstrndup(p, (size_t)(eol - p));
	/* A NUL byte would end the quoted line early; show it as '?'. */
	for (size_t i = 0; i < (size_t)(eol - p); i++)
		if (copy[i] == '\0')
			copy[i] = '\x01';
	return copy;
}

void err_release(struct err *e)
{
	free(e->path);
	free(e->msg);
	free(e->source_line);
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
	e->source_line = copy_line(src, line);
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
	struct source src = { path, NULL, 0 };
	va_list ap;
	va_start(ap, fmt);
	err_vat(e, level, &src, 0, 0, fmt, ap);
	va_end(ap);
}

/*
 * Write the quoted line safely to `out`: invalid UTF-8 and control
 * characters become '?', tabs are kept so the caret lines up, and a long
 * line is cut to a window around `col` marked with "...". `caret` receives
 * the padding that puts a caret under `col` (tabs where the line has tabs).
 */
static void quote_line(const char *line, unsigned col, struct buf *out,
		       struct buf *caret)
{
	const unsigned char *s = (const unsigned char *)line;
	size_t len = strlen(line);
	size_t total = 0;
	for (size_t i = 0; i < len; total++) {
		size_t n = util_utf8_length(s + i, len - i);
		i += n ? n : 1;
	}
	size_t from = 0, to = total;
	if (total > ERR_LINE_WINDOW) {
		size_t c = col ? col - 1 : 0;
		from = c > ERR_LINE_WINDOW / 2 ? c - ERR_LINE_WINDOW / 2 : 0;
		to = from + ERR_LINE_WINDOW;
		if (to > total) {
			to = total;
			from = total - ERR_LINE_WINDOW;
		}
	}
	if (from > 0) {
		buf_adds(out, "...");
		buf_adds(caret, "   ");
	}
	size_t cp = 0;
	for (size_t i = 0; i < len && cp < to; cp++) {
		size_t n = util_utf8_length(s + i, len - i);
		int bad = n == 0 || (n == 1 && s[i] < 0x20 && s[i] != '\t') ||
			  s[i] == 0x7F;
		if (cp >= from) {
			if (bad)
				buf_addch(out, '?');
			else
				buf_add(out, s + i, n);
			if (col && cp < col - 1)
				buf_addch(caret, s[i] == '\t' ? '\t' : ' ');
		}
		i += n ? n : 1;
	}
	if (to < total)
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
	if (e->source_line) {
		struct buf caret = BUF_INIT;
		quote_line(e->source_line, e->col, &b, &caret);
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

void errlist_add(struct errlist *list, struct err *e)
{
	ALLOC_GROW(list->items, list->count + 1, list->alloc);
	e->order = list->count;
	list->items[list->count++] = *e;
	if (e->level == ERR_ERROR)
		list->errors++;
	else
		list->warnings++;
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
	struct source src = { path, NULL, 0 };
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
	struct errlist empty = ERRLIST_INIT;
	*list = empty;
}
