/**
 * The report page's only script, as source text inlined into the page: selecting a row of the
 * diagram (click, or the keyboard: ↑/↓ or ←/→ step, Home/End jump) shows that moment's state
 * panel and the row's position.
 *
 * Owns: `REPORT_SCRIPT`. It reads one JSON block (`#detnet-data`: the rendered panels and the
 * panel of each row) and touches only the elements report.ts writes; no network, no storage.
 * Written as plain ES2020 text so the report needs no bundler and stays one file.
 */

/** The inline script of a `detnet html` report. */
export const REPORT_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('detnet-data').textContent);
  var rows = Array.prototype.slice.call(document.querySelectorAll('svg.diagram .ev'));
  var panel = document.getElementById('state');
  var where = document.getElementById('where');
  var current = -1;
  function select(i, focus) {
    if (rows.length === 0) return;
    i = Math.max(0, Math.min(rows.length - 1, i));
    if (current >= 0) { rows[current].classList.remove('selected'); rows[current].setAttribute('tabindex', '-1'); }
    current = i;
    var row = rows[i];
    row.classList.add('selected');
    row.setAttribute('tabindex', '0');
    panel.innerHTML = data.panels[data.rowPanel[i]];
    where.textContent = 'event ' + (i + 1) + ' of ' + rows.length;
    if (focus) { row.focus({ preventScroll: true }); }
    if (row.scrollIntoView) row.scrollIntoView({ block: 'nearest' });
  }
  rows.forEach(function (row, i) { row.addEventListener('click', function () { select(i, true); }); });
  document.addEventListener('keydown', function (ev) {
    var step = { ArrowDown: 1, ArrowRight: 1, j: 1, ArrowUp: -1, ArrowLeft: -1, k: -1 }[ev.key];
    if (step !== undefined) { select(current + step, true); ev.preventDefault(); }
    else if (ev.key === 'Home') { select(0, true); ev.preventDefault(); }
    else if (ev.key === 'End') { select(rows.length - 1, true); ev.preventDefault(); }
  });
  select(data.initial, false);
})();
`;
