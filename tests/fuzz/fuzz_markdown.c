/*
 * libFuzzer harness: Markdown (cmark in safe mode, links kept by the URL
 * policy), with and without the heading shift. The output must never hold
 * a raw tag from the input or a link with a scheme the policy refuses.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = BUF_INIT;
	for (int shift = 0; shift <= 1; shift++) {
		buf_reset(&out);
		markdown_render(&out, (const char *)data, size, shift);
		if (strstr(out.data, "<script") || strstr(out.data, "href=\"javascript:") ||
		    strstr(out.data, "src=\"javascript:"))
			abort();
	}
	buf_release(&out);
	return 0;
}
