#!/usr/bin/env node
// check-links.mjs OUTDIR: the static checks on a built site that need no browser.
//
// For every .html file under OUTDIR: every local href/src/srcset/... resolves
// to a file inside OUTDIR, fragments (#id) exist in the page they point into,
// no URL uses a scheme other than http, https or mailto (no javascript:,
// data:, file:, protocol-relative or root-relative links: the site must work
// from any folder and from file://), and the page has exactly one <h1> and one
// <main>. Every .svg parses as a small XML document with an <svg> root (the
// README badges under badges/ above all). Every url() in a .css file resolves.
//
// The HTML is machine-generated, so a small scanner is enough: it knows
// comments, doctypes, raw-text elements (script, style, textarea, title) and
// quoted or bare attribute values, and nothing more.
//
// Prints each problem as `file: message`, a summary line, and exits 1 when
// there is any problem (2 for a bad command line).

import fs from 'node:fs';
import path from 'node:path';

const USAGE = 'usage: node check-links.mjs OUTDIR';

// Attributes holding one URL, on any element; `data` only on <object>.
const URL_ATTRIBUTES = new Set(['href', 'src', 'poster', 'action', 'formaction', 'xlink:href', 'cite', 'background']);
const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'textarea', 'title', 'xmp']);
const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);

const NAMED_ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(value) {
  return value.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);/g, (whole, body) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return Object.prototype.hasOwnProperty.call(NAMED_ENTITIES, body) ? NAMED_ENTITIES[body] : whole;
  });
}

// Line numbers from offsets, by binary search over the newline positions.
function lineIndex(text) {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

const isSpace = (c) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';

// Reads the attributes of a start tag beginning after its name at `i`.
// Returns { attrs: [{name, value, offset}], end, selfClosing }.
function readAttributes(text, i) {
  const attrs = [];
  const n = text.length;
  let selfClosing = false;
  while (i < n) {
    while (i < n && (isSpace(text[i]) || text[i] === '/')) {
      selfClosing = text[i] === '/';
      i++;
    }
    if (i >= n) break;
    if (text[i] === '>') return { attrs, end: i + 1, selfClosing };
    selfClosing = false;
    const start = i;
    while (i < n && !isSpace(text[i]) && text[i] !== '>' && text[i] !== '/' && text[i] !== '=') i++;
    if (i === start) i++; // a stray '=' or quote: step over it
    const name = text.slice(start, i).toLowerCase();
    let j = i;
    while (j < n && isSpace(text[j])) j++;
    let value = null;
    if (text[j] === '=') {
      j++;
      while (j < n && isSpace(text[j])) j++;
      const quote = text[j];
      if (quote === '"' || quote === "'") {
        const close = text.indexOf(quote, j + 1);
        const stop = close < 0 ? n : close;
        value = text.slice(j + 1, stop);
        i = stop + 1;
      } else {
        let k = j;
        while (k < n && !isSpace(text[k]) && text[k] !== '>') k++;
        value = text.slice(j, k);
        i = k;
      }
    }
    attrs.push({ name, value: value === null ? null : decodeEntities(value), offset: start });
  }
  return { attrs, end: n, selfClosing };
}

// The start tags of an HTML document: [{name, attrs, offset}].
function scanHtml(text) {
  const tags = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4);
      i = close < 0 ? n : close + 3;
      continue;
    }
    const next = text[lt + 1];
    if (next === '!' || next === '?' || next === '/') {
      const close = text.indexOf('>', lt + 2);
      i = close < 0 ? n : close + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(next || '')) {
      i = lt + 1;
      continue;
    }
    let k = lt + 1;
    while (k < n && !isSpace(text[k]) && text[k] !== '>' && text[k] !== '/') k++;
    const name = text.slice(lt + 1, k).toLowerCase();
    const { attrs, end } = readAttributes(text, k);
    tags.push({ name, attrs, offset: lt });
    i = end;
    if (RAW_TEXT_ELEMENTS.has(name)) {
      const close = text.toLowerCase().indexOf('</' + name, i);
      i = close < 0 ? n : close;
    }
  }
  return tags;
}

