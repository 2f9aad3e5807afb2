#!/bin/sh
# The installed yardstick, away from the source tree (make install-test):
#
#   1. install: `make install DESTDIR=tests/out/install/root`, exactly the
#      expected files; then, from an empty folder outside the source tree,
#      the installed binary runs init, a catalog is copied in, build: a
#      complete site with the built-in theme, byte-identical to a build
#      whose site.conf names the source tree's templates/ and static/;
#   2. override: a site with one partial and one static file of its own
#      gets them, and every other file equals the built-in theme's output;
#      a broken override is reported at its file, line and column;
#   3. man page: lint-clean, and it names every command, every option
#      of every command's --help, every exit code;
#   4. package: `make deb`, dpkg-deb --info/--contents checked, the packaged
#      binary extracted with dpkg-deb -x and run on the same site;
#   5. CI recipes (docs/ci/): the YAML parses (libyaml, through yaml_tool),
#      names what docs/ci.md promises, and their build steps, run as
#      written with the installed binary, publish on exit 0 and 4 and stop
#      on content errors;
#   6. uninstall removes exactly what install wrote.
#
#   YARDSTICK=... YAML_TOOL=... MAKE=make MAKE_VARS='WERROR=1' sh tests/install/run.sh
set -u
: "${YARDSTICK:?set YARDSTICK to the binary under test}"
: "${YAML_TOOL:?set YAML_TOOL to build/tests/yaml_tool}"
MAKE=${MAKE:-make}
MAKE_VARS=${MAKE_VARS:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/build/lib.sh" # same_tree
out=$root/tests/out/install
rm -rf "$out"
mkdir -p "$out"
# The sites live outside the source tree, in a folder of their own.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/yardstick-install.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
failed=0
fail() { echo "FAIL install: $*"; failed=$((failed + 1)); }
version=$(cat "$root/VERSION")
date=2026-11-23

# ---- 1. make install, then the installed binary from an empty folder
dest=$out/root
# shellcheck disable=SC2086 # MAKE_VARS is a list of assignments
(cd "$root" && $MAKE --no-print-directory $MAKE_VARS install PREFIX=/usr/local DESTDIR="$dest") \
	>"$out/make-install.txt" 2>&1 || fail "make install: $(tail -5 "$out/make-install.txt")"
(cd "$dest" && find . -type f | sort) >"$out/installed.txt"
{
	echo ./usr/local/bin/yardstick
	for f in "$root"/docs/ci/*; do echo "./usr/local/share/doc/yardstick/ci/${f##*/}"; done
	for f in "$root"/README.md "$root"/docs/*.md; do echo "./usr/local/share/doc/yardstick/${f##*/}"; done
	echo ./usr/local/share/man/man1/yardstick.1
} | sort >"$out/expected-installed.txt"
diff "$out/expected-installed.txt" "$out/installed.txt" >"$out/installed.diff" ||
	fail "make install wrote other files: $(cat "$out/installed.diff")"
bin=$dest/usr/local/bin/yardstick
[ -x "$bin" ] || { echo "FAIL install: no installed binary"; exit 1; }
"$bin" --version >"$out/version.txt" 2>&1 || fail "yardstick --version exited $?"
[ "$(head -n 1 "$out/version.txt")" = "yardstick $version" ] || fail "--version: $(head -n 1 "$out/version.txt")"
for lib in libyaml cmark libcurl SQLite jansson; do
	grep -q "^$lib [0-9]" "$out/version.txt" || fail "--version has no $lib version: $(cat "$out/version.txt")"
done

site=$scratch/site
(cd "$scratch" && "$bin" init site) >"$out/init.txt" 2>&1 || fail "installed init: $(cat "$out/init.txt")"
[ -e "$site/templates" ] || [ -e "$site/static" ] && fail "init wrote theme files"
cp "$root/tests/init/catalog/"* "$site/content/catalog/"
(cd "$site" && "$bin" build --date $date) >"$out/build.txt" 2>&1 ||
	fail "installed build: $(cat "$out/build.txt")"
