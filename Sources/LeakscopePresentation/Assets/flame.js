(function () {
'use strict';
const meta = JSON.parse(document.getElementById('flame-meta').textContent);
const ROW = 18, MAX_ROWS = 1500;
const FONT = '12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
const $ = (id) => document.getElementById(id);
const canvas = $('canvas'), ctx = canvas.getContext('2d'), tip = $('tip');
let names = [], main = null, view = null, hits = [], charWidth = 7.2;
let match = null, widthFromBase = false, baseScale = 1, pivotRow = 0;

// ---------- decoding ----------
function readVarints(bytes, pos, count, signed) {
  const out = signed ? new Float64Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let v = 0, mul = 1, b;
    do { b = bytes[pos++]; v += (b & 127) * mul; mul *= 128; } while (b & 128);
    out[i] = signed ? (v % 2 ? -(v + 1) / 2 : v / 2) : v;
  }
  return out;
}

async function decode() {
  const text = document.getElementById('flame-data').textContent.trim();
  const raw = atob(text);
  let bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  if (meta.compressed) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  const s = meta.sections, n = meta.nodes;
  let pos = 0;
  names = new TextDecoder().decode(bytes.subarray(0, s[0])).split('\n');
  if (meta.frames === 0) names = [];
  pos += s[0];
  const fr = readVarints(bytes, pos, n, false); pos += s[1];
  const kids = readVarints(bytes, pos, n, false); pos += s[2];
  const sv = readVarints(bytes, pos, n, true); pos += s[3];
  const sb = meta.diff ? readVarints(bytes, pos, n, true) : new Float64Array(n);
  for (let i = 0; i < n; i++) fr[i] -= 1;  // -1 = root
  // Pre-order: a node's parent is the nearest earlier node that still expects children.
  const par = new Int32Array(n), rem = new Int32Array(n), stack = [];
  par[0] = -1;
  for (let i = 0; i < n; i++) {
    while (stack.length && rem[stack[stack.length - 1]] === 0) stack.pop();
    if (i > 0) { const p = stack[stack.length - 1]; par[i] = p; rem[p]--; }
    rem[i] = kids[i];
    if (kids[i] > 0) stack.push(i);
  }
  return finishTree(fr, par, sv, sb, kids, true);
}

// Totals, depth, CSR children (in index order) and, for pre-order trees, subtree ends.
function finishTree(fr, par, sv, sb, kidCount, preorder) {
  const n = fr.length;
  const tv = Float64Array.from(sv), tb = Float64Array.from(sb);
  for (let i = n - 1; i > 0; i--) { tv[par[i]] += tv[i]; tb[par[i]] += tb[i]; }
  const ks = new Int32Array(n + 1);
  if (kidCount) { for (let i = 0; i < n; i++) ks[i + 1] = ks[i] + kidCount[i]; }
  else { for (let i = 1; i < n; i++) ks[par[i] + 1]++; for (let i = 0; i < n; i++) ks[i + 1] += ks[i]; }
  const fill = ks.slice(0, n), kl = new Int32Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) kl[fill[par[i]]++] = i;
  const depth = new Int32Array(n);
  for (let i = 1; i < n; i++) depth[i] = depth[par[i]] + 1;
  let end = null;
  if (preorder) {
    const size = new Int32Array(n).fill(1);
    for (let i = n - 1; i > 0; i--) size[par[i]] += size[i];
    end = new Int32Array(n);
    for (let i = 0; i < n; i++) end[i] = i + size[i];
  }
  return { n, fr, par, sv, sb, tv, tb, ks, kl, depth, end };
}

