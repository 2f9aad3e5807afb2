/*
 * libFuzzer harness: a catalog file through the YAML loader (with its
 * limits) and every document through catalog normalisation, as
 * content/catalog/ files are read. Teams and entities that come out are
 * looked at, so their fields are touched by the sanitizers too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "catalog.h"
#include "err.h"
#include "source.h"
#include "yamldoc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct source src = { "fuzz.yaml", arena_strndup(&a, (const char *)data, size), size, NULL };
	source_index(&a, &src); /* as source_read_file does: problems use the index */
	struct value **docs;
	size_t count;
	struct err e = ERR_INIT;
	struct errlist errors = ERRLIST_INIT;
	static FILE *sink;
	if (!sink)
		sink = fopen("/dev/null", "w");
	if (yamldoc_parse(&a, &src, &yamldoc_default_limits, &docs, &count, &e) != 0) {
		err_print(&e, sink); /* the quoted line and caret */
	} else {
		for (size_t i = 0; i < count; i++) {
			struct entity *entity = NULL;
			struct team *team = NULL;
			enum catalog_result r = catalog_read_document(&a, &src, docs[i],
								      &entity, &team, &errors);
			if (r == CATALOG_ENTITY && entity && entity->ref)
				(void)strlen(entity->ref);
			if (r == CATALOG_TEAM && team && team->id)
				(void)strlen(team->id);
		}
	}
	errlist_print(&errors, sink);
	errlist_release(&errors);
	err_release(&e);
	arena_release(&a);
	return 0;
}
