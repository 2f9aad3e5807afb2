/*
 * spec_files: unpack the Mustache spec's JSON files into one folder per
 * test, so tests/render/run.sh can drive `yardstick render` with plain files
 * (no python or jq needed):
 *
 *   OUT/<file>-<n>/template.mustache, data.json, expected, name,
 *                  partials/<name>.mustache
 *
 * usage: spec_files SPEC_DIR OUT_DIR; prints the number of tests written.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const spec_files[] = {
	"comments", "delimiters", "interpolation", "inverted", "partials",
	"sections", "~dynamic-names", "~inheritance",
};

static int write_text(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "spec_files: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

static int write_test(const char *dir, json_t *test)
{
	char path[8192]; /* room for dir (under 4096) and a name */
	json_t *data = json_object_get(test, "data");
	json_t *partials = json_object_get(test, "partials");
	const char *name = json_string_value(json_object_get(test, "name"));
	json_t *template = json_object_get(test, "template");
	json_t *expected = json_object_get(test, "expected");
	if (!name || !json_is_string(template) || !json_is_string(expected))
		return -1;
	snprintf(path, sizeof(path), "%s/partials", dir);
	if (mkdir(dir, 0755) != 0 || mkdir(path, 0755) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/template.mustache", dir);
	if (write_text(path, json_string_value(template),
		       json_string_length(template)) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/expected", dir);
	if (write_text(path, json_string_value(expected),
		       json_string_length(expected)) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/name", dir);
	if (write_text(path, name, strlen(name)) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/data.json", dir);
	if (json_dump_file(data ? data : json_null(), path,
			   JSON_ENCODE_ANY | JSON_REAL_PRECISION(17)) != 0)
		return -1;
	const char *key;
	json_t *text;
	json_object_foreach(partials, key, text) {
		snprintf(path, sizeof(path), "%s/partials/%s.mustache", dir, key);
		if (write_text(path, json_string_value(text),
			       json_string_length(text)) < 0)
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: spec_files SPEC_DIR OUT_DIR\n");
		return 2;
	}
	size_t count = 0;
	for (size_t f = 0; f < sizeof(spec_files) / sizeof(spec_files[0]); f++) {
		char path[4096];
		json_error_t error;
		snprintf(path, sizeof(path), "%s/%s.json", argv[1], spec_files[f]);
		json_t *doc = json_load_file(path, 0, &error);
		if (!doc) {
			fprintf(stderr, "spec_files: %s:%d: %s\n", path,
				error.line, error.text);
			return 1;
		}
		json_t *tests = json_object_get(doc, "tests");
		size_t i;
		json_t *test;
		json_array_foreach(tests, i, test) {
			snprintf(path, sizeof(path), "%s/%s-%03zu", argv[2],
				 spec_files[f], i);
			if (write_test(path, test) < 0) {
				fprintf(stderr, "spec_files: cannot write %s\n",
					path);
				json_decref(doc);
				return 1;
			}
			count++;
		}
		json_decref(doc);
	}
	printf("%zu\n", count);
	return 0;
}