// Builds a tree from (parent, frame) insertions in typed arrays with an open-addressing
// index, so pivoting on a frame present in every stack stays fast; children end up sorted by name.
function Builder(rootFrame) {
  this.n = 1; this.cap = 1024;
  this.fr = new Int32Array(this.cap); this.par = new Int32Array(this.cap);
  this.sv = new Float64Array(this.cap); this.sb = new Float64Array(this.cap);
  this.fr[0] = rootFrame; this.par[0] = -1;
  this.slots = new Int32Array(2048).fill(-1); this.mask = 2047; this.shift = 21;
}
// Fibonacci hashing: the high bits of the product are well mixed, so take those.
function slotHash(p, f, shift) { return Math.imul(Math.imul(p, 0x2C1B3C6D) + f + 1, 0x9E3779B1) >>> shift; }
Builder.prototype.child = function (p, f) {
  const slots = this.slots, mask = this.mask;
  let s = slotHash(p, f, this.shift);
  for (let c = slots[s]; c >= 0; c = slots[s]) {
    if (this.par[c] === p && this.fr[c] === f) return c;
    s = (s + 1) & mask;
  }
  if (this.n === this.cap) this.growArrays();
  const c = this.n++;
  this.fr[c] = f; this.par[c] = p; this.sv[c] = 0; this.sb[c] = 0;
  slots[s] = c;
  if (this.n * 2 > slots.length) this.growSlots();
  return c;
};
Builder.prototype.growArrays = function () {
  const grow = (a) => { const b = new a.constructor(a.length * 2); b.set(a); return b; };
  this.fr = grow(this.fr); this.par = grow(this.par); this.sv = grow(this.sv); this.sb = grow(this.sb);
  this.cap *= 2;
};
Builder.prototype.growSlots = function () {
  const size = this.slots.length * 2, slots = new Int32Array(size).fill(-1), mask = size - 1, shift = this.shift - 1;
  for (let c = 1; c < this.n; c++) {
    let s = slotHash(this.par[c], this.fr[c], shift);
    while (slots[s] >= 0) s = (s + 1) & mask;
    slots[s] = c;
  }
  this.slots = slots; this.mask = mask; this.shift = shift;
};
Builder.prototype.finish = function () {
  const n = this.n;
  const t = finishTree(this.fr.slice(0, n), this.par.slice(0, n), this.sv.slice(0, n), this.sb.slice(0, n), null, false);
  const rank = frameRanks();
  const byName = (x, y) => rank[t.fr[x]] - rank[t.fr[y]];
  for (let p = 0; p < n; p++) {
    const a = t.ks[p], b = t.ks[p + 1];
    if (b - a > 1) t.kl.subarray(a, b).sort(byName);
  }
  return t;
};
let ranks = null;
function frameRanks() {
  if (!ranks) {
    const order = names.map((_, i) => i).sort((x, y) => cmp(names[x], names[y]));
    ranks = new Int32Array(names.length + 1);
    order.forEach((f, r) => { ranks[f] = r; });
  }
  return ranks;
}
function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

// ---------- pivot: every stack through a function, callers above, callees below ----------
function pivot(f) {
  const { n, fr, par, sv, sb, tv, tb, ks, end } = main;
  // Outermost occurrences only: a recursive frame's inner calls are inside them, counted once.
  const roots = [];
  for (let i = 0; i < n;) { if (fr[i] === f) { roots.push(i); i = end[i]; } else i++; }
  const callers = new Builder(f);
  for (const i of roots) {
    let node = 0;
    for (let a = par[i]; a > 0; a = par[a]) node = callers.child(node, fr[a]);
    callers.sv[node] += tv[i]; callers.sb[node] += tb[i];
  }
  let callees;
  if (roots.length === 1) {
    // One occurrence: its pre-order subtree already is the callee tree.
    const i = roots[0], stop = end[i];
    const subPar = new Int32Array(stop - i), kids = new Int32Array(stop - i);
    for (let d = i; d < stop; d++) { subPar[d - i] = d === i ? -1 : par[d] - i; kids[d - i] = ks[d + 1] - ks[d]; }
    callees = finishTree(fr.slice(i, stop), subPar, sv.slice(i, stop), sb.slice(i, stop), kids, true);
  } else {
    const b = new Builder(f), map = new Int32Array(n);
    for (const i of roots) {
      b.sv[0] += sv[i]; b.sb[0] += sb[i];
      map[i] = 0;
      for (let d = i + 1, stop = end[i]; d < stop; d++) {
        const c = b.child(map[par[d]], fr[d]);
        map[d] = c;
        b.sv[c] += sv[d]; b.sb[c] += sb[d];
      }
    }
    callees = b.finish();
  }
  return { callers: callers.finish(), callees };
}

