/*
 * Unit tests for escape: every escaper on plain, hostile and broken input
 * (markup, quotes, control characters, NUL bytes, invalid UTF-8), the URL
 * allow-list against `javascript:` in its disguises, Slack mrkdwn against
 * mentions, links and formatting, and a random round per escaper that
 * checks what its output may never contain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "util.h"

/* A literal with its length, so cases can hold NUL bytes. */
#define BYTES(s) s, sizeof(s) - 1

/* U+FFFD, the replacement character. */
#define FFFD "\xef\xbf\xbd"

struct case_bytes {
	const char *in;
	size_t len;
	const char *out;
	size_t out_len;
};

static void check_bytes(const char *what, size_t i, const struct buf *got,
			const struct case_bytes *c)
{
	if (got->len != c->out_len || memcmp(got->data, c->out, c->out_len) != 0)
		fail_msg("%s case %zu: got '%s' (%zu bytes), want '%s' (%zu bytes)",
			 what, i, got->data, got->len, c->out, c->out_len);
}

static void test_html(void **state)
{
	(void)state;
	static const struct case_bytes cases[] = {
		{ BYTES(""), BYTES("") },
		{ BYTES("plain text"), BYTES("plain text") },
		{ BYTES("<script>alert('x')</script>"),
		  BYTES("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") },
		{ BYTES("a & b \"c\""), BYTES("a &amp; b &quot;c&quot;") },
		{ BYTES("\" onmouseover=\"alert(1)"),
		  BYTES("&quot; onmouseover=&quot;alert(1)") },
		{ BYTES("' onload='x"), BYTES("&#39; onload=&#39;x") },
		{ BYTES("&amp;&#39;"), BYTES("&amp;amp;&amp;#39;") },
		{ BYTES("<<>>"), BYTES("&lt;&lt;&gt;&gt;") },
		/* controls, NUL and invalid UTF-8 are copied as they are */
		{ BYTES("\x01\t\n\r\x7f"), BYTES("\x01\t\n\r\x7f") },
		{ BYTES("a\0<"), BYTES("a\0&lt;") },
		{ BYTES("\xff\xc3<\xe6\x97\xa5"), BYTES("\xff\xc3&lt;\xe6\x97\xa5") },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct buf out = BUF_INIT;
		escape_html(&out, cases[i].in, cases[i].len);
		check_bytes("html", i, &out, &cases[i]);
		buf_release(&out);
	}

	/* only `len` bytes are read; NULL with 0 appends nothing */
	struct buf out = BUF_INIT;
	escape_html(&out, "<a>", 1);
	escape_html(&out, NULL, 0);
	assert_string_equal(out.data, "&lt;");
	/* the bytes stay NUL-terminated when the text ends in a reference,
	 * over bytes left in the buffer from before */
	buf_reset(&out);
	buf_adds(&out, "leftover bytes");
	buf_truncate(&out, 2);
	escape_html(&out, "&", 1);
	assert_string_equal(out.data, "le&amp;");
	assert_int_equal(out.len, 7);
	buf_release(&out);
}

