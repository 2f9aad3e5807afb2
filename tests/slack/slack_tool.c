/*
 * slack_tool: slack_payload_check() for tests/slack/run.sh.
 *
 *   slack_tool check FILE    exit 0 when the payload is within Block Kit's
 *                            limits, else 1 with the problem printed
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "slack.h"

int main(int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], "check") != 0) {
		fprintf(stderr, "usage: slack_tool check FILE\n");
		return 2;
	}
	FILE *f = fopen(argv[2], "rb");
	if (!f) {
		perror(argv[2]);
		return 2;
	}
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	char why[200];
	int rc = slack_payload_check(b.data, b.len, why, sizeof(why));
	if (rc != 0)
		printf("%s: %s\n", argv[2], why);
	else
		printf("%s: within the limits (%zu bytes)\n", argv[2], b.len);
	buf_release(&b);
	return rc != 0;
}
