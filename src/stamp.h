/*
 * stamp: what a build's inputs were, so that a build with the same inputs
 * over an output folder nobody touched can stop before loading anything
 * (docs/site.md, "Rebuilding when nothing changed").
 *
 * The inputs are everything a build's output depends on: the yardstick
 * binary (its bytes) and the shared libraries it runs with (each mapped
 * file's name, device, inode, size and mtime: a new build of it is a new
 * theme and new code, a new libcmark new Markdown), the run date, site.conf's bytes, the options that
 * change what is written, the names and bytes of every file under the
 * content, templates and static folders (a symlink by its target's text,
 * and the file it resolves to), and the history file's size, mtime, inode
 * and SQLite header (the charts and "what changed" read it; yardstick
 * alone writes it, always through SQLite, whose header counts the writes).
 * The stamp also holds the digest of the manifest the build wrote.
 *
 * The stamp file, STAMP_FILE in the output folder, is read, removed and
 * written under the output folder's lock (output_guard.h): a build removes
 * it just before its commit, and writes it after a successful commit,
 * with the problems the build printed (the same inputs have the same
 * problems: a build that stops early prints them again, and its exit
 * status, 0, is the stamped build's).
 */
#ifndef YARDSTICK_STAMP_H
#define YARDSTICK_STAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "conf.h"
#include "date.h"
#include "err.h"

#define STAMP_FILE ".yardstick-stamp"

/* What a build is asked to do, beyond site.conf and its folders. Options
 * that do not change the output (--jobs, --no-wait) are not here. */
struct stamp_request {
	const struct conf *conf;
	const char *output_dir;
	const char *history_path;
	day_t today;
	bool strict, restore;
};

/* A digest of the build's inputs other than the history file, in
 * *digest. What cannot be read goes into it as its error. False when the
 * inputs cannot be told apart from other inputs (no /proc/self/maps, a
 * folder tree deeper than 32 or with over a million names: a link loop):
 * such a build is never stamped. */
bool stamp_inputs(struct arena *a, const struct stamp_request *r, uint64_t *digest);

/* The digest of the history file: its identity (size, mtime, ctime,
 * inode) and SQLite's header (whose change counter every write moves), or
 * its absence. */
uint64_t stamp_history(const char *history_path);

/* The digest of the output folder's manifest (output.h), so that a stamp
 * holds only for the files of the build that wrote it. */
uint64_t stamp_manifest(const char *output_dir);

/* What the last stamped build left. */
struct stamp {
	uint64_t inputs;      /* stamp_combine() of the three digests */
	/* stamp_history() as the build left the history: it opened it
	 * (checking it, or trusting an earlier stamp) and its writes went
	 * through SQLite. The next build trusts a history that still has
	 * this digest without checking it again (record_open()). */
	uint64_t history;
	size_t pages;         /* the pages it rendered */
	const char *recorded; /* its "recorded: ..." line (no newline), or NULL */
	const char *problems; /* the problems it printed, as printed */
	size_t problems_len;
};

/* Combine the three digests into a stamp's `inputs`. */
uint64_t stamp_combine(uint64_t inputs, uint64_t history, uint64_t manifest);

/*
 * Read the output folder's stamp into *s (`recorded` in `a`). Returns 1
 * when there is a well-formed one, 0 when there is none or it is not one
 * (an unknown version, a damaged file: the build just does not stop early).
 */
int stamp_read(struct arena *a, const char *output_dir, struct stamp *s);

/* Write the stamp atomically (a temporary file renamed over it). Fails
 * (-1, `e` filled) on I/O errors or when it would be over 16 MiB, leaving
 * no stamp. */
int stamp_write(const char *output_dir, const struct stamp *s, struct err *e);

/* Remove the stamp (nothing when there is none). Fails (-1, `e` filled)
 * when it exists and cannot be removed: the build must not go on then. */
int stamp_remove(const char *output_dir, struct err *e);

#endif
