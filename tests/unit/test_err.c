/*
 * Unit tests for err and source positions: the excerpt a problem keeps (the
 * same window the whole line would give, however long the line), the
 * position index against a walk from the start, and the summary of a flood
 * of problems of one kind in one file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "util.h"

/* err_print() into a string (caller frees). */
static char *printed(const struct err *e)
{
	FILE *out = tmpfile();
	assert_non_null(out);
	err_print(e, out);
	rewind(out);
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), out)) > 0)
		buf_add(&b, chunk, n);
	fclose(out);
	return buf_detach(&b, NULL);
}

/*
 * What err_print() must show for a problem at `col` of `line` (the whole
 * line, without its newline): written from the rule in docs/content.md, a
 * window of ERR_LINE_WINDOW characters around the column for a long line,
 * independently of err.c.
 */
static char *expected_quote(const char *line, size_t len, unsigned col)
{
	const unsigned char *s = (const unsigned char *)line;
	size_t starts[4096], total = 0; /* byte where each character starts */
	for (size_t i = 0; i < len; total++) {
		starts[total] = i;
		size_t n = util_utf8_length(s + i, len - i);
		i += n ? n : 1;
	}
	starts[total] = len;
	size_t c = col ? col - 1 : 0, from = 0, to = total;
	if (total > ERR_LINE_WINDOW) {
		from = c > ERR_LINE_WINDOW / 2 ? c - ERR_LINE_WINDOW / 2 : 0;
		to = from + ERR_LINE_WINDOW;
		if (to > total) {
			to = total;
			from = total - ERR_LINE_WINDOW;
		}
	}
	struct buf out = BUF_INIT, caret = BUF_INIT;
	if (from > 0) {
		buf_adds(&out, "...");
		buf_adds(&caret, "   ");
	}
	for (size_t k = from; k < to; k++) {
		size_t i = starts[k], n = starts[k + 1] - i;
		bool bad = util_utf8_length(s + i, len - i) == 0 ||
			   (n == 1 && (s[i] < 0x20 || s[i] == 0x7F) && s[i] != '\t');
		if (bad)
			buf_addch(&out, '?');
		else
			buf_add(&out, s + i, n);
		if (col && k < c)
			buf_addch(&caret, s[i] == '\t' ? '\t' : ' ');
	}
	if (to < total)
		buf_adds(&out, "...");
	buf_addch(&out, '\n');
	if (col) {
		buf_add(&out, caret.data, caret.len);
		buf_adds(&out, "^\n");
	}
	buf_release(&caret);
	return buf_detach(&out, NULL);
}

static void indexed(struct arena *a, struct source *src, const char *text,
		    size_t len)
{
	src->path = "f.yaml";
	src->text = text;
	src->len = len;
	source_index(a, src);
}

/* Characters a random line is made of: ASCII, two- to four-byte UTF-8,
 * tabs, a control byte, an invalid byte. */
static const char *const pieces[] = { "a", "b", " ", "\t", "\xc3\xa9",
				      "\xe2\x82\xac", "\xf0\x9f\x98\x80",
				      "\x01", "\xff", "\r" };

