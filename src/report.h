/*
 * report: evaluation results as JSON, CSV and JUnit XML.
 *
 * The same documents serve `yardstick eval` and the site's data/ exports.
 * Output is deterministic: same site and date, same bytes, however the
 * sink flushes them. docs/eval-output.md describes each format.
 */
#ifndef YARDSTICK_REPORT_H
#define YARDSTICK_REPORT_H

#include <stddef.h>

#include "buf.h"
#include "rollup.h"

/*
 * Where a report goes: the writers append to `text` and hand it to `flush`
 * whenever it passes REPORT_FLUSH_AT bytes (between records), so a report
 * of any size is never held whole. With `flush` NULL the whole report
 * stays in `text`. After a failed flush the rest is dropped.
 */
enum { REPORT_FLUSH_AT = 64 * 1024 };

struct report_sink {
	struct buf text;
	/* 0, or -1 when the bytes could not be written (`ctx` keeps why) */
	int (*flush)(void *ctx, const char *data, size_t len);
	void *ctx;
	int status; /* 0, or -1 once a flush failed */
};

/* Start an empty sink flushing to `flush` (may be NULL) with `ctx`. */
void report_sink_init(struct report_sink *sink,
		      int (*flush)(void *ctx, const char *data, size_t len),
		      void *ctx);

/* Flush what is left (with a `flush`) and return 0, or -1 when a flush
 * failed. `text` is released only with a `flush`; without, the caller
 * takes the report from it and releases it. */
int report_sink_finish(struct report_sink *sink);

/* What to include; NULL fields mean everything. */
struct report_filter {
	const char *scorecard; /* a scorecard id */
	const char *team;      /* a team id: its entities and its sub-teams' */
	const char *entity;    /* an entity reference */
};

void report_json(const struct rollup *ru, const struct report_filter *f,
		 struct report_sink *out);
void report_csv(const struct rollup *ru, const struct report_filter *f,
		struct report_sink *out);
void report_junit(const struct rollup *ru, const struct report_filter *f,
		  struct report_sink *out);

/*
 * The results as Datadog's scorecard outcomes (a "batched-outcome"
 * document, as content/outcomes/ reads them), for pushing to Datadog:
 * pass and fail as they are, exempt as skip; skipped and no-data pairs are
 * left out. Rule ids are yardstick's "scorecard/rule" references.
 */
void report_outcomes(const struct rollup *ru, struct report_sink *out);

#endif
