#!/bin/sh
# Faults around the history, on a generated 3,000-entity site:
# - two recordings at once on one history both succeed, one after the other
#   (SQLite's lock and the busy timeout), and both dates are kept;
# - a full disk (the file size limit, `ulimit -f`, with SIGXFSZ ignored so
#   writes fail with EFBIG as on a full disk) fails the recording with a
#   message naming the file and exit 3, and loses no recorded date; the next
#   recording with room succeeds.
#
#   YARDSTICK=/path/to/yardstick sh tests/history/faults.sh
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$root/tests/out/history-faults
rm -rf "$work" && mkdir -p "$work"
sh "$root/tests/bench/gen-site.sh" "$work/site" 3000 >/dev/null || { echo "FAIL faults: gen-site"; exit 1; }
cd "$work/site" || exit 3
db=output/history.db
failed=0
fail() { echo "FAIL faults: $*"; failed=$((failed + 1)); }

check_db() { # prints the number of recorded dates, or why the file is bad
	python3 - "$db" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
ok = con.execute("PRAGMA integrity_check").fetchone()[0]
if ok != "ok":
    print("integrity_check: " + ok)
    sys.exit(1)
print(con.execute("SELECT count(*) FROM run").fetchone()[0])
PY
}

"$YARDSTICK" record -c site.conf --date 2026-10-01 >/dev/null 2>&1 || fail "the first record"

# Two at once.
"$YARDSTICK" record -c site.conf --date 2026-10-02 >a.log 2>&1 &
a=$!
"$YARDSTICK" record -c site.conf --date 2026-10-03 >b.log 2>&1 &
b=$!
wait "$a"; sa=$?
wait "$b"; sb=$?
[ "$sa" -eq 0 ] && [ "$sb" -eq 0 ] || { fail "two recordings at once: exit $sa and $sb"; cat a.log b.log; }
days=$(check_db) || fail "after two recordings at once: $days"
[ "$days" = 3 ] || fail "two recordings at once left $days dates, expected 3"

# A full disk: no file may grow past its size now (in 512-byte blocks).
size=$(wc -c <"$db")
blocks=$(( (size + 511) / 512 ))
status=0
(trap '' XFSZ; ulimit -f "$blocks"; exec "$YARDSTICK" record -c site.conf --date 2026-10-04) >full.log 2>&1 || status=$?
[ "$status" -eq 3 ] || { fail "a full disk: exit $status, expected 3"; cat full.log; }
grep -q "output/history.db: error: .*not recorded" full.log || { fail "a full disk: no message naming the file"; cat full.log; }
now=$(check_db) || fail "after a full disk: $now"
[ "$now" = 3 ] || fail "a full disk left $now dates, expected 3"
"$YARDSTICK" record -c site.conf --date 2026-10-04 >/dev/null 2>&1 || fail "recording with room again"
now=$(check_db) || fail "after recording again: $now"
[ "$now" = 4 ] || fail "$now dates after recording again, expected 4"

[ "$failed" -eq 0 ] && echo "history faults: two recordings at once both kept, a full disk lost nothing"
[ "$failed" -eq 0 ]