grep -q "error\|warning" "$out/build.txt" && fail "installed build reports problems: $(cat "$out/build.txt")"
(cd "$site/output" && find . -type f ! -name '.*' | sort) >"$out/site-files.txt"
for f in index.html changes.html problems.html scorecards/index.html \
	scorecards/production-readiness.html rules/production-readiness/on-call.html \
	entities/index.html entities/service/checkout-api.html \
	entities/component/web-shop.html teams/index.html teams/payments.html \
	campaigns/index.html data/results.json history.db; do
	grep -qx "./$f" "$out/site-files.txt" || fail "the installed build did not write $f"
done
# Every file of the source tree's static/ is in the output, as it is.
for f in $(cd "$root/static" && find . -type f ! -name '.*'); do
	cmp -s "$root/static/$f" "$site/output/static/$f" || fail "static/$f is not the source tree's"
done

# The same site with site.conf naming the source tree's theme folders.
cp -R "$site" "$scratch/site-src"
rm -rf "$scratch/site-src/output"
sed -i "s|^\\[site\\]\$|[site]\\ntemplates = $root/templates\\nstatic = $root/static|" "$scratch/site-src/site.conf"
grep -q "^templates = $root/templates" "$scratch/site-src/site.conf" || fail "could not point site.conf at the source theme"
(cd "$scratch/site-src" && "$bin" build --date $date) >"$out/build-src.txt" 2>&1 ||
	fail "build with the source tree's theme: $(cat "$out/build-src.txt")"
# history.db is compared by its rows (SQLite may differ in header bytes);
# same_tree compares the manifests without their mtimes.
same_tree "$site/output" "$scratch/site-src/output" "$out/builtin-vs-source.diff" ||
	fail "the built-in theme's site differs from the source theme's: $(head -20 "$out/builtin-vs-source.diff")"

# ---- 2. overrides: one partial and one static file of the site's own
ovr=$scratch/site-override
cp -R "$site" "$ovr"
rm -rf "$ovr/output"
"$bin" theme export "$scratch/theme" >/dev/null 2>&1 || fail "theme export"
mkdir -p "$ovr/templates" "$ovr/static"
{ printf '<!--site override-->'; cat "$scratch/theme/templates/team-link.mustache"; } >"$ovr/templates/team-link.mustache"
printf '/* the site style */\n' >"$ovr/static/style.css"
printf 'extra\n' >"$ovr/static/extra.txt"
(cd "$ovr" && "$bin" build --date $date) >"$out/build-override.txt" 2>&1 ||
	fail "build with an override: $(cat "$out/build-override.txt")"
changed=0
for f in $(cat "$out/site-files.txt"); do
	case $f in ./history.db | ./static/style.css) continue ;; esac
	if cmp -s "$site/output/$f" "$ovr/output/$f"; then
		grep -q "site override" "$ovr/output/$f" && fail "$f has the override but equals the built-in output?"
	else
		changed=$((changed + 1))
		grep -q "<!--site override-->" "$ovr/output/$f" ||
			fail "$f differs from the built-in theme's output without the override"
	fi
done
[ "$changed" -gt 0 ] || fail "the overridden partial team-link is on no page"
grep -q "^/\\* the site style \\*/\$" "$ovr/output/static/style.css" || fail "static/style.css is not the site's"
[ -f "$ovr/output/static/extra.txt" ] || fail "the site's static/extra.txt is not in the output"
cmp -s "$site/output/static/icon.svg" "$ovr/output/static/icon.svg" || fail "static/icon.svg is not the built-in one"
(cd "$ovr/output" && find . -type f ! -name '.*' | sort) >"$out/override-files.txt"
{ cat "$out/site-files.txt"; echo ./static/extra.txt; } | sort | diff - "$out/override-files.txt" >"$out/override-files.diff" ||
	fail "the override build wrote other files: $(cat "$out/override-files.diff")"
# A broken override: reported at its place, nothing written.
printf '{{#open}}\n' >"$ovr/templates/team-link.mustache"
(cd "$ovr" && "$bin" build --date $date) >"$out/build-broken.txt" 2>&1
status=$?
[ "$status" -eq 1 ] || fail "a broken override exited $status, not 1"
grep -q "^templates/team-link.mustache:[0-9]*:[0-9]*: error: " "$out/build-broken.txt" ||
	fail "a broken override is not reported at its file: $(cat "$out/build-broken.txt")"
