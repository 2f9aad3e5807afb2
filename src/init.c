/*
 * init: the starter site `yardstick init` writes.
 *
 * The scorecards are the three Datadog ships with its Software Catalog,
 * with its ten default rules, as its documentation lists them:
 *   https://docs.datadoghq.com/service_catalog/scorecards/scorecard_configuration/
 *   https://docs.datadoghq.com/service_catalog/scorecards/
 * Rules Datadog evaluates from the catalog entry become queries; rules it
 * evaluates from telemetry (SLOs, monitors, deployments, logs) become
 * `outcome: external` rules, fed by content/outcomes/ in Datadog's outcome
 * format (https://docs.datadoghq.com/api/latest/scorecards/).
 *
 * README files go where the loader does not read them: content.c loads
 * only .yaml and .yml files from catalog/, teams/, scorecards/ and exemptions/,
 * .json from outcomes/, and .md from campaigns/ and pages/. So those two
 * folders get README.txt, the others README.md.
 */
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "theme.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* site.conf                                                           */

static const char *const site_conf_head[] = {
	"; yardstick site configuration, written by `yardstick init`.\n"
	";\n"
	"; Every key is listed; a commented key (\"; key = value\") shows its\n"
	"; default. Remove the \"; \" to set it. Lines are `key = value`; `;` or `#`\n"
	"; start a comment line. Paths are relative to this file. The reference\n"
	"; is \"site.conf\" in yardstick's docs/content.md.\n"
	";\n"
	"; Next: copy your catalog files (Datadog entity.datadog.yaml or\n"
	"; service.datadog.yaml, Backstage catalog-info.yaml) into content/catalog/,\n"
	"; then run `yardstick check` and `yardstick build`.\n"
	"\n"
	"[site]\n"
	"; The site's name, on every page.\n"
	"title = Engineering scorecards\n"
	"\n"
	"; Where the site is published (http:// or https://). Also the place a\n"
	"; build fetches the published history.db from; see [history].\n"
	"; Default: empty (not published, no restore).\n"
	"; base_url = https://scorecards.example.com/\n"
	"\n"
	"; The IANA time zone that decides \"today\" (a name in /usr/share/zoneinfo).\n"
	"; timezone = UTC\n"
	"\n"
	"; The content folder: catalog, teams, scorecards, campaigns, outcomes,\n"
	"; exemptions and pages.\n"
	"; content = content\n"
	"\n",
	NULL,
};

