/*
 * history_restore: a history fetched from the published site on a fresh CI
 * machine (history.h declares it). libcurl is used here only; its codes
 * become one-line reasons in a `struct err` at this file's edge.
 */
#include "history.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* ---- restore -------------------------------------------------------------- */

struct download {
	FILE *file;
	curl_off_t max, got;
	bool too_big, write_failed;
};

static size_t download_write(char *data, size_t size, size_t count, void *user)
{
	struct download *d = user;
	size_t len = size * count;
	if ((curl_off_t)len > d->max - d->got) {
		d->too_big = true;
		return 0; /* makes libcurl stop with CURLE_WRITE_ERROR */
	}
	if (fwrite(data, 1, len, d->file) != len) {
		d->write_failed = true;
		return 0;
	}
	d->got += (curl_off_t)len;
	return len;
}

/* Download `url` into `file`; 0, or -1 with the reason in `reason`. */
static int download(const char *url, FILE *file, long max_bytes,
		    long timeout_seconds, char *reason, size_t reason_size)
{
	struct download d = { file, max_bytes, 0, false, false };
	char curl_error[CURL_ERROR_SIZE] = "";
	CURL *curl = curl_easy_init();
	if (!curl) {
		snprintf(reason, reason_size, "libcurl cannot start");
		return -1;
	}
	long connect_timeout = timeout_seconds < 10 ? timeout_seconds : 10;
	curl_easy_setopt(curl, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http,file");
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https,http");
#else
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS,
			 (long)(CURLPROTO_HTTPS | CURLPROTO_HTTP | CURLPROTO_FILE));
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS,
			 (long)(CURLPROTO_HTTPS | CURLPROTO_HTTP));
#endif
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, connect_timeout);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_seconds);
	curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_bytes);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "yardstick/" YARDSTICK_VERSION);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, download_write);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &d);
	CURLcode rc = curl_easy_perform(curl);
	long http_status = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http_status);
	curl_easy_cleanup(curl);

	if (d.too_big || rc == CURLE_FILESIZE_EXCEEDED)
		snprintf(reason, reason_size, "larger than the limit of %ld bytes",
			 max_bytes);
	else if (d.write_failed)
		snprintf(reason, reason_size, "cannot write the download: %s",
			 strerror(errno));
	else if (rc == CURLE_HTTP_RETURNED_ERROR)
		snprintf(reason, reason_size, "the server answered HTTP %ld", http_status);
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		snprintf(reason, reason_size, "no complete answer within %ld s",
			 timeout_seconds);
	else if (rc != CURLE_OK)
		snprintf(reason, reason_size, "%s",
			 curl_error[0] ? curl_error : curl_easy_strerror(rc));
	else if (d.got == 0)
		snprintf(reason, reason_size, "the answer was empty");
	else
		return 0;
	return -1;
}

/* The downloaded file must be a history this yardstick can use, whole
 * (history_open runs PRAGMA quick_check). */
static int check_restored(const char *tmp, char *reason, size_t reason_size)
{
	struct history *h;
	struct err e = ERR_INIT;
	if (history_open(&h, tmp, HISTORY_INSPECT, &e) != 0) {
		snprintf(reason, reason_size, "%s", e.msg);
		err_release(&e);
		return -1;
	}
	history_close(h);
	return 0;
}

int history_restore(const char *url, const char *path, long max_bytes,
		    long timeout_seconds, struct err *e)
{
	struct stat st;
	if (lstat(path, &st) == 0) {
		err_path(e, ERR_ERROR, path,
			 "cannot restore the history from %s: the file exists", url);
		return -1;
	}
	size_t len = strlen(path);
	char *tmp = xmalloc(len + sizeof(".restore-XXXXXX"));
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".restore-XXXXXX", sizeof(".restore-XXXXXX"));
	char reason[CURL_ERROR_SIZE + 128];
	int status = -1;
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(reason, sizeof(reason), "cannot create a temporary file "
			 "beside it: %s", strerror(errno));
		free(tmp);
		goto done;
	}
	FILE *file = fdopen(fd, "wb");
	if (!file) {
		snprintf(reason, sizeof(reason), "cannot write a temporary file: %s",
			 strerror(errno));
		close(fd);
		goto cleanup;
	}
	int got = download(url, file, max_bytes, timeout_seconds, reason,
			   sizeof(reason));
	if (fclose(file) != 0 && got == 0) {
		snprintf(reason, sizeof(reason), "cannot write the download: %s",
			 strerror(errno));
		got = -1;
	}
	if (got != 0)
		goto cleanup;
	if (check_restored(tmp, reason, sizeof(reason)) != 0)
		goto cleanup;
	if (rename(tmp, path) != 0) {
		snprintf(reason, sizeof(reason), "cannot move it into place: %s",
			 strerror(errno));
		goto cleanup;
	}
	status = 0;
cleanup:
	if (status != 0)
		unlink(tmp);
	free(tmp);
done:
	if (status != 0)
		err_path(e, ERR_ERROR, path, "cannot restore the history from %s: %s",
			 url, reason);
	return status;
}
