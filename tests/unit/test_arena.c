/*
 * Unit tests for arena: memory from arena_alloc() is zeroed, also after
 * arena_reset() hands the same blocks out again (reset zeroes nothing
 * itself: the allocations that promise zeroed memory zero the reused
 * bytes), strings come back whole, and large objects get blocks of their
 * own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include "arena.h"

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Dirty every byte of a few blocks, reset, and ask again: in the same
 * sizes, in other sizes and alignments, after strings, across blocks. */
static void test_zeroed_after_reset(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	static const size_t sizes[] = { 1, 7, 16, 100, 4096, 30000, 65000 };
	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < 200; i++) {
			size_t n = sizes[(size_t)(i + round) % 7];
			unsigned char *p = arena_alloc(&a, n);
			assert_true(all_zero(p, n));
			assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
			memset(p, 0xa5, n);
			if (i % 3 == 0) {
				char *s = arena_strdup(&a, "a string of some length");
				assert_string_equal(s, "a string of some length");
				char *t = arena_printf(&a, "%d-%s", i, "x");
				assert_true(strchr(t, '-') != NULL);
			}
		}
		arena_reset(&a);
	}
	arena_release(&a);
}

/* A large object has a block of its own, zeroed, and dies at reset. */
static void test_large(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	for (int round = 0; round < 3; round++) {
		unsigned char *small = arena_alloc(&a, 64);
		assert_true(all_zero(small, 64));
		memset(small, 1, 64);
		unsigned char *big = arena_alloc(&a, 1 << 20);
		assert_true(all_zero(big, 1 << 20));
		memset(big, 1, 1 << 20);
		unsigned char *after = arena_alloc(&a, 64);
		assert_true(all_zero(after, 64));
		assert_true(after == small + 64); /* the head block's space is kept */
		arena_reset(&a);
	}
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zeroed_after_reset),
		cmocka_unit_test(test_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
