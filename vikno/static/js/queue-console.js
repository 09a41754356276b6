/* Operator console: single-key shortcuts (N, R, S, F) for the buttons that show them, and live waiting counts. */
(function () {
  "use strict";

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    var key = (event.key || "").toLowerCase();
    // The same physical keys on a Ukrainian layout: Т (N), К (R), І/Ы (S), А (F).
    var aliases = {"т": "n", "к": "r", "і": "s", "ы": "s", "а": "f"};
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
