/*
 * stamp: the digest of a build's inputs and the stamp file (stamp.h).
 *
 * The digest is built piece by piece (util_hash_more) from tagged pieces:
 * every piece starts with a one-letter tag and every text ends with its
 * NUL, so two different sets of inputs cannot run together into the same
 * bytes. A file's bytes go in as their output_hash(), the hash the output
 * manifest already trusts.
 */
#include "stamp.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "output.h"
#include "util.h"

enum {
	STAMP_VERSION = 2,
	STAMP_MAX_DEPTH = 32,          /* folders inside folders walked */
	STAMP_MAX_ENTRIES = 1000000,   /* names walked in all */
	STAMP_MAX_BYTES = 256 << 20,   /* a file hashed by its bytes */
	STAMP_MAX_FILE = 16 << 20,     /* the stamp file, problems included */
};

struct digest {
	uint64_t h;
	size_t entries;
	bool unknown; /* something cannot be told apart: no stamp */
	/* The folders being walked, outermost first: a folder reached again
	 * inside itself (a symbolic link to a parent) is a loop. */
	struct { dev_t dev; ino_t ino; } open[STAMP_MAX_DEPTH + 2];
};

static void add_tag(struct digest *d, char tag)
{
	d->h = util_hash_more(d->h, &tag, 1);
}

static void add_text(struct digest *d, char tag, const char *text)
{
	add_tag(d, tag);
	d->h = util_hash_more(d->h, text, strlen(text) + 1);
}

static void add_number(struct digest *d, char tag, uint64_t n)
{
	add_tag(d, tag);
	d->h = util_hash_more(d->h, &n, sizeof(n));
}

/* A file's identity without its bytes: what changes when it is written. */
static void add_identity(struct digest *d, const struct stat *st)
{
	add_number(d, 'd', (uint64_t)st->st_dev);
	add_number(d, 'i', (uint64_t)st->st_ino);
	add_number(d, 's', (uint64_t)st->st_size);
	add_number(d, 't', (uint64_t)st->st_mtim.tv_sec);
	add_number(d, 'n', (uint64_t)st->st_mtim.tv_nsec);
}

/* A regular file by its bytes (by its identity when it is too large to
 * read whole); an error by its number. */
static void add_file_bytes(struct digest *d, const char *path, const struct stat *st)
{
	if (st->st_size > STAMP_MAX_BYTES) {
		add_identity(d, st);
		return;
	}
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		add_number(d, 'e', (uint64_t)errno);
		return;
	}
	struct buf b = BUF_INIT;
	if (buf_read_fd(&b, fd, STAMP_MAX_BYTES) != 0)
		add_number(d, 'e', (uint64_t)errno);
	close(fd);
	add_number(d, 'b', b.len);
	add_number(d, 'h', output_hash(b.data ? b.data : "", b.len));
	buf_release(&b);
}

static int name_compare(const void *pa, const void *pb)
{
	return strcmp(*(char *const *)pa, *(char *const *)pb);
}

/* One folder's names, sorted; NULL and *count 0 when it cannot be read. */
static char **folder_names(const char *path, size_t *count, int *error)
{
	char **names = NULL;
	size_t alloc = 0;
	*count = 0;
	*error = 0;
	DIR *dir = opendir(path);
	if (!dir) {
		*error = errno;
		return NULL;
	}
	struct dirent *de;
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		ALLOC_GROW(names, *count + 1, alloc);
		names[(*count)++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (*count)
		qsort(names, *count, sizeof(*names), name_compare);
	return names;
}

static void add_tree(struct digest *d, struct arena *a, const char *path,
		     const struct stat *st, int depth);

/* One name in a folder: its kind and what it holds. Symbolic links are
 * followed (the loaders follow some), by their text and their target. */
static void add_entry(struct digest *d, struct arena *a, const char *path, int depth)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		add_number(d, 'e', (uint64_t)errno);
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		add_text(d, 'l', target);
		if (stat(path, &st) != 0) {
			add_number(d, 'e', (uint64_t)errno);
			return;
		}
	}
	if (S_ISDIR(st.st_mode)) {
		add_tag(d, 'D');
		add_tree(d, a, path, &st, depth + 1);
	} else if (S_ISREG(st.st_mode)) {
		add_tag(d, 'F');
		add_file_bytes(d, path, &st);
	} else {
		add_number(d, 'o', (uint64_t)(st.st_mode & S_IFMT));
	}
}

static void add_tree(struct digest *d, struct arena *a, const char *path,
		     const struct stat *st, int depth)
{
	if (depth > STAMP_MAX_DEPTH || d->entries > STAMP_MAX_ENTRIES) {
		d->unknown = true; /* an absurd tree */
		return;
	}
	for (int i = 0; i < depth; i++)
		if (d->open[i].dev == st->st_dev && d->open[i].ino == st->st_ino) {
			d->unknown = true; /* a link loop: no stamp, no walk around it */
			return;
		}
	d->open[depth].dev = st->st_dev;
	d->open[depth].ino = st->st_ino;
	size_t count;
	int error;
	char **names = folder_names(path, &count, &error);
	if (error)
		add_number(d, 'e', (uint64_t)error);
	add_number(d, 'c', count);
	for (size_t i = 0; i < count; i++) {
		d->entries++;
		add_text(d, 'N', names[i]);
		add_entry(d, a, arena_printf(a, "%s/%s", path, names[i]), depth);
		free(names[i]);
	}
	free(names);
}

