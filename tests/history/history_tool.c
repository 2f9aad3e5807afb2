/*
 * history_tool: the history module from the command line, for
 * tests/history/run.sh.
 *
 *   history_tool make PATH                       a small history of 3 dates
 *   history_tool days PATH                       its dates, one a line
 *   history_tool restore URL PATH MAX_BYTES TIMEOUT_SECONDS
 *
 * Errors are printed as yardstick prints them; exit 1 on failure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "history.h"

static int make(const char *path)
{
	static const char *const entities[] = { "service:a", "service:b" };
	static const char *const rules[] = { "sc/r1", "sc/r2" };
	static const char *const definitions[] = { "has(x)", "has(y)" };
	unsigned char states[] = { 0, 1, 1, 0 };
	struct history_aggregate overall = { "", "", "", "", "", "", 2, 2, 0, 0, 0,
					     2, 4, 0.5, 2 };
	struct history *h;
	struct err e = ERR_INIT;
	if (history_open(&h, path, HISTORY_WRITE, &e) != 0)
		return err_print(&e, stderr), 1;
	day_t day;
	date_parse("2026-11-20", &day);
	for (int d = 0; d < 3; d++) {
		states[d] = 0;
		overall.pass = 2 + (size_t)d;
		overall.score = (2.0 + d) / 4;
		struct history_snapshot s = { day + d, &overall, 1, entities, 2, rules, 2,
					      definitions, states };
		if (history_record(h, &s, 400, &e) != 0) {
			err_print(&e, stderr);
			history_close(h);
			return 1;
		}
	}
	history_close(h);
	return 0;
}

static int days(const char *path)
{
	struct history *h;
	struct err e = ERR_INIT;
	day_t *list;
	size_t count;
	if (history_open(&h, path, HISTORY_READ, &e) != 0)
		return err_print(&e, stderr), 1;
	if (history_days(h, &list, &count, &e) != 0) {
		err_print(&e, stderr);
		history_close(h);
		return 1;
	}
	for (size_t i = 0; i < count; i++) {
		char text[11];
		date_format(list[i], text);
		printf("%s\n", text);
	}
	free(list);
	history_close(h);
	return 0;
}

int main(int argc, char **argv)
{
	struct err e = ERR_INIT;
	if (argc == 3 && strcmp(argv[1], "make") == 0)
		return make(argv[2]);
	if (argc == 3 && strcmp(argv[1], "days") == 0)
		return days(argv[2]);
	if (argc == 6 && strcmp(argv[1], "restore") == 0) {
		if (history_restore(argv[2], argv[3], atol(argv[4]), atol(argv[5]), &e) == 0)
			return 0;
		err_print(&e, stderr);
		err_release(&e);
		return 1;
	}
	fprintf(stderr, "usage: history_tool make PATH | days PATH | "
			"restore URL PATH MAX_BYTES TIMEOUT_SECONDS\n");
	return 2;
}
