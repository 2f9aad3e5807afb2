/*
 * badge: README badges as standalone SVG documents, in the look of
 * shields.io's "flat" style: a label on grey and a message on a colour,
 * 20 pixels high, with rounded corners and a text shadow.
 *
 * Text is measured with a table of character widths (Verdana and DejaVu
 * Sans at 11px), so a badge is exactly as wide as its text and the build
 * needs no font. Output is deterministic (same arguments, same bytes) and
 * independent of the locale: every number written is an integer.
 */
#ifndef YARDSTICK_BADGE_H
#define YARDSTICK_BADGE_H

#include <stdbool.h>

#include "buf.h"

/* Longest label or message drawn, in code points; longer text is cut to
 * BADGE_MAX_TEXT - 1 code points and "…". */
#define BADGE_MAX_TEXT 60

/* The colour of a badge without a score (out of scope, nothing counts). */
#define BADGE_COLOR_NO_SCORE "#9f9f9f"

/*
 * Append a complete SVG document (`<svg xmlns=...>...</svg>` and a
 * newline) showing `label` on grey and `message` on `color`. Both are any
 * text from content, possibly empty (NULL is a BUG()): they are escaped,
 * invalid UTF-8 and control characters are drawn as U+FFFD (tabs and line
 * breaks as spaces) so the document is always well-formed XML, and each
 * is cut at BADGE_MAX_TEXT. The same text is the badge's accessible name
 * (its `<title>`, with `role="img"`; no `aria-label` repeating it):
 * "label: message", or the one that is not empty. An empty label or message still gets its 10px of padding.
 *
 * `color` is a CSS colour `#rgb` or `#rrggbb`, normally from
 * badge_color_for_level() or BADGE_COLOR_NO_SCORE; anything else is a
 * BUG() (colours never come from content unchecked: validate those with
 * badge_color_valid()). The message text is dark on light colours, white
 * otherwise.
 *
 * The document has no element ids (no gradient, clipPath or shadow text:
 * about 500 bytes), so it may be used as an image or inline.
 */
void badge_svg(struct buf *out, const char *label, const char *message,
	       const char *color);

/*
 * The colour for an entity at `level` on a scorecard with `level_count`
 * levels: red (#e05d44) for 0, bright green (#4c1) for level_count, and
 * for a level in between the one of orange, yellow, yellowgreen and green
 * nearest its place on that scale (of 3 levels, 1 is yellow and 2
 * yellowgreen). A negative level (out of scope, as eval reports it) is
 * BADGE_COLOR_NO_SCORE. A static string. `level_count` < 1 or `level` >
 * `level_count` is a BUG().
 */
const char *badge_color_for_level(int level, int level_count);

/* Whether `color` is "#" and 3 or 6 hex digits (either case). NULL is
 * not. */
bool badge_color_valid(const char *color);

/*
 * The width in pixels badge_svg() gives `text` (NULL is a BUG()), without
 * padding: what is drawn, after the cut at BADGE_MAX_TEXT, summed from a
 * table of printable ASCII widths. Latin-1 letters and signs measure as
 * the ASCII character they look like ("é" as "e", "·" as "."); every other
 * code point, and every invalid byte, is as wide as "m", 10.7px. A
 * multiple of 0.1.
 */
double badge_text_width(const char *text);

#endif
