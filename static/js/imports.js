// An import at work: fetch its progress again every second or two and put it in place of the
// page's, until the step has ended; then reload the page, which shows the step's result.
// Without JavaScript the page reloads itself (a <noscript> refresh).
(function () {
  "use strict";

  var WAIT = 1500;

  function poll(section) {
    window.setTimeout(function () {
      fetch(section.getAttribute("data-import-poll"), {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      })
        .then(function (response) {
          return response.ok ? response.text() : Promise.reject(response.status);
        })
        .then(function (html) {
          var template = document.createElement("template");
          template.innerHTML = html.trim();
          var next = template.content.firstElementChild;
          if (next.hasAttribute("data-import-ended")) {
            window.location.reload();
            return;
          }
          section.replaceWith(next);
          poll(next);
        })
        .catch(function () {
          poll(section); // the server is restarting, say
        });
    }, WAIT);
  }

  document.querySelectorAll("[data-import-poll]").forEach(poll);
})();
