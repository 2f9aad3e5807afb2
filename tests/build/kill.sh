#!/bin/sh
# The crash test: a build killed with SIGKILL at several moments on a
# generated 5,000-entity site, over the folder a build of the day before
# left. After each kill, every file in the folder (the temporary files,
# .yardstick-building, .yardstick-files and the build stamp aside) must be a complete old or
# new version: byte for byte the file of a clean build of the day before
# or of a clean build of the day (compared by MD5; never torn), and no file
# both builds write may be missing. After the next build, no temporary file
# (.*.tmp-*) and no .yardstick-building remains and the tree equals the
# clean build's (lib.sh same_tree; history.db aside: SQLite's file is not
# compared as bytes, tests/history/kill.sh checks it).
#
# Where the kills land:
#   - with strace, at fixed points:
#     early, at the opening of the 50th catalog file, read for the stamp
#     (nothing staged yet);
#     mid-render, at a thread's 2,000th openat (files staged, none in
#     place); inside the commit, at the 500th rename, once over a manifest
#     that lists every file and once over one that misses the badges (so
#     the commit first writes a manifest naming the files it adds). Each
#     checks that it landed where meant: before the commit every file is
#     the old one; in the commit the folder is a mix, as docs/site.md says.
#   - without strace, by the clock instead, at a few delays after the
#     start, wherever they fall.
#
#   YARDSTICK=/path/to/yardstick sh tests/build/kill.sh
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
work=$root/tests/out/build-kill
rm -rf "$work" && mkdir -p "$work"
sh "$root/tests/bench/gen-site.sh" "$work/site" 5000 >/dev/null || { echo "FAIL kill: gen-site"; exit 1; }
cd "$work/site" || exit 3
build() { "$YARDSTICK" build -c site.conf --no-restore --output "$@"; }
# The references: the day before, clean; then the day, over it.
build "$work/old" --date 2026-11-22 >/dev/null 2>&1 &&
	cp -a "$work/old" "$work/clean" &&
	build "$work/clean" --date 2026-11-23 >/dev/null 2>&1 || { echo "FAIL kill: the clean builds"; exit 1; }
