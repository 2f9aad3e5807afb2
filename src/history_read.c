/*
 * history_read: the reads of the store (history.h): recorded days, the
 * aggregate series, the state as of a day and the changes between two
 * days. history.c opens the store and writes it, and its top comment says
 * how the matrix is kept as changes; history_db.h holds what both need.
 */
#include "history.h"

#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history_db.h"
#include "util.h"

/* A candidate cell whose state is still to be looked up. */
enum { CELL_UNKNOWN = -2 };

int history_days(struct history *h, day_t **days, size_t *count, struct err *e)
{
	sqlite3_stmt *st;
	*days = NULL;
	*count = 0;
	if (history_db_prepare(h, "SELECT day FROM run ORDER BY day", &st, e) != 0)
		return -1;
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(*days, *count + 1, alloc);
		(*days)[(*count)++] = (day_t)sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	free(*days);
	*days = NULL;
	*count = 0;
	return history_db_fail(h, e, "cannot read the history");
}

static void bind_filter(sqlite3_stmt *st, int col, const char *value)
{
	if (value)
		sqlite3_bind_text(st, col, value, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, col);
}

int history_series(struct history *h, const struct history_filter *f,
		   day_t since, day_t until, history_row_fn *fn, void *ctx,
		   struct err *e)
{
	static const char sql[] =
		"SELECT a.day, s.scorecard, s.rule, s.team, s.campaign, "
		"s.dimension, s.value, a.pass, a.fail, a.skip, a.no_data, "
		"a.exempt, a.weighted_pass, a.weighted_counted, a.score, "
		"a.entities FROM slice AS s JOIN aggregate AS a ON a.slice = s.id "
		"WHERE (?1 IS NULL OR s.scorecard = ?1) AND (?2 IS NULL OR s.rule = ?2) "
		"AND (?3 IS NULL OR s.team = ?3) AND (?4 IS NULL OR s.campaign = ?4) "
		"AND (?5 IS NULL OR s.dimension = ?5) AND (?6 IS NULL OR s.value = ?6) "
		"AND a.day BETWEEN ?7 AND ?8 ORDER BY a.day, s.scorecard, s.rule, "
		"s.team, s.campaign, s.dimension, s.value";
	sqlite3_stmt *st;
	if (history_db_prepare(h, sql, &st, e) != 0)
		return -1;
	static const struct history_filter any = { 0 };
	if (!f)
		f = &any;
	bind_filter(st, 1, f->scorecard);
	bind_filter(st, 2, f->rule);
	bind_filter(st, 3, f->team);
	bind_filter(st, 4, f->campaign);
	bind_filter(st, 5, f->dimension);
	bind_filter(st, 6, f->value);
	sqlite3_bind_int64(st, 7, since);
	sqlite3_bind_int64(st, 8, until);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct history_aggregate a = {
			.scorecard = (const char *)sqlite3_column_text(st, 1),
			.rule = (const char *)sqlite3_column_text(st, 2),
			.team = (const char *)sqlite3_column_text(st, 3),
			.campaign = (const char *)sqlite3_column_text(st, 4),
			.dimension = (const char *)sqlite3_column_text(st, 5),
			.value = (const char *)sqlite3_column_text(st, 6),
			.pass = (size_t)sqlite3_column_int64(st, 7),
			.fail = (size_t)sqlite3_column_int64(st, 8),
			.skip = (size_t)sqlite3_column_int64(st, 9),
			.no_data = (size_t)sqlite3_column_int64(st, 10),
			.exempt = (size_t)sqlite3_column_int64(st, 11),
			.weighted_pass = sqlite3_column_double(st, 12),
			.weighted_counted = sqlite3_column_double(st, 13),
			.score = sqlite3_column_type(st, 14) == SQLITE_NULL
					 ? NAN : sqlite3_column_double(st, 14),
			.entities = (size_t)sqlite3_column_int64(st, 15),
		};
		fn(ctx, (day_t)sqlite3_column_int64(st, 0), &a);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : history_db_fail(h, e, "cannot read the history");
}

