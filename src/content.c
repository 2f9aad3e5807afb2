/* realpath() is XSI. */
#define _XOPEN_SOURCE 700

#include "content.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "catalog.h"
#include "date.h"
#include "jsondoc.h"
#include "query.h"
#include "source.h"
#include "util.h"
#include "yamldoc.h"

/* Deeper folder trees under catalog/ are not followed. */
enum { MAX_CATALOG_DEPTH = 16 };

/* Growable arrays of pointers while loading; moved into the site at the end. */
struct loader {
	struct arena *arena;
	const struct conf *conf;
	struct errlist *errors;
	day_t today;
	const struct yamldoc_limits *limits;
	const char *real_root;  /* the content folder's real path */
	size_t unreadable;      /* files that could not be opened or read */

	struct entity **entities;
	size_t entity_count, entity_alloc;
	struct team **teams;
	size_t team_count, team_alloc;
	struct scorecard **scorecards;
	size_t scorecard_count, scorecard_alloc;
	struct campaign **campaigns;
	size_t campaign_count, campaign_alloc;
	struct outcome *outcomes;
	size_t outcome_count;
	struct exemption *exemptions;
	size_t exemption_count, exemption_alloc;
	struct page **pages;
	size_t page_count, page_alloc;
	size_t catalog_files;

	size_t jobs;            /* threads that read and parse files */
	/* The catalog and outcome files found, in the order they are loaded. */
	const char **found;
	size_t found_count, found_alloc;
	/* The text of catalog and outcome files (the bulk of what is read)
	 * lives in arenas of its own, freed when loading ends: nothing
	 * quotes those files afterwards. `read` are their sources, whose
	 * text is then forgotten (source_forget_text). Each arena is a heap
	 * object of its own, since a source's index points to its arena. */
	struct arena **texts;
	size_t text_arena_count;
	/* What only loading reads (the references pending outcomes are
	 * resolved by): freed when loading ends, with `texts`. */
	struct arena scratch;
	struct source **read;
	size_t read_count, read_alloc;

	/* Raw references checked once everything is loaded. */
	struct pending_exemption {
		const struct source *src;
		const struct value *entity, *rule, *expires;
		struct exemption ex;
	} *pending_exemptions;
	size_t pending_exemption_count, pending_exemption_alloc;
	/* One a result: at 100k entities, 600,000. Nothing in it points into
	 * the file's value tree, which is freed before the next file: the
	 * rule as written (shared by the results that repeat it) and the
	 * lowercase entity reference are in `scratch`. */
	struct pending_outcome {
		const struct source *src;
		const char *rule_text;
		const char *entity_ref;
		unsigned rule_line, rule_col;     /* where they are written */
		unsigned entity_line, entity_col;
		struct outcome outcome;
	} *pending_outcomes;
	size_t pending_outcome_count, pending_outcome_alloc;
	struct pending_campaign_rule {
		const struct source *src;
		const struct value *rule;
		struct campaign_rule *target;
		struct campaign *campaign;
	} *pending_campaign_rules;
	size_t pending_campaign_rule_count, pending_campaign_rule_alloc;
	struct {
		const struct source *src;
		const struct value *owner;
		const struct campaign *campaign;
	} *pending_owners;
	size_t pending_owner_count, pending_owner_alloc;
};

static void report(struct loader *l, enum err_level level,
		   const struct source *src, const struct value *at,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void report(struct loader *l, enum err_level level,
		   const struct source *src, const struct value *at,
		   const char *fmt, ...)
{
	struct err e = ERR_INIT;
	va_list ap;
	va_start(ap, fmt);
	err_vat(&e, level, src, at ? at->line : 0, at ? at->col : 0, fmt, ap);
	va_end(ap);
	errlist_add(l->errors, &e);
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);
	return n > s && strcmp(name + n - s, suffix) == 0;
}

/*
 * The entries of `dir` (not starting with '.'), sorted, as heap strings in
 * a heap array. Returns -1 with errno when the folder cannot be opened.
 */
static int list_dir(const char *dir, char ***names, size_t *count)
{
	DIR *d = opendir(dir);
	*names = NULL;
	*count = 0;
	if (!d)
		return -1;
	size_t alloc = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		ALLOC_GROW(*names, *count + 1, alloc);
		(*names)[(*count)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*count)
		qsort(*names, *count, sizeof(**names), compare_strings);
	return 0;
}

static void free_names(char **names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

enum entry_kind { ENTRY_FILE, ENTRY_FOLDER, ENTRY_SKIP };

/*
 * What the folder entry at `path` is to the loader, by the one rule every
 * content folder follows (docs/content.md, "Files"): a regular file or a
 * folder is read; a symbolic link is followed when it resolves to a
 * regular file or folder inside the content folder (and, for a folder, not
 * back into `walking`, the real path of the folder being walked, or NULL);
 * anything else (a link that is broken, loops or leads outside, a FIFO,
 * socket or device) is skipped with a warning naming it.
 */
static enum entry_kind entry_kind(struct loader *l, const char *path,
				  const char *walking)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		errlist_path(l->errors, ERR_WARNING, path, "cannot look at: %s; "
			     "skipped", strerror(errno));
		return ENTRY_SKIP;
	}
	if (S_ISLNK(st.st_mode)) {
		/* Messages name the link's own text, as `ls -l` shows it. */
		char target[PATH_MAX], real[PATH_MAX];
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		if (!realpath(path, real) || stat(real, &st) != 0) {
			errlist_path(l->errors, ERR_WARNING, path,
				     "symbolic link to '%s' that cannot be followed "
				     "(%s); skipped", target, strerror(errno));
			return ENTRY_SKIP;
		}
		if (!l->real_root || !util_path_within(real, l->real_root)) {
			errlist_path(l->errors, ERR_WARNING, path,
				     "symbolic link to '%s', outside the content "
				     "folder; skipped", target);
			return ENTRY_SKIP;
		}
		if (S_ISDIR(st.st_mode) && walking && util_path_within(walking, real)) {
			errlist_path(l->errors, ERR_WARNING, path,
				     "symbolic link to '%s', a folder it is in "
				     "(a loop); skipped", target);
			return ENTRY_SKIP;
		}
	}
	if (S_ISREG(st.st_mode))
		return ENTRY_FILE;
	if (S_ISDIR(st.st_mode))
		return ENTRY_FOLDER;
	errlist_path(l->errors, ERR_WARNING, path, "not a regular file (a FIFO, "
		     "socket or device); skipped");
	return ENTRY_SKIP;
}

/*
 * Call `load` for each regular file in `sub` (a folder of the content
 * folder) whose name ends in one of `suffixes`. A missing folder is fine:
 * that kind of content is optional.
 */
static void each_file(struct loader *l, const char *sub,
		      const char *const *suffixes, size_t suffix_count,
		      void (*load)(struct loader *, const char *path))
{
	const char *dir = arena_printf(l->arena, "%s/%s",
				       conf_path(l->arena, l->conf, l->conf->content_dir),
				       sub);
	char **names;
	size_t count;
	if (list_dir(dir, &names, &count) != 0) {
		if (errno != ENOENT)
			errlist_path(l->errors, ERR_ERROR, dir, "cannot read folder: %s",
				     strerror(errno));
		return;
	}
	for (size_t i = 0; i < count; i++) {
		bool wanted = false;
		for (size_t s = 0; s < suffix_count; s++)
			wanted |= has_suffix(names[i], suffixes[s]);
		const char *path = arena_printf(l->arena, "%s/%s", dir, names[i]);
		if (wanted && entry_kind(l, path, NULL) == ENTRY_FILE)
			load(l, path);
	}
	free_names(names, count);
}

/* Read a file; on failure the problem is reported and NULL returned. */
static const struct source *read_source(struct loader *l, const char *path)
{
	struct source *src = arena_alloc(l->arena, sizeof(*src));
	struct err e = ERR_INIT;
	if (source_read_file(l->arena, path, l->limits->max_bytes, src, &e) != 0) {
		if (errno != 0) /* an I/O problem, not a content one */
			l->unreadable++;
		errlist_add(l->errors, &e);
		return NULL;
	}
	return src;
}

static struct value **parse_yaml(struct loader *l, const struct source *src,
				 size_t *count)
{
	struct value **docs;
	struct err e = ERR_INIT;
	if (yamldoc_parse(l->arena, src, l->limits, &docs, count, &e) != 0) {
		errlist_add(l->errors, &e);
		return NULL;
	}
	return docs;
}

/* ------------------------------------------------------------------ */
/* Catalog and outcome files, read and parsed on several threads       */

