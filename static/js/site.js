// Progressive enhancement only: every page works without this file.
(function () {
  // Publish form: show the inputs of the chosen kind (note or video).
  const form = document.querySelector(".publish-form");
  if (form) {
    const sync = () => {
      const kind = (form.querySelector("input[name=kind]:checked") || {}).value || "note";
      form.querySelectorAll(".note-only").forEach((el) => (el.hidden = kind !== "note"));
      form.querySelectorAll(".video-only").forEach((el) => (el.hidden = kind !== "video"));
    };
    form.addEventListener("change", sync);
    sync();
    // Report the video's duration read by the browser (needed for WebM files).
    const video = form.querySelector("input[name=video]");
    const seconds = form.querySelector("input[name=video_seconds]");
    if (video && seconds) {
      video.addEventListener("change", () => {
        const file = video.files[0];
        if (!file) return;
        const probe = document.createElement("video");
        probe.preload = "metadata";
        probe.onloadedmetadata = () => { seconds.value = probe.duration.toFixed(2); URL.revokeObjectURL(probe.src); };
        probe.src = URL.createObjectURL(file);
      });
    }
  }
  // "Use my location": ask the browser, fill the hidden lat / lng inputs.
  const locate = (button, latName, lngName) => {
    if (!button || !navigator.geolocation) return;
    button.addEventListener("click", () => {
      navigator.geolocation.getCurrentPosition((pos) => {
        const f = button.closest("form");
        f.querySelector(`[name=${latName}]`).value = pos.coords.latitude.toFixed(5);
        f.querySelector(`[name=${lngName}]`).value = pos.coords.longitude.toFixed(5);
        button.textContent = "📍 " + pos.coords.latitude.toFixed(3) + ", " + pos.coords.longitude.toFixed(3);
      }, () => { button.textContent = "📍 位置不可用 Location unavailable"; });
    });
  };
  locate(document.querySelector("[data-locate]"), "lat", "lng");
  locate(document.querySelector("[data-locate-home]"), "home_lat", "home_lng");
})();

// Post detail: report one view / watch event when the reader leaves (seconds watched,
// watched to the end), through the same batch endpoint the apps use.
(function () {
  const detail = document.querySelector(".post-detail[data-post-id]");
  if (!detail) return;
  const csrf = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1];
  if (!csrf) return; // anonymous readers are not tracked
  const postId = Number(detail.dataset.postId);
  const started = Date.now();
  const player = detail.querySelector("video");
  let watched = 0, completed = false, last = null, sent = false;
  if (player) {
    player.addEventListener("timeupdate", () => {
      if (last !== null && player.currentTime > last && player.currentTime - last < 2) watched += player.currentTime - last;
      last = player.currentTime;
    });
    player.addEventListener("seeking", () => { last = null; });
    player.addEventListener("ended", () => { completed = true; });
  }
  const send = () => {
    if (sent) return;
    sent = true;
    const seconds = player ? watched : (Date.now() - started) / 1000;
    fetch("/api/v1/events/", {
      method: "POST", keepalive: true, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ events: [{ post: postId, seconds: Math.round(seconds * 10) / 10, completed, source: "detail" }] }),
    });
  };
  window.addEventListener("pagehide", send);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") send(); });
})();
