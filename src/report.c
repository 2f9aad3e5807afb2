#include "report.h"

#include <math.h>
#include <string.h>

#include "date.h"
#include "escape.h"
#include "model.h"

void report_sink_init(struct report_sink *sink,
		      int (*flush)(void *ctx, const char *data, size_t len),
		      void *ctx)
{
	buf_init(&sink->text);
	sink->flush = flush;
	sink->ctx = ctx;
	sink->status = 0;
}

static void sink_flush(struct report_sink *sink)
{
	if (sink->status == 0 && sink->text.len &&
	    sink->flush(sink->ctx, sink->text.data, sink->text.len) != 0)
		sink->status = -1;
	buf_reset(&sink->text);
}

/* Called between records: hand the text on once it is large enough. */
static void sink_check(struct report_sink *sink)
{
	if (sink->flush && sink->text.len >= REPORT_FLUSH_AT)
		sink_flush(sink);
}

int report_sink_finish(struct report_sink *sink)
{
	if (sink->flush) {
		sink_flush(sink);
		buf_release(&sink->text);
	}
	return sink->status;
}

static void json_opt_string(struct buf *out, const char *s)
{
	if (s)
		escape_json_string(out, s);
	else
		buf_adds(out, "null");
}

/* Scores are rounded to 4 decimals: 0.6667, not 0.66666666666666663. */
static void json_score(struct buf *out, double score)
{
	if (isnan(score)) {
		buf_adds(out, "null");
		return;
	}
	buf_add_number(out, round(score * 10000) / 10000);
}

static void json_tally(struct buf *out, const struct tally *t)
{
	buf_addf(out, "\"pass\":%zu,\"fail\":%zu,\"skip\":%zu,"
		 "\"no_data\":%zu,\"exempt\":%zu",
		 t->pass, t->fail, t->skip, t->no_data, t->exempt);
}

static bool want_scorecard(const struct report_filter *f, const struct scorecard *sc)
{
	return !f->scorecard || strcmp(f->scorecard, sc->id) == 0;
}

/* Whether team `t` passes the filter: it is the team asked for or one of
 * its sub-teams. */
static bool want_team(const struct rollup *ru, const struct report_filter *f,
		      size_t t)
{
	return !f->team ||
	       rollup_team_within(ru, t, site_team_index(ru->site, f->team));
}

static bool want_entity(const struct rollup *ru, const struct report_filter *f,
			size_t e)
{
	if (f->entity && strcmp(f->entity, ru->site->entities[e]->ref) != 0)
		return false;
	return want_team(ru, f, ru->entity_team[e]);
}

static void json_scorecards(const struct rollup *ru, const struct report_filter *f,
			    struct report_sink *sink)
{
	struct buf *out = &sink->text;
	const struct eval *ev = ru->ev;
	const struct site *site = ev->site;
	buf_adds(out, "\"scorecards\":[");
	const char *sep = "\n";
	for (size_t s = 0; s < site->scorecard_count; s++) {
		const struct scorecard *sc = site->scorecards[s];
		if (!want_scorecard(f, sc))
			continue;
		buf_adds(out, sep);
		sep = ",\n";
		buf_adds(out, "{\"id\":");
		escape_json_string(out, sc->id);
		buf_adds(out, ",\"name\":");
		escape_json_string(out, sc->name);
		buf_adds(out, ",\"owner\":");
		json_opt_string(out, sc->owner);
		buf_adds(out, ",\"score\":");
		json_score(out, eval_tally_score(&ev->scorecard_tallies[s]));
		buf_addch(out, ',');
		json_tally(out, &ev->scorecard_tallies[s]);
		buf_adds(out, ",\"levels\":[");
		for (size_t l = 0; l < sc->level_count; l++) {
			buf_addf(out, "%s{\"level\":%d,\"name\":", l ? "," : "",
				 sc->levels[l].number);
			escape_json_string(out, sc->levels[l].name);
			buf_addch(out, '}');
		}
		buf_adds(out, "],\"rules\":[");
		for (size_t r = 0; r < sc->rule_count; r++) {
			const struct rule *rule = &sc->rules[r];
			const struct tally *t = &ev->rule_tallies[ev->rule_offset[s] + r];
			buf_adds(out, r ? ",\n{\"id\":" : "\n{\"id\":");
			escape_json_string(out, rule->id);
			buf_adds(out, ",\"name\":");
			escape_json_string(out, rule->name);
			buf_adds(out, ",\"owner\":");
			json_opt_string(out, rule->owner);
			buf_addf(out, ",\"level\":%d,\"score\":", rule->level);
			json_score(out, eval_tally_score(t));
			buf_addch(out, ',');
			json_tally(out, t);
			buf_addch(out, '}');
		}
		buf_adds(out, "]}");
		sink_check(sink);
	}
	buf_adds(out, "\n],\n");
}