static const char *const site_conf_tail[] = {
	"; The output folder `yardstick build` writes the site into. It must be a\n"
	"; folder of its own: a build removes the files an earlier build wrote.\n"
	"; output = output\n"
	"\n"
	"; Rows of a long list (entities, a rule's entities, ...) on one page of\n"
	"; the site; longer lists get more pages (1 to 5000).\n"
	"; page_rows = 500\n"
	"\n"
	"[evaluation]\n"
	"; What a rule with `outcome: external` and no result for an entity\n"
	"; counts as: skip (left out of scores) or fail.\n"
	"; no_data = skip\n"
	"\n"
	"; Outcomes older than this many days count as missing; 0 = never stale.\n"
	"; outcome_max_age_days = 0\n"
	"\n"
	"[campaigns]\n"
	"; The \"create ticket\" link on campaign pages: an http(s) URL in which\n"
	"; {title}, {body}, {team} and {campaign} are replaced. Default: no link.\n"
	"; ticket_url_template = https://github.com/ORG/REPO/issues/new?title={title}&body={body}\n"
	"\n"
	"[badges]\n"
	"; README badges under badges/ (one SVG per entity and scorecard) and their\n"
	"; snippets on entity pages; false: none.\n"
	"; enabled = true\n"
	"\n"
	"[exports]\n"
	"; The data/ exports, a comma-separated list: json (results.json), csv\n"
	"; (results.csv), junit (results.junit.xml), outcomes (Datadog's format,\n"
	"; outcomes.json); nothing for none.\n"
	"; formats = json, csv\n"
	"\n"
	"[history]\n"
	"; Every build and `yardstick record` adds the run to a SQLite history,\n"
	"; for the trend charts and \"what changed\". Default: history.db in the\n"
	"; output folder, so it is published with the site.\n"
	"; file = history.db\n"
	"\n"
	"; A CI machine starts without the history. When `file` does not exist, a\n"
	"; build first fetches it from restore_url (https://, http:// or file://).\n"
	"; Default: base_url + history.db when base_url is set, else nothing.\n"
	"; Set it to nothing (\"restore_url =\") to never fetch, or to where your\n"
	"; CI keeps the file, e.g. file:///var/cache/scorecards/history.db.\n"
	"; restore_url =\n"
	"\n"
	"; Recorded days more than this many days before the newest are pruned\n"
	"; (1 to 36500).\n"
	"; keep_days = 400\n"
	"\n"
	"[slack]\n"
	"; `yardstick build --slack` posts digests. The secrets stay in the\n"
	"; environment; these name the variables that hold them.\n"
	"; The incoming webhook's URL (used when `channel` is not set):\n"
	"; webhook_env = SLACK_WEBHOOK_URL\n"
	"; The bot token (used when `channel` is set):\n"
	"; token_env = SLACK_BOT_TOKEN\n"
	"\n"
	"; The organisation digest's channel (#name or id), posted with the bot\n"
	"; token; teams' digests go to the `slack:` channel of their team file.\n"
	"; Default: empty, the webhook and the organisation digest only.\n"
	"; channel = #eng-scorecards\n"
	"\n"
	"; Which digests to post: org, teams, or both.\n"
	"; digests = org, teams\n"
	"\n"
	"; daily, or weekday names (monday, thursday) on which --slack posts.\n"
	"; send_on = daily\n"
	"\n"
	"; Slack's Web API (tests point it at a local fake).\n"
	"; api_url = https://slack.com/api/\n",
	NULL,
};

static void add_chunks(struct buf *b, const char *const *chunks)
{
	for (size_t i = 0; chunks[i]; i++)
		buf_adds(b, chunks[i]);
}

void init_site_conf(struct buf *b)
{
	add_chunks(b, site_conf_head);
	buf_adds(b, "; The theme: the Mustache templates of the pages, and the files copied\n"
		    "; as they are into the output's static/ folder. yardstick has its\n"
		    "; theme built in; a file in these folders (when they exist) replaces\n"
		    "; the built-in file of the same name, so one partial can be changed\n"
		    "; without copying the rest. `yardstick theme export .` writes the\n"
		    "; built-in theme here to start from.\n"
		    "; templates = templates\n; static = static\n\n");
	add_chunks(b, site_conf_tail);
}

/* ------------------------------------------------------------------ */
/* Scorecards                                                          */

