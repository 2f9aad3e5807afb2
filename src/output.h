/*
 * output: the safe, incremental, atomic writer of the site's folder.
 *
 * A build opens the output folder, writes every file of the site through
 * output_write(), then either commits or aborts:
 *
 *     output_open(&o, "output", &e)
 *     output_write(o, "index.html", html, len, &e)   ... one per file
 *     output_commit(o, &stats, &e)   or   output_abort(o)
 *     output_free(o)
 *
 * Writes are staged: a file whose bytes differ from what is on disk goes
 * to a temporary file next to it (".<name>.tmp-XXXXXX"); a file whose
 * bytes are the same is left alone and keeps its mtime. Nothing a reader
 * of the folder can see changes until output_commit(), which renames the
 * staged files into place, removes the files an earlier build wrote and
 * this one did not, and rewrites the manifest. So a build that fails and
 * aborts leaves the folder exactly as it was, and a rebuild with nothing
 * changed writes no file at all.
 *
 * The manifest, OUTPUT_MANIFEST in the output folder, lists the files
 * yardstick wrote, sorted by bytes, one a line: "PATH\tSIZE\tMTIME\tHASH"
 * (MTIME as seconds.nanoseconds, HASH the 16 hex digits of output_hash()),
 * or the bare "PATH" of a file whose facts are unknown (a manifest of
 * yardstick 0.1, a file staged by a commit that was killed). Only files
 * listed there are ever removed, so files the user put in the folder
 * survive; a file of theirs at a path the site writes is replaced, and from
 * then on belongs to yardstick.
 *
 * Nothing is read back to find a file unchanged: when the manifest has its
 * facts, the file is left alone if this build's bytes hash the same and
 * the file on disk still has the recorded size and mtime (one fstatat());
 * it is rewritten, unread, when either differs. A file without facts is
 * compared byte for byte, once. Tools that change a file and then restore
 * its size and mtime defeat this, as they do make and rsync.
 *
 * Nothing outside the output folder is touched, whatever the paths say.
 * Every path is checked (output_check_path()) and then walked one folder at
 * a time from a descriptor of the output folder, never following a
 * symbolic link: writing through a symlink, or replacing a folder or a
 * symlink with a file, is an error. Manifest lines are checked the same
 * way; a bad line (a tampered manifest) is ignored, never acted on. The
 * output folder itself is opened by the name it was given and may be a
 * symlink: site.conf chose it, content did not.
 *
 * Files are created 0644 and folders 0755, both less the umask. Files are
 * not fsync()ed: a crash of the machine can leave a file torn with the
 * manifest's size and mtime; delete the manifest (every file is then
 * compared) after one. Two builds do not use one output folder at the
 * same time (output_guard.h).
 *
 * Threads: output_write(), output_copy_tree() and the output_stream_*
 * calls may be called from several threads at once on one output (a mutex
 * guards the bookkeeping; reading, hashing and writing files run outside
 * it). The result does not depend on the order of the writes.
 * output_open(), output_commit(), output_abort() and output_free() are
 * called from one thread, with no write running and every stream ended or
 * aborted (a stream still open is a BUG()).
 */
#ifndef YARDSTICK_OUTPUT_H
#define YARDSTICK_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* The manifest's name in the output folder. */
#define OUTPUT_MANIFEST ".yardstick-files"

enum {
	OUTPUT_MAX_PATH = 1024,        /* bytes in a relative path */
	OUTPUT_MAX_SEGMENTS = 16,      /* names in a relative path */
	OUTPUT_MAX_NAME = 255,         /* bytes in one name (NAME_MAX) */
	OUTPUT_MAX_COPY = 32 << 20,    /* bytes in a file output_copy_tree copies */
	OUTPUT_MAX_MANIFEST = 64 << 20 /* bytes in the manifest */
};

struct output;

/* What a commit did; `files` = `written` + `unchanged`. */
struct output_stats {
	size_t files;     /* files this build wrote through output_write */
	size_t written;   /* of those, new or changed, and replaced on disk */
	size_t unchanged; /* of those, already on disk byte for byte */
	size_t removed;   /* files of an earlier build removed */
};

/*
 * NULL when `path` is a valid relative output path, otherwise why not (a
 * static string). Valid: 1 to OUTPUT_MAX_SEGMENTS names separated by
 * single '/', at most OUTPUT_MAX_PATH bytes in all; each name 1 to
 * OUTPUT_MAX_NAME bytes of [A-Za-z0-9._-] and not starting with '.' (so no
 * ".", "..", hidden files, temporary files or the manifest). Absolute
 * paths, empty names ("a//b", "a/") and the empty path are refused.
 */
const char *output_check_path(const char *path);

/*
 * Open the output folder `dir` for one build, creating it (0755) when it
 * is missing; its parent must exist, nothing else is created. Takes the
 * folder's lock (output_guard.h) until output_free(): another build holding
 * it is waited for (a line on stderr says so) when `wait`, else an error.
 * Removes the temporary files a killed build left (output_cleaned() says
 * how many). Reads the manifest left by the previous build. On success
 * *out is a new output that the caller ends with output_free(). Fails (-1,
 * `e` filled, *out NULL) when the folder cannot be created, opened or
 * locked, or when the manifest is not a regular file, is too large, or
 * cannot be read.
 */
int output_open(struct output **out, const char *dir, bool wait, struct err *e);

/*
 * The 64-bit hash of `len` bytes of `data` the manifest records: four
 * lanes of xor, multiply and rotate over 8-byte words (host byte order),
 * then murmur3's finaliser. Fast (several bytes a cycle) and good at
 * telling changed bytes apart; not a cryptographic hash.
 */
uint64_t output_hash(const void *data, size_t len);

