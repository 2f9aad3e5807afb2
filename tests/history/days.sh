#!/bin/sh
# Three content snapshots (days/day-N/content) built on three dates into one
# output folder, as a nightly job would: the history, the trend charts and
# the changes since the last run and over the week are then compared with
# days/expected/ byte for byte, and `yardstick history` with
# days/expected/history.csv.
#
#   YARDSTICK=/path/to/yardstick sh tests/history/days.sh
#   UPDATE=1 ...   rewrite days/expected/ (then review it)
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
case=$here/days
work=$root/tests/out/history-days
# The pages that show history, and the exports.
files="index.html changes.html campaigns/runbooks.html teams/backend.html
entities/service/api.html scorecards/basics.html rules/basics/repo.html
data/changes.json data/history/series.csv"
failed=0

rm -rf "$work" && mkdir -p "$work"
cp -R "$root/templates" "$root/static" "$case/site.conf" "$work/"
cd "$work" || exit 3
day=0
for date in 2026-11-21 2026-11-22 2026-11-23; do
	day=$((day + 1))
	rm -rf content && cp -R "$case/day-$day/content" content
	if ! "$YARDSTICK" build -c site.conf --date "$date" >"build-$day.log" 2>&1; then
		echo "FAIL days: the build of $date failed"; cat "build-$day.log"; exit 1
	fi
done
"$YARDSTICK" history -c site.conf >history.csv 2>&1 || { echo "FAIL days: yardstick history"; cat history.csv; exit 1; }
if [ -n "${UPDATE:-}" ]; then
	rm -rf "$case/expected"
	for f in $files; do mkdir -p "$case/expected/$(dirname "$f")"; cp "output/$f" "$case/expected/$f"; done
	cp history.csv "$case/expected/history.csv"
fi
for f in $files; do
	if ! diff -u "$case/expected/$f" "output/$f" >diff.txt; then
		echo "FAIL days: $f differs"; head -40 diff.txt; failed=$((failed + 1))
	fi
done
if ! diff -u "$case/expected/history.csv" history.csv; then
	echo "FAIL days: history.csv differs"; failed=$((failed + 1))
fi
# Building the last day again changes no page and records no new day.
"$YARDSTICK" build -c site.conf --date 2026-11-23 >again.log 2>&1
grep -q '^recorded: 2026-11-23 in output/history.db (3 runs)$' again.log &&
	grep -q ' 0 written, ' again.log ||
	{ echo "FAIL days: a second build of the last day changed something"; cat again.log; failed=$((failed + 1)); }
[ "$failed" -eq 0 ] && echo "history days: 3 dates built, pages, changes and series as expected"
[ "$failed" -eq 0 ]
