/*
 * slack: the digests' content and a run's decisions (slack.h,
 * docs/slack.md).
 *
 * Each message is built in three steps. C makes a context (a value tree)
 * from the roll-up and the history: every string that comes from content
 * passes through escape_mrkdwn() here, so a template can print it as it
 * is ({{{name}}}) and never produce a mention or a link; URLs are built
 * only from base_url and site_layout paths and carry none of mrkdwn's
 * control characters. The theme's templates/slack/ render the text of each
 * block. slack_blocks.c assembles the Block Kit JSON within the limits,
 * and the payload is checked again (a payload over the limits is a BUG).
 *
 * "Since the last digest" is the newest date before today a digest of the
 * same kind was posted to the same channel (the history's digest table),
 * else the newest recorded run before today; its figures come from the
 * history's aggregates of that date and its new failures and fixes from
 * history_changes(that date, today).
 */
#include "slack.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "date.h"
#include "escape.h"
#include "followup.h"
#include "site_layout.h"
#include "util.h"
#include "value.h"

/* Items a list shows before "and N more". */
enum { LIST_MAX = 5, RANK_MAX = 3, SOON_DAYS = 14 };

static const char *const slack_templates[] = {
	"org-header", "org-summary", "org-scorecards", "org-rankings",
	"org-changes", "org-campaigns", "org-footer", "org-text",
	"team-header", "team-summary", "team-changes", "team-campaigns",
	"team-footer", "team-text", NULL,
};

int slack_load_templates(struct mustache_cache *templates, const char *dir,
			 struct errlist *errors)
{
	int status = 0;
	for (size_t i = 0; slack_templates[i]; i++) {
		const struct mustache_template *t;
		struct err e = ERR_INIT;
		int found = mustache_get(templates, slack_templates[i], &t, &e);
		if (found == 0)
			continue;
		if (found > 0)
			errlist_path(errors, ERR_ERROR, dir,
				     "the Slack theme has no template '%s.mustache'",
				     slack_templates[i]);
		else
			errlist_add(errors, &e);
		err_release(&e);
		status = -1;
	}
	return status;
}

/* ---- the figures of an earlier date ---------------------------------------- */

struct earlier_row {
	const char *scorecard, *team, *campaign;
	double score;
};

struct earlier {
	day_t day; /* -1: nothing to compare with */
	struct earlier_row *rows;
	size_t count, alloc;
	struct arena *arena;
};

static void earlier_add(void *ctx, day_t day, const struct history_aggregate *g)
{
	(void)day;
	struct earlier *p = ctx;
	ALLOC_GROW(p->rows, p->count + 1, p->alloc);
	p->rows[p->count++] = (struct earlier_row){
		arena_strdup(p->arena, g->scorecard), arena_strdup(p->arena, g->team),
		arena_strdup(p->arena, g->campaign), g->score,
	};
}

/* A slice's score at the earlier date, NaN when it had none. */
static double earlier_score(const struct earlier *p, const char *scorecard,
			    const char *team, const char *campaign)
{
	for (size_t i = 0; i < p->count; i++) {
		const struct earlier_row *r = &p->rows[i];
		if (strcmp(r->scorecard, scorecard) == 0 &&
		    strcmp(r->team, team) == 0 && strcmp(r->campaign, campaign) == 0)
			return r->score;
	}
	return NAN;
}

/* ---- one message ---------------------------------------------------------- */

struct composer {
	struct arena *a;
	const struct slack_job *job;
	const struct rollup *ru;
	const struct site *site;
	struct site_layout layout;
	day_t today;
	struct err *e;
};

struct message {
	const char *kind;    /* "org", "team:<id>" */
	const char *channel; /* as recorded: "#x", or "webhook" */
	const char *label;   /* "the organisation digest" */
	const char *file;    /* dry-run file name */
	size_t team;         /* team index, or SITE_NONE for the organisation */
	struct buf payload;
	size_t blocks;
	double posted_at; /* monotonic ms of its last attempt; 0: none */
};

