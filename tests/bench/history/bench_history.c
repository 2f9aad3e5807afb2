/*
 * bench_history: record a synthetic year into a history file and report the
 * time per record and the file size. Not a test: nothing is asserted.
 *
 *   bench_history FILE [DAYS [ENTITIES [RULES [AGGREGATES [CHANGE_PERMILLE [KEEP_DAYS]]]]]]
 *
 * Defaults: 365 days of 10,000 entities x 30 rules, 2,000 aggregates a day,
 * 10 per mille (1%) of the states changing every day, keep_days 400 (less
 * to time the pruning too).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "history.h"
#include "util.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_history FILE [DAYS [ENTITIES [RULES "
				"[AGGREGATES [CHANGE_PERMILLE [KEEP_DAYS]]]]]]\n");
		return 2;
	}
	const char *path = argv[1];
	size_t days = argc > 2 ? strtoul(argv[2], NULL, 10) : 365;
	size_t ne = argc > 3 ? strtoul(argv[3], NULL, 10) : 10000;
	size_t nr = argc > 4 ? strtoul(argv[4], NULL, 10) : 30;
	size_t na = argc > 5 ? strtoul(argv[5], NULL, 10) : 2000;
	size_t permille = argc > 6 ? strtoul(argv[6], NULL, 10) : 10;
	long keep_days = argc > 7 ? strtol(argv[7], NULL, 10) : 400;
	unlink(path);

	char **entities = xcalloc(ne, sizeof(char *));
	char **rules = xcalloc(nr, sizeof(char *));
	char **definitions = xcalloc(nr, sizeof(char *));
	for (size_t i = 0; i < ne; i++) {
		entities[i] = xmalloc(48);
		snprintf(entities[i], 48, "service:svc-%06zu", i);
	}
	for (size_t r = 0; r < nr; r++) {
		rules[r] = xmalloc(48);
		snprintf(rules[r], 48, "sc%zu/rule-%02zu", r / 10, r % 10);
		definitions[r] = xmalloc(64);
		snprintf(definitions[r], 64, "has(field_%zu) and tier <= 2", r);
	}
	unsigned char *states = xmalloc(ne * nr);
	srand(42);
	for (size_t k = 0; k < ne * nr; k++)
		states[k] = (unsigned char)(rand() % 5);
	struct history_aggregate *aggs = xcalloc(na, sizeof(*aggs));
	char (*teams)[32] = xcalloc(na, 32);
	for (size_t i = 0; i < na; i++) {
		snprintf(teams[i], 32, "team-%04zu", i / 4);
		aggs[i] = (struct history_aggregate){ .scorecard = "sc0", .rule = "", .team = teams[i],
						      .campaign = "", .dimension = "", .value = "" };
		if (i % 4 == 1)
			aggs[i].scorecard = "sc1";
		else if (i % 4 == 2)
			aggs[i].scorecard = "sc2";
		else if (i % 4 == 3)
			aggs[i].scorecard = "";
	}

	struct history *h;
	struct err e = ERR_INIT;
	if (history_open(&h, path, HISTORY_WRITE, &e) != 0) {
		err_print(&e, stderr);
		return 1;
	}
	double *times = xcalloc(days, sizeof(double));
	day_t start;
	date_parse("2026-01-01", &start);
	size_t changes = ne * nr * permille / 1000;
	for (size_t d = 0; d < days; d++) {
		for (size_t c = 0; d && c < changes; c++) {
			size_t k = ((size_t)rand() * (size_t)RAND_MAX + (size_t)rand()) % (ne * nr);
			states[k] = (unsigned char)((states[k] + 1 + (size_t)rand() % 4) % 5);
		}
		for (size_t i = 0; i < na; i++) {
			aggs[i].pass = (size_t)rand() % 100;
			aggs[i].fail = (size_t)rand() % 100;
			aggs[i].skip = (size_t)rand() % 10;
			aggs[i].entities = 200;
			aggs[i].weighted_pass = (double)aggs[i].pass;
			aggs[i].weighted_counted = (double)(aggs[i].pass + aggs[i].fail);
			aggs[i].score = aggs[i].weighted_counted
				? aggs[i].weighted_pass / aggs[i].weighted_counted : NAN;
		}
		struct history_snapshot s = {
			start + (day_t)d, aggs, na, (const char *const *)entities, ne,
			(const char *const *)rules, nr, (const char *const *)definitions,
			states,
		};
		double t0 = now();
		if (history_record(h, &s, keep_days, &e) != 0) {
			err_print(&e, stderr);
			return 1;
		}
		times[d] = now() - t0;
		if (d == 0 || (d + 1) % 73 == 0) {
			struct stat st;
			stat(path, &st);
			printf("day %3zu: record %.3f s, file %.1f MB\n", d + 1, times[d],
			       (double)st.st_size / 1e6);
			fflush(stdout);
		}
	}
	/* The newest date replaced with other results (the same ones again
	 * write nothing), the slow path. */
	for (size_t c = 0; c < changes; c++) {
		size_t k = ((size_t)rand() * (size_t)RAND_MAX + (size_t)rand()) % (ne * nr);
		states[k] = (unsigned char)((states[k] + 1) % 5);
	}
	struct history_snapshot again = { start + (day_t)days - 1, aggs, na,
					  (const char *const *)entities, ne,
					  (const char *const *)rules, nr,
					  (const char *const *)definitions, states };
	double t0 = now();
	if (history_record(h, &again, keep_days, &e) != 0)
		return err_print(&e, stderr), 1;
	double replace = now() - t0;
	history_close(h);

	qsort(times, days, sizeof(double), compare_double);
	double sum = 0;
	for (size_t d = 0; d < days; d++)
		sum += times[d];
	struct stat st;
	stat(path, &st);
	printf("%zu days of %zu entities x %zu rules, %zu aggregates, %zu state changes "
	       "a day, keep_days %ld\n", days, ne, nr, na, changes, keep_days);
	printf("record: mean %.3f s, median %.3f s, max %.3f s; replace the newest: %.3f s\n",
	       sum / (double)days, times[days / 2], times[days - 1], replace);
	printf("file: %.1f MB\n", (double)st.st_size / 1e6);
	return 0;
}
