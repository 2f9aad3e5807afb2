/*
 * escape: every escaper and the URL policy, in one place.
 *
 * Text from content (names, descriptions, reasons, URLs) reaches several
 * languages: HTML pages and SVG badges, JSON and CSV exports, JUnit XML,
 * URL query strings and Slack messages. Each has one function here that makes a
 * content string inert in that language, and each appends to a `buf`
 * (never fails; out of memory aborts). The model is cmark's `houdini`,
 * which keeps cmark's HTML, href and URL escapers together.
 *
 * Escaping is the default: whoever writes content into output calls one of
 * these, and a reviewer who looks for a writer without one has found a bug.
 */
#ifndef YARDSTICK_ESCAPE_H
#define YARDSTICK_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/*
 * Append `len` bytes of s (NULL is fine when `len` is 0) with &, <, >, "
 * and ' replaced by &amp; &lt; &gt; &quot; &#39;, for HTML text and
 * attribute values (quoted with either quote), and for SVG text and
 * attributes, which follow the same rules. Every other byte, NUL and
 * invalid UTF-8 included, is copied as it is.
 */
void escape_html(struct buf *out, const char *s, size_t len);

/*
 * Append `len` bytes of s escaped for XML 1.0 text and attribute values
 * (the JUnit report): the same five references as escape_html(), so what
 * is well-formed there reads the same here. XML 1.0 has no way at all to
 * write most control characters (not even as references), so every
 * character outside XML's Char production (U+0000 to U+001F other than
 * tab, line feed and carriage return, U+FFFE, U+FFFF) and every byte that
 * is not valid UTF-8 becomes U+FFFD: the document stays well-formed
 * whatever the content. Line feed, carriage return and tab become
 * character references (&#10; &#13; &#9;), so they survive in attribute
 * values, where XML would read them as spaces.
 */
void escape_xml(struct buf *out, const char *s, size_t len);

/*
 * Append s (NUL-terminated) as a JSON string literal, quotes included:
 * " and \ are backslash-escaped, line feed, tab and carriage return as \n,
 * \t, \r, other bytes below 0x20 as \u00XX. Bytes from 0x80 are copied as
 * they are: s is expected to be UTF-8 (content is checked when loaded).
 */
void escape_json_string(struct buf *out, const char *s);

/*
 * Append s (NUL-terminated; NULL is the empty field) as one CSV field, by
 * RFC 4180: a field holding a comma, a quote or a line break is quoted,
 * its quotes doubled; any other field is copied as it is.
 */
void escape_csv_field(struct buf *out, const char *s);

/*
 * Append s (NUL-terminated) percent-encoded as one URL component (a query
 * value, a path segment): the unreserved characters of RFC 3986 (A-Z a-z
 * 0-9 - . _ ~) stay, every other byte becomes %XX with upper-case hex, so
 * "a b&c/d" is "a%20b%26c%2Fd". The result is still to be escaped for the
 * place it is written (escape_html() for an attribute).
 */
void escape_url_component(struct buf *out, const char *s);

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
 * escaped where it is written (escape_html() for an attribute).
 *
 * The same rule serves every URL the site prints: links in Markdown
 * (markdown.c drops the others), entity links, docs links and contacts.
 */
bool escape_url_allowed(const char *url);

/*
 * Append `len` bytes of s (NULL is fine when `len` is 0) as Slack mrkdwn
 * text that shows exactly as plain text: a name written by a user never
 * becomes a mention, a link, bold or code.
 *
 * - `&`, `<` and `>` become `&amp;`, `&lt;` and `&gt;`. Slack's "Formatting
 *   text for app surfaces" (https://api.slack.com/reference/surfaces/
 *   formatting#escaping, now docs.slack.dev/messaging/formatting-message-text)
 *   names these three as its control characters and says to escape them
 *   and only them (other entities are shown as written). Every special
 *   sequence -- `<!channel>`, `<!here>`, `<@U123>`, `<#C123>`,
 *   `<!subteam^S1>`, `<https://x|label>`, `<!date^...>` -- starts with `<`,
 *   so none can come out of content.
 * - Slack has no escape for its formatting characters (`*bold*`,
 *   `_italic_`, `~strike~`, `` `code` ``): the page above gives none, and a
 *   backslash or an entity is shown as written. So `*`, `_`, `~` and the
 *   backtick are replaced by characters that look alike and mean nothing
 *   to mrkdwn, the substitutes jsx-slack settled on (its docs/about-escape-
 *   and-exact-mode.md): `*` U+2217 ∗, `_` U+02CD ˍ, `~` U+223C ∼, and the
 *   backtick U+02CB ˋ; the fullwidth ＊ ＿ ｀, which jsx-slack found Slack
 *   reads as markers too, become U+FE61 ﹡, U+2E0F ⸏ and U+02CB ˋ.
 *   Exception: `*`, `_` and `~` between two ASCII letters or digits stay,
 *   since mrkdwn only formats at word boundaries (jsx-slack's page shows
 *   `Super_cali_fragilistic` coming out as typed), so snake_case names
 *   stay as written and searchable. Should Slack ever format inside a
 *   word, the cost is a slanted word, never a mention or a link.
 * - Control characters (line breaks included) become a space: a content
 *   string is placed within a line of the message, and a line break would
 *   let it start a `>` quote or a list of its own. (Slack reads `&gt;` at
 *   the start of a line as a quote too, so a caller never starts a line
 *   with content: put a label or a bullet first.) Bytes that are not
 *   valid UTF-8 become U+FFFD, which keeps the JSON payload valid.
 *
 * Not handled here: the text object that carries the result must set
 * `"verbatim": true`, or Slack itself turns bare URLs and #channel names in
 * it into links (Slack's text object reference,
 * docs.slack.dev/reference/block-kit/composition-objects/text-object:
 * with verbatim "it won't modify any plain-text content"). `:name:` emoji codes stay (they are harmless). Slack's
 * length limits are the caller's business.
 */
void escape_mrkdwn(struct buf *out, const char *s, size_t len);

#endif
