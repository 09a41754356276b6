/* Live queue data for the display board, the console and «my ticket» (no inline scripts: the CSP forbids them).
   ViknoQueueLive.follow({eventsUrl, stateUrl, onState, onEvent, onMode}) listens to the office's Server-Sent
   Events; any queue event makes it reload the state JSON. When the stream drops it polls the state every
   few seconds until the stream is back (EventSource reconnects by itself, sending Last-Event-ID). */
(function () {
  "use strict";

  var EVENT_TYPES = ["call", "ticket", "queue", "workplace", "issued", "called", "recalled", "no_show", "started", "finished", "transferred",
                     "parked", "returned", "cancelled", "changed", "session"];
  var POLL_MS = 4000;

  function follow(options) {
    var pollTimer = null;
    var reloadTimer = null;
    var source = null;
    var closedRetry = 3000;

    function mode(name) { if (options.onMode) { options.onMode(name); } }

    function fetchState() {
      return window.fetch(options.stateUrl, {headers: {Accept: "application/json"}, cache: "no-store",
                                             credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) { if (state) { options.onState(state); } })
        .catch(function () { mode("offline"); });
    }

    // Several events in a burst (call + count change) need one reload, not one each.
    function reloadSoon() {
      if (reloadTimer) { return; }
      reloadTimer = window.setTimeout(function () { reloadTimer = null; fetchState(); }, 150);
    }

    function startPolling() {
      if (pollTimer) { return; }
      mode("polling");
      fetchState();
      pollTimer = window.setInterval(fetchState, options.pollMs || POLL_MS);
    }

    function stopPolling() {
      if (pollTimer) { window.clearInterval(pollTimer); pollTimer = null; }
    }

    function onQueueEvent(type) {
      return function (message) {
        var data = null;
        try { data = JSON.parse(message.data); } catch (ignored) { data = null; }
        if (options.onEvent) { options.onEvent(type, data || {}); }
        reloadSoon();
      };
    }

    function connect() {
      if (!window.EventSource) { startPolling(); return; }
      source = new window.EventSource(options.eventsUrl);
      source.addEventListener("open", function () { stopPolling(); mode("live"); });
      source.addEventListener("state", function (message) {
        try { options.onState(JSON.parse(message.data)); } catch (ignored) { /* a broken frame: the next one mends it */ }
      });
      EVENT_TYPES.forEach(function (type) { source.addEventListener(type, onQueueEvent(type)); });
      source.addEventListener("message", onQueueEvent("changed"));
      source.addEventListener("error", function () {
        startPolling();
        if (source.readyState === window.EventSource.CLOSED) {
          // The browser gave up (e.g. the server answered an error): try again later ourselves.
          window.setTimeout(connect, closedRetry);
          closedRetry = Math.min(closedRetry * 2, 60000);
        }
      });
    }

    connect();
    return {reload: fetchState};
  }

  window.ViknoQueueLive = {follow: follow};
})();
