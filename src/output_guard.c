#include "output_guard.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

/* Whether `name` is one of output.c's temporary files. */
static bool is_temp(const char *name)
{
	/* ".<name>.tmp-XXXXXX" with six letters or digits (output.c). */
	size_t n = strlen(name);
	if (name[0] != '.' || n < 1 + 1 + 5 + 6)
		return false;
	const char *tail = name + n - 11;
	if (memcmp(tail, ".tmp-", 5) != 0)
		return false;
	for (size_t i = 5; i < 11; i++) {
		char c = tail[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9')))
			return false;
	}
	return true;
}

/* Remove the temporary files under the folder open as `fd` (taken over),
 * never following a symlink, at most OUTPUT_MAX_SEGMENTS deep. */
static size_t remove_temps(int fd, size_t depth)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	size_t removed = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		struct stat st;
		if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISREG(st.st_mode) && is_temp(name)) {
			removed += unlinkat(fd, name, 0) == 0;
		} else if (S_ISDIR(st.st_mode) && depth + 1 < OUTPUT_MAX_SEGMENTS) {
			int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					 O_CLOEXEC);
			if (sub >= 0)
				removed += remove_temps(sub, depth + 1);
		}
	}
	closedir(d);
	return removed;
}

int output_guard_acquire(int root, const char *dir, bool wait, size_t *removed,
			 struct err *e)
{
	*removed = 0;
	if (flock(root, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK || !wait) {
			err_path(e, ERR_ERROR, dir, errno == EWOULDBLOCK
				 ? "another build is writing this output folder"
				 : "cannot lock the output folder: %s", strerror(errno));
			return -1;
		}
		fprintf(stderr, "yardstick: waiting for another build writing '%s'\n", dir);
		if (flock(root, LOCK_EX) != 0) {
			err_path(e, ERR_ERROR, dir, "cannot lock the output folder: %s",
				 strerror(errno));
			return -1;
		}
	}
	struct stat st;
	if (fstatat(root, OUTPUT_GUARD_MARKER, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		int top = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (top >= 0)
			*removed = remove_temps(top, 0);
	}
	int fd = openat(root, OUTPUT_GUARD_MARKER, O_WRONLY | O_CREAT | O_NOFOLLOW |
			O_CLOEXEC, 0644);
	if (fd < 0) {
		err_path(e, ERR_ERROR, dir, "cannot write in the output folder: %s",
			 strerror(errno));
		flock(root, LOCK_UN);
		return -1;
	}
	close(fd);
	return 0;
}

void output_guard_done(int root)
{
	if (root >= 0)
		unlinkat(root, OUTPUT_GUARD_MARKER, 0);
}
