#!/bin/sh
# History tests through real files and a real HTTP server on 127.0.0.1:
# history_restore against success, 404, an HTML page, the size cap (with and
# without a Content-Length), a timeout, a damaged file, a file:// URL and an
# existing target; then `yardstick history` on a small history.
#
#   YARDSTICK=/path/to/yardstick HISTORY_TOOL=/path/to/history_tool sh tests/history/run.sh
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
: "${HISTORY_TOOL:?set HISTORY_TOOL to build/tests/history_tool}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$root/tests/out/history
passed=0
failed=0

fail() {
	echo "FAIL $*"
	failed=$((failed + 1))
}

rm -rf "$work" && mkdir -p "$work/srv" "$work/dst" "$work/site"
"$HISTORY_TOOL" make "$work/srv/history.db" || { echo "FAIL make"; exit 1; }
cp "$work/srv/history.db" "$work/site/history.db"
# A damaged copy: the second half of the file overwritten.
python3 - "$work/srv/history.db" "$work/srv/damaged.db" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
half = len(data) // 2
data[half:] = b"\xa5" * (len(data) - half)
open(sys.argv[2], "wb").write(bytes(data))
PY
size=$(wc -c <"$work/srv/history.db")

python3 "$here/server.py" "$work/srv" "$work/port" &
server=$!
trap 'kill $server 2>/dev/null' EXIT INT TERM
i=0
while [ ! -s "$work/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$work/port" ] || { echo "FAIL: the test server did not start"; exit 1; }
base=http://127.0.0.1:$(cat "$work/port")

# restore NAME URL MAX_BYTES TIMEOUT EXPECT: EXPECT is "ok" or a text the
# one-line error must contain; nothing but a restored history may be left.
restore() {
	name=$1 url=$2 max=$3 timeout=$4 expect=$5
	target=$work/dst/$name.db
	"$HISTORY_TOOL" restore "$url" "$target" "$max" "$timeout" >"$work/$name.log" 2>&1
	status=$?
	left=$(ls "$work/dst" | grep -v "^$name.db$")
	if [ -n "$left" ]; then
		fail "$name: files left behind: $left"
	elif [ "$expect" = ok ]; then
		if [ $status -ne 0 ]; then
			fail "$name: $(cat "$work/$name.log")"
		elif [ "$("$HISTORY_TOOL" days "$target" | tr '\n' ' ')" != "2026-11-20 2026-11-21 2026-11-22 " ]; then
			fail "$name: the restored history lost its dates"
		else
			passed=$((passed + 1))
		fi
	elif [ $status -eq 0 ] || [ -e "$target" ]; then
		fail "$name: restored, expected '$expect'"
	elif [ "$(wc -l <"$work/$name.log")" -ne 1 ] ||
	     ! grep -q "^$target: error: cannot restore the history from $url: .*$expect" "$work/$name.log"; then
		fail "$name: expected one line with '$expect', got: $(cat "$work/$name.log")"
	else
		passed=$((passed + 1))
	fi
	rm -f "$target"
}

restore http "$base/history.db" 10000000 10 ok
restore file "file://$work/srv/history.db" 10000000 10 ok
restore not-found "$base/missing.db" 10000000 10 "the server answered HTTP 404"
restore html "$base/html-page" 10000000 10 "not a yardstick history"
restore too-big "$base/history.db" $((size - 1)) 10 "larger than the limit of $((size - 1)) bytes"
restore too-big-stream "$base/stream" 100000 10 "larger than the limit of 100000 bytes"
restore file-too-big "file://$work/srv/history.db" 1000 10 "larger than the limit"
restore timeout "$base/slow" 10000000 1 "no complete answer within 1 s"
restore damaged "$base/damaged.db" 10000000 10 "damaged history (PRAGMA quick_check: "
restore refused-port "http://127.0.0.1:1/history.db" 10000000 10 "127.0.0.1"
restore bad-scheme "ftp://127.0.0.1/history.db" 10000000 10 "ftp"
cp "$work/srv/history.db" "$work/dst/exists.db"
"$HISTORY_TOOL" restore "$base/history.db" "$work/dst/exists.db" 10000000 10 >"$work/exists.log" 2>&1 &&
	fail "exists: an existing file was replaced" ||
	{ grep -q "the file exists" "$work/exists.log" && passed=$((passed + 1)) ||
	  fail "exists: $(cat "$work/exists.log")"; }
rm -f "$work/dst/exists.db"

# `yardstick history` on the small history.
cat >"$work/site/site.conf" <<'CONF'
[site]
title = History test

[history]
file = history.db
CONF
# command NAME EXPECTED_EXIT ARGS...: output in $work/NAME.out and .err
command() {
	name=$1 expect=$2
	shift 2
	"$YARDSTICK" history -c "$work/site/site.conf" "$@" >"$work/$name.out" 2>"$work/$name.err"
	status=$?
	if [ $status -ne "$expect" ]; then
		fail "history $name: exit $status, expected $expect: $(cat "$work/$name.err")"
		return 1
	fi
}
check_out() { # NAME EXPECTED_TEXT
	if [ "$(cat "$work/$1.out")" = "$2" ]; then
		passed=$((passed + 1))
	else
		fail "history $1: got"; cat "$work/$1.out"
	fi
}
header="date,scorecard,rule,team,campaign,application,tier,lifecycle,kind,level,pass,fail,no_data,skip,exempt,entities,score"
command csv 0 && check_out csv "$header
2026-11-20,,,,,,,,,,2,2,0,0,0,2,0.5
2026-11-21,,,,,,,,,,3,2,0,0,0,2,0.75
2026-11-22,,,,,,,,,,4,2,0,0,0,2,1"
command json 0 --format json --since 2026-11-21 --until 2026-11-21 && check_out json '[
{"date":"2026-11-21","scorecard":"","rule":"","team":"","campaign":"","application":"","tier":"","lifecycle":"","kind":"","level":"","pass":3,"fail":2,"no_data":0,"skip":0,"exempt":0,"entities":2,"score":0.75}
]'
command team 0 --team nobody && check_out team "$header"
command usage 2 --since yesterday && passed=$((passed + 1))
command format 2 --format xml && passed=$((passed + 1))
mv "$work/site/history.db" "$work/site/moved.db"
command missing 1 && grep -q "history.db: error: cannot open the history" "$work/missing.err" &&
	passed=$((passed + 1)) || fail "history missing: $(cat "$work/missing.err")"
cp "$work/srv/damaged.db" "$work/site/history.db"
command damaged 1 && grep -q "history.db: error:" "$work/damaged.err" &&
	passed=$((passed + 1)) || fail "history damaged: $(cat "$work/damaged.err")"

echo "history tests: $passed passed, $failed failed"
[ $failed -eq 0 ]