# A templates folder site.conf names but that does not exist is an error.
printf '[site]\ntemplates = no-such-theme\n' >"$ovr/typo.conf"
(cd "$ovr" && "$bin" build -c typo.conf --date $date) >"$out/build-typo.txt" 2>&1
[ $? -eq 1 ] && grep -q "no-such-theme" "$out/build-typo.txt" ||
	fail "a missing templates folder: $(cat "$out/build-typo.txt")"

# ---- 3. the man page
man1=$dest/usr/local/share/man/man1/yardstick.1
if command -v mandoc >/dev/null 2>&1; then
	mandoc -T lint -W warning "$man1" >"$out/mandoc.txt" 2>&1 || fail "mandoc -T lint: $(cat "$out/mandoc.txt")"
elif command -v man >/dev/null 2>&1; then
	man --warnings -l "$man1" 2>"$out/man-warnings.txt" >/dev/null
	[ -s "$out/man-warnings.txt" ] && fail "man --warnings: $(cat "$out/man-warnings.txt")"
else
	echo "install: neither mandoc nor man is installed; the man page is not linted"
fi
# Plain text of the page (roff escapes of '-' removed) to look names up in.
sed 's/\\-/-/g; s/\\f[BIRP]//g; s/\\(em/--/g' "$man1" >"$out/man.txt"
commands=$("$bin" --help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p')
[ -n "$commands" ] || fail "no commands in yardstick --help"
for c in $commands; do
	grep -q "^\\.SS $c\\b\|^\\.SS \"$c\\b" "$man1" || fail "the man page has no section for '$c'"
	"$bin" "$c" --help | grep -o -- '--[a-z][a-z-]*' | sort -u | while read -r opt; do
		grep -q -- "$opt" "$out/man.txt" || echo "$c $opt"
	done
done >"$out/man-missing.txt"
[ -s "$out/man-missing.txt" ] && fail "options missing from the man page: $(tr '\n' ' ' <"$out/man-missing.txt")"
for code in 0 1 2 3 4; do
	awk '/^\.SH EXIT STATUS/ { on = 1; next } /^\.SH/ { on = 0 } on' "$man1" | grep -qx "\\.B $code" ||
		fail "the man page's EXIT STATUS has no $code"
done
grep -q "^\\.TH YARDSTICK 1 .* \"yardstick $version\"" "$man1" || fail "the man page's .TH is not for version $version"
grep -q '^\.SH FILES' "$man1" || fail "the man page has no FILES section"

# ---- 4. the Debian package
if command -v dpkg-deb >/dev/null 2>&1; then
	arch=$(dpkg --print-architecture)
	deb=$out/yardstick_${version}_$arch.deb
	# shellcheck disable=SC2086
	(cd "$root" && $MAKE --no-print-directory $MAKE_VARS deb DEB_DIR="$out") >"$out/make-deb.txt" 2>&1 ||
		fail "make deb: $(tail -5 "$out/make-deb.txt")"
	dpkg-deb --info "$deb" >"$out/deb-info.txt" 2>&1 || fail "dpkg-deb --info: $(cat "$out/deb-info.txt")"
	for field in "Package: yardstick" "Version: $version" "Architecture: $arch"; do
		grep -q "^ $field\$" "$out/deb-info.txt" || fail "the package's control has no '$field'"
	done
	depends=$(sed -n 's/^ Depends: //p' "$out/deb-info.txt")
	for lib in libyaml libcmark libcurl libsqlite3 libjansson libinih libc6; do
		case $depends in *"$lib"*) ;; *) fail "Depends has no $lib: $depends" ;; esac
	done
	dpkg-deb --contents "$deb" | awk '{ print $NF }' | sort >"$out/deb-contents.txt"
	for f in ./usr/bin/yardstick ./usr/share/man/man1/yardstick.1.gz \
		./usr/share/doc/yardstick/copyright ./usr/share/doc/yardstick/README.md \
		./usr/share/doc/yardstick/ci.md ./usr/share/doc/yardstick/ci/github-pages.yml; do
		grep -qx "$f" "$out/deb-contents.txt" || fail "the package has no $f"
	done
	grep -v '/$' "$out/deb-contents.txt" | grep -v '^\./usr/\(bin\|share/man\|share/doc\)/' >"$out/deb-stray.txt"
	[ -s "$out/deb-stray.txt" ] && fail "the package holds files outside bin, man and doc: $(cat "$out/deb-stray.txt")"
	dpkg-deb --contents "$deb" | awk '$2 != "root/root" { print }' >"$out/deb-owners.txt"
	[ -s "$out/deb-owners.txt" ] && fail "files not owned by root: $(head -3 "$out/deb-owners.txt")"
	rm -rf "$scratch/deb" && dpkg-deb -x "$deb" "$scratch/deb" || fail "dpkg-deb -x"
	gzip -dc "$scratch/deb/usr/share/man/man1/yardstick.1.gz" | cmp -s - "$root/docs/yardstick.1" ||
		fail "the packaged man page is not docs/yardstick.1"
	"$scratch/deb/usr/bin/yardstick" --version >"$out/deb-version.txt" 2>&1 || fail "the packaged binary does not run"
	[ "$(head -n 1 "$out/deb-version.txt")" = "yardstick $version" ] || fail "packaged --version: $(head -n 1 "$out/deb-version.txt")"
	cp -R "$site" "$scratch/site-deb" && rm -rf "$scratch/site-deb/output"
	(cd "$scratch/site-deb" && "$scratch/deb/usr/bin/yardstick" build --date $date) >"$out/build-deb.txt" 2>&1 ||
		fail "the packaged binary's build: $(cat "$out/build-deb.txt")"
	same_tree "$site/output" "$scratch/site-deb/output" "$out/deb-site.diff" ||
		fail "the packaged binary builds another site: $(head -5 "$out/deb-site.diff")"
