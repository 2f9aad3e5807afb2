#!/bin/sh
# A commit that fails part way (a stale page whose folder is read-only
# cannot be removed) ends the build with exit 3 and a message, not a crash,
# and leaves no stamp; once the folder is writable again the next build
# completes the tree. As root (who may remove anything) the builds run as
# nobody (setpriv or runuser), else the test is skipped.
#
#   YARDSTICK=/path/to/yardstick sh tests/build/commit-fails.sh
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
as_nobody commit-fails || exit 0
work=$(mktemp -d "${TMPDIR:-/tmp}/yardstick-commit-XXXXXX") || exit 3
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
cp -R "$root/tests/golden/ok-minimal/." "$work/"
rm -rf "$work/expected"
cat >>"$work/content/catalog/catalog-info.yaml" <<'YAML'
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: orders-db
spec:
  type: database
  owner: group:web
YAML
chmod -R a+rwX "$work"
[ -n "$as_user" ] && chown -R 65534:65534 "$work"
cd "$work" || exit 3
failed=0
fail() { echo "FAIL commit-fails: $*"; failed=1; }
build() { # build LOG
	# shellcheck disable=SC2086 # $as_user is a command prefix, meant to be split
	$as_user "$YARDSTICK" build -c site.conf --date 2026-11-23 --no-restore --output out >"$1" 2>&1
}
build first.log || { fail "the first build: $(cat first.log)"; exit 1; }
page=$(cd out && find entities -path '*orders-db*' -name '*.html' | head -n 1)
[ -n "$page" ] || { fail "no page for the resource"; exit 1; }
# The resource goes; its page's folder is made read-only: the commit
# renames the other pages in, then cannot remove the stale page.
sed -i '/^---$/,$d' content/catalog/catalog-info.yaml
cat "$root/tests/golden/ok-minimal/content/catalog/catalog-info.yaml" >content/catalog/catalog-info.yaml
chmod a-w "out/$(dirname "$page")"
build second.log
rc=$?
[ "$rc" -eq 3 ] || fail "a failed commit exits $rc, not 3: $(cat second.log)"
grep -q 'the next build completes them' second.log || fail "no message for a failed commit: $(cat second.log)"
[ -e out/.yardstick-stamp ] && fail "a stamp after a failed commit"
chmod u+w "out/$(dirname "$page")"
build third.log || fail "the build after: $(cat third.log)"
grep -q '^up to date' third.log && fail "the build after a failed commit stopped early"
[ -e "out/$page" ] && fail "the stale page is still there after the next build"
[ "$failed" -eq 0 ] && echo "build commit-fails: a failed commit exits 3 and the next build completes the tree${as_user:+ (as nobody)}"
[ "$failed" -eq 0 ]
