#!/bin/sh
# A build killed with SIGKILL at several moments on a generated 2,000-entity
# site, over a site built the day before: after each kill the next build
# must repair the folder. It removes the temporary files the killed build
# staged (and says so), and its tree equals a clean build's of the same
# two days, byte for byte (history.db aside: SQLite's file is not compared
# as bytes; tests/history/kill.sh checks it).
#
# Then a kill inside the commit itself, at the 500th rename (strace injects
# SIGKILL there; skipped without strace): the folder is left mixed, some
# pages new and some old, as docs/site.md says a kill can leave it, and the
# next build repairs it. Once over a manifest that lists every file, once
# over one that misses the badges (so the commit first writes a manifest
# naming the files it adds, without their facts).
#
#   YARDSTICK=/path/to/yardstick sh tests/build/kill.sh
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
work=$root/tests/out/build-kill
rm -rf "$work" && mkdir -p "$work"
sh "$root/tests/bench/gen-site.sh" "$work/site" 2000 >/dev/null || { echo "FAIL kill: gen-site"; exit 1; }
cd "$work/site" || exit 3
build() { "$YARDSTICK" build -c site.conf --no-restore --output "$@"; }
# The reference: the day before, then the day, neither interrupted.
build "$work/clean" --date 2026-11-22 >/dev/null 2>&1 &&
	build "$work/clean" --date 2026-11-23 >/dev/null 2>&1 || { echo "FAIL kill: the clean build"; exit 1; }
failed=0
killed=0
cleaned=0
for delay in 0.3 0.45 0.6 0.8; do
	rm -rf "$work/out"
	build "$work/out" --date 2026-11-22 >/dev/null 2>&1 || { echo "FAIL kill: the day before"; exit 1; }
	# The binary itself in the background, not the function: $! must be
	# yardstick's pid, or the kill would hit a subshell and miss the build.
	"$YARDSTICK" build -c site.conf --no-restore --output "$work/out" --date 2026-11-23 >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
	wait "$pid" 2>/dev/null
	build "$work/out" --date 2026-11-23 >"$work/after.log" 2>&1 ||
		{ echo "FAIL kill: the build after a kill at $delay s"; cat "$work/after.log"; failed=$((failed + 1)); continue; }
	grep -q 'removed [0-9]* temporary files' "$work/after.log" && cleaned=$((cleaned + 1))
	left=$(find "$work/out" -name '.*.tmp-*' -o -name .yardstick-building | wc -l)
	[ "$left" -eq 0 ] || { echo "FAIL kill: $left temporary files left after a kill at $delay s"; failed=$((failed + 1)); }
	same_tree "$work/clean" "$work/out" "$work/tree.diff" ||
		{ echo "FAIL kill: after a kill at $delay s the tree differs from a clean build"; head -5 "$work/tree.diff"; failed=$((failed + 1)); }
done
in_commit=0
if command -v strace >/dev/null 2>&1; then
	for adds in no yes; do
		rm -rf "$work/out"
		build "$work/out" --date 2026-11-22 >/dev/null 2>&1 || { echo "FAIL kill: the day before"; exit 1; }
		[ "$adds" = yes ] && sed -i '/^badges\//d' "$work/out/.yardstick-files"
		strace -f -o /dev/null -e trace=rename,renameat,renameat2 \
			-e inject=rename,renameat,renameat2:signal=KILL:when=500 \
			"$YARDSTICK" build -c site.conf --no-restore --output "$work/out" \
			--date 2026-11-23 >/dev/null 2>&1
		[ -f "$work/out/.yardstick-building" ] ||
			{ echo "FAIL kill: the kill at the 500th rename did not land in the commit"; failed=$((failed + 1)); continue; }
		diff -rq -x history.db -x '.*' "$work/clean" "$work/out" >"$work/mixed.diff" 2>&1
		changed=$(grep -c '^Files .* differ$' "$work/mixed.diff")
		total=$(find "$work/clean" -type f ! -name '.*' ! -name history.db | wc -l)
		[ "$changed" -gt 0 ] && [ "$changed" -lt "$total" ] ||
			{ echo "FAIL kill: a kill in the commit left $changed of $total files old, not a mix"; failed=$((failed + 1)); }
		build "$work/out" --date 2026-11-23 >"$work/after.log" 2>&1 ||
			{ echo "FAIL kill: the build after a kill in the commit"; cat "$work/after.log"; failed=$((failed + 1)); continue; }
		same_tree "$work/clean" "$work/out" "$work/tree.diff" ||
			{ echo "FAIL kill: after a kill in the commit (adds: $adds) the tree differs from a clean build"; head -5 "$work/tree.diff"; failed=$((failed + 1)); continue; }
		in_commit=$((in_commit + 1))
	done
else
	echo "build kill: strace is not installed; the kill inside the commit is not tested"
fi
[ "$failed" -eq 0 ] && echo "build kill: $killed builds killed mid-way ($cleaned left temporary files), $in_commit inside the commit, each repaired by the next build"
[ "$failed" -eq 0 ]
