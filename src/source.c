/*
 * source: reading a content file whole, bounded, and finding positions in
 * it.
 */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
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
	struct buf b = BUF_INIT;
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			err_path(e, ERR_ERROR, path, "cannot read: %s", strerror(saved));
			buf_release(&b);
			goto fail;
		}
		if (n == 0)
			break;
		buf_add(&b, chunk, (size_t)n);
		if (b.len > max_bytes) {
			err_path(e, ERR_ERROR, path,
				 "file is over the limit of %zu bytes", max_bytes);
			buf_release(&b);
			goto fail;
		}
	}
	close(fd);
	src->path = arena_strdup(a, path);
	src->text = arena_strndup(a, b.data, b.len);
	src->len = b.len;
	buf_release(&b);
	return 0;
fail:
	close(fd);
	errno = saved;
	return -1;
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

