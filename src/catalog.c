#include "catalog.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/*
 * Where each normalised field is found in each format. A path is a dotted
 * walk through mappings; several paths separated by '|' are tried in order.
 * NULL: the format has no such field.
 */
enum field {
	F_NAME,
	F_NAMESPACE,
	F_DISPLAY_NAME,
	F_DESCRIPTION,
	F_OWNER,
	F_TIER,
	F_LIFECYCLE,
	F_TYPE,
	F_SYSTEM,
	F_LANGUAGES,
	F_TAGS,
	F_LINKS,
	F_CONTACTS,
	F_DEPENDENCIES,
	F_ADDITIONAL_OWNERS,
	F_INTEGRATIONS,
	F_COUNT
};

static const char *const field_paths[F_COUNT][3] = {
	/*                     Datadog v3              Datadog v2        Backstage */
	[F_NAME]            = { "metadata.name",        "dd-service",     "metadata.name" },
	[F_NAMESPACE]       = { "metadata.namespace",   NULL,             "metadata.namespace" },
	[F_DISPLAY_NAME]    = { "metadata.displayName", NULL,             "metadata.title" },
	[F_DESCRIPTION]     = { "metadata.description", "description",    "metadata.description" },
	[F_OWNER]           = { "metadata.owner",       "team|dd-team",   "spec.owner" },
	[F_TIER]            = { "spec.tier",            "tier",           "metadata.labels.tier" },
	[F_LIFECYCLE]       = { "spec.lifecycle",       "lifecycle",      "spec.lifecycle" },
	[F_TYPE]            = { "spec.type",            "type",           "spec.type" },
	[F_SYSTEM]          = { NULL,                   "application",    "spec.system" },
	[F_LANGUAGES]       = { "spec.languages",       "languages",      NULL },
	[F_TAGS]            = { "metadata.tags",        "tags",           "metadata.tags" },
	[F_LINKS]           = { "metadata.links",       "links",          "metadata.links" },
	[F_CONTACTS]        = { "metadata.contacts",    "contacts",       NULL },
	[F_DEPENDENCIES]    = { "spec.dependsOn",       NULL,             "spec.dependsOn" },
	[F_ADDITIONAL_OWNERS] = { "metadata.additionalOwners", NULL,      NULL },
	[F_INTEGRATIONS]    = { "integrations|spec.integrations", "integrations", NULL },
};

static const char *const datadog_v3_kinds[] = {
	"service", "datastore", "queue", "system", "api", "library", "ui",
};

static const char *const backstage_entity_kinds[] = {
	"component", "api", "system", "resource", "domain",
};

/* Read and ignored without a word: they describe where or who, not what. */
static const char *const backstage_ignored_kinds[] = {
	"location", "user", "template",
};

/* Tiers written as words (docs/content.md has the table). */
static const struct {
	const char *word;
	int tier;
} tier_words[] = {
	{ "critical", 1 },  { "mission-critical", 1 }, { "mission critical", 1 },
	{ "high", 2 },      { "medium", 3 },           { "low", 4 },
};

/* Numbers written as words, alone or after "tier" ("Tier Three"). */
static const char *const number_words[] = {
	"zero", "one", "two", "three", "four", "five",
	"six", "seven", "eight", "nine", "ten",
};

static const struct {
	const char *word;
	enum lifecycle lifecycle;
} lifecycle_words[] = {
	{ "production", LIFECYCLE_PRODUCTION },  { "prod", LIFECYCLE_PRODUCTION },
	{ "live", LIFECYCLE_PRODUCTION },        { "ga", LIFECYCLE_PRODUCTION },
	{ "stable", LIFECYCLE_PRODUCTION },      { "active", LIFECYCLE_PRODUCTION },
	{ "experimental", LIFECYCLE_EXPERIMENTAL }, { "experiment", LIFECYCLE_EXPERIMENTAL },
	{ "alpha", LIFECYCLE_EXPERIMENTAL },     { "beta", LIFECYCLE_EXPERIMENTAL },
	{ "preview", LIFECYCLE_EXPERIMENTAL },   { "development", LIFECYCLE_EXPERIMENTAL },
	{ "dev", LIFECYCLE_EXPERIMENTAL },       { "incubating", LIFECYCLE_EXPERIMENTAL },
	{ "pilot", LIFECYCLE_EXPERIMENTAL },
	{ "deprecated", LIFECYCLE_DEPRECATED },  { "sunset", LIFECYCLE_DEPRECATED },
	{ "sunsetting", LIFECYCLE_DEPRECATED },  { "retired", LIFECYCLE_DEPRECATED },
	{ "decommissioned", LIFECYCLE_DEPRECATED }, { "end-of-life", LIFECYCLE_DEPRECATED },
	{ "eol", LIFECYCLE_DEPRECATED },
};

/* The document being read, and where its problems go. */
struct reader {
	struct arena *arena;
	const struct source *src;
	const struct value *doc;
	enum entity_format format;
	struct errlist *errors;
};

