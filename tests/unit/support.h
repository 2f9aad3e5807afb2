/*
 * support: what the unit tests of content, eval, rollup and report share:
 * a content folder written to a temporary folder from a table of files,
 * and a site loaded from it, evaluated and rolled up (struct fixture),
 * with look-ups by name that fail the test when a name is unknown.
 * Linked into every test binary (Makefile); cmocka must be included first.
 */
#ifndef YARDSTICK_TEST_SUPPORT_H
#define YARDSTICK_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "eval.h"
#include "model.h"
#include "rollup.h"

struct file {
	const char *path; /* under content/ */
	const char *text;
};

/* Write `text` to base/content/rel, making its folders. */
void support_write_file(const char *base, const char *rel, const char *text);
/* Remove a folder and everything in it (no links followed). */
void support_remove_tree(const char *path);

struct fixture {
	struct arena arena;
	struct site site;
	struct eval ev;
	struct rollup ru;
};

/* Write `files` (ended by a NULL path) to a fresh temporary folder, load
 * them as of `date` (YYYY-MM-DD), evaluate and roll up, and remove the
 * folder. Warnings are allowed (an expired exemption is one); an error
 * fails the test. */
void fixture_load(struct fixture *fx, const struct file *files, const char *date,
		  bool no_data_fails, long max_age_days);
void fixture_release(struct fixture *fx);

/* Indices by name; an unknown name fails the test. */
size_t fixture_entity(const struct fixture *fx, const char *ref);
size_t fixture_scorecard(const struct fixture *fx, const char *id);
size_t fixture_rule(const struct fixture *fx, const char *ref); /* eval index */
const struct entity_score *fixture_entity_score(const struct fixture *fx,
						const char *ref, const char *scorecard);

/* A score equal to `want` (NaN: none); a tally with these counts. */
void assert_score(double got, double want);
void assert_tally(const struct tally *t, size_t pass, size_t fail, size_t skip,
		  size_t no_data, size_t exempt, size_t counted);

#endif
