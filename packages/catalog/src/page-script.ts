/**
 * The page's only script, inlined: search filters the list (and dims graph nodes), the URL fragment selects a
 * metric or source (`#metric-name`), and selecting one highlights it in the list and the graph. Without it the
 * page still works: every link is a fragment and CSS `:target` shows the detail.
 */
export const PAGE_SCRIPT: string = `(function () {
  'use strict';
  document.documentElement.classList.add('js');
  var all = function (selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); };
  var search = document.getElementById('search');
  var count = document.getElementById('search-count');
  var noMatch = document.getElementById('no-match');
  var items = all('.items .item');
  var nodes = all('svg.lineage .node');
  var edges = all('svg.lineage .edge');
  var details = all('.detail');
  var keyOf = function (el) { return el.getAttribute('data-kind') + ':' + el.getAttribute('data-name'); };

  function filter() {
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = {};
    var n = 0;
    items.forEach(function (li) {
      var text = li.getAttribute('data-search') || '';
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

  function select(id, scroll) {
    var target = id ? document.getElementById(id) : null;
    if (!target || !target.classList.contains('detail')) target = details[0] || null;
    if (!target) return;
    var key = keyOf(target);
    var name = target.getAttribute('data-name');
    details.forEach(function (d) { d.classList.toggle('selected', d === target); });
    items.forEach(function (li) { li.classList.toggle('selected', keyOf(li) === key); });
    nodes.forEach(function (node) { node.classList.toggle('selected', keyOf(node) === key); });
    edges.forEach(function (e) { e.classList.toggle('related', e.getAttribute('data-from') === name || e.getAttribute('data-to') === name); });
    if (scroll) target.scrollIntoView({ block: 'start' });
  }

  function fromHash(scroll) {
    var id = '';
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { id = location.hash.slice(1); }
    select(id, scroll);
  }

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
  window.addEventListener('hashchange', function () { fromHash(true); });
  filter();
  fromHash(location.hash.length > 1);
})();`;