static struct value *str_value(struct arena *a, const char *s)
{
	return value_new_string(a, s, strlen(s));
}

static void put(struct composer *c, struct value *map, const char *key,
		struct value *v)
{
	value_map_put(c->a, map, str_value(c->a, key), v);
}

/* A string already safe for mrkdwn (made here, or escaped). */
static void put_raw(struct composer *c, struct value *map, const char *key,
		    const char *s)
{
	if (s)
		put(c, map, key, str_value(c->a, s));
}

static const char *mrkdwn(struct composer *c, const char *s)
{
	struct buf b = BUF_INIT;
	escape_mrkdwn(&b, s, strlen(s));
	const char *out = arena_strdup(c->a, b.data);
	buf_release(&b);
	return out;
}

/* Content text, escaped for mrkdwn. */
static void put_text(struct composer *c, struct value *map, const char *key,
		     const char *s)
{
	put_raw(c, map, key, mrkdwn(c, s));
}

static void put_count(struct composer *c, struct value *map, const char *key,
		      size_t n)
{
	put(c, map, key, value_new_number(c->a, (double)n));
}

/* The absolute URL of a site path, or NULL when there is no base_url or
 * the URL holds a character mrkdwn would read (then no link is made). */
static const char *url_of(struct composer *c, const char *path)
{
	const char *base = c->job->conf->base_url;
	if (!base || !*base)
		return NULL;
	const char *url = site_layout_url(c->a, base, path);
	if (!escape_url_allowed(url) || strpbrk(url, "<>|& \t\r\n\"'"))
		return NULL;
	return url;
}

/* "<url|label>" with the label escaped, or the label alone. */
static const char *link_to(struct composer *c, const char *path,
			   const char *label)
{
	const char *url = path ? url_of(c, path) : NULL;
	const char *text = mrkdwn(c, label);
	return url ? arena_printf(c->a, "<%s|%s>", url, text) : text;
}

static const char *percent(struct composer *c, double score)
{
	return isnan(score) ? "no score" : arena_printf(c->a, "%.1f%%", score * 100);
}

/* "+1.2 pts", "-0.4 pts", "no change"; NULL with nothing to compare. */
static const char *change(struct composer *c, double now, double before)
{
	if (isnan(now) || isnan(before))
		return NULL;
	double d = (now - before) * 100;
	if (fabs(d) < 0.05)
		return "no change";
	return arena_printf(c->a, "%+.1f pts", d);
}

/* A list's "and N more": set only when there are more. */
static void put_more(struct composer *c, struct value *map, const char *key,
		     size_t total, size_t shown)
{
	if (total > shown)
		put_count(c, map, key, total - shown);
}

/* Plain text for the header, which Slack shows as written: control
 * characters become spaces. */
static const char *plain(struct composer *c, const char *s)
{
	char *out = arena_strdup(c->a, s);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return out;
}

static struct value *base_context(struct composer *c, const struct earlier *p)
{
	struct value *ctx = value_new(c->a, VALUE_MAP);
	char day[11];
	date_format(c->today, day);
	put_text(c, ctx, "title", c->job->conf->title);
	put_raw(c, ctx, "date", arena_strdup(c->a, day));
	if (p->day >= 0) {
		date_format(p->day, day);
		put_raw(c, ctx, "since", arena_strdup(c->a, day));
	}
	put_raw(c, ctx, "site_url", url_of(c, "index.html"));
	put_raw(c, ctx, "changes_url", url_of(c, "changes.html"));
	put_raw(c, ctx, "campaigns_url", url_of(c, "campaigns/index.html"));
	return ctx;
}

/* As the "What changed" page counts them (site_changes.c). */
static bool is_new_failure(const struct history_cell_change *ch)
{
	return ch->new_state == STATE_FAIL && ch->old_state != STATE_FAIL &&
	       ch->old_state != HISTORY_ABSENT;
}

static bool is_fix(const struct history_cell_change *ch)
{
	return ch->old_state == STATE_FAIL && ch->new_state == STATE_PASS;
}

