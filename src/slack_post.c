/*
 * slack_post: one payload delivered to Slack through libcurl (slack.h).
 *
 * libcurl is used here only; its codes, HTTP statuses and Slack's replies
 * become one-line reasons at this file's edge. The secret (a webhook URL
 * or a bot token) is handed to libcurl and nowhere else: a reason names
 * the variable it came from and shows the URL redacted, and libcurl's own
 * error text (which may quote the URL) is never shown. Replies are capped,
 * as everything that comes back from the network is.
 */
#include "slack.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

/* Slack's replies are a few bytes ("ok", {"ok":true,...}). */
#define REPLY_MAX 65536

bool slack_url_allowed(const char *url)
{
	if (strncmp(url, "https://", 8) == 0)
		return url[8] != '\0';
	static const char *const loopback[] = {
		"http://127.0.0.1", "http://localhost",
	};
	for (size_t i = 0; i < ARRAY_SIZE(loopback); i++) {
		size_t n = strlen(loopback[i]);
		if (strncmp(url, loopback[i], n) == 0 &&
		    (url[n] == ':' || url[n] == '/' || url[n] == '\0'))
			return true;
	}
	return false;
}

const char *slack_url_redacted(struct arena *a, const char *url)
{
	const char *scheme = strstr(url, "://");
	if (!scheme)
		return "***";
	const char *host_end = url + strcspn(url + (scheme - url) + 3, "/?#") +
			       (scheme - url) + 3;
	if (*host_end != '/')
		return arena_printf(a, "%.*s/***", (int)(host_end - url), url);
	const char *segment = host_end + 1;
	size_t first = strcspn(segment, "/?#");
	if (segment[first] != '/' || !segment[first + 1])
		return arena_printf(a, "%.*s/***", (int)(host_end - url), url);
	/* "https://hooks.slack.com/services/" + "T" + "…/" + three stars */
	return arena_printf(a, "%.*s%c\xe2\x80\xa6/***",
			    (int)(segment + first + 1 - url), url,
			    segment[first + 1]);
}

struct reply {
	struct buf body;
	bool too_big;
};

static size_t reply_write(char *data, size_t size, size_t count, void *user)
{
	struct reply *r = user;
	size_t len = size * count;
	if (r->body.len + len > REPLY_MAX) {
		r->too_big = true;
		return 0;
	}
	buf_add(&r->body, data, len);
	return len;
}

/* Slack's error string as it may be printed: its first word of letters,
 * digits and _ (invalid_payload, channel_not_found), at most 80 bytes. */
static void error_word(char *out, size_t size, const char *s)
{
	size_t n = 0;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	while (n + 1 < size && n < 80 &&
	       ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		(*s >= '0' && *s <= '9') || *s == '_'))
		out[n++] = *s++;
	out[n] = '\0';
}

/* chat.postMessage's {"ok": ..., "error": ...}: 1 ok, 0 an error (its
 * string in `word`), -1 not such a reply. */
static int api_reply(const struct buf *body, char *word, size_t size)
{
	json_error_t error;
	json_t *root = json_loadb(body->data, body->len, 0, &error);
	int ok = -1;
	if (json_is_object(root) && json_is_boolean(json_object_get(root, "ok"))) {
		ok = json_is_true(json_object_get(root, "ok"));
		const char *s = json_string_value(json_object_get(root, "error"));
		error_word(word, size, s ? s : "");
	}
	json_decref(root);
	return ok;
}

enum post_result { POSTED, RETRY, FAILED };

struct attempt {
	CURLcode rc;
	long status;
	long retry_after; /* seconds, -1 when not given */
	struct reply reply;
};

static void attempt_perform(const struct slack_endpoint *ep,
			    const char *payload, struct attempt *at)
{
	char curl_error[CURL_ERROR_SIZE] = "";
	struct curl_slist *headers = NULL;
	struct buf auth = BUF_INIT;
	CURL *curl = curl_easy_init();
	if (!curl) {
		at->rc = CURLE_FAILED_INIT;
		return;
	}
	headers = curl_slist_append(headers,
				    "Content-Type: application/json; charset=utf-8");
	if (ep->token) {
		buf_addf(&auth, "Authorization: Bearer %s", ep->token);
		headers = curl_slist_append(headers, auth.data);
	}
	curl_easy_setopt(curl, CURLOPT_URL, ep->url);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
#else
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS,
			 (long)(CURLPROTO_HTTPS | CURLPROTO_HTTP));
