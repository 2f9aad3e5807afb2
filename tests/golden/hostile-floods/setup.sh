# Issue 13 items 1-3 at a size that blew memory or time before the fix
# (the case runs under a 1 GiB address-space limit, `memory-limit`):
# 5,000 results for unknown entities on one JSON line (each problem copied
# its whole 354 KB line: 1.7 GB), a 1 MB tag aliased 1,000 times (copied per
# alias: 2 GB), and a rule with a 2,003-character wildcard pattern.
set -e
mkdir -p content/catalog content/teams content/scorecards content/outcomes
printf 'id: eng\nname: Engineering\n' >content/teams/eng.yaml
printf 'apiVersion: v3\nkind: service\nmetadata: {name: a, owner: eng}\n' >content/catalog/a.yaml
awk 'BEGIN {
	printf "{\"data\": {\"type\": \"batched-outcome\", \"attributes\": {\"results\": ["
	for (i = 0; i < 5000; i++)
		printf "%s{\"rule_id\": \"ci/green\", \"entity_reference\": \"service:gone-%d\", \"state\": \"pass\"}", (i ? "," : ""), i
	printf "]}}}\n"
}' >content/outcomes/flood.json
awk 'BEGIN {
	printf "apiVersion: v3\nkind: service\nmetadata:\n  name: tagged\n  owner: eng\n  tags:\n    - &big "
	for (i = 0; i < 1048576; i++)
		printf "t"
	printf "\n"
	for (i = 0; i < 1000; i++)
		printf "    - *big\n"
}' >content/catalog/tagged.yaml
printf 'id: ci\nname: CI\nrules:\n  - id: green\n    name: Green\n    level: 1\n    outcome: external\n' >content/scorecards/ci.yaml
awk 'BEGIN {
	printf "id: long\nname: Long\nrules:\n  - id: long\n    name: Long\n    level: 1\n    check: \"description:*"
	for (i = 0; i < 2000; i++)
		printf "a"
	printf "b*\"\n"
}' >content/scorecards/long.yaml
