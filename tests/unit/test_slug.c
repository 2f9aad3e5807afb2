/*
 * Unit tests for slug: the cleaning rule on hostile names, the cut, and
 * the set that keeps slugs distinct (collisions, reserved names, many
 * claims of one name).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "slug.h"

struct slug_case {
	const char *text, *slug;
};

/* slug_make on every case of a table. */
static void check_slugs(const struct slug_case *cases, size_t count)
{
	struct arena a = ARENA_INIT;
	for (size_t i = 0; i < count; i++) {
		const char *got = slug_make(&a, cases[i].text);
		if (strcmp(got, cases[i].slug) != 0)
			fail_msg("slug_make(\"%s\") = \"%s\", expected \"%s\"",
				 cases[i].text, got, cases[i].slug);
	}
	arena_release(&a);
}

static void test_make(void **state)
{
	(void)state;
	static const struct slug_case cases[] = {
		{ "../../etc/passwd", "etc-passwd" },
		{ "<script>alert(1)</script>", "script-alert-1-script" },
		{ "Payments API", "payments-api" },
		{ "caf\xc3\xa9", "caf" },
		{ "caf\xc3\xa9 au lait", "caf-au-lait" },
		{ "", "x" },
		{ "...", "x" },
		{ "/", "x" },
		{ "-", "x" },
		{ "\xe6\x97\xa5\xe6\x9c\xac", "x" },
		{ "index.html", "index-html" },
		{ ".hidden", "hidden" },
		{ "snake_case_Name", "snake_case_name" },
		{ "_", "_" },
		{ "a  --  b", "a-b" },
		{ "  trim me\t\n", "trim-me" },
		{ "Tier 1", "tier-1" },
		{ "service:checkout-api", "service-checkout-api" },
		{ "a\\b", "a-b" },
		{ "\x01\x7f", "x" },
		{ "ABCxyz019", "abcxyz019" },
	};
	check_slugs(cases, sizeof(cases) / sizeof(cases[0]));
}

/* Names Windows reserves for devices, in any case and with any extension,
 * never become a file name; the suffixed form stays distinct in a set. */
static void test_make_windows_names(void **state)
{
	(void)state;
	static const struct slug_case cases[] = {
		{ "con", "con_" },
		{ "CON", "con_" },
		{ "Nul", "nul_" },
		{ "aux", "aux_" },
		{ "prn", "prn_" },
		{ "COM1", "com1_" },
		{ "com9", "com9_" },
		{ "lpt1", "lpt1_" },
		{ "LPT0", "lpt0_" },
		{ " con ", "con_" },
		{ "con.", "con_" },
		{ "../con", "con_" },
		/* "con.txt" would be reserved as a file name, but its slug has
		 * no dot: "con-txt.html" is an ordinary name. */
		{ "con.txt", "con-txt" },
		{ "console", "console" },
		{ "com", "com" },
		{ "com10", "com10" },
		{ "lpt", "lpt" },
		{ "auxiliary", "auxiliary" },
		{ "nul_", "nul_" },
	};
	check_slugs(cases, sizeof(cases) / sizeof(cases[0]));
	struct arena a = ARENA_INIT;
	struct slug_set set = SLUG_SET_INIT;
	assert_string_equal(slug_set_claim(&set, &a, "CON"), "con_");
	assert_string_equal(slug_set_claim(&set, &a, "con_"), "con_-2");
	assert_string_equal(slug_set_claim(&set, &a, "con"), "con_-3");
	slug_set_release(&set);
	arena_release(&a);
}

