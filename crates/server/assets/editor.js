// 边填边查 — checks a target as it is typed, by POST /api/targets/check (the parser of
// imports), and writes what it was read as, or why not, beside the field; and numbers the
// indicator rows again as their 二级指标 is chosen (each row's code and the 一级/二级 heading
// above it, as the server numbers them). The form works without this file: the server checks
// every target and numbers every row on 检查 and 保存.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form) return;
  var csrf = form.querySelector("input[name=csrf]").value;
  var en = document.documentElement.lang === "en";
  var timers = {};
  function show(k, ok, text) {
    var reading = document.getElementById("reading_" + k);
    var error = document.getElementById("target_error_" + k);
    if (!reading || !error) return;
    reading.textContent = ok ? text : "";
    error.textContent = ok ? "" : text;
    reading.parentNode.classList.toggle("invalid", !ok);
  }
  // The declaration's year, so that a deadline without one (12月底前) is read in it.
  function yearOf(text) {
    var y = form.querySelector("input[name=year]");
    var n = y ? parseInt(y.value, 10) : NaN;
    return isNaN(n) ? { text: text } : { text: text, year: n };
  }
  function check(input) {
    var k = input.name.replace("ind_target_", "");
    var text = input.value;
    fetch("/api/targets/check", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(yearOf(text))
    }).then(function (r) {
      return r.json().then(function (b) { return { ok: r.ok, b: b }; });
    }).then(function (x) {
      if (input.value !== text) return;
      if (x.ok) {
        var s = (en ? "reads as " : "读作 ") + (en ? x.b.reading_en : x.b.reading_zh);
        (x.b.warnings || []).forEach(function (w) { s += "；" + (en ? w.en : w.zh); });
        show(k, true, s);
      } else {
        show(k, false, en ? x.b.message_en : x.b.message_zh);
      }
    }).catch(function () {});
  }
  // A row's code is a.b.n: a.b from its 二级指标 (the option's data-code), n its place among
  // the rows of that category (Project::assign_codes). A heading starts each run of rows of one
  // category; a row of an unknown category has neither code nor heading.
  function renumber() {
    var body = form.querySelector("table[data-testid=indicators] tbody");
    if (!body) return;
    Array.prototype.slice.call(body.querySelectorAll("tr.sub")).forEach(function (tr) {
      tr.parentNode.removeChild(tr);
    });
    var seen = {};
    var last = null;
    Array.prototype.slice.call(body.querySelectorAll("tr[data-testid^=ind-row-]")).forEach(function (tr) {
      var select = tr.querySelector("select[name^=ind_level2_]");
      var option = select && select.options[select.selectedIndex];
      var ab = option && option.getAttribute("data-code");
      var group = ab ? option.textContent : null;
      var code = tr.querySelector("td code");
      if (ab) seen[ab] = (seen[ab] || 0) + 1;
      if (code) code.textContent = ab ? ab + "." + seen[ab] : "";
      if (group !== null && group !== last) {
        var head = document.createElement("tr");
        head.className = "sub";
        var cell = document.createElement("td");
        cell.colSpan = 7;
        var strong = document.createElement("strong");
        strong.textContent = group;
        cell.appendChild(strong);
        head.appendChild(cell);
        body.insertBefore(head, tr);
      }
      last = group;
    });
  }
  form.addEventListener("change", function (e) {
    var t = e.target;
    if (t.name && t.name.indexOf("ind_level2_") === 0) renumber();
  });
  form.addEventListener("input", function (e) {
    var t = e.target;
    if (!t.name || t.name.indexOf("ind_target_") !== 0) return;
    clearTimeout(timers[t.name]);
    timers[t.name] = setTimeout(function () { check(t); }, 250);
  });
})();
