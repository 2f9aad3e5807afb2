/*
 * Unit tests for theme: the embedded files are exactly the source tree's
 * templates/ and static/ (run from the repository's root, as make does),
 * the template lookup (the site's folder first, then the built-in file;
 * names that could leave the folder never found), and the static files
 * (the site's regular files replace built-in ones by path; what
 * output_copy_tree would skip does not).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "mustache.h"
#include "output.h"
#include "source.h"
#include "theme.h"

static void read_whole(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	fclose(f);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Every regular file under `dir` (names starting with '.' left out) must
 * be embedded with the same bytes; returns how many there are. */
static size_t check_tree(const char *dir)
{
	size_t count = 0;
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		struct stat st;
		assert_int_equal(stat(path, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			count += check_tree(path);
			continue;
		}
		const struct theme_file *f = theme_find(path);
		if (!f)
			fail_msg("%s is not embedded", path);
		struct buf disk = BUF_INIT;
		read_whole(path, &disk);
		assert_int_equal(f->len, disk.len);
		assert_memory_equal(f->data, disk.data, disk.len);
		assert_int_equal(f->data[f->len], 0);
		buf_release(&disk);
		count++;
	}
	closedir(d);
	return count;
}

static void test_embedded_equals_source_tree(void **state)
{
	(void)state;
	size_t on_disk = check_tree("templates") + check_tree("static");
	size_t embedded = 0;
	for (const struct theme_file *f = theme_files; f->path; f++) {
		if (f > theme_files)
			assert_true(strcmp(f[-1].path, f->path) < 0); /* sorted, distinct */
		embedded++;
	}
	assert_int_equal(embedded, on_disk);
	assert_non_null(theme_find("templates/layout.mustache"));
	assert_non_null(theme_find("templates/slack/org-text.mustache"));
	assert_non_null(theme_find("static/style.css"));
	assert_null(theme_find("templates/layout"));
	assert_null(theme_find("layout.mustache"));
}

struct fixture {
	char dir[64];
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/test_theme.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	int ignored = system(cmd);
	(void)ignored;
	free(fx);
	return 0;
}

static void test_template_lookup(void **state)
{
	struct fixture *fx = *state;
	char path[256];
	snprintf(path, sizeof(path), "%s/partials", fx->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/team-link.mustache", fx->dir);
	write_file(path, "mine");
	snprintf(path, sizeof(path), "%s/partials/chart-line.mustache", fx->dir);
	write_file(path, "my line");

	static const struct {
		const char *name;
		int found;
		const char *text;   /* NULL: the built-in file's */
		const char *origin; /* the source path's prefix */
	} cases[] = {
		{ "team-link", 0, "mine", "/" },
		{ "partials/chart-line", 0, "my line", "/" },
		{ "index", 0, NULL, "(built-in)/templates/index.mustache" },
		{ "partials/chart-axes", 0, NULL, "(built-in)/templates/partials/chart-axes.mustache" },
		{ "no-such-template", 1, NULL, NULL },
		{ "../static/style", 1, NULL, NULL },
		{ "slack/org-text", 0, NULL, "(built-in)/templates/slack/org-text.mustache" },
	};
	struct theme_templates where = { fx->dir, "", NULL };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena a = ARENA_INIT;
		struct source src = { 0 };
		struct err e = ERR_INIT;
		int found = theme_load_template(&where, cases[i].name, &a, &src, &e);
		assert_int_equal(found, cases[i].found);
		if (found == 0 && cases[i].text) {
			assert_string_equal(src.text, cases[i].text);
			assert_true(strncmp(src.path, fx->dir, strlen(fx->dir)) == 0);
		} else if (found == 0) {
			assert_string_equal(src.path, cases[i].origin);
			const struct theme_file *f = theme_find(src.path + strlen("(built-in)/"));
			assert_non_null(f);
			assert_int_equal(src.len, f->len);
		}
		arena_release(&a);
		err_release(&e);
	}

	/* No site folder at all, and the Slack prefix. */
	struct theme_templates builtin_only = { NULL, "slack/", NULL };
	struct theme_templates missing_dir = { "/nonexistent/templates/slack", "slack/", NULL };
	const struct theme_templates *lookups[] = { &builtin_only, &missing_dir };
	for (size_t i = 0; i < 2; i++) {
		struct arena a = ARENA_INIT;
		struct source src = { 0 };
		struct err e = ERR_INIT;
		assert_int_equal(theme_load_template(lookups[i], "org-text", &a, &src, &e), 0);
		assert_string_equal(src.path, "(built-in)/templates/slack/org-text.mustache");
		assert_int_equal(theme_load_template(lookups[i], "index", &a, &src, &e), 1);
		arena_release(&a);
	}
}

static void test_static_files(void **state)
{
	struct fixture *fx = *state;
	char site[128], out[128], path[256];
	snprintf(site, sizeof(site), "%s/static", fx->dir);
	snprintf(out, sizeof(out), "%s/out", fx->dir);
	assert_int_equal(mkdir(site, 0755), 0);
	snprintf(path, sizeof(path), "%s/style.css", site);
	write_file(path, "site css");
	snprintf(path, sizeof(path), "%s/extra.txt", site);
	write_file(path, "extra");
	/* A symlink is not copied, so the built-in yardstick.js must be. */
	snprintf(path, sizeof(path), "%s/yardstick.js", site);
	assert_int_equal(symlink("style.css", path), 0);

	struct output *o;
	struct err e = ERR_INIT;
	assert_int_equal(output_open(&o, out, false, &e), 0);
	if (theme_write_static(o, site, &e) != 0)
		fail_msg("%s", e.msg);
	struct output_stats stats;
	assert_int_equal(output_commit(o, &stats, &e), 0);
	output_free(o);
	size_t builtin_static = 0;
	for (const struct theme_file *f = theme_files; f->path; f++)
		builtin_static += strncmp(f->path, "static/", 7) == 0;
	assert_int_equal(stats.files, builtin_static + 1);

	struct buf b = BUF_INIT;
	snprintf(path, sizeof(path), "%s/static/style.css", out);
	read_whole(path, &b);
	assert_string_equal(b.data, "site css");
	buf_reset(&b);
	snprintf(path, sizeof(path), "%s/static/extra.txt", out);
	read_whole(path, &b);
	assert_string_equal(b.data, "extra");
	buf_reset(&b);
	snprintf(path, sizeof(path), "%s/static/yardstick.js", out);
	read_whole(path, &b);
	const struct theme_file *js = theme_find("static/yardstick.js");
	assert_int_equal(b.len, js->len);
	assert_memory_equal(b.data, js->data, js->len);
	buf_release(&b);

	/* No site folder: the built-in files alone. */
	snprintf(out, sizeof(out), "%s/out2", fx->dir);
	assert_int_equal(output_open(&o, out, false, &e), 0);
	assert_int_equal(theme_write_static(o, "/nonexistent/static", &e), 0);
	assert_int_equal(output_commit(o, &stats, &e), 0);
	output_free(o);
	assert_int_equal(stats.files, builtin_static);
	err_release(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_equals_source_tree),
		cmocka_unit_test_setup_teardown(test_template_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_static_files, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