static void problem(struct reader *r, enum err_level level,
		    const struct value *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void problem(struct reader *r, enum err_level level,
		    const struct value *at, const char *fmt, ...)
{
	struct err e = ERR_INIT;
	va_list ap;
	va_start(ap, fmt);
	err_vat(&e, level, r->src, at ? at->line : 0, at ? at->col : 0, fmt, ap);
	va_end(ap);
	errlist_add(r->errors, &e);
}

char *catalog_lower(struct arena *a, const char *s)
{
	char *p = arena_strdup(a, s);
	for (char *c = p; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return p;
}

/* Walk one dotted path (no '|'); `len` bytes of `path`. */
static const struct value *walk(const struct value *v, const char *path,
				size_t len)
{
	char key[128];
	while (v && len) {
		const char *dot = memchr(path, '.', len);
		size_t n = dot ? (size_t)(dot - path) : len;
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		v = value_get(v, key);
		if (!dot)
			break;
		path += n + 1;
		len -= n + 1;
	}
	return v;
}

static const struct value *walk_path(const struct value *v, const char *path)
{
	return walk(v, path, strlen(path));
}

/* The value of field `f` in this document's format, or NULL. */
static const struct value *field(const struct reader *r, enum field f,
				 const char **used_path)
{
	const char *paths = field_paths[f][r->format];
	while (paths && *paths) {
		const char *bar = strchr(paths, '|');
		size_t len = bar ? (size_t)(bar - paths) : strlen(paths);
		const struct value *v = walk(r->doc, paths, len);
		if (v && v->type != VALUE_NULL) {
			if (used_path)
				*used_path = paths;
			return v;
		}
		paths = bar ? bar + 1 : NULL;
	}
	return NULL;
}

static const char *field_name(const struct reader *r, enum field f)
{
	const char *paths = field_paths[f][r->format];
	const char *bar = strchr(paths, '|');
	return bar ? arena_strndup(r->arena, paths, (size_t)(bar - paths)) : paths;
}

/*
 * A scalar's text in the document itself; a container is a warning and
 * reads as absent. Only for a moment: the document is freed once queries
 * are done (content.h), so what the model keeps is scalar_text's copy.
 */
static const char *scalar_peek(struct reader *r, const struct value *v,
			       const char *what)
{
	if (!v || v->type == VALUE_NULL)
		return NULL;
	if (v->type == VALUE_SEQ || v->type == VALUE_MAP) {
		problem(r, ERR_WARNING, v, "%s should be a single value, not %s; ignored",
			what, value_type_name(v->type));
		return NULL;
	}
	return v->str;
}

/* scalar_peek's text copied into the model's arena. */
static const char *scalar_text(struct reader *r, const struct value *v,
			       const char *what)
{
	const char *text = scalar_peek(r, v, what);
	return text ? arena_strndup(r->arena, text, v->len) : NULL;
}

static const char *text_field(struct reader *r, enum field f)
{
	const struct value *v = field(r, f, NULL);
	return v ? scalar_text(r, v, field_name(r, f)) : NULL;
}

/* The items of a list field; a single scalar counts as a list of one. */
static const struct value *const *list_items(struct reader *r,
					     const struct value *v,
					     const char *what, size_t *count)
{
	*count = 0;
	if (!v || v->type == VALUE_NULL)
		return NULL;
	if (v->type == VALUE_SEQ) {
		*count = v->count;
		return (const struct value *const *)v->items;
	}
	if (v->type == VALUE_MAP) {
		problem(r, ERR_WARNING, v, "%s should be a list, not a mapping; ignored",
			what);
		return NULL;
	}
	const struct value **one = arena_alloc(r->arena, sizeof(*one));
	one[0] = v;
	*count = 1;
	return one;
}

static int find_word(const char *const *words, size_t n, const char *w)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(words[i], w) == 0)
			return (int)i;
	return -1;
}

int catalog_parse_tier(const char *text)
{
	if (!text)
		return TIER_UNKNOWN;
	char buf[64];
	size_t n = 0;
	while (*text == ' ')
		text++;
	for (; *text && n < sizeof(buf) - 1; text++)
		buf[n++] = (char)tolower((unsigned char)*text);
	while (n && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(tier_words); i++)
		if (strcmp(buf, tier_words[i].word) == 0)
			return tier_words[i].tier;
	const char *p = buf;
	if (strncmp(p, "tier", 4) == 0 && strchr(" -_", p[4]))
		p += p[4] ? 5 : 4;
	int number = find_word(number_words, ARRAY_SIZE(number_words), p);
	if (number >= 0)
		return number;
	p = buf;
	static const char *const prefixes[] = { "tier-", "tier_", "tier ", "tier",
						"t", "p" };
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
		size_t len = strlen(prefixes[i]);
		if (strncmp(p, prefixes[i], len) == 0) {
			p += len;
			break;
		}
	}
	if (!*p || strlen(p) > 2)
		return TIER_UNKNOWN;
	for (const char *c = p; *c; c++)
		if (!isdigit((unsigned char)*c))
			return TIER_UNKNOWN;
	return atoi(p);
}

