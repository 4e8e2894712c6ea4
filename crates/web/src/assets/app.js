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
  // Search as you type: suggestions under the header search box.
  var input = document.getElementById("site-q");
  if (input && window.fetch) {
    var list = document.createElement("ul");
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    input.parentNode.appendChild(list);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { list.textContent = ""; return; }
      timer = setTimeout(function () {
        fetch("/api/v1/search?limit=6&q=" + encodeURIComponent(q))
          .then(function (r) { return r.ok ? r.json() : { hits: [] }; })
          .then(function (data) {
            list.textContent = "";
            data.hits.forEach(function (h) {
              var li = document.createElement("li");
              var a = document.createElement("a");
              a.href = "/entities/" + encodeURIComponent(h.id);
              a.textContent = h.title + " (" + h.kind + ")";
              li.appendChild(a);
              list.appendChild(li);
            });
          })
          .catch(function () { list.textContent = ""; });
      }, 150);
    });
  }
})();
