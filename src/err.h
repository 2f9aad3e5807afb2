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
 * A problem keeps its own excerpt of the line: at most ERR_LINE_WINDOW
 * characters around the column (cut lines are marked with "..."), so a
 * problem costs the same on a 1 MB line as on a short one. The line is found
 * through the source's position index (source_index()), not by reading the
 * file from the start.
 *
 * An `errlist` collects every problem of a run so `yardstick check` can
 * report all of them, not just the first. A flood is summarised: after
 * ERRLIST_KIND_CAP problems of one kind (the same level and message format)
 * in one file, the rest are counted in one summary problem for the file,
 * "and 19,950 more warnings like "..." in this file". The error and
 * warning counts still count every problem.
 */
#ifndef YARDSTICK_ERR_H
#define YARDSTICK_ERR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "source.h"

enum err_level { ERR_ERROR, ERR_WARNING };

/* Characters of a long line shown around the column. */
enum { ERR_LINE_WINDOW = 120 };

/* Where the excerpt of the line was cut. */
enum { ERR_CUT_BEFORE = 1, ERR_CUT_AFTER = 2 };

struct err {
	enum err_level level;
	char *path;        /* owned; NULL when no file is involved */
	unsigned line;     /* 1-based, 0 when unknown */
	unsigned col;      /* 1-based, 0 when unknown */
	char *msg;         /* owned */
	char *excerpt;     /* owned: the part of the line shown, or NULL */
	unsigned caret;    /* characters of the excerpt before the caret */
	unsigned cut;      /* ERR_CUT_* */
	/* The message's format (a string literal, as -Wformat=2 makes every
	 * caller's), which says what kind of problem it is; NULL when the
	 * format says nothing ("%s"), and the message is the kind. */
	const char *kind;
	size_t more;       /* > 0: a summary of this many further problems */
	size_t order;      /* position in its errlist, for a stable sort */
};

#define ERR_INIT { ERR_ERROR, NULL, 0, 0, NULL, NULL, 0, 0, NULL, 0, 0 }

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
 * line are shown as '?'; lines longer than ERR_LINE_WINDOW characters are
 * cut to a window around the column, marked with "...". */
void err_print(const struct err *e, FILE *out);

/* Problems of one kind shown per file before the rest are summarised. */
enum { ERRLIST_KIND_CAP = 100 };

struct errlist_group;

struct errlist {
	struct err *items;
	size_t count, alloc;
	size_t errors, warnings; /* every problem, summarised ones included */
	/* problems per file and kind: a hash table of groups */
	struct errlist_group *groups;
	size_t group_count, group_cap;
};

#define ERRLIST_INIT { NULL, 0, 0, 0, 0, NULL, 0, 0 }

/* Take over the contents of `e` (which is left empty). Past
 * ERRLIST_KIND_CAP problems of its kind in its file, `e` is released and
 * counted in the file's summary for the kind. */
void errlist_add(struct errlist *list, struct err *e);
void errlist_at(struct errlist *list, enum err_level level,
		const struct source *src, unsigned line, unsigned col,
		const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void errlist_path(struct errlist *list, enum err_level level,
		  const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Order by file, then line and column; problems without a file first,
 * a file's summaries after its problems, and the order found where all of
 * that is equal. */
void errlist_sort(struct errlist *list);
void errlist_print(const struct errlist *list, FILE *out);
void errlist_release(struct errlist *list);

#endif
