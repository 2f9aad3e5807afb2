#!/bin/sh
# The small sites of the exit-* golden cases, which check the one exit-code
# policy (README.md, "Exit codes") in check, query, eval and build. A case's
# setup.sh runs `sh ../../../golden/exit-site.sh PROBLEM` in its work folder
# (tests/out/golden/<case>/), and this writes site.conf and content/ there:
#
#   catalog-error   a catalog file without metadata.name (an error in the catalog)
#   warning         a rule owned by a team that does not exist (a warning)
#   outside-error   a scorecard whose owner is a list (an error outside the catalog)
#
# and, for `build`, one error in each content folder outside the catalog,
# each of which must stop it with nothing written (issue 13, item 4):
#
#   scorecard-level  a rule at level 7 of a scorecard with 3 levels
#   team-error       a team file whose id is a list
#   campaign-error   a campaign without front matter
#   outcome-error    an outcome file that is not JSON
#   exemption-error  an exemption without an expiry
#   page-error       a page named BAD_NAME.md without front matter
set -eu
problem=${1:?usage: exit-site.sh catalog-error|warning|outside-error|...}
mkdir -p content/catalog content/teams content/scorecards
# The default theme of the repository (tests/out/golden/<case>/ is four deep).
cat >site.conf <<'CONF'
[site]
title = Exit codes
templates = ../../../../templates
static = ../../../../static
CONF
cat >content/teams/teams.yaml <<'YAML'
id: web
name: Web
YAML
cat >content/catalog/services.yaml <<'YAML'
apiVersion: v3
kind: service
metadata:
  name: shop
  owner: web
YAML
rule_owner=web
scorecard_owner=web
rule_level=1
[ "$problem" = scorecard-level ] && rule_level=7
case $problem in
catalog-error)
	cat >content/catalog/broken.yaml <<'YAML'
apiVersion: v3
kind: service
metadata:
  owner: web
YAML
	;;
warning) rule_owner=nobody ;;
outside-error) scorecard_owner='[web, sre]' ;;
scorecard-level) ;;
team-error) printf 'id: [a, b]\nname: Broken\n' >content/teams/broken.yaml ;;
campaign-error)
	mkdir -p content/campaigns
	printf 'A campaign without its front matter.\n' >content/campaigns/broken.md ;;
outcome-error)
	mkdir -p content/outcomes
	printf '{"data": [\n' >content/outcomes/broken.json ;;
exemption-error)
	mkdir -p content/exemptions
	printf 'entity: service:shop\nrule: basics/owned\nreason: later\n' >content/exemptions/broken.yaml ;;
page-error)
	mkdir -p content/pages
	printf '# A page without front matter\n' >content/pages/BAD_NAME.md ;;
*) echo "exit-site.sh: unknown problem '$problem'" >&2; exit 2 ;;
esac
cat >content/scorecards/basics.yaml <<YAML
id: basics
name: Basics
owner: $scorecard_owner
rules:
  - id: owned
    name: Owner defined
    owner: $rule_owner
    level: $rule_level
    check: owner:*
YAML
