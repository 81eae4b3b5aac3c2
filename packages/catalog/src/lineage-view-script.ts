// The lineage's pan, zoom and focus, as inline page script: hand-written on the SVG's viewBox, no library.

/**
 * Script that makes `svg.lineage` in `.graph` a view that pans (drag, arrow keys), zooms (wheel, `+` / `-`, the
 * toolbar), fits the drawing (`f`), shows it at 100% (`0`) or as it opened (`r`), and focuses a node's lineage (dbt's `+name+`): its
 * upstream and downstream stay, everything else fades. It defines `lineage` for the page script
 * (`lineage.focus(name, { frame })`, `lineage.clear()`), or `null` when the page has no graph.
 * Text only: inlined by `PAGE_SCRIPT`, inside its function.
 */
export const LINEAGE_VIEW_SCRIPT: string = `
  var lineage = (function () {
    var box = document.querySelector('.graph');
    var svg = box && box.querySelector('svg.lineage');
    if (!svg) return null;
    var level = document.getElementById('zoom-level');
    var focusBar = document.getElementById('focus');
    var focusName = document.getElementById('focus-name');
    var base = svg.getAttribute('viewBox').split(' ').map(Number);
    var graph = { x: base[0], y: base[1], w: base[2], h: base[3] };
    var lower = function (s) { return String(s).toLowerCase(); };
    var nodeEls = Array.prototype.slice.call(svg.querySelectorAll('.node'));
    var edgeEls = Array.prototype.slice.call(svg.querySelectorAll('.edge'));
    var nodes = {};
    nodeEls.forEach(function (el) {
      var r = el.querySelector('rect');
      var n = function (a) { return Number(r.getAttribute(a)); };
      nodes[lower(el.getAttribute('data-name'))] = { el: el, x: n('x'), y: n('y'), w: n('width'), h: n('height') };
    });
    var up = {};
    var down = {};
    edgeEls.forEach(function (e) {
      var from = lower(e.getAttribute('data-from'));
      var to = lower(e.getAttribute('data-to'));
      (up[to] = up[to] || []).push(from);
      (down[from] = down[from] || []).push(to);
    });
    var MIN = 0.05;
    var MAX = 4;
    var PAD = 16;
    var view = { k: 1, x: 0, y: 0 };
    var focused = null;

    svg.setAttribute('preserveAspectRatio', 'xMinYMin meet');
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    box.classList.add('pannable');

    function size() { return { w: Math.max(1, box.clientWidth), h: Math.max(1, box.clientHeight) }; }
    function apply() {
      var s = size();
      svg.setAttribute('viewBox', [view.x, view.y, s.w / view.k, s.h / view.k].map(function (v) { return Math.round(v * 100) / 100; }).join(' '));
      if (level) level.textContent = Math.round(view.k * 100) + '%';
    }
    function clamp(k) { return Math.min(MAX, Math.max(MIN, k)); }
    /** Zooms by factor f, keeping the point (px, py) of the box (CSS pixels) where it is. */
    function zoomBy(f, px, py) {
      var s = size();
      if (px === undefined) { px = s.w / 2; py = s.h / 2; }
      var gx = view.x + px / view.k;
      var gy = view.y + py / view.k;
      view.k = clamp(view.k * f);
      view.x = gx - px / view.k;
      view.y = gy - py / view.k;
      apply();
    }
    /** Shows the rectangle r (graph units) whole and centred, at most at scale maxK. */
    function frame(r, maxK) {
      var s = size();
      var k = Math.min((s.w - 2 * PAD) / Math.max(r.w, 1), (s.h - 2 * PAD) / Math.max(r.h, 1), maxK);
      view.k = clamp(k);
      view.x = r.x + r.w / 2 - s.w / 2 / view.k;
      view.y = r.y + r.h / 2 - s.h / 2 / view.k;
      apply();
    }
    function fit() { frame(graph, 1); }
    function actualSize() {
      var n = focused && nodes[focused];
      var s = size();
      view.k = 1;
      if (n) { view.x = n.x + n.w / 2 - s.w / 2; view.y = n.y + n.h / 2 - s.h / 2; }
      else { view.x = graph.x; view.y = graph.y; }
      apply();
    }
    function panBy(dx, dy) { view.x -= dx / view.k; view.y -= dy / view.k; apply(); }
    function visible(n) {
      var s = size();
      return n.x >= view.x && n.y >= view.y && n.x + n.w <= view.x + s.w / view.k && n.y + n.h <= view.y + s.h / view.k;
    }
    function closure(start, next) {
      var seen = {};
      var stack = [start];
      while (stack.length) {
        var name = stack.pop();
        (next[name] || []).forEach(function (m) { if (!seen[m]) { seen[m] = true; stack.push(m); } });
      }
      return seen;
    }

    /** Fades everything outside name's lineage; with frame, zooms to show that lineage, else pans name into view. */
    function focus(name, options) {
      var key = lower(name);
      var target = nodes[key];
      if (!target) { clear(); return; }
      focused = key;
      var keep = closure(key, up);
      var below = closure(key, down);
      for (var k in below) keep[k] = true;
      keep[key] = true;
      nodeEls.forEach(function (el) { el.classList.toggle('faded', !keep[lower(el.getAttribute('data-name'))]); });
      edgeEls.forEach(function (e) {
        var inside = keep[lower(e.getAttribute('data-from'))] && keep[lower(e.getAttribute('data-to'))];
        e.classList.toggle('faded', !inside);
      });
      box.classList.add('focused');
      if (focusBar) { focusBar.hidden = false; focusName.textContent = '+' + target.el.getAttribute('data-name') + '+'; }
      if (options && options.frame) {
        var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
        for (var n in keep) {
          var b = nodes[n];
          if (!b) continue;
          x0 = Math.min(x0, b.x); y0 = Math.min(y0, b.y); x1 = Math.max(x1, b.x + b.w); y1 = Math.max(y1, b.y + b.h);
        }
        frame({ x: x0, y: y0, w: x1 - x0, h: y1 - y0 }, Math.max(view.k, 1));
        if (!visible(target)) frame({ x: target.x, y: target.y, w: target.w, h: target.h }, view.k);
      } else if (!visible(target)) {
        var s = size();
        view.x = target.x + target.w / 2 - s.w / 2 / view.k;
        view.y = target.y + target.h / 2 - s.h / 2 / view.k;
        apply();
      }
    }
    /** Back to how the page opened: no focus, the whole graph fitted. */
    function reset() { clear(); fit(); }
    function clear() {
      focused = null;
      nodeEls.concat(edgeEls).forEach(function (el) { el.classList.remove('faded'); });
      box.classList.remove('focused');
      if (focusBar) focusBar.hidden = true;
    }

    // Drag to pan. A drag that starts on a node must not also follow its link: a click after a move is swallowed.
    var drag = null;
    var moved = false;
    box.addEventListener('pointerdown', function (e) {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, id: e.pointerId };
      moved = false;
    });
    box.addEventListener('pointermove', function (e) {
      if (!drag || e.pointerId !== drag.id) return;
      var dx = e.clientX - drag.x;
      var dy = e.clientY - drag.y;
      if (!moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      if (!moved) { moved = true; box.setPointerCapture(e.pointerId); box.classList.add('dragging'); }
      drag.x = e.clientX;
      drag.y = e.clientY;
      panBy(dx, dy);
    });
    var end = function () { drag = null; box.classList.remove('dragging'); };
    box.addEventListener('dragstart', function (e) { e.preventDefault(); });
    box.addEventListener('pointerup', end);
    box.addEventListener('pointercancel', end);
    box.addEventListener('click', function (e) { if (moved) { e.preventDefault(); e.stopPropagation(); moved = false; } }, true);
    box.addEventListener('wheel', function (e) {
      e.preventDefault();
      var rect = box.getBoundingClientRect();
      var delta = e.deltaY * (e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1);
      zoomBy(Math.exp(-delta * (e.ctrlKey ? 0.01 : 0.002)), e.clientX - rect.left, e.clientY - rect.top);
    }, { passive: false });
    box.addEventListener('keydown', function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      var step = 60;
      var keys = {
        '+': function () { zoomBy(1.25); }, '=': function () { zoomBy(1.25); }, '-': function () { zoomBy(0.8); },
        '0': actualSize, f: fit, F: fit, r: reset, R: reset, Escape: clear,
        ArrowLeft: function () { panBy(step, 0); }, ArrowRight: function () { panBy(-step, 0); },
        ArrowUp: function () { panBy(0, step); }, ArrowDown: function () { panBy(0, -step); },
      };
      if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
    });
    var on = function (id, f) { var b = document.getElementById(id); if (b) b.addEventListener('click', f); };
    on('zoom-in', function () { zoomBy(1.25); });
    on('zoom-out', function () { zoomBy(0.8); });
    on('zoom-fit', fit);
    on('zoom-actual', actualSize);
    on('view-reset', reset);
    on('focus-clear', clear);
    var last = size();
    window.addEventListener('resize', function () {
      var s = size();
      view.x += (last.w - s.w) / 2 / view.k;
      view.y += (last.h - s.h) / 2 / view.k;
      last = s;
      apply();
    });
    fit();
    return { focus: focus, clear: clear, fit: fit };
  })();
`;
