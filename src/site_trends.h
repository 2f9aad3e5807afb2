/*
 * site_trends: the trend charts of the pages, as chart values (chart.h)
 * built from the recorded series (trends.h). Each returns NULL (an
 * explicit null in the context, so the template draws nothing) when the
 * build has no history; with one recorded day the chart value says
 * "Trends appear after the second run." docs/templates.md ("Charts") has
 * the keys; the page contexts table says which page gets which chart.
 */
#ifndef YARDSTICK_SITE_TRENDS_H
#define YARDSTICK_SITE_TRENDS_H

#include <stddef.h>

#include "site_context.h"

/* Dashboard: the organisation's score and each scorecard's. */
struct value *trend_scores(struct render *r);
/* Scorecard page: its score, and the share of its entities at each level. */
struct value *trend_scorecard(struct render *r, size_t s);
struct value *trend_levels(struct render *r, size_t s);
/* Rule page: its pass rate. */
struct value *trend_rule(struct render *r, size_t ri);
/* Team page: the team's score against the organisation's. */
struct value *trend_team(struct render *r, size_t t);
/* Campaign page: passing and in-scope pairs per day, the projection. */
struct value *trend_burnup(struct render *r, size_t c);
/* A scorecard row and a team row (site_context.h) with a `sparkline`: a
 * small line of the score, built once per run and shared by every page
 * that lists them. */
struct value *trend_scorecard_row(struct render *r, size_t s);
struct value *trend_team_row(struct render *r, size_t t);

/*
 * Entity pages: each entity's score on each scorecard over the last 90
 * days, replayed from the state on the first recorded day in them and the
 * cell changes after it, scored with today's rules (weights, no_data): a
 * line that steps where a state changed and joins the runs (a day without
 * a run is not a gap here), at most 48 points. Prepared once per build;
 * 0, or -1 with r->failure set.
 */
int trend_entities_prepare(struct render *r);
/* The sparkline of entity `e` on scorecard `s`. */
struct value *trend_entity(struct render *r, size_t e, size_t s);

#endif
