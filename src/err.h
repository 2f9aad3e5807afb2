/*
 * err: problems in the user's files, with the place they were found.
 *
 * A `struct err` is filled where a problem is found and printed once, as
 *
 *     path:line:col: error: message
 *     the source line
 *         ^
 *
 * Lines and columns are 1-based; columns count characters (UTF-8 code
 * points), which is what an editor shows. A line of 0 means "the whole
 * file", a column of 0 "the whole line"; neither prints a caret.
 *
 * An `errlist` collects every problem of a run so `yardstick check` can
 * report all of them, not just the first.
 */
#ifndef YARDSTICK_ERR_H
#define YARDSTICK_ERR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "source.h"

enum err_level { ERR_ERROR, ERR_WARNING };

struct err {
	enum err_level level;
	char *path;        /* owned; NULL when no file is involved */
	unsigned line;     /* 1-based, 0 when unknown */
	unsigned col;      /* 1-based, 0 when unknown */
	char *msg;         /* owned */
	char *source_line; /* owned copy of the quoted line, or NULL */
	size_t order;      /* position in its errlist, for a stable sort */
};

#define ERR_INIT { ERR_ERROR, NULL, 0, 0, NULL, NULL, 0 }

/*
 * Fill `e` (releasing what it held) for a problem at line:col of `src`.
 * `src` may be NULL for problems that are not in a file.
 */
void err_at(struct err *e, enum err_level level, const struct source *src,
	    unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void err_vat(struct err *e, enum err_level level, const struct source *src,
	     unsigned line, unsigned col, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));
/* A problem with a whole file or a path, e.g. one that cannot be read. */
void err_path(struct err *e, enum err_level level, const char *path,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void err_release(struct err *e);

/* Print as described above. Invalid UTF-8 and control bytes in the quoted
 * line are shown as '?'; very long lines are cut around the column. */
void err_print(const struct err *e, FILE *out);

struct errlist {
	struct err *items;
	size_t count, alloc;
	size_t errors, warnings;
};

#define ERRLIST_INIT { NULL, 0, 0, 0, 0 }

/* Take over the contents of `e` (which is left empty). */
void errlist_add(struct errlist *list, struct err *e);
void errlist_at(struct errlist *list, enum err_level level,
		const struct source *src, unsigned line, unsigned col,
		const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void errlist_path(struct errlist *list, enum err_level level,
		  const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Order by file, then line and column; problems without a file first,
 * and the order found where all of that is equal. */
void errlist_sort(struct errlist *list);
void errlist_print(const struct errlist *list, FILE *out);
void errlist_release(struct errlist *list);

#endif
