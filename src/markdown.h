/*
 * markdown: Markdown from content (descriptions, remediation, campaign
 * guidance, free pages) to HTML, with cmark, safely.
 *
 * cmark runs in its safe mode (never CMARK_OPT_UNSAFE), so raw HTML comes
 * out as `<!-- raw HTML omitted -->`; text is kept as written (no smart
 * punctuation); invalid UTF-8 becomes U+FFFD. On top of that, only links
 * that markdown_url_allowed() accepts stay links. The same rule serves
 * every URL the site prints (entity links, docs links, contacts).
 */
#ifndef YARDSTICK_MARKDOWN_H
#define YARDSTICK_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/*
 * Whether `url` may be written as a link: an http, https or mailto URL
 * (the scheme in any case), or a relative URL within the site such as
 * `../scorecards/security.html`, `/pages/x.html`, `#top` or `?q=a:b`.
 * Relative URLs are harmless (they stay on the site and carry no script),
 * and free pages link to other pages that way.
 *
 * Everything else is refused: every other scheme (`javascript:`, `data:`,
 * `vbscript:`, `file:`, ...), protocol-relative `//host` (and `\\host`,
 * `/\host`, which browsers read the same way), the empty string and NULL.
 * The check reads the URL as a browser does: leading spaces and control
 * characters are skipped and tabs and line breaks anywhere are ignored,
 * so " java\tscript:" is `javascript:`. A colon before the first `/`, `?`
 * or `#` makes what precedes it a scheme, so anything that is not exactly
 * http, https or mailto there is refused, even where a browser would read
 * a relative path (`a:b`; write `./a:b`). An allowed URL still has to be
 * escaped where it is written (buf_add_html() for an attribute).
 */
bool markdown_url_allowed(const char *url);

/*
 * Append the HTML for `len` bytes of Markdown at `markdown` (which need not
 * be NUL-terminated and may contain any bytes; NULL is fine when `len` is
 * 0).
 *
 * A link whose URL markdown_url_allowed() refuses is replaced by its
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
