/*
 * slug: safe, distinct file names made from names found in content.
 *
 * Every file name of the site is a slug, never a raw name: names in content
 * can be "../../etc/passwd", "<script>", Unicode, or nothing at all once
 * cleaned. A slug is always one safe path segment, and a slug_set hands
 * out distinct slugs so two names never share a file.
 */
#ifndef YARDSTICK_SLUG_H
#define YARDSTICK_SLUG_H

#include <stddef.h>

#include "arena.h"

/* The longest slug slug_make() returns, in bytes. */
enum { SLUG_MAX = 80 };

/*
 * The slug of `text` (not NULL), allocated in `a`. The rule, byte by byte:
 *
 *   - 'a'-'z', '0'-'9' and '_' are kept; 'A'-'Z' become lowercase;
 *   - every other byte ('.', '/', spaces, punctuation, control bytes and
 *     every byte >= 0x80, so all of UTF-8 beyond ASCII) becomes '-';
 *   - runs of '-' collapse into one; leading and trailing '-' are removed;
 *   - the result is cut to at most SLUG_MAX bytes, and a '-' left at the
 *     end by the cut is removed;
 *   - an empty result becomes "x";
 *   - a name Windows reserves for a device (con, prn, aux, nul, com0-com9,
 *     lpt0-lpt9; the result is lowercase already) gets a '_' appended:
 *     "con_", "lpt1_". Windows reserves them with any extension, so
 *     "con.html" could not be written there; "Con.txt" is "con-txt" and
 *     safe as it is.
 *
 * So a slug matches [a-z0-9_]+(-[a-z0-9_]+)*, is 1 to SLUG_MAX bytes long,
 * and never contains '.' or '/' nor starts with '-': it is always a safe
 * single path segment. Different texts can give the same slug ("A b",
 * "a-b"); use a slug_set where names must stay distinct. Never fails.
 */
char *slug_make(struct arena *a, const char *text);

/*
 * A set of slugs already in use. Lookups are by exact bytes through a hash
 * table, so claiming is constant time on average (10,000s of claims are
 * fine). The set owns copies of its slugs; it does not use the caller's
 * arena.
 */
struct slug_set {
	struct slug_entry *entries; /* owned; in the order they were added */
	size_t count, alloc;
	size_t *slots;              /* owned; open addressing, index + 1, 0 empty */
	size_t slot_count;          /* a power of two, or 0 */
	struct arena arena;         /* the set's copies of the slugs */
};

#define SLUG_SET_INIT { NULL, 0, 0, NULL, 0, ARENA_INIT }

void slug_set_init(struct slug_set *set);
/* Free what the set holds; it is empty and reusable afterwards. Slugs
 * returned by slug_set_claim() live in the caller's arena and survive. */
void slug_set_release(struct slug_set *set);

/*
 * Mark `slug` as taken, exactly as given (it is not passed through
 * slug_make), so no claim returns it: e.g. "index", so that a team named
 * "Index" is not written over teams/index.html. Reserving a slug already
 * taken does nothing.
 */
void slug_set_reserve(struct slug_set *set, const char *slug);

/*
 * A slug for `text` that no earlier claim returned and that is not
 * reserved, now taken: slug_make(text) when it is free, otherwise
 * "<base>-2", "<base>-3", ... the first of these that is free (a suffixed
 * form claimed for another text earlier, like a real name "a-2", is
 * skipped). The result is allocated in `a` and is at most SLUG_MAX bytes
 * plus the suffix. The same claims in the same order give the same slugs.
 * Never fails.
 */
const char *slug_set_claim(struct slug_set *set, struct arena *a,
			   const char *text);

#endif
