/*
 * Unit tests for buf: number formatting. buf_add_number writes the fewest
 * digits that read back as the same double; its fast path for integers and
 * short decimals must give exactly the bytes of the general rule (the
 * shortest "%.*g" that strtod reads back), which this file keeps as the
 * reference, over the numbers a site writes (scores, percentages, chart
 * coordinates), the edges of the fast path, and random doubles.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* The rule as it was written before the fast path: integers below 1e15
 * as integers, everything else by trial. */
static void reference(char *text, size_t size, double d)
{
	if (isnan(d)) {
		snprintf(text, size, "nan");
		return;
	}
	if (isinf(d)) {
		snprintf(text, size, "%s", d < 0 ? "-inf" : "inf");
		return;
	}
	if (d == 0) {
		snprintf(text, size, "0");
		return;
	}
	if (fabs(d) < 1e15 && d == (double)(long long)d) {
		snprintf(text, size, "%lld", (long long)d);
		return;
	}
	for (int precision = 1; precision <= 17; precision++) {
		snprintf(text, size, "%.*g", precision, d);
		if (strtod(text, NULL) == d)
			return;
	}
}

static unsigned long mismatches;

static void check(double d)
{
	char want[40];
	reference(want, sizeof(want), d);
	struct buf b = BUF_INIT;
	buf_adds(&b, "x"); /* appends, after what is there */
	buf_add_number(&b, d);
	if (strcmp(b.data + 1, want) != 0 && mismatches++ < 10)
		print_error("%.17g: got %s, want %s\n", d, b.data + 1, want);
	assert_int_equal(b.data[0], 'x');
	assert_int_equal(b.len, strlen(b.data));
	/* The allocation-free form writes the same bytes, NUL-terminated. */
	char text[BUF_NUMBER_MAX];
	size_t len = buf_format_number(text, d);
	if ((len != strlen(want) || strcmp(text, want) != 0) && mismatches++ < 10)
		print_error("%.17g: formatted %s, want %s\n", d, text, want);
	buf_release(&b);
}

static void test_examples(void **state)
{
	(void)state;
	static const struct {
		double d;
		const char *text;
	} cases[] = {
		{ 0, "0" }, { -0.0, "0" }, { 1, "1" }, { -3, "-3" }, { 1.21, "1.21" },
		{ 0.6667, "0.6667" }, { 2.0 / 3, "0.6666666666666666" },
		{ 0.1 + 0.2, "0.30000000000000004" }, { 0.0005, "0.0005" },
		{ 0.00005, "5e-05" }, { 1e100, "1e+100" }, { 1e15, "1e+15" },
		{ 999999999999999, "999999999999999" }, { 123456789.125, "123456789.125" },
		{ -41.5, "-41.5" }, { 100.05, "100.05" }, { 0.0001, "0.0001" },
		{ 1.000001, "1.000001" }, { 1.0000001, "1.0000001" },
		{ NAN, "nan" }, { INFINITY, "inf" }, { -INFINITY, "-inf" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;
		buf_add_number(&b, cases[i].d);
		assert_string_equal(b.data, cases[i].text);
		buf_release(&b);
	}
}

/* Every score (4 places), percentage and coordinate (1 and 2 places) of a
 * wide range, and their negatives. */
static void test_decimals_like_the_reference(void **state)
{
	(void)state;
	mismatches = 0;
	for (long k = -100000; k <= 100000; k += 3) {
		check((double)k / 10000);
		check(round((double)k / 7 * 10000) / 10000);
		check((double)k / 100);
		check((double)k / 10 + 1000);
		check((double)k * 1234.5 / 1000);
	}
	for (int p = 1; p <= 8; p++)
		for (long k = 1; k < 2000; k++)
			check((double)(k * 7919) / pow(10, p));
	assert_int_equal(mismatches, 0);
}

/* Where the fast path ends: 1e-4, 1e9, 1e15, 2^53, 6 and 7 places. */
static void test_edges_like_the_reference(void **state)
{
	(void)state;
	mismatches = 0;
	static const double edges[] = { 1e-4, 1e-3, 1e9, 1e15, 9007199254740992.0, 1 };
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		double d = edges[i];
		for (int step = 0; step < 500; step++) {
			check(d);
			check(-d);
			d = nextafter(d, INFINITY);
		}
		d = edges[i];
		for (int step = 0; step < 500; step++) {
			check(d);
			d = nextafter(d, 0);
		}
		for (int p = 1; p <= 9; p++)
			for (int k = 1; k < 200; k++)
				check(edges[i] + k / pow(10, p));
	}
	assert_int_equal(mismatches, 0);
}

/* Random bit patterns and random values in the fast path's range. */
static void test_random_like_the_reference(void **state)
{
	(void)state;
	mismatches = 0;
	srand(14);
	for (int i = 0; i < 50000; i++) {
		uint64_t bits = 0;
		for (int j = 0; j < 4; j++)
			bits = bits << 16 | (uint64_t)(rand() & 0xffff);
		double d;
		memcpy(&d, &bits, sizeof(d));
		check(d);
		check((double)rand() / RAND_MAX * pow(10, rand() % 12 - 5));
	}
	assert_int_equal(mismatches, 0);
}

/* buf_add_uint() against snprintf("%llu"), appended after other text. */
static void test_add_uint(void **state)
{
	(void)state;
	static const unsigned long long values[] = {
		0, 7, 10, 99, 100, 1234567890, 18446744073709551615ull,
	};
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		struct buf b = BUF_INIT;
		char expected[64];
		buf_adds(&b, "x=");
		buf_add_uint(&b, values[i]);
		snprintf(expected, sizeof(expected), "x=%llu", values[i]);
		assert_string_equal(b.data, expected);
		assert_int_equal(b.len, strlen(expected));
		buf_release(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_decimals_like_the_reference),
		cmocka_unit_test(test_edges_like_the_reference),
		cmocka_unit_test(test_random_like_the_reference),
		cmocka_unit_test(test_add_uint),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