static const char *const production_readiness[] = {
	"# Datadog's out-of-the-box Production Readiness scorecard and its four\n"
	"# default rules, written by `yardstick init`. Source:\n"
	"# https://docs.datadoghq.com/service_catalog/scorecards/scorecard_configuration/\n"
	"# Datadog evaluates them for services, so the scope is kind:service, plus\n"
	"# Backstage Components of type service (Datadog's services in Backstage\n"
	"# terms). Datadog documents no level per default rule: the levels are\n"
	"# yardstick's.\n"
	"# Rules with `outcome: external` are decided by results in\n"
	"# content/outcomes/ (see the README there); until a job reports them they\n"
	"# have no data and are skipped (site.conf, [evaluation] no_data).\n"
	"id: production-readiness\n"
	"name: Production Readiness\n"
	"description: |\n"
	"  Can this service be trusted with production traffic? Someone is paged\n"
	"  when it breaks, monitors and SLOs say that it broke, and it is deployed\n"
	"  often enough that a fix can ship.\n"
	"scope: kind:service OR (kind:component AND type:service)\n"
	"rules:\n",
	"  - id: slos-defined\n"
	"    name: SLOs defined\n"
	"    level: 2\n"
	"    outcome: external\n"
	"    description: |\n"
	"      The service has at least one SLO: a target for its availability or\n"
	"      latency that its users can rely on. Telemetry, so the result comes\n"
	"      from content/outcomes/.\n"
	"    remediation: |\n"
	"      Define an SLO (availability or latency) tagged with the service, and\n"
	"      have the job that writes content/outcomes/ report it.\n"
	"    docs: https://docs.datadoghq.com/service_management/service_level_objectives/\n"
	"  - id: monitors-defined\n"
	"    name: Monitors defined\n"
	"    level: 1\n"
	"    outcome: external\n"
	"    description: |\n"
	"      At least one monitor watches the service, so problems are noticed\n"
	"      before users report them. Result from content/outcomes/.\n"
	"    remediation: |\n"
	"      Create monitors tagged with the service (errors, latency, saturation)\n"
	"      that notify the owning team.\n"
	"    docs: https://docs.datadoghq.com/monitors/\n",
	"  - id: on-call\n"
	"    name: On-call specified\n"
	"    level: 1\n"
	"    check: integration:pagerduty OR integration:opsgenie\n"
	"    description: |\n"
	"      The catalog entry names the PagerDuty or Opsgenie service that is\n"
	"      paged when the service breaks, so responders reach the right people.\n"
	"    remediation: |\n"
	"      - Datadog v3: `integrations: {pagerduty: {serviceURL: ...}}` or\n"
	"        `integrations: {opsgenie: {serviceURL: ...}}`.\n"
	"      - Datadog v2.x: `integrations: {pagerduty: {service-url: ...}}`.\n"
	"      - Backstage: the `pagerduty.com/service-id` annotation.\n"
	"    docs: https://docs.datadoghq.com/service_catalog/scorecards/scorecard_configuration/\n"
	"  - id: last-deployment\n"
	"    name: Last deployment within 3 months\n"
	"    level: 2\n"
	"    outcome: external\n"
	"    description: |\n"
	"      A deployment was recorded in the last 3 months. Services that are not\n"
	"      deployed age: dependencies fall behind and nobody remembers how to\n"
	"      release them. Result from content/outcomes/.\n"
	"    remediation: |\n"
	"      Deploy the service (a rebuild picks up base-image fixes) and make\n"
	"      sure the deployment is recorded.\n"
	"    docs: https://docs.datadoghq.com/tracing/services/deployment_tracking/\n",
	NULL,
};

static const char *const observability[] = {
	"# Datadog's out-of-the-box Observability Best Practices scorecard and its\n"
	"# two default rules, written by `yardstick init`. Source:\n"
	"# https://docs.datadoghq.com/service_catalog/scorecards/scorecard_configuration/\n"
	"# Both are measured from telemetry (APM, logs), so both are external\n"
	"# rules: a job reports them into content/outcomes/ (see the README there).\n"
	"# Scope: services, and Backstage Components of type service. The levels\n"
	"# are yardstick's; Datadog documents none per default rule.\n"
	"id: observability\n"
	"name: Observability Best Practices\n"
	"description: |\n"
	"  Traces, logs and deployments that line up, so whoever is on call can go\n"
	"  from an alert to the change that caused it.\n"
	"scope: kind:service OR (kind:component AND type:service)\n"
	"rules:\n"
	"  - id: deployment-tracking\n"
	"    name: Deployment tracking active\n"
	"    level: 1\n"
	"    outcome: external\n"
	"    description: |\n"
	"      Deployments are visible in APM through a `version` tag, so a release\n"
	"      can be compared with the one before. Result from content/outcomes/.\n"
	"    remediation: |\n"
	"      Set the version (`DD_VERSION`, unified service tagging) to the\n"
	"      release or commit in every deployment.\n"
	"    docs: https://docs.datadoghq.com/tracing/services/deployment_tracking/\n"
	"  - id: logs-correlation\n"
	"    name: Logs correlation active\n"
	"    level: 2\n"
	"    outcome: external\n"
	"    description: |\n"
	"      The service's logs carry trace ids, so a trace can be opened from a\n"
	"      log line and the other way round. Result from content/outcomes/.\n"
	"    remediation: |\n"
	"      Enable trace id injection in the logger (`DD_LOGS_INJECTION=true`\n"
	"      for Datadog's tracers).\n"
	"    docs: https://docs.datadoghq.com/tracing/other_telemetry/connect_logs_and_traces/\n",
	NULL,
};