# sums DIR: "hash  ./path" of every site file in DIR, by path.
sums() {
	(cd "$1" && find . -type f ! -name '.*.tmp-*' ! -name .yardstick-building \
		! -name .yardstick-files ! -name .yardstick-stamp ! -name 'history.db*' -print0 | xargs -0 -r md5sum | sort -k 2)
}
sums "$work/old" >"$work/old.sum"
sums "$work/clean" >"$work/new.sum"
cmp -s "$work/old.sum" "$work/new.sum" && { echo "FAIL kill: the two days build the same files"; exit 1; }
failed=0
fail() { echo "FAIL kill: $*"; failed=$((failed + 1)); }
# check_killed WHAT: every file in out/ is the old or the new version,
# none a file both builds write is missing; sets $olds and $news.
check_killed() {
	sums "$work/out" >"$work/out.sum"
	awk -v report="$work/torn.txt" '
		FILENAME == ARGV[1] { old[$2] = $1; next }
		FILENAME == ARGV[2] { new[$2] = $1; next }
		{ seen[$2] = 1
		  if ($1 == old[$2]) olds++
		  else if ($1 == new[$2]) news++
		  else { print "neither the old nor the new " $2 > report; bad++ } }
		END { for (p in old) if ((p in new) && !(p in seen)) { print "missing " p > report; bad++ }
		      printf "%d %d %d\n", olds, news, bad }' \
		"$work/old.sum" "$work/new.sum" "$work/out.sum" >"$work/counts"
	read -r olds news bad <"$work/counts"
	[ "$bad" -eq 0 ] && return 0
	fail "after a kill $1, $bad files are neither a complete old nor new version"
	head -5 "$work/torn.txt"
	return 1
}
# check_next WHAT: the build after the kill cleans up and gives the clean tree.
check_next() {
	build "$work/out" --date 2026-11-23 >"$work/after.log" 2>&1 ||
		{ fail "the build after a kill $1"; cat "$work/after.log"; return 1; }
	left=$(find "$work/out" -name '.*.tmp-*' -o -name .yardstick-building | wc -l)
	[ "$left" -eq 0 ] || { fail "$left temporary files left after the build that followed a kill $1"; return 1; }
	same_tree "$work/clean" "$work/out" "$work/tree.diff" ||
		{ fail "after a kill $1 the next build's tree differs from a clean build"; head -5 "$work/tree.diff"; return 1; }
}
# The folder as the build of the day before left it: hard links to its
# files (cp -al keeps the mtimes that .yardstick-files records, and costs a
# tenth of a copy), as a build never writes a site file in place, it
# renames a new one over it (checked at the end: the old tree's bytes are
# unchanged). history.db, which SQLite does write in place, is copied.
restore() {
	rm -rf "$work/out" && cp -al "$work/old" "$work/out" &&
		rm "$work/out/history.db" && cp -p "$work/old/history.db" "$work/out/history.db"
}
staged() { find "$work/out" -name '.*.tmp-*' | wc -l; }
moments=""
if command -v strace >/dev/null 2>&1; then
	# Early: at the first opening of the 50th catalog file, while the build
	# reads its inputs for the stamp, before loading. (Its second opening,
	# while parsing, may be on any thread, and strace counts the openings
	# of each thread apart: a kill there would not land every time.)
	restore
	file=$(find content/catalog -type f | sort | sed -n 50p)
	strace -f -o /dev/null -P "$file" -e trace=open,openat \
		-e inject=open,openat:signal=KILL:when=1 \
		"$YARDSTICK" build -c site.conf --no-restore --output "$work/out" \
		--date 2026-11-23 >/dev/null 2>&1
	if [ -f "$work/out/.yardstick-building" ] || [ "$(staged)" -ne 0 ]; then
		fail "the kill at $file did not land before staging"
	elif check_killed "before loading" && { [ "$news" -eq 0 ] || fail "a kill before loading left $news new files"; }; then
		check_next "before loading" && moments="$moments early"
	fi
	# Mid-render: at a thread's 2,000th openat (staged files are opened; a
	# thread opens about 4,000 files here, folders being opened once).
	restore
	strace -f -o /dev/null -e trace=openat -e inject=openat:signal=KILL:when=2000 \
		"$YARDSTICK" build -c site.conf --no-restore --output "$work/out" \
		--date 2026-11-23 >/dev/null 2>&1
	n=$(staged)
	if [ ! -f "$work/out/.yardstick-building" ] || [ "$n" -eq 0 ]; then
		fail "the kill at the 2,000th openat did not land mid-render ($n files staged)"
	elif check_killed "mid-render" && { [ "$news" -eq 0 ] || fail "a kill mid-render left $news new files in place"; }; then
		check_next "mid-render ($n files staged)" && moments="$moments mid-render($n-staged)"
	fi
	# Inside the commit, at the 500th rename.
	for adds in no yes; do
		restore
		[ "$adds" = yes ] && sed -i '/^badges\//d' "$work/out/.yardstick-files"
		strace -f -o /dev/null -e trace=rename,renameat,renameat2 \
			-e inject=rename,renameat,renameat2:signal=KILL:when=500 \
			"$YARDSTICK" build -c site.conf --no-restore --output "$work/out" \
			--date 2026-11-23 >/dev/null 2>&1
		if [ ! -f "$work/out/.yardstick-building" ]; then
			fail "the kill at the 500th rename did not land in the commit"
		elif check_killed "in the commit (adds: $adds)"; then
			if [ "$news" -gt 0 ] && [ "$olds" -gt "$news" ]; then
				check_next "in the commit (adds: $adds)" && moments="$moments commit($news-new)"
			else
				fail "a kill in the commit left $news new and $olds old files, not a mix"
			fi
		fi
	done
fi
# Without strace, by the clock: wherever these land (loading, rendering or
# committing). With it they add nothing the fixed points do not test.
command -v strace >/dev/null 2>&1 ||
	echo "build kill: strace is not installed; the kills land by the clock, not at fixed points"
command -v strace >/dev/null 2>&1 || for delay in 0.4 1.2 2; do
	restore
	# The binary itself in the background, not the function: $! must be
	# yardstick's pid, or the kill would hit a subshell and miss the build.
	"$YARDSTICK" build -c site.conf --no-restore --output "$work/out" --date 2026-11-23 >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null || { echo "build kill: the build was done before $delay s"; wait "$pid"; continue; }
	wait "$pid" 2>/dev/null
	n=$(staged)
	check_killed "at $delay s" || continue
	check_next "at $delay s" && moments="$moments ${delay}s($n-staged,$news-new)"
done
sums "$work/old" | cmp -s - "$work/old.sum" ||
	fail "a build wrote into a file of the folder in place (the old tree, linked, changed)"
[ "$failed" -eq 0 ] && echo "build kill: 5,000 entities, killed at:$moments; every file complete, old or new; each repaired by the next build"
[ "$failed" -eq 0 ]
