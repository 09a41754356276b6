/* «My ticket»: keeps the status, the people ahead and the window up to date from the office's live events. */
(function () {
  "use strict";

  var box = document.getElementById("my-ticket");
  if (!box || !window.ViknoQueueLive) { return; }

  function show(status) {
    Object.keys(status).forEach(function (name) {
      var field = box.querySelector('[data-field="' + name + '"]');
      if (field) { field.textContent = status[name] === null ? "" : String(status[name]); }
    });
    box.querySelector('[data-when="called"]').hidden = !status.workplace;
    box.querySelector('[data-when="waiting"]').hidden = status.people_ahead === null;
  }

  var live = window.ViknoQueueLive.follow({
    eventsUrl: box.getAttribute("data-events-url"),
    stateUrl: box.getAttribute("data-status-url"),
    onState: function (state) {
      // The stream opens with the board's state: then read this ticket's own status.
      if (state && state.calls !== undefined) { live.reload(); return; }
      if (state && state.status !== undefined) { show(state); }
    },
    onEvent: function () {}
  });
})();