static const char *const documentation_ownership[] = {
	"# Datadog's out-of-the-box Documentation & Ownership scorecard (its\n"
	"# configuration page calls it Ownership & Documentation) and its four\n"
	"# default rules, written by `yardstick init`. Source:\n"
	"# https://docs.datadoghq.com/service_catalog/scorecards/scorecard_configuration/\n"
	"# All four read the catalog entry, so they are queries (yardstick's\n"
	"# docs/queries.md). Scope: services, and Backstage Components of type\n"
	"# service. The levels are yardstick's; Datadog documents none.\n"
	"id: documentation-ownership\n"
	"name: Documentation & Ownership\n"
	"description: |\n"
	"  Every service has an owner who can be reached, code that can be found\n"
	"  and documentation that can be read.\n"
	"scope: kind:service OR (kind:component AND type:service)\n"
	"rules:\n"
	"  - id: team-defined\n"
	"    name: Team defined\n"
	"    level: 1\n"
	"    check: owner:*\n"
	"    description: The catalog entry names the team that owns the service.\n"
	"    remediation: |\n"
	"      Set `metadata.owner` (Datadog v3), `team` (v2.x) or `spec.owner`\n"
	"      (Backstage) to the owning team's id.\n"
	"  - id: contacts-defined\n"
	"    name: Contacts defined\n"
	"    level: 1\n"
	"    check: contact:*\n"
	"    description: |\n"
	"      The catalog entry says how to reach the team: a Slack channel, an\n"
	"      e-mail address or a Microsoft Teams channel.\n"
	"    remediation: |\n"
	"      Add `contacts` (Datadog v3: `metadata.contacts`) with `type: slack`,\n"
	"      `email` or `microsoft-teams`. Backstage descriptors have no\n"
	"      contacts: change this check, for example to an annotation of yours\n"
	"      (`metadata.annotations.slack-channel:*`).\n",
	"  - id: code-repos-defined\n"
	"    name: Code repos defined\n"
	"    level: 2\n"
	"    check: link:repo\n"
	"    description: The catalog entry links the service's source code.\n"
	"    remediation: |\n"
	"      Add a link of `type: repo` (Datadog v3 `metadata.links`, v2 `repos`,\n"
	"      Backstage `metadata.links` or a repository annotation).\n"
	"  - id: docs-defined\n"
	"    name: Docs defined\n"
	"    level: 2\n"
	"    check: link:doc\n"
	"    description: |\n"
	"      The catalog entry links documentation: a handbook, design notes or\n"
	"      an API guide.\n"
	"    remediation: |\n"
	"      Add a link of `type: doc` (Datadog v2: a `docs` entry; Backstage: a\n"
	"      `metadata.links` item of type doc).\n",
	NULL,
};

/* ------------------------------------------------------------------ */
/* READMEs of the content folders                                      */