enum lifecycle catalog_parse_lifecycle(const char *text)
{
	if (!text)
		return LIFECYCLE_UNKNOWN;
	char buf[64];
	size_t n = 0;
	for (; *text && n < sizeof(buf) - 1; text++)
		buf[n++] = (char)tolower((unsigned char)*text);
	buf[n] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(lifecycle_words); i++)
		if (strcmp(buf, lifecycle_words[i].word) == 0)
			return lifecycle_words[i].lifecycle;
	return LIFECYCLE_UNKNOWN;
}

const char *catalog_lifecycle_name(enum lifecycle l)
{
	switch (l) {
	case LIFECYCLE_PRODUCTION: return "production";
	case LIFECYCLE_EXPERIMENTAL: return "experimental";
	case LIFECYCLE_DEPRECATED: return "deprecated";
	case LIFECYCLE_UNKNOWN: break;
	}
	return NULL;
}

/* Strip a "kind:" prefix equal to `kind` and a "default/" namespace. */
static const char *strip_ref(const char *ref, const char *kind)
{
	size_t k = strlen(kind);
	if (strncmp(ref, kind, k) == 0 && ref[k] == ':')
		ref += k + 1;
	if (strncmp(ref, "default/", 8) == 0)
		ref += 8;
	return ref;
}

const char *catalog_owner_team(struct arena *a, const char *owner)
{
	char *lower = catalog_lower(a, owner);
	return strip_ref(lower, "group");
}

/*
 * An entity reference as written in a dependency: "kind:name",
 * "kind:namespace/name"; without a kind, `default_kind` is assumed.
 */
static const char *normalise_ref(struct arena *a, const char *text,
				 const char *default_kind)
{
	char *lower = catalog_lower(a, text);
	char *colon = strchr(lower, ':');
	if (!colon)
		return arena_printf(a, "%s:%s", default_kind, strip_ref(lower, ""));
	*colon = '\0';
	return arena_printf(a, "%s:%s", lower, strip_ref(colon + 1, ""));
}

/*
 * Aliases make one node appear many times in a list (the YAML loader shares
 * it): a tag is derived once per node and the copies share its strings. The
 * table maps a node to the index + 1 of its tag; 0 is empty.
 */
struct tag_seen {
	const struct value **nodes;
	size_t *tags;
	size_t cap;
};

static size_t *tag_seen_slot(struct tag_seen *seen, const struct value *node)
{
	size_t mask = seen->cap - 1;
	size_t i = (size_t)(((uintptr_t)node >> 4) * 0x9E3779B97F4A7C15u) & mask;
	while (seen->nodes[i] && seen->nodes[i] != node)
		i = (i + 1) & mask;
	seen->nodes[i] = node;
	return &seen->tags[i];
}

static void read_tags(struct reader *r, struct entity *e)
{
	size_t n;
	const struct value *const *items =
		list_items(r, field(r, F_TAGS, NULL), "tags", &n);
	e->tags = arena_alloc_array(r->arena, n, sizeof(*e->tags));
	struct tag_seen seen = { NULL, NULL, 16 };
	while (seen.cap < n * 2)
		seen.cap *= 2;
	seen.nodes = xcalloc(seen.cap, sizeof(*seen.nodes));
	seen.tags = xcalloc(seen.cap, sizeof(*seen.tags));
	for (size_t i = 0; i < n; i++) {
		size_t *slot = tag_seen_slot(&seen, items[i]);
		if (*slot) {
			e->tags[e->tag_count++] = e->tags[*slot - 1];
			continue;
		}
		const char *text = scalar_text(r, items[i], "a tag");
		if (!text || !*text)
			continue;
		struct tag *t = &e->tags[e->tag_count++];
		const char *colon = strchr(text, ':');
		size_t keylen = colon ? (size_t)(colon - text) : strlen(text);
		char *key = arena_strndup(r->arena, text, keylen);
		for (char *c = key; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		t->key = key;
		t->value = colon ? colon + 1 : ""; /* the text is arena memory */
		t->text = text;
		*slot = e->tag_count;
	}
	free(seen.nodes);
	free(seen.tags);
}

static const char *member_text(struct reader *r, const struct value *map,
			       const char *keys)
{
	/* keys: '|'-separated alternatives */
	while (keys && *keys) {
		const char *bar = strchr(keys, '|');
		size_t len = bar ? (size_t)(bar - keys) : strlen(keys);
		const struct value *v = walk(map, keys, len);
		if (v && v->type != VALUE_NULL)
			return scalar_text(r, v, arena_strndup(r->arena, keys, len));
		keys = bar ? bar + 1 : NULL;
	}
	return NULL;
}

/*
 * What an untyped link is, from the first clue that is clear: its `icon`
 * (Backstage), words in its title, then its URL. docs/content.md has the
 * same table. Anything else is "other".
 */
static const struct {
	const char *clue; /* an icon, a title word or a piece of the URL */
	const char *type;
} link_clues[] = {
	/* icons and title words */
	{ "github", "repo" },      { "gitlab", "repo" },       { "bitbucket", "repo" },
	{ "repo", "repo" },        { "repository", "repo" },   { "source", "repo" },
	{ "code", "repo" },        { "docs", "doc" },          { "doc", "doc" },
	{ "techdocs", "doc" },     { "documentation", "doc" }, { "wiki", "doc" },
	{ "readme", "doc" },       { "guide", "doc" },         { "manual", "doc" },
	{ "runbook", "runbook" },  { "playbook", "runbook" },  { "dashboard", "dashboard" },
	{ "grafana", "dashboard" },
};

static const struct {
	const char *piece;
	const char *type;
} url_clues[] = {
	{ "/wiki", "doc" },          { "readthedocs.", "doc" },   { "://docs.", "doc" },
	{ "confluence", "doc" },     { "runbook", "runbook" },    { "/dashboard", "dashboard" },
	{ "grafana", "dashboard" },  { "://github.com/", "repo" }, { "://gitlab.com/", "repo" },
	{ "://bitbucket.org/", "repo" },
};

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) != 0;
}

