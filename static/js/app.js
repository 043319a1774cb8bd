/* Progressive enhancements only: every page works without this file. */
(function () {
  "use strict";
  // Ask before destructive buttons marked with data-confirm="question".
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = button && button.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // Print buttons (the growth record): window.print() lets the browser save a PDF.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
