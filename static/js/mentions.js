// @mentions in comment forms: typing "@ali" under an input marked data-mention offers the
// people whose username starts with "ali"; a click puts "@alice " in place of "@ali".
(function () {
  "use strict";
  var timer = null;
  function wordAtCaret(input) {
    var before = input.value.slice(0, input.selectionStart);
    var m = before.match(/(?:^|[^\w@])@([\w.+-]{1,30})$/);
    return m ? { name: m[1], start: before.length - m[1].length - 1 } : null;
  }
  document.querySelectorAll("input[data-mention]").forEach(function (input) {
    var box = input.parentElement.querySelector(".mention-choices");
    if (!box) { return; }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var word = wordAtCaret(input);
      if (!word) { box.hidden = true; return; }
      timer = setTimeout(function () {
        fetch("/api/v1/mentions/?q=" + encodeURIComponent(word.name), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (people) {
            box.replaceChildren();
            people.forEach(function (p) {
              var b = document.createElement("button");
              b.type = "button";
              b.className = "link";
              b.dataset.testid = "mention-choice";
              b.textContent = "@" + p.username + (p.name !== p.username ? " " + p.name : "");
              b.addEventListener("click", function () {
                var end = word.start + 1 + word.name.length;
                input.value = input.value.slice(0, word.start) + "@" + p.username + " " + input.value.slice(end);
                box.hidden = true;
                input.focus();
              });
              box.appendChild(b);
            });
            box.hidden = people.length === 0;
          })
          .catch(function () {});
      }, 120);
    });
  });
})();
