/* yuegang-graph labels: no two labels overlap. Runs before view.js (same script element).
   vis-network draws a label in canvas units below its node, so two labels that overlap do so at
   every zoom. The Python layout leaves room for every label of a small network; when a network
   is too dense for that (thousands of nodes, places pinned to a map, nodes moved through
   pyvis), the labels that would cover a more important one (a bigger node, the selection) are
   left out; hovering a node still shows its name, and selecting it shows its label.
   view.js picks the first labels with fit() before it creates the network (changing thousands
   of labels afterwards costs vis-network a second pass over every node and edge), then calls
   attach(), which keeps them apart after every change. */
window.ygLabels = (function () {
  "use strict";
  var ctx = document.createElement("canvas").getContext("2d");
  var CELL = 240;
  var widths = new Map(); // font + text -> measured width; most labels are measured once

  function textWidth(font, text) {
    var key = font + "\u0000" + text, w = widths.get(key);
    if (w === undefined) {
      ctx.font = font;
      w = ctx.measureText(text).width;
      widths.set(key, w);
    }
    return w;
  }
  // entries: {id, x, y, size (node radius), font (px), face, text, first (the selection)}, in
  // canvas units. Returns the Set of ids whose label is drawn: the selection first, then bigger
  // nodes, then by id; a label is left out when its box would cover one already kept.
  function fit(entries) {
    entries.sort(function (a, b) {
      if (a.first !== b.first) return a.first ? -1 : 1;
      return a.size !== b.size ? b.size - a.size : (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    var grid = new Map(), shown = new Set();
    function clashes(bx, keys) { // whether box bx overlaps a kept one; keys gets its grid cells
      var clash = false;
      for (var gx = Math.floor(bx.l / CELL); gx <= Math.floor(bx.r / CELL); gx++) {
        for (var gy = Math.floor(bx.t / CELL); gy <= Math.floor(bx.b / CELL); gy++) {
          var key = gx * 1048576 + gy, cell = grid.get(key) || []; // a number: faster than "gx,gy"
          keys.push(key);
          clash = clash || cell.some(function (o) { return bx.l < o.r && o.l < bx.r && bx.t < o.b && o.t < bx.b; });
        }
      }
      return clash;
    }
    entries.forEach(function (e) {
      var top = e.y + e.size + 3, t = top - 2, b = top + 1.35 * e.font;
      // the box is at least the node's width: when that already overlaps a kept box, the label
      // is left out without measuring it (most of a dense network's labels)
      if (clashes({ l: e.x - e.size, r: e.x + e.size, t: t, b: b }, [])) return;
      var w = textWidth(e.font + "px " + e.face, e.text) + 4, half = Math.max(w / 2, e.size);
      var bx = { l: e.x - half, r: e.x + half, t: t, b: b }, keys = [];
      if (clashes(bx, keys)) return;
      shown.add(e.id);
      keys.forEach(function (k) { (grid.get(k) || grid.set(k, []).get(k)).push(bx); });
    });
    return shown;
  }

  function attach(view) {
    var network = view.network, nodes = view.nodes;
    function node(id) { return view.nodeOf ? view.nodeOf(id) : network.body.nodes[id]; } // vis-network's or the page's
    var full = new Map();
    view.data.nodes.forEach(function (n) { full.set(n.id, n.label); });
    var busy = false, pending = false;

    function declutter() {
      if (busy) return;
      busy = true;
      var selected = new Set(network.getSelectedNodes());
      var ids = nodes.getIds().filter(function (id) {
        var b = node(id);
        return b && !b.options.hidden && full.get(id);
      });
      var pos = network.getPositions(ids);
      var shown = fit(ids.map(function (id) {
        var o = node(id).options;
        return { id: id, x: pos[id].x, y: pos[id].y, size: o.size, font: o.font.size, face: o.font.face,
                 text: full.get(id), first: selected.has(id) };
      }));
      var changes = [];
      ids.forEach(function (id) {
        var label = shown.has(id) ? full.get(id) : "";
        var now = node(id).options.label || ""; // vis-network keeps "" as undefined
        if (now !== label) changes.push({ id: id, label: label });
      });
      if (changes.length) nodes.update(changes);
      view.hiddenLabels = ids.length - shown.size;
      busy = false;
    }
    function later() {
      if (pending || busy) return;
      pending = true;
      setTimeout(function () { pending = false; declutter(); }, 0);
    }
    function start() {
      if (view.firstLabels) view.hiddenLabels = view.firstLabels.hidden; // picked as declutter would
      else declutter();
      nodes.on("update", function () { if (!busy) later(); }); // filters, colours, selection
      network.on("dragEnd", later);
      network.on("stabilized", later); // physics switched on moved the nodes
    }
    view.declutter = declutter;
    if (view.ready) start(); else network.once("afterDrawing", start);
  }

  return { fit: fit, attach: attach, textWidth: textWidth };
})();
