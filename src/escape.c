/*
 * escape: escapers as tables, after cmark's houdini.
 *
 * Each escaper copies the longest run of bytes that need nothing in one
 * buf_add() and looks up the replacement for the byte that ends the run,
 * so text without special characters (most of it) costs one scan and one
 * copy.
 */
#include "escape.h"

#include <string.h>

#include "util.h"

#define REPLACEMENT_CHARACTER "\xEF\xBF\xBD" /* U+FFFD */

/* ---- HTML and XML ---------------------------------------------------- */

static const char *const html_entities[256] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
	['"'] = "&quot;", ['\''] = "&#39;",
};

/* The length of html_entities[c], 0 for a byte copied as it is: one byte
 * a character to test, where most text has nothing to escape. */
static const unsigned char html_entity_length[256] = {
	['&'] = 5, ['<'] = 4, ['>'] = 4, ['"'] = 6, ['\''] = 5,
};

void escape_html(struct buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		size_t n = html_entity_length[u[i]];
		if (!n)
			continue;
		buf_grow(out, i - start + n);
		memcpy(out->data + out->len, s + start, i - start);
		memcpy(out->data + out->len + (i - start), html_entities[u[i]], n);
		out->len += i - start + n;
		out->data[out->len] = '\0';
		start = i + 1;
	}
	buf_add(out, s + start, len - start);
}

/* Characters XML 1.0 cannot hold: C0 controls but tab, LF and CR. */
static bool xml_forbidden_control(unsigned char c)
{
	return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

void escape_xml(struct buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0;
	for (size_t i = 0; i < len;) {
		unsigned char c = u[i];
		const char *replacement = html_entities[c];
		size_t n = 1;
		if (!replacement && (c == '\n' || c == '\r' || c == '\t')) {
			/* Kept as characters: an attribute value would turn a
			 * raw line break into a space (XML's normalisation). */
			replacement = c == '\n' ? "&#10;" : c == '\r' ? "&#13;" : "&#9;";
		} else if (!replacement && xml_forbidden_control(c)) {
			replacement = REPLACEMENT_CHARACTER;
		} else if (!replacement && c >= 0x80) {
			n = util_utf8_length(u + i, len - i);
			/* U+FFFE and U+FFFF are not XML characters either. */
			if (!n || (n == 3 && c == 0xEF && u[i + 1] == 0xBF &&
				   u[i + 2] >= 0xBE)) {
				replacement = REPLACEMENT_CHARACTER;
				n = n ? n : 1;
			}
		}
		if (replacement) {
			buf_add(out, s + start, i - start);
			buf_adds(out, replacement);
			start = i + n;
		}
		i += n;
	}
	buf_add(out, s + start, len - start);
}

/* ---- JSON ------------------------------------------------------------ */

void escape_json_string(struct buf *out, const char *s)
{
	buf_addch(out, '"');
	const char *start = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_add(out, start, (size_t)(s - start));
		switch (c) {
		case '"': buf_adds(out, "\\\""); break;
		case '\\': buf_adds(out, "\\\\"); break;
		case '\n': buf_adds(out, "\\n"); break;
		case '\t': buf_adds(out, "\\t"); break;
		case '\r': buf_adds(out, "\\r"); break;
		default: buf_addf(out, "\\u%04x", c); break;
		}
		start = s + 1;
	}
	buf_add(out, start, (size_t)(s - start));
	buf_addch(out, '"');
}

/* ---- CSV ------------------------------------------------------------- */

void escape_csv_field(struct buf *out, const char *s)
{
	if (!s)
		s = "";
	if (!strpbrk(s, ",\"\r\n")) {
		buf_adds(out, s);
		return;
	}
	buf_addch(out, '"');
	const char *start = s;
	for (; *s; s++) {
		if (*s != '"')
			continue;
		buf_add(out, start, (size_t)(s + 1 - start));
		start = s; /* the quote again, doubled */
	}
	buf_add(out, start, (size_t)(s - start));
	buf_addch(out, '"');
}

/* ---- URLs ------------------------------------------------------------ */

static bool url_unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

void escape_url_component(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *start = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (url_unreserved(c))
			continue;
		buf_add(out, start, (size_t)(s - start));
		char encoded[3] = { '%', hex[c >> 4], hex[c & 15] };
		buf_add(out, encoded, sizeof(encoded));
		start = s + 1;
	}
	buf_add(out, start, (size_t)(s - start));
}