else
	echo "install: dpkg-deb is missing (not Debian?); the package test is skipped"
fi

# ---- 5. the CI recipes
gh=$root/docs/ci/github-pages.yml
gl=$root/docs/ci/gitlab-ci.yml
for f in "$gh" "$gl"; do
	"$YAML_TOOL" paths "$f" >"$out/${f##*/}.paths" 2>"$out/${f##*/}.err" ||
		fail "${f##*/} is not YAML: $(cat "$out/${f##*/}.err")"
done
has() { grep -qx -- "$2" "$out/$1.paths" || fail "$1 has no '$2'"; }
has github-pages.yml 'on.schedule.0.cron=17 3 \* \* \*'
has github-pages.yml 'jobs.build.steps.3.uses=actions/upload-pages-artifact@v3'
has github-pages.yml 'jobs.build.steps.3.with.path=output'
has github-pages.yml 'jobs.deploy.steps.0.uses=actions/deploy-pages@v4'
has github-pages.yml 'jobs.build.steps.2.env.SLACK_WEBHOOK_URL=${{ secrets.SLACK_WEBHOOK_URL }}'
has gitlab-ci.yml 'pages.artifacts.paths.0=public'
has gitlab-ci.yml 'pages.rules.0.if=$CI_PIPELINE_SOURCE == "schedule"'
has gitlab-ci.yml 'slack.allow_failure.exit_codes.0=4'
# The install steps install the file `make deb` names.
for f in "$gh" "$gl"; do
	grep -q "apt-get install -y -q /tmp/yardstick.deb" "$f" || fail "${f##*/} does not install the package"
done
# docs/ci.md quotes each recipe whole: the fenced block after the
# heading's first mention of the file is the file.
for f in "$root"/docs/ci/*; do
	awk -v name="docs/ci/${f##*/}" '
		index($0, "`" name "`") == 1 { want = 1; next }
		want && /^```[a-z]+$/ { on = 1; want = 0; next }
		on && /^```$/ { exit }
		on { print }' "$root/docs/ci.md" >"$scratch/quoted"
	cmp -s "$scratch/quoted" "$f" || fail "docs/ci.md does not quote docs/ci/${f##*/} as it is"
done