/*
 * The program and every shared library it runs with: each file mapped
 * into the process (/proc/self/maps), by name and identity, so that an
 * upgraded libcmark or libyaml counts as a change as a new yardstick
 * does. False when the map cannot be read.
 */
static bool add_program(struct digest *d)
{
	FILE *maps = fopen("/proc/self/maps", "r");
	if (!maps)
		return false;
	char **paths = NULL;
	size_t count = 0, alloc = 0;
	char line[4096 + 256];
	while (fgets(line, sizeof(line), maps)) {
		char *path = strchr(line, '/');
		if (!path)
			continue;
		path[strcspn(path, "\n")] = '\0';
		if (count && strcmp(paths[count - 1], path) == 0)
			continue; /* the same file's next mapping */
		ALLOC_GROW(paths, count + 1, alloc);
		paths[count++] = xstrdup(path);
	}
	fclose(maps);
	if (count)
		qsort(paths, count, sizeof(*paths), name_compare);
	for (size_t i = 0; i < count; i++) {
		if (i && strcmp(paths[i - 1], paths[i]) == 0)
			continue;
		add_text(d, 'm', paths[i]);
		struct stat st;
		if (stat(paths[i], &st) == 0)
			add_identity(d, &st);
		else
			add_number(d, 'e', (uint64_t)errno);
	}
	for (size_t i = 0; i < count; i++)
		free(paths[i]);
	free(paths);
	return count > 0;
}

/* A folder of site.conf's, or a file: what it holds, or that it is missing. */
static void add_input(struct digest *d, struct arena *a, char tag, const char *path)
{
	add_text(d, tag, path);
	add_entry(d, a, path, 0);
}

bool stamp_inputs(struct arena *a, const struct stamp_request *r, uint64_t *digest)
{
	struct digest d = { .h = util_hash_bytes("yardstick build inputs", 22) };
	add_number(&d, 'v', STAMP_VERSION);
	if (!add_program(&d))
		d.unknown = true; /* a new binary could not be told apart */
	/* And the program by its bytes: a rebuilt yardstick can keep its
	 * inode, size and (on a coarse file system) mtime. */
	struct stat self;
	if (stat("/proc/self/exe", &self) == 0)
		add_file_bytes(&d, "/proc/self/exe", &self);
	else
		d.unknown = true;
	add_number(&d, 'D', (uint64_t)r->today);
	add_text(&d, 'O', r->output_dir);
	add_text(&d, 'H', r->history_path);
	add_number(&d, 'S', r->strict);
	add_number(&d, 'R', r->restore);
	const struct conf *c = r->conf;
	add_input(&d, a, 'C', c->path);
	add_input(&d, a, 'c', conf_path(a, c, c->content_dir));
	add_input(&d, a, 'T', conf_path(a, c, c->templates_dir));
	add_input(&d, a, 's', conf_path(a, c, c->static_dir));
	*digest = d.h;
	return !d.unknown;
}

uint64_t stamp_history(const char *history_path)
{
	struct digest d = { .h = util_hash_bytes("yardstick history file", 22) };
	struct stat st;
	if (stat(history_path, &st) != 0) {
		add_number(&d, 'e', (uint64_t)errno);
		return d.h;
	}
	add_identity(&d, &st);
	/* Its ctime too, which no tool sets back: a file written in place and
	 * given its old mtime again (cp -p, rsync -t --inplace, touch -r) is
	 * not the file the stamp knew. */
	add_number(&d, 'c', (uint64_t)st.st_ctim.tv_sec);
	add_number(&d, 'C', (uint64_t)st.st_ctim.tv_nsec);
	/* SQLite's header: its file change counter (bytes 24-27) changes with
	 * every write, where a coarse mtime might not. */
	unsigned char header[100];
	int fd = open(history_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, header, sizeof(header)) : -1;
	if (fd >= 0)
		close(fd);
	if (n > 0)
		d.h = util_hash_more(d.h, header, (size_t)n);
	else
		add_number(&d, 'e', (uint64_t)errno);
	return d.h;
}

uint64_t stamp_manifest(const char *output_dir)
{
	struct digest d = { .h = util_hash_bytes("yardstick manifest", 18) };
	size_t n = strlen(output_dir) + strlen(OUTPUT_MANIFEST) + 2;
	char *path = xmalloc(n);
	snprintf(path, n, "%s/%s", output_dir, OUTPUT_MANIFEST);
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
		add_file_bytes(&d, path, &st);
	else
		add_number(&d, 'e', (uint64_t)errno);
	free(path);
	return d.h;
}

uint64_t stamp_combine(uint64_t inputs, uint64_t history, uint64_t manifest)
{
	uint64_t all[3] = { inputs, history, manifest };
	return util_hash_bytes(all, sizeof(all));
}