/* "Entity: Rule", the entity linked to its page. */
static const char *cell_line(struct composer *c, const struct history_cell_change *ch)
{
	size_t e = site_entity_index(c->site, ch->entity);
	bool ambiguous;
	const struct rule *rule = site_find_rule(c->site, ch->rule, &ambiguous);
	const char *entity = e == SITE_NONE
		? mrkdwn(c, ch->entity)
		: link_to(c, c->layout.entity_page[e], c->site->entities[e]->display_name);
	return arena_printf(c->a, "%s: %s", entity,
			    mrkdwn(c, rule ? rule->name : ch->rule));
}

/* new_failures, fixes and their counts, of the team's entities (sub-teams
 * included) or, for SITE_NONE, of every entity. */
static int put_changes(struct composer *c, struct value *ctx,
		       const struct earlier *p, size_t team)
{
	if (p->day < 0)
		return 0;
	struct history_changes ch;
	if (history_changes(c->job->history, c->a, p->day, c->today, &ch, c->e) != 0)
		return -1;
	const char *keys[2][3] = {
		{ "new_failures", "new_failure_count", "new_failures_more" },
		{ "fixes", "fix_count", "fixes_more" },
	};
	for (int kind = 0; kind < 2; kind++) {
		struct value *list = value_new(c->a, VALUE_SEQ);
		size_t total = 0;
		for (size_t i = 0; i < ch.cell_count; i++) {
			const struct history_cell_change *cell = &ch.cells[i];
			if (!(kind ? is_fix(cell) : is_new_failure(cell)))
				continue;
			if (team != SITE_NONE) {
				size_t e = site_entity_index(c->site, cell->entity);
				size_t owner = e == SITE_NONE ? SITE_NONE : c->ru->entity_team[e];
				if (owner == SITE_NONE || owner >= c->site->team_count ||
				    !rollup_team_within(c->ru, owner, team))
					continue;
			}
			if (total++ < LIST_MAX) {
				struct value *item = value_new(c->a, VALUE_MAP);
				put_raw(c, item, "line", cell_line(c, cell));
				value_seq_push(c->a, list, item);
			}
		}
		put(c, ctx, keys[kind][0], list);
		put_count(c, ctx, keys[kind][1], total);
		put_more(c, ctx, keys[kind][2], total, LIST_MAX);
	}
	put(c, ctx, "changes", value_new_bool(c->a, true));
	return 0;
}

/* Campaign order: overdue first, then due within SOON_DAYS, then by due
 * date (open-ended last), then by key. */
static long campaign_rank(const struct campaign_result *cr)
{
	if (!cr->has_days_left)
		return LONG_MAX;
	return cr->days_left;
}

static size_t sorted_campaigns(struct composer *c, size_t *order)
{
	size_t n = 0;
	for (size_t k = 0; k < c->site->campaign_count; k++) {
		if (!c->ru->campaigns[k].active)
			continue;
		size_t at = n++;
		const struct campaign_result *cr = &c->ru->campaigns[k];
		while (at > 0) {
			const struct campaign_result *prev = &c->ru->campaigns[order[at - 1]];
			long a = campaign_rank(prev), b = campaign_rank(cr);
			if (a < b || (a == b && strcmp(prev->campaign->key,
						       cr->campaign->key) < 0))
				break;
			order[at] = order[at - 1];
			at--;
		}
		order[at] = k;
	}
	return n;
}

/* A campaign's line: its progress (of `part`, which is the whole
 * campaign's or a team's) and its change from the slice of team `team`
 * ("" for the whole campaign) at the earlier date. */
