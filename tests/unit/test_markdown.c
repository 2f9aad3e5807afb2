/*
 * Unit tests for markdown: the URL policy inside rendered Markdown (links
 * unwrapped, images reduced to their alt text; the policy on its own is
 * tested in test_escape.c), raw HTML omitted, escaping, heading shift, and
 * hostile input (invalid UTF-8, NUL bytes, a megabyte of nested quotes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "markdown.h"
#include "util.h"

static char *render(const char *markdown, size_t len, int shift)
{
	struct buf out = BUF_INIT;
	markdown_render(&out, markdown, len, shift);
	return buf_detach(&out, NULL);
}

static const struct {
	const char *markdown;
	int shift;
	const char *html;
} render_cases[] = {
	{ "", 0, "" },
	{ "plain \"text\" -- as written...", 0,
	  "<p>plain &quot;text&quot; -- as written...</p>\n" },
	/* raw HTML is omitted, blocks and inlines */
	{ "<script>alert(1)</script>", 0, "<!-- raw HTML omitted -->\n" },
	{ "a <img src=x onerror=alert(1)> b", 0,
	  "<p>a <!-- raw HTML omitted --> b</p>\n" },
	{ "<a href=\"javascript:x\">y</a>", 0,
	  "<p><!-- raw HTML omitted -->y<!-- raw HTML omitted --></p>\n" },
	/* refused links: the text stays, the link goes */
	{ "[x](javascript:alert(1))", 0, "<p>x</p>\n" },
	{ "[x](JAVASCRIPT:alert(1))", 0, "<p>x</p>\n" },
	{ "[x](java&#x09;script:alert(1))", 0, "<p>x</p>\n" },
	{ "[x](java&#10;script:alert(1))", 0, "<p>x</p>\n" },
	{ "[x](  javascript:alert(1))", 0, "<p>x</p>\n" },
	{ "[x](<  javascript:alert(1)>)", 0, "<p>x</p>\n" },
	{ "[x](&#32;javascript:alert(1))", 0, "<p>x</p>\n" },
	{ "[x](vbscript:msgbox)", 0, "<p>x</p>\n" },
	{ "[x](file:///etc/passwd)", 0, "<p>x</p>\n" },
	{ "[x](data:text/html,hi)", 0, "<p>x</p>\n" },
	{ "[x](//evil.example)", 0, "<p>x</p>\n" },
	{ "[x](\\\\\\\\evil.example)", 0, "<p>x</p>\n" },
	{ "[x]()", 0, "<p>x</p>\n" },
	{ "[*bold* `code` text](javascript:x)", 0,
	  "<p><em>bold</em> <code>code</code> text</p>\n" },
	{ "<javascript:alert(1)>", 0, "<p>javascript:alert(1)</p>\n" },
	{ "[x][r]\n\n[r]: javascript:alert(1)", 0, "<p>x</p>\n" },
	{ "a [x](javascript:1) b [y](https://ok.example) c", 0,
	  "<p>a x b <a href=\"https://ok.example\">y</a> c</p>\n" },
	/* refused images: the alt text, as plain text */
	{ "![a](data:image/png;base64,iVBORw0KGgo=)", 0, "<p>a</p>\n" },
	{ "![an *em* `code`\nline](javascript:x)", 0, "<p>an em code line</p>\n" },
	{ "![](data:image/gif;base64,R0lGOD)", 0, "<p></p>\n" },
	{ "![<b>](data:x)", 0, "<p></p>\n" },
	{ "![a & b](data:x)", 0, "<p>a &amp; b</p>\n" },
	{ "[![pic](data:x)](javascript:y)", 0, "<p>pic</p>\n" },
	{ "[![pic](pic.png)](javascript:y)", 0,
	  "<p><img src=\"pic.png\" alt=\"pic\" /></p>\n" },
	{ "![[in](javascript:x)](data:y)", 0, "<p>in</p>\n" },
	{ "[![pic](data:x)](https://ok.example)", 0,
	  "<p><a href=\"https://ok.example\">pic</a></p>\n" },
	/* allowed links and images keep cmark's HTML, escaped */
	{ "[x](https://ok.example/a?b=1&c=2)", 0,
	  "<p><a href=\"https://ok.example/a?b=1&amp;c=2\">x</a></p>\n" },
	{ "[x](HTTP://OK.EXAMPLE)", 0, "<p><a href=\"HTTP://OK.EXAMPLE\">x</a></p>\n" },
	{ "[x](mailto:team@example.com)", 0,
	  "<p><a href=\"mailto:team@example.com\">x</a></p>\n" },
	{ "<team@example.com>", 0,
	  "<p><a href=\"mailto:team@example.com\">team@example.com</a></p>\n" },
	{ "<https://ok.example>", 0,
	  "<p><a href=\"https://ok.example\">https://ok.example</a></p>\n" },
	{ "[x](../x.html)", 0, "<p><a href=\"../x.html\">x</a></p>\n" },
	{ "[x](../scorecards/security.html#rules)", 0,
	  "<p><a href=\"../scorecards/security.html#rules\">x</a></p>\n" },
	{ "[x](https://ok.example \"say \\\"hi\\\" & <b>\")", 0,
	  "<p><a href=\"https://ok.example\" title=\"say &quot;hi&quot; &amp; &lt;b&gt;\">x</a></p>\n" },
	{ "[x](<https://ok.example/a\"b>)", 0,
	  "<p><a href=\"https://ok.example/a%22b\">x</a></p>\n" },
	{ "![a \"q\"](img/a.png \"t\")", 0,
	  "<p><img src=\"img/a.png\" alt=\"a &quot;q&quot;\" title=\"t\" /></p>\n" },
	/* headings: shifted one level down with 1, h6 stays h6 */
	{ "# One\n## Two\n###### Six", 0, "<h1>One</h1>\n<h2>Two</h2>\n<h6>Six</h6>\n" },
	{ "# One\n## Two\n### Three\n#### Four\n##### Five\n###### Six", 1,
	  "<h2>One</h2>\n<h3>Two</h3>\n<h4>Three</h4>\n<h5>Four</h5>\n<h6>Five</h6>\n"
	  "<h6>Six</h6>\n" },
	{ "Title\n=====\n\nSub\n---", 1, "<h2>Title</h2>\n<h3>Sub</h3>\n" },
	{ "> # Quoted", 1, "<blockquote>\n<h2>Quoted</h2>\n</blockquote>\n" },
	{ "# [x](javascript:1)", 1, "<h2>x</h2>\n" },
	/* bytes that are not text */
	{ "a\xff" "b", 0, "<p>a\xef\xbf\xbd" "b</p>\n" },
	{ "\xc3(", 0, "<p>\xef\xbf\xbd(</p>\n" },
	/* a surrogate: cmark replaces the whole sequence */
	{ "[\xed\xa0\x80](https://ok.example)", 0,
	  "<p><a href=\"https://ok.example\">\xef\xbf\xbd</a></p>\n" },
};

