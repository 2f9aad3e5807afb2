#!/bin/sh
# Without procfs (a chroot, a container without /proc), pages are staged
# by name instead of through unnamed files (output.c, stage_unnamed()),
# and the build writes the same tree. As root, the build runs in a mount
# namespace with an empty tmpfs over /proc (unshare); skipped otherwise,
# and for a sanitizer build (ASan reads /proc/self/maps as it starts).
#
#   YARDSTICK=/path/to/yardstick sh tests/build/no-proc.sh
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null 2>&1; then
	echo "build no-proc: skipped (needs root and unshare)"
	exit 0
fi
if grep -q __asan_init "$YARDSTICK"; then
	echo "build no-proc: skipped (a sanitizer build needs /proc)"
	exit 0
fi
work=$root/tests/out/build-no-proc
rm -rf "$work" && mkdir -p "$work"
cp -R "$root/tests/build/small/." "$work/site/"
cd "$work/site" || exit 3
args="build -c site.conf --date 2026-11-23 --no-restore"
# shellcheck disable=SC2086 # $args is meant to be split
"$YARDSTICK" $args --output "$work/with-proc" >"$work/with-proc.log" 2>&1 ||
	{ echo "FAIL no-proc: the build with /proc"; cat "$work/with-proc.log"; exit 1; }
# shellcheck disable=SC2016,SC2086 # expanded by the inner shell; split
unshare -m sh -c 'mount -t tmpfs none /proc && [ ! -e /proc/self ] && exec "$@"' sh \
	"$YARDSTICK" $args --output "$work/without-proc" >"$work/without-proc.log" 2>&1 ||
	{ echo "FAIL no-proc: the build without /proc"; cat "$work/without-proc.log"; exit 1; }
same_tree "$work/with-proc" "$work/without-proc" "$work/tree.diff" ||
	{ echo "FAIL no-proc: the trees differ"; head -20 "$work/tree.diff"; exit 1; }
# And each page is written once: not to an unnamed file first and then,
# the link through /proc failing, again by name.
if command -v strace >/dev/null 2>&1; then
	writes() { # writes NAME PREFIX...: write calls of a build into NAME
		_name=$1
		shift
		# shellcheck disable=SC2086
		"$@" strace -f -e trace=write -o "$work/$_name.strace" \
			"$YARDSTICK" $args --output "$work/$_name" >/dev/null 2>&1
		grep -c 'write(' "$work/$_name.strace"
	}
	with=$(writes with-proc-2)
	# shellcheck disable=SC2016
	without=$(writes without-proc-2 unshare -m sh -c \
		'mount -t tmpfs none /proc && [ ! -e /proc/self ] && exec "$@"' sh)
	[ "$without" -le "$with" ] ||
		{ echo "FAIL no-proc: $without writes without /proc, $with with it"; exit 1; }
elif [ -n "${CI:-}" ]; then
	echo "FAIL no-proc: strace is missing (make test-tools installs it)"
	exit 1
fi
echo "build no-proc: without /proc, files staged by name make the same tree"
