#!/bin/sh
# Time `yardstick check`, `yardstick eval` and `yardstick build` on
# synthetic sites. "build" is a first build into an empty folder, "rebuild"
# the same build again (nothing changed, nothing written).
#
#   sh tests/bench/run.sh [SIZES...]     default: 1000 10000 100000
#
# Sites are generated under tests/out/bench/. Each command runs 3 times;
# the best wall time and the peak resident memory (from /usr/bin/time,
# when installed: apt-get install time) are printed.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$root/yardstick
[ -x "$bin" ] || { echo "build first: make"; exit 1; }
sizes=${*:-1000 10000 100000}
for n in $sizes; do
	site=$root/tests/out/bench/site-$n
	[ -d "$site" ] || sh "$root/tests/bench/gen-site.sh" "$site" "$n"
	grep -q '^templates' "$site/site.conf" || sh "$root/tests/bench/gen-site.sh" "$site" "$n"
	for cmd in check eval build rebuild; do
		best=""
		args="$cmd"
		[ "$cmd" = rebuild ] && args="build"
		[ "$cmd" = build ] || [ "$cmd" = rebuild ] && args="$args --output $site/output"
		for run in 1 2 3; do
			[ "$cmd" = build ] && rm -rf "$site/output"
			start=$(date +%s.%N)
			"$bin" $args -c "$site/site.conf" --date 2026-11-23 >/dev/null
			end=$(date +%s.%N)
			t=$(echo "$end - $start" | bc)
			if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
		done
		mem=""
		if [ -x /usr/bin/time ]; then
			[ "$cmd" = build ] && rm -rf "$site/output"
			mem=$(/usr/bin/time -f %M "$bin" $args -c "$site/site.conf" --date 2026-11-23 2>&1 >/dev/null | tail -n 1)
			mem=", peak $((mem / 1024)) MB"
		fi
		printf '%7d entities  %-5s  %6.3f s%s\n' "$n" "$cmd" "$best" "$mem"
	done
done

# History: a year of recorded runs for the largest size asked for up to
# 10,000 entities (1% of the states changing a day, scores drifting; see
# tests/bench/history/seed_history.c), then the time to record one more
# run, the database's size, and an idle rebuild with that year against one
# with a single recorded day (the cost of the charts, "what changed" and
# the history exports).
hist_n=""
for n in $sizes; do [ "$n" -le 10000 ] && hist_n=$n; done
[ -n "$hist_n" ] || exit 0
(cd "$root" && make -s build/bench/seed_history >/dev/null) || { echo "cannot build seed_history"; exit 1; }
site=$root/tests/out/bench/site-$hist_n
best_of() { # best_of CMD...: best wall time of 3 runs
	best=""
	for run in 1 2 3; do
		start=$(date +%s.%N)
		"$@" >/dev/null 2>&1
		end=$(date +%s.%N)
		t=$(echo "$end - $start" | bc)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
	done
	echo "$best"
}
rm -rf "$site/year" "$site/day" && mkdir -p "$site/year" "$site/day"
"$root/build/bench/seed_history" "$site/site.conf" "$site/year/history.db" 365
"$bin" build -c "$site/site.conf" --date 2026-11-23 --output "$site/year" >/dev/null 2>&1
"$bin" build -c "$site/site.conf" --date 2026-11-23 --output "$site/day" >/dev/null 2>&1
size=$(wc -c <"$site/year/history.db")
printf '%7d entities  record (365 days kept)  %6.3f s, history.db %.1f MB\n' "$hist_n" \
	"$(best_of "$bin" record -c "$site/site.conf" --date 2026-11-23 --output "$site/year")" \
	"$(echo "$size / 1000000" | bc -l)"
printf '%7d entities  rebuild, 1 day        %6.3f s\n' "$hist_n" \
	"$(best_of "$bin" build -c "$site/site.conf" --date 2026-11-23 --output "$site/day")"
printf '%7d entities  rebuild, 365 days     %6.3f s\n' "$hist_n" \
	"$(best_of "$bin" build -c "$site/site.conf" --date 2026-11-23 --output "$site/year")"
