// The search box's suggestions as an ARIA 1.2 combobox with a listbox popup: people,
// places, topics and articles from /api/suggest/, each option a link to its page.
// Focus stays in the box; the arrows move the active option (aria-activedescendant),
// Enter opens it, or submits the search when none is active; Escape closes the list.
// Without JavaScript the box is a plain search field and the form works the same.
(function () {
  "use strict";
  const DELAY = 200; // ms after the last keystroke before asking
  const MIN_CHARS = 2; // as search/suggest.py
  const PAUSE = 30; // s to wait after a 429 that names no Retry-After

  function combobox(input) {
    const listbox = document.getElementById(input.dataset.suggestList);
    const status = document.getElementById(input.dataset.suggestStatus);
    if (!listbox || !status || !window.fetch || !window.AbortController) return;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    const pageLanguage = document.documentElement.lang;
    const answers = new Map(); // text -> the endpoint's answer, for this page's life
    let timer = 0;
    let pending = null; // the AbortController of the request in flight
    let pausedUntil = 0; // rate limited until (ms)
    let active = -1;

    function options() {
      return Array.from(listbox.querySelectorAll("[role=option]"));
    }

    function activate(index) {
      const all = options();
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (!options().length) return false;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      return true;
    }

    function close() {
      activate(-1);
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function say(text) {
      if (status.textContent !== text) status.textContent = text;
    }

    function clear() {
      close();
      listbox.replaceChildren();
      say("");
    }

    function option(item, index) {
      // textContent only: a title is never parsed as HTML.
      const link = document.createElement("a");
      link.id = listbox.id + "-" + index;
      link.href = item.url;
      link.className = "search-option";
      link.tabIndex = -1;
      link.setAttribute("role", "option");
      link.setAttribute("aria-selected", "false");
      const label = document.createElement("span");
      label.className = "search-option-label";
      label.textContent = item.label;
      if (item.language && item.language !== pageLanguage) label.lang = item.language;
      const kind = document.createElement("span");
      kind.className = "search-option-kind";
      kind.textContent = item.date ? item.kind + " · " + item.date : item.kind;
      link.append(label, " ", kind); // the space: a screen reader reads them apart
      return link;
    }

    function show(answer) {
      listbox.replaceChildren(...answer.suggestions.map(option));
      activate(-1);
      if (document.activeElement === input && answer.suggestions.length) open();
      else close();
      say(answer.status || "");
    }

    async function ask(text) {
      if (answers.has(text)) return show(answers.get(text));
      if (Date.now() < pausedUntil) return; // over the rate limit: quietly nothing
      if (pending) pending.abort(); // an older question's answer is of no use now
      const mine = new AbortController();
      pending = mine;
      try {
        const url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(text);
        const response = await fetch(url, {
          signal: mine.signal,
          headers: { Accept: "application/json" },
        });
        if (response.status === 429) {
          const wait = parseInt(response.headers.get("Retry-After"), 10);
          pausedUntil = Date.now() + (wait > 0 ? wait : PAUSE) * 1000;
          return clear();
        }
        if (!response.ok) return clear();
        const answer = await response.json();
        answers.set(text, answer);
        if (input.value.trim() === text) show(answer);
      } catch (error) {
        if (error.name !== "AbortError") clear(); // offline: no suggestions, no noise
      } finally {
        if (pending === mine) pending = null;
      }
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      const text = input.value.trim();
      if (text.length < MIN_CHARS) {
        if (pending) pending.abort();
        return clear();
      }
      timer = setTimeout(ask, DELAY, text);
    });

    input.addEventListener("keydown", function (event) {
      const all = options();
      const expanded = !listbox.hidden;
      switch (event.key) {
        case "ArrowDown":
          if (!all.length) return;
          event.preventDefault();
          if (!expanded) {
            open();
            if (event.altKey) return; // Alt+Down only opens the list
          }
          activate(active + 1 < all.length ? active + 1 : 0);
          break;
        case "ArrowUp":
          if (!all.length) return;
          event.preventDefault();
          open();
          activate(active > 0 ? active - 1 : all.length - 1);
          break;
        case "Home":
        case "End":
          if (!expanded || active < 0) return; // the caret moves in the text instead
          event.preventDefault();
          activate(event.key === "Home" ? 0 : all.length - 1);
          break;
        case "Enter":
          if (!expanded || active < 0) return; // the form submits the search
          event.preventDefault();
          window.location.assign(all[active].href);
          break;
        case "Escape":
          if (!expanded) return; // a second Escape clears the box, as the browser does
          event.preventDefault();
          close();
          break;
        case "ArrowLeft":
        case "ArrowRight":
          if (active >= 0) activate(-1); // back to editing the text
          break;
        case "Tab":
          close();
          break;
      }
    });

    input.addEventListener("blur", close);
    // A press on an option would take the focus (and close the list) before the click.
    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
  }

  document.querySelectorAll("input[data-suggest-url]").forEach(combobox);
})();
