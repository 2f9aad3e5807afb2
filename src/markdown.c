/*
 * markdown: cmark with a URL policy and heading shift.
 *
 * cmark's safe mode already blanks the href of a few dangerous schemes
 * (leaving `<a href="">`), but it lets every other scheme through and
 * keeps `data:` images; our rule is an allow-list instead, applied to the
 * tree between parsing and rendering. Disallowed links and images are
 * collected during one walk and replaced afterwards, because cmark's
 * iterator must not be disturbed by freeing the node it stands on.
 */
#include "markdown.h"

#include <cmark.h>
#include <stdlib.h>

#include "escape.h"
#include "util.h"

/* The plain text of an image's description, as cmark writes it in alt. */
static void add_alt_text(struct buf *out, cmark_node *image)
{
	cmark_iter *iter = cmark_iter_new(image);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *node = cmark_iter_get_node(iter);
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			buf_adds(out, cmark_node_get_literal(node));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_addch(out, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(iter);
}

/* Put a refused link's content where it was, or a refused image's alt. */
static void replace_node(cmark_node *node)
{
	if (cmark_node_get_type(node) == CMARK_NODE_IMAGE) {
		struct buf alt = BUF_INIT;
		add_alt_text(&alt, node);
		if (alt.len) {
			cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);
			cmark_node_set_literal(text, alt.data);
			cmark_node_insert_before(node, text);
		}
		buf_release(&alt);
	} else {
		cmark_node *child;
		while ((child = cmark_node_first_child(node)))
			cmark_node_insert_before(node, child);
	}
	cmark_node_free(node);
}

/*
 * Shift headings and replace refused links and images. They are collected
 * on EXIT, after their descendants, so a link inside an image is handled
 * before the image (and its subtree) is freed.
 */
static void apply_policy(cmark_node *doc, int heading_shift)
{
	cmark_node **refused = NULL;
	size_t count = 0, alloc = 0;
	cmark_iter *iter = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(iter);
		cmark_node_type type = cmark_node_get_type(node);
		if (type == CMARK_NODE_HEADING && ev == CMARK_EVENT_ENTER &&
		    heading_shift) {
			int level = cmark_node_get_heading_level(node) + heading_shift;
			cmark_node_set_heading_level(node, level > 6 ? 6 : level);
		} else if ((type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) &&
			   ev == CMARK_EVENT_EXIT &&
			   !escape_url_allowed(cmark_node_get_url(node))) {
			ALLOC_GROW(refused, count + 1, alloc);
			refused[count++] = node;
		}
	}
	cmark_iter_free(iter);
	for (size_t i = 0; i < count; i++)
		replace_node(refused[i]);
	free(refused);
}

void markdown_render(struct buf *out, const char *markdown, size_t len,
		     int heading_shift)
{
	if (heading_shift != 0 && heading_shift != 1)
		BUG("markdown heading_shift is not 0 or 1");
	if (len == 0)
		return;
	cmark_node *doc = cmark_parse_document(markdown, len,
					       CMARK_OPT_VALIDATE_UTF8);
	apply_policy(doc, heading_shift);
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
	buf_adds(out, html);
	free(html);
	cmark_node_free(doc);
}
