/* yuegang-graph interactive view. Reads the page's JSON data block; document text is only ever
   written with textContent, never parsed as HTML. Exposes window.ygView for tests and notebooks. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("yg-data").textContent);
  // Long lists come packed (graph.views.page.pack_data): the edges are rebuilt from columns
  // here; a node's (item, role) pairs and an edge's items are decoded when first read.
  var REFS = DATA.refs || [], ROLES = DATA.roles || [null];
  function tokens(text) { // "c 14.1" -> [[REFS[12], null], [REFS[40], ROLES[1]]]
    return text === "" ? [] : text.split(" ").map(function (t) {
      var dot = t.indexOf(".");
      return dot < 0 ? [REFS[parseInt(t, 36)], null]
                     : [REFS[parseInt(t.slice(0, dot), 36)], ROLES[parseInt(t.slice(dot + 1), 36)]];
    });
  }
  function pairsOf(n) { // a node's [[item label or agency id, role]]
    if (typeof n.a === "string") n.a = tokens(n.a);
    return n.a || [];
  }
  function itemsOf(e) { // an edge's item labels, or undefined for an edge without items
    if (typeof e.items === "string") e.items = tokens(e.items).map(function (p) { return p[0]; });
    return e.items;
  }
  if (DATA.E) {
    DATA.edges = DATA.E.from.map(function (f, i) {
      var E = DATA.E, e = { id: E.id ? E.id[i] : "e" + i, from: DATA.nodes[f].id, to: DATA.nodes[E.to[i]].id, w: E.w[i] };
      ["weight", "items", "role", "rel"].forEach(function (k) { if (E[k] && E[k][i] !== null) e[k] = E[k][i]; });
      return e;
    });
    delete DATA.E;
  }
  var FONT = getComputedStyle(document.documentElement).getPropertyValue("--yg-font").trim() || "sans-serif";
  var DIM = "rgba(200,200,200,0.35)";
  var EDGE = "rgba(110,118,129,0.45)";
  var BROADER = "#6f42c1"; // narrower theme -> broader theme
  var SHAPES = { agency: "dot", item: "square", theme: "diamond", place: "triangle" };
  var SYMBOLS = { agency: "\u25cf", item: "\u25a0", theme: "\u25c6", place: "\u25b2" };
  var OWN_SHAPES = { // the page-drawn node shapes: the paths of vis-network 9.1.2's shapes
    dot: function (ctx, x, y, r) { ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI, false); ctx.closePath(); },
    square: function (ctx, x, y, r) { ctx.beginPath(); ctx.rect(x - r, y - r, 2 * r, 2 * r); ctx.closePath(); },
    diamond: function (ctx, x, y, r) {
      ctx.beginPath(); ctx.lineTo(x, y + r); ctx.lineTo(x + r, y); ctx.lineTo(x, y - r); ctx.lineTo(x - r, y); ctx.closePath();
    },
    triangle: function (ctx, x, y, r) {
      r *= 1.15; y += 0.275 * r;
      var s = 2 * r, h = s / 2, ir = Math.sqrt(3) / 6 * s, hh = Math.sqrt(s * s - h * h);
      ctx.beginPath(); ctx.moveTo(x, y - (hh - ir)); ctx.lineTo(x + h, y + ir); ctx.lineTo(x - h, y + ir);
      ctx.lineTo(x, y - (hh - ir)); ctx.closePath();
    },
  };

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function option(select, value, label) {
    var o = el("option", label);
    o.value = value;
    select.appendChild(o);
  }

  var byId = new Map();
  DATA.nodes.forEach(function (n) { byId.set(n.id, n); });
  // agency id -> Map(item label -> role), and item label -> ids of the agencies of this view
  // holding it: built when a role filter, a selection or a search first needs them, not before
  // the first draw (a 2,000-agency network holds some 100,000 such pairs)
  var roles = null, holders = null;
  function roleOf(id) {
    if (roles === null) {
      roles = new Map();
      DATA.nodes.forEach(function (n) {
        if (n.t === "agency") roles.set(n.id, new Map(pairsOf(n).map(function (p) { return [p[0], p[1]]; })));
      });
    }
    return roles.get(id);
  }
  function agenciesOf(label) {
    if (holders === null) {
      holders = new Map();
      DATA.nodes.forEach(function (n) {
        if (n.t !== "agency") return;
        pairsOf(n).forEach(function (p) { (holders.get(p[0]) || holders.set(p[0], []).get(p[0])).push(n.id); });
      });
    }
    return holders.get(label);
  }
  // item labels in reading order: "2" < "10", "2.3" < "2.10", "slug/2" < "slug/10"
  function labelCompare(a, b) {
    var ia = a.lastIndexOf("/"), ib = b.lastIndexOf("/");
    var ha = a.slice(0, ia + 1), hb = b.slice(0, ib + 1);
    if (ha !== hb) return ha < hb ? -1 : 1;
    var na = (a.slice(ia + 1).match(/\d+/g) || []).map(Number), nb = (b.slice(ib + 1).match(/\d+/g) || []).map(Number);
    for (var i = 0; i < Math.min(na.length, nb.length); i++) if (na[i] !== nb[i]) return na[i] - nb[i];
    if (na.length !== nb.length) return na.length - nb.length;
    return a < b ? -1 : (a > b ? 1 : 0);
  }
  function sortLabels(labels) { // labels.sort(labelCompare), as one plain string sort (50,000 items: 0.7 s -> 0.05 s)
    // each label's key: its head, "\0", each number as (its digit count, its digits), "\0", the
    // label itself; strings compare as labelCompare does (a shorter run of numbers first)
    var keys = [];
    for (var i = 0; i < labels.length; i++) {
      var l = labels[i], cut = l.lastIndexOf("/"), runs = l.slice(cut + 1).match(/\d+/g) || [], key = l.slice(0, cut + 1) + "\0";
      if (l.indexOf("\0") >= 0) return labels.slice().sort(labelCompare);
      for (var j = 0; j < runs.length; j++) {
        var digits = runs[j].replace(/^0+(?=\d)/, "");
        if (digits.length > 15) return labels.slice().sort(labelCompare); // past exact Numbers
        key += String.fromCharCode(64 + digits.length) + digits;
      }
      keys.push(key + "\0" + l);
    }
    return keys.sort().map(function (k) { return k.slice(k.lastIndexOf("\0") + 1); });
  }
  var ITEM_LABELS = sortLabels(Object.keys(DATA.items));
  var itemsWith = { theme: new Map(), place: new Map() };
  ITEM_LABELS.forEach(function (label) {
    var it = DATA.items[label];
    (it.th || []).forEach(function (x) { (itemsWith.theme.get(x) || itemsWith.theme.set(x, []).get(x)).push(label); });
    (it.pl || []).forEach(function (x) { (itemsWith.place.get(x) || itemsWith.place.set(x, []).get(x)).push(label); });
  });
  // themes: a theme's items include those of its narrower themes (skos:broader), shown as such
  var THEMES = DATA.themes || {}; // name -> {en, broader: [names]}
  var narrower = new Map(); // name -> names of every narrower theme, transitively
  Object.keys(THEMES).forEach(function (name) {
    var todo = (THEMES[name].broader || []).slice(), seen = new Set();
    while (todo.length) {
      var b = todo.pop();
      if (seen.has(b) || b === name) continue;
      seen.add(b);
      (narrower.get(b) || narrower.set(b, new Set()).get(b)).add(name);
      ((THEMES[b] || {}).broader || []).forEach(function (x) { todo.push(x); });
    }
  });
  function themeNames(name) { return [name].concat(Array.from(narrower.get(name) || []).sort()); }
  function themeItems(name) { // [[label, via narrower theme or null]] in reading order
    var via = new Map();
    themeNames(name).forEach(function (t) {
      (itemsWith.theme.get(t) || []).forEach(function (l) { if (!via.has(l) || t === name) via.set(l, t === name ? null : t); });
    });
    return sortLabels(Array.from(via.keys())).map(function (l) { return [l, via.get(l)]; });
  }
  function facetItems(n) { // a theme or place node's items, [[label, via]]
    if (n.t === "theme") return themeItems(n.facet);
    return ((itemsWith[n.t] && itemsWith[n.t].get(n.facet)) || []).map(function (l) { return [l, null]; });
  }

  var state = {
    colour: DATA.modes.colour[0].id,
    size: DATA.modes.size[0].id,
    f: { section: "", theme: "", kind: "", role: "" },
    types: new Set(DATA.types.map(function (t) { return t[0]; })),
    selected: null,
    group: null, // the item search hit being shown, or null
  };

  // ---- filters -------------------------------------------------------------------------
  function itemFiltered() { return state.f.section !== "" || state.f.theme !== ""; }
  function itemPass(label) {
    var it = DATA.items[label];
    if (!it) return !itemFiltered();
    if (state.f.section !== "" && String(it.s) !== state.f.section) return false;
    if (state.f.theme !== "" && !themeNames(state.f.theme).some(function (t) { return (it.th || []).indexOf(t) >= 0; })) return false;
    return true;
  }
  function roleOk(role) { return state.f.role === "" || role === state.f.role; }
  function nodePass(n) {
    if (!state.types.has(n.t)) return false;
    var f = state.f;
    if (n.t === "agency") {
      if (f.kind !== "" && n.kind !== f.kind) return false;
      if (!itemFiltered() && f.role === "") return true;
      return pairsOf(n).some(function (p) { return itemPass(p[0]) && roleOk(p[1]); });
    }
    if (n.t === "item") {
      if (!itemPass(n.ref)) return false;
      return pairsOf(n).some(function (p) {
        var ag = byId.get(p[0]);
        return roleOk(p[1]) && (f.kind === "" || (ag && ag.kind === f.kind));
      }) || (pairsOf(n).length === 0 && f.role === "" && f.kind === "");
    }
    // theme and place nodes: shown while some item naming them passes (or none is known)
    if (n.t === "theme" && f.theme !== "" && themeNames(f.theme).indexOf(n.facet) < 0) return false;
    if (!itemFiltered()) return true;
    return facetItems(n).some(function (p) { return itemPass(p[0]); });
  }
  function edgePass(e, visible) {
    if (!visible.has(e.from) || !visible.has(e.to)) return false;
    if (e.role && !roleOk(e.role)) return false;
    if ((itemFiltered() || state.f.role !== "") && itemsOf(e)) {
      return itemsOf(e).some(function (label) {
        if (!itemPass(label)) return false;
        if (state.f.role === "" || e.role) return true;
        var a = roleOf(e.from), b = roleOf(e.to);
        return (a && a.get(label) === state.f.role) || (b && b.get(label) === state.f.role);
      });
    }
    return true;
  }

  // ---- styling -----------------------------------------------------------------------------
  var palette = {};
  DATA.modes.colour.forEach(function (m) {
    palette[m.id] = new Map(m.legend.map(function (l) { return [l.key, l.color]; }));
  });
  function colourOf(n) {
    var key = n.c[state.colour];
    if (key === undefined) key = n.c._;
    return palette[state.colour].get(key) || (DATA.fixed_colours[n.t] || "#8c959f");
  }
  var visible = new Set();
  var visibleEdges = new Set();
  var neighbours = null; // Set of ids highlighted around the selection, or null

  var EVERY_EDGE = { size: DATA.edges.length, has: function () { return true; } };
  var ALL_TYPES = DATA.nodes.every(function (n) { return state.types.has(n.t); });
  function computeVisibility() {
    if (ALL_TYPES && state.types.size === DATA.types.length && !itemFiltered() &&
        state.f.kind === "" && state.f.role === "") { // nothing filtered: every node and edge
      visible = new Set(DATA.nodes.map(function (n) { return n.id; }));
      visibleEdges = EVERY_EDGE; // not a Set of 20,000 ids that nothing needs
      return;
    }
    visible = new Set();
    DATA.nodes.forEach(function (n) { if (nodePass(n)) visible.add(n.id); });
    visibleEdges = new Set();
    DATA.edges.forEach(function (e) { if (edgePass(e, visible)) visibleEdges.add(e.id); });
  }
  function nodeStyle(n) {
    var c = colourOf(n);
    var lit = !neighbours || neighbours.has(n.id);
    return {
      id: n.id,
      hidden: !visible.has(n.id),
      size: n.s[state.size] !== undefined ? n.s[state.size] : n.s._,
      color: lit ? { background: c, border: "#3d444d", highlight: { background: c, border: "#000" },
                     hover: { background: c, border: "#000" } }
                 : { background: DIM, border: DIM, highlight: { background: c, border: "#000" } },
      font: { color: lit ? "#1f2328" : "rgba(120,120,120,0.5)" },
    };
  }
  function edgeColour(e) {
    var lit = !neighbours || (neighbours.has(e.from) && neighbours.has(e.to) &&
                              (e.from === state.selected || e.to === state.selected ||
                               (state.group !== null && (!itemsOf(e) || itemsOf(e).some(function (l) { return state.group.set.has(l); })))));
    return lit ? (e.rel === "broader" ? BROADER : EDGE) : DIM;
  }
  function edgeStyle(e) {
    return { id: e.id, hidden: !visibleEdges.has(e.id), color: { color: edgeColour(e), highlight: "#0969da" } };
  }
  function restyle() {
    computeVisibility();
    nodes.update(DATA.nodes.map(nodeStyle));
    if (ownEdges) { lookEdges(); network.body.emitter.emit("_requestRedraw"); }
    else edges.update(DATA.edges.map(edgeStyle));
    showCount();
  }
  function showCount() {
    $("yg-count").textContent = visible.size + " / " + DATA.nodes.length + " nodes \u00b7 " +
      visibleEdges.size + " / " + DATA.edges.length + " edges";
  }

  // ---- base map -------------------------------------------------------------------------------
  var LAND = { guangdong: "#f3efe2", "hong-kong": "#f6e3da", macao: "#f6e3da" };
  var SEA = "#e6eff6";
  function baseMap(spec) {
    var panels = {};
    spec.panels.forEach(function (p) { panels[p.id] = p; });
    function project(p, lon, lat) {
      return [p.x + (lon - p.bbox[0]) * p.kx, p.y + (p.bbox[3] - lat) * p.ky];
    }
    function trace(path, p, flat, close) { // flat: lon*1000, lat*1000, then differences
      var lon = 0, lat = 0;
      for (var i = 0; i < flat.length; i += 2) {
        lon += flat[i]; lat += flat[i + 1];
        var xy = project(p, lon / 1000, lat / 1000);
        if (i === 0) path.moveTo(xy[0], xy[1]); else path.lineTo(xy[0], xy[1]);
      }
      if (close) path.closePath();
    }
    var drawn = spec.panels.map(function (p) { // one set of paths per panel, built once
      var land = {};
      spec.base.regions.forEach(function (r) {
        var path = land[r.group] || (land[r.group] = new Path2D());
        r.rings.forEach(function (ring) { trace(path, p, ring, true); });
      });
      var lines = {};
      Object.keys(spec.base.lines).forEach(function (k) {
        lines[k] = new Path2D();
        spec.base.lines[k].forEach(function (l) { trace(lines[k], p, l, false); });
      });
      return { p: p, land: land, lines: lines };
    });
    function text(ctx, s, x, y, size, colour, width) {
      ctx.font = size + "px " + FONT;
      ctx.fillStyle = colour;
      ctx.textAlign = "left";
      ctx.textBaseline = "alphabetic";
      if (width) ctx.fillText(s, x, y, width); else ctx.fillText(s, x, y);
    }
    function draw(ctx) {
      var unit = 1 / network.getScale(); // one screen pixel in canvas units
      drawn.forEach(function (d) {
        var p = d.p;
        ctx.save();
        ctx.fillStyle = SEA;
        ctx.fillRect(p.x, p.y, p.w, p.h);
        ctx.beginPath(); ctx.rect(p.x, p.y, p.w, p.h); ctx.clip();
        Object.keys(d.land).forEach(function (g) {
          ctx.fillStyle = LAND[g] || LAND.guangdong;
          ctx.strokeStyle = LAND[g] || LAND.guangdong;
          ctx.lineWidth = unit;
          ctx.fill(d.land[g], "evenodd");
          ctx.stroke(d.land[g]);
        });
        ctx.lineJoin = "round";
        if (d.lines.inner) { ctx.strokeStyle = "#d3cbb6"; ctx.lineWidth = 1.2 * unit; ctx.stroke(d.lines.inner); }
        if (d.lines.outline) { ctx.strokeStyle = "#9c9480"; ctx.lineWidth = 1.4 * unit; ctx.stroke(d.lines.outline); }
        if (p.id === "gd" && panels.prd) { // the delta's frame on the overview
          var a = project(p, panels.prd.bbox[0], panels.prd.bbox[3]);
          var b = project(p, panels.prd.bbox[1], panels.prd.bbox[2]);
          ctx.setLineDash([6, 4]); ctx.strokeStyle = "#57606a"; ctx.lineWidth = 1.5 * unit;
          ctx.strokeRect(a[0], a[1], b[0] - a[0], b[1] - a[1]); ctx.setLineDash([]);
        }
        ctx.restore();
        ctx.strokeStyle = "#8c959f"; ctx.lineWidth = 2;
        ctx.strokeRect(p.x, p.y, p.w, p.h);
        text(ctx, p.title, p.x, p.y - 12, 26, "#57606a", p.w); // no wider than its panel
      });
      if (spec.far.length) {
        var f0 = spec.far[0];
        text(ctx, spec.far_title, f0.x, f0.y - 16, 26, "#57606a");
        spec.far.forEach(function (f) {
          ctx.fillStyle = "#f6f8fa"; ctx.strokeStyle = "#8c959f"; ctx.lineWidth = 2;
          ctx.fillRect(f.x, f.y, f.w, f.h); ctx.strokeRect(f.x, f.y, f.w, f.h);
          text(ctx, f.note, f.x + 140, f.y + f.h / 2 + 8, 24, "#57606a");
        });
      }
      // true points of places pushed apart to keep labels clear, with a leader line
      ctx.strokeStyle = "#57606a"; ctx.fillStyle = "#1a7f37"; ctx.lineWidth = 1.5 * unit;
      Object.keys(spec.anchors).forEach(function (id) {
        if (!visible.has(id)) return;
        var a = spec.anchors[id], pos = network.getPositions([id])[id];
        ctx.beginPath(); ctx.arc(a[1], a[2], 4, 0, 2 * Math.PI); ctx.fill();
        if (Math.hypot(pos.x - a[1], pos.y - a[2]) > 6) {
          ctx.beginPath(); ctx.moveTo(a[1], a[2]); ctx.lineTo(pos.x, pos.y); ctx.stroke();
        }
      });
      var prd = panels.prd;
      if (prd) text(ctx, spec.attribution, prd.x, prd.y + prd.h + 30, 22, "#6e7781", prd.w);
    }
    function bounds() { // panels, far boxes and titles: the whole figure
      var xs = [], ys = [];
      spec.panels.forEach(function (p) { xs.push(p.x, p.x + p.w); ys.push(p.y - 50, p.y + p.h + 40); });
      spec.far.forEach(function (f) { xs.push(f.x, f.x + f.w); ys.push(f.y - 50, f.y + f.h); });
      return { x0: Math.min.apply(null, xs), x1: Math.max.apply(null, xs),
               y0: Math.min.apply(null, ys), y1: Math.max.apply(null, ys) };
    }
    return { spec: spec, panels: panels, draw: draw, bounds: bounds,
             project: function (id, lon, lat) { return project(panels[id], lon, lat); } };
  }

  // ---- controls (filled before the network is drawn: their size sets the network's box) -----
  DATA.modes.colour.forEach(function (m) { option($("yg-colour"), m.id, m.label); });
  DATA.modes.size.forEach(function (m) { option($("yg-size"), m.id, m.label); });
  ["section", "theme", "kind", "role"].forEach(function (f) {
    var select = $("yg-f-" + f);
    (DATA.filters[f] || []).forEach(function (p) { option(select, p[0], p[1]); });
    select.disabled = !(DATA.filters[f] || []).length;
    select.addEventListener("change", function () { state.f[f] = select.value; refresh(); });
  });
  function setFilter(name, value) { state.f[name] = value; $("yg-f-" + name).value = value; refresh(); }
  function resetFilters() {
    ["section", "theme", "kind", "role"].forEach(function (f) { state.f[f] = ""; $("yg-f-" + f).value = ""; });
    state.types = new Set(DATA.types.map(function (t) { return t[0]; }));
    Array.prototype.forEach.call(document.querySelectorAll("#yg-types input"), function (c) { c.checked = true; });
    computeVisibility();
  }
  function refresh() {
    if (state.selected !== null || state.group !== null) {
      network.unselectAll(); neighbours = null; state.selected = null; state.group = null;
    }
    restyle();
  }
  $("yg-colour").addEventListener("change", function (ev) { state.colour = ev.target.value; restyle(); legend(); });
  $("yg-size").addEventListener("change", function (ev) { state.size = ev.target.value; restyle(); });
  $("yg-physics").addEventListener("change", function (ev) {
    if (ev.target.checked) { visNodes(); visEdges(); }
    network.setOptions({ physics: { enabled: ev.target.checked } });
  });
  $("yg-reset").addEventListener("click", function () { resetFilters(); refresh(); fitView(); });
  if (DATA.types.length > 1) {
    DATA.types.forEach(function (t) {
      var l = el("label"); var c = el("input"); c.type = "checkbox"; c.checked = true; c.value = t[0];
      c.addEventListener("change", function () { if (c.checked) state.types.add(t[0]); else state.types.delete(t[0]); refresh(); });
      l.appendChild(c); l.appendChild(document.createTextNode(" " + t[1]));
      $("yg-types").appendChild(l);
    });
  }
  $("yg-png").addEventListener("click", function () {
    var src = $("yg-network").querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = src.width; out.height = src.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(src, 0, 0);
    var a = document.createElement("a");
    a.download = DATA.view + ".png";
    a.href = out.toDataURL("image/png");
    document.body.appendChild(a); a.click(); a.remove();
  });

  // ---- network -----------------------------------------------------------------------------
  // A network with many edges has them drawn by this page (ownEdges, below) instead of vis-network:
  // vis-network builds an object per edge with its own copy of every option (about 40 us each,
  // most of a second at 20,000 edges). They become vis-network edges when physics is switched
  // on, since its springs need them.
  var OWN_EDGES_MIN = 5000;
  var ownEdges = DATA.edges.length >= OWN_EDGES_MIN && !((DATA.vis || {}).physics || {}).enabled;
  computeVisibility();
  // the legend and the count first: filled in later they would narrow the network's box, and
  // vis-network would fit and draw everything a second time
  legend();
  showCount(); // the data sets are built with these styles: no second pass over 20,000 edges
  var firstStyles = DATA.nodes.map(nodeStyle);
  var fontSize = function (n) { return n.fs || (n.t === "item" ? 20 : 30); };
  var labelled = DATA.nodes.map(function (n, i) {
    return { id: n.id, x: n.x, y: n.y, size: firstStyles[i].size, font: fontSize(n), face: FONT,
             text: n.label, first: false };
  }).filter(function (e, i) { return e.text && !firstStyles[i].hidden; });
  var firstLabels = window.ygLabels.fit(labelled);
  firstLabels.hidden = labelled.length - firstLabels.size;
  if (!labelled.every(function (e) { return isFinite(e.x) && isFinite(e.y); })) firstLabels = null;
  // the common font is a network option: vis-network sets a node up faster without its own
  // (unless pyvis options name node options: then every node carries its font, as before)
  var NODE_FONT = { face: FONT, size: 30, color: "#1f2328" };
  var ownFont = !!(DATA.vis && DATA.vis.nodes);
  // A network with thousands of nodes has them drawn by this page too (ownNodes, below): vis-network
  // sets up each node with its own copy of every option and a label module (about 0.1 ms each,
  // a quarter of a second at 2,000 nodes). vis-network keeps the canvas, zoom, drag and clicks.
  var OWN_NODES_MIN = window.ygOwnNodesMin || 1000; // a script set before the page may change it
  var ownNodes = ownEdges && !ownFont && DATA.nodes.length >= OWN_NODES_MIN && DATA.nodes.every(function (n) {
    return isFinite(n.x) && isFinite(n.y) && OWN_SHAPES[n.shape || SHAPES[n.t] || "dot"] !== undefined;
  });
  var nodes = new vis.DataSet(DATA.nodes.map(function (n, i) {
    var s = firstStyles[i];
    s.label = !firstLabels || firstLabels.has(n.id) ? n.label : ""; s.x = n.x; s.y = n.y; s.shape = n.shape || SHAPES[n.t] || "dot";
    if (ownFont || s.font.color !== NODE_FONT.color || fontSize(n) !== NODE_FONT.size) {
      s.font = { color: s.font.color, face: FONT, size: fontSize(n) };
    } else delete s.font;
    if (!s.hidden) delete s.hidden;
    return s;
  }));
  function visEdge(e) {
    var s = edgeStyle(e);
    s.from = e.from; s.to = e.to; s.width = e.w;
    if (e.rel === "broader") { s.dashes = [8, 6]; s.arrows = { to: { enabled: true, scaleFactor: 0.8 } }; s.width = 2.5; }
    return s;
  }
  var edges = new vis.DataSet(ownEdges ? [] : DATA.edges.map(visEdge));
  var adjacent = null; // node id -> ids of the nodes linked to it, as vis-network lists them
  function connected(id) {
    if (adjacent === null) { // on the first selection
      adjacent = new Map();
      DATA.edges.forEach(function (e) {
        (adjacent.get(e.from) || adjacent.set(e.from, []).get(e.from)).push(e.to);
        if (e.to !== e.from) (adjacent.get(e.to) || adjacent.set(e.to, []).get(e.to)).push(e.from);
      });
    }
    return Array.from(new Set(adjacent.get(id) || []));
  }
  function merge(into, from) { // vis-network options set through pyvis win over the page's own
    Object.keys(from || {}).forEach(function (k) {
      var v = from[k];
      if (v && typeof v === "object" && !Array.isArray(v) && into[k] && typeof into[k] === "object") merge(into[k], v);
      else into[k] = v;
    });
    return into;
  }
  var network = new vis.Network($("yg-network"), { nodes: ownNodes ? new vis.DataSet() : nodes, edges: edges }, merge({
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 1 },
    physics: { enabled: false, solver: "forceAtlas2Based", stabilization: false },
    edges: { smooth: false, selectionWidth: 1.5 },
    nodes: { borderWidth: 1, font: NODE_FONT },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: DATA.big, hideEdgesOnZoom: DATA.big },
  }, DATA.vis));
  $("yg-physics").checked = network.physics.options.enabled === true;
  window.ygView = { data: DATA, network: network, nodes: nodes, edges: edges, ready: false,
                    // the first labels as labels.js would pick them after the first draw, unless
                    // physics moves the nodes before it
                    firstLabels: network.physics.options.enabled ? null : firstLabels,
                    select: selectNode, setFilter: setFilter, visibleIds: function () { return Array.from(visible); },
                    search: function (q) { return runSearch(q); },
                    pairs: pairsOf, edgeItems: itemsOf, // a record's decoded [[item, role]] / item labels
                    litIds: function () { return neighbours ? Array.from(neighbours).sort() : null; } };
  // ---- base map (places view): drawn under the network in its own coordinates ------------------
  var MAP = DATA.map ? baseMap(DATA.map) : null;
  var tip = $("yg-tip");
  function fitView() {
    if (!MAP) { network.fit({ animation: false }); return; }
    var b = MAP.bounds(); // the map and every node (agency columns stand beside it)
    network.body.nodeIndices.forEach(function (id) {
      var box = network.getBoundingBox(id); // a node added without a position has none yet
      if (!box || !isFinite(box.left + box.right + box.top + box.bottom)) return;
      b.x0 = Math.min(b.x0, box.left); b.x1 = Math.max(b.x1, box.right);
      b.y0 = Math.min(b.y0, box.top); b.y1 = Math.max(b.y1, box.bottom);
    });
    var el = $("yg-network"), pad = 0.97;
    var scale = Math.min(el.clientWidth / (b.x1 - b.x0), el.clientHeight / (b.y1 - b.y0)) * pad;
    network.moveTo({ position: { x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 }, scale: scale, animation: false });
  }
  if (MAP) {
    window.ygView.map = MAP;
    network.on("beforeDrawing", MAP.draw);
    network.once("afterDrawing", fitView);
  }
  // ---- edges drawn by the page (ownEdges): as vis-network draws straight edges, under the nodes --
  var edgeLook = []; // per edge of DATA.edges: its colour, or null while it is hidden
  var selectedEdge = null; // the edge clicked last (vis-network selects it; here the page does)
  function lookEdges() {
    lookVersion++;
    edgeLook = DATA.edges.map(function (e) { return visibleEdges.has(e.id) ? edgeColour(e) : null; });
  }
  function drawArrow(ctx, a, b) { // an arrow head where the edge a -> b meets b's shape
    var dx = b.x - a.x, dy = b.y - a.y, d = Math.hypot(dx, dy), r = b.options.size || 10;
    if (d <= r) return;
    var ux = dx / d, uy = dy / d, tipX = b.x - ux * r, tipY = b.y - uy * r, len = 12;
    ctx.beginPath(); ctx.moveTo(tipX, tipY);
    ctx.lineTo(tipX - ux * len - uy * len * 0.45, tipY - uy * len + ux * len * 0.45);
    ctx.lineTo(tipX - ux * len + uy * len * 0.45, tipY - uy * len - ux * len * 0.45);
    ctx.closePath(); ctx.fill();
  }
  // Thousands of edges crossing the view at once: each is drawn at most one screen pixel wide,
  // its colour darker in proportion to the width it would have had (the same ink, so heavier
  // links still stand out). Thicker lines are what costs: the browser took 300-500 ms to paint
  // 20,000 of them, and again on every redraw (hover, selection). With fewer edges in view
  // (zoomed in, filtered) they are drawn at their widths, as vis-network draws them.
  var CROWDED = 2000, darker = new Map();
  function inked(c, k) { // colour c with its opacity multiplied by k (at most 1)
    var byK = darker.get(c) || darker.set(c, new Map()).get(c), out = byK.get(k);
    if (out === undefined) {
      var m = /^rgba\((\d+),(\d+),(\d+),([\d.]+)\)$/.exec(c.replace(/\s/g, ""));
      out = m ? "rgba(" + m[1] + "," + m[2] + "," + m[3] + "," + Math.min(1, +m[4] * k).toFixed(2) + ")" : c;
      byK.set(k, out);
    }
    return out;
  }
  var endA = null, endB = null; // per edge: vis-network's nodes at its ends (none is ever removed)
  function edgeEnds() {
    if (endA === null) {
      endA = DATA.edges.map(function (e) { return nodeOf(e.from); });
      endB = DATA.edges.map(function (e) { return nodeOf(e.to); });
    }
  }
  function edgesInView() { // how many shown edges cross the visible part of the canvas (up to CROWDED + 1)
    var tl = network.DOMtoCanvas({ x: 0, y: 0 }), el = $("yg-network");
    var br = network.DOMtoCanvas({ x: el.clientWidth, y: el.clientHeight }), n = 0;
    edgeEnds();
    for (var i = 0; i < DATA.edges.length; i++) {
      if (edgeLook[i] === null) continue;
      var a = endA[i], b = endB[i];
      if (a && b && Math.max(a.x, b.x) >= tl.x && Math.min(a.x, b.x) <= br.x &&
          Math.max(a.y, b.y) >= tl.y && Math.min(a.y, b.y) <= br.y && ++n > CROWDED) break; // crowded: enough
    }
    return n;
  }
  // The edges painted last are kept as an image and drawn again while nothing they depend on has
  // changed (the view, their colours and visibility, the selection, their ends' positions): a
  // hover only repaints the nodes (20,000 edges took 60-80 ms to paint again on every hover).
  var edgeLayer = null, edgeLayerKey = null, edgeLayerEnds = null, lookVersion = 0;
  function edgeEndsMoved() { // whether an edge's end moved since the layer was painted (and remember)
    var moved = edgeLayerEnds === null;
    if (moved) edgeLayerEnds = new Float64Array(4 * endA.length);
    for (var i = 0, k = 0; i < endA.length; i++, k += 4) {
      var a = endA[i], b = endB[i];
      if (!a || !b) continue;
      if (edgeLayerEnds[k] !== a.x || edgeLayerEnds[k + 1] !== a.y || edgeLayerEnds[k + 2] !== b.x || edgeLayerEnds[k + 3] !== b.y) {
        edgeLayerEnds[k] = a.x; edgeLayerEnds[k + 1] = a.y; edgeLayerEnds[k + 2] = b.x; edgeLayerEnds[k + 3] = b.y;
        moved = true;
      }
    }
    return moved;
  }
  function drawOwnEdges(ctx) {
    if (!ownEdges) return;
    var r = network.renderer; // vis-network's own rule for its edges while dragging or zooming
    if ((r.dragging && r.options.hideEdgesOnDrag) || (r.zooming && r.options.hideEdgesOnZoom)) return;
    edgeEnds();
    var m = ctx.getTransform(), cv = ctx.canvas;
    var key = [m.a, m.b, m.c, m.d, m.e, m.f, cv.width, cv.height, lookVersion, selectedEdge,
               network.getSelectedNodes().join("\u0000")].join("|");
    if (edgeEndsMoved() || key !== edgeLayerKey || !edgeLayer) {
      if (!edgeLayer) edgeLayer = document.createElement("canvas");
      if (edgeLayer.width !== cv.width || edgeLayer.height !== cv.height) { edgeLayer.width = cv.width; edgeLayer.height = cv.height; }
      var lc = edgeLayer.getContext("2d");
      lc.setTransform(1, 0, 0, 1, 0, 0);
      lc.clearRect(0, 0, cv.width, cv.height);
      lc.setTransform(m);
      paintEdges(lc);
      edgeLayerKey = key;
    }
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(edgeLayer, 0, 0);
    ctx.restore();
  }
  function paintEdges(ctx) {
    var px = 1 / network.getScale(), thin = 0.3 * px;
    var crowded = edgesInView() > CROWDED;
    var chosen = new Set(network.getSelectedNodes()), colour = null, width = null;
    // crowded: the hairlines of one colour and width are stroked as one path (a stroke per
    // edge left the browser 20,000 drawing operations to paint: 100-150 ms a frame); hairlines
    // are painted segment by segment, so crossings look as before. The rest come after.
    var groups = new Map(), single = []; // colour -> width -> {c, w, ab: ends}
    for (var i = 0; i < DATA.edges.length; i++) {
      if (edgeLook[i] === null) continue;
      var e = DATA.edges[i], a = endA[i], b = endB[i];
      if (!a || !b) continue;
      var c = edgeLook[i], w = e.rel === "broader" ? 2.5 : e.w;
      if (e.id === selectedEdge || chosen.has(e.from) || chosen.has(e.to)) { c = "#0969da"; w += 1.5; }
      else if (crowded && w > px) { c = inked(c, Math.round(w / px * 4) / 4); w = 0.99 * px; }
      w = Math.max(w, thin);
      if (crowded && w < px && e.rel !== "broader" && c !== "#0969da") {
        var byWidth = groups.get(c) || groups.set(c, new Map()).get(c), g = byWidth.get(w);
        if (!g) byWidth.set(w, g = { c: c, w: w, ab: [] });
        g.ab.push(a, b);
      } else single.push([e, a, b, c, w]);
    }
    ctx.save();
    ctx.lineCap = "butt";
    groups.forEach(function (byWidth) {
      byWidth.forEach(function (g) {
        ctx.strokeStyle = g.c; ctx.lineWidth = g.w;
        ctx.beginPath();
        for (var j = 0; j < g.ab.length; j += 2) { ctx.moveTo(g.ab[j].x, g.ab[j].y); ctx.lineTo(g.ab[j + 1].x, g.ab[j + 1].y); }
        ctx.stroke();
      });
    });
    single.forEach(function (s) {
      var e = s[0], a = s[1], b = s[2], c = s[3], w = s[4];
      if (c !== colour) { ctx.strokeStyle = c; ctx.fillStyle = c; colour = c; }
      if (w !== width) { ctx.lineWidth = w; width = w; }
      if (e.rel === "broader") ctx.setLineDash([8, 6]);
      ctx.beginPath(); ctx.moveTo(a.x, a.y); ctx.lineTo(b.x, b.y); ctx.stroke();
      if (e.rel === "broader") { ctx.setLineDash([]); drawArrow(ctx, a, b); }
    });
    ctx.restore();
  }
  function edgeAt(p) { // as vis-network's getEdgeAt: the nearest shown edge within 10 canvas units
    var best = null, bestD = 10;
    edgeEnds();
    DATA.edges.forEach(function (e, i) {
      if (edgeLook[i] === null) return;
      var a = endA[i], b = endB[i];
      if (!a || !b) return;
      var dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
      var t = len2 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0;
      var d = Math.hypot(a.x + t * dx - p.x, a.y + t * dy - p.y);
      if (d < bestD) { best = e.id; bestD = d; }
    });
    return best;
  }
  function visEdges() { // physics needs vis-network's own edges: hand them over, once
    if (!ownEdges) return;
    ownEdges = false;
    selectedEdge = null;
    edges.add(DATA.edges.map(visEdge));
  }
  if (ownEdges) {
    lookEdges();
    network.on("beforeDrawing", drawOwnEdges);
  }
  window.ygView.ownEdges = function () { return ownEdges; };
  window.ygView.shownEdges = function () { // [from, to] of the edges shown, however drawn
    return DATA.edges.filter(function (e) { return visibleEdges.has(e.id); }).map(function (e) { return [e.from, e.to]; });
  };

  // ---- nodes drawn by the page (ownNodes): as vis-network 9.1.2 draws them, over the edges -------
  // Each node is a record shaped like vis-network's own ({id, x, y, options: {size, hidden, label,
  // shape, color, font}}), kept in step with the nodes DataSet (restyle, labels.js and scripts
  // update that). The network's methods that read nodes answer from the records; switching
  // physics on hands the nodes (and edges) to vis-network.
  var own = new Map(), ownOrder = [], hovered = null, ownSelected = [], dragged = null;
  var VIS_COLOUR = { background: "#97C2FC", border: "#2B7CE9", // vis-network's defaults
                     highlight: { background: "#D2E5FF", border: "#2B7CE9" }, hover: { background: "#D2E5FF", border: "#2B7CE9" } };
  function colourMerge(prev, c) { // as vis-network merges a node's new colour into its old one
    if (typeof c === "string") {
      return { background: c, border: c, highlight: { background: c, border: c }, hover: { background: c, border: c } };
    }
    function pair(v, old) {
      return typeof v === "string" ? { background: v, border: v }
        : { background: (v && v.background) || old.background, border: (v && v.border) || old.border };
    }
    return { background: c.background || prev.background, border: c.border || prev.border,
             highlight: pair(c.highlight, prev.highlight), hover: pair(c.hover, prev.hover) };
  }
  function applyStyle(rec, s) { // a nodes DataSet item (whole or an update) onto its record
    var o = rec.options;
    if (s.x !== undefined) rec.x = s.x;
    if (s.y !== undefined) rec.y = s.y;
    if (s.size !== undefined) o.size = s.size;
    if (s.hidden !== undefined) o.hidden = !!s.hidden;
    if (s.label !== undefined) o.label = s.label === null ? undefined : String(s.label);
    if (s.shape !== undefined) o.shape = s.shape;
    if (s.color !== undefined && s.color !== null) o.color = colourMerge(o.color, s.color);
    if (s.font) {
      if (s.font.size !== undefined) o.font.size = s.font.size;
      if (s.font.color !== undefined) o.font.color = s.font.color;
      if (s.font.face !== undefined) o.font.face = s.font.face;
    }
  }
  function nodeOf(id) { return ownNodes ? own.get(id) : network.body.nodes[id]; }
  function ownShown() { return ownOrder.filter(function (r) { return !r.options.hidden; }); }
  function ownAt(p) { // as vis-network's getNodeAt: the last shown node whose box holds canvas point p
    for (var i = ownOrder.length - 1; i >= 0; i--) {
      var r = ownOrder[i], z = r.options.size;
      if (!r.options.hidden && r.x - z < p.x + 1 && r.x + z > p.x - 1 && r.y - z < p.y - 1 && r.y + z > p.y + 1) return r.id;
    }
    return undefined;
  }
  function labelFont(o, bold) { return ((bold ? "bold " : "") + o.font.size + "px " + o.font.face).replace(/"/g, ""); }
  function drawOwnNodes(ctx) {
    if (!ownNodes) return;
    var scale = network.getScale(), el = $("yg-network");
    var tl = network.DOMtoCanvas({ x: -20, y: -20 }), br = network.DOMtoCanvas({ x: el.clientWidth + 20, y: el.clientHeight + 20 });
    var picked = new Set(ownSelected), last = [], labels = [];
    function draw(r) {
      var o = r.options, c = o.color, sel = picked.has(r.id), hov = r === hovered;
      var bg = sel ? c.highlight.background : (hov ? c.hover.background : c.background);
      var bd = sel ? c.highlight.border : (hov ? c.hover.border : c.border);
      var bw = (sel ? 2 : 1) / scale;
      ctx.lineWidth = Math.min(2 * o.size, bw); ctx.strokeStyle = bd; ctx.fillStyle = bg;
      OWN_SHAPES[o.shape](ctx, r.x, r.y, o.size);
      ctx.fill();
      if (bw > 0) ctx.stroke();
      if (o.label) labels.push(r);
    }
    ctx.save();
    ownOrder.forEach(function (r) {
      var o = r.options, z = o.size, half = z, below = z;
      if (o.hidden) return;
      if (picked.has(r.id) || r === hovered) { last.push(r); return; }
      if (o.label) { // its box, as vis-network's, takes in the label
        half = Math.max(z, window.ygLabels.textWidth(o.font.size + "px " + o.font.face, o.label) / 2);
        below = z + o.font.size;
      }
      if (r.x + half < tl.x || r.x - half > br.x || r.y + below < tl.y || r.y - z > br.y) return; // out of view
      draw(r);
    });
    last.sort(function (a, b) { return (a === hovered) - (b === hovered); }).forEach(draw);
    ctx.textAlign = "left"; ctx.textBaseline = "hanging";
    labels.forEach(function (r) { // vis-network's external labels: centred under the shape
      var o = r.options, px = o.font.size * scale;
      if (px < 4) return; // below its draw threshold (5 px, less one)
      if (px >= 30) px = 30 / scale;
      var bold = picked.has(r.id) || r === hovered, colour = o.font.color;
      if (px <= 5) { // fading in, as vis-network does near the threshold
        var k = Math.max(0, Math.min(1, 1 - (5 - px))), m = /^#(..)(..)(..)$/.exec(colour);
        if (m && colour.indexOf("rgba") < 0) colour = "rgba(" + parseInt(m[1], 16) + "," + parseInt(m[2], 16) + "," + parseInt(m[3], 16) + "," + k + ")";
      }
      ctx.font = labelFont(o, bold);
      ctx.fillStyle = colour;
      ctx.fillText(o.label, r.x - window.ygLabels.textWidth(ctx.font, o.label) / 2, r.y + o.size + o.font.size / 2 + 4);
    });
    ctx.restore();
    drawnOnce = true;
  }
  var drawnOnce = false;
  function ownFit(options) { // vis-network's fit, over the shown nodes' boxes (labels included)
    var el = $("yg-network"), x0 = 1e9, x1 = -1e9, y0 = 1e9, y1 = -1e9;
    ownShown().forEach(function (r) {
      var o = r.options, l = r.x - o.size, rt = r.x + o.size, t = r.y - o.size, b = r.y + o.size;
      if (o.label) { // before its first draw, vis-network takes a label's box to start at x = 0
        var w = window.ygLabels.textWidth(o.font.size + "px " + o.font.face, o.label); // as labels.js measured it
        var left = drawnOnce ? r.x - w / 2 : 0;
        l = Math.min(l, left); rt = Math.max(rt, left + w); b += o.font.size;
      }
      x0 = Math.min(x0, l); x1 = Math.max(x1, rt); y0 = Math.min(y0, t); y1 = Math.max(y1, b);
    });
    if (x0 === 1e9) { x0 = x1 = y0 = y1 = 0; }
    var zx = el.clientWidth / (1.1 * Math.abs(x1 - x0)), zy = el.clientHeight / (1.1 * Math.abs(y1 - y0));
    var scale = Math.min(zx, zy, 1);
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: scale,
                     animation: options && options.animation !== undefined ? options.animation : false });
  }
  var ownAPI = { // the network's node methods, answered from the records while ownNodes
    getPositions: function (ids) {
      var out = {};
      (ids === undefined ? ownOrder.map(function (r) { return r.id; }) : [].concat(ids)).forEach(function (id) {
        var r = own.get(id);
        if (r) out[id] = { x: r.x, y: r.y };
      });
      return out;
    },
    getSelectedNodes: function () { return ownSelected.slice(); },
    selectNodes: function (ids) { ownSelected = ids.filter(function (id) { return own.has(id); }); redrawSoon(); },
    unselectAll: function () { ownSelected = []; vis.Network.prototype.unselectAll.call(network); },
    focus: function (id, options) {
      var r = own.get(id);
      if (!r) return;
      var o = Object.assign({}, options || {}); o.position = { x: r.x, y: r.y };
      network.moveTo(o);
    },
    fit: ownFit,
    getNodeAt: function (p) { return ownAt(network.DOMtoCanvas(p)); },
    moveNode: function (id, x, y) { var r = own.get(id); if (r) { r.x = x; r.y = y; redrawSoon(); } },
  };
  function redrawSoon() { network.body.emitter.emit("_requestRedraw"); }
  function showTip(id, dom) {
    var n = byId.get(id);
    tip.textContent = n.tip;
    tip.style.left = (dom.x + 14) + "px";
    tip.style.top = (dom.y + 14) + "px";
    tip.hidden = false;
  }
  function domPoint(ev) {
    var box = network.canvas.frame.canvas.getBoundingClientRect();
    return { x: ev.clientX - box.left, y: ev.clientY - box.top };
  }
  function visNodes() { // physics needs vis-network's own nodes: hand them over, once
    if (!ownNodes) return;
    var view = { position: network.getViewPosition(), scale: network.getScale() }, chosen = ownSelected;
    nodes.update(ownOrder.map(function (r) { return { id: r.id, x: r.x, y: r.y }; }));
    ownNodes = false; hovered = null; ownSelected = []; endA = endB = null;
    Object.keys(ownAPI).forEach(function (k) { delete network[k]; });
    network.setData({ nodes: nodes, edges: edges });
    network.moveTo({ position: view.position, scale: view.scale, animation: false });
    if (chosen.length) network.selectNodes(chosen);
  }
  if (ownNodes) {
    nodes.forEach(function (s) {
      var rec = { id: s.id, x: s.x, y: s.y, options: { size: 10, hidden: false, label: undefined, shape: "dot", color: VIS_COLOUR,
                                                     font: { size: NODE_FONT.size, face: FONT, color: NODE_FONT.color } } };
      applyStyle(rec, s);
      if (rec.options.label === "") rec.options.label = undefined;
      own.set(s.id, rec); ownOrder.push(rec);
    });
    nodes.on("update", function (event, props) {
      if (!ownNodes) return;
      props.data.forEach(function (s) { var r = own.get(s.id); if (r) applyStyle(r, s); });
      redrawSoon();
    });
    Object.keys(ownAPI).forEach(function (k) { network[k] = ownAPI[k]; });
    network.on("beforeDrawing", drawOwnNodes);
    ownFit();
    var canvas = network.canvas.frame.canvas;
    canvas.addEventListener("mousemove", function (ev) { // hover, as vis-network's hoverNode / blurNode
      if (!ownNodes || dragged || !network.interactionHandler.options.hover) return;
      var p = domPoint(ev), id = ownAt(network.DOMtoCanvas(p)), r = id === undefined ? null : own.get(id);
      if (r === hovered) return;
      hovered = r;
      if (r) showTip(r.id, p); else tip.hidden = true;
      redrawSoon();
    });
    canvas.addEventListener("mouseleave", function () {
      if (!ownNodes || !hovered) return;
      hovered = null; tip.hidden = true; redrawSoon();
    });
    // dragging a node moves it (vis-network would pan the view: it is told not to, meanwhile)
    $("yg-network").addEventListener("pointerdown", function (ev) {
      var ia = network.interactionHandler.options;
      if (!ownNodes || ev.button !== 0 || !ia.dragNodes) return;
      var p = domPoint(ev), id = ownAt(network.DOMtoCanvas(p));
      if (id === undefined) return;
      var r = own.get(id);
      dragged = { rec: r, x: r.x, y: r.y, from: p, view: ia.dragView, moved: false };
      ia.dragView = false;
    }, true);
    window.addEventListener("pointermove", function (ev) {
      if (!dragged) return;
      var p = domPoint(ev), scale = network.getScale();
      var dx = p.x - dragged.from.x, dy = p.y - dragged.from.y;
      if (!dragged.moved && Math.hypot(dx, dy) < 3) return;
      if (!dragged.moved) { dragged.moved = true; ownSelected = [dragged.rec.id]; tip.hidden = true; }
      dragged.rec.x = dragged.x + dx / scale; dragged.rec.y = dragged.y + dy / scale;
      redrawSoon();
    });
    window.addEventListener("pointerup", function () {
      if (!dragged) return;
      network.interactionHandler.options.dragView = dragged.view;
      dragged = null;
    });
  }
  window.ygView.ownNodes = function () { return ownNodes; };
  window.ygView.nodeOf = nodeOf; // vis-network's node, or the page's record of it
  network.once("afterDrawing", function () {
    window.ygView.ready = true;
    window.ygView.readyAt = performance.now();
    document.documentElement.setAttribute("data-ready", "1");
  });

  // ---- side panel ----------------------------------------------------------------------------
  var ROLE = DATA.labels.role;
  var TYPE_ORDER = { agency: 0, theme: 1, place: 2, item: 3 };
  function nodeCompare(a, b) { // agencies, themes, places, then items in reading order
    var na = byId.get(a), nb = byId.get(b);
    if (na.t !== nb.t) return TYPE_ORDER[na.t] - TYPE_ORDER[nb.t];
    if (na.t === "item") return labelCompare(na.ref, nb.ref);
    return na.label < nb.label ? -1 : (na.label > nb.label ? 1 : 0);
  }
  function roleBadge(role) { return el("span", ROLE[role] || role || "\u2014", "yg-role yg-role-" + (role || "none")); }
  function dl(rows) {
    var d = el("dl");
    rows.forEach(function (r) {
      if (r[1] === undefined || r[1] === null || r[1] === "") return;
      d.appendChild(el("dt", r[0]));
      d.appendChild(el("dd", r[1]));
    });
    return d;
  }
  function jump(id, text) {
    var s = el("span", text, byId.has(id) ? "yg-jump" : "");
    if (byId.has(id)) s.addEventListener("click", function () { selectNode(id); });
    return s;
  }
  function itemList(pairs) {
    var ol = el("ol");
    pairs.forEach(function (p) {
      var label = p[0], it = DATA.items[label] || {};
      var li = el("li");
      li.appendChild(jump("item:" + label, it.n !== undefined ? "\u7b2c" + label + "\u9879" : label));
      if (p.length > 2) li.appendChild(el("span", "\u7ecf " + p[2], "yg-role yg-via"));
      else if (p.length > 1) li.appendChild(roleBadge(p[1]));
      li.appendChild(el("span", it.text || ""));
      ol.appendChild(li);
    });
    return ol;
  }
  function link(n, panel) {
    if (!n.link) return;
    var a = el("a", "\u8d44\u6e90\u9875 Resource page");
    a.href = n.link; a.target = "_blank"; a.rel = "noopener noreferrer";
    panel.appendChild(el("p")).appendChild(a);
  }
  function showNode(n) {
    var panel = $("yg-panel");
    panel.replaceChildren();
    var info = n.info || {};
    panel.appendChild(el("h2", n.t === "item" ? n.label : (info.name || n.label)));
    if (n.t === "agency") {
      panel.appendChild(dl([["\u5168\u79f0", info.full_name], ["English", info.label_en], ["id", n.id],
        ["\u7c7b\u578b Kind", DATA.labels.kind[n.kind] || n.kind],
        ["\u767b\u8bb0 Register", info.known === false ? "\u672a\u767b\u8bb0 not in register" : null]]));
      link(n, panel);
      if (info.measures && info.measures.length) {
        panel.appendChild(el("h3", "\u6307\u6807 Measures"));
        panel.appendChild(dl(info.measures.map(function (m) {
          var v = m[1];
          return [m[0], typeof v === "number" && !Number.isInteger(v) ? v.toFixed(3) : (v === null ? "\u2014" : v)];
        })));
      }
      panel.appendChild(el("h3", "\u627f\u62c5\u4e8b\u9879 Items (" + pairsOf(n).length + ")"));
      panel.appendChild(itemList(pairsOf(n)));
    } else if (n.t === "item") {
      var it = DATA.items[n.ref] || {};
      panel.appendChild(dl([["\u7ae0\u8282 Section", it.s !== undefined ? it.s + " " + (it.st || "") : null],
        ["\u5c0f\u8282 Sub-section", it.ss], ["\u6587\u4ef6 Document", it.doc],
        ["\u4e3b\u9898 Themes", (it.th || []).join("\u3001")], ["\u5730\u70b9 Places", (it.pl || []).join("\u3001")]]));
      link(n, panel);
      panel.appendChild(el("p", it.text || ""));
      panel.appendChild(el("h3", "\u8d23\u4efb\u5355\u4f4d Agencies"));
      var ul = el("ol");
      pairsOf(n).forEach(function (p) {
        var li = el("li"); var ag = byId.get(p[0]);
        li.appendChild(roleBadge(p[1]));
        li.appendChild(jump(p[0], ag ? ag.label : p[0]));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    } else {
      panel.appendChild(dl([["English", info.label_en], ["id", n.id],
        ["\u7ecf\u7eac\u5ea6 Lat/long", info.lat !== undefined && info.lat !== null ? info.lat + ", " + info.long : null]]));
      var pairs = facetItems(n);
      var nOwn = pairs.filter(function (p) { return !p[1]; }).length;
      panel.appendChild(el("h3", "\u4e8b\u9879 Items (" + pairs.length + ")" + (nOwn < pairs.length
        ? " = " + nOwn + " + " + (pairs.length - nOwn) + " \u4e0b\u4f4d\u4e3b\u9898 via narrower themes" : "")));
      var narrowerNames = n.t === "theme" ? themeNames(n.facet).slice(1) : [];
      if (narrowerNames.length) panel.appendChild(dl([["\u4e0b\u4f4d\u4e3b\u9898 Narrower", narrowerNames.join("\u3001")]]));
      panel.appendChild(itemList(pairs.map(function (p) { return p[1] ? [p[0], null, p[1]] : [p[0]]; })));
    }
    var partners = connected(n.id).filter(function (id) { return visible.has(id); }).sort(nodeCompare);
    panel.appendChild(el("h3", "\u76f8\u90bb Neighbours (" + partners.length + ")"));
    var p = el("p");
    partners.forEach(function (id, i) {
      if (i) p.appendChild(document.createTextNode("\u3001"));
      p.appendChild(jump(id, byId.get(id).label));
    });
    panel.appendChild(p);
  }
  function showEdge(id) {
    var e = DATA.edges.find(function (x) { return x.id === id; });
    if (!e) return;
    var panel = $("yg-panel");
    panel.replaceChildren();
    panel.appendChild(el("h2", byId.get(e.from).label + " \u2014 " + byId.get(e.to).label));
    if (e.role) panel.appendChild(dl([["\u89d2\u8272 Role", ROLE[e.role] || e.role]]));
    if (e.rel === "broader") panel.appendChild(dl([["\u5173\u7cfb Relation", "\u4e0b\u4f4d\u4e3b\u9898 \u2192 \u4e0a\u4f4d\u4e3b\u9898 narrower \u2192 broader (skos:broader)"]]));
    if (itemsOf(e)) {
      panel.appendChild(el("h3", "\u5171\u540c\u4e8b\u9879 Shared items (" + e.items.length + ")"));
      panel.appendChild(itemList(e.items.map(function (l) { return [l]; })));
    } else if (e.weight !== undefined) {
      panel.appendChild(dl([["\u6743\u91cd Weight", e.weight]]));
    }
  }

  // ---- selection and neighbour highlighting ----------------------------------------------------
  function litByItems(labels, set) { // the agencies (and item nodes) of *labels* in this view
    labels.forEach(function (l) {
      (agenciesOf(l) || []).forEach(function (a) { set.add(a); });
      if (byId.has("item:" + l)) set.add("item:" + l);
    });
    return set;
  }
  function highlight(id) {
    selectedEdge = null;
    state.selected = id;
    state.group = null;
    if (id === null) { neighbours = null; }
    else {
      neighbours = new Set([id]);
      connected(id).forEach(function (x) { neighbours.add(x); });
      var n = byId.get(id);
      if (n && n.t === "item") litByItems([n.ref], neighbours); // its agencies, in every view
      if (n && (n.t === "theme" || n.t === "place")) {
        litByItems(facetItems(n).map(function (p) { return p[0]; }), neighbours);
        if (n.t === "theme") themeNames(n.facet).forEach(function (t) { if (byId.has(themeIds.get(t))) neighbours.add(themeIds.get(t)); });
      }
    }
    restyle();
  }
  var themeIds = new Map(), placeIds = new Map(); // name -> node id
  DATA.nodes.forEach(function (n) {
    if (n.t === "theme") themeIds.set(n.facet, n.id);
    if (n.t === "place") placeIds.set(n.facet, n.id);
  });
  function highlightGroup(g) { // a search hit on items: light the agencies of those items
    network.unselectAll();
    selectedEdge = null;
    state.selected = null;
    state.group = g;
    neighbours = litByItems(g.items, new Set());
    (g.nodes || []).forEach(function (id) { if (byId.has(id)) neighbours.add(id); });
    restyle();
    showGroup(g);
  }
  function showGroup(g) {
    var panel = $("yg-panel");
    panel.replaceChildren();
    panel.appendChild(el("h2", g.label));
    var ags = Array.from(neighbours).filter(function (id) { return byId.get(id).t === "agency"; }).sort(nodeCompare);
    panel.appendChild(el("p", g.sub));
    panel.appendChild(el("h3", "\u8d23\u4efb\u5355\u4f4d Agencies (" + ags.length + ")"));
    var p = el("p");
    ags.forEach(function (id, i) {
      if (i) p.appendChild(document.createTextNode("\u3001"));
      p.appendChild(jump(id, byId.get(id).label));
    });
    panel.appendChild(p);
    panel.appendChild(el("h3", "\u4e8b\u9879 Items (" + g.items.length + ")"));
    panel.appendChild(itemList(g.items.map(function (l) { return g.via && g.via[l] ? [l, null, g.via[l]] : [l]; })));
  }
  function selectNode(id) {
    var n = byId.get(id);
    if (!n) return false;
    if (!visible.has(id)) resetFilters();
    network.selectNodes([id]);
    highlight(id);
    network.focus(id, { scale: Math.max(network.getScale(), 0.8), animation: false });
    showNode(n);
    return true;
  }
  network.on("click", function (params) {
    var edge = params.edges[0];
    if (ownNodes) {
      var hit = ownAt(params.pointer.canvas);
      params = { nodes: hit === undefined ? [] : [hit], pointer: params.pointer };
      ownSelected = params.nodes.slice();
    }
    if (ownEdges) {
      edge = params.nodes.length ? null : edgeAt(params.pointer.canvas);
      selectedEdge = null;
      network.body.emitter.emit("_requestRedraw");
    }
    if (params.nodes.length) { highlight(params.nodes[0]); showNode(byId.get(params.nodes[0])); }
    else if (edge !== undefined && edge !== null) { highlight(null); showEdge(edge); if (ownEdges) selectedEdge = edge; }
    else if (state.selected !== null || state.group !== null) { highlight(null); }
  });
  network.on("hoverNode", function (params) { showTip(params.node, params.pointer.DOM); });
  network.on("blurNode", function () { tip.hidden = true; });
  network.on("dragStart", function () { tip.hidden = true; });

  // ---- search -----------------------------------------------------------------------------------
  // Finds nodes by name, id or item number, and items by number, theme (with its narrower
  // themes), place or a phrase of their text: an item hit lights the agencies of those items.
  var search = $("yg-search"), results = $("yg-results");
  var matches = [], active = 0;
  var THEME_NAMES = Array.from(new Set(Object.keys(THEMES).concat(Array.from(itemsWith.theme.keys())))).sort();
  var PLACE_NAMES = Array.from(itemsWith.place.keys()).sort();
  function group(kind, label, sub, items, extra) {
    var g = { group: kind, label: label, sub: sub, items: items, set: new Set(items) };
    Object.keys(extra || {}).forEach(function (k) { g[k] = extra[k]; });
    return g;
  }
  function countText(items) {
    var ags = litByItems(items, new Set());
    var nAg = Array.from(ags).filter(function (id) { return byId.get(id).t === "agency"; }).length;
    return items.length + " \u9879\u4e8b\u9879 items \u00b7 " + nAg + " \u4e2a\u5355\u4f4d agencies";
  }
  function itemGroups(q) {
    var exact = [], partial = [];
    // an item number: "24", "第24项", "#24", "2.3", "slug/24"
    var m = q.replace(/^\u7b2c|\u9879$/g, "").replace(/^#/, "");
    var byNumber = ITEM_LABELS.filter(function (l) { return l === m || l.slice(l.lastIndexOf("/") + 1) === m; });
    var asNodes = byNumber.every(function (l) { return byId.has("item:" + l); }); // the item nodes are hits already
    if (byNumber.length && !asNodes) {
      exact.push(group("number", byNumber.length === 1 && /^\d+$/.test(byNumber[0]) ? "\u7b2c" + byNumber[0] + "\u9879" : "\u4e8b\u9879 " + m,
        countText(byNumber) + " \u00b7 " + (DATA.items[byNumber[0]].text || "").slice(0, 30), byNumber));
    }
    THEME_NAMES.forEach(function (t) {
      var en = ((THEMES[t] || {}).en || "").toLowerCase();
      var hit = t.toLowerCase() === q || en === q ? exact : (t.toLowerCase().indexOf(q) >= 0 || (q.length > 2 && en.indexOf(q) >= 0) ? partial : null);
      if (!hit) return;
      var pairs = themeItems(t);
      if (!pairs.length) return;
      var via = {}; pairs.forEach(function (p) { if (p[1]) via[p[0]] = p[1]; });
      var items = pairs.map(function (p) { return p[0]; });
      var nodes = themeNames(t).map(function (x) { return themeIds.get(x); }).filter(Boolean);
      hit.push(group("theme", "\u4e3b\u9898 " + t, countText(items) + (Object.keys(via).length
        ? "\uff08\u542b\u4e0b\u4f4d\u4e3b\u9898 incl. narrower: " + themeNames(t).slice(1).filter(function (x) { return itemsWith.theme.has(x); }).join("\u3001") + "\uff09" : ""), items, { via: via, nodes: nodes }));
    });
    PLACE_NAMES.forEach(function (name) {
      var hit = name.toLowerCase() === q ? exact : (name.toLowerCase().indexOf(q) >= 0 ? partial : null);
      if (!hit) return;
      var items = itemsWith.place.get(name);
      hit.push(group("place", "\u5730\u70b9 " + name, countText(items), items, { nodes: [placeIds.get(name)].filter(Boolean) }));
    });
    var phrase = ITEM_LABELS.filter(function (l) { return (DATA.items[l].text || "").toLowerCase().indexOf(q) >= 0; });
    var text = phrase.length ? [group("text", "\u6587\u672c\u201c" + q + "\u201d text", countText(phrase), phrase)] : [];
    return { exact: exact, partial: partial, text: text };
  }
  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    var exact = [], prefix = [], inside = [];
    DATA.nodes.forEach(function (n) {
      if (n.k.indexOf(q) >= 0) exact.push(n);
      else if (n.k.some(function (k) { return k.indexOf(q) === 0; })) prefix.push(n);
      else if (n.q.indexOf(q) >= 0) inside.push(n);
    });
    var g = itemGroups(q);
    // a node that is the very thing searched (an agency, an item node) comes first, then items
    return exact.concat(g.exact, prefix, g.partial, g.text, inside).slice(0, 40);
  }
  function renderResults() {
    results.replaceChildren();
    matches.forEach(function (n, i) {
      var li = el("li", n.label, i === active ? "yg-active" : "");
      li.setAttribute("role", "option");
      if (n.group) li.classList.add("yg-group");
      li.appendChild(el("span", n.sub, "yg-sub"));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(i); });
      results.appendChild(li);
    });
    results.hidden = matches.length === 0;
  }
  function choose(i) {
    var n = matches[i];
    if (!n) return;
    results.hidden = true;
    if (n.group) { if (!visibleAll(n)) { resetFilters(); } highlightGroup(n); }
    else selectNode(n.id);
  }
  function visibleAll(g) { return litByItems(g.items, new Set()).size === 0 || Array.from(litByItems(g.items, new Set())).every(function (id) { return visible.has(id); }); }
  function runSearch(query) { // for tests and scripts: what Enter does
    matches = find(query); active = 0; choose(0);
    return matches.map(function (m) { return m.label; });
  }
  search.addEventListener("input", function () { matches = find(search.value); active = 0; renderResults(); });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); matches = find(search.value); choose(active); }
    else if (ev.key === "ArrowDown") { active = Math.min(active + 1, matches.length - 1); renderResults(); ev.preventDefault(); }
    else if (ev.key === "ArrowUp") { active = Math.max(active - 1, 0); renderResults(); ev.preventDefault(); }
    else if (ev.key === "Escape") { results.hidden = true; }
  });
  search.addEventListener("blur", function () { results.hidden = true; });

  // ---- legend -----------------------------------------------------------------------------------
  function legend() {
    var box = $("yg-legend");
    box.replaceChildren();
    var mode = DATA.modes.colour.find(function (m) { return m.id === state.colour; });
    box.appendChild(el("h4", mode.label));
    var ul = el("ul");
    mode.legend.forEach(function (l) {
      var li = el("li"); var sw = el("span", null, "yg-swatch"); sw.style.background = l.color;
      li.appendChild(sw); li.appendChild(el("span", l.label)); ul.appendChild(li);
    });
    box.appendChild(ul);
    if (DATA.types.length > 1) {
      box.appendChild(el("h4", "\u8282\u70b9 Nodes"));
      var shapes = el("ul");
      DATA.types.forEach(function (t) {
        var li = el("li"); var sh = el("span", SYMBOLS[t[0]], "yg-shape");
        if (DATA.fixed_colours[t[0]]) sh.style.color = DATA.fixed_colours[t[0]];
        li.appendChild(sh); li.appendChild(el("span", t[1])); shapes.appendChild(li);
      });
      box.appendChild(shapes);
    }
    DATA.notes.forEach(function (t) { box.appendChild(el("div", t)); });
  }
  window.ygLabels.attach(window.ygView);
})();
