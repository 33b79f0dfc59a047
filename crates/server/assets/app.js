// govmedia dashboard: charts from the JSON blocks the server renders, and the CSRF token on
// every htmx request. No inline scripts (the Content-Security-Policy forbids them).
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');
  document.body.addEventListener("htmx:configRequest", function (e) {
    if (csrf) e.detail.headers["X-CSRF-Token"] = csrf.content;
  });
  function draw(root) {
    if (typeof echarts === "undefined") return;
    root.querySelectorAll("script.chart[type='application/json']").forEach(function (block) {
      var target = document.getElementById(block.dataset.target);
      if (!target || target.dataset.drawn) return;
      target.dataset.drawn = "1";
      var chart = echarts.init(target, null, { renderer: "canvas" });
      chart.setOption(JSON.parse(block.textContent));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  draw(document);
  document.body.addEventListener("htmx:afterSwap", function (e) { draw(e.target); });
})();
