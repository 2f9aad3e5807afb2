#include "site_pages.h"

#include <string.h>

#include "escape.h"
#include "markdown.h"
#include "site_changes.h"
#include "site_trends.h"

int page_entities(struct render *r)
{
	struct pager pg = pager_first(r, "entities/index.html",
				      r->site->entity_count, "Entities");
	do {
		struct value *ctx = page_begin(r, pg.path, "entities", "entities",
					       pg.title);
		put_pagination(r, ctx, &pg);
		struct value *heads = put_list(r, ctx, "scorecards");
		for (size_t s = 0; s < r->site->scorecard_count; s++)
			value_seq_push(r->mem, heads, scorecard_link(r, s));
		struct value *list = put_list(r, ctx, "entities");
		for (size_t e = pg.from; e < pg.to; e++)
			value_seq_push(r->mem, list, entity_row(r, e));
		if (page_end(r, "entities", pg.path, ctx) < 0)
			return -1;
	} while (pager_next(r, &pg));
	return 0;
}

/*
 * A content file's path as the page shows it: relative to the folder of
 * site.conf when it lies inside it (paths are loaded as that folder plus
 * the content path), so the page neither depends on nor reveals where the
 * build ran; a content folder configured outside it keeps its own path.
 */
static const char *site_relative_path(const struct render *r, const char *path)
{
	size_t n = strlen(r->conf->dir);
	if (n > 0 && strncmp(path, r->conf->dir, n) == 0 && path[n] != '\0')
		return path + n;
	return path;
}

static void put_entity_metadata(struct render *r, struct value *ctx, size_t e)
{
	const struct entity *ent = r->site->entities[e];
	struct value *v = put_map(r, ctx, "entity");
	put_text(r, v, "ref", ent->ref);
	put_text(r, v, "kind", ent->kind);
	put_text(r, v, "name", ent->name);
	put_text(r, v, "namespace", ent->namespace_);
	put_text(r, v, "display_name", ent->display_name);
	put_text(r, v, "description", ent->description);
	put(r, v, "owner", team_link(r, ent->owner));
	struct value *owners = put_list(r, v, "additional_owners");
	for (size_t i = 0; i < ent->additional_owner_count; i++)
		value_seq_push(r->mem, owners, team_link(r, ent->additional_owners[i]));
	put_text(r, v, "tier", ent->tier_text);
	put_text(r, v, "lifecycle", ent->lifecycle_text);
	put_text(r, v, "type", ent->type);
	put_text(r, v, "system", ent->system);
	put_strings(r, v, "languages", ent->languages, ent->language_count);
	struct value *tags = put_list(r, v, "tags");
	for (size_t i = 0; i < ent->tag_count; i++)
		push_text(r, tags, ent->tags[i].text);
	struct value *links = put_list(r, v, "links");
	for (size_t i = 0; i < ent->link_count; i++) {
		const struct link *l = &ent->links[i];
		struct value *item = push_map(r, links);
		put_text(r, item, "name", *l->name ? l->name : l->url);
		put_text(r, item, "type", l->type);
		bool linkable = escape_url_allowed(l->url);
		put_text(r, item, "url", linkable ? l->url : NULL);
		put_text(r, item, "text", linkable ? NULL : l->url);
	}
	struct value *contacts = put_list(r, v, "contacts");
	for (size_t i = 0; i < ent->contact_count; i++) {
		const struct contact *c = &ent->contacts[i];
		struct value *item = push_map(r, contacts);
		put_text(r, item, "name", *c->name ? c->name : c->contact);
		put_text(r, item, "type", c->type);
		put_text(r, item, "contact", c->contact);
		bool web = strncmp(c->contact, "https://", 8) == 0 ||
			   strncmp(c->contact, "http://", 7) == 0;
		if (web)
			put_url(r, item, "url", c->contact);
		else if (strcmp(c->type, "email") == 0 && strchr(c->contact, '@') &&
			 !strpbrk(c->contact, " <>\"'?&"))
			put_text(r, item, "url",
				 arena_printf(r->mem, "mailto:%s", c->contact));
		else
			put(r, item, "url", NULL);
	}
	struct value *integrations = put_list(r, v, "integrations");
	for (size_t i = 0; i < ent->integration_count; i++) {
		struct value *item = push_map(r, integrations);
		put_text(r, item, "name", ent->integrations[i].name);
		put_url(r, item, "url", ent->integrations[i].url);
	}
	struct value *deps = put_list(r, v, "dependencies");
	for (size_t i = 0; i < ent->dependency_count; i++) {
		size_t d = site_entity_index(r->site, ent->dependencies[i]);
		value_seq_push(r->mem, deps, d != SITE_NONE ? entity_link_from(r, e, d)
					     : entity_link_by_ref(r, ent->dependencies[i]));
	}
	struct value *users = put_list(r, v, "dependents");
	for (size_t i = 0; i < r->dependent_count[e]; i++)
		value_seq_push(r->mem, users, entity_link_from(r, e, r->dependents[e][i]));
	/* The page writes a list's <ul> only when it has items. */
	put_bool(r, v, "any_links", ent->link_count > 0);
	put_bool(r, v, "any_contacts", ent->contact_count > 0);
	put_bool(r, v, "any_integrations", ent->integration_count > 0);
	put_bool(r, v, "any_dependencies", ent->dependency_count > 0);
	put_bool(r, v, "any_dependents", r->dependent_count[e] > 0);
	struct value *source = put_map(r, v, "source");
	put_text(r, source, "path", ent->place.src ? site_relative_path(r, ent->place.src->path) : "");
	put_count(r, source, "line", ent->place.line);
	put_text(r, v, "format", ent->format_version);
}

