#!/bin/sh
# The build stamp (docs/site.md, "Rebuilding when nothing changed"): a
# build whose inputs did not change, over an output folder as the last
# build left it, stops early ("up to date") and says what that build said;
# a change to any input, or to the output, builds again, and the tree is
# then what a clean build gives. On a copy of the example site (which has
# problems to report: they are said again).
#
#   YARDSTICK=/path/to/yardstick sh tests/build/stamp.sh
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
work=$root/tests/out/build-stamp
rm -rf "$work" && mkdir -p "$work/site"
cp -R "$root/site.conf" "$root/content" "$work/site/"
cd "$work/site" || exit 3
failed=0
fail() { echo "FAIL stamp: $*"; failed=$((failed + 1)); }

# run NAME [OPTION...]: a build of the site into output/ (stdout NAME.out,
# stderr NAME.err, exit status NAME.exit).
bin=$YARDSTICK
run() {
	_name=$1
	shift
	"$bin" build -c site.conf --date 2026-11-23 "$@" >"$_name.out" 2>"$_name.err"
	echo $? >"$_name.exit"
}
# early NAME: the build stopped early, exit 0, saying what the last build
# that did not stop early ($last) said.
last=first
early() {
	grep -q '^up to date: ' "$1.out" || { fail "$1: did not stop early"; cat "$1.out"; return 1; }
	[ "$(cat "$1.exit")" = 0 ] || fail "$1: exit $(cat "$1.exit")"
	cmp -s "$last.err" "$1.err" || { fail "$1: its problems differ from $last's"; diff "$last.err" "$1.err" | head; }
	grep -v '^built: \|^up to date: ' "$last.out" >said.last
	grep -v '^built: \|^up to date: ' "$1.out" >said.now
	cmp -s said.last said.now || { fail "$1: says something else than $last"; diff said.last said.now; }
	grep -q '^built: [0-9]* pages, 0 written, [0-9]* unchanged, 0 removed in ' "$1.out" ||
		{ fail "$1: summary"; cat "$1.out"; }
}
# built NAME: the build loaded and rendered (no early stop), exit 0.
built() {
	last=$1
	grep -q '^up to date: ' "$1.out" && { fail "$1: stopped early"; return 1; }
	[ "$(cat "$1.exit")" = 0 ] || { fail "$1: exit $(cat "$1.exit")"; cat "$1.err"; return 1; }
	grep -q '^built: ' "$1.out" || { fail "$1: no summary"; cat "$1.out"; }
}

run first
[ "$(cat first.exit)" = 0 ] || { echo "FAIL stamp: the first build"; cat first.err; exit 1; }
[ -s first.err ] || fail "the example site has no problem to say again; the test needs one"
[ -f output/.yardstick-stamp ] || fail "no stamp after a successful build"
cp -R output reference
run again && early again

