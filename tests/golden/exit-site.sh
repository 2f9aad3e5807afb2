#!/bin/sh
# The small sites of the exit-* golden cases, which check the one exit-code
# policy (README.md, "Exit codes") in check, query, eval and build. A case's
# setup.sh runs `sh ../../../golden/exit-site.sh PROBLEM` in its work folder
# (tests/out/golden/<case>/), and this writes site.conf and content/ there:
#
#   catalog-error   a catalog file without metadata.name (an error in the catalog)
#   warning         a rule owned by a team that does not exist (a warning)
#   outside-error   a scorecard whose owner is a list (an error outside the catalog)
set -eu
problem=${1:?usage: exit-site.sh catalog-error|warning|outside-error}
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
    level: 1
    check: owner:*
YAML
