// The call graph view, drawn without Graphviz: a layered layout (longest path from the roots,
// back edges reversed, crossings reduced by barycentre sweeps) rendered as SVG. Data: the JSON in
// <script id="graph-data">, the nodes and edges of `go tool pprof -dot`. Click a node to focus on
// it (f= in the URL); drag to pan, wheel to zoom.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('graph-data').textContent);
  var svg = document.getElementById('graph');
  var NS = 'http://www.w3.org/2000/svg';
  var nodes = data.nodes, edges = data.edges;
  if (!nodes.length) { return; }
  var byId = {};
  nodes.forEach(function (n) { byId[n.id] = n; n.out = []; n.in = []; });
  edges.forEach(function (e) { if (byId[e.s] && byId[e.d]) { byId[e.s].out.push(e); byId[e.d].in.push(e); } });

  // Back edges: found by depth-first search from the roots, in draw order; they do not rank.
  var state = {};
  function visit(n) {
    state[n.id] = 1;
    n.out.forEach(function (e) {
      var d = byId[e.d];
      if (state[d.id] === 1) { e.back = true; } else if (!state[d.id]) { visit(d); }
    });
    state[n.id] = 2;
  }
  nodes.filter(function (n) { return !n.in.length; }).forEach(function (n) { if (!state[n.id]) visit(n); });
  nodes.forEach(function (n) { if (!state[n.id]) visit(n); });

  // Layers: longest path from a root over forward edges.
  var order = [], seen = {};
  function topo(n) {
    if (seen[n.id]) return;
    seen[n.id] = true;
    n.in.forEach(function (e) { if (!e.back && e.s !== e.d) topo(byId[e.s]); });
    order.push(n);
  }
  nodes.forEach(topo);
  order.forEach(function (n) {
    n.layer = 0;
    n.in.forEach(function (e) { if (!e.back && e.s !== e.d) n.layer = Math.max(n.layer, byId[e.s].layer + 1); });
  });
  var layers = [];
  nodes.forEach(function (n) { (layers[n.layer] = layers[n.layer] || []).push(n); });
  layers = layers.filter(Boolean);

  // Sizes from the text: monospace-free estimate, 0.6 em per character.
  nodes.forEach(function (n) {
    var longest = 0;
    n.lines.forEach(function (l) { longest = Math.max(longest, l.length); });
    n.w = Math.max(40, longest * n.fs * 0.6 + 16);
    n.h = n.lines.length * n.fs * 1.2 + 10;
  });

  // Order within layers: barycentre of neighbours, down then up, a few times.
  function place() { layers.forEach(function (l) { l.forEach(function (n, i) { n.pos = i; }); }); }
  place();
  function sweep(down) {
    var list = down ? layers : layers.slice().reverse();
    list.forEach(function (l) {
      l.forEach(function (n) {
        var near = (down ? n.in.map(function (e) { return byId[e.s]; }) : n.out.map(function (e) { return byId[e.d]; }))
          .filter(function (m) { return m.layer !== n.layer; });
        n.bary = near.length ? near.reduce(function (a, m) { return a + m.pos; }, 0) / near.length : n.pos;
      });
      l.sort(function (a, b) { return a.bary - b.bary || a.id - b.id; });
      l.forEach(function (n, i) { n.pos = i; });
    });
  }
  for (var k = 0; k < 6; k++) sweep(k % 2 === 0);

  // Coordinates: rows top to bottom; each row centred, then nudged toward its parents.
  var gapX = 24, gapY = 70, y = 20, width = 0;
  layers.forEach(function (l) {
    var h = 0, x = 0;
    l.forEach(function (n) { n.x = x; x += n.w + gapX; h = Math.max(h, n.h); });
    l.forEach(function (n) { n.y = y + (h - n.h) / 2; });
    l.rowWidth = x - gapX;
    width = Math.max(width, l.rowWidth);
    y += h + gapY;
  });
  layers.forEach(function (l, li) {
    var shift = (width - l.rowWidth) / 2;
    l.forEach(function (n) { n.x += shift; });
    if (li === 0) return;
    for (var pass = 0; pass < 2; pass++) {
      l.forEach(function (n) {
        var ps = n.in.filter(function (e) { return !e.back && byId[e.s].layer < n.layer; });
        if (!ps.length) return;
        var want = ps.reduce(function (a, e) { var p = byId[e.s]; return a + p.x + p.w / 2; }, 0) / ps.length - n.w / 2;
        n.x = want;
      });
      for (var i = 1; i < l.length; i++) l[i].x = Math.max(l[i].x, l[i - 1].x + l[i - 1].w + gapX);
      for (i = l.length - 2; i >= 0; i--) l[i].x = Math.min(l[i].x, l[i + 1].x - l[i].w - gapX);
    }
  });
  var minX = Infinity, maxX = -Infinity;
  nodes.forEach(function (n) { minX = Math.min(minX, n.x); maxX = Math.max(maxX, n.x + n.w); });
  nodes.forEach(function (n) { n.x -= minX - 20; });
  var W = maxX - minX + 40, H = y;

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var a in attrs) e.setAttribute(a, attrs[a]);
    if (parent) parent.appendChild(e);
    return e;
  }
  var defs = el('defs', {}, svg);
  var marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '9', markerHeight: '9',
    orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse' }, defs);
  el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#555' }, marker);
  var root = el('g', { id: 'viewport' }, svg);
  var edgeLayer = el('g', { 'class': 'edges' }, root), nodeLayer = el('g', { 'class': 'nodes' }, root);

  edges.forEach(function (e) {
    var s = byId[e.s], d = byId[e.d];
    if (!s || !d) return;
    var x1 = s.x + s.w / 2, y1 = s.y + s.h, x2 = d.x + d.w / 2, y2 = d.y, path;
    if (e.back || d.layer <= s.layer) {
      // Upward or sideways: leave from the right side and come back round.
      x1 = s.x + s.w; y1 = s.y + s.h / 2; x2 = d.x + d.w; y2 = d.y + d.h / 2;
      var bulge = Math.max(x1, x2) + 40 + Math.abs(y1 - y2) * 0.1;
      path = 'M' + x1 + ',' + y1 + ' C' + bulge + ',' + y1 + ' ' + bulge + ',' + y2 + ' ' + x2 + ',' + y2;
    } else {
      var my = (y1 + y2) / 2;
      path = 'M' + x1 + ',' + y1 + ' C' + x1 + ',' + my + ' ' + x2 + ',' + my + ' ' + x2 + ',' + y2;
    }
    var g = el('g', { 'class': 'edge', 'data-from': e.s, 'data-to': e.d }, edgeLayer);
    el('title', {}, g).textContent = s.name + (e.res ? ' ... ' : ' -> ') + d.name + ' (' + e.label + ')';
    var line = el('path', { d: path, fill: 'none', stroke: e.color || '#888', 'stroke-width': e.pen,
      'marker-end': 'url(#arrow)' }, g);
    if (e.res) line.setAttribute('stroke-dasharray', '2,3');
    var t = el('text', { x: (x1 + x2) / 2 + 4, y: (y1 + y2) / 2, 'class': 'edge-label' }, g);
    t.textContent = e.label + (e.inl ? ' (inline)' : '');
  });

  nodes.forEach(function (n) {
    var g = el('g', { 'class': 'node', id: 'node' + n.id, 'data-focus': n.focus, tabindex: '0' }, nodeLayer);
    el('title', {}, g).textContent = n.name + ' (' + n.cum + ')';
    el('rect', { x: n.x, y: n.y, width: n.w, height: n.h, rx: 3, fill: n.fill, stroke: n.color }, g);
    n.lines.forEach(function (line, i) {
      var t = el('text', { x: n.x + n.w / 2, y: n.y + 5 + (i + 1) * n.fs * 1.2 - n.fs * 0.25, 'font-size': n.fs,
        'text-anchor': 'middle' }, g);
      t.textContent = line;
    });
    function focus() {
      var u = new URL(location.href);
      u.searchParams.set('f', '^' + n.focus.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$');
      location.href = u.toString();
    }
    g.addEventListener('click', function () { if (!dragged) focus(); });
    g.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') focus(); });
  });

  // Pan and zoom through the viewBox.
  var view = { x: 0, y: 0, w: W, h: H };
  function apply() { svg.setAttribute('viewBox', view.x + ' ' + view.y + ' ' + view.w + ' ' + view.h); }
  apply();
  var drag = null, dragged = false;
  svg.addEventListener('mousedown', function (ev) { drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y }; dragged = false; });
  window.addEventListener('mousemove', function (ev) {
    if (!drag) return;
    var scale = view.w / svg.clientWidth;
    if (Math.abs(ev.clientX - drag.x) + Math.abs(ev.clientY - drag.y) > 3) dragged = true;
    view.x = drag.vx - (ev.clientX - drag.x) * scale;
    view.y = drag.vy - (ev.clientY - drag.y) * scale;
    apply();
  });
  window.addEventListener('mouseup', function () { drag = null; });
  svg.addEventListener('wheel', function (ev) {
    ev.preventDefault();
    var r = svg.getBoundingClientRect();
    var fx = (ev.clientX - r.left) / r.width, fy = (ev.clientY - r.top) / r.height;
    var k = ev.deltaY < 0 ? 0.8 : 1.25;
    var nw = view.w * k, nh = view.h * k;
    view.x += (view.w - nw) * fx; view.y += (view.h - nh) * fy; view.w = nw; view.h = nh;
    apply();
  }, { passive: false });
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape' && document.activeElement && document.activeElement.id !== 'ls-q') {
      view = { x: 0, y: 0, w: W, h: H }; apply();
    }
  });
})();
