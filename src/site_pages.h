/*
 * site_pages: one function per page type, each building its page's
 * context (site_context.h) and rendering it with the theme's template of
 * the same name. They are grouped by subject in four files:
 *
 *   site_pages.c     dashboard, problems, scorecards, scorecard, rule, page
 *   site_entity.c    entities index, entity
 *   site_team.c      teams tree, team
 *   site_campaign.c  campaigns index, campaign
 *
 * Each returns 0, or -1 with r->failure and r->e set. docs/templates.md
 * ("Page contexts") lists every key each page gets.
 */
#ifndef YARDSTICK_SITE_PAGES_H
#define YARDSTICK_SITE_PAGES_H

#include <stddef.h>

#include "site_context.h"

int page_index(struct render *r);
int page_problems(struct render *r);
int page_scorecards(struct render *r);
int page_scorecard(struct render *r, size_t s);
int page_rule(struct render *r, size_t ri);
int page_markdown(struct render *r, size_t p);

int page_entities(struct render *r);
int page_entity(struct render *r, size_t e);

int page_teams(struct render *r);
int page_team(struct render *r, size_t t);

int page_campaigns(struct render *r);
int page_campaign(struct render *r, size_t c);

/* Badges and data exports (site_exports.c). The badges of entity `e`, one
 * per scorecard it is in scope of, unless [badges] enabled = false; the
 * exports [exports] formats names, each built in a buffer of its own
 * (site_exports_data releases r->text first). */
int site_exports_entity_badges(struct render *r, size_t e);
int site_exports_data(struct render *r);
/* The history exports (data/history/): rows go in while the trends load
 * (site_exports_series_row fits trends_load's `also`), then
 * site_exports_history stages them. */
struct series_export *site_exports_series_new(void);
void site_exports_series_row(void *export, day_t day,
			     const struct history_aggregate *a);
void site_exports_series_free(struct series_export *x);
int site_exports_history(struct render *r);

#endif
