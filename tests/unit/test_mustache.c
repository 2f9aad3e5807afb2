/*
 * Unit tests for the Mustache engine beyond the spec: error places and
 * messages, limits, hostile templates, the directory loader, caching.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jsondoc.h"
#include "mustache.h"
#include "util.h"

/* Parse a JSON literal into `a` for use as data or partials. */
static const struct value *json(struct arena *a, const char *text)
{
	struct source src = { "data.json", text, strlen(text), NULL };
	struct value *v;
	struct err e = ERR_INIT;
	if (jsondoc_parse(a, &src, 64, &v, &e) < 0) {
		err_print(&e, stderr);
		fail_msg("bad JSON in test");
	}
	err_release(&e);
	return v;
}

struct run {
	struct arena arena;
	struct mustache_cache *cache;
	struct buf out;
	struct err err;
	int compile_rc, render_rc;
};

/* Compile and (if that worked) render `template` with JSON data and
 * partials (a JSON object, or NULL). */
static void run_with(struct run *r, const char *template, size_t len,
		     const char *data, const char *partials, unsigned options)
{
	arena_init(&r->arena);
	struct buf empty = BUF_INIT;
	struct err e = ERR_INIT;
	r->out = empty;
	r->err = e;
	struct mustache_loader loader = {
		mustache_load_map, partials ? json(&r->arena, partials) : NULL
	};
	r->cache = mustache_cache_new(&loader);
	mustache_cache_set_options(r->cache, options);
	struct source src = { "t.mustache", template, len, NULL };
	const struct mustache_template *t;
	r->render_rc = -2;
	r->compile_rc = mustache_compile(r->cache, &src, &t, &r->err);
	if (r->compile_rc == 0)
		r->render_rc = mustache_render(
			t, data ? json(&r->arena, data) : NULL, &r->out, &r->err);
}

static void run(struct run *r, const char *template, size_t len,
		const char *data, const char *partials)
{
	run_with(r, template, len, data, partials, 0);
}

static void done(struct run *r)
{
	buf_release(&r->out);
	err_release(&r->err);
	mustache_cache_free(r->cache);
	arena_release(&r->arena);
}

/* MUSTACHE_TRIM_INDENT: template text loses its indentation and blank
 * lines; standalone partials and blocks add none; data is left alone. */