static void test_excerpt_is_the_window_of_the_line(void **state)
{
	(void)state;
	srand(13);
	for (int round = 0; round < 400; round++) {
		struct arena a;
		arena_init(&a);
		struct buf text = BUF_INIT;
		buf_adds(&text, "first: line\n");
		size_t line_start = text.len;
		size_t chars = (size_t)rand() % (round % 2 ? 900 : 150);
		for (size_t i = 0; i < chars; i++) {
			const char *p = pieces[(size_t)rand() % ARRAY_SIZE(pieces)];
			if (strcmp(p, "\r") == 0 && i + 1 < chars)
				p = "c";
			buf_adds(&text, p);
		}
		size_t line_len = text.len - line_start;
		if (line_len && text.data[text.len - 1] == '\r')
			line_len--; /* "\r\n" ends the line */
		if (round % 3)
			buf_adds(&text, "\nlast\n");
		struct source src;
		indexed(&a, &src, text.data, text.len);
		unsigned col = (unsigned)((size_t)rand() % (chars + 3));
		struct err e = ERR_INIT;
		err_at(&e, ERR_ERROR, &src, 2, col, "problem");
		char *got = printed(&e);
		char *want_quote = expected_quote(text.data + line_start, line_len,
						  col);
		struct buf want = BUF_INIT;
		if (col)
			buf_addf(&want, "f.yaml:2:%u: error: problem\n", col);
		else
			buf_adds(&want, "f.yaml:2: error: problem\n");
		buf_adds(&want, want_quote);
		if (strcmp(got, want.data) != 0)
			fail_msg("round %d, column %u of %zu:\n%s\nexpected\n%s",
				 round, col, chars, got, want.data);
		assert_true(strlen(e.excerpt) <= 4 * ERR_LINE_WINDOW);
		free(got);
		free(want_quote);
		buf_release(&want);
		err_release(&e);
		buf_release(&text);
		arena_release(&a);
	}
}

/* A 1 MB line: the problem keeps a window, and the caret is under the
 * column asked for. */
static void test_excerpt_of_a_huge_line(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	size_t len = 1 << 20;
	char *text = malloc(len + 1);
	memset(text, 'x', len);
	memcpy(text + 700000, "HERE", 4);
	text[len] = '\0';
	struct source src;
	indexed(&a, &src, text, len);
	struct err e = ERR_INIT;
	err_at(&e, ERR_WARNING, &src, 1, 700001, "at the mark");
	assert_int_equal(strlen(e.excerpt), ERR_LINE_WINDOW);
	assert_int_equal(e.cut, ERR_CUT_BEFORE | ERR_CUT_AFTER);
	char *got = printed(&e);
	const char *caret = strchr(strchr(got, '\n') + 1, '\n') + 1;
	const char *quoted = strchr(got, '\n') + 1;
	size_t at = strlen(caret) - 2; /* "   ...   ^\n" */
	assert_int_equal(caret[at], '^');
	assert_memory_equal(quoted + at, "HERE", 4);
	free(got);
	err_release(&e);

	/* 5,000 problems on the line keep 5,000 windows, not 5,000 lines */
	struct errlist list = ERRLIST_INIT;
	size_t kept = 0;
	for (unsigned i = 0; i < 5000; i++)
		errlist_at(&list, ERR_WARNING, &src, 1, 1 + i * 200,
			   "problem %u", i);
	for (size_t i = 0; i < list.count; i++)
		kept += list.items[i].excerpt ? strlen(list.items[i].excerpt) : 0;
	assert_true(kept <= list.count * ERR_LINE_WINDOW);
	errlist_release(&list);
	free(text);
	arena_release(&a);
}

/* The index gives what a walk from the start of the file gives. */
static void test_positions_with_the_index(void **state)
{
	(void)state;
	srand(7);
	struct arena a;
	arena_init(&a);
	struct buf text = BUF_INIT;
	for (int i = 0; i < 60000; i++) {
		int r = rand() % 40;
		buf_adds(&text, r == 0 ? "\n" : pieces[(size_t)r % ARRAY_SIZE(pieces)]);
	}
	struct source plain = { "f", text.data, text.len, NULL }, fast;
	indexed(&a, &fast, text.data, text.len);
	for (int i = 0; i < 3000; i++) {
		size_t offset = (size_t)rand() % (text.len + 10);
		unsigned l1, c1, l2, c2;
		source_position(&plain, offset, &l1, &c1);
		source_position(&fast, offset, &l2, &c2);
		if (l1 != l2 || c1 != c2)
			fail_msg("offset %zu: %u:%u without the index, %u:%u with",
				 offset, l1, c1, l2, c2);
		/* and back: a character's line:col is its offset */
		size_t back;
		unsigned col;
		if (offset < text.len &&
		    ((unsigned char)text.data[offset] & 0xC0) != 0x80) {
			assert_int_equal(source_offset(&fast, l2, c2, &back, &col), 0);
			size_t plain_back;
			assert_int_equal(source_offset(&plain, l1, c1, &plain_back,
						       &col), 0);
			assert_int_equal(back, plain_back);
			assert_int_equal(back, offset);
		}
	}
	size_t off;
	unsigned col;
	assert_int_equal(source_offset(&fast, 100000, 1, &off, &col), -1);
	buf_release(&text);
	arena_release(&a);
}