static struct value *campaign_item(struct composer *c, size_t k,
				   const struct earlier *p, const char *team,
				   const struct campaign_part *part)
{
	const struct campaign_result *cr = &c->ru->campaigns[k];
	const struct campaign *camp = cr->campaign;
	struct value *item = value_new(c->a, VALUE_MAP);
	double progress = rollup_part_progress(part);
	put_raw(c, item, "name", link_to(c, c->layout.campaign_page[k], camp->name));
	put_raw(c, item, "progress", percent(c, progress));
	put_raw(c, item, "change",
		change(c, progress, earlier_score(p, "", team, camp->key)));
	put_count(c, item, "open", part->total - part->pass);
	put_raw(c, item, "when", followup_when(c->a, cr, c->today));
	if (camp->has_due) {
		char day[11];
		date_format(camp->due, day);
		put_raw(c, item, "due", arena_strdup(c->a, day));
	}
	if (cr->has_days_left && cr->days_left < 0)
		put(c, item, "overdue", value_new_bool(c->a, true));
	else if (cr->has_days_left && cr->days_left <= SOON_DAYS)
		put(c, item, "soon", value_new_bool(c->a, true));
	return item;
}

/* The ranking's first RANK_MAX and, in reverse, its last ones not shown
 * already. `label` names item i, `path` its page. */
static void put_ranking(struct composer *c, struct value *ctx, const char *key,
			const struct ranking *r, double (*score)(struct composer *, size_t),
			const char *(*name)(struct composer *, size_t),
			const char *(*path)(struct composer *, size_t))
{
	struct value *high = value_new(c->a, VALUE_SEQ), *low = value_new(c->a, VALUE_SEQ);
	size_t top = r->count < RANK_MAX ? r->count : RANK_MAX;
	size_t bottom = r->count - top < RANK_MAX ? r->count - top : RANK_MAX;
	for (size_t i = 0; i < top + bottom; i++) {
		size_t at = i < top ? i : r->count - 1 - (i - top);
		size_t idx = r->order[at];
		struct value *item = value_new(c->a, VALUE_MAP);
		put_raw(c, item, "name", link_to(c, path(c, idx), name(c, idx)));
		put_raw(c, item, "score", percent(c, score(c, idx)));
		value_seq_push(c->a, i < top ? high : low, item);
	}
	put(c, ctx, arena_printf(c->a, "highest_%s", key), high);
	put(c, ctx, arena_printf(c->a, "lowest_%s", key), low);
	/* Mustache has no "is this list empty": flags for the headings. */
	if (top)
		put(c, ctx, arena_printf(c->a, "any_%s", key), value_new_bool(c->a, true));
	if (bottom)
		put(c, ctx, arena_printf(c->a, "any_lowest_%s", key),
		    value_new_bool(c->a, true));
}

static double rule_score(struct composer *c, size_t i)
{
	return eval_tally_score(&c->ru->ev->rule_tallies[i]);
}
static const char *rule_name(struct composer *c, size_t i)
{
	return c->layout.rules[i]->name;
}
static const char *rule_path(struct composer *c, size_t i)
{
	return c->layout.rule_page[i];
}
static double entity_score(struct composer *c, size_t i)
{
	return c->ru->entity_score[i];
}
static const char *entity_name(struct composer *c, size_t i)
{
	return c->site->entities[i]->display_name;
}
static const char *entity_path(struct composer *c, size_t i)
{
	return c->layout.entity_page[i];
}
static double team_score(struct composer *c, size_t i)
{
	return c->ru->team_overall[i].score;
}
static const char *team_name(struct composer *c, size_t i)
{
	return c->site->teams[i]->name;
}
static const char *team_path(struct composer *c, size_t i)
{
	return c->layout.team_page[i];
}

