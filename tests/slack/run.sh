#!/bin/sh
# Slack digests against a fake Slack on 127.0.0.1 (server.py), no network:
# each scripted answer (ok, 429, 500 twice, 500 always, a hang, 400,
# channel_not_found) with the requests counted, the exit code, the message
# printed, no second post for the same date, the secret in no byte written
# or printed, every payload within Block Kit's limits and a hostile entity
# name escaped. Then golden dry-run payloads of the example site on two
# dates (tests/slack/expected/; UPDATE=1 rewrites them).
#
#   YARDSTICK=/path/to/yardstick SLACK_TOOL=/path/to/slack_tool sh tests/slack/run.sh
#
# YARDSTICK_SLACK_TEST_DELAY_MS and YARDSTICK_SLACK_TEST_TIMEOUT_MS shorten
# the pauses and the 30 s timeout for this test only (docs/slack.md).
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
: "${SLACK_TOOL:?set SLACK_TOOL to build/tests/slack_tool}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$root/tests/out/slack
passed=0
failed=0
secret=T0SECRET/B0SECRET/xyzzySECRETxyzzy
token=xoxb-0000-SECRET-TOKEN-plugh

fail() {
	echo "FAIL $*"
	failed=$((failed + 1))
}
ok() { passed=$((passed + 1)); }

rm -rf "$work" && mkdir -p "$work"
echo ok >"$work/scenario"
python3 "$here/server.py" "$work/scenario" "$work/port" "$work/requests.log" &
server=$!
trap 'kill $server 2>/dev/null' EXIT INT TERM
i=0
while [ ! -s "$work/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$work/port" ] || { echo "FAIL: the fake Slack did not start"; exit 1; }
base=http://127.0.0.1:$(cat "$work/port")

# A small site of the test's own, with a hostile entity name and two team
# channels; day two breaks a runbook (a new failure) and fixes one.
make_site() { # DIR RUNBOOK_OF_A(yes|no)
	dir=$1
	mkdir -p "$dir/content/catalog" "$dir/content/teams" "$dir/content/scorecards" \
		"$dir/content/campaigns"
	cat >"$dir/content/teams/teams.yaml" <<'T'
id: eng
name: Engineering
---
id: web
name: Web <!channel>
parent: eng
slack: "#team-web"
---
id: data
name: Data
parent: eng
slack: "#team-data"
T
	if [ "$2" = yes ]; then links='links: [{name: Runbook, type: runbook, url: "https://wiki.example/a"}]'
	else links='links: []'; fi
	cat >"$dir/content/catalog/entities.yaml" <<C
apiVersion: v3
kind: service
metadata:
  name: a
  displayName: "<!channel> <@U123|x> <https://evil.example|click> *a*"
  owner: web
  $links
spec: {tier: 1}
---
apiVersion: v3
kind: service
metadata: {name: b, owner: data}
spec: {tier: 2}
---
apiVersion: v3
kind: service
metadata:
  name: c
  owner: data
  links: [{name: Runbook, type: runbook, url: "https://wiki.example/c"}]
spec: {tier: 2}
C
	cat >"$dir/content/scorecards/prod.yaml" <<'S'
id: prod
name: Production & <!here>
rules:
  - id: runbook
    name: Runbook
    level: 1
    check: link:runbook
S
	cat >"$dir/content/campaigns/runbooks.md" <<'M'
---
key: runbooks
name: Runbooks for everyone
owner: eng
start: 2026-11-01
due: 2026-12-01
scope: kind:service
rules:
  - rule: prod/runbook
---
Runbooks.
M
}
site=$work/site
make_site "$site" yes
cat >"$site/site.conf" <<CONF
[site]
title = Slack test
base_url = https://scorecards.example/
templates = $root/templates
static = $root/static
[history]
restore_url =
CONF
cp "$site/site.conf" "$site/token.conf"
cat >>"$site/token.conf" <<CONF
[slack]
channel = #eng-scorecards
api_url = $base/api/
CONF

