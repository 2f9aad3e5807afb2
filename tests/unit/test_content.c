/*
 * Unit tests for content: each case writes a small content folder into a
 * fresh mkdtemp folder, loads it with content_load, and compares every
 * problem (level, file, line:col, message) with the table, then looks at
 * what was loaded: scorecard and rule owners, campaign status, and which
 * errors count as catalog errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"
#include "conf.h"
#include "content.h"
#include "date.h"

enum { MAX_FILES = 6, MAX_PROBLEMS = 4 };

struct problem {
	enum err_level level;
	const char *file; /* under content/ */
	unsigned line, col;
	const char *msg;
};

struct content_case {
	const char *name;
	struct file files[MAX_FILES];     /* besides the common files below */
	struct problem problems[MAX_PROBLEMS];
	void (*check)(const struct site *site);
};

/* Every case has two teams, one entity and a scorecard campaigns can use. */
static const struct file common_files[] = {
	{ "teams/teams.yaml", "id: web\n---\nid: sre\n" },
	{ "catalog/shop.yaml",
	  "apiVersion: v3\nkind: service\nmetadata:\n  name: shop\n  owner: web\n" },
	{ "scorecards/base.yaml",
	  "id: base\nname: Base\nrules:\n"
	  "  - id: owned\n    name: Owned\n    level: 1\n    check: owner:*\n" },
};

/* ---- what each case loads ------------------------------------------ */

static const struct scorecard *scorecard(const struct site *site, const char *id)
{
	const struct scorecard *sc = site_find_scorecard(site, id);
	assert_non_null(sc);
	return sc;
}

static const struct campaign *campaign(const struct site *site, const char *key)
{
	for (size_t i = 0; i < site->campaign_count; i++)
		if (strcmp(site->campaigns[i]->key, key) == 0)
			return site->campaigns[i];
	fail_msg("no campaign '%s'", key);
	return NULL;
}

/* No query of the site reads documents (owner:* is a model field): each
 * catalog file's value trees are freed once read. */
static void check_documents_dropped(const struct site *site)
{
	assert_int_equal(site->entity_count, 1);
	assert_null(site->entities[0]->doc);
	assert_int_equal(site->document_arena_count, 0);
}

/* A check with a dotted path reads documents: they are kept, whole. */
static void check_documents_kept(const struct site *site)
{
	assert_int_equal(site->entity_count, 1);
	const struct value *doc = site->entities[0]->doc;
	assert_non_null(doc);
	assert_string_equal(value_str(value_get(value_get(doc, "metadata"), "name")),
			    "shop");
	assert_true(site->document_arena_count > 0);
}

static void check_owners(const struct site *site)
{
	const struct scorecard *sc = scorecard(site, "ops");
	assert_string_equal(sc->owner, "sre"); /* group:default/SRE, normalised */
	assert_int_equal(sc->owner_place.line, 3);
	assert_int_equal(sc->owner_place.col, 8);
	assert_int_equal(sc->rule_count, 2);
	assert_string_equal(sc->rules[0].owner, "web");
	assert_int_equal(sc->rules[0].owner_place.line, 7);
	assert_int_equal(sc->rules[0].owner_place.col, 12);
	assert_null(sc->rules[1].owner); /* not inherited from the scorecard */
	assert_null(scorecard(site, "base")->owner);
}

static void check_unknown_owners(const struct site *site)
{
	/* Warnings only: the scorecard is kept with the owners as written. */
	const struct scorecard *sc = scorecard(site, "ops");
	assert_string_equal(sc->owner, "nobody");
	assert_string_equal(sc->rules[0].owner, "ghosts");
}

static void check_only_base(const struct site *site)
{
	assert_int_equal(site->scorecard_count, 1);
	assert_string_equal(site->scorecards[0]->id, "base");
}

static void check_statuses(const struct site *site)
{
	assert_int_equal(site->campaign_count, 4);
	assert_true(campaign(site, "done")->completed);
	assert_false(campaign(site, "going")->completed);
	assert_false(campaign(site, "later")->completed);
	assert_false(campaign(site, "plain")->completed);
}

static void check_no_campaign(const struct site *site)
{
	assert_int_equal(site->campaign_count, 0);
}

static void check_catalog_errors(const struct site *site)
{
	/* The broken entity counts as a catalog error, the scorecard not. */
	assert_int_equal(site->catalog_errors, 1);
	assert_int_equal(site->other_errors, 1);
	assert_int_equal(site->entity_count, 1);
}

