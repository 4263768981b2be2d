// Transcript page: click an utterance to play the recording from there, follow the
// utterance being spoken, and search the text. Opened at a moment (a search result links to
// ?t=83.2#recording-12), it plays the recording from there; without JavaScript the link still
// scrolls to the utterance, which the stylesheet highlights (:target).
(function () {
  "use strict";

  var SPEAKING = "is-speaking";

  // Return a function that plays the section's audio from a time, or null when it has none.
  function setUpPlayer(section) {
    var audio = section.querySelector("[data-transcript-audio]");
    var utterances = Array.prototype.slice.call(section.querySelectorAll(".utterance"));
    if (!audio || !utterances.length) {
      return null;
    }
    var current = null;

    function playFrom(time) {
      audio.currentTime = time; // before the audio loads: where it will start
      var playing = audio.play();
      if (playing && playing.catch) {
        // e.g. no audio output, or a browser that plays only after a click: the seek stays
        playing.catch(function () {});
      }
    }

    function play(utterance) {
      playFrom(parseFloat(utterance.dataset.start));
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
    return playFrom;
  }

  // The moment the page was opened at: the utterance its #fragment names, and the time its
  // ?t= says (else the utterance's start); or with ?t= alone, that time in the first player.
  function openAtMoment(players) {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (target && !target.classList.contains("utterance")) {
      target = null;
    }
    var time = parseFloat(new URLSearchParams(window.location.search).get("t"));
    if (!(time >= 0) && target) {
      time = parseFloat(target.dataset.start);
    }
    var section = target ? target.closest("[data-transcript]") : null;
    var playFrom = section ? players.get(section) : players.values().next().value;
    if (playFrom && time >= 0) {
      playFrom(time);
    }
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

  var players = new Map();
  document.querySelectorAll("[data-transcript]").forEach(function (section) {
    var playFrom = setUpPlayer(section);
    if (playFrom) {
      players.set(section, playFrom);
    }
  });
  openAtMoment(players);
  var search = document.querySelector("[data-transcript-search]");
  if (search) {
    setUpSearch(search);
  }
})();