// ---------- formatting ----------
// pprof's number style: %.2f without a trailing ".00".
function num(x) { return x.toFixed(2).replace(/\.00$/, ''); }
function fmt(v) {
  if (v === 0) return '0';
  if (meta.fixedUnit) return num(v * meta.fixedUnit.factor) + meta.fixedUnit.name;  // -unit=…
  const sign = v < 0 ? '-' : '', a = Math.abs(v), u = meta.unit;
  if (u === 'bytes') {
    const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB']; let x = a, i = 0;
    while (x >= 1024 && i < units.length - 1) { x /= 1024; i++; }
    return sign + num(x) + units[i];
  }
  const toNs = { nanoseconds: 1, microseconds: 1e3, milliseconds: 1e6, seconds: 1e9 }[u];
  if (toNs) {
    const ns = a * toNs;
    if (ns >= 3600e9) return sign + num(ns / 3600e9) + 'hrs';
    if (ns >= 1e9) return sign + num(ns / 1e9) + 's';
    if (ns >= 1e6) return sign + num(ns / 1e6) + 'ms';
    if (ns >= 1e3) return sign + num(ns / 1e3) + 'us';
    return sign + num(ns) + 'ns';
  }
  return sign + (Number.isInteger(a) ? a.toLocaleString('en-US') : num(a));
}
function pct(v, t) {
  if (!t) return '–';
  const p = 100 * v / t;
  return p !== 0 && Math.abs(p) < 0.01 ? (p < 0 ? '>-0.01%' : '<0.01%') : num(p) + '%';
}
function esc(s) { return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]); }
function frameName(t, node) { return t.fr[node] < 0 ? 'root' : names[t.fr[node]]; }

// ---------- colours ----------
const paletteCache = new Map();
function packageOf(name) {
  const slash = name.lastIndexOf('/');
  const rest = name.slice(slash + 1), dot = rest.indexOf('.');
  return name.slice(0, slash + 1) + (dot > 0 ? rest.slice(0, dot) : rest);
}
function hash(str) {
  let h = 2166136261;
  for (let i = 0; i < str.length; i++) { h ^= str.charCodeAt(i); h = Math.imul(h, 16777619); }
  return h >>> 0;
}
// Hue from the package over the whole colour circle (like pprof), so main.* and runtime.* never
// look alike; light enough for black text, with a little per-function variation in lightness.
function warm(frame) {
  let c = paletteCache.get(frame);
  if (c) return c;
  const name = names[frame] || '', h = hash(packageOf(name)), v = hash(name);
  c = 'hsl(' + (h % 360) + ',' + (52 + (h >>> 9) % 24) + '%,' + (70 + (h >>> 17) % 6 + (v >>> 8) % 6) + '%)';
  paletteCache.set(frame, c);
  return c;
}
// The function part of a name: "example.com/pkg.(*T).Method file:12" → "(*T).Method file:12".
function shortName(name) {
  const space = name.indexOf(' ');
  const head = space < 0 ? name : name.slice(0, space), tail = space < 0 ? '' : name.slice(space);
  const rest = head.slice(head.lastIndexOf('/') + 1), dot = rest.indexOf('.');
  return (dot > 0 ? rest.slice(dot + 1) : rest) + tail;
}
function diffColour(t, node) {
  const after = t.tv[node], before = t.tb[node] * baseScale;
  const m = Math.max(Math.abs(after), Math.abs(before));
  if (m === 0) return 'rgb(236,236,236)';
  const r = (after - before) / m;             // -1 (gone) … +1 (new)
  const k = Math.min(1, Math.abs(r));
  const strong = Math.round(236 - 196 * k), blueG = Math.round(236 - 146 * k);
  return r > 0 ? 'rgb(255,' + strong + ',' + strong + ')' : 'rgb(' + strong + ',' + blueG + ',255)';
}
// Per tree, whether a node's subtree holds a match: a group of frames under a pixel takes the
// match colour when any frame inside it matches, so no match is invisible.
let matchVersion = 0;
function subtreeMatches(t) {
  if (!match) return null;
  if (t.matchVersion === matchVersion) return t.hasMatch;
  const has = new Uint8Array(t.n);
  for (let i = t.n - 1; i >= 0; i--) {
    if (t.fr[i] >= 0 && match[t.fr[i]]) has[i] = 1;
    if (has[i] && t.par[i] >= 0) has[t.par[i]] = 1;
  }
  t.hasMatch = has; t.matchVersion = matchVersion;
  return has;
}
function colour(t, node) {
  const f = t.fr[node];
  if (f >= 0 && match && match[f]) return 'rgb(205,80,230)';
  if (meta.diff) return diffColour(t, node);
  if (f < 0) return 'rgb(200,200,200)';
  return warm(f);
}

