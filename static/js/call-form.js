// Logging calls. The log-a-call form offers the outcome only for a connected call and prefills
// the phone from the chosen contact. On a lead's page, pressing a contact's number both dials
// it (the tel: link does its own work) and readies the form beside: that contact and number,
// and a running timer whose time becomes the call's duration when the rep stops it. The Undo
// of a call logged in one click leaves when the server would refuse it. The server enforces
// every rule whatever this does; without JavaScript the "Log a call to …" links open the form
// prefilled.
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

  function minutesSeconds(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    if (minutes >= 60) {
      var hours = Math.floor(minutes / 60);
      minutes = minutes % 60;
      return hours + ":" + (minutes < 10 ? "0" : "") + minutes + ":" + (rest < 10 ? "0" : "") + rest;
    }
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  // The call timer at the top of the form: start(), and stop() fills the duration.
  function makeTimer(form) {
    var duration = form.querySelector("input[name=duration]");
    var box = document.createElement("div");
    box.className = "call-timer";
    box.hidden = true;
    box.innerHTML =
      '<span class="call-timer__label">Call timer</span> ' +
      '<span class="call-timer__time" role="timer">0:00</span> ' +
      '<button type="button" class="button button--small">Stop and fill the duration</button>';
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    var heading = form.querySelector("h1, h2");
    (heading || form.firstChild).after(box, status);
    var time = box.querySelector(".call-timer__time");
    var button = box.querySelector("button");
    var started = null;
    var ticking = null;

    function elapsed() {
      return Math.floor((Date.now() - started) / 1000);
    }
    function stop() {
      if (started === null) {
        return;
      }
      window.clearInterval(ticking);
      duration.value = minutesSeconds(elapsed());
      status.textContent = "Duration set to " + duration.value + ".";
      started = null;
      box.hidden = true;
      var disposition = form.querySelector("[name=disposition]");
      if (document.activeElement === button && disposition) {
        disposition.focus(); // next: say how the call went
      }
    }
    button.addEventListener("click", stop);
    form.addEventListener("submit", stop);
    return {
      start: function () {
        window.clearInterval(ticking);
        started = Date.now();
        time.textContent = "0:00";
        status.textContent = "";
        box.hidden = false;
        ticking = window.setInterval(function () {
          time.textContent = minutesSeconds(elapsed());
        }, 1000);
        button.focus({ preventScroll: true });
      },
    };
  }

  // Pressing a contact's number on the lead page: the form for that contact and number.
  function setUpDialling(form) {
    var contacts = document.querySelectorAll(".contact[data-contact]");
    if (!contacts.length) {
      return;
    }
    var timer = makeTimer(form);
    var contact = form.querySelector("select[name=contact]");
    var phone = form.querySelector("input[name=phone]");
    var outbound = form.querySelector("input[name=direction][value=outbound]");
    contacts.forEach(function (card) {
      card.querySelectorAll("[data-log-number]").forEach(function (link) {
        link.hidden = true; // pressing the number itself does it
      });
      card.querySelectorAll('a[href^="tel:"]').forEach(function (link) {
        link.addEventListener("click", function () {
          if (contact) {
            contact.value = card.dataset.contact;
            contact.dispatchEvent(new Event("change"));
          }
          if (phone) {
            phone.value = link.textContent.trim(); // formatted, as the form shows numbers
          }
          if (outbound) {
            outbound.checked = true;
          }
          form.scrollIntoView({ block: "start" }); // at once: the rep is on the phone now
          timer.start();
        });
      });
    });
  }

  // The Undo button of a call logged in one click, gone when its time is up.
  function setUpUndo(undo) {
    window.setTimeout(function () {
      undo.remove();
    }, parseInt(undo.dataset.undoSeconds, 10) * 1000);
  }

  document.querySelectorAll("form[data-call-form]").forEach(function (form) {
    setUpOutcome(form);
    setUpPhone(form);
    if (form.id === "log-call") {
      setUpDialling(form);
    }
  });
  document.querySelectorAll("form[data-undo-seconds]").forEach(setUpUndo);
})();
