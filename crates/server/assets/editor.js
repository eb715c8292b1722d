// 边填边查 — checks a target as it is typed, by POST /api/targets/check (the parser of
// imports), and writes what it was read as, or why not, beside the field; and numbers the
// indicator rows again as their 二级指标 is chosen (each row's code and the 一级/二级 heading
// above it, as the server numbers them); and suggests indicators while a name is typed
// (GET /api/library: the library first, then the unit's, department's and other units' approved
// indicators, each with its typical target, unit, how often used and why it ranks there) —
// choosing one fills the row's 二级, name and target placeholder and links it to its library
// entry (the hidden ind_lib_K). The form works without this file: the server checks every
// target and numbers every row on 检查 and 保存, and 从指标库添加 adds a whole entry.
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
        cell.colSpan = 8;
        var strong = document.createElement("strong");
        strong.textContent = group;
        cell.appendChild(strong);
        head.appendChild(cell);
        body.insertBefore(head, tr);
      }
      last = group;
    });
  }
  // 指标建议 — the list under a name field while it is typed.
  var list = null;
  var items = [];
  var at = -1;
  var owner = null;
  function closeList() {
    if (list && list.parentNode) list.parentNode.removeChild(list);
    list = null; items = []; at = -1; owner = null;
  }
  function rowOf(input) { return input.name.replace("ind_name_", ""); }
  function text(tag, cls, s) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    el.textContent = s;
    return el;
  }
  function meta(x) {
    var parts = [];
    if (x.unit) parts.push((en ? "unit " : "单位 ") + x.unit);
    if (x.typical_target) parts.push((en ? "typical " : "典型值 ") + x.typical_target);
    parts.push(en ? "used " + x.uses + " times" : "使用 " + x.uses + " 次");
    return parts.join(" · ");
  }
  function highlight(k) {
    if (!list) return;
    at = k;
    Array.prototype.forEach.call(list.children, function (li, i) { li.classList.toggle("on", i === k); });
  }
  function choose(input, x) {
    var k = rowOf(input);
    input.value = x.name;
    var select = form.querySelector("select[name=ind_level2_" + k + "]");
    if (select && x.level2) {
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === x.level2) { select.selectedIndex = i; break; }
      }
      renumber();
    }
    var target = form.querySelector("input[name=ind_target_" + k + "]");
    if (target) target.placeholder = x.typical_target || "";
    var lib = document.getElementById("ind_lib_" + k);
    if (lib) lib.value = x.entry_id != null ? String(x.entry_id) : "";
    var hint = document.getElementById("hint_" + k);
    if (hint) {
      hint.textContent = "";
      if (x.entry_id != null) {
        var a = text("a", "linked", en ? "library" : "指标库");
        a.href = "/library/" + x.entry_id;
        a.setAttribute("data-testid", "linked-" + k);
        hint.appendChild(a);
        hint.appendChild(document.createTextNode(" "));
      }
      hint.appendChild(document.createTextNode(meta(x)));
    }
    closeList();
    if (target) target.focus();
  }
  function showList(input, found) {
    closeList();
    if (!found.length) return;
    owner = input;
    items = found;
    list = document.createElement("ul");
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("data-testid", "suggestions");
    found.forEach(function (x, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.setAttribute("data-testid", "suggestion");
      var src = text("span", "src src-" + x.source, "");
      src.textContent = x.source === "library" ? (en ? "library" : "指标库")
        : x.source === "unit" ? (en ? "your unit" : "本单位")
        : x.source === "department" ? (en ? "department" : "本部门") : (en ? "others" : "其他单位");
      li.appendChild(src);
      li.appendChild(text("span", "name", x.name));
      li.appendChild(text("span", "meta", meta(x)));
      li.appendChild(text("span", "why", (en ? "why here: " : "排序理由：") + (en ? x.reason_en : x.reason_zh)));
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(input, x); });
      li.addEventListener("mouseover", function () { highlight(i); });
      list.appendChild(li);
    });
    input.parentNode.appendChild(list);
  }
  function suggest(input) {
    var q = input.value.trim();
    if (!q) { closeList(); return; }
    fetch("/api/library?limit=8&q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (b) {
        if (input.value.trim() !== q || document.activeElement !== input) return;
        showList(input, b.items || []);
      }).catch(function () {});
  }
  form.addEventListener("keydown", function (e) {
    if (!list || e.target !== owner) return;
    if (e.key === "ArrowDown") { e.preventDefault(); highlight(Math.min(at + 1, items.length - 1)); }
    else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(at - 1, 0)); }
    else if (e.key === "Enter" && at >= 0) { e.preventDefault(); choose(owner, items[at]); }
    else if (e.key === "Escape") { closeList(); }
  });
  form.addEventListener("focusout", function (e) {
    if (e.target === owner) setTimeout(closeList, 150);
  });
  form.addEventListener("change", function (e) {
    var t = e.target;
    if (t.name && t.name.indexOf("ind_level2_") === 0) renumber();
  });
  form.addEventListener("input", function (e) {
    var t = e.target;
    if (t.name && t.getAttribute("data-suggest") === "library") {
      // A name typed by hand is no longer the chosen entry's.
      var k = rowOf(t);
      var lib = document.getElementById("ind_lib_" + k);
      if (lib && lib.value) {
        lib.value = "";
        var hint = document.getElementById("hint_" + k);
        if (hint) hint.textContent = "";
      }
      clearTimeout(timers[t.name]);
      timers[t.name] = setTimeout(function () { suggest(t); }, 200);
      return;
    }
    if (!t.name || t.name.indexOf("ind_target_") !== 0) return;
    clearTimeout(timers[t.name]);
    timers[t.name] = setTimeout(function () { check(t); }, 250);
  });
})();
