/*
 * buf: the one growable byte buffer used for all output.
 *
 * A buf is never NULL-backed: `data` always points at NUL-terminated bytes,
 * the empty buffer points at a shared empty string until the first append.
 * Initialise with BUF_INIT or buf_init(); release with buf_release(), or hand
 * the bytes on with buf_detach().
 */
#ifndef YARDSTICK_BUF_H
#define YARDSTICK_BUF_H

#include <stdarg.h>
#include <stddef.h>

extern char buf_empty[];

struct buf {
	char *data;
	size_t len;
	size_t alloc; /* 0 while data points at buf_empty */
};

#define BUF_INIT { buf_empty, 0, 0 }

void buf_init(struct buf *b);
/* Free the bytes and reset to empty. */
void buf_release(struct buf *b);
/* Return the bytes (caller frees) and reset to empty. Never NULL. */
char *buf_detach(struct buf *b, size_t *len);
/* Make room for `extra` more bytes beyond len (plus the NUL). */
void buf_grow(struct buf *b, size_t extra);
void buf_reset(struct buf *b);
void buf_truncate(struct buf *b, size_t len);

void buf_add(struct buf *b, const void *data, size_t len);
/* Read `fd` to its end onto `b`, failing with EFBIG past `limit` bytes
 * read. Returns 0, or -1 with errno set (what was read stays in `b`). */
int buf_read_fd(struct buf *b, int fd, size_t limit);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/*
 * Append a number in the shortest form that reads back as the same double,
 * independent of the locale: 1, -3, 1.21, 1e+100. NaN and infinities are
 * written as "nan", "inf", "-inf".
 */
void buf_add_number(struct buf *b, double d);

/* Append `n` in decimal (no printf: charts write millions of them). */
void buf_add_uint(struct buf *b, unsigned long long n);

/* Room for any number buf_format_number() writes, with its NUL. */
enum { BUF_NUMBER_MAX = 40 };
/*
 * The same text as buf_add_number(), written NUL-terminated into `out`
 * without allocating; returns its length.
 */
size_t buf_format_number(char out[BUF_NUMBER_MAX], double d);

#endif