/* The type a clue in `text` (an icon or a title) gives, or NULL. */
static const char *type_from_words(struct arena *a, const char *text)
{
	if (!text)
		return NULL;
	const char *lower = catalog_lower(a, text);
	for (const char *w = lower; *w;) {
		while (*w && !is_word_char(*w))
			w++;
		const char *end = w;
		while (*end && is_word_char(*end))
			end++;
		for (size_t i = 0; i < ARRAY_SIZE(link_clues); i++)
			if (strlen(link_clues[i].clue) == (size_t)(end - w) &&
			    strncmp(w, link_clues[i].clue, (size_t)(end - w)) == 0)
				return link_clues[i].type;
		w = end;
	}
	return NULL;
}

static const char *link_type(struct reader *r, const struct value *item,
			     const char *url)
{
	const char *type = member_text(r, item, "type");
	if (type && *type)
		return type;
	const char *clue = type_from_words(r->arena, member_text(r, item, "icon"));
	if (!clue)
		clue = type_from_words(r->arena, member_text(r, item, "name|title"));
	const char *lower = catalog_lower(r->arena, url);
	for (size_t i = 0; !clue && i < ARRAY_SIZE(url_clues); i++)
		if (strstr(lower, url_clues[i].piece))
			clue = url_clues[i].type;
	return clue ? clue : "other";
}

/* Values people leave where a URL should be; they make no link. */
static bool placeholder_url(const char *url)
{
	static const char *const words[] = {
		"undefined", "null", "~", "nil", "none", "todo", "tbd", "n/a", "-", "#",
	};
	while (isspace((unsigned char)*url))
		url++;
	size_t n = strlen(url);
	while (n && isspace((unsigned char)url[n - 1]))
		n--;
	if (n == 0)
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (strlen(words[i]) == n && strncasecmp(url, words[i], n) == 0)
			return true;
	return false;
}

/* True when `url` (written at `at`) can be a link; a warning otherwise. */
static bool usable_url(struct reader *r, const struct value *at,
		       const char *url, const char *what)
{
	if (!placeholder_url(url))
		return true;
	problem(r, ERR_WARNING, at, "%s has the placeholder URL '%s'; no link is made",
		what, url);
	return false;
}

static void add_link(struct reader *r, struct entity *e, size_t *alloc,
		     const char *name, const char *type, const char *url)
{
	/* An annotation often repeats a link written out: keep one. */
	for (size_t i = 0; i < e->link_count; i++)
		if (strcmp(e->links[i].url, url) == 0 &&
		    strcasecmp(e->links[i].type, type ? type : "") == 0)
			return;
	ALLOC_GROW(e->links, e->link_count + 1, *alloc);
	struct link *l = &e->links[e->link_count++];
	l->name = name ? name : "";
	l->type = type ? catalog_lower(r->arena, type) : "";
	l->url = url;
}

/* A Backstage annotation's text; keys like "github.com/project-slug" are
 * looked up whole, never split at their dots. */
static const char *annotation(struct reader *r, const char *key,
			      const struct value **at)
{
	const struct value *v = value_get(walk_path(r->doc, "metadata.annotations"),
					  key);
	*at = v;
	const char *text = scalar_text(r, v, key);
	return text && *text ? text : NULL;
}

/*
 * Backstage's repository and docs annotations, as its About card shows
 * them: the source location (a "url:" location), else a GitHub or GitLab
 * project slug, else the view or edit URL, is the "source" repo link;
 * techdocs-ref is a "docs" link, a "dir:" one relative to the source.
 */
