#!/bin/sh
# The same site again with [badges] enabled = false and [exports] formats
# = junit, outcomes: the badges and the default exports of the first build
# are removed, the entity pages offer no badge snippet, and only the
# exports asked for are written. Then with formats empty: no results at all.
# First, a build called with an absolute site.conf path shows where each
# entity is defined relative to the site folder, and rule pages count their
# passing entities by team (at most page_rows teams).
set -u
problems=0
bad() { echo "small: $*"; problems=$((problems + 1)); }
build() {
	"$YARDSTICK" build -c site.conf --date 2026-11-23 >"$1" 2>&1 ||
		bad "build with $2 failed: $(cat "$1")"
}
[ -f output/badges/service/api.basics.svg ] || bad "no badge in the default build"

# "Defined in" is relative to the folder of site.conf however the build is
# called: with an absolute -c path a page must not show the build's folder.
here=$(pwd)
"$YARDSTICK" build -c "$here/site.conf" --date 2026-11-23 --output "$here/abs-output" >abs.log 2>&1 ||
	bad "build with an absolute -c path failed: $(cat abs.log)"
grep -q '<code class="path">content/catalog/' abs-output/entities/service/api.html ||
	bad "Defined in is not relative to the site folder: $(grep -o '<code class="path">[^<]*' abs-output/entities/service/api.html)"
grep -l "$here" abs-output/entities/*/*.html | while read -r f; do echo "small: $f shows the build's folder"; done | grep . &&
	problems=$((problems + 1))
rm -rf abs-output

# Rule pages count passing entities by team, not list them; with page_rows
# = 1 the teams beyond the first (most failures first) are counted.
grep -q 'id="h-passing"' output/rules/basics/repo.html && bad "a rule page lists its passing entities"
grep -q 'id="h-by-team"' output/rules/basics/repo.html || bad "no By team section on a rule page"
sed 's/^page_rows *=.*/page_rows = 1/' site.conf >site-one.conf
"$YARDSTICK" build -c site-one.conf --date 2026-11-23 --output "$here/one-output" >one.log 2>&1 ||
	bad "build with page_rows = 1 failed: $(cat one.log)"
[ "$(grep -c '<tr><th scope="row"><a href="../../teams/' one-output/rules/basics/repo.html)" = 1 ] ||
	bad "page_rows = 1: not one team row on a rule page"
grep -q 'And <span class="num">1</span> more teams, none with more failures' one-output/rules/basics/repo.html ||
	bad "page_rows = 1: the second team is not counted"
rm -rf one-output site-one.conf

cp site.conf site.conf.orig
printf '[badges]\nenabled = false\n[exports]\nformats = junit, outcomes\n' >>site.conf
build no-badges.log "badges off"
[ -e output/badges ] && bad "badges/ is still there: $(find output/badges | head -3)"
grep -l 'badge' output/entities/*/*.html | while read -r f; do echo "small: $f shows badges"; done | grep . &&
	problems=$((problems + 1))
for f in results.junit.xml outcomes.json; do
	[ -f "output/data/$f" ] || bad "data/$f not written"
done
for f in results.json results.csv; do
	[ -e "output/data/$f" ] && bad "data/$f written though not asked for"
done
grep -q '^badges/' output/.yardstick-files && bad "the manifest lists badges"

cp site.conf.orig site.conf
printf '[exports]\nformats =\n' >>site.conf
build no-exports.log "no exports"
ls output/data/results.* output/data/outcomes.json 2>/dev/null | grep . && bad "exports written with formats empty"
[ -f output/badges/service/api.basics.svg ] || bad "badges not back"
[ -f output/data/changes.json ] || bad "data/changes.json is not an export of [exports]: it must stay"

printf '[exports]\nformats = json, xml\n' >>site.conf.orig
"$YARDSTICK" check -c site.conf.orig --date 2026-11-23 >bad-format.log 2>&1 && bad "formats = xml accepted"
grep -q "^site.conf.orig:[0-9]*:11: error: bad value for formats" bad-format.log || bad "no error for formats = xml: $(cat bad-format.log)"
[ "$problems" -eq 0 ]
