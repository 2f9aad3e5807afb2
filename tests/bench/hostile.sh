#!/bin/sh
# Scaling of yardstick on hostile input (issue 13 items 1-3): each case at
# 1x, 10x and 100x its base size, timed with /usr/bin/time (wall seconds and
# peak resident memory). Not part of `make test`: it asserts nothing.
#
#   sh tests/bench/hostile.sh [YARDSTICK] [SCALES]
#
# YARDSTICK defaults to ./yardstick, SCALES to "1 10 100". Every run is cut
# at 60 s and 4 GiB of address space ("timeout" / "killed" in the table).
# The cases:
#
#   outcomes-1line   N results for unknown entities in one JSON line (as
#                    machine-written JSON is), N = 200 x scale (`check`)
#   outcomes-lines   the same, one result a line, N = 400 x scale (`check`)
#   alias-tags       one string of 1,000 x scale bytes aliased 10,000 times
#                    in `tags` (`check`)
#   wildcard         a string of 5,000 x scale characters aliased 20 times
#                    into a list, and a rule `extra.list:*aaa...ab*` with a
#                    1,000-character pattern (`eval`)
set -u
bin=${1:-./yardstick}
scales=${2:-1 10 100}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
work=${TMPDIR:-/tmp}/yardstick-hostile.$$
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT INT TERM

# site DIR: an empty site with one team and a scorecard of one external rule.
site()
{
	mkdir -p "$1/content/catalog" "$1/content/teams" "$1/content/scorecards" \
		"$1/content/outcomes"
	printf '[site]\ntitle = Hostile\n' >"$1/site.conf"
	printf 'id: eng\nname: Engineering\n' >"$1/content/teams/eng.yaml"
	cat >"$1/content/catalog/a.yaml" <<'YAML'
apiVersion: v3
kind: service
metadata: {name: a, owner: eng}
YAML
	cat >"$1/content/scorecards/ci.yaml" <<'YAML'
id: ci
name: CI
rules:
  - id: green
    name: Green
    level: 1
    outcome: external
YAML
}

# outcomes DIR N SEPARATOR: N results naming entities that do not exist.
outcomes()
{
	awk -v n="$2" -v sep="$3" 'BEGIN {
		printf "{\"data\": {\"type\": \"batched-outcome\", \"attributes\": {\"results\": [%s", sep
		for (i = 0; i < n; i++)
			printf "%s{\"rule_id\": \"ci/green\", \"entity_reference\": \"service:gone-%d\", \"state\": \"pass\"}", (i ? "," sep : ""), i
		printf "%s]}}}\n", sep
	}' >"$1/content/outcomes/ci.json"
}

# alias_tags DIR BYTES COUNT: one tag of BYTES bytes, aliased COUNT times.
alias_tags()
{
	awk -v bytes="$2" -v n="$3" 'BEGIN {
		printf "apiVersion: v3\nkind: service\nmetadata:\n  name: tagged\n  owner: eng\n  tags:\n    - &big "
		for (i = 0; i < bytes; i++)
			printf "t"
		printf "\n"
		for (i = 1; i < n; i++)
			printf "    - *big\n"
	}' >"$1/content/catalog/tagged.yaml"
}

# wildcard DIR CHARS COUNT PATTERN: a string of CHARS a's aliased COUNT
# times into extra.list, and a rule whose check is *a{PATTERN-1}b*.
wildcard()
{
	awk -v chars="$2" -v n="$3" 'BEGIN {
		printf "apiVersion: v3\nkind: service\nmetadata: {name: listed, owner: eng}\nextra:\n  list:\n    - &long "
		for (i = 0; i < chars; i++)
			printf "a"
		printf "\n"
		for (i = 1; i < n; i++)
			printf "    - *long\n"
	}' >"$1/content/catalog/listed.yaml"
	awk -v m="$4" 'BEGIN {
		printf "id: lists\nname: Lists\nrules:\n  - id: b\n    name: B\n    level: 1\n    check: \"extra.list:*"
		for (i = 1; i < m; i++)
			printf "a"
		printf "b*\"\n"
	}' >"$1/content/scorecards/lists.yaml"
}

# run DIR COMMAND: "seconds peak-MiB" of one run, or why it stopped.
run()
{
	(
		cd "$1" || exit
		ulimit -v 4194304
		/usr/bin/time -o time.txt -f '%e %M' timeout 60 "$bin" $2 \
			-c site.conf --date 2026-11-23 >out.txt 2>&1
		echo $? >rc.txt
	)
	rc=$(cat "$1/rc.txt")
	if [ "$rc" = 124 ]; then
		echo "timeout -"
	elif [ "$rc" -gt 3 ]; then
		echo "killed($rc) $(awk 'END { printf "%.0f", $2 / 1024 }' "$1/time.txt")"
	else
		awk 'END { printf "%s %.0f\n", $1, $2 / 1024 }' "$1/time.txt"
	fi
}

printf '%-16s %6s %10s %10s %9s\n' case scale size seconds peak-MiB
for scale in $scales; do
	for c in outcomes-1line outcomes-lines alias-tags wildcard; do
		dir=$work/$c-$scale
		[ -n "${KEEP:-}" ] || rm -rf "$dir"
		site "$dir"
		cmd=check
		case $c in
		outcomes-1line) outcomes "$dir" $((200 * scale)) "" ;;
		outcomes-lines) outcomes "$dir" $((400 * scale)) "
" ;;
		alias-tags) alias_tags "$dir" $((1000 * scale)) 10000 ;;
		wildcard) wildcard "$dir" $((5000 * scale)) 20 1000; cmd=eval ;;
		esac
		size=$(du -sk "$dir/content" | awk '{ print $1 "K" }')
		set -- $(run "$dir" $cmd)
		printf '%-16s %6s %10s %10s %9s\n' "$c" "${scale}x" "$size" "$1" "$2"
		[ -n "${KEEP:-}" ] || rm -rf "$dir"
	done
done
