/*
 * source: a file's text, kept whole for the run so every error can quote
 * the line it is about, and the one way content files are read.
 *
 * A source is plain data: the path and the bytes live wherever whoever
 * filled it put them (source_read_file() puts them in the run's arena), and
 * a struct source is never freed on its own.
 */
#ifndef YARDSTICK_SOURCE_H
#define YARDSTICK_SOURCE_H

#include <stddef.h>

struct arena;
struct err;
struct source_lines;

struct source {
	const char *path;
	const char *text; /* may be NULL when the file could not be read */
	size_t len;
	/* Positions found once: see source_index(). NULL means none, and
	 * positions are then found by scanning from the start. */
	struct source_lines *lines;
};

/*
 * Read the whole file at `path` into `*src`: path and text are copied into
 * the arena, the text NUL-terminated (it may contain NUL bytes of its own;
 * `len` counts the file's bytes). The file is opened and closed here.
 *
 * Returns 0, or -1 with `e` filled (for the path, no line) when the file
 * cannot be opened or read, is not a regular file (a directory, FIFO,
 * socket or device), or is larger than `max_bytes`; `*src` is then left as
 * it was and nothing is put in the arena. On failure errno is the system's
 * error when opening or reading failed (an I/O problem: exit 3), and 0 when
 * the file was refused for what it is (a content problem). The file is
 * opened with O_NONBLOCK, so a FIFO never blocks the run. The size is
 * checked before reading and again while reading, so a file that grows
 * stops at `max_bytes`.
 */
int source_read_file(struct arena *a, const char *path, size_t max_bytes,
		     struct source *src, struct err *e);

/*
 * Drop `src`'s text and index (len 0), keeping its path: for a file whose
 * text is about to be freed while places still name it. Problems reported
 * at it afterwards quote no line.
 */
void source_forget_text(struct source *src);

/*
 * Convert a byte offset in `src` into a 1-based line and character column
 * (UTF-8 code points; an invalid byte counts as one). An offset past the
 * end is the end.
 */
void source_position(const struct source *src, size_t offset, unsigned *line,
		     unsigned *col);

/*
 * Give `src` a position index in the arena, so that source_position() and
 * source_offset() cost O(log n) plus a bounded scan instead of a walk from
 * the start of the file: what makes thousands of problems in one big file
 * cheap. The index is built on first use (when a problem is reported), as
 * a position every SOURCE_INDEX_STEP bytes, so it is small (8,192 entries
 * for 32 MiB) and the first use costs one pass over the file.
 * source_read_file() indexes what it reads.
 */
enum { SOURCE_INDEX_STEP = 4096 };
void source_index(struct arena *a, struct source *src);

/*
 * The byte offset of 1-based line `line`, character column `col` (0 is the
 * start of the line) in `src`. A column past the end of the line is the end
 * of the line (its '\n', or the end of the file); `*col_found` receives
 * the column that offset has. Returns 0, or -1 when the file has no such
 * line.
 */
int source_offset(const struct source *src, unsigned line, unsigned col,
		  size_t *offset, unsigned *col_found);

#endif
