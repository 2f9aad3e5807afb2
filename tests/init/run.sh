#!/bin/sh
# `yardstick init` end to end: init into a scratch folder, copy two small
# catalog files (catalog/: a Datadog v3 service and a Backstage Component),
# build, and check the site (the theme built in: init writes none); the examples of the generated READMEs load;
# site.conf names every key of src/conf.c; init refuses to replace anything
# and then writes nothing; `theme export` writes the built-in theme.
#
#   YARDSTICK=/path/to/yardstick sh tests/init/run.sh
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/tests/out/init
rm -rf "$out"
mkdir -p "$out"
failed=0
fail() { echo "FAIL init: $*"; failed=$((failed + 1)); }

# --- init, copy the catalog, build: a working site with no edit
site=$out/site
"$YARDSTICK" init "$site" >"$out/init.txt" 2>&1 || fail "init exited $?: $(cat "$out/init.txt")"
for f in site.conf content/README.md content/catalog/README.md \
	content/teams/README.md content/scorecards/README.md \
	content/scorecards/production-readiness.yaml \
	content/scorecards/observability.yaml \
	content/scorecards/documentation-ownership.yaml \
	content/campaigns/README.txt content/outcomes/README.md \
	content/exemptions/README.md content/pages/README.txt; do
	[ -f "$site/$f" ] || fail "init did not write $f"
done
# No theme files: the theme is built in, and site.conf leaves the folders
# commented (a templates/ or static/ folder here would override it).
[ -e "$site/templates" ] || [ -e "$site/static" ] && fail "init wrote theme files"
grep -q "^templates\|^static" "$site/site.conf" && fail "site.conf sets a theme folder: $(grep "^templates\|^static" "$site/site.conf")"

# Every key of conf.c's table is in site.conf, set or commented.
grep -o '{ "[a-z]*", "[a-z_]*"' "$root/src/conf.c" | sed 's/{ "\([a-z]*\)", "\([a-z_]*\)"/\1 \2/' |
while read -r section key; do
	grep -q "^\[$section\]" "$site/site.conf" || echo "section [$section]"
	grep -q "^\(; \)\{0,1\}$key =" "$site/site.conf" || echo "key $key"
done >"$out/missing-keys.txt"
[ -s "$out/missing-keys.txt" ] && fail "site.conf misses: $(tr '\n' ' ' <"$out/missing-keys.txt")"

# A fresh site checks clean, warnings included.
"$YARDSTICK" check -c "$site/site.conf" --date 2026-11-23 --strict >"$out/check-fresh.txt" 2>&1 ||
	fail "check --strict on a fresh init: $(cat "$out/check-fresh.txt")"
grep -q "^checked: 0 entities, 0 teams, 3 scorecards, 10 rules, .*; 0 errors, 0 warnings$" \
	"$out/check-fresh.txt" || fail "check on a fresh init: $(cat "$out/check-fresh.txt")"

cp "$here/catalog/entity.datadog.yaml" "$here/catalog/catalog-info.yaml" "$site/content/catalog/"
(cd "$site" && "$YARDSTICK" build --date 2026-11-23 >"$out/build.txt" 2>&1) ||
	fail "build after init: $(cat "$out/build.txt")"
grep -q "error\|warning" "$out/build.txt" && fail "build after init reports problems: $(cat "$out/build.txt")"
for page in index.html scorecards/production-readiness.html \
	scorecards/observability.html scorecards/documentation-ownership.html \
	rules/production-readiness/on-call.html \
	entities/service/checkout-api.html entities/component/web-shop.html \
	teams/payments.html teams/storefront.html static/style.css; do
	[ -f "$site/output/$page" ] || fail "build after init did not write $page"
done
# Both entities are in the scorecards' scope: on-call passes for both.
"$YARDSTICK" eval -c "$site/site.conf" --date 2026-11-23 --format csv >"$out/eval.csv" 2>&1
for entity in service:checkout-api component:web-shop; do
	grep -q "^$entity,production-readiness,on-call,1,[a-z]*,,[a-z]*,pass," "$out/eval.csv" ||
		fail "on-call does not pass for $entity: $(grep "^$entity,production-readiness,on-call" "$out/eval.csv")"
done

