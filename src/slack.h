/*
 * slack: the digests a build posts to Slack (docs/slack.md), the last
 * stage of the pipeline: load -> evaluate -> record -> render -> write ->
 * notify.
 *
 * Three parts, three files:
 *
 * - slack.c composes the messages: one for the organisation and one per
 *   team with a `slack:` channel. C builds a context per message from the
 *   roll-up and the history (every content string already escaped for
 *   mrkdwn, links only from base_url and the site's paths), the theme's
 *   templates/slack/ render the text of each block, and C assembles the
 *   Block Kit JSON. It also drives a run: send days, "never twice", dry
 *   runs and the exit status.
 * - slack_blocks.c assembles a payload within Block Kit's limits and checks
 *   a payload against them (what the tests use).
 * - slack_post.c delivers a payload through libcurl, with timeouts and
 *   retries; libcurl's codes and Slack's replies become one-line reasons
 *   there, and the secret never appears in one.
 */
#ifndef YARDSTICK_SLACK_H
#define YARDSTICK_SLACK_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "conf.h"
#include "err.h"
#include "history.h"
#include "mustache.h"
#include "rollup.h"

/* ---- Block Kit (slack_blocks.c) ------------------------------------------ */

/* Slack's limits, in characters (Block Kit reference, docs.slack.dev). */
enum {
	SLACK_MAX_BLOCKS = 50,
	SLACK_MAX_SECTION_TEXT = 3000,
	SLACK_MAX_HEADER_TEXT = 150,
	SLACK_MAX_FIELDS = 10,
	SLACK_MAX_FIELD_TEXT = 2000,
	SLACK_MAX_CONTEXT_ELEMENTS = 10,
	/* Slack truncates a message's `text` at 40,000; a notification shows
	 * far less, so the fallback is kept to a section's size. */
	SLACK_MAX_FALLBACK_TEXT = 3000,
};

/* Blocks being assembled into a payload. */
struct slack_blocks {
	struct buf json; /* the blocks, comma-separated, without brackets */
	size_t count;
};

#define SLACK_BLOCKS_INIT { BUF_INIT, 0 }

void slack_blocks_release(struct slack_blocks *b);

/*
 * Add a block. `text` is what a template rendered: trailing white space is
 * dropped, and a text that is then empty adds nothing. A text over the
 * block's limit is cut (at a line break when there is one in its second
 * half, never inside a `<link|label>` or an `&entity;`) and ends with "…".
 * A header is plain text; sections and context elements are mrkdwn with
 * "verbatim": true (escape.h, escape_mrkdwn). More than SLACK_MAX_BLOCKS
 * is a BUG: the caller decides how many blocks there are.
 */
void slack_blocks_header(struct slack_blocks *b, const char *text);
void slack_blocks_section(struct slack_blocks *b, const char *text);
void slack_blocks_context(struct slack_blocks *b, const char *text);
void slack_blocks_divider(struct slack_blocks *b);

/*
 * The payload: {"channel": ..., "text": ..., "blocks": [...], ...} into
 * `out`; `channel` NULL for an incoming webhook (which has its own).
 * `text` (the notification fallback) is cut like a section's.
 */
void slack_blocks_payload(const struct slack_blocks *b, const char *channel,
			  const char *text, struct buf *out);

/* `text` without trailing white space, cut to `max` characters as the
 * blocks are, appended to `out`. */
void slack_clip(struct buf *out, const char *text, size_t max);

/*
 * Check a payload against Block Kit's limits: valid JSON, an object with a
 * `blocks` array of at most SLACK_MAX_BLOCKS, header and section texts,
 * fields and context elements within theirs, and a fallback `text`.
 * Returns 0, or -1 with the first problem in `why`.
 */
int slack_payload_check(const char *json, size_t len, char *why,
			size_t why_size);

/* ---- delivery (slack_post.c) --------------------------------------------- */

struct slack_endpoint {
	const char *url;        /* the webhook, or chat.postMessage's URL */
	const char *token;      /* the bot token; NULL for a webhook */
	const char *secret_env; /* the variable holding the secret, for messages */
	long timeout_ms;        /* the whole request (30 s) */
	long connect_timeout_ms; /* connecting (10 s) */
	long delay_ms;          /* the unit of the back-off between attempts (1 s) */
};

/* Attempts per message: 5xx answers, timeouts and 429 are retried. */
enum { SLACK_ATTEMPTS = 3, SLACK_RETRY_AFTER_MAX = 30 };

/*
 * Whether `url` may receive a post: https, or http to 127.0.0.1 or
 * localhost (the tests' fake Slack).
 */
bool slack_url_allowed(const char *url);

/* `url` with everything after the first path segment hidden:
 * "https://hooks.slack.com/services/T…/" and three stars. */
const char *slack_url_redacted(struct arena *a, const char *url);

/*
 * Post `payload` (JSON) to `ep`: a webhook answers "ok"; chat.postMessage
 * answers {"ok": true} (an "ok": false is an error whatever the HTTP
 * status). 429 waits for Retry-After (at most SLACK_RETRY_AFTER_MAX s),
 * 5xx and timeouts wait `delay_ms`, then twice that, up to SLACK_ATTEMPTS
 * attempts; other answers are not retried. `*requests` counts the
 * attempts made. Returns 0, or -1 with a one-line reason in `e` (Slack's
 * error string when it gave one) that never holds the secret.
 */
int slack_post(const struct slack_endpoint *ep, const char *payload,
	       size_t *requests, struct err *e);

/* ---- digests (slack.c) ---------------------------------------------------- */

/* The templates a Slack theme must have (templates/slack/NAME.mustache).
 * Adds a problem to `errors` for each one missing or broken; -1 then. */
int slack_load_templates(struct mustache_cache *templates, const char *dir,
			 struct errlist *errors);

struct slack_job {
	const struct rollup *ru;
	const struct conf *conf;
	struct history *history;           /* today already recorded */
	struct mustache_cache *templates;  /* over templates/slack/ */
	const char *dry_run_dir;           /* write payloads here; NULL posts */
	bool resend;                       /* post again what was posted */
};

enum slack_status {
	SLACK_OK,     /* every digest posted, or nothing to post */
	SLACK_FAILED, /* a digest was not delivered (exit 4) */
	SLACK_IO,     /* a dry-run file could not be written (exit 3) */
};

/*
 * Compose the digests of today (job->ru->ev->today) and post them, or
 * write them to the dry-run folder, printing one line per message on
 * stdout and problems on stderr. A digest recorded as posted for this date
 * (history_digest_sent) is skipped unless `resend`; each post is recorded
 * when Slack accepted it.
 */
enum slack_status slack_run(const struct slack_job *job);

#endif