static const char *const readme_content[] = {
	"# content/\n"
	"\n"
	"Everything this site knows. Each folder has a README saying what goes\n"
	"there; yardstick's `docs/content.md` is the reference for every format.\n"
	"Only `catalog/` is needed: the others may stay empty.\n"
	"\n"
	"| folder | files | what |\n"
	"| --- | --- | --- |\n"
	"| catalog/ | `**/*.yaml`, `**/*.yml` | entities: Datadog v3, v2-v2.2, Backstage |\n"
	"| teams/ | `*.yaml` | teams, their parents and Slack channels |\n"
	"| scorecards/ | `*.yaml` | scorecards, their levels and rules |\n"
	"| campaigns/ | `*.md` | campaigns: front matter and Markdown |\n"
	"| outcomes/ | `*.json` | results of external rules (Datadog's format) |\n"
	"| exemptions/ | `*.yaml` | waivers for one entity and one rule |\n"
	"| pages/ | `*.md` | free pages of the site |\n"
	"\n"
	"Files and folders whose name starts with `.` are skipped. The READMEs\n"
	"are never read as content: `README.md` where the folder loads no `.md`\n"
	"files, `README.txt` in `campaigns/` and `pages/`.\n",
	NULL,
};

static const char *const readme_catalog[] = {
	"# content/catalog/\n"
	"\n"
	"Your catalog files, as they are, in any folder layout (16 levels deep at\n"
	"most). Every `.yaml` or `.yml` file is read, and every document in it:\n"
	"\n"
	"- Datadog `entity.datadog.yaml` (schema v3: `apiVersion: v3`, `kind`,\n"
	"  `metadata`, `spec`, `integrations`),\n"
	"- Datadog `service.datadog.yaml` (`schema-version: v2` to `v2.2`),\n"
	"- Backstage `catalog-info.yaml` (`apiVersion: backstage.io/v1alpha1`;\n"
	"  Groups are teams).\n"
	"\n"
	"```yaml\n"
	"apiVersion: v3\n"
	"kind: service\n"
	"metadata:\n"
	"  name: checkout-api\n"
	"  owner: payments\n"
	"  links:\n"
	"    - {name: Source, type: repo, url: https://github.com/example/checkout}\n"
	"  contacts:\n"
	"    - {name: Chat, type: slack, contact: https://example.slack.com/archives/C123}\n"
	"integrations:\n"
	"  pagerduty: {serviceURL: https://example.pagerduty.com/service-directory/P123}\n"
	"```\n"
	"\n"
	"A broken file loses only its own entities; `yardstick check` names the\n"
	"place of every problem. How each format is normalised: \"Entities\" in\n"
	"yardstick's `docs/content.md`.\n",
	NULL,
};

static const char *const readme_teams[] = {
	"# content/teams/\n"
	"\n"
	"Optional: one or more teams per `.yaml` file (one mapping per YAML\n"
	"document). An owner named in the catalog is a team even without a file\n"
	"here; a file adds a name, a parent, members and a Slack channel.\n"
	"\n"
	"```yaml\n"
	"id: payments                   # required: lowercase letters, digits, - _ .\n"
	"name: Payments                 # required\n"
	"parent: commerce               # optional: another team's id\n"
	"slack: \"#team-payments\"        # optional: where its digest goes\n"
	"members: [ana@example.com]     # optional\n"
	"```\n"
	"\n"
	"Reference: \"Teams\" in yardstick's `docs/content.md`.\n",
	NULL,
};

static const char *const readme_scorecards[] = {
	"# content/scorecards/\n"
	"\n"
	"One scorecard per `.yaml` file. `yardstick init` wrote the three\n"
	"scorecards Datadog ships, with its ten default rules for services:\n"
	"\n"
	"- `production-readiness.yaml`: SLOs defined, monitors defined, on-call\n"
	"  specified, last deployment within 3 months;\n"
	"- `observability.yaml`: deployment tracking active, logs correlation\n"
	"  active;\n"
	"- `documentation-ownership.yaml`: team, contacts, code repos and docs\n"
	"  defined.\n"
	"\n"
	"Edit them, or add your own. A rule either has a `check` (a query on the\n"
	"catalog entry, yardstick's `docs/queries.md`) or `outcome: external`\n"
	"(its results come from `content/outcomes/`):\n"
	"\n"
	"```yaml\n"
	"id: security\n"
	"name: Security\n"
	"scope: kind:service           # optional: which entities it applies to\n"
	"rules:\n"
	"  - id: runbook\n"
	"    name: Runbook linked\n"
	"    level: 1                   # 1 Basic, 2 Intermediate, 3 Advanced\n"
	"    check: link:runbook\n"
	"  - id: secret-scanning\n"
	"    name: Secret scanning enabled\n"
	"    level: 2\n"
	"    outcome: external\n"
	"```\n"
	"\n"
	"Reference: \"Scorecards\" in yardstick's `docs/content.md`; scores and\n"
	"levels: `docs/scoring.md`.\n",
	NULL,
};