static void test_trim_indent(void **state)
{
	(void)state;
	static const struct {
		const char *template, *data, *partials, *expected;
	} cases[] = {
		{ "<ul>\n  <li>{{a}}</li>\n\t<li>b</li>\n</ul>\n", "{\"a\": \"  x\\n  y\"}",
		  NULL, "<ul>\n<li>  x\n  y</li>\n<li>b</li>\n</ul>\n" },
		{ "<div>\n    \n\n  <p>{{#a}}\n    <b>{{.}}</b>\n  {{/a}}</p>\n</div>",
		  "{\"a\": [1, 2]}", NULL, "<div>\n<p>\n<b>1</b>\n\n<b>2</b>\n</p>\n</div>" },
		{ "<main>\n  {{>p}}\n</main>\n", "{}",
		  "{\"p\": \"<p>\\n  <i>x</i>\\n</p>\\n\"}",
		  "<main>\n<p>\n<i>x</i>\n</p>\n</main>\n" },
		{ "{{<parent}}{{$b}}\n    <b>x</b>\n{{/b}}{{/parent}}", "{}",
		  "{\"parent\": \"<div>\\n  {{$b}}\\n  {{/b}}\\n</div>\"}",
		  "<div>\n<b>x</b>\n</div>" },
		{ "<pre>{{{code}}}</pre>", "{\"code\": \"a\\n    b\"}", NULL,
		  "<pre>a\n    b</pre>" },
		{ "  {{a}} b  \n", "{\"a\": \" x \"}", NULL, " x  b  \n" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r;
		run_with(&r, cases[i].template, strlen(cases[i].template),
			 cases[i].data, cases[i].partials, MUSTACHE_TRIM_INDENT);
		if (r.compile_rc != 0 || r.render_rc != 0)
			fail_msg("case %zu: %s", i, r.err.msg ? r.err.msg : "?");
		if (strcmp(r.out.data, cases[i].expected) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, r.out.data,
				 cases[i].expected);
		done(&r);
		/* Without the option the same template keeps its indentation. */
		run(&r, cases[i].template, strlen(cases[i].template),
		    cases[i].data, cases[i].partials);
		assert_int_equal(r.render_rc, 0);
		if (i != 4)
			assert_string_not_equal(r.out.data, cases[i].expected);
		done(&r);
	}
}

static void test_compile_errors(void **state)
{
	(void)state;
	static const struct {
		const char *template;
		unsigned line, col;
		const char *msg;
	} cases[] = {
		{ "a {{b", 1, 3, "unterminated tag: '{{' is not closed by '}}'" },
		{ "x\n  {{{b}}", 2, 3, "unterminated tag: '{{{' is not closed by '}}}'" },
		{ "{{=<% %>=}}\n<%a", 2, 1, "unterminated tag: '<%' is not closed by '%>'" },
		{ "{{#a}}\nx", 1, 1, "unclosed section '{{#a}}': no '{{/a}}' before the end of the template" },
		{ "{{#a}}\n{{^b}}\n{{/a}}", 3, 1, "'{{/a}}' does not close the open section '{{^b}}' (line 2, column 1)" },
		{ "x{{/a}}", 1, 2, "'{{/a}}' closes nothing: no section is open" },
		{ "{{=<% =}}", 1, 1, "bad delimiter change: write two delimiters separated by a space" },
		{ "{{=<% %> x=}}", 1, 1, "bad delimiter change" },
		{ "{{=<= =>=}}", 1, 1, "delimiters cannot contain '='" },
		{ "{{=<% %>", 1, 1, "unterminated delimiter change" },
		{ "ab {{}}", 1, 4, "empty tag '{{}}': a name is missing" },
		{ "{{#}}{{/}}", 1, 1, "empty tag" },
		{ "{{a b}}", 1, 1, "'a b' is not a name: names cannot contain spaces" },
		{ "{{a..b}}", 1, 3, "'a..b' is not a name: a dotted name has an empty part" },
		{ "\xc3\xa9t\xc3\xa9 {{#x}}", 1, 5, "unclosed section" },
		{ "{{<p}}{{$b}}x{{/p}}", 1, 14, "'{{/p}}' does not close the open section '{{$b}}'" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r;
		run(&r, cases[i].template, strlen(cases[i].template), "{}",
		    NULL);
		if (r.compile_rc != -1 || r.err.line != cases[i].line ||
		    r.err.col != cases[i].col || !r.err.msg ||
		    !strstr(r.err.msg, cases[i].msg))
			fail_msg("case %zu '%s': rc %d at %u:%u: %s", i,
				 cases[i].template, r.compile_rc, r.err.line,
				 r.err.col, r.err.msg ? r.err.msg : "(none)");
		assert_string_equal(r.err.path, "t.mustache");
		assert_non_null(r.err.excerpt);
		done(&r);
	}
}

static void test_render(void **state)
{
	(void)state;
	static const struct {
		const char *template, *data, *partials, *expected;
	} cases[] = {
		{ "{{a}}|{{{a}}}|{{& a}}", "{\"a\": \"<&\\\"'>\"}", NULL,
		  "&lt;&amp;&quot;&#39;&gt;|<&\"'>|<&\"'>" },
		{ "{{n}} {{m}} {{k}} {{t}} {{f}} {{z}}",
		  "{\"n\": 1.21, \"m\": 1e100, \"k\": -3, \"t\": true, \"f\": false, \"z\": null}",
		  NULL, "1.21 1e+100 -3 true false " },
		{ "{{#l}}{{.}},{{/l}}", "{\"l\": [0.1, 2, \"x\"]}", NULL, "0.1,2,x," },
		/* A number as written in a file prints in its shortest form. */
		{ "{{a}} {{b}} {{c}} {{d}}", "{\"a\": 1.50, \"b\": 1e2, \"c\": -0.0, \"d\": 2.0}",
		  NULL, "1.5 100 0 2" },
		{ "{{#s}}yes{{/s}}{{^s}}no{{/s}}", "{\"s\": \"\"}", NULL, "yes" },
		{ "{{#m}}{{a.b}}{{/m}}", "{\"m\": {}, \"a\": {\"b\": 1}}", NULL, "1" },
		{ "{{>p}}", "{\"x\": 1}", "{\"p\": \"{{x}}{{>q}}\", \"q\": \"!\"}", "1!" },
		{ "{{>missing}}.", "{}", "{}", "." },
		{ "{{>*n}}.", "{\"n\": [1]}", "{}", "." },
		{ "{{<layout}}{{$body}}B{{/body}}{{/layout}}", "{}",
		  "{\"layout\": \"<{{>head}}|{{$body}}-{{/body}}>\", \"head\": \"{{$title}}T{{/title}}\"}",
		  "<T|B>" },
		/* Blocks in partials of a parent can be overridden too. */
		{ "{{<layout}}{{$title}}Mine{{/title}}{{/layout}}", "{}",
		  "{\"layout\": \"<{{>head}}>\", \"head\": \"{{$title}}T{{/title}}\"}",
		  "<Mine>" },
		{ "  {{>p}}\n", "{}", "{\"p\": \"a\\n\\nb\\n\"}", "  a\n\n  b\n" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r;
		run(&r, cases[i].template, strlen(cases[i].template),
		    cases[i].data, cases[i].partials);
		if (r.compile_rc || r.render_rc ||
		    strcmp(r.out.data, cases[i].expected) != 0)
			fail_msg("case %zu '%s': rc %d/%d, got '%s' (%s)", i,
				 cases[i].template, r.compile_rc, r.render_rc,
				 r.out.data, r.err.msg ? r.err.msg : "");
		done(&r);
	}
}

/* Numbers built for a page (value_new_number) print the text made when
 * they were built, which is buf_add_number's. */
static void test_built_numbers(void **state)
{
	(void)state;
	static const double numbers[] = { 0, -0.0, 3, -41.5, 0.1 + 0.2, 1e100,
					  1.0 / 3, 1e-7, 123456789012345.0 };
	struct arena a = ARENA_INIT;
	struct mustache_cache *cache = mustache_cache_new(NULL);
	const struct mustache_template *t;
	struct err e = ERR_INIT;
	const char *text = "{{n}}|{{{n}}}";
	struct source src = { "n.mustache", text, strlen(text), NULL };
	assert_int_equal(mustache_compile(cache, &src, &t, &e), 0);
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		struct value *map = value_new(&a, VALUE_MAP);
		struct value *n = value_new_number(&a, numbers[i]);
		assert_true(n->canonical);
		value_map_put(&a, map, value_new_string(&a, "n", 1), n);
		struct buf want = BUF_INIT, out = BUF_INIT;
		buf_add_number(&want, numbers[i]);
		assert_string_equal(n->str, want.data);
		assert_int_equal(n->len, want.len);
		buf_addch(&want, '|');
		buf_add_number(&want, numbers[i]);
		assert_int_equal(mustache_render(t, map, &out, &e), 0);
		assert_string_equal(out.data, want.data);
		buf_reset(&out);
		value_add_text(&out, n);
		buf_truncate(&want, n->len);
		assert_string_equal(out.data, want.data);
		buf_release(&want);
		buf_release(&out);
	}
	mustache_cache_free(cache);
	arena_release(&a);
}

static void test_recursion_limits(void **state)
{
	(void)state;
	static const struct {
		const char *template, *partials, *msg;
	} cases[] = {
		{ "{{>self}}", "{\"self\": \"x{{>self}}\"}",
		  "partial 'self' nested more than 100 deep" },
		{ "{{<p}}{{/p}}", "{\"p\": \"{{<p}}{{/p}}\"}",
		  "parent 'p' nested more than 100 deep" },
		{ "{{>a}}", "{\"a\": \"{{>b}}\", \"b\": \"\\n  {{>a}}\"}",
		  "nested more than 100 deep" },
		{ "{{>*n}}", "{\"p\": \"{{>*n}}\"}", "nested more than 100 deep" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r;
		run(&r, cases[i].template, strlen(cases[i].template),
		    "{\"n\": \"p\"}", cases[i].partials);
		assert_int_equal(r.compile_rc, 0);
		if (r.render_rc != -1 || !strstr(r.err.msg, cases[i].msg))
			fail_msg("case %zu: rc %d: %s", i, r.render_rc,
				 r.err.msg ? r.err.msg : "(none)");
		assert_true(r.err.line > 0);
		done(&r);
	}
}

/* "{{#a}}" x n, then "{{/a}}" x n. */
static char *nested(const char *open, const char *close, size_t n, size_t *len)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_adds(&b, open);
	buf_adds(&b, "x");
	for (size_t i = 0; i < n; i++)
		buf_adds(&b, close);
	return buf_detach(&b, len);
}

static void test_hostile(void **state)
{
	(void)state;
	size_t len;
	struct run r;

	/* 10,000 nested sections: a compile error, no stack overflow. */
	char *t = nested("{{#a}}", "{{/a}}", 10000, &len);
	run(&r, t, len, "{\"a\": true}", NULL);
	assert_int_equal(r.compile_rc, -1);
	assert_non_null(strstr(r.err.msg, "sections nested more than 500 deep"));
	assert_int_equal(r.err.col, 3001);
	done(&r);
	free(t);

	/* At the limit it renders. */
	t = nested("{{#a}}", "{{/a}}", MUSTACHE_MAX_NESTING, &len);
	run(&r, t, len, "{\"a\": true}", NULL);
	assert_int_equal(r.render_rc, 0);
	assert_string_equal(r.out.data, "x");
	done(&r);
	free(t);

	/* Deep sections inside a self-including partial stop at the render
	 * depth limit with an error. */
	t = nested("{{#a}}", "{{/a}}", 400, &len);
	char *self = xmalloc(len + 64);
	memcpy(self, t, 2400);
	strcpy(self + 2400, "{{>p}}");
	strcpy(self + 2406, t + 2401);
	struct buf partials = BUF_INIT;
	buf_addf(&partials, "{\"p\": \"%s\"}", self);
	run(&r, "{{>p}}", 6, "{\"a\": true}", partials.data);
	assert_int_equal(r.render_rc, -1);
	assert_non_null(strstr(r.err.msg, "more than 1000 levels deep"));
	done(&r);
	buf_release(&partials);
	free(self);
	free(t);

	/* Over the size limit: a clear error, before any work. */
	len = (size_t)MUSTACHE_MAX_TEMPLATE_BYTES + 1;
	t = xmalloc(len);
	memset(t, 'x', len);
	run(&r, t, len, "{}", NULL);
	assert_int_equal(r.compile_rc, -1);
	assert_non_null(strstr(r.err.msg, "over the limit"));
	done(&r);
	free(t);

	/* A large template at the limit, dense with tags, renders. */
	struct buf big = BUF_INIT;
	while (big.len + 40 < MUSTACHE_MAX_TEMPLATE_BYTES)
		buf_adds(&big, "<td>{{a}}</td>{{#l}}{{.}}{{/l}}\n");
	run(&r, big.data, big.len, "{\"a\": \"<\", \"l\": [1]}", NULL);
	assert_int_equal(r.render_rc, 0);
	assert_int_equal(r.out.len, big.len / 32 * 15);
	done(&r);
	buf_release(&big);

	/* Unterminated tags, stray delimiters and NUL bytes. */
	static const char junk[] = "{{#a}}{{{b}}{{/a}} {{ {{=x y=}} \0 }}";
	run(&r, junk, sizeof(junk) - 1, "{}", NULL);
	assert_int_equal(r.compile_rc, -1);
	done(&r);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_directory_loader(void **state)
{
	(void)state;
	char dir[] = "/tmp/mustache-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof(path), "%s/row.mustache", dir);
	write_file(path, "<tr>{{name}}</tr>\n");
	snprintf(path, sizeof(path), "%s/sub", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/sub/cell.mustache", dir);
	write_file(path, "[{{.}}]");
	snprintf(path, sizeof(path), "%s/broken.mustache", dir);
	write_file(path, "ok\n{{#x}}\n");

	struct arena a = ARENA_INIT;
	struct mustache_loader loader = { mustache_load_dir, dir };
	struct mustache_cache *cache = mustache_cache_new(&loader);
	const struct mustache_template *t;
	struct err e = ERR_INIT;
	const char *text = "{{#rows}}\n  {{>row}}\n{{/rows}}{{#l}}{{>sub/cell}}{{/l}}{{>../etc/passwd}}{{>*evil}}";
	struct source src = { "page.mustache", text, strlen(text), NULL };
	if (mustache_compile(cache, &src, &t, &e) != 0) {
		err_print(&e, stderr);
		fail();
	}
	const struct value *data = json(&a,
		"{\"rows\": [{\"name\": \"a\"}, {\"name\": \"<b>\"}], \"l\": [1, 2],"
		" \"evil\": \"/etc/passwd\"}");
	struct buf out = BUF_INIT;
	for (int i = 0; i < 3; i++) {
		buf_reset(&out);
		assert_int_equal(mustache_render(t, data, &out, &e), 0);
		assert_string_equal(out.data,
				    "  <tr>a</tr>\n  <tr>&lt;b&gt;</tr>\n[1][2]");
	}
	/* The same partial is compiled once and shared. */
	const struct mustache_template *row1, *row2;
	assert_int_equal(mustache_get(cache, "row", &row1, &e), 0);
	assert_int_equal(mustache_get(cache, "row", &row2, &e), 0);
	assert_ptr_equal(row1, row2);
	assert_int_equal(mustache_get(cache, "nope", &row1, &e), 1);

	/* A broken partial is reported in its own file. */
	const char *uses = "{{>broken}}";
	struct source src2 = { "uses.mustache", uses, strlen(uses), NULL };
	assert_int_equal(mustache_compile(cache, &src2, &t, &e), -1);
	assert_non_null(strstr(e.path, "broken.mustache"));
	assert_int_equal(e.line, 2);
	assert_int_equal(e.col, 1);
	assert_non_null(strstr(e.msg, "unclosed section '{{#x}}'"));

	err_release(&e);
	buf_release(&out);
	mustache_cache_free(cache);
	arena_release(&a);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compile_errors),
		cmocka_unit_test(test_trim_indent),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_built_numbers),
		cmocka_unit_test(test_recursion_limits),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_directory_loader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
