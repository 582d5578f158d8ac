/* The collaboration graph (serai.network.views_graph): cytoscape.js draws the nodes at the
   positions the server computed (preset layout), so a large graph is drawn at once. Data comes
   from the JSON endpoint named by the container's data-src (no inline script: CSP). */
(function () {
  "use strict";
  var HELIX = {government: "#1f77b4", industry: "#d62728", research: "#2ca02c", academia: "#9467bd",
               international: "#ff7f0e", ngo: "#8c564b", "": "#7f7f7f"};
  var COUNTRY = {KR: "#0047a0", KZ: "#00afca", KG: "#e8112d", TJ: "#006600", TM: "#28ae66", UZ: "#1eb53a"};
  var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                 "#bcbd22", "#17becf"];

  function colour(mode, d) {
    if (mode === "country") { return COUNTRY[d.country] || "#7f7f7f"; }
    if (mode === "community") { return PALETTE[d.community % PALETTE.length]; }
    return HELIX[d.helix] || HELIX[""];
  }

  function legend(el, mode, nodes) {
    var seen = {}, items = [];
    nodes.forEach(function (n) {
      var key = mode === "country" ? n.country : mode === "community" ? String(n.community % PALETTE.length) : n.helix;
      if (!(key in seen)) { seen[key] = colour(mode, n); items.push(key); }
    });
    if (mode === "helix") { return; } // the server's legend (translated helix names) stays
    el.textContent = "";
    items.sort().forEach(function (key) {
      var li = document.createElement("li"), sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = seen[key];
      li.appendChild(sw);
      li.appendChild(document.createTextNode(" " + (key || "?")));
      el.appendChild(li);
    });
  }

  function draw(box, data) {
    var status = document.getElementById("graph-status");
    var els = data.elements;
    if (!els.nodes.length) { status.textContent = box.dataset.empty; return null; }
    var mode = "helix";
    var maxRank = els.nodes.reduce(function (m, n) { return Math.max(m, n.pagerank); }, 0) || 1;
    var elements = [];
    els.nodes.forEach(function (n) {
      elements.push({group: "nodes", data: {id: n.id, label: n.label, helix: n.helix, country: n.country,
        community: n.community, colour: colour(mode, n), size: 6 + 24 * Math.sqrt(n.pagerank / maxRank)},
        position: {x: n.x, y: n.y}});
    });
    els.edges.forEach(function (e, i) {
      elements.push({group: "edges", data: {id: "e" + i, source: e.source, target: e.target,
        width: Math.min(1 + Math.log(e.weight), 6)}});
    });
    var cy = window.cytoscape({
      container: box, elements: elements, layout: {name: "preset"},
      textureOnViewport: true, hideEdgesOnViewport: els.edges.length > 5000, pixelRatio: 1,
      minZoom: 0.05, maxZoom: 8, wheelSensitivity: 0.3,
      style: [
        // no label by default: measuring 2,000 labels dominates the first draw; a node shows its
        // name when selected or pointed at (the table lists every name)
        {selector: "node", style: {"background-color": "data(colour)", width: "data(size)", height: "data(size)"}},
        {selector: "edge", style: {width: "data(width)", "line-color": "#b8bec4", opacity: 0.6, "curve-style": "haystack"}},
        {selector: "node.named, node:selected", style: {label: "data(label)", "font-size": 12, "text-valign": "bottom",
          "text-background-color": "#fff", "text-background-opacity": 0.8}},
        {selector: "node:selected", style: {"border-width": 3, "border-color": "#000"}}
      ]
    });
    cy.on("mouseover", "node", function (evt) { evt.target.addClass("named"); });
    cy.on("mouseout", "node", function (evt) { evt.target.removeClass("named"); });
    cy.on("tap", "node", function (evt) {
      var d = evt.target.data();
      status.textContent = d.label + " · " + (d.country || "?") + " · " + (d.helix || "?") + " · " + evt.target.degree() ;
    });
    var select = document.getElementById("graph-colour");
    var legendEl = document.getElementById("graph-legend");
    var helixLegend = legendEl.innerHTML;
    if (select) {
      select.addEventListener("change", function () {
        mode = select.value;
        cy.batch(function () {
          cy.nodes().forEach(function (node) { node.data("colour", colour(mode, node.data())); });
        });
        if (mode === "helix") { legendEl.innerHTML = helixLegend; } else { legend(legendEl, mode, els.nodes); }
      });
    }
    status.textContent = "";
    box.dataset.tBuilt = String(Math.round(performance.now()));  // timings read by bench/network_graph.py
    box.dataset.drawn = String(els.nodes.length);
    box.dispatchEvent(new CustomEvent("graph:drawn", {bubbles: true}));
    return cy;
  }

  function start() {
    var box = document.getElementById("graph-canvas");
    if (!box || !window.cytoscape) { return; }
    box.dataset.tStart = String(Math.round(performance.now()));
    var status = document.getElementById("graph-status");
    status.textContent = box.dataset.loading;
    fetch(box.dataset.src, {headers: {Accept: "application/json"}, credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        box.dataset.tFetched = String(Math.round(performance.now()));
        window.seraiGraph = draw(box, data);
      })
      .catch(function () { status.textContent = "!"; });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
