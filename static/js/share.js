// The share sheet of a post page, and follow buttons that work without a reload.
// Loaded on every page (base.html); does nothing where there is nothing to enhance.
// No inline script anywhere (the Content-Security-Policy forbids it): behaviour lives here.

(function () {
  const csrf = () => (document.cookie.match(/csrftoken=([^;]+)/) || [])[1];
  // The page's words for what this file writes (base.html's <body data-label-…>).
  const label = (name) => document.body.dataset[name] || "";

  // ---------------------------------------------------------------- share sheet
  const sheet = document.querySelector("[data-share-sheet]");
  if (sheet) {
    const url = sheet.dataset.shareUrl;
    const status = sheet.querySelector("[data-share-status]");
    const native = sheet.querySelector("[data-share-native]");
    if (navigator.share) native.hidden = false;
    const open = () => { sheet.hidden = false; sheet.querySelector("[data-share-copy]").focus(); };
    const close = () => { sheet.hidden = true; };
    // Record one share (the server counts a person's first share of a post only).
    const record = async (target) => {
      const action = sheet.dataset.shareRecord;
      if (!action || !csrf()) return; // visitors share without being counted
      const body = new FormData();
      body.append("target", target);
      const response = await fetch(action, {
        method: "POST", body, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", "X-CSRFToken": csrf() },
      });
      if (!response.ok) return;
      const data = await response.json();
      document.querySelectorAll("[data-share-count]").forEach((el) => { el.textContent = data.share_count; });
    };
    document.addEventListener("submit", (event) => {
      if (!event.target.closest("form[data-share-open]")) return;
      event.preventDefault();
      open();
    });
    document.addEventListener("click", (event) => {
      if (event.target.closest("button[data-share-open]")) open();
    });
    sheet.querySelector("[data-share-close]").addEventListener("click", close);
    document.addEventListener("keydown", (event) => { if (event.key === "Escape") close(); });
    sheet.querySelector("[data-share-copy]").addEventListener("click", async () => {
      let copied = false;
      try {
        await navigator.clipboard.writeText(url);
        copied = true;
      } catch (err) {
        // No clipboard permission (or an old browser): select the link for the reader to copy.
        const input = sheet.querySelector(".share-link");
        input.select();
        copied = document.execCommand && document.execCommand("copy");
      }
      status.textContent = copied ? label("labelLinkCopied") : label("labelCopyByHand");
      await record("link");
    });
    native.addEventListener("click", async () => {
      try {
        await navigator.share({ title: document.title, url });
      } catch (err) {
        return; // the reader closed the browser's dialog: nothing was shared
      }
      status.textContent = label("labelShared");
      await record("other");
    });
  }

  // ---------------------------------------------------------------- follow buttons
  // Every follow button of the same person on the page flips together (a feed shows
  // several cards by one author).
  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-follow]");
    if (!form) return;
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    });
    if (!response.ok) return;
    const data = await response.json();
    const base = form.action.replace(/\/(follow|unfollow)\/$/, "/");
    document.querySelectorAll("form[data-follow]").forEach((other) => {
      if (other.action.replace(/\/(follow|unfollow)\/$/, "/") !== base) return;
      other.action = base + (data.following ? "unfollow/" : "follow/");
      const button = other.querySelector("button");
      button.classList.toggle("on", data.following);
      button.classList.toggle("primary", !data.following);
      button.setAttribute("aria-pressed", data.following ? "true" : "false");
      button.textContent = data.following ? label("labelFollowing") : "＋ " + label("labelFollow");
    });
  });
})();