/*
 * Reading and parsing are most of loading, and each file's are
 * independent: workers read and parse the files into arenas of their own
 * (libyaml parsers and jansson are per call; no module on that path has
 * mutable statics), and the main thread then takes the results in the
 * order the files were found and does everything that adds to the site or
 * to the error list. So what a run prints and exits with does not depend
 * on the number of threads.
 */
struct parsed_file {
	const char *path;   /* the loader's arena */
	struct source *src; /* the loader's arena; NULL when not read */
	bool unreadable;    /* an I/O problem, not a content one */
	struct err error;   /* why it was not read or parsed */
	struct value **docs; /* YAML: its documents */
	size_t doc_count;
	struct value *root; /* JSON */
};

struct parse_worker {
	struct parse_pool *pool;
	struct arena *texts, *trees;
	pthread_t thread;
};

struct parse_pool {
	const struct yamldoc_limits *limits;
	bool json;
	struct parsed_file *files;
	size_t count;
	atomic_size_t next;
};

static void parse_one(const struct parse_pool *pool, struct parse_worker *w,
		      struct parsed_file *f)
{
	struct source read = { 0 };
	if (source_read_file(w->texts, f->path, pool->limits->max_bytes, &read,
			     &f->error) != 0) {
		f->unreadable = errno != 0;
		return;
	}
	*f->src = read;
	f->src->path = f->path; /* outlives the text */
	if (pool->json) {
		if (jsondoc_parse(w->trees, f->src, pool->limits->max_depth,
				  &f->root, &f->error) != 0)
			f->root = NULL;
	} else if (yamldoc_parse(w->trees, f->src, pool->limits, &f->docs,
				 &f->doc_count, &f->error) != 0) {
		f->docs = NULL;
	}
}

static void *parse_files(void *arg)
{
	struct parse_worker *w = arg;
	struct parse_pool *pool = w->pool;
	for (;;) {
		size_t i = atomic_fetch_add(&pool->next, 1);
		if (i >= pool->count)
			return NULL;
		parse_one(pool, w, &pool->files[i]);
	}
}

/*
 * Read and parse `count` files of `paths` with up to l->jobs threads,
 * each reading into its text arena (l->texts[worker], made on first use,
 * kept for every later batch and freed when loading ends) and parsing
 * into `trees[worker]` (of `tree_count`, one per thread). Returns
 * the files, in order, as a heap array; their sources are in the
 * loader's arena. A thread that cannot be started leaves its share to
 * the others (to the main thread at worst).
 */
static struct parsed_file *parse_in_parallel(struct loader *l,
					     const char *const *paths,
					     size_t count, bool json,
					     struct arena *trees,
					     size_t tree_count)
{
	struct parsed_file *files = xcalloc(count ? count : 1, sizeof(*files));
	for (size_t i = 0; i < count; i++) {
		files[i].path = paths[i];
		files[i].src = arena_alloc(l->arena, sizeof(*files[i].src));
		files[i].error = (struct err)ERR_INIT;
	}
	struct parse_pool pool = { .limits = l->limits, .json = json,
				   .files = files, .count = count };
	atomic_init(&pool.next, 0);
	if (l->text_arena_count < tree_count) {
		l->texts = xrealloc(l->texts, tree_count * sizeof(*l->texts));
		for (size_t w = l->text_arena_count; w < tree_count; w++) {
			l->texts[w] = xmalloc(sizeof(*l->texts[w]));
			arena_init(l->texts[w]);
		}
		l->text_arena_count = tree_count;
	}
	struct parse_worker *workers = xcalloc(tree_count, sizeof(*workers));
	for (size_t w = 0; w < tree_count; w++)
		workers[w] = (struct parse_worker){ &pool, l->texts[w], &trees[w], 0 };
	bool *started = xcalloc(tree_count, sizeof(*started));
	for (size_t w = 1; w < tree_count; w++)
		started[w] = pthread_create(&workers[w].thread, NULL, parse_files,
					    &workers[w]) == 0;
	parse_files(&workers[0]);
	for (size_t w = 1; w < tree_count; w++)
		if (started[w])
			pthread_join(workers[w].thread, NULL);
	free(started);
	free(workers);
	for (size_t i = 0; i < count; i++) {
		if (files[i].src->text) {
			ALLOC_GROW(l->read, l->read_count + 1, l->read_alloc);
			l->read[l->read_count++] = files[i].src;
		} else {
			files[i].src = NULL;
		}
	}
	return files;
}

/* The threads for `count` files: l->jobs, but no more than the files. */
static size_t workers_for(const struct loader *l, size_t count)
{
	size_t n = l->jobs < count ? l->jobs : count;
	return n ? n : 1;
}

/* A file parse_in_parallel() did not read or parse: its problem is
 * reported here, on the main thread, in the files' order. */
static bool parsed_ok(struct loader *l, struct parsed_file *f)
{
	if (!f->error.msg)
		return true;
	if (f->unreadable)
		l->unreadable++;
	errlist_add(l->errors, &f->error);
	return false;
}

static void collect_file(struct loader *l, const char *path)
{
	ALLOC_GROW(l->found, l->found_count + 1, l->found_alloc);
	l->found[l->found_count++] = path;
}

/* ------------------------------------------------------------------ */
/* Typed fields of mappings                                            */

/* Warn about keys not in `allowed` (NULL-terminated): usually typos. */
static void check_keys(struct loader *l, const struct source *src,
		       const struct value *map, const char *const *allowed,
		       const char *what)
{
	for (size_t i = 0; i < map->count; i++) {
		const char *key = map->pairs[i].key->str;
		bool known = false;
		for (const char *const *a = allowed; *a && !known; a++)
			known = strcmp(key, *a) == 0;
		if (!known)
			report(l, ERR_WARNING, src, map->pairs[i].key,
			       "unknown key '%s' in %s; ignored", key, what);
	}
}

/* A scalar's text; missing (when required) or not a scalar is an error. */
static const char *get_text(struct loader *l, const struct source *src,
			    const struct value *map, const char *key,
			    bool required, bool *ok)
{
	const struct value *v = value_get(map, key);
	if (!v || v->type == VALUE_NULL || (v->str && !*v->str)) {
		if (required) {
			report(l, ERR_ERROR, src, v ? v : map, "missing '%s'", key);
			*ok = false;
		}
		return NULL;
	}
	if (v->type == VALUE_SEQ || v->type == VALUE_MAP) {
		report(l, ERR_ERROR, src, v, "'%s' should be text, not %s", key,
		       value_type_name(v->type));
		*ok = false;
		return NULL;
	}
	return v->str;
}

static bool valid_id(const char *id)
{
	if (!id || !*id || strlen(id) > 100)
		return false;
	if (!islower((unsigned char)id[0]) && !isdigit((unsigned char)id[0]))
		return false;
	for (const char *p = id; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    *p != '-' && *p != '_' && *p != '.')
			return false;
	return true;
}

static const char *get_id(struct loader *l, const struct source *src,
			  const struct value *map, const char *key, bool *ok)
{
	const char *id = get_text(l, src, map, key, true, ok);
	if (id && !valid_id(id)) {
		report(l, ERR_ERROR, src, value_get(map, key),
		       "'%s' should be lowercase letters, digits, '-', '_' or '.' "
		       "(at most 100), starting with a letter or digit", key);
		*ok = false;
		return NULL;
	}
	return id;
}

static bool safe_url(const char *url)
{
	return strncmp(url, "https://", 8) == 0 ||
	       strncmp(url, "http://", 7) == 0 ||
	       strncmp(url, "mailto:", 7) == 0;
}

static const char *get_url(struct loader *l, const struct source *src,
			   const struct value *map, const char *key, bool *ok)
{
	const char *url = get_text(l, src, map, key, false, ok);
	if (url && !safe_url(url)) {
		report(l, ERR_ERROR, src, value_get(map, key),
		       "'%s' should be an http, https or mailto URL", key);
		*ok = false;
		return NULL;
	}
	return url;
}

static bool get_date(struct loader *l, const struct source *src,
		     const struct value *map, const char *key, bool required,
		     day_t *day, bool *ok)
{
	const char *text = get_text(l, src, map, key, required, ok);
	if (!text)
		return false;
	if (date_parse(text, day) != 0) {
		report(l, ERR_ERROR, src, value_get(map, key),
		       "'%s' should be a date written YYYY-MM-DD, not '%s'", key,
		       text);
		*ok = false;
		return false;
	}
	return true;
}

/* A whole number in [min, max]; `fallback` when absent. */
static long get_integer(struct loader *l, const struct source *src,
			const struct value *map, const char *key, long min,
			long max, long fallback, bool *ok)
{
	const struct value *v = value_get(map, key);
	if (!v || v->type == VALUE_NULL)
		return fallback;
	if (v->type != VALUE_NUMBER || v->num != (double)(long)v->num ||
	    v->num < (double)min || v->num > (double)max) {
		report(l, ERR_ERROR, src, v, "'%s' should be a whole number from %ld to %ld",
		       key, min, max);
		*ok = false;
		return fallback;
	}
	return (long)v->num;
}