#endif
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, ep->connect_timeout_ms);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, ep->timeout_ms);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "yardstick/" YARDSTICK_VERSION);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, reply_write);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &at->reply);
	at->rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &at->status);
	curl_off_t retry_after = -1;
#if LIBCURL_VERSION_NUM >= 0x074200 /* 7.66.0 */
	if (curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &retry_after) != CURLE_OK)
		retry_after = -1;
#endif
	at->retry_after = retry_after > 0 ? (long)retry_after : -1;
	curl_easy_cleanup(curl);
	curl_slist_free_all(headers);
	/* The header held the token: leave no copy in freed memory. */
	if (auth.len)
		memset(auth.data, 0, auth.len);
	buf_release(&auth);
}

/* What an attempt came to, with a reason when it did not post. */
static enum post_result attempt_judge(const struct slack_endpoint *ep,
				  const struct attempt *at, char *reason,
				  size_t size)
{
	char word[96] = "";
	if (at->reply.too_big) {
		snprintf(reason, size, "Slack's reply is larger than %d bytes",
			 REPLY_MAX);
		return FAILED;
	}
	if (at->rc == CURLE_OPERATION_TIMEDOUT) {
		snprintf(reason, size, "no answer within %ld ms", ep->timeout_ms);
		return RETRY;
	}
	if (at->rc != CURLE_OK) {
		/* Not libcurl's error buffer: it may quote the URL. */
		snprintf(reason, size, "%s", curl_easy_strerror(at->rc));
		return at->rc == CURLE_COULDNT_CONNECT ? RETRY : FAILED;
	}
	if (at->status == 429) {
		snprintf(reason, size, "rate limited (HTTP 429)");
		return RETRY;
	}
	if (at->status >= 500) {
		snprintf(reason, size, "Slack answered HTTP %ld", at->status);
		return RETRY;
	}
	if (ep->token) {
		int ok = api_reply(&at->reply.body, word, sizeof(word));
		if (ok == 1 && at->status >= 200 && at->status < 300)
			return POSTED;
		if (ok == 0)
			snprintf(reason, size, "Slack answered %s (HTTP %ld)",
				 *word ? word : "an error", at->status);
		else
			snprintf(reason, size, "Slack answered HTTP %ld without "
				 "its JSON reply", at->status);
		return FAILED;
	}
	if (at->status >= 200 && at->status < 300)
		return POSTED;
	error_word(word, sizeof(word), at->reply.body.data);
	snprintf(reason, size, "Slack answered %s (HTTP %ld)",
		 *word ? word : "an error", at->status);
	return FAILED;
}

static void sleep_ms(long ms)
{
	if (ms <= 0)
		return;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0)
		;
}

int slack_post(const struct slack_endpoint *ep, const char *payload,
	       size_t *requests, struct err *e)
{
	char reason[256] = "";
	long backoff = ep->delay_ms;
	*requests = 0;
	for (int attempt = 1; attempt <= SLACK_ATTEMPTS; attempt++) {
		struct attempt at = { CURLE_OK, 0, -1, { BUF_INIT, false } };
		attempt_perform(ep, payload, &at);
		(*requests)++;
		enum post_result o = attempt_judge(ep, &at, reason, sizeof(reason));
		long retry_after = at.retry_after;
		long status = at.status;
		buf_release(&at.reply.body);
		if (o == POSTED)
			return 0;
		if (o == FAILED || attempt == SLACK_ATTEMPTS)
			break;
		if (status == 429) {
			long s = retry_after < 0 ? 1 : retry_after;
			sleep_ms((s > SLACK_RETRY_AFTER_MAX ? SLACK_RETRY_AFTER_MAX : s) *
				 1000L);
		} else {
			sleep_ms(backoff);
			backoff *= 2;
		}
	}
	if (*requests > 1)
		err_path(e, ERR_ERROR, "slack", "%s (%zu attempts)", reason, *requests);
	else
		err_path(e, ERR_ERROR, "slack", "%s", reason);
	return -1;
}
