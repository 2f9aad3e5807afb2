# Shared by the build tests (sourced).
#
# same_tree A B [DIFF]: whether output folders A and B hold the same
# files byte for byte, history.db aside (SQLite's file is not compared as
# bytes; tests/history/ checks it) and the build stamp too (its digest
# names the binary's and the inputs' inodes; tests/build/stamp.sh checks
# it). The manifests are compared without their mtimes (path, size and
# hash), which differ between two builds of the same bytes. Differences go
# to DIFF (default /dev/null).
same_tree() {
	_diff=${3:-/dev/null}
	diff -r -x history.db -x .yardstick-files -x .yardstick-stamp "$1" "$2" \
		>"$_diff" || return 1
	[ -f "$1/.yardstick-files" ] || [ -f "$2/.yardstick-files" ] || return 0
	cut -f 1,2,4 "$1/.yardstick-files" >"$_diff.a" 2>/dev/null
	cut -f 1,2,4 "$2/.yardstick-files" >"$_diff.b" 2>/dev/null
	diff "$_diff.a" "$_diff.b" >>"$_diff"
	_rc=$?
	rm -f "$_diff.a" "$_diff.b"
	return $_rc
}

# as_nobody NAME: set $as_user to a command prefix that runs a command as
# nobody when the tests run as root (who reads and removes any file, so
# permissions would test nothing): setpriv, else runuser. Empty when not
# root. Returns 1, after saying the test NAME is skipped, when root has
# neither.
as_nobody() {
	as_user=""
	[ "$(id -u)" -eq 0 ] || return 0
	if command -v setpriv >/dev/null 2>&1; then
		as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
	elif command -v runuser >/dev/null 2>&1; then
		as_user="runuser -u nobody --"
	else
		echo "build $1: skipped (root, and no setpriv or runuser to become nobody)"
		return 1
	fi
}
