/* Operator console: single-key shortcuts (N, R, S, F, D, P) for the buttons that show them, one action at a time,
   and live waiting counts. */
(function () {
  "use strict";

  // One action at a time: a key pressed twice (or a button clicked twice) before the page comes back
  // would send the second action for a state that is gone («call next» while the first call is made).
  var sending = false;
  document.addEventListener("submit", function (event) {
    if (!event.target.closest || !event.target.closest(".console")) { return; }
    if (sending) { event.preventDefault(); return; }
    sending = true;
    document.querySelector(".console").setAttribute("aria-busy", "true");
  });
  window.addEventListener("pageshow", function () {
    sending = false;
    var console_ = document.querySelector(".console");
    if (console_) { console_.removeAttribute("aria-busy"); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) { return; }
    if (sending) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    var key = (event.key || "").toLowerCase();
    // The same physical keys on a Ukrainian layout: Т (N), К (R), І/Ы (S), А (F), В (D), З (P).
    var aliases = {"т": "n", "к": "r", "і": "s", "ы": "s", "а": "f", "в": "d", "з": "p"};
    key = aliases[key] || key;
    var button = document.querySelector('button[data-shortcut="' + key + '"]');
    if (button && !button.disabled) {
      event.preventDefault();
      button.focus();
      button.click();
    }
  });

  var root = document.querySelector(".console[data-events-url]");
  if (!root || !window.ViknoQueueLive) { return; }
  window.ViknoQueueLive.follow({
    eventsUrl: root.getAttribute("data-events-url"),
    stateUrl: root.getAttribute("data-state-url"),
    onState: function (state) {
      (state.queues || []).forEach(function (queue) {
        var count = root.querySelector('[data-queue-id="' + queue.id + '"] [data-count]');
        if (count) { count.textContent = String(queue.waiting); }
      });
    }
  });
})();