# The build steps, as written, with the installed binary on PATH, on the
# site of part 1 (no Slack webhook is set: exit 4, and the site is built).
bindir=$(dirname "$bin")
run_step() { # FILE PATH SITE -> exit status; stdout+stderr in $out/step.txt
	"$YAML_TOOL" get "$1" "$2" >"$scratch/step.sh" || return 99
	(cd "$3" && env -u SLACK_WEBHOOK_URL -u SLACK_BOT_TOKEN PATH="$bindir:$PATH" \
		GITHUB_OUTPUT="$scratch/github-output" sh -e "$scratch/step.sh") >"$out/step.txt" 2>&1
}
for recipe in "$gh jobs.build.steps.2.run output" "$gl pages.script.4 public"; do
	set -- $recipe
	name=${1##*/}
	cp -R "$site" "$scratch/ci" && rm -rf "$scratch/ci/output"
	: >"$scratch/github-output"
	run_step "$1" "$2" "$scratch/ci"
	status=$?
	[ "$status" -eq 0 ] || fail "$name's build step exited $status when Slack failed: $(cat "$out/step.txt")"
	[ -f "$scratch/ci/$3/index.html" ] && [ -f "$scratch/ci/$3/static/style.css" ] ||
		fail "$name's build step did not build the site into $3/"
	grep -q "SLACK_WEBHOOK_URL is not set" "$out/step.txt" || fail "$name: Slack did not fail as expected: $(cat "$out/step.txt")"
	case $name in
	github-pages.yml) grep -qx "slack_status=4" "$scratch/github-output" || fail "$name: slack_status: $(cat "$scratch/github-output")" ;;
	gitlab-ci.yml) [ "$(cat "$scratch/ci/slack-status")" = 4 ] || fail "$name: slack-status is not 4" ;;
	esac
	# A content error: the step fails with the build's exit code.
	echo "broken: [" >"$scratch/ci/content/scorecards/broken.yaml"
	run_step "$1" "$2" "$scratch/ci"
	status=$?
	[ "$status" -eq 1 ] || fail "$name's build step exited $status on a content error, not 1"
	rm -rf "$scratch/ci"
done
sh -n "$root/docs/ci/nightly.sh" || fail "docs/ci/nightly.sh is not valid sh"
if command -v rsync >/dev/null 2>&1 && command -v git >/dev/null 2>&1; then
	up=$scratch/upstream
	cp -R "$site" "$up" && rm -rf "$up/output"
	git -C "$up" init -q && git -C "$up" add -A &&
		git -C "$up" -c user.name=t -c user.email=t@t.invalid commit -qm site || fail "git upstream"
	git clone -q "$up" "$scratch/checkout" || fail "git clone"
	mkdir -p "$scratch/www"
	env -u SLACK_WEBHOOK_URL -u SLACK_BOT_TOKEN PATH="$bindir:$PATH" SITE_DIR="$scratch/checkout" \
		DEST="$scratch/www/" sh "$root/docs/ci/nightly.sh" >"$out/nightly.txt" 2>&1
	status=$?
	[ "$status" -eq 4 ] || fail "nightly.sh exited $status with Slack failing, not 4: $(cat "$out/nightly.txt")"
	[ -f "$scratch/www/index.html" ] || fail "nightly.sh did not publish the site"
	ls -A "$scratch/www" | grep -q '^\.' && fail "nightly.sh published hidden files"
else
	[ -n "${CI:-}" ] && fail "rsync or git is missing (make install-test-tools installs them)"
	echo "install: rsync or git is missing; docs/ci/nightly.sh is only syntax-checked"
fi

# ---- 6. uninstall (last: the steps above run the installed binary): exactly what install wrote
mkdir -p "$dest/usr/local/share/doc/other"
echo keep >"$dest/usr/local/bin/other-tool"
echo keep >"$dest/usr/local/share/doc/other/README"
# shellcheck disable=SC2086
(cd "$root" && $MAKE --no-print-directory $MAKE_VARS uninstall PREFIX=/usr/local DESTDIR="$dest") \
	>"$out/make-uninstall.txt" 2>&1 || fail "make uninstall: $(tail -5 "$out/make-uninstall.txt")"
left=$(cd "$dest" && find . -type f | sort | tr '\n' ' ')
[ "$left" = "./usr/local/bin/other-tool ./usr/local/share/doc/other/README " ] ||
	fail "after uninstall: $left"
[ -e "$dest/usr/local/share/doc/yardstick" ] && fail "uninstall left share/doc/yardstick"

if [ "$failed" -eq 0 ]; then
	echo "install: install, override, man page, uninstall, package and CI recipe tests passed"
else
	echo "install: $failed failed"
fi
[ "$failed" -eq 0 ]
