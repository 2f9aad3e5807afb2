#include "site_layout.h"

#include <string.h>

#include "slug.h"
#include "util.h"

/* File names for everything, from slugs that cannot collide. */
void site_layout_assign(struct arena *a, const struct eval *ev,
			struct site_layout *layout)
{
	const struct site *site = ev->site;
	struct slug_set set;

	layout->entity_page = arena_alloc_array(a, site->entity_count + 1, sizeof(char *));
	layout->entity_badges = arena_alloc_array(a, site->entity_count + 1, sizeof(char *));
	struct slug_set kinds, names;
	slug_set_init(&kinds);
	/* entities/index/ holds the later pages of entities/index.html. */
	slug_set_reserve(&kinds, "index");
	slug_set_init(&names);
	const char *kind = NULL, *kind_slug = NULL;
	for (size_t e = 0; e < site->entity_count; e++) {
		const struct entity *ent = site->entities[e];
		/* Entities are sorted by reference, so a kind's are together. */
		if (!kind || strcmp(kind, ent->kind) != 0) {
			kind = ent->kind;
			kind_slug = slug_set_claim(&kinds, a, kind);
			slug_set_release(&names);
			slug_set_init(&names);
		}
		const char *name = ent->namespace_
			? arena_printf(a, "%s/%s", ent->namespace_, ent->name)
			: ent->name;
		const char *slug = slug_set_claim(&names, a, name);
		layout->entity_page[e] = arena_printf(a, "entities/%s/%s.html", kind_slug, slug);
		layout->entity_badges[e] = arena_printf(a, "badges/%s/%s.", kind_slug, slug);
	}
	slug_set_release(&names);
	slug_set_release(&kinds);

	slug_set_init(&set);
	slug_set_reserve(&set, "index");
	layout->team_page = arena_alloc_array(a, site->team_count + 1, sizeof(char *));
	for (size_t t = 0; t < site->team_count; t++)
		layout->team_page[t] = arena_printf(a, "teams/%s.html",
					       slug_set_claim(&set, a, site->teams[t]->id));
	slug_set_release(&set);

	slug_set_init(&set);
	slug_set_reserve(&set, "index");
	layout->scorecard_page = arena_alloc_array(a, site->scorecard_count + 1, sizeof(char *));
	layout->scorecard_slug = arena_alloc_array(a, site->scorecard_count + 1, sizeof(char *));
	layout->rules = arena_alloc_array(a, ev->rule_total + 1, sizeof(*layout->rules));
	layout->rule_page = arena_alloc_array(a, ev->rule_total + 1, sizeof(char *));
	layout->rule_anchor = arena_alloc_array(a, ev->rule_total + 1, sizeof(char *));
	for (size_t s = 0; s < site->scorecard_count; s++) {
		const struct scorecard *sc = site->scorecards[s];
		const char *slug = slug_set_claim(&set, a, sc->id);
		layout->scorecard_slug[s] = slug;
		layout->scorecard_page[s] = arena_printf(a, "scorecards/%s.html", slug);
		struct slug_set rules;
		slug_set_init(&rules);
		for (size_t i = 0; i < sc->rule_count; i++) {
			size_t ri = ev->rule_offset[s] + i;
			const char *rule_slug = slug_set_claim(&rules, a, sc->rules[i].id);
			layout->rules[ri] = &sc->rules[i];
			layout->rule_page[ri] = arena_printf(a, "rules/%s/%s.html", slug, rule_slug);
			layout->rule_anchor[ri] = arena_printf(a, "rule-%s-%s", slug, rule_slug);
		}
		slug_set_release(&rules);
	}
	slug_set_release(&set);

	slug_set_init(&set);
	slug_set_reserve(&set, "index");
	layout->campaign_page = arena_alloc_array(a, site->campaign_count + 1, sizeof(char *));
	for (size_t c = 0; c < site->campaign_count; c++)
		layout->campaign_page[c] = arena_printf(a, "campaigns/%s.html",
						   slug_set_claim(&set, a, site->campaigns[c]->key));
	slug_set_release(&set);

	slug_set_init(&set);
	layout->markdown_page = arena_alloc_array(a, site->page_count + 1, sizeof(char *));
	for (size_t p = 0; p < site->page_count; p++)
		layout->markdown_page[p] = arena_printf(a, "pages/%s.html",
						   slug_set_claim(&set, a, site->pages[p]->slug));
	slug_set_release(&set);
}

const char *site_layout_page_path(struct arena *a, const char *first,
				  size_t number)
{
	if (number <= 1)
		return first;
	size_t len = strlen(first);
	if (len < 5 || strcmp(first + len - 5, ".html") != 0)
		BUG("a paginated page that is not an .html file");
	return arena_printf(a, "%.*s/page-%zu.html", (int)(len - 5), first, number);
}

size_t site_layout_depth(const char *path)
{
	size_t depth = 0;
	for (; *path; path++)
		depth += *path == '/';
	return depth;
}

const char *site_layout_href(struct arena *a, const char *base, const char *path)
{
	return arena_printf(a, "%s%s", base, path);
}

const char *site_layout_url(struct arena *a, const char *base_url,
			    const char *path)
{
	if (!base_url || !*base_url)
		return arena_strdup(a, path);
	size_t n = strlen(base_url);
	return arena_printf(a, "%s%s%s", base_url,
			    base_url[n - 1] == '/' ? "" : "/", path);
}
