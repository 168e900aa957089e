// Suggestions as you type, from /api/suggest/ into the search box's <datalist>.
// Without JavaScript the form works the same, only without suggestions.
(function () {
  "use strict";
  const input = document.querySelector("input[data-suggest-url]");
  if (!input || !window.fetch) return;
  const list = document.getElementById(input.getAttribute("list"));
  let timer = null;
  let controller = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(async function () {
      const text = input.value.trim();
      if (text.length < 2) return;
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        const url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(text);
        const response = await fetch(url, { signal: controller.signal });
        if (!response.ok) return;
        const data = await response.json();
        list.replaceChildren(...data.suggestions.map(function (item) {
          const option = document.createElement("option");
          option.value = item.label;  // textContent-safe: never parsed as HTML
          option.label = item.kind;
          return option;
        }));
      } catch (error) {
        if (error.name !== "AbortError") console.warn("suggestions unavailable", error);
      }
    }, 150);
  });
})();
