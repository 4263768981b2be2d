// The log-a-call form: offer the outcome only for a connected call, and prefill the phone
// from the chosen contact. The server enforces the outcome rule whatever this does.
(function () {
  "use strict";

  function setUpOutcome(form) {
    var disposition = form.querySelector("[name=disposition]");
    form.querySelectorAll("[data-when-disposition]").forEach(function (control) {
      var field = control.closest(".field") || control;
      function sync() {
        var shown = disposition.value === control.dataset.whenDisposition;
        field.hidden = !shown;
        control.disabled = !shown; // a hidden outcome is not sent
      }
      disposition.addEventListener("change", sync);
      sync();
    });
  }

  function setUpPhone(form) {
    var contact = form.querySelector("select[name=contact]");
    var phone = form.querySelector("input[name=phone]");
    if (!contact || !phone) {
      return;
    }
    function contactPhone() {
      var option = contact.options[contact.selectedIndex];
      return (option && option.dataset.phone) || "";
    }
    var previous = contactPhone();
    contact.addEventListener("change", function () {
      var next = contactPhone();
      if (!phone.value || phone.value === previous) {
        phone.value = next; // only when the rep hasn't typed a number of their own
      }
      previous = next;
    });
  }

  document.querySelectorAll("form[data-call-form]").forEach(function (form) {
    setUpOutcome(form);
    setUpPhone(form);
  });
})();