// ---------- layout and drawing ----------
// view: {tree, focus, callers?} — callers (pivot only) is drawn upwards above the callee root.
function width(t, node) { return widthFromBase ? t.tb[node] : t.tv[node]; }

function layout() {
  hits = []; groups = [];
  const W = canvas.parentNode.clientWidth;
  const t = view.tree, focus = view.focus;
  const total = width(t, focus);
  const scale = total > 0 ? W / total : 0;
  const boxes = [];  // [tree, node, x, w, row]
  let topRows = 0;
  if (view.callers && focus === 0) {
    const c = view.callers;
    let maxDepth = 0;
    for (let i = 1; i < c.n; i++) if (c.depth[i] > maxDepth) maxDepth = c.depth[i];
    topRows = Math.min(maxDepth, MAX_ROWS);
    walk(c, 0, 0, scale, (node, x, w, depth) => { if (depth > 0 && depth <= topRows) boxes.push([c, node, x, w, topRows - depth]); }, topRows);
  }
  // Ancestors of the zoomed frame: full width, above it.
  const chain = [];
  for (let a = t.par[focus]; a >= 0; a = t.par[a]) chain.push(a);
  chain.reverse();
  chain.forEach((a, i) => boxes.push([t, a, 0, W, topRows + i]));
  const base = topRows + chain.length;
  walk(t, focus, 0, scale, (node, x, w, depth) => boxes.push([t, node, x, w, base + depth]), MAX_ROWS);
  let rows = 0;
  for (const b of boxes) if (b[4] + 1 > rows) rows = b[4] + 1;
  return { boxes, rows, W, total, base };
}

// Depth-first, left to right, children packed from the parent's left edge (self value on the
// right). Runs of neighbouring children under a pixel each become one grey "group" box (a
// negative node number indexing groups) so their weight stays visible. No recursion: deep
// stacks are fine.
let groups = [];
function walk(t, root, x0, scale, visit, maxDepth) {
  const has = subtreeMatches(t);
  const stack = [root, x0, 0];
  while (stack.length) {
    const depth = stack.pop(), x = stack.pop(), node = stack.pop();
    if (node < 0) { visit(node, x, groups[-node - 1].w, depth); continue; }
    const w = width(t, node) * scale;
    if (w < 0.5) continue;
    visit(node, x, w, depth);
    if (depth >= maxDepth) continue;
    const items = [];
    let cx = x, run = null;
    const flush = () => {
      if (run && run.w >= 1) { groups.push(run); items.push(-groups.length, run.x, depth + 1); }
      run = null;
    };
    for (let k = t.ks[node]; k < t.ks[node + 1]; k++) {
      const c = t.kl[k], cw = width(t, c) * scale;
      if (cw <= 0) continue;
      if (cw < 1) {
        if (!run) run = { x: cx, w: 0, count: 0, value: 0, base: 0, parent: node, tree: t, hit: false };
        run.w += cw; run.count++; run.value += t.tv[c]; run.base += t.tb[c];
        if (has && has[c]) run.hit = true;
      } else {
        flush();
        items.push(c, cx, depth + 1);
      }
      cx += cw;
    }
    flush();
    for (let i = items.length - 3; i >= 0; i -= 3) stack.push(items[i], items[i + 1], items[i + 2]);
  }
}

