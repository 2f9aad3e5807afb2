#include "buf.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "util.h"

char buf_empty[1];

void buf_init(struct buf *b)
{
	b->data = buf_empty;
	b->len = 0;
	b->alloc = 0;
}

void buf_release(struct buf *b)
{
	if (b->alloc)
		free(b->data);
	buf_init(b);
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *data = b->alloc ? b->data : xcalloc(1, 1);
	if (len)
		*len = b->len;
	buf_init(b);
	return data;
}

void buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need < b->len)
		BUG("buf size overflow");
	if (need <= b->alloc)
		return;
	size_t alloc = b->alloc ? b->alloc : 64;
	while (alloc < need)
		alloc = alloc * 2 > alloc ? alloc * 2 : need;
	if (b->alloc) {
		b->data = xrealloc(b->data, alloc);
	} else {
		b->data = xmalloc(alloc);
		b->data[0] = '\0';
	}
	b->alloc = alloc;
}

void buf_reset(struct buf *b)
{
	buf_truncate(b, 0);
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len > b->len)
		BUG("buf_truncate beyond length");
	b->len = len;
	if (b->alloc)
		b->data[len] = '\0';
}

void buf_add(struct buf *b, const void *data, size_t len)
{
	if (!len)
		return;
	buf_grow(b, len);
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addch(struct buf *b, char c)
{
	buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	char small[256];
	int n = vsnprintf(small, sizeof(small), fmt, copy);
	va_end(copy);
	if (n < 0)
		BUG("vsnprintf failed");
	if ((size_t)n < sizeof(small)) {
		buf_add(b, small, (size_t)n);
		return;
	}
	buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

/* Write the decimal digits of `n` at `out`; returns how many. */
static size_t put_digits(char *out, unsigned long long n)
{
	char digits[24];
	size_t i = sizeof(digits);
	do {
		digits[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	memcpy(out, digits + i, sizeof(digits) - i);
	return sizeof(digits) - i;
}

void buf_add_uint(struct buf *b, unsigned long long n)
{
	buf_grow(b, 24);
	b->len += put_digits(b->data + b->len, n);
	b->data[b->len] = '\0';
}

/*
 * The general case: the fewest significant digits (1 to 17) that read back
 * as `d`, by trial. printf's %g depends on LC_NUMERIC for the decimal
 * point. We never call setlocale(), so the C locale applies; still, be
 * defensive and replace a comma should a host application have changed it.
 */
static size_t format_by_trial(char out[BUF_NUMBER_MAX], double d)
{
	int n = 0;
	for (int precision = 1; precision <= 17; precision++) {
		n = snprintf(out, BUF_NUMBER_MAX, "%.*g", precision, d);
		if (strtod(out, NULL) == d)
			break;
	}
	if (n < 0 || n >= BUF_NUMBER_MAX)
		BUG("a number's shortest form does not fit BUF_NUMBER_MAX");
	for (char *p = out; *p; p++)
		if (*p == ',')
			*p = '.';
	return (size_t)n;
}

/*
 * Almost every number a site writes is a score, a percentage or a chart
 * coordinate: an integer, or a decimal with a few places (0.6667, 41.5).
 * Those are written straight from their digits. A decimal m / 10^p (m and
 * 10^p exact doubles) reads back as `d` exactly when the division, which
 * IEEE rounds correctly as strtod does, gives `d`; the smallest such p is
 * the fewest digits, so the bytes are the ones format_by_trial() finds.
 * %g would switch to an exponent below 1e-4 and at 1e15 or more: those,
 * and decimals of more than NUMBER_MAX_PLACES places, go by trial.
 */
enum { NUMBER_MAX_PLACES = 6 };

size_t buf_format_number(char out[BUF_NUMBER_MAX], double d)
{
	static const double pow10[NUMBER_MAX_PLACES + 1] = {
		1, 10, 100, 1000, 10000, 100000, 1000000,
	};
	static const char *const specials[] = { "nan", "inf", "-inf", "0" };
	const char *special = isnan(d) ? specials[0]
			      : isinf(d) ? specials[d < 0 ? 2 : 1]
			      : d == 0   ? specials[3]
					 : NULL;
	if (special) {
		size_t n = strlen(special);
		memcpy(out, special, n + 1);
		return n;
	}
	size_t at = 0;
	double magnitude = fabs(d);
	if (d < 0)
		out[at++] = '-';
	if (magnitude < 1e15 && d == (double)(long long)d) {
		at += put_digits(out + at, (unsigned long long)magnitude);
		out[at] = '\0';
		return at;
	}
	/* Below 1e9, m < 1e15 < 2^53 for every p tried: m is exact. */
	if (magnitude >= 1e-4 && magnitude < 1e9) {
		for (int p = 1; p <= NUMBER_MAX_PLACES; p++) {
			double m = round(magnitude * pow10[p]);
			if (m / pow10[p] != magnitude)
				continue;
			unsigned long long digits = (unsigned long long)m;
			unsigned long long scale = (unsigned long long)pow10[p];
			unsigned long long frac = digits % scale;
			at += put_digits(out + at, digits / scale);
			out[at++] = '.';
			for (unsigned long long s = scale / 10; s > frac && s > 1; s /= 10)
				out[at++] = '0';
			at += put_digits(out + at, frac);
			out[at] = '\0';
			return at;
		}
	}
	return format_by_trial(out, d);
}

void buf_add_number(struct buf *b, double d)
{
	char text[BUF_NUMBER_MAX];
	buf_add(b, text, buf_format_number(text, d));
}

int buf_read_fd(struct buf *b, int fd, size_t limit)
{
	enum { CHUNK = 64 << 10 };
	size_t start = b->len;
	for (;;) {
		buf_grow(b, CHUNK);
		ssize_t n = read(fd, b->data + b->len, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		b->len += (size_t)n;
		b->data[b->len] = '\0';
		if (b->len - start > limit) {
			errno = EFBIG;
			return -1;
		}
	}
}
