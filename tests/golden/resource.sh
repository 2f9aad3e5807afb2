#!/bin/sh
# Resource test: every hostile case runs under a memory limit (ulimit -v,
# 1 GiB of address space) and a time limit, so a blow-up (an alias bomb, a
# render that multiplies, a FIFO that blocks) fails this test instead of
# taking the machine down. What the cases print is compared by run.sh and
# tests/build/run.sh; here only how they end counts: a timeout (124), a
# kill (137), any other signal (exit > 128) or an allocation that failed
# ("out of memory", ENOMEM) is a failure.
#
# The cases: tests/golden/hostile*/ and content-symlinks/ (a symlink loop),
# run as run.sh runs them (setup.sh, cmd), and tests/build/hostile/ (built
# with the default theme).
#
#   YARDSTICK=/path/to/yardstick sh tests/golden/resource.sh
#   RESOURCE_NO_VM_LIMIT=1 ...   keep only the time limit: a binary built
#                                with AddressSanitizer maps terabytes of
#                                shadow memory and cannot run under ulimit -v
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/tests/out/resource
vm_kib=1048576
seconds=30
passed=0
failed=0

# run NAME WORKDIR ARGS...: one command under the limits, judged by how it ends.
run() {
	name=$1 work=$2
	shift 2
	(
		cd "$work" || exit 3
		[ -n "${RESOURCE_NO_VM_LIMIT:-}" ] || ulimit -v $vm_kib || exit 3
		exec timeout -s KILL $seconds "$YARDSTICK" "$@"
	) >"$work/resource.log" 2>&1
	status=$?
	why=""
	if [ $status -eq 124 ] || [ $status -eq 137 ]; then
		why="over the time limit of $seconds s (exit $status)"
	elif [ $status -gt 128 ]; then
		why="killed by signal $((status - 128))"
	elif grep -qi 'out of memory\|cannot allocate memory' "$work/resource.log"; then
		why="ran out of memory (exit $status)"
	fi
	if [ -n "$why" ]; then
		echo "FAIL resource $name: $why:"
		tail -n 5 "$work/resource.log"
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
}

for dir in "$here"/hostile*/ "$here"/content-symlinks/; do
	name=$(basename "$dir")
	work=$out/$name
	rm -rf "$work"
	mkdir -p "$work"
	cp -R "$dir/." "$work/"
	if [ -f "$work/setup.sh" ]; then
		(cd "$work" && sh ./setup.sh) || { echo "FAIL resource $name: setup.sh"; failed=$((failed + 1)); continue; }
	fi
	cmd="check -c site.conf --date 2026-11-23"
	[ -f "$work/cmd" ] && cmd=$(cat "$work/cmd")
	# shellcheck disable=SC2086 # the command line is meant to be split
	run "$name" "$work" $cmd
done

for dir in "$root"/tests/build/hostile/; do
	name=build-$(basename "$dir")
	work=$out/$name
	rm -rf "$work"
	mkdir -p "$work"
	cp -R "$root/templates" "$root/static" "$work/"
	cp -R "$dir/." "$work/"
	run "$name" "$work" build -c site.conf --date 2026-11-23
done

limits="ulimit -v $vm_kib"
[ -z "${RESOURCE_NO_VM_LIMIT:-}" ] || limits="no memory limit"
echo "resource: $passed passed, $failed failed ($limits, $seconds s each)"
[ "$failed" -eq 0 ]
