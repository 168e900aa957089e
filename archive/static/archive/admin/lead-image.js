// The article form's lead image, one per language: when a language's autocomplete
// changes, show the thumbnail of the picture chosen (the admin's JSON view
// archive_image_thumbnail) below it, or, when it is cleared, the note that pages in
// that language show the Russian picture.
"use strict";
(function () {
  function show(box, data) {
    const chosen = box.querySelector(".lead-image-chosen");
    const fallback = box.querySelector(".lead-image-fallback");
    chosen.replaceChildren();
    if (fallback) fallback.hidden = Boolean(data && data.url);
    if (!data || !data.url) return;
    const img = document.createElement("img");
    img.className = "library-thumbnail";
    img.src = data.url;
    img.alt = "";
    img.width = 160;
    img.height = Math.round(160 * data.height / data.width);
    chosen.appendChild(img);
  }

  function attach($, box) {
    const select = $("#" + box.dataset.for);
    if (!select.length) return;
    let asked = 0;
    // select2 announces changes through jQuery, not as DOM events.
    select.on("change", function () {
      const id = select.val();
      const ticket = ++asked;
      if (!id) { show(box, null); return; }
      fetch(box.dataset.thumbnailUrl.replace("{id}", encodeURIComponent(id)), {
        credentials: "same-origin", headers: { Accept: "application/json" },
      })
        .then((response) => (response.ok ? response.json() : null))
        .then((data) => { if (ticket === asked) show(box, data); })
        .catch(() => { if (ticket === asked) show(box, null); });
    });
  }

  window.addEventListener("load", function () {
    if (!(window.django && window.django.jQuery)) return;
    for (const box of document.querySelectorAll(".lead-image-preview[data-for]")) {
      attach(window.django.jQuery, box);
    }
  });
})();
