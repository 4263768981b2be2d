// Suggest the browser's time zone on the settings page when it differs from the chosen one.
(function () {
  "use strict";
  var select = document.getElementById("id_time_zone");
  var hint = document.querySelector("[data-browser-zone-hint]");
  var zone = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!select || !hint || !zone || select.value === zone) {
    return;
  }
  var option = Array.prototype.find.call(select.options, function (o) {
    return o.value === zone;
  });
  if (!option) {
    return;
  }
  hint.querySelector("[data-browser-zone-name]").textContent = option.textContent;
  hint.hidden = false;
  hint.querySelector("[data-use-browser-zone]").addEventListener("click", function () {
    select.value = zone;
    hint.hidden = true;
    select.focus();
  });
})();