function draw() {
  if (!view) return;
  const { boxes, rows, W, base } = layout();
  pivotRow = base;
  const dpr = window.devicePixelRatio || 1, H = Math.max(rows, 1) * ROW;
  canvas.style.width = W + 'px'; canvas.style.height = H + 'px';
  canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, W, H);
  ctx.font = FONT; ctx.textBaseline = 'middle';
  charWidth = ctx.measureText('MMMMMMMMMM').width / 10;
  hits = new Array(rows);
  for (let r = 0; r < rows; r++) hits[r] = [];
  for (const [t, node, x, w, row] of boxes) {
    const y = row * ROW;
    if (node < 0) {
      ctx.fillStyle = groups[-node - 1].hit ? 'rgb(205,80,230)' : '#d4d4d4';
      ctx.fillRect(x, y, Math.max(w - 1, 0.5), ROW - 1);
      hits[row].push(x, w, node, t);
      continue;
    }
    ctx.fillStyle = colour(t, node);
    ctx.fillRect(x, y, Math.max(w - 1, 0.5), ROW - 1);
    hits[row].push(x, w, node, t);
    if (w > 3 * charWidth) {
      let name = frameName(t, node);
      const fit = Math.floor((w - 6) / charWidth);
      if (name.length > fit) name = shortName(name);
      ctx.fillStyle = '#000';
      ctx.fillText(name.length <= fit ? name : name.slice(0, Math.max(fit - 1, 1)) + '…', x + 3, y + ROW / 2);
    }
  }
  if (view.callers && view.focus === 0) {
    // Outline the pivot row: callers above it, callees below.
    ctx.strokeStyle = '#222'; ctx.lineWidth = 2;
    ctx.strokeRect(1, pivotRow * ROW + 1, W - 2, ROW - 3);
  }
  updateCrumb();
}

function hitAt(ev) {
  const r = canvas.getBoundingClientRect();
  const x = ev.clientX - r.left, row = Math.floor((ev.clientY - r.top) / ROW);
  const list = hits[row];
  if (!list) return null;
  let lo = 0, hi = list.length / 4 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1, bx = list[mid * 4], bw = list[mid * 4 + 1];
    if (x < bx) hi = mid - 1; else if (x >= bx + bw) lo = mid + 1;
    else return { node: list[mid * 4 + 2], tree: list[mid * 4 + 3] };
  }
  return null;
}

