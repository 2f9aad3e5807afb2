#include "slug.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/*
 * Windows reserves these device names in every folder, whatever the
 * extension ("con.html" is the console too), so a site with such a file
 * cannot be copied to or served from a Windows host. Slugs are lowercase.
 */
static bool reserved_on_windows(const char *slug, size_t len)
{
	static const char *const names[] = { "con", "prn", "aux", "nul" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (len == 3 && memcmp(slug, names[i], 3) == 0)
			return true;
	/* com0-com9 and lpt0-lpt9 */
	return len == 4 && (memcmp(slug, "com", 3) == 0 || memcmp(slug, "lpt", 3) == 0) &&
	       slug[3] >= '0' && slug[3] <= '9';
}

char *slug_make(struct arena *a, const char *text)
{
	char out[SLUG_MAX + 1];
	size_t len = 0;
	int dash = 0; /* a '-' is due before the next kept byte */
	for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
		unsigned char c = *s;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
			dash = 1;
			continue;
		}
		if (dash && len > 0) {
			if (len == SLUG_MAX)
				break;
			out[len++] = '-';
		}
		dash = 0;
		if (len == SLUG_MAX)
			break;
		out[len++] = (char)c;
	}
	/* The cut can land just after a '-'. */
	if (len > 0 && out[len - 1] == '-')
		len--;
	if (len == 0)
		return arena_strdup(a, "x");
	if (reserved_on_windows(out, len))
		return arena_printf(a, "%.*s_", (int)len, out);
	return arena_strndup(a, out, len);
}

/* ---- the set -------------------------------------------------------- */

struct slug_entry {
	const char *slug;   /* in the set's arena */
	size_t next_suffix; /* where the search for "<slug>-N" goes on; 0 = 2 */
};

void slug_set_init(struct slug_set *set)
{
	struct slug_set empty = SLUG_SET_INIT;
	*set = empty;
}

void slug_set_release(struct slug_set *set)
{
	free(set->entries);
	free(set->slots);
	arena_release(&set->arena);
	slug_set_init(set);
}

/* Index of `slug` in entries, or SIZE_MAX. */
static size_t find(const struct slug_set *set, const char *slug)
{
	if (!set->slot_count)
		return SIZE_MAX;
	size_t mask = set->slot_count - 1;
	for (size_t i = util_hash_string(slug) & mask; set->slots[i]; i = (i + 1) & mask) {
		size_t at = set->slots[i] - 1;
		if (strcmp(set->entries[at].slug, slug) == 0)
			return at;
	}
	return SIZE_MAX;
}

static void place(struct slug_set *set, size_t at)
{
	size_t mask = set->slot_count - 1;
	size_t i = util_hash_string(set->entries[at].slug) & mask;
	while (set->slots[i])
		i = (i + 1) & mask;
	set->slots[i] = at + 1;
}

/* Add `slug`, known not to be in the set; returns its index. */
static size_t add(struct slug_set *set, const char *slug)
{
	if ((set->count + 1) * 2 > set->slot_count) {
		free(set->slots);
		set->slot_count = set->slot_count ? set->slot_count * 2 : 64;
		set->slots = xcalloc(set->slot_count, sizeof(*set->slots));
		for (size_t i = 0; i < set->count; i++)
			place(set, i);
	}
	ALLOC_GROW(set->entries, set->count + 1, set->alloc);
	size_t at = set->count++;
	set->entries[at].slug = arena_strdup(&set->arena, slug);
	set->entries[at].next_suffix = 0;
	place(set, at);
	return at;
}

void slug_set_reserve(struct slug_set *set, const char *slug)
{
	if (find(set, slug) == SIZE_MAX)
		add(set, slug);
}

const char *slug_set_claim(struct slug_set *set, struct arena *a,
			   const char *text)
{
	char *base = slug_make(a, text);
	size_t at = find(set, base);
	if (at == SIZE_MAX) {
		add(set, base);
		return base;
	}
	/*
	 * Taken. Every suffix below next_suffix was handed out or found taken
	 * before, and nothing is ever given back, so the search resumes there:
	 * 20,000 claims of one name stay linear, and the first free suffix is
	 * still the one found.
	 */
	char candidate[SLUG_MAX + 2 + 3 * sizeof(size_t) + 1];
	size_t n = set->entries[at].next_suffix ? set->entries[at].next_suffix : 2;
	for (;; n++) {
		snprintf(candidate, sizeof(candidate), "%s-%zu", base, n);
		if (find(set, candidate) == SIZE_MAX)
			break;
	}
	set->entries[at].next_suffix = n + 1;
	add(set, candidate);
	return arena_strdup(a, candidate);
}
