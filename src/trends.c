#include "trends.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

/* A slice's series: TREND_MEASURES arrays of day_count values. */
struct series {
	char *key; /* the six slice fields joined by \x1f */
	double *values;
};

struct trends {
	day_t *days;
	size_t day_count;
	struct series *slots; /* open addressing; a power of two */
	size_t slot_count, used;
};

/* The fields are ids and keys from content, which cannot hold \x1f. */
static void slice_key(struct buf *b, const char *const fields[6])
{
	buf_reset(b);
	for (size_t i = 0; i < 6; i++) {
		if (i)
			buf_addch(b, '\x1f');
		buf_adds(b, fields[i] ? fields[i] : "");
	}
}

static struct series *find_slot(const struct trends *t, const char *key)
{
	size_t mask = t->slot_count - 1;
	size_t i = (size_t)util_hash_string(key) & mask;
	while (t->slots[i].key && strcmp(t->slots[i].key, key) != 0)
		i = (i + 1) & mask;
	return &t->slots[i];
}

static void grow(struct trends *t)
{
	struct series *old = t->slots;
	size_t old_count = t->slot_count;
	t->slot_count = old_count ? old_count * 2 : 64;
	t->slots = xcalloc(t->slot_count, sizeof(*t->slots));
	for (size_t i = 0; i < old_count; i++)
		if (old[i].key)
			*find_slot(t, old[i].key) = old[i];
	free(old);
}

/* The series of a key, made (all NaN) on first use. */
static struct series *series_of(struct trends *t, const char *key)
{
	if ((t->used + 1) * 2 > t->slot_count)
		grow(t);
	struct series *s = find_slot(t, key);
	if (!s->key) {
		size_t n = t->day_count * TREND_MEASURES;
		s->key = xstrdup(key);
		s->values = xmalloc((n ? n : 1) * sizeof(double));
		for (size_t i = 0; i < n; i++)
			s->values[i] = NAN;
		t->used++;
	}
	return s;
}

static size_t day_index(const struct trends *t, day_t day)
{
	size_t lo = 0, hi = t->day_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->days[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == t->day_count || t->days[lo] != day)
		BUG("a series row for a day that is not recorded");
	return lo;
}

struct loading {
	struct trends *t;
	struct buf key;
	history_row_fn *also;
	void *also_ctx;
	bool repeat; /* the organisation's slice was read already */
};

static void take_row(void *ctx, day_t day, const struct history_aggregate *a)
{
	struct loading *l = ctx;
	if (l->repeat && !*a->scorecard && !*a->rule && !*a->team && !*a->campaign &&
	    !*a->dimension)
		return;
	if (l->also)
		l->also(l->also_ctx, day, a);
	const char *fields[6] = { a->scorecard, a->rule, a->team, a->campaign,
				  a->dimension, a->value };
	slice_key(&l->key, fields);
	struct series *s = series_of(l->t, l->key.data);
	size_t d = day_index(l->t, day), n = l->t->day_count;
	s->values[TREND_SCORE * n + d] = isnan(a->score) ? NAN : a->score * 100;
	s->values[TREND_PASS * n + d] = (double)a->pass;
	s->values[TREND_COUNTED * n + d] = (double)(a->pass + a->fail);
	s->values[TREND_ENTITIES * n + d] = (double)a->entities;
}

/*
 * The slices the pages chart, asked for by what they leave empty (""):
 * the organisation, scorecards and rules; teams overall; scorecard levels;
 * campaigns overall. Team x scorecard, campaign x team or rule and the
 * entity dimensions stay in the history for `yardstick history`.
 */
static const struct history_filter filters[] = {
	{ NULL, NULL, "", "", "", "" },   /* the organisation, scorecards, rules */
	{ "", "", NULL, "", "", "" },     /* teams overall */
	{ NULL, "", "", "", "level", NULL }, /* scorecard levels */
	{ "", "", "", NULL, "", "" },     /* campaigns overall */
};

int trends_load(struct trends **out, struct history *h, day_t today,
		long keep_days, history_row_fn *also, void *also_ctx,
		struct err *e)
{
	struct trends *t = xcalloc(1, sizeof(*t));
	day_t *days;
	size_t count;
	*out = NULL;
	if (history_days(h, &days, &count, e) < 0) {
		free(t);
		return -1;
	}
	day_t since = today - keep_days + 1;
	t->days = xcalloc(count + 1, sizeof(day_t));
	for (size_t i = 0; i < count; i++)
		if (days[i] >= since && days[i] <= today)
			t->days[t->day_count++] = days[i];
	free(days);
	struct loading l = { t, BUF_INIT, also, also_ctx, false };
	int status = 0;
	for (size_t i = 0; status == 0 && i < ARRAY_SIZE(filters); i++) {
		l.repeat = i > 0; /* every filter after the first matches it too */
		status = history_series(h, &filters[i], since, today, take_row, &l, e);
	}
	buf_release(&l.key);
	if (status < 0) {
		trends_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

void trends_free(struct trends *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->slot_count; i++) {
		free(t->slots[i].key);
		free(t->slots[i].values);
	}
	free(t->slots);
	free(t->days);
	free(t);
}

const day_t *trends_days(const struct trends *t, size_t *count)
{
	*count = t->day_count;
	return t->days;
}

const double *trends_series(const struct trends *t,
			    const struct trend_slice *slice,
			    enum trend_measure measure)
{
	if (!t->slot_count)
		return NULL;
	const char *fields[6] = { slice->scorecard, slice->rule, slice->team,
				  slice->campaign, slice->dimension, slice->value };
	struct buf key = BUF_INIT;
	slice_key(&key, fields);
	const struct series *s = find_slot(t, key.data);
	buf_release(&key);
	return s->key ? &s->values[measure * t->day_count] : NULL;
}
