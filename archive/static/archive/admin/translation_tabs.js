// One language switch for a whole change form (archive/admin/translation_tabs.py): a
// click on a language shows every translated field in it and hides the others, so the
// form reads as one version of the item. Settings come in the first translated field's
// data-translation-tabs attribute (the CSP allows no inline script).
(function () {
  "use strict";

  const HIDDEN = "translation-hidden";
  const BLOCKS = "p, h1, h2, h3, h4, h5, h6, li, blockquote, figcaption, pre, td, th";
  const STORED_ORIGINALS = "archive.translation-tabs.originals";

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function hasError(row) {
    return row.classList.contains("errors") || row.querySelector(".errorlist") !== null;
  }

  // The original's text as plain paragraphs: an HTML body is parsed in an inert
  // document and only its text is copied, so nothing in it runs or loads.
  function showOriginal(target, value, emptyText) {
    target.replaceChildren();
    let text = (value || "").trim();
    if (text.startsWith("<")) {
      const body = new DOMParser().parseFromString(text, "text/html").body;
      const leaves = Array.from(body.querySelectorAll(BLOCKS)).filter(
        (block) => !block.querySelector(BLOCKS)
      );
      if (leaves.length) {
        for (const leaf of leaves) {
          const line = leaf.textContent.trim();
          if (line) target.append(element("p", "translation-original-" + leaf.localName, line));
        }
        if (target.childElementCount) return;
      }
      text = body.textContent.trim();
    }
    const lines = text.split(/\n+/).filter((line) => line.trim());
    if (!lines.length) target.append(element("p", "translation-original-empty", emptyText));
    for (const line of lines) target.append(element("p", "", line.trim()));
  }

  function start() {
    const holder = document.querySelector("[data-translation-tabs]");
    const form = holder && holder.closest("form");
    if (!form) return;
    const config = JSON.parse(holder.dataset.translationTabs);
    const text = config.text;
    const codes = config.languages.map((language) => language.code);

    // Each translated field's row (or its box, when fields share a row).
    const rows = new Map();
    for (const field of form.querySelectorAll("[data-translation-language]")) {
      if (field.closest(".empty-form") || (field.id || "").includes("__prefix__")) continue;
      // A tabular inline's row is a table row of many fields: its languages stay as columns.
      if (field.closest("td")) continue;
      const row = field.closest(".fieldBox") || field.closest(".form-row");
      if (!row || rows.has(row)) continue;
      rows.set(row, { language: field.dataset.translationLanguage, field: field });
      row.classList.add("translation-row");
      // The switch says the language: "Title [az]:" becomes "Title:".
      for (const label of row.querySelectorAll("label")) {
        for (const part of label.childNodes) {
          if (part.nodeType === Node.TEXT_NODE) {
            part.textContent = part.textContent.replace(/ \[[\w-]+\]/, "");
          }
        }
      }
    }
    if (!rows.size) return;

    const withErrors = codes.filter((code) =>
      Array.from(rows).some(([row, info]) => info.language === code && hasError(row))
    );

    // The switch: a toggle button per language, its marks in words.
    const bar = element("div", "translation-switch");
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", text.label);
    bar.append(element("span", "translation-switch-label", text.label));
    const buttons = config.languages.map((language) => {
      const button = element("button", "translation-tab");
      button.type = "button";
      button.dataset.language = language.code;
      const name = element("span", "translation-tab-name", language.name);
      name.lang = language.code;
      button.append(name);
      if (language.mark) {
        const kind = "translation-mark translation-mark-" + language.state;
        button.append(element("span", kind, language.mark));
      }
      if (withErrors.includes(language.code)) {
        button.append(element("span", "translation-mark translation-mark-errors", text.errors));
      }
      button.addEventListener("click", () => show(language.code));
      bar.append(button);
      return button;
    });

    // The original beside each translation, read-only, kept up to date while it is edited.
    const originalsToggle = element("label", "translation-originals-toggle");
    const originalsBox = element("input");
    originalsBox.type = "checkbox";
    originalsBox.checked = readStored() !== "off";
    originalsToggle.append(originalsBox, " ", text.showOriginal);
    bar.append(originalsToggle);
    form.classList.toggle("translation-originals-off", !originalsBox.checked);
    originalsBox.addEventListener("change", () => {
      form.classList.toggle("translation-originals-off", !originalsBox.checked);
      writeStored(originalsBox.checked ? "on" : "off");
    });
    const originalName = config.languages.find((l) => l.code === config.original).name;
    for (const info of rows.values()) {
      const suffix = "_" + info.language;
      if (info.language === config.original || !info.field.id.endsWith(suffix)) continue;
      const source = document.getElementById(
        info.field.id.slice(0, -suffix.length) + "_" + config.original
      );
      if (!source) continue;
      const box = element("details", "translation-original");
      box.open = true;
      const summary = element("summary", "", text.original + " ");
      const name = element("span", "translation-original-language", originalName);
      name.lang = config.original;
      summary.append(name);
      const body = element("div", "translation-original-text");
      body.lang = config.original;
      box.append(summary, body);
      (info.field.closest(".flex-container") || info.field).after(box);
      // A choice (the lead image) shows the original's choice by name, not its id.
      const valueOf = () =>
        source.tagName === "SELECT"
          ? Array.from(source.selectedOptions, (option) => option.value && option.text).join("\n")
          : source.value;
      const refresh = () => showOriginal(body, valueOf(), text.empty);
      refresh();
      source.addEventListener("input", refresh);
      source.addEventListener("change", refresh);
      // select2 (the autocomplete) announces changes through jQuery only.
      if (source.tagName === "SELECT" && window.django && window.django.jQuery) {
        window.django.jQuery(source).on("change", refresh);
      }
    }

    // The language shown when the form is saved: the server sends "save and continue"
    // back to it (#lang=az), and a form returned with errors says it in config.initial.
    const chosen = document.createElement("input");
    chosen.type = "hidden";
    chosen.name = config.param;
    form.append(chosen);

    const firstRow = rows.keys().next().value;
    const place = firstRow.closest("fieldset") || firstRow;
    place.before(bar);

    function show(code) {
      for (const [row, info] of rows) row.classList.toggle(HIDDEN, info.language !== code);
      for (const button of buttons) {
        button.setAttribute("aria-pressed", String(button.dataset.language === code));
      }
      originalsToggle.hidden = code === config.original;
      chosen.value = code;
      const hash = code === config.original ? "" : config.hashPrefix + code;
      if (location.hash !== hash) {
        history.replaceState(history.state, "", location.pathname + location.search + hash);
      }
      // Widgets that measure themselves (rich-text and code editors, autosizing text
      // areas) may have started while hidden: let them measure again, now shown.
      window.dispatchEvent(new Event("resize"));
      for (const [row, info] of rows) {
        if (info.language !== code) continue;
        row.dispatchEvent(
          new CustomEvent("translation:shown", { bubbles: true, detail: { language: code } })
        );
      }
    }

    function fromHash() {
      const hash = location.hash;
      if (!hash.startsWith(config.hashPrefix)) return "";
      const code = decodeURIComponent(hash.slice(config.hashPrefix.length));
      return codes.includes(code) ? code : "";
    }

    window.addEventListener("hashchange", () => {
      const code = fromHash();
      if (code) show(code);
    });

    // An error must be seen: a language with one is shown unless the chosen one has one too.
    let initial = config.initial || fromHash() || config.original;
    if (withErrors.length && !withErrors.includes(initial)) initial = withErrors[0];
    show(initial);
  }

  function readStored() {
    try {
      return window.localStorage.getItem(STORED_ORIGINALS);
    } catch (error) {
      return null; // storage refused (private mode, policy): the default applies
    }
  }

  function writeStored(value) {
    try {
      window.localStorage.setItem(STORED_ORIGINALS, value);
    } catch (error) {
      // not kept; the choice still holds on this page
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
