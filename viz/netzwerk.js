/* Netzwerkansicht: draws the view held as JSON in #netzdaten with vis-network.
 * Text from the data only ever goes into the page through textContent (or vis-network's
 * canvas labels and innerText tooltips), never as HTML. */
(function () {
  "use strict";

  function fold(text) {
    return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/\u00df/g, "ss").replace(/[\s\-_]+/g, " ").trim();
  }

  // Only our own paths and web addresses are followed.
  function safeHref(href) {
    if (typeof href !== "string") return null;
    if (/^\/(?!\/)/.test(href) || /^https?:\/\//i.test(href)) return href;
    return null;
  }

  function byId(id) { return document.getElementById(id); }

  function setText(id, text) {
    var el = byId(id);
    if (el) el.textContent = text || "";
  }

  function setLink(id, href) {
    var el = byId(id);
    if (!el) return;
    var safe = safeHref(href);
    if (safe) { el.setAttribute("href", safe); el.hidden = false; }
    else { el.removeAttribute("href"); el.hidden = true; }
  }

  function start() {
    var source = byId("netzdaten");
    var box = byId("netz");
    if (!source || !box) return;
    setText("netz-status", "Das Netz wird gezeichnet …");
    if (typeof vis === "undefined") {
      setText("netz-status", "Die Zeichenbibliothek konnte nicht geladen werden.");
      return;
    }
    var data = JSON.parse(source.textContent);
    var index = {};
    data.knoten.forEach(function (n) { index[n.id] = n; });
    var nodes = new vis.DataSet(data.knoten);
    var edges = new vis.DataSet(data.kanten);
    var network = new vis.Network(box, { nodes: nodes, edges: edges }, data.optionen);
    // The nodes of the view (a folded Gremium's node stands for members that are there, hidden).
    box.setAttribute("data-knoten", String(data.knoten.filter(function (n) { return !n.oeffnet; }).length));
    box.setAttribute("data-kanten", String(edges.length));
    window.inkoNetz = network;

    network.once("afterDrawing", function () {
      document.body.setAttribute("data-zustand", "fertig");
      window.inkoGezeichnet = performance.now();
      setText("netz-status", "");
    });
    function showTop() {
      // Tall layouts (the documents' goals in columns) start at the top at a readable size.
      var minX = Infinity, maxX = -Infinity, minY = Infinity;
      data.knoten.forEach(function (n) {
        if (n.x < minX) minX = n.x;
        if (n.x > maxX) maxX = n.x;
        if (n.y < minY) minY = n.y;
      });
      minX -= 175; maxX += 175; minY -= 40;
      var scale = Math.max(0.5, Math.min(1.0, box.clientWidth / (maxX - minX)));
      network.moveTo({ position: { x: (minX + maxX) / 2, y: minY + box.clientHeight / 2 / scale }, scale: scale });
    }
    if (data.start === "oben" && data.knoten.length) showTop();
    else if (data.start === "fokus" && data.startknoten && data.startknoten.length > 1) {
      // A town's overview opens on its concept and the concept's goals.
      network.fit({ nodes: data.startknoten, animation: false });
    }
    else network.fit({ animation: false });

    // Labels: drawn from the start only for the focus, its neighbours and the anchors (the
    // server decides); the others appear under the pointer and when zoomed in.
    var ZOOM_LABELS = 1.2;
    var unlabelled = data.knoten.filter(function (n) { return !n.label && n.name; }).map(function (n) { return n.id; });
    var allShown = false;
    function showAll(on) {
      if (on === allShown || !unlabelled.length) return;
      allShown = on;
      nodes.update(unlabelled.map(function (id) { return { id: id, label: on ? index[id].name : "" }; }));
    }
    network.on("zoom", function () { showAll(network.getScale() >= ZOOM_LABELS); });
    network.on("hoverNode", function (params) {
      var n = index[params.node];
      if (n && !n.label && !allShown) nodes.update({ id: n.id, label: n.name });
    });
    network.on("blurNode", function (params) {
      var n = index[params.node];
      if (n && !n.label && !allShown && network.getSelectedNodes().indexOf(n.id) < 0) nodes.update({ id: n.id, label: "" });
    });

    // A Gremium's members are folded into one node until it is opened.
    function unfold(id) {
      var fold = index[id];
      if (!fold || !fold.oeffnet) return false;
      nodes.update(fold.oeffnet.map(function (m) { return { id: m, hidden: false, label: index[m].name }; }));
      fold.oeffnet.forEach(function (m) { index[m].label = index[m].name; });
      nodes.remove(id);
      delete index[id];
      box.setAttribute("data-geoeffnet", (box.getAttribute("data-geoeffnet") || "") + " " + id);
      setText("netz-status", fold.oeffnet.length + " Mitglieder werden einzeln gezeigt.");
      return true;
    }
    window.inkoOeffne = unfold;
    // The list's link "Mitglieder im Bild zeigen" opens the Gremium here instead of loading the page again.
    Array.prototype.forEach.call(document.querySelectorAll("a.netz-oeffnen"), function (link) {
      link.addEventListener("click", function (event) {
        var id = "mitglieder:" + link.getAttribute("data-gremium");
        if (!index[id]) return;
        event.preventDefault();
        unfold(id);
        network.fit({ nodes: [link.getAttribute("data-gremium")].concat(data.knoten.filter(function (n) {
          return n.mitglied_von === link.getAttribute("data-gremium");
        }).map(function (n) { return n.id; })), animation: false });
        box.scrollIntoView({ block: "center" });
      });
    });

    function showDetails(node) {
      var panel = byId("auswahl");
      if (!panel) return;
      panel.hidden = !node;
      if (!node) return;
      setText("auswahl-label", node.volltext);
      setText("auswahl-art", node.art);
      setText("auswahl-quelle", node.quelle || "–");
      var marks = [];
      if (node.luecke) marks.push("Lücke: diesem Ziel dient niemand");
      if (node.ueberschneidung) marks.push("Überschneidung: mehrere Akteure für dieselbe Lebensphase");
      setText("auswahl-hinweis", marks.join(" · "));
      setLink("auswahl-seite", node.href);
      setLink("auswahl-ansicht", node.ansicht);
    }

    function select(id, zoom) {
      var node = index[id];
      if (!node) return;
      if (node.mitglied_von && index["mitglieder:" + node.mitglied_von]) unfold("mitglieder:" + node.mitglied_von);
      if (!node.label && node.name) nodes.update({ id: id, label: node.name });
      network.selectNodes([id]);
      network.focus(id, { scale: Math.max(network.getScale(), zoom || 1.1), animation: { duration: 250 } });
      box.setAttribute("data-ausgewaehlt", String(id));
      showDetails(node);
    }
    window.inkoWaehle = select;

    network.on("click", function (params) {
      if (params.nodes.length !== 1) return;
      if (unfold(params.nodes[0])) return;
      var node = index[params.nodes[0]];
      var target = node && (safeHref(node.href) || safeHref(node.ansicht));
      if (target) window.location.assign(target);
    });
    network.on("selectNode", function (params) {
      if (params.nodes.length === 1) showDetails(index[params.nodes[0]]);
    });

    if (data.fokus && index[data.fokus]) {
      network.selectNodes([data.fokus]);
      box.setAttribute("data-ausgewaehlt", String(data.fokus));
      showDetails(index[data.fokus]);
    }

    var form = byId("suche");
    var list = byId("treffer");
    if (form && list) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var wanted = fold(byId("suchfeld").value);
        list.textContent = "";
        if (!wanted) { setText("suchstatus", "Bitte einen Suchbegriff eingeben."); return; }
        var hits = data.knoten.filter(function (n) { return fold(n.volltext).indexOf(wanted) >= 0; });
        hits.sort(function (a, b) {
          var pa = fold(a.volltext).indexOf(wanted) === 0 ? 0 : 1;
          var pb = fold(b.volltext).indexOf(wanted) === 0 ? 0 : 1;
          return pa - pb || a.volltext.length - b.volltext.length;
        });
        var shown = hits.slice(0, 20);
        setText("suchstatus", hits.length === 0 ? "Kein Knoten gefunden."
          : hits.length + " Treffer" + (hits.length > shown.length ? ", die ersten " + shown.length + ":" : ":"));
        shown.forEach(function (n) {
          var li = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.textContent = n.volltext;
          var kind = document.createElement("span");
          kind.className = "treffer-art";
          kind.textContent = " (" + n.art + ")";
          button.appendChild(kind);
          button.addEventListener("click", function () { select(n.id, 1.3); });
          li.appendChild(button);
          list.appendChild(li);
        });
        if (shown.length) select(shown[0].id, 1.3);
      });
    }

    function zoom(factor) {
      network.moveTo({ scale: network.getScale() * factor, animation: { duration: 150 } });
    }
    var fit = byId("einpassen");
    if (fit) fit.addEventListener("click", function () { network.fit({ animation: { duration: 250 } }); });
    var plus = byId("groesser");
    if (plus) plus.addEventListener("click", function () { zoom(1.4); });
    var minus = byId("kleiner");
    if (minus) minus.addEventListener("click", function () { zoom(1 / 1.4); });

  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
