// The review report's script: filters, search, and the decisions control.
// It reads the page and writes only text (textContent, value): no value
// from the report is ever parsed as HTML.
(function () {
  "use strict";
  function one(sel, root) { return (root || document).querySelector(sel); }
  function all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  var cards = all("article.card");
  var filters = {
    severity: one("#f-severity"),
    list: one("#f-list"),
    program: one("#f-program"),
    decided: one("#f-decided"),
    search: one("#f-search")
  };

  function hitShown(hit, f) {
    if (f.severity && hit.dataset.severity !== f.severity) { return false; }
    if (f.list && hit.dataset.list !== f.list) { return false; }
    if (f.program && !all("[data-program]", hit).some(function (li) { return li.dataset.program === f.program; })) {
      return false;
    }
    if (f.decided && hit.dataset.decided !== f.decided) { return false; }
    return true;
  }

  // A card shows when one of its hits passes the filters and its text holds
  // the search words; the hits that do not pass are hidden within it.
  function apply() {
    var f = {
      severity: filters.severity.value,
      list: filters.list.value,
      program: filters.program.value,
      decided: filters.decided.value,
      search: filters.search.value.trim().toLowerCase()
    };
    var shown = 0;
    cards.forEach(function (card) {
      var any = false;
      all("section.hit", card).forEach(function (hit) {
        var ok = hitShown(hit, f);
        hit.hidden = !ok;
        any = any || ok;
      });
      var ok = any && (!f.search || card.textContent.toLowerCase().indexOf(f.search) >= 0);
      card.hidden = !ok;
      if (ok) { shown += 1; }
    });
    one("#shown").textContent = shown + " of " + cards.length + " cards";
  }
  Object.keys(filters).forEach(function (k) {
    filters[k].addEventListener(k === "search" ? "input" : "change", apply);
  });

  // Decisions: one row per (input, entry) marked, in the order first marked.
  var marks = {};
  var order = [];
  var csvHeader = ["input", "input_id", "entity_id", "entity_hash", "decision", "reviewer", "date", "reason", "expires"];

  function csvField(v) {
    v = String(v);
    return /[",\r\n]/.test(v) || v !== v.trim() ? "\"" + v.replace(/"/g, "\"\"") + "\"" : v;
  }
  function note(text) { one("#decisions-note").textContent = text; }

  function render() {
    var reviewer = one("#reviewer").value.trim();
    var expires = one("#expires").value;
    var out = one("#decisions-csv");
    var link = one("#download-decisions");
    if (order.length === 0) {
      out.value = "";
      link.setAttribute("href", "#");
      note("");
      return;
    }
    if (!reviewer) {
      out.value = "";
      link.setAttribute("href", "#");
      note("Enter your name as reviewer: every decision names who made it.");
      return;
    }
    var lines = [csvHeader.join(",")];
    order.forEach(function (key) {
      var m = marks[key];
      var d = m.hit.dataset;
      lines.push([d.input, d.inputId, d.entityId, d.entityHash, m.decision, reviewer, m.date,
        one(".reason", m.hit).value.trim(), expires].map(csvField).join(","));
    });
    var csv = lines.join("\n") + "\n";
    out.value = csv;
    link.setAttribute("href", "data:text/csv;charset=utf-8," + encodeURIComponent(csv));
    note(order.length + " decision(s): save them as a CSV file and pass it to sanctions screen --decisions.");
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest("button[data-decision]");
    if (!button) { return; }
    var hit = button.closest("section.hit");
    if (!one("#reviewer").value.trim()) {
      note("Enter your name as reviewer first.");
      one("#reviewer").focus();
      return;
    }
    var d = hit.dataset;
    var key = [d.input, d.inputId, d.entityId].join("\u0000");
    if (!Object.prototype.hasOwnProperty.call(marks, key)) { order.push(key); }
    marks[key] = { hit: hit, decision: button.dataset.decision, date: new Date().toISOString().slice(0, 10) };
    hit.dataset.marked = button.dataset.decision;
    one(".marked-as", hit).textContent = "marked: " + button.dataset.decision.replace("_", " ");
    render();
  });
  document.addEventListener("input", function (ev) {
    if (ev.target.matches(".reason, #reviewer, #expires")) { render(); }
  });
  one("#expires").addEventListener("change", render);

  one("#copy-decisions").addEventListener("click", function () {
    var out = one("#decisions-csv");
    out.select();
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(out.value).catch(function () { document.execCommand("copy"); });
    } else {
      document.execCommand("copy");
    }
  });
  one("#clear-decisions").addEventListener("click", function () {
    order.forEach(function (key) {
      var hit = marks[key].hit;
      delete hit.dataset.marked;
      one(".marked-as", hit).textContent = "";
    });
    marks = {};
    order = [];
    render();
  });

  apply();
}());
