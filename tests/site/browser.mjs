#!/usr/bin/env node
// browser.mjs OUTDIR SHOTDIR: the built site in a real browser.
//
// Serves OUTDIR on 127.0.0.1 (a random free port) and opens pages in
// headless Debian Chromium through playwright-core:
//   - the dashboard, one entity, one team and one campaign page, at desktop
//     width (1280) and phone width (390), the dashboard in dark mode and one
//     page emulating print: any console error or warning, uncaught exception,
//     failed request (404 included) or request to another host fails the
//     check; a screenshot of each goes to SHOTDIR;
//   - the table filter and sorting on one page, after the theme's JS contract
//     (tests/site/README.md);
//   - a paginated list (entities/index.html) walked along its "Next" links
//     with JavaScript off: both page navigations, the rows each page says it
//     shows, every row on exactly one page; the filter on its second page;
//   - each page with JavaScript disabled: the content and every table row are
//     there;
//   - the dashboard and the filter page from file://, as the docs promise.
// Every wait has a time limit, and the whole run another (SITE_TEST_TIMEOUT,
// seconds, default 90): a hung browser fails the run instead of hanging it.
// Exits 0 when every check passed, 1 when one failed, 2 on a bad command line.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const USAGE = `usage: node browser.mjs OUTDIR SHOTDIR

