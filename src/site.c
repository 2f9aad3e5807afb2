#include "site.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"
#include "site_changes.h"
#include "site_pages.h"
#include "site_trends.h"
#include "trends.h"
#include "util.h"

const char *const site_templates[] = {
	"index", "problems", "scorecards", "scorecard", "rule", "entities",
	"entity", "teams", "team", "campaigns", "campaign", "changes", "page", NULL,
};

/* The slots of the values built once per render (links, sparklines,
 * states), empty, in the render's own run arena. */
static void prepare_slots(struct render *r)
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
		r->campaign_rows[d] = arena_alloc_array(a, site->campaign_count + 1,
							sizeof(struct value *));
	}
	r->badges = arena_alloc_array(a, scs + 1, sizeof(*r->badges));
	for (size_t s = 0; s < scs; s++)
		r->badges[s] = arena_alloc_array(
			a, (site->scorecards[s]->level_count + 2) * SITE_BADGE_SCORES,
			sizeof(**r->badges));
	memset(r->state_values, 0, sizeof(r->state_values));
	memset(r->keys, 0, sizeof(r->keys));
	r->key_count = 0;
}

/* What many pages share and the roll-up does not own, because it is the
 * site's: rendered guidance and reverse dependencies. Read-only once
 * built, so every worker reads the one copy. */
static void prepare(struct render *r)
{
	const struct site *site = r->site;
	struct arena *a = &r->run;
	size_t n = site->entity_count;

	prepare_slots(r);

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

/* ---- the pages, as numbered tasks ------------------------------------- */

/*
 * Every file of the site but the static assets is written by one task: a
 * page function with an index. A group is a function and how many
 * indexes it takes; task k is found by walking the groups. The big single
 * files come first, so a worker starts on them while others take the
 * many small pages.
 */
static int one_entities(struct render *r, size_t i) { (void)i; return page_entities(r); }
static int one_scorecards(struct render *r, size_t i) { (void)i; return page_scorecards(r); }
static int one_teams(struct render *r, size_t i) { (void)i; return page_teams(r); }
static int one_index(struct render *r, size_t i) { (void)i; return page_index(r); }
static int one_problems(struct render *r, size_t i) { (void)i; return page_problems(r); }
static int one_campaigns(struct render *r, size_t i) { (void)i; return page_campaigns(r); }
static int one_changes(struct render *r, size_t i) { (void)i; return page_changes(r); }
static int one_data(struct render *r, size_t i) { (void)i; return site_exports_data(r); }
static int one_history(struct render *r, size_t i) { (void)i; return site_exports_history(r); }
static int one_changes_export(struct render *r, size_t i) { (void)i; return changes_export(r); }

static size_t count_one(const struct render *r) { (void)r; return 1; }
static size_t count_scorecards(const struct render *r) { return r->site->scorecard_count; }
static size_t count_rules(const struct render *r) { return r->ev->rule_total; }
static size_t count_entities(const struct render *r) { return r->site->entity_count; }
static size_t count_teams(const struct render *r) { return r->site->team_count; }
static size_t count_campaigns(const struct render *r) { return r->site->campaign_count; }
static size_t count_pages(const struct render *r) { return r->site->page_count; }

static const struct {
	int (*run)(struct render *r, size_t index);
	size_t (*count)(const struct render *r);
} task_groups[] = {
	{ one_data, count_one },
	{ one_entities, count_one },
	{ one_scorecards, count_one },
	{ one_teams, count_one },
	{ one_index, count_one },
	{ one_problems, count_one },
	{ one_campaigns, count_one },
	{ one_changes, count_one },
	{ one_history, count_one },
	{ one_changes_export, count_one },
	{ page_scorecard, count_scorecards },
	{ page_rule, count_rules },
	{ page_team, count_teams },
	{ page_campaign, count_campaigns },
	{ page_markdown, count_pages },
	{ page_entity, count_entities },
	{ site_exports_entity_badges, count_entities },
};

enum { TASK_GROUPS = sizeof(task_groups) / sizeof(task_groups[0]) };

/* Tasks are handed out this many at a time: small, because one rule page
 * can cost as much as a hundred entity pages. */
enum { TASK_CHUNK = 4 };

struct tasks {
	size_t end[TASK_GROUPS]; /* tasks of groups 0..g */
	size_t total;
};

static void tasks_count(const struct render *r, struct tasks *t)
{
	t->total = 0;
	for (size_t g = 0; g < TASK_GROUPS; g++)
		t->end[g] = t->total += task_groups[g].count(r);
}

static int task_run(struct render *r, const struct tasks *t, size_t k)
{
	size_t g = 0, start = 0;
	while (k >= t->end[g])
		start = t->end[g++];
	return task_groups[g].run(r, k - start);
}

/* ---- workers ----------------------------------------------------------- */

/*
 * Each worker renders with its own copy of the render: its own run arena
 * (the links and keys it builds lazily), scratch arena, text buffer, page
 * count and error, over the shared state every copy reads and none writes
 * (roll-up, evaluation, site, layout, trends, changes, entity lines,
 * guidance, dependents) and the one output, whose writes are thread-safe.
 * Nothing a page does touches SQLite: the history is read before the
 * workers start.
 */
struct pool {
	const struct tasks *tasks;
	atomic_size_t next;    /* the first task not handed out */
	atomic_bool stop;      /* a task failed */
};

struct worker {
	struct pool *pool;
	struct render r;
	struct err e;
	size_t failed_task;    /* SIZE_MAX when none */
	pthread_t thread;
};

static void worker_init(struct worker *w, struct pool *pool,
			const struct render *proto)
{
	w->pool = pool;
	w->e = (struct err)ERR_INIT;
	w->failed_task = SIZE_MAX;
	w->r = *proto;
	w->r.run = (struct arena)ARENA_INIT;
	w->r.scratch = (struct arena)ARENA_INIT;
	w->r.mem = &w->r.scratch;
	w->r.text = (struct buf)BUF_INIT;
	w->r.pages = 0;
	w->r.failure = SITE_OK;
	w->r.e = &w->e;
	prepare_slots(&w->r);
}

static void worker_release(struct worker *w)
{
	buf_release(&w->r.text);
	arena_release(&w->r.scratch);
	arena_release(&w->r.run);
	err_release(&w->e);
}

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	struct pool *pool = w->pool;
	size_t total = pool->tasks->total;
	while (!atomic_load(&pool->stop)) {
		size_t from = atomic_fetch_add(&pool->next, TASK_CHUNK);
		if (from >= total)
			break;
		size_t to = from + TASK_CHUNK < total ? from + TASK_CHUNK : total;
		for (size_t k = from; k < to; k++) {
			if (task_run(&w->r, pool->tasks, k) < 0) {
				w->failed_task = k;
				atomic_store(&pool->stop, true);
				return NULL;
			}
		}
	}
	return NULL;
}

