// Post page: the swipeable gallery (CSS scroll-snap does the swiping; this file adds the
// "2 / 5" counter and the dots) and the keyboard for the video player. Progressive
// enhancement: without it the photos still scroll sideways and the player has its controls.
(function () {
  "use strict";
  document.querySelectorAll("[data-gallery]").forEach(function (gallery) {
    var track = gallery.querySelector("[data-gallery-track]");
    var counter = gallery.querySelector("[data-gallery-counter]");
    var dots = gallery.querySelectorAll("[data-gallery-dot]");
    var slides = track.children;
    if (!counter || slides.length < 2) { return; }
    counter.hidden = false;
    gallery.querySelector("[data-gallery-dots]").hidden = false;
    var current = 0;
    var target = null; // while a dot's smooth scroll runs, its passing slides are not shown
    var show = function (index) {
      current = index;
      counter.textContent = (index + 1) + " / " + slides.length;
      dots.forEach(function (dot, i) {
        if (i === index) { dot.setAttribute("aria-current", "true"); } else { dot.removeAttribute("aria-current"); }
      });
    };
    var go = function (index) {
      index = Math.max(0, Math.min(slides.length - 1, index));
      target = index;
      track.scrollTo({ left: index * track.clientWidth, behavior: "smooth" });
      show(index);
    };
    track.addEventListener("scroll", function () {
      var index = Math.round(track.scrollLeft / Math.max(1, track.clientWidth));
      if (target !== null) {
        if (index === target && Math.abs(track.scrollLeft - index * track.clientWidth) < 2) { target = null; }
        return;
      }
      if (index !== current) { show(Math.max(0, Math.min(slides.length - 1, index))); }
    }, { passive: true });
    dots.forEach(function (dot, i) { dot.addEventListener("click", function () { go(i); }); });
    track.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight") { go(current + 1); event.preventDefault(); }
      if (event.key === "ArrowLeft") { go(current - 1); event.preventDefault(); }
    });
  });

  // The player: Space or K plays / pauses, ← → seek 5 s, M mutes, F goes full screen.
  document.querySelectorAll("video[data-player]").forEach(function (player) {
    player.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) { return; }
      var key = event.key.toLowerCase();
      if (key === " " || key === "k") {
        if (player.paused) { player.play().catch(function () {}); } else { player.pause(); }
      } else if (key === "arrowright") {
        player.currentTime = Math.min(player.duration || Infinity, player.currentTime + 5);
      } else if (key === "arrowleft") {
        player.currentTime = Math.max(0, player.currentTime - 5);
      } else if (key === "m") {
        player.muted = !player.muted;
      } else if (key === "f" && player.requestFullscreen) {
        player.requestFullscreen().catch(function () {});
      } else {
        return;
      }
      event.preventDefault();
    });
  });
})();
