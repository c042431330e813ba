// Search: suggestions while typing (a <datalist> under every search box), result clicks
// told to the engine (a signal for the clicker's interests), and clearing the history.
(function () {
  "use strict";
  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  var list = document.getElementById("search-suggestions");
  var timer = null;
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q || !list) { return; }
      timer = setTimeout(function () {
        fetch("/api/v1/search/suggest/?q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (items) {
            list.replaceChildren();
            items.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.text;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 150);
    });
  });
  document.querySelectorAll("[data-search-click]").forEach(function (link) {
    link.addEventListener("click", function () {
      fetch("/api/v1/search/clicks/", {
        method: "POST",
        credentials: "same-origin",
        keepalive: true,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({ post: Number(link.dataset.searchClick) })
      }).catch(function () {});
    });
  });
  var clear = document.querySelector("[data-clear-history]");
  if (clear) {
    clear.addEventListener("click", function () {
      fetch("/api/v1/search/history/", {
        method: "DELETE",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf() }
      }).then(function (r) {
        if (r.ok) { clear.closest("section").remove(); }
      });
    });
  }
})();
