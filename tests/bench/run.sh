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
