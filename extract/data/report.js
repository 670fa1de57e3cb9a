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
  // A table's rows shown when they hold the filter text and every ticked condition holds.
  function wireFilter(tableId, boxId, countId, unit, conditions) {
    var table = document.getElementById(tableId);
    if (!table) return;
    var box = document.getElementById(boxId);
    var count = document.getElementById(countId);
    function apply() {
      var q = box.value.trim().toLowerCase();
      var rows = table.tBodies[0].rows, shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var r = rows[i];
        var ok = !q || r.textContent.toLowerCase().indexOf(q) !== -1;
        for (var j = 0; ok && j < conditions.length; j++) ok = conditions[j].test(r);
        r.hidden = !ok;
        if (ok) shown++;
      }
      count.textContent = '显示 ' + shown + ' / ' + rows.length + ' ' + unit;
    }
    [box].concat(conditions.map(function (c) { return c.el; })).forEach(function (el) {
      el.addEventListener('input', apply);
      el.addEventListener('change', apply);
    });
  }
  function ticked(id, attr, value) {
    var el = document.getElementById(id);
    return { el: el, test: function (r) { return !el.checked || r.getAttribute(attr) === value; } };
  }
  var status = document.getElementById('incomplete-status');
  if (status) {
    wireFilter('incomplete-table', 'incomplete-filter', 'incomplete-count', '条', [
      { el: status, test: function (r) { return !status.value || r.getAttribute('data-status') === status.value; } },
      ticked('incomplete-overdue', 'data-overdue', '1'),
      ticked('incomplete-current', 'data-superseded', '0')]);
  }
  if (document.getElementById('history-table')) {
    wireFilter('history-table', 'history-filter', 'history-count', '个', [
      ticked('history-still-open', 'data-still-open', '1'),
      ticked('history-reopened', 'data-reopened', '1'),
      ticked('history-deadline-moved', 'data-deadline-moved', '1')]);
  }
})();