// A small XML well-formedness check, enough for generated SVG: one root
// <svg> element with the SVG namespace, start and end tags balanced,
// attributes quoted and not repeated, '&' only in entity references.
function checkSvg(text) {
  const problems = [];
  const at = lineIndex(text);
  let s = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  const stack = [];
  let root = null;
  let rootClosed = false;
  const badAmp = /&(?!(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_][\w.-]*);)/;
  let i = s;
  while (i < n) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt < 0 ? n : lt);
    if (chunk.trim() !== '') {
      if (!root || rootClosed) problems.push(`line ${at(i)}: text outside the <svg> element`);
      else if (badAmp.test(chunk)) problems.push(`line ${at(i)}: a bare '&' in text (write &amp;)`);
    }
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4);
      if (close < 0) { problems.push(`line ${at(lt)}: unterminated comment`); break; }
      i = close + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const close = text.indexOf(']]>', lt);
      if (close < 0) { problems.push(`line ${at(lt)}: unterminated CDATA section`); break; }
      i = close + 3;
      continue;
    }
    if (text.startsWith('<?', lt) || text.startsWith('<!', lt)) {
      if (root) problems.push(`line ${at(lt)}: declaration after the root element started`);
      const close = text.indexOf('>', lt);
      if (close < 0) { problems.push(`line ${at(lt)}: unterminated declaration`); break; }
      i = close + 1;
      continue;
    }
    if (text[lt + 1] === '/') {
      const close = text.indexOf('>', lt);
      if (close < 0) { problems.push(`line ${at(lt)}: unterminated end tag`); break; }
      const name = text.slice(lt + 2, close).trim();
      const open = stack.pop();
      if (open === undefined) problems.push(`line ${at(lt)}: </${name}> closes nothing`);
      else if (open !== name) { problems.push(`line ${at(lt)}: </${name}> closes <${open}>`); break; }
      if (stack.length === 0 && open !== undefined) rootClosed = true;
      i = close + 1;
      continue;
    }
    let k = lt + 1;
    while (k < n && !isSpace(text[k]) && text[k] !== '>' && text[k] !== '/') k++;
    const name = text.slice(lt + 1, k);
    if (!/^[A-Za-z_][\w.:-]*$/.test(name)) { problems.push(`line ${at(lt)}: a bare '<' or a bad element name`); break; }
    if (rootClosed) problems.push(`line ${at(lt)}: <${name}> after the root element ended`);
    const close = text.indexOf('>', k);
    if (close < 0) { problems.push(`line ${at(lt)}: unterminated <${name}> tag`); break; }
    let inner = text.slice(k, close);
    const selfClosing = inner.endsWith('/');
    if (selfClosing) inner = inner.slice(0, -1);
    const seen = new Set();
    const attrRe = /\s*([^\s=]+)\s*=\s*("[^"]*"|'[^']*')|\s*(\S+)/gy;
    let m;
    let xmlns = null;
    while ((m = attrRe.exec(inner)) && m[0] !== '') {
      if (m[3] !== undefined) {
        if (m[3].trim() !== '') problems.push(`line ${at(lt)}: <${name}>: attribute '${m[3]}' without a quoted value`);
        continue;
      }
      if (seen.has(m[1])) problems.push(`line ${at(lt)}: <${name}>: attribute '${m[1]}' repeated`);
      seen.add(m[1]);
      if (m[2].includes('<')) problems.push(`line ${at(lt)}: <${name}>: '<' in the value of '${m[1]}'`);
      if (badAmp.test(m[2])) problems.push(`line ${at(lt)}: <${name}>: a bare '&' in the value of '${m[1]}'`);
      if (m[1] === 'xmlns') xmlns = m[2].slice(1, -1);
    }
    if (!root) {
      root = name;
      if (name !== 'svg') problems.push(`line ${at(lt)}: the root element is <${name}>, not <svg>`);
      else if (xmlns !== 'http://www.w3.org/2000/svg') problems.push(`line ${at(lt)}: <svg> lacks xmlns="http://www.w3.org/2000/svg" (browsers will not show it as an image)`);
    }
    if (selfClosing) {
      if (stack.length === 0) rootClosed = true;
    } else stack.push(name);
    i = close + 1;
  }
  if (!root) problems.push('no <svg> element');
  else if (stack.length > 0) problems.push(`end of file with <${stack.join('>, <')}> still open`);
  return problems;
}

