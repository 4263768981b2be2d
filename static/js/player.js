// Every recording and voicemail player gets speed buttons (1×, 1.25×, 1.5×, 2×) and 15-second
// skips, over the browser's own <audio controls>, which work on their own without this. The
// speed chosen is kept for every player, on this page and the next.
(function () {
  "use strict";

  var SPEEDS = [1, 1.25, 1.5, 2];
  var SKIP = 15;
  var STORED = "closecalls.playbackRate";
  var players = [];

  function storedSpeed() {
    try {
      var speed = parseFloat(window.localStorage.getItem(STORED));
      return SPEEDS.indexOf(speed) === -1 ? 1 : speed;
    } catch (error) {
      return 1; // storage refused (private mode): the speed lasts the page
    }
  }

  function button(text) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "button button--small";
    element.textContent = text;
    return element;
  }

  function setSpeed(speed) {
    players.forEach(function (player) {
      player.audio.defaultPlaybackRate = speed; // kept when the audio loads again
      player.audio.playbackRate = speed;
      player.speeds.forEach(function (choice) {
        choice.setAttribute("aria-pressed", String(parseFloat(choice.dataset.speed) === speed));
      });
    });
    try {
      window.localStorage.setItem(STORED, String(speed));
    } catch (error) {
      // the speed lasts the page
    }
  }

  function skip(audio, seconds) {
    var end = isFinite(audio.duration) ? audio.duration : Infinity;
    audio.currentTime = Math.min(Math.max(audio.currentTime + seconds, 0), end);
  }

  function enhance(audio) {
    var figure = audio.closest("figure");
    var caption = figure && figure.querySelector("figcaption");
    var controls = document.createElement("div");
    controls.className = "player-controls";
    controls.setAttribute("role", "group");
    controls.setAttribute("aria-label", (caption ? caption.textContent.trim() : "Recording") + " playback");

    var back = button("Back " + SKIP + " s");
    var forward = button("Forward " + SKIP + " s");
    back.addEventListener("click", function () {
      skip(audio, -SKIP);
    });
    forward.addEventListener("click", function () {
      skip(audio, SKIP);
    });

    var speedGroup = document.createElement("span");
    speedGroup.className = "player-controls__speeds";
    speedGroup.setAttribute("role", "group");
    speedGroup.setAttribute("aria-label", "Playback speed");
    var speeds = SPEEDS.map(function (speed) {
      var choice = button(speed + "×");
      choice.dataset.speed = String(speed);
      choice.addEventListener("click", function () {
        setSpeed(speed);
      });
      speedGroup.appendChild(choice);
      return choice;
    });

    controls.append(back, forward, speedGroup);
    audio.after(controls);
    players.push({ audio: audio, speeds: speeds });
  }

  document.querySelectorAll("audio[controls]").forEach(enhance);
  if (players.length) {
    setSpeed(storedSpeed());
  }
})();
