/* The trainer's check-in list follows new check-ins without a reload: while
   check-in is open, the list's fragment is fetched every few seconds (not
   while the tab is hidden) and swapped in when it changed. */
(function () {
  "use strict";
  var live = document.querySelector("[data-checkin-live]");
  if (!live || !window.fetch) {
    return;
  }
  var url = live.getAttribute("data-url");
  var every = 3000;
  var last = live.innerHTML;

  function isOpen() {
    var state = live.querySelector("[data-checkin-open]");
    return state !== null && state.getAttribute("data-checkin-open") === "1";
  }

  function schedule() {
    if (isOpen()) {
      window.setTimeout(poll, every);
    }
  }

  function poll() {
    if (document.hidden) {
      schedule();
      return;
    }
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.text() : last;
      })
      .then(function (html) {
        if (html !== last) {
          live.innerHTML = html;
          last = html;
        }
      })
      .catch(function () {})
      .then(schedule);
  }

  schedule();
})();
