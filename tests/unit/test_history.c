/*
 * Unit tests for history: days recorded in order, replaced, backfilled and
 * pruned, each checked against the snapshots themselves: the state at
 * every date and the changes between every pair of dates must be what the
 * recorded snapshots say. Then the series and its CSV/JSON, and files the
 * store must refuse without touching them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "date.h"
#include "eval.h"
#include "history.h"
#include "history_db.h" /* the kept state of the newest date */

#define MAX_E 8
#define MAX_R 4

/* One run: entities (sorted), rules (sorted) with definitions, and per
 * entity a string of states, one letter per rule: P F S N E. */
struct spec {
	const char *date;
	const char *entities[MAX_E];
	const char *rules[MAX_R];
	const char *definitions[MAX_R];
	const char *states[MAX_E];
};

static size_t count_of(const char *const *list, size_t max)
{
	size_t n = 0;
	while (n < max && list[n])
		n++;
	return n;
}

static int state_of_letter(char c)
{
	switch (c) {
	case 'P': return STATE_PASS;
	case 'F': return STATE_FAIL;
	case 'S': return STATE_SKIP;
	case 'N': return STATE_NO_DATA;
	case 'E': return STATE_EXEMPT;
	}
	fail_msg("bad state letter %c", c);
	return -1;
}

static day_t day_of(const char *text)
{
	day_t d;
	assert_int_equal(date_parse(text, &d), 0);
	return d;
}

/* The state of (entity, rule) in `s`, or HISTORY_ABSENT. */
static int spec_state(const struct spec *s, const char *entity, const char *rule)
{
	if (!s)
		return HISTORY_ABSENT;
	size_t ne = count_of(s->entities, MAX_E), nr = count_of(s->rules, MAX_R);
	for (size_t i = 0; i < ne; i++)
		for (size_t r = 0; r < nr; r++)
			if (!strcmp(s->entities[i], entity) && !strcmp(s->rules[r], rule))
				return state_of_letter(s->states[i][r]);
	return HISTORY_ABSENT;
}

static void record(struct history *h, const struct spec *s, long keep_days)
{
	size_t ne = count_of(s->entities, MAX_E), nr = count_of(s->rules, MAX_R);
	unsigned char states[MAX_E * MAX_R];
	struct history_aggregate agg[2] = {
		{ "", "", "", "", "", "", 0, 0, 0, 0, 0, 0, 0, NAN, ne },
		{ "sc", "", "team-a", "", "tier", "1", 0, 0, 0, 0, 0, 0, 0, NAN, ne },
	};
	for (size_t i = 0; i < ne; i++) {
		assert_int_equal(strlen(s->states[i]), nr);
		for (size_t r = 0; r < nr; r++) {
			states[i * nr + r] = (unsigned char)state_of_letter(s->states[i][r]);
			size_t *counts[] = { &agg[0].pass, &agg[0].fail, &agg[0].skip,
					     &agg[0].no_data, &agg[0].exempt };
			(*counts[states[i * nr + r]])++;
		}
	}
	if (agg[0].pass + agg[0].fail)
		agg[0].score = (double)agg[0].pass / (double)(agg[0].pass + agg[0].fail);
	agg[1].pass = agg[0].pass;
	struct history_snapshot snap = {
		.day = day_of(s->date),
		.aggregates = agg, .aggregate_count = 2,
		.entities = s->entities, .entity_count = ne,
		.rules = s->rules, .rule_count = nr,
		.rule_definitions = s->definitions,
		.states = states,
	};
	struct err e = ERR_INIT;
	if (history_record(h, &snap, keep_days, &e) != 0)
		fail_msg("recording %s: %s", s->date, e.msg);
}

static void check_state(struct history *h, const struct spec *s, const char *date)
{
	struct arena a = ARENA_INIT;
	struct err e = ERR_INIT;
	struct history_state st;
	if (history_state_at(h, &a, day_of(date), &st, &e) != 0)
		fail_msg("state at %s: %s", date, e.msg);
	size_t ne = s ? count_of(s->entities, MAX_E) : 0;
	size_t nr = s ? count_of(s->rules, MAX_R) : 0;
	if (st.entity_count != ne || st.rule_count != nr)
		fail_msg("state at %s: %zu x %zu, expected %zu x %zu", date,
			 st.entity_count, st.rule_count, ne, nr);
	for (size_t i = 0; i < ne; i++)
		assert_string_equal(st.entities[i], s->entities[i]);
	for (size_t r = 0; r < nr; r++) {
		assert_string_equal(st.rules[r], s->rules[r]);
		assert_string_equal(st.rule_definitions[r], s->definitions[r]);
	}
	for (size_t i = 0; i < ne; i++)
		for (size_t r = 0; r < nr; r++)
			if (st.states[i * nr + r] != state_of_letter(s->states[i][r]))
				fail_msg("state at %s of %s %s: %d, expected %c", date,
					 s->entities[i], s->rules[r],
					 st.states[i * nr + r], s->states[i][r]);
	arena_release(&a);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted union of two lists. */
static size_t union_of(const char *const *a, size_t na, const char *const *b,
		       size_t nb, const char **out)
{
	size_t n = 0;
	for (size_t i = 0; i < na; i++)
		out[n++] = a[i];
	for (size_t i = 0; i < nb; i++)
		out[n++] = b[i];
	qsort(out, n, sizeof(*out), compare_strings);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!k || strcmp(out[k - 1], out[i]))
			out[k++] = out[i];
	return k;
}

