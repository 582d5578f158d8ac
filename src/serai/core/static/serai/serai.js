// Small progressive enhancements; every page works without them.
(function () {
  // On a phone, start with the navigation menu folded.
  var nav = document.querySelector(".nav-toggle");
  if (nav && window.matchMedia("(max-width: 40rem)").matches) nav.removeAttribute("open");
})();
(function () {
  // Dialogs: buttons with data-open-dialog="id" open it; data-close-dialog closes.
  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-open-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-open-dialog"));
      if (dialog && dialog.showModal) { dialog.showModal(); var first = dialog.querySelector("select, textarea, input:not([type=hidden])"); if (first) first.focus(); }
    }
    var closer = event.target.closest("[data-close-dialog]");
    if (closer) { var d = closer.closest("dialog"); if (d) d.close(); }
  });
})();
(function () {
  // Wide tables scroll inside their own box (serai.css): a box that does scroll is a named,
  // focusable region, so it can be scrolled from the keyboard too.
  function label(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var el = box.previousElementSibling;
    while (el && !/^H[1-6]$/.test(el.tagName)) el = el.previousElementSibling;
    return el ? el.textContent.trim() : "";
  }
  function mark() {
    document.querySelectorAll(".table-wrap, .table-scroll").forEach(function (box) {
      if (box.hasAttribute("tabindex") || box.scrollWidth <= box.clientWidth + 1) return;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby") && label(box)) box.setAttribute("aria-label", label(box));
    });
  }
  mark();
  document.addEventListener("htmx:afterSettle", mark);
})();
(function () {
  // Folded filters (<details class="filters-fold" open>): open on wide screens, folded on a phone
  // unless a filter is already chosen; they reopen when the window grows wide.
  var wide = window.matchMedia("(min-width: 40.01rem)");
  function fit() {
    document.querySelectorAll("details.filters-fold").forEach(function (d) {
      if (wide.matches) d.open = true;
      else if (!d.hasAttribute("data-active")) d.open = false;
    });
  }
  fit();
  if (wide.addEventListener) wide.addEventListener("change", fit);
  document.addEventListener("htmx:afterSettle", fit);
})();
(function () {
  // Printing: the tables behind charts (and any data table folded in <details>) go on paper too.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      if (d.closest("figure.chart") || d.querySelector("table")) { d.setAttribute("open", ""); d.classList.add("print-open"); opened.push(d); }
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.removeAttribute("open"); d.classList.remove("print-open"); });
    opened = [];
  });
})();
