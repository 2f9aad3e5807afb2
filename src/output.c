/*
 * output: staged, incremental writes into the output folder.
 *
 * Every path is walked from a descriptor of the output folder with
 * openat(O_NOFOLLOW | O_DIRECTORY), one name at a time, and every file is
 * reached relative to the descriptor of its own folder, so a symlink
 * planted anywhere inside the folder is refused instead of followed. That
 * is also why temporary files are made with openat(O_CREAT | O_EXCL) and a
 * generated name rather than mkstemp(): mkstemp() takes a path, which would
 * be resolved again through whatever is on disk by then.
 *
 * One hash table, keyed by relative path, holds what the build knows: the
 * files of the previous manifest, the files of this build (staged or
 * unchanged) and the folders they are in, so clashes and stale files are
 * found without scanning.
 */
/* O_TMPFILE (Linux); without it, staged files are created by name. */
#define _GNU_SOURCE

#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "output_guard.h"
#include "util.h"

enum {
	COMPARE_CHUNK = 64 * 1024, /* bytes read at a time to compare */
	TEMP_NAME_KEEP = 200,      /* bytes of the target's name in a temp name */
	TEMP_ATTEMPTS = 100,       /* temp names tried before giving up */
	FOLDER_SLOTS = 512,        /* the folder cache's table; it holds at
				    * most half as many folders open */
	TWIN_MAX_BYTES = 4096,     /* files this small may be twins */
	TWIN_MAX_TOTAL = 16 << 20, /* bytes of twins kept to compare with */
};

enum entry_kind {
	ENTRY_LISTED,    /* only listed in the previous manifest */
	ENTRY_FOLDER,    /* a folder holding files of this build */
	ENTRY_PENDING,   /* a file of this build being written (by a thread) */
	ENTRY_UNCHANGED, /* a file of this build already on disk */
	ENTRY_STAGED,    /* a file of this build in a temporary file */
};

/* What the manifest says of a file: enough to trust it without reading. */
struct file_facts {
	bool known;           /* the rest is valid */
	uint64_t size;
	int64_t mtime_sec;
	long mtime_nsec;
	uint64_t hash;        /* output_hash() of its bytes */
};

struct entry {
	const char *path;     /* relative; in the output's arena */
	const char *temp;     /* ENTRY_STAGED: temp name in the same folder,
			       * NULL once renamed or deleted */
	enum entry_kind kind;
	bool listed;          /* in the previous manifest */
	bool keep;            /* stale but could not be removed: stays listed */
	size_t files_under;   /* ENTRY_FOLDER: files of this build in it */
	struct file_facts facts; /* the manifest's, then this build's */
};

/*
 * A small file this build staged, kept so that a later file of the same
 * folder with the same bytes (the badges of entities at the same level and
 * score) is staged as a hard link to it instead of a new file: one inode
 * for all of them, no data written again. Only files staged by this build
 * are twins (their bytes are known, not trusted from the manifest).
 */
struct twin {
	const char *folder;   /* the file's folder, "" for the root */
	const char *temp;     /* the staged file's temporary name there */
	uint64_t hash;        /* output_hash() of the bytes */
	size_t len;
	const void *bytes;    /* a copy, to compare */
	size_t next;          /* index + 1 of the next twin in its slot, or 0 */
};

enum output_state { OUTPUT_OPEN, OUTPUT_DONE };

struct output {
	char *dir;            /* the output folder as given, for messages */
	int root;             /* descriptor of the output folder */
	bool created_root;    /* output_open() made the folder */
	enum output_state state;
	bool failed;          /* a write of this build failed */
	atomic_bool named_only; /* unnamed files failed once: stage_unnamed() */
	size_t streams;       /* output_stream_begin()s not yet ended */
	size_t written, unchanged;

	struct arena arena;   /* paths and temp names */
	struct entry *entries;
	size_t count, alloc;
	size_t *slots;        /* open addressing: index + 1, 0 empty */
	size_t slot_count;    /* a power of two, or 0 */

	const char **created; /* folders this build made, in order */
	size_t created_count, created_alloc;

	/* Folders this build has walked to, kept open: a file's folder is
	 * opened once, not once per file (walk_cached). */
	struct folder_slot {
		const char *path;
		int fd;
		bool fresh;   /* made by this build (walk.fresh) */
	} folders[FOLDER_SLOTS];
	size_t folder_count;

	struct twin *twins;   /* small staged files, by folder and bytes */
	size_t twin_count, twin_alloc;
	size_t twin_slots[1024]; /* index + 1 of a slot's first twin, or 0 */
	size_t twin_bytes;    /* bytes copied into `twins` */

	struct buf manifest;  /* the manifest's bytes on disk */
	bool manifest_exists;

	/* output_write() may run in several threads: `lock` guards the table,
	 * the arena, the counters, `created`, `failed` and `random`; file I/O
	 * happens outside it. */
	pthread_mutex_t lock;
	uint64_t random;        /* state for temp names */
	bool locked;            /* output_guard's lock is taken, its marker set */
	size_t cleaned;         /* temporary files of a killed build removed */
};

/* ---- paths ---------------------------------------------------------- */

_Static_assert(OUTPUT_MAX_PATH == 1024 && OUTPUT_MAX_SEGMENTS == 16 &&
		       OUTPUT_MAX_NAME == 255,
	       "the messages of output_check_path() quote these numbers");

static bool name_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

const char *output_check_path(const char *path)
{
	if (!path || !*path)
		return "the path is empty";
	if (*path == '/')
		return "absolute paths are not allowed";
	if (strnlen(path, OUTPUT_MAX_PATH + 1) > OUTPUT_MAX_PATH)
		return "the path is longer than 1024 bytes";
	size_t names = 0;
	for (const char *s = path;;) {
		size_t n = strcspn(s, "/");
		if (n == 0)
			return "empty name (a '/' at the end or two in a row)";
		if (++names > OUTPUT_MAX_SEGMENTS)
			return "more than 16 names";
		if (n > OUTPUT_MAX_NAME)
			return "a name is longer than 255 bytes";
		if (s[0] == '.')
			return "a name starts with '.' (no '.', '..' or hidden files)";
		for (size_t i = 0; i < n; i++)
			if (!name_byte((unsigned char)s[i]))
				return "a name has a byte outside [A-Za-z0-9._-]";
		if (!s[n])
			return NULL;
		s += n + 1;
	}
}

/*
 * Fill `e`, when not NULL, for the first `rel_len` bytes of `rel` in the
 * output folder (the folder itself when `rel` is NULL). Returns -1.
 */
__attribute__((format(printf, 5, 6)))
static int fail(const struct output *o, struct err *e, const char *rel,
		size_t rel_len, const char *fmt, ...)
{
	if (!e)
		return -1;
	struct buf path = BUF_INIT;
	buf_adds(&path, o->dir);
	if (rel) {
		buf_addch(&path, '/');
		buf_add(&path, rel, rel_len);
	}
	struct source src = { path.data, NULL, 0, NULL };
	va_list ap;
	va_start(ap, fmt);
	err_vat(e, ERR_ERROR, &src, 0, 0, fmt, ap);
	va_end(ap);
	buf_release(&path);
	return -1;
}

/* ---- the table of paths ---------------------------------------------- */

static struct entry *entry_find(const struct output *o, const char *path)
{
	if (!o->slot_count)
		return NULL;
	size_t mask = o->slot_count - 1;
	for (size_t i = util_hash_string(path) & mask; o->slots[i]; i = (i + 1) & mask) {
		struct entry *en = &o->entries[o->slots[i] - 1];
		if (strcmp(en->path, path) == 0)
			return en;
	}
	return NULL;
}

static void entry_place(struct output *o, size_t at)
{
	size_t mask = o->slot_count - 1;
	size_t i = util_hash_string(o->entries[at].path) & mask;
	while (o->slots[i])
		i = (i + 1) & mask;
	o->slots[i] = at + 1;
}

