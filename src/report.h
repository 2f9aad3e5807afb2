/*
 * report: evaluation results as JSON, CSV and JUnit XML.
 *
 * The same documents serve `yardstick eval` and, later, the site's
 * data/ exports. Output is deterministic: same site and date, same bytes.
 * docs/eval-output.md describes each format.
 */
#ifndef YARDSTICK_REPORT_H
#define YARDSTICK_REPORT_H

#include "buf.h"
#include "rollup.h"

/* What to include; NULL fields mean everything. */
struct report_filter {
	const char *scorecard; /* a scorecard id */
	const char *team;      /* a team id: its entities and its sub-teams' */
	const char *entity;    /* an entity reference */
};

void report_json(const struct rollup *ru, const struct report_filter *f,
		 struct buf *out);
void report_csv(const struct rollup *ru, const struct report_filter *f,
		struct buf *out);
void report_junit(const struct rollup *ru, const struct report_filter *f,
		  struct buf *out);

/*
 * The results as Datadog's scorecard outcomes (a "batched-outcome"
 * document, as content/outcomes/ reads them), for pushing to Datadog:
 * pass and fail as they are, exempt as skip; skipped and no-data pairs are
 * left out. Rule ids are yardstick's "scorecard/rule" references.
 */
void report_outcomes(const struct rollup *ru, struct buf *out);

#endif
