/*
 * Unit tests for badge: text widths from the table, the cut at
 * BADGE_MAX_TEXT, the SVG's geometry (the total is the sum of the parts),
 * escaping, well-formedness for hostile and odd text, colours.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "badge.h"
#include "util.h"

static char *render(const char *label, const char *message, const char *color)
{
	struct buf out = BUF_INIT;
	badge_svg(&out, label, message, color);
	return buf_detach(&out, NULL);
}

/* Width in tenths of a pixel, as an integer, so tables compare exactly. */
static long tenths(const char *text)
{
	return lround(badge_text_width(text) * 10);
}

/* The unsigned number after the first `key` at or after `from`. */
static unsigned number_after(const char *from, const char *key)
{
	const char *p = strstr(from, key);
	if (!p)
		fail_msg("no %s in %s", key, from);
	return (unsigned)strtoul(p + strlen(key), NULL, 10);
}

static size_t count(const char *haystack, const char *needle)
{
	size_t n = 0;
	for (const char *p = haystack; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/*
 * A small XML well-formedness check, enough for what badge_svg() writes
 * (no comments, CDATA or processing instructions): valid UTF-8 without
 * control characters other than newlines, balanced and properly nested
 * elements under one root, quoted attribute values, and every `&` starting
 * one of the references escape_html() writes.
 */
static void assert_well_formed(const char *xml)
{
	static const char *const refs[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
	char stack[16][32];
	size_t depth = 0, roots = 0;
	size_t len = strlen(xml);

	assert_int_equal(util_utf8_invalid(xml, len), len);
	for (const char *p = xml; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c < 0x20 && c != '\n') || c == 0x7F)
			fail_msg("control character %#x at %zu", c, (size_t)(p - xml));
		if (c == '&') {
			bool known = false;
			for (size_t i = 0; i < ARRAY_SIZE(refs); i++)
				known |= strncmp(p, refs[i], strlen(refs[i])) == 0;
			if (!known)
				fail_msg("bare & at %zu", (size_t)(p - xml));
		}
	}

	const char *p = xml;
	while (*p) {
		if (*p != '<') {
			if (depth == 0 && *p != '\n')
				fail_msg("text outside the root at %zu", (size_t)(p - xml));
			p++;
			continue;
		}
		bool closing = p[1] == '/';
		const char *name = p + 1 + closing;
		size_t name_len = strcspn(name, " />\n");
		assert_true(name_len > 0 && name_len < sizeof(stack[0]));
		const char *q = name + name_len;
		/* attributes: name="value" with no < or " inside the value */
		while (*q == ' ') {
			q++;
			q += strcspn(q, "=> ");
			assert_true(q[0] == '=' && q[1] == '"');
			const char *end = strchr(q + 2, '"');
			assert_non_null(end);
			assert_true(memchr(q + 2, '<', (size_t)(end - q - 2)) == NULL);
			q = end + 1;
		}
		bool empty = false;
		if (*q == '/') {
			empty = true;
			q++;
		}
		if (*q != '>')
			fail_msg("bad tag at %zu", (size_t)(p - xml));
		if (closing) {
			assert_false(empty);
			assert_true(depth > 0);
			depth--;
			assert_true(strlen(stack[depth]) == name_len &&
				    strncmp(stack[depth], name, name_len) == 0);
		} else {
			if (depth == 0)
				roots++;
			if (!empty) {
				assert_true(depth < ARRAY_SIZE(stack));
				memcpy(stack[depth], name, name_len);
				stack[depth][name_len] = '\0';
				depth++;
			}
		}
		p = q + 1;
	}
	assert_int_equal(depth, 0);
	assert_int_equal(roots, 1);
}

/* The geometry every badge must have: parts side by side, texts centred. */
static void assert_geometry(const char *svg, const char *label,
			    const char *message)
{
	unsigned label_part = (unsigned)((tenths(label) + 9) / 10) + 10;
	unsigned message_part = (unsigned)((tenths(message) + 9) / 10) + 10;
	unsigned width = number_after(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"");
	assert_int_equal(width, label_part + message_part);
	/* the rounded box, then the message part over its right side */
	assert_int_equal(number_after(svg, "<rect width=\""), width);
	const char *part = strstr(svg, "<path fill=\"");
	assert_non_null(part);
	assert_int_equal(number_after(part, " d=\"M"), label_part);
	assert_int_equal(number_after(part, " 0h"), message_part - 3);
	assert_int_equal(number_after(part, "-3 3H"), label_part);
	assert_null(strstr(svg, "clipPath"));
	assert_null(strstr(svg, "fill-opacity"));
	const char *texts = strstr(svg, "font-size=\"110\" transform=\"scale(.1)\">");
	assert_non_null(texts);
	if (*label) {
		assert_int_equal(number_after(texts, " x=\""), label_part * 5);
		assert_int_equal(number_after(texts, "textLength=\""),
				 (unsigned)tenths(label));
	}
	if (*message) {
		const char *last = texts, *p;
		while ((p = strstr(last + 1, "<text x=\"")))
			last = p;
		assert_int_equal(number_after(last, " x=\""),
				 label_part * 10 + message_part * 5);
		assert_int_equal(number_after(last, "textLength=\""),
				 (unsigned)tenths(message));
	}
}

static const struct { const char *text; long tenths; } width_cases[] = {
	{ "", 0 },
	{ " ", 39 },
	{ "a", 67 },
	{ "i", 31 },
	{ "m", 107 },
	{ "W", 109 },
	{ "0123456789", 770 },
	{ "build", 70 + 70 + 31 + 31 + 70 },
	/* UTF-8: code points, not bytes */
	{ "\xc3\xa9", 68 },                  /* é measures as e */
	{ "\xc3\x89t\xc3\xa9", 70 + 43 + 68 }, /* Été */
	{ "\xc2\xb7", 39 },                  /* · measures as . */
	{ "\xe6\x97\xa5\xe6\x9c\xac", 214 },  /* 日本: two defaults */
	{ "\xf0\x9f\x9a\x80", 107 },          /* one emoji, four bytes */
	{ "\xe2\x80\xa6", 107 },              /* … */
	/* invalid bytes: one default width each */
	{ "\xff", 107 },
	{ "\xff\xfe", 214 },
	{ "a\xc3", 67 + 107 },                /* truncated sequence */
	{ "\xc0\xaf", 214 },                  /* overlong '/' */
	{ "\xed\xa0\x80", 321 },              /* a surrogate: three bytes */
	/* control characters: tabs and line breaks as spaces, others U+FFFD */
	{ "a\tb", 67 + 39 + 70 },
	{ "\r\n", 78 },
	{ "\x01", 107 },
	{ "\x7f", 107 },
};

static void test_text_width(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(width_cases); i++) {
		long got = tenths(width_cases[i].text);
		if (got != width_cases[i].tenths)
			fail_msg("case %zu: width %ld tenths, expected %ld", i, got,
				 width_cases[i].tenths);
	}
	assert_true(badge_text_width("iii") < badge_text_width("WWW"));
	assert_true(badge_text_width("ill") < badge_text_width("mmm"));
	double gold = badge_text_width("Gold \xc2\xb7 82%");
	assert_true(gold > 55 && gold < 75);
	/* shields' "build | passing" has 27 and 43 pixels of text */
	assert_true(badge_text_width("build") > 25 && badge_text_width("build") < 30);
	assert_true(badge_text_width("passing") > 40 && badge_text_width("passing") < 46);
}