// Every file and folder under `root`, as '/'-separated paths relative to it.
function walk(root) {
  const files = new Set();
  const dirs = new Set(['']);
  const symlinks = [];
  const pending = [''];
  while (pending.length > 0) {
    const rel = pending.pop();
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel === '' ? entry.name : rel + '/' + entry.name;
      if (entry.isSymbolicLink()) {
        symlinks.push(child);
        let stat = null;
        try { stat = fs.statSync(path.join(root, child)); } catch { /* dangling */ }
        if (stat && stat.isFile()) files.add(child);
        else if (stat && stat.isDirectory()) dirs.add(child);
      } else if (entry.isDirectory()) {
        dirs.add(child);
        pending.push(child);
      } else if (entry.isFile()) files.add(child);
    }
  }
  return { files, dirs, symlinks };
}

// Splits a URL into scheme (lower case, or null), path, query and fragment.
// Browsers drop tabs and newlines anywhere in a URL and spaces at its ends,
// so "java\tscript:" counts as javascript:.
function splitUrl(raw) {
  const url = raw.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
  const hash = url.indexOf('#');
  const beforeHash = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? null : url.slice(hash + 1);
  const q = beforeHash.indexOf('?');
  return {
    url,
    scheme: scheme ? scheme[1].toLowerCase() : null,
    path: q < 0 ? beforeHash : beforeHash.slice(0, q),
    fragment,
  };
}

function decodePath(p) {
  try {
    return decodeURIComponent(p);
  } catch {
    return null;
  }
}