static void json_entities(const struct rollup *ru, const struct report_filter *f,
			  struct report_sink *sink)
{
	struct buf *out = &sink->text;
	const struct eval *ev = ru->ev;
	const struct site *site = ev->site;
	buf_adds(out, "\"entities\":[");
	const char *sep = "\n";
	for (size_t e = 0; e < site->entity_count; e++) {
		const struct entity *ent = site->entities[e];
		if (!want_entity(ru, f, e))
			continue;
		buf_adds(out, sep);
		sep = ",\n";
		buf_adds(out, "{\"ref\":");
		escape_json_string(out, ent->ref);
		buf_adds(out, ",\"name\":");
		escape_json_string(out, ent->display_name);
		buf_adds(out, ",\"team\":");
		json_opt_string(out, ent->owner);
		buf_adds(out, ",\"score\":");
		json_score(out, ru->entity_score[e]);
		buf_addch(out, ',');
		json_tally(out, &ru->entity_totals[e]);
		buf_adds(out, ",\"scorecards\":[");
		const char *sc_sep = "";
		for (size_t s = 0; s < site->scorecard_count; s++) {
			const struct scorecard *sc = site->scorecards[s];
			if (!want_scorecard(f, sc))
				continue;
			const struct entity_score *es =
				&ev->entity_scores[e * site->scorecard_count + s];
			buf_adds(out, sc_sep);
			sc_sep = ",";
			buf_adds(out, "\n{\"id\":");
			escape_json_string(out, sc->id);
			buf_adds(out, ",\"score\":");
			json_score(out, es->score);
			buf_adds(out, ",\"level\":");
			if (es->level < 0)
				buf_adds(out, "null");
			else
				buf_addf(out, "%d", es->level);
			buf_adds(out, ",\"rules\":[");
			for (size_t r = 0; r < sc->rule_count; r++) {
				const struct rule_result *res =
					eval_result(ev, e, ev->rule_offset[s] + r);
				buf_adds(out, r ? ",\n{\"id\":" : "\n{\"id\":");
				escape_json_string(out, sc->rules[r].id);
				buf_adds(out, ",\"state\":\"");
				buf_adds(out, eval_state_name(res->state));
				buf_adds(out, "\",\"reason\":");
				escape_json_string(out, res->reason);
				buf_addch(out, '}');
			}
			buf_adds(out, "]}");
		}
		buf_adds(out, "]}");
		sink_check(sink);
	}
	buf_adds(out, "\n],\n");
}

static void json_teams(const struct rollup *ru, const struct report_filter *f,
		       struct report_sink *sink)
{
	struct buf *out = &sink->text;
	const struct eval *ev = ru->ev;
	const struct site *site = ev->site;
	buf_adds(out, "\"teams\":[");
	const char *sep = "\n";
	for (size_t t = 0; t < site->team_count; t++) {
		const struct team *team = site->teams[t];
		if (!want_team(ru, f, t))
			continue;
		buf_adds(out, sep);
		sep = ",\n";
		buf_adds(out, "{\"id\":");
		escape_json_string(out, team->id);
		buf_adds(out, ",\"name\":");
		escape_json_string(out, team->name);
		buf_adds(out, ",\"parent\":");
		json_opt_string(out, team->parent);
		buf_addf(out, ",\"entities\":%zu,\"score\":", ru->member_count[t]);
		json_score(out, ru->team_overall[t].score);
		buf_adds(out, ",\"scorecards\":[");
		const char *sc_sep = "";
		for (size_t s = 0; s < site->scorecard_count; s++) {
			if (!want_scorecard(f, site->scorecards[s]))
				continue;
			buf_adds(out, sc_sep);
			sc_sep = ",";
			buf_adds(out, "{\"id\":");
			escape_json_string(out, site->scorecards[s]->id);
			buf_adds(out, ",\"score\":");
			json_score(out, ru->team_scores[t * site->scorecard_count + s].score);
			buf_addch(out, '}');
		}
		buf_adds(out, "]}");
		sink_check(sink);
	}
	buf_adds(out, "\n],\n");
}

static void json_part(struct buf *out, const struct campaign_part *p)
{
	buf_adds(out, "\"progress\":");
	json_score(out, rollup_part_progress(p));
	buf_addf(out, ",\"pass\":%zu,\"total\":%zu", p->pass, p->total);
}

/* Teams with counted work in their part of the hierarchy, in id order, the
 * unowned last: the sub-teams' work included, and the team's own. */
