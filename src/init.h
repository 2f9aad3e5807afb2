/*
 * init: the files of a new site, embedded in the binary, and the writer
 * that puts them into a folder without overwriting anything.
 *
 * The texts live in init.c as C string tables (a file is a NULL-terminated
 * list of chunks, each under the 4095 characters ISO C promises for one
 * literal). A new site holds no theme: the binary has it built in
 * (theme.h); init_export_theme() writes it out for `yardstick theme export`.
 */
#ifndef YARDSTICK_INIT_H
#define YARDSTICK_INIT_H

#include <stddef.h>
#include <stdio.h>

struct buf;

/* One embedded file: its path under the site's folder and its text. */
struct init_file {
	const char *path;
	const char *const *chunks; /* NULL-terminated; the text is their concatenation */
};

/* The folders of a new site, parents before children, NULL-terminated. */
extern const char *const init_folders[];
/* The embedded files (site.conf is not among them), {NULL, NULL}-terminated. */
extern const struct init_file init_files[];

/*
 * Append the text of site.conf to `b`: every key of conf.c commented with
 * its description and default, [site] title set; `templates` and `static`
 * commented, with a note on the built-in theme and how to override it.
 */
void init_site_conf(struct buf *b);

/*
 * Write a new site into `dir` (created if missing): site.conf (text
 * `site_conf`), every folder of init_folders and every file of init_files.
 * Every target is checked first: when site.conf or content/ already exists,
 * nothing is written, each one is named on `err_out` and the result is 1.
 * Each file is written to a temporary name and linked into place, so a
 * reader never sees half a file and a file that appears meanwhile is not
 * replaced. Written paths are listed on `out`. Returns 0, 1 (something
 * exists) or -1 (an I/O error, named on `err_out`; the files written so
 * far are listed on `out` and stay).
 */
int init_write(const char *dir, const char *site_conf, FILE *out, FILE *err_out);

/*
 * Write every file of the built-in theme (theme_files) into `dir` under
 * its path (DIR/templates/..., DIR/static/...), creating folders as
 * needed, the way init_write writes: every target is checked first, and
 * when any exists nothing is written, each one is named on `err_out` and
 * the result is 1. Written paths are listed on `out`. Returns 0, 1 or -1
 * (an I/O error, named on `err_out`; the files written so far stay).
 */
int init_export_theme(const char *dir, FILE *out, FILE *err_out);

#endif