/* The newest recorded date <= day into *recorded; *found false if none. */
static int recorded_on_or_before(struct history *h, day_t day, int64_t *recorded,
				 bool *found, struct err *e)
{
	return history_db_query_int(h, "SELECT max(day) FROM run WHERE day <= ?1",
				    day, recorded, found, e);
}

/* The state as of `day` (of the newest recorded date on or before it),
 * its cells too when `with_cells`; *recorded is that date, -1 if none. */
static int matrix_at(struct history *h, day_t day, bool with_cells,
		     struct matrix *m, int64_t *recorded, struct err *e)
{
	bool found;
	memset(m, 0, sizeof(*m));
	if (recorded_on_or_before(h, day, recorded, &found, e) != 0)
		return -1;
	if (!found) {
		*recorded = -1;
		return 0;
	}
	if (with_cells && history_db_matrix_take(h, *recorded, m))
		return 0;
	return history_db_matrix_load(h, *recorded, with_cells, m, e);
}

/* The refs of a table's ids ("entity" or "rule"), read once: an id to
 * its name is a binary search. Names are in the arena. */
struct ref_names {
	struct history *h;
	int64_t *ids; /* ascending */
	const char **names;
	size_t count;
};

static int ref_names_open(struct ref_names *r, struct history *h, struct arena *a,
			  const char *table, struct err *e)
{
	char sql[64];
	sqlite3_stmt *st;
	size_t alloc = 0, name_alloc = 0;
	int rc;
	memset(r, 0, sizeof(*r));
	r->h = h;
	snprintf(sql, sizeof(sql), "SELECT id, ref FROM %s ORDER BY id", table);
	if (history_db_prepare(h, sql, &st, e) != 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(r->ids, r->count + 1, alloc);
		ALLOC_GROW(r->names, r->count + 1, name_alloc);
		r->ids[r->count] = sqlite3_column_int64(st, 0);
		r->names[r->count++] =
			arena_strdup(a, (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : history_db_fail(h, e, "cannot read the history");
}

static void ref_names_release(struct ref_names *r)
{
	free(r->ids);
	free(r->names);
	memset(r, 0, sizeof(*r));
}

static const char *ref_name(struct ref_names *r, int64_t id, struct err *e)
{
	size_t at;
	if (!history_db_id_find(r->ids, r->count, id, &at)) {
		err_path(e, ERR_ERROR, r->h->path,
			 "broken history: a change names an unknown entity or rule");
		return NULL;
	}
	return r->names[at];
}

struct named {
	const char *name;
	size_t index;
};

static int named_compare(const void *pa, const void *pb)
{
	const struct named *a = pa, *b = pb;
	return strcmp(a->name, b->name);
}

/* Names of `ids` sorted by name into names[], and for each id's position in
 * `ids` its position in names[] (pos). */
static int sorted_names(struct ref_names *r, const int64_t *ids, size_t n,
			const char **names, size_t *pos, struct err *e)
{
	struct named *order = xcalloc(n + 1, sizeof(*order));
	for (size_t i = 0; i < n; i++) {
		order[i] = (struct named){ ref_name(r, ids[i], e), i };
		if (!order[i].name) {
			free(order);
			return -1;
		}
	}
	qsort(order, n, sizeof(*order), named_compare);
	for (size_t i = 0; i < n; i++) {
		names[i] = order[i].name;
		pos[order[i].index] = i;
	}
	free(order);
	return 0;
}

int history_state_at(struct history *h, struct arena *a, day_t day,
		     struct history_state *out, struct err *e)
{
	struct matrix m;
	struct ref_names entities = { 0 }, rules = { 0 };
	size_t *entity_pos = NULL, *rule_pos = NULL;
	int status = -1;
	memset(out, 0, sizeof(*out));
	out->day = day;
	int64_t recorded;
	if (matrix_at(h, day, true, &m, &recorded, e) != 0)
		return -1;
	if (ref_names_open(&entities, h, a, "entity", e) != 0 ||
	    ref_names_open(&rules, h, a, "rule", e) != 0)
		goto done;
	size_t ne = m.entity_count, nr = m.rule_count;
	out->entities = arena_alloc_array(a, ne + 1, sizeof(char *));
	out->rules = arena_alloc_array(a, nr + 1, sizeof(char *));
	out->rule_definitions = arena_alloc_array(a, nr + 1, sizeof(char *));
	out->states = arena_alloc_array(a, ne * nr + 1, 1);
	out->since = arena_alloc_array(a, ne * nr + 1, sizeof(day_t));
	entity_pos = xcalloc(ne + 1, sizeof(size_t));
	rule_pos = xcalloc(nr + 1, sizeof(size_t));
	if (sorted_names(&entities, m.entities, ne, out->entities, entity_pos, e) != 0 ||
	    sorted_names(&rules, m.rules, nr, out->rules, rule_pos, e) != 0)
		goto done;
	out->entity_count = ne;
	out->rule_count = nr;
	for (size_t r = 0; r < nr; r++)
		out->rule_definitions[rule_pos[r]] = arena_strdup(a, m.definitions[r]);
	memset(out->states, HISTORY_ABSENT, ne * nr);
	for (size_t k = 0; k < ne * nr; k++)
		out->since[k] = -1;
	for (size_t k = 0; k < m.cell_count; k++) {
		size_t i, r;
		history_db_id_find(m.entities, ne, m.cells[k].entity, &i);
		history_db_id_find(m.rules, nr, m.cells[k].rule, &r);
		size_t cell = entity_pos[i] * nr + rule_pos[r];
		out->states[cell] = (signed char)m.cells[k].state;
		out->since[cell] = (day_t)m.cells[k].day;
	}
	int64_t oldest;
	bool found;
	if (history_db_query_int(h, "SELECT min(day) FROM run", 0, &oldest, &found, e) != 0)
		goto done;
	out->oldest = found ? (day_t)oldest : -1;
	status = 0;
done:
	ref_names_release(&entities);
	ref_names_release(&rules);
	free(entity_pos);
	free(rule_pos);
	history_db_matrix_release(&m);
	if (status != 0)
		memset(out, 0, sizeof(*out));
	return status;
}

/* A growable array of names, copied into the arena at the end. */
struct name_list {
	const char **items;
	size_t count, alloc;
};

static void name_list_add(struct name_list *l, const char *name)
{
	ALLOC_GROW(l->items, l->count + 1, l->alloc);
	l->items[l->count++] = name;
}

static int string_compare(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static const char **name_list_finish(struct name_list *l, struct arena *a,
				     size_t *count)
{
	const char **items = arena_alloc_array(a, l->count + 1, sizeof(char *));
	if (l->count)
		memcpy(items, l->items, l->count * sizeof(char *));
	qsort(items, l->count, sizeof(char *), string_compare);
	*count = l->count;
	free(l->items);
	memset(l, 0, sizeof(*l));
	return items;
}

static int cell_change_compare(const void *pa, const void *pb)
{
	const struct history_cell_change *a = pa, *b = pb;
	int c = strcmp(a->entity, b->entity);
	return c ? c : strcmp(a->rule, b->rule);
}

/*
 * The cells that may differ between recorded dates rf < rt, with their
 * states there: those with a change row in (rf, rt], and every cell of an
 * entity or rule that came or went. Any other cell has the same state at
 * both dates (its newest change is on or before rf), so a build compares a
 * few thousand cells instead of loading the whole matrix twice.
 */
static int candidate_cells(struct history *h, int64_t rf, int64_t rt,
			   const struct matrix *old, const struct matrix *cur,
			   struct cell **out, size_t *count, struct err *e)
{
	struct cell *cells = NULL;
	size_t n = 0, alloc = 0;
	sqlite3_stmt *st = NULL;
	int rc;
	*out = NULL;
	*count = 0;
	/* With the newest such row's state: the cell's state at rt, when its
	 * entity and rule are there (CELL_UNKNOWN marks the others). */
	/* In the primary key's order: a cell's last row is its newest. */
	if (history_db_prepare(h, "SELECT entity, rule, state, day FROM cell_change "
				  "WHERE day > ?1 AND day <= ?2 ORDER BY entity, rule, day",
			       &st, e) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, rf);
	sqlite3_bind_int64(st, 2, rt);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cell c = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
				  sqlite3_column_int(st, 2), sqlite3_column_int64(st, 3) };
		if (n && history_db_cell_compare(&cells[n - 1], &c) == 0) {
			cells[n - 1] = c;
			continue;
		}
		ALLOC_GROW(cells, n + 1, alloc);
		cells[n++] = c;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(cells);
		return history_db_fail(h, e, "cannot read the history");
	}
	/* Entities (rules) present at one date only: all their cells. */
	const struct matrix *sides[2] = { old, cur };
	for (int side = 0; side < 2; side++) {
		const struct matrix *m = sides[side], *other = sides[!side];
		for (size_t i = 0; i < m->entity_count; i++) {
			if (history_db_id_find(other->entities, other->entity_count,
					       m->entities[i], NULL))
				continue;
			for (size_t r = 0; r < m->rule_count; r++) {
				ALLOC_GROW(cells, n + 1, alloc);
				cells[n++] = (struct cell){ m->entities[i], m->rules[r],
							    CELL_UNKNOWN, 0 };
			}
		}
		for (size_t r = 0; r < m->rule_count; r++) {
			if (history_db_id_find(other->rules, other->rule_count,
					       m->rules[r], NULL))
				continue;
			for (size_t i = 0; i < m->entity_count; i++) {
				ALLOC_GROW(cells, n + 1, alloc);
				cells[n++] = (struct cell){ m->entities[i], m->rules[r],
							    CELL_UNKNOWN, 0 };
			}
		}
	}
	if (n)
		qsort(cells, n, sizeof(*cells), history_db_cell_compare);
	/* A cell listed twice keeps the state from the query. */
	size_t unique = 0;
	for (size_t i = 0; i < n; i++) {
		if (unique &&
		    history_db_cell_compare(&cells[unique - 1], &cells[i]) == 0) {
			if (cells[unique - 1].state == CELL_UNKNOWN)
				cells[unique - 1].state = cells[i].state;
			continue;
		}
		cells[unique++] = cells[i];
	}
	*out = cells;
	*count = unique;
	return 0;
}

/* A cell's state as of recorded date `day` in matrix `m` (its presences),
 * or HISTORY_ABSENT. `st` looks up the newest change on or before a day. */
static int cell_state_at(struct history *h, sqlite3_stmt *st, const struct matrix *m,
			 int64_t day, const struct cell *c, int *state, struct err *e)
{
	*state = HISTORY_ABSENT;
	if (!history_db_id_find(m->entities, m->entity_count, c->entity, NULL) ||
	    !history_db_id_find(m->rules, m->rule_count, c->rule, NULL))
		return 0;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, c->entity);
	sqlite3_bind_int64(st, 2, c->rule);
	sqlite3_bind_int64(st, 3, day);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*state = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
		       ? 0
		       : history_db_fail(h, e, "cannot read the history");
}

int history_changes(struct history *h, struct arena *a, day_t from, day_t to,
		    struct history_changes *out, struct err *e)
{
	struct matrix old = { 0 }, cur = { 0 };
	struct ref_names entities = { 0 }, rules = { 0 };
	struct name_list added = { 0 }, removed = { 0 }, rules_added = { 0 },
			 rules_removed = { 0 }, rules_changed = { 0 };
	struct history_cell_change *cells = NULL;
	struct cell *candidates = NULL;
	sqlite3_stmt *lookup = NULL;
	size_t cell_count = 0, cell_alloc = 0, candidate_count = 0;
	int64_t rf, rt;
	int status = -1;
	memset(out, 0, sizeof(*out));
	/* One read transaction: a consistent view, and the lock taken once. */
	if (history_db_exec(h, "BEGIN", "cannot read the history", e) != 0)
		return -1;
	/* A side with nothing recorded (or dates the wrong way round) is
	 * compared matrix against matrix; otherwise only the candidates. */
	bool found_from, found_to, whole;
	if (recorded_on_or_before(h, from, &rf, &found_from, e) != 0 ||
	    recorded_on_or_before(h, to, &rt, &found_to, e) != 0)
		goto done;
	whole = !found_from || !found_to || rf >= rt;
	if (matrix_at(h, from, whole, &old, &rf, e) != 0 ||
	    matrix_at(h, to, whole, &cur, &rt, e) != 0 ||
	    ref_names_open(&entities, h, a, "entity", e) != 0 ||
	    ref_names_open(&rules, h, a, "rule", e) != 0)
		goto done;

	size_t i = 0, j = 0;
	while (i < old.entity_count || j < cur.entity_count) {
		if (j == cur.entity_count ||
		    (i < old.entity_count && old.entities[i] < cur.entities[j])) {
			const char *name = ref_name(&entities, old.entities[i++], e);
			if (!name)
				goto done;
			name_list_add(&removed, name);
		} else if (i == old.entity_count || cur.entities[j] < old.entities[i]) {
			const char *name = ref_name(&entities, cur.entities[j++], e);
			if (!name)
				goto done;
			name_list_add(&added, name);
		} else {
			i++, j++;
		}
	}
	for (i = 0, j = 0; i < old.rule_count || j < cur.rule_count;) {
		struct name_list *list;
		int64_t id;
		if (j == cur.rule_count ||
		    (i < old.rule_count && old.rules[i] < cur.rules[j])) {
			list = &rules_removed;
			id = old.rules[i++];
		} else if (i == old.rule_count || cur.rules[j] < old.rules[i]) {
			list = &rules_added;
			id = cur.rules[j++];
		} else {
			bool same = strcmp(old.definitions[i], cur.definitions[j]) == 0;
			list = &rules_changed;
			id = cur.rules[j];
			i++, j++;
			if (same)
				continue;
		}
		const char *name = ref_name(&rules, id, e);
		if (!name)
			goto done;
		name_list_add(list, name);
	}
	if (!whole) {
		if (candidate_cells(h, rf, rt, &old, &cur, &candidates, &candidate_count,
				    e) != 0 ||
		    history_db_prepare(h, "SELECT state FROM cell_change WHERE "
					  "entity = ?1 AND rule = ?2 AND day <= ?3 "
					  "ORDER BY day DESC LIMIT 1",
				       &lookup, e) != 0)
			goto done;
	}
	for (size_t k = 0, oi = 0, ci = 0;
	     whole ? oi < old.cell_count || ci < cur.cell_count : k < candidate_count;
	     k++) {
		const struct cell *which;
		int before, after;
		if (whole) {
			const struct cell *o = oi < old.cell_count ? &old.cells[oi] : NULL;
			const struct cell *c = ci < cur.cell_count ? &cur.cells[ci] : NULL;
			int order = !o ? 1 : !c ? -1 : history_db_cell_compare(o, c);
			which = order <= 0 ? o : c;
			before = order <= 0 ? o->state : HISTORY_ABSENT;
			after = order >= 0 ? c->state : HISTORY_ABSENT;
			oi += order <= 0;
			ci += order >= 0;
		} else {
			which = &candidates[k];
			bool present = history_db_id_find(cur.entities, cur.entity_count,
							  which->entity, NULL) &&
				       history_db_id_find(cur.rules, cur.rule_count,
							  which->rule, NULL);
			after = present ? which->state : HISTORY_ABSENT;
			if (cell_state_at(h, lookup, &old, rf, which, &before, e) != 0 ||
			    (present && after == CELL_UNKNOWN &&
			     cell_state_at(h, lookup, &cur, rt, which, &after, e) != 0))
				goto done;
		}
		if (before == after)
			continue;
		ALLOC_GROW(cells, cell_count + 1, cell_alloc);
		struct history_cell_change *ch = &cells[cell_count++];
		ch->entity = ref_name(&entities, which->entity, e);
		ch->rule = ch->entity ? ref_name(&rules, which->rule, e) : NULL;
		if (!ch->rule)
			goto done;
		ch->old_state = before;
		ch->new_state = after;
	}
	out->from = from;
	out->to = to;
	out->cells = arena_alloc_array(a, cell_count + 1, sizeof(*cells));
	if (cell_count)
		memcpy(out->cells, cells, cell_count * sizeof(*cells));
	qsort(out->cells, cell_count, sizeof(*cells), cell_change_compare);
	out->cell_count = cell_count;
	status = 0;
done:
	sqlite3_finalize(lookup);
	if (status == 0 &&
	    history_db_exec(h, "COMMIT", "cannot read the history", e) != 0)
		status = -1;
	history_db_rollback(h);
	out->entities_added = name_list_finish(&added, a, &out->entities_added_count);
	out->entities_removed = name_list_finish(&removed, a, &out->entities_removed_count);
	out->rules_added = name_list_finish(&rules_added, a, &out->rules_added_count);
	out->rules_removed = name_list_finish(&rules_removed, a, &out->rules_removed_count);
	out->rules_changed = name_list_finish(&rules_changed, a, &out->rules_changed_count);
	if (status != 0)
		memset(out, 0, sizeof(*out));
	free(cells);
	free(candidates);
	ref_names_release(&entities);
	ref_names_release(&rules);
	history_db_matrix_release(&old);
	history_db_matrix_release(&cur);
	return status;
}

int history_cell_changes(struct history *h, day_t since, day_t until,
			 history_cell_fn *fn, void *ctx, struct err *e)
{
	struct arena a = ARENA_INIT;
	struct ref_names entities = { 0 }, rules = { 0 };
	sqlite3_stmt *st = NULL;
	int status = -1, rc;
	if (history_db_exec(h, "BEGIN", "cannot read the history", e) != 0)
		return -1;
	if (ref_names_open(&entities, h, &a, "entity", e) != 0 ||
	    ref_names_open(&rules, h, &a, "rule", e) != 0 ||
	    history_db_prepare(h, "SELECT entity, rule, day, state FROM cell_change "
				  "WHERE day > ?1 AND day <= ?2 "
				  "ORDER BY entity, rule, day", &st, e) != 0)
		goto done;
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, until);
	/* The primary key's order: by entity, rule and date. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *entity = ref_name(&entities, sqlite3_column_int64(st, 0), e);
		const char *rule = entity ? ref_name(&rules, sqlite3_column_int64(st, 1), e)
					  : NULL;
		if (!rule)
			goto done;
		fn(ctx, entity, rule, (day_t)sqlite3_column_int64(st, 2),
		   sqlite3_column_int(st, 3));
	}
	if (rc != SQLITE_DONE) {
		history_db_fail(h, e, "cannot read the history");
		goto done;
	}
	status = 0;
done:
	sqlite3_finalize(st);
	if (status == 0 && history_db_exec(h, "COMMIT", "cannot read the history", e) != 0)
		status = -1;
	history_db_rollback(h);
	ref_names_release(&entities);
	ref_names_release(&rules);
	arena_release(&a);
	return status;
}