static const char *const readme_campaigns[] = {
	"content/campaigns/\n"
	"==================\n"
	"\n"
	"One campaign per .md file: YAML front matter, then Markdown. (This file\n"
	"is README.txt because every .md file here is read as a campaign.)\n"
	"\n"
	"---\n"
	"key: on-call-everywhere       # required\n"
	"name: On-call for every service\n"
	"owner: sre                    # required: a team id\n"
	"start: 2027-01-04             # required, YYYY-MM-DD\n"
	"due: 2027-03-31               # optional\n"
	"scope: kind:service           # optional query\n"
	"rules:\n"
	"  - rule: production-readiness/on-call\n"
	"    guidance: Add the PagerDuty service to the catalog entry.\n"
	"---\n"
	"Why this campaign exists and whom to ask.\n"
	"\n"
	"Reference: \"Campaigns\" in yardstick's docs/content.md.\n",
	NULL,
};

static const char *const readme_outcomes[] = {
	"# content/outcomes/\n"
	"\n"
	"Results of the rules with `outcome: external`, written by other jobs\n"
	"(an SLO sync, a deploy tracker, a log check), in Datadog's scorecard\n"
	"outcomes format. Every `.json` file is read. The starter scorecards\n"
	"have five such rules:\n"
	"\n"
	"| rule_id | what the job checks |\n"
	"| --- | --- |\n"
	"| `production-readiness/slos-defined` | the service has an SLO |\n"
	"| `production-readiness/monitors-defined` | a monitor watches it |\n"
	"| `production-readiness/last-deployment` | a deployment in the last 3 months |\n"
	"| `observability/deployment-tracking` | deployments carry a version |\n"
	"| `observability/logs-correlation` | logs carry trace ids |\n"
	"\n"
	"A rule of your own with `outcome: external` is reported the same way.\n"
	"A file such as `slo-sync.json`:\n"
	"\n"
	"```json\n"
	"{\"data\": {\"type\": \"batched-outcome\", \"attributes\": {\n"
	"  \"observed_at\": \"2027-01-04T03:00:00Z\",\n"
	"  \"results\": [\n"
	"    {\"rule_id\": \"production-readiness/slos-defined\",\n"
	"     \"entity_reference\": \"service:checkout-api\",\n"
	"     \"state\": \"pass\", \"remarks\": \"2 SLOs\"},\n"
	"    {\"rule_id\": \"observability/logs-correlation\",\n"
	"     \"service_name\": \"legacy-billing\",\n"
	"     \"state\": \"fail\", \"remarks\": \"trace_id missing from 40% of logs\",\n"
	"     \"observed_at\": \"2027-01-03T03:00:00Z\"}\n"
	"  ]}}}\n"
	"```\n"
	"\n"
	"`state` is `pass`, `fail` or `skip`; `remarks` is shown as the reason;\n"
	"the entity is `entity_reference` (`kind:name`) or `service_name`.\n"
	"`observed_at` (RFC 3339 or YYYY-MM-DD) may be set per result or for the\n"
	"file. A rule with no result for an entity has no data: skipped, or\n"
	"failed with `no_data = fail` in site.conf. Reference: \"Outcomes\" in\n"
	"yardstick's `docs/content.md`.\n",
	NULL,
};

