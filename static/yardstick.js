/* yardstick default theme: filtering, sorting and copy buttons.
 * Progressive enhancement only: every page works without this file.
 * No dependencies, no inline handlers; works from file://.
 *
 * Tables: <table class="data" data-filter [data-failing-filter]> get a
 * <div class="table-tools"> (text filter, "Failing only" checkbox when
 * data-failing-filter is set, "N of M" count) inserted before the table or
 * its .table-wrap, and a <button class="sort"> in every thead th.
 * Failing rows carry the attribute data-failing, or sit in a tbody that
 * carries it (a section that holds only failing rows marks its tbody once).
 * A cell sorts by its data-sort="…" when it has one; else by the text of
 * the score in it (<span class="score">, so a cell with a level, a score
 * and a note sorts by the score); else by the level in it (<span
 * class="level lvl-N">: N); a cell marked "not in scope" (.na) sorts with
 * the empty ones, last; any other cell by its text.
 */
(function () {
  'use strict';

  var EMPTY = /^(?:|–|—|-|n\/a)$/i;

  function rowsOf(table) {
    var rows = [];
    for (var b = 0; b < table.tBodies.length; b++) {
      var r = table.tBodies[b].rows;
      for (var i = 0; i < r.length; i++) rows.push(r[i]);
    }
    return rows;
  }

  function isFailing(row) {
    return row.hasAttribute('data-failing') ||
      (row.parentNode !== null && row.parentNode.hasAttribute('data-failing'));
  }

  /* ---------- filtering ---------- */

  function setupFilter(table, index) {
    var anchor = table.parentElement && table.parentElement.classList.contains('table-wrap')
      ? table.parentElement : table;
    var tools = document.createElement('div');
    tools.className = 'table-tools';

    var input = document.createElement('input');
    input.type = 'search';
    input.className = 'table-filter';
    input.setAttribute('aria-label', 'Filter rows');
    input.placeholder = 'Filter…';
    input.autocomplete = 'off';
    tools.appendChild(input);

    var failing = null;
    if (table.hasAttribute('data-failing-filter')) {
      var label = document.createElement('label');
      failing = document.createElement('input');
      failing.type = 'checkbox';
      failing.className = 'failing-only';
      label.appendChild(failing);
      label.appendChild(document.createTextNode(' Failing only'));
      tools.appendChild(label);
    }

    var count = document.createElement('span');
    count.className = 'table-count';
    count.setAttribute('aria-live', 'polite');
    tools.appendChild(count);

    anchor.parentNode.insertBefore(tools, anchor);

    var rows = rowsOf(table);
    var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });

    function apply() {
      var q = input.value.trim().toLowerCase();
      var onlyFailing = failing !== null && failing.checked;
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var ok = (!q || texts[i].indexOf(q) !== -1) &&
                 (!onlyFailing || isFailing(rows[i]));
        if (ok) { rows[i].hidden = false; shown++; } else { rows[i].hidden = true; }
      }
      count.textContent = shown + ' of ' + rows.length;
    }
    input.addEventListener('input', apply);
    if (failing) failing.addEventListener('change', apply);
    apply();
    return index;
  }

  /* ---------- sorting ---------- */

  function cellValue(row, col) {
    var cell = row.cells[col];
    if (!cell) return '';
    if (cell.hasAttribute('data-sort')) return cell.getAttribute('data-sort').trim();
    var part = cell.querySelector('.score');
    if (part) return part.textContent.trim();
    part = cell.querySelector('.level');
    var level = part ? /(?:^|\s)lvl-(\d+)(?:\s|$)/.exec(part.className) : null;
    if (level) return level[1];
    if (cell.querySelector('.na')) return '';
    return cell.textContent.trim();
  }

  function asNumber(s) {
    var t = s.replace(/[%\s\u00a0]/g, '').replace(/^\u2212/, '-');
    if (t === '' || !/^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i.test(t)) return NaN;
    return parseFloat(t);
  }

  function sortTable(table, col, th) {
    var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
    var heads = table.tHead.rows[0].cells;
    for (var h = 0; h < heads.length; h++) heads[h].removeAttribute('aria-sort');
    th.setAttribute('aria-sort', dir);
    var sign = dir === 'ascending' ? 1 : -1;

    for (var b = 0; b < table.tBodies.length; b++) {
      var body = table.tBodies[b];
      var rows = Array.prototype.slice.call(body.rows);
      var vals = rows.map(function (r) { return cellValue(r, col); });
      var numeric = vals.some(function (v) { return !EMPTY.test(v); }) &&
        vals.every(function (v) { return EMPTY.test(v) || !isNaN(asNumber(v)); });
      var items = rows.map(function (r, i) {
        var v = vals[i];
        return { row: r, i: i, empty: EMPTY.test(v), key: numeric ? asNumber(v) : v };
      });
      items.sort(function (a, c) {
        if (a.empty !== c.empty) return a.empty ? 1 : -1; /* empty cells last, either way */
        var d = 0;
        if (!a.empty) {
          d = numeric ? a.key - c.key
            : a.key.localeCompare(c.key, undefined, { numeric: true, sensitivity: 'base' });
        }
        return d !== 0 ? d * sign : a.i - c.i;
      });
      var frag = document.createDocumentFragment();
      items.forEach(function (it) { frag.appendChild(it.row); });
      body.appendChild(frag);
    }
  }

  function setupSort(table) {
    if (!table.tHead || !table.tHead.rows.length) return;
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      if (th.querySelector('button.sort')) return;
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () { sortTable(table, col, th); });
    });
  }

  /* ---------- copy buttons for snippets and messages ---------- */

  function copyText(text, done) {
    function fallback() {
      var ta = document.createElement('textarea');
      ta.value = text;
      ta.setAttribute('readonly', '');
      ta.className = 'copy-buffer';
      document.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      document.body.removeChild(ta);
      done(ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }

  function setupCopy(pre) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy';
    button.textContent = 'Copy';
    var status = document.createElement('span');
    status.className = 'copy-status';
    status.setAttribute('aria-live', 'polite');
    var bar = document.createElement('div');
    bar.className = 'copy-bar';
    bar.appendChild(button);
    bar.appendChild(status);
    pre.parentNode.insertBefore(bar, pre.nextSibling);
    var timer = 0;
    button.addEventListener('click', function () {
      copyText(pre.textContent, function (ok) {
        status.textContent = ok ? 'Copied' : 'Select the text and copy it';
        clearTimeout(timer);
        timer = setTimeout(function () { status.textContent = ''; }, 2500);
      });
    });
  }

  function init() {
    var tables = document.querySelectorAll('table.data[data-filter]');
    for (var i = 0; i < tables.length; i++) {
      if (rowsOf(tables[i]).length === 0) continue; /* an empty table is hidden by the stylesheet */
      setupFilter(tables[i], i);
      setupSort(tables[i]);
    }
    var pres = document.querySelectorAll('pre.copyable');
    for (var j = 0; j < pres.length; j++) setupCopy(pres[j]);
    document.documentElement.classList.add('js');
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
