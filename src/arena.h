/*
 * arena: one region per run that owns everything loaded and evaluated.
 *
 * Allocation is a pointer bump inside large blocks; nothing is freed on its
 * own, everything dies with arena_release(). Memory is zeroed.
 */
#ifndef YARDSTICK_ARENA_H
#define YARDSTICK_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
	struct arena_block *spare; /* emptied blocks kept by arena_reset */
	size_t used_total; /* bytes handed out, for statistics */
};

#define ARENA_INIT { NULL, NULL, 0 }

void arena_init(struct arena *a);
/* Free every block; the arena is empty and reusable afterwards. */
void arena_release(struct arena *a);

/*
 * Empty the arena but keep its blocks for the next allocations: for
 * scratch memory refilled many times, such as one page's context, this
 * saves fresh pages from the system each time. Nothing is zeroed here:
 * arena_alloc() zeroes the reused bytes it hands out, the string calls
 * write theirs whole, so a reset costs the same for any amount used.
 */
void arena_reset(struct arena *a);

/* Zeroed memory aligned for any type; aborts when out of memory. */
void *arena_alloc(struct arena *a, size_t size);
/* Allocate an array of `count` elements of `size`, checking for overflow. */
void *arena_alloc_array(struct arena *a, size_t count, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