static const char *get_markdown(struct loader *l, const struct source *src,
				const struct value *map, const char *key, bool *ok)
{
	return get_text(l, src, map, key, false, ok);
}

static void place_of(struct place *p, const struct source *src,
		     const struct value *v)
{
	p->src = src;
	p->line = v ? v->line : 0;
	p->col = v ? v->col : 0;
}

/*
 * The team id written as 'owner' in `map` (normalised as entity owners are:
 * "group:default/Payments" is "payments"), or NULL when absent; `at` gets
 * its place. Whether the team exists is checked once every team is known.
 */
static const char *get_owner(struct loader *l, const struct source *src,
			     const struct value *map, struct place *at, bool *ok)
{
	const char *text = get_text(l, src, map, "owner", false, ok);
	place_of(at, src, value_get(map, "owner"));
	return text ? catalog_owner_team(l->arena, text) : NULL;
}

/* Compile the query written at `v`; a bad query is an error at its place. */
static const struct query *compile_query(struct loader *l, const struct source *src,
					 const struct value *v, bool *ok)
{
	const char *text = value_str(v);
	if (!text)
		return NULL;
	struct place at;
	place_of(&at, src, v);
	const struct query *q = query_parse_at(l->arena, text, &at, l->errors);
	if (!q)
		*ok = false;
	return q;
}

/* ------------------------------------------------------------------ */
/* Catalog                                                             */

static void add_team(struct loader *l, struct team *t)
{
	ALLOC_GROW(l->teams, l->team_count + 1, l->team_alloc);
	l->teams[l->team_count++] = t;
}

static void load_catalog_file(struct loader *l, struct parsed_file *f)
{
	l->catalog_files++;
	if (!parsed_ok(l, f))
		return;
	for (size_t i = 0; i < f->doc_count; i++) {
		struct entity *e;
		struct team *t;
		switch (catalog_read_document(l->arena, f->src, f->docs[i], &e, &t,
					      l->errors)) {
		case CATALOG_ENTITY:
			ALLOC_GROW(l->entities, l->entity_count + 1, l->entity_alloc);
			l->entities[l->entity_count++] = e;
			break;
		case CATALOG_TEAM:
			add_team(l, t);
			break;
		case CATALOG_IGNORED:
		case CATALOG_INVALID:
			break;
		}
	}
}

/*
 * Every catalog file, parsed in parallel and then read into entities and
 * teams in the order of the walk. When `keep` (a query reads documents),
 * the value trees go to the site's document arenas and entity->doc lives
 * until content_release_documents(); otherwise files are parsed in
 * batches of one per thread and each batch's trees freed once read, and
 * entity->doc is NULL.
 */
static void load_catalog(struct loader *l, struct site *site, bool keep)
{
	size_t workers = workers_for(l, l->found_count);
	struct arena *trees = xcalloc(workers, sizeof(*trees));
	for (size_t w = 0; w < workers; w++)
		trees[w] = (struct arena)ARENA_INIT;
	size_t batch = keep ? l->found_count : workers;
	for (size_t start = 0; start < l->found_count; start += batch) {
		size_t n = l->found_count - start < batch ? l->found_count - start
							   : batch;
		struct parsed_file *files = parse_in_parallel(
			l, l->found + start, n, false, trees, workers_for(l, n));
		size_t first = l->entity_count;
		for (size_t i = 0; i < n; i++)
			load_catalog_file(l, &files[i]);
		free(files);
		if (keep)
			continue;
		for (size_t i = first; i < l->entity_count; i++)
			l->entities[i]->doc = NULL;
		for (size_t w = 0; w < workers; w++)
			arena_reset(&trees[w]);
	}
	if (keep) {
		site->documents = trees;
		site->document_arena_count = workers;
	} else {
		for (size_t w = 0; w < workers; w++)
			arena_release(&trees[w]);
		free(trees);
	}
	l->found_count = 0;
}

/* Whether a query of the site's scorecards or campaigns reads documents. */
static bool queries_read_documents(const struct loader *l)
{
	for (size_t i = 0; i < l->scorecard_count; i++) {
		const struct scorecard *sc = l->scorecards[i];
		if (query_reads_documents(sc->scope_query))
			return true;
		for (size_t r = 0; r < sc->rule_count; r++)
			if (query_reads_documents(sc->rules[r].scope_query) ||
			    query_reads_documents(sc->rules[r].check_query))
				return true;
	}
	for (size_t i = 0; i < l->campaign_count; i++)
		if (query_reads_documents(l->campaigns[i]->scope_query))
			return true;
	return false;
}

static void walk_catalog(struct loader *l, const char *dir, unsigned depth)
{
	char **names;
	size_t count;
	if (list_dir(dir, &names, &count) != 0) {
		if (errno != ENOENT || depth > 0)
			errlist_path(l->errors, ERR_ERROR, dir, "cannot read folder: %s",
				     strerror(errno));
		return;
	}
	char real_dir[PATH_MAX];
	const char *walking = realpath(dir, real_dir) ? real_dir : NULL;
	for (size_t i = 0; i < count; i++) {
		const char *path = arena_printf(l->arena, "%s/%s", dir, names[i]);
		bool yaml = has_suffix(names[i], ".yaml") || has_suffix(names[i], ".yml");
		struct stat st;
		/* Entries that are neither folders (or links to them) nor YAML
		 * are not looked at. */
		if (!yaml && (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)))
			continue;
		enum entry_kind kind = entry_kind(l, path, walking);
		if (kind == ENTRY_FOLDER) {
			if (depth + 1 >= MAX_CATALOG_DEPTH)
				errlist_path(l->errors, ERR_WARNING, path,
					     "folder is nested deeper than %d levels; "
					     "not read", MAX_CATALOG_DEPTH);
			else
				walk_catalog(l, path, depth + 1);
		} else if (kind == ENTRY_FILE && yaml) {
			collect_file(l, path);
		}
	}
	free_names(names, count);
}

/* ------------------------------------------------------------------ */
/* Teams                                                               */

/*
 * Call `load` for every mapping document of the YAML file at `path`. Empty
 * documents are skipped; any other document is the error `not_a_mapping`.
 */
static void each_mapping(struct loader *l, const char *path,
			 const char *not_a_mapping,
			 void (*load)(struct loader *, const struct source *,
				      const struct value *))
{
	const struct source *src = read_source(l, path);
	if (!src)
		return;
	size_t count;
	struct value **docs = parse_yaml(l, src, &count);
	for (size_t i = 0; docs && i < count; i++) {
		if (docs[i]->type == VALUE_NULL)
			continue;
		if (docs[i]->type != VALUE_MAP)
			report(l, ERR_ERROR, src, docs[i], "%s", not_a_mapping);
		else
			load(l, src, docs[i]);
	}
}

static void load_team(struct loader *l, const struct source *src,
		      const struct value *doc)
{
	static const char *const keys[] = { "id", "name", "parent", "slack",
					    "description", "members", NULL };
	check_keys(l, src, doc, keys, "a team");
	bool ok = true;
	struct team *t = arena_alloc(l->arena, sizeof(*t));
	t->id = get_id(l, src, doc, "id", &ok);
	t->name = get_text(l, src, doc, "name", false, &ok);
	const char *parent = get_text(l, src, doc, "parent", false, &ok);
	t->parent = parent ? catalog_owner_team(l->arena, parent) : NULL;
	place_of(&t->parent_place, src, value_get(doc, "parent"));
	t->slack = get_text(l, src, doc, "slack", false, &ok);
	t->description = get_markdown(l, src, doc, "description", &ok);
	const struct value *members = value_get(doc, "members");
	if (members && members->type == VALUE_SEQ) {
		t->members = arena_alloc_array(l->arena, members->count,
					       sizeof(char *));
		for (size_t m = 0; m < members->count; m++)
			if (value_str(members->items[m]))
				t->members[t->member_count++] =
					members->items[m]->str;
	} else if (members && members->type != VALUE_NULL) {
		report(l, ERR_ERROR, src, members, "'members' should be a list");
		ok = false;
	}
	if (!ok)
		return;
	if (!t->name)
		t->name = t->id;
	t->origin = TEAM_FROM_FILE;
	t->place.src = src;
	t->place.line = doc->line;
	t->place.col = doc->col;
	add_team(l, t);
}

static void load_team_file(struct loader *l, const char *path)
{
	each_mapping(l, path, "a team should be a mapping with id and name",
		     load_team);
}