static void test_xml(void **state)
{
	(void)state;
	static const struct case_bytes cases[] = {
		{ BYTES(""), BYTES("") },
		{ BYTES("checkout-api"), BYTES("checkout-api") },
		/* the same references as HTML */
		{ BYTES("<script>alert('x')</script>"),
		  BYTES("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") },
		{ BYTES("a & \"b\""), BYTES("a &amp; &quot;b&quot;") },
		{ BYTES("]]><x/>"), BYTES("]]&gt;&lt;x/&gt;") },
		/* tab, line feed and carriage return become references, which
		 * attribute values keep; DEL is an XML character */
		{ BYTES("a\tb\nc\rd\x7f"), BYTES("a&#9;b&#10;c&#13;d\x7f") },
		/* other controls and NUL are not, not even as references */
		{ BYTES("a\x01" "b\x1f" "c"), BYTES("a" FFFD "b" FFFD "c") },
		{ BYTES("a\0b"), BYTES("a" FFFD "b") },
		{ BYTES("\x0b\x0c"), BYTES(FFFD FFFD) },
		/* UTF-8 stays; what is not UTF-8 becomes U+FFFD byte by byte */
		{ BYTES("caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x8c\x8a"),
		  BYTES("caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x8c\x8a") },
		{ BYTES("\xff"), BYTES(FFFD) },
		{ BYTES("a\xc3"), BYTES("a" FFFD) },
		{ BYTES("\xc0\xaf"), BYTES(FFFD FFFD) },          /* overlong '/' */
		{ BYTES("\xed\xa0\x80"), BYTES(FFFD FFFD FFFD) }, /* a surrogate */
		{ BYTES("\xf4\x90\x80\x80"), BYTES(FFFD FFFD FFFD FFFD) },
		/* U+FFFE and U+FFFF are not characters; U+FFFD is */
		{ BYTES("\xef\xbf\xbe\xef\xbf\xbf"), BYTES(FFFD FFFD) },
		{ BYTES(FFFD), BYTES(FFFD) },
		{ BYTES("\xef\xbf\xbc"), BYTES("\xef\xbf\xbc") },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct buf out = BUF_INIT;
		escape_xml(&out, cases[i].in, cases[i].len);
		check_bytes("xml", i, &out, &cases[i]);
		buf_release(&out);
	}
}

static void test_json_string(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } cases[] = {
		{ "", "\"\"" },
		{ "checkout-api", "\"checkout-api\"" },
		{ "a\"b\\c", "\"a\\\"b\\\\c\"" },
		{ "\"}, \"admin\": true, \"x\": {\"",
		  "\"\\\"}, \\\"admin\\\": true, \\\"x\\\": {\\\"\"" },
		{ "line\nbreak\ttab\rcr", "\"line\\nbreak\\ttab\\rcr\"" },
		{ "\x01\x08\x0c\x1f", "\"\\u0001\\u0008\\u000c\\u001f\"" },
		/* DEL, '/', markup and UTF-8 need nothing in JSON */
		{ "\x7f/<script>", "\"\x7f/<script>\"" },
		{ "caf\xc3\xa9 \xe6\x97\xa5", "\"caf\xc3\xa9 \xe6\x97\xa5\"" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct buf out = BUF_INIT;
		escape_json_string(&out, cases[i].in);
		if (strcmp(out.data, cases[i].out) != 0)
			fail_msg("json case %zu: got %s, want %s", i, out.data,
				 cases[i].out);
		buf_release(&out);
	}
}

static void test_csv_field(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } cases[] = {
		{ NULL, "" },
		{ "", "" },
		{ "checkout-api", "checkout-api" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "\"", "\"\"\"\"" },
		{ "line\nbreak", "\"line\nbreak\"" },
		{ "cr\r", "\"cr\r\"" },
		{ "tab\tand 'quote'", "tab\tand 'quote'" },
		{ "=1+1", "=1+1" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct buf out = BUF_INIT;
		escape_csv_field(&out, cases[i].in);
		if (strcmp(out.data, cases[i].out) != 0)
			fail_msg("csv case %zu: got %s, want %s", i, out.data,
				 cases[i].out);
		buf_release(&out);
	}
}

static void test_url_component(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } cases[] = {
		{ "", "" },
		{ "AZaz09-._~", "AZaz09-._~" },
		{ "a b&c/d", "a%20b%26c%2Fd" },
		{ "<script>alert('x')</script>",
		  "%3Cscript%3Ealert%28%27x%27%29%3C%2Fscript%3E" },
		{ "javascript:alert(1)", "javascript%3Aalert%281%29" },
		{ "100% + \"q\"=#?", "100%25%20%2B%20%22q%22%3D%23%3F" },
		{ "caf\xc3\xa9", "caf%C3%A9" },
		{ "\x01\n\x7f\xff", "%01%0A%7F%FF" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct buf out = BUF_INIT;
		escape_url_component(&out, cases[i].in);
		if (strcmp(out.data, cases[i].out) != 0)
			fail_msg("url component case %zu: got %s, want %s", i,
				 out.data, cases[i].out);
		buf_release(&out);
	}
}

