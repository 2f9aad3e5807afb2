/*
 * slack_blocks: Block Kit payloads within Slack's limits (slack.h).
 *
 * Templates decide the words, so any text may be too long: each is cut to
 * its block's limit here, where a cut can be made safely (never inside an
 * escaped entity or a link). The number of blocks is the composer's
 * decision, so exceeding it is a BUG. Lengths are counted in bytes when
 * cutting (never fewer than Slack's characters) and in characters when
 * checking, as Slack counts.
 */
#include "slack.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "util.h"

static const char ellipsis[] = "\xe2\x80\xa6"; /* … */

void slack_blocks_release(struct slack_blocks *b)
{
	buf_release(&b->json);
	b->count = 0;
}

/* Where to cut `s` (len > max) so that the kept part and an ellipsis fit
 * in `max` bytes. */
static size_t cut_point(const char *s, size_t max, bool *at_line)
{
	size_t room = max - (sizeof(ellipsis) - 1) - 1;
	for (size_t i = room; i > room / 2; i--) {
		if (s[i] == '\n') {
			*at_line = true;
			return i;
		}
	}
	*at_line = false;
	size_t cut = room;
	while (cut && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--; /* not inside a UTF-8 sequence */
	/* Not inside "<...>" or "&...;" either. */
	for (size_t i = cut; i-- > 0;) {
		if (s[i] == '>' || s[i] == ';')
			break;
		if (s[i] == '<' || s[i] == '&') {
			cut = i;
			break;
		}
	}
	return cut;
}

void slack_clip(struct buf *out, const char *text, size_t max)
{
	size_t len = strlen(text);
	while (len && strchr(" \t\r\n", text[len - 1]))
		len--;
	if (len <= max) {
		buf_add(out, text, len);
		return;
	}
	bool at_line;
	size_t cut = cut_point(text, max, &at_line);
	buf_add(out, text, cut);
	if (at_line)
		buf_addch(out, '\n');
	buf_adds(out, ellipsis);
}

/* Start a block, or return false when `text` clips to nothing. */
static bool block_text(struct slack_blocks *b, const char *text, size_t max,
		       struct buf *clipped)
{
	slack_clip(clipped, text, max);
	if (!clipped->len)
		return false;
	if (b->count == SLACK_MAX_BLOCKS)
		BUG("more Slack blocks than Block Kit allows");
	if (b->count++)
		buf_addch(&b->json, ',');
	return true;
}

void slack_blocks_header(struct slack_blocks *b, const char *text)
{
	struct buf t = BUF_INIT;
	if (block_text(b, text, SLACK_MAX_HEADER_TEXT, &t)) {
		buf_adds(&b->json, "{\"type\":\"header\",\"text\":{\"type\":"
			 "\"plain_text\",\"text\":");
		escape_json_string(&b->json, t.data);
		buf_adds(&b->json, ",\"emoji\":true}}");
	}
	buf_release(&t);
}

void slack_blocks_section(struct slack_blocks *b, const char *text)
{
	struct buf t = BUF_INIT;
	if (block_text(b, text, SLACK_MAX_SECTION_TEXT, &t)) {
		buf_adds(&b->json, "{\"type\":\"section\",\"text\":{\"type\":"
			 "\"mrkdwn\",\"text\":");
		escape_json_string(&b->json, t.data);
		buf_adds(&b->json, ",\"verbatim\":true}}");
	}
	buf_release(&t);
}

void slack_blocks_context(struct slack_blocks *b, const char *text)
{
	struct buf t = BUF_INIT;
	if (block_text(b, text, SLACK_MAX_SECTION_TEXT, &t)) {
		buf_adds(&b->json, "{\"type\":\"context\",\"elements\":[{\"type\":"
			 "\"mrkdwn\",\"text\":");
		escape_json_string(&b->json, t.data);
		buf_adds(&b->json, ",\"verbatim\":true}]}");
	}
	buf_release(&t);
}

void slack_blocks_divider(struct slack_blocks *b)
{
	if (b->count == SLACK_MAX_BLOCKS)
		BUG("more Slack blocks than Block Kit allows");
	if (b->count++)
		buf_addch(&b->json, ',');
	buf_adds(&b->json, "{\"type\":\"divider\"}");
}

void slack_blocks_payload(const struct slack_blocks *b, const char *channel,
			  const char *text, struct buf *out)
{
	struct buf t = BUF_INIT;
	slack_clip(&t, text, SLACK_MAX_FALLBACK_TEXT);
	buf_addch(out, '{');
	if (channel) {
		buf_adds(out, "\"channel\":");
		escape_json_string(out, channel);
		buf_addch(out, ',');
	}
	buf_adds(out, "\"text\":");
	escape_json_string(out, t.data);
	buf_adds(out, ",\"blocks\":[");
	buf_add(out, b->json.data, b->json.len);
	buf_adds(out, "],\"unfurl_links\":false,\"unfurl_media\":false}\n");
	buf_release(&t);
}

/* ---- checking ------------------------------------------------------------- */

/* Characters of UTF-8 text, as Slack counts them (bytes that do not start
 * a sequence are not counted). */
static size_t characters(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* A text object's text within `max` characters, or a reason. */
static const char *check_text(json_t *object, const char *type, size_t max)
{
	if (!json_is_object(object))
		return "a text object is not an object";
	const char *t = json_string_value(json_object_get(object, "type"));
	if (!t || (type && strcmp(t, type) != 0))
		return "a text object of the wrong type";
	const char *s = json_string_value(json_object_get(object, "text"));
	if (!s || !*s)
		return "an empty text";
	return characters(s) > max ? "a text over its limit" : NULL;
}

static const char *check_block(json_t *block)
{
	const char *type = json_string_value(json_object_get(block, "type"));
	if (!type)
		return "a block without a type";
	if (strcmp(type, "header") == 0)
		return check_text(json_object_get(block, "text"), "plain_text",
				  SLACK_MAX_HEADER_TEXT);
	if (strcmp(type, "divider") == 0)
		return NULL;
	if (strcmp(type, "context") == 0) {
		json_t *elements = json_object_get(block, "elements");
		if (!json_is_array(elements) || !json_array_size(elements) ||
		    json_array_size(elements) > SLACK_MAX_CONTEXT_ELEMENTS)
			return "a context with no or too many elements";
		size_t i;
		json_t *el;
		json_array_foreach(elements, i, el) {
			const char *why = check_text(el, NULL, SLACK_MAX_SECTION_TEXT);
			if (why)
				return why;
		}
		return NULL;
	}
	if (strcmp(type, "section") == 0) {
		json_t *text = json_object_get(block, "text");
		json_t *fields = json_object_get(block, "fields");
		if (!text && !fields)
			return "a section without text or fields";
		const char *why = text ? check_text(text, NULL,
						    SLACK_MAX_SECTION_TEXT) : NULL;
		if (why)
			return why;
		if (fields) {
			if (!json_is_array(fields) ||
			    json_array_size(fields) > SLACK_MAX_FIELDS)
				return "a section with more than 10 fields";
			size_t i;
			json_t *f;
			json_array_foreach(fields, i, f) {
				why = check_text(f, NULL, SLACK_MAX_FIELD_TEXT);
				if (why)
					return why;
			}
		}
		return NULL;
	}
	return "a block of a type the digests do not use";
}

int slack_payload_check(const char *json, size_t len, char *why,
			size_t why_size)
{
	json_error_t error;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &error);
	const char *problem = NULL;
	size_t at = 0;
	if (!root) {
		snprintf(why, why_size, "not JSON: %s", error.text);
		return -1;
	}
	json_t *blocks = json_object_get(root, "blocks");
	const char *text = json_string_value(json_object_get(root, "text"));
	if (!text || !*text)
		problem = "no fallback text";
	else if (characters(text) > SLACK_MAX_FALLBACK_TEXT)
		problem = "the fallback text is over its limit";
	else if (!json_is_array(blocks) || !json_array_size(blocks))
		problem = "no blocks";
	else if (json_array_size(blocks) > SLACK_MAX_BLOCKS)
		problem = "more than 50 blocks";
	else {
		json_t *block;
		json_array_foreach(blocks, at, block) {
			problem = check_block(block);
			if (problem)
				break;
		}
	}
	if (problem)
		snprintf(why, why_size, "block %zu: %s", at + 1, problem);
	json_decref(root);
	return problem ? -1 : 0;
}
