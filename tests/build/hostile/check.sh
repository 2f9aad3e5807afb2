#!/bin/sh
# The hostile site, page by page: nothing from content may become markup,
# a script, a link with a dangerous scheme or a file outside output/.
set -u
problems=0
bad() { echo "hostile: $*"; problems=$((problems + 1)); }

[ -d output ] || { echo "hostile: no output folder"; exit 1; }

# Nothing was written outside output/ (the work folder holds only what the
# runner copied, the logs and output/).
stray=$(find .. -maxdepth 1 -newer site.conf ! -name "$(basename "$PWD")" ! -name .. | head -5)
[ -z "$stray" ] || bad "files appeared next to the case: $stray"
[ ! -e /tmp/evil ] || bad "/tmp/evil exists"

# File names are slugs: no dot-dot, nothing but [a-z0-9_.-/], no links.
# A badge is <entity slug>.<scorecard slug>.svg, so a part after a dot may
# be a slug too.
find output -type l | while read -r f; do echo "hostile: symlink $f"; done | grep . && problems=$((problems + 1))
names=$(cd output && find . -type f ! -name .yardstick-files | sed 's|^\./||' |
	grep -v '^[a-z0-9_/-]*\(\.[a-z0-9_-]*\)*$' | grep -v '^static/')
[ -z "$names" ] || bad "file names that are not slugs: $names"
find output -path '*..*' | grep . && bad "a path with '..'"
# No segment is a name Windows reserves (con, nul, aux, prn, com1, lpt1,
# ...), with or without an extension; such names get a '_' instead.
reserved=$(cd output && find . | sed 's|^\./||' | tr '/' '\n' | sed 's/\..*//' |
	grep -ix 'con\|prn\|aux\|nul\|com[0-9]\|lpt[0-9]' | sort -u)
[ -z "$reserved" ] || bad "Windows reserved names: $reserved"
for f in entities/service/con_.html entities/service/nul-txt.html \
	 entities/aux_/com1_.html; do
	[ -f "output/$f" ] || bad "missing page $f"
done

# The pages a name like "index" must not overwrite, and the distinct pages
# names that slug alike must get.
for f in teams/index.html teams/index-2.html teams/a-b.html \
	 scorecards/index.html scorecards/index-2.html \
	 rules/index-2/a-b.html rules/index-2/index.html \
	 campaigns/index.html campaigns/index-2.html \
	 entities/service/etc-passwd.html entities/service/etc-passwd-2.html \
	 entities/service/2e-2e-2e-2e-x.html entities/script/index.html \
	 pages/index.html problems.html; do
	[ -f "output/$f" ] || bad "missing page $f"
done
grep -q '<h1[^>]*>Teams</h1>' output/teams/index.html || bad "teams/index.html is not the team list"
grep -q '<h1[^>]*>Scorecards</h1>' output/scorecards/index.html || bad "scorecards/index.html is not the scorecard list"

for f in $(find output -name '*.html' -o -name '*.svg' | sort); do
	# The only scripts are the theme's own file.
	grep -o '<script[^>]*>' "$f" | grep -v 'src="\(\.\./\)*static/yardstick\.js"' |
		sed "s|^|hostile: $f: script tag: |" | grep . && problems=$((problems + 1))
	# No tag carries content's script: with the quoted attribute values
	# taken out (text there is escaped and inert), no tag may still hold
	# "alert" or an on* event handler.
	sed 's/="[^"]*"/=""/g' "$f" | grep -o '<[^>]*alert[^>]*>' |
		sed "s|^|hostile: $f: tag with alert: |" | grep . && problems=$((problems + 1))
	sed 's/="[^"]*"/=""/g' "$f" | grep -oi '<[a-z][^>]* on[a-z]*=[^>]*>' |
		sed "s|^|hostile: $f: event handler: |" | grep . && problems=$((problems + 1))
	# Links and sources: http, https, mailto or relative; nothing else.
	grep -oi '\(href\|src\|action\|formaction\)="[^"]*"' "$f" |
		grep -i '="[a-z][a-z0-9+.-]*:' | grep -vi '="\(https\?\|mailto\):' |
		sed "s|^|hostile: $f: link scheme: |" | grep . && problems=$((problems + 1))
	# Raw HTML from Markdown and names never survives as markup.
	grep -o '<\(iframe\|img src=x\|b>team\|i>production\|div onclick\)' "$f" |
		sed "s|^|hostile: $f: raw markup: |" | grep . && problems=$((problems + 1))
done

# Every hostile string reached its page, escaped (so it was not dropped
# silently either).
check_text() { # FILE TEXT: the escaped TEXT is on the page
	grep -qF "$2" "output/$1" || bad "$1 does not show $2"
}
check_text entities/service/etc-passwd.html "&lt;script&gt;alert(&#39;display&#39;)&lt;/script&gt;"
check_text entities/service/etc-passwd.html "&lt;img src=x onerror=alert(&#39;desc&#39;)&gt;"
check_text entities/service/etc-passwd.html "&lt;script&gt;alert(&#39;remarks&#39;)&lt;/script&gt;"
check_text teams/a-b.html "&lt;script&gt;alert(&#39;team&#39;)&lt;/script&gt;"
check_text scorecards/index-2.html "&lt;script&gt;alert(&#39;scorecard&#39;)&lt;/script&gt;"
check_text campaigns/index-2.html "&lt;script&gt;alert(&#39;campaign&#39;)&lt;/script&gt;"
check_text problems.html "broken.yaml"
check_text rules/index-2/a-b.html "&lt;script&gt;alert(&#39;exemption&#39;)&lt;/script&gt;"
# The ticket link carries the text URL-encoded, never raw.
grep -o 'href="https://tickets.example/[^"]*"' output/campaigns/index-2.html | grep -q '%3Cscript%3E' ||
	bad "campaign page has no URL-encoded ticket link"
echo "hostile: $problems problems"
[ "$problems" -eq 0 ]
