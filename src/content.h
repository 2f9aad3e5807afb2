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
 */
int content_load(struct arena *a, const struct conf *conf, day_t today,
		 struct site *site, struct errlist *errors);

#endif