static int org_context(struct composer *c, const struct earlier *p,
		       struct value *ctx)
{
	const struct rollup *ru = c->ru;
	put_raw(c, ctx, "score", percent(c, ru->overall_score));
	put_raw(c, ctx, "change", change(c, ru->overall_score,
					 earlier_score(p, "", "", "")));
	struct value *cards = value_new(c->a, VALUE_SEQ);
	for (size_t s = 0; s < c->site->scorecard_count; s++) {
		if (s == LIST_MAX * 2)
			break;
		const struct scorecard *sc = c->site->scorecards[s];
		double score = eval_tally_score(&ru->ev->scorecard_tallies[s]);
		struct value *item = value_new(c->a, VALUE_MAP);
		put_raw(c, item, "name", link_to(c, c->layout.scorecard_page[s], sc->name));
		put_raw(c, item, "score", percent(c, score));
		put_raw(c, item, "change", change(c, score, earlier_score(p, sc->id, "", "")));
		value_seq_push(c->a, cards, item);
	}
	put(c, ctx, "scorecards", cards);
	put_more(c, ctx, "scorecards_more", c->site->scorecard_count, LIST_MAX * 2);
	put_ranking(c, ctx, "rules", &ru->rules, rule_score, rule_name, rule_path);
	put_ranking(c, ctx, "entities", &ru->entities, entity_score, entity_name,
		    entity_path);
	put_ranking(c, ctx, "teams", &ru->teams, team_score, team_name, team_path);
	if (put_changes(c, ctx, p, SITE_NONE) != 0)
		return -1;
	size_t *order = arena_alloc_array(c->a, c->site->campaign_count + 1,
					  sizeof(*order));
	size_t n = sorted_campaigns(c, order);
	struct value *list = value_new(c->a, VALUE_SEQ);
	for (size_t i = 0; i < n && i < LIST_MAX; i++) {
		const struct campaign_result *cr = &ru->campaigns[order[i]];
		value_seq_push(c->a, list, campaign_item(c, order[i], p, "", &cr->all));
	}
	put(c, ctx, "campaigns", list);
	if (n)
		put(c, ctx, "any_campaigns", value_new_bool(c->a, true));
	put_count(c, ctx, "campaign_count", n);
	put_more(c, ctx, "campaigns_more", n, LIST_MAX);
	return 0;
}

static int team_context(struct composer *c, size_t t, const struct earlier *p,
			struct value *ctx)
{
	const struct rollup *ru = c->ru;
	const struct team *team = c->site->teams[t];
	double score = ru->team_overall[t].score;
	put_text(c, ctx, "team", team->name);
	put_raw(c, ctx, "team_url", url_of(c, c->layout.team_page[t]));
	put_raw(c, ctx, "score", percent(c, score));
	put_raw(c, ctx, "change", change(c, score, earlier_score(p, "", team->id, "")));
	if (put_changes(c, ctx, p, t) != 0)
		return -1;
	size_t *order = arena_alloc_array(c->a, c->site->campaign_count + 1,
					  sizeof(*order));
	size_t n = sorted_campaigns(c, order), shown = 0, with_work = 0;
	struct value *list = value_new(c->a, VALUE_SEQ);
	for (size_t i = 0; i < n; i++) {
		const struct campaign_result *cr = &ru->campaigns[order[i]];
		const struct campaign_part *part = &cr->by_team[t];
		if (part->total == part->pass)
			continue;
		with_work++;
		if (shown++ >= LIST_MAX)
			continue;
		value_seq_push(c->a, list, campaign_item(c, order[i], p, team->id,
							 part));
	}
	put(c, ctx, "campaigns", list);
	if (with_work)
		put(c, ctx, "any_campaigns", value_new_bool(c->a, true));
	put_count(c, ctx, "campaign_count", with_work);
	put_more(c, ctx, "campaigns_more", with_work, LIST_MAX);
	return 0;
}

/* Render template `name` with `ctx` into a fresh string. */
static int render(struct composer *c, const char *name, const struct value *ctx,
		  const char **out)
{
	const struct mustache_template *t;
	struct buf b = BUF_INIT;
	int found = mustache_get(c->job->templates, name, &t, c->e);
	if (found > 0)
		BUG("a Slack template missing after slack_load_templates");
	if (found < 0 || mustache_render(t, ctx, &b, c->e) != 0) {
		buf_release(&b);
		return -1;
	}
	*out = arena_strdup(c->a, b.data);
	buf_release(&b);
	return 0;
}

/* The newest date before today a digest of this kind went to this
 * channel, else the newest recorded run before today, else -1. */