/* ------------------------------------------------------------------ */
/* Scorecards                                                          */

static const char *const default_level_names[] = { "Basic", "Intermediate",
						   "Advanced" };
enum { MAX_LEVELS = MODEL_MAX_LEVELS };


static bool read_levels(struct loader *l, const struct source *src,
			const struct value *doc, struct scorecard *sc)
{
	const struct value *levels = value_get(doc, "levels");
	if (!levels || levels->type == VALUE_NULL) {
		sc->level_count = ARRAY_SIZE(default_level_names);
		sc->levels = arena_alloc_array(l->arena, sc->level_count,
					       sizeof(*sc->levels));
		for (size_t i = 0; i < sc->level_count; i++) {
			sc->levels[i].number = (int)i + 1;
			sc->levels[i].name = default_level_names[i];
		}
		return true;
	}
	if (levels->type != VALUE_SEQ || levels->count == 0 ||
	    levels->count > MAX_LEVELS) {
		report(l, ERR_ERROR, src, levels,
		       "'levels' should be a list of 1 to %d levels, each a name "
		       "or a mapping with a name", MAX_LEVELS);
		return false;
	}
	sc->level_count = levels->count;
	sc->levels = arena_alloc_array(l->arena, levels->count, sizeof(*sc->levels));
	bool ok = true;
	for (size_t i = 0; i < levels->count; i++) {
		const struct value *lv = levels->items[i];
		const char *name = lv->type == VALUE_MAP
			? get_text(l, src, lv, "name", true, &ok)
			: value_str(lv);
		if (lv->type == VALUE_MAP) {
			static const char *const keys[] = { "name", "level",
							    "description", NULL };
			check_keys(l, src, lv, keys, "a level");
			long n = get_integer(l, src, lv, "level", 1, MAX_LEVELS,
					     (long)i + 1, &ok);
			if (n != (long)i + 1) {
				report(l, ERR_ERROR, src, value_get(lv, "level"),
				       "levels are numbered in order from 1; this "
				       "one should be %zu", i + 1);
				ok = false;
			}
		}
		if (!name || !*name) {
			if (lv->type != VALUE_MAP)
				report(l, ERR_ERROR, src, lv, "a level needs a name");
			ok = false;
			continue;
		}
		sc->levels[i].number = (int)i + 1;
		sc->levels[i].name = name;
	}
	return ok;
}

static bool read_rule(struct loader *l, const struct source *src,
		      const struct value *rv, struct scorecard *sc,
		      struct rule *r)
{
	static const char *const keys[] = {
		"id", "name", "level", "scope", "check", "outcome", "weight",
		"enabled", "description", "remediation", "docs", "owner", NULL,
	};
	if (rv->type != VALUE_MAP) {
		report(l, ERR_ERROR, src, rv, "a rule should be a mapping with id, "
		       "name, level and check or outcome");
		return false;
	}
	check_keys(l, src, rv, keys, "a rule");
	bool ok = true;
	r->id = get_id(l, src, rv, "id", &ok);
	r->name = get_text(l, src, rv, "name", true, &ok);
	r->scorecard = sc;
	place_of(&r->place, src, rv);
	const struct value *level = value_get(rv, "level");
	if (!level) {
		report(l, ERR_ERROR, src, rv, "missing 'level' (1 to %zu)",
		       sc->level_count);
		ok = false;
	} else if (level->type != VALUE_NUMBER || level->num < 1 ||
		   level->num > (double)sc->level_count ||
		   level->num != (double)(int)level->num) {
		report(l, ERR_ERROR, src, level,
		       "level '%s' is out of range: this scorecard has levels 1 to %zu",
		       level->str ? level->str : "", sc->level_count);
		ok = false;
	} else {
		r->level = (int)level->num;
	}
	r->scope = get_text(l, src, rv, "scope", false, &ok);
	place_of(&r->scope_place, src, value_get(rv, "scope"));
	r->check = get_text(l, src, rv, "check", false, &ok);
	place_of(&r->check_place, src, value_get(rv, "check"));
	if (r->scope)
		r->scope_query = compile_query(l, src, value_get(rv, "scope"), &ok);
	if (r->check)
		r->check_query = compile_query(l, src, value_get(rv, "check"), &ok);
	const char *outcome = get_text(l, src, rv, "outcome", false, &ok);
	if (outcome && strcmp(outcome, "external") != 0) {
		report(l, ERR_ERROR, src, value_get(rv, "outcome"),
		       "'outcome' can only be 'external'");
		ok = false;
	}
	r->external = outcome != NULL;
	if (r->check && r->external) {
		report(l, ERR_ERROR, src, value_get(rv, "outcome"),
		       "a rule has either a 'check' or 'outcome: external', not both");
		ok = false;
	} else if (!r->check && !r->external && ok) {
		report(l, ERR_ERROR, src, rv,
		       "a rule needs a 'check' query or 'outcome: external'");
		ok = false;
	}
	r->weight = 1;
	const struct value *weight = value_get(rv, "weight");
	if (weight && weight->type != VALUE_NULL) {
		if (weight->type != VALUE_NUMBER || !(weight->num > 0) ||
		    weight->num > 1000) {
			report(l, ERR_ERROR, src, weight,
			       "'weight' should be a number above 0 and at most 1000");
			ok = false;
		} else {
			r->weight = weight->num;
		}
	}
	r->enabled = true;
	const struct value *enabled = value_get(rv, "enabled");
	if (enabled && enabled->type != VALUE_NULL) {
		if (enabled->type != VALUE_BOOL) {
			report(l, ERR_ERROR, src, enabled,
			       "'enabled' should be true or false");
			ok = false;
		} else {
			r->enabled = enabled->boolean;
		}
	}
	r->description = get_markdown(l, src, rv, "description", &ok);
	r->remediation = get_markdown(l, src, rv, "remediation", &ok);
	r->docs = get_url(l, src, rv, "docs", &ok);
	r->owner = get_owner(l, src, rv, &r->owner_place, &ok);
	if (r->id && sc->id)
		r->ref = arena_printf(l->arena, "%s/%s", sc->id, r->id);
	return ok;
}

static void load_scorecard(struct loader *l, const struct source *src,
			   const struct value *doc)
{
	static const char *const keys[] = { "id", "name", "description", "scope",
					    "owner", "levels", "rules", NULL };
	check_keys(l, src, doc, keys, "a scorecard");
	bool ok = true;
	struct scorecard *sc = arena_alloc(l->arena, sizeof(*sc));
	sc->id = get_id(l, src, doc, "id", &ok);
	sc->name = get_text(l, src, doc, "name", true, &ok);
	sc->description = get_markdown(l, src, doc, "description", &ok);
	sc->scope = get_text(l, src, doc, "scope", false, &ok);
	sc->owner = get_owner(l, src, doc, &sc->owner_place, &ok);
	place_of(&sc->place, src, doc);
	place_of(&sc->scope_place, src, value_get(doc, "scope"));
	if (sc->scope)
		sc->scope_query = compile_query(l, src, value_get(doc, "scope"), &ok);
	if (!read_levels(l, src, doc, sc))
		return;
	const struct value *rules = value_get(doc, "rules");
	if (!rules || rules->type != VALUE_SEQ || rules->count == 0) {
		report(l, ERR_ERROR, src, rules ? rules : doc,
		       "'rules' should be a list of at least one rule");
		return;
	}
	sc->rules = arena_alloc_array(l->arena, rules->count, sizeof(*sc->rules));
	for (size_t i = 0; i < rules->count; i++) {
		struct rule *r = &sc->rules[sc->rule_count];
		if (!read_rule(l, src, rules->items[i], sc, r)) {
			ok = false;
			continue;
		}
		for (size_t j = 0; j < sc->rule_count; j++) {
			if (strcmp(sc->rules[j].id, r->id) == 0) {
				report(l, ERR_ERROR, src, value_get(rules->items[i], "id"),
				       "duplicate rule id '%s' in this scorecard "
				       "(first at line %u)", r->id,
				       sc->rules[j].place.line);
				ok = false;
			}
		}
		sc->rule_count++;
	}
	if (!ok)
		return;
	ALLOC_GROW(l->scorecards, l->scorecard_count + 1, l->scorecard_alloc);
	l->scorecards[l->scorecard_count++] = sc;
}

static void load_scorecard_file(struct loader *l, const char *path)
{
	each_mapping(l, path, "a scorecard should be a mapping with id, name "
		     "and rules", load_scorecard);
}

/* ------------------------------------------------------------------ */
/* Front matter files: campaigns and pages                             */

/*
 * Split "---\n<yaml>\n---\n<markdown>" into a source covering the YAML (at
 * its real line numbers: the opening --- is a YAML document start) and the
 * Markdown body. Returns the parsed front matter, or NULL after reporting.
 */
