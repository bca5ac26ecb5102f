/* cadregraph report: renders the embedded run data (summary, graph, officials, places, documents). */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("cg-data").textContent);
  var TYPES = ["PERSON", "PLACE", "ORG", "INITIATIVE"];
  var COLORS = {PERSON: "#e4572e", PLACE: "#17a2b8", ORG: "#e0a800", INITIATIVE: "#5a9e2f"};
  var EDGE_COLORS = {SECRETARY_OF: "#c62828", HOLDS_POSITION: "#ef6c00", PROMOTES: "#7cb342", LOCATED_IN: "#9e9e9e",
    SUCCEEDED: "#6a1b9a"};
  var PAGE = {officials: 100, documents: 50};
  var docIndex = {};
  DATA.documents.forEach(function (d, i) { docIndex[d.id] = i; });

  /* h("a", {href: "#x", text: "..."}, child...) -> element */
  function h(tag, props) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      var value = props[key];
      if (value === undefined || value === null) return;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" || typeof child === "number"
        ? document.createTextNode(String(child)) : child);
    }
    return node;
  }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }
  function plural(n, word) { return fmt(n) + " " + word + (n === 1 ? "" : "s"); }
  function docLink(i, rel, short) {
    var d = DATA.documents[i], text = d.title || d.id;
    if (short && text.length > 14) text = text.slice(0, 13) + "…";
    return h("a", {href: "#doc=" + encodeURIComponent(d.id) + (rel !== undefined ? "&rel=" + rel : ""),
      title: d.title + " (" + d.id + ")", text: text});
  }
  function nodeLink(i, text) {
    return i >= 0 ? h("a", {href: "#node=" + i, text: text}) : document.createTextNode(text);
  }
  function docLinks(indices, total, limit) {
    var span = h("span", {class: "doclinks"});
    indices.slice(0, limit).forEach(function (i, n) {
      if (n) span.appendChild(document.createTextNode(" · "));
      span.appendChild(docLink(i, undefined, true));
    });
    if (total > limit) span.appendChild(h("span", {class: "muted", text: " … " + fmt(total - limit) + " more"}));
    return span;
  }
  function sentenceOf(doc, s) {
    var sent = doc.sentences[s];
    return typeof sent === "string" ? sent : doc.text.slice(sent[0], sent[1]).trim();
  }
  /* A sentence with the relation's two names in bold. */
  function evidenceNode(doc, rel, s) {
    var sentence = sentenceOf(doc, s);
    var names = [doc.entities[rel[1]][1], doc.entities[rel[2]][1], rel[3]].filter(Boolean);
    var out = h("span", {class: "sentence"});
    var pattern = new RegExp("(" + names.map(function (n) {
      return n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|") + ")");
    sentence.split(pattern).forEach(function (part) {
      if (!part) return;
      out.appendChild(names.indexOf(part) >= 0 ? h("b", {text: part}) : document.createTextNode(part));
    });
    return out;
  }
  function countsTable(title, counts, corpus) {
    var table = h("table", {class: "data"}, h("thead", {}, h("tr", {}, h("th", {text: title}),
      h("th", {class: "num", text: "in documents"}), h("th", {class: "num", text: "in the corpus graph"}))));
    var body = h("tbody");
    Object.keys(Object.assign({}, counts, corpus)).sort().forEach(function (label) {
      body.appendChild(h("tr", {}, h("td", {text: label}), h("td", {class: "num", text: fmt(counts[label] || 0)}),
        h("td", {class: "num", text: fmt(corpus[label] || 0)})));
    });
    table.appendChild(body);
    return table;
  }

  /* ---- Summary ---- */
  function renderSummary() {
    var s = DATA.summary, run = s.run, box = document.getElementById("summary-body");
    function card(value, label, bad) {
      return h("div", {class: "card" + (bad ? " bad" : "")}, h("b", {text: value}), h("span", {text: label}));
    }
    var cards = h("div", {class: "cards"}, card(fmt(s.inputs), "inputs read"), card(fmt(s.documents), "documents"),
      card(fmt(s.failed), "failed", s.failed > 0), card(fmt(s.chars), "characters"));
    if (run && run.seconds) {
      cards.appendChild(card(run.seconds.toFixed(1) + " s", "run time, ended " + (run.finished || "?")));
      var done = run.extracted || 0;
      cards.appendChild(card((done / run.seconds).toFixed(1) + " docs/s", fmt(Math.round((run.chars || 0) /
        run.seconds)) + " chars/s, " + fmt(done) + " extracted" + (run.resumed ? ", " + fmt(run.resumed) +
        " kept" : "")));
    } else {
      cards.appendChild(card("–", "run time (no run.json)"));
    }
    box.appendChild(cards);
    box.appendChild(h("div", {class: "counts"}, h("div", {}, h("h3", {text: "Entities"}),
      countsTable("label", s.entities, s.nodes)), h("div", {}, h("h3", {text: "Relations"}),
      countsTable("label", s.relations, s.edges))));
    if (s.failed) {
      box.appendChild(h("h3", {text: "Failures"}));
      var kinds = h("ul");
      Object.keys(s.failure_kinds).forEach(function (k) {
        kinds.appendChild(h("li", {text: k + " — " + fmt(s.failure_kinds[k])}));
      });
      box.appendChild(kinds);
      var list = h("ul", {class: "failures"});
      s.failures.forEach(function (f) {
        list.appendChild(h("li", {}, h("code", {text: f.path + (f.record_id ? " #" + f.record_id : "")}),
          " [" + f.stage + "] " + f.error + ": " + f.message));
      });
      box.appendChild(h("details", {}, h("summary", {text: "every failure (" + fmt(s.failures.length) +
        (s.failures.length < s.failed ? " of " + fmt(s.failed) : "") + ")"}), list));
    }
    if (s.problems.length) {
      box.appendChild(h("h3", {text: "Unreadable document files"}));
      var problems = h("ul", {class: "failures"});
      s.problems.forEach(function (p) { problems.appendChild(h("li", {text: p})); });
      box.appendChild(problems);
    }
  }

  /* ---- Graph ---- */
  var graph = {network: null, nodes: null, edges: null, drawn: {}, shown: 0, incident: [], ready: false};

  function nodeTitle(i) {
    var n = DATA.nodes[i];
    var lines = [n.l, n.t + " · " + plural(n.s, "article") + " · " + plural(n.m, "mention")];
    if (n.c) lines.push("code " + n.c + (n.p && n.p.length ? " ⊂ " + n.p.join(" ⊂ ") : ""));
    if (n.a.length) lines.push("also: " + n.a.join("、"));
    return lines.join("\n");
  }
  function drawNode(i) {
    if (graph.drawn[i]) return;
    var n = DATA.nodes[i];
    graph.drawn[i] = true;
    graph.nodes.add({id: i, label: n.l, value: n.s, title: nodeTitle(i), group: n.t,
      color: {background: COLORS[n.t], border: "#444", highlight: {background: COLORS[n.t], border: "#000"}},
      hidden: !document.getElementById("type-" + n.t).checked});
    var edges = [];
    graph.incident[i].forEach(function (e) {
      var edge = DATA.edges[e], other = edge[0] === i ? edge[1] : edge[0];
      if (graph.drawn[other]) {
        edges.push({id: e, from: edge[0], to: edge[1], value: edge[3], color: {color: EDGE_COLORS[edge[2]]},
          title: edge[2] + (edge[4] ? " (" + edge[4] + ")" : "") + " · " + plural(edge[3], "article")});
      }
    });
    graph.edges.add(edges);
  }
  function showNodes(count) {
    var target = Math.min(count, DATA.nodes.length);
    for (var i = graph.shown; i < target; i++) drawNode(i);
    graph.shown = Math.max(graph.shown, target);
    updateGraphCount();
    if (graph.network && graph.ready) graph.network.stabilize(120);
  }
  function updateGraphCount() {
    var drawn = graph.nodes.length, total = DATA.nodes.length, more = document.getElementById("graph-more");
    document.getElementById("graph-count").textContent = fmt(drawn) + " of " + fmt(total) + " nodes drawn" +
      (DATA.summary.nodes && total < sum(DATA.summary.nodes) ? " (top " + fmt(total) + " of " +
      fmt(sum(DATA.summary.nodes)) + " by support)" : "");
    more.disabled = graph.shown >= total;
    more.textContent = more.disabled ? "All nodes drawn" : "Show " + fmt(Math.min(DATA.initial_nodes,
      total - graph.shown)) + " more";
  }
  function sum(counts) { return Object.keys(counts).reduce(function (a, k) { return a + counts[k]; }, 0); }

  function renderGraph() {
    var container = document.getElementById("network"), legend = document.getElementById("graph-legend");
    TYPES.forEach(function (t) {
      var box = h("input", {type: "checkbox", id: "type-" + t, checked: "checked", onchange: function () {
        graph.nodes.update(graph.nodes.getIds().filter(function (id) { return DATA.nodes[id].t === t; })
          .map(function (id) { return {id: id, hidden: !box.checked}; }));
      }});
      legend.appendChild(h("label", {}, h("span", {class: "swatch", style: "background:" + COLORS[t]}), box, t));
    });
    DATA.nodes.forEach(function () { graph.incident.push([]); });
    DATA.edges.forEach(function (e, i) {
      graph.incident[e[0]].push(i);
      if (e[1] !== e[0]) graph.incident[e[1]].push(i);
    });
    graph.nodes = new vis.DataSet();
    graph.edges = new vis.DataSet();
    showNodes(DATA.initial_nodes);
    if (!DATA.nodes.length) {
      container.appendChild(h("p", {class: "muted", text: "No entities to draw."}));
      document.body.dataset.graphReady = "0";
      return;
    }
    var network = new vis.Network(container, {nodes: graph.nodes, edges: graph.edges}, {
      nodes: {shape: "dot", scaling: {min: 6, max: 40, label: {enabled: true, min: 11, max: 22}},
        font: {size: 12, face: "system-ui, sans-serif"}, borderWidth: 1},
      edges: {arrows: {to: {enabled: true, scaleFactor: 0.35}}, scaling: {min: 1, max: 5}, smooth: false},
      physics: {solver: "forceAtlas2Based", forceAtlas2Based: {gravitationalConstant: -45, springLength: 90},
        stabilization: {iterations: 250, updateInterval: 50}},
      interaction: {hover: true, tooltipDelay: 120, navigationButtons: true, keyboard: {enabled: true,
        bindToWindow: false}, hideEdgesOnDrag: true},
      layout: {improvedLayout: false, randomSeed: 7}
    });
    graph.network = network;
    network.on("stabilizationIterationsDone", function () {
      graph.ready = true;
      network.setOptions({physics: {enabled: true, stabilization: {enabled: false}}});
      network.fit();
    });
    network.on("stabilized", function () { if (graph.ready) network.setOptions({physics: {enabled: false}}); });
    network.on("afterDrawing", function () {
      if (graph.ready) document.body.dataset.graphReady = String(graph.nodes.length);
    });
    network.on("click", function (params) { if (params.nodes.length) showNodeInfo(params.nodes[0]); });
    document.getElementById("graph-more").addEventListener("click", function () {
      network.setOptions({physics: {enabled: true}});
      showNodes(graph.shown + DATA.initial_nodes);
    });
    var search = document.getElementById("graph-search");
    document.getElementById("graph-find").addEventListener("click", function () { findNodes(search.value); });
    search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") findNodes(search.value); });
  }
  function findNodes(query) {
    query = query.trim().toLowerCase();
    var info = document.getElementById("node-info");
    if (!query) return;
    var hits = [];
    for (var i = 0; i < DATA.nodes.length && hits.length < 30; i++) {
      var n = DATA.nodes[i];
      if (n.l.toLowerCase().indexOf(query) >= 0 || (n.c && n.c.indexOf(query) === 0) ||
          n.a.some(function (a) { return a.toLowerCase().indexOf(query) >= 0; })) hits.push(i);
    }
    if (!hits.length) {
      info.replaceChildren(h("p", {text: "No node matches “" + query + "”."}));
      return;
    }
    hits.forEach(function (i) { drawNode(i); document.getElementById("type-" + DATA.nodes[i].t).checked = true; });
    graph.nodes.update(hits.map(function (i) { return {id: i, hidden: false}; }));
    updateGraphCount();
    graph.network.selectNodes(hits);
    if (hits.length === 1) graph.network.focus(hits[0], {scale: 0.9, animation: {duration: 400}});
    else graph.network.fit({nodes: hits, animation: {duration: 400}});
    if (hits.length === 1) showNodeInfo(hits[0]);
    else {
      var list = h("ul");
      hits.forEach(function (i) { list.appendChild(h("li", {}, nodeLink(i, DATA.nodes[i].l), " ",
        h("span", {class: "tag " + DATA.nodes[i].t, text: DATA.nodes[i].t}))); });
      info.replaceChildren(h("p", {text: hits.length + " matches"}), list);
    }
  }
  function focusNode(i) {
    if (!(i >= 0 && i < DATA.nodes.length) || !graph.network) return;
    drawNode(i);
    graph.nodes.update({id: i, hidden: false});
    updateGraphCount();
    graph.network.selectNodes([i]);
    graph.network.focus(i, {scale: 1.2, animation: {duration: 400}});
    showNodeInfo(i);
    document.getElementById("graph").scrollIntoView();
  }
  function showNodeInfo(i) {
    var n = DATA.nodes[i], info = document.getElementById("node-info");
    var parts = [h("h3", {}, n.l + " ", h("span", {class: "tag " + n.t, text: n.t})),
      h("p", {text: plural(n.s, "article") + ", " + plural(n.m, "mention")})];
    if (n.c) parts.push(h("p", {text: "code " + n.c + (n.p && n.p.length ? " ⊂ " + n.p.join(" ⊂ ") : "")}));
    if (n.a.length) parts.push(h("p", {class: "muted", text: "also " + n.a.join("、")}));
    var posts = DATA.officials.filter(function (r) { return r.pn === i || r.un === i; });
    if (posts.length) {
      var list = h("ul");
      posts.slice(0, 30).forEach(function (r) {
        list.appendChild(h("li", {}, nodeLink(r.pn, r.person), " " + r.post + " · ", nodeLink(r.un, r.unit)));
      });
      parts.push(h("h3", {text: "Posts"}), list);
    }
    var docs = h("ul");
    n.d.forEach(function (d) { docs.appendChild(h("li", {}, docLink(d))); });
    parts.push(h("h3", {text: "Articles"}), docs);
    if (n.s > n.d.length) parts.push(h("p", {class: "muted", text: "… and " + fmt(n.s - n.d.length) + " more"}));
    info.replaceChildren.apply(info, parts);
  }

  /* ---- Tables: sortable, filterable, paged ---- */
  function pagedTable(name, rows, columns, renderRow, searchText) {
    var state = {sort: null, dir: 1, page: 0, query: ""};
    var table = document.getElementById(name + "-table"), body = table.querySelector("tbody");
    var pager = document.getElementById(name + "-pager"), count = document.getElementById(name + "-count");
    var texts = rows.map(function (r) { return searchText(r).toLowerCase(); });
    function visible() {
      var q = state.query, out = [];
      for (var i = 0; i < rows.length; i++) if (!q || texts[i].indexOf(q) >= 0) out.push(i);
      if (state.sort) {
        var key = columns[state.sort];
        out.sort(function (a, b) {
          var x = key(rows[a]), y = key(rows[b]);
          return (x < y ? -1 : x > y ? 1 : a - b) * state.dir;
        });
      }
      return out;
    }
    function render() {
      var list = visible(), size = PAGE[name], pages = Math.max(1, Math.ceil(list.length / size));
      state.page = Math.min(state.page, pages - 1);
      body.replaceChildren();
      list.slice(state.page * size, (state.page + 1) * size).forEach(function (i) {
        renderRow(rows[i], i).forEach(function (tr) { body.appendChild(tr); });
      });
      count.textContent = fmt(list.length) + (list.length === rows.length ? "" : " of " + fmt(rows.length)) +
        " shown";
      pager.replaceChildren();
      if (pages > 1) {
        pager.appendChild(h("button", {type: "button", text: "‹ previous", disabled: state.page ? null : "disabled",
          onclick: function () { state.page--; render(); }}));
        pager.appendChild(h("span", {text: "page " + (state.page + 1) + " of " + pages}));
        pager.appendChild(h("button", {type: "button", text: "next ›", disabled: state.page < pages - 1 ? null :
          "disabled", onclick: function () { state.page++; render(); }}));
      }
    }
    table.querySelectorAll("th[data-key]").forEach(function (th) {
      th.addEventListener("click", function () {
        var key = th.dataset.key;
        state.dir = state.sort === key ? -state.dir : (key === "support" || key === "last" ? -1 : 1);
        state.sort = key;
        table.querySelectorAll("th").forEach(function (o) { o.classList.remove("asc", "desc"); });
        th.classList.add(state.dir > 0 ? "asc" : "desc");
        render();
      });
    });
    var input = document.getElementById(name + "-filter");
    input.addEventListener("input", function () {
      state.query = input.value.trim().toLowerCase();
      state.page = 0;
      render();
    });
    render();
    return {render: render, state: state, input: input};
  }

  var officialsView;
  function renderOfficials() {
    var columns = {
      person: function (r) { return r.person; }, post: function (r) { return r.post; },
      unit: function (r) { return r.unit; }, code: function (r) { return r.code; },
      within: function (r) { return r.chain.join(" "); }, status: function (r) { return r.status; },
      last: function (r) { return r.last; }, support: function (r) { return r.support; }
    };
    officialsView = pagedTable("officials", DATA.officials, columns, function (r) {
      var tr = h("tr", {class: "official"}), evidenceRow = null;
      var toggle = h("button", {type: "button", text: "show " + r.evidence.length, onclick: function () {
        if (evidenceRow) {
          evidenceRow.remove();
          evidenceRow = null;
          toggle.textContent = "show " + r.evidence.length;
          return;
        }
        var list = h("ul", {class: "evidence-list"});
        r.evidence.forEach(function (ev) {
          var doc = DATA.documents[ev[0]], rel = doc.relations[ev[1]];
          var item = h("li", {}, docLink(ev[0], ev[1]), doc.date ? " (" + doc.date + ")" : "", ": ");
          rel[4].forEach(function (s) { item.appendChild(evidenceNode(doc, rel, s)); });
          list.appendChild(item);
        });
        evidenceRow = h("tr", {class: "evidence-row"}, h("td", {colspan: "9"}, list));
        tr.after(evidenceRow);
        toggle.textContent = "hide";
      }});
      var date = r.first && r.first !== r.last ? r.first + " – " + r.last : r.last;
      [nodeLink(r.pn, r.person), h("span", {text: r.post, title: r.label}), nodeLink(r.un, r.unit),
        h("code", {text: r.code}), h("span", {text: r.chain.join(" ⊂ ")}), h("span", {text: r.status}),
        h("span", {text: date}), h("span", {text: fmt(r.support)}), toggle].forEach(function (cell, n) {
        tr.appendChild(h("td", {class: n === 7 ? "num" : null}, cell));
      });
      return [tr];
    }, function (r) {
      return [r.person, r.post, r.unit, r.code, r.chain.join(" "), r.status, r.first, r.last, r.label].join(" ");
    });
  }

  /* ---- Places ---- */
  function renderPlaces() {
    var places = DATA.places, byCode = {}, children = {}, roots = [], loose = [];
    places.forEach(function (p, i) { if (p.code) byCode[p.code] = i; });
    places.forEach(function (p, i) {
      if (p.parent && byCode[p.parent] !== undefined) (children[p.parent] = children[p.parent] || []).push(i);
      else if (p.code) roots.push(i);
      else loose.push(i);
    });
    var tree = document.getElementById("places-tree");
    tree.className = "tree";
    function label(i) {
      var p = places[i];
      var span = h("span", {}, p.n >= 0 ? nodeLink(p.n, p.name) : h("span", {text: p.name}));
      if (p.code) span.appendChild(h("span", {class: "code", text: p.code}));
      if (p.level) span.appendChild(h("span", {class: "level", text: p.level}));
      if (p.d.length) span.appendChild(docLinks(p.d, p.d.length, 8));
      return span;
    }
    function item(i, open) {
      var p = places[i], kids = p.code ? children[p.code] || [] : [];
      if (!kids.length) return h("div", {class: "leaf"}, label(i));
      var details = h("details", {}, h("summary", {}, label(i), h("span", {class: "muted", text: " (" + kids.length +
        ")"})));
      var filled = false;
      function fill() {
        if (filled) return;
        filled = true;
        kids.forEach(function (k) { details.appendChild(item(k, open)); });
      }
      details.addEventListener("toggle", fill);
      if (open) { details.open = true; fill(); }
      return details;
    }
    function renderTree() {
      var open = places.length <= 300;
      tree.replaceChildren();
      roots.forEach(function (i) { tree.appendChild(item(i, open)); });
      if (loose.length) {
        var group = h("details", {}, h("summary", {text: "Not resolved to a division (" + loose.length + ")"}));
        loose.forEach(function (i) { group.appendChild(h("div", {class: "leaf"}, label(i))); });
        tree.appendChild(group);
      }
      document.getElementById("places-count").textContent = fmt(places.length) + " places";
    }
    function chain(i) {
      var names = [], p = places[i], seen = 0;
      while (p && p.parent && byCode[p.parent] !== undefined && seen++ < 10) {
        p = places[byCode[p.parent]];
        names.push(p.name);
      }
      return names;
    }
    var input = document.getElementById("places-filter");
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      if (!q) { renderTree(); return; }
      var hits = [];
      places.forEach(function (p, i) {
        if (p.name.toLowerCase().indexOf(q) >= 0 || p.code.indexOf(q) === 0) hits.push(i);
      });
      tree.replaceChildren();
      hits.slice(0, 500).forEach(function (i) {
        var c = chain(i);
        tree.appendChild(h("div", {class: "leaf"}, label(i), c.length ? h("span", {class: "muted",
          text: "  ⊂ " + c.join(" ⊂ ")}) : null));
      });
      document.getElementById("places-count").textContent = fmt(hits.length) + " of " + fmt(places.length) +
        " places";
    });
    renderTree();
  }

  /* ---- Documents ---- */
  var documentsView;
  function renderDocuments() {
    documentsView = pagedTable("documents", DATA.documents, {}, function (d, i) {
      return [h("tr", {}, h("td", {}, h("a", {href: "#doc=" + encodeURIComponent(d.id), text: d.id})),
        h("td", {text: d.title}), h("td", {text: d.date}), h("td", {text: d.source}),
        h("td", {class: "num", text: fmt(d.entities.length)}), h("td", {class: "num", text: fmt(d.relations.length)}))];
    }, function (d) { return [d.id, d.title, d.source, d.date].join(" "); });
  }
  function nodeJump(n) { return function () { location.hash = "node=" + n; }; }
  /* The text with entity marks, and the sentence [from, to) highlighted. */
  function textNode(doc, from, to) {
    var box = h("div", {class: "doc-text"}), text = doc.text, cuts = [0, text.length];
    doc.marks.forEach(function (m) { cuts.push(m[0], m[1]); });
    if (from !== null) cuts.push(from, to);
    cuts = cuts.filter(function (c, i, all) { return all.indexOf(c) === i; }).sort(function (a, b) { return a - b; });
    var markAt = 0, hl = null;
    for (var c = 0; c + 1 < cuts.length; c++) {
      var start = cuts[c], end = cuts[c + 1], piece = text.slice(start, end), node;
      while (markAt < doc.marks.length && doc.marks[markAt][1] <= start) markAt++;
      var m = doc.marks[markAt];
      if (m && m[0] <= start && end <= m[1]) {
        var e = doc.entities[m[2]], label = DATA.labels[e[0]];
        node = h("mark", {class: "ent " + label + (e[2] >= 0 ? " linked" : ""), title: label + " · " + e[1] +
          (e[3] ? " · " + e[3] : "")}, piece, end === m[1] ? h("span", {class: "ent-label", text: label}) : null);
        if (e[2] >= 0) node.addEventListener("click", nodeJump(e[2]));
      } else {
        node = document.createTextNode(piece);
      }
      if (from !== null && start >= from && end <= to) {
        if (!hl) { hl = h("span", {class: "hl", id: "evidence-hl"}); box.appendChild(hl); }
        hl.appendChild(node);
      } else {
        box.appendChild(node);
      }
    }
    return box;
  }
  function openDoc(id, relIndex) {
    var i = docIndex[id], view = document.getElementById("doc-view");
    if (i === undefined) return;
    var doc = DATA.documents[i], rel = relIndex !== null ? doc.relations[+relIndex] : null;
    var span = rel && rel[4].length && typeof doc.sentences[rel[4][0]] !== "string" ? doc.sentences[rel[4][0]] : null;
    var parts = [h("h3", {text: doc.title || doc.id}),
      h("p", {class: "meta", text: [doc.id, doc.date, doc.source, doc.url, fmt(doc.chars) + " characters"]
        .filter(Boolean).join(" · ")})];
    if (DATA.documents_href) {
      parts.push(h("p", {class: "meta"}, h("a", {href: DATA.documents_href + encodeURIComponent(doc.id) + ".json",
        text: "document JSON"})));
    }
    parts.push(doc.text !== null ? textNode(doc, span ? span[0] : null, span ? span[1] : null)
      : h("p", {class: "muted", text: "The text of this article is not embedded (the report's text budget was " +
        "spent on articles with more posts); its relations and their evidence follow."}));
    var table = h("table", {class: "data"}, h("thead", {}, h("tr", {}, h("th", {text: "Relation"}),
      h("th", {text: "Head"}), h("th", {text: "Post"}), h("th", {text: "Tail"}), h("th", {text: "Evidence"}))));
    var body = h("tbody");
    doc.relations.forEach(function (r, n) {
      var head = doc.entities[r[1]], tail = doc.entities[r[2]], cell = h("td");
      r[4].forEach(function (s) { cell.appendChild(evidenceNode(doc, r, s)); });
      body.appendChild(h("tr", {id: "rel-" + n, class: rel === r ? "current" : null}, h("td", {text: r[0]}),
        h("td", {}, nodeLink(head[2], head[1])), h("td", {text: r[3]}), h("td", {}, nodeLink(tail[2], tail[1])), cell));
    });
    table.appendChild(body);
    parts.push(h("h3", {text: "Relations (" + doc.relations.length + ")"}), table);
    view.replaceChildren.apply(view, parts);
    view.hidden = false;
    var target = document.getElementById("evidence-hl") || (rel ? document.getElementById("rel-" + relIndex) : view);
    target.scrollIntoView({block: target === view ? "start" : "center"});
  }

  function route() {
    var params = new URLSearchParams(location.hash.slice(1));
    if (params.has("doc")) openDoc(params.get("doc"), params.get("rel"));
    else if (params.has("node")) focusNode(+params.get("node"));
  }

  renderSummary();
  renderGraph();
  renderOfficials();
  renderPlaces();
  renderDocuments();
  window.addEventListener("hashchange", route);
  route();
  window.cadregraph = {data: DATA, graph: graph, officials: officialsView, documents: documentsView};
})();
