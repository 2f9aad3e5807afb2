# Issue 13 item 3: a 1,000,000-character string aliased 15 times into a list
# (15 MB to match, under the 16 MiB alias budget) and a rule with three
# 1,000-character patterns that fail at the last character of every start.
# Matching tried every start (1.5e10 steps a pattern, about 40 s here, over
# the 20 s the golden run allows); now each value is one pass.
set -e
mkdir -p content/catalog content/teams content/scorecards
printf 'id: eng\nname: Engineering\n' >content/teams/eng.yaml
awk 'BEGIN {
	printf "apiVersion: v3\nkind: service\nmetadata: {name: listed, owner: eng}\nextra:\n  list:\n    - &long "
	for (i = 0; i < 1000000; i++)
		printf "a"
	printf "\n"
	for (i = 1; i < 15; i++)
		printf "    - *long\n"
	printf "    - xaaab\n"
	printf "---\napiVersion: v3\nkind: service\nmetadata: {name: other, owner: eng}\nextra:\n  list: [a, ab, x"
	for (i = 1; i < 1000; i++)
		printf "a"
	printf "bc]\n"
}' >content/catalog/listed.yaml
awk 'BEGIN {
	printf "id: lists\nname: Lists\nrules:\n  - id: b\n    name: B\n    level: 1\n    check: \""
	for (t = 0; t < 3; t++) {
		printf "%sextra.list:*", t ? " OR " : ""
		for (i = 1; i < 1000; i++)
			printf "a"
		printf "%s*", substr("dcb", t + 1, 1)
	}
	printf "\"\n"
	printf "  - id: short\n    name: Short\n    level: 1\n    check: \"extra.list:x*a*b\"\n"
}' >content/scorecards/lists.yaml
