/*
 * badge: SVG badges after shields.io's "flat" style.
 *
 * Lengths are integers in tenths of a pixel. As shields does, the text is
 * drawn at font-size 110 inside transform="scale(.1)", so text positions
 * keep their tenths while every number written stays an integer: no
 * printf of a double, hence nothing a locale could change. Each text also
 * carries textLength, its measured width, so the viewer's font (whichever
 * of the family it has) is fitted to the box instead of spilling out.
 */
#include "badge.h"

#include <string.h>

#include "escape.h"
#include "util.h"

#define BADGE_PADDING 10         /* pixels around the text of each part */
#define BADGE_DEFAULT_WIDTH 107  /* tenths: "m", for anything not in the table */
#define BADGE_REPLACEMENT 0xFFFDu
#define BADGE_ELLIPSIS 0x2026u

/*
 * Advance widths of printable ASCII at 11px, in tenths of a pixel: for
 * each character the wider of Verdana (the first font of the family, and
 * what shields measures) and DejaVu Sans (what a Linux viewer usually has
 * instead), so the measured box is never too small for either.
 */
static const unsigned char ascii_widths[0x7F - 0x20] = {
	/* space ! " # $ % & ' ( ) * + , - . / */
	39,  44,  56,  100, 77,  132, 86,  33,  54,  54,  77,  100, 39,  50,  39,  54,
	/* 0 1 2 3 4 5 6 7 8 9 : ; < = > ? */
	77,  77,  77,  77,  77,  77,  77,  77,  77,  77,  54,  54,  100, 100, 100, 66,
	/* @ A B C D E F G H I J K L M N O */
	110, 75,  76,  77,  85,  70,  63,  85,  83,  46,  50,  77,  62,  95,  83,  87,
	/* P Q R S T U V W X Y Z [ backslash ] ^ _ */
	67,  87,  77,  75,  68,  81,  75,  109, 75,  68,  75,  54,  54,  54,  100, 70,
	/* ` a b c d e f g h i j k l m n o */
	70,  67,  70,  60,  70,  68,  39,  70,  70,  31,  38,  65,  31,  107, 70,  67,
	/* p q r s t u v w x y z { | } ~ */
	70,  70,  47,  57,  43,  70,  65,  90,  65,  65,  58,  70,  54,  70,  100,
};

/*
 * Latin-1 letters and signs, U+00A0 to U+00FF, measure as the ASCII
 * character they look like: accented letters as their base letter (Verdana
 * gives them the same advance), the rest as a character of similar width.
 * Names like "Sécurité" are common enough to deserve better than the
 * default width.
 */
static const char latin1_lookalikes[0x100 - 0xA0 + 1] =
	" !$$$$|$$@cu+-@$" /* nbsp ¡ ¢ £ ¤ ¥ ¦ § ¨ © ª « ¬ shy ® ¯ */
	"?+cc$u$.$ccu%%%?" /* ° ± ² ³ ´ µ ¶ · ¸ ¹ º » ¼ ½ ¾ ¿ */
	"AAAAAAWCEEEEIIII" /* À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï */
	"DNOOOOO+OUUUUYPp" /* Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß */
	"aaaaaamceeeeiiii" /* à á â ã ä å æ ç è é ê ë ì í î ï */
	"onooooo+ouuuuypy"; /* ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ */

/* shields' named colours, from worst to best. */
static const char *const level_colors[] = {
	"#e05d44", /* red */
	"#fe7d37", /* orange */
	"#dfb317", /* yellow */
	"#a4a61d", /* yellowgreen */
	"#97ca00", /* green */
	"#4c1",    /* brightgreen */
};

static unsigned char_width(unsigned long c)
{
	if (c >= 0xA0 && c <= 0xFF)
		c = (unsigned char)latin1_lookalikes[c - 0xA0];
	if (c >= 0x20 && c < 0x7F)
		return ascii_widths[c - 0x20];
	return BADGE_DEFAULT_WIDTH;
}

/*
 * The character at s[*pos] as the badge draws it, and *pos moved past it.
 * XML cannot carry invalid UTF-8 or most control characters, even as
 * character references, so those become U+FFFD; tabs and line breaks
 * become spaces.
 */
static unsigned long next_char(const char *s, size_t len, size_t *pos)
{
	const unsigned char *u = (const unsigned char *)s + *pos;
	size_t n = util_utf8_length(u, len - *pos);
	if (n == 0) {
		*pos += 1;
		return BADGE_REPLACEMENT;
	}
	*pos += n;
	unsigned long c = n == 1 ? u[0] : u[0] & (0x7Fu >> n);
	for (size_t i = 1; i < n; i++)
		c = c << 6 | (u[i] & 0x3Fu);
	if (c == '\t' || c == '\n' || c == '\r')
		return ' ';
	if (c < 0x20 || c == 0x7F || c == 0xFFFE || c == 0xFFFF)
		return BADGE_REPLACEMENT;
	return c;
}