function main(argv) {
  if (argv.length !== 1 || argv[0].startsWith('-')) {
    console.error(USAGE);
    return 2;
  }
  const outArg = argv[0];
  let outReal;
  try {
    outReal = fs.realpathSync(outArg);
    if (!fs.statSync(outReal).isDirectory()) throw new Error('not a folder');
  } catch (e) {
    console.error(`check-links: ${outArg}: ${e.code === 'ENOENT' ? 'no such folder' : e.message}`);
    return 2;
  }
  const { files, dirs, symlinks } = walk(outReal);
  const shown = (rel) => path.join(outArg, rel);
  let problemCount = 0;
  const problem = (rel, message) => {
    problemCount++;
    console.log(`${shown(rel)}: ${message}`);
  };

  for (const link of symlinks) {
    let target = null;
    try { target = fs.realpathSync(path.join(outReal, link)); } catch { /* dangling */ }
    if (target === null) problem(link, 'dangling symbolic link');
    else if (target !== outReal && !target.startsWith(outReal + path.sep)) problem(link, `symbolic link to ${target}, outside the output folder`);
  }

  const pages = [...files].filter((f) => f.endsWith('.html')).sort();
  if (pages.length === 0) problem('', 'no .html file at all: is this a built site?');
  else if (!files.has('index.html')) problem('index.html', 'missing: the site has no dashboard');

  // Pass 1: read every page once; keep its ids and its URLs.
  const ids = new Map();
  const refs = [];
  let linkCount = 0;
  for (const page of pages) {
    const text = fs.readFileSync(path.join(outReal, page), 'utf8');
    const at = lineIndex(text);
    const tags = scanHtml(text);
    const pageIds = new Set();
    let h1 = 0;
    let mainCount = 0;
    for (const tag of tags) {
      if (tag.name === 'h1') h1++;
      if (tag.name === 'main') mainCount++;
      if (tag.name === 'base') problem(page, `line ${at(tag.offset)}: <base> changes how every relative link resolves; the site must not use it`);
      for (const attr of tag.attrs) {
        if (attr.name === 'id' && attr.value) pageIds.add(attr.value);
        if (attr.name === 'name' && tag.name === 'a' && attr.value) pageIds.add(attr.value);
        const isUrl = URL_ATTRIBUTES.has(attr.name) || (attr.name === 'data' && tag.name === 'object');
        if (isUrl) {
          refs.push({ page, line: at(attr.offset), tag: tag.name, attr: attr.name, value: attr.value ?? '' });
        } else if (attr.name === 'srcset' && attr.value !== null) {
          for (const candidate of attr.value.split(',')) {
            const u = candidate.trim().split(/\s+/)[0];
            if (u) refs.push({ page, line: at(attr.offset), tag: tag.name, attr: 'srcset', value: u });
          }
        }
      }
    }
    ids.set(page, pageIds);
    if (h1 !== 1) problem(page, `${h1} <h1> elements (want exactly one)`);
    if (mainCount !== 1) problem(page, `${mainCount} <main> elements (want exactly one)`);
  }

  // Resolves a local URL found in `from`; reports and returns null on failure.
  const resolveLocal = (from, where, p) => {
    const decoded = decodePath(p);
    if (decoded === null) { problem(from, `${where}: bad percent-encoding`); return null; }
    if (decoded.includes('\\')) { problem(from, `${where}: a backslash in a path`); return null; }
    if (decoded.includes('\0')) { problem(from, `${where}: a NUL in a path`); return null; }
    const dir = path.posix.dirname(from);
    const joined = path.posix.normalize(path.posix.join(dir === '.' ? '' : dir, decoded));
    if (joined === '..' || joined.startsWith('../') || path.posix.isAbsolute(joined)) {
      problem(from, `${where}: leaves the output folder`);
      return null;
    }
    const target = joined === '.' ? '' : joined.replace(/\/$/, '');
    if (dirs.has(target)) {
      problem(from, `${where}: points to a folder; link to a file (${target === '' ? '' : target + '/'}index.html) so the site works from file://`);
      return null;
    }
    if (!files.has(target)) {
      problem(from, `${where}: ${target} does not exist`);
      return null;
    }
    return target;
  };

  // Pass 2: check every URL.
  for (const ref of refs) {
    linkCount++;
    const where = `line ${ref.line}: <${ref.tag} ${ref.attr}="${ref.value}">`;
    const u = splitUrl(ref.value);
    if (u.url === '') {
      problem(ref.page, `${where}: empty URL`);
      continue;
    }
    if (u.scheme !== null) {
      if (!ALLOWED_SCHEMES.has(u.scheme)) problem(ref.page, `${where}: scheme '${u.scheme}:' is not allowed (only http, https, mailto)`);
      continue;
    }
    if (u.url.startsWith('//')) {
      problem(ref.page, `${where}: protocol-relative URL; write http: or https:, or a relative link`);
      continue;
    }
    if (u.url.startsWith('/')) {
      problem(ref.page, `${where}: root-relative URL; links must be relative to the page so the site works from any folder`);
      continue;
    }
    if (/\s/.test(u.url)) {
      problem(ref.page, `${where}: unencoded white space in a URL`);
      continue;
    }
    let target = ref.page;
    if (u.path !== '') {
      target = resolveLocal(ref.page, where, u.path);
      if (target === null) continue;
    }
    if (u.fragment === null || u.fragment === '') continue;
    if (!target.endsWith('.html')) continue;
    const targetIds = ids.get(target);
    const decoded = decodePath(u.fragment);
    const found = targetIds.has(u.fragment) || (decoded !== null && targetIds.has(decoded)) || u.fragment.toLowerCase() === 'top';
    if (!found) problem(ref.page, `${where}: no id="${decoded ?? u.fragment}" in ${target}`);
  }

  // SVG files: README badges above all.
  const svgs = [...files].filter((f) => f.endsWith('.svg')).sort();
  for (const svg of svgs) {
    for (const message of checkSvg(fs.readFileSync(path.join(outReal, svg), 'utf8'))) problem(svg, message);
  }

  // Stylesheets: url(...) and @import point at files that exist.
  const sheets = [...files].filter((f) => f.endsWith('.css')).sort();
  for (const sheet of sheets) {
    const text = fs.readFileSync(path.join(outReal, sheet), 'utf8').replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
    const at = lineIndex(text);
    const re = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')/g;
    let m;
    while ((m = re.exec(text))) {
      const value = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? '';
      linkCount++;
      const where = `line ${at(m.index)}: url(${value})`;
      const u = splitUrl(value);
      if (u.scheme === 'data') continue;
      if (u.scheme !== null || u.url.startsWith('//')) {
        problem(sheet, `${where}: a stylesheet must not load anything from another host`);
        continue;
      }
      if (u.url.startsWith('/')) {
        problem(sheet, `${where}: root-relative URL; use a relative one`);
        continue;
      }
      if (u.path !== '') resolveLocal(sheet, where, u.path);
    }
  }

  const badges = svgs.filter((f) => f.startsWith('badges/')).length;
  console.log(`check-links: ${pages.length} pages, ${linkCount} URLs, ${svgs.length} SVG files (${badges} badges), ${sheets.length} stylesheets: ${problemCount === 0 ? 'no problems' : problemCount + ' problem' + (problemCount === 1 ? '' : 's')}`);
  return problemCount === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