static void test_make_cut(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	char text[300], expect[SLUG_MAX + 1];

	/* 200 letters: the first SLUG_MAX are kept. */
	memset(text, 'a', 200);
	text[200] = '\0';
	memset(expect, 'a', SLUG_MAX);
	expect[SLUG_MAX] = '\0';
	assert_string_equal(slug_make(&a, text), expect);

	/* A separator falls on the last byte: the cut leaves no '-' behind. */
	memset(text, 'b', SLUG_MAX - 1);
	strcpy(text + SLUG_MAX - 1, " tail");
	memset(expect, 'b', SLUG_MAX - 1);
	expect[SLUG_MAX - 1] = '\0';
	assert_string_equal(slug_make(&a, text), expect);

	/* Collapsed separators count once towards the length. */
	memset(text, 'c', SLUG_MAX - 2);
	strcpy(text + SLUG_MAX - 2, " /// de");
	memset(expect, 'c', SLUG_MAX - 2);
	strcpy(expect + SLUG_MAX - 2, "-d");
	assert_string_equal(slug_make(&a, text), expect);
	assert_int_equal(strlen(slug_make(&a, text)), SLUG_MAX);

	/* Every byte value: the result is always a safe segment. */
	for (int c = 1; c < 256; c++) {
		char one[4] = { 'a', (char)c, 'b', '\0' };
		const char *s = slug_make(&a, one);
		assert_null(strchr(s, '.'));
		assert_null(strchr(s, '/'));
		assert_true(s[0] != '-' && s[0] != '\0');
	}
	arena_release(&a);
}

static void test_claim_collisions(void **state)
{
	(void)state;
	static const struct {
		const char *text, *slug;
	} claims[] = {
		{ "A b", "a-b" },
		{ "a-b", "a-b-2" },
		{ "a b", "a-b-3" },
		/* a real name that is a suffixed form, then its base again */
		{ "x-2", "x-2" },
		{ "x", "x" },
		{ "x", "x-3" },
		{ "X", "x-4" },
		/* a suffixed form claimed as a name after it was handed out */
		{ "a-b-2", "a-b-2-2" },
		{ "index", "index-2" },
		{ "Index", "index-3" },
		{ "", "x-5" },
		{ "...", "x-6" },
		{ "teams", "teams" },
	};
	struct arena a = ARENA_INIT;
	struct slug_set set;
	slug_set_init(&set);
	slug_set_reserve(&set, "index");
	slug_set_reserve(&set, "index"); /* twice is fine */
	for (size_t i = 0; i < sizeof(claims) / sizeof(claims[0]); i++) {
		const char *got = slug_set_claim(&set, &a, claims[i].text);
		if (strcmp(got, claims[i].slug) != 0)
			fail_msg("claim %zu (\"%s\") = \"%s\", expected \"%s\"", i,
				 claims[i].text, got, claims[i].slug);
	}
	slug_set_release(&set);

	/* Released and reused: the same claims in the same order, the same
	 * slugs; reservations are exact bytes ("Index" is not "index"). */
	slug_set_reserve(&set, "Index");
	assert_string_equal(slug_set_claim(&set, &a, "index"), "index");
	assert_string_equal(slug_set_claim(&set, &a, "A b"), "a-b");
	assert_string_equal(slug_set_claim(&set, &a, "a-b"), "a-b-2");
	slug_set_release(&set);
	arena_release(&a);
}

static void test_claim_many(void **state)
{
	(void)state;
	enum { CLAIMS = 20000 };
	struct arena a = ARENA_INIT;
	struct slug_set set = SLUG_SET_INIT;
	const char **got = arena_alloc_array(&a, CLAIMS, sizeof(*got));
	for (size_t i = 0; i < CLAIMS; i++)
		got[i] = slug_set_claim(&set, &a, "Same Name");
	assert_string_equal(got[0], "same-name");
	assert_string_equal(got[1], "same-name-2");
	assert_string_equal(got[CLAIMS - 1], "same-name-20000");
	for (size_t i = 1; i < CLAIMS; i++) {
		char expect[64];
		snprintf(expect, sizeof(expect), "same-name-%zu", i + 1);
		assert_string_equal(got[i], expect);
	}

	/* Distinct names interleaved with a long run of one name. */
	for (size_t i = 0; i < CLAIMS; i++) {
		char name[32];
		snprintf(name, sizeof(name), "svc %zu", i);
		slug_set_claim(&set, &a, name);
	}
	assert_string_equal(slug_set_claim(&set, &a, "svc 7"), "svc-7-2");
	assert_string_equal(slug_set_claim(&set, &a, "same name"), "same-name-20001");
	slug_set_release(&set);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_make),
		cmocka_unit_test(test_make_windows_names),
		cmocka_unit_test(test_make_cut),
		cmocka_unit_test(test_claim_collisions),
		cmocka_unit_test(test_claim_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
