/*
 * seed_history: a year of history for a real site, for the benchmarks.
 *
 *   seed_history SITE.CONF HISTORY.DB [DAYS [CHANGE_PERMILLE]]
 *
 * Loads and evaluates the site once (as of the day before its --date of
 * 2026-11-23), then records DAYS dates ending the day before: the site's
 * own snapshot, with CHANGE_PERMILLE per mille of the states changed a day
 * (a random walk between pass and fail that ends at the site's states) and
 * every score drifted a little,
 * so the slices are exactly the ones the site's pages chart. Then
 * `yardstick build --date 2026-11-23` records the last day itself and
 * draws a year of trends. Not a test: nothing is asserted.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "conf.h"
#include "content.h"
#include "date.h"
#include "eval.h"
#include "history.h"
#include "record.h"
#include "rollup.h"
#include "util.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void flip(unsigned char *states, size_t k)
{
	if (states[k] == STATE_PASS || states[k] == STATE_FAIL)
		states[k] = states[k] == STATE_PASS ? STATE_FAIL : STATE_PASS;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: seed_history SITE.CONF HISTORY.DB [DAYS [CHANGE_PERMILLE]]\n");
		return 2;
	}
	size_t days = argc > 3 ? strtoul(argv[3], NULL, 10) : 365;
	size_t permille = argc > 4 ? strtoul(argv[4], NULL, 10) : 10;
	struct arena arena = ARENA_INIT;
	struct errlist errors = ERRLIST_INIT;
	struct conf conf;
	struct site site = { 0 };
	day_t today;
	if (cli_load_site("seed", &arena, argv[1], "2026-11-23", 0, false, &conf, &site,
			  &today, &errors) != EXIT_OK || errors.errors) {
		errlist_print(&errors, stderr);
		return 1;
	}
	struct eval ev;
	struct rollup ru;
	eval_run(&arena, &site, &conf, today, &ev);
	rollup_run(&arena, &ev, &ru);
	content_release_documents(&site);
	struct history_snapshot s;
	record_snapshot(&arena, &ru, &s);

	unlink(argv[2]);
	struct history *h;
	struct err e = ERR_INIT;
	if (history_open(&h, argv[2], HISTORY_WRITE, &e) != 0) {
		err_print(&e, stderr);
		return 1;
	}
	size_t cells = s.entity_count * s.rule_count;
	unsigned char *states = xmalloc(cells + 1);
	memcpy(states, s.states, cells);
	s.states = states;
	struct history_aggregate *aggs = xmalloc((s.aggregate_count + 1) * sizeof(*aggs));
	memcpy(aggs, s.aggregates, s.aggregate_count * sizeof(*aggs));
	double *base = xmalloc((s.aggregate_count + 1) * sizeof(double));
	for (size_t i = 0; i < s.aggregate_count; i++)
		base[i] = aggs[i].score;
	s.aggregates = aggs;
	/* The walk ends at the site's own states: day d holds them with the
	 * flips of days d .. DAYS-1 applied (a flip between pass and fail is
	 * its own inverse), so the last seeded day differs from the build's
	 * evaluation by one day's changes, as a nightly history does. */
	srand(7);
	size_t per_day = cells * permille / 1000;
	size_t *flips = xmalloc((days * per_day + 1) * sizeof(*flips));
	for (size_t i = 0; i < days * per_day; i++) {
		flips[i] = ((size_t)rand() * (size_t)RAND_MAX + (size_t)rand()) % cells;
		flip(states, flips[i]);
	}
	double total = 0;
	for (size_t d = 0; d < days; d++) {
		s.day = today - (day_t)(days - d);
		if (d)
			for (size_t i = 0; i < per_day; i++)
				flip(states, flips[(d - 1) * per_day + i]);
		/* Scores climb towards today's over the year, with some noise. */
		double behind = 0.25 * (double)(days - d) / (double)days;
		for (size_t i = 0; i < s.aggregate_count; i++)
			if (!isnan(base[i]))
				aggs[i].score = fmax(0, base[i] - behind +
						       0.02 * ((double)rand() / RAND_MAX - 0.5));
		double t0 = now();
		if (history_record(h, &s, conf.keep_days, &e) != 0) {
			err_print(&e, stderr);
			return 1;
		}
		total += now() - t0;
	}
	history_close(h);
	struct stat st;
	stat(argv[2], &st);
	printf("seeded %zu days: %.3f s a day on average, %.1f MB\n", days,
	       total / (double)days, (double)st.st_size / 1e6);
	free(flips);
	free(base);
	free(aggs);
	free(states);
	errlist_release(&errors);
	arena_release(&arena);
	return 0;
}