static void test_cut(void **state)
{
	(void)state;
	char text[301];
	memset(text, 'a', 300);
	text[300] = '\0';

	text[BADGE_MAX_TEXT] = '\0'; /* exactly the maximum: kept whole */
	assert_int_equal(tenths(text), BADGE_MAX_TEXT * 67);
	char *svg = render(text, "m", "#4c1");
	assert_non_null(strstr(svg, text));
	assert_null(strstr(svg, "\xe2\x80\xa6"));
	free(svg);

	text[BADGE_MAX_TEXT] = 'a'; /* one more: cut, with an ellipsis */
	text[BADGE_MAX_TEXT + 1] = '\0';
	assert_int_equal(tenths(text), (BADGE_MAX_TEXT - 1) * 67 + 107);
	text[BADGE_MAX_TEXT + 1] = 'a';
	assert_int_equal(tenths(text), (BADGE_MAX_TEXT - 1) * 67 + 107);

	svg = render(text, text, "#4c1");
	char kept[BADGE_MAX_TEXT + 16];
	memset(kept, 'a', BADGE_MAX_TEXT - 1);
	strcpy(kept + BADGE_MAX_TEXT - 1, "\xe2\x80\xa6</text>");
	assert_int_equal(count(svg, kept), 2); /* two texts, no shadows */
	assert_null(strstr(svg, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
	assert_well_formed(svg);
	assert_geometry(svg, text, text);
	free(svg);

	/* multi-byte text is cut at code points, never inside one */
	struct buf wide = BUF_INIT;
	for (int i = 0; i < 100; i++)
		buf_adds(&wide, "\xe6\x97\xa5");
	svg = render(wide.data, "", "#4c1");
	assert_well_formed(svg);
	assert_int_equal(count(svg, "\xe6\x97\xa5"), 2 * (BADGE_MAX_TEXT - 1)); /* title, text */
	free(svg);
	buf_release(&wide);
}

static bool len_below(const char *s, size_t n)
{
	return strlen(s) < n;
}

static void test_svg(void **state)
{
	(void)state;
	char *svg = render("build", "passing", "#4c1");
	const char *prefix = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"";
	assert_true(strncmp(svg, prefix, strlen(prefix)) == 0);
	assert_non_null(strstr(svg, "height=\"20\" role=\"img\"><title>build: passing</title>"));
	assert_null(strstr(svg, "aria-label")); /* the title is the name, once */
	assert_non_null(strstr(svg, "<title>build: passing</title>"));
	assert_non_null(strstr(svg, "fill=\"#555\""));
	assert_non_null(strstr(svg, "fill=\"#4c1\""));
	assert_non_null(strstr(svg, "font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\""));
	assert_null(strstr(svg, "fill-opacity")); /* no shadow texts */
	assert_int_equal(count(svg, ">build</text>"), 1);
	assert_int_equal(count(svg, ">passing</text>"), 1);
	assert_true(len_below(svg, 480));
	size_t len = strlen(svg);
	assert_string_equal(svg + len - 7, "</svg>\n");
	assert_well_formed(svg);
	assert_geometry(svg, "build", "passing");

	/* deterministic: the same bytes again */
	char *again = render("build", "passing", "#4c1");
	assert_string_equal(svg, again);
	free(again);
	free(svg);
}

static void test_escaping(void **state)
{
	(void)state;
	char *svg = render("<script>alert(1)</script>",
			   "\"quoted\" & 'single' </svg>", "#e05d44");
	assert_null(strstr(svg, "<script"));
	assert_null(strstr(svg, "</script"));
	assert_int_equal(count(svg, "</svg>"), 1);
	assert_non_null(strstr(svg, "<title>&lt;script&gt;alert(1)&lt;/script&gt;: "
				    "&quot;quoted&quot; &amp; &#39;single&#39; &lt;/svg&gt;</title>"));
	assert_int_equal(count(svg, ">&lt;script&gt;alert(1)&lt;/script&gt;</text>"), 1);
	assert_well_formed(svg);
	assert_geometry(svg, "<script>alert(1)</script>", "\"quoted\" & 'single' </svg>");
	free(svg);
}

/* Odd text of every kind: always well-formed, always the right geometry. */
static const struct { const char *label, *message; } odd_cases[] = {
	{ "S\xc3\xa9" "curit\xc3\xa9", "Gold \xc2\xb7 82%" },
	{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "\xf0\x9f\x9a\x80 ok" },
	{ "bad \xff\xfe bytes", "a\xc3" },
	{ "\xef\xbf\xbe\xef\xbf\xbf", "nonchars" }, /* U+FFFE, U+FFFF */
	{ "tab\there", "line\nbreak\r\n" },
	{ "nul-free \x01\x02\x1b[31m", "\x7f" },
	{ "label", "" },
	{ "", "message" },
	{ "", "" },
	{ "&amp; already", "&#39;" },
	{ "]]> <![CDATA[", "<!-- -->" },
};

static void test_odd_text(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(odd_cases); i++) {
		char *svg = render(odd_cases[i].label, odd_cases[i].message, "#dfb317");
		assert_well_formed(svg);
		assert_geometry(svg, odd_cases[i].label, odd_cases[i].message);
		char *again = render(odd_cases[i].label, odd_cases[i].message, "#dfb317");
		assert_string_equal(svg, again);
		free(again);
		free(svg);
	}

	char *svg = render("bad \xff", "\x01", "#4c1");
	assert_non_null(strstr(svg, ">bad \xef\xbf\xbd</text>"));
	assert_non_null(strstr(svg, ">\xef\xbf\xbd</text>"));
	free(svg);

	/* an empty message: its part is padding only, with no text */
	svg = render("security", "", "#9f9f9f");
		assert_non_null(strstr(svg, "<title>security</title>"));
	assert_int_equal(count(svg, "<text"), 1);
	assert_non_null(strstr(svg, "<path fill=\"#9f9f9f\" d=\"M"));
	assert_non_null(strstr(svg, " 0h7a3 3"));
	free(svg);

	svg = render("", "82%", "#4c1");
	assert_non_null(strstr(svg, "<title>82%</title>"));
	assert_int_equal(count(svg, "<text"), 1);
	assert_non_null(strstr(svg, " d=\"M10 0h"));
	free(svg);
}

static const struct { const char *color; bool valid; } color_cases[] = {
	{ "#4c1", true },
	{ "#44cc11", true },
	{ "#ABCDEF", true },
	{ "#aBc", true },
	{ "4c1", false },
	{ "#", false },
	{ "#4c", false },
	{ "#4c11", false },
	{ "#44cc1", false },
	{ "#44cc111", false },
	{ "#ggg", false },
	{ "#4c1 ", false },
	{ "#4c1\"", false },
	{ "red", false },
	{ "", false },
	{ NULL, false },
};

static const struct { int level, levels; const char *color; } level_cases[] = {
	{ -1, 3, BADGE_COLOR_NO_SCORE },
	{ 0, 3, "#e05d44" },
	{ 1, 3, "#dfb317" },
	{ 2, 3, "#a4a61d" },
	{ 3, 3, "#4c1" },
	{ 0, 1, "#e05d44" },
	{ 1, 1, "#4c1" },
	{ 1, 2, "#a4a61d" },
	{ 2, 2, "#4c1" },
	{ 1, 5, "#fe7d37" },
	{ 2, 5, "#dfb317" },
	{ 3, 5, "#a4a61d" },
	{ 4, 5, "#97ca00" },
	{ 5, 5, "#4c1" },
	{ 1, 10, "#fe7d37" },
	{ 9, 10, "#97ca00" },
};

static void test_colors(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(color_cases); i++)
		if (badge_color_valid(color_cases[i].color) != color_cases[i].valid)
			fail_msg("colour case %zu", i);
	for (size_t i = 0; i < ARRAY_SIZE(level_cases); i++) {
		const char *c = badge_color_for_level(level_cases[i].level,
						      level_cases[i].levels);
		if (strcmp(c, level_cases[i].color) != 0)
			fail_msg("level %d of %d: %s, expected %s", level_cases[i].level,
				 level_cases[i].levels, c, level_cases[i].color);
	}
	/* every colour of every scorecard size is valid, and never goes down */
	for (int levels = 1; levels <= 20; levels++) {
		for (int level = -1; level <= levels; level++)
			assert_true(badge_color_valid(badge_color_for_level(level, levels)));
		assert_string_equal(badge_color_for_level(0, levels), "#e05d44");
		assert_string_equal(badge_color_for_level(levels, levels), "#4c1");
	}
	assert_true(badge_color_valid(BADGE_COLOR_NO_SCORE));

	/* dark text on a light colour, white on a dark one */
	char *svg = render("a", "b", "#fff");
	assert_non_null(strstr(svg, "fill=\"#333\" textLength"));
	assert_int_equal(count(svg, " fill=\"#333\""), 1); /* the message only */
	assert_non_null(strstr(svg, "<g fill=\"#fff\"")); /* the label's, from the group */
	free(svg);
	svg = render("a", "b", "#e05d44");
	assert_null(strstr(svg, "#333"));
	assert_int_equal(count(svg, "<text x=\""), 2);
	assert_non_null(strstr(svg, "<g fill=\"#fff\""));
	free(svg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_width),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_odd_text),
		cmocka_unit_test(test_colors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