static void read_backstage_annotations(struct reader *r, struct entity *e,
				       size_t *alloc)
{
	static const struct {
		const char *key, *prefix;
	} repo_annotations[] = {
		{ "backstage.io/source-location", "url:" },
		{ "github.com/project-slug", "https://github.com/" },
		{ "gitlab.com/project-slug", "https://gitlab.com/" },
		{ "backstage.io/view-url", "" },
		{ "backstage.io/edit-url", "" },
	};
	const char *source = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(repo_annotations) && !source; i++) {
		const struct value *at;
		const char *text = annotation(r, repo_annotations[i].key, &at);
		if (!text || !usable_url(r, at, text, repo_annotations[i].key))
			continue;
		const char *prefix = repo_annotations[i].prefix;
		if (strcmp(prefix, "url:") == 0) {
			if (strncmp(text, prefix, 4) == 0 &&
			    usable_url(r, at, text + 4, repo_annotations[i].key))
				source = text + 4;
		} else {
			source = arena_printf(r->arena, "%s%s", prefix, text);
		}
	}
	if (source)
		add_link(r, e, alloc, "source", "repo", source);

	const struct value *at;
	const char *docs = annotation(r, "backstage.io/techdocs-ref", &at);
	if (!docs || !usable_url(r, at, docs, "backstage.io/techdocs-ref"))
		return;
	if (strncmp(docs, "url:", 4) == 0 &&
	    usable_url(r, at, docs + 4, "backstage.io/techdocs-ref")) {
		add_link(r, e, alloc, "docs", "doc", docs + 4);
	} else if (strncmp(docs, "dir:", 4) == 0 && source) {
		const char *dir = docs + 4;
		while (dir[0] == '.' && (dir[1] == '/' || dir[1] == '\0'))
			dir += dir[1] ? 2 : 1;
		size_t n = strlen(source);
		add_link(r, e, alloc, "docs", "doc",
			 *dir ? arena_printf(r->arena, "%s%s%s", source,
					     n && source[n - 1] == '/' ? "" : "/", dir)
			      : source);
	}
}

/*
 * Links, plus v2's `repos` and `docs` lists and Backstage's source
 * annotations, all as typed links. The array is heap-grown here and copied
 * into the arena at the end.
 */
static void read_links(struct reader *r, struct entity *e)
{
	size_t alloc = 0;
	struct {
		const struct value *list;
		const char *type; /* forced type, or NULL to read it */
		const char *what;
	} sources[] = {
		{ field(r, F_LINKS, NULL), NULL, "links" },
		{ r->format == FORMAT_DATADOG_V2 ? value_get(r->doc, "repos") : NULL,
		  "repo", "repos" },
		{ r->format == FORMAT_DATADOG_V2 ? value_get(r->doc, "docs") : NULL,
		  "doc", "docs" },
	};
	for (size_t s = 0; s < ARRAY_SIZE(sources); s++) {
		size_t n;
		const struct value *const *items =
			list_items(r, sources[s].list, sources[s].what, &n);
		for (size_t i = 0; i < n; i++) {
			if (items[i]->type != VALUE_MAP) {
				problem(r, ERR_WARNING, items[i],
					"each of %s should be a mapping with a url; ignored",
					sources[s].what);
				continue;
			}
			const struct value *url_v = value_get(items[i], "url");
			const char *url = member_text(r, items[i], "url");
			if (!url && url_v && url_v->type == VALUE_NULL)
				url = arena_strndup(r->arena, url_v->str, url_v->len);
				/* `null` or `~`: a placeholder */
			if (!url) {
				problem(r, ERR_WARNING, items[i],
					"an entry of %s has no url; ignored",
					sources[s].what);
				continue;
			}
			if (!usable_url(r, url_v, url,
					arena_printf(r->arena, "an entry of %s",
						     sources[s].what)))
				continue;
			const char *type = sources[s].type
				? sources[s].type : link_type(r, items[i], url);
			add_link(r, e, &alloc, member_text(r, items[i], "name|title"),
				 type, url);
		}
	}
	if (r->format == FORMAT_BACKSTAGE)
		read_backstage_annotations(r, e, &alloc);
	if (e->link_count) {
		struct link *copy = arena_alloc_array(r->arena, e->link_count,
						      sizeof(*copy));
		memcpy(copy, e->links, e->link_count * sizeof(*copy));
		free(e->links);
		e->links = copy;
	}
}

static void read_contacts(struct reader *r, struct entity *e)
{
	size_t n;
	const struct value *const *items =
		list_items(r, field(r, F_CONTACTS, NULL), "contacts", &n);
	e->contacts = arena_alloc_array(r->arena, n, sizeof(*e->contacts));
	for (size_t i = 0; i < n; i++) {
		if (items[i]->type != VALUE_MAP) {
			problem(r, ERR_WARNING, items[i],
				"each contact should be a mapping with type and contact; ignored");
			continue;
		}
		const char *contact = member_text(r, items[i], "contact");
		const char *type = member_text(r, items[i], "type");
		if (!contact || !*contact) {
			problem(r, ERR_WARNING, items[i], "a contact has no 'contact'; ignored");
			continue;
		}
		struct contact *c = &e->contacts[e->contact_count++];
		c->name = member_text(r, items[i], "name");
		if (!c->name)
			c->name = "";
		c->type = type ? catalog_lower(r->arena, type) : "";
		c->contact = contact;
	}
}

static void add_integration(struct entity *e, size_t *alloc,
			    const char *name, const char *url)
{
	for (size_t i = 0; i < e->integration_count; i++)
		if (strcmp(e->integrations[i].name, name) == 0)
			return;
	ALLOC_GROW(e->integrations, e->integration_count + 1, *alloc);
	e->integrations[e->integration_count].name = name;
	e->integrations[e->integration_count].url = url ? url : "";
	e->integration_count++;
}

/*
 * Integrations are a mapping from name to either a URL (v2) or a mapping
 * with serviceURL / service-url. Backstage has them as annotations.
 */
