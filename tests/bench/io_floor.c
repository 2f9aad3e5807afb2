/*
 * io_floor: the time the file system needs to create a site's files, the
 * floor under any build of it.
 *
 *     io_floor LIST DIR
 *
 * LIST has one line per file, "<size> <relative path>" (as written by
 * `find OUTPUT -type f -printf '%s %P\n'`); io_floor creates DIR (which
 * must not exist) and writes each file with that many bytes at that path,
 * making its folders on the way: open, write, close, nothing else (no
 * temporary file, no rename, no comparison with what is there). Reading
 * LIST happens before the clock starts; the time printed on stdout, in
 * seconds, covers creating the files. Exit 1 on any error.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct file {
	size_t size;
	char *path;
};

static void die(const char *what, const char *path)
{
	fprintf(stderr, "io_floor: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

/* Make every folder of `path` (a file's relative path) below the current
 * folder. `made` is the folder made last, to skip the common case. */
static void make_folders(const char *path, char *made)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return;
	size_t len = (size_t)(slash - path);
	if (strlen(made) == len && strncmp(made, path, len) == 0)
		return;
	char folder[4096];
	if (len >= sizeof(folder))
		die("path too long", path);
	for (size_t i = 0; i <= len; i++) {
		if (i < len && path[i] != '/')
			continue;
		memcpy(folder, path, i);
		folder[i] = '\0';
		if (mkdir(folder, 0755) != 0 && errno != EEXIST)
			die("cannot make", folder);
	}
	memcpy(made, path, len);
	made[len] = '\0';
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: io_floor LIST DIR\n");
		return 2;
	}
	FILE *list = fopen(argv[1], "r");
	if (!list)
		die("cannot read", argv[1]);
	struct file *files = NULL;
	size_t count = 0, alloc = 0, largest = 0;
	char *line = NULL;
	size_t line_alloc = 0;
	ssize_t n;
	while ((n = getline(&line, &line_alloc, list)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		char *space = strchr(line, ' ');
		if (!space || !space[1])
			continue;
		if (count == alloc) {
			alloc = alloc ? alloc * 2 : 1024;
			files = realloc(files, alloc * sizeof(*files));
			if (!files)
				die("out of memory", argv[1]);
		}
		files[count].size = strtoull(line, NULL, 10);
		files[count].path = strdup(space + 1);
		if (files[count].size > largest)
			largest = files[count].size;
		count++;
	}
	fclose(list);
	free(line);
	/* One buffer of the largest size, not zeros (a file system may treat
	 * zero pages specially). */
	char *bytes = malloc(largest ? largest : 1);
	if (!bytes)
		die("out of memory", argv[1]);
	for (size_t i = 0; i < largest; i++)
		bytes[i] = (char)('a' + i % 26);

	struct timespec start, end;
	clock_gettime(CLOCK_MONOTONIC, &start);
	if (mkdir(argv[2], 0755) != 0)
		die("cannot make", argv[2]);
	if (chdir(argv[2]) != 0)
		die("cannot enter", argv[2]);
	char made[4096] = "";
	for (size_t i = 0; i < count; i++) {
		make_folders(files[i].path, made);
		int fd = open(files[i].path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			die("cannot create", files[i].path);
		size_t done = 0;
		while (done < files[i].size) {
			ssize_t w = write(fd, bytes + done, files[i].size - done);
			if (w < 0)
				die("cannot write", files[i].path);
			done += (size_t)w;
		}
		if (close(fd) != 0)
			die("cannot close", files[i].path);
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	printf("%.3f\n", (double)(end.tv_sec - start.tv_sec) +
				 (double)(end.tv_nsec - start.tv_nsec) / 1e9);
	for (size_t i = 0; i < count; i++)
		free(files[i].path);
	free(files);
	free(bytes);
	return 0;
}
