// The query page with JavaScript: YASGUI's editor (Yasqe) over the form's textarea and its
// results view (Yasr) on the same page. Prefixes and terms are completed from the collection's
// own vocabulary (data-vocabulary), never from prefix.cc or LOV; the collection's IRIs link to
// their pages here. Without JavaScript the form posts to the endpoint as it always did.
(function () {
  "use strict";

  var form = document.getElementById("query-form");
  if (!form || !window.Yasgui) return;
  var Yasqe = window.Yasgui.Yasqe;
  var Yasr = window.Yasgui.Yasr;
  var textarea = form.querySelector("textarea[name=query]");
  var formatSelect = form.querySelector("select[name=format]");
  var results = document.getElementById("results");
  var statusLine = document.getElementById("run-status");
  var errorBox = document.getElementById("query-error");
  var downloads = document.getElementById("downloads");
  var endpoint = new URL(form.dataset.endpoint, window.location.href).href;
  var pagePath = form.dataset.page;
  var vocabulary = { prefixes: {}, classes: [], properties: [], local: [], downloads: {},
                     accept: {} };
  var loaded = fetch(form.dataset.vocabulary, { headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : vocabulary; })
    .then(function (v) { vocabulary = v; return v; }, function () { return vocabulary; });

  // ---- completion from the collection's vocabulary (bulk: completed locally by a trie)
  Yasqe.forkAutocompleter("prefixes", {
    name: "collection-prefixes", persistenceId: null,
    get: function () {
      return loaded.then(function (v) {
        return Object.keys(v.prefixes).sort().map(function (p) {
          return p + ": <" + v.prefixes[p] + ">";
        });
      });
    }
  }, false);
  Yasqe.forkAutocompleter("property", {
    name: "collection-properties", bulk: true, persistenceId: null,
    get: function () { return loaded.then(function (v) { return v.properties; }); }
  }, false);
  Yasqe.forkAutocompleter("class", {
    name: "collection-classes", bulk: true, persistenceId: null,
    get: function () { return loaded.then(function (v) { return v.classes; }); }
  }, false);
  // Set, not merged: Yasqe merges arrays item by item, which would keep LOV's completers.
  Yasqe.defaults.autocompleters = ["collection-prefixes", "variables", "collection-properties",
                                   "collection-classes"];

  // ---- results: the collection's IRIs link to their pages, shortened by the prefixes
  function localHref(iri) {
    for (var i = 0; i < vocabulary.local.length; i++) {
      var pair = vocabulary.local[i];
      if (iri.indexOf(pair[0]) === 0) return pair[1] + iri.slice(pair[0].length);
    }
    return iri;
  }

  function allPrefixes() {
    var out = {};
    Object.keys(vocabulary.prefixes).forEach(function (p) { out[p] = vocabulary.prefixes[p]; });
    var declared = yasqe ? yasqe.getPrefixesFromQuery() : {};
    Object.keys(declared).forEach(function (p) { out[p] = declared[p]; });
    return out;
  }

  function shortForm(iri, prefixes) {
    var best = null;
    Object.keys(prefixes).forEach(function (p) {
      var ns = prefixes[p];
      if (ns && iri.indexOf(ns) === 0 && (!best || ns.length > prefixes[best].length)) best = p;
    });
    return best === null ? null : best + ":" + iri.slice(prefixes[best].length);
  }

  var Table = Yasr.plugins.table;
  class CollectionTable extends Table {
    getUriLinkFromBinding(binding, prefixes) {
      var iri = binding.value;
      var short = shortForm(iri, prefixes || {});
      var a = document.createElement("a");
      a.className = "iri";
      a.href = localHref(iri);
      a.title = iri;
      a.textContent = short || iri;
      return short ? a.outerHTML : "&lt;" + a.outerHTML + "&gt;";
    }
  }
  // Numbers sort as numbers (Yasr hands the table its cells' HTML, which sorts as text).
  var NUMERIC = /#(integer|decimal|double|float|long|int|short|byte|nonNegativeInteger|positiveInteger|negativeInteger|nonPositiveInteger|unsignedLong|unsignedInt|unsignedShort|unsignedByte)$/;
  CollectionTable.prototype.getColumns = function () {
    var columns = Table.prototype.getColumns.call(this);
    columns.slice(1).forEach(function (column) {
      var render = column.render;
      column.render = function (cell, type, row, meta) {
        if ((type === "sort" || type === "type") && cell && cell.datatype &&
            NUMERIC.test(cell.datatype) && !isNaN(parseFloat(cell.value))) {
          return parseFloat(cell.value);
        }
        return render(cell, type, row, meta);
      };
    });
    return columns;
  };
  CollectionTable.defaults = Object.assign({}, Table.defaults, { openIriInNewWindow: false });
  Yasr.registerPlugin("table", CollectionTable);

  // ---- the editor, in place of the textarea
  var holder = document.createElement("div");
  holder.className = "editor";
  textarea.parentNode.insertBefore(holder, textarea);
  textarea.hidden = true;
  var yasqe = new Yasqe(holder, {
    value: textarea.value,
    persistenceId: null,
    consumeShareLink: null,
    createShareableLink: function (y) { return permalink(y.getValue()); },
    showQueryButton: false,
    resizeable: true,
    editorHeight: "18rem",
    // Tab moves on to the next control, so the keyboard never gets stuck in the editor.
    extraKeys: { Tab: false, "Shift-Tab": false },
    requestConfig: {
      endpoint: endpoint,
      method: "POST",
      // The media types come from the server's format table (until it answers, any type:
      // the endpoint's defaults are the same two).
      acceptHeaderSelect: function () { return (vocabulary.accept || {}).select || "*/*"; },
      acceptHeaderGraph: function () { return (vocabulary.accept || {}).graph || "*/*"; }
    }
  });
  var input = yasqe.getInputField();
  input.setAttribute("aria-labelledby", "query-label");
  input.setAttribute("aria-describedby", "editor-keys");
  var label = document.getElementById("query-label");
  label.removeAttribute("for");
  label.addEventListener("click", function () { yasqe.focus(); });
  document.getElementById("editor-keys").hidden = false;
  yasqe.on("change", function () { textarea.value = yasqe.getValue(); });

  var yasr = new Yasr(document.getElementById("yasr"), {
    persistenceId: null,
    prefixes: function () { return allPrefixes(); },
    pluginOrder: ["table", "response"],
    defaultPlugin: "table"
  });

  // Names for the controls Yasr draws without one (axe: select-name, empty-table-header).
  yasr.on("drawn", function () {
    var sizer = document.querySelector("#yasr .tableSizer");
    if (sizer) sizer.setAttribute("aria-label", "Rows per page");
    var corner = document.querySelector("#yasr table thead th:first-child");
    if (corner && !corner.textContent.trim()) {
      var name = document.createElement("span");
      name.className = "visually-hidden";
      name.textContent = "Row";
      corner.appendChild(name);
    }
  });

  function permalink(text) {
    return new URL(pagePath + "?" + new URLSearchParams({ query: text }), window.location.href).href;
  }

  function clearMark() {
    if (clearMark.mark) { clearMark.mark.clear(); clearMark.mark = null; }
    if (clearMark.line !== undefined) {
      yasqe.removeLineClass(clearMark.line, "background", "query-error-line");
      clearMark.line = undefined;
    }
  }

  function showError(message) {
    var text = message;
    try { text = JSON.parse(message).error || message; } catch (e) { /* plain text */ }
    errorBox.textContent = "";
    // The parser's position (line:column, both from 1) is where it stopped reading, just
    // after the token it could not take.
    var where = /(\d+):(\d+)/.exec(text);
    var head = document.createElement("strong");
    head.textContent = where ? "Error at line " + where[1] + ", column " + where[2] + ": "
                             : "Error: ";
    errorBox.appendChild(head);
    errorBox.appendChild(document.createTextNode(
      text.replace(/^malformed query: /, "").replace(/^error at \d+:\d+: /, "")));
    errorBox.hidden = false;
    document.getElementById("yasr").hidden = true;
    downloads.hidden = true;
    statusLine.textContent = "The query failed.";
    if (where) {
      var line = Math.max(0, parseInt(where[1], 10) - 1);
      var ch = Math.max(0, parseInt(where[2], 10) - 1);
      clearMark.line = line;
      yasqe.addLineClass(line, "background", "query-error-line");
      var token = yasqe.getTokenAt({ line: line, ch: Math.max(1, ch) });
      var from = token && token.string.trim() ? token.start : ch;
      var to = token && token.string.trim() ? token.end : ch + 1;
      clearMark.mark = yasqe.markText({ line: line, ch: from }, { line: line, ch: to },
                                      { className: "query-error-at" });
      yasqe.setCursor({ line: line, ch: to });
    }
  }

  function showDownloads(text) {
    var kind = yasqe.getQueryType();
    var formats = (kind === "CONSTRUCT" || kind === "DESCRIBE" ? vocabulary.downloads.graph
                                                                : vocabulary.downloads.select) || [];
    downloads.textContent = "Download: ";
    formats.forEach(function (f, i) {
      if (i) downloads.appendChild(document.createTextNode(" · "));
      var a = document.createElement("a");
      a.href = form.dataset.endpoint + "?" + new URLSearchParams({ query: text, format: f.format });
      a.textContent = f.format;
      a.title = f.label;
      downloads.appendChild(a);
    });
    downloads.appendChild(document.createTextNode(" · "));
    var link = document.createElement("a");
    link.href = permalink(text);
    link.textContent = "permalink";
    link.className = "permalink";
    downloads.appendChild(link);
    downloads.hidden = false;
  }

  var running = null;
  yasqe.on("query", function () {
    running = yasqe.getValue();
    results.hidden = false;
    clearMark();
    errorBox.hidden = true;
    statusLine.textContent = "Running…";
  });
  // Yasqe's events, like CodeMirror's, pass the editor first.
  yasqe.on("queryResponse", function (_editor, response, duration) {
    var text = running;
    if (response instanceof Error || (response && response.ok === false)) {
      showError(response.message || String(response));
      return;
    }
    document.getElementById("yasr").hidden = false;
    yasr.setResponse(response, duration);
    var bindings = yasr.results && yasr.results.getBindings ? yasr.results.getBindings() : null;
    statusLine.textContent = bindings ? bindings.length + (bindings.length === 1 ? " row" : " rows")
      + " in " + duration + " ms." : "Done in " + duration + " ms.";
    showDownloads(text);
    var url = permalink(text);
    if (url !== window.location.href) window.history.pushState({ query: text }, "", url);
  });

  function run() {
    loaded.then(function () { yasqe.query().catch(function () { /* shown by queryResponse */ }); });
  }

  form.addEventListener("submit", function (event) {
    textarea.value = yasqe.getValue();
    if (formatSelect.value !== "html") return;   // a download: let the form post it
    event.preventDefault();
    run();
  });

  window.addEventListener("popstate", function () {
    var text = new URLSearchParams(window.location.search).get("query");
    if (text !== null && text !== yasqe.getValue()) { yasqe.setValue(text); run(); }
  });

  if (form.dataset.run) run();
})();