static void read_integrations(struct reader *r, struct entity *e)
{
	size_t alloc = 0;
	const char *paths = field_paths[F_INTEGRATIONS][r->format];
	while (paths && *paths) {
		const char *bar = strchr(paths, '|');
		size_t len = bar ? (size_t)(bar - paths) : strlen(paths);
		const struct value *map = walk(r->doc, paths, len);
		paths = bar ? bar + 1 : NULL;
		if (!map || map->type == VALUE_NULL)
			continue;
		if (map->type != VALUE_MAP) {
			problem(r, ERR_WARNING, map,
				"integrations should be a mapping like "
				"{pagerduty: {serviceURL: ...}}; ignored");
			continue;
		}
		for (size_t i = 0; i < map->count; i++) {
			const struct value *v = map->pairs[i].val;
			const char *url = v->type == VALUE_MAP
				? member_text(r, v, "serviceURL|service-url|url")
				: value_str(v) ? arena_strndup(r->arena, v->str, v->len)
				: NULL;
			add_integration(e, &alloc,
					catalog_lower(r->arena, map->pairs[i].key->str),
					url);
		}
	}
	if (r->format == FORMAT_BACKSTAGE) {
		const struct value *ann = walk_path(r->doc, "metadata.annotations");
		static const struct { const char *prefix, *name; } known[] = {
			{ "pagerduty.com/", "pagerduty" },
			{ "opsgenie.com/", "opsgenie" },
		};
		for (size_t i = 0; ann && ann->type == VALUE_MAP && i < ann->count; i++)
			for (size_t k = 0; k < ARRAY_SIZE(known); k++)
				if (strncmp(ann->pairs[i].key->str, known[k].prefix,
					    strlen(known[k].prefix)) == 0)
					add_integration(e, &alloc, known[k].name, NULL);
	}
	if (e->integration_count) {
		struct integration *copy = arena_alloc_array(
			r->arena, e->integration_count, sizeof(*copy));
		memcpy(copy, e->integrations, e->integration_count * sizeof(*copy));
		free(e->integrations);
		e->integrations = copy;
	}
}

/* A list of strings, lowercased or not; non-scalars are warned about. */
static const char **string_list(struct reader *r, const struct value *v,
				const char *what, bool lower, size_t *count)
{
	size_t n;
	const struct value *const *items = list_items(r, v, what, &n);
	const char **out = arena_alloc_array(r->arena, n, sizeof(*out));
	*count = 0;
	for (size_t i = 0; i < n; i++) {
		const char *text = lower ? scalar_peek(r, items[i], what)
				   : scalar_text(r, items[i], what);
		if (text && *text)
			out[(*count)++] = lower ? catalog_lower(r->arena, text) : text;
	}
	return out;
}

static void read_dependencies(struct reader *r, struct entity *e)
{
	size_t n = 0, m = 0;
	const char **deps = string_list(r, field(r, F_DEPENDENCIES, NULL),
					"dependsOn", false, &n);
	const char **apis = NULL;
	if (r->format == FORMAT_BACKSTAGE)
		apis = string_list(r, walk_path(r->doc, "spec.consumesApis"),
				   "consumesApis", false, &m);
	e->dependencies = arena_alloc_array(r->arena, n + m, sizeof(char *));
	const char *default_kind = r->format == FORMAT_BACKSTAGE ? "component"
								 : "service";
	for (size_t i = 0; i < n; i++)
		e->dependencies[e->dependency_count++] =
			normalise_ref(r->arena, deps[i], default_kind);
	for (size_t i = 0; i < m; i++)
		e->dependencies[e->dependency_count++] =
			normalise_ref(r->arena, apis[i], "api");
}

static void read_additional_owners(struct reader *r, struct entity *e)
{
	size_t n;
	const struct value *const *items = list_items(
		r, field(r, F_ADDITIONAL_OWNERS, NULL), "additionalOwners", &n);
	e->additional_owners = arena_alloc_array(r->arena, n, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		const char *name = items[i]->type == VALUE_MAP
			? member_text(r, items[i], "name")
			: scalar_text(r, items[i], "an additional owner");
		if (name && *name)
			e->additional_owners[e->additional_owner_count++] =
				catalog_owner_team(r->arena, name);
	}
}

/* v3: the first `system:` reference in spec.componentOf. */
static const char *v3_system(struct reader *r)
{
	size_t n;
	const struct value *const *items = list_items(
		r, walk_path(r->doc, "spec.componentOf"), "componentOf", &n);
	for (size_t i = 0; i < n; i++) {
		const char *ref = scalar_text(r, items[i], "componentOf");
		if (ref && strncmp(ref, "system:", 7) == 0)
			return ref + 7;
	}
	return NULL;
}

