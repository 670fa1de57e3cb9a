(function () {
  function cellKey(row, i, numeric) {
    var cell = row.cells[i];
    var raw = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent;
    if (numeric) { var n = parseFloat(raw); return isNaN(n) ? null : n; }
    return raw.trim();
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, i) {
      th.addEventListener('click', function () {
        var numeric = th.getAttribute('data-type') === 'num';
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellKey(a, i, numeric), y = cellKey(b, i, numeric);
          if (x === null && y === null) return 0;
          if (x === null) return 1;
          if (y === null) return -1;
          var c = numeric ? x - y : x.localeCompare(y, 'zh-Hans-CN');
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  var table = document.getElementById('incomplete-table');
  if (!table) return;
  var box = document.getElementById('incomplete-filter');
  var status = document.getElementById('incomplete-status');
  var overdue = document.getElementById('incomplete-overdue');
  var current = document.getElementById('incomplete-current');
  var count = document.getElementById('incomplete-count');
  function apply() {
    var q = box.value.trim().toLowerCase();
    var rows = table.tBodies[0].rows, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var ok = (!q || r.textContent.toLowerCase().indexOf(q) !== -1)
        && (!status.value || r.getAttribute('data-status') === status.value)
        && (!overdue.checked || r.getAttribute('data-overdue') === '1')
        && (!current.checked || r.getAttribute('data-superseded') === '0');
      r.hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = '显示 ' + shown + ' / ' + rows.length + ' 条';
  }
  [box, status, overdue, current].forEach(function (el) {
    el.addEventListener('input', apply);
    el.addEventListener('change', apply);
  });
})();