# Same bytes, new mtime: still unchanged (inputs are compared by bytes).
touch content/catalog/*
run touched && early touched

# An input changes: built; then unchanged again.
cat=$(ls content/catalog/* | head -n 1)
printf '\n# a comment\n' >>"$cat"
run edited && built edited
run edited-again && early edited-again
# Same size, same mtime, one byte different: built.
stamp=$(stat -c %y "$cat")
sed -i 's/^# a comment$/# b comment/' "$cat"
touch -d "$stamp" "$cat"
run same-size && built same-size

# A file in a theme folder: built.
mkdir -p static && printf 'extra\n' >static/extra.txt
run theme && built theme
[ -f output/static/extra.txt ] || fail "the new static file was not written"
rm static/extra.txt
run theme-gone && built theme-gone
[ -e output/static/extra.txt ] && fail "the removed static file is still in the output"

# The output changes: a page deleted, a page edited, a page touched. Each
# is built again and the tree is the reference again.
page=$(cd output && find entities -name '*.html' | sort | head -n 1)
rm "output/$page"
run deleted && built deleted
cmp -s "output/$page" "reference/$page" || fail "the deleted page was not written again"
printf 'x' >>"output/$page"
run appended && built appended
cmp -s "output/$page" "reference/$page" || fail "the edited page was not repaired"
touch "output/$page"
run page-touched && built page-touched
run settled && early settled

# Another date, then the date again: the history changed, so built.
run other --date 2026-11-24 && built other
run back && built back
grep -q '(2 runs)' back.out || fail "the history does not hold two runs: $(cat back.out)"
run back-again && early back-again
# `yardstick record` of another date changes the history too.
"$bin" record -c site.conf --date 2026-11-20 >record.out 2>&1 || fail "record: $(cat record.out)"
run recorded && built recorded

# --force always builds; a Slack dry run builds and leaves no stamp.
run forced --force && built forced
run slack --slack-dry-run "$work/slack" && built slack
[ -f output/.yardstick-stamp ] && fail "a stamp after a Slack build"
run after-slack && built after-slack
run after-slack-again && early after-slack-again

# The history written by another command while a build renders: the
# build's pages may not show it, so it leaves no stamp (strace holds the
# build at its first rename, in the commit of a new date's pages, while
# `record` writes).
if command -v strace >/dev/null 2>&1; then
	# (LeakSanitizer cannot run under ptrace: off for this one build.)
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -o /dev/null -e trace=rename,renameat,renameat2 \
		-e inject=rename,renameat,renameat2:delay_enter=3000000:when=1 \
		"$bin" build -c site.conf --date 2026-11-25 >held.out 2>held.err &
	held=$!
	sleep 1
	"$bin" record -c site.conf --date 2026-11-21 >record2.out 2>&1 || fail "record while a build is held: $(cat record2.out)"
	wait "$held" || fail "the held build: $(cat held.err)"
	[ -e output/.yardstick-stamp ] && fail "a stamp though the history changed while the build rendered"
	run after-held && built after-held
elif [ -n "${CI:-}" ]; then
	fail "strace is missing (make test-tools installs it)"
fi

# A symbolic link loop in the content: the loader skips it with a warning;
# the inputs cannot be told apart, so the build is never stamped (and the
# walk does not go round the loop).
ln -s .. content/catalog/loop
run loop && built loop
[ -e output/.yardstick-stamp ] && fail "a stamp with a link loop in the content"
run loop-again && built loop-again
rm content/catalog/loop
run no-loop && built no-loop

# A damaged stamp is no stamp.
printf 'yardstick stamp 1\ninputs zz\n' >output/.yardstick-stamp
run damaged && built damaged
run damaged-again && early damaged-again

# Another yardstick binary (a copy is another file): built.
cp "$YARDSTICK" "$work/yardstick-copy"
bin=$work/yardstick-copy
run copy && built copy
bin=$YARDSTICK
run original && built original
# Another libcmark (a copy, through LD_LIBRARY_PATH): built.
lib=$(ldd "$YARDSTICK" | awk '/libcmark/ { print $3 }')
if [ -n "$lib" ] && [ -f "$lib" ]; then
	mkdir -p "$work/lib" && cp "$lib" "$work/lib/"
	LD_LIBRARY_PATH=$work/lib run other-lib && built other-lib
	run original-lib && built original-lib
else
	fail "cannot find the libcmark yardstick uses (ldd)"
fi

# A build that fails leaves the stamp gone or untouched, never wrong: a
# broken scorecard stops it (exit 1, nothing written); mended, the next
# build stops early only if the inputs are those of the stamp.
sc=$(ls content/scorecards/* | head -n 1)
cp "$sc" "$work/scorecard.keep"
printf 'rules: [\n' >>"$sc"
run broken
[ "$(cat broken.exit)" = 1 ] || fail "a broken scorecard: exit $(cat broken.exit)"
cp "$work/scorecard.keep" "$sc"
run mended && early mended

# The history as the stamped build left it is not checked for damage
# again (stamp.h); changed since by anything else, here damaged in place
# with its size, its first 100 bytes and its mtime kept (as `cp -p` over
# it or `rsync -t --inplace` would), it is: the build refuses it and
# writes nothing.
cp output/history.db "$work/history.keep"
touch -r output/history.db "$work/history.mtime"
python3 - output/history.db <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    data = f.read()
    f.seek(len(data) // 2)
    f.write(b"\xa5" * (len(data) - len(data) // 2))
PY
touch -r "$work/history.mtime" output/history.db
run damaged-history
[ "$(cat damaged-history.exit)" = 1 ] || fail "a damaged history: exit $(cat damaged-history.exit)"
grep -q 'damaged history (PRAGMA quick_check' damaged-history.err ||
	fail "a damaged history under a stamp was not checked: $(cat damaged-history.err)"
grep -q '^built: ' damaged-history.out && fail "a damaged history: pages written"
cp "$work/history.keep" output/history.db
run restored-history && built restored-history

# After all that, the tree is what a clean build of these inputs (and
# this history) gives.
rm -rf "$work/clean" && mkdir "$work/clean" && cp output/history.db "$work/clean/" &&
	"$YARDSTICK" build -c site.conf --date 2026-11-23 --output "$work/clean" >/dev/null 2>&1
same_tree "$work/clean" output "$work/tree.diff" ||
	{ fail "the tree differs from a clean build's"; head -20 "$work/tree.diff"; }

[ "$failed" -eq 0 ] && echo "build stamp: stops early when nothing changed, builds on every change"
[ "$failed" -eq 0 ]
