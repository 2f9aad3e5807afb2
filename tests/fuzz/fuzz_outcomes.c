/*
 * libFuzzer harness: the JSON outcome reader. Each input is written as
 * content/outcomes/fuzz.json of a small site in a temporary folder and the
 * whole content folder is loaded, so the JSON parser (jansson plus the walk
 * that finds positions), the outcome format and the references to rules
 * and entities all run as in `yardstick check`; every problem is printed
 * (to /dev/null) with its quoted line.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "conf.h"
#include "content.h"
#include "date.h"
#include "err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char site_dir[64];
static FILE *sink;

static void write_file(const char *rel, const void *data, size_t size)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", site_dir, rel);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
}

/* The folder goes when the fuzzer exits normally (a crash keeps it). */
static void remove_site(void)
{
	static const char *const paths[] = {
		"content/outcomes/fuzz.json", "content/catalog/shop.yaml",
		"content/scorecards/base.yaml", "content/outcomes",
		"content/catalog", "content/scorecards", "content", "",
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char path[256];
		snprintf(path, sizeof(path), "%s/%s", site_dir, paths[i]);
		remove(path);
	}
}

static void make_site(void)
{
	snprintf(site_dir, sizeof(site_dir), "/tmp/yardstick-fuzz-outcomes-XXXXXX");
	if (!mkdtemp(site_dir))
		abort();
	static const char *const dirs[] = { "content", "content/catalog",
					    "content/scorecards", "content/outcomes" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char path[256];
		snprintf(path, sizeof(path), "%s/%s", site_dir, dirs[i]);
		if (mkdir(path, 0755) != 0)
			abort();
	}
	static const char catalog[] =
		"apiVersion: v3\nkind: service\nmetadata:\n  name: shop\n"
		"---\nschema-version: v2.2\ndd-service: billing\n";
	static const char scorecard[] =
		"id: base\nname: Base\nrules:\n"
		"  - id: slo\n    name: SLO\n    level: 1\n    outcome: external\n"
		"  - id: owned\n    name: Owned\n    level: 2\n    check: owner:*\n";
	write_file("content/catalog/shop.yaml", catalog, sizeof(catalog) - 1);
	write_file("content/scorecards/base.yaml", scorecard, sizeof(scorecard) - 1);
	sink = fopen("/dev/null", "w");
	atexit(remove_site);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!sink)
		make_site();
	write_file("content/outcomes/fuzz.json", data, size);
	struct arena a = ARENA_INIT;
	struct conf conf;
	char conf_path[128];
	snprintf(conf_path, sizeof(conf_path), "%s/site.conf", site_dir);
	conf_defaults(&a, &conf, conf_path);
	day_t today;
	if (date_parse("2026-11-23", &today) != 0)
		abort();
	struct site site = { 0 };
	struct errlist errors = ERRLIST_INIT;
	if (content_load(&a, &conf, today, 1, false, &site, &errors) != 0)
		abort(); /* the folder and its files are always readable here */
	if (site.entity_count != 2 || site.scorecard_count != 1)
		abort(); /* an outcome file cannot cost entities or scorecards */
	content_release_documents(&site);
	errlist_sort(&errors);
	errlist_print(&errors, sink);
	errlist_release(&errors);
	arena_release(&a);
	return 0;
}
