#!/bin/sh
# The benchmark of yardstick on synthetic sites, beside Hugo and the I/O
# floor. Needs /usr/bin/time (apt-get install time), cc, python3 and,
# for the comparison, hugo (apt-get install hugo); nothing of farm-bench.
#
#   sh tests/bench/run.sh [SIZES...]     default: 1000 10000 100000
#   RUNS=5 sh tests/bench/run.sh 10000   runs per figure (default 3)
#   HUGO= sh tests/bench/run.sh 10000    without Hugo
#   YARDSTICK=/path/to/yardstick ...      another binary (default ./yardstick)
#   HISTORY= sh tests/bench/run.sh 10000  without the year of history (below)
#
# Sites are generated under tests/out/bench/ (gen-site.sh). Every time is
# the median of RUNS runs, wall clock; "peak RSS" is the median of the
# builds' maximum resident sizes. Per size it prints:
#
#   check, eval          loading and evaluating only
#   build                a first build into an empty folder
#   build, no badges     the same with [badges] enabled = false
#   idle rebuild         the build again over its own output, nothing changed
#                        (it stops early: docs/site.md, "Rebuilding when
#                        nothing changed")
#   idle rebuild, --force  the same made to load, record, render and compare
#   output               files, bytes, and the largest page (.html)
#   I/O floor            io_floor.c writing the same files (same paths and
#                        sizes, from the build's output) into an empty
#                        folder: open, write, close; and build / floor
#                        (each run times the floor just before the build,
#                        both right after deleting a tree like theirs)
#   Hugo                 hugo building the same entities' tables of rules
#                        (gen-hugo.py, from the build's data/results.json)
#                        and pages per second, yardstick's / Hugo's
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${YARDSTICK:-$root/yardstick}
bench=$root/tests/out/bench
[ -x "$bin" ] || { echo "build first: make"; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time: apt-get install time"; exit 1; }
sizes=${*:-1000 10000 100000}
runs=${RUNS:-3}
hugo=${HUGO-hugo}
[ -z "$hugo" ] || command -v "$hugo" >/dev/null || { echo "no hugo (apt-get install hugo, or HUGO= to skip it)"; hugo=""; }
mkdir -p "$bench"
cc -std=c11 -O2 -o "$bench/io_floor" "$root/tests/bench/io_floor.c"

median() { # median FILE: the middle line of FILE's numbers
	sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
# timed FILE CMD...: run CMD (its stdout to FILE.out, or to /dev/null
# with QUIET=1), add "wall rss user system" to FILE
timed() {
	f=$1
	shift
	out=$f.out
	[ -z "${QUIET:-}" ] || out=/dev/null
	/usr/bin/time -f '%e %M %U %S' -o "$f.one" "$@" >"$out" 2>"$f.err" ||
		{ echo "failed: $*"; cat "$f.err"; exit 1; }
	cat "$f.one" >>"$f"
}
walls() { cut -d' ' -f1 "$1" >"$1.wall"; median "$1.wall"; }
cpu() { awk '{ print $3 + $4 }' "$1" >"$1.cpu"; median "$1.cpu"; }
rss() { cut -d' ' -f2 "$1" >"$1.rss"; echo "$(( $(median "$1.rss") / 1024 ))"; }
# ratio A B [SCALE]: A / B * SCALE, two decimals
ratio() { awk -v a="$1" -v b="$2" -v s="${3:-1}" 'BEGIN { printf "%.2f", a / b * s }'; }
row() { printf '%7d entities  %-22s %s\n' "$n" "$1" "$2"; }
# Trees are moved aside, not deleted, while anything is timed. On ext4
# without a journal (this machine's), the inode allocator skips every inode
# freed in the last 60 s (300 s while its table block is not yet written
# back), checking them one by one: creating 34k files takes 0.6 s on a
# file system at rest and 3.4 s right after deleting three such trees.
# settle, before a size's runs, deletes what was set aside, writes it back
# and waits out the minute, so every timed run, the floor's, yardstick's
# and Hugo's, creates its files on a file system at rest.
trash=$bench/trash
aside() {
	for tree in "$@"; do
		[ -e "$tree" ] || continue
		mkdir -p "$trash"
		mv "$tree" "$trash/$(date +%s%N)"
	done
}
settle() { rm -rf "$trash"; sync; sleep 61; }
trap 'rm -rf "$trash"' EXIT

for n in $sizes; do
	site=$bench/site-$n
	[ -d "$site" ] && grep -q '^templates' "$site/site.conf" || sh "$root/tests/bench/gen-site.sh" "$site" "$n"
	conf=$site/site.conf
	{ cat "$conf"; printf '[badges]\nenabled = false\n'; } >"$site/site-no-badges.conf"
	t=$bench/times-$n
	rm -rf "$t" && mkdir -p "$t"
	args="-c $conf --date 2026-11-23"
	# A binary from before [badges] refuses the key: no such row then;
	# nor one for --force from a binary before it.
	no_badges=yes
	"$bin" check -c "$site/site-no-badges.conf" --date 2026-11-23 >/dev/null 2>&1 || no_badges=""
	force=""
	"$bin" build --help | grep -q -- --force && force=--force
	# One build first, untimed: the files the I/O floor writes, and warm
	# caches. Then each run times the floor and the builds, each into a
	# folder that does not exist (the last one's set aside), all in the
	# site's folder: ext4 puts a new folder's inodes near its parent's,
	# and the same files took 0.6 s in one place and 1.6 s in another.
	aside "$site/output" "$site/output-no-badges" "$site/floor"
	"$bin" build $args --output "$site/output" >/dev/null 2>&1 || { echo "failed: build"; exit 1; }
	(cd "$site/output" && find . -type f ! -name .yardstick-files ! -name .yardstick-stamp -printf '%s %P\n') >"$t/files"
	aside "$site/output"
	settle
	for run in $(seq "$runs"); do
		QUIET=1 timed "$t/check" "$bin" check $args
		QUIET=1 timed "$t/eval" "$bin" eval $args
		aside "$site/floor"
		"$bench/io_floor" "$t/files" "$site/floor" >>"$t/floor"
		aside "$site/output"
		timed "$t/build" "$bin" build $args --output "$site/output"
		timed "$t/rebuild" "$bin" build $args --output "$site/output"
		[ -z "$force" ] || timed "$t/forced" "$bin" build $args --output "$site/output" $force
		[ -n "$no_badges" ] || continue
		aside "$site/output-no-badges"
		timed "$t/no-badges" "$bin" build -c "$site/site-no-badges.conf" --date 2026-11-23 \
			--output "$site/output-no-badges"
	done
	aside "$site/output-no-badges"
	build=$(walls "$t/build")
	pages=$(sed -n 's/^built: \([0-9]*\) pages.*/\1/p' "$t/build.out")
	row check "$(walls "$t/check") s"
	row eval "$(walls "$t/eval") s"
	pps=$(ratio "$pages" "$build")
	row build "$build s (CPU $(cpu "$t/build") s), $pages pages, ${pps%.*} pages/s, peak RSS $(rss "$t/build") MiB"
	[ -z "$no_badges" ] ||
		row "build, no badges" "$(walls "$t/no-badges") s (CPU $(cpu "$t/no-badges") s), peak RSS $(rss "$t/no-badges") MiB"
	row "idle rebuild" "$(walls "$t/rebuild") s (CPU $(cpu "$t/rebuild") s), peak RSS $(rss "$t/rebuild") MiB"
	[ -z "$force" ] ||
		row "idle rebuild, --force" "$(walls "$t/forced") s (CPU $(cpu "$t/forced") s), peak RSS $(rss "$t/forced") MiB"
	(cd "$site/output" && find . -type f ! -name .yardstick-files ! -name .yardstick-stamp -printf '%s %P\n') >"$t/files"
	bytes=$(awk '{ s += $1 } END { print s }' "$t/files")
	largest=$(grep '\.html$' "$t/files" | sort -n | tail -n 1)
	row output "$(wc -l <"$t/files") files, $(ratio "$bytes" 1000000) MB; largest page ${largest#* } $(ratio "${largest%% *}" 1000000) MB"

	aside "$site/floor"
	floor=$(median "$t/floor")
	row "I/O floor" "$floor s, build / floor $(ratio "$build" "$floor")"

	if [ -n "$hugo" ]; then
		if [ ! -f "$site/output/data/results.json" ]; then
			row Hugo "skipped: the build wrote no data/results.json ([exports] formats)"
			continue
		fi
		h=$bench/hugo-$n
		python3 "$root/tests/bench/gen-hugo.py" "$site/output/data/results.json" "$h" >/dev/null
		for run in $(seq "$runs"); do
			aside "$h/public" "$h/resources"
			timed "$t/hugo" "$hugo" -s "$h" -d "$h/public"
		done
		hugo_time=$(walls "$t/hugo")
		hugo_pages=$(awk -F'|' '/^ *Pages /{ gsub(/ /, "", $2); print $2 }' "$t/hugo.out")
		hugo_pps=$(ratio "$hugo_pages" "$hugo_time")
		row Hugo "$hugo_time s, $hugo_pages pages, ${hugo_pps%.*} pages/s, peak RSS $(rss "$t/hugo") MiB"
		row "pages/s ÷ Hugo's" "$(ratio "$pps" "$hugo_pps")"
	fi
done

# History: a year of recorded runs for the largest size asked for up to
# 10,000 entities (1% of the states changing a day, scores drifting; see
# tests/bench/history/seed_history.c), then the time to record one more
# run, the database's size, and an idle rebuild with that year against one
# with a single recorded day (the cost of the charts, "what changed" and
# the history exports).
[ -n "${HISTORY-yes}" ] || exit 0
hist_n=""
for n in $sizes; do [ "$n" -le 10000 ] && hist_n=$n; done
[ -n "$hist_n" ] || exit 0
(cd "$root" && make -s build/bench/seed_history >/dev/null) || { echo "cannot build seed_history"; exit 1; }
site=$bench/site-$hist_n
t=$bench/times-$hist_n
rm -rf "$site/year" "$site/day" "$site/record" && mkdir -p "$site/year" "$site/day" "$site/record"
"$root/build/bench/seed_history" "$site/site.conf" "$site/year/history.db" 365
"$bin" build -c "$site/site.conf" --date 2026-11-23 --output "$site/year" >/dev/null 2>&1
"$bin" build -c "$site/site.conf" --date 2026-11-23 --output "$site/day" >/dev/null 2>&1
size=$(wc -c <"$site/year/history.db")
for run in $(seq "$runs"); do
	# One more date on a copy of the year (the build recorded 2026-11-23;
	# recording it again writes nothing).
	cp "$site/year/history.db" "$site/record/history.db"
	timed "$t/record" "$bin" record -c "$site/site.conf" --date 2026-11-24 --output "$site/record"
	timed "$t/day" "$bin" build -c "$site/site.conf" --date 2026-11-23 --output "$site/day" $force
	timed "$t/year" "$bin" build -c "$site/site.conf" --date 2026-11-23 --output "$site/year" $force
done
n=$hist_n
row "record (365 days kept)" "$(walls "$t/record") s, history.db $(ratio "$size" 1000000) MB"
row "idle rebuild, 1 day" "$(walls "$t/day") s"
row "idle rebuild, 365 days" "$(walls "$t/year") s"