#define CAMPAIGN(key, status)                                             \
	"---\nkey: " key "\nname: " key "\nowner: sre\n" status            \
	"start: 2026-01-01\nrules:\n  - rule: base/owned\n---\nBody.\n"

static const struct content_case cases[] = {
	{ "documents no query reads are not kept",
	  { { 0 } },
	  { { 0 } },
	  check_documents_dropped },
	{ "documents a dotted path reads are kept",
	  { { "scorecards/paths.yaml",
	      "id: paths\n"
	      "name: Paths\n"
	      "rules:\n"
	      "  - id: a\n"
	      "    name: A\n"
	      "    level: 1\n"
	      "    check: metadata.owner:web\n" } },
	  { { 0 } },
	  check_documents_kept },
	{ "owners on a scorecard and its rules",
	  { { "scorecards/ops.yaml",
	      "id: ops\n"
	      "name: Ops\n"
	      "owner: group:default/SRE\n"
	      "rules:\n"
	      "  - id: a\n"
	      "    name: A\n"
	      "    owner: web\n"
	      "    level: 1\n"
	      "    check: owner:*\n"
	      "  - id: b\n"
	      "    name: B\n"
	      "    level: 1\n"
	      "    check: tier:1\n" } },
	  { { 0 } },
	  check_owners },
	{ "owners that are not known teams are warnings at their place",
	  { { "scorecards/ops.yaml",
	      "id: ops\n"
	      "name: Ops\n"
	      "owner: nobody\n"
	      "rules:\n"
	      "  - id: a\n"
	      "    name: A\n"
	      "    level: 1\n"
	      "    owner: Ghosts\n"
	      "    check: owner:*\n" } },
	  { { ERR_WARNING, "scorecards/ops.yaml", 3, 8,
	      "scorecard owner 'nobody' is not a known team" },
	    { ERR_WARNING, "scorecards/ops.yaml", 8, 12,
	      "rule owner 'ghosts' is not a known team" } },
	  check_unknown_owners },
	{ "an owner that is not text is an error; the scorecard is left out",
	  { { "scorecards/ops.yaml",
	      "id: ops\n"
	      "name: Ops\n"
	      "owner: [web, sre]\n"
	      "rules:\n"
	      "  - id: a\n"
	      "    name: A\n"
	      "    level: 1\n"
	      "    check: owner:*\n" },
	    { "scorecards/rule-owner.yaml",
	      "id: rule-owner\n"
	      "name: Rule owner\n"
	      "rules:\n"
	      "  - id: a\n"
	      "    name: A\n"
	      "    owner: {team: web}\n"
	      "    level: 1\n"
	      "    check: owner:*\n" } },
	  { { ERR_ERROR, "scorecards/ops.yaml", 3, 8,
	      "'owner' should be text, not a list" },
	    { ERR_ERROR, "scorecards/rule-owner.yaml", 6, 12,
	      "'owner' should be text, not a mapping" } },
	  check_only_base },
	{ "campaign statuses",
	  { { "campaigns/done.md", CAMPAIGN("done", "status: completed\n") },
	    { "campaigns/going.md", CAMPAIGN("going", "status: in_progress\n") },
	    { "campaigns/later.md", CAMPAIGN("later", "status: not_started\n") },
	    { "campaigns/plain.md", CAMPAIGN("plain", "") } },
	  { { 0 } },
	  check_statuses },
	{ "an unknown campaign status is an error listing the allowed ones",
	  { { "campaigns/bad.md", CAMPAIGN("bad", "status: done\n") } },
	  { { ERR_ERROR, "campaigns/bad.md", 5, 9,
	      "'status' should be one of completed, in_progress, not_started, "
	      "not 'done'" } },
	  check_no_campaign },
	{ "a campaign status that is not text",
	  { { "campaigns/bad.md", CAMPAIGN("bad", "status: [completed]\n") } },
	  { { ERR_ERROR, "campaigns/bad.md", 5, 9,
	      "'status' should be text, not a list" } },
	  check_no_campaign },
	{ "catalog errors are counted apart from the others",
	  { { "catalog/broken.yaml", "apiVersion: v3\nkind: service\nmetadata:\n  owner: web\n" },
	    { "scorecards/bad.yaml", "id: bad\nname: Bad\nrules: []\n" } },
	  { { ERR_ERROR, "catalog/broken.yaml", 1, 1,
	      "missing metadata.name; the entity is left out" },
	    { ERR_ERROR, "scorecards/bad.yaml", 3, 8,
	      "'rules' should be a list of at least one rule" } },
	  check_catalog_errors },
};

