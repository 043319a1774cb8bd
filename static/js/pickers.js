/* Searchable pickers (templates/_macros/pickers.html): suggestions while typing, from the JSON
   endpoint named in data-picker; choosing one fills the text and the hidden id. Progressive
   enhancement only: without this file the typed text is sent and the server resolves it. */
(function () {
  "use strict";

  function setUp(box) {
    var input = box.querySelector("[data-picker-text]");
    var hidden = box.querySelector("[data-picker-id]");
    if (!input || !hidden) { return; }
    var menu = document.createElement("div");
    menu.className = "list-group picker-menu d-none";
    menu.setAttribute("role", "listbox");
    menu.id = (input.id || input.name) + "-suggestions";
    input.insertAdjacentElement("afterend", menu);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", menu.id);
    input.setAttribute("aria-expanded", "false");
    var timer = null;
    var asked = 0;
    var active = -1;

    function options() { return menu.querySelectorAll("[role=option]"); }

    function close() {
      menu.classList.add("d-none");
      menu.textContent = "";
      input.setAttribute("aria-expanded", "false");
      active = -1;
    }

    function choose(item) {
      input.value = item.label;
      hidden.value = item.id;
      close();
      input.dispatchEvent(new CustomEvent("picker:chosen", {bubbles: true, detail: item}));
    }

    function highlight(index) {
      var all = options();
      if (!all.length) { return; }
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) {
        option.classList.toggle("active", i === active);
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
    }

    function render(results) {
      menu.textContent = "";
      active = -1;
      if (!results.length) { close(); return; }
      results.forEach(function (item) {
        var option = document.createElement("button");
        option.type = "button";
        option.className = "list-group-item list-group-item-action py-1";
        option.setAttribute("role", "option");
        var label = document.createElement("div");
        label.textContent = item.label;
        option.appendChild(label);
        if (item.detail) {
          var detail = document.createElement("div");
          detail.className = "small text-muted";
          detail.textContent = item.detail;
          option.appendChild(detail);
        }
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { choose(item); });
        menu.appendChild(option);
      });
      menu.classList.remove("d-none");
      input.setAttribute("aria-expanded", "true");
    }

    function suggest() {
      var q = input.value.trim();
      if (!q) { close(); return; }
      var ask = ++asked;
      var url = box.getAttribute("data-picker");
      url += (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q);
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) { if (ask === asked) { render(data.results || []); } })
        .catch(close);
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 200);
    });
    input.addEventListener("keydown", function (event) {
      var open = !menu.classList.contains("d-none");
      if (event.key === "ArrowDown" && open) { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp" && open) { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && open && active >= 0) { event.preventDefault(); options()[active].click(); }
      else if (event.key === "Escape" && open) { event.preventDefault(); close(); }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    // Typed before this file ran (a slow phone): suggest for what is already there.
    if (document.activeElement === input && input.value.trim() && !hidden.value) { suggest(); }
  }

  document.querySelectorAll("[data-picker]").forEach(setUp);
})();
