/*
 * source: reading a content file whole, bounded, and finding positions in
 * it.
 */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "err.h"
#include "util.h"

int source_read_file(struct arena *a, const char *path, size_t max_bytes,
		     struct source *src, struct err *e)
{
	/*
	 * O_NONBLOCK so that opening a FIFO (or a device) returns at once
	 * instead of waiting for a writer; such files are then refused.
	 */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int saved = errno;
		err_path(e, ERR_ERROR, path, "cannot open: %s", strerror(saved));
		errno = saved;
		return -1;
	}
	struct stat st;
	int saved = 0;
	if (fstat(fd, &st) != 0) {
		saved = errno;
		err_path(e, ERR_ERROR, path, "cannot read: %s", strerror(saved));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		err_path(e, ERR_ERROR, path, "is a directory, not a file");
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		err_path(e, ERR_ERROR, path,
			 "is not a regular file (a FIFO, socket or device); "
			 "only regular files are read");
		goto fail;
	}
	if ((unsigned long long)st.st_size > max_bytes) {
		err_path(e, ERR_ERROR, path,
			 "file is %lld bytes, over the limit of %zu bytes",
			 (long long)st.st_size, max_bytes);
		goto fail;
	}
	/* Room for the size fstat gave and one byte more, so that a file
	 * that keeps its size is read in one call and its end seen in the
	 * next; one that grows meanwhile gets more room, up to the limit. */
	size_t cap = (size_t)st.st_size + 1, len = 0;
	char *data = xmalloc(cap);
	for (;;) {
		if (len == cap) {
			cap = cap > max_bytes / 2 ? max_bytes + 1 : cap * 2;
			data = xrealloc(data, cap);
		}
		ssize_t n = read(fd, data + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			err_path(e, ERR_ERROR, path, "cannot read: %s", strerror(saved));
			free(data);
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max_bytes) {
			err_path(e, ERR_ERROR, path,
				 "file is over the limit of %zu bytes", max_bytes);
			free(data);
			goto fail;
		}
	}
	close(fd);
	src->path = arena_strdup(a, path);
	src->text = arena_strndup(a, data, len);
	src->len = len;
	source_index(a, src);
	free(data);
	return 0;
fail:
	close(fd);
	errno = saved;
	return -1;
}

/* A known position: the character that starts at byte `offset`. */
struct checkpoint {
	size_t offset;
	unsigned line, col;
};

struct source_lines {
	struct arena *arena;
	bool built;
	struct checkpoint *at; /* ascending; at[0] is the start of the file */
	size_t count;
};

void source_index(struct arena *a, struct source *src)
{
	struct source_lines *lines = arena_alloc(a, sizeof(*lines));
	lines->arena = a;
	lines->built = false;
	lines->at = NULL;
	lines->count = 0;
	src->lines = lines;
}

/* Step one character from `*p`: a newline starts the next line, anything
 * else (an invalid byte counts as one character) the next column. */
static void step(const struct source *src, struct checkpoint *p)
{
	const unsigned char *t = (const unsigned char *)src->text;
	if (t[p->offset] == '\n') {
		p->line++;
		p->col = 1;
		p->offset++;
		return;
	}
	size_t n = util_utf8_length(t + p->offset, src->len - p->offset);
	p->offset += n ? n : 1;
	p->col++;
}

/* The checkpoints, built on first use. */
static const struct source_lines *lines_of(const struct source *src)
{
	struct source_lines *lines = src->lines;
	if (!lines || !src->text)
		return NULL;
	if (lines->built)
		return lines;
	size_t cap = src->len / SOURCE_INDEX_STEP + 2;
	lines->at = arena_alloc_array(lines->arena, cap, sizeof(*lines->at));
	struct checkpoint p = { 0, 1, 1 };
	lines->at[lines->count++] = p;
	size_t last = 0;
	while (p.offset < src->len) {
		step(src, &p);
		if (p.offset - last >= SOURCE_INDEX_STEP && p.offset < src->len) {
			if (lines->count == cap)
				BUG("source index overflow");
			lines->at[lines->count++] = p;
			last = p.offset;
		}
	}
	lines->built = true;
	return lines;
}

/* The last checkpoint at or before `offset`, or the start of the file. */
static struct checkpoint start_for_offset(const struct source *src,
					  size_t offset)
{
	struct checkpoint start = { 0, 1, 1 };
	const struct source_lines *lines = lines_of(src);
	if (!lines)
		return start;
	size_t lo = 0, hi = lines->count; /* at[lo].offset <= offset */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (lines->at[mid].offset <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return lines->at[lo];
}

/* The last checkpoint at or before line:col, or the start of the file. */
static struct checkpoint start_for_place(const struct source *src,
					 unsigned line, unsigned col)
{
	struct checkpoint start = { 0, 1, 1 };
	const struct source_lines *lines = lines_of(src);
	if (!lines)
		return start;
	size_t lo = 0, hi = lines->count;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		const struct checkpoint *m = &lines->at[mid];
		if (m->line < line || (m->line == line && m->col <= col))
			lo = mid;
		else
			hi = mid;
	}
	return lines->at[lo];
}

void source_position(const struct source *src, size_t offset, unsigned *line,
		     unsigned *col)
{
	if (offset > src->len)
		offset = src->len;
	struct checkpoint p = start_for_offset(src, offset);
	while (p.offset < offset)
		step(src, &p);
	*line = p.line;
	*col = p.col;
}

int source_offset(const struct source *src, unsigned line, unsigned col,
		  size_t *offset, unsigned *col_found)
{
	if (!src->text || line == 0)
		return -1;
	if (col == 0)
		col = 1;
	struct checkpoint p = start_for_place(src, line, col);
	while (p.offset < src->len && p.line < line)
		step(src, &p);
	if (p.line < line)
		return -1;
	while (p.offset < src->len && p.col < col && src->text[p.offset] != '\n')
		step(src, &p);
	*offset = p.offset;
	*col_found = p.col;
	return 0;
}

void source_forget_text(struct source *src)
{
	src->text = NULL;
	src->len = 0;
	src->lines = NULL;
}