/* Temporary files of a killed build that output_open() removed. */
size_t output_cleaned(const struct output *o);

/*
 * Whether the folder is as the last build left it: a manifest exists, no
 * temporary file had to be removed, and every file it lists is a regular
 * file with the size and mtime it records (what a write would trust
 * without reading). *files: how many it lists. Call before any write.
 */
bool output_intact(struct output *o, size_t *files);

/*
 * Stage `len` bytes of `data` as the file `path` (relative to the output
 * folder), creating its folders as needed. When the file on disk already
 * has exactly these bytes nothing is written. A file of at most 4 KiB
 * with the same bytes as one this build staged in the same folder is
 * staged as a hard link to it (one inode, no data written; the badges of
 * entities at the same level and score), unless the file system refuses
 * the link. Fails (-1, `e` filled,
 * nothing staged for `path`; folders it made go with output_abort()), and
 * makes output_commit() refuse, when the path is invalid (see
 * output_check_path()), when it was already written in this build or
 * clashes with one (a file where this build puts a folder, or the
 * reverse), when a folder on the way is a symlink or not a folder, when
 * the target is a symlink, a folder or not a regular file, and on I/O
 * errors. Writing a path twice is an error, not a BUG(), because paths
 * come from content; the caller should still make them distinct (slug_set).
 * Must not be called after output_commit() or output_abort().
 */
int output_write(struct output *o, const char *path, const void *data,
		 size_t len, struct err *e);

/*
 * A file written in pieces, so that a large export is never held whole:
 *
 *     output_stream_begin(o, "data/results.json", &s, &e)
 *     output_stream_write(s, piece, len, &e)   ... as many as needed
 *     output_stream_end(s, &e)   or   output_stream_abort(s)
 *
 * The result is the one output_write() gives the concatenated pieces: the
 * same checks, the same manifest line, and a file whose bytes did not
 * change is left alone with its mtime. The pieces go to the temporary file
 * as they come (so it is always created, and removed again at the end when
 * the file turned out unchanged); the hash and size are kept as they go.
 */
struct output_stream;

/*
 * Reserve `path` as output_write() does and create its folders and
 * temporary file. On success *out is a new stream that the caller ends
 * with output_stream_end() or output_stream_abort(), exactly once, from
 * one thread at a time (streams to different paths may run in several
 * threads at once, beside output_write()s). Fails (-1, `e` filled, *out
 * NULL, commit refuses) for everything output_write() refuses before it
 * writes (an invalid path, a path written twice, also while its stream is
 * open, clashes, symlinked folders) and when the temporary file cannot be
 * created.
 */
int output_stream_begin(struct output *o, const char *path,
			struct output_stream **out, struct err *e);

/*
 * Append `len` bytes of `data` to the stream's file. Fails (-1, `e`
 * filled) on I/O errors; the stream then only takes output_stream_end()
 * (which fails) or output_stream_abort(), and commit refuses.
 */
int output_stream_write(struct output_stream *s, const void *data, size_t len,
			struct err *e);

/*
 * Finish the file and free `s`: when the file on disk already has these
 * bytes (by the manifest's facts, or compared byte for byte without them)
 * the temporary file is removed and the file left alone; otherwise it is
 * staged for output_commit(). Fails (-1, `e` filled, nothing staged,
 * commit refuses) as output_write() does when the target is a symlink, a
 * folder or not a regular file, after a failed write, and on I/O errors.
 */
int output_stream_end(struct output_stream *s, struct err *e);

/*
 * Drop the stream and free `s` (NULL is fine): its temporary file is
 * removed and `path` counts as not written by this build (a stale file
 * there is removed at commit, as for any path not written). Does not by
 * itself make commit refuse, unless a write to it failed. Never fails.
 */
void output_stream_abort(struct output_stream *s);

/*
 * output_write() every regular file under `src_dir`, recursively and in
 * sorted order, as `dest_prefix`/<path below src_dir> (`dest_prefix` may
 * be "" for the output folder itself). Names starting with '.' are
 * skipped, and so are symlinks and special files, at any depth;
 * `src_dir` itself may be a symlink. A name that is not a valid output
 * name, a file larger than OUTPUT_MAX_COPY, or a tree deeper than
 * OUTPUT_MAX_SEGMENTS is an error naming the file; so are read errors and
 * everything output_write() refuses. Stops at the first error.
 */
int output_copy_tree(struct output *o, const char *src_dir,
		     const char *dest_prefix, struct err *e);

/*
 * Make the build visible: rename every staged file into place (in sorted
 * order), remove the files the previous manifest lists that this build did
 * not write (regular files only; then every parent folder that is now
 * empty, up to but not including the output folder), and rewrite the
 * manifest when its bytes changed. Fills `stats` (may be NULL).
 *
 * Refuses (-1, `e` filled) when an output_write() or output_copy_tree()
 * of this build failed, and then does what output_abort() does: the
 * folder is left as it was. Fails (-1, `e` filled) on I/O errors part
 * way: the files renamed by then stay, the rest is discarded, and the
 * manifest (written first whenever the build adds files) still lists
 * every file yardstick may have left, so the next build cleans up. A
 * stale file that cannot be removed fails the commit too, after all else
 * is done; it stays listed so a later build tries again. Afterwards,
 * successful or not, only output_free() may be called.
 */
int output_commit(struct output *o, struct output_stats *stats,
		  struct err *e);

/*
 * Drop the build: delete every staged temporary file and every folder this
 * build created (the output folder too, when output_open() created it and
 * it is empty), leaving the folder as it was. Never fails (cleanup is best
 * effort). Afterwards only output_free() may be called.
 */
void output_abort(struct output *o);

/* Close and free `o` (NULL is fine). An output neither committed nor
 * aborted is aborted first. */
void output_free(struct output *o);

#endif