static const char *const readme_exemptions[] = {
	"# content/exemptions/\n"
	"\n"
	"Waivers: one entity does not have to meet one rule, for a reason, until\n"
	"a day. A `.yaml` file holds a list of them (or one mapping per document).\n"
	"\n"
	"```yaml\n"
	"- entity: service:legacy-billing\n"
	"  rule: production-readiness/on-call\n"
	"  reason: Being retired in Q1; traffic already moved to billing-v2.\n"
	"  expires: 2027-03-31\n"
	"  approved_by: cto@example.com   # optional\n"
	"```\n"
	"\n"
	"Reference: \"Exemptions\" in yardstick's `docs/content.md`.\n",
	NULL,
};

static const char *const readme_pages[] = {
	"content/pages/\n"
	"==============\n"
	"\n"
	"Free pages of the site, one per .md file: front matter, then Markdown.\n"
	"The file name is the page's address (lowercase letters, digits, - _ .).\n"
	"(This file is README.txt because every .md file here becomes a page.)\n"
	"\n"
	"---\n"
	"title: How we use scorecards   # required\n"
	"nav_order: 1                   # optional\n"
	"---\n"
	"Markdown.\n"
	"\n"
	"Reference: \"Pages\" in yardstick's docs/content.md.\n",
	NULL,
};

/* ------------------------------------------------------------------ */
/* The tables                                                          */

const char *const init_folders[] = {
	"content",
	"content/catalog",
	"content/teams",
	"content/scorecards",
	"content/campaigns",
	"content/outcomes",
	"content/exemptions",
	"content/pages",
	NULL,
};

const struct init_file init_files[] = {
	{ "content/README.md", readme_content },
	{ "content/catalog/README.md", readme_catalog },
	{ "content/teams/README.md", readme_teams },
	{ "content/scorecards/README.md", readme_scorecards },
	{ "content/scorecards/production-readiness.yaml", production_readiness },
	{ "content/scorecards/observability.yaml", observability },
	{ "content/scorecards/documentation-ownership.yaml", documentation_ownership },
	{ "content/campaigns/README.txt", readme_campaigns },
	{ "content/outcomes/README.md", readme_outcomes },
	{ "content/exemptions/README.md", readme_exemptions },
	{ "content/pages/README.txt", readme_pages },
	{ NULL, NULL },
};

/* ------------------------------------------------------------------ */
/* Writing                                                             */

/* Write `len` bytes of `text` to `path` atomically without replacing an
 * existing file: a temporary file next to it, linked into place. */
static int write_new_file(const char *path, const char *text, size_t len,
			  FILE *err_out)
{
	size_t n = strlen(path);
	char *temp = xmalloc(n + 16);
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path + 1) : 0;
	memcpy(temp, path, dir_len);
	snprintf(temp + dir_len, n + 16 - dir_len, ".init-XXXXXX");
	int fd = mkstemp(temp);
	if (fd < 0) {
		fprintf(err_out, "yardstick: cannot write %s: %s\n", path, strerror(errno));
		free(temp);
		return -1;
	}
	int status = 0;
	size_t done = 0;
	while (done < len && status == 0) {
		ssize_t w = write(fd, text + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			status = -1;
		else
			done += (size_t)w;
	}
	if (status == 0 && fchmod(fd, 0644) != 0)
		status = -1;
	if (status == 0 && fsync(fd) != 0)
		status = -1;
	int saved = errno;
	if (close(fd) != 0 && status == 0) {
		status = -1;
		saved = errno;
	}
	if (status == 0 && link(temp, path) != 0) {
		saved = errno;
		status = -1;
	}
	if (status < 0)
		fprintf(err_out, "yardstick: cannot write %s: %s\n", path,
			saved == EEXIST ? "it appeared while init ran; not replaced"
					: strerror(saved));
	unlink(temp);
	free(temp);
	return status;
}

static char *join(const char *dir, const char *rel)
{
	size_t d = strlen(dir), r = strlen(rel);
	bool slash = d && dir[d - 1] != '/';
	char *p = xmalloc(d + r + 2);
	memcpy(p, dir, d);
	if (slash)
		p[d++] = '/';
	memcpy(p + d, rel, r + 1);
	return p;
}

