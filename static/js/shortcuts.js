// Keyboard shortcuts on every page (templates/includes/shortcuts.html lists them): "/" search
// (the page's own search box, else the header's), "l" the log-a-call form, "j"/"k" the next and previous call of a timeline, "?" the list.
// None acts while the rep types in a field, or with Ctrl, Alt or Meta held.
(function () {
  "use strict";

  var dialog = document.getElementById("shortcuts");
  if (!dialog) {
    return;
  }

  function typing(target) {
    return (
      target.closest("input, textarea, select, [contenteditable], trix-editor") !== null ||
      target.isContentEditable
    );
  }

  function reveal(element) {
    var reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    element.scrollIntoView({ block: "nearest", behavior: reduced ? "auto" : "smooth" });
  }

  function focusSearch() {
    var search =
      document.querySelector('main [role="search"] input, main input[type="search"]') ||
      document.querySelector('[role="search"] input, input[type="search"]');
    if (!search) {
      return false;
    }
    search.focus();
    search.select();
    return true;
  }

  function focusLogForm() {
    var form = document.getElementById("log-call");
    var first = form && form.querySelector("input:not([type=hidden]), select, textarea");
    if (!first) {
      return false;
    }
    first.focus({ preventScroll: true });
    form.scrollIntoView({ block: "start" });
    return true;
  }

  // Move through the calls of the timeline: from the call that has the focus, else from before
  // the first.
  function step(delta) {
    var calls = Array.prototype.slice.call(document.querySelectorAll(".timeline > .call"));
    if (!calls.length) {
      return false;
    }
    var current = document.activeElement && document.activeElement.closest(".timeline > .call");
    var index = calls.indexOf(current);
    var next = calls[index === -1 ? (delta > 0 ? 0 : calls.length - 1) : index + delta];
    if (!next) {
      return true; // at either end: stay
    }
    next.tabIndex = -1;
    next.focus({ preventScroll: true });
    reveal(next);
    return true;
  }

  function openList() {
    if (!dialog.open) {
      dialog.showModal();
    }
    return true;
  }

  var actions = {
    "/": focusSearch,
    l: focusLogForm,
    j: function () {
      return step(1);
    },
    k: function () {
      return step(-1);
    },
    "?": openList,
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (dialog.open || typing(event.target)) {
      return;
    }
    var action = actions[event.key];
    if (action && action()) {
      event.preventDefault();
    }
  });

  document.querySelectorAll("[data-shortcuts-open]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", openList);
  });
})();