// ---------- interaction ----------
function tooltip(ev) {
  const h = hitAt(ev);
  if (!h) { tip.style.display = 'none'; return; }
  const t = h.tree, node = h.node, total = meta.total;
  if (node < 0) {
    const g = groups[-node - 1];
    let r = '<tr><td>Value</td><td>' + fmt(g.value) + '</td><td>' + pct(g.value, total) + ' of total</td></tr>';
    if (meta.diff) r += '<tr><td>Before</td><td>' + fmt(g.base * baseScale) + '</td><td></td></tr>';
    tip.innerHTML = '<div class="n">' + g.count.toLocaleString('en-US') + ' frames, each under a pixel</div><table>' + r +
      '</table>' + (g.tree === view.tree ? 'click to zoom into ' + esc(frameName(g.tree, g.parent)) : '');
    placeTip(ev);
    return;
  }
  const v = t.tv[node];
  let self = t.sv[node];
  let rows = '';
  const callerSide = view.callers === t;
  if (meta.diff) {
    const before = t.tb[node] * baseScale, delta = v - before;
    rows += '<tr><td>After</td><td>' + fmt(v) + '</td><td>' + pct(v, total) + ' of total</td></tr>';
    rows += '<tr><td>Before</td><td>' + fmt(before) + '</td><td>' + pct(before, meta.baseTotal * baseScale) + ' of total</td></tr>';
    rows += '<tr><td>Change</td><td>' + (delta > 0 ? '+' : '') + fmt(delta) + '</td><td>' +
      (before ? (delta > 0 ? '+' : '') + pct(delta, before) : 'new') + '</td></tr>';
    if (!callerSide) rows += '<tr><td>Self</td><td>' + fmt(self) + '</td><td>before ' + fmt(t.sb[node] * baseScale) + '</td></tr>';
  } else {
    rows += '<tr><td>Value</td><td>' + fmt(v) + '</td><td>' + pct(v, total) + ' of total</td></tr>';
    if (view.focus !== 0 && t === view.tree) rows += '<tr><td></td><td></td><td>' + pct(v, t.tv[view.focus]) + ' of zoomed</td></tr>';
    if (!callerSide) rows += '<tr><td>Self</td><td>' + fmt(self) + '</td><td>' + pct(self, total) + '</td></tr>';
  }
  if (callerSide) rows += '<tr><td colspan=3>calls ' + esc(names[view.pivotFrame]) + ' through this path</td></tr>';
  tip.innerHTML = '<div class="n">' + esc(frameName(t, node)) + '</div><table>' + rows + '</table>';
  placeTip(ev);
}
function placeTip(ev) {
  tip.style.display = 'block';
  const tw = tip.offsetWidth, th = tip.offsetHeight;
  tip.style.left = Math.min(ev.clientX + 14, window.innerWidth - tw - 4) + 'px';
  tip.style.top = (ev.clientY + 16 + th > window.innerHeight ? ev.clientY - th - 8 : ev.clientY + 16) + 'px';
}

function setView(v) { view = v; draw(); saveState(); }
// The view lives in the URL fragment (#q=…&pivot=…&zoom=…) so a view can be bookmarked or shared.
function saveState() {
  const p = new URLSearchParams();
  if ($('search').value) p.set('q', $('search').value);
  if (view.callers) p.set('pivot', names[view.pivotFrame]);
  if (view.focus) p.set('zoom', String(view.focus));
  if (widthFromBase) p.set('widths', 'base');
  if (baseScale !== 1) p.set('normalize', '1');
  const h = p.toString();
  // Embedded in the diagnose report (an about:srcdoc frame) the page has no address of its own to
  // keep the view in, and the browser refuses the change: the view still works, it is just not saved.
  if (location.protocol === 'about:') return;
  history.replaceState(null, '', h ? '#' + h : location.pathname + location.search);
}
function loadState() {
  const p = new URLSearchParams(location.hash.slice(1));
  if (meta.diff) {
    widthFromBase = p.get('widths') === 'base'; $('widthBase').checked = widthFromBase;
    if (p.get('normalize') === '1' && meta.baseTotal) { baseScale = meta.total / meta.baseTotal; $('normalize').checked = true; }
  }
  const pf = p.has('pivot') ? names.indexOf(p.get('pivot')) : -1;
  const zoom = Number(p.get('zoom')) || 0;
  if (pf >= 0) {
    const pv = pivot(pf);
    view = { tree: pv.callees, focus: zoom < pv.callees.n ? zoom : 0, callers: pv.callers, pivotFrame: pf };
  } else {
    view = { tree: main, focus: zoom < main.n ? zoom : 0 };
  }
  if (p.get('q')) { $('search').value = p.get('q'); runSearch(); } else draw();
}
function showMain(focus) { setView({ tree: main, focus: focus || 0 }); }
function showPivot(f) {
  const p = pivot(f);
  setView({ tree: p.callees, focus: 0, callers: p.callers, pivotFrame: f });
}

