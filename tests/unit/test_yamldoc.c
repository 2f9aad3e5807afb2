/* Unit tests for yamldoc: typing, positions, limits and error places. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "buf.h"
#include "yamldoc.h"

struct parsed {
	struct arena arena;
	struct source src;
	struct value **docs;
	size_t count;
	struct err err;
	int rc;
};

static void parse(struct parsed *p, const char *text, size_t len)
{
	arena_init(&p->arena);
	p->src.path = "t.yaml";
	p->src.text = text;
	p->src.len = len;
	p->src.lines = NULL;
	struct err e = ERR_INIT;
	p->err = e;
	p->rc = yamldoc_parse(&p->arena, &p->src, &yamldoc_default_limits,
			      &p->docs, &p->count, &p->err);
}

static void done(struct parsed *p)
{
	err_release(&p->err);
	arena_release(&p->arena);
}

static void test_scalar_types(void **state)
{
	(void)state;
	static const struct {
		const char *yaml;
		enum value_type type;
		double num;
	} cases[] = {
		{ "a: 1", VALUE_NUMBER, 1 },
		{ "a: -2.5", VALUE_NUMBER, -2.5 },
		{ "a: 0x1F", VALUE_NUMBER, 31 },
		{ "a: 1e3", VALUE_NUMBER, 1000 },
		{ "a: \"1\"", VALUE_STRING, 0 },
		{ "a: '1'", VALUE_STRING, 0 },
		{ "a: !!str 1", VALUE_STRING, 0 },
		{ "a: true", VALUE_BOOL, 0 },
		{ "a: yes", VALUE_STRING, 0 },
		{ "a: ~", VALUE_NULL, 0 },
		{ "a:", VALUE_NULL, 0 },
		{ "a: Tier 1", VALUE_STRING, 0 },
		{ "a: 1.2.3", VALUE_STRING, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct parsed p;
		parse(&p, cases[i].yaml, strlen(cases[i].yaml));
		assert_int_equal(p.rc, 0);
		assert_int_equal(p.count, 1);
		const struct value *v = value_get(p.docs[0], "a");
		assert_non_null(v);
		if (v->type != cases[i].type)
			fail_msg("%s: type %d, expected %d", cases[i].yaml,
				 v->type, cases[i].type);
		if (cases[i].type == VALUE_NUMBER)
			assert_true(v->num == cases[i].num);
		done(&p);
	}
}

static void test_positions_in_multidoc(void **state)
{
	(void)state;
	const char *y = "# preamble\n---\na: 1\n---\n\n---\nb:\n  - x\n  - {c: [1, 2]}\n";
	struct parsed p;
	parse(&p, y, strlen(y));
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.count, 3);
	assert_int_equal(p.docs[1]->type, VALUE_NULL);
	const struct value *b = value_get(p.docs[2], "b");
	assert_int_equal(b->line, 8);
	assert_int_equal(b->col, 3);
	const struct value *c = value_get(b->items[1], "c");
	assert_int_equal(c->line, 9);
	assert_int_equal(c->col, 9);
	assert_int_equal(c->items[1]->col, 13);
	done(&p);
}

static void test_errors_have_places(void **state)
{
	(void)state;
	static const struct {
		const char *yaml;
		unsigned line, col;
		const char *msg_part;
	} cases[] = {
		{ "a: [1, 2\nb: 3\n", 2, 2, "flow sequence" },
		{ "a: 1\na: 2\n", 2, 1, "duplicate key 'a' (first defined at line 1)" },
		{ "a: *nope\n", 1, 4, "unknown alias" },
		{ "a: b\n\tc: d\n", 2, 1, "tab" },
		{ "ok: 1\nbad: \xff\n", 2, 6, "invalid" },
		{ "ok: 1\nnul: a\0b\n", 2, 7, "control characters" },
		{ "? [a]\n: 1\n", 1, 3, "mapping key must be a plain value" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct parsed p;
		size_t len = strlen(cases[i].yaml);
		if (strstr(cases[i].yaml, "nul: a"))
			len = 14;
		parse(&p, cases[i].yaml, len);
		assert_int_equal(p.rc, -1);
		if (p.err.line != cases[i].line || p.err.col != cases[i].col ||
		    !strstr(p.err.msg, cases[i].msg_part))
			fail_msg("case %zu: got %u:%u %s", i, p.err.line,
				 p.err.col, p.err.msg);
		done(&p);
	}
}

static void test_alias_bomb_is_bounded(void **state)
{
	(void)state;
	struct buf y = BUF_INIT;
	buf_adds(&y, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (int i = 1; i < 10; i++) {
		buf_addf(&y, "a%d: &a%d [", i, i);
		for (int j = 0; j < 10; j++)
			buf_addf(&y, "%s*a%d", j ? ", " : "", i - 1);
		buf_adds(&y, "]\n");
	}
	struct parsed p;
	parse(&p, y.data, y.len);
	assert_int_equal(p.rc, -1);
	assert_non_null(strstr(p.err.msg, "alias"));
	done(&p);
	buf_release(&y);
}

/*
 * A big string aliased many times: stored once (every alias is the anchored
 * node), and an error at the alias that takes the expanded text over the
 * byte budget, though the node count stays far under its limit.
 */
