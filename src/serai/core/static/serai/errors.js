// Errors never hide: a folded section (<details>) that holds a form error opens, and when the page
// has no error message on top, one is added there (its text comes from <main data-error-summary>,
// translated by the server). The server opens such sections too; this covers every other page.
(function () {
  var main = document.getElementById("main");
  if (!main) return;
  var marked = main.querySelectorAll("details .errorlist, details .errors, details [role=alert]");
  if (!marked.length) return;
  var first = null;
  for (var i = 0; i < marked.length; i++) {
    var section = marked[i].closest("details");
    while (section) {
      section.setAttribute("open", "");
      if (!first) first = section;
      section = section.parentElement ? section.parentElement.closest("details") : null;
    }
  }
  if (!main.querySelector(".messages .message.error")) {
    var box = document.createElement("div");
    box.className = "messages";
    var p = document.createElement("p");
    p.className = "message error";
    p.setAttribute("role", "alert");
    p.textContent = main.getAttribute("data-error-summary") || "";
    box.appendChild(p);
    main.insertBefore(box, main.firstChild);
  }
  if (first) {
    var summary = first.querySelector("summary");
    if (summary && summary.scrollIntoView) summary.scrollIntoView({ block: "center" });
  }
})();
