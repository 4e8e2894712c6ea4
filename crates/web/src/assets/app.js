// Small enhancements; every page works without this file.
(function () {
  "use strict";
  // Zoom (wheel) and pan (drag) on the network drawing, by moving its viewBox.
  var svg = document.getElementById("network-svg");
  if (svg) {
    var box = svg.viewBox.baseVal;
    var drag = null;
    svg.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var k = ev.deltaY > 0 ? 1.15 : 1 / 1.15;
      var r = svg.getBoundingClientRect();
      var px = box.x + (ev.clientX - r.left) / r.width * box.width;
      var py = box.y + (ev.clientY - r.top) / r.height * box.height;
      box.x = px - (px - box.x) * k; box.y = py - (py - box.y) * k;
      box.width *= k; box.height *= k;
    }, { passive: false });
    svg.addEventListener("pointerdown", function (ev) {
      if (ev.target.closest("a")) return;
      drag = { x: ev.clientX, y: ev.clientY, bx: box.x, by: box.y };
      svg.setPointerCapture(ev.pointerId);
    });
    svg.addEventListener("pointermove", function (ev) {
      if (!drag) return;
      var r = svg.getBoundingClientRect();
      box.x = drag.bx - (ev.clientX - drag.x) / r.width * box.width;
      box.y = drag.by - (ev.clientY - drag.y) / r.height * box.height;
    });
    svg.addEventListener("pointerup", function () { drag = null; });
  }
  // Search as you type: suggestions under the header search box, a
  // combobox (arrow keys move, Enter opens, Escape closes).
  var input = document.getElementById("site-q");
  if (input && window.fetch) {
    var list = document.createElement("ul");
    list.className = "suggest";
    list.id = "site-suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", "site-suggest");
    input.setAttribute("aria-expanded", "false");
    var timer = null, active = -1;
    var options = function () { return list.querySelectorAll("[role=option]"); };
    var close = function () {
      list.textContent = ""; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    };
    var mark = function (i) {
      var o = options();
      if (!o.length) return;
      active = (i + o.length) % o.length;
      for (var k = 0; k < o.length; k++) o[k].setAttribute("aria-selected", k === active ? "true" : "false");
      input.setAttribute("aria-activedescendant", o[active].id);
    };
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") { ev.preventDefault(); mark(active + 1); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); mark(active - 1); }
      else if (ev.key === "Escape") { close(); }
      else if (ev.key === "Enter" && active >= 0) {
        var a = options()[active].querySelector("a");
        if (a) { ev.preventDefault(); window.location.href = a.href; }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        fetch("/api/v1/search?limit=6&q=" + encodeURIComponent(q))
          .then(function (r) { return r.ok ? r.json() : { hits: [] }; })
          .then(function (data) {
            close();
            data.hits.forEach(function (h, i) {
              var li = document.createElement("li");
              li.id = "site-suggest-" + i;
              li.setAttribute("role", "option");
              li.setAttribute("aria-selected", "false");
              var a = document.createElement("a");
              a.href = "/entities/" + encodeURIComponent(h.id);
              a.tabIndex = -1;
              a.textContent = h.title;
              var kind = document.createElement("span");
              kind.className = "tag";
              kind.textContent = h.kind;
              a.appendChild(document.createTextNode(" "));
              a.appendChild(kind);
              li.appendChild(a);
              list.appendChild(li);
            });
            if (data.hits.length) input.setAttribute("aria-expanded", "true");
          })
          .catch(close);
      }, 150);
    });
  }
  // Tables that sort by a column (a button in each heading) and, when
  // long, filter by what is typed.
  var tables = document.querySelectorAll("table[data-sortable]");
  Array.prototype.forEach.call(tables, function (table) {
    var body = table.tBodies[0];
    if (!body) return;
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    var key = function (row, i) {
      var cell = row.cells[i];
      if (!cell) return "";
      return cell.getAttribute("data-key") || cell.textContent.trim().toLowerCase();
    };
    Array.prototype.forEach.call(heads, function (th, i) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(b);
      th.setAttribute("aria-sort", "none");
      b.addEventListener("click", function () {
        var up = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, c) {
          var x = key(a, i), y = key(c, i);
          var nx = parseFloat(x), ny = parseFloat(y);
          var r = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
          return up ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    if (body.rows.length > 8) {
      var p = document.createElement("p");
      p.className = "filter";
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "search";
      label.textContent = "Filter this table ";
      label.appendChild(box);
      p.appendChild(label);
      var count = document.createElement("span");
      count.setAttribute("aria-live", "polite");
      p.appendChild(count);
      table.parentNode.insertBefore(p, table);
      box.addEventListener("input", function () {
        var q = box.value.trim().toLowerCase(), shown = 0;
        Array.prototype.forEach.call(body.rows, function (r) {
          var hit = !q || r.textContent.toLowerCase().indexOf(q) >= 0;
          r.hidden = !hit;
          if (hit) shown++;
        });
        count.textContent = q ? " " + shown + " of " + body.rows.length + " rows" : "";
      });
    }
  });
  // "Cite this": the stable address with this site's origin.
  Array.prototype.forEach.call(document.querySelectorAll(".cite-url[data-path]"), function (el) {
    el.textContent = window.location.origin + el.getAttribute("data-path");
  });
})();