static void add_utf8(struct buf *out, unsigned long c)
{
	char bytes[4];
	size_t n;
	if (c < 0x80) {
		bytes[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		bytes[0] = (char)(0xC0 | c >> 6);
		bytes[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		bytes[0] = (char)(0xE0 | c >> 12);
		bytes[1] = (char)(0x80 | (c >> 6 & 0x3F));
		bytes[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		bytes[0] = (char)(0xF0 | c >> 18);
		bytes[1] = (char)(0x80 | (c >> 12 & 0x3F));
		bytes[2] = (char)(0x80 | (c >> 6 & 0x3F));
		bytes[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	buf_add(out, bytes, n);
}

/*
 * Put `text` as drawn into `drawn` (valid UTF-8 without control
 * characters, not yet escaped, cut at BADGE_MAX_TEXT) and return its width
 * in tenths of a pixel.
 */
static unsigned draw_text(struct buf *drawn, const char *text)
{
	if (!text)
		BUG("badge text is NULL");
	size_t len = strlen(text);
	size_t count = 0;
	for (size_t pos = 0; pos < len; count++)
		next_char(text, len, &pos);
	size_t keep = count > BADGE_MAX_TEXT ? BADGE_MAX_TEXT - 1 : count;

	unsigned width = 0;
	size_t pos = 0;
	for (size_t i = 0; i < keep; i++) {
		unsigned long c = next_char(text, len, &pos);
		width += char_width(c);
		add_utf8(drawn, c);
	}
	if (keep < count) {
		width += char_width(BADGE_ELLIPSIS);
		add_utf8(drawn, BADGE_ELLIPSIS);
	}
	return width;
}

double badge_text_width(const char *text)
{
	struct buf drawn = BUF_INIT;
	unsigned width = draw_text(&drawn, text);
	buf_release(&drawn);
	return width / 10.0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool badge_color_valid(const char *color)
{
	if (!color || color[0] != '#')
		return false;
	size_t n = 0;
	while (hex_digit(color[1 + n]) >= 0)
		n++;
	return color[1 + n] == '\0' && (n == 3 || n == 6);
}

/*
 * Whether text on `color` (valid) should be dark: shields' rule, the
 * perceived brightness (ITU-R BT.601 weights) above 0.69.
 */
static bool color_is_light(const char *color)
{
	int rgb[3];
	bool short_form = strlen(color) == 4;
	for (int i = 0; i < 3; i++) {
		if (short_form)
			rgb[i] = hex_digit(color[1 + i]) * 17;
		else
			rgb[i] = hex_digit(color[1 + 2 * i]) * 16 +
				 hex_digit(color[2 + 2 * i]);
	}
	return rgb[0] * 299 + rgb[1] * 587 + rgb[2] * 114 > 690 * 255;
}

const char *badge_color_for_level(int level, int level_count)
{
	if (level_count < 1 || level > level_count)
		BUG("badge level out of range");
	if (level < 0)
		return BADGE_COLOR_NO_SCORE;
	if (level == 0)
		return level_colors[0];
	size_t last = ARRAY_SIZE(level_colors) - 1;
	if (level == level_count)
		return level_colors[last];
	/* Levels in between take the nearest of the middle colours. */
	long long index = ((long long)level * (long long)last * 2 + level_count) /
			  (2LL * level_count);
	if (index < 1)
		index = 1;
	if (index > (long long)last - 1)
		index = (long long)last - 1;
	return level_colors[index];
}

/* Width of a part in whole pixels: the text rounded up, and padding. */
static unsigned part_width(unsigned text_tenths)
{
	return (text_tenths + 9) / 10 + BADGE_PADDING;
}

static void add_name(struct buf *out, const struct buf *label,
		     const struct buf *message)
{
	escape_html(out, label->data, label->len);
	if (label->len && message->len)
		buf_adds(out, ": ");
	escape_html(out, message->data, message->len);
}

/* One text, centred at `x` tenths, with its shadow one pixel below. */
static void add_text(struct buf *out, const struct buf *text, unsigned width,
		     unsigned x, bool dark)
{
	if (!text->len)
		return;
	buf_addf(out, "<text x=\"%u\" y=\"140\"%s textLength=\"%u\">",
		 x, dark ? " fill=\"#333\"" : "", width);
	escape_html(out, text->data, text->len);
	buf_adds(out, "</text>");
}

/*
 * shields' flat style without what repeats: no shadow copy of each text,
 * no gradient, no clipPath. The rounded box is one rect in the label's
 * grey; the message part is a path over its right side, square on the
 * left and rounded on the right. Every coordinate is still an integer.
 */
void badge_svg(struct buf *out, const char *label, const char *message,
	       const char *color)
{
	if (!badge_color_valid(color))
		BUG("badge colour is not #rgb or #rrggbb");
	struct buf label_text = BUF_INIT, message_text = BUF_INIT;
	unsigned label_tenths = draw_text(&label_text, label);
	unsigned message_tenths = draw_text(&message_text, message);
	unsigned label_width = part_width(label_tenths);
	unsigned message_width = part_width(message_tenths);
	unsigned width = label_width + message_width;

	/* The accessible name is the <title> alone: an SVG with role="img"
	 * takes its name from it (SVG-AAM), and an aria-label repeating it
	 * cost 45 bytes of every badge file. */
	buf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" "
		 "height=\"20\" role=\"img\"><title>", width);
	add_name(out, &label_text, &message_text);
	buf_adds(out, "</title>\n");
	/* part_width() is at least the 10px of padding, so the message part
	 * is always wider than its 3px corner. */
	buf_addf(out, "<rect width=\"%u\" height=\"20\" rx=\"3\" fill=\"#555\"/>"
		 "<path fill=\"%s\" d=\"M%u 0h%ua3 3 0 0 1 3 3v14a3 3 0 0 1-3 3H%uz\"/>\n",
		 width, color, label_width, message_width - 3, label_width);
	buf_adds(out, "<g fill=\"#fff\" text-anchor=\"middle\" "
		 "font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" "
		 "font-size=\"110\" transform=\"scale(.1)\">");
	add_text(out, &label_text, label_tenths, label_width * 5, false);
	add_text(out, &message_text, message_tenths,
		 label_width * 10 + message_width * 5, color_is_light(color));
	buf_adds(out, "</g></svg>\n");
	buf_release(&label_text);
	buf_release(&message_text);
}
