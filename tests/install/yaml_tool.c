/*
 * yaml_tool: the CI recipes of docs/ci/ through libyaml (yamldoc), for
 * tests/install/run.sh, so the YAML check needs no Python module.
 *
 *   yaml_tool paths FILE        every scalar as PATH=TEXT (newlines as \n),
 *                               PATH the keys and indexes joined by '.'
 *   yaml_tool get FILE PATH     one scalar's text, as it is
 *
 * A file that does not parse is reported as yardstick reports errors
 * (path:line:col: error: ...) and exits 1; a missing PATH exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "source.h"
#include "value.h"
#include "yamldoc.h"

static void print_paths(const struct value *v, struct buf *path)
{
	size_t mark = path->len;
	if (v->type == VALUE_MAP || v->type == VALUE_SEQ) {
		for (size_t i = 0; i < v->count; i++) {
			if (mark)
				buf_addch(path, '.');
			if (v->type == VALUE_MAP)
				buf_adds(path, v->pairs[i].key->str);
			else
				buf_addf(path, "%zu", i);
			print_paths(v->type == VALUE_MAP ? v->pairs[i].val
				    : v->items[i], path);
			buf_truncate(path, mark);
		}
		return;
	}
	printf("%s=", path->data);
	for (size_t i = 0; v->str && i < v->len; i++)
		if (v->str[i] == '\n')
			fputs("\\n", stdout);
		else
			putchar(v->str[i]);
	putchar('\n');
}

static const struct value *find(const struct value *v, const char *path)
{
	char key[256];
	while (v && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		path += path[n] ? n + 1 : n;
		if (v->type == VALUE_MAP) {
			v = value_get(v, key);
		} else if (v->type == VALUE_SEQ) {
			char *end;
			unsigned long i = strtoul(key, &end, 10);
			v = *end == '\0' && i < v->count ? v->items[i] : NULL;
		} else {
			return NULL;
		}
	}
	return v;
}

int main(int argc, char **argv)
{
	if (argc < 3 || (strcmp(argv[1], "paths") != 0 && strcmp(argv[1], "get") != 0) ||
	    (strcmp(argv[1], "get") == 0 && argc != 4)) {
		fprintf(stderr, "usage: yaml_tool paths FILE | yaml_tool get FILE PATH\n");
		return 2;
	}
	struct arena a = ARENA_INIT;
	struct err e = ERR_INIT;
	struct source src;
	struct value **docs;
	size_t count;
	int status = 1;
	if (source_read_file(&a, argv[2], yamldoc_default_limits.max_bytes, &src, &e) < 0 ||
	    yamldoc_parse(&a, &src, &yamldoc_default_limits, &docs, &count, &e) < 0) {
		err_print(&e, stderr);
		goto done;
	}
	if (count != 1) {
		fprintf(stderr, "%s: %zu documents, not one\n", argv[2], count);
		goto done;
	}
	if (strcmp(argv[1], "paths") == 0) {
		struct buf path = BUF_INIT;
		print_paths(docs[0], &path);
		buf_release(&path);
		status = 0;
	} else {
		const struct value *v = find(docs[0], argv[3]);
		if (v && v->str && v->type != VALUE_MAP && v->type != VALUE_SEQ) {
			fwrite(v->str, 1, v->len, stdout);
			status = 0;
		} else {
			fprintf(stderr, "%s: no scalar at %s\n", argv[2], argv[3]);
		}
	}
done:
	err_release(&e);
	arena_release(&a);
	return status;
}
