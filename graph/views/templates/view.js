/* yuegang-graph interactive view. Reads the page's JSON data block; document text is only ever
   written with textContent, never parsed as HTML. Exposes window.ygView for tests and notebooks. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("yg-data").textContent);
  var FONT = getComputedStyle(document.documentElement).getPropertyValue("--yg-font").trim() || "sans-serif";
  var DIM = "rgba(200,200,200,0.35)";
  var EDGE = "rgba(110,118,129,0.45)";
  var SHAPES = { agency: "dot", item: "square", theme: "diamond", place: "triangle" };
  var SYMBOLS = { agency: "\u25cf", item: "\u25a0", theme: "\u25c6", place: "\u25b2" };

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
  var roleOf = new Map(); // agency id -> Map(item label -> role)
  DATA.nodes.forEach(function (n) {
    if (n.t === "agency") roleOf.set(n.id, new Map((n.a || []).map(function (p) { return [p[0], p[1]]; })));
  });
  var itemsWith = { theme: new Map(), place: new Map() };
  Object.keys(DATA.items).forEach(function (label) {
    var it = DATA.items[label];
    (it.th || []).forEach(function (x) { (itemsWith.theme.get(x) || itemsWith.theme.set(x, []).get(x)).push(label); });
    (it.pl || []).forEach(function (x) { (itemsWith.place.get(x) || itemsWith.place.set(x, []).get(x)).push(label); });
  });

  var state = {
    colour: DATA.modes.colour[0].id,
    size: DATA.modes.size[0].id,
    f: { section: "", theme: "", kind: "", role: "" },
    types: new Set(DATA.types.map(function (t) { return t[0]; })),
    selected: null,
  };

  // ---- filters -------------------------------------------------------------------------
  function itemFiltered() { return state.f.section !== "" || state.f.theme !== ""; }
  function itemPass(label) {
    var it = DATA.items[label];
    if (!it) return !itemFiltered();
    if (state.f.section !== "" && String(it.s) !== state.f.section) return false;
    if (state.f.theme !== "" && (it.th || []).indexOf(state.f.theme) < 0) return false;
    return true;
  }
  function roleOk(role) { return state.f.role === "" || role === state.f.role; }
  function nodePass(n) {
    if (!state.types.has(n.t)) return false;
    var f = state.f;
    if (n.t === "agency") {
      if (f.kind !== "" && n.kind !== f.kind) return false;
      if (!itemFiltered() && f.role === "") return true;
      return (n.a || []).some(function (p) { return itemPass(p[0]) && roleOk(p[1]); });
    }
    if (n.t === "item") {
      if (!itemPass(n.ref)) return false;
      return (n.a || []).some(function (p) {
        var ag = byId.get(p[0]);
        return roleOk(p[1]) && (f.kind === "" || (ag && ag.kind === f.kind));
      }) || ((n.a || []).length === 0 && f.role === "" && f.kind === "");
    }
    // theme and place nodes: shown while some item naming them passes (or none is known)
    if (n.t === "theme" && f.theme !== "" && n.facet !== f.theme) return false;
    if (!itemFiltered()) return true;
    var labels = itemsWith[n.t] ? itemsWith[n.t].get(n.facet) || [] : [];
    return labels.some(itemPass);
  }
  function edgePass(e, visible) {
    if (!visible.has(e.from) || !visible.has(e.to)) return false;
    if (e.role && !roleOk(e.role)) return false;
    if (e.items && (itemFiltered() || state.f.role !== "")) {
      return e.items.some(function (label) {
        if (!itemPass(label)) return false;
        if (state.f.role === "" || e.role) return true;
        var a = roleOf.get(e.from), b = roleOf.get(e.to);
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

  function computeVisibility() {
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
  function edgeStyle(e) {
    var lit = !neighbours || (neighbours.has(e.from) && neighbours.has(e.to) &&
                              (e.from === state.selected || e.to === state.selected));
    return { id: e.id, hidden: !visibleEdges.has(e.id), color: { color: lit ? EDGE : DIM, highlight: "#0969da" } };
  }
  function restyle() {
    computeVisibility();
    nodes.update(DATA.nodes.map(nodeStyle));
    edges.update(DATA.edges.map(edgeStyle));
    showCount();
  }
  function showCount() {
    $("yg-count").textContent = visible.size + " / " + DATA.nodes.length + " nodes \u00b7 " +
      visibleEdges.size + " / " + DATA.edges.length + " edges";
  }

  // ---- network -----------------------------------------------------------------------------
  computeVisibility();
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    var s = nodeStyle(n);
    s.label = n.hl ? "" : n.label; s.x = n.x; s.y = n.y; s.shape = n.shape || SHAPES[n.t] || "dot";
    s.font = { color: s.font.color, face: FONT, size: n.t === "item" ? 20 : 30 };
    return s;
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    var s = edgeStyle(e);
    s.from = e.from; s.to = e.to; s.width = e.w;
    return s;
  }));
  function merge(into, from) { // vis-network options set through pyvis win over the page's own
    Object.keys(from || {}).forEach(function (k) {
      var v = from[k];
      if (v && typeof v === "object" && !Array.isArray(v) && into[k] && typeof into[k] === "object") merge(into[k], v);
      else into[k] = v;
    });
    return into;
  }
  var network = new vis.Network($("yg-network"), { nodes: nodes, edges: edges }, merge({
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 1 },
    physics: { enabled: false, solver: "forceAtlas2Based", stabilization: false },
    edges: { smooth: false, selectionWidth: 1.5 },
    nodes: { borderWidth: 1, font: { face: FONT } },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: DATA.big, hideEdgesOnZoom: DATA.big },
  }, DATA.vis));
  $("yg-physics").checked = network.physics.options.enabled === true;
  window.ygView = { data: DATA, network: network, nodes: nodes, edges: edges, ready: false,
                    select: selectNode, setFilter: setFilter, visibleIds: function () { return Array.from(visible); } };
  network.once("afterDrawing", function () {
    window.ygView.ready = true;
    window.ygView.readyAt = performance.now();
    document.documentElement.setAttribute("data-ready", "1");
  });

  // ---- side panel ----------------------------------------------------------------------------
  var ROLE = DATA.labels.role;
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
      if (p.length > 1) li.appendChild(roleBadge(p[1]));
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
      panel.appendChild(el("h3", "\u627f\u62c5\u4e8b\u9879 Items (" + (n.a || []).length + ")"));
      panel.appendChild(itemList(n.a || []));
    } else if (n.t === "item") {
      var it = DATA.items[n.ref] || {};
      panel.appendChild(dl([["\u7ae0\u8282 Section", it.s !== undefined ? it.s + " " + (it.st || "") : null],
        ["\u5c0f\u8282 Sub-section", it.ss], ["\u6587\u4ef6 Document", it.doc],
        ["\u4e3b\u9898 Themes", (it.th || []).join("\u3001")], ["\u5730\u70b9 Places", (it.pl || []).join("\u3001")]]));
      link(n, panel);
      panel.appendChild(el("p", it.text || ""));
      panel.appendChild(el("h3", "\u8d23\u4efb\u5355\u4f4d Agencies"));
      var ul = el("ol");
      (n.a || []).forEach(function (p) {
        var li = el("li"); var ag = byId.get(p[0]);
        li.appendChild(roleBadge(p[1]));
        li.appendChild(jump(p[0], ag ? ag.label : p[0]));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    } else {
      panel.appendChild(dl([["English", info.label_en], ["id", n.id],
        ["\u7ecf\u7eac\u5ea6 Lat/long", info.lat !== undefined && info.lat !== null ? info.lat + ", " + info.long : null]]));
      var labels = (itemsWith[n.t] && itemsWith[n.t].get(n.facet)) || [];
      panel.appendChild(el("h3", "\u4e8b\u9879 Items (" + labels.length + ")"));
      panel.appendChild(itemList(labels.map(function (l) { return [l]; })));
    }
    var partners = network.getConnectedNodes(n.id).filter(function (id) { return visible.has(id); }).sort();
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
    if (e.items) {
      panel.appendChild(el("h3", "\u5171\u540c\u4e8b\u9879 Shared items (" + e.items.length + ")"));
      panel.appendChild(itemList(e.items.map(function (l) { return [l]; })));
    } else if (e.weight !== undefined) {
      panel.appendChild(dl([["\u6743\u91cd Weight", e.weight]]));
    }
  }

  // ---- selection and neighbour highlighting ----------------------------------------------------
  function highlight(id) {
    state.selected = id;
    if (id === null) { neighbours = null; }
    else {
      neighbours = new Set([id]);
      network.getConnectedNodes(id).forEach(function (x) { neighbours.add(x); });
    }
    restyle();
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
    if (params.nodes.length) { highlight(params.nodes[0]); showNode(byId.get(params.nodes[0])); }
    else if (params.edges.length) { highlight(null); showEdge(params.edges[0]); }
    else if (state.selected !== null) { highlight(null); }
  });
  var tip = $("yg-tip");
  network.on("hoverNode", function (params) {
    var n = byId.get(params.node);
    tip.textContent = n.tip;
    tip.style.left = (params.pointer.DOM.x + 14) + "px";
    tip.style.top = (params.pointer.DOM.y + 14) + "px";
    tip.hidden = false;
  });
  network.on("blurNode", function () { tip.hidden = true; });
  network.on("dragStart", function () { tip.hidden = true; });

  // ---- search -----------------------------------------------------------------------------------
  var search = $("yg-search"), results = $("yg-results");
  var matches = [], active = 0;
  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    var exact = [], prefix = [], inside = [];
    DATA.nodes.forEach(function (n) {
      if (n.k.indexOf(q) >= 0) exact.push(n);
      else if (n.k.some(function (k) { return k.indexOf(q) === 0; })) prefix.push(n);
      else if (n.q.indexOf(q) >= 0) inside.push(n);
    });
    return exact.concat(prefix, inside).slice(0, 30);
  }
  function renderResults() {
    results.replaceChildren();
    matches.forEach(function (n, i) {
      var li = el("li", n.label, i === active ? "yg-active" : "");
      li.setAttribute("role", "option");
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
    selectNode(n.id);
  }
  search.addEventListener("input", function () { matches = find(search.value); active = 0; renderResults(); });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); matches = find(search.value); choose(active); }
    else if (ev.key === "ArrowDown") { active = Math.min(active + 1, matches.length - 1); renderResults(); ev.preventDefault(); }
    else if (ev.key === "ArrowUp") { active = Math.max(active - 1, 0); renderResults(); ev.preventDefault(); }
    else if (ev.key === "Escape") { results.hidden = true; }
  });
  search.addEventListener("blur", function () { results.hidden = true; });

  // ---- controls -----------------------------------------------------------------------------------
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
    if (state.selected !== null) { network.unselectAll(); neighbours = null; state.selected = null; }
    restyle();
  }
  $("yg-colour").addEventListener("change", function (ev) { state.colour = ev.target.value; restyle(); legend(); });
  $("yg-size").addEventListener("change", function (ev) { state.size = ev.target.value; restyle(); });
  $("yg-physics").addEventListener("change", function (ev) { network.setOptions({ physics: { enabled: ev.target.checked } }); });
  $("yg-reset").addEventListener("click", function () { resetFilters(); refresh(); network.fit({ animation: false }); });
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
  legend();
  showCount(); // the data sets were built with these styles: no second pass over 20,000 edges
})();