int page_entity(struct render *r, size_t e)
{
	const struct site *site = r->site;
	const struct eval *ev = r->ev;
	const struct entity *ent = site->entities[e];
	size_t scs = site->scorecard_count;
	struct value *ctx = page_begin(r, r->layout.entity_page[e], "entity", "entities",
				       ent->display_name);
	put_entity_metadata(r, ctx, e);
	put(r, ctx, "score", score_value(r, r->ru->entity_score[e],
					 &r->ru->entity_totals[e]));
	put_bool(r, ctx, "failing", r->ru->entity_failing[e]);
	put(r, ctx, "changes", changes_of_entity(r, e));

	struct value *scorecards = put_list(r, ctx, "scorecards");
	/* Without badges ([badges] enabled = false) the page offers no
	 * snippet: they would point at files the build does not write. */
	bool badges_enabled = r->conf->badges_enabled;
	put_bool(r, ctx, "badges_enabled", badges_enabled);
	struct value *badges = put_list(r, ctx, "badges");
	for (size_t s = 0; s < scs; s++) {
		const struct scorecard *sc = site->scorecards[s];
		const struct entity_score *es = &ev->entity_scores[e * scs + s];
		struct value *v = scorecard_link(r, s);
		value_seq_push(r->mem, scorecards, v);
		put_bool(r, v, "in_scope", es->in_scope);
		if (!es->in_scope) {
			put(r, v, "score", NULL);
			put(r, v, "trend", NULL);
			put(r, v, "level", NULL);
			put(r, v, "levels", NULL);
			continue;
		}
		put(r, v, "score", score_value(r, es->score, &es->tally));
		put(r, v, "trend", trend_entity(r, e, s));
		put(r, v, "level", level_value(r, sc, es->level));
		struct value *levels = put_list(r, v, "levels");
		for (size_t l = 0; l < sc->level_count; l++) {
			int number = sc->levels[l].number;
			struct value *level = push_map(r, levels);
			put_number(r, level, "number", number);
			put_text(r, level, "name", sc->levels[l].name);
			put_bool(r, level, "reached", es->level >= number);
			struct value *rules = put_list(r, level, "rules");
			size_t passed = 0, total = 0;
			for (size_t i = 0; i < sc->rule_count; i++) {
				if (sc->rules[i].level != number)
					continue;
				size_t ri = ev->rule_offset[s] + i;
				const struct rule_result *res = eval_result(ev, e, ri);
				struct value *rule = rule_link(r, ri);
				value_seq_push(r->mem, rules, rule);
				put(r, rule, "state", state_value(r, res));
				put_text(r, rule, "since", changes_since(r, e, ri));
				if (res->state == STATE_SKIP || res->state == STATE_EXEMPT)
					continue;
				total++;
				passed += res->state == STATE_PASS;
			}
			put_count(r, level, "passed", passed);
			put_count(r, level, "total", total);
		}

		if (!badges_enabled)
			continue;
		const char *svg = arena_printf(r->mem, "%s%s.svg",
					       r->layout.entity_badges[e], r->layout.scorecard_slug[s]);
		const char *url = absolute_url(r, svg);
		const char *page = absolute_url(r, r->layout.entity_page[e]);
		const char *alt = arena_printf(r->mem, "%s: %s", sc->name,
					       level_name(sc, es->level));
		struct value *badge = push_map(r, badges);
		/* The page shows the HTML snippet once, for the first badge. */
		put_bool(r, badge, "first", badges->count == 1);
		put_text(r, badge, "scorecard", sc->name);
		put_text(r, badge, "src", href(r, svg));
		put_text(r, badge, "url", url);
		put_text(r, badge, "markdown",
			 arena_printf(r->mem, "[![%s](%s)](%s)", alt, url, page));
		struct buf html = BUF_INIT;
		buf_adds(&html, "<a href=\"");
		escape_html(&html, page, strlen(page));
		buf_adds(&html, "\"><img src=\"");
		escape_html(&html, url, strlen(url));
		buf_adds(&html, "\" alt=\"");
		escape_html(&html, alt, strlen(alt));
		buf_adds(&html, "\"></a>");
		put(r, badge, "html", ctx_copy(r, html.data, html.len));
		buf_release(&html);
	}

	put_bool(r, ctx, "any_badges", badges->count > 0);

	/* Campaigns with open work in full; the others, where nothing is
	 * left to do, as links: most entities are in most campaigns. */
	struct value *campaigns = put_list(r, ctx, "campaigns");
	struct value *done = put_list(r, ctx, "campaigns_done");
	for (size_t c = 0; c < site->campaign_count; c++) {
		if (!r->ru->in_campaign[c * site->entity_count + e])
			continue;
		const struct campaign *camp = site->campaigns[c];
		size_t open = 0;
		for (size_t i = 0; i < camp->rule_count; i++) {
			size_t ri = r->ru->campaigns[c].rule_index[i];
			open += eval_state_open(ev, eval_result(ev, e, ri)->state);
		}
		struct value *v = campaign_row(r, c, NULL);
		put_count(r, v, "open", open);
		if (!open) {
			value_seq_push(r->mem, done, v);
			continue;
		}
		value_seq_push(r->mem, campaigns, v);
		struct value *rules = put_list(r, v, "rules");
		for (size_t i = 0; i < camp->rule_count; i++) {
			const struct campaign_rule *cr = &camp->rules[i];
			size_t ri = r->ru->campaigns[c].rule_index[i];
			const struct rule_result *res = eval_result(ev, e, ri);
			if (!eval_state_open(ev, res->state))
				continue;
			struct value *rule = rule_link(r, ri);
			value_seq_push(r->mem, rules, rule);
			put(r, rule, "state", state_value(r, res));
			put_text(r, rule, "guidance_html", r->guidance_html[c][i]);
			put_url(r, rule, "docs", cr->docs);
			put_url(r, rule, "workflow", cr->workflow);
		}
	}
	put_bool(r, ctx, "any_campaigns_open", campaigns->count > 0);
	put_bool(r, ctx, "any_campaigns_done", done->count > 0);
	return page_end(r, "entity", r->layout.entity_page[e], ctx);
}

