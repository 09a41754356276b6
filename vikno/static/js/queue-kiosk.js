/* Kiosk: the high-contrast switch without a reload, printing the ticket, and going back to the start
   screen by itself after a while so the next visitor finds it ready. Everything works without it. */
(function () {
  "use strict";

  var toggle = document.querySelector("[data-contrast-toggle]");
  var field = document.querySelector("[data-contrast-field]");
  if (toggle) {
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      var on = !document.body.classList.contains("high-contrast");
      document.body.classList.toggle("high-contrast", on);
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      toggle.setAttribute("href", on ? "?contrast=" : "?contrast=high");
      if (field) { field.value = on ? "high" : ""; }
    });
    toggle.addEventListener("keydown", function (event) {
      if (event.key === " ") { event.preventDefault(); toggle.click(); }
    });
  }

  var print = document.querySelector("[data-print]");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }

  var home = document.querySelector("[data-kiosk-home]");
  if (home) {
    var timer = window.setTimeout(function () { window.location.assign(home.getAttribute("href")); }, 60000);
    ["keydown", "pointerdown"].forEach(function (name) {
      document.addEventListener(name, function () { window.clearTimeout(timer); }, {once: true});
    });
  }
})();
