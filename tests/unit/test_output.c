/*
 * Unit tests for output, each in a fresh mkdtemp folder: incremental
 * rebuilds (counts, mtimes, inodes), stale files and their folders, the
 * user's own files, abort leaving the folder byte for byte as it was, bad
 * paths, symlinks planted inside the folder, a tampered manifest, and
 * copy_tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "output.h"

struct fixture {
	char base[64];  /* the test's folder */
	char out[96];   /* base/out, the output folder */
	char path[512]; /* scratch for path_of() */
};

struct file {
	const char *path, *text;
};

/* ---- helpers -------------------------------------------------------- */

static void remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;
		while (d && (de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			char sub[1024];
			snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
			remove_tree(sub);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	snprintf(f->base, sizeof(f->base), "/tmp/yardstick-output-XXXXXX");
	if (!mkdtemp(f->base)) {
		free(f);
		return -1;
	}
	snprintf(f->out, sizeof(f->out), "%s/out", f->base);
	umask(022);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	remove_tree(f->base);
	free(f);
	return 0;
}

/* `rel` under the test's folder (a scratch buffer: use before the next call). */
static const char *path_of(struct fixture *f, const char *rel)
{
	snprintf(f->path, sizeof(f->path), "%s/%s", f->base, rel);
	return f->path;
}

static void put_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* The bytes of `path` in `out` (empty when it cannot be read). */
static bool read_text(const char *path, struct buf *out)
{
	buf_reset(out);
	FILE *fp = fopen(path, "r");
	if (!fp)
		return false;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(out, chunk, n);
	fclose(fp);
	return true;
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Every entry under `dir`, sorted, with its type, inode, mtime and bytes:
 * two snapshots are equal only when nothing was created, removed,
 * rewritten or touched.
 */
static void snapshot_at(const char *dir, const char *rel, struct buf *out)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	char **names = NULL;
	size_t count = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		names = realloc(names, (count + 1) * sizeof(*names));
		names[count++] = strdup(de->d_name);
	}
	closedir(d);
	if (count)
		qsort(names, count, sizeof(*names), compare_strings);
	for (size_t i = 0; i < count; i++) {
		char path[1024], name[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		snprintf(name, sizeof(name), "%s%s", rel, names[i]);
		struct stat st;
		assert_int_equal(lstat(path, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			buf_addf(out, "d %s\n", name);
			char sub[1100];
			snprintf(sub, sizeof(sub), "%s/", name);
			snapshot_at(path, sub, out);
		} else if (S_ISLNK(st.st_mode)) {
			char target[512];
			ssize_t n = readlink(path, target, sizeof(target) - 1);
			target[n < 0 ? 0 : n] = '\0';
			buf_addf(out, "l %s -> %s\n", name, target);
		} else if (!S_ISREG(st.st_mode)) {
			buf_addf(out, "o %s\n", name); /* a FIFO must not be read */
		} else {
			struct buf bytes = BUF_INIT;
			read_text(path, &bytes);
			buf_addf(out, "f %s ino=%ju mtime=%jd.%09ld mode=%o [%s]\n",
				 name, (uintmax_t)st.st_ino, (intmax_t)st.st_mtim.tv_sec,
				 st.st_mtim.tv_nsec, (unsigned)(st.st_mode & 07777),
				 bytes.data);
			buf_release(&bytes);
		}
		free(names[i]);
	}
	free(names);
}

static void snapshot(const char *dir, struct buf *out)
{
	buf_reset(out);
	snapshot_at(dir, "", out);
}

/* A snapshot without the manifest's entry (its facts change with the
 * files). */
static void snapshot_files(const char *dir, struct buf *out)
{
	snapshot(dir, out);
	const char *start = strstr(out->data, "f " OUTPUT_MANIFEST " ");
	if (!start)
		return;
	const char *end = strstr(start, "]\n");
	assert_non_null(end);
	size_t from = (size_t)(start - out->data), to = (size_t)(end + 2 - out->data);
	memmove(out->data + from, out->data + to, out->len - to + 1);
	out->len -= to - from;
}

/* Set the mtime of every file under `dir` to 2001, so any rewrite shows. */
static void age_files(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		struct stat st;
		assert_int_equal(lstat(path, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			age_files(path);
		} else if (S_ISREG(st.st_mode)) {
			struct timespec times[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
			assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
		}
	}
	closedir(d);
}

/* The manifest's paths, one a line, without their facts (in `m`). */
static const char *manifest_paths(struct buf *m)
{
	char *w = m->data;
	for (const char *p = m->data; *p;) {
		size_t n = strcspn(p, "\t\n");
		memmove(w, p, n);
		w += n;
		p += n;
		p += strcspn(p, "\n");
		if (*p == '\n')
			*w++ = *p++;
	}
	*w = '\0';
	m->len = (size_t)(w - m->data);
	return m->data;
}

/* The facts the manifest in `dir` gives `path`: "SIZE\tMTIME\tHASH", or
 * "" when it lists the path bare, NULL when not at all. In `tmp`. */
static const char *manifest_facts(struct fixture *f, const char *path,
				  struct buf *tmp)
{
	assert_true(read_text(path_of(f, "out/" OUTPUT_MANIFEST), tmp));
	size_t n = strlen(path);
	for (char *p = tmp->data; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0)) {
		if (strncmp(p, path, n) != 0 || (p[n] != '\t' && p[n] != '\n'))
			continue;
		char *end = p + n + strcspn(p + n, "\n");
		*end = '\0';
		return p[n] == '\t' ? p + n + 1 : p + n;
	}
	return NULL;
}

static void check(int rc, const struct err *e)
{
	if (rc != 0)
		fail_msg("unexpected error: %s: %s", e->path ? e->path : "-",
			 e->msg ? e->msg : "-");
}

/* One build of `files`, committed. */
static void build(struct fixture *f, const struct file *files, size_t count,
		  struct output_stats *stats)
{
	struct output *o;
	struct err e = ERR_INIT;
	check(output_open(&o, f->out, true, &e), &e);
	for (size_t i = 0; i < count; i++)
		check(output_write(o, files[i].path, files[i].text,
				   strlen(files[i].text), &e), &e);
	check(output_commit(o, stats, &e), &e);
	output_free(o);
	err_release(&e);
}

static void assert_stats(const struct output_stats *s, size_t files,
			 size_t written, size_t unchanged, size_t removed)
{
	assert_int_equal(s->files, files);
	assert_int_equal(s->written, written);
	assert_int_equal(s->unchanged, unchanged);
	assert_int_equal(s->removed, removed);
}

static void assert_file(struct fixture *f, const char *rel, const char *text)
{
	struct buf b = BUF_INIT;
	if (!read_text(path_of(f, rel), &b))
		fail_msg("%s is missing", rel);
	assert_string_equal(b.data, text);
	buf_release(&b);
}

static const struct file site[] = {
	{ "index.html", "<h1>home</h1>\n" },
	{ "scorecards/prod.html", "prod\n" },
	{ "entities/service/checkout.html", "checkout\n" },
	{ "entities/service/payments.html", "payments\n" },
	{ "entities/datastore/db.html", "db\n" },
	{ "badges/service/checkout/prod.svg", "<svg/>" },
	{ "data/empty.json", "" },
	{ "teams/index.html", "teams\n" },
};

/* ---- tests ------------------------------------------------------------ */

static void test_paths(void **state)
{
	(void)state;
	static const struct {
		const char *path;
		bool valid;
	} cases[] = {
		{ "index.html", true },
		{ "a/b/c.svg", true },
		{ "A-Z_0.9", true },
		{ "x..y", true },
		{ "../x", false },
		{ "/etc/passwd", false },
		{ "a/../b", false },
		{ "a/./b", false },
		{ ".", false },
		{ "..", false },
		{ ".hidden", false },
		{ "a/.hidden", false },
		{ OUTPUT_MANIFEST, false },
		{ ".index.html.tmp-abcdef", false },
		{ "a//b", false },
		{ "a/", false },
		{ "", false },
		{ "a b", false },
		{ "a\\b", false },
		{ "caf\xc3\xa9", false },
		{ "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p", true },
		{ "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *problem = output_check_path(cases[i].path);
		if ((problem == NULL) != cases[i].valid)
			fail_msg("'%s': expected %s, got %s", cases[i].path,
				 cases[i].valid ? "valid" : "invalid",
				 problem ? problem : "valid");
	}
	assert_non_null(output_check_path(NULL));

	char name[300];
	memset(name, 'n', 255);
	name[255] = '\0';
	assert_null(output_check_path(name));
	strcpy(name + 255, "n");
	assert_non_null(output_check_path(name));

	char path[1100];
	for (size_t i = 0; i < sizeof(path) - 1; i++)
		path[i] = i % 100 == 99 ? '/' : 'p';
	path[1025] = '\0';
	assert_non_null(strstr(output_check_path(path), "1024"));
	path[1024] = '\0';
	assert_null(output_check_path(path));
}

static void test_rebuild_incremental(void **state)
{
	struct fixture *f = *state;
	struct output_stats stats;
	struct buf before = BUF_INIT, after = BUF_INIT, manifest = BUF_INIT;
	size_t n = sizeof(site) / sizeof(site[0]);

	build(f, site, n, &stats);
	assert_stats(&stats, n, n, 0, 0);
	for (size_t i = 0; i < n; i++) {
		char rel[256];
		snprintf(rel, sizeof(rel), "out/%s", site[i].path);
		assert_file(f, rel, site[i].text);
	}
	assert_true(read_text(path_of(f, "out/" OUTPUT_MANIFEST), &manifest));
	assert_string_equal(manifest_paths(&manifest),
			    "badges/service/checkout/prod.svg\n"
			    "data/empty.json\n"
			    "entities/datastore/db.html\n"
			    "entities/service/checkout.html\n"
			    "entities/service/payments.html\n"
			    "index.html\n"
			    "scorecards/prod.html\n"
			    "teams/index.html\n");
	struct stat st; /* the umask is 022 (setup) */
	assert_int_equal(stat(path_of(f, "out/index.html"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(stat(path_of(f, "out/entities/service"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);

	/* The same build again: nothing written, not even the manifest (the
	 * snapshot has every file's inode and mtime). */
	snapshot(f->out, &before);
	assert_null(strstr(before.data, ".tmp-"));
	build(f, site, n, &stats);
	assert_stats(&stats, n, 0, n, 0);
	snapshot(f->out, &after);
	assert_string_equal(before.data, after.data);

	/* One file changed: only that one is rewritten. */
	snapshot_files(f->out, &before);
	struct file changed[sizeof(site) / sizeof(site[0])];
	memcpy(changed, site, sizeof(site));
	changed[3].text = "payments, v2\n";
	build(f, changed, n, &stats);
	assert_stats(&stats, n, 1, n - 1, 0);
	assert_file(f, "out/entities/service/payments.html", "payments, v2\n");
	snapshot_files(f->out, &after);
	assert_string_not_equal(before.data, after.data);
	/* Everything but that line is the same. */
	const char *line = strstr(before.data, "f entities/service/payments.html");
	assert_non_null(line);
	size_t head = (size_t)(line - before.data);
	assert_memory_equal(before.data, after.data, head);
	const char *tail_before = strchr(line, '\n');
	const char *tail_after = strchr(after.data + head, '\n');
	assert_string_equal(tail_before, tail_after);
	assert_null(strstr(after.data, ".tmp-"));

	/* Same length, different bytes is a change too. */
	changed[3].text = "payments, v3\n";
	build(f, changed, n, &stats);
	assert_stats(&stats, n, 1, n - 1, 0);
	assert_file(f, "out/entities/service/payments.html", "payments, v3\n");

	buf_release(&before);
	buf_release(&after);
	buf_release(&manifest);
}

static void test_stale_removed(void **state)
{
	struct fixture *f = *state;
	struct output_stats stats;
	size_t n = sizeof(site) / sizeof(site[0]);
	build(f, site, n, &stats);

	/* The user's own files, in the root and inside a yardstick folder. */
	put_file(path_of(f, "out/CNAME"), "scorecards.example\n");
	put_file(path_of(f, "out/entities/service/notes.txt"), "mine\n");

	/* Drop the datastore page and the badge: their folders go too. */
	static const struct file fewer[] = {
		{ "index.html", "<h1>home</h1>\n" },
		{ "scorecards/prod.html", "prod\n" },
		{ "entities/service/checkout.html", "checkout\n" },
		{ "entities/service/payments.html", "payments\n" },
		{ "data/empty.json", "" },
		{ "teams/index.html", "teams\n" },
	};
	build(f, fewer, sizeof(fewer) / sizeof(fewer[0]), &stats);
	assert_stats(&stats, 6, 0, 6, 2);
	assert_false(exists(path_of(f, "out/entities/datastore/db.html")));
	assert_false(exists(path_of(f, "out/entities/datastore")));
	assert_false(exists(path_of(f, "out/badges")));
	assert_true(exists(path_of(f, "out/entities/service/checkout.html")));
	assert_file(f, "out/CNAME", "scorecards.example\n");

	/* An empty build removes every file of ours, and only those; a folder
	 * still holding a user's file stays. */
	build(f, NULL, 0, &stats);
	assert_stats(&stats, 0, 0, 0, 6);
	struct buf snap = BUF_INIT;
	snapshot(f->out, &snap);
	const char *expect_prefix = "f " OUTPUT_MANIFEST " ";
	assert_memory_equal(snap.data, expect_prefix, strlen(expect_prefix));
	assert_non_null(strstr(snap.data, "f CNAME "));
	assert_non_null(strstr(snap.data, "d entities\nd entities/service\n"
				     "f entities/service/notes.txt "));
	assert_null(strstr(snap.data, ".html"));
	assert_null(strstr(snap.data, "d scorecards"));
	assert_null(strstr(snap.data, "d data"));
	assert_null(strstr(snap.data, "d teams"));
	struct buf manifest = BUF_INIT;
	assert_true(read_text(path_of(f, "out/" OUTPUT_MANIFEST), &manifest));
	assert_string_equal(manifest.data, "");

	/* A file of ours the user deleted by hand is simply gone. */
	build(f, site, 1, &stats);
	unlink(path_of(f, "out/index.html"));
	build(f, NULL, 0, &stats);
	assert_stats(&stats, 0, 0, 0, 0);
	buf_release(&snap);
	buf_release(&manifest);
}

/*
 * A killed build leaves its staged temporary files and the marker that a
 * build was under way: the next build removes them (its own names only:
 * a user's dotfile stays) and says how many. Without the marker (a build
 * that ended normally) nothing is searched for.
 */
static void test_killed_build_cleaned(void **state)
{
	struct fixture *f = *state;
	struct output_stats stats;
	size_t n = sizeof(site) / sizeof(site[0]);
	build(f, site, n, &stats);
	put_file(path_of(f, "out/.index.html.tmp-Ab3xYz"), "half a page");
	put_file(path_of(f, "out/entities/service/.checkout.html.tmp-000000"), "half");
	put_file(path_of(f, "out/.well-known"), "a user's dotfile\n");
	put_file(path_of(f, "out/.notes.tmp-short"), "not one of ours\n");
	struct output *o;
	struct err e = ERR_INIT;
	check(output_open(&o, f->out, true, &e), &e);
	assert_int_equal(output_cleaned(o), 0); /* no marker: not searched */
	output_free(o);
	assert_true(exists(path_of(f, "out/.index.html.tmp-Ab3xYz")));

	put_file(path_of(f, "out/.yardstick-building"), "");
	check(output_open(&o, f->out, true, &e), &e);
	assert_int_equal(output_cleaned(o), 2);
	output_free(o);
	assert_false(exists(path_of(f, "out/.index.html.tmp-Ab3xYz")));
	assert_false(exists(path_of(f, "out/entities/service/.checkout.html.tmp-000000")));
	assert_true(exists(path_of(f, "out/.well-known")));
	assert_true(exists(path_of(f, "out/.notes.tmp-short")));
	assert_false(exists(path_of(f, "out/.yardstick-building")));
	err_release(&e);
}

/* Two builds never share an output folder: the second waits, or fails
 * at once when it may not wait. */
static void test_one_build_at_a_time(void **state)
{
	struct fixture *f = *state;
	struct output *first, *second;
	struct err e = ERR_INIT;
	check(output_open(&first, f->out, true, &e), &e);
	assert_true(exists(path_of(f, "out/.yardstick-building")));
	assert_int_equal(output_open(&second, f->out, false, &e), -1);
	assert_null(second);
	assert_non_null(strstr(e.msg, "another build is writing"));
	check(output_write(first, "index.html", "home\n", 5, &e), &e);
	check(output_commit(first, NULL, &e), &e);
	assert_false(exists(path_of(f, "out/.yardstick-building")));
	output_free(first);
	check(output_open(&second, f->out, false, &e), &e);
	output_free(second);
	err_release(&e);
}

static void test_user_file_adopted(void **state)
{
	struct fixture *f = *state;
	struct output_stats stats;
	assert_int_equal(mkdir(f->out, 0755), 0);
	put_file(path_of(f, "out/index.html"), "<h1>home</h1>\n");
	put_file(path_of(f, "out/style.css"), "user's\n");
	/* Same bytes already there: unchanged, but ours from now on. */
	build(f, site, 1, &stats);
	assert_stats(&stats, 1, 0, 1, 0);
	build(f, NULL, 0, &stats);
	assert_stats(&stats, 0, 0, 0, 1);
	assert_false(exists(path_of(f, "out/index.html")));
	assert_file(f, "out/style.css", "user's\n");
}

static void test_abort(void **state)
{
	struct fixture *f = *state;
	struct output_stats stats;
	struct err e = ERR_INIT;
	struct buf before = BUF_INIT, after = BUF_INIT;
	size_t n = sizeof(site) / sizeof(site[0]);

	/* A folder that did not exist is gone again after an abort. */
	struct output *o;
	check(output_open(&o, f->out, true, &e), &e);
	assert_true(exists(f->out));
	check(output_write(o, "a/b/c.html", "x", 1, &e), &e);
	output_abort(o);
	output_free(o);
	assert_false(exists(f->out));

	build(f, site, n, &stats);
	put_file(path_of(f, "out/user.txt"), "mine\n");
	age_files(f->out);
	snapshot(f->out, &before);

	/* Changed files, new files in new folders, then abort or just free. */
	for (int how = 0; how < 3; how++) {
		check(output_open(&o, f->out, true, &e), &e);
		check(output_write(o, "index.html", "changed", 7, &e), &e);
		check(output_write(o, "new/deep/er/page.html", "new", 3, &e), &e);
		check(output_write(o, "entities/service/new.html", "n", 1, &e), &e);
		check(output_write(o, "entities/team/x.html", "x", 1, &e), &e);
		check(output_write(o, "scorecards/prod.html", "prod\n", 5, &e), &e);
		snapshot(f->out, &after);
		/* Staged, not visible: only temp files and new folders. */
		assert_non_null(strstr(after.data, ".index.html.tmp-"));
		assert_non_null(strstr(after.data, "[<h1>home</h1>\n]"));
		if (how == 0) {
			output_abort(o);
		} else if (how == 2) {
			/* A failed write makes commit refuse and clean up. */
			assert_int_equal(output_write(o, "../x", "x", 1, &e), -1);
			assert_int_equal(output_commit(o, &stats, &e), -1);
			assert_non_null(strstr(e.msg, "not updated"));
		}
		output_free(o);
		snapshot(f->out, &after);
		assert_string_equal(before.data, after.data);
	}
	err_release(&e);
	buf_release(&before);
	buf_release(&after);
}

/*
 * A commit that fails part way (a staged file vanished) keeps what it
 * renamed, and lists it, so the next build still removes it.
 */
static void test_commit_fails_part_way(void **state)
{
	struct fixture *f = *state;
	struct output_stats stats;
	struct err e = ERR_INIT;
	struct output *o;
	build(f, site, 1, &stats);
	check(output_open(&o, f->out, true, &e), &e);
	check(output_write(o, "b.html", "b", 1, &e), &e);
	check(output_write(o, "c.html", "c", 1, &e), &e);
	DIR *d = opendir(f->out);
	assert_non_null(d);
	struct dirent *de;
	int found = 0;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, ".c.html.tmp-", 12) == 0) {
			char tmp[300];
			snprintf(tmp, sizeof(tmp), "out/%s", de->d_name);
			assert_int_equal(unlink(path_of(f, tmp)), 0);
			found++;
		}
	}
	closedir(d);
	assert_int_equal(found, 1);
	assert_int_equal(output_commit(o, &stats, &e), -1);
	assert_string_equal(e.path, path_of(f, "out/c.html"));
	assert_non_null(strstr(e.msg, "cannot replace"));
	output_free(o);
	assert_file(f, "out/b.html", "b");
	assert_file(f, "out/" OUTPUT_MANIFEST, "b.html\nc.html\nindex.html\n");

	build(f, NULL, 0, &stats);
	assert_stats(&stats, 0, 0, 0, 2);
	struct buf snap = BUF_INIT;
	snapshot(f->out, &snap);
	assert_string_equal(strchr(snap.data, '['), "[]\n");
	err_release(&e);
	buf_release(&snap);
}

static void test_bad_paths(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {
		"../x", "/etc/passwd", "a/../b", ".hidden", "a//b", "",
		"a/", "./a", OUTPUT_MANIFEST, "sp ace.html", "x/..",
	};
	struct output_stats stats;
	struct buf before = BUF_INIT, after = BUF_INIT;
	build(f, site, 2, &stats);
	snapshot(f->out, &before);
	struct output *o;
	struct err e = ERR_INIT;
	check(output_open(&o, f->out, true, &e), &e);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err_release(&e);
		if (output_write(o, bad[i], "x", 1, &e) != -1)
			fail_msg("'%s' was accepted", bad[i]);
		assert_non_null(e.msg);
		assert_non_null(strstr(e.msg, "bad output path"));
		assert_string_equal(e.path, f->out);
	}
	assert_int_equal(output_write(o, NULL, "x", 1, &e), -1);
	assert_int_equal(output_commit(o, &stats, &e), -1);
	output_free(o);
	snapshot(f->out, &after);
	assert_string_equal(before.data, after.data);
	assert_false(exists(path_of(f, "x")));
	assert_false(exists(path_of(f, "b")));
	err_release(&e);
	buf_release(&before);
	buf_release(&after);
}

static void test_clashes(void **state)
{
	struct fixture *f = *state;
	struct output *o;
	struct err e = ERR_INIT;
	check(output_open(&o, f->out, true, &e), &e);
	check(output_write(o, "a", "file", 4, &e), &e);
	assert_int_equal(output_write(o, "a", "again", 5, &e), -1);
	assert_non_null(strstr(e.msg, "twice"));
	assert_int_equal(output_write(o, "a/b", "x", 1, &e), -1);
	assert_non_null(strstr(e.msg, "cannot also be a folder"));
	check(output_write(o, "x/y/z", "z", 1, &e), &e);
	assert_int_equal(output_write(o, "x/y", "y", 1, &e), -1);
	assert_non_null(strstr(e.msg, "cannot also be a file"));
	assert_int_equal(output_write(o, "x", "x", 1, &e), -1);
	output_free(o);
	err_release(&e);
	assert_false(exists(f->out));
}

static void test_symlinks_refused(void **state)
{
	struct fixture *f = *state;
	struct output_stats stats;
	struct err e = ERR_INIT;
	struct output *o;
	build(f, site, 1, &stats);
	assert_int_equal(mkdir(path_of(f, "outside"), 0755), 0);
	put_file(path_of(f, "victim"), "precious\n");
	assert_int_equal(symlink("../outside", path_of(f, "out/entities")), 0);
	assert_int_equal(symlink("../victim", path_of(f, "out/team.html")), 0);
	assert_int_equal(mkdir(path_of(f, "out/dir.html"), 0755), 0);
	assert_int_equal(mkfifo(path_of(f, "out/fifo.html"), 0644), 0);

	check(output_open(&o, f->out, true, &e), &e);
	assert_int_equal(output_write(o, "entities/service/x.html", "x", 1, &e), -1);
	assert_non_null(strstr(e.msg, "symbolic link"));
	assert_string_equal(e.path, path_of(f, "out/entities"));
	assert_int_equal(output_write(o, "entities", "x", 1, &e), -1);
	assert_non_null(strstr(e.msg, "symbolic link"));
	assert_int_equal(output_write(o, "team.html", "pwned", 5, &e), -1);
	assert_non_null(strstr(e.msg, "symbolic link"));
	assert_int_equal(output_write(o, "dir.html", "x", 1, &e), -1);
	assert_non_null(strstr(e.msg, "is a folder"));
	assert_int_equal(output_write(o, "fifo.html", "x", 1, &e), -1);
	assert_non_null(strstr(e.msg, "not a regular file"));
	assert_int_equal(output_write(o, "index.html/x", "x", 1, &e), -1);
	assert_non_null(strstr(e.msg, "not a folder"));
	output_free(o);

	/* Nothing was written outside, and the links are as they were. */
	struct buf snap = BUF_INIT;
	snapshot(path_of(f, "outside"), &snap);
	assert_string_equal(snap.data, "");
	assert_file(f, "victim", "precious\n");
	snapshot(f->out, &snap);
	assert_non_null(strstr(snap.data, "l entities -> ../outside\n"));
	assert_non_null(strstr(snap.data, "l team.html -> ../victim\n"));
	assert_null(strstr(snap.data, ".tmp-"));

	/* A symlinked manifest is refused, not read. */
	unlink(path_of(f, "out/" OUTPUT_MANIFEST));
	assert_int_equal(symlink("../victim", path_of(f, "out/" OUTPUT_MANIFEST)), 0);
	assert_int_equal(output_open(&o, f->out, true, &e), -1);
	assert_null(o);
	assert_non_null(strstr(e.msg, "symbolic link"));

	/* The output folder's parent must exist; nothing is created above it. */
	assert_int_equal(output_open(&o, path_of(f, "no/such/out"), true, &e), -1);
	assert_false(exists(path_of(f, "no")));
	err_release(&e);
	buf_release(&snap);
}

static void test_tampered_manifest(void **state)
{
	struct fixture *f = *state;
	struct output_stats stats;
	build(f, site, 2, &stats);
	put_file(path_of(f, "victim"), "precious\n");
	assert_int_equal(mkdir(path_of(f, "outside"), 0755), 0);
	put_file(path_of(f, "outside/victim"), "precious\n");
	assert_int_equal(symlink("../outside", path_of(f, "out/link")), 0);
	put_file(path_of(f, "out/" OUTPUT_MANIFEST),
		 "../../victim\n"
		 "../victim\n"
		 "/etc/passwd\n"
		 "link/victim\n"      /* valid, but only reachable via a symlink */
		 "link\n"             /* a symlink, not a regular file */
		 "a/../../victim\n"
		 ".hidden\n"
		 "\n"
		 "index.html\n"
		 "scorecards/prod.html"); /* no final newline */
	put_file(path_of(f, "out/.hidden"), "kept\n");
	build(f, NULL, 0, &stats);
	assert_stats(&stats, 0, 0, 0, 2);
	assert_file(f, "victim", "precious\n");
	assert_file(f, "outside/victim", "precious\n");
	assert_file(f, "out/.hidden", "kept\n");
	assert_true(exists(path_of(f, "out/link")));
	assert_false(exists(path_of(f, "out/index.html")));
	assert_false(exists(path_of(f, "out/scorecards")));

	/* NUL bytes and very long lines are ignored too. */
	FILE *fp = fopen(path_of(f, "out/" OUTPUT_MANIFEST), "w");
	assert_non_null(fp);
	fwrite("CNAME\0../victim\n", 1, 16, fp);
	for (int i = 0; i < 2000; i++)
		fputc('a', fp);
	fputc('\n', fp);
	fclose(fp);
	put_file(path_of(f, "out/CNAME"), "mine\n");
	build(f, NULL, 0, &stats);
	assert_stats(&stats, 0, 0, 0, 0);
	assert_file(f, "out/CNAME", "mine\n");
}

static void test_copy_tree(void **state)
{
	struct fixture *f = *state;
	struct output_stats stats;
	struct err e = ERR_INIT;
	struct output *o;
	assert_int_equal(mkdir(path_of(f, "static"), 0755), 0);
	assert_int_equal(mkdir(path_of(f, "static/css"), 0755), 0);
	assert_int_equal(mkdir(path_of(f, "static/img"), 0755), 0);
	assert_int_equal(mkdir(path_of(f, "static/img/icons"), 0755), 0);
	assert_int_equal(mkdir(path_of(f, "static/.git"), 0755), 0);
	put_file(path_of(f, "static/css/site.css"), "body{}\n");
	put_file(path_of(f, "static/app.js"), "//js\n");
	put_file(path_of(f, "static/img/icons/pass.svg"), "<svg/>\n");
	put_file(path_of(f, "static/img/empty.txt"), "");
	put_file(path_of(f, "static/.DS_Store"), "junk");
	put_file(path_of(f, "static/.git/config"), "junk");
	put_file(path_of(f, "secret"), "do not copy\n");
	assert_int_equal(symlink("../secret", path_of(f, "static/link.txt")), 0);
	assert_int_equal(symlink("..", path_of(f, "static/img/up")), 0);

	check(output_open(&o, f->out, true, &e), &e);
	check(output_copy_tree(o, path_of(f, "static"), "static", &e), &e);
	check(output_write(o, "index.html", "home", 4, &e), &e);
	check(output_commit(o, &stats, &e), &e);
	output_free(o);
	assert_stats(&stats, 5, 5, 0, 0);
	assert_file(f, "out/static/css/site.css", "body{}\n");
	assert_file(f, "out/static/app.js", "//js\n");
	assert_file(f, "out/static/img/icons/pass.svg", "<svg/>\n");
	assert_file(f, "out/static/img/empty.txt", "");
	assert_false(exists(path_of(f, "out/static/link.txt")));
	assert_false(exists(path_of(f, "out/static/img/up")));
	assert_false(exists(path_of(f, "out/static/.DS_Store")));
	assert_false(exists(path_of(f, "out/static/.git")));
	struct buf manifest = BUF_INIT;
	assert_true(read_text(path_of(f, "out/" OUTPUT_MANIFEST), &manifest));
	assert_string_equal(manifest_paths(&manifest), "index.html\n"
			    "static/app.js\n"
			    "static/css/site.css\n"
			    "static/img/empty.txt\n"
			    "static/img/icons/pass.svg\n");

	/* Again, without index.html: the copies are unchanged. */
	check(output_open(&o, f->out, true, &e), &e);
	check(output_copy_tree(o, path_of(f, "static"), "static", &e), &e);
	check(output_commit(o, &stats, &e), &e);
	output_free(o);
	assert_stats(&stats, 4, 0, 4, 1);

	/* A name that cannot be a path of the site is an error naming it. */
	put_file(path_of(f, "static/img/My Logo.png"), "png");
	check(output_open(&o, f->out, true, &e), &e);
	assert_int_equal(output_copy_tree(o, path_of(f, "static"), "static", &e), -1);
	assert_string_equal(e.path, path_of(f, "static/img/My Logo.png"));
	assert_non_null(strstr(e.msg, "[A-Za-z0-9._-]"));
	output_free(o);

	/* A missing source folder, and a bad prefix. */
	check(output_open(&o, f->out, true, &e), &e);
	assert_int_equal(output_copy_tree(o, path_of(f, "nope"), "static", &e), -1);
	assert_int_equal(output_copy_tree(o, path_of(f, "static"), "../x", &e), -1);
	output_free(o);
	assert_false(exists(path_of(f, "x")));
	err_release(&e);
	buf_release(&manifest);
}

static void test_many_files(void **state)
{
	struct fixture *f = *state;
	enum { FILES = 3000 };
	struct output_stats stats;
	struct err e = ERR_INIT;
	for (int round = 0; round < 3; round++) {
		struct output *o;
		check(output_open(&o, f->out, true, &e), &e);
		for (int i = 0; i < FILES; i++) {
			char path[64], text[64];
			snprintf(path, sizeof(path), "entities/k%d/e%d.html", i % 10, i);
			/* Round 2 changes every tenth file and drops the last 100. */
			if (round == 2 && i >= FILES - 100)
				break;
			snprintf(text, sizeof(text), "entity %d%s", i,
				 round == 2 && i % 10 == 0 ? " changed" : "");
			check(output_write(o, path, text, strlen(text), &e), &e);
		}
		check(output_commit(o, &stats, &e), &e);
		output_free(o);
		if (round == 0)
			assert_stats(&stats, FILES, FILES, 0, 0);
		else if (round == 1)
			assert_stats(&stats, FILES, 0, FILES, 0);
		else
			assert_stats(&stats, FILES - 100, (FILES - 100) / 10,
				     FILES - 100 - (FILES - 100) / 10, 100);
	}
	err_release(&e);
}

/*
 * An idle rebuild trusts the manifest's facts: a file with the recorded
 * size and mtime is not read (a same-size edit with its mtime put back
 * goes unseen, which is the documented cost), a file whose mtime changed
 * is rewritten without being compared, and the facts are the file's.
 */
static void test_idle_reads_nothing(void **state)
{
	struct fixture *f = *state;
	struct output_stats stats;
	struct buf facts = BUF_INIT, want = BUF_INIT;
	size_t n = sizeof(site) / sizeof(site[0]);
	build(f, site, n, &stats);

	/* Each line has the file's size, mtime and output_hash(). */
	struct stat st;
	assert_int_equal(stat(path_of(f, "out/index.html"), &st), 0);
	buf_addf(&want, "%d\t%jd.%09ld\t%016llx", 14, (intmax_t)st.st_mtim.tv_sec,
		 st.st_mtim.tv_nsec,
		 (unsigned long long)output_hash("<h1>home</h1>\n", 14));
	assert_string_equal(manifest_facts(f, "index.html", &facts), want.data);

	/* Same size, other bytes, mtime put back: not read, so not seen. */
	put_file(path_of(f, "out/index.html"), "<h1>HOME</h1>\n");
	struct timespec times[2] = { st.st_atim, st.st_mtim };
	assert_int_equal(utimensat(AT_FDCWD, path_of(f, "out/index.html"), times, 0), 0);
	build(f, site, n, &stats);
	assert_stats(&stats, n, 0, n, 0);
	assert_file(f, "out/index.html", "<h1>HOME</h1>\n");

	/* A touched file no longer matches its facts: rewritten unread. */
	times[1].tv_sec -= 10;
	assert_int_equal(utimensat(AT_FDCWD, path_of(f, "out/index.html"), times, 0), 0);
	build(f, site, n, &stats);
	assert_stats(&stats, n, 1, n - 1, 0);
	assert_file(f, "out/index.html", "<h1>home</h1>\n");

	/* A file replaced by a symlink is still refused, without a read. */
	assert_int_equal(unlink(path_of(f, "out/teams/index.html")), 0);
	assert_int_equal(symlink("../index.html", path_of(f, "out/teams/index.html")), 0);
	struct output *o;
	struct err e = ERR_INIT;
	check(output_open(&o, f->out, true, &e), &e);
	assert_int_equal(output_write(o, "teams/index.html", "teams\n", 6, &e), -1);
	assert_non_null(strstr(e.msg, "symbolic link"));
	output_free(o);
	err_release(&e);
	buf_release(&facts);
	buf_release(&want);
}

/*
 * A manifest of bare paths (yardstick 0.1, or the files a killed commit
 * had staged) and lines with broken facts are read as "unknown": those
 * files are compared byte for byte once, then get their facts.
 */
static void test_manifest_without_facts(void **state)
{
	struct fixture *f = *state;
	struct output_stats stats;
	struct buf m = BUF_INIT, before = BUF_INIT, after = BUF_INIT;
	size_t n = sizeof(site) / sizeof(site[0]);
	build(f, site, n, &stats);
	assert_true(read_text(path_of(f, "out/" OUTPUT_MANIFEST), &m));
	manifest_paths(&m);
	/* Broken facts on two lines: too few fields, and a bad hash. */
	struct buf tampered = BUF_INIT;
	for (const char *p = m.data; *p; p += strcspn(p, "\n") + 1) {
		size_t len = strcspn(p, "\n");
		buf_add(&tampered, p, len);
		if (strncmp(p, "index.html", len) == 0)
			buf_adds(&tampered, "\t14\t1.000000000");
		if (strncmp(p, "teams/index.html", len) == 0)
			buf_adds(&tampered, "\t6\t1.000000000\tnot-hex");
		buf_addch(&tampered, '\n');
	}
	put_file(path_of(f, "out/" OUTPUT_MANIFEST), tampered.data);
	/* A file changed behind our back is found by its bytes. */
	put_file(path_of(f, "out/scorecards/prod.html"), "PROD\n");
	snapshot(f->out, &before);
	build(f, site, n, &stats);
	assert_stats(&stats, n, 1, n - 1, 0);
	assert_file(f, "out/scorecards/prod.html", "prod\n");
	snapshot(f->out, &after);
	/* Only that file (and the manifest) changed on disk. */
	assert_non_null(strstr(after.data, "[<h1>home</h1>\n]"));
	const char *mine = strstr(before.data, "f index.html ");
	assert_non_null(mine);
	assert_non_null(strstr(after.data, (buf_truncate(&m, 0),
					    buf_add(&m, mine, strcspn(mine, "\n")), m.data)));
	/* Every line has its facts again. */
	struct buf facts = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		assert_int_equal(strlen(manifest_facts(f, site[i].path, &facts)) > 20, 1);
	buf_release(&facts);
	buf_release(&tampered);
	buf_release(&m);
	buf_release(&before);
	buf_release(&after);
}

/* Writers in several threads on one output: every file lands once, a
 * path two threads write is refused for exactly one, the manifest is the
 * same as a one-thread build's. */
enum { THREADS = 4, THREAD_FILES = 1500 };

struct writer {
	struct output *o;
	int id;
	bool shared; /* also write shared.html */
	int failures;
};

static int write_streamed(struct output *o, const char *path, const char *text,
			  size_t piece, struct err *e);

/* Every third file, and shared.html in odd threads, go through a stream. */
static void *write_files(void *arg)
{
	struct writer *w = arg;
	struct err e = ERR_INIT;
	for (int i = w->id; i < THREAD_FILES; i += THREADS) {
		char path[64], text[64];
		snprintf(path, sizeof(path), "entities/k%d/e%d.html", i % 7, i);
		snprintf(text, sizeof(text), "entity %d", i);
		int rc = i % 3 ? output_write(w->o, path, text, strlen(text), &e)
			       : write_streamed(w->o, path, text, 3, &e);
		if (rc != 0)
			w->failures++;
	}
	/* Every thread writes this one: one wins. */
	if (w->shared && (w->id % 2 ? write_streamed(w->o, "shared.html", "s", 1, &e)
				    : output_write(w->o, "shared.html", "s", 1, &e)) != 0)
		w->failures++;
	err_release(&e);
	return NULL;
}

static void test_threads(void **state)
{
	struct fixture *f = *state;
	struct output_stats stats;
	struct err e = ERR_INIT;
	struct buf first = BUF_INIT, again = BUF_INIT;
	for (int round = 0; round < 2; round++) {
		struct output *o;
		check(output_open(&o, f->out, true, &e), &e);
		pthread_t threads[THREADS];
		struct writer writers[THREADS];
		for (int t = 0; t < THREADS; t++) {
			writers[t] = (struct writer){ o, t, true, 0 };
			assert_int_equal(pthread_create(&threads[t], NULL, write_files,
							&writers[t]), 0);
		}
		int failures = 0;
		for (int t = 0; t < THREADS; t++) {
			pthread_join(threads[t], NULL);
			failures += writers[t].failures;
		}
		assert_int_equal(failures, THREADS - 1);
		/* The doubled path failed the build: nothing is visible. */
		assert_int_equal(output_commit(o, &stats, &e), -1);
		output_free(o);
		assert_true(exists(path_of(f, "out/shared.html")) == (round > 0));

		/* Without the doubled path: written, then found unchanged. */
		check(output_open(&o, f->out, true, &e), &e);
		for (int t = 0; t < THREADS; t++) {
			writers[t] = (struct writer){ o, t, t == 0, 0 };
			assert_int_equal(pthread_create(&threads[t], NULL, write_files,
							&writers[t]), 0);
		}
		for (int t = 0; t < THREADS; t++) {
			pthread_join(threads[t], NULL);
			assert_int_equal(writers[t].failures, 0);
		}
		check(output_commit(o, &stats, &e), &e);
		output_free(o);
		assert_stats(&stats, THREAD_FILES + 1, round ? 0 : THREAD_FILES + 1,
			     round ? THREAD_FILES + 1 : 0, 0);
		assert_true(read_text(path_of(f, "out/" OUTPUT_MANIFEST),
				      round ? &again : &first));
	}
	assert_string_equal(manifest_paths(&first), manifest_paths(&again));
	assert_file(f, "out/entities/k3/e10.html", "entity 10");
	err_release(&e);
	buf_release(&first);
	buf_release(&again);
}

/* ---- streams ---------------------------------------------------------- */

/* Write `text` as `path` through a stream, in pieces of `piece` bytes
 * (an empty write between each). */
static int write_streamed(struct output *o, const char *path, const char *text,
			  size_t piece, struct err *e)
{
	struct output_stream *s;
	if (output_stream_begin(o, path, &s, e) != 0)
		return -1;
	size_t len = strlen(text);
	for (size_t done = 0; done < len; done += piece) {
		size_t n = len - done < piece ? len - done : piece;
		if (output_stream_write(s, text + done, n, e) != 0 ||
		    output_stream_write(s, text, 0, e) != 0) {
			output_stream_abort(s);
			return -1;
		}
	}
	return output_stream_end(s, e);
}

/* One build of `files`, each streamed in pieces of `piece`, committed. */
static void build_streamed(struct fixture *f, const struct file *files,
			   size_t count, size_t piece, struct output_stats *stats)
{
	struct output *o;
	struct err e = ERR_INIT;
	check(output_open(&o, f->out, true, &e), &e);
	for (size_t i = 0; i < count; i++)
		check(write_streamed(o, files[i].path, files[i].text, piece, &e), &e);
	check(output_commit(o, stats, &e), &e);
	output_free(o);
	err_release(&e);
}

/* The manifest gives `path` the size and hash of `text`. */
static void assert_facts_of(struct fixture *f, const char *path, const char *text)
{
	struct buf tmp = BUF_INIT;
	const char *facts = manifest_facts(f, path, &tmp);
	assert_non_null(facts);
	unsigned long long size, hash;
	if (sscanf(facts, "%llu\t%*d.%*d\t%16llx", &size, &hash) != 2)
		fail_msg("%s: no facts in the manifest: '%s'", path, facts);
	assert_int_equal(size, strlen(text));
	assert_int_equal(hash, output_hash(text, strlen(text)));
	buf_release(&tmp);
}

/*
 * A streamed file is the file output_write() makes of the same bytes: its
 * content, its manifest line (size and hash, whatever the pieces: the
 * hash runs over 32-byte blocks, so pieces of 1, 7, 32 and 33 bytes cut
 * them everywhere), and a rebuild of the same bytes by either call writes
 * nothing, with or without the manifest's facts.
 */
static void test_stream_same_as_write(void **state)
{
	struct fixture *f = *state;
	struct output_stats stats;
	struct buf before = BUF_INIT, after = BUF_INIT, big = BUF_INIT;
	for (int i = 0; i < 2000; i++)
		buf_addf(&big, "%d,", i * 7919 % 10007);
	struct file files[sizeof(site) / sizeof(site[0]) + 1];
	size_t n = sizeof(site) / sizeof(site[0]);
	memcpy(files, site, sizeof(site));
	files[n++] = (struct file){ "data/big.csv", big.data };

	static const size_t pieces[] = { 1, 7, 32, 33, 4096 };
	for (size_t p = 0; p < sizeof(pieces) / sizeof(pieces[0]); p++) {
		remove_tree(f->out);
		build_streamed(f, files, n, pieces[p], &stats);
		assert_stats(&stats, n, n, 0, 0);
		for (size_t i = 0; i < n; i++) {
			char rel[256];
			snprintf(rel, sizeof(rel), "out/%s", files[i].path);
			assert_file(f, rel, files[i].text);
			assert_facts_of(f, files[i].path, files[i].text);
		}
		struct stat st;
		assert_int_equal(stat(path_of(f, "out/data/big.csv"), &st), 0);
		assert_int_equal(st.st_mode & 07777, 0644);

		/* Unchanged: the same bytes by output_write() then by a stream
		 * write nothing; no temporary file is left. */
		snapshot(f->out, &before);
		assert_null(strstr(before.data, ".tmp-"));
		build(f, files, n, &stats);
		assert_stats(&stats, n, 0, n, 0);
		build_streamed(f, files, n, pieces[p], &stats);
		assert_stats(&stats, n, 0, n, 0);
		snapshot(f->out, &after);
		assert_string_equal(before.data, after.data);
	}

	/* Without the manifest's facts the bytes are compared: still nothing
	 * is rewritten, and a file that differs (same size too) is. */
	struct buf manifest = BUF_INIT;
	assert_true(read_text(path_of(f, "out/" OUTPUT_MANIFEST), &manifest));
	put_file(path_of(f, "out/" OUTPUT_MANIFEST), manifest_paths(&manifest));
	snapshot_files(f->out, &before);
	build_streamed(f, files, n, 100, &stats);
	assert_stats(&stats, n, 0, n, 0);
	snapshot_files(f->out, &after);
	assert_string_equal(before.data, after.data);

	put_file(path_of(f, "out/" OUTPUT_MANIFEST), manifest_paths(&manifest));
	big.data[big.len - 3] ^= 1;
	build_streamed(f, files, n, 100, &stats);
	assert_stats(&stats, n, 1, n - 1, 0);
	assert_file(f, "out/data/big.csv", big.data);
	assert_facts_of(f, "data/big.csv", big.data);

	/* Changed with facts: rewritten; fewer files: the rest is removed. */
	files[0].text = "<h1>home, v2</h1>\n";
	build_streamed(f, files, 2, 5, &stats);
	assert_stats(&stats, 2, 1, 1, n - 2);
	assert_file(f, "out/index.html", "<h1>home, v2</h1>\n");
	assert_false(exists(path_of(f, "out/data/big.csv")));

	buf_release(&manifest);
	buf_release(&big);
	buf_release(&before);
	buf_release(&after);
}

/*
 * An aborted stream leaves nothing: no temporary file and no folder it
 * made, whether the build then commits (the path counts as not written:
 * the file of an earlier build there is removed) or is aborted.
 */
static void test_stream_abort(void **state)
{
	struct fixture *f = *state;
	struct output_stats stats;
	struct err e = ERR_INIT;
	struct buf before = BUF_INIT, after = BUF_INIT;
	struct output *o;
	struct output_stream *s;

	check(output_open(&o, f->out, true, &e), &e);
	check(output_stream_begin(o, "data/deep/x.json", &s, &e), &e);
	check(output_stream_write(s, "{}", 2, &e), &e);
	snapshot(f->out, &after);
	assert_non_null(strstr(after.data, "f data/deep/.x.json.tmp-"));
	output_stream_abort(s);
	output_abort(o);
	output_free(o);
	assert_false(exists(f->out));

	size_t n = sizeof(site) / sizeof(site[0]);
	build(f, site, n, &stats);
	snapshot(f->out, &before);
	check(output_open(&o, f->out, true, &e), &e);
	for (size_t i = 1; i < n; i++)
		check(output_write(o, site[i].path, site[i].text,
				   strlen(site[i].text), &e), &e);
	check(output_stream_begin(o, "index.html", &s, &e), &e);
	check(output_stream_write(s, "new", 3, &e), &e);
	output_stream_abort(s);
	check(output_stream_begin(o, "new/deep/page.html", &s, &e), &e);
	check(output_stream_write(s, "new", 3, &e), &e);
	output_stream_abort(s);
	output_stream_abort(NULL);
	check(output_commit(o, &stats, &e), &e);
	output_free(o);
	assert_stats(&stats, n - 1, 0, n - 1, 1);
	snapshot(f->out, &after);
	assert_null(strstr(after.data, ".tmp-"));
	assert_null(strstr(after.data, "d new"));
	assert_false(exists(path_of(f, "out/index.html")));
	err_release(&e);
	buf_release(&before);
	buf_release(&after);
}

/*
 * A path with a stream open is taken: a second stream or an output_write()
 * of it is refused, and so is a path below it; the build then fails.
 */
static void test_stream_twice(void **state)
{
	struct fixture *f = *state;
	struct output_stats stats;
	struct err e = ERR_INIT;
	struct output *o;
	struct output_stream *s, *t = NULL;

	check(output_open(&o, f->out, true, &e), &e);
	check(output_stream_begin(o, "data/results.json", &s, &e), &e);
	assert_int_equal(output_stream_begin(o, "data/results.json", &t, &e), -1);
	assert_null(t);
	assert_non_null(strstr(e.msg, "written twice"));
	assert_int_equal(output_write(o, "data/results.json", "x", 1, &e), -1);
	assert_int_equal(output_stream_begin(o, "data/results.json/x", &t, &e), -1);
	assert_int_equal(output_stream_begin(o, "../x", &t, &e), -1);
	check(output_stream_write(s, "[]", 2, &e), &e);
	check(output_stream_end(s, &e), &e);
	assert_int_equal(output_stream_begin(o, "data/results.json", &t, &e), -1);
	assert_int_equal(output_commit(o, &stats, &e), -1);
	assert_non_null(strstr(e.msg, "not updated"));
	output_free(o);
	assert_false(exists(f->out));

	/* A symlink at the path is refused at the end, not followed. */
	build(f, site, 1, &stats);
	assert_int_equal(symlink("/etc/passwd", path_of(f, "out/link.txt")), 0);
	check(output_open(&o, f->out, true, &e), &e);
	check(output_stream_begin(o, "link.txt", &s, &e), &e);
	check(output_stream_write(s, "x", 1, &e), &e);
	assert_int_equal(output_stream_end(s, &e), -1);
	assert_non_null(strstr(e.msg, "symbolic link"));
	assert_int_equal(output_commit(o, &stats, &e), -1);
	output_free(o);
	struct buf b = BUF_INIT;
	snapshot(f->out, &b);
	assert_null(strstr(b.data, ".tmp-"));
	buf_release(&b);
	err_release(&e);
}

/*
 * Small files of one folder with the same bytes are staged as hard links
 * to the first one (one inode): bytes, sizes and manifest as if written
 * one by one. Other folders, other bytes and large files get their own.
 * A later build that changes one of them renames a new file over it: the
 * others keep their bytes. An abort removes the links with the rest.
 */
static ino_t inode_of(const char *path)
{
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	return st.st_ino;
}

static void test_twins(void **state)
{
	struct fixture *f = *state;
	struct output_stats stats;
	struct err e = ERR_INIT;
	struct output *o;
	static char big[8192];
	memset(big, 'b', sizeof(big));
	check(output_open(&o, f->out, true, &e), &e);
	check(output_write(o, "badges/a.svg", "<svg>1</svg>", 12, &e), &e);
	check(output_write(o, "badges/b.svg", "<svg>1</svg>", 12, &e), &e);
	check(output_write(o, "badges/c.svg", "<svg>1</svg>", 12, &e), &e);
	check(output_write(o, "badges/d.svg", "<svg>2</svg>", 12, &e), &e);
	check(output_write(o, "other/a.svg", "<svg>1</svg>", 12, &e), &e);
	check(output_write(o, "badges/big1", big, sizeof(big), &e), &e);
	check(output_write(o, "badges/big2", big, sizeof(big), &e), &e);
	check(output_commit(o, &stats, &e), &e);
	output_free(o);
	assert_int_equal(stats.written, 7);
	ino_t a = inode_of(path_of(f, "out/badges/a.svg"));
	assert_true(inode_of(path_of(f, "out/badges/b.svg")) == a);
	assert_true(inode_of(path_of(f, "out/badges/c.svg")) == a);
	assert_true(inode_of(path_of(f, "out/badges/d.svg")) != a);
	assert_true(inode_of(path_of(f, "out/other/a.svg")) != a);
	assert_true(inode_of(path_of(f, "out/badges/big1")) !=
		    inode_of(path_of(f, "out/badges/big2")));
	struct buf text = BUF_INIT;
	assert_true(read_text(path_of(f, "out/badges/c.svg"), &text));
	assert_int_equal(text.len, 12);
	assert_memory_equal(text.data, "<svg>1</svg>", 12);

	/* Unchanged: nothing written; b changes: a and c keep their bytes. */
	check(output_open(&o, f->out, true, &e), &e);
	check(output_write(o, "badges/a.svg", "<svg>1</svg>", 12, &e), &e);
	check(output_write(o, "badges/b.svg", "<svg>3</svg>", 12, &e), &e);
	check(output_write(o, "badges/c.svg", "<svg>1</svg>", 12, &e), &e);
	check(output_write(o, "badges/d.svg", "<svg>3</svg>", 12, &e), &e);
	check(output_write(o, "other/a.svg", "<svg>1</svg>", 12, &e), &e);
	check(output_write(o, "badges/big1", big, sizeof(big), &e), &e);
	check(output_write(o, "badges/big2", big, sizeof(big), &e), &e);
	check(output_commit(o, &stats, &e), &e);
	output_free(o);
	assert_int_equal(stats.written, 2);
	assert_int_equal(stats.unchanged, 5);
	assert_true(inode_of(path_of(f, "out/badges/c.svg")) == a);
	assert_true(inode_of(path_of(f, "out/badges/b.svg")) ==
		    inode_of(path_of(f, "out/badges/d.svg")));
	assert_true(read_text(path_of(f, "out/badges/a.svg"), &text));
	assert_memory_equal(text.data, "<svg>1</svg>", 12);
	assert_true(read_text(path_of(f, "out/badges/b.svg"), &text));
	assert_memory_equal(text.data, "<svg>3</svg>", 12);

	/* An aborted build leaves the folder as it was, links included. */
	struct buf before = BUF_INIT, after = BUF_INIT;
	snapshot(f->out, &before);
	check(output_open(&o, f->out, true, &e), &e);
	check(output_write(o, "badges/a.svg", "<svg>4</svg>", 12, &e), &e);
	check(output_write(o, "badges/e.svg", "<svg>4</svg>", 12, &e), &e);
	output_abort(o);
	output_free(o);
	snapshot(f->out, &after);
	assert_string_equal(before.data, after.data);
	buf_release(&before);
	buf_release(&after);
	buf_release(&text);
	err_release(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test_setup_teardown(test_rebuild_incremental, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_file_adopted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_build_cleaned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_build_at_a_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_fails_part_way, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clashes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinks_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_manifest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle_reads_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_manifest_without_facts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_same_as_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_abort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_twins, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
