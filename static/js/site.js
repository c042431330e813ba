// Progressive enhancement only: every page works without this file. No page has inline
// script or handlers (the Content-Security-Policy forbids them): behaviour lives here.

// The words the scripts write into the page, in the page's language: base.html renders them
// with {% translate %} into <body data-label-…> (no inline script: the CSP forbids it).
const label = (name) => document.body.dataset[name] || "";

// A form with data-confirm asks before it is sent (deleting a post).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

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
      }, () => { button.textContent = "📍 " + label("labelLocationUnavailable"); });
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

// Feeds: infinite scroll. The "more" link at the end of a grid carries the cursor; when
// it scrolls into view, fetch the next page's cards (?partial=1) and put them in its place.
(function () {
  const grid = document.querySelector(".grid[data-feed]");
  if (!grid || !("IntersectionObserver" in window)) return;
  let loading = false;
  const observer = new IntersectionObserver(async (entries) => {
    const entry = entries.find((e) => e.isIntersecting);
    if (!entry || loading) return;
    const link = entry.target;
    loading = true;
    observer.unobserve(link);
    const url = new URL(link.href, location.href);
    url.searchParams.set("partial", "1");
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(response.statusText);
      const holder = document.createElement("div");
      holder.innerHTML = await response.text();
      link.remove();
      grid.append(...holder.children);
      const next = grid.querySelector("a[data-more]");
      if (next) observer.observe(next);
    } catch (err) {
      link.textContent = label("labelLoadFailed");
    } finally {
      loading = false;
    }
  }, { rootMargin: "600px 0px" });
  const first = grid.querySelector("a[data-more]");
  if (first) observer.observe(first);
})();

// Card buttons (like, save, not interested) work without a reload: the form is sent
// with fetch and the card is updated from the JSON answer.
(function () {
  const flip = (form, on, offAction, onAction) => {
    form.action = form.action.replace(/\/[a-z-]+\/$/, "/" + (on ? onAction : offAction) + "/");
    const button = form.querySelector("button");
    button.classList.toggle("on", on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
    return button;
  };
  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-card-action]");
    if (!form) return;
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    });
    if (!response.ok) return;
    const data = await response.json();
    const card = form.closest(".card");
    if (data.hidden) {
      card.classList.add("dismissed");
      const note = document.createElement("p");
      note.className = "meta dismissed-note";
      note.textContent = label("labelLessLikeThis");
      card.replaceChildren(note);
      return;
    }
    if (data.action === "like" || data.action === "unlike") {
      const button = flip(form, data.liked, "like", "unlike");
      button.firstChild.textContent = data.liked ? "♥ " : "♡ ";
      button.querySelector("[data-count]").textContent = data.like_count;
    } else {
      const button = flip(form, data.favourited, "favourite", "unfavourite");
      button.textContent = data.favourited ? "★ " + label("labelSaved") : "☆ " + label("labelSave");
    }
  });
})();

// Nearby: ask the browser for the location, then load the feed around it.
(function () {
  const button = document.querySelector("[data-locate-nearby]");
  if (!button) return;
  const form = button.closest("form");
  const status = form.querySelector("[data-locate-status]");
  const go = () => {
    if (!navigator.geolocation) { status.textContent = label("labelNoLocation"); return; }
    status.textContent = label("labelLocating");
    navigator.geolocation.getCurrentPosition((pos) => {
      form.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(5);
      form.querySelector("[name=lng]").value = pos.coords.longitude.toFixed(5);
      form.submit();
    }, () => { status.textContent = label("labelLocationRefused"); });
  };
  button.addEventListener("click", go);
})();

// Cards' "…" menus (<details>): one open at a time; a click elsewhere or Escape closes it.
(function () {
  const openMenus = () => document.querySelectorAll("details.card-more[open]");
  document.addEventListener("click", (event) => {
    const inside = event.target.closest("details.card-more");
    openMenus().forEach((menu) => { if (menu !== inside) menu.open = false; });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    openMenus().forEach((menu) => {
      menu.open = false;
      if (menu.contains(document.activeElement)) menu.querySelector("summary").focus();
    });
  });
})();