export YARDSTICK_SLACK_TEST_DELAY_MS=100 YARDSTICK_SLACK_TEST_TIMEOUT_MS=1000
export SLACK_WEBHOOK_URL=$base/services/$secret SLACK_BOT_TOKEN=$token
"$YARDSTICK" record -c "$site/site.conf" --date 2026-11-20 >/dev/null 2>&1 || fail "record"
cp "$site/output/history.db" "$work/day1.db"
make_site "$site" no
# A history with day one only: no digest posted yet.
reset() { cp "$work/day1.db" "$site/output/history.db"; }

n=0
# run NAME SCENARIO CONF EXPECT_EXIT EXPECT_REQUESTS EXPECT_TEXT [ARGS...]:
# a build of 2026-11-23 (a fresh output and history each time unless
# KEEP is set) against the scenario; the text must be in stdout + stderr.
run() {
	name=$1 scenario=$2 conf=$3 expect=$4 requests=$5 text=$6
	shift 6
	echo "$scenario" >"$work/scenario"
	: >"$work/requests.log"
	"$YARDSTICK" build -c "$site/$conf" --date 2026-11-23 --no-restore --slack "$@" \
		>"$work/$name.out" 2>"$work/$name.err"
	status=$?
	got=$(wc -l <"$work/requests.log")
	if [ $status -ne "$expect" ]; then
		fail "$name: exit $status, expected $expect: $(cat "$work/$name.err")"
	elif [ "$got" -ne "$requests" ]; then
		fail "$name: $got requests, expected $requests"
	elif ! grep -qF -- "$text" "$work/$name.out" "$work/$name.err"; then
		fail "$name: no '$text' in: $(cat "$work/$name.out" "$work/$name.err")"
	else
		ok
	fi
	# Every payload the fake Slack received within the limits.
	python3 -c 'import json,sys
for l in open(sys.argv[1]): print(json.dumps(json.loads(l)["body"]))' \
		"$work/requests.log" >"$work/$name.payloads"
	while IFS= read -r line; do
		n=$((n + 1))
		python3 -c 'import json,sys; sys.stdout.write(json.loads(sys.argv[1]))' \
			"$line" >"$work/payload-$n.json"
		"$SLACK_TOOL" check "$work/payload-$n.json" >/dev/null ||
			fail "$name: payload $n over the limits: $("$SLACK_TOOL" check "$work/payload-$n.json")"
	done <"$work/$name.payloads"
}

# Webhook (no [slack] channel): the organisation digest only.
run ok ok site.conf 0 1 "slack: posted the organisation digest"
run again ok site.conf 0 0 "went to the webhook in SLACK_WEBHOOK_URL (http://127.0.0.1:$(cat "$work/port")/services/T…/***) already"
run resend ok site.conf 0 1 "slack: posted the organisation digest" --slack-resend
reset
run ratelimit ratelimit site.conf 0 2 "(2 requests)"
reset
run flaky flaky site.conf 0 3 "(3 requests)"
reset
run down down site.conf 4 3 "not posted to the webhook in SLACK_WEBHOOK_URL (http://127.0.0.1:$(cat "$work/port")/services/T…/***): Slack answered HTTP 500 (3 attempts)"
run hang hang site.conf 4 3 "no answer within 1000 ms (3 attempts)"
run invalid invalid site.conf 4 1 "Slack answered invalid_payload (HTTP 400)"
run invalid-again ok site.conf 0 1 "slack: posted the organisation digest"
# Bot token: the organisation's channel and both teams'.
run token ok token.conf 0 3 "slack: posted the digest of team web to #team-web"
run token-again ok token.conf 0 0 "the digest of team web of 2026-11-23 went to #team-web already"
reset
run not-found not_found token.conf 4 3 "Slack answered channel_not_found (HTTP 200)"
grep -q "Bearer $token" "$work/requests.log" && ok || fail "token: no Authorization header"

# No secret: exit 4, the variable named.
( unset SLACK_WEBHOOK_URL
  "$YARDSTICK" build -c "$site/site.conf" --date 2026-11-23 --slack >"$work/unset.out" 2>"$work/unset.err"
  echo $? >"$work/unset.status" )
