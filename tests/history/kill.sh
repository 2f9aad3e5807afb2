#!/bin/sh
# A recording killed with SIGKILL at any moment loses no recorded day and
# leaves a whole history: a 5,000-entity site is recorded date after date,
# each `yardstick record` killed after a different delay. After every kill
# PRAGMA integrity_check must say "ok" and the number of recorded dates must
# be the one before (killed before its commit) or one more (committed); the
# next recording must succeed and `yardstick history` must read them all.
#
#   YARDSTICK=/path/to/yardstick sh tests/history/kill.sh
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$root/tests/out/history-kill
rm -rf "$work" && mkdir -p "$work"
sh "$root/tests/bench/gen-site.sh" "$work/site" 5000 >/dev/null || { echo "FAIL kill: gen-site"; exit 1; }
cd "$work/site" || exit 3
db=output/history.db

check_db() { # check_db: prints the number of recorded dates, or fails
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

"$YARDSTICK" record -c site.conf --date 2026-10-01 >/dev/null 2>&1 || { echo "FAIL kill: the first record"; exit 1; }
days=1
killed=0
day=1
for delay in 0.05 0.1 0.15 0.2 0.25 0.3 0.4 0.5 0.6 0.8; do
	day=$((day + 1))
	date=$(printf '2026-10-%02d' "$day")
	"$YARDSTICK" record -c site.conf --date "$date" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
	wait "$pid" 2>/dev/null
	now=$(check_db) || { echo "FAIL kill: after a kill at $delay s: $now"; exit 1; }
	if [ "$now" != "$days" ] && [ "$now" != "$((days + 1))" ]; then
		echo "FAIL kill: $now recorded dates after a kill at $delay s, expected $days or $((days + 1))"
		exit 1
	fi
	days=$now
done
day=$((day + 1))
"$YARDSTICK" record -c site.conf --date "$(printf '2026-10-%02d' "$day")" >/dev/null 2>&1 ||
	{ echo "FAIL kill: recording after the kills"; exit 1; }
days=$((days + 1))
now=$(check_db) || { echo "FAIL kill: $now"; exit 1; }
[ "$now" = "$days" ] || { echo "FAIL kill: $now recorded dates, expected $days"; exit 1; }
listed=$("$YARDSTICK" history -c site.conf --format csv | cut -d, -f1 | sort -u | grep -c '^2026-')
[ "$listed" = "$days" ] || { echo "FAIL kill: yardstick history lists $listed dates, expected $days"; exit 1; }
[ ! -e "$db-journal" ] || { echo "FAIL kill: a journal is left beside the history"; exit 1; }
echo "history kill: $killed recordings killed mid-way, $days dates kept, integrity_check ok"
