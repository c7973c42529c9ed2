// Results as one types: asks /api/search (the same search as the command line) and draws the
// answer with textContent only, so nothing typed or stored is ever read as HTML.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var box = document.getElementById("results");
  if (!form || !input || !box || !window.fetch) { return; }
  var nextSteps = JSON.parse(box.getAttribute("data-next-steps") || "{}");
  var several = box.getAttribute("data-several") === "1";  // a library: each policy is LIST:ID
  var timer = null;
  var latest = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function digits(phone) { return phone.replace(/[^0-9]/g, ""); }

  function office(o) {
    var p = el("p", "contact");  // spaced as templates/_office.html: copied, it reads 科室 联系人 电话
    p.appendChild(el("span", "office", o.name));
    p.appendChild(document.createTextNode(" "));
    p.appendChild(el("span", "person", o.contact));
    p.appendChild(document.createTextNode(" "));
    var a = el("a", "phone", o.phone);
    a.href = "tel:" + digits(o.phone);
    p.appendChild(a);
    if (o.note) { p.appendChild(document.createTextNode(" ")); p.appendChild(el("span", "note", "（" + o.note + "）")); }
    return p;
  }

  function lists(hit) {  // "· 清单 黄岛2025-1、黄岛2024-1", each name kept on one line
    var span = el("span", "list", "· 清单 ");
    [hit.list].concat((hit.also || []).map(function (key) { return key.split(":")[0]; }))
      .forEach(function (name, i) {
        if (i) { span.appendChild(document.createTextNode("、")); }
        span.appendChild(el("span", "name", name));
      });
    return span;
  }

  function draw(query, ok, body) {
    box.textContent = "";
    if (!ok) {
      var m = el("p", "message", body && body.error  // the reason, and what to do next in this page's words
        ? (body.next in nextSteps ? body.reason + nextSteps[body.next] : body.error)
        : "搜索出错，请稍后再试");
      m.setAttribute("role", "alert");
      box.appendChild(m);
      return;
    }
    box.appendChild(el("p", "count", "搜索“" + query + "”：" + body.length + " 项"));
    var list = el("ol", "hits");
    body.forEach(function (hit) {
      var li = el("li");
      var a = el("a", "title", hit.title);
      a.href = "/policy/" + encodeURIComponent(several ? hit.list + ":" + hit.id : hit.id);
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "ref", hit.id + " · " + hit.ref));
      if (hit.approximate) {  // as templates/home.html words it
        var hinges = (hit.hinges_on || []).join("、");
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", "approx", "近似" + (hinges ? "：只按“" + hinges + "”找到" : "") + "，请核对"));
      }
      if (several) { li.appendChild(document.createTextNode(" ")); li.appendChild(lists(hit)); }
      if (hit.english) {  // our English title, as templates/home.html shows it
        var en = el("p", "english", hit.english.title + " ");
        en.lang = "en";
        var note = el("span", "ref", "（" + hit.english.note + "）");
        note.lang = "zh-CN";
        en.appendChild(note);
        li.appendChild(en);
      }
      (hit.offices || []).forEach(function (o) { li.appendChild(office(o)); });
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function run() {
    var query = input.value;
    var mine = ++latest;
    var url = query.trim() ? "/?q=" + encodeURIComponent(query) : "/";
    window.history.replaceState(null, "", url);
    if (!query.trim()) { box.textContent = ""; return; }
    fetch("/api/search?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return [r.ok, body]; }); })
      .then(function (res) { if (mine === latest) { draw(query, res[0], res[1]); } })
      .catch(function () { if (mine === latest) { draw(query, false, null); } });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    run();
  });
}());
