// Transcript page: click an utterance to play the recording from there, follow the
// utterance being spoken, and search the text.
(function () {
  "use strict";

  var SPEAKING = "is-speaking";

  function setUpPlayer(section) {
    var audio = section.querySelector("[data-transcript-audio]");
    var utterances = Array.prototype.slice.call(section.querySelectorAll(".utterance"));
    if (!audio || !utterances.length) {
      return;
    }
    var current = null;

    function play(utterance) {
      audio.currentTime = parseFloat(utterance.dataset.start);
      var playing = audio.play();
      if (playing && playing.catch) {
        playing.catch(function () {}); // e.g. no audio output: the seek still happened
      }
    }

    function speaking(time) {
      var found = null;
      utterances.forEach(function (utterance) {
        if (parseFloat(utterance.dataset.start) <= time) {
          found = utterance;
        }
      });
      if (found && time > parseFloat(found.dataset.end) + 1) {
        found = null; // a silence between two utterances
      }
      return found;
    }

    function follow() {
      var next = speaking(audio.currentTime);
      if (next === current) {
        return;
      }
      if (current) {
        current.classList.remove(SPEAKING);
        current.removeAttribute("aria-current");
      }
      current = next;
      if (current) {
        current.classList.add(SPEAKING);
        current.setAttribute("aria-current", "true");
        if (!audio.paused) {
          current.scrollIntoView({ block: "nearest", behavior: "smooth" });
        }
      }
    }

    utterances.forEach(function (utterance) {
      utterance.addEventListener("click", function (event) {
        if (window.getSelection && String(window.getSelection())) {
          return; // the rep is selecting text to copy
        }
        event.preventDefault(); // the time link's fallback opens the file at that time
        play(utterance);
      });
    });
    audio.addEventListener("timeupdate", follow);
    audio.addEventListener("seeked", follow);
  }

  function setUpSearch(box) {
    var input = box.querySelector("input[type=search]");
    var status = box.querySelector("[data-search-status]");
    var texts = Array.prototype.slice.call(document.querySelectorAll(".utterance__text"));
    var originals = texts.map(function (element) {
      return element.textContent;
    });
    var marks = [];
    var position = -1;

    function escapeRegExp(text) {
      return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }

    function highlight(query) {
      marks = [];
      position = -1;
      var pattern = query ? new RegExp(escapeRegExp(query), "gi") : null;
      texts.forEach(function (element, index) {
        var text = originals[index];
        element.textContent = "";
        if (!pattern) {
          element.textContent = text;
          return;
        }
        var last = 0;
        text.replace(pattern, function (match, offset) {
          element.appendChild(document.createTextNode(text.slice(last, offset)));
          var mark = document.createElement("mark");
          mark.textContent = match;
          element.appendChild(mark);
          marks.push(mark);
          last = offset + match.length;
          return match;
        });
        element.appendChild(document.createTextNode(text.slice(last)));
      });
      status.textContent = !query ? "" : marks.length ? marks.length + " found" : "No match";
    }

    function step(delta) {
      if (!marks.length) {
        return;
      }
      if (position >= 0) {
        marks[position].classList.remove("is-current");
      }
      position = (position + delta + marks.length) % marks.length;
      var mark = marks[position];
      mark.classList.add("is-current");
      mark.scrollIntoView({ block: "center" });
      status.textContent = position + 1 + " of " + marks.length;
    }

    input.addEventListener("input", function () {
      highlight(input.value.trim());
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        step(event.shiftKey ? -1 : 1);
      }
    });
    box.querySelectorAll("[data-search-step]").forEach(function (button) {
      button.addEventListener("click", function () {
        step(parseInt(button.dataset.searchStep, 10));
      });
    });
    box.hidden = false;
  }

  document.querySelectorAll("[data-transcript]").forEach(setUpPlayer);
  var search = document.querySelector("[data-transcript-search]");
  if (search) {
    setUpSearch(search);
  }
})();