static const struct value *front_matter(struct loader *l, const struct source *src,
					const char **body)
{
	const char *t = src->text;
	if (!(strncmp(t, "---\n", 4) == 0 || strncmp(t, "---\r\n", 5) == 0)) {
		errlist_at(l->errors, ERR_ERROR, src, 1, 1,
			   "expected front matter: a first line '---', YAML, then "
			   "a line '---'");
		return NULL;
	}
	const char *p = strchr(t, '\n') + 1;
	const char *end = NULL;
	while (p < t + src->len) {
		const char *nl = memchr(p, '\n', (size_t)(t + src->len - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(t + src->len - p);
		if (len && p[len - 1] == '\r')
			len--;
		if (len == 3 && (strncmp(p, "---", 3) == 0 || strncmp(p, "...", 3) == 0)) {
			end = p;
			*body = nl ? nl + 1 : t + src->len;
			break;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	if (!end) {
		errlist_at(l->errors, ERR_ERROR, src, 1, 1,
			   "front matter is not closed: expected a line '---' after it");
		return NULL;
	}
	struct source *yaml = arena_alloc(l->arena, sizeof(*yaml));
	*yaml = *src;
	yaml->len = (size_t)(end - t);
	size_t count;
	struct value **docs = parse_yaml(l, yaml, &count);
	if (!docs)
		return NULL;
	if (count != 1 || docs[0]->type != VALUE_MAP) {
		errlist_at(l->errors, ERR_ERROR, src, 2, 1,
			   "front matter should be one YAML mapping");
		return NULL;
	}
	return docs[0];
}

/* "campaigns/foo-bar.md" -> "foo-bar" */
static const char *file_stem(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	const char *dot = strrchr(name, '.');
	return arena_strndup(a, name, dot ? (size_t)(dot - name) : strlen(name));
}

/*
 * Datadog's campaign statuses. Only `completed` says something the dates
 * cannot (the owner declared the campaign done); the other two are
 * accepted so files written for Datadog load, and change nothing.
 */
static const struct {
	const char *name;
	bool completed;
} campaign_statuses[] = {
	{ "completed", true },
	{ "in_progress", false },
	{ "not_started", false },
};

static void read_campaign_status(struct loader *l, const struct source *src,
				 const struct value *fm, struct campaign *c,
				 bool *ok)
{
	const char *text = get_text(l, src, fm, "status", false, ok);
	if (!text)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(campaign_statuses); i++) {
		if (strcmp(text, campaign_statuses[i].name) == 0) {
			c->completed = campaign_statuses[i].completed;
			return;
		}
	}
	struct buf allowed = BUF_INIT;
	for (size_t i = 0; i < ARRAY_SIZE(campaign_statuses); i++)
		buf_addf(&allowed, "%s%s", i ? ", " : "", campaign_statuses[i].name);
	report(l, ERR_ERROR, src, value_get(fm, "status"),
	       "'status' should be one of %s, not '%s'", allowed.data, text);
	buf_release(&allowed);
	*ok = false;
}

static void load_campaign_file(struct loader *l, const char *path)
{
	static const char *const keys[] = { "key", "name", "owner", "status", "start",
					    "due", "scope", "rules", NULL };
	static const char *const rule_keys[] = { "rule", "guidance", "docs",
						 "workflow", NULL };
	const struct source *src = read_source(l, path);
	if (!src)
		return;
	const char *body = NULL;
	const struct value *fm = front_matter(l, src, &body);
	if (!fm)
		return;
	check_keys(l, src, fm, keys, "a campaign");
	bool ok = true;
	struct campaign *c = arena_alloc(l->arena, sizeof(*c));
	c->key = get_id(l, src, fm, "key", &ok);
	c->name = get_text(l, src, fm, "name", true, &ok);
	const char *owner = get_text(l, src, fm, "owner", true, &ok);
	c->owner = owner ? catalog_owner_team(l->arena, owner) : NULL;
	read_campaign_status(l, src, fm, c, &ok);
	get_date(l, src, fm, "start", true, &c->start, &ok);
	c->has_due = get_date(l, src, fm, "due", false, &c->due, &ok);
	if (!c->has_due)
		c->due = -1;
	if (ok && c->has_due && c->due < c->start) {
		report(l, ERR_ERROR, src, value_get(fm, "due"),
		       "'due' is before 'start'");
		ok = false;
	}
	c->scope = get_text(l, src, fm, "scope", false, &ok);
	if (c->scope)
		c->scope_query = compile_query(l, src, value_get(fm, "scope"), &ok);
	place_of(&c->scope_place, src, value_get(fm, "scope"));
	place_of(&c->place, src, fm);
	c->description = body;
	const struct value *rules = value_get(fm, "rules");
	if (!rules || rules->type != VALUE_SEQ || rules->count == 0) {
		report(l, ERR_ERROR, src, rules ? rules : fm,
		       "'rules' should be a list of at least one "
		       "{rule: scorecard/rule, guidance: ...}");
		return;
	}
	c->rules = arena_alloc_array(l->arena, rules->count, sizeof(*c->rules));
	for (size_t i = 0; i < rules->count; i++) {
		const struct value *rv = rules->items[i];
		const struct value *ref = rv->type == VALUE_MAP ? value_get(rv, "rule") : rv;
		if (!value_str(ref)) {
			report(l, ERR_ERROR, src, rv,
			       "each campaign rule needs 'rule: scorecard/rule'");
			ok = false;
			continue;
		}
		struct campaign_rule *cr = &c->rules[c->rule_count++];
		if (rv->type == VALUE_MAP) {
			check_keys(l, src, rv, rule_keys, "a campaign rule");
			cr->guidance = get_markdown(l, src, rv, "guidance", &ok);
			cr->docs = get_url(l, src, rv, "docs", &ok);
			cr->workflow = get_url(l, src, rv, "workflow", &ok);
		}
		place_of(&cr->place, src, rv);
		ALLOC_GROW(l->pending_campaign_rules, l->pending_campaign_rule_count + 1,
			   l->pending_campaign_rule_alloc);
		struct pending_campaign_rule *p =
			&l->pending_campaign_rules[l->pending_campaign_rule_count++];
		p->src = src;
		p->rule = ref;
		p->target = cr;
		p->campaign = c;
	}
	if (!ok)
		return;
	if (owner) {
		ALLOC_GROW(l->pending_owners, l->pending_owner_count + 1,
			   l->pending_owner_alloc);
		l->pending_owners[l->pending_owner_count].src = src;
		l->pending_owners[l->pending_owner_count].owner = value_get(fm, "owner");
		l->pending_owners[l->pending_owner_count].campaign = c;
		l->pending_owner_count++;
	}
	ALLOC_GROW(l->campaigns, l->campaign_count + 1, l->campaign_alloc);
	l->campaigns[l->campaign_count++] = c;
}

static void load_page_file(struct loader *l, const char *path)
{
	static const char *const keys[] = { "title", "nav_order", NULL };
	const struct source *src = read_source(l, path);
	if (!src)
		return;
	const char *body = NULL;
	const struct value *fm = front_matter(l, src, &body);
	if (!fm)
		return;
	check_keys(l, src, fm, keys, "a page");
	bool ok = true;
	struct page *p = arena_alloc(l->arena, sizeof(*p));
	p->title = get_text(l, src, fm, "title", true, &ok);
	p->nav_order = (int)get_integer(l, src, fm, "nav_order", -1000, 1000, 0, &ok);
	p->slug = file_stem(l->arena, path);
	p->body = body;
	place_of(&p->place, src, fm);
	if (!valid_id(p->slug)) {
		errlist_at(l->errors, ERR_ERROR, src, 0, 0,
			   "a page's file name should be lowercase letters, digits, "
			   "'-', '_' or '.' (it becomes the page's address)");
		ok = false;
	}
	if (!ok)
		return;
	ALLOC_GROW(l->pages, l->page_count + 1, l->page_alloc);
	l->pages[l->page_count++] = p;
}

/* ------------------------------------------------------------------ */
/* Outcomes and exemptions                                             */

static bool outcome_state(const char *text, enum outcome_state *state)
{
	static const struct { const char *name; enum outcome_state state; } states[] = {
		{ "pass", OUTCOME_PASS }, { "fail", OUTCOME_FAIL }, { "skip", OUTCOME_SKIP },
	};
	for (size_t i = 0; text && i < ARRAY_SIZE(states); i++)
		if (strcmp(text, states[i].name) == 0) {
			*state = states[i].state;
			return true;
		}
	return false;
}

static bool get_timestamp(struct loader *l, const struct source *src,
			  const struct value *map, long long *out, bool *ok)
{
	const char *text = get_text(l, src, map, "observed_at", false, ok);
	if (!text)
		return false;
	if (date_parse_timestamp(text, out) != 0) {
		report(l, ERR_ERROR, src, value_get(map, "observed_at"),
		       "'observed_at' should be an RFC 3339 time such as "
		       "2026-11-20T03:00:00Z, not '%s'", text);
		*ok = false;
		return false;
	}
	return true;
}

/* One parsed outcome file into pending outcomes (see struct
 * pending_outcome) and problems. */
static void load_outcome_file(struct loader *l, struct parsed_file *f)
{
	static const char *const result_keys[] = {
		"rule_id", "entity_reference", "service_name", "state", "remarks",
		"observed_at", NULL,
	};
	if (!parsed_ok(l, f))
		return;
	const struct source *src = f->src;
	const struct value *root = f->root;
	const struct value *data = value_get(root, "data");
	const struct value *attrs = value_get(data, "attributes");
	const struct value *results = value_get(attrs, "results");
	if (!results || results->type != VALUE_SEQ) {
		report(l, ERR_ERROR, src, attrs ? attrs : data ? data : root,
		       "expected Datadog's outcomes format: {\"data\": {\"type\": "
		       "\"batched-outcome\", \"attributes\": {\"results\": [...]}}}");
		return;
	}
	bool ok = true;
	const char *last_remarks = NULL, *last_rule = NULL;
	long long file_time = OUTCOME_NO_TIME;
	if (!get_timestamp(l, src, attrs, &file_time, &ok))
		file_time = OUTCOME_NO_TIME;
	for (size_t i = 0; i < results->count; i++) {
		const struct value *r = results->items[i];
		if (r->type != VALUE_MAP) {
			report(l, ERR_ERROR, src, r, "each result should be an object");
			continue;
		}
		check_keys(l, src, r, result_keys, "an outcome");
		bool result_ok = true;
		struct pending_outcome p = { .src = src };
		const struct value *rule = value_get(r, "rule_id");
		const char *rule_text = get_text(l, src, r, "rule_id", true, &result_ok);
		const struct value *entity = value_get(r, "entity_reference");
		const char *ref = get_text(l, src, r, "entity_reference", false, &result_ok);
		const char *service = get_text(l, src, r, "service_name", false, &result_ok);
		if (ref) {
			p.entity_ref = catalog_lower(&l->scratch, ref);
		} else if (service) {
			entity = value_get(r, "service_name");
			p.entity_ref = arena_printf(&l->scratch, "service:%s",
						    catalog_lower(&l->scratch, service));
		} else if (result_ok) {
			report(l, ERR_ERROR, src, r,
			       "a result needs 'entity_reference' or 'service_name'");
			result_ok = false;
		}
		const char *state = get_text(l, src, r, "state", true, &result_ok);
		if (state && !outcome_state(state, &p.outcome.state)) {
			report(l, ERR_ERROR, src, value_get(r, "state"),
			       "'state' should be pass, fail or skip, not '%s'", state);
			result_ok = false;
		}
		p.outcome.remarks = get_text(l, src, r, "remarks", false, &result_ok);
		/* Remarks are often the same for a whole file: kept once. */
		if (p.outcome.remarks && last_remarks &&
		    strcmp(p.outcome.remarks, last_remarks) == 0)
			p.outcome.remarks = last_remarks;
		else if (p.outcome.remarks)
			p.outcome.remarks = last_remarks =
				arena_strdup(l->arena, p.outcome.remarks);
		if (!get_timestamp(l, src, r, &p.outcome.observed, &result_ok))
			p.outcome.observed = file_time;
		place_of(&p.outcome.place, src, r);
		if (!result_ok)
			continue;
		if (!last_rule || strcmp(rule_text, last_rule) != 0)
			last_rule = arena_strdup(&l->scratch, rule_text);
		p.rule_text = last_rule;
		p.rule_line = rule->line;
		p.rule_col = rule->col;
		p.entity_line = entity->line;
		p.entity_col = entity->col;
		ALLOC_GROW(l->pending_outcomes, l->pending_outcome_count + 1,
			   l->pending_outcome_alloc);
		l->pending_outcomes[l->pending_outcome_count++] = p;
	}
}

/*
 * Every outcome file: its value tree (one node per key and value of every
 * result: most of what a large site loads) lives only until the file is
 * read, so files are parsed in batches of one per thread and the trees
 * emptied after each batch: at 10k entities the trees of every file
 * together were the peak of a build.
 */
static void load_outcomes(struct loader *l)
{
	size_t workers = workers_for(l, l->found_count);
	struct arena *trees = xcalloc(workers, sizeof(*trees));
	for (size_t w = 0; w < workers; w++)
		trees[w] = (struct arena)ARENA_INIT;
	for (size_t start = 0; start < l->found_count; start += workers) {
		size_t n = l->found_count - start < workers ? l->found_count - start
							     : workers;
		struct parsed_file *files = parse_in_parallel(
			l, l->found + start, n, true, trees, workers_for(l, n));
		for (size_t i = 0; i < n; i++)
			load_outcome_file(l, &files[i]);
		free(files);
		for (size_t w = 0; w < workers; w++)
			arena_reset(&trees[w]);
	}
	for (size_t w = 0; w < workers; w++)
		arena_release(&trees[w]);
	free(trees);
	l->found_count = 0;
}

static void load_exemption_file(struct loader *l, const char *path)
{
	static const char *const keys[] = { "entity", "rule", "reason", "expires",
					    "approved_by", NULL };
	const struct source *src = read_source(l, path);
	if (!src)
		return;
	size_t count;
	struct value **docs = parse_yaml(l, src, &count);
	for (size_t d = 0; docs && d < count; d++) {
		const struct value *doc = docs[d];
		if (doc->type == VALUE_NULL)
			continue;
		size_t n = doc->type == VALUE_SEQ ? doc->count : 1;
		for (size_t i = 0; i < n; i++) {
			const struct value *x = doc->type == VALUE_SEQ ? doc->items[i] : doc;
			if (x->type != VALUE_MAP) {
				report(l, ERR_ERROR, src, x, "an exemption should be a "
				       "mapping with entity, rule, reason and expires");
				continue;
			}
			check_keys(l, src, x, keys, "an exemption");
			bool ok = true;
			struct pending_exemption p = { .src = src };
			p.entity = value_get(x, "entity");
			p.rule = value_get(x, "rule");
			p.expires = value_get(x, "expires");
			get_text(l, src, x, "entity", true, &ok);
			get_text(l, src, x, "rule", true, &ok);
			p.ex.reason = get_text(l, src, x, "reason", true, &ok);
			get_date(l, src, x, "expires", true, &p.ex.expires, &ok);
			p.ex.approved_by = get_text(l, src, x, "approved_by", false, &ok);
			place_of(&p.ex.place, src, x);
			if (!ok)
				continue;
			ALLOC_GROW(l->pending_exemptions, l->pending_exemption_count + 1,
				   l->pending_exemption_alloc);
			l->pending_exemptions[l->pending_exemption_count++] = p;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Assembly and cross-checks                                           */

static int compare_entities(const void *a, const void *b)
{
	const struct entity *x = *(const struct entity *const *)a;
	const struct entity *y = *(const struct entity *const *)b;
	int c = strcmp(x->ref, y->ref);
	if (c)
		return c;
	/* Same reference: keep load order so the first one wins. */
	c = strcmp(x->place.src->path, y->place.src->path);
	if (c)
		return c;
	return x->place.line < y->place.line ? -1 : x->place.line > y->place.line;
}

static int compare_teams(const void *a, const void *b)
{
	const struct team *x = *(const struct team *const *)a;
	const struct team *y = *(const struct team *const *)b;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	if (x->origin != y->origin)
		return (int)x->origin - (int)y->origin;
	/* Same id and origin: keep load order so the first one wins. */
	if (!x->place.src || !y->place.src)
		return !x->place.src - !y->place.src;
	c = strcmp(x->place.src->path, y->place.src->path);
	if (c)
		return c;
	return x->place.line < y->place.line ? -1 : x->place.line > y->place.line;
}

static int compare_scorecards(const void *a, const void *b)
{
	return strcmp((*(const struct scorecard *const *)a)->id,
		      (*(const struct scorecard *const *)b)->id);
}

static int compare_campaigns(const void *a, const void *b)
{
	return strcmp((*(const struct campaign *const *)a)->key,
		      (*(const struct campaign *const *)b)->key);
}

static int compare_pages(const void *a, const void *b)
{
	const struct page *x = *(const struct page *const *)a;
	const struct page *y = *(const struct page *const *)b;
	if (x->nav_order != y->nav_order)
		return x->nav_order < y->nav_order ? -1 : 1;
	return strcmp(x->slug, y->slug);
}

static const char *where(struct loader *l, const struct place *p)
{
	return arena_printf(l->arena, "%s:%u", p->src ? p->src->path : "?", p->line);
}

/* Sort entities by reference and drop later duplicates with an error. */
static void dedupe_entities(struct loader *l)
{
	if (l->entity_count)
		qsort(l->entities, l->entity_count, sizeof(*l->entities),
		      compare_entities);
	size_t kept = 0;
	for (size_t i = 0; i < l->entity_count; i++) {
		struct entity *e = l->entities[i];
		if (kept && strcmp(l->entities[kept - 1]->ref, e->ref) == 0) {
			errlist_at(l->errors, ERR_ERROR, e->place.src, e->name_place.line,
				   e->name_place.col,
				   "duplicate entity '%s', also defined at %s; this one "
				   "is left out", e->ref,
				   where(l, &l->entities[kept - 1]->place));
			continue;
		}
		l->entities[kept++] = e;
	}
	l->entity_count = kept;
}

static void dedupe_teams(struct loader *l)
{
	if (l->team_count)
		qsort(l->teams, l->team_count, sizeof(*l->teams), compare_teams);
	size_t kept = 0;
	for (size_t i = 0; i < l->team_count; i++) {
		struct team *t = l->teams[i];
		if (kept && strcmp(l->teams[kept - 1]->id, t->id) == 0) {
			errlist_at(l->errors, ERR_ERROR, t->place.src, t->place.line,
				   t->place.col,
				   "duplicate team '%s', also defined at %s; this one "
				   "is left out", t->id, where(l, &l->teams[kept - 1]->place));
			continue;
		}
		l->teams[kept++] = t;
	}
	l->team_count = kept;
}

static bool place_before(const struct place *a, const struct place *b)
{
	int c = strcmp(a->src->path, b->src->path);
	if (c)
		return c < 0;
	return a->line < b->line || (a->line == b->line && a->col < b->col);
}

/*
 * Owners without a team get one; with declared teams, that is a warning,
 * given once, where the owner is first written (by file, then line).
 */
static void add_owner_teams(struct loader *l, struct site *site)
{
	size_t declared = l->team_count;
	for (size_t i = 0; i < site->entity_count; i++) {
		const struct entity *e = site->entities[i];
		if (!e->owner)
			continue;
		bool found = false;
		for (size_t j = declared; j < l->team_count && !found; j++)
			found = strcmp(l->teams[j]->id, e->owner) == 0;
		if (found || site_find_team(site, e->owner))
			continue;
		if (declared) {
			const struct place *first = &e->owner_place;
			for (size_t j = i + 1; j < site->entity_count; j++) {
				const struct entity *o = site->entities[j];
				if (o->owner && strcmp(o->owner, e->owner) == 0 &&
				    place_before(&o->owner_place, first))
					first = &o->owner_place;
			}
			errlist_at(l->errors, ERR_WARNING, first->src, first->line,
				   first->col, "owner '%s' is not a known team (no team "
				   "file or Backstage Group); a team is created for it",
				   e->owner);
		}
		struct team *t = arena_alloc(l->arena, sizeof(*t));
		t->id = e->owner;
		t->name = e->owner;
		t->origin = TEAM_FROM_OWNER;
		add_team(l, t);
		site->teams = l->teams; /* add_team may have moved the array */
	}
}

/*
 * A Datadog v3 system lists its components; each that has no system of its
 * own (from componentOf) gets this one, so `system:NAME` finds it.
 */
static void link_system_components(struct site *site)
{
	for (size_t i = 0; i < site->entity_count; i++) {
		const struct entity *sys = site->entities[i];
		for (size_t c = 0; c < sys->component_count; c++) {
			size_t k = site_entity_index(site, sys->components[c]);
			if (k != SITE_NONE && !site->entities[k]->system)
				site->entities[k]->system = sys->name;
		}
	}
}

/*
 * A parent that is not a known team: in a team file an error (a typo in
 * the site's own files); in a Backstage Group a warning, since its parent
 * is often defined in another repository, and the team becomes a root.
 * Returns the number of errors found in catalog files (cycles of Groups).
 */
static size_t check_team_parents(struct loader *l, struct site *site)
{
	size_t catalog_errors = 0;
	for (size_t i = 0; i < site->team_count; i++) {
		struct team *t = site->teams[i];
		if (!t->parent)
			continue;
		const struct place *at = t->parent_place.src ? &t->parent_place
							     : &t->place;
		bool group = t->origin == TEAM_FROM_GROUP;
		if (!site_find_team(site, t->parent)) {
			errlist_at(l->errors, group ? ERR_WARNING : ERR_ERROR, at->src,
				   at->line, at->col,
				   group ? "team '%s' has an unknown parent team '%s'; "
					   "it is shown as a top-level team"
					 : "team '%s' has an unknown parent team '%s'",
				   t->id, t->parent);
			t->parent = NULL;
			continue;
		}
		/* A cycle returns to t within team_count steps. */
		const struct team *p = t;
		for (size_t steps = 0; p && p->parent && steps <= site->team_count; steps++) {
			p = site_find_team(site, p->parent);
			if (p == t) {
				errlist_at(l->errors, ERR_ERROR, t->place.src,
					   t->place.line, t->place.col,
					   "team '%s' is its own ancestor "
					   "through its parent teams", t->id);
				catalog_errors += group;
				t->parent = NULL;
				break;
			}
		}
	}
	return catalog_errors;
}

/*
 * Scorecard and rule owners name teams as campaign owners do: one that is
 * not a known team (declared, or created for an entity's owner) is a
 * warning, and the owner is kept as written.
 */
static void check_scorecard_owners(struct loader *l, const struct site *site)
{
	for (size_t i = 0; i < site->scorecard_count; i++) {
		const struct scorecard *sc = site->scorecards[i];
		const struct place *at = &sc->owner_place;
		if (sc->owner && !site_find_team(site, sc->owner))
			errlist_at(l->errors, ERR_WARNING, at->src, at->line, at->col,
				   "scorecard owner '%s' is not a known team",
				   sc->owner);
		for (size_t r = 0; r < sc->rule_count; r++) {
			const struct rule *rule = &sc->rules[r];
			at = &rule->owner_place;
			if (rule->owner && !site_find_team(site, rule->owner))
				errlist_at(l->errors, ERR_WARNING, at->src, at->line,
					   at->col, "rule owner '%s' is not a known team",
					   rule->owner);
		}
	}
}

/* Resolve a rule reference written at `at`; reports and returns NULL. */
static const struct rule *resolve_rule(struct loader *l, const struct site *site,
				       const struct source *src,
				       const struct value *at, enum err_level level,
				       const char *what)
{
	bool ambiguous = false;
	const char *text = value_str(at);
	const struct rule *r = text ? site_find_rule(site, text, &ambiguous) : NULL;
	if (!r)
		report(l, level, src, at,
		       ambiguous ? "%s names rule '%s', which several scorecards have; "
				   "write it as scorecard/rule"
				 : "%s names an unknown rule '%s'",
		       what, text ? text : "");
	return r;
}

static void resolve_references(struct loader *l, struct site *site)
{
	for (size_t i = 0; i < l->pending_campaign_rule_count; i++) {
		struct pending_campaign_rule *p = &l->pending_campaign_rules[i];
		p->target->rule = resolve_rule(l, site, p->src, p->rule, ERR_ERROR,
					       "the campaign");
	}
	/* A campaign with an unresolved rule cannot be followed: drop it. */
	size_t kept = 0;
	for (size_t i = 0; i < l->campaign_count; i++) {
		struct campaign *c = l->campaigns[i];
		bool ok = true;
		for (size_t r = 0; r < c->rule_count; r++)
			ok &= c->rules[r].rule != NULL;
		if (ok)
			l->campaigns[kept++] = c;
	}
	l->campaign_count = kept;
	for (size_t i = 0; i < l->pending_owner_count; i++) {
		const struct campaign *c = l->pending_owners[i].campaign;
		if (!site_find_team(site, c->owner))
			report(l, ERR_WARNING, l->pending_owners[i].src,
			       l->pending_owners[i].owner,
			       "campaign owner '%s' is not a known team", c->owner);
	}

	for (size_t i = 0; i < l->pending_exemption_count; i++) {
		struct pending_exemption *p = &l->pending_exemptions[i];
		p->ex.rule = resolve_rule(l, site, p->src, p->rule, ERR_ERROR,
					  "the exemption");
		const char *ref = catalog_lower(l->arena, value_str(p->entity));
		p->ex.entity = site_find_entity(site, ref);
		if (!p->ex.entity)
			report(l, ERR_WARNING, p->src, p->entity,
			       "the exemption names an unknown entity '%s'; ignored", ref);
		if (!p->ex.rule || !p->ex.entity)
			continue;
		if (p->ex.expires < l->today) {
			char day[11];
			date_format(p->ex.expires, day);
			report(l, ERR_WARNING, p->src, p->expires,
			       "the exemption expired on %s; it is ignored", day);
		}
		ALLOC_GROW(l->exemptions, l->exemption_count + 1, l->exemption_alloc);
		l->exemptions[l->exemption_count++] = p->ex;
	}

	/* The site's outcomes, in the arena at once: at most one a pending. */
	l->outcomes = arena_alloc_array(l->arena, l->pending_outcome_count + 1,
					sizeof(*l->outcomes));
	for (size_t i = 0; i < l->pending_outcome_count; i++) {
		struct pending_outcome *p = &l->pending_outcomes[i];
		struct value rule = { .type = VALUE_STRING, .str = p->rule_text,
				      .len = strlen(p->rule_text),
				      .line = p->rule_line, .col = p->rule_col };
		struct value entity = { .type = VALUE_STRING, .line = p->entity_line,
					.col = p->entity_col };
		p->outcome.rule = resolve_rule(l, site, p->src, &rule, ERR_WARNING,
					       "the outcome");
		p->outcome.entity = site_find_entity(site, p->entity_ref);
		if (!p->outcome.entity)
			report(l, ERR_WARNING, p->src, &entity,
			       "the outcome names an unknown entity '%s'; ignored",
			       p->entity_ref);
		if (!p->outcome.rule || !p->outcome.entity)
			continue;
		if (!p->outcome.rule->external) {
			report(l, ERR_WARNING, p->src, &rule,
			       "rule '%s' is decided by its check, not by outcomes; "
			       "this outcome is ignored", p->outcome.rule->ref);
			continue;
		}
		l->outcomes[l->outcome_count++] = p->outcome;
	}
}

/* Copy a heap array of pointers into the arena and free it. */
static void *to_arena(struct loader *l, void *heap, size_t count, size_t size)
{
	void *copy = arena_alloc_array(l->arena, count ? count : 1, size);
	if (count)
		memcpy(copy, heap, count * size);
	free(heap);
	return copy;
}

static void loader_release(struct loader *l)
{
	arena_release(&l->scratch);
	for (size_t i = 0; i < l->read_count; i++)
		source_forget_text(l->read[i]);
	for (size_t i = 0; i < l->text_arena_count; i++) {
		arena_release(l->texts[i]);
		free(l->texts[i]);
	}
	free(l->texts);
	free(l->read);
	free(l->found);
	free(l->pending_exemptions);
	free(l->pending_outcomes);
	free(l->pending_campaign_rules);
	free(l->pending_owners);
}

int content_load(struct arena *a, const struct conf *conf, day_t today,
		 size_t jobs, bool keep_documents, struct site *site,
		 struct errlist *errors)
{
	struct loader l = { .arena = a, .conf = conf, .errors = errors,
			    .today = today, .limits = &yamldoc_default_limits,
			    .jobs = jobs ? jobs : 1, .scratch = ARENA_INIT };
	memset(site, 0, sizeof(*site));
	size_t errors_at_start = errors->errors;
	const char *root = conf_path(a, conf, conf->content_dir);
	struct stat st;
	if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
		errlist_path(errors, ERR_ERROR, root,
			     "cannot read the content folder: %s",
			     stat(root, &st) != 0 ? strerror(errno) : "not a folder");
		return -1;
	}
	char real_root[PATH_MAX];
	l.real_root = realpath(root, real_root) ? real_root : NULL;
	static const char *const yaml[] = { ".yaml", ".yml" };
	static const char *const markdown[] = { ".md" };
	static const char *const json[] = { ".json" };

	/*
	 * What one kind of content names in another is resolved once
	 * everything is loaded, and problems are sorted by file, so the order
	 * of the kinds is free, and chosen for memory: scorecards and
	 * campaigns first, whose queries say whether the catalog's documents
	 * must be kept; then outcomes, whose value trees (and jansson's) come
	 * and go file by file before the catalog's are made.
	 */
	each_file(&l, "teams", yaml, ARRAY_SIZE(yaml), load_team_file);
	each_file(&l, "scorecards", yaml, ARRAY_SIZE(yaml), load_scorecard_file);
	each_file(&l, "campaigns", markdown, ARRAY_SIZE(markdown), load_campaign_file);
	each_file(&l, "outcomes", json, ARRAY_SIZE(json), collect_file);
	load_outcomes(&l);
	/* Catalog errors are counted apart: they cost only their own
	 * entities, where an error anywhere else stops a build. */
	size_t errors_before = errors->errors;
	walk_catalog(&l, arena_printf(a, "%s/catalog", root), 0);
	load_catalog(&l, site, keep_documents || queries_read_documents(&l));
	site->catalog_errors = errors->errors - errors_before;
	each_file(&l, "exemptions", yaml, ARRAY_SIZE(yaml), load_exemption_file);
	each_file(&l, "pages", markdown, ARRAY_SIZE(markdown), load_page_file);

	errors_before = errors->errors;
	dedupe_entities(&l);
	site->catalog_errors += errors->errors - errors_before;
	dedupe_teams(&l);
	site->entities = to_arena(&l, l.entities, l.entity_count, sizeof(*l.entities));
	site->entity_count = l.entity_count;
	site->teams = l.teams;
	site->team_count = l.team_count;
	add_owner_teams(&l, site);
	if (l.team_count)
		qsort(l.teams, l.team_count, sizeof(*l.teams), compare_teams);
	site->teams = to_arena(&l, l.teams, l.team_count, sizeof(*l.teams));
	site->team_count = l.team_count;
	site->catalog_errors += check_team_parents(&l, site);
	link_system_components(site);

	if (l.scorecard_count)
		qsort(l.scorecards, l.scorecard_count, sizeof(*l.scorecards),
		      compare_scorecards);
	size_t kept = 0;
	for (size_t i = 0; i < l.scorecard_count; i++) {
		struct scorecard *sc = l.scorecards[i];
		if (kept && strcmp(l.scorecards[kept - 1]->id, sc->id) == 0) {
			errlist_at(errors, ERR_ERROR, sc->place.src, sc->place.line,
				   sc->place.col, "duplicate scorecard '%s', also "
				   "defined at %s", sc->id,
				   where(&l, &l.scorecards[kept - 1]->place));
			continue;
		}
		l.scorecards[kept++] = sc;
		site->rule_count += sc->rule_count;
	}
	site->scorecards = to_arena(&l, l.scorecards, kept, sizeof(*l.scorecards));
	site->scorecard_count = kept;
	check_scorecard_owners(&l, site);

	resolve_references(&l, site);
	if (l.campaign_count)
		qsort(l.campaigns, l.campaign_count, sizeof(*l.campaigns),
		      compare_campaigns);
	for (size_t i = 1; i < l.campaign_count; i++)
		if (strcmp(l.campaigns[i - 1]->key, l.campaigns[i]->key) == 0)
			errlist_at(errors, ERR_ERROR, l.campaigns[i]->place.src,
				   l.campaigns[i]->place.line, l.campaigns[i]->place.col,
				   "duplicate campaign key '%s', also at %s",
				   l.campaigns[i]->key, where(&l, &l.campaigns[i - 1]->place));
	site->campaigns = to_arena(&l, l.campaigns, l.campaign_count,
				   sizeof(*l.campaigns));
	site->campaign_count = l.campaign_count;
	site->outcomes = l.outcomes; /* already in the arena */
	site->outcome_count = l.outcome_count;
	site->exemptions = to_arena(&l, l.exemptions, l.exemption_count,
				    sizeof(*l.exemptions));
	site->exemption_count = l.exemption_count;
	if (l.page_count)
		qsort(l.pages, l.page_count, sizeof(*l.pages), compare_pages);
	site->pages = to_arena(&l, l.pages, l.page_count, sizeof(*l.pages));
	site->page_count = l.page_count;
	site->catalog_files = l.catalog_files;
	site->other_errors = errors->errors - errors_at_start - site->catalog_errors;
	loader_release(&l);
	return l.unreadable ? -1 : 0;
}

void content_release_documents(struct site *site)
{
	for (size_t i = 0; i < site->entity_count; i++)
		site->entities[i]->doc = NULL;
	for (size_t i = 0; i < site->document_arena_count; i++)
		arena_release(&site->documents[i]);
	free(site->documents);
	site->documents = NULL;
	site->document_arena_count = 0;
}