static void json_campaign_teams(const struct rollup *ru,
				const struct campaign_result *cr, struct buf *out)
{
	const struct site *site = ru->site;
	const char *sep = "";
	buf_adds(out, ",\"by_team\":[");
	for (size_t t = 0; t <= site->team_count; t++) {
		if (!cr->by_team[t].total)
			continue;
		buf_addf(out, "%s{\"team\":", sep);
		sep = ",";
		if (t < site->team_count)
			escape_json_string(out, site->teams[t]->id);
		else
			buf_adds(out, "null");
		buf_addch(out, ',');
		json_part(out, &cr->by_team[t]);
		buf_addf(out, ",\"own_pass\":%zu,\"own_total\":%zu}",
			 cr->by_owner[t].pass, cr->by_owner[t].total);
	}
	buf_adds(out, "],\"by_rule\":[");
	for (size_t r = 0; r < cr->campaign->rule_count; r++) {
		buf_addf(out, "%s{\"rule\":", r ? "," : "");
		escape_json_string(out, cr->campaign->rules[r].rule->ref);
		buf_addch(out, ',');
		json_part(out, &cr->by_rule[r]);
		buf_addch(out, '}');
	}
	buf_addch(out, ']');
}

static void json_campaigns(const struct rollup *ru, struct report_sink *sink)
{
	struct buf *out = &sink->text;
	const struct eval *ev = ru->ev;
	const struct site *site = ev->site;
	buf_adds(out, "\"campaigns\":[");
	for (size_t c = 0; c < site->campaign_count; c++) {
		const struct campaign_result *cr = &ru->campaigns[c];
		const struct campaign *cp = cr->campaign;
		char day[11];
		buf_adds(out, c ? ",\n{\"key\":" : "\n{\"key\":");
		escape_json_string(out, cp->key);
		buf_adds(out, ",\"name\":");
		escape_json_string(out, cp->name);
		buf_adds(out, ",\"owner\":");
		escape_json_string(out, cp->owner);
		buf_addf(out, ",\"status\":\"%s\",\"progress\":",
			 rollup_campaign_status_name(cr->status));
		json_score(out, cr->progress);
		date_format(cp->start, day);
		buf_addf(out, ",\"pass\":%zu,\"total\":%zu,\"entities\":%zu,"
			 "\"start\":\"%s\",\"due\":", cr->all.pass, cr->all.total,
			 cr->entity_count, day);
		if (cp->has_due) {
			date_format(cp->due, day);
			buf_addf(out, "\"%s\",\"days_left\":%ld", day, cr->days_left);
		} else {
			buf_adds(out, "null,\"days_left\":null");
		}
		json_campaign_teams(ru, cr, out);
		buf_addch(out, '}');
		sink_check(sink);
	}
	buf_adds(out, "\n]\n");
}

void report_json(const struct rollup *ru, const struct report_filter *f,
		 struct report_sink *sink)
{
	struct buf *out = &sink->text;
	const struct eval *ev = ru->ev;
	char day[11];
	date_format(ev->today, day);
	buf_addf(out, "{\"date\":\"%s\",\n", day);
	json_scorecards(ru, f, sink);
	json_entities(ru, f, sink);
	json_teams(ru, f, sink);
	json_campaigns(ru, sink);
	buf_adds(out, "}\n");
}

void report_csv(const struct rollup *ru, const struct report_filter *f,
		struct report_sink *sink)
{
	struct buf *out = &sink->text;
	const struct eval *ev = ru->ev;
	const struct site *site = ev->site;
	buf_adds(out, "entity,scorecard,rule,level,team,tier,lifecycle,state,reason\r\n");
	for (size_t e = 0; e < site->entity_count; e++) {
		const struct entity *ent = site->entities[e];
		if (!want_entity(ru, f, e))
			continue;
		for (size_t s = 0; s < site->scorecard_count; s++) {
			const struct scorecard *sc = site->scorecards[s];
			if (!want_scorecard(f, sc))
				continue;
			for (size_t r = 0; r < sc->rule_count; r++) {
				const struct rule_result *res =
					eval_result(ev, e, ev->rule_offset[s] + r);
				escape_csv_field(out, ent->ref);
				buf_addch(out, ',');
				escape_csv_field(out, sc->id);
				buf_addch(out, ',');
				escape_csv_field(out, sc->rules[r].id);
				buf_addf(out, ",%d,", sc->rules[r].level);
				escape_csv_field(out, ent->owner);
				buf_addch(out, ',');
				escape_csv_field(out, ent->tier_text);
				buf_addch(out, ',');
				escape_csv_field(out, ent->lifecycle_text);
				buf_addch(out, ',');
				buf_adds(out, eval_state_name(res->state));
				buf_addch(out, ',');
				escape_csv_field(out, res->reason);
				buf_adds(out, "\r\n");
			}
		}
		sink_check(sink);
	}
}

