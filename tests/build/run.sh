#!/bin/sh
# Build tests: every folder here is a small site that `yardstick build`
# turns into a website under tests/out/build/<case>/output/.
#
# - What the build prints (its timing replaced by "S") plus "exit: N" must
#   equal the case's `expected.log`.
# - When the case has an `expected/` folder, the output must equal it byte
#   for byte (diff -r), manifest included but for its mtimes (lib.sh).
# - A second build of the same inputs with --force (load, record and
#   render again) must write and remove nothing (it records the same date
#   again in output/history.db, outside the tree compared); a third one
#   without --force stops early ("up to date") and says what the first one
#   said, problems included (docs/site.md).
# - Extra arguments for the build come from the case's `args` file.
# - The case's `check.sh`, if any, then inspects the output (run in the
#   work folder, with YARDSTICK set).
#
# Cases use the default theme (templates/ and static/ of this repository);
# a case's own templates/ files replace the theme's files of the same name.
#
#   YARDSTICK=/path/to/yardstick sh tests/build/run.sh [case...]
#   UPDATE=1 ...   rewrite expected.log and expected/ (then review them)
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
out=$root/tests/out/build
date=2026-11-23
passed=0
failed=0
cases=${*:-$(cd "$here" && ls -d -- */ | tr -d /)}

build() { # build LOGFILE [OPTION...]: one build of the case in the current folder
	_log=$1
	shift
	# shellcheck disable=SC2046 # extra arguments are meant to be split
	timeout 60 "$YARDSTICK" build -c site.conf --date "$date" $(cat args 2>/dev/null) \
		"$@" >"$_log.raw" 2>&1
	echo "exit: $?" >>"$_log.raw"
	sed 's/ in [0-9][0-9.]* s$/ in S s/' "$_log.raw" >"$_log"
}

fail() {
	echo "FAIL $name: $*"
	failed=$((failed + 1))
}

for name in $cases; do
	dir=$here/$name
	work=$out/$name
	rm -rf "$work"
	mkdir -p "$work"
	cp -R "$root/templates" "$root/static" "$work/"
	cp -R "$dir/." "$work/"
	rm -rf "$work/expected" "$work/expected.log"
	cd "$work" || exit 3
	build first.log
	if [ -n "${UPDATE:-}" ]; then
		cp first.log "$dir/expected.log"
		if [ -d "$dir/expected" ] || [ -n "${UPDATE_TREE:-}" ]; then
			rm -rf "$dir/expected"
			cp -R output "$dir/expected"
			rm -f "$dir/expected/history.db" "$dir/expected/.yardstick-stamp"
		fi
	fi
	if ! diff -u "$dir/expected.log" first.log >first.diff; then
		fail "build log differs"; cat first.diff; cd "$root"; continue
	fi
	# history.db is SQLite, not text: tests/history/ checks what it holds.
	if [ -d "$dir/expected" ] && ! same_tree "$dir/expected" output tree.diff; then
		fail "output differs from expected/"; head -50 tree.diff; cd "$root"; continue
	fi
	if [ -d output ] && grep -q '^exit: 0$' first.log; then
		build second.log --force
		if ! grep -q '^built: [0-9]* pages, 0 written, [0-9]* unchanged, 0 removed in S s$' second.log ||
			grep -q '^up to date' second.log; then
			fail "a second build changed files"; cat second.log; cd "$root"; continue
		fi
		build third.log
		if ! grep -q '^up to date: ' third.log ||
			! grep -q '^built: [0-9]* pages, 0 written, [0-9]* unchanged, 0 removed in S s$' third.log; then
			fail "a build of unchanged inputs did not stop early"; cat third.log; cd "$root"; continue
		fi
		# It says what the first build said, problems included.
		grep -v '^built: \|^up to date: ' first.log >said.first
		grep -v '^built: \|^up to date: ' third.log >said.third
		if ! diff -u said.first said.third; then
			fail "a build that stopped early said something else"; cd "$root"; continue
		fi
	fi
	if [ -f check.sh ] && ! YARDSTICK=$YARDSTICK sh ./check.sh >check.log 2>&1; then
		fail "check.sh"; cat check.log; cd "$root"; continue
	fi
	passed=$((passed + 1))
	cd "$root" || exit 3
done
echo "build: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
