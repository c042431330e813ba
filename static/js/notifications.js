// The 消息 badge: when the page was rendered without the count (Redis did not hold it),
// ask the API once; the answer also fills Redis for the next pages.
(function () {
  "use strict";
  var badge = document.querySelector("[data-unread][data-ask]");
  if (!badge) { return; }
  fetch("/api/v1/notifications/unread/", { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (counts) {
      if (!counts) { return; }
      badge.textContent = counts.total ? String(counts.total) : "";
      badge.hidden = !counts.total;
    })
    .catch(function () {});
})();