/* The entry for `path`, added (copied, with `kind`) when missing. */
static struct entry *entry_get(struct output *o, const char *path,
			       enum entry_kind kind)
{
	struct entry *en = entry_find(o, path);
	if (en)
		return en;
	if ((o->count + 1) * 2 > o->slot_count) {
		free(o->slots);
		o->slot_count = o->slot_count ? o->slot_count * 2 : 256;
		o->slots = xcalloc(o->slot_count, sizeof(*o->slots));
		for (size_t i = 0; i < o->count; i++)
			entry_place(o, i);
	}
	ALLOC_GROW(o->entries, o->count + 1, o->alloc);
	en = &o->entries[o->count];
	en->path = arena_strdup(&o->arena, path);
	en->temp = NULL;
	en->kind = kind;
	en->listed = false;
	en->keep = false;
	en->facts.known = false;
	en->files_under = 0;
	entry_place(o, o->count++);
	return en;
}

static bool is_file(const struct entry *en)
{
	return en->kind == ENTRY_UNCHANGED || en->kind == ENTRY_STAGED ||
	       en->kind == ENTRY_PENDING;
}

static int compare_entries(const void *a, const void *b)
{
	return strcmp((*(struct entry *const *)a)->path,
		      (*(struct entry *const *)b)->path);
}

/* ---- walking folders without following symlinks ---------------------- */

struct walk {
	char names[OUTPUT_MAX_PATH + 1];    /* the path, each '/' made a NUL */
	size_t start[OUTPUT_MAX_SEGMENTS];  /* where each name starts */
	size_t count;                       /* names in the path */
	int fd[OUTPUT_MAX_SEGMENTS];        /* fd[i]: folder of the first i
					     * names; fd[0] is the root */
	size_t depth;                       /* descriptors in fd */
	bool fresh;                         /* the last folder was made by this
					     * build: nothing but its files */
};

static void walk_close(struct walk *w)
{
	for (size_t i = 1; i < w->depth; i++)
		if (w->fd[i] >= 0)
			close(w->fd[i]);
	w->depth = 0;
}

/* The folder holding the last name, and that name. */
static int walk_folder(const struct walk *w)
{
	return w->fd[w->count - 1];
}

static const char *walk_name(const struct walk *w)
{
	return w->names + w->start[w->count - 1];
}

/* Why `name` in `dirfd` could not be opened as a folder; returns -1. */
static int folder_error(const struct output *o, struct err *e, int dirfd,
			const char *name, const char *path, size_t path_len,
			int error)
{
	struct stat st;
	if (error != ENOENT &&
	    fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode))
			return fail(o, e, path, path_len, "is a symbolic link; "
				    "refusing to write through it");
		if (!S_ISDIR(st.st_mode))
			return fail(o, e, path, path_len, "is not a folder");
	}
	return fail(o, e, path, path_len, "cannot open folder: %s",
		    strerror(error));
}

/*
 * Open the folders of `path` (a checked path), all names but the last,
 * from the root, never following a symlink. With `create`, missing folders
 * are made and remembered for output_abort(). On success the caller
 * walk_close()s `w`; on failure nothing is left open and `e` (may be NULL)
 * is filled.
 */
static int walk_open(struct output *o, const char *path, bool create,
		     struct walk *w, struct err *e)
{
	size_t len = strlen(path);
	if (len > OUTPUT_MAX_PATH)
		BUG("walk_open on an unchecked path");
	memcpy(w->names, path, len + 1);
	w->count = 0;
	w->start[w->count++] = 0;
	for (size_t i = 0; i < len; i++) {
		if (w->names[i] == '/') {
			if (w->count == OUTPUT_MAX_SEGMENTS)
				BUG("walk_open on an unchecked path");
			w->names[i] = '\0';
			w->start[w->count++] = i + 1;
		}
	}
	w->fd[0] = o->root;
	w->depth = 1;
	w->fresh = false;
	for (size_t i = 0; i + 1 < w->count; i++) {
		const char *name = w->names + w->start[i];
		size_t prefix_len = w->start[i] + strlen(name);
		int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
		int fd = openat(w->fd[i], name, flags);
		if (fd < 0 && errno == ENOENT && create) {
			if (mkdirat(w->fd[i], name, 0755) == 0) {
				w->fresh = i + 2 == w->count;
				pthread_mutex_lock(&o->lock);
				ALLOC_GROW(o->created, o->created_count + 1,
					   o->created_alloc);
				o->created[o->created_count++] =
					arena_strndup(&o->arena, path, prefix_len);
				pthread_mutex_unlock(&o->lock);
			} else if (errno != EEXIST) {
				int error = errno;
				walk_close(w);
				return fail(o, e, path, prefix_len,
					    "cannot create folder: %s",
					    strerror(error));
			}
			fd = openat(w->fd[i], name, flags);
		}
		if (fd < 0) {
			int rc = folder_error(o, e, w->fd[i], name, path,
					      prefix_len, errno);
			walk_close(w);
			return rc;
		}
		w->fd[w->depth++] = fd;
	}
	return 0;
}

/*
 * walk_open() for a caller that needs only the file's folder and name
 * (walk_folder, walk_name): the folder comes from the cache of folders
 * this build walked to, else from walk_open(), and is then added to the
 * cache (a descriptor of its own, closed by output_free()). A cached walk
 * holds no descriptor: walk_close() closes nothing. The folder a cached
 * descriptor names stays the one walked to even if a name on its path is
 * replaced afterwards, so nothing is followed that walk_open() would not.
 */
/* The folder cache's slot for the folder of `path` (its first
 * `folder_len` bytes): the one holding it, or the empty one where it
 * goes. The table is at most half full, so there is one. Called with the
 * lock held. */
static size_t folder_slot(const struct output *o, const char *path,
			  size_t folder_len)
{
	size_t i = util_hash_bytes(path, folder_len) % FOLDER_SLOTS;
	while (o->folders[i].path &&
	       !(strncmp(o->folders[i].path, path, folder_len) == 0 &&
		 o->folders[i].path[folder_len] == '\0'))
		i = (i + 1) % FOLDER_SLOTS;
	return i;
}

static int walk_cached(struct output *o, const char *path, bool create,
		       struct walk *w, struct err *e)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return walk_open(o, path, create, w, e); /* in the root */
	size_t folder_len = (size_t)(slash - path);
	int fd = -1;
	bool fresh = false;
	pthread_mutex_lock(&o->lock);
	const struct folder_slot *cached = &o->folders[folder_slot(o, path, folder_len)];
	if (cached->path) {
		fd = cached->fd;
		fresh = cached->fresh;
	}
	pthread_mutex_unlock(&o->lock);
	if (fd >= 0) {
		size_t len = strlen(path);
		memcpy(w->names, path, len + 1);
		w->names[folder_len] = '\0';
		w->count = 2; /* the folder as one name, then the file's */
		w->start[0] = 0;
		w->start[1] = folder_len + 1;
		w->fd[0] = o->root;
		w->fd[1] = fd;
		w->depth = 0;
		w->fresh = fresh;
		return 0;
	}
	if (walk_open(o, path, create, w, e) != 0)
		return -1;
	int keep = fcntl(walk_folder(w), F_DUPFD_CLOEXEC, 0);
	if (keep < 0)
		return 0; /* out of descriptors: just not cached */
	pthread_mutex_lock(&o->lock);
	bool added = false;
	struct folder_slot *slot = &o->folders[folder_slot(o, path, folder_len)];
	/* Another thread may have added it meanwhile. */
	if (!slot->path && o->folder_count < FOLDER_SLOTS / 2) {
		*slot = (struct folder_slot){
			arena_strndup(&o->arena, path, folder_len), keep, w->fresh };
		o->folder_count++;
		added = true;
	}
	pthread_mutex_unlock(&o->lock);
	if (!added)
		close(keep);
	return 0;
}

/* ---- the content hash ---------------------------------------------------- */

static uint64_t rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static uint64_t load64(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof(w));
	return w;
}

/* The final avalanche of splitmix64/murmur3: every input bit reaches every
 * output bit. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xFF51AFD7ED558CCDu;
	x ^= x >> 33;
	x *= 0xC4CEB9FE1A85EC53u;
	return x ^ (x >> 33);
}

/*
 * Four independent lanes, each xor-multiply-rotate over 8-byte words, so
 * the multiplies of a 32-byte block overlap in the CPU: several bytes per
 * cycle, where FNV-1a's one multiply per byte makes hashing the 800 MB of
 * a 10k-entity site cost more than the build's own rendering. Not meant to
 * resist an adversary: it detects that a file's bytes changed.
 */
