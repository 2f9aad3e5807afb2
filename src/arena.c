#include "arena.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

enum { ARENA_BLOCK_SIZE = 256 * 1024 };

struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t used;
	size_t dirty; /* bytes from the start that an earlier use may have written */
	alignas(max_align_t) unsigned char data[];
};

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->spare = NULL;
	a->used_total = 0;
}

static void free_blocks(struct arena_block *b)
{
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
}

void arena_release(struct arena *a)
{
	free_blocks(a->head);
	free_blocks(a->spare);
	arena_init(a);
}

void arena_reset(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		if (b->size == ARENA_BLOCK_SIZE) {
			/* Zeroed lazily, by the allocations that need it. */
			if (b->used > b->dirty)
				b->dirty = b->used;
			b->used = 0;
			b->next = a->spare;
			a->spare = b;
		} else {
			free(b);
		}
		b = next;
	}
	a->head = NULL;
	a->used_total = 0;
}

/*
 * Blocks are their own mappings, whatever glibc's malloc learned before: by
 * default it raises its mmap threshold each time a mapped block is freed,
 * after which blocks come from the heap, where a freed one (the catalog's
 * documents, content.h) stays resident behind whatever was allocated after
 * it. A fixed threshold keeps the peak of a run what it holds at once.
 */
static pthread_once_t threshold_once = PTHREAD_ONCE_INIT;

static void fix_mmap_threshold(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, ARENA_BLOCK_SIZE / 2);
#endif
}

/* Blocks come zeroed from calloc (fresh pages from the kernel cost no
 * writes). A block arena_reset() kept is zeroed again only where an
 * allocation that promises zeroed memory lands on bytes used before
 * (below `dirty`): strings, which are written whole, skip that. */
static struct arena_block *new_block(size_t size)
{
	pthread_once(&threshold_once, fix_mmap_threshold);
	struct arena_block *b = xcalloc(1, sizeof(*b) + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	b->dirty = 0;
	return b;
}

/* Zero what `b` hands out at `offset`, where an earlier use wrote it. */
static void zero_reused(struct arena_block *b, size_t offset, size_t size)
{
	if (offset < b->dirty)
		memset(b->data + offset, 0,
		       size < b->dirty - offset ? size : b->dirty - offset);
}

/* `align` is a power of two no larger than max_align_t's; `zero` asks for
 * zeroed memory. */
static void *alloc_aligned(struct arena *a, size_t size, size_t align, bool zero)
{
	if (size == 0)
		size = 1;
	struct arena_block *head = a->head;
	if (head) {
		size_t pad = (align - (head->used & (align - 1))) & (align - 1);
		if (head->size - head->used >= size + pad) {
			if (zero)
				zero_reused(head, head->used + pad, size);
			void *p = head->data + head->used + pad;
			head->used += size + pad;
			a->used_total += size;
			return p;
		}
	}
	/* The head cannot hold it: a new block, whose start is aligned. */
	struct arena_block *b;
	if (size > ARENA_BLOCK_SIZE / 4) {
		/* A large object gets a block of its own, kept behind the
		 * head so the head's free space is not wasted. */
		b = new_block(size);
		if (head) {
			b->next = head->next;
			head->next = b;
		} else {
			a->head = b;
		}
	} else if (a->spare) {
		b = a->spare;
		a->spare = b->next;
		b->next = head;
		a->head = b;
	} else {
		b = new_block(ARENA_BLOCK_SIZE);
		b->next = head;
		a->head = b;
	}
	if (zero)
		zero_reused(b, b->used, size);
	void *p = b->data + b->used;
	b->used += size;
	a->used_total += size;
	return p;
}

void *arena_alloc(struct arena *a, size_t size)
{
	return alloc_aligned(a, size, alignof(max_align_t), true);
}

void *arena_alloc_array(struct arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		BUG("arena array size overflow");
	return arena_alloc(a, count * size);
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = alloc_aligned(a, len + 1, 1, false);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	char *p = arena_strndup(a, b.data, b.len);
	buf_release(&b);
	return p;
}
