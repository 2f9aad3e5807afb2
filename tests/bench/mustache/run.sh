#!/bin/sh
# Our engine against mustache.js on the same page, data and output.
#   make bench-mustache            (builds bench_mustache, then runs this)
#   sh tests/bench/mustache/run.sh BENCH_BINARY [ITERATIONS]
# mustache.js is optional: `npm install` in this folder fetches it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bench=$1
iterations=${2:-2000}
out=$(cd "$here/../../.." && pwd)/tests/out/bench-mustache
mkdir -p "$out"
"$bench" "$here" "$iterations" "$out/yardstick.html"
if [ ! -d "$here/node_modules/mustache" ]; then
	echo "mustache.js: not installed; run 'npm install' in $here to compare"
	exit 0
fi
node "$here/bench.js" "$iterations" "$out/mustache-js.html"
if cmp -s "$out/yardstick.html" "$out/mustache-js.html"; then
	echo "same output: yes ($(wc -c <"$out/yardstick.html") bytes)"
else
	echo "same output: NO (see $out/*.html)"
	exit 1
fi
