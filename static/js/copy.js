// Copy buttons: <button data-copy="ID" hidden> copies the value of the field with id ID and says
// so in the element [data-copy-status="ID"]. A field with data-select-on-focus selects its whole
// value when focused. Without JavaScript the button stays hidden and the field is selected by
// hand.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      (document.execCommand("copy") ? resolve : reject)();
    });
  }

  document.querySelectorAll("[data-select-on-focus]").forEach(function (field) {
    field.addEventListener("focus", function () {
      field.select();
    });
  });

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var id = button.dataset.copy;
    var field = document.getElementById(id);
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (!field) {
      return;
    }
    function say(message) {
      if (status) {
        status.textContent = message;
      }
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      field.focus();
      field.select(); // the fallback copies the selection; it also shows what was copied
      copyText(field.value).then(
        function () {
          say("Copied.");
        },
        function () {
          say("Press Ctrl+C (⌘C on a Mac) to copy the selected key.");
        }
      );
    });
  });
})();
