/*
 * history_export: recorded aggregates as the long-format time series of
 * docs/history.md, CSV or JSON (history.h declares the writer).
 */
#include "history.h"

#include <math.h>
#include <string.h>

#include "date.h"
#include "escape.h"
#include "util.h"

/* The export's columns after date and the four slice keys: one per
 * dimension (index 0, "", the aggregates of no dimension, has none). */
static const char *const export_dimensions[] = {
	NULL, "application", "tier", "lifecycle", "kind", "level",
};

void history_writer_begin(struct history_writer *w, struct buf *out,
			  enum history_format format)
{
	w->out = out;
	w->format = format;
	w->rows = 0;
	if (format == HISTORY_CSV)
		buf_adds(out, "date,scorecard,rule,team,campaign,application,tier,"
			      "lifecycle,kind,level,pass,fail,no_data,skip,exempt,"
			      "entities,score\n");
	else
		buf_addch(out, '[');
}

/* ,"name": */
static void add_json_key(struct buf *out, const char *name)
{
	buf_adds(out, ",\"");
	buf_adds(out, name);
	buf_adds(out, "\":");
}

void history_writer_row(void *writer, day_t day, const struct history_aggregate *a)
{
	struct history_writer *w = writer;
	struct buf *out = w->out;
	char date[11];
	date_format(day, date);
	size_t dim = 0; /* the aggregate's dimension column, 0 for none */
	for (size_t d = 1; d < ARRAY_SIZE(export_dimensions); d++)
		if (strcmp(a->dimension, export_dimensions[d]) == 0)
			dim = d;
	const char *keys[] = { a->scorecard, a->rule, a->team, a->campaign };
	static const char *const key_names[] = { "scorecard", "rule", "team", "campaign" };
	const size_t counts[] = { a->pass, a->fail, a->no_data, a->skip, a->exempt,
				  a->entities };
	static const char *const count_names[] = { "pass", "fail", "no_data", "skip",
						   "exempt", "entities" };
	if (w->format == HISTORY_CSV) {
		buf_adds(out, date);
		for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
			buf_addch(out, ',');
			escape_csv_field(out, keys[i]);
		}
		for (size_t d = 1; d < ARRAY_SIZE(export_dimensions); d++) {
			buf_addch(out, ',');
			if (d == dim)
				escape_csv_field(out, a->value);
		}
		for (size_t i = 0; i < ARRAY_SIZE(counts); i++) {
			buf_addch(out, ',');
			buf_add_uint(out, counts[i]);
		}
		buf_addch(out, ',');
		if (!isnan(a->score))
			buf_add_number(out, round(a->score * 10000) / 10000);
		buf_addch(out, '\n');
	} else {
		buf_adds(out, w->rows ? ",\n" : "\n");
		/* No printf: a year of a large site's series is a million
		 * fields. Names and dates need no escaping. */
		buf_adds(out, "{\"date\":\"");
		buf_adds(out, date);
		buf_addch(out, '"');
		for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
			add_json_key(out, key_names[i]);
			escape_json_string(out, keys[i]);
		}
		for (size_t d = 1; d < ARRAY_SIZE(export_dimensions); d++) {
			add_json_key(out, export_dimensions[d]);
			escape_json_string(out, d == dim ? a->value : "");
		}
		for (size_t i = 0; i < ARRAY_SIZE(counts); i++) {
			add_json_key(out, count_names[i]);
			buf_add_uint(out, counts[i]);
		}
		buf_adds(out, ",\"score\":");
		if (isnan(a->score))
			buf_adds(out, "null");
		else
			buf_add_number(out, round(a->score * 10000) / 10000);
		buf_addch(out, '}');
	}
	w->rows++;
}

void history_writer_end(struct history_writer *w)
{
	if (w->format == HISTORY_JSON)
		buf_adds(w->out, w->rows ? "\n]\n" : "]\n");
}