/* The fields every format shares, by the table. */
static void read_common(struct reader *r, struct entity *e)
{
	const char *display = text_field(r, F_DISPLAY_NAME);
	e->display_name = display && *display ? display : e->name;
	e->description = text_field(r, F_DESCRIPTION);
	const struct value *owner_v = field(r, F_OWNER, NULL);
	const char *owner = text_field(r, F_OWNER);
	if (!owner && r->format == FORMAT_DATADOG_V3) {
		const struct value *misplaced = walk_path(r->doc, "spec.owner");
		owner = scalar_peek(r, misplaced, "spec.owner");
		if (owner) {
			owner_v = misplaced;
			problem(r, ERR_WARNING, misplaced,
				"owner belongs under metadata, not spec; "
				"read from spec.owner");
		}
	}
	if (owner && *owner)
		e->owner = catalog_owner_team(r->arena, owner);
	if (owner_v) {
		e->owner_place.line = owner_v->line;
		e->owner_place.col = owner_v->col;
	}
	e->tier_text = text_field(r, F_TIER);
	e->tier = catalog_parse_tier(e->tier_text);
	if (e->tier_text && *e->tier_text && e->tier == TIER_UNKNOWN)
		problem(r, ERR_WARNING, field(r, F_TIER, NULL),
			"tier '%s' is not a tier yardstick knows (a number, "
			"'Tier 1', 'one', 'critical', ...); tier comparisons "
			"do not match it", e->tier_text);
	e->lifecycle_text = text_field(r, F_LIFECYCLE);
	e->lifecycle = catalog_parse_lifecycle(e->lifecycle_text);
	e->type = text_field(r, F_TYPE);
	e->system = r->format == FORMAT_DATADOG_V3 ? v3_system(r)
						   : text_field(r, F_SYSTEM);
	if (e->system)
		e->system = catalog_lower(r->arena, e->system);
	e->languages = string_list(r, field(r, F_LANGUAGES, NULL), "languages",
				   true, &e->language_count);
	read_tags(r, e);
	read_links(r, e);
	read_contacts(r, e);
	read_integrations(r, e);
	read_dependencies(r, e);
	read_additional_owners(r, e);
	if (r->format == FORMAT_DATADOG_V3 && strcmp(e->kind, "system") == 0) {
		const char **refs = string_list(r, walk_path(r->doc, "spec.components"),
						"components", false,
						&e->component_count);
		for (size_t i = 0; i < e->component_count; i++)
			refs[i] = normalise_ref(r->arena, refs[i], "service");
		e->components = refs;
	}
}

/* The entity's name: a non-empty scalar, or the document is invalid. */
static const char *required_name(struct reader *r)
{
	const struct value *v = field(r, F_NAME, NULL);
	const char *path = field_paths[F_NAME][r->format];
	if (!v) {
		problem(r, ERR_ERROR, r->doc, "missing %s; the entity is left out",
			path);
		return NULL;
	}
	const char *name = scalar_text(r, v, path);
	if (!name || !*name) {
		if (name)
			problem(r, ERR_ERROR, v, "%s is empty; the entity is left out",
				path);
		return NULL;
	}
	return name;
}

static struct entity *new_entity(struct reader *r, const char *kind,
				 const char *name, const char *namespace_,
				 const char *version)
{
	struct entity *e = arena_alloc(r->arena, sizeof(*e));
	e->kind = catalog_lower(r->arena, kind);
	e->name = catalog_lower(r->arena, name);
	if (namespace_ && *namespace_ && strcmp(namespace_, "default") != 0)
		e->namespace_ = catalog_lower(r->arena, namespace_);
	e->ref = e->namespace_
		? arena_printf(r->arena, "%s:%s/%s", e->kind, e->namespace_, e->name)
		: arena_printf(r->arena, "%s:%s", e->kind, e->name);
	e->format = r->format;
	e->format_version = version;
	e->place.src = r->src;
	e->place.line = r->doc->line;
	e->place.col = r->doc->col;
	e->owner_place = e->place;
	const struct value *name_v = field(r, F_NAME, NULL);
	e->name_place = e->place;
	if (name_v) {
		e->name_place.line = name_v->line;
		e->name_place.col = name_v->col;
	}
	e->doc = r->doc;
	return e;
}

static enum catalog_result read_datadog_v3(struct reader *r,
					   struct entity **out)
{
	const struct value *kind_v = value_get(r->doc, "kind");
	const char *kind = scalar_peek(r, kind_v, "kind");
	if (!kind || !*kind) {
		problem(r, ERR_ERROR, kind_v ? kind_v : r->doc,
			"missing kind (service, datastore, queue, system, api, "
			"library or ui); the entity is left out");
		return CATALOG_INVALID;
	}
	if (!value_get(r->doc, "metadata")) {
		problem(r, ERR_ERROR, r->doc,
			"missing metadata (with at least a name); the entity is left out");
		return CATALOG_INVALID;
	}
	const char *name = required_name(r);
	if (!name)
		return CATALOG_INVALID;
	char *lower = catalog_lower(r->arena, kind);
	if (find_word(datadog_v3_kinds, ARRAY_SIZE(datadog_v3_kinds), lower) < 0)
		problem(r, ERR_WARNING, kind_v,
			"kind '%s' is not a Datadog v3 kind (service, datastore, "
			"queue, system, api, library, ui); read as a custom kind",
			kind);
	struct entity *e = new_entity(r, kind, name, text_field(r, F_NAMESPACE), "v3");
	read_common(r, e);
	*out = e;
	return CATALOG_ENTITY;
}

