// The pipeline board: drag a card to another column to move it. The move opens the same dialog
// as the card's button (reason, Forum session) and posts it to the server, which fires the
// workflow; a move no transition allows is posted too, and the server says why it is refused.
// Without this script every move is still there as the card's buttons.
(function () {
  var board = document.getElementById("board");
  if (!board) return;
  var dragged = null;

  function clear() {
    board.querySelectorAll(".drop-here").forEach(function (col) { col.classList.remove("drop-here"); });
  }

  function move(card, status) {
    if (!status || status === card.dataset.status) return;
    var dialog = card.querySelector('dialog[data-target="' + status + '"]');
    if (dialog && dialog.showModal) {
      dialog.showModal();
      var first = dialog.querySelector("select, textarea, input:not([type=hidden])");
      if (first) first.focus();
      return;
    }
    var form = document.getElementById("board-drop");
    form.action = card.dataset.move;
    form.elements.target.value = status;
    form.submit();
  }

  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".card[draggable]");
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.project);
    card.classList.add("dragging");
  });
  board.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clear();
  });
  board.addEventListener("dragover", function (event) {
    var col = event.target.closest(".board-col");
    if (!dragged || !col || col.dataset.status === dragged.dataset.status) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!col.classList.contains("drop-here")) { clear(); col.classList.add("drop-here"); }
  });
  board.addEventListener("drop", function (event) {
    var col = event.target.closest(".board-col");
    if (!dragged || !col) return;
    event.preventDefault();
    var card = dragged;
    clear();
    move(card, col.dataset.status);
  });
})();