/* ---- the folder ---------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* content_load on the site in `base` as of 2026-11-23; errors sorted. */
static int load_site(const char *base, struct arena *arena, struct site *site,
		     struct errlist *errors)
{
	struct conf conf;
	char conf_file[96];
	snprintf(conf_file, sizeof(conf_file), "%s/site.conf", base);
	conf_defaults(arena, &conf, conf_file);
	day_t today;
	if (date_parse("2026-11-23", &today) != 0)
		return -2;
	int rc = content_load(arena, &conf, today, 1, false, site, errors);
	errlist_sort(errors);
	return rc;
}

static void run_case(const struct content_case *c)
{
	char base[64];
	snprintf(base, sizeof(base), "/tmp/yardstick-content-XXXXXX");
	assert_non_null(mkdtemp(base));
	for (size_t i = 0; i < sizeof(common_files) / sizeof(common_files[0]); i++)
		support_write_file(base, common_files[i].path, common_files[i].text);
	for (size_t i = 0; i < MAX_FILES && c->files[i].path; i++)
		support_write_file(base, c->files[i].path, c->files[i].text);

	struct arena arena = ARENA_INIT;
	struct errlist errors = ERRLIST_INIT;
	struct site site;
	assert_int_equal(load_site(base, &arena, &site, &errors), 0);

	size_t expected = 0;
	while (expected < MAX_PROBLEMS && c->problems[expected].msg)
		expected++;
	if (errors.count != expected)
		errlist_print(&errors, stderr);
	assert_int_equal(errors.count, expected);
	for (size_t i = 0; i < expected; i++) {
		const struct problem *want = &c->problems[i];
		const struct err *got = &errors.items[i];
		char file[256];
		snprintf(file, sizeof(file), "/content/%s", want->file);
		if (!got->path || !ends_with(got->path, file) ||
		    got->level != want->level || got->line != want->line ||
		    got->col != want->col || strcmp(got->msg, want->msg) != 0) {
			errlist_print(&errors, stderr);
			fail_msg("%s: problem %zu: want %s:%u:%u: %s", c->name, i,
				 want->file, want->line, want->col, want->msg);
		}
	}
	if (c->check)
		c->check(&site);
	content_release_documents(&site);
	errlist_release(&errors);
	arena_release(&arena);
	support_remove_tree(base);
}

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("  %s\n", cases[i].name);
		run_case(&cases[i]);
	}
}

/*
 * The checks of test_unreadable, in a child process that is not root
 * (root reads a file of mode 000): 0 when all hold, 1 when one fails.
 */
static int load_unreadable(const char *base)
{
	if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
		return 77;
	struct arena arena = ARENA_INIT;
	struct errlist errors = ERRLIST_INIT;
	struct site site;
	int rc = load_site(base, &arena, &site, &errors);
	bool ok = rc == -1 && errors.errors == 1 &&
		  ends_with(errors.items[0].path, "/content/catalog/secret.yaml") &&
		  strcmp(errors.items[0].msg, "cannot open: Permission denied") == 0 &&
		  /* the other files are still loaded and checked */
		  site.entity_count == 1 && site.scorecard_count == 1;
	if (!ok) {
		fprintf(stderr, "content_load returned %d with:\n", rc);
		errlist_print(&errors, stderr);
	}
	content_release_documents(&site);
	errlist_release(&errors);
	arena_release(&arena);
	return ok ? 0 : 1;
}

/* A file that cannot be opened is an I/O problem: content_load fails
 * (exit 3), where a broken file is only an error in the list (exit 1). */
static void test_unreadable(void **state)
{
	(void)state;
	char base[64];
	snprintf(base, sizeof(base), "/tmp/yardstick-content-XXXXXX");
	assert_non_null(mkdtemp(base));
	assert_int_equal(chmod(base, 0755), 0);
	for (size_t i = 0; i < sizeof(common_files) / sizeof(common_files[0]); i++)
		support_write_file(base, common_files[i].path, common_files[i].text);
	support_write_file(base, "catalog/secret.yaml",
			   "apiVersion: v3\nkind: service\nmetadata:\n  name: secret\n");
	char secret[128];
	snprintf(secret, sizeof(secret), "%s/content/catalog/secret.yaml", base);
	assert_int_equal(chmod(secret, 0), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(load_unreadable(base));
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	support_remove_tree(base);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip(); /* root that cannot become nobody */
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_unreadable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
