// The publish form, enhanced (it works without this file: docs/web.md "Publishing").
// - The chosen images show as previews (blob: URLs, hence CSP img-src blob:), in a list
//   whose order the buttons change; the order goes to the server in the hidden `order`
//   input as indexes into the file list ("2,0,1"), each image's alt text in `alt_<i>`
//   (i: its index in the file list, so it follows the image when it moves).
// - Tags suggested from the title and text come back from /publish/tags/ as chips; a tap
//   adds one to the tags box. Nothing is added unless the person taps it.
// - The form is sent by XHR to show upload progress; the server answers JSON: where to
//   go, or the messages to show next to each field (nothing was written then).
(function () {
  const form = document.querySelector("form[data-publish]");
  if (!form) return;
  const label = (name, values) =>
    Object.entries(values || {}).reduce((text, [key, value]) => text.replace(`{${key}}`, value), form.dataset[name] || "");
  const csrf = () => (form.querySelector("[name=csrfmiddlewaretoken]") || {}).value || "";

  // ------------------------------------------------------------ previews and order
  const files = form.querySelector("input[name=images]");
  const orderInput = form.querySelector("input[name=order]");
  const list = form.querySelector("[data-previews]");
  const status = form.querySelector("[data-previews-status]");
  let order = []; // indexes into files.files, in the chosen order
  let items = []; // one <li> per chosen file, by index
  let urls = [];

  const renumber = () => {
    order.forEach((index, position) => {
      const item = items[index];
      const n = position + 1;
      item.querySelector("[data-number]").textContent = label("labelImage", { n });
      item.querySelector("[data-alt-label]").textContent = label("labelAlt", { n });
      const earlier = item.querySelector("[data-move=earlier]");
      const later = item.querySelector("[data-move=later]");
      earlier.setAttribute("aria-label", label("labelEarlier", { n }));
      later.setAttribute("aria-label", label("labelLater", { n }));
      earlier.disabled = position === 0;
      later.disabled = position === order.length - 1;
      list.appendChild(item); // appending an item already in the list moves it
    });
    orderInput.value = order.join(",");
  };

  const move = (index, step, button) => {
    const from = order.indexOf(index);
    const to = from + step;
    if (to < 0 || to >= order.length) return;
    [order[from], order[to]] = [order[to], order[from]];
    renumber();
    status.textContent = label("labelMoved", { n: to + 1 });
    // Keep the keyboard on the moved image: the same button, or its other one at an end.
    const other = button.dataset.move === "earlier" ? "later" : "earlier";
    (button.disabled ? items[index].querySelector(`[data-move=${other}]`) : button).focus();
  };

  const preview = (file, index) => {
    const item = document.createElement("li");
    item.className = "preview";
    item.dataset.index = String(index);
    item.dataset.testid = "preview";
    const img = document.createElement("img");
    img.src = urls[index];
    img.alt = ""; // the caption and the alt input beside it say what it is
    const side = document.createElement("div");
    side.className = "preview-side";
    const number = document.createElement("strong");
    number.dataset.number = "";
    const field = document.createElement("label");
    const fieldText = document.createElement("span");
    fieldText.dataset.altLabel = "";
    fieldText.className = "help";
    const alt = document.createElement("input");
    alt.type = "text";
    alt.name = `alt_${index}`;
    alt.maxLength = 200;
    alt.placeholder = form.dataset.labelAltPlaceholder || "";
    field.append(fieldText, alt);
    const moves = document.createElement("div");
    moves.className = "preview-moves";
    for (const [direction, glyph, step] of [["earlier", "↑", -1], ["later", "↓", 1]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "move";
      button.dataset.move = direction;
      button.textContent = glyph;
      button.addEventListener("click", () => move(index, step, button));
      moves.appendChild(button);
    }
    side.append(number, field, moves);
    item.append(img, side);
    return item;
  };

  if (files && orderInput && list) {
    files.addEventListener("change", () => {
      urls.forEach((url) => URL.revokeObjectURL(url));
      list.replaceChildren();
      const chosen = Array.from(files.files);
      urls = chosen.map((file) => URL.createObjectURL(file));
      items = chosen.map(preview);
      order = chosen.map((_, index) => index);
      list.hidden = chosen.length === 0;
      renumber();
    });
  }

  // ------------------------------------------------------------ tag suggestions
  const suggest = form.querySelector("[data-tag-suggest]");
  const tagsInput = form.querySelector("input[name=tags]");
  if (suggest && tagsInput) {
    const chips = suggest.querySelector("[data-tag-chips]");
    let timer = null;
    let asked = "";
    const ask = () => {
      const body = new URLSearchParams({
        title: form.querySelector("[name=title]").value,
        body: form.querySelector("[name=body]").value,
        tags: tagsInput.value,
      });
      const key = body.toString();
      if (key === asked) return;
      asked = key;
      fetch(suggest.dataset.url, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" },
        credentials: "same-origin",
      })
        .then((response) => (response.ok ? response.json() : { tags: [] }))
        .then((data) => {
          chips.replaceChildren();
          for (const tag of data.tags || []) {
            const chip = document.createElement("button");
            chip.type = "button";
            chip.className = "chip suggestion";
            chip.textContent = `#${tag}`;
            chip.setAttribute("aria-label", label("labelAddTag", { tag }));
            chip.addEventListener("click", () => {
              const current = tagsInput.value.trim();
              tagsInput.value = current ? `${current} ${tag}` : tag;
              chip.remove();
              suggest.hidden = !chips.children.length;
              tagsInput.focus();
            });
            chips.appendChild(chip);
          }
          suggest.hidden = !chips.children.length;
        })
        .catch(() => {}); // suggestions are a help, not a step: no answer, no chips
    };
    const later = () => { clearTimeout(timer); timer = setTimeout(ask, 600); };
    for (const name of ["title", "body"]) {
      const input = form.querySelector(`[name=${name}]`);
      if (input) input.addEventListener("input", later);
    }
    tagsInput.addEventListener("change", later);
  }

  // ------------------------------------------------------------ sending with progress
  const progress = form.querySelector("[data-progress]");
  const bar = progress && progress.querySelector("progress");
  const percent = progress && progress.querySelector("[data-progress-text]");
  const submit = form.querySelector("button[type=submit]");

  const clearErrors = () => {
    form.querySelectorAll(".js-error").forEach((el) => el.remove());
    form.querySelectorAll("[aria-invalid]").forEach((el) => {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
    });
  };

  const showErrors = (errors) => {
    let first = null;
    for (const [name, messages] of Object.entries(errors)) {
      const box = document.createElement("ul");
      box.className = "errorlist js-error";
      box.id = `error-${name}`;
      box.setAttribute("role", "alert");
      for (const message of messages) {
        const line = document.createElement("li");
        line.textContent = message;
        box.appendChild(line);
      }
      // Next to the field (the first of a group such as lat / lng), else at the top.
      const field = name === "__all__" ? null : form.querySelector(`[name=${name}]:not([type=hidden])`)
        || form.querySelector(`[name=${name}]`);
      if (field && field.type !== "hidden") {
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-describedby", box.id);
        (field.closest("label") || field).after(box);
        first = first || field;
      } else if (field) {
        field.parentElement.appendChild(box);
      } else {
        form.querySelector("[data-errors-for=__all__]").appendChild(box);
      }
    }
    if (first) first.focus();
  };

  const finish = () => {
    submit.disabled = false;
    progress.hidden = true;
  };

  if (progress && bar && submit && window.FormData && window.XMLHttpRequest) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      clearErrors();
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") || window.location.pathname);
      xhr.setRequestHeader("X-Requested-With", "fetch");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", (e) => {
        if (!e.lengthComputable) return;
        const value = Math.round((e.loaded / e.total) * 100);
        bar.value = value;
        percent.textContent = `${value}%`;
      });
      xhr.addEventListener("load", () => {
        let data = {};
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = {}; }
        if (xhr.status === 200 && data.redirect) {
          bar.value = 100;
          percent.textContent = "100%";
          window.location.assign(data.redirect);
          return;
        }
        finish();
        if (xhr.status === 400 && data.errors) showErrors(data.errors);
        else showErrors({ __all__: [xhr.status === 413 ? label("labelTooLarge") : label("labelFailed")] });
      });
      xhr.addEventListener("error", () => { finish(); showErrors({ __all__: [label("labelFailed")] }); });
      bar.value = 0;
      percent.textContent = "0%";
      progress.hidden = false;
      submit.disabled = true;
      xhr.send(new FormData(form));
    });
  }
})();
