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