static int since_day(struct composer *c, const struct message *m, day_t *day)
{
	if (history_digest_last(c->job->history, c->today, m->channel, m->kind,
				day, c->e) != 0)
		return -1;
	if (*day >= 0)
		return 0;
	day_t *days;
	size_t count;
	if (history_days(c->job->history, &days, &count, c->e) != 0)
		return -1;
	for (size_t i = 0; i < count; i++)
		if (days[i] < c->today)
			*day = days[i];
	free(days);
	return 0;
}

static int compose(struct composer *c, struct message *m)
{
	const char *prefix = m->team == SITE_NONE ? "org" : "team";
	struct earlier p = { .day = -1, .arena = c->a };
	struct slack_blocks blocks = SLACK_BLOCKS_INIT;
	int status = -1;
	if (since_day(c, m, &p.day) != 0)
		goto done;
	if (p.day >= 0) {
		struct history_filter f = { .rule = "", .dimension = "", .value = "" };
		if (history_series(c->job->history, &f, p.day, p.day, earlier_add, &p,
				   c->e) != 0)
			goto done;
	}
	struct value *ctx = base_context(c, &p);
	if ((m->team == SITE_NONE ? org_context(c, &p, ctx)
				  : team_context(c, m->team, &p, ctx)) != 0)
		goto done;

	/* The header is plain text: its own context, unescaped. */
	struct value *head = value_new(c->a, VALUE_MAP);
	put_raw(c, head, "title", plain(c, c->job->conf->title));
	put_raw(c, head, "date", value_str(value_get(ctx, "date")));
	if (m->team != SITE_NONE)
		put_raw(c, head, "team", plain(c, c->site->teams[m->team]->name));
	const char *text;
	if (render(c, arena_printf(c->a, "%s-header", prefix), head, &text) != 0)
		goto done;
	slack_blocks_header(&blocks, text);
	static const char *const org_sections[] = {
		"summary", "scorecards", "rankings", "changes", "campaigns", NULL,
	};
	static const char *const team_sections[] = {
		"summary", "changes", "campaigns", NULL,
	};
	const char *const *sections = m->team == SITE_NONE ? org_sections
							   : team_sections;
	for (size_t i = 0; sections[i]; i++) {
		if (render(c, arena_printf(c->a, "%s-%s", prefix, sections[i]), ctx,
			   &text) != 0)
			goto done;
		slack_blocks_section(&blocks, text);
	}
	if (render(c, arena_printf(c->a, "%s-footer", prefix), ctx, &text) != 0)
		goto done;
	slack_blocks_divider(&blocks);
	slack_blocks_context(&blocks, text);
	if (render(c, arena_printf(c->a, "%s-text", prefix), ctx, &text) != 0)
		goto done;
	slack_blocks_payload(&blocks, strcmp(m->channel, "webhook") == 0 ? NULL
							      : m->channel,
			     *text ? text : "yardstick digest", &m->payload);
	m->blocks = blocks.count;
	char why[160];
	if (slack_payload_check(m->payload.data, m->payload.len, why, sizeof(why)) != 0) {
		fprintf(stderr, "slack: %s: %s\n", m->label, why);
		BUG("a Slack payload over Block Kit's limits");
	}
	status = 0;
done:
	free(p.rows);
	slack_blocks_release(&blocks);
	return status;
}

/* ---- a run ---------------------------------------------------------------- */

/* A test-only override of a delay (docs/slack.md, "Testing"). */
static long env_ms(const char *name, long fallback)
{
	const char *s = getenv(name);
	if (!s || !*s)
		return fallback;
	char *end;
	long v = strtol(s, &end, 10);
	return *end || v < 0 ? fallback : v;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000 + (double)ts.tv_nsec / 1e6;
}

static int write_file(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t n = fwrite(b->data, 1, b->len, f);
	if (fclose(f) != 0 || n != b->len)
		return -1;
	return 0;
}

/* The messages of today: the organisation's, then each team's with a
 * channel, in team order. */
