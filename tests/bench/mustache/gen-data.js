// Writes data.json: a scorecard page's context with 200 entities, 6 rules
// each. Deterministic, so the committed file can be regenerated exactly.
'use strict';
const fs = require('fs');
let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (list) => list[Math.floor(rand() * list.length)];
const rules = ['Has owner', 'Has runbook', 'On-call set', 'SLOs defined', 'Tier set', 'Docs & README'];
const teams = ['payments', 'checkout', 'search', 'platform', 'identity', 'data'];
const entities = [];
for (let i = 0; i < 200; i++) {
  const states = rules.map((rule) => {
    const pass = rand() < 0.7;
    return { rule, pass, state: pass ? 'pass' : 'fail', remark: pass ? 'ok' : 'missing <field> & "value"' };
  });
  const passed = states.filter((s) => s.pass).length;
  const team = pick(teams);
  entities.push({
    name: `service-${i}`, slug: `service-${i}`, kind: 'service',
    description: i % 3 ? `Handles ${pick(['orders', 'carts', 'users'])} for <${team}> & friends` : null,
    owner: { name: team, slug: team },
    tier: 1 + (i % 3), lifecycle: pick(['production', 'experimental', 'deprecated']),
    score: Math.round((passed / rules.length) * 1000) / 10, level: passed >= 5 ? 2 : passed >= 3 ? 1 : 0,
    rules: states, tags: i % 4 ? [`team:${team}`, `lang:${pick(['go', 'java', 'python'])}`] : [],
  });
}
const data = {
  site: { name: 'Acme Retail', base: '../' },
  generated: '2026-11-23', version: '0.1.0',
  nav: [{ label: 'Dashboard', href: 'index.html' }, { label: 'Scorecards', href: 'scorecards/index.html', current: true }, { label: 'Teams', href: 'teams/index.html' }],
  scorecard: { name: 'Production Readiness', description: 'Rules every production service must meet.', score: 71.3, entity_count: 200, rules: rules.map((name) => ({ name })) },
  entities,
};
fs.writeFileSync(process.argv[2] || 'data.json', JSON.stringify(data, null, 1) + '\n');