static const struct { const char *url; bool allowed; } url_cases[] = {
	/* the three schemes, in any case */
	{ "http://example.com/", true },
	{ "https://example.com/a?b=1&c=2#d", true },
	{ "HTTPS://EXAMPLE.COM", true },
	{ "HtTp://example.com", true },
	{ "mailto:team@example.com", true },
	{ "MailTo:team@example.com", true },
	{ "https:", true },
	/* relative URLs within the site */
	{ "../scorecards/security.html", true },
	{ "./a:b", true },
	{ "page.html", true },
	{ "/pages/about.html", true },
	{ "#top", true },
	{ "?q=a:b", true },
	{ "a/b:c", true },
	{ "page.html#x:y", true },
	{ "\\pages", true },
	{ " ../x.html", true },
	/* every other scheme */
	{ "javascript:alert(1)", false },
	{ "JAVASCRIPT:alert(1)", false },
	{ "JaVaScRiPt:alert(1)", false },
	{ "vbscript:msgbox(1)", false },
	{ "data:text/html,<script>alert(1)</script>", false },
	{ "data:image/png;base64,iVBORw0KGgo=", false },
	{ "file:///etc/passwd", false },
	{ "ftp://example.com/", false },
	{ "tel:+15555555555", false },
	{ "httpx://example.com", false },
	{ "xhttp://example.com", false },
	{ "mailtox:a@b", false },
	{ "a:b", false },
	{ ":foo", false },
	{ "averyveryverylongscheme:x", false },
	/* what browsers ignore: leading space and controls, tabs and newlines */
	{ " javascript:alert(1)", false },
	{ "\t\n javascript:alert(1)", false },
	{ "\x01\x02javascript:alert(1)", false },
	{ "java\tscript:alert(1)", false },
	{ "java\nscript:alert(1)", false },
	{ "java\rscript:alert(1)", false },
	{ "j\ta\nv\ra\tscript:alert(1)", false },
	{ "javascript\t:alert(1)", false },
	{ "java script:alert(1)", false },
	{ "java\\script:alert(1)", false },
	{ "\xc2\xa0javascript:alert(1)", false },
	{ "ht\ttps://example.com", true },
	/* protocol-relative: another host */
	{ "//evil.example", false },
	{ "///evil.example", false },
	{ "\\\\evil.example", false },
	{ "/\\evil.example", false },
	{ "\\/evil.example", false },
	{ "/\t/evil.example", false },
	{ "  //evil.example", false },
	/* nothing */
	{ "", false },
	{ "   ", false },
	{ "\t\n", false },
	{ NULL, false },
};

static void test_url_allowed(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(url_cases); i++)
		if (escape_url_allowed(url_cases[i].url) != url_cases[i].allowed)
			fail_msg("case %zu: '%s' should be %s", i,
				 url_cases[i].url ? url_cases[i].url : "(null)",
				 url_cases[i].allowed ? "allowed" : "refused");
}

#define ASTERISK "\xe2\x88\x97"   /* U+2217 */
#define LOW_MACRON "\xcb\x8d"     /* U+02CD */
#define TILDE "\xe2\x88\xbc"      /* U+223C */
#define GRAVE "\xcb\x8b"          /* U+02CB */