# --- the examples in the READMEs are in the formats the loader reads
example() { # README, first line, last line (sed addresses) -> stdout
	sed -n "$2,$3p" "$site/content/$1" | sed '1d;$d'
}
example outcomes/README.md '/^```json$/' '/^```$/' >"$site/content/outcomes/example.json"
example exemptions/README.md '/^```yaml$/' '/^```$/' >"$site/content/exemptions/example.yaml"
example teams/README.md '/^```yaml$/' '/^```$/' | sed 's/^parent: .*//' >"$site/content/teams/example.yaml"
sed -n '/^---$/,/^---$/p' "$site/content/campaigns/README.txt" >"$site/content/campaigns/example.md"
echo "Body." >>"$site/content/campaigns/example.md"
sed -n '/^---$/,/^---$/p' "$site/content/pages/README.txt" >"$site/content/pages/example.md"
echo "Body." >>"$site/content/pages/example.md"
"$YARDSTICK" check -c "$site/site.conf" --date 2026-11-23 >"$out/check-examples.txt" 2>&1 ||
	fail "the READMEs' examples do not load: $(cat "$out/check-examples.txt")"
grep -q "1 campaign, 1 outcome; 0 errors" "$out/check-examples.txt" ||
	fail "the READMEs' examples: $(cat "$out/check-examples.txt")"

# --- refusing: nothing is replaced, nothing is written
before=$(cd "$site" && find . -type f | sort | xargs cat | cksum)
"$YARDSTICK" init "$site" >"$out/again.txt" 2>&1
status=$?
[ "$status" -eq 1 ] || fail "init over a site exited $status, not 1"
grep -q "$site/site.conf already exists" "$out/again.txt" || fail "init over a site: $(cat "$out/again.txt")"
grep -q "$site/content already exists" "$out/again.txt" || fail "init over a site: $(cat "$out/again.txt")"
grep -q "nothing written" "$out/again.txt" || fail "init over a site: $(cat "$out/again.txt")"
after=$(cd "$site" && find . -type f | sort | xargs cat | cksum)
[ "$before" = "$after" ] || fail "init over a site changed files"

# Only content/ exists: site.conf must not appear either.
mkdir -p "$out/half/content"
"$YARDSTICK" init "$out/half" >"$out/half.txt" 2>&1
[ $? -eq 1 ] || fail "init over content/ did not exit 1"
[ -e "$out/half/site.conf" ] && fail "init over content/ wrote site.conf"
[ -z "$(ls -A "$out/half/content")" ] || fail "init over content/ wrote into it"

# A folder with other files is fine; the default folder is the current one.
mkdir -p "$out/repo" && echo "notes" >"$out/repo/README.md"
(cd "$out/repo" && "$YARDSTICK" init >"$out/repo.txt" 2>&1) || fail "init in a folder with a README: $(cat "$out/repo.txt")"
[ -f "$out/repo/site.conf" ] && [ "$(cat "$out/repo/README.md")" = notes ] ||
	fail "init in the current folder"
ls -A "$out/repo" "$out/repo/content" | grep -q '^\.init-' && fail "init left a temporary file"

# --- usage
"$YARDSTICK" init a b >/dev/null 2>&1; [ $? -eq 2 ] || fail "init with two folders is not a usage error"
"$YARDSTICK" init --theme "$root" "$out/x" >/dev/null 2>&1; [ $? -eq 2 ] || fail "--theme (gone: 'theme export') is not a usage error"
[ -e "$out/x" ] && fail "init --theme wrote something"

# --- theme export: the built-in theme, byte for byte, and never over a file
"$YARDSTICK" theme export "$out/theme" >"$out/export.txt" 2>&1 || fail "theme export: $(cat "$out/export.txt")"
for d in templates static; do
	diff -r "$root/$d" "$out/theme/$d" >"$out/export-$d.diff" 2>&1 ||
		fail "theme export: $d differs from the source tree: $(head -5 "$out/export-$d.diff")"
done
before=$(cd "$out/theme" && find . -type f | sort | xargs cat | cksum)
"$YARDSTICK" theme export "$out/theme" >"$out/export-again.txt" 2>&1
status=$?
[ "$status" -eq 1 ] || fail "theme export over a theme exited $status, not 1"
grep -q "nothing written" "$out/export-again.txt" || fail "theme export over a theme: $(cat "$out/export-again.txt")"
after=$(cd "$out/theme" && find . -type f | sort | xargs cat | cksum)
[ "$before" = "$after" ] || fail "theme export over a theme changed files"
"$YARDSTICK" theme export >/dev/null 2>&1; [ $? -eq 2 ] || fail "theme export without a folder is not a usage error"
"$YARDSTICK" theme list x >/dev/null 2>&1; [ $? -eq 2 ] || fail "an unknown theme action is not a usage error"

if [ "$failed" -eq 0 ]; then
	echo "init: init, build and refusal tests passed"
else
	echo "init: $failed failed"
fi
[ "$failed" -eq 0 ]
