// leakscope watch pages: sortable tables, the fleet's live filter, and range selection on the
// history charts by dragging. Everything also works without script (links and forms).
document.addEventListener('DOMContentLoaded', function () {
  // Sorting: a click on a header with data-sort orders the rows by each cell's data-v
  // (numbers when the header says data-sort="num"); a second click reverses.
  document.querySelectorAll('table.ws').forEach(function (table) {
    var heads = table.querySelectorAll('th[data-sort]');
    heads.forEach(function (th) {
      th.addEventListener('click', function () {
        var column = Array.prototype.indexOf.call(th.parentNode.children, th);
        var numeric = th.dataset.sort === 'num';
        var descending = !th.classList.contains('sorted-desc');
        heads.forEach(function (h) { h.classList.remove('sorted-asc', 'sorted-desc'); });
        th.classList.add(descending ? 'sorted-desc' : 'sorted-asc');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        function key(row) {
          var cell = row.cells[column];
          var v = cell ? (cell.dataset.v !== undefined ? cell.dataset.v : cell.textContent) : '';
          if (!numeric) return v.toLowerCase();
          var n = parseFloat(v);
          return isNaN(n) ? -Infinity : n;
        }
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var c = x < y ? -1 : x > y ? 1 : 0;
          return descending ? -c : c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });

  // The fleet's filter box: hides rows whose URL and labels do not contain every word typed.
  var filter = document.getElementById('filter');
  if (filter) {
    var apply = function () {
      var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      document.querySelectorAll('#fleet tbody tr').forEach(function (row) {
        var text = (row.dataset.search || '').toLowerCase();
        var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
        row.hidden = !ok;
        if (ok) shown++;
      });
      var count = document.getElementById('shown');
      if (count) count.textContent = String(shown);
    };
    filter.addEventListener('input', apply);
    apply();
  }

  // Range selection: drag across a history chart to show that stretch of time.
  document.querySelectorAll('svg.history').forEach(function (svg) {
    var from = +svg.dataset.from, to = +svg.dataset.to;
    var x0 = +svg.dataset.x0, x1 = +svg.dataset.x1, top = +svg.dataset.top, bottom = +svg.dataset.bottom;
    if (!(to > from) || !(x1 > x0)) return;
    var start = null, rect = null;
    function toX(event) {
      var box = svg.getBoundingClientRect();
      var width = svg.viewBox.baseVal.width;
      var x = (event.clientX - box.left) * width / box.width;
      return Math.max(x0, Math.min(x1, x));
    }
    svg.addEventListener('mousedown', function (event) {
      if (event.target.closest && event.target.closest('a')) return;
      event.preventDefault();
      start = toX(event);
      rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
      rect.setAttribute('class', 'selection');
      rect.setAttribute('y', top);
      rect.setAttribute('height', bottom - top);
      rect.setAttribute('x', start);
      rect.setAttribute('width', 0);
      svg.appendChild(rect);
    });
    svg.addEventListener('mousemove', function (event) {
      if (start === null) return;
      var x = toX(event);
      rect.setAttribute('x', Math.min(start, x));
      rect.setAttribute('width', Math.abs(x - start));
    });
    function finish(event) {
      if (start === null) return;
      var x = toX(event), a = Math.min(start, x), b = Math.max(start, x);
      start = null;
      if (b - a < 4) { rect.remove(); return; }
      var t = function (px) { return from + (px - x0) / (x1 - x0) * (to - from); };
      var url = new URL(location.href);
      url.searchParams.delete('range');
      url.searchParams.set('from', String(Math.floor(t(a))));
      url.searchParams.set('to', String(Math.ceil(t(b))));
      location.href = url.toString();
    }
    svg.addEventListener('mouseup', finish);
    svg.addEventListener('mouseleave', function () { if (start !== null && rect) { rect.remove(); start = null; } });
  });
});