static void xml_text(struct buf *out, const char *s)
{
	escape_xml(out, s, strlen(s));
}

void report_junit(const struct rollup *ru, const struct report_filter *f,
		  struct report_sink *sink)
{
	struct buf *out = &sink->text;
	const struct eval *ev = ru->ev;
	const struct site *site = ev->site;
	buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"yardstick\">\n");
	for (size_t s = 0; s < site->scorecard_count; s++) {
		const struct scorecard *sc = site->scorecards[s];
		if (!want_scorecard(f, sc))
			continue;
		/* Counts first: JUnit wants them on the suite element. */
		size_t tests = 0, failures = 0, skipped = 0;
		for (size_t e = 0; e < site->entity_count; e++) {
			if (!want_entity(ru, f, e))
				continue;
			for (size_t r = 0; r < sc->rule_count; r++) {
				enum rule_state st = eval_result(ev, e, ev->rule_offset[s] + r)->state;
				tests++;
				if (eval_state_open(ev, st))
					failures++;
				else if (st != STATE_PASS)
					skipped++;
			}
		}
		buf_adds(out, "  <testsuite name=\"");
		xml_text(out, sc->name);
		buf_addf(out, "\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n",
			 tests, failures, skipped);
		for (size_t e = 0; e < site->entity_count; e++) {
			const struct entity *ent = site->entities[e];
			if (!want_entity(ru, f, e))
				continue;
			for (size_t r = 0; r < sc->rule_count; r++) {
				const struct rule_result *res =
					eval_result(ev, e, ev->rule_offset[s] + r);
				buf_adds(out, "    <testcase classname=\"");
				xml_text(out, sc->id);
				buf_addch(out, '.');
				xml_text(out, ent->ref);
				buf_adds(out, "\" name=\"");
				xml_text(out, sc->rules[r].name);
				buf_adds(out, "\"");
				enum rule_state st = res->state;
				if (st == STATE_PASS) {
					buf_adds(out, "/>\n");
					continue;
				}
				bool fails = eval_state_open(ev, st);
				buf_adds(out, fails ? "><failure message=\"" : "><skipped message=\"");
				xml_text(out, eval_state_name(st));
				buf_adds(out, ": ");
				xml_text(out, res->reason);
				buf_adds(out, "\"/></testcase>\n");
			}
			sink_check(sink);
		}
		buf_adds(out, "  </testsuite>\n");
	}
	buf_adds(out, "</testsuites>\n");
}

/*
 * Datadog's batched-outcome document, the same shape content/outcomes/
 * reads: results for the states Datadog knows. Skipped pairs (out of
 * scope) and missing data are left out, because sending them would
 * overwrite what Datadog may know; exemptions go as "skip" with the reason.
 */
void report_outcomes(const struct rollup *ru, struct report_sink *sink)
{
	struct buf *out = &sink->text;
	const struct eval *ev = ru->ev;
	const struct site *site = ev->site;
	char day[11];
	date_format(ev->today, day);
	buf_addf(out, "{\n  \"data\": {\n    \"type\": \"batched-outcome\",\n"
		 "    \"attributes\": {\n      \"observed_at\": \"%sT00:00:00Z\",\n"
		 "      \"results\": [", day);
	const char *sep = "\n";
	for (size_t e = 0; e < site->entity_count; e++) {
		for (size_t s = 0; s < site->scorecard_count; s++) {
			const struct scorecard *sc = site->scorecards[s];
			for (size_t r = 0; r < sc->rule_count; r++) {
				const struct rule_result *res =
					eval_result(ev, e, ev->rule_offset[s] + r);
				const char *state;
				switch (res->state) {
				case STATE_PASS: state = "pass"; break;
				case STATE_FAIL: state = "fail"; break;
				case STATE_EXEMPT: state = "skip"; break;
				default: continue;
				}
				buf_adds(out, sep);
				sep = ",\n";
				buf_adds(out, "        {\"rule_id\": ");
				escape_json_string(out, sc->rules[r].ref);
				buf_adds(out, ", \"entity_reference\": ");
				escape_json_string(out, site->entities[e]->ref);
				buf_addf(out, ", \"state\": \"%s\", \"remarks\": ", state);
				escape_json_string(out, res->reason);
				buf_addch(out, '}');
			}
		}
		sink_check(sink);
	}
	buf_adds(out, "\n      ]\n    }\n  }\n}\n");
}
