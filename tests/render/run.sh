#!/bin/sh
# The Mustache spec through the binary: every test (lambdas aside) is
# unpacked by spec_files into tests/out/render-spec/<file>-<n>/ and rendered
# with `yardstick render --partials DIR TEMPLATE DATA`; stdout must equal
# `expected` byte for byte and the exit status must be 0.
#
#   YARDSTICK=./yardstick SPEC_FILES=build/tests/spec_files sh tests/render/run.sh
#
# The spec is read from ../shared/mustache-spec (or $MUSTACHE_SPEC_DIR). When
# it is missing the test is skipped, unless $CI is set: then it fails.
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
: "${SPEC_FILES:?set SPEC_FILES to the spec_files helper}"
root=$(cd "$(dirname "$0")/../.." && pwd)
spec=${MUSTACHE_SPEC_DIR:-$root/../shared/mustache-spec}
out=$root/tests/out/render-spec
if [ ! -d "$spec" ]; then
	if [ -n "${CI:-}" ]; then
		echo "render spec: $spec is missing (CI is set)"
		exit 1
	fi
	echo "render spec: skipped, $spec not found (set MUSTACHE_SPEC_DIR)"
	exit 0
fi
rm -rf "$out"
mkdir -p "$out"
total=$("$SPEC_FILES" "$spec" "$out") || exit 1
passed=0
for dir in "$out"/*/; do
	dir=${dir%/}
	status=0
	timeout 20 "$YARDSTICK" render --partials "$dir/partials" \
		"$dir/template.mustache" "$dir/data.json" \
		>"$dir/actual" 2>"$dir/stderr" || status=$?
	if [ "$status" -eq 0 ] && cmp -s "$dir/expected" "$dir/actual"; then
		passed=$((passed + 1))
	else
		echo "FAIL $(basename "$dir"): $(cat "$dir/name") (exit $status)"
		cat "$dir/stderr"
	fi
done
echo "render spec: $passed/$total passed"
[ "$passed" -eq "$total" ] && [ "$total" -eq 184 ]