environment:
  CHROMIUM               the browser (default /usr/bin/chromium)
  SITE_TEST_ENTITY       entity page to open, relative to OUTDIR (default: first of entities/*/*.html)
  SITE_TEST_TEAM         team page (default: first of teams/*.html but index.html)
  SITE_TEST_CAMPAIGN     campaign page (default: first of campaigns/*.html but index.html)
  SITE_TEST_FILTER_PAGE  page whose first table.data[data-filter] is tested
                         (default: entities/index.html, else the first team page with such a table)
  SITE_TEST_FILTER_QUERY text to type in the filter (default: chosen from the rows)
  SITE_TEST_PRINT_PAGE   page shot in print emulation (default: the entity page)
  SITE_TEST_PAGINATED    first page of a paginated list (default: entities/index.html)
  SITE_TEST_TIMEOUT      seconds for the whole run (default 90)
  SITE_TEST_STEP_TIMEOUT seconds for one wait (default 15)`;

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const DESKTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

const env = process.env;
const seconds = (name, fallback) => {
  const v = Number(env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const TOTAL_TIMEOUT = seconds('SITE_TEST_TIMEOUT', 90) * 1000;
const STEP_TIMEOUT = seconds('SITE_TEST_STEP_TIMEOUT', 15) * 1000;
const SETTLE_TIMEOUT = Math.min(5000, STEP_TIMEOUT);

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp',
  '.ico': 'image/x-icon', '.csv': 'text/csv; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml', '.woff': 'font/woff', '.woff2': 'font/woff2', '.pdf': 'application/pdf',
};

// ---- the static server ---------------------------------------------------

function startServer(root) {
  const server = http.createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    let file = path.join(root, rel);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end('outside the site');
      return;
    }
    fs.stat(file, (err, st) => {
      if (!err && st.isDirectory()) {
        file = path.join(file, 'index.html');
        try { st = fs.statSync(file); } catch (e) { err = e; }
      }
      if (err || !st.isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
        'Content-Length': st.size,
        'Cache-Control': 'no-store',
      });
      if (req.method === 'HEAD') res.end();
      else fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function stopServer(server) {
  if (!server) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    if (server.closeAllConnections) server.closeAllConnections();
  });
}

// ---- choosing pages -----------------------------------------------------

function htmlFiles(root, dir) {
  try {
    return fs.readdirSync(path.join(root, dir), { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.html'))
      .map((e) => (dir === '' ? e.name : `${dir}/${e.name}`))
      .sort();
  } catch {
    return [];
  }
}

function subdirs(root, dir) {
  try {
    return fs.readdirSync(path.join(root, dir), { withFileTypes: true })
      .filter((e) => e.isDirectory()).map((e) => `${dir}/${e.name}`).sort();
  } catch {
    return [];
  }
}

// Entity pages: entities/<kind>/<name>.html (entities/index/ holds the
// later pages of the entities index).
function entityPages(root) {
  return subdirs(root, 'entities').filter((d) => d !== 'entities/index').flatMap((d) => htmlFiles(root, d));
}

function hasFilterTable(root, rel) {
  let text;
  try { text = fs.readFileSync(path.join(root, rel), 'utf8'); } catch { return false; }
  for (const m of text.matchAll(/<table\b[^>]*>/gi)) {
    const tag = m[0];
    if (/\sclass\s*=\s*["']?[^"'>]*\bdata\b/i.test(tag) && /\sdata-filter(?=[\s=>\/])/i.test(tag)) return true;
  }
  return false;
}

function choosePages(root) {
  const problems = [];
  const pick = (variable, what, candidates) => {
    if (env[variable]) {
      const rel = env[variable].replace(/^\.?\//, '');
      if (!fs.existsSync(path.join(root, rel))) problems.push(`${variable}=${env[variable]}: no such file in ${root}`);
      return rel;
    }
    if (candidates.length === 0) problems.push(`no ${what} found (set ${variable} to choose one)`);
    return candidates[0];
  };
  const pages = {
    dashboard: 'index.html',
    entity: pick('SITE_TEST_ENTITY', 'entity page under entities/<kind>/', entityPages(root)),
    team: pick('SITE_TEST_TEAM', 'team page under teams/', htmlFiles(root, 'teams').filter((f) => f !== 'teams/index.html')),
    campaign: pick('SITE_TEST_CAMPAIGN', 'campaign page under campaigns/', htmlFiles(root, 'campaigns').filter((f) => f !== 'campaigns/index.html')),
  };
  if (!fs.existsSync(path.join(root, 'index.html'))) problems.push('no index.html (the dashboard)');
  const filterCandidates = ['entities/index.html', ...htmlFiles(root, 'teams').filter((f) => f !== 'teams/index.html')]
    .filter((f) => hasFilterTable(root, f));
  pages.filter = pick('SITE_TEST_FILTER_PAGE', 'page with a <table class="data" data-filter> (entities/index.html or a team page)', filterCandidates);
  pages.print = env.SITE_TEST_PRINT_PAGE ? pick('SITE_TEST_PRINT_PAGE', 'print page', []) : pages.entity;
  pages.paginated = pick('SITE_TEST_PAGINATED', 'paginated list', ['entities/index.html']);
  return { pages, problems };
}

// ---- checks ---------------------------------------------------------------

const results = [];
let running = 'starting';
let liveness = null; // set once the browser runs: resolves true when it still answers
let browserDead = false;
let lastTab = null; // the tab the running check used last

function errorText(e) {
  const text = String((e && e.message) || e).split('\n')[0];
  return e && e.name === 'TimeoutError' ? `timed out: ${text}` : text;
}

async function check(name, fn) {
  if (browserDead) {
    results.push({ name, problems: ['not run: the browser stopped answering'] });
    console.log(`FAIL ${name} (not run: the browser stopped answering)`);
    return;
  }
  running = name;
  lastTab = null;
  const problems = [];
  const notes = [];
  const started = Date.now();
  let timedOut = false;
  try {
    await fn(problems, notes);
  } catch (e) {
    problems.push(errorText(e));
    timedOut = e && e.name === 'TimeoutError';
  }
  if ((timedOut || problems.some((p) => p.startsWith('timed out'))) && liveness) {
    if (!(await liveness())) {
      problems.push('the browser no longer answers (hung?): stopping');
      browserDead = true;
    } else if (lastTab) {
      await lastTab.renew().catch((e) => problems.push(`could not open a new page: ${errorText(e)}`));
    }
  }
  lastTab = null;
  const ms = Date.now() - started;
  results.push({ name, problems });
  console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${name} (${(ms / 1000).toFixed(1)} s)`);
  for (const p of problems) console.log(`       ${p}`);
  for (const n of notes) console.log(`       note: ${n}`);
}

// Does the browser still render a page within 5 s?
function livenessProbe(browser) {
  return async () => {
    let timer;
    const tooLate = new Promise((resolve) => { timer = setTimeout(() => resolve(false), 5000); });
    const probe = (async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.setContent('<p>ok</p>', { timeout: 5000 });
        return (await page.textContent('p', { timeout: 5000 })) === 'ok';
      } finally {
        await context.close().catch(() => {});
      }
    })().catch(() => false);
    const alive = await Promise.race([probe, tooLate]);
    clearTimeout(timer);
    return alive;
  };
}

// One browser page per variant (desktop, phone, no JavaScript, file://),
// reused from check to check: a new page costs a renderer process. What goes
// wrong on it is reported to `tab.problems`, which each check points at its
// own list.
async function newTab(browser, options, origin, { fence = true } = {}) {
  const context = await bounded(browser.newContext({ ...options, serviceWorkers: 'block' }), 'creating a browser context');
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  const tab = { context, page: null, problems: [], inflight: 0, failed: new Set() };
  const report = (message) => tab.problems.push(message);
  if (fence) {
    // Only the local server is reachable; a request elsewhere is a problem.
    await bounded(context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || /^(data|blob):/.test(url)) return route.continue();
      report(`request to another host: ${url}`);
      return route.abort('blockedbyclient');
    }), 'routing requests');
  }
  const short = (url) => (url.startsWith(origin) ? url.slice(origin.length) : url);
  // A new page for the tab: at the start, and after a check timed out (the
  // old page may be stuck in a script that never ends).
  tab.renew = async () => {
    if (tab.page) await bounded(tab.page.close(), 'closing a stuck page', 5000).catch(() => {});
    const page = await bounded(context.newPage(), 'opening a page');
    tab.page = page;
    tab.inflight = 0;
    page.on('console', (msg) => {
      const type = msg.type();
      if (type !== 'error' && type !== 'warning') return;
      const loc = msg.location();
      const where = loc && loc.url ? ` (${short(loc.url)}${loc.lineNumber ? ':' + (loc.lineNumber + 1) : ''})` : '';
      // The request events already told about a resource that failed.
      if (/^Failed to load resource/.test(msg.text()) && loc && tab.failed.has(loc.url)) return;
      report(`console ${type}: ${msg.text()}${where}`);
    });
    page.on('pageerror', (err) => report(`uncaught exception: ${String(err.message || err).split('\n')[0]}`));
    page.on('request', () => { if (tab.page === page) tab.inflight++; });
    page.on('requestfinished', () => { if (tab.page === page) tab.inflight--; });
    page.on('requestfailed', (req) => {
      if (tab.page === page) tab.inflight--;
      const failure = req.failure();
      const text = failure ? failure.errorText : 'unknown';
      const known = tab.failed.has(req.url()); // a 4xx/5xx response already reported
      tab.failed.add(req.url());
      if (!known && !text.startsWith('net::ERR_BLOCKED_BY_CLIENT')) report(`request failed: ${short(req.url())} (${text})`);
    });
    page.on('response', (res) => {
      if (res.status() < 400) return;
      tab.failed.add(res.url());
      report(`HTTP ${res.status()} for ${short(res.url())}`);
    });
  };
  await tab.renew();
  return tab;
}

// playwright's evaluate() and emulateMedia() wait without a limit (a page
// stuck in a loop never answers): race them against the step timeout.
function bounded(promise, what, ms = STEP_TIMEOUT) {
  let timer;
  const limit = new Promise((resolve, reject) => {
    timer = setTimeout(() => {
      const e = new Error(`${what}: no answer after ${ms / 1000} s`);
      e.name = 'TimeoutError';
      reject(e);
    }, ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

const evaluate = (page, fn, arg) => bounded(page.evaluate(fn, arg), 'a script in the page');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// After `load`: a static page should go quiet at once (no request in flight
// for 150 ms); one that keeps fetching is a problem.
async function settle(tab) {
  const deadline = Date.now() + SETTLE_TIMEOUT;
  let quietSince = null;
  while (Date.now() < deadline) {
    if (tab.inflight <= 0) {
      if (quietSince === null) quietSince = Date.now();
      else if (Date.now() - quietSince >= 150) return;
    } else quietSince = null;
    await sleep(25);
  }
  tab.problems.push(`network still busy ${SETTLE_TIMEOUT / 1000} s after load`);
}

async function open(tab, url, problems) {
  lastTab = tab;
  tab.problems = problems;
  tab.inflight = 0;
  tab.failed.clear();
  // An HTTP error for the page itself is reported by the response event.
  await tab.page.goto(url, { waitUntil: 'load' });
  await settle(tab);
  return tab.page;
}

async function checkStructure(page, problems) {
  const s = await evaluate(page, () => ({
    title: document.title.trim(),
    h1: document.querySelectorAll('h1').length,
    h1Visible: (() => { const h = document.querySelector('h1'); return !!h && h.getClientRects().length > 0 && h.textContent.trim() !== ''; })(),
    main: document.querySelectorAll('main').length,
  }));
  if (s.title === '') problems.push('empty <title>');
  if (s.h1 !== 1) problems.push(`${s.h1} <h1> elements`);
  else if (!s.h1Visible) problems.push('the <h1> is empty or not displayed');
  if (s.main !== 1) problems.push(`${s.main} <main> elements`);
}

// ---- the table filter and sort (the theme's JS contract) -------------------

// The first table.data[data-filter] on the page, read in the page: rows with
// their text, failing flag, hidden attribute and whether they are displayed.
function readTable() {
  const table = document.querySelector('table.data[data-filter]');
  if (!table) return null;
  const body = table.tBodies[0];
  const rows = body ? Array.from(body.rows) : [];
  const wrapper = table.parentElement;
  const before = table.previousElementSibling;
  const beforeWrapper = wrapper ? wrapper.previousElementSibling : null;
  const isTools = (el) => !!el && el.tagName === 'DIV' && el.classList.contains('table-tools');
  const tools = isTools(before) ? before : isTools(beforeWrapper) ? beforeWrapper : null;
  const input = tools ? tools.querySelector('input.table-filter') : null;
  const checkbox = tools ? tools.querySelector('input.failing-only') : null;
  const count = tools ? tools.querySelector('.table-count') : null;
  const heads = table.tHead && table.tHead.rows.length ? Array.from(table.tHead.rows[table.tHead.rows.length - 1].cells) : [];
  return {
    failingFilter: table.hasAttribute('data-failing-filter'),
    toolsAnywhere: document.querySelectorAll('.table-tools').length,
    firstToolsIsOurs: !!tools && document.querySelector('.table-tools') === tools,
    tools: !!tools,
    input: input ? { type: input.type, label: input.getAttribute('aria-label') } : null,
    checkbox: checkbox ? { type: checkbox.type, inLabel: !!checkbox.closest('label'), label: (checkbox.closest('label') || {}).textContent || '' } : null,
    count: count ? { text: count.textContent, live: count.getAttribute('aria-live') } : null,
    heads: heads.map((th) => ({ text: th.textContent.trim(), sort: th.getAttribute('aria-sort'), button: !!th.querySelector('button.sort'), buttonType: (th.querySelector('button.sort') || {}).type || null })),
    rows: rows.map((tr) => ({
      text: tr.textContent,
      failing: tr.hasAttribute('data-failing') || tr.parentElement.hasAttribute('data-failing'),
      hidden: tr.hidden,
      shown: tr.getClientRects().length > 0,
    })),
  };
}

// The values of column `index` (a position counting colspans), as
// yardstick.js sorts them: data-sort, else the cell's .score text, else its
// .level's number (class lvl-N), else empty for .na (not in scope), else
// the cell's text.
function readColumn(index) {
  const table = document.querySelector('table.data[data-filter]');
  const heads = Array.from(table.tHead.rows[table.tHead.rows.length - 1].cells);
  let position = 0;
  for (let i = 0; i < index; i++) position += heads[i].colSpan || 1;
  return Array.from(table.tBodies[0].rows).map((tr) => {
    let at = 0;
    for (const cell of tr.cells) {
      if (at === position) {
        const v = cell.getAttribute('data-sort');
        if (v !== null) return v;
        const score = cell.querySelector('.score');
        if (score) return score.textContent.trim();
        const level = cell.querySelector('.level');
        const n = level ? /(?:^|\s)lvl-(\d+)(?:\s|$)/.exec(level.className) : null;
        if (n) return n[1];
        if (cell.querySelector('.na')) return '';
        return cell.textContent.trim();
      }
      at += cell.colSpan || 1;
    }
    return '';
  });
}

const lower = (s) => s.toLowerCase();
const visibleCount = (t) => t.rows.filter((r) => r.shown).length;

// A word from the rows' first cells that some rows contain and others do not,
// as close to half of them as possible; typed with its case changed to test
// that the filter ignores case.
function chooseQuery(rows) {
  if (env.SITE_TEST_FILTER_QUERY) return env.SITE_TEST_FILTER_QUERY;
  const words = new Set();
  for (const r of rows) for (const w of r.text.split(/[^\p{L}\p{N}]+/u)) if (w.length >= 3) words.add(w);
  let best = null;
  for (const w of [...words].sort()) {
    const n = rows.filter((r) => lower(r.text).includes(lower(w))).length;
    if (n === 0 || n === rows.length) continue;
    const score = Math.abs(n - rows.length / 2);
    if (best === null || score < best.score) best = { w, score };
  }
  if (best === null) return null;
  const w = best.w;
  const flipped = [...w].map((c) => (c === lower(c) ? c.toUpperCase() : lower(c))).join('');
  return lower(flipped) === lower(w) ? flipped : w;
}

// Checks the table's rows against what should be shown; returns problems.
function compareRows(t, expectShown, what) {
  const problems = [];
  const wrongShown = t.rows.filter((r, i) => r.shown !== expectShown[i]);
  const hiddenButShown = t.rows.filter((r) => r.hidden && r.shown).length;
  const shownButHidden = t.rows.filter((r) => !r.hidden && !r.shown).length;
  if (hiddenButShown) problems.push(`${what}: ${hiddenButShown} rows have the hidden attribute but are displayed (does the CSS override [hidden]?)`);
  if (shownButHidden) problems.push(`${what}: ${shownButHidden} rows are not displayed but have no hidden attribute (the contract hides with the hidden attribute)`);
  if (wrongShown.length) {
    const want = expectShown.filter(Boolean).length;
    const sample = wrongShown.slice(0, 3).map((r) => `"${r.text.trim().replace(/\s+/g, ' ').slice(0, 60)}" ${r.shown ? 'shown' : 'hidden'}`).join('; ');
    problems.push(`${what}: ${visibleCount(t)} rows shown, want ${want}; e.g. ${sample}`);
  }
  if (t.count && !new RegExp(`(^|\\D)${visibleCount(t)}(\\D|$)`).test(t.count.text)) {
    problems.push(`${what}: .table-count says "${t.count.text.trim()}", which does not give the ${visibleCount(t)} rows shown`);
  }
  return problems;
}

// Waits until the rows shown match `expectShown`, then compares.
async function expectRows(page, expectShown, what, problems) {
  const want = expectShown;
  await page.waitForFunction((w) => {
    const t = document.querySelector('table.data[data-filter]');
    const rows = Array.from(t.tBodies[0].rows);
    return rows.length === w.length && rows.every((tr, i) => (tr.getClientRects().length > 0) === w[i]);
  }, want, { timeout: SETTLE_TIMEOUT, polling: 50 }).catch(() => {});
  const t = await evaluate(page, readTable);
  problems.push(...compareRows(t, want, what));
  return t;
}

const DASHES = new Set(['', '-', '–', '—', 'n/a', 'N/A']);

function toNumber(v) {
  const s = String(v).trim().replace(/[%\s,]/g, '');
  if (s === '') return NaN;
  return Number(s);
}

const TEXT_ORDERS = [
  (a, b) => a.localeCompare(b),
  (a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }),
  (a, b) => (lower(a) < lower(b) ? -1 : lower(a) > lower(b) ? 1 : 0),
  (a, b) => (a < b ? -1 : a > b ? 1 : 0),
];

// Is `values` sorted in `direction` ('ascending' | 'descending')? Cells
// without a value (empty, a dash) may go anywhere.
function sortedProblem(values, direction) {
  const present = values.filter((v) => !DASHES.has(String(v).trim()));
  if (present.length < 2) return null;
  const sign = direction === 'ascending' ? 1 : -1;
  const numbers = present.map(toNumber);
  if (numbers.every(Number.isFinite)) {
    for (let i = 1; i < numbers.length; i++) {
      if (sign * (numbers[i] - numbers[i - 1]) < 0) return `numeric column not ${direction}: ${numbers[i - 1]} before ${numbers[i]}`;
    }
    return null;
  }
  const texts = present.map((v) => String(v).trim());
  for (const order of TEXT_ORDERS) {
    let ok = true;
    for (let i = 1; i < texts.length && ok; i++) if (sign * order(texts[i - 1], texts[i]) > 0) ok = false;
    if (ok) return null;
  }
  const i = texts.findIndex((v, k) => k > 0 && sign * TEXT_ORDERS[1](texts[k - 1], v) > 0);
  return `text column not ${direction}: "${texts[i - 1]}" before "${texts[i]}"`;
}

async function checkFilter(tab, url, problems, notes, shotDir) {
  const page = await open(tab, url, problems);
  // The script runs after parsing (defer or at the end): wait for its tools.
  await page.waitForSelector('.table-tools input.table-filter', { timeout: SETTLE_TIMEOUT, state: 'attached' })
    .catch(() => {});
  let t = await evaluate(page, readTable);
  if (!t) { problems.push('no table.data[data-filter] on the page'); return; }
  if (!t.tools) {
    problems.push(t.toolsAnywhere
      ? 'a .table-tools element exists but is not right before the table or its wrapper'
      : 'no <div class="table-tools"> was inserted before the table (did yardstick.js run?)');
    return;
  }
  if (!t.firstToolsIsOurs) problems.push('the first .table-tools on the page does not belong to the first data-filter table');
  if (!t.input) { problems.push('no input.table-filter in .table-tools'); return; }
  if (t.input.type !== 'search') problems.push(`input.table-filter has type "${t.input.type}", want "search"`);
  if (t.input.label !== 'Filter rows') problems.push(`input.table-filter has aria-label "${t.input.label}", want "Filter rows"`);
  if (!t.count) problems.push('no .table-count in .table-tools');
  else if (t.count.live !== 'polite') problems.push(`.table-count has aria-live "${t.count.live}", want "polite"`);
  if (t.failingFilter && !t.checkbox) problems.push('the table has data-failing-filter but there is no input.failing-only checkbox');
  if (!t.failingFilter && t.checkbox) problems.push('an input.failing-only checkbox without data-failing-filter on the table');
  if (t.checkbox && (t.checkbox.type !== 'checkbox' || !t.checkbox.inLabel)) problems.push('input.failing-only must be a checkbox inside a <label>');

  const total = t.rows.length;
  if (total < 2) { problems.push(`the table has ${total} rows: too few to test filtering (choose another page with SITE_TEST_FILTER_PAGE)`); return; }
  const all = t.rows.map(() => true);
  problems.push(...compareRows(t, all, 'before filtering'));

  const tools = page.locator('.table-tools').first();
  const input = tools.locator('input.table-filter');
  const query = chooseQuery(t.rows);
  if (query === null) {
    problems.push('no word tells some rows from the others; set SITE_TEST_FILTER_QUERY');
    return;
  }
  const matches = (r, q) => lower(r.text).includes(lower(q));
  await input.click();
  await input.pressSequentially(query);
  const expectQuery = t.rows.map((r) => matches(r, query));
  t = await expectRows(page, expectQuery, `typing "${query}"`, problems);
  const shown = t.rows.filter((r) => r.shown);
  if (shown.length >= total) problems.push(`typing "${query}" hid no row`);
  if (shown.some((r) => !matches(r, query))) problems.push(`typing "${query}" left rows shown that do not contain it`);
  notes.push(`filter "${query}": ${shown.length} of ${total} rows`);
  await page.screenshot({ path: path.join(shotDir, 'filter-typed.png'), fullPage: true });

  await input.fill('');
  t = await expectRows(page, all, 'clearing the filter', problems);

  if (t.checkbox) {
    const box = tools.locator('input.failing-only');
    await box.check();
    const expectFailing = t.rows.map((r) => r.failing);
    t = await expectRows(page, expectFailing, '"Failing only"', problems);
    if (t.rows.some((r) => r.shown && !r.failing)) problems.push('"Failing only" shows rows without data-failing');
    const failing = expectFailing.filter(Boolean).length;
    if (failing === 0 || failing === total) notes.push(`${failing} of ${total} rows fail: "Failing only" barely tested`);
    await input.pressSequentially(query);
    t = await expectRows(page, t.rows.map((r) => r.failing && matches(r, query)), `"Failing only" with "${query}"`, problems);
    await input.fill('');
    await box.uncheck();
    t = await expectRows(page, all, 'clearing both', problems);
  }

  // Sorting: every column with a sort button, both ways.
  const before = t.rows.map((r) => r.text).sort();
  const buttons = t.heads.map((h, i) => ({ ...h, i })).filter((h) => h.button);
  if (buttons.length === 0) problems.push('no <button class="sort"> in the thead cells');
  for (const h of t.heads) if (h.button && h.buttonType !== 'button') problems.push(`the sort button of "${h.text}" has type "${h.buttonType}", want "button"`);
  let sortedColumns = 0;
  for (const head of buttons) {
    const th = page.locator('table.data[data-filter]').first().locator('thead tr').last().locator('th, td').nth(head.i);
    let previous = null;
    for (let click = 1; click <= 2; click++) {
      await th.locator('button.sort').click();
      const ok = await page.waitForFunction(([i, prev]) => {
        const table = document.querySelector('table.data[data-filter]');
        const cells = table.tHead.rows[table.tHead.rows.length - 1].cells;
        const s = cells[i].getAttribute('aria-sort');
        return (s === 'ascending' || s === 'descending') && s !== prev;
      }, [head.i, previous], { timeout: SETTLE_TIMEOUT, polling: 50 }).then(() => true, () => false);
      t = await evaluate(page, readTable);
      const direction = t.heads[head.i].sort;
      if (!ok) {
        problems.push(`sorting by "${head.text}" (click ${click}): aria-sort is "${direction}"${previous ? ` (was "${previous}")` : ''}, want ascending or descending, toggling`);
        break;
      }
      const others = t.heads.filter((h, k) => k !== head.i && (h.sort === 'ascending' || h.sort === 'descending'));
      if (others.length) problems.push(`sorting by "${head.text}": "${others[0].text}" still has aria-sort="${others[0].sort}"`);
      const values = await evaluate(page, readColumn, head.i);
      const wrong = sortedProblem(values, direction);
      if (wrong) problems.push(`sorting by "${head.text}" (${direction}): ${wrong}`);
      if (t.rows.map((r) => r.text).sort().join('\u0000') !== before.join('\u0000')) problems.push(`sorting by "${head.text}" changed the set of rows`);
      if (t.rows.some((r) => !r.shown)) problems.push(`sorting by "${head.text}" hid rows`);
      previous = direction;
    }
    sortedColumns++;
  }
  notes.push(`sorted ${sortedColumns} columns both ways`);
  await page.screenshot({ path: path.join(shotDir, 'filter-sorted.png'), fullPage: true });
}

// ---- pagination --------------------------------------------------------------

const PAGINATION_INFO = /^Rows (\d+)–(\d+) of (\d+) · page (\d+) of (\d+)$/;

// One page of a paginated list, read in the page.
function readPagination() {
  const navs = Array.from(document.querySelectorAll('nav.pagination'));
  const link = (nav, rel) => { const a = nav.querySelector(`a[rel="${rel}"]`); return a ? a.href : null; };
  const table = document.querySelector('table.data[data-filter]');
  const rows = table && table.tBodies[0] ? Array.from(table.tBodies[0].rows) : [];
  return {
    navs: navs.map((nav) => ({
      label: nav.getAttribute('aria-label'),
      info: ((nav.querySelector('.pagination-info') || {}).textContent || '').trim(),
      current: ((nav.querySelector('[aria-current="page"]') || {}).textContent || '').trim(),
      prev: link(nav, 'prev'),
      next: link(nav, 'next'),
    })),
    rows: rows.map((tr) => { const a = tr.querySelector('a[href]'); return a ? a.href : tr.textContent.trim(); }),
  };
}

// Walk a paginated list from page 1 along "Next", JavaScript off: two
// navigations a page (above and below the list, told apart by their labels)
// that agree, the current page marked, "Rows a–b of n" matching the rows the
// table shows, "Previous" on every page but the first, and each of the n
// rows on exactly one page; `expectRows` (or null) is how many rows there
// must be in all. Returns the second page's URL, or null.
async function checkPagination(tab, url, problems, notes, expectRows) {
  const seen = new Set();
  let total = null;
  let count = null;
  let second = null;
  let number = 0;
  for (let next = url; next;) {
    number++;
    if (number > 1000) {
      problems.push('over 1000 pages: the "Next" links go round in a loop');
      break;
    }
    const page = await open(tab, next, problems);
    const where = `page ${number} (${next.replace(/^.*?\/\/[^/]+\//, '')})`;
    const p = await evaluate(page, readPagination);
    if (p.navs.length === 0 && number === 1) {
      if (expectRows !== null && p.rows.length !== expectRows)
        problems.push(`${where}: no page navigation, and ${p.rows.length} rows for ${expectRows} pages`);
      notes.push('the list fits one page: nothing to walk');
      return null;
    }
    if (p.navs.length !== 2) {
      problems.push(`${where}: ${p.navs.length} page navigations, expected 2 (above and below the list)`);
      break;
    }
    const [top, bottom] = p.navs;
    if (top.label === bottom.label) problems.push(`${where}: both page navigations are labelled "${top.label}"`);
    if (top.info !== bottom.info || top.current !== bottom.current || top.next !== bottom.next || top.prev !== bottom.prev)
      problems.push(`${where}: the navigations above and below the list differ`);
    const m = PAGINATION_INFO.exec(top.info);
    if (!m) {
      problems.push(`${where}: "${top.info}" does not read "Rows a–b of n · page k of m"`);
      break;
    }
    const [from, to, rows, k, pages] = m.slice(1).map(Number);
    if (total === null) { total = rows; count = pages; }
    if (rows !== total || pages !== count) problems.push(`${where}: says ${rows} rows on ${pages} pages, page 1 said ${total} on ${count}`);
    if (k !== number) problems.push(`${where}: says it is page ${k}`);
    if (top.current !== String(number)) problems.push(`${where}: the page marked current is "${top.current}"`);
    if ((top.prev !== null) !== (number > 1)) problems.push(`${where}: ${top.prev ? 'a' : 'no'} "Previous" link`);
    if (p.rows.length !== to - from + 1) problems.push(`${where}: shows ${p.rows.length} rows, says rows ${from}–${to}`);
    for (const row of p.rows) {
      if (seen.has(row)) problems.push(`${where}: ${row} is on an earlier page too`);
      seen.add(row);
    }
    if (number === 2) second = next;
    next = top.next;
  }
  if (total !== null && seen.size !== total) problems.push(`${seen.size} distinct rows on the pages, they say ${total}`);
  if (expectRows !== null && seen.size !== expectRows) problems.push(`${seen.size} rows on the pages for ${expectRows} pages`);
  if (count !== null && number !== count) problems.push(`"Next" led through ${number} pages, they say ${count}`);
  notes.push(`${number} pages, ${seen.size} rows`);
  return second;
}

async function checkNoScript(tab, url, problems, { requireTable }) {
  const page = await open(tab, url, problems);
  await checkStructure(page, problems);
  const s = await evaluate(page, () => {
    const tables = Array.from(document.querySelectorAll('main table.data'));
    return {
      tables: tables.length,
      rows: tables.reduce((n, t) => n + (t.tBodies[0] ? t.tBodies[0].rows.length : 0), 0),
      hiddenRows: tables.reduce((n, t) => n + (t.tBodies[0] ? Array.from(t.tBodies[0].rows).filter((r) => r.hidden || r.getClientRects().length === 0).length : 0), 0),
      tools: document.querySelectorAll('.table-tools').length,
      mainText: (document.querySelector('main') || { textContent: '' }).textContent.trim().length,
    };
  });
  if (s.mainText === 0) problems.push('<main> is empty without JavaScript');
  if (requireTable && s.tables === 0) problems.push('no table.data in <main> without JavaScript');
  if (requireTable && s.rows === 0) problems.push('the tables have no rows without JavaScript');
  if (s.hiddenRows) problems.push(`${s.hiddenRows} of ${s.rows} table rows are hidden without JavaScript`);
  if (s.tools) problems.push('.table-tools is in the page without JavaScript (the script should insert it: controls that do nothing)');
  return page;
}

// ---- main ---------------------------------------------------------------

function summary(started, shotDir) {
  const failed = results.filter((r) => r.problems.length > 0);
  const shots = fs.existsSync(shotDir) ? fs.readdirSync(shotDir).filter((f) => f.endsWith('.png')).sort() : [];
  console.log(`browser: ${shots.length} screenshots in ${shotDir}: ${shots.join(' ')}`);
  console.log(`browser: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`browser: ${results.length - failed.length} passed, ${failed.length} failed`);
  return failed.length ? 1 : 0;
}

async function main(argv) {
  if (argv.length !== 2 || argv.some((a) => a.startsWith('-'))) {
    console.error(USAGE);
    return 2;
  }
  const [outArg, shotDir] = argv;
  let root;
  try {
    root = fs.realpathSync(outArg);
    if (!fs.statSync(root).isDirectory()) throw new Error('not a folder');
  } catch (e) {
    console.error(`browser: ${outArg}: ${e.code === 'ENOENT' ? 'no such folder' : e.message}`);
    return 2;
  }
  const chromiumPath = env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(chromiumPath)) {
    console.log(`browser: FAIL: ${chromiumPath} not found. Install Debian's chromium ('make site-deps', or apt-get install -y chromium); never a downloaded browser.`);
    return 1;
  }
  const { pages, problems: choiceProblems } = choosePages(root);
  if (choiceProblems.length) {
    for (const p of choiceProblems) console.log(`browser: FAIL: ${outArg}: ${p}`);
    return 1;
  }
  fs.mkdirSync(shotDir, { recursive: true });
  for (const f of fs.readdirSync(shotDir)) if (f.endsWith('.png')) fs.rmSync(path.join(shotDir, f));
  const shot = (page, name) => page.screenshot({ path: path.join(shotDir, name), fullPage: true });

  const { chromium } = await import('playwright-core');
  const started = Date.now();
  let server = null;
  let browser = null;
  try {
    server = await startServer(root);
    const origin = `http://127.0.0.1:${server.address().port}/`;
    const fileOrigin = pathToFileURL(root).href + '/';
    console.log(`browser: serving ${outArg} at ${origin}; screenshots in ${shotDir}`);
    // playwright's launch() starts Chromium on a new temporary profile
    // (user-data-dir) and deletes it on close.
    await check('launch Chromium', async (problems, notes) => {
      browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true, timeout: 30000 });
      notes.push(`Chromium ${browser.version()}`);
    });
    if (!browser) return summary(started, shotDir);
    liveness = livenessProbe(browser);

    let desktop = null;
    let phone = null;
    let noScript = null;
    let fromFile = null;
    await check('open a page for each variant', async () => {
      desktop = await newTab(browser, DESKTOP, origin);
      phone = await newTab(browser, PHONE, origin);
      noScript = await newTab(browser, { ...DESKTOP, javaScriptEnabled: false }, origin);
      fromFile = await newTab(browser, DESKTOP, fileOrigin, { fence: false });
    });
    if (!fromFile) return summary(started, shotDir);

    const roles = [['dashboard', pages.dashboard], ['entity', pages.entity], ['team', pages.team], ['campaign', pages.campaign]];
    let lightBackground = null;
    for (const [role, rel] of roles) {
      await check(`desktop ${role} ${rel}`, async (problems) => {
        const page = await open(desktop, origin + rel, problems);
        await checkStructure(page, problems);
        if (role === 'dashboard') lightBackground = await evaluate(page, () => getComputedStyle(document.body).backgroundColor);
        await shot(page, `${role}-desktop.png`);
      });
    }
    for (const [role, rel] of roles) {
      await check(`phone ${role} ${rel}`, async (problems, notes) => {
        const page = await open(phone, origin + rel, problems);
        const width = await evaluate(page, () => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
        if (width.scroll > width.inner + 1) notes.push(`the page is ${width.scroll} px wide on a ${width.inner} px screen (it scrolls sideways)`);
        await shot(page, `${role}-phone.png`);
      });
    }
    await check(`dark dashboard ${pages.dashboard}`, async (problems, notes) => {
      await bounded(desktop.page.emulateMedia({ colorScheme: 'dark' }), 'emulateMedia');
      try {
        const page = await open(desktop, origin + pages.dashboard, problems);
        const dark = await evaluate(page, () => getComputedStyle(document.body).backgroundColor);
        if (lightBackground !== null && dark === lightBackground) notes.push(`the background is ${dark} in dark mode too`);
        await shot(page, 'dashboard-dark.png');
      } finally {
        await bounded(desktop.page.emulateMedia({ colorScheme: 'light' }), 'emulateMedia');
      }
    });
    await check(`print ${pages.print}`, async (problems) => {
      await bounded(desktop.page.emulateMedia({ media: 'print' }), 'emulateMedia');
      try {
        const page = await open(desktop, origin + pages.print, problems);
        await shot(page, 'print.png');
      } finally {
        await bounded(desktop.page.emulateMedia({ media: null }), 'emulateMedia');
      }
    });
    // Trend charts are drawn at build time: a line on the dashboard and a
    // burn-up on the campaign page, visible (a path with a length), in
    // light, dark and print (the site test records earlier days first).
    await check(`trend charts ${pages.dashboard} ${pages.campaign}`, async (problems) => {
      const charts = [[pages.dashboard, 'figure.chart-line svg .chart-path'],
        [pages.campaign, 'figure.chart-burnup svg .chart-path']];
      for (const [rel, selector] of charts) {
        const page = await open(desktop, origin + rel, problems);
        const found = await evaluate(page, (sel) => {
          const p = document.querySelector(sel);
          if (!p) return null;
          const box = p.getBoundingClientRect();
          return { d: p.getAttribute('d') || '', width: box.width, height: box.height,
            title: p.closest('svg').querySelector('title')?.textContent || '' };
        }, selector);
        if (!found) problems.push(`${rel}: no chart (${selector})`);
        else if (!found.d.startsWith('M') || found.width < 20) problems.push(`${rel}: the chart's line is not drawn (d="${found.d.slice(0, 40)}", ${found.width} px wide)`);
        else if (!found.title) problems.push(`${rel}: the chart has no <title>`);
      }
      await bounded(desktop.page.emulateMedia({ colorScheme: 'dark' }), 'emulateMedia');
      try {
        await shot(await open(desktop, origin + pages.campaign, problems), 'chart-dark.png');
      } finally {
        await bounded(desktop.page.emulateMedia({ colorScheme: 'light' }), 'emulateMedia');
      }
      await shot(await open(desktop, origin + pages.campaign, problems), 'chart-light.png');
      await shot(await open(phone, origin + pages.campaign, problems), 'chart-phone.png');
      await bounded(desktop.page.emulateMedia({ media: 'print' }), 'emulateMedia');
      try {
        await shot(await open(desktop, origin + pages.campaign, problems), 'chart-print.png');
      } finally {
        await bounded(desktop.page.emulateMedia({ media: null }), 'emulateMedia');
      }
    });
    let secondPage = null;
    await check(`pagination ${pages.paginated}`, async (problems, notes) => {
      // The entities index lists every entity page, over all its pages.
      const expectRows = pages.paginated === 'entities/index.html'
        ? entityPages(root).length : null;
      secondPage = await checkPagination(noScript, origin + pages.paginated, problems, notes, expectRows);
    });
    if (secondPage) {
      await check(`filter and sort on page 2 ${secondPage.slice(origin.length)}`, async (problems, notes) => {
        await checkFilter(desktop, secondPage, problems, notes, shotDir);
      });
    }
    await check(`filter and sort ${pages.filter}`, async (problems, notes) => {
      await checkFilter(desktop, origin + pages.filter, problems, notes, shotDir);
    });
    for (const rel of [...new Set([pages.filter, pages.dashboard, pages.entity, pages.team, pages.campaign])]) {
      await check(`no JavaScript ${rel}`, async (problems) => {
        const page = await checkNoScript(noScript, origin + rel, problems, { requireTable: rel === pages.filter });
        if (rel === pages.filter) await shot(page, 'filter-nojs.png');
      });
    }
    for (const rel of [...new Set([pages.dashboard, pages.filter])]) {
      await check(`file:// ${rel}`, async (problems) => {
        const page = await open(fromFile, fileOrigin + rel.split('/').map(encodeURIComponent).join('/'), problems);
        await checkStructure(page, problems);
        if (rel === pages.filter) {
          await page.waitForSelector('.table-tools input.table-filter', { timeout: SETTLE_TIMEOUT, state: 'attached' })
            .catch(() => problems.push('the table tools did not appear: the script does not run from file://'));
        }
      });
    }
  } finally {
    running = 'closing the browser';
    if (browser) {
      let timer;
      const giveUp = new Promise((resolve) => { timer = setTimeout(resolve, 10000); });
      await Promise.race([browser.close().catch(() => {}), giveUp]);
      clearTimeout(timer);
    }
    await stopServer(server);
  }
  return summary(started, shotDir);
}

// The last line of defence against a hung browser: fail the run, which also
// makes playwright kill Chromium (it does so on process exit).
const watchdog = setTimeout(() => {
  console.log(`FAIL ${running}: still running after ${TOTAL_TIMEOUT / 1000} s (SITE_TEST_TIMEOUT); giving up`);
  console.log(`browser: ${results.filter((r) => !r.problems.length).length} passed, ${results.filter((r) => r.problems.length).length + 1} failed`);
  process.exit(1);
}, TOTAL_TIMEOUT);
watchdog.unref();

// process.exit, not exitCode: a browser that stopped answering leaves
// playwright's pending calls behind, which would keep Node waiting. Exiting
// makes playwright kill Chromium.
main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  console.log(`browser: FAIL: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