struct hash_state {
	uint64_t v[4];
	uint64_t len;                /* bytes hashed so far */
	unsigned char pending[32];   /* a block not yet full */
	size_t pending_len;
};

static const uint64_t hash_k1 = 0x9E3779B97F4A7C15u, hash_k2 = 0xC2B2AE3D27D4EB4Fu;

static void hash_init(struct hash_state *h)
{
	h->v[0] = hash_k1;
	h->v[1] = hash_k2;
	h->v[2] = ~hash_k1;
	h->v[3] = ~hash_k2;
	h->len = 0;
	h->pending_len = 0;
}

static void hash_blocks(uint64_t v[4], const unsigned char *p, size_t blocks)
{
	for (; blocks > 0; p += 32, blocks--)
		for (int i = 0; i < 4; i++)
			v[i] = rotl64((v[i] ^ load64(p + 8 * i)) * hash_k1, 29);
}

/* Feed bytes in any pieces: the result depends only on their sequence. */
static void hash_update(struct hash_state *h, const void *data, size_t len)
{
	const unsigned char *p = data;
	if (len == 0)
		return;
	h->len += len;
	if (h->pending_len) {
		size_t take = 32 - h->pending_len < len ? 32 - h->pending_len : len;
		memcpy(h->pending + h->pending_len, p, take);
		h->pending_len += take;
		p += take;
		len -= take;
		if (h->pending_len < 32)
			return;
		hash_blocks(h->v, h->pending, 1);
		h->pending_len = 0;
	}
	hash_blocks(h->v, p, len / 32);
	memcpy(h->pending, p + len / 32 * 32, len % 32);
	h->pending_len = len % 32;
}

static uint64_t hash_final(const struct hash_state *hs)
{
	uint64_t v[4] = { hs->v[0], hs->v[1], hs->v[2], hs->v[3] };
	const unsigned char *p = hs->pending;
	size_t n = hs->pending_len;
	for (int i = 0; n >= 8; p += 8, n -= 8, i++)
		v[i] = rotl64((v[i] ^ load64(p)) * hash_k1, 29);
	unsigned char tail[8] = { 0 };
	memcpy(tail, p, n);
	uint64_t h = hs->len * hash_k2 ^ load64(tail) * hash_k1;
	for (int i = 0; i < 4; i++)
		h = rotl64(h ^ mix64(v[i]), 27) * hash_k2;
	return mix64(h);
}

uint64_t output_hash(const void *data, size_t len)
{
	struct hash_state h;
	hash_init(&h);
	hash_update(&h, data, len);
	return hash_final(&h);
}

static void facts_of(struct file_facts *f, const struct stat *st, uint64_t hash)
{
	f->known = true;
	f->size = (uint64_t)st->st_size;
	f->mtime_sec = (int64_t)st->st_mtim.tv_sec;
	f->mtime_nsec = (long)st->st_mtim.tv_nsec;
	f->hash = hash;
}

/* Whether `st` is still the file `f` describes: same size and mtime. */
static bool facts_match(const struct file_facts *f, const struct stat *st)
{
	return f->known && S_ISREG(st->st_mode) &&
	       (uint64_t)st->st_size == f->size &&
	       (int64_t)st->st_mtim.tv_sec == f->mtime_sec &&
	       (long)st->st_mtim.tv_nsec == f->mtime_nsec;
}

/*
 * Open the file `name` in `dirfd` to compare it: 1 (*fd open, *st filled)
 * when it is a regular file, 0 when it does not exist, -1 (`e` filled)
 * when it is a symlink, a folder or another non-regular file, or cannot be
 * read.
 */
static int open_target(struct output *o, int dirfd, const char *name,
		       const char *path, int *fd, struct stat *st, struct err *e)
{
	size_t path_len = strlen(path);
	/* O_NONBLOCK: a FIFO planted here must not hang the build. */
	*fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (*fd < 0) {
		int error = errno;
		if (error == ENOENT)
			return 0;
		if (fstatat(dirfd, name, st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st->st_mode))
			return fail(o, e, path, path_len, "is a symbolic link; "
				    "refusing to replace it");
		return fail(o, e, path, path_len, "cannot read: %s",
			    strerror(error));
	}
	int rc = 1;
	if (fstat(*fd, st) != 0)
		rc = fail(o, e, path, path_len, "cannot read: %s", strerror(errno));
	else if (S_ISDIR(st->st_mode))
		rc = fail(o, e, path, path_len, "is a folder; refusing to replace "
			  "it with a file");
	else if (!S_ISREG(st->st_mode))
		rc = fail(o, e, path, path_len, "is not a regular file; refusing "
			  "to replace it");
	if (rc < 0) {
		close(*fd);
		*fd = -1;
	}
	return rc;
}

/*
 * Compare the open file `fd` of `len` bytes (by its fstat) with the `len`
 * bytes that `next` hands out: next(ctx, done, chunk, want) puts up to
 * `want` bytes from offset `done` in `chunk` and returns how many (-1 on
 * a read error, errno set). 1 same, 0 different, -1 (`e` filled).
 */
typedef ssize_t (*bytes_source)(void *ctx, size_t done, unsigned char *chunk,
				size_t want);

static int compare_file(struct output *o, int fd, const char *path,
			size_t len, bytes_source next, void *ctx, struct err *e)
{
	size_t path_len = strlen(path);
	unsigned char *chunk = xmalloc(2 * COMPARE_CHUNK);
	unsigned char *want_bytes = chunk + COMPARE_CHUNK;
	size_t done = 0;
	int rc = 1;
	/* One byte more than expected tells a file that grew. */
	while (rc == 1) {
		size_t want = len - done < COMPARE_CHUNK ? len - done + 1
							 : COMPARE_CHUNK;
		ssize_t n = read(fd, chunk, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = fail(o, e, path, path_len, "cannot read: %s",
				  strerror(errno));
		} else if (n == 0) {
			break;
		} else if ((size_t)n > len - done) {
			rc = 0;
		} else {
			ssize_t m = next(ctx, done, want_bytes, (size_t)n);
			if (m != n)
				rc = m < 0 ? fail(o, e, path, path_len, "cannot read "
						  "the staged file: %s",
						  strerror(errno))
					   : 0;
			else if (memcmp(chunk, want_bytes, (size_t)n) != 0)
				rc = 0;
			else
				done += (size_t)n;
		}
	}
	free(chunk);
	if (rc == 1 && done != len)
		rc = 0; /* it shrank while we read */
	return rc;
}

static ssize_t memory_bytes(void *ctx, size_t done, unsigned char *chunk,
			    size_t want)
{
	memcpy(chunk, (const unsigned char *)ctx + done, want);
	return (ssize_t)want;
}