[ "$(cat "$work/unset.status")" = 4 ] && grep -q "SLACK_WEBHOOK_URL is not set" "$work/unset.err" && ok ||
	fail "unset: $(cat "$work/unset.status") $(cat "$work/unset.err")"
# Not https: refused before any request, the URL redacted.
: >"$work/requests.log"
SLACK_WEBHOOK_URL=http://hooks.example.com/services/$secret "$YARDSTICK" build -c "$site/site.conf" \
	--date 2026-11-23 --slack >"$work/http.out" 2>"$work/http.err"
[ $? = 4 ] && grep -qF "SLACK_WEBHOOK_URL is not an https:// URL (http://hooks.example.com/services/T…/***)" "$work/http.err" &&
	[ ! -s "$work/requests.log" ] && ok || fail "http: $(cat "$work/http.err")"

# Dry run of the hostile site (nothing posted yet: since day one)
reset
"$YARDSTICK" build -c "$site/token.conf" --date 2026-11-23 --slack-dry-run "$work/dry" \
	>"$work/dry.out" 2>"$work/dry.err" || fail "dry run: $(cat "$work/dry.err")"
[ "$(grep -c '^slack: dry run: ' "$work/dry.out")" = 3 ] && ok || fail "dry run: $(cat "$work/dry.out")"
for f in "$work"/dry/*.json; do
	"$SLACK_TOOL" check "$f" >/dev/null && ok || fail "dry run $f: $("$SLACK_TOOL" check "$f")"
done
if grep -q '<!channel>\|<!here>\|<@U123\|<https://evil' "$work"/dry/*.json "$work"/payload-*.json; then
	fail "a mention or a link from content reached a payload"
elif ! grep -q '&lt;!channel&gt;' "$work/dry/org.json"; then
	fail "the hostile name is not in the organisation digest, escaped"
else
	ok
fi
grep -q 'new failures' "$work/dry/team-web.json" && grep -q '1 new failures' "$work/dry/org.json" && ok ||
	fail "dry run: the new failure of day two is missing"

# The secret in no byte written or printed.
if grep -rlaF -e "$secret" -e "$token" -e "xyzzySECRET" "$work"/*.out "$work"/*.err "$site/output" \
	"$work/dry" 2>/dev/null; then
	fail "the secret leaked into the files above"
else
	ok
fi

# Golden dry runs of the example site on two dates.
ex=$work/example
mkdir -p "$ex"
sed -e "s|^content = .*|content = $root/content|" -e "s|^templates = .*|templates = $root/templates|" \
	-e "s|^static = .*|static = $root/static|" -e "s|^output = .*|output = $ex/output|" \
	"$root/site.conf" >"$ex/site.conf"
printf '[slack]\nchannel = #eng-scorecards\n' >>"$ex/site.conf"
"$YARDSTICK" record -c "$ex/site.conf" --date 2026-11-09 >/dev/null 2>&1
"$YARDSTICK" record -c "$ex/site.conf" --date 2026-11-16 >/dev/null 2>&1
for date in 2026-11-16 2026-11-23; do
	"$YARDSTICK" build -c "$ex/site.conf" --date $date --slack-dry-run "$ex/$date" \
		>"$ex/$date.out" 2>/dev/null || fail "example $date: exit $?"
	for f in "$ex/$date"/*.json; do
		"$SLACK_TOOL" check "$f" >/dev/null || fail "example $f: $("$SLACK_TOOL" check "$f")"
	done
	if [ -n "${UPDATE:-}" ]; then
		rm -rf "$here/expected/$date" && mkdir -p "$here/expected" && cp -r "$ex/$date" "$here/expected/$date"
	fi
	diff -r "$here/expected/$date" "$ex/$date" >"$ex/$date.diff" && ok ||
		fail "example $date: payloads differ from tests/slack/expected/$date: $(head -20 "$ex/$date.diff")"
done

echo "slack tests: $passed passed, $failed failed"
[ $failed -eq 0 ]
