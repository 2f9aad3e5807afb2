#!/bin/sh
# Golden tests: every folder here is a small site. The binary runs on a copy
# of it under tests/out/golden/<case>/ (after the case's setup.sh, if any,
# generates files too big or too strange to keep in git) and everything it
# prints, plus a last line "exit: N", must equal the case's `expected` (a
# build's timing is replaced by "S").
#
#   YARDSTICK=/path/to/yardstick sh tests/golden/run.sh [case...]
#   UPDATE=1 ...   rewrite `expected` from the actual output (then review it)
#
# The command is in the case's `cmd` file (default below); a run longer
# than 20 seconds counts as a hang, and one over the KiB of address space in
# the case's `memory-limit` file (if any) fails.
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$here/../.." && pwd)/tests/out/golden
default_cmd="check -c site.conf --date 2026-11-23"
passed=0
failed=0
cases=${*:-$(cd "$here" && ls -d */ | tr -d /)}
for name in $cases; do
	dir=$here/$name
	work=$out/$name
	rm -rf "$work"
	mkdir -p "$work"
	cp -R "$dir/." "$work/"
	if [ -f "$work/setup.sh" ]; then
		(cd "$work" && sh ./setup.sh) || { echo "FAIL $name: setup.sh"; failed=$((failed + 1)); continue; }
	fi
	cmd=$default_cmd
	[ -f "$work/cmd" ] && cmd=$(cat "$work/cmd")
	# shellcheck disable=SC2086 # the command line is meant to be split
	# A build's time ("built: ... in 0.15 s") becomes "in S s".
	# A case's `memory-limit` (KiB of address space) is applied, except to
	# a sanitizer build, which reserves terabytes of address space.
	limit=unlimited
	if [ -f "$work/memory-limit" ] && ! grep -q __asan_init "$YARDSTICK"; then
		limit=$(cat "$work/memory-limit")
	fi
	(cd "$work" && ulimit -v "$limit" && timeout 20 "$YARDSTICK" $cmd >actual.raw 2>&1; echo "exit: $?" >>actual.raw)
	sed 's/^\(built: .*\) in [0-9][0-9.]* s$/\1 in S s/' "$work/actual.raw" >"$work/actual"
	if [ -n "${UPDATE:-}" ]; then
		cp "$work/actual" "$dir/expected"
	fi
	if diff -u "$dir/expected" "$work/actual" >"$work/diff"; then
		passed=$((passed + 1))
	else
		echo "FAIL $name:"
		cat "$work/diff"
		failed=$((failed + 1))
	fi
done
echo "golden: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