/*
 * Run every task in `jobs` threads. Tasks are handed out in order and a
 * worker finishes its chunk unless a task of it fails, so every task
 * before a failed one runs: the lowest failed task, the one reported, is
 * the first failing page in order, as with one thread. 0, or -1 with
 * r->failure and r->e set.
 */
static int render_parallel(struct render *r, const struct tasks *tasks,
			   size_t jobs)
{
	struct pool pool = { .tasks = tasks };
	atomic_init(&pool.next, 0);
	atomic_init(&pool.stop, false);
	struct worker *workers = xcalloc(jobs, sizeof(*workers));
	/* This thread is worker 0; a thread that cannot be started is one
	 * worker fewer. */
	size_t started = 1;
	worker_init(&workers[0], &pool, r);
	for (size_t i = 1; i < jobs; i++) {
		worker_init(&workers[started], &pool, r);
		if (pthread_create(&workers[started].thread, NULL, worker_run,
				   &workers[started]) != 0) {
			worker_release(&workers[started]);
			break;
		}
		started++;
	}
	worker_run(&workers[0]);
	struct worker *failed = NULL;
	for (size_t i = 0; i < started; i++) {
		struct worker *w = &workers[i];
		if (i > 0 && pthread_join(w->thread, NULL) != 0)
			BUG("pthread_join failed");
		r->pages += w->r.pages;
		if (w->failed_task != SIZE_MAX &&
		    (!failed || w->failed_task < failed->failed_task))
			failed = w;
	}
	if (failed) {
		r->failure = failed->r.failure;
		*r->e = failed->e;
		failed->e = (struct err)ERR_INIT;
	}
	for (size_t i = 0; i < started; i++)
		worker_release(&workers[i]);
	free(workers);
	return failed ? -1 : 0;
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
	struct tasks tasks;
	tasks_count(&r, &tasks);
	if (job->jobs > 1) {
		render_parallel(&r, &tasks, job->jobs);
	} else {
		for (size_t k = 0; k < tasks.total; k++)
			if (task_run(&r, &tasks, k) < 0)
				break;
	}
out:
	*pages = r.pages;
	trends_free(r.trends);
	site_exports_series_free(r.series);
	buf_release(&r.text);
	arena_release(&r.scratch);
	arena_release(&r.run);
	return r.failure;
}