function updateCrumb() {
  const parts = [];
  if (view.callers) parts.push('pivot on <b>' + esc(names[view.pivotFrame]) + '</b>');
  if (view.focus !== 0) parts.push('zoomed to <b>' + esc(frameName(view.tree, view.focus)) + '</b> (' +
    pct(view.tree.tv[view.focus], meta.total) + ')');
  $('crumb').innerHTML = parts.join(' · ');
}

canvas.addEventListener('mousemove', tooltip);
canvas.addEventListener('mouseleave', () => { tip.style.display = 'none'; });
canvas.addEventListener('click', (ev) => {
  const h = hitAt(ev);
  if (!h) return;
  if (h.node < 0) {
    const g = groups[-h.node - 1];
    if (g.tree === view.tree) setView(Object.assign({}, view, { focus: g.parent }));
    return;
  }
  const f = h.tree.fr[h.node];
  if (ev.shiftKey || ev.altKey || ev.metaKey || ev.ctrlKey || h.tree === view.callers) {
    if (f >= 0) showPivot(f);
    return;
  }
  setView(Object.assign({}, view, { focus: h.node }));
});
// Right-click on a frame: a menu. Pivot always; served by leakscope (the menus bar is there), also
// the REFINE filters for that function (kept in the URL, as pprof's) and its source.
let frameMenu = null;
function closeFrameMenu() { if (frameMenu) { frameMenu.remove(); frameMenu = null; } }
function anchoredRegexp(name) { return '^' + name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$'; }
function refineURL(param, name) {
  const u = new URL(location.href);
  u.searchParams.set(param, anchoredRegexp(name));
  u.hash = '';
  return u.toString();
}
function sourceURL(name) {
  const u = new URL('source', location.href);
  new URL(location.href).searchParams.forEach((v, k) => { if (k === 'si' || k === 'g') u.searchParams.set(k, v); });
  u.searchParams.set('f', anchoredRegexp(name));
  return u.toString();
}
function openFrameMenu(ev, f) {
  closeFrameMenu();
  const name = names[f];
  const items = [['pivot', 'Pivot: callers and callees', () => showPivot(f)]];
  if (document.getElementById('ls-nav')) {
    items.push(['f', 'Focus on this function', () => { location.href = refineURL('f', name); }]);
    items.push(['i', 'Ignore (drop its stacks)', () => { location.href = refineURL('i', name); }]);
    items.push(['h', 'Hide (remove the frame)', () => { location.href = refineURL('h', name); }]);
    items.push(['sf', 'Show from here down', () => { location.href = refineURL('sf', name); }]);
    items.push(['source', 'Show source', () => { location.href = sourceURL(name); }]);
  }
  const m = document.createElement('div');
  m.id = 'frame-menu';
  m.dataset.name = name;
  m.setAttribute('role', 'menu');
  m.style.cssText = 'position:fixed;z-index:20;background:#fff;border:1px solid #999;box-shadow:0 3px 8px rgba(0,0,0,.25);' +
    'font:13px system-ui,sans-serif;min-width:200px;padding:2px 0';
  const title = document.createElement('div');
  title.textContent = name;
  title.style.cssText = 'padding:4px 10px;color:#555;border-bottom:1px solid #eee;max-width:360px;overflow:hidden;' +
    'text-overflow:ellipsis;white-space:nowrap';
  m.appendChild(title);
  for (const [key, label, act] of items) {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.action = key;
    b.textContent = label;
    b.style.cssText = 'display:block;width:100%;text-align:left;padding:4px 10px;border:0;background:none;font:inherit;cursor:pointer';
    b.addEventListener('mouseenter', () => { b.style.background = '#e8eef8'; });
    b.addEventListener('mouseleave', () => { b.style.background = 'none'; });
    b.addEventListener('click', () => { closeFrameMenu(); act(); });
    m.appendChild(b);
  }
  document.body.appendChild(m);
  m.style.left = Math.max(0, Math.min(ev.clientX, window.innerWidth - m.offsetWidth - 4)) + 'px';
  m.style.top = Math.max(0, Math.min(ev.clientY, window.innerHeight - m.offsetHeight - 4)) + 'px';
  frameMenu = m;
}
canvas.addEventListener('contextmenu', (ev) => {
  const h = hitAt(ev);
  if (!h || h.node < 0 || h.tree.fr[h.node] < 0) return;
  ev.preventDefault();
  tip.style.display = 'none';
  openFrameMenu(ev, h.tree.fr[h.node]);
});
document.addEventListener('mousedown', (ev) => { if (frameMenu && !frameMenu.contains(ev.target)) closeFrameMenu(); });
$('reset').addEventListener('click', () => showMain(0));
document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape' && frameMenu) { closeFrameMenu(); return; }
  if (ev.key === 'Escape') { $('search').value = ''; runSearch(); showMain(0); }
  else if (ev.key === '/' && document.activeElement !== $('search')) { ev.preventDefault(); $('search').focus(); }
});