static void test_render(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(render_cases); i++) {
		const char *md = render_cases[i].markdown;
		char *html = render(md, strlen(md), render_cases[i].shift);
		if (strcmp(html, render_cases[i].html) != 0)
			fail_msg("case %zu: '%s'\ngot:      '%s'\nexpected: '%s'", i,
				 md, html, render_cases[i].html);
		free(html);
	}
}

/* Appends; reads exactly `len` bytes (no NUL needed, NUL bytes allowed). */
static void test_bytes(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	buf_adds(&out, "<div>");
	markdown_render(&out, "*a*XXXX", 3, 0);
	markdown_render(&out, NULL, 0, 1);
	buf_adds(&out, "</div>");
	assert_string_equal(out.data, "<div><p><em>a</em></p>\n</div>");
	buf_reset(&out);

	static const char with_nul[] = "a\0b";
	markdown_render(&out, with_nul, sizeof(with_nul) - 1, 0);
	assert_string_equal(out.data, "<p>a\xef\xbf\xbd" "b</p>\n");
	buf_release(&out);
}

/*
 * Random Markdown from a fixed seed, made of pieces that build links,
 * images, raw HTML and bad bytes: never a crash, always valid UTF-8, never
 * raw HTML, never an href or src the policy refuses.
 */
static void test_random(void **state)
{
	(void)state;
	static const char *const pieces[] = {
		"[", "]", "(", ")", "![", "](", "<", ">", "\"", " ", "\n", "\n\n",
		"> ", "# ", "- ", "*", "`", "\\", "&#x09;", "&#58;", "&amp;",
		"javascript:", "JaVa\tScRiPt:", "java&#x0A;script:", "data:",
		"vbscript:", "https://ok.example/", "mailto:a@b.example", "//",
		"../x.html", "alert(1)", "<script>", "</script>", "<b onclick=x>",
		"\xff", "\xc3", "\xe6\x97\xa5", "x", "[r]", "[r]: ",
	};
	unsigned long long seed = 12345;
	struct buf text = BUF_INIT;
	for (int round = 0; round < 3000; round++) {
		buf_reset(&text);
		for (int i = 0; i < 60; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			buf_adds(&text, pieces[(seed >> 33) % ARRAY_SIZE(pieces)]);
		}
		char *html = render(text.data, text.len, round & 1);
		size_t html_len = strlen(html);
		assert_int_equal(util_utf8_invalid(html, html_len), html_len);
		if (strstr(html, "<script") || strstr(html, "<b "))
			fail_msg("round %d: raw HTML in '%s'", round, html);
		static const char *const attrs[] = { "href=\"", "src=\"" };
		for (size_t a = 0; a < ARRAY_SIZE(attrs); a++) {
			size_t n = strlen(attrs[a]);
			for (char *p = html; (p = strstr(p, attrs[a])); p += n) {
				char *end = strchr(p + n, '"');
				assert_non_null(end);
				*end = '\0';
				if (!escape_url_allowed(p + n))
					fail_msg("round %d: %s%s\"", round, attrs[a], p + n);
				*end = '"';
			}
		}
		free(html);
	}
	buf_release(&text);
}

/* A megabyte of ">": a million nested quotes, rendered without recursion. */
static void test_deep_nesting(void **state)
{
	(void)state;
	size_t len = 1u << 20;
	char *deep = xmalloc(len);
	memset(deep, '>', len);
	char *html = render(deep, len, 1);
	assert_true(strncmp(html, "<blockquote>\n<blockquote>\n", 26) == 0);
	size_t html_len = strlen(html);
	assert_true(html_len > 2 * len);
	assert_string_equal(html + html_len - 28, "</blockquote>\n</blockquote>\n");
	free(html);

	/* nested brackets and emphasis: cmark's inline limits apply */
	for (size_t i = 0; i < len; i++)
		deep[i] = "[*(_"[i % 4];
	html = render(deep, len, 0);
	assert_true(strncmp(html, "<p>", 3) == 0);
	free(html);
	free(deep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_deep_nesting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
