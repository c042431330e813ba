// Product cards on a post page (兴趣电商): fetched from the post's products fragment,
// which records an impression per card for a signed-in viewer. Without this file the
// section keeps its link to the same cards as a page of their own.
(function () {
  const section = document.querySelector("[data-products-url]");
  if (!section) return;
  fetch(section.dataset.productsUrl, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
    .then((answer) => {
      if (answer.status === 204) { section.hidden = true; return null; }
      return answer.ok ? answer.text() : null;
    })
    .then((html) => {
      if (html === null) return;
      const doc = new DOMParser().parseFromString(html, "text/html");
      section.replaceChildren(...doc.body.childNodes);
      section.dataset.loaded = "1";
    })
    .catch(() => {});
})();
