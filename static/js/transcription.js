// A call's transcription panel, while a job works on it: fetch it again every few seconds and
// put the new one in its place, until the transcript is done or has failed. The wait grows
// while nothing changes (no worker running, say), from 3 s to at most 30 s.
(function () {
  "use strict";

  var FIRST = 3000;
  var LONGEST = 30000;

  function poll(panel, wait) {
    var url = panel.getAttribute("data-transcription-poll");
    wait = wait || FIRST;
    window.setTimeout(function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (response.status === 204) {
            panel.remove();
            return null;
          }
          return response.ok ? response.text() : Promise.reject(response.status);
        })
        .then(function (html) {
          if (html === null) {
            return;
          }
          var template = document.createElement("template");
          template.innerHTML = html.trim();
          var next = template.content.firstElementChild;
          var same = next.outerHTML === panel.outerHTML;
          panel.replaceWith(next);
          if (next.hasAttribute("data-transcription-poll")) {
            poll(next, same ? Math.min(wait * 1.5, LONGEST) : FIRST);
          }
        })
        .catch(function () {
          poll(panel, Math.min(wait * 2, LONGEST)); // the server is restarting, say
        });
    }, wait);
  }

  document.querySelectorAll("[data-transcription-poll]").forEach(function (panel) {
    poll(panel);
  });
})();