static size_t plan(struct composer *c, bool webhook, struct message *msgs)
{
	const struct conf *conf = c->job->conf;
	size_t n = 0;
	if (conf->slack_digests & CONF_DIGEST_ORG)
		msgs[n++] = (struct message){
			"org", webhook ? "webhook" : conf->slack_channel,
			"the organisation digest", "org.json", SITE_NONE, BUF_INIT, 0, 0,
		};
	if (webhook || !(conf->slack_digests & CONF_DIGEST_TEAMS))
		return n;
	for (size_t t = 0; t < c->site->team_count; t++) {
		const struct team *team = c->site->teams[t];
		if (!team->slack || !*team->slack)
			continue;
		const char *page = c->layout.team_page[t];
		const char *slash = strrchr(page, '/');
		const char *slug = slash ? slash + 1 : page;
		msgs[n++] = (struct message){
			arena_printf(c->a, "team:%s", team->id), team->slack,
			arena_printf(c->a, "the digest of team %s", team->id),
			arena_printf(c->a, "team-%.*s.json",
				     (int)(strcspn(slug, ".")), slug),
			t, BUF_INIT, 0, 0,
		};
	}
	return n;
}

/* The endpoint and its secret from the environment; -1 when unusable
 * (said on stderr, the URL redacted). */
static int endpoint(struct composer *c, bool webhook, struct slack_endpoint *ep)
{
	const struct conf *conf = c->job->conf;
	const char *var = webhook ? conf->slack_webhook_env : conf->slack_token_env;
	const char *secret = getenv(var);
	*ep = (struct slack_endpoint){
		.secret_env = var,
		.timeout_ms = env_ms("YARDSTICK_SLACK_TEST_TIMEOUT_MS", 30000),
		.connect_timeout_ms = 10000,
		.delay_ms = env_ms("YARDSTICK_SLACK_TEST_DELAY_MS", 1000),
	};
	if (ep->connect_timeout_ms > ep->timeout_ms)
		ep->connect_timeout_ms = ep->timeout_ms;
	if (!secret || !*secret) {
		fprintf(stderr, "yardstick: slack: the environment variable %s is "
			"not set (%s); no digest posted\n", var,
			webhook ? "the incoming webhook's URL, since [slack] channel "
				  "is not set" : "the bot token for [slack] channel");
		return -1;
	}
	if (webhook) {
		ep->url = secret;
	} else {
		size_t n = strlen(conf->slack_api_url);
		ep->url = arena_printf(c->a, "%s%schat.postMessage", conf->slack_api_url,
				       n && conf->slack_api_url[n - 1] == '/' ? "" : "/");
		ep->token = secret;
	}
	if (!slack_url_allowed(ep->url)) {
		fprintf(stderr, "yardstick: slack: %s is not an https:// URL (%s); "
			"no digest posted\n", webhook ? var : "[slack] api_url",
			slack_url_redacted(c->a, ep->url));
		return -1;
	}
	return 0;
}

/* Where a message goes, for the lines printed. */
static const char *destination(struct composer *c, const struct message *m,
			       const struct slack_endpoint *ep)
{
	if (strcmp(m->channel, "webhook") == 0)
		return arena_printf(c->a, "the webhook in %s (%s)", ep->secret_env,
				    slack_url_redacted(c->a, ep->url));
	return arena_printf(c->a, "%s", m->channel);
}