let searchTimer = 0;
$('search').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(runSearch, 150); });
function runSearch() {
  const q = $('search').value;
  if (!q) { match = null; matchVersion++; $('matched').textContent = ''; $('matched').title = ''; draw(); saveState(); return; }
  let re;
  try { re = new RegExp(q, 'i'); } catch (e) { re = new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'); }
  match = new Uint8Array(names.length);
  matchVersion++;
  let any = false;
  const matched = [];
  for (let f = 0; f < names.length; f++) if (re.test(names[f])) { match[f] = 1; any = true; matched.push(names[f]); }
  // Share of the total spent under a matching frame (outermost matches only, so nothing counts twice).
  let sum = 0, sumBase = 0, i = 0;
  while (i < main.n) {
    if (main.fr[i] >= 0 && match[main.fr[i]]) { sum += main.tv[i]; sumBase += main.tb[i]; i = main.end[i]; } else i++;
  }
  $('matched').textContent = any
    ? 'matched ' + fmt(sum) + ' (' + pct(sum, meta.total) + ')' +
      (meta.diff ? ', before ' + fmt(sumBase * baseScale) + ' (' + pct(sumBase, meta.baseTotal) + ')' : '')
    : 'no match';
  // The matching functions, also those too narrow to see: in the tooltip of the count.
  $('matched').title = matched.slice(0, 40).join('\n') + (matched.length > 40 ? '\n…' : '');
  if (any) $('matched').textContent += ' · ' + matched.length.toLocaleString('en-US') + (matched.length === 1 ? ' function' : ' functions');
  draw();
  saveState();
}

function diffControls() {
  $('legend').style.display = 'inline-flex';
  if (meta.normalized) {
    // -normalize on the command line already scaled the new profile to the base's total.
    $('normalize').checked = true; $('normalize').disabled = true;
    $('normalize').parentNode.title = 'normalised by -normalize: the new profile is scaled to the base total';
  }
  $('widthBase').addEventListener('change', (e) => { widthFromBase = e.target.checked; draw(); saveState(); });
  $('normalize').addEventListener('change', (e) => {
    baseScale = e.target.checked && meta.baseTotal ? meta.total / meta.baseTotal : 1; runSearch();
  });
}

let resizeTimer = 0;
window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(draw, 100); });

$('title').textContent = meta.title;
$('summary').textContent = meta.type + ': total ' + meta.totalLabel +
  (meta.diff ? ' (base ' + meta.baseTotalLabel + ', change ' + (meta.total >= meta.baseTotal ? '+' : '') +
    fmt(meta.total - meta.baseTotal) + ')' : '') + ' · ' + meta.nodes.toLocaleString('en-US') + ' nodes';
decode().then((tree) => {
  main = tree;
  $('status').remove();
  if (meta.diff) diffControls();
  loadState();
}).catch((e) => { $('status').textContent = 'Could not read the embedded profile: ' + e; });
})();
