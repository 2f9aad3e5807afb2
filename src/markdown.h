/*
 * markdown: Markdown from content (descriptions, remediation, campaign
 * guidance, free pages) to HTML, with cmark, safely.
 *
 * cmark runs in its safe mode (never CMARK_OPT_UNSAFE), so raw HTML comes
 * out as `<!-- raw HTML omitted -->`; text is kept as written (no smart
 * punctuation); invalid UTF-8 becomes U+FFFD. On top of that, only links
 * that escape_url_allowed() (escape.h) accepts stay links.
 */
#ifndef YARDSTICK_MARKDOWN_H
#define YARDSTICK_MARKDOWN_H

#include <stddef.h>

#include "buf.h"

/*
 * Append the HTML for `len` bytes of Markdown at `markdown` (which need not
 * be NUL-terminated and may contain any bytes; NULL is fine when `len` is
 * 0).
 *
 * A link whose URL escape_url_allowed() refuses is replaced by its
 * content (the text stays, the link goes); such an image is replaced by
 * its description as plain text, its alt text. That includes `data:`
 * images: a badge or screenshot should be a file or an https URL.
 *
 * With `heading_shift` 1, every heading goes one level down (h1 becomes
 * h2, ..., h6 stays h6), for Markdown placed in a page that has its own
 * h1; 0 keeps the levels. Other values are a BUG().
 *
 * Never fails on input: Markdown has no syntax errors. cmark walks its
 * tree without recursion, so any nesting is safe, but time and memory grow
 * with the input: pathological Markdown costs up to about 200 bytes of
 * memory per input byte (1 MiB of ">" is a million nested quotes, 28 MB of
 * HTML, 190 MB at the peak). Bound the input's size before calling. Out of
 * memory aborts inside cmark.
 */
void markdown_render(struct buf *out, const char *markdown, size_t len,
		     int heading_shift);

#endif
