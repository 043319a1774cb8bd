/* Competitions: progressive enhancements only (every page works without this file). */
(function () {
  "use strict";
  // Print buttons on the sign-in and score sheets.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
