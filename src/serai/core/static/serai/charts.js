// Draw each Plotly figure embedded as JSON (<script type="application/json" id="fig-<id>">) into
// the element "chart-<id>". plotly.js is served from this server (it ships in the plotly package).
document.addEventListener("DOMContentLoaded", function () {
  if (!window.Plotly) return;
  document.querySelectorAll(".chart-area").forEach(function (el) {
    var data = document.getElementById(el.id.replace(/^chart-/, "fig-"));
    if (!data) return;
    var fig = JSON.parse(data.textContent);
    window.Plotly.newPlot(el, fig.data, fig.layout, {displaylogo: false, responsive: true});
  });
});