static void test_flood_is_summarised(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct source f1, f2;
	const char *text = "one\ntwo\n";
	indexed(&a, &f1, text, strlen(text));
	indexed(&a, &f2, text, strlen(text));
	f2.path = "e.yaml"; /* sorts before f.yaml */
	struct errlist list = ERRLIST_INIT;
	char name[32];
	for (int i = 0; i < 250; i++) {
		snprintf(name, sizeof(name), "service:x%d", i);
		errlist_at(&list, ERR_WARNING, &f1, 1, 1, "unknown entity '%s'",
			   name);
	}
	for (int i = 0; i < 3; i++)
		errlist_at(&list, ERR_ERROR, &f1, 2, 1, "bad value %d", i);
	for (int i = 0; i < 101; i++) {
		snprintf(name, sizeof(name), "service:x%d", i);
		errlist_at(&list, ERR_WARNING, &f2, 2, 2, "unknown entity '%s'",
			   name);
	}
	/* a message made whole by the caller ("%s") is its own kind */
	for (int i = 0; i < 120; i++)
		errlist_at(&list, ERR_ERROR, &f2, 1, 1, "%s",
			   i % 2 ? "odd" : "even");
	/* problems without a file are never summarised */
	for (int i = 0; i < 150; i++)
		errlist_path(&list, ERR_ERROR, NULL, "no file %d", i);
	assert_int_equal(list.warnings, 351);
	assert_int_equal(list.errors, 273);
	/* f.yaml: 100 + summary + 3; e.yaml: 100 + summary + 60 + 60; 150 */
	assert_int_equal(list.count, 104 + 221 + 150);
	errlist_sort(&list);
	const struct err *last_e = &list.items[150 + 220];
	const struct err *last_f = &list.items[list.count - 1];
	assert_string_equal(last_e->path, "e.yaml");
	assert_int_equal(last_e->more, 1);
	assert_int_equal(last_e->line, 0);
	assert_string_equal(last_e->msg,
			    "and 1 more warning like \"unknown entity '...'\" "
			    "in this file");
	assert_string_equal(last_f->path, "f.yaml");
	assert_int_equal(last_f->more, 150);
	assert_int_equal(last_f->level, ERR_WARNING);
	assert_string_equal(last_f->msg,
			    "and 150 more warnings like \"unknown entity '...'\" "
			    "in this file");
	char *got = printed(last_f);
	assert_string_equal(got, "f.yaml: warning: and 150 more warnings like "
				 "\"unknown entity '...'\" in this file\n");
	free(got);
	/* counting on after a sort updates the same summary */
	for (int i = 0; i < 20000; i++)
		errlist_at(&list, ERR_WARNING, &f1, 2, 1, "unknown entity '%d'", i);
	assert_int_equal(list.count, 104 + 221 + 150 + 100 + 1);
	errlist_sort(&list);
	for (int i = 0; i < 5; i++)
		errlist_at(&list, ERR_WARNING, &f1, 2, 1, "unknown entity '%d'", i);
	const struct err *s = NULL;
	for (size_t i = 0; i < list.count; i++)
		if (list.items[i].more == 19905)
			s = &list.items[i];
	assert_non_null(s);
	assert_string_equal(s->msg, "and 19,905 more warnings like "
				    "\"unknown entity '...'\" in this file");
	errlist_release(&list);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_excerpt_is_the_window_of_the_line),
		cmocka_unit_test(test_excerpt_of_a_huge_line),
		cmocka_unit_test(test_positions_with_the_index),
		cmocka_unit_test(test_flood_is_summarised),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
