/*
 * source: reading a content file whole, bounded, and finding positions in
 * it.
 */
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "util.h"

int source_read_file(struct arena *a, const char *path, size_t max_bytes,
		     struct source *src, struct err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		err_path(e, ERR_ERROR, path, "cannot open: %s", strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		err_path(e, ERR_ERROR, path, "is a directory, not a file");
		fclose(f);
		return -1;
	}
	if (fstat(fileno(f), &st) == 0 && (size_t)st.st_size > max_bytes) {
		err_path(e, ERR_ERROR, path,
			 "file is %lld bytes, over the limit of %zu bytes",
			 (long long)st.st_size, max_bytes);
		fclose(f);
		return -1;
	}
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	int rc = 0;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf_add(&b, chunk, n);
		if (b.len > max_bytes) {
			err_path(e, ERR_ERROR, path,
				 "file is over the limit of %zu bytes",
				 max_bytes);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		err_path(e, ERR_ERROR, path, "cannot read: %s", strerror(errno));
		rc = -1;
	}
	fclose(f);
	if (rc == 0) {
		src->path = arena_strdup(a, path);
		src->text = arena_strndup(a, b.data, b.len);
		src->len = b.len;
	}
	buf_release(&b);
	return rc;
}

void source_position(const struct source *src, size_t offset, unsigned *line,
		     unsigned *col)
{
	unsigned l = 1, c = 1;
	const unsigned char *t = (const unsigned char *)src->text;
	if (offset > src->len)
		offset = src->len;
	for (size_t i = 0; i < offset;) {
		if (t[i] == '\n') {
			l++;
			c = 1;
			i++;
			continue;
		}
		size_t n = util_utf8_length(t + i, src->len - i);
		i += n ? n : 1;
		c++;
	}
	*line = l;
	*col = c;
}

