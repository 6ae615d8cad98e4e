// wiretrace workbench: the side-by-side panel and expand/collapse. No network, no eval,
// and only server-rendered (already escaped) nodes are ever moved around: no innerHTML.
(function () {
  "use strict";
  var panel = document.getElementById("cmp-body");

  function show(position) {
    var details = document.getElementById("r0-d" + position);
    var sentence = document.getElementById("r0-s" + position);
    if (!panel || !details) return;
    document.querySelectorAll(".sent.sel").forEach(function (el) { el.classList.remove("sel"); });
    if (sentence) sentence.classList.add("sel");
    var head = details.querySelector(".sum-head");
    var text = details.querySelector(".sum-text");
    var body = details.querySelector(".body");
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    [head, text, body].forEach(function (node) {
      if (!node) return;
      var copy = node.cloneNode(true);
      copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
      copy.querySelectorAll('a[href^="#r0-s"]').forEach(function (el) {
        if (/back to the article/.test(el.textContent)) el.parentNode.removeChild(el);
      });
      panel.appendChild(copy);
    });
    panel.setAttribute("data-pos", String(position));
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.go, a.pick") : null;
    if (!link) return;
    var match = /#r0-[sd](\d+)$/.exec(link.getAttribute("href") || "");
    if (!match || !panel) return;
    event.preventDefault();
    show(match[1]);
    history.replaceState(null, "", "#r0-s" + match[1]);
    if (link.classList.contains("pick")) {
      var sentence = document.getElementById("r0-s" + match[1]);
      if (sentence) sentence.scrollIntoView({ block: "center" });
    }
  });

  document.querySelectorAll("button[data-toggle]").forEach(function (button) {
    button.addEventListener("click", function () {
      var open = button.getAttribute("data-toggle") === "open";
      document.querySelectorAll("details.sd").forEach(function (d) { d.open = open; });
    });
  });

  var start = /^#r0-[sd](\d+)$/.exec(location.hash);
  if (start) show(start[1]);

  var form = document.querySelector("form.trace-form");
  if (form) {
    form.addEventListener("submit", function () {
      var button = document.getElementById("trace-btn");
      if (button) { button.disabled = true; button.textContent = "Tracing…"; }
    });
  }
})();
