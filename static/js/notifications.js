// The 消息 badges (desktop header, phones' tab bar): when the page was rendered without
// the count (Redis did not hold it), ask the API once; the answer also fills Redis for
// the next pages.
(function () {
  "use strict";
  var badges = document.querySelectorAll("[data-unread][data-ask]");
  if (!badges.length) { return; }
  fetch("/api/v1/notifications/unread/", { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (counts) {
      if (!counts) { return; }
      badges.forEach(function (badge) {
        badge.textContent = counts.total ? String(counts.total) : "";
        badge.hidden = !counts.total;
      });
    })
    .catch(function () {});
})();
