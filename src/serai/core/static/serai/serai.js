// Small progressive enhancements; every page works without them.
(function () {
  // On a phone, start with the navigation menu folded.
  var nav = document.querySelector(".nav-toggle");
  if (nav && window.matchMedia("(max-width: 40rem)").matches) nav.removeAttribute("open");
})();