static bool listed(const char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

static const char *definition_of(const struct spec *s, const char *rule)
{
	for (size_t r = 0; s && r < count_of(s->rules, MAX_R); r++)
		if (!strcmp(s->rules[r], rule))
			return s->definitions[r];
	return NULL;
}

static void check_names(const char *what, const char **got, size_t got_n,
			const char **expect, size_t expect_n)
{
	if (got_n != expect_n)
		fail_msg("%s: %zu names, expected %zu", what, got_n, expect_n);
	for (size_t i = 0; i < got_n; i++)
		if (strcmp(got[i], expect[i]))
			fail_msg("%s: %s, expected %s", what, got[i], expect[i]);
}

/* history_changes between two dates against the two specs (NULL: nothing
 * recorded as of that date). */
static void check_changes(struct history *h, const char *from, const struct spec *a,
			  const char *to, const struct spec *b)
{
	static const struct spec none = { 0 };
	const struct spec *sa = a ? a : &none, *sb = b ? b : &none;
	struct arena ar = ARENA_INIT;
	struct err e = ERR_INIT;
	struct history_changes ch;
	if (history_changes(h, &ar, day_of(from), day_of(to), &ch, &e) != 0)
		fail_msg("changes %s..%s: %s", from, to, e.msg);
	const char *entities[2 * MAX_E], *rules[2 * MAX_R];
	size_t ne = union_of(sa->entities, count_of(sa->entities, MAX_E), sb->entities,
			     count_of(sb->entities, MAX_E), entities);
	size_t nr = union_of(sa->rules, count_of(sa->rules, MAX_R), sb->rules,
			     count_of(sb->rules, MAX_R), rules);
	const char *added[2 * MAX_E], *removed[2 * MAX_E];
	const char *r_added[2 * MAX_R], *r_removed[2 * MAX_R], *r_changed[2 * MAX_R];
	size_t n_added = 0, n_removed = 0, nr_added = 0, nr_removed = 0, nr_changed = 0;
	for (size_t i = 0; i < ne; i++) {
		bool in_a = listed(sa->entities, count_of(sa->entities, MAX_E), entities[i]);
		bool in_b = listed(sb->entities, count_of(sb->entities, MAX_E), entities[i]);
		if (in_b && !in_a)
			added[n_added++] = entities[i];
		if (in_a && !in_b)
			removed[n_removed++] = entities[i];
	}
	for (size_t r = 0; r < nr; r++) {
		const char *da = definition_of(sa, rules[r]), *db = definition_of(sb, rules[r]);
		if (db && !da)
			r_added[nr_added++] = rules[r];
		else if (da && !db)
			r_removed[nr_removed++] = rules[r];
		else if (strcmp(da, db))
			r_changed[nr_changed++] = rules[r];
	}
	char what[80];
	snprintf(what, sizeof(what), "%s..%s entities added", from, to);
	check_names(what, ch.entities_added, ch.entities_added_count, added, n_added);
	snprintf(what, sizeof(what), "%s..%s entities removed", from, to);
	check_names(what, ch.entities_removed, ch.entities_removed_count, removed, n_removed);
	snprintf(what, sizeof(what), "%s..%s rules added", from, to);
	check_names(what, ch.rules_added, ch.rules_added_count, r_added, nr_added);
	snprintf(what, sizeof(what), "%s..%s rules removed", from, to);
	check_names(what, ch.rules_removed, ch.rules_removed_count, r_removed, nr_removed);
	snprintf(what, sizeof(what), "%s..%s rules changed", from, to);
	check_names(what, ch.rules_changed, ch.rules_changed_count, r_changed, nr_changed);

	size_t k = 0;
	for (size_t i = 0; i < ne; i++) {
		for (size_t r = 0; r < nr; r++) {
			int old = spec_state(a, entities[i], rules[r]);
			int new = spec_state(b, entities[i], rules[r]);
			if (old == new)
				continue;
			if (k >= ch.cell_count)
				fail_msg("%s..%s: change of %s %s missing", from, to,
					 entities[i], rules[r]);
			const struct history_cell_change *c = &ch.cells[k++];
			if (strcmp(c->entity, entities[i]) || strcmp(c->rule, rules[r]) ||
			    c->old_state != old || c->new_state != new)
				fail_msg("%s..%s: got %s %s %d->%d, expected %s %s %d->%d",
					 from, to, c->entity, c->rule, c->old_state,
					 c->new_state, entities[i], rules[r], old, new);
		}
	}
	if (k != ch.cell_count)
		fail_msg("%s..%s: %zu cell changes, expected %zu", from, to,
			 ch.cell_count, k);
	arena_release(&ar);
}

/* Every date and every pair of dates against the specs that are recorded
 * (sorted by date), also one day before, between and after each. */
static void check_all(struct history *h, const struct spec *const *specs, size_t n)
{
	day_t *days;
	size_t count;
	struct err e = ERR_INIT;
	assert_int_equal(history_days(h, &days, &count, &e), 0);
	assert_int_equal(count, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(days[i], day_of(specs[i]->date));
	free(days);
	for (size_t i = 0; i < n; i++) {
		check_state(h, specs[i], specs[i]->date);
		char before[11], after[11];
		date_format(day_of(specs[i]->date) - 1, before);
		date_format(day_of(specs[i]->date) + 1, after);
		check_state(h, i ? specs[i - 1] : NULL, before);
		if (i + 1 == n || strcmp(after, specs[i + 1]->date))
			check_state(h, specs[i], after);
		for (size_t j = 0; j < n; j++)
			check_changes(h, specs[i]->date, specs[i], specs[j]->date, specs[j]);
		check_changes(h, before, i ? specs[i - 1] : NULL, specs[i]->date, specs[i]);
	}
}

/* Three days: a state change, an entity added, an entity removed, a rule
 * changed, a rule added and one removed, an entity back with its old states. */
static const struct spec d1 = {
	"2026-01-01", { "service:a", "service:b", "service:c" },
	{ "sc/r1", "sc/r2", "sc/r3" }, { "has(x)", "has(y)", "has(z)" },
	{ "PFS", "FFN", "PPE" },
};
static const struct spec d2 = {
	"2026-01-02", { "service:a", "service:b", "service:d" },
	{ "sc/r1", "sc/r2", "sc/r3" }, { "has(x)", "has(y2)", "has(z)" },
	{ "PPS", "FFN", "PFP" },
};
static const struct spec d3 = {
	"2026-01-03", { "service:a", "service:c", "service:d" },
	{ "sc/r1", "sc/r3", "sc/r4" }, { "has(x)", "has(z)", "has(w)" },
	{ "PSF", "PEP", "PPP" },
};
/* d2 again, differently */
static const struct spec d2b = {
	"2026-01-02", { "service:a", "service:c" },
	{ "sc/r1", "sc/r2", "sc/r3" }, { "has(x)", "has(y)", "has(z)" },
	{ "FFS", "PPE" },
};
static const struct spec d0 = {
	"2025-12-30", { "service:a", "service:z" },
	{ "sc/r0", "sc/r1" }, { "old", "has(x)" },
	{ "PF", "NN" },
};

static struct history *open_memory(void)
{
	struct history *h;
	struct err e = ERR_INIT;
	if (history_open(&h, ":memory:", HISTORY_WRITE, &e) != 0)
		fail_msg("open: %s", e.msg);
	return h;
}

static void test_three_days(void **state)
{
	(void)state;
	struct history *h = open_memory();
	record(h, &d1, 400);
	record(h, &d2, 400);
	record(h, &d3, 400);
	const struct spec *const specs[] = { &d1, &d2, &d3 };
	check_all(h, specs, 3);
	history_close(h);
}

/* "Failing since": the date each cell took the state it has. */
static day_t since_of(const struct history_state *st, const char *entity,
		      const char *rule)
{
	for (size_t i = 0; i < st->entity_count; i++)
		for (size_t r = 0; r < st->rule_count; r++)
			if (strcmp(st->entities[i], entity) == 0 &&
			    strcmp(st->rules[r], rule) == 0)
				return st->since[i * st->rule_count + r];
	fail_msg("no cell %s %s", entity, rule);
	return -1;
}

static void test_since(void **state)
{
	(void)state;
	struct history *h = open_memory();
	record(h, &d1, 400);
	record(h, &d2, 400);
	record(h, &d3, 400);
	struct arena a = ARENA_INIT;
	struct history_state st;
	struct err e = ERR_INIT;
	assert_int_equal(history_state_at(h, &a, day_of(d3.date), &st, &e), 0);
	assert_int_equal(st.oldest, day_of(d1.date));
	/* unchanged since the first date: "at least since" it */
	assert_int_equal(since_of(&st, "service:a", "sc/r1"), day_of(d1.date));
	assert_int_equal(since_of(&st, "service:a", "sc/r3"), day_of(d1.date));
	/* a rule new on d3, an entity back on d3, an entity new on d2 */
	assert_int_equal(since_of(&st, "service:a", "sc/r4"), day_of(d3.date));
	assert_int_equal(since_of(&st, "service:c", "sc/r1"), day_of(d3.date));
	assert_int_equal(since_of(&st, "service:d", "sc/r1"), day_of(d2.date));
	/* a state changed on d3 */
	assert_int_equal(since_of(&st, "service:d", "sc/r3"), day_of(d2.date));
	assert_int_equal(since_of(&st, "service:c", "sc/r3"), day_of(d3.date));
	arena_release(&a);
	history_close(h);
}

static void test_replace(void **state)
{
	(void)state;
	struct history *h = open_memory();
	record(h, &d1, 400);
	record(h, &d2, 400);
	record(h, &d3, 400);
	record(h, &d2b, 400);
	const struct spec *const specs[] = { &d1, &d2b, &d3 };
	check_all(h, specs, 3);
	record(h, &d3, 400); /* the newest replaced by itself */
	record(h, &d1, 400);
	check_all(h, specs, 3);
	record(h, &d2, 400);
	const struct spec *const again[] = { &d1, &d2, &d3 };
	check_all(h, again, 3);
	history_close(h);
}

static void test_backfill(void **state)
{
	(void)state;
	struct history *h = open_memory();
	record(h, &d1, 400);
	record(h, &d3, 400);
	const struct spec *const two[] = { &d1, &d3 };
	check_all(h, two, 2);
	record(h, &d2, 400);
	const struct spec *const three[] = { &d1, &d2, &d3 };
	check_all(h, three, 3);
	record(h, &d0, 400); /* before the first */
	const struct spec *const four[] = { &d0, &d1, &d2, &d3 };
	check_all(h, four, 4);
	history_close(h);

	/* The other orders of the same four days give the same history. */
	static const int orders[][4] = { { 3, 2, 1, 0 }, { 2, 0, 3, 1 }, { 1, 3, 0, 2 } };
	for (size_t o = 0; o < sizeof(orders) / sizeof(orders[0]); o++) {
		h = open_memory();
		for (int i = 0; i < 4; i++)
			record(h, four[orders[o][i]], 400);
		check_all(h, four, 4);
		history_close(h);
	}
}

/* Ten days of one entity whose states move; keep_days 3. */
static void test_prune(void **state)
{
	(void)state;
	static const char *const states[] = {
		"PPF", "PFF", "PFF", "FFF", "FFP", "FFP", "PFP", "PFP", "SFP", "SFP",
	};
	static struct spec specs[10];
	char dates[10][11];
	for (int i = 0; i < 10; i++) {
		date_format(day_of("2026-03-01") + i * 2, dates[i]);
		specs[i] = (struct spec){ dates[i], { "service:a", i % 3 ? "service:b" : NULL },
					  { "sc/r1", "sc/r2", "sc/r3" },
					  { "x", i < 5 ? "y" : "y2", "z" },
					  { states[i], states[(i + 3) % 10] } };
	}
	struct history *h = open_memory();
	for (int i = 0; i < 10; i++)
		record(h, &specs[i], 5); /* keeps dates >= newest - 5: three */
	const struct spec *kept[] = { &specs[7], &specs[8], &specs[9] };
	check_all(h, kept, 3);

	/* An entity absent on the oldest kept date, back later, and a date
	 * older than the window refused. */
	struct err e = ERR_INIT;
	unsigned char st[3] = { 0, 0, 0 };
	const char *ent[] = { "service:a" }, *rules[] = { "sc/r1", "sc/r2", "sc/r3" };
	struct history_snapshot old = { day_of("2026-03-01"), NULL, 0, ent, 1, rules, 3,
					NULL, st };
	assert_int_equal(history_record(h, &old, 5, &e), -1);
	assert_non_null(strstr(e.msg, "keep_days"));
	err_release(&e);
	/* Backfill inside the window, before the oldest kept date. */
	static struct spec early;
	char early_date[11];
	date_format(day_of(specs[7].date) - 1, early_date);
	early = specs[6];
	early.date = early_date;
	record(h, &early, 5);
	const struct spec *kept2[] = { &early, &specs[7], &specs[8], &specs[9] };
	check_all(h, kept2, 4);
	history_close(h);
}

static void collect_row(void *ctx, day_t day, const struct history_aggregate *a)
{
	history_writer_row(ctx, day, a);
}

static void test_series_export(void **state)
{
	(void)state;
	struct history *h = open_memory();
	record(h, &d1, 400);
	record(h, &d2, 400);
	struct history_writer w;
	struct buf out = BUF_INIT;
	struct err e = ERR_INIT;
	history_writer_begin(&w, &out, HISTORY_CSV);
	assert_int_equal(history_series(h, NULL, LONG_MIN, LONG_MAX, collect_row, &w, &e), 0);
	history_writer_end(&w);
	assert_string_equal(out.data,
		"date,scorecard,rule,team,campaign,application,tier,lifecycle,kind,level,"
		"pass,fail,no_data,skip,exempt,entities,score\n"
		"2026-01-01,,,,,,,,,,3,3,1,1,1,3,0.5\n"
		"2026-01-01,sc,,team-a,,,1,,,,3,0,0,0,0,3,\n"
		"2026-01-02,,,,,,,,,,4,3,1,1,0,3,0.5714\n"
		"2026-01-02,sc,,team-a,,,1,,,,4,0,0,0,0,3,\n");
	buf_reset(&out);
	struct history_filter f = { .team = "team-a" };
	history_writer_begin(&w, &out, HISTORY_JSON);
	assert_int_equal(history_series(h, &f, day_of("2026-01-02"), LONG_MAX, collect_row,
					&w, &e), 0);
	history_writer_end(&w);
	assert_string_equal(out.data,
		"[\n{\"date\":\"2026-01-02\",\"scorecard\":\"sc\",\"rule\":\"\","
		"\"team\":\"team-a\",\"campaign\":\"\",\"application\":\"\",\"tier\":\"1\","
		"\"lifecycle\":\"\",\"kind\":\"\",\"level\":\"\",\"pass\":4,\"fail\":0,"
		"\"no_data\":0,\"skip\":0,\"exempt\":0,\"entities\":3,\"score\":null}\n]\n");
	buf_reset(&out);
	f = (struct history_filter){ .scorecard = "", .dimension = "" };
	history_writer_begin(&w, &out, HISTORY_JSON);
	assert_int_equal(history_series(h, &f, LONG_MIN, day_of("2025-01-01"), collect_row,
					&w, &e), 0);
	history_writer_end(&w);
	assert_string_equal(out.data, "[]\n");
	buf_release(&out);
	history_close(h);
}

/* ---- files ---- */

static char tmpdir[64];

static int make_tmpdir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_history.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *data = malloc(1 << 20);
	*len = fread(data, 1, 1 << 20, f);
	fclose(f);
	return data;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void sql(const char *path, const char *text)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, text, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int64_t count_rows_where(const char *path, const char *table,
			       const char *where)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char text[160];
	snprintf(text, sizeof(text), "SELECT count(*) FROM %s WHERE %s", table, where);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, text, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static int64_t count_rows(const char *path, const char *table)
{
	return count_rows_where(path, table, "1");
}

/* history_open must fail with a message naming the file and containing
 * `expect`, and leave the file's bytes as they were. */
static void refused(const char *path, enum history_mode mode, const char *expect)
{
	size_t before_len, after_len;
	char *before = read_all(path, &before_len);
	struct history *h = NULL;
	struct err e = ERR_INIT;
	if (history_open(&h, path, mode, &e) == 0)
		fail_msg("%s opened, expected: %s", path, expect);
	assert_null(h);
	assert_string_equal(e.path, path);
	if (!strstr(e.msg, expect))
		fail_msg("%s: '%s' does not say '%s'", path, e.msg, expect);
	err_release(&e);
	char *after = read_all(path, &after_len);
	assert_int_equal(before_len, after_len);
	assert_memory_equal(before, after, before_len);
	free(before);
	free(after);
}

static void test_files(void **state)
{
	(void)state;
	char path[128], journal[160];
	snprintf(path, sizeof(path), "%s/history.db", tmpdir);
	snprintf(journal, sizeof(journal), "%s-journal", path);
	struct history *h;
	struct err e = ERR_INIT;

	/* Read mode wants the file; write mode creates it. */
	assert_int_equal(history_open(&h, path, HISTORY_READ, &e), -1);
	assert_string_equal(e.path, path);
	err_release(&e);
	assert_int_equal(history_open(&h, path, HISTORY_WRITE, &e), 0);
	record(h, &d1, 400);
	record(h, &d2, 400);
	history_close(h);
	/* Changes only: the same matrix on a later date adds no cell rows. */
	int64_t rows_before = count_rows(path, "cell_change");
	assert_int_equal(history_open(&h, path, HISTORY_WRITE, &e), 0);
	struct spec same = d2;
	same.date = "2026-01-05";
	record(h, &same, 400);
	history_close(h);
	assert_int_equal(count_rows(path, "cell_change"), rows_before);
	assert_int_equal(count_rows(path, "run"), 3);
	sql(path, "DELETE FROM run WHERE day = 20458; DELETE FROM aggregate WHERE day = 20458");
	assert_int_equal(access(journal, F_OK), -1); /* one self-contained file */
	assert_int_equal(history_open(&h, path, HISTORY_READ, &e), 0);
	const struct spec *const specs[] = { &d1, &d2 };
	check_all(h, specs, 2);
	history_close(h);

	/* Truncated: cut to its first pages. */
	char cut[160];
	snprintf(cut, sizeof(cut), "%s/cut.db", tmpdir);
	size_t len;
	char *data = read_all(path, &len);
	assert_true(len > 8192);
	write_file(cut, data, len / 2);
	refused(cut, HISTORY_WRITE, "not a yardstick history");
	refused(cut, HISTORY_READ, "not a yardstick history");
	write_file(cut, data, 50); /* shorter than the header */
	refused(cut, HISTORY_WRITE, "not a yardstick history");
	free(data);

	/* Not SQLite at all: an HTML page. */
	char html[160];
	snprintf(html, sizeof(html), "%s/page.db", tmpdir);
	static const char page[] =
		"<!DOCTYPE html><html><head><title>404</title></head><body>"
		"Not found. Lorem ipsum dolor sit amet, consectetur adipiscing elit, "
		"sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</body></html>\n";
	write_file(html, page, sizeof(page) - 1);
	refused(html, HISTORY_WRITE, "not a yardstick history");

	/* Another program's SQLite database. */
	char foreign[160];
	snprintf(foreign, sizeof(foreign), "%s/foreign.db", tmpdir);
	sql(foreign, "CREATE TABLE t (x); INSERT INTO t VALUES (1)");
	refused(foreign, HISTORY_WRITE, "another program");
	sql(foreign, "PRAGMA application_id = 1234");
	refused(foreign, HISTORY_READ, "application id 1234");

	/* A newer schema. */
	char newer[160];
	snprintf(newer, sizeof(newer), "%s/newer.db", tmpdir);
	assert_int_equal(history_open(&h, newer, HISTORY_WRITE, &e), 0);
	history_close(h);
	sql(newer, "PRAGMA user_version = 99");
	refused(newer, HISTORY_WRITE, "schema version 99, newer than this yardstick reads");
	refused(newer, HISTORY_READ, "upgrade yardstick");

	/* An empty file is a new history to write, nothing to read. */
	char empty[160];
	snprintf(empty, sizeof(empty), "%s/empty.db", tmpdir);
	write_file(empty, "", 0);
	struct history *r = NULL;
	assert_int_equal(history_open(&r, empty, HISTORY_READ, &e), -1);
	assert_non_null(strstr(e.msg, "empty"));
	err_release(&e);
	assert_int_equal(history_open(&h, empty, HISTORY_WRITE, &e), 0);
	history_close(h);
}

/* The same results recorded again for a date write nothing: the file
 * stays byte for byte as it was (an idle rebuild leaves history.db alone).
 * Different results for the date replace it; a run without a digest (one
 * recorded before schema version 3) is written again once. */
static void test_record_again(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/again.db", tmpdir);
	struct history *h;
	struct err e = ERR_INIT;
	assert_int_equal(history_open(&h, path, HISTORY_WRITE, &e), 0);
	record(h, &d1, 400);
	record(h, &d2, 400);
	record(h, &d3, 400);
	history_close(h);
	size_t len, again_len;
	char *before = read_all(path, &len);

	assert_int_equal(history_open(&h, path, HISTORY_WRITE, &e), 0);
	record(h, &d2, 400); /* between two recorded dates */
	record(h, &d3, 400); /* the newest */
	record(h, &d1, 400); /* the oldest */
	history_close(h);
	char *again = read_all(path, &again_len);
	assert_int_equal(again_len, len);
	assert_memory_equal(again, before, len);
	free(again);

	/* Other results for d2's date: rewritten, and every date still right. */
	assert_int_equal(history_open(&h, path, HISTORY_WRITE, &e), 0);
	record(h, &d2b, 400);
	const struct spec *const changed[] = { &d1, &d2b, &d3 };
	check_all(h, changed, 3);
	history_close(h);
	again = read_all(path, &again_len);
	assert_true(again_len != len || memcmp(again, before, len) != 0);
	free(again);
	free(before);

	/* A run without a digest is written again, then has one. */
	sql(path, "UPDATE run SET digest = NULL, recorded_at = 1");
	assert_int_equal(history_open(&h, path, HISTORY_WRITE, &e), 0);
	record(h, &d2, 400);
	const struct spec *const back[] = { &d1, &d2, &d3 };
	check_all(h, back, 3);
	history_close(h);
	assert_int_equal(count_rows_where(path, "run", "recorded_at > 1 AND digest IS NOT NULL"), 1);
	before = read_all(path, &len);
	assert_int_equal(history_open(&h, path, HISTORY_WRITE, &e), 0);
	record(h, &d2, 400);
	history_close(h);
	again = read_all(path, &again_len);
	assert_int_equal(again_len, len);
	assert_memory_equal(again, before, len);
	free(again);
	free(before);
}

/* The [history] keys of site.conf and their defaults. */
static void test_conf(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *file, *restore_url;
		long keep_days;
		size_t errors;
	} cases[] = {
		{ "[site]\n", "output/history.db", "", 400, 0 },
		{ "[site]\noutput = public\nbase_url = https://x.example/sc\n",
		  "public/history.db", "https://x.example/sc/history.db", 400, 0 },
		{ "[site]\nbase_url = https://x.example/\n[history]\nrestore_url =\n",
		  "output/history.db", "", 400, 0 },
		{ "[history]\nfile = h/all.db\nrestore_url = file:///srv/h.db\nkeep_days = 30\n",
		  "h/all.db", "file:///srv/h.db", 30, 0 },
		{ "[history]\nkeep_days = 0\n", "output/history.db", "", 400, 1 },
		{ "[history]\nrestore_url = ftp://x/h.db\n", "output/history.db", "", 400, 1 },
	};
	char path[128];
	snprintf(path, sizeof(path), "%s/site.conf", tmpdir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_file(path, cases[i].text, strlen(cases[i].text));
		struct arena a = ARENA_INIT;
		struct errlist errors = ERRLIST_INIT;
		struct conf c;
		assert_int_equal(conf_load(&a, path, &c, &errors), 0);
		if (errors.errors != cases[i].errors)
			fail_msg("case %zu: %zu errors", i, errors.errors);
		assert_string_equal(c.history_file, cases[i].file);
		assert_string_equal(c.restore_url, cases[i].restore_url);
		assert_int_equal(c.keep_days, cases[i].keep_days);
		errlist_release(&errors);
		arena_release(&a);
	}
}

/* Two whole states read through two connections are the same. */
static void assert_same_state(const struct history_state *a, const struct history_state *b,
			      const char *when)
{
	if (a->entity_count != b->entity_count || a->rule_count != b->rule_count ||
	    a->oldest != b->oldest)
		fail_msg("%s: %zu x %zu (oldest %ld) against %zu x %zu (oldest %ld)", when,
			 a->entity_count, a->rule_count, (long)a->oldest,
			 b->entity_count, b->rule_count, (long)b->oldest);
	for (size_t i = 0; i < a->entity_count; i++)
		assert_string_equal(a->entities[i], b->entities[i]);
	for (size_t r = 0; r < a->rule_count; r++) {
		assert_string_equal(a->rules[r], b->rules[r]);
		assert_string_equal(a->rule_definitions[r], b->rule_definitions[r]);
	}
	for (size_t k = 0; k < a->entity_count * a->rule_count; k++)
		if (a->states[k] != b->states[k] || a->since[k] != b->since[k])
			fail_msg("%s: cell %zu is %d since %ld against %d since %ld", when, k,
				 a->states[k], (long)a->since[k], b->states[k],
				 (long)b->since[k]);
}

/*
 * The state of the newest date that a recording keeps for the next read
 * (history_db.h) is the one a second connection reads from the file:
 * random dates, entities and rules coming and going, rules redefined,
 * dates recorded again or filled in behind, and pruning. Then a write by
 * another connection makes the kept state stale: it is not used.
 */
static void test_latest_state(void **state)
{
	(void)state;
	static const char *const entity_pool[] = { "api:a", "api:b", "svc:c", "svc:d",
						   "svc:e", "web:f" };
	static const char *const rule_pool[] = { "sc/r1", "sc/r2", "sc/r3", "sc2/r1" };
	static const char *const definitions[] = { "x", "y" };
	char path[128];
	snprintf(path, sizeof(path), "%s/latest.db", tmpdir);
	struct history *writer, *reader;
	struct err e = ERR_INIT;
	if (history_open(&writer, path, HISTORY_WRITE, &e) != 0 ||
	    history_open(&reader, path, HISTORY_WRITE, &e) != 0)
		fail_msg("open: %s", e.msg);
	srand(11);
	day_t newest = day_of("2026-01-01");
	size_t kept = 0;
	for (int step = 0; step < 60; step++) {
		const char *entities[6], *rules[4], *defs[4];
		unsigned char states[6 * 4];
		size_t ne = 0, nr = 0;
		for (size_t i = 0; i < 6; i++)
			if (rand() % 4)
				entities[ne++] = entity_pool[i];
		for (size_t r = 0; r < 4; r++)
			if (rand() % 5) {
				defs[nr] = definitions[rand() % 10 == 0];
				rules[nr++] = rule_pool[r];
			}
		for (size_t k = 0; k < ne * nr; k++)
			states[k] = (unsigned char)(rand() % 3 ? rand() % 2 : rand() % 5);
		/* Mostly the next date; sometimes the newest again, or one behind. */
		int kind = rand() % 6;
		day_t day = kind == 0 ? newest : kind == 1 ? newest - 1 - rand() % 3
			  : newest + 1 + rand() % 2;
		struct history_aggregate agg = { "", "", "", "", "", "", 0, 0, 0, 0, 0,
						 0, 0, NAN, ne };
		struct history_snapshot snap = { day, &agg, 1, entities, ne, rules, nr,
						 defs, states };
		if (history_record(writer, &snap, 8, &e) != 0)
			fail_msg("step %d: %s", step, e.msg);
		bool behind = day < newest;
		if (day > newest)
			newest = day;
		/* Kept unless a later date was recorded. */
		assert_int_equal(writer->has_latest, !behind);
		kept += writer->has_latest;
		struct arena a = ARENA_INIT;
		struct history_state from_file, from_memory;
		if (history_state_at(reader, &a, newest, &from_file, &e) != 0 ||
		    history_state_at(writer, &a, newest, &from_memory, &e) != 0)
			fail_msg("step %d: %s", step, e.msg);
		assert_false(writer->has_latest); /* taken once */
		char when[32];
		snprintf(when, sizeof(when), "step %d", step);
		assert_same_state(&from_memory, &from_file, when);
		arena_release(&a);
	}
	assert_true(kept > 30);

	/* Another connection records the newest date again after this one:
	 * this one reads the file, not what it kept. */
	const char *ents[] = { "api:a" }, *rls[] = { "sc/r1" }, *dfs[] = { "x" };
	unsigned char pass = STATE_PASS, fail = STATE_FAIL;
	struct history_aggregate agg = { "", "", "", "", "", "", 0, 0, 0, 0, 0, 0, 0,
					 NAN, 1 };
	struct history_snapshot mine = { newest + 1, &agg, 1, ents, 1, rls, 1, dfs, &pass };
	struct history_snapshot theirs = { newest + 1, &agg, 1, ents, 1, rls, 1, dfs, &fail };
	if (history_record(writer, &mine, 8, &e) != 0 ||
	    history_record(reader, &theirs, 8, &e) != 0)
		fail_msg("record: %s", e.msg);
	assert_true(writer->has_latest);
	struct arena a = ARENA_INIT;
	struct history_state st;
	if (history_state_at(writer, &a, newest + 1, &st, &e) != 0)
		fail_msg("state: %s", e.msg);
	assert_int_equal(st.entity_count * st.rule_count, 1);
	assert_int_equal(st.states[0], STATE_FAIL);
	arena_release(&a);
	history_close(writer);
	history_close(reader);
}

/*
 * Many changed cells at once (history.c inserts them in batches, the rest
 * one by one): two dates of 70 entities x 3 rules, read back through a
 * second connection, cell by cell.
 */
static void test_many_cells(void **state)
{
	(void)state;
	enum { NE = 70, NR = 3 };
	static char names[NE][32];
	const char *entities[NE], *rules[NR] = { "sc/a", "sc/b", "sc/c" };
	unsigned char states[2][NE * NR];
	for (int i = 0; i < NE; i++) {
		snprintf(names[i], sizeof(names[i]), "svc:e%03d", i);
		entities[i] = names[i];
	}
	for (int k = 0; k < NE * NR; k++) {
		states[0][k] = (unsigned char)(k % 5);
		/* 130 of the 210 cells change on the second date. */
		states[1][k] = k < 130 ? (unsigned char)((k + 1) % 5) : states[0][k];
	}
	char path[128];
	snprintf(path, sizeof(path), "%s/many.db", tmpdir);
	struct history *writer, *reader;
	struct err e = ERR_INIT;
	struct history_aggregate agg = { "", "", "", "", "", "", 0, 0, 0, 0, 0, 0, 0,
					 NAN, NE };
	if (history_open(&writer, path, HISTORY_WRITE, &e) != 0)
		fail_msg("open: %s", e.msg);
	day_t first = day_of("2026-05-01");
	for (int d = 0; d < 2; d++) {
		struct history_snapshot snap = { first + d, &agg, 1, entities, NE, rules, NR,
						 NULL, states[d] };
		if (history_record(writer, &snap, 30, &e) != 0)
			fail_msg("record: %s", e.msg);
	}
	history_close(writer);
	if (history_open(&reader, path, HISTORY_READ, &e) != 0)
		fail_msg("open: %s", e.msg);
	for (int d = 0; d < 2; d++) {
		struct arena a = ARENA_INIT;
		struct history_state st;
		if (history_state_at(reader, &a, first + d, &st, &e) != 0)
			fail_msg("state: %s", e.msg);
		assert_int_equal(st.entity_count, NE);
		assert_int_equal(st.rule_count, NR);
		for (int k = 0; k < NE * NR; k++) {
			day_t since = d == 1 && k < 130 ? first + 1 : first;
			if (st.states[k] != states[d][k] || st.since[k] != since)
				fail_msg("date %d, cell %d: %d since %ld, expected %d since %ld",
					 d, k, st.states[k], (long)st.since[k], states[d][k],
					 (long)since);
		}
		arena_release(&a);
	}
	history_close(reader);
}

/* test_latest_race: another connection that records right after this
 * one's COMMIT, before anything else (from a trace callback on COMMIT). */
static struct history *race_other;
static const struct history_snapshot *race_theirs;
static int race_armed;

static int race_on_commit(unsigned type, void *ctx, void *stmt, void *x)
{
	(void)ctx, (void)x;
	if (type == SQLITE_TRACE_PROFILE && race_armed &&
	    strcmp(sqlite3_sql((sqlite3_stmt *)stmt), "COMMIT") == 0) {
		race_armed = 0;
		struct err e = ERR_INIT;
		if (history_record(race_other, race_theirs, 30, &e) != 0)
			fail_msg("the other connection: %s", e.msg);
	}
	return 0;
}

/*
 * A commit by another connection just after this one's is seen: the kept
 * state is not used (it was, when the version was read after the commit).
 */
static void test_latest_race(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/race.db", tmpdir);
	struct history *writer, *reader;
	struct err e = ERR_INIT;
	if (history_open(&writer, path, HISTORY_WRITE, &e) != 0 ||
	    history_open(&race_other, path, HISTORY_WRITE, &e) != 0 ||
	    history_open(&reader, path, HISTORY_READ, &e) != 0)
		fail_msg("open: %s", e.msg);
	const char *ents[] = { "api:a" }, *rls[] = { "sc/r1" }, *dfs[] = { "x" };
	unsigned char pass = STATE_PASS, fail = STATE_FAIL;
	struct history_aggregate agg = { "", "", "", "", "", "", 0, 0, 0, 0, 0, 0, 0,
					 NAN, 1 };
	day_t day = day_of("2026-06-01");
	struct history_snapshot mine = { day, &agg, 1, ents, 1, rls, 1, dfs, &pass };
	struct history_snapshot theirs = { day, &agg, 1, ents, 1, rls, 1, dfs, &fail };
	race_theirs = &theirs;
	race_armed = 1;
	sqlite3_trace_v2(writer->db, SQLITE_TRACE_PROFILE, race_on_commit, NULL);
	if (history_record(writer, &mine, 30, &e) != 0)
		fail_msg("record: %s", e.msg);
	assert_int_equal(race_armed, 0);
	struct arena a = ARENA_INIT;
	struct history_state from_writer, from_file;
	if (history_state_at(writer, &a, day, &from_writer, &e) != 0 ||
	    history_state_at(reader, &a, day, &from_file, &e) != 0)
		fail_msg("state: %s", e.msg);
	assert_int_equal(from_file.states[0], STATE_FAIL);
	assert_int_equal(from_writer.states[0], STATE_FAIL);
	arena_release(&a);
	history_close(writer);
	history_close(race_other);
	history_close(reader);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_days),
		cmocka_unit_test(test_since),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_backfill),
		cmocka_unit_test(test_prune),
		cmocka_unit_test(test_series_export),
		cmocka_unit_test_setup_teardown(test_files, make_tmpdir, remove_tmpdir),
		cmocka_unit_test_setup_teardown(test_record_again, make_tmpdir, remove_tmpdir),
		cmocka_unit_test_setup_teardown(test_conf, make_tmpdir, remove_tmpdir),
		cmocka_unit_test_setup_teardown(test_latest_state, make_tmpdir,
						remove_tmpdir),
		cmocka_unit_test_setup_teardown(test_many_cells, make_tmpdir, remove_tmpdir),
		cmocka_unit_test_setup_teardown(test_latest_race, make_tmpdir, remove_tmpdir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
