/* yuegang-graph labels: no two labels overlap. Runs after view.js (same script element).
   vis-network draws a label in canvas units below its node, so two labels that overlap do so at
   every zoom. The Python layout leaves room for every label of a small network; when a network
   is too dense for that (thousands of nodes, places pinned to a map, nodes moved through
   pyvis), the labels that would cover a more important one (a bigger node, the selection) are
   left out; hovering a node still shows its name, and selecting it shows its label. */
(function () {
  "use strict";
  var view = window.ygView;
  if (!view) return;
  var network = view.network, nodes = view.nodes;
  var full = new Map();
  view.data.nodes.forEach(function (n) { full.set(n.id, n.label); });
  var ctx = document.createElement("canvas").getContext("2d");
  var CELL = 240, busy = false, pending = false;

  function box(id, pos) {
    var body = network.body.nodes[id], o = body.options;
    var size = o.font.size, text = full.get(id);
    ctx.font = size + "px " + o.font.face;
    var w = ctx.measureText(text).width + 4, half = Math.max(w / 2, o.size);
    var top = pos.y + o.size + 3;
    return { l: pos.x - half, r: pos.x + half, t: top - 2, b: top + 1.35 * size };
  }
  function declutter() {
    if (busy) return;
    busy = true;
    var selected = new Set(network.getSelectedNodes());
    var ids = nodes.getIds().filter(function (id) {
      var b = network.body.nodes[id];
      return b && !b.options.hidden && full.get(id);
    });
    var pos = network.getPositions(ids);
    ids.sort(function (a, b) {
      var sa = selected.has(a) ? 1 : 0, sb = selected.has(b) ? 1 : 0;
      if (sa !== sb) return sb - sa;
      var za = network.body.nodes[a].options.size, zb = network.body.nodes[b].options.size;
      return za !== zb ? zb - za : (a < b ? -1 : a > b ? 1 : 0);
    });
    var grid = new Map(), changes = [];
    ids.forEach(function (id) {
      var bx = box(id, pos[id]), clash = false, keys = [];
      for (var gx = Math.floor(bx.l / CELL); gx <= Math.floor(bx.r / CELL); gx++) {
        for (var gy = Math.floor(bx.t / CELL); gy <= Math.floor(bx.b / CELL); gy++) {
          var key = gx + "," + gy, cell = grid.get(key) || [];
          keys.push(key);
          clash = clash || cell.some(function (o) { return bx.l < o.r && o.l < bx.r && bx.t < o.b && o.t < bx.b; });
        }
      }
      var label = clash ? "" : full.get(id);
      if (!clash) keys.forEach(function (k) { (grid.get(k) || grid.set(k, []).get(k)).push(bx); });
      if (network.body.nodes[id].options.label !== label) changes.push({ id: id, label: label });
    });
    if (changes.length) nodes.update(changes);
    view.hiddenLabels = ids.filter(function (id) { return !network.body.nodes[id].options.label; }).length;
    busy = false;
  }
  function later() {
    if (pending || busy) return;
    pending = true;
    setTimeout(function () { pending = false; declutter(); }, 0);
  }
  function start() {
    declutter();
    nodes.on("update", function () { if (!busy) later(); }); // filters, colours, selection
    network.on("dragEnd", later);
    network.on("stabilized", later); // physics switched on moved the nodes
  }
  view.declutter = declutter;
  if (view.ready) start(); else network.once("afterDrawing", start);
})();
