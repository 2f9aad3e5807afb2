/*
 * util: allocation that never returns NULL, and BUG() for broken invariants.
 *
 * Out of memory is not an error the program can recover from, so every
 * allocation goes through the x* family, which prints a message and aborts.
 * No other code checks allocation results.
 */
#ifndef YARDSTICK_UTIL_H
#define YARDSTICK_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocate, abort on failure. The caller owns the result and free()s it. */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/*
 * Grow an array to hold at least `need` elements, doubling. `alloc` is the
 * element count currently allocated and is updated.
 */
#define ALLOC_GROW(ptr, need, alloc)                                           \
	do {                                                                   \
		if ((need) > (alloc)) {                                        \
			size_t grow_ = (alloc) ? (alloc) * 2 : 8;              \
			if (grow_ < (need))                                    \
				grow_ = (need);                                \
			(ptr) = xrealloc((ptr), grow_ * sizeof(*(ptr)));       \
			(alloc) = grow_;                                       \
		}                                                              \
	} while (0)

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when
 * the bytes there are not valid UTF-8 (overlong forms and surrogates
 * included). */
size_t util_utf8_length(const unsigned char *s, size_t n);
/* Offset of the first invalid UTF-8 byte in s, or len when all is valid. */
size_t util_utf8_invalid(const char *s, size_t len);

/*
 * FNV-1a hash (64-bit) of `len` bytes, for the hash tables of slug.c,
 * output.c and mustache.c's template cache.
 */
uint64_t util_hash_bytes(const void *data, size_t len);
/* The hash of what `h` (a util_hash_bytes() result) was computed over,
 * followed by `len` more bytes: a hash built piece by piece. */
uint64_t util_hash_more(uint64_t h, const void *data, size_t len);
/* util_hash_bytes() of a NUL-terminated string (without the NUL). */
uint64_t util_hash_string(const char *s);

/*
 * Whether path `inner` is `outer` or inside it, segment by segment ("/a/bc"
 * is not inside "/a/b"). Both must be absolute and normalised (realpath()
 * results); no file is looked at.
 */
bool util_path_within(const char *inner, const char *outer);

/* A broken invariant: print where, then abort. Never for user errors. */
#define BUG(msg) util_bug(__FILE__, __LINE__, (msg))
_Noreturn void util_bug(const char *file, int line, const char *msg);

#endif
