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
  // Suggestions as one types under a text box: a combobox (arrow keys
  // move, Enter chooses, Escape closes), from the search API. `kinds`
  // keeps only hits of those kinds; `choose` is called with the hit
  // chosen (without it, choosing opens the hit's page).
  var suggest = function (input, kinds, choose) {
    var list = document.createElement("ul");
    list.className = "suggest";
    list.id = input.id + "-suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    var timer = null, active = -1, hits = [];
    var options = function () { return list.querySelectorAll("[role=option]"); };
    var close = function () {
      list.textContent = ""; active = -1; hits = [];
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
    var pick = function (i) {
      var h = hits[i];
      if (!h) return;
      if (choose) { choose(h); close(); } else { window.location.href = "/entities/" + encodeURIComponent(h.id); }
    };
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") { ev.preventDefault(); mark(active + 1); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); mark(active - 1); }
      else if (ev.key === "Escape") { close(); }
      else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); pick(active); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        fetch("/api/v1/search?limit=8&q=" + encodeURIComponent(q))
          .then(function (r) { return r.ok ? r.json() : { hits: [] }; })
          .then(function (data) {
            close();
            hits = data.hits.filter(function (h) { return !kinds || kinds.indexOf(h.kind) >= 0; }).slice(0, 6);
            hits.forEach(function (h, i) {
              var li = document.createElement("li");
              li.id = list.id + "-" + i;
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
              if (choose) a.addEventListener("click", function (ev) { ev.preventDefault(); pick(i); });
              li.appendChild(a);
              list.appendChild(li);
            });
            if (hits.length) input.setAttribute("aria-expanded", "true");
          })
          .catch(close);
      }, 150);
    });
  };
  var input = document.getElementById("site-q");
  if (input && window.fetch) suggest(input, null, null);
  // Pickers in forms: the entry chosen goes in by its id, its name shown.
  Array.prototype.forEach.call(document.querySelectorAll("input[data-picker]"), function (box) {
    if (!window.fetch) return;
    var chosen = document.createElement("span");
    chosen.className = "chosen";
    chosen.setAttribute("aria-live", "polite");
    box.parentNode.appendChild(chosen);
    suggest(box, box.getAttribute("data-picker").split(","), function (h) {
      box.value = h.id;
      chosen.textContent = " Chosen: " + h.title + " (" + h.kind + ")";
    });
  });
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
  // The interactive network view (cytoscape, served by this site when
  // the build vendored it): pan, zoom, filters by kind and year in place,
  // a node's own ties on demand, labels that stay readable. Without it,
  // the server's drawing and its filter form remain.
  var view = document.getElementById("network-view");
  if (view && window.cytoscape && window.fetch) {
    var figure = document.querySelector("figure.network");
    var form = document.getElementById("network-filter");
    var kindOf = function (schema) {
      return schema === "Person" ? "person" : schema === "PublicBody" ? "public" : "org";
    };
    var year = function (d) { return d ? parseInt(d.slice(0, 4), 10) : NaN; };
    fetch(view.getAttribute("data-src"))
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (net) {
        var canvas = document.createElement("div");
        canvas.className = "network-canvas";
        var panel = document.createElement("p");
        panel.className = "network-panel";
        panel.setAttribute("aria-live", "polite");
        panel.textContent = "Drag to pan, scroll or pinch to zoom; choose a node for its profile and its own ties.";
        view.appendChild(canvas);
        view.appendChild(panel);
        view.hidden = false;
        if (figure) figure.hidden = true;
        var cy = cytoscape({
          container: canvas,
          minZoom: 0.15, maxZoom: 4, wheelSensitivity: 0.3,
          style: [
            { selector: "node", style: {
              "label": "data(label)", "font-size": 13, "color": "#1d1d1f",
              "text-valign": "bottom", "text-margin-y": 3,
              "text-outline-color": "#fff", "text-outline-width": 2,
              "text-wrap": "ellipsis", "text-max-width": 180, "min-zoomed-font-size": 7,
              "width": "mapData(degree, 0, 20, 10, 34)", "height": "mapData(degree, 0, 20, 10, 34)",
              "background-color": "#4b7fc4", "border-color": "#fff", "border-width": 1.5 } },
            { selector: "node.person", style: { "background-color": "#2f9d62" } },
            { selector: "node.public", style: { "background-color": "#8a5bb8" } },
            { selector: "node.center", style: { "background-color": "#c0392b", "font-weight": "bold" } },
            { selector: "node:selected", style: { "border-color": "#1d1d1f", "border-width": 3 } },
            { selector: "edge", style: { "width": 1.4, "line-color": "#b9bec7", "curve-style": "straight",
              "target-arrow-shape": "triangle", "target-arrow-color": "#b9bec7", "arrow-scale": 0.7 } },
            { selector: "edge.payment", style: { "line-color": "#c07a12", "target-arrow-color": "#c07a12" } },
            { selector: "edge.employment, edge.directorship", style: { "line-color": "#5a5ab0", "target-arrow-color": "#5a5ab0" } },
            { selector: "edge.link", style: { "line-style": "dashed" } },
            { selector: ".hidden", style: { "display": "none" } }
          ]
        });
        var add = function (n, near) {
          cy.batch(function () {
            n.nodes.forEach(function (x) {
              if (cy.getElementById(x.id).length) return;
              var pos = near ? { x: near.x + (x.x - 480) / 3, y: near.y + (x.y - 360) / 3 } : { x: x.x, y: x.y };
              cy.add({ group: "nodes", data: { id: x.id, label: x.label, degree: 0 }, position: pos,
                       classes: kindOf(x.schema) + (x.id === view.getAttribute("data-center") ? " center" : "") });
            });
            n.edges.forEach(function (e) {
              var id = e.id + "|" + e.source + "|" + e.target;
              if (cy.getElementById(id).length) return;
              cy.add({ group: "edges", data: { id: id, source: e.source, target: e.target, label: e.label,
                       start: year(e.start), end: year(e.end) }, classes: e.kind });
            });
            cy.nodes().forEach(function (x) { x.data("degree", x.degree()); });
          });
        };
        add(net, null);
        cy.fit(undefined, 30);
        var apply = function () {
          if (!form) return;
          var kinds = Array.prototype.filter.call(form.querySelectorAll("input[name=kind]"), function (b) { return b.checked; })
            .map(function (b) { return b.value; });
          var y = parseInt(form.querySelector("input[name=year]").value, 10);
          cy.batch(function () {
            cy.edges().forEach(function (e) {
              var held = isNaN(y) || ((isNaN(e.data("start")) || e.data("start") <= y) && (isNaN(e.data("end")) || e.data("end") >= y));
              var shown = held && kinds.some(function (k) { return e.hasClass(k); });
              e.toggleClass("hidden", !shown);
            });
            cy.nodes().forEach(function (x) {
              var tied = x.hasClass("center") || x.connectedEdges().some(function (e) { return !e.hasClass("hidden"); });
              x.toggleClass("hidden", !tied);
            });
          });
        };
        if (form) {
          form.addEventListener("change", apply);
          form.addEventListener("submit", function (ev) { ev.preventDefault(); apply(); });
        }
        cy.on("tap", "node", function (ev) {
          var x = ev.target;
          panel.textContent = "";
          var a = document.createElement("a");
          a.href = "/entities/" + encodeURIComponent(x.id());
          a.textContent = x.data("label");
          panel.appendChild(a);
          panel.appendChild(document.createTextNode(" · " + x.degree() + " ties shown · "));
          var more = document.createElement("button");
          more.type = "button";
          more.textContent = "Show its own ties";
          more.addEventListener("click", function () {
            more.disabled = true;
            fetch("/networks/" + encodeURIComponent(x.id()) + ".json")
              .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
              .then(function (n) { add(n, x.position()); apply(); more.textContent = "Shown"; })
              .catch(function () { more.textContent = "Could not load its ties"; });
          });
          panel.appendChild(more);
        });
        cy.on("dbltap", "node", function (ev) { window.location.href = "/entities/" + encodeURIComponent(ev.target.id()); });
        var tools = document.createElement("p");
        tools.className = "network-tools";
        var fit = document.createElement("button");
        fit.type = "button"; fit.textContent = "Fit to the screen";
        fit.addEventListener("click", function () { cy.fit(cy.elements(":visible"), 30); });
        var relay = document.createElement("button");
        relay.type = "button"; relay.textContent = "Lay out again";
        relay.addEventListener("click", function () { cy.layout({ name: "cose", animate: false, fit: true, padding: 30 }).run(); });
        var still = document.createElement("button");
        still.type = "button"; still.textContent = "Static drawing";
        still.addEventListener("click", function () { view.hidden = true; if (figure) figure.hidden = false; });
        tools.appendChild(fit); tools.appendChild(relay); tools.appendChild(still);
        view.insertBefore(tools, canvas);
        view.cy = cy;
      })
      .catch(function () { view.hidden = true; if (figure) figure.hidden = false; });
  }
  // "Cite this": the stable address with this site's origin.
  Array.prototype.forEach.call(document.querySelectorAll(".cite-url[data-path]"), function (el) {
    el.textContent = window.location.origin + el.getAttribute("data-path");
  });
})();
