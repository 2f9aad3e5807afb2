#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static int compare_entity_key(const void *key, const void *item)
{
	return strcmp(key, (*(const struct entity *const *)item)->ref);
}

static int compare_team_key(const void *key, const void *item)
{
	return strcmp(key, (*(const struct team *const *)item)->id);
}

static int compare_scorecard_key(const void *key, const void *item)
{
	return strcmp(key, (*(const struct scorecard *const *)item)->id);
}

size_t site_entity_index(const struct site *s, const char *ref)
{
	if (!s->entity_count || !ref)
		return SITE_NONE;
	struct entity **e = bsearch(ref, s->entities, s->entity_count,
				    sizeof(*s->entities), compare_entity_key);
	return e ? (size_t)(e - s->entities) : SITE_NONE;
}

size_t site_team_index(const struct site *s, const char *id)
{
	if (!s->team_count || !id)
		return SITE_NONE;
	struct team **t = bsearch(id, s->teams, s->team_count, sizeof(*s->teams),
				  compare_team_key);
	return t ? (size_t)(t - s->teams) : SITE_NONE;
}

const struct entity *site_find_entity(const struct site *s, const char *ref)
{
	size_t i = site_entity_index(s, ref);
	return i == SITE_NONE ? NULL : s->entities[i];
}

const struct team *site_find_team(const struct site *s, const char *id)
{
	size_t i = site_team_index(s, id);
	return i == SITE_NONE ? NULL : s->teams[i];
}

const struct scorecard *site_find_scorecard(const struct site *s,
					    const char *id)
{
	if (!s->scorecard_count || !id)
		return NULL;
	struct scorecard **sc = bsearch(id, s->scorecards, s->scorecard_count,
					sizeof(*s->scorecards),
					compare_scorecard_key);
	return sc ? *sc : NULL;
}

static const struct rule *find_in(const struct scorecard *sc, const char *id)
{
	for (size_t i = 0; i < sc->rule_count; i++)
		if (strcmp(sc->rules[i].id, id) == 0)
			return &sc->rules[i];
	return NULL;
}

const struct rule *site_find_rule(const struct site *s, const char *ref,
				  bool *ambiguous)
{
	*ambiguous = false;
	const char *slash = strchr(ref, '/');
	if (slash) {
		char id[256];
		size_t n = (size_t)(slash - ref);
		if (n >= sizeof(id))
			return NULL;
		memcpy(id, ref, n);
		id[n] = '\0';
		const struct scorecard *sc = site_find_scorecard(s, id);
		return sc ? find_in(sc, slash + 1) : NULL;
	}
	const struct rule *found = NULL;
	for (size_t i = 0; i < s->scorecard_count; i++) {
		const struct rule *r = find_in(s->scorecards[i], ref);
		if (r && found) {
			*ambiguous = true;
			return NULL;
		}
		if (r)
			found = r;
	}
	return found;
}

size_t site_scorecard_index(const struct site *s, const struct scorecard *sc)
{
	struct scorecard *const *found =
		bsearch(sc->id, s->scorecards, s->scorecard_count,
			sizeof(*s->scorecards), compare_scorecard_key);
	if (!found || *found != sc)
		BUG("a scorecard that is not the site's");
	return (size_t)(found - s->scorecards);
}