static void test_alias_bytes_are_bounded(void **state)
{
	(void)state;
	size_t big = 1 << 20;
	struct buf text = BUF_INIT;
	buf_adds(&text, "tags:\n  - &big ");
	for (size_t i = 0; i < big; i++)
		buf_addch(&text, 't');
	buf_addch(&text, '\n');
	for (int i = 0; i < 15; i++)
		buf_adds(&text, "  - *big\n");
	struct parsed p;
	parse(&p, text.data, text.len);
	assert_int_equal(p.rc, 0);
	const struct value *tags = value_get(p.docs[0], "tags");
	assert_int_equal(tags->count, 16);
	for (size_t i = 1; i < tags->count; i++)
		assert_ptr_equal(tags->items[i], tags->items[0]);
	done(&p);

	/* the 16th alias makes exactly 16 MiB, the 17th (line 19, column 5)
	 * goes over */
	buf_adds(&text, "  - *big\n");
	for (int i = 0; i < 100; i++)
		buf_adds(&text, "  - *big\n");
	parse(&p, text.data, text.len);
	assert_int_equal(p.rc, -1);
	assert_int_equal(p.err.line, 19);
	assert_int_equal(p.err.col, 5);
	assert_string_equal(p.err.msg, "aliases expand to more than 16777216 "
				       "bytes (an alias bomb?)");
	done(&p);

	/* a mapping anchored and aliased counts its keys and values */
	buf_reset(&text);
	buf_adds(&text, "a: &m {k: ");
	for (size_t i = 0; i < big; i++)
		buf_addch(&text, 'v');
	buf_adds(&text, "}\nb: [");
	for (int i = 0; i < 20; i++)
		buf_adds(&text, i ? ", *m" : "*m");
	buf_adds(&text, "]\n");
	parse(&p, text.data, text.len);
	assert_int_equal(p.rc, -1);
	assert_int_equal(p.err.line, 2);
	assert_int_equal(p.err.col, 1 + 4 + 4 * 15);
	done(&p);
	buf_release(&text);
}

static void test_depth_limit(void **state)
{
	(void)state;
	struct buf y = BUF_INIT;
	for (int i = 0; i < 10000; i++)
		buf_addch(&y, '[');
	struct parsed p;
	parse(&p, y.data, y.len);
	assert_int_equal(p.rc, -1);
	assert_int_equal(p.err.line, 1);
	assert_int_equal(p.err.col, 65);
	assert_non_null(strstr(p.err.msg, "deeper than the limit of 64"));
	done(&p);
	buf_release(&y);
}

static void test_many_keys_stay_linear(void **state)
{
	(void)state;
	struct buf y = BUF_INIT;
	for (int i = 0; i < 50000; i++)
		buf_addf(&y, "k%d: %d\n", i, i);
	buf_adds(&y, "k49999: again\n");
	struct parsed p;
	parse(&p, y.data, y.len);
	assert_int_equal(p.rc, -1);
	assert_int_equal(p.err.line, 50001);
	assert_non_null(strstr(p.err.msg, "first defined at line 50000"));
	done(&p);
	buf_release(&y);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalar_types),
		cmocka_unit_test(test_positions_in_multidoc),
		cmocka_unit_test(test_errors_have_places),
		cmocka_unit_test(test_alias_bomb_is_bounded),
		cmocka_unit_test(test_alias_bytes_are_bounded),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_many_keys_stay_linear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
