#include "followup.h"

#include <string.h>

#include "buf.h"
#include "date.h"
#include "escape.h"

const char *followup_when(struct arena *a, const struct campaign_result *cr,
			  day_t today)
{
	const struct campaign *c = cr->campaign;
	char day[11];
	if (cr->status == CAMPAIGN_NOT_STARTED) {
		long days = c->start - today;
		return days == 1 ? "starts tomorrow"
				 : arena_printf(a, "starts in %ld days", days);
	}
	if (c->completed && cr->status == CAMPAIGN_COMPLETED)
		return "closed by its owner";
	if (cr->status == CAMPAIGN_ENDED) {
		date_format(c->due, day);
		return arena_printf(a, "ended %s", day);
	}
	if (!cr->has_days_left)
		return "no due date";
	long d = cr->days_left;
	if (d == 0)
		return "due today";
	if (d == 1)
		return "1 day left";
	if (d > 1)
		return arena_printf(a, "%ld days left", d);
	return d == -1 ? "1 day overdue" : arena_printf(a, "%ld days overdue", -d);
}

const char *followup_team_name(const struct rollup *ru, size_t team)
{
	return team < ru->site->team_count ? ru->site->teams[team]->name : "team";
}

const char *followup_message(struct arena *a, const struct rollup *ru,
			     size_t campaign, size_t team, const char *page_url,
			     size_t *open)
{
	const struct campaign_result *cr = &ru->campaigns[campaign];
	const struct campaign *c = cr->campaign;
	const struct site *site = ru->site;
	*open = 0;
	if (cr->work_start[team] == cr->work_start[team + 1])
		return NULL;
	struct buf msg = BUF_INIT;
	char day[11];
	buf_addf(&msg, "Hi %s,\n\nthe campaign \"%s\"", followup_team_name(ru, team),
		 c->name);
	if (c->has_due) {
		date_format(c->due, day);
		buf_addf(&msg, " (due %s, %s)", day, followup_when(a, cr, ru->ev->today));
	}
	struct buf lines = BUF_INIT;
	for (size_t w = cr->work_start[team]; w < cr->work_start[team + 1]; w++) {
		const struct campaign_work *work = &cr->work[w];
		const struct entity *ent = site->entities[work->entity];
		buf_addf(&lines, "- %s (%s):", ent->display_name, ent->ref);
		for (size_t i = 0; i < work->rule_count; i++)
			buf_addf(&lines, "%s %s", i ? "," : "",
				 c->rules[work->rules[i]].rule->name);
		buf_addch(&lines, '\n');
		*open += work->rule_count;
	}
	buf_addf(&msg, " still has %zu open item%s for your team:\n\n", *open,
		 *open == 1 ? "" : "s");
	buf_add(&msg, lines.data, lines.len);
	buf_addf(&msg, "\nWhat to do, with guidance for each rule: %s\n"
		 "Thank you!\n", page_url);
	const char *text = arena_strndup(a, msg.data, msg.len);
	buf_release(&lines);
	buf_release(&msg);
	return text;
}

const char *followup_title(struct arena *a, const struct campaign *c,
			   size_t open, const char *team_name)
{
	return arena_printf(a, "%s: %zu open item%s for %s", c->name, open,
			    open == 1 ? "" : "s", team_name);
}

const char *followup_ticket_url(struct arena *a, const char *url_template,
				const char *title, const char *body,
				const char *team, const char *campaign)
{
	static const char *const names[] = { "{title}", "{body}", "{team}", "{campaign}" };
	const char *values[] = { title, body, team, campaign };
	struct buf out = BUF_INIT;
	for (const char *p = url_template; *p;) {
		size_t i = 0;
		for (; i < 4; i++)
			if (strncmp(p, names[i], strlen(names[i])) == 0)
				break;
		if (i < 4) {
			escape_url_component(&out, values[i]);
			p += strlen(names[i]);
		} else {
			buf_addch(&out, *p++);
		}
	}
	const char *url = arena_strndup(a, out.data, out.len);
	buf_release(&out);
	return url;
}