static enum catalog_result read_datadog_v2(struct reader *r, const char *version,
					   struct entity **out)
{
	static const char *const versions[] = { "v2", "v2.1", "v2.2" };
	if (find_word(versions, ARRAY_SIZE(versions), version) < 0)
		problem(r, ERR_WARNING, value_get(r->doc, "schema-version"),
			"schema-version '%s' is not v2, v2.1 or v2.2; read as v2.2",
			version);
	const char *name = required_name(r);
	if (!name)
		return CATALOG_INVALID;
	struct entity *e = new_entity(r, "service", name, NULL, version);
	read_common(r, e);
	*out = e;
	return CATALOG_ENTITY;
}

static struct team *read_group(struct reader *r, const char *name)
{
	struct team *t = arena_alloc(r->arena, sizeof(*t));
	t->id = catalog_owner_team(r->arena, name);
	const char *display = member_text(r, r->doc, "spec.profile.displayName");
	if (!display)
		display = member_text(r, r->doc, "metadata.title");
	t->name = display && *display ? display : name;
	const char *parent = member_text(r, r->doc, "spec.parent");
	if (parent && *parent) {
		const struct value *at = walk_path(r->doc, "spec.parent");
		t->parent = catalog_owner_team(r->arena, parent);
		t->parent_place.src = r->src;
		t->parent_place.line = at->line;
		t->parent_place.col = at->col;
	}
	t->description = member_text(r, r->doc, "metadata.description");
	t->members = string_list(r, walk_path(r->doc, "spec.members"), "members",
				 false, &t->member_count);
	t->origin = TEAM_FROM_GROUP;
	t->place.src = r->src;
	t->place.line = r->doc->line;
	t->place.col = r->doc->col;
	return t;
}

static enum catalog_result read_backstage(struct reader *r, const char *version,
					  struct entity **entity,
					  struct team **team)
{
	const struct value *kind_v = value_get(r->doc, "kind");
	const char *kind = scalar_peek(r, kind_v, "kind");
	if (!kind || !*kind) {
		problem(r, ERR_ERROR, kind_v ? kind_v : r->doc,
			"missing kind (Component, API, System, Resource, Domain or "
			"Group); the entity is left out");
		return CATALOG_INVALID;
	}
	char *lower = catalog_lower(r->arena, kind);
	if (find_word(backstage_ignored_kinds, ARRAY_SIZE(backstage_ignored_kinds),
		      lower) >= 0)
		return CATALOG_IGNORED;
	bool group = strcmp(lower, "group") == 0;
	if (!group && find_word(backstage_entity_kinds,
				ARRAY_SIZE(backstage_entity_kinds), lower) < 0) {
		problem(r, ERR_WARNING, kind_v,
			"Backstage kind '%s' is not supported (Component, API, "
			"System, Resource, Domain, Group); ignored", kind);
		return CATALOG_IGNORED;
	}
	const char *name = required_name(r);
	if (!name)
		return CATALOG_INVALID;
	if (group) {
		*team = read_group(r, name);
		return CATALOG_TEAM;
	}
	struct entity *e = new_entity(r, lower, name, text_field(r, F_NAMESPACE),
				      version);
	read_common(r, e);
	*entity = e;
	return CATALOG_ENTITY;
}

enum catalog_result catalog_read_document(struct arena *a,
					  const struct source *src,
					  const struct value *doc,
					  struct entity **entity,
					  struct team **team,
					  struct errlist *errors)
{
	struct reader r = { .arena = a, .src = src, .doc = doc, .errors = errors };
	*entity = NULL;
	*team = NULL;
	if (doc->type == VALUE_NULL)
		return CATALOG_IGNORED;
	if (doc->type != VALUE_MAP) {
		problem(&r, ERR_ERROR, doc,
			"a catalog document should be a mapping, not %s",
			value_type_name(doc->type));
		return CATALOG_INVALID;
	}
	const struct value *api = value_get(doc, "apiVersion");
	const struct value *schema = value_get(doc, "schema-version");
	const char *api_text = scalar_text(&r, api, "apiVersion");
	if (api_text && strncmp(api_text, "backstage.io/", 13) == 0) {
		r.format = FORMAT_BACKSTAGE;
		return read_backstage(&r, api_text, entity, team);
	}
	if (api_text && (strcmp(api_text, "v3") == 0 || strcmp(api_text, "V3") == 0)) {
		r.format = FORMAT_DATADOG_V3;
		return read_datadog_v3(&r, entity);
	}
	if (api_text) {
		problem(&r, ERR_ERROR, api,
			"unknown apiVersion '%s' (expected v3 for Datadog or "
			"backstage.io/v1alpha1 for Backstage)", api_text);
		return CATALOG_INVALID;
	}
	const char *schema_text = scalar_peek(&r, schema, "schema-version");
	if (schema_text) {
		r.format = FORMAT_DATADOG_V2;
		return read_datadog_v2(&r, catalog_lower(a, schema_text), entity);
	}
	problem(&r, ERR_ERROR, doc,
		"not a catalog entity: expected apiVersion (Datadog v3, Backstage) "
		"or schema-version (Datadog v2)");
	return CATALOG_INVALID;
}