/* ---- the stamp file ------------------------------------------------------- */

static char *stamp_path(const char *output_dir, const char *suffix)
{
	size_t n = strlen(output_dir) + strlen(STAMP_FILE) + strlen(suffix) + 2;
	char *path = xmalloc(n);
	snprintf(path, n, "%s/%s%s", output_dir, STAMP_FILE, suffix);
	return path;
}

/* "KEY " at *p: move past it. */
static bool take(const char **p, const char *key)
{
	size_t n = strlen(key);
	if (strncmp(*p, key, n) != 0)
		return false;
	*p += n;
	return true;
}

/* A line's text at *p up to its newline, which must come before `end`. */
static const char *take_line(struct arena *a, const char **p, const char *end)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	if (!nl)
		return NULL;
	const char *line = arena_strndup(a, *p, (size_t)(nl - *p));
	*p = nl + 1;
	return line;
}

/* Sixteen lower-case hex digits. */
static bool is_digest(const char *s)
{
	return strlen(s) == 16 && strspn(s, "0123456789abcdef") == 16;
}

int stamp_read(struct arena *a, const char *output_dir, struct stamp *s)
{
	memset(s, 0, sizeof(*s));
	char *path = stamp_path(output_dir, "");
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return 0;
	struct buf b = BUF_INIT;
	int rc = buf_read_fd(&b, fd, STAMP_MAX_FILE);
	close(fd);
	int found = 0;
	if (rc != 0 || b.len == 0)
		goto done;
	const char *p = b.data, *end = b.data + b.len, *line;
	char version[32];
	snprintf(version, sizeof(version), "yardstick stamp %d\n", STAMP_VERSION);
	unsigned long long inputs, history;
	size_t pages, problems;
	char *after;
	if (!take(&p, version) || !take(&p, "inputs ") ||
	    !(line = take_line(a, &p, end)) || !is_digest(line))
		goto done;
	inputs = strtoull(line, NULL, 16);
	if (!take(&p, "history ") || !(line = take_line(a, &p, end)) || !is_digest(line))
		goto done;
	history = strtoull(line, NULL, 16);
	if (!take(&p, "pages ") || !(line = take_line(a, &p, end)))
		goto done;
	pages = (size_t)strtoull(line, &after, 10);
	if (*line < '0' || *line > '9' || *after)
		goto done;
	if (take(&p, "recorded ") && !(s->recorded = take_line(a, &p, end)))
		goto done;
	if (!take(&p, "problems ") || !(line = take_line(a, &p, end)))
		goto done;
	problems = (size_t)strtoull(line, &after, 10);
	if (*line < '0' || *line > '9' || *after || problems != (size_t)(end - p))
		goto done;
	s->problems = arena_strndup(a, p, problems);
	s->problems_len = problems;
	s->inputs = inputs;
	s->history = history;
	s->pages = pages;
	found = 1;
done:
	if (!found)
		memset(s, 0, sizeof(*s));
	buf_release(&b);
	return found;
}

int stamp_write(const char *output_dir, const struct stamp *s, struct err *e)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "yardstick stamp %d\ninputs %016llx\nhistory %016llx\npages %zu\n",
		 STAMP_VERSION, (unsigned long long)s->inputs,
		 (unsigned long long)s->history, s->pages);
	if (s->recorded && !strchr(s->recorded, '\n'))
		buf_addf(&b, "recorded %s\n", s->recorded);
	buf_addf(&b, "problems %zu\n", s->problems_len);
	buf_add(&b, s->problems ? s->problems : "", s->problems_len);
	char *path = stamp_path(output_dir, "");
	char *temp = stamp_path(output_dir, ".tmp");
	int status = -1;
	if (b.len > STAMP_MAX_FILE) {
		err_path(e, ERR_ERROR, path, "not written: over %d MiB of problems to "
			 "keep", STAMP_MAX_FILE >> 20);
		goto done;
	}
	/* A new file: whatever is at the temporary name (left by a killed
	 * build, or planted) is removed, never written through. */
	if (unlink(temp) != 0 && errno != ENOENT) {
		err_path(e, ERR_ERROR, temp, "cannot remove: %s", strerror(errno));
		goto done;
	}
	int fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		err_path(e, ERR_ERROR, temp, "cannot write: %s", strerror(errno));
		goto done;
	}
	bool ok = write(fd, b.data, b.len) == (ssize_t)b.len;
	if (close(fd) != 0)
		ok = false;
	if (!ok || rename(temp, path) != 0) {
		err_path(e, ERR_ERROR, path, "cannot write: %s", strerror(errno));
		unlink(temp);
		goto done;
	}
	status = 0;
done:
	free(path);
	free(temp);
	buf_release(&b);
	return status;
}

int stamp_remove(const char *output_dir, struct err *e)
{
	char *path = stamp_path(output_dir, "");
	int status = 0;
	if (unlink(path) != 0 && errno != ENOENT && errno != ENOTDIR) {
		err_path(e, ERR_ERROR, path, "cannot remove: %s", strerror(errno));
		status = -1;
	}
	free(path);
	return status;
}
