#!/bin/sh
# A theme file that cannot be read is an I/O error: the build (and
# `yardstick render`, for a partial) stops before
# anything is written with exit 3 (docs/site.md), where a broken template
# is an error in the theme (exit 1, tests/build/theme-error). The site's
# templates/entity.mustache gets mode 000; as root (who reads any file) the
# builds run as nobody (setpriv or runuser), else the test is skipped. The
# same site with the file readable builds (exit 0), so the 3 is the
# template's.
#
#   YARDSTICK=/path/to/yardstick sh tests/build/unreadable-theme.sh
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
as_nobody unreadable-theme || exit 0
work=$(mktemp -d "${TMPDIR:-/tmp}/yardstick-theme-XXXXXX") || exit 3
trap 'rm -rf "$work"' EXIT
cp -R "$root/tests/golden/ok-minimal/." "$work/"
mkdir -p "$work/templates"
cp "$root/templates/entity.mustache" "$work/templates/entity.mustache"
chmod -R a+rX "$work"
[ -n "$as_user" ] && chown -R 65534:65534 "$work"
cd "$work" || exit 3
failed=0
# shellcheck disable=SC2086 # $as_user is a command prefix, meant to be split
$as_user "$YARDSTICK" build -c site.conf --date 2026-11-23 --no-restore --output out >readable.log 2>&1
rc=$?
[ "$rc" -eq 0 ] || { echo "FAIL unreadable-theme: the readable site exits $rc"; cat readable.log; failed=1; }
rm -rf out
chmod 0 templates/entity.mustache
# shellcheck disable=SC2086
$as_user "$YARDSTICK" build -c site.conf --date 2026-11-23 --no-restore --output out >unreadable.log 2>&1
rc=$?
[ "$rc" -eq 3 ] || { echo "FAIL unreadable-theme: exit $rc, not 3"; failed=1; }
grep -qx 'templates/entity.mustache: error: cannot open: Permission denied' unreadable.log ||
	{ echo "FAIL unreadable-theme: no error for the file"; failed=1; }
[ ! -e out ] || { echo "FAIL unreadable-theme: output written"; failed=1; }
[ "$failed" -eq 0 ] || { cat unreadable.log; exit 1; }

# `yardstick render` alike: a partial that cannot be read is exit 3, where
# a broken one is exit 1.
mkdir partials
printf 'a {{> p}} b\n' >partials/page.mustache
printf 'P\n' >partials/p.mustache
printf '{}\n' >data.json
chmod -R a+rX partials data.json
[ -n "$as_user" ] && chown -R 65534:65534 partials data.json
render() {
	# shellcheck disable=SC2086
	$as_user "$YARDSTICK" render partials/page.mustache data.json >render.log 2>&1
	echo $?
}
[ "$(render)" -eq 0 ] || { echo "FAIL unreadable-theme: render of a readable partial"; cat render.log; failed=1; }
chmod 0 partials/p.mustache
[ "$(render)" -eq 3 ] || { echo "FAIL unreadable-theme: render of an unreadable partial, not exit 3"; cat render.log; failed=1; }
grep -q 'p.mustache: error: cannot open: Permission denied' render.log ||
	{ echo "FAIL unreadable-theme: render names no file"; cat render.log; failed=1; }
chmod 644 partials/p.mustache
printf '{{#x}}\n' >partials/p.mustache
[ "$(render)" -eq 1 ] || { echo "FAIL unreadable-theme: render of a broken partial, not exit 1"; cat render.log; failed=1; }
[ "$failed" -eq 0 ] || exit 1
echo "build unreadable-theme: an unreadable template stops the build (and render) with exit 3${as_user:+ (as nobody)}"
