// The SPARQL page: load examples, run the query with fetch, draw the result table.
// Data from the server is only ever put into the page with textContent (never innerHTML).
(function () {
  "use strict";

  var form = document.getElementById("abfrage-form");
  var area = document.getElementById("abfrage");
  var select = document.getElementById("beispiel");
  var purpose = document.getElementById("beispiel-zweck");
  var loadButton = document.getElementById("beispiel-laden");
  var runButton = document.getElementById("ausfuehren");
  var statusLine = document.getElementById("status");
  var downloads = document.getElementById("downloads");
  var tableBox = document.getElementById("tabelle");
  var base = form.getAttribute("data-base") || "";
  var examples = [];
  try {
    examples = JSON.parse(document.getElementById("beispiele-daten").textContent);
  } catch (e) {
    examples = [];
  }

  function findExample(name) {
    for (var i = 0; i < examples.length; i++) {
      if (examples[i].name === name) return examples[i];
    }
    return null;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // A link target for an IRI: the local page for IRIs under the base, else http(s) only.
  function hrefFor(iri) {
    if (base && iri.indexOf(base) === 0) return "/" + iri.slice(base.length);
    if (/^https?:\/\//i.test(iri)) return iri;
    return null;
  }

  function cell(term) {
    var td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      var href = hrefFor(term.value);
      if (href) {
        var a = document.createElement("a");
        a.href = href;
        a.textContent = term.value;
        td.appendChild(a);
      } else {
        td.textContent = term.value;
      }
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else if (term.type === "triple") {
      td.textContent = "<< " + term.value.subject.value + " " + term.value.predicate.value + " " + term.value.object.value + " >>";
    } else {
      td.appendChild(document.createTextNode(term.value));
      var note = term["xml:lang"] || (term.datatype ? term.datatype.split("#").pop() : "");
      if (note) {
        var span = document.createElement("span");
        span.className = "hinweis";
        span.textContent = " (" + note + ")";
        td.appendChild(span);
      }
    }
    return td;
  }

  function drawTable(data) {
    var vars = data.head.vars || [];
    var table = document.createElement("table");
    var thead = document.createElement("thead");
    var tr = document.createElement("tr");
    vars.forEach(function (v) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = v;
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    table.appendChild(thead);
    var tbody = document.createElement("tbody");
    data.results.bindings.forEach(function (b) {
      var row = document.createElement("tr");
      vars.forEach(function (v) { row.appendChild(cell(b[v])); });
      tbody.appendChild(row);
    });
    table.appendChild(tbody);
    tableBox.appendChild(table);
  }

  function downloadLink(query, format, label, file) {
    var a = document.createElement("a");
    a.href = "/sparql?query=" + encodeURIComponent(query) + "&format=" + format;
    a.setAttribute("download", file);
    a.textContent = label;
    downloads.appendChild(a);
    downloads.appendChild(document.createTextNode(" "));
  }

  function showError(text) {
    clear(tableBox);
    clear(downloads);
    statusLine.className = "status meldung meldung-fehler";
    statusLine.textContent = text;
  }

  function run() {
    var query = area.value;
    runButton.disabled = true;
    statusLine.className = "status";
    statusLine.textContent = "Abfrage läuft …";
    var started = performance.now();
    var body = new URLSearchParams();
    body.set("query", query);
    fetch("/sparql", {
      method: "POST",
      headers: {
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
        "Content-Type": "application/x-www-form-urlencoded"
      },
      body: body.toString()
    }).then(function (resp) {
      return resp.text().then(function (text) { return { resp: resp, text: text }; });
    }).then(function (r) {
      runButton.disabled = false;
      if (!r.resp.ok) {
        showError("Fehler " + r.resp.status + ": " + r.text.trim());
        return;
      }
      clear(tableBox);
      clear(downloads);
      var seconds = ((performance.now() - started) / 1000).toFixed(2).replace(".", ",");
      var ctype = r.resp.headers.get("Content-Type") || "";
      var cut = r.resp.headers.get("X-Inko-Truncated");
      statusLine.className = "status";
      if (ctype.indexOf("json") >= 0) {
        var data = JSON.parse(r.text);
        if (typeof data.boolean === "boolean") {
          statusLine.textContent = "Antwort: " + (data.boolean ? "Ja" : "Nein") + " (" + seconds + " s)";
          return;
        }
        var n = data.results.bindings.length;
        statusLine.textContent = (n === 0 ? "Keine Treffer" : n + " Zeile(n)") +
          (cut ? " – gekürzt auf " + cut + " Zeilen" : "") + " (" + seconds + " s)";
        downloadLink(query, "csv", "CSV herunterladen", "ergebnis.csv");
        downloadLink(query, "json", "JSON herunterladen", "ergebnis.json");
        if (n > 0) drawTable(data);
      } else {
        statusLine.textContent = "Graph als Turtle" + (cut ? " – gekürzt auf " + cut + " Tripel" : "") + " (" + seconds + " s)";
        downloadLink(query, "ttl", "Turtle herunterladen", "ergebnis.ttl");
        var pre = document.createElement("pre");
        pre.textContent = r.text;
        tableBox.appendChild(pre);
      }
      if (query.length < 4000 && window.history && window.history.replaceState) {
        window.history.replaceState(null, "", "/sparql?query=" + encodeURIComponent(query));
      }
    }).catch(function () {
      runButton.disabled = false;
      showError("Der Server ist nicht erreichbar.");
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    run();
  });

  area.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      run();
    }
  });

  function loadExample() {
    var ex = findExample(select.value);
    if (!ex) return;
    area.value = ex.text;
    purpose.textContent = ex.purpose + (ex.params.length ? " Parameter (frei lassen oder ersetzen): ?" + ex.params.join(", ?") : "");
  }

  select.addEventListener("change", loadExample);
  loadButton.addEventListener("click", function (ev) {
    ev.preventDefault();
    loadExample();
    area.focus();
  });
})();