static void test_mrkdwn(void **state)
{
	(void)state;
	static const struct case_bytes cases[] = {
		{ BYTES(""), BYTES("") },
		{ BYTES("checkout-api"), BYTES("checkout-api") },
		/* Slack's three control characters: no mention, no link */
		{ BYTES("<!channel>"), BYTES("&lt;!channel&gt;") },
		{ BYTES("<!here> <!everyone>"), BYTES("&lt;!here&gt; &lt;!everyone&gt;") },
		{ BYTES("<@U1>"), BYTES("&lt;@U1&gt;") },
		{ BYTES("<#C024BE7LR|general>"), BYTES("&lt;#C024BE7LR|general&gt;") },
		{ BYTES("<!subteam^S1|@team>"), BYTES("&lt;!subteam^S1|@team&gt;") },
		{ BYTES("<https://evil.example|Click here>"),
		  BYTES("&lt;https://evil.example|Click here&gt;") },
		{ BYTES("<!date^1392734382^{date}|x>"),
		  BYTES("&lt;!date^1392734382^{date}|x&gt;") },
		{ BYTES("a & b"), BYTES("a &amp; b") },
		{ BYTES("&lt;!channel&gt;"), BYTES("&amp;lt;!channel&amp;gt;") },
		/* formatting markers become look-alikes */
		{ BYTES("*bold*"), BYTES(ASTERISK "bold" ASTERISK) },
		{ BYTES("_italic_"), BYTES(LOW_MACRON "italic" LOW_MACRON) },
		{ BYTES("~strike~"), BYTES(TILDE "strike" TILDE) },
		{ BYTES("`code`"), BYTES(GRAVE "code" GRAVE) },
		{ BYTES("```block```"), BYTES(GRAVE GRAVE GRAVE "block" GRAVE GRAVE GRAVE) },
		{ BYTES("a *b* c"), BYTES("a " ASTERISK "b" ASTERISK " c") },
		{ BYTES("_private"), BYTES(LOW_MACRON "private") },
		{ BYTES("name_"), BYTES("name" LOW_MACRON) },
		{ BYTES("a_ b"), BYTES("a" LOW_MACRON " b") },
		{ BYTES("*"), BYTES(ASTERISK) },
		/* ... except inside a word, where mrkdwn does not format */
		{ BYTES("snake_case_name"), BYTES("snake_case_name") },
		{ BYTES("a*b~c"), BYTES("a*b~c") },
		{ BYTES("v1_2"), BYTES("v1_2") },
		{ BYTES("a`b"), BYTES("a" GRAVE "b") },
		{ BYTES("caf\xc3\xa9_x"), BYTES("caf\xc3\xa9" LOW_MACRON "x") },
		/* fullwidth markers, which Slack also reads */
		{ BYTES("\xef\xbc\x8a" "b" "\xef\xbc\x8a"),
		  BYTES("\xef\xb9\xa1" "b" "\xef\xb9\xa1") },
		{ BYTES("\xef\xbc\xbf" "\xef\xbd\x80"), BYTES("\xe2\xb8\x8f" GRAVE) },
		/* one line: controls become spaces, so no quote or list starts */
		{ BYTES("x\n> quoted\n- item"), BYTES("x &gt; quoted - item") },
		{ BYTES("a\tb\rc\x01" "d\x7f"), BYTES("a b c d ") },
		{ BYTES("a\0b"), BYTES("a b") },
		/* UTF-8 stays, the rest becomes U+FFFD */
		{ BYTES("\xe6\x97\xa5 \xf0\x9f\x8c\x8a"), BYTES("\xe6\x97\xa5 \xf0\x9f\x8c\x8a") },
		{ BYTES("\xff"), BYTES(FFFD) },
		{ BYTES("\xe2\x82"), BYTES(FFFD FFFD) },
		/* harmless, and left alone (the text object sets verbatim) */
		{ BYTES(":smile: @channel #general"), BYTES(":smile: @channel #general") },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct buf out = BUF_INIT;
		escape_mrkdwn(&out, cases[i].in, cases[i].len);
		check_bytes("mrkdwn", i, &out, &cases[i]);
		buf_release(&out);
	}

	/* only `len` bytes are read: the neighbour past the end does not count */
	struct buf out = BUF_INIT;
	escape_mrkdwn(&out, "a_b", 2);
	escape_mrkdwn(&out, NULL, 0);
	assert_string_equal(out.data, "a" LOW_MACRON);
	buf_release(&out);
}

