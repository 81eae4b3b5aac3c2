// The page's inline script: search, selection from the URL fragment, and the lineage view it drives.
import { LINEAGE_VIEW_SCRIPT } from './lineage-view-script.ts';

/**
 * The page's only script, inlined: search filters the list (and dims graph nodes) by name, description, owner,
 * tags, columns and SQL; the URL fragment selects a metric or source (`#metric-name`), and selecting one
 * highlights it in the list, focuses its lineage in the graph and pans it into view. Without it the page still
 * works: every link is a fragment, CSS `:target` shows the detail and the graph scrolls.
 */
export const PAGE_SCRIPT: string = `(function () {
  'use strict';
  document.documentElement.classList.add('js');
${LINEAGE_VIEW_SCRIPT}
  var all = function (selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); };
  var search = document.getElementById('search');
  var count = document.getElementById('search-count');
  var noMatch = document.getElementById('no-match');
  var items = all('.items .item');
  var nodes = all('svg.lineage .node');
  var edges = all('svg.lineage .edge');
  var details = all('.detail');
  var keyOf = function (el) { return el.getAttribute('data-kind') + ':' + el.getAttribute('data-name'); };
  // What search looks in: the item's own words, and a metric's SQL, read once from its detail (not repeated in the file).
  var haystack = items.map(function (li) {
    var detail = document.getElementById(li.getAttribute('data-kind') + '-' + li.getAttribute('data-name'));
    var sql = detail && detail.querySelector('pre.sql');
    return (li.getAttribute('data-search') || '') + (sql ? ' ' + sql.textContent.toLowerCase().replace(/\\s+/g, ' ') : '');
  });

  function filter() {
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = {};
    var n = 0;
    items.forEach(function (li, i) {
      var text = haystack[i];
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      li.hidden = !match;
      if (match) { shown[keyOf(li)] = true; n++; }
    });
    all('.items').forEach(function (list) {
      var heading = list.previousElementSibling;
      if (heading) heading.hidden = list.querySelector('.item:not([hidden])') === null;
    });
    nodes.forEach(function (node) { node.classList.toggle('dim', words.length > 0 && !shown[keyOf(node)]); });
    count.textContent = words.length ? n + ' of ' + items.length + ' shown' : '';
    noMatch.hidden = n > 0;
  }

  /** Selects the detail with this id (else the first); how: { scroll: the detail into view, frame: zoom to its lineage }. */
  function select(id, how) {
    var target = id ? document.getElementById(id) : null;
    if (!target || !target.classList.contains('detail')) target = details[0] || null;
    if (!target) return;
    var key = keyOf(target);
    var name = target.getAttribute('data-name');
    details.forEach(function (d) { d.classList.toggle('selected', d === target); });
    items.forEach(function (li) { li.classList.toggle('selected', keyOf(li) === key); });
    nodes.forEach(function (node) { node.classList.toggle('selected', keyOf(node) === key); });
    edges.forEach(function (e) { e.classList.toggle('related', e.getAttribute('data-from') === name || e.getAttribute('data-to') === name); });
    if (lineage && how.focus) lineage.focus(name, { frame: how.frame });
    if (how.scroll) target.scrollIntoView({ block: 'start' });
  }

  function fromHash(how) {
    var id = '';
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { id = location.hash.slice(1); }
    select(id, how);
  }

  // A click on a graph node selects it where it is: the page does not jump, the view keeps its zoom.
  nodes.forEach(function (node) {
    if (node.tagName.toLowerCase() !== 'a') return;
    node.addEventListener('click', function (e) {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
      e.preventDefault();
      var href = node.getAttribute('href');
      try { history.pushState(null, '', href); } catch (err) { location.hash = href; return; }
      fromHash({ focus: true });
    });
  });

  search.addEventListener('input', filter);
  search.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { search.value = ''; filter(); }
    if (e.key === 'Enter') {
      var first = items.filter(function (li) { return !li.hidden; })[0];
      if (first) first.querySelector('a').click();
    }
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === '/' && document.activeElement !== search) { e.preventDefault(); search.focus(); }
  });
  window.addEventListener('hashchange', function () { fromHash({ scroll: true, focus: true, frame: true }); });
  filter();
  var linked = location.hash.length > 1;
  fromHash({ scroll: linked, focus: linked, frame: linked });
})();`;
