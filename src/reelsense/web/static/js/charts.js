// Draw every chart of the page: each <div class="chart" data-spec="ID"> gets the
// Vega-Lite spec held as JSON in <script type="application/json" id="ID">.
// The vega, vega-lite and vega-embed scripts are served by the app itself.
(function () {
  "use strict";
  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-spec"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    window.vegaEmbed(el, spec, { actions: false, renderer: "svg" }).then(function () {
      el.setAttribute("data-rendered", "true");
    }).catch(function (err) {
      el.textContent = "This chart could not be drawn.";
      console.error("chart " + el.id + ": " + err);
    });
  }
  function drawAll() {
    var charts = document.querySelectorAll("div.chart[data-spec]");
    for (var i = 0; i < charts.length; i++) { draw(charts[i]); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