/* `&` in output only as one of the entities the escaper writes. */
static void check_ampersands(const char *what, int round, const char *s,
			     const char *const *entities, size_t count)
{
	for (const char *p = s; (p = strchr(p, '&')); p++) {
		size_t e = 0;
		while (e < count && strncmp(p, entities[e], strlen(entities[e])) != 0)
			e++;
		if (e == count)
			fail_msg("%s round %d: bare & in '%s'", what, round, s);
	}
}

/* Random strings of hostile pieces through every length-taking escaper. */
static void test_random(void **state)
{
	(void)state;
	static const char *const pieces[] = {
		"<", ">", "&", "\"", "'", "*", "_", "~", "`", "\n", "\t", "\x01",
		"\x7f", "\xff", "\xc3", "\xe6\x97\xa5", "\xef\xbf\xbe", "a", "b1",
		" ", "<!channel>", "<@U1>", "&amp;", "javascript:", "<script>",
		"\xef\xbc\x8a", "x_y",
	};
	static const char *const html_entities[] = {
		"&amp;", "&lt;", "&gt;", "&quot;", "&#39;",
	};
	static const char *const xml_entities[] = {
		"&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#9;", "&#10;", "&#13;",
	};
	static const char *const mrkdwn_entities[] = { "&amp;", "&lt;", "&gt;" };
	unsigned long long seed = 9;
	struct buf text = BUF_INIT, out = BUF_INIT;
	for (int round = 0; round < 2000; round++) {
		buf_reset(&text);
		for (int i = 0; i < 40; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			buf_adds(&text, pieces[(seed >> 33) % ARRAY_SIZE(pieces)]);
		}

		buf_reset(&out);
		escape_html(&out, text.data, text.len);
		if (strpbrk(out.data, "<>\"'"))
			fail_msg("html round %d: markup in '%s'", round, out.data);
		check_ampersands("html", round, out.data, html_entities,
				 ARRAY_SIZE(html_entities));

		buf_reset(&out);
		escape_xml(&out, text.data, text.len);
		assert_int_equal(util_utf8_invalid(out.data, out.len), out.len);
		if (strpbrk(out.data, "<>\"'\x01") || strstr(out.data, "\xef\xbf\xbe"))
			fail_msg("xml round %d: not well-formed: '%s'", round, out.data);
		check_ampersands("xml", round, out.data, xml_entities,
				 ARRAY_SIZE(xml_entities));

		buf_reset(&out);
		escape_mrkdwn(&out, text.data, text.len);
		assert_int_equal(util_utf8_invalid(out.data, out.len), out.len);
		if (strpbrk(out.data, "<>`\n\t\x01\x7f"))
			fail_msg("mrkdwn round %d: '%s'", round, out.data);
		check_ampersands("mrkdwn", round, out.data, mrkdwn_entities,
				 ARRAY_SIZE(mrkdwn_entities));
		for (size_t i = 0; i < out.len; i++)
			if (strchr("*_~", out.data[i]) &&
			    (i == 0 || i + 1 == out.len ||
			     !isalnum((unsigned char)out.data[i - 1]) ||
			     !isalnum((unsigned char)out.data[i + 1])))
				fail_msg("mrkdwn round %d: marker at %zu in '%s'",
					 round, i, out.data);
	}
	buf_release(&text);
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_xml),
		cmocka_unit_test(test_json_string),
		cmocka_unit_test(test_csv_field),
		cmocka_unit_test(test_url_component),
		cmocka_unit_test(test_url_allowed),
		cmocka_unit_test(test_mrkdwn),
		cmocka_unit_test(test_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
