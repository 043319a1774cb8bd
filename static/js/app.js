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
  // The account menu (a <details>, opens without JavaScript): close it on a click outside or on Escape.
  function closeMenus(except) {
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      if (menu !== except) { menu.removeAttribute("open"); }
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest("details[data-menu]"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closeMenus(null); }
  });
  // Print buttons (the growth record): window.print() lets the browser save a PDF.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
// Job pages: follow a running job's progress without reloading; reload once it has ended.
(function () {
  "use strict";
  var card = document.querySelector("[data-job-progress]");
  if (!card || ["queued", "running"].indexOf(card.getAttribute("data-job-status")) < 0) {
    return;
  }
  var bar = card.querySelector("[data-job-bar]");
  var count = card.querySelector("[data-job-count]");
  function poll() {
    fetch(card.getAttribute("data-job-progress"), {credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.status !== "queued" && state.status !== "running") {
          window.location.reload();
          return;
        }
        if (state.total) {
          bar.max = state.total;
          bar.value = state.done;
          count.textContent = state.done.toLocaleString() + " / " + state.total.toLocaleString();
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
