/*
 * content: every file under the content folder into a `struct site`.
 *
 *   catalog/ (any depth)  *.yaml, *.yml: entities (see catalog.h) and
 *                         Backstage Groups
 *   teams/                *.yaml: teams
 *   scorecards/           *.yaml: scorecards with levels and rules
 *   campaigns/            *.md: front matter + Markdown
 *   outcomes/             *.json: Datadog scorecard outcomes
 *   exemptions/           *.yaml: waivers
 *   pages/                *.md: front matter + Markdown
 *
 * Files are read in sorted order so runs are reproducible. Every problem
 * goes to the error list; docs/content.md says which are errors and which
 * warnings. A broken catalog file loses only its own entities; the other
 * kinds of content are all-or-nothing per item.
 */
#ifndef YARDSTICK_CONTENT_H
#define YARDSTICK_CONTENT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "conf.h"
#include "err.h"
#include "model.h"

/*
 * Load the content folder of `conf` into `site`; `today` decides which
 * exemptions have expired. Returns -1 (with the reasons in `errors`) when
 * the content folder itself, or any file in it, cannot be opened or read
 * (an I/O problem, exit 3; the other files are still loaded and checked);
 * everything else is reported in `errors` and loading goes on. Symbolic
 * links, FIFOs and other special files follow one rule in every folder
 * (docs/content.md, "Files"); what is skipped is a warning.
 *
 * Catalog and outcome files are read and parsed on up to `jobs` threads
 * (0 counts as 1); the site, the problems and their order are the same
 * for any number.
 *
 * Lifetimes: the model lives in `a`. Two things a large site loads do not:
 *   - the text of catalog and outcome files is freed before this returns
 *     (every problem in them is found while loading and keeps its own
 *     excerpt); their `struct source` stays, with its path, and quotes no
 *     line afterwards (source_forget_text);
 *   - the catalog's value trees, which queries with dotted paths read
 *     through `entity->doc` (query_reads_documents()), are kept only when
 *     a scope or check of the site's scorecards and campaigns has one, or
 *     `keep_documents` asks (for queries of the caller's own). They live
 *     in `site->documents` until content_release_documents(); otherwise
 *     each file's are freed once read and every entity->doc is NULL.
 *     Every string the model keeps is a copy in `a`, never a pointer into
 *     them.
 */
int content_load(struct arena *a, const struct conf *conf, day_t today,
		 size_t jobs, bool keep_documents, struct site *site,
		 struct errlist *errors);

/*
 * Free the catalog's value trees: once the last query has run (after
 * eval_run() and rollup_run(); nothing later reads documents), and in any
 * case before `a` is released, since they are not in it. Every
 * entity->doc becomes NULL, which no query path matches. Safe to call
 * twice, and on a site content_load() stopped early.
 */
void content_release_documents(struct site *site);

#endif