/* Post one composed message unless it went out already; -1 failed. */
static int deliver(struct composer *c, struct message *msgs, size_t i,
		   const struct slack_endpoint *ep)
{
	struct message *m = &msgs[i];
	bool sent = false;
	char day[11];
	date_format(c->today, day);
	if (!c->job->resend &&
	    history_digest_sent(c->job->history, c->today, m->channel, m->kind,
				&sent, c->e) != 0)
		return -1;
	if (sent) {
		printf("slack: %s of %s went to %s already; not posted again "
		       "(--slack-resend posts it)\n", m->label, day,
		       destination(c, m, ep));
		return 0;
	}
	/* At least one pause between two messages to one channel. */
	double pause = (double)env_ms("YARDSTICK_SLACK_TEST_DELAY_MS", 1000);
	for (size_t j = 0; j < i; j++) {
		double wait = msgs[j].posted_at + pause - now_ms();
		if (msgs[j].posted_at > 0 && wait > 0 &&
		    strcmp(msgs[j].channel, m->channel) == 0) {
			struct timespec ts = { (time_t)(wait / 1000),
					       (long)fmod(wait, 1000) * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
	size_t requests = 0;
	int rc = slack_post(ep, m->payload.data, &requests, c->e);
	m->posted_at = now_ms();
	if (rc != 0) {
		fprintf(stderr, "yardstick: slack: %s not posted to %s: %s\n", m->label,
			destination(c, m, ep), c->e->msg);
		err_release(c->e);
		return -1;
	}
	char hash[17];
	snprintf(hash, sizeof(hash), "%016llx",
		 (unsigned long long)util_hash_bytes(m->payload.data, m->payload.len));
	if (history_digest_record(c->job->history, c->today, m->channel, m->kind,
				  hash, c->e) != 0)
		return -1;
	printf("slack: posted %s to %s (%zu request%s)\n", m->label,
	       destination(c, m, ep), requests, requests == 1 ? "" : "s");
	return 0;
}

enum slack_status slack_run(const struct slack_job *job)
{
	struct arena arena = ARENA_INIT;
	struct err e = ERR_INIT;
	struct composer c = {
		.a = &arena, .job = job, .ru = job->ru, .site = job->ru->site,
		.today = job->ru->ev->today, .e = &e,
	};
	const struct conf *conf = job->conf;
	enum slack_status status = SLACK_OK;
	/* 1970-01-01 was a Thursday (weekday 4, Sunday being 0). */
	unsigned weekday = (unsigned)(((c.today % 7) + 7 + 4) % 7);
	if (!(conf->slack_send_on & (1u << weekday))) {
		printf("slack: no digest today (send_on in [slack] leaves this "
		       "weekday out)\n");
		return SLACK_OK;
	}
	site_layout_assign(&arena, job->ru->ev, &c.layout);
	bool webhook = !*conf->slack_channel;
	struct slack_endpoint ep = { .secret_env = "" };
	if (!job->dry_run_dir && endpoint(&c, webhook, &ep) != 0) {
		arena_release(&arena);
		return SLACK_FAILED;
	}
	struct message *msgs = arena_alloc_array(&arena, c.site->team_count + 1,
						 sizeof(*msgs));
	size_t count = plan(&c, webhook, msgs);
	if (job->dry_run_dir && mkdir(job->dry_run_dir, 0777) != 0 &&
	    errno != EEXIST) {
		fprintf(stderr, "%s: error: cannot create the folder: %s\n",
			job->dry_run_dir, strerror(errno));
		arena_release(&arena);
		return SLACK_IO;
	}
	for (size_t i = 0; i < count; i++) {
		struct message *m = &msgs[i];
		if (compose(&c, m) != 0) {
			err_print(&e, stderr);
			err_release(&e);
			fprintf(stderr, "yardstick: slack: %s could not be composed\n",
				m->label);
			status = SLACK_FAILED;
		} else if (job->dry_run_dir) {
			const char *path = arena_printf(&arena, "%s/%s", job->dry_run_dir,
							m->file);
			if (write_file(path, &m->payload) != 0) {
				fprintf(stderr, "%s: error: cannot write: %s\n", path,
					strerror(errno));
				status = SLACK_IO;
			} else {
				printf("slack: dry run: %s for %s in %s (%zu bytes, "
				       "%zu blocks)\n", m->label, m->channel, path,
				       m->payload.len, m->blocks);
			}
		} else if (deliver(&c, msgs, i, &ep) != 0) {
			if (e.msg) {
				err_print(&e, stderr);
				err_release(&e);
			}
			status = SLACK_FAILED;
		}
	}
	for (size_t i = 0; i < count; i++)
		buf_release(&msgs[i].payload);
	arena_release(&arena);
	return status;
}
