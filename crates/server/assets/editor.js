// 边填边查 — checks a target as it is typed, by POST /api/targets/check (the parser of
// imports), and writes what it was read as, or why not, beside the field. The form works
// without this file: the server checks every target on 检查 and 保存.
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
  form.addEventListener("input", function (e) {
    var t = e.target;
    if (!t.name || t.name.indexOf("ind_target_") !== 0) return;
    clearTimeout(timers[t.name]);
    timers[t.name] = setTimeout(function () { check(t); }, 250);
  });
})();
