#!/bin/sh
# `build --jobs 4` writes the same files as `build --jobs 1`, byte for byte
# (history.db aside, the manifest but for its mtimes: lib.sh), on a
# generated 1,000-entity site over a day of history; a rebuild with four
# threads over the one-thread tree (--force: its inputs did not change)
# then writes and removes nothing; a
# theme error in a page rendered by a worker fails the build and leaves
# the folder as it was.
#
#   YARDSTICK=/path/to/yardstick sh tests/build/jobs.sh
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
work=$root/tests/out/build-jobs
rm -rf "$work" && mkdir -p "$work"
sh "$root/tests/bench/gen-site.sh" "$work/site" 1000 >/dev/null || { echo "FAIL jobs: gen-site"; exit 1; }
cd "$work/site" || exit 3
build() { # build DIR JOBS [DATE]; FORCE=--force to render over an unchanged site
	"$YARDSTICK" build -c site.conf --no-restore --output "$1" --jobs "$2" \
		--date "${3:-2026-11-23}" ${FORCE:-} >"$1.log" 2>&1
}
failed=0
for jobs in 1 4; do
	build "$work/j$jobs" "$jobs" 2026-11-22 && build "$work/j$jobs" "$jobs" ||
		{ echo "FAIL jobs: the build with --jobs $jobs"; cat "$work/j$jobs.log"; exit 1; }
done
same_tree "$work/j1" "$work/j4" "$work/tree.diff" ||
	{ echo "FAIL jobs: --jobs 1 and --jobs 4 wrote different trees"; head -20 "$work/tree.diff"; failed=1; }
FORCE=--force build "$work/j1" 4 || { echo "FAIL jobs: rebuild"; cat "$work/j1.log"; exit 1; }
grep -q '^up to date' "$work/j1.log" && { echo "FAIL jobs: --force stopped early"; failed=1; }
grep -q '^built: [0-9]* pages, 0 written, [0-9]* unchanged, 0 removed' "$work/j1.log" ||
	{ echo "FAIL jobs: a rebuild with --jobs 4 over a --jobs 1 tree changed files"; cat "$work/j1.log"; failed=1; }
pages=$(sed -n 's/^built: \([0-9]*\) pages.*/\1/p' "$work/j1.log")
# A template that fails only on entity pages (a partial too deep), which
# workers render: the build fails, names it, and changes nothing.
cp -R "$root/templates" "$work/site/theme" && cp -R "$root/static" "$work/site/static" 2>/dev/null
printf '{{>loop}}' >"$work/site/theme/loop.mustache"
printf '%s\n' '{{>loop}}' >>"$work/site/theme/entity.mustache"
sed -i "s|^templates *=.*|templates = theme|" site.conf
grep -q '^templates = theme' site.conf || { echo "FAIL jobs: cannot point site.conf at the broken theme"; exit 1; }
cp -R "$work/j4" "$work/j4.before"
build "$work/j4" 4 && { echo "FAIL jobs: a broken entity template did not fail the build"; failed=1; }
grep -q 'loop' "$work/j4.log" || { echo "FAIL jobs: the error does not name the template"; cat "$work/j4.log"; failed=1; }
diff -r -x history.db "$work/j4.before" "$work/j4" >/dev/null ||
	{ echo "FAIL jobs: a failed build with --jobs 4 changed the folder"; failed=1; }
[ "$failed" -eq 0 ] && echo "build jobs: --jobs 1 and --jobs 4 wrote the same files ($pages pages)"
[ "$failed" -eq 0 ]
