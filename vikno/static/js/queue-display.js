/* The display board: live calls and waiting counts, an optional chime, announcements for screen readers. */
(function () {
  "use strict";

  var board = document.getElementById("board");
  if (!board || !window.ViknoQueueLive) { return; }
  var SVG = "http://www.w3.org/2000/svg";
  var callsBody = board.querySelector("[data-calls]");
  var queuesList = board.querySelector("[data-queues]");
  var announcer = board.querySelector("[data-announcer]");
  var updated = board.querySelector("[data-updated]");
  var connection = board.querySelector("[data-connection]");
  var chimeButton = document.querySelector("[data-chime-toggle]");
  var english = board.getAttribute("data-lang") === "en";
  // The clock shows the server's time zone (TIME_ZONE), as the page rendered it, not the device's.
  var timeZone = board.getAttribute("data-time-zone") || "Europe/Kyiv";
  var seen = {};
  var first = true;
  var chimeOn = false;
  var audio = null;

  function swatch(color) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "swatch");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("width", "24");
    svg.setAttribute("height", "24");
    svg.setAttribute("viewBox", "0 0 24 24");
    var rect = document.createElementNS(SVG, "rect");
    rect.setAttribute("width", "24");
    rect.setAttribute("height", "24");
    rect.setAttribute("rx", "4");
    rect.setAttribute("fill", /^#[0-9a-fA-F]{6}$/.test(color || "") ? color : "#767676");
    svg.appendChild(rect);
    return svg;
  }

  function cell(className) {
    var td = document.createElement("td");
    td.className = className;
    return td;
  }

  function callKey(call) { return call.ticket_id + ":" + call.call_count + ":" + call.workplace; }

  function beep() {
    if (!chimeOn) { return; }
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var now = audio.currentTime;
      [660, 880].forEach(function (frequency, index) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.type = "sine";
        osc.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, now + index * 0.25);
        gain.gain.exponentialRampToValueAtTime(0.3, now + index * 0.25 + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, now + index * 0.25 + 0.22);
        osc.connect(gain).connect(audio.destination);
        osc.start(now + index * 0.25);
        osc.stop(now + index * 0.25 + 0.25);
      });
    } catch (ignored) { /* no audio on this screen */ }
  }

  function renderCalls(calls) {
    var fresh = [];
    callsBody.textContent = "";
    if (!calls.length) {
      var row = document.createElement("tr");
      row.className = "calls-empty";
      var td = cell("");
      td.colSpan = 2;
      td.textContent = board.getAttribute("data-empty");
      row.appendChild(td);
      callsBody.appendChild(row);
    }
    calls.forEach(function (call) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-ticket-id", call.ticket_id);
      var ticket = cell("call-ticket");
      ticket.appendChild(swatch(call.color));
      var code = document.createElement("span");
      code.textContent = call.ticket;
      ticket.appendChild(code);
      var place = cell("call-workplace");
      place.textContent = call.workplace;
      tr.appendChild(ticket);
      tr.appendChild(place);
      var key = callKey(call);
      if (!first && !seen[key]) {
        tr.className = "call-new";
        fresh.push(call);
      }
      seen[key] = true;
      callsBody.appendChild(tr);
    });
    if (fresh.length) {
      announcer.textContent = fresh.map(function (call) {
        return board.getAttribute("data-announce").replace("{ticket}", call.ticket).replace("{workplace}", call.workplace);
      }).join(". ");
      beep();
    }
  }

  function renderQueues(queues) {
    queuesList.textContent = "";
    queues.forEach(function (queue) {
      var li = document.createElement("li");
      li.setAttribute("data-queue-id", queue.id);
      li.appendChild(swatch(queue.color));
      var name = document.createElement("span");
      name.className = "waiting-name";
      name.textContent = english ? queue.name_en : queue.name;
      var count = document.createElement("strong");
      count.className = "waiting-count";
      count.setAttribute("data-count", "");
      count.textContent = String(queue.waiting);
      li.appendChild(name);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(count);
      queuesList.appendChild(li);
    });
  }

  function clock(moment) {
    var locale = english ? "en-GB" : "uk-UA";
    try {
      return moment.toLocaleTimeString(locale, { timeZone: timeZone, hour12: false });
    } catch (error) {  // an unknown zone name: Europe/Kyiv, the centers' zone
      return moment.toLocaleTimeString(locale, { timeZone: "Europe/Kyiv", hour12: false });
    }
  }

  function render(state) {
    renderCalls(state.calls || []);
    renderQueues(state.queues || []);
    first = false;
    if (updated) {
      updated.setAttribute("datetime", state.at || "");
      updated.textContent = clock(new Date());
    }
  }

  if (chimeButton) {
    chimeButton.hidden = false;
    chimeButton.addEventListener("click", function () {
      chimeOn = !chimeOn;
      chimeButton.setAttribute("aria-pressed", chimeOn ? "true" : "false");
      if (chimeOn) { beep(); }
    });
  }

  window.ViknoQueueLive.follow({
    eventsUrl: board.getAttribute("data-events-url"),
    stateUrl: board.getAttribute("data-state-url"),
    onState: render,
    onMode: function (mode) { if (connection) { connection.setAttribute("data-mode", mode); } board.setAttribute("data-mode", mode); }
  });
})();
