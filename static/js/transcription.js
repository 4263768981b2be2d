// A call's transcription panel, while a job works on it: fetch it again every few seconds and
// put the new one in its place, until the transcript is done or has failed.
(function () {
  "use strict";

  var EVERY = 3000;

  function poll(panel) {
    var url = panel.getAttribute("data-transcription-poll");
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
          panel.replaceWith(next);
          if (next.hasAttribute("data-transcription-poll")) {
            poll(next);
          }
        })
        .catch(function () {
          poll(panel); // the server is restarting, say: try again later
        });
    }, EVERY);
  }

  document.querySelectorAll("[data-transcription-poll]").forEach(poll);
})();