/* A staged file's bytes; `ctx` points at its descriptor. */
static ssize_t file_bytes(void *ctx, size_t done, unsigned char *chunk,
			  size_t want)
{
	int fd = *(const int *)ctx;
	size_t got = 0;
	while (got < want) {
		ssize_t n = pread(fd, chunk + got, want - got, (off_t)(done + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/*
 * 1 when `name` in `dirfd` holds exactly the `len` bytes of `data` (*st
 * then describes it), 0 when it differs or does not exist, -1 (`e` filled)
 * when it is a symlink, a folder or another non-regular file, or cannot be
 * read.
 */
static int same_bytes(struct output *o, int dirfd, const char *name,
		      const char *path, const void *data, size_t len,
		      struct stat *out_st, struct err *e)
{
	int fd;
	int rc = open_target(o, dirfd, name, path, &fd, out_st, e);
	if (rc <= 0)
		return rc;
	if ((uintmax_t)out_st->st_size != (uintmax_t)len)
		rc = 0;
	else
		rc = compare_file(o, fd, path, len, memory_bytes, (void *)data, e);
	close(fd);
	return rc;
}

static uint64_t next_random(struct output *o)
{
	pthread_mutex_lock(&o->lock);
	uint64_t z = (o->random += 0x9E3779B97F4A7C15u); /* splitmix64 */
	pthread_mutex_unlock(&o->lock);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

/* A new temporary name ".<name>.tmp-XXXXXX" for the file `name` in `tmp`. */
static void temp_name(struct output *o, const char *name, char tmp[OUTPUT_MAX_NAME + 1])
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	size_t keep = strlen(name);
	if (keep > TEMP_NAME_KEEP)
		keep = TEMP_NAME_KEEP;
	size_t n = 0;
	tmp[n++] = '.';
	memcpy(tmp + n, name, keep);
	n += keep;
	memcpy(tmp + n, ".tmp-", 5);
	n += 5;
	uint64_t r = next_random(o);
	for (int i = 0; i < 6; i++, r /= sizeof(alphabet) - 1)
		tmp[n++] = alphabet[r % (sizeof(alphabet) - 1)];
	tmp[n] = '\0';
}

/*
 * Create a new temporary file ".<name>.tmp-XXXXXX" in `dirfd` for the
 * file `name`, its name in `tmp`; the name starts with '.', so it can
 * never be a path of the site. Returns its descriptor (`flags` added to
 * O_CREAT | O_EXCL), or -1 with `e` filled.
 */
static int create_temp(struct output *o, int dirfd, const char *name,
		       const char *path, int flags,
		       char tmp[OUTPUT_MAX_NAME + 1], struct err *e)
{
	size_t path_len = strlen(path);
	for (int attempt = 0; attempt < TEMP_ATTEMPTS; attempt++) {
		temp_name(o, name, tmp);
		int fd = openat(dirfd, tmp, flags | O_CREAT | O_EXCL | O_NOFOLLOW |
				O_CLOEXEC, 0644);
		if (fd >= 0)
			return fd;
		if (errno != EEXIST)
			return fail(o, e, path, path_len, "cannot create a "
				    "temporary file: %s", strerror(errno));
	}
	return fail(o, e, path, path_len, "cannot create a temporary file: "
		    "every name tried exists");
}

/* Write all `len` bytes; 0, or -1 with errno set. */
static int write_all(int fd, const void *data, size_t len)
{
	const unsigned char *bytes = data;
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, bytes + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/*
 * Close the temporary file `fd` named `tmp` in `dirfd`, its status (its
 * mtime is the file's once renamed) to *st; on failure (`e` filled) it is
 * removed.
 */
static int close_temp(struct output *o, int dirfd, int fd, const char *tmp,
		      const char *path, struct stat *st, struct err *e)
{
	int error = fstat(fd, st) != 0 ? errno : 0;
	if (close(fd) != 0 && !error)
		error = errno;
	if (error) {
		unlinkat(dirfd, tmp, 0);
		return fail(o, e, path, strlen(path), "cannot write: %s",
			    strerror(error));
	}
	return 0;
}

/* Whether /proc/self/fd is procfs, through which stage_unnamed() names
 * its files: elsewhere (a chroot's plain folder) a link through it could
 * put any file into the site. Looked at once. */
#define PROC_SUPER_MAGIC 0x9fa0
static pthread_once_t proc_once = PTHREAD_ONCE_INIT;
static bool proc_usable;

static void probe_proc(void)
{
	struct statfs fs;
	proc_usable = statfs("/proc/self/fd", &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
}

/*
 * stage_bytes() through a file without a name (O_TMPFILE), given its
 * temporary name once written. A file created by name gets its inode
 * while the folder's lock is held, and the file system may search a while
 * for a free one (ext4, after many files were deleted): threads staging
 * into one folder (every entity page is in one) wait for each other
 * there. An unnamed file gets its inode outside that lock, and naming it
 * is quick. 1 when staged, 0 when the system cannot (no procfs, no
 * O_TMPFILE in the file system, a link refused): the caller creates the
 * file by name, and so does every later file of this output, so that
 * nothing is written twice; -1 with `e` filled when writing fails.
 */
static int stage_unnamed(struct output *o, int dirfd, const char *name,
			 const char *path, const void *data, size_t len,
			 char tmp[OUTPUT_MAX_NAME + 1], struct stat *st,
			 struct err *e)
{
#ifdef O_TMPFILE
	pthread_once(&proc_once, probe_proc);
	if (!proc_usable || atomic_load(&o->named_only))
		return 0;
	int fd = openat(dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0) {
		atomic_store(&o->named_only, true);
		return 0;
	}
	if (write_all(fd, data, len) != 0) {
		int error = errno;
		close(fd);
		return fail(o, e, path, strlen(path), "cannot write: %s",
			    strerror(error));
	}
	char self[64];
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	for (int attempt = 0; attempt < TEMP_ATTEMPTS; attempt++) {
		temp_name(o, name, tmp);
		if (linkat(AT_FDCWD, self, dirfd, tmp, AT_SYMLINK_FOLLOW) == 0)
			return close_temp(o, dirfd, fd, tmp, path, st, e) == 0 ? 1 : -1;
		if (errno != EEXIST)
			break;
	}
	close(fd);
	atomic_store(&o->named_only, true);
#else
	(void)o, (void)dirfd, (void)name, (void)path, (void)data, (void)len;
	(void)tmp, (void)st, (void)e;
#endif
	return 0;
}

/*
 * Write `len` bytes of `data` to a new temporary file in `dirfd`
 * (stage_unnamed(), else create_temp()), whose name goes to `tmp` and
 * whose status to *st. On failure nothing is left behind.
 */
static int stage_bytes(struct output *o, int dirfd, const char *name,
		       const char *path, const void *data, size_t len,
		       char tmp[OUTPUT_MAX_NAME + 1], struct stat *st,
		       struct err *e)
{
	int staged = stage_unnamed(o, dirfd, name, path, data, len, tmp, st, e);
	if (staged != 0)
		return staged > 0 ? 0 : -1;
	int fd = create_temp(o, dirfd, name, path, O_WRONLY, tmp, e);
	if (fd < 0)
		return -1;
	if (write_all(fd, data, len) != 0) {
		int error = errno;
		close(fd);
		unlinkat(dirfd, tmp, 0);
		return fail(o, e, path, strlen(path), "cannot write: %s",
			    strerror(error));
	}
	return close_temp(o, dirfd, fd, tmp, path, st, e);
}

/* ---- the manifest ------------------------------------------------------ */

/*
 * A manifest line is "PATH" or "PATH\tSIZE\tSECONDS.NANOSECONDS\tHASH"
 * (decimal, decimal with nine digits of nanoseconds, sixteen lower-case
 * hex digits); a path never holds a tab.
 */
static void add_facts_line(struct buf *list, const struct entry *en)
{
	buf_adds(list, en->path);
	const struct file_facts *f = &en->facts;
	if (f->known)
		buf_addf(list, "\t%llu\t%lld.%09ld\t%016llx",
			 (unsigned long long)f->size, (long long)f->mtime_sec,
			 f->mtime_nsec, (unsigned long long)f->hash);
	buf_addch(list, '\n');
}

/* Parse the `n` bytes of facts after a path's tab into *f; any departure
 * from the format leaves f->known false. */
static void parse_facts(const char *s, size_t n, struct file_facts *f)
{
	char text[96];
	f->known = false;
	if (n >= sizeof(text))
		return;
	memcpy(text, s, n);
	text[n] = '\0';
	unsigned long long size, hash;
	long long sec;
	long nsec;
	int used = -1;
	for (size_t i = 0; i < n; i++)
		if (!(text[i] == '\t' || text[i] == '.' ||
		      (text[i] >= '0' && text[i] <= '9') ||
		      (text[i] >= 'a' && text[i] <= 'f')))
			return;
	if (sscanf(text, "%llu\t%lld.%9ld\t%16llx%n", &size, &sec, &nsec, &hash,
		   &used) != 4 || used != (int)n || nsec < 0 || nsec > 999999999)
		return;
	f->known = true;
	f->size = size;
	f->mtime_sec = sec;
	f->mtime_nsec = nsec;
	f->hash = hash;
}

static int read_manifest(struct output *o, struct err *e)
{
	const char *name = OUTPUT_MANIFEST;
	size_t name_len = strlen(name);
	int fd = openat(o->root, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int error = errno;
		struct stat st;
		if (error == ENOENT)
			return 0;
		if (fstatat(o->root, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st.st_mode))
			return fail(o, e, name, name_len, "is a symbolic link, "
				    "not yardstick's list of files; remove it");
		return fail(o, e, name, name_len, "cannot read: %s",
			    strerror(error));
	}
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) != 0)
		rc = fail(o, e, name, name_len, "cannot read: %s", strerror(errno));
	else if (!S_ISREG(st.st_mode))
		rc = fail(o, e, name, name_len, "is not a regular file, not "
			  "yardstick's list of files; remove it");
	else if (buf_read_fd(&o->manifest, fd, OUTPUT_MAX_MANIFEST) != 0)
		rc = fail(o, e, name, name_len, "cannot read: %s",
			  errno == EFBIG ? "larger than 64 MiB" : strerror(errno));
	close(fd);
	if (rc)
		return rc;
	o->manifest_exists = true;

	/* A line whose path is not valid (a tampered manifest) is ignored:
	 * only what passes output_check_path() is ever removed. A valid path
	 * without facts, or with facts that do not parse (an older manifest,
	 * a file left from a killed commit), is read as "unknown": the next
	 * write of that file compares bytes. */
	const char *p = o->manifest.data, *end = p + o->manifest.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *tab = memchr(p, '\t', n);
		size_t path_len = tab ? (size_t)(tab - p) : n;
		if (path_len > 0 && path_len <= OUTPUT_MAX_PATH &&
		    !memchr(p, '\0', n)) {
			char line[OUTPUT_MAX_PATH + 1];
			memcpy(line, p, path_len);
			line[path_len] = '\0';
			if (!output_check_path(line)) {
				struct entry *en = entry_get(o, line, ENTRY_LISTED);
				en->listed = true;
				if (tab)
					parse_facts(tab + 1, (size_t)(p + n - tab - 1),
						    &en->facts);
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

/*
 * Atomically replace the manifest with `text`, unless it already holds
 * exactly that (or is missing and `text` is empty).
 */
static int replace_manifest(struct output *o, const struct buf *text,
			    struct err *e)
{
	if (text->len == o->manifest.len &&
	    memcmp(text->data, o->manifest.data, text->len) == 0 &&
	    (o->manifest_exists || text->len == 0))
		return 0;
	const char *name = OUTPUT_MANIFEST;
	char temp[OUTPUT_MAX_NAME + 1];
	struct stat st;
	if (stage_bytes(o, o->root, name, name, text->data, text->len, temp,
			&st, e))
		return -1;
	if (renameat(o->root, temp, o->root, name) != 0) {
		int error = errno;
		unlinkat(o->root, temp, 0);
		return fail(o, e, name, strlen(name), "cannot replace: %s",
			    strerror(error));
	}
	buf_reset(&o->manifest);
	buf_add(&o->manifest, text->data, text->len);
	o->manifest_exists = true;
	return 0;
}

/* ---- open, write ------------------------------------------------------ */

int output_open(struct output **out, const char *dir, bool wait, struct err *e)
{
	struct output *o = xcalloc(1, sizeof(*o));
	*out = NULL;
	o->root = -1;
	o->state = OUTPUT_OPEN;
	pthread_mutex_init(&o->lock, NULL);
	atomic_init(&o->named_only, false);
	arena_init(&o->arena);
	buf_init(&o->manifest);
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	o->dir = xstrndup(dir, len);
	if (!len) {
		fail(o, e, NULL, 0, "the output folder has no name");
		goto fail;
	}
	if (mkdir(o->dir, 0755) == 0) {
		o->created_root = true;
	} else if (errno != EEXIST) {
		fail(o, e, NULL, 0, "cannot create the output folder: %s",
		     strerror(errno));
		goto fail;
	}
	o->root = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->root < 0) {
		fail(o, e, NULL, 0, "cannot open the output folder: %s",
		     errno == ENOTDIR ? "not a folder" : strerror(errno));
		goto fail;
	}
	if (output_guard_acquire(o->root, o->dir, wait, &o->cleaned, e) != 0)
		goto fail;
	o->locked = true;
	if (read_manifest(o, e) != 0)
		goto fail;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	o->random = ((uint64_t)now.tv_sec * 1000000007u) ^ (uint64_t)now.tv_nsec ^
		    ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)o;
	*out = o;
	return 0;
fail:
	o->state = OUTPUT_DONE;
	if (o->locked)
		output_guard_done(o->root);
	if (o->created_root)
		rmdir(o->dir);
	output_free(o);
	return -1;
}

/*
 * Whether `path` clashes with this build: written already, a folder of
 * another file, or inside a file. Returns -1 with `e` filled when it does.
 */
static int check_clash(struct output *o, const char *path, struct err *e)
{
	size_t len = strlen(path);
	struct entry *en = entry_find(o, path);
	if (en && is_file(en))
		return fail(o, e, path, len, "is written twice in one build");
	if (en && en->kind == ENTRY_FOLDER)
		return fail(o, e, path, len, "is a folder of this build; it "
			    "cannot also be a file");
	char prefix[OUTPUT_MAX_PATH + 1];
	memcpy(prefix, path, len + 1);
	for (size_t i = 0; i < len; i++) {
		if (prefix[i] != '/')
			continue;
		prefix[i] = '\0';
		en = entry_find(o, prefix);
		if (en && is_file(en))
			return fail(o, e, prefix, i, "is a file of this build; it "
				    "cannot also be a folder");
		prefix[i] = '/';
	}
	return 0;
}

/* Record the folders of `path` as folders of this build (`add`), or take
 * back that record after a failed write: a folder no file of this build
 * is in any more is not one of its folders. */
static void count_folders(struct output *o, const char *path, bool add)
{
	char prefix[OUTPUT_MAX_PATH + 1];
	size_t len = strlen(path);
	memcpy(prefix, path, len + 1);
	for (size_t i = 0; i < len; i++) {
		if (prefix[i] != '/')
			continue;
		prefix[i] = '\0';
		struct entry *en = entry_get(o, prefix, ENTRY_FOLDER);
		if (add) {
			en->kind = ENTRY_FOLDER;
			en->files_under++;
		} else if (--en->files_under == 0) {
			en->kind = ENTRY_LISTED;
		}
		prefix[i] = '/';
	}
}

/*
 * Whether the file `name` in `dirfd` can be left alone because it is what
 * the manifest describes (`known`, by size and mtime: no read) and that is
 * the bytes of this build (`hash`); *st is filled when it exists. 1 keep,
 * 0 write, -1 (`e` filled) when the target is a symlink, a folder or not a
 * regular file.
 */
static int still_there(struct output *o, int dirfd, const char *name,
		       const char *path, const struct file_facts *known,
		       uint64_t hash, size_t len, struct stat *st, struct err *e)
{
	if (fstatat(dirfd, name, st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT)
			return 0;
		return fail(o, e, path, strlen(path), "cannot read: %s",
			    strerror(errno));
	}
	if (S_ISLNK(st->st_mode))
		return fail(o, e, path, strlen(path), "is a symbolic link; "
			    "refusing to replace it");
	if (S_ISDIR(st->st_mode))
		return fail(o, e, path, strlen(path), "is a folder; refusing "
			    "to replace it with a file");
	if (!S_ISREG(st->st_mode))
		return fail(o, e, path, strlen(path), "is not a regular file; "
			    "refusing to replace it");
	return known->hash == hash && known->size == (uint64_t)len &&
	       facts_match(known, st);
}

/*
 * The table is updated under the lock, before and after the file's I/O:
 * first the path is checked for clashes and reserved (ENTRY_PENDING), so a
 * second write of it, from any thread, is refused; then the bytes are
 * compared or staged without the lock; then the entry is settled.
 *
 * reserve() does the first step for `path`: its entry's index goes to
 * *at and the manifest's facts of it to *known. -1 (`e` filled, the build
 * failed) when the path is invalid or clashes.
 */
static int reserve(struct output *o, const char *path, bool stream,
		   size_t *at, struct file_facts *known, struct err *e)
{
	const char *problem = output_check_path(path);
	pthread_mutex_lock(&o->lock);
	if (o->state != OUTPUT_OPEN)
		BUG("a write after output_commit or output_abort");
	if (problem) {
		o->failed = true;
		pthread_mutex_unlock(&o->lock);
		return fail(o, e, NULL, 0, "bad output path '%.300s': %s",
			    path ? path : "(null)", problem);
	}
	if (check_clash(o, path, e) != 0) {
		o->failed = true;
		pthread_mutex_unlock(&o->lock);
		return -1;
	}
	count_folders(o, path, true);
	struct entry *en = entry_get(o, path, ENTRY_LISTED);
	*at = (size_t)(en - o->entries);
	*known = en->facts;
	en->kind = ENTRY_PENDING;
	o->streams += stream;
	pthread_mutex_unlock(&o->lock);
	return 0;
}

/*
 * The last step: the file at entry `at` is unchanged (`same` 1; *st is
 * the file on disk), staged in `temp` (`same` 0; *st is the temporary
 * file), failed (`same` -1: the build fails, unless `dropped`, when the
 * caller gave up writing it) with `hash` of its bytes.
 */
static void settle(struct output *o, size_t at, int same, bool dropped,
		   bool stream, const struct stat *st, uint64_t hash,
		   const char *temp)
{
	pthread_mutex_lock(&o->lock);
	struct entry *en = &o->entries[at];
	if (same < 0) {
		o->failed |= !dropped; /* commit refuses */
		en->kind = ENTRY_LISTED;
		count_folders(o, en->path, false);
	} else if (same) {
		en->kind = ENTRY_UNCHANGED;
		facts_of(&en->facts, st, hash);
		o->unchanged++;
	} else {
		en->kind = ENTRY_STAGED;
		en->temp = arena_strdup(&o->arena, temp);
		facts_of(&en->facts, st, hash);
		o->written++;
	}
	o->streams -= stream;
	pthread_mutex_unlock(&o->lock);
}

/* ---- twins -------------------------------------------------------------- */

static size_t twin_slot(const char *folder, size_t folder_len, uint64_t hash)
{
	uint64_t h = hash ^ util_hash_bytes(folder, folder_len);
	return (size_t)(h ^ (h >> 29)) % (sizeof(((struct output *)0)->twin_slots) /
					   sizeof(size_t));
}

/* The folder part of `path` ("" for a file in the root): its length. */
static size_t folder_length(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? (size_t)(slash - path) : 0;
}

/* A staged twin of these bytes in `path`'s folder: its temporary name
 * copied to `from`, or false. Called with the lock held. */
static bool find_twin(struct output *o, const char *path, const void *data,
		      size_t len, uint64_t hash, char from[OUTPUT_MAX_NAME + 1])
{
	size_t folder_len = folder_length(path);
	for (size_t i = o->twin_slots[twin_slot(path, folder_len, hash)]; i;
	     i = o->twins[i - 1].next) {
		const struct twin *t = &o->twins[i - 1];
		if (t->hash == hash && t->len == len &&
		    strlen(t->folder) == folder_len &&
		    memcmp(t->folder, path, folder_len) == 0 &&
		    memcmp(t->bytes, data, len) == 0) {
			snprintf(from, OUTPUT_MAX_NAME + 1, "%s", t->temp);
			return true;
		}
	}
	return false;
}

/* Keep the file just staged as `temp` as the twin of its bytes (the newest
 * one: an older one may have run out of links). */
static void add_twin(struct output *o, const char *path, const void *data,
		     size_t len, uint64_t hash, const char *temp)
{
	pthread_mutex_lock(&o->lock);
	if (o->twin_bytes + len <= TWIN_MAX_TOTAL) {
		size_t folder_len = folder_length(path);
		size_t slot = twin_slot(path, folder_len, hash);
		ALLOC_GROW(o->twins, o->twin_count + 1, o->twin_alloc);
		void *bytes = arena_alloc(&o->arena, len ? len : 1);
		memcpy(bytes, data, len);
		o->twins[o->twin_count] = (struct twin){
			arena_strndup(&o->arena, path, folder_len),
			arena_strdup(&o->arena, temp), hash, len, bytes,
			o->twin_slots[slot] };
		o->twin_slots[slot] = ++o->twin_count;
		o->twin_bytes += len;
	}
	pthread_mutex_unlock(&o->lock);
}

/*
 * Stage `path` as a hard link to its twin `from` in the same folder, under
 * a new temporary name in `tmp` (status in *st). False when it cannot be
 * (the file system has no hard links, the twin has too many): then the
 * file is staged the usual way.
 */
static bool link_twin(struct output *o, int dirfd, const char *name,
		      const char *from, char tmp[OUTPUT_MAX_NAME + 1],
		      struct stat *st)
{
	for (int attempt = 0; attempt < TEMP_ATTEMPTS; attempt++) {
		temp_name(o, name, tmp);
		if (linkat(dirfd, from, dirfd, tmp, 0) == 0) {
			if (fstatat(dirfd, tmp, st, AT_SYMLINK_NOFOLLOW) == 0)
				return true;
			unlinkat(dirfd, tmp, 0);
			return false;
		}
		if (errno != EEXIST)
			return false;
	}
	return false;
}

/* Stage a small file as a link to its twin when there is one (true);
 * otherwise (false) the caller stages it, and it becomes a twin. */
static bool stage_twin(struct output *o, struct walk *w, const char *path,
		       const void *data, size_t len, uint64_t hash,
		       char tmp[OUTPUT_MAX_NAME + 1], struct stat *st)
{
	if (len > TWIN_MAX_BYTES)
		return false;
	char from[OUTPUT_MAX_NAME + 1];
	pthread_mutex_lock(&o->lock);
	bool found = find_twin(o, path, data, len, hash, from);
	pthread_mutex_unlock(&o->lock);
	if (found && link_twin(o, walk_folder(w), walk_name(w), from, tmp, st))
		return true;
	return false;
}

int output_write(struct output *o, const char *path, const void *data,
		 size_t len, struct err *e)
{
	size_t at;
	struct file_facts known;
	if (reserve(o, path, false, &at, &known, e) != 0)
		return -1;

	uint64_t hash = output_hash(data, len);
	char temp[OUTPUT_MAX_NAME + 1];
	struct stat st;
	int same = -1;
	struct walk w;
	if (walk_cached(o, path, true, &w, e) == 0) {
		/* With facts, the disk is trusted by its size and mtime; without
		 * (a file the manifest does not describe), bytes are compared. */
		if (known.known)
			same = still_there(o, walk_folder(&w), walk_name(&w), path,
					   &known, hash, len, &st, e);
		else if (w.fresh)
			same = 0; /* a folder this build made holds no such file */
		else
			same = same_bytes(o, walk_folder(&w), walk_name(&w), path,
					  data, len, &st, e);
		if (same != 0 || stage_twin(o, &w, path, data, len, hash, temp, &st))
			; /* unchanged, failed, or staged as a twin's link */
		else if (stage_bytes(o, walk_folder(&w), walk_name(&w), path, data,
				     len, temp, &st, e) != 0)
			same = -1;
		else if (len <= TWIN_MAX_BYTES)
			add_twin(o, path, data, len, hash, temp);
		walk_close(&w);
	}
	settle(o, at, same, false, false, &st, hash, temp);
	return same < 0 ? -1 : 0;
}

/* ---- streams ------------------------------------------------------------ */

struct output_stream {
	struct output *o;
	char *path;
	size_t at;               /* its entry, ENTRY_PENDING until the end */
	struct file_facts known; /* the manifest's facts of it */
	struct walk w;           /* its folders, open */
	int fd;                  /* the temporary file, read and write */
	char temp[OUTPUT_MAX_NAME + 1];
	struct hash_state hash;  /* of the bytes so far; hash.len counts them */
	bool failed;             /* a write failed: only the end is left */
};

int output_stream_begin(struct output *o, const char *path,
			struct output_stream **out, struct err *e)
{
	*out = NULL;
	size_t at;
	struct file_facts known;
	if (reserve(o, path, true, &at, &known, e) != 0)
		return -1;
	struct output_stream *s = xcalloc(1, sizeof(*s));
	s->o = o;
	s->at = at;
	s->known = known;
	s->fd = -1;
	hash_init(&s->hash);
	if (walk_cached(o, path, true, &s->w, e) != 0) {
		settle(o, at, -1, false, true, NULL, 0, NULL);
		free(s);
		return -1;
	}
	s->fd = create_temp(o, walk_folder(&s->w), walk_name(&s->w), path,
			    O_RDWR, s->temp, e);
	if (s->fd < 0) {
		walk_close(&s->w);
		settle(o, at, -1, false, true, NULL, 0, NULL);
		free(s);
		return -1;
	}
	s->path = xstrdup(path);
	*out = s;
	return 0;
}

int output_stream_write(struct output_stream *s, const void *data, size_t len,
			struct err *e)
{
	if (s->failed)
		BUG("output_stream_write after a failed write");
	if (write_all(s->fd, data, len) != 0) {
		s->failed = true;
		return fail(s->o, e, s->path, strlen(s->path), "cannot write: %s",
			    strerror(errno));
	}
	hash_update(&s->hash, data, len);
	return 0;
}

/* Remove the temporary file and free `s`, its entry settled as `same`. */
static void stream_close(struct output_stream *s, int same, bool dropped,
			 const struct stat *st, uint64_t hash)
{
	if (same != 0) {
		if (s->fd >= 0)
			close(s->fd);
		unlinkat(walk_folder(&s->w), s->temp, 0);
	}
	walk_close(&s->w);
	/* A stream whose write failed fails the build even when dropped. */
	settle(s->o, s->at, same, dropped && !s->failed, true, st, hash, s->temp);
	free(s->path);
	free(s);
}

int output_stream_end(struct output_stream *s, struct err *e)
{
	struct output *o = s->o;
	int dirfd = walk_folder(&s->w);
	const char *name = walk_name(&s->w);
	uint64_t hash = hash_final(&s->hash);
	size_t len = (size_t)s->hash.len;
	struct stat st;
	int same = -1;
	if (s->failed) {
		fail(o, e, s->path, strlen(s->path), "not written: a write to "
		     "it failed");
	} else if (s->known.known) {
		same = still_there(o, dirfd, name, s->path, &s->known, hash, len,
				   &st, e);
	} else {
		int fd;
		same = open_target(o, dirfd, name, s->path, &fd, &st, e);
		if (same > 0) {
			if ((uintmax_t)st.st_size != (uintmax_t)len)
				same = 0;
			else
				same = compare_file(o, fd, s->path, len, file_bytes,
						    &s->fd, e);
			close(fd);
		}
	}
	if (same == 0) {
		int fd = s->fd;
		s->fd = -1;
		if (close_temp(o, dirfd, fd, s->temp, s->path, &st, e) != 0)
			same = -1; /* close_temp removed it */
	}
	stream_close(s, same, false, &st, hash);
	return same < 0 ? -1 : 0;
}

void output_stream_abort(struct output_stream *s)
{
	if (s)
		stream_close(s, -1, true, NULL, 0);
}

/* ---- copy_tree ---------------------------------------------------------- */

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int copy_file(struct output *o, int dirfd, const char *name,
		     const char *src, const char *dest, struct err *e)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		err_path(e, ERR_ERROR, src, "cannot read: %s", strerror(errno));
		return -1;
	}
	struct stat st;
	struct buf data = BUF_INIT;
	int rc = -1;
	if (fstat(fd, &st) != 0)
		err_path(e, ERR_ERROR, src, "cannot read: %s", strerror(errno));
	else if (!S_ISREG(st.st_mode))
		err_path(e, ERR_ERROR, src, "is no longer a regular file");
	else if (buf_read_fd(&data, fd, OUTPUT_MAX_COPY) != 0)
		err_path(e, ERR_ERROR, src, "cannot read: %s",
			 errno == EFBIG ? "larger than 32 MiB" : strerror(errno));
	else
		rc = output_write(o, dest, data.data, data.len, e);
	close(fd);
	buf_release(&data);
	return rc;
}

/*
 * Copy the folder open as `fd` (taken over) whose path is `src`, to the
 * output folder `dest` ("" for the root) of `depth` names.
 */
static int copy_folder(struct output *o, int fd, struct buf *src,
		       struct buf *dest, size_t depth, struct err *e)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		err_path(e, ERR_ERROR, src->data, "cannot read folder: %s",
			 strerror(errno));
		close(fd);
		return -1;
	}
	char **names = NULL;
	size_t count = 0, alloc = 0;
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(d);
		if (!de)
			break;
		if (de->d_name[0] == '.')
			continue;
		ALLOC_GROW(names, count + 1, alloc);
		names[count++] = xstrdup(de->d_name);
	}
	int rc = 0;
	if (errno) {
		err_path(e, ERR_ERROR, src->data, "cannot read folder: %s",
			 strerror(errno));
		rc = -1;
	}
	if (count)
		qsort(names, count, sizeof(*names), compare_names);
	size_t src_len = src->len, dest_len = dest->len;
	for (size_t i = 0; i < count && rc == 0; i++) {
		buf_truncate(src, src_len);
		buf_addf(src, "/%s", names[i]);
		buf_truncate(dest, dest_len);
		if (dest_len)
			buf_addch(dest, '/');
		buf_adds(dest, names[i]);

		struct stat st;
		if (fstatat(fd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
			err_path(e, ERR_ERROR, src->data, "cannot read: %s",
				 strerror(errno));
			rc = -1;
			break;
		}
		if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
			continue; /* symlinks, devices, FIFOs, sockets */
		const char *problem = output_check_path(dest->data);
		if (problem) {
			err_path(e, ERR_ERROR, src->data, "cannot copy to the "
				 "output folder as '%s': %s", dest->data, problem);
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (depth + 1 >= OUTPUT_MAX_SEGMENTS) {
				err_path(e, ERR_ERROR, src->data, "folders nested "
					 "too deeply (a file in it would be more "
					 "than 16 names deep in the output)");
				rc = -1;
				break;
			}
			int sub = openat(fd, names[i], O_RDONLY | O_DIRECTORY |
					 O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				err_path(e, ERR_ERROR, src->data, "cannot read "
					 "folder: %s", strerror(errno));
				rc = -1;
			} else {
				rc = copy_folder(o, sub, src, dest, depth + 1, e);
			}
		} else if ((uintmax_t)st.st_size > OUTPUT_MAX_COPY) {
			err_path(e, ERR_ERROR, src->data, "larger than 32 MiB");
			rc = -1;
		} else {
			rc = copy_file(o, fd, names[i], src->data, dest->data, e);
		}
	}
	buf_truncate(src, src_len);
	buf_truncate(dest, dest_len);
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

int output_copy_tree(struct output *o, const char *src_dir,
		     const char *dest_prefix, struct err *e)
{
	if (o->state != OUTPUT_OPEN)
		BUG("output_copy_tree after output_commit or output_abort");
	size_t depth = 0;
	if (!dest_prefix)
		dest_prefix = "";
	if (*dest_prefix) {
		const char *problem = output_check_path(dest_prefix);
		if (problem) {
			o->failed = true;
			return fail(o, e, NULL, 0, "bad output path '%.300s': %s",
				    dest_prefix, problem);
		}
		depth = 1;
		for (const char *s = dest_prefix; *s; s++)
			depth += *s == '/';
	}
	int fd = open(src_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		err_path(e, ERR_ERROR, src_dir, "cannot read folder: %s",
			 strerror(errno));
		o->failed = true;
		return -1;
	}
	struct buf src = BUF_INIT, dest = BUF_INIT;
	buf_adds(&src, src_dir);
	buf_adds(&dest, dest_prefix);
	int rc = copy_folder(o, fd, &src, &dest, depth, e);
	buf_release(&src);
	buf_release(&dest);
	if (rc)
		o->failed = true;
	return rc;
}

/* ---- commit, abort ------------------------------------------------------ */

/*
 * Remove the regular file `path` of an earlier build, then each parent
 * folder left empty, up to the root. Quiet: a path that cannot be reached
 * without following a symlink, or is not a regular file, is left alone.
 * Returns 1 when removed, 0 when not, -1 (`e` filled) when unlink failed.
 */
static int remove_stale(struct output *o, const char *path, struct err *e)
{
	struct walk w;
	if (walk_open(o, path, false, &w, NULL) != 0)
		return 0;
	int dirfd = walk_folder(&w), rc = 0;
	struct stat st;
	if (fstatat(dirfd, walk_name(&w), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode)) {
		if (unlinkat(dirfd, walk_name(&w), 0) == 0)
			rc = 1;
		else if (errno != ENOENT)
			rc = fail(o, e, path, strlen(path), "cannot remove: %s",
				  strerror(errno));
	}
	for (size_t i = w.count - 1; i > 0 && rc >= 0; i--) {
		close(w.fd[i]);
		w.fd[i] = -1;
		if (unlinkat(w.fd[i - 1], w.names + w.start[i - 1], AT_REMOVEDIR) != 0)
			break;
	}
	walk_close(&w);
	return rc;
}

/* Delete what this build staged and the folders it made; best effort. */
static void discard(struct output *o)
{
	for (size_t i = 0; i < o->count; i++) {
		struct entry *en = &o->entries[i];
		struct walk w;
		if (en->kind != ENTRY_STAGED || !en->temp)
			continue;
		if (walk_cached(o, en->path, false, &w, NULL) == 0) {
			unlinkat(walk_folder(&w), en->temp, 0);
			walk_close(&w);
		}
		en->temp = NULL;
	}
	/* Deepest last made, so removed first; a folder that is not empty
	 * (someone put a file there meanwhile) stays. */
	while (o->created_count > 0) {
		const char *folder = o->created[--o->created_count];
		struct walk w;
		if (walk_open(o, folder, false, &w, NULL) == 0) {
			unlinkat(walk_folder(&w), walk_name(&w), AT_REMOVEDIR);
			walk_close(&w);
		}
	}
	if (o->created_root) {
		rmdir(o->dir);
		o->created_root = false;
	}
}

static int commit(struct output *o, struct output_stats *stats, struct err *e);

int output_commit(struct output *o, struct output_stats *stats,
		  struct err *e)
{
	int rc = commit(o, stats, e);
	/* Whatever happened, no staged file is left: no cleanup is due. */
	output_guard_done(o->root);
	return rc;
}

static int commit(struct output *o, struct output_stats *stats, struct err *e)
{
	if (o->state != OUTPUT_OPEN)
		BUG("output_commit after output_commit or output_abort");
	if (o->streams)
		BUG("output_commit with a stream not ended");
	o->state = OUTPUT_DONE;
	if (o->failed) {
		output_guard_done(o->root); /* before discard() may remove the folder */
		discard(o);
		return fail(o, e, NULL, 0, "not updated: a file of this build "
			    "could not be written");
	}
	struct entry **sorted = xmalloc(o->count * sizeof(*sorted));
	bool adds = false;
	for (size_t i = 0; i < o->count; i++) {
		sorted[i] = &o->entries[i];
		adds |= is_file(&o->entries[i]) && !o->entries[i].listed;
	}
	qsort(sorted, o->count, sizeof(*sorted), compare_entries);
	struct buf list = BUF_INIT;
	struct err first = ERR_INIT;
	size_t removed = 0;
	int rc = -1;

	/* New files are listed before they appear, so that a commit that
	 * fails or is killed part way leaves no file the next build would not
	 * remove. Staged files are listed without facts: until renamed, the
	 * disk holds the earlier bytes, so the next build compares them. */
	if (adds) {
		for (size_t i = 0; i < o->count; i++) {
			struct entry *en = sorted[i];
			if (en->kind == ENTRY_UNCHANGED) {
				add_facts_line(&list, en);
			} else if (is_file(en) || en->listed) {
				buf_adds(&list, en->path);
				buf_addch(&list, '\n');
			}
		}
		if (replace_manifest(o, &list, e) != 0)
			goto out;
	}
	for (size_t i = 0; i < o->count; i++) {
		struct entry *en = sorted[i];
		struct walk w;
		if (en->kind != ENTRY_STAGED)
			continue;
		if (walk_cached(o, en->path, false, &w, e) != 0)
			goto out;
		if (renameat(walk_folder(&w), en->temp, walk_folder(&w),
			     walk_name(&w)) != 0) {
			int error = errno;
			walk_close(&w);
			fail(o, e, en->path, strlen(en->path), "cannot replace: %s",
			     strerror(error));
			goto out;
		}
		walk_close(&w);
		en->temp = NULL;
	}
	/* The folders made hold files now, except those only an aborted
	 * stream was in: remove them again (when still empty). */
	while (o->created_count > 0) {
		const char *folder = o->created[--o->created_count];
		const struct entry *en = entry_find(o, folder);
		struct walk w;
		if (en && en->kind == ENTRY_FOLDER)
			continue;
		if (walk_open(o, folder, false, &w, NULL) == 0) {
			unlinkat(walk_folder(&w), walk_name(&w), AT_REMOVEDIR);
			walk_close(&w);
		}
	}
	/* A file that cannot be removed stays listed, so a later build tries
	 * again; the first such problem is reported once all else is done. */
	for (size_t i = 0; i < o->count; i++) {
		struct entry *en = sorted[i];
		if (!en->listed || is_file(en))
			continue;
		int r = remove_stale(o, en->path, first.msg ? NULL : &first);
		if (r > 0)
			removed++;
		else if (r < 0)
			en->keep = true;
	}
	buf_reset(&list);
	for (size_t i = 0; i < o->count; i++) {
		if (is_file(sorted[i])) {
			add_facts_line(&list, sorted[i]);
		} else if (sorted[i]->keep) {
			buf_adds(&list, sorted[i]->path);
			buf_addch(&list, '\n');
		}
	}
	if (replace_manifest(o, &list, e) != 0)
		goto out;
	if (stats) {
		stats->written = o->written;
		stats->unchanged = o->unchanged;
		stats->files = o->written + o->unchanged;
		stats->removed = removed;
	}
	if (first.msg) {
		fail(o, e, NULL, 0, "updated, but a file of an earlier build "
		     "could not be removed: %s: %s", first.path, first.msg);
		goto out;
	}
	rc = 0;
out:
	if (rc)
		discard(o);
	err_release(&first);
	buf_release(&list);
	free(sorted);
	return rc;
}

size_t output_cleaned(const struct output *o)
{
	return o->cleaned;
}

bool output_intact(struct output *o, size_t *files)
{
	if (o->state != OUTPUT_OPEN)
		BUG("output_intact after the output ended");
	*files = 0;
	if (!o->manifest_exists || o->cleaned)
		return false;
	for (size_t i = 0; i < o->count; i++) {
		const struct entry *en = &o->entries[i];
		if (en->kind != ENTRY_LISTED)
			continue;
		struct stat st;
		if (fstatat(o->root, en->path, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !facts_match(&en->facts, &st))
			return false;
		(*files)++;
	}
	return true;
}

void output_abort(struct output *o)
{
	if (o->state != OUTPUT_OPEN)
		BUG("output_abort after output_commit or output_abort");
	if (o->streams)
		BUG("output_abort with a stream not ended");
	o->state = OUTPUT_DONE;
	output_guard_done(o->root); /* before discard() may remove the folder */
	discard(o);
}

void output_free(struct output *o)
{
	if (!o)
		return;
	if (o->state == OUTPUT_OPEN)
		output_abort(o);
	if (o->root >= 0)
		close(o->root);
	free(o->dir);
	free(o->entries);
	free(o->slots);
	free(o->created);
	free(o->twins);
	for (size_t i = 0; i < FOLDER_SLOTS; i++)
		if (o->folders[i].path)
			close(o->folders[i].fd);
	buf_release(&o->manifest);
	arena_release(&o->arena);
	pthread_mutex_destroy(&o->lock);
	free(o);
}
