#!/bin/sh
# Catalog and outcome files are read and parsed on `--jobs` threads; what a
# build prints and exits with, and what it writes, must not depend on how
# many. A generated 500-entity site (10 catalog files, 6 outcome files) is
# given problems in several catalog files (a YAML syntax error, a missing
# name, an unknown tier, a duplicate entity across files, a misplaced
# owner, a Backstage Group) and in outcome files (unknown entities), and
# built with --jobs 1 and --jobs 4: same stdout, stderr, exit code and
# tree. Then an error in an outcome file, which stops the build: the same
# again, nothing written.
#
#   YARDSTICK=/path/to/yardstick sh tests/build/load-jobs.sh
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
work=$root/tests/out/build-load-jobs
rm -rf "$work" && mkdir -p "$work"
sh "$root/tests/bench/gen-site.sh" "$work/site" 500 >/dev/null ||
	{ echo "FAIL load-jobs: gen-site"; exit 1; }
cat=$work/site/content/catalog
out=$work/site/content/outcomes
# A syntax error: the file loses its entities.
printf -- '---\napiVersion: v3\nkind: service\nmetadata: {name: broken\n' >>"$cat/file-3.yaml"
# An entity without a name, an unknown tier, a misplaced owner.
cat >>"$cat/file-5.yaml" <<'EOF'
---
apiVersion: v3
kind: service
metadata:
  displayName: Nameless
---
apiVersion: v3
kind: service
metadata:
  name: odd-tier
spec:
  tier: sometimes
  owner: team-1
EOF
# The same entity in two files, and a Group among the services.
cat >>"$cat/file-8.yaml" <<'EOF'
---
apiVersion: v3
kind: service
metadata:
  name: svc-1
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: extra-team
spec:
  type: team
EOF
# Outcomes naming entities that do not exist: warnings.
sed -i 's/"service:svc-7"/"service:svc-none"/; s/"service:svc-150"/"service:gone"/' \
	"$out/sc1-r4.json" "$out/sc2-r8.json"
cd "$work/site" || exit 3
build() { # build NAME JOBS: stdout, stderr and exit code into NAME.*
	"$YARDSTICK" build -c site.conf --no-restore --output "$work/$1" \
		--jobs "$2" --date 2026-11-23 >"$work/$1.out" 2>"$work/$1.err"
	echo $? >"$work/$1.rc"
}
# stdout names the output folder and the time taken: not compared.
same_run() { # same_run A B
	for f in err rc; do
		cmp -s "$work/$1.$f" "$work/$2.$f" || return 1
	done
	for r in "$1" "$2"; do
		sed "s|$work/$r/|DIR/|; s/ in [0-9.]* s$//" "$work/$r.out" >"$work/$r.out.cmp"
	done
	cmp -s "$work/$1.out.cmp" "$work/$2.out.cmp"
}
failed=0
build j1 1
build j4 4
[ "$(cat "$work/j1.rc")" = 0 ] ||
	{ echo "FAIL load-jobs: the build with catalog problems failed"; cat "$work/j1.err"; failed=1; }
for want in 'file-3.yaml:[0-9:]* error: ' 'file-5.yaml:.*missing metadata.name' \
	    "tier 'sometimes'" "duplicate entity 'service:svc-1'" \
	    "unknown entity 'service:svc-none'" "unknown entity 'service:gone'"; do
	grep -q "$want" "$work/j1.err" ||
		{ echo "FAIL load-jobs: no problem like \"$want\""; failed=1; }
done
same_run j1 j4 ||
	{ echo "FAIL load-jobs: --jobs 1 and --jobs 4 printed different things"; \
	  diff "$work/j1.err" "$work/j4.err" | head -20; failed=1; }
same_tree "$work/j1" "$work/j4" "$work/tree.diff" ||
	{ echo "FAIL load-jobs: --jobs 1 and --jobs 4 wrote different trees"; head -20 "$work/tree.diff"; failed=1; }
problems=$(grep -c ': \(error\|warning\): ' "$work/j1.err")

# An error in an outcome file stops the build: the same message and exit.
sed -i 's/"state": "pass", "remarks": "checked"}/"state": "maybe", "remarks": "checked"}/' \
	"$out/sc3-r8.json"
build e1 1
build e4 4
[ "$(cat "$work/e1.rc")" = 1 ] ||
	{ echo "FAIL load-jobs: an outcome error did not stop the build (exit $(cat "$work/e1.rc"))"; failed=1; }
same_run e1 e4 ||
	{ echo "FAIL load-jobs: with an outcome error, --jobs 1 and --jobs 4 differ"; \
	  diff "$work/e1.err" "$work/e4.err" | head -20; failed=1; }
[ ! -e "$work/e1" ] && [ ! -e "$work/e4" ] ||
	{ echo "FAIL load-jobs: a stopped build wrote its folder"; failed=1; }
[ "$failed" -eq 0 ] &&
	echo "build load-jobs: --jobs 1 and --jobs 4 load alike ($problems problems, then an outcome error)"
[ "$failed" -eq 0 ]
