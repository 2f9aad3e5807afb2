/*
 * theme: the built-in theme and the site's files over it (see theme.h).
 *
 * The built-in files are a few dozen, so a linear search is enough: each
 * template is looked up once per run (the mustache cache keeps it).
 */
#include "theme.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "mustache.h"
#include "output.h"
#include "source.h"

#define BUILTIN_LABEL "(built-in)/"

const struct theme_file *theme_find(const char *path)
{
	for (const struct theme_file *f = theme_files; f->path; f++)
		if (strcmp(f->path, path) == 0)
			return f;
	return NULL;
}

int theme_load_template(const void *data, const char *name, struct arena *a,
			struct source *src, struct err *e)
{
	const struct theme_templates *where = data;
	if (where->dir) {
		int found = mustache_load_dir(where->dir, name, a, src, e);
		if (found < 0 && errno != 0 && where->io_failed)
			atomic_store(where->io_failed, true);
		if (found <= 0)
			return found;
	}
	const char *path = arena_printf(a, "templates/%s%s.mustache",
					where->builtin_prefix, name);
	const struct theme_file *f = theme_find(path);
	if (!f)
		return 1;
	src->path = arena_printf(a, BUILTIN_LABEL "%s", path);
	src->text = (const char *)f->data;
	src->len = f->len;
	return 0;
}

/*
 * Whether output_copy_tree() will copy `rel` from `dir`: a regular file
 * reached through real folders, no name starting with '.', no symlink on
 * the way (the rules output_copy_tree follows below its top folder).
 */
static bool site_has_file(const char *dir, const char *rel)
{
	struct buf path = BUF_INIT;
	buf_adds(&path, dir);
	bool found = true;
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		found = false;
	while (found && *rel) {
		const char *slash = strchr(rel, '/');
		size_t n = slash ? (size_t)(slash - rel) : strlen(rel);
		buf_addf(&path, "/%.*s", (int)n, rel);
		if (rel[0] == '.' || lstat(path.data, &st) != 0)
			found = false;
		else if (slash)
			found = S_ISDIR(st.st_mode);
		else
			found = S_ISREG(st.st_mode);
		rel += slash ? n + 1 : n;
	}
	buf_release(&path);
	return found;
}

int theme_write_static(struct output *o, const char *static_dir, struct err *e)
{
	static const char prefix[] = "static/";
	for (const struct theme_file *f = theme_files; f->path; f++) {
		if (strncmp(f->path, prefix, sizeof(prefix) - 1) != 0)
			continue;
		if (static_dir && site_has_file(static_dir, f->path + sizeof(prefix) - 1))
			continue;
		if (output_write(o, f->path, f->data, f->len, e) < 0)
			return -1;
	}
	struct stat st;
	if (!static_dir || stat(static_dir, &st) != 0)
		return 0;
	return output_copy_tree(o, static_dir, "static", e);
}