/* Create `path` and its missing parents; 0 or -1 with errno. */
static int make_folders(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int r = mkdir(path, 0755);
		*p = '/';
		if (r != 0 && errno != EEXIST)
			return -1;
	}
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return -1;
	struct stat st;
	if (stat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

int init_write(const char *dir, const char *site_conf, FILE *out, FILE *err_out)
{
	/* Everything is checked before the first byte is written. The site's
	 * two entries are enough: the rest lives under content/. */
	static const char *const tops[] = { "site.conf", "content" };
	int existing = 0;
	for (size_t i = 0; i < ARRAY_SIZE(tops); i++) {
		char *path = join(dir, tops[i]);
		struct stat st;
		if (lstat(path, &st) == 0) {
			fprintf(err_out, "yardstick: %s already exists\n", path);
			existing++;
		}
		free(path);
	}
	if (existing) {
		fprintf(err_out, "yardstick: nothing written; init writes a new site "
				 "and never replaces a file (choose an empty folder, or "
				 "move %s away)\n", existing > 1 ? "them" : "it");
		return 1;
	}

	fprintf(out, "yardstick: a new site in %s:\n", dir);
	fflush(out);
	char *root = xstrdup(dir);
	int status = make_folders(root);
	if (status != 0)
		fprintf(err_out, "yardstick: cannot create the folder %s: %s\n", dir,
			strerror(errno));
	free(root);
	for (size_t i = 0; status == 0 && init_folders[i]; i++) {
		char *path = join(dir, init_folders[i]);
		if (mkdir(path, 0755) != 0) {
			fprintf(err_out, "yardstick: cannot create the folder %s: %s\n",
				path, strerror(errno));
			status = -1;
		}
		free(path);
	}
	if (status == 0) {
		char *path = join(dir, "site.conf");
		status = write_new_file(path, site_conf, strlen(site_conf), err_out);
		if (status == 0)
			fprintf(out, "  %s\n", path);
		free(path);
	}
	for (size_t i = 0; status == 0 && init_files[i].path; i++) {
		struct buf text = BUF_INIT;
		add_chunks(&text, init_files[i].chunks);
		char *path = join(dir, init_files[i].path);
		status = write_new_file(path, text.data, text.len, err_out);
		if (status == 0)
			fprintf(out, "  %s\n", path);
		free(path);
		buf_release(&text);
	}
	return status;
}

int init_export_theme(const char *dir, FILE *out, FILE *err_out)
{
	int existing = 0;
	for (const struct theme_file *f = theme_files; f->path; f++) {
		char *path = join(dir, f->path);
		struct stat st;
		if (lstat(path, &st) == 0 && ++existing <= 5)
			fprintf(err_out, "yardstick: %s already exists\n", path);
		free(path);
	}
	if (existing > 5)
		fprintf(err_out, "yardstick: and %d more files exist\n", existing - 5);
	if (existing) {
		fprintf(err_out, "yardstick: nothing written; theme export never "
				 "replaces a file (choose another folder, or move %s "
				 "away)\n", existing > 1 ? "them" : "it");
		return 1;
	}
	fprintf(out, "yardstick: the built-in theme in %s:\n", dir);
	fflush(out);
	int status = 0;
	for (const struct theme_file *f = theme_files; status == 0 && f->path; f++) {
		char *path = join(dir, f->path);
		char *slash = strrchr(path, '/');
		*slash = '\0';
		status = make_folders(path);
		if (status != 0)
			fprintf(err_out, "yardstick: cannot create the folder %s: %s\n",
				path, strerror(errno));
		*slash = '/';
		if (status == 0)
			status = write_new_file(path, (const char *)f->data, f->len, err_out);
		if (status == 0)
			fprintf(out, "  %s\n", path);
		free(path);
	}
	return status;
}
