// Draw each Plotly figure embedded as JSON (<script type="application/json" id="fig-<id>">) into
// the element "chart-<id>". plotly.js is served from this server (it ships in the plotly package).
// Numbers on axes and in hover labels follow the page's language: the decimal and grouping
// separators come from the browser's Intl data for <html lang> (en 1,234.5 · ru 1 234,5).
document.addEventListener("DOMContentLoaded", function () {
  if (!window.Plotly) return;
  var lang = document.documentElement.lang || "en";
  var separators = ".,";
  try {
    var parts = new Intl.NumberFormat(lang).formatToParts(1234567.5);
    var decimal = parts.find(function (p) { return p.type === "decimal"; });
    var group = parts.find(function (p) { return p.type === "group"; });
    separators = (decimal ? decimal.value : ".") + (group ? group.value : ",");
  } catch (e) { /* an unknown language keeps Plotly's default */ }
  document.querySelectorAll(".chart-area").forEach(function (el) {
    var data = document.getElementById(el.id.replace(/^chart-/, "fig-"));
    if (!data) return;
    var fig = JSON.parse(data.textContent);
    fig.layout.separators = fig.layout.separators || separators;
    window.Plotly.newPlot(el, fig.data, fig.layout, {displaylogo: false, responsive: true});
    el.dataset.separators = fig.layout.separators;
  });
});
