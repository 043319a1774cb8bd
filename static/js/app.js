/* Progressive enhancements only: every page works without this file. */
(function () {
  "use strict";
  var body = document.body;
  var MB = 1024 * 1024;

  // Files larger than the server accepts (MAX_CONTENT_LENGTH) are refused here, before sending, with
  // the message beside the file field: nothing typed is lost. The server checks again (413 page).
  function tooLarge(form) {
    var maxUpload = Number(body.getAttribute("data-max-upload")) || 0;
    if (!maxUpload || (form.enctype || "").indexOf("multipart") < 0) { return false; }
    var total = 0;
    var last = null;
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { total += file.size; last = input; });
    });
    if (total <= maxUpload || !last) { return false; }
    var message = body.getAttribute("data-too-large")
      .replace("{size}", (total / MB).toFixed(1)).replace("{mb}", String(Math.floor(maxUpload / MB)));
    var feedback = last.parentNode.querySelector("[data-upload-error]");
    if (!feedback) {
      feedback = document.createElement("div");
      feedback.className = "invalid-feedback d-block";
      feedback.setAttribute("data-upload-error", "");
      feedback.setAttribute("role", "alert");
      last.insertAdjacentElement("afterend", feedback);
    }
    feedback.textContent = message;
    last.classList.add("is-invalid");
    last.focus();
    return true;
  }

  // A refused form: the summary of its errors at the top of the page is brought into view and focused
  // (screen readers read it); its links move the focus to the field. Without JavaScript the page
  // opens at its top, where the summary is.
  var summary = document.querySelector("[data-error-summary]");
  // A form refused as a whole (its message heads the form, no field marked): bring that into view.
  var formError = summary ? null : document.querySelector("main form .alert-danger[role=alert]");
  if (formError) {
    formError.setAttribute("tabindex", "-1");
    formError.scrollIntoView({block: "center", behavior: "instant"});
    formError.focus({preventScroll: true});
  }
  if (summary) {
    summary.focus();
    summary.scrollIntoView({block: "start", behavior: "instant"});
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        field.scrollIntoView({block: "center", behavior: "instant"});
        field.focus({preventScroll: true});
      }
    });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type === "file") {
      input.classList.remove("is-invalid");
      var old = input.parentNode.querySelector("[data-upload-error]");
      if (old) { old.remove(); }
    }
  });

  // Checks the browser makes before sending or asking "sure?" (the server checks everything again): a
  // number field with data-min / data-max (and data-integer) outside its range. The message
  // (data-range-message) goes beside the field, the first bad field gets the focus, nothing is sent.
  function clientProblems(form) {
    var first = null;
    form.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (input.disabled || input.type === "hidden") { return; }
      var old = input.parentNode.querySelector("[data-client-error]");
      if (old) { old.remove(); input.classList.remove("is-invalid"); }
      var message = null;
      var raw = (input.value || "").normalize("NFKC").trim().replace(/,/g, "");
      if (raw && (input.hasAttribute("data-min") || input.hasAttribute("data-max"))) {
        var value = Number(raw);
        var low = input.hasAttribute("data-min") ? Number(input.getAttribute("data-min")) : -Infinity;
        var high = input.hasAttribute("data-max") ? Number(input.getAttribute("data-max")) : Infinity;
        if (isNaN(value) || value < low || value > high ||
            (input.hasAttribute("data-integer") && Math.floor(value) !== value)) {
          message = input.getAttribute("data-range-message");
        }
      }
      if (message) {
        var feedback = document.createElement("div");
        feedback.className = "invalid-feedback d-block";
        feedback.setAttribute("data-client-error", "");
        feedback.setAttribute("role", "alert");
        feedback.textContent = message;
        input.classList.add("is-invalid");
        input.insertAdjacentElement("afterend", feedback);
        first = first || input;
      }
    });
    if (first) {
      first.scrollIntoView({block: "center", behavior: "instant"});
      first.focus({preventScroll: true});
      return true;
    }
    return false;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (!(button && button.hasAttribute("formnovalidate")) && clientProblems(form)) {
      event.preventDefault();
      return;
    }
    // Ask before destructive buttons marked with data-confirm="question", once the checks above passed.
    var question = button && button.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (tooLarge(form)) {
      event.preventDefault();
      return;
    }
    // A second click (or Enter) while the form is being sent sends nothing: the buttons disable
    // themselves. The server refuses a repeated form token anyway (services.common.once).
    if (form.getAttribute("data-sending") === "1" && (form.method || "").toLowerCase() === "post") {
      event.preventDefault();
      return;
    }
    if ((form.method || "").toLowerCase() === "post" && !form.hasAttribute("data-no-lock")) {
      form.setAttribute("data-sending", "1");
      var carried = null;
      if (button && button.name) {
        // A disabled button is not sent: keep its name and value (e.g. save or final) in the form.
        carried = document.createElement("input");
        carried.type = "hidden";
        carried.name = button.name;
        carried.value = button.value;
        form.appendChild(carried);
      }
      var label = button && button.tagName === "BUTTON" ? button.textContent : null;
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
          b.disabled = true;
          b.setAttribute("aria-busy", "true");
        });
        if (button && button.tagName === "BUTTON") { button.textContent = body.getAttribute("data-sending"); }
      }, 0);
      // Downloads and pages that do not navigate away: let the form be sent again after a while.
      window.setTimeout(function () {
        form.removeAttribute("data-sending");
        form.querySelectorAll("[aria-busy=true]").forEach(function (b) {
          b.disabled = false;
          b.removeAttribute("aria-busy");
        });
        if (label !== null) { button.textContent = label; }
        if (carried) { carried.remove(); }
      }, 8000);
    }
  });

  // "Back to the form" on an error page: the browser's history keeps what was typed.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-history-back]") && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
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
