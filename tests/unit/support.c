#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

#include "conf.h"
#include "content.h"
#include "date.h"

void support_remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;
		while (d && (de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			char sub[1024];
			snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
			support_remove_tree(sub);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

void support_write_file(const char *base, const char *rel, const char *text)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/content/%s", base, rel);
	for (char *slash = strchr(path + strlen(base) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

void fixture_load(struct fixture *fx, const struct file *files, const char *date,
		  bool no_data_fails, long max_age_days)
{
	char base[64];
	snprintf(base, sizeof(base), "/tmp/yardstick-test-XXXXXX");
	assert_non_null(mkdtemp(base));
	for (size_t i = 0; files[i].path; i++)
		support_write_file(base, files[i].path, files[i].text);

	struct errlist errors = ERRLIST_INIT;
	struct conf conf;
	char conf_file[96];
	fx->arena = (struct arena)ARENA_INIT;
	snprintf(conf_file, sizeof(conf_file), "%s/site.conf", base);
	conf_defaults(&fx->arena, &conf, conf_file);
	conf.no_data_fails = no_data_fails;
	conf.outcome_max_age_days = max_age_days;
	day_t today;
	assert_int_equal(date_parse(date, &today), 0);
	assert_int_equal(content_load(&fx->arena, &conf, today, 1, true, &fx->site, &errors), 0);
	for (size_t i = 0; i < errors.count; i++) {
		if (errors.items[i].level == ERR_ERROR) {
			errlist_print(&errors, stderr);
			fail_msg("the content has errors");
		}
	}
	errlist_release(&errors);
	support_remove_tree(base);
	eval_run(&fx->arena, &fx->site, &conf, today, &fx->ev);
	rollup_run(&fx->arena, &fx->ev, &fx->ru);
}

void fixture_release(struct fixture *fx)
{
	content_release_documents(&fx->site);
	arena_release(&fx->arena);
}

size_t fixture_entity(const struct fixture *fx, const char *ref)
{
	size_t e = site_entity_index(&fx->site, ref);
	if (e == SITE_NONE)
		fail_msg("no entity '%s'", ref);
	return e;
}

size_t fixture_scorecard(const struct fixture *fx, const char *id)
{
	const struct scorecard *sc = site_find_scorecard(&fx->site, id);
	if (!sc)
		fail_msg("no scorecard '%s'", id);
	return site_scorecard_index(&fx->site, sc);
}

size_t fixture_rule(const struct fixture *fx, const char *ref)
{
	bool ambiguous = false;
	const struct rule *r = site_find_rule(&fx->site, ref, &ambiguous);
	if (!r)
		fail_msg("no rule '%s'", ref);
	return eval_rule_index(&fx->ev, r);
}

const struct entity_score *fixture_entity_score(const struct fixture *fx,
						const char *ref, const char *scorecard)
{
	return &fx->ev.entity_scores[fixture_entity(fx, ref) * fx->site.scorecard_count +
				     fixture_scorecard(fx, scorecard)];
}

void assert_score(double got, double want)
{
	if (isnan(want)) {
		if (!isnan(got))
			fail_msg("score %g, want none (NaN)", got);
		return;
	}
	if (isnan(got) || fabs(got - want) > 1e-9)
		fail_msg("score %g, want %g", got, want);
}

void assert_tally(const struct tally *t, size_t pass, size_t fail, size_t skip,
		  size_t no_data, size_t exempt, size_t counted)
{
	assert_int_equal(t->pass, pass);
	assert_int_equal(t->fail, fail);
	assert_int_equal(t->skip, skip);
	assert_int_equal(t->no_data, no_data);
	assert_int_equal(t->exempt, exempt);
	assert_int_equal(t->counted, counted);
}
