// YASGUI on the query page: the editor with highlighting and checking, the result table, the
// catalogue's queries as examples and the project's prefixes. Configuration comes from the page
// (data attributes and the JSON block of examples), never from inline script (Content-Security-Policy).
// Without JavaScript, or if YASGUI fails to start, the plain form below stays the way to query.
(function () {
  "use strict";

  var box = document.getElementById("yasgui");
  if (!box || typeof window.Yasgui !== "function") return;
  var prefixes = {};
  var examples = [];
  try {
    prefixes = JSON.parse(document.getElementById("praefixe-daten").textContent);
    examples = JSON.parse(document.getElementById("beispiele-daten").textContent);
  } catch (e) {
    return;
  }

  // PREFIX lines for the prefixes a query uses but does not declare: the endpoint knows them
  // anyway, the editor's checker does not.
  function withPrefixes(text) {
    var lines = [];
    Object.keys(prefixes).sort().forEach(function (p) {
      var used = new RegExp("(^|[\\s(/^|,;.\\[])" + p + ":").test(text);
      var declared = new RegExp("PREFIX\\s+" + p + ":", "i").test(text);
      if (used && !declared) lines.push("PREFIX " + p + ": <" + prefixes[p] + ">");
    });
    return lines.length ? lines.join("\n") + "\n" + text : text;
  }

  var start = document.getElementById("abfrage");
  var area = document.getElementById("editor-bereich");
  var yasgui;
  // Shown before the editor starts: an editor drawn inside a hidden box shows no text.
  area.hidden = false;
  box.hidden = false;
  try {
    yasgui = new window.Yasgui(box, {
      requestConfig: {
        endpoint: box.getAttribute("data-endpoint"),
        method: "POST",
        acceptHeaderSelect: "application/sparql-results+json",
        acceptHeaderGraph: "text/turtle",
        acceptHeaderUpdate: "text/plain"
      },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: function () { return []; } },
      showEndpointButton: false,
      persistenceId: null,
      yasqe: {
        value: withPrefixes(start ? start.value : ""),
        // Only completions from the query itself: the others ask servers on the internet.
        autocompleters: ["variables"],
        editorHeight: "18rem"
      },
      yasr: { prefixes: prefixes }
    });
  } catch (e) {
    area.hidden = true;
    box.hidden = true;
    return;
  }
  // The editor takes the focus when it starts; give it back so that the first Tab reaches the
  // skip link, as on every other page (keyboard users, WCAG 2.4.1 and 2.4.3).
  if (box.contains(document.activeElement)) {
    // Blurring alone leaves the browser's starting point for Tab inside the editor.
    document.body.setAttribute("tabindex", "-1");
    document.body.focus({ preventScroll: true });
    document.body.removeAttribute("tabindex");
  }

  var select = document.getElementById("editor-beispiel");
  var purpose = document.getElementById("editor-beispiel-zweck");
  examples.forEach(function (ex) {
    var opt = document.createElement("option");
    opt.value = ex.name;
    opt.textContent = ex.title || ex.name;
    select.appendChild(opt);
  });
  select.addEventListener("change", function () {
    var ex = null;
    for (var i = 0; i < examples.length; i++) if (examples[i].name === select.value) ex = examples[i];
    if (!ex) return;
    yasgui.getTab().setQuery(withPrefixes(ex.text));
    purpose.textContent = (ex.purpose || "") +
      (ex.params.length ? " Parameter (frei lassen oder ersetzen): ?" + ex.params.join(", ?") : "");
  });
})();
