/* Training sign-in board: counts the code's seconds down and swaps in the next QR code when its 30-second
   window ends, by fetching the page again. Without this file the page reloads itself (<meta refresh>). */
(function () {
  "use strict";
  var box = document.querySelector("[data-signin-qr]");
  if (!box) { return; }
  var left = parseInt(box.getAttribute("data-seconds-left"), 10) || 30;

  function show() {
    var out = box.querySelector("[data-seconds]");
    if (out) { out.textContent = String(Math.max(left, 0)); }
  }

  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-signin-qr]");
        if (!fresh) { window.location.reload(); return; }
        box.replaceWith(fresh);
        box = fresh;
        left = parseInt(box.getAttribute("data-seconds-left"), 10) || 30;
        show();
      })
      .catch(function () { window.location.reload(); });
  }

  window.setInterval(function () {
    left -= 1;
    if (left <= 0) { left = 30; refresh(); }
    show();
  }, 1000);
})();
