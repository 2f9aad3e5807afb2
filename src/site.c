#include "site.h"

#include <string.h>

#include "markdown.h"
#include "site_changes.h"
#include "site_pages.h"
#include "site_trends.h"
#include "trends.h"

const char *const site_templates[] = {
	"index", "problems", "scorecards", "scorecard", "rule", "entities",
	"entity", "teams", "team", "campaigns", "campaign", "changes", "page", NULL,
};

/* What many pages share and the roll-up does not own, because it is the
 * site's: rendered guidance, reverse dependencies, and the slots of the
 * links built once per run. */
static void prepare(struct render *r)
{
	const struct site *site = r->site;
	const struct eval *ev = r->ev;
	struct arena *a = &r->run;
	size_t n = site->entity_count, scs = site->scorecard_count;

	r->team_sparklines = arena_alloc_array(a, site->team_count + 1,
					       sizeof(struct value *));
	r->scorecard_sparklines = arena_alloc_array(a, scs + 1, sizeof(struct value *));

	for (size_t d = 0; d <= SITE_MAX_DEPTH; d++) {
		r->entity_links[d] = arena_alloc_array(a, n + 1, sizeof(struct value *));
		r->team_links[d] = arena_alloc_array(a, site->team_count + 1,
						     sizeof(struct value *));
		r->scorecard_links[d] = arena_alloc_array(a, scs + 1, sizeof(struct value *));
		r->rule_links[d] = arena_alloc_array(a, ev->rule_total + 1,
						     sizeof(struct value *));
	}

	/* Guidance shows on every entity page of a campaign: render it once. */
	r->guidance_html = arena_alloc_array(a, site->campaign_count + 1, sizeof(char **));
	for (size_t c = 0; c < site->campaign_count; c++) {
		const struct campaign *camp = site->campaigns[c];
		r->guidance_html[c] = arena_alloc_array(a, camp->rule_count + 1, sizeof(char *));
		for (size_t i = 0; i < camp->rule_count; i++) {
			if (!camp->rules[i].guidance)
				continue;
			struct buf html = BUF_INIT;
			markdown_render(&html, camp->rules[i].guidance,
					strlen(camp->rules[i].guidance), 1);
			r->guidance_html[c][i] = arena_strndup(a, html.data, html.len);
			buf_release(&html);
		}
	}

	/* Reverse dependencies: count, allocate, fill. Entities come in index
	 * order, so a dependency an entity lists twice is the last one added. */
	r->dependent_count = arena_alloc_array(a, n + 1, sizeof(size_t));
	r->dependents = arena_alloc_array(a, n + 1, sizeof(size_t *));
	for (int fill = 0; fill < 2; fill++) {
		for (size_t e = 0; e < n; e++) {
			const struct entity *ent = site->entities[e];
			for (size_t i = 0; i < ent->dependency_count; i++) {
				size_t d = site_entity_index(site, ent->dependencies[i]);
				if (d == SITE_NONE || d == e)
					continue;
				size_t *count = &r->dependent_count[d];
				if (!fill)
					(*count)++;
				else if (!*count || r->dependents[d][*count - 1] != e)
					r->dependents[d][(*count)++] = e;
			}
		}
		for (size_t e = 0; !fill && e < n; e++) {
			r->dependents[e] = arena_alloc_array(a, r->dependent_count[e] + 1,
							     sizeof(size_t));
			r->dependent_count[e] = 0;
		}
	}
}

int site_load_theme(struct mustache_cache *theme, const char *templates_dir,
		    struct errlist *errors)
{
	int status = 0;
	for (size_t i = 0; site_templates[i]; i++) {
		const struct mustache_template *t;
		struct err e = ERR_INIT;
		int found = mustache_get(theme, site_templates[i], &t, &e);
		if (found == 0)
			continue;
		if (found > 0)
			errlist_path(errors, ERR_ERROR, templates_dir,
				     "the theme has no template '%s.mustache'",
				     site_templates[i]);
		else
			errlist_add(errors, &e);
		err_release(&e);
		status = -1;
	}
	return status;
}

enum site_status site_render(const struct site_job *job, size_t *pages,
			     struct err *e)
{
	const struct rollup *ru = job->rollup;
	const struct site *site = ru->site;
	struct render r = {
		.ru = ru, .ev = ru->ev, .site = site, .conf = job->conf,
		.problems = job->problems, .theme = job->theme, .out = job->out,
		.run = ARENA_INIT, .scratch = ARENA_INIT, .text = BUF_INIT, .e = e,
		.history = job->history,
	};
	r.mem = &r.scratch;
	site_layout_assign(&r.run, r.ev, &r.layout);
	prepare(&r);
	if (job->history)
		r.series = site_exports_series_new();
	if (job->history &&
	    trends_load(&r.trends, job->history, r.ev->today, job->conf->keep_days,
			site_exports_series_row, r.series, e) < 0) {
		r.failure = SITE_OUTPUT_FAILED;
		goto out;
	}
	if (changes_prepare(&r) < 0 || trend_entities_prepare(&r) < 0)
		goto out;
	if (page_index(&r) < 0 || page_problems(&r) < 0 ||
	    page_scorecards(&r) < 0 || page_entities(&r) < 0 ||
	    page_teams(&r) < 0 || page_campaigns(&r) < 0 || page_changes(&r) < 0)
		goto out;
	for (size_t s = 0; s < site->scorecard_count; s++)
		if (page_scorecard(&r, s) < 0)
			goto out;
	for (size_t ri = 0; ri < r.ev->rule_total; ri++)
		if (page_rule(&r, ri) < 0)
			goto out;
	for (size_t i = 0; i < site->entity_count; i++)
		if (page_entity(&r, i) < 0)
			goto out;
	for (size_t t = 0; t < site->team_count; t++)
		if (page_team(&r, t) < 0)
			goto out;
	for (size_t c = 0; c < site->campaign_count; c++)
		if (page_campaign(&r, c) < 0)
			goto out;
	for (size_t p = 0; p < site->page_count; p++)
		if (page_markdown(&r, p) < 0)
			goto out;
	if (site_exports_badges(&r) < 0 || site_exports_data(&r) < 0 ||
	    site_exports_history(&r) < 0 ||
	    changes_export(&r) < 0)
		goto out;
out:
	*pages = r.pages;
	trends_free(r.trends);
	site_exports_series_free(r.series);
	buf_release(&r.text);
	arena_release(&r.scratch);
	arena_release(&r.run);
	return r.failure;
}
