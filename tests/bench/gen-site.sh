#!/bin/sh
# Generate a synthetic yardstick site for benchmarks.
#
#   sh tests/bench/gen-site.sh DIR ENTITIES [TEAMS]
#
# DIR gets site.conf and content/: ENTITIES Datadog v3 services (50 per
# file) across TEAMS teams (default ENTITIES/50, at least 8) in a tree,
# 3 scorecards of 10 rules each (8 checks, 2 external), outcomes for every
# external rule and entity, 20 campaigns and a few exemptions.
set -eu
dir=$1
n=$2
teams=${3:-$((n / 50 > 8 ? n / 50 : 8))}
rm -rf "$dir"
mkdir -p "$dir/content/catalog" "$dir/content/teams" "$dir/content/scorecards" \
	"$dir/content/campaigns" "$dir/content/outcomes" "$dir/content/exemptions"
root=$(cd "$(dirname "$0")/../.." && pwd)
cat >"$dir/site.conf" <<CONF
[site]
title = Synthetic $n
templates = $root/templates
static = $root/static
[evaluation]
no_data = skip
outcome_max_age_days = 30
CONF
awk -v n="$n" -v teams="$teams" -v dir="$dir" '
function team(i) { return "team-" i }
BEGIN {
	srand(42)
	for (t = 0; t < teams; t++) {
		f = dir "/content/teams/" team(t) ".yaml"
		printf "id: %s\nname: Team %d\n", team(t), t > f
		if (t > 0) printf "parent: %s\n", team(int((t - 1) / 4)) > f
		printf "slack: \"#%s\"\n", team(t) > f
		close(f)
	}
	split("go python java ruby typescript rust", langs, " ")
	split("production production production experimental deprecated", lcs, " ")
	for (i = 0; i < n; i++) {
		if (i % 50 == 0) {
			if (f) close(f)
			f = dir "/content/catalog/file-" int(i / 50) ".yaml"
		}
		t = i % teams
		printf "---\napiVersion: v3\nkind: service\nmetadata:\n  name: svc-%d\n", i > f
		printf "  displayName: Service %d\n  owner: %s\n", i, team(t) > f
		printf "  tags: [\"env:prod\", \"region:eu\"]\n" > f
		printf "  links:\n" > f
		if (rand() < 0.8) printf "    - {name: Repo, type: repo, url: \"https://git.example/svc-%d\"}\n", i > f
		if (rand() < 0.6) printf "    - {name: Runbook, type: runbook, url: \"https://wiki.example/svc-%d\"}\n", i > f
		if (rand() < 0.5) printf "    - {name: Dashboard, type: dashboard, url: \"https://dd.example/svc-%d\"}\n", i > f
		printf "    - {name: Docs, type: doc, url: \"https://docs.example/svc-%d\"}\n", i > f
		if (rand() < 0.7) printf "  contacts:\n    - {name: Team, type: slack, contact: \"https://slack.example/%s\"}\n", team(t) > f
		printf "spec:\n  tier: %d\n  lifecycle: %s\n  type: web\n", 1 + int(rand() * 3), lcs[1 + int(rand() * 5)] > f
		printf "  languages: [%s]\n", langs[1 + int(rand() * 6)] > f
		if (i > 0) printf "  dependsOn: [\"service:svc-%d\"]\n", int(rand() * i) > f
		if (rand() < 0.7) printf "integrations:\n  pagerduty: {serviceURL: \"https://pd.example/svc-%d\"}\n", i > f
	}
	close(f)
	split("owner:* link:repo link:runbook link:dashboard contact:* integration:pagerduty language:* tier:<=2 env:prod link:doc", checks, " ")
	for (s = 1; s <= 3; s++) {
		f = dir "/content/scorecards/sc" s ".yaml"
		printf "id: sc%d\nname: Scorecard %d\nscope: kind:service AND -lifecycle:deprecated\nrules:\n", s, s > f
		for (r = 1; r <= 10; r++) {
			printf "  - id: r%d\n    name: Rule %d.%d\n    level: %d\n", r, s, r, 1 + int((r - 1) / 4) > f
			if (r % 4 == 0)
				printf "    outcome: external\n" > f
			else
				printf "    check: %s\n", checks[1 + (r + s) % 10] > f
			if (r == 3) printf "    scope: tier:<=2\n" > f
			printf "    description: Rule %d of scorecard %d.\n    docs: https://wiki.example/sc%d/r%d\n", r, s, s, r > f
			if (r % 4 == 0) {
				# One outcomes file per external rule, as one
				# job per check would write them.
				out = dir "/content/outcomes/sc" s "-r" r ".json"
				printf "{\"data\": {\"type\": \"batched-outcome\", \"attributes\": {\"observed_at\": \"2026-11-20T00:00:00Z\", \"results\": [\n" > out
				for (i = 0; i < n; i++)
					printf "%s{\"rule_id\": \"sc%d/r%d\", \"entity_reference\": \"service:svc-%d\", \"state\": \"%s\", \"remarks\": \"checked\"}", i ? ",\n" : "", s, r, i, rand() < 0.7 ? "pass" : "fail" > out
				printf "\n]}}}\n" > out
				close(out)
			}
		}
		close(f)
	}
	for (c = 0; c < 20; c++) {
		f = dir "/content/campaigns/campaign-" c ".md"
		printf "---\nkey: campaign-%d\nname: Campaign %d\nowner: %s\nstart: 2026-0%d-01\n", c, c, team(c % teams), 1 + c % 9 > f
		if (c % 3) printf "due: 2027-0%d-15\n", 1 + c % 9 > f
		printf "scope: tier:<=%d\nrules:\n  - rule: sc%d/r%d\n    guidance: Fix it.\n  - rule: sc%d/r%d\n---\nCampaign %d.\n", 1 + c % 3, 1 + c % 3, 1 + c % 10, 1 + (c + 1) % 3, 1 + (c + 3) % 10, c > f
		close(f)
	}
	f = dir "/content/exemptions/waivers.yaml"
	for (i = 0; i < n && i < 100; i += 7)
		printf "- entity: service:svc-%d\n  rule: sc1/r2\n  reason: waived\n  expires: 2027-06-30\n", i > f
	close(f)
}'