static const char *const allowed_schemes[] = { "http", "https", "mailto" };

/* Browsers drop these inside a URL before they parse it. */
static bool url_ignored(unsigned char c)
{
	return c == '\t' || c == '\n' || c == '\r';
}

static bool url_slash(unsigned char c)
{
	return c == '/' || c == '\\';
}

static unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

bool escape_url_allowed(const char *url)
{
	if (!url)
		return false;
	const unsigned char *p = (const unsigned char *)url;
	while (*p && *p <= ' ')
		p++;

	/* The first two characters a browser sees: "//host" leaves the site. */
	unsigned char first[2] = { 0, 0 };
	size_t seen = 0;
	for (const unsigned char *q = p; *q && seen < 2; q++)
		if (!url_ignored(*q))
			first[seen++] = *q;
	if (seen == 0)
		return false;

	char scheme[8];
	size_t len = 0;
	for (; *p; p++) {
		if (url_ignored(*p))
			continue;
		if (*p == ':') {
			if (len >= sizeof(scheme))
				return false;
			scheme[len] = '\0';
			for (size_t i = 0; i < ARRAY_SIZE(allowed_schemes); i++)
				if (strcmp(scheme, allowed_schemes[i]) == 0)
					return true;
			return false;
		}
		if (*p == '/' || *p == '?' || *p == '#')
			break;
		if (len < sizeof(scheme))
			scheme[len] = (char)ascii_lower(*p);
		len++;
	}
	return !(seen == 2 && url_slash(first[0]) && url_slash(first[1]));
}

/* ---- Slack mrkdwn ---------------------------------------------------- */

/* Slack's three control characters (its escaping section). */
static const char *const mrkdwn_entities[256] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
};

/*
 * Formatting markers and their inert look-alikes (escape.h says why these).
 * `intraword`: the marker only formats at a word boundary, so it may stay
 * between two ASCII letters or digits.
 */
static const struct {
	const char *marker;
	const char *lookalike;
	bool intraword;
} mrkdwn_markers[] = {
	{ "*", "\xE2\x88\x97", true },         /* U+2217 asterisk operator */
	{ "_", "\xCB\x8D", true },             /* U+02CD low macron */
	{ "~", "\xE2\x88\xBC", true },         /* U+223C tilde operator */
	{ "`", "\xCB\x8B", false },            /* U+02CB grave accent */
	{ "\xEF\xBC\x8A", "\xEF\xB9\xA1", false }, /* ＊ U+FF0A -> U+FE61 */
	{ "\xEF\xBC\xBF", "\xE2\xB8\x8F", false }, /* ＿ U+FF3F -> U+2E0F */
	{ "\xEF\xBD\x80", "\xCB\x8B", false },     /* ｀ U+FF40 -> U+02CB */
};

static bool ascii_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* The replacement for the `n` bytes of one character at s[i], or NULL. */
static const char *mrkdwn_replacement(const unsigned char *s, size_t len,
				      size_t i, size_t n)
{
	if (n == 1 && mrkdwn_entities[s[i]])
		return mrkdwn_entities[s[i]];
	if (n == 1 && (s[i] < 0x20 || s[i] == 0x7F))
		return " ";
	for (size_t m = 0; m < ARRAY_SIZE(mrkdwn_markers); m++) {
		const char *marker = mrkdwn_markers[m].marker;
		if (strlen(marker) != n || memcmp(s + i, marker, n) != 0)
			continue;
		if (mrkdwn_markers[m].intraword && i > 0 && i + 1 < len &&
		    ascii_alnum(s[i - 1]) && ascii_alnum(s[i + 1]))
			return NULL;
		return mrkdwn_markers[m].lookalike;
	}
	return NULL;
}

void escape_mrkdwn(struct buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0;
	for (size_t i = 0; i < len;) {
		size_t n = util_utf8_length(u + i, len - i);
		const char *replacement = REPLACEMENT_CHARACTER;
		if (n)
			replacement = mrkdwn_replacement(u, len, i, n);
		else
			n = 1;
		if (replacement) {
			buf_add(out, s + start, i - start);
			buf_adds(out, replacement);
			start = i + n;
		}
		i += n;
	}
	buf_add(out, s + start, len - start);
}
