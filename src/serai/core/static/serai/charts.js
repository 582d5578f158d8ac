// Draw each Plotly figure embedded as JSON (<script type="application/json" id="fig-<id>">) into
// the element "chart-<id>". plotly.js is served from this server (it ships in the plotly package).
// Numbers on axes and in hover labels follow the page's language: the decimal and grouping
// separators come from the browser's Intl data for <html lang> (en 1,234.5 · ru 1 234,5); the
// mode bar's tooltips come in that language too.
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
  var areas = document.querySelectorAll(".chart-area");
  if (!areas.length) return;
  var config = {displaylogo: false, responsive: true};
  function draw() {
    areas.forEach(function (el) {
      var data = document.getElementById(el.id.replace(/^chart-/, "fig-"));
      if (!data) return;
      var fig = JSON.parse(data.textContent);
      fig.layout.separators = fig.layout.separators || separators;
      window.Plotly.newPlot(el, fig.data, fig.layout, config);
      el.dataset.separators = fig.layout.separators;
      el.dataset.locale = config.locale || "en";
    });
  }
  // The mode bar's words in the page's language: plotly.js's own locale files are not here, so
  // the server gives them from its catalogs (/<lang>/charts/locale.json); English if that fails.
  if (lang.split("-")[0] === "en" || !window.fetch) { draw(); return; }
  fetch("/" + lang.split("-")[0] + "/charts/locale.json", {credentials: "same-origin"})
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (locale) {
      window.Plotly.register({moduleType: "locale", name: locale.name, dictionary: locale.dictionary, format: {}});
      config.locale = locale.name;
    })
    .catch(function () { /* the mode bar stays in English */ })
    .then(draw);
});
