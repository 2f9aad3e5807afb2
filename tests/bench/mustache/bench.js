// mustache.js on the same page as bench_mustache.c: the flat variant of the
// page (mustache.js has no inheritance), the same partials and data.
//   node bench.js ITERATIONS OUT.html
// Prints one line: "mustache.js: N renders, X us/render, Y MB/s".
'use strict';
const fs = require('fs');
const path = require('path');
const Mustache = require('mustache');
// Escape exactly what yardstick escapes (mustache.js also escapes / ` =),
// so both produce the same bytes.
const entities = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
Mustache.escape = (s) => String(s).replace(/[&<>"']/g, (c) => entities[c]);

const here = __dirname;
const iterations = Number(process.argv[2] || 2000);
const read = (file) => fs.readFileSync(path.join(here, file), 'utf8');
const page = read('flat/page.mustache');
const partials = { nav: read('templates/nav.mustache'), row: read('templates/row.mustache') };
const data = JSON.parse(read('data.json'));
// mustache.js caches parsed templates, so this is render time, as for ours.
let out = Mustache.render(page, data, partials);
for (let i = 0; i < 200; i++) out = Mustache.render(page, data, partials); // warm up the JIT
const start = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) out = Mustache.render(page, data, partials);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const bytes = Buffer.byteLength(out);
if (process.argv[3]) fs.writeFileSync(process.argv[3], out);
console.log(`mustache.js: ${iterations} renders, ${(seconds / iterations * 1e6).toFixed(1)} us/render, ` +
            `${(bytes * iterations / seconds / 1e6).toFixed(1)} MB/s`);
